// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi system [show]                      capabilities and state
 * scmi system set STATE [--forceful]      request a system state
 * scmi system wait [--timeout TIME]       wait for a power-state notification
 *                                         (TIME in s, or with a unit: 500ms)
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "cli.h"

static const char *const system_states[] = {"shutdown", "cold-reset", "warm-reset",
					    "power-up", "suspend",    NULL};

/* ---- events (for scmi monitor and wait) ------------------------------------ */

static uint32_t notifier_source(const void *report)
{
	return 0;
}

static void notifier_format(const void *report, char *buf, size_t size)
{
	const struct scmi_system_power_state_notifier_report *r = report;
	int n = snprintf(buf, size, "agent=%" PRIu32 " state=%s (%" PRIu32 ") %s", r->agent_id,
			 scmi_system_state_name(r->system_state), r->system_state,
			 r->graceful ? "graceful" : "forceful");

	if (r->has_timeout && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " timeout=%" PRIu32 "ms", r->timeout_ms);
}

static struct json_object *notifier_json(const void *report)
{
	const struct scmi_system_power_state_notifier_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "system_state", json_object_new_int64(r->system_state));
	json_object_object_add(o, "state_name",
			       json_object_new_string(scmi_system_state_name(r->system_state)));
	json_object_object_add(o, "graceful", json_object_new_boolean(r->graceful));
	if (r->has_timeout)
		json_object_object_add(o, "timeout_ms", json_object_new_int64(r->timeout_ms));
	return o;
}

static const struct cli_event_desc system_event_descs[] = {
	{SCMI_PROTOCOL_SYSTEM, SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, "power_state_notifier",
	 false, notifier_source, notifier_format, notifier_json},
};

const struct cli_events cli_system_events = {system_event_descs, 1};

/* ---- show / set ------------------------------------------------------------------ */

/* The protocol's state; after `set`, @req is the state requested (SCMI
 * System 2.0 has no command to read the system state back). */
struct system_req {
	uint32_t state;
	bool graceful;
};

static int system_show(struct cli *cli, const struct system_req *req)
{
	const struct scmi_system_info *info;
	const struct scmi_handle *h = cli->h;
	struct cli_err state_err = {-EOPNOTSUPP, SCMI_STATUS_NONE};
	uint32_t state = 0;
	char buf[16], ebuf[128];
	int ret;

	ret = h->system_ops->protocol_info_get(h, &info);
	if (ret)
		return cli_fail(cli, "system", ret);
	/* SYSTEM_POWER_STATE_GET is optional (and gone from 2.0 on). */
	if (info->state_get)
		state_err = cli_err_now(h->system_ops->state_get(h, &state));
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "version",
				       json_object_new_string(cli_version_str(info->version, buf)));
		json_object_object_add(o, "warm_reset", json_object_new_boolean(info->warm_reset));
		json_object_object_add(o, "suspend", json_object_new_boolean(info->suspend));
		if (!state_err.err) {
			json_object_object_add(o, "state", json_object_new_int64(state));
			json_object_object_add(
				o, "state_name",
				json_object_new_string(scmi_system_state_name(state)));
		} else if (!cli_err_unsupported(&state_err)) {
			json_object_object_add(o, "state_error", cli_err_json(&state_err));
		}
		if (req) {
			json_object_object_add(o, "requested_state",
					       json_object_new_int64(req->state));
			json_object_object_add(
				o, "requested_state_name",
				json_object_new_string(scmi_system_state_name(req->state)));
			json_object_object_add(o, "graceful",
					       json_object_new_boolean(req->graceful));
		}
		cli_json_print(o);
		return CLI_EXIT_OK;
	}
	cli_kv("version", "%s", cli_version_str(info->version, buf));
	cli_kv("warm reset", "%s", info->warm_reset ? "supported" : "not supported");
	cli_kv("suspend", "%s", info->suspend ? "supported" : "not supported");
	if (!state_err.err)
		cli_kv("state", "%s (%" PRIu32 ")", scmi_system_state_name(state), state);
	else if (!cli_err_unsupported(&state_err))
		cli_kv("state", "(%s)", cli_err_text(&state_err, ebuf, sizeof(ebuf)));
	if (req)
		cli_kv("requested", "%s (%" PRIu32 "), %s", scmi_system_state_name(req->state),
		       req->state, req->graceful ? "graceful" : "forceful");
	return CLI_EXIT_OK;
}

static int parse_state(const char *s, uint32_t *state)
{
	int i = cli_word(s, system_states);

	if (i >= 0) {
		*state = (uint32_t)i;
		return 0;
	}
	return cli_parse_u32(s, state);
}

/* ---- wait ------------------------------------------------------------------------ */

struct system_wait {
	struct scmi_notifier_block nb;
	struct cli *cli;
	uv_timer_t timer;
	uv_signal_t sigint;
	bool got;
};

/* The handle keeps an async handle on the loop: stop it explicitly. */
static void wait_stop(struct system_wait *w)
{
	uv_close((uv_handle_t *)&w->timer, NULL);
	uv_close((uv_handle_t *)&w->sigint, NULL);
	uv_stop(w->timer.loop);
}

static int wait_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct system_wait *w = (struct system_wait *)nb;
	char line[256];

	if (w->got)
		return SCMI_NOTIFY_OK;
	w->got = true;
	if (w->cli->json) {
		cli_json_print(notifier_json(report));
	} else {
		notifier_format(report, line, sizeof(line));
		printf("%s\n", line);
	}
	fflush(stdout);
	wait_stop(w);
	return SCMI_NOTIFY_OK;
}

static void wait_timeout(uv_timer_t *t)
{
	wait_stop(t->data);
}

static void wait_signal(uv_signal_t *s, int signum)
{
	wait_stop(s->data);
}

static int system_wait(struct cli *cli, uint64_t timeout_ms)
{
	struct system_wait w = {.nb.notifier_call = wait_cb, .cli = cli};
	uv_loop_t loop;
	int ret;

	uv_loop_init(&loop);
	cli->cfg.loop = &loop; /* callbacks on this thread */
	ret = cli_open(cli);
	if (ret) {
		uv_loop_close(&loop);
		return ret;
	}
	if (!cli->h->system_ops) {
		ret = cli_no_protocol(cli, "system");
		goto out;
	}
	ret = cli->h->notify_ops->event_notifier_register(
		cli->h, SCMI_PROTOCOL_SYSTEM, SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, NULL, &w.nb);
	if (ret) {
		ret = cli_fail(cli, "system wait", ret);
		goto out;
	}
	uv_timer_init(&loop, &w.timer);
	uv_signal_init(&loop, &w.sigint);
	w.timer.data = w.sigint.data = &w;
	if (timeout_ms)
		uv_timer_start(&w.timer, wait_timeout, timeout_ms, 0);
	uv_signal_start(&w.sigint, wait_signal, SIGINT);
	uv_run(&loop, UV_RUN_DEFAULT);
	cli->h->notify_ops->event_notifier_unregister(
		cli->h, SCMI_PROTOCOL_SYSTEM, SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, NULL, &w.nb);
	ret = w.got ? CLI_EXIT_OK : cli_failf(cli, "system wait: no notification");
out:
	scmi_close(cli->h);
	cli->h = NULL;
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	return ret;
}

/* ---- dispatch -------------------------------------------------------------------- */

static int system_run(struct cli *cli, int argc, char **argv)
{
	static const char *const verbs[] = {"show", "set", "wait", NULL};
	static const struct option opts[] = {
		{"forceful", no_argument, NULL, 'f'},
		{"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct system_req req;
	bool forceful = false, timeout_set = false;
	int64_t timeout_ms = 0;
	uint32_t state = 0;
	int c, verb, ret;

	while ((c = cli_getopt(cli, argc, argv, "ft:h", opts)) != -1) {
		switch (c) {
		case 'f':
			forceful = true;
			break;
		case 't':
			ret = cli_arg_quantity(cli, &cli_cmd_system, "--timeout", optarg, CLI_TIME,
					       0, -3, 0, INT32_MAX, &timeout_ms);
			if (ret)
				return ret;
			timeout_set = true;
			break;
		case 'h':
			cli_help(cli, &cli_cmd_system);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error(cli, &cli_cmd_system, "unknown option");
		}
	}
	verb = optind < argc ? cli_word(argv[optind], verbs) : 0;
	if (verb < 0)
		return cli_usage_error(cli, &cli_cmd_system, "unknown verb '%s'", argv[optind]);
	optind++;
	if (verb == 1) {
		if (optind >= argc || parse_state(argv[optind], &state))
			return cli_usage_error(cli, &cli_cmd_system, "set needs a STATE (%s|N)",
					       "shutdown|cold-reset|warm-reset|power-up|suspend");
		optind++;
	}
	if (optind < argc)
		return cli_usage_error(cli, &cli_cmd_system, "unexpected argument '%s'",
				       argv[optind]);
	if ((forceful && verb != 1) || (timeout_set && verb != 2))
		return cli_usage_error(cli, &cli_cmd_system,
				       "--forceful goes with set, --timeout with wait");
	if (verb == 2)
		return system_wait(cli, (uint64_t)timeout_ms);

	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->system_ops)
		return cli_no_protocol(cli, "system");
	if (verb == 0)
		return system_show(cli, NULL);
	ret = cli->h->system_ops->state_set(cli->h, state, !forceful);
	if (ret)
		return cli_fail(cli, "system set", ret);
	req.state = state;
	req.graceful = !forceful;
	return system_show(cli, &req);
}

const struct cli_cmd cli_cmd_system = {
	.name = "system",
	.args = "[show] | set STATE [--forceful] | wait [--timeout TIME]",
	.help = "system power: capabilities, state requests, notifier",
	.run = system_run,
	.verbs = "  show (default)                  version, capabilities and, where reported,\n"
		 "                                  the state\n"
		 "  set STATE [--forceful]          request shutdown, cold-reset, warm-reset,\n"
		 "                                  power-up, suspend or a state number\n"
		 "                                  (graceful unless --forceful), then show\n"
		 "  wait [--timeout TIME]           print the next power-state notification\n",
	.notes = "TIME is in seconds, or with a unit (500ms); 0 or none waits forever.\n",
};

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi monitor [--protocol P] [--event E] [--source N] [--count N]
 *              [--timeout TIME]   (seconds, or with a unit: 500ms)
 *
 * Listens to every event that matches (all of them by default), prints each
 * as it arrives (one line of text, or one JSON object per line with --json),
 * and on Ctrl-C, --count or --timeout unregisters and closes cleanly.
 * Callbacks are delivered on this thread's libuv loop.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "cli.h"

/* ---- Base events (the Base protocol's CLI lives in cmd_info.c) -------------- */

static uint32_t base_error_source(const void *report)
{
	return 0;
}

static void base_error_format(const void *report, char *buf, size_t size)
{
	const struct scmi_base_error_report *r = report;
	int n = snprintf(buf, size, "agent=%" PRIu32 " %s reports=%u", r->agent_id,
			 r->fatal ? "fatal" : "non-fatal", r->cmd_count);

	for (unsigned int i = 0; i < r->cmd_count && n > 0 && (size_t)n < size; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s0x%016" PRIx64, i ? "," : " ",
			      r->reports[i]);
}

static struct json_object *base_error_json(const void *report)
{
	const struct scmi_base_error_report *r = report;
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();

	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "fatal", json_object_new_boolean(r->fatal));
	for (unsigned int i = 0; i < r->cmd_count; i++)
		json_object_array_add(a, json_object_new_uint64(r->reports[i]));
	json_object_object_add(o, "reports", a);
	return o;
}

static const struct cli_event_desc base_event_descs[] = {
	{SCMI_PROTOCOL_BASE, SCMI_EVENT_BASE_ERROR_EVENT, "error_event", false, base_error_source,
	 base_error_format, base_error_json},
};

const struct cli_events cli_base_events = {base_event_descs, 1};

/* ---- the monitor ------------------------------------------------------------------ */

struct monitor;

struct monitor_reg {
	struct scmi_notifier_block nb; /* scmi_container_of() gives the reg back */
	const struct cli_event_desc *desc;
	struct monitor *m;
	bool registered;
	bool all_sources;
};

struct monitor {
	struct cli *cli;
	uv_loop_t loop;
	uv_signal_t sigint, sigterm;
	uv_timer_t timer;
	struct monitor_reg *regs;
	size_t num_regs;
	uint64_t count; /* stop after this many (0: never) */
	uint64_t seen;
	uint32_t source;
	bool has_source;
	bool stopping;
	bool stats; /* --stats: print the counters at the end */
	/* Events that could not be enabled (other than unsupported ones while
	 * listening to everything): warnings, or the failure if none could. */
	struct monitor_fail {
		const struct cli_event_desc *desc;
		struct cli_err err;
	} fails[16];
	size_t num_fails;
};

static void monitor_stop(struct monitor *m)
{
	if (m->stopping)
		return;
	m->stopping = true;
	uv_stop(&m->loop); /* the handle's async keeps the loop alive */
}

static void monitor_print(struct monitor_reg *r, const void *report)
{
	const struct cli_event_desc *d = r->desc;
	uint64_t ts = ((const struct scmi_event_hdr *)report)->timestamp;
	uint32_t src = d->source(report);
	char line[1024];

	if (r->m->cli->json) {
		struct json_object *o = d->to_json(report);

		json_object_object_add(o, "timestamp_ns", json_object_new_uint64(ts));
		json_object_object_add(o, "protocol",
				       json_object_new_string(scmi_protocol_name(d->proto)));
		json_object_object_add(o, "event", json_object_new_string(d->name));
		if (d->per_source)
			json_object_object_add(o, "source", json_object_new_int64(src));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		d->format(report, line, sizeof(line));
		if (d->per_source)
			printf("[%5" PRIu64 ".%06" PRIu64 "] %s %s source=%" PRIu32 " %s\n",
			       ts / 1000000000u, ts / 1000u % 1000000u,
			       scmi_protocol_name(d->proto), d->name, src, line);
		else
			printf("[%5" PRIu64 ".%06" PRIu64 "] %s %s %s\n", ts / 1000000000u,
			       ts / 1000u % 1000000u, scmi_protocol_name(d->proto), d->name, line);
	}
	fflush(stdout);
}

static int monitor_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct monitor_reg *r = scmi_container_of(nb, struct monitor_reg, nb);
	struct monitor *m = r->m;

	if (m->stopping)
		return SCMI_NOTIFY_DONE;
	monitor_print(r, report);
	if (m->count && ++m->seen >= m->count)
		monitor_stop(m);
	return SCMI_NOTIFY_OK;
}

static void monitor_signal(uv_signal_t *s, int signum)
{
	monitor_stop(s->data);
}

static void monitor_timeout(uv_timer_t *t)
{
	monitor_stop(t->data);
}

/* Does the platform implement @proto in a way libscmi can use? */
static bool protocol_usable(const struct scmi_handle *h, uint8_t proto)
{
	if (proto == SCMI_PROTOCOL_BASE)
		return true;
	for (unsigned int i = 0; i < h->version->num_protocols; i++)
		if (h->version->protocols[i].id == proto)
			return h->version->protocols[i].supported;
	return false;
}

static int protocol_by_name(const char *s, int *proto)
{
	uint32_t v;

	for (int id = SCMI_PROTOCOL_BASE; id <= SCMI_PROTOCOL_PINCTRL; id++) {
		if (!strcmp(s, scmi_protocol_name((uint8_t)id))) {
			*proto = id;
			return 0;
		}
	}
	if (cli_parse_u32(s, &v) || v < SCMI_PROTOCOL_BASE || v > 0xff)
		return -EINVAL;
	*proto = (int)v;
	return 0;
}

static bool event_matches(const struct cli_event_desc *d, int proto, const char *event)
{
	uint32_t id;

	if (proto >= 0 && d->proto != proto)
		return false;
	if (!event)
		return true;
	if (!strcmp(event, d->name))
		return true;
	return !cli_parse_u32(event, &id) && id == d->evt;
}

/* Register every matching event; returns how many were registered. */
static size_t monitor_register(struct monitor *m, int proto, const char *event)
{
	const struct scmi_handle *h = m->cli->h;
	size_t n = 0, ok = 0;

	for (size_t i = 0; cli_all_events[i]; i++)
		n += cli_all_events[i]->n;
	m->regs = calloc(n ? n : 1, sizeof(*m->regs));
	if (!m->regs)
		return 0;
	for (size_t i = 0; cli_all_events[i]; i++) {
		for (size_t j = 0; j < cli_all_events[i]->n; j++) {
			const struct cli_event_desc *d = &cli_all_events[i]->descs[j];
			struct monitor_reg *r = &m->regs[m->num_regs];
			const uint32_t *src = NULL;
			int ret;

			if (!event_matches(d, proto, event) || !protocol_usable(h, d->proto))
				continue;
			if (m->has_source && d->per_source)
				src = &m->source;
			r->nb.notifier_call = monitor_cb;
			r->desc = d;
			r->m = m;
			r->all_sources = src == NULL;
			ret = h->notify_ops->event_notifier_register(h, d->proto, d->evt, src,
								     &r->nb);
			if (ret) {
				struct cli_err e = cli_err_now(ret);

				/* Listening to everything: skip what this platform lacks. */
				if ((event || !cli_err_unsupported(&e)) &&
				    m->num_fails < sizeof(m->fails) / sizeof(m->fails[0]))
					m->fails[m->num_fails++] = (struct monitor_fail){d, e};
				continue;
			}
			r->registered = true;
			m->num_regs++;
			ok++;
		}
	}
	return ok;
}

static void monitor_unregister(struct monitor *m)
{
	const struct scmi_handle *h = m->cli->h;

	for (size_t i = 0; i < m->num_regs; i++) {
		struct monitor_reg *r = &m->regs[i];

		if (r->registered)
			h->notify_ops->event_notifier_unregister(h, r->desc->proto, r->desc->evt,
								 r->all_sources ? NULL : &m->source,
								 &r->nb);
	}
}

/* Events that could not be enabled: one failure line when none could (the
 * first reason), else one warning line each (the rest are listened to). */
static int monitor_report(struct monitor *m, bool none)
{
	char what[96], text[128];

	if (none && !m->num_fails)
		return cli_failf(m->cli, "monitor: no event to listen to on this platform");
	for (size_t i = 0; i < m->num_fails; i++) {
		const struct cli_event_desc *d = m->fails[i].desc;

		snprintf(what, sizeof(what), "monitor: %s %s", scmi_protocol_name(d->proto),
			 d->name);
		if (none)
			return cli_fail_err(m->cli, what, &m->fails[i].err);
		fprintf(stderr, "%s: %s: %s (not listened to)\n", m->cli->prog, what,
			cli_err_text(&m->fails[i].err, text, sizeof(text)));
	}
	return CLI_EXIT_OK;
}

static int monitor_loop(struct monitor *m, int proto, const char *event, uint64_t timeout_ms)
{
	int ret;

	m->cli->cfg.loop = &m->loop;
	ret = cli_open(m->cli);
	if (ret)
		return ret;
	if (!monitor_register(m, proto, event)) {
		ret = monitor_report(m, true);
		goto out;
	}
	monitor_report(m, false);
	uv_signal_init(&m->loop, &m->sigint);
	uv_signal_init(&m->loop, &m->sigterm);
	uv_timer_init(&m->loop, &m->timer);
	m->sigint.data = m->sigterm.data = m->timer.data = m;
	uv_signal_start(&m->sigint, monitor_signal, SIGINT);
	uv_signal_start(&m->sigterm, monitor_signal, SIGTERM);
	if (timeout_ms)
		uv_timer_start(&m->timer, monitor_timeout, timeout_ms, 0);
	uv_run(&m->loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&m->sigint, NULL);
	uv_close((uv_handle_t *)&m->sigterm, NULL);
	uv_close((uv_handle_t *)&m->timer, NULL);
	ret = CLI_EXIT_OK;
	if (m->stats)
		ret = cli_stats_print(m->cli, true);
out:
	monitor_unregister(m);
	scmi_close(m->cli->h);
	m->cli->h = NULL;
	return ret;
}

static void monitor_help(const struct cli *cli)
{
	cli_help(cli, &cli_cmd_monitor);
	printf("\nEvents (PROTOCOL: EVENT...; \"*\": per source, --source applies):\n");
	for (size_t i = 0; cli_all_events[i]; i++) {
		const struct cli_events *ev = cli_all_events[i];

		if (!ev->n)
			continue;
		printf("  %-9s", scmi_protocol_name(ev->descs[0].proto));
		for (size_t j = 0; j < ev->n; j++)
			printf(" %s%s", ev->descs[j].name, ev->descs[j].per_source ? "*" : "");
		printf("\n");
	}
}

static int monitor_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"protocol", required_argument, NULL, 'p'}, {"event", required_argument, NULL, 'e'},
		{"source", required_argument, NULL, 's'},   {"count", required_argument, NULL, 'n'},
		{"timeout", required_argument, NULL, 't'},  {"stats", no_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},	    {NULL, 0, NULL, 0},
	};
	struct monitor m = {.cli = cli};
	const char *event = NULL;
	int64_t timeout_ms = 0;
	int c, proto = -1, ret;

	while ((c = cli_getopt(cli, argc, argv, "p:e:s:n:t:Sh", opts)) != -1) {
		switch (c) {
		case 'p':
			if (protocol_by_name(optarg, &proto))
				return cli_usage_error(cli, &cli_cmd_monitor,
						       "unknown protocol '%s'", optarg);
			break;
		case 'e':
			event = optarg;
			break;
		case 's':
			if (cli_parse_u32(optarg, &m.source))
				return cli_usage_error(cli, &cli_cmd_monitor, "bad --source '%s'",
						       optarg);
			m.has_source = true;
			break;
		case 'n':
			if (cli_parse_u64(optarg, &m.count) || !m.count)
				return cli_usage_error(cli, &cli_cmd_monitor, "bad --count '%s'",
						       optarg);
			break;
		case 't':
			ret = cli_arg_quantity(cli, &cli_cmd_monitor, "--timeout", optarg, CLI_TIME,
					       0, -3, 0, INT32_MAX, &timeout_ms);
			if (ret)
				return ret;
			break;
		case 'S':
			m.stats = true;
			break;
		case 'h':
			monitor_help(cli);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error(cli, &cli_cmd_monitor, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, &cli_cmd_monitor, "unexpected argument '%s'",
				       argv[optind]);
	if (event) {
		bool known = false;

		for (size_t i = 0; cli_all_events[i]; i++)
			for (size_t j = 0; j < cli_all_events[i]->n; j++)
				known |= event_matches(&cli_all_events[i]->descs[j], proto, event);
		if (!known)
			return cli_usage_error(cli, &cli_cmd_monitor, "unknown event '%s'", event);
	}
	uv_loop_init(&m.loop);
	ret = monitor_loop(&m, proto, event, (uint64_t)timeout_ms);
	/* Let the handles closed above (and the handle's own) finish. */
	uv_run(&m.loop, UV_RUN_DEFAULT);
	uv_loop_close(&m.loop);
	free(m.regs);
	return ret;
}

const struct cli_cmd cli_cmd_monitor = {
	.name = "monitor",
	.args = "[--protocol P] [--event E] [--source N] [--count N] [--timeout TIME] [--stats]",
	.help = "print platform notifications as they arrive (Ctrl-C to stop)",
	.run = monitor_run,
	.verbs = "  --protocol P                    only protocol P (a name or number)\n"
		 "  --event E                       only event E (a name below, or a number)\n"
		 "  --source N                      only source N (domain, clock, sensor... id)\n"
		 "  --count N                       stop after N events\n"
		 "  --timeout TIME                  stop after TIME (seconds, or 500ms)\n"
		 "  --stats                         print the counters at the end, as stats\n",
	.notes = "With --json, one object per line: the report's fields, \"timestamp_ns\",\n"
		 "\"protocol\", \"event\" and (per source) \"source\"; with --stats a last\n"
		 "line {\"stats\": {...}}.\n",
};

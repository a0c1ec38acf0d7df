// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi power: power domains.
 *
 *   scmi power list [--json]
 *   scmi power get DOMAIN [--json]
 *   scmi power set DOMAIN STATE [--async] [--json]
 *
 * DOMAIN is an id or a domain name; STATE is "on", "off" or a raw
 * power_state word (b30 context lost, b[27:0] state id).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"

struct power_args {
	bool async;
	const char *domain;
	const char *state;
};

/* "on", "off", or "0x00000001 (id 1, context kept)". */
static const char *power_state_str(uint32_t state, char *buf, size_t size)
{
	if (state == SCMI_POWER_STATE_ON)
		return "on";
	if (state == SCMI_POWER_STATE_OFF)
		return "off";
	snprintf(buf, size, "0x%08" PRIx32 " (id %" PRIu32 ", context %s)", state,
		 SCMI_POWER_STATE_ID_OF(state),
		 SCMI_POWER_STATE_IS_CONTEXT_LOSS(state) ? "lost" : "kept");
	return buf;
}

static int power_parse_state(const char *s, uint32_t *state)
{
	if (!strcmp(s, "on")) {
		*state = SCMI_POWER_STATE_ON;
		return 0;
	}
	if (!strcmp(s, "off")) {
		*state = SCMI_POWER_STATE_OFF;
		return 0;
	}
	if (cli_parse_u32(s, state) || !SCMI_POWER_STATE_IS_VALID(*state))
		return -EINVAL;
	return 0;
}

/* A domain by id or by name; -ENOENT if there is none. */
static int power_find_domain(const struct scmi_handle *h, const char *arg, uint32_t *id)
{
	const struct scmi_power_domain_info *d;
	int n = h->power_ops->count_get(h);

	if (n < 0)
		return n;
	if (!cli_parse_u32(arg, id))
		return *id < (uint32_t)n ? 0 : -ENOENT;
	for (int i = 0; i < n; i++) {
		if (!h->power_ops->info_get(h, (uint32_t)i, &d) && d->usable &&
		    !strcmp(d->name, arg)) {
			*id = (uint32_t)i;
			return 0;
		}
	}
	return -ENOENT;
}

static struct json_object *power_state_json(uint32_t state)
{
	char buf[64];

	return json_object_new_string(power_state_str(state, buf, sizeof(buf)));
}

static struct json_object *power_domain_json(const struct scmi_power_domain_info *d,
					     const struct cli_err *err, uint32_t state)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(d->id));
	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "usable", json_object_new_boolean(d->usable));
	if (!d->usable) {
		/* Nothing known but its id (and why). */
		json_object_object_add(o, "disabled", cli_disabled_json(d->err));
		return o;
	}
	if (err->err) {
		json_object_object_add(o, "state", NULL);
		json_object_object_add(o, "error", cli_err_json(err));
	} else {
		json_object_object_add(o, "state", json_object_new_int64(state));
		json_object_object_add(o, "state_name", power_state_json(state));
	}
	json_object_object_add(o, "notify", json_object_new_boolean(d->state_change_notify));
	json_object_object_add(o, "async", json_object_new_boolean(d->state_set_async));
	json_object_object_add(o, "sync", json_object_new_boolean(d->state_set_sync));
	json_object_object_add(o, "extended_name", json_object_new_boolean(d->extended_name));
	return o;
}

static void power_flags_str(const struct scmi_power_domain_info *d, char *buf, size_t size)
{
	const char *sep = "";
	size_t n = 0;

	buf[0] = '\0';
	if (d->state_set_sync) {
		n += (size_t)snprintf(buf + n, size - n, "%ssync", sep);
		sep = ",";
	}
	if (d->state_set_async) {
		n += (size_t)snprintf(buf + n, size - n, "%sasync", sep);
		sep = ",";
	}
	if (d->state_change_notify)
		snprintf(buf + n, size - n, "%snotify", sep);
	if (!buf[0])
		snprintf(buf, size, "read-only");
}

static int power_list(struct cli *cli)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_power_info *info;
	static const struct cli_column cols[] = {
		{"ID", true}, {"NAME", false}, {"STATE", false}, {"SUPPORTS", false}};
	struct json_object *o = NULL, *doms = NULL;
	struct cli_table *t = NULL;
	char vbuf[16], sbuf[128], fbuf[32], id[12];
	int ret;

	ret = h->power_ops->protocol_info_get(h, &info);
	if (ret)
		return cli_fail(cli, "power", ret);
	if (cli->json) {
		o = json_object_new_object();
		doms = json_object_new_array();
		json_object_object_add(
			o, "version", json_object_new_string(cli_version_str(info->version, vbuf)));
		json_object_object_add(o, "num_domains", json_object_new_int64(info->num_domains));
		json_object_object_add(o, "stats_address",
				       json_object_new_int64((int64_t)info->stats_addr));
		json_object_object_add(o, "stats_length", json_object_new_int64(info->stats_len));
	} else {
		printf("power protocol %s, %u domains", cli_version_str(info->version, vbuf),
		       info->num_domains);
		if (info->stats_len)
			printf(", statistics: %" PRIu32 " bytes at 0x%" PRIx64, info->stats_len,
			       info->stats_addr);
		printf("\n");
		t = CLI_TABLE(cols);
	}
	for (unsigned int i = 0; i < info->num_domains; i++) {
		const struct scmi_power_domain_info *d;
		struct cli_err err;
		uint32_t state = 0;

		ret = h->power_ops->info_get(h, i, &d);
		if (ret) {
			json_object_put(o);
			json_object_put(doms);
			if (t)
				cli_table_print(t);
			return cli_fail(cli, "power list", ret);
		}
		snprintf(id, sizeof(id), "%u", i);
		if (!d->usable) {
			if (cli->json)
				json_object_array_add(doms, power_domain_json(d, NULL, 0));
			else
				cli_table_add(t, id, "?",
					      cli_disabled_text(d->err, sbuf, sizeof(sbuf)), NULL);
			continue;
		}
		err = cli_err_now(h->power_ops->state_get(h, i, &state));
		if (cli->json) {
			json_object_array_add(doms, power_domain_json(d, &err, state));
			continue;
		}
		power_flags_str(d, fbuf, sizeof(fbuf));
		cli_table_add(t, id, d->name,
			      err.err ? cli_err_text(&err, sbuf, sizeof(sbuf))
				      : power_state_str(state, sbuf, sizeof(sbuf)),
			      fbuf);
	}
	if (cli->json) {
		json_object_object_add(o, "domains", doms);
		cli_json_print(o);
	} else {
		cli_table_print(t);
	}
	return CLI_EXIT_OK;
}

static int power_get(struct cli *cli, const struct power_args *a)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_power_domain_info *d;
	uint32_t id, state;
	struct cli_err ok = {0, SCMI_STATUS_NONE};
	char buf[64], fl[32];
	int ret;

	ret = power_find_domain(h, a->domain, &id);
	if (ret == -ENOENT)
		return cli_failf(cli, "power: no domain '%s'", a->domain);
	if (!ret)
		ret = h->power_ops->info_get(h, id, &d);
	if (!ret)
		ret = h->power_ops->state_get(h, id, &state);
	if (ret)
		return cli_fail(cli, "power get", ret);
	if (cli->json) {
		cli_json_print(power_domain_json(d, &ok, state));
		return CLI_EXIT_OK;
	}
	power_flags_str(d, fl, sizeof(fl));
	cli_kv("id", "%" PRIu32, id);
	cli_kv("name", "%s", d->name);
	cli_kv("state", "%s", power_state_str(state, buf, sizeof(buf)));
	cli_kv("supports", "%s", fl);
	return CLI_EXIT_OK;
}

static int power_set(struct cli *cli, const struct power_args *a, uint32_t state)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_power_domain_info *d;
	uint32_t id;
	int ret;

	ret = power_find_domain(h, a->domain, &id);
	if (ret == -ENOENT)
		return cli_failf(cli, "power: no domain '%s'", a->domain);
	if (!ret)
		ret = h->power_ops->info_get(h, id, &d);
	if (!ret)
		ret = a->async ? h->power_ops->state_set_async(h, id, state)
			       : h->power_ops->state_set(h, id, state);
	if (ret)
		return cli_fail(cli, "power set", ret);
	/* The state read back (after --async, possibly still the old one). */
	return power_get(cli, a);
}

static int power_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"async", no_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const verbs[] = {"list", "get", "set", NULL};
	static const int nargs[] = {0, 1, 2};
	struct power_args a = {0};
	uint32_t state = 0;
	int c, verb, ret;

	while ((c = cli_getopt(cli, argc, argv, "ah", opts)) != -1) {
		switch (c) {
		case 'a':
			a.async = true;
			break;
		case 'h':
			cli_help(cli, &cli_cmd_power);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error(cli, &cli_cmd_power, "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage_error(cli, &cli_cmd_power, "missing list, get or set");
	verb = cli_word(argv[optind], verbs);
	if (verb < 0)
		return cli_usage_error(cli, &cli_cmd_power, "unknown verb '%s'", argv[optind]);
	if (argc - optind - 1 != nargs[verb])
		return cli_usage_error(cli, &cli_cmd_power, "%s takes %d argument%s", verbs[verb],
				       nargs[verb], nargs[verb] == 1 ? "" : "s");
	if (a.async && verb != 2)
		return cli_usage_error(cli, &cli_cmd_power, "--async applies to set only");
	if (nargs[verb] >= 1)
		a.domain = argv[optind + 1];
	if (nargs[verb] >= 2) {
		a.state = argv[optind + 2];
		if (power_parse_state(a.state, &state))
			return cli_usage_error(cli, &cli_cmd_power, "bad power state '%s'",
					       a.state);
	}

	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->power_ops)
		return cli_no_protocol(cli, "power");
	switch (verb) {
	case 0:
		return power_list(cli);
	case 1:
		return power_get(cli, &a);
	default:
		return power_set(cli, &a, state);
	}
}

const struct cli_cmd cli_cmd_power = {
	.name = "power",
	.args = "list | get DOMAIN | set DOMAIN STATE [--async]",
	.help = "power domains: list, get or set their state",
	.run = power_run,
	.verbs = "  list                            every domain: state and what it supports\n"
		 "  get DOMAIN                      one domain's state\n"
		 "  set DOMAIN STATE [--async]      change it (on, off, or a raw state word),\n"
		 "                                  then print the state read back\n",
	.notes = "DOMAIN is an id or a name.  set waits for the change to complete; --async\n"
		 "returns once the platform accepted it (domains with async support only).\n",
};

/* ---- events for scmi monitor ------------------------------------------------ */

static uint32_t power_evt_source(const void *report)
{
	return ((const struct scmi_power_state_changed_report *)report)->domain_id;
}

static uint32_t power_req_source(const void *report)
{
	return ((const struct scmi_power_state_change_requested_report *)report)->domain_id;
}

static void power_evt_format(const void *report, char *buf, size_t size)
{
	const struct scmi_power_state_changed_report *r = report;
	char sbuf[64];

	snprintf(buf, size, "domain %" PRIu32 " state %s (agent %" PRIu32 ")", r->domain_id,
		 power_state_str(r->power_state, sbuf, sizeof(sbuf)), r->agent_id);
}

static void power_req_format(const void *report, char *buf, size_t size)
{
	const struct scmi_power_state_change_requested_report *r = report;
	char sbuf[64];

	snprintf(buf, size, "domain %" PRIu32 " state %s requested by agent %" PRIu32, r->domain_id,
		 power_state_str(r->power_state, sbuf, sizeof(sbuf)), r->agent_id);
}

static struct json_object *power_evt_json(const void *report)
{
	const struct scmi_power_state_changed_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "domain_id", json_object_new_int64(r->domain_id));
	json_object_object_add(o, "power_state", json_object_new_int64(r->power_state));
	json_object_object_add(o, "state_name", power_state_json(r->power_state));
	return o;
}

static struct json_object *power_req_json(const void *report)
{
	const struct scmi_power_state_change_requested_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "domain_id", json_object_new_int64(r->domain_id));
	json_object_object_add(o, "power_state", json_object_new_int64(r->power_state));
	json_object_object_add(o, "state_name", power_state_json(r->power_state));
	return o;
}

static const struct cli_event_desc power_event_descs[] = {
	{
		.proto = SCMI_PROTOCOL_POWER,
		.evt = SCMI_EVENT_POWER_STATE_CHANGED,
		.name = "state_changed",
		.per_source = true,
		.source = power_evt_source,
		.format = power_evt_format,
		.to_json = power_evt_json,
	},
	{
		.proto = SCMI_PROTOCOL_POWER,
		.evt = SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED,
		.name = "state_change_requested",
		.per_source = true,
		.source = power_req_source,
		.format = power_req_format,
		.to_json = power_req_json,
	},
};

const struct cli_events cli_power_events = {
	power_event_descs,
	sizeof(power_event_descs) / sizeof(power_event_descs[0]),
};

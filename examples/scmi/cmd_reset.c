// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi reset: the reset domain management protocol.
 *
 *   scmi reset list
 *   scmi reset assert DOMAIN [--state STATE]
 *   scmi reset deassert DOMAIN [--state STATE]
 *   scmi reset toggle DOMAIN [--state STATE] [--async|--sync]
 *
 * DOMAIN is an id or a name.  STATE is "cold" (the default), "impl:N" for
 * implementation-defined reset state N, or a raw reset_state word.
 * "toggle" is an autonomous reset: the platform asserts and de-asserts the
 * reset itself (asynchronously when the domain supports it, unless --sync).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum reset_verb {
	VERB_LIST,
	VERB_ASSERT,
	VERB_DEASSERT,
	VERB_TOGGLE
};

static const char *const reset_verbs[] = {"list", "assert", "deassert", "toggle", NULL};
static const char *const reset_verb_done[] = {"", "asserted", "deasserted", "reset"};

struct reset_args {
	enum reset_verb verb;
	const char *domain; /* id or name, resolved once the handle is open */
	uint32_t state;
	enum scmi_reset_mode mode;
};

/* "cold", "impl:N" or a raw 32-bit reset_state. */
static int parse_state(const char *s, uint32_t *out)
{
	uint32_t id;

	if (!strcmp(s, "cold")) {
		*out = SCMI_RESET_STATE_COLD;
		return 0;
	}
	if (!strncmp(s, "impl:", 5)) {
		if (cli_parse_u32(s + 5, &id) || id > SCMI_RESET_STATE_ID_MASK)
			return -EINVAL;
		*out = SCMI_RESET_STATE_IMPL(id);
		return 0;
	}
	return cli_parse_u32(s, out);
}

/* 0 to run, CLI_EXIT_USAGE, or -1 when help was printed.  Options may
 * come anywhere after "reset"; they are checked once the verb is known. */
static int reset_parse(struct cli *cli, int argc, char **argv, struct reset_args *a)
{
	static const struct option opts[] = {
		{"state", required_argument, NULL, 's'},
		{"async", no_argument, NULL, 'a'},
		{"sync", no_argument, NULL, 'y'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *state = NULL;
	int c, verb, modes = 0;

	a->mode = SCMI_RESET_AUTO;
	while ((c = cli_getopt(cli, argc, argv, "s:h", opts)) != -1) {
		switch (c) {
		case 's':
			state = optarg;
			break;
		case 'a':
		case 'y':
			a->mode = c == 'a' ? SCMI_RESET_ASYNC : SCMI_RESET_SYNC;
			modes++;
			break;
		case 'h':
			cli_help(cli, &cli_cmd_reset);
			return -1;
		default:
			return cli_usage_error(cli, &cli_cmd_reset, "unknown option");
		}
	}
	verb = optind < argc ? cli_word(argv[optind], reset_verbs) : -1;
	if (verb < 0)
		return cli_usage_error(cli, &cli_cmd_reset,
				       "expected one of list, assert, deassert, toggle");
	a->verb = (enum reset_verb)verb;
	optind++;
	if (modes && (a->verb != VERB_TOGGLE || modes > 1))
		return cli_usage_error(cli, &cli_cmd_reset, "--async/--sync go with toggle, once");
	a->state = SCMI_RESET_STATE_COLD;
	if (state && (a->verb == VERB_LIST || parse_state(state, &a->state)))
		return cli_bad_value(cli, &cli_cmd_reset, "--state", state,
				     a->verb == VERB_LIST ? "not with list"
							  : "not cold, impl:N or a number");
	if (argc - optind != (a->verb == VERB_LIST ? 0 : 1))
		return cli_usage_error(cli, &cli_cmd_reset, "%s takes %s", reset_verbs[a->verb],
				       a->verb == VERB_LIST ? "no argument" : "one DOMAIN");
	a->domain = a->verb == VERB_LIST ? NULL : argv[optind];
	return 0;
}

/* DOMAIN as an id, else as a name. */
static int resolve_domain(const struct scmi_handle *h, const char *s, uint32_t *id)
{
	const struct scmi_reset_domain_info *info;
	int n = h->reset_ops->count_get(h);

	if (n < 0)
		return n;
	if (!cli_parse_u32(s, id))
		return 0;
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		if (!h->reset_ops->info_get(h, i, &info) && info->usable &&
		    !strcmp(info->name, s)) {
			*id = i;
			return 0;
		}
	}
	return -ENOENT;
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static struct json_object *domain_json(const struct scmi_reset_domain_info *info)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(info->id));
	json_object_object_add(o, "name", json_object_new_string(info->name));
	json_object_object_add(o, "usable", json_object_new_boolean(info->usable));
	if (!info->usable) {
		/* Nothing known but its id (and why). */
		json_object_object_add(o, "disabled", cli_disabled_json(info->err));
		return o;
	}
	json_object_object_add(o, "latency_us",
			       info->latency_us == SCMI_RESET_LATENCY_UNKNOWN
				       ? NULL
				       : json_object_new_int64(info->latency_us));
	json_object_object_add(o, "async_reset", json_object_new_boolean(info->async_reset));
	json_object_object_add(o, "notifications", json_object_new_boolean(info->notifications));
	json_object_object_add(o, "extended_name", json_object_new_boolean(info->extended_name));
	return o;
}

static int reset_list(struct cli *cli)
{
	static const struct cli_column cols[] = {{"ID", true},
						 {"NAME", false},
						 {"LATENCY", true},
						 {"ASYNC", false},
						 {"NOTIFY", false}};
	const struct scmi_handle *h = cli->h;
	struct json_object *arr = NULL;
	struct cli_table *t = NULL;
	int n = h->reset_ops->count_get(h);

	if (n < 0)
		return cli_fail(cli, "reset", n);
	if (cli->json)
		arr = json_object_new_array();
	else
		t = CLI_TABLE(cols);
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		const struct scmi_reset_domain_info *info;
		char lat[24], id[12];
		int ret = h->reset_ops->info_get(h, i, &info);

		if (ret) {
			json_object_put(arr);
			if (t)
				cli_table_print(t);
			return cli_fail(cli, "reset domain", ret);
		}
		snprintf(id, sizeof(id), "%" PRIu32, info->id);
		if (arr) {
			json_object_array_add(arr, domain_json(info));
			continue;
		}
		if (!info->usable) {
			char why[160];

			cli_table_add(t, id, "?", cli_disabled_text(info->err, why, sizeof(why)),
				      NULL, NULL);
			continue;
		}
		if (info->latency_us == SCMI_RESET_LATENCY_UNKNOWN)
			snprintf(lat, sizeof(lat), "unknown");
		else
			snprintf(lat, sizeof(lat), "%" PRIu32 " us", info->latency_us);
		cli_table_add(t, id, info->name, lat, yes_no(info->async_reset),
			      yes_no(info->notifications));
	}
	if (t)
		cli_table_print(t);
	if (arr) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "domains", arr);
		cli_json_print(o);
	}
	return CLI_EXIT_OK;
}

static const char *state_str(uint32_t state, char buf[32])
{
	if (state == SCMI_RESET_STATE_COLD)
		return "cold";
	if (state & SCMI_RESET_STATE_IMPL_DEFINED)
		snprintf(buf, 32, "impl:%" PRIu32, state & SCMI_RESET_STATE_ID_MASK);
	else
		snprintf(buf, 32, "0x%08" PRIx32, state);
	return buf;
}

static int reset_act(struct cli *cli, const struct reset_args *a)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_reset_domain_info *info;
	uint32_t id;
	bool async = false;
	char buf[32];
	int ret;

	ret = resolve_domain(h, a->domain, &id);
	if (ret == -ENOENT)
		return cli_failf(cli, "reset: no domain '%s'", a->domain);
	if (!ret)
		ret = h->reset_ops->info_get(h, id, &info);
	if (ret)
		return cli_fail(cli, "reset domain", ret);
	switch (a->verb) {
	case VERB_ASSERT:
		ret = h->reset_ops->reset_assert(h, id, a->state);
		break;
	case VERB_DEASSERT:
		ret = h->reset_ops->reset_deassert(h, id, a->state);
		break;
	default:
		async = a->mode != SCMI_RESET_SYNC && info->async_reset;
		ret = h->reset_ops->reset(h, id, a->state, a->mode);
		break;
	}
	if (ret) {
		char what[32];

		snprintf(what, sizeof(what), "reset %s", reset_verbs[a->verb]);
		return cli_fail(cli, what, ret);
	}
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(id));
		json_object_object_add(o, "name", json_object_new_string(info->name));
		json_object_object_add(o, "action", json_object_new_string(reset_verbs[a->verb]));
		json_object_object_add(o, "reset_state", json_object_new_int64(a->state));
		if (a->verb == VERB_TOGGLE)
			json_object_object_add(o, "async", json_object_new_boolean(async));
		cli_json_print(o);
	} else {
		cli_kv("id", "%" PRIu32, id);
		cli_kv("name", "%s", info->name);
		cli_kv("action", "%s (%s%s)", reset_verb_done[a->verb], state_str(a->state, buf),
		       async ? ", async" : "");
	}
	return CLI_EXIT_OK;
}

static int reset_run(struct cli *cli, int argc, char **argv)
{
	struct reset_args a = {0};
	int ret = reset_parse(cli, argc, argv, &a);

	if (ret)
		return ret < 0 ? CLI_EXIT_OK : ret;
	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->reset_ops)
		return cli_no_protocol(cli, "reset");
	return a.verb == VERB_LIST ? reset_list(cli) : reset_act(cli, &a);
}

const struct cli_cmd cli_cmd_reset = {
	.name = "reset",
	.args = "list | assert DOMAIN | deassert DOMAIN | toggle DOMAIN [--state S] "
		"[--async|--sync]",
	.help = "reset domains: list, assert, deassert, autonomous reset",
	.run = reset_run,
	.verbs = "  list                            every reset domain and its attributes\n"
		 "  assert DOMAIN [--state S]       hold the domain in reset\n"
		 "  deassert DOMAIN [--state S]     release it\n"
		 "  toggle DOMAIN [--state S]       autonomous reset (assert, then de-assert)\n"
		 "      --async | --sync            force the asynchronous or synchronous form\n"
		 "                                  (default: asynchronous when supported)\n",
	.notes = "DOMAIN: id or name.  S: cold (default), impl:N, or a raw reset_state.  SCMI\n"
		 "has no command to read a reset state back: the actions print what was done.\n",
};

/* ---- scmi monitor ---------------------------------------------------------- */

static uint32_t reset_evt_source(const void *report)
{
	return ((const struct scmi_reset_issued_report *)report)->domain_id;
}

static void reset_evt_format(const void *report, char *buf, size_t size)
{
	const struct scmi_reset_issued_report *r = report;
	char st[32];

	snprintf(buf, size, "domain %" PRIu32 " reset (%s) by agent %" PRIu32, r->domain_id,
		 state_str(r->reset_state, st), r->agent_id);
}

static struct json_object *reset_evt_json(const void *report)
{
	const struct scmi_reset_issued_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "domain_id", json_object_new_int64(r->domain_id));
	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "reset_state", json_object_new_int64(r->reset_state));
	return o;
}

static const struct cli_event_desc reset_event_descs[] = {
	{SCMI_PROTOCOL_RESET, SCMI_EVENT_RESET_ISSUED, "reset_issued", true, reset_evt_source,
	 reset_evt_format, reset_evt_json},
};

const struct cli_events cli_reset_events = {
	reset_event_descs,
	sizeof(reset_event_descs) / sizeof(reset_event_descs[0]),
};

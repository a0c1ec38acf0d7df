// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi clock: the clock management protocol.
 *
 *   scmi clock list
 *   scmi clock get ID
 *   scmi clock set ID RATE [--round up|down|closest] [--async [--no-wait]]
 *   scmi clock enable ID
 *   scmi clock disable ID
 *   scmi clock rates ID
 *
 * RATE is in Hz, or with a unit: Hz, kHz, MHz, GHz, or k, M, G alone
 * (1.2GHz, 1200M).  Options may come anywhere after "clock".
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum clock_verb {
	VERB_LIST,
	VERB_GET,
	VERB_SET,
	VERB_ENABLE,
	VERB_DISABLE,
	VERB_RATES
};

static const char *const clock_verbs[] = {"list", "get", "set", "enable", "disable", "rates", NULL};

/* Arguments after the verb, other than options. */
static const unsigned int verb_nargs[] = {0, 1, 2, 1, 1, 1};

struct clock_args {
	enum clock_verb verb;
	uint32_t id;
	uint64_t rate;
	uint32_t flags;
};

/* Options given, checked against the verb once it is known. */
struct clock_opts {
	bool round, async, no_wait;
	int rounding;
};

static int clock_options(struct cli *cli, int argc, char **argv, struct clock_opts *o)
{
	static const struct option opts[] = {
		{"round", required_argument, NULL, 'r'},
		{"async", no_argument, NULL, 'a'},
		{"no-wait", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const rounds[] = {"down", "up", "closest", NULL};
	int c;

	while ((c = cli_getopt(cli, argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'h':
			cli_help(cli, &cli_cmd_clock);
			return -1;
		case 'r':
			o->round = true;
			o->rounding = cli_word(optarg, rounds);
			if (o->rounding < 0)
				return cli_bad_value(cli, &cli_cmd_clock, "--round", optarg,
						     "not up, down or closest");
			break;
		case 'a':
			o->async = true;
			break;
		case 'n':
			o->no_wait = true;
			break;
		default:
			return cli_usage_error(cli, &cli_cmd_clock, "unknown option");
		}
	}
	return 0;
}

static int clock_parse(struct cli *cli, int argc, char **argv, struct clock_args *a)
{
	struct clock_opts o = {0};
	int64_t rate;
	int verb, ret;
	char **pos;

	ret = clock_options(cli, argc, argv, &o);
	if (ret)
		return ret;
	if (optind >= argc)
		return cli_usage_error(cli, &cli_cmd_clock, "missing verb");
	verb = cli_word(argv[optind], clock_verbs);
	if (verb < 0)
		return cli_usage_error(cli, &cli_cmd_clock, "unknown verb '%s'", argv[optind]);
	a->verb = (enum clock_verb)verb;
	if ((o.round || o.async || o.no_wait) && a->verb != VERB_SET)
		return cli_usage_error(cli, &cli_cmd_clock,
				       "--round, --async and --no-wait go with set");
	if (o.no_wait && !o.async)
		return cli_usage_error(cli, &cli_cmd_clock, "--no-wait needs --async");
	if (o.rounding == 1)
		a->flags |= SCMI_CLOCK_RATE_ROUND_UP;
	else if (o.rounding == 2)
		a->flags |= SCMI_CLOCK_RATE_ROUND_CLOSEST;
	a->flags |=
		(o.async ? SCMI_CLOCK_RATE_ASYNC : 0) | (o.no_wait ? SCMI_CLOCK_RATE_NO_WAIT : 0);
	pos = argv + optind + 1;
	if ((unsigned int)(argc - optind - 1) != verb_nargs[verb])
		return cli_usage_error(cli, &cli_cmd_clock, "%s takes %u argument(s)",
				       clock_verbs[verb], verb_nargs[verb]);
	if (verb_nargs[verb] >= 1 && cli_parse_u32(pos[0], &a->id))
		return cli_usage_error(cli, &cli_cmd_clock, "bad clock id '%s'", pos[0]);
	if (verb_nargs[verb] >= 2) {
		ret = cli_arg_quantity(cli, &cli_cmd_clock, "RATE", pos[1], CLI_FREQUENCY, 0, 0, 0,
				       INT64_MAX, &rate);
		if (ret)
			return ret;
		a->rate = (uint64_t)rate;
	}
	return 0;
}

/* ---- output -------------------------------------------------------------- */

/* A clearer message than -EINVAL for an id the platform does not have. */
static int clock_check_id(struct cli *cli, uint32_t id)
{
	int n = cli->h->clock_ops->count_get(cli->h);

	if (n < 0)
		return cli_fail(cli, "clock", n);
	if (id >= (uint32_t)n)
		return cli_failf(cli, "clock %u: no such clock (the platform has %d)", id, n);
	return 0;
}

static struct json_object *json_u64(uint64_t v)
{
	/* json-c integers are signed 64-bit; clock rates fit easily. */
	return json_object_new_int64((int64_t)v);
}

static struct json_object *rates_json(const struct scmi_clock_info *ci)
{
	struct json_object *o = json_object_new_object();

	if (ci->rates_err) {
		struct cli_err e = cli_err_platform(ci->rates_err);

		json_object_object_add(o, "error", cli_err_json(&e));
		return o;
	}
	json_object_object_add(o, "format",
			       json_object_new_string(ci->rate_discrete ? "discrete" : "range"));
	if (ci->rate_discrete) {
		struct json_object *arr = json_object_new_array();

		for (unsigned int i = 0; i < ci->num_rates; i++)
			json_object_array_add(arr, json_u64(ci->rates[i]));
		json_object_object_add(o, "rates", arr);
	} else {
		json_object_object_add(o, "min", json_u64(ci->range.min_rate));
		json_object_object_add(o, "max", json_u64(ci->range.max_rate));
		json_object_object_add(o, "step", json_u64(ci->range.step_size));
	}
	return o;
}

/* "range 1000..2000 Hz, step 10 Hz" (no step when the platform gave none). */
static void range_text(const struct scmi_clock_info *ci, char *buf, size_t size)
{
	int n = snprintf(buf, size, "range %" PRIu64 "..%" PRIu64 " Hz", ci->range.min_rate,
			 ci->range.max_rate);

	if (ci->range.step_size && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", step %" PRIu64 " Hz", ci->range.step_size);
}

static void rates_text(const struct scmi_clock_info *ci)
{
	char buf[128];

	if (ci->rates_err) {
		struct cli_err e = cli_err_platform(ci->rates_err);

		printf("rates unknown (%s)\n", cli_err_text(&e, buf, sizeof(buf)));
		return;
	}
	if (!ci->rate_discrete) {
		range_text(ci, buf, sizeof(buf));
		printf("%s\n", buf);
		return;
	}
	for (unsigned int i = 0; i < ci->num_rates; i++)
		printf("%" PRIu64 "\n", ci->rates[i]);
}

/* "24 discrete" / "range" summary for tables. */
static void rates_summary(const struct scmi_clock_info *ci, char *buf, size_t size)
{
	if (ci->rates_err)
		snprintf(buf, size, "unknown");
	else if (ci->rate_discrete)
		snprintf(buf, size, "%u discrete", ci->num_rates);
	else
		snprintf(buf, size, "range");
}

struct clock_state {
	struct cli_err rate_err, state_err; /* .err 0: the value is valid */
	uint64_t rate;
	bool enabled;
};

static void clock_state_read(const struct scmi_handle *h, uint32_t id, struct clock_state *s)
{
	s->rate_err = cli_err_now(h->clock_ops->rate_get(h, id, &s->rate));
	s->state_err = cli_err_now(h->clock_ops->state_get(h, id, &s->enabled));
}

static struct json_object *clock_json(const struct scmi_clock_info *ci, const struct clock_state *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(ci->id));
	json_object_object_add(o, "name", json_object_new_string(ci->name));
	if (!s->state_err.err)
		json_object_object_add(o, "enabled", json_object_new_boolean(s->enabled));
	else
		json_object_object_add(o, "enabled_error", cli_err_json(&s->state_err));
	if (!s->rate_err.err)
		json_object_object_add(o, "rate", json_u64(s->rate));
	else
		json_object_object_add(o, "rate_error", cli_err_json(&s->rate_err));
	return o;
}

static int clock_list(struct cli *cli)
{
	const struct scmi_handle *h = cli->h;
	static const struct cli_column cols[] = {{"ID", true},
						 {"NAME", false},
						 {"STATE", false},
						 {"RATE (HZ)", true},
						 {"RATES", false}};
	struct json_object *arr = cli->json ? json_object_new_array() : NULL;
	struct cli_table *t = NULL;
	int n = h->clock_ops->count_get(h);

	if (n < 0) {
		json_object_put(arr);
		return cli_fail(cli, "clock list", n);
	}
	if (!cli->json)
		t = CLI_TABLE(cols);
	for (uint32_t id = 0; id < (uint32_t)n; id++) {
		const struct scmi_clock_info *ci;
		struct clock_state s;
		char sum[32], rate[24];
		int ret = h->clock_ops->info_get(h, id, &ci);

		if (ret) {
			json_object_put(arr);
			if (t)
				cli_table_print(t);
			return cli_fail(cli, "clock list", ret);
		}
		clock_state_read(h, id, &s);
		if (cli->json) {
			struct json_object *o = clock_json(ci, &s);

			json_object_object_add(o, "rates", rates_json(ci));
			json_object_array_add(arr, o);
			continue;
		}
		rates_summary(ci, sum, sizeof(sum));
		if (s.rate_err.err)
			snprintf(rate, sizeof(rate), "?");
		else
			snprintf(rate, sizeof(rate), "%" PRIu64, s.rate);
		cli_table_add(t, NULL, ci->attributes_err ? "?" : ci->name,
			      s.state_err.err ? "?"
			      : s.enabled     ? "on"
					      : "off",
			      rate, sum);
		cli_table_addf(t, 0, "%u", id);
	}
	if (t)
		cli_table_print(t);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "clocks", arr);
		cli_json_print(o);
	}
	return CLI_EXIT_OK;
}

struct clock_extra {
	struct cli_err parent_err, perms_err; /* .err 0: the value is valid */
	uint32_t parent;
	struct scmi_clock_permissions perms;
};

/* An optional part the platform lacks is left out; other failures show. */
static bool clock_omit(const struct cli_err *e)
{
	return e->err && cli_err_unsupported(e);
}

/* "name:            value" or "name:            (why not)". */
static void field_err(const char *name, const struct cli_err *e)
{
	char buf[128];

	printf("%-17s(%s)\n", name, cli_err_text(e, buf, sizeof(buf)));
}

static void clock_rates_line(const struct scmi_clock_info *ci)
{
	char buf[128];

	if (ci->rates_err) {
		struct cli_err e = cli_err_platform(ci->rates_err);

		field_err("rates:", &e);
	} else if (ci->rate_discrete) {
		printf("rates:           %u discrete, %" PRIu64 "..%" PRIu64 " Hz\n", ci->num_rates,
		       ci->min_rate, ci->max_rate);
	} else {
		range_text(ci, buf, sizeof(buf));
		printf("rates:           %s\n", buf);
	}
}

static void clock_parents_lines(const struct scmi_clock_info *ci, const struct clock_extra *x)
{
	if (!ci->parent_support)
		return;
	if (ci->parents_err) {
		struct cli_err e = cli_err_platform(ci->parents_err);

		if (!clock_omit(&e))
			field_err("parents:", &e);
	} else if (ci->num_parents) {
		printf("parents:        ");
		for (unsigned int i = 0; i < ci->num_parents; i++)
			printf(" %u", ci->parents[i]);
		printf("\n");
	}
	if (!x->parent_err.err)
		printf("parent:          %u\n", x->parent);
	else if (!clock_omit(&x->parent_err))
		field_err("parent:", &x->parent_err);
}

static void clock_get_text(const struct scmi_clock_info *ci, const struct clock_state *s,
			   const struct clock_extra *x)
{
	printf("id:              %u\n", ci->id);
	if (ci->attributes_err) {
		struct cli_err e = cli_err_platform(ci->attributes_err);

		field_err("name:", &e);
	} else {
		printf("name:            %s\n", ci->name);
	}
	if (s->state_err.err)
		field_err("state:", &s->state_err);
	else
		printf("state:           %s\n", s->enabled ? "on" : "off");
	if (s->rate_err.err)
		field_err("rate:", &s->rate_err);
	else
		printf("rate:            %" PRIu64 " Hz\n", s->rate);
	clock_rates_line(ci);
	if (ci->enable_latency_us)
		printf("enable latency:  %u us\n", ci->enable_latency_us);
	if (!ci->attributes_err)
		printf("notifications:   %s%s%s\n",
		       ci->rate_changed_notifications ? "rate_changed" : "",
		       ci->rate_changed_notifications && ci->rate_change_requested_notifications
			       ? " "
			       : "",
		       ci->rate_change_requested_notifications ? "rate_change_requested"
		       : ci->rate_changed_notifications	       ? ""
							       : "none");
	clock_parents_lines(ci, x);
	if (ci->extended_config)
		printf("OEM config:      supported\n");
	if (!x->perms_err.err)
		printf("permissions:     state %s, rate %s, parent %s\n",
		       x->perms.state_control ? "yes" : "no", x->perms.rate_control ? "yes" : "no",
		       x->perms.parent_control ? "yes" : "no");
	else if (!clock_omit(&x->perms_err))
		field_err("permissions:", &x->perms_err);
}

static void clock_get_json(const struct scmi_clock_info *ci, const struct clock_state *s,
			   const struct clock_extra *x)
{
	struct json_object *o = clock_json(ci, s);
	struct json_object *ntf = json_object_new_array();

	if (ci->attributes_err) {
		struct cli_err e = cli_err_platform(ci->attributes_err);

		json_object_object_add(o, "attributes_error", cli_err_json(&e));
	}
	json_object_object_add(o, "rates", rates_json(ci));
	if (ci->enable_latency_us)
		json_object_object_add(o, "enable_latency_us",
				       json_object_new_int64(ci->enable_latency_us));
	if (ci->rate_changed_notifications)
		json_object_array_add(ntf, json_object_new_string("rate_changed"));
	if (ci->rate_change_requested_notifications)
		json_object_array_add(ntf, json_object_new_string("rate_change_requested"));
	json_object_object_add(o, "notifications", ntf);
	if (ci->parent_support && !ci->parents_err) {
		struct json_object *arr = json_object_new_array();

		for (unsigned int i = 0; i < ci->num_parents; i++)
			json_object_array_add(arr, json_object_new_int64(ci->parents[i]));
		json_object_object_add(o, "possible_parents", arr);
	} else if (ci->parent_support) {
		struct cli_err e = cli_err_platform(ci->parents_err);

		if (!clock_omit(&e))
			json_object_object_add(o, "possible_parents_error", cli_err_json(&e));
	}
	if (ci->parent_support && !x->parent_err.err)
		json_object_object_add(o, "parent", json_object_new_int64(x->parent));
	else if (ci->parent_support && !clock_omit(&x->parent_err))
		json_object_object_add(o, "parent_error", cli_err_json(&x->parent_err));
	json_object_object_add(o, "oem_config", json_object_new_boolean(ci->extended_config));
	if (!x->perms_err.err) {
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "state", json_object_new_boolean(x->perms.state_control));
		json_object_object_add(p, "rate", json_object_new_boolean(x->perms.rate_control));
		json_object_object_add(p, "parent",
				       json_object_new_boolean(x->perms.parent_control));
		json_object_object_add(o, "permissions", p);
	} else if (!clock_omit(&x->perms_err)) {
		json_object_object_add(o, "permissions_error", cli_err_json(&x->perms_err));
	}
	cli_json_print(o);
}

static int clock_show(struct cli *cli, uint32_t id, bool rates_only)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_clock_info *ci;
	struct clock_extra x = {.parent_err = {-EOPNOTSUPP, SCMI_STATUS_NONE}};
	struct clock_state s;
	int ret = h->clock_ops->info_get(h, id, &ci);

	if (ret)
		return cli_fail(cli, rates_only ? "clock rates" : "clock get", ret);
	if (rates_only) {
		if (cli->json)
			cli_json_print(rates_json(ci));
		else
			rates_text(ci);
		return CLI_EXIT_OK;
	}
	clock_state_read(h, id, &s);
	if (ci->parent_support)
		x.parent_err = cli_err_now(h->clock_ops->parent_get(h, id, &x.parent));
	x.perms_err = cli_err_now(h->clock_ops->permissions_get(h, id, &x.perms));
	if (cli->json)
		clock_get_json(ci, &s, &x);
	else
		clock_get_text(ci, &s, &x);
	return CLI_EXIT_OK;
}

/* Setters print the clock as `clock get` does, read back. */
static int clock_set(struct cli *cli, const struct clock_args *a)
{
	const struct scmi_handle *h = cli->h;
	uint64_t actual = 0;
	int ret = h->clock_ops->rate_set(h, a->id, a->rate, a->flags, &actual);

	if (ret)
		return cli_fail(cli, "clock set", ret);
	return clock_show(cli, a->id, false);
}

static int clock_gate(struct cli *cli, const struct clock_args *a)
{
	const struct scmi_handle *h = cli->h;
	bool on = a->verb == VERB_ENABLE;
	int ret = on ? h->clock_ops->enable(h, a->id) : h->clock_ops->disable(h, a->id);

	if (ret)
		return cli_fail(cli, on ? "clock enable" : "clock disable", ret);
	return clock_show(cli, a->id, false);
}

static int clock_run(struct cli *cli, int argc, char **argv)
{
	struct clock_args a = {0};
	int ret = clock_parse(cli, argc, argv, &a);

	if (ret)
		return ret < 0 ? CLI_EXIT_OK : ret;
	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->clock_ops)
		return cli_no_protocol(cli, "clock");
	if (a.verb != VERB_LIST) {
		ret = clock_check_id(cli, a.id);
		if (ret)
			return ret;
	}
	switch (a.verb) {
	case VERB_LIST:
		return clock_list(cli);
	case VERB_GET:
		return clock_show(cli, a.id, false);
	case VERB_RATES:
		return clock_show(cli, a.id, true);
	case VERB_SET:
		return clock_set(cli, &a);
	case VERB_ENABLE:
	case VERB_DISABLE:
		return clock_gate(cli, &a);
	}
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_clock = {
	.name = "clock",
	.args = "list | get ID | set ID RATE [--round R] [--async [--no-wait]] | enable ID | "
		"disable ID | rates ID",
	.help = "clocks: rates, gating, parents",
	.run = clock_run,
	.verbs =
		"  list                            every clock: name, state, rate\n"
		"  get ID                          one clock in detail\n"
		"  set ID RATE                     set the rate, then print the clock as get does\n"
		"      --round up|down|closest     how the platform rounds (default down)\n"
		"      --async                     the asynchronous form if available\n"
		"      --no-wait                   with --async: do not wait for completion\n"
		"  enable ID | disable ID          gate the clock, then print it as get does\n"
		"  rates ID                        the supported rates\n",
	.notes = "ID is a clock id.  RATE is in Hz, or with a unit (Hz, kHz, MHz, GHz, k, M,\n"
		 "G: 1.2GHz, 800MHz, 600M).\n",
};

/* ---- scmi monitor ---------------------------------------------------------- */

static uint32_t clock_evt_source(const void *report)
{
	return ((const struct scmi_clock_rate_notif_report *)report)->clock_id;
}

static void clock_evt_format(const void *report, char *buf, size_t size)
{
	const struct scmi_clock_rate_notif_report *r = report;

	snprintf(buf, size, "clock %u rate %" PRIu64 " Hz agent %u", r->clock_id, r->rate,
		 r->agent_id);
}

static struct json_object *clock_evt_json(const void *report)
{
	const struct scmi_clock_rate_notif_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "clock_id", json_object_new_int64(r->clock_id));
	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "rate", json_u64(r->rate));
	return o;
}

static const struct cli_event_desc clock_event_descs[] = {
	{SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGED, "rate_changed", true, clock_evt_source,
	 clock_evt_format, clock_evt_json},
	{SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, "rate_change_requested", true,
	 clock_evt_source, clock_evt_format, clock_evt_json},
};

const struct cli_events cli_clock_events = {
	clock_event_descs,
	sizeof(clock_event_descs) / sizeof(clock_event_descs[0]),
};

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
 * RATE is in Hz, with an optional k, M or G suffix (e.g. 1200M).
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

static void clock_help(const struct cli *cli)
{
	printf("Usage: %s [OPTIONS] clock VERB [ARGS]\n"
	       "  list                       every clock: name, state, rate\n"
	       "  get ID                     one clock in detail\n"
	       "  set ID RATE [OPTIONS]      set the rate (Hz; k, M, G suffixes)\n"
	       "      --round up|down|closest   how the platform rounds (default down)\n"
	       "      --async                   use the asynchronous form if available\n"
	       "      --no-wait                 with --async: do not wait for completion\n"
	       "  enable ID | disable ID     gate the clock\n"
	       "  rates ID                   the supported rates\n"
	       "Every verb accepts --json.\n",
	       cli->prog);
}

/* Hz with an optional k/M/G multiplier; decimals only where the result is
 * a whole number of Hz ("1.5G", "24.576M"). */
static int parse_rate(const char *s, uint64_t *out)
{
	static const struct {
		char c;
		uint64_t mul;
	} units[] = {{'k', 1000ull}, {'K', 1000ull}, {'M', 1000000ull}, {'G', 1000000000ull}};
	char buf[32], *dot;
	size_t len = s ? strlen(s) : 0;
	uint64_t mul = 1, whole, frac = 0, scale = 1;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len + 1);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (buf[len - 1] == units[i].c) {
			mul = units[i].mul;
			buf[--len] = '\0';
			break;
		}
	}
	dot = strchr(buf, '.');
	if (dot) {
		*dot = '\0';
		if (!dot[1] || strspn(dot + 1, "0123456789") != strlen(dot + 1) ||
		    strlen(dot + 1) > 9 || cli_parse_u64(dot + 1, &frac))
			return -EINVAL;
		for (size_t i = strlen(dot + 1); i; i--)
			scale *= 10;
		/* Decimal digits only: no "0x" after the dot. */
		if (frac * mul % scale)
			return -EINVAL;
	}
	if (strspn(buf, "0123456789xabcdefABCDEF") != strlen(buf) || cli_parse_u64(buf, &whole) ||
	    whole > (UINT64_MAX - frac * mul / scale) / mul)
		return -EINVAL;
	*out = whole * mul + frac * mul / scale;
	return 0;
}

static int clock_parse(struct cli *cli, int argc, char **argv, struct clock_args *a)
{
	static const struct option opts[] = {
		{"round", required_argument, NULL, 'r'}, {"async", no_argument, NULL, 'a'},
		{"no-wait", no_argument, NULL, 'n'},	 {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},	 {NULL, 0, NULL, 0},
	};
	static const char *const rounds[] = {"down", "up", "closest", NULL};
	int c, verb, round;
	char **pos;

	if (argc < 2)
		return cli_usage_error(cli, &cli_cmd_clock, "missing verb");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		clock_help(cli);
		return -1;
	}
	verb = cli_word(argv[1], clock_verbs);
	if (verb < 0)
		return cli_usage_error(cli, &cli_cmd_clock, "unknown verb '%s'", argv[1]);
	a->verb = (enum clock_verb)verb;
	/* Options may follow the verb: parse from there. */
	argc--;
	argv++;
	optind = 0; /* glibc: full re-initialisation */
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'h':
			clock_help(cli);
			return -1;
		case 'r':
			round = cli_word(optarg, rounds);
			if (a->verb != VERB_SET || round < 0)
				return cli_usage_error(cli, &cli_cmd_clock,
						       "--round takes up, down or closest (set)");
			a->flags &= ~(uint32_t)(SCMI_CLOCK_RATE_ROUND_UP |
						SCMI_CLOCK_RATE_ROUND_CLOSEST);
			if (round == 1)
				a->flags |= SCMI_CLOCK_RATE_ROUND_UP;
			else if (round == 2)
				a->flags |= SCMI_CLOCK_RATE_ROUND_CLOSEST;
			break;
		case 'a':
		case 'n':
			if (a->verb != VERB_SET)
				return cli_usage_error(cli, &cli_cmd_clock,
						       "--async and --no-wait go with set");
			a->flags |= c == 'a' ? SCMI_CLOCK_RATE_ASYNC : SCMI_CLOCK_RATE_NO_WAIT;
			break;
		default:
			return cli_usage_error(cli, &cli_cmd_clock, "unknown option");
		}
	}
	if ((a->flags & SCMI_CLOCK_RATE_NO_WAIT) && !(a->flags & SCMI_CLOCK_RATE_ASYNC))
		return cli_usage_error(cli, &cli_cmd_clock, "--no-wait needs --async");
	pos = argv + optind;
	if ((unsigned int)(argc - optind) != verb_nargs[verb])
		return cli_usage_error(cli, &cli_cmd_clock, "%s takes %u argument(s)",
				       clock_verbs[verb], verb_nargs[verb]);
	if (verb_nargs[verb] >= 1 && cli_parse_u32(pos[0], &a->id))
		return cli_usage_error(cli, &cli_cmd_clock, "bad clock id '%s'", pos[0]);
	if (verb_nargs[verb] >= 2 && parse_rate(pos[1], &a->rate))
		return cli_usage_error(cli, &cli_cmd_clock, "bad rate '%s'", pos[1]);
	return 0;
}

/* ---- output -------------------------------------------------------------- */

/* A clearer message than -EINVAL for an id the platform does not have. */
static int clock_check_id(struct cli *cli, uint32_t id)
{
	int n = cli->h->clock_ops->count_get(cli->h);

	if (n < 0)
		return cli_fail(cli, "clock", n);
	if (id >= (uint32_t)n) {
		fprintf(stderr, "%s: clock %u: no such clock (the platform has %d)\n", cli->prog,
			id, n);
		return CLI_EXIT_FAIL;
	}
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
		json_object_object_add(o, "error",
				       json_object_new_string(scmi_strerror(ci->rates_err)));
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

static void rates_text(const struct scmi_clock_info *ci)
{
	if (ci->rates_err) {
		printf("rates unknown: %s\n", scmi_strerror(ci->rates_err));
		return;
	}
	if (!ci->rate_discrete) {
		printf("range %" PRIu64 "..%" PRIu64 " Hz, step %" PRIu64 " Hz\n",
		       ci->range.min_rate, ci->range.max_rate, ci->range.step_size);
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
	int rate_err, state_err;
	uint64_t rate;
	bool enabled;
};

static void clock_state_read(const struct scmi_handle *h, uint32_t id, struct clock_state *s)
{
	s->rate_err = h->clock_ops->rate_get(h, id, &s->rate);
	s->state_err = h->clock_ops->state_get(h, id, &s->enabled);
}

static struct json_object *clock_json(const struct scmi_clock_info *ci, const struct clock_state *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(ci->id));
	json_object_object_add(o, "name", json_object_new_string(ci->name));
	if (!s->state_err)
		json_object_object_add(o, "enabled", json_object_new_boolean(s->enabled));
	if (!s->rate_err)
		json_object_object_add(o, "rate", json_u64(s->rate));
	return o;
}

static int clock_list(struct cli *cli)
{
	const struct scmi_handle *h = cli->h;
	struct json_object *arr = cli->json ? json_object_new_array() : NULL;
	int n = h->clock_ops->count_get(h);

	if (n < 0) {
		json_object_put(arr);
		return cli_fail(cli, "clock list", n);
	}
	if (!cli->json)
		printf("%-4s %-32s %-8s %15s  %s\n", "id", "name", "state", "rate (Hz)", "rates");
	for (uint32_t id = 0; id < (uint32_t)n; id++) {
		const struct scmi_clock_info *ci;
		struct clock_state s;
		char sum[32], rate[24];
		int ret = h->clock_ops->info_get(h, id, &ci);

		if (ret) {
			json_object_put(arr);
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
		if (s.rate_err)
			snprintf(rate, sizeof(rate), "?");
		else
			snprintf(rate, sizeof(rate), "%" PRIu64, s.rate);
		printf("%-4u %-32s %-8s %15s  %s\n", id, ci->attributes_err ? "?" : ci->name,
		       s.state_err ? "?"
		       : s.enabled ? "on"
				   : "off",
		       rate, sum);
	}
	if (cli->json)
		cli_json_print(arr);
	return CLI_EXIT_OK;
}

struct clock_extra {
	int parent_err, perms_err;
	uint32_t parent;
	struct scmi_clock_permissions perms;
};

static void clock_get_text(const struct scmi_clock_info *ci, const struct clock_state *s,
			   const struct clock_extra *x)
{
	char sum[32];

	rates_summary(ci, sum, sizeof(sum));
	printf("id:              %u\n", ci->id);
	if (ci->attributes_err)
		printf("name:            (%s)\n", scmi_strerror(ci->attributes_err));
	else
		printf("name:            %s\n", ci->name);
	if (s->state_err)
		printf("state:           (%s)\n", scmi_strerror(s->state_err));
	else
		printf("state:           %s\n", s->enabled ? "on" : "off");
	if (s->rate_err)
		printf("rate:            (%s)\n", scmi_strerror(s->rate_err));
	else
		printf("rate:            %" PRIu64 " Hz\n", s->rate);
	printf("rates:           %s", sum);
	if (!ci->rates_err)
		printf(", %" PRIu64 "..%" PRIu64 " Hz", ci->min_rate, ci->max_rate);
	printf("\n");
	if (ci->enable_latency_us)
		printf("enable latency:  %u us\n", ci->enable_latency_us);
	printf("notifications:   %s%s%s\n", ci->rate_changed_notifications ? "rate_changed " : "",
	       ci->rate_change_requested_notifications ? "rate_change_requested" : "",
	       !ci->rate_changed_notifications && !ci->rate_change_requested_notifications ? "none"
											   : "");
	if (ci->parent_support) {
		printf("parents:        ");
		for (unsigned int i = 0; i < ci->num_parents; i++)
			printf(" %u", ci->parents[i]);
		printf("\n");
		if (!x->parent_err)
			printf("parent:          %u\n", x->parent);
	}
	if (ci->extended_config)
		printf("OEM config:      supported\n");
	if (!x->perms_err)
		printf("permissions:     state %s, rate %s, parent %s\n",
		       x->perms.state_control ? "yes" : "no", x->perms.rate_control ? "yes" : "no",
		       x->perms.parent_control ? "yes" : "no");
}

static void clock_get_json(const struct scmi_clock_info *ci, const struct clock_state *s,
			   const struct clock_extra *x)
{
	struct json_object *o = clock_json(ci, s);
	struct json_object *ntf = json_object_new_array();

	json_object_object_add(o, "rates", rates_json(ci));
	if (ci->enable_latency_us)
		json_object_object_add(o, "enable_latency_us",
				       json_object_new_int64(ci->enable_latency_us));
	if (ci->rate_changed_notifications)
		json_object_array_add(ntf, json_object_new_string("rate_changed"));
	if (ci->rate_change_requested_notifications)
		json_object_array_add(ntf, json_object_new_string("rate_change_requested"));
	json_object_object_add(o, "notifications", ntf);
	if (ci->parent_support) {
		struct json_object *arr = json_object_new_array();

		for (unsigned int i = 0; i < ci->num_parents; i++)
			json_object_array_add(arr, json_object_new_int64(ci->parents[i]));
		json_object_object_add(o, "possible_parents", arr);
		if (!x->parent_err)
			json_object_object_add(o, "parent", json_object_new_int64(x->parent));
	}
	json_object_object_add(o, "oem_config", json_object_new_boolean(ci->extended_config));
	if (!x->perms_err) {
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "state", json_object_new_boolean(x->perms.state_control));
		json_object_object_add(p, "rate", json_object_new_boolean(x->perms.rate_control));
		json_object_object_add(p, "parent",
				       json_object_new_boolean(x->perms.parent_control));
		json_object_object_add(o, "permissions", p);
	}
	cli_json_print(o);
}

static int clock_show(struct cli *cli, uint32_t id, bool rates_only)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_clock_info *ci;
	struct clock_extra x = {.parent_err = -EOPNOTSUPP};
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
		x.parent_err = h->clock_ops->parent_get(h, id, &x.parent);
	x.perms_err = h->clock_ops->permissions_get(h, id, &x.perms);
	if (cli->json)
		clock_get_json(ci, &s, &x);
	else
		clock_get_text(ci, &s, &x);
	return CLI_EXIT_OK;
}

static int clock_set(struct cli *cli, const struct clock_args *a)
{
	const struct scmi_handle *h = cli->h;
	uint64_t actual = 0, now = 0;
	int ret = h->clock_ops->rate_set(h, a->id, a->rate, a->flags, &actual);
	int get_err;

	if (ret)
		return cli_fail(cli, "clock set", ret);
	get_err = h->clock_ops->rate_get(h, a->id, &now);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(a->id));
		json_object_object_add(o, "requested", json_u64(a->rate));
		if (actual)
			json_object_object_add(o, "reported", json_u64(actual));
		if (!get_err)
			json_object_object_add(o, "rate", json_u64(now));
		cli_json_print(o);
	} else if (!get_err) {
		printf("clock %u: %" PRIu64 " Hz\n", a->id, now);
	}
	return CLI_EXIT_OK;
}

static int clock_gate(struct cli *cli, const struct clock_args *a)
{
	const struct scmi_handle *h = cli->h;
	bool on = a->verb == VERB_ENABLE;
	int ret = on ? h->clock_ops->enable(h, a->id) : h->clock_ops->disable(h, a->id);

	if (ret)
		return cli_fail(cli, on ? "clock enable" : "clock disable", ret);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(a->id));
		json_object_object_add(o, "enabled", json_object_new_boolean(on));
		cli_json_print(o);
	}
	return CLI_EXIT_OK;
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
		return cli_fail(cli, "clock", -EOPNOTSUPP);
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
	.args = "list|get|set|enable|disable|rates ...",
	.help = "clocks: rates, gating, parents",
	.run = clock_run,
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

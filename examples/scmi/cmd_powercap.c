// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi powercap: power capping domains.
 *
 *   scmi powercap list
 *   scmi powercap get DOMAIN
 *   scmi powercap set DOMAIN [--cap POWER|on|off] [--pai TIME] [--no-wait]
 *   scmi powercap measure DOMAIN
 *
 * DOMAIN is an id or a name.  POWER is in the domain's unit, or with a unit
 * (uW, mW, W) for domains that report mW or uW; TIME is in microseconds, or
 * with a unit (us, ms, s).  Options may come anywhere after "powercap".
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const powercap_verbs[] = {"list", "get", "set", "measure", NULL};

enum {
	VERB_LIST,
	VERB_GET,
	VERB_SET,
	VERB_MEASURE
};

static const char *unit_name(enum scmi_powercap_unit u)
{
	switch (u) {
	case SCMI_POWERCAP_UNIT_MW:
		return "mW";
	case SCMI_POWERCAP_UNIT_UW:
		return "uW";
	default:
		return "units";
	}
}

/* An id, or a domain name. */
static int domain_lookup(const struct scmi_handle *h, const char *arg, uint32_t *out)
{
	const struct scmi_powercap_info *pi;
	int n = h->powercap_ops->count_get(h);

	if (n < 0)
		return n;
	if (!cli_parse_u32(arg, out))
		return *out < (uint32_t)n ? 0 : -ENOENT;
	for (int i = 0; i < n; i++) {
		/* A domain disabled without attributes has no name. */
		if (!h->powercap_ops->info_get(h, (uint32_t)i, &pi) && pi->name[0] &&
		    !strcmp(pi->name, arg)) {
			*out = (uint32_t)i;
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- list ----------------------------------------------------------------- */

static const struct {
	uint32_t bit;
	const char *name;
} problem_names[] = {
	{SCMI_POWERCAP_BAD_CAP_RANGE, "bad_cap_range"},
	{SCMI_POWERCAP_BAD_PAI_RANGE, "bad_pai_range"},
	{SCMI_POWERCAP_BAD_CAP_CONFIG, "bad_cap_config"},
	{SCMI_POWERCAP_BAD_PAI_CONFIG, "bad_pai_config"},
	{SCMI_POWERCAP_BAD_CAP_FIXED, "bad_cap_fixed"},
	{SCMI_POWERCAP_BAD_PAI_FIXED, "bad_pai_fixed"},
	{SCMI_POWERCAP_BAD_PARENT, "bad_parent"},
	{SCMI_POWERCAP_BAD_UNIT, "bad_unit"},
};

static const struct {
	uint32_t bit;
	const char *name;
} fc_names[] = {
	{SCMI_POWERCAP_FC_CAP_GET, "cap_get"},
	{SCMI_POWERCAP_FC_CAP_SET, "cap_set"},
	{SCMI_POWERCAP_FC_PAI_GET, "pai_get"},
	{SCMI_POWERCAP_FC_PAI_SET, "pai_set"},
};

static void features_str(const struct scmi_powercap_info *pi, char *buf, size_t size)
{
	const struct {
		bool on;
		const char *name;
	} f[] = {
		{pi->cap_config, "cap"},
		{pi->pai_config, "pai"},
		{pi->async_cap_set, "async"},
		{pi->monitoring, "monitor"},
		{pi->notify_cap_change, "notify-cap"},
		{pi->notify_measurement_change, "notify-meas"},
		{pi->fc_mask != 0, "fastchannel"},
	};
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].on && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "",
						f[i].name);
	if (!len)
		snprintf(buf, size, "-");
}

/* One line per domain, children indented under their parent. */
static void list_text_tree(const struct scmi_handle *h, struct cli_table *t, uint32_t id,
			   unsigned int depth)
{
	const struct scmi_powercap_info *pi;
	char name[96], feat[128], cap[48], pai[48], ids[12];

	if (h->powercap_ops->info_get(h, id, &pi))
		return;
	/* Children indented under their parent: the tree of domains. */
	snprintf(name, sizeof(name), "%*s%s", (int)(2 * depth), "", pi->name[0] ? pi->name : "?");
	snprintf(ids, sizeof(ids), "%" PRIu32, pi->id);
	if (!pi->usable) {
		char why[160];

		cli_table_add(t, ids, name, cli_disabled_text(pi->err, why, sizeof(why)), NULL,
			      NULL);
		goto children;
	}
	snprintf(cap, sizeof(cap), "%" PRIu32 "..%" PRIu32 "/%" PRIu32 " %s", pi->min_power_cap,
		 pi->max_power_cap, pi->power_cap_step, unit_name(pi->unit));
	snprintf(pai, sizeof(pai), "%" PRIu32 "..%" PRIu32 "/%" PRIu32, pi->min_pai, pi->max_pai,
		 pi->pai_step);
	features_str(pi, feat, sizeof(feat));
	cli_table_add(t, ids, name, cap, pai, feat);
children:
	for (unsigned int i = 0; i < pi->num_children; i++)
		list_text_tree(h, t, pi->children[i], depth + 1);
}

static struct json_object *info_json(const struct scmi_powercap_info *pi)
{
	struct json_object *o = json_object_new_object();
	struct json_object *children = json_object_new_array();
	struct json_object *problems = json_object_new_array();
	struct json_object *fcs = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_int64(pi->id));
	json_object_object_add(o, "name", json_object_new_string(pi->name));
	json_object_object_add(o, "usable", json_object_new_boolean(pi->usable));
	if (pi->parent_id == SCMI_POWERCAP_ROOT)
		json_object_object_add(o, "parent", NULL);
	else
		json_object_object_add(o, "parent", json_object_new_int64(pi->parent_id));
	for (unsigned int i = 0; i < pi->num_children; i++)
		json_object_array_add(children, json_object_new_int64(pi->children[i]));
	json_object_object_add(o, "children", children);
	for (size_t i = 0; i < sizeof(problem_names) / sizeof(problem_names[0]); i++)
		if (pi->problems & problem_names[i].bit)
			json_object_array_add(problems,
					      json_object_new_string(problem_names[i].name));
	json_object_object_add(o, "problems", problems);
	if (!pi->usable) {
		/* Its ranges are unknown or unusable: not shown. */
		json_object_object_add(o, "disabled", cli_disabled_json(pi->err));
		json_object_put(fcs);
		return o;
	}
	json_object_object_add(o, "unit", json_object_new_string(unit_name(pi->unit)));
	json_object_object_add(o, "cap_config", json_object_new_boolean(pi->cap_config));
	json_object_object_add(o, "min_power_cap", json_object_new_int64(pi->min_power_cap));
	json_object_object_add(o, "max_power_cap", json_object_new_int64(pi->max_power_cap));
	json_object_object_add(o, "power_cap_step", json_object_new_int64(pi->power_cap_step));
	json_object_object_add(o, "pai_config", json_object_new_boolean(pi->pai_config));
	json_object_object_add(o, "min_pai_us", json_object_new_int64(pi->min_pai));
	json_object_object_add(o, "max_pai_us", json_object_new_int64(pi->max_pai));
	json_object_object_add(o, "pai_step_us", json_object_new_int64(pi->pai_step));
	json_object_object_add(o, "sustainable_power",
			       json_object_new_int64(pi->sustainable_power));
	json_object_object_add(o, "accuracy_millipercent", json_object_new_int64(pi->accuracy));
	json_object_object_add(o, "async_cap_set", json_object_new_boolean(pi->async_cap_set));
	json_object_object_add(o, "monitoring", json_object_new_boolean(pi->monitoring));
	json_object_object_add(o, "notify_cap_change",
			       json_object_new_boolean(pi->notify_cap_change));
	json_object_object_add(o, "notify_measurement_change",
			       json_object_new_boolean(pi->notify_measurement_change));
	json_object_object_add(o, "fastchannels", json_object_new_boolean(pi->fastchannels));
	for (size_t i = 0; i < sizeof(fc_names) / sizeof(fc_names[0]); i++)
		if (pi->fc_mask & fc_names[i].bit)
			json_object_array_add(fcs, json_object_new_string(fc_names[i].name));
	json_object_object_add(o, "fastchannels_mapped", fcs);
	return o;
}

static int powercap_list(struct cli *cli)
{
	const struct scmi_handle *h = cli->h;
	static const struct cli_column cols[] = {{"ID", true},
						 {"NAME", false},
						 {"CAP MIN..MAX/STEP", false},
						 {"PAI US MIN..MAX/STEP", false},
						 {"FEATURES", false}};
	const struct scmi_powercap_info *pi;
	struct json_object *arr, *o;
	struct cli_table *t;
	int n = h->powercap_ops->count_get(h);

	if (n < 0)
		return cli_fail(cli, "powercap", n);
	if (cli->json) {
		arr = json_object_new_array();
		for (int i = 0; i < n; i++)
			if (!h->powercap_ops->info_get(h, (uint32_t)i, &pi))
				json_object_array_add(arr, info_json(pi));
		o = json_object_new_object();
		json_object_object_add(o, "domains", arr);
		cli_json_print(o);
		return CLI_EXIT_OK;
	}
	t = CLI_TABLE(cols);
	for (int i = 0; i < n; i++)
		if (!h->powercap_ops->info_get(h, (uint32_t)i, &pi) &&
		    pi->parent_id == SCMI_POWERCAP_ROOT)
			list_text_tree(h, t, (uint32_t)i, 0);
	cli_table_print(t);
	return CLI_EXIT_OK;
}

/* ---- get / set / measure ------------------------------------------------------ */

/* The cap is the answer; the capping state and the averaging interval
 * are optional to read, and said to be unavailable when they are. */
static bool optional_missing(const struct cli_err *e)
{
	return cli_err_unsupported(e) || e->err == -EACCES;
}

static void powercap_get_json(const struct scmi_powercap_info *pi, uint32_t cap, bool enabled,
			      const struct cli_err *enabled_err, uint32_t pai,
			      const struct cli_err *pai_err)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(pi->id));
	json_object_object_add(o, "name", json_object_new_string(pi->name));
	json_object_object_add(o, "power_cap", json_object_new_int64(cap));
	json_object_object_add(o, "unit", json_object_new_string(unit_name(pi->unit)));
	if (enabled_err->err)
		json_object_object_add(o, "capping_enabled_error", cli_err_json(enabled_err));
	else
		json_object_object_add(o, "capping_enabled", json_object_new_boolean(enabled));
	if (pai_err->err)
		json_object_object_add(o, "pai_error", cli_err_json(pai_err));
	else
		json_object_object_add(o, "pai_us", json_object_new_int64(pai));
	cli_json_print(o);
}

static int powercap_get(struct cli *cli, uint32_t dom)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_powercap_info *pi;
	struct cli_err enabled_err, pai_err;
	uint32_t cap, pai = 0;
	bool enabled = true;
	char buf[128];
	int ret;

	ret = h->powercap_ops->info_get(h, dom, &pi);
	if (!ret)
		ret = h->powercap_ops->cap_get(h, dom, &cap);
	if (ret)
		return cli_fail(cli, "powercap get", ret);
	enabled_err = cli_err_now(h->powercap_ops->cap_enable_get(h, dom, &enabled));
	if (enabled_err.err && !optional_missing(&enabled_err))
		return cli_fail_err(cli, "powercap get: capping state", &enabled_err);
	pai_err = cli_err_now(h->powercap_ops->pai_get(h, dom, &pai));
	if (pai_err.err && !optional_missing(&pai_err))
		return cli_fail_err(cli, "powercap get: pai", &pai_err);
	if (cli->json) {
		powercap_get_json(pi, cap, enabled, &enabled_err, pai, &pai_err);
		return CLI_EXIT_OK;
	}
	cli_kv("id", "%" PRIu32, dom);
	cli_kv("name", "%s", pi->name);
	cli_kv("cap", "%" PRIu32 " %s", cap, unit_name(pi->unit));
	if (!enabled_err.err)
		cli_kv("capping", "%s", enabled ? "enabled" : "disabled");
	if (pai_err.err)
		cli_kv("pai", "unavailable (%s)", cli_err_text(&pai_err, buf, sizeof(buf)));
	else
		cli_kv("pai", "%" PRIu32 " us", pai);
	return CLI_EXIT_OK;
}

struct set_args {
	bool cap, pai, no_wait;
	int enable;	     /* -1: not asked, 0: off, 1: on */
	const char *cap_arg; /* converted once the domain's unit is known */
	uint32_t cap_val, pai_val;
};

/* Does a --cap value carry a unit (a letter, or "µ", at its end)? */
static bool has_unit(const char *s)
{
	size_t len = strlen(s);

	return len && !(s[len - 1] >= '0' && s[len - 1] <= '9') && s[len - 1] != '.';
}

/* --cap in the domain's unit: numbers with a unit are converted, and only
 * where the unit is a real one. */
static int cap_value(struct cli *cli, const struct scmi_powercap_info *pi, struct set_args *a)
{
	int exp10 = pi->unit == SCMI_POWERCAP_UNIT_MW ? -3 : -6;
	int64_t v;
	int ret;

	if (!a->cap)
		return 0;
	if (pi->unit == SCMI_POWERCAP_UNIT_ABSTRACT) {
		if (has_unit(a->cap_arg) || cli_parse_u32(a->cap_arg, &a->cap_val))
			return cli_bad_value(cli, &cli_cmd_powercap, "--cap", a->cap_arg,
					     "this domain's caps are in abstract units: give a "
					     "plain whole number");
		return 0;
	}
	ret = cli_arg_quantity(cli, &cli_cmd_powercap, "--cap", a->cap_arg, CLI_POWER, exp10, exp10,
			       0, UINT32_MAX, &v);
	a->cap_val = (uint32_t)v;
	return ret;
}

struct pc_settle {
	const struct cli *cli;
	uint32_t dom;
	const struct set_args *a;
};

/* The cap and interval set show when read (fastchannels: in a moment). */
static bool pc_settled(void *arg)
{
	const struct pc_settle *p = arg;
	const struct scmi_handle *h = p->cli->h;
	uint32_t v;
	bool on;

	if (p->a->enable >= 0 &&
	    (h->powercap_ops->cap_enable_get(h, p->dom, &on) || on != (p->a->enable == 1)))
		return false;
	if (p->a->cap && (h->powercap_ops->cap_get(h, p->dom, &v) || v != p->a->cap_val))
		return false;
	if (p->a->pai && (h->powercap_ops->pai_get(h, p->dom, &v) || v != p->a->pai_val))
		return false;
	return true;
}

static int powercap_set(struct cli *cli, const struct scmi_powercap_info *pi,
			const struct set_args *a)
{
	const struct scmi_handle *h = cli->h;
	uint32_t dom = pi->id;
	int ret;

	if (a->enable >= 0) {
		ret = h->powercap_ops->cap_enable_set(h, dom, a->enable);
		if (ret)
			return cli_fail(cli,
					a->enable ? "powercap set: enable capping"
						  : "powercap set: disable capping",
					ret);
	}
	if (a->cap) {
		ret = h->powercap_ops->cap_set(h, dom, a->cap_val, a->no_wait);
		if (ret)
			return cli_fail(cli, "powercap set: cap", ret);
	}
	if (a->pai) {
		ret = h->powercap_ops->pai_set(h, dom, a->pai_val);
		if (ret)
			return cli_fail(cli, "powercap set: pai", ret);
	}
	if (!a->no_wait) {
		struct pc_settle st = {cli, dom, a};

		cli_settle(pc_settled, &st);
	}
	return powercap_get(cli, dom); /* the state read back */
}

static int powercap_measure(struct cli *cli, uint32_t dom)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_powercap_info *pi;
	uint32_t power, pai;
	int ret;

	ret = h->powercap_ops->info_get(h, dom, &pi);
	if (!ret)
		ret = h->powercap_ops->measurements_get(h, dom, &power, &pai);
	if (ret)
		return cli_fail(cli, "powercap measure", ret);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(dom));
		json_object_object_add(o, "name", json_object_new_string(pi->name));
		json_object_object_add(o, "power", json_object_new_int64(power));
		json_object_object_add(o, "unit", json_object_new_string(unit_name(pi->unit)));
		json_object_object_add(o, "pai_us", json_object_new_int64(pai));
		cli_json_print(o);
	} else {
		cli_kv("id", "%" PRIu32, dom);
		cli_kv("name", "%s", pi->name);
		cli_kv("power", "%" PRIu32 " %s", power, unit_name(pi->unit));
		cli_kv("pai", "%" PRIu32 " us", pai);
	}
	return CLI_EXIT_OK;
}

/* ---- entry ------------------------------------------------------------------------- */

/* Options (anywhere after "powercap"); -1 after help. */
static int powercap_options(struct cli *cli, int argc, char **argv, struct set_args *a)
{
	static const struct option opts[] = {
		{"cap", required_argument, NULL, 'c'},
		{"pai", required_argument, NULL, 'p'},
		{"no-wait", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int64_t us;
	int c, ret;

	while ((c = cli_getopt(cli, argc, argv, "c:p:nh", opts)) != -1) {
		switch (c) {
		case 'c':
			if (a->cap || a->enable >= 0)
				return cli_usage_error(cli, &cli_cmd_powercap,
						       "set: --cap given twice");
			if (!strcmp(optarg, "on") || !strcmp(optarg, "off")) {
				a->enable = !strcmp(optarg, "on");
			} else {
				/* Syntax now; the unit once the domain is known. */
				int64_t m;
				int e;

				if (cli_parse_decimal(optarg, CLI_POWER, 0, &m, &e) || m < 0)
					return cli_bad_value(
						cli, &cli_cmd_powercap, "--cap", optarg,
						"not a power (a number in the domain's unit, or "
						"with a unit: uW, mW or W), on or off");
				a->cap = true;
				a->cap_arg = optarg;
			}
			break;
		case 'p':
			ret = cli_arg_quantity(cli, &cli_cmd_powercap, "--pai", optarg, CLI_TIME,
					       -6, -6, 0, UINT32_MAX, &us);
			if (ret)
				return ret;
			a->pai_val = (uint32_t)us;
			a->pai = true;
			break;
		case 'n':
			a->no_wait = true;
			break;
		case 'h':
			cli_help(cli, &cli_cmd_powercap);
			return -1;
		default:
			return cli_usage_error(cli, &cli_cmd_powercap, "unknown option");
		}
	}
	return 0;
}

/* Verb and DOMAIN; the options against the verb.  0, CLI_EXIT_USAGE. */
static int powercap_parse(struct cli *cli, int argc, char **argv, int *verb, const char **dom,
			  struct set_args *a)
{
	int n;

	if (optind >= argc)
		return cli_usage_error(cli, &cli_cmd_powercap, "no verb given");
	*verb = cli_word(argv[optind], powercap_verbs);
	if (*verb < 0)
		return cli_usage_error(cli, &cli_cmd_powercap, "unknown verb '%s'", argv[optind]);
	n = argc - optind - 1;
	if (*verb == VERB_LIST ? n != 0 : n != 1)
		return cli_usage_error(cli, &cli_cmd_powercap, "%s takes %s", powercap_verbs[*verb],
				       *verb == VERB_LIST ? "no argument" : "one DOMAIN");
	*dom = n ? argv[optind + 1] : NULL;
	if (*verb != VERB_SET && (a->cap || a->pai || a->no_wait || a->enable >= 0))
		return cli_usage_error(cli, &cli_cmd_powercap,
				       "--cap, --pai and --no-wait go with set");
	if (*verb == VERB_SET && !a->cap && !a->pai && a->enable < 0)
		return cli_usage_error(cli, &cli_cmd_powercap, "set: give --cap and/or --pai");
	return 0;
}

static int powercap_run(struct cli *cli, int argc, char **argv)
{
	struct set_args sa = {.enable = -1};
	const struct scmi_powercap_info *pi;
	const char *dom_arg = NULL;
	uint32_t dom = 0;
	int verb = VERB_LIST, ret;

	ret = powercap_options(cli, argc, argv, &sa);
	if (ret)
		return ret < 0 ? CLI_EXIT_OK : ret;
	ret = powercap_parse(cli, argc, argv, &verb, &dom_arg, &sa);
	if (ret)
		return ret;
	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->powercap_ops)
		return cli_no_protocol(cli, "powercap");
	if (dom_arg) {
		ret = domain_lookup(cli->h, dom_arg, &dom);
		if (ret == -ENOENT)
			return cli_failf(cli, "powercap: no domain '%s'", dom_arg);
		if (ret)
			return cli_fail(cli, "powercap", ret);
	}
	switch (verb) {
	case VERB_LIST:
		return powercap_list(cli);
	case VERB_GET:
		return powercap_get(cli, dom);
	case VERB_SET:
		ret = cli->h->powercap_ops->info_get(cli->h, dom, &pi);
		if (ret)
			return cli_fail(cli, "powercap", ret);
		ret = cap_value(cli, pi, &sa);
		return ret ? ret : powercap_set(cli, pi, &sa);
	default:
		return powercap_measure(cli, dom);
	}
}

const struct cli_cmd cli_cmd_powercap = {
	.name = "powercap",
	.args = "list | get DOMAIN | set DOMAIN [--cap POWER|on|off] [--pai TIME] [--no-wait] | "
		"measure DOMAIN",
	.help = "power capping domains: caps, averaging intervals, measurements",
	.run = powercap_run,
	.verbs =
		"  list                            every domain (a tree): caps, intervals, "
		"features\n"
		"  get DOMAIN                      the cap, the capping state and the interval\n"
		"  set DOMAIN [--cap POWER|on|off] [--pai TIME] [--no-wait]\n"
		"                                  change them, then print the domain as get does\n"
		"  measure DOMAIN                  the power measured and its interval\n",
	.notes = "DOMAIN is a domain id or name.  POWER is in the domain's unit (see list), or\n"
		 "with a unit (uW, mW, W: \"5W\", \"2.5W\") where the domain reports mW or uW.\n"
		 "TIME is in microseconds, or with a unit (us, ms, s: \"10ms\").  --cap off\n"
		 "disables capping (powercap 2.0), --cap on restores it; --no-wait does not\n"
		 "wait for an asynchronous cap change to complete.\n",
};

/* ---- events for `scmi monitor` ------------------------------------------------------ */

static uint32_t cap_changed_source(const void *report)
{
	return ((const struct scmi_powercap_cap_changed_report *)report)->domain_id;
}

static void cap_changed_format(const void *report, char *buf, size_t size)
{
	const struct scmi_powercap_cap_changed_report *r = report;

	snprintf(buf, size,
		 "domain %" PRIu32 " cap %" PRIu32 "%s pai %" PRIu32 " us (agent %" PRIu32 ")",
		 r->domain_id, r->power_cap, r->power_cap ? "" : " (capping disabled)", r->pai,
		 r->agent_id);
}

static struct json_object *cap_changed_json(const void *report)
{
	const struct scmi_powercap_cap_changed_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "domain_id", json_object_new_int64(r->domain_id));
	json_object_object_add(o, "power_cap", json_object_new_int64(r->power_cap));
	json_object_object_add(o, "pai_us", json_object_new_int64(r->pai));
	return o;
}

static uint32_t meas_changed_source(const void *report)
{
	return ((const struct scmi_powercap_meas_changed_report *)report)->domain_id;
}

static void meas_changed_format(const void *report, char *buf, size_t size)
{
	const struct scmi_powercap_meas_changed_report *r = report;

	snprintf(buf, size, "domain %" PRIu32 " power %" PRIu32 " (agent %" PRIu32 ")",
		 r->domain_id, r->power, r->agent_id);
}

static struct json_object *meas_changed_json(const void *report)
{
	const struct scmi_powercap_meas_changed_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "domain_id", json_object_new_int64(r->domain_id));
	json_object_object_add(o, "power", json_object_new_int64(r->power));
	return o;
}

static const struct cli_event_desc powercap_event_descs[] = {
	{
		.proto = SCMI_PROTOCOL_POWERCAP,
		.evt = SCMI_EVENT_POWERCAP_CAP_CHANGED,
		.name = "cap_changed",
		.per_source = true,
		.source = cap_changed_source,
		.format = cap_changed_format,
		.to_json = cap_changed_json,
	},
	{
		.proto = SCMI_PROTOCOL_POWERCAP,
		.evt = SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED,
		.name = "measurements_changed",
		.per_source = true,
		.source = meas_changed_source,
		.format = meas_changed_format,
		.to_json = meas_changed_json,
	},
};

const struct cli_events cli_powercap_events = {
	powercap_event_descs,
	sizeof(powercap_event_descs) / sizeof(powercap_event_descs[0]),
};

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi powercap: power capping domains.
 *
 *   scmi powercap list
 *   scmi powercap get DOMAIN
 *   scmi powercap set DOMAIN [--cap W|on|off] [--pai US] [--no-wait]
 *   scmi powercap measure DOMAIN
 *
 * DOMAIN is an id or a name.
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

static void usage(FILE *out, const struct cli *cli)
{
	fprintf(out,
		"Usage: %s [OPTIONS] powercap list\n"
		"       %s [OPTIONS] powercap get DOMAIN\n"
		"       %s [OPTIONS] powercap set DOMAIN [--cap VALUE|on|off] [--pai US] "
		"[--no-wait]\n"
		"       %s [OPTIONS] powercap measure DOMAIN\n"
		"DOMAIN is a domain id or name.  --cap off disables capping (powercap 2.0),\n"
		"--cap on restores it; --no-wait does not wait for an asynchronous cap change\n"
		"to complete.\n",
		cli->prog, cli->prog, cli->prog, cli->prog);
}

/* An id, or a domain name. */
static int domain_lookup(const struct scmi_handle *h, const char *arg, uint32_t *out)
{
	const struct scmi_powercap_info *pi;
	int n = h->powercap_ops->num_domains_get(h);

	if (n < 0)
		return n;
	if (!cli_parse_u32(arg, out))
		return *out < (uint32_t)n ? 0 : -ENOENT;
	for (int i = 0; i < n; i++) {
		if (!h->powercap_ops->info_get(h, (uint32_t)i, &pi) && !strcmp(pi->name, arg)) {
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
		{!pi->usable, "REJECTED"},
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
static void list_text_tree(const struct scmi_handle *h, uint32_t id, unsigned int depth)
{
	const struct scmi_powercap_info *pi;
	char name[96], feat[128], cap[48], pai[48];

	if (h->powercap_ops->info_get(h, id, &pi))
		return;
	snprintf(name, sizeof(name), "%*s%s", (int)(2 * depth), "", pi->name);
	snprintf(cap, sizeof(cap), "%" PRIu32 "..%" PRIu32 "/%" PRIu32 " %s", pi->min_power_cap,
		 pi->max_power_cap, pi->power_cap_step, unit_name(pi->unit));
	snprintf(pai, sizeof(pai), "%" PRIu32 "..%" PRIu32 "/%" PRIu32, pi->min_pai, pi->max_pai,
		 pi->pai_step);
	features_str(pi, feat, sizeof(feat));
	printf("%3" PRIu32 "  %-34s %-28s %-20s %s\n", pi->id, name, cap, pai, feat);
	for (unsigned int i = 0; i < pi->num_children; i++)
		list_text_tree(h, pi->children[i], depth + 1);
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
	for (size_t i = 0; i < sizeof(problem_names) / sizeof(problem_names[0]); i++)
		if (pi->problems & problem_names[i].bit)
			json_object_array_add(problems,
					      json_object_new_string(problem_names[i].name));
	json_object_object_add(o, "problems", problems);
	return o;
}

static int powercap_list(struct cli *cli)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_powercap_info *pi;
	struct json_object *arr;
	int n = h->powercap_ops->num_domains_get(h);

	if (n < 0)
		return cli_fail(cli, "powercap", n);
	if (cli->json) {
		arr = json_object_new_array();
		for (int i = 0; i < n; i++)
			if (!h->powercap_ops->info_get(h, (uint32_t)i, &pi))
				json_object_array_add(arr, info_json(pi));
		cli_json_print(arr);
		return CLI_EXIT_OK;
	}
	printf("%3s  %-34s %-28s %-20s %s\n", "id", "name", "cap min..max/step", "pai us",
	       "features");
	for (int i = 0; i < n; i++)
		if (!h->powercap_ops->info_get(h, (uint32_t)i, &pi) &&
		    pi->parent_id == SCMI_POWERCAP_ROOT)
			list_text_tree(h, (uint32_t)i, 0);
	return CLI_EXIT_OK;
}

/* ---- get / set / measure ------------------------------------------------------ */

static int powercap_get(struct cli *cli, uint32_t dom)
{
	const struct scmi_handle *h = cli->h;
	const struct scmi_powercap_info *pi;
	uint32_t cap, pai;
	bool enabled;
	int ret;

	ret = h->powercap_ops->info_get(h, dom, &pi);
	if (!ret)
		ret = h->powercap_ops->cap_get(h, dom, &cap);
	if (ret)
		return cli_fail(cli, "cap", ret);
	ret = h->powercap_ops->cap_enable_get(h, dom, &enabled);
	if (ret)
		return cli_fail(cli, "capping state", ret);
	ret = h->powercap_ops->pai_get(h, dom, &pai);
	if (ret)
		return cli_fail(cli, "pai", ret);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "domain", json_object_new_int64(dom));
		json_object_object_add(o, "name", json_object_new_string(pi->name));
		json_object_object_add(o, "power_cap", json_object_new_int64(cap));
		json_object_object_add(o, "unit", json_object_new_string(unit_name(pi->unit)));
		json_object_object_add(o, "capping_enabled", json_object_new_boolean(enabled));
		json_object_object_add(o, "pai_us", json_object_new_int64(pai));
		cli_json_print(o);
	} else {
		printf("domain %" PRIu32 " (%s): cap %" PRIu32 " %s%s, pai %" PRIu32 " us\n", dom,
		       pi->name, cap, unit_name(pi->unit), enabled ? "" : " (capping disabled)",
		       pai);
	}
	return CLI_EXIT_OK;
}

struct set_args {
	bool cap, pai, no_wait;
	int enable; /* -1: not asked, 0: off, 1: on */
	uint32_t cap_val, pai_val;
};

static int powercap_set(struct cli *cli, uint32_t dom, const struct set_args *a)
{
	const struct scmi_handle *h = cli->h;
	int ret;

	if (a->enable >= 0) {
		ret = h->powercap_ops->cap_enable_set(h, dom, a->enable);
		if (ret)
			return cli_fail(cli, a->enable ? "enable capping" : "disable capping", ret);
	}
	if (a->cap) {
		ret = h->powercap_ops->cap_set(h, dom, a->cap_val, a->no_wait);
		if (ret)
			return cli_fail(cli, "set cap", ret);
	}
	if (a->pai) {
		ret = h->powercap_ops->pai_set(h, dom, a->pai_val);
		if (ret)
			return cli_fail(cli, "set pai", ret);
	}
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "domain", json_object_new_int64(dom));
		if (a->enable >= 0)
			json_object_object_add(o, "capping_enabled",
					       json_object_new_boolean(a->enable));
		if (a->cap)
			json_object_object_add(o, "power_cap", json_object_new_int64(a->cap_val));
		if (a->pai)
			json_object_object_add(o, "pai_us", json_object_new_int64(a->pai_val));
		cli_json_print(o);
	}
	return CLI_EXIT_OK;
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
		return cli_fail(cli, "measurements", ret);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "domain", json_object_new_int64(dom));
		json_object_object_add(o, "name", json_object_new_string(pi->name));
		json_object_object_add(o, "power", json_object_new_int64(power));
		json_object_object_add(o, "unit", json_object_new_string(unit_name(pi->unit)));
		json_object_object_add(o, "pai_us", json_object_new_int64(pai));
		cli_json_print(o);
	} else {
		printf("domain %" PRIu32 " (%s): power %" PRIu32 " %s over %" PRIu32 " us\n", dom,
		       pi->name, power, unit_name(pi->unit), pai);
	}
	return CLI_EXIT_OK;
}

/* ---- entry ------------------------------------------------------------------------- */

static int parse_set_options(struct cli *cli, int argc, char **argv, struct set_args *a)
{
	static const struct option opts[] = {
		{"cap", required_argument, NULL, 'c'},
		{"pai", required_argument, NULL, 'p'},
		{"no-wait", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "+c:p:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!strcmp(optarg, "on") || !strcmp(optarg, "off"))
				a->enable = !strcmp(optarg, "on");
			else if (cli_parse_u32(optarg, &a->cap_val))
				return cli_usage_error(cli, &cli_cmd_powercap,
						       "--cap: '%s' is not a number, on or off",
						       optarg);
			else
				a->cap = true;
			break;
		case 'p':
			if (cli_parse_u32(optarg, &a->pai_val))
				return cli_usage_error(cli, &cli_cmd_powercap,
						       "--pai: '%s' is not a number", optarg);
			a->pai = true;
			break;
		case 'n':
			a->no_wait = true;
			break;
		case 'h':
			usage(stdout, cli);
			exit(CLI_EXIT_OK);
		default:
			return cli_usage_error(cli, &cli_cmd_powercap, "unknown option");
		}
	}
	if (!a->cap && !a->pai && a->enable < 0)
		return cli_usage_error(cli, &cli_cmd_powercap, "set: give --cap and/or --pai");
	if (a->cap && a->enable >= 0)
		return cli_usage_error(cli, &cli_cmd_powercap, "set: --cap given twice");
	return 0;
}

static int powercap_run(struct cli *cli, int argc, char **argv)
{
	struct set_args sa = {.enable = -1};
	const char *dom_arg = NULL;
	uint32_t dom = 0;
	int verb, ret;

	if (argc < 2)
		return cli_usage_error(cli, &cli_cmd_powercap, "no verb given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout, cli);
		return CLI_EXIT_OK;
	}
	verb = cli_word(argv[1], powercap_verbs);
	if (verb < 0)
		return cli_usage_error(cli, &cli_cmd_powercap, "unknown verb '%s'", argv[1]);
	if (verb == VERB_LIST) {
		if (argc > 2)
			return cli_usage_error(cli, &cli_cmd_powercap,
					       "list: unexpected argument '%s'", argv[2]);
	} else {
		if (argc < 3)
			return cli_usage_error(cli, &cli_cmd_powercap, "%s: no DOMAIN given",
					       argv[1]);
		dom_arg = argv[2];
		if (verb == VERB_SET) {
			/* Options after the domain: argv[2] plays argv[0]. */
			ret = parse_set_options(cli, argc - 2, argv + 2, &sa);
			if (ret)
				return ret;
			if (optind < argc - 2)
				return cli_usage_error(cli, &cli_cmd_powercap,
						       "set: unexpected argument '%s'",
						       argv[2 + optind]);
		} else if (argc > 3) {
			return cli_usage_error(cli, &cli_cmd_powercap,
					       "%s: unexpected argument '%s'", argv[1], argv[3]);
		}
	}

	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->powercap_ops) {
		fprintf(stderr, "%s: powercap: the platform does not implement it\n", cli->prog);
		return CLI_EXIT_FAIL;
	}
	if (dom_arg) {
		ret = domain_lookup(cli->h, dom_arg, &dom);
		if (ret == -ENOENT) {
			fprintf(stderr, "%s: powercap: no domain '%s'\n", cli->prog, dom_arg);
			return CLI_EXIT_FAIL;
		}
		if (ret)
			return cli_fail(cli, "powercap", ret);
	}
	switch (verb) {
	case VERB_LIST:
		return powercap_list(cli);
	case VERB_GET:
		return powercap_get(cli, dom);
	case VERB_SET:
		return powercap_set(cli, dom, &sa);
	default:
		return powercap_measure(cli, dom);
	}
}

const struct cli_cmd cli_cmd_powercap = {
	.name = "powercap",
	.args = "list|get|set|measure ...",
	.help = "power capping domains: caps, averaging intervals, measurements",
	.run = powercap_run,
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

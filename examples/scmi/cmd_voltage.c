// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi voltage: the voltage domain management protocol.
 *
 *   scmi voltage list [--levels]
 *   scmi voltage get [DOMAIN]
 *   scmi voltage set DOMAIN [LEVEL] [--config MODE] [--async|--sync]
 *
 * DOMAIN is an id or a name.  LEVEL is in microvolts, or with a unit: uV,
 * mV or V ("0.8V", "-600mV"); negative levels may be given as they are.
 * Options may come anywhere after "voltage".
 * MODE is on, off, impl:N (implementation-defined mode N, 0..7) or a raw
 * config word.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

enum voltage_verb {
	VERB_LIST,
	VERB_GET,
	VERB_SET
};

static const char *const voltage_verbs[] = {"list", "get", "set", NULL};

struct voltage_args {
	enum voltage_verb verb;
	bool levels;	    /* list: every level */
	const char *domain; /* NULL: every domain (get) */
	bool have_level;
	int32_t level_uv;
	bool have_config;
	uint32_t config;
	enum scmi_voltage_level_mode mode;
};

static int parse_config(const char *s, uint32_t *out)
{
	uint32_t n;

	if (!strcmp(s, "on")) {
		*out = SCMI_VOLTAGE_CONFIG_ON;
		return 0;
	}
	if (!strcmp(s, "off")) {
		*out = SCMI_VOLTAGE_CONFIG_OFF;
		return 0;
	}
	if (!strncmp(s, "impl:", 5)) {
		if (cli_parse_u32(s + 5, &n) || n > 7)
			return -EINVAL;
		*out = SCMI_VOLTAGE_CONFIG_IMPL(n);
		return 0;
	}
	return cli_parse_u32(s, out);
}

/* Does @s look like a negative number (a LEVEL, not an option)? */
static bool negative_number(const char *s)
{
	return s[0] == '-' && ((s[1] >= '0' && s[1] <= '9') || s[1] == '.');
}

struct voltage_opts {
	bool levels;
	const char *config;
	int modes;
};

/* One option from getopt: 0, CLI_EXIT_USAGE, or -1 after help. */
static int voltage_option(struct cli *cli, struct voltage_args *a, struct voltage_opts *o, int c)
{
	switch (c) {
	case 'l':
		o->levels = true;
		return 0;
	case 'c':
		o->config = optarg;
		return 0;
	case 'a':
	case 'y':
		a->mode = c == 'a' ? SCMI_VOLTAGE_LEVEL_SET_ASYNC : SCMI_VOLTAGE_LEVEL_SET_SYNC;
		o->modes++;
		return 0;
	case 'h':
		cli_help(cli, &cli_cmd_voltage);
		return -1;
	default:
		return cli_usage_error(cli, &cli_cmd_voltage, "unknown option");
	}
}

/* The options given, against the verb. */
static int voltage_check(struct cli *cli, struct voltage_args *a, const struct voltage_opts *o)
{
	if (o->levels && a->verb != VERB_LIST)
		return cli_usage_error(cli, &cli_cmd_voltage, "--levels goes with list");
	if ((o->config || o->modes) && a->verb != VERB_SET)
		return cli_usage_error(cli, &cli_cmd_voltage,
				       "--config, --async and --sync go with set");
	if (o->modes > 1)
		return cli_usage_error(cli, &cli_cmd_voltage, "--async/--sync: once");
	a->levels = o->levels;
	if (o->config && parse_config(o->config, &a->config))
		return cli_bad_value(cli, &cli_cmd_voltage, "--config", o->config,
				     "not on, off, impl:N (0..7) or a number");
	a->have_config = o->config != NULL;
	return 0;
}

/*
 * Options may come anywhere, but a negative LEVEL ("-600000") looks like
 * one: getopt runs over a copy of the arguments in which negative numbers
 * are replaced by tags ("\1N" for argument N) and the tags it leaves as
 * operands are mapped back.  0 to run, CLI_EXIT_USAGE, or -1 when help was
 * printed.
 */
static int voltage_parse(struct cli *cli, int argc, char **argv, struct voltage_args *a)
{
	static const struct option opts[] = {
		{"levels", no_argument, NULL, 'l'}, {"config", required_argument, NULL, 'c'},
		{"async", no_argument, NULL, 'a'},  {"sync", no_argument, NULL, 'y'},
		{"help", no_argument, NULL, 'h'},   {NULL, 0, NULL, 0},
	};
	char *args[32], tags[32][8];
	const char *pos[3];
	unsigned int npos = 0, max = 3;
	struct voltage_opts o = {0};
	int64_t uv;
	int c, ret;

	if (argc > (int)(sizeof(args) / sizeof(args[0])))
		return cli_usage_error(cli, &cli_cmd_voltage, "too many arguments");
	a->mode = SCMI_VOLTAGE_LEVEL_SET_AUTO;
	for (int i = 0; i < argc; i++) {
		args[i] = argv[i];
		if (i && negative_number(argv[i])) {
			snprintf(tags[i], sizeof(tags[i]), "\1%d", i);
			args[i] = tags[i];
		}
	}
	while ((c = cli_getopt(cli, argc, args, "h", opts)) != -1) {
		ret = voltage_option(cli, a, &o, c);
		if (ret)
			return ret;
	}
	/* Verb, then at most DOMAIN and LEVEL. */
	for (; optind < argc; optind++) {
		const char *arg = args[optind];

		if (arg[0] == '\1')
			arg = argv[atoi(arg + 1)];
		if (npos == max)
			return cli_usage_error(cli, &cli_cmd_voltage, "unexpected argument '%s'",
					       arg);
		pos[npos++] = arg;
		if (npos == 1) {
			int verb = cli_word(arg, voltage_verbs);

			if (verb < 0)
				return cli_usage_error(cli, &cli_cmd_voltage,
						       "expected one of list, get, set");
			a->verb = (enum voltage_verb)verb;
			max = a->verb == VERB_LIST ? 1 : a->verb == VERB_GET ? 2 : 3;
		}
	}
	if (!npos)
		return cli_usage_error(cli, &cli_cmd_voltage, "expected one of list, get, set");
	ret = voltage_check(cli, a, &o);
	if (ret)
		return ret;
	if (a->verb == VERB_SET && npos < 2)
		return cli_usage_error(cli, &cli_cmd_voltage, "set needs a DOMAIN");
	a->domain = npos > 1 ? pos[1] : NULL;
	if (npos > 2) {
		ret = cli_arg_quantity(cli, &cli_cmd_voltage, "LEVEL", pos[2], CLI_VOLTAGE, -6, -6,
				       INT32_MIN, INT32_MAX, &uv);
		if (ret)
			return ret;
		a->level_uv = (int32_t)uv;
		a->have_level = true;
	}
	if (a->verb == VERB_SET && !a->have_level && !a->have_config)
		return cli_usage_error(cli, &cli_cmd_voltage, "set needs a LEVEL or --config");
	if (o.modes && !a->have_level)
		return cli_usage_error(cli, &cli_cmd_voltage, "--async/--sync need a LEVEL");
	return 0;
}

/* DOMAIN as an id, else as a name. */
static int resolve_domain(const struct scmi_handle *h, const char *s, uint32_t *id)
{
	const struct scmi_voltage_info *info;
	int n = h->voltage_ops->count_get(h);

	if (n < 0)
		return n;
	if (!cli_parse_u32(s, id))
		return 0;
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		if (!h->voltage_ops->info_get(h, i, &info) && info->name[0] &&
		    !strcmp(info->name, s)) {
			*id = i;
			return 0;
		}
	}
	return -ENOENT;
}

static const char *config_str(uint32_t config, char buf[16])
{
	uint32_t mode = config & SCMI_VOLTAGE_CONFIG_MODE_MASK;

	if (config == SCMI_VOLTAGE_CONFIG_ON)
		return "on";
	if (config == SCMI_VOLTAGE_CONFIG_OFF)
		return "off";
	if (!(config & ~SCMI_VOLTAGE_CONFIG_MODE_MASK) && (mode & SCMI_VOLTAGE_CONFIG_IMPL_DEFINED))
		snprintf(buf, 16, "impl:%" PRIu32, mode & 0x7u);
	else
		snprintf(buf, 16, "0x%" PRIx32, config);
	return buf;
}

/* ---- list ------------------------------------------------------------------ */

static struct json_object *info_json(const struct scmi_voltage_info *info)
{
	struct json_object *o = json_object_new_object();
	struct json_object *lv;

	json_object_object_add(o, "id", json_object_new_int64(info->id));
	json_object_object_add(o, "name", json_object_new_string(info->name));
	json_object_object_add(o, "usable", json_object_new_boolean(info->usable));
	if (!info->usable) {
		/* No levels: nothing to show but why. */
		json_object_object_add(o, "disabled", cli_disabled_json(0));
		return o;
	}
	json_object_object_add(o, "extended_name", json_object_new_boolean(info->extended_name));
	json_object_object_add(o, "async_level_set",
			       json_object_new_boolean(info->async_level_set));
	json_object_object_add(o, "min_uv", json_object_new_int64(info->min_uv));
	json_object_object_add(o, "max_uv", json_object_new_int64(info->max_uv));
	if (info->segmented) {
		lv = json_object_new_object();
		json_object_object_add(
			lv, "low_uv",
			json_object_new_int64(info->levels_uv[SCMI_VOLTAGE_SEGMENT_LOW]));
		json_object_object_add(
			lv, "high_uv",
			json_object_new_int64(info->levels_uv[SCMI_VOLTAGE_SEGMENT_HIGH]));
		json_object_object_add(
			lv, "step_uv",
			json_object_new_int64(info->levels_uv[SCMI_VOLTAGE_SEGMENT_STEP]));
		json_object_object_add(o, "segment", lv);
	} else {
		lv = json_object_new_array();
		for (unsigned int i = 0; i < info->num_levels; i++)
			json_object_array_add(lv, json_object_new_int64(info->levels_uv[i]));
		json_object_object_add(o, "levels_uv", lv);
	}
	return o;
}

/* "?" for a domain disabled before its name was known. */
static const char *domain_name(const struct scmi_voltage_info *info)
{
	return info->name[0] ? info->name : "?";
}

static void info_row(struct cli_table *t, const struct scmi_voltage_info *info)
{
	char desc[96], id[12];

	snprintf(id, sizeof(id), "%" PRIu32, info->id);
	if (!info->usable) {
		cli_table_add(t, id, domain_name(info), cli_disabled_text(0, desc, sizeof(desc)),
			      NULL);
		return;
	}
	if (info->segmented)
		snprintf(desc, sizeof(desc), "%" PRId32 "..%" PRId32 " uV step %" PRId32,
			 info->min_uv, info->max_uv, info->levels_uv[SCMI_VOLTAGE_SEGMENT_STEP]);
	else
		snprintf(desc, sizeof(desc), "%u level%s, %" PRId32 "..%" PRId32 " uV",
			 info->num_levels, info->num_levels == 1 ? "" : "s", info->min_uv,
			 info->max_uv);
	cli_table_add(t, id, info->name, desc, info->async_level_set ? "yes" : "no");
}

/* voltage list --levels: every level of the domains that list them. */
static void info_levels(const struct scmi_voltage_info *info)
{
	if (!info->usable || info->segmented)
		return;
	printf("\nlevels of %" PRIu32 " (%s) in uV", info->id, info->name);
	for (unsigned int i = 0; i < info->num_levels; i++)
		printf("%s%" PRId32, i % 8 ? " " : "\n  ", info->levels_uv[i]);
	printf("\n");
}

static int voltage_list(struct cli *cli, const struct voltage_args *a)
{
	static const struct cli_column cols[] = {
		{"ID", true}, {"NAME", false}, {"LEVELS", false}, {"ASYNC", false}};
	const struct scmi_handle *h = cli->h;
	struct json_object *arr = NULL;
	struct cli_table *t = NULL;
	int n = h->voltage_ops->count_get(h);

	if (n < 0)
		return cli_fail(cli, "voltage", n);
	if (cli->json)
		arr = json_object_new_array();
	else
		t = CLI_TABLE(cols);
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		const struct scmi_voltage_info *info;
		int ret = h->voltage_ops->info_get(h, i, &info);

		if (ret) {
			json_object_put(arr);
			if (t)
				cli_table_print(t);
			return cli_fail(cli, "voltage domain", ret);
		}
		if (arr)
			json_object_array_add(arr, info_json(info));
		else
			info_row(t, info);
	}
	if (t) {
		cli_table_print(t);
		for (uint32_t i = 0; a->levels && i < (uint32_t)n; i++) {
			const struct scmi_voltage_info *info;

			if (!h->voltage_ops->info_get(h, i, &info))
				info_levels(info);
		}
	}
	if (arr) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "domains", arr);
		cli_json_print(o);
	}
	return CLI_EXIT_OK;
}

/* ---- get / set ---------------------------------------------------------------- */

struct voltage_now {
	const struct scmi_voltage_info *info;
	struct cli_err level_err, config_err; /* .err 0: the value is valid */
	int32_t level_uv;
	uint32_t config;
};

static void now_read(const struct scmi_handle *h, uint32_t id, struct voltage_now *s)
{
	s->level_err = cli_err_now(h->voltage_ops->level_get(h, id, &s->level_uv));
	s->config_err = cli_err_now(h->voltage_ops->config_get(h, id, &s->config));
}

static struct json_object *now_json(const struct voltage_now *s)
{
	struct json_object *o = json_object_new_object();
	char buf[16];

	json_object_object_add(o, "id", json_object_new_int64(s->info->id));
	json_object_object_add(o, "name", json_object_new_string(s->info->name));
	if (!s->info->usable) {
		json_object_object_add(o, "usable", json_object_new_boolean(false));
		json_object_object_add(o, "disabled", cli_disabled_json(0));
		return o;
	}
	if (s->level_err.err)
		json_object_object_add(o, "level_error", cli_err_json(&s->level_err));
	else
		json_object_object_add(o, "level_uv", json_object_new_int64(s->level_uv));
	if (s->config_err.err) {
		json_object_object_add(o, "config_error", cli_err_json(&s->config_err));
	} else {
		json_object_object_add(o, "config", json_object_new_int64(s->config));
		json_object_object_add(o, "mode",
				       json_object_new_string(config_str(s->config, buf)));
	}
	return o;
}

/* One domain's level and configuration: a row of `voltage get`'s table
 * (@t), or the key-value lines of one domain (@t NULL). */
static void now_text(struct cli_table *t, const struct voltage_now *s)
{
	char lv[160], cf[160], buf[128], id[12];

	snprintf(id, sizeof(id), "%" PRIu32, s->info->id);
	if (!s->info->usable) {
		if (t)
			cli_table_add(t, id, domain_name(s->info),
				      cli_disabled_text(0, buf, sizeof(buf)), NULL);
		return;
	}
	if (s->level_err.err)
		snprintf(lv, sizeof(lv), "(%s)", cli_err_text(&s->level_err, buf, sizeof(buf)));
	else
		snprintf(lv, sizeof(lv), "%" PRId32 " uV", s->level_uv);
	if (s->config_err.err)
		snprintf(cf, sizeof(cf), "(%s)", cli_err_text(&s->config_err, buf, sizeof(buf)));
	else
		snprintf(cf, sizeof(cf), "%s", config_str(s->config, buf));
	if (t) {
		cli_table_add(t, id, s->info->name, lv, cf);
		return;
	}
	cli_kv("id", "%s", id);
	cli_kv("name", "%s", s->info->name);
	cli_kv("level", "%s", lv);
	cli_kv("config", "%s", cf);
}

static int voltage_get(struct cli *cli, const struct voltage_args *a)
{
	static const struct cli_column cols[] = {
		{"ID", true}, {"NAME", false}, {"LEVEL", true}, {"CONFIG", false}};
	const struct scmi_handle *h = cli->h;
	struct json_object *arr = NULL;
	struct cli_table *t = NULL;
	uint32_t first = 0, last;
	int n = h->voltage_ops->count_get(h), ret;

	if (n < 0)
		return cli_fail(cli, "voltage", n);
	last = (uint32_t)n;
	if (a->domain) {
		ret = resolve_domain(h, a->domain, &first);
		if (ret == -ENOENT)
			return cli_failf(cli, "voltage: no domain '%s'", a->domain);
		if (ret)
			return cli_fail(cli, "voltage", ret);
		last = first + 1;
	}
	if (cli->json && !a->domain)
		arr = json_object_new_array();
	else if (!cli->json && !a->domain)
		t = CLI_TABLE(cols);
	for (uint32_t i = first; i < last; i++) {
		struct voltage_now s;

		ret = h->voltage_ops->info_get(h, i, &s.info);
		if (ret) {
			json_object_put(arr);
			if (t)
				cli_table_print(t);
			return cli_fail(cli, "voltage domain", ret);
		}
		/* A disabled domain is shown as such in a listing; asked
		 * for alone, its level_get() says why it fails. */
		if (!s.info->usable && !a->domain) {
			if (arr)
				json_object_array_add(arr, now_json(&s));
			else
				now_text(t, &s);
			continue;
		}
		now_read(h, i, &s);
		/* One domain asked for: its level is the answer (the
		 * configuration may be unavailable, and says why). */
		if (a->domain && s.level_err.err)
			return cli_fail_err(cli, "voltage get", &s.level_err);
		if (arr)
			json_object_array_add(arr, now_json(&s));
		else if (cli->json)
			cli_json_print(now_json(&s));
		else
			now_text(t, &s);
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

static int voltage_set(struct cli *cli, const struct voltage_args *a)
{
	const struct scmi_handle *h = cli->h;
	struct voltage_now s;
	uint32_t id;
	int ret;

	ret = resolve_domain(h, a->domain, &id);
	if (ret == -ENOENT)
		return cli_failf(cli, "voltage: no domain '%s'", a->domain);
	if (!ret)
		ret = h->voltage_ops->info_get(h, id, &s.info);
	if (ret)
		return cli_fail(cli, "voltage domain", ret);
	/* Configuration first: a domain is usually switched on, then set. */
	if (a->have_config) {
		ret = h->voltage_ops->config_set(h, id, a->config);
		if (ret)
			return cli_fail(cli, "voltage config", ret);
	}
	if (a->have_level) {
		ret = h->voltage_ops->level_set(h, id, a->mode, a->level_uv);
		if (ret == -ERANGE || ret == -EINVAL) {
			char what[160];

			/* Say what the domain takes, on the same line. */
			snprintf(what, sizeof(what),
				 "voltage level (domain %s takes %" PRId32 "..%" PRId32 " uV%s)",
				 s.info->name, s.info->min_uv, s.info->max_uv,
				 s.info->segmented ? " in steps" : ", see voltage list --levels");
			return cli_fail(cli, what, ret);
		}
		if (ret)
			return cli_fail(cli, "voltage level", ret);
	}
	now_read(h, id, &s);
	if (cli->json) {
		cli_json_print(now_json(&s));
		return CLI_EXIT_OK;
	}
	now_text(NULL, &s);
	return CLI_EXIT_OK;
}

static int voltage_run(struct cli *cli, int argc, char **argv)
{
	struct voltage_args a = {0};
	int ret = voltage_parse(cli, argc, argv, &a);

	if (ret)
		return ret < 0 ? CLI_EXIT_OK : ret;
	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->voltage_ops)
		return cli_no_protocol(cli, "voltage");
	switch (a.verb) {
	case VERB_LIST:
		return voltage_list(cli, &a);
	case VERB_GET:
		return voltage_get(cli, &a);
	case VERB_SET:
		return voltage_set(cli, &a);
	}
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_voltage = {
	.name = "voltage",
	.args = "list [--levels] | get [DOMAIN] | set DOMAIN [LEVEL] [--config MODE] "
		"[--async|--sync]",
	.help = "voltage domains: levels, configuration",
	.run = voltage_run,
	.verbs = "  list [--levels]                 every domain and its levels\n"
		 "  get [DOMAIN]                    level and configuration (of every domain\n"
		 "                                  without DOMAIN)\n"
		 "  set DOMAIN [LEVEL]              set the level and/or the configuration, then\n"
		 "                                  print the domain as get does\n"
		 "      --config on|off|impl:N|WORD configuration (mode)\n"
		 "      --async | --sync            force the asynchronous or synchronous form\n"
		 "                                  (default: async when supported)\n",
	.notes = "DOMAIN: id or name.  LEVEL: microvolts, or with a unit: uV, mV or V\n"
		 "(\"0.8V\", \"1.2V\", \"-600mV\"); negative levels may be written as they are.\n",
};

/* The voltage protocol has no notifications. */
const struct cli_events cli_voltage_events = {NULL, 0};

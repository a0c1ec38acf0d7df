// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi pinctrl: pins, groups and functions; settings, function select and
 * ownership (Pin control protocol).
 *
 *   scmi pinctrl list [pins|groups|functions]
 *   scmi pinctrl get pin|group ID [CONFIG...]
 *   scmi pinctrl set pin|group ID [function=FUNC] [CONFIG=VALUE...]
 *   scmi pinctrl request|release pin|group ID
 *
 * ID and FUNC are numbers or names; CONFIG is a config type name
 * ("bias-pull-up", "drive-strength" ...), "oem-N" or a number.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"

#define PINCTRL_MAX_ARGS SCMI_PINCTRL_MAX_CONFIGS

const struct cli_cmd cli_cmd_pinctrl;

enum pinctrl_verb {
	VERB_LIST,
	VERB_GET,
	VERB_SET,
	VERB_REQUEST,
	VERB_RELEASE
};

static const char *const pinctrl_verbs[] = {"list", "get", "set", "request", "release", NULL};
static const char *const pinctrl_kinds[] = {"pin", "group", "function", NULL};
static const char *const pinctrl_lists[] = {"pins", "groups", "functions", NULL};

/* What the command line asks for, parsed before the platform is opened. */
struct pinctrl_args {
	enum pinctrl_verb verb;
	int list; /* -1: everything */
	enum scmi_pinctrl_selector_type type;
	const char *elem;     /* ID or name */
	const char *function; /* set: FUNC, or NULL */
	struct scmi_pinctrl_config configs[PINCTRL_MAX_ARGS];
	unsigned int nr_configs;
};

static void pinctrl_help(const struct cli *cli)
{
	cli_help(cli, &cli_cmd_pinctrl);
	printf("\nConfig types:\n");
	for (unsigned int t = 0; t <= SCMI_PINCTRL_CONF_SLEW_RATE; t++)
		printf("  %2u %s\n", t, scmi_pinctrl_config_name(t));
	printf("  192..255 oem-N\n");
}

/* "drive-strength=8" (set) or "drive-strength" (get). */
static int pinctrl_parse_config(const struct cli *cli, const char *arg, bool with_value,
				struct scmi_pinctrl_config *c)
{
	char name[64];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

	if (with_value != (eq != NULL) || len >= sizeof(name))
		return cli_usage_error(cli, &cli_cmd_pinctrl, "'%s': expected %s", arg,
				       with_value ? "CONFIG=VALUE" : "a config type");
	memcpy(name, arg, len);
	name[len] = '\0';
	if (scmi_pinctrl_config_parse(name, &c->type))
		return cli_usage_error(cli, &cli_cmd_pinctrl, "unknown config type '%s'", name);
	if (eq && cli_parse_u32(eq + 1, &c->value))
		return cli_usage_error(cli, &cli_cmd_pinctrl, "'%s' is not a u32 value", eq + 1);
	return 0;
}

static int pinctrl_parse(const struct cli *cli, int argc, char **argv, struct pinctrl_args *a)
{
	int verb, kind, i = optind, ret;

	verb = i < argc ? cli_word(argv[i], pinctrl_verbs) : -1;
	if (verb < 0)
		return cli_usage_error(cli, &cli_cmd_pinctrl,
				       "expected one of list, get, set, "
				       "request, release");
	a->verb = (enum pinctrl_verb)verb;
	i++;
	if (a->verb == VERB_LIST) {
		a->list = -1;
		if (i < argc && (a->list = cli_word(argv[i++], pinctrl_lists)) < 0)
			return cli_usage_error(cli, &cli_cmd_pinctrl, "list what: '%s'?",
					       argv[i - 1]);
		if (i < argc)
			return cli_usage_error(cli, &cli_cmd_pinctrl, "unexpected argument '%s'",
					       argv[i]);
		return 0;
	}
	kind = i < argc ? cli_word(argv[i], pinctrl_kinds) : -1;
	if (kind < 0 || kind == SCMI_PINCTRL_FUNCTION)
		return cli_usage_error(cli, &cli_cmd_pinctrl, "expected 'pin' or 'group'");
	a->type = (enum scmi_pinctrl_selector_type)kind;
	if (++i >= argc)
		return cli_usage_error(cli, &cli_cmd_pinctrl, "missing %s id or name",
				       pinctrl_kinds[kind]);
	a->elem = argv[i++];
	for (; i < argc; i++) {
		if (a->verb == VERB_REQUEST || a->verb == VERB_RELEASE)
			return cli_usage_error(cli, &cli_cmd_pinctrl, "unexpected argument '%s'",
					       argv[i]);
		if (a->verb == VERB_SET && !strncmp(argv[i], "function=", 9)) {
			a->function = argv[i] + 9;
			continue;
		}
		if (a->nr_configs == PINCTRL_MAX_ARGS)
			return cli_usage_error(cli, &cli_cmd_pinctrl, "too many configs");
		ret = pinctrl_parse_config(cli, argv[i], a->verb == VERB_SET,
					   &a->configs[a->nr_configs++]);
		if (ret)
			return ret;
	}
	if (a->verb == VERB_SET && !a->function && !a->nr_configs)
		return cli_usage_error(cli, &cli_cmd_pinctrl, "nothing to set");
	return 0;
}

/* A number, or a name the platform reported. */
static int pinctrl_resolve(const struct cli *cli, enum scmi_pinctrl_selector_type type,
			   const char *arg, uint32_t *id)
{
	const struct scmi_pinctrl_ops *ops = cli->h->pinctrl_ops;
	int ret;

	if (!cli_parse_u32(arg, id))
		return 0;
	ret = ops->id_lookup(cli->h, type, arg, id);
	if (ret == -ENOENT)
		return cli_failf(cli, "pinctrl: no %s named '%s'", scmi_pinctrl_type_name(type),
				 arg);
	return ret ? cli_fail(cli, "pinctrl", ret) : 0;
}

static const char *pinctrl_name(const struct cli *cli, enum scmi_pinctrl_selector_type type,
				uint32_t id)
{
	const char *name;

	/* An element disabled before its name was known has none. */
	if (cli->h->pinctrl_ops->name_get(cli->h, type, id, &name) || !name[0])
		return "?";
	return name;
}

static void pinctrl_config_label(uint8_t type, char buf[32])
{
	const char *name = scmi_pinctrl_config_name(type);

	if (type >= SCMI_PINCTRL_CONF_OEM_FIRST)
		snprintf(buf, 32, "oem-%u", type);
	else
		snprintf(buf, 32, "%s", name ? name : "reserved");
}

/* ---- list ------------------------------------------------------------------ */

static const enum scmi_pinctrl_selector_type pinctrl_member_type[] = {
	[SCMI_PINCTRL_GROUP] = SCMI_PINCTRL_PIN,
	[SCMI_PINCTRL_FUNCTION] = SCMI_PINCTRL_GROUP,
};

/* One table per kind: "pins (64)" then ID, NAME and the members
 * (a group's pins, a function's groups). */
static void pinctrl_list_text(const struct cli *cli, enum scmi_pinctrl_selector_type type, int n,
			      bool first)
{
	static const struct cli_column pin_cols[] = {{"ID", true}, {"NAME", false}};
	static const struct cli_column group_cols[] = {
		{"ID", true}, {"NAME", false}, {"PINS", false}};
	static const struct cli_column function_cols[] = {
		{"ID", true}, {"NAME", false}, {"GROUPS", false}};
	const struct scmi_pinctrl_ops *ops = cli->h->pinctrl_ops;
	struct cli_table *t = type == SCMI_PINCTRL_PIN	   ? CLI_TABLE(pin_cols)
			      : type == SCMI_PINCTRL_GROUP ? CLI_TABLE(group_cols)
							   : CLI_TABLE(function_cols);

	printf("%s%ss (%d)\n", first ? "" : "\n", scmi_pinctrl_type_name(type), n);
	for (int id = 0; id < n; id++) {
		const struct scmi_pinctrl_info *info;
		char ids[12], members[1024] = "";
		size_t len = 0;

		if (ops->info_get(cli->h, type, (uint32_t)id, &info))
			continue;
		snprintf(ids, sizeof(ids), "%d", id);
		if (!info->usable) {
			char why[128];

			/* No members: the log says what the platform did. */
			cli_table_add(t, ids, pinctrl_name(cli, type, (uint32_t)id),
				      type == SCMI_PINCTRL_PIN ? NULL : "");
			cli_table_addf(t, type == SCMI_PINCTRL_PIN ? 1 : 2, "%s%s%s",
				       type == SCMI_PINCTRL_PIN
					       ? pinctrl_name(cli, type, (uint32_t)id)
					       : "",
				       type == SCMI_PINCTRL_PIN ? " " : "",
				       cli_disabled_text(0, why, sizeof(why)));
			continue;
		}
		for (unsigned int i = 0;
		     type != SCMI_PINCTRL_PIN && i < info->num_elems && len < sizeof(members); i++)
			len += (size_t)snprintf(
				members + len, sizeof(members) - len, "%s%s", i ? " " : "",
				pinctrl_name(cli, pinctrl_member_type[type], info->elems[i]));
		if (type == SCMI_PINCTRL_PIN)
			cli_table_add(t, ids, pinctrl_name(cli, type, (uint32_t)id));
		else
			cli_table_add(t, ids, pinctrl_name(cli, type, (uint32_t)id), members);
	}
	cli_table_print(t);
}

static struct json_object *pinctrl_list_json(const struct cli *cli,
					     enum scmi_pinctrl_selector_type type, int n)
{
	static const char *const members[] = {NULL, "pins", "groups"};
	const struct scmi_pinctrl_ops *ops = cli->h->pinctrl_ops;
	struct json_object *arr = json_object_new_array();

	for (int id = 0; id < n; id++) {
		const struct scmi_pinctrl_info *info;
		struct json_object *o, *m;

		if (ops->info_get(cli->h, type, (uint32_t)id, &info))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int(id));
		json_object_object_add(o, "name", json_object_new_string(info->name));
		json_object_object_add(o, "usable", json_object_new_boolean(info->usable));
		if (!info->usable) {
			json_object_object_add(o, "disabled", cli_disabled_json(0));
		} else if (type != SCMI_PINCTRL_PIN) {
			m = json_object_new_array();
			for (unsigned int i = 0; i < info->num_elems; i++)
				json_object_array_add(m, json_object_new_int64(info->elems[i]));
			json_object_object_add(o, members[type], m);
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

static int pinctrl_list(const struct cli *cli, const struct pinctrl_args *a)
{
	const struct scmi_pinctrl_ops *ops = cli->h->pinctrl_ops;
	struct json_object *o = cli->json ? json_object_new_object() : NULL;
	int shown = 0;

	for (int t = SCMI_PINCTRL_PIN; t <= SCMI_PINCTRL_FUNCTION; t++) {
		enum scmi_pinctrl_selector_type type = (enum scmi_pinctrl_selector_type)t;
		int n;

		if (a->list >= 0 && a->list != t)
			continue;
		n = ops->count_get(cli->h, type);
		if (n < 0) {
			json_object_put(o);
			return cli_fail(cli, "pinctrl list", n);
		}
		if (o)
			json_object_object_add(o, pinctrl_lists[t],
					       pinctrl_list_json(cli, type, n));
		else
			pinctrl_list_text(cli, type, n, !shown++);
	}
	if (o)
		cli_json_print(o);
	return CLI_EXIT_OK;
}

/* ---- get ----------------------------------------------------------------------- */

static struct json_object *pinctrl_function_json(const struct cli *cli, uint32_t f)
{
	struct json_object *o;

	if (f == SCMI_PINCTRL_NO_FUNCTION)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(f));
	json_object_object_add(o, "name",
			       json_object_new_string(pinctrl_name(cli, SCMI_PINCTRL_FUNCTION, f)));
	return o;
}

static void pinctrl_get_print(const struct cli *cli, const struct pinctrl_args *a, uint32_t id,
			      uint32_t f, const struct scmi_pinctrl_config *c, unsigned int n)
{
	const char *kind = scmi_pinctrl_type_name(a->type);
	struct json_object *o, *arr;
	char label[32];

	if (!cli->json) {
		static const struct cli_column cols[] = {{"CONFIG", false}, {"VALUE", true}};
		struct cli_table *t = CLI_TABLE(cols);

		cli_kv("type", "%s", kind);
		cli_kv("id", "%" PRIu32, id);
		cli_kv("name", "%s", pinctrl_name(cli, a->type, id));
		if (f == SCMI_PINCTRL_NO_FUNCTION)
			cli_kv("function", "none");
		else
			cli_kv("function", "%s (%" PRIu32 ")",
			       pinctrl_name(cli, SCMI_PINCTRL_FUNCTION, f), f);
		printf("\n");
		for (unsigned int i = 0; i < n; i++) {
			pinctrl_config_label(c[i].type, label);
			cli_table_add(t, label, NULL);
			cli_table_addf(t, 1, "%" PRIu32, c[i].value);
		}
		cli_table_print(t);
		return;
	}
	o = json_object_new_object();
	arr = json_object_new_array();
	json_object_object_add(o, "type", json_object_new_string(kind));
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(pinctrl_name(cli, a->type, id)));
	json_object_object_add(o, "function", pinctrl_function_json(cli, f));
	for (unsigned int i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		pinctrl_config_label(c[i].type, label);
		json_object_object_add(e, "type", json_object_new_int(c[i].type));
		json_object_object_add(e, "name", json_object_new_string(label));
		json_object_object_add(e, "value", json_object_new_int64(c[i].value));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "configs", arr);
	cli_json_print(o);
}

static int pinctrl_get(const struct cli *cli, const struct pinctrl_args *a, uint32_t id)
{
	const struct scmi_pinctrl_ops *ops = cli->h->pinctrl_ops;
	struct scmi_pinctrl_config c[SCMI_PINCTRL_MAX_CONFIGS];
	unsigned int n = SCMI_PINCTRL_MAX_CONFIGS;
	uint32_t f;
	int ret;

	if (a->nr_configs) {
		n = a->nr_configs;
		memcpy(c, a->configs, n * sizeof(c[0]));
		ret = ops->function_get(cli->h, a->type, id, &f);
		for (unsigned int i = 0; !ret && i < n; i++)
			ret = ops->settings_get_one(cli->h, a->type, id, c[i].type, &c[i].value);
	} else {
		ret = ops->settings_get_all(cli->h, a->type, id, c, &n, &f);
	}
	if (ret)
		return cli_fail(cli, "pinctrl get", ret);
	pinctrl_get_print(cli, a, id, f, c, n);
	return CLI_EXIT_OK;
}

/* ---- set, request, release ------------------------------------------------------- */

static int pinctrl_set(const struct cli *cli, const struct pinctrl_args *a, uint32_t id)
{
	const struct scmi_pinctrl_ops *ops = cli->h->pinctrl_ops;
	uint32_t f = SCMI_PINCTRL_NO_FUNCTION;
	int ret;

	if (a->function) {
		ret = pinctrl_resolve(cli, SCMI_PINCTRL_FUNCTION, a->function, &f);
		if (ret)
			return ret;
	}
	if (a->nr_configs) {
		ret = ops->settings_conf(cli->h, a->type, id, a->configs, a->nr_configs);
		if (ret)
			return cli_fail(cli, "pinctrl set", ret);
	}
	if (a->function) {
		ret = ops->function_select(cli->h, a->type, id, f);
		if (ret)
			return cli_fail(cli, "pinctrl set function", ret);
	}
	/* The result read back: the function and the configs set. */
	return pinctrl_get(cli, a, id);
}

static int pinctrl_own(const struct cli *cli, const struct pinctrl_args *a, uint32_t id)
{
	const struct scmi_pinctrl_ops *ops = cli->h->pinctrl_ops;
	bool req = a->verb == VERB_REQUEST;
	struct json_object *o;
	int ret;

	ret = req ? ops->request(cli->h, a->type, id) : ops->release(cli->h, a->type, id);
	if (ret)
		return cli_fail(cli, req ? "pinctrl request" : "pinctrl release", ret);
	if (!cli->json) {
		cli_kv("type", "%s", scmi_pinctrl_type_name(a->type));
		cli_kv("id", "%" PRIu32, id);
		cli_kv("name", "%s", pinctrl_name(cli, a->type, id));
		cli_kv("action", "%s", req ? "requested" : "released");
		return CLI_EXIT_OK;
	}
	o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(scmi_pinctrl_type_name(a->type)));
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, req ? "requested" : "released", json_object_new_boolean(true));
	cli_json_print(o);
	return CLI_EXIT_OK;
}

static int pinctrl_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct pinctrl_args a = {0};
	uint32_t id = 0;
	int c, ret;

	while ((c = cli_getopt(cli, argc, argv, "h", opts)) != -1) {
		if (c == 'h') {
			pinctrl_help(cli);
			return CLI_EXIT_OK;
		}
		return cli_usage_error(cli, &cli_cmd_pinctrl, "unknown option");
	}
	ret = pinctrl_parse(cli, argc, argv, &a);
	if (ret)
		return ret;
	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->pinctrl_ops)
		return cli_no_protocol(cli, "pinctrl");
	if (a.verb == VERB_LIST)
		return pinctrl_list(cli, &a);
	ret = pinctrl_resolve(cli, a.type, a.elem, &id);
	if (ret)
		return ret;
	switch (a.verb) {
	case VERB_GET:
		return pinctrl_get(cli, &a, id);
	case VERB_SET:
		return pinctrl_set(cli, &a, id);
	default:
		return pinctrl_own(cli, &a, id);
	}
}

const struct cli_cmd cli_cmd_pinctrl = {
	.name = "pinctrl",
	.args = "list [pins|groups|functions] | get|set|request|release pin|group ID [...]",
	.help = "pin control: list pins/groups/functions, read and change settings",
	.run = pinctrl_run,
	.verbs = "  list [pins|groups|functions]    pins, groups and functions (or one kind)\n"
		 "  get pin|group ID [CONFIG...]    the function and the configs (all, or those)\n"
		 "  set pin|group ID [function=FUNC] [CONFIG=VALUE...]\n"
		 "                                  change them, then print the function and the\n"
		 "                                  configs set, read back\n"
		 "  request|release pin|group ID    take or give back exclusive use\n",
	.notes = "ID and FUNC are numbers or names.  CONFIG is a config type (below) or its\n"
		 "number.\n",
};

/* Pin control has no notifications. */
const struct cli_events cli_pinctrl_events = {NULL, 0};

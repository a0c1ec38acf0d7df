// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi sensor: list sensors, read them, watch them, arm trip points,
 * configure them.
 *
 *   scmi sensor list [ID]
 *   scmi sensor read ID [--sync | --async]
 *   scmi sensor watch ID [--count N] [--poll MS]
 *   scmi sensor trip ID TRIP off|up|down|both VALUE [--raw] [--wait] [--count N]
 *   scmi sensor config ID [--enable B] [--timestamps B] [--interval S] [--round R]
 *
 * VALUEs are in the sensor's unit ("45.5" for 45.5 °C) unless --raw (then
 * in units of 10^scale, as on the wire); negative ones may be written
 * as is ("-5") or after "--".
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define SENSOR_ID SCMI_PROTOCOL_SENSOR

static const char *const sensor_verbs[] = {"list", "read", "watch", "trip", "config", NULL};
enum {
	V_LIST,
	V_READ,
	V_WATCH,
	V_TRIP,
	V_CONFIG
};

static const char *const trip_modes[] = {"off", "up", "down", "both", NULL};
static const char *const roundings[] = {"down", "up", "auto", NULL};

struct sensor_args {
	int verb;
	const char *pos[5]; /* positional arguments after the verb */
	int npos;
	enum scmi_sensor_read_mode mode;
	bool mode_set, raw, wait, poll_set, count_set;
	uint32_t count, poll_ms;
	bool enable, timestamps, enable_set, timestamps_set, round_set;
	const char *interval;
	int rounding;
};

/* The CLI quantity of a sensor unit, so that its values take units. */
static enum cli_quantity sensor_quantity(uint8_t type)
{
	switch (type) {
	case SCMI_SENSOR_UNIT_VOLTS:
		return CLI_VOLTAGE;
	case SCMI_SENSOR_UNIT_WATTS:
		return CLI_POWER;
	case SCMI_SENSOR_UNIT_SECONDS:
		return CLI_TIME;
	case SCMI_SENSOR_UNIT_HZ:
		return CLI_FREQUENCY;
	default:
		return CLI_NUMBER;
	}
}

/* ---- formatting ---------------------------------------------------------- */

static const char *value_str(char *buf, size_t size, int64_t v, int8_t scale)
{
	scmi_sensor_format_value(buf, size, v, scale);
	return buf;
}

/* "250ms", "10s", "1µs"..., or "NeE s" when out of range. */
static const char *interval_str(char *buf, size_t size, struct scmi_sensor_interval iv)
{
	static const struct {
		uint64_t div;
		const char *unit;
	} units[] = {{1000000000ull, "s"}, {1000000ull, "ms"}, {1000ull, "µs"}, {1, "ns"}};
	uint64_t ns = scmi_sensor_interval_ns(iv);

	if (ns == UINT64_MAX || (ns == 0 && iv.seconds)) {
		snprintf(buf, size, "%ue%d s", iv.seconds, iv.exponent);
		return buf;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ns % units[i].div == 0) {
			snprintf(buf, size, "%" PRIu64 "%s", ns / units[i].div, units[i].unit);
			return buf;
		}
	}
	return buf; /* not reached: div 1 always matches */
}

static void intervals_text(const struct scmi_sensor_intervals *iv, char *out, size_t size)
{
	char a[32], b[32], c[32];
	size_t len = 0;

	out[0] = '\0';
	if (!iv->count) {
		snprintf(out, size, "-");
		return;
	}
	if (iv->segmented) {
		snprintf(out, size, "%s..%s step %s", interval_str(a, sizeof(a), iv->list[0]),
			 interval_str(b, sizeof(b), iv->list[1]),
			 interval_str(c, sizeof(c), iv->list[2]));
		return;
	}
	if (iv->count > 4) {
		snprintf(out, size, "%s..%s (%u values)", interval_str(a, sizeof(a), iv->list[0]),
			 interval_str(b, sizeof(b), iv->list[iv->count - 1]), iv->count);
		return;
	}
	for (unsigned int i = 0; i < iv->count && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "," : "",
					interval_str(a, sizeof(a), iv->list[i]));
}

static void flags_text(const struct scmi_sensor_info *si, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s", si->async ? "async," : "",
		 si->continuous_update ? "update," : "", si->timestamped ? "ts," : "",
		 si->extended_attrs ? "ext," : "");
	if (out[0])
		out[strlen(out) - 1] = '\0';
	else
		snprintf(out, size, "-");
}

/* Unit and scale of reading @i of a sensor (its axis's for multi-axis). */
static void reading_unit(const struct scmi_sensor_info *si, unsigned int i, uint8_t *type,
			 int8_t *scale)
{
	if (si->num_axes && i < si->num_axes) {
		*type = si->axes[i].type;
		*scale = si->axes[i].scale;
	} else {
		*type = si->type;
		*scale = si->scale;
	}
}

/* ---- JSON ----------------------------------------------------------------- */

static struct json_object *interval_json(struct scmi_sensor_interval iv)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "seconds", json_object_new_int(iv.seconds));
	json_object_object_add(o, "exponent", json_object_new_int(iv.exponent));
	json_object_object_add(o, "ns", json_object_new_uint64(scmi_sensor_interval_ns(iv)));
	return o;
}

static struct json_object *range_json(struct scmi_sensor_resolution res, int64_t min, int64_t max)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "resolution", json_object_new_int64(res.value));
	json_object_object_add(o, "resolution_exponent", json_object_new_int(res.exponent));
	json_object_object_add(o, "min", json_object_new_int64(min));
	json_object_object_add(o, "max", json_object_new_int64(max));
	return o;
}

static struct json_object *sensor_json(const struct scmi_sensor_info *si)
{
	struct json_object *o = json_object_new_object();
	struct json_object *ivs = json_object_new_array(), *axes = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_int64(si->id));
	json_object_object_add(o, "name", json_object_new_string(si->name));
	json_object_object_add(o, "usable", json_object_new_boolean(si->usable));
	if (!si->usable) {
		/* No axes, no intervals: nothing to show but why. */
		json_object_object_add(o, "disabled", cli_disabled_json(0));
		json_object_put(ivs);
		json_object_put(axes);
		return o;
	}
	json_object_object_add(o, "type", json_object_new_int(si->type));
	json_object_object_add(o, "unit", json_object_new_string(scmi_sensor_unit_name(si->type)));
	json_object_object_add(o, "scale", json_object_new_int(si->scale));
	json_object_object_add(o, "trip_points", json_object_new_int(si->num_trip_points));
	json_object_object_add(o, "async", json_object_new_boolean(si->async));
	json_object_object_add(o, "continuous_update",
			       json_object_new_boolean(si->continuous_update));
	json_object_object_add(o, "timestamped", json_object_new_boolean(si->timestamped));
	if (si->timestamped)
		json_object_object_add(o, "timestamp_scale", json_object_new_int(si->tstamp_scale));
	if (si->extended_attrs)
		json_object_object_add(o, "power_uw", json_object_new_int64(si->sensor_power));
	if (si->extended_scalar_attrs)
		json_object_object_add(o, "range",
				       range_json(si->resolution, si->min_range, si->max_range));
	for (unsigned int a = 0; a < si->num_axes; a++) {
		const struct scmi_sensor_axis_info *ax = &si->axes[a];
		struct json_object *ao = json_object_new_object();

		json_object_object_add(ao, "id", json_object_new_int64(ax->id));
		json_object_object_add(ao, "name", json_object_new_string(ax->name));
		json_object_object_add(ao, "type", json_object_new_int(ax->type));
		json_object_object_add(ao, "unit",
				       json_object_new_string(scmi_sensor_unit_name(ax->type)));
		json_object_object_add(ao, "scale", json_object_new_int(ax->scale));
		if (ax->extended_attrs)
			json_object_object_add(
				ao, "range",
				range_json(ax->resolution, ax->min_range, ax->max_range));
		json_object_array_add(axes, ao);
	}
	json_object_object_add(o, "axes", axes);
	for (unsigned int i = 0; i < si->intervals.count; i++)
		json_object_array_add(ivs, interval_json(si->intervals.list[i]));
	json_object_object_add(o, "intervals_segmented",
			       json_object_new_boolean(si->intervals.segmented));
	json_object_object_add(o, "intervals", ivs);
	return o;
}

static struct json_object *readings_json(const struct scmi_sensor_info *si,
					 const struct scmi_sensor_reading *r, unsigned int n)
{
	struct json_object *arr = json_object_new_array();
	char buf[48];

	for (unsigned int i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		uint8_t type;
		int8_t scale;

		reading_unit(si, i, &type, &scale);
		if (si->num_axes)
			json_object_object_add(o, "axis", json_object_new_int((int)i));
		json_object_object_add(o, "value", json_object_new_int64(r[i].value));
		json_object_object_add(
			o, "scaled",
			json_object_new_string(value_str(buf, sizeof(buf), r[i].value, scale)));
		json_object_object_add(o, "unit",
				       json_object_new_string(scmi_sensor_unit_name(type)));
		json_object_object_add(o, "timestamp", json_object_new_uint64(r[i].timestamp));
		if (si->timestamped)
			json_object_object_add(o, "timestamp_ns",
					       json_object_new_uint64(scmi_sensor_timestamp_ns(
						       r[i].timestamp, si->tstamp_scale)));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* One line of JSON (for streams: watch, trip --wait). */
static void json_line(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
}

/* ---- argument parsing ------------------------------------------------------- */

/* A negative number, which getopt would take for options. */
static bool negative_number(const char *s)
{
	return s[0] == '-' && ((s[1] >= '0' && s[1] <= '9') || (s[1] == '.' && s[2]));
}

static int parse_args(struct cli *cli, int argc, char **argv, struct sensor_args *a)
{
	static const struct option opts[] = {
		{"sync", no_argument, NULL, 's'},
		{"async", no_argument, NULL, 'a'},
		{"count", required_argument, NULL, 'n'},
		{"poll", required_argument, NULL, 'p'},
		{"raw", no_argument, NULL, 'r'},
		{"wait", no_argument, NULL, 'w'},
		{"enable", required_argument, NULL, 'e'},
		{"timestamps", required_argument, NULL, 'T'},
		{"interval", required_argument, NULL, 'i'},
		{"round", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char **av = calloc((size_t)argc + 1, sizeof(*av));
	int c, ret = 0;

	if (!av)
		return cli_fail(cli, "sensor", -ENOMEM);
	/* Hide negative numbers from getopt: point past their '-', and map
	 * them back once getopt has permuted the arguments. */
	for (int i = 0; i < argc; i++)
		av[i] = i && negative_number(argv[i]) ? argv[i] + 1 : argv[i];
	a->rounding = SCMI_SENSOR_ROUND_AUTO;
	while (!ret && (c = cli_getopt(cli, argc, av, "sahn:p:rwe:T:i:R:", opts)) != -1) {
		switch (c) {
		case 's':
		case 'a':
			a->mode = c == 's' ? SCMI_SENSOR_READ_SYNC : SCMI_SENSOR_READ_ASYNC;
			ret = a->mode_set ? cli_usage_error(cli, &cli_cmd_sensor,
							    "--sync and --async exclude each other")
					  : 0;
			a->mode_set = true;
			break;
		case 'n':
			a->count_set = true;
			if (cli_parse_u32(optarg, &a->count) || !a->count)
				ret = cli_usage_error(cli, &cli_cmd_sensor, "bad --count '%s'",
						      optarg);
			break;
		case 'p': {
			int64_t ms;

			a->poll_set = true;
			ret = cli_arg_quantity(cli, &cli_cmd_sensor, "--poll", optarg, CLI_TIME, -3,
					       -3, 1, UINT32_MAX, &ms);
			a->poll_ms = (uint32_t)ms;
			break;
		}
		case 'r':
			a->raw = true;
			break;
		case 'w':
			a->wait = true;
			break;
		case 'e':
		case 'T':
			if (cli_parse_bool(optarg, c == 'e' ? &a->enable : &a->timestamps))
				ret = cli_usage_error(cli, &cli_cmd_sensor, "bad on/off value '%s'",
						      optarg);
			*(c == 'e' ? &a->enable_set : &a->timestamps_set) = true;
			break;
		case 'i':
			a->interval = optarg;
			break;
		case 'R':
			a->round_set = true;
			a->rounding = cli_word(optarg, roundings);
			if (a->rounding < 0)
				ret = cli_usage_error(cli, &cli_cmd_sensor,
						      "bad --round '%s' (down, up, auto)", optarg);
			break;
		case 'h':
			cli_help(cli, &cli_cmd_sensor);
			ret = -1;
			break;
		default:
			ret = cli_usage_error(cli, &cli_cmd_sensor, "unknown option");
			break;
		}
	}
	for (int i = optind; !ret && i < argc; i++) {
		const char *p = av[i];

		for (int j = 1; j < argc; j++)
			if (av[i] == argv[j] + 1 && negative_number(argv[j]))
				p = argv[j];
		if (i == optind)
			a->verb = cli_word(p, sensor_verbs);
		else if (a->npos < (int)(sizeof(a->pos) / sizeof(a->pos[0])))
			a->pos[a->npos++] = p;
		else
			ret = cli_usage_error(cli, &cli_cmd_sensor, "too many arguments");
	}
	free(av);
	if (ret)
		return ret < 0 ? CLI_EXIT_OK : ret;
	if (optind >= argc)
		return cli_usage_error(cli, &cli_cmd_sensor, "missing verb");
	if (a->verb < 0)
		return cli_usage_error(cli, &cli_cmd_sensor, "unknown verb '%s'", argv[optind]);
	return 0;
}

/* The options a verb accepts: anything else is a usage error. */
static int check_options(struct cli *cli, const struct sensor_args *a)
{
	static const char *const names[] = {"list", "read", "watch", "trip", "config"};
	bool bad = false;

	bad |= a->mode_set && a->verb != V_READ;
	bad |= a->count_set && a->verb != V_WATCH && a->verb != V_TRIP;
	bad |= a->poll_set && a->verb != V_WATCH;
	bad |= (a->raw || a->wait) && a->verb != V_TRIP;
	bad |= (a->enable_set || a->timestamps_set || a->interval || a->round_set) &&
	       a->verb != V_CONFIG;
	if (bad)
		return cli_usage_error(cli, &cli_cmd_sensor, "option not valid for '%s'",
				       names[a->verb]);
	return 0;
}

/* An interval in seconds ("0.25", "10") or with a unit ("250ms") as
 * seconds x 10^exponent, exactly: 0, -EINVAL, or -ERANGE. */
static int parse_interval(const char *s, struct scmi_sensor_interval *iv)
{
	int64_t mag;
	int exp, ret = cli_parse_decimal(s, CLI_TIME, 0, &mag, &exp);

	if (ret)
		return ret;
	if (mag < 0)
		return -ERANGE;
	while (mag > UINT16_MAX && mag % 10 == 0) {
		mag /= 10;
		exp++;
	}
	while (mag && mag % 10 == 0 && exp < 0) {
		mag /= 10;
		exp++;
	}
	if (mag > UINT16_MAX || exp < -16 || exp > 15)
		return -ERANGE;
	iv->seconds = (uint16_t)mag;
	iv->exponent = (int8_t)exp;
	return 0;
}

/* The sensor named by positional argument @i. */
static int sensor_arg(struct cli *cli, const struct sensor_args *a, int i,
		      const struct scmi_sensor_info **si)
{
	const struct scmi_handle *h = cli->h;
	uint32_t id;
	int ret;

	if (cli_parse_u32(a->pos[i], &id))
		return cli_usage_error(cli, &cli_cmd_sensor, "bad sensor id '%s'", a->pos[i]);
	ret = h->sensor_ops->info_get(h, id, si);
	if (ret == -EINVAL) {
		int n = h->sensor_ops->count_get(h);

		return cli_failf(cli, "sensor %u: no such sensor (%d sensors)", id, n < 0 ? 0 : n);
	}
	return ret ? cli_fail(cli, "sensor", ret) : 0;
}

/* ---- list --------------------------------------------------------------------- */

static void list_one_text(const struct scmi_sensor_info *si)
{
	char buf[256], v1[48], v2[48];

	cli_kv("id", "%u", si->id);
	cli_kv("name", "%s", si->name[0] ? si->name : "?");
	if (!si->usable) {
		cli_kv("state", "%s", cli_disabled_text(0, buf, sizeof(buf)));
		return;
	}
	cli_kv("unit", "%s (type 0x%02x), scale 10^%d", scmi_sensor_unit_name(si->type), si->type,
	       si->scale);
	flags_text(si, buf, sizeof(buf));
	cli_kv("features", "%s", buf);
	cli_kv("trip points", "%u", si->num_trip_points);
	if (si->timestamped)
		cli_kv("timestamps", "10^%d s", si->tstamp_scale);
	if (si->extended_attrs)
		cli_kv("power", "%u µW", si->sensor_power);
	if (si->extended_scalar_attrs)
		cli_kv("range", "%s..%s %s, resolution %ue%d",
		       value_str(v1, sizeof(v1), si->min_range, si->scale),
		       value_str(v2, sizeof(v2), si->max_range, si->scale),
		       scmi_sensor_unit_name(si->type), si->resolution.value,
		       si->resolution.exponent);
	/* No intervals: the platform lists none (or cannot list them). */
	intervals_text(&si->intervals, buf, sizeof(buf));
	if (si->intervals.count)
		cli_kv("intervals", "%s%s", buf, si->intervals.segmented ? " (segment)" : "");
	if (!si->intervals.segmented && si->intervals.count > 4) {
		printf("%17s", "");
		for (unsigned int i = 0; i < si->intervals.count; i++)
			printf("%s%s", i ? " " : "",
			       interval_str(v1, sizeof(v1), si->intervals.list[i]));
		printf("\n");
	}
	for (unsigned int a = 0; a < si->num_axes; a++) {
		const struct scmi_sensor_axis_info *ax = &si->axes[a];
		char key[24];

		snprintf(key, sizeof(key), "axis %u", ax->id);
		if (ax->extended_attrs)
			cli_kv(key, "%s, %s, scale 10^%d, range %s..%s", ax->name,
			       scmi_sensor_unit_name(ax->type), ax->scale,
			       value_str(v1, sizeof(v1), ax->min_range, ax->scale),
			       value_str(v2, sizeof(v2), ax->max_range, ax->scale));
		else
			cli_kv(key, "%s, %s, scale 10^%d", ax->name,
			       scmi_sensor_unit_name(ax->type), ax->scale);
	}
}

static int sensor_list(struct cli *cli, const struct sensor_args *a)
{
	const struct scmi_handle *h = cli->h;
	static const struct cli_column cols[] = {
		{"ID", true},	{"NAME", false}, {"UNIT", false},     {"SCALE", false},
		{"AXES", true}, {"TRIPS", true}, {"FEATURES", false}, {"UPDATE INTERVALS", false},
	};
	const struct scmi_sensor_info *si;
	struct json_object *arr, *o;
	struct cli_table *t;
	char flags[64], ivs[128];
	int n, ret;

	if (a->npos > 1)
		return cli_usage_error(cli, &cli_cmd_sensor, "list takes at most one sensor id");
	if (a->npos == 1) {
		ret = sensor_arg(cli, a, 0, &si);
		if (ret)
			return ret;
		if (cli->json)
			cli_json_print(sensor_json(si));
		else
			list_one_text(si);
		return CLI_EXIT_OK;
	}
	n = h->sensor_ops->count_get(h);
	if (n < 0)
		return cli_fail(cli, "sensor list", n);
	if (cli->json) {
		arr = json_object_new_array();
		for (int i = 0; i < n; i++)
			if (!h->sensor_ops->info_get(h, (uint32_t)i, &si))
				json_object_array_add(arr, sensor_json(si));
		o = json_object_new_object();
		json_object_object_add(o, "sensors", arr);
		cli_json_print(o);
		return CLI_EXIT_OK;
	}
	t = CLI_TABLE(cols);
	for (int i = 0; i < n; i++) {
		char scale[16], axes[8], id[12], trips[12];

		if (h->sensor_ops->info_get(h, (uint32_t)i, &si))
			continue;
		snprintf(id, sizeof(id), "%u", si->id);
		if (!si->usable) {
			cli_table_add(t, id, si->name[0] ? si->name : "?",
				      cli_disabled_text(0, ivs, sizeof(ivs)), NULL, NULL, NULL,
				      NULL, NULL);
			continue;
		}
		flags_text(si, flags, sizeof(flags));
		intervals_text(&si->intervals, ivs, sizeof(ivs));
		snprintf(scale, sizeof(scale), "1e%d", si->scale);
		snprintf(axes, sizeof(axes), "%u", si->num_axes);
		snprintf(trips, sizeof(trips), "%u", si->num_trip_points);
		cli_table_add(t, id, si->name, scmi_sensor_unit_name(si->type), scale,
			      si->num_axes ? axes : "-", trips, flags, ivs);
	}
	cli_table_print(t);
	return CLI_EXIT_OK;
}

/* ---- read ------------------------------------------------------------------------ */

static void readings_text(const struct scmi_sensor_info *si, const struct scmi_sensor_reading *r,
			  unsigned int n, const char *prefix)
{
	char buf[48];

	for (unsigned int i = 0; i < n; i++) {
		uint8_t type;
		int8_t scale;

		reading_unit(si, i, &type, &scale);
		printf("%s", prefix);
		if (si->num_axes)
			printf("%s: ", si->axes[i].name);
		printf("%s %s", value_str(buf, sizeof(buf), r[i].value, scale),
		       scmi_sensor_unit_name(type));
		if (r[i].timestamp) {
			uint64_t ns = scmi_sensor_timestamp_ns(r[i].timestamp, si->tstamp_scale);

			printf(" @%" PRIu64 ".%09" PRIu64 "s", ns / UINT64_C(1000000000),
			       ns % UINT64_C(1000000000));
		}
		printf(si->num_axes && i + 1 < n ? "\n" : "");
	}
	printf("\n");
}

static int sensor_read(struct cli *cli, const struct sensor_args *a)
{
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	const struct scmi_sensor_info *si;
	struct json_object *o;
	int ret, n;

	if (a->npos != 1)
		return cli_usage_error(cli, &cli_cmd_sensor, "read takes one sensor id");
	ret = sensor_arg(cli, a, 0, &si);
	if (ret)
		return ret;
	n = cli->h->sensor_ops->reading_read(cli->h, si->id, a->mode, SCMI_SENSOR_MAX_AXES, r);
	if (n < 0)
		return cli_fail(cli,
				n == -EOPNOTSUPP && a->mode == SCMI_SENSOR_READ_ASYNC
					? "sensor read --async (this sensor reads synchronously)"
					: "sensor read",
				n);
	if (!cli->json) {
		cli_kv("id", "%u", si->id);
		cli_kv("name", "%s", si->name);
		readings_text(si, r, (unsigned int)n, "reading:         ");
		return CLI_EXIT_OK;
	}
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(si->id));
	json_object_object_add(o, "name", json_object_new_string(si->name));
	json_object_object_add(o, "readings", readings_json(si, r, (unsigned int)n));
	cli_json_print(o);
	return CLI_EXIT_OK;
}

/* ---- watch and trip --wait: events until Ctrl-C or --count -------------------------- */

struct watch {
	struct scmi_notifier_block nb;
	struct cli *cli;
	const struct scmi_sensor_info *si;
	pthread_mutex_t lock;
	uint32_t count; /* 0: until interrupted */
	uint32_t seen;
	uint64_t t0;
};

static sem_t watch_wake;
static volatile sig_atomic_t watch_stop;

static void watch_signal(int sig)
{
	watch_stop = 1;
	sem_post(&watch_wake);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void watch_setup(struct watch *w, struct cli *cli, const struct scmi_sensor_info *si,
			uint32_t count)
{
	struct sigaction sa = {.sa_handler = watch_signal};

	memset(w, 0, sizeof(*w));
	w->cli = cli;
	w->si = si;
	w->count = count;
	w->t0 = mono_ns();
	pthread_mutex_init(&w->lock, NULL);
	sem_init(&watch_wake, 0, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Count one printed sample; false once --count is reached (print none). */
static bool watch_take(struct watch *w)
{
	bool ok;

	pthread_mutex_lock(&w->lock);
	ok = !w->count || w->seen < w->count;
	if (ok && ++w->seen == w->count)
		sem_post(&watch_wake);
	pthread_mutex_unlock(&w->lock);
	return ok;
}

static void watch_print(struct watch *w, const struct scmi_sensor_reading *r, unsigned int n,
			uint64_t when_ns)
{
	char prefix[32];

	if (w->cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(w->si->id));
		json_object_object_add(o, "time_ns", json_object_new_uint64(when_ns - w->t0));
		json_object_object_add(o, "readings", readings_json(w->si, r, n));
		json_line(o);
		return;
	}
	snprintf(prefix, sizeof(prefix), "[%8.3f] ", (double)(when_ns - w->t0) / 1e9);
	readings_text(w->si, r, n, prefix);
	fflush(stdout);
}

static int watch_on_update(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct watch *w = (struct watch *)nb;
	const struct scmi_sensor_update_report *u = report;

	if (watch_take(w)) {
		pthread_mutex_lock(&w->lock);
		watch_print(w, u->readings, u->readings_count, u->hdr.timestamp);
		pthread_mutex_unlock(&w->lock);
	}
	return SCMI_NOTIFY_OK;
}

/* Wait until --count samples or a signal; @poll_ns > 0: read every so often. */
static int watch_wait(struct watch *w, uint64_t poll_ns)
{
	const struct scmi_handle *h = w->cli->h;
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];

	for (;;) {
		struct timespec ts;

		if (watch_stop)
			return CLI_EXIT_OK;
		pthread_mutex_lock(&w->lock);
		if (w->count && w->seen >= w->count) {
			pthread_mutex_unlock(&w->lock);
			return CLI_EXIT_OK;
		}
		pthread_mutex_unlock(&w->lock);
		if (!poll_ns) {
			sem_wait(&watch_wake);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)(poll_ns / 1000000000ull);
		ts.tv_nsec += (long)(poll_ns % 1000000000ull);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (sem_timedwait(&watch_wake, &ts) == 0)
			continue;
		int n = h->sensor_ops->reading_read(h, w->si->id, SCMI_SENSOR_READ_AUTO,
						    SCMI_SENSOR_MAX_AXES, r);

		if (n < 0)
			return cli_fail(w->cli, "sensor read", n);
		if (watch_take(w)) {
			pthread_mutex_lock(&w->lock);
			watch_print(w, r, (unsigned int)n, mono_ns());
			pthread_mutex_unlock(&w->lock);
		}
	}
}

/* How often to poll a sensor without updates: --poll, else its interval. */
static uint64_t watch_poll_ns(const struct scmi_handle *h, const struct sensor_args *a,
			      const struct scmi_sensor_info *si)
{
	struct scmi_sensor_config c;
	uint64_t ns = 0;

	if (a->poll_set)
		return (uint64_t)a->poll_ms * 1000000ull;
	if (!h->sensor_ops->config_get(h, si->id, &c))
		ns = scmi_sensor_interval_ns(c.interval);
	else if (si->intervals.count == 1)
		ns = scmi_sensor_interval_ns(si->intervals.list[0]);
	if (!ns || ns == UINT64_MAX)
		ns = 1000000000ull;
	return ns < 10000000ull ? 10000000ull : ns;
}

static int sensor_watch(struct cli *cli, const struct sensor_args *a)
{
	const struct scmi_handle *h;
	const struct scmi_sensor_info *si;
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	struct watch w;
	uint32_t id;
	int ret, n;

	if (a->npos != 1)
		return cli_usage_error(cli, &cli_cmd_sensor, "watch takes one sensor id");
	ret = sensor_arg(cli, a, 0, &si);
	if (ret)
		return ret;
	h = cli->h;
	id = si->id;
	watch_setup(&w, cli, si, a->count);
	w.nb.notifier_call = watch_on_update;
	/* The current value first, then what the platform sends. */
	n = h->sensor_ops->reading_read(h, id, SCMI_SENSOR_READ_AUTO, SCMI_SENSOR_MAX_AXES, r);
	if (n < 0)
		return cli_fail(cli, "sensor read", n);
	if (watch_take(&w))
		watch_print(&w, r, (unsigned int)n, mono_ns());
	if (!a->poll_set && si->continuous_update) {
		ret = h->notify_ops->event_notifier_register(h, SENSOR_ID, SCMI_EVENT_SENSOR_UPDATE,
							     &id, &w.nb);
		if (ret)
			return cli_fail(cli, "sensor watch: enabling updates", ret);
		ret = watch_wait(&w, 0);
		h->notify_ops->event_notifier_unregister(h, SENSOR_ID, SCMI_EVENT_SENSOR_UPDATE,
							 &id, &w.nb);
		return ret;
	}
	return watch_wait(&w, watch_poll_ns(h, a, si));
}

static void trip_event_print(struct watch *w, const struct scmi_sensor_trip_point_report *r)
{
	if (w->cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "event", json_object_new_string("trip_point"));
		json_object_object_add(o, "id", json_object_new_int64(r->sensor_id));
		json_object_object_add(o, "trip_point", json_object_new_int64(r->trip_point_id));
		json_object_object_add(o, "direction",
				       json_object_new_string(r->upward ? "up" : "down"));
		json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
		json_object_object_add(o, "time_ns", json_object_new_uint64(r->hdr.timestamp - w->t0));
		json_line(o);
		return;
	}
	printf("[%8.3f] sensor %u: trip point %u crossed %s\n",
	       (double)(r->hdr.timestamp - w->t0) / 1e9, r->sensor_id, r->trip_point_id,
	       r->upward ? "upward" : "downward");
	fflush(stdout);
}

static int watch_on_trip(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct watch *w = (struct watch *)nb;

	if (watch_take(w)) {
		pthread_mutex_lock(&w->lock);
		trip_event_print(w, report);
		pthread_mutex_unlock(&w->lock);
	}
	return SCMI_NOTIFY_OK;
}

static int sensor_trip(struct cli *cli, const struct sensor_args *a)
{
	const struct scmi_handle *h;
	const struct scmi_sensor_info *si;
	uint32_t trip, id;
	int mode, ret;
	int64_t value;
	struct watch w;
	char buf[48];

	if (a->npos != 4)
		return cli_usage_error(cli, &cli_cmd_sensor,
				       "trip takes ID TRIP off|up|down|both VALUE");
	if (a->count_set && !a->wait)
		return cli_usage_error(cli, &cli_cmd_sensor, "--count needs --wait");
	ret = sensor_arg(cli, a, 0, &si);
	if (ret)
		return ret;
	h = cli->h;
	id = si->id;
	if (cli_parse_u32(a->pos[1], &trip))
		return cli_usage_error(cli, &cli_cmd_sensor, "bad trip point '%s'", a->pos[1]);
	mode = cli_word(a->pos[2], trip_modes);
	if (mode < 0)
		return cli_usage_error(cli, &cli_cmd_sensor, "bad mode '%s' (off, up, down, both)",
				       a->pos[2]);
	if (a->raw && strchr(a->pos[3], '.'))
		return cli_bad_value(cli, &cli_cmd_sensor, "VALUE", a->pos[3],
				     "--raw values are whole numbers");
	/* In the sensor's unit: a whole number of 10^scale of it (raw).
	 * Sensors of volts, watts, seconds or hertz also take the CLI's
	 * units of that quantity (1.2V, 500mW, 250ms); others none. */
	ret = cli_parse_quantity(a->pos[3], a->raw ? CLI_NUMBER : sensor_quantity(si->type), 0,
				 a->raw ? 0 : si->scale, INT64_MIN, INT64_MAX, &value);
	if ((ret == -EDOM || ret == -ERANGE) && !a->raw) {
		char why[96];

		snprintf(why, sizeof(why), "out of range or finer than the sensor's step (1e%d %s)",
			 si->scale, scmi_sensor_unit_name(si->type));
		return cli_bad_value(cli, &cli_cmd_sensor, "VALUE", a->pos[3], why);
	}
	if (ret)
		return cli_bad_value(
			cli, &cli_cmd_sensor, "VALUE", a->pos[3],
			sensor_quantity(si->type) == CLI_NUMBER
				? "not a number in the sensor's unit (no unit suffix)"
				: "not a number in the sensor's unit (or with a unit of "
				  "that quantity)");
	if (a->wait) {
		watch_setup(&w, cli, si, a->count_set ? a->count : 1);
		w.nb.notifier_call = watch_on_trip;
		/* Listen first: a crossing right after arming is not missed. */
		ret = h->notify_ops->event_notifier_register(
			h, SENSOR_ID, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, &id, &w.nb);
		if (ret)
			return cli_fail(cli, "sensor trip: enabling trip events", ret);
	}
	ret = h->sensor_ops->trip_point_config(h, id, trip, (enum scmi_sensor_trip_mode)mode,
					       value);
	if (ret) {
		char what[64];

		if ((ret == -EINVAL || ret == -EOPNOTSUPP) && trip >= si->num_trip_points)
			snprintf(what, sizeof(what), "sensor trip (sensor %u has %u trip points)",
				 id, si->num_trip_points);
		else
			snprintf(what, sizeof(what), "sensor trip");
		return cli_fail(cli, what, ret);
	}
	value_str(buf, sizeof(buf), value, si->scale);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(id));
		json_object_object_add(o, "trip_point", json_object_new_int64(trip));
		json_object_object_add(o, "mode", json_object_new_string(trip_modes[mode]));
		json_object_object_add(o, "value", json_object_new_int64(value));
		json_object_object_add(o, "scaled", json_object_new_string(buf));
		json_object_object_add(o, "unit",
				       json_object_new_string(scmi_sensor_unit_name(si->type)));
		if (a->wait)
			json_line(o);
		else
			cli_json_print(o);
	} else {
		cli_kv("id", "%u", id);
		cli_kv("name", "%s", si->name);
		cli_kv("trip point", "%u", trip);
		cli_kv("mode", "%s", trip_modes[mode]);
		cli_kv("value", "%s %s (raw %" PRId64 ")", buf, scmi_sensor_unit_name(si->type),
		       value);
		fflush(stdout);
	}
	if (!a->wait)
		return CLI_EXIT_OK;
	ret = watch_wait(&w, 0);
	h->notify_ops->event_notifier_unregister(h, SENSOR_ID, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT,
						 &id, &w.nb);
	return ret;
}

/* ---- config ----------------------------------------------------------------------- */

static uint32_t sensor_version(const struct scmi_handle *h)
{
	const struct scmi_sensor_protocol_info *pi;

	return h->sensor_ops->protocol_info_get(h, &pi) ? 0 : pi->version;
}

static int sensor_config(struct cli *cli, const struct sensor_args *a)
{
	const struct scmi_handle *h;
	const struct scmi_sensor_info *si;
	struct scmi_sensor_config c;
	char buf[32];
	int ret;

	if (a->npos != 1)
		return cli_usage_error(cli, &cli_cmd_sensor, "config takes one sensor id");
	ret = sensor_arg(cli, a, 0, &si);
	if (ret)
		return ret;
	h = cli->h;
	ret = h->sensor_ops->config_get(h, si->id, &c);
	if (ret) {
		struct cli_err e = cli_err_now(ret);
		uint32_t v = sensor_version(h);
		char what[80];

		if (ret == -EOPNOTSUPP && SCMI_PROTO_VERSION_MAJOR(v) < 2)
			snprintf(what, sizeof(what),
				 "sensor config (sensor protocol %u.%u has no configuration)",
				 SCMI_PROTO_VERSION_MAJOR(v), SCMI_PROTO_VERSION_MINOR(v));
		else
			snprintf(what, sizeof(what), "sensor config");
		return cli_fail_err(cli, what, &e);
	}
	if (a->enable_set || a->timestamps_set || a->interval || a->round_set) {
		if (a->enable_set)
			c.enabled = a->enable;
		if (a->timestamps_set)
			c.timestamping = a->timestamps;
		if (a->interval && parse_interval(a->interval, &c.interval))
			return cli_bad_value(cli, &cli_cmd_sensor, "--interval", a->interval,
					     "not an interval (seconds, or with a unit: ns, us, ms "
					     "or s; at most 5 significant digits)");
		c.rounding = (enum scmi_sensor_rounding)a->rounding;
		ret = h->sensor_ops->config_set(h, si->id, &c);
		if (ret == -EOPNOTSUPP && c.timestamping && !si->timestamped)
			return cli_fail(cli, "sensor config (this sensor has no timestamps)", ret);
		if (!ret)
			ret = h->sensor_ops->config_get(h, si->id, &c);
		if (ret)
			return cli_fail(cli, "sensor config", ret);
	}
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(si->id));
		json_object_object_add(o, "enabled", json_object_new_boolean(c.enabled));
		json_object_object_add(o, "timestamping", json_object_new_boolean(c.timestamping));
		json_object_object_add(o, "interval", interval_json(c.interval));
		cli_json_print(o);
		return CLI_EXIT_OK;
	}
	cli_kv("id", "%u", si->id);
	cli_kv("name", "%s", si->name);
	cli_kv("enabled", "%s", c.enabled ? "yes" : "no");
	cli_kv("timestamps", "%s", c.timestamping ? "on" : "off");
	cli_kv("update interval", "%s", interval_str(buf, sizeof(buf), c.interval));
	return CLI_EXIT_OK;
}

static int sensor_run(struct cli *cli, int argc, char **argv)
{
	struct sensor_args a = {.verb = -1};
	int ret;

	ret = parse_args(cli, argc, argv, &a);
	if (ret || a.verb < 0)
		return ret;
	ret = check_options(cli, &a);
	if (ret)
		return ret;
	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->sensor_ops)
		return cli_no_protocol(cli, "sensor");
	switch (a.verb) {
	case V_LIST:
		return sensor_list(cli, &a);
	case V_READ:
		return sensor_read(cli, &a);
	case V_WATCH:
		return sensor_watch(cli, &a);
	case V_TRIP:
		return sensor_trip(cli, &a);
	default:
		return sensor_config(cli, &a);
	}
}

const struct cli_cmd cli_cmd_sensor = {
	.name = "sensor",
	.args = "list [ID] | read ID | watch ID | trip ID TRIP MODE VALUE | config ID [...]",
	.help = "sensors: list, read, watch, trip points, configuration",
	.run = sensor_run,
	.verbs = "  list [ID]                       sensors (one in detail): units, axes, "
		 "intervals\n"
		 "  read ID [--sync|--async]        read a sensor once (default: async if it can)\n"
		 "  watch ID [--count N] [--poll TIME]\n"
		 "                                  print samples until Ctrl-C or N of them: the\n"
		 "                                  platform's continuous updates, or polling\n"
		 "  trip ID TRIP off|up|down|both VALUE [--raw] [--wait] [--count N]\n"
		 "                                  arm a trip point at VALUE (sensor units, or\n"
		 "                                  raw with --raw); --wait prints N events\n"
		 "  config ID [--enable on|off] [--timestamps on|off] [--interval TIME]\n"
		 "         [--round down|up|auto]   show or change the configuration (printed\n"
		 "                                  read back)\n",
	.notes = "VALUEs are in the sensor's unit (no unit suffix); negative ones may be written\n"
		 "as they are (-5.5).  --interval TIME is in seconds, --poll TIME in\n"
		 "milliseconds; both also take a unit (ns, us, ms, s: \"250ms\").\n",
};

/* ---- scmi monitor ----------------------------------------------------------------- */

static uint32_t trip_source(const void *report)
{
	return ((const struct scmi_sensor_trip_point_report *)report)->sensor_id;
}

static void trip_format(const void *report, char *buf, size_t size)
{
	const struct scmi_sensor_trip_point_report *r = report;

	snprintf(buf, size, "sensor %u trip point %u crossed %s (agent %u)", r->sensor_id,
		 r->trip_point_id, r->upward ? "upward" : "downward", r->agent_id);
}

static struct json_object *trip_to_json(const void *report)
{
	const struct scmi_sensor_trip_point_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "sensor_id", json_object_new_int64(r->sensor_id));
	json_object_object_add(o, "trip_point_id", json_object_new_int64(r->trip_point_id));
	json_object_object_add(o, "direction", json_object_new_string(r->upward ? "up" : "down"));
	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	return o;
}

static uint32_t update_source(const void *report)
{
	return ((const struct scmi_sensor_update_report *)report)->sensor_id;
}

/* No handle here: raw values (units of 10^scale of the sensor). */
static void update_format(const void *report, char *buf, size_t size)
{
	const struct scmi_sensor_update_report *r = report;
	int len = snprintf(buf, size, "sensor %u:", r->sensor_id);

	for (unsigned int i = 0; i < r->readings_count && len > 0 && (size_t)len < size; i++)
		len += snprintf(buf + len, size - (size_t)len, " %" PRId64 " (ts %" PRIu64 ")",
				r->readings[i].value, r->readings[i].timestamp);
}

static struct json_object *update_to_json(const void *report)
{
	const struct scmi_sensor_update_report *r = report;
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();

	json_object_object_add(o, "sensor_id", json_object_new_int64(r->sensor_id));
	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	for (unsigned int i = 0; i < r->readings_count; i++) {
		struct json_object *ro = json_object_new_object();

		json_object_object_add(ro, "value", json_object_new_int64(r->readings[i].value));
		json_object_object_add(ro, "timestamp",
				       json_object_new_uint64(r->readings[i].timestamp));
		json_object_array_add(arr, ro);
	}
	json_object_object_add(o, "readings", arr);
	return o;
}

static const struct cli_event_desc sensor_event_descs[] = {
	{SENSOR_ID, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, "trip_point", true, trip_source,
	 trip_format, trip_to_json},
	{SENSOR_ID, SCMI_EVENT_SENSOR_UPDATE, "update", true, update_source, update_format,
	 update_to_json},
};

const struct cli_events cli_sensor_events = {
	sensor_event_descs, sizeof(sensor_event_descs) / sizeof(sensor_event_descs[0])};

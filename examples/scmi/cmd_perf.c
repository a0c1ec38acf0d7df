// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi perf: performance domains.
 *
 *   scmi perf list [DOMAIN]            domains (with DOMAIN: its level table)
 *   scmi perf get DOMAIN               current level, frequency and limits
 *   scmi perf set DOMAIN LEVEL         request a level
 *   scmi perf set DOMAIN --freq FREQ   the lowest level at least FREQ fast
 *                                      (Hz, or with a unit: 1.2GHz)
 *   scmi perf limits DOMAIN [MAX MIN]  show or set the limits (level values)
 *
 * DOMAIN is a domain id or name.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"

enum perf_verb {
	PERF_LIST,
	PERF_GET,
	PERF_SET,
	PERF_LIMITS
};

static const char *const perf_verbs[] = {"list", "get", "set", "limits", NULL};

struct perf_args {
	enum perf_verb verb;
	const char *domain; /* NULL: every domain (list) */
	bool have_values;
	uint32_t v[2]; /* set: level; limits: max, min */
	bool by_freq;
	uint64_t freq_hz;
	/* limits given as frequencies (0: v[i] is a level): max, min */
	uint64_t lim_hz[2];
};

static const char *const perf_fc_names[] = {"level_set", "level_get", "limits_set", "limits_get"};

static const char *perf_unit_name(enum scmi_perf_power_unit u)
{
	return u == SCMI_PERF_POWER_UW ? "uW" : u == SCMI_PERF_POWER_MW ? "mW" : "abstract";
}

/* DOMAIN as an id, or the domain whose name it is. */
static int perf_resolve(const struct cli *cli, const char *arg, uint32_t *dom)
{
	const struct scmi_perf_domain_info *d;
	int n;

	if (!cli_parse_u32(arg, dom))
		return 0;
	n = cli->h->perf_ops->count_get(cli->h);
	if (n < 0)
		return cli_fail(cli, "perf", n);
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		if (!cli->h->perf_ops->info_get(cli->h, i, &d) && !strcmp(d->name, arg)) {
			*dom = i;
			return 0;
		}
	}
	return cli_failf(cli, "perf: no domain '%s'", arg);
}

/* ---- list ------------------------------------------------------------------------ */

static void perf_fc_text(const struct scmi_perf_domain_info *d, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < 4; k++) {
		if (!d->fc[k].mapped)
			continue;
		if (d->fc[k].db_width)
			len += (size_t)snprintf(buf + len, size - len, "%s%s (%u-bit doorbell)",
						len ? ", " : "", perf_fc_names[k],
						d->fc[k].db_width);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
						perf_fc_names[k]);
		if (len >= size)
			break;
	}
	if (!len)
		snprintf(buf, size, "%s", d->fastchannels ? "offered, not mapped" : "none");
}

static const char *perf_power_col(enum scmi_perf_power_unit unit)
{
	return unit == SCMI_PERF_POWER_ABSTRACT ? "POWER"
	       : unit == SCMI_PERF_POWER_UW	? "POWER (UW)"
						: "POWER (MW)";
}

/* `perf list`: one row per domain. */
static void perf_domain_row(struct cli_table *t, const struct scmi_perf_domain_info *d)
{
	char id[12], levels[96], sus[48], fc[8];

	snprintf(id, sizeof(id), "%u", d->id);
	if (!d->usable) {
		char why[128];

		/* No table: the log says what the platform did. */
		cli_table_add(t, id, d->name, cli_disabled_text(0, why, sizeof(why)), NULL, NULL,
			      NULL, NULL);
		return;
	}
	snprintf(levels, sizeof(levels), "%u, %u..%u%s", d->num_levels, d->levels[0].perf,
		 d->levels[d->num_levels - 1].perf, d->level_indexing ? " (indexed)" : "");
	snprintf(sus, sizeof(sus), "%u kHz at %u", d->sustained_freq_khz, d->sustained_perf_level);
	snprintf(fc, sizeof(fc), "%s", d->fastchannels ? "yes" : "no");
	cli_table_add(t, id, d->name, levels, sus, NULL, fc,
		      d->can_set_level && d->can_set_limits ? "level,limits"
		      : d->can_set_level		    ? "level"
		      : d->can_set_limits		    ? "limits"
							    : "-");
	cli_table_addf(t, 4, "%u us", d->rate_limit_us);
}

/* `perf list DOMAIN`: one domain in detail, and its levels. */
static void perf_domain_text(const struct scmi_perf_domain_info *d, enum scmi_perf_power_unit unit)
{
	static struct cli_column cols[] = {{"LEVEL", true},
					   {"FREQ (HZ)", true},
					   {"POWER", true},
					   {"LATENCY (US)", true},
					   {"INDEX", true}};
	struct cli_table *t;
	char fc[256];

	cli_kv("id", "%u", d->id);
	cli_kv("name", "%s", d->name);
	if (!d->usable) {
		char why[128];

		/* No table: the log says what the platform did. */
		cli_kv("state", "%s", cli_disabled_text(0, why, sizeof(why)));
		return;
	}
	perf_fc_text(d, fc, sizeof(fc));
	cli_kv("agent may set", "%s%s%s", d->can_set_level ? "level" : "",
	       d->can_set_level && d->can_set_limits ? ", " : "",
	       d->can_set_limits  ? "limits"
	       : d->can_set_level ? ""
				  : "nothing");
	cli_kv("notifications", "%s%s%s", d->limits_notify ? "limits" : "",
	       d->limits_notify && d->level_notify ? ", " : "",
	       d->level_notify	  ? "level"
	       : d->limits_notify ? ""
				  : "none");
	cli_kv("levels", "%u, %u..%u (%" PRIu64 "..%" PRIu64 " Hz)%s", d->num_levels,
	       d->levels[0].perf, d->levels[d->num_levels - 1].perf, d->levels[0].freq_hz,
	       d->levels[d->num_levels - 1].freq_hz, d->level_indexing ? ", level indexing" : "");
	cli_kv("sustained", "%u kHz at level %u", d->sustained_freq_khz, d->sustained_perf_level);
	cli_kv("rate limit", "%u us", d->rate_limit_us);
	cli_kv("fastchannels", "%s", fc);
	printf("\n");
	cols[2].name = perf_power_col(unit);
	t = CLI_TABLE(cols);
	for (unsigned int i = 0; i < d->num_levels; i++) {
		const struct scmi_perf_level *l = &d->levels[i];

		cli_table_add(t, NULL, NULL, NULL, NULL, NULL);
		cli_table_addf(t, 0, "%u", l->perf);
		cli_table_addf(t, 1, "%" PRIu64, l->freq_hz);
		cli_table_addf(t, 2, "%u", l->power_cost);
		cli_table_addf(t, 3, "%u", l->latency_us);
		cli_table_addf(t, 4, "%u", l->level_index);
	}
	cli_table_print(t);
}

static struct json_object *perf_domain_json(const struct scmi_perf_domain_info *d)
{
	struct json_object *o = json_object_new_object();
	struct json_object *lv = json_object_new_array();
	struct json_object *fcs = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(d->id));
	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "usable", json_object_new_boolean(d->usable));
	if (!d->usable)
		json_object_object_add(o, "disabled", cli_disabled_json(0));
	json_object_object_add(o, "can_set_level", json_object_new_boolean(d->can_set_level));
	json_object_object_add(o, "can_set_limits", json_object_new_boolean(d->can_set_limits));
	json_object_object_add(o, "level_notify", json_object_new_boolean(d->level_notify));
	json_object_object_add(o, "limits_notify", json_object_new_boolean(d->limits_notify));
	json_object_object_add(o, "level_indexing", json_object_new_boolean(d->level_indexing));
	json_object_object_add(o, "fastchannels", json_object_new_boolean(d->fastchannels));
	json_object_object_add(o, "rate_limit_us", json_object_new_int64(d->rate_limit_us));
	json_object_object_add(o, "sustained_freq_khz",
			       json_object_new_int64(d->sustained_freq_khz));
	json_object_object_add(o, "sustained_perf_level",
			       json_object_new_int64(d->sustained_perf_level));
	json_object_object_add(o, "mult_factor_hz",
			       json_object_new_int64((int64_t)d->mult_factor_hz));
	json_object_object_add(o, "max_latency_us", json_object_new_int64(d->max_latency_us));
	for (size_t k = 0; k < 4; k++) {
		struct json_object *f;

		if (!d->fc[k].mapped)
			continue;
		f = json_object_new_object();
		json_object_object_add(f, "doorbell_width", json_object_new_int(d->fc[k].db_width));
		json_object_object_add(f, "rate_limit_us",
				       json_object_new_int64(d->fc[k].rate_limit_us));
		json_object_object_add(fcs, perf_fc_names[k], f);
	}
	json_object_object_add(o, "fastchannels_mapped", fcs);
	for (unsigned int i = 0; i < d->num_levels; i++) {
		const struct scmi_perf_level *l = &d->levels[i];
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "level", json_object_new_int64(l->perf));
		json_object_object_add(e, "freq_hz", json_object_new_int64((int64_t)l->freq_hz));
		json_object_object_add(e, "power_cost", json_object_new_int64(l->power_cost));
		json_object_object_add(e, "latency_us", json_object_new_int64(l->latency_us));
		json_object_object_add(e, "indicative_khz",
				       json_object_new_int64(l->indicative_khz));
		json_object_object_add(e, "level_index", json_object_new_int64(l->level_index));
		json_object_array_add(lv, e);
	}
	json_object_object_add(o, "levels", lv);
	return o;
}

static int perf_list(const struct cli *cli, const struct perf_args *a)
{
	const struct scmi_perf_ops *ops = cli->h->perf_ops;
	const struct scmi_perf_domain_info *d;
	const struct scmi_perf_info *pi;
	static const struct cli_column cols[] = {
		{"ID", true},	       {"NAME", false},	     {"LEVELS", false},
		{"SUSTAINED", false},  {"RATE LIMIT", true}, {"FASTCHANNELS", false},
		{"AGENT SETS", false},
	};
	struct json_object *o = NULL, *arr = NULL;
	struct cli_table *t = NULL;
	uint32_t first = 0, last;
	char buf[16];
	int ret;

	ret = ops->protocol_info_get(cli->h, &pi);
	if (ret)
		return cli_fail(cli, "perf", ret);
	last = pi->num_domains;
	if (a->domain) {
		ret = perf_resolve(cli, a->domain, &first);
		if (ret)
			return ret;
		last = first + 1;
	}
	if (cli->json) {
		o = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(o, "version",
				       json_object_new_string(cli_version_str(pi->version, buf)));
		json_object_object_add(o, "power_unit",
				       json_object_new_string(perf_unit_name(pi->power_unit)));
		json_object_object_add(o, "num_domains", json_object_new_int(pi->num_domains));
	} else if (!a->domain) {
		printf("perf protocol %s, %u domains, power in %s\n",
		       cli_version_str(pi->version, buf), pi->num_domains,
		       perf_unit_name(pi->power_unit));
		t = CLI_TABLE(cols);
	}
	for (uint32_t i = first; i < last; i++) {
		ret = ops->info_get(cli->h, i, &d);
		if (ret) {
			json_object_put(o);
			json_object_put(arr);
			if (t)
				cli_table_print(t);
			return cli_fail(cli, "perf list", ret);
		}
		if (cli->json)
			json_object_array_add(arr, perf_domain_json(d));
		else if (t)
			perf_domain_row(t, d);
		else
			perf_domain_text(d, pi->power_unit);
	}
	if (t)
		cli_table_print(t);
	if (cli->json) {
		json_object_object_add(o, "domains", arr);
		cli_json_print(o);
	}
	return CLI_EXIT_OK;
}

/* ---- get / set / limits -------------------------------------------------------- */

/* Limits are optional to read (PERFORMANCE_LIMITS_GET): without them,
 * `perf get` still shows the level and says the limits are unavailable. */
struct perf_now {
	const struct scmi_perf_domain_info *d;
	uint32_t level, max, min;
	uint64_t freq, fmax, fmin;
	struct cli_err limits_err; /* err 0: max and min are valid */
};

static void perf_show_json(const struct perf_now *p, uint32_t dom, bool with_level)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(dom));
	json_object_object_add(o, "name", json_object_new_string(p->d->name));
	if (with_level) {
		json_object_object_add(o, "level", json_object_new_int64(p->level));
		json_object_object_add(o, "freq_hz", json_object_new_int64((int64_t)p->freq));
	}
	if (p->limits_err.err) {
		json_object_object_add(o, "limits_error", cli_err_json(&p->limits_err));
	} else {
		json_object_object_add(o, "range_max", json_object_new_int64(p->max));
		json_object_object_add(o, "range_min", json_object_new_int64(p->min));
		json_object_object_add(o, "range_max_freq_hz",
				       json_object_new_int64((int64_t)p->fmax));
		json_object_object_add(o, "range_min_freq_hz",
				       json_object_new_int64((int64_t)p->fmin));
	}
	cli_json_print(o);
}

static void perf_show_text(const struct perf_now *p, uint32_t dom, bool with_level)
{
	char err[128];

	cli_kv("id", "%u", dom);
	cli_kv("name", "%s", p->d->name);
	if (with_level)
		cli_kv("level", "%u (%" PRIu64 " Hz)", p->level, p->freq);
	if (p->limits_err.err)
		cli_kv("limits", "unavailable (%s)",
		       cli_err_text(&p->limits_err, err, sizeof(err)));
	else
		cli_kv("limits", "%u..%u (%" PRIu64 "..%" PRIu64 " Hz)", p->min, p->max, p->fmin,
		       p->fmax);
}

static int perf_show(const struct cli *cli, uint32_t dom, bool with_level)
{
	const struct scmi_perf_ops *ops = cli->h->perf_ops;
	const char *what = with_level ? "perf get" : "perf limits";
	struct perf_now p = {0};
	int ret;

	ret = ops->info_get(cli->h, dom, &p.d);
	if (!ret && with_level)
		ret = ops->level_get(cli->h, dom, &p.level);
	if (ret)
		return cli_fail(cli, what, ret);
	/* A level outside the table has no frequency: 0 Hz. */
	if (with_level)
		ops->level_to_freq(cli->h, dom, p.level, &p.freq);
	ret = ops->limits_get(cli->h, dom, &p.max, &p.min);
	p.limits_err = cli_err_now(ret);
	if (ret && (!with_level || !(cli_err_unsupported(&p.limits_err) || ret == -EACCES)))
		return cli_fail_err(cli, what, &p.limits_err);
	/* Limits need not be levels of the table: 0 Hz when unknown. */
	if (!ret) {
		ops->level_to_freq(cli->h, dom, p.max, &p.fmax);
		ops->level_to_freq(cli->h, dom, p.min, &p.fmin);
	}
	if (cli->json)
		perf_show_json(&p, dom, with_level);
	else
		perf_show_text(&p, dom, with_level);
	return CLI_EXIT_OK;
}

static int perf_limit_levels(const struct cli *cli, uint32_t dom,
			     const struct scmi_perf_domain_info *d, struct perf_args *a);

struct perf_settle {
	const struct cli *cli;
	uint32_t dom, want_level, want_max, want_min;
	bool limits;
};

static bool perf_settled(void *arg)
{
	const struct perf_settle *p = arg;
	const struct scmi_perf_ops *ops = p->cli->h->perf_ops;
	uint32_t a, b;

	if (p->limits)
		return !ops->limits_get(p->cli->h, p->dom, &a, &b) && a == p->want_max &&
		       b == p->want_min;
	return !ops->level_get(p->cli->h, p->dom, &a) && a == p->want_level;
}

/*
 * A level or limits request, then the domain's state read back as `perf
 * get` shows it.  A request made through a fastchannel is applied by the
 * platform when it next looks: the read-back waits a little for it (the
 * platform may also clamp a level to the limits, then it shows).
 */
static int perf_request(const struct cli *cli, uint32_t dom, struct perf_args *a)
{
	const struct scmi_perf_ops *ops = cli->h->perf_ops;
	const struct scmi_perf_domain_info *d;
	bool limits = a->verb == PERF_LIMITS;
	struct perf_settle st = {cli, dom, 0, a->v[0], a->v[1], limits};
	int ret;

	ret = ops->info_get(cli->h, dom, &d);
	if (!ret && limits) {
		ret = perf_limit_levels(cli, dom, d, a);
		if (ret)
			return ret;
		st.want_max = a->v[0];
		st.want_min = a->v[1];
		ret = ops->limits_set(cli->h, dom, a->v[0], a->v[1]);
	} else if (!ret)
		ret = a->by_freq ? ops->freq_set(cli->h, dom, a->freq_hz)
				 : ops->level_set(cli->h, dom, a->v[0]);
	if (ret)
		return cli_fail(cli, limits ? "perf limits" : "perf set", ret);
	st.want_level = a->v[0];
	for (unsigned int i = 0; !limits && a->by_freq && i < d->num_levels; i++) {
		uint64_t f;

		/* freq_set picks the lowest level at least that fast. */
		if (!ops->level_to_freq(cli->h, dom, d->levels[i].perf, &f) && f >= a->freq_hz) {
			st.want_level = d->levels[i].perf;
			break;
		}
	}
	cli_settle(perf_settled, &st);
	return perf_show(cli, dom, true);
}

static int perf_do(const struct cli *cli, struct perf_args *a)
{
	uint32_t dom;
	int ret;

	if (a->verb == PERF_LIST)
		return perf_list(cli, a);
	ret = perf_resolve(cli, a->domain, &dom);
	if (ret)
		return ret;
	switch (a->verb) {
	case PERF_GET:
		return perf_show(cli, dom, true);
	case PERF_SET:
		return perf_request(cli, dom, a);
	default:
		return a->have_values ? perf_request(cli, dom, a) : perf_show(cli, dom, false);
	}
}

/* A level argument given as a frequency (a number with a unit: 800MHz,
 * 1.2G); a plain number is a level and never comes here. */
static int perf_freq_arg(const struct cli *cli, const char *name, const char *s, uint64_t *hz,
			 bool *by_freq)
{
	int64_t v;
	int ret = cli_arg_quantity(cli, &cli_cmd_perf, name, s, CLI_FREQUENCY, 0, 0, 1, INT64_MAX,
				   &v);

	if (ret)
		return ret;
	*hz = (uint64_t)v;
	*by_freq = true;
	return 0;
}

/* Limits given as frequencies, as levels of the domain's table: MAX the
 * fastest level at most that fast, MIN the slowest at least that fast. */
static int perf_limit_levels(const struct cli *cli, uint32_t dom,
			     const struct scmi_perf_domain_info *d, struct perf_args *a)
{
	for (int k = 0; k < 2; k++) {
		bool found = false;

		if (!a->lim_hz[k])
			continue;
		for (unsigned int i = 0; i < d->num_levels; i++) {
			unsigned int j = k ? i : d->num_levels - 1 - i;
			uint64_t f;

			if (cli->h->perf_ops->level_to_freq(cli->h, dom, d->levels[j].perf, &f))
				continue;
			if (k ? f >= a->lim_hz[k] : f <= a->lim_hz[k]) {
				a->v[k] = d->levels[j].perf;
				found = true;
				break;
			}
		}
		if (!found)
			return cli_failf(cli,
					 "perf limits: domain %u has no level %s %" PRIu64 " Hz",
					 dom, k ? "at least" : "at most", a->lim_hz[k]);
	}
	return 0;
}

/* Positional arguments after the verb. */
static int perf_parse_args(const struct cli *cli, struct perf_args *a, int argc, char **argv)
{
	int n = argc - optind;

	if (a->verb == PERF_LIST) {
		if (n > 1)
			return cli_usage_error(cli, &cli_cmd_perf, "list takes at most a DOMAIN");
		a->domain = n ? argv[optind] : NULL;
		return 0;
	}
	if (n < 1)
		return cli_usage_error(cli, &cli_cmd_perf, "%s needs a DOMAIN",
				       perf_verbs[a->verb]);
	a->domain = argv[optind++];
	n--;
	if (a->by_freq && a->verb != PERF_SET)
		return cli_usage_error(cli, &cli_cmd_perf, "--freq goes with set");
	switch (a->verb) {
	case PERF_GET:
		if (n)
			return cli_usage_error(cli, &cli_cmd_perf, "get takes only a DOMAIN");
		return 0;
	case PERF_SET:
		if (a->by_freq ? n != 0 : n != 1)
			return cli_usage_error(cli, &cli_cmd_perf,
					       "set takes a DOMAIN and a LEVEL or --freq FREQ");
		if (a->by_freq || !cli_parse_u32(argv[optind], &a->v[0]))
			return 0;
		/* A frequency (800MHz) instead of a level: as --freq. */
		return perf_freq_arg(cli, "LEVEL", argv[optind], &a->freq_hz, &a->by_freq);
	default:
		if (n != 0 && n != 2)
			return cli_usage_error(cli, &cli_cmd_perf, "limits takes DOMAIN [MAX MIN]");
		a->have_values = n == 2;
		for (int i = 0; i < n; i++) {
			bool hz;
			int ret;

			if (!cli_parse_u32(argv[optind + i], &a->v[i]))
				continue;
			ret = perf_freq_arg(cli, i ? "MIN" : "MAX", argv[optind + i], &a->lim_hz[i],
					    &hz);
			if (ret)
				return ret;
		}
		return 0;
	}
}

static int perf_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"freq", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct perf_args a = {0};
	int64_t freq;
	int c, verb, ret;

	while ((c = cli_getopt(cli, argc, argv, "f:h", opts)) != -1) {
		switch (c) {
		case 'f':
			ret = cli_arg_quantity(cli, &cli_cmd_perf, "--freq", optarg, CLI_FREQUENCY,
					       0, 0, 1, INT64_MAX, &freq);
			if (ret)
				return ret;
			a.freq_hz = (uint64_t)freq;
			a.by_freq = true;
			break;
		case 'h':
			cli_help(cli, &cli_cmd_perf);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error(cli, &cli_cmd_perf, "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage_error(cli, &cli_cmd_perf, "missing verb");
	verb = cli_word(argv[optind], perf_verbs);
	if (verb < 0)
		return cli_usage_error(cli, &cli_cmd_perf, "unknown verb '%s'", argv[optind]);
	a.verb = (enum perf_verb)verb;
	optind++;
	ret = perf_parse_args(cli, &a, argc, argv);
	if (ret)
		return ret;
	ret = cli_open(cli);
	if (ret)
		return ret;
	if (!cli->h->perf_ops)
		return cli_no_protocol(cli, "perf");
	return perf_do(cli, &a);
}

const struct cli_cmd cli_cmd_perf = {
	.name = "perf",
	.args = "list [DOMAIN] | get DOMAIN | set DOMAIN LEVEL|--freq FREQ | limits DOMAIN [MAX "
		"MIN]",
	.help = "performance domains: levels, limits",
	.run = perf_run,
	.verbs = "  list [DOMAIN]                   domains (one in detail) and their levels\n"
		 "  get DOMAIN                      the level, and the limits where reported\n"
		 "  set DOMAIN LEVEL|--freq FREQ    request a level (or the lowest level at\n"
		 "                                  least FREQ fast), then print it as get does\n"
		 "  limits DOMAIN [MAX MIN]         show the limits, or set them, then print\n"
		 "                                  the domain as get does\n",
	.notes = "DOMAIN is an id or a name; levels are level values.  FREQ is in Hz, or with\n"
		 "a unit (Hz, kHz, MHz, GHz, k, M, G: 1.2GHz, 800M).  A request through a\n"
		 "fastchannel is applied by the platform in its own time: the level read back\n"
		 "may still be the previous one.\n",
};

/* ---- scmi monitor ----------------------------------------------------------------- */

static uint32_t perf_limits_source(const void *report)
{
	return ((const struct scmi_perf_limits_report *)report)->domain_id;
}

static void perf_limits_format(const void *report, char *buf, size_t size)
{
	const struct scmi_perf_limits_report *r = report;

	snprintf(buf, size, "domain %u limits %u..%u (%" PRIu64 "..%" PRIu64 " Hz) by agent %u",
		 r->domain_id, r->range_min, r->range_max, r->range_min_freq_hz,
		 r->range_max_freq_hz, r->agent_id);
}

static struct json_object *perf_limits_json(const void *report)
{
	const struct scmi_perf_limits_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "domain_id", json_object_new_int64(r->domain_id));
	json_object_object_add(o, "range_max", json_object_new_int64(r->range_max));
	json_object_object_add(o, "range_min", json_object_new_int64(r->range_min));
	json_object_object_add(o, "range_max_freq_hz",
			       json_object_new_int64((int64_t)r->range_max_freq_hz));
	json_object_object_add(o, "range_min_freq_hz",
			       json_object_new_int64((int64_t)r->range_min_freq_hz));
	return o;
}

static uint32_t perf_level_source(const void *report)
{
	return ((const struct scmi_perf_level_report *)report)->domain_id;
}

static void perf_level_format(const void *report, char *buf, size_t size)
{
	const struct scmi_perf_level_report *r = report;

	snprintf(buf, size, "domain %u level %u (%" PRIu64 " Hz) by agent %u", r->domain_id,
		 r->performance_level, r->freq_hz, r->agent_id);
}

static struct json_object *perf_level_json(const void *report)
{
	const struct scmi_perf_level_report *r = report;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "agent_id", json_object_new_int64(r->agent_id));
	json_object_object_add(o, "domain_id", json_object_new_int64(r->domain_id));
	json_object_object_add(o, "performance_level", json_object_new_int64(r->performance_level));
	json_object_object_add(o, "freq_hz", json_object_new_int64((int64_t)r->freq_hz));
	return o;
}

static const struct cli_event_desc perf_event_descs[] = {
	{
		.proto = SCMI_PROTOCOL_PERF,
		.evt = SCMI_EVENT_PERF_LIMITS_CHANGED,
		.name = "limits_changed",
		.per_source = true,
		.source = perf_limits_source,
		.format = perf_limits_format,
		.to_json = perf_limits_json,
	},
	{
		.proto = SCMI_PROTOCOL_PERF,
		.evt = SCMI_EVENT_PERF_LEVEL_CHANGED,
		.name = "level_changed",
		.per_source = true,
		.source = perf_level_source,
		.format = perf_level_format,
		.to_json = perf_level_json,
	},
};

const struct cli_events cli_perf_events = {perf_event_descs,
					   sizeof(perf_event_descs) / sizeof(perf_event_descs[0])};

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-evdev's mapping (see evmap.h): the configuration parser and the
 * notification -> input events functions.  No I/O but reading the
 * configuration file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libevdev/libevdev.h>

#include "evmap.h"

#define MAX_TOKENS 12

/* ---- built-in System rules --------------------------------------------------- */

static const struct evmap_rule builtin[] = {
	{.kind = EVMAP_SYSTEM,
	 .sys = {.states = 1u << SCMI_SYSTEM_SHUTDOWN},
	 .act = {.type = EV_KEY, .code = KEY_POWER}},
	{.kind = EVMAP_SYSTEM,
	 .sys = {.states = (1u << SCMI_SYSTEM_COLD_RESET) | (1u << SCMI_SYSTEM_WARM_RESET)},
	 .act = {.type = EV_KEY, .code = KEY_RESTART}},
	{.kind = EVMAP_SYSTEM,
	 .sys = {.states = 1u << SCMI_SYSTEM_SUSPEND},
	 .act = {.type = EV_KEY, .code = KEY_SLEEP}},
};

#define NUM_BUILTIN (sizeof(builtin) / sizeof(builtin[0]))

/* System state names of the configuration, with the states they stand for. */
static const struct {
	const char *name;
	uint32_t states;
} sys_names[] = {
	{"shutdown", 1u << SCMI_SYSTEM_SHUTDOWN},
	{"cold-reset", 1u << SCMI_SYSTEM_COLD_RESET},
	{"warm-reset", 1u << SCMI_SYSTEM_WARM_RESET},
	{"reboot", (1u << SCMI_SYSTEM_COLD_RESET) | (1u << SCMI_SYSTEM_WARM_RESET)},
	{"power-up", 1u << SCMI_SYSTEM_POWER_UP},
	{"suspend", 1u << SCMI_SYSTEM_SUSPEND},
};

static const char *sys_state_text(uint32_t state, char *buf, size_t size)
{
	static const char *const names[] = {"shutdown", "cold reset", "warm reset", "power-up",
					    "suspend"};

	if (state < sizeof(names) / sizeof(names[0]))
		return names[state];
	snprintf(buf, size, "%s state 0x%08" PRIx32,
		 state >= SCMI_SYSTEM_VENDOR_MIN ? "vendor" : "unknown", state);
	return buf;
}

/* ---- parsing ------------------------------------------------------------------- */

void evmap_init(struct evmap *m)
{
	memset(m, 0, sizeof(*m));
}

void evmap_free(struct evmap *m)
{
	free(m->rules);
	memset(m, 0, sizeof(*m));
}

static int fail(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_u32(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end || n > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

static int parse_s64(const char *s, int64_t *v)
{
	long long n;
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	n = strtoll(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*v = n;
	return 0;
}

static int parse_s32(const char *s, int32_t *v)
{
	int64_t n;

	if (parse_s64(s, &n) || n < INT32_MIN || n > INT32_MAX)
		return -EINVAL;
	*v = (int32_t)n;
	return 0;
}

/* Split @s (modified) at blanks into at most @max tokens; -E2BIG past. */
static int tokenize(char *s, char **tok, int max)
{
	int n = 0;

	for (char *save = NULL, *t = strtok_r(s, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -E2BIG;
		tok[n++] = t;
	}
	return n;
}

/* "-> none", "-> KEY_F13", "-> KEY_F13 1", "-> SW_LID 1". */
static int parse_action(char **tok, int n, struct evmap_action *a, char *err, size_t size)
{
	int type, code;

	if (n == 0)
		return fail(err, size,
			    "nothing after '->' (an event code such as KEY_F13, or "
			    "'none')");
	if (!strcmp(tok[0], "none")) {
		if (n > 1)
			return fail(err, size, "unexpected '%s' after 'none'", tok[1]);
		a->none = true;
		return 0;
	}
	if (n > 2)
		return fail(err, size, "unexpected '%s' after the event value", tok[2]);
	/* libevdev's own tables: KEY_POWER -> EV_KEY, then its code. */
	type = libevdev_event_type_from_code_name(tok[0]);
	if (type < 0)
		return fail(err, size, "unknown event code '%s' (libevdev knows no such name)",
			    tok[0]);
	if (type != EV_KEY && type != EV_SW)
		return fail(err, size,
			    "'%s' is an %s code: only keys (KEY_*, BTN_*) and "
			    "switches (SW_*) can be emitted",
			    tok[0], libevdev_event_type_get_name((unsigned int)type));
	code = libevdev_event_code_from_name((unsigned int)type, tok[0]);
	if (code < 0)
		return fail(err, size, "unknown event code '%s'", tok[0]);
	a->type = (uint16_t)type;
	a->code = (uint16_t)code;
	if (n == 2) {
		if (parse_s32(tok[1], &a->value))
			return fail(err, size, "bad event value '%s'", tok[1]);
		if (type == EV_SW && a->value != 0 && a->value != 1)
			return fail(err, size, "a switch value is 0 or 1, not '%s'", tok[1]);
		if (type == EV_KEY && (a->value < 0 || a->value > 2))
			return fail(err, size,
				    "a key value is 0 (release), 1 (press) or 2 (repeat), not '%s'",
				    tok[1]);
		a->has_value = true;
	} else if (type == EV_SW) {
		return fail(err, size, "a switch needs a value: '%s 1' (on) or '%s 0' (off)",
			    tok[0], tok[0]);
	}
	return 0;
}

/* system STATE [graceful|forceful] */
static int parse_system(char **tok, int n, struct evmap_rule *r, char *err, size_t size)
{
	if (n < 2)
		return fail(err, size, "usage: system STATE [graceful|forceful] -> ACTION");
	for (size_t i = 0; i < sizeof(sys_names) / sizeof(sys_names[0]); i++)
		if (!strcmp(tok[1], sys_names[i].name))
			r->sys.states = sys_names[i].states;
	if (!r->sys.states) {
		uint32_t v;

		if (parse_u32(tok[1], &v))
			return fail(err, size,
				    "unknown system state '%s' (shutdown, reboot, cold-reset, "
				    "warm-reset, suspend, power-up or a number)",
				    tok[1]);
		if (v <= SCMI_SYSTEM_SUSPEND) {
			r->sys.states = 1u << v;
		} else {
			r->sys.has_other = true;
			r->sys.other = v;
		}
	}
	if (n > 2) {
		if (!strcmp(tok[2], "graceful"))
			r->sys.graceful = EVMAP_GRACEFUL_ONLY;
		else if (!strcmp(tok[2], "forceful"))
			r->sys.graceful = EVMAP_FORCEFUL_ONLY;
		else
			return fail(err, size, "expected 'graceful' or 'forceful', not '%s'",
				    tok[2]);
	}
	if (n > 3)
		return fail(err, size, "unexpected '%s'", tok[3]);
	return 0;
}

/* sensor ID trip N [up|down|any] [at VALUE] */
static int parse_sensor(char **tok, int n, struct evmap_rule *r, char *err, size_t size)
{
	int i = 4;

	if (n < 4 || strcmp(tok[2], "trip"))
		return fail(err, size,
			    "usage: sensor ID trip N [up|down|any] [at VALUE] -> ACTION");
	if (parse_u32(tok[1], &r->id))
		return fail(err, size, "bad sensor id '%s'", tok[1]);
	if (parse_u32(tok[3], &r->sensor.trip) || r->sensor.trip > 255)
		return fail(err, size, "bad trip point '%s' (0..255)", tok[3]);
	r->sensor.dir = EVMAP_DIR_ANY;
	if (i < n && strcmp(tok[i], "at")) {
		if (!strcmp(tok[i], "up"))
			r->sensor.dir = EVMAP_DIR_UP;
		else if (!strcmp(tok[i], "down"))
			r->sensor.dir = EVMAP_DIR_DOWN;
		else if (strcmp(tok[i], "any"))
			return fail(err, size, "expected up, down, any or 'at', not '%s'", tok[i]);
		i++;
	}
	if (i < n && !strcmp(tok[i], "at")) {
		if (i + 1 >= n)
			return fail(err, size, "'at' needs a value");
		if (parse_s64(tok[i + 1], &r->sensor.at))
			return fail(err, size, "bad trip value '%s'", tok[i + 1]);
		r->sensor.arm = true;
		i += 2;
	}
	if (i < n)
		return fail(err, size, "unexpected '%s'", tok[i]);
	return 0;
}

/* power DOM state on|off|any|NUMBER */
static int parse_power(char **tok, int n, struct evmap_rule *r, char *err, size_t size)
{
	if (n != 4 || strcmp(tok[2], "state"))
		return fail(err, size, "usage: power DOMAIN state on|off|any|NUMBER -> ACTION");
	if (parse_u32(tok[1], &r->id))
		return fail(err, size, "bad power domain '%s'", tok[1]);
	if (!strcmp(tok[3], "any"))
		r->power.any = true;
	else if (!strcmp(tok[3], "on"))
		r->power.state = SCMI_POWER_STATE_ON;
	else if (!strcmp(tok[3], "off"))
		r->power.state = SCMI_POWER_STATE_OFF;
	else if (parse_u32(tok[3], &r->power.state))
		return fail(err, size, "bad power state '%s' (on, off, any or a number)", tok[3]);
	return 0;
}

/* perf DOM limits [max|min OP LEVEL] */
static int parse_perf(char **tok, int n, struct evmap_rule *r, char *err, size_t size)
{
	static const struct {
		const char *s;
		enum evmap_op op;
	} ops[] = {{"<", EVMAP_OP_LT},	{"<=", EVMAP_OP_LE}, {">", EVMAP_OP_GT},
		   {">=", EVMAP_OP_GE}, {"==", EVMAP_OP_EQ}, {"!=", EVMAP_OP_NE}};

	if ((n != 3 && n != 6) || strcmp(tok[2], "limits"))
		return fail(err, size,
			    "usage: perf DOMAIN limits [max|min OP LEVEL] -> ACTION (OP: < <= > "
			    ">= == !=)");
	if (parse_u32(tok[1], &r->id))
		return fail(err, size, "bad perf domain '%s'", tok[1]);
	if (n == 3)
		return 0;
	if (!strcmp(tok[3], "min"))
		r->perf.use_min = true;
	else if (strcmp(tok[3], "max"))
		return fail(err, size, "expected 'max' or 'min', not '%s'", tok[3]);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(tok[4], ops[i].s))
			r->perf.op = ops[i].op;
	if (!r->perf.op)
		return fail(err, size, "unknown comparison '%s' (< <= > >= == !=)", tok[4]);
	if (parse_u32(tok[5], &r->perf.level))
		return fail(err, size, "bad level '%s'", tok[5]);
	return 0;
}

/* Two rules arming one trip point at different values cannot both hold. */
static int check_arm(const struct evmap *m, const struct evmap_rule *r, char *err, size_t size)
{
	if (r->kind != EVMAP_SENSOR_TRIP || !r->sensor.arm)
		return 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct evmap_rule *o = &m->rules[i];

		if (o->kind == EVMAP_SENSOR_TRIP && o->sensor.arm && o->id == r->id &&
		    o->sensor.trip == r->sensor.trip && o->sensor.at != r->sensor.at)
			return fail(err, size,
				    "trip point %" PRIu32 " of sensor %" PRIu32
				    " is armed at %" PRId64 " on line %u already",
				    r->sensor.trip, r->id, o->sensor.at, o->line);
	}
	return 0;
}

int evmap_parse_line(struct evmap *m, const char *line, unsigned int lineno, char *err,
		     size_t err_size)
{
	struct evmap_rule r = {.line = lineno};
	char buf[1024], *arrow, *cond[MAX_TOKENS], *act[MAX_TOKENS];
	int nc, na, ret;

	if (strlen(line) >= sizeof(buf))
		return fail(err, err_size, "line too long (%zu characters at most)",
			    sizeof(buf) - 1);
	strcpy(buf, line);
	buf[strcspn(buf, "#")] = '\0';
	arrow = strstr(buf, "->");
	if (arrow) {
		*arrow = '\0';
		arrow += 2;
	}
	nc = tokenize(buf, cond, MAX_TOKENS);
	if (nc == 0 && !arrow)
		return 0; /* blank or comment */
	if (nc < 0)
		return fail(err, err_size, "too many words");
	if (nc == 0)
		return fail(err, err_size, "nothing before '->'");
	if (!arrow)
		return fail(err, err_size, "no '->' (expected: WHAT -> ACTION)");
	if (strstr(arrow, "->"))
		return fail(err, err_size, "more than one '->'");
	na = tokenize(arrow, act, MAX_TOKENS);
	if (na < 0)
		return fail(err, err_size, "too many words after '->'");

	if (!strcmp(cond[0], "system")) {
		r.kind = EVMAP_SYSTEM;
		ret = parse_system(cond, nc, &r, err, err_size);
	} else if (!strcmp(cond[0], "sensor")) {
		r.kind = EVMAP_SENSOR_TRIP;
		ret = parse_sensor(cond, nc, &r, err, err_size);
	} else if (!strcmp(cond[0], "power")) {
		r.kind = EVMAP_POWER_STATE;
		ret = parse_power(cond, nc, &r, err, err_size);
	} else if (!strcmp(cond[0], "perf")) {
		r.kind = EVMAP_PERF_LIMITS;
		ret = parse_perf(cond, nc, &r, err, err_size);
	} else {
		ret = fail(err, err_size,
			   "unknown notification '%s' (system, sensor, power or perf)", cond[0]);
	}
	if (!ret)
		ret = parse_action(act, na, &r.act, err, err_size);
	if (!ret)
		ret = check_arm(m, &r, err, err_size);
	if (ret)
		return ret;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		struct evmap_rule *rules = realloc(m->rules, cap * sizeof(*rules));

		if (!rules) {
			snprintf(err, err_size, "out of memory");
			return -ENOMEM;
		}
		m->rules = rules;
		m->cap = cap;
	}
	m->rules[m->n++] = r;
	return 0;
}

int evmap_parse(struct evmap *m, FILE *f, const char *name, char *err, size_t err_size)
{
	char *line = NULL, msg[256];
	size_t cap = 0;
	unsigned int lineno = 0;
	int ret = 0;

	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		ret = evmap_parse_line(m, line, lineno, msg, sizeof(msg));
		if (ret) {
			snprintf(err, err_size, "%s:%u: %s", name, lineno, msg);
			break;
		}
	}
	if (!ret && ferror(f)) {
		snprintf(err, err_size, "%s: read error", name);
		ret = -EIO;
	}
	free(line);
	return ret;
}

/* ---- mapping ------------------------------------------------------------------- */

static void out_reset(struct evmap_out *out)
{
	memset(out, 0, sizeof(*out));
}

static void out_event(struct evmap_out *out, uint16_t type, uint16_t code, int32_t value)
{
	if (out->n == EVMAP_MAX_EVENTS) {
		out->truncated = true;
		return;
	}
	out->ev[out->n++] = (struct evmap_event){type, code, value};
}

/* One action: a frame (event + SYN_REPORT), or two for a key press and
 * release.  A frame that does not fit whole is left out whole. */
static void out_action(struct evmap_out *out, const struct evmap_action *a)
{
	unsigned int need = a->has_value ? 2 : 4;

	if (a->none)
		return;
	if (out->n + need > EVMAP_MAX_EVENTS) {
		out->truncated = true;
		return;
	}
	out_event(out, a->type, a->code, a->has_value ? a->value : 1);
	out_event(out, EV_SYN, SYN_REPORT, 0);
	if (!a->has_value) {
		out_event(out, a->type, a->code, 0);
		out_event(out, EV_SYN, SYN_REPORT, 0);
	}
}

static bool sys_matches(const struct evmap_rule *r, uint32_t state, bool graceful)
{
	bool state_ok = state <= SCMI_SYSTEM_SUSPEND ? (r->sys.states >> state) & 1u
						     : r->sys.has_other && r->sys.other == state;

	if (!state_ok)
		return false;
	if (r->sys.graceful == EVMAP_GRACEFUL_ONLY)
		return graceful;
	if (r->sys.graceful == EVMAP_FORCEFUL_ONLY)
		return !graceful;
	return true;
}

int evmap_system(const struct evmap *m, const struct scmi_system_power_state_notifier_report *r,
		 struct evmap_out *out)
{
	bool matched = false;
	char buf[48];
	int len;

	out_reset(out);
	out->forceful = !r->graceful;
	if (r->agent_id)
		len = snprintf(out->what, sizeof(out->what), "%s %s request from agent %" PRIu32,
			       r->graceful ? "graceful" : "forceful",
			       sys_state_text(r->system_state, buf, sizeof(buf)), r->agent_id);
	else
		len = snprintf(out->what, sizeof(out->what), "%s %s request from the platform",
			       r->graceful ? "graceful" : "forceful",
			       sys_state_text(r->system_state, buf, sizeof(buf)));
	if (r->graceful && r->has_timeout && r->timeout_ms && len > 0 &&
	    (size_t)len < sizeof(out->what))
		snprintf(out->what + len, sizeof(out->what) - (size_t)len,
			 " (%" PRIu32 " ms to prepare)", r->timeout_ms);
	/* Configuration rules first; the built-in ones only where none
	 * matched. */
	for (size_t i = 0; i < m->n; i++) {
		const struct evmap_rule *rule = &m->rules[i];

		if (rule->kind == EVMAP_SYSTEM && sys_matches(rule, r->system_state, r->graceful)) {
			out_action(out, &rule->act);
			matched = true;
		}
	}
	for (size_t i = 0; !matched && i < NUM_BUILTIN; i++)
		if (sys_matches(&builtin[i], r->system_state, r->graceful))
			out_action(out, &builtin[i].act);
	return 0;
}

int evmap_sensor_trip(const struct evmap *m, const struct scmi_sensor_trip_point_report *r,
		      struct evmap_out *out)
{
	unsigned int dir = r->upward ? EVMAP_DIR_UP : EVMAP_DIR_DOWN;

	out_reset(out);
	snprintf(out->what, sizeof(out->what),
		 "sensor %" PRIu32 " trip point %" PRIu32 " crossed %s", r->sensor_id,
		 r->trip_point_id, r->upward ? "upward" : "downward");
	for (size_t i = 0; i < m->n; i++) {
		const struct evmap_rule *rule = &m->rules[i];

		if (rule->kind == EVMAP_SENSOR_TRIP && rule->id == r->sensor_id &&
		    rule->sensor.trip == r->trip_point_id && (rule->sensor.dir & dir))
			out_action(out, &rule->act);
	}
	return 0;
}

int evmap_power_state(const struct evmap *m, const struct scmi_power_state_changed_report *r,
		      struct evmap_out *out)
{
	const char *name = r->power_state == SCMI_POWER_STATE_ON    ? " (on)"
			   : r->power_state == SCMI_POWER_STATE_OFF ? " (off)"
								    : "";

	out_reset(out);
	snprintf(out->what, sizeof(out->what),
		 "power domain %" PRIu32 " now in state 0x%08" PRIx32 "%s", r->domain_id,
		 r->power_state, name);
	for (size_t i = 0; i < m->n; i++) {
		const struct evmap_rule *rule = &m->rules[i];

		if (rule->kind == EVMAP_POWER_STATE && rule->id == r->domain_id &&
		    (rule->power.any || rule->power.state == r->power_state))
			out_action(out, &rule->act);
	}
	return 0;
}

static bool compare(enum evmap_op op, uint32_t a, uint32_t b)
{
	switch (op) {
	case EVMAP_OP_LT:
		return a < b;
	case EVMAP_OP_LE:
		return a <= b;
	case EVMAP_OP_GT:
		return a > b;
	case EVMAP_OP_GE:
		return a >= b;
	case EVMAP_OP_EQ:
		return a == b;
	case EVMAP_OP_NE:
		return a != b;
	case EVMAP_OP_NONE:
		break;
	}
	return true;
}

int evmap_perf_limits(const struct evmap *m, const struct scmi_perf_limits_report *r,
		      struct evmap_out *out)
{
	out_reset(out);
	snprintf(out->what, sizeof(out->what),
		 "perf domain %" PRIu32 " limits now max %" PRIu32 " min %" PRIu32, r->domain_id,
		 r->range_max, r->range_min);
	for (size_t i = 0; i < m->n; i++) {
		const struct evmap_rule *rule = &m->rules[i];

		if (rule->kind == EVMAP_PERF_LIMITS && rule->id == r->domain_id &&
		    compare(rule->perf.op, rule->perf.use_min ? r->range_min : r->range_max,
			    rule->perf.level))
			out_action(out, &rule->act);
	}
	return 0;
}

int evmap_report(const struct evmap *m, uint8_t proto, uint8_t evt, const void *report,
		 struct evmap_out *out)
{
	out_reset(out);
	if (proto == SCMI_PROTOCOL_SYSTEM && evt == SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER)
		return evmap_system(m, report, out);
	if (proto == SCMI_PROTOCOL_SENSOR && evt == SCMI_EVENT_SENSOR_TRIP_POINT_EVENT)
		return evmap_sensor_trip(m, report, out);
	if (proto == SCMI_PROTOCOL_POWER && evt == SCMI_EVENT_POWER_STATE_CHANGED)
		return evmap_power_state(m, report, out);
	if (proto == SCMI_PROTOCOL_PERF && evt == SCMI_EVENT_PERF_LIMITS_CHANGED)
		return evmap_perf_limits(m, report, out);
	return -EINVAL;
}

/* ---- what the daemon sets up --------------------------------------------------- */

void evmap_codes(const struct evmap *m, void (*fn)(void *arg, uint16_t type, uint16_t code),
		 void *arg)
{
	for (size_t i = 0; i < NUM_BUILTIN; i++)
		fn(arg, builtin[i].act.type, builtin[i].act.code);
	for (size_t i = 0; i < m->n; i++)
		if (!m->rules[i].act.none)
			fn(arg, m->rules[i].act.type, m->rules[i].act.code);
}

static void sub_of(const struct evmap_rule *r, struct evmap_sub *s)
{
	s->src = r->id;
	s->evt = 0;
	s->line = r->line;
	switch (r->kind) {
	case EVMAP_SYSTEM:
		s->proto = SCMI_PROTOCOL_SYSTEM;
		s->evt = SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER;
		s->src = 0;
		break;
	case EVMAP_SENSOR_TRIP:
		s->proto = SCMI_PROTOCOL_SENSOR;
		s->evt = SCMI_EVENT_SENSOR_TRIP_POINT_EVENT;
		break;
	case EVMAP_POWER_STATE:
		s->proto = SCMI_PROTOCOL_POWER;
		s->evt = SCMI_EVENT_POWER_STATE_CHANGED;
		break;
	case EVMAP_PERF_LIMITS:
		s->proto = SCMI_PROTOCOL_PERF;
		s->evt = SCMI_EVENT_PERF_LIMITS_CHANGED;
		break;
	}
}

size_t evmap_subscriptions(const struct evmap *m, struct evmap_sub *subs, size_t max)
{
	size_t n = 0;

	/* A rule's source is new if no rule before it has it (quadratic,
	 * but configurations are small). */
	if (n < max)
		subs[n] = (struct evmap_sub){SCMI_PROTOCOL_SYSTEM,
					     SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, 0, 0};
	n++;
	for (size_t i = 0; i < m->n; i++) {
		struct evmap_sub s, o;
		bool dup = false;

		sub_of(&m->rules[i], &s);
		dup = s.proto == SCMI_PROTOCOL_SYSTEM;
		for (size_t j = 0; j < i && !dup; j++) {
			sub_of(&m->rules[j], &o);
			dup = o.proto == s.proto && o.evt == s.evt && o.src == s.src;
		}
		if (dup)
			continue;
		if (n < max)
			subs[n] = s;
		n++;
	}
	return n;
}

size_t evmap_arms(const struct evmap *m, struct evmap_arm *arms, size_t max)
{
	size_t n = 0;
	bool over = false;

	for (size_t i = 0; i < m->n; i++) {
		const struct evmap_rule *r = &m->rules[i];
		size_t j;

		if (r->kind != EVMAP_SENSOR_TRIP || !r->sensor.arm)
			continue;
		for (j = 0; j < n; j++)
			if (arms[j].sensor == r->id && arms[j].trip == r->sensor.trip)
				break;
		if (j < n) {
			arms[j].mode |= r->sensor.dir;
		} else if (n < max) {
			arms[n++] = (struct evmap_arm){r->id, r->sensor.trip, r->sensor.dir,
						       r->sensor.at};
		} else {
			over = true;
		}
	}
	/* An armed trip point is armed for every direction a rule wants. */
	for (size_t i = 0; i < m->n; i++) {
		const struct evmap_rule *r = &m->rules[i];

		for (size_t j = 0; r->kind == EVMAP_SENSOR_TRIP && j < n; j++)
			if (arms[j].sensor == r->id && arms[j].trip == r->sensor.trip)
				arms[j].mode |= r->sensor.dir;
	}
	return over ? max + 1 : n;
}

void evmap_event_format(const struct evmap_event *e, char *buf, size_t size)
{
	const char *type = libevdev_event_type_get_name(e->type);
	const char *code = libevdev_event_code_get_name(e->type, e->code);

	if (type && code)
		snprintf(buf, size, "%s %s %" PRId32, type, code, e->value);
	else
		snprintf(buf, size, "%u %u %" PRId32, e->type, e->code, e->value);
}

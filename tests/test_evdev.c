// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-evdev (examples/scmi-evdev): its mapping module on its own (no
 * device, no platform), then the daemon as a program (SCMI_EVDEV is its
 * path) against an scmi-sim process: --dry-run prints the events, and
 * where /dev/uinput can be written, the events read back from the input
 * device it creates.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libevdev/libevdev.h>

#include "evmap.h"
#include "helpers.h"

extern char **environ;

/* ---- the mapping ------------------------------------------------------------ */

static struct evmap map;

static void map_init(void)
{
	evmap_init(&map);
}

static void map_fini(void)
{
	evmap_free(&map);
}

TestSuite(evmap, .init = map_init, .fini = map_fini);

/* Parse @text (lines) into map; asserts it parses. */
static void config(const char *text)
{
	char err[256] = "";
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	cr_assert_not_null(f);
	cr_assert_eq(evmap_parse(&map, f, "test.conf", err, sizeof(err)), 0, "%s", err);
	fclose(f);
}

/* The events of @out as --dry-run prints them, one per line. */
static const char *text_of(const struct evmap_out *out)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < out->n; i++) {
		char line[96];

		evmap_event_format(&out->ev[i], line, sizeof(line));
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s\n", line);
	}
	return buf;
}

#define PRESS(code) \
	"EV_KEY " code " 1\nEV_SYN SYN_REPORT 0\nEV_KEY " code " 0\nEV_SYN SYN_REPORT 0\n"

static const char *sys(uint32_t state, bool graceful, struct evmap_out *out)
{
	struct scmi_system_power_state_notifier_report r = {
		.agent_id = 0,
		.flags = graceful,
		.graceful = graceful,
		.system_state = state,
		.has_timeout = true,
		.timeout_ms = graceful ? 3000 : 0,
	};

	cr_assert_eq(evmap_system(&map, &r, out), 0);
	return text_of(out);
}

Test(evmap, system_builtin)
{
	static const struct {
		uint32_t state;
		const char *events;
		const char *word;
	} cases[] = {
		{SCMI_SYSTEM_SHUTDOWN, PRESS("KEY_POWER"), "shutdown"},
		{SCMI_SYSTEM_COLD_RESET, PRESS("KEY_RESTART"), "cold reset"},
		{SCMI_SYSTEM_WARM_RESET, PRESS("KEY_RESTART"), "warm reset"},
		{SCMI_SYSTEM_SUSPEND, PRESS("KEY_SLEEP"), "suspend"},
		{SCMI_SYSTEM_POWER_UP, "", "power-up"},
		{0x80000001u, "", "vendor state 0x80000001"},
		{7, "", "unknown state 0x00000007"},
	};
	struct evmap_out out;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int graceful = 0; graceful < 2; graceful++) {
			cr_expect_str_eq(sys(cases[i].state, graceful, &out), cases[i].events,
					 "state %u graceful %d", cases[i].state, graceful);
			/* A forceful request emits the same, flagged for the log. */
			cr_expect_eq(out.forceful, !graceful);
			cr_expect_not_null(strstr(out.what, cases[i].word), "%s", out.what);
			cr_expect_not_null(strstr(out.what, graceful ? "graceful" : "forceful"),
					   "%s", out.what);
			cr_expect_eq(!strstr(out.what, "3000 ms"), !graceful, "%s", out.what);
		}
	}
}

Test(evmap, system_config_replaces_builtin)
{
	struct evmap_out out;

	config("system shutdown forceful -> none\n"
	       "system reboot -> KEY_F1\n"
	       "system reboot graceful -> KEY_F2 1\n"
	       "system 0x80000001 -> KEY_F3\n"
	       "system power-up -> SW_DOCK 1\n");
	/* Forceful shutdown silenced; the graceful one is still built in. */
	cr_expect_str_eq(sys(SCMI_SYSTEM_SHUTDOWN, false, &out), "");
	cr_expect_str_eq(sys(SCMI_SYSTEM_SHUTDOWN, true, &out), PRESS("KEY_POWER"));
	/* Every matching line, in file order; the built-in one not at all. */
	cr_expect_str_eq(sys(SCMI_SYSTEM_WARM_RESET, true, &out),
			 PRESS("KEY_F1") "EV_KEY KEY_F2 1\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(sys(SCMI_SYSTEM_COLD_RESET, false, &out), PRESS("KEY_F1"));
	cr_expect_str_eq(sys(0x80000001u, true, &out), PRESS("KEY_F3"));
	cr_expect_str_eq(sys(0x80000002u, true, &out), "");
	cr_expect_str_eq(sys(SCMI_SYSTEM_POWER_UP, true, &out),
			 "EV_SW SW_DOCK 1\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(sys(SCMI_SYSTEM_SUSPEND, false, &out), PRESS("KEY_SLEEP"));
}

Test(evmap, system_agent_in_text)
{
	struct scmi_system_power_state_notifier_report r = {
		.agent_id = 3, .graceful = true, .system_state = SCMI_SYSTEM_SHUTDOWN};
	struct evmap_out out;

	cr_assert_eq(evmap_system(&map, &r, &out), 0);
	cr_expect_str_eq(out.what, "graceful shutdown request from agent 3");
	r.agent_id = 0;
	r.has_timeout = true;
	r.timeout_ms = 500;
	cr_assert_eq(evmap_system(&map, &r, &out), 0);
	cr_expect_str_eq(out.what,
			 "graceful shutdown request from the platform (500 ms to prepare)");
}

static const char *trip(uint32_t sensor, uint32_t tp, bool up)
{
	struct scmi_sensor_trip_point_report r = {
		.sensor_id = sensor, .trip_point_id = tp, .upward = up};
	static struct evmap_out out;

	cr_assert_eq(evmap_report(&map, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT,
				  &r, &out),
		     0);
	return text_of(&out);
}

Test(evmap, sensor_trip)
{
	config("sensor 3 trip 1 up -> KEY_F13\n"
	       "sensor 3 trip 1 down -> KEY_F14\n"
	       "sensor 3 trip 2 -> SW_TABLET_MODE 1   # any direction\n"
	       "sensor 4 trip 0 any at -5 -> KEY_F15\n");
	cr_expect_str_eq(trip(3, 1, true), PRESS("KEY_F13"));
	cr_expect_str_eq(trip(3, 1, false), PRESS("KEY_F14"));
	cr_expect_str_eq(trip(3, 2, true), "EV_SW SW_TABLET_MODE 1\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(trip(3, 2, false), "EV_SW SW_TABLET_MODE 1\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(trip(4, 0, false), PRESS("KEY_F15"));
	cr_expect_str_eq(trip(3, 0, true), "");
	cr_expect_str_eq(trip(5, 1, true), "");
}

static const char *power(uint32_t dom, uint32_t state)
{
	struct scmi_power_state_changed_report r = {.domain_id = dom, .power_state = state};
	static struct evmap_out out;

	cr_assert_eq(
		evmap_report(&map, SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, &r, &out),
		0);
	return text_of(&out);
}

Test(evmap, power_state)
{
	config("power 2 state off -> SW_LID 1\n"
	       "power 2 state on -> SW_LID 0\n"
	       "power 2 state 0x40000005 -> KEY_F16\n"
	       "power 7 state any -> KEY_F17\n");
	cr_expect_str_eq(power(2, SCMI_POWER_STATE_OFF), "EV_SW SW_LID 1\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(power(2, SCMI_POWER_STATE_ON), "EV_SW SW_LID 0\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(power(2, 0x40000005), PRESS("KEY_F16"));
	cr_expect_str_eq(power(2, 0x40000006), "");
	cr_expect_str_eq(power(7, 0x12345), PRESS("KEY_F17"));
	cr_expect_str_eq(power(3, SCMI_POWER_STATE_OFF), "");
}

static const char *perf(uint32_t dom, uint32_t max, uint32_t min)
{
	struct scmi_perf_limits_report r = {.domain_id = dom, .range_max = max, .range_min = min};
	static struct evmap_out out;

	cr_assert_eq(
		evmap_report(&map, SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, &r, &out),
		0);
	return text_of(&out);
}

Test(evmap, perf_limits)
{
	config("perf 0 limits -> KEY_F18\n"
	       "perf 0 limits max < 1000 -> SW_RFKILL_ALL 1\n"
	       "perf 0 limits max >= 1000 -> SW_RFKILL_ALL 0\n"
	       "perf 1 limits min > 200 -> KEY_F19\n"
	       "perf 1 limits min <= 100 -> KEY_F20\n"
	       "perf 1 limits max == 5 -> KEY_F21\n"
	       "perf 1 limits max != 5 -> KEY_F22\n");
	cr_expect_str_eq(perf(0, 999, 0),
			 PRESS("KEY_F18") "EV_SW SW_RFKILL_ALL 1\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(perf(0, 1000, 0),
			 PRESS("KEY_F18") "EV_SW SW_RFKILL_ALL 0\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(perf(1, 5, 201), PRESS("KEY_F19") PRESS("KEY_F21"));
	cr_expect_str_eq(perf(1, 6, 100), PRESS("KEY_F20") PRESS("KEY_F22"));
	cr_expect_str_eq(perf(1, 6, 150), PRESS("KEY_F22"));
	cr_expect_str_eq(perf(2, 6, 150), "");
}

Test(evmap, key_values_and_btn)
{
	struct evmap_out out;

	config("system shutdown -> KEY_POWER 1\n"
	       "system shutdown -> BTN_0 0\n"
	       "system shutdown->KEY_A 2\n");
	cr_expect_str_eq(sys(SCMI_SYSTEM_SHUTDOWN, true, &out),
			 "EV_KEY KEY_POWER 1\nEV_SYN SYN_REPORT 0\n"
			 "EV_KEY BTN_0 0\nEV_SYN SYN_REPORT 0\n"
			 "EV_KEY KEY_A 2\nEV_SYN SYN_REPORT 0\n");
}

Test(evmap, unknown_event)
{
	struct evmap_out out;
	uint32_t dummy[16] = {0};

	cr_expect_eq(
		evmap_report(&map, SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, dummy, &out),
		-EINVAL);
	cr_expect_eq(evmap_report(&map, SCMI_PROTOCOL_CLOCK, 0, dummy, &out), -EINVAL);
}

Test(evmap, too_many_events_truncated_whole)
{
	struct evmap_out out;

	for (int i = 0; i < 20; i++)
		config("system shutdown -> KEY_F1\n");
	sys(SCMI_SYSTEM_SHUTDOWN, true, &out);
	cr_expect(out.truncated);
	cr_expect_eq(out.n, EVMAP_MAX_EVENTS, "16 whole press+release pairs");
	cr_expect_eq(out.ev[out.n - 1].type, EV_SYN);
	cr_expect_eq(out.ev[out.n - 2].value, 0, "the last frame is a release");
}

struct codes {
	unsigned int n;
	uint16_t type[32], code[32];
};

static void collect(void *arg, uint16_t type, uint16_t code)
{
	struct codes *c = arg;

	cr_assert_lt(c->n, 32);
	c->type[c->n] = type;
	c->code[c->n++] = code;
}

static bool has_code(const struct codes *c, uint16_t type, uint16_t code)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (c->type[i] == type && c->code[i] == code)
			return true;
	return false;
}

Test(evmap, codes_subscriptions_arms)
{
	struct codes c = {0};
	struct evmap_sub subs[16];
	struct evmap_arm arms[8];
	size_t n;

	config("sensor 3 trip 1 up at 85000 -> KEY_F13\n"
	       "sensor 3 trip 1 down -> KEY_F14\n"
	       "sensor 3 trip 2 up -> KEY_F15\n"
	       "sensor 4 trip 0 down at 10 -> KEY_F16\n"
	       "power 2 state off -> SW_LID 1\n"
	       "power 2 state on -> SW_LID 0\n"
	       "perf 0 limits -> KEY_F17\n"
	       "system suspend -> none\n");
	evmap_codes(&map, collect, &c);
	cr_expect(has_code(&c, EV_KEY, KEY_POWER));
	cr_expect(has_code(&c, EV_KEY, KEY_RESTART));
	cr_expect(has_code(&c, EV_KEY, KEY_SLEEP));
	cr_expect(has_code(&c, EV_KEY, KEY_F13));
	cr_expect(has_code(&c, EV_KEY, KEY_F17));
	cr_expect(has_code(&c, EV_SW, SW_LID));

	n = evmap_subscriptions(&map, subs, 16);
	cr_assert_eq(n, 5);
	cr_expect(subs[0].proto == SCMI_PROTOCOL_SYSTEM && subs[0].src == 0 && !subs[0].line);
	cr_expect(subs[1].proto == SCMI_PROTOCOL_SENSOR && subs[1].src == 3 &&
		  subs[1].evt == SCMI_EVENT_SENSOR_TRIP_POINT_EVENT && subs[1].line == 1);
	cr_expect(subs[2].proto == SCMI_PROTOCOL_SENSOR && subs[2].src == 4 && subs[2].line == 4);
	cr_expect(subs[3].proto == SCMI_PROTOCOL_POWER && subs[3].src == 2 &&
		  subs[3].evt == SCMI_EVENT_POWER_STATE_CHANGED && subs[3].line == 5);
	cr_expect(subs[4].proto == SCMI_PROTOCOL_PERF && subs[4].src == 0 &&
		  subs[4].evt == SCMI_EVENT_PERF_LIMITS_CHANGED && subs[4].line == 7);
	cr_expect_eq(evmap_subscriptions(&map, subs, 2), 5, "how many there are");
	cr_expect(subs[1].proto == SCMI_PROTOCOL_SENSOR && subs[1].src == 3, "the first two");
	cr_expect(subs[2].proto == SCMI_PROTOCOL_SENSOR && subs[2].src == 4, "untouched");

	/* Trip 1 of sensor 3 armed both ways (a rule for each direction). */
	n = evmap_arms(&map, arms, 8);
	cr_assert_eq(n, 2);
	cr_expect(arms[0].sensor == 3 && arms[0].trip == 1 && arms[0].value == 85000 &&
		  arms[0].mode == SCMI_SENSOR_TRIP_BOTH);
	cr_expect(arms[1].sensor == 4 && arms[1].trip == 0 && arms[1].value == 10 &&
		  arms[1].mode == SCMI_SENSOR_TRIP_DOWN);
	cr_expect_eq(evmap_arms(&map, arms, 1), 2, "more than max: max + 1");
}

/* Lines that must be refused, with the message expected. */
static const struct {
	const char *line, *msg;
} bad_lines[] = {
	{"system shutdown", "no '->'"},
	{"-> KEY_POWER", "nothing before '->'"},
	{"system shutdown ->", "nothing after '->'"},
	{"system shutdown -> KEY_NOPE", "unknown event code 'KEY_NOPE'"},
	{"system shutdown -> REL_X", "only keys (KEY_*, BTN_*) and switches"},
	{"system shutdown -> SW_LID", "a switch needs a value"},
	{"system shutdown -> SW_LID 2", "a switch value is 0 or 1"},
	{"system shutdown -> KEY_A 3", "a key value is 0 (release), 1 (press) or 2"},
	{"system shutdown -> KEY_A x", "bad event value 'x'"},
	{"system shutdown -> KEY_A 1 2", "unexpected '2'"},
	{"system shutdown -> none KEY_A", "unexpected 'KEY_A' after 'none'"},
	{"system shutdown -> KEY_A -> KEY_B", "more than one '->'"},
	{"system halt -> KEY_A", "unknown system state 'halt'"},
	{"system shutdown politely -> KEY_A", "expected 'graceful' or 'forceful'"},
	{"system -> KEY_A", "usage: system STATE"},
	{"sensor 1 -> KEY_A", "usage: sensor ID trip N"},
	{"sensor x trip 1 -> KEY_A", "bad sensor id 'x'"},
	{"sensor 1 trip 256 -> KEY_A", "bad trip point '256'"},
	{"sensor 1 trip 1 sideways -> KEY_A", "expected up, down, any or 'at'"},
	{"sensor 1 trip 1 up at -> KEY_A", "'at' needs a value"},
	{"sensor 1 trip 1 up at hot -> KEY_A", "bad trip value 'hot'"},
	{"sensor 1 trip 1 up at 5 now -> KEY_A", "unexpected 'now'"},
	{"power 1 off -> KEY_A", "usage: power DOMAIN state"},
	{"power -1 state off -> KEY_A", "bad power domain '-1'"},
	{"power 1 state dim -> KEY_A", "bad power state 'dim'"},
	{"perf 0 limit -> KEY_A", "usage: perf DOMAIN limits"},
	{"perf 0 limits max < -> KEY_A", "usage: perf DOMAIN limits"},
	{"perf 0 limits avg < 5 -> KEY_A", "expected 'max' or 'min'"},
	{"perf 0 limits max ~ 5 -> KEY_A", "unknown comparison '~'"},
	{"perf 0 limits max < 99999999999 -> KEY_A", "bad level '99999999999'"},
	{"clock 0 rate -> KEY_A", "unknown notification 'clock'"},
	{"a b c d e f g h i j k l m -> KEY_A", "too many words"},
};

Test(evmap, bad_lines)
{
	char err[256];

	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		err[0] = '\0';
		cr_expect_eq(evmap_parse_line(&map, bad_lines[i].line, 1, err, sizeof(err)),
			     -EINVAL, "accepted: %s", bad_lines[i].line);
		cr_expect_not_null(strstr(err, bad_lines[i].msg), "%s: got '%s', want '%s'",
				   bad_lines[i].line, err, bad_lines[i].msg);
	}
	cr_expect_eq(map.n, 0, "no rule kept from a bad line");
}

Test(evmap, errors_name_file_and_line)
{
	static const char text[] = "# comment\n"
				   "\n"
				   "   # indented comment\n"
				   "power 2 state off -> SW_LID 1\n"
				   "sensor 1 trip 0 up at 50 -> KEY_A\n"
				   "sensor 1 trip 0 down at 60 -> KEY_B\n";
	char err[256] = "";
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	cr_assert_not_null(f);
	cr_expect_eq(evmap_parse(&map, f, "my.conf", err, sizeof(err)), -EINVAL);
	fclose(f);
	cr_expect_str_eq(err, "my.conf:6: trip point 0 of sensor 1 is armed at 50 on line 5 "
			      "already");
	cr_expect_eq(map.n, 2, "the lines before the bad one");
}

Test(evmap, blank_and_comments_only)
{
	config("# nothing\n\n\t \n# -> KEY_A\n");
	cr_expect_eq(map.n, 0);
}

/* The example shipped beside the daemon parses, and means what it says. */
Test(evmap, shipped_example)
{
	struct scmi_perf_limits_report lim = {.domain_id = 0, .range_max = 900};
	struct evmap_arm arms[4];
	struct evmap_out out;
	char err[256] = "";
	FILE *f = fopen(SCMI_EVDEV_CONF, "r");

	cr_assert_not_null(f, "%s: %s", SCMI_EVDEV_CONF, strerror(errno));
	cr_assert_eq(evmap_parse(&map, f, SCMI_EVDEV_CONF, err, sizeof(err)), 0, "%s", err);
	fclose(f);
	cr_assert_eq(evmap_arms(&map, arms, 4), 1);
	cr_expect(arms[0].sensor == 0 && arms[0].trip == 0 && arms[0].value == 85000 &&
		  arms[0].mode == SCMI_SENSOR_TRIP_BOTH);
	cr_expect_str_eq(trip(0, 0, true), PRESS("KEY_F13"));
	cr_expect_str_eq(power(1, SCMI_POWER_STATE_OFF), "EV_SW SW_LID 1\nEV_SYN SYN_REPORT 0\n");
	cr_assert_eq(evmap_perf_limits(&map, &lim, &out), 0);
	cr_expect_str_eq(text_of(&out), "EV_SW SW_RFKILL_ALL 1\nEV_SYN SYN_REPORT 0\n");
	cr_expect_str_eq(sys(SCMI_SYSTEM_COLD_RESET, false, &out), "");
	cr_expect_str_eq(sys(SCMI_SYSTEM_COLD_RESET, true, &out), PRESS("KEY_RESTART"));
	cr_expect_str_eq(sys(SCMI_SYSTEM_SHUTDOWN, false, &out), PRESS("KEY_POWER"));
}

/* ---- the daemon, run as a program ---------------------------------------------- */

struct proc {
	pid_t pid;
	int out, err; /* read ends, non-blocking */
	char obuf[16384], ebuf[16384];
	size_t olen, elen;
	int status;
};

/* Start scmi-evdev with @args; @env NULL: ours. */
static void spawn(struct proc *p, const char *const *args, char *const *env)
{
	const char *argv[32] = {SCMI_EVDEV};
	int out[2], err[2];
	posix_spawn_file_actions_t fa;
	size_t n = 1;

	memset(p, 0, sizeof(*p));
	for (; args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	cr_assert_eq(pipe2(out, O_CLOEXEC | O_NONBLOCK), 0);
	cr_assert_eq(pipe2(err, O_CLOEXEC | O_NONBLOCK), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	cr_assert_eq(posix_spawn(&p->pid, SCMI_EVDEV, &fa, NULL, (char *const *)argv,
				 env ? env : environ),
		     0);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	p->out = out[0];
	p->err = err[0];
}

/* Read what is there (waiting up to @ms for something); false once both
 * pipes are closed. */
static bool pump(struct proc *p, int ms)
{
	struct pollfd f[2] = {{p->out, POLLIN, 0}, {p->err, POLLIN, 0}};

	if (p->out < 0 && p->err < 0)
		return false;
	if (poll(f, 2, ms) <= 0)
		return true;
	for (int i = 0; i < 2; i++) {
		int *fd = i ? &p->err : &p->out;
		char *buf = i ? p->ebuf : p->obuf;
		size_t *len = i ? &p->elen : &p->olen;
		size_t cap = i ? sizeof(p->ebuf) : sizeof(p->obuf);
		ssize_t n;

		if (*fd < 0 || !(f[i].revents & (POLLIN | POLLHUP)))
			continue;
		n = read(*fd, buf + *len, cap - 1 - *len);
		if (n > 0) {
			*len += (size_t)n;
			buf[*len] = '\0';
		} else if (n == 0 || errno != EAGAIN) {
			close(*fd);
			*fd = -1;
		}
	}
	return true;
}

/* Wait (10 s at most) until standard output is exactly @want. */
static void expect_out(struct proc *p, const char *want)
{
	uint64_t end = test_now_ms() + 10000;

	while (p->olen < strlen(want) && test_now_ms() < end && pump(p, 50))
		;
	cr_assert_str_eq(p->obuf, want, "stderr:\n%s", p->ebuf);
}

/*
 * Wait (10 s at most) until standard error holds @needle.  Before sending
 * a notification, wait for "ready": the daemon prints it once every
 * registration has returned.  That the platform says a notification is
 * enabled is not enough: libscmi enables it at the platform before it
 * publishes the registration, and drops what arrives in between.
 */
static bool wait_err(struct proc *p, const char *needle)
{
	uint64_t end = test_now_ms() + 10000;

	while (!strstr(p->ebuf, needle) && test_now_ms() < end && pump(p, 50))
		;
	return strstr(p->ebuf, needle);
}

/* Its exit status after reading everything (128 + signal if killed). */
static int finish(struct proc *p)
{
	int ws;

	while (pump(p, 10000))
		;
	cr_assert_eq(waitpid(p->pid, &ws, 0), p->pid);
	p->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return p->status;
}

static int run_evdev(struct proc *p, const char *const *args, char *const *env)
{
	spawn(p, args, env);
	return finish(p);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Our environment without SCMI_URI, plus @extra (or NULL). */
static char **env_without_uri(const char *extra)
{
	static char *env[512];
	size_t n = 0;

	for (char **e = environ; *e && n < 510; e++)
		if (strncmp(*e, "SCMI_URI=", 9))
			env[n++] = *e;
	if (extra)
		env[n++] = (char *)extra;
	env[n] = NULL;
	return env;
}

static char conf_path[64];

static void write_conf(const char *text)
{
	int fd;

	snprintf(conf_path, sizeof(conf_path), "/tmp/scmi-evdev-test-XXXXXX");
	fd = mkstemp(conf_path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void remove_conf(void)
{
	if (conf_path[0])
		unlink(conf_path);
	conf_path[0] = '\0';
}

TestSuite(daemon, .fini = remove_conf, .timeout = 120);

/* A control command that must succeed; its reply. */
static const char *ctl(struct test_server *s, const char *cmd)
{
	const char *reply = test_server_control(s, cmd);

	cr_assert_eq(strncmp(reply, "ok", 2), 0, "%s: %s", cmd, reply);
	return reply;
}

struct enabled_arg {
	struct test_server *s;
	const char *cmd;
};

static bool is_enabled(void *arg)
{
	struct enabled_arg *a = arg;

	return !strcmp(test_server_control(a->s, a->cmd), "ok 1");
}

static void wait_enabled(struct test_server *s, const char *cmd)
{
	struct enabled_arg a = {s, cmd};

	cr_assert(test_wait_until(is_enabled, &a, 10000), "%s never enabled", cmd);
}

static struct test_server *server(void)
{
	struct test_server_opts o = {.transport = "shmem", .server = "process"};

	return test_server_start("loopback://", &o);
}

Test(daemon, dry_run_end_to_end)
{
	struct test_server *s = server();
	struct proc p;
	char want[4096] = "";

	/* The sensor pinned below the trip point before it is armed. */
	ctl(s, "sensor 0 40000");
	write_conf("# scmi-evdev test configuration\n"
		   "sensor 0 trip 0 up at 50000 -> KEY_F13\n"
		   "power 1 state off -> SW_LID 1\n"
		   "power 1 state on -> SW_LID 0\n"
		   "perf 0 limits max < 2000 -> KEY_F14\n"
		   "system suspend forceful -> none\n");
	spawn(&p, ARGS("--dry-run", "--uri", test_server_uri(s), "--config", conf_path), NULL);
	wait_enabled(s, "notify-enabled system 0 0");
	wait_enabled(s, "notify-enabled sensor 0 0");
	wait_enabled(s, "notify-enabled power 0 1");
	wait_enabled(s, "notify-enabled perf 0 0");
	cr_assert(wait_err(&p, "ready"), "%s", p.ebuf);

	/* System: graceful and forceful, each state. */
	cr_assert_str_eq(ctl(s, "system 0 1 2000"), "ok sent=1");
	strcat(want, PRESS("KEY_POWER"));
	expect_out(&p, want);
	cr_assert(wait_err(&p, "graceful shutdown request from the platform (2000 ms to "
			       "prepare) -> KEY_POWER"),
		  "%s", p.ebuf);
	ctl(s, "system 0 0");
	strcat(want, PRESS("KEY_POWER"));
	expect_out(&p, want);
	cr_assert(wait_err(&p, "warning: forceful shutdown request from the platform: the "
			       "platform will not wait for this system; emitting KEY_POWER anyway"),
		  "%s", p.ebuf);
	ctl(s, "system 1 1");
	strcat(want, PRESS("KEY_RESTART"));
	expect_out(&p, want);
	ctl(s, "system 2 0 0 2");
	strcat(want, PRESS("KEY_RESTART"));
	expect_out(&p, want);
	cr_assert(wait_err(&p, "forceful warm reset request from agent 2"), "%s", p.ebuf);
	ctl(s, "system 4 1");
	strcat(want, PRESS("KEY_SLEEP"));
	expect_out(&p, want);
	/* Silenced by the configuration: logged, nothing emitted. */
	ctl(s, "system 4 0");
	cr_assert(wait_err(&p, "forceful suspend request from the platform: nothing mapped"), "%s",
		  p.ebuf);
	expect_out(&p, want);

	/* The configuration's rules. */
	cr_assert_str_eq(ctl(s, "sensor 0 60000"), "ok sent=1");
	strcat(want, PRESS("KEY_F13"));
	expect_out(&p, want);
	cr_assert_str_eq(ctl(s, "sensor 0 40000"), "ok sent=0", "armed upward only");
	ctl(s, "power 1 0x40000000");
	strcat(want, "EV_SW SW_LID 1\nEV_SYN SYN_REPORT 0\n");
	expect_out(&p, want);
	ctl(s, "power 1 0");
	strcat(want, "EV_SW SW_LID 0\nEV_SYN SYN_REPORT 0\n");
	expect_out(&p, want);
	ctl(s, "perf-limits 0 1500 300");
	strcat(want, PRESS("KEY_F14"));
	expect_out(&p, want);

	/* SIGTERM: a clean stop, the notifications disabled at the platform. */
	kill(p.pid, SIGTERM);
	cr_expect_eq(finish(&p), 0, "%s", p.ebuf);
	cr_expect_str_eq(p.obuf, want);
	cr_expect_null(strstr(p.ebuf, "error"), "%s", p.ebuf);
	cr_expect_str_eq(test_server_control(s, "notify-enabled system 0 0"), "ok 0");
	cr_expect_str_eq(test_server_control(s, "notify-enabled sensor 0 0"), "ok 0");
	/* The trip point disarmed: crossing it again sends nothing. */
	cr_expect_str_eq(ctl(s, "sensor 0 60000"), "ok sent=0");
	test_server_stop(s);
}

Test(daemon, uri_from_environment_and_sigint)
{
	struct test_server *s = server();
	char var[512];
	struct proc p;

	snprintf(var, sizeof(var), "SCMI_URI=%s", test_server_uri(s));
	spawn(&p, ARGS("-d"), env_without_uri(var));
	wait_enabled(s, "notify-enabled system 0 0");
	cr_assert(wait_err(&p, "ready"), "%s", p.ebuf);
	ctl(s, "system 1 1");
	expect_out(&p, PRESS("KEY_RESTART"));
	kill(p.pid, SIGINT);
	cr_expect_eq(finish(&p), 0, "%s", p.ebuf);
	test_server_stop(s);
}

Test(daemon, config_line_the_platform_cannot_serve)
{
	struct test_server *s = server();
	struct proc p;

	write_conf("power 999 state off -> SW_LID 1\n");
	cr_expect_eq(run_evdev(&p, ARGS("-d", "--uri", test_server_uri(s), "-c", conf_path), NULL),
		     1);
	cr_expect(strstr(p.ebuf, "configuration line 1: cannot listen to state changes of "
				 "power domain 999"),
		  "%s", p.ebuf);
	test_server_stop(s);
}

Test(daemon, no_uri)
{
	struct proc p;

	cr_expect_eq(run_evdev(&p, ARGS("--dry-run"), env_without_uri(NULL)), 2);
	cr_expect(strstr(p.ebuf, "no platform given: use --uri URI or set SCMI_URI"), "%s", p.ebuf);
}

Test(daemon, bad_config)
{
	struct proc p;

	write_conf("system shutdown -> KEY_POWER\n"
		   "\n"
		   "power 1 state off -> KEY_NO_SUCH_KEY\n");
	cr_expect_eq(
		run_evdev(&p, ARGS("-d", "--uri", "shmem:///nonexistent", "-c", conf_path), NULL),
		2);
	cr_expect(strstr(p.ebuf, ":3: unknown event code 'KEY_NO_SUCH_KEY'"), "%s", p.ebuf);
	cr_expect(strstr(p.ebuf, conf_path), "names the file: %s", p.ebuf);
	cr_expect_eq(
		run_evdev(&p, ARGS("-d", "--uri", "x://", "-c", "/nonexistent/evdev.conf"), NULL),
		2);
	cr_expect(strstr(p.ebuf, "cannot open /nonexistent/evdev.conf: No such file or directory"),
		  "%s", p.ebuf);
}

Test(daemon, uinput_missing)
{
	struct proc p;

	cr_expect_eq(
		run_evdev(&p,
			  ARGS("--uri", "shmem:///nonexistent", "--uinput", "/nonexistent/uinput"),
			  NULL),
		1);
	cr_expect(strstr(p.ebuf, "error: cannot open /nonexistent/uinput: No such file or "
				 "directory (load the uinput module"),
		  "%s", p.ebuf);
	cr_expect_str_eq(p.obuf, "");
}

Test(daemon, uinput_not_a_uinput_device)
{
	struct proc p;

	write_conf("");
	cr_expect_eq(
		run_evdev(&p, ARGS("--uri", "shmem:///nonexistent", "--uinput", conf_path), NULL),
		1);
	cr_expect(strstr(p.ebuf, "error: cannot create an input device through"), "%s", p.ebuf);
	cr_expect(strstr(p.ebuf, conf_path), "names the path: %s", p.ebuf);
}

Test(daemon, usage)
{
	struct proc p;

	cr_expect_eq(run_evdev(&p, ARGS("--help"), NULL), 0);
	for (const char *const *o = ARGS("--uri", "--config", "--device-name", "--dry-run",
					 "--verbose", "--version", "sensor ID trip N");
	     *o; o++)
		cr_expect(strstr(p.obuf, *o), "--help lacks %s", *o);
	cr_expect_eq(run_evdev(&p, ARGS("--version"), NULL), 0);
	cr_expect_eq(strncmp(p.obuf, "scmi-evdev ", 11), 0, "%s", p.obuf);
	cr_expect_eq(run_evdev(&p, ARGS("--bogus"), NULL), 2);
	cr_expect_eq(run_evdev(&p, ARGS("-d", "extra"), NULL), 2);
	cr_expect(strstr(p.ebuf, "unexpected argument 'extra'"), "%s", p.ebuf);
}

/* With a writable /dev/uinput: KEY_POWER read back from the device. */
Test(daemon, uinput_key_power)
{
	struct test_server *s;
	struct libevdev *dev = NULL;
	struct input_event ev;
	char name[64], *node, *nl;
	struct proc p;
	bool press = false, release = false;
	uint64_t end;
	int fd;

	if (access("/dev/uinput", W_OK))
		cr_skip_test("/dev/uinput: %s: the uinput test needs a kernel with uinput "
			     "(modprobe uinput) and write access to it",
			     strerror(errno));
	s = server();
	snprintf(name, sizeof(name), "scmi-evdev-test-%d", (int)getpid());
	spawn(&p, ARGS("--uri", test_server_uri(s), "--device-name", name), NULL);
	cr_assert(wait_err(&p, "ready"), "%s", p.ebuf);
	node = strstr(p.ebuf, "\" is /dev/input/");
	cr_assert_not_null(node, "%s", p.ebuf);
	node += 5;
	nl = strchr(node, '\n');
	cr_assert_not_null(nl);
	*nl = '\0';
	fd = open(node, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	cr_assert_geq(fd, 0, "%s: %s", node, strerror(errno));
	*nl = '\n';
	cr_assert_eq(libevdev_new_from_fd(fd, &dev), 0);
	cr_expect_str_eq(libevdev_get_name(dev), name);
	cr_expect(libevdev_has_event_code(dev, EV_KEY, KEY_POWER));
	cr_expect(libevdev_has_event_code(dev, EV_KEY, KEY_RESTART));
	cr_expect(libevdev_has_event_code(dev, EV_KEY, KEY_SLEEP));
	wait_enabled(s, "notify-enabled system 0 0");

	ctl(s, "system 0 1");
	end = test_now_ms() + 10000;
	while (!release && test_now_ms() < end) {
		struct pollfd pf = {fd, POLLIN, 0};
		int rc;

		poll(&pf, 1, 100);
		while ((rc = libevdev_next_event(dev, LIBEVDEV_READ_FLAG_NORMAL, &ev)) ==
		       LIBEVDEV_READ_STATUS_SUCCESS) {
			if (ev.type == EV_KEY && ev.code == KEY_POWER && ev.value == 1)
				press = true;
			if (ev.type == EV_KEY && ev.code == KEY_POWER && ev.value == 0 && press)
				release = true;
		}
	}
	cr_expect(press, "KEY_POWER pressed");
	cr_expect(release, "KEY_POWER released");
	libevdev_free(dev);
	close(fd);
	kill(p.pid, SIGTERM);
	cr_expect_eq(finish(&p), 0, "%s", p.ebuf);
	test_server_stop(s);
}

// SPDX-License-Identifier: BSD-3-Clause
/* The scmi command-line tool, run as a user would (SCMI_CLI is its path). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "helpers.h"

#include <criterion/parameterized.h>

extern char **environ;

struct run {
	int status; /* exit status, or 128 + signal */
	char out[256 * 1024];
	char err[16 * 1024];
	size_t out_len, err_len;
};

/* Read both pipes until they close (poll: neither can fill up and block). */
static void drain(int out_fd, int err_fd, struct run *r)
{
	struct pollfd p[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
	int open_fds = 2;

	while (open_fds) {
		cr_assert_geq(poll(p, 2, 30000), 1, "the CLI hangs");
		for (int i = 0; i < 2; i++) {
			char *buf = i ? r->err : r->out;
			size_t *len = i ? &r->err_len : &r->out_len;
			size_t cap = i ? sizeof(r->err) : sizeof(r->out);
			ssize_t n;

			if (!(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			n = read(p[i].fd, buf + *len, cap - 1 - *len);
			if (n <= 0) {
				p[i].fd = -1;
				open_fds--;
				continue;
			}
			*len += (size_t)n;
			buf[*len] = '\0';
		}
	}
}

/* A CLI started, not yet waited for. */
struct cli_proc {
	pid_t pid;
	int out, err; /* read ends */
};

static void cli_spawn(const char *const *args, struct cli_proc *p)
{
	const char *argv[32] = {SCMI_CLI};
	int out[2], err[2];
	posix_spawn_file_actions_t fa;
	size_t n = 1;

	for (; args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	cr_assert_eq(posix_spawn(&p->pid, SCMI_CLI, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	p->out = out[0];
	p->err = err[0];
}

/* Its output until it exits, and its status. */
static struct run *cli_finish(struct cli_proc *p)
{
	static struct run r;
	int ws;

	memset(&r, 0, sizeof(r));
	drain(p->out, p->err, &r);
	close(p->out);
	close(p->err);
	cr_assert_eq(waitpid(p->pid, &ws, 0), p->pid);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return &r;
}

static struct run *run_cli(const char *const *args)
{
	struct cli_proc p;

	cli_spawn(args, &p);
	return cli_finish(&p);
}

#define RUN(...) run_cli((const char *const[]){__VA_ARGS__, NULL})

static struct json_object *parse_json(const char *text)
{
	struct json_object *o = json_tokener_parse(text);

	cr_assert_not_null(o, "not JSON:\n%s", text);
	return o;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A line with nothing after its label ("parents:    "), a blank line or
 * trailing blanks: what "nothing printed empty" rules out.  NULL if none. */
static const char *empty_line(const char *text)
{
	static char bad[256];
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		/* One blank line between two sections (a table after the
		 * key: value lines of a `get`) is a separator, not a value. */
		bool separator = !len && line >= text + 2 && line[-2] != '\n' && end && end[1] &&
				 end[1] != '\n';

		if (separator) {
			line = end + 1;
			continue;
		}
		if (!len || line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == ':') {
			snprintf(bad, sizeof(bad), "'%.*s'", (int)(len < 200 ? len : 200), line);
			return bad;
		}
		if (!end)
			break;
		line = end + 1;
	}
	return NULL;
}

/*
 * A line of @text whose cells, leading blanks and the blanks between
 * cells aside, begin with @id and @name (a table row) and that contains
 * @needle (NULL: anything).
 */
static bool has_row(const char *text, const char *id, const char *name, const char *needle)
{
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n'), *p = line;
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[1024];

		snprintf(buf, sizeof(buf), "%.*s", (int)(len < 1000 ? len : 1000), line);
		while (*p == ' ')
			p++;
		if (!strncmp(p, id, strlen(id)) && p[strlen(id)] == ' ') {
			p += strlen(id);
			while (*p == ' ')
				p++;
			if (!strncmp(p, name, strlen(name)) && (!needle || strstr(buf, needle)))
				return true;
		}
		line = end ? end + 1 : NULL;
	}
	return false;
}

/* The one array member of a listing's object ({"domains": [...]}). */
static struct json_object *json_list(struct json_object *o)
{
	struct json_object *arr = NULL;

	cr_assert_eq(json_object_get_type(o), json_type_object, "a listing is an object");
	json_object_object_foreach(o, key, v)
	{
		(void)key;
		if (json_object_get_type(v) == json_type_array)
			arr = v;
	}
	cr_assert_not_null(arr, "no list in the listing");
	return arr;
}

Test(cli, usage_errors_exit_2)
{
	struct run *r = RUN("--help");

	cr_assert_eq(r->status, 0);
	cr_assert(strstr(r->out, "Commands ("), "%s", r->out);
	r = RUN("");
	cr_assert_eq(r->status, 2);
	r = RUN("bogus");
	cr_assert_eq(r->status, 2);
	cr_assert(strstr(r->err, "unknown command 'bogus'"), "%s", r->err);
	cr_assert(strstr(r->err, "Usage:"), "usage goes to stderr");
	cr_assert_eq(r->out_len, 0);
	cr_assert_eq(RUN("--timeout", "abc", "info")->status, 2);
	cr_assert_eq(RUN("info", "extra")->status, 2);
	cr_assert_eq(RUN("perf", "frob")->status, 2);
	cr_assert_eq(RUN("clock")->status, 2);
	cr_assert_eq(RUN("system", "set", "reboot")->status, 2);
	cr_assert_eq(RUN("monitor", "--count", "x")->status, 2);
	cr_assert_eq(RUN("monitor", "--event", "nope")->status, 2);
}

Test(cli, unreachable_platform_one_line_reason)
{
	struct run *r = RUN("--uri", "nope://", "info");

	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "cannot open nope://"), "%s", r->err);
	r = RUN("--uri", "loopback://?drop=1", "--timeout", "50", "info");
	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "Timed out"), "%s", r->err);
	cr_assert_eq(count_lines(r->err), 1, "one line:\n%s", r->err);
}

Test(cli, info_text_and_json_match_the_platform)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct json_object *o, *v;
	struct run *r = RUN("info");
	char line[64];

	cr_assert_eq(r->status, 0);
	cr_assert(strstr(r->out, "vendor:          libscmi"), "%s", r->out);
	snprintf(line, sizeof(line), "protocols:       %u", h->version->num_protocols);
	cr_assert(strstr(r->out, line), "%s", r->out);
	/* "agents: 3" is followed by three rows, the platform is its own line. */
	snprintf(line, sizeof(line), "agents:          %u\n", h->version->num_agents);
	cr_assert(strstr(r->out, line), "%s", r->out);
	cr_assert(strstr(r->out, "platform:        0 platform\n"), "%s", r->out);
	cr_assert(strstr(r->out, "\n  3 TEE\nthis agent:"), "%s", r->out);
	cr_assert_null(strstr(r->out, "\n  0 "), "%s", r->out);

	r = RUN("--json", "info");
	cr_assert_eq(r->status, 0);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "vendor", &v));
	cr_assert_str_eq(json_object_get_string(v), h->version->vendor_id);
	cr_assert(json_object_object_get_ex(o, "protocols", &v));
	cr_assert_eq(json_object_array_length(v), h->version->num_protocols);
	/* num_agents counts the agents besides the platform: "agents" has
	 * as many, the platform (agent 0) is apart. */
	cr_assert(json_object_object_get_ex(o, "agents", &v));
	cr_assert_eq(json_object_array_length(v), h->version->num_agents);
	cr_assert(json_object_object_get_ex(o, "num_agents", &v));
	cr_assert_eq(json_object_get_int(v), h->version->num_agents);
	cr_assert(json_object_object_get_ex(o, "platform", &v));
	cr_assert(json_object_object_get_ex(v, "id", &v));
	cr_assert_eq(json_object_get_int(v), 0);
	cr_assert(json_object_object_get_ex(o, "scmi_version", &v));
	cr_assert_str_eq(json_object_get_string(v), "2.1");
	json_object_put(o);
	scmi_close(h);
}

/* Every protocol's listing, as text and as valid JSON. */
Test(cli, every_protocol_lists)
{
	static const char *const protos[] = {"power", "perf",	 "clock",    "sensor",
					     "reset", "voltage", "powercap", "pinctrl"};

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		struct run *r = RUN(protos[i], "list");

		cr_assert_eq(r->status, 0, "%s list: %s", protos[i], r->err);
		cr_assert_gt(r->out_len, 0);
		r = RUN("--json", protos[i], "list");
		cr_assert_eq(r->status, 0, "%s list --json: %s", protos[i], r->err);
		json_object_put(parse_json(r->out));
	}
	cr_assert_eq(RUN("system")->status, 0);
	json_object_put(parse_json(RUN("--json", "system")->out));
}

Test(cli, commands_reach_the_platform_and_errors_exit_1)
{
	struct run *r = RUN("perf", "set", "0", "600");

	cr_assert_eq(r->status, 0, "%s", r->err);
	r = RUN("--json", "perf", "get", "0");
	cr_assert_eq(r->status, 0, "%s", r->err);
	json_object_put(parse_json(r->out));
	r = RUN("perf", "get", "999");
	cr_assert_eq(r->status, 1);
	cr_assert_eq(count_lines(r->err), 1, "one line: %s", r->err);
	cr_assert_eq(RUN("clock", "set", "0", "5")->status, 1, "platform refuses");
	cr_assert_eq(RUN("reset", "toggle", "0")->status, 0);
	cr_assert_eq(RUN("system", "set", "warm-reset")->status, 0);
	cr_assert_eq(RUN("-u", "loopback://?profile=scmi-2.0", "voltage", "list")->status, 1,
		     "no Voltage on a SCMI 2.0 platform");
}

Test(cli, monitor_prints_events_and_stops)
{
	struct run *r = RUN("-u", "loopback://?activity_ms=10", "--json", "monitor", "--protocol",
			    "perf", "--count", "3");
	char *line, *save = NULL;
	int n = 0;

	cr_assert_eq(r->status, 0, "%s", r->err);
	for (line = strtok_r(r->out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = parse_json(line), *v;

		cr_assert(json_object_object_get_ex(o, "protocol", &v));
		cr_assert_str_eq(json_object_get_string(v), "perf");
		cr_assert(json_object_object_get_ex(o, "timestamp_ns", &v));
		json_object_put(o);
		n++;
	}
	cr_assert_eq(n, 3, "--count 3");
	r = RUN("monitor", "--timeout", "1");
	cr_assert_eq(r->status, 0, "a quiet platform: nothing, then a clean exit");
}

/* The "error" object --json prints on stdout when a command fails. */
static struct json_object *json_error(struct run *r, const char **message, const char **status)
{
	struct json_object *o = parse_json(r->out), *e, *v;

	cr_assert(json_object_object_get_ex(o, "error", &e), "no error object:\n%s", r->out);
	cr_assert(json_object_object_get_ex(e, "message", &v));
	*message = json_object_get_string(v);
	*status = json_object_object_get_ex(e, "status", &v) ? json_object_get_string(v) : NULL;
	return o;
}

/* Issue 8 item 11: "SCMI status NOT_SUPPORTED" only for what the platform
 * answered; a refusal made before anything was sent says so. */
Test(cli, errors_tell_local_refusals_from_platform_answers)
{
	static const char *const denied_uri = "loopback://?status=power:state_set:NOT_SUPPORTED";
	const char *msg, *status;
	struct json_object *o;
	/* Domain 3 has no asynchronous state change: libscmi refuses. */
	struct run *r = RUN("power", "set", "3", "on", "--async");

	cr_assert_eq(r->status, 1);
	/* libscmi's reason (scmi_last_error_msg()), and that nothing was sent. */
	cr_assert(strstr(r->err, "power set: power: domain 3 has no async state change (nothing "
				 "sent)"),
		  "%s", r->err);
	cr_assert_null(strstr(r->err, "SCMI"), "not a platform answer: %s", r->err);
	cr_assert_eq(count_lines(r->err), 1, "%s", r->err);

	r = RUN("-u", denied_uri, "power", "set", "0", "off");
	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "power set: SCMI status NOT_SUPPORTED from the platform"), "%s",
		  r->err);
	cr_assert_null(strstr(r->err, "nothing sent"), "%s", r->err);
	cr_assert_eq(count_lines(r->err), 1, "%s", r->err);

	r = RUN("--json", "-u", denied_uri, "power", "set", "0", "off");
	cr_assert_eq(r->status, 1);
	o = json_error(r, &msg, &status);
	cr_assert(strstr(msg, "SCMI status NOT_SUPPORTED"), "%s", msg);
	cr_assert_str_eq(status, "NOT_SUPPORTED");
	json_object_put(o);

	r = RUN("--json", "power", "set", "3", "on", "--async");
	cr_assert_eq(r->status, 1);
	o = json_error(r, &msg, &status);
	cr_assert(strstr(msg, "nothing sent"), "%s", msg);
	cr_assert_null(status, "no platform status for a local refusal");
	json_object_put(o);
}

/* Issue 8 item 12: TF-A has no BASE_DISCOVER_AGENT.  No agent list then,
 * and no error lines. */
Test(cli, info_without_discover_agent_omits_the_agents)
{
	static const char *const uri = "loopback://?status=base:discover_agent:NOT_SUPPORTED";
	struct json_object *o, *v;
	struct run *r = RUN("-u", uri, "info");

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(r->err_len, 0, "quietly: %s", r->err);
	cr_assert(strstr(r->out, "agents:          3\n"), "%s", r->out);
	cr_assert_null(strstr(r->out, "  0 "), "no agent lines:\n%s", r->out);
	cr_assert_null(strstr(r->out, "this agent"), "%s", r->out);
	cr_assert_null(strstr(r->out, "upport"), "%s", r->out);

	r = RUN("-u", uri, "--json", "info");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(r->err_len, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert_not(json_object_object_get_ex(o, "agents", &v), "%s", r->out);
	cr_assert_not(json_object_object_get_ex(o, "self", &v), "%s", r->out);
	cr_assert(json_object_object_get_ex(o, "num_agents", &v));
	cr_assert_eq(json_object_get_int(v), 3);
	json_object_put(o);
}

/* Agents the platform refuses to describe (or describes malformed) are
 * listed one per line with their error and their id; the command still
 * succeeds.  "self" has no id when the platform did not give it. */
Test(cli, info_lists_agents_the_platform_will_not_describe)
{
	static const char *const uris[] = {"loopback://?status=base:discover_agent:DENIED",
					   "loopback://?bad_len_at=0x10:7:-4"};

	for (size_t u = 0; u < sizeof(uris) / sizeof(uris[0]); u++) {
		bool denied = u == 0;
		struct json_object *o, *ags, *a, *v, *e;
		struct run *r = RUN("-u", uris[u], "info");

		cr_assert_eq(r->status, 0, "%s", r->err);
		for (int i = 0; i <= 3; i++) {
			char line[96];

			snprintf(line, sizeof(line), "\n%s%d (%s",
				 i ? "  " : "platform:        ", i,
				 denied ? "SCMI status DENIED from the platform" : "malformed");
			cr_assert(strstr(r->out, line), "want '%s' in\n%s", line + 1, r->out);
		}
		cr_assert(strstr(r->out, "this agent:      ("), "%s", r->out);
		r = RUN("-u", uris[u], "--json", "info");
		cr_assert_eq(r->status, 0, "%s", r->err);
		o = parse_json(r->out);
		cr_assert(json_object_object_get_ex(o, "agents", &ags), "%s", r->out);
		cr_assert_eq(json_object_array_length(ags), 3);
		for (int i = 0; i <= 3; i++) {
			if (i)
				a = json_object_array_get_idx(ags, (size_t)i - 1);
			else
				cr_assert(json_object_object_get_ex(o, "platform", &a));
			cr_assert(json_object_object_get_ex(a, "id", &v));
			cr_assert_eq(json_object_get_int(v), i, "%s", r->out);
			cr_assert(json_object_object_get_ex(a, "error", &e));
			cr_assert_eq(json_object_object_get_ex(e, "status", &v), denied);
			cr_assert_not(json_object_object_get_ex(a, "name", &v));
		}
		cr_assert(json_object_object_get_ex(o, "self", &a), "%s", r->out);
		cr_assert_not(json_object_object_get_ex(a, "id", &v), "no id was given: %s",
			      r->out);
		cr_assert(json_object_object_get_ex(a, "error", &e));
		json_object_put(o);
	}
}

/* Issue 8 item 12: global options work after the subcommand too. */
Test(cli, global_options_after_the_command)
{
	struct json_object *o, *v;
	struct run *r = RUN("info", "--json", "-u", "loopback://?profile=scmi-2.0");

	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "scmi_version", &v));
	cr_assert_str_eq(json_object_get_string(v), "2.0", "--uri after the command");
	json_object_put(o);
	r = RUN("info", "--uri=nope://");
	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "cannot open nope://"), "%s", r->err);
	r = RUN("info", "--timeout", "soon");
	cr_assert_eq(r->status, 2);
	cr_assert(strstr(r->err, "--timeout 'soon'"), "%s", r->err);
	cr_assert_eq(count_lines(r->err), 1, "one line naming the option: %s", r->err);
}

/* Issue 8 item 12: without PERFORMANCE_LIMITS_GET, `perf get` shows the
 * level and says the limits are unavailable (it printed nothing). */
Test(cli, perf_get_without_limits_get)
{
	static const char *const uri = "loopback://?status=perf:limits_get:NOT_SUPPORTED";
	struct json_object *o, *v;
	struct run *r = RUN("-u", uri, "perf", "get", "0");

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(r->err_len, 0, "%s", r->err);
	cr_assert(strstr(r->out, "id:              0\nname:            cpu-little\nlevel:   "),
		  "%s", r->out);
	cr_assert(strstr(r->out, "limits:          unavailable (SCMI status NOT_SUPPORTED"), "%s",
		  r->out);

	r = RUN("-u", uri, "--json", "perf", "get", "0");
	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "level", &v));
	cr_assert(json_object_object_get_ex(o, "freq_hz", &v));
	cr_assert_not(json_object_object_get_ex(o, "range_max", &v));
	cr_assert(json_object_object_get_ex(o, "limits_error", &v), "%s", r->out);
	cr_assert(json_object_object_get_ex(v, "status", &v));
	cr_assert_str_eq(json_object_get_string(v), "NOT_SUPPORTED");
	json_object_put(o);

	/* Asked for the limits alone: the platform's refusal is the answer. */
	r = RUN("-u", uri, "perf", "limits", "0");
	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "perf limits: SCMI status NOT_SUPPORTED"), "%s", r->err);
}

/* Issue 8 item 12: `perf set --freq` takes the units `clock set` does. */
Test(cli, perf_set_freq_takes_units)
{
	static const char *const same[] = {"700MHz", "0.7GHz", "700000kHz", "700M", "700000000"};

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct run *r = RUN("perf", "set", "0", "--freq", same[i]);

		cr_assert_eq(r->status, 0, "%s: %s", same[i], r->err);
		/* The lowest level at least that fast, read back. */
		cr_assert(strstr(r->out, "level:           700 (700000000 Hz)"), "%s: %s", same[i],
			  r->out);
	}
}

/* Issue 8 item 12: `clock get` printed an empty "parents:" line where the
 * parents are unknown, and no step for a range of rates. */
Test(cli, clock_get_omits_empty_lines_and_shows_the_step)
{
	struct run *r = RUN("-u", "loopback://?status=clock:possible_parents_get:NOT_SUPPORTED",
			    "clock", "get", "7");

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_null(empty_line(r->out), "%s in:\n%s", empty_line(r->out), r->out);
	cr_assert_null(strstr(r->out, "parents:"), "%s", r->out);
	cr_assert(strstr(r->out, "parent:          4\n"), "the parent is still known:\n%s", r->out);
	for (int id = 0; id < 9; id++) {
		char arg[4];

		snprintf(arg, sizeof(arg), "%d", id);
		r = RUN("clock", "get", arg);
		cr_assert_eq(r->status, 0, "%s", r->err);
		cr_assert_null(empty_line(r->out), "clock %d: %s in:\n%s", id, empty_line(r->out),
			       r->out);
	}
	r = RUN("clock", "get", "1");
	cr_assert(
		strstr(r->out, "rates:           range 100000000..1000000000 Hz, step 1000000 Hz"),
		"%s", r->out);
	r = RUN("clock", "rates", "1");
	cr_assert(strstr(r->out, ", step 1000000 Hz"), "%s", r->out);
}

/* Issue 8 item 12: global options after the subcommand, for every one
 * (before or after its verb), and --json output that parses. */
Test(cli, global_options_after_every_command)
{
	static const char *const cmds[][6] = {
		{"info", "--json"},
		{"power", "list", "--json"},
		{"power", "--json", "get", "0"},
		{"system", "--json"},
		{"system", "show", "-j"},
		{"perf", "get", "0", "--json"},
		{"clock", "--json", "get", "1"},
		{"clock", "rates", "1", "-j"},
		{"sensor", "read", "0", "--json"},
		{"sensor", "--json", "list"},
		{"reset", "list", "--json"},
		{"reset", "--json", "toggle", "0"},
		{"voltage", "get", "0", "--json"},
		{"powercap", "list", "--json"},
		{"powercap", "--json", "get", "0"},
		{"pinctrl", "list", "groups", "--json"},
		{"pinctrl", "--json", "get", "pin", "0"},
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const char *const *c = cmds[i];
		struct run *r = RUN(c[0], c[1], c[2], c[3], c[4], c[5]);

		cr_assert_eq(r->status, 0, "%s %s %s: %s", c[0], c[1], c[2] ? c[2] : "", r->err);
		json_object_put(parse_json(r->out));
		/* --uri after the command reaches the platform it names. */
		r = RUN(c[0], "--uri", "nope://", c[1], c[2], c[3], c[4], c[5]);
		cr_assert_eq(r->status, 1, "%s --uri after the command: %s", c[0], r->err);
		cr_assert(strstr(r->err, "cannot open nope://"), "%s: %s", c[0], r->err);
	}
	/* A subcommand's own option of that name wins: monitor's --timeout. */
	cr_assert_eq(RUN("monitor", "--timeout", "1")->status, 0);
}

/* Issue 8 item 12: one number parser with units for every subcommand; bad
 * input exits 2 with one line naming the option. */
Test(cli, numbers_with_units_everywhere)
{
	static const char *const good[][8] = {
		{"clock", "set", "1", "0.2GHz"},
		{"clock", "set", "1", "200M"},
		{"perf", "set", "1", "--freq", "1.2GHz"},
		{"voltage", "set", "0", "850mV"},
		{"voltage", "set", "0", "0.85V"},
		{"voltage", "set", "3", "-0.6V"},
		{"powercap", "set", "0", "--cap", "2.5W", "--pai", "10ms"},
		{"powercap", "set", "1", "--cap", "600mW"},
		{"sensor", "config", "0", "--interval", "250ms"},
		{"sensor", "watch", "0", "--count", "1", "--poll", "20ms"},
		{"system", "wait", "--timeout", "50ms"},
		{"monitor", "--timeout", "50ms"},
		{"--timeout", "2s", "info"},
		{"sensor", "trip", "0", "0", "up", "-45.5"},
	};
	static const char *const bad[][8] = {
		{"--freq", "perf", "set", "1", "--freq", "1.2GHzz"},
		{"RATE", "clock", "set", "1", "1.5Hz"},
		{"RATE", "clock", "set", "1", "fast"},
		{"LEVEL", "voltage", "set", "0", "0.85W"},
		{"--cap", "powercap", "set", "0", "--cap", "2.5"},
		{"--cap", "powercap", "set", "4", "--cap", "2W"},
		{"--pai", "powercap", "set", "0", "--pai", "1ns"},
		{"--interval", "sensor", "config", "0", "--interval", "1h"},
		{"--poll", "sensor", "watch", "0", "--poll", "0"},
		{"--timeout", "system", "wait", "--timeout", "-1"},
		{"--timeout", "monitor", "--timeout", "1MHz"},
		{"--timeout", "--timeout", "0.5us", "info"},
		{"VALUE", "sensor", "trip", "0", "0", "up", "45C"},
		{"VALUE", "sensor", "trip", "0", "0", "up", "45.0001"},
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const char *const *c = good[i];
		struct run *r = RUN(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);

		/* 1 from `system wait`: no notification came (not a usage error). */
		cr_assert_lt(r->status, 2, "%s %s %s %s: %s", c[0], c[1], c[2], c[3], r->err);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *const *c = bad[i];
		struct run *r = RUN(c[1], c[2], c[3], c[4], c[5], c[6], c[7]);

		cr_assert_eq(r->status, 2, "%s %s %s: %d %s", c[1], c[2], c[3], r->status, r->err);
		cr_assert_eq(count_lines(r->err), 1, "one line: %s", r->err);
		cr_assert(strstr(r->err, c[0]), "names %s: %s", c[0], r->err);
		cr_assert_eq(r->out_len, 0);
	}
}

/* Platforms lacking optional commands, as TF-A and OP-TEE do. */
#define NS(p, m) #p ":" #m ":NOT_SUPPORTED"
static const char *const lacking_uris[] = {
	"loopback://?profile=scmi-2.0",
	"loopback://?status=" NS(
		base,
		discover_agent) "," NS(base,
				       notify_errors) "," NS(perf,
							     limits_get) "," NS(perf,
										limits_set) "," NS(perf,
												   notify_limits) "," NS(perf,
															 notify_level) "," NS(perf,
																	      describe_fastchannel) "," NS(perf, domain_name_get) "," NS(power, state_notify) "," NS(power, state_change_requested_notify) "," NS(power, domain_name_get) "," NS(system,
																																						 state_notify) "," NS(reset,
																																								      notify) "," NS(reset,
																																										     domain_name_get) "," NS(voltage, domain_name_get) "," NS(voltage,
																																																	      config_get),
	"loopback://?status=" NS(clock, name_get) "," NS(
		clock,
		rate_notify) "," NS(clock,
				    rate_change_requested_notify) "," NS(clock,
									 config_get) "," NS(clock,
											    possible_parents_get) "," NS(clock,
															 parent_get) "," NS(clock, parent_set) "," NS(clock, get_permissions) "," NS(sensor, trip_point_notify) "," NS(sensor, trip_point_config) "," NS(sensor,
																																	 list_update_intervals) "," NS(sensor,
																																				       config_get) "," NS(sensor,
																																							  config_set) "," NS(sensor,
																																									     continuous_update_notify) "," NS(sensor, name_get) "," NS(sensor, axis_name_get),
	"loopback://?status=" NS(powercap, pai_get) "," NS(powercap, pai_set) "," NS(powercap, measurements_get) "," NS(powercap, cap_notify) "," NS(powercap, measurements_notify) "," NS(
		powercap,
		describe_fastchannel) "," NS(powercap,
					     domain_name_get) "," NS(pinctrl,
								     name_get) "," NS(pinctrl,
										      set_permissions) "," NS(sensor,
													      reading_get) "," NS(system,
																  state_get),
};

/* Every read-only command; fails: the platforms (bits of lacking_uris)
 * where it asks for exactly what is missing, and must fail in one line. */
static const struct {
	const char *args[5];
	unsigned int fails;
} audit_cmds[] = {
	{{"info"}, 0},
	{{"power", "list"}, 0},
	{{"power", "get", "0"}, 0},
	{{"system"}, 0},
	{{"perf", "list"}, 0},
	{{"perf", "list", "1"}, 0},
	{{"perf", "get", "0"}, 0},
	{{"perf", "limits", "0"}, 1u << 1},
	{{"clock", "list"}, 0},
	{{"clock", "get", "0"}, 0},
	{{"clock", "get", "1"}, 0},
	{{"clock", "get", "7"}, 0},
	{{"clock", "get", "8"}, 0},
	{{"clock", "rates", "1"}, 0},
	{{"sensor", "list"}, 0},
	{{"sensor", "list", "0"}, 0},
	{{"sensor", "list", "5"}, 0},
	{{"sensor", "read", "0"}, 1u << 3},
	{{"sensor", "read", "5"}, 1u << 3},
	{{"sensor", "config", "0"}, 1u << 0 | 1u << 2},
	{{"reset", "list"}, 0},
	{{"voltage", "list"}, 1u << 0},
	{{"voltage", "list", "--levels"}, 1u << 0},
	{{"voltage", "get"}, 1u << 0},
	{{"voltage", "get", "0"}, 1u << 0},
	{{"powercap", "list"}, 1u << 0},
	{{"powercap", "get", "0"}, 1u << 0},
	{{"powercap", "get", "4"}, 1u << 0},
	{{"powercap", "measure", "0"}, 1u << 0 | 1u << 3},
	{{"pinctrl", "list"}, 1u << 0},
	{{"pinctrl", "get", "pin", "0"}, 1u << 0},
	{{"pinctrl", "get", "group", "0"}, 1u << 0},
};

/* Issue 8 item 12: every subcommand, text and --json, against platforms
 * lacking optional commands: nothing empty, no stray error lines, exit 0;
 * a command asking for what is missing exits 1 with one line (and a JSON
 * error object with --json). */
Test(cli, audit_against_platforms_lacking_optional_commands, .timeout = 120)
{
	for (size_t u = 0; u < sizeof(lacking_uris) / sizeof(lacking_uris[0]); u++) {
		for (size_t i = 0; i < sizeof(audit_cmds) / sizeof(audit_cmds[0]); i++) {
			const char *const *a = audit_cmds[i].args;
			bool fails = audit_cmds[i].fails & 1u << u;
			struct run *r = RUN("-u", lacking_uris[u], a[0], a[1], a[2], a[3]);

			cr_assert_eq(r->status, fails, "[%zu] %s %s %s: %d\n%s", u, a[0],
				     a[1] ? a[1] : "", a[2] ? a[2] : "", r->status, r->err);
			cr_assert_eq(count_lines(r->err), fails, "[%zu] %s %s %s:\n%s", u, a[0],
				     a[1] ? a[1] : "", a[2] ? a[2] : "", r->err);
			if (!fails) {
				cr_assert_gt(r->out_len, 0);
				cr_assert_null(empty_line(r->out), "[%zu] %s %s %s: %s in\n%s", u,
					       a[0], a[1] ? a[1] : "", a[2] ? a[2] : "",
					       empty_line(r->out), r->out);
			} else {
				cr_assert_eq(r->out_len, 0, "%s", r->out);
			}
			r = RUN("-u", lacking_uris[u], "--json", a[0], a[1], a[2], a[3]);
			cr_assert_eq(r->status, fails, "[%zu] --json %s %s %s:\n%s", u, a[0],
				     a[1] ? a[1] : "", a[2] ? a[2] : "", r->err);
			cr_assert_eq(count_lines(r->err), fails, "%s", r->err);
			if (fails) {
				const char *msg, *status;

				json_object_put(json_error(r, &msg, &status));
			} else {
				json_object_put(parse_json(r->out));
			}
		}
	}
}

/* Issue 8 item 12 audit: `monitor --event E` where the platform cannot
 * enable E printed a warning and then "no event": one line now. */
Test(cli, monitor_one_line_when_nothing_can_be_listened_to)
{
	static const char *const uri = "loopback://?status=perf:notify_limits:NOT_SUPPORTED";
	struct run *r = RUN("-u", uri, "monitor", "--event", "limits_changed", "--timeout", "1");

	cr_assert_eq(r->status, 1);
	cr_assert_eq(count_lines(r->err), 1, "%s", r->err);
	cr_assert(strstr(r->err, "monitor: perf limits_changed: not supported by this platform"),
		  "%s", r->err);
	/* Listening to the whole protocol: the event it has, quietly. */
	r = RUN("-u", uri, "monitor", "--protocol", "perf", "--timeout", "0.05");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(r->err_len, 0, "%s", r->err);
}

/* Every setter prints the resulting state, read back, as `get` shows it
 * (the actions SCMI cannot read back -- reset, system set, pinctrl
 * request -- say what was done), in text and JSON. */
Test(cli, actions_say_what_they_did)
{
	static const struct {
		const char *args[7];
		const char *text;
	} acts[] = {
		{{"perf", "set", "0", "700"}, "level:           700 (700000000 Hz)"},
		{{"perf", "set", "0", "1.1GHz"}, "level:           1100 (1100000000 Hz)"},
		{{"perf", "limits", "0", "1500", "500"}, "limits:          500..1500"},
		{{"perf", "limits", "0", "1.5G", "500MHz"}, "limits:          500..1500"},
		{{"clock", "enable", "2"}, "state:           on"},
		{{"clock", "disable", "2"}, "state:           off"},
		{{"clock", "set", "1", "200MHz"}, "rate:            200000000 Hz"},
		{{"powercap", "set", "0", "--cap", "20W", "--pai", "5ms"},
		 "cap:             20000 mW\ncapping:         enabled\npai:             5000 us"},
		{{"powercap", "set", "1", "--cap", "off"}, "capping:         disabled"},
		{{"system", "set", "warm-reset"}, "requested:       warm-reset (2), graceful"},
		{{"voltage", "set", "0", "0.8V"}, "level:           800000 uV"},
		{{"power", "set", "0", "off"}, "state:           off"},
		{{"reset", "toggle", "1"}, "action:          reset (cold"},
		{{"pinctrl", "request", "pin", "0"}, "action:          requested"},
		{{"pinctrl", "set", "pin", "0", "drive-strength=8"}, "drive-strength      8"},
		{{"sensor", "config", "0", "--interval", "2s"}, "update interval: 2s"},
	};

	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		const char *const *a = acts[i].args;
		struct run *r = RUN(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);

		cr_assert_eq(r->status, 0, "%s %s: %s", a[0], a[1], r->err);
		cr_assert(strstr(r->out, acts[i].text), "%s %s:\n%s", a[0], a[1], r->out);
		cr_assert_null(empty_line(r->out), "%s %s: %s", a[0], a[1], empty_line(r->out));
		r = RUN("--json", a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
		cr_assert_eq(r->status, 0, "%s %s: %s", a[0], a[1], r->err);
		json_object_put(parse_json(r->out));
	}
}

/* ---- the simulator's status= knob, byte by byte ------------------------------- */

struct sim_reply {
	int n;
	int32_t status;
	uint32_t hdr;
	size_t len;
};

static void sim_reply_capture(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
			      uint64_t delay_us)
{
	struct sim_reply *r = priv;
	const uint8_t *b = msg;

	r->n++;
	r->len = len;
	r->hdr = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	r->status = len >= 8 ? (int32_t)((uint32_t)b[4] | (uint32_t)b[5] << 8 |
					 (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24)
			     : 0;
}

/* Send a command with up to two u32 parameters; the reply's status. */
static int32_t sim_cmd(struct scmi_sim *sim, struct sim_reply *r, uint8_t proto, uint8_t msg,
		       int nparams, uint32_t p0, uint32_t p1)
{
	uint8_t buf[12];
	uint32_t words[3] = {(uint32_t)msg | (uint32_t)proto << 10 | 7u << 18, p0, p1};

	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 4; b++)
			buf[4 * i + b] = (uint8_t)(words[i] >> (8 * b));
	memset(r, 0, sizeof(*r));
	cr_assert_eq(scmi_sim_process(sim, buf, 4 + 4 * (size_t)nparams), 0);
	cr_assert_eq(r->n, 1, "one response");
	return r->status;
}

Test(sim_status, knob_answers_instead_of_the_model)
{
	struct scmi_sim_perf_domain d;
	struct scmi_sim *sim;
	struct sim_reply r;

	cr_assert_eq(scmi_sim_new(NULL, &sim), 0);
	scmi_sim_set_emit(sim, sim_reply_capture, &r);
	cr_assert_eq(scmi_sim_fault_parse(sim, "status",
					  "perf:limits_get:NOT_SUPPORTED,0x13:7:DENIED,"
					  "base:BASE_DISCOVER_AGENT:-1"),
		     0);
	/* PERFORMANCE_LIMITS_GET(0): the knob's status, no data. */
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x6, 1, 0, 0), -1);
	cr_assert_eq(r.len, 8, "status only");
	cr_assert_eq(r.hdr & 0x3ffff, 0x6 | 0x13 << 10, "the command's header");
	cr_assert_eq((r.hdr >> 18) & 0x3ff, 7, "the command's token");
	/* PERFORMANCE_LEVEL_SET(0, 300): DENIED, and the model did not run. */
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x7, 2, 0, 300), -3);
	cr_assert_eq(scmi_sim_perf_domain_get(sim, 0, &d), 0);
	cr_assert_neq(d.level, 300, "no side effect");
	/* PROTOCOL_MESSAGE_ATTRIBUTES: NOT_FOUND for the NOT_SUPPORTED ones
	 * only, as a platform lacking them answers. */
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x2, 1, 0x6, 0), -4);
	cr_assert_eq(sim_cmd(sim, &r, 0x10, 0x2, 1, 0x7, 0), -4);
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x2, 1, 0x7, 0), 0, "DENIED: still implemented");
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x2, 1, 0x8, 0), 0);
	/* Other messages untouched. */
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x8, 1, 0, 0), 0);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_STATUS), 2);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x6, 1, 0, 0), 0, "cleared");
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x2, 1, 0x6, 0), 0);
	scmi_sim_free(sim);
}

Test(sim_status, knob_syntax)
{
	static const char *const bad[] = {
		"",
		"perf",
		"perf:6",
		"perf:6:",
		"perf:6:0",
		"perf:6:1",
		"perf:6:SUCCESS",
		"perf:bogus:DENIED",
		"nope:6:DENIED",
		"perf:256:DENIED",
		"perf:6:DENIED,",
		"perf:6:DENIED,,base:7:DENIED",
		"perf:-6:DENIED",
	};
	struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_STATUS, .protocol = 0x13, .message = 6};
	struct scmi_sim *sim;
	struct sim_reply r;

	cr_assert_eq(scmi_sim_new(NULL, &sim), 0);
	scmi_sim_set_emit(sim, sim_reply_capture, &r);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(scmi_sim_fault_parse(sim, "status", bad[i]), -EINVAL, "'%s'", bad[i]);
	cr_assert_eq(scmi_sim_fault_parse(sim, "status", NULL), -EINVAL);
	/* A bad item arms nothing, not even the good ones before it. */
	cr_assert_eq(scmi_sim_fault_parse(sim, "status", "perf:6:DENIED,perf:6:x"), -EINVAL);
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x6, 1, 0, 0), 0);
	/* Names: case-insensitive, with or without the protocol's prefix. */
	cr_assert_eq(scmi_sim_fault_parse(sim, "status", "PERF:performance_limits_get:busy"), 0);
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x6, 1, 0, 0), -6);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_parse(sim, "status", "system:STATE_GET:HARDWARE_ERROR"), 0);
	cr_assert_eq(sim_cmd(sim, &r, 0x12, 0x4, 0, 0, 0), -9);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_parse(sim, "status", "21:protocol_attributes:-12345"), 0);
	cr_assert_eq(sim_cmd(sim, &r, 0x15, 0x1, 0, 0, 0), -12345, "any negative status");
	scmi_sim_fault_clear(sim);
	/* As many items as there are knobs, with the specification's names. */
	{
		char list[2048] = "";

		for (int i = 0; i < 16; i++)
			strcat(list, i ? ",clock:CLOCK_RATE_CHANGE_REQUESTED_NOTIFY:NOT_SUPPORTED"
				       : "clock:CLOCK_RATE_CHANGE_REQUESTED_NOTIFY:NOT_SUPPORTED");
		cr_assert_eq(scmi_sim_fault_parse(sim, "status", list), 0);
		scmi_sim_fault_clear(sim);
		strcat(list, ",perf:6:DENIED");
		cr_assert_eq(scmi_sim_fault_parse(sim, "status", list), -ENOSPC);
		cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x6, 1, 0, 0), 0, "nothing armed");
	}
	/* The API: a status must be negative. */
	f.param = 0;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.param = (int64_t)INT32_MIN - 1;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.param = -2;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	cr_assert_eq(sim_cmd(sim, &r, 0x13, 0x6, 1, 0, 0), -2);
	scmi_sim_free(sim);
}

/* Domains libscmi disabled (the platform described them badly) are listed
 * as such, never read through (their tables are empty). */
Test(cli, perf_lists_disabled_domains)
{
	static const char *const uri = "loopback://?status=perf:describe_levels:GENERIC_ERROR";
	struct json_object *o, *doms, *d, *v;
	struct run *r = RUN("-u", uri, "perf", "list");

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(has_row(r->out, "0", "cpu-little", "disabled: "), "%s", r->out);
	r = RUN("-u", uri, "perf", "list", "0");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, "disabled:"), "%s", r->out);
	r = RUN("-u", uri, "--json", "perf", "list");
	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "domains", &doms), "%s", r->out);
	d = json_object_array_get_idx(doms, 0);
	cr_assert(json_object_object_get_ex(d, "usable", &v));
	cr_assert_not(json_object_get_boolean(v));
	json_object_put(o);
	r = RUN("-u", uri, "perf", "get", "0");
	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "was disabled at discovery"), "%s", r->err);
}

/* ---- entries libscmi disabled at discovery ----------------------------------- */

/* The JSON entry of @id in @arr (an array of objects with an "id"), which
 * must say usable: false and why ("disabled", with "status" when the
 * platform refused, @status NULL otherwise). */
static void expect_json_disabled(struct json_object *arr, const char *idkey, int id,
				 const char *status)
{
	struct json_object *e = NULL, *v, *why;

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *c = json_object_array_get_idx(arr, i);

		if (json_object_object_get_ex(c, idkey, &v) && json_object_get_int(v) == id)
			e = c;
	}
	cr_assert_not_null(e, "entry %d", id);
	cr_assert(json_object_object_get_ex(e, "usable", &v), "entry %d", id);
	cr_assert_not(json_object_get_boolean(v), "entry %d", id);
	cr_assert(json_object_object_get_ex(e, "disabled", &why), "entry %d", id);
	cr_assert(json_object_object_get_ex(why, "message", &v));
	cr_assert_eq(json_object_object_get_ex(why, "status", &v), status != NULL);
	if (status)
		cr_assert_str_eq(json_object_get_string(v), status);
}

/* Text and JSON listings of @proto with every entry disabled by @uri: each
 * entry is one "disabled: ..." line (with @why in it), no line is empty,
 * JSON says usable: false; exit status 0. */
static void expect_list_disabled(const char *uri, const char *proto, const char *why,
				 const char *status, int entries)
{
	struct json_object *o, *arr;
	const char *p;
	struct run *r = RUN("-u", uri, proto, "list");
	int n = 0;

	cr_assert_eq(r->status, 0, "%s list: %s", proto, r->err);
	cr_assert_null(empty_line(r->out), "%s: %s in:\n%s", proto, empty_line(r->out), r->out);
	for (p = r->out; (p = strstr(p, why)); p++)
		n++;
	cr_assert_eq(n, entries, "%s: %d entries say '%s':\n%s", proto, n, why, r->out);
	r = RUN("-u", uri, "--json", proto, "list");
	cr_assert_eq(r->status, 0, "%s list --json: %s", proto, r->err);
	o = parse_json(r->out);
	arr = json_list(o);
	cr_assert_eq((int)json_object_array_length(arr), entries);
	for (int i = 0; i < entries; i++)
		expect_json_disabled(arr, "id", i, status);
	json_object_put(o);
}

/* Domains whose description the platform refused: their reason is known
 * (the info's err) and named. */
Test(cli, power_reset_powercap_list_disabled_domains)
{
	expect_list_disabled("loopback://?status=power:domain_attributes:DENIED", "power",
			     "disabled: SCMI status DENIED from the platform", "DENIED", 8);
	expect_list_disabled("loopback://?bad_len_at=0x11:3:-8", "power",
			     "disabled: the platform described it badly", NULL, 8);
	expect_list_disabled("loopback://?status=reset:domain_attributes:NOT_FOUND", "reset",
			     "disabled: SCMI status NOT_FOUND from the platform", "NOT_FOUND", 6);
	expect_list_disabled("loopback://?status=powercap:domain_attributes:DENIED", "powercap",
			     "disabled: SCMI status DENIED from the platform", "DENIED", 6);
}

/* The protocols whose infos have no reason: the log says. */
Test(cli, voltage_sensor_pinctrl_perf_list_disabled_entries)
{
	static const char *const why = "disabled: the platform refused to describe it";
	struct json_object *o, *arr;
	struct run *r;

	expect_list_disabled("loopback://?status=voltage:describe_levels:GENERIC_ERROR", "voltage",
			     why, NULL, 6);
	/* voltage get lists them too, without reading them. */
	r = RUN("-u", "loopback://?status=voltage:describe_levels:GENERIC_ERROR", "voltage", "get");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, why), "%s", r->out);
	cr_assert_null(strstr(r->out, "malformed"), "not read:\n%s", r->out);
	r = RUN("-u", "loopback://?status=voltage:describe_levels:GENERIC_ERROR", "--json",
		"voltage", "get");
	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "domains", &arr), "%s", r->out);
	expect_json_disabled(arr, "id", 0, NULL);
	json_object_put(o);
	r = RUN("-u", "loopback://?status=voltage:describe_levels:GENERIC_ERROR", "voltage", "get",
		"0");
	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "was disabled at discovery"), "%s", r->err);

	/* The two multi-axis sensors: listed, one in detail, as disabled. */
	r = RUN("-u", "loopback://?status=sensor:axis_description_get:NOT_SUPPORTED", "sensor",
		"list");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(has_row(r->out, "5", "IMU Accelerometer", "disabled: "), "%s", r->out);
	cr_assert(has_row(r->out, "6", "IMU Gyroscope", "disabled: "), "%s", r->out);
	cr_assert(has_row(r->out, "7", "Fan0", "RPM"), "the others as before:\n%s", r->out);
	r = RUN("-u", "loopback://?status=sensor:axis_description_get:NOT_SUPPORTED", "sensor",
		"list", "5");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, "id:              5\nname:            IMU Accelerometer\n"
				 "state:           disabled: "),
		  "%s", r->out);
	cr_assert_null(strstr(r->out, "axis"), "no axes read:\n%s", r->out);
	r = RUN("-u", "loopback://?status=sensor:axis_description_get:NOT_SUPPORTED", "--json",
		"sensor", "list");
	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "sensors", &arr), "%s", r->out);
	expect_json_disabled(arr, "id", 5, NULL);
	expect_json_disabled(arr, "id", 6, NULL);
	json_object_put(o);

	/* Perf (usable since the leniency rules) says why the same way. */
	r = RUN("-u", "loopback://?status=perf:describe_levels:GENERIC_ERROR", "--json", "perf",
		"list");
	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "domains", &arr));
	expect_json_disabled(arr, "id", 0, NULL);
	json_object_put(o);

	/* Groups and functions whose members cannot be listed. */
	r = RUN("-u", "loopback://?status=pinctrl:list_associations:GENERIC_ERROR", "pinctrl",
		"list");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_null(empty_line(r->out), "%s in:\n%s", empty_line(r->out), r->out);
	cr_assert(has_row(r->out, "0", "uart0_grp", "disabled: "), "%s", r->out);
	cr_assert(has_row(r->out, "0", "UART0_TX", NULL), "pins are fine:\n%s", r->out);
	cr_assert(!has_row(r->out, "0", "UART0_TX", "disabled"), "pins are fine:\n%s", r->out);
	r = RUN("-u", "loopback://?status=pinctrl:list_associations:GENERIC_ERROR", "--json",
		"pinctrl", "list");
	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "groups", &arr));
	expect_json_disabled(arr, "id", 0, NULL);
	cr_assert(json_object_object_get_ex(o, "functions", &arr));
	expect_json_disabled(arr, "id", 0, NULL);
	json_object_put(o);
	/* Pins without a name (their attributes refused) read as "?". */
	r = RUN("-u", "loopback://?status=pinctrl:pinctrl_attributes:DENIED", "pinctrl", "list",
		"pins");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(has_row(r->out, "0", "? disabled: ", NULL), "%s", r->out);
}

/* ---- the same platform over a transport scmi-sim serves ------------------ */

/* The transports (tests/helpers.c's names) `scmi --uri` is run over, each
 * against an scmi-sim process of the loopback platform's profile with its
 * memory window shared (fastchannels): uio:// in both forms, shmem://. */
static const char *const cli_transports[] = {"uio", "uio-poll", "shmem"};

/* Same keys, same types, arrays of the same length, all the way down; the
 * values may differ (sensor readings and timestamps move with time). */
static void json_same_shape(struct json_object *a, struct json_object *b, const char *where)
{
	cr_assert_eq(json_object_get_type(a), json_object_get_type(b), "%s: type", where);
	if (json_object_is_type(a, json_type_object)) {
		cr_assert_eq(json_object_object_length(a), json_object_object_length(b), "%s: keys",
			     where);
		json_object_object_foreach(a, key, va)
		{
			struct json_object *vb;

			cr_assert(json_object_object_get_ex(b, key, &vb), "%s: no %s", where, key);
			json_same_shape(va, vb, where);
		}
	} else if (json_object_is_type(a, json_type_array)) {
		cr_assert_eq(json_object_array_length(a), json_object_array_length(b), "%s: length",
			     where);
		for (size_t i = 0; i < json_object_array_length(a); i++)
			json_same_shape(json_object_array_get_idx(a, i),
					json_object_array_get_idx(b, i), where);
	}
}

/* `scmi --json CMD...` over loopback:// and over @uri: both succeed with
 * the same JSON (@shape_only: the same shape). */
static void cli_same(const char *uri, const char *const *cmd, bool shape_only)
{
	const char *argv[16] = {"--json", "--timeout", "2000"};
	struct json_object *lo, *srv;
	char what[128] = "";
	struct run *r;
	size_t n = 3;

	for (size_t i = 0; cmd[i] && n < 12; i++) {
		argv[n++] = cmd[i];
		snprintf(what + strlen(what), sizeof(what) - strlen(what), " %s", cmd[i]);
	}
	r = run_cli(argv);
	cr_assert_eq(r->status, 0, "loopback:%s: %s", what, r->err);
	lo = parse_json(r->out);
	argv[n++] = "--uri";
	argv[n++] = uri;
	r = run_cli(argv);
	cr_assert_eq(r->status, 0, "%s%s: %s", uri, what, r->err);
	srv = parse_json(r->out);
	if (shape_only)
		json_same_shape(lo, srv, what);
	else
		cr_assert(json_object_equal(lo, srv), "%s differs:\nloopback: %s\n%s: %s", what,
			  json_object_to_json_string(lo), uri, json_object_to_json_string(srv));
	json_object_put(lo);
	json_object_put(srv);
}

/* `scmi --uri @uri --json CMD...`: exit 0, the JSON output (to put). */
static struct json_object *cli_json(const char *uri, const char *const *cmd)
{
	const char *argv[16] = {"--json", "--timeout", "2000", "--uri", uri};
	struct run *r;
	size_t n = 5;

	for (size_t i = 0; cmd[i] && n < 15; i++)
		argv[n++] = cmd[i];
	r = run_cli(argv);
	cr_assert_eq(r->status, 0, "%s %s: %s", uri, cmd[0], r->err);
	return parse_json(r->out);
}

static int64_t json_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no %s in %s", key,
		  json_object_to_json_string(o));
	return json_object_get_int64(v);
}

static const char *json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no %s in %s", key,
		  json_object_to_json_string(o));
	return json_object_get_string(v);
}

#define CMD(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- one grammar, one JSON shape per kind of output (issue 12) -------------------- */

/* Is there a key "domain" or "sensor" anywhere (ids are always "id")? */
static const char *json_old_id_key(struct json_object *o)
{
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			const char *k = json_old_id_key(json_object_array_get_idx(o, i));

			if (k)
				return k;
		}
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, v)
		{
			const char *k;

			if (!strcmp(key, "domain") || !strcmp(key, "sensor"))
				return key;
			k = json_old_id_key(v);
			if (k)
				return k;
		}
	}
	return NULL;
}

/* @o has every key of the NULL-terminated @keys; the first one ("id" for
 * an item) is an integer when it is "id". */
static void json_has_keys(struct json_object *o, const char *const *keys, const char *what)
{
	struct json_object *v;

	cr_assert(json_object_is_type(o, json_type_object), "%s: not an object", what);
	for (size_t i = 0; keys[i]; i++) {
		cr_assert(json_object_object_get_ex(o, keys[i], &v), "%s: no \"%s\" in %s", what,
			  keys[i], json_object_to_json_string(o));
		if (!strcmp(keys[i], "id"))
			cr_assert(json_object_is_type(v, json_type_int), "%s: id", what);
	}
}

/* The names monitor --event takes (docs/CLI.md lists the same). */
static const char *const cli_event_names[][2] = {
	{"base", "error_event"},
	{"power", "state_changed* state_change_requested*"},
	{"system", "power_state_notifier"},
	{"perf", "limits_changed* level_changed*"},
	{"clock", "rate_changed* rate_change_requested*"},
	{"sensor", "trip_point* update*"},
	{"reset", "reset_issued*"},
	{"powercap", "cap_changed* measurements_changed*"},
	{NULL, NULL},
};

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Every command, with --json: one document parsed back with json-c, of
 * the documented shape.  A listing is {"<things>": [{"id", ...}]} (the
 * item keys checked on each item), anything else one object. */
static const struct {
	const char *args[8];
	const char *list;	    /* the listing's array, or NULL: one object */
	const char *const keys[6];  /* of the object, or of every item */
	const char *const outer[5]; /* other keys of a listing's object */
} json_shapes[] = {
	{{"info"}, "agents", {"id", "name"}, {"vendor", "protocols", "num_agents", "platform"}},
	{{"info"}, "protocols", {"id", "name", "version", "supported"}, {"scmi_version"}},
	{{"power", "list"}, "domains", {"id", "name", "usable", "state"}, {"version"}},
	{{"power", "get", "0"}, NULL, {"id", "name", "state", "state_name"}},
	{{"power", "set", "1", "on"}, NULL, {"id", "name", "state", "state_name"}},
	{{"system"}, NULL, {"version", "warm_reset", "suspend"}},
	{{"system", "set", "shutdown"}, NULL, {"version", "requested_state", "graceful"}},
	{{"perf", "list"}, "domains", {"id", "name", "usable", "levels"}, {"version"}},
	{{"perf", "list", "1"}, "domains", {"id", "name", "levels"}},
	{{"perf", "get", "0"}, NULL, {"id", "name", "level", "freq_hz", "range_max"}},
	{{"perf", "set", "0", "700"}, NULL, {"id", "name", "level", "freq_hz"}},
	{{"perf", "limits", "0"}, NULL, {"id", "name", "range_max", "range_min"}},
	{{"perf", "limits", "0", "1500", "500"}, NULL, {"id", "name", "level", "range_max"}},
	{{"clock", "list"}, "clocks", {"id", "name", "enabled", "rate", "rates"}},
	{{"clock", "get", "0"}, NULL, {"id", "name", "enabled", "rate", "rates"}},
	{{"clock", "rates", "0"}, NULL, {"format", "rates"}},
	{{"clock", "set", "0", "800MHz"}, NULL, {"id", "name", "rate"}},
	{{"clock", "disable", "0"}, NULL, {"id", "name", "enabled"}},
	{{"sensor", "list"}, "sensors", {"id", "name", "usable", "unit", "scale"}},
	{{"sensor", "list", "0"}, NULL, {"id", "name", "unit"}},
	{{"sensor", "read", "0"}, NULL, {"id", "name", "readings"}},
	{{"sensor", "config", "0"}, NULL, {"id", "enabled", "timestamping", "interval"}},
	{{"sensor", "trip", "0", "0", "up", "50"}, NULL, {"id", "trip_point", "mode", "value"}},
	{{"reset", "list"}, "domains", {"id", "name", "usable", "latency_us"}},
	{{"reset", "toggle", "1"}, NULL, {"id", "name", "action"}},
	{{"voltage", "list"}, "domains", {"id", "name", "usable", "min_uv", "max_uv"}},
	{{"voltage", "get"}, "domains", {"id", "name", "level_uv", "mode"}},
	{{"voltage", "get", "0"}, NULL, {"id", "name", "level_uv", "config", "mode"}},
	{{"voltage", "set", "0", "0.9V"}, NULL, {"id", "name", "level_uv"}},
	{{"powercap", "list"}, "domains", {"id", "name", "usable", "parent", "children"}},
	{{"powercap", "get", "0"}, NULL, {"id", "name", "power_cap", "unit", "pai_us"}},
	{{"powercap", "set", "0", "--cap", "5W"}, NULL, {"id", "name", "power_cap", "unit"}},
	{{"powercap", "measure", "0"}, NULL, {"id", "name", "power", "unit", "pai_us"}},
	{{"pinctrl", "list"}, "pins", {"id", "name", "usable"}, {"groups", "functions"}},
	{{"pinctrl", "list"}, "groups", {"id", "name", "pins"}},
	{{"pinctrl", "list"}, "functions", {"id", "name", "groups"}},
	{{"pinctrl", "list", "groups"}, "groups", {"id", "name"}},
	{{"pinctrl", "get", "pin", "0"}, NULL, {"id", "name", "type", "function", "configs"}},
	{{"pinctrl", "set", "pin", "0", "drive-strength=8"}, NULL, {"id", "name", "configs"}},
	{{"pinctrl", "request", "pin", "1"}, NULL, {"id", "type", "requested"}},
	{{"stats"}, "protocols", {"id", "name", "received", "delivered"}, {"transport"}},
	{{"raw", "base", "1"}, NULL, {"protocol", "message", "status", "length", "response"}},
	{{"probe"}, NULL, {"transport", "limits"}},
};

Test(cli, every_subcommand_json_has_its_documented_shape)
{
	for (size_t i = 0; i < sizeof(json_shapes) / sizeof(json_shapes[0]); i++) {
		const char *const *a = json_shapes[i].args;
		struct run *r = RUN("--json", a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
		struct json_object *o, *arr;
		char what[96];
		const char *old;

		snprintf(what, sizeof(what), "%s %s %s", a[0], a[1] ? a[1] : "", a[2] ? a[2] : "");
		cr_assert_eq(r->status, 0, "%s: %s", what, r->err);
		o = parse_json(r->out);
		old = json_old_id_key(o);
		cr_assert_null(old, "%s: an id keyed \"%s\":\n%s", what, old, r->out);
		if (!json_shapes[i].list) {
			json_has_keys(o, json_shapes[i].keys, what);
			json_object_put(o);
			continue;
		}
		json_has_keys(o, json_shapes[i].outer, what);
		cr_assert(json_object_object_get_ex(o, json_shapes[i].list, &arr), "%s: no %s",
			  what, json_shapes[i].list);
		cr_assert(json_object_is_type(arr, json_type_array), "%s", what);
		cr_assert_gt(json_object_array_length(arr), 0, "%s", what);
		for (size_t k = 0; k < json_object_array_length(arr); k++)
			json_has_keys(json_object_array_get_idx(arr, k), json_shapes[i].keys, what);
		json_object_put(o);
	}
}

/* Setters print the state read back, the same object `get` prints. */
Test(cli, setters_print_the_state_read_back)
{
	struct json_object *o;
	struct run *r = RUN("--json", "clock", "set", "0", "600M");

	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert_eq(json_int(o, "rate"), 600000000);
	json_object_put(o);
	r = RUN("--json", "perf", "set", "0", "800MHz");
	o = parse_json(r->out);
	cr_assert_eq(json_int(o, "level"), 900, "the lowest level at least that fast");
	json_object_put(o);
	r = RUN("--json", "powercap", "set", "0", "--cap", "5W");
	o = parse_json(r->out);
	cr_assert_eq(json_int(o, "power_cap"), 5000, "mW, read back");
	json_object_put(o);
	r = RUN("--json", "voltage", "set", "1", "1.2V");
	o = parse_json(r->out);
	cr_assert_eq(json_int(o, "level_uv"), 1200000);
	json_object_put(o);
	r = RUN("--json", "power", "set", "1", "on");
	o = parse_json(r->out);
	cr_assert_str_eq(json_str(o, "state_name"), "on");
	json_object_put(o);
}

/* Every command in text mode: exit 0, output, no empty value. */
Test(cli, every_subcommand_runs_in_text_mode)
{
	for (size_t i = 0; i < sizeof(json_shapes) / sizeof(json_shapes[0]); i++) {
		const char *const *a = json_shapes[i].args;
		struct run *r = RUN(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);

		cr_assert_eq(r->status, 0, "%s %s: %s", a[0], a[1] ? a[1] : "", r->err);
		cr_assert_gt(r->out_len, 0, "%s", a[0]);
		cr_assert_null(empty_line(r->out), "%s %s: %s in\n%s", a[0], a[1] ? a[1] : "",
			       empty_line(r->out), r->out);
	}
}

/* Lists in text mode share one layout: a header row of capitals, ids in
 * the first column, right-aligned; `get` is "key:" lines of one width. */
Test(cli, one_table_layout_and_one_get_layout)
{
	static const char *const lists[][3] = {
		{"power", "list"}, {"perf", "list"},	{"clock", "list"},    {"sensor", "list"},
		{"reset", "list"}, {"voltage", "list"}, {"powercap", "list"}, {"pinctrl", "list"},
	};
	static const char *const gets[][4] = {
		{"power", "get", "0"},	   {"perf", "get", "0"},     {"clock", "get", "0"},
		{"voltage", "get", "0"},   {"powercap", "get", "0"}, {"sensor", "read", "0"},
		{"pinctrl", "get", "pin"},
	};

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		struct run *r = RUN(lists[i][0], lists[i][1]);

		cr_assert_eq(r->status, 0);
		cr_assert(strstr(r->out, "ID  NAME  ") || strstr(r->out, "ID  NAME "), "%s:\n%s",
			  lists[i][0], r->out);
		cr_assert(has_row(r->out, "0", "", NULL), "%s:\n%s", lists[i][0], r->out);
	}
	for (size_t i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		struct run *r = i == 6 ? RUN("pinctrl", "get", "pin", "0")
				       : RUN(gets[i][0], gets[i][1], gets[i][2]);

		cr_assert_eq(r->status, 0, "%s", r->err);
		cr_assert(strstr(r->out, "id:              0\n"), "%s:\n%s", gets[i][0], r->out);
		cr_assert(strstr(r->out, "\nname:            "), "%s:\n%s", gets[i][0], r->out);
	}
}

/* Global options anywhere: before the command, after it, after its verb,
 * after its arguments; the same document each time. */
Test(cli, global_options_anywhere)
{
	static const char *const forms[][6] = {
		{"--json", "power", "get", "0"},
		{"power", "--json", "get", "0"},
		{"power", "get", "--json", "0"},
		{"power", "get", "0", "--json"},
		{"power", "get", "0", "-j"},
		{"-u", "loopback://", "power", "get", "0", "-j"},
		{"power", "get", "0", "-j", "--uri", "loopback://"},
	};
	struct json_object *first = NULL;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const char *const *a = forms[i];
		struct run *r = RUN(a[0], a[1], a[2], a[3], a[4], a[5]);
		struct json_object *o;

		cr_assert_eq(r->status, 0, "form %zu: %s", i, r->err);
		o = parse_json(r->out);
		if (!first)
			first = o;
		else
			cr_assert(json_object_equal(first, o), "form %zu:\n%s", i, r->out);
		if (o != first)
			json_object_put(o);
	}
	json_object_put(first);
	cr_assert_eq(RUN("info", "--json")->status, 0);
	cr_assert_eq(RUN("stats", "-v", "--json")->status, 0);
	cr_assert_eq(RUN("clock", "get", "0", "--timeout", "2s")->status, 0);
}

/* One parser for numbers with units, for every numeric argument that is a
 * quantity; a bad one names the argument and exits 2. */
Test(cli, units_through_one_parser)
{
	static const struct {
		const char *args[7];
		const char *out;
	} ok[] = {
		{{"clock", "set", "0", "800MHz"}, "rate:            800000000 Hz"},
		{{"clock", "set", "0", "1.2GHz"}, "rate:            1200000000 Hz"},
		{{"clock", "set", "0", "600M"}, "rate:            600000000 Hz"},
		{{"perf", "set", "0", "800MHz"}, "level:           900 (900000000 Hz)"},
		{{"perf", "set", "0", "--freq", "1.1G"}, "level:           1100 (1100000000 Hz)"},
		{{"voltage", "set", "1", "1.2V"}, "level:           1200000 uV"},
		{{"voltage", "set", "1", "1150mV"}, "level:           1150000 uV"},
		{{"powercap", "set", "0", "--cap", "5W"}, "cap:             5000 mW"},
		{{"powercap", "set", "0", "--pai", "20ms"}, "pai:             20000 us"},
		{{"sensor", "trip", "2", "0", "up", "0.9V"}, "value:           0.900000 V"},
		{{"sensor", "trip", "3", "0", "up", "5W"}, "value:           5.000 W"},
		{{"stats", "--listen", "10ms"}, "transport counters"},
	};
	static const struct {
		const char *args[7];
		const char *name;
	} bad[] = {
		{{"clock", "set", "0", "800MV"}, "RATE '800MV'"},
		{{"perf", "set", "0", "1.2V"}, "LEVEL '1.2V'"},
		{{"perf", "limits", "0", "2GHzz", "1"}, "MAX '2GHzz'"},
		{{"voltage", "set", "1", "1.2W"}, "LEVEL '1.2W'"},
		{{"powercap", "set", "0", "--cap", "5V"}, "--cap '5V'"},
		{{"sensor", "trip", "3", "0", "up", "5V"}, "VALUE '5V'"},
		{{"stats", "--listen", "5W"}, "--listen '5W'"},
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *const *a = ok[i].args;
		struct run *r = RUN(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);

		cr_assert_eq(r->status, 0, "%s %s %s: %s", a[0], a[1], a[2], r->err);
		cr_assert(strstr(r->out, ok[i].out), "%s %s %s:\n%s", a[0], a[1], a[2], r->out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *const *a = bad[i].args;
		struct run *r = RUN(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);

		cr_assert_eq(r->status, 2, "%s %s: %d", a[0], a[1], r->status);
		cr_assert(strstr(r->err, bad[i].name), "%s", r->err);
		cr_assert_eq(count_lines(r->err), 1, "%s", r->err);
	}
}

/* scmi stats: transfer counters of this run and per-protocol event
 * counters; monitor --stats ends with them. */
Test(cli, stats_counts_this_run)
{
	struct json_object *o, *t, *arr, *p;
	struct run *r =
		RUN("-u", "loopback://?activity_ms=5", "--json", "stats", "--listen", "300ms");
	bool base = false;

	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "transport", &t));
	cr_assert_gt(json_int(t, "sent"), 0, "discovery was sent");
	cr_assert_eq(json_int(t, "sent"), json_int(t, "responses"));
	cr_assert_gt(json_int(t, "notifications"), 0, "the activity's events");
	cr_assert(json_object_object_get_ex(o, "protocols", &arr));
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		p = json_object_array_get_idx(arr, i);
		if (json_int(p, "id") == 0x10) {
			base = true;
			cr_assert_gt(json_int(p, "received"), 0, "activity raises Base errors");
		}
	}
	cr_assert(base);
	json_object_put(o);

	r = RUN("stats");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, "  sent "), "%s", r->out);
	cr_assert(strstr(r->out, "PROTOCOL"), "%s", r->out);
	cr_assert(has_row(r->out, "perf", "0x13", NULL), "%s", r->out);

	r = RUN("-u", "loopback://?activity_ms=5", "--json", "monitor", "--count", "2", "--stats");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(count_lines(r->out), 3, "two events, then the counters:\n%s", r->out);
	o = parse_json(strrchr(r->out, '\n') ? strstr(r->out, "{\"stats\"") : r->out);
	cr_assert(json_object_object_get_ex(o, "stats", &t));
	cr_assert(json_object_object_get_ex(t, "transport", &t));
	json_object_put(o);
}

/* scmi raw: the status and the response bytes, as the platform gave. */
Test(cli, raw_sends_bytes_and_shows_status_and_response)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct json_object *o;
	char want[16];
	struct run *r = RUN("--json", "raw", "base", "0x1");

	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert_str_eq(json_str(o, "status"), "SUCCESS");
	cr_assert_eq(json_int(o, "length"), 4);
	/* BASE_PROTOCOL_ATTRIBUTES: num_protocols, num_agents (LE). */
	snprintf(want, sizeof(want), "%02x%02x0000", h->version->num_protocols,
		 h->version->num_agents);
	cr_assert_str_eq(json_str(o, "response"), want);
	json_object_put(o);
	scmi_close(h);

	r = RUN("raw", "perf", "0x8", "00 00 00 00"); /* PERFORMANCE_LEVEL_GET, domain 0 */
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, "status:          SUCCESS (0)\nlength:          4 bytes\n"), "%s",
		  r->out);
	/* The platform's refusal: its status, exit 1. */
	r = RUN("--json", "raw", "0x14", "0x3", "63000000"); /* no clock 99 */
	cr_assert_eq(r->status, 1);
	o = parse_json(r->out);
	cr_assert_str_eq(json_str(o, "status"), "NOT_FOUND");
	json_object_put(o);
	cr_assert_eq(RUN("raw", "nope", "1")->status, 2);
	cr_assert_eq(RUN("raw", "base", "1", "0g")->status, 2);
	cr_assert_eq(RUN("raw", "base")->status, 2);
}

/* scmi raw --async: the response and the delayed response apart; --listen:
 * what libscmi dropped (here a delayed response for a synchronous
 * command), one JSON line each. */
Test(cli, raw_async_and_listen)
{
	struct json_object *o, *d;
	const char *line;
	struct run *r = RUN("--json", "-u", "loopback://?test_protocols=0xF0:4", "raw", "0xf0", "4",
			    "e8030000", "6162", "--async");

	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert_eq(json_int(o, "length"), 0);
	cr_assert(json_object_object_get_ex(o, "delayed_response", &d));
	cr_assert_str_eq(json_str(d, "status"), "SUCCESS");
	cr_assert_str_eq(json_str(d, "response"), "6162");
	json_object_put(o);

	/* Every reply comes with a delayed response: those of the commands
	 * scmi_open() sent may come in too. */
	r = RUN("--json", "-u", "loopback://?unexpected_dresp=1", "raw", "--listen", "--timeout",
		"1s", "base", "0x1");
	cr_assert_eq(r->status, 0, "%s", r->err);
	line = strstr(r->out, "\"protocol\":16,\"message\":1,");
	cr_assert(line, "%s", r->out);
	while (line > r->out && line[-1] != '\n')
		line--;
	o = parse_json(line);
	cr_assert_str_eq(json_str(o, "type"), "error");
	cr_assert(!strcmp(json_str(o, "kind"), "unexpected") ||
			  !strcmp(json_str(o, "kind"), "unknown_token"),
		  "%s", line);
	cr_assert_eq(json_int(o, "message_type"), 2);
	cr_assert_eq(json_int(o, "protocol"), 0x10);
	cr_assert_eq(json_int(o, "message"), 1);
	json_object_put(o);
	cr_assert_eq(RUN("raw", "--async", "--poll", "base", "1")->status, 2);
	cr_assert_eq(RUN("raw", "--count", "1", "base", "1")->status, 2);
}

/* The reason libscmi found (scmi_last_error_msg()) is on the failure line,
 * without -v, and once. */
Test(cli, errors_carry_the_library_reason)
{
	const char *msg, *status;
	struct json_object *o;
	struct run *r = RUN("-u", "loopbak://", "info");

	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "cannot open loopbak://: unknown URI scheme 'loopbak://'"), "%s",
		  r->err);
	cr_assert_eq(count_lines(r->err), 1, "not twice:\n%s", r->err);
	r = RUN("perf", "set", "0", "12345");
	cr_assert_eq(r->status, 1);
	cr_assert(strstr(r->err, "perf set: perf: domain 0 level 12345 outside 300..1800 "
				 "(nothing sent)"),
		  "%s", r->err);
	r = RUN("--json", "voltage", "set", "0", "5V");
	cr_assert_eq(r->status, 1);
	o = json_error(r, &msg, &status);
	cr_assert(strstr(msg, "voltage: domain 0 has no level 5000000 uV"), "%s", msg);
	cr_assert_null(status);
	json_object_put(o);
}

/* monitor --help names every event, per protocol. */
Test(cli, monitor_help_lists_the_events)
{
	struct run *r = RUN("monitor", "--help");

	cr_assert_eq(r->status, 0);
	for (size_t i = 0; cli_event_names[i][0]; i++) {
		char line[128];

		snprintf(line, sizeof(line), "\n  %-9s %s", cli_event_names[i][0],
			 cli_event_names[i][1]);
		cr_assert(strstr(r->out, line), "want '%s' in\n%s", line + 1, r->out);
	}
}

/* Every command's help has the same layout. */
Test(cli, every_command_help_has_one_layout)
{
	static const char *const cmds[] = {"info",    "monitor", "power", "system",  "perf",
					   "clock",   "sensor",	 "reset", "voltage", "powercap",
					   "pinctrl", "probe",	 "stats", "raw"};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct run *r = RUN(cmds[i], "--help");
		char usage[64];

		cr_assert_eq(r->status, 0, "%s", cmds[i]);
		snprintf(usage, sizeof(usage), "Usage: scmi [OPTIONS] %s", cmds[i]);
		cr_assert(!strncmp(r->out, usage, strlen(usage)), "%s:\n%s", cmds[i], r->out);
		cr_assert(strstr(r->out, "OPTIONS are the global options"), "%s:\n%s", cmds[i],
			  r->out);
	}
}

ParameterizedTestParameters(cli, every_subcommand_over_a_server_uri)
{
	static int rows[sizeof(cli_transports) / sizeof(cli_transports[0])];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		rows[i] = (int)i;
	return cr_make_param_array(int, rows, sizeof(rows) / sizeof(rows[0]));
}

/*
 * `scmi --uri` over uio:// (both forms) and shmem://, against scmi-sim
 * processes serving the loopback platform: every read-only subcommand
 * prints what it prints over loopback://, the set commands work and read
 * back (perf through its fastchannel, in the shared window), and monitor
 * receives a notification the platform is told to send.
 */
ParameterizedTest(int *row, cli, every_subcommand_over_a_server_uri, .timeout = 120)
{
	const char *const *const same[] = {
		CMD("info"),
		CMD("power", "list"),
		CMD("system", "show"),
		CMD("perf", "list"),
		CMD("clock", "list"),
		CMD("sensor", "list"),
		CMD("reset", "list"),
		CMD("voltage", "list"),
		CMD("powercap", "list"),
		CMD("pinctrl", "list"),
		CMD("perf", "get", "0"),
		CMD("clock", "get", "0"),
		CMD("voltage", "get", "0"),
		CMD("powercap", "get", "0"),
		CMD("power", "get", "0"),
		CMD("clock", "rates", "0"),
		CMD("pinctrl", "get", "pin", "0"),
	};
	struct test_server_opts o = {.transport = cli_transports[*row], .server = "process"};
	struct test_server *s;
	struct json_object *j;
	struct cli_proc mon;
	struct run *r;
	const char *uri, *reply;
	uint64_t end;

	test_server_fastchannels(true);
	s = test_server_start("loopback://", &o);
	uri = test_server_uri(s);
	cr_assert(!strncmp(uri, *row < 2 ? "uio://" : "shmem://", *row < 2 ? 6 : 8), "%s", uri);

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		cli_same(uri, same[i], false);
	/* Readings move with time: the same fields, not the same values. */
	cli_same(uri, CMD("sensor", "read", "0"), true);

	/* Set, then read back. */
	json_object_put(cli_json(uri, CMD("perf", "set", "0", "1800")));
	j = cli_json(uri, CMD("perf", "get", "0"));
	cr_assert_eq(json_int(j, "level"), 1800);
	json_object_put(j);
	reply = test_server_control(s, "perf-stats");
	cr_assert(strstr(reply, "fc_level_sets=1 "), "the level set went by fastchannel: %s",
		  reply);
	json_object_put(cli_json(uri, CMD("clock", "set", "0", "2000000000")));
	j = cli_json(uri, CMD("clock", "get", "0"));
	cr_assert_eq(json_int(j, "rate"), 2000000000);
	json_object_put(j);
	json_object_put(cli_json(uri, CMD("power", "set", "1", "off")));
	j = cli_json(uri, CMD("power", "get", "1"));
	cr_assert_str_eq(json_str(j, "state_name"), "off");
	json_object_put(j);
	json_object_put(cli_json(uri, CMD("voltage", "set", "0", "900000")));
	j = cli_json(uri, CMD("voltage", "get", "0"));
	cr_assert_eq(json_int(j, "level_uv"), 900000);
	json_object_put(j);

	/* monitor: once it listens (the platform says so), a limits change. */
	cli_spawn(CMD("--uri", uri, "--json", "monitor", "--protocol", "perf", "--event",
		      "limits_changed", "--source", "0", "--count", "1", "--timeout", "20s"),
		  &mon);
	end = test_now_ms() + 10000;
	while (strcmp((reply = test_server_control(s, "notify-enabled 0x13 0 0")), "ok 1") &&
	       test_now_ms() < end)
		test_sleep_ms(5);
	cr_assert_str_eq(reply, "ok 1", "monitor enabled the event");
	reply = test_server_control(s, "perf-limits 0 1500 300");
	cr_assert_eq(strncmp(reply, "ok", 2), 0, "%s", reply);
	r = cli_finish(&mon);
	cr_assert_eq(r->status, 0, "monitor: %s", r->err);
	cr_assert_eq(count_lines(r->out), 1, "--count 1:\n%s", r->out);
	j = parse_json(r->out);
	cr_assert_str_eq(json_str(j, "protocol"), "perf");
	json_object_put(j);
	test_server_stop(s);
}

/* ---- scmi probe ----------------------------------------------------------- */

#include "fake_pci_vfu.h"

/* The value of @key in @section of `scmi probe` text output, or NULL. */
static const char *probe_text_value(const char *out, const char *section, const char *key)
{
	static char val[256];
	char head[96];
	const char *p;

	snprintf(head, sizeof(head), "[%s]\n", section);
	for (p = strstr(out, head); p && p != out && p[-1] != '\n'; p = strstr(p + 1, head))
		;
	if (!p)
		return NULL;
	for (p += strlen(head); !strncmp(p, "  ", 2);) {
		const char *end = strchr(p, '\n');
		size_t klen = strlen(key);

		if (!end)
			break;
		if (!strncmp(p + 2, key, klen) && p[2 + klen] == ' ') {
			const char *v = p + 2 + klen;

			while (*v == ' ')
				v++;
			snprintf(val, sizeof(val), "%.*s", (int)(end - v), v);
			return val;
		}
		p = end + 1;
	}
	return NULL;
}

/* The value of @key in @section of `scmi probe --json` output, or NULL. */
static const char *probe_json_value(struct json_object *o, const char *section, const char *key)
{
	struct json_object *sec, *v;

	if (!json_object_object_get_ex(o, section, &sec) ||
	    !json_object_object_get_ex(sec, key, &v))
		return NULL;
	return json_object_get_string(v);
}

/* @words (space-separated) contains @word. */
static bool has_word(const char *words, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = words; p && (p = strstr(p, word)); p += n)
		if ((p == words || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

Test(cli_probe, loopback_text_and_json)
{
	struct json_object *j;
	struct run *r;

	r = RUN("probe", "loopback://");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_str_eq(probe_text_value(r->out, "transport", "scheme"), "loopback");
	cr_assert_not_null(probe_text_value(r->out, "limits", "max_msg"), "%s", r->out);
	cr_assert_null(empty_line(r->out), "%s", empty_line(r->out));
	r = RUN("--json", "probe");
	cr_assert_eq(r->status, 0, "%s", r->err);
	j = parse_json(r->out);
	cr_assert_str_eq(probe_json_value(j, "transport", "scheme"), "loopback");
	cr_assert_str_eq(probe_json_value(j, "loopback", "completion"), "callback");
	cr_assert(has_word(probe_json_value(j, "limits", "caps"), "P2A"));
	json_object_put(j);
	/* No platform behind a bad URI: one line, exit 1. */
	r = RUN("probe", "--uri", "nosuch://");
	cr_assert_eq(r->status, 1);
	cr_assert_eq(r->out_len, 0, "%s", r->out);
	cr_assert(strstr(r->err, "probe nosuch://"), "%s", r->err);
	r = RUN("probe", "a", "b");
	cr_assert_eq(r->status, 2);
}

Test(cli_probe, shmem_areas_doorbell_and_completion, .timeout = 60)
{
	struct test_server_opts o = {.transport = "shmem", .server = "process", .doorbell = 32};
	struct test_server *s = test_server_start("loopback://", &o);
	const char *uri = test_server_uri(s);
	struct json_object *j;
	struct run *r;

	r = RUN("probe", uri);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_str_eq(probe_text_value(r->out, "transport", "scheme"), "shmem");
	cr_assert_str_eq(probe_text_value(r->out, "channel 0", "protocol"), "default");
	cr_assert_str_eq(probe_text_value(r->out, "doorbell", "width"), "32");
	cr_assert_null(empty_line(r->out), "%s", empty_line(r->out));
	r = RUN("--json", "--uri", uri, "probe");
	cr_assert_eq(r->status, 0, "%s", r->err);
	j = parse_json(r->out);
	cr_assert_str_eq(probe_json_value(j, "shmem", "path"), test_server_path(s));
	cr_assert_str_eq(probe_json_value(j, "shmem", "kind"), "file");
	cr_assert_not_null(probe_json_value(j, "channel 0", "a2p"));
	cr_assert_not_null(probe_json_value(j, "channel 0", "p2a"));
	cr_assert_str_eq(probe_json_value(j, "doorbell", "present"), "yes");
	cr_assert_str_eq(probe_json_value(j, "completion", "mode"), "polling");
	cr_assert(has_word(probe_json_value(j, "limits", "caps"), "POLLING"));
	json_object_put(j);
	test_server_stop(s);
}

Test(cli_probe, uio_maps_and_interrupt, .timeout = 60)
{
	struct test_server_opts o = {.transport = "uio", .server = "process"};
	struct test_server *s = test_server_start("loopback://", &o);
	struct json_object *j;
	struct run *r;

	r = RUN("--json", "probe", test_server_uri(s));
	cr_assert_eq(r->status, 0, "%s", r->err);
	j = parse_json(r->out);
	cr_assert_str_eq(probe_json_value(j, "transport", "scheme"), "uio");
	cr_assert(!strncmp(probe_json_value(j, "uio", "name"), "uio", 3), "%s", r->out);
	cr_assert_str_eq(probe_json_value(j, "completion", "mode"), "interrupt");
	cr_assert_str_eq(probe_json_value(j, "channel 0", "protocol"), "default");
	cr_assert_not_null(probe_json_value(j, "uio map0", "size"), "%s", r->out);
	json_object_put(j);
	test_server_stop(s);
}

#if defined(SCMI_TEST_VIRTIO) && defined(SRV_HAVE_VFIO_USER)
Test(cli_probe, virtio_ids_features_and_queues, .timeout = 60)
{
	struct test_server_opts o = {.transport = "virtio", .server = "process"};
	struct test_server *s = test_server_start("loopback://", &o);
	const char *uri = test_server_uri(s), *qs;
	struct json_object *j;
	struct run *r;

	cr_assert(!strncmp(uri, "virtio-vfio-user://", 19), "%s", uri);
	r = RUN("probe", uri);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_str_eq(probe_text_value(r->out, "pci", "vendor"), "0x1af4");
	cr_assert_str_eq(probe_text_value(r->out, "pci", "device"), "0x1060");
	cr_assert(has_word(probe_text_value(r->out, "virtio", "negotiated_features"), "VERSION_1"),
		  "%s", r->out);
	cr_assert_str_eq(probe_text_value(r->out, "region 7", "name"), "config");
	cr_assert_null(empty_line(r->out), "%s", empty_line(r->out));

	r = RUN("--json", "probe", "--uri", uri);
	cr_assert_eq(r->status, 0, "%s", r->err);
	j = parse_json(r->out);
	cr_assert_str_eq(probe_json_value(j, "transport", "scheme"), "virtio-vfio-user");
	cr_assert_str_eq(probe_json_value(j, "pci", "vendor"), "0x1af4");
	cr_assert_str_eq(probe_json_value(j, "pci", "device"), "0x1060");
	cr_assert(has_word(probe_json_value(j, "virtio", "device_features"), "VERSION_1"));
	cr_assert(has_word(probe_json_value(j, "virtio", "negotiated_features"), "VERSION_1"));
	cr_assert(has_word(probe_json_value(j, "virtio", "negotiated_features"), "P2A_CHANNELS"));
	cr_assert_str_eq(probe_json_value(j, "queue 0", "name"), "cmdq");
	qs = probe_json_value(j, "queue 0", "size");
	cr_assert(qs && atoi(qs) >= 2, "cmdq size %s", qs ? qs : "(none)");
	/* Two descriptors a command: max_msg is half the cmdq. */
	cr_assert_eq(atoi(probe_json_value(j, "limits", "max_msg")), atoi(qs) / 2);
	cr_assert_str_eq(probe_json_value(j, "queue 0", "slots"),
			 probe_json_value(j, "limits", "max_msg"));
	cr_assert_not_null(probe_json_value(j, "queue 1", "size"));
	cr_assert_str_eq(probe_json_value(j, "queue 1", "name"), "eventq");
	cr_assert_not_null(probe_json_value(j, "irq MSI-X", "in_use"));
	cr_assert(has_word(probe_json_value(j, "limits", "caps"), "P2A"));
	json_object_put(j);
	/* The platform is still there for the next agent. */
	r = RUN("--uri", uri, "info");
	cr_assert_eq(r->status, 0, "%s", r->err);
	test_server_stop(s);
}

Test(cli_probe, virtio_without_p2a_has_one_queue, .timeout = 60)
{
	static const char *const args[] = {"--no-p2a", NULL};
	struct test_server_opts o = {.transport = "virtio", .server = "process", .args = args};
	struct test_server *s = test_server_start("loopback://", &o);
	struct json_object *j;
	struct run *r;

	r = RUN("--json", "probe", test_server_uri(s));
	cr_assert_eq(r->status, 0, "%s", r->err);
	j = parse_json(r->out);
	cr_assert(has_word(probe_json_value(j, "virtio", "negotiated_features"), "VERSION_1"));
	cr_assert(!has_word(probe_json_value(j, "virtio", "device_features"), "P2A_CHANNELS"));
	cr_assert(!has_word(probe_json_value(j, "virtio", "negotiated_features"), "P2A_CHANNELS"));
	cr_assert_str_eq(probe_json_value(j, "virtio", "num_queues"), "1");
	cr_assert_not_null(probe_json_value(j, "queue 0", "size"));
	cr_assert_null(probe_json_value(j, "queue 1", "size"));
	cr_assert_str_eq(probe_json_value(j, "limits", "caps"), "none");
	json_object_put(j);
	test_server_stop(s);
}
#endif

#ifdef SCMI_TEST_VIRTIO
/* A vfio-user device that is not virtio-scmi: what was found is printed,
 * then the probe fails naming the ids. */
Test(cli_probe, not_virtio_scmi_prints_ids_and_fails, .timeout = 60)
{
	const struct fake_pci_ids ids = {0x8086, 0x10d3, 0x8086, 0xa01f, 0x020000};
	struct fake_pci_vfu *f = fake_pci_vfu_start(&ids);
	struct json_object *j, *err, *msg;
	char uri[200];
	struct run *r;

	snprintf(uri, sizeof(uri), "virtio-vfio-user://%s", fake_pci_vfu_path(f));
	r = RUN("probe", uri);
	cr_assert_eq(r->status, 1, "%s\n%s", r->out, r->err);
	cr_assert_str_eq(probe_text_value(r->out, "pci", "vendor"), "0x8086");
	cr_assert_str_eq(probe_text_value(r->out, "pci", "device"), "0x10d3");
	cr_assert_str_eq(probe_text_value(r->out, "pci", "subsystem_device"), "0xa01f");
	cr_assert_str_eq(probe_text_value(r->out, "pci", "class"), "0x020000");
	cr_assert_str_eq(probe_text_value(r->out, "region 0", "size"), "4096");
	cr_assert_str_eq(probe_text_value(r->out, "irq INTx", "count"), "1");
	cr_assert_null(probe_text_value(r->out, "limits", "max_msg"), "%s", r->out);
	/* The last line says why, naming the ids found and expected. */
	cr_assert(strstr(r->err, "scmi: probe virtio-vfio-user://"), "%s", r->err);
	cr_assert(strstr(r->err, "8086:10d3 is not virtio-scmi (1af4:1060)\n"), "%s", r->err);

	r = RUN("--json", "probe", uri);
	cr_assert_eq(r->status, 1, "%s", r->err);
	j = parse_json(r->out);
	cr_assert_str_eq(probe_json_value(j, "pci", "vendor"), "0x8086");
	cr_assert_str_eq(probe_json_value(j, "pci", "device"), "0x10d3");
	cr_assert(json_object_object_get_ex(j, "error", &err));
	cr_assert(json_object_object_get_ex(err, "message", &msg));
	cr_assert(strstr(json_object_get_string(msg), "8086:10d3"), "%s",
		  json_object_get_string(msg));
	cr_assert(json_object_object_get_ex(err, "errno", &msg));
	cr_assert_eq(json_object_get_int(msg), -ENODEV);
	json_object_put(j);
	fake_pci_vfu_stop(f);
}
#endif

/* --trace: the kernel's trace lines on stderr; stats --json has the
 * Linux debug counters under their lower-case names. */
Test(cli, trace_prints_kernel_style_lines_and_stats_has_linux_counters)
{
	static const char *const keys[] = {"sent_ok",
					   "sent_fail",
					   "sent_fail_polling_unsupported",
					   "sent_fail_channel_not_found",
					   "response_ok",
					   "notification_ok",
					   "delayed_response_ok",
					   "xfers_response_timeout",
					   "xfers_response_polled_timeout",
					   "response_polled_ok",
					   "err_msg_unexpected",
					   "err_msg_invalid",
					   "err_msg_nomem",
					   "err_protocol",
					   "xfers_inflight"};
	struct json_object *o, *d, *t;
	struct run *r = RUN("-u", "loopback://", "--trace", "info");

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(
		strstr(r->err, "scmi_xfer_begin: pt=10 msg_id=00 seq=0000 transfer_id=1 poll=0\n"),
		"%s", r->err);
	cr_assert(strstr(r->err, "scmi_msg_dump: id=0 ch=00 pt=10 t=RESP msg_id=00 seq=0000 s=0 "
				 "pyld="),
		  "%s", r->err);
	cr_assert(strstr(r->err, "scmi_xfer_response_wait: pt=10 msg_id=01"), "%s", r->err);
	cr_assert(strstr(r->err, "scmi_rx_done: pt=10 msg_id=01 seq=0001 transfer_id=2 msg_type=0"),
		  "%s", r->err);
	cr_assert(strstr(r->err, "scmi_xfer_end: pt=10 msg_id=01 seq=0001 transfer_id=2 s=0\n"),
		  "%s", r->err);
	cr_assert_not(strstr(r->out, "scmi_xfer"), "traces go to stderr only");
	r = RUN("-u", "loopback://", "info");
	cr_assert_not(strstr(r->err, "scmi_xfer"), "no trace without --trace");

	r = RUN("-u", "loopback://", "--json", "stats");
	cr_assert_eq(r->status, 0, "%s", r->err);
	o = parse_json(r->out);
	cr_assert(json_object_object_get_ex(o, "debug_counters", &d));
	cr_assert(json_object_object_get_ex(o, "transport", &t));
	cr_assert_eq(json_object_object_length(d), 15);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_assert(json_object_object_get_ex(d, keys[i], NULL), "no key %s", keys[i]);
	cr_assert_eq(json_int(d, "sent_ok"), json_int(t, "sent"));
	cr_assert_gt(json_int(d, "response_ok"), 0);
	cr_assert_eq(json_int(d, "xfers_response_timeout"), 0);
	json_object_put(o);
	r = RUN("-u", "loopback://", "stats");
	cr_assert(strstr(r->out, "  sent_ok "), "%s", r->out);
}

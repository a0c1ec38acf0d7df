// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmid, the embedding daemon example (examples/daemon), run as a separate
 * process (SCMID is its path) against scmi-sim processes serving the
 * loopback platform over shmem://; the suite talks to it through its
 * socket as a client would and to the platform through scmi-sim's control
 * socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

extern char **environ;

#ifndef SCMID_VERSION
#define SCMID_VERSION ""
#endif

struct scmid {
	pid_t pid;
	int status; /* exit status (128 + signal) once waited for */
	char sock[64];
	char out[64], err[64]; /* files holding its stdout, stderr */
};

static void need_scmid(void)
{
#ifndef SCMID
	cr_skip_test("scmid is not built (SCMI_EXAMPLE_DAEMON=OFF)");
#endif
}

/* scmid processes started and not waited for yet: killed at exit, their
 * files removed, so that a failed test leaves nothing behind. */
static struct scmid running[8];

static void kill_running(void)
{
	for (size_t i = 0; i < sizeof(running) / sizeof(running[0]); i++) {
		struct scmid *r = &running[i];

		if (r->pid <= 0)
			continue;
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
		unlink(r->out);
		unlink(r->err);
		if (*r->sock)
			unlink(r->sock);
	}
}

/* Track @d (running) or forget it (@on false). */
static void track(const struct scmid *d, bool on)
{
	static bool registered;

	if (!registered) {
		atexit(kill_running);
		registered = true;
	}
	for (size_t i = 0; i < sizeof(running) / sizeof(running[0]); i++)
		if (running[i].pid == (on ? 0 : d->pid)) {
			running[i] = *d;
			running[i].pid = on ? d->pid : 0;
			return;
		}
}

/* Start scmid with @args (NULL-terminated, after the program name), its
 * output into files. */
static void scmid_spawn(struct scmid *d, const char *const *args)
{
#ifdef SCMID
	static unsigned int seq;
	const char *argv[16] = {SCMID};
	posix_spawn_file_actions_t fa;
	size_t n = 1;

	for (; args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	snprintf(d->out, sizeof(d->out), "/tmp/scmid-test-%d-%u.out", (int)getpid(), seq);
	snprintf(d->err, sizeof(d->err), "/tmp/scmid-test-%d-%u.err", (int)getpid(), seq++);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, d->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, d->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_eq(posix_spawn(&d->pid, SCMID, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	track(d, true);
#else
	(void)d;
	(void)args;
#endif
}

/* A file's text (static buffer). */
static const char *slurp(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* Wait (10 s at most) for scmid to exit; its status, 128 + signal if
 * killed. */
static int scmid_wait(struct scmid *d)
{
	uint64_t end = test_now_ms() + 10000;
	int ws;
	pid_t r;

	while ((r = waitpid(d->pid, &ws, WNOHANG)) == 0 && test_now_ms() < end)
		test_sleep_ms(1);
	if (r != d->pid) {
		kill(d->pid, SIGKILL);
		waitpid(d->pid, &ws, 0);
		track(d, false);
		cr_assert_fail("scmid did not exit in 10 s; stderr:\n%s", slurp(d->err));
	}
	track(d, false);
	d->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return d->status;
}

/* Remove its output files. */
static void scmid_clean(struct scmid *d)
{
	unlink(d->out);
	unlink(d->err);
}

/* Run scmid to its end (it must exit by itself). */
static int scmid_run(struct scmid *d, const char *const *args)
{
	d->sock[0] = '\0'; /* none of its own */
	scmid_spawn(d, args);
	return scmid_wait(d);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static int sock_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool socket_answers(void *arg)
{
	int fd = sock_connect(arg);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Start scmid serving @uri (NULL: from SCMI_URI) on a socket of its own;
 * returns once the socket answers. */
static void scmid_start(struct scmid *d, const char *uri)
{
	static unsigned int seq;

	snprintf(d->sock, sizeof(d->sock), "/tmp/scmid-test-%d-%u.sock", (int)getpid(), seq++);
	unlink(d->sock);
	if (uri)
		scmid_spawn(d, ARGS("--uri", uri, "--socket", d->sock, "-v"));
	else
		scmid_spawn(d, ARGS("--socket", d->sock, "-v"));
	cr_assert(test_wait_until(socket_answers, d->sock, 10000),
		  "scmid does not listen on %s; stderr:\n%s", d->sock, slurp(d->err));
}

/* SIGTERM (or @sig): it must exit 0 and take its socket away. */
static void scmid_stop_sig(struct scmid *d, int sig)
{
	kill(d->pid, sig);
	cr_assert_eq(scmid_wait(d), 0, "exit status %d; stderr:\n%s", d->status, slurp(d->err));
	cr_assert(access(d->sock, F_OK) && errno == ENOENT, "socket %s left behind", d->sock);
	scmid_clean(d);
}

static void scmid_stop(struct scmid *d)
{
	scmid_stop_sig(d, SIGTERM);
}

static void send_all(int fd, const char *text)
{
	size_t len = strlen(text);

	cr_assert_eq(send(fd, text, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Whether @text holds a whole reply: its last line is "ok" or "error ...". */
static bool reply_complete(const char *text, size_t len)
{
	const char *last;

	if (!len || text[len - 1] != '\n')
		return false;
	for (last = text + len - 1; last > text && last[-1] != '\n'; last--)
		;
	return !strcmp(last, "ok\n") || !strncmp(last, "error ", 6);
}

/* Read one reply (10 s at most) into a static buffer. */
static const char *read_reply(int fd)
{
	static char buf[65536];
	uint64_t end = test_now_ms() + 10000;
	size_t len = 0;

	buf[0] = '\0';
	while (!reply_complete(buf, len)) {
		struct pollfd p = {fd, POLLIN, 0};
		int left = (int)(end - test_now_ms());
		ssize_t n;

		cr_assert(test_now_ms() < end && poll(&p, 1, left > 0 ? left : 0) == 1,
			  "no complete reply in 10 s: '%s'", buf);
		/* One byte at a time: never read into the next reply. */
		n = read(fd, buf + len, 1);
		cr_assert_eq(n, 1, "connection closed after '%s'", buf);
		buf[++len] = '\0';
		cr_assert_lt(len, sizeof(buf) - 1);
	}
	return buf;
}

static const char *request(int fd, const char *line)
{
	char text[512];

	snprintf(text, sizeof(text), "%s\n", line);
	send_all(fd, text);
	return read_reply(fd);
}

/* Whether the peer closed the connection (10 s at most), discarding data. */
static bool sees_eof(int fd)
{
	uint64_t end = test_now_ms() + 10000;
	char buf[4096];

	while (test_now_ms() < end) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, 100) != 1)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return true;
	}
	return false;
}

/* Line @i (from 0) of @text, without its newline (static buffer). */
static const char *line_at(const char *text, int i)
{
	static char line[1024];
	const char *end;

	for (; i > 0 && text; i--) {
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	cr_assert(text && *text, "no line %d", i);
	end = strchr(text, '\n');
	snprintf(line, sizeof(line), "%.*s", (int)(end ? end - text : (long)strlen(text)), text);
	return line;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The value of field @key in a data line (unquoted; static buffer), or
 * NULL. */
static const char *field(const char *line, const char *key)
{
	static char val[256];
	size_t klen = strlen(key), n = 0;
	const char *p = line;

	while ((p = strstr(p, key))) {
		if (p > line && p[-1] == ' ' && p[klen] == '=')
			break;
		p += klen;
	}
	if (!p)
		return NULL;
	p += klen + 1;
	if (*p != '"') {
		while (*p && *p != ' ' && n < sizeof(val) - 1)
			val[n++] = *p++;
	} else {
		for (p++; *p && *p != '"' && n < sizeof(val) - 1; p++) {
			if (*p == '\\' && p[1])
				p++;
			val[n++] = *p;
		}
	}
	val[n] = '\0';
	return val;
}

static uint64_t field_u64(const char *line, const char *key)
{
	const char *v = field(line, key);

	cr_assert_not_null(v, "no %s= in '%s'", key, line);
	return strtoull(v, NULL, 0);
}

/* Whether a new connection to @arg is served: pong, not a refusal.  The
 * connection is closed again. */
static bool ping_answered(void *arg)
{
	uint64_t end = test_now_ms() + 2000;
	char buf[64];
	size_t len = 0;
	int fd = sock_connect(arg);

	if (fd < 0)
		return false;
	(void)!send(fd, "ping\n", 5, MSG_NOSIGNAL);
	while (len < sizeof(buf) - 1 && test_now_ms() < end) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, 100) != 1)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "ok\n") || strstr(buf, "error "))
			break;
	}
	buf[len] = '\0';
	close(fd);
	return !strcmp(buf, "pong\nok\n");
}

/* Poll `events` until a line holds every one of @want (NULL-terminated),
 * 10 s at most; that line. */
static const char *await_event(int fd, const char *const *want)
{
	uint64_t end = test_now_ms() + 10000;
	const char *reply;

	do {
		reply = request(fd, "events");
		for (int i = 0; i < count_lines(reply) - 1; i++) {
			const char *line = line_at(reply, i);
			bool all = true;

			for (size_t k = 0; want[k] && all; k++)
				all = strstr(line, want[k]) != NULL;
			if (all)
				return line;
		}
		test_sleep_ms(2); /* polling interval: the deadline bounds the wait */
	} while (test_now_ms() < end);
	cr_assert_fail("no event with %s ... in:\n%s", want[0], reply);
	return NULL;
}

/* The platform says that an event is enabled (10 s at most). */
static void await_enabled(struct test_server *s, const char *what)
{
	uint64_t end = test_now_ms() + 10000;
	char cmd[64];
	const char *reply;

	snprintf(cmd, sizeof(cmd), "notify-enabled %s", what);
	while (strcmp((reply = test_server_control(s, cmd)), "ok 1") && test_now_ms() < end)
		test_sleep_ms(2);
	cr_assert_str_eq(reply, "ok 1", "%s enabled", what);
}

static struct test_server *platform(void)
{
	static const struct test_server_opts o = {.transport = "shmem", .server = "process"};

	return test_server_start("loopback://", &o);
}

/*
 * The whole life of the daemon: it answers ping, lists every sensor and
 * perf domain as the platform has them, shows the platform's notifications
 * in `events`, and on SIGTERM closes its client, disables its
 * notifications at the platform (scmi_close()), removes its socket and
 * exits 0.
 */
Test(daemon, serves_the_platform_and_stops_cleanly, .timeout = 120)
{
	struct scmi_handle *model;
	struct test_server *s;
	struct scmid d;
	const char *reply, *line;
	char buf[64];
	uint64_t seq;
	int fd, n;

	need_scmid();
	s = platform();
	scmid_start(&d, test_server_uri(s));
	fd = sock_connect(d.sock);
	cr_assert_geq(fd, 0);
	cr_assert_str_eq(request(fd, "ping"), "pong\nok\n");

	/* The same platform in process: names, units, domains. */
	model = test_open("loopback://", NULL);

	/* sensors: one line per sensor, in order, as the platform names
	 * them; a reading the platform is told to give comes back exactly. */
	n = model->sensor_ops->count_get(model);
	cr_assert_gt(n, 0);
	reply = request(fd, "sensors");
	cr_assert_eq(count_lines(reply), n + 1, "%s", reply);
	for (int i = 0; i < n; i++) {
		const struct scmi_sensor_info *si;
		const char *unit;

		cr_assert_eq(model->sensor_ops->info_get(model, (uint32_t)i, &si), 0);
		line = line_at(reply, i);
		cr_assert_eq(strncmp(line, "sensor ", 7), 0, "%s", line);
		cr_assert_eq(field_u64(line, "id"), (uint64_t)i, "%s", line);
		cr_assert_str_eq(field(line, "name"), si->name, "%s", line);
		unit = scmi_sensor_unit_name(si->num_axes ? si->axes[0].type : si->type);
		cr_assert_eq(strncmp(field(line, "unit"), unit, strlen(unit)), 0, "%s", line);
		cr_assert_not_null(field(line, "value"), "%s", line);
		cr_assert_null(field(line, "error"), "%s", line);
	}
	cr_assert_str_eq(line_at(reply, n), "ok");
	cr_assert_eq(strncmp(test_server_control(s, "sensor 1 45678"), "ok", 2), 0);
	reply = request(fd, "sensors 1");
	cr_assert_eq(count_lines(reply), 2, "%s", reply);
	{
		const struct scmi_sensor_info *si;

		cr_assert_eq(model->sensor_ops->info_get(model, 1, &si), 0);
		scmi_sensor_format_value(buf, sizeof(buf), 45678, si->scale);
		cr_assert_str_eq(field(line_at(reply, 0), "value"), buf, "%s", reply);
	}

	/* perf: every domain's level and limits as the platform has them
	 * (domain 1 moved by the platform first). */
	await_enabled(s, "0x13 1 1");
	cr_assert_eq(strncmp(test_server_control(s, "perf-level 1 1200"), "ok", 2), 0);
	n = model->perf_ops->count_get(model);
	reply = request(fd, "perf");
	cr_assert_eq(count_lines(reply), n + 1, "%s", reply);
	for (int i = 0; i < n; i++) {
		const struct scmi_perf_domain_info *pi;
		char cmd[32];
		const char *st;

		cr_assert_eq(model->perf_ops->info_get(model, (uint32_t)i, &pi), 0);
		line = line_at(reply, i);
		cr_assert_eq(field_u64(line, "id"), (uint64_t)i, "%s", line);
		cr_assert_str_eq(field(line, "name"), pi->name, "%s", line);
		snprintf(cmd, sizeof(cmd), "perf-state %d", i);
		st = test_server_control(s, cmd);
		snprintf(buf, sizeof(buf), "ok level=%s ", field(line, "level"));
		cr_assert_eq(strncmp(st, buf, strlen(buf)), 0, "%s vs %s", st, line);
		cr_assert_eq(field_u64(st, "max"), field_u64(line, "max"), "%s vs %s", st, line);
		cr_assert_eq(field_u64(st, "min"), field_u64(line, "min"), "%s vs %s", st, line);
	}
	cr_assert_eq(field_u64(line_at(reply, 1), "level"), 1200);
	test_close(model);

	/* events: that level change, then a limits change and a power state
	 * change the platform makes, in order. */
	await_event(fd, ARGS("proto=perf event=level_changed src=1 ", " level=1200 "));
	await_enabled(s, "0x13 0 0");
	cr_assert_eq(strncmp(test_server_control(s, "perf-limits 0 1500 300"), "ok", 2), 0);
	line = await_event(fd, ARGS("proto=perf event=limits_changed src=0 ", " max=1500 min=300"));
	seq = field_u64(line, "seq");
	await_enabled(s, "0x11 0 0");
	cr_assert_eq(strncmp(test_server_control(s, "power 0 0x40000000"), "ok", 2), 0);
	line = await_event(fd, ARGS("proto=power event=state_changed src=0 ", "state=0x40000000"));
	cr_assert_gt(field_u64(line, "seq"), seq, "%s", line);
	reply = request(fd, "events 1");
	cr_assert_eq(count_lines(reply), 2, "%s", reply);
	cr_assert(strstr(reply, "proto=power"), "%s", reply);
	reply = request(fd, "perf 0");
	cr_assert(strstr(reply, " max=1500 min=300\n"), "%s", reply);

	/* SIGTERM: the client is let go, the platform's notifications are
	 * off again, the socket is gone, status 0. */
	scmid_stop(&d);
	cr_assert(sees_eof(fd), "the client was not disconnected");
	close(fd);
	cr_assert_str_eq(test_server_control(s, "notify-enabled 0x13 0 0"), "ok 0");
	cr_assert_str_eq(test_server_control(s, "notify-enabled 0x11 0 0"), "ok 0");
	test_server_stop(s);
}

/*
 * SIGTERM while clients have requests queued and one in flight (the
 * platform holds every response 50 ms, and has held one): all clients are
 * let go, the call in flight ends, and the daemon still closes everything
 * and exits 0.
 */
Test(daemon, sigterm_with_requests_in_flight, .timeout = 120)
{
	struct test_server *s;
	struct scmid d;
	uint64_t end;
	int fds[4];

	need_scmid();
	s = platform();
	scmid_start(&d, test_server_uri(s));
	for (int i = 0; i < 4; i++) {
		fds[i] = sock_connect(d.sock);
		cr_assert_geq(fds[i], 0);
	}
	cr_assert_str_eq(request(fds[0], "ping"), "pong\nok\n");
	cr_assert_str_eq(test_server_control(s, "fault delay_us=50000"), "ok");
	for (int i = 0; i < 4; i++)
		send_all(fds[i], "sensors\nperf\nsensors\nperf\n");
	end = test_now_ms() + 10000;
	while (!field_u64(test_server_control(s, "stats"), "held") && test_now_ms() < end)
		test_sleep_ms(1);
	cr_assert_gt(field_u64(test_server_control(s, "stats"), "held"), 0, "nothing in flight");
	scmid_stop(&d);
	for (int i = 0; i < 4; i++) {
		cr_assert(sees_eof(fds[i]), "client %d was not disconnected", i);
		close(fds[i]);
	}
	cr_assert_str_eq(test_server_control(s, "notify-enabled 0x13 0 0"), "ok 0");
	test_server_stop(s);
}

/*
 * A slow platform never stalls the loop: with 90 ms per reply (the daemon's
 * URI gives the transport a 2 s timeout: a loaded machine adds to the
 * 90 ms), a listing of every sensor takes about a second, and meanwhile
 * other clients are answered at once (the listing's calls are non-blocking
 * requests completing on the daemon's loop), and the listing itself comes
 * out whole.
 */
Test(daemon, slow_platform_does_not_stall_the_loop, .timeout = 120)
{
	struct test_server *s;
	struct scmid d;
	const char *reply;
	char uri[1024];
	uint64_t t0, ms[5];
	int fd;

	need_scmid();
	s = platform();
	snprintf(uri, sizeof(uri), "%s&timeout_ms=2000", test_server_uri(s));
	scmid_start(&d, uri);
	fd = sock_connect(d.sock);
	cr_assert_geq(fd, 0);
	cr_assert_str_eq(test_server_control(s, "fault delay_us=90000"), "ok");
	send_all(fd, "sensors\n");
	for (int i = 0; i < 5; i++) {
		t0 = test_now_ms();
		cr_assert(ping_answered((void *)d.sock), "ping %d", i);
		ms[i] = test_now_ms() - t0;
		for (int j = i; j > 0 && ms[j] < ms[j - 1]; j--) {
			uint64_t t = ms[j];

			ms[j] = ms[j - 1];
			ms[j - 1] = t;
		}
	}
	/* A reply takes 90 ms: pings behind replies would take that long. */
	cr_assert_lt(ms[2], 80, "median ping %llu ms", (unsigned long long)ms[2]);
	reply = read_reply(fd);
	cr_assert_not_null(strstr(reply, "sensor id=0 "), "%s", reply);
	cr_assert_not_null(strstr(reply, "\nok\n"), "%s", reply);
	cr_assert_null(strstr(reply, "error"), "%s", reply);
	close(fd);
	cr_assert_str_eq(test_server_control(s, "fault clear"), "ok");
	scmid_stop(&d);
	test_server_stop(s);
}

/* The request grammar: what is refused and how, pipelining, quit. */
Test(daemon, protocol_grammar, .timeout = 120)
{
	struct test_server *s;
	struct scmid d;
	struct scmi_handle *model;
	char longline[400], cmd[32], want[64];
	const char *reply;
	int fd, ns, np;

	need_scmid();
	s = platform();
	/* The platform from SCMI_URI this time. */
	cr_assert_eq(setenv("SCMI_URI", test_server_uri(s), 1), 0);
	scmid_start(&d, NULL);
	fd = sock_connect(d.sock);
	cr_assert_geq(fd, 0);

	reply = request(fd, "help");
	for (int i = 0; i < count_lines(reply) - 1; i++)
		cr_assert_eq(strncmp(line_at(reply, i), "help ", 5), 0, "%s", reply);
	cr_assert(strstr(reply, "help sensors [ID]") && strstr(reply, "help events [N]"), "%s",
		  reply);
	cr_assert_str_eq(line_at(reply, count_lines(reply) - 1), "ok");
	cr_assert_str_eq(request(fd, "bogus"), "error unknown command 'bogus' (try help)\n");
	cr_assert_str_eq(request(fd, "ping now"), "error too many arguments\n");
	cr_assert_str_eq(request(fd, "sensors 1 2"), "error too many arguments\n");
	model = test_open("loopback://", NULL); /* the same platform */
	ns = model->sensor_ops->count_get(model);
	np = model->perf_ops->count_get(model);
	test_close(model);
	snprintf(cmd, sizeof(cmd), "sensors %d", ns);
	snprintf(want, sizeof(want), "error no sensor '%d' (%d sensors)\n", ns, ns);
	cr_assert_str_eq(request(fd, cmd), want);
	snprintf(want, sizeof(want), "error no domain '-1' (%d domains)\n", np);
	cr_assert_str_eq(request(fd, "perf -1"), want);
	snprintf(want, sizeof(want), "error no domain 'x' (%d domains)\n", np);
	cr_assert_str_eq(request(fd, "perf x"), want);
	cr_assert_str_eq(request(fd, "events 129"), "error bad count '129' (0..128)\n");
	cr_assert_str_eq(request(fd, "events 0"), "ok\n");
	reply = request(fd, "perf 0x1"); /* decimal or 0x hex; never octal */
	cr_assert_eq(strncmp(reply, "perf id=1 ", 10), 0, "%s", reply);
	cr_assert_lt(np, 10);
	snprintf(want, sizeof(want), "error no domain '010' (%d domains)\n", np);
	cr_assert_str_eq(request(fd, "perf 010"), want);
	cr_assert_str_eq(request(fd, "pi\001ng"), "error control character in request\n");

	/* Several requests in one write, CRLF and blank lines: one reply each,
	 * in order, the blocking ones included. */
	send_all(fd, "ping\r\n\n  \nperf 0\nping\n");
	cr_assert_str_eq(read_reply(fd), "pong\nok\n");
	reply = read_reply(fd);
	cr_assert_eq(strncmp(reply, "perf id=0 name=cpu-little level=", 32), 0, "%s", reply);
	cr_assert_str_eq(read_reply(fd), "pong\nok\n");

	/* quit: ok, then the connection ends. */
	send_all(fd, "quit\n");
	cr_assert_str_eq(read_reply(fd), "ok\n");
	cr_assert(sees_eof(fd));
	close(fd);

	/* A line longer than 255 bytes: an error, then the end. */
	fd = sock_connect(d.sock);
	memset(longline, 'x', sizeof(longline) - 2);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\0';
	send_all(fd, longline);
	cr_assert_str_eq(read_reply(fd), "error line too long (at most 255 bytes)\n");
	cr_assert(sees_eof(fd));
	close(fd);

	/* A client that half-closes after its request still gets the reply. */
	fd = sock_connect(d.sock);
	send_all(fd, "sensors 0\n");
	shutdown(fd, SHUT_WR);
	reply = read_reply(fd);
	cr_assert_eq(strncmp(reply, "sensor id=0 ", 12), 0, "%s", reply);
	cr_assert(sees_eof(fd));
	close(fd);

	scmid_stop(&d);
	test_server_stop(s);
}

#if defined(SCMI_TEST_VIRTIO) && defined(SRV_HAVE_VFIO_USER)
/* A transport without a P2A channel (virtio-scmi without its event queue):
 * no notification can arrive; scmid says so and serves the rest. */
Test(daemon, platform_without_notifications, .timeout = 120)
{
	static const char *const args[] = {"--no-p2a", NULL};
	const struct test_server_opts o = {
		.transport = "virtio", .server = "process", .args = args};
	struct test_server *s;
	struct scmid d;
	const char *reply;
	int fd;

	need_scmid();
	s = test_server_start("loopback://", &o);
	scmid_start(&d, test_server_uri(s));
	cr_assert(strstr(slurp(d.err), "scmid: listening to 0 of "), "%s", slurp(d.err));
	cr_assert(strstr(slurp(d.err), "scmid: perf limits_changed: not offered"), "%s",
		  slurp(d.err));
	fd = sock_connect(d.sock);
	cr_assert_geq(fd, 0);
	reply = request(fd, "perf 0");
	cr_assert_eq(strncmp(reply, "perf id=0 name=cpu-little level=", 32), 0, "%s", reply);
	reply = request(fd, "sensors 0");
	cr_assert_eq(strncmp(reply, "sensor id=0 ", 12), 0, "%s", reply);
	cr_assert_str_eq(request(fd, "events"), "ok\n");
	scmid_stop(&d);
	close(fd);
	test_server_stop(s);
}
#endif

/* At most 16 clients at once; the next one is told why it is let go. */
Test(daemon, too_many_clients, .timeout = 120)
{
	struct test_server *s;
	struct scmid d;
	int fds[17];

	need_scmid();
	s = platform();
	scmid_start(&d, test_server_uri(s));
	for (int i = 0; i < 16; i++) {
		fds[i] = sock_connect(d.sock);
		cr_assert_geq(fds[i], 0);
		cr_assert_str_eq(request(fds[i], "ping"), "pong\nok\n");
	}
	fds[16] = sock_connect(d.sock);
	cr_assert_geq(fds[16], 0);
	cr_assert_str_eq(read_reply(fds[16]), "error too many clients\n");
	cr_assert(sees_eof(fds[16]));
	close(fds[16]);
	/* Once one left, a new one is served (as soon as the daemon has seen
	 * the first leave). */
	close(fds[0]);
	cr_assert(test_wait_until(ping_answered, d.sock, 10000), "no room for a new client");
	/* SIGINT ends it as SIGTERM does, clients connected. */
	scmid_stop_sig(&d, SIGINT);
	for (int i = 1; i < 16; i++) {
		cr_assert(sees_eof(fds[i]), "client %d was not disconnected", i);
		close(fds[i]);
	}
	test_server_stop(s);
}

/* A socket file nobody listens on (a daemon that died) is replaced; one a
 * live daemon serves is not, nor a file that is no socket. */
Test(daemon, stale_socket_replaced_live_one_kept, .timeout = 120)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct test_server *s;
	struct scmid d, second;
	int fd;

	need_scmid();
	s = platform();
	snprintf(d.sock, sizeof(d.sock), "/tmp/scmid-test-%d-stale.sock", (int)getpid());
	unlink(d.sock);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", d.sock);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd); /* the file stays, nobody listens */
	scmid_spawn(&d, ARGS("--uri", test_server_uri(s), "--socket", d.sock));
	cr_assert(test_wait_until(socket_answers, d.sock, 10000), "stderr:\n%s", slurp(d.err));

	cr_assert_eq(scmid_run(&second, ARGS("--uri", test_server_uri(s), "--socket", d.sock)), 1);
	cr_assert(strstr(slurp(second.err), "cannot listen on"), "%s", slurp(second.err));
	scmid_clean(&second);
	cr_assert(socket_answers(d.sock), "the first daemon's socket is intact");
	scmid_stop(&d);

	/* A file that is no socket is never removed. */
	fd = open(d.sock, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(scmid_run(&second, ARGS("--uri", test_server_uri(s), "--socket", d.sock)), 1);
	cr_assert(strstr(slurp(second.err), "cannot listen on"), "%s", slurp(second.err));
	scmid_clean(&second);
	cr_assert_eq(access(d.sock, F_OK), 0, "the file was removed");
	unlink(d.sock);
	test_server_stop(s);
}

/* No platform, or one that cannot be opened: a clear message, no socket,
 * a non-zero status. */
Test(daemon, bad_platform_exits_nonzero)
{
	struct scmid d;
	const char *err;
	char sock[64];

	need_scmid();
	snprintf(sock, sizeof(sock), "/tmp/scmid-test-%d-bad.sock", (int)getpid());
	cr_assert_eq(scmid_run(&d, ARGS("--uri", "nope://", "--socket", sock)), 1);
	err = slurp(d.err);
	cr_assert(strstr(err, "scmid: cannot open platform nope://: "), "%s", err);
	cr_assert(access(sock, F_OK) && errno == ENOENT, "a socket was made");
	scmid_clean(&d);

	cr_assert_eq(unsetenv("SCMI_URI"), 0);
	cr_assert_eq(scmid_run(&d, ARGS("--socket", sock)), 2);
	err = slurp(d.err);
	cr_assert(strstr(err, "no platform: give --uri URI or set SCMI_URI"), "%s", err);
	scmid_clean(&d);
}

/* --help and --version on stdout, status 0; usage errors: status 2. */
Test(daemon, command_line)
{
	struct scmid d;

	need_scmid();
	cr_assert_eq(scmid_run(&d, ARGS("--help")), 0);
	cr_assert(strstr(slurp(d.out), "Usage: scmid [--uri URI] [--socket PATH]"), "%s",
		  slurp(d.out));
	scmid_clean(&d);
	cr_assert_eq(scmid_run(&d, ARGS("--version")), 0);
	cr_assert_str_eq(slurp(d.out), "scmid " SCMID_VERSION "\n");
	scmid_clean(&d);
	cr_assert_eq(scmid_run(&d, ARGS("--bogus")), 2);
	cr_assert(strstr(slurp(d.err), "Usage: scmid"), "%s", slurp(d.err));
	scmid_clean(&d);
	cr_assert_eq(scmid_run(&d, ARGS("--uri", "x", "extra")), 2);
	cr_assert(strstr(slurp(d.err), "unexpected argument 'extra'"), "%s", slurp(d.err));
	scmid_clean(&d);
}

// SPDX-License-Identifier: BSD-3-Clause
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "../sim/sim-internal.h"

/* The real one: helpers.h redirects the suites' calls to test_close(). */
#undef scmi_close

void test_log_init(struct test_log *lg)
{
	memset(lg, 0, sizeof(*lg));
	pthread_mutex_init(&lg->lock, NULL);
}

void test_log_fn(void *priv, enum scmi_log_level level, const char *msg)
{
	struct test_log *lg = priv;
	int n;

	(void)level;
	pthread_mutex_lock(&lg->lock);
	n = snprintf(lg->text + lg->len, sizeof(lg->text) - lg->len, "%s\n", msg);
	if (n > 0 && lg->len + (size_t)n < sizeof(lg->text))
		lg->len += (size_t)n;
	pthread_mutex_unlock(&lg->lock);
}

bool test_log_contains(struct test_log *lg, const char *needle)
{
	bool found;

	pthread_mutex_lock(&lg->lock);
	found = strstr(lg->text, needle) != NULL;
	pthread_mutex_unlock(&lg->lock);
	return found;
}

struct scmi_config test_config(struct test_log *lg)
{
	struct scmi_config cfg = {0};

	if (lg) {
		cfg.log_fn = test_log_fn;
		cfg.log_priv = lg;
		cfg.log_level = SCMI_LOG_DEBUG;
	} else {
		cfg.log_level = SCMI_LOG_SILENT;
	}
	return cfg;
}

/* ---- the transport under the suites ------------------------------------ */

#define TEST_LOOPBACK_TIMEOUT_MS 1000 /* loopback://'s default timeout */
#define TEST_SHMEM_OVERHEAD	 32   /* area bytes before the payload */
#define TEST_MAX_SERVERS	 64   /* scmi-sim processes alive at once */

const char *test_transport(void)
{
	const char *t = getenv("SCMI_TEST_TRANSPORT");

	return t && *t ? t : "loopback";
}

bool test_on_loopback(void)
{
	return !strcmp(test_transport(), "loopback");
}

void test_need_sim_at(const char *file, int line)
{
	const char *base = strrchr(file, '/');

	if (!test_on_loopback())
		cr_skip_test("%s:%d needs the in-process simulator (SCMI_TEST_TRANSPORT=%s)",
			     base ? base + 1 : file, line, test_transport());
}

struct scmi_sim *test_sim_at(const struct scmi_handle *h, const char *file, int line)
{
	struct scmi_sim *sim;

	test_need_sim_at(file, line);
	sim = scmi_loopback_sim(h);
	cr_assert_not_null(sim, "no simulator behind a loopback handle");
	return sim;
}

/* An scmi-sim process serving one handle. */
struct test_server {
	const struct scmi_handle *h;
	pid_t pid;
	struct scmi_handle *model; /* test_model(): a loopback replica */
	char uri[1024];		   /* the loopback:// URI served */
	char path[128];		   /* its shared file */
	char ctl[108];		   /* its control socket */
};

static struct test_server test_servers[TEST_MAX_SERVERS];
static bool test_no_fastchannels;

void test_server_fastchannels(bool on)
{
	test_no_fastchannels = !on;
}

static const char *test_sim_bin(void)
{
	const char *bin = getenv("SCMI_SIM_BIN");

	if (bin && *bin)
		return bin;
#ifdef SCMI_SIM_BIN
	return SCMI_SIM_BIN;
#else
	return NULL;
#endif
}

/* Stop @s (SIGTERM: it removes its file and socket) and reap it. */
static void test_server_stop(struct test_server *s)
{
	uint64_t end = test_now_ms() + 5000;
	pid_t r;

	if (!s->pid)
		return;
	if (s->model)
		scmi_close(s->model);
	kill(s->pid, SIGTERM);
	while ((r = waitpid(s->pid, NULL, WNOHANG)) == 0 && test_now_ms() < end)
		test_sleep_ms(1);
	if (r == 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	/* Whatever it could not remove. */
	unlink(s->path);
	unlink(s->ctl);
	memset(s, 0, sizeof(*s));
}

static void test_servers_stop_all(void)
{
	for (size_t i = 0; i < TEST_MAX_SERVERS; i++)
		test_server_stop(&test_servers[i]);
}

static struct test_server *test_server_of(const struct scmi_handle *h)
{
	for (size_t i = 0; h && i < TEST_MAX_SERVERS; i++)
		if (test_servers[i].pid && test_servers[i].h == h)
			return &test_servers[i];
	return NULL;
}

void test_close(struct scmi_handle *h)
{
	struct test_server *s = test_server_of(h);

	scmi_close(h);
	if (s)
		test_server_stop(s);
}

/* An scmi-sim command line; the strings in @store. */
struct test_args {
	const char *argv[80];
	int argc;
	char store[2048];
	size_t used;
};

/* One argument "--@opt=@v" (@opt may hold "=" already, e.g. "fault=KNOB"). */
static void test_arg(struct test_args *a, const char *opt, const char *v)
{
	char *dst = a->store + a->used;
	int n = snprintf(dst, sizeof(a->store) - a->used, "--%s=%s", opt, v);

	cr_assert(n > 0 && a->used + (size_t)n < sizeof(a->store) &&
			  a->argc < (int)(sizeof(a->argv) / sizeof(a->argv[0])) - 1,
		  "URI too long for scmi-sim's command line");
	a->argv[a->argc++] = dst;
	a->used += (size_t)n + 1;
}

/* scmi-sim's options for a loopback:// URI's parameters into @a; the
 * timeout the URI asks for in *timeout_ms (0: none). */
static void test_translate(const char *uri, struct test_args *a, unsigned int *timeout_ms)
{
	static const char *const own[] = {"profile",	    "versions",	   "max_list_items",
					  "test_protocols", "activity_ms", NULL};
	const char *q = strchr(uri, '?');
	char copy[1024], *save = NULL;
	bool sized = false;

	*timeout_ms = 0;
	cr_assert(q || !strcmp(uri, "loopback://"), "loopback URI '%s' has a path", uri);
	snprintf(copy, sizeof(copy), "%s", q ? q + 1 : "");
	for (char *it = strtok_r(copy, "&", &save); it; it = strtok_r(NULL, "&", &save)) {
		char *v = strchr(it, '=');
		bool known = false;

		cr_assert_not_null(v, "URI parameter '%s' without a value", it);
		*v++ = '\0';
		for (size_t i = 0; own[i]; i++)
			known |= !strcmp(it, own[i]);
		if (known) {
			test_arg(a, it, v);
		} else if (!strcmp(it, "max_msg_size")) {
			/* The areas' payload is their size less 32 bytes. */
			unsigned long n = strtoul(v, NULL, 0);
			char size[16];

			if (n % 4)
				cr_skip_test("max_msg_size=%lu: shmem areas are a multiple of 4 "
					     "bytes",
					     n);
			snprintf(size, sizeof(size), "%lu", n + TEST_SHMEM_OVERHEAD);
			test_arg(a, "size", size);
			sized = true;
		} else if (!strcmp(it, "timeout_ms")) {
			*timeout_ms = (unsigned int)strtoul(v, NULL, 0);
		} else if (!strcmp(it, "polling") || !strcmp(it, "max_msg")) {
			/* shmem:// always polls and has one command in flight
			 * per channel: nothing to ask for. */
		} else {
			/* A fault knob; scmi-sim refuses anything else. */
			char knob[128];

			snprintf(knob, sizeof(knob), "fault=%s", it);
			test_arg(a, knob, v);
		}
	}
	/* loopback://'s default payload: 128 bytes. */
	if (!sized)
		test_arg(a, "size", "160");
	/* loopback:// offers fastchannels (statistics areas...): so does
	 * scmi-sim with its platform memory window in the file. */
	if (!test_no_fastchannels)
		a->argv[a->argc++] = "--fastchannels";
}

/* Start scmi-sim for @uri; its shmem:// URI into @out. */
static struct test_server *test_server_start(const char *uri, char *out, size_t size,
					     unsigned int *timeout_ms)
{
	static unsigned int seq;
	static bool registered;
	const char *bin = test_sim_bin();
	struct test_server *s = NULL;
	struct test_args a = {0};
	size_t len = 0;
	int pipefd[2];
	pid_t parent;

	if (!bin)
		cr_skip_test("SCMI_TEST_TRANSPORT=shmem needs scmi-sim (not built)");
	for (size_t i = 0; i < TEST_MAX_SERVERS && !s; i++)
		if (!test_servers[i].pid)
			s = &test_servers[i];
	cr_assert_not_null(s, "more than %d scmi-sim processes at once", TEST_MAX_SERVERS);
	if (!registered) {
		atexit(test_servers_stop_all);
		registered = true;
	}
	snprintf(s->path, sizeof(s->path), "/tmp/scmi-test-%d-%u.shm", (int)getpid(), seq);
	snprintf(s->ctl, sizeof(s->ctl), "/tmp/scmi-test-%d-%u.ctl", (int)getpid(), seq++);
	a.argv[a.argc++] = bin;
	a.argv[a.argc++] = "--shmem";
	a.argv[a.argc++] = s->path;
	a.argv[a.argc++] = "--control";
	a.argv[a.argc++] = s->ctl;
	test_translate(uri, &a, timeout_ms);
	a.argv[a.argc] = NULL;

	cr_assert_eq(pipe(pipefd), 0);
	parent = getpid();
	s->pid = fork();
	cr_assert_geq(s->pid, 0, "fork: %s", strerror(errno));
	if (!s->pid) {
		/* Gone with the test, whatever way it ends. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127); /* the test died before prctl() */
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(bin, (char *const *)a.argv);
		_exit(127);
	}
	close(pipefd[1]);
	/* The first line of its output is the URI; EOF means it gave up. */
	while (len + 1 < size && !memchr(out, '\n', len)) {
		struct pollfd p = {pipefd[0], POLLIN, 0};
		ssize_t r;

		if (poll(&p, 1, 10000) != 1)
			break;
		r = read(pipefd[0], out + len, size - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(pipefd[0]);
	out[len] = '\0';
	if (!memchr(out, '\n', len)) {
		int ws = 0;

		kill(s->pid, SIGTERM);
		waitpid(s->pid, &ws, 0);
		s->pid = 0;
		cr_assert_fail("scmi-sim for '%s' printed no URI (exit status %d)", uri,
			       WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
	}
	out[strcspn(out, "\n")] = '\0';
	return s;
}

struct scmi_handle *test_open(const char *uri, const struct scmi_config *cfg)
{
	struct scmi_config quiet = test_config(NULL), c = cfg ? *cfg : quiet;
	struct test_server *s = NULL;
	struct scmi_handle *h = NULL;
	char shm_uri[1024];
	const char *target = uri;
	unsigned int timeout_ms = 0;
	int ret;

	if (!test_on_loopback() && (!uri || !strncmp(uri, "loopback://", 11))) {
		if (strcmp(test_transport(), "shmem"))
			cr_assert_fail("SCMI_TEST_TRANSPORT=%s: want loopback or shmem",
				       test_transport());
		s = test_server_start(uri ? uri : "loopback://", shm_uri, sizeof(shm_uri),
				      &timeout_ms);
		target = shm_uri;
		/* The suites expect loopback://'s timeouts. */
		if (!c.timeout_ms)
			c.timeout_ms = timeout_ms ? timeout_ms : TEST_LOOPBACK_TIMEOUT_MS;
	}
	ret = scmi_open(target, &c, &h);
	if (ret && s)
		test_server_stop(s);
	cr_assert_eq(ret, 0, "scmi_open(%s): %s", target ? target : "NULL", scmi_strerror(ret));
	cr_assert_not_null(h);
	if (s) {
		s->h = h;
		snprintf(s->uri, sizeof(s->uri), "%s", uri ? uri : "loopback://");
	}
	return h;
}

struct scmi_sim *test_model(const struct scmi_handle *h)
{
	static const char *const keep[] = {"profile",	     "versions",     "max_list_items",
					   "test_protocols", "max_msg_size", NULL};
	struct scmi_config quiet = test_config(NULL);
	struct test_server *s;
	char uri[1024] = "loopback://", copy[1024], *save = NULL;
	const char *q;

	if (test_on_loopback())
		return test_sim(h);
	s = test_server_of(h);
	if (!s)
		cr_skip_test("no platform model for this handle");
	if (s->model)
		return scmi_loopback_sim(s->model);
	/* The same platform, without the fault knobs and the activity. */
	q = strchr(s->uri, '?');
	snprintf(copy, sizeof(copy), "%s", q ? q + 1 : "");
	for (char *it = strtok_r(copy, "&", &save); it; it = strtok_r(NULL, "&", &save)) {
		size_t klen = strcspn(it, "=");

		for (size_t i = 0; keep[i]; i++) {
			if (strlen(keep[i]) == klen && !strncmp(it, keep[i], klen)) {
				size_t n = strlen(uri);

				snprintf(uri + n, sizeof(uri) - n, "%s%s",
					 strchr(uri, '?') ? "&" : "?", it);
			}
		}
	}
	cr_assert_eq(scmi_open(uri, &quiet, &s->model), 0, "model %s", uri);
	return scmi_loopback_sim(s->model);
}

uint64_t test_stat(const struct scmi_handle *h, const char *name)
{
	struct scmi_sim_stats st;
	char key[64];
	const char *r, *v;

	if (test_on_loopback()) {
		scmi_sim_stats_get(test_sim(h), &st);
		if (!strcmp(name, "requests"))
			return st.requests;
		if (!strcmp(name, "notifications"))
			return st.notifications;
		if (!strcmp(name, "responses"))
			return st.responses;
		if (!strcmp(name, "delayed_responses"))
			return st.delayed_responses;
		if (!strcmp(name, "malformed"))
			return st.malformed;
		if (!strcmp(name, "faults"))
			return st.faults_applied;
		cr_assert_fail("no simulator counter '%s'", name);
	}
	snprintf(key, sizeof(key), " %s=", name);
	r = test_control(h, "stats");
	v = strstr(r, key);
	cr_assert(!strncmp(r, "ok", 2) && v, "stats: no %s in '%s'", name, r);
	return strtoull(v + strlen(key), NULL, 10);
}

uint64_t test_requests(const struct scmi_handle *h)
{
	return test_stat(h, "requests");
}

const char *test_control_at(const char *path, const char *cmd)
{
	static char reply[2048];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len = 0;
	int fd;

	cr_assert_lt(strlen(path), sizeof(sa.sun_path), "control socket path %s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "connect %s", path);
	cr_assert_eq(write(fd, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	cr_assert_eq(write(fd, "\n", 1), 1);
	while (!memchr(reply, '\n', len)) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t r;

		cr_assert_eq(poll(&p, 1, 5000), 1, "no reply to '%s'", cmd);
		r = read(fd, reply + len, sizeof(reply) - 1 - len);
		cr_assert_gt(r, 0, "scmi-sim closed the control socket on '%s'", cmd);
		len += (size_t)r;
	}
	close(fd);
	reply[len] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	return reply;
}

const char *test_control(const struct scmi_handle *h, const char *cmd)
{
	struct test_server *s = test_server_of(h);

	if (!s)
		cr_skip_test("needs an scmi-sim control socket (SCMI_TEST_TRANSPORT=shmem)");
	return test_control_at(s->ctl, cmd);
}

bool test_wait_until(bool (*cond)(void *arg), void *arg, unsigned int ms)
{
	uint64_t end = test_now_ms() + ms;

	do {
		if (cond(arg))
			return true;
		test_sleep_ms(1);
	} while (test_now_ms() < end);
	return cond(arg);
}

void test_model_swap(struct scmi_sim *sim, const struct sim_proto_ops *ops, uint32_t version)
{
	sim_model_unregister(sim, ops->id);
	cr_assert_eq(sim_model_register(sim, ops, version), 0, "model %s", ops->name);
}

struct scmi_handle *test_open_model(const char *uri, struct test_log *lg,
				    const struct sim_proto_ops *ops, uint32_t version)
{
	struct scmi_config cfg;
	struct scmi_handle *h;

	test_need_sim();
	if (lg)
		test_log_init(lg);
	cfg = test_config(lg);
	h = test_open(uri, &cfg);
	test_model_swap(test_sim(h), ops, version);
	return h;
}

/* ---- the platform acts, on any transport -------------------------------- */

/* A control command's outcome: N of "ok sent=N" / "ok N", 0 for "ok", a
 * negative errno for "error <strerror>". */
static int test_control_ret(const struct scmi_handle *h, const char *cmd)
{
	const char *r = test_control(h, cmd), *n;

	if (!strncmp(r, "error ", 6)) {
		for (int e = 1; e < 134; e++)
			if (!strcmp(r + 6, strerror(e)))
				return -e;
		cr_assert_fail("%s: %s", cmd, r);
	}
	cr_assert(!strncmp(r, "ok", 2), "%s: %s", cmd, r);
	n = strchr(r, '=');
	n = n ? n + 1 : r + 2;
	return atoi(n);
}

int test_notify_enabled(const struct scmi_handle *h, uint8_t proto, uint8_t evt, uint32_t src)
{
	char cmd[96];

	if (test_on_loopback())
		return scmi_sim_notify_enabled(test_sim(h), proto, evt, src);
	snprintf(cmd, sizeof(cmd), "notify-enabled %u %u %u", proto, evt, src);
	return test_control_ret(h, cmd);
}

int test_clock_rate_change(const struct scmi_handle *h, uint32_t id, uint64_t rate)
{
	char cmd[96];

	if (test_on_loopback())
		return scmi_sim_clock_rate_change(test_sim(h), id, rate);
	snprintf(cmd, sizeof(cmd), "clock-rate %u %llu", id, (unsigned long long)rate);
	return test_control_ret(h, cmd);
}

int test_perf_limits_set(const struct scmi_handle *h, uint32_t dom, uint32_t max, uint32_t min)
{
	char cmd[96];

	if (test_on_loopback())
		return scmi_sim_perf_limits_set(test_sim(h), dom, max, min);
	snprintf(cmd, sizeof(cmd), "perf-limits %u %u %u", dom, max, min);
	return test_control_ret(h, cmd);
}

int test_perf_level_set(const struct scmi_handle *h, uint32_t dom, uint32_t level)
{
	char cmd[96];

	if (test_on_loopback())
		return scmi_sim_perf_level_set(test_sim(h), dom, level);
	snprintf(cmd, sizeof(cmd), "perf-level %u %u", dom, level);
	return test_control_ret(h, cmd);
}

int test_power_state_change(const struct scmi_handle *h, uint32_t dom, uint32_t state,
			    uint32_t agent)
{
	char cmd[96];

	if (test_on_loopback() || agent)
		return scmi_sim_power_state_change(test_sim(h), dom, state, agent);
	snprintf(cmd, sizeof(cmd), "power %u %u", dom, state);
	return test_control_ret(h, cmd);
}

int test_reset_issue(const struct scmi_handle *h, uint32_t dom, uint32_t agent, uint32_t state)
{
	char cmd[96];

	if (test_on_loopback() || state)
		return scmi_sim_reset_issue(test_sim(h), dom, agent, state);
	snprintf(cmd, sizeof(cmd), "reset %u %u", dom, agent);
	return test_control_ret(h, cmd);
}

int test_powercap_power_set(const struct scmi_handle *h, uint32_t dom, uint32_t mw)
{
	char cmd[96];

	if (test_on_loopback())
		return scmi_sim_powercap_power_set(test_sim(h), dom, mw);
	snprintf(cmd, sizeof(cmd), "powercap-power %u %u", dom, mw);
	return test_control_ret(h, cmd);
}

/* The unsigned number after " @key=" in @reply. */
static uint64_t test_field(const char *reply, const char *key)
{
	char k[32];
	const char *v;

	snprintf(k, sizeof(k), " %s=", key);
	v = strstr(reply, k);
	cr_assert_not_null(v, "no %s in '%s'", key, reply);
	return strtoull(v + strlen(k), NULL, 10);
}

int test_perf_domain(const struct scmi_handle *h, uint32_t dom, struct scmi_sim_perf_domain *out)
{
	char cmd[64];
	const char *r;
	int ret;

	if (test_on_loopback())
		return scmi_sim_perf_domain_get(test_sim(h), dom, out);
	ret = scmi_sim_perf_domain_get(test_model(h), dom, out);
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), "perf-state %u", dom);
	r = test_control(h, cmd);
	cr_assert(!strncmp(r, "ok ", 3), "%s: %s", cmd, r);
	out->level = (uint32_t)test_field(r, "level");
	out->range_max = (uint32_t)test_field(r, "max");
	out->range_min = (uint32_t)test_field(r, "min");
	return 0;
}

int test_clock_info(const struct scmi_handle *h, uint32_t id, struct scmi_sim_clock_info *out)
{
	char cmd[64];
	const char *r;
	int ret;

	if (test_on_loopback())
		return scmi_sim_clock_info_get(test_sim(h), id, out);
	ret = scmi_sim_clock_info_get(test_model(h), id, out);
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), "clock-state %u", id);
	r = test_control(h, cmd);
	cr_assert(!strncmp(r, "ok ", 3), "%s: %s", cmd, r);
	out->rate = test_field(r, "rate");
	out->enabled = test_field(r, "enabled") != 0;
	out->duty_cycle = (uint32_t)test_field(r, "duty");
	out->phase = (uint32_t)test_field(r, "phase");
	out->parent = (uint32_t)test_field(r, "parent");
	return 0;
}

/* The control command @what for @dom, asserted to succeed: its reply. */
static const char *test_state(const struct scmi_handle *h, const char *what, uint32_t dom)
{
	char cmd[64];
	const char *r;

	snprintf(cmd, sizeof(cmd), "%s %u", what, dom);
	r = test_control(h, cmd);
	cr_assert(!strncmp(r, "ok ", 3), "%s: %s", cmd, r);
	return r;
}

int test_reset_domain(const struct scmi_handle *h, uint32_t dom, struct scmi_sim_reset_domain *out)
{
	const char *r;
	int ret;

	if (test_on_loopback())
		return scmi_sim_reset_domain_get(test_sim(h), dom, out);
	ret = scmi_sim_reset_domain_get(test_model(h), dom, out);
	if (ret)
		return ret;
	r = test_state(h, "reset-state", dom);
	out->asserted = test_field(r, "asserted") != 0;
	out->asserted_state = (uint32_t)test_field(r, "asserted_state");
	out->resets = (uint32_t)test_field(r, "resets");
	out->deasserts = (uint32_t)test_field(r, "deasserts");
	out->async_resets = (uint32_t)test_field(r, "async_resets");
	out->last_state = (uint32_t)test_field(r, "last_state");
	out->last_agent = (uint32_t)test_field(r, "last_agent");
	return 0;
}

int test_voltage_domain(const struct scmi_handle *h, uint32_t dom,
			struct scmi_sim_voltage_domain *out)
{
	const char *r, *lv;
	int ret;

	if (test_on_loopback())
		return scmi_sim_voltage_domain_get(test_sim(h), dom, out);
	ret = scmi_sim_voltage_domain_get(test_model(h), dom, out);
	if (ret)
		return ret;
	r = test_state(h, "voltage-state", dom);
	lv = strstr(r, " level=");
	cr_assert_not_null(lv, "%s", r);
	out->config = (uint32_t)test_field(r, "config");
	out->level_uv = (int32_t)strtol(lv + 7, NULL, 10); /* signed */
	out->level_sets = (uint32_t)test_field(r, "level_sets");
	out->async_level_sets = (uint32_t)test_field(r, "async_level_sets");
	out->config_sets = (uint32_t)test_field(r, "config_sets");
	out->last_agent = (uint32_t)test_field(r, "last_agent");
	return 0;
}

int test_powercap_domain(const struct scmi_handle *h, uint32_t dom,
			 struct scmi_sim_powercap_domain *out)
{
	const char *r;
	int ret;

	if (test_on_loopback())
		return scmi_sim_powercap_domain_get(test_sim(h), dom, out);
	ret = scmi_sim_powercap_domain_get(test_model(h), dom, out);
	if (ret)
		return ret;
	r = test_state(h, "powercap-state", dom);
	out->cap = (uint32_t)test_field(r, "cap");
	out->pai = (uint32_t)test_field(r, "pai");
	out->power = (uint32_t)test_field(r, "power");
	out->thresh_low = (uint32_t)test_field(r, "thresh_low");
	out->thresh_high = (uint32_t)test_field(r, "thresh_high");
	out->fc_cap_sets = test_field(r, "fc_cap_sets");
	out->fc_pai_sets = test_field(r, "fc_pai_sets");
	out->fc_rejected = test_field(r, "fc_rejected");
	out->msg_cap_sets = test_field(r, "msg_cap_sets");
	out->async_cap_sets = test_field(r, "async_cap_sets");
	out->ignored_dresps = test_field(r, "ignored_dresps");
	return 0;
}

int test_power_domain(const struct scmi_handle *h, uint32_t dom, struct scmi_sim_power_domain *out)
{
	const char *r;
	int ret;

	if (test_on_loopback())
		return scmi_sim_power_domain_get(test_sim(h), dom, out);
	ret = scmi_sim_power_domain_get(test_model(h), dom, out);
	if (ret)
		return ret;
	r = test_state(h, "power-state", dom);
	out->state = (uint32_t)test_field(r, "state");
	out->sync_requests = test_field(r, "sync_requests");
	out->async_requests = test_field(r, "async_requests");
	return 0;
}

int test_perf_stats(const struct scmi_handle *h, struct scmi_sim_perf_stats *out)
{
	const char *r;

	if (test_on_loopback())
		return scmi_sim_perf_stats_get(test_sim(h), out);
	r = test_control(h, "perf-stats");
	cr_assert(!strncmp(r, "ok ", 3), "perf-stats: %s", r);
	out->fc_level_sets = test_field(r, "fc_level_sets");
	out->fc_limits_sets = test_field(r, "fc_limits_sets");
	out->fc_rejected = test_field(r, "fc_rejected");
	out->doorbell_rings = test_field(r, "doorbell_rings");
	out->doorbell_clobbered = test_field(r, "doorbell_clobbered");
	return 0;
}

int test_fault_add(const struct scmi_handle *h, const struct scmi_sim_fault *f)
{
	char cmd[160];

	if (test_on_loopback())
		return scmi_sim_fault_add(test_sim(h), f);
	/* On shared memory the platform frees the channel by answering: a
	 * dropped response leaves it busy, and the agent never takes back an
	 * area the platform has not freed -- no later command gets through,
	 * where the loopback tests expect a retry to. */
	if (f->kind == SCMI_SIM_FAULT_DROP)
		cr_skip_test("a dropped response leaves the shmem channel busy for good: "
			     "no retry");
	snprintf(cmd, sizeof(cmd), "fault-add %d %u %u %d %d %lld %d", (int)f->kind, f->every,
		 f->count, f->protocol, f->message, (long long)f->param, f->notifications);
	return test_control_ret(h, cmd);
}

void test_fault_clear(const struct scmi_handle *h)
{
	if (test_on_loopback())
		scmi_sim_fault_clear(test_sim(h));
	else
		cr_assert_eq(test_control_ret(h, "fault clear"), 0);
}

uint64_t test_fault_hits(const struct scmi_handle *h, enum scmi_sim_fault_kind kind)
{
	char cmd[64];
	const char *r;

	if (test_on_loopback())
		return scmi_sim_fault_hits(test_sim(h), kind);
	snprintf(cmd, sizeof(cmd), "fault-hits %d", (int)kind);
	r = test_control(h, cmd);
	cr_assert(!strncmp(r, "ok ", 3), "%s: %s", cmd, r);
	return strtoull(r + 3, NULL, 10);
}

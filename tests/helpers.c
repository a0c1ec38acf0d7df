// SPDX-License-Identifier: BSD-3-Clause
#include <errno.h>
#include <ftw.h>
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

#ifdef SCMI_HAVE_SIM_SERVER
/* scmi-sim's server core, run on a thread (SCMI_TEST_SIM_SERVER=thread). */
#include "server.h"
#define TEST_SRV_MODE(m) (&(m))
#else
struct srv_mode;
#define TEST_SRV_MODE(m) NULL
#endif

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
#define TEST_MAX_SERVERS	 64   /* servers alive at once */
#define TEST_MAX_FAULTS		 32   /* fault knobs in one URI */

struct test_server;

/*
 * The transports a suite can run on besides loopback://, each served by
 * scmi-sim in one of its modes.  A new transport whose mode scmi-sim has
 * is one more line.
 */
struct test_transport_desc {
	const char *name;	     /* SCMI_TEST_TRANSPORT */
	const char *sim_option;	     /* scmi-sim's option naming the file */
	const struct srv_mode *mode; /* the same mode, for a server on a thread */
	const char *ext;	     /* of the file (or directory) it creates */
	unsigned int in_flight;	     /* commands in flight at once, per channel */
	/* --uio: the pci form (else platform); the interrupt (1, the pty),
	 * none (0: /dev/full, "doorbell out, polling in"), or the form's
	 * default (-1). */
	bool uio_pci;
	int uio_irq;
	/* The platform's memory window (fastchannels, statistics areas) is
	 * out of the agent's reach over this transport. */
	bool no_window;
};

/* P2A messages a server holds per area unless a test asks otherwise: the
 * suites compare every transport with loopback://, which holds all of them,
 * and their notification storms (200 resets from four threads, say) must not
 * find a platform queue full when the agent is slow to take its messages
 * (sanitizers, emulation). */
#define TEST_SERVER_QUEUE 1024u

static const struct test_transport_desc test_transports[] = {
	{"shmem", "--shmem", TEST_SRV_MODE(srv_mode_shmem), "shm", 1, false, -1},
	/* The platform form with the pty as its interrupt. */
	{"uio", "--uio", TEST_SRV_MODE(srv_mode_uio), "uio", 1, false, 1},
	/* The pci form, no interrupt: the agent polls. */
	{"uio-poll", "--uio", TEST_SRV_MODE(srv_mode_uio), "uio", 1, true, 0},
	/* vm (issue 14): shmem:// on memory that exists already, a slot of
	 * SCMI_SIM_DEVMEM's range -- /dev/mem in the VM rig (docs/VM.md); the
	 * simulator's window (fixed address) is not in it. */
	{"devmem", "--devmem", TEST_SRV_MODE(srv_mode_devmem), "mem", 1, false, -1, true},
#ifdef SRV_HAVE_VFIO_USER
	/* virtio-vfio-user:// against a virtio-scmi device behind a socket:
	 * commands in flight up to half the queue. */
	{"virtio", "--vfio-user", TEST_SRV_MODE(srv_mode_vfio_user), "sock", 64, false, -1, true},
#endif
};

/* What the loopback:// URI a suite opens asks of the platform. */
struct test_platform {
	char buf[1024]; /* the URI's query, cut into its parameters */
	const char *profile, *versions, *test_protocols, *max_list_items, *activity_ms;
	const char *vendor, *sub_vendor, *impl_ver; /* Base's identity (quirks) */
	const char *faults[TEST_MAX_FAULTS];	    /* "KNOB=VALUE" */
	unsigned int n_faults;
	size_t size;		 /* bytes per shared-memory area */
	unsigned int timeout_ms; /* 0: none asked */
};

/*
 * How scmi-sim serves a transport: its server core on a thread of the test
 * process (the simulator within reach: test_sim() works), or the program
 * as a process of its own (the platform only through its control socket).
 */
struct test_server_kind {
	const char *name; /* SCMI_TEST_SIM_SERVER */
	bool in_process;
	void (*start)(struct test_server *s, const struct test_platform *p,
		      const struct test_server_opts *o);
	void (*stop)(struct test_server *s);
	void (*control)(struct test_server *s, const char *cmd, char *reply, size_t size);
};

struct test_server {
	bool used;
	const struct scmi_handle *h; /* test_open(): the handle it serves */
	const struct test_transport_desc *tr;
	const struct test_server_kind *kind;
	pid_t pid;		   /* process */
	struct srv *srv;	   /* thread */
	struct scmi_handle *model; /* test_model() of a process: a loopback replica */
	char platform[1024];	   /* the loopback:// URI served */
	char uri[1024];		   /* the URI the server printed */
	char path[128];		   /* its file */
	char ctl[108];		   /* its control socket (process) */
};

static struct test_server test_servers[TEST_MAX_SERVERS];
static bool test_no_fastchannels;

const char *test_transport(void)
{
	const char *t = getenv("SCMI_TEST_TRANSPORT");

	return t && *t ? t : "loopback";
}

bool test_on_loopback(void)
{
	return !strcmp(test_transport(), "loopback");
}

static const struct test_transport_desc *test_transport_find(const char *name)
{
	for (size_t i = 0; i < sizeof(test_transports) / sizeof(test_transports[0]); i++)
		if (!strcmp(test_transports[i].name, name))
			return &test_transports[i];
	cr_assert_fail("SCMI_TEST_TRANSPORT=%s: want loopback or one of scmi-sim's (shmem, uio, "
		       "uio-poll)",
		       name);
	return NULL;
}

void test_server_fastchannels(bool on)
{
	test_no_fastchannels = !on;
}

static int test_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Remove what a server left behind (a server killed by the test could not:
 * its file, or its fake device's tree) and free its slot. */
static void test_server_forget(struct test_server *s)
{
	if (s->model)
		scmi_close(s->model);
	if (s->path[0])
		nftw(s->path, test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (s->ctl[0])
		unlink(s->ctl);
	memset(s, 0, sizeof(*s));
}

void test_server_stop(struct test_server *s)
{
	if (!s || !s->used)
		return;
	s->kind->stop(s);
	test_server_forget(s);
}

static void test_servers_stop_all(void)
{
	for (size_t i = 0; i < TEST_MAX_SERVERS; i++)
		test_server_stop(&test_servers[i]);
}

struct test_server *test_server_of(const struct scmi_handle *h)
{
	for (size_t i = 0; h && i < TEST_MAX_SERVERS; i++)
		if (test_servers[i].used && test_servers[i].h == h)
			return &test_servers[i];
	return NULL;
}

const char *test_server_uri(const struct test_server *s)
{
	return s->uri;
}

const char *test_server_path(const struct test_server *s)
{
	return s->path;
}

pid_t test_server_pid(const struct test_server *s)
{
	return s->pid;
}

struct scmi_sim *test_server_sim(const struct test_server *s)
{
#ifdef SCMI_HAVE_SIM_SERVER
	if (s->srv)
		return srv_sim(s->srv);
#endif
	(void)s;
	return NULL;
}

const char *test_server_control(struct test_server *s, const char *cmd)
{
	static char reply[4096];

	s->kind->control(s, cmd, reply, sizeof(reply));
	return reply;
}

/* The value of @key in the URI parameter @it ("key=value"), or NULL. */
static const char *test_param(const char *it, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(it, key, n) && it[n] == '=' ? it + n + 1 : NULL;
}

/* What the loopback:// URI @uri asks of the platform, into @p. */
static void test_platform_parse(const char *uri, struct test_platform *p)
{
	const char *q = strchr(uri, '?');
	char *save = NULL;

	memset(p, 0, sizeof(*p));
	/* loopback://'s default payload: 128 bytes. */
	p->size = 128 + TEST_SHMEM_OVERHEAD;
	cr_assert(q || !strcmp(uri, "loopback://"), "loopback URI '%s' has a path", uri);
	snprintf(p->buf, sizeof(p->buf), "%s", q ? q + 1 : "");
	for (char *it = strtok_r(p->buf, "&", &save); it; it = strtok_r(NULL, "&", &save)) {
		const char *v;

		cr_assert_not_null(strchr(it, '='), "URI parameter '%s' without a value", it);
		if ((v = test_param(it, "profile"))) {
			p->profile = v;
		} else if ((v = test_param(it, "versions"))) {
			p->versions = v;
		} else if ((v = test_param(it, "test_protocols"))) {
			p->test_protocols = v;
		} else if ((v = test_param(it, "max_list_items"))) {
			p->max_list_items = v;
		} else if ((v = test_param(it, "activity_ms"))) {
			p->activity_ms = v;
		} else if ((v = test_param(it, "vendor"))) {
			p->vendor = v;
		} else if ((v = test_param(it, "sub_vendor"))) {
			p->sub_vendor = v;
		} else if ((v = test_param(it, "impl_ver"))) {
			p->impl_ver = v;
		} else if ((v = test_param(it, "max_msg_size"))) {
			/* The areas' payload is their size less 32 bytes. */
			unsigned long n = strtoul(v, NULL, 0);

			if (n % 4)
				cr_skip_test("max_msg_size=%lu: shmem areas are a multiple of 4 "
					     "bytes",
					     n);
			p->size = n + TEST_SHMEM_OVERHEAD;
		} else if ((v = test_param(it, "timeout_ms"))) {
			p->timeout_ms = (unsigned int)strtoul(v, NULL, 0);
		} else if (test_param(it, "polling") || test_param(it, "max_msg")) {
			/* shmem:// always polls and has one command in flight
			 * per channel: nothing to ask for. */
		} else {
			/* A fault knob; the simulator refuses anything else. */
			cr_assert_lt(p->n_faults, TEST_MAX_FAULTS, "too many fault knobs in %s",
				     uri);
			p->faults[p->n_faults++] = it;
		}
	}
}

/* ---- scmi-sim as a process ---------------------------------------------- */

/* An scmi-sim command line; the strings in @store. */
struct test_args {
	const char *argv[96];
	int argc;
	char store[2048];
	size_t used;
};

/* One argument "--@opt=@v" (or "@opt" alone when @v is NULL). */
static void test_arg(struct test_args *a, const char *opt, const char *v)
{
	char *dst = a->store + a->used;
	int n = v ? snprintf(dst, sizeof(a->store) - a->used, "--%s=%s", opt, v)
		  : snprintf(dst, sizeof(a->store) - a->used, "%s", opt);

	cr_assert(n > 0 && a->used + (size_t)n < sizeof(a->store) &&
			  a->argc < (int)(sizeof(a->argv) / sizeof(a->argv[0])) - 1,
		  "URI too long for scmi-sim's command line");
	a->argv[a->argc++] = dst;
	a->used += (size_t)n + 1;
}

static void test_arg_u(struct test_args *a, const char *opt, unsigned long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%lu", v);
	test_arg(a, opt, num);
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

static void test_process_start(struct test_server *s, const struct test_platform *p,
			       const struct test_server_opts *o)
{
	const char *bin = test_sim_bin();
	struct test_args a = {0};

	if (!bin)
		cr_skip_test("SCMI_TEST_SIM_SERVER=process needs scmi-sim (not built)");
	test_arg(&a, bin, NULL);
	test_arg(&a, s->tr->sim_option, NULL);
	test_arg(&a, s->path, NULL);
	test_arg(&a, "control", s->ctl);
	/* The fake UIO device's form and interrupt (other modes have none:
	 * rows that leave these fields out get nothing). */
	if (!strcmp(s->tr->sim_option, "--uio")) {
		if (s->tr->uio_pci)
			test_arg(&a, "uio-form", "pci");
		if (s->tr->uio_irq >= 0)
			test_arg(&a, s->tr->uio_irq ? "--uio-irq" : "--no-uio-irq", NULL);
	}
	test_arg_u(&a, "size", p->size);
	if (p->profile)
		test_arg(&a, "profile", p->profile);
	if (p->versions)
		test_arg(&a, "versions", p->versions);
	if (p->test_protocols)
		test_arg(&a, "test-protocols", p->test_protocols);
	if (p->max_list_items)
		test_arg(&a, "max-list-items", p->max_list_items);
	if (p->activity_ms)
		test_arg(&a, "activity", p->activity_ms);
	if (p->vendor)
		test_arg(&a, "vendor", p->vendor);
	if (p->sub_vendor)
		test_arg(&a, "sub-vendor", p->sub_vendor);
	if (p->impl_ver)
		test_arg(&a, "impl-ver", p->impl_ver);
	for (unsigned int i = 0; i < p->n_faults; i++)
		test_arg(&a, "fault", p->faults[i]);
	/* loopback:// offers fastchannels (statistics areas...): so does
	 * scmi-sim with its platform memory window in the file. */
	if (!test_no_fastchannels && !s->tr->no_window)
		test_arg(&a, "--fastchannels", NULL);
	if (o->per_protocol)
		test_arg(&a, "per-protocol", o->per_protocol);
	if (o->doorbell)
		test_arg_u(&a, "doorbell", o->doorbell);
	test_arg_u(&a, "queue", o->queue ? o->queue : TEST_SERVER_QUEUE);
	for (size_t i = 0; o->args && o->args[i]; i++)
		test_arg(&a, o->args[i], NULL);
	a.argv[a.argc] = NULL;
	s->pid = test_sim_spawn(a.argv, o->may_stop, s->uri, sizeof(s->uri));
}

static int test_exit_status(int ws)
{
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

/*
 * Fork and exec @argv, its stdout into pipe @out, its stderr into pipe @err
 * (NULL: the test's); the pipes' write ends are closed in the test.  The
 * child dies with the test, by @deathsig.
 */
static pid_t test_sim_exec(const char *const *argv, int deathsig, int out[2], int err[2])
{
	pid_t parent = getpid(), pid;

	pid = fork();
	/* No Criterion call in the child, not even a passing assertion: with
	 * --full-stats it would talk to the runner and wait for ever. */
	if (pid < 0)
		cr_assert_fail("fork: %s", strerror(errno));
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, deathsig);
		if (getppid() != parent)
			_exit(127); /* the test died before prctl() */
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		if (err) {
			dup2(err[1], STDERR_FILENO);
			close(err[0]);
			close(err[1]);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	if (err)
		close(err[1]);
	return pid;
}

pid_t test_sim_spawn(const char *const *argv, bool may_stop, char *uri, size_t size)
{
	size_t len = 0;
	int pipefd[2], ws = 0;
	pid_t pid;

	cr_assert_gt(size, 1);
	cr_assert_eq(pipe(pipefd), 0);
	/* Gone with the test, whatever way it ends; by SIGKILL if the test
	 * may hold it (SIGSTOP), as a stopped process would keep a SIGTERM
	 * pending for ever. */
	pid = test_sim_exec(argv, may_stop ? SIGKILL : SIGTERM, pipefd, NULL);
	/* The first line of its output is the URI; EOF means it gave up. */
	while (len + 1 < size && !memchr(uri, '\n', len)) {
		struct pollfd pfd = {pipefd[0], POLLIN, 0};
		ssize_t r;

		if (poll(&pfd, 1, 10000) != 1)
			break;
		r = read(pipefd[0], uri + len, size - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(pipefd[0]);
	uri[len] = '\0';
	if (!memchr(uri, '\n', len)) {
		char cmd[512] = "";

		kill(pid, SIGTERM);
		waitpid(pid, &ws, 0);
		for (size_t i = 0; argv[i] && strlen(cmd) + 1 < sizeof(cmd); i++)
			snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s", i ? " " : "",
				 argv[i]);
		cr_assert_fail("'%s' printed no URI (exit status %d)", cmd, test_exit_status(ws));
	}
	uri[strcspn(uri, "\n")] = '\0';
	return pid;
}

int test_sim_run(const char *const *argv, char *out, size_t out_size, char *err, size_t err_size)
{
	int o[2], e[2];
	struct pollfd pfd[2];
	char *buf[2] = {out, err};
	size_t size[2] = {out_size, err_size}, len[2] = {0, 0};
	pid_t pid;

	cr_assert(out_size > 0 && (!err || err_size > 0));
	cr_assert_eq(pipe(o), 0);
	if (err)
		cr_assert_eq(pipe(e), 0);
	pid = test_sim_exec(argv, SIGTERM, o, err ? e : NULL);
	pfd[0] = (struct pollfd){o[0], POLLIN, 0};
	pfd[1] = (struct pollfd){err ? e[0] : -1, POLLIN, 0};
	/* Both at once: a full pipe would hold it up. */
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		cr_assert_gt(poll(pfd, 2, 10000), 0, "%s: no output, no exit", argv[0]);
		for (int i = 0; i < 2; i++) {
			char sink[512];
			ssize_t r;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			if (len[i] + 1 < size[i])
				r = read(pfd[i].fd, buf[i] + len[i], size[i] - 1 - len[i]);
			else
				r = read(pfd[i].fd, sink, sizeof(sink)); /* the rest: dropped */
			if (r > 0 && len[i] + 1 < size[i])
				len[i] += (size_t)r;
			if (r <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			}
		}
	}
	out[len[0]] = '\0';
	if (err)
		err[len[1]] = '\0';
	return test_sim_wait(pid);
}

int test_sim_wait(pid_t pid)
{
	uint64_t end = test_now_ms() + 10000;
	int ws = 0;
	pid_t r;

	while ((r = waitpid(pid, &ws, WNOHANG)) == 0 && test_now_ms() < end)
		test_sleep_ms(1);
	cr_assert_eq(r, pid, "scmi-sim did not exit");
	return test_exit_status(ws);
}

int test_server_wait(struct test_server *s)
{
	int status;

	cr_assert(s->pid, "test_server_wait() on a server that is not a live process");
	status = test_sim_wait(s->pid);
	s->pid = 0;
	return status;
}

/* SIGTERM (it removes its file and socket; SIGCONT first in case the test
 * held it), reaped within 5 s or killed. */
static void test_process_stop(struct test_server *s)
{
	uint64_t end = test_now_ms() + 5000;
	pid_t r;

	if (!s->pid)
		return;
	kill(s->pid, SIGCONT);
	kill(s->pid, SIGTERM);
	while ((r = waitpid(s->pid, NULL, WNOHANG)) == 0 && test_now_ms() < end)
		test_sleep_ms(1);
	if (r == 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
}

/* One command over the control socket at @path; its reply line into @reply. */
static void test_socket_control(const char *path, const char *cmd, char *reply, size_t size)
{
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
		r = read(fd, reply + len, size - 1 - len);
		cr_assert_gt(r, 0, "scmi-sim closed the control socket on '%s'", cmd);
		len += (size_t)r;
	}
	close(fd);
	reply[len] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
}

static void test_process_control(struct test_server *s, const char *cmd, char *reply, size_t size)
{
	test_socket_control(s->ctl, cmd, reply, size);
}

/* ---- scmi-sim's server core on a thread --------------------------------- */

#ifdef SCMI_HAVE_SIM_SERVER
static void test_thread_start(struct test_server *s, const struct test_platform *p,
			      const struct test_server_opts *o)
{
	struct srv_config c = {0};
	int ret;

	srv_opts_default(&c.o);
	c.mode = s->tr->mode;
	if (s->tr->mode == &srv_mode_uio) {
		c.o.uio_dir = s->path;
		c.o.uio_pci = s->tr->uio_pci;
		c.o.uio_irq = s->tr->uio_irq;
#ifdef SRV_HAVE_VFIO_USER
	} else if (s->tr->mode == &srv_mode_vfio_user) {
		c.o.vfu_path = s->path;
#endif
	} else {
		c.o.path = s->path;
	}
	c.o.size = p->size;
	c.o.fastchannels = !test_no_fastchannels && !s->tr->no_window;
	if (o->per_protocol) {
		char list[256], *save = NULL;

		snprintf(list, sizeof(list), "%s", o->per_protocol);
		for (char *it = strtok_r(list, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
			cr_assert_lt(c.o.n_protos, SRV_MAX_CHANNELS);
			cr_assert_eq(scmi_sim_protocol_parse(it, &c.o.protos[c.o.n_protos]), 0,
				     "per_protocol: %s", it);
			c.o.n_protos++;
		}
	}
	if (o->doorbell) {
		c.o.doorbell = true;
		c.o.db_width = o->doorbell;
	}
	c.o.queue = o->queue ? o->queue : TEST_SERVER_QUEUE;
	cr_assert(!o->args || !o->args[0], "scmi-sim options (%s...) need a process server",
		  o->args[0]);
	c.sim.profile = p->profile;
	if (p->max_list_items)
		c.sim.max_list_items = (unsigned int)strtoul(p->max_list_items, NULL, 0);
	c.versions = p->versions;
	c.test_protocols = p->test_protocols;
	if (p->activity_ms)
		c.activity_ms = (unsigned int)strtoul(p->activity_ms, NULL, 0);
	c.vendor = p->vendor;
	c.sub_vendor = p->sub_vendor;
	if (p->impl_ver) {
		c.set_impl_ver = true;
		c.impl_ver = (uint32_t)strtoul(p->impl_ver, NULL, 0);
	}
	c.n_faults = p->n_faults;
	c.faults = p->faults;
	ret = srv_create(&c, &s->srv);
	cr_assert_eq(ret, 0, "the server refused '%s' (status %d)", s->platform, ret);
	cr_assert_eq(srv_uri(s->srv, s->uri, sizeof(s->uri)), 0);
	ret = srv_start(s->srv);
	if (ret) {
		srv_destroy(s->srv, false);
		s->srv = NULL;
		cr_assert_fail("server thread: %s", strerror(-ret));
	}
}

static void test_thread_stop(struct test_server *s)
{
	srv_destroy(s->srv, false);
	s->srv = NULL;
}

static void test_thread_control(struct test_server *s, const char *cmd, char *reply, size_t size)
{
	cr_assert_eq(srv_command(s->srv, cmd, reply, size), 0, "%s", cmd);
}
#endif

/* The first is the default. */
static const struct test_server_kind test_server_kinds[] = {
#ifdef SCMI_HAVE_SIM_SERVER
	{"thread", true, test_thread_start, test_thread_stop, test_thread_control},
#endif
	{"process", false, test_process_start, test_process_stop, test_process_control},
};

static const struct test_server_kind *test_server_kind_find(const char *name)
{
	if (!name || !*name)
		name = getenv("SCMI_TEST_SIM_SERVER");
	if (!name || !*name)
		return &test_server_kinds[0];
	for (size_t i = 0; i < sizeof(test_server_kinds) / sizeof(test_server_kinds[0]); i++)
		if (!strcmp(test_server_kinds[i].name, name))
			return &test_server_kinds[i];
	if (!strcmp(name, "thread"))
		cr_skip_test("SCMI_TEST_SIM_SERVER=thread: the server library was not built");
	cr_assert_fail("SCMI_TEST_SIM_SERVER=%s: want thread or process", name);
	return NULL;
}

const char *test_sim_server(void)
{
	return test_on_loopback() ? NULL : test_server_kind_find(NULL)->name;
}

struct test_server *test_server_start(const char *uri, const struct test_server_opts *opts)
{
	static const struct test_server_opts none;
	static unsigned int seq;
	static bool registered;
	const struct test_server_opts *o = opts ? opts : &none;
	struct test_server *s = NULL;
	struct test_platform p;
	const char *tr = o->transport ? o->transport : test_transport();

	uri = uri ? uri : "loopback://";
	for (size_t i = 0; i < TEST_MAX_SERVERS && !s; i++)
		if (!test_servers[i].used)
			s = &test_servers[i];
	cr_assert_not_null(s, "more than %d scmi-sim servers at once", TEST_MAX_SERVERS);
	if (!registered) {
		atexit(test_servers_stop_all);
		registered = true;
	}
	memset(s, 0, sizeof(*s));
	s->tr = test_transport_find(tr);
	s->kind = test_server_kind_find(o->server);
	snprintf(s->platform, sizeof(s->platform), "%s", uri);
	snprintf(s->path, sizeof(s->path), "/tmp/scmi-test-%d-%u.%s", (int)getpid(), seq,
		 s->tr->ext);
	if (!s->kind->in_process)
		snprintf(s->ctl, sizeof(s->ctl), "/tmp/scmi-test-%d-%u.ctl", (int)getpid(), seq);
	seq++;
	test_platform_parse(uri, &p);
	s->kind->start(s, &p, o);
	s->used = true;
	return s;
}

/* The simulator of the platform behind @h if it is in this process: the
 * loopback one, or that of a server on a thread; else NULL. */
static struct scmi_sim *test_local_sim(const struct scmi_handle *h)
{
	struct scmi_sim *sim = scmi_loopback_sim(h);
	struct test_server *s;

	if (sim)
		return sim;
	s = test_server_of(h);
	return s ? test_server_sim(s) : NULL;
}

bool test_has_sim(void)
{
	return test_on_loopback() || test_server_kind_find(NULL)->in_process;
}

void test_need_sim_at(const char *file, int line)
{
	const char *base = strrchr(file, '/');

	if (!test_has_sim())
		cr_skip_test("%s:%d needs the simulator in process (SCMI_TEST_TRANSPORT=%s "
			     "SCMI_TEST_SIM_SERVER=%s)",
			     base ? base + 1 : file, line, test_transport(), test_sim_server());
}

void test_need_in_flight_at(unsigned int n, const char *file, int line)
{
	const struct test_transport_desc *tr;
	const char *base = strrchr(file, '/');

	if (test_on_loopback())
		return;
	tr = test_transport_find(test_transport());
	if (tr->in_flight < n)
		cr_skip_test("%s:%d needs %u commands in flight; SCMI_TEST_TRANSPORT=%s takes %u "
			     "per channel",
			     base ? base + 1 : file, line, n, tr->name, tr->in_flight);
}

bool test_has_window(void)
{
	return test_on_loopback() || !test_transport_find(test_transport())->no_window;
}

void test_need_window_at(const char *file, int line)
{
	const struct test_transport_desc *tr;
	const char *base = strrchr(file, '/');

	if (test_on_loopback())
		return;
	tr = test_transport_find(test_transport());
	if (tr->no_window)
		cr_skip_test("%s:%d needs the platform's memory window (fastchannels); "
			     "SCMI_TEST_TRANSPORT=%s has none",
			     base ? base + 1 : file, line, tr->name);
}

struct scmi_sim *test_sim_at(const struct scmi_handle *h, const char *file, int line)
{
	struct scmi_sim *sim = test_local_sim(h);

	if (sim)
		return sim;
	test_need_sim_at(file, line);
	cr_assert_fail("no simulator behind the handle (%s:%d)", file, line);
	return NULL;
}

void test_close(struct scmi_handle *h)
{
	struct test_server *s = test_server_of(h);

	scmi_close(h);
	if (s)
		test_server_stop(s);
}

struct scmi_handle *test_open(const char *uri, const struct scmi_config *cfg)
{
	struct scmi_config quiet = test_config(NULL), c = cfg ? *cfg : quiet;
	struct test_server *s = NULL;
	struct scmi_handle *h = NULL;
	const char *target = uri ? uri : "loopback://"; /* scmi_open(NULL): $SCMI_URI */
	struct test_platform p;
	int ret;

	if (!test_on_loopback() && (!uri || !strncmp(uri, "loopback://", 11))) {
		s = test_server_start(uri, NULL);
		target = s->uri;
		/* The suites expect loopback://'s timeouts. */
		test_platform_parse(s->platform, &p);
		if (!c.timeout_ms)
			c.timeout_ms = p.timeout_ms ? p.timeout_ms : TEST_LOOPBACK_TIMEOUT_MS;
	}
	ret = scmi_open(target, &c, &h);
	if (ret && s)
		test_server_stop(s);
	cr_assert_eq(ret, 0, "scmi_open(%s): %s", target ? target : "NULL", scmi_strerror(ret));
	cr_assert_not_null(h);
	if (s)
		s->h = h;
	return h;
}

struct scmi_sim *test_model(const struct scmi_handle *h)
{
	static const char *const keep[] = {"profile",	     "versions",     "max_list_items",
					   "test_protocols", "max_msg_size", NULL};
	struct scmi_config quiet = test_config(NULL);
	struct scmi_sim *sim = test_local_sim(h);
	struct test_server *s;
	char uri[1024] = "loopback://", copy[1024], *save = NULL;
	const char *q;

	if (sim)
		return sim;
	s = test_server_of(h);
	if (!s)
		cr_skip_test("no platform model for this handle");
	if (s->model)
		return scmi_loopback_sim(s->model);
	/* The same platform, without the fault knobs and the activity. */
	q = strchr(s->platform, '?');
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
	struct scmi_sim *sim = test_local_sim(h);
	struct scmi_sim_stats st;
	char key[64];
	const char *r, *v;

	if (sim) {
		scmi_sim_stats_get(sim, &st);
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
	static char reply[4096];

	test_socket_control(path, cmd, reply, sizeof(reply));
	return reply;
}

const char *test_control(const struct scmi_handle *h, const char *cmd)
{
	struct test_server *s = test_server_of(h);

	if (!s)
		cr_skip_test(
			"needs an scmi-sim server (SCMI_TEST_TRANSPORT=shmem, uio or uio-poll)");
	return test_server_control(s, cmd);
}

/* SCMI_TEST_WAIT_SCALE=N stretches every test_wait_until() N times (an
 * emulator runs the suites several times slower: scripts/cross.sh). */
static unsigned int test_wait_scale(void)
{
	const char *s = getenv("SCMI_TEST_WAIT_SCALE");
	unsigned long n = s ? strtoul(s, NULL, 10) : 1;

	return n >= 1 && n <= 100 ? (unsigned int)n : 1;
}

bool test_wait_until(bool (*cond)(void *arg), void *arg, unsigned int ms)
{
	uint64_t end = test_now_ms() + (uint64_t)ms * test_wait_scale();

	do {
		if (cond(arg))
			return true;
		test_sleep_ms(1);
	} while (test_now_ms() < end);
	return cond(arg);
}

struct delivered_cond {
	const struct scmi_handle *h;
	uint8_t proto;
	uint64_t n;
};

static bool delivered_reached(void *arg)
{
	const struct delivered_cond *c = arg;
	struct scmi_event_stats st;

	return !scmi_event_stats_get(c->h, c->proto, &st) && st.delivered >= c->n;
}

bool test_wait_delivered(const struct scmi_handle *h, uint8_t proto, uint64_t n, unsigned int ms)
{
	struct delivered_cond c = {h, proto, n};

	return test_wait_until(delivered_reached, &c, ms);
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

	if (test_local_sim(h))
		return scmi_sim_notify_enabled(test_sim(h), proto, evt, src);
	snprintf(cmd, sizeof(cmd), "notify-enabled %u %u %u", proto, evt, src);
	return test_control_ret(h, cmd);
}

int test_clock_rate_change(const struct scmi_handle *h, uint32_t id, uint64_t rate)
{
	char cmd[96];

	if (test_local_sim(h))
		return scmi_sim_clock_rate_change(test_sim(h), id, rate);
	snprintf(cmd, sizeof(cmd), "clock-rate %u %llu", id, (unsigned long long)rate);
	return test_control_ret(h, cmd);
}

int test_perf_limits_set(const struct scmi_handle *h, uint32_t dom, uint32_t max, uint32_t min)
{
	char cmd[96];

	if (test_local_sim(h))
		return scmi_sim_perf_limits_set(test_sim(h), dom, max, min);
	snprintf(cmd, sizeof(cmd), "perf-limits %u %u %u", dom, max, min);
	return test_control_ret(h, cmd);
}

int test_perf_level_set(const struct scmi_handle *h, uint32_t dom, uint32_t level)
{
	char cmd[96];

	if (test_local_sim(h))
		return scmi_sim_perf_level_set(test_sim(h), dom, level);
	snprintf(cmd, sizeof(cmd), "perf-level %u %u", dom, level);
	return test_control_ret(h, cmd);
}

int test_power_state_change(const struct scmi_handle *h, uint32_t dom, uint32_t state,
			    uint32_t agent)
{
	char cmd[96];

	if (test_local_sim(h) || agent)
		return scmi_sim_power_state_change(test_sim(h), dom, state, agent);
	snprintf(cmd, sizeof(cmd), "power %u %u", dom, state);
	return test_control_ret(h, cmd);
}

int test_reset_issue(const struct scmi_handle *h, uint32_t dom, uint32_t agent, uint32_t state)
{
	char cmd[96];

	if (test_local_sim(h) || state)
		return scmi_sim_reset_issue(test_sim(h), dom, agent, state);
	snprintf(cmd, sizeof(cmd), "reset %u %u", dom, agent);
	return test_control_ret(h, cmd);
}

int test_powercap_power_set(const struct scmi_handle *h, uint32_t dom, uint32_t mw)
{
	char cmd[96];

	if (test_local_sim(h))
		return scmi_sim_powercap_power_set(test_sim(h), dom, mw);
	snprintf(cmd, sizeof(cmd), "powercap-power %u %u", dom, mw);
	return test_control_ret(h, cmd);
}

/* The unsigned number after " @key=" in @reply. */
uint64_t test_field(const char *reply, const char *key)
{
	char k[64];
	const char *v;

	snprintf(k, sizeof(k), " %s=", key);
	v = strstr(reply, k);
	cr_assert_not_null(v, "no %s in '%s'", key, reply);
	return strtoull(v + strlen(k), NULL, 0);
}

int test_perf_domain(const struct scmi_handle *h, uint32_t dom, struct scmi_sim_perf_domain *out)
{
	char cmd[64];
	const char *r;
	int ret;

	if (test_local_sim(h))
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

	if (test_local_sim(h))
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

	if (test_local_sim(h))
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

	if (test_local_sim(h))
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

	if (test_local_sim(h))
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

	if (test_local_sim(h))
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

	if (test_local_sim(h))
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

	/* On shared memory the platform frees the channel by answering: a
	 * dropped response leaves it busy, and the agent never takes back an
	 * area the platform has not freed -- no later command gets through,
	 * where the loopback tests expect a retry to. */
	if (f->kind == SCMI_SIM_FAULT_DROP && !test_on_loopback() &&
	    test_transport_find(test_transport())->in_flight == 1)
		cr_skip_test("a dropped response leaves the %s channel busy for good: no retry",
			     test_transport());
	if (test_local_sim(h))
		return scmi_sim_fault_add(test_sim(h), f);
	snprintf(cmd, sizeof(cmd), "fault-add %d %u %u %d %d %lld %d", (int)f->kind, f->every,
		 f->count, f->protocol, f->message, (long long)f->param, f->notifications);
	return test_control_ret(h, cmd);
}

void test_fault_clear(const struct scmi_handle *h)
{
	if (test_local_sim(h))
		scmi_sim_fault_clear(test_sim(h));
	else
		cr_assert_eq(test_control_ret(h, "fault clear"), 0);
}

uint64_t test_fault_hits(const struct scmi_handle *h, enum scmi_sim_fault_kind kind)
{
	char cmd[64];
	const char *r;

	if (test_local_sim(h))
		return scmi_sim_fault_hits(test_sim(h), kind);
	snprintf(cmd, sizeof(cmd), "fault-hits %d", (int)kind);
	r = test_control(h, cmd);
	cr_assert(!strncmp(r, "ok ", 3), "%s: %s", cmd, r);
	return strtoull(r + 3, NULL, 10);
}

/* ---- non-blocking requests ---------------------------------------------- */

void test_req_init(struct test_req *r)
{
	memset(r, 0, sizeof(*r));
}

void test_req_at_most_once(struct test_req *r)
{
	int n = atomic_load(&r->calls);

	cr_assert_leq(n, 1, "the callback of the last submission ran %d times", n);
}

void test_req_arm(struct test_req *r)
{
	test_req_at_most_once(r);
	atomic_store(&r->calls, 0);
	r->status = 0;
}

void test_req_done(struct scmi_req *req)
{
	struct test_req *r = scmi_container_of(req, struct test_req, req);

	r->status = req->status;
	atomic_fetch_add(&r->calls, 1);
}

bool test_req_called(void *arg)
{
	return atomic_load(&((struct test_req *)arg)->calls) > 0;
}

int test_req_wait(struct test_req *r, const char *what)
{
	cr_assert(test_wait_until(test_req_called, r, 10000), "%s: no callback", what);
	cr_assert_eq(atomic_load(&r->calls), 1, "%s: the callback runs once", what);
	return r->status;
}

int test_req_result(const struct scmi_handle *h, struct test_req *r, int submitted,
		    const char *what)
{
	int status;

	cr_assert_eq(submitted, 0, "%s: not submitted: %d", what, submitted);
	status = test_req_wait(r, what);
	cr_assert_eq(scmi_req_outstanding(h), 0, "%s: left outstanding", what);
	return status;
}

int test_req_refusal(const struct scmi_handle *h, struct test_req *r, int submitted,
		     const char *what)
{
	cr_assert_lt(submitted, 0, "%s: submitted, not refused", what);
	cr_assert_eq(atomic_load(&r->calls), 0, "%s: refused, yet a callback ran", what);
	cr_assert_eq(scmi_req_outstanding(h), 0, "%s: refused: nothing outstanding", what);
	return submitted;
}

int test_req_outcome(const struct scmi_handle *h, struct test_req *r, int submitted,
		     const char *what)
{
	if (submitted < 0)
		return test_req_refusal(h, r, submitted, what);
	return test_req_result(h, r, submitted, what);
}

void test_req_as_blocking(const struct scmi_handle *h, struct test_req *r, int submitted,
			  bool refused, int want, const char *what)
{
	int got;

	if (refused) {
		cr_assert_lt(want, 0, "%s: blocking: %d", what, want);
		got = test_req_refusal(h, r, submitted, what);
	} else {
		got = test_req_result(h, r, submitted, what);
	}
	cr_assert_eq(got, want, "%s: %d, blocking %d", what, got, want);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * The shmem:// transport against the scmi-sim server program (a separate
 * process sharing a file; SCMI_SIM_BIN is its path): discovery, commands,
 * delayed responses and notifications over P2A, and the channel faults --
 * a platform that never frees the area, one that sets ERROR, one killed
 * mid-transfer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent_testproto.h"
#include "helpers.h"

#define TP 0xF0

struct simproc {
	pid_t pid;
	char uri[1024];
	char path[256];
	char ctl[128];
	uint8_t *map; /* the file's first page: the areas */
};

static struct simproc sp;
static struct scmi_handle *h;

/* Start scmi-sim --shmem with @args (NULL-terminated); read its URI. */
static void sim_start(const char *const *args)
{
	static unsigned int n;
	const char *argv[32] = {SCMI_SIM_BIN, "--shmem", NULL, "--control", NULL};
	int out[2], argc = 5, fd;
	FILE *f;

	memset(&sp, 0, sizeof(sp));
	snprintf(sp.path, sizeof(sp.path), "/tmp/scmi-shmem-test-%d-%u.shm", (int)getpid(), n);
	snprintf(sp.ctl, sizeof(sp.ctl), "/tmp/scmi-shmem-test-%d-%u.ctl", (int)getpid(), n++);
	argv[2] = sp.path;
	argv[4] = sp.ctl;
	for (size_t i = 0; args && args[i]; i++)
		argv[argc++] = args[i];
	cr_assert_eq(pipe(out), 0);
	sp.pid = fork();
	cr_assert_geq(sp.pid, 0);
	if (!sp.pid) {
		/* SIGKILL: a server the test stopped (SIGSTOP) would keep a
		 * SIGTERM pending for ever. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out[1], 1);
		close(out[0]);
		execv(SCMI_SIM_BIN, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	f = fdopen(out[0], "r");
	cr_assert(f);
	cr_assert(fgets(sp.uri, sizeof(sp.uri), f), "scmi-sim printed no URI");
	fclose(f);
	sp.uri[strcspn(sp.uri, "\n")] = '\0';
	fd = open(sp.path, O_RDWR);
	cr_assert_geq(fd, 0);
	sp.map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	cr_assert_neq(sp.map, MAP_FAILED);
	close(fd);
}

static int sim_wait(void)
{
	uint64_t end = test_now_ms() + 10000;
	int ws = 0;
	pid_t r;

	while ((r = waitpid(sp.pid, &ws, WNOHANG)) == 0 && test_now_ms() < end)
		test_sleep_ms(1);
	cr_assert_eq(r, sp.pid, "scmi-sim did not exit");
	munmap(sp.map, 4096);
	sp.pid = 0;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

static const char *sim_control(const char *cmd)
{
	static char reply[1024];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len = 0;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	memcpy(sa.sun_path, sp.ctl, strlen(sp.ctl) + 1);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(write(fd, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	cr_assert_eq(write(fd, "\n", 1), 1);
	while (!memchr(reply, '\n', len)) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t r;

		cr_assert_eq(poll(&p, 1, 5000), 1, "no reply to '%s'", cmd);
		r = read(fd, reply + len, sizeof(reply) - 1 - len);
		cr_assert_gt(r, 0);
		len += (size_t)r;
	}
	close(fd);
	reply[strcspn(reply, "\n")] = '\0';
	return reply;
}

/* The A2P area's channel_status word (the default layout: A2P at 0). */
static volatile uint32_t *a2p_status(void)
{
	return (volatile uint32_t *)(sp.map + 4);
}

static void open_agent(unsigned int timeout_ms)
{
	struct scmi_config cfg = test_config(NULL);

	if (getenv("SHMEM_TEST_DEBUG"))
		cfg.log_level = SCMI_LOG_DEBUG;
	cfg.timeout_ms = timeout_ms;
	cr_assert_eq(scmi_open(sp.uri, &cfg, &h), 0, "scmi_open(%s)", sp.uri);
}

static void teardown(void)
{
	if (h)
		scmi_close(h);
	h = NULL;
	tp_cleanup();
	if (sp.pid) {
		kill(sp.pid, SIGCONT); /* in case the test held it */
		kill(sp.pid, SIGTERM);
		sim_wait();
	}
}

TestSuite(shmem_transport, .fini = teardown, .timeout = 60);

Test(shmem_transport, discovery_commands_and_exit)
{
	const struct scmi_perf_domain_info *d;
	uint32_t level = 0;

	sim_start(NULL);
	open_agent(0);
	cr_assert_str_eq(h->version->vendor_id, "libscmi");
	cr_assert_eq(h->version->num_protocols, 9);
	cr_assert_not_null(h->perf_ops);
	cr_assert_eq(h->perf_ops->domain_info_get(h, 0, &d), 0);
	cr_assert_eq(h->perf_ops->level_set(h, 0, d->levels[1].perf), 0);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);
	cr_assert_eq(level, d->levels[1].perf);
	scmi_close(h);
	h = NULL;
	kill(sp.pid, SIGTERM);
	cr_assert_eq(sim_wait(), 0);
	cr_assert_neq(access(sp.path, F_OK), 0, "the server removed its file");
}

/* An asynchronous clock rate change: its delayed response comes over P2A. */
Test(shmem_transport, delayed_response_over_p2a)
{
	const struct scmi_clock_info *ci;
	uint64_t rate = 0;

	sim_start(NULL);
	open_agent(0);
	cr_assert_eq(h->clock_ops->info_get(h, 0, &ci), 0);
	cr_assert_eq(h->clock_ops->rate_set(h, 0, ci->max_rate, SCMI_CLOCK_RATE_ASYNC, NULL), 0);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	cr_assert_eq(rate, ci->max_rate);
}

struct counter {
	struct scmi_notifier_block nb;
	atomic_uint seen;
	atomic_uint out_of_order;
};

static int count_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct counter *c = (struct counter *)nb;
	const struct tp_report *r = report;

	(void)evt;
	if (r->seq != atomic_load(&c->seen))
		atomic_fetch_add(&c->out_of_order, 1);
	atomic_fetch_add(&c->seen, 1);
	return 0;
}

static bool all_seen(void *arg)
{
	return atomic_load(&((struct counter *)arg)->seen) >= 300;
}

/* 300 notifications in bursts while another thread sends commands: every
 * one delivered, in order, and every command answered. */
Test(shmem_transport, notification_bursts_while_commands_flow)
{
	static const char *const args[] = {"--test-protocols", "0xf0:1", "--queue", "1024", NULL};
	struct counter c = {.nb.notifier_call = count_cb};
	uint32_t src = 0;
	const char *r;

	sim_start(args);
	open_agent(0);
	cr_assert_eq(tp_register_events(h, TP), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, TP, 0, &src, &c.nb), 0);
	for (int burst = 0; burst < 3; burst++) {
		uint32_t level;

		r = sim_control("notify 0xf0 0 0 100");
		cr_assert_eq(strncmp(r, "ok", 2), 0, "%s", r);
		for (int i = 0; i < 20; i++)
			cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);
	}
	cr_assert(test_wait_until(all_seen, &c, 10000), "%u of 300 seen", atomic_load(&c.seen));
	cr_assert_eq(atomic_load(&c.seen), 300);
	cr_assert_eq(atomic_load(&c.out_of_order), 0);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, TP, 0, &src, &c.nb), 0);
}

/*
 * A platform that never answers and never frees the area: the command
 * times out, the next ones say the channel is busy (within their timeout,
 * without touching the area), and once the platform frees it commands work
 * again.
 */
Test(shmem_transport, platform_that_never_frees_the_channel)
{
	uint32_t level;
	uint64_t t0;
	const char *r;

	sim_start(NULL);
	open_agent(100);
	r = sim_control("fault drop=1");
	cr_assert_eq(strncmp(r, "ok", 2), 0, "%s", r);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), -ETIMEDOUT);
	r = sim_control("fault clear");
	cr_assert_eq(strncmp(r, "ok", 2), 0, "%s", r);
	t0 = test_now_ms();
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), -EBUSY);
	cr_assert_lt(test_now_ms() - t0, 2000, "bounded by the timeout");
	cr_assert_eq(*a2p_status() & 1u, 0, "the area is still the platform's");
	/* The platform frees it (as a firmware would after a reset). */
	__atomic_store_n(a2p_status(), 1u, __ATOMIC_RELEASE);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);
}

static bool a2p_posted(void *arg)
{
	(void)arg;
	return (__atomic_load_n(a2p_status(), __ATOMIC_ACQUIRE) & 3u) == 0;
}

static bool p2a_acked(void *arg)
{
	(void)arg;
	return __atomic_load_n((volatile uint32_t *)(sp.map + 0x80 + 4), __ATOMIC_ACQUIRE) & 1u;
}

struct call {
	pthread_t thread;
	int ret;
};

static void *level_get_thread(void *arg)
{
	struct call *c = arg;
	uint32_t level;

	c->ret = h->perf_ops->level_get(h, 0, &level);
	return NULL;
}

/* The platform sets ERROR on the area: that command fails with -ECOMM (no
 * made-up SCMI status), and the channel goes on working. */
Test(shmem_transport, error_bit_fails_the_command)
{
	struct call c;
	uint32_t level;

	sim_start(NULL);
	open_agent(2000);
	/* Hold the server so that the test plays the platform for one command. */
	cr_assert_eq(kill(sp.pid, SIGSTOP), 0);
	cr_assert_eq(pthread_create(&c.thread, NULL, level_get_thread, &c), 0);
	cr_assert(test_wait_until(a2p_posted, NULL, 5000));
	__atomic_store_n(a2p_status(), 3u, __ATOMIC_RELEASE); /* ERROR | FREE */
	pthread_join(c.thread, NULL);
	cr_assert_eq(c.ret, -ECOMM, "%s", scmi_strerror(c.ret));
	cr_assert_eq(kill(sp.pid, SIGCONT), 0);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);
}

static int nop_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	(void)nb;
	(void)evt;
	(void)report;
	return 0;
}

static volatile uint32_t *area_word(size_t area, size_t off)
{
	return (volatile uint32_t *)(sp.map + area + off);
}

/* With the server held, answer one perf LEVEL_GET as the platform with
 * @length in the length field (status SUCCESS, level 7); the call's result. */
static int reply_with_length(uint32_t length)
{
	struct call c;

	cr_assert_eq(pthread_create(&c.thread, NULL, level_get_thread, &c), 0);
	cr_assert(test_wait_until(a2p_posted, NULL, 5000));
	*area_word(0, 0x1c) = 0;	/* status SUCCESS */
	*area_word(0, 0x20) = 7;	/* the level */
	*area_word(0, 0x14) = length;
	__atomic_store_n(a2p_status(), 1u, __ATOMIC_RELEASE);
	pthread_join(c.thread, NULL);
	return c.ret;
}

/*
 * Fault row 8 on a channel: lengths the platform writes into the area that
 * are too short for a status, past the area's end, or absurd fail that one
 * command with -EPROTO (nothing read past the area); a correct one works;
 * the handle goes on.  A P2A message with an absurd length is dropped,
 * counted and acknowledged.
 */
Test(shmem_transport, bad_lengths_written_into_the_areas)
{
	static const uint32_t bad[] = {0, 3, 4, 7, 128 - 24 + 1, 128, 0x10000, 0xffffffffu};
	struct scmi_notifier_block nb = {.notifier_call = nop_cb};
	struct scmi_event_stats st, before;
	uint32_t level, dom = 0;

	sim_start(NULL);
	open_agent(2000);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0, "perf brought up");
	cr_assert_eq(h->notify_ops->event_notifier_register(h, 0x13, SCMI_EVENT_PERF_LIMITS_CHANGED,
							    &dom, &nb),
		     0);
	cr_assert_eq(kill(sp.pid, SIGSTOP), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(reply_with_length(bad[i]), -EPROTO, "length %u", bad[i]);
	{
		int r = reply_with_length(12);

		cr_assert_eq(r, 0, "header, status and the level: %s", scmi_strerror(r));
	}
	/* The largest length the area holds: level plus padding, still fine. */
	cr_assert_eq(reply_with_length(128 - 24), 0);

	/* P2A: a notification claiming 4 GiB, for a source somebody listens to. */
	cr_assert_eq(scmi_event_stats_get(h, 0x13, &before), 0);
	*area_word(0x80, 0x18) = SCMI_EVENT_PERF_LIMITS_CHANGED | (3u << 8) | (0x13u << 10);
	*area_word(0x80, 0x14) = 0xffffffffu;
	__atomic_store_n(area_word(0x80, 0x04), 0u, __ATOMIC_RELEASE);
	cr_assert(test_wait_until(p2a_acked, NULL, 5000), "the agent acknowledged it");
	cr_assert_eq(scmi_event_stats_get(h, 0x13, &st), 0);
	cr_assert_eq(st.dropped_malformed, before.dropped_malformed + 1, "dropped as malformed");
	cr_assert_eq(st.delivered, before.delivered);
	cr_assert_eq(kill(sp.pid, SIGCONT), 0);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, 0x13, SCMI_EVENT_PERF_LIMITS_CHANGED,
							      &dom, &nb),
		     0);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);

	/* The same through the simulator's knob: a reply short of its level. */
	cr_assert_eq(strncmp(sim_control("fault bad_len=-4"), "ok", 2), 0);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), -EPROTO);
	cr_assert_eq(strncmp(sim_control("fault clear"), "ok", 2), 0);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);
}

/* The server dies mid-transfer: the caller gets a timeout within its
 * timeout, the next call a clear error, and close is clean. */
Test(shmem_transport, server_killed_mid_transfer)
{
	struct call c;
	uint64_t t0;
	uint32_t level;

	sim_start(NULL);
	open_agent(200);
	cr_assert_eq(kill(sp.pid, SIGSTOP), 0);
	t0 = test_now_ms();
	cr_assert_eq(pthread_create(&c.thread, NULL, level_get_thread, &c), 0);
	cr_assert(test_wait_until(a2p_posted, NULL, 5000));
	cr_assert_eq(kill(sp.pid, SIGKILL), 0);
	pthread_join(c.thread, NULL);
	cr_assert_eq(c.ret, -ETIMEDOUT, "%s", scmi_strerror(c.ret));
	cr_assert_lt(test_now_ms() - t0, 3000);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), -EBUSY);
	sim_wait();
	unlink(sp.path);
	unlink(sp.ctl);
	scmi_close(h);
	h = NULL;
}

/* Per-protocol channels: perf on its own pair, in parallel with Base. */
Test(shmem_transport, per_protocol_channels)
{
	static const char *const args[] = {"--per-protocol", "0x13,0x14", NULL};
	const struct scmi_clock_info *ci;
	uint32_t level;
	uint64_t rate;

	sim_start(args);
	cr_assert(strstr(sp.uri, "a2p.0x13="), "%s", sp.uri);
	open_agent(0);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);
	cr_assert_eq(h->clock_ops->info_get(h, 0, &ci), 0);
	cr_assert_eq(h->clock_ops->rate_set(h, 0, ci->max_rate, SCMI_CLOCK_RATE_ASYNC, NULL), 0);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	cr_assert_eq(rate, ci->max_rate);
}

/* A doorbell register in the same file, rung after each command. */
Test(shmem_transport, doorbell)
{
	static const char *const args[] = {"--doorbell", NULL};
	uint32_t level;

	sim_start(args);
	cr_assert(strstr(sp.uri, "db="), "%s", sp.uri);
	open_agent(0);
	for (int i = 0; i < 50; i++)
		cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * The shmem:// round trip against scmi-sim in another process, and two
 * floors measured in the same run over the same kind of memory: one cache
 * line of a MAP_SHARED file mapping shared by two processes.
 *
 *   spin      the parent writes a sequence number into the line, the child
 *             spins until it sees it and writes it back (same line), the
 *             parent spins until it sees the reply: what polling shared
 *             memory costs when both sides poll flat out.  Both sides
 *             sched_yield() every SPIN_YIELD_EVERY looks, so that on a
 *             crowded machine a spinner does not hold the core its peer
 *             needs for a whole time slice (with a free core for each, the
 *             reply comes long before).
 *   back-off  the same ping-pong, the parent waiting as the core's polling
 *             path does (lib/xfer.c, xfer_poll_wait(): look, then up to 64
 *             sched_yield(), then nanosleep() from 1 us doubling up to
 *             1 ms) and the child as scmi-sim's main loop does
 *             (sim/server/main.c, srv_loop() without a control socket: keep
 *             looking with sched_yield() for 200 us after any work, then
 *             sleep in ppoll() from 10 us doubling up to 1 ms): what the
 *             two back-offs cost at best, with no SCMI work at all.
 *
 * The figure: PROTOCOL_VERSION of the Base protocol through
 * scmi_raw_command() on a shmem:// handle opened on the URI that an
 * `scmi-sim --shmem` child prints (no doorbell, no control socket), the
 * reply checked against the version found at discovery.  The target is a
 * round trip within 1.5x the back-off floor; it is printed, not asserted.
 *
 * Rounds: the three are measured in interleaved blocks (spin, back-off,
 * shmem; PER_ROUND round trips each after WARMUP untimed ones, as many
 * rounds as it takes), so that a change in the machine's load hits all
 * three alike.  The floors' peer is one child process forked once and
 * parked between its blocks (looking every 1 ms, like an idle scmi-sim),
 * so that the scheduler treats it as it treats scmi-sim.
 *
 * Placement: on a small shared machine the two peers of a ping-pong either
 * share one CPU (each hand-off is a sched_yield() context switch, a few
 * us) or run on two (a cache-line transfer, a few hundred ns), and the
 * scheduler may place the floor's pair and the shmem pair differently --
 * often for a whole run.  So each block looks three times (after its
 * warm-up, half-way, at its end; outside the timed round trips) at whether
 * its peers run on the same CPU (the child's sched_getcpu(), scmi-sim's
 * /proc/PID/stat) -- a block whose looks disagree counts as neither --
 * and a ratio compares only blocks placed alike: the median of the shmem
 * blocks' medians over the median of the floor blocks' medians.  The
 * figure's lines use the placement most shmem blocks had (their ratio is
 * "-" when the floor never ran that way; more rounds are run, within
 * bounds, while it has not); two more lines give the back-off ratio for
 * each placement with the number of shmem and floor blocks behind it.
 * Median and p99 are over all samples.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <scmi/scmi.h>

#include "bench.h"

#ifdef SCMI_SIM_BIN

#define PER_ROUND 200 /* timed round trips per block */
#define WARMUP	  50  /* round trips before each block, not counted */
/* Rounds added (up to EXTRA_ROUNDS times the planned ones, for EXTRA_NS at
 * most) while no floor block ran placed as most shmem blocks did. */
#define EXTRA_ROUNDS	 10
#define EXTRA_NS	 1000000000ull
#define SPIN_YIELD_EVERY 32

/* Mirrors of the back-off constants of lib/xfer.c (XFER_POLL_*) and of
 * sim/server/main.c (SRV_*): keep them in step. */
#define AGENT_POLL_SPINS    64
#define AGENT_MIN_SLEEP_NS  1000L
#define AGENT_MAX_SLEEP_NS  1000000L
#define SERVER_SPIN_NS	    200000ull
#define SERVER_MIN_SLEEP_US 10u
#define SERVER_MAX_SLEEP_US 1000u /* scmi-sim's default --max-sleep-us */

#define MSG_PROTOCOL_VERSION 0x0 /* every protocol's message 0 */

/* ---- the floors: a two-process ping-pong on one cache line --------------- */

/*
 * The parent writes ping, the child answers in pong: one cache line.  The
 * parent says what the child does in mode, on a line of its own (written
 * only between blocks).
 */
struct pp_shared {
	struct {
		_Atomic uint64_t ping;
		_Atomic uint64_t pong;
	} __attribute__((aligned(64))) line;
	_Atomic int mode __attribute__((aligned(64)));
	_Atomic int cpu; /* where the child answered last */
};

enum pp_mode {
	PP_PARK,    /* between blocks: look every SERVER_MAX_SLEEP_US */
	PP_SPIN,    /* floor A */
	PP_BACKOFF, /* floor B */
	PP_QUIT,
};

/* The child of the floors, long-lived like scmi-sim (a child forked for
 * each block would be placed on the idlest CPU each time, scmi-sim not). */
struct pp_child {
	pid_t pid;
	struct pp_shared *sh;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/*
 * The child's loops.  Only async-signal-safe calls there (the parent has
 * threads): atomics, the clock, sched_yield, sched_getcpu, ppoll, getppid,
 * _exit.  Each returns when the mode changes.  @seen: the last ping
 * answered.
 */
static int pp_mode_of(struct pp_shared *sh)
{
	return atomic_load_explicit(&sh->mode, memory_order_acquire);
}

/* Answer a new ping, if there is one.  1 if it did. */
static int pp_answer(struct pp_shared *sh, uint64_t *seen)
{
	uint64_t v = atomic_load_explicit(&sh->line.ping, memory_order_acquire);

	if (v == *seen)
		return 0;
	*seen = v;
	atomic_store_explicit(&sh->line.pong, v, memory_order_release);
	atomic_store_explicit(&sh->cpu, sched_getcpu(), memory_order_relaxed);
	return 1;
}

static void pp_serve_spin(struct pp_shared *sh, uint64_t *seen)
{
	for (unsigned int looks = 1; pp_mode_of(sh) == PP_SPIN; looks++) {
		if (pp_answer(sh, seen))
			continue;
		cpu_relax();
		if (looks % SPIN_YIELD_EVERY == 0)
			sched_yield();
	}
}

static void pp_sleep_us(unsigned int us)
{
	struct timespec ts = {0, (long)us * 1000};

	ppoll(NULL, 0, &ts, NULL);
}

/* scmi-sim's srv_loop() with nothing but this line to serve. */
static void pp_serve_backoff(struct pp_shared *sh, uint64_t *seen)
{
	uint64_t last_work = now_ns();
	unsigned int sleep_us = 0;

	while (pp_mode_of(sh) == PP_BACKOFF) {
		int work = pp_answer(sh, seen);
		uint64_t now = now_ns();

		if (work) {
			last_work = now;
			sleep_us = 0;
		}
		if (now - last_work < SERVER_SPIN_NS) {
			sched_yield();
			continue;
		}
		sleep_us = sleep_us ? sleep_us * 2 : SERVER_MIN_SLEEP_US;
		if (sleep_us > SERVER_MAX_SLEEP_US)
			sleep_us = SERVER_MAX_SLEEP_US;
		pp_sleep_us(sleep_us);
	}
}

static void __attribute__((noreturn)) pp_child_main(struct pp_shared *sh, pid_t parent)
{
	uint64_t seen = 0;

	for (;;) {
		switch (pp_mode_of(sh)) {
		case PP_SPIN:
			pp_serve_spin(sh, &seen);
			break;
		case PP_BACKOFF:
			pp_serve_backoff(sh, &seen);
			break;
		case PP_PARK:
			if (getppid() != parent)
				_exit(1);
			pp_sleep_us(SERVER_MAX_SLEEP_US);
			break;
		default:
			_exit(0);
		}
	}
}

/* Wait for @seq in pong, flat out.  0 or -ETIMEDOUT. */
static int pp_wait_spin(struct pp_shared *sh, uint64_t seq, uint64_t deadline)
{
	for (unsigned int looks = 1;; looks++) {
		if (atomic_load_explicit(&sh->line.pong, memory_order_acquire) == seq)
			return 0;
		cpu_relax();
		if (looks % SPIN_YIELD_EVERY == 0) {
			if (now_ns() >= deadline)
				return -ETIMEDOUT;
			sched_yield();
		}
	}
}

/* Wait for @seq in pong with the schedule of lib/xfer.c's xfer_poll_wait(). */
static int pp_wait_backoff(struct pp_shared *sh, uint64_t seq, uint64_t deadline)
{
	long sleep_ns = AGENT_MIN_SLEEP_NS;
	unsigned int spins = 0;

	for (;;) {
		if (atomic_load_explicit(&sh->line.pong, memory_order_acquire) == seq)
			return 0;
		if (now_ns() >= deadline)
			return -ETIMEDOUT;
		if (spins < AGENT_POLL_SPINS) {
			spins++;
			sched_yield();
		} else {
			struct timespec ts = {0, sleep_ns};

			nanosleep(&ts, NULL);
			if (sleep_ns < AGENT_MAX_SLEEP_NS)
				sleep_ns *= 2;
		}
	}
}

int bench_reap(pid_t pid)
{
	uint64_t end = now_ns() + WAIT_LIMIT_NS;
	int ws = 0;
	pid_t r;

	while ((r = waitpid(pid, &ws, WNOHANG)) == 0 && now_ns() < end) {
		struct timespec ts = {0, 1000000};

		nanosleep(&ts, NULL);
	}
	if (r == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &ws, 0);
		return -1;
	}
	return r == pid && WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

static int pp_start(struct pp_child *c, struct pp_shared *sh)
{
	pid_t parent = getpid();

	c->sh = sh;
	atomic_store(&sh->mode, PP_PARK);
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (!c->pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pp_child_main(sh, parent);
	}
	return 0;
}

/* Stop the child; its exit status (0: it stopped when told). */
static int pp_stop(struct pp_child *c)
{
	int st;

	if (c->pid <= 0)
		return 0;
	atomic_store_explicit(&c->sh->mode, PP_QUIT, memory_order_release);
	st = bench_reap(c->pid);
	c->pid = 0;
	return st;
}

/* Placement of a block's two peers: the same CPU or two. */
enum placement {
	PLACE_UNKNOWN,
	PLACE_ONE_CPU,
	PLACE_TWO_CPUS,
};

static enum placement placement(int cpu)
{
	int mine = sched_getcpu();

	if (mine < 0 || cpu < 0)
		return PLACE_UNKNOWN;
	return mine == cpu ? PLACE_ONE_CPU : PLACE_TWO_CPUS;
}

/* Where a block's placement is looked at: after the warm-up, half-way and
 * at the end (outside the timed round trips). */
static bool place_look(size_t i, size_t n)
{
	return i == WARMUP || i == WARMUP + n / 2;
}

/* One look at the placement, folded into the block's: a block whose looks
 * disagree (its peers moved) is PLACE_UNKNOWN and compared with nothing. */
static void place_fold(enum placement *acc, size_t i, enum placement p)
{
	if (i == WARMUP)
		*acc = p;
	else if (*acc != p)
		*acc = PLACE_UNKNOWN;
}

/*
 * One block of a floor: WARMUP round trips (the child wakes up from its
 * parking), then @n timed ones into @v; the child parks again.  0, or -1
 * with a FAILED line.
 */
static int pp_block(const char *name, struct pp_child *c, enum pp_mode mode, uint64_t *v, size_t n,
		    enum placement *place)
{
	struct pp_shared *sh = c->sh;
	uint64_t seq = atomic_load(&sh->line.ping);
	int ret = 0;

	atomic_store_explicit(&sh->mode, (int)mode, memory_order_release);
	for (size_t i = 0; i < WARMUP + n && !ret; i++) {
		uint64_t t0;

		if (place_look(i, n))
			place_fold(place, i, placement(atomic_load(&sh->cpu)));
		t0 = now_ns();
		atomic_store_explicit(&sh->line.ping, ++seq, memory_order_release);
		ret = mode == PP_SPIN ? pp_wait_spin(sh, seq, t0 + WAIT_LIMIT_NS)
				      : pp_wait_backoff(sh, seq, t0 + WAIT_LIMIT_NS);
		if (i >= WARMUP)
			v[i - WARMUP] = now_ns() - t0;
	}
	place_fold(place, WARMUP + n, placement(atomic_load(&sh->cpu)));
	atomic_store_explicit(&sh->mode, PP_PARK, memory_order_release);
	if (ret) {
		print_failed(name, "no reply from the child process within 10 s");
		return -1;
	}
	return 0;
}

/* A page of a temporary file, mapped shared (the child inherits it). */
static struct pp_shared *pp_map(void)
{
	char path[] = "/tmp/scmi-bench-XXXXXX";
	int fd = mkstemp(path);
	void *p;

	if (fd < 0)
		return NULL;
	unlink(path);
	if (ftruncate(fd, 4096)) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* ---- the figure: shmem:// against scmi-sim ------------------------------- */

int bench_sim_start(struct bench_sim *s, const char *const *args, char *why, size_t size)
{
	const char *argv[16] = {SCMI_SIM_BIN};
	size_t len = 0, argc = 1;
	int out[2];

	for (size_t i = 0; args[i] && argc + 1 < sizeof(argv) / sizeof(argv[0]); i++)
		argv[argc++] = args[i];
	s->uri[0] = '\0';
	if (pipe(out)) {
		snprintf(why, size, "pipe: %s", strerror(errno));
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		snprintf(why, size, "fork: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return -1;
	}
	if (!s->pid) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		execv(SCMI_SIM_BIN, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	while (!memchr(s->uri, '\n', len)) {
		struct pollfd p = {out[0], POLLIN, 0};
		ssize_t r;

		if (len + 1 >= sizeof(s->uri) || poll(&p, 1, 10000) != 1 ||
		    (r = read(out[0], s->uri + len, sizeof(s->uri) - 1 - len)) <= 0) {
			snprintf(why, size, "%s printed no URI", SCMI_SIM_BIN);
			close(out[0]);
			return -1;
		}
		len += (size_t)r;
		s->uri[len] = '\0';
	}
	close(out[0]);
	s->uri[strcspn(s->uri, "\n")] = '\0';
	return 0;
}

void bench_sim_stop(struct bench_sim *s)
{
	int st;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	st = bench_reap(s->pid);
	if (st)
		fprintf(stderr, "bench: %s exited with status %d (-1: killed)\n", SCMI_SIM_BIN, st);
	s->pid = 0;
}

int bench_base_version(struct scmi_handle *h, uint32_t expect)
{
	uint8_t rx[4] = {0};
	size_t len = 0;
	int ret = scmi_raw_command(h, SCMI_PROTOCOL_BASE, MSG_PROTOCOL_VERSION, NULL, 0, rx,
				   sizeof(rx), &len);

	uint32_t version = (uint32_t)rx[0] | (uint32_t)rx[1] << 8 | (uint32_t)rx[2] << 16 |
			   (uint32_t)rx[3] << 24;

	if (!ret && (len != 4 || version != expect))
		ret = -EPROTO;
	return ret;
}

struct cmd_block {
	unsigned long failed;
	int first;
};

/* The CPU @pid last ran on (field 39 of /proc/PID/stat), or -1. */
static int proc_cpu(pid_t pid)
{
	char path[64], buf[1024], *p;
	ssize_t len;
	int fd, field = 2;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold blanks */
	while (p && field < 39)
		if ((p = strchr(p + 1, ' ')))
			field++;
	return p ? atoi(p + 1) : -1;
}

/* WARMUP commands, then @n timed ones into @v. */
static void shm_block(struct scmi_handle *h, pid_t sim, uint32_t expect, uint64_t *v, size_t n,
		      struct cmd_block *e, enum placement *place)
{
	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0;
		int ret;

		if (place_look(i, n))
			place_fold(place, i, placement(proc_cpu(sim)));
		t0 = now_ns();
		ret = bench_base_version(h, expect);
		if (i >= WARMUP)
			v[i - WARMUP] = now_ns() - t0;
		if (ret && !e->failed++)
			e->first = ret;
	}
	place_fold(place, WARMUP + n, placement(proc_cpu(sim)));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One round: the three blocks' medians and where their peers ran. */
struct round {
	double spin, backoff, rt;
	enum placement p_spin, p_backoff, p_rt;
};

/*
 * The ratio of the shmem blocks' medians to the floor blocks' medians
 * among the blocks whose peers ran with placement @p (the median of the
 * per-block medians on each side).  @k_rt, @k_floor: how many blocks of
 * each; 0 when either is none.
 */
static double placed_ratio(const struct round *rs, size_t n, bool backoff, enum placement p,
			   size_t *k_rt, size_t *k_floor)
{
	double *a = calloc(n, sizeof(*a)), *b = calloc(n, sizeof(*b)), m = 0;

	*k_rt = *k_floor = 0;
	if (!a || !b)
		goto out;
	for (size_t r = 0; r < n; r++) {
		if (rs[r].p_rt == p)
			a[(*k_rt)++] = rs[r].rt;
		if ((backoff ? rs[r].p_backoff : rs[r].p_spin) == p)
			b[(*k_floor)++] = backoff ? rs[r].backoff : rs[r].spin;
	}
	if (*k_rt && *k_floor)
		m = median_of(a, *k_rt) / median_of(b, *k_floor);
out:
	free(a);
	free(b);
	return m;
}

/* A ratio over @k_rt shmem and @k_floor floor blocks, or "-". */
static void print_placed(const char *name, size_t k_rt, size_t k_floor, double ratio)
{
	char n[32], r[32] = "-";

	snprintf(n, sizeof(n), "%zu/%zu", k_rt, k_floor);
	if (ratio > 0)
		snprintf(r, sizeof(r), "%.2fx", ratio);
	print_row(name, n, "-", "blocks", r, "-");
}

/* The placement most shmem blocks of @n rounds had. */
static enum placement rt_placement(const struct round *rs, size_t n)
{
	size_t one = 0, two = 0;

	for (size_t i = 0; i < n; i++) {
		one += rs[i].p_rt == PLACE_ONE_CPU;
		two += rs[i].p_rt == PLACE_TWO_CPUS;
	}
	return one >= two ? PLACE_ONE_CPU : PLACE_TWO_CPUS;
}

/* Did a back-off floor block run placed as most shmem blocks did? */
static bool comparable(const struct round *rs, size_t n)
{
	enum placement p = rt_placement(rs, n);

	for (size_t i = 0; i < n; i++)
		if (rs[i].p_backoff == p)
			return true;
	return false;
}

/*
 * The figure's ratio to a floor, both taken under the placement most of
 * the shmem blocks ran with (what the figure's median reflects); "-" when
 * the floor never ran that way.
 */
static void print_figure(const char *name, struct figure f, const struct round *rs, size_t n,
			 bool backoff)
{
	char med[32], p99[32], r[32] = "-";
	size_t k_rt, k_floor;
	double ratio = placed_ratio(rs, n, backoff, rt_placement(rs, n), &k_rt, &k_floor);

	snprintf(med, sizeof(med), "%.1f", f.median);
	snprintf(p99, sizeof(p99), "%.1f", f.p99);
	if (ratio > 0)
		snprintf(r, sizeof(r), "%.2fx", ratio);
	print_row(name, med, p99, "ns", r, "0");
}

void bench_shmem(size_t iters)
{
	const char *spin_name = "floor: shm spin ping-pong";
	const char *backoff_name = "floor: shm back-off ping-pong";
	const char *name = "shmem:// round trip / back-off";
	size_t per = PER_ROUND, rounds = (iters + per - 1) / per, max = rounds * EXTRA_ROUNDS, n;
	uint64_t *spin = calloc(max * per, sizeof(*spin)), *rt = calloc(max * per, sizeof(*rt));
	uint64_t *backoff = calloc(max * per, sizeof(*backoff)), extra_end = 0;
	struct round *rs = calloc(max, sizeof(*rs));
	/* A long timeout: on a crowded machine a slow reply is a slow figure,
	 * not lost work (a lost one still times out, and FAILS). */
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR, .timeout_ms = 2000};
	struct bench_sim sim = {0};
	char path[64];
	const char *args[] = {"--shmem", path, NULL};
	struct scmi_stats before, after;
	struct cmd_block err = {0};
	struct scmi_handle *h = NULL;
	struct pp_shared *line = pp_map();
	struct pp_child child = {0};
	struct figure fs, fb, fr;
	size_t k_rt, k_floor;
	double ratio;
	char why[256];
	uint32_t expect;
	int ret;

	if (!spin || !backoff || !rt || !rs || !line) {
		print_failed(name, "no memory for the samples or the shared line");
		goto out;
	}
	snprintf(path, sizeof(path), "/tmp/scmi-bench-%d.shm", (int)getpid());
	if (bench_sim_start(&sim, args, why, sizeof(why))) {
		print_failed(name, "%s", why);
		goto out;
	}
	ret = scmi_open(sim.uri, &cfg, &h);
	if (ret) {
		print_failed(name, "scmi_open(%s): %s", sim.uri, scmi_strerror(ret));
		h = NULL;
		goto out;
	}
	expect = (uint32_t)h->version->major_ver << 16 | h->version->minor_ver;
	ret = pp_start(&child, line);
	if (ret) {
		print_failed(spin_name, "fork: %s", strerror(-ret));
		goto out;
	}
	stats_get(h, &before);
	for (rounds = 0; rounds < max; rounds++) {
		size_t r = rounds;
		uint64_t *s = spin + r * per, *bo = backoff + r * per, *t = rt + r * per;

		/* Past the planned rounds only while the floor has not run
		 * placed as most shmem blocks were, for EXTRA_NS at most. */
		if (r >= max / EXTRA_ROUNDS) {
			if (comparable(rs, r))
				break;
			if (!extra_end)
				extra_end = now_ns() + EXTRA_NS;
			else if (now_ns() > extra_end)
				break;
		}
		if (pp_block(spin_name, &child, PP_SPIN, s, per, &rs[r].p_spin) ||
		    pp_block(backoff_name, &child, PP_BACKOFF, bo, per, &rs[r].p_backoff))
			goto out;
		shm_block(h, sim.pid, expect, t, per, &err, &rs[r].p_rt);
		rs[r].spin = summarize(s, per).median;
		rs[r].backoff = summarize(bo, per).median;
		rs[r].rt = summarize(t, per).median;
	}
	stats_get(h, &after);
	n = per * rounds;
	ret = pp_stop(&child);
	if (ret) {
		print_failed(spin_name, "the floors' child process exited with status %d", ret);
		goto out;
	}
	fs = summarize(spin, n);
	fb = summarize(backoff, n);
	print_line(spin_name, fs, "ns", 0);
	print_line(backoff_name, fb, "ns", 0);
	if (err.failed || commands_lost(&before, &after, why, sizeof(why))) {
		print_failed(name, "%lu of %zu commands failed (first: %s); %s", err.failed,
			     n + rounds * WARMUP, err.failed ? scmi_strerror(err.first) : "none",
			     why);
		goto out;
	}
	fr = summarize(rt, n);
	print_figure(name, fr, rs, rounds, true);
	print_figure("shmem:// round trip / spin", fr, rs, rounds, false);
	ratio = placed_ratio(rs, rounds, true, PLACE_ONE_CPU, &k_rt, &k_floor);
	print_placed("  / back-off, peers on 1 CPU", k_rt, k_floor, ratio);
	ratio = placed_ratio(rs, rounds, true, PLACE_TWO_CPUS, &k_rt, &k_floor);
	print_placed("  / back-off, peers on 2 CPUs", k_rt, k_floor, ratio);
	print_row("shmem:// target (not asserted)", "-", "-", "", "<=1.50x", "-");
out:
	pp_stop(&child);
	if (h)
		scmi_close(h);
	bench_sim_stop(&sim);
	unlink(path); /* in case it could not remove it */
	if (line)
		munmap(line, 4096);
	free(spin);
	free(backoff);
	free(rt);
	free(rs);
}

#else /* !SCMI_SIM_BIN */

void bench_shmem(size_t iters)
{
	(void)iters;
	print_row("shmem:// round trip", "-", "-", "", "-", "-");
	printf("  (skipped: built without scmi-sim or the shmem:// transport)\n");
}

#endif

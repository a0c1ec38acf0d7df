// SPDX-License-Identifier: BSD-3-Clause
/*
 * The uio:// round trip against `scmi-sim --uio` in another process, and
 * two floors measured in the same run: the interrupt floor, and the fake
 * device's own interrupt path.
 *
 *   eventfd   a two-process ping-pong over two eventfds: the parent writes
 *             the child's, the child -- blocked in read() on it -- wakes up
 *             and writes the parent's, on which the parent blocks in
 *             read().  What one wake-up each way costs between two
 *             processes that sleep in the kernel: the least an interrupt-
 *             driven round trip (the agent sleeping on its UIO fd) can
 *             cost, before any SCMI work.
 *   pty       the same over a pseudo-terminal in raw mode, the parent on
 *             the master, the child on the slave, 4-byte messages: the
 *             path of the fake device's interrupt (server -> agent) and
 *             enable (agent -> server).  A pty hands its bytes over through
 *             a kernel worker (the tty flip buffer), one more wake-up each
 *             way: against `scmi-sim --uio` the eventfd floor is out of
 *             reach, and the ratio to this one says what the transport and
 *             the server add.
 *
 * The figure: PROTOCOL_VERSION of the Base protocol through
 * scmi_raw_command() on a uio:// handle opened on the URI that an
 * `scmi-sim --uio DIR` child prints (platform form, interrupt toward the
 * agent: completion=irq), the reply checked against the version found at
 * discovery.  The target is a round trip within 1.5x the (eventfd) floor;
 * it is printed, not asserted.  The figure is measured only where the uio://
 * transport is built (SCMI_BENCH_UIO, from CMake's SCMI_TRANSPORT_UIO);
 * elsewhere the floors alone are printed.
 *
 * Rounds: floors and figure are measured in interleaved blocks (PER_ROUND
 * round trips each after WARMUP untimed ones), so that a change in the
 * machine's load hits all alike; a ratio is the median of the figure's
 * block medians over the median of the floor's.  Median and p99 are over
 * all samples.  (Unlike shmem.c, no placement bookkeeping: both sides
 * sleep in the kernel between messages, so a hand-off costs a wake-up
 * whether the peers share a CPU or not.)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include <scmi/scmi.h>

#include "bench.h"

#define PER_ROUND 500 /* timed round trips per block */
#define WARMUP	  50  /* round trips before each block, not counted */

#define PP_PING 1
#define PP_QUIT 2 /* a ping of this value stops the child */

/* ---- the floors: two-process ping-pongs ------------------------------------- */

/*
 * The parent writes a ping on wr and reads the answer on rd; the child,
 * blocked in read() on its rd, answers on its wr.  Messages are native
 * integers of @size bytes: 8 for an eventfd (its counter), 4 on a pty
 * (as the fake UIO device's count and enable).
 */
struct pp {
	const char *name;
	pid_t pid;
	size_t size;
	int wr, rd;		/* the parent's */
	int child_rd, child_wr; /* the child's (closed in the parent) */
};

static int pp_msg(int fd, size_t size, uint64_t v, bool out)
{
	uint32_t v32 = (uint32_t)v;
	void *p = size == 4 ? (void *)&v32 : (void *)&v;

	return (out ? write(fd, p, size) : read(fd, p, size)) == (ssize_t)size ? 0 : -1;
}

static void __attribute__((noreturn)) pp_child(struct pp *p)
{
	for (;;) {
		uint64_t v = 0;
		uint32_t v32 = 0;

		if ((p->size == 4 ? read(p->child_rd, &v32, 4) : read(p->child_rd, &v, 8)) !=
		    (ssize_t)p->size)
			_exit(1);
		if ((p->size == 4 ? v32 : v) >= PP_QUIT)
			_exit(0);
		if (pp_msg(p->child_wr, p->size, PP_PING, true))
			_exit(1);
	}
}

/* Fork the child of @p (its descriptors set up).  0 or -errno. */
static int pp_fork(struct pp *p)
{
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (!p->pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pp_child(p);
	}
	return 0;
}

static void pp_init(struct pp *p, const char *name, size_t size)
{
	*p = (struct pp){
		.name = name, .size = size, .wr = -1, .rd = -1, .child_rd = -1, .child_wr = -1};
}

/* Two eventfds, one each way: the interrupt floor. */
static int pp_start_eventfd(struct pp *p)
{
	pp_init(p, "floor: eventfd ping-pong (2 procs)", 8);
	p->wr = p->child_rd = eventfd(0, EFD_CLOEXEC);
	p->rd = p->child_wr = eventfd(0, EFD_CLOEXEC);
	if (p->wr < 0 || p->rd < 0)
		return -errno;
	return pp_fork(p);
}

/* A pty in raw mode, the parent on the master, the child on the slave:
 * the fake UIO device's interrupt path (server on the master, agent on
 * the slave), both ways. */
static int pp_start_pty(struct pp *p)
{
	struct termios t;
	const char *name;

	pp_init(p, "floor: pty ping-pong (2 procs)", 4);
	p->wr = p->rd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->wr < 0 || grantpt(p->wr) || unlockpt(p->wr) || !(name = ptsname(p->wr)))
		return -errno;
	p->child_rd = p->child_wr = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->child_rd < 0 || tcgetattr(p->child_rd, &t))
		return -errno;
	cfmakeraw(&t);
	if (tcsetattr(p->child_rd, TCSANOW, &t))
		return -errno;
	return pp_fork(p);
}

/* Stop the child; its exit status (0: it stopped when told). */
static int pp_stop(struct pp *p)
{
	int fds[4] = {p->wr, p->rd, p->child_rd, p->child_wr};
	int st = 0;

	if (p->pid > 0) {
		if (pp_msg(p->wr, p->size, PP_QUIT, true))
			kill(p->pid, SIGKILL);
		st = bench_reap(p->pid);
	}
	for (int i = 0; i < 4; i++) {
		bool seen = fds[i] < 0;

		for (int k = 0; k < i && !seen; k++)
			seen = fds[k] == fds[i];
		if (!seen)
			close(fds[i]);
	}
	pp_init(p, p->name, p->size);
	return st;
}

/* WARMUP round trips, then @n timed ones into @v.  0, or -1 with a
 * FAILED line. */
static int pp_block(struct pp *p, uint64_t *v, size_t n)
{
	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = now_ns();

		if (pp_msg(p->wr, p->size, PP_PING, true) || pp_msg(p->rd, p->size, 0, false)) {
			print_failed(p->name, "ping-pong: %s", strerror(errno ? errno : EIO));
			return -1;
		}
		if (i >= WARMUP)
			v[i - WARMUP] = now_ns() - t0;
	}
	return 0;
}

/* Both floors' children; -1 with a FAILED line if either could not start. */
static int pp_start_both(struct pp *efd, struct pp *pty)
{
	int ret = pp_start_eventfd(efd);

	if (ret) {
		print_failed(efd->name, "eventfd/fork: %s", strerror(-ret));
		return -1;
	}
	ret = pp_start_pty(pty);
	if (ret) {
		print_failed(pty->name, "pty/fork: %s", strerror(-ret));
		return -1;
	}
	return 0;
}

/* Stop both; print their figures over @n samples each, or -1 (FAILED). */
static int pp_finish_both(struct pp *efd, struct pp *pty, uint64_t *v_efd, uint64_t *v_pty,
			  size_t n)
{
	struct pp *ps[2] = {efd, pty};
	uint64_t *vs[2] = {v_efd, v_pty};
	int fail = 0;

	for (int i = 0; i < 2; i++) {
		int st = pp_stop(ps[i]);

		if (st) {
			print_failed(ps[i]->name, "the child process exited with status %d", st);
			fail = -1;
		} else {
			print_line(ps[i]->name, summarize(vs[i], n), "ns", 0);
		}
	}
	return fail;
}

#if defined(SCMI_BENCH_UIO) && defined(SCMI_SIM_BIN)

/* ---- the figure: uio:// against scmi-sim --uio ---------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of @n block medians. */
static uint64_t median_u64(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* WARMUP commands, then @n timed ones into @v.  Failures counted. */
static void uio_block(struct scmi_handle *h, uint32_t expect, uint64_t *v, size_t n,
		      unsigned long *failed, int *first)
{
	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = now_ns();
		int ret = bench_base_version(h, expect);

		if (i >= WARMUP)
			v[i - WARMUP] = now_ns() - t0;
		if (ret && !(*failed)++)
			*first = ret;
	}
}

/* The figure with its ratio to a floor: median of block medians over
 * median of block medians. */
static void print_ratio(const char *name, struct figure f, uint64_t *fig_med, uint64_t *fl_med,
			size_t rounds)
{
	char med[32], p99[32], ratio[32] = "-";
	double m_fl = (double)median_u64(fl_med, rounds);

	snprintf(med, sizeof(med), "%.1f", f.median);
	snprintf(p99, sizeof(p99), "%.1f", f.p99);
	if (m_fl > 0)
		snprintf(ratio, sizeof(ratio), "%.2fx", (double)median_u64(fig_med, rounds) / m_fl);
	print_row(name, med, p99, "ns", ratio, "0");
}

void bench_uio(size_t iters)
{
	const char *name = "uio:// round trip / eventfd";
	size_t per = PER_ROUND, rounds = (iters + per - 1) / per, n = rounds * per;
	uint64_t *v[3], *med[3]; /* eventfd, pty, uio:// */
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR, .timeout_ms = 2000};
	struct pp efd, pty;
	struct bench_sim sim = {0};
	struct scmi_stats before, after;
	struct scmi_handle *h = NULL;
	unsigned long failed = 0;
	int ret, first = 0;
	char dir[64], why[256];
	const char *args[] = {"--uio", dir, NULL};
	uint32_t expect;

	pp_init(&efd, NULL, 8);
	pp_init(&pty, NULL, 4);
	for (int i = 0; i < 3; i++) {
		v[i] = calloc(n, sizeof(*v[i]));
		med[i] = calloc(rounds, sizeof(*med[i]));
	}
	snprintf(dir, sizeof(dir), "/tmp/scmi-bench-uio-%d", (int)getpid());
	if (!v[0] || !v[1] || !v[2] || !med[0] || !med[1] || !med[2]) {
		print_failed(name, "no memory for the samples");
		goto out;
	}
	if (pp_start_both(&efd, &pty))
		goto out;
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
	stats_get(h, &before);
	for (size_t r = 0; r < rounds; r++) {
		if (pp_block(&efd, v[0] + r * per, per) || pp_block(&pty, v[1] + r * per, per))
			goto out;
		uio_block(h, expect, v[2] + r * per, per, &failed, &first);
		for (int i = 0; i < 3; i++)
			med[i][r] = (uint64_t)summarize(v[i] + r * per, per).median;
	}
	stats_get(h, &after);
	if (pp_finish_both(&efd, &pty, v[0], v[1], n))
		goto out;
	if (failed || commands_lost(&before, &after, why, sizeof(why))) {
		print_failed(name, "%lu of %zu commands failed (first: %s); %s", failed,
			     n + rounds * WARMUP, failed ? scmi_strerror(first) : "none", why);
		goto out;
	}
	{
		struct figure f = summarize(v[2], n);

		print_ratio(name, f, med[2], med[0], rounds);
		print_ratio("uio:// round trip / pty", f, med[2], med[1], rounds);
	}
	print_row("uio:// target (not asserted)", "-", "-", "", "<=1.50x", "-");
out:
	pp_stop(&efd);
	pp_stop(&pty);
	if (h)
		scmi_close(h);
	bench_sim_stop(&sim);
	for (int i = 0; i < 3; i++) {
		free(v[i]);
		free(med[i]);
	}
}

#else /* the uio:// transport is not built: the floors alone */

void bench_uio(size_t iters)
{
	size_t per = PER_ROUND, rounds = (iters + per - 1) / per, n = rounds * per;
	uint64_t *v_efd = calloc(n, sizeof(*v_efd)), *v_pty = calloc(n, sizeof(*v_pty));
	struct pp efd, pty;

	pp_init(&efd, NULL, 8);
	pp_init(&pty, NULL, 4);
	if (!v_efd || !v_pty) {
		print_failed("floor: eventfd ping-pong", "no memory for the samples");
		goto out;
	}
	if (pp_start_both(&efd, &pty))
		goto out;
	for (size_t r = 0; r < rounds; r++)
		if (pp_block(&efd, v_efd + r * per, per) || pp_block(&pty, v_pty + r * per, per))
			goto out;
	pp_finish_both(&efd, &pty, v_efd, v_pty, n);
out:
	pp_stop(&efd);
	pp_stop(&pty);
	free(v_efd);
	free(v_pty);
	print_row("uio:// round trip", "-", "-", "", "-", "-");
	printf("  (skipped: uio:// transport not built)\n");
}

#endif

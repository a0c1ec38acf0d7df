// SPDX-License-Identifier: BSD-3-Clause
/*
 * The uio:// round trip against `scmi-sim --uio` in another process, and
 * its floor measured in the same run: the interrupt floor.
 *
 *   eventfd   a two-process ping-pong over two eventfds: the parent writes
 *             the child's, the child -- blocked in read() on it -- wakes up
 *             and writes the parent's, on which the parent blocks in
 *             read().  What one wake-up each way costs between two
 *             processes that sleep in the kernel: the least an interrupt-
 *             driven round trip (the agent sleeping on its UIO fd) can
 *             cost, before any SCMI work.
 *
 * The figure: PROTOCOL_VERSION of the Base protocol through
 * scmi_raw_command() on a uio:// handle opened on the URI that an
 * `scmi-sim --uio DIR` child prints (platform form, interrupt toward the
 * agent: completion=irq), the reply checked against the version found at
 * discovery.  The target is a round trip within 1.5x the floor; it is
 * printed, not asserted.  The figure is measured only where the uio://
 * transport is built (SCMI_BENCH_UIO, from CMake's SCMI_TRANSPORT_UIO);
 * elsewhere the floor alone is printed.
 *
 * Rounds: floor and figure are measured in interleaved blocks (PER_ROUND
 * round trips each after WARMUP untimed ones), so that a change in the
 * machine's load hits both alike; the ratio is the median of the figure's
 * block medians over the median of the floor's.  Median and p99 are over
 * all samples.  (Unlike shmem.c, no placement bookkeeping: both sides
 * sleep in the kernel between messages, so a hand-off costs a wake-up
 * whether the peers share a CPU or not.)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <scmi/scmi.h>

#include "bench.h"

#define PER_ROUND 500 /* timed round trips per block */
#define WARMUP	  50  /* round trips before each block, not counted */

#define PP_QUIT 2 /* a ping of this value (a ping is 1) stops the child */

/* ---- the floor: a two-process eventfd ping-pong --------------------------- */

struct efd_pair {
	pid_t pid;
	int ping; /* the child reads it */
	int pong; /* the parent reads it */
};

static void __attribute__((noreturn)) efd_child(struct efd_pair *p)
{
	const uint64_t one = 1;
	uint64_t v;

	for (;;) {
		if (read(p->ping, &v, sizeof(v)) != (ssize_t)sizeof(v))
			_exit(1);
		if (v >= PP_QUIT)
			_exit(0);
		if (write(p->pong, &one, sizeof(one)) != (ssize_t)sizeof(one))
			_exit(1);
	}
}

static int efd_start(struct efd_pair *p)
{
	p->pid = 0;
	p->ping = eventfd(0, EFD_CLOEXEC);
	p->pong = eventfd(0, EFD_CLOEXEC);
	if (p->ping < 0 || p->pong < 0)
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (!p->pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		efd_child(p);
	}
	return 0;
}

/* Stop the child; its exit status (0: it stopped when told). */
static int efd_stop(struct efd_pair *p)
{
	const uint64_t quit = PP_QUIT;
	int st = 0;

	if (p->pid > 0) {
		if (write(p->ping, &quit, sizeof(quit)) != (ssize_t)sizeof(quit))
			kill(p->pid, SIGKILL);
		st = bench_reap(p->pid);
	}
	if (p->ping >= 0)
		close(p->ping);
	if (p->pong >= 0)
		close(p->pong);
	p->pid = 0;
	p->ping = p->pong = -1;
	return st;
}

/* WARMUP round trips, then @n timed ones into @v.  0 or -errno. */
static int efd_block(struct efd_pair *p, uint64_t *v, size_t n)
{
	const uint64_t one = 1;
	uint64_t got;

	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = now_ns();

		if (write(p->ping, &one, sizeof(one)) != (ssize_t)sizeof(one) ||
		    read(p->pong, &got, sizeof(got)) != (ssize_t)sizeof(got))
			return errno ? -errno : -EIO;
		if (i >= WARMUP)
			v[i - WARMUP] = now_ns() - t0;
	}
	return 0;
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

void bench_uio(size_t iters)
{
	const char *floor_name = "floor: eventfd ping-pong (2 procs)";
	const char *name = "uio:// round trip / eventfd";
	size_t per = PER_ROUND, rounds = (iters + per - 1) / per, n = rounds * per;
	uint64_t *fl = calloc(n, sizeof(*fl)), *rt = calloc(n, sizeof(*rt));
	uint64_t *fl_med = calloc(rounds, sizeof(*fl_med)), *rt_med = calloc(rounds, sizeof(*rt_med));
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR, .timeout_ms = 2000};
	struct efd_pair pp = {.ping = -1, .pong = -1};
	struct bench_sim sim = {0};
	struct scmi_stats before, after;
	struct scmi_handle *h = NULL;
	unsigned long failed = 0;
	int ret, first = 0;
	char dir[64], why[256], ratio[32];
	const char *args[] = {"--uio", dir, NULL};
	struct figure ff, fr;
	uint32_t expect;

	snprintf(dir, sizeof(dir), "/tmp/scmi-bench-uio-%d", (int)getpid());
	if (!fl || !rt || !fl_med || !rt_med) {
		print_failed(name, "no memory for the samples");
		goto out;
	}
	ret = efd_start(&pp);
	if (ret) {
		print_failed(floor_name, "eventfd/fork: %s", strerror(-ret));
		goto out;
	}
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
		ret = efd_block(&pp, fl + r * per, per);
		if (ret) {
			print_failed(floor_name, "eventfd: %s", strerror(-ret));
			goto out;
		}
		uio_block(h, expect, rt + r * per, per, &failed, &first);
		fl_med[r] = (uint64_t)summarize(fl + r * per, per).median;
		rt_med[r] = (uint64_t)summarize(rt + r * per, per).median;
	}
	stats_get(h, &after);
	ret = efd_stop(&pp);
	if (ret) {
		print_failed(floor_name, "the child process exited with status %d", ret);
		goto out;
	}
	ff = summarize(fl, n);
	print_line(floor_name, ff, "ns", 0);
	if (failed || commands_lost(&before, &after, why, sizeof(why))) {
		print_failed(name, "%lu of %zu commands failed (first: %s); %s", failed,
			     n + rounds * WARMUP, failed ? scmi_strerror(first) : "none", why);
		goto out;
	}
	fr = summarize(rt, n);
	{
		char med[32], p99[32];
		double m_fl = (double)median_u64(fl_med, rounds);

		snprintf(med, sizeof(med), "%.1f", fr.median);
		snprintf(p99, sizeof(p99), "%.1f", fr.p99);
		snprintf(ratio, sizeof(ratio), "-");
		if (m_fl > 0)
			snprintf(ratio, sizeof(ratio), "%.2fx",
				 (double)median_u64(rt_med, rounds) / m_fl);
		print_row(name, med, p99, "ns", ratio, "0");
	}
	print_row("uio:// target (not asserted)", "-", "-", "", "<=1.50x", "-");
out:
	efd_stop(&pp);
	if (h)
		scmi_close(h);
	bench_sim_stop(&sim);
	free(fl);
	free(rt);
	free(fl_med);
	free(rt_med);
}

#else /* the uio:// transport is not built: the floor alone */

void bench_uio(size_t iters)
{
	const char *floor_name = "floor: eventfd ping-pong (2 procs)";
	size_t per = PER_ROUND, rounds = (iters + per - 1) / per, n = rounds * per;
	uint64_t *fl = calloc(n, sizeof(*fl));
	struct efd_pair pp = {.ping = -1, .pong = -1};
	int ret;

	if (!fl) {
		print_failed(floor_name, "no memory for the samples");
		return;
	}
	ret = efd_start(&pp);
	for (size_t r = 0; r < rounds && !ret; r++)
		ret = efd_block(&pp, fl + r * per, per);
	if (ret) {
		print_failed(floor_name, "eventfd: %s", strerror(-ret));
	} else if ((ret = efd_stop(&pp))) {
		print_failed(floor_name, "the child process exited with status %d", ret);
	} else {
		print_line(floor_name, summarize(fl, n), "ns", 0);
	}
	efd_stop(&pp);
	free(fl);
	print_row("uio:// round trip", "-", "-", "", "-", "-");
	printf("  (skipped: uio:// transport not built)\n");
}

#endif

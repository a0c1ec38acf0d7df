// SPDX-License-Identifier: BSD-3-Clause
/*
 * The virtio-vfio-user:// round trip against `scmi-sim --vfio-user` in
 * another process, its floor measured in the same run, and the same
 * command over loopback:// beside it.
 *
 *   floor     a two-process ping-pong carrying one message through a ring
 *             in shared memory: one request slot and one response slot,
 *             each with an index, in a MAP_SHARED page, and two eventfds
 *             (inherited across fork), one each way.  The parent writes a
 *             message into the request slot, bumps its index and writes
 *             the child's eventfd; the child, blocked in read() on it,
 *             checks the index, reads the message, writes a reply into the
 *             response slot, bumps its index and writes the parent's
 *             eventfd, on which the parent blocks in read().  What a
 *             virtqueue round trip costs at least between two processes
 *             that sleep in the kernel (a doorbell one way, an interrupt
 *             the other), before any vfio-user, virtio or SCMI work.
 *
 * The figure: PROTOCOL_VERSION of the Base protocol through
 * scmi_raw_command() on a virtio-vfio-user:// handle opened on the URI that
 * an `scmi-sim --vfio-user SOCKET` child prints, the reply checked against
 * the version found at discovery.  The target is a round trip within 1.5x
 * the floor; it is printed, not asserted.  Beside it, the same command over
 * loopback:// (the simulator in the agent's process): what the SCMI work
 * costs without a transport between processes.
 *
 * Rounds: floor, virtio and loopback are measured in interleaved blocks
 * (PER_ROUND round trips each after WARMUP untimed ones), so that a change
 * in the machine's load hits all alike; a ratio is the median of the
 * figure's block medians over the median of the floor's.  Median and p99
 * are over all samples.  (As in uio.c, no placement bookkeeping: every
 * peer sleeps in the kernel between messages.)
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <scmi/scmi.h>

#include "bench.h"

#define PER_ROUND 500 /* timed round trips per block */
#define WARMUP	  50  /* round trips before each block, not counted */
#define MSG_SIZE  28  /* a Base PROTOCOL_VERSION response and then some */

/* ---- the floor: a ring in shared memory and two eventfds ------------------ */

struct ring_slot {
	_Atomic uint32_t idx;
	uint32_t len;
	uint8_t msg[MSG_SIZE];
};

struct ring {
	struct ring_slot req, resp; /* written by the parent, by the child */
};

struct rp {
	const char *name;
	pid_t pid;
	struct ring *ring;
	int to_child, to_parent; /* eventfds */
};

static int efd_write(int fd)
{
	uint64_t one = 1;

	return write(fd, &one, sizeof(one)) == (ssize_t)sizeof(one) ? 0 : -1;
}

static int efd_read(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : -1;
}

/* The child: every request with a new index gets its bytes back, each
 * one's complement (a zero-length request stops it). */
static void __attribute__((noreturn)) rp_child(struct rp *p)
{
	struct ring *r = p->ring;
	uint32_t seen = 0;

	for (;;) {
		uint32_t idx, len;

		if (efd_read(p->to_child))
			_exit(1);
		idx = atomic_load_explicit(&r->req.idx, memory_order_acquire);
		if (idx == seen)
			continue; /* nothing new */
		seen = idx;
		len = r->req.len;
		if (!len)
			_exit(0);
		if (len > MSG_SIZE)
			_exit(2);
		for (uint32_t i = 0; i < len; i++)
			r->resp.msg[i] = (uint8_t)~r->req.msg[i];
		r->resp.len = len;
		atomic_store_explicit(&r->resp.idx, idx, memory_order_release);
		if (efd_write(p->to_parent))
			_exit(1);
	}
}

static int rp_start(struct rp *p)
{
	void *m;

	*p = (struct rp){
		.name = "floor: ring+eventfd pp (2 procs)", .to_child = -1, .to_parent = -1};
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	p->ring = m;
	p->to_child = eventfd(0, EFD_CLOEXEC);
	p->to_parent = eventfd(0, EFD_CLOEXEC);
	if (p->to_child < 0 || p->to_parent < 0)
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (!p->pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		rp_child(p);
	}
	return 0;
}

/* One message there and back.  0, or -1 (errno set). */
static int rp_roundtrip(struct rp *p, uint32_t seq)
{
	struct ring *r = p->ring;
	uint32_t len = 4 + seq % (MSG_SIZE - 3);

	for (uint32_t i = 0; i < len; i++)
		r->req.msg[i] = (uint8_t)(seq + i);
	r->req.len = len;
	atomic_store_explicit(&r->req.idx, seq, memory_order_release);
	if (efd_write(p->to_child) || efd_read(p->to_parent))
		return -1;
	if (atomic_load_explicit(&r->resp.idx, memory_order_acquire) != seq || r->resp.len != len ||
	    r->resp.msg[len - 1] != (uint8_t) ~(uint8_t)(seq + len - 1)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* Stop the child; its exit status (0: it stopped when told). */
static int rp_stop(struct rp *p, uint32_t seq)
{
	int st = 0;

	if (p->pid > 0) {
		p->ring->req.len = 0;
		atomic_store_explicit(&p->ring->req.idx, seq, memory_order_release);
		if (efd_write(p->to_child))
			kill(p->pid, SIGKILL);
		st = bench_reap(p->pid);
		p->pid = 0;
	}
	if (p->to_child >= 0)
		close(p->to_child);
	if (p->to_parent >= 0)
		close(p->to_parent);
	if (p->ring)
		munmap(p->ring, 4096);
	p->to_child = p->to_parent = -1;
	p->ring = NULL;
	return st;
}

/* WARMUP round trips, then @n timed ones into @v.  0, or -1 with a
 * FAILED line. */
static int rp_block(struct rp *p, uint32_t *seq, uint64_t *v, size_t n)
{
	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = now_ns();

		if (rp_roundtrip(p, ++*seq)) {
			print_failed(p->name, "ping-pong: %s", strerror(errno ? errno : EIO));
			return -1;
		}
		if (i >= WARMUP)
			v[i - WARMUP] = now_ns() - t0;
	}
	return 0;
}

#if defined(SCMI_BENCH_VIRTIO) && defined(SCMI_SIM_BIN)

/* ---- the figures: virtio-vfio-user:// and loopback:// --------------------- */

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

/* A handle's command block: WARMUP commands, then @n timed ones into @v.
 * Failures counted. */
struct cmd_run {
	const char *name;
	struct scmi_handle *h;
	uint32_t expect;
	struct scmi_stats before;
	unsigned long failed;
	int first;
};

static void cmd_block(struct cmd_run *c, uint64_t *v, size_t n)
{
	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = now_ns();
		int ret = bench_base_version(c->h, c->expect);

		if (i >= WARMUP)
			v[i - WARMUP] = now_ns() - t0;
		if (ret && !c->failed++)
			c->first = ret;
	}
}

static int cmd_open(struct cmd_run *c, const char *name, const char *uri)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR, .timeout_ms = 2000};
	int ret;

	c->name = name;
	ret = scmi_open(uri, &cfg, &c->h);
	if (ret) {
		print_failed(name, "scmi_open(%s): %s", uri, scmi_strerror(ret));
		c->h = NULL;
		return -1;
	}
	c->expect = (uint32_t)c->h->version->major_ver << 16 | c->h->version->minor_ver;
	stats_get(c->h, &c->before);
	return 0;
}

/* True (and a FAILED line) when the run lost commands. */
static bool cmd_lost(struct cmd_run *c, size_t total)
{
	struct scmi_stats after;
	char why[256];

	stats_get(c->h, &after);
	if (!commands_lost(&c->before, &after, why, sizeof(why)) && !c->failed)
		return false;
	print_failed(c->name, "%lu of %zu commands failed (first: %s); %s", c->failed, total,
		     c->failed ? scmi_strerror(c->first) : "none", why);
	return true;
}

/* A figure with its ratio to the floor: median of block medians over
 * median of block medians. */
static void print_ratio(const char *name, struct figure f, uint64_t *fig_med, uint64_t fl_med,
			size_t rounds)
{
	char med[32], p99[32], ratio[32] = "-";

	snprintf(med, sizeof(med), "%.1f", f.median);
	snprintf(p99, sizeof(p99), "%.1f", f.p99);
	if (fl_med)
		snprintf(ratio, sizeof(ratio), "%.2fx",
			 (double)median_u64(fig_med, rounds) / (double)fl_med);
	print_row(name, med, p99, "ns", ratio, "0");
}

void bench_virtio(size_t iters)
{
	size_t per = PER_ROUND, rounds = (iters + per - 1) / per, n = rounds * per;
	uint64_t *v[3], *med[3]; /* floor, virtio, loopback */
	struct cmd_run vio = {0}, lb = {0};
	struct bench_sim sim = {0};
	struct rp rp = {.pid = 0, .to_child = -1, .to_parent = -1};
	uint32_t seq = 0;
	char sock[64], why[256];
	const char *args[] = {"--vfio-user", sock, NULL};
	const char *name = "virtio-vfio-user:// round trip";

	for (int i = 0; i < 3; i++) {
		v[i] = calloc(n, sizeof(*v[i]));
		med[i] = calloc(rounds, sizeof(*med[i]));
	}
	snprintf(sock, sizeof(sock), "/tmp/scmi-bench-vfu-%d.sock", (int)getpid());
	if (!v[0] || !v[1] || !v[2] || !med[0] || !med[1] || !med[2]) {
		print_failed(name, "no memory for the samples");
		goto out;
	}
	{
		int ret = rp_start(&rp);

		if (ret) {
			print_failed(rp.name, "mmap/eventfd/fork: %s", strerror(-ret));
			goto out;
		}
	}
	if (bench_sim_start(&sim, args, why, sizeof(why))) {
		print_failed(name, "%s", why);
		goto out;
	}
	if (cmd_open(&vio, name, sim.uri) ||
	    cmd_open(&lb, "loopback:// same command", "loopback://"))
		goto out;
	for (size_t r = 0; r < rounds; r++) {
		if (rp_block(&rp, &seq, v[0] + r * per, per))
			goto out;
		cmd_block(&vio, v[1] + r * per, per);
		cmd_block(&lb, v[2] + r * per, per);
		for (int i = 0; i < 3; i++)
			med[i][r] = (uint64_t)summarize(v[i] + r * per, per).median;
	}
	{
		int st = rp_stop(&rp, ++seq);

		if (st) {
			print_failed(rp.name, "the child process exited with status %d", st);
			goto out;
		}
	}
	{
		bool lost = cmd_lost(&vio, n + rounds * WARMUP);

		if (cmd_lost(&lb, n + rounds * WARMUP) || lost)
			goto out;
	}
	{
		uint64_t fl = median_u64(med[0], rounds);

		print_line(rp.name, summarize(v[0], n), "ns", 0);
		print_ratio(name, summarize(v[1], n), med[1], fl, rounds);
		print_row("virtio target (not asserted)", "-", "-", "", "<=1.50x", "-");
		print_ratio(lb.name, summarize(v[2], n), med[2], fl, rounds);
	}
out:
	rp_stop(&rp, ++seq);
	if (vio.h)
		scmi_close(vio.h);
	if (lb.h)
		scmi_close(lb.h);
	bench_sim_stop(&sim);
	for (int i = 0; i < 3; i++) {
		free(v[i]);
		free(med[i]);
	}
}

#else /* no virtio-vfio-user:// transport or no scmi-sim: the floor alone */

void bench_virtio(size_t iters)
{
	size_t per = PER_ROUND, rounds = (iters + per - 1) / per, n = rounds * per;
	uint64_t *v = calloc(n, sizeof(*v));
	struct rp rp = {.pid = 0, .to_child = -1, .to_parent = -1};
	uint32_t seq = 0;
	int ret;

	if (!v) {
		print_failed("floor: ring+eventfd pp", "no memory for the samples");
		return;
	}
	ret = rp_start(&rp);
	if (ret) {
		print_failed(rp.name, "mmap/eventfd/fork: %s", strerror(-ret));
		goto out;
	}
	for (size_t r = 0; r < rounds; r++)
		if (rp_block(&rp, &seq, v + r * per, per))
			goto out;
	ret = rp_stop(&rp, ++seq);
	if (ret)
		print_failed(rp.name, "the child process exited with status %d", ret);
	else
		print_line(rp.name, summarize(v, n), "ns", 0);
out:
	rp_stop(&rp, ++seq);
	free(v);
	print_row("virtio-vfio-user:// round trip", "-", "-", "", "-", "-");
	printf("  (skipped: built without scmi-sim or the virtio-vfio-user:// transport)\n");
}

#endif

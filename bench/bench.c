// SPDX-License-Identifier: BSD-3-Clause
/*
 * libscmi benchmarks.  Each line: name, median, p99, unit, and the ratio of
 * the median to a floor measured in the same run with the same wake-up
 * primitives (ratios survive noisy machines; absolute times do not).  The
 * loopback:// figures are here; the shmem:// round trip against scmi-sim
 * and its own floors are in shmem.c, the uio:// one and the interrupt floor
 * in uio.c, the virtio-vfio-user:// one and the virtqueue floor in virtio.c.
 *
 *   bench [--quick] [PHASE...]
 *
 * PHASE: loopback, daemon, shmem, uio, virtio (default: all of them, in
 * that order; the memory-per-handle line belongs to loopback; daemon, the
 * daemon-loop figure of non-blocking requests, is in daemon.c).
 *
 * Floors:
 *   pingpong  a raw two-thread round trip: uv_async_send to a thread running
 *             a libuv loop, answered through a mutex + condition variable --
 *             what a loopback command costs before any SCMI work.
 *   semwake   a uv_sem_post -> uv_sem_wait hand-off between two threads --
 *             what a notification costs to reach its delivery thread.
 *
 * The program is linked with --wrap=malloc/calloc/realloc so that it can
 * count libscmi's heap allocations in steady state.
 *
 * No false figures: a phase that loses work -- a command that fails, times
 * out or gets a wrong reply, an event dropped or never delivered -- prints a
 * FAILED line saying what was lost instead of its figure, and the program
 * exits 1.  Waits are bounded (WAIT_LIMIT_NS) and stop as soon as the
 * counters show that what they wait for was dropped.
 */
#include <malloc.h>
#include <pthread.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include <scmi-sim/loopback.h>
#include <scmi/scmi.h>

#include "../tests/agent_testproto.h"
#include "bench.h"

/* ---- allocation counting ------------------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static atomic_ulong allocs;

void *__wrap_malloc(size_t n)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
	return __real_realloc(p, n);
}

unsigned long bench_allocs(void)
{
	return atomic_load(&allocs);
}

/* ---- helpers ------------------------------------------------------------------- */

/* Figures that could not be measured: the program exits non-zero. */
static unsigned int failures;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct figure summarize(uint64_t *v, size_t n)
{
	struct figure f;

	qsort(v, n, sizeof(*v), cmp_u64);
	f.median = (double)v[n / 2];
	f.p99 = (double)v[n * 99 / 100];
	return f;
}

#define LINE_FMT "%-34s %12s %12s %-8s %9s %6s\n"

void print_row(const char *name, const char *median, const char *p99, const char *unit,
	       const char *ratio, const char *lost)
{
	printf(LINE_FMT, name, median, p99, unit, ratio, lost);
	fflush(stdout);
}

void print_line(const char *name, struct figure f, const char *unit, double floor)
{
	char med[32], p99[32], ratio[32] = "-";

	snprintf(med, sizeof(med), "%.1f", f.median);
	snprintf(p99, sizeof(p99), "%.1f", f.p99);
	if (floor > 0)
		snprintf(ratio, sizeof(ratio), "%.2fx", f.median / floor);
	print_row(name, med, p99, unit, ratio, "0");
}

/* A figure without a distribution (rates, counts), with @decimals digits. */
void print_value(const char *name, int decimals, double v, const char *unit, double ratio,
		 const char *lost)
{
	char val[32], r[32] = "-";

	snprintf(val, sizeof(val), "%.*f", decimals, v);
	if (ratio > 0)
		snprintf(r, sizeof(r), "%.2fx", ratio);
	print_row(name, val, "-", unit, r, lost);
}

/* The figure @name cannot be trusted: say why, print no number, and make
 * the program exit non-zero. */
void print_failed(const char *name, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("%-34s FAILED: %s\n", name, why);
	fflush(stdout);
	fprintf(stderr, "bench: %s: FAILED: %s\n", name, why);
	failures++;
}

void stats_get(struct scmi_handle *h, struct scmi_stats *st)
{
	if (scmi_stats_get(h, st)) {
		fprintf(stderr, "bench: scmi_stats_get failed\n");
		exit(1);
	}
}

/*
 * Commands the handle lost between two snapshots (timeouts, replies dropped,
 * no free xfer), described into @why; 0 when none.
 */
uint64_t commands_lost(const struct scmi_stats *a, const struct scmi_stats *b, char *why,
		       size_t size)
{
	uint64_t timeouts = b->timeouts - a->timeouts,
		 dresp = b->dresp_timeouts - a->dresp_timeouts;
	uint64_t drops = (b->drop_unknown_token - a->drop_unknown_token) +
			 (b->drop_bad_state - a->drop_bad_state) +
			 (b->drop_bad_length - a->drop_bad_length) +
			 (b->drop_bad_type - a->drop_bad_type);
	uint64_t exhausted = b->xfer_exhausted - a->xfer_exhausted;

	snprintf(why, size,
		 "%llu timeouts, %llu delayed-response timeouts, %llu replies dropped, "
		 "%llu commands without an xfer",
		 (unsigned long long)timeouts, (unsigned long long)dresp, (unsigned long long)drops,
		 (unsigned long long)exhausted);
	return timeouts + dresp + drops + exhausted;
}

/* ---- floor 1: async + condvar ping-pong ---------------------------------------- */

struct pingpong {
	uv_loop_t loop;
	uv_async_t ping, quit;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool ponged;
};

static void pp_ping(uv_async_t *a)
{
	struct pingpong *p = a->data;

	pthread_mutex_lock(&p->lock);
	p->ponged = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void pp_quit(uv_async_t *a)
{
	struct pingpong *p = a->data;

	uv_close((uv_handle_t *)&p->ping, NULL);
	uv_close((uv_handle_t *)&p->quit, NULL);
}

static void *pp_thread(void *arg)
{
	uv_run(&((struct pingpong *)arg)->loop, UV_RUN_DEFAULT);
	return NULL;
}

static struct figure floor_pingpong(size_t iters)
{
	struct pingpong p = {.ponged = false};
	uint64_t *v = calloc(iters, sizeof(*v));
	pthread_t th;
	struct figure f;

	uv_loop_init(&p.loop);
	uv_async_init(&p.loop, &p.ping, pp_ping);
	uv_async_init(&p.loop, &p.quit, pp_quit);
	p.ping.data = p.quit.data = &p;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	pthread_create(&th, NULL, pp_thread, &p);
	for (size_t i = 0; i < iters; i++) {
		uint64_t t0 = now_ns();

		uv_async_send(&p.ping);
		pthread_mutex_lock(&p.lock);
		while (!p.ponged)
			pthread_cond_wait(&p.cond, &p.lock);
		p.ponged = false;
		pthread_mutex_unlock(&p.lock);
		v[i] = now_ns() - t0;
	}
	uv_async_send(&p.quit);
	pthread_join(th, NULL);
	uv_loop_close(&p.loop);
	f = summarize(v, iters);
	free(v);
	return f;
}

/* ---- floor 2: semaphore hand-off ------------------------------------------------- */

struct semwake {
	uv_sem_t go;
	uv_sem_t back;
	_Atomic uint64_t t0;
	uint64_t *v;
	size_t iters;
};

static void *sw_thread(void *arg)
{
	struct semwake *s = arg;

	for (size_t i = 0; i < s->iters; i++) {
		uv_sem_wait(&s->go);
		s->v[i] = now_ns() - atomic_load(&s->t0);
		uv_sem_post(&s->back);
	}
	return NULL;
}

static struct figure floor_semwake(size_t iters)
{
	struct semwake s = {.iters = iters};
	pthread_t th;
	struct figure f;

	s.v = calloc(iters, sizeof(*s.v));
	uv_sem_init(&s.go, 0);
	uv_sem_init(&s.back, 0);
	pthread_create(&th, NULL, sw_thread, &s);
	for (size_t i = 0; i < iters; i++) {
		atomic_store(&s.t0, now_ns());
		uv_sem_post(&s.go);
		uv_sem_wait(&s.back);
	}
	pthread_join(th, NULL);
	f = summarize(s.v, iters);
	free(s.v);
	return f;
}

/* ---- commands ---------------------------------------------------------------------- */

#define TP	    0xF0
#define TP_ECHO	    0x3
#define EVT_BATCH   1000u /* events per emission, at most */
#define WARMUP_CMDS 1000u

static struct scmi_handle *open_bench(const char *uri, unsigned int depth)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR, .event_queue_depth = depth};
	struct scmi_handle *h;
	int ret = scmi_open(uri, &cfg, &h);

	if (ret) {
		fprintf(stderr, "bench: scmi_open(%s): %s\n", uri, scmi_strerror(ret));
		exit(1);
	}
	ret = tp_register_events(h, TP);
	if (ret) {
		fprintf(stderr, "bench: test protocol setup failed: %s\n", scmi_strerror(ret));
		exit(1);
	}
	return h;
}

static void trace_noop(void *priv, const struct scmi_trace_record *rec)
{
	(void)priv;
	(void)rec;
}

/* One ECHO command; a reply that is not the request is an error too. */
static int echo(struct scmi_handle *h, uint32_t v)
{
	uint8_t tx[4], rx[4];
	size_t len;
	int ret;

	memcpy(tx, &v, 4);
	ret = scmi_raw_command(h, TP, TP_ECHO, tx, 4, rx, 4, &len);
	if (!ret && (len != 4 || memcmp(rx, tx, 4)))
		ret = -EPROTO;
	return ret;
}

/* Commands that failed in a phase, and the first error. */
struct cmd_errors {
	atomic_ulong n;
	atomic_int first;
};

static void cmd_error(struct cmd_errors *e, int ret)
{
	int none = 0;

	atomic_fetch_add(&e->n, 1);
	atomic_compare_exchange_strong(&e->first, &none, ret);
}

/* True (and a FAILED line) when the phase lost commands. */
static bool commands_failed(const char *name, struct cmd_errors *err, size_t total,
			    const struct scmi_stats *before, struct scmi_handle *h)
{
	unsigned long n = atomic_load(&err->n);
	struct scmi_stats after;
	char why[200];
	uint64_t lost;

	stats_get(h, &after);
	lost = commands_lost(before, &after, why, sizeof(why));
	if (!n && !lost)
		return false;
	print_failed(name, "%lu of %zu commands failed (first: %s); %s", n, total,
		     n ? scmi_strerror(atomic_load(&err->first)) : "none", why);
	return true;
}

/* Sync round trip: median and p99 per command, and heap allocations. */
static double bench_roundtrip(struct scmi_handle *h, const char *name, size_t iters, double floor)
{
	uint64_t *v = calloc(iters, sizeof(*v));
	struct cmd_errors err = {0};
	struct scmi_stats before;
	unsigned long a0;
	double allocs_per_op, median = 0;
	struct figure f;
	int ret;

	stats_get(h, &before);
	for (size_t i = 0; i < WARMUP_CMDS; i++)
		if ((ret = echo(h, (uint32_t)i)))
			cmd_error(&err, ret);
	a0 = atomic_load(&allocs);
	for (size_t i = 0; i < iters; i++) {
		uint64_t t0 = now_ns();

		if ((ret = echo(h, (uint32_t)i)))
			cmd_error(&err, ret);
		v[i] = now_ns() - t0;
	}
	allocs_per_op = (double)(atomic_load(&allocs) - a0) / (double)iters;
	if (!commands_failed(name, &err, iters + WARMUP_CMDS, &before, h)) {
		f = summarize(v, iters);
		print_line(name, f, "ns", floor);
		print_value("heap allocations per command", 3, allocs_per_op, "allocs", 0, "0");
		median = f.median;
	}
	free(v);
	return median;
}

struct tput {
	struct scmi_handle *h;
	size_t n;
	struct cmd_errors err;
};

static void *tput_thread(void *arg)
{
	struct tput *t = arg;
	int ret;

	for (size_t i = 0; i < t->n; i++)
		if ((ret = echo(t->h, (uint32_t)i)))
			cmd_error(&t->err, ret);
	return NULL;
}

/* Commands per second with @nthreads callers; 0 when the run lost any. */
static double bench_throughput(struct scmi_handle *h, int nthreads, size_t per_thread,
			       double single)
{
	struct tput t = {.h = h, .n = per_thread};
	struct scmi_stats before;
	pthread_t th[16];
	char name[64];
	uint64_t t0, dt;
	int started = 0;
	double tput;

	snprintf(name, sizeof(name), "throughput, %d caller%s", nthreads, nthreads > 1 ? "s" : "");
	stats_get(h, &before);
	t0 = now_ns();
	for (; started < nthreads; started++)
		if (pthread_create(&th[started], NULL, tput_thread, &t))
			break;
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	dt = now_ns() - t0;
	if (started < nthreads) {
		print_failed(name, "could start only %d of %d threads", started, nthreads);
		return 0;
	}
	if (commands_failed(name, &t.err, (size_t)nthreads * per_thread, &before, h))
		return 0;
	tput = (double)nthreads * (double)per_thread / ((double)dt / 1e9);
	print_value(name, 0, tput, "cmd/s", single > 0 ? tput / single : 1.0, "0");
	return tput;
}

/* ---- notifications ------------------------------------------------------------------- */

struct evbench {
	struct scmi_notifier_block nb;
	struct scmi_handle *h;
	atomic_ulong calls;
	uint64_t *rx_to_cb; /* RX timestamp -> callback */
	size_t cap;
	/* The protocol's event counters when the phase started. */
	struct scmi_event_stats base;
};

static int ev_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct evbench *e = scmi_container_of(nb, struct evbench, nb);
	const struct tp_report *r = report;
	unsigned long i = atomic_load_explicit(&e->calls, memory_order_relaxed);

	(void)evt;
	if (i < e->cap)
		e->rx_to_cb[i] = now_ns() - r->hdr.timestamp;
	atomic_store_explicit(&e->calls, i + 1, memory_order_release);
	return SCMI_NOTIFY_OK;
}

static void event_stats(struct scmi_handle *h, struct scmi_event_stats *st)
{
	if (scmi_event_stats_get(h, TP, st)) {
		fprintf(stderr, "bench: scmi_event_stats_get failed\n");
		exit(1);
	}
}

/* Events of the phase dropped so far: they will never reach the callback. */
static uint64_t events_dropped(const struct evbench *e, const struct scmi_event_stats *now)
{
	return (now->dropped_queue_full - e->base.dropped_queue_full) +
	       (now->dropped_no_handler - e->base.dropped_no_handler) +
	       (now->dropped_malformed - e->base.dropped_malformed);
}

/*
 * Wait until the callback has run @n times.  Returns 0; -EPIPE as soon as an
 * event of the phase was dropped (waiting for it would be waiting for
 * something that cannot come); -ETIMEDOUT after WAIT_LIMIT_NS.
 */
static int wait_calls(struct evbench *e, unsigned long n)
{
	struct scmi_event_stats now;
	uint64_t end = 0;

	for (unsigned int spins = 0;; spins++) {
		if (atomic_load_explicit(&e->calls, memory_order_acquire) >= n)
			return 0;
		if ((spins & 63) == 63) {
			event_stats(e->h, &now);
			if (events_dropped(e, &now))
				return -EPIPE;
			if (!end)
				end = now_ns() + WAIT_LIMIT_NS;
			else if (now_ns() > end)
				return -ETIMEDOUT;
		}
		sched_yield();
	}
}

/* A FAILED line saying what the phase lost. */
static void events_failed(const char *name, const struct evbench *e, const char *what,
			  unsigned long want)
{
	struct scmi_event_stats now;

	event_stats(e->h, &now);
	print_failed(name,
		     "%s: %lu of %lu events reached the callback; %llu lost (queue full %llu, "
		     "no handler %llu, malformed %llu); queue depth %u, high water %u",
		     what, atomic_load(&e->calls), want,
		     (unsigned long long)events_dropped(e, &now),
		     (unsigned long long)(now.dropped_queue_full - e->base.dropped_queue_full),
		     (unsigned long long)(now.dropped_no_handler - e->base.dropped_no_handler),
		     (unsigned long long)(now.dropped_malformed - e->base.dropped_malformed),
		     now.queue_depth, now.queue_high_water);
}

static const char *wait_error(int ret)
{
	return ret == -ETIMEDOUT ? "timed out after 10 s" : "events dropped";
}

/* Emit @count events of (evt, src); false (and a FAILED line) when the
 * simulator did not send them all. */
static bool emit(const char *name, struct evbench *e, uint8_t evt, uint32_t src, uint32_t count)
{
	int sent = tp_emit(e->h, TP, evt, src, count, 0);

	if (sent == (int)count)
		return true;
	print_failed(name, "the simulator sent %d of %u events", sent, count);
	return false;
}

/* One event at a time: emission (sim thread) -> callback, and RX -> callback. */
static void bench_event_latency(struct scmi_handle *h, size_t iters, double pp_floor,
				double sw_floor)
{
	const char *name = "event: platform emit -> callback";
	struct evbench e = {.nb.notifier_call = ev_cb, .h = h, .cap = iters};
	const unsigned long warmup = 100;
	uint64_t *v = calloc(iters, sizeof(*v));
	struct scmi_event_stats end;
	double allocs_per_event;
	uint32_t src = 0;
	unsigned long a0;
	int ret;

	e.rx_to_cb = calloc(iters, sizeof(*e.rx_to_cb));
	event_stats(h, &e.base);
	ret = h->notify_ops->event_notifier_register(h, TP, 0, &src, &e.nb);
	if (ret) {
		print_failed(name, "cannot register: %s", scmi_strerror(ret));
		goto out;
	}
	for (unsigned long i = 0; i < warmup; i++) { /* warm up the delivery thread */
		if (!emit(name, &e, 0, 0, 1))
			goto unregister;
		if ((ret = wait_calls(&e, i + 1))) {
			events_failed(name, &e, wait_error(ret), i + 1);
			goto unregister;
		}
	}
	atomic_store(&e.calls, 0);
	a0 = atomic_load(&allocs);
	for (size_t i = 0; i < iters; i++) {
		uint64_t t0 = now_ns();

		if (!emit(name, &e, 0, 0, 1))
			goto unregister;
		if ((ret = wait_calls(&e, i + 1))) {
			events_failed(name, &e, wait_error(ret), i + 1);
			goto unregister;
		}
		v[i] = now_ns() - t0;
	}
	/* tp_emit itself hands a call to the sim thread: subtract nothing,
	 * but the RX -> callback figure isolates the delivery path. */
	allocs_per_event = (double)(atomic_load(&allocs) - a0) / (double)iters;
	event_stats(h, &end);
	if (events_dropped(&e, &end) || end.received - e.base.received != iters + warmup) {
		events_failed(name, &e, "events lost", iters);
		goto unregister;
	}
	print_line(name, summarize(v, iters), "ns", pp_floor);
	print_line("event: RX -> callback", summarize(e.rx_to_cb, iters), "ns", sw_floor);
	print_value("heap allocations per event", 3, allocs_per_event, "allocs", 0, "0");
unregister:
	h->notify_ops->event_notifier_unregister(h, TP, 0, &src, &e.nb);
out:
	free(v);
	free(e.rx_to_cb);
}

/*
 * A stream of @n events: events per second delivered to a callback.  This
 * measures delivery, not drops: a batch is emitted only once the queue has
 * room for all of it, so a run that drops an event is a failed run.
 */
static void bench_event_throughput(struct scmi_handle *h, uint32_t n)
{
	const char *name = "event throughput (one protocol)";
	struct evbench e = {.nb.notifier_call = ev_cb, .h = h, .cap = 0};
	struct scmi_event_stats end;
	uint32_t src = 1, batch;
	uint64_t t0;
	char lost[32];
	int ret;

	event_stats(h, &e.base);
	ret = h->notify_ops->event_notifier_register(h, TP, 1, &src, &e.nb);
	if (ret) {
		print_failed(name, "cannot register: %s", scmi_strerror(ret));
		return;
	}
	/* Slots are freed after the callback returns: the event whose callback
	 * runs may still hold one, hence the "+ 1" below. */
	batch = e.base.queue_depth / 4 ? e.base.queue_depth / 4 : 1;
	if (batch > EVT_BATCH)
		batch = EVT_BATCH;
	t0 = now_ns();
	for (uint32_t sent = 0; sent < n;) {
		uint32_t b = n - sent < batch ? n - sent : batch;

		/* Before emitting, not after: never more in flight than the
		 * queue holds. */
		if ((uint64_t)sent + b + 1 > e.base.queue_depth &&
		    (ret = wait_calls(&e, (unsigned long)sent + b + 1 - e.base.queue_depth))) {
			events_failed(name, &e, wait_error(ret), n);
			goto out;
		}
		if (!emit(name, &e, 1, 1, b))
			goto out;
		sent += b;
	}
	if ((ret = wait_calls(&e, n))) {
		events_failed(name, &e, wait_error(ret), n);
		goto out;
	}
	t0 = now_ns() - t0;
	event_stats(h, &end);
	if (events_dropped(&e, &end) || end.delivered - e.base.delivered != n) {
		events_failed(name, &e, "events lost", n);
		goto out;
	}
	snprintf(lost, sizeof(lost), "%llu", (unsigned long long)events_dropped(&e, &end));
	print_value(name, 0, (double)n / ((double)t0 / 1e9), "events/s", 0, lost);
	print_value("event queue high water", 0, end.queue_high_water, "events", 0, "-");
out:
	h->notify_ops->event_notifier_unregister(h, TP, 1, &src, &e.nb);
}

/* ---- memory per handle ----------------------------------------------------------------- */

static void bench_memory_per_handle(void)
{
	const char *name = "memory per loopback handle";
	struct scmi_handle *hs[8];
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR};
	size_t before = mallinfo2().uordblks, after;
	int opened = 0, ret = 0;

	for (; opened < 8; opened++)
		if ((ret = scmi_open("loopback://", &cfg, &hs[opened])))
			break;
	after = mallinfo2().uordblks;
	for (int i = 0; i < opened; i++)
		scmi_close(hs[i]);
	if (opened < 8) {
		print_failed(name, "scmi_open: %s", scmi_strerror(ret));
		return;
	}
	print_value(name, 1, (double)(after - before) / 8.0 / 1024.0, "KiB", 0, "-");
}

/* Whether the command line asks for @phase (all of them when it names none). */
static bool want(int argc, char **argv, int first, const char *phase)
{
	if (first >= argc)
		return true;
	for (int i = first; i < argc; i++)
		if (!strcmp(argv[i], phase))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && !strcmp(argv[1], "--quick");
	int first = quick ? 2 : 1;
	size_t iters = quick ? 2000 : 20000;
	struct figure pp, sw;
	double single;
	struct scmi_handle *h;

	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], "loopback") && strcmp(argv[i], "daemon") &&
		    strcmp(argv[i], "shmem") && strcmp(argv[i], "uio") &&
		    strcmp(argv[i], "virtio")) {
			fprintf(stderr,
				"usage: bench [--quick] [loopback|daemon|shmem|uio|virtio ...]\n");
			return 2;
		}
	}
	print_row("figure", "median", "p99", "unit", "ratio", "lost");
	if (want(argc, argv, first, "loopback")) {
		floor_pingpong(iters / 4); /* warm up (CPU frequency, caches) */
		pp = floor_pingpong(iters);
		print_line("floor: async+cond ping-pong", pp, "ns", 0);
		sw = floor_semwake(iters);
		print_line("floor: semaphore hand-off", sw, "ns", 0);

		h = open_bench("loopback://?max_msg=64&test_protocols=0xF0:4", 4096);
		bench_roundtrip(h, "sync command round trip", iters, pp.median);
		/* The trace points' cost: a hook that does nothing, then none. */
		scmi_trace_set(h, trace_noop, NULL);
		bench_roundtrip(h, "round trip, no-op trace hook", iters, pp.median);
		scmi_trace_set(h, NULL, NULL);
		bench_roundtrip(h, "round trip, hook removed", iters, pp.median);

		single = bench_throughput(h, 1, iters, 0);
		for (int n = 2; n <= 8; n *= 2)
			bench_throughput(h, n, iters / (size_t)n, single);

		bench_event_latency(h, iters / 2, pp.median, sw.median);
		bench_event_throughput(h, quick ? 20000 : 200000);
		scmi_close(h);
		tp_cleanup();
	}
	if (want(argc, argv, first, "daemon"))
		bench_daemon();
	if (want(argc, argv, first, "shmem"))
		bench_shmem(iters);
	if (want(argc, argv, first, "uio"))
		bench_uio(iters);
	if (want(argc, argv, first, "virtio"))
		bench_virtio(iters);

	if (want(argc, argv, first, "loopback"))
		bench_memory_per_handle();
	if (failures) {
		fprintf(stderr, "bench: %u figure%s FAILED: the run lost work (see above)\n",
			failures, failures > 1 ? "s" : "");
		return 1;
	}
	return 0;
}

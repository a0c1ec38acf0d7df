// SPDX-License-Identifier: BSD-3-Clause
/*
 * libscmi benchmarks.  Each line: name, median, p99, unit, and the ratio of
 * the median to a floor measured in the same run with the same wake-up
 * primitives (ratios survive noisy machines; absolute times do not).
 *
 *   bench [--quick]
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
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include <scmi/loopback.h>
#include <scmi/scmi.h>

#include "../tests/agent_testproto.h"

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

/* ---- helpers ------------------------------------------------------------------- */

static uint64_t now_ns(void)
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

struct figure {
	double median, p99;
};

static struct figure summarize(uint64_t *v, size_t n)
{
	struct figure f;

	qsort(v, n, sizeof(*v), cmp_u64);
	f.median = (double)v[n / 2];
	f.p99 = (double)v[n * 99 / 100];
	return f;
}

static void print_line(const char *name, struct figure f, const char *unit, double floor)
{
	if (floor > 0)
		printf("%-34s %12.1f %12.1f %-8s %8.2fx\n", name, f.median, f.p99, unit,
		       f.median / floor);
	else
		printf("%-34s %12.1f %12.1f %-8s %9s\n", name, f.median, f.p99, unit, "-");
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

#define TP 0xF0

static struct scmi_handle *open_bench(const char *uri, unsigned int depth)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR, .event_queue_depth = depth};
	struct scmi_handle *h;
	int ret = scmi_open(uri, &cfg, &h);

	if (ret) {
		fprintf(stderr, "scmi_open(%s): %s\n", uri, scmi_strerror(ret));
		exit(1);
	}
	if (tp_add(h, TP, 4) || tp_register_events(h, TP)) {
		fprintf(stderr, "test protocol setup failed\n");
		exit(1);
	}
	return h;
}

static int echo(struct scmi_handle *h, uint32_t v)
{
	uint8_t tx[4], rx[4];
	size_t len;

	memcpy(tx, &v, 4);
	return scmi_raw_command(h, TP, 0x3, tx, 4, rx, 4, &len);
}

static struct figure bench_roundtrip(struct scmi_handle *h, size_t iters, double *allocs_per_op)
{
	uint64_t *v = calloc(iters, sizeof(*v));
	unsigned long a0;
	struct figure f;

	for (size_t i = 0; i < 1000; i++) /* warm up */
		echo(h, (uint32_t)i);
	a0 = atomic_load(&allocs);
	for (size_t i = 0; i < iters; i++) {
		uint64_t t0 = now_ns();

		if (echo(h, (uint32_t)i)) {
			fprintf(stderr, "echo failed\n");
			exit(1);
		}
		v[i] = now_ns() - t0;
	}
	*allocs_per_op = (double)(atomic_load(&allocs) - a0) / (double)iters;
	f = summarize(v, iters);
	free(v);
	return f;
}

struct tput {
	struct scmi_handle *h;
	size_t n;
};

static void *tput_thread(void *arg)
{
	struct tput *t = arg;

	for (size_t i = 0; i < t->n; i++)
		echo(t->h, (uint32_t)i);
	return NULL;
}

/* Commands per second with @nthreads callers. */
static double bench_throughput(struct scmi_handle *h, int nthreads, size_t per_thread)
{
	pthread_t th[16];
	struct tput t = {h, per_thread};
	uint64_t t0 = now_ns(), dt;

	for (int i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, tput_thread, &t);
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	dt = now_ns() - t0;
	return (double)nthreads * (double)per_thread / ((double)dt / 1e9);
}

/* ---- notifications ------------------------------------------------------------------- */

struct evbench {
	struct scmi_notifier_block nb;
	atomic_ulong calls;
	uint64_t *rx_to_cb; /* RX timestamp -> callback */
	size_t cap;
};

static int ev_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct evbench *e = (struct evbench *)nb;
	const struct tp_report *r = report;
	unsigned long i = atomic_load_explicit(&e->calls, memory_order_relaxed);

	if (i < e->cap)
		e->rx_to_cb[i] = now_ns() - r->timestamp;
	atomic_store_explicit(&e->calls, i + 1, memory_order_release);
	return SCMI_NOTIFY_OK;
}

static void wait_calls(struct evbench *e, unsigned long n)
{
	uint64_t end = now_ns() + 30ull * 1000000000ull;

	while (atomic_load_explicit(&e->calls, memory_order_acquire) < n && now_ns() < end)
		sched_yield();
}

/* One event at a time: emission (sim thread) -> callback, and RX -> callback. */
static void bench_event_latency(struct scmi_handle *h, size_t iters, struct figure *emit_cb,
				struct figure *rx_cb, double *allocs_per_event)
{
	struct evbench e = {.nb.notifier_call = ev_cb, .cap = iters};
	uint64_t *v = calloc(iters, sizeof(*v));
	uint32_t src = 0;
	unsigned long a0;

	e.rx_to_cb = calloc(iters, sizeof(*e.rx_to_cb));
	h->notify_ops->event_notifier_register(h, TP, 0, &src, &e.nb);
	for (int i = 0; i < 100; i++) { /* warm up the delivery thread */
		tp_emit(h, TP, 0, 0, 1, 0);
		wait_calls(&e, (unsigned long)i + 1);
	}
	atomic_store(&e.calls, 0);
	a0 = atomic_load(&allocs);
	for (size_t i = 0; i < iters; i++) {
		uint64_t t0 = now_ns();

		tp_emit(h, TP, 0, 0, 1, 0);
		wait_calls(&e, i + 1);
		v[i] = now_ns() - t0;
	}
	/* tp_emit itself hands a call to the sim thread: subtract nothing,
	 * but the RX -> callback figure isolates the delivery path. */
	*allocs_per_event = (double)(atomic_load(&allocs) - a0) / (double)iters;
	*emit_cb = summarize(v, iters);
	*rx_cb = summarize(e.rx_to_cb, iters);
	h->notify_ops->event_notifier_unregister(h, TP, 0, &src, &e.nb);
	free(v);
	free(e.rx_to_cb);
}

/* A burst of @n events: events per second delivered to a callback. */
static double bench_event_throughput(struct scmi_handle *h, uint32_t n)
{
	struct evbench e = {.nb.notifier_call = ev_cb, .cap = 0};
	uint32_t src = 1;
	uint64_t t0;

	h->notify_ops->event_notifier_register(h, TP, 1, &src, &e.nb);
	t0 = now_ns();
	for (uint32_t sent = 0; sent < n; sent += 1000) {
		tp_emit(h, TP, 1, 1, 1000, 0);
		/* Stay within the queue: this measures delivery, not drops. */
		wait_calls(&e, sent + 1000 > 4096 ? sent + 1000 - 4096 : 0);
	}
	wait_calls(&e, n);
	t0 = now_ns() - t0;
	h->notify_ops->event_notifier_unregister(h, TP, 1, &src, &e.nb);
	return (double)n / ((double)t0 / 1e9);
}

/* ---- memory per handle ----------------------------------------------------------------- */

static double bench_memory_per_handle(void)
{
	struct scmi_handle *hs[8];
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR};
	size_t before = mallinfo2().uordblks, after;

	for (int i = 0; i < 8; i++)
		if (scmi_open("loopback://", &cfg, &hs[i]))
			exit(1);
	after = mallinfo2().uordblks;
	for (int i = 0; i < 8; i++)
		scmi_close(hs[i]);
	return (double)(after - before) / 8.0 / 1024.0;
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && !strcmp(argv[1], "--quick");
	size_t iters = quick ? 2000 : 20000;
	struct figure pp, sw, rt, emit_cb, rx_cb;
	double rt_allocs, ev_allocs, single, tput;
	struct scmi_handle *h;

	printf("%-34s %12s %12s %-8s %9s\n", "figure", "median", "p99", "unit", "ratio");
	floor_pingpong(iters / 4); /* warm up (CPU frequency, caches) */
	pp = floor_pingpong(iters);
	print_line("floor: async+cond ping-pong", pp, "ns", 0);
	sw = floor_semwake(iters);
	print_line("floor: semaphore hand-off", sw, "ns", 0);

	h = open_bench("loopback://?max_msg=64", 4096);
	rt = bench_roundtrip(h, iters, &rt_allocs);
	print_line("sync command round trip", rt, "ns", pp.median);
	printf("%-34s %12.3f %12s %-8s\n", "heap allocations per command", rt_allocs, "-",
	       "allocs");

	single = bench_throughput(h, 1, iters);
	for (int n = 1; n <= 8; n *= 2) {
		char name[64];

		tput = n == 1 ? single : bench_throughput(h, n, iters / (size_t)n);
		snprintf(name, sizeof(name), "throughput, %d caller%s", n, n > 1 ? "s" : "");
		printf("%-34s %12.0f %12s %-8s %8.2fx\n", name, tput, "-", "cmd/s", tput / single);
	}

	bench_event_latency(h, iters / 2, &emit_cb, &rx_cb, &ev_allocs);
	print_line("event: platform emit -> callback", emit_cb, "ns", pp.median);
	print_line("event: RX -> callback", rx_cb, "ns", sw.median);
	printf("%-34s %12.3f %12s %-8s\n", "heap allocations per event", ev_allocs, "-", "allocs");
	tput = bench_event_throughput(h, quick ? 20000 : 200000);
	printf("%-34s %12.0f %12s %-8s\n", "event throughput (one protocol)", tput, "-",
	       "events/s");
	scmi_close(h);
	tp_cleanup();

	printf("%-34s %12.1f %12s %-8s\n", "memory per loopback handle", bench_memory_per_handle(),
	       "-", "KiB");
	return 0;
}

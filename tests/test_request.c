// SPDX-License-Identifier: BSD-3-Clause
/*
 * Non-blocking requests (scmi/request.h) against the simulator: results
 * equal the blocking ops', many requests beyond max_msg, completion exactly
 * once under timeouts, cancellation and close, immediate completions, the
 * three places callbacks run (libscmi's thread, the caller's libuv loop,
 * scmi_dispatch() on a pollable fd), notifications through scmi_dispatch(),
 * and refusals (request in use, bad arguments, closing).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <uv.h>

#include "helpers.h"

#define S_SOC_TEMP 1 /* sync reads only */
#define S_POWER	   3 /* async reads (delayed response) */

struct rq {
	struct scmi_req req;
	int64_t value;
	atomic_int calls;
	int status;
	pthread_t thread;
};

static atomic_int total_calls;

static void rq_done(struct scmi_req *req)
{
	struct rq *q = req->data;

	q->status = req->status;
	q->thread = pthread_self();
	atomic_fetch_add(&q->calls, 1);
	atomic_fetch_add(&total_calls, 1);
}

static void rq_init(struct rq *q, size_t n)
{
	memset(q, 0, n * sizeof(*q));
	for (size_t i = 0; i < n; i++)
		q[i].req.data = &q[i];
	atomic_store(&total_calls, 0);
}

static bool all_called(void *arg)
{
	return atomic_load(&total_calls) >= *(int *)arg;
}

static void wait_calls(int n, unsigned int ms)
{
	cr_assert(test_wait_until(all_called, &n, ms), "%d of %d callbacks ran",
		  atomic_load(&total_calls), n);
}

static int read_async(struct scmi_handle *h, struct rq *q, uint32_t id)
{
	return SCMI_ASYNC(&q->req, rq_done, h->sensor_ops->reading_get(h, id, &q->value));
}

static int pin(struct scmi_handle *h, uint32_t id, int64_t v)
{
	return scmi_sim_sensor_value_set(test_sim(h), id, &v, 1);
}

Test(request, results_equal_the_blocking_ops)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	struct rq q[2];
	int64_t v;

	cr_assert_geq(h->sensor_ops->count_get(h), 4); /* bring-up, blocking */
	cr_assert_geq(pin(h, S_SOC_TEMP, 4242), 0);
	cr_assert_geq(pin(h, S_POWER, -17), 0);
	rq_init(q, 2);
	cr_assert_eq(read_async(h, &q[0], S_SOC_TEMP), 0);
	cr_assert_eq(read_async(h, &q[1], S_POWER), 0); /* delayed response */
	wait_calls(2, 5000);
	cr_assert_eq(q[0].status, 0);
	cr_assert_eq(q[0].value, 4242);
	cr_assert_eq(q[1].status, 0);
	cr_assert_eq(q[1].value, -17);
	cr_assert_eq(h->sensor_ops->reading_get(h, S_POWER, &v), 0);
	cr_assert_eq(v, -17);
	/* The callbacks ran on libscmi's thread, not this one. */
	cr_assert(!pthread_equal(q[0].thread, pthread_self()));
	cr_assert_eq(scmi_req_outstanding(h), 0);
	scmi_close(h);
}

Test(request, many_requests_beyond_max_msg_queue_without_blocking)
{
	struct scmi_handle *h = test_open("loopback://?max_msg=4&delay_us=200", NULL);
	enum { N = 200 };
	struct rq *q = calloc(N, sizeof(*q));
	struct scmi_stats st;

	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	cr_assert_geq(pin(h, S_SOC_TEMP, 7), 0);
	rq_init(q, N);
	for (int i = 0; i < N; i++)
		cr_assert_eq(read_async(h, &q[i], S_SOC_TEMP), 0, "request %d", i);
	wait_calls(N, 30000);
	for (int i = 0; i < N; i++) {
		cr_assert_eq(atomic_load(&q[i].calls), 1, "request %d", i);
		cr_assert_eq(q[i].status, 0, "request %d: %d", i, q[i].status);
		cr_assert_eq(q[i].value, 7);
	}
	cr_assert_eq(scmi_stats_get(h, &st), 0);
	cr_assert_eq(st.xfer_exhausted, 0, "waiting for an xfer is not an error");
	scmi_close(h);
	free(q);
}

static void fault(struct scmi_handle *h, enum scmi_sim_fault_kind kind, int proto, int msg)
{
	struct scmi_sim_fault f = {.kind = kind, .protocol = proto, .message = msg};

	cr_assert_eq(test_fault_add(h, &f), 0);
}

Test(request, a_timeout_completes_once_with_etimedout)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	struct rq q[4];

	cfg.timeout_ms = 60;
	cfg.dresp_timeout_ms = 80;
	h = test_open("loopback://", &cfg);
	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	rq_init(q, 4);
	/* No response to the sync reads, no delayed response to the async. */
	fault(h, SCMI_SIM_FAULT_DROP, 0x15, -1);
	cr_assert_eq(read_async(h, &q[0], S_SOC_TEMP), 0);
	cr_assert_eq(read_async(h, &q[1], S_SOC_TEMP), 0);
	wait_calls(2, 5000);
	test_fault_clear(h);
	fault(h, SCMI_SIM_FAULT_NO_DRESP, 0x15, -1);
	cr_assert_eq(read_async(h, &q[2], S_POWER), 0);
	cr_assert_eq(read_async(h, &q[3], S_POWER), 0);
	wait_calls(4, 5000);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(atomic_load(&q[i].calls), 1, "request %d", i);
		cr_assert_eq(q[i].status, -ETIMEDOUT, "request %d: %d", i, q[i].status);
	}
	{
		struct scmi_stats st;

		cr_assert_eq(scmi_stats_get(h, &st), 0);
		cr_assert_eq(st.timeouts, 2);
		cr_assert_eq(st.dresp_timeouts, 2);
	}
	/* Once the platform answers again, so do the requests. */
	test_fault_clear(h);
	cr_assert_geq(pin(h, S_POWER, 5), 0);
	rq_init(q, 1);
	cr_assert_eq(read_async(h, &q[0], S_POWER), 0);
	wait_calls(1, 5000);
	cr_assert_eq(q[0].status, 0);
	cr_assert_eq(q[0].value, 5);
	scmi_close(h);
}

Test(request, cancel_completes_once_with_ecanceled)
{
	struct scmi_handle *h = test_open("loopback://?max_msg=2", NULL);
	enum { N = 8 };
	struct rq q[N];
	int cancelled = 0;

	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	rq_init(q, N);
	/* Two in flight that never get an answer, the rest in the backlog. */
	fault(h, SCMI_SIM_FAULT_DROP, 0x15, -1);
	for (int i = 0; i < N; i++)
		cr_assert_eq(read_async(h, &q[i], S_SOC_TEMP), 0);
	for (int i = N - 1; i >= 0; i--) {
		int ret = scmi_req_cancel(&q[i].req);

		cr_assert(ret == 0 || ret == -EBUSY, "cancel %d: %d", i, ret);
		cancelled += ret == 0;
	}
	cr_assert_eq(cancelled, N);
	wait_calls(N, 5000);
	for (int i = 0; i < N; i++) {
		cr_assert_eq(atomic_load(&q[i].calls), 1, "request %d", i);
		cr_assert_eq(q[i].status, -ECANCELED, "request %d: %d", i, q[i].status);
		/* Completed: nothing left to cancel. */
		cr_assert_eq(scmi_req_cancel(&q[i].req), -EINVAL);
	}
	cr_assert_eq(scmi_req_outstanding(h), 0);
	/* The cancelled commands' tokens are held back, the handle works. */
	test_fault_clear(h);
	cr_assert_geq(pin(h, S_SOC_TEMP, 99), 0);
	rq_init(q, 1);
	cr_assert_eq(read_async(h, &q[0], S_SOC_TEMP), 0);
	wait_calls(1, 5000);
	cr_assert_eq(q[0].status, 0);
	cr_assert_eq(q[0].value, 99);
	scmi_close(h);
}

Test(request, close_completes_every_outstanding_request_before_returning)
{
	struct scmi_handle *h = test_open("loopback://?max_msg=3", NULL);
	enum { N = 20 };
	struct rq q[N];

	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	rq_init(q, N);
	fault(h, SCMI_SIM_FAULT_DROP, 0x15, -1);
	for (int i = 0; i < N; i++)
		cr_assert_eq(read_async(h, &q[i], i % 2 ? S_POWER : S_SOC_TEMP), 0);
	scmi_close(h);
	cr_assert_eq(atomic_load(&total_calls), N);
	for (int i = 0; i < N; i++) {
		cr_assert_eq(atomic_load(&q[i].calls), 1, "request %d", i);
		cr_assert_eq(q[i].status, -ECANCELED, "request %d: %d", i, q[i].status);
	}
}

Test(request, answered_without_the_platform_still_completes_through_the_callback)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	const struct scmi_sensor_info *si = NULL;
	struct rq q[2];
	int n = h->sensor_ops->count_get(h);

	rq_init(q, 2);
	cr_assert_eq(SCMI_ASYNC(&q[0].req, rq_done, h->sensor_ops->count_get(h)), 0);
	cr_assert_eq(SCMI_ASYNC(&q[1].req, rq_done, h->sensor_ops->info_get(h, 0, &si)), 0);
	wait_calls(2, 5000);
	cr_assert_eq(q[0].status, n);
	cr_assert_eq(q[1].status, 0);
	cr_assert_not_null(si);
	scmi_close(h);
}

Test(request, refusals_never_call_back)
{
	struct scmi_handle *h = test_open("loopback://?delay_us=20000", NULL);
	struct rq q[2];

	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	rq_init(q, 2);
	/* Invalid arguments, unknown sensor: refused, like the blocking op. */
	cr_assert_eq(SCMI_ASYNC(&q[0].req, rq_done, h->sensor_ops->reading_get(h, 0, NULL)),
		     -EINVAL);
	cr_assert_eq(read_async(h, &q[0], 1000), -EINVAL);
	/* A request in use cannot be submitted again. */
	cr_assert_eq(read_async(h, &q[0], S_SOC_TEMP), 0);
	cr_assert_eq(read_async(h, &q[0], S_SOC_TEMP), -EBUSY);
	/* No callback, not an op: refused. */
	cr_assert_eq(SCMI_ASYNC(&q[1].req, NULL, h->sensor_ops->count_get(h)), -EINVAL);
	cr_assert_eq(SCMI_ASYNC(&q[1].req, rq_done, 42), -EINVAL);
	wait_calls(1, 5000);
	cr_assert_eq(atomic_load(&q[0].calls), 1);
	cr_assert_eq(atomic_load(&q[1].calls), 0);
	/* Reusable once completed. */
	cr_assert_eq(read_async(h, &q[0], S_SOC_TEMP), 0);
	wait_calls(2, 5000);
	cr_assert_eq(atomic_load(&q[0].calls), 2);
	scmi_close(h);
}

/* ---- where callbacks run -------------------------------------------------- */

struct loop_ctx {
	uv_loop_t loop;
	struct rq q[10];
};

static void loop_stop_when_done(uv_idle_t *idle)
{
	if (atomic_load(&total_calls) == 10)
		uv_stop(idle->loop);
}

Test(request, callbacks_run_on_the_callers_loop)
{
	struct loop_ctx lc;
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	uv_idle_t idle;

	cr_assert_eq(uv_loop_init(&lc.loop), 0);
	cfg.loop = &lc.loop;
	h = test_open("loopback://", &cfg);
	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	cr_assert_geq(pin(h, S_SOC_TEMP, 11), 0);
	rq_init(lc.q, 10);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(SCMI_ASYNC(&lc.q[i].req, rq_done,
					h->sensor_ops->reading_get(h, S_SOC_TEMP, &lc.q[i].value)),
			     0);
	uv_idle_init(&lc.loop, &idle);
	uv_idle_start(&idle, loop_stop_when_done);
	uv_run(&lc.loop, UV_RUN_DEFAULT);
	for (int i = 0; i < 10; i++) {
		cr_assert_eq(lc.q[i].status, 0);
		cr_assert_eq(lc.q[i].value, 11);
		cr_assert(pthread_equal(lc.q[i].thread, pthread_self()));
	}
	uv_close((uv_handle_t *)&idle, NULL);
	scmi_close(h);
	uv_run(&lc.loop, UV_RUN_DEFAULT);
	cr_assert_eq(uv_loop_close(&lc.loop), 0);
}

static atomic_int events;

static int on_event(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	(void)nb;
	(void)evt;
	(void)report;
	atomic_fetch_add(&events, 1);
	return 0;
}

Test(request, dispatch_runs_completions_and_notifications_on_the_callers_thread)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_notifier_block nb = {.notifier_call = on_event};
	struct scmi_handle *h;
	struct rq q[5];
	struct pollfd pfd;
	uint32_t src = 0;
	int fd, ran = 0, rounds = 0;

	cfg.dispatch = true;
	h = test_open("loopback://", &cfg);
	fd = scmi_get_fd(h);
	cr_assert_geq(fd, 0);
	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	cr_assert_geq(pin(h, S_POWER, 3), 0);
	rq_init(q, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(read_async(h, &q[i], S_POWER), 0);
	/* A clock rate change, notified. */
	atomic_store(&events, 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, 0x14,
							     SCMI_EVENT_CLOCK_RATE_CHANGED, &src,
							     &nb),
		     0);
	cr_assert_eq(test_clock_rate_change(h, 0, 2500000000ull), 1);
	/* Nothing runs until this thread dispatches. */
	cr_assert_eq(atomic_load(&total_calls), 0);
	while ((atomic_load(&total_calls) < 5 || atomic_load(&events) < 1) && rounds++ < 500) {
		int n;

		pfd = (struct pollfd){.fd = fd, .events = POLLIN};
		cr_assert_geq(poll(&pfd, 1, 100), 0);
		n = scmi_dispatch(h);
		cr_assert_geq(n, 0, "%d", n);
		ran += n;
	}
	cr_assert_eq(atomic_load(&total_calls), 5);
	cr_assert_eq(atomic_load(&events), 1);
	cr_assert_eq(ran, 6);
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(q[i].status, 0);
		cr_assert_eq(q[i].value, 3);
		cr_assert(pthread_equal(q[i].thread, pthread_self()));
	}
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, 0x14,
							       SCMI_EVENT_CLOCK_RATE_CHANGED,
							       &src, &nb),
		     0);
	scmi_close(h);
}

Test(request, get_fd_and_dispatch_need_dispatch_mode)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	struct scmi_config cfg = test_config(NULL);
	uv_loop_t loop;
	struct scmi_handle *h2;

	cr_assert_eq(scmi_get_fd(h), -EINVAL);
	cr_assert_eq(scmi_dispatch(h), -EINVAL);
	cr_assert_eq(scmi_get_fd(NULL), -EINVAL);
	scmi_close(h);
	uv_loop_init(&loop);
	cfg.loop = &loop;
	cfg.dispatch = true;
	cr_assert_eq(scmi_open("loopback://", &cfg, &h2), -EINVAL);
	uv_loop_close(&loop);
}

static void close_from_callback(struct scmi_req *req)
{
	rq_done(req);
	scmi_close((struct scmi_handle *)req->handle);
}

Test(request, close_from_a_completion_callback_cancels_the_others)
{
	struct scmi_handle *h = test_open("loopback://?max_msg=2", NULL);
	enum { N = 6 };
	struct rq q[N];

	int n = h->sensor_ops->count_get(h);

	cr_assert_geq(n, 4);
	rq_init(q, N);
	/* The reads are never answered; the count completes at once, and its
	 * callback closes the handle. */
	fault(h, SCMI_SIM_FAULT_DROP, 0x15, 0x6);
	for (int i = 1; i < N; i++)
		cr_assert_eq(read_async(h, &q[i], S_SOC_TEMP), 0);
	cr_assert_eq(SCMI_ASYNC(&q[0].req, close_from_callback, h->sensor_ops->count_get(h)), 0);
	wait_calls(N, 10000);
	cr_assert_eq(q[0].status, n);
	for (int i = 1; i < N; i++) {
		cr_assert_eq(atomic_load(&q[i].calls), 1, "request %d", i);
		cr_assert(q[i].status == -ECANCELED || q[i].status == -ETIMEDOUT,
			  "request %d: %d", i, q[i].status);
	}
}

/* A cancel right after the submission, whatever the engine is doing with
 * the request (queued, being prepared, being sent), cancels it. */
Test(request, cancel_right_after_submission_always_cancels)
{
	struct scmi_handle *h = test_open("loopback://?delay_us=20000", NULL);
	struct rq q[1];

	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	for (int i = 0; i < 50; i++) {
		rq_init(q, 1);
		cr_assert_eq(read_async(h, &q[0], S_SOC_TEMP), 0);
		cr_assert_eq(scmi_req_cancel(&q[0].req), 0, "round %d", i);
		wait_calls(1, 5000);
		cr_assert_eq(q[0].status, -ECANCELED, "round %d: %d", i, q[0].status);
	}
	scmi_close(h);
}

struct requests_seen {
	const struct scmi_handle *h;
	uint64_t n;
};

static bool platform_saw(void *arg)
{
	const struct requests_seen *s = arg;

	return test_requests(s->h) >= s->n;
}

/* On a polling transport the engine runs a request as a blocking call on
 * its own thread.  Closed while it waits there (for the response, or for
 * the delayed response), the request still completes with -ECANCELED, as
 * close promises, not with the blocking calls' -ESHUTDOWN. */
Test(request, close_cancels_a_request_waiting_on_a_polling_transport)
{
	static const struct {
		enum scmi_sim_fault_kind kind;
		uint32_t sensor;
	} waits[] = {
		{SCMI_SIM_FAULT_DROP, S_SOC_TEMP},  /* waiting for the response */
		{SCMI_SIM_FAULT_NO_DRESP, S_POWER}, /* ... for the delayed response */
	};

	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		struct scmi_config cfg = test_config(NULL);
		struct scmi_handle *h;
		struct requests_seen seen;
		struct rq q[1];

		cfg.timeout_ms = 30000;
		cfg.dresp_timeout_ms = 30000;
		h = test_open("loopback://?polling=1", &cfg);
		cr_assert_geq(h->sensor_ops->count_get(h), 4);
		fault(h, waits[i].kind, 0x15, -1);
		rq_init(q, 1);
		seen = (struct requests_seen){h, test_requests(h) + 1};
		cr_assert_eq(read_async(h, &q[0], waits[i].sensor), 0);
		/* Sent: the engine's thread is in the transfer's wait. */
		cr_assert(test_wait_until(platform_saw, &seen, 10000), "wait %zu", i);
		scmi_close(h);
		cr_assert_eq(atomic_load(&q[0].calls), 1, "wait %zu", i);
		cr_assert_eq(q[0].status, -ECANCELED, "wait %zu: %d (%s)", i, q[0].status,
			     scmi_strerror(q[0].status));
	}
}

/* A command with a delayed response can be cancelled until the delayed
 * response is in, even in the moment its first response is in and not yet
 * acted on (the engine's queue, or still in the sender's hands): each
 * round cancels right after the platform answered. */
Test(request, cancel_before_the_delayed_response_always_cancels)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	struct requests_seen seen;
	struct rq q[1];

	cfg.dresp_timeout_ms = 30000;
	h = test_open("loopback://", &cfg);
	/* Room for every round's read on the platform: each stays pending
	 * there (no delayed response is sent) for the whole test. */
	cr_assert_eq(scmi_sim_sensor_async_set(test_sim(h), 255, 60000000), 0);
	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	fault(h, SCMI_SIM_FAULT_NO_DRESP, 0x15, -1);
	for (int i = 0; i < 200; i++) {
		rq_init(q, 1);
		seen = (struct requests_seen){h, test_requests(h) + 1};
		cr_assert_eq(read_async(h, &q[0], S_POWER), 0);
		while (!platform_saw(&seen))
			; /* spin: cancel as soon as it is answered */
		cr_assert_eq(scmi_req_cancel(&q[0].req), 0, "round %d", i);
		wait_calls(1, 5000);
		cr_assert_eq(q[0].status, -ECANCELED, "round %d: %d", i, q[0].status);
	}
	scmi_close(h);
}

static int prepare_async(struct scmi_handle *h, struct rq *q, uint8_t id)
{
	return SCMI_ASYNC(&q->req, rq_done, scmi_protocol_prepare(h, id));
}

/* scmi_protocol_prepare() under SCMI_ASYNC(): a protocol's bring-up (for
 * the simulator's pin controller, hundreds of commands) runs off the
 * caller's thread, completes once through the callback, and the protocol's
 * ops then find it up. */
Test(request, prepare_brings_a_protocol_up_off_the_callers_thread)
{
	struct scmi_handle *h = test_open("loopback://?delay_us=1000", NULL);
	uint64_t before, at_return, total;
	struct rq q[1];

	rq_init(q, 1);
	before = test_requests(h);
	cr_assert_eq(prepare_async(h, &q[0], SCMI_PROTOCOL_PINCTRL), 0);
	at_return = test_requests(h) - before;
	wait_calls(1, 60000);
	cr_assert_eq(q[0].status, 0);
	cr_assert_neq(q[0].thread, pthread_self());
	total = test_requests(h) - before;
	cr_assert_gt(total, 20, "the bring-up's commands: %llu", (unsigned long long)total);
	cr_assert_lt(at_return, total / 2, "%llu of %llu commands before SCMI_ASYNC() returned",
		     (unsigned long long)at_return, (unsigned long long)total);
	/* Up: the description is there, prepare again sends nothing. */
	before = test_requests(h);
	cr_assert_gt(h->pinctrl_ops->count_get(h, SCMI_PINCTRL_PIN), 0);
	cr_assert_eq(scmi_protocol_prepare(h, SCMI_PROTOCOL_PINCTRL), 0);
	rq_init(q, 1);
	cr_assert_eq(prepare_async(h, &q[0], SCMI_PROTOCOL_PINCTRL), 0);
	wait_calls(1, 5000);
	cr_assert_eq(q[0].status, 0);
	cr_assert_eq(test_requests(h), before, "nothing sent");
	scmi_close(h);
}

/* Blocking, prepare returns the bring-up's result; a protocol the platform
 * does not offer is refused at once, and under SCMI_ASYNC() not submitted. */
Test(request, prepare_blocking_and_refusals)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	uint64_t before;
	struct rq q[1];

	before = test_requests(h);
	cr_assert_eq(scmi_protocol_prepare(h, SCMI_PROTOCOL_SENSOR), 0);
	cr_assert_gt(test_requests(h), before, "the bring-up's commands");
	before = test_requests(h);
	cr_assert_geq(h->sensor_ops->count_get(h), 1);
	cr_assert_eq(test_requests(h), before, "up already");
	rq_init(q, 1);
	cr_assert_eq(scmi_protocol_prepare(h, 0x99), -EOPNOTSUPP);
	cr_assert_eq(prepare_async(h, &q[0], 0x99), -EOPNOTSUPP);
	cr_assert_eq(scmi_protocol_prepare(h, SCMI_PROTOCOL_BASE), 0);
	cr_assert_eq(test_requests(h), before, "nothing sent");
	cr_assert_eq(scmi_protocol_prepare(NULL, SCMI_PROTOCOL_SENSOR), -EINVAL);
	scmi_close(h);
	cr_assert_eq(atomic_load(&total_calls), 0, "no callback for a refusal");
}

/* Closed while a bring-up runs on its own thread: the request completes,
 * once, with -ECANCELED before scmi_close() returns. */
Test(request, close_cancels_a_prepare_in_progress)
{
	struct scmi_handle *h = test_open("loopback://?delay_us=2000", NULL);
	struct requests_seen seen;
	struct rq q[1];

	rq_init(q, 1);
	seen = (struct requests_seen){h, test_requests(h) + 3};
	cr_assert_eq(prepare_async(h, &q[0], SCMI_PROTOCOL_PINCTRL), 0);
	cr_assert(test_wait_until(platform_saw, &seen, 10000));
	scmi_close(h);
	cr_assert_eq(atomic_load(&q[0].calls), 1);
	cr_assert_eq(q[0].status, -ECANCELED, "%d", q[0].status);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi_close() while other threads are inside calls of every shape, and
 * from the handle's own threads (notifier callbacks, the log sink).
 *
 * Timeouts are long (20 s) and the platform is made slow on purpose, so a
 * close that waited for the calls to time out, instead of ending their
 * waits, would take seconds: every test bounds the close to well under
 * that.  Each caller thread makes exactly one call (it must not touch the
 * handle after scmi_close() returned) and reports its result.  Run under
 * ASan, a close that freed what a caller still uses is a heap-use-after-
 * free report.
 */
#include <errno.h>
#include <stdatomic.h>
#include <uv.h>

#include "agent_testproto.h"
#include "common.h"
#include "entry.h"
#include "helpers.h"

#define TP	     0xF0 /* the simulator's test protocol */
#define TP_ECHO	     0x3
#define LONG_MS	     20000u
#define SLOW_US	     (10 * 1000 * 1000) /* a reply that never comes in time */
#define CLOSE_MAX_MS 2000u		/* far below LONG_MS and SLOW_US */

static struct scmi_handle *h;
static struct scmi_sim *sim;

static void open_uri(const char *uri)
{
	struct scmi_config cfg = test_config(NULL);

	cfg.timeout_ms = LONG_MS;
	cfg.dresp_timeout_ms = LONG_MS;
	h = test_open(uri, &cfg);
	sim = scmi_loopback_sim(h);
}

static void slow(int protocol, int message, int64_t us)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DELAY,
		.every = 1,
		.protocol = protocol,
		.message = message,
		.param = us,
	};

	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
}

/* ---- caller threads --------------------------------------------------------- */

struct caller {
	pthread_t thread;
	int (*call)(void);
	int ret;
};

static void *caller_run(void *arg)
{
	struct caller *c = arg;

	c->ret = c->call();
	return NULL;
}

static void callers_start(struct caller *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(pthread_create(&c[i].thread, NULL, caller_run, &c[i]), 0);
}

static bool calls_reach(void *arg)
{
	return atomic_load(&scmi_inst(h)->calls) >= *(unsigned int *)arg;
}

static uint64_t sent(void)
{
	struct scmi_stats st;

	scmi_stats_get(h, &st);
	return st.sent;
}

struct sent_wait {
	uint64_t want;
};

static bool sent_reach(void *arg)
{
	return sent() >= ((struct sent_wait *)arg)->want;
}

/* Wait until @n callers are inside their call and @more commands went out
 * since @base; close; every caller must return @want promptly. */
static void close_and_check(struct caller *c, size_t n, uint64_t base, uint64_t more, int want)
{
	unsigned int inside = (unsigned int)n;
	struct sent_wait sw = {base + more};
	uint64_t t0;

	cr_assert(test_wait_until(calls_reach, &inside, 5000), "callers never entered");
	cr_assert(test_wait_until(sent_reach, &sw, 5000), "the commands never went out");
	t0 = test_now_ms();
	scmi_close(h);
	h = NULL;
	cr_assert_lt(test_now_ms() - t0, CLOSE_MAX_MS, "close waited for the platform");
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(pthread_join(c[i].thread, NULL), 0);
		cr_assert_eq(c[i].ret, want, "caller %zu returned %d (%s)", i, c[i].ret,
			     scmi_strerror(c[i].ret));
	}
}

static int echo(void)
{
	uint8_t tx[4] = {1, 2, 3, 4}, rx[8];
	size_t len;

	return scmi_raw_command(h, TP, TP_ECHO, tx, sizeof(tx), rx, sizeof(rx), &len);
}

TestSuite(close, .timeout = 60);

/* A single command waiting for its response. */
Test(close, single_command_waiting_for_its_response)
{
	struct caller c[] = {{.call = echo}};
	uint64_t base;

	open_uri("loopback://?test_protocols=0xF0:1");
	base = sent();
	slow(TP, TP_ECHO, SLOW_US);
	callers_start(c, 1);
	close_and_check(c, 1, base, 1, -ESHUTDOWN);
}

/* The same with polling=1: the caller polls instead of sleeping. */
Test(close, polling_caller)
{
	struct caller c[] = {{.call = echo}};
	uint64_t base;

	open_uri("loopback://?test_protocols=0xF0:1&polling=1");
	base = sent();
	slow(TP, TP_ECHO, SLOW_US);
	callers_start(c, 1);
	close_and_check(c, 1, base, 1, -ESHUTDOWN);
}

/* One caller holds the only transfer slot, the other waits for it. */
Test(close, caller_waiting_for_a_free_xfer)
{
	struct caller c[] = {{.call = echo}, {.call = echo}};
	uint64_t base;

	open_uri("loopback://?test_protocols=0xF0:1&max_msg=1");
	base = sent();
	slow(TP, TP_ECHO, SLOW_US);
	callers_start(c, 2);
	close_and_check(c, 2, base, 1, -ESHUTDOWN);
}

/*
 * The wait for a delayed response: scmi_raw_command() does not wait for
 * one, so use the clock's asynchronous rate set, whose delayed response
 * the simulator holds back.
 */
static int clock_rate_set_async(void)
{
	uint64_t actual;

	return h->clock_ops->rate_set(h, 0, 1800000000ull, SCMI_CLOCK_RATE_ASYNC, &actual);
}

Test(close, caller_waiting_for_a_delayed_response)
{
	struct caller c[] = {{.call = clock_rate_set_async}};
	uint64_t base;

	open_uri("loopback://");
	cr_assert_gt(h->clock_ops->count_get(h), 0);
	base = sent();
	cr_assert_eq(scmi_sim_fault_add(sim,
					&(struct scmi_sim_fault){
						.kind = SCMI_SIM_FAULT_LATE_DRESP,
						.every = 1,
						.protocol = SCMI_PROTOCOL_CLOCK,
						.message = -1,
						.param = SLOW_US,
					}),
		     0);
	callers_start(c, 1);
	close_and_check(c, 1, base, 1, -ESHUTDOWN);
}

/* Between the commands of a multi-part walk: the clock bring-up reads
 * rate tables one entry per reply, each reply slow. */
static int clock_count(void)
{
	return h->clock_ops->count_get(h);
}

Test(close, caller_inside_a_multi_part_walk)
{
	struct caller c[] = {{.call = clock_count}};
	uint64_t base;

	open_uri("loopback://?max_list_items=1");
	base = sent();
	slow(SCMI_PROTOCOL_CLOCK, -1, 20000);
	callers_start(c, 1);
	/* Several replies of the bring-up are in: it is walking. */
	close_and_check(c, 1, base, 8, -ESHUTDOWN);
}

/*
 * The report's case: the first pin control call brings the protocol up
 * (hundreds of commands) and scmi_close() comes 100 ms later; a second
 * caller waits on the bring-up lock meanwhile.
 */
static int pinctrl_pins(void)
{
	return h->pinctrl_ops->count_get(h, SCMI_PINCTRL_PIN);
}

Test(close, callers_in_and_waiting_for_a_bring_up)
{
	struct caller c[] = {{.call = pinctrl_pins}, {.call = pinctrl_pins}};
	uint64_t base;

	open_uri("loopback://");
	base = sent();
	slow(SCMI_PROTOCOL_PINCTRL, -1, 1000);
	callers_start(c, 2);
	test_sleep_ms(100); /* the report's timing; the waits below decide */
	close_and_check(c, 2, base, 2, -ESHUTDOWN);
}

/* Waiting for a notification: an async-only power domain completes its
 * state change with POWER_STATE_CHANGED only. */
static int power_async_only_set(void)
{
	return h->power_ops->state_set(h, 1, SCMI_POWER_STATE_ON);
}

Test(close, caller_waiting_for_a_notification)
{
	struct caller c[] = {{.call = power_async_only_set}};
	const struct scmi_power_domain_info *d;
	uint64_t base;

	open_uri("loopback://");
	cr_assert_eq(h->power_ops->info_get(h, 1, &d), 0);
	cr_assert(d->state_set_async && !d->state_set_sync, "domain 1 is async only");
	cr_assert_eq(scmi_sim_power_async_delay_set(sim, SLOW_US), 0);
	base = sent();
	callers_start(c, 1);
	/* NOTIFY (enable) and the STATE_SET are out: it waits. */
	close_and_check(c, 1, base, 2, -ESHUTDOWN);
}

/* A notifier registration racing with close: refused or undone. */
static int nop_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *r)
{
	(void)nb;
	(void)evt;
	(void)r;
	return SCMI_NOTIFY_DONE;
}

static int register_pending(void)
{
	static struct scmi_notifier_block nb = {.notifier_call = nop_cb};

	return h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_PERF, 0, NULL, &nb);
}

Test(close, calls_after_close_started_are_refused)
{
	struct scmi_frame f;

	open_uri("loopback://?test_protocols=0xF0:1");
	/* Pretend a call is in progress, so that the handle stays while we
	 * look at it with closing set. */
	cr_assert_eq(scmi_call_enter(h, &f), 0);
	atomic_store(&scmi_inst(h)->closing, true);
	cr_assert_eq(echo(), -ESHUTDOWN);
	cr_assert_eq(clock_count(), -ESHUTDOWN);
	cr_assert_eq(register_pending(), -ESHUTDOWN);
	atomic_store(&scmi_inst(h)->closing, false);
	scmi_call_leave(&f);
	cr_assert_eq(echo(), 0);
	scmi_close(h);
}

/* ---- close from the handle's own threads -------------------------------------- */

struct closer_nb {
	struct scmi_notifier_block nb;
	atomic_int calls;
	atomic_int ret_after_close;
};

static struct test_log closed_log;

static bool handle_closed(void *arg)
{
	(void)arg;
	return test_log_contains(&closed_log, "handle closed");
}

static int close_from_callback(struct scmi_notifier_block *nb, unsigned int evt, const void *r)
{
	struct closer_nb *c = container_of(nb, struct closer_nb, nb);

	(void)evt;
	(void)r;
	if (atomic_fetch_add(&c->calls, 1) == 0) {
		scmi_close(h);
		/* Still inside the callback: the handle exists, calls are
		 * refused. */
		atomic_store(&c->ret_after_close, echo());
	}
	return SCMI_NOTIFY_OK;
}

static void close_from_a_callback(uv_loop_t *loop)
{
	struct scmi_config cfg = test_config(&closed_log);
	struct closer_nb c = {.nb.notifier_call = close_from_callback};
	uint32_t src = 0;

	test_log_init(&closed_log);
	cfg.loop = loop;
	h = test_open("loopback://?test_protocols=0xF0:1", &cfg);
	sim = scmi_loopback_sim(h);
	/* The agent side of the test protocol registers its events. */
	cr_assert_eq(tp_register_events(h, TP), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, TP, 0, &src, &c.nb), 0);
	/* Several events: only the first callback runs; close stops the
	 * rest. */
	cr_assert_eq(tp_emit(h, TP, 0, 0, 5, 0), 5);
	if (loop) {
		uint64_t end = test_now_ms() + 5000;

		while (!handle_closed(NULL) && test_now_ms() < end)
			uv_run(loop, UV_RUN_NOWAIT);
	}
	cr_assert(test_wait_until(handle_closed, NULL, 5000), "the deferred close never finished");
	cr_assert_eq(atomic_load(&c.calls), 1, "a callback ran after scmi_close()");
	cr_assert_eq(atomic_load(&c.ret_after_close), -ESHUTDOWN);
	cr_assert(test_log_contains(&closed_log, "completes when the callback"));
	h = NULL;
	tp_cleanup();
}

Test(close, from_a_notifier_callback_on_a_delivery_thread)
{
	close_from_a_callback(NULL);
}

Test(close, from_a_notifier_callback_on_the_callers_loop)
{
	uv_loop_t loop;

	cr_assert_eq(uv_loop_init(&loop), 0);
	close_from_a_callback(&loop);
	/* The handle's async handle is closed: the loop ends. */
	cr_assert_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	cr_assert_eq(uv_loop_close(&loop), 0);
}

/* The log sink closes the handle while a call logs (here a timeout). */
static atomic_int sink_closes;

static void closing_sink(void *priv, enum scmi_log_level level, const char *msg)
{
	test_log_fn(priv, level, msg);
	if (strstr(msg, "timed out") && atomic_fetch_add(&sink_closes, 1) == 0)
		scmi_close(h);
}

Test(close, from_the_log_sink_inside_a_call)
{
	struct scmi_config cfg = test_config(&closed_log);

	test_log_init(&closed_log);
	cfg.log_fn = closing_sink;
	cfg.timeout_ms = 50;
	h = test_open("loopback://?test_protocols=0xF0:1", &cfg);
	sim = scmi_loopback_sim(h);
	cr_assert_eq(scmi_sim_fault_add(sim,
					&(struct scmi_sim_fault){
						.kind = SCMI_SIM_FAULT_DROP,
						.every = 1,
						.protocol = TP,
						.message = -1,
					}),
		     0);
	cr_assert_eq(echo(), -ETIMEDOUT);
	cr_assert_eq(atomic_load(&sink_closes), 1);
	/* The call returned: the close finishes on its own thread. */
	cr_assert(test_wait_until(handle_closed, NULL, 5000), "the deferred close never finished");
	h = NULL;
}

/*
 * The wait for a free xfer ends at close by itself, not only because the
 * xfer's holder gives it back: here the holder is a call (counted, so close
 * waits for it) that keeps its xfer until the waiter has returned.
 */
static void *close_run(void *arg)
{
	scmi_close(arg);
	return NULL;
}

Test(close, free_xfer_wait_ends_even_if_the_holder_keeps_it)
{
	struct caller c[] = {{.call = echo}};
	struct scmi_frame f;
	struct scmi_xfer *x;
	pthread_t closer;
	unsigned int two = 2;
	uint64_t t0;

	open_uri("loopback://?test_protocols=0xF0:1&max_msg=1");
	cr_assert_eq(scmi_call_enter(h, &f), 0);
	/*
	 * Wait for the one xfer: the RX thread may still hold its reference
	 * from the last bring-up command for a moment after scmi_open().
	 */
	cr_assert_eq(scmi_xfer_get_init(&scmi_inst(h)->tx_minfo, TP, TP_ECHO, 0, 0, 5000, &x), 0);
	callers_start(c, 1);
	cr_assert(test_wait_until(calls_reach, &two, 5000));
	t0 = test_now_ms();
	cr_assert_eq(pthread_create(&closer, NULL, close_run, h), 0);
	cr_assert_eq(pthread_join(c[0].thread, NULL), 0);
	cr_assert_eq(c[0].ret, -ESHUTDOWN);
	cr_assert_lt(test_now_ms() - t0, CLOSE_MAX_MS);
	scmi_xfer_put(x);
	scmi_call_leave(&f);
	cr_assert_eq(pthread_join(closer, NULL), 0);
	h = NULL;
}

// SPDX-License-Identifier: BSD-3-Clause
/* The notification core: chains, enables, pending registrations, delivery. */
#include <errno.h>
#include <stdatomic.h>
#include <uv.h>

#include "agent_testproto.h"
#include "common.h"
#include "helpers.h"
#include "workloads.h"

#define TPA 0xF0
#define TPB 0xF1

static struct scmi_handle *h;
static struct scmi_sim *sim;

static void open_cfg(const struct scmi_config *cfg)
{
	struct scmi_config quiet = test_config(NULL);

	/* Both test protocols are listed by the platform; their agent side
	 * "comes up" with tp_register_events(). */
	h = test_open("loopback://?test_protocols=0xF0:4,0xF1:4", cfg ? cfg : &quiet);
	sim = scmi_loopback_sim(h);
}

static void setup(void)
{
	open_cfg(NULL);
	cr_assert_eq(tp_register_events(h, TPA), 0);
	cr_assert_eq(tp_register_events(h, TPB), 0);
}

static void teardown(void)
{
	scmi_close(h);
	h = NULL;
	tp_cleanup();
}

static int reg(uint8_t proto, uint8_t evt, const uint32_t *src, struct scmi_notifier_block *nb)
{
	return h->notify_ops->event_notifier_register(h, proto, evt, src, nb);
}

static int unreg(uint8_t proto, uint8_t evt, const uint32_t *src, struct scmi_notifier_block *nb)
{
	return h->notify_ops->event_notifier_unregister(h, proto, evt, src, nb);
}

static struct scmi_event_stats estats(uint8_t proto)
{
	struct scmi_event_stats st;

	cr_assert_eq(scmi_event_stats_get(h, proto, &st), 0);
	return st;
}

struct delivered_wait {
	uint8_t proto;
	uint64_t n;
};

/* Every event handled: delivered or dropped for a reason. */
static bool handled(void *arg)
{
	struct delivered_wait *w = arg;
	struct scmi_event_stats st = estats(w->proto);

	return st.received >= w->n && st.delivered + st.dropped_no_handler + st.dropped_malformed +
						      st.dropped_queue_full ==
					      st.received;
}

static void wait_handled(uint8_t proto, uint64_t n)
{
	struct delivered_wait w = {proto, n};

	cr_assert(test_wait_until(handled, &w, 10000), "events of 0x%x not all handled", proto);
}

/* A recording notifier: appends its tag to a shared trace. */
struct rec {
	struct scmi_notifier_block nb;
	char tag;
	int ret;
	atomic_int calls;
	int want; /* calls awaited (calls_reach()) */
	struct tp_report last;
};

static char trace[256];
static atomic_int trace_len;

static int rec_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct rec *r = (struct rec *)nb;
	int i = atomic_fetch_add(&trace_len, 1);

	if (i < (int)sizeof(trace) - 1)
		trace[i] = r->tag;
	r->last = *(const struct tp_report *)report;
	atomic_fetch_add(&r->calls, 1);
	return r->ret;
}

static void rec_init(struct rec *r, char tag, int prio, int ret)
{
	memset(r, 0, sizeof(*r));
	r->nb.notifier_call = rec_cb;
	r->nb.priority = prio;
	r->tag = tag;
	r->ret = ret;
}

static void trace_reset(void)
{
	memset(trace, 0, sizeof(trace));
	atomic_store(&trace_len, 0);
}

TestSuite(notify, .init = setup, .fini = teardown, .timeout = 60);

Test(notify, chain_priority_order_and_stop)
{
	struct rec a, b, c, d;
	uint32_t src = 1;

	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	rec_init(&b, 'b', 5, SCMI_NOTIFY_OK);
	rec_init(&c, 'c', 10, SCMI_NOTIFY_DONE);
	rec_init(&d, 'd', 5, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), 0);
	cr_assert_eq(reg(TPA, 0, &src, &b.nb), 0);
	cr_assert_eq(reg(TPA, 0, &src, &c.nb), 0);
	cr_assert_eq(reg(TPA, 0, &src, &d.nb), 0);
	trace_reset();
	cr_assert_eq(tp_emit(h, TPA, 0, 1, 1, 0), 1);
	wait_handled(TPA, 1);
	cr_assert_str_eq(trace, "cbda", "priority desc, then registration order");

	/* STOP at b: d and a are skipped. */
	b.ret = SCMI_NOTIFY_STOP;
	trace_reset();
	cr_assert_eq(tp_emit(h, TPA, 0, 1, 1, 0), 1);
	wait_handled(TPA, 2);
	cr_assert_str_eq(trace, "cb");
	cr_assert_eq(estats(TPA).delivered, 2);
}

Test(notify, all_sources_and_single_source)
{
	struct rec all, one;
	uint32_t src = 2;

	rec_init(&all, 'A', 0, SCMI_NOTIFY_STOP); /* STOP ends only its own chain */
	rec_init(&one, 'o', 100, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(TPA, 1, NULL, &all.nb), 0);
	cr_assert_eq(reg(TPA, 1, &src, &one.nb), 0);
	trace_reset();
	cr_assert_eq(tp_emit(h, TPA, 1, 2, 1, 0), 1);
	wait_handled(TPA, 1);
	cr_assert_str_eq(trace, "Ao", "all-sources chain first, then the source's");
	cr_assert_eq(one.last.hdr.src_id, 2);
	cr_assert_eq(one.last.hdr.evt_id, 1);

	trace_reset();
	cr_assert_eq(tp_emit(h, TPA, 1, 3, 1, 0), 1);
	wait_handled(TPA, 2);
	cr_assert_str_eq(trace, "A", "source 3 has only the all-sources listener");
	cr_assert_eq(all.last.hdr.src_id, 3);
}

static void enables(uint8_t evt, uint32_t src, unsigned int *en, unsigned int *dis)
{
	cr_assert_eq(scmi_sim_notify_requests(sim, TPA, evt, src, en, dis), 0);
}

Test(notify, enable_refcounts_on_the_platform)
{
	struct rec a, b, all;
	uint32_t src = 1;
	unsigned int en, dis;

	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	rec_init(&b, 'b', 0, SCMI_NOTIFY_OK);
	rec_init(&all, 'A', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 0, 1), 0);
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), 0);
	cr_assert_eq(reg(TPA, 0, &src, &b.nb), 0);
	enables(0, 1, &en, &dis);
	cr_assert_eq(en, 1, "two listeners, one enable");
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 0, 1), 1);
	cr_assert_eq(unreg(TPA, 0, &src, &a.nb), 0);
	enables(0, 1, &en, &dis);
	cr_assert_eq(dis, 0, "one listener left: still enabled");
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 0, 1), 1);

	/* All-sources holds a reference on every source. */
	cr_assert_eq(reg(TPA, 0, NULL, &all.nb), 0);
	for (uint32_t s = 0; s < 4; s++)
		cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 0, s), 1, "source %u", s);
	enables(0, 1, &en, &dis);
	cr_assert_eq(en, 1, "source 1 was already enabled");
	cr_assert_eq(unreg(TPA, 0, &src, &b.nb), 0);
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 0, 1), 1, "held by all-sources");
	cr_assert_eq(unreg(TPA, 0, NULL, &all.nb), 0);
	for (uint32_t s = 0; s < 4; s++) {
		cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 0, s), 0, "source %u", s);
		enables(0, s, &en, &dis);
		cr_assert_eq(en, 1);
		cr_assert_eq(dis, 1, "last listener gone: one disable");
	}
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 1, 0), 0, "other events untouched");
}

Test(notify, failed_enable_leaves_nothing_behind, .init = NULL)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault drop = {
		.kind = SCMI_SIM_FAULT_DROP,
		.every = 1,
		.count = 1,
		.protocol = TPA,
		.message = 0x5,
	};
	struct rec a;
	uint32_t src = 0;
	unsigned int en, dis;

	cfg.timeout_ms = 100;
	open_cfg(&cfg);
	cr_assert_eq(tp_register_events(h, TPA), 0);
	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(scmi_sim_fault_add(sim, &drop), 0);
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), -ETIMEDOUT, "the enable's error is returned");
	cr_assert_eq(unreg(TPA, 0, &src, &a.nb), -ENOENT, "no handler left behind");
	cr_assert_eq(tp_emit(h, TPA, 0, 0, 1, 1), 1);
	wait_handled(TPA, 1);
	cr_assert_eq(atomic_load(&a.calls), 0);
	/* No reference left either: the next listener enables again (the
	 * platform did act on the first request; only its reply was lost). */
	enables(0, 0, &en, &dis);
	cr_assert_eq(en, 1);
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), 0);
	enables(0, 0, &en, &dis);
	cr_assert_eq(en, 2);
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 0, 0), 1);
}

Test(notify, pending_bound_when_the_protocol_registers, .init = NULL)
{
	static struct test_log lg; /* outlives the test: teardown closes */
	struct scmi_config cfg;
	struct rec good, all, bad_evt, bad_src;
	uint32_t src = 2, far = 100;

	test_log_init(&lg);
	cfg = test_config(&lg);
	open_cfg(&cfg);
	rec_init(&good, 'g', 0, SCMI_NOTIFY_OK);
	rec_init(&all, 'A', 0, SCMI_NOTIFY_OK);
	rec_init(&bad_evt, 'e', 0, SCMI_NOTIFY_OK);
	rec_init(&bad_src, 's', 0, SCMI_NOTIFY_OK);
	/* Protocol not up: everything is kept pending, nothing enabled. */
	cr_assert_eq(reg(TPA, 1, &src, &good.nb), 0);
	cr_assert_eq(reg(TPA, 2, NULL, &all.nb), 0);
	cr_assert_eq(reg(TPA, 9, &src, &bad_evt.nb), 0);
	cr_assert_eq(reg(TPA, 1, &far, &bad_src.nb), 0);
	cr_assert_eq(reg(TPA, 1, &src, &good.nb), -EEXIST);
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 1, 2), 0);
	cr_assert_eq(scmi_event_stats_get(h, TPA, &(struct scmi_event_stats){0}), -ENOENT);

	/* The protocol comes up: valid ones are bound and enabled. */
	cr_assert_eq(tp_register_events(h, TPA), 0);
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 1, 2), 1);
	for (uint32_t s = 0; s < 4; s++)
		cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 2, s), 1);
	cr_assert(test_log_contains(&lg, "dropped pending"), "%s", lg.text);
	/* Invalid ones were purged. */
	cr_assert_eq(unreg(TPA, 9, &src, &bad_evt.nb), -ENOENT);
	cr_assert_eq(unreg(TPA, 1, &far, &bad_src.nb), -ENOENT);

	cr_assert_eq(tp_emit(h, TPA, 1, 2, 3, 0), 3);
	cr_assert_eq(tp_emit(h, TPA, 2, 0, 2, 0), 2);
	wait_handled(TPA, 5);
	cr_assert_eq(atomic_load(&good.calls), 3);
	cr_assert_eq(atomic_load(&all.calls), 2);

	/* Unregistering a pending registration, before binding. */
	cr_assert_eq(reg(TPB, 0, NULL, &good.nb), 0);
	cr_assert_eq(unreg(TPB, 0, NULL, &good.nb), 0);
	cr_assert_eq(unreg(TPB, 0, NULL, &good.nb), -ENOENT);
	cr_assert_eq(tp_register_events(h, TPB), 0);
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPB, 0, 0), 0);
}

Test(notify, argument_errors)
{
	struct rec a;
	struct scmi_notifier_block empty = {0};
	uint32_t src = 4, ok = 0;

	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(TPA, 4, &ok, &a.nb), -EINVAL, "unknown event of a registered protocol");
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), -EINVAL, "no source 4");
	cr_assert_eq(reg(TPA, 0, &ok, NULL), -EINVAL);
	cr_assert_eq(unreg(TPA, 0, &ok, NULL), -EINVAL);
	cr_assert_eq(h->notify_ops->event_notifier_register(NULL, TPA, 0, &ok, &a.nb), -EINVAL);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(NULL, TPA, 0, &ok, &a.nb), -EINVAL);
	cr_assert_eq(reg(TPA, 0, &ok, &empty), -EINVAL, "no callback");
	cr_assert_eq(reg(TPA, 0, &ok, &a.nb), 0);
	cr_assert_eq(reg(TPA, 0, &ok, &a.nb), -EEXIST);
	cr_assert_eq(unreg(TPA, 0, NULL, &a.nb), -ENOENT, "registered for source 0, not all");
	cr_assert_eq(unreg(TPA, 1, &ok, &a.nb), -ENOENT);
	cr_assert_eq(unreg(TPA, 0, &ok, &a.nb), 0);
	cr_assert_eq(unreg(TPA, 0, &ok, &a.nb), -ENOENT);
	cr_assert_eq(scmi_event_stats_get(h, 0x77, &(struct scmi_event_stats){0}), -ENOENT);
	cr_assert_eq(scmi_event_stats_get(h, TPA, NULL), -EINVAL);
	cr_assert_eq(scmi_event_stats_get(NULL, TPA, &(struct scmi_event_stats){0}), -EINVAL);
}

Test(notify, storm_of_registrations_during_an_event_stream, .init = NULL, .fini = NULL,
     .timeout = 240)
{
	struct workload_err err = {{0}};

	cr_assert_eq(workload_notify_storm(8, 100000, &err), 0, "%s", err.msg);
	cr_log_info("%s", err.msg);
}

/* ---- delivery ---------------------------------------------------------------------- */

struct slow {
	struct scmi_notifier_block nb;
	atomic_int calls;
	atomic_uint last_seq;
	atomic_int out_of_order;
	bool sleep;
};

static int slow_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct slow *s = (struct slow *)nb;
	const struct tp_report *r = report;

	if (atomic_load(&s->calls) && r->seq <= atomic_load(&s->last_seq))
		atomic_fetch_add(&s->out_of_order, 1);
	atomic_store(&s->last_seq, r->seq);
	atomic_fetch_add(&s->calls, 1);
	if (s->sleep)
		test_sleep_ms(1); /* a slow consumer, not synchronisation */
	return SCMI_NOTIFY_OK;
}

struct calls_wait {
	atomic_int *calls;
	int n;
};

static bool calls_reached(void *arg)
{
	struct calls_wait *w = arg;

	return atomic_load(w->calls) >= w->n;
}

Test(notify, flood_on_one_protocol_does_not_starve_another, .init = NULL)
{
	struct scmi_event_queue_config q = {.protocol_id = TPA, .depth = 16};
	struct scmi_config cfg = test_config(NULL);
	struct slow a = {.nb.notifier_call = slow_cb, .sleep = true};
	struct slow b = {.nb.notifier_call = slow_cb};
	struct scmi_event_stats sa, sb;
	uint32_t src = 0;
	struct calls_wait wb = {&b.calls, 200};

	cfg.event_queues = &q;
	cfg.num_event_queues = 1;
	open_cfg(&cfg);
	cr_assert_eq(tp_register_events(h, TPA), 0);
	cr_assert_eq(tp_register_events(h, TPB), 0);
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), 0);
	cr_assert_eq(reg(TPB, 0, &src, &b.nb), 0);
	for (int i = 0; i < 200; i++) {
		cr_assert_eq(tp_emit(h, TPA, 0, 0, 50, 0), 50);
		cr_assert_eq(tp_emit(h, TPB, 0, 0, 1, 0), 1);
	}
	cr_assert(test_wait_until(calls_reached, &wb, 10000));
	wait_handled(TPA, 10000);
	sa = estats(TPA);
	sb = estats(TPB);
	cr_assert_eq(sb.delivered, 200, "every B event delivered");
	cr_assert_eq(sb.dropped_queue_full, 0);
	cr_assert_gt(sa.dropped_queue_full, 0, "A's small queue overflowed");
	cr_assert_eq(sa.delivered + sa.dropped_queue_full, 10000);
	cr_assert_eq(sa.queue_depth, 16);
	cr_assert_eq(sa.queue_high_water, 16);
	cr_assert_eq(atomic_load(&a.out_of_order) + atomic_load(&b.out_of_order), 0,
		     "arrival order kept (drops drop the newest)");
}

/* Callbacks call back into libscmi. */
struct reentrant {
	struct scmi_notifier_block nb;
	atomic_int calls;
	int cmd_ret;
	uint32_t agent_id;
	int unreg_ret;
	struct scmi_notifier_block *other;
	int other_unreg_ret;
};

static int reentrant_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct reentrant *r = (struct reentrant *)nb;
	struct scmi_base_agent_info info = {0};
	uint32_t src = 0;

	if (atomic_fetch_add(&r->calls, 1))
		return SCMI_NOTIFY_OK;
	r->cmd_ret = h->base_ops->discover_agent(h, 2, &info);
	r->agent_id = info.id;
	if (r->other)
		r->other_unreg_ret = unreg(TPA, 0, &src, r->other);
	r->unreg_ret = unreg(TPA, 0, &src, &r->nb);
	return SCMI_NOTIFY_OK;
}

Test(notify, callbacks_send_commands_and_unregister)
{
	struct reentrant r = {.nb.notifier_call = reentrant_cb, .nb.priority = 1};
	struct rec victim;
	uint32_t src = 0;

	rec_init(&victim, 'v', 0, SCMI_NOTIFY_OK);
	r.other = &victim.nb;
	cr_assert_eq(reg(TPA, 0, &src, &r.nb), 0);
	cr_assert_eq(reg(TPA, 0, &src, &victim.nb), 0);
	cr_assert_eq(tp_emit(h, TPA, 0, 0, 3, 1), 3);
	wait_handled(TPA, 3);
	cr_assert_eq(atomic_load(&r.calls), 1, "unregistered itself during the first event");
	cr_assert_eq(r.cmd_ret, 0, "a command from a callback");
	cr_assert_eq(r.agent_id, 2);
	cr_assert_eq(r.unreg_ret, 0);
	cr_assert_eq(r.other_unreg_ret, 0);
	cr_assert_eq(atomic_load(&victim.calls), 0, "unregistered before its turn");
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 0, 0), 0, "last listener left");
	/* The callback may register again. */
	cr_assert_eq(reg(TPA, 0, &src, &r.nb), 0);
}

static int tamper_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	((struct tp_report *)report)->seq = 0xdeadbeef;
	return SCMI_NOTIFY_OK;
}

Test(notify, a_callback_cannot_tamper_with_the_next_ones_report)
{
	struct scmi_notifier_block bad = {.notifier_call = tamper_cb, .priority = 10};
	struct rec after;
	uint32_t src = 3;

	rec_init(&after, 'x', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(TPA, 2, &src, &bad), 0);
	cr_assert_eq(reg(TPA, 2, &src, &after.nb), 0);
	cr_assert_eq(tp_emit(h, TPA, 2, 3, 1, 0), 1);
	wait_handled(TPA, 1);
	cr_assert_neq(after.last.seq, 0xdeadbeef);
	cr_assert_eq(after.last.hdr.src_id, 3);
	cr_assert_eq(estats(TPA).tampered, 1);
}

Test(notify, malformed_payloads_are_dropped_and_counted)
{
	struct rec a;
	uint32_t src = 0;
	uint8_t shortp[8] = {0}, badsrc[12] = {9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
	struct scmi_sim_fault grow = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.every = 1,
		.count = 1,
		.protocol = TPA,
		.message = -1,
		.param = 4,
		.notifications = true,
	};

	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), 0);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, TPA, 0, shortp, sizeof(shortp)), 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, TPA, 0, badsrc, sizeof(badsrc)), 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, TPA, 7, badsrc, sizeof(badsrc)), 1);
	cr_assert_eq(scmi_sim_fault_add(sim, &grow), 0);
	cr_assert_eq(tp_emit(h, TPA, 0, 0, 1, 0), 1);
	cr_assert_eq(tp_emit(h, TPA, 0, 0, 1, 0), 1); /* this one is fine */
	wait_handled(TPA, 5);
	cr_assert_eq(estats(TPA).dropped_malformed, 4,
		     "short, unknown source, unknown event, too long");
	cr_assert_eq(atomic_load(&a.calls), 1);
	cr_assert_eq(estats(TPA).delivered, 1);
}

Test(notify, counters_and_timestamps)
{
	struct rec a;
	uint32_t src = 1;
	uint64_t before, after;
	struct scmi_event_stats st;

	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(tp_emit(h, TPA, 0, 1, 5, 1), 5); /* nobody listening */
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), 0);
	before = scmi_now_ns();
	cr_assert_eq(tp_emit(h, TPA, 0, 1, 3, 0), 3);
	wait_handled(TPA, 8);
	after = scmi_now_ns();
	st = estats(TPA);
	cr_assert_eq(st.received, 8);
	cr_assert_eq(st.dropped_no_handler, 5);
	cr_assert_eq(st.delivered, 3);
	cr_assert_eq(st.queue_depth, 256, "default depth");
	cr_assert(a.last.hdr.timestamp >= before && a.last.hdr.timestamp <= after,
		  "RX-time monotonic timestamp");
}

/* ---- delivery on the caller's libuv loop --------------------------------------------- */

struct on_loop {
	struct scmi_notifier_block nb;
	pthread_t expect;
	atomic_int calls;
	atomic_int wrong_thread;
};

static int on_loop_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct on_loop *o = (struct on_loop *)nb;

	if (!pthread_equal(pthread_self(), o->expect))
		atomic_fetch_add(&o->wrong_thread, 1);
	atomic_fetch_add(&o->calls, 1);
	return SCMI_NOTIFY_OK;
}

Test(notify, delivery_on_the_callers_loop, .init = NULL)
{
	struct scmi_config cfg = test_config(NULL);
	struct on_loop a = {.nb.notifier_call = on_loop_cb}, b = {.nb.notifier_call = on_loop_cb};
	uv_loop_t loop;
	uint32_t src = 0;
	uint64_t end;

	cr_assert_eq(uv_loop_init(&loop), 0);
	cfg.loop = &loop;
	open_cfg(&cfg);
	cr_assert_eq(tp_register_events(h, TPA), 0);
	cr_assert_eq(tp_register_events(h, TPB), 0);
	a.expect = b.expect = pthread_self();
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), 0);
	cr_assert_eq(reg(TPB, 0, NULL, &b.nb), 0);
	cr_assert_eq(tp_emit(h, TPA, 0, 0, 100, 0), 100);
	cr_assert_eq(tp_emit(h, TPB, 0, 2, 10, 0), 10);
	end = test_now_ms() + 10000;
	while ((atomic_load(&a.calls) < 100 || atomic_load(&b.calls) < 10) && test_now_ms() < end)
		uv_run(&loop, UV_RUN_ONCE);
	cr_assert_eq(atomic_load(&a.calls), 100);
	cr_assert_eq(atomic_load(&b.calls), 10);
	cr_assert_eq(atomic_load(&a.wrong_thread) + atomic_load(&b.wrong_thread), 0,
		     "callbacks run on the loop's thread");
	cr_assert_eq(unreg(TPA, 0, &src, &a.nb), 0, "no deadlock on the loop's thread");
	scmi_close(h);
	h = NULL;
	/* scmi_close() closed its async handle: the loop can finish. */
	cr_assert_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	cr_assert_eq(uv_loop_close(&loop), 0);
}

/* ---- real protocols end to end ------------------------------------------------------- */

struct base_rec {
	struct scmi_notifier_block nb;
	atomic_int calls;
	uint64_t reports[4];
	struct scmi_base_error_report rep; /* its header only: last */
};

static int base_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct base_rec *b = (struct base_rec *)nb;
	const struct scmi_base_error_report *r = report;

	b->rep = *r;
	for (unsigned int i = 0; i < r->cmd_count && i < 4; i++)
		b->reports[i] = r->reports[i];
	atomic_fetch_add(&b->calls, 1);
	return SCMI_NOTIFY_OK;
}

Test(notify, base_error_events)
{
	struct base_rec b = {.nb.notifier_call = base_cb};
	uint64_t reps[3] = {0x1111222233334444ull, 5, 6};
	struct calls_wait w = {&b.calls, 1};

	cr_assert_eq(scmi_sim_base_error_event(sim, 2, true, reps, 3), 0, "not enabled yet");
	cr_assert_eq(reg(SCMI_PROTOCOL_BASE, SCMI_EVENT_BASE_ERROR_EVENT, NULL, &b.nb), 0);
	cr_assert_eq(scmi_sim_notify_enabled(sim, SCMI_PROTOCOL_BASE, 0, 0), 1);
	cr_assert_eq(scmi_sim_base_error_event(sim, 2, true, reps, 3), 1);
	cr_assert(test_wait_until(calls_reached, &w, 5000));
	cr_assert_eq(b.rep.agent_id, 2);
	cr_assert(b.rep.fatal);
	cr_assert_eq(b.rep.cmd_count, 3);
	cr_assert_eq(b.reports[0], reps[0]);
	cr_assert_eq(b.reports[2], 6);
	cr_assert_eq(unreg(SCMI_PROTOCOL_BASE, 0, NULL, &b.nb), 0);
	cr_assert_eq(scmi_sim_notify_enabled(sim, SCMI_PROTOCOL_BASE, 0, 0), 0);
	cr_assert_eq(scmi_sim_base_error_event(sim, 2, false, reps, 1), 0, "disabled again");
}

/* Events of one protocol with different report sizes (perf: limits 40
 * bytes, then level 32): a listener that does not touch its report must
 * never be counted as tampering (found by fuzz_platform). */
static int counting_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	atomic_fetch_add((atomic_int *)(nb + 1), 1);
	return SCMI_NOTIFY_OK;
}

struct counting_nb {
	struct scmi_notifier_block nb;
	atomic_int calls; /* right after nb */
};

Test(notify, no_false_tampering_across_report_sizes)
{
	struct counting_nb n[4];
	struct scmi_sim_perf_domain d;
	struct scmi_sim_perf_level lo, mid, hi;
	struct calls_wait w = {&n[3].calls, 2};
	uint32_t dom = 0;

	cr_assert_not_null(h->perf_ops);
	for (int i = 0; i < 4; i++) {
		n[i].nb = (struct scmi_notifier_block){.notifier_call = counting_cb};
		atomic_init(&n[i].calls, 0);
		cr_assert_eq(reg(SCMI_PROTOCOL_PERF, (uint8_t)(i % 2), &dom, &n[i].nb), 0);
	}
	cr_assert_eq(scmi_sim_perf_domain_get(sim, 0, &d), 0);
	cr_assert_eq(scmi_sim_perf_level_entry(sim, 0, 0, &lo), 0);
	cr_assert_eq(scmi_sim_perf_level_entry(sim, 0, d.num_levels / 2, &mid), 0);
	cr_assert_eq(scmi_sim_perf_level_entry(sim, 0, d.num_levels - 1, &hi), 0);
	cr_assert_geq(scmi_sim_perf_level_set(sim, 0, hi.perf), 0);
	/* Capping below the level: LIMITS_CHANGED, then LEVEL_CHANGED. */
	cr_assert_geq(scmi_sim_perf_limits_set(sim, 0, mid.perf, lo.perf), 0);
	cr_assert(test_wait_until(calls_reached, &w, 5000), "two level events");
	wait_handled(SCMI_PROTOCOL_PERF, 3);
	cr_assert_eq(atomic_load(&n[0].calls), 1, "one limits event");
	cr_assert_eq(estats(SCMI_PROTOCOL_PERF).tampered, 0);
}

/* An event's source is checked exactly: source == number of sources is
 * malformed, even for a listener of every source; the last source is
 * delivered. */
Test(notify, source_equal_to_the_count_is_malformed)
{
	struct rec all;
	uint8_t last[12] = {3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
	uint8_t past[12] = {4, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0};

	rec_init(&all, 'A', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(TPA, 0, NULL, &all.nb), 0);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, TPA, 0, past, sizeof(past)), 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, TPA, 0, last, sizeof(last)), 1);
	wait_handled(TPA, 2);
	cr_assert_eq(estats(TPA).dropped_malformed, 1);
	cr_assert_eq(estats(TPA).delivered, 1);
	cr_assert_eq(atomic_load(&all.calls), 1);
	cr_assert_eq(all.last.hdr.src_id, 3);
}

/* Registrations name protocols the platform has (Base discovery). */
Test(notify, protocols_the_platform_lacks_are_refused)
{
	struct rec a;
	uint32_t src = 0;

	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(0x99, 0, &src, &a.nb), -EOPNOTSUPP, "vendor protocol not listed");
	cr_assert_eq(reg(0x1a, 0, NULL, &a.nb), -EOPNOTSUPP, "future standard id not listed");
	cr_assert_eq(reg(0x00, 0, &src, &a.nb), -EINVAL, "not a protocol id");
	cr_assert_eq(reg(0x0f, 0, &src, &a.nb), -EINVAL, "not a protocol id");
	cr_assert_eq(unreg(0x0f, 0, &src, &a.nb), -EINVAL);
	cr_assert_eq(unreg(0x99, 0, &src, &a.nb), -ENOENT);
	/* Listed and implemented, listed and not up: accepted. */
	cr_assert_eq(reg(SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, &src, &a.nb), 0);
	cr_assert_eq(unreg(SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, &src, &a.nb), 0);
}

Test(notify, protocols_of_a_newer_spec_are_refused_on_scmi_2_0, .init = NULL)
{
	struct scmi_config cfg = test_config(NULL);
	struct rec a;
	uint32_t src = 0;

	h = test_open("loopback://?profile=scmi-2.0", &cfg);
	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	cr_assert_null(h->powercap_ops);
	cr_assert_eq(reg(SCMI_PROTOCOL_POWERCAP, SCMI_EVENT_POWERCAP_CAP_CHANGED, &src, &a.nb),
		     -EOPNOTSUPP);
	cr_assert_eq(reg(SCMI_PROTOCOL_PINCTRL, 0, NULL, &a.nb), -EOPNOTSUPP);
	cr_assert_eq(reg(SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, &src, &a.nb), 0);
}

/* Pending registrations are found in O(1): 100 000 of them are quick. */
Test(notify, many_pending_registrations_are_cheap, .init = NULL)
{
	enum { N = 100000 };
	struct rec *r = calloc(N, sizeof(*r));
	uint64_t t0;

	open_cfg(NULL);
	cr_assert_not_null(r);
	t0 = test_now_ms();
	for (int i = 0; i < N; i++) {
		uint32_t src = (uint32_t)i % 4;

		r[i].nb.notifier_call = rec_cb;
		cr_assert_eq(reg(TPA, (uint8_t)(i % 3), &src, &r[i].nb), 0);
	}
	cr_assert_eq(reg(TPA, 0, &(uint32_t){0}, &r[0].nb), -EEXIST);
	for (int i = 0; i < N; i++) {
		uint32_t src = (uint32_t)i % 4;

		cr_assert_eq(unreg(TPA, (uint8_t)(i % 3), &src, &r[i].nb), 0);
	}
	cr_assert_lt(test_now_ms() - t0, 3000, "100 000 pending registrations took %llu ms",
		     (unsigned long long)(test_now_ms() - t0));
	scmi_close(h);
	h = NULL;
	free(r);
}

/*
 * Unregistering exactly while the protocol comes up and binds its pending
 * registrations (its NOTIFY enable is held up by a slow platform): the
 * unregistration finds the registration, the callback never runs, and
 * registering again works.
 */
static void *bring_up_tpa(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)tp_register_events(h, TPA);
}

static bool enable_reached_platform(void *arg)
{
	unsigned int en = 0, dis = 0;

	(void)arg;
	scmi_sim_notify_requests(sim, TPA, 1, 2, &en, &dis);
	return en >= 1;
}

Test(notify, unregister_while_the_protocol_binds_it, .init = NULL)
{
	struct scmi_sim_fault slow_notify = {
		.kind = SCMI_SIM_FAULT_DELAY,
		.every = 1,
		.protocol = TPA,
		.message = 0x5, /* the test protocol's NOTIFY */
		.param = 300000,
	};
	struct rec a;
	uint32_t src = 2;
	pthread_t th;
	void *ret;

	open_cfg(NULL);
	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(TPA, 1, &src, &a.nb), 0, "pending");
	cr_assert_eq(scmi_sim_fault_add(sim, &slow_notify), 0);
	cr_assert_eq(pthread_create(&th, NULL, bring_up_tpa, NULL), 0);
	/* The binder's enable is at the platform, its reply 300 ms away. */
	cr_assert(test_wait_until(enable_reached_platform, NULL, 5000));
	cr_assert_eq(unreg(TPA, 1, &src, &a.nb), 0, "the registration was lost");
	cr_assert_eq(unreg(TPA, 1, &src, &a.nb), -ENOENT);
	cr_assert_eq(pthread_join(th, &ret), 0);
	cr_assert_eq((intptr_t)ret, 0);
	scmi_sim_fault_clear(sim);
	/* The binder undid its enable; nothing listens, nothing is told. */
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 1, 2), 0);
	cr_assert_eq(tp_emit(h, TPA, 1, 2, 3, 1), 3);
	wait_handled(TPA, 3);
	cr_assert_eq(atomic_load(&a.calls), 0, "called after its unregistration returned 0");
	/* Registering again is a fresh registration. */
	cr_assert_eq(reg(TPA, 1, &src, &a.nb), 0);
	cr_assert_eq(scmi_sim_notify_enabled(sim, TPA, 1, 2), 1);
	cr_assert_eq(tp_emit(h, TPA, 1, 2, 2, 0), 2);
	wait_handled(TPA, 5);
	cr_assert_eq(atomic_load(&a.calls), 2);
	cr_assert_eq(unreg(TPA, 1, &src, &a.nb), 0);
}

/* Source ids at the edge: 0xffff is no source (it would alias the
 * all-sources key), 0xfffe is one a protocol may have. */
Test(notify, source_id_limits, .init = NULL)
{
	struct rec a, all;
	uint32_t last = 0xffff, below = 0xfffe, src = 1;

	open_cfg(NULL);
	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	rec_init(&all, 'A', 0, SCMI_NOTIFY_OK);
	/* TPB is not up: nothing but the arguments decides. */
	cr_assert_eq(reg(TPB, 0, &last, &a.nb), -EINVAL);
	cr_assert_eq(reg(TPB, 0, &below, &a.nb), 0, "kept pending");
	cr_assert_eq(unreg(TPB, 0, &below, &a.nb), 0);
	/* A listener of every source is not the listener of source 0xffff. */
	cr_assert_eq(tp_register_events(h, TPA), 0);
	cr_assert_eq(reg(TPA, 0, NULL, &all.nb), 0);
	cr_assert_eq(unreg(TPA, 0, &last, &all.nb), -EINVAL);
	cr_assert_eq(tp_emit(h, TPA, 0, src, 1, 0), 1);
	wait_handled(TPA, 1);
	cr_assert_eq(atomic_load(&all.calls), 1, "still registered");
	cr_assert_eq(unreg(TPA, 0, NULL, &all.nb), 0);
}

/* Unregistering twice, the second time for a block that was the chain's
 * last: -ENOENT, and the rest of the chain intact. */
Test(notify, unregister_twice_leaves_the_chain_intact)
{
	struct rec a, b;
	uint32_t src = 1;

	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	rec_init(&b, 'b', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(TPA, 0, &src, &a.nb), 0);
	cr_assert_eq(reg(TPA, 0, &src, &b.nb), 0);
	cr_assert_eq(unreg(TPA, 0, &src, &b.nb), 0);
	cr_assert_eq(unreg(TPA, 0, &src, &b.nb), -ENOENT);
	cr_assert_eq(tp_emit(h, TPA, 0, src, 2, 0), 2);
	wait_handled(TPA, 2);
	cr_assert_eq(atomic_load(&a.calls), 2);
	cr_assert_eq(atomic_load(&b.calls), 0);
	cr_assert_eq(unreg(TPA, 0, &src, &a.nb), 0);
	cr_assert_eq(unreg(TPA, 0, &src, &a.nb), -ENOENT);
}

/* A protocol that is up and has no events (Voltage): nothing to wait for. */
Test(notify, protocol_up_without_events_is_refused)
{
	struct rec a;
	uint32_t src = 0;

	rec_init(&a, 'a', 0, SCMI_NOTIFY_OK);
	cr_assert_eq(reg(SCMI_PROTOCOL_VOLTAGE, 0, &src, &a.nb), -EINVAL);
	cr_assert_eq(reg(SCMI_PROTOCOL_VOLTAGE, 0, NULL, &a.nb), -EINVAL);
	cr_assert_eq(unreg(SCMI_PROTOCOL_VOLTAGE, 0, &src, &a.nb), -ENOENT);
}

/* Unregistering a callback that runs on the delivery thread waits for it
 * to return. */
struct blocking_rec {
	struct scmi_notifier_block nb;
	uv_sem_t entered, release;
	atomic_int order; /* 1: the callback returned first */
	atomic_int seq;
};

static int blocking_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct blocking_rec *s = container_of(nb, struct blocking_rec, nb);

	(void)evt;
	(void)report;
	uv_sem_post(&s->entered);
	uv_sem_wait(&s->release);
	if (atomic_fetch_add(&s->seq, 1) == 0)
		atomic_store(&s->order, 1);
	return SCMI_NOTIFY_OK;
}

static struct blocking_rec blk;
static uint32_t blk_src = 2;

static void *blk_unregister(void *arg)
{
	(void)arg;
	cr_assert_eq(unreg(TPA, 0, &blk_src, &blk.nb), 0);
	if (atomic_fetch_add(&blk.seq, 1) == 0)
		atomic_store(&blk.order, 2);
	return NULL;
}

Test(notify, unregister_waits_for_the_running_callback)
{
	pthread_t th;

	memset(&blk, 0, sizeof(blk));
	blk.nb.notifier_call = blocking_cb;
	uv_sem_init(&blk.entered, 0);
	uv_sem_init(&blk.release, 0);
	cr_assert_eq(reg(TPA, 0, &blk_src, &blk.nb), 0);
	cr_assert_eq(tp_emit(h, TPA, 0, blk_src, 1, 0), 1);
	uv_sem_wait(&blk.entered);
	cr_assert_eq(pthread_create(&th, NULL, blk_unregister, NULL), 0);
	/* Give a wrong unregister the time to return early; a right one
	 * cannot, however long this is. */
	test_sleep_ms(50);
	uv_sem_post(&blk.release);
	cr_assert_eq(pthread_join(th, NULL), 0);
	cr_assert_eq(atomic_load(&blk.order), 1, "unregister returned while the callback ran");
	uv_sem_destroy(&blk.entered);
	uv_sem_destroy(&blk.release);
}

static bool calls_reach(void *arg)
{
	struct rec *r = arg;

	return atomic_load(&r->calls) >= r->want;
}

/*
 * A platform may send an event as soon as it has answered the enable (here
 * the test protocol sends one right after each enable): the registration
 * must be listening by then -- a new one, one bound when its protocol
 * comes up, and one for every source.  Each enable is a register /
 * unregister pair, so every round enables at the platform again.
 */
Test(notify, an_event_right_after_the_enable_is_delivered, .init = NULL)
{
	struct rec one, pend, all;
	uint32_t src = 3;
	const int rounds = 100;

	open_cfg(NULL);
	rec_init(&pend, 'p', 0, SCMI_NOTIFY_OK);
	pend.want = 1;
	cr_assert_eq(reg(TPA, 2, &src, &pend.nb), 0); /* pending: TPA not up */
	atomic_store(&tp_emit_on_enable, true);
	cr_assert_eq(tp_register_events(h, TPA), 0);
	cr_assert(test_wait_until(calls_reach, &pend, 10000), "pending one: %d calls",
		  atomic_load(&pend.calls));

	rec_init(&one, 'o', 0, SCMI_NOTIFY_OK);
	for (int i = 1; i <= rounds; i++) {
		src = (uint32_t)i % 4;
		cr_assert_eq(reg(TPA, 0, &src, &one.nb), 0);
		one.want = i;
		cr_assert(test_wait_until(calls_reach, &one, 10000), "round %d: %d calls", i,
			  atomic_load(&one.calls));
		cr_assert_eq(unreg(TPA, 0, &src, &one.nb), 0);
	}
	rec_init(&all, 'A', 0, SCMI_NOTIFY_OK);
	all.want = 4;
	cr_assert_eq(reg(TPA, 1, NULL, &all.nb), 0);
	cr_assert(test_wait_until(calls_reach, &all, 10000), "all sources: %d calls",
		  atomic_load(&all.calls));
	atomic_store(&tp_emit_on_enable, false);
	wait_handled(TPA, (uint64_t)rounds + 5);
	cr_assert_eq(estats(TPA).dropped_no_handler, 0);
	cr_assert_eq(estats(TPA).delivered, (uint64_t)rounds + 5);
	cr_assert_eq(atomic_load(&one.calls), rounds);
}

// SPDX-License-Identifier: BSD-3-Clause
/* System power management protocol, against both simulator profiles. */
#include <errno.h>
#include <stdatomic.h>

#include "helpers.h"

#include "../sim/sim-internal.h"

static struct scmi_handle *h;
/* The simulator, looked up at each use: a test skips there on a transport
 * without one (helpers.h, test_sim()). */
#define sim test_sim(h)

static void open_uri(const char *uri)
{
	h = test_open(uri, NULL);
	cr_assert_not_null(h->system_ops, "%s lists System", uri);
}

static void teardown(void)
{
	scmi_close(h);
	h = NULL;
}

static uint64_t sim_requests(void)
{
	return test_requests(h);
}

struct sys_rec {
	struct scmi_notifier_block nb;
	atomic_int calls;
	struct scmi_system_power_state_notifier_report rep;
};

static int sys_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct sys_rec *r = (struct sys_rec *)nb;

	r->rep = *(const struct scmi_system_power_state_notifier_report *)report;
	atomic_fetch_add(&r->calls, 1);
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

static void wait_calls(struct sys_rec *r, int n)
{
	struct calls_wait w = {&r->calls, n};

	cr_assert(test_wait_until(calls_reached, &w, 5000), "%d notifications expected", n);
}

TestSuite(system, .fini = teardown, .timeout = 30);

Test(system, discovery_newest)
{
	const struct scmi_system_info *info;

	open_uri("loopback://");
	cr_assert_eq(h->system_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(info->version, SCMI_PROTO_VERSION(2, 1));
	cr_assert(info->warm_reset);
	cr_assert(info->suspend);
	cr_assert_not(info->state_get, "STATE_GET is gone from 2.0");
	cr_assert(info->notify_timeout);
	cr_assert(info->notifier);
	cr_assert_eq(h->system_ops->protocol_info_get(h, NULL), -EINVAL);
}

Test(system, discovery_scmi2)
{
	const struct scmi_system_info *info;
	uint32_t state;

	open_uri("loopback://?profile=scmi-2.0");
	cr_assert_eq(h->system_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(info->version, SCMI_PROTO_VERSION(1, 0));
	cr_assert(info->state_get);
	cr_assert_not(info->notify_timeout);
	cr_assert(info->notifier);
	cr_assert_eq(h->system_ops->state_get(h, &state), 0);
	cr_assert_eq(state, SCMI_SYSTEM_POWER_UP);
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_SUSPEND, true), 0);
	cr_assert_eq(h->system_ops->state_get(h, &state), 0);
	cr_assert_eq(state, SCMI_SYSTEM_SUSPEND);
}

Test(system, state_set_reaches_the_platform)
{
	uint32_t state;
	bool graceful;

	open_uri("loopback://");
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_SHUTDOWN, true), 0);
	cr_assert_eq(scmi_sim_system_state_get(sim, &state, &graceful), 0);
	cr_assert_eq(state, SCMI_SYSTEM_SHUTDOWN);
	cr_assert(graceful);
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_COLD_RESET, false), 0);
	cr_assert_eq(scmi_sim_system_state_get(sim, &state, &graceful), 0);
	cr_assert_eq(state, SCMI_SYSTEM_COLD_RESET);
	cr_assert_not(graceful);
	cr_assert_eq(h->system_ops->state_get(h, &state), -EOPNOTSUPP);
	cr_assert_eq(h->system_ops->state_get(h, NULL), -EINVAL);
}

Test(system, unsupported_states_refused_locally)
{
	uint64_t before;

	open_uri("loopback://");
	/* Before the protocol comes up: it discovers the platform without them. */
	cr_assert_eq(scmi_sim_system_features_set(sim, false, false), 0);
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_WARM_RESET, true), -EOPNOTSUPP);
	before = sim_requests();
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_SUSPEND, true), -EOPNOTSUPP);
	cr_assert_eq(h->system_ops->state_set(h, 0x80000001u, true), -EOPNOTSUPP);
	cr_assert_eq(h->system_ops->state_set(h, 7, true), -EINVAL);
	/* Boundaries: the first undefined state after SUSPEND, the last one
	 * before the vendor range, the first vendor state. */
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_SUSPEND + 1, true), -EINVAL);
	cr_assert_eq(h->system_ops->state_set(h, 0x7fffffffu, false), -EINVAL);
	cr_assert_eq(h->system_ops->state_set(h, 0x80000000u, false), -EOPNOTSUPP);
	cr_assert_eq(sim_requests(), before, "nothing sent");
	cr_assert_str_eq(scmi_system_state_name(SCMI_SYSTEM_WARM_RESET), "warm-reset");
	cr_assert_str_eq(scmi_system_state_name(0x80000005u), "vendor");
}

Test(system, denied_agent)
{
	open_uri("loopback://");
	/* The agent revokes its own use of System on the system device. */
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, 0, SCMI_PROTOCOL_SYSTEM, false),
		     0);
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_SHUTDOWN, false), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
}

static void notifier_roundtrip(bool v2)
{
	struct sys_rec r = {.nb.notifier_call = sys_cb};
	const struct scmi_system_info *info;

	cr_assert_eq(h->system_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_SYSTEM,
							    SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER,
							    NULL, &r.nb),
		     0);
	cr_assert_eq(test_notify_enabled(h, SCMI_PROTOCOL_SYSTEM, 0, 0), 1);
	cr_assert_eq(scmi_sim_system_request(sim, 0, SCMI_SYSTEM_WARM_RESET, true, 3000), 1);
	wait_calls(&r, 1);
	cr_assert_eq(r.rep.agent_id, 0);
	cr_assert(r.rep.graceful);
	cr_assert_eq(r.rep.flags, 1);
	cr_assert_eq(r.rep.system_state, SCMI_SYSTEM_WARM_RESET);
	cr_assert_eq(r.rep.has_timeout, v2);
	cr_assert_eq(r.rep.timeout_ms, v2 ? 3000u : 0u);
	cr_assert_gt(r.rep.hdr.timestamp, 0);

	/* A request of this agent is announced too. */
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_SHUTDOWN, false), 0);
	wait_calls(&r, 2);
	cr_assert_eq(r.rep.agent_id, 1);
	cr_assert_not(r.rep.graceful);
	cr_assert_eq(r.rep.system_state, SCMI_SYSTEM_SHUTDOWN);

	cr_assert_eq(h->notify_ops->event_notifier_unregister(
			     h, SCMI_PROTOCOL_SYSTEM, SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, NULL,
			     &r.nb),
		     0);
	cr_assert_eq(test_notify_enabled(h, SCMI_PROTOCOL_SYSTEM, 0, 0), 0);
	cr_assert_eq(scmi_sim_system_request(sim, 0, SCMI_SYSTEM_SHUTDOWN, true, 1), 0,
		     "not sent once disabled");
	cr_assert_eq(atomic_load(&r.calls), 2);
}

Test(system, notifier_v2_carries_a_timeout)
{
	open_uri("loopback://");
	notifier_roundtrip(true);
}

Test(system, notifier_v1_has_no_timeout)
{
	open_uri("loopback://?profile=scmi-2.0");
	notifier_roundtrip(false);
}

static bool two_malformed(void *arg)
{
	struct scmi_event_stats st;

	(void)arg;
	return !scmi_event_stats_get(h, SCMI_PROTOCOL_SYSTEM, &st) && st.dropped_malformed >= 2;
}

Test(system, malformed_notifier_dropped)
{
	struct sys_rec r = {.nb.notifier_call = sys_cb};
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.every = 1,
		.count = 2,
		.protocol = 0x12,
		.message = -1,
		.param = -4,
		.notifications = true,
	};
	struct scmi_event_stats st;

	open_uri("loopback://");
	cr_assert_eq(
		h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_SYSTEM, 0, NULL, &r.nb), 0);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(scmi_sim_system_request(sim, 0, 1, true, 10), 1); /* 12 bytes on v2 */
	f.param = 4;
	cr_assert_eq(test_fault_add(h, &f), 0);
	/* Both knobs: -4 + 4, fine; then the second alone: 20 bytes. */
	cr_assert_eq(scmi_sim_system_request(sim, 0, 1, true, 10), 1);
	cr_assert_eq(scmi_sim_system_request(sim, 0, 1, true, 10), 1);
	wait_calls(&r, 1);
	/* The last one may still be on its way (over shmem, P2A takes one
	 * message at a time). */
	cr_assert(test_wait_until(two_malformed, NULL, 5000));
	cr_assert(test_wait_delivered(h, SCMI_PROTOCOL_SYSTEM, 1, 5000));
	cr_assert_eq(scmi_event_stats_get(h, SCMI_PROTOCOL_SYSTEM, &st), 0);
	cr_assert_eq(st.dropped_malformed, 2);
	cr_assert_eq(st.delivered, 1);
}

Test(system, negotiates_down_from_a_newer_platform)
{
	const struct scmi_system_info *info;
	struct sys_rec r = {.nb.notifier_call = sys_cb};

	open_uri("loopback://?versions=system:2.4");
	cr_assert_eq(h->system_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(info->version, SCMI_PROTO_VERSION(2, 1));
	cr_assert_eq(
		h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_SYSTEM, 0, NULL, &r.nb), 0);
	cr_assert_eq(scmi_sim_system_request(sim, 0, 0, false, 0), 1);
	wait_calls(&r, 1);
	cr_assert(r.rep.has_timeout);
}

/* A platform with SYSTEM_POWER_STATE_SET only. */
static void rogue_ok(struct sim_ctx *ctx)
{
	(void)ctx;
}

static const struct sim_cmd rogue_cmds[] = {
	{0x3, 0, 8, rogue_ok},
};

static const uint32_t rogue_versions[] = {SIM_VERSION(2, 0), 0};

static const struct sim_proto_ops rogue_ops = {
	.id = SCMI_PROTOCOL_SYSTEM,
	.name = "rogue-system",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = SIM_ARRAY_SIZE(rogue_cmds),
};

/* Spec §3.2: optional *_NOTIFY commands are probed before use; without
 * SYSTEM_POWER_STATE_NOTIFY the notifier is refused locally. */
Test(system, notifier_needs_the_command)
{
	struct sys_rec r = {.nb.notifier_call = sys_cb};
	const struct scmi_system_info *info;
	uint64_t before;

	open_uri("loopback://");
	test_model_swap(sim, &rogue_ops, SIM_VERSION(2, 0));
	cr_assert_eq(h->system_ops->protocol_info_get(h, &info), 0);
	cr_assert_not(info->notifier);
	cr_assert_not(info->state_get);
	before = sim_requests();
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_SYSTEM,
							    SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER,
							    NULL, &r.nb),
		     -EOPNOTSUPP);
	cr_assert_eq(sim_requests(), before, "nothing sent");
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_SHUTDOWN, true), 0);
}

/* The optional states are information: a platform that refuses to give
 * them (or answers malformed) advertises none, the protocol still works;
 * no answer at all fails the bring-up, retried on the next call. */
Test(system, message_attributes_refused_or_malformed)
{
	static const char *const uris[] = {
		"loopback://?status=system:protocol_message_attributes:DENIED",
		"loopback://?status=system:protocol_message_attributes:GENERIC_ERROR",
		"loopback://?bad_len_at=0x12:2:-4",
	};

	for (size_t u = 0; u < SIM_ARRAY_SIZE(uris); u++) {
		const struct scmi_system_info *info;
		uint64_t before;

		open_uri(uris[u]);
		cr_assert_eq(h->system_ops->protocol_info_get(h, &info), 0, "%s", uris[u]);
		cr_assert_not(info->warm_reset);
		cr_assert_not(info->suspend);
		cr_assert_not(info->notifier, "unknown, so not used");
		before = sim_requests();
		cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_WARM_RESET, true),
			     -EOPNOTSUPP);
		cr_assert_eq(sim_requests(), before, "nothing sent");
		cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_COLD_RESET, false), 0, "%s",
			     uris[u]);
		cr_assert_eq(sim_requests(), before + 1);
		scmi_close(h);
		h = NULL;
	}
	open_uri("loopback://");
}

Test(system, message_attributes_timeout_retried)
{
	struct scmi_config cfg = test_config(NULL);
	const struct scmi_system_info *info;
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = SCMI_PROTOCOL_SYSTEM,
		.message = 0x2,
	};

	cfg.timeout_ms = 100;
	h = test_open("loopback://", &cfg);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->system_ops->protocol_info_get(h, &info), -ETIMEDOUT);
	cr_assert_eq(h->system_ops->protocol_info_get(h, &info), 0);
	cr_assert(info->warm_reset && info->suspend, "the default platform has both");
}

/* ---- non-blocking calls (SCMI_ASYNC) ------------------------------------------ */

/* Every op, blocking and under SCMI_ASYNC(): the same results, outputs and
 * effect on the platform; in both profiles (STATE_GET exists in 1.0). */
static void every_op_non_blocking(const char *uri)
{
	const struct scmi_system_info *i1, *i2 = NULL;
	uint32_t s1, s2;
	struct test_req a = {0};
	uint64_t before;

	open_uri(uri);
	cr_assert_eq(h->system_ops->protocol_info_get(h, &i1), 0);
	cr_assert_eq(TEST_ASYNC(h, &a, h->system_ops->protocol_info_get(h, &i2)), 0);
	cr_assert_eq(i1, i2);

	cr_assert_eq(TEST_ASYNC(h, &a, h->system_ops->state_set(h, SCMI_SYSTEM_COLD_RESET, false)),
		     0);
	if (test_has_sim()) {
		bool graceful = true;

		cr_assert_eq(scmi_sim_system_state_get(sim, &s1, &graceful), 0);
		cr_assert_eq(s1, SCMI_SYSTEM_COLD_RESET);
		cr_assert_not(graceful);
	}
	cr_assert_eq(TEST_ASYNC(h, &a, h->system_ops->state_set(h, SCMI_SYSTEM_SUSPEND, true)),
		     h->system_ops->state_set(h, SCMI_SYSTEM_SUSPEND, true));
	if (i1->state_get) {
		s1 = 77;
		s2 = 88;
		cr_assert_eq(h->system_ops->state_get(h, &s1), 0);
		cr_assert_eq(TEST_ASYNC(h, &a, h->system_ops->state_get(h, &s2)), 0);
		cr_assert_eq(s1, s2);
		cr_assert_eq(s2, SCMI_SYSTEM_SUSPEND);
	} else {
		cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->system_ops->state_get(h, &s2)),
			     -EOPNOTSUPP);
	}

	/* Refused locally: the blocking op's errno, nothing sent, no callback. */
	before = sim_requests();
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->system_ops->protocol_info_get(h, NULL)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->system_ops->state_get(h, NULL)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->system_ops->state_set(h, 7, true)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->system_ops->state_set(h, 0x80000000u, true)),
		     -EOPNOTSUPP);
	cr_assert_eq(sim_requests(), before, "nothing sent");
	cr_assert_eq(atomic_load(&a.calls), 0);

	/* A platform error: the same errno, through the callback. */
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, 0, SCMI_PROTOCOL_SYSTEM, false),
		     0);
	cr_assert_eq(h->system_ops->state_set(h, SCMI_SYSTEM_SHUTDOWN, false), -EACCES);
	cr_assert_eq(TEST_ASYNC(h, &a, h->system_ops->state_set(h, SCMI_SYSTEM_SHUTDOWN, false)),
		     -EACCES);
	if (i1->state_get)
		cr_assert_eq(TEST_ASYNC(h, &a, h->system_ops->state_get(h, &s2)),
			     h->system_ops->state_get(h, &s1));
}

Test(system, every_op_non_blocking_newest)
{
	every_op_non_blocking("loopback://");
}

Test(system, every_op_non_blocking_scmi2)
{
	every_op_non_blocking("loopback://?profile=scmi-2.0");
}

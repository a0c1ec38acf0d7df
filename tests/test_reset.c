// SPDX-License-Identifier: BSD-3-Clause
/*
 * Reset domain protocol (0x16) against the simulator: discovery equals the
 * model in every version (1.0, 2.0, 3.0, 3.1; the scmi-2.0 profile has
 * 1.0), every form of RESET, local refusals, platform errors, the async
 * form and its delayed response, RESET_ISSUED on and off, malformed
 * platform data.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>

#include <scmi/protocols/reset.h>

#include "helpers.h"

#include "../sim/sim-internal.h"

#define RESET 0x16
/* Domains of the default model (see scmi-sim/reset.h). */
#define D_CPU  0 /* sync only, notify, explicit */
#define D_GPU  1 /* async, notify, explicit, impl states 1 and 2 */
#define D_DISP 2 /* async, no notify, unknown latency, extended name */
#define D_USB  3 /* autonomous only, no notify, extended name */
#define D_PCIE 4 /* async, notify, impl states 0 and 5, extended name */
#define D_WDOG 5 /* autonomous only, notify */

static struct scmi_sim_reset_domain model(struct scmi_handle *h, uint32_t id)
{
	struct scmi_sim_reset_domain d;

	cr_assert_eq(test_reset_domain(h, id, &d), 0);
	return d;
}

/* Domain @id as the platform describes it (test_model(): any transport). */
static struct scmi_sim_reset_domain model_desc(struct scmi_handle *h, uint32_t id)
{
	struct scmi_sim_reset_domain d;

	cr_assert_eq(scmi_sim_reset_domain_get(test_model(h), id, &d), 0);
	return d;
}

static int notify_enabled(struct scmi_handle *h, uint32_t domain);

static uint64_t sim_requests(struct scmi_handle *h)
{
	return test_requests(h);
}

static uint32_t my_agent_id(struct scmi_handle *h)
{
	struct scmi_sim_base_info bi;

	cr_assert_eq(scmi_sim_base_info_get(test_model(h), &bi), 0);
	return bi.agent_id;
}

/* Everything discovered equals the model, with the layouts of @version. */
static void check_discovery(struct scmi_handle *h, uint32_t version)
{
	const struct scmi_reset_ops *ops = h->reset_ops;
	int n;

	cr_assert_not_null(ops);
	n = ops->count_get(h);
	cr_assert_eq(n, scmi_sim_reset_num_domains(test_model(h)));
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		const struct scmi_reset_domain_info *info;
		struct scmi_sim_reset_domain d = model_desc(h, i);
		bool ext = d.extended_name && version >= SCMI_PROTO_VERSION(3, 0);

		cr_assert_eq(ops->info_get(h, i, &info), 0);
		cr_assert_eq(info->id, i);
		cr_assert(info->usable, "domain %u", i);
		cr_assert_eq(info->err, 0);
		cr_assert_str_eq(info->name, ext ? d.name : d.short_name, "domain %u", i);
		cr_assert_eq(info->extended_name, ext, "domain %u", i);
		cr_assert_eq(info->latency_us, d.latency_us, "domain %u", i);
		cr_assert_eq(info->async_reset, d.async, "domain %u", i);
		cr_assert_eq(info->notifications, d.notify, "domain %u", i);
	}
}

Test(reset, discovery_newest)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	const struct scmi_reset_domain_info *info;

	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	/* What the default platform exercises: both ways of every flag. */
	cr_assert_eq(h->reset_ops->info_get(h, D_DISP, &info), 0);
	cr_assert_eq(info->latency_us, SCMI_RESET_LATENCY_UNKNOWN);
	cr_assert_str_eq(info->name, "display_controller_main");
	cr_assert_gt(strlen(info->name), 15);
	scmi_close(h);
}

Test(reset, discovery_each_version)
{
	static const struct {
		const char *uri;
		uint32_t version;
	} cases[] = {
		{"loopback://?versions=reset:1.0", SCMI_PROTO_VERSION(1, 0)},
		{"loopback://?versions=reset:2.0", SCMI_PROTO_VERSION(2, 0)},
		{"loopback://?versions=reset:3.0", SCMI_PROTO_VERSION(3, 0)},
		{"loopback://?profile=scmi-2.0", SCMI_PROTO_VERSION(1, 0)},
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct scmi_handle *h = test_open(cases[c].uri, NULL);

		check_discovery(h, cases[c].version);
		scmi_close(h);
	}
}

Test(reset, negotiates_down_from_newer_platform)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://?versions=reset:3.7", &cfg);
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	cr_assert(test_log_contains(&lg, "reset: negotiated version 0x30001"), "%s", lg.text);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC), 0);
	scmi_close(h);
}

Test(reset, discovery_cached)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_reset_domain_info *a, *b;
	uint64_t before;

	cr_assert_eq(h->reset_ops->info_get(h, 0, &a), 0);
	before = sim_requests(h);
	for (int i = 0; i < 10; i++) {
		cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
		cr_assert_eq(h->reset_ops->info_get(h, 0, &b), 0);
	}
	cr_assert_eq(a, b, "the same cached entry");
	cr_assert_eq(sim_requests(h), before, "discovery is not repeated");
	scmi_close(h);
}

Test(reset, autonomous_sync)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_stats st;
	struct scmi_sim_reset_domain d;

	cr_assert_eq(h->reset_ops->reset(h, D_CPU, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC), 0);
	d = model(h, D_CPU);
	cr_assert_eq(d.resets, 1);
	cr_assert_eq(d.async_resets, 0);
	cr_assert_eq(d.last_state, SCMI_RESET_STATE_COLD);
	cr_assert_eq(d.last_agent, my_agent_id(h));
	cr_assert_not(d.asserted);
	/* AUTO on a domain without async support: synchronous. */
	cr_assert_eq(h->reset_ops->reset(h, D_WDOG, SCMI_RESET_STATE_COLD, SCMI_RESET_AUTO), 0);
	cr_assert_eq(model(h, D_WDOG).resets, 1);
	cr_assert_eq(model(h, D_WDOG).async_resets, 0);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.delayed_responses, 0);
	scmi_close(h);
}

Test(reset, autonomous_async)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_stats st;

	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC), 0);
	cr_assert_eq(model(h, D_GPU).resets, 1);
	cr_assert_eq(model(h, D_GPU).async_resets, 1);
	/* AUTO picks the async form where the domain has it. */
	cr_assert_eq(h->reset_ops->reset(h, D_PCIE, SCMI_RESET_STATE_IMPL(5), SCMI_RESET_AUTO), 0);
	cr_assert_eq(model(h, D_PCIE).async_resets, 1);
	cr_assert_eq(model(h, D_PCIE).last_state, SCMI_RESET_STATE_IMPL(5));
	/* Unknown latency: still completes. */
	cr_assert_eq(h->reset_ops->reset(h, D_DISP, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC), 0);
	/* SYNC on an async-capable domain: no delayed response. */
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC), 0);
	cr_assert_eq(model(h, D_GPU).resets, 2);
	cr_assert_eq(model(h, D_GPU).async_resets, 1);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.delayed_responses, 3);
	scmi_close(h);
}

Test(reset, async_delayed_response_checked)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);

	cr_assert_eq(scmi_sim_reset_misbehave(sim, SCMI_SIM_RESET_DRESP_WRONG_DOMAIN), 0);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC),
		     -EPROTO);
	cr_assert_eq(scmi_sim_reset_misbehave(sim, SCMI_SIM_RESET_DRESP_SHORT), 0);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC),
		     -EPROTO);
	cr_assert_eq(scmi_sim_reset_misbehave(sim, SCMI_SIM_RESET_BEHAVE), 0);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC), 0);
	cr_assert_eq(scmi_sim_reset_misbehave(sim, 42), -EINVAL);
	scmi_close(h);
}

Test(reset, async_delayed_response_timeout)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_LATE_DRESP,
		.count = 1,
		.protocol = RESET,
		.message = 0x4,
		.param = 500000,
	};
	struct scmi_stats st;

	cfg.dresp_timeout_ms = 50;
	h = test_open(NULL, &cfg);
	cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC),
		     -ETIMEDOUT);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.dresp_timeouts, 1);
	/* Delayed response before the response: still completes. */
	f.kind = SCMI_SIM_FAULT_DRESP_FIRST;
	f.param = 0;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC), 0);
	scmi_close(h);
}

Test(reset, explicit_assert_deassert)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim_reset_domain d;

	cr_assert_eq(h->reset_ops->reset_assert(h, D_GPU, SCMI_RESET_STATE_IMPL(2)), 0);
	d = model(h, D_GPU);
	cr_assert(d.asserted);
	cr_assert_eq(d.asserted_state, SCMI_RESET_STATE_IMPL(2));
	cr_assert_eq(d.resets, 1);
	cr_assert_eq(h->reset_ops->reset_deassert(h, D_GPU, SCMI_RESET_STATE_IMPL(2)), 0);
	d = model(h, D_GPU);
	cr_assert_not(d.asserted);
	cr_assert_eq(d.deasserts, 1);
	cr_assert_eq(d.resets, 1, "a de-assert is not a reset");

	/* An autonomous reset releases an asserted domain. */
	cr_assert_eq(h->reset_ops->reset_assert(h, D_CPU, SCMI_RESET_STATE_COLD), 0);
	cr_assert(model(h, D_CPU).asserted);
	cr_assert_eq(h->reset_ops->reset(h, D_CPU, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC), 0);
	cr_assert_not(model(h, D_CPU).asserted);

	/* Autonomous-only domains refuse explicit control. */
	cr_assert_eq(h->reset_ops->reset_assert(h, D_USB, SCMI_RESET_STATE_COLD), -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(h->reset_ops->reset_deassert(h, D_WDOG, SCMI_RESET_STATE_COLD), -EOPNOTSUPP);
	cr_assert_eq(model(h, D_USB).resets, 0);
	scmi_close(h);
}

Test(reset, agent_configuration_reset_releases_domains)
{
	struct scmi_handle *h = test_open(NULL, NULL);

	cr_assert_eq(h->reset_ops->reset_assert(h, D_PCIE, SCMI_RESET_STATE_COLD), 0);
	cr_assert(model(h, D_PCIE).asserted);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, my_agent_id(h), false), 0);
	cr_assert_not(model(h, D_PCIE).asserted);
	scmi_close(h);
}

Test(reset, reset_states)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	uint64_t before;

	/* Implementation-defined states the domain has, and one it lacks. */
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_IMPL(1), SCMI_RESET_SYNC), 0);
	cr_assert_eq(model(h, D_GPU).last_state, 0x80000001u);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_IMPL(3), SCMI_RESET_SYNC),
		     -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(
		h->reset_ops->reset(h, D_CPU, SCMI_RESET_STATE_IMPL(0x7fffffff), SCMI_RESET_SYNC),
		-EOPNOTSUPP);
	cr_assert_eq(model(h, D_GPU).resets, 1);
	/* Reserved architectural states: refused locally. */
	before = sim_requests(h);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, 1, SCMI_RESET_SYNC), -EINVAL);
	cr_assert_eq(h->reset_ops->reset_assert(h, D_GPU, 0x7fffffff), -EINVAL);
	cr_assert_eq(h->reset_ops->reset_deassert(h, D_GPU, 2), -EINVAL);
	cr_assert_eq(sim_requests(h), before, "nothing was sent");
	scmi_close(h);
}

Test(reset, local_validation_sends_nothing)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_reset_domain_info *info;
	uint32_t n;
	uint64_t before;

	n = (uint32_t)h->reset_ops->count_get(h);
	before = sim_requests(h);
	cr_assert_eq(h->reset_ops->info_get(h, n, &info), -EINVAL);
	cr_assert_eq(h->reset_ops->info_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(h->reset_ops->reset(h, n, 0, SCMI_RESET_SYNC), -EINVAL);
	cr_assert_eq(h->reset_ops->reset(h, 0xffffffff, 0, SCMI_RESET_AUTO), -EINVAL);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, 0, (enum scmi_reset_mode)7), -EINVAL);
	cr_assert_eq(h->reset_ops->reset_assert(h, n, 0), -EINVAL);
	cr_assert_eq(h->reset_ops->reset_deassert(h, n, 0), -EINVAL);
	/* Async on a domain that does not advertise it. */
	cr_assert_eq(h->reset_ops->reset(h, D_CPU, 0, SCMI_RESET_ASYNC), -EOPNOTSUPP);
	cr_assert_eq(h->reset_ops->reset(h, D_USB, 0, SCMI_RESET_ASYNC), -EOPNOTSUPP);
	cr_assert_eq(sim_requests(h), before, "nothing was sent");
	cr_assert_eq(model(h, D_CPU).resets, 0);
	scmi_close(h);
}

Test(reset, platform_errors)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);
	uint8_t tx[12] = {0}, rx[8];

	cr_assert_eq(scmi_sim_reset_denied_set(sim, D_GPU, true), 0);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, 0, SCMI_RESET_ASYNC), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_eq(h->reset_ops->reset_assert(h, D_GPU, 0), -EACCES);
	cr_assert_eq(model(h, D_GPU).resets, 0);
	cr_assert_eq(scmi_sim_reset_denied_set(sim, D_GPU, false), 0);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, 0, SCMI_RESET_ASYNC), 0);

	/* What the agent never sends, through the raw interface. */
	tx[0] = 9; /* unknown domain */
	cr_assert_eq(scmi_raw_command(h, RESET, 0x4, tx, 12, rx, sizeof(rx), NULL), -ENOENT);
	tx[0] = D_GPU;
	tx[4] = 0x8; /* reserved flag */
	cr_assert_eq(scmi_raw_command(h, RESET, 0x4, tx, 12, rx, sizeof(rx), NULL), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	tx[4] = 0x4; /* async without autonomous */
	cr_assert_eq(scmi_raw_command(h, RESET, 0x4, tx, 12, rx, sizeof(rx), NULL), -EINVAL);
	tx[4] = 0x1;
	tx[8] = 3; /* reserved architectural state */
	cr_assert_eq(scmi_raw_command(h, RESET, 0x4, tx, 12, rx, sizeof(rx), NULL), -EINVAL);
	cr_assert_eq(scmi_raw_command(h, RESET, 0x4, tx, 8, rx, sizeof(rx), NULL), -EPROTO);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_PROTOCOL_ERROR);
	tx[0] = 9;
	cr_assert_eq(scmi_raw_command(h, RESET, 0x3, tx, 4, rx, sizeof(rx), NULL), -ENOENT);
	/* RESET_NOTIFY: unknown domain, reserved bits, a domain that cannot. */
	memset(tx, 0, sizeof(tx));
	tx[0] = 9;
	tx[4] = 1;
	cr_assert_eq(scmi_raw_command(h, RESET, 0x5, tx, 8, rx, sizeof(rx), NULL), -ENOENT);
	tx[0] = D_CPU;
	tx[4] = 3;
	cr_assert_eq(scmi_raw_command(h, RESET, 0x5, tx, 8, rx, sizeof(rx), NULL), -EINVAL);
	tx[0] = D_DISP;
	tx[4] = 1;
	cr_assert_eq(scmi_raw_command(h, RESET, 0x5, tx, 8, rx, sizeof(rx), NULL), -EOPNOTSUPP);
	cr_assert_eq(notify_enabled(h, D_DISP), 0);
	/* NAME_GET exists from 3.0 only. */
	scmi_close(h);

	h = test_open("loopback://?versions=reset:2.0", NULL);
	tx[0] = 0;
	cr_assert_eq(scmi_raw_command(h, RESET, 0x6, tx, 4, rx, sizeof(rx), NULL), -ENOENT);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_FOUND);
	scmi_close(h);
}

/* ---- RESET_ISSUED ---------------------------------------------------------- */

struct catcher {
	struct scmi_notifier_block nb; /* first: the callback casts back */
	pthread_mutex_t lock;
	unsigned int n;
	struct scmi_reset_issued_report last;
	unsigned int per_domain[SCMI_SIM_RESET_NUM_DOMAINS];
};

static int on_reset(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct catcher *c = (struct catcher *)nb;
	const struct scmi_reset_issued_report *r = report;

	cr_assert_eq(evt, SCMI_EVENT_RESET_ISSUED);
	pthread_mutex_lock(&c->lock);
	c->n++;
	c->last = *r;
	if (r->domain_id < SCMI_SIM_RESET_NUM_DOMAINS)
		c->per_domain[r->domain_id]++;
	pthread_mutex_unlock(&c->lock);
	return SCMI_NOTIFY_OK;
}

static void catcher_init(struct catcher *c)
{
	memset(c, 0, sizeof(*c));
	c->nb.notifier_call = on_reset;
	pthread_mutex_init(&c->lock, NULL);
}

struct wait_n {
	struct catcher *c;
	unsigned int n;
};

static bool reached(void *arg)
{
	struct wait_n *w = arg;
	bool ok;

	pthread_mutex_lock(&w->c->lock);
	ok = w->c->n >= w->n;
	pthread_mutex_unlock(&w->c->lock);
	return ok;
}

static void wait_count(struct catcher *c, unsigned int n)
{
	struct wait_n w = {c, n};

	cr_assert(test_wait_until(reached, &w, 30000), "%u notifications, wanted %u", c->n, n);
}

static int notify_enabled(struct scmi_handle *h, uint32_t domain)
{
	return test_notify_enabled(h, RESET, SCMI_EVENT_RESET_ISSUED, domain);
}

static void reset_issued_on_off(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	uint32_t dom = D_CPU, me = my_agent_id(h);
	struct scmi_event_stats es;
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(notify_enabled(h, D_CPU), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, &dom,
							    &c.nb),
		     0);
	cr_assert_eq(notify_enabled(h, D_CPU), 1);
	cr_assert_eq(notify_enabled(h, D_GPU), 0);

	/* Our own reset. */
	cr_assert_eq(h->reset_ops->reset(h, D_CPU, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC), 0);
	wait_count(&c, 1);
	cr_assert_eq(c.last.domain_id, D_CPU);
	cr_assert_eq(c.last.agent_id, me);
	cr_assert_eq(c.last.reset_state, SCMI_RESET_STATE_COLD);
	cr_assert_gt(c.last.hdr.timestamp, 0);
	/* An explicit assert is a reset issued too; the de-assert is not. */
	cr_assert_eq(h->reset_ops->reset_assert(h, D_CPU, SCMI_RESET_STATE_COLD), 0);
	cr_assert_eq(h->reset_ops->reset_deassert(h, D_CPU, SCMI_RESET_STATE_COLD), 0);
	wait_count(&c, 2);
	/* Another agent, then the platform itself. */
	cr_assert_eq(test_reset_issue(h, D_CPU, 2, SCMI_RESET_STATE_IMPL(7)), 1);
	wait_count(&c, 3);
	cr_assert_eq(c.last.agent_id, 2);
	cr_assert_eq(c.last.reset_state, 0x80000007u);
	cr_assert_eq(test_reset_issue(h, D_CPU, 0, SCMI_RESET_STATE_COLD), 1);
	wait_count(&c, 4);
	cr_assert_eq(c.last.agent_id, 0);
	/* Another domain: not enabled, not sent. */
	cr_assert_eq(test_reset_issue(h, D_GPU, 0, 0), 0);

	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, RESET, SCMI_EVENT_RESET_ISSUED,
							      &dom, &c.nb),
		     0);
	cr_assert_eq(notify_enabled(h, D_CPU), 0);
	cr_assert_eq(test_reset_issue(h, D_CPU, 0, 0), 0, "the platform no longer sends");
	cr_assert_eq(h->reset_ops->reset(h, D_CPU, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC), 0);
	cr_assert(test_wait_delivered(h, RESET, 4, 5000));
	cr_assert_eq(scmi_event_stats_get(h, RESET, &es), 0);
	cr_assert_eq(es.received, 4);
	cr_assert_eq(es.delivered, 4);
	cr_assert_eq(c.n, 4);
	scmi_close(h);
}

Test(reset, reset_issued_newest)
{
	reset_issued_on_off("loopback://");
}

Test(reset, reset_issued_scmi2)
{
	reset_issued_on_off("loopback://?profile=scmi-2.0");
}

Test(reset, reset_issued_after_async_reset)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	uint32_t dom = D_GPU;
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, &dom,
							    &c.nb),
		     0);
	cr_assert_eq(h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_IMPL(1), SCMI_RESET_ASYNC), 0);
	wait_count(&c, 1);
	cr_assert_eq(c.last.domain_id, D_GPU);
	cr_assert_eq(c.last.reset_state, SCMI_RESET_STATE_IMPL(1));
	scmi_close(h);
}

Test(reset, reset_issued_all_sources)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	uint32_t dom = D_DISP;
	struct catcher c;
	unsigned int expect = 0;
	uint64_t before;

	catcher_init(&c);
	/* A domain without notification support: refused without a command. */
	cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
	before = sim_requests(h);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, &dom,
							    &c.nb),
		     -EOPNOTSUPP);
	cr_assert_eq(sim_requests(h), before);
	dom = SCMI_SIM_RESET_NUM_DOMAINS;
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, &dom,
							    &c.nb),
		     -EINVAL);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, 1, NULL, &c.nb), -EINVAL);

	/* Every source: only the domains that can notify are enabled. */
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, NULL,
							    &c.nb),
		     0);
	for (uint32_t d = 0; d < SCMI_SIM_RESET_NUM_DOMAINS; d++) {
		bool can = model(h, d).notify;

		cr_assert_eq(notify_enabled(h, d), can, "domain %u", d);
		cr_assert_eq(test_reset_issue(h, d, 3, 0), can ? 1 : 0);
		expect += can;
	}
	wait_count(&c, expect);
	cr_assert_eq(c.per_domain[D_CPU], 1);
	cr_assert_eq(c.per_domain[D_DISP], 0);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, RESET, SCMI_EVENT_RESET_ISSUED,
							      NULL, &c.nb),
		     0);
	for (uint32_t d = 0; d < SCMI_SIM_RESET_NUM_DOMAINS; d++)
		cr_assert_eq(notify_enabled(h, d), 0, "domain %u", d);
	scmi_close(h);
}

static bool malformed_reached(void *arg)
{
	struct scmi_handle *h = arg;
	struct scmi_event_stats es;

	return !scmi_event_stats_get(h, RESET, &es) && es.dropped_malformed >= 3;
}

Test(reset, malformed_notifications_dropped)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.count = 1,
		.protocol = RESET,
		.message = -1,
		.notifications = true,
	};
	uint32_t dom = D_CPU;
	uint8_t bad[12] = {0};
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, &dom,
							    &c.nb),
		     0);
	f.param = -4; /* too short */
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(test_reset_issue(h, D_CPU, 0, 0), 1);
	f.param = 4; /* too long */
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(test_reset_issue(h, D_CPU, 0, 0), 1);
	/* A domain the agent does not know. */
	bad[4] = 0x40;
	cr_assert_eq(scmi_sim_test_emit_raw(sim, RESET, SCMI_EVENT_RESET_ISSUED, bad, 12), 1);
	cr_assert(test_wait_until(malformed_reached, h, 5000));
	/* Then a good one gets through. */
	cr_assert_eq(test_reset_issue(h, D_CPU, 1, 0), 1);
	wait_count(&c, 1);
	cr_assert_eq(c.n, 1);
	cr_assert_eq(c.last.agent_id, 1);
	scmi_close(h);
}

/* Domain @dom is disabled with @err: described as such, every op -EPROTO
 * with nothing sent, RESET_ISSUED refused. */
static void expect_reset_disabled(struct scmi_handle *h, uint32_t dom, int err)
{
	const struct scmi_reset_ops *ops = h->reset_ops;
	const struct scmi_reset_domain_info *info;
	uint64_t before = sim_requests(h);
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(ops->info_get(h, dom, &info), 0, "domain %u", dom);
	cr_assert_eq(info->id, dom);
	cr_assert_not(info->usable, "domain %u", dom);
	cr_assert_eq(info->err, err, "domain %u: err %d", dom, info->err);
	cr_assert_str_eq(info->name, "");
	cr_assert_not(info->async_reset || info->notifications || info->extended_name);
	cr_assert_eq(ops->reset(h, dom, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC), -EPROTO);
	cr_assert_eq(ops->reset(h, dom, SCMI_RESET_STATE_COLD, SCMI_RESET_AUTO), -EPROTO);
	cr_assert_eq(ops->reset_assert(h, dom, SCMI_RESET_STATE_COLD), -EPROTO);
	cr_assert_eq(ops->reset_deassert(h, dom, SCMI_RESET_STATE_COLD), -EPROTO);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, &dom,
							    &c.nb),
		     -EPROTO);
	cr_assert_eq(sim_requests(h), before, "nothing sent for a disabled domain");
}

/* Domain @dom is described as the model says and resets. */
static void expect_reset_usable(struct scmi_handle *h, uint32_t dom)
{
	const struct scmi_reset_domain_info *info;
	int ret;

	cr_assert_eq(h->reset_ops->info_get(h, dom, &info), 0);
	cr_assert(info->usable, "domain %u", dom);
	cr_assert_eq(info->err, 0);
	cr_assert_eq(info->latency_us, model(h, dom).latency_us, "domain %u", dom);
	ret = h->reset_ops->reset(h, dom, SCMI_RESET_STATE_COLD, SCMI_RESET_AUTO);
	cr_assert_eq(ret, 0, "domain %u: %d (%s)", dom, ret, scmi_strerror(ret));
}

/* A short RESET_DOMAIN_ATTRIBUTES reply disables that domain (the first
 * one), not the protocol. */
Test(reset, malformed_attributes_disable_the_domain)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.count = 1,
		.protocol = RESET,
		.message = 0x3,
		.param = -4,
	};

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open(NULL, &cfg);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
	cr_assert(test_log_contains(&lg, "reset: domain 0 disabled: "), "%s", lg.text);
	cr_assert(test_log_contains(&lg, "reply has 20 data bytes, expected at least 24"), "%s",
		  lg.text);
	expect_reset_disabled(h, 0, -EPROTO);
	for (uint32_t d = 1; d < SCMI_SIM_RESET_NUM_DOMAINS; d++)
		expect_reset_usable(h, d);
	scmi_close(h);
}

/*
 * The reported case, for reset: the agent lost one domain's device before
 * the lazy bring-up, and the platform answers DENIED to every message
 * naming it, RESET_DOMAIN_ATTRIBUTES included.  That domain is disabled
 * (reason -EACCES), the others work; the first and the last domain both;
 * id == count stays -EINVAL.
 */
Test(reset, denied_domain_disables_only_it)
{
	const uint32_t n = SCMI_SIM_RESET_NUM_DOMAINS, victims[] = {0, n - 1};

	for (size_t v = 0; v < SIM_ARRAY_SIZE(victims); v++) {
		struct scmi_handle *h = test_open(NULL, NULL);
		const struct scmi_reset_domain_info *info;
		uint64_t before;

		cr_assert_eq(
			h->base_ops->set_device_permissions(h, my_agent_id(h), victims[v], false),
			0);
		cr_assert_eq(h->reset_ops->count_get(h), (int)n);
		expect_reset_disabled(h, victims[v], -EACCES);
		for (uint32_t d = 0; d < n; d++)
			if (d != victims[v])
				expect_reset_usable(h, d);
		before = sim_requests(h);
		cr_assert_eq(h->reset_ops->info_get(h, n, &info), -EINVAL);
		cr_assert_eq(h->reset_ops->reset(h, n, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC),
			     -EINVAL);
		cr_assert_eq(sim_requests(h), before);
		scmi_close(h);
	}
}

/* Events naming a disabled domain are dropped; listening to every source
 * enables the usable domains only. */
Test(reset, events_of_a_disabled_domain_dropped)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct scmi_event_stats es;
	uint8_t raw[12] = {0};
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->base_ops->set_device_permissions(h, my_agent_id(h), D_CPU, false), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, NULL,
							    &c.nb),
		     0);
	cr_assert_eq(notify_enabled(h, D_CPU), 0);
	cr_assert_eq(notify_enabled(h, D_GPU), 1);
	raw[4] = D_CPU;
	cr_assert_eq(scmi_sim_test_emit_raw(sim, RESET, SCMI_EVENT_RESET_ISSUED, raw, 12), 1);
	cr_assert_eq(test_reset_issue(h, D_GPU, 0, 0), 1);
	wait_count(&c, 1);
	cr_assert_eq(c.last.domain_id, D_GPU);
	cr_assert_eq(scmi_event_stats_get(h, RESET, &es), 0);
	cr_assert_eq(es.dropped_malformed, 1);
	cr_assert_eq(c.n, 1);
	scmi_close(h);
}

/* No answer at all is no description: the bring-up fails and is retried. */
Test(reset, attributes_timeout_retried)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = RESET,
		.message = 0x3,
	};
	struct scmi_handle *h;

	cfg.timeout_ms = 100;
	h = test_open(NULL, &cfg);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->reset_ops->count_get(h), -ETIMEDOUT);
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	scmi_close(h);
}

/* Many threads at once: every reset lands, every notification arrives. */
struct storm {
	struct scmi_handle *h;
	uint32_t domain;
	int failures;
};

#define STORM_THREADS 4
#define STORM_RESETS  50

static void *storm_thread(void *arg)
{
	struct storm *s = arg;

	for (int i = 0; i < STORM_RESETS; i++) {
		enum scmi_reset_mode mode = i % 2 ? SCMI_RESET_AUTO : SCMI_RESET_SYNC;

		if (s->h->reset_ops->reset(s->h, s->domain, SCMI_RESET_STATE_COLD, mode))
			s->failures++;
	}
	return NULL;
}

Test(reset, concurrent_resets)
{
	static const uint32_t doms[STORM_THREADS] = {D_CPU, D_GPU, D_PCIE, D_WDOG};
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	struct storm st[STORM_THREADS];
	pthread_t th[STORM_THREADS];
	struct catcher c;

	/* Over shmem the four threads share one command in flight (an async
	 * reset holds it until its delayed response): a thread may wait for
	 * it longer than loopback's 1 s on a loaded machine or under the
	 * sanitizers.  What is tested is that none is lost. */
	cfg.timeout_ms = 10000;
	h = test_open(NULL, &cfg);
	catcher_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, RESET, SCMI_EVENT_RESET_ISSUED, NULL,
							    &c.nb),
		     0);
	for (int i = 0; i < STORM_THREADS; i++) {
		st[i] = (struct storm){.h = h, .domain = doms[i]};
		cr_assert_eq(pthread_create(&th[i], NULL, storm_thread, &st[i]), 0);
	}
	for (int i = 0; i < STORM_THREADS; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(st[i].failures, 0, "thread %d", i);
		cr_assert_eq(model(h, doms[i]).resets, STORM_RESETS);
	}
	cr_assert_eq(model(h, D_GPU).async_resets, STORM_RESETS / 2);
	wait_count(&c, STORM_THREADS * STORM_RESETS);
	for (int i = 0; i < STORM_THREADS; i++)
		cr_assert_eq(c.per_domain[doms[i]], STORM_RESETS);
	scmi_close(h);
}

/* ---- a platform whose short name fills its 16-byte field --------------------- */

static void full_name_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, 1);
}

static void full_name_domain_attributes(struct sim_ctx *ctx)
{
	uint8_t *p;

	sim_reply_u32(ctx, 0);
	sim_reply_u32(ctx, 10);
	p = sim_reply_put(ctx, 16);
	memcpy(p, "0123456789abcdef", 16); /* no NUL */
}

static const struct sim_cmd full_name_cmds[] = {
	{0x3, SIM_VERSION(1, 0), 4, full_name_domain_attributes},
};

static const uint32_t full_name_versions[] = {SIM_VERSION(1, 0), 0};

static const struct sim_proto_ops full_name_ops = {
	.id = RESET,
	.name = "reset-full-name",
	.versions = full_name_versions,
	.cmds = full_name_cmds,
	.num_cmds = SIM_ARRAY_SIZE(full_name_cmds),
	.attributes = full_name_attributes,
};

/* §5: a 16-byte name field without NUL keeps at most 15 characters. */
Test(reset, short_name_field_without_nul)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_reset_domain_info *info;

	test_model_swap(test_sim(h), &full_name_ops, SIM_VERSION(1, 0));
	cr_assert_eq(h->reset_ops->info_get(h, 0, &info), 0);
	cr_assert_str_eq(info->name, "0123456789abcde", "%s", info->name);
	cr_assert_not(info->extended_name);
	scmi_close(h);
}

/* An extended name the platform refuses (or answers malformed) leaves the
 * short name; the domain stays usable. */
Test(reset, extended_name_refused_keeps_short_name)
{
	static const char *const uris[] = {
		"loopback://?status=reset:domain_name_get:DENIED",
		"loopback://?bad_len_at=0x16:6:-64",
	};

	for (size_t u = 0; u < SIM_ARRAY_SIZE(uris); u++) {
		struct scmi_handle *h = test_open(uris[u], NULL);
		unsigned int with_ext = 0;

		cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
		for (uint32_t d = 0; d < SCMI_SIM_RESET_NUM_DOMAINS; d++) {
			const struct scmi_reset_domain_info *info;

			cr_assert_eq(h->reset_ops->info_get(h, d, &info), 0);
			cr_assert_str_eq(info->name, model(h, d).short_name, "%s domain %u",
					 uris[u], d);
			cr_assert_not(info->extended_name);
			with_ext += model(h, d).extended_name;
			expect_reset_usable(h, d);
		}
		cr_assert_gt(with_ext, 0, "the model has extended names");
		scmi_close(h);
	}
}

/* ---- non-blocking calls (SCMI_ASYNC) --------------------------------------- */

/* One op call; info_get writes *@info. */
struct rcase {
	const char *what;
	int (*call)(struct scmi_handle *h, const struct scmi_reset_domain_info **info);
	/* Refused before anything is sent: SCMI_ASYNC() returns the errno
	 * and no callback runs. */
	bool refused;
	/* Before each of the two calls (a fault knob for one message). */
	void (*setup)(struct scmi_handle *h);
};

static int rc_count(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->count_get(h);
}

static int rc_info(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	return h->reset_ops->info_get(h, D_PCIE, info);
}

static int rc_info_unknown(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	return h->reset_ops->info_get(h, SCMI_SIM_RESET_NUM_DOMAINS, info);
}

static int rc_reset_sync(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset(h, D_CPU, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC);
}

static int rc_reset_async(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC);
}

static int rc_reset_auto(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset(h, D_PCIE, SCMI_RESET_STATE_IMPL(5), SCMI_RESET_AUTO);
}

static int rc_reset_auto_sync(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset(h, D_WDOG, SCMI_RESET_STATE_COLD, SCMI_RESET_AUTO);
}

static int rc_reset_no_async(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset(h, D_CPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC);
}

static int rc_reset_reserved(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset(h, D_GPU, 1, SCMI_RESET_SYNC);
}

static int rc_reset_bad_mode(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset(h, D_GPU, 0, (enum scmi_reset_mode)7);
}

/* A state the domain lacks: the platform's NOT_SUPPORTED. */
static int rc_reset_lacking(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_IMPL(3), SCMI_RESET_ASYNC);
}

static int rc_assert(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset_assert(h, D_GPU, SCMI_RESET_STATE_IMPL(2));
}

static int rc_deassert(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset_deassert(h, D_GPU, SCMI_RESET_STATE_IMPL(2));
}

/* An autonomous-only domain: the platform's NOT_SUPPORTED. */
static int rc_assert_autonomous(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset_assert(h, D_USB, SCMI_RESET_STATE_COLD);
}

static int rc_deassert_unknown(struct scmi_handle *h, const struct scmi_reset_domain_info **info)
{
	(void)info;
	return h->reset_ops->reset_deassert(h, SCMI_SIM_RESET_NUM_DOMAINS, 0);
}

/* The platform answers the next RESET with DENIED. */
static void deny_next_reset(struct scmi_handle *h)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_STATUS,
		.count = 1,
		.protocol = RESET,
		.message = 0x4,
		.param = SCMI_ERR_DENIED,
	};

	cr_assert_eq(test_fault_add(h, &f), 0);
}

static const struct rcase rcases[] = {
	{"count_get", rc_count},
	{"info_get", rc_info},
	{"info_get unknown", rc_info_unknown, true},
	{"reset sync", rc_reset_sync},
	{"reset async", rc_reset_async},
	{"reset auto (async)", rc_reset_auto},
	{"reset auto (sync)", rc_reset_auto_sync},
	{"reset async on a sync domain", rc_reset_no_async, true},
	{"reset reserved state", rc_reset_reserved, true},
	{"reset bad mode", rc_reset_bad_mode, true},
	{"reset async, state lacking", rc_reset_lacking},
	{"assert", rc_assert},
	{"deassert", rc_deassert},
	{"assert autonomous-only", rc_assert_autonomous},
	{"deassert unknown", rc_deassert_unknown, true},
	{"reset async DENIED", rc_reset_async, false, deny_next_reset},
	{"assert DENIED", rc_assert, false, deny_next_reset},
};

/* @rc blocking, then under SCMI_ASYNC(): the same result and output, the
 * callback exactly once (or, refused, the same errno and no callback). */
static void rcase_check(struct scmi_handle *h, const struct rcase *rc)
{
	const struct scmi_reset_domain_info *sync_info = NULL, *info = NULL;
	struct test_req c = {0};
	int want, ret;

	if (rc->setup)
		rc->setup(h);
	want = rc->call(h, &sync_info);
	if (rc->setup)
		rc->setup(h);
	ret = TEST_SUBMIT(&c, rc->call(h, &info));
	test_req_as_blocking(h, &c, ret, rc->refused, want, rc->what);
	if (!rc->refused)
		cr_assert_eq(info, sync_info, "%s", rc->what);
}

Test(reset, every_op_non_blocking)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim_reset_domain gpu, pcie;
	uint64_t sent;

	/* Bring-up blocks (scmi/request.h): do it first. */
	cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
	for (size_t i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		sent = sim_requests(h);
		rcase_check(h, &rcases[i]);
		if (rcases[i].refused)
			cr_assert_eq(sim_requests(h), sent, "%s: nothing sent", rcases[i].what);
	}
	/* What the platform did: twice each of the accepted commands. */
	gpu = model(h, D_GPU);
	pcie = model(h, D_PCIE);
	cr_assert_eq(gpu.async_resets, 2);
	cr_assert_eq(gpu.resets, 4, "2 async resets, 2 asserts");
	cr_assert_eq(gpu.deasserts, 2);
	cr_assert_not(gpu.asserted);
	cr_assert_eq(pcie.async_resets, 2);
	cr_assert_eq(pcie.last_state, SCMI_RESET_STATE_IMPL(5));
	cr_assert_eq(model(h, D_CPU).resets, 2);
	cr_assert_eq(model(h, D_WDOG).async_resets, 0);
	cr_assert_eq(model(h, D_USB).resets, 0);
	test_fault_clear(h);
	scmi_close(h);
}

/* A domain disabled at discovery is refused under SCMI_ASYNC() too. */
Test(reset, non_blocking_disabled_domain_refused)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct test_req c = {0};
	uint64_t before;

	cr_assert_eq(h->base_ops->set_device_permissions(h, my_agent_id(h), D_USB, false), 0);
	cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
	before = sim_requests(h);
	cr_assert_eq(TEST_ASYNC_REFUSED(
			     h, &c,
			     h->reset_ops->reset(h, D_USB, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC)),
		     -EPROTO);
	cr_assert_eq(TEST_ASYNC_REFUSED(
			     h, &c, h->reset_ops->reset_assert(h, D_USB, SCMI_RESET_STATE_COLD)),
		     -EPROTO);
	cr_assert_eq(sim_requests(h), before);
	cr_assert_eq(atomic_load(&c.calls), 0);
	/* The request is free again: the next submission goes. */
	cr_assert_eq(
		TEST_ASYNC(h, &c,
			   h->reset_ops->reset(h, D_CPU, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC)),
		0);
	scmi_close(h);
}

/* The delayed response, non-blocking: late (-ETIMEDOUT), naming another
 * domain (-EPROTO), before the response (completes). */
Test(reset, non_blocking_delayed_response)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_LATE_DRESP,
		.count = 1,
		.protocol = RESET,
		.message = 0x4,
		.param = 500000,
	};
	struct scmi_handle *h;
	struct test_req c = {0};
	struct scmi_stats st;

	cfg.dresp_timeout_ms = 50;
	h = test_open(NULL, &cfg);
	cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(
		TEST_ASYNC(h, &c,
			   h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC)),
		-ETIMEDOUT);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.dresp_timeouts, 1);

	f.kind = SCMI_SIM_FAULT_DRESP_FIRST;
	f.param = 0;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(
		TEST_ASYNC(h, &c,
			   h->reset_ops->reset(h, D_PCIE, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC)),
		0);

	if (test_has_sim()) {
		cr_assert_eq(
			scmi_sim_reset_misbehave(test_sim(h), SCMI_SIM_RESET_DRESP_WRONG_DOMAIN),
			0);
		cr_assert_eq(TEST_ASYNC(h, &c,
					h->reset_ops->reset(h, D_GPU, SCMI_RESET_STATE_COLD,
							    SCMI_RESET_ASYNC)),
			     -EPROTO);
	}
	scmi_close(h);
}

/* Requests outstanding at scmi_close(), or cancelled: each completes
 * once, with -ECANCELED. */
Test(reset, non_blocking_cancel_and_close)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_LATE_DRESP,
		.protocol = RESET,
		.message = 0x4,
		.param = 2000000,
	};
	struct test_req c[3] = {0};
	static const uint32_t doms[3] = {D_GPU, D_PCIE, D_DISP};

	/* One channel: the platform holds it until the late delayed
	 * response, and the next command times out meanwhile. */
	test_need_in_flight(3);
	cr_assert_eq(h->reset_ops->count_get(h), SCMI_SIM_RESET_NUM_DOMAINS);
	cr_assert_eq(test_fault_add(h, &f), 0);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(
			TEST_SUBMIT(&c[i], h->reset_ops->reset(h, doms[i], SCMI_RESET_STATE_COLD,
							       SCMI_RESET_ASYNC)),
			0);
	}
	cr_assert_eq(scmi_req_cancel(&c[0].req), 0);
	cr_assert_eq(test_req_wait(&c[0], "cancelled"), -ECANCELED);
	scmi_close(h);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(atomic_load(&c[i].calls), 1, "request %d", i);
		cr_assert_eq(c[i].status, -ECANCELED, "request %d: %d", i, c[i].status);
	}
}

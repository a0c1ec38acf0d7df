// SPDX-License-Identifier: BSD-3-Clause
/*
 * Power domain management protocol (0x11) against the simulator's model:
 * discovery equals the model in every version the model speaks, each
 * command's happy and error paths, sync/async state changes, both
 * notifications, and malformed platform messages.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>

#include "common.h"
#include <uv.h>

#include "helpers.h"

#include "../sim/sim-internal.h"

#define POWER 0x11
/* Message ids, for the raw requests and fault knobs (spec §6.2). */
#define MSG_PROTOCOL_ATTRIBUTES 0x1
#define MSG_DOMAIN_ATTRIBUTES	0x3
#define MSG_STATE_SET		0x4
#define MSG_STATE_GET		0x5
#define MSG_STATE_NOTIFY	0x6
#define MSG_CHANGE_REQ_NOTIFY	0x7
#define MSG_NAME_GET		0x8
#define EVT_CHANGED		SCMI_EVENT_POWER_STATE_CHANGED
#define EVT_REQUESTED		SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED
#define URI_NEWEST		"loopback://"
#define URI_SCMI2		"loopback://?profile=scmi-2.0"

/* The default model's domains by role (include/scmi-sim/power.h). */
#define DOM_BOTH      0 /* sync + async + notify */
#define DOM_ASYNC     1 /* async only + notify */
#define DOM_LONG_SYNC 2 /* sync only + notify, long name */
#define DOM_NO_NOTIFY 3 /* sync only, no notifications */
#define DOM_DENIED    4 /* OFF is DENIED */
#define DOM_READONLY  5 /* no state change */
#define DOM_ASYNC_NN  6 /* async only, no notifications */

static uint64_t sim_notifications(struct scmi_handle *h)
{
	return test_stat(h, "notifications");
}

static struct scmi_sim_power_domain model_domain(struct scmi_sim *s, uint32_t dom)
{
	struct scmi_sim_power_domain md;

	cr_assert_eq(scmi_sim_power_domain_get(s, dom, &md), 0, "model domain %u", dom);
	return md;
}

/* Domain @dom as the platform has it now, on any transport. */
static struct scmi_sim_power_domain domain_now(struct scmi_handle *h, uint32_t dom)
{
	struct scmi_sim_power_domain md;

	cr_assert_eq(test_power_domain(h, dom, &md), 0, "domain %u", dom);
	return md;
}

static uint32_t agent_id(struct scmi_sim *s)
{
	struct scmi_sim_base_info bi;

	cr_assert_eq(scmi_sim_base_info_get(s, &bi), 0);
	return bi.agent_id;
}

/* The simulator, looked up at each use: a test skips there on a transport
 * without one (helpers.h, test_sim()). */
#define sim test_sim(h)

/* ---- discovery ------------------------------------------------------------ */

/* Everything discovered equals the model, with @version's layouts. */
static void check_discovery(struct scmi_handle *h, uint32_t version)
{
	struct scmi_sim *m = test_model(h);
	const struct scmi_power_info *info;
	uint64_t stats_addr;
	uint32_t stats_len;
	int n = scmi_sim_power_num_domains(m);

	cr_assert_not_null(h->power_ops);
	cr_assert_gt(n, 0);
	cr_assert_eq(h->power_ops->count_get(h), n);
	cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(info->version, version, "version 0x%x", info->version);
	cr_assert_eq(info->num_domains, (unsigned int)n);
	cr_assert_eq(scmi_sim_power_stats_get(m, &stats_addr, &stats_len), 0);
	cr_assert_eq(info->stats_addr, stats_addr);
	cr_assert_eq(info->stats_len, stats_len);
	cr_assert_gt(stats_len, 0, "the default platform has statistics");
	cr_assert_not_null(scmi_sim_memory_map(m, info->stats_addr, info->stats_len),
			   "the statistics address is the platform's shared memory");

	for (int i = 0; i < n; i++) {
		struct scmi_sim_power_domain md = model_domain(m, (uint32_t)i);
		const struct scmi_power_domain_info *d;
		bool ext = version >= SCMI_PROTO_VERSION(3, 0) && strlen(md.name) > 15;
		char expect[SCMI_MAX_STR_SIZE];
		const char *name;

		snprintf(expect, sizeof(expect), "%.*s", ext ? 63 : 15, md.name);
		cr_assert_eq(h->power_ops->info_get(h, (uint32_t)i, &d), 0);
		cr_assert_eq(d->id, (uint32_t)i);
		cr_assert(d->usable, "domain %d", i);
		cr_assert_eq(d->err, 0);
		cr_assert_str_eq(d->name, expect, "domain %d: '%s' vs '%s'", i, d->name, expect);
		cr_assert_eq(d->state_change_notify, md.notify, "domain %d notify", i);
		cr_assert_eq(d->state_set_async, md.async, "domain %d async", i);
		cr_assert_eq(d->state_set_sync, md.sync, "domain %d sync", i);
		cr_assert_eq(d->extended_name, ext, "domain %d extended name", i);
		cr_assert_eq(!!(d->attributes & (1u << 27)), ext);
		cr_assert_eq(h->power_ops->name_get(h, (uint32_t)i, &name), 0);
		cr_assert_eq(name, d->name, "name_get points into the same cache");
	}
}

/* The default platform has every attribute combination the tests need. */
static void check_model_shape(struct scmi_sim *s)
{
	struct scmi_sim_power_domain md;

	md = model_domain(s, DOM_BOTH);
	cr_assert(md.sync && md.async && md.notify);
	md = model_domain(s, DOM_ASYNC);
	cr_assert(!md.sync && md.async && md.notify);
	md = model_domain(s, DOM_LONG_SYNC);
	cr_assert(md.sync && !md.async && md.notify && strlen(md.name) > 15);
	md = model_domain(s, DOM_NO_NOTIFY);
	cr_assert(md.sync && !md.notify);
	md = model_domain(s, DOM_DENIED);
	cr_assert(md.num_denied == 1 && md.denied[0] == SCMI_POWER_STATE_OFF);
	md = model_domain(s, DOM_READONLY);
	cr_assert(!md.sync && !md.async && !md.notify);
	md = model_domain(s, DOM_ASYNC_NN);
	cr_assert(!md.sync && md.async && !md.notify);
}

Test(power, discovery_newest)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_power_info *info;

	check_model_shape(test_model(h));
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(info->platform_version, SCMI_PROTO_VERSION(3, 1));
	cr_assert_not(info->change_requested_notify, "not used after 2.x (unverified)");
	scmi_close(h);
}

Test(power, discovery_scmi2)
{
	struct scmi_handle *h = test_open(URI_SCMI2, NULL);
	const struct scmi_power_info *info;

	check_discovery(h, SCMI_PROTO_VERSION(2, 0));
	cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
	cr_assert(info->change_requested_notify, "2.0 platform implements 0x7");
	scmi_close(h);
}

Test(power, discovery_v1_and_v3_layouts)
{
	static const struct {
		const char *uri;
		uint32_t version;
		bool change_req;
	} cases[] = {
		{"loopback://?versions=power:1.0", SCMI_PROTO_VERSION(1, 0), false},
		{"loopback://?versions=power:3.0", SCMI_PROTO_VERSION(3, 0), false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scmi_handle *h = test_open(cases[i].uri, NULL);
		const struct scmi_power_info *info;

		check_discovery(h, cases[i].version);
		cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
		cr_assert_eq(info->change_requested_notify, cases[i].change_req);
		scmi_close(h);
	}
}

Test(power, negotiation_with_newer_platform)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;
	const struct scmi_power_info *info;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://?versions=power:3.4", &cfg);
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(info->platform_version, SCMI_PROTO_VERSION(3, 4));
	cr_assert(test_log_contains(&lg, "negotiated version 0x30001"), "%s", lg.text);
	scmi_close(h);
}

/* Discovery is cached: asking again sends nothing. */
Test(power, discovery_cached)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_power_domain_info *d;
	const struct scmi_power_info *info;
	uint64_t before;
	int n = h->power_ops->count_get(h);

	before = test_requests(h);
	for (int round = 0; round < 3; round++) {
		cr_assert_eq(h->power_ops->count_get(h), n);
		cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
		for (int i = 0; i < n; i++)
			cr_assert_eq(h->power_ops->info_get(h, (uint32_t)i, &d), 0);
	}
	cr_assert_eq(test_requests(h), before, "nothing re-enumerated");
	scmi_close(h);
}

/* A 64-bit statistics address and its length come from both words. */
Test(power, statistics_region)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_power_info *info;

	cr_assert_eq(scmi_sim_power_stats_set(test_sim(h), 0x123456789abcull, 0x40), 0);
	cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(info->stats_addr, 0x123456789abcull);
	cr_assert_eq(info->stats_len, 0x40);
	scmi_close(h);

	h = test_open(URI_NEWEST, NULL);
	cr_assert_eq(scmi_sim_power_stats_set(test_sim(h), 0, 0), 0);
	cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
	cr_assert_eq(info->stats_len, 0, "no statistics");
	scmi_close(h);
}

/* ---- state get / set ------------------------------------------------------ */

static void state_get_matches_model(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	int n = h->power_ops->count_get(h);

	for (int i = 0; i < n; i++) {
		uint32_t state = 0xdeadbeef;

		cr_assert_eq(h->power_ops->state_get(h, (uint32_t)i, &state), 0);
		cr_assert_eq(state, domain_now(h, (uint32_t)i).state, "domain %d", i);
	}
	/* A platform-side change shows at once. */
	cr_assert_geq(test_power_state_change(h, DOM_BOTH, SCMI_SIM_POWER_SUSPEND, 0), 0);
	{
		uint32_t state;

		cr_assert_eq(h->power_ops->state_get(h, DOM_BOTH, &state), 0);
		cr_assert_eq(state, SCMI_SIM_POWER_SUSPEND);
		cr_assert(SCMI_POWER_STATE_IS_CONTEXT_LOSS(state));
		cr_assert_eq(SCMI_POWER_STATE_ID_OF(state), 1);
	}
	scmi_close(h);
}

Test(power, state_get_newest)
{
	state_get_matches_model(URI_NEWEST);
}

Test(power, state_get_scmi2)
{
	state_get_matches_model(URI_SCMI2);
}

/* The form comes from the domain's attributes: sync where supported. */
static void state_set_sync(const char *uri)
{
	static const uint32_t doms[] = {DOM_BOTH, DOM_LONG_SYNC, DOM_NO_NOTIFY, DOM_DENIED};
	struct scmi_handle *h = test_open(uri, NULL);

	for (size_t i = 0; i < sizeof(doms) / sizeof(doms[0]); i++) {
		uint32_t dom = doms[i], state;
		struct scmi_sim_power_domain before = domain_now(h, dom), after;
		uint32_t target = before.state == SCMI_POWER_STATE_ON ? SCMI_POWER_STATE_OFF
								      : SCMI_POWER_STATE_ON;

		/* OFF is denied there: go to retention instead. */
		if (dom == DOM_DENIED && target == SCMI_POWER_STATE_OFF)
			target = SCMI_SIM_POWER_RETENTION;
		cr_assert_eq(h->power_ops->state_set(h, dom, target), 0, "domain %u", dom);
		after = domain_now(h, dom);
		cr_assert_eq(after.state, target, "domain %u state", dom);
		cr_assert_eq(after.sync_requests, before.sync_requests + 1, "sync form");
		cr_assert_eq(after.async_requests, before.async_requests);
		cr_assert_eq(h->power_ops->state_get(h, dom, &state), 0);
		cr_assert_eq(state, target);
	}
	scmi_close(h);
}

Test(power, state_set_sync_newest)
{
	state_set_sync(URI_NEWEST);
}

Test(power, state_set_sync_scmi2)
{
	state_set_sync(URI_SCMI2);
}

/* An async-only domain: the async form, completion awaited as the
 * notification, enabled only for the wait. */
static void state_set_async_only(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	struct scmi_sim_power_domain md;
	unsigned int en = 0, dis = 0;
	uint32_t state;
	uint64_t t0;

	cr_assert_eq(h->power_ops->state_set(h, DOM_ASYNC, SCMI_POWER_STATE_ON), 0);
	md = domain_now(h, DOM_ASYNC);
	cr_assert_eq(md.state, SCMI_POWER_STATE_ON);
	cr_assert_eq(md.async_requests, 1);
	cr_assert_eq(md.sync_requests, 0);
	cr_assert_eq(scmi_sim_notify_requests(sim, POWER, EVT_CHANGED, DOM_ASYNC, &en, &dis), 0);
	cr_assert_eq(en, 1);
	cr_assert_eq(dis, 1, "the wait's enable is dropped afterwards");
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, DOM_ASYNC), 0);

	/* A slow platform: state_set really waits for the completion. */
	cr_assert_eq(scmi_sim_power_async_delay_set(sim, 150000), 0);
	t0 = test_now_ms();
	cr_assert_eq(h->power_ops->state_set(h, DOM_ASYNC, SCMI_SIM_POWER_RETENTION), 0);
	cr_assert_geq(test_now_ms() - t0, 140, "returned before completion");
	cr_assert_eq(h->power_ops->state_get(h, DOM_ASYNC, &state), 0);
	cr_assert_eq(state, SCMI_SIM_POWER_RETENTION);
	scmi_close(h);
}

Test(power, state_set_async_only_newest)
{
	state_set_async_only(URI_NEWEST);
}

Test(power, state_set_async_only_scmi2)
{
	state_set_async_only(URI_SCMI2);
}

struct state_wait {
	struct scmi_handle *h;
	uint32_t dom, state;
};

static bool state_reached(void *arg)
{
	struct state_wait *w = arg;
	uint32_t state = ~w->state;

	return w->h->power_ops->state_get(w->h, w->dom, &state) == 0 && state == w->state;
}

/* state_set_async: acknowledged at once, completion later. */
Test(power, state_set_async_acknowledges_only)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct state_wait w = {h, DOM_BOTH, SCMI_SIM_POWER_RETENTION};
	uint32_t state;

	cr_assert_eq(scmi_sim_power_async_delay_set(sim, 300000), 0);
	cr_assert_eq(h->power_ops->state_set_async(h, DOM_BOTH, SCMI_SIM_POWER_RETENTION), 0);
	cr_assert_eq(domain_now(h, DOM_BOTH).async_requests, 1, "async form on a both domain");
	cr_assert_eq(h->power_ops->state_get(h, DOM_BOTH, &state), 0);
	cr_assert_eq(state, SCMI_POWER_STATE_ON, "not complete yet");
	/* The domain is busy until then. */
	cr_assert_eq(h->power_ops->state_set(h, DOM_BOTH, SCMI_POWER_STATE_OFF), -EBUSY);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_BUSY);
	cr_assert(test_wait_until(state_reached, &w, 3000));

	/* Fire and forget on an async domain without notifications. */
	cr_assert_eq(scmi_sim_power_async_delay_set(sim, 0), 0);
	cr_assert_eq(h->power_ops->state_set_async(h, DOM_ASYNC_NN, SCMI_POWER_STATE_OFF), 0);
	cr_assert_eq(domain_now(h, DOM_ASYNC_NN).state, SCMI_POWER_STATE_OFF);
	scmi_close(h);
}

/* The platform never reports completion in time. */
Test(power, state_set_async_timeout)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;

	cfg.dresp_timeout_ms = 100;
	h = test_open(URI_NEWEST, &cfg);
	cr_assert_eq(scmi_sim_power_async_delay_set(sim, 2000000), 0);
	cr_assert_eq(h->power_ops->state_set(h, DOM_ASYNC, SCMI_POWER_STATE_ON), -ETIMEDOUT);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, DOM_ASYNC), 0,
		     "the wait's enable is dropped on timeout too");
	scmi_close(h);
}

/* Refused locally: nothing reaches the platform. */
Test(power, local_validation)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_power_domain_info *d;
	uint32_t n = (uint32_t)h->power_ops->count_get(h), state;
	const struct scmi_power_info *info;
	const char *name;
	uint64_t before = test_requests(h);

	cr_assert_eq(h->power_ops->state_get(h, n, &state), -EINVAL);
	cr_assert_eq(h->power_ops->state_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(h->power_ops->state_set(h, n, SCMI_POWER_STATE_ON), -EINVAL);
	cr_assert_eq(h->power_ops->state_set_async(h, UINT32_MAX, SCMI_POWER_STATE_ON), -EINVAL);
	cr_assert_eq(h->power_ops->state_set_async(h, n, SCMI_POWER_STATE_ON), -EINVAL);
	/* Reserved bits b31, b29, b28. */
	cr_assert_eq(h->power_ops->state_set(h, DOM_BOTH, 0x80000000u), -EINVAL);
	cr_assert_eq(h->power_ops->state_set(h, DOM_BOTH, 0x20000000u), -EINVAL);
	cr_assert_eq(h->power_ops->state_set_async(h, DOM_BOTH, 0x10000000u), -EINVAL);
	/* Attributes say the domain cannot do it. */
	cr_assert_eq(h->power_ops->state_set_async(h, DOM_READONLY, SCMI_POWER_STATE_ON),
		     -EOPNOTSUPP);
	cr_assert_eq(h->power_ops->state_set_async(h, DOM_NO_NOTIFY, SCMI_POWER_STATE_ON),
		     -EOPNOTSUPP);
	cr_assert_eq(h->power_ops->state_set(h, DOM_ASYNC_NN, SCMI_POWER_STATE_OFF), -EOPNOTSUPP,
		     "async completion cannot be awaited without notifications");
	cr_assert_eq(h->power_ops->info_get(h, n, &d), -EINVAL);
	cr_assert_eq(h->power_ops->info_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(h->power_ops->name_get(h, n, &name), -EINVAL);
	cr_assert_eq(h->power_ops->name_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(h->power_ops->protocol_info_get(h, NULL), -EINVAL);
	cr_assert_eq(test_requests(h), before, "nothing was sent");
	/* A domain advertising neither form is asked all the same (TF-A's
	 * attributes are 0): the platform answers. */
	cr_assert_eq(h->power_ops->state_set(h, DOM_READONLY, SCMI_POWER_STATE_ON), -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(test_requests(h), before + 1, "sent");
	cr_assert_eq(h->power_ops->protocol_info_get(h, &info), 0);
	scmi_close(h);
}

/* Platform refusals map to errnos; the raw status stays available. */
static void platform_errors(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);

	cr_assert_eq(h->power_ops->state_set(h, DOM_DENIED, SCMI_POWER_STATE_OFF), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_eq(domain_now(h, DOM_DENIED).state, SCMI_POWER_STATE_ON, "unchanged");
	cr_assert_eq(h->power_ops->state_set_async(h, DOM_DENIED, SCMI_POWER_STATE_OFF), -EACCES);
	/* Other states of that domain are allowed; lifting the denial works. */
	cr_assert_eq(h->power_ops->state_set(h, DOM_DENIED, SCMI_SIM_POWER_RETENTION), 0);
	cr_assert_eq(scmi_sim_power_deny_set(sim, DOM_DENIED, SCMI_POWER_STATE_OFF, false), 0);
	cr_assert_eq(h->power_ops->state_set(h, DOM_DENIED, SCMI_POWER_STATE_OFF), 0);
	cr_assert_eq(scmi_last_status(), SCMI_SUCCESS);
	/* A state the domain does not have. */
	cr_assert_eq(h->power_ops->state_set(h, DOM_LONG_SYNC, SCMI_SIM_POWER_SUSPEND), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(h->power_ops->state_set(h, DOM_ASYNC, 0x0fffffffu), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	scmi_close(h);
}

Test(power, platform_errors_newest)
{
	platform_errors(URI_NEWEST);
}

Test(power, platform_errors_scmi2)
{
	platform_errors(URI_SCMI2);
}

/* The model's answers to requests the agent would never send. */
Test(power, model_rejects_bad_requests)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	uint8_t tx[12], rx[80];
	size_t len;

	/* Unknown domain, everywhere. */
	scmi_put_le32(tx, 99);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_DOMAIN_ATTRIBUTES, tx, 4, rx, sizeof(rx), &len),
		     -ENOENT);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_STATE_GET, tx, 4, rx, sizeof(rx), &len),
		     -ENOENT);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_NAME_GET, tx, 4, rx, sizeof(rx), &len),
		     -ENOENT);
	scmi_put_le32(tx + 4, 1);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_STATE_NOTIFY, tx, 8, rx, sizeof(rx), &len),
		     -ENOENT);
	/* NAME_GET where the short name is the whole name. */
	scmi_put_le32(tx, DOM_BOTH);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_NAME_GET, tx, 4, rx, sizeof(rx), &len),
		     -EOPNOTSUPP);
	scmi_put_le32(tx, DOM_LONG_SYNC);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_NAME_GET, tx, 4, rx, sizeof(rx), &len), 0);
	cr_assert_eq(len, 68);
	/* Notifications on a domain without them; reserved enable bits. */
	scmi_put_le32(tx, DOM_NO_NOTIFY);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_STATE_NOTIFY, tx, 8, rx, sizeof(rx), &len),
		     -EOPNOTSUPP);
	scmi_put_le32(tx, DOM_BOTH);
	scmi_put_le32(tx + 4, 3);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_STATE_NOTIFY, tx, 8, rx, sizeof(rx), &len),
		     -EINVAL);
	/* STATE_SET: reserved flags; a form the domain lacks. */
	scmi_put_le32(tx, 2);
	scmi_put_le32(tx + 4, DOM_BOTH);
	scmi_put_le32(tx + 8, SCMI_POWER_STATE_ON);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_STATE_SET, tx, 12, rx, sizeof(rx), &len),
		     -EINVAL);
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, DOM_ASYNC);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_STATE_SET, tx, 12, rx, sizeof(rx), &len),
		     -EOPNOTSUPP, "sync form on an async-only domain");
	scmi_put_le32(tx, 1);
	scmi_put_le32(tx + 4, DOM_LONG_SYNC);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_STATE_SET, tx, 12, rx, sizeof(rx), &len),
		     -EOPNOTSUPP, "async form on a sync-only domain");
	/* Wrong request size. */
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_STATE_SET, tx, 8, rx, sizeof(rx), &len),
		     -EPROTO);
	scmi_close(h);

	/* Version-dependent commands. */
	h = test_open("loopback://?versions=power:1.0", NULL);
	scmi_put_le32(tx, DOM_BOTH);
	scmi_put_le32(tx + 4, 1);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_CHANGE_REQ_NOTIFY, tx, 8, rx, sizeof(rx), &len),
		     -ENOENT, "no 0x7 in 1.0");
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_NAME_GET, tx, 4, rx, sizeof(rx), &len),
		     -ENOENT);
	scmi_close(h);
	h = test_open(URI_SCMI2, NULL);
	scmi_put_le32(tx, DOM_LONG_SYNC);
	cr_assert_eq(scmi_raw_command(h, POWER, MSG_NAME_GET, tx, 4, rx, sizeof(rx), &len), -ENOENT,
		     "no NAME_GET before 3.0");
	scmi_close(h);
}

/* ---- notifications ---------------------------------------------------------- */

struct catcher {
	struct scmi_notifier_block nb;
	pthread_mutex_t lock;
	unsigned int count;
	unsigned int evt;
	struct scmi_power_state_changed_report last;
	struct scmi_power_state_change_requested_report last_req;
	/* Optional: a command to run from the callback, and its result. */
	struct scmi_handle *h;
	uint32_t set_dom, set_state;
	int set_ret;
};

static int catcher_call(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct catcher *c = container_of(nb, struct catcher, nb);
	int set_ret = 0;

	if (c->h)
		set_ret = c->h->power_ops->state_set(c->h, c->set_dom, c->set_state);
	pthread_mutex_lock(&c->lock);
	c->evt = evt;
	if (evt == EVT_CHANGED)
		memcpy(&c->last, report, sizeof(c->last));
	else
		memcpy(&c->last_req, report, sizeof(c->last_req));
	c->set_ret = set_ret;
	c->count++;
	pthread_mutex_unlock(&c->lock);
	return SCMI_NOTIFY_OK;
}

static void catcher_init(struct catcher *c)
{
	memset(c, 0, sizeof(*c));
	c->nb.notifier_call = catcher_call;
	pthread_mutex_init(&c->lock, NULL);
}

static unsigned int catcher_count(struct catcher *c)
{
	unsigned int n;

	pthread_mutex_lock(&c->lock);
	n = c->count;
	pthread_mutex_unlock(&c->lock);
	return n;
}

struct count_wait {
	struct catcher *c;
	unsigned int want;
};

static bool count_reached(void *arg)
{
	struct count_wait *w = arg;

	return catcher_count(w->c) >= w->want;
}

static void wait_count(struct catcher *c, unsigned int want)
{
	struct count_wait w = {c, want};

	cr_assert(test_wait_until(count_reached, &w, 3000), "expected %u events, got %u", want,
		  catcher_count(c));
}

static void state_changed_events(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	uint32_t dom = DOM_LONG_SYNC, me = agent_id(test_model(h));
	struct scmi_event_stats es;
	struct catcher c;
	uint64_t t0;

	catcher_init(&c);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, dom), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, &dom, &c.nb), 0);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, dom), 1);

	/* The platform changes the state on its own. */
	t0 = (uint64_t)test_now_ms() * 1000000ull;
	cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_OFF, 0), 1);
	wait_count(&c, 1);
	cr_assert_eq(c.evt, EVT_CHANGED);
	cr_assert_eq(c.last.agent_id, 0, "platform-initiated");
	cr_assert_eq(c.last.domain_id, dom);
	cr_assert_eq(c.last.power_state, SCMI_POWER_STATE_OFF);
	cr_assert_geq(c.last.hdr.timestamp + 1000000ull, t0, "arrival timestamp");

	/* Our own request: agent_id is ours. */
	cr_assert_eq(h->power_ops->state_set(h, dom, SCMI_POWER_STATE_ON), 0);
	wait_count(&c, 2);
	cr_assert_eq(c.last.agent_id, me);
	cr_assert_eq(c.last.power_state, SCMI_POWER_STATE_ON);

	/* Another source's change is not ours to see. */
	cr_assert_eq(test_power_state_change(h, DOM_BOTH, SCMI_POWER_STATE_OFF, 0), 0);

	/* Disabled: the platform sends nothing. */
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, POWER, EVT_CHANGED, &dom, &c.nb),
		     0);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, dom), 0);
	{
		uint64_t sent = sim_notifications(h);

		cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_OFF, 0), 0);
		cr_assert_eq(h->power_ops->state_set(h, dom, SCMI_POWER_STATE_ON), 0);
		cr_assert_eq(sim_notifications(h), sent, "nothing sent after disabling");
	}
	cr_assert_eq(catcher_count(&c), 2);
	cr_assert(test_wait_delivered(h, POWER, 2, 5000));
	cr_assert_eq(scmi_event_stats_get(h, POWER, &es), 0);
	cr_assert_eq(es.delivered, 2);
	cr_assert_eq(es.dropped_malformed, 0);
	scmi_close(h);
}

Test(power, state_changed_events_newest)
{
	state_changed_events(URI_NEWEST);
}

Test(power, state_changed_events_scmi2)
{
	state_changed_events(URI_SCMI2);
}

/* Domains without notification support refuse; all-sources listeners
 * enable exactly the domains that have them. */
Test(power, notify_support_per_domain)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	int n = scmi_sim_power_num_domains(sim);
	uint32_t dom = DOM_NO_NOTIFY;
	uint64_t before;
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->power_ops->count_get(h), n);
	before = test_requests(h);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, &dom, &c.nb),
		     -EOPNOTSUPP);
	dom = (uint32_t)n; /* a source id equal to the count */
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, &dom, &c.nb),
		     -EINVAL);
	cr_assert_eq(test_requests(h), before, "refused locally");

	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, NULL, &c.nb), 0);
	for (int i = 0; i < n; i++)
		cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, (uint32_t)i),
			     domain_now(h, (uint32_t)i).notify, "domain %d", i);
	cr_assert_eq(test_power_state_change(h, DOM_ASYNC, SCMI_POWER_STATE_ON, 0), 1);
	wait_count(&c, 1);
	cr_assert_eq(c.last.domain_id, DOM_ASYNC);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, POWER, EVT_CHANGED, NULL, &c.nb),
		     0);
	for (int i = 0; i < n; i++)
		cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, (uint32_t)i), 0);
	scmi_close(h);
}

/* A user's listener and a state_set() wait share the platform enable. */
Test(power, async_wait_shares_enable_with_listener)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	uint32_t dom = DOM_ASYNC;
	unsigned int en, dis;
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, &dom, &c.nb), 0);
	cr_assert_eq(h->power_ops->state_set(h, dom, SCMI_POWER_STATE_ON), 0);
	wait_count(&c, 1);
	cr_assert_eq(c.last.power_state, SCMI_POWER_STATE_ON);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, dom), 1, "still listening");
	cr_assert_eq(scmi_sim_notify_requests(sim, POWER, EVT_CHANGED, dom, &en, &dis), 0);
	cr_assert_eq(en, 1);
	cr_assert_eq(dis, 0);
	scmi_close(h);
}

/* Commands from a notification callback: sync works; waiting for a power
 * notification on the thread that delivers them cannot, and says so. */
Test(power, commands_from_callback)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	uint32_t dom = DOM_LONG_SYNC;
	struct catcher c;

	catcher_init(&c);
	c.h = h;
	c.set_dom = DOM_NO_NOTIFY;
	c.set_state = SCMI_POWER_STATE_ON;
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, &dom, &c.nb), 0);
	cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_OFF, 0), 1);
	wait_count(&c, 1);
	cr_assert_eq(c.set_ret, 0);
	cr_assert_eq(domain_now(h, DOM_NO_NOTIFY).state, SCMI_POWER_STATE_ON);

	pthread_mutex_lock(&c.lock);
	c.set_dom = DOM_ASYNC;
	pthread_mutex_unlock(&c.lock);
	cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_ON, 0), 1);
	wait_count(&c, 2);
	cr_assert_eq(c.set_ret, -EDEADLK);
	scmi_close(h);
}

/* POWER_STATE_CHANGE_REQUESTED: used on 2.x only (unverified elsewhere). */
Test(power, change_requested_scmi2)
{
	struct scmi_handle *h = test_open(URI_SCMI2, NULL);
	uint32_t dom = DOM_BOTH, me = agent_id(test_model(h));
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_REQUESTED, &dom, &c.nb),
		     0);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_REQUESTED, dom), 1);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, dom), 0, "separate enables");

	/* Another agent asks. */
	cr_assert_eq(test_power_state_change(h, dom, SCMI_SIM_POWER_RETENTION, 2), 1);
	wait_count(&c, 1);
	cr_assert_eq(c.evt, EVT_REQUESTED);
	cr_assert_eq(c.last_req.agent_id, 2);
	cr_assert_eq(c.last_req.domain_id, dom);
	cr_assert_eq(c.last_req.power_state, SCMI_SIM_POWER_RETENTION);
	cr_assert_gt(c.last_req.hdr.timestamp, 0);
	/* We ask. */
	cr_assert_eq(h->power_ops->state_set(h, dom, SCMI_POWER_STATE_OFF), 0);
	wait_count(&c, 2);
	cr_assert_eq(c.last_req.agent_id, me);
	cr_assert_eq(c.last_req.power_state, SCMI_POWER_STATE_OFF);
	/* Not for domains without notifications. */
	dom = DOM_NO_NOTIFY;
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_REQUESTED, &dom, &c.nb),
		     -EOPNOTSUPP);
	dom = DOM_BOTH;
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, POWER, EVT_REQUESTED, &dom, &c.nb),
		     0);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_REQUESTED, dom), 0);
	cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_ON, 2), 0);
	cr_assert_eq(catcher_count(&c), 2);
	scmi_close(h);
}

Test(power, change_requested_not_used_outside_2x)
{
	static const char *const uris[] = {URI_NEWEST, "loopback://?versions=power:3.0",
					   "loopback://?versions=power:1.0"};

	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		struct scmi_handle *h = test_open(uris[i], NULL);
		uint32_t dom = DOM_BOTH;
		struct catcher c;
		uint64_t before;

		catcher_init(&c);
		cr_assert_eq(h->power_ops->count_get(h), scmi_sim_power_num_domains(sim));
		before = test_requests(h);
		cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_REQUESTED, &dom,
								    &c.nb),
			     -EOPNOTSUPP, "%s", uris[i]);
		cr_assert_eq(test_requests(h), before, "nothing sent (%s)", uris[i]);
		scmi_close(h);
	}
}

/* ---- malformed platform messages -------------------------------------------- */

static void arm(struct scmi_sim *s, int message, int64_t delta, bool notifications)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.every = 1,
		.count = 1,
		.protocol = POWER,
		.message = message,
		.param = delta,
		.notifications = notifications,
	};

	cr_assert_eq(scmi_sim_fault_add(s, &f), 0);
}

struct malformed_wait {
	struct scmi_handle *h;
	uint64_t want;
};

static bool malformed_reached(void *arg)
{
	struct malformed_wait *w = arg;
	struct scmi_event_stats es;

	return scmi_event_stats_get(w->h, POWER, &es) == 0 && es.dropped_malformed >= w->want;
}

static void bad_notifications(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	struct malformed_wait mw = {h, 0};
	uint32_t dom = DOM_BOTH;
	uint8_t raw[12];
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, NULL, &c.nb), 0);
	/* Too long, too short, then well formed. */
	arm(sim, EVT_CHANGED, 4, true);
	cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_OFF, 0), 1);
	mw.want = 1;
	cr_assert(test_wait_until(malformed_reached, &mw, 3000));
	arm(sim, EVT_CHANGED, -4, true);
	cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_ON, 0), 1);
	mw.want = 2;
	cr_assert(test_wait_until(malformed_reached, &mw, 3000));
	/* An unknown domain, and an event this platform version never has. */
	memset(raw, 0, sizeof(raw));
	scmi_put_le32(raw + 4, 200);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, POWER, EVT_CHANGED, raw, sizeof(raw)), 1);
	mw.want = 3;
	cr_assert(test_wait_until(malformed_reached, &mw, 3000));
	cr_assert_eq(catcher_count(&c), 0, "no malformed event reached a callback");

	cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_OFF, 0), 1);
	wait_count(&c, 1);
	cr_assert_eq(c.last.domain_id, dom);
	cr_assert_eq(c.last.power_state, SCMI_POWER_STATE_OFF);
	scmi_close(h);
}

Test(power, bad_notification_lengths_newest)
{
	bad_notifications(URI_NEWEST);
}

Test(power, bad_notification_lengths_scmi2)
{
	bad_notifications(URI_SCMI2);
}

/* A change-requested event where it cannot have been enabled. */
Test(power, unsolicited_change_requested_rejected)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct malformed_wait mw = {h, 1};
	uint8_t raw[12] = {0};
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, NULL, &c.nb), 0);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, POWER, EVT_REQUESTED, raw, sizeof(raw)), 1);
	cr_assert(test_wait_until(malformed_reached, &mw, 3000));
	cr_assert_eq(catcher_count(&c), 0);
	scmi_close(h);
}

static void bad_responses(const char *uri)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;
	const struct scmi_power_domain_info *d;
	uint32_t state;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open(uri, &cfg);
	/* Bring-up fails on a short reply, and is retried on the next call. */
	arm(sim, MSG_PROTOCOL_ATTRIBUTES, -4, false);
	cr_assert_eq(h->power_ops->count_get(h), -EPROTO);
	/* A short DOMAIN_ATTRIBUTES reply (the last domain's) disables that
	 * domain, not the bring-up. */
	{
		int n = scmi_sim_power_num_domains(sim);
		struct scmi_sim_fault f = {
			.kind = SCMI_SIM_FAULT_BAD_LENGTH,
			.every = (uint32_t)n,
			.count = 1,
			.protocol = POWER,
			.message = MSG_DOMAIN_ATTRIBUTES,
			.param = -8,
		};

		cr_assert_eq(test_fault_add(h, &f), 0);
		cr_assert_eq(h->power_ops->count_get(h), n);
		cr_assert(test_log_contains(&lg, "reply has 12 data bytes, expected at least 20"),
			  "%s", lg.text);
		cr_assert_eq(h->power_ops->info_get(h, (uint32_t)n - 1, &d), 0);
		cr_assert_not(d->usable);
		cr_assert_eq(d->err, -EPROTO);
		cr_assert_eq(h->power_ops->state_get(h, (uint32_t)n - 1, &state), -EPROTO);
	}
	/* STATE_GET without its state word; with extra bytes (ignored). */
	arm(sim, MSG_STATE_GET, -4, false);
	cr_assert_eq(h->power_ops->state_get(h, DOM_BOTH, &state), -EPROTO);
	arm(sim, MSG_STATE_GET, 8, false);
	cr_assert_eq(h->power_ops->state_get(h, DOM_BOTH, &state), 0);
	cr_assert_eq(state, domain_now(h, DOM_BOTH).state);
	cr_assert_eq(h->power_ops->info_get(h, DOM_BOTH, &d), 0);
	scmi_close(h);
}

Test(power, bad_response_lengths_newest)
{
	bad_responses(URI_NEWEST);
}

Test(power, bad_response_lengths_scmi2)
{
	bad_responses(URI_SCMI2);
}

/* A NAME_GET reply without a name: the short name stays. */
Test(power, bad_name_reply_keeps_short_name)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_power_domain_info *d;
	char expect[16];

	arm(sim, MSG_NAME_GET, -64, false);
	cr_assert_eq(h->power_ops->info_get(h, DOM_LONG_SYNC, &d), 0);
	snprintf(expect, sizeof(expect), "%.15s", domain_now(h, DOM_LONG_SYNC).name);
	cr_assert_str_eq(d->name, expect);
	cr_assert_not(d->extended_name);
	cr_assert_eq(test_fault_hits(h, SCMI_SIM_FAULT_BAD_LENGTH), 1);
	scmi_close(h);
}

/* ---- concurrency ------------------------------------------------------------ */

struct toggler {
	struct scmi_handle *h;
	uint32_t dom;
	int failures;
};

static void *toggler_run(void *arg)
{
	struct toggler *t = arg;

	for (int i = 0; i < 40; i++) {
		uint32_t want = i % 2 ? SCMI_POWER_STATE_OFF : SCMI_POWER_STATE_ON, state = ~want;

		if (t->h->power_ops->state_set(t->h, t->dom, want) ||
		    t->h->power_ops->state_get(t->h, t->dom, &state) || state != want)
			t->failures++;
	}
	return NULL;
}

/* Sync and awaited async changes from several threads at once. */
Test(power, concurrent_state_changes)
{
	static const uint32_t doms[] = {DOM_BOTH, DOM_ASYNC, DOM_LONG_SYNC, 7};
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct toggler t[4];
	pthread_t th[4];

	for (int i = 0; i < 4; i++) {
		t[i] = (struct toggler){h, doms[i], 0};
		pthread_create(&th[i], NULL, toggler_run, &t[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(t[i].failures, 0, "domain %u", t[i].dom);
	}
	cr_assert_eq(domain_now(h, DOM_ASYNC).async_requests, 40);
	scmi_close(h);
}

/* ---- the model's test API ------------------------------------------------------ */

Test(power, sim_api_errors)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct scmi_sim_power_domain md;
	uint32_t n = (uint32_t)scmi_sim_power_num_domains(sim);

	cr_assert_eq(scmi_sim_power_num_domains(NULL), -EINVAL);
	cr_assert_eq(scmi_sim_power_domain_get(sim, n, &md), -ENOENT);
	cr_assert_eq(scmi_sim_power_domain_get(sim, 0, NULL), -EINVAL);
	cr_assert_eq(test_power_state_change(h, n, SCMI_POWER_STATE_ON, 0), -ENOENT);
	cr_assert_eq(test_power_state_change(h, DOM_READONLY, SCMI_POWER_STATE_OFF, 0), -EINVAL,
		     "a state the domain does not have");
	cr_assert_eq(scmi_sim_power_deny_set(sim, DOM_BOTH, 0x5, true), -EINVAL);
	cr_assert_eq(scmi_sim_power_deny_set(sim, n, SCMI_POWER_STATE_ON, true), -ENOENT);
	cr_assert_eq(scmi_sim_power_async_delay_set(sim, UINT64_MAX), -EINVAL);
	scmi_close(h);
}

/* The power_state helpers agree with the wire encoding (spec §6.2). */
Test(power, state_encoding)
{
	cr_assert_eq(SCMI_POWER_STATE_ON, 0x00000000u);
	cr_assert_eq(SCMI_POWER_STATE_OFF, 0x40000000u);
	cr_assert_eq(SCMI_POWER_STATE(1, 0x1234), 0x40001234u);
	cr_assert_eq(SCMI_POWER_STATE(0, 0xfffffff5u), 0x0ffffff5u, "id masked to b[27:0]");
	cr_assert_eq(SCMI_POWER_STATE_ID_OF(0x4abcdef1u), 0x0abcdef1u);
	cr_assert(SCMI_POWER_STATE_IS_CONTEXT_LOSS(SCMI_POWER_STATE_OFF));
	cr_assert_not(SCMI_POWER_STATE_IS_CONTEXT_LOSS(SCMI_POWER_STATE_ON));
	cr_assert(SCMI_POWER_STATE_IS_VALID(0x4fffffffu));
	cr_assert_not(SCMI_POWER_STATE_IS_VALID(0x80000000u));
	cr_assert_not(SCMI_POWER_STATE_IS_VALID(0x20000000u));
	cr_assert_not(SCMI_POWER_STATE_IS_VALID(0x10000000u));
}

/* ---- a platform without POWER_STATE_NOTIFY ----------------------------------- */

/* One domain that says it notifies (b31) and changes state asynchronously
 * only (b30), on a platform that does not implement POWER_STATE_NOTIFY. */
static void rogue_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, 1); /* one domain */
	sim_reply_u32(ctx, 0); /* no statistics */
	sim_reply_u32(ctx, 0);
	sim_reply_u32(ctx, 0);
}

static void rogue_domain_attributes(struct sim_ctx *ctx)
{
	if (sim_req_u32(ctx, 0)) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	sim_reply_u32(ctx, 1u << 31 | 1u << 30);
	sim_reply_name(ctx, "rogue");
}

static void rogue_state_get(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, SCMI_POWER_STATE_ON);
}

static void rogue_ok(struct sim_ctx *ctx)
{
	(void)ctx;
}

static const struct sim_cmd rogue_cmds[] = {
	{MSG_DOMAIN_ATTRIBUTES, 0, 4, rogue_domain_attributes},
	{MSG_STATE_SET, 0, 12, rogue_ok},
	{MSG_STATE_GET, 0, 4, rogue_state_get},
};

static const uint32_t rogue_versions[] = {SIM_VERSION(3, 0), 0};

static const struct sim_proto_ops rogue_ops = {
	.id = POWER,
	.name = "rogue-power",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = SIM_ARRAY_SIZE(rogue_cmds),
	.attributes = rogue_attributes,
};

/* Spec §3.2: a per-domain notification bit counts only if the platform
 * implements the *_NOTIFY command (PROTOCOL_MESSAGE_ATTRIBUTES), as perf
 * and clock check too.  Else enabling, and an async-only state_set() that
 * would wait for the notification, are refused locally. */
Test(power, notify_bit_needs_the_command)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_power_domain_info *d;
	uint32_t dom = 0;
	uint64_t before;
	struct catcher c;

	test_model_swap(sim, &rogue_ops, SIM_VERSION(3, 0));
	catcher_init(&c);
	cr_assert_eq(h->power_ops->info_get(h, dom, &d), 0);
	cr_assert(d->attributes & (1u << 31), "the domain claims notifications");
	cr_assert_not(d->state_change_notify, "but the platform has no POWER_STATE_NOTIFY");
	cr_assert(d->state_set_async);
	before = test_requests(h);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, &dom, &c.nb),
		     -EOPNOTSUPP);
	cr_assert_eq(h->power_ops->state_set(h, dom, SCMI_POWER_STATE_OFF), -EOPNOTSUPP,
		     "completion could not be awaited");
	cr_assert_eq(test_requests(h), before, "nothing sent");
	cr_assert_eq(h->power_ops->state_set_async(h, dom, SCMI_POWER_STATE_OFF), 0);
	cr_assert_eq(test_requests(h), before + 1);
	scmi_close(h);
}

/* With callbacks on the caller's loop, that loop's thread delivers power
 * events: an async-completion wait there is refused at once, not after the
 * timeout. */
Test(power, async_wait_on_the_callers_loop_thread)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	uv_loop_t loop;
	uint64_t t0;

	cr_assert_eq(uv_loop_init(&loop), 0);
	cfg.loop = &loop;
	h = test_open(URI_NEWEST, &cfg);
	t0 = test_now_ms();
	cr_assert_eq(h->power_ops->state_set(h, DOM_ASYNC, SCMI_POWER_STATE_ON), -EDEADLK);
	cr_assert_lt(test_now_ms() - t0, 1000, "refused, not timed out");
	scmi_close(h);
	cr_assert_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	cr_assert_eq(uv_loop_close(&loop), 0);
}

/* ---- a TF-A-like platform: domain attributes 0 -------------------------------- */

/* TF-A's plat_scmi_pd_get_attributes() defaults to 0 (no notification, no
 * async, no sync bit) on domains that change state all the same.  Domain
 * 0 accepts every state; domain 1 refuses them (DENIED). */
static uint32_t tfa_state[2];
static uint32_t tfa_flags_seen;

static void tfa_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, 2);
	sim_reply_u32(ctx, 0);
	sim_reply_u32(ctx, 0);
	sim_reply_u32(ctx, 0);
}

static void tfa_domain_attributes(struct sim_ctx *ctx)
{
	if (sim_req_u32(ctx, 0) > 1) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	sim_reply_u32(ctx, 0);
	sim_reply_name(ctx, sim_req_u32(ctx, 0) ? "tfa-locked" : "tfa-pd");
}

static void tfa_state_set(struct sim_ctx *ctx)
{
	uint32_t dom = sim_req_u32(ctx, 4);

	tfa_flags_seen = sim_req_u32(ctx, 0);
	if (dom > 1) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (dom == 1) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	tfa_state[dom] = sim_req_u32(ctx, 8);
}

static void tfa_state_get(struct sim_ctx *ctx)
{
	uint32_t dom = sim_req_u32(ctx, 0);

	if (dom > 1) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	sim_reply_u32(ctx, tfa_state[dom]);
}

static const struct sim_cmd tfa_cmds[] = {
	{MSG_DOMAIN_ATTRIBUTES, 0, 4, tfa_domain_attributes},
	{MSG_STATE_SET, 0, 12, tfa_state_set},
	{MSG_STATE_GET, 0, 4, tfa_state_get},
};

static const uint32_t tfa_versions[] = {SIM_VERSION(2, 0), 0};

static const struct sim_proto_ops tfa_ops = {
	.id = POWER,
	.name = "tfa-power",
	.versions = tfa_versions,
	.cmds = tfa_cmds,
	.num_cmds = SIM_ARRAY_SIZE(tfa_cmds),
	.attributes = tfa_attributes,
};

/* state_set() on such a domain sends the synchronous POWER_STATE_SET (as
 * Linux does) and returns what the platform answers. */
Test(power, domain_without_sync_or_async_bits)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_power_domain_info *d;
	uint32_t state = 0;
	uint64_t before;

	test_model_swap(sim, &tfa_ops, SIM_VERSION(2, 0));
	cr_assert_eq(h->power_ops->info_get(h, 0, &d), 0);
	cr_assert_not(d->state_set_sync);
	cr_assert_not(d->state_set_async);
	tfa_flags_seen = 0xff;
	before = test_requests(h);
	cr_assert_eq(h->power_ops->state_set(h, 0, SCMI_POWER_STATE_OFF), 0);
	cr_assert_eq(test_requests(h), before + 1);
	cr_assert_eq(tfa_flags_seen, 0, "the synchronous form");
	cr_assert_eq(h->power_ops->state_get(h, 0, &state), 0);
	cr_assert_eq(state, SCMI_POWER_STATE_OFF);
	cr_assert_eq(h->power_ops->state_set(h, 0, SCMI_POWER_STATE_ON), 0);
	cr_assert_eq(tfa_state[0], SCMI_POWER_STATE_ON);
	/* The platform's refusal comes back as it is. */
	cr_assert_eq(h->power_ops->state_set(h, 1, SCMI_POWER_STATE_OFF), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	/* The async form stays refused locally: the domain does not offer it. */
	before = test_requests(h);
	cr_assert_eq(h->power_ops->state_set_async(h, 0, SCMI_POWER_STATE_OFF), -EOPNOTSUPP);
	/* Boundary: domain id == count. */
	cr_assert_eq(h->power_ops->state_set(h, 2, SCMI_POWER_STATE_OFF), -EINVAL);
	cr_assert_eq(test_requests(h), before, "nothing sent");
	scmi_close(h);
}

/* ---- one domain the platform will not describe ---------------------------------- */

/* Domain @dom is disabled with @err: described as such, every op -EPROTO
 * with nothing sent, its notifications refused. */
static void expect_power_disabled(struct scmi_handle *h, uint32_t dom, int err)
{
	const struct scmi_power_domain_info *d;
	uint64_t before = test_requests(h);
	const char *name;
	struct catcher c;
	uint32_t state;

	catcher_init(&c);
	cr_assert_eq(h->power_ops->info_get(h, dom, &d), 0, "domain %u", dom);
	cr_assert_eq(d->id, dom);
	cr_assert_not(d->usable, "domain %u", dom);
	cr_assert_eq(d->err, err, "domain %u: err %d", dom, d->err);
	cr_assert_str_eq(d->name, "");
	cr_assert_not(d->state_change_notify || d->state_set_sync || d->state_set_async);
	cr_assert_eq(h->power_ops->name_get(h, dom, &name), 0);
	cr_assert_eq(name, d->name);
	cr_assert_eq(h->power_ops->state_get(h, dom, &state), -EPROTO);
	cr_assert_eq(h->power_ops->state_set(h, dom, SCMI_POWER_STATE_ON), -EPROTO);
	cr_assert_eq(h->power_ops->state_set_async(h, dom, SCMI_POWER_STATE_ON), -EPROTO);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, &dom, &c.nb),
		     -EPROTO);
	cr_assert_eq(test_requests(h), before, "nothing sent for a disabled domain");
}

/* Domain @dom works: it reads, and its name is the model's. */
static void expect_power_usable(struct scmi_handle *h, uint32_t dom)
{
	const struct scmi_power_domain_info *d;
	uint32_t state = ~0u;

	cr_assert_eq(h->power_ops->info_get(h, dom, &d), 0);
	cr_assert(d->usable, "domain %u", dom);
	cr_assert_eq(d->err, 0);
	cr_assert_eq(strncmp(d->name, domain_now(h, dom).name, 15), 0, "domain %u", dom);
	cr_assert_eq(h->power_ops->state_get(h, dom, &state), 0, "domain %u", dom);
	cr_assert_eq(state, domain_now(h, dom).state);
}

/*
 * The reported case, for power: BASE_SET_DEVICE_PERMISSIONS takes one
 * domain's device away before the lazy bring-up, and the platform answers
 * DENIED to every message naming it, POWER_DOMAIN_ATTRIBUTES included.
 * That domain is disabled (its reason is -EACCES), the others work; the
 * first and the last domain both; id == count stays -EINVAL.
 */
Test(power, denied_domain_disables_only_it)
{
	struct scmi_handle *probe = test_open(URI_NEWEST, NULL);
	uint32_t n = (uint32_t)scmi_sim_power_num_domains(test_sim(probe));
	const uint32_t victims[] = {0, n - 1};

	scmi_close(probe);
	cr_assert_leq(n, 8, "every domain is a Base device");
	for (size_t v = 0; v < SIM_ARRAY_SIZE(victims); v++) {
		static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
		struct scmi_config cfg;
		struct scmi_handle *h;
		const struct scmi_power_domain_info *d;
		char line[96];
		uint32_t state;

		test_log_init(&lg);
		cfg = test_config(&lg);
		h = test_open(URI_NEWEST, &cfg);
		cr_assert_eq(h->base_ops->set_device_permissions(h, agent_id(test_model(h)),
								 victims[v], false),
			     0);
		cr_assert_eq(h->power_ops->count_get(h), (int)n);
		snprintf(line, sizeof(line), "power: domain %u disabled: %s", victims[v],
			 scmi_strerror(-EACCES));
		cr_assert(test_log_contains(&lg, line), "want '%s' in\n%s", line, lg.text);
		expect_power_disabled(h, victims[v], -EACCES);
		for (uint32_t dom = 0; dom < n; dom++)
			if (dom != victims[v])
				expect_power_usable(h, dom);
		cr_assert_eq(
			h->power_ops->state_set(h, victims[v] ? 0 : n - 1, SCMI_POWER_STATE_ON), 0);
		cr_assert_eq(h->power_ops->info_get(h, n, &d), -EINVAL);
		cr_assert_eq(h->power_ops->state_get(h, n, &state), -EINVAL);
		/* Giving the device back does not repeat the discovery. */
		cr_assert_eq(h->base_ops->set_device_permissions(h, agent_id(test_model(h)),
								 victims[v], true),
			     0);
		expect_power_disabled(h, victims[v], -EACCES);
		scmi_close(h);
	}
}

/* Events naming a disabled domain are dropped; listening to every source
 * enables the usable domains only. */
Test(power, events_of_a_disabled_domain_dropped)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct malformed_wait mw = {h, 1};
	struct scmi_event_stats es;
	uint8_t raw[12] = {0};
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(h->base_ops->set_device_permissions(h, agent_id(test_model(h)), DOM_LONG_SYNC,
							 false),
		     0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, NULL, &c.nb), 0);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, DOM_BOTH), 1);
	cr_assert_eq(test_notify_enabled(h, POWER, EVT_CHANGED, DOM_LONG_SYNC), 0);
	scmi_put_le32(raw + 4, DOM_LONG_SYNC);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, POWER, EVT_CHANGED, raw, sizeof(raw)), 1);
	cr_assert(test_wait_until(malformed_reached, &mw, 3000));
	cr_assert_eq(test_power_state_change(h, DOM_BOTH, SCMI_POWER_STATE_OFF, 0), 1);
	wait_count(&c, 1);
	cr_assert_eq(c.last.domain_id, DOM_BOTH);
	cr_assert_eq(scmi_event_stats_get(h, POWER, &es), 0);
	cr_assert_eq(es.dropped_malformed, 1);
	cr_assert_eq(catcher_count(&c), 1);
	scmi_close(h);
}

/* A refusal with any status disables the domain with that status's errno;
 * no answer at all fails the bring-up, and the next call retries it. */
Test(power, refused_attributes_then_timeout)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	int n;
	struct scmi_sim_fault drop = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = POWER,
		.message = MSG_DOMAIN_ATTRIBUTES,
	};

	h = test_open(URI_NEWEST "?status=power:domain_attributes:NOT_FOUND", NULL);
	n = scmi_sim_power_num_domains(test_model(h));
	cr_assert_eq(h->power_ops->count_get(h), n, "every domain refused, the protocol up");
	for (uint32_t dom = 0; dom < (uint32_t)n; dom++)
		expect_power_disabled(h, dom, -ENOENT);
	scmi_close(h);

	cfg.timeout_ms = 100;
	h = test_open(URI_NEWEST, &cfg);
	cr_assert_eq(test_fault_add(h, &drop), 0);
	cr_assert_eq(h->power_ops->count_get(h), -ETIMEDOUT);
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	scmi_close(h);
}

/* An extended name the platform refuses leaves the short name; the domain
 * stays usable. */
Test(power, extended_name_refused_keeps_short_name)
{
	struct scmi_handle *h = test_open(URI_NEWEST "?status=power:domain_name_get:DENIED", NULL);
	const struct scmi_power_domain_info *d;
	char expect[16];

	cr_assert_eq(h->power_ops->info_get(h, DOM_LONG_SYNC, &d), 0);
	snprintf(expect, sizeof(expect), "%.15s", domain_now(h, DOM_LONG_SYNC).name);
	cr_assert_str_eq(d->name, expect);
	cr_assert_not(d->extended_name);
	for (uint32_t dom = 0; dom < (uint32_t)scmi_sim_power_num_domains(sim); dom++)
		expect_power_usable(h, dom);
	scmi_close(h);
}

/* ---- non-blocking calls (SCMI_ASYNC) ------------------------------------------ */

/* Every op, blocking and under SCMI_ASYNC(): the same results and outputs. */
static void every_op_non_blocking(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	const struct scmi_power_domain_info *d1, *d2;
	const struct scmi_power_info *i1, *i2;
	const char *n1, *n2;
	uint32_t s1, s2;
	struct test_req a = {0};
	int n;

	n = h->power_ops->count_get(h);
	cr_assert_gt(n, DOM_ASYNC_NN);
	/* Answered from the cache: completed all the same. */
	cr_assert_eq(TEST_ASYNC(h, &a, h->power_ops->count_get(h)), n);
	cr_assert_eq(h->power_ops->protocol_info_get(h, &i1), 0);
	i2 = NULL;
	cr_assert_eq(TEST_ASYNC(h, &a, h->power_ops->protocol_info_get(h, &i2)), 0);
	cr_assert_eq(i1, i2);
	for (int i = 0; i < n; i++) {
		uint32_t dom = (uint32_t)i;

		d2 = NULL;
		n2 = NULL;
		cr_assert_eq(h->power_ops->info_get(h, dom, &d1), 0);
		cr_assert_eq(TEST_ASYNC(h, &a, h->power_ops->info_get(h, dom, &d2)), 0);
		cr_assert_eq(d1, d2, "domain %u", dom);
		cr_assert_eq(h->power_ops->name_get(h, dom, &n1), 0);
		cr_assert_eq(TEST_ASYNC(h, &a, h->power_ops->name_get(h, dom, &n2)), 0);
		cr_assert_eq(n1, n2, "domain %u", dom);
		s1 = 0x1234;
		s2 = 0x5678;
		cr_assert_eq(h->power_ops->state_get(h, dom, &s1), 0);
		cr_assert_eq(TEST_ASYNC(h, &a, h->power_ops->state_get(h, dom, &s2)), 0);
		cr_assert_eq(s1, s2, "domain %u", dom);
		cr_assert_eq(s2, domain_now(h, dom).state, "domain %u", dom);
	}

	/* The synchronous form: complete when the callback runs. */
	cr_assert_eq(h->power_ops->state_set(h, DOM_BOTH, SCMI_POWER_STATE_OFF), 0);
	cr_assert_eq(TEST_ASYNC(h, &a, h->power_ops->state_set(h, DOM_BOTH, SCMI_POWER_STATE_ON)),
		     0);
	cr_assert_eq(domain_now(h, DOM_BOTH).state, SCMI_POWER_STATE_ON);
	cr_assert_eq(domain_now(h, DOM_BOTH).async_requests, 0, "sync form");
	cr_assert_eq(
		TEST_ASYNC(h, &a, h->power_ops->state_set(h, DOM_NO_NOTIFY, SCMI_POWER_STATE_ON)),
		h->power_ops->state_set(h, DOM_NO_NOTIFY, SCMI_POWER_STATE_ON));
	/* The asynchronous form, acknowledged. */
	cr_assert_eq(
		TEST_ASYNC(h, &a,
			   h->power_ops->state_set_async(h, DOM_ASYNC_NN, SCMI_POWER_STATE_OFF)),
		0);
	cr_assert_eq(h->power_ops->state_set_async(h, DOM_ASYNC_NN, SCMI_POWER_STATE_OFF), 0);
	cr_assert_eq(domain_now(h, DOM_ASYNC_NN).async_requests, 2);

	/* Platform errors: the same errno, through the callback. */
	cr_assert_eq(h->power_ops->state_set(h, DOM_DENIED, SCMI_POWER_STATE_OFF), -EACCES);
	cr_assert_eq(
		TEST_ASYNC(h, &a, h->power_ops->state_set(h, DOM_DENIED, SCMI_POWER_STATE_OFF)),
		-EACCES);
	cr_assert_eq(TEST_ASYNC(h, &a,
				h->power_ops->state_set_async(h, DOM_DENIED, SCMI_POWER_STATE_OFF)),
		     -EACCES);
	cr_assert_eq(h->power_ops->state_set(h, DOM_LONG_SYNC, SCMI_SIM_POWER_SUSPEND), -EINVAL);
	cr_assert_eq(TEST_ASYNC(h, &a,
				h->power_ops->state_set(h, DOM_LONG_SYNC, SCMI_SIM_POWER_SUSPEND)),
		     -EINVAL, "INVALID_PARAMETERS from the platform");
	cr_assert_eq(domain_now(h, DOM_DENIED).state, SCMI_POWER_STATE_ON, "unchanged");

	/* Refused locally: the blocking op's errno, nothing sent, no callback. */
	{
		uint64_t before = test_requests(h);

		cr_assert_eq(
			TEST_ASYNC_REFUSED(h, &a, h->power_ops->state_get(h, (uint32_t)n, &s2)),
			-EINVAL);
		cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->power_ops->state_get(h, 0, NULL)),
			     -EINVAL);
		cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->power_ops->info_get(h, (uint32_t)n, &d2)),
			     -EINVAL);
		cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->power_ops->name_get(h, (uint32_t)n, &n2)),
			     -EINVAL);
		cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->power_ops->protocol_info_get(h, NULL)),
			     -EINVAL);
		cr_assert_eq(TEST_ASYNC_REFUSED(h, &a,
						h->power_ops->state_set(h, DOM_BOTH, 0x80000000u)),
			     -EINVAL);
		cr_assert_eq(TEST_ASYNC_REFUSED(h, &a,
						h->power_ops->state_set_async(h, DOM_NO_NOTIFY,
									      SCMI_POWER_STATE_ON)),
			     -EOPNOTSUPP);
		cr_assert_eq(TEST_ASYNC_REFUSED(
				     h, &a,
				     h->power_ops->state_set(h, DOM_ASYNC_NN, SCMI_POWER_STATE_ON)),
			     -EOPNOTSUPP, "async only, no notifications: refused as blocking");
		cr_assert_eq(test_requests(h), before, "nothing was sent");
		cr_assert_eq(atomic_load(&a.calls), 0);
	}
	scmi_close(h);
	cr_assert_eq(atomic_load(&a.calls), 0, "no callback after close either");
}

Test(power, every_op_non_blocking_newest)
{
	every_op_non_blocking(URI_NEWEST);
}

Test(power, every_op_non_blocking_scmi2)
{
	every_op_non_blocking(URI_SCMI2);
}

/*
 * state_set() of an async-only domain: blocking, it waits for
 * POWER_STATE_CHANGED; non-blocking, it completes when the platform
 * acknowledges the command, waits for nothing (no notification enabled),
 * and the change follows.
 */
Test(power, state_set_async_only_non_blocking)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct state_wait w = {h, DOM_ASYNC, SCMI_SIM_POWER_RETENTION};
	unsigned int en = 0, dis = 0;
	uint32_t state;
	struct test_req a = {0};

	test_need_sim();
	cr_assert_eq(TEST_ASYNC(h, &a, h->power_ops->state_set(h, DOM_ASYNC, SCMI_POWER_STATE_ON)),
		     0);
	cr_assert(test_wait_until(state_reached,
				  &(struct state_wait){h, DOM_ASYNC, SCMI_POWER_STATE_ON}, 5000));
	cr_assert_eq(domain_now(h, DOM_ASYNC).async_requests, 1, "async form");
	cr_assert_eq(scmi_sim_notify_requests(sim, POWER, EVT_CHANGED, DOM_ASYNC, &en, &dis), 0);
	cr_assert_eq(en, 0, "nothing waits for the notification");

	/* A slow platform: acknowledged before the change is done. */
	cr_assert_eq(scmi_sim_power_async_delay_set(sim, 1000000), 0);
	cr_assert_eq(
		TEST_ASYNC(h, &a, h->power_ops->state_set(h, DOM_ASYNC, SCMI_SIM_POWER_RETENTION)),
		0);
	cr_assert_eq(h->power_ops->state_get(h, DOM_ASYNC, &state), 0);
	cr_assert_eq(state, SCMI_POWER_STATE_ON, "acknowledged, not complete yet");
	cr_assert(test_wait_until(state_reached, &w, 5000));
	cr_assert_eq(domain_now(h, DOM_ASYNC).async_requests, 2);
	scmi_close(h);
}

/* Non-blocking state_set() from a power notification callback: no
 * -EDEADLK, as nothing waits there. */
struct from_cb {
	struct scmi_notifier_block nb;
	struct scmi_handle *h;
	struct test_req a;
	atomic_int events;
	int submitted;
};

static int from_cb_call(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct from_cb *f = container_of(nb, struct from_cb, nb);

	(void)evt;
	(void)report;
	if (atomic_load(&f->events) == 0) {
		/* Not TEST_SUBMIT(): no assertion on the event thread. */
		test_req_init(&f->a);
		f->submitted = SCMI_ASYNC(
			&f->a.req, test_req_done,
			f->h->power_ops->state_set(f->h, DOM_ASYNC, SCMI_POWER_STATE_OFF));
	}
	atomic_fetch_add(&f->events, 1);
	return SCMI_NOTIFY_OK;
}

static bool from_cb_done(void *arg)
{
	struct from_cb *f = arg;

	return atomic_load(&f->events) > 0 && atomic_load(&f->a.calls) > 0;
}

Test(power, state_set_non_blocking_from_callback)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct from_cb f = {.nb = {.notifier_call = from_cb_call}, .h = h};
	uint32_t dom = DOM_LONG_SYNC;

	cr_assert_eq(h->notify_ops->event_notifier_register(h, POWER, EVT_CHANGED, &dom, &f.nb), 0);
	cr_assert_eq(test_power_state_change(h, dom, SCMI_POWER_STATE_OFF, 0), 1);
	cr_assert(test_wait_until(from_cb_done, &f, 10000));
	cr_assert_eq(f.submitted, 0);
	cr_assert_eq(f.a.status, 0);
	cr_assert(test_wait_until(state_reached,
				  &(struct state_wait){h, DOM_ASYNC, SCMI_POWER_STATE_OFF}, 5000));
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, POWER, EVT_CHANGED, &dom, &f.nb),
		     0);
	scmi_close(h);
	cr_assert_eq(atomic_load(&f.a.calls), 1);
}

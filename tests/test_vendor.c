// SPDX-License-Identifier: BSD-3-Clause
/*
 * Vendor protocols (scmi/protocol.h) with the example "fan" protocol
 * (examples/vendor/fan.c) against the simulator's model of it
 * (loopback://?vendor_example=1): binding on a matching identity and not
 * on others, discovery (a multi-part walk, an extended name), every op
 * blocking and non-blocking (a delayed response, a walk at call time),
 * local refusals, the protocol's event through notify_ops, close with a
 * request outstanding, and the registry (unregister refused while bound).
 * Criterion runs each test in a process of its own: the registry starts
 * empty in each.
 */
#include <errno.h>
#include <stdatomic.h>

#include <scmi-sim/vendor_example.h>

#include "fan.h"
#include "helpers.h"

#define URI_MATCH "loopback://?vendor_example=1&vendor=Acme&sub_vendor=FanCtl&impl_ver=0x10002"
#define FAN_ASYNC 0 /* cpu0: async set, events */
#define FAN_EXT	  2 /* chassis-front-intake: extended name, events, sync only */
#define FAN_PLAIN 3 /* psu: neither */

static struct scmi_handle *open_fan(const char *uri, const struct fan_ops **fan)
{
	struct scmi_handle *h;

	cr_assert_eq(fan_register(), 0);
	h = test_open(uri, NULL);
	*fan = scmi_vendor_ops(h, FAN_PROTOCOL_ID);
	return h;
}

static bool listed_supported(const struct scmi_handle *h, uint8_t id, bool *supported)
{
	for (unsigned int i = 0; i < h->version->num_protocols; i++) {
		if (h->version->protocols[i].id == id) {
			*supported = h->version->protocols[i].supported;
			return true;
		}
	}
	return false;
}

/* ---- binding ----------------------------------------------------------------------- */

Test(vendor, binds_on_matching_identity)
{
	const struct fan_ops *fan;
	struct scmi_handle *h = open_fan(URI_MATCH, &fan);
	bool supported = false;

	cr_assert_not_null(fan);
	cr_assert_eq(scmi_vendor_protocol_get(h, FAN_PROTOCOL_ID), &fan_protocol);
	cr_assert(listed_supported(h, FAN_PROTOCOL_ID, &supported));
	cr_assert(supported, "a bound vendor protocol is 'supported'");
	cr_assert_str_eq(scmi_protocol_name(FAN_PROTOCOL_ID), "vendor");
	/* Any sub-vendor; the ends of the version range. */
	scmi_close(h);
	h = test_open("loopback://?vendor_example=1&vendor=ACME&impl_ver=0x10000", NULL);
	cr_assert_not_null(scmi_vendor_ops(h, FAN_PROTOCOL_ID), "vendor compared without case");
	scmi_close(h);
	h = test_open("loopback://?vendor_example=1&vendor=Acme&impl_ver=0x1ffff", NULL);
	cr_assert_not_null(scmi_vendor_ops(h, FAN_PROTOCOL_ID));
	scmi_close(h);
}

Test(vendor, no_binding_on_other_identities)
{
	static const char *const uris[] = {
		"loopback://?vendor_example=1&vendor=Other&impl_ver=0x10002",
		"loopback://?vendor_example=1&vendor=Acme&impl_ver=0x20000",
		"loopback://?vendor_example=1&vendor=Acme&impl_ver=0xffff",
		"loopback://?vendor_example=1", /* the simulator's own identity */
	};
	struct scmi_handle *h;
	const struct fan_ops *fan;
	struct scmi_protocol_handle *ph;
	struct scmi_ph_call call;
	bool supported = true;

	cr_assert_eq(fan_register(), 0);
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		h = test_open(uris[i], NULL);
		fan = scmi_vendor_ops(h, FAN_PROTOCOL_ID);
		cr_assert_null(fan, "%s", uris[i]);
		cr_assert_null(scmi_vendor_protocol_get(h, FAN_PROTOCOL_ID));
		cr_assert(listed_supported(h, FAN_PROTOCOL_ID, &supported), "%s", uris[i]);
		cr_assert_not(supported, "listed, but nothing implements it here");
		cr_assert_eq(scmi_ph_enter(h, FAN_PROTOCOL_ID, &call, &ph), -EOPNOTSUPP);
		scmi_close(h);
	}
	/* A matching identity without the protocol listed. */
	h = test_open("loopback://?vendor=Acme&impl_ver=0x10002", NULL);
	cr_assert_null(scmi_vendor_ops(h, FAN_PROTOCOL_ID));
	cr_assert_not(listed_supported(h, FAN_PROTOCOL_ID, &supported));
	scmi_close(h);
}

Test(vendor, registry)
{
	static const struct scmi_vendor_protocol bad_id = {
		.id = 0x7f, .ops = "", .supported_version = 1};
	static const struct scmi_vendor_protocol no_ops = {.id = 0x90, .supported_version = 1};
	static const struct scmi_vendor_protocol bad_range = {.id = 0x90,
							      .ops = "",
							      .supported_version = 1,
							      .impl_ver_min = 5,
							      .impl_ver_max = 4};
	struct scmi_handle *h;

	cr_assert_eq(scmi_vendor_protocol_register(NULL), -EINVAL);
	cr_assert_eq(scmi_vendor_protocol_register(&bad_id), -EINVAL);
	cr_assert_eq(scmi_vendor_protocol_register(&no_ops), -EINVAL);
	cr_assert_eq(scmi_vendor_protocol_register(&bad_range), -EINVAL);
	cr_assert_eq(fan_unregister(), -ENOENT);
	cr_assert_eq(fan_register(), 0);
	cr_assert_eq(fan_register(), -EEXIST);

	h = test_open(URI_MATCH, NULL);
	cr_assert_not_null(scmi_vendor_ops(h, FAN_PROTOCOL_ID));
	cr_assert_eq(fan_unregister(), -EBUSY, "bound by an open handle");
	scmi_close(h);
	cr_assert_eq(fan_unregister(), 0);
	cr_assert_eq(fan_unregister(), -ENOENT);

	/* Gone for the handles opened afterwards. */
	h = test_open(URI_MATCH, NULL);
	cr_assert_null(scmi_vendor_ops(h, FAN_PROTOCOL_ID));
	scmi_close(h);
	cr_assert_eq(fan_register(), 0);
	h = test_open(URI_MATCH, NULL);
	cr_assert_not_null(scmi_vendor_ops(h, FAN_PROTOCOL_ID));
	scmi_close(h);
	cr_assert_eq(fan_unregister(), 0);
}

/* A second implementation for the same id and another identity: each
 * platform binds its own. */
static int other_count(const struct scmi_handle *h)
{
	(void)h;
	return 42;
}

static const struct fan_ops other_ops = {.count_get = other_count};
static const struct scmi_vendor_protocol other_protocol = {
	.id = FAN_PROTOCOL_ID,
	.name = "other-fan",
	.vendor = "Other",
	.supported_version = SCMI_PROTO_VERSION(1, 0),
	.ops = &other_ops,
};

Test(vendor, first_matching_implementation)
{
	struct scmi_handle *h;

	cr_assert_eq(scmi_vendor_protocol_register(&other_protocol), 0);
	cr_assert_eq(fan_register(), 0);
	h = test_open("loopback://?vendor_example=1&vendor=Other", NULL);
	cr_assert_eq(scmi_vendor_ops(h, FAN_PROTOCOL_ID), &other_ops);
	scmi_close(h);
	h = test_open(URI_MATCH, NULL);
	cr_assert_eq(scmi_vendor_protocol_get(h, FAN_PROTOCOL_ID), &fan_protocol);
	scmi_close(h);
}

/* ---- discovery and blocking ops ------------------------------------------------------ */

Test(vendor, discovery)
{
	static const char *const names[] = {"cpu0", "cpu1", "chassis-front-intake", "psu", "gpu"};
	static const uint32_t max_rpm[] = {4000, 4000, 2000, 3000, 5000};
	const struct fan_ops *fan;
	struct scmi_handle *h = open_fan(URI_MATCH, &fan);
	const struct fan_info *fi;
	uint64_t before = test_requests(h);

	/* Five 28-byte descriptions take two replies at 128 bytes. */
	cr_assert_eq(fan->count_get(h), SCMI_SIM_VENDOR_EXAMPLE_FANS);
	cr_assert_geq(test_requests(h) - before, 2 + 2, "version, attributes, two pages");
	for (uint32_t i = 0; i < SCMI_SIM_VENDOR_EXAMPLE_FANS; i++) {
		cr_assert_eq(fan->info_get(h, i, &fi), 0);
		cr_assert_eq(fi->id, i);
		cr_assert_str_eq(fi->name, names[i], "extended name of fan %u", i);
		cr_assert_eq(fi->max_rpm, max_rpm[i]);
		cr_assert(fi->usable);
	}
	cr_assert_eq(fan->info_get(h, 0, &fi), 0);
	cr_assert(fi->async && fi->notify);
	cr_assert_eq(fan->info_get(h, FAN_PLAIN, &fi), 0);
	cr_assert(!fi->async && !fi->notify && !fi->fastchannel);
	scmi_close(h);
}

struct fc_trace {
	atomic_int calls;
	struct scmi_trace_record last;
};

static void on_trace(void *priv, const struct scmi_trace_record *rec)
{
	struct fc_trace *t = priv;

	if (rec->event != SCMI_TRACE_FC_CALL)
		return;
	t->last = *rec;
	atomic_fetch_add(&t->calls, 1);
}

Test(vendor, fastchannel)
{
	struct fc_trace tr = {0};

	const struct fan_ops *fan;
	struct scmi_handle *h = open_fan(URI_MATCH, &fan);
	const struct fan_info *fi;
	uint32_t rpm = 0;
	uint64_t before;

	cr_assert_eq(fan->info_get(h, 0, &fi), 0);
	cr_assert(fi->fastchannel, "cpu0 reads its speed from a fastchannel");
	cr_assert_eq(fan->info_get(h, 1, &fi), 0);
	cr_assert(fi->fastchannel);
	cr_assert_eq(fan->info_get(h, FAN_PLAIN, &fi), 0);
	cr_assert_not(fi->fastchannel);

	before = test_requests(h);
	cr_assert_eq(fan->speed_get(h, 0, &rpm), 0);
	cr_assert_eq(rpm, 1000);
	cr_assert_eq(test_requests(h) - before, 0, "no message");
	cr_assert_eq(fan->speed_set(h, 0, 3100), 0);
	before = test_requests(h);
	cr_assert_eq(fan->speed_get(h, 0, &rpm), 0);
	cr_assert_eq(rpm, 3100, "the platform keeps the channel up to date");
	/* Traced as the kernel's scmi_fc_call. */
	cr_assert_eq(scmi_trace_set(h, on_trace, &tr), 0);
	cr_assert_eq(fan->speed_get(h, 1, &rpm), 0);
	cr_assert_eq(scmi_trace_set(h, NULL, NULL), 0);
	cr_assert_eq(atomic_load(&tr.calls), 1);
	cr_assert_eq(tr.last.protocol_id, FAN_PROTOCOL_ID);
	cr_assert_eq(tr.last.msg_id, 0x5);
	cr_assert_eq(tr.last.res_id, 1);
	cr_assert_eq(tr.last.val1, 1000);
	cr_assert_eq(fan->speed_get(h, FAN_PLAIN, &rpm), 0);
	cr_assert_eq(rpm, 1500);
	cr_assert_eq(test_requests(h) - before, 1, "a message for the fan without one");
	scmi_close(h);
}

Test(vendor, blocking_ops)
{
	const struct fan_ops *fan;
	struct scmi_handle *h = open_fan(URI_MATCH, &fan);
	uint32_t rpm = 0, actual = 0, levels[64];
	struct scmi_stats st0, st1;
	uint64_t before;
	int n;

	cr_assert_eq(fan->speed_get(h, 0, &rpm), 0);
	cr_assert_eq(rpm, 1000);
	cr_assert_eq(fan->speed_set(h, 1, 1500), 0);
	cr_assert_eq(scmi_sim_vendor_example_rpm_get(test_sim(h), FAN_PROTOCOL_ID, 1, &rpm), 0);
	cr_assert_eq(rpm, 1500);
	cr_assert_eq(fan->speed_get(h, 1, &rpm), 0);
	cr_assert_eq(rpm, 1500);

	/* The async command completes with its delayed response. */
	scmi_stats_get(h, &st0);
	cr_assert_eq(fan->speed_set_wait(h, FAN_ASYNC, 2500, &actual), 0);
	scmi_stats_get(h, &st1);
	cr_assert_eq(actual, 2500);
	cr_assert_eq(st1.delayed_responses - st0.delayed_responses, 1);
	/* A fan without it: the synchronous command. */
	cr_assert_eq(fan->speed_set_wait(h, FAN_PLAIN, 2000, &actual), 0);
	cr_assert_eq(actual, 2000);
	scmi_stats_get(h, &st0);
	cr_assert_eq(st0.delayed_responses, st1.delayed_responses);
	cr_assert_eq(scmi_sim_vendor_example_rpm_get(test_sim(h), FAN_PROTOCOL_ID, FAN_PLAIN, &rpm),
		     0);
	cr_assert_eq(rpm, 2000);

	/* A walk at call time: 40 levels, 30 a page at 128 bytes. */
	before = test_requests(h);
	n = fan->levels_get(h, 0, levels, 64);
	cr_assert_eq(n, 40);
	cr_assert_eq(test_requests(h) - before, 2);
	cr_assert_eq(levels[0], 100);
	cr_assert_eq(levels[39], 4000);
	cr_assert_eq(fan->levels_get(h, 0, levels, 10), -ENOSPC);

	/* Refused locally: nothing sent. */
	before = test_requests(h);
	cr_assert_eq(fan->speed_set(h, 0, 4001), -EINVAL);
	cr_assert(strstr(scmi_last_error_msg(), "above its maximum"), "%s", scmi_last_error_msg());
	cr_assert_eq(fan->speed_set_wait(h, 0, 9000, &actual), -EINVAL);
	cr_assert_eq(fan->speed_get(h, SCMI_SIM_VENDOR_EXAMPLE_FANS, &rpm), -EINVAL);
	cr_assert(strstr(scmi_last_error_msg(), "no fan 5"), "%s", scmi_last_error_msg());
	cr_assert_eq(fan->speed_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(fan->levels_get(h, 0, levels, 0), -EINVAL);
	cr_assert_eq(test_requests(h) - before, 0);
	scmi_close(h);
}

Test(vendor, platform_errors)
{
	const struct fan_ops *fan;
	struct scmi_handle *h = open_fan(URI_MATCH "&status=0x90:0x5:DENIED", &fan);
	uint32_t rpm;

	cr_assert_not_null(fan);
	cr_assert_eq(fan->speed_get(h, FAN_PLAIN, &rpm), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	scmi_close(h);
}

/* A description refused: every fan disabled (-EPROTO, nothing sent), the
 * protocol up all the same (the leniency rules). */
Test(vendor, fans_disabled_by_a_bad_answer)
{
	const struct fan_ops *fan;
	struct scmi_handle *h = open_fan(URI_MATCH "&status=0x90:0x3:GENERIC_ERROR", &fan);
	const struct fan_info *fi;
	uint32_t rpm;
	uint64_t before;

	cr_assert_not_null(fan);
	cr_assert_eq(fan->count_get(h), SCMI_SIM_VENDOR_EXAMPLE_FANS);
	cr_assert_eq(fan->info_get(h, 0, &fi), 0);
	cr_assert_not(fi->usable);
	before = test_requests(h);
	cr_assert_eq(fan->speed_get(h, 0, &rpm), -EPROTO);
	cr_assert_eq(fan->speed_set(h, 4, 100), -EPROTO);
	cr_assert(strstr(scmi_last_error_msg(), "fan 4 was disabled"), "%s", scmi_last_error_msg());
	cr_assert_eq(test_requests(h) - before, 0);
	scmi_close(h);
}

/* ---- non-blocking ops ---------------------------------------------------------------- */

/* A request and the outputs of the fan's ops. */
struct call {
	struct test_req r;
	uint32_t rpm, actual;
	uint32_t levels[64];
	const struct fan_info *info;
};

static struct call *call_new(void)
{
	struct call *c = calloc(1, sizeof(*c));

	cr_assert_not_null(c);
	return c;
}

Test(vendor, non_blocking_ops)
{
	const struct fan_ops *fan;
	struct scmi_handle *h = open_fan(URI_MATCH, &fan);
	struct call *c;
	uint32_t rpm;

	/* Answered without a message: completes through the callback. */
	c = call_new();
	cr_assert_eq(TEST_ASYNC(h, &c->r, fan->count_get(h)), SCMI_SIM_VENDOR_EXAMPLE_FANS);
	free(c);

	c = call_new();
	cr_assert_eq(TEST_ASYNC(h, &c->r, fan->info_get(h, FAN_EXT, &c->info)), 0);
	cr_assert_str_eq(c->info->name, "chassis-front-intake");
	free(c);

	c = call_new();
	cr_assert_eq(TEST_ASYNC(h, &c->r, fan->speed_set(h, 4, 4200)), 0);
	cr_assert_eq(scmi_sim_vendor_example_rpm_get(test_sim(h), FAN_PROTOCOL_ID, 4, &rpm), 0);
	cr_assert_eq(rpm, 4200);
	free(c);

	c = call_new();
	cr_assert_eq(TEST_ASYNC(h, &c->r, fan->speed_get(h, 4, &c->rpm)), 0);
	cr_assert_eq(c->rpm, 4200);
	free(c);

	/* From the fastchannel: no message, the callback all the same. */
	c = call_new();
	cr_assert_eq(TEST_ASYNC(h, &c->r, fan->speed_get(h, 0, &c->rpm)), 0);
	cr_assert_eq(c->rpm, 1000);
	free(c);

	/* The delayed response completes the request. */
	c = call_new();
	cr_assert_eq(TEST_ASYNC(h, &c->r, fan->speed_set_wait(h, FAN_ASYNC, 3300, &c->actual)), 0);
	cr_assert_eq(c->actual, 3300);
	free(c);

	/* A walk re-submitting itself page by page. */
	c = call_new();
	cr_assert_eq(TEST_ASYNC(h, &c->r, fan->levels_get(h, 2, c->levels, 64)), 40);
	cr_assert_eq(c->levels[0], 50);
	cr_assert_eq(c->levels[39], 2000);
	free(c);

	/* The platform's error, and a local refusal (no callback). */
	c = call_new();
	cr_assert_eq(TEST_ASYNC(h, &c->r, fan->levels_get(h, 2, c->levels, 5)), -ENOSPC);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &c->r, fan->speed_set(h, 0, 99999)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &c->r, fan->speed_get(h, 77, &c->rpm)), -EINVAL);
	cr_assert_eq(atomic_load(&c->r.calls), 0, "no callback for refusals");
	free(c);
	scmi_close(h);
}

Test(vendor, close_completes_outstanding)
{
	const struct fan_ops *fan;
	struct scmi_handle *h = open_fan(URI_MATCH "&late_dresp_us=500000", &fan);
	struct call *c = call_new();

	cr_assert_eq(fan->count_get(h), SCMI_SIM_VENDOR_EXAMPLE_FANS); /* up */
	cr_assert_eq(TEST_SUBMIT(&c->r, fan->speed_set_wait(h, FAN_ASYNC, 1234, &c->actual)), 0);
	scmi_close(h);
	cr_assert_eq(atomic_load(&c->r.calls), 1, "completed once before scmi_close() returned");
	cr_assert_eq(c->r.status, -ECANCELED);
	free(c);
}

/* ---- the event -------------------------------------------------------------------------- */

struct listener {
	struct scmi_notifier_block nb;
	atomic_int count;
	struct fan_speed_report last;
};

static int on_speed(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct listener *l = scmi_container_of(nb, struct listener, nb);

	cr_assert_eq(evt, FAN_EVENT_SPEED_CHANGED);
	l->last = *(const struct fan_speed_report *)report;
	atomic_fetch_add(&l->count, 1);
	return SCMI_NOTIFY_OK;
}

static bool heard(void *arg)
{
	return atomic_load(&((struct listener *)arg)->count) > 0;
}

Test(vendor, event_delivered)
{
	const struct fan_ops *fan;
	struct scmi_handle *h;
	struct listener l = {.nb.notifier_call = on_speed};
	uint32_t src = FAN_EXT, plain = FAN_PLAIN;
	struct scmi_event_stats es;

	cr_assert_eq(fan_register(), 0);
	h = test_open(URI_MATCH, NULL);
	fan = scmi_vendor_ops(h, FAN_PROTOCOL_ID);
	cr_assert_not_null(fan);
	/* The first use of the protocol: registering brings it up. */
	cr_assert_eq(h->notify_ops->event_notifier_register(h, FAN_PROTOCOL_ID,
							    FAN_EVENT_SPEED_CHANGED, &src, &l.nb),
		     0);
	cr_assert_eq(test_notify_enabled(h, FAN_PROTOCOL_ID, FAN_EVENT_SPEED_CHANGED, FAN_EXT), 1);
	cr_assert_eq(fan->speed_set(h, FAN_EXT, 1750), 0);
	cr_assert(test_wait_until(heard, &l, 5000), "event delivered");
	cr_assert_eq(l.last.hdr.proto_id, FAN_PROTOCOL_ID);
	cr_assert_eq(l.last.hdr.evt_id, FAN_EVENT_SPEED_CHANGED);
	cr_assert_eq(l.last.hdr.src_id, FAN_EXT);
	cr_assert_eq(l.last.hdr.handle, h);
	cr_assert_eq(l.last.fan_id, FAN_EXT);
	cr_assert_eq(l.last.rpm, 1750);
	cr_assert_eq(scmi_event_stats_get(h, FAN_PROTOCOL_ID, &es), 0);
	cr_assert_eq(es.delivered, 1);

	/* A fan without events; an event id the protocol lacks. */
	cr_assert_eq(h->notify_ops->event_notifier_register(h, FAN_PROTOCOL_ID,
							    FAN_EVENT_SPEED_CHANGED, &plain, &l.nb),
		     -EOPNOTSUPP);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, FAN_PROTOCOL_ID, 1, &src, &l.nb),
		     -EINVAL);

	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, FAN_PROTOCOL_ID,
							      FAN_EVENT_SPEED_CHANGED, &src, &l.nb),
		     0);
	cr_assert_eq(test_notify_enabled(h, FAN_PROTOCOL_ID, FAN_EVENT_SPEED_CHANGED, FAN_EXT), 0);
	scmi_close(h);
}

Test(vendor, event_registered_before_bring_up_is_bound)
{
	const struct fan_ops *fan;
	struct scmi_handle *h;
	struct listener l = {.nb.notifier_call = on_speed};
	uint32_t src = FAN_ASYNC;

	/* Registered while the platform lists the protocol but nothing
	 * implements it on this handle yet... */
	h = test_open(URI_MATCH, NULL);
	cr_assert_null(scmi_vendor_ops(h, FAN_PROTOCOL_ID));
	cr_assert_eq(h->notify_ops->event_notifier_register(h, FAN_PROTOCOL_ID,
							    FAN_EVENT_SPEED_CHANGED, &src, &l.nb),
		     0, "kept pending");
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, FAN_PROTOCOL_ID,
							      FAN_EVENT_SPEED_CHANGED, &src, &l.nb),
		     0);
	scmi_close(h);
	/* ...and on a handle that binds it: all sources, then a change. */
	h = open_fan(URI_MATCH, &fan);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, FAN_PROTOCOL_ID,
							    FAN_EVENT_SPEED_CHANGED, NULL, &l.nb),
		     0);
	cr_assert_eq(fan->speed_set_wait(h, FAN_ASYNC, 900, NULL), 0);
	cr_assert(test_wait_until(heard, &l, 5000), "event delivered");
	cr_assert_eq(l.last.fan_id, FAN_ASYNC);
	cr_assert_eq(l.last.rpm, 900);
	scmi_close(h);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * The common header of notification reports (struct scmi_event_hdr) and
 * scmi_container_of(): every protocol's events carry the handle, protocol,
 * event, source and arrival time a callback needs, one callback serves
 * several protocols, and the header is as read-only as the rest.
 */
#include <errno.h>
#include <stdatomic.h>

#include "agent_testproto.h"
#include "common.h"
#include "helpers.h"

#define TPA 0xF0

/*
 * A listener with its notifier block NOT first: the callback must get the
 * listener back with scmi_container_of(), not with a cast.
 */
struct listener {
	char name[24];
	struct listener *self; /* what scmi_container_of() must give back */
	pthread_mutex_t lock;
	atomic_int calls;
	struct scmi_notifier_block nb;
	/* Last event, under @lock. */
	struct scmi_event_hdr hdr;
	unsigned int evt_arg; /* notifier_call's evt_id */
	uint32_t body_src;    /* the protocol's own source field */
	uint32_t agent_id;
	uint64_t value; /* a protocol-specific field (rate, level...) */
	bool self_ok;
	/* Every (proto, evt) seen, in order. */
	uint16_t seen[32];
	unsigned int num_seen;
};

/* One callback for every protocol: tells events apart by hdr->proto_id. */
static int listener_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct listener *l = scmi_container_of(nb, struct listener, nb);
	const struct scmi_event_hdr *hdr = report;
	uint32_t src = UINT32_MAX, agent = UINT32_MAX;
	uint64_t value = 0;

	switch (hdr->proto_id) {
	case SCMI_PROTOCOL_BASE: {
		const struct scmi_base_error_report *r = report;

		src = 0;
		agent = r->agent_id;
		value = r->cmd_count;
		break;
	}
	case SCMI_PROTOCOL_POWER:
		if (evt == SCMI_EVENT_POWER_STATE_CHANGED) {
			const struct scmi_power_state_changed_report *r = report;

			src = r->domain_id, agent = r->agent_id, value = r->power_state;
		} else {
			const struct scmi_power_state_change_requested_report *r = report;

			src = r->domain_id, agent = r->agent_id, value = r->power_state;
		}
		break;
	case SCMI_PROTOCOL_SYSTEM: {
		const struct scmi_system_power_state_notifier_report *r = report;

		src = 0, agent = r->agent_id, value = r->system_state;
		break;
	}
	case SCMI_PROTOCOL_PERF:
		if (evt == SCMI_EVENT_PERF_LIMITS_CHANGED) {
			const struct scmi_perf_limits_report *r = report;

			src = r->domain_id, agent = r->agent_id, value = r->range_max;
		} else {
			const struct scmi_perf_level_report *r = report;

			src = r->domain_id, agent = r->agent_id, value = r->performance_level;
		}
		break;
	case SCMI_PROTOCOL_CLOCK: {
		const struct scmi_clock_rate_notif_report *r = report;

		src = r->clock_id, agent = r->agent_id, value = r->rate;
		break;
	}
	case SCMI_PROTOCOL_SENSOR:
		if (evt == SCMI_EVENT_SENSOR_TRIP_POINT_EVENT) {
			const struct scmi_sensor_trip_point_report *r = report;

			src = r->sensor_id, agent = r->agent_id, value = r->trip_point_id;
		} else {
			const struct scmi_sensor_update_report *r = report;

			src = r->sensor_id, agent = r->agent_id;
			value = r->readings_count ? (uint64_t)r->readings[0].value : 0;
		}
		break;
	case SCMI_PROTOCOL_RESET: {
		const struct scmi_reset_issued_report *r = report;

		src = r->domain_id, agent = r->agent_id, value = r->reset_state;
		break;
	}
	case SCMI_PROTOCOL_POWERCAP:
		if (evt == SCMI_EVENT_POWERCAP_CAP_CHANGED) {
			const struct scmi_powercap_cap_changed_report *r = report;

			src = r->domain_id, agent = r->agent_id, value = r->power_cap;
		} else {
			const struct scmi_powercap_meas_changed_report *r = report;

			src = r->domain_id, agent = r->agent_id, value = r->power;
		}
		break;
	case TPA: {
		const struct tp_report *r = report;

		src = r->hdr.src_id, agent = 0, value = r->seq;
		break;
	}
	default:
		break;
	}
	pthread_mutex_lock(&l->lock);
	l->self_ok = l->self == l;
	l->hdr = *hdr;
	l->evt_arg = evt;
	l->body_src = src;
	l->agent_id = agent;
	l->value = value;
	if (l->num_seen < 32)
		l->seen[l->num_seen++] = (uint16_t)(hdr->proto_id << 8 | hdr->evt_id);
	pthread_mutex_unlock(&l->lock);
	atomic_fetch_add(&l->calls, 1);
	return SCMI_NOTIFY_OK;
}

static void listener_init(struct listener *l, const char *name, int prio)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->self = l;
	pthread_mutex_init(&l->lock, NULL);
	atomic_init(&l->calls, 0);
	l->nb.notifier_call = listener_cb;
	l->nb.priority = prio;
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

static void wait_calls(struct listener *l, int n)
{
	struct calls_wait w = {&l->calls, n};

	cr_assert(test_wait_until(calls_reached, &w, 10000), "%s: %d calls, wanted %d", l->name,
		  atomic_load(&l->calls), n);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * One event of each kind.  Every standard payload starts with {agent_id,
 * source}; the words after it are @a, @b, @c; @len says how many bytes the
 * event carries.  @uri picks the platform: power's CHANGE_REQUESTED is
 * used on 2.x platforms only.
 */
struct evt_case {
	const char *what;
	uint8_t proto, evt;
	uint32_t src;
	uint32_t a, b, c;
	size_t len;
	int uri;
	uint64_t value; /* what the report's protocol field must say */
};

#define URI_NEWEST 0
#define URI_SCMI2  1

static const char *const uris[] = {"loopback://", "loopback://?profile=scmi-2.0"};

static const struct evt_case cases[] = {
	/* Base: {agent, error_status (count 0)}: the "source" word is the status. */
	{"base error", SCMI_PROTOCOL_BASE, SCMI_EVENT_BASE_ERROR_EVENT, 0, 0, 0, 0, 8, URI_NEWEST,
	 0},
	{"power changed", SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, 1, 0x40000000u, 0,
	 0, 12, URI_NEWEST, 0x40000000u},
	{"power requested", SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED, 2,
	 0x40000000u, 0, 0, 12, URI_SCMI2, 0x40000000u},
	/* System: {agent, flags, state, timeout}; no source word. */
	{"system notifier", SCMI_PROTOCOL_SYSTEM, SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, 0, 0, 0, 0,
	 16, URI_NEWEST, 0},
	/* Perf domains 0 and 1 have both events (not level-indexed). */
	{"perf limits", SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, 1, 900, 100, 0, 16,
	 URI_NEWEST, 900},
	{"perf level", SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, 0, 500, 0, 0, 12,
	 URI_NEWEST, 500},
	{"clock rate changed", SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGED, 1, 123456789, 0,
	 0, 16, URI_NEWEST, 123456789},
	/* Clock 6 (audio) has both events. */
	{"clock rate requested", SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, 6,
	 98765, 0, 0, 16, URI_NEWEST, 98765},
	/* Trip point 1 of sensor 1 (two trip points). */
	{"sensor trip", SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 1, 1, 0, 0, 12,
	 URI_NEWEST, 1},
	/* One reading {value, timestamp} of sensor 4 (scalar, updates). */
	{"sensor update", SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 4, 4242, 0, 7, 24,
	 URI_NEWEST, 4242},
	{"reset issued", SCMI_PROTOCOL_RESET, SCMI_EVENT_RESET_ISSUED, 1, 0, 0, 0, 12, URI_NEWEST,
	 0},
	/* Powercap domain 0 has both events. */
	{"powercap cap", SCMI_PROTOCOL_POWERCAP, SCMI_EVENT_POWERCAP_CAP_CHANGED, 1, 5000, 1000, 0,
	 16, URI_NEWEST, 5000},
	{"powercap measurement", SCMI_PROTOCOL_POWERCAP, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, 0,
	 4321, 0, 0, 12, URI_NEWEST, 4321},
};

static int emit_case(struct scmi_handle *h, const struct evt_case *c)
{
	uint8_t p[32] = {0};
	const uint32_t words[] = {2 /* agent */, c->src, c->a, c->b, c->c};

	if (c->proto == SCMI_PROTOCOL_SYSTEM) {
		/* {agent, flags: graceful, state: shutdown, timeout} */
		put32(p, 2);
		put32(p + 4, 1);
		put32(p + 8, SCMI_SYSTEM_SHUTDOWN);
		put32(p + 12, 100);
	} else {
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			put32(p + 4 * i, words[i]);
		if (c->proto == SCMI_PROTOCOL_BASE)
			put32(p + 4, 0); /* error_status: no reports */
	}
	return scmi_sim_test_emit_raw(test_sim(h), c->proto, c->evt, p, c->len);
}

/* Base and System events have one source, 0: register for "every source". */
static bool single_source(uint8_t proto)
{
	return proto == SCMI_PROTOCOL_BASE || proto == SCMI_PROTOCOL_SYSTEM;
}

TestSuite(event_hdr, .timeout = 60);

Test(event_hdr, every_protocol_fills_the_header)
{
	struct scmi_handle *hs[2];
	struct listener l;
	int n = 0;

	for (size_t i = 0; i < 2; i++)
		hs[i] = test_open(uris[i], NULL);
	listener_init(&l, "all", 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct evt_case *c = &cases[i];
		struct scmi_handle *h = hs[c->uri];
		const uint32_t *src = single_source(c->proto) ? NULL : &c->src;
		uint64_t before, after;

		/* Powercap measurements: thresholds first, or the enable is refused. */
		if (c->evt == SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED &&
		    c->proto == SCMI_PROTOCOL_POWERCAP)
			cr_assert_eq(h->powercap_ops->measurements_threshold_set(h, c->src, 1000, 2000),
				     0);
		cr_assert_eq(h->notify_ops->event_notifier_register(h, c->proto, c->evt, src, &l.nb),
			     0, "%s: register", c->what);
		before = scmi_now_ns();
		cr_assert_eq(emit_case(h, c), 1, "%s: emitted", c->what);
		wait_calls(&l, ++n);
		after = scmi_now_ns();

		pthread_mutex_lock(&l.lock);
		cr_assert(l.self_ok, "%s: scmi_container_of() gave the listener back", c->what);
		cr_assert_eq(l.hdr.handle, h, "%s: the handle it arrived on", c->what);
		cr_assert_eq(l.hdr.proto_id, c->proto, "%s: protocol", c->what);
		cr_assert_eq(l.hdr.evt_id, c->evt, "%s: event", c->what);
		cr_assert_eq(l.evt_arg, c->evt, "%s: evt_id argument = header's", c->what);
		cr_assert_eq(l.hdr.src_id, c->src, "%s: source", c->what);
		cr_assert_eq(l.body_src, c->src, "%s: header and report agree", c->what);
		cr_assert_geq(l.hdr.timestamp, before, "%s: arrival after the emit", c->what);
		cr_assert_leq(l.hdr.timestamp, after, "%s: arrival before the callback", c->what);
		cr_assert_eq(l.agent_id, 2, "%s: the body follows the header", c->what);
		cr_assert_eq(l.value, c->value, "%s: the protocol's field", c->what);
		pthread_mutex_unlock(&l.lock);
		cr_assert_eq(
			h->notify_ops->event_notifier_unregister(h, c->proto, c->evt, src, &l.nb), 0,
			"%s: unregister", c->what);
	}
	for (size_t i = 0; i < 2; i++)
		scmi_close(hs[i]);
}

/* Arrival times are taken on receipt, in arrival order, CLOCK_MONOTONIC. */
Test(event_hdr, timestamps_are_monotonic_arrival_times)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	const struct evt_case *c = &cases[6]; /* clock rate changed */
	uint64_t prev = 0, before = scmi_now_ns();
	struct listener l;

	listener_init(&l, "clock", 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, c->proto, c->evt, &c->src, &l.nb),
		     0);
	for (int i = 1; i <= 5; i++) {
		cr_assert_eq(emit_case(h, c), 1);
		wait_calls(&l, i);
		pthread_mutex_lock(&l.lock);
		cr_assert_gt(l.hdr.timestamp, prev, "event %d after event %d", i, i - 1);
		cr_assert_geq(l.hdr.timestamp, before);
		cr_assert_leq(l.hdr.timestamp, scmi_now_ns(), "not in the future");
		prev = l.hdr.timestamp;
		pthread_mutex_unlock(&l.lock);
	}
	scmi_close(h);
}

/*
 * Perf, Clock and the test protocol all have an event 0: one block
 * registered for the three tells them apart by hdr->proto_id.
 */
Test(event_hdr, same_event_id_of_two_protocols_in_one_callback)
{
	struct scmi_handle *h = test_open("loopback://?test_protocols=0xF0:4", NULL);
	const struct evt_case *perf = &cases[4], *clock = &cases[6];
	uint32_t tp_src = 3;
	struct listener l;

	cr_assert_eq(perf->evt, 0);
	cr_assert_eq(clock->evt, 0);
	cr_assert_eq(tp_register_events(h, TPA), 0);
	listener_init(&l, "shared", 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, perf->proto, 0, &perf->src, &l.nb),
		     0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, clock->proto, 0, &clock->src, &l.nb),
		     0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, TPA, 0, &tp_src, &l.nb), 0);

	cr_assert_eq(emit_case(h, perf), 1);
	wait_calls(&l, 1);
	pthread_mutex_lock(&l.lock);
	cr_assert_eq(l.evt_arg, 0);
	cr_assert_eq(l.hdr.proto_id, SCMI_PROTOCOL_PERF);
	cr_assert_eq(l.value, perf->value, "read as a perf limits report");
	pthread_mutex_unlock(&l.lock);

	cr_assert_eq(emit_case(h, clock), 1);
	wait_calls(&l, 2);
	pthread_mutex_lock(&l.lock);
	cr_assert_eq(l.evt_arg, 0);
	cr_assert_eq(l.hdr.proto_id, SCMI_PROTOCOL_CLOCK);
	cr_assert_eq(l.value, clock->value, "read as a clock report");
	cr_assert_eq(l.body_src, clock->src);
	pthread_mutex_unlock(&l.lock);

	cr_assert_eq(tp_emit(h, TPA, 0, tp_src, 1, 0), 1);
	wait_calls(&l, 3);
	pthread_mutex_lock(&l.lock);
	cr_assert_eq(l.hdr.proto_id, TPA);
	cr_assert_eq(l.hdr.evt_id, 0);
	cr_assert_eq(l.hdr.src_id, tp_src);
	cr_assert_eq(l.hdr.handle, h);
	cr_assert_eq(l.num_seen, 3);
	cr_assert_eq(l.seen[0], SCMI_PROTOCOL_PERF << 8);
	cr_assert_eq(l.seen[1], SCMI_PROTOCOL_CLOCK << 8);
	cr_assert_eq(l.seen[2], TPA << 8);
	pthread_mutex_unlock(&l.lock);
	scmi_close(h);
	tp_cleanup();
}

/* Two handles, one block: the header says which handle an event came on. */
Test(event_hdr, one_block_on_two_handles)
{
	struct scmi_handle *h1 = test_open("loopback://", NULL);
	struct scmi_handle *h2 = test_open("loopback://", NULL);
	const struct evt_case *c = &cases[10]; /* reset issued */
	struct listener l;

	listener_init(&l, "two", 0);
	cr_assert_eq(h1->notify_ops->event_notifier_register(h1, c->proto, c->evt, NULL, &l.nb), 0);
	cr_assert_eq(h2->notify_ops->event_notifier_register(h2, c->proto, c->evt, NULL, &l.nb), 0);
	cr_assert_eq(emit_case(h2, c), 1);
	wait_calls(&l, 1);
	pthread_mutex_lock(&l.lock);
	cr_assert_eq(l.hdr.handle, h2);
	pthread_mutex_unlock(&l.lock);
	cr_assert_eq(emit_case(h1, c), 1);
	wait_calls(&l, 2);
	pthread_mutex_lock(&l.lock);
	cr_assert_eq(l.hdr.handle, h1);
	pthread_mutex_unlock(&l.lock);
	scmi_close(h1);
	scmi_close(h2);
}

/* A callback that writes to the header: undone before the next listener
 * runs, and counted. */
static int hdr_vandal(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct scmi_event_hdr *hdr = (struct scmi_event_hdr *)report;

	hdr->handle = NULL;
	hdr->proto_id ^= 0xff;
	hdr->evt_id ^= 0xff;
	hdr->src_id = 12345;
	hdr->timestamp = 1;
	return SCMI_NOTIFY_OK;
}

Test(event_hdr, the_header_is_read_only)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	const struct evt_case *c = &cases[1]; /* power changed */
	struct scmi_notifier_block vandal = {.notifier_call = hdr_vandal, .priority = 10};
	struct scmi_event_stats st;
	struct listener l;

	listener_init(&l, "after", 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, c->proto, c->evt, &c->src, &vandal),
		     0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, c->proto, c->evt, &c->src, &l.nb),
		     0);
	cr_assert_eq(emit_case(h, c), 1);
	wait_calls(&l, 1);
	pthread_mutex_lock(&l.lock);
	cr_assert_eq(l.hdr.handle, h);
	cr_assert_eq(l.hdr.proto_id, c->proto);
	cr_assert_eq(l.hdr.evt_id, c->evt);
	cr_assert_eq(l.hdr.src_id, c->src);
	cr_assert_gt(l.hdr.timestamp, 1);
	pthread_mutex_unlock(&l.lock);
	cr_assert_eq(scmi_event_stats_get(h, c->proto, &st), 0);
	cr_assert_eq(st.tampered, 1);
	scmi_close(h);
}

/* scmi_container_of() on its own: any member, const or not. */
Test(event_hdr, container_of_any_member)
{
	struct outer {
		uint8_t a;
		uint64_t b;
		struct scmi_notifier_block nb;
		int c[3];
	} o;
	const struct scmi_notifier_block *cnb = &o.nb;

	cr_assert_eq(scmi_container_of(&o.nb, struct outer, nb), &o);
	cr_assert_eq(scmi_container_of(cnb, struct outer, nb), &o);
	cr_assert_eq(scmi_container_of(&o.b, struct outer, b), &o);
	cr_assert_eq(scmi_container_of(&o.a, struct outer, a), &o);
	cr_assert_eq(scmi_container_of(&o.c, struct outer, c), &o);
	/* The header is the first member of every report. */
	cr_assert_eq(offsetof(struct scmi_perf_limits_report, hdr), 0);
	cr_assert_eq(offsetof(struct scmi_base_error_report, hdr), 0);
	cr_assert_eq(offsetof(struct scmi_sensor_update_report, hdr), 0);
	cr_assert_eq(offsetof(struct scmi_system_power_state_notifier_report, hdr), 0);
	cr_assert_eq(offsetof(struct tp_report, hdr), 0);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * Performance domain management: discovery equals the simulator's model in
 * every version's layout, each command's happy and error paths, multi-part
 * level tables, fastchannels (used when mapped, messages otherwise),
 * notifications, and malformed platform data.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>

#include "common.h"
#include "helpers.h"

#include "../sim/sim-internal.h"

#define PERF 0x13

/* Message ids, from the spec digest (§6.4), for raw commands and faults. */
#define MSG_DOMAIN_ATTRIBUTES	 0x3
#define MSG_DESCRIBE_LEVELS	 0x4
#define MSG_LIMITS_SET		 0x5
#define MSG_LIMITS_GET		 0x6
#define MSG_LEVEL_SET		 0x7
#define MSG_LEVEL_GET		 0x8
#define MSG_NOTIFY_LIMITS	 0x9
#define MSG_NOTIFY_LEVEL	 0xa
#define MSG_DESCRIBE_FASTCHANNEL 0xb
#define MSG_DOMAIN_NAME_GET	 0xc

/* The model's default domains (include/scmi-sim/perf.h). */
#define DOM_LITTLE 0 /* 8-bit doorbell shared by both set channels */
#define DOM_BIG	   1 /* 20 levels, extended name, 32/64-bit doorbells */
#define DOM_GPU	   2 /* fastchannels without doorbell, limits events only */
#define DOM_DSP	   3 /* no fastchannels, no notifications, level only */
#define DOM_MIB	   4 /* level indexing (v4), 16-bit doorbells */
#define DOM_NPU	   5 /* read-only */

static const uint8_t fc_msgs[4] = {MSG_LEVEL_SET, MSG_LEVEL_GET, MSG_LIMITS_SET, MSG_LIMITS_GET};

static struct scmi_sim *simof(struct scmi_handle *h)
{
	return test_sim(h);
}

static uint64_t requests(struct scmi_handle *h)
{
	return test_requests(h);
}

static struct scmi_sim_perf_stats perf_stats(struct scmi_handle *h)
{
	struct scmi_sim_perf_stats st;

	cr_assert_eq(test_perf_stats(h, &st), 0);
	return st;
}

static struct scmi_sim_perf_domain model_dom(struct scmi_handle *h, uint32_t dom)
{
	struct scmi_sim_perf_domain d;

	cr_assert_eq(test_perf_domain(h, dom, &d), 0, "model domain %u", dom);
	return d;
}

/* Domain @dom as the platform describes it (test_model(): on any transport;
 * its level and limits are not the platform's). */
static struct scmi_sim_perf_domain model_desc(struct scmi_handle *h, uint32_t dom)
{
	struct scmi_sim_perf_domain d;

	cr_assert_eq(scmi_sim_perf_domain_get(test_model(h), dom, &d), 0, "model domain %u", dom);
	return d;
}

static const struct scmi_perf_domain_info *dom_info(struct scmi_handle *h, uint32_t dom)
{
	const struct scmi_perf_domain_info *d = NULL;

	cr_assert_eq(h->perf_ops->info_get(h, dom, &d), 0, "domain %u", dom);
	return d;
}

/* Open and bring perf up (its discovery runs on first use). */
static struct scmi_handle *open_perf(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);

	cr_assert_not_null(h->perf_ops, "perf listed by %s", uri ? uri : "default");
	cr_assert_gt(h->perf_ops->count_get(h), 0);
	return h;
}

/* The frequency the digest's mapping gives, computed independently. */
static uint64_t expected_freq(const struct scmi_sim_perf_domain *m,
			      const struct scmi_sim_perf_level *l)
{
	uint64_t factor = 1000;

	if (m->level_indexing)
		return (uint64_t)l->indicative_khz * 1000;
	if (m->sustained_freq_khz && m->sustained_perf_level)
		factor = (uint64_t)m->sustained_freq_khz * 1000 / m->sustained_perf_level;
	return (uint64_t)l->perf * factor;
}

static void check_fastchannels(struct scmi_handle *h, uint32_t dom,
			       const struct scmi_perf_domain_info *d,
			       const struct scmi_sim_perf_domain *m)
{
	for (unsigned int k = 0; k < 4; k++) {
		struct scmi_sim_perf_fc_info fc;
		bool offered = m->fastchannels &&
			       !scmi_sim_perf_fc_info_get(test_model(h), dom, fc_msgs[k], &fc);

		cr_assert_eq(d->fc[k].mapped, offered, "domain %u fc %u mapped", dom, k);
		if (!offered)
			continue;
		cr_assert_eq(d->fc[k].db_width, fc.db_width, "domain %u fc %u doorbell", dom, k);
		cr_assert_eq(d->fc[k].rate_limit_us, fc.rate_limit_us);
	}
}

/* Everything discovery found equals what the simulator models. */
static void check_discovery(struct scmi_handle *h)
{
	struct scmi_sim *sim = test_model(h);
	const struct scmi_perf_info *pi;
	enum scmi_sim_perf_power_unit unit;
	uint32_t ver;
	int n = scmi_sim_perf_num_domains(sim);

	cr_assert_eq(h->perf_ops->protocol_info_get(h, &pi), 0);
	cr_assert_eq(h->perf_ops->count_get(h), n);
	cr_assert_eq(pi->num_domains, (unsigned int)n);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, PERF, &ver), 0);
	cr_assert_eq(pi->platform_version, ver);
	cr_assert_eq(scmi_sim_perf_power_unit_get(sim, &unit), 0);
	cr_assert_eq((int)pi->power_unit, (int)unit);
	cr_assert_eq(pi->stats_addr, 0);
	cr_assert_eq(pi->stats_len, 0);

	for (uint32_t dom = 0; dom < (uint32_t)n; dom++) {
		const struct scmi_perf_domain_info *d = dom_info(h, dom);
		struct scmi_sim_perf_domain m = model_desc(h, dom);
		uint32_t max_lat = 0;

		cr_assert_eq(d->id, dom);
		cr_assert(d->usable, "domain %u", dom);
		cr_assert_str_eq(d->name, m.name, "domain %u name", dom);
		cr_assert_eq(d->can_set_limits, m.can_set_limits, "domain %u", dom);
		cr_assert_eq(d->can_set_level, m.can_set_level, "domain %u", dom);
		cr_assert_eq(d->limits_notify, m.limits_notify, "domain %u", dom);
		cr_assert_eq(d->level_notify, m.level_notify, "domain %u", dom);
		cr_assert_eq(d->fastchannels, m.fastchannels, "domain %u", dom);
		cr_assert_eq(d->level_indexing, m.level_indexing, "domain %u", dom);
		cr_assert_eq(d->rate_limit_us, m.rate_limit_us);
		cr_assert_eq(d->sustained_freq_khz, m.sustained_freq_khz);
		cr_assert_eq(d->sustained_perf_level, m.sustained_perf_level);
		cr_assert_eq(d->num_levels, m.num_levels, "domain %u levels", dom);
		for (unsigned int i = 0; i < m.num_levels; i++) {
			const struct scmi_perf_level *l = &d->levels[i];
			struct scmi_sim_perf_level ml;

			cr_assert_eq(scmi_sim_perf_level_entry(sim, dom, i, &ml), 0);
			cr_assert_eq(l->perf, ml.perf, "domain %u level %u", dom, i);
			cr_assert_eq(l->power_cost, ml.power_cost, "domain %u level %u", dom, i);
			cr_assert_eq(l->latency_us, ml.latency_us);
			cr_assert_eq(l->level_index, ml.level_index);
			cr_assert_eq(l->indicative_khz,
				     pi->version >= 0x40000 ? ml.indicative_khz : 0);
			cr_assert_eq(l->freq_hz, expected_freq(&m, &ml), "domain %u level %u freq",
				     dom, i);
			if (ml.latency_us > max_lat)
				max_lat = ml.latency_us;
		}
		cr_assert_eq(d->max_latency_us, max_lat);
		check_fastchannels(h, dom, d, &m);
	}
}

Test(perf, discovery_newest)
{
	struct scmi_handle *h = open_perf(NULL);
	const struct scmi_perf_info *pi;
	uint64_t r = requests(h), f;
	uint32_t power;

	/* Discovery is cached: asking again enumerates nothing. */
	check_discovery(h);
	for (uint32_t d = 0; d < 6; d++) {
		f = 1;
		cr_assert_eq(h->perf_ops->est_power_get(h, d, &f, &power), 0);
		cr_assert_eq(h->perf_ops->level_to_freq(h, d, dom_info(h, d)->levels[0].perf, &f),
			     0);
	}
	cr_assert_eq(requests(h), r, "no request after the bring-up");
	h->perf_ops->protocol_info_get(h, &pi);
	cr_assert_eq(pi->version, 0x40000);
	cr_assert_eq(pi->power_unit, SCMI_PERF_POWER_UW);
	cr_assert_str_eq(dom_info(h, DOM_BIG)->name, "cpu-big-cluster-performance",
			 "extended name through PERFORMANCE_DOMAIN_NAME_GET");
	cr_assert(dom_info(h, DOM_MIB)->level_indexing);
	cr_assert_geq(dom_info(h, DOM_BIG)->num_levels, 16);
	cr_assert_not(dom_info(h, DOM_DSP)->fastchannels);
	cr_assert_not(dom_info(h, DOM_DSP)->level_notify || dom_info(h, DOM_DSP)->limits_notify);
	scmi_close(h);
}

Test(perf, discovery_scmi20)
{
	struct scmi_handle *h = open_perf("loopback://?profile=scmi-2.0");
	const struct scmi_perf_info *pi;

	check_discovery(h);
	h->perf_ops->protocol_info_get(h, &pi);
	cr_assert_eq(pi->version, 0x20000);
	cr_assert_eq(pi->power_unit, SCMI_PERF_POWER_MW, "2.0 has no µW flag");
	cr_assert_str_eq(dom_info(h, DOM_BIG)->name, "cpu-big-cluster", "short name only");
	cr_assert_not(dom_info(h, DOM_MIB)->level_indexing);
	if (test_has_window())
		cr_assert(dom_info(h, DOM_LITTLE)->fc[SCMI_PERF_FC_LEVEL_SET].mapped);
	scmi_close(h);
}

Test(perf, discovery_v1_and_v3_layouts)
{
	struct scmi_handle *h = open_perf("loopback://?versions=perf:1.0");

	check_discovery(h);
	for (uint32_t i = 0; i < 6; i++)
		cr_assert_not(dom_info(h, i)->fastchannels, "no fastchannels before 2.0");
	scmi_close(h);

	h = open_perf("loopback://?versions=perf:3.0");
	check_discovery(h);
	cr_assert_str_eq(dom_info(h, DOM_BIG)->name, "cpu-big-cluster-performance");
	cr_assert_not(dom_info(h, DOM_MIB)->level_indexing, "indexing is 4.0");
	scmi_close(h);
}

Test(perf, negotiation_with_newer_platform)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;
	const struct scmi_perf_info *pi;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://?versions=perf:4.3", &cfg);
	cr_assert_eq(h->perf_ops->protocol_info_get(h, &pi), 0);
	cr_assert_eq(pi->version, 0x40000);
	cr_assert_eq(pi->platform_version, 0x40003);
	cr_assert(test_log_contains(&lg, "negotiated version 0x40000"), "%s", lg.text);
	check_discovery(h);
	scmi_close(h);
}

Test(perf, power_units)
{
	static const enum scmi_sim_perf_power_unit units[] = {SCMI_SIM_PERF_POWER_ABSTRACT,
							      SCMI_SIM_PERF_POWER_MW};

	for (unsigned int i = 0; i < 2; i++) {
		struct scmi_handle *h = test_open(NULL, NULL);
		const struct scmi_perf_info *pi;

		cr_assert_eq(scmi_sim_perf_power_unit_set(simof(h), units[i]), 0);
		cr_assert_eq(h->perf_ops->protocol_info_get(h, &pi), 0);
		cr_assert_eq((int)pi->power_unit, (int)units[i]);
		check_discovery(h);
		scmi_close(h);
	}
}

/* Requests the perf bring-up of @uri sends. */
static uint64_t bringup_requests(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	uint64_t before = requests(h), n;

	cr_assert_gt(h->perf_ops->count_get(h), 0);
	n = requests(h) - before;
	check_discovery(h);
	scmi_close(h);
	return n;
}

/* DESCRIBE_LEVELS replies needed for every domain at @per entries each. */
static uint64_t level_pages(unsigned int per)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	uint64_t pages = 0;

	for (uint32_t d = 0; d < (uint32_t)scmi_sim_perf_num_domains(test_model(h)); d++)
		pages += (model_dom(h, d).num_levels + per - 1) / per;
	scmi_close(h);
	return pages;
}

Test(perf, level_tables_span_several_messages)
{
	/* 128-byte messages: (128 - 4) / 20 = 6 levels per reply at 4.0,
	 * (128 - 4) / 12 = 10 at 2.0; the 20-level domain needs 4 and 2. */
	uint64_t v4 = bringup_requests(NULL);
	uint64_t v4_small = bringup_requests("loopback://?max_list_items=3");
	uint64_t v2 = bringup_requests("loopback://?profile=scmi-2.0");
	uint64_t v2_small = bringup_requests("loopback://?profile=scmi-2.0&max_list_items=3");

	cr_assert_eq(v4_small - v4, level_pages(3) - level_pages(6));
	cr_assert_eq(v2_small - v2, level_pages(3) - level_pages(10));
	cr_assert_gt(level_pages(6), 6, "some table spans several replies");
}

/* ---- levels and limits through messages -------------------------------------- */

Test(perf, level_and_limits_by_message)
{
	struct scmi_handle *h = open_perf(NULL);
	uint32_t level, max, min;
	uint64_t r;

	/* The DSP has no fastchannels: every call is one message. */
	r = requests(h);
	cr_assert_eq(h->perf_ops->level_set(h, DOM_DSP, 800), 0);
	cr_assert_eq(requests(h), r + 1);
	cr_assert_eq(model_dom(h, DOM_DSP).level, 800);
	cr_assert_eq(h->perf_ops->level_get(h, DOM_DSP, &level), 0);
	cr_assert_eq(level, 800);
	cr_assert_eq(h->perf_ops->limits_get(h, DOM_DSP, &max, &min), 0);
	cr_assert_eq(max, 1000);
	cr_assert_eq(min, 200);
	cr_assert_eq(requests(h), r + 3);
	/* The platform capped it: the agent sees the new limits and level. */
	cr_assert_eq(test_perf_limits_set(h, DOM_DSP, 600, 400), 0);
	cr_assert_eq(h->perf_ops->limits_get(h, DOM_DSP, &max, &min), 0);
	cr_assert_eq(max, 600);
	cr_assert_eq(min, 400);
	cr_assert_eq(h->perf_ops->level_get(h, DOM_DSP, &level), 0);
	cr_assert_eq(level, 600);
	scmi_close(h);
}

Test(perf, message_path_without_fastchannels)
{
	const char *uris[] = {"loopback://?versions=perf:1.0", "loopback://"};

	for (unsigned int u = 0; u < 2; u++) {
		struct scmi_handle *h = test_open(uris[u], NULL);
		uint32_t level, max, min;
		uint64_t r;

		/* The second platform offers none (set before discovery). */
		if (u == 1)
			cr_assert_eq(scmi_sim_perf_fastchannels_enable(simof(h), false), 0);
		cr_assert_gt(h->perf_ops->count_get(h), 0);
		for (unsigned int k = 0; k < 4; k++)
			cr_assert_not(dom_info(h, DOM_LITTLE)->fc[k].mapped);
		r = requests(h);
		cr_assert_eq(h->perf_ops->level_set(h, DOM_LITTLE, 700), 0);
		/* A message: applied before the response, no waiting. */
		cr_assert_eq(model_dom(h, DOM_LITTLE).level, 700);
		cr_assert_eq(h->perf_ops->limits_set(h, DOM_LITTLE, 1500, 500), 0);
		cr_assert_eq(model_dom(h, DOM_LITTLE).range_max, 1500);
		cr_assert_eq(model_dom(h, DOM_LITTLE).range_min, 500);
		cr_assert_eq(h->perf_ops->level_get(h, DOM_LITTLE, &level), 0);
		cr_assert_eq(level, 700);
		cr_assert_eq(h->perf_ops->limits_get(h, DOM_LITTLE, &max, &min), 0);
		cr_assert_eq(max, 1500);
		cr_assert_eq(min, 500);
		cr_assert_eq(requests(h), r + 4, "%s: four messages", uris[u]);
		cr_assert_eq(perf_stats(h).fc_level_sets, 0);
		scmi_close(h);
	}
}

/* ---- fastchannels ------------------------------------------------------------- */

struct level_wait {
	struct scmi_handle *h;
	uint32_t dom;
	uint32_t level;
	uint32_t max, min; /* limits, when max != 0 */
};

static bool model_reached(void *arg)
{
	struct level_wait *w = arg;
	struct scmi_sim_perf_domain d;

	if (test_perf_domain(w->h, w->dom, &d))
		return false;
	if (w->max)
		return d.range_max == w->max && d.range_min == w->min;
	return d.level == w->level;
}

/* Level set through the fastchannel of @dom: the model changes, nothing is
 * sent as a message, and the "get" channel shows it. */
static void fc_level_roundtrip(struct scmi_handle *h, uint32_t dom, uint32_t level)
{
	struct level_wait w = {h, dom, level, 0, 0};
	struct scmi_sim_perf_stats before = perf_stats(h), after;
	uint64_t r = requests(h);
	uint32_t got;

	cr_assert(dom_info(h, dom)->fc[SCMI_PERF_FC_LEVEL_SET].mapped);
	cr_assert_eq(h->perf_ops->level_set(h, dom, level), 0);
	cr_assert(test_wait_until(model_reached, &w, 5000), "domain %u did not reach %u", dom,
		  level);
	cr_assert_eq(h->perf_ops->level_get(h, dom, &got), 0);
	cr_assert_eq(got, level, "domain %u level through the get channel", dom);
	cr_assert_eq(requests(h), r, "domain %u: no message sent", dom);
	after = perf_stats(h);
	cr_assert_eq(after.fc_level_sets, before.fc_level_sets + 1);
	cr_assert_eq(after.doorbell_clobbered, 0, "preserve masks honoured");
	if (dom_info(h, dom)->fc[SCMI_PERF_FC_LEVEL_SET].db_width)
		cr_assert_eq(after.doorbell_rings, before.doorbell_rings + 1);
	else
		cr_assert_eq(after.doorbell_rings, before.doorbell_rings);
}

static void fc_limits_roundtrip(struct scmi_handle *h, uint32_t dom, uint32_t max, uint32_t min)
{
	struct level_wait w = {h, dom, 0, max, min};
	struct scmi_sim_perf_stats before = perf_stats(h);
	uint64_t r = requests(h);
	uint32_t gmax, gmin;

	cr_assert(dom_info(h, dom)->fc[SCMI_PERF_FC_LIMITS_SET].mapped);
	cr_assert_eq(h->perf_ops->limits_set(h, dom, max, min), 0);
	cr_assert(test_wait_until(model_reached, &w, 5000), "domain %u limits", dom);
	cr_assert_eq(h->perf_ops->limits_get(h, dom, &gmax, &gmin), 0);
	cr_assert_eq(gmax, max);
	cr_assert_eq(gmin, min);
	cr_assert_eq(requests(h), r, "domain %u: no message sent", dom);
	cr_assert_eq(perf_stats(h).fc_limits_sets, before.fc_limits_sets + 1);
	cr_assert_eq(perf_stats(h).doorbell_clobbered, 0);
}

Test(perf, fastchannels_every_doorbell_width)
{
	struct scmi_handle *h = open_perf(NULL);
	const struct scmi_perf_domain_info *lit = dom_info(h, DOM_LITTLE);
	const struct scmi_perf_domain_info *big = dom_info(h, DOM_BIG);

	test_need_window();
	cr_assert_eq(lit->fc[SCMI_PERF_FC_LEVEL_SET].db_width, 8);
	cr_assert_eq(dom_info(h, DOM_MIB)->fc[SCMI_PERF_FC_LEVEL_SET].db_width, 16);
	cr_assert_eq(big->fc[SCMI_PERF_FC_LEVEL_SET].db_width, 32);
	cr_assert_eq(big->fc[SCMI_PERF_FC_LIMITS_SET].db_width, 64);
	cr_assert_eq(dom_info(h, DOM_GPU)->fc[SCMI_PERF_FC_LEVEL_SET].db_width, 0);

	fc_level_roundtrip(h, DOM_LITTLE, 700);
	fc_level_roundtrip(h, DOM_BIG, 1100);
	fc_level_roundtrip(h, DOM_GPU, 300000);
	fc_level_roundtrip(h, DOM_MIB, 25); /* index 1 on the wire */
	fc_level_roundtrip(h, DOM_MIB, 100);

	fc_limits_roundtrip(h, DOM_LITTLE, 1300, 500);
	fc_limits_roundtrip(h, DOM_BIG, 2000, 800);
	fc_limits_roundtrip(h, DOM_GPU, 600000, 250000);
	fc_limits_roundtrip(h, DOM_MIB, 80, 25);
	/* The limits pulled the level down to the highest one inside. */
	cr_assert_eq(model_dom(h, DOM_MIB).level, 80);
	scmi_close(h);
}

Test(perf, fastchannels_on_scmi20_profile)
{
	struct scmi_handle *h = open_perf("loopback://?profile=scmi-2.0");

	test_need_window();
	fc_level_roundtrip(h, DOM_LITTLE, 1100);
	fc_limits_roundtrip(h, DOM_BIG, 1500, 400);
	/* No indexing at 2.0: level values go on the wire as they are. */
	fc_level_roundtrip(h, DOM_MIB, 40);
	scmi_close(h);
}

struct rejected_wait {
	struct scmi_handle *h;
	uint64_t want;
};

static bool rejected_reached(void *arg)
{
	struct rejected_wait *w = arg;

	return perf_stats(w->h).fc_rejected >= w->want;
}

/* The platform ignores a fastchannel write it would refuse as a message. */
Test(perf, fastchannel_write_outside_limits_ignored)
{
	struct scmi_handle *h = open_perf(NULL);
	struct scmi_sim_perf_stats before;
	struct rejected_wait rw;

	test_need_window();
	cr_assert_eq(test_perf_limits_set(h, DOM_BIG, 1500, 400), 0);
	cr_assert_eq(model_dom(h, DOM_BIG).level, 1500, "clamped from 2000");
	before = perf_stats(h);
	rw = (struct rejected_wait){h, before.fc_rejected + 1};
	cr_assert_eq(h->perf_ops->level_set(h, DOM_BIG, 2200), 0, "no status on a fastchannel");
	cr_assert(test_wait_until(rejected_reached, &rw, 5000), "write not seen");
	cr_assert_eq(model_dom(h, DOM_BIG).level, 1500, "unchanged");
	cr_assert_eq(perf_stats(h).fc_level_sets, before.fc_level_sets);
	fc_level_roundtrip(h, DOM_BIG, 600);
	scmi_close(h);
}

Test(perf, fastchannel_descriptions_validated)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = simof(h);
	struct level_wait w;
	uint32_t level, max, min;
	uint64_t r;

	test_need_window();
	cr_assert_eq(scmi_sim_perf_fc_fault_set(sim, DOM_LITTLE, MSG_LEVEL_SET,
						SCMI_SIM_PERF_FC_BAD_SIZE),
		     0);
	cr_assert_eq(scmi_sim_perf_fc_fault_set(sim, DOM_BIG, MSG_LEVEL_SET,
						SCMI_SIM_PERF_FC_BAD_DB_MASK),
		     0);
	cr_assert_eq(
		scmi_sim_perf_fc_fault_set(sim, DOM_GPU, MSG_LEVEL_GET, SCMI_SIM_PERF_FC_UNMAPPED),
		0);
	/* The channel is read as aligned 32-bit words: an unaligned one is a
	 * bad description too. */
	cr_assert_eq(scmi_sim_perf_fc_fault_set(sim, DOM_BIG, MSG_LIMITS_GET,
						SCMI_SIM_PERF_FC_MISALIGNED),
		     0);
	cr_assert_eq(
		scmi_sim_perf_fc_fault_set(sim, DOM_DSP, MSG_LEVEL_GET, SCMI_SIM_PERF_FC_BAD_SIZE),
		-ENOENT, "the DSP has no fastchannels");
	cr_assert_gt(h->perf_ops->count_get(h), 0);

	cr_assert_not(dom_info(h, DOM_LITTLE)->fc[SCMI_PERF_FC_LEVEL_SET].mapped);
	cr_assert(dom_info(h, DOM_LITTLE)->fc[SCMI_PERF_FC_LIMITS_SET].mapped);
	cr_assert_not(dom_info(h, DOM_BIG)->fc[SCMI_PERF_FC_LEVEL_SET].mapped);
	cr_assert_not(dom_info(h, DOM_GPU)->fc[SCMI_PERF_FC_LEVEL_GET].mapped);
	cr_assert(dom_info(h, DOM_GPU)->fc[SCMI_PERF_FC_LEVEL_SET].mapped);
	cr_assert_not(dom_info(h, DOM_BIG)->fc[SCMI_PERF_FC_LIMITS_GET].mapped);
	cr_assert(dom_info(h, DOM_BIG)->fc[SCMI_PERF_FC_LEVEL_GET].mapped);

	/* Those fall back to messages, and still work. */
	r = requests(h);
	cr_assert_eq(h->perf_ops->level_set(h, DOM_LITTLE, 900), 0);
	cr_assert_eq(requests(h), r + 1);
	cr_assert_eq(model_dom(h, DOM_LITTLE).level, 900);
	cr_assert_eq(h->perf_ops->level_set(h, DOM_BIG, 900), 0);
	cr_assert_eq(requests(h), r + 2);
	cr_assert_eq(model_dom(h, DOM_BIG).level, 900);
	/* The GPU sets through its channel but reads by message. */
	w = (struct level_wait){h, DOM_GPU, 400000, 0, 0};
	r = requests(h);
	cr_assert_eq(h->perf_ops->level_set(h, DOM_GPU, 400000), 0);
	cr_assert(test_wait_until(model_reached, &w, 5000));
	cr_assert_eq(requests(h), r);
	cr_assert_eq(h->perf_ops->level_get(h, DOM_GPU, &level), 0);
	cr_assert_eq(level, 400000);
	cr_assert_eq(requests(h), r + 1);
	/* The big cores read their limits by message. */
	r = requests(h);
	cr_assert_eq(h->perf_ops->limits_get(h, DOM_BIG, &max, &min), 0);
	cr_assert_eq(requests(h), r + 1);
	cr_assert_eq(max, model_dom(h, DOM_BIG).range_max);
	cr_assert_eq(min, model_dom(h, DOM_BIG).range_min);
	scmi_close(h);
}

struct hammer {
	struct scmi_handle *h;
	uint32_t dom;
	const struct scmi_perf_domain_info *d;
	int errors;
};

static void *hammer_thread(void *arg)
{
	struct hammer *hm = arg;
	const struct scmi_perf_domain_info *d = hm->d;
	uint32_t level, max, min;

	for (unsigned int i = 0; i < 300; i++) {
		const struct scmi_perf_level *l = &d->levels[i % d->num_levels];

		if (i % 3 == 2 && d->can_set_limits)
			hm->errors += !!hm->h->perf_ops->limits_set(
				hm->h, hm->dom, d->levels[d->num_levels - 1].perf,
				d->levels[0].perf);
		else if (d->can_set_level)
			hm->errors += !!hm->h->perf_ops->level_set(hm->h, hm->dom, l->perf);
		hm->errors += !!hm->h->perf_ops->level_get(hm->h, hm->dom, &level);
		hm->errors += !!hm->h->perf_ops->limits_get(hm->h, hm->dom, &max, &min);
	}
	return NULL;
}

/* Threads on fastchannel and message domains at once: no error, and the
 * doorbell register shared by the little cores' channels keeps its bits. */
Test(perf, concurrent_callers, .timeout = 60)
{
	struct scmi_handle *h = open_perf(NULL);
	static const uint32_t doms[5] = {DOM_LITTLE, DOM_LITTLE, DOM_BIG, DOM_DSP, DOM_MIB};
	struct hammer hm[5];
	pthread_t t[5];

	for (int i = 0; i < 5; i++) {
		hm[i] = (struct hammer){h, doms[i], dom_info(h, doms[i]), 0};
		pthread_create(&t[i], NULL, hammer_thread, &hm[i]);
	}
	for (int i = 0; i < 5; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(hm[i].errors, 0, "thread %d", i);
	}
	cr_assert_eq(perf_stats(h).doorbell_clobbered, 0);
	cr_assert_eq(perf_stats(h).fc_rejected, 0);
	scmi_close(h);
}

/* ---- frequencies ------------------------------------------------------------------ */

Test(perf, frequency_helpers)
{
	struct scmi_handle *h = open_perf(NULL);
	const struct scmi_perf_ops *ops = h->perf_ops;
	uint64_t f;
	uint32_t power;

	/* Linear mapping: 1 MHz per level unit on the big cores. */
	cr_assert_eq(dom_info(h, DOM_BIG)->mult_factor_hz, 1000000);
	cr_assert_eq(ops->freq_set(h, DOM_DSP, 450000000), 0, "rounds up to 600 MHz");
	cr_assert_eq(model_dom(h, DOM_DSP).level, 600);
	cr_assert_eq(ops->freq_get(h, DOM_DSP, &f), 0);
	cr_assert_eq(f, 600000000);
	cr_assert_eq(ops->freq_set(h, DOM_DSP, 1000000001), -EINVAL);
	/* No sustained values: factor 1000, levels are kHz. */
	cr_assert_eq(dom_info(h, DOM_GPU)->mult_factor_hz, 1000);
	cr_assert_eq(ops->level_to_freq(h, DOM_GPU, 350000, &f), 0);
	cr_assert_eq(f, 350000000);
	/* Level indexing: the indicative frequency, not level x factor. */
	cr_assert_eq(ops->level_to_freq(h, DOM_MIB, 25, &f), 0);
	cr_assert_eq(f, 533000000);
	cr_assert_eq(ops->level_to_freq(h, DOM_MIB, 26, &f), -EINVAL);
	f = 600000000;
	cr_assert_eq(ops->est_power_get(h, DOM_MIB, &f, &power), 0);
	cr_assert_eq(f, 800000000);
	cr_assert_eq(power, dom_info(h, DOM_MIB)->levels[2].power_cost);
	f = 3000000000ull;
	cr_assert_eq(ops->est_power_get(h, DOM_MIB, &f, &power), -EINVAL);
	scmi_close(h);

	/* At 3.0 the same domain maps linearly: 25 x 20 MHz. */
	h = open_perf("loopback://?versions=perf:3.0");
	cr_assert_eq(h->perf_ops->level_to_freq(h, DOM_MIB, 25, &f), 0);
	cr_assert_eq(f, 500000000);
	scmi_close(h);
}

/* ---- local validation and platform errors ----------------------------------------- */

Test(perf, invalid_arguments_send_nothing)
{
	struct scmi_handle *h = open_perf(NULL);
	const struct scmi_perf_ops *ops = h->perf_ops;
	const struct scmi_perf_domain_info *d;
	uint32_t level, max, min;
	uint64_t f = 0, r = requests(h);

	cr_assert_eq(ops->info_get(h, 6, &d), -EINVAL);
	cr_assert_eq(ops->info_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->protocol_info_get(h, NULL), -EINVAL);
	cr_assert_eq(ops->level_set(h, 6, 100), -EINVAL);
	cr_assert_eq(ops->level_get(h, 6, &level), -EINVAL);
	cr_assert_eq(ops->level_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->limits_set(h, 99, 1000, 100), -EINVAL);
	cr_assert_eq(ops->limits_get(h, 6, &max, &min), -EINVAL);
	cr_assert_eq(ops->limits_get(h, 0, NULL, &min), -EINVAL);
	cr_assert_eq(ops->freq_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->est_power_get(h, 0, &f, NULL), -EINVAL);
	/* Outside the table's range, or not in the table of an indexing domain. */
	cr_assert_eq(ops->level_set(h, DOM_DSP, 1200), -EINVAL);
	cr_assert_eq(ops->level_set(h, DOM_DSP, 100), -EINVAL);
	cr_assert_eq(ops->level_set(h, DOM_MIB, 30), -EINVAL);
	cr_assert_eq(ops->limits_set(h, DOM_MIB, 100, 30), -EINVAL);
	cr_assert_eq(ops->limits_set(h, DOM_BIG, 2400, 400), -EINVAL);
	/* min above max; both zero (3.0+). */
	cr_assert_eq(ops->limits_set(h, DOM_BIG, 800, 1200), -EINVAL);
	cr_assert_eq(ops->limits_set(h, DOM_BIG, 0, 0), -EINVAL);
	/* The domain does not let the agent do it. */
	cr_assert_eq(ops->limits_set(h, DOM_DSP, 1000, 200), -EOPNOTSUPP);
	cr_assert_eq(ops->level_set(h, DOM_NPU, 200), -EOPNOTSUPP);
	cr_assert_eq(ops->limits_set(h, DOM_NPU, 400, 100), -EOPNOTSUPP);
	cr_assert_eq(requests(h), r, "nothing was sent");
	scmi_close(h);
}

Test(perf, platform_errors_map_to_errnos)
{
	/* 1.0: everything goes by message, so every status comes back. */
	struct scmi_handle *h = open_perf("loopback://?versions=perf:1.0");
	const struct scmi_perf_ops *ops = h->perf_ops;

	/* A level between two of the table's: the platform has no such level. */
	cr_assert_eq(ops->level_set(h, DOM_DSP, 300), -ERANGE);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_OUT_OF_RANGE);
	/* Outside the current limits. */
	cr_assert_eq(test_perf_limits_set(h, DOM_LITTLE, 1100, 300), 0);
	cr_assert_eq(ops->level_set(h, DOM_LITTLE, 1500), -ERANGE);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_OUT_OF_RANGE);
	/* No level inside the requested limits. */
	cr_assert_eq(ops->limits_set(h, DOM_LITTLE, 1550, 1510), -ERANGE);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_OUT_OF_RANGE);
	/* Access revoked through Base (perf domain N is device N). */
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, DOM_DSP, PERF, false), 0);
	cr_assert_eq(ops->level_set(h, DOM_DSP, 400), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, DOM_DSP, PERF, true), 0);
	cr_assert_eq(ops->level_set(h, DOM_DSP, 400), 0);
	cr_assert_eq(scmi_last_status(), SCMI_SUCCESS);
	scmi_close(h);
}

static int raw(struct scmi_handle *h, uint8_t msg, const uint32_t *words, size_t n, uint8_t *rx,
	       size_t rx_size, size_t *len)
{
	uint8_t tx[16];

	for (size_t i = 0; i < n; i++)
		scmi_put_le32(tx + 4 * i, words[i]);
	return scmi_raw_command(h, PERF, msg, tx, 4 * n, rx, rx_size, len);
}

/* The model's own checks, past the agent's local validation. */
Test(perf, simulator_rejects_bad_requests)
{
	struct scmi_handle *h = open_perf(NULL);
	uint8_t rx[128];
	size_t len;

	cr_assert_eq(raw(h, MSG_DOMAIN_ATTRIBUTES, (uint32_t[]){6}, 1, rx, sizeof(rx), &len),
		     -ENOENT);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(
		raw(h, MSG_DESCRIBE_LEVELS, (uint32_t[]){DOM_BIG, 20}, 2, rx, sizeof(rx), &len),
		-EINVAL, "index == count: INVALID_PARAMETERS, as SCP");
	cr_assert_eq(raw(h, MSG_LEVEL_SET, (uint32_t[]){DOM_NPU, 200}, 2, rx, sizeof(rx), &len),
		     -EACCES, "read-only domain");
	cr_assert_eq(
		raw(h, MSG_LIMITS_SET, (uint32_t[]){DOM_DSP, 1000, 200}, 3, rx, sizeof(rx), &len),
		-EACCES);
	cr_assert_eq(raw(h, MSG_LIMITS_SET, (uint32_t[]){DOM_BIG, 0, 0}, 3, rx, sizeof(rx), &len),
		     -EINVAL, "both zero from 3.0");
	cr_assert_eq(
		raw(h, MSG_LIMITS_SET, (uint32_t[]){DOM_BIG, 800, 1200}, 3, rx, sizeof(rx), &len),
		-EINVAL);
	cr_assert_eq(raw(h, MSG_LEVEL_SET, (uint32_t[]){DOM_MIB, 6}, 2, rx, sizeof(rx), &len),
		     -ERANGE, "index past the table");
	cr_assert_eq(raw(h, MSG_NOTIFY_LEVEL, (uint32_t[]){DOM_DSP, 1}, 2, rx, sizeof(rx), &len),
		     -EOPNOTSUPP);
	cr_assert_eq(raw(h, MSG_NOTIFY_LEVEL, (uint32_t[]){DOM_LITTLE, 3}, 2, rx, sizeof(rx), &len),
		     -EINVAL, "reserved bits");
	cr_assert_eq(raw(h, MSG_DESCRIBE_FASTCHANNEL, (uint32_t[]){DOM_DSP, MSG_LEVEL_SET}, 2, rx,
			 sizeof(rx), &len),
		     -EOPNOTSUPP);
	cr_assert_eq(raw(h, MSG_DESCRIBE_FASTCHANNEL, (uint32_t[]){DOM_LITTLE, MSG_NOTIFY_LEVEL}, 2,
			 rx, sizeof(rx), &len),
		     -EOPNOTSUPP, "a message without fastchannel: NOT_SUPPORTED, as SCP");
	cr_assert_eq(raw(h, MSG_DOMAIN_NAME_GET, (uint32_t[]){DOM_DSP}, 1, rx, sizeof(rx), &len),
		     -EOPNOTSUPP, "short name only");
	cr_assert_eq(raw(h, MSG_LEVEL_GET, (uint32_t[]){DOM_DSP, 0}, 2, rx, sizeof(rx), &len),
		     -EPROTO, "wrong request size");
	/* A full DESCRIBE_FASTCHANNEL reply: 11 words (only where the
	 * platform's memory window is in the agent's reach). */
	if (test_has_window()) {
		cr_assert_eq(raw(h, MSG_DESCRIBE_FASTCHANNEL, (uint32_t[]){DOM_BIG, MSG_LIMITS_SET},
				 2, rx, sizeof(rx), &len),
			     0);
		cr_assert_eq(len, 44);
		cr_assert_eq(scmi_get_le32(rx) & 7, 1 | 3 << 1, "doorbell, 64 bits");
	}
	scmi_close(h);

	/* Commands newer than the version in use do not exist. */
	h = open_perf("loopback://?profile=scmi-2.0");
	cr_assert_eq(raw(h, MSG_DOMAIN_NAME_GET, (uint32_t[]){DOM_BIG}, 1, rx, sizeof(rx), &len),
		     -ENOENT);
	scmi_close(h);
	h = open_perf("loopback://?versions=perf:1.0");
	cr_assert_eq(raw(h, MSG_DESCRIBE_FASTCHANNEL, (uint32_t[]){DOM_BIG, MSG_LEVEL_SET}, 2, rx,
			 sizeof(rx), &len),
		     -ENOENT);
	scmi_close(h);
}

/* ---- notifications ------------------------------------------------------------------- */

#define CATCH_MAX 32

struct catcher {
	struct scmi_notifier_block nb; /* first: the callback casts back */
	pthread_mutex_t lock;
	unsigned int n;
	uint8_t evt[CATCH_MAX];
	struct scmi_perf_limits_report lim[CATCH_MAX];
	struct scmi_perf_level_report lvl[CATCH_MAX];
};

static int catch_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct catcher *c = (struct catcher *)nb;

	pthread_mutex_lock(&c->lock);
	if (c->n < CATCH_MAX) {
		c->evt[c->n] = (uint8_t)evt;
		if (evt == SCMI_EVENT_PERF_LIMITS_CHANGED)
			c->lim[c->n] = *(const struct scmi_perf_limits_report *)report;
		else
			c->lvl[c->n] = *(const struct scmi_perf_level_report *)report;
	}
	c->n++;
	pthread_mutex_unlock(&c->lock);
	return SCMI_NOTIFY_OK;
}

static void catcher_init(struct catcher *c)
{
	memset(c, 0, sizeof(*c));
	c->nb.notifier_call = catch_cb;
	pthread_mutex_init(&c->lock, NULL);
}

struct catch_wait {
	struct catcher *c;
	unsigned int n;
};

static bool caught(void *arg)
{
	struct catch_wait *w = arg;
	unsigned int n;

	pthread_mutex_lock(&w->c->lock);
	n = w->c->n;
	pthread_mutex_unlock(&w->c->lock);
	return n >= w->n;
}

static void wait_caught(struct catcher *c, unsigned int n)
{
	struct catch_wait w = {c, n};

	cr_assert(test_wait_until(caught, &w, 5000), "expected %u events, got %u", n, c->n);
}

static int perf_listen(struct scmi_handle *h, uint8_t evt, uint32_t dom, struct catcher *c)
{
	return h->notify_ops->event_notifier_register(h, PERF, evt, &dom, &c->nb);
}

static int perf_unlisten(struct scmi_handle *h, uint8_t evt, uint32_t dom, struct catcher *c)
{
	return h->notify_ops->event_notifier_unregister(h, PERF, evt, &dom, &c->nb);
}

static void notifications_on(const char *uri)
{
	struct scmi_handle *h = open_perf(uri);
	struct catcher c, sentinel;
	bool v4 = strstr(uri, "2.0") == NULL;

	catcher_init(&c);
	catcher_init(&sentinel);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_LITTLE, &c), 0);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LIMITS_CHANGED, DOM_MIB, &c), 0);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_NPU, &sentinel), 0);
	cr_assert_eq(test_notify_enabled(h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_LITTLE), 1);
	cr_assert_eq(test_notify_enabled(h, PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, DOM_MIB), 1);
	cr_assert_eq(test_notify_enabled(h, PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, DOM_LITTLE), 0,
		     "only what was asked for");

	/* Platform-initiated level change. */
	cr_assert_eq(test_perf_level_set(h, DOM_LITTLE, 900), 0);
	wait_caught(&c, 1);
	cr_assert_eq(c.evt[0], SCMI_EVENT_PERF_LEVEL_CHANGED);
	cr_assert_eq(c.lvl[0].agent_id, 0);
	cr_assert_eq(c.lvl[0].domain_id, DOM_LITTLE);
	cr_assert_eq(c.lvl[0].performance_level, 900);
	cr_assert_eq(c.lvl[0].freq_hz, 900000000);
	cr_assert_gt(c.lvl[0].hdr.timestamp, 0);

	/* One the agent caused (through the fastchannel): its own agent id. */
	cr_assert_eq(h->perf_ops->level_set(h, DOM_LITTLE, 1300), 0);
	wait_caught(&c, 2);
	cr_assert_eq(c.lvl[1].agent_id, 1);
	cr_assert_eq(c.lvl[1].performance_level, 1300);

	/* Limits on the indexing domain: indices mapped back to levels. */
	cr_assert_eq(test_perf_limits_set(h, DOM_MIB, 60, 25), 0);
	wait_caught(&c, 3);
	cr_assert_eq(c.evt[2], SCMI_EVENT_PERF_LIMITS_CHANGED);
	cr_assert_eq(c.lim[2].agent_id, 0);
	cr_assert_eq(c.lim[2].domain_id, DOM_MIB);
	cr_assert_eq(c.lim[2].range_max, 60);
	cr_assert_eq(c.lim[2].range_min, 25);
	cr_assert_eq(c.lim[2].range_max_freq_hz, 1200000000);
	cr_assert_eq(c.lim[2].range_min_freq_hz, v4 ? 533000000 : 500000000);

	/* Disabled at the platform once the last listener leaves. */
	cr_assert_eq(perf_unlisten(h, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_LITTLE, &c), 0);
	cr_assert_eq(test_notify_enabled(h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_LITTLE), 0);
	cr_assert_eq(test_perf_level_set(h, DOM_LITTLE, 500), 0);
	/* Events arrive in order: once the later one is in, the earlier
	 * would have been too. */
	cr_assert_eq(test_perf_level_set(h, DOM_NPU, 300), 0);
	wait_caught(&sentinel, 1);
	cr_assert_eq(sentinel.lvl[0].performance_level, 300);
	cr_assert_eq(c.n, 3, "nothing after the disable");
	scmi_close(h);
}

Test(perf, notifications_newest)
{
	notifications_on("loopback://");
}

Test(perf, notifications_scmi20)
{
	notifications_on("loopback://?profile=scmi-2.0");
}

static unsigned int count_lines_with(struct test_log *lg, const char *needle)
{
	unsigned int n = 0;

	pthread_mutex_lock(&lg->lock);
	for (const char *p = lg->text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	pthread_mutex_unlock(&lg->lock);
	return n;
}

/* The sources that refuse an event are logged in one line per
 * registration, not one per source (a platform may have 65535). */
Test(perf, refused_sources_logged_once_per_registration)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;
	struct catcher c, one;
	uint32_t dsp = DOM_DSP;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open(NULL, &cfg);
	catcher_init(&c);
	catcher_init(&one);
	/* GPU and DSP have no level events; the others do. */
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED,
							    NULL, &c.nb),
		     0);
	cr_assert_eq(count_lines_with(&lg, "notify: enabling perf event"), 1, "%s", lg.text);
	cr_assert(test_log_contains(&lg, "event 0x1: 2 sources refused (from source 2;"), "%s",
		  lg.text);
	/* One source refused: the line names it. */
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED,
							    &dsp, &one.nb),
		     -EOPNOTSUPP);
	cr_assert(test_log_contains(&lg, "event 0x1 source 3: "), "%s", lg.text);
	cr_assert_eq(count_lines_with(&lg, "notify: enabling perf event"), 2, "%s", lg.text);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(
			     h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, NULL, &c.nb),
		     0);
	scmi_close(h);
}

Test(perf, notifications_limits_clamp_level)
{
	struct scmi_handle *h = open_perf(NULL);
	struct catcher c;

	catcher_init(&c);
	/* Every source: the big cores' limits and level. */
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PERF, SCMI_EVENT_PERF_LIMITS_CHANGED,
							    NULL, &c.nb),
		     0);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_BIG, &c), 0);
	cr_assert_eq(test_notify_enabled(h, PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, DOM_DSP), 0,
		     "the DSP has no notifications");
	/* The platform lowers the cap below the current level (2000). */
	cr_assert_eq(test_perf_limits_set(h, DOM_BIG, 1200, 400), 0);
	wait_caught(&c, 2);
	cr_assert_eq(c.evt[0], SCMI_EVENT_PERF_LIMITS_CHANGED);
	cr_assert_eq(c.lim[0].range_max, 1200);
	cr_assert_eq(c.lim[0].range_min, 400);
	cr_assert_eq(c.evt[1], SCMI_EVENT_PERF_LEVEL_CHANGED);
	cr_assert_eq(c.lvl[1].performance_level, 1200);
	cr_assert_eq(c.lvl[1].agent_id, 0);
	/* Limits the agent sets (here through a doorbell-less fastchannel)
	 * are reported with the agent's id. */
	cr_assert_eq(h->perf_ops->limits_set(h, DOM_GPU, 700000, 300000), 0);
	wait_caught(&c, 3);
	cr_assert_eq(c.lim[2].domain_id, DOM_GPU);
	cr_assert_eq(c.lim[2].agent_id, 1);
	cr_assert_eq(c.lim[2].range_max_freq_hz, 700000000);
	scmi_close(h);
}

Test(perf, notify_unsupported_domain_sends_nothing)
{
	struct scmi_handle *h = open_perf(NULL);
	struct catcher c;
	uint64_t r = requests(h);

	catcher_init(&c);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_DSP, &c), -EOPNOTSUPP);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_GPU, &c), -EOPNOTSUPP);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, 6, &c), -EINVAL);
	cr_assert_eq(requests(h), r);
	scmi_close(h);
}

/* ---- malformed platform data --------------------------------------------------------- */

Test(perf, malformed_notifications_dropped)
{
	struct scmi_handle *h = open_perf(NULL);
	struct scmi_sim *sim = simof(h);
	struct scmi_event_stats es;
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.every = 1,
		.count = 1,
		.protocol = PERF,
		.message = -1,
		.param = 4,
		.notifications = true,
	};
	struct catcher c;
	uint8_t p[20] = {0};

	catcher_init(&c);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, DOM_MIB, &c), 0);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LIMITS_CHANGED, DOM_MIB, &c), 0);
	/* Short, long, unknown domain, unknown level index. */
	scmi_put_le32(p + 4, DOM_MIB);
	scmi_put_le32(p + 8, 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, p, 8), 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, p, 16), 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, p, 12), 1);
	scmi_put_le32(p + 4, 77);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, p, 12), 1);
	scmi_put_le32(p + 4, DOM_MIB);
	scmi_put_le32(p + 8, 6);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, p, 12), 1);
	/* A real event made 4 bytes too long by the platform. */
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(test_perf_level_set(h, DOM_MIB, 40), 0);
	/* Then a good one, which must arrive (and alone). */
	scmi_put_le32(p + 8, 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, p, 12), 1);
	wait_caught(&c, 1);
	cr_assert_eq(c.lvl[0].performance_level, 25, "index 1 is level 25");
	cr_assert_eq(c.n, 1);
	cr_assert(test_wait_delivered(h, PERF, 1, 5000));
	cr_assert_eq(scmi_event_stats_get(h, PERF, &es), 0);
	cr_assert_eq(es.dropped_malformed, 6);
	cr_assert_eq(es.delivered, 1);
	scmi_close(h);
}

/* Domain @dom is disabled: its info says so, every op on it is -EPROTO
 * with nothing sent. */
static void expect_disabled(struct scmi_handle *h, uint32_t dom)
{
	const struct scmi_perf_ops *ops = h->perf_ops;
	const struct scmi_perf_domain_info *d = dom_info(h, dom);
	uint32_t level, max, min, power;
	uint64_t f = 1, r = requests(h);

	cr_assert_not(d->usable, "domain %u", dom);
	cr_assert_eq(d->num_levels, 0);
	cr_assert_null(d->levels);
	cr_assert_eq(ops->level_set(h, dom, 100), -EPROTO);
	cr_assert_eq(ops->level_get(h, dom, &level), -EPROTO);
	cr_assert_eq(ops->limits_set(h, dom, 100, 100), -EPROTO);
	cr_assert_eq(ops->limits_get(h, dom, &max, &min), -EPROTO);
	cr_assert_eq(ops->freq_set(h, dom, 1), -EPROTO);
	cr_assert_eq(ops->freq_get(h, dom, &f), -EPROTO);
	cr_assert_eq(ops->est_power_get(h, dom, &f, &power), -EPROTO);
	cr_assert_eq(ops->level_to_freq(h, dom, 100, &f), -EPROTO);
	cr_assert_eq(requests(h), r, "nothing sent to a disabled domain");
}

Test(perf, malformed_responses_rejected)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.every = 1,
		.count = 1,
		.protocol = PERF,
		.message = MSG_DESCRIBE_LEVELS,
		.param = -8,
	};
	uint32_t level;

	/* A level reply shorter than its count says: that domain (the
	 * first) is disabled, the others work. */
	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open(NULL, &cfg);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->perf_ops->count_get(h), scmi_sim_perf_num_domains(test_model(h)));
	cr_assert(test_log_contains(&lg, "perf: domain 0:"), "%s", lg.text);
	cr_assert(test_log_contains(&lg, "perf: domain 0 disabled: Protocol error"), "%s", lg.text);
	expect_disabled(h, DOM_LITTLE);
	cr_assert(dom_info(h, DOM_BIG)->usable);
	cr_assert_eq(h->perf_ops->level_set(h, DOM_BIG, dom_info(h, DOM_BIG)->levels[0].perf), 0);
	/* A truncated LEVEL_GET (the DSP answers by message). */
	f.message = MSG_LEVEL_GET;
	f.param = -4;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->perf_ops->level_get(h, DOM_DSP, &level), -EPROTO);
	cr_assert_eq(h->perf_ops->level_get(h, DOM_DSP, &level), 0);
	cr_assert_eq(level, model_dom(h, DOM_DSP).level);
	scmi_close(h);

	/* A short DOMAIN_ATTRIBUTES reply: that domain too. */
	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open(NULL, &cfg);
	f.message = MSG_DOMAIN_ATTRIBUTES;
	f.param = -16;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->perf_ops->count_get(h), scmi_sim_perf_num_domains(simof(h)));
	cr_assert(test_log_contains(&lg, "perf: domain 0 disabled: Protocol error"), "%s", lg.text);
	expect_disabled(h, DOM_LITTLE);
	for (uint32_t d = 1; d < (uint32_t)scmi_sim_perf_num_domains(simof(h)); d++)
		cr_assert(dom_info(h, d)->usable, "domain %u", d);
	scmi_close(h);
}

/* No answer at all is no description: the bring-up fails and is retried. */
Test(perf, discovery_timeout_retried)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = PERF,
		.message = MSG_DESCRIBE_LEVELS,
	};
	struct scmi_handle *h;

	cfg.timeout_ms = 100;
	h = test_open(NULL, &cfg);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->perf_ops->count_get(h), -ETIMEDOUT);
	check_discovery(h);
	scmi_close(h);
}

/* Boundaries: a domain id equal to the count is unknown to every op,
 * nothing is sent; the last domain is known. */
Test(perf, domain_id_boundary)
{
	struct scmi_handle *h = open_perf(NULL);
	const struct scmi_perf_ops *ops = h->perf_ops;
	uint32_t n = (uint32_t)ops->count_get(h), level, max, min, power;
	const struct scmi_perf_domain_info *d;
	uint64_t f = 1, r = requests(h);
	struct catcher c;

	catcher_init(&c);
	cr_assert_eq(ops->info_get(h, n, &d), -EINVAL);
	cr_assert_eq(ops->level_set(h, n, 100), -EINVAL);
	cr_assert_eq(ops->level_get(h, n, &level), -EINVAL);
	cr_assert_eq(ops->limits_set(h, n, 100, 100), -EINVAL);
	cr_assert_eq(ops->limits_get(h, n, &max, &min), -EINVAL);
	cr_assert_eq(ops->freq_set(h, n, 1), -EINVAL);
	cr_assert_eq(ops->freq_get(h, n, &f), -EINVAL);
	cr_assert_eq(ops->est_power_get(h, n, &f, &power), -EINVAL);
	cr_assert_eq(ops->level_to_freq(h, n, 100, &f), -EINVAL);
	cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LIMITS_CHANGED, n, &c), -EINVAL);
	cr_assert_eq(requests(h), r, "nothing sent");
	cr_assert_eq(ops->info_get(h, n - 1, &d), 0);
	cr_assert_eq(ops->level_get(h, n - 1, &level), 0);
	scmi_close(h);
}

/* ---- a platform that miscounts, and one bad domain ------------------------------ */

/*
 * Perf 2.0 platform, four levels per DESCRIBE_LEVELS reply:
 *   0 healthy:  6 levels, counted right
 *   1 miscount: 9 levels, "remaining" = total - index (OP-TEE's mistake),
 *               the index past the end answered as rogue_end says
 *   2 victim:   what rogue_victim says (2 good levels by default)
 * Every domain may set its level and announces level notifications.
 */
#define R_HEALTHY  0
#define R_MISCOUNT 1
#define R_VICTIM   2
#define R_NUM	   3
#define R_PAGE	   4

enum rogue_end {
	END_INVALID_PARAMETERS,
	END_EMPTY,
};

enum rogue_victim {
	V_OK,
	V_ATTR_REFUSED,	 /* DOMAIN_ATTRIBUTES: DENIED */
	V_DUP_LEVEL,	 /* 300 listed twice */
	V_NO_LEVELS,	 /* 0 returned, 0 remaining */
	V_EMPTY_FIRST,	 /* 0 returned, 4 remaining */
	V_TOO_MANY,	 /* 1 + 1 announced, the second reply returns 2 */
	V_TOO_BIG,	 /* 2000 levels, one per reply */
	V_TRUNCATED,	 /* 2 announced, one entry's bytes */
	V_PAGE_REFUSED,	 /* the second reply: HARDWARE_ERROR */
	V_LEVELS_DENIED, /* the first reply: DENIED */
	V_HUGE_SHORT,	 /* 2 + 2000 announced, then an empty reply */
};

static const uint32_t rogue_count[R_NUM] = {6, 9, 2};
static _Atomic int rogue_end = END_INVALID_PARAMETERS;
static _Atomic int rogue_victim = V_OK;
static _Atomic uint32_t rogue_level[R_NUM];

static void rogue_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, R_NUM);
	sim_reply_u32(ctx, 0);
	sim_reply_u32(ctx, 0);
	sim_reply_u32(ctx, 0);
}

static void rogue_domain_attributes(struct sim_ctx *ctx)
{
	uint32_t dom = sim_req_u32(ctx, 0);

	if (dom >= R_NUM) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	if (dom == R_VICTIM && rogue_victim == V_ATTR_REFUSED) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	sim_reply_u32(ctx, 1u << 30 | 1u << 28); /* level set, level notify */
	sim_reply_u32(ctx, 0);
	sim_reply_u32(ctx, 0);
	sim_reply_u32(ctx, 0);
	sim_reply_name(ctx, dom == R_HEALTHY	? "healthy"
			    : dom == R_MISCOUNT ? "miscount"
						: "victim");
}

/* Level i of every domain: perf 100 * (i + 1), power i, latency 10. */
static void rogue_put_levels(struct sim_ctx *ctx, uint32_t flags, uint32_t first, uint32_t n)
{
	sim_reply_u32(ctx, flags);
	for (uint32_t i = first; i < first + n; i++) {
		sim_reply_u32(ctx, 100 * (i + 1));
		sim_reply_u32(ctx, i);
		sim_reply_u32(ctx, 10);
	}
}

static void rogue_victim_levels(struct sim_ctx *ctx, uint32_t index)
{
	switch (atomic_load(&rogue_victim)) {
	case V_DUP_LEVEL:
		sim_reply_u32(ctx, 2);
		for (int i = 0; i < 2; i++) {
			sim_reply_u32(ctx, 300);
			sim_reply_u32(ctx, 0);
			sim_reply_u32(ctx, 0);
		}
		return;
	case V_NO_LEVELS:
		sim_reply_u32(ctx, 0);
		return;
	case V_EMPTY_FIRST:
		sim_reply_u32(ctx, 4u << 16);
		return;
	case V_TOO_MANY:
		rogue_put_levels(ctx, index ? 2 : 1 | 1u << 16, index, index ? 2 : 1);
		return;
	case V_TOO_BIG: /* one level per reply, all distinct */
		rogue_put_levels(ctx, 1 | (2000u - index) << 16, index, 1);
		return;
	case V_TRUNCATED:
		rogue_put_levels(ctx, 2, 0, 1);
		return;
	case V_PAGE_REFUSED:
		if (index)
			sim_reply_error(ctx, SIM_HARDWARE_ERROR);
		else
			rogue_put_levels(ctx, 1 | 1u << 16, 0, 1);
		return;
	case V_LEVELS_DENIED:
		sim_reply_error(ctx, SIM_DENIED);
		return;
	case V_HUGE_SHORT:
		if (index)
			sim_reply_u32(ctx, 0);
		else
			rogue_put_levels(ctx, 2 | 2000u << 16, 0, 2);
		return;
	default:
		if (index >= 2)
			sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		else
			rogue_put_levels(ctx, 2 - index, index, 2 - index);
	}
}

static void rogue_describe_levels(struct sim_ctx *ctx)
{
	uint32_t dom = sim_req_u32(ctx, 0), index = sim_req_u32(ctx, 4), total, n;

	if (dom >= R_NUM) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	if (dom == R_VICTIM) {
		rogue_victim_levels(ctx, index);
		return;
	}
	total = rogue_count[dom];
	if (index >= total) {
		if (dom == R_MISCOUNT && rogue_end == END_EMPTY)
			sim_reply_u32(ctx, 0);
		else
			sim_reply_error(ctx, dom == R_MISCOUNT ? SIM_INVALID_PARAMETERS
							       : SIM_OUT_OF_RANGE);
		return;
	}
	n = total - index < R_PAGE ? total - index : R_PAGE;
	rogue_put_levels(ctx, n | (total - index - (dom == R_HEALTHY ? n : 0)) << 16, index, n);
}

static void rogue_level_set(struct sim_ctx *ctx)
{
	uint32_t dom = sim_req_u32(ctx, 0);

	if (dom >= R_NUM) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	rogue_level[dom] = sim_req_u32(ctx, 4);
}

static void rogue_level_get(struct sim_ctx *ctx)
{
	uint32_t dom = sim_req_u32(ctx, 0);

	if (dom >= R_NUM) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	sim_reply_u32(ctx, rogue_level[dom]);
}

static void rogue_notify_level(struct sim_ctx *ctx)
{
	uint32_t dom = sim_req_u32(ctx, 0);

	if (dom >= R_NUM) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	sim_notify_request(ctx->sim, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, dom,
			   sim_req_u32(ctx, 4) & 1);
}

static const struct sim_cmd rogue_cmds[] = {
	{MSG_DOMAIN_ATTRIBUTES, 0, 4, rogue_domain_attributes},
	{MSG_DESCRIBE_LEVELS, 0, 8, rogue_describe_levels},
	{MSG_LEVEL_SET, 0, 8, rogue_level_set},
	{MSG_LEVEL_GET, 0, 4, rogue_level_get},
	{MSG_NOTIFY_LEVEL, 0, 8, rogue_notify_level},
};

static const uint32_t rogue_versions[] = {SIM_VERSION(2, 0), 0};

static const struct sim_proto_ops rogue_ops = {
	.id = PERF,
	.name = "rogue-perf",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = SIM_ARRAY_SIZE(rogue_cmds),
	.attributes = rogue_attributes,
};

static struct scmi_handle *rogue_open(struct test_log *lg, enum rogue_end end,
				      enum rogue_victim victim)
{
	rogue_end = end;
	rogue_victim = victim;
	return test_open_model(NULL, lg, &rogue_ops, SIM_VERSION(2, 0));
}

/* Domain @dom of the rogue platform has exactly its levels and works. */
static void expect_rogue_domain(struct scmi_handle *h, uint32_t dom)
{
	const struct scmi_perf_domain_info *d = dom_info(h, dom);
	uint32_t level = 0;

	cr_assert(d->usable, "domain %u", dom);
	cr_assert_eq(d->num_levels, rogue_count[dom], "domain %u", dom);
	for (unsigned int i = 0; i < d->num_levels; i++)
		cr_assert_eq(d->levels[i].perf, 100 * (i + 1), "domain %u level %u", dom, i);
	cr_assert_eq(h->perf_ops->level_set(h, dom, d->levels[d->num_levels - 1].perf), 0);
	cr_assert_eq(h->perf_ops->level_get(h, dom, &level), 0);
	cr_assert_eq(level, d->levels[d->num_levels - 1].perf);
}

Test(perf, miscounted_level_tables)
{
	static const enum rogue_end ends[] = {END_INVALID_PARAMETERS, END_EMPTY};

	for (size_t e = 0; e < SIM_ARRAY_SIZE(ends); e++) {
		static struct test_log
			lg; /* outlives the test: teardown closes h, and close logs */
		struct scmi_handle *h = rogue_open(&lg, ends[e], V_OK);

		cr_assert_eq(h->perf_ops->count_get(h), R_NUM);
		for (uint32_t d = 0; d < R_NUM; d++)
			expect_rogue_domain(h, d);
		cr_assert(test_log_contains(&lg, "inconsistent counts: 13 entries announced, 9 "
						 "listed"),
			  "%s", lg.text);
		cr_assert_not(test_log_contains(&lg, "disabled"), "%s", lg.text);
		scmi_close(h);
	}
}

/* Every way one domain's description can be bad disables it alone: the
 * others work, its ops say -EPROTO, its events are neither enabled nor
 * delivered. */
Test(perf, one_bad_domain_disables_only_it)
{
	static const struct {
		enum rogue_victim victim;
		int err;
		const char *why;
	} cases[] = {
		{V_ATTR_REFUSED, -EACCES, NULL},
		{V_DUP_LEVEL, -EPROTO, "perf: domain 2 lists level 300 twice"},
		{V_NO_LEVELS, -EPROTO, "perf: domain 2: no levels"},
		{V_EMPTY_FIRST, -EPROTO, "perf: domain 2: no levels listed"},
		{V_TOO_MANY, -EPROTO, "2 entries at 1, only 2 announced"},
		{V_TOO_BIG, -EPROTO, "1 entries at 1024, at most 1024 stored"},
		{V_TRUNCATED, -EPROTO, "perf: domain 2: 2 levels in 16 bytes"},
		{V_PAGE_REFUSED, -EREMOTEIO, NULL},
		{V_LEVELS_DENIED, -EACCES, NULL},
	};

	for (size_t c = 0; c < SIM_ARRAY_SIZE(cases); c++) {
		static struct test_log
			lg; /* outlives the test: teardown closes h, and close logs */
		struct scmi_handle *h = rogue_open(&lg, END_INVALID_PARAMETERS, cases[c].victim);
		struct scmi_event_stats es;
		struct catcher ca;
		uint8_t p[12] = {0};
		char line[128];

		catcher_init(&ca);
		cr_assert_eq(h->perf_ops->count_get(h), R_NUM, "case %zu", c);
		snprintf(line, sizeof(line), "perf: domain 2 disabled: %s",
			 scmi_strerror(cases[c].err));
		cr_assert(test_log_contains(&lg, line), "case %zu: want '%s' in\n%s", c, line,
			  lg.text);
		if (cases[c].why)
			cr_assert(test_log_contains(&lg, cases[c].why),
				  "case %zu: want '%s' in\n%s", c, cases[c].why, lg.text);
		expect_disabled(h, R_VICTIM);
		cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, R_VICTIM, &ca), -EPROTO);
		cr_assert_eq(test_notify_enabled(h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, R_VICTIM),
			     0);
		expect_rogue_domain(h, R_HEALTHY);
		expect_rogue_domain(h, R_MISCOUNT);
		/* Listening to every source enables the usable ones only. */
		cr_assert_eq(h->notify_ops->event_notifier_register(
				     h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, NULL, &ca.nb),
			     0);
		cr_assert_eq(
			test_notify_enabled(h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, R_MISCOUNT), 1);
		cr_assert_eq(test_notify_enabled(h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, R_VICTIM),
			     0);
		cr_assert_eq(h->notify_ops->event_notifier_unregister(
				     h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, NULL, &ca.nb),
			     0);
		/* An event naming the disabled domain is dropped; one for a
		 * working domain, sent after it, arrives alone. */
		cr_assert_eq(perf_listen(h, SCMI_EVENT_PERF_LEVEL_CHANGED, R_HEALTHY, &ca), 0);
		scmi_put_le32(p + 4, R_VICTIM);
		scmi_put_le32(p + 8, 100);
		cr_assert_eq(scmi_sim_test_emit_raw(simof(h), PERF, SCMI_EVENT_PERF_LEVEL_CHANGED,
						    p, sizeof(p)),
			     1);
		scmi_put_le32(p + 4, R_HEALTHY);
		cr_assert_eq(scmi_sim_test_emit_raw(simof(h), PERF, SCMI_EVENT_PERF_LEVEL_CHANGED,
						    p, sizeof(p)),
			     1);
		wait_caught(&ca, 1);
		cr_assert_eq(ca.lvl[0].domain_id, R_HEALTHY);
		cr_assert_eq(scmi_event_stats_get(h, PERF, &es), 0);
		cr_assert_eq(es.dropped_malformed, 1);
		cr_assert_eq(ca.n, 1);
		scmi_close(h);
	}
}

Test(perf, agent_reset_restores_boot_state)
{
	struct scmi_handle *h = open_perf("loopback://?versions=perf:1.0");
	struct scmi_sim_perf_domain before = model_dom(h, DOM_LITTLE);

	cr_assert_eq(h->perf_ops->limits_set(h, DOM_LITTLE, 900, 300), 0);
	cr_assert_eq(model_dom(h, DOM_LITTLE).level, 900);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 1, false), 0);
	cr_assert_eq(model_dom(h, DOM_LITTLE).level, before.level);
	cr_assert_eq(model_dom(h, DOM_LITTLE).range_max, before.range_max);
	scmi_close(h);
}

/* Only the levels listed count against SCMI_PERF_MAX_LEVELS: a table that
 * announces more, and ends early, is the domain's. */
Test(perf, huge_announcement_short_table)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_handle *h = rogue_open(&lg, END_EMPTY, V_HUGE_SHORT);

	expect_rogue_domain(h, R_VICTIM);
	cr_assert(test_log_contains(&lg, "2002 entries announced, 2 listed"), "%s", lg.text);
	scmi_close(h);
}

/* ---- non-blocking ops (SCMI_ASYNC()) ------------------------------------------------ */

/* Everything an op of the table below can write. */
struct perf_out {
	const struct scmi_perf_info *pinfo;
	const struct scmi_perf_domain_info *dinfo;
	uint64_t freq;
	uint32_t level;
	uint32_t max, min;
	uint32_t power;
};

static struct scmi_handle *nb_h; /* the handle the cases below use */

#define P_OPS nb_h->perf_ops

static int p_count(struct perf_out *o)
{
	(void)o;
	return P_OPS->count_get(nb_h);
}

static int p_protocol_info(struct perf_out *o)
{
	return P_OPS->protocol_info_get(nb_h, &o->pinfo);
}

static int p_info(struct perf_out *o)
{
	return P_OPS->info_get(nb_h, DOM_BIG, &o->dinfo);
}

static int p_level_set_dsp(struct perf_out *o)
{
	(void)o;
	return P_OPS->level_set(nb_h, DOM_DSP, 800);
}

static int p_level_get_dsp(struct perf_out *o)
{
	return P_OPS->level_get(nb_h, DOM_DSP, &o->level);
}

static int p_limits_get_dsp(struct perf_out *o)
{
	return P_OPS->limits_get(nb_h, DOM_DSP, &o->max, &o->min);
}

static int p_level_set_out_of_range(struct perf_out *o)
{
	(void)o;
	/* Between two of the table's levels: the platform has no such one. */
	return P_OPS->level_set(nb_h, DOM_DSP, 300);
}

static int p_freq_set(struct perf_out *o)
{
	(void)o;
	return P_OPS->freq_set(nb_h, DOM_DSP, 450000000);
}

static int p_freq_get(struct perf_out *o)
{
	return P_OPS->freq_get(nb_h, DOM_DSP, &o->freq);
}

static int p_est_power(struct perf_out *o)
{
	o->freq = 600000000;
	return P_OPS->est_power_get(nb_h, DOM_MIB, &o->freq, &o->power);
}

static int p_level_to_freq(struct perf_out *o)
{
	return P_OPS->level_to_freq(nb_h, DOM_MIB, 25, &o->freq);
}

static int p_level_get_mib(struct perf_out *o)
{
	return P_OPS->level_get(nb_h, DOM_MIB, &o->level);
}

static int p_limits_get_mib(struct perf_out *o)
{
	return P_OPS->limits_get(nb_h, DOM_MIB, &o->max, &o->min);
}

static int p_freq_get_little(struct perf_out *o)
{
	return P_OPS->freq_get(nb_h, DOM_LITTLE, &o->freq);
}

static int p_level_set_npu(struct perf_out *o)
{
	(void)o;
	return P_OPS->level_set(nb_h, DOM_NPU, 200); /* read-only: refused */
}

static int p_level_get_bad_id(struct perf_out *o)
{
	return P_OPS->level_get(nb_h, 6, &o->level);
}

/* Last: on a fastchannel the platform applies them a little later. */
static int p_limits_set_little(struct perf_out *o)
{
	(void)o;
	return P_OPS->limits_set(nb_h, DOM_LITTLE, 1500, 500);
}

static int p_level_set_little(struct perf_out *o)
{
	(void)o;
	return P_OPS->level_set(nb_h, DOM_LITTLE, 700);
}

static const struct {
	const char *name;
	int (*call)(struct perf_out *o);
} perf_cases[] = {
	{"count_get", p_count},
	{"protocol_info_get", p_protocol_info},
	{"info_get", p_info},
	{"level_set", p_level_set_dsp},
	{"level_get", p_level_get_dsp},
	{"limits_get", p_limits_get_dsp},
	{"level_set out of range", p_level_set_out_of_range},
	{"freq_set", p_freq_set},
	{"freq_get", p_freq_get},
	{"est_power_get", p_est_power},
	{"level_to_freq", p_level_to_freq},
	{"level_get indexed", p_level_get_mib},
	{"limits_get indexed", p_limits_get_mib},
	{"freq_get fastchannel", p_freq_get_little},
	{"level_set read-only", p_level_set_npu},
	{"level_get bad id", p_level_get_bad_id},
	{"limits_set", p_limits_set_little},
	{"level_set fastchannel", p_level_set_little},
};

/*
 * Every op, blocking then under SCMI_ASYNC() with the same arguments (each
 * case gives the same answer twice): the callback runs exactly once with
 * the blocking op's result and outputs, after as many messages (none for
 * fastchannels and cached answers); refusals are refused the same way, with
 * no callback.  By message only (1.0), on the scmi-2.0 profile, and with
 * fastchannels where the transport maps them.
 */
Test(perf, every_op_non_blocking)
{
	static const char *const uris[] = {"loopback://", "loopback://?versions=perf:1.0",
					   "loopback://?profile=scmi-2.0"};

	for (size_t u = 0; u < ARRAY_SIZE(uris); u++) {
		struct test_req a[ARRAY_SIZE(perf_cases)] = {0};
		bool platform_error = false;

		nb_h = open_perf(uris[u]);
		for (size_t i = 0; i < ARRAY_SIZE(perf_cases); i++) {
			struct perf_out ob, on;
			uint64_t r0, r1, r2;
			int want, got;

			memset(&ob, 0xa5, sizeof(ob));
			memset(&on, 0xa5, sizeof(on));
			r0 = requests(nb_h);
			want = perf_cases[i].call(&ob);
			r1 = requests(nb_h);
			got = TEST_ASYNC_OUTCOME(nb_h, &a[i], perf_cases[i].call(&on));
			r2 = requests(nb_h);
			cr_assert_eq(got, want, "%s %s: %d, blocking %d", uris[u],
				     perf_cases[i].name, got, want);
			cr_assert_eq(memcmp(&ob, &on, sizeof(ob)), 0, "%s %s: same outputs",
				     uris[u], perf_cases[i].name);
			cr_assert_eq(r2 - r1, r1 - r0, "%s %s: %llu messages, blocking %llu",
				     uris[u], perf_cases[i].name, (unsigned long long)(r2 - r1),
				     (unsigned long long)(r1 - r0));
			platform_error |= want == -ERANGE && r1 > r0;
		}
		cr_assert(platform_error, "%s: a platform error status was compared", uris[u]);
		for (size_t i = 0; i < ARRAY_SIZE(perf_cases); i++)
			cr_assert_leq(atomic_load(&a[i].calls), 1, "%s", perf_cases[i].name);
		cr_assert_eq(scmi_req_outstanding(nb_h), 0);
		scmi_close(nb_h);
		nb_h = NULL;
	}
}

/* The outputs of the non-blocking forms, checked against the platform. */
Test(perf, non_blocking_outputs)
{
	struct perf_out o;
	struct test_req a = {0};

	nb_h = open_perf(NULL);
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_level_set_dsp(&o)), 0);
	cr_assert_eq(model_dom(nb_h, DOM_DSP).level, 800);
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_level_get_dsp(&o)), 0);
	cr_assert_eq(o.level, 800);
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_limits_get_dsp(&o)), 0);
	cr_assert_eq(o.max, 1000);
	cr_assert_eq(o.min, 200);
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_freq_set(&o)), 0, "rounds up to 600 MHz");
	cr_assert_eq(model_dom(nb_h, DOM_DSP).level, 600);
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_freq_get(&o)), 0);
	cr_assert_eq(o.freq, 600000000);
	cr_assert_eq(TEST_ASYNC_OUTCOME(nb_h, &a, p_level_set_out_of_range(&o)), -ERANGE);
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_est_power(&o)), 0);
	cr_assert_eq(o.freq, 800000000);
	cr_assert_eq(o.power, dom_info(nb_h, DOM_MIB)->levels[2].power_cost);
	cr_assert_eq(TEST_ASYNC_REFUSED(nb_h, &a, p_level_get_bad_id(&o)), -EINVAL,
		     "refused, not submitted");
	cr_assert_eq(atomic_load(&a.calls), 0);
	scmi_close(nb_h);
	nb_h = NULL;
}

/* Through fastchannels the non-blocking forms complete without a message. */
Test(perf, non_blocking_fastchannels)
{
	struct perf_out o;
	struct level_wait w;
	struct test_req a = {0};
	uint64_t r, f;

	nb_h = open_perf(NULL);
	test_need_window();
	cr_assert(dom_info(nb_h, DOM_LITTLE)->fc[SCMI_PERF_FC_LEVEL_SET].mapped);
	r = requests(nb_h);
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_level_set_little(&o)), 0);
	w = (struct level_wait){nb_h, DOM_LITTLE, 700, 0, 0};
	cr_assert(test_wait_until(model_reached, &w, 5000));
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_freq_get_little(&o)), 0, "through the get channel");
	cr_assert_eq(nb_h->perf_ops->level_to_freq(nb_h, DOM_LITTLE, 700, &f), 0);
	cr_assert_eq(o.freq, f);
	cr_assert_eq(TEST_ASYNC(nb_h, &a, p_limits_set_little(&o)), 0);
	w = (struct level_wait){nb_h, DOM_LITTLE, 0, 1500, 500};
	cr_assert(test_wait_until(model_reached, &w, 5000));
	cr_assert_eq(requests(nb_h), r, "no message sent");
	cr_assert_eq(perf_stats(nb_h).fc_level_sets, 1);
	cr_assert_eq(perf_stats(nb_h).fc_limits_sets, 1);
	scmi_close(nb_h);
	nb_h = NULL;
}

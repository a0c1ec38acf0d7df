// SPDX-License-Identifier: BSD-3-Clause
/*
 * Clock protocol (0x14): discovery equals the simulator's model, every
 * command's happy and error paths, multi-part walks, async RATE_SET,
 * notifications and malformed platform replies, against clock 3.0 (the
 * "newest" profile), 2.0 (versions=clock:2.0) and 1.0 (the "scmi-2.0"
 * profile).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

#include "../sim/sim-internal.h"

#define CLK 0x14

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Clocks of the simulator's default platform (scmi-sim/clock.h). */
#define C_CPU	0u
#define C_GPU	1u
#define C_PIXEL 2u
#define C_UART	3u
#define C_OSC	4u
#define C_PLL	5u
#define C_AUDIO 6u
#define C_MUX	7u
#define C_SDMMC 8u
#define C_NUM	9u

#define MSG_ATTRIBUTES	     0x3
#define MSG_DESCRIBE_RATES   0x4
#define MSG_RATE_SET	     0x5
#define MSG_RATE_GET	     0x6
#define MSG_CONFIG_SET	     0x7
#define MSG_NAME_GET	     0x8
#define MSG_CONFIG_GET	     0xB
#define MSG_POSSIBLE_PARENTS 0xC
#define MSG_GET_PERMISSIONS  0xF

#define URI_V3 "loopback://"
#define URI_V2 "loopback://?versions=clock:2.0"
#define URI_V1 "loopback://?profile=scmi-2.0"

static const char *const all_uris[] = {URI_V3, URI_V2, URI_V1};

static struct scmi_handle *h;
/* The simulator, looked up at each use: a test skips there on a transport
 * without one (helpers.h, test_sim()). */
#define sim test_sim(h)
static const struct scmi_clock_ops *ops;

static void open_uri(const char *uri, const struct scmi_config *cfg)
{
	h = test_open(uri, cfg);
	ops = h->clock_ops;
	cr_assert_not_null(ops, "%s: clock ops", uri);
}

static void close_h(void)
{
	scmi_close(h);
	h = NULL;
	ops = NULL;
}

static uint32_t clock_version(void)
{
	uint32_t v = 0;

	cr_assert_eq(scmi_sim_protocol_version_get(test_model(h), CLK, &v), 0);
	return v;
}

static uint64_t sim_requests(void)
{
	return test_requests(h);
}

static struct scmi_sim_clock_info model(uint32_t id)
{
	struct scmi_sim_clock_info mi;

	cr_assert_eq(test_clock_info(h, id, &mi), 0, "model of clock %u", id);
	return mi;
}

/* Clock @id as the platform describes it (test_model(): on any transport). */
static struct scmi_sim_clock_info model_desc(uint32_t id)
{
	struct scmi_sim_clock_info mi;

	cr_assert_eq(scmi_sim_clock_info_get(test_model(h), id, &mi), 0, "model of clock %u", id);
	return mi;
}

static void rate_is(uint32_t id, uint64_t want);
static bool state(uint32_t id);

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Count the responses to one clock message from now on: a DELAY fault knob
 * of 1 µs matches (and counts) each of them without changing anything the
 * tests look at.
 */
static void count_msg(int msg)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DELAY,
		.every = 1,
		.protocol = CLK,
		.message = msg,
		.param = 1,
	};

	test_fault_clear(h);
	cr_assert_eq(test_fault_add(h, &f), 0);
}

static uint64_t counted(void)
{
	return test_fault_hits(h, SCMI_SIM_FAULT_DELAY);
}

static void arm_bad_length(int msg, int64_t delta, bool notifications)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.every = 1,
		.count = 1,
		.protocol = CLK,
		.message = msg,
		.param = delta,
		.notifications = notifications,
	};

	cr_assert_eq(test_fault_add(h, &f), 0);
}

/* ---- discovery ------------------------------------------------------------ */

static void check_clock(uint32_t id, uint32_t version)
{
	struct scmi_sim_clock_info mi = model_desc(id);
	const struct scmi_clock_info *ci;
	uint64_t *rates;
	int n;

	cr_assert_eq(ops->info_get(h, id, &ci), 0, "clock %u", id);
	cr_assert_eq(ci->id, id);
	if (version >= SCMI_PROTO_VERSION(2, 0))
		cr_assert_str_eq(ci->name, mi.name);
	else /* a full 16-byte short field keeps 15 characters (§5) */
		cr_assert_eq(strncmp(ci->name, mi.name, SCMI_SHORT_NAME_MAX_SIZE - 1), 0,
			     "short name '%s' of '%s'", ci->name, mi.name);
	if (version < SCMI_PROTO_VERSION(2, 0))
		cr_assert_leq(strlen(ci->name), SCMI_SHORT_NAME_MAX_SIZE - 1);
	cr_assert_eq(ci->rates_err, 0);
	cr_assert_eq(ci->rate_discrete, !mi.range, "clock %u format", id);
	cr_assert_eq(ci->min_rate, mi.min_rate, "clock %u min", id);
	cr_assert_eq(ci->max_rate, mi.max_rate, "clock %u max", id);
	if (mi.range) {
		cr_assert_eq(ci->range.min_rate, mi.min_rate);
		cr_assert_eq(ci->range.max_rate, mi.max_rate);
		cr_assert_eq(ci->range.step_size, mi.step);
		cr_assert_eq(ci->num_rates, 0);
	} else {
		n = scmi_sim_clock_rates_get(test_model(h), id, NULL, 0);
		cr_assert_gt(n, 0);
		rates = calloc((size_t)n, sizeof(*rates));
		cr_assert_not_null(rates);
		cr_assert_eq(scmi_sim_clock_rates_get(test_model(h), id, rates, (size_t)n), n);
		cr_assert_eq(ci->num_rates, (unsigned int)n, "clock %u: %u rates, model %d", id,
			     ci->num_rates, n);
		qsort(rates, (size_t)n, sizeof(rates[0]), cmp_u64);
		for (int i = 0; i < n; i++)
			cr_assert_eq(ci->rates[i], rates[i], "clock %u rate %d", id, i);
		free(rates);
	}
	if (version >= SCMI_PROTO_VERSION(2, 0)) {
		cr_assert_eq(ci->enable_latency_us, mi.enable_latency_us, "clock %u latency", id);
		cr_assert_eq(ci->rate_changed_notifications, mi.notify_rate_changed);
		cr_assert_eq(ci->rate_change_requested_notifications,
			     mi.notify_rate_change_requested);
	} else {
		cr_assert_eq(ci->enable_latency_us, 0);
		cr_assert_not(ci->rate_changed_notifications);
		cr_assert_not(ci->rate_change_requested_notifications);
	}
	if (version >= SCMI_PROTO_VERSION(3, 0)) {
		cr_assert_eq(ci->parent_support, mi.num_parents > 0, "clock %u parents", id);
		cr_assert_eq(ci->num_parents, mi.num_parents);
		for (uint32_t i = 0; i < mi.num_parents; i++)
			cr_assert_eq(ci->parents[i], mi.parents[i]);
		cr_assert_eq(ci->extended_config, mi.oem_config);
		cr_assert_eq(ci->restricted, mi.restricted);
	} else {
		cr_assert_not(ci->parent_support);
		cr_assert_eq(ci->num_parents, 0);
		cr_assert_not(ci->extended_config);
		cr_assert_not(ci->restricted);
	}
}

static void check_discovery(void)
{
	uint32_t version = clock_version();
	int n = scmi_sim_clock_count(test_model(h));

	cr_assert_eq(ops->count_get(h), n);
	for (uint32_t id = 0; id < (uint32_t)n; id++)
		check_clock(id, version);
}

Test(clock, discovery_equals_model)
{
	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		open_uri(all_uris[i], NULL);
		check_discovery();
		close_h();
	}
}

Test(clock, discovery_versions)
{
	open_uri(URI_V1, NULL);
	cr_assert_eq(clock_version(), SCMI_PROTO_VERSION(1, 0));
	cr_assert_eq(ops->count_get(h), C_NUM);
	close_h();
	open_uri(URI_V3, NULL);
	cr_assert_eq(clock_version(), SCMI_PROTO_VERSION(3, 0));
	close_h();
}

/* A platform newer than 3.0: same major negotiates down, a new major goes on
 * with our layouts and a warning. */
Test(clock, negotiation)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;

	test_log_init(&lg);
	cfg = test_config(&lg);
	open_uri("loopback://?versions=clock:3.1", &cfg);
	check_discovery();
	cr_assert(test_log_contains(&lg, "clock: negotiated version 0x30000"), "%s", lg.text);
	cr_assert_eq(ops->disable(h, C_CPU), 0, "3.0 CONFIG_SET layout accepted");
	cr_assert_not(model(C_CPU).enabled);
	close_h();

	test_log_init(&lg);
	cfg = test_config(&lg);
	open_uri("loopback://?versions=clock:4.0", &cfg);
	check_discovery();
	cr_assert(test_log_contains(&lg, "compatibility not assured"), "%s", lg.text);
	close_h();
}

/* BASE_RESET_AGENT_CONFIGURATION undoes this agent's clock settings. */
Test(clock, agent_reset_restores_boot_settings)
{
	struct scmi_sim_base_info bi;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->rate_set(h, C_CPU, 2000000000ull, 0, NULL), 0);
	cr_assert_eq(ops->disable(h, C_GPU), 0);
	cr_assert_eq(ops->parent_set(h, C_MUX, C_PLL), 0);
	scmi_sim_base_info_get(sim, &bi);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, bi.agent_id, false), 0);
	rate_is(C_CPU, 1000000000ull);
	cr_assert(state(C_GPU));
	cr_assert_eq(model(C_MUX).parent, C_OSC);
	close_h();
}

/* The cache answers repeated queries: nothing is sent after bring-up. */
Test(clock, discovery_cached)
{
	const struct scmi_clock_info *ci;
	uint64_t before;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->count_get(h), C_NUM);
	before = sim_requests();
	for (int round = 0; round < 3; round++) {
		cr_assert_eq(ops->count_get(h), C_NUM);
		for (uint32_t id = 0; id < C_NUM; id++)
			cr_assert_eq(ops->info_get(h, id, &ci), 0);
	}
	cr_assert_eq(sim_requests(), before, "no re-enumeration");
	close_h();
}

/* Names longer than 15 characters come from CLOCK_NAME_GET (2.0+). */
Test(clock, extended_names)
{
	const struct scmi_clock_info *ci;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->info_get(h, C_PIXEL, &ci), 0);
	cr_assert_str_eq(ci->name, "display_pixel_clock_main");
	cr_assert_eq(ops->info_get(h, C_SDMMC, &ci), 0);
	cr_assert_str_eq(ci->name, "sdmmc_card_clock_for_slot0");
	close_h();

	/* 1.0 has no CLOCK_NAME_GET: the short name, 15 characters of a full
	 * 16-byte field (§5). */
	open_uri(URI_V1, NULL);
	cr_assert_eq(ops->info_get(h, C_PIXEL, &ci), 0);
	cr_assert_str_eq(ci->name, "display_pixel_c");
	close_h();
}

/* A failing CLOCK_NAME_GET keeps the short name; discovery goes on. */
Test(clock, extended_name_failure_keeps_short_name)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	const struct scmi_clock_info *ci;

	test_log_init(&lg);
	cfg = test_config(&lg);
	open_uri(URI_V3, &cfg);
	/* flags word only: shorter than a name reply. */
	arm_bad_length(MSG_NAME_GET, -64, false);
	cr_assert_eq(ops->info_get(h, C_PIXEL, &ci), 0);
	cr_assert_str_eq(ci->name, "display_pixel_c");
	cr_assert(test_log_contains(&lg, "keeping short name"), "%s", lg.text);
	cr_assert_eq(ops->info_get(h, C_SDMMC, &ci), 0);
	cr_assert_str_eq(ci->name, "sdmmc_card_clock_for_slot0", "only one reply was cut");
	close_h();
}

/* ---- multi-part enumerations ----------------------------------------------- */

/* DESCRIBE_RATES messages the walk of the default platform needs with
 * @per rates per reply. */
static uint64_t describe_rates_msgs(unsigned int per)
{
	uint64_t msgs = 0;

	for (uint32_t id = 0; id < C_NUM; id++) {
		struct scmi_sim_clock_info mi = model(id);

		if (mi.range || !mi.num_rates)
			msgs++;
		else
			msgs += (mi.num_rates + per - 1) / per;
	}
	return msgs;
}

Test(clock, rates_multipart_default_size)
{
	const struct scmi_clock_info *ci;

	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		open_uri(all_uris[i], NULL);
		count_msg(MSG_DESCRIBE_RATES);
		check_discovery();
		cr_assert_eq(ops->info_get(h, C_CPU, &ci), 0);
		cr_assert_eq(ci->num_rates, 24, "more rates than one 128-byte reply holds");
		/* (128 - 4) / 8 = 15 rates per reply: cpu_cluster0 takes two. */
		cr_assert_eq(counted(), describe_rates_msgs(15), "%s", all_uris[i]);
		close_h();
	}
}

Test(clock, rates_multipart_small_pages)
{
	static const char *const uris[] = {
		"loopback://?max_list_items=5",
		"loopback://?max_list_items=5&versions=clock:2.0",
		"loopback://?max_list_items=5&profile=scmi-2.0",
	};

	for (size_t i = 0; i < N_ELEM(uris); i++) {
		open_uri(uris[i], NULL);
		count_msg(MSG_DESCRIBE_RATES);
		check_discovery();
		cr_assert_eq(counted(), describe_rates_msgs(5), "%s", uris[i]);
		close_h();
	}
}

/* Every rate is kept (no 16-rate cap), sorted, whatever order they came in. */
Test(clock, rates_long_unsorted_list)
{
	uint64_t rates[300];
	const struct scmi_clock_info *ci;

	open_uri(URI_V3, NULL);
	for (int i = 0; i < 300; i++)
		rates[i] = 1000000ull * (uint64_t)((i * 7919) % 300 + 1); /* a permutation */
	cr_assert_eq(scmi_sim_clock_rates_set(sim, C_AUDIO, rates, 300), 0);
	count_msg(MSG_DESCRIBE_RATES);
	cr_assert_eq(ops->info_get(h, C_AUDIO, &ci), 0);
	cr_assert_eq(ci->num_rates, 300);
	for (unsigned int i = 0; i < 300; i++)
		cr_assert_eq(ci->rates[i], 1000000ull * (i + 1), "rate %u", i);
	cr_assert_eq(ci->min_rate, 1000000ull);
	cr_assert_eq(ci->max_rate, 300000000ull);
	check_clock(C_AUDIO, clock_version());
	close_h();
}

/* More than SCMI_CLOCK_MAX_RATES: that clock's table is unknown, the rest of
 * the platform works. */
Test(clock, rates_above_cap)
{
	size_t n = SCMI_CLOCK_MAX_RATES + 1;
	uint64_t *rates = calloc(n, sizeof(*rates)), rate;
	const struct scmi_clock_info *ci;

	cr_assert_not_null(rates);
	open_uri(URI_V3, NULL);
	for (size_t i = 0; i < n; i++)
		rates[i] = 1000 + i;
	cr_assert_eq(scmi_sim_clock_rates_set(sim, C_AUDIO, rates, n), 0);
	free(rates);
	cr_assert_eq(ops->info_get(h, C_AUDIO, &ci), 0);
	cr_assert_eq(ci->rates_err, -E2BIG);
	cr_assert_eq(ci->num_rates, 0);
	cr_assert_null(ci->rates);
	cr_assert_eq(ops->rate_get(h, C_AUDIO, &rate), 0);
	cr_assert_eq(rate, 1000);
	cr_assert_eq(ops->rate_set(h, C_AUDIO, 1500, 0, NULL), 0);
	cr_assert_eq(model(C_AUDIO).rate, 1500);
	check_clock(C_CPU, clock_version());
	close_h();
}

/* Exactly the cap is still stored whole. */
Test(clock, rates_at_cap)
{
	size_t n = SCMI_CLOCK_MAX_RATES;
	uint64_t *rates = calloc(n, sizeof(*rates));
	const struct scmi_clock_info *ci;

	cr_assert_not_null(rates);
	open_uri("loopback://?max_msg_size=1024", NULL);
	for (size_t i = 0; i < n; i++)
		rates[i] = (uint64_t)(n - i) * 1000u;
	cr_assert_eq(scmi_sim_clock_rates_set(sim, C_AUDIO, rates, n), 0);
	free(rates);
	cr_assert_eq(ops->info_get(h, C_AUDIO, &ci), 0);
	cr_assert_eq(ci->rates_err, 0);
	cr_assert_eq(ci->num_rates, n);
	cr_assert_eq(ci->rates[0], 1000u);
	cr_assert_eq(ci->rates[n - 1], (uint64_t)n * 1000u);
	close_h();
}

Test(clock, parents_multipart)
{
	const struct scmi_clock_info *ci;

	open_uri("loopback://?max_list_items=2", NULL);
	count_msg(MSG_POSSIBLE_PARENTS);
	check_discovery();
	/* periph_mux: 3 parents in pages of 2; sdmmc: 2 in one. */
	cr_assert_eq(counted(), 3);
	cr_assert_eq(ops->info_get(h, C_MUX, &ci), 0);
	cr_assert_eq(ci->num_parents, 3);
	cr_assert_eq(ci->parents[0], C_OSC);
	cr_assert_eq(ci->parents[2], C_AUDIO);
	close_h();
}

/* ---- rates -------------------------------------------------------------------- */

static void rate_is(uint32_t id, uint64_t want)
{
	uint64_t rate = 0;

	cr_assert_eq(ops->rate_get(h, id, &rate), 0);
	cr_assert_eq(rate, want, "clock %u: %llu, want %llu", id, (unsigned long long)rate,
		     (unsigned long long)want);
	cr_assert_eq(model(id).rate, want);
}

Test(clock, rate_get_set)
{
	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		open_uri(all_uris[i], NULL);
		rate_is(C_CPU, model(C_CPU).rate);
		cr_assert_eq(ops->rate_set(h, C_CPU, 1500000000ull, 0, NULL), 0);
		rate_is(C_CPU, 1500000000ull);
		/* Above 32 bits: both words of the rate travel. */
		cr_assert_eq(ops->rate_set(h, C_PLL, 4500000000ull, 0, NULL), 0);
		rate_is(C_PLL, 4500000000ull);
		cr_assert_eq(ops->rate_set(h, C_GPU, 333000000ull, 0, NULL), 0);
		rate_is(C_GPU, 333000000ull);
		close_h();
	}
}

Test(clock, rate_set_rounding)
{
	uint64_t actual = 1;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->rate_set(h, C_CPU, 1234567890ull, 0, &actual), 0);
	cr_assert_eq(actual, 0, "a synchronous set reports no rate");
	rate_is(C_CPU, 1200000000ull);
	cr_assert_eq(ops->rate_set(h, C_CPU, 1234567890ull, SCMI_CLOCK_RATE_ROUND_UP, NULL), 0);
	rate_is(C_CPU, 1300000000ull);
	cr_assert_eq(ops->rate_set(h, C_CPU, 1260000000ull, SCMI_CLOCK_RATE_ROUND_CLOSEST, NULL),
		     0);
	rate_is(C_CPU, 1300000000ull);
	cr_assert_eq(ops->rate_set(h, C_GPU, 123456789ull, 0, NULL), 0);
	rate_is(C_GPU, 123000000ull);
	cr_assert_eq(ops->rate_set(h, C_GPU, 123456789ull, SCMI_CLOCK_RATE_ROUND_UP, NULL), 0);
	rate_is(C_GPU, 124000000ull);
	close_h();
}

Test(clock, rate_errors)
{
	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		uint64_t before, rate;

		open_uri(all_uris[i], NULL);
		/* Platform refusals: mapped, raw status kept, model unchanged. */
		/* A rate outside the clock's: INVALID_PARAMETERS, as SCP. */
		cr_assert_eq(ops->rate_set(h, C_CPU, 100000000ull, 0, NULL), -EINVAL);
		cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
		cr_assert_eq(ops->rate_set(h, C_GPU, 2000000000ull, 0, NULL), -EINVAL);
		cr_assert_eq(ops->rate_set(h, C_UART, 3686400, 0, NULL), -EACCES,
			     "rate control denied to this agent");
		cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
		cr_assert_eq(model(C_UART).rate, 1843200);

		/* Local refusals: nothing sent. */
		before = sim_requests();
		cr_assert_eq(ops->rate_set(h, C_NUM, 1000, 0, NULL), -EINVAL);
		cr_assert_eq(ops->rate_get(h, C_NUM, &rate), -EINVAL);
		cr_assert_eq(ops->rate_get(h, C_CPU, NULL), -EINVAL);
		cr_assert_eq(ops->rate_set(h, C_CPU, 1000, 1u << 4, NULL), -EINVAL);
		cr_assert_eq(ops->rate_set(h, C_CPU, 1000, SCMI_CLOCK_RATE_NO_WAIT, NULL), -EINVAL);
		cr_assert_eq(ops->rate_set(h, C_CPU, 1000,
					   SCMI_CLOCK_RATE_ROUND_UP | SCMI_CLOCK_RATE_ROUND_CLOSEST,
					   NULL),
			     -EINVAL);
		cr_assert_eq(sim_requests(), before, "%s: nothing sent", all_uris[i]);
		close_h();
	}
}

/* ---- async RATE_SET ------------------------------------------------------------- */

static uint64_t delayed_responses(void)
{
	struct scmi_stats st;

	scmi_stats_get(h, &st);
	return st.delayed_responses;
}

static struct scmi_sim_clock_stats clock_stats(void)
{
	struct scmi_sim_clock_stats st;

	cr_assert_eq(scmi_sim_clock_stats_get(sim, &st), 0);
	return st;
}

Test(clock, rate_set_async)
{
	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		uint64_t actual = 0, dresp;

		open_uri(all_uris[i], NULL);
		cr_assert_eq(ops->count_get(h), C_NUM);
		dresp = delayed_responses();
		cr_assert_eq(ops->rate_set(h, C_CPU, 1777000000ull,
					   SCMI_CLOCK_RATE_ASYNC | SCMI_CLOCK_RATE_ROUND_UP,
					   &actual),
			     0);
		cr_assert_eq(actual, 1800000000ull, "the delayed response reports the rate");
		cr_assert_eq(delayed_responses(), dresp + 1);
		cr_assert_eq(clock_stats().async_rate_sets, 1);
		rate_is(C_CPU, 1800000000ull);
		/* Refused before any delayed response: the response's status. */
		cr_assert_eq(ops->rate_set(h, C_UART, 3686400, SCMI_CLOCK_RATE_ASYNC, NULL),
			     -EACCES);
		cr_assert_eq(ops->rate_set(h, C_CPU, 1, SCMI_CLOCK_RATE_ASYNC, NULL), -EINVAL);
		cr_assert_eq(delayed_responses(), dresp + 1);
		close_h();
	}
}

Test(clock, rate_set_async_no_wait)
{
	uint64_t actual = 1, dresp;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->count_get(h), C_NUM);
	dresp = delayed_responses();
	cr_assert_eq(ops->rate_set(h, C_GPU, 700000000ull,
				   SCMI_CLOCK_RATE_ASYNC | SCMI_CLOCK_RATE_NO_WAIT, &actual),
		     0);
	cr_assert_eq(actual, 0);
	cr_assert_eq(clock_stats().async_rate_sets, 1, "sent as async");
	rate_is(C_GPU, 700000000ull);
	cr_assert_eq(delayed_responses(), dresp, "no delayed response asked for");
	close_h();
}

/* A platform without async RATE_SET: the flag falls back to a sync command. */
Test(clock, rate_set_async_fallback_when_unsupported)
{
	uint64_t actual = 1;

	open_uri(URI_V3, NULL);
	cr_assert_eq(scmi_sim_clock_max_async_set(sim, 0), 0);
	cr_assert_eq(ops->rate_set(h, C_CPU, 800000000ull, SCMI_CLOCK_RATE_ASYNC, &actual), 0);
	cr_assert_eq(actual, 0);
	cr_assert_eq(clock_stats().async_rate_sets, 0);
	cr_assert_eq(clock_stats().rate_sets, 1);
	cr_assert_eq(delayed_responses(), 0);
	rate_is(C_CPU, 800000000ull);
	close_h();
}

struct async_worker {
	pthread_barrier_t *barrier;
	uint32_t clk;
	uint64_t rate;
	int ret;
};

static void *async_worker_run(void *arg)
{
	struct async_worker *w = arg;

	pthread_barrier_wait(w->barrier);
	w->ret = ops->rate_set(h, w->clk, w->rate, SCMI_CLOCK_RATE_ASYNC, NULL);
	return NULL;
}

/* Never more async requests in flight than the platform advertises: the
 * surplus goes synchronous instead of being refused BUSY. */
Test(clock, rate_set_async_limit)
{
	static const uint32_t clks[] = {C_CPU, C_GPU, C_PLL, C_MUX};
	struct async_worker w[4];
	pthread_t th[4];
	pthread_barrier_t barrier;
	struct scmi_sim_clock_stats st;

	open_uri(URI_V3, NULL);
	cr_assert_eq(scmi_sim_clock_max_async_set(sim, 2), 0);
	cr_assert_eq(scmi_sim_clock_async_delay_set(sim, 400000), 0);
	cr_assert_eq(ops->count_get(h), C_NUM);
	pthread_barrier_init(&barrier, NULL, 4);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct async_worker){&barrier, clks[i], model(clks[i]).max_rate, -1};
		pthread_create(&th[i], NULL, async_worker_run, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(w[i].ret, 0, "worker %d: %d", i, w[i].ret);
		rate_is(clks[i], w[i].rate);
	}
	pthread_barrier_destroy(&barrier);
	st = clock_stats();
	cr_assert_eq(st.async_busy, 0);
	cr_assert_leq(st.async_peak, 2);
	cr_assert_eq(st.rate_sets, 4);
	cr_assert_geq(st.async_rate_sets, 1);
	cr_assert_lt(st.async_rate_sets, 4, "some went synchronous");
	cr_assert_eq(delayed_responses(), st.async_rate_sets);
	close_h();
}

Test(clock, rate_set_async_bad_delayed_response)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;

	test_log_init(&lg);
	cfg = test_config(&lg);
	open_uri(URI_V3, &cfg);
	cr_assert_eq(scmi_sim_clock_dresp_fault_set(sim, SCMI_SIM_CLOCK_DRESP_WRONG_ID), 0);
	cr_assert_eq(ops->rate_set(h, C_CPU, 900000000ull, SCMI_CLOCK_RATE_ASYNC, NULL), -EPROTO);
	cr_assert(test_log_contains(&lg, "delayed RATE_SET response for clock 1, not 0"), "%s",
		  lg.text);
	cr_assert_eq(scmi_sim_clock_dresp_fault_set(sim, SCMI_SIM_CLOCK_DRESP_SHORT), 0);
	cr_assert_eq(ops->rate_set(h, C_CPU, 1000000000ull, SCMI_CLOCK_RATE_ASYNC, NULL), -EPROTO);
	/* The slots were given back: async still works. */
	cr_assert_eq(ops->rate_set(h, C_CPU, 1100000000ull, SCMI_CLOCK_RATE_ASYNC, NULL), 0);
	cr_assert_eq(clock_stats().async_rate_sets, 3);
	rate_is(C_CPU, 1100000000ull);
	close_h();
}

/* ---- gating ------------------------------------------------------------------- */

static bool state(uint32_t id)
{
	bool on = false;

	cr_assert_eq(ops->state_get(h, id, &on), 0);
	cr_assert_eq(on, model(id).enabled, "clock %u agent and model agree", id);
	return on;
}

Test(clock, enable_disable)
{
	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		bool v3;

		open_uri(all_uris[i], NULL);
		v3 = clock_version() >= SCMI_PROTO_VERSION(3, 0);
		cr_assert(state(C_CPU));
		cr_assert_eq(ops->disable(h, C_CPU), 0, "%s", all_uris[i]);
		/* 3.0 reads CONFIG_GET; before, the attributes' enabled bit. */
		count_msg(v3 ? MSG_CONFIG_GET : MSG_ATTRIBUTES);
		cr_assert_not(state(C_CPU));
		cr_assert_eq(counted(), 1);
		cr_assert_eq(ops->enable(h, C_CPU), 0);
		cr_assert(state(C_CPU));
		cr_assert_not(state(C_PIXEL));
		cr_assert_eq(ops->enable(h, C_PIXEL), 0);
		cr_assert(state(C_PIXEL));
		/* The platform gates it behind our back: read fresh, not cached. */
		cr_assert_eq(scmi_sim_clock_enabled_set(sim, C_PIXEL, false), 0);
		cr_assert_not(state(C_PIXEL));
		cr_assert_eq(clock_stats().config_sets, 3);
		close_h();
	}
}

Test(clock, enable_disable_errors)
{
	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		uint64_t before;
		bool on;

		open_uri(all_uris[i], NULL);
		cr_assert_eq(ops->disable(h, C_OSC), -EACCES, "osc_24m may not be gated");
		cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
		cr_assert(model(C_OSC).enabled);
		before = sim_requests();
		cr_assert_eq(ops->enable(h, C_NUM), -EINVAL);
		cr_assert_eq(ops->disable(h, 1000), -EINVAL);
		cr_assert_eq(ops->state_get(h, C_NUM, &on), -EINVAL);
		cr_assert_eq(ops->state_get(h, C_CPU, NULL), -EINVAL);
		cr_assert_eq(sim_requests(), before);
		close_h();
	}
}

/* ---- OEM config, parents, permissions (3.0) ------------------------------------- */

Test(clock, oem_config)
{
	uint32_t value = 0;
	bool on = false;
	uint64_t before;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->config_oem_get(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, &value, &on), 0);
	cr_assert_eq(value, model(C_MUX).duty_cycle);
	cr_assert(on);
	cr_assert_eq(ops->config_oem_set(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, 25), 0);
	cr_assert_eq(model(C_MUX).duty_cycle, 25);
	cr_assert(model(C_MUX).enabled, "state left unchanged");
	cr_assert_eq(ops->config_oem_set(h, C_SDMMC, SCMI_CLOCK_CFG_PHASE, 90), 0);
	cr_assert_not(model(C_SDMMC).enabled, "state left unchanged");
	cr_assert_eq(ops->config_oem_get(h, C_SDMMC, SCMI_CLOCK_CFG_PHASE, &value, &on), 0);
	cr_assert_eq(value, 90);
	cr_assert_not(on);
	cr_assert_eq(ops->config_oem_get(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, &value, NULL), 0);
	cr_assert_eq(value, 25);

	/* Platform refusals. */
	cr_assert_eq(ops->config_oem_set(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, 150), -ERANGE);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_OUT_OF_RANGE);
	cr_assert_eq(ops->config_oem_set(h, C_MUX, 0x80, 1), -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(ops->config_oem_get(h, C_MUX, 0x81, &value, NULL), -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);

	/* Local refusals. */
	before = sim_requests();
	cr_assert_eq(ops->config_oem_set(h, C_CPU, SCMI_CLOCK_CFG_DUTY_CYCLE, 50), -EOPNOTSUPP,
		     "no extended config on cpu_cluster0");
	cr_assert_eq(ops->config_oem_get(h, C_CPU, SCMI_CLOCK_CFG_PHASE, &value, NULL),
		     -EOPNOTSUPP);
	cr_assert_eq(ops->config_oem_set(h, C_MUX, 0, 50), -EINVAL);
	cr_assert_eq(ops->config_oem_get(h, C_MUX, SCMI_CLOCK_CFG_PHASE, NULL, NULL), -EINVAL);
	cr_assert_eq(ops->config_oem_get(h, C_NUM, SCMI_CLOCK_CFG_PHASE, &value, NULL), -EINVAL);
	cr_assert_eq(sim_requests(), before);
	close_h();
}

Test(clock, oem_config_before_v3)
{
	static const char *const uris[] = {URI_V2, URI_V1};
	uint32_t value;

	for (size_t i = 0; i < N_ELEM(uris); i++) {
		uint64_t before;

		open_uri(uris[i], NULL);
		cr_assert_eq(ops->count_get(h), C_NUM);
		before = sim_requests();
		cr_assert_eq(ops->config_oem_set(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, 25),
			     -EOPNOTSUPP);
		cr_assert_eq(ops->config_oem_get(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, &value, NULL),
			     -EOPNOTSUPP);
		cr_assert_eq(sim_requests(), before);
		close_h();
	}
}

Test(clock, parents)
{
	uint32_t parent = 99;
	uint64_t before;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->parent_get(h, C_MUX, &parent), 0);
	cr_assert_eq(parent, model(C_MUX).parent);
	cr_assert_eq(ops->parent_set(h, C_MUX, C_PLL), 0);
	cr_assert_eq(model(C_MUX).parent, C_PLL);
	cr_assert_eq(ops->parent_get(h, C_MUX, &parent), 0);
	cr_assert_eq(parent, C_PLL);
	rate_is(C_MUX, model(C_PLL).rate); /* a mux follows its parent */

	scmi_sim_clock_permissions_set(sim, C_MUX, true, true, false);
	cr_assert_eq(ops->parent_set(h, C_MUX, C_AUDIO), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_eq(model(C_MUX).parent, C_PLL);

	before = sim_requests();
	cr_assert_eq(ops->parent_set(h, C_MUX, C_CPU), -EINVAL, "not a possible parent");
	cr_assert_eq(ops->parent_set(h, C_MUX, C_NUM), -EINVAL);
	cr_assert_eq(ops->parent_set(h, C_CPU, C_OSC), -EOPNOTSUPP, "no parent support");
	cr_assert_eq(ops->parent_get(h, C_CPU, &parent), -EOPNOTSUPP);
	cr_assert_eq(ops->parent_get(h, C_MUX, NULL), -EINVAL);
	cr_assert_eq(ops->parent_get(h, C_NUM, &parent), -EINVAL);
	cr_assert_eq(sim_requests(), before);
	close_h();

	for (size_t i = 1; i < N_ELEM(all_uris); i++) {
		open_uri(all_uris[i], NULL);
		cr_assert_eq(ops->count_get(h), C_NUM);
		before = sim_requests();
		cr_assert_eq(ops->parent_get(h, C_MUX, &parent), -EOPNOTSUPP);
		cr_assert_eq(ops->parent_set(h, C_MUX, C_PLL), -EOPNOTSUPP);
		cr_assert_eq(sim_requests(), before);
		close_h();
	}
}

Test(clock, permissions)
{
	struct scmi_clock_permissions p;
	uint64_t before;

	open_uri(URI_V3, NULL);
	count_msg(MSG_GET_PERMISSIONS);
	cr_assert_eq(ops->permissions_get(h, C_UART, &p), 0);
	cr_assert(p.state_control);
	cr_assert_not(p.rate_control);
	cr_assert(p.parent_control);
	cr_assert_eq(ops->permissions_get(h, C_OSC, &p), 0);
	cr_assert_not(p.state_control || p.rate_control || p.parent_control);
	cr_assert_eq(counted(), 2);
	/* An unrestricted clock: everything allowed, nothing asked. */
	before = sim_requests();
	cr_assert_eq(ops->permissions_get(h, C_CPU, &p), 0);
	cr_assert(p.state_control && p.rate_control && p.parent_control);
	cr_assert_eq(ops->permissions_get(h, C_CPU, NULL), -EINVAL);
	cr_assert_eq(ops->permissions_get(h, C_NUM, &p), -EINVAL);
	cr_assert_eq(sim_requests(), before);
	close_h();

	for (size_t i = 1; i < N_ELEM(all_uris); i++) {
		open_uri(all_uris[i], NULL);
		cr_assert_eq(ops->count_get(h), C_NUM);
		before = sim_requests();
		cr_assert_eq(ops->permissions_get(h, C_UART, &p), -EOPNOTSUPP);
		cr_assert_eq(sim_requests(), before);
		close_h();
	}
}

/* ---- notifications ------------------------------------------------------------- */

struct events {
	struct scmi_notifier_block nb;
	pthread_mutex_t lock;
	unsigned int n;
	unsigned int evt[32];
	struct scmi_clock_rate_notif_report r[32];
};

static struct events ev;

static int on_event(struct scmi_notifier_block *nb, unsigned int evt_id, const void *report)
{
	struct events *e = (struct events *)nb;

	pthread_mutex_lock(&e->lock);
	if (e->n < 32) {
		e->evt[e->n] = evt_id;
		memcpy(&e->r[e->n], report, sizeof(e->r[0]));
	}
	e->n++;
	pthread_mutex_unlock(&e->lock);
	return SCMI_NOTIFY_OK;
}

static void events_reset(void)
{
	memset(&ev, 0, sizeof(ev));
	pthread_mutex_init(&ev.lock, NULL);
	ev.nb.notifier_call = on_event;
}

static unsigned int events_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&ev.lock);
	n = ev.n;
	pthread_mutex_unlock(&ev.lock);
	return n;
}

static bool events_reached(void *arg)
{
	return events_count() >= *(unsigned int *)arg;
}

static void wait_events(unsigned int n)
{
	cr_assert(test_wait_until(events_reached, &n, 5000), "%u events, got %u", n,
		  events_count());
}

static void check_report(unsigned int i, unsigned int evt, uint32_t agent, uint32_t clk,
			 uint64_t rate)
{
	pthread_mutex_lock(&ev.lock);
	cr_assert_eq(ev.evt[i], evt, "event %u id", i);
	cr_assert_eq(ev.r[i].agent_id, agent, "event %u agent %u", i, ev.r[i].agent_id);
	cr_assert_eq(ev.r[i].clock_id, clk, "event %u clock", i);
	cr_assert_eq(ev.r[i].rate, rate, "event %u rate", i);
	cr_assert_gt(ev.r[i].hdr.timestamp, 0);
	pthread_mutex_unlock(&ev.lock);
}

static int reg(uint8_t evt, const uint32_t *src)
{
	return h->notify_ops->event_notifier_register(h, CLK, evt, src, &ev.nb);
}

static int unreg(uint8_t evt, const uint32_t *src)
{
	return h->notify_ops->event_notifier_unregister(h, CLK, evt, src, &ev.nb);
}

static uint32_t agent_id(void)
{
	struct scmi_sim_base_info bi;

	scmi_sim_base_info_get(sim, &bi);
	return bi.agent_id;
}

static void rate_changed_cycle(const char *uri)
{
	uint32_t src = C_CPU;
	uint64_t actual;

	events_reset();
	open_uri(uri, NULL);
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, &src), 0, "%s", uri);
	cr_assert_eq(test_notify_enabled(h, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED, C_CPU), 1);

	/* The agent's own change: agent_id is ours. */
	cr_assert_eq(ops->rate_set(h, C_CPU, 700000000ull, 0, NULL), 0);
	wait_events(1);
	check_report(0, SCMI_EVENT_CLOCK_RATE_CHANGED, agent_id(), C_CPU, 700000000ull);
	/* An async one: the event follows the change. */
	cr_assert_eq(ops->rate_set(h, C_CPU, 900000000ull, SCMI_CLOCK_RATE_ASYNC, &actual), 0);
	wait_events(2);
	check_report(1, SCMI_EVENT_CLOCK_RATE_CHANGED, agent_id(), C_CPU, 900000000ull);
	/* The platform's own change: agent 0. */
	cr_assert_eq(test_clock_rate_change(h, C_CPU, 2500000000ull), 1);
	wait_events(3);
	check_report(2, SCMI_EVENT_CLOCK_RATE_CHANGED, 0, C_CPU, 2500000000ull);
	/* Another clock was not enabled: nothing sent. */
	cr_assert_eq(test_clock_rate_change(h, C_PLL, 1000000000ull), 0);

	cr_assert_eq(unreg(SCMI_EVENT_CLOCK_RATE_CHANGED, &src), 0);
	cr_assert_eq(test_notify_enabled(h, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED, C_CPU), 0);
	cr_assert_eq(test_clock_rate_change(h, C_CPU, 1000000000ull), 0, "not sent");
	cr_assert_eq(ops->rate_set(h, C_CPU, 1100000000ull, 0, NULL), 0);
	cr_assert_eq(events_count(), 3);
	close_h();
}

Test(clock, notify_rate_changed)
{
	rate_changed_cycle(URI_V3);
	rate_changed_cycle(URI_V2);
}

Test(clock, notify_rate_change_requested)
{
	static const char *const uris[] = {URI_V3, URI_V2};

	for (size_t i = 0; i < N_ELEM(uris); i++) {
		uint32_t src = C_AUDIO;

		events_reset();
		open_uri(uris[i], NULL);
		cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, &src), 0);
		cr_assert_eq(scmi_sim_notify_enabled(
				     sim, CLK, SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, C_AUDIO),
			     1);
		cr_assert_eq(scmi_sim_clock_rate_change_request(sim, C_AUDIO, 2, 45158400), 1);
		wait_events(1);
		check_report(0, SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, 2, C_AUDIO, 45158400);
		cr_assert_eq(model(C_AUDIO).rate, 24576000, "a request changes nothing");
		cr_assert_eq(unreg(SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, &src), 0);
		cr_assert_eq(scmi_sim_notify_enabled(
				     sim, CLK, SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, C_AUDIO),
			     0);
		cr_assert_eq(scmi_sim_clock_rate_change_request(sim, C_AUDIO, 2, 22579200), 0);
		cr_assert_eq(events_count(), 1);
		close_h();
	}
}

/* A parent switch changes the mux's rate: RATE_CHANGED says so. */
Test(clock, notify_rate_changed_by_parent)
{
	uint32_t src = C_MUX;

	events_reset();
	open_uri(URI_V3, NULL);
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, &src), 0);
	cr_assert_eq(ops->parent_set(h, C_MUX, C_AUDIO), 0);
	wait_events(1);
	check_report(0, SCMI_EVENT_CLOCK_RATE_CHANGED, agent_id(), C_MUX, model(C_AUDIO).rate);
	cr_assert_eq(unreg(SCMI_EVENT_CLOCK_RATE_CHANGED, &src), 0);
	close_h();
}

/* Clocks without the notification, and clock 1.0: refused, nothing sent. */
Test(clock, notify_unsupported)
{
	uint32_t src;
	uint64_t before;

	events_reset();
	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->count_get(h), C_NUM);
	before = sim_requests();
	src = C_PIXEL;
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, &src), -EOPNOTSUPP);
	src = C_GPU;
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, &src), -EOPNOTSUPP);
	src = C_NUM;
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, &src), -EINVAL);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, CLK, 0x2, NULL, &ev.nb), -EINVAL);
	cr_assert_eq(sim_requests(), before);
	cr_assert_eq(test_notify_enabled(h, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED, C_PIXEL), 0);
	close_h();

	events_reset();
	open_uri(URI_V1, NULL);
	cr_assert_eq(ops->count_get(h), C_NUM);
	before = sim_requests();
	src = C_CPU;
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, &src), -EOPNOTSUPP);
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, NULL), -EOPNOTSUPP);
	cr_assert_eq(sim_requests(), before);
	close_h();
}

/* All sources: enabled exactly on the clocks that support the event. */
Test(clock, notify_all_sources)
{
	events_reset();
	open_uri(URI_V3, NULL);
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, NULL), 0);
	for (uint32_t id = 0; id < C_NUM; id++)
		cr_assert_eq(test_notify_enabled(h, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED, id),
			     model(id).notify_rate_changed, "clock %u", id);
	cr_assert_eq(test_clock_rate_change(h, C_GPU, 200000000ull), 1);
	cr_assert_eq(test_clock_rate_change(h, C_PLL, 2000000000ull), 1);
	wait_events(2);
	check_report(0, SCMI_EVENT_CLOCK_RATE_CHANGED, 0, C_GPU, 200000000ull);
	check_report(1, SCMI_EVENT_CLOCK_RATE_CHANGED, 0, C_PLL, 2000000000ull);
	cr_assert_eq(unreg(SCMI_EVENT_CLOCK_RATE_CHANGED, NULL), 0);
	for (uint32_t id = 0; id < C_NUM; id++)
		cr_assert_eq(test_notify_enabled(h, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED, id), 0);
	close_h();
}

static uint64_t dropped_malformed(void)
{
	struct scmi_event_stats st;

	cr_assert_eq(scmi_event_stats_get(h, CLK, &st), 0);
	return st.dropped_malformed;
}

static bool malformed_reached(void *arg)
{
	return dropped_malformed() >= *(uint64_t *)arg;
}

/* Payloads of the wrong length or naming an unknown clock are dropped. */
Test(clock, notify_malformed_payloads)
{
	uint8_t bad[20] = {0};
	uint64_t want = 1;

	events_reset();
	open_uri(URI_V3, NULL);
	cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, NULL), 0);
	/* 12 bytes: rate hi word missing. */
	cr_assert_eq(scmi_sim_test_emit_raw(sim, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED, bad, 12), 1);
	cr_assert(test_wait_until(malformed_reached, &want, 5000));
	/* 20 bytes: too long. */
	want = 2;
	cr_assert_eq(scmi_sim_test_emit_raw(sim, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED, bad, 20), 1);
	cr_assert(test_wait_until(malformed_reached, &want, 5000));
	/* Unknown clock id. */
	want = 3;
	bad[4] = C_NUM;
	cr_assert_eq(scmi_sim_test_emit_raw(sim, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED, bad, 16), 1);
	cr_assert(test_wait_until(malformed_reached, &want, 5000));
	/* The fault layer grows the next real event. */
	want = 4;
	arm_bad_length(SCMI_EVENT_CLOCK_RATE_CHANGED, 4, true);
	cr_assert_eq(test_clock_rate_change(h, C_CPU, 600000000ull), 1);
	cr_assert(test_wait_until(malformed_reached, &want, 5000));
	cr_assert_eq(events_count(), 0, "nothing malformed was delivered");
	/* And the next good one arrives. */
	cr_assert_eq(test_clock_rate_change(h, C_CPU, 700000000ull), 1);
	wait_events(1);
	check_report(0, SCMI_EVENT_CLOCK_RATE_CHANGED, 0, C_CPU, 700000000ull);
	cr_assert_eq(unreg(SCMI_EVENT_CLOCK_RATE_CHANGED, NULL), 0);
	close_h();
}

/* ---- malformed replies ------------------------------------------------------------ */

Test(clock, bad_reply_lengths)
{
	uint64_t rate;
	bool on;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->count_get(h), C_NUM);
	arm_bad_length(MSG_RATE_GET, -4, false); /* rate hi word missing */
	cr_assert_eq(ops->rate_get(h, C_CPU, &rate), -EPROTO);
	arm_bad_length(MSG_CONFIG_GET, -8, false);
	cr_assert_eq(ops->state_get(h, C_CPU, &on), -EPROTO);
	/* Longer than needed is fine: the fields are all there. */
	arm_bad_length(MSG_RATE_GET, 8, false);
	cr_assert_eq(ops->rate_get(h, C_CPU, &rate), 0);
	cr_assert_eq(rate, model(C_CPU).rate);
	close_h();
}

/* A malformed PROTOCOL_ATTRIBUTES reply fails the bring-up (the clock count
 * is unknown); the next call retries. */
static void bring_up_fails_once_on(const char *uri, int msg, int64_t delta)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;

	test_log_init(&lg);
	cfg = test_config(&lg);
	open_uri(uri, &cfg);
	arm_bad_length(msg, delta, false);
	cr_assert_eq(ops->count_get(h), -EPROTO, "msg 0x%x %+lld", msg, (long long)delta);
	cr_assert(test_log_contains(&lg, "clock: bring-up failed"), "%s", lg.text);
	check_discovery();
	close_h();
}

enum clock_part {
	PART_ATTRIBUTES,
	PART_RATES,
	PART_PARENTS,
};

/* The error of @part of @ci. */
static int part_err(const struct scmi_clock_info *ci, enum clock_part part)
{
	switch (part) {
	case PART_ATTRIBUTES:
		return ci->attributes_err;
	case PART_RATES:
		return ci->rates_err;
	default:
		return ci->parents_err;
	}
}

/*
 * A malformed reply describing one clock (the first @msg of discovery is cut
 * by @delta bytes): that part of that one clock is unknown (-EPROTO), with a
 * warning; the bring-up succeeds and every other clock equals the model.
 */
static void one_clock_part_unknown_on(const char *uri, int msg, int64_t delta, enum clock_part part)
{
	uint32_t version, bad = C_NUM;
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	uint64_t rate;

	test_log_init(&lg);
	cfg = test_config(&lg);
	open_uri(uri, &cfg);
	version = clock_version();
	arm_bad_length(msg, delta, false);
	cr_assert_eq(ops->count_get(h), C_NUM, "msg 0x%x %+lld", msg, (long long)delta);
	for (uint32_t id = 0; id < C_NUM; id++) {
		const struct scmi_clock_info *ci;

		cr_assert_eq(ops->info_get(h, id, &ci), 0);
		if (!part_err(ci, part))
			continue;
		cr_assert_eq(bad, C_NUM, "one clock only (%u and %u)", bad, id);
		bad = id;
		cr_assert_eq(part_err(ci, part), -EPROTO, "clock %u", id);
		if (part == PART_ATTRIBUTES)
			cr_assert_eq(ci->rates_err, -EPROTO, "tables unknown too");
		/* The clock itself still works. */
		cr_assert_eq(ops->rate_get(h, id, &rate), 0);
		cr_assert_eq(rate, model(id).rate);
	}
	cr_assert_neq(bad, C_NUM, "msg 0x%x: some clock has its part unknown", msg);
	cr_assert(test_log_contains(&lg, "unknown: Protocol error"), "%s", lg.text);
	for (uint32_t id = 0; id < C_NUM; id++)
		if (id != bad)
			check_clock(id, version);
	close_h();
}

static void one_clock_part_unknown(int msg, int64_t delta, enum clock_part part)
{
	one_clock_part_unknown_on(URI_V3, msg, delta, part);
}

Test(clock, bad_discovery_replies_v1)
{
	bring_up_fails_once_on(URI_V1, 0x1, -4);
	one_clock_part_unknown_on(URI_V1, MSG_ATTRIBUTES, -1, PART_ATTRIBUTES);
	one_clock_part_unknown_on(URI_V1, MSG_DESCRIBE_RATES, -8, PART_RATES);
}

Test(clock, bad_reply_lengths_v1)
{
	uint64_t rate;
	bool on;

	open_uri(URI_V1, NULL);
	cr_assert_eq(ops->count_get(h), C_NUM);
	arm_bad_length(MSG_RATE_GET, -1, false);
	cr_assert_eq(ops->rate_get(h, C_GPU, &rate), -EPROTO);
	arm_bad_length(MSG_ATTRIBUTES, -4, false); /* state_get reads ATTRIBUTES in 1.0 */
	cr_assert_eq(ops->state_get(h, C_GPU, &on), -EPROTO);
	cr_assert_eq(ops->state_get(h, C_GPU, &on), 0);
	cr_assert(on);
	close_h();
}

Test(clock, bad_discovery_replies)
{
	bring_up_fails_once_on(URI_V3, 0x1, -4); /* PROTOCOL_ATTRIBUTES: no data */
	one_clock_part_unknown(MSG_ATTRIBUTES, -8, PART_ATTRIBUTES);  /* name cut short */
	one_clock_part_unknown(MSG_DESCRIBE_RATES, -8, PART_RATES);   /* one rate fewer */
	one_clock_part_unknown(MSG_DESCRIBE_RATES, -124, PART_RATES); /* no count word */
	one_clock_part_unknown(MSG_POSSIBLE_PARENTS, -4, PART_PARENTS);
}

/* No answer at all is no description: the bring-up fails and is retried. */
Test(clock, discovery_timeout_retried)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = CLK,
		.message = MSG_DESCRIBE_RATES,
	};

	cfg.timeout_ms = 100;
	open_uri(URI_V3, &cfg);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(ops->count_get(h), -ETIMEDOUT);
	check_discovery();
	close_h();
}

/*
 * A platform refusing (DENIED) to describe parts of some clocks: those parts
 * are unknown and say why; everything else is discovered and usable.
 */
Test(clock, describe_refused)
{
	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		const struct scmi_clock_info *ci;
		bool v3;
		uint64_t rate;

		open_uri(all_uris[i], NULL);
		v3 = clock_version() >= SCMI_PROTO_VERSION(3, 0);
		cr_assert_eq(scmi_sim_clock_deny_msgs_set(sim, C_AUDIO, 1u << MSG_DESCRIBE_RATES),
			     0);
		cr_assert_eq(scmi_sim_clock_deny_msgs_set(sim, C_PIXEL, 1u << MSG_ATTRIBUTES), 0);
		cr_assert_eq(scmi_sim_clock_permissions_set(sim, C_PIXEL, true, false, true), 0);
		cr_assert_eq(scmi_sim_clock_deny_msgs_set(sim, C_MUX, 1u << MSG_POSSIBLE_PARENTS),
			     0);
		cr_assert_eq(ops->count_get(h), C_NUM, "%s", all_uris[i]);

		cr_assert_eq(ops->info_get(h, C_AUDIO, &ci), 0);
		cr_assert_eq(ci->attributes_err, 0);
		cr_assert_str_eq(ci->name, "pll_audio");
		cr_assert_eq(ci->rates_err, -EACCES);
		cr_assert_eq(ci->num_rates, 0);
		cr_assert_eq(ops->rate_get(h, C_AUDIO, &rate), 0);
		cr_assert_eq(rate, model(C_AUDIO).rate);

		cr_assert_eq(ops->info_get(h, C_PIXEL, &ci), 0);
		cr_assert_eq(ci->attributes_err, -EACCES);
		cr_assert_eq(ci->rates_err, -EACCES);
		cr_assert_str_eq(ci->name, "");
		cr_assert_not(ci->rate_changed_notifications);
		/* Only ATTRIBUTES is denied: gating goes to the platform. */
		cr_assert_eq(ops->enable(h, C_PIXEL), 0);
		cr_assert(model(C_PIXEL).enabled);
		if (v3) {
			struct scmi_clock_permissions p;

			/* Whether it is restricted is unknown: the platform
			 * says, rather than "everything allowed". */
			cr_assert_eq(ops->permissions_get(h, C_PIXEL, &p), 0);
			cr_assert(p.state_control && p.parent_control);
			cr_assert_not(p.rate_control);
		}

		cr_assert_eq(ops->info_get(h, C_MUX, &ci), 0);
		cr_assert_eq(ci->parent_support, v3);
		cr_assert_eq(ci->num_parents, 0);
		cr_assert_eq(ci->parents_err, v3 ? -EACCES : 0);
		if (v3) {
			/* Parents unknown: the platform judges the choice. */
			cr_assert_eq(ops->parent_set(h, C_MUX, C_PLL), 0);
			cr_assert_eq(model(C_MUX).parent, C_PLL);
			cr_assert_eq(ops->parent_set(h, C_MUX, C_CPU), -EINVAL);
			cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
			cr_assert_eq(ops->parent_set(h, C_MUX, C_NUM), -EINVAL);
		}
		for (uint32_t id = 0; id < C_NUM; id++)
			if (id != C_AUDIO && id != C_PIXEL && id != C_MUX)
				check_clock(id, clock_version());
		close_h();
	}
}

/*
 * Clock's counterpart of a disabled domain: the agent lost a clock's Base
 * device before the lazy bring-up, so the platform answers DENIED to every
 * message naming it, CLOCK_ATTRIBUTES included.  The clock keeps its id
 * and says why its description is unknown (attributes_err = rates_err =
 * -EACCES, as the other protocols' err); rate and gate ops still go to the
 * platform, which answers DENIED (-EACCES, the honest error); what needs a
 * feature bit (notifications) is -EOPNOTSUPP without sending; every other
 * clock equals the model.  The first clock and the last Base device
 * (clock 7) by device permission, the last clock (8, past the devices) by
 * its deny mask; id == count stays -EINVAL.
 */
Test(clock, denied_clock_refused_alone)
{
	static const uint32_t by_device[] = {C_CPU, C_MUX};

	for (size_t i = 0; i < N_ELEM(all_uris); i++) {
		for (size_t v = 0; v < N_ELEM(by_device) + 1; v++) {
			uint32_t victim = v < N_ELEM(by_device) ? by_device[v] : C_SDMMC;
			const struct scmi_clock_info *ci;
			uint64_t rate, before;

			open_uri(all_uris[i], NULL);
			events_reset();
			if (victim == C_SDMMC)
				cr_assert_eq(scmi_sim_clock_deny_msgs_set(sim, victim,
									  1u << MSG_ATTRIBUTES),
					     0);
			else
				cr_assert_eq(h->base_ops->set_device_permissions(h, agent_id(),
										 victim, false),
					     0);
			cr_assert_eq(ops->count_get(h), C_NUM, "%s", all_uris[i]);
			cr_assert_eq(ops->info_get(h, victim, &ci), 0);
			cr_assert_eq(ci->id, victim);
			cr_assert_eq(ci->attributes_err, -EACCES, "%s clock %u", all_uris[i],
				     victim);
			cr_assert_eq(ci->rates_err, -EACCES);
			cr_assert_eq(ci->parents_err, 0, "parent support unknown: not asked");
			cr_assert_str_eq(ci->name, "");
			cr_assert_eq(ci->num_rates, 0);
			cr_assert_not(ci->parent_support || ci->extended_config);
			before = sim_requests();
			cr_assert_eq(reg(SCMI_EVENT_CLOCK_RATE_CHANGED, &victim), -EOPNOTSUPP);
			cr_assert_eq(sim_requests(), before, "nothing sent");
			if (victim == C_SDMMC) {
				/* Only its attributes are denied: the rest works. */
				cr_assert_eq(ops->rate_get(h, victim, &rate), 0);
				cr_assert_eq(rate, model(victim).rate);
			} else {
				cr_assert_eq(ops->rate_get(h, victim, &rate), -EACCES);
				cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
				cr_assert_eq(ops->enable(h, victim), -EACCES);
				cr_assert_eq(sim_requests(), before + 2,
					     "sent, for the platform to judge");
			}
			for (uint32_t id = 0; id < C_NUM; id++)
				if (id != victim)
					check_clock(id, clock_version());
			cr_assert_eq(ops->info_get(h, C_NUM, &ci), -EINVAL);
			cr_assert_eq(ops->rate_get(h, C_NUM, &rate), -EINVAL);
			close_h();
		}
	}
}

/* ---- a platform that miscounts, and one badly described clock ------------------- */

/*
 * Clock 3.0 platform, four rates per DESCRIBE_RATES reply:
 *   0 healthy:  6 discrete rates, counted right
 *   1 miscount: 9 discrete rates, "remaining" = total - index (OP-TEE's
 *               mistake), the index past the end answered as rogue_end says
 *   2 range:    {100 MHz, 1 GHz, 100 MHz}
 *   3 victim:   2 rates and possible parents {0, 1, 2}, one per reply,
 *               unless rogue_victim says otherwise
 */
#define R_HEALTHY  0u
#define R_MISCOUNT 1u
#define R_RANGE	   2u
#define R_VICTIM   3u
#define R_NUM	   4u
#define R_PAGE	   4u

enum rogue_end {
	END_INVALID_PARAMETERS,
	END_EMPTY,
};

enum rogue_victim {
	V_OK,
	V_ATTR_SHORT,	      /* CLOCK_ATTRIBUTES: 8 bytes */
	V_RANGE_INVERTED,     /* min above max */
	V_RANGE_NOT_TRIPLET,  /* a range of 2 + 1 */
	V_FORMAT_CHANGE,      /* a list, then a range */
	V_TOO_MANY,	      /* 1 + 1 announced, the second reply returns 2 */
	V_TOO_BIG,	      /* 5001 rates, one per reply */
	V_RATES_TRUNCATED,    /* 2 announced, one rate's bytes */
	V_RATES_PAGE_BUSY,    /* the second reply: BUSY */
	V_PARENT_SELF,	      /* the clock is its own possible parent */
	V_PARENT_UNKNOWN,     /* possible parent 9 */
	V_PARENTS_MISCOUNTED, /* remaining = total - index, then an empty reply */
	V_ANNOUNCED_HUGE,     /* 2 + 5000 announced, then an empty reply */
};

static const uint32_t rogue_count[R_NUM] = {6, 9, 3, 2};
static _Atomic int rogue_end = END_INVALID_PARAMETERS;
static _Atomic int rogue_victim = V_OK;
static _Atomic uint32_t rogue_parent;

static uint64_t rogue_rate(uint32_t i)
{
	return 1000000ull * (i + 1);
}

static void rogue_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, R_NUM);
}

static void rogue_clock_attributes(struct sim_ctx *ctx)
{
	static const char *const names[R_NUM] = {"healthy", "miscount", "range", "victim"};
	uint32_t id = sim_req_u32(ctx, 0);

	if (id >= R_NUM) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	sim_reply_u32(ctx, id == R_VICTIM ? 1u << 28 : 0); /* parents */
	if (id == R_VICTIM && rogue_victim == V_ATTR_SHORT) {
		sim_reply_u32(ctx, 0);
		return;
	}
	sim_reply_name(ctx, names[id]);
	sim_reply_u32(ctx, 0);
}

static void rogue_put_rates(struct sim_ctx *ctx, uint32_t flags, uint32_t first, uint32_t n)
{
	sim_reply_u32(ctx, flags);
	for (uint32_t i = first; i < first + n; i++) {
		sim_reply_u32(ctx, (uint32_t)rogue_rate(i));
		sim_reply_u32(ctx, (uint32_t)(rogue_rate(i) >> 32));
	}
}

static void rogue_put_range(struct sim_ctx *ctx, uint32_t flags, uint64_t min, uint64_t max,
			    uint64_t step, unsigned int n)
{
	const uint64_t v[3] = {min, max, step};

	sim_reply_u32(ctx, flags | 1u << 12);
	for (unsigned int i = 0; i < n; i++) {
		sim_reply_u32(ctx, (uint32_t)v[i]);
		sim_reply_u32(ctx, (uint32_t)(v[i] >> 32));
	}
}

static void rogue_victim_rates(struct sim_ctx *ctx, uint32_t index)
{
	switch (atomic_load(&rogue_victim)) {
	case V_RANGE_INVERTED:
		rogue_put_range(ctx, 3, 2000000, 1000000, 1000, 3);
		return;
	case V_RANGE_NOT_TRIPLET:
		rogue_put_range(ctx, 2 | 1u << 16, 1000000, 2000000, 0, 2);
		return;
	case V_FORMAT_CHANGE:
		if (index)
			rogue_put_range(ctx, 1, 1, 0, 0, 1);
		else
			rogue_put_rates(ctx, 1 | 1u << 16, 0, 1);
		return;
	case V_TOO_MANY:
		rogue_put_rates(ctx, index ? 2 : 1 | 1u << 16, index, index ? 2 : 1);
		return;
	case V_ANNOUNCED_HUGE:
		if (index)
			sim_reply_u32(ctx, 0);
		else
			rogue_put_rates(ctx, 2 | 5000u << 16, 0, 2);
		return;
	case V_TOO_BIG: /* one rate per reply */
		rogue_put_rates(ctx, 1 | (5000u - index) << 16, index, 1);
		return;
	case V_RATES_TRUNCATED:
		rogue_put_rates(ctx, 2, 0, 1);
		return;
	case V_RATES_PAGE_BUSY:
		if (index)
			sim_reply_error(ctx, SIM_BUSY);
		else
			rogue_put_rates(ctx, 1 | 1u << 16, 0, 1);
		return;
	default:
		if (index >= 2)
			sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		else
			rogue_put_rates(ctx, 2 - index, index, 2 - index);
	}
}

static void rogue_describe_rates(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0), index = sim_req_u32(ctx, 4), total, n;

	if (id >= R_NUM) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	if (id == R_VICTIM) {
		rogue_victim_rates(ctx, index);
		return;
	}
	if (id == R_RANGE) {
		if (index)
			sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		else
			rogue_put_range(ctx, 3, 100000000, 1000000000, 100000000, 3);
		return;
	}
	total = rogue_count[id];
	if (index >= total) {
		if (id == R_MISCOUNT && rogue_end == END_EMPTY)
			sim_reply_u32(ctx, 0);
		else
			sim_reply_error(ctx, id == R_MISCOUNT ? SIM_INVALID_PARAMETERS
							      : SIM_OUT_OF_RANGE);
		return;
	}
	n = total - index < R_PAGE ? total - index : R_PAGE;
	rogue_put_rates(ctx, n | (total - index - (id == R_HEALTHY ? n : 0)) << 16, index, n);
}

static void rogue_possible_parents(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0), index = sim_req_u32(ctx, 4);
	uint32_t parent = index, left = 3 - index;
	int m = rogue_victim;

	if (id != R_VICTIM) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (index >= 3) {
		if (m == V_PARENTS_MISCOUNTED)
			sim_reply_u32(ctx, 0);
		else
			sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		return;
	}
	if (index == 2 && m == V_PARENT_SELF)
		parent = R_VICTIM;
	if (index == 1 && m == V_PARENT_UNKNOWN)
		parent = 9;
	/* One per reply: remaining b[31:24]. */
	sim_reply_u32(ctx, 1 | (m == V_PARENTS_MISCOUNTED ? left : left - 1) << 24);
	sim_reply_u32(ctx, parent);
}

static void rogue_rate_get(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0);

	if (id >= R_NUM) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	sim_reply_u32(ctx, (uint32_t)rogue_rate(id));
	sim_reply_u32(ctx, 0);
}

static void rogue_parent_set(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0), parent = sim_req_u32(ctx, 4);

	if (id != R_VICTIM || parent > 2) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	rogue_parent = parent;
}

static const struct sim_cmd rogue_cmds[] = {
	{MSG_ATTRIBUTES, 0, 4, rogue_clock_attributes},
	{MSG_DESCRIBE_RATES, 0, 8, rogue_describe_rates},
	{MSG_RATE_GET, 0, 4, rogue_rate_get},
	{MSG_POSSIBLE_PARENTS, 0, 8, rogue_possible_parents},
	{0xD, 0, 8, rogue_parent_set},
};

static const uint32_t rogue_versions[] = {SIM_VERSION(3, 0), 0};

static const struct sim_proto_ops rogue_ops = {
	.id = CLK,
	.name = "rogue-clock",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = SIM_ARRAY_SIZE(rogue_cmds),
	.attributes = rogue_attributes,
};

static void rogue_open(struct test_log *lg, enum rogue_end end, enum rogue_victim victim)
{
	struct scmi_config cfg;

	test_log_init(lg);
	cfg = test_config(lg);
	open_uri(URI_V3, &cfg);
	rogue_end = end;
	rogue_victim = victim;
	test_model_swap(sim, &rogue_ops, SIM_VERSION(3, 0));
}

/* Clock @id of the rogue platform has exactly its rates. */
static void expect_rogue_rates(uint32_t id)
{
	const struct scmi_clock_info *ci;

	cr_assert_eq(ops->info_get(h, id, &ci), 0);
	cr_assert_eq(ci->attributes_err, 0, "clock %u", id);
	cr_assert_eq(ci->rates_err, 0, "clock %u", id);
	if (id == R_RANGE) {
		cr_assert_not(ci->rate_discrete);
		cr_assert_eq(ci->range.min_rate, 100000000);
		cr_assert_eq(ci->range.max_rate, 1000000000);
		cr_assert_eq(ci->range.step_size, 100000000);
		return;
	}
	cr_assert(ci->rate_discrete);
	cr_assert_eq(ci->num_rates, rogue_count[id], "clock %u", id);
	for (unsigned int i = 0; i < ci->num_rates; i++)
		cr_assert_eq(ci->rates[i], rogue_rate(i), "clock %u rate %u", id, i);
	cr_assert_eq(ci->max_rate, rogue_rate(rogue_count[id] - 1));
}

Test(clock, miscounted_rate_lists)
{
	static const enum rogue_end ends[] = {END_INVALID_PARAMETERS, END_EMPTY};

	for (size_t e = 0; e < N_ELEM(ends); e++) {
		const struct scmi_clock_info *ci;
		static struct test_log lg; /* outlives the test: teardown closes h, and close logs */

		rogue_open(&lg, ends[e], V_OK);
		cr_assert_eq(ops->count_get(h), R_NUM);
		for (uint32_t id = 0; id < R_NUM; id++)
			expect_rogue_rates(id);
		cr_assert(test_log_contains(&lg, "inconsistent counts: 13 entries announced, 9 "
						 "listed"),
			  "%s", lg.text);
		cr_assert_eq(ops->info_get(h, R_VICTIM, &ci), 0);
		cr_assert_eq(ci->num_parents, 3);
		cr_assert_eq(ci->parents_err, 0);
		close_h();
	}
}

/* Each way of describing the victim badly: that part of that clock is
 * unknown, the clock still works, the other clocks are intact. */
Test(clock, one_bad_clock_description)
{
	static const struct {
		enum rogue_victim victim;
		enum clock_part part;
		int err;
		const char *why;
	} cases[] = {
		{V_ATTR_SHORT, PART_ATTRIBUTES, -EPROTO, "clock 3: attributes unknown"},
		{V_RANGE_INVERTED, PART_RATES, -EPROTO, "clock 3: range min 2000000 > max 1000000"},
		{V_RANGE_NOT_TRIPLET, PART_RATES, -EPROTO, "clock 3: range with 2+1 rates"},
		{V_FORMAT_CHANGE, PART_RATES, -EPROTO, "rate format changed"},
		{V_TOO_MANY, PART_RATES, -EPROTO, "2 entries at 1, only 2 announced"},
		{V_TOO_BIG, PART_RATES, -E2BIG, "clock 3: more than 4096 discrete rates"},
		{V_RATES_TRUNCATED, PART_RATES, -EPROTO, "reply of 12 bytes for 2 rates"},
		{V_RATES_PAGE_BUSY, PART_RATES, -EBUSY, "clock 3: rates unknown"},
		{V_PARENT_SELF, PART_PARENTS, -EPROTO, "clock 3: invalid possible parent 3"},
		{V_PARENT_UNKNOWN, PART_PARENTS, -EPROTO, "clock 3: invalid possible parent 9"},
	};

	for (size_t c = 0; c < N_ELEM(cases); c++) {
		const struct scmi_clock_info *ci;
		static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
		uint64_t rate = 0;

		rogue_open(&lg, END_INVALID_PARAMETERS, cases[c].victim);
		cr_assert_eq(ops->count_get(h), R_NUM, "case %zu", c);
		cr_assert(test_log_contains(&lg, cases[c].why), "case %zu: want '%s' in\n%s", c,
			  cases[c].why, lg.text);
		cr_assert_eq(ops->info_get(h, R_VICTIM, &ci), 0);
		cr_assert_eq(part_err(ci, cases[c].part), cases[c].err, "case %zu", c);
		if (cases[c].part == PART_RATES) {
			cr_assert_eq(ci->num_rates, 0);
			cr_assert_null(ci->rates);
		}
		if (cases[c].part == PART_PARENTS) {
			cr_assert_eq(ci->num_parents, 0);
			cr_assert_null(ci->parents);
			/* Parents unknown: the platform judges. */
			cr_assert_eq(ops->parent_set(h, R_VICTIM, 2), 0);
			cr_assert_eq(rogue_parent, 2);
			cr_assert_eq(ops->parent_set(h, R_VICTIM, R_VICTIM), -EINVAL);
			cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
		}
		cr_assert_eq(ops->rate_get(h, R_VICTIM, &rate), 0, "the clock still works");
		cr_assert_eq(rate, rogue_rate(R_VICTIM));
		for (uint32_t id = 0; id < R_VICTIM; id++)
			expect_rogue_rates(id);
		close_h();
	}
}

/* A parent list that miscounts "remaining" and ends with an empty reply:
 * the parents listed are the clock's. */
Test(clock, miscounted_parent_list)
{
	const struct scmi_clock_info *ci;
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	uint64_t before;

	rogue_open(&lg, END_INVALID_PARAMETERS, V_PARENTS_MISCOUNTED);
	cr_assert_eq(ops->info_get(h, R_VICTIM, &ci), 0);
	cr_assert_eq(ci->parents_err, 0);
	cr_assert_eq(ci->num_parents, 3);
	for (uint32_t i = 0; i < 3; i++)
		cr_assert_eq(ci->parents[i], i);
	cr_assert(test_log_contains(&lg, "proto 0x14 msg 0xc: inconsistent counts"), "%s", lg.text);
	/* Parents known: one not listed is refused locally. */
	before = sim_requests();
	cr_assert_eq(ops->parent_set(h, R_VICTIM, R_VICTIM), -EINVAL);
	cr_assert_eq(sim_requests(), before);
	close_h();
}

/* Only the rates listed count against SCMI_CLOCK_MAX_RATES: a list that
 * announces more, and ends early, is the clock's. */
Test(clock, huge_announcement_short_list)
{
	const struct scmi_clock_info *ci;
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */

	rogue_open(&lg, END_INVALID_PARAMETERS, V_ANNOUNCED_HUGE);
	cr_assert_eq(ops->info_get(h, R_VICTIM, &ci), 0);
	cr_assert_eq(ci->rates_err, 0);
	cr_assert_eq(ci->num_rates, 2);
	cr_assert_eq(ci->rates[1], rogue_rate(1));
	cr_assert(test_log_contains(&lg, "5002 entries announced, 2 listed"), "%s", lg.text);
	close_h();
}

static int boundary_cb(struct scmi_notifier_block *nb, unsigned int evt_id, const void *report)
{
	(void)nb;
	(void)evt_id;
	(void)report;
	return SCMI_NOTIFY_DONE;
}

/* Boundaries: every op at clock id == count is -EINVAL with nothing sent;
 * a parent id equal to the count too. */
Test(clock, clock_id_boundary)
{
	struct scmi_notifier_block nb = {.notifier_call = boundary_cb};
	struct scmi_clock_permissions perms;
	const struct scmi_clock_info *ci;
	uint32_t value, src = C_NUM;
	uint64_t rate, before;
	bool on;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->count_get(h), C_NUM);
	before = sim_requests();
	cr_assert_eq(ops->info_get(h, C_NUM, &ci), -EINVAL);
	cr_assert_eq(ops->rate_get(h, C_NUM, &rate), -EINVAL);
	cr_assert_eq(ops->rate_set(h, C_NUM, 1000, 0, NULL), -EINVAL);
	cr_assert_eq(ops->enable(h, C_NUM), -EINVAL);
	cr_assert_eq(ops->disable(h, C_NUM), -EINVAL);
	cr_assert_eq(ops->state_get(h, C_NUM, &on), -EINVAL);
	cr_assert_eq(ops->config_oem_get(h, C_NUM, SCMI_CLOCK_CFG_PHASE, &value, NULL), -EINVAL);
	cr_assert_eq(ops->config_oem_set(h, C_NUM, SCMI_CLOCK_CFG_PHASE, 90), -EINVAL);
	cr_assert_eq(ops->parent_get(h, C_NUM, &value), -EINVAL);
	cr_assert_eq(ops->parent_set(h, C_NUM, C_PLL), -EINVAL);
	cr_assert_eq(ops->parent_set(h, C_MUX, C_NUM), -EINVAL);
	cr_assert_eq(ops->permissions_get(h, C_NUM, &perms), -EINVAL);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, CLK, SCMI_EVENT_CLOCK_RATE_CHANGED,
							    &src, &nb),
		     -EINVAL);
	cr_assert_eq(sim_requests(), before, "nothing sent");
	cr_assert_eq(ops->rate_get(h, C_NUM - 1, &rate), 0, "the last clock is one");
	close_h();
}

/* ---- non-blocking ops (SCMI_ASYNC()) ------------------------------------------------ */

/* Everything an op of the table below can write. */
struct clk_out {
	const struct scmi_clock_info *info;
	uint64_t rate;
	uint64_t actual;
	uint32_t value;
	uint32_t parent;
	bool on;
	struct scmi_clock_permissions perms;
};

static int c_count(struct clk_out *o)
{
	(void)o;
	return ops->count_get(h);
}

static int c_info(struct clk_out *o)
{
	return ops->info_get(h, C_MUX, &o->info);
}

static int c_rate_get(struct clk_out *o)
{
	return ops->rate_get(h, C_CPU, &o->rate);
}

static int c_rate_set(struct clk_out *o)
{
	return ops->rate_set(h, C_CPU, 1500000000ull, 0, &o->actual);
}

static int c_rate_set_async(struct clk_out *o)
{
	/* Completed by the delayed response, which reports the rate. */
	return ops->rate_set(h, C_CPU, 1777000000ull,
			     SCMI_CLOCK_RATE_ASYNC | SCMI_CLOCK_RATE_ROUND_UP, &o->actual);
}

static int c_rate_set_no_wait(struct clk_out *o)
{
	return ops->rate_set(h, C_GPU, 700000000ull,
			     SCMI_CLOCK_RATE_ASYNC | SCMI_CLOCK_RATE_NO_WAIT, &o->actual);
}

static int c_rate_set_denied(struct clk_out *o)
{
	return ops->rate_set(h, C_UART, 3686400, 0, &o->actual);
}

static int c_rate_set_async_denied(struct clk_out *o)
{
	return ops->rate_set(h, C_UART, 3686400, SCMI_CLOCK_RATE_ASYNC, &o->actual);
}

static int c_rate_set_bad_rate(struct clk_out *o)
{
	return ops->rate_set(h, C_CPU, 100000000ull, 0, &o->actual);
}

static int c_rate_get_bad_id(struct clk_out *o)
{
	return ops->rate_get(h, C_NUM, &o->rate);
}

static int c_enable(struct clk_out *o)
{
	(void)o;
	return ops->enable(h, C_SDMMC);
}

static int c_disable(struct clk_out *o)
{
	(void)o;
	return ops->disable(h, C_SDMMC);
}

static int c_state(struct clk_out *o)
{
	return ops->state_get(h, C_MUX, &o->on);
}

static int c_oem_get(struct clk_out *o)
{
	return ops->config_oem_get(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, &o->value, &o->on);
}

static int c_oem_set(struct clk_out *o)
{
	(void)o;
	return ops->config_oem_set(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, 25);
}

static int c_oem_set_out_of_range(struct clk_out *o)
{
	(void)o;
	return ops->config_oem_set(h, C_MUX, SCMI_CLOCK_CFG_DUTY_CYCLE, 150);
}

static int c_parent_get(struct clk_out *o)
{
	return ops->parent_get(h, C_MUX, &o->parent);
}

static int c_parent_set(struct clk_out *o)
{
	(void)o;
	return ops->parent_set(h, C_MUX, C_PLL);
}

static int c_perms_asked(struct clk_out *o)
{
	return ops->permissions_get(h, C_UART, &o->perms);
}

static int c_perms_cached(struct clk_out *o)
{
	return ops->permissions_get(h, C_CPU, &o->perms);
}

static const struct {
	const char *name;
	int (*call)(struct clk_out *o);
} clk_cases[] = {
	{"count_get", c_count},
	{"info_get", c_info},
	{"rate_get", c_rate_get},
	{"rate_set", c_rate_set},
	{"rate_set async", c_rate_set_async},
	{"rate_set no wait", c_rate_set_no_wait},
	{"rate_set denied", c_rate_set_denied},
	{"rate_set async denied", c_rate_set_async_denied},
	{"rate_set bad rate", c_rate_set_bad_rate},
	{"rate_get bad id", c_rate_get_bad_id},
	{"enable", c_enable},
	{"state_get", c_state},
	{"disable", c_disable},
	{"config_oem_get", c_oem_get},
	{"config_oem_set", c_oem_set},
	{"config_oem_set out of range", c_oem_set_out_of_range},
	{"parent_set", c_parent_set},
	{"parent_get", c_parent_get},
	{"permissions_get asked", c_perms_asked},
	{"permissions_get cached", c_perms_cached},
};

/*
 * Every op, blocking then under SCMI_ASYNC() with the same arguments (each
 * case gives the same answer twice): the callback runs exactly once with
 * the blocking op's result and outputs, after as many messages; refusals
 * (a bad id, an op the version lacks) are refused the same way, with no
 * callback.
 */
Test(clock, every_op_non_blocking)
{
	for (size_t u = 0; u < N_ELEM(all_uris); u++) {
		struct test_req a[N_ELEM(clk_cases)] = {0};
		bool any_platform_error = false;

		open_uri(all_uris[u], NULL);
		cr_assert_eq(ops->count_get(h), C_NUM); /* bring-up, blocking */
		for (size_t i = 0; i < N_ELEM(clk_cases); i++) {
			struct clk_out ob, on;
			uint64_t r0, r1, r2;
			int want, got;

			memset(&ob, 0xa5, sizeof(ob));
			memset(&on, 0xa5, sizeof(on));
			r0 = sim_requests();
			want = clk_cases[i].call(&ob);
			r1 = sim_requests();
			got = TEST_ASYNC_OUTCOME(h, &a[i], clk_cases[i].call(&on));
			r2 = sim_requests();
			cr_assert_eq(got, want, "%s %s: %d, blocking %d", all_uris[u],
				     clk_cases[i].name, got, want);
			cr_assert_eq(memcmp(&ob, &on, sizeof(ob)), 0, "%s %s: same outputs",
				     all_uris[u], clk_cases[i].name);
			cr_assert_eq(r2 - r1, r1 - r0, "%s %s: %llu messages, blocking %llu",
				     all_uris[u], clk_cases[i].name, (unsigned long long)(r2 - r1),
				     (unsigned long long)(r1 - r0));
			any_platform_error |= want == -EACCES;
		}
		cr_assert(any_platform_error, "a platform error status was compared");
		/* Exactly once: no callback ran twice (or for a refusal). */
		for (size_t i = 0; i < N_ELEM(clk_cases); i++)
			cr_assert_leq(atomic_load(&a[i].calls), 1, "%s", clk_cases[i].name);
		cr_assert_eq(scmi_req_outstanding(h), 0);
		close_h();
	}
}

/* The outputs of the non-blocking forms, checked against the platform. */
Test(clock, non_blocking_outputs)
{
	struct clk_out o;
	struct test_req a = {0};
	uint64_t dresp;

	open_uri(URI_V3, NULL);
	cr_assert_eq(ops->count_get(h), C_NUM);
	dresp = delayed_responses();
	memset(&o, 0, sizeof(o));
	cr_assert_eq(TEST_ASYNC(h, &a, c_rate_set_async(&o)), 0);
	cr_assert_eq(o.actual, 1800000000ull, "the delayed response reports the rate");
	cr_assert_eq(delayed_responses(), dresp + 1);
	cr_assert_eq(TEST_ASYNC(h, &a, c_rate_get(&o)), 0);
	cr_assert_eq(o.rate, 1800000000ull);
	cr_assert_eq(TEST_ASYNC(h, &a, c_parent_set(&o)), 0);
	cr_assert_eq(model(C_MUX).parent, C_PLL);
	cr_assert_eq(TEST_ASYNC(h, &a, c_oem_get(&o)), 0);
	cr_assert_eq(o.value, model(C_MUX).duty_cycle);
	cr_assert_eq(o.on, model(C_MUX).enabled);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, c_rate_get_bad_id(&o)), -EINVAL,
		     "refused, not submitted");
	cr_assert_eq(atomic_load(&a.calls), 0);
	close_h();
}

/*
 * A platform that accepts async RATE_SET and never sends the delayed
 * response (TF-A, OP-TEE): the non-blocking rate set completes, once, after
 * one delayed-response timeout and the synchronous retry, as the blocking
 * one returns; later ones are synchronous.  A response that times out
 * instead is not taken for that.
 */
Test(clock, non_blocking_rate_set_learns_no_dresp)
{
	static struct test_log lg; /* outlives the test: close logs */
	struct scmi_config cfg;
	struct clk_out o;
	struct test_req a = {0};
	uint64_t t0;

	test_log_init(&lg);
	cfg = test_config(&lg);
	cfg.dresp_timeout_ms = 1000;
	open_uri("loopback://?no_dresp=0x14:5", &cfg);
	cr_assert_eq(ops->count_get(h), C_NUM);
	t0 = test_now_ms();
	cr_assert_eq(TEST_ASYNC(h, &a, c_rate_set_async(&o)), 0);
	cr_assert_geq(test_now_ms() - t0, 1000);
	cr_assert_eq(atomic_load(&a.calls), 1);
	cr_assert_eq(o.actual, 0, "the synchronous form reports no rate");
	rate_is(C_CPU, 1800000000ull);
	cr_assert_eq(test_fault_hits(h, SCMI_SIM_FAULT_NO_DRESP), 1);
	cr_assert(test_log_contains(&lg, "sent no delayed response"), "%s", lg.text);
	cr_assert_eq(clock_stats().async_rate_sets, 1);
	cr_assert_eq(clock_stats().rate_sets, 2, "async, then sync");
	/* Learnt: synchronous from now on, nothing waits. */
	t0 = test_now_ms();
	cr_assert_eq(TEST_ASYNC(h, &a, c_rate_set(&o)), 0);
	cr_assert_eq(TEST_ASYNC(h, &a, c_rate_set_async(&o)), 0);
	cr_assert_lt(test_now_ms() - t0, 1000, "no delayed-response timeout");
	cr_assert_eq(clock_stats().async_rate_sets, 1);
	cr_assert_eq(clock_stats().rate_sets, 4);
	close_h();
}

Test(clock, non_blocking_rate_set_response_timeout_is_not_learnt)
{
	static struct test_log lg;
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP, .protocol = CLK, .message = MSG_RATE_SET, .count = 1};
	struct scmi_config cfg;
	struct clk_out o;
	struct test_req a = {0};

	test_log_init(&lg);
	cfg = test_config(&lg);
	cfg.timeout_ms = 100;
	open_uri(URI_V3, &cfg);
	cr_assert_eq(ops->count_get(h), C_NUM);
	/* Neither the response nor the delayed response comes. */
	cr_assert_eq(test_fault_add(h, &f), 0);
	f.kind = SCMI_SIM_FAULT_NO_DRESP;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(TEST_ASYNC(h, &a, c_rate_set_async(&o)), -ETIMEDOUT);
	cr_assert_not(test_log_contains(&lg, "sent no delayed response"), "%s", lg.text);
	test_fault_clear(h);
	/* Still asynchronous: the delayed response reports the rate. */
	cr_assert_eq(TEST_ASYNC(h, &a, c_rate_set_async(&o)), 0);
	cr_assert_eq(o.actual, 1800000000ull);
	close_h();
}

/* Closing with a rate set waiting for its delayed response: completed once,
 * with -ECANCELED. */
Test(clock, non_blocking_rate_set_cancelled_by_close)
{
	struct clk_out o;
	struct test_req a = {0};

	open_uri(URI_V3, NULL);
	cr_assert_eq(scmi_sim_clock_async_delay_set(sim, 5000000), 0);
	cr_assert_eq(ops->count_get(h), C_NUM);
	cr_assert_eq(TEST_SUBMIT(&a, c_rate_set_async(&o)), 0);
	cr_assert_eq(scmi_req_outstanding(h), 1);
	close_h();
	cr_assert_eq(atomic_load(&a.calls), 1);
	cr_assert_eq(a.status, -ECANCELED, "status %d (%s)", a.status, scmi_strerror(a.status));
}

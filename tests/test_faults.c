// SPDX-License-Identifier: BSD-3-Clause
/*
 * The fault knobs (docs/TESTING.md) against the simulator: each row is a
 * simulator knob, and the agent must survive it with no crash, no reply
 * given to the wrong caller, and counters that say what happened.
 */
#include <errno.h>

#include "common.h"
#include "helpers.h"

#define TP	      0xF0 /* the simulator's test protocol */
#define TP_ECHO	      0x3
#define TP_ASYNC_ECHO 0x4

static struct scmi_handle *h;
static struct scmi_sim *sim;

static void open_with(unsigned int timeout_ms, unsigned int dresp_timeout_ms)
{
	struct scmi_config cfg = test_config(NULL);

	cfg.timeout_ms = timeout_ms;
	cfg.dresp_timeout_ms = dresp_timeout_ms;
	h = test_open("loopback://", &cfg);
	sim = scmi_loopback_sim(h);
	cr_assert_eq(scmi_sim_test_protocol_add(sim, TP, 4), 0);
}

static void setup(void)
{
	open_with(1000, 1000);
}

static void teardown(void)
{
	scmi_close(h);
	h = NULL;
}

/* ECHO of one word; 0 and *out = the echoed word, or an errno. */
static int echo(uint32_t val, uint32_t *out)
{
	uint8_t tx[4], rx[8];
	size_t len;
	int ret;

	scmi_put_le32(tx, val);
	ret = scmi_raw_command(h, TP, TP_ECHO, tx, sizeof(tx), rx, sizeof(rx), &len);
	if (!ret && len != 4)
		ret = -EPROTO;
	if (!ret)
		*out = scmi_get_le32(rx);
	return ret;
}

static void echo_ok(uint32_t val)
{
	uint32_t got = ~val;

	cr_assert_eq(echo(val, &got), 0, "echo %u", val);
	cr_assert_eq(got, val, "echo %u answered %u", val, got);
}

/* ASYNC_ECHO: the delayed response carries the word. */
static int async_echo(uint32_t val, uint32_t delay_us, uint32_t *out)
{
	struct scmi_instance *inst = scmi_inst(h);
	struct scmi_xfer *x;
	int ret;

	ret = scmi_xfer_get_init(&inst->tx_minfo, TP, TP_ASYNC_ECHO, 8, 0, 1000, &x);
	if (ret)
		return ret;
	scmi_put_le32((void *)x->t.tx, delay_us);
	scmi_put_le32((uint8_t *)x->t.tx + 4, val);
	ret = scmi_do_xfer_with_response(x);
	if (!ret && x->t.rx_len != 4)
		ret = -EPROTO;
	if (!ret)
		*out = scmi_get_le32(x->t.rx);
	scmi_xfer_put(x);
	return ret;
}

static void async_echo_ok(uint32_t val, uint32_t delay_us)
{
	uint32_t got = ~val;

	cr_assert_eq(async_echo(val, delay_us, &got), 0, "async echo %u", val);
	cr_assert_eq(got, val, "async echo %u answered %u", val, got);
}

static struct scmi_stats stats(void)
{
	struct scmi_stats st;

	scmi_stats_get(h, &st);
	return st;
}

struct drop_wait {
	uint64_t want;
};

/* Replies that found no xfer (late or unknown) or an xfer in the wrong
 * state. */
static bool drops_reached(void *arg)
{
	struct scmi_stats st = stats();

	return st.drop_unknown_token + st.drop_bad_state + st.late_replies >=
	       ((struct drop_wait *)arg)->want;
}

static void wait_drops(uint64_t want)
{
	struct drop_wait w = {want};

	cr_assert(test_wait_until(drops_reached, &w, 5000), "expected %llu dropped replies",
		  (unsigned long long)want);
}

static void arm(enum scmi_sim_fault_kind kind, uint32_t count, int64_t param)
{
	struct scmi_sim_fault f = {
		.kind = kind,
		.every = 1,
		.count = count,
		.protocol = TP,
		.message = -1,
		.param = param,
	};

	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
}

TestSuite(faults, .init = setup, .fini = teardown, .timeout = 60);

/* Row 1: normal sync and async commands. */
Test(faults, row1_sync_and_async)
{
	struct scmi_stats st;

	for (uint32_t i = 0; i < 200; i++) {
		echo_ok(i);
		async_echo_ok(1000 + i, i % 3 ? 0 : 200);
	}
	st = stats();
	cr_assert_eq(st.delayed_responses, 200);
	cr_assert_eq(st.sent, st.responses);
	cr_assert_eq(st.timeouts + st.dresp_timeouts + st.drop_unknown_token + st.drop_bad_state,
		     0);
}

/* Row 3: a response and its delayed response arrive back to back, while
 * other callers are busy too. */
struct async_worker {
	int idx, failures;
};

static void *async_worker_run(void *arg)
{
	struct async_worker *w = arg;

	for (uint32_t i = 0; i < 500; i++) {
		uint32_t val = (uint32_t)w->idx << 16 | i, got = 0;

		if (async_echo(val, 0, &got) || got != val)
			w->failures++;
	}
	return NULL;
}

Test(faults, row3_response_and_delayed_response_together)
{
	struct async_worker w[4];
	pthread_t th[4];

	for (int i = 0; i < 4; i++) {
		w[i] = (struct async_worker){.idx = i};
		pthread_create(&th[i], NULL, async_worker_run, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(w[i].failures, 0, "worker %d", i);
	}
	cr_assert_eq(stats().delayed_responses, 2000);
	cr_assert_eq(stats().drop_bad_state + stats().drop_unknown_token, 0);
}

/* Row 4: the delayed response overtakes its response. */
Test(faults, row4_delayed_response_first)
{
	arm(SCMI_SIM_FAULT_DRESP_FIRST, 10, 0);
	for (uint32_t i = 0; i < 10; i++)
		async_echo_ok(i, 0);
	/* Each late response is discarded: the xfer is final or gone. */
	wait_drops(10);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_DRESP_FIRST), 10);
	cr_assert_eq(stats().delayed_responses, 10);
	async_echo_ok(77, 0);
	echo_ok(78);
}

/* Row 5: a delayed response nobody asked for (sync command). */
Test(faults, row5_unexpected_delayed_response)
{
	arm(SCMI_SIM_FAULT_UNEXPECTED_DRESP, 5, 0);
	for (uint32_t i = 0; i < 5; i++)
		echo_ok(i);
	wait_drops(5);
	cr_assert_eq(stats().delayed_responses, 0, "never matched to a command");
	echo_ok(99);
}

/* Row 6: a response after the caller timed out. */
Test(faults, row6_late_response, .init = NULL)
{
	uint32_t got;
	uint64_t t0;

	open_with(100, 1000);
	arm(SCMI_SIM_FAULT_LATE, 1, 400000);
	t0 = test_now_ms();
	cr_assert_eq(echo(1, &got), -ETIMEDOUT);
	cr_assert_geq(test_now_ms() - t0, 95);
	cr_assert_eq(stats().timeouts, 1);
	/* While the late reply is on its way, new commands get their own. */
	for (uint32_t i = 2; i < 40; i++)
		echo_ok(i);
	wait_drops(1);
	/* Recognised as the timed-out command's: its token is free again. */
	cr_assert_eq(stats().late_replies, 1);
	cr_assert_eq(stats().drop_unknown_token, 0);
	cr_assert_eq(stats().tokens_quarantined, 0);
	echo_ok(1000);
}

Test(faults, row6_late_delayed_response, .init = NULL)
{
	uint32_t got;

	open_with(1000, 100);
	arm(SCMI_SIM_FAULT_LATE_DRESP, 1, 400000);
	cr_assert_eq(async_echo(5, 0, &got), -ETIMEDOUT);
	cr_assert_eq(stats().dresp_timeouts, 1);
	cr_assert_eq(stats().tokens_quarantined, 1);
	for (uint32_t i = 0; i < 20; i++)
		async_echo_ok(i, 0);
	wait_drops(1);
	cr_assert_eq(stats().late_replies, 1);
	cr_assert_eq(stats().drop_unknown_token, 0);
	cr_assert_eq(stats().tokens_quarantined, 0);
}

/* Row 7: a reply with a token nobody used, and duplicated replies. */
Test(faults, row7_wrong_token, .init = NULL)
{
	uint32_t got;

	open_with(100, 1000);
	arm(SCMI_SIM_FAULT_WRONG_TOKEN, 1, 0);
	cr_assert_eq(echo(1, &got), -ETIMEDOUT, "the reply went to another token");
	wait_drops(1);
	cr_assert_eq(stats().drop_unknown_token, 1);
	echo_ok(2);
}

Test(faults, row7_duplicate_response)
{
	arm(SCMI_SIM_FAULT_DUPLICATE, 20, 0);
	for (uint32_t i = 0; i < 20; i++) {
		echo_ok(i);
		async_echo_ok(100 + i, 0);
	}
	wait_drops(20);
	cr_assert_eq(stats().responses, stats().sent);
}

/* Row 8 (responses): too short to hold a status, or longer than allowed. */
Test(faults, row8_bad_response_length)
{
	uint32_t got;

	arm(SCMI_SIM_FAULT_BAD_LENGTH, 1, -8); /* header only: no status */
	cr_assert_eq(echo(1, &got), -EPROTO);
	cr_assert_eq(stats().drop_bad_length, 1);
	arm(SCMI_SIM_FAULT_BAD_LENGTH, 1, 300); /* beyond max_msg_size */
	cr_assert_eq(echo(2, &got), -EPROTO);
	cr_assert_eq(stats().drop_bad_length, 2);
	echo_ok(3);
}

/* Knobs from the URI: the agent keeps going. */
Test(faults, uri_knobs, .init = NULL)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_base_agent_info info;
	struct scmi_handle *dead = NULL;
	int ok = 0;

	cfg.timeout_ms = 50;
	h = test_open("loopback://?delay_us=200&dup=3", &cfg);
	for (int i = 0; i < 30; i++)
		ok += h->base_ops->discover_agent(h, (uint32_t)i % 4, &info) == 0 &&
		      info.id == (uint32_t)i % 4;
	cr_assert_eq(ok, 30);
	cr_assert_gt(stats().drop_bad_state + stats().drop_unknown_token, 0, "duplicates dropped");

	/* Every second reply dropped (the same knob, in its text form). */
	cr_assert_eq(scmi_sim_fault_parse(scmi_loopback_sim(h), "drop", "2"), 0);
	ok = 0;
	for (int i = 0; i < 10; i++) {
		int ret = h->base_ops->discover_agent(h, 1, &info);

		cr_assert(ret == 0 || ret == -ETIMEDOUT);
		ok += ret == 0;
	}
	cr_assert_eq(ok, 5);
	cr_assert_eq(stats().timeouts, 5);

	/* A platform that never answers: scmi_open() says so. */
	cr_assert_eq(scmi_open("loopback://?drop=1", &cfg, &dead), -ETIMEDOUT);
	cr_assert_null(dead);
}

/* ---- malformations the agent guards against (issue 8, item 18) ---------- */

/* A delayed response for a SYNC command, sent *before* its response: the
 * agent drops and counts it, and the command completes with the response. */
Test(faults, unexpected_delayed_response_before_sync_response)
{
	arm(SCMI_SIM_FAULT_UNEXPECTED_DRESP_FIRST, 5, 0);
	for (uint32_t i = 0; i < 5; i++)
		echo_ok(0x1000 + i);
	wait_drops(5);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_UNEXPECTED_DRESP_FIRST), 5);
	cr_assert_eq(stats().delayed_responses, 0, "never matched to a command");
	cr_assert_eq(stats().timeouts, 0);
	/* The knob is spent (count 5): the channel works as before. */
	echo_ok(99);
	async_echo_ok(100, 0);
}

/* The same from the URI, on every sync command of the bring-up too. */
Test(faults, unexpected_delayed_response_first_from_uri, .init = NULL)
{
	struct scmi_base_agent_info info;

	h = test_open("loopback://?unexpected_dresp_first=1", NULL);
	sim = scmi_loopback_sim(h);
	cr_assert_eq(h->base_ops->discover_agent(h, 1, &info), 0);
	cr_assert_eq(info.id, 1);
	cr_assert_gt(stats().drop_bad_state + stats().drop_unknown_token, 0);
	cr_assert_eq(stats().delayed_responses, 0);
}

/* CLOCK_DESCRIBE_RATES in range form with a wrong count, for clock 1 only
 * (the "gpu" range clock): 2 or 4 entries, or 3 with a nonzero remaining.
 * Whatever the agent's walk leniency (being changed on another branch),
 * the handle must survive it: no crash, no hang, Base and the other
 * protocols keep working, and clock ops answer an error rather than use
 * the bad table. */
#define C_CPU	  0 /* discrete list */
#define C_GPU	  1 /* range */
#define C_PLL_SYS 5 /* range */

static const char *const range_count_uris[] = {
	"loopback://?range_count=2:0:1",
	"loopback://?range_count=4:0:1",
	"loopback://?range_count=3:1:1",
};

Test(faults, clock_range_wrong_count_handle_survives, .init = NULL)
{
	for (size_t i = 0; i < sizeof(range_count_uris) / sizeof(range_count_uris[0]); i++) {
		const char *uri = range_count_uris[i];
		struct scmi_base_agent_info info;
		const struct scmi_clock_info *ci;
		uint32_t level;
		int ret;

		h = test_open(uri, NULL);
		sim = scmi_loopback_sim(h);
		ret = h->clock_ops->info_get(h, C_GPU, &ci);
		cr_assert(ret < 0 || ci->rates_err != 0, "%s: the bad range is not used", uri);
		cr_assert_geq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_RANGE_COUNT), 1, "%s", uri);
		cr_assert_eq(h->base_ops->discover_agent(h, 1, &info), 0, "%s", uri);
		cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0, "%s", uri);
		scmi_close(h);
		h = NULL;
	}
}

/* A wrong range count refuses clock 1's rate table only; the clock
 * protocol and the other clocks keep working. */
Test(faults, clock_range_wrong_count_only_that_clock, .init = NULL)
{
	for (size_t i = 0; i < sizeof(range_count_uris) / sizeof(range_count_uris[0]); i++) {
		const char *uri = range_count_uris[i];
		const struct scmi_clock_info *ci;
		uint64_t rate;

		h = test_open(uri, NULL);
		sim = scmi_loopback_sim(h);
		cr_assert_eq(h->clock_ops->count_get(h), scmi_sim_clock_count(sim), "%s", uri);
		cr_assert_eq(h->clock_ops->info_get(h, C_GPU, &ci), 0, "%s", uri);
		cr_assert_neq(ci->rates_err, 0, "%s", uri);
		cr_assert_eq(h->clock_ops->info_get(h, C_CPU, &ci), 0);
		cr_assert_eq(ci->rates_err, 0);
		cr_assert_eq(h->clock_ops->info_get(h, C_PLL_SYS, &ci), 0);
		cr_assert_eq(ci->rates_err, 0);
		cr_assert_eq(ci->range.max_rate, 4800000000ull);
		cr_assert_eq(h->clock_ops->rate_set(h, C_PLL_SYS, 1000000000ull, 0, NULL), 0);
		cr_assert_eq(h->clock_ops->rate_get(h, C_PLL_SYS, &rate), 0);
		cr_assert_eq(rate, 1000000000ull);
		cr_assert_eq(h->clock_ops->rate_get(h, C_GPU, &rate), 0, "the platform judges");
		scmi_close(h);
		h = NULL;
	}
}

/* The boundary: exactly 3 + 0 is a good range. */
Test(faults, clock_range_exactly_three_is_fine, .init = NULL)
{
	const struct scmi_clock_info *ci;

	h = test_open("loopback://?range_count=3:0:1", NULL);
	cr_assert_eq(h->clock_ops->info_get(h, C_GPU, &ci), 0);
	cr_assert_eq(ci->rates_err, 0);
	cr_assert_eq(ci->range.max_rate, 1000000000ull);
}

/*
 * A malformed PROTOCOL_VERSION reply (SUCCESS with fewer than the 4 data
 * bytes of the version) for the clock protocol: clock stays down with an
 * error, nothing crashes, the other protocols work.  3 bytes is the
 * boundary (4 is a good reply).
 */
static void version_short_case(int delta)
{
	char uri[64];
	uint64_t rate;
	uint32_t level;

	snprintf(uri, sizeof(uri), "loopback://?bad_len_at=0x14:0:%d", delta);
	h = test_open(uri, NULL);
	sim = scmi_loopback_sim(h);
	cr_assert_lt(h->clock_ops->count_get(h), 0, "%s: clock stays down", uri);
	cr_assert_lt(h->clock_ops->rate_get(h, 0, &rate), 0, "%s", uri);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), -EPROTO, "%s: a clear error", uri);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0, "%s: perf unaffected", uri);
	scmi_close(h);
	h = NULL;
}

Test(faults, protocol_version_reply_short, .init = NULL)
{
	version_short_case(-1); /* 3 data bytes */
	version_short_case(-4); /* status only */
	version_short_case(-8); /* not even the status: dropped, the call fails */
}

Test(faults, protocol_version_reply_exactly_four_bytes, .init = NULL)
{
	uint64_t rate;

	h = test_open("loopback://?bad_len_at=0x14:0:0", NULL);
	cr_assert_gt(h->clock_ops->count_get(h), 0);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
}

/* The bring-up failure of one protocol is logged with its name. */
Test(faults, protocol_version_failure_logged, .init = NULL)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	uint64_t rate;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://?bad_len_at=0x14:0:-1", &cfg);
	cr_assert_lt(h->clock_ops->rate_get(h, 0, &rate), 0);
	/* Named by id at open, and by name at each bring-up attempt. */
	cr_assert(test_log_contains(&lg, "0x14"), "log: %s", lg.text);
	cr_assert(test_log_contains(&lg, "clock: PROTOCOL_VERSION failed"), "log: %s", lg.text);
	scmi_close(h); /* before lg goes */
	h = NULL;
}

/* PROTOCOL_VERSION answered with an error status: the protocol stays
 * down with that error, the others work. */
Test(faults, protocol_version_error_status, .init = NULL)
{
	uint64_t rate;
	uint32_t level;

	h = test_open("loopback://?status=clock:protocol_version:GENERIC_ERROR", NULL);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), -EIO);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_GENERIC_ERROR);
	cr_assert_eq(h->clock_ops->count_get(h), -EIO);
	cr_assert_eq(h->perf_ops->level_get(h, 0, &level), 0);
}

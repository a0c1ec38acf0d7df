// SPDX-License-Identifier: BSD-3-Clause
/*
 * The fault matrix (TESTING.md) against the simulator: each row is a
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

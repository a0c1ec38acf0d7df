// SPDX-License-Identifier: BSD-3-Clause
/* The xfer / token manager. */
#include <errno.h>
#include <stdlib.h>

#include "common.h"
#include "helpers.h"
#include "script_transport.h"
#include "workloads.h"

static struct scmi_instance *fake_instance(void)
{
	struct scmi_instance *inst = calloc(1, sizeof(*inst));

	cr_assert_not_null(inst);
	inst->log.level = SCMI_LOG_SILENT;
	inst->timeout_ms = 100;
	return inst;
}

Test(tokens, monotonic_and_wrap)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;

	cr_assert_eq(scmi_xfers_init(&info, inst, 8, 64, true), 0);
	pthread_mutex_lock(&info.lock);
	/* Released at once, tokens still never repeat before wrapping. */
	for (unsigned int i = 0; i < 3 * SCMI_MAX_TOKENS; i++) {
		int t = scmi_xfer_token_alloc(&info);

		cr_assert_eq(t, (int)(i % SCMI_MAX_TOKENS), "alloc %u", i);
		scmi_xfer_token_release(&info, (uint16_t)t);
	}
	pthread_mutex_unlock(&info.lock);
	scmi_xfers_destroy(&info);
	free(inst);
}

Test(tokens, skip_in_flight)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;
	int t;

	cr_assert_eq(scmi_xfers_init(&info, inst, 8, 64, true), 0);
	pthread_mutex_lock(&info.lock);
	/* Hold 0 and 1, then hand out up to 1021 and release them. */
	cr_assert_eq(scmi_xfer_token_alloc(&info), 0);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 1);
	for (int i = 2; i < 1022; i++)
		scmi_xfer_token_release(&info, (uint16_t)scmi_xfer_token_alloc(&info));
	/* Hold 1022 and 1023 too: after 1021 the next must wrap past 0,1. */
	cr_assert_eq(scmi_xfer_token_alloc(&info), 1022);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 1023);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 2, "in-flight 0 and 1 are skipped");
	scmi_xfer_token_release(&info, 2);
	/* Free 1022: last is 2, so the next is 3, not the lower free one. */
	scmi_xfer_token_release(&info, 1022);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 3);

	/* Exhaust the space. */
	for (t = 0; t >= 0; t = scmi_xfer_token_alloc(&info))
		;
	cr_assert_eq(t, -EBUSY);
	scmi_xfer_token_release(&info, 700);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 700, "the only free token");
	pthread_mutex_unlock(&info.lock);
	scmi_xfers_destroy(&info);
	free(inst);
}

Test(tokens, pool_exhaustion_is_an_error_not_a_hang)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;
	struct scmi_xfer *x[4], *extra;
	uint64_t t0;

	cr_assert_eq(scmi_xfers_init(&info, inst, 4, 64, true), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 0, 0, 0, &x[i]), 0);
		cr_assert_eq(x[i]->token, i);
		cr_assert_eq(scmi_hdr_token(x[i]->t.hdr), i);
	}
	cr_assert_eq(scmi_xfers_in_use(&info), 4);
	t0 = test_now_ms();
	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 0, 0, 50, &extra), -ENOBUFS);
	cr_assert_geq(test_now_ms() - t0, 45, "waited for a free xfer");
	cr_assert_eq(atomic_load(&inst->stats.xfer_exhausted), 1);
	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 65, 0, 50, &extra), -EMSGSIZE);
	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 0, 65, 50, &extra), -EMSGSIZE);

	scmi_xfer_put(x[2]);
	/* Exactly max_msg_size each way fits. */
	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 64, 64, 50, &extra), 0);
	cr_assert_eq(extra->token, 4, "monotonic: not the freed token 2");
	cr_assert_eq(extra->t.rx_size, 64);
	scmi_xfer_put(extra);
	for (int i = 0; i < 4; i++)
		if (i != 2)
			scmi_xfer_put(x[i]);
	cr_assert_eq(scmi_xfers_in_use(&info), 0);
	scmi_xfers_destroy(&info);
	free(inst);
}

/* ---- many threads through one handle ---------------------------------------- */

static void run_workers(const char *uri, int nthreads)
{
	struct workload_err err = {{0}};

	cr_assert_eq(workload_agent_threads(uri, nthreads, 1500, &err), 0, "%s", err.msg);
}

Test(xfer, eight_threads_share_a_pool, .timeout = 120)
{
	run_workers("loopback://?max_msg=16", 8);
}

Test(xfer, more_threads_than_xfers, .timeout = 120)
{
	/* 12 callers, 3 xfers: callers queue for xfers, none fails. */
	run_workers("loopback://?max_msg=3", 12);
}

Test(xfer, threads_with_polling, .timeout = 120)
{
	run_workers("loopback://?max_msg=8&polling=1", 8);
}

/* Duplicated and late replies on a polling channel: each caller gets its
 * own reply or a timeout, never another's (and TSan, through the stress
 * runner, sees no parked reply written while read). */
Test(xfer, polling_with_duplicate_and_late_replies, .timeout = 120)
{
	struct workload_err err = {{0}};

	cr_assert_eq(workload_polling_faults(8, 300, &err), 0, "%s", err.msg);
}

/* A delayed response that comes right behind its response, on a polling
 * channel: the caller polling the response and the RX thread taking the
 * delayed response fill the same xfer at once.  The second fill waited for
 * the first holding the xfer's lock, which the first needs to finish: a
 * deadlock, seen as a hang (the timeout below) about once in 20 000
 * commands. */
Test(xfer, polling_response_and_delayed_response_fill_at_once, .timeout = 120)
{
	static struct test_log lg; /* outlives the test: close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://?polling=1", &cfg);

	/* Async sensor reads: the delayed response follows at once. */
	cr_assert_eq(scmi_sim_sensor_async_set(test_sim(h), 255, 0), 0);
	cr_assert_geq(h->sensor_ops->count_get(h), 4);
	for (int i = 0; i < 20000; i++) {
		int64_t v;

		int ret = h->sensor_ops->reading_get(h, 3, &v);

		cr_assert_eq(ret, 0, "read %d: %d (%s)\n%s", i, ret, scmi_strerror(ret), lg.text);
	}
	{
		struct scmi_stats st;

		cr_assert_eq(scmi_stats_get(h, &st), 0);
		cr_assert_geq(st.delayed_responses, 20000, "%llu delayed responses",
			      (unsigned long long)st.delayed_responses);
	}
	scmi_close(h);
}

/* ---- tokens: the search wraps to 0; quarantine after timeouts ---------------- */

Test(tokens, search_wraps_to_token_zero)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;

	cr_assert_eq(scmi_xfers_init(&info, inst, 8, 64, true), 0);
	pthread_mutex_lock(&info.lock);
	for (int i = 0; i < (int)SCMI_MAX_TOKENS; i++)
		cr_assert_eq(scmi_xfer_token_alloc(&info), i);
	scmi_xfer_token_release(&info, 500);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 500);
	/* last = 500; 501..1023 busy; only token 0 free: the search must
	 * wrap to it, not give up. */
	scmi_xfer_token_release(&info, 0);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 0);
	cr_assert_eq(scmi_xfer_token_alloc(&info), -EBUSY);
	pthread_mutex_unlock(&info.lock);
	scmi_xfers_destroy(&info);
	free(inst);
}

static bool get_init_works(void *arg)
{
	struct scmi_xfers_info *info = arg;
	struct scmi_xfer *x;

	if (scmi_xfer_get_init(info, 0x10, 0, 0, 0, 0, &x))
		return false;
	scmi_xfer_put(x);
	return true;
}

static bool all_tokens_back(void *arg)
{
	struct scmi_xfers_info *info = arg;

	return get_init_works(info) && scmi_xfers_quarantined(info) == 0;
}

Test(tokens, every_free_token_held_back_is_ebusy_until_expiry)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;
	struct scmi_xfer *x, *y;

	cr_assert_eq(scmi_xfers_init(&info, inst, 8, 64, true), 0);
	pthread_mutex_lock(&info.lock);
	/* Every token but 7 belongs to a command that timed out. */
	for (int i = 0; i < (int)SCMI_MAX_TOKENS; i++)
		cr_assert_eq(scmi_xfer_token_alloc(&info), i);
	for (uint16_t t = 0; t < SCMI_MAX_TOKENS; t++)
		if (t != 7)
			scmi_xfer_token_quarantine(&info, t, 0x10, 0, true, false, 100);
	scmi_xfer_token_release(&info, 7);
	pthread_mutex_unlock(&info.lock);
	cr_assert_eq(scmi_xfers_quarantined(&info), SCMI_MAX_TOKENS - 1);

	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 0, 0, 0, &x), 0);
	cr_assert_eq(x->token, 7);
	/* Free xfers remain, but no token that cannot meet a late reply. */
	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 0, 0, 0, &y), -EBUSY);
	cr_assert_eq(atomic_load(&inst->stats.tokens_exhausted), 1);
	cr_assert_eq(scmi_xfers_in_use(&info), 1, "the refused command returned its xfer");
	/* After the quarantine (x still holds 7), the tokens come back. */
	cr_assert(test_wait_until(get_init_works, &info, 5000));
	/* Each token was held back at its own instant: all are back soon after. */
	cr_assert(test_wait_until(all_tokens_back, &info, 5000), "%u still held back",
		  scmi_xfers_quarantined(&info));
	scmi_xfer_put(x);
	scmi_xfers_destroy(&info);
	free(inst);
}

/*
 * The report's case, made deterministic with script://: command A times
 * out; its reply is held back and handed to the agent later -- at the
 * moment a newer command reuses A's token if one ever does, else after
 * 1100 more commands.  Every command must get its own reply; the late one
 * is dropped as late, and frees A's token.
 */
#define TP	0xF0
#define TP_ECHO 0x3

struct late_ctx {
	bool hold_next;
	uint8_t held[64];
	size_t held_len;
	uint16_t held_token;
	bool have_held, injected, token_reused_early, token_reused_after;
	unsigned int sends;
};

static enum st_verdict late_on_emit(const uint8_t *msg, size_t len, void *arg)
{
	struct late_ctx *c = arg;
	uint32_t hdr = scmi_get_le32(msg);

	if (c->hold_next && scmi_hdr_protocol(hdr) == TP && len <= sizeof(c->held)) {
		memcpy(c->held, msg, len);
		c->held_len = len;
		c->held_token = scmi_hdr_token(hdr);
		c->have_held = true;
		c->hold_next = false;
		return ST_DROP;
	}
	return ST_DELIVER;
}

static void late_on_send(uint32_t hdr, const void *payload, size_t len, void *arg)
{
	struct late_ctx *c = arg;
	uint16_t token = scmi_hdr_token(hdr);

	(void)payload;
	(void)len;
	if (!c->have_held)
		return;
	if (c->injected) {
		c->token_reused_after |= token == c->held_token;
		return;
	}
	c->token_reused_early |= token == c->held_token;
	if (token == c->held_token || ++c->sends == 1100) {
		c->injected = true;
		st_inject(c->held, c->held_len);
	}
}

static int echo_u32(struct scmi_handle *h, uint32_t val, uint32_t *got)
{
	uint8_t tx[8], rx[8];
	size_t len = 0;
	int ret;

	scmi_put_le32(tx, val);
	scmi_put_le32(tx + 4, ~val);
	ret = scmi_raw_command(h, TP, TP_ECHO, tx, sizeof(tx), rx, sizeof(rx), &len);
	if (!ret && (len != 8 || scmi_get_le32(rx + 4) != ~scmi_get_le32(rx)))
		return -EPROTO;
	*got = scmi_get_le32(rx);
	return ret;
}

Test(tokens, a_late_reply_never_completes_a_newer_command)
{
	struct scmi_config cfg = test_config(NULL);
	struct late_ctx c = {0};
	struct st_script script = {.on_send = late_on_send, .on_emit = late_on_emit, .arg = &c};
	struct scmi_handle *h;
	struct scmi_stats st;
	uint32_t got;

	st_register();
	cfg.timeout_ms = 200; /* quarantine: 800 ms, far more than the run */
	h = test_open("script://", &cfg);
	st_set_script(&script);

	c.hold_next = true;
	cr_assert_eq(echo_u32(h, 0xA0A0A0A0, &got), -ETIMEDOUT);
	cr_assert(c.have_held);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.tokens_quarantined, 1);

	for (uint32_t i = 0; i < 2100; i++) {
		cr_assert_eq(echo_u32(h, i, &got), 0, "command %u", i);
		cr_assert_eq(got, i, "command %u completed with another command's reply", i);
	}
	cr_assert(c.injected);
	cr_assert_not(c.token_reused_early, "token %u reused while its reply was due",
		      c.held_token);
	cr_assert(c.token_reused_after, "the late reply freed the token");
	scmi_stats_get(h, &st);
	cr_assert_eq(st.late_replies, 1);
	cr_assert_eq(st.tokens_quarantined, 0);
	cr_assert_eq(st.drop_unknown_token + st.drop_bad_state, 0);
	cr_assert_eq(st.responses, st.sent - 1);
	scmi_close(h);
}

/* Pool limits, exactly at the edges. */
Test(tokens, pool_limits)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;

	cr_assert_eq(scmi_xfers_init(&info, inst, 0, 64, true), -EINVAL);
	cr_assert_eq(scmi_xfers_init(&info, inst, SCMI_MAX_TOKENS + 1, 64, true), -EINVAL);
	cr_assert_eq(scmi_xfers_init(&info, inst, 8, 0, true), -EINVAL);
	cr_assert_eq(scmi_xfers_init(&info, inst, 1, 1, true), 0);
	cr_assert_eq(info.max_msg, 1);
	scmi_xfers_destroy(&info);
	cr_assert_eq(scmi_xfers_init(&info, inst, SCMI_MAX_TOKENS, 8, true), 0);
	cr_assert_eq(info.num_free, SCMI_MAX_TOKENS);
	scmi_xfers_destroy(&info);
	free(inst);
}

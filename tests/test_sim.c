/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of the SCMI platform simulator (sim/): hand-built request bytes in,
 * emitted bytes checked.  White-box where it has to be: a small test model
 * is registered through the internal registry (sim-internal.h) to get an
 * async command, a *_NOTIFY command and a version-dependent command before
 * the standard models that have them exist.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include <scmi-sim/sim.h>

#include "../sim/sim-internal.h"

/* ---- helpers -------------------------------------------------------------- */

#define BASE		0x10
#define TP		0xF0 /* the test model's protocol id */
#define TOKEN		0x155
#define MSG_BUF		(8 + 2048)
#define CAP_MAX		256
#define TYPE_CMD	0
#define TYPE_DRESP	2
#define TYPE_NOTIF	3
#define S_SUCCESS	0
#define S_NOT_SUPPORTED (-1)
#define S_INVALID	(-2)
#define S_DENIED	(-3)
#define S_NOT_FOUND	(-4)
#define S_OUT_OF_RANGE	(-5)
#define S_BUSY		(-6)
#define S_GENERIC	(-8)
#define S_PROTO_ERROR	(-10)

struct cap_msg {
	enum scmi_sim_chan chan;
	size_t len;
	uint64_t delay;
	uint8_t b[MSG_BUF];
};

static struct {
	struct cap_msg m[CAP_MAX];
	size_t n;
} cap;

static struct scmi_sim *sim;

static void cap_emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		     uint64_t delay_us)
{
	struct cap_msg *m;

	(void)priv;
	cr_assert_lt(cap.n, CAP_MAX, "too many messages");
	cr_assert_leq(len, MSG_BUF);
	m = &cap.m[cap.n++];
	m->chan = chan;
	m->len = len;
	m->delay = delay_us;
	memcpy(m->b, msg, len);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t mkhdr(uint8_t proto, uint8_t id, uint8_t type, uint16_t token)
{
	return (uint32_t)id | (uint32_t)type << 8 | (uint32_t)proto << 10 | (uint32_t)token << 18;
}

static size_t build(uint8_t *buf, uint8_t proto, uint8_t id, uint16_t token, unsigned int n,
		    va_list ap)
{
	unsigned int i;

	put32(buf, mkhdr(proto, id, TYPE_CMD, token));
	for (i = 0; i < n; i++)
		put32(buf + 4 + 4 * i, va_arg(ap, uint32_t));
	return 4 + 4 * (size_t)n;
}

/* Send a command with @n u32 parameters and token @token; clears the capture. */
static void cmdt(uint8_t proto, uint8_t id, uint16_t token, unsigned int n, ...)
{
	uint8_t buf[4 + 4 * 16];
	va_list ap;
	size_t len;

	va_start(ap, n);
	len = build(buf, proto, id, token, n, ap);
	va_end(ap);
	cap.n = 0;
	cr_assert_eq(scmi_sim_process(sim, buf, len), 0);
}

#define cmd(proto, id, ...) cmdt(proto, id, TOKEN, __VA_ARGS__)

/* Send raw bytes after a header. */
static void cmd_raw(uint8_t proto, uint8_t id, const void *payload, size_t len)
{
	uint8_t buf[64];

	cr_assert_leq(len + 4, sizeof(buf));
	put32(buf, mkhdr(proto, id, TYPE_CMD, TOKEN));
	memcpy(buf + 4, payload, len);
	cap.n = 0;
	cr_assert_eq(scmi_sim_process(sim, buf, len + 4), 0);
}

static const struct cap_msg *msg(size_t i)
{
	cr_assert_lt(i, cap.n, "message %zu not emitted (%zu)", i, cap.n);
	return &cap.m[i];
}

static uint32_t hdr_of(size_t i)
{
	return le32(msg(i)->b);
}

static uint8_t type_of(size_t i)
{
	return (uint8_t)(hdr_of(i) >> 8 & 3);
}

static uint16_t token_of(size_t i)
{
	return (uint16_t)(hdr_of(i) >> 18 & 0x3FF);
}

static int32_t status(size_t i)
{
	cr_assert_geq(msg(i)->len, 8);
	return (int32_t)le32(msg(i)->b + 4);
}

/* u32 number @k of the data after the status. */
static uint32_t data32(size_t i, size_t k)
{
	cr_assert_geq(msg(i)->len, 8 + 4 * k + 4);
	return le32(msg(i)->b + 8 + 4 * k);
}

static size_t data_len(size_t i)
{
	return msg(i)->len - 8;
}

/* One response with @st and @dlen data bytes, nothing else. */
static void expect_reply(int32_t st, size_t dlen)
{
	cr_assert_eq(cap.n, 1, "emitted %zu messages", cap.n);
	cr_assert_eq(msg(0)->chan, SCMI_SIM_CHAN_A2P);
	cr_assert_eq(status(0), st, "status %d, expected %d", status(0), st);
	cr_assert_eq(data_len(0), dlen, "data %zu bytes, expected %zu", data_len(0), dlen);
}

static void expect_status(int32_t st)
{
	expect_reply(st, 0);
}

/* These suites test the core and Base: remove the other protocol models
 * so that the platform holds only what a test adds. */
static void hide_std_protocols(void)
{
	for (uint8_t id = 0x11; id <= 0x19; id++)
		sim_model_unregister(sim, id);
}

static void sim_make(const struct scmi_sim_config *cfg)
{
	cr_assert_eq(scmi_sim_new(cfg, &sim), 0);
	hide_std_protocols();
	scmi_sim_set_emit(sim, cap_emit, NULL);
	cap.n = 0;
}

static void setup(void)
{
	sim_make(NULL);
}

static void teardown(void)
{
	scmi_sim_free(sim);
	sim = NULL;
}

/* ---- the test model ----------------------------------------------------- */

enum {
	TM_ASYNC = 0x3,	 /* +0 delay µs: response, then delayed response 0xCAFE */
	TM_NOTIFY = 0x4, /* +0 enable b0 of event 0 */
	TM_EVENT = 0x5,	 /* raise event 0 (8 bytes) */
	TM_NEW = 0x6,	 /* exists since 1.1 */
	TM_BIG = 0x7,	 /* reply one byte larger than fits */
	TM_VAR = 0x8,	 /* variable length, handler checks 8 */
};

/* Model code may run on the runner thread, where Criterion cannot assert:
 * failures are counted and checked by the tests. */
static int tm_resets;
static int tm_errors;

static void tm_async(struct sim_ctx *ctx)
{
	uint8_t d[4];

	put32(d, 0xCAFE);
	if (sim_reply_delayed(ctx, 0, d, sizeof(d), sim_req_u32(ctx, 0)))
		tm_errors++;
}

static void tm_notify(struct sim_ctx *ctx)
{
	sim_notify_request(ctx->sim, TP, 0, 0, sim_req_u32(ctx, 0) & 1);
}

static void tm_event(struct sim_ctx *ctx)
{
	uint8_t p[8];

	put32(p, ctx->sim->agent_id);
	put32(p + 4, 0xBEEF);
	sim_notify(ctx->sim, TP, 0, 0, p, sizeof(p), 0);
}

static void tm_new(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, 0x11);
}

static void tm_big(struct sim_ctx *ctx)
{
	if (sim_reply_put(ctx, sim_reply_room(ctx) + 1))
		tm_errors++;
}

static void tm_var(struct sim_ctx *ctx)
{
	if (sim_req_len_is(ctx, 8))
		sim_reply_u32(ctx, sim_req_u32(ctx, 4));
}

static uint32_t tm_msg_attrs(struct sim_ctx *ctx, uint8_t id)
{
	(void)ctx;
	return id == TM_ASYNC ? 0x1 : 0;
}

static void tm_agent_reset(struct sim_proto *p, uint32_t agent)
{
	(void)p;
	(void)agent;
	tm_resets++;
}

/* Speaks 1.2 but claims 1.1: negotiation must still refuse 1.2. */
static const uint32_t tm_versions[] = {0x10000, 0x10001, 0x10002, 0};

static const struct sim_cmd tm_cmds[] = {
	{TM_ASYNC, 0x10000, 4, tm_async}, {TM_NOTIFY, 0x10000, 4, tm_notify},
	{TM_EVENT, 0x10000, 0, tm_event}, {TM_NEW, 0x10001, 0, tm_new},
	{TM_BIG, 0x10000, 0, tm_big},	  {TM_VAR, 0x10000, SIM_REQ_LEN_ANY, tm_var},
};

static const struct sim_proto_ops tm_ops = {
	.id = TP,
	.name = "test",
	.versions = tm_versions,
	.negotiate_since = 0x10001,
	.cmds = tm_cmds,
	.num_cmds = SIM_ARRAY_SIZE(tm_cmds),
	.msg_attributes = tm_msg_attrs,
	.agent_reset = tm_agent_reset,
};

static void setup_tm(void)
{
	setup();
	tm_errors = 0;
	cr_assert_eq(sim_model_register(sim, &tm_ops, 0x10001), 0);
}

static void teardown_tm(void)
{
	teardown();
	cr_assert_eq(tm_errors, 0);
}

/* ---- core: framing and platform validation -------------------------------- */

TestSuite(core, .init = setup, .fini = teardown);

Test(core, short_message_dropped)
{
	uint8_t b[3] = {0};
	struct scmi_sim_stats st;

	cr_assert_eq(scmi_sim_process(sim, b, 3), -EINVAL);
	cr_assert_eq(scmi_sim_process(sim, b, 0), -EINVAL);
	scmi_sim_stats_get(sim, &st);
	cr_assert_eq(st.requests, 2);
	cr_assert_eq(st.malformed, 2);
	cr_assert_eq(cap.n, 0);
}

Test(core, non_command_types_dropped)
{
	uint8_t b[4];
	struct scmi_sim_stats st;
	uint8_t type;

	for (type = 1; type <= 3; type++) {
		put32(b, mkhdr(BASE, 0, type, 1));
		cr_assert_eq(scmi_sim_process(sim, b, 4), -EINVAL);
	}
	scmi_sim_stats_get(sim, &st);
	cr_assert_eq(st.malformed, 3);
	cr_assert_eq(st.responses, 0);
	cr_assert_eq(cap.n, 0);
}

Test(core, bad_arguments)
{
	cr_assert_eq(scmi_sim_process(NULL, "abcd", 4), -EINVAL);
	cr_assert_eq(scmi_sim_process(sim, NULL, 4), -EINVAL);
	cr_assert_eq(scmi_sim_new(NULL, NULL), -EINVAL);
	scmi_sim_free(NULL);
}

Test(core, response_header_echoes_command)
{
	cmdt(BASE, 0x0, 1023, 0);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(hdr_of(0), mkhdr(BASE, 0, TYPE_CMD, 1023));
	/* Reserved header bits are not echoed. */
	{
		uint8_t b[4];

		put32(b, mkhdr(BASE, 0, TYPE_CMD, 7) | 0xF0000000u);
		cap.n = 0;
		cr_assert_eq(scmi_sim_process(sim, b, 4), 0);
		cr_assert_eq(hdr_of(0), mkhdr(BASE, 0, TYPE_CMD, 7));
	}
}

Test(core, unknown_protocol_not_supported)
{
	cmd(0x11, 0x0, 0); /* Power: not modelled yet */
	expect_status(S_NOT_SUPPORTED);
	cmd(0x85, 0x0, 0);
	expect_status(S_NOT_SUPPORTED);
	cmd(0x01, 0x0, 0);
	expect_status(S_NOT_SUPPORTED);
}

Test(core, unknown_message_not_found)
{
	cmd(BASE, 0x0C, 0);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0xFF, 1, 0);
	expect_status(S_NOT_FOUND);
}

Test(core, wrong_size_protocol_error)
{
	uint8_t junk[16] = {0};

	cmd(BASE, 0x0, 1, 0); /* VERSION takes nothing */
	expect_status(S_PROTO_ERROR);
	cmd(BASE, 0x3, 1, 0);
	expect_status(S_PROTO_ERROR);
	cmd(BASE, 0x6, 0); /* LIST_PROTOCOLS takes 4 */
	expect_status(S_PROTO_ERROR);
	cmd(BASE, 0x6, 2, 0, 0);
	expect_status(S_PROTO_ERROR);
	cmd_raw(BASE, 0x6, junk, 3);
	expect_status(S_PROTO_ERROR);
	cmd(BASE, 0x2, 0);
	expect_status(S_PROTO_ERROR);
	cmd(BASE, 0x9, 2, 1, 1);
	expect_status(S_PROTO_ERROR);
	cmd(BASE, 0xA, 3, 1, 1, 0x80);
	expect_status(S_PROTO_ERROR);
	cmd(BASE, 0xB, 1, 1);
	expect_status(S_PROTO_ERROR);
	cmd(BASE, 0x10, 0);
	expect_status(S_PROTO_ERROR);
}

Test(core, stats_count)
{
	struct scmi_sim_stats st;

	cmd(BASE, 0x0, 0);
	cmd(BASE, 0x1, 0);
	scmi_sim_stats_get(sim, &st);
	cr_assert_eq(st.requests, 2);
	cr_assert_eq(st.responses, 2);
	cr_assert_eq(st.malformed, 0);
	cr_assert_eq(st.delayed_responses, 0);
	cr_assert_eq(st.notifications, 0);
}

Test(core, emit_can_be_removed)
{
	struct scmi_sim_stats st;

	scmi_sim_set_emit(sim, NULL, NULL);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(cap.n, 0);
	scmi_sim_stats_get(sim, &st);
	cr_assert_eq(st.responses, 1);
}

Test(core, config_validation)
{
	struct scmi_sim *s2 = NULL;
	struct scmi_sim_config c = {.max_msg_size = 20};

	cr_assert_eq(scmi_sim_new(&c, &s2), -EINVAL);
	cr_assert_null(s2);
	c = (struct scmi_sim_config){.agent_id = 4};
	cr_assert_eq(scmi_sim_new(&c, &s2), -EINVAL);
	c = (struct scmi_sim_config){.profile = "scmi-9.9"};
	cr_assert_eq(scmi_sim_new(&c, &s2), -EINVAL);
	c = (struct scmi_sim_config){.max_msg_size = 68, .agent_id = 3};
	cr_assert_eq(scmi_sim_new(&c, &s2), 0);
	scmi_sim_free(s2);
}

/* ---- common messages and negotiation -------------------------------------- */

TestSuite(common, .init = setup_tm, .fini = teardown_tm);

Test(common, version_and_attributes)
{
	cmd(BASE, 0x0, 0);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0x20001);
	cmd(TP, 0x0, 0);
	cr_assert_eq(data32(0, 0), 0x10001);
	cmd(TP, 0x1, 0); /* no callback: one zero word */
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0);
}

Test(common, message_attributes)
{
	cmd(BASE, 0x2, 1, 0x3);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0);
	cmd(BASE, 0x2, 1, 0x0);
	expect_reply(S_SUCCESS, 4);
	cmd(BASE, 0x2, 1, 0x10); /* Base 2.1 negotiates */
	expect_reply(S_SUCCESS, 4);
	cmd(BASE, 0x2, 1, 0xC);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x2, 1, 0x103); /* not a message id */
	expect_status(S_NOT_FOUND);
	cmd(TP, 0x2, 1, TM_ASYNC); /* model callback */
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 1);
}

Test(common, negotiate_rules)
{
	static const struct {
		uint32_t want;
		int32_t st;
	} cases[] = {
		{0x20001, S_SUCCESS},	    {0x20000, S_SUCCESS},	{0x20002, S_NOT_SUPPORTED},
		{0x10000, S_NOT_SUPPORTED}, {0x30000, S_NOT_SUPPORTED}, {0x30001, S_NOT_SUPPORTED},
	};
	size_t i;

	for (i = 0; i < SIM_ARRAY_SIZE(cases); i++) {
		cmd(BASE, 0x10, 1, cases[i].want);
		expect_status(cases[i].st);
	}
	/* VERSION keeps telling what the platform implements. */
	cmd(BASE, 0x0, 0);
	cr_assert_eq(data32(0, 0), 0x20001);
}

Test(common, negotiated_version_is_used)
{
	cmd(TP, TM_NEW, 0);
	expect_reply(S_SUCCESS, 4);
	cmd(TP, 0x10, 1, 0x10000);
	expect_status(S_SUCCESS);
	cmd(TP, TM_NEW, 0); /* 1.1 command, talking 1.0 now */
	expect_status(S_NOT_FOUND);
	cmd(TP, 0x2, 1, TM_NEW);
	expect_status(S_NOT_FOUND);
	/* Newer than claimed, even if the model could speak it. */
	cmd(TP, 0x10, 1, 0x10002);
	expect_status(S_NOT_SUPPORTED);
	/* Negotiating up again within the claimed version is allowed. */
	cmd(TP, 0x10, 1, 0x10001);
	expect_status(S_SUCCESS);
	cmd(TP, TM_NEW, 0);
	expect_reply(S_SUCCESS, 4);
	/* Setting the version forgets the negotiation. */
	cmd(TP, 0x10, 1, 0x10000);
	cr_assert_eq(scmi_sim_protocol_version_set(sim, TP, 0x10001), 0);
	cmd(TP, TM_NEW, 0);
	expect_reply(S_SUCCESS, 4);
}

Test(common, negotiate_absent_in_older_version)
{
	cr_assert_eq(scmi_sim_protocol_version_set(sim, TP, 0x10000), 0);
	cmd(TP, 0x10, 1, 0x10000);
	expect_status(S_NOT_FOUND);
	cr_assert_eq(scmi_sim_profile_apply(sim, "scmi-2.0"), 0);
	cmd(BASE, 0x2, 1, 0x10);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x10, 1, 0x20000);
	expect_status(S_NOT_FOUND);
}

Test(common, variable_length_and_overflow)
{
	cmd(TP, TM_VAR, 2, 1, 42);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 42);
	cmd(TP, TM_VAR, 1, 1);
	expect_status(S_PROTO_ERROR);
	cmd(TP, TM_BIG, 0);
	expect_status(S_GENERIC);
}

Test(common, registry_rejects_duplicates)
{
	cr_assert_eq(sim_model_register(sim, &tm_ops, 0x10001), -EEXIST);
	cr_assert_eq(sim_model_register(sim, &sim_base_ops, 0x20001), -EEXIST);
	cr_assert_eq(scmi_sim_vendor_protocol_add(sim, TP, 0x10000), -EEXIST);
}

/* ---- Base: identity and discovery ------------------------------------------- */

TestSuite(base, .init = setup, .fini = teardown);

static void expect_name(size_t off, const char *name)
{
	char field[16] = {0};

	cr_assert_geq(msg(0)->len, off + 16);
	memcpy(field, name, strnlen(name, 16));
	cr_assert_arr_eq(msg(0)->b + off, field, 16);
}

Test(base, identity)
{
	cmd(BASE, 0x3, 0);
	expect_reply(S_SUCCESS, 16);
	expect_name(8, "libscmi");
	cmd(BASE, 0x4, 0);
	expect_reply(S_SUCCESS, 16);
	expect_name(8, "sim");
	cmd(BASE, 0x5, 0);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0x00010000);
}

Test(base, identity_set)
{
	struct scmi_sim_base_info info;

	/* 16 characters: sent without a NUL, as the spec allows. */
	cr_assert_eq(scmi_sim_base_identity_set(sim, "ABCDEFGHIJKLMNOP", NULL, 0x1234), 0);
	cmd(BASE, 0x3, 0);
	cr_assert_arr_eq(msg(0)->b + 8, "ABCDEFGHIJKLMNOP", 16);
	cmd(BASE, 0x4, 0);
	expect_name(8, "sim");
	cmd(BASE, 0x5, 0);
	cr_assert_eq(data32(0, 0), 0x1234);
	cr_assert_eq(scmi_sim_base_identity_set(sim, "ABCDEFGHIJKLMNOPQ", NULL, 0), -EINVAL);
	cr_assert_eq(scmi_sim_base_info_get(sim, &info), 0);
	cr_assert_str_eq(info.vendor, "ABCDEFGHIJKLMNO");
	cr_assert_str_eq(info.sub_vendor, "sim");
	cr_assert_eq(info.impl_version, 0x1234);
	cr_assert_eq(info.num_agents, 3);
	cr_assert_eq(info.agent_id, 1);
}

Test(base, attributes_count_protocols_and_agents)
{
	cmd(BASE, 0x1, 0);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0 | 3 << 8);
	cr_assert_eq(scmi_sim_vendor_protocol_add(sim, 0x80, 0x10000), 0);
	cr_assert_eq(scmi_sim_vendor_protocol_add(sim, 0x81, 0x10000), 0);
	cr_assert_eq(scmi_sim_vendor_protocol_add(sim, 0x90, 0x10000), 0);
	cmd(BASE, 0x1, 0);
	cr_assert_eq(data32(0, 0), 3 | 3 << 8);
	cr_assert_eq(scmi_sim_protocol_enable(sim, 0x81, false), 0);
	cmd(BASE, 0x1, 0);
	cr_assert_eq(data32(0, 0), 2 | 3 << 8);
}

static void add_vendor(unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		cr_assert_eq(scmi_sim_vendor_protocol_add(sim, (uint8_t)(first + i), 0x10000), 0);
}

Test(base, list_protocols_empty)
{
	cmd(BASE, 0x6, 1, 0);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0);
	cmd(BASE, 0x6, 1, 1);
	expect_status(S_INVALID);
}

Test(base, list_protocols_padded)
{
	add_vendor(0x80, 3);
	cmd(BASE, 0x6, 1, 0);
	expect_reply(S_SUCCESS, 8);
	cr_assert_eq(data32(0, 0), 3);
	cr_assert_eq(data32(0, 1), 0x80 | 0x81 << 8 | 0x82 << 16); /* pad byte 0 */
	cmd(BASE, 0x6, 1, 2);
	expect_reply(S_SUCCESS, 8);
	cr_assert_eq(data32(0, 0), 1);
	cr_assert_eq(data32(0, 1), 0x82);
	cmd(BASE, 0x6, 1, 3);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0);
	cmd(BASE, 0x6, 1, 4);
	expect_status(S_INVALID);
	cmd(BASE, 0x6, 1, 0xFFFFFFFF);
	expect_status(S_INVALID);
}

Test(base, list_protocols_hidden_not_listed)
{
	add_vendor(0x80, 3);
	cr_assert_eq(scmi_sim_protocol_enable(sim, 0x81, false), 0);
	cmd(BASE, 0x6, 1, 0);
	cr_assert_eq(data32(0, 0), 2);
	cr_assert_eq(data32(0, 1), 0x80 | 0x82 << 8);
	cmd(0x81, 0x0, 0);
	expect_status(S_NOT_SUPPORTED);
	cr_assert_eq(scmi_sim_protocol_enable(sim, 0x81, true), 0);
	cmd(0x81, 0x0, 0);
	expect_reply(S_SUCCESS, 4);
}

Test(base, list_protocols_paged_by_max_list_items)
{
	struct scmi_sim_config c = {.max_list_items = 2};
	uint32_t skip = 0, got = 0;

	teardown();
	sim_make(&c);
	add_vendor(0x80, 5);
	while (skip < 5) {
		uint32_t n;

		cmd(BASE, 0x6, 1, skip);
		cr_assert_eq(status(0), S_SUCCESS);
		n = data32(0, 0);
		cr_assert_leq(n, 2);
		cr_assert_eq(data_len(0), 4 + 4); /* two ids or one, padded */
		cr_assert_eq(data32(0, 1) & 0xFF, 0x80 + skip);
		if (n == 2)
			cr_assert_eq(data32(0, 1) >> 8 & 0xFF, 0x80 + skip + 1);
		else
			cr_assert_eq(data32(0, 1) >> 8, 0);
		skip += n;
		got++;
	}
	cr_assert_eq(got, 3);
}

Test(base, list_protocols_paged_by_message_size)
{
	uint32_t n;

	add_vendor(0x80, 128); /* every vendor id */
	cmd(BASE, 0x1, 0);
	cr_assert_eq(data32(0, 0) & 0xFF, 128);
	cmd(BASE, 0x6, 1, 0);
	n = data32(0, 0);
	cr_assert_eq(n, 124); /* (128 - 4) bytes of ids */
	cr_assert_eq(data_len(0), 128);
	cr_assert_eq(msg(0)->b[12], 0x80);
	cr_assert_eq(msg(0)->b[12 + 123], 0x80 + 123);
	cmd(BASE, 0x6, 1, n);
	expect_reply(S_SUCCESS, 8);
	cr_assert_eq(data32(0, 0), 4);
	cr_assert_eq(data32(0, 1), 0xFFFEFDFC);
}

Test(base, list_protocols_small_messages)
{
	struct scmi_sim_config c = {.max_msg_size = 70};

	teardown();
	sim_make(&c);
	add_vendor(0x80, 100);
	cmd(BASE, 0x6, 1, 0);
	cr_assert_eq(data32(0, 0), 64); /* 70 - 4, whole words */
	cr_assert_leq(data_len(0), 70);
}

Test(base, discover_agent_v2)
{
	static const char *names[] = {"platform", "OSPM", "PSCI", "TEE"};
	uint32_t id;

	for (id = 0; id <= 3; id++) {
		cmd(BASE, 0x7, 1, id);
		expect_reply(S_SUCCESS, 20);
		cr_assert_eq(data32(0, 0), id);
		expect_name(12, names[id]);
	}
	cmd(BASE, 0x7, 1, 4);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x7, 1, 0xFFFFFFFE);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x7, 1, 0xFFFFFFFF); /* myself */
	expect_reply(S_SUCCESS, 20);
	cr_assert_eq(data32(0, 0), 1);
	expect_name(12, "OSPM");
}

Test(base, discover_agent_myself_follows_config)
{
	struct scmi_sim_config c = {.agent_id = 2, .profile = "scmi-2.0"};

	teardown();
	sim_make(&c);
	cmd(BASE, 0x7, 1, 0xFFFFFFFF);
	expect_reply(S_SUCCESS, 20);
	cr_assert_eq(data32(0, 0), 2);
	expect_name(12, "PSCI");
}

Test(base, discover_agent_v1_layout)
{
	cr_assert_eq(scmi_sim_protocol_version_set(sim, BASE, 0x10000), 0);
	cmd(BASE, 0x7, 1, 1);
	expect_reply(S_SUCCESS, 16);
	expect_name(8, "OSPM");
	cmd(BASE, 0x7, 1, 0);
	expect_reply(S_SUCCESS, 16);
	expect_name(8, "platform");
	cmd(BASE, 0x7, 1, 0xFFFFFFFF); /* "myself" is 2.0+ */
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x9, 3, 1, 1, 1); /* permission commands are 2.0+ */
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0xA, 4, 1, 1, 0x80, 1);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0xB, 2, 1, 0);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x2, 1, 0x9);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(data32(0, 0), 0x10000);
}

Test(base, info_api)
{
	char name[SCMI_SIM_NAME_MAX];
	bool allowed;

	cr_assert_eq(scmi_sim_base_agent_name(sim, 0, name), 0);
	cr_assert_str_eq(name, "platform");
	cr_assert_eq(scmi_sim_base_agent_name(sim, 3, name), 0);
	cr_assert_str_eq(name, "TEE");
	cr_assert_eq(scmi_sim_base_agent_name(sim, 4, name), -ENOENT);
	cr_assert_eq(scmi_sim_base_num_devices(sim), 8);
	cr_assert_eq(scmi_sim_base_permission_get(sim, 0, 0, 0, &allowed), -ENOENT);
	cr_assert_eq(scmi_sim_base_permission_get(sim, 4, 0, 0, &allowed), -ENOENT);
	cr_assert_eq(scmi_sim_base_permission_get(sim, 1, 8, 0, &allowed), -ENOENT);
	cr_assert_eq(scmi_sim_base_permission_get(sim, 3, 7, 0x80, &allowed), 0);
	cr_assert(allowed);
}

/* ---- Base: notifications ---------------------------------------------------- */

Test(base, notify_errors_tracking)
{
	unsigned int en, dis;

	cr_assert_eq(scmi_sim_notify_enabled(sim, BASE, 0, 0), 0);
	cmd(BASE, 0x8, 1, 1);
	expect_status(S_SUCCESS);
	cr_assert_eq(scmi_sim_notify_enabled(sim, BASE, 0, 0), 1);
	cmd(BASE, 0x8, 1, 1);
	cmd(BASE, 0x8, 1, 0);
	expect_status(S_SUCCESS);
	cr_assert_eq(scmi_sim_notify_enabled(sim, BASE, 0, 0), 0);
	cr_assert_eq(scmi_sim_notify_requests(sim, BASE, 0, 0, &en, &dis), 0);
	cr_assert_eq(en, 2);
	cr_assert_eq(dis, 1);
	cmd(BASE, 0x8, 1, 0x3); /* reserved bit */
	expect_status(S_INVALID);
	cmd(BASE, 0x8, 1, 0x80000001u);
	expect_status(S_INVALID);
	cr_assert_eq(scmi_sim_notify_requests(sim, BASE, 0, 0, &en, &dis), 0);
	cr_assert_eq(en + dis, 3);
	cr_assert_eq(scmi_sim_notify_enabled(sim, 0x1A, 0, 0), -ENOENT);
	cr_assert_eq(scmi_sim_notify_requests(sim, 0x1A, 0, 0, &en, &dis), -ENOENT);
}

Test(base, error_event_only_while_enabled)
{
	uint64_t rep[2] = {0x1122334455667788ull, 0x99};

	cr_assert_eq(scmi_sim_base_error_event(sim, 2, false, rep, 2), 0);
	cr_assert_eq(cap.n, 0);
	cmd(BASE, 0x8, 1, 1);
	cap.n = 0;
	cr_assert_eq(scmi_sim_base_error_event(sim, 2, true, rep, 2), 1);
	cr_assert_eq(cap.n, 1);
	cr_assert_eq(msg(0)->chan, SCMI_SIM_CHAN_P2A);
	cr_assert_eq(msg(0)->len, 4 + 8 + 16);
	cr_assert_eq(hdr_of(0), mkhdr(BASE, 0, TYPE_NOTIF, 0));
	cr_assert_eq(le32(msg(0)->b + 4), 2);
	cr_assert_eq(le32(msg(0)->b + 8), 0x80000000u | 2);
	cr_assert_eq(le32(msg(0)->b + 12), 0x55667788);
	cr_assert_eq(le32(msg(0)->b + 16), 0x11223344);
	cr_assert_eq(le32(msg(0)->b + 20), 0x99);
	cr_assert_eq(le32(msg(0)->b + 24), 0);
	cmd(BASE, 0x8, 1, 0);
	cap.n = 0;
	cr_assert_eq(scmi_sim_base_error_event(sim, 2, false, rep, 2), 0);
	cr_assert_eq(cap.n, 0);
}

Test(base, error_event_truncated_to_message_size)
{
	struct scmi_sim_config c = {.max_msg_size = 68};
	uint64_t rep[20];
	unsigned int i;

	teardown();
	sim_make(&c);
	for (i = 0; i < 20; i++)
		rep[i] = i + 1;
	cmd(BASE, 0x8, 1, 1);
	cap.n = 0;
	cr_assert_eq(scmi_sim_base_error_event(sim, 1, false, rep, 20), 1);
	cr_assert_eq(msg(0)->len, 4 + 68 - 4); /* 8 + 7 reports */
	cr_assert_eq(le32(msg(0)->b + 8), 7);
	cr_assert_eq(le32(msg(0)->b + 12 + 6 * 8), 7);
	cr_assert_eq(scmi_sim_base_error_event(sim, 1, false, rep, 1024), -EINVAL);
	cr_assert_eq(scmi_sim_base_error_event(sim, 1, false, NULL, 1), -EINVAL);
	cap.n = 0;
	cr_assert_eq(scmi_sim_base_error_event(sim, 1, false, NULL, 0), 1);
	cr_assert_eq(msg(0)->len, 12);
}

/* ---- Base: permissions ----------------------------------------------------- */

static bool allowed(uint32_t agent, uint32_t dev, uint8_t proto)
{
	bool a = false;

	cr_assert_eq(scmi_sim_base_permission_get(sim, agent, dev, proto, &a), 0);
	return a;
}

Test(base, set_device_permissions)
{
	cmd(BASE, 0x9, 3, 2, 3, 0);
	expect_status(S_SUCCESS);
	cr_assert_not(allowed(2, 3, 0));
	cr_assert_not(allowed(2, 3, 0x80));
	cr_assert(allowed(2, 2, 0));
	cr_assert(allowed(1, 3, 0));
	cmd(BASE, 0x9, 3, 2, 3, 1);
	expect_status(S_SUCCESS);
	cr_assert(allowed(2, 3, 0));
}

/* SCP-firmware's order and statuses (mod_scmi_base.c, resource_perms). */
Test(base, set_device_permissions_errors)
{
	cmd(BASE, 0x9, 3, 2, 3, 2);
	expect_status(S_INVALID);
	cmd(BASE, 0x9, 3, 0, 3, 1); /* the platform: nothing to do */
	expect_status(S_SUCCESS);
	cmd(BASE, 0x9, 3, 4, 3, 1); /* agent == num_agents + 1 */
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x9, 3, 4, 3, 2); /* the agent is checked before the flags */
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0x9, 3, 2, 8, 1); /* device == count */
	expect_status(S_INVALID);
	cmd(BASE, 0x9, 3, 2, 7, 1);
	expect_status(S_SUCCESS);
	cr_assert_eq(scmi_sim_base_trusted_set(sim, false), 0);
	cmd(BASE, 0x9, 3, 2, 3, 0);
	expect_status(S_DENIED);
	cmd(BASE, 0x9, 3, 9, 3, 0); /* DENIED before anything else */
	expect_status(S_DENIED);
	cr_assert(allowed(2, 3, 0));
}

Test(base, set_protocol_permissions)
{
	add_vendor(0x80, 2);
	cmd(BASE, 0xA, 4, 3, 1, 0x81, 0);
	expect_status(S_SUCCESS);
	cr_assert_not(allowed(3, 1, 0x81));
	cr_assert(allowed(3, 1, 0x80));
	cr_assert(allowed(3, 1, 0));
	cmd(BASE, 0xA, 4, 3, 1, 0x81, 1);
	expect_status(S_SUCCESS);
	cr_assert(allowed(3, 1, 0x81));
}

Test(base, set_protocol_permissions_errors)
{
	add_vendor(0x80, 1);
	cmd(BASE, 0xA, 4, 3, 1, 0x11, 0); /* not implemented */
	expect_status(S_INVALID);
	cmd(BASE, 0xA, 4, 3, 1, 0x10, 0); /* Base cannot be taken away */
	expect_status(S_DENIED);
	cmd(BASE, 0xA, 4, 3, 100, 0x10, 0); /* ... checked before the device */
	expect_status(S_DENIED);
	cmd(BASE, 0xA, 4, 3, 1, 0x180, 0);
	expect_status(S_INVALID);
	cmd(BASE, 0xA, 4, 3, 1, 0x80, 0x10);
	expect_status(S_INVALID);
	cmd(BASE, 0xA, 4, 4, 1, 0x80, 0);
	expect_status(S_NOT_FOUND);
	cmd(BASE, 0xA, 4, 0, 1, 0x80, 0);
	expect_status(S_SUCCESS);
	cr_assert(allowed(1, 1, 0x80));
	cmd(BASE, 0xA, 4, 3, 8, 0x80, 0);
	expect_status(S_INVALID);
	cr_assert_eq(scmi_sim_protocol_enable(sim, 0x80, false), 0);
	cmd(BASE, 0xA, 4, 3, 1, 0x80, 0);
	expect_status(S_INVALID);
	cr_assert_eq(scmi_sim_base_trusted_set(sim, false), 0);
	cmd(BASE, 0xA, 4, 3, 1, 0x80, 0);
	expect_status(S_DENIED);
}

Test(base, reset_agent_configuration)
{
	cmd(BASE, 0x9, 3, 2, 5, 0);
	cmd(BASE, 0xB, 2, 2, 0); /* settings only: permissions stay */
	expect_status(S_SUCCESS);
	cr_assert_not(allowed(2, 5, 0));
	cmd(BASE, 0xB, 2, 2, 1);
	expect_status(S_SUCCESS);
	cr_assert(allowed(2, 5, 0));
	cmd(BASE, 0xB, 2, 2, 4);
	expect_status(S_INVALID);
	cmd(BASE, 0xB, 2, 0, 1); /* the platform: nothing to do */
	expect_status(S_SUCCESS);
	cmd(BASE, 0xB, 2, 4, 1);
	expect_status(S_NOT_FOUND);
	cr_assert_eq(scmi_sim_base_trusted_set(sim, false), 0);
	cmd(BASE, 0xB, 2, 2, 1);
	expect_status(S_DENIED);
}

Test(base, reset_agent_configuration_reaches_models)
{
	cr_assert_eq(sim_model_register(sim, &tm_ops, 0x10001), 0);
	tm_resets = 0;
	cmd(BASE, 0xB, 2, 1, 0);
	expect_status(S_SUCCESS);
	cr_assert_eq(tm_resets, 1);
}

Test(base, permissions_seen_by_models)
{
	add_vendor(0x80, 1);
	cr_assert(sim_base_access_allowed(sim, 3, 0));
	cmd(BASE, 0x9, 3, 1, 3, 0); /* the connected agent itself */
	cr_assert_not(sim_base_access_allowed(sim, 3, 0));
	cmd(BASE, 0xA, 4, 1, 4, 0x80, 0);
	cr_assert(sim_base_access_allowed(sim, 4, 0));
	cr_assert_not(sim_base_access_allowed(sim, 4, 0x80));
	cr_assert_not(sim_base_access_allowed(sim, 8, 0));
}

Test(base, scmi20_profile_layouts)
{
	cr_assert_eq(scmi_sim_profile_apply(sim, "scmi-2.0"), 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(data32(0, 0), 0x20000);
	/* (no other protocol modelled: the list below is empty) */
	cmd(BASE, 0x7, 1, 0xFFFFFFFF);
	expect_reply(S_SUCCESS, 20);
	cmd(BASE, 0x9, 3, 2, 3, 0);
	expect_status(S_SUCCESS);
	cmd(BASE, 0x6, 1, 0);
	expect_reply(S_SUCCESS, 4);
	cmd(BASE, 0x8, 1, 1);
	expect_status(S_SUCCESS);
	cmd(BASE, 0x3, 0);
	expect_reply(S_SUCCESS, 16);
}

/* ---- statuses of the standard models at their boundaries ----------------- */

/*
 * Where the spec digest is silent the simulator answers as SCP-firmware does
 * (docs/SIMULATOR.md has the table).  Each case sits at the exact boundary:
 * the last valid index, then index == count.
 */
#define PERF  0x13
#define CLOCK 0x14
#define SENS  0x15

static void setup_std(void)
{
	cr_assert_eq(scmi_sim_new(NULL, &sim), 0);
	scmi_sim_set_emit(sim, cap_emit, NULL);
	cap.n = 0;
}

TestSuite(status, .init = setup_std, .fini = teardown);

Test(status, perf_describe_levels_past_end_invalid)
{
	struct scmi_sim_perf_domain d;

	cr_assert_eq(scmi_sim_perf_domain_get(sim, 0, &d), 0);
	cmd(PERF, 0x4, 2, 0, d.num_levels - 1);
	cr_assert_eq(status(0), S_SUCCESS);
	cr_assert_eq(data32(0, 0), 1, "one level, none remaining");
	cmd(PERF, 0x4, 2, 0, d.num_levels);
	expect_status(S_INVALID);
	cmd(PERF, 0x4, 2, 0, 0xFFFFFFFF);
	expect_status(S_INVALID);
}

Test(status, perf_describe_fastchannel_as_scp)
{
	int n = scmi_sim_perf_num_domains(sim);

	cmd(PERF, 0xB, 2, 0, 0x7); /* LEVEL_SET: has one */
	expect_reply(S_SUCCESS, 44);
	cmd(PERF, 0xB, 2, 0, 0xA); /* NOTIFY_LEVEL: exists, no fastchannel */
	expect_status(S_NOT_SUPPORTED);
	cmd(PERF, 0xB, 2, 0, 0xC); /* the last message of perf 4.0 */
	expect_status(S_NOT_SUPPORTED);
	cmd(PERF, 0xB, 2, 0, 0x10); /* NEGOTIATE_PROTOCOL_VERSION exists in 4.0 */
	expect_status(S_NOT_SUPPORTED);
	cmd(PERF, 0xB, 2, 0, 0xD); /* the first id past them: no such message */
	expect_status(S_NOT_FOUND);
	cmd(PERF, 0xB, 2, 0, 0x100);
	expect_status(S_NOT_FOUND);
	cmd(PERF, 0xB, 2, 3, 0x7); /* the DSP domain has no fastchannel */
	expect_status(S_NOT_SUPPORTED);
	cmd(PERF, 0xB, 2, 3, 0xD); /* ... whatever the message */
	expect_status(S_NOT_SUPPORTED);
	cmd(PERF, 0xB, 2, n, 0x7);
	expect_status(S_NOT_FOUND);
	/* An older version has fewer messages: 0xC is unknown in 2.0. */
	cr_assert_eq(scmi_sim_protocol_version_set(sim, PERF, 0x20000), 0);
	cmd(PERF, 0xB, 2, 0, 0xC);
	expect_status(S_NOT_FOUND);
	cmd(PERF, 0xB, 2, 0, 0xB);
	expect_status(S_NOT_SUPPORTED);
}

Test(status, clock_describe_rates_index_equal_count_out_of_range)
{
	int n = scmi_sim_clock_rates_get(sim, 0, NULL, 0);

	cr_assert_gt(n, 1);
	cmd(CLOCK, 0x4, 2, 0, n - 1);
	cr_assert_eq(status(0), S_SUCCESS);
	cr_assert_eq(data32(0, 0), 1, "one rate, none remaining, list format");
	cmd(CLOCK, 0x4, 2, 0, n);
	expect_status(S_OUT_OF_RANGE);
	cmd(CLOCK, 0x4, 2, 0, n + 1);
	expect_status(S_OUT_OF_RANGE);
}

Test(status, clock_describe_rates_range_ignores_index)
{
	cmd(CLOCK, 0x4, 2, 1, 0); /* "gpu": a range */
	expect_reply(S_SUCCESS, 4 + 24);
	cr_assert_eq(data32(0, 0), 3 | 1u << 12, "three entries, range, none remaining");
	cmd(CLOCK, 0x4, 2, 1, 3); /* SCP answers the triplet for any index */
	expect_reply(S_SUCCESS, 4 + 24);
}

Test(status, clock_rate_set_outside_rates_invalid)
{
	struct scmi_sim_clock_info ci;

	/* Discrete list: its highest rate, then one Hz more. */
	cr_assert_eq(scmi_sim_clock_info_get(sim, 0, &ci), 0);
	cmd(CLOCK, 0x5, 4, 0, 0, (uint32_t)ci.max_rate, (uint32_t)(ci.max_rate >> 32));
	expect_status(S_SUCCESS);
	cmd(CLOCK, 0x5, 4, 0, 0, (uint32_t)(ci.max_rate + 1), (uint32_t)((ci.max_rate + 1) >> 32));
	expect_status(S_INVALID);
	cmd(CLOCK, 0x5, 4, 0, 0, (uint32_t)(ci.min_rate - 1), (uint32_t)((ci.min_rate - 1) >> 32));
	expect_status(S_INVALID);
	/* Range: the same at both ends. */
	cr_assert_eq(scmi_sim_clock_info_get(sim, 1, &ci), 0);
	cr_assert(ci.range);
	cmd(CLOCK, 0x5, 4, 0, 1, (uint32_t)ci.min_rate, (uint32_t)(ci.min_rate >> 32));
	expect_status(S_SUCCESS);
	cmd(CLOCK, 0x5, 4, 0, 1, (uint32_t)(ci.min_rate - 1), (uint32_t)((ci.min_rate - 1) >> 32));
	expect_status(S_INVALID);
	cmd(CLOCK, 0x5, 4, 0, 1, (uint32_t)(ci.max_rate + 1), (uint32_t)((ci.max_rate + 1) >> 32));
	expect_status(S_INVALID);
}

Test(status, clock_name_get_short_name_not_supported)
{
	cmd(CLOCK, 0x8, 1, 0); /* "cpu_cluster0" fits the attributes */
	expect_status(S_NOT_SUPPORTED);
	cmd(CLOCK, 0x8, 1, 2); /* "display_pixel_clock_main" does not */
	expect_reply(S_SUCCESS, 68);
}

Test(status, sensor_description_get_index_equal_count_invalid)
{
	int n = scmi_sim_sensor_count(sim);

	cmd(SENS, 0x3, 1, n - 1);
	cr_assert_eq(status(0), S_SUCCESS);
	cr_assert_eq(data32(0, 0), 1, "one descriptor, none remaining");
	cmd(SENS, 0x3, 1, n);
	expect_status(S_INVALID);
}

/* Descriptor walks (as SCP's DESCRIBE_LEVELS / DESCRIBE_RATES /
 * DESCRIPTION_GET) refuse index == count; lists of ids (as SCP's
 * DISCOVER_LIST_PROTOCOLS) answer an empty page there and refuse past it. */
Test(status, walk_boundaries_of_the_other_lists)
{
	struct scmi_sim_sensor_info si;
	struct scmi_sim_clock_info ci;

	/* Sensor axes (sensor 5: 3 axes) and their names. */
	cmd(SENS, 0x7, 2, 5, 2);
	cr_assert_eq(status(0), S_SUCCESS);
	cr_assert_eq(data32(0, 0) & 0x3F, 1);
	cmd(SENS, 0x7, 2, 5, 3);
	expect_status(S_INVALID);
	cmd(SENS, 0xD, 2, 5, 3);
	expect_status(S_INVALID);
	/* Update intervals as a list (sensor 8). */
	cr_assert_eq(scmi_sim_sensor_info_get(sim, 8, &si), 0);
	cr_assert_not(si.intervals_segmented);
	cmd(SENS, 0x8, 2, 8, si.num_intervals - 1);
	cr_assert_eq(status(0), S_SUCCESS);
	cr_assert_eq(data32(0, 0) & 0xFFF, 1);
	cmd(SENS, 0x8, 2, 8, si.num_intervals);
	expect_status(S_INVALID);
	/* Voltage levels as a list (domain 0): OUT_OF_RANGE, as SCP. */
	cmd(0x17, 0x4, 2, 0, 40 - 1);
	cr_assert_eq(status(0), S_SUCCESS);
	cmd(0x17, 0x4, 2, 0, 40);
	expect_status(S_OUT_OF_RANGE);
	/* Clock parents (clock 7: 3 parents): a list of ids. */
	cr_assert_eq(scmi_sim_clock_info_get(sim, 7, &ci), 0);
	cmd(CLOCK, 0xC, 2, 7, ci.num_parents);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0);
	cmd(CLOCK, 0xC, 2, 7, ci.num_parents + 1);
	expect_status(S_INVALID);
	/* Pinctrl associations (function 0 lists one group per pin). */
	{
		int n = scmi_sim_pinctrl_members(sim, SCMI_SIM_PINCTRL_FUNCTION, 0, NULL, 0);

		cr_assert_gt(n, 0);
		cmd(0x19, 0x4, 3, 0, 2, n);
		expect_reply(S_SUCCESS, 4);
		cmd(0x19, 0x4, 3, 0, 2, n + 1);
		expect_status(S_INVALID);
	}
}

Test(status, voltage_statuses_as_scp)
{
	struct scmi_sim_voltage_domain d;

	/* Segment (domain 1): its high bound, then one step past it. */
	cr_assert_eq(scmi_sim_voltage_domain_get(sim, 1, &d), 0);
	cr_assert(d.segmented);
	cmd(0x17, 0x7, 3, 1, 0, (uint32_t)d.levels[1]);
	expect_status(S_SUCCESS);
	cmd(0x17, 0x7, 3, 1, 0, (uint32_t)(d.levels[1] + d.levels[2]));
	expect_status(S_INVALID);
	cmd(0x17, 0x7, 3, 1, 0, (uint32_t)(d.levels[0] - d.levels[2]));
	expect_status(S_INVALID);
	/* The triplet for any index. */
	cmd(0x17, 0x4, 2, 1, 1);
	expect_reply(S_SUCCESS, 4 + 12);
	/* An implementation-defined mode the domain lacks (domain 0 has 0x8). */
	cmd(0x17, 0x5, 2, 0, 0x8);
	expect_status(S_SUCCESS);
	cmd(0x17, 0x5, 2, 0, 0x9);
	expect_status(S_INVALID);
}

Test(status, system_unknown_states_invalid)
{
	cmd(0x12, 0x3, 2, 0, 4); /* suspend: the last architectural state */
	expect_status(S_SUCCESS);
	cmd(0x12, 0x3, 2, 0, 5);
	expect_status(S_INVALID);
	cmd(0x12, 0x3, 2, 0, 0x80000000); /* no vendor state here, as SCP */
	expect_status(S_INVALID);
	cmd(0x12, 0x3, 2, 2, 3); /* reserved flag */
	expect_status(S_INVALID);
}

Test(status, name_get_of_a_short_name)
{
	cmd(0x16, 0x6, 1, 0); /* reset "cpu_cluster0" */
	expect_status(S_NOT_SUPPORTED);
	cmd(0x16, 0x6, 1, 2); /* reset "display_controller_main" */
	expect_reply(S_SUCCESS, 68);
	cmd(0x17, 0x9, 1, 0); /* voltage domain 0: short */
	expect_status(S_NOT_SUPPORTED);
	cmd(0x17, 0x9, 1, 2); /* voltage domain 2: extended */
	expect_reply(S_SUCCESS, 68);
	cmd(0x19, 0x9, 2, 0, 0); /* pin 0: SCP answers NOT_FOUND */
	expect_status(S_NOT_FOUND);
}

/* ---- device permissions: every message naming the resource --------------- */

/* One request naming resource @id; ID marks the word that holds it. */
#define ID 0xFFFFFFFEu
struct res_req {
	uint8_t proto, msg;
	unsigned int n;
	uint32_t w[5];
};

static const struct res_req res_reqs[] = {
	/* Power */
	{0x11, 0x3, 1, {ID}},
	{0x11, 0x4, 3, {0, ID, 0}},
	{0x11, 0x5, 1, {ID}},
	{0x11, 0x6, 2, {ID, 1}},
	{0x11, 0x7, 2, {ID, 1}},
	{0x11, 0x8, 1, {ID}},
	/* Perf: the reads too */
	{0x13, 0x3, 1, {ID}},
	{0x13, 0x4, 2, {ID, 0}},
	{0x13, 0x5, 3, {ID, 2300, 400}},
	{0x13, 0x6, 1, {ID}},
	{0x13, 0x7, 2, {ID, 1000}},
	{0x13, 0x8, 1, {ID}},
	{0x13, 0x9, 2, {ID, 1}},
	{0x13, 0xA, 2, {ID, 1}},
	{0x13, 0xB, 2, {ID, 0x7}},
	{0x13, 0xC, 1, {ID}},
	/* Clock */
	{0x14, 0x3, 1, {ID}},
	{0x14, 0x4, 2, {ID, 0}},
	{0x14, 0x5, 4, {0, ID, 500000000, 0}},
	{0x14, 0x6, 1, {ID}},
	{0x14, 0x7, 3, {ID, 1, 0}},
	{0x14, 0x8, 1, {ID}},
	{0x14, 0x9, 2, {ID, 1}},
	{0x14, 0xA, 2, {ID, 1}},
	{0x14, 0xB, 2, {ID, 0}},
	{0x14, 0xC, 2, {ID, 0}},
	{0x14, 0xD, 2, {ID, 4}},
	{0x14, 0xE, 1, {ID}},
	{0x14, 0xF, 1, {ID}},
	/* Sensor */
	{0x15, 0x4, 2, {ID, 1}},
	{0x15, 0x5, 4, {ID, 1, 0, 0}},
	{0x15, 0x6, 2, {ID, 0}},
	{0x15, 0x7, 2, {ID, 0}},
	{0x15, 0x8, 2, {ID, 0}},
	{0x15, 0x9, 1, {ID}},
	{0x15, 0xA, 2, {ID, 1}},
	{0x15, 0xB, 2, {ID, 1}},
	{0x15, 0xC, 1, {ID}},
	{0x15, 0xD, 2, {ID, 0}},
	/* Reset */
	{0x16, 0x3, 1, {ID}},
	{0x16, 0x4, 3, {ID, 1, 0}},
	{0x16, 0x5, 2, {ID, 1}},
	{0x16, 0x6, 1, {ID}},
	/* Voltage */
	{0x17, 0x3, 1, {ID}},
	{0x17, 0x4, 2, {ID, 0}},
	{0x17, 0x5, 2, {ID, 7}},
	{0x17, 0x6, 1, {ID}},
	{0x17, 0x7, 3, {ID, 0, 800000}},
	{0x17, 0x8, 1, {ID}},
	{0x17, 0x9, 1, {ID}},
	/* Powercap */
	{0x18, 0x3, 1, {ID}},
	{0x18, 0x4, 1, {ID}},
	{0x18, 0x5, 3, {ID, 0, 5000}},
	{0x18, 0x6, 1, {ID}},
	{0x18, 0x7, 3, {ID, 0, 4000}},
	{0x18, 0x8, 1, {ID}},
	{0x18, 0x9, 1, {ID}},
	{0x18, 0xA, 2, {ID, 1}},
	{0x18, 0xB, 4, {ID, 1, 100, 200}},
	{0x18, 0xC, 2, {ID, 0x4}},
	/* Pinctrl: pin N */
	{0x19, 0x3, 2, {ID, 0}},
	{0x19, 0x5, 2, {ID, 0}},
	{0x19, 0x6, 3, {ID, 0xFFFFFFFF, 0}},
	{0x19, 0x7, 2, {ID, 0}},
	{0x19, 0x8, 2, {ID, 0}},
	{0x19, 0x9, 2, {ID, 0}},
};

static void res_send(const struct res_req *r, uint32_t id)
{
	uint32_t w[5];

	for (unsigned int i = 0; i < r->n; i++)
		w[i] = r->w[i] == ID ? id : r->w[i];
	switch (r->n) {
	case 1:
		cmd(r->proto, r->msg, 1, w[0]);
		break;
	case 2:
		cmd(r->proto, r->msg, 2, w[0], w[1]);
		break;
	case 3:
		cmd(r->proto, r->msg, 3, w[0], w[1], w[2]);
		break;
	default:
		cmd(r->proto, r->msg, 4, w[0], w[1], w[2], w[3]);
		break;
	}
}

static void deny_device(uint32_t dev)
{
	cmd(BASE, 0x9, 3, 1, dev, 0); /* the connected agent (1) loses @dev */
	expect_status(S_SUCCESS);
}

Test(status, denied_device_every_message_of_every_protocol)
{
	deny_device(1);
	for (size_t i = 0; i < SIM_ARRAY_SIZE(res_reqs); i++) {
		const struct res_req *r = &res_reqs[i];

		res_send(r, 1);
		cr_assert_eq(cap.n, 1);
		cr_assert_eq(status(0), S_DENIED, "proto 0x%x msg 0x%x: status %d", r->proto,
			     r->msg, status(0));
		cr_assert_eq(data_len(0), 0);
		res_send(r, 2); /* the next device is untouched */
		cr_assert_neq(status(0), S_DENIED, "proto 0x%x msg 0x%x on device 2", r->proto,
			      r->msg);
	}
	/* Messages naming no resource keep working. */
	for (uint8_t p = 0x11; p <= 0x19; p++) {
		cmd(p, 0x1, 0);
		cr_assert_eq(status(0), S_SUCCESS, "PROTOCOL_ATTRIBUTES of 0x%x", p);
	}
	cmd(SENS, 0x3, 1, 0);
	cr_assert_eq(status(0), S_SUCCESS, "the sensor list names no sensor");
	/* Given back: served again. */
	cmd(BASE, 0x9, 3, 1, 1, 1);
	cmd(PERF, 0x8, 1, 1);
	expect_reply(S_SUCCESS, 4);
}

Test(status, denied_device_checked_after_not_found_before_parameters)
{
	deny_device(1);
	cmd(PERF, 0x7, 2, 99, 1000); /* no such domain: NOT_FOUND first */
	expect_status(S_NOT_FOUND);
	cmd(PERF, 0x9, 2, 1, 0xF0); /* reserved bits: DENIED comes first */
	expect_status(S_DENIED);
	cmd(PERF, 0x8, 2, 1, 0); /* wrong size: the core's PROTOCOL_ERROR first */
	expect_status(S_PROTO_ERROR);
}

Test(status, denied_protocol_on_device_only_that_protocol)
{
	cmd(BASE, 0xA, 4, 1, 3, PERF, 0);
	expect_status(S_SUCCESS);
	cmd(PERF, 0x8, 1, 3);
	expect_status(S_DENIED);
	cmd(PERF, 0x6, 1, 3);
	expect_status(S_DENIED);
	cmd(CLOCK, 0x6, 1, 3);
	expect_reply(S_SUCCESS, 8);
	cmd(PERF, 0x8, 1, 2);
	expect_reply(S_SUCCESS, 4);
}

Test(status, denied_device_0_is_the_system)
{
	deny_device(0);
	cmd(0x12, 0x3, 2, 0, 3);
	expect_status(S_DENIED);
	cmd(0x12, 0x5, 1, 1);
	expect_status(S_DENIED);
	cr_assert_eq(scmi_sim_protocol_version_set(sim, 0x12, 0x10000), 0);
	cmd(0x12, 0x4, 0); /* SYSTEM_POWER_STATE_GET (1.0) */
	expect_status(S_DENIED);
}

Test(status, denied_pin_denies_its_groups_not_functions)
{
	char name[SCMI_SIM_PINCTRL_NAME_MAX];
	int groups = scmi_sim_pinctrl_count(sim, SCMI_SIM_PINCTRL_GROUP);
	uint32_t g;

	for (g = 0; g < (uint32_t)groups; g++) {
		cr_assert_eq(scmi_sim_pinctrl_name(sim, SCMI_SIM_PINCTRL_GROUP, g, name), 0);
		if (!strcmp(name, "gpio1"))
			break;
	}
	cr_assert_lt(g, (uint32_t)groups);
	deny_device(1);
	cmd(0x19, 0x3, 2, g, 1); /* the group holding pin 1 */
	expect_status(S_DENIED);
	cmd(0x19, 0x4, 3, g, 1, 0);
	expect_status(S_DENIED);
	cmd(0x19, 0x3, 2, g + 1, 1); /* gpio2 */
	cr_assert_eq(status(0), S_SUCCESS);
	cmd(0x19, 0x3, 2, 0, 2); /* function 0 lists gpio1, still readable */
	cr_assert_eq(status(0), S_SUCCESS);
}

Test(status, resources_past_the_devices_unrestricted)
{
	for (uint32_t d = 0; d < (uint32_t)scmi_sim_base_num_devices(sim); d++)
		deny_device(d);
	cmd(CLOCK, 0x6, 1, 8); /* clock 8: no device of its own */
	expect_reply(S_SUCCESS, 8);
	cmd(SENS, 0x9, 1, 9);
	expect_reply(S_SUCCESS, 4);
	cmd(CLOCK, 0x6, 1, 7);
	expect_status(S_DENIED);
}

/* ---- virtual time ---------------------------------------------------------- */

/*
 * A single-threaded harness on scmi_sim_process(): nothing moves unless the
 * test advances the clock, so every case checks the exact due time (one
 * nanosecond before: nothing; at it: delivered / freed).
 */
#define POWER 0x11
#define US    1000ull

static void setup_vt(void)
{
	struct scmi_sim_config cfg = {.virtual_time = true};

	cr_assert_eq(scmi_sim_new(&cfg, &sim), 0);
	scmi_sim_set_emit(sim, cap_emit, NULL);
	cap.n = 0;
}

TestSuite(vtime, .init = setup_vt, .fini = teardown);

/* Advance by @ns with a fresh capture; returns how many were emitted. */
static int advance(uint64_t ns)
{
	int n;

	cap.n = 0;
	n = scmi_sim_time_advance(sim, ns);
	cr_assert_geq(n, 0);
	cr_assert_eq((size_t)n, cap.n);
	return n;
}

Test(vtime, clock_starts_at_zero_and_moves_only_when_advanced)
{
	uint64_t t = 1;

	cr_assert_eq(scmi_sim_time_get(sim, &t), 0);
	cr_assert_eq(t, 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(scmi_sim_time_get(sim, &t), 0);
	cr_assert_eq(t, 0, "processing does not move the clock");
	cr_assert_eq(advance(1500), 0);
	cr_assert_eq(scmi_sim_time_get(sim, &t), 0);
	cr_assert_eq(t, 1500);
}

Test(vtime, delayed_response_held_until_due)
{
	uint64_t delay = 0, due = 0;

	cr_assert_eq(scmi_sim_clock_async_delay_get(sim, &delay), 0);
	cr_assert_eq(delay, 200);
	cmd(CLOCK, 0x5, 4, 1, 0, 500000000, 0); /* async RATE_SET, clock 0 */
	expect_status(S_SUCCESS);
	cr_assert_eq(msg(0)->delay, 0);
	cr_assert_eq(scmi_sim_time_pending(sim, &due), 1);
	cr_assert_eq(due, delay * US);
	cr_assert_eq(advance(delay * US - 1), 0, "one ns early: nothing");
	cr_assert_eq(advance(1), 1);
	cr_assert_eq(type_of(0), TYPE_DRESP);
	cr_assert_eq(msg(0)->chan, SCMI_SIM_CHAN_P2A);
	cr_assert_eq(msg(0)->delay, 0, "emitted when due, with no delay left");
	cr_assert_eq(token_of(0), TOKEN);
	cr_assert_eq(scmi_sim_time_pending(sim, NULL), 0);
}

Test(vtime, pending_async_slots_free_exactly_when_due)
{
	unsigned int max = 0;
	struct scmi_sim_clock_stats st;

	cr_assert_eq(scmi_sim_clock_max_async_get(sim, &max), 0);
	cr_assert_eq(max, 2);
	for (uint16_t i = 0; i < max; i++) {
		cmdt(CLOCK, 0x5, (uint16_t)(10 + i), 4, 1, 0, 500000000 + 100000000 * i, 0);
		expect_status(S_SUCCESS);
	}
	cmdt(CLOCK, 0x5, 20, 4, 1, 0, 800000000, 0); /* pending == max */
	expect_status(S_BUSY);
	cr_assert_eq(advance(200 * US - 1), 0);
	cmdt(CLOCK, 0x5, 21, 4, 1, 0, 800000000, 0); /* still pending */
	expect_status(S_BUSY);
	cr_assert_eq(advance(1), 2, "both delayed responses at their due time");
	cr_assert_eq(token_of(0), 10);
	cr_assert_eq(token_of(1), 11);
	cmdt(CLOCK, 0x5, 22, 4, 1, 0, 800000000, 0); /* the slots are free */
	expect_status(S_SUCCESS);
	cr_assert_eq(scmi_sim_clock_stats_get(sim, &st), 0);
	cr_assert_eq(st.async_busy, 2);
	cr_assert_eq(st.async_peak, 2);
	/* The same rule for the sensor's pending reads. */
	cr_assert_eq(scmi_sim_sensor_async_set(sim, 1, 300), 0);
	cmdt(SENS, 0x6, 30, 2, 0, 1);
	expect_status(S_SUCCESS);
	cmdt(SENS, 0x6, 31, 2, 0, 1);
	expect_status(S_BUSY);
	advance(300 * US);
	cmdt(SENS, 0x6, 32, 2, 0, 1);
	expect_status(S_SUCCESS);
}

Test(vtime, notification_follows_its_delayed_response)
{
	cmd(CLOCK, 0x9, 2, 0, 1); /* CLOCK_RATE_NOTIFY on clock 0 */
	expect_status(S_SUCCESS);
	cmd(CLOCK, 0x5, 4, 1, 0, 600000000, 0);
	expect_status(S_SUCCESS);
	cr_assert_eq(scmi_sim_time_pending(sim, NULL), 2);
	cr_assert_eq(advance(200 * US), 2);
	cr_assert_eq(type_of(0), TYPE_DRESP);
	cr_assert_eq(type_of(1), TYPE_NOTIF, "RATE_CHANGED after the delayed response");
	cr_assert_eq(le32(msg(1)->b + 4 + 8), 600000000);
}

Test(vtime, async_power_change_completes_in_virtual_time)
{
	cr_assert_eq(scmi_sim_power_async_delay_set(sim, 1000), 0);
	cmd(POWER, 0x6, 2, 0, 1); /* POWER_STATE_NOTIFY, domain 0 */
	expect_status(S_SUCCESS);
	cmd(POWER, 0x4, 3, 1, 0, SCMI_SIM_POWER_OFF); /* async */
	cr_assert_eq(status(0), S_SUCCESS);
	advance(1000 * US - 1);
	cmd(POWER, 0x5, 1, 0);
	cr_assert_eq(data32(0, 0), SCMI_SIM_POWER_ON, "not done yet");
	cmd(POWER, 0x4, 3, 1, 0, SCMI_SIM_POWER_ON);
	expect_status(S_BUSY);
	cr_assert_eq(advance(1), 1);
	cr_assert_eq(type_of(0), TYPE_NOTIF);
	cr_assert_eq(le32(msg(0)->b + 4 + 8), SCMI_SIM_POWER_OFF);
	cmd(POWER, 0x5, 1, 0);
	cr_assert_eq(data32(0, 0), SCMI_SIM_POWER_OFF);
}

Test(vtime, continuous_sensor_updates_by_the_virtual_clock)
{
	struct scmi_sim_sensor_stats st;

	cmd(SENS, 0xB, 2, 0, 1); /* CONTINUOUS_UPDATE_NOTIFY, sensor 0: 100 ms */
	expect_status(S_SUCCESS);
	cr_assert_eq(advance(100000000ull - 1), 0);
	cr_assert_eq(advance(1), 1);
	cr_assert_eq(type_of(0), TYPE_NOTIF);
	cr_assert_eq(hdr_of(0) & 0xFF, 1, "SENSOR_UPDATE");
	cr_assert_eq(advance(99999999ull), 0);
	cr_assert_eq(advance(1), 1);
	cr_assert_eq(scmi_sim_sensor_stats_get(sim, &st), 0);
	cr_assert_eq(st.updates, 2);
}

Test(vtime, fault_delays_are_virtual_too)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DELAY, .protocol = -1, .message = -1, .param = 50};

	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(cap.n, 0, "the response is held");
	cr_assert_eq(advance(50 * US - 1), 0);
	cr_assert_eq(advance(1), 1);
	cr_assert_eq(status(0), S_SUCCESS);
}

static void vt_deliver(void *priv, enum scmi_sim_chan chan, const void *m, size_t len)
{
	(void)priv;
	(void)chan;
	(void)m;
	(void)len;
}

Test(vtime, real_time_and_runner_rules)
{
	struct scmi_sim_runner *r = NULL;
	struct scmi_sim *rt = NULL;

	cr_assert_eq(scmi_sim_runner_start(sim, 0, vt_deliver, NULL, &r), -EINVAL,
		     "a runner delivers on wall-clock time");
	cr_assert_null(r);
	cr_assert_eq(scmi_sim_new(NULL, &rt), 0);
	cr_assert_eq(scmi_sim_time_advance(rt, 1), -EINVAL);
	cr_assert_eq(scmi_sim_time_pending(rt, NULL), -EINVAL);
	scmi_sim_free(rt);
}

Test(vtime, held_outputs_freed_with_the_simulator)
{
	cmd(CLOCK, 0x5, 4, 1, 0, 500000000, 0);
	cr_assert_eq(scmi_sim_time_pending(sim, NULL), 1);
	/* teardown frees it (ASan/LSan would report a leak) */
}

/* ---- getters of the advertised values ------------------------------------ */

Test(status, stats_regions_advertised_and_readable)
{
	uint64_t addr = 1;
	uint32_t len = 1;

	cr_assert_eq(scmi_sim_perf_stats_region_get(sim, &addr, &len), 0);
	cr_assert_eq(addr, 0);
	cr_assert_eq(len, 0);
	cr_assert_eq(scmi_sim_perf_stats_region_set(sim, 0x123456789ull, 512), 0);
	cr_assert_eq(scmi_sim_perf_stats_region_get(sim, &addr, &len), 0);
	cr_assert_eq(addr, 0x123456789ull);
	cr_assert_eq(len, 512);
	cmd(PERF, 0x1, 0);
	cr_assert_eq(data32(0, 1), 0x23456789);
	cr_assert_eq(data32(0, 2), 0x1);
	cr_assert_eq(data32(0, 3), 512);

	cr_assert_eq(scmi_sim_sensor_stats_region_get(sim, &addr, &len), 0);
	cr_assert_eq(len, 0);
	cr_assert_eq(scmi_sim_sensor_stats_region_set(sim, 0x50001000ull, 64), 0);
	cr_assert_eq(scmi_sim_sensor_stats_region_get(sim, &addr, NULL), 0);
	cr_assert_eq(addr, 0x50001000ull);
	cmd(SENS, 0x1, 0);
	cr_assert_eq(data32(0, 1), 0x50001000);
	cr_assert_eq(data32(0, 2), 0);
	cr_assert_eq(data32(0, 3), 64);
	cr_assert_eq(scmi_sim_sensor_stats_region_set(sim, 0x50001000ull, 0), 0);
	cmd(SENS, 0x1, 0);
	cr_assert_eq(data32(0, 1), 0, "length 0: no region at all");
}

/* Real time: the caller got the delayed responses at once (it ignored
 * their delay), yet the platform counts them pending until due. */
Test(status, real_time_early_delivery_still_busy)
{
	cr_assert_eq(scmi_sim_clock_async_delay_set(sim, 10000000), 0); /* 10 s */
	for (uint16_t i = 0; i < 2; i++) {
		cmdt(CLOCK, 0x5, i, 4, 1, 0, 500000000, 0);
		cr_assert_eq(cap.n, 2, "response and delayed response, both emitted now");
		cr_assert_eq(msg(1)->delay, 10000000);
	}
	cmdt(CLOCK, 0x5, 5, 4, 1, 0, 500000000, 0);
	expect_status(S_BUSY);
}

Test(status, clock_max_async_getter)
{
	unsigned int max = 0;
	unsigned int pend = 0;
	uint32_t delay = 0;

	cr_assert_eq(scmi_sim_clock_max_async_set(sim, 7), 0);
	cr_assert_eq(scmi_sim_clock_max_async_get(sim, &max), 0);
	cr_assert_eq(max, 7);
	cmd(CLOCK, 0x1, 0);
	cr_assert_eq(data32(0, 0) >> 16 & 0xFF, 7);
	cr_assert_eq(scmi_sim_clock_max_async_get(sim, NULL), -EINVAL);
	cr_assert_eq(scmi_sim_sensor_async_get(sim, &pend, &delay), 0);
	cr_assert_eq(pend, 4);
	cr_assert_eq(delay, 500);
}

/* ---- profiles, versions, protocol set ------------------------------------ */

TestSuite(profile, .init = setup, .fini = teardown);

Test(profile, apply_and_versions)
{
	uint32_t v;

	cr_assert_eq(scmi_sim_protocol_version_get(sim, BASE, &v), 0);
	cr_assert_eq(v, 0x20001);
	cr_assert_eq(scmi_sim_profile_apply(sim, "scmi-2.0"), 0);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, BASE, &v), 0);
	cr_assert_eq(v, 0x20000);
	cr_assert_eq(scmi_sim_profile_apply(sim, "bogus"), -EINVAL);
	cr_assert_eq(scmi_sim_profile_apply(sim, NULL), -EINVAL);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, BASE, &v), 0);
	cr_assert_eq(v, 0x20000);
	cr_assert_eq(scmi_sim_profile_apply(sim, "newest"), 0);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, BASE, &v), 0);
	cr_assert_eq(v, 0x20001);
}

Test(profile, version_set_checks)
{
	uint32_t v;

	cr_assert_eq(scmi_sim_protocol_version_set(sim, BASE, 0x10000), 0);
	cr_assert_eq(scmi_sim_protocol_version_set(sim, BASE, 0x0ffff), -EINVAL, "older than any");
	/* Newer than the model knows: claimed, answered with 2.1 layouts. */
	cr_assert_eq(scmi_sim_protocol_version_set(sim, BASE, 0x20002), 0);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, BASE, &v), 0);
	cr_assert_eq(v, 0x20002);
	cr_assert_eq(scmi_sim_protocol_version_set(sim, BASE, 0x30000), 0);
	cr_assert_eq(scmi_sim_protocol_version_set(sim, 0x11, 0x10000), -ENOENT);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, 0x11, &v), -ENOENT);
	cr_assert_eq(scmi_sim_protocol_version_set(sim, BASE, 0x10000), 0);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, BASE, &v), 0);
	cr_assert_eq(v, 0x10000);
}

Test(profile, enable_rules)
{
	cr_assert_eq(scmi_sim_protocol_enable(sim, BASE, false), -EINVAL);
	cr_assert_eq(scmi_sim_protocol_enable(sim, BASE, true), 0);
	cr_assert_eq(scmi_sim_protocol_enable(sim, 0x11, true), -ENOENT);
}

Test(profile, vendor_protocols)
{
	uint8_t ids[4];
	uint32_t v;

	cr_assert_eq(scmi_sim_vendor_protocol_add(sim, 0x7F, 0x10000), -EINVAL);
	cr_assert_eq(scmi_sim_vendor_protocol_add(sim, 0xC0, 0x30002), 0);
	cr_assert_eq(scmi_sim_vendor_protocol_add(sim, 0x80, 0x10000), 0);
	cr_assert_eq(scmi_sim_vendor_protocol_add(sim, 0xC0, 0x10000), -EEXIST);
	cmd(0xC0, 0x0, 0);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0x30002);
	cmd(0xC0, 0x1, 0);
	expect_reply(S_SUCCESS, 4);
	cr_assert_eq(data32(0, 0), 0);
	cmd(0xC0, 0x2, 1, 0x1);
	expect_reply(S_SUCCESS, 4);
	cmd(0xC0, 0x2, 1, 0x3);
	expect_status(S_NOT_FOUND);
	cmd(0xC0, 0x3, 0);
	expect_status(S_NOT_FOUND);
	cmd(0xC0, 0x10, 1, 0x30002);
	expect_status(S_NOT_FOUND);
	cr_assert_eq(scmi_sim_protocol_version_set(sim, 0xC0, 0x50000), 0);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, 0xC0, &v), 0);
	cr_assert_eq(v, 0x50000);
	/* A profile leaves vendor protocols alone. */
	cr_assert_eq(scmi_sim_profile_apply(sim, "scmi-2.0"), 0);
	cr_assert_eq(scmi_sim_protocols_list(sim, ids, 4), 2);
	cr_assert_eq(ids[0], 0x80);
	cr_assert_eq(ids[1], 0xC0);
	cr_assert_eq(scmi_sim_protocols_list(sim, ids, 1), 2);
	cr_assert_eq(scmi_sim_protocols_list(sim, NULL, 0), 2);
}

/* A stand-in for a later Voltage model: profiles pick up its version. */
static const uint32_t fake_voltage_versions[] = {0x10000, 0x20001, 0};
static const struct sim_proto_ops fake_voltage_ops = {
	.id = 0x17,
	.name = "fake-voltage",
	.versions = fake_voltage_versions,
};
static const uint32_t fake_power_versions[] = {0x30001, 0};
static const struct sim_proto_ops fake_power_ops = {
	.id = 0x11,
	.name = "fake-power",
	.versions = fake_power_versions,
};

Test(profile, later_models_follow_profiles)
{
	uint8_t ids[4];
	uint32_t v;

	cr_assert_eq(sim_model_register(sim, &fake_voltage_ops, 0x10000), 0);
	cr_assert_eq(scmi_sim_profile_apply(sim, "newest"), 0);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, 0x17, &v), 0);
	cr_assert_eq(v, 0x20001);
	cr_assert_eq(scmi_sim_protocols_list(sim, ids, 4), 1);
	cr_assert_eq(scmi_sim_profile_apply(sim, "scmi-2.0"), 0); /* no Voltage there */
	cr_assert_eq(scmi_sim_protocols_list(sim, ids, 4), 0);
	cmd(0x17, 0x0, 0);
	expect_status(S_NOT_SUPPORTED);
	/* A model that cannot speak a profile's version makes it fail whole. */
	cr_assert_eq(scmi_sim_profile_apply(sim, "newest"), 0);
	cr_assert_eq(sim_model_register(sim, &fake_power_ops, 0x30001), 0);
	cr_assert_eq(scmi_sim_profile_apply(sim, "scmi-2.0"), -EINVAL);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, BASE, &v), 0);
	cr_assert_eq(v, 0x20001);
	cr_assert_eq(scmi_sim_protocols_list(sim, ids, 4), 2);
}

/* ---- fault knobs -------------------------------------------------------------- */

TestSuite(fault, .init = setup_tm, .fini = teardown_tm);

static void arm(enum scmi_sim_fault_kind kind, uint32_t every, uint32_t count, int proto, int m,
		int64_t param)
{
	struct scmi_sim_fault f = {
		.kind = kind,
		.every = every,
		.count = count,
		.protocol = proto,
		.message = m,
		.param = param,
	};

	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
}

Test(fault, async_command_baseline)
{
	cmd(TP, TM_ASYNC, 1, 700);
	cr_assert_eq(cap.n, 2);
	cr_assert_eq(msg(0)->chan, SCMI_SIM_CHAN_A2P);
	cr_assert_eq(hdr_of(0), mkhdr(TP, TM_ASYNC, TYPE_CMD, TOKEN));
	cr_assert_eq(status(0), 0);
	cr_assert_eq(msg(0)->delay, 0);
	cr_assert_eq(msg(1)->chan, SCMI_SIM_CHAN_P2A);
	cr_assert_eq(hdr_of(1), mkhdr(TP, TM_ASYNC, TYPE_DRESP, TOKEN));
	cr_assert_eq(status(1), 0);
	cr_assert_eq(data32(1, 0), 0xCAFE);
	cr_assert_eq(msg(1)->delay, 700);
}

Test(fault, notification_follows_response)
{
	struct scmi_sim_stats st;

	cmd(TP, TM_EVENT, 0);
	cr_assert_eq(cap.n, 1); /* not enabled */
	cmd(TP, TM_NOTIFY, 1, 1);
	cr_assert_eq(scmi_sim_notify_enabled(sim, TP, 0, 0), 1);
	cmd(TP, TM_EVENT, 0);
	cr_assert_eq(cap.n, 2);
	cr_assert_eq(type_of(0), TYPE_CMD);
	cr_assert_eq(type_of(1), TYPE_NOTIF);
	cr_assert_eq(msg(1)->len, 12);
	cr_assert_eq(le32(msg(1)->b + 8), 0xBEEF);
	scmi_sim_stats_get(sim, &st);
	cr_assert_eq(st.notifications, 1);
}

Test(fault, delay)
{
	arm(SCMI_SIM_FAULT_DELAY, 0, 0, TP, TM_ASYNC, 500);
	cmd(TP, TM_ASYNC, 1, 100);
	cr_assert_eq(msg(0)->delay, 500);
	cr_assert_eq(msg(1)->delay, 100); /* delayed responses untouched */
	cmd(TP, TM_NEW, 0);
	cr_assert_eq(msg(0)->delay, 0); /* message filter */
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_DELAY), 1);
}

Test(fault, drop_every_third)
{
	int i, got = 0;

	arm(SCMI_SIM_FAULT_DROP, 3, 0, -1, -1, 0);
	for (i = 1; i <= 6; i++) {
		cmd(BASE, 0x0, 0);
		got += (int)cap.n;
		cr_assert_eq(cap.n, i % 3 ? 1u : 0u, "request %d", i);
	}
	cr_assert_eq(got, 4);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_DROP), 2);
}

Test(fault, duplicate_with_count)
{
	struct scmi_sim_stats st;

	arm(SCMI_SIM_FAULT_DUPLICATE, 1, 1, -1, -1, 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(cap.n, 2);
	cr_assert_arr_eq(msg(0)->b, msg(1)->b, 8);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(cap.n, 1);
	scmi_sim_stats_get(sim, &st);
	cr_assert_eq(st.responses, 3);
	cr_assert_eq(st.faults_applied, 1);
}

Test(fault, wrong_token)
{
	arm(SCMI_SIM_FAULT_WRONG_TOKEN, 1, 1, -1, -1, 0);
	arm(SCMI_SIM_FAULT_WRONG_TOKEN, 1, 1, -1, -1, 0x3);
	cmdt(BASE, 0x0, 5, 0); /* both fire: (5 + 512) ^ 3 */
	cr_assert_eq(token_of(0), (5 + 512) ^ 3);
	cr_assert_eq(hdr_of(0) & 0xF003FFFFu, mkhdr(BASE, 0, 0, 0)); /* rest intact */
	scmi_sim_fault_clear(sim);
	arm(SCMI_SIM_FAULT_WRONG_TOKEN, 0, 0, -1, -1, 0);
	cmdt(BASE, 0x0, 600, 0);
	cr_assert_eq(token_of(0), (600 + 512) & 0x3FF);
	cmdt(TP, TM_ASYNC, 9, 1, 0); /* the delayed response keeps the real token */
	cr_assert_eq(token_of(0), 9 + 512);
	cr_assert_eq(token_of(1), 9);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_WRONG_TOKEN), 4);
}

Test(fault, dresp_first)
{
	arm(SCMI_SIM_FAULT_DRESP_FIRST, 0, 0, -1, -1, 0);
	cmd(BASE, 0x0, 0); /* sync: not a match */
	cr_assert_eq(cap.n, 1);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_DRESP_FIRST), 0);
	cmd(TP, TM_ASYNC, 1, 0);
	cr_assert_eq(cap.n, 2);
	cr_assert_eq(type_of(0), TYPE_DRESP);
	cr_assert_eq(msg(0)->chan, SCMI_SIM_CHAN_P2A);
	cr_assert_eq(type_of(1), TYPE_CMD);
	cr_assert_eq(token_of(0), TOKEN);
	cr_assert_eq(token_of(1), TOKEN);
	/* With a delayed completion the response waits for it. */
	cmd(TP, TM_ASYNC, 1, 2000);
	cr_assert_eq(type_of(0), TYPE_DRESP);
	cr_assert_geq(msg(1)->delay, msg(0)->delay);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_DRESP_FIRST), 2);
}

Test(fault, late_and_late_dresp)
{
	arm(SCMI_SIM_FAULT_LATE, 0, 0, TP, -1, 90000);
	arm(SCMI_SIM_FAULT_LATE_DRESP, 0, 0, TP, -1, 250000);
	cmd(TP, TM_ASYNC, 1, 5);
	cr_assert_eq(msg(0)->delay, 90000);
	cr_assert_eq(msg(1)->delay, 250000);
	cmd(BASE, 0x0, 0); /* protocol filter */
	cr_assert_eq(msg(0)->delay, 0);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_LATE), 1);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_LATE_DRESP), 1);
}

Test(fault, unexpected_dresp)
{
	struct scmi_sim_stats st;

	arm(SCMI_SIM_FAULT_UNEXPECTED_DRESP, 0, 0, -1, -1, 0);
	arm(SCMI_SIM_FAULT_WRONG_TOKEN, 0, 0, -1, -1, 1); /* response only */
	cmdt(BASE, 0x0, 77, 0);
	cr_assert_eq(cap.n, 2);
	cr_assert_eq(type_of(0), TYPE_CMD);
	cr_assert_eq(token_of(0), 76);
	cr_assert_eq(msg(1)->chan, SCMI_SIM_CHAN_P2A);
	cr_assert_eq(hdr_of(1), mkhdr(BASE, 0, TYPE_DRESP, 77));
	cr_assert_eq(msg(1)->len, msg(0)->len);
	cmd(TP, TM_ASYNC, 1, 0); /* async: not a match */
	cr_assert_eq(cap.n, 2);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_UNEXPECTED_DRESP), 1);
	scmi_sim_stats_get(sim, &st);
	cr_assert_eq(st.delayed_responses, 2);
}

Test(fault, bad_length_responses)
{
	arm(SCMI_SIM_FAULT_BAD_LENGTH, 1, 1, -1, -1, -2);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(msg(0)->len, 10);
	arm(SCMI_SIM_FAULT_BAD_LENGTH, 1, 1, -1, -1, -100);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(msg(0)->len, 4); /* never below the header */
	arm(SCMI_SIM_FAULT_BAD_LENGTH, 1, 1, -1, -1, 5);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(msg(0)->len, 17);
	cr_assert_eq(msg(0)->b[12], 0);
	cr_assert_eq(msg(0)->b[16], 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(msg(0)->len, 12);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_BAD_LENGTH), 3);
}

Test(fault, bad_length_notifications)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.protocol = -1,
		.message = -1,
		.param = -3,
		.notifications = true,
	};

	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	cmd(TP, TM_NOTIFY, 1, 1);
	cr_assert_eq(msg(0)->len, 8); /* response untouched */
	cmd(TP, TM_EVENT, 0);
	cr_assert_eq(msg(0)->len, 8);
	cr_assert_eq(msg(1)->len, 12 - 3);
	cmd(BASE, 0x8, 1, 1);
	cap.n = 0;
	cr_assert_eq(scmi_sim_base_error_event(sim, 1, false, NULL, 0), 1);
	cr_assert_eq(msg(0)->len, 12 - 3);
}

Test(fault, count_limits_applications)
{
	int i;

	arm(SCMI_SIM_FAULT_DROP, 2, 2, BASE, 0x0, 0);
	for (i = 1; i <= 8; i++)
		cmd(BASE, 0x0, 0);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_DROP), 2);
	cmd(BASE, 0x1, 0);
	cr_assert_eq(cap.n, 1);
}

Test(fault, add_validation)
{
	struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_DROP, .protocol = -1, .message = -1};
	int i;

	f.kind = SCMI_SIM_FAULT__COUNT;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.kind = SCMI_SIM_FAULT_DROP;
	f.protocol = 256;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.protocol = -2;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.protocol = -1;
	f.message = 300;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.message = -1;
	f.notifications = true;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.notifications = false;
	f.kind = SCMI_SIM_FAULT_WRONG_TOKEN;
	f.param = 1024;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.kind = SCMI_SIM_FAULT_BAD_LENGTH;
	f.param = 2000;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.kind = SCMI_SIM_FAULT_DELAY;
	f.param = -1;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	cr_assert_eq(scmi_sim_fault_add(sim, NULL), -EINVAL);
	f.param = 1;
	for (i = 0; i < 16; i++)
		cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -ENOSPC);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(msg(0)->delay, 16);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_DELAY), 16); /* kept */
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT__COUNT), 0);
}

Test(fault, parse_every_kinds)
{
	int i;

	cr_assert_eq(scmi_sim_fault_parse(sim, "drop", "2"), 0);
	for (i = 1; i <= 4; i++) {
		cmd(BASE, 0x0, 0);
		cr_assert_eq(cap.n, i % 2 ? 1u : 0u);
	}
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_parse(sim, "dup", NULL), 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(cap.n, 2);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_parse(sim, "wrong_token", "1"), 0);
	cmdt(BASE, 0x0, 3, 0);
	cr_assert_eq(token_of(0), 515);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_parse(sim, "dresp_first", ""), 0);
	cmd(TP, TM_ASYNC, 1, 0);
	cr_assert_eq(type_of(0), TYPE_DRESP);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_parse(sim, "unexpected_dresp", "1"), 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(cap.n, 2);
	cr_assert_eq(type_of(1), TYPE_DRESP);
}

Test(fault, parse_value_kinds)
{
	cr_assert_eq(scmi_sim_fault_parse(sim, "delay_us", "250"), 0);
	cr_assert_eq(scmi_sim_fault_parse(sim, "late_dresp_us", "9000"), 0);
	cmd(TP, TM_ASYNC, 1, 1);
	cr_assert_eq(msg(0)->delay, 250);
	cr_assert_eq(msg(1)->delay, 9000);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_parse(sim, "late_us", "40000"), 0);
	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len", "-3"), 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(msg(0)->delay, 40000);
	cr_assert_eq(msg(0)->len, 9);
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len", "+2"), 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(msg(0)->len, 14);
}

Test(fault, parse_errors_and_zero)
{
	cr_assert_eq(scmi_sim_fault_parse(sim, "nope", "1"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "drop", "x"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "drop", "-1"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "drop", "2x"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "drop", "99999999999"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "delay_us", NULL), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "delay_us", "-5"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len", "5000"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len", ""), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, NULL, "1"), -EINVAL);
	/* 0 means off: accepted, nothing armed. */
	cr_assert_eq(scmi_sim_fault_parse(sim, "drop", "0"), 0);
	cr_assert_eq(scmi_sim_fault_parse(sim, "delay_us", "0"), 0);
	cmd(BASE, 0x0, 0);
	cr_assert_eq(cap.n, 1);
	cr_assert_eq(msg(0)->delay, 0);
}

Test(fault, unexpected_dresp_first)
{
	struct scmi_sim_stats st;

	arm(SCMI_SIM_FAULT_UNEXPECTED_DRESP_FIRST, 0, 0, -1, -1, 0);
	cmdt(BASE, 0x0, 88, 0);
	cr_assert_eq(cap.n, 2);
	cr_assert_eq(msg(0)->chan, SCMI_SIM_CHAN_P2A);
	cr_assert_eq(hdr_of(0), mkhdr(BASE, 0, TYPE_DRESP, 88), "the delayed response first");
	cr_assert_eq(hdr_of(1), mkhdr(BASE, 0, TYPE_CMD, 88), "then the response");
	cr_assert_eq(msg(0)->len, msg(1)->len);
	cr_assert_eq(memcmp(msg(0)->b + 4, msg(1)->b + 4, msg(1)->len - 4), 0);
	cmd(TP, TM_ASYNC, 1, 0); /* async: not a match */
	cr_assert_eq(cap.n, 2);
	cr_assert_eq(type_of(0), TYPE_CMD);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_UNEXPECTED_DRESP_FIRST), 1);
	scmi_sim_stats_get(sim, &st);
	cr_assert_eq(st.delayed_responses, 2);
	cr_assert_eq(scmi_sim_fault_parse(sim, "unexpected_dresp_first", "2"), 0);
}

Test(fault, parse_new_list_forms)
{
	struct sim_fault_knob *k;

	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len_at", "0x14:0:-1"), 0);
	k = &sim->faults.knobs[sim->faults.n - 1];
	cr_assert_eq(k->f.kind, SCMI_SIM_FAULT_BAD_LENGTH);
	cr_assert_eq(k->f.protocol, 0x14);
	cr_assert_eq(k->f.message, 0);
	cr_assert_eq(k->f.param, -1);
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", "4"), 0);
	k = &sim->faults.knobs[sim->faults.n - 1];
	cr_assert_eq(k->f.kind, SCMI_SIM_FAULT_RANGE_COUNT);
	cr_assert_eq(k->f.param, 4);
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", "3:1:5"), 0);
	k = &sim->faults.knobs[sim->faults.n - 1];
	cr_assert_eq(k->f.param, 3 | 1 << 16 | (int64_t)6 << 32);
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", "9"), -EINVAL, "at most 8");
	/* A fourth field: entries sent (old SCP-firmware: 1 counted, 3 sent). */
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", "1:0:-1:3"), 0);
	k = &sim->faults.knobs[sim->faults.n - 1];
	cr_assert_eq(k->f.param, 1 | 3 << 8);
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", "3:1:5:9"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", "3:1:5:2:1"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", "3:1:-2"), -EINVAL);
	/* no_dresp / inline_dresp: PROTO:MSG, or nothing (every message). */
	cr_assert_eq(scmi_sim_fault_parse(sim, "no_dresp", "0x14:5"), 0);
	k = &sim->faults.knobs[sim->faults.n - 1];
	cr_assert_eq(k->f.kind, SCMI_SIM_FAULT_NO_DRESP);
	cr_assert_eq(k->f.protocol, 0x14);
	cr_assert_eq(k->f.message, 5);
	cr_assert_eq(scmi_sim_fault_parse(sim, "inline_dresp", ""), 0);
	k = &sim->faults.knobs[sim->faults.n - 1];
	cr_assert_eq(k->f.kind, SCMI_SIM_FAULT_INLINE_DRESP);
	cr_assert_eq(k->f.protocol, -1);
	cr_assert_eq(k->f.message, -1);
	cr_assert_eq(scmi_sim_fault_parse(sim, "no_dresp", "0x14"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "no_dresp", "0x14:5:1"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "inline_dresp", "0x15:256"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", "3:"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "range_count", NULL), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len_at", "20:0"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len_at", "256:0:1"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len_at", "20:0:-2000"), -EINVAL);
	cr_assert_eq(scmi_sim_fault_parse(sim, "bad_len_at", "20:0:1x"), -EINVAL);
}

/* RANGE_COUNT on the standard clock model (status suite: every model). */
Test(status, fault_range_count_rewrites_range_replies_only)
{
	struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_RANGE_COUNT,
				   .protocol = -1,
				   .message = -1,
				   .param = 4 | (int64_t)(1 + 1) << 32}; /* clock 1 only */

	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	cmd(CLOCK, 0x4, 2, 1, 0); /* gpu: a range */
	expect_reply(S_SUCCESS, 4 + 4 * 8);
	cr_assert_eq(data32(0, 0), 4 | 1u << 12);
	cr_assert_eq(data32(0, 5), data32(0, 7), "the extra entry repeats the step");
	cmd(CLOCK, 0x4, 2, 5, 0); /* pll_sys: a range, another clock */
	expect_reply(S_SUCCESS, 4 + 3 * 8);
	cmd(CLOCK, 0x4, 2, 0, 0); /* a list clock */
	cr_assert_eq(data32(0, 0) & (1u << 12), 0);
	cr_assert_eq(scmi_sim_fault_hits(sim, SCMI_SIM_FAULT_RANGE_COUNT), 1);
	scmi_sim_fault_clear(sim);
	f.param = 3 | 1 << 16; /* three entries but one "remaining", any clock */
	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	cmd(CLOCK, 0x4, 2, 5, 0);
	expect_reply(S_SUCCESS, 4 + 3 * 8);
	cr_assert_eq(data32(0, 0), 3 | 1u << 12 | 1u << 16);
	f.param = 2;
	scmi_sim_fault_clear(sim);
	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	cmd(CLOCK, 0x4, 2, 7, 0);
	expect_reply(S_SUCCESS, 4 + 2 * 8);
	cr_assert_eq(data32(0, 0), 2 | 1u << 12);
	f.param = 9;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
	f.param = 1 | (int64_t)1 << 60;
	cr_assert_eq(scmi_sim_fault_add(sim, &f), -EINVAL);
}

/* ---- runner ----------------------------------------------------------------- */

#define RX_MAX 4096

struct rx_msg {
	enum scmi_sim_chan chan;
	uint32_t hdr;
	size_t len;
	uint32_t w1; /* first word after the header */
	uint32_t w2;
	uint64_t at_ns;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct rx_msg m[RX_MAX];
	size_t n;
	bool stopped;
	bool late_delivery;
} rx;

static struct scmi_sim_runner *runner;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void rx_deliver(void *priv, enum scmi_sim_chan chan, const void *msg_, size_t len)
{
	const uint8_t *b = msg_;
	struct rx_msg *m;

	(void)priv;
	pthread_mutex_lock(&rx.lock);
	if (rx.stopped)
		rx.late_delivery = true;
	if (rx.n < RX_MAX && len >= 4) {
		m = &rx.m[rx.n++];
		m->chan = chan;
		m->hdr = le32(b);
		m->len = len;
		m->w1 = len >= 8 ? le32(b + 4) : 0;
		m->w2 = len >= 12 ? le32(b + 8) : 0;
		m->at_ns = now_ns();
	}
	pthread_cond_broadcast(&rx.cond);
	pthread_mutex_unlock(&rx.lock);
}

/* Wait (with a generous deadline) until @n messages have arrived. */
static bool rx_wait(size_t n)
{
	struct timespec dl;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += 10;
	pthread_mutex_lock(&rx.lock);
	while (rx.n < n) {
		if (pthread_cond_timedwait(&rx.cond, &rx.lock, &dl) == ETIMEDOUT)
			break;
	}
	ok = rx.n >= n;
	pthread_mutex_unlock(&rx.lock);
	return ok;
}

static size_t rx_count(void)
{
	size_t n;

	pthread_mutex_lock(&rx.lock);
	n = rx.n;
	pthread_mutex_unlock(&rx.lock);
	return n;
}

static void runner_setup(void)
{
	pthread_condattr_t ca;

	setup_tm();
	memset(&rx, 0, sizeof(rx));
	pthread_mutex_init(&rx.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rx.cond, &ca);
	pthread_condattr_destroy(&ca);
	cr_assert_eq(scmi_sim_runner_start(sim, 0, rx_deliver, NULL, &runner), 0);
}

static void runner_teardown(void)
{
	scmi_sim_runner_stop(runner);
	runner = NULL;
	pthread_mutex_lock(&rx.lock);
	rx.stopped = true;
	pthread_mutex_unlock(&rx.lock);
	teardown_tm();
	cr_assert_not(rx.late_delivery);
	pthread_cond_destroy(&rx.cond);
	pthread_mutex_destroy(&rx.lock);
}

static int submit(uint8_t proto, uint8_t id, uint16_t token, unsigned int n, ...)
{
	uint8_t buf[4 + 4 * 8];
	va_list ap;
	size_t len;

	va_start(ap, n);
	len = build(buf, proto, id, token, n, ap);
	va_end(ap);
	return scmi_sim_runner_submit(runner, buf, len);
}

TestSuite(runner, .init = runner_setup, .fini = runner_teardown, .timeout = 60);

Test(runner, round_trip)
{
	cr_assert_eq(submit(BASE, 0x0, 42, 0), 0);
	cr_assert(rx_wait(1));
	cr_assert_eq(rx.m[0].chan, SCMI_SIM_CHAN_A2P);
	cr_assert_eq(rx.m[0].hdr, mkhdr(BASE, 0, TYPE_CMD, 42));
	cr_assert_eq(rx.m[0].w1, 0);
	cr_assert_eq(rx.m[0].w2, 0x20001);
}

Test(runner, submit_argument_checks)
{
	uint8_t big[8 + 128 + 1] = {0};

	cr_assert_eq(scmi_sim_runner_submit(runner, big, sizeof(big)), -EMSGSIZE);
	cr_assert_eq(scmi_sim_runner_submit(runner, NULL, 4), -EINVAL);
	cr_assert_eq(scmi_sim_runner_submit(NULL, big, 4), -EINVAL);
	put32(big, mkhdr(BASE, 0x6, TYPE_CMD, 1)); /* the largest request is accepted */
	cr_assert_eq(scmi_sim_runner_submit(runner, big, sizeof(big) - 1), 0);
	cr_assert(rx_wait(1));
	cr_assert_eq(rx.m[0].w1, (uint32_t)S_PROTO_ERROR);
	cr_assert_eq(scmi_sim_runner_start(NULL, 0, rx_deliver, NULL, &runner), -EINVAL);
	scmi_sim_runner_stop(NULL);
}

#define SUBMITTERS 4
#define PER_THREAD 200

/* Returns the first error (no Criterion asserts off the test thread). */
static void *submitter(void *arg)
{
	unsigned int t = (unsigned int)(uintptr_t)arg, i;

	for (i = 0; i < PER_THREAD; i++) {
		uint16_t token = (uint16_t)(t * PER_THREAD + i);
		int ret;

		while ((ret = submit(BASE, 0x0, token, 0)) == -EAGAIN)
			sched_yield();
		if (ret)
			return (void *)(intptr_t)ret;
	}
	return NULL;
}

Test(runner, submit_from_many_threads)
{
	static bool seen[SUBMITTERS * PER_THREAD];
	int last[SUBMITTERS] = {-1, -1, -1, -1};
	pthread_t th[SUBMITTERS];
	uintptr_t t;
	size_t i, n;

	for (t = 0; t < SUBMITTERS; t++)
		cr_assert_eq(pthread_create(&th[t], NULL, submitter, (void *)t), 0);
	for (t = 0; t < SUBMITTERS; t++) {
		void *ret;

		pthread_join(th[t], &ret);
		cr_assert_null(ret, "submit failed: %d", (int)(intptr_t)ret);
	}
	cr_assert(rx_wait(SUBMITTERS * PER_THREAD));
	n = rx_count();
	cr_assert_eq(n, SUBMITTERS * PER_THREAD);
	for (i = 0; i < n; i++) {
		unsigned int token = rx.m[i].hdr >> 18 & 0x3FF;
		unsigned int th_id = token / PER_THREAD;

		cr_assert_not(seen[token], "token %u twice", token);
		seen[token] = true;
		/* Each thread's requests are answered in its order. */
		cr_assert_gt((int)(token % PER_THREAD), last[th_id]);
		last[th_id] = (int)(token % PER_THREAD);
		cr_assert_eq(rx.m[i].w2, 0x20001);
	}
}

Test(runner, delayed_messages_in_due_order)
{
	uint64_t t0 = now_ns();
	size_t i, dresp = 0;
	uint16_t order[3];

	cr_assert_eq(submit(TP, TM_ASYNC, 1, 1, 60000), 0);
	cr_assert_eq(submit(TP, TM_ASYNC, 2, 1, 20000), 0);
	cr_assert_eq(submit(TP, TM_ASYNC, 3, 1, 20000), 0);
	cr_assert(rx_wait(6));
	for (i = 0; i < 6; i++) {
		uint16_t token = (uint16_t)(rx.m[i].hdr >> 18 & 0x3FF);

		if (i < 3) { /* responses first, at once and in order */
			cr_assert_eq(rx.m[i].chan, SCMI_SIM_CHAN_A2P);
			cr_assert_eq(token, i + 1);
			continue;
		}
		cr_assert_eq(rx.m[i].chan, SCMI_SIM_CHAN_P2A);
		cr_assert_eq(rx.m[i].w2, 0xCAFE);
		order[dresp++] = token;
	}
	cr_assert_eq(order[0], 2);
	cr_assert_eq(order[1], 3);
	cr_assert_eq(order[2], 1);
	cr_assert_geq(rx.m[5].at_ns - t0, 60000 * 1000ull, "delivered before its due time");
	for (i = 3; i < 5; i++)
		cr_assert_geq(rx.m[i].at_ns - t0, 20000 * 1000ull);
}

Test(runner, late_response_fault)
{
	arm(SCMI_SIM_FAULT_LATE, 1, 1, -1, -1, 30000);
	cr_assert_eq(submit(BASE, 0x0, 1, 0), 0);
	cr_assert_eq(submit(BASE, 0x0, 2, 0), 0);
	cr_assert(rx_wait(2));
	cr_assert_eq(rx.m[0].hdr >> 18 & 0x3FF, 2);
	cr_assert_eq(rx.m[1].hdr >> 18 & 0x3FF, 1);
}

struct evt_arg {
	uint32_t first;
	unsigned int n;
	unsigned int sent;
};

static void raise_errors(void *arg)
{
	struct evt_arg *a = arg;
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (scmi_sim_base_error_event(sim, a->first + i, false, NULL, 0) == 1)
			a->sent++;
}

Test(runner, zero_delay_from_other_thread_keeps_order)
{
	struct evt_arg a = {.first = 100, .n = 50};
	size_t i;

	cr_assert_eq(submit(BASE, 0x8, 1, 1, 1), 0);
	cr_assert(rx_wait(1));
	raise_errors(&a); /* emitted on this thread: copied and queued */
	cr_assert_eq(a.sent, 50);
	cr_assert(rx_wait(51));
	for (i = 0; i < 50; i++) {
		cr_assert_eq(rx.m[1 + i].hdr, mkhdr(BASE, 0, TYPE_NOTIF, 0));
		cr_assert_eq(rx.m[1 + i].w1, 100 + i);
	}
}

struct on_thread_arg {
	bool on;
	int nested;
};

static void check_on_thread(void *arg)
{
	struct on_thread_arg *a = arg;

	a->on = scmi_sim_runner_on_thread(runner);
	a->nested = scmi_sim_runner_call(runner, check_on_thread, arg);
}

Test(runner, call_runs_on_runner_thread)
{
	struct on_thread_arg a = {false, 0};

	cr_assert_not(scmi_sim_runner_on_thread(runner));
	cr_assert_eq(scmi_sim_runner_call(runner, check_on_thread, &a), 0);
	cr_assert(a.on);
	cr_assert_eq(a.nested, -EDEADLK);
	cr_assert_eq(scmi_sim_runner_call(runner, NULL, NULL), -EINVAL);
}

Test(runner, call_in_order_with_requests)
{
	struct evt_arg a = {.first = 7, .n = 1};

	cr_assert_eq(submit(BASE, 0x8, 1, 1, 1), 0);
	cr_assert_eq(submit(BASE, 0x0, 2, 0), 0);
	cr_assert_eq(scmi_sim_runner_call(runner, raise_errors, &a), 0);
	cr_assert_eq(a.sent, 1);
	/* Both responses were delivered before the call ran, directly. */
	cr_assert_eq(rx_count(), 3);
	cr_assert_eq(rx.m[0].hdr, mkhdr(BASE, 0x8, TYPE_CMD, 1));
	cr_assert_eq(rx.m[1].hdr, mkhdr(BASE, 0x0, TYPE_CMD, 2));
	cr_assert_eq(rx.m[2].hdr, mkhdr(BASE, 0, TYPE_NOTIF, 0));
	cr_assert_eq(rx.m[2].w1, 7);
}

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool entered;
	bool release;
} gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false};

static void block_runner(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&gate.lock);
	gate.entered = true;
	pthread_cond_broadcast(&gate.cond);
	while (!gate.release)
		pthread_cond_wait(&gate.cond, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
}

static void *caller(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)scmi_sim_runner_call(runner, block_runner, NULL);
}

Test(runner, full_queue_never_blocks)
{
	pthread_t th;
	int i;

	/* A small ring (the suite's runner has the default one). */
	scmi_sim_runner_stop(runner);
	cr_assert_eq(scmi_sim_runner_start(sim, 4, rx_deliver, NULL, &runner), 0);

	cr_assert_eq(pthread_create(&th, NULL, caller, NULL), 0);
	pthread_mutex_lock(&gate.lock);
	while (!gate.entered)
		pthread_cond_wait(&gate.cond, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
	for (i = 0; i < 4; i++)
		cr_assert_eq(submit(BASE, 0x0, (uint16_t)i, 0), 0);
	cr_assert_eq(submit(BASE, 0x0, 9, 0), -EAGAIN);
	pthread_mutex_lock(&gate.lock);
	gate.release = true;
	pthread_cond_broadcast(&gate.cond);
	pthread_mutex_unlock(&gate.lock);
	{
		void *ret;

		pthread_join(th, &ret);
		cr_assert_null(ret);
	}
	cr_assert(rx_wait(4));
	cr_assert_eq(submit(BASE, 0x0, 10, 0), 0);
	cr_assert(rx_wait(5));
}

Test(runner, stop_discards_pending)
{
	uint64_t t0;

	cr_assert_eq(submit(TP, TM_ASYNC, 1, 1, 10000000), 0); /* completion in 10 s */
	cr_assert(rx_wait(1));
	t0 = now_ns();
	scmi_sim_runner_stop(runner);
	runner = NULL;
	pthread_mutex_lock(&rx.lock);
	rx.stopped = true;
	pthread_mutex_unlock(&rx.lock);
	cr_assert_lt(now_ns() - t0, 5000000000ull);
	cr_assert_eq(rx_count(), 1);
	/* The simulator lives on without its runner. */
	cap.n = 0;
	scmi_sim_set_emit(sim, cap_emit, NULL);
	cmd(BASE, 0x0, 0);
	expect_reply(S_SUCCESS, 4);
}

Test(runner, stop_with_queued_work)
{
	int i;

	for (i = 0; i < 100; i++)
		cr_assert_eq(submit(TP, TM_ASYNC, (uint16_t)i, 1, (uint32_t)(i % 3) * 1000), 0);
	/* Stopped right away: whatever was not delivered is dropped. */
}

Test(runner, due_messages_before_direct_ones)
{
	struct evt_arg a = {.first = 5, .n = 1};
	pthread_t th;
	void *ret;

	cr_assert_eq(submit(BASE, 0x8, 1, 1, 1), 0);
	cr_assert(rx_wait(1));
	/* Hold the runner, queue an event (due now) and then a request. */
	cr_assert_eq(pthread_create(&th, NULL, caller, NULL), 0);
	pthread_mutex_lock(&gate.lock);
	while (!gate.entered)
		pthread_cond_wait(&gate.cond, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
	raise_errors(&a);
	cr_assert_eq(a.sent, 1);
	cr_assert_eq(submit(BASE, 0x0, 2, 0), 0);
	pthread_mutex_lock(&gate.lock);
	gate.release = true;
	pthread_cond_broadcast(&gate.cond);
	pthread_mutex_unlock(&gate.lock);
	pthread_join(th, &ret);
	cr_assert_null(ret);
	cr_assert(rx_wait(3));
	cr_assert_eq(rx.m[1].hdr, mkhdr(BASE, 0, TYPE_NOTIF, 0), "the older event goes first");
	cr_assert_eq(rx.m[2].hdr, mkhdr(BASE, 0x0, TYPE_CMD, 2));
}

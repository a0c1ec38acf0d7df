/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A vendor protocol for testing agents (not part of SCMI): added on demand
 * under any vendor id with scmi_sim_test_protocol_add(), never listed by
 * default.  It gives tests what the standard protocols make awkward to
 * reach: commands with arbitrary payloads, an async command whose delayed
 * response carries data, and notifications on demand (floods included).
 *
 *   0x3 ECHO        req: any bytes      resp: the same bytes
 *   0x4 ASYNC_ECHO  req: delay_us u32, then any bytes
 *                   resp: status only; delayed resp: the bytes, delay_us later
 *   0x5 NOTIFY      req: evt_id u32, src_id u32, control u32: b0 enable,
 *                   b1 (with b0) send one event of that source right
 *                   after enabling it, as a platform may as soon as the
 *                   agent asked for it
 *   PROTOCOL_ATTRIBUTES resp: b[15:0] number of sources, b[23:16] events
 *
 * Notification payload (12 bytes): src_id u32, seq u32, evt_id u32.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum test_msg {
	TEST_ECHO = 0x3,
	TEST_ASYNC_ECHO = 0x4,
	TEST_NOTIFY = 0x5,
};

#define TEST_NUM_EVENTS	    4u
#define TEST_MAX_SOURCES    0xFFFFu
#define TEST_NOTIFY_ENABLE  (1u << 0)
#define TEST_NOTIFY_EMIT    (1u << 1)
#define TEST_EVT_PAYLD_SIZE 12u

struct test_state {
	uint32_t num_sources;
	uint32_t seq;
};

static struct test_state *test_state(struct sim_ctx *ctx)
{
	return ctx->proto->state;
}

static void test_echo(struct sim_ctx *ctx)
{
	uint8_t *out;

	if (!ctx->req_len)
		return;
	out = sim_reply_put(ctx, ctx->req_len);
	if (out)
		memcpy(out, ctx->req, ctx->req_len);
}

static void test_async_echo(struct sim_ctx *ctx)
{
	if (ctx->req_len < 4) {
		sim_reply_error(ctx, SIM_PROTOCOL_ERROR);
		return;
	}
	if (sim_reply_delayed(ctx, SIM_SUCCESS, ctx->req + 4, ctx->req_len - 4,
			      sim_req_u32(ctx, 0)))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

static int test_emit_locked(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src,
			    bool force);

static void test_notify(struct sim_ctx *ctx)
{
	uint32_t evt = sim_req_u32(ctx, 0), src = sim_req_u32(ctx, 4);
	uint32_t ctl = sim_req_u32(ctx, 8);

	if (evt >= TEST_NUM_EVENTS || src >= test_state(ctx)->num_sources)
		sim_reply_error(ctx, SIM_NOT_FOUND);
	else if (ctl & ~(TEST_NOTIFY_ENABLE | TEST_NOTIFY_EMIT) ||
		 (ctl & TEST_NOTIFY_EMIT && !(ctl & TEST_NOTIFY_ENABLE)))
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (sim_notify_request(ctx->sim, ctx->proto->id, (uint8_t)evt, src,
				    ctl & TEST_NOTIFY_ENABLE))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
	else if (ctl & TEST_NOTIFY_EMIT)
		test_emit_locked(ctx->sim, ctx->proto->id, (uint8_t)evt, src, false);
}

static void test_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, test_state(ctx)->num_sources | TEST_NUM_EVENTS << 16);
}

static const struct sim_cmd test_cmds[] = {
	{TEST_ECHO, 0, SIM_REQ_LEN_ANY, test_echo},
	{TEST_ASYNC_ECHO, 0, SIM_REQ_LEN_ANY, test_async_echo},
	{TEST_NOTIFY, 0, 12, test_notify},
};

static int test_init(struct sim_proto *p)
{
	struct test_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->num_sources = 16;
	p->state = st;
	return 0;
}

static void test_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

static const struct sim_proto_ops sim_test_ops = {
	.id = 0xF0,
	.name = "test",
	.versions = NULL,
	.cmds = test_cmds,
	.num_cmds = SIM_ARRAY_SIZE(test_cmds),
	.init = test_init,
	.fini = test_fini,
	.attributes = test_attributes,
};

int scmi_sim_test_protocol_add(struct scmi_sim *sim, uint8_t proto, unsigned int num_sources)
{
	struct test_state *st;
	int ret;

	if (!sim || proto < SIM_PROTO_VENDOR_FIRST || !num_sources ||
	    num_sources > TEST_MAX_SOURCES)
		return -EINVAL;
	ret = sim_model_register_as(sim, &sim_test_ops, proto, SIM_VERSION(1, 0));
	if (ret)
		return ret;
	sim_lock(sim);
	st = sim_model_state(sim, proto);
	st->num_sources = num_sources;
	sim_unlock(sim);
	return 0;
}

static int test_emit_locked(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src,
			    bool force)
{
	struct test_state *st = sim_model_state(sim, proto);
	uint8_t payload[TEST_EVT_PAYLD_SIZE];

	sim_put_le32(payload, src);
	sim_put_le32(payload + 4, st->seq++);
	sim_put_le32(payload + 8, evt);
	if (force)
		return sim_notify_emit(sim, proto, evt, payload, sizeof(payload), 0);
	return sim_notify(sim, proto, evt, src, payload, sizeof(payload), 0);
}

int scmi_sim_test_emit(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src,
		       uint32_t count, bool force)
{
	struct sim_proto *p;
	int sent = 0, ret = 0;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	p = sim_proto_get(sim, proto);
	if (!p || p->ops != &sim_test_ops)
		ret = -ENOENT;
	else if (evt >= TEST_NUM_EVENTS || src >= ((struct test_state *)p->state)->num_sources)
		ret = -EINVAL;
	for (uint32_t i = 0; !ret && i < count; i++) {
		ret = test_emit_locked(sim, proto, evt, src, force);
		if (ret > 0)
			sent++;
		ret = ret < 0 ? ret : 0;
	}
	sim_unlock(sim);
	return ret ? ret : sent;
}

int scmi_sim_test_emit_raw(struct scmi_sim *sim, uint8_t proto, uint8_t evt, const void *payload,
			   size_t len)
{
	int ret;

	if (!sim || (len && !payload))
		return -EINVAL;
	sim_lock(sim);
	ret = sim_notify_emit(sim, proto, evt, payload, len, 0);
	sim_unlock(sim);
	return ret;
}

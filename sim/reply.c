/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Request readers, the reply builder and the output slots the models write
 * into.  All bounded: requests by their received length, replies by
 * max_msg_size, outputs by SIM_OUT_MAX preallocated slots.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

/* ---- request -------------------------------------------------------------- */

uint32_t sim_req_u32(const struct sim_ctx *ctx, size_t off)
{
	if (off > ctx->req_len || ctx->req_len - off < 4)
		return 0;
	return sim_get_le32(ctx->req + off);
}

bool sim_req_len_is(struct sim_ctx *ctx, size_t len)
{
	if (ctx->req_len == len)
		return true;
	sim_reply_error(ctx, SIM_PROTOCOL_ERROR);
	return false;
}

/* ---- reply -------------------------------------------------------------- */

size_t sim_reply_room(const struct sim_ctx *ctx)
{
	if (ctx->status)
		return 0;
	return ctx->sim->max_msg_size - ctx->data_len;
}

uint8_t *sim_reply_put(struct sim_ctx *ctx, size_t n)
{
	uint8_t *p;

	if (ctx->status)
		return NULL;
	if (n > sim_reply_room(ctx)) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
		return NULL;
	}
	p = ctx->resp->buf + SIM_RESP_OVERHEAD + ctx->data_len;
	memset(p, 0, n);
	ctx->data_len += n;
	return p;
}

void sim_reply_u32(struct sim_ctx *ctx, uint32_t v)
{
	uint8_t *p = sim_reply_put(ctx, 4);

	if (p)
		sim_put_le32(p, v);
}

void sim_reply_name(struct sim_ctx *ctx, const char *name)
{
	uint8_t *p = sim_reply_put(ctx, SIM_SHORT_NAME_SIZE);

	if (p)
		memcpy(p, name, strnlen(name, SIM_SHORT_NAME_SIZE));
}

void sim_reply_error(struct sim_ctx *ctx, int32_t status)
{
	/* The first failure wins: it is the one that explains the request. */
	if (ctx->status)
		return;
	ctx->status = status;
	ctx->data_len = 0;
}

int sim_reply_delayed(struct sim_ctx *ctx, int32_t status, const void *data, size_t len,
		      uint64_t delay_us)
{
	struct sim_out *out;

	if (len > ctx->sim->max_msg_size || (len && !data))
		return -EMSGSIZE;
	out = sim_out_new(ctx->sim, SIM_TYPE_DELAYED_RESPONSE, ctx->proto->id, ctx->msg_id,
			  ctx->token);
	if (!out)
		return -ENOSPC;
	sim_put_le32(out->buf + SIM_HDR_SIZE, (uint32_t)status);
	if (len)
		memcpy(out->buf + SIM_RESP_OVERHEAD, data, len);
	out->len = SIM_RESP_OVERHEAD + len;
	out->delay_us = delay_us;
	return 0;
}

/* ---- outputs ------------------------------------------------------------- */

struct sim_out *sim_out_new(struct scmi_sim *sim, uint8_t type, uint8_t proto, uint8_t msg_id,
			    uint16_t token)
{
	struct sim_out *out;

	if (sim->n_outs >= SIM_OUT_MAX)
		return NULL;
	out = &sim->outs[sim->n_outs];
	if (!out->buf) {
		out->buf = calloc(1, sim->out_cap);
		if (!out->buf)
			return NULL;
	}
	sim->n_outs++;
	out->chan = type == SIM_TYPE_COMMAND ? SCMI_SIM_CHAN_A2P : SCMI_SIM_CHAN_P2A;
	out->type = type;
	out->proto = proto;
	out->msg_id = msg_id;
	out->token = token & SIM_TOKEN_MASK;
	out->delay_us = 0;
	sim_put_le32(out->buf, sim_hdr(msg_id, type, proto, token));
	if (type == SIM_TYPE_NOTIFICATION) {
		out->len = SIM_HDR_SIZE;
	} else {
		sim_put_le32(out->buf + SIM_HDR_SIZE, 0);
		out->len = SIM_RESP_OVERHEAD;
	}
	return out;
}

void sim_out_flush(struct scmi_sim *sim)
{
	if (sim->in_request || !sim->n_outs)
		return;
	sim_fault_run(sim, sim->outs, sim->n_outs);
	sim->n_outs = 0;
}

void sim_out_deliver(struct scmi_sim *sim, enum scmi_sim_chan chan, const uint8_t *buf, size_t len,
		     uint64_t delay_us)
{
	if (sim_vtime_hold(sim, chan, buf, len, delay_us))
		return;
	sim_out_emit(sim, chan, buf, len, delay_us);
}

void sim_out_emit(struct scmi_sim *sim, enum scmi_sim_chan chan, const uint8_t *buf, size_t len,
		  uint64_t delay_us)
{
	switch (SIM_HDR_TYPE(sim_get_le32(buf))) {
	case SIM_TYPE_COMMAND:
		sim->stats.responses++;
		break;
	case SIM_TYPE_DELAYED_RESPONSE:
		sim->stats.delayed_responses++;
		break;
	case SIM_TYPE_NOTIFICATION:
		sim->stats.notifications++;
		break;
	default:
		break;
	}
	if (sim->emit)
		sim->emit(sim->emit_priv, chan, buf, len, delay_us);
}

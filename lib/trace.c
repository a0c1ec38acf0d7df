// SPDX-License-Identifier: BSD-3-Clause
/*
 * Trace events and the Linux-named debug counters (scmi/trace.h).
 *
 * The hook is called under a read lock, and changed under the write lock,
 * so that scmi_trace_set() returns only when no call of the old hook is
 * running.  trace_fn is also read without the lock, by scmi_tracing(),
 * only to skip building a record when there is no hook.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "trace.h"

static bool trace_poll(const struct scmi_instance *inst)
{
	return inst->tinfo.caps & (SCMI_TRANSPORT_POLLING | SCMI_TRANSPORT_COMPLETES_ON_RETURN);
}

static void trace_emit(struct scmi_instance *inst, const struct scmi_trace_record *r)
{
	scmi_trace_fn fn;

	pthread_rwlock_rdlock(&inst->trace_lock);
	fn = atomic_load_explicit(&inst->trace_fn, memory_order_relaxed);
	if (fn)
		fn(inst->trace_priv, r);
	pthread_rwlock_unlock(&inst->trace_lock);
}

void scmi_trace_xfer(struct scmi_instance *inst, enum scmi_trace_event ev,
		     const struct scmi_xfer *x, unsigned int tmo_ms, int status)
{
	struct scmi_trace_record r = {
		.event = ev,
		.transfer_id = x->transfer_id,
		.protocol_id = x->protocol_id,
		.msg_id = x->msg_id,
		.seq = x->token,
		.channel = (uint8_t)x->t.chan,
		.poll = trace_poll(inst),
		.timeout_ms = tmo_ms,
		.status = status,
	};

	trace_emit(inst, &r);
}

void scmi_trace_xfer_dump(struct scmi_instance *inst, const struct scmi_xfer *x, uint8_t type)
{
	bool cmd = type == SCMI_TRACE_CMND;
	struct scmi_trace_record r = {
		.event = SCMI_TRACE_MSG_DUMP,
		.transfer_id = x->transfer_id,
		.protocol_id = x->protocol_id,
		.msg_id = x->msg_id,
		.msg_type = cmd ? SCMI_MSG_TYPE_COMMAND : type,
		.channel = (uint8_t)x->t.chan,
		.seq = x->token,
		.status = cmd ? 0 : x->t.status,
		.tag = cmd			       ? "CMND"
		       : type == SCMI_MSG_TYPE_COMMAND ? "RESP"
						       : "DLYD",
		.hdr = scmi_hdr_pack(x->msg_id, cmd ? SCMI_MSG_TYPE_COMMAND : type, x->protocol_id,
				     x->token),
		.buf = cmd ? x->t.tx : x->t.rx,
		.len = cmd ? x->t.tx_len : x->t.rx_len,
	};

	trace_emit(inst, &r);
}

void scmi_trace_rx_done(struct scmi_instance *inst, int transfer_id, uint32_t hdr)
{
	struct scmi_trace_record r = {
		.event = SCMI_TRACE_RX_DONE,
		.transfer_id = transfer_id,
		.protocol_id = scmi_hdr_protocol(hdr),
		.msg_id = scmi_hdr_msg_id(hdr),
		.msg_type = scmi_hdr_type(hdr),
		.seq = scmi_hdr_token(hdr),
		.poll = trace_poll(inst),
		.hdr = hdr,
	};

	trace_emit(inst, &r);
}

void scmi_trace_notification(struct scmi_instance *inst, uint32_t hdr, const void *buf, size_t len)
{
	struct scmi_xfers_info *info = &inst->tx_minfo;
	struct scmi_trace_record r = {
		.event = SCMI_TRACE_MSG_DUMP,
		.protocol_id = scmi_hdr_protocol(hdr),
		.msg_id = scmi_hdr_msg_id(hdr),
		.msg_type = SCMI_MSG_TYPE_NOTIFICATION,
		.seq = scmi_hdr_token(hdr),
		.tag = "NOTI",
		.hdr = hdr,
		.buf = buf,
		.len = len,
	};

	/* Notifications take a transfer id only when traced. */
	pthread_mutex_lock(&info->lock);
	info->last_transfer_id = (info->last_transfer_id + 1) & INT_MAX;
	r.transfer_id = info->last_transfer_id;
	pthread_mutex_unlock(&info->lock);
	trace_emit(inst, &r);
	scmi_trace_rx_done(inst, r.transfer_id, hdr);
}

void scmi_trace_bad_msg(struct scmi_instance *inst, uint32_t hdr, int why)
{
	static const char *const tags[] = {"!RESP", "!UNKN", "!DLYD", "!NOTI"};
	struct scmi_trace_record r = {
		.event = SCMI_TRACE_MSG_DUMP,
		.protocol_id = scmi_hdr_protocol(hdr),
		.msg_id = scmi_hdr_msg_id(hdr),
		.msg_type = scmi_hdr_type(hdr),
		.seq = scmi_hdr_token(hdr),
		.status = why,
		.tag = tags[scmi_hdr_type(hdr) & 3],
		.hdr = hdr,
	};

	trace_emit(inst, &r);
}

void scmi_trace_fc_call(struct scmi_instance *inst, uint8_t proto, uint8_t msg_id, uint32_t res_id,
			uint32_t val1, uint32_t val2)
{
	struct scmi_trace_record r = {
		.event = SCMI_TRACE_FC_CALL,
		.protocol_id = proto,
		.msg_id = msg_id,
		.res_id = res_id,
		.val1 = val1,
		.val2 = val2,
	};

	trace_emit(inst, &r);
}

void scmi_trace_init(struct scmi_instance *inst)
{
	pthread_rwlock_init(&inst->trace_lock, NULL);
	atomic_init(&inst->trace_fn, NULL);
}

void scmi_trace_destroy(struct scmi_instance *inst)
{
	pthread_rwlock_destroy(&inst->trace_lock);
}

int scmi_trace_set(const struct scmi_handle *h, scmi_trace_fn fn, void *priv)
{
	struct scmi_instance *inst;

	if (!h)
		return -EINVAL;
	inst = scmi_inst(h);
	pthread_rwlock_wrlock(&inst->trace_lock);
	inst->trace_priv = priv;
	atomic_store_explicit(&inst->trace_fn, fn, memory_order_relaxed);
	pthread_rwlock_unlock(&inst->trace_lock);
	return 0;
}

/* ---- formatting ---------------------------------------------------------- */

static const char *const trace_names[] = {
	[SCMI_TRACE_XFER_BEGIN] = "scmi_xfer_begin",
	[SCMI_TRACE_XFER_RESPONSE_WAIT] = "scmi_xfer_response_wait",
	[SCMI_TRACE_XFER_END] = "scmi_xfer_end",
	[SCMI_TRACE_RX_DONE] = "scmi_rx_done",
	[SCMI_TRACE_MSG_DUMP] = "scmi_msg_dump",
	[SCMI_TRACE_FC_CALL] = "scmi_fc_call",
};

int scmi_trace_format(const struct scmi_trace_record *r, char *buf, size_t size)
{
	const char *name;
	int n, total;

	if (!r || (!buf && size) || (unsigned int)r->event >= ARRAY_SIZE(trace_names))
		return -EINVAL;
	name = trace_names[r->event];
	switch (r->event) {
	case SCMI_TRACE_FC_CALL:
		return snprintf(buf, size, "%s: pt=%02X msg_id=%02X res_id:%u vals=%u:%u", name,
				r->protocol_id, r->msg_id, r->res_id, r->val1, r->val2);
	case SCMI_TRACE_MSG_DUMP:
		break;
	default:
		n = snprintf(buf, size, "%s: pt=%02X msg_id=%02X seq=%04X transfer_id=%X", name,
			     r->protocol_id, r->msg_id, r->seq, (unsigned int)r->transfer_id);
		if (n < 0)
			return -EINVAL;
		size = (size_t)n < size ? size - (size_t)n : 0;
		buf = size ? buf + n : NULL;
		if (r->event == SCMI_TRACE_XFER_BEGIN)
			total = snprintf(buf, size, " poll=%u", r->poll);
		else if (r->event == SCMI_TRACE_XFER_RESPONSE_WAIT)
			total = snprintf(buf, size, " tmo_ms=%u poll=%u", r->timeout_ms, r->poll);
		else if (r->event == SCMI_TRACE_XFER_END)
			total = snprintf(buf, size, " s=%d", r->status);
		else
			total = snprintf(buf, size, " msg_type=%u", r->msg_type);
		return n + total;
	}
	n = snprintf(
		buf, size, "%s: id=0 ch=%02X pt=%02X t=%s msg_id=%02X seq=%04X s=%d pyld=", name,
		r->channel, r->protocol_id, r->tag ? r->tag : "", r->msg_id, r->seq, r->status);
	if (n < 0)
		return -EINVAL;
	total = n;
	for (size_t i = 0; r->buf && i < r->len; i++) {
		size_t at = (size_t)total;

		total += snprintf(at < size ? buf + at : NULL, at < size ? size - at : 0, "%02x",
				  ((const uint8_t *)r->buf)[i]);
	}
	return total;
}

/* ---- Linux-named counters ------------------------------------------------- */

#define LOAD(f) atomic_load_explicit(&c->f, memory_order_relaxed)

int scmi_stats_foreach(const struct scmi_handle *h, scmi_counter_fn emit, void *arg)
{
	const struct scmi_counters *c;
	struct scmi_instance *inst;
	uint64_t polled, resp, ptmo, tmo;

	if (!h || !emit)
		return -EINVAL;
	inst = scmi_inst(h);
	c = &inst->stats;
	/* The polled counts first: each is also counted in its total first. */
	polled = LOAD(response_polled_ok);
	ptmo = LOAD(polled_timeouts);
	resp = LOAD(responses);
	tmo = LOAD(timeouts);
	emit(arg, "sent_ok", LOAD(sent));
	emit(arg, "sent_fail", LOAD(sent_fail));
	emit(arg, "sent_fail_polling_unsupported", 0);
	emit(arg, "sent_fail_channel_not_found", LOAD(sent_fail_channel_not_found));
	emit(arg, "response_ok", resp > polled ? resp - polled : 0);
	emit(arg, "notification_ok", LOAD(notifications));
	emit(arg, "delayed_response_ok", LOAD(delayed_responses));
	emit(arg, "xfers_response_timeout", tmo > ptmo ? tmo - ptmo : 0);
	emit(arg, "xfers_response_polled_timeout", ptmo);
	emit(arg, "response_polled_ok", polled);
	emit(arg, "err_msg_unexpected",
	     LOAD(drop_unknown_token) + LOAD(drop_bad_state) + LOAD(late_replies));
	emit(arg, "err_msg_invalid", LOAD(drop_bad_type) + LOAD(drop_bad_length));
	emit(arg, "err_msg_nomem", LOAD(err_msg_nomem));
	emit(arg, "err_protocol", LOAD(err_protocol));
	emit(arg, "xfers_inflight", scmi_xfers_in_use(&inst->tx_minfo));
	return 0;
}

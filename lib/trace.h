/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Trace points (internal; the public side is scmi/trace.h).  Each point is
 * `if (scmi_tracing(inst)) scmi_trace_...(...)`: with no hook, one relaxed
 * load and a branch predicted not taken; the record is built out of line.
 */
#ifndef SCMI_LIB_TRACE_H
#define SCMI_LIB_TRACE_H

#include "common.h"

static inline bool scmi_tracing(struct scmi_instance *inst)
{
	return __builtin_expect(atomic_load_explicit(&inst->trace_fn, memory_order_relaxed) != NULL,
				0);
}

/* scmi_xfer_begin, _response_wait (with @tmo_ms) or _end (with @status). */
void scmi_trace_xfer(struct scmi_instance *inst, enum scmi_trace_event ev,
		     const struct scmi_xfer *x, unsigned int tmo_ms, int status);
/* scmi_msg_dump of @x: its command (SCMI_TRACE_CMND), or its response or
 * delayed response (@type SCMI_MSG_TYPE_COMMAND / _DELAYED_RESP). */
#define SCMI_TRACE_CMND 0xff
void scmi_trace_xfer_dump(struct scmi_instance *inst, const struct scmi_xfer *x, uint8_t type);
/* scmi_rx_done of the message with header @hdr. */
void scmi_trace_rx_done(struct scmi_instance *inst, int transfer_id, uint32_t hdr);
/* A notification taken in: a transfer id, then scmi_msg_dump "NOTI" and
 * scmi_rx_done. */
void scmi_trace_notification(struct scmi_instance *inst, uint32_t hdr, const void *buf, size_t len);
/* A message dropped (@why: SCMI_TRACE_BAD_*): scmi_msg_dump tagged
 * "!RESP", "!DLYD", "!NOTI" or "!UNKN" with @why as status, no payload. */
void scmi_trace_bad_msg(struct scmi_instance *inst, uint32_t hdr, int why);

/* scmi_fc_call. */
void scmi_trace_fc_call(struct scmi_instance *inst, uint8_t proto, uint8_t msg_id, uint32_t res_id,
			uint32_t val1, uint32_t val2);
/* The lock, at allocation (scmi_config's hook: scmi_trace_set()). */
void scmi_trace_init(struct scmi_instance *inst);
void scmi_trace_destroy(struct scmi_instance *inst);

#endif

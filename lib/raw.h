/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Raw mode, the core's side (internal; the API is scmi/raw.h).
 *
 * The RX path hands the raw core what it drops and what it receives, but
 * only while a raw session wants it (inst->raw_flags, one relaxed load
 * when none does):
 *
 * - scmi_raw_drop() instead of clear_channel() for a message the core
 *   drops: with sessions open the message is fetched into a scratch
 *   buffer and copied into each session's errors queue;
 * - scmi_raw_error() for a drop whose bytes are already at hand (or lost);
 * - scmi_raw_rx_begin()/scmi_raw_rx_end() around a notification: the raw
 *   core fetches it once, copies it to the sessions that subscribed, and
 *   the regular path takes its bytes from there (scmi_raw_rx_copy());
 * - scmi_raw_xfer_filled() when a reply of a raw command (xfer->raw set)
 *   was fetched, inside the fill, before a delayed response can overwrite
 *   the response in the xfer's buffer.
 */
#ifndef SCMI_LIB_RAW_H
#define SCMI_LIB_RAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/raw.h>

#include "common.h"

#define SCMI_RAW_WANT_ERRORS 0x1u
#define SCMI_RAW_WANT_NOTIF  0x2u

static inline bool scmi_raw_wants(const struct scmi_instance *inst, unsigned int what)
{
	return atomic_load_explicit(&inst->raw_flags, memory_order_relaxed) & what;
}

/* A notification fetched by the raw core. */
struct scmi_raw_rx {
	bool fetched;
	int ret; /* fetch_notification()'s result */
	const uint8_t *buf;
	size_t len;
};

/* Consume @msg (header @hdr) that the core drops, as an error of @kind:
 * fetch and queue it when sessions want errors, else clear_channel().
 * @pre: the notification was fetched already (nothing to consume). */
void scmi_raw_drop(struct scmi_instance *inst, uint32_t hdr, void *msg,
		   enum scmi_raw_error_kind kind, const struct scmi_raw_rx *pre);
/* Queue an error whose bytes (status included for a reply) are at hand. */
void scmi_raw_error(struct scmi_instance *inst, enum scmi_raw_error_kind kind, uint32_t hdr,
		    const void *bytes, size_t len);
/* True when the raw core fetched notification @msg into @rx (copied to
 * the sessions that want it); scmi_raw_rx_end() then releases it. */
bool scmi_raw_rx_begin(struct scmi_instance *inst, uint32_t hdr, void *msg, struct scmi_raw_rx *rx);
void scmi_raw_rx_end(struct scmi_instance *inst, struct scmi_raw_rx *rx);
/* fetch_notification() for the regular path, from @rx. */
int scmi_raw_rx_copy(const struct scmi_raw_rx *rx, void *buf, size_t size, size_t *len);
/* A reply of a raw command was fetched (@ret: fetch_response()'s result). */
void scmi_raw_xfer_filled(struct scmi_instance *inst, struct scmi_xfer *x, uint8_t type, int ret);
/* Handle teardown: free the sessions left open and the raw core. */
void scmi_raw_core_free(struct scmi_instance *inst);

#endif

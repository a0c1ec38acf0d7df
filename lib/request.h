/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The request model under every protocol operation (internal).  See
 * docs/DESIGN.md, "Requests", and docs/PROTOCOLS.md for how an op is
 * written on it.
 *
 * An op validates its arguments, then describes its message to a request:
 * the message id, the request payload (copied in, or built by an encode
 * callback when an xfer is available), the shortest acceptable reply and a
 * decode callback.  The core owns the transfer in between:
 *
 * - a blocking call (the op called directly) runs the request on the
 *   caller's thread: get an xfer, encode, send, wait, decode;
 * - a non-blocking call (the op called under SCMI_ASYNC()) hands the
 *   caller's struct scmi_req to the handle's request engine, which sends it
 *   when an xfer is free, completes it from the RX path, times it out,
 *   cancels it, and runs the caller's callback where scmi/request.h says.
 *
 * decode(r, ret, rx, rx_len) runs exactly once per message with the
 * transfer's result @ret (0, a status mapped to an errno, -ETIMEDOUT, ...)
 * and, when @ret is 0, the reply's data (at least rx_min bytes).  It
 * returns the op's result (0, a count, or a negative errno), or
 * SCMI_REQ_AGAIN to send another message on the same request: the same one
 * again (a multi-part walk's next page: encode is called again) or one set
 * up with scmi_req_next() (a follow-up command, a fallback).  decode runs
 * on the caller's thread (blocking) or the engine's thread (non-blocking):
 * it must not block, and writes its results only through the op's output
 * pointers kept in the request's context.
 */
#ifndef SCMI_LIB_REQUEST_H
#define SCMI_LIB_REQUEST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/request.h>

struct scmi_instance;
struct scmi_protocol_handle;
struct scmi_xfer;
struct scmi_iter_desc;

/** decode()'s "send the next message on this request" (no errno, no
 *  count: it never leaves the core). */
#define SCMI_REQ_AGAIN INT_MIN

/** Request flags. */
#define SCMI_REQ_DRESP 0x1u /* completed by a delayed response */

/** Bytes of per-op context a request holds (zeroed by scmi_req_begin()). */
#define SCMI_REQ_CTX_SIZE 96
/** Request payload bytes a request holds inline (scmi_req_cmd()). */
#define SCMI_REQ_TX_INLINE 32

typedef int (*scmi_req_decode_fn)(struct scmi_req *r, int ret, const uint8_t *rx,
				  size_t rx_len);
/** Build the payload into @tx (room for @room bytes); *@len gets its
 *  length.  0 or a negative errno (the request completes with it). */
typedef int (*scmi_req_encode_fn)(struct scmi_req *r, uint8_t *tx, size_t room, size_t *len);

/** A request's message. */
struct scmi_req_msg {
	uint8_t msg_id;
	unsigned int flags;		 /* SCMI_REQ_* */
	size_t rx_min;			 /* shorter replies are -EPROTO (logged) */
	scmi_req_encode_fn encode;	 /* NULL: the inline payload */
	scmi_req_decode_fn decode;	 /* NULL: the result is @ret */
};

/**
 * Start an op's request.  Returns the caller's request when the op runs
 * under SCMI_ASYNC() (taken from the call's frame, so commands sent before
 * this point, e.g. a bring-up, stay blocking), otherwise @local, set up
 * for a blocking call.  Never fails.  Use SCMI_REQ() to declare both.
 */
struct scmi_req *scmi_req_begin(const struct scmi_protocol_handle *ph, struct scmi_req *local);

#define SCMI_REQ(r, ph)                    \
	struct scmi_req r##_local_;        \
	struct scmi_req *r = scmi_req_begin((ph), &r##_local_)

/** A blocking request for internal commands (never the caller's). */
struct scmi_req *scmi_req_init_sync(const struct scmi_protocol_handle *ph, struct scmi_req *r);

/** The request's context: SCMI_REQ_CTX_SIZE bytes, zeroed at begin. */
void *scmi_req_ctx(struct scmi_req *r);
#define SCMI_REQ_CTX(r, type) \
	((type *)scmi_req_ctx(r) + 0 * sizeof(char[sizeof(type) <= SCMI_REQ_CTX_SIZE ? 1 : -1]))

/** The protocol handle the request was begun with. */
const struct scmi_protocol_handle *scmi_req_ph(const struct scmi_req *r);

/** Is @r the caller's non-blocking request? */
bool scmi_req_is_async(const struct scmi_req *r);

/**
 * Run (blocking) or submit (non-blocking) @r with message @msg and the
 * inline payload @tx of @tx_len bytes (<= SCMI_REQ_TX_INLINE; larger ones
 * need msg->encode).  Blocking: returns the op's result.  Non-blocking:
 * returns 0 once submitted (the callback will run) or a negative errno
 * (not submitted).  @msg must outlive the request (make it static const).
 */
int scmi_req_run(struct scmi_req *r, const struct scmi_req_msg *msg, const void *tx,
		 size_t tx_len);

/**
 * Run or submit @r as blocking work instead of a message (a protocol's
 * bring-up): @job runs on the caller's thread for a blocking request, on a
 * thread of its own for a non-blocking one (neither the caller nor the
 * engine's thread waits for it); its return is the request's result.
 */
int scmi_req_run_job(struct scmi_req *r, int (*job)(struct scmi_req *r));

/** Like scmi_req_run() for a message built by msg->encode, which finds
 *  @len in *len when it is called (e.g. the length of a payload it copies
 *  from the op's context). */
int scmi_req_run_len(struct scmi_req *r, const struct scmi_req_msg *msg, size_t len);

/**
 * From decode: the next message of the request is @msg with payload @tx;
 * then return SCMI_REQ_AGAIN.  0 or -EMSGSIZE.
 */
int scmi_req_next(struct scmi_req *r, const struct scmi_req_msg *msg, const void *tx,
		  size_t tx_len);

/** The inline payload (for an encode callback that patches it). */
uint8_t *scmi_req_tx(struct scmi_req *r);

/**
 * A multi-part walk (spec §4) as a request: the rules of
 * scmi_common_iter_run() (lib/protocols.h), one message per page, the
 * request re-submitting itself until the walk ends.  @priv is the walk's
 * state handed to the iter callbacks (keep it in the request's context for
 * a non-blocking call).  @finish (optional) runs once at the end with the
 * walk's result and the number of entries listed, and returns the op's
 * result.  Blocking: returns the op's result; non-blocking: 0 or an errno.
 */
int scmi_req_walk(struct scmi_req *r, const struct scmi_iter_desc *desc, void *priv,
		  int (*finish)(struct scmi_req *r, int ret, unsigned int total));

/* A message whose reply's first 32-bit word is the op's one output
 * (rx_min >= 4): its decode, and the request's context naming where the
 * word goes. */
struct scmi_req_u32 {
	uint32_t *out;
};
int scmi_req_decode_u32(struct scmi_req *r, int ret, const uint8_t *rx, size_t len);

/* ---- the engine (lib/request.c), for the core ------------------------------ */

int scmi_req_engine_init(struct scmi_instance *inst);
/** scmi_close(): complete every outstanding request with -ECANCELED, run
 *  their callbacks (and those waiting), stop the engine's thread. */
void scmi_req_engine_shutdown(struct scmi_instance *inst);
void scmi_req_engine_free(struct scmi_instance *inst);
/** For the guards (lib/entry.c): a public call of @inst starts; a request
 *  armed on this thread becomes its non-blocking request.  0, or -EBUSY /
 *  -EINVAL when the arming was refused (request in use, no callback). */
int scmi_req_take_armed(struct scmi_instance *inst);
/** Around a protocol's bring-up: its commands never take the caller's
 *  request.  Returns what to pass to scmi_req_resume_armed(). */
int scmi_req_suspend_armed(void);
void scmi_req_resume_armed(int saved);
/** Is this thread inside scmi_dispatch() of @inst? */
bool scmi_req_dispatching_here(const struct scmi_instance *inst);
/** Wake whoever runs the handle's callbacks in dispatch mode. */
void scmi_req_dispatch_kick(struct scmi_instance *inst);
/** Run the engine's completed requests (loop / dispatch mode); returns
 *  the number run, *@more set when some remain. */
unsigned int scmi_req_engine_deliver(struct scmi_instance *inst, unsigned int budget, bool *more);

#endif

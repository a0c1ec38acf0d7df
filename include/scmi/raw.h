/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Raw messages: any command sent as bytes, the platform's notifications
 * and the messages libscmi dropped read back as bytes.  For compliance
 * suites, vendor protocols and debugging.
 *
 * A raw session (scmi_raw_open()) sits beside the regular users of the
 * same handle: its commands go through the same transfers and tokens
 * (the core picks the token; a raw command never disturbs a regular one),
 * and what it receives is a copy: the regular notification chains and
 * counters see every message as they would without it.
 *
 * - **Commands**: scmi_raw_send() waits for the answer on the calling
 *   thread; with #SCMI_RAW_POLL the calling thread polls for the response
 *   instead of sleeping.  scmi_raw_submit() queues the command as a
 *   non-blocking request (scmi/request.h: same engine, same places where
 *   callbacks run, same exactly-once contract) that completes when its last
 *   expected part is in.  Either way the response and, for a command
 *   flagged #SCMI_RAW_DRESP, the delayed response are kept apart: their
 *   status, header, time and data land in struct scmi_raw_cmd's @c resp and
 *   @c dresp and in the caller's buffers @c rx and @c drx.
 * - **Notifications**: scmi_raw_subscribe() selects (protocol, event)
 *   pairs; each one that arrives is copied, header and arrival time
 *   included, into the session's bounded queue, read with scmi_raw_read().
 *   Subscribing does not ask the platform for anything: send the
 *   protocol's *_NOTIFY command (raw or through an ops table) as well.
 * - **Errors**: every message the core drops -- a reply with a token no
 *   command waits for, a late reply after a timeout, a duplicate or
 *   unexpected reply, a reply or notification of bad length, a message of
 *   a reserved type, a notification the core cannot decode -- is copied
 *   with its kind into a second bounded queue of each session.
 * - **Reset**: scmi_raw_reset() empties both queues and cancels the
 *   session's requests in flight.
 *
 * When a queue is full the oldest entry makes room (and is counted,
 * scmi_raw_pending()).  Close the sessions before the handle;
 * scmi_close() frees those left open.
 */
#ifndef SCMI_RAW_H
#define SCMI_RAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/request.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A raw session on a handle (opaque). */
struct scmi_raw;

/** Command flag: the command completes with a delayed response. */
#define SCMI_RAW_DRESP 0x1u
/** Command flag (scmi_raw_send() only): the calling thread polls for the
 *  response rather than sleeping until the transport reports it.  On a
 *  polling transport this is what every command does. */
#define SCMI_RAW_POLL 0x2u

/** "Any" for scmi_raw_subscribe()'s protocol or event. */
#define SCMI_RAW_ANY (-1)

/** One part of a command's answer: its response or delayed response. */
struct scmi_raw_part {
	/** 0 when the message arrived (its status is in @c status); otherwise
	 *  why not: -ETIMEDOUT, -ECANCELED, -EPROTO (malformed), a send or
	 *  channel error, or -ENODATA when no such part was due (no delayed
	 *  response for a command without #SCMI_RAW_DRESP, or after a failed
	 *  response). */
	int result;
	/** The SCMI status word of the message, or SCMI_STATUS_NONE. */
	int32_t status;
	/** Its header (type, protocol, message id, token). */
	uint32_t hdr;
	/** Its data bytes after the status word; only the first rx_size (or
	 *  drx_size) of them were copied. */
	size_t len;
	/** Arrival time, CLOCK_MONOTONIC ns. */
	uint64_t timestamp;
};

/** A raw command and its answer. */
struct scmi_raw_cmd {
	/** The protocol id (any, vendor ones included). */
	uint8_t protocol_id;
	/** The message id. */
	uint8_t msg_id;
	/** SCMI_RAW_DRESP, SCMI_RAW_POLL. */
	unsigned int flags;
	/** The payload after the header (may be NULL when @c tx_len is 0). */
	const void *tx;
	/** Its length, at most the transport's max_tx_size. */
	size_t tx_len;
	/** Receives the response's data after the status (may be NULL when
	 *  @c rx_size is 0). */
	void *rx;
	/** Capacity of @c rx. */
	size_t rx_size;
	/** Receives the delayed response's data after the status. */
	void *drx;
	/** Capacity of @c drx. */
	size_t drx_size;
	/** Set when the command is sent: the token the core chose. */
	uint16_t token;
	/** The response. */
	struct scmi_raw_part resp;
	/** The delayed response (#SCMI_RAW_DRESP). */
	struct scmi_raw_part dresp;
};

struct scmi_raw_req;

/**
 * Completion callback of scmi_raw_submit().
 *
 * @param r the request; @c r->status holds the command's result and
 *	@c r->cmd its parts.  The request is free again when it starts.
 */
typedef void (*scmi_raw_cb)(struct scmi_raw_req *r);

/** A non-blocking raw command (owned by the caller, never copied while in
 *  use, like struct scmi_req). */
struct scmi_raw_req {
	/** The command, filled in by the caller; its buffers must stay valid
	 *  until the callback runs. */
	struct scmi_raw_cmd cmd;
	/** The caller's: libscmi never reads or writes it. */
	void *data;
	/** When the callback runs: what scmi_raw_send() would have returned. */
	int status;
	/** libscmi's: do not touch. */
	struct scmi_req req_;
	/** libscmi's: do not touch. */
	void *priv_[4];
};

/** The two queues of a session. */
enum scmi_raw_queue {
	SCMI_RAW_NOTIFICATIONS = 0, /**< notifications subscribed to */
	SCMI_RAW_ERRORS = 1,	    /**< messages the core dropped */
	/** scmi_raw_read(): the oldest entry of either queue (its kind
	 *  tells which). */
	SCMI_RAW_EITHER = 2,
};

/** What was wrong with a message in the errors queue. */
enum scmi_raw_error_kind {
	SCMI_RAW_NOT_AN_ERROR = 0,  /**< a notification (notifications queue) */
	SCMI_RAW_ERR_UNKNOWN_TOKEN, /**< a reply no command waits for */
	SCMI_RAW_ERR_LATE,	    /**< the late reply of a timed-out command */
	SCMI_RAW_ERR_UNEXPECTED,    /**< a duplicate or unexpected reply */
	SCMI_RAW_ERR_BAD_LENGTH,    /**< a reply or notification of bad length
				     *  (no bytes: it could not be read) */
	SCMI_RAW_ERR_BAD_TYPE,	    /**< a reserved type, or P2A traffic on a
				     *  transport without P2A */
	SCMI_RAW_ERR_NOTIFICATION,  /**< a notification of an unknown event, or
				     *  one its protocol rejected as malformed */
};

/** An entry read from a queue. */
struct scmi_raw_event {
	/** The message header (type, protocol, message or event id, token). */
	uint32_t hdr;
	/** SCMI_RAW_NOT_AN_ERROR for notifications, else the kind. */
	enum scmi_raw_error_kind kind;
	/** Arrival time, CLOCK_MONOTONIC ns. */
	uint64_t timestamp;
	/** Bytes of the message after its header (for a reply: the status
	 *  word, then the data); only the first @c size given to
	 *  scmi_raw_read() were copied. */
	size_t len;
};

/**
 * Open a raw session.  Any thread.
 *
 * @param h the handle.
 * @param depth entries each of its queues holds (0: 64; at most 4096).
 * @param[out] raw the session.
 * @return 0, -EINVAL, -ENOMEM, -ESHUTDOWN.
 */
SCMI_EXPORT int scmi_raw_open(const struct scmi_handle *h, unsigned int depth,
			      struct scmi_raw **raw);

/**
 * Close a session: reset it (scmi_raw_reset()), wait for the callbacks
 * of its requests, free it.  Not from one of those callbacks.
 *
 * @param raw the session (NULL: nothing).
 */
SCMI_EXPORT void scmi_raw_close(struct scmi_raw *raw);

/**
 * Send @p cmd and wait for its answer (response, and delayed response
 * with #SCMI_RAW_DRESP) on the calling thread.
 *
 * @param raw the session.
 * @param cmd the command; its @c token, @c resp and @c dresp are set.
 * @return 0, the errno of a non-SUCCESS status (of the delayed response
 *	when the response succeeded), -EMSGSIZE (payload too long),
 *	-ETIMEDOUT, -EOPNOTSUPP (#SCMI_RAW_DRESP without a P2A channel),
 *	-EINVAL, -ESHUTDOWN...
 */
SCMI_EXPORT int scmi_raw_send(struct scmi_raw *raw, struct scmi_raw_cmd *cmd);

/**
 * Submit @p r->cmd as a non-blocking request completing through @p cb
 * (where and how: scmi/request.h).  #SCMI_RAW_POLL is refused.
 *
 * @param raw the session.
 * @param r the request (not in use).
 * @param cb its callback.
 * @return 0 (submitted: @p cb runs exactly once), or a negative errno
 *	(nothing submitted): -EINVAL, -EBUSY (@p r in use), -ESHUTDOWN.
 */
SCMI_EXPORT int scmi_raw_submit(struct scmi_raw *raw, struct scmi_raw_req *r, scmi_raw_cb cb);

/**
 * Cancel a submitted request (scmi_req_cancel()): its callback runs with
 * -ECANCELED, the token is held back as after a timeout.
 *
 * @param r the request.
 * @return 0, -EBUSY (completing already), -EINVAL (not outstanding).
 */
SCMI_EXPORT int scmi_raw_cancel(struct scmi_raw_req *r);

/**
 * Select notifications for the session's notifications queue.
 *
 * @param raw the session.
 * @param protocol_id a protocol id, or #SCMI_RAW_ANY.
 * @param evt_id an event (notification message) id, or #SCMI_RAW_ANY.
 * @param on add (true) or remove (false) the selection.
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_raw_subscribe(struct scmi_raw *raw, int protocol_id, int evt_id, bool on);

/**
 * Take the oldest entry of a queue.
 *
 * @param raw the session.
 * @param q which queue, or #SCMI_RAW_EITHER.
 * @param[out] ev the entry's header, kind, time and length.
 * @param[out] buf receives its bytes (may be NULL when @p size is 0).
 * @param size capacity of @p buf.
 * @param timeout_ms how long to wait for an entry: 0 not at all, a
 *	negative value until one comes or the handle closes.
 * @return the bytes copied to @p buf, -EAGAIN (empty), -ESHUTDOWN
 *	(closing), -EINVAL.
 */
SCMI_EXPORT int scmi_raw_read(struct scmi_raw *raw, enum scmi_raw_queue q,
			      struct scmi_raw_event *ev, void *buf, size_t size, int timeout_ms);

/**
 * Entries waiting in a queue.
 *
 * @param raw the session.
 * @param q which queue.
 * @param[out] dropped if not NULL: entries overwritten because the queue
 *	was full, since the session opened.
 * @return the number, or -EINVAL.
 */
SCMI_EXPORT int scmi_raw_pending(struct scmi_raw *raw, enum scmi_raw_queue q, uint64_t *dropped);

/**
 * Reset the session: empty both queues and cancel its requests in flight
 * (their callbacks run with -ECANCELED).  Subscriptions stay.  Commands
 * sent with scmi_raw_send() finish on their own.
 *
 * @param raw the session.
 * @return the number of requests cancelled, or -EINVAL.
 */
SCMI_EXPORT int scmi_raw_reset(struct scmi_raw *raw);

/**
 * The name of an error kind ("unknown_token", "late", ...).
 *
 * @param kind the kind.
 * @return a static string ("?" for an unknown kind).
 */
SCMI_EXPORT const char *scmi_raw_error_name(enum scmi_raw_error_kind kind);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_RAW_H */

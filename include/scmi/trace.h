/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Tracing and debug counters, with the event set and counter names of the
 * Linux kernel's SCMI driver, so that a trace or a counter dump taken
 * with libscmi can be set beside one taken in the kernel.
 *
 * A trace hook (scmi_config.trace_fn, or scmi_trace_set() on an open
 * handle) receives one struct scmi_trace_record per event:
 *
 * | event                    | when                                      |
 * |--------------------------|-------------------------------------------|
 * | scmi_xfer_begin          | a command is about to be sent             |
 * | scmi_msg_dump "CMND"     | the command (its payload), as it goes out |
 * | scmi_xfer_response_wait  | the response is waited for from now on    |
 * | scmi_msg_dump "RESP"/"DLYD" | a response / delayed response fetched  |
 * | scmi_rx_done             | a reply or notification was taken in      |
 * | scmi_xfer_end            | the synchronous part ended (its errno)    |
 * | scmi_msg_dump "NOTI"     | a notification fetched                    |
 * | scmi_msg_dump "!RESP"... | a message dropped (enum scmi_trace_bad_msg)|
 * | scmi_fc_call             | a fastchannel was read or written         |
 *
 * With no hook set, each of these points costs one load and one branch.
 * scmi_trace_format() prints a record as the kernel's trace buffer does.
 */
#ifndef SCMI_TRACE_H
#define SCMI_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The kind of a trace record (the kernel's tracepoint of that name). */
enum scmi_trace_event {
	SCMI_TRACE_XFER_BEGIN = 0,	   /**< scmi_xfer_begin */
	SCMI_TRACE_XFER_RESPONSE_WAIT = 1, /**< scmi_xfer_response_wait */
	SCMI_TRACE_XFER_END = 2,	   /**< scmi_xfer_end */
	SCMI_TRACE_RX_DONE = 3,		   /**< scmi_rx_done */
	SCMI_TRACE_MSG_DUMP = 4,	   /**< scmi_msg_dump */
	SCMI_TRACE_FC_CALL = 5,		   /**< scmi_fc_call */
};

/** scmi_msg_dump status of a dropped message (tag "!RESP", "!DLYD",
 *  "!NOTI" or "!UNKN"), as the kernel reports bad messages. */
enum scmi_trace_bad_msg {
	SCMI_TRACE_BAD_UNEXPECTED = -1, /**< a reply for no command in flight, or out of turn */
	SCMI_TRACE_BAD_INVALID = -2,	/**< a bad length */
	SCMI_TRACE_BAD_UNKNOWN = -3,	/**< a message of a reserved type */
	SCMI_TRACE_BAD_NOMEM = -4,	/**< no room to take it in (notification queue full) */
};

/**
 * One trace event.  Fields that do not apply to @p event are 0 (NULL for
 * pointers).  Valid during the hook call only.
 */
struct scmi_trace_record {
	enum scmi_trace_event event; /**< what happened */
	/** Sequence number of the transfer, increasing by one per command
	 *  (and per traced notification) of the handle, from 1; 0 for
	 *  scmi_fc_call. */
	int transfer_id;
	uint8_t protocol_id;	 /**< protocol of the message */
	uint8_t msg_id;		 /**< message (or event) id */
	uint8_t msg_type;	 /**< 0 command/response, 2 delayed response, 3 notification */
	uint8_t channel;	 /**< transport channel (msg_dump) */
	uint16_t seq;		 /**< the token of the message header (the kernel's seq) */
	bool poll;		 /**< the transport is polled, not interrupt-driven */
	unsigned int timeout_ms; /**< xfer_response_wait: how long the caller waits */
	/** xfer_end: 0 or the negative errno of the transfer; msg_dump:
	 *  the SCMI status of a response (0 for commands, notifications),
	 *  or for a dropped message why (enum scmi_trace_bad_msg). */
	int status;
	/** msg_dump: "CMND", "RESP", "DLYD" or "NOTI"; "!RESP", "!DLYD",
	 *  "!NOTI" or "!UNKN" for a dropped message. */
	const char *tag;
	uint32_t hdr;	 /**< msg_dump, rx_done: the 32-bit message header */
	const void *buf; /**< msg_dump: payload after header (and status) */
	size_t len;	 /**< bytes at @p buf */
	uint32_t res_id; /**< fc_call: the domain */
	uint32_t val1;	 /**< fc_call: first value (a level, or the min limit) */
	uint32_t val2;	 /**< fc_call: second value (the max limit, or 0) */
};

/**
 * Trace hook.  Called on the thread where the event happens (a caller's
 * thread, or the receive thread), possibly on several threads at once:
 * it must be thread-safe, must not block for long, and must neither send
 * commands on the handle nor call scmi_trace_set().
 *
 * @param priv the hook's private pointer (scmi_config.trace_priv or
 *	scmi_trace_set()'s @p priv).
 * @param rec the event.
 */
typedef void (*scmi_trace_fn)(void *priv, const struct scmi_trace_record *rec);

/**
 * Set, replace or (with a NULL @p fn) remove the trace hook of an open
 * handle.  Once this returns, the old hook is not called again.  Any
 * thread but the hook's own.
 *
 * @param h the handle.
 * @param fn the hook, or NULL for none.
 * @param priv passed to @p fn.
 * @return 0, or -EINVAL (NULL handle).
 */
SCMI_EXPORT int scmi_trace_set(const struct scmi_handle *h, scmi_trace_fn fn, void *priv);

/**
 * Format @p rec as a line of the kernel's trace buffer, without the
 * leading task/CPU/time columns and without a newline, e.g.
 * "scmi_xfer_begin: transfer_id=12 msg_id=6 protocol_id=19 seq=4 poll=0".
 * Thread-safe.
 *
 * @param rec the event.
 * @param buf where to write (NUL-terminated, truncated to @p size).
 * @param size capacity of @p buf.
 * @return the length of the full line (as snprintf()), or -EINVAL.
 */
SCMI_EXPORT int scmi_trace_format(const struct scmi_trace_record *rec, char *buf, size_t size);

/**
 * A debug counter (scmi_stats_foreach()).
 *
 * @param arg the @p arg given to scmi_stats_foreach().
 * @param name the Linux debug counter's name in lower case ("sent_ok"...).
 * @param value its value.
 */
typedef void (*scmi_counter_fn)(void *arg, const char *name, uint64_t value);

/**
 * Report the handle's counters under the names of the Linux kernel's SCMI
 * debug counters, in the kernel's order: sent_ok, sent_fail,
 * sent_fail_polling_unsupported, sent_fail_channel_not_found, response_ok,
 * notification_ok, delayed_response_ok, xfers_response_timeout,
 * xfers_response_polled_timeout, response_polled_ok, err_msg_unexpected,
 * err_msg_invalid, err_msg_nomem, err_protocol, xfers_inflight (the
 * README says what each counts).  The names are fixed; later versions may
 * only append.  @p emit runs on the caller's thread before this returns.
 *
 * @param h the handle.
 * @param emit called once per counter.
 * @param arg passed to @p emit.
 * @return 0, or -EINVAL (NULL argument).
 */
SCMI_EXPORT int scmi_stats_foreach(const struct scmi_handle *h, scmi_counter_fn emit, void *arg);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_TRACE_H */

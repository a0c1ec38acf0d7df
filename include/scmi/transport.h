/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The transport plug-in API.  docs/TRANSPORTS.md explains how to write a
 * transport; this header is the contract.
 *
 * A transport moves SCMI messages between libscmi and a platform.  The core
 * owns xfers, tokens, timeouts and the notification queues; a transport only
 * sends commands and reports arrivals.
 *
 * Life cycle (all on the handle's loop thread unless said otherwise):
 * @verbatim
 *   open()     parse the URI, set up the channels, fill in the limits and
 *              capabilities
 *   start()    optional: the core is ready, arrivals may now be reported
 *   ...        send_message() from any caller thread; scmi_rx_callback()
 *              from the transport's receive thread (the loop thread, or one
 *              thread of the transport's own, always the same one)
 *   close()    stop reporting arrivals; close libuv handles.  Every call
 *              of the handle has returned by then: no send_message() is in
 *              progress and every mark_txdone() due has been made.
 *   release()  optional: after the loop thread has exited, free memory
   @endverbatim
 *
 * Threads and locks: while it calls a transport op the core holds none of
 * the locks its RX path takes (transfer pool, transfer, event queues; it
 * may hold a protocol's bring-up lock or a notification-enable lock around
 * send_message(), which the RX path never takes).  So an op may call
 * scmi_rx_callback(), scmi_rx_error() or scmi_chan_error() itself --
 * except fetch_response(), fetch_notification() and clear_channel(),
 * which run inside the RX handling and must not re-enter it.
 *
 * RX: for each arriving message the transport calls
 * scmi_rx_callback(chan, header, msg) where @p msg is the transport's own
 * reference to the message.  Within that call the core calls back exactly
 * one of: fetch_response() or fetch_notification() with the same @p msg to
 * copy the bytes straight into the xfer or the event queue (one copy) --
 * after which, successful or not, the message counts as consumed -- or
 * clear_channel() when it drops the message without fetching it.  After
 * scmi_rx_callback() returns the core no longer refers to @p msg.
 *
 * Responses without an RX callback: on a polling transport
 * (SCMI_TRANSPORT_POLLING) the waiting caller's thread asks poll_done()
 * and, once it says yes, calls fetch_response(priv, NULL, xfer); on a
 * transport that completes on return (SCMI_TRANSPORT_COMPLETES_ON_RETURN)
 * the caller's thread calls fetch_response(priv, NULL, xfer) right after
 * send_message() returned 0.  Either way, at most once per command and on
 * the thread that sent it.
 */
#ifndef SCMI_TRANSPORT_H
#define SCMI_TRANSPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- message header (spec §1.1) ------------------------------------ */

/** Message types (header b[9:8]). */
enum scmi_msg_type {
	SCMI_MSG_TYPE_COMMAND = 0,	/**< a command and its response */
	SCMI_MSG_TYPE_DELAYED_RESP = 2, /**< a delayed response */
	SCMI_MSG_TYPE_NOTIFICATION = 3, /**< a notification */
};

/** Number of tokens (the header's token field has 10 bits). */
#define SCMI_MAX_TOKENS 1024u

/**
 * Build a message header.
 *
 * @param msg_id message id (b[7:0]).
 * @param type enum scmi_msg_type (b[9:8]).
 * @param proto protocol id (b[17:10]).
 * @param token token (b[27:18]; only its low 10 bits are used).
 * @return the header word.
 */
static inline uint32_t scmi_hdr_pack(uint8_t msg_id, uint8_t type, uint8_t proto, uint16_t token)
{
	return (uint32_t)msg_id | ((uint32_t)(type & 0x3) << 8) | ((uint32_t)proto << 10) |
	       ((uint32_t)(token & 0x3ff) << 18);
}
/** @param hdr a message header.  @return its message id (b[7:0]). */
static inline uint8_t scmi_hdr_msg_id(uint32_t hdr)
{
	return (uint8_t)(hdr & 0xff);
}
/** @param hdr a message header.  @return its type (b[9:8], enum scmi_msg_type). */
static inline uint8_t scmi_hdr_type(uint32_t hdr)
{
	return (uint8_t)((hdr >> 8) & 0x3);
}
/** @param hdr a message header.  @return its protocol id (b[17:10]). */
static inline uint8_t scmi_hdr_protocol(uint32_t hdr)
{
	return (uint8_t)((hdr >> 10) & 0xff);
}
/** @param hdr a message header.  @return its token (b[27:18]). */
static inline uint16_t scmi_hdr_token(uint32_t hdr)
{
	return (uint16_t)((hdr >> 18) & 0x3ff);
}

/* ---- objects shared between core and transport --------------------- */

/** Core-side context of one open transport instance (opaque). */
struct scmi_chan;
/** A parsed URI (opaque); read it with the scmi_uri_*() accessors. */
struct scmi_uri;

/** The transport's view of one command in flight. */
struct scmi_transport_xfer {
	uint32_t hdr;	/**< command header, token included */
	const void *tx; /**< request payload (after the header) */
	size_t tx_len;	/**< bytes at @p tx, at most max_tx_size */
	void *rx;	/**< response data buffer (after the status) */
	size_t rx_size; /**< capacity of @p rx, at most max_rx_size */
	size_t rx_len;	/**< set by fetch_response(): data bytes */
	int32_t status; /**< set by fetch_response(): SCMI status */
	/** The response timeout in force for this command, ms: the handle's
	 *  scmi_config.timeout_ms, or the transport's default.  A transport
	 *  that must wait before it can send (a channel still owned by the
	 *  platform) waits at most this long, then fails send_message() with
	 *  -EBUSY. */
	unsigned int timeout_ms;
	/** The channel the core accounts the command to: 0, or with
	 *  SCMI_TRANSPORT_PER_PROTOCOL what channel_of() returned for the
	 *  protocol in @p hdr. */
	unsigned int chan;
	void *priv; /**< the transport's own per-xfer data (NULL at send) */
};

/*
 * Capabilities (scmi_transport_info.caps).  The core honours them: it never
 * waits for a message the transport cannot deliver.
 */
/** There is a P2A channel: notifications and delayed responses can
 *  arrive.  Without it the core refuses commands that complete with a
 *  delayed response (-EOPNOTSUPP, nothing sent; protocols fall back to the
 *  synchronous form where there is one, see docs/TRANSPORTS.md) and
 *  notifier registrations (-EOPNOTSUPP); fetch_notification() may be NULL,
 *  and a notification or delayed response reported anyway is dropped
 *  (drop_bad_type). */
#define SCMI_TRANSPORT_P2A (1u << 0)
/** Polling: responses are not reported by scmi_rx_callback(); the waiting
 *  caller asks poll_done() with a bounded back-off.  Delayed responses and
 *  notifications (P2A) are still reported by scmi_rx_callback(). */
#define SCMI_TRANSPORT_POLLING (1u << 1)
/** Completes on return (SMC/HVC, OP-TEE): when send_message() returns 0
 *  the response is already in place; the core fetches it at once on the
 *  caller's thread with fetch_response(priv, NULL, xfer) -- no RX
 *  callback, no polling, no wait.  Excludes SCMI_TRANSPORT_POLLING. */
#define SCMI_TRANSPORT_COMPLETES_ON_RETURN (1u << 2)
/** Per-protocol channels: the core asks channel_of() which channel carries
 *  a protocol's commands, tells the transport in xfer->chan, and keeps at
 *  most max_msg_per_chan commands in flight on each channel (a caller
 *  waits for room as for a free xfer). */
#define SCMI_TRANSPORT_PER_PROTOCOL (1u << 3)
/** Every capability bit this version of the API defines. */
#define SCMI_TRANSPORT_CAPS_ALL 0xfu

/** Largest number of channels with SCMI_TRANSPORT_PER_PROTOCOL (one per
 *  protocol id). */
#define SCMI_TRANSPORT_MAX_CHANNELS 256u

/**
 * Limits and capabilities of a transport instance, filled in by open()
 * (pre-set to the descriptor's defaults).  Sizes are payload bytes, without
 * the header and, for responses, without the status word.
 */
struct scmi_transport_info {
	/** Commands that may be in flight at once over all channels
	 *  (1..1024). */
	unsigned int max_msg;
	/** Commands in flight at once on one channel (0: max_msg); with
	 *  SCMI_TRANSPORT_PER_PROTOCOL, or to serialise a single channel
	 *  below max_msg. */
	unsigned int max_msg_per_chan;
	/** The default for the three sizes below when they are 0 (8..65536).
	 *  A transport with one limit for everything sets only this. */
	size_t max_msg_size;
	/** Largest request payload (after the header); 0: max_msg_size.
	 *  The core refuses a larger command with -EMSGSIZE before sending. */
	size_t max_tx_size;
	/** Largest response or delayed response data (after the status); 0:
	 *  max_msg_size.  Each xfer's @p rx holds this many bytes. */
	size_t max_rx_size;
	/** Largest notification payload (after the header); 0: max_msg_size.
	 *  fetch_notification() is never offered more room. */
	size_t max_notif_size;
	/** Default response timeout, ms (scmi_config.timeout_ms overrides). */
	unsigned int timeout_ms;
	/** SCMI_TRANSPORT_* capability bits. */
	uint32_t caps;
};

/**
 * What a transport implements.  Each op says on which thread the core calls
 * it (see the life cycle in the file's description); @p priv is what
 * open() stored in its last argument.  Ops returning int return 0 or a
 * negative errno.
 */
struct scmi_transport_ops {
	/**
	 * Parse @p uri, set up the channel, fill in @p info (pre-set to the
	 * descriptor's defaults; capabilities may change here, e.g. after a
	 * feature negotiation).  Unknown or malformed parameters: log with
	 * scmi_chan_log() and return -EINVAL.  Loop thread.
	 *
	 * @param chan the core-side channel (owned by the core), for
	 *	scmi_rx_callback(), scmi_chan_loop(), scmi_chan_log()...
	 * @param uri the parsed URI (valid during the call only).
	 * @param[in,out] info the limits and capabilities, pre-set to the
	 *	descriptor's defaults.
	 * @param[out] priv the transport's instance data, passed to every other
	 *	op.
	 * @return 0, -EINVAL (a bad or unknown parameter, logged), or another
	 *	negative errno (the channel could not be set up).
	 */
	int (*open)(struct scmi_chan *chan, const struct scmi_uri *uri,
		    struct scmi_transport_info *info, void **priv);
	/**
	 * Optional: begin reporting arrivals.  Loop thread.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @return 0, or a negative errno (scmi_open() then fails with it).
	 */
	int (*start)(void *priv);
	/**
	 * Stop reporting arrivals; after this returns scmi_rx_callback()
	 * is never called again for this instance.  Loop thread.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 */
	void (*close)(void *priv);
	/**
	 * Optional: free what close() could not (after the loop ended).
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 */
	void (*release)(void *priv);
	/**
	 * Send one command.  Any caller thread; concurrent calls possible (up
	 * to max_msg, and max_msg_per_chan per channel); the transport
	 * serialises what it must, waiting at most xfer->timeout_ms for a
	 * busy channel.  Returns 0 when the command is on its way (with
	 * SCMI_TRANSPORT_COMPLETES_ON_RETURN: answered), or a negative errno
	 * that the API caller receives unchanged (e.g. -EBUSY: the channel
	 * stayed busy; -EIO / -ECOMM: the carrier failed).  A failed send
	 * must leave the channel as it found it: no mark_txdone() follows.
	 * The reply may be reported (scmi_rx_callback()) before this returns.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param xfer the command (the core owns it).
	 * @return 0, or a negative errno (above).
	 */
	int (*send_message)(void *priv, struct scmi_transport_xfer *xfer);
	/**
	 * Optional: the core is done with the response phase of a command
	 * that send_message() accepted.  Called exactly once per successful
	 * send_message(), on the thread that sent it, after the response was
	 * fetched or given up on, before the API call returns.  @p ret:
	 *   0           the response was fetched (xfer->status holds its SCMI
	 *               status, whatever it is);
	 *   -ETIMEDOUT  no response within xfer->timeout_ms; it may still come
	 *               (it is then reported, and the core clears it);
	 *   -ESHUTDOWN  the handle is closing; as for a timeout;
	 *   other < 0   the response arrived but fetching it failed
	 *               (fetch_response()'s errno, scmi_rx_error()'s errno).
	 * For a command with a delayed response this ends the response phase
	 * only: the delayed response arrives on P2A later, independently.
	 * A transport whose channel is owned until the response is read (a
	 * shared-memory A2P area) returns it here.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param xfer the command (the core owns it).
	 * @param ret how the response phase ended (above).
	 */
	void (*mark_txdone)(void *priv, struct scmi_transport_xfer *xfer, int ret);
	/**
	 * Copy the response (or delayed response) into @p xfer: status to
	 * xfer->status, data to xfer->rx, length to xfer->rx_len.  @p msg is
	 * the message passed to scmi_rx_callback() (RX thread), or NULL on a
	 * polling or completes-on-return transport (the caller's thread, after
	 * poll_done() said yes or send_message() returned 0).  No RX-path lock is
	 * held; fetches for different xfers may run concurrently.  Returns 0,
	 * -EPROTO if the message has no status word, -EMSGSIZE if the data
	 * exceed xfer->rx_size (the caller sees -EPROTO for both), or any other
	 * negative errno for a channel error (e.g. -ECOMM: the platform
	 * flagged a transport error): the caller then receives that errno and
	 * no SCMI status.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param msg the message from scmi_rx_callback(), or NULL (polling,
	 *	completes-on-return).
	 * @param xfer the command whose response it is: status, data and length
	 *	are stored.
	 * @return 0, -EPROTO, -EMSGSIZE, or a channel errno (above).
	 */
	int (*fetch_response)(void *priv, void *msg, struct scmi_transport_xfer *xfer);
	/**
	 * Copy the payload of notification @p msg into @p buf (capacity @p size,
	 * at most max_notif_size); its length to *@p len.  -EMSGSIZE if it
	 * does not fit.  RX thread.  Optional without SCMI_TRANSPORT_P2A.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param msg the message from scmi_rx_callback().
	 * @param[out] buf receives the payload.
	 * @param size capacity of @p buf.
	 * @param[out] len the payload's length.
	 * @return 0 or -EMSGSIZE (or another negative errno: the notification is
	 *	dropped).
	 */
	int (*fetch_notification)(void *priv, void *msg, void *buf, size_t size, size_t *len);
	/**
	 * Optional: release @p msg without fetching it (dropped message: no
	 * such command, late, duplicate, unexpected type).  RX thread.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param msg the message from scmi_rx_callback().
	 */
	void (*clear_channel)(void *priv, void *msg);
	/**
	 * SCMI_TRANSPORT_POLLING: has the response to @p xfer arrived (or has
	 * the channel failed: then fetch_response() returns the errno)?
	 * The caller's thread; may be called many times.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param xfer the command (the core owns it).
	 * @return true when the response (or a channel failure) is there.
	 */
	bool (*poll_done)(void *priv, struct scmi_transport_xfer *xfer);
	/**
	 * SCMI_TRANSPORT_PER_PROTOCOL: the channel carrying the commands of
	 * @p protocol_id, below SCMI_TRANSPORT_MAX_CHANNELS.  Any thread;
	 * must always give the same answer for a protocol.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param protocol_id the protocol.
	 * @return the channel, below SCMI_TRANSPORT_MAX_CHANNELS.
	 */
	unsigned int (*channel_of)(void *priv, uint8_t protocol_id);
	/**
	 * Optional: map @p size bytes of platform memory at physical address
	 * @p addr (fastchannels, doorbells, statistics areas) for direct
	 * access; NULL when the transport cannot, and protocols then use
	 * messages.  Any thread.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param addr physical address of the platform memory.
	 * @param size bytes wanted.
	 * @return a pointer the core uses until unmap_memory(), or NULL.
	 */
	void *(*map_memory)(void *priv, uint64_t addr, size_t size);
	/**
	 * Optional: undo map_memory() (protocol teardown, at close).
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param ptr what map_memory() returned.
	 * @param size the size given to map_memory().
	 */
	void (*unmap_memory)(void *priv, void *ptr, size_t size);
	/**
	 * Optional: report what the transport found and set up, as
	 * (section, key, value) facts through @p emit (scmi_describe_fn,
	 * handle.h; scmi_describef() formats one), in a stable order, for
	 * scmi_describe() and scmi_probe().  Sections are the transport's
	 * own ("pci", "region 0", "area a2p"...; not "transport" nor
	 * "limits", which the core emits).  Returns 0, or after a probe-only
	 * open (scmi_chan_probing()) that found a device it cannot drive, a
	 * negative errno (-ENODEV), the reason logged with scmi_chan_log() at
	 * SCMI_LOG_ERR.  Loop thread, between open() and close(); start() may
	 * not have been called.
	 *
	 * @param priv the transport's instance data (what open() stored in
	 *	*priv).
	 * @param emit called once per fact (section, key, value).
	 * @param arg passed to @p emit.
	 * @return 0, or a negative errno after a probe-only open that found a
	 *	device the transport cannot drive.
	 */
	int (*describe)(void *priv, scmi_describe_fn emit, void *arg);
};

/** A transport, registered under its URI scheme. */
struct scmi_transport_desc {
	const char *scheme;		      /**< e.g. "loopback" (no "://") */
	const struct scmi_transport_ops *ops; /**< its operations */
	/** Limits and capabilities that open() finds pre-set in its info. */
	struct scmi_transport_info defaults;
};

/**
 * Register a transport so that scmi_open() accepts "scheme://".
 * Thread-safe; any thread.
 *
 * @param desc the transport; not copied: it must stay valid until
 *	unregistered (typically a static const object).
 * @return 0, -EEXIST if the scheme is taken, -EINVAL for an incomplete
 *	descriptor: no scheme, no open, close,
 * send_message or fetch_response; SCMI_TRANSPORT_P2A without
 * fetch_notification; SCMI_TRANSPORT_POLLING without poll_done, or with
 * SCMI_TRANSPORT_COMPLETES_ON_RETURN; SCMI_TRANSPORT_PER_PROTOCOL without
 * channel_of; unknown caps bits; max_msg outside 1..1024; max_msg_per_chan
 * above max_msg; max_msg_size outside 8..65536; a size limit (when not 0)
 * outside 8..65536; timeout_ms 0.  The limits open() reports are checked
 * the same way (scmi_open() fails with -EINVAL).
 */
SCMI_EXPORT int scmi_transport_register(const struct scmi_transport_desc *desc);
/**
 * Remove a transport registered at run time.  Handles already open keep
 * working.  Thread-safe; any thread.
 *
 * @param scheme its scheme (no "://").
 * @return 0, or -ENOENT if not registered.
 */
SCMI_EXPORT int scmi_transport_unregister(const char *scheme);

/**
 * The private data (open()'s *priv) of the transport instance behind @p h
 * if @p h was opened with the transport @p desc, else NULL: for a
 * transport's own accessors (e.g. scmi_loopback_sim()).  Valid until
 * scmi_close().  Any thread.
 *
 * @param h a handle.
 * @param desc the transport the caller implements.
 * @return its private data, or NULL.
 */
SCMI_EXPORT void *scmi_handle_transport_priv(const struct scmi_handle *h,
					     const struct scmi_transport_desc *desc);

/**
 * Report one arriving message.  See the RX rules in the file's
 * description.  From start() on until close() returns; a transport without
 * start() may report nothing but the replies to commands it was sent.
 * Called on the transport's receive thread.
 *
 * @param chan the channel open() received.
 * @param msg_hdr the message's header word.
 * @param msg the transport's own reference to the message, handed back to
 *	fetch_response(), fetch_notification() or clear_channel() before
 *	this returns; not kept after.
 */
SCMI_EXPORT void scmi_rx_callback(struct scmi_chan *chan, uint32_t msg_hdr, void *msg);
/**
 * Fail the command in flight whose header is @p msg_hdr (token, protocol and
 * message id must match; type 0 fails its response phase, type 2 its
 * delayed response) with the negative errno @p err, when the transport sees
 * a channel error and has no message to fetch.  The API caller receives
 * @p err and no SCMI status; mark_txdone() then gets @p err.  No such command
 * (already answered, timed out): nothing happens.  Any thread, within
 * the same window as scmi_rx_callback().
 *
 * @param chan the channel open() received.
 * @param msg_hdr header of the command (and phase) to fail.
 * @param err a negative errno.
 */
SCMI_EXPORT void scmi_rx_error(struct scmi_chan *chan, uint32_t msg_hdr, int err);
/**
 * Fail every command in flight on channel @p channel (0 without
 * SCMI_TRANSPORT_PER_PROTOCOL) with the negative errno @p err: their
 * response phase or, for those that have their response, their delayed
 * response.  For a channel that broke; the transport fails the next
 * send_message() itself as long as it stays broken.  Any thread, when
 * scmi_rx_error() may be called.
 *
 * @param chan the channel open() received.
 * @param channel the broken channel.
 * @param err a negative errno.
 */
SCMI_EXPORT void scmi_chan_error(struct scmi_chan *chan, unsigned int channel, int err);

/**
 * The handle's libuv loop, for the transport's fds and timers.  Touch it
 * only on the loop thread (open/start/close run there).
 *
 * @param chan the channel open() received.
 * @return the loop, owned by the handle (valid until close() returned).
 */
SCMI_EXPORT uv_loop_t *scmi_chan_loop(struct scmi_chan *chan);
/**
 * Is this a probe-only open (scmi_probe())?  Then open() should go as far
 * as it can: a device it reached but cannot drive (wrong ids, missing
 * feature) is kept open instead of failing, with what was found, so that
 * describe() reports it and returns the error.  No start(), no command is
 * sent; close() and release() follow describe().  Any thread.
 *
 * @param chan the channel open() received.
 * @return true for a probe-only open.
 */
SCMI_EXPORT bool scmi_chan_probing(struct scmi_chan *chan);
/**
 * Emit one fact with a printf-formatted value (for describe()).
 *
 * @param emit the describe() callback.
 * @param arg its argument.
 * @param section the fact's section.
 * @param key the fact's key.
 * @param fmt printf format of the value, followed by its arguments.
 */
SCMI_EXPORT void scmi_describef(scmi_describe_fn emit, void *arg, const char *section,
				const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/**
 * Log one line through the handle's log sink.  Any thread.
 *
 * @param chan the channel open() received.
 * @param level the line's level.
 * @param fmt printf format (no trailing newline), followed by its
 *	arguments.
 */
SCMI_EXPORT void scmi_chan_log(struct scmi_chan *chan, enum scmi_log_level level, const char *fmt,
			       ...) __attribute__((format(printf, 3, 4)));

/* ---- URI accessors -------------------------------------------------- */

/**
 * @param uri the parsed URI (valid during open()).
 * @return its scheme, e.g. "loopback"; owned by @p uri.
 */
SCMI_EXPORT const char *scmi_uri_scheme(const struct scmi_uri *uri);
/**
 * @param uri the parsed URI.
 * @return what follows "scheme://" up to '?' (percent-decoded; may be "");
 *	owned by @p uri.
 */
SCMI_EXPORT const char *scmi_uri_path(const struct scmi_uri *uri);
/**
 * @param uri the parsed URI.
 * @return the number of "key=value" parameters.
 */
SCMI_EXPORT size_t scmi_uri_num_params(const struct scmi_uri *uri);
/**
 * Parameter @p i (0-based): key and value (percent-decoded).
 *
 * @param uri the parsed URI.
 * @param i the parameter's index.
 * @param[out] key its key, owned by @p uri.
 * @param[out] value its value, owned by @p uri.
 * @return 0, or -ENOENT when there is no parameter @p i.
 */
SCMI_EXPORT int scmi_uri_param_at(const struct scmi_uri *uri, size_t i, const char **key,
				  const char **value);
/**
 * @param uri the parsed URI.
 * @param key a parameter name.
 * @return its value (percent-decoded, owned by @p uri), or NULL when
 *	absent.
 */
SCMI_EXPORT const char *scmi_uri_param(const struct scmi_uri *uri, const char *key);
/**
 * Parse parameter @p key as an unsigned integer (decimal, 0x hex or 0
 * octal) within [@p min, @p max].
 *
 * @param uri the parsed URI.
 * @param key a parameter name.
 * @param min smallest value accepted.
 * @param max largest value accepted.
 * @param[out] val the value, when present.
 * @return 1 and sets *@p val when present, 0 when absent (*@p val
 *	untouched), -EINVAL when malformed or out of range.
 */
SCMI_EXPORT int scmi_uri_param_u64(const struct scmi_uri *uri, const char *key, uint64_t min,
				   uint64_t max, uint64_t *val);

/* ---- helpers for message-passing transports (whole SDUs) ------------ */

/**
 * Build the SDU of a command (header + payload).
 *
 * @param xfer the command.
 * @param[out] buf where to write it.
 * @param size capacity of @p buf in bytes.
 * @return its length, or -EMSGSIZE.
 */
SCMI_EXPORT int scmi_msg_pack_command(const struct scmi_transport_xfer *xfer, void *buf,
				      size_t size);
/**
 * fetch_response() for a whole SDU (header, status, data).
 *
 * @param msg the SDU.
 * @param len its length in bytes.
 * @param xfer the command it answers: status, data and length are stored.
 * @return as scmi_transport_ops.fetch_response.
 */
SCMI_EXPORT int scmi_msg_fetch_response(const void *msg, size_t len,
					struct scmi_transport_xfer *xfer);
/**
 * fetch_notification() for a whole SDU (header, payload).
 *
 * @param msg the SDU.
 * @param len its length in bytes.
 * @param[out] buf receives the payload.
 * @param size capacity of @p buf.
 * @param[out] out_len the payload's length.
 * @return 0, or -EMSGSIZE (or -EPROTO for an SDU shorter than a header).
 */
SCMI_EXPORT int scmi_msg_fetch_notification(const void *msg, size_t len, void *buf, size_t size,
					    size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_TRANSPORT_H */

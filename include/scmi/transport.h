/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transport plug-in API.
 *
 * A transport moves SCMI messages between libscmi and a platform.  The core
 * owns xfers, tokens, timeouts and the notification queues; a transport only
 * sends commands and reports arrivals by calling scmi_rx_callback().
 *
 * Life cycle (all on the handle's loop thread unless said otherwise):
 *   open()     parse the URI, set up the channel, fill in the limits
 *   start()    optional: the core is ready, arrivals may now be reported
 *   ...        send_message() from any caller thread; scmi_rx_callback()
 *              from the transport's receive thread (the loop thread, or one
 *              thread of the transport's own, always the same one)
 *   close()    stop reporting arrivals; close libuv handles
 *   release()  optional: after the loop thread has exited, free memory
 *
 * RX: for each arriving message the transport calls
 * scmi_rx_callback(chan, header, msg) where @msg is the transport's own
 * reference to the message.  Within that call the core calls back exactly
 * one of: fetch_response() or fetch_notification() with the same @msg to
 * copy the bytes straight into the xfer or the event queue (one copy) --
 * after which, successful or not, the message counts as consumed -- or
 * clear_channel() when it drops the message without fetching it.  After
 * scmi_rx_callback() returns the core no longer refers to @msg.
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

enum scmi_msg_type {
	SCMI_MSG_TYPE_COMMAND = 0,
	SCMI_MSG_TYPE_DELAYED_RESP = 2,
	SCMI_MSG_TYPE_NOTIFICATION = 3,
};

#define SCMI_MAX_TOKENS 1024u

static inline uint32_t scmi_hdr_pack(uint8_t msg_id, uint8_t type, uint8_t proto, uint16_t token)
{
	return (uint32_t)msg_id | ((uint32_t)(type & 0x3) << 8) | ((uint32_t)proto << 10) |
	       ((uint32_t)(token & 0x3ff) << 18);
}
static inline uint8_t scmi_hdr_msg_id(uint32_t hdr)
{
	return (uint8_t)(hdr & 0xff);
}
static inline uint8_t scmi_hdr_type(uint32_t hdr)
{
	return (uint8_t)((hdr >> 8) & 0x3);
}
static inline uint8_t scmi_hdr_protocol(uint32_t hdr)
{
	return (uint8_t)((hdr >> 10) & 0xff);
}
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
	size_t tx_len;	/**< bytes at @tx */
	void *rx;	/**< response data buffer (after the status) */
	size_t rx_size; /**< capacity of @rx */
	size_t rx_len;	/**< set by fetch_response(): data bytes */
	int32_t status; /**< set by fetch_response(): SCMI status */
	void *priv;	/**< the transport's own per-xfer data */
};

/** Limits of a transport instance, filled in by open(). */
struct scmi_transport_info {
	/** Commands that may be in flight at once (1..1024). */
	unsigned int max_msg;
	/** Largest payload in bytes of a request, of a response after its
	 *  status word, and of a notification. */
	size_t max_msg_size;
	/** Default response timeout, ms. */
	unsigned int timeout_ms;
	/** True when there is no receive wake-up for responses: callers
	 *  poll poll_done() instead of sleeping. */
	bool polling;
};

struct scmi_transport_ops {
	/** Parse @uri, set up the channel, fill in @info (pre-set to the
	 *  descriptor's defaults).  Unknown or malformed parameters: log
	 *  with scmi_chan_log() and return -EINVAL.  Loop thread. */
	int (*open)(struct scmi_chan *chan, const struct scmi_uri *uri,
		    struct scmi_transport_info *info, void **priv);
	/** Optional: begin reporting arrivals.  Loop thread. */
	int (*start)(void *priv);
	/** Stop reporting arrivals; after this returns scmi_rx_callback()
	 *  is never called again for this instance.  Loop thread. */
	void (*close)(void *priv);
	/** Optional: free what close() could not (after the loop ended). */
	void (*release)(void *priv);
	/** Send one command.  Any thread; concurrent calls possible (up to
	 *  max_msg); the transport serialises what it must.  0 or errno. */
	int (*send_message)(void *priv, struct scmi_transport_xfer *xfer);
	/** Optional: the core is done with a command (response fetched,
	 *  timed out, or send failed with @ret). */
	void (*mark_txdone)(void *priv, struct scmi_transport_xfer *xfer, int ret);
	/** Copy the response (or delayed response) @msg into @xfer: status
	 *  to xfer->status, data to xfer->rx, length to xfer->rx_len.
	 *  @msg is NULL when called after poll_done().  Return -EPROTO if
	 *  the message has no status word, -EMSGSIZE if the data exceed
	 *  xfer->rx_size. */
	int (*fetch_response)(void *priv, void *msg, struct scmi_transport_xfer *xfer);
	/** Copy the payload of notification @msg into @buf (capacity @size);
	 *  its length to *@len.  -EMSGSIZE if it does not fit. */
	int (*fetch_notification)(void *priv, void *msg, void *buf, size_t size, size_t *len);
	/** Optional: release @msg without fetching it (dropped message). */
	void (*clear_channel)(void *priv, void *msg);
	/** Polling transports: has the response to @xfer arrived? */
	bool (*poll_done)(void *priv, struct scmi_transport_xfer *xfer);
	/** Optional: map @size bytes of platform memory at physical address
	 *  @addr (fastchannels, doorbells, statistics areas) for direct
	 *  access; NULL when the transport cannot, and protocols then use
	 *  messages.  Any thread. */
	void *(*map_memory)(void *priv, uint64_t addr, size_t size);
	/** Optional: undo map_memory() (protocol teardown, at close). */
	void (*unmap_memory)(void *priv, void *ptr, size_t size);
};

/** A transport, registered under its URI scheme. */
struct scmi_transport_desc {
	const char *scheme; /**< e.g. "loopback" (no "://") */
	const struct scmi_transport_ops *ops;
	struct scmi_transport_info defaults;
};

/**
 * Register a transport so that scmi_open() accepts "scheme://".  @desc must
 * stay valid until unregistered.  Thread-safe.  -EEXIST if the scheme is
 * taken, -EINVAL for an incomplete descriptor (no scheme, no open, close,
 * send_message, fetch_response or fetch_notification; polling without
 * poll_done; max_msg outside 1..1024; max_msg_size < 8).
 */
SCMI_EXPORT int scmi_transport_register(const struct scmi_transport_desc *desc);
/** Remove a transport registered at run time.  Handles already open keep
 *  working.  -ENOENT if not registered. */
SCMI_EXPORT int scmi_transport_unregister(const char *scheme);

/** Report one arriving message.  See the RX comment at the top. */
SCMI_EXPORT void scmi_rx_callback(struct scmi_chan *chan, uint32_t msg_hdr, void *msg);

/** The handle's libuv loop, for the transport's fds and timers.  Touch it
 *  only on the loop thread (open/start/close run there). */
SCMI_EXPORT uv_loop_t *scmi_chan_loop(struct scmi_chan *chan);
/** Log through the handle's log sink. */
SCMI_EXPORT void scmi_chan_log(struct scmi_chan *chan, enum scmi_log_level level, const char *fmt,
			       ...) __attribute__((format(printf, 3, 4)));

/* ---- URI accessors -------------------------------------------------- */

/** Scheme, e.g. "loopback". */
SCMI_EXPORT const char *scmi_uri_scheme(const struct scmi_uri *uri);
/** What follows "scheme://" up to '?' (percent-decoded; may be ""). */
SCMI_EXPORT const char *scmi_uri_path(const struct scmi_uri *uri);
/** Number of "key=value" parameters. */
SCMI_EXPORT size_t scmi_uri_num_params(const struct scmi_uri *uri);
/** Parameter @i (0-based): key and value (percent-decoded). -ENOENT. */
SCMI_EXPORT int scmi_uri_param_at(const struct scmi_uri *uri, size_t i, const char **key,
				  const char **value);
/** Value of parameter @key, or NULL when absent. */
SCMI_EXPORT const char *scmi_uri_param(const struct scmi_uri *uri, const char *key);
/**
 * Parse parameter @key as an unsigned integer (decimal, 0x hex or 0
 * octal) within [@min, @max].  Returns 1 and sets *@val when present,
 * 0 when absent (*@val untouched), -EINVAL when malformed or out of range.
 */
SCMI_EXPORT int scmi_uri_param_u64(const struct scmi_uri *uri, const char *key, uint64_t min,
				   uint64_t max, uint64_t *val);

/* ---- helpers for message-passing transports (whole SDUs) ------------ */

/** Build the SDU of a command (header + payload) into @buf of @size bytes.
 *  Returns its length, or -EMSGSIZE. */
SCMI_EXPORT int scmi_msg_pack_command(const struct scmi_transport_xfer *xfer, void *buf,
				      size_t size);
/** fetch_response() for an SDU of @len bytes at @msg (header, status, data). */
SCMI_EXPORT int scmi_msg_fetch_response(const void *msg, size_t len,
					struct scmi_transport_xfer *xfer);
/** fetch_notification() for an SDU of @len bytes at @msg (header, payload). */
SCMI_EXPORT int scmi_msg_fetch_notification(const void *msg, size_t len, void *buf, size_t size,
					    size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_TRANSPORT_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Vendor protocols: implement an SCMI protocol in the vendor range
 * (0x80..0xFF) outside libscmi, with the helpers the standard protocols
 * are written with.
 *
 * A program or plug-in describes its implementation in a struct
 * scmi_vendor_protocol -- protocol id, the platforms it is for (vendor,
 * sub-vendor, implementation-version range, as the Base protocol reports
 * them), its ops table, init() and deinit() -- and registers it with
 * scmi_vendor_protocol_register().  Registration is global: every handle
 * opened afterwards whose platform lists that protocol and matches the
 * identity binds it at scmi_open(), and scmi_vendor_ops() then returns the
 * ops table on that handle.  The protocol comes up (PROTOCOL_VERSION,
 * version negotiation, init()) on first use, exactly once per handle,
 * like a standard one.
 *
 * @code
 *	static const struct scmi_vendor_protocol fan_protocol = {
 *		.id = 0x90,
 *		.name = "fan",
 *		.vendor = "Acme",		// NULL: any vendor
 *		.impl_ver_min = 0x10000,
 *		.impl_ver_max = 0x1ffff,
 *		.supported_version = SCMI_PROTO_VERSION(1, 0),
 *		.ops = &fan_ops,
 *		.init = fan_init,
 *		.deinit = fan_deinit,
 *	};
 *
 *	scmi_vendor_protocol_register(&fan_protocol);
 *	scmi_open(uri, NULL, &h);
 *	const struct fan_ops *fan = scmi_vendor_ops(h, 0x90);
 *	if (fan)
 *		fan->speed_set(h, 0, 1200);
 * @endcode
 *
 * **Ops.**  Each op takes the handle first, and starts with scmi_ph_enter()
 * (or scmi_ph_domain_enter()) and ends with scmi_ph_leave(): that counts
 * the call for scmi_close() (a call in progress keeps the handle alive;
 * -ESHUTDOWN once it is closing), brings the protocol up, and hands the op
 * a request armed by SCMI_ASYNC() (scmi/request.h), so that every op of a
 * vendor protocol can be called blocking or non-blocking like the
 * standard ones.  Between the two, an op validates its arguments and
 * describes its message with the request model below.
 *
 * **The request model.**  An op that sends a message is written once:
 * SCMI_PH_REQ() gives it the caller's request (under SCMI_ASYNC()) or a
 * local one (blocking); it keeps what its decode callback needs in the
 * request's context (scmi_ph_req_ctx(): output pointers, ids -- never
 * pointers to its own stack) and returns what scmi_ph_req_run() returns.
 * decode runs exactly once per message, on the caller's thread (blocking)
 * or libscmi's request thread (non-blocking), with the transfer's result
 * and the reply.  docs/VENDOR.md walks through a whole protocol
 * (examples/vendor/).
 *
 * **Bring-up.**  init() runs once per handle, blocking, before the first
 * op: discover the protocol with the blocking helpers (scmi_ph_cmd(),
 * scmi_ph_attributes(), scmi_ph_iter_run(), scmi_ph_ext_name_get() ...),
 * keep the result with scmi_ph_set_priv(), register events with
 * scmi_ph_events_register().  What init() caches is read-only afterwards.
 *
 * Replies are untrusted: decode and the walk callbacks read nothing past
 * the length they are given, check every id and count, and return -EPROTO
 * for a malformed reply.
 */
#ifndef SCMI_PROTOCOL_H
#define SCMI_PROTOCOL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/request.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A protocol brought up on one handle (opaque): what init(), deinit(),
 * the event callbacks and the request model's functions take.  Valid from
 * init() until deinit() returns, i.e. until scmi_close().
 */
struct scmi_protocol_handle;

/** First protocol id of the vendor range. */
#define SCMI_PROTOCOL_VENDOR_FIRST 0x80
/** Last protocol id of the vendor range. */
#define SCMI_PROTOCOL_VENDOR_LAST 0xFF

/* ---- registration ----------------------------------------------------------- */

/**
 * A vendor protocol implementation.  Registered with
 * scmi_vendor_protocol_register(); it must stay valid (with its ops table
 * and code) until scmi_vendor_protocol_unregister() succeeded.
 */
struct scmi_vendor_protocol {
	/** Protocol id, SCMI_PROTOCOL_VENDOR_FIRST..SCMI_PROTOCOL_VENDOR_LAST. */
	uint8_t id;
	/** Short name, for log lines ("fan"). */
	const char *name;
	/** Vendor the implementation is for, as Base DISCOVER_VENDOR reports
	 *  it (compared without regard to case), or NULL for any. */
	const char *vendor;
	/** Sub-vendor (DISCOVER_SUB_VENDOR), or NULL for any. */
	const char *sub_vendor;
	/** Lowest implementation version (DISCOVER_IMPLEMENTATION_VERSION)
	 *  matched. */
	uint32_t impl_ver_min;
	/** Highest implementation version matched (0 with impl_ver_min 0:
	 *  any, i.e. UINT32_MAX). */
	uint32_t impl_ver_max;
	/** Newest protocol version this implementation speaks
	 *  (SCMI_PROTO_VERSION()).  A newer platform is asked to speak it
	 *  (NEGOTIATE_PROTOCOL_VERSION) when it can. */
	uint32_t supported_version;
	/** The ops table scmi_vendor_ops() returns (the implementation's own
	 *  struct; must not be NULL). */
	const void *ops;
	/**
	 * Bring the protocol up on one handle: discover it (blocking helpers
	 * only), keep its state with scmi_ph_set_priv(), register its events.
	 * Runs once per handle, on the thread of the first call, with the
	 * version settled (scmi_ph_version()).  NULL: nothing to do.
	 *
	 * @param ph the protocol on that handle.
	 * @return 0, or a negative errno: the call that brought it up fails
	 *	with it and the next call tries again.
	 */
	int (*init)(struct scmi_protocol_handle *ph);
	/**
	 * Free what init() allocated.  Runs at scmi_close(), after every
	 * call and callback of the handle ended; may not send commands.
	 * Only if init() succeeded.  NULL: nothing to free.
	 *
	 * @param ph the protocol on that handle.
	 */
	void (*deinit)(struct scmi_protocol_handle *ph);
};

/**
 * Register a vendor protocol implementation for the handles opened from
 * now on.  Several may be registered for one id (for different
 * platforms): scmi_open() binds, for each vendor protocol the platform
 * lists, the first registered one whose vendor, sub-vendor and
 * implementation-version range match what Base reported.  Handles open
 * already are not affected.  Thread-safe.
 *
 * @param p the implementation; it must stay valid until unregistered.
 * @return 0; -EINVAL (NULL, an id outside the vendor range, no ops, no
 *	supported_version, an empty implementation-version range); -EEXIST (@p p is registered
 *already); -ENOMEM.
 */
SCMI_EXPORT int scmi_vendor_protocol_register(const struct scmi_vendor_protocol *p);

/**
 * Unregister an implementation: handles opened from now on no longer bind
 * it.  Refused while a handle that bound it is open (its code is in use
 * until scmi_close()).  Thread-safe.
 *
 * @param p an implementation registered with scmi_vendor_protocol_register().
 * @return 0; -EBUSY (an open handle bound it: close it first); -ENOENT (not
 *	registered); -EINVAL (NULL).
 */
SCMI_EXPORT int scmi_vendor_protocol_unregister(const struct scmi_vendor_protocol *p);

/**
 * The ops table of vendor protocol @p id on a handle: the ops of the
 * implementation bound at scmi_open() (the platform lists @p id and its
 * identity matched).  The protocol comes up on its first op.  The pointer
 * is valid until scmi_close(); h->version->protocols[] says "supported"
 * for a bound vendor protocol.  Thread-safe.
 *
 * @param h the handle.
 * @param id the protocol id.
 * @return the implementation's ops table, or NULL (no handle, no such
 *	protocol on the platform, or no implementation matched).
 */
SCMI_EXPORT const void *scmi_vendor_ops(const struct scmi_handle *h, uint8_t id);

/**
 * The implementation bound for vendor protocol @p id on a handle.
 *
 * @param h the handle.
 * @param id the protocol id.
 * @return the registered descriptor, or NULL (see scmi_vendor_ops()).
 */
SCMI_EXPORT const struct scmi_vendor_protocol *scmi_vendor_protocol_get(const struct scmi_handle *h,
									uint8_t id);

/* ---- entering an op ------------------------------------------------------------ */

/** The state of one op call between scmi_ph_enter() and scmi_ph_leave()
 *  (libscmi's; keep it on the op's stack). */
struct scmi_ph_call {
	/** libscmi's: do not touch. */
	void *priv_[4];
};

/**
 * Start an op of vendor protocol @p id: count the call on the handle (so
 * that scmi_close() waits for it), take the request armed by SCMI_ASYNC()
 * if any, and bring the protocol up if needed.  On success the op must
 * end with scmi_ph_leave(@p call); on failure it returns the errno as is.
 *
 * @param h the handle the op was called with.
 * @param id the protocol id (a vendor protocol bound on @p h).
 * @param call the call's state, on the op's stack.
 * @param[out] ph the protocol on that handle.
 * @return 0; -EINVAL (NULL argument, an id outside the vendor range);
 *	-ESHUTDOWN (the handle closes); -EOPNOTSUPP (the platform does not
 *	list @p id, or no implementation is bound); -EBUSY (the request armed
 *	by SCMI_ASYNC() is still in use); or the error of the bring-up.
 */
SCMI_EXPORT int scmi_ph_enter(const struct scmi_handle *h, uint8_t id, struct scmi_ph_call *call,
			      struct scmi_protocol_handle **ph);

/**
 * scmi_ph_enter() and scmi_ph_domain_get() in one: start an op on domain
 * @p dom_id of vendor protocol @p id.
 *
 * @param h the handle.
 * @param id the protocol id.
 * @param dom_id the domain the op names.
 * @param usable also refuse (-EPROTO) a domain the protocol marked unusable.
 * @param call the call's state, on the op's stack.
 * @param[out] ph the protocol on that handle.
 * @param[out] dom the domain's descriptor in the protocol's table.
 * @return 0 (end the op with scmi_ph_leave()), or an errno of
 *	scmi_ph_enter() or scmi_ph_domain_get() (the call is left already).
 */
SCMI_EXPORT int scmi_ph_domain_enter(const struct scmi_handle *h, uint8_t id, uint32_t dom_id,
				     bool usable, struct scmi_ph_call *call,
				     struct scmi_protocol_handle **ph, const void **dom);

/**
 * End an op started with scmi_ph_enter() (after its last use of the
 * protocol handle).
 *
 * @param call the call's state given to scmi_ph_enter().
 */
SCMI_EXPORT void scmi_ph_leave(struct scmi_ph_call *call);

/* ---- the protocol handle ------------------------------------------------------- */

/**
 * The public handle a protocol is up on.
 *
 * @param ph the protocol handle.
 * @return the handle.
 */
SCMI_EXPORT const struct scmi_handle *scmi_ph_handle(const struct scmi_protocol_handle *ph);
/**
 * The protocol's id.
 *
 * @param ph the protocol handle.
 * @return its id.
 */
SCMI_EXPORT uint8_t scmi_ph_id(const struct scmi_protocol_handle *ph);
/**
 * The version in use: min(platform's, supported_version).  Branch on it
 * for version-dependent layouts.
 *
 * @param ph the protocol handle.
 * @return the version word (SCMI_PROTO_VERSION_MAJOR() ...).
 */
SCMI_EXPORT uint32_t scmi_ph_version(const struct scmi_protocol_handle *ph);
/**
 * The version PROTOCOL_VERSION reported.
 *
 * @param ph the protocol handle.
 * @return the version word.
 */
SCMI_EXPORT uint32_t scmi_ph_platform_version(const struct scmi_protocol_handle *ph);
/**
 * The protocol's own state, as init() set it.
 *
 * @param ph the protocol handle.
 * @return the pointer given to scmi_ph_set_priv() (NULL before).
 */
SCMI_EXPORT void *scmi_ph_priv(const struct scmi_protocol_handle *ph);
/**
 * Keep the protocol's own state (from init(); freed by deinit()).
 *
 * @param ph the protocol handle.
 * @param priv the state.
 */
SCMI_EXPORT void scmi_ph_set_priv(struct scmi_protocol_handle *ph, void *priv);
/**
 * Can delayed responses and notifications arrive (does the transport have
 * a P2A channel)?  Without one a message flagged SCMI_PH_MSG_DRESP fails
 * with -EOPNOTSUPP: use the synchronous form of the command.
 *
 * @param ph the protocol handle.
 * @return true if they can.
 */
SCMI_EXPORT bool scmi_ph_has_p2a(const struct scmi_protocol_handle *ph);
/**
 * The largest request payload the transport carries (split longer
 * requests).
 *
 * @param ph the protocol handle.
 * @return bytes.
 */
SCMI_EXPORT size_t scmi_ph_max_tx_size(const struct scmi_protocol_handle *ph);
/**
 * Log a line through the handle's log sink (scmi_config.log_fn), prefixed
 * with nothing: name the protocol yourself.
 *
 * @param ph the protocol handle.
 * @param level the line's level.
 * @param fmt printf format, then its arguments.
 */
SCMI_EXPORT void scmi_ph_log(const struct scmi_protocol_handle *ph, enum scmi_log_level level,
			     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/**
 * An op refuses its arguments: keep @p fmt as the calling thread's
 * scmi_last_error_msg() and log it at debug level.  Call it on the op's
 * thread, right before returning the errno.
 *
 * @param ph the protocol handle.
 * @param fmt printf format, then its arguments.
 */
SCMI_EXPORT void scmi_ph_refuse(const struct scmi_protocol_handle *ph, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- domains --------------------------------------------------------------------- */

/** Marks a domain table without a "usable" flag (scmi_ph_domains). */
#define SCMI_PH_DOMAIN_ALWAYS_USABLE ((size_t)-1)

/**
 * A protocol's table of domains, for scmi_ph_domain_get(): @c count
 * descriptors of @c stride bytes at @c base.
 */
struct scmi_ph_domains {
	/** What a domain is called ("fan", "led"), for messages. */
	const char *what;
	/** The first descriptor (cached by init(), read-only afterwards). */
	const void *base;
	/** Bytes from one descriptor to the next. */
	size_t stride;
	/** Number of domains (ids 0..count-1). */
	unsigned int count;
	/** Offset of a bool in the descriptor saying whether discovery left
	 *  the domain usable, or SCMI_PH_DOMAIN_ALWAYS_USABLE. */
	size_t usable_off;
};

/**
 * Publish the protocol's domain table (from init(), once it is complete):
 * scmi_ph_domain_get() and scmi_ph_domain_enter() look domains up in it.
 * The table is copied; what it points to must stay valid until deinit().
 *
 * @param ph the protocol handle.
 * @param t the table.
 * @return 0, or -EINVAL (NULL, a count without a base).
 */
SCMI_EXPORT int scmi_ph_domains_set(struct scmi_protocol_handle *ph,
				    const struct scmi_ph_domains *t);

/**
 * The one way an op finds its domain: look @p id up in the table published
 * with scmi_ph_domains_set() (callable from init() too, once published).
 *
 * @param ph the protocol handle.
 * @param id the domain id the caller named.
 * @param usable also refuse a domain discovery disabled.
 * @param[out] dom the domain's descriptor.
 * @return 0; -EINVAL for an id past the table (reason logged, as
 *	scmi_last_error_msg()); -EPROTO for a disabled domain with @p usable.
 */
SCMI_EXPORT int scmi_ph_domain_get(const struct scmi_protocol_handle *ph, uint32_t id, bool usable,
				   const void **dom);

/**
 * The number of domains in the published table.
 *
 * @param ph the protocol handle.
 * @return the count (0 without a table).
 */
SCMI_EXPORT int scmi_ph_domain_count(const struct scmi_protocol_handle *ph);

/* ---- the request model ----------------------------------------------------------- */

/** Bytes of per-op context a request holds (scmi_ph_req_ctx()). */
#define SCMI_PH_REQ_CTX_SIZE 96
/** Request payload bytes scmi_ph_req_run() copies into the request. */
#define SCMI_PH_TX_INLINE 32
/** scmi_ph_msg.flags: the command completes with a delayed response,
 *  which is what decode gets. */
#define SCMI_PH_MSG_DRESP 0x1u
/** decode's "send the next message on this request" (see scmi_ph_msg). */
#define SCMI_PH_AGAIN INT_MIN

/**
 * A message's decode callback.
 *
 * @param r the request (scmi_ph_req_ctx() holds the op's context).
 * @param ret the transfer's result: 0 (then @p rx holds the reply's data,
 *	at least scmi_ph_msg.rx_min bytes) or a negative errno (an SCMI
 *	status mapped, -ETIMEDOUT, -ECANCELED, -EPROTO for a short reply...).
 * @param rx the reply's data after the status word (NULL when @p ret is
 *	not 0); untrusted.
 * @param rx_len its length.
 * @return the op's result (0, a count, or a negative errno), or
 *	SCMI_PH_AGAIN to send another message on the request (after
 *	scmi_ph_req_next(), or the same message again).
 */
typedef int (*scmi_ph_decode_fn)(struct scmi_req *r, int ret, const uint8_t *rx, size_t rx_len);

/**
 * A message's encode callback, for payloads built when a transfer is
 * free (larger than SCMI_PH_TX_INLINE, or made from the context).
 *
 * @param r the request.
 * @param tx where the payload goes.
 * @param room bytes available at @p tx.
 * @param[in,out] len in: the length given to scmi_ph_req_run_len(); out:
 *	the payload's length.
 * @return 0 or a negative errno (the request completes with it).
 */
typedef int (*scmi_ph_encode_fn)(struct scmi_req *r, uint8_t *tx, size_t room, size_t *len);

/** One message of a request.  Make it static const: it must outlive the
 *  request. */
struct scmi_ph_msg {
	uint8_t msg_id;		  /**< the protocol's message id */
	unsigned int flags;	  /**< SCMI_PH_MSG_* */
	size_t rx_min;		  /**< shorter replies are -EPROTO (logged) */
	scmi_ph_encode_fn encode; /**< NULL: the payload given to scmi_ph_req_run() */
	scmi_ph_decode_fn decode; /**< NULL: the op's result is the transfer's */
};

/**
 * Start an op's request: the caller's request when the op runs under
 * SCMI_ASYNC(), otherwise @p local set up for a blocking call.  Call it
 * after validating the arguments (a refusal before it is returned as is,
 * no callback runs), and once per op.  Use SCMI_PH_REQ().
 *
 * @param ph the protocol handle (from scmi_ph_enter()).
 * @param local a request on the op's stack.
 * @return the request to describe and run.
 */
SCMI_EXPORT struct scmi_req *scmi_ph_req_begin(const struct scmi_protocol_handle *ph,
					       struct scmi_req *local);

/** Declare request @p r of protocol handle @p ph (scmi_ph_req_begin()). */
#define SCMI_PH_REQ(r, ph)          \
	struct scmi_req r##_local_; \
	struct scmi_req *r = scmi_ph_req_begin((ph), &r##_local_)

/**
 * The request's context: SCMI_PH_REQ_CTX_SIZE bytes, zeroed by
 * scmi_ph_req_begin(), for what decode needs (output pointers, ids).
 *
 * @param r the request.
 * @return the context (aligned for 64-bit members).
 */
SCMI_EXPORT void *scmi_ph_req_ctx(struct scmi_req *r);

/** The context of @p r as a @p type (checked to fit at compile time). */
#define SCMI_PH_REQ_CTX(r, type)      \
	((type *)scmi_ph_req_ctx(r) + \
	 0 * sizeof(char[sizeof(type) <= SCMI_PH_REQ_CTX_SIZE ? 1 : -1]))

/**
 * The protocol handle a request was begun with (for decode).
 *
 * @param r the request.
 * @return the protocol handle.
 */
SCMI_EXPORT const struct scmi_protocol_handle *scmi_ph_req_ph(const struct scmi_req *r);

/**
 * Is @p r the caller's non-blocking request (the op runs under
 * SCMI_ASYNC())?  An op needs it only to release what it reserved when
 * scmi_ph_req_run() refuses to submit.
 *
 * @param r the request.
 * @return true if non-blocking.
 */
SCMI_EXPORT bool scmi_ph_req_is_async(const struct scmi_req *r);

/**
 * Run (blocking) or submit (non-blocking) request @p r with message
 * @p msg and payload @p tx, copied into the request.
 *
 * @param r the request from SCMI_PH_REQ().
 * @param msg the message (static const).
 * @param tx the payload (NULL when @p tx_len is 0).
 * @param tx_len its length, at most SCMI_PH_TX_INLINE (larger payloads
 *	need @c msg->encode and scmi_ph_req_run_len()).
 * @return blocking: the op's result (what decode returned); non-blocking:
 *	0 once submitted (the callback will run) or a negative errno (not
 *	submitted).  The op returns it as is.
 */
SCMI_EXPORT int scmi_ph_req_run(struct scmi_req *r, const struct scmi_ph_msg *msg, const void *tx,
				size_t tx_len);

/**
 * As scmi_ph_req_run(), for a message whose payload @c msg->encode
 * builds; @p len is handed to it in *len.
 *
 * @param r the request.
 * @param msg the message, with an encode callback.
 * @param len a length hint for encode (e.g. of a buffer in the context).
 * @return as scmi_ph_req_run().
 */
SCMI_EXPORT int scmi_ph_req_run_len(struct scmi_req *r, const struct scmi_ph_msg *msg, size_t len);

/**
 * From decode: make @p msg with payload @p tx the request's next message
 * (a follow-up command, a fallback to a synchronous form), then return
 * SCMI_PH_AGAIN.
 *
 * @param r the request.
 * @param msg the next message (static const).
 * @param tx its payload.
 * @param tx_len at most SCMI_PH_TX_INLINE.
 * @return 0, or -EMSGSIZE.
 */
SCMI_EXPORT int scmi_ph_req_next(struct scmi_req *r, const struct scmi_ph_msg *msg, const void *tx,
				 size_t tx_len);

/* ---- multi-part walks -------------------------------------------------------------- */

/** Callbacks of a multi-part walk (spec §4): index 0, then index += returned. */
struct scmi_ph_iter_ops {
	/**
	 * Build the request for the reply starting at entry @p index.
	 *
	 * @param tx the payload (scmi_ph_iter.tx_size bytes, zeroed).
	 * @param index the first entry wanted.
	 * @param priv the walk's state.
	 */
	void (*prepare)(void *tx, unsigned int index, void *priv);
	/**
	 * Decode the count word(s) of a reply.
	 *
	 * @param rx the reply's data (untrusted).
	 * @param rx_len its length: check it.
	 * @param[out] returned entries in this reply.
	 * @param[out] remaining entries after them.
	 * @param[out] entries_off offset of the first entry in @p rx.
	 * @param priv the walk's state.
	 * @return 0 or a negative errno (-EPROTO: malformed).
	 */
	int (*update)(const uint8_t *rx, size_t rx_len, unsigned int *returned,
		      unsigned int *remaining, size_t *entries_off, void *priv);
	/**
	 * Consume one entry.
	 *
	 * @param rx the reply's data.
	 * @param rx_len its length: check the entry fits.
	 * @param[in,out] off the entry's offset; advance it past the entry.
	 * @param index the entry's index in the whole list (below
	 *	scmi_ph_iter.max_entries when set).
	 * @param i its index in this reply.
	 * @param priv the walk's state.
	 * @return 0, 1 to end the walk after this entry, or a negative errno.
	 */
	int (*entry)(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
		     unsigned int i, void *priv);
};

/** A multi-part walk's message (static const: it outlives the request). */
struct scmi_ph_iter {
	uint8_t msg_id;			    /**< the walk's message id */
	size_t tx_size;			    /**< its request payload size */
	unsigned int max_entries;	    /**< entries the caller stores (0: no limit) */
	const struct scmi_ph_iter_ops *ops; /**< the callbacks */
};

/**
 * Walk a multi-part enumeration as request @p r, one message per page,
 * blocking or non-blocking like scmi_ph_req_run().  The rules are the
 * standard protocols' (lenient about counts, strict about memory): the
 * first reply's returned + remaining, capped at @c max_entries, is the
 * capacity; the walk ends at remaining 0, at an empty reply, or -- after
 * the first reply -- when the platform answers INVALID_PARAMETERS,
 * OUT_OF_RANGE or NOT_FOUND for the next index.
 *
 * @param r the request from SCMI_PH_REQ().
 * @param desc the walk's message and callbacks.
 * @param priv the walk's state for the callbacks (keep it in the request's
 *	context, or owned by the caller until the callback).
 * @param finish optional: runs once at the end with the walk's result
 *	and the number of entries listed, and returns the op's result
 *	(NULL: the walk's result).
 * @return as scmi_ph_req_run().
 */
SCMI_EXPORT int scmi_ph_req_walk(struct scmi_req *r, const struct scmi_ph_iter *desc, void *priv,
				 int (*finish)(struct scmi_req *r, int ret, unsigned int total));

/* ---- blocking helpers for init() ------------------------------------------------------ */

/**
 * One command, blocking (for init() and other internal commands; never the
 * caller's request): send @p tx, wait, copy at most @p rx_max bytes of the
 * reply's data to @p rx.
 *
 * @param ph the protocol handle.
 * @param msg_id the message.
 * @param tx the payload (may be NULL with @p tx_len 0).
 * @param tx_len its length.
 * @param[out] rx the reply's data (may be NULL with @p rx_max 0).
 * @param rx_min shortest acceptable reply (shorter: -EPROTO, logged).
 * @param rx_max capacity of @p rx.
 * @param[out] rx_len optional: the reply's data length.
 * @return 0 or a negative errno (scmi_last_status() has the raw status).
 */
SCMI_EXPORT int scmi_ph_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
			    size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len);

/**
 * As scmi_ph_cmd() for a command completed by a delayed response: @p rx
 * gets the delayed response's data.
 *
 * @param ph the protocol handle.
 * @param msg_id the message.
 * @param tx the payload.
 * @param tx_len its length.
 * @param[out] rx the delayed response's data.
 * @param rx_min shortest acceptable delayed response.
 * @param rx_max capacity of @p rx.
 * @param[out] rx_len optional: its length.
 * @return 0 or a negative errno (-EOPNOTSUPP without a P2A channel).
 */
SCMI_EXPORT int scmi_ph_cmd_async(const struct scmi_protocol_handle *ph, uint8_t msg_id,
				  const void *tx, size_t tx_len, void *rx, size_t rx_min,
				  size_t rx_max, size_t *rx_len);

/**
 * PROTOCOL_ATTRIBUTES: at least @p min bytes into @p buf.
 *
 * @param ph the protocol handle.
 * @param[out] buf the reply's data.
 * @param min shortest acceptable reply.
 * @param size capacity of @p buf.
 * @return 0 or a negative errno.
 */
SCMI_EXPORT int scmi_ph_attributes(const struct scmi_protocol_handle *ph, void *buf, size_t min,
				   size_t size);

/**
 * PROTOCOL_MESSAGE_ATTRIBUTES of @p msg_id.
 *
 * @param ph the protocol handle.
 * @param msg_id the message asked about.
 * @param[out] attributes optional: its attributes word.
 * @return 0; -ENOENT when the platform does not implement it; another
 *	negative errno.
 */
SCMI_EXPORT int scmi_ph_msg_attributes(const struct scmi_protocol_handle *ph, uint8_t msg_id,
				       uint32_t *attributes);

/**
 * Is message @p msg_id implemented by the platform (probe optional
 * commands at init())?
 *
 * @param ph the protocol handle.
 * @param msg_id the message.
 * @return true if PROTOCOL_MESSAGE_ATTRIBUTES succeeded for it.
 */
SCMI_EXPORT bool scmi_ph_msg_supported(const struct scmi_protocol_handle *ph, uint8_t msg_id);

/**
 * An extended name (*_NAME_GET, spec §5): request {res_id[, flags]}, reply
 * {flags, name[64]}.
 *
 * @param ph the protocol handle.
 * @param msg_id the protocol's NAME_GET message.
 * @param res_id the resource.
 * @param flags optional second request word (NULL: none).
 * @param[out] name on success the name, NUL-terminated; untouched on
 *	failure (keep the short name).
 * @param size capacity of @p name.
 * @return 0 or a negative errno.
 */
SCMI_EXPORT int scmi_ph_ext_name_get(const struct scmi_protocol_handle *ph, uint8_t msg_id,
				     uint32_t res_id, const uint32_t *flags, char *name,
				     size_t size);

/**
 * A whole multi-part walk, blocking (for init()); the rules of
 * scmi_ph_req_walk().
 *
 * @param ph the protocol handle.
 * @param desc the walk's message and callbacks.
 * @param priv the walk's state for the callbacks.
 * @param[out] total optional: the number of entries listed.
 * @return 0 or a negative errno.
 */
SCMI_EXPORT int scmi_ph_iter_run(const struct scmi_protocol_handle *ph,
				 const struct scmi_ph_iter *desc, void *priv, unsigned int *total);

/**
 * Did a discovery command fail because of what the platform answered (an
 * error status, a malformed reply) rather than for want of an answer?
 * Such a failure concerns the resource described: disable it and carry on
 * (docs/PROTOCOLS.md, "Leniency").  Call it right after the failure, on
 * the same thread.
 *
 * @param ret the errno the command returned.
 * @return true for a bad answer.
 */
SCMI_EXPORT bool scmi_ph_bad_answer(int ret);

/**
 * The common *_NOTIFY command {resource id, notify_enable b0} (spec §7.2),
 * blocking: for set_notify_enabled().
 *
 * @param ph the protocol handle.
 * @param msg_id the protocol's NOTIFY message.
 * @param res_id the source.
 * @param enable on or off.
 * @return 0 or a negative errno.
 */
SCMI_EXPORT int scmi_ph_notify_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id,
				   uint32_t res_id, bool enable);

/* ---- fastchannels ------------------------------------------------------------------ */

/**
 * A fastchannel (spec §2.8): a memory window for one (domain, message)
 * that the agent reads or writes instead of sending the message, with an
 * optional doorbell.  Filled by scmi_ph_fastchannel_init(); libscmi's
 * bytes otherwise.  Zero-filled: not mapped (use messages).
 */
struct scmi_ph_fastchannel {
	/** libscmi's state of the channel: do not touch. */
	union {
		uint64_t align_;
		void *ptr_;
		unsigned char bytes[96];
	} priv_;
};

/**
 * Describe and map the fastchannel of (@p domain, @p msg_id) with the
 * protocol's DESCRIBE_FASTCHANNEL message @p describe_msg_id (request
 * {domain, msg_id}, reply as in spec §2.8: attributes, rate limit, channel
 * address and size, doorbell address and masks), checking every value the
 * platform sends, and map it through the transport.  Call it from init(),
 * only where the platform advertises the channel (e.g.
 * PROTOCOL_MESSAGE_ATTRIBUTES of @p msg_id, b0).  Any failure leaves
 * @p fc unmapped: use messages.
 *
 * @param ph the protocol handle.
 * @param describe_msg_id the protocol's DESCRIBE_FASTCHANNEL message.
 * @param domain the domain.
 * @param msg_id the message the channel replaces.
 * @param size the channel's size the protocol expects (4 or 8 bytes).
 * @param[out] fc the channel.
 * @return 0 (mapped); -EOPNOTSUPP (the transport cannot map it); -EPROTO
 *	(a bad description); or the command's error.
 */
SCMI_EXPORT int scmi_ph_fastchannel_init(const struct scmi_protocol_handle *ph,
					 uint8_t describe_msg_id, uint32_t domain, uint8_t msg_id,
					 size_t size, struct scmi_ph_fastchannel *fc);
/**
 * Is the channel mapped (else use messages)?
 *
 * @param fc the channel.
 * @return true if scmi_ph_fastchannel_init() mapped it.
 */
SCMI_EXPORT bool scmi_ph_fastchannel_mapped(const struct scmi_ph_fastchannel *fc);
/**
 * Unmap the channel (from deinit()); an unmapped one is left alone.
 *
 * @param ph the protocol handle.
 * @param fc the channel.
 */
SCMI_EXPORT void scmi_ph_fastchannel_release(const struct scmi_protocol_handle *ph,
					     struct scmi_ph_fastchannel *fc);
/**
 * Read a little-endian 32-bit word of a mapped channel.
 *
 * @param fc the channel.
 * @param off byte offset (0, or 4 in an 8-byte channel).
 * @return the value.
 */
SCMI_EXPORT uint32_t scmi_ph_fastchannel_read32(const struct scmi_ph_fastchannel *fc, size_t off);
/**
 * Write a little-endian 32-bit word of a mapped channel.
 *
 * @param fc the channel.
 * @param off byte offset.
 * @param val the value.
 */
SCMI_EXPORT void scmi_ph_fastchannel_write32(const struct scmi_ph_fastchannel *fc, size_t off,
					     uint32_t val);
/**
 * Ring the channel's doorbell, if it has one (after writing a "set"
 * channel).
 *
 * @param fc the channel.
 */
SCMI_EXPORT void scmi_ph_fastchannel_ring_doorbell(const struct scmi_ph_fastchannel *fc);
/**
 * Emit the trace hook's fastchannel event (scmi/trace.h, the kernel's
 * scmi_fc_call) for an access: nothing when no hook is set.
 *
 * @param ph the protocol handle.
 * @param msg_id the message the channel replaces.
 * @param res_id the domain.
 * @param val1 the value read or written.
 * @param val2 a second value (0 if none).
 */
SCMI_EXPORT void scmi_ph_fastchannel_trace(const struct scmi_protocol_handle *ph, uint8_t msg_id,
					   uint32_t res_id, uint32_t val1, uint32_t val2);

/* ---- events ------------------------------------------------------------------------- */

/** One event a protocol can emit. */
struct scmi_ph_event {
	uint8_t id;	      /**< event (notification message) id */
	size_t max_payld_sz;  /**< largest payload the platform may send */
	size_t max_report_sz; /**< size of its report struct, at least
				   sizeof(struct scmi_event_hdr) */
};

/** How the notification core drives a protocol's events. */
struct scmi_ph_event_ops {
	/**
	 * Send the protocol's NOTIFY command enabling or disabling @p evt_id
	 * for source @p src_id (the first listener came, the last one left).
	 * Blocking helpers only (scmi_ph_notify_cmd(), scmi_ph_cmd()).
	 *
	 * @param ph the protocol handle.
	 * @param evt_id the event.
	 * @param src_id the source.
	 * @param enable on or off.
	 * @return 0 or a negative errno.
	 */
	int (*set_notify_enabled)(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				  uint32_t src_id, bool enable);
	/**
	 * Build the report of event @p evt_id from its payload, past the
	 * struct scmi_event_hdr that starts every report (the core fills the
	 * header), and set *@p src_id.
	 *
	 * @param ph the protocol handle.
	 * @param evt_id the event.
	 * @param payld the payload (untrusted: check its size and ids).
	 * @param payld_sz its length.
	 * @param[out] report max_report_sz bytes, zeroed.
	 * @param[out] src_id the source the event names (checked by the core
	 *	against the sources registered).
	 * @return 0, or -EPROTO for a malformed payload (dropped, counted).
	 */
	int (*fill_report)(const struct scmi_protocol_handle *ph, uint8_t evt_id, const void *payld,
			   size_t payld_sz, void *report, uint32_t *src_id);
};

/** A protocol's events (static const). */
struct scmi_ph_events {
	const struct scmi_ph_event_ops *ops; /**< the callbacks */
	const struct scmi_ph_event *evts;    /**< the events */
	unsigned int num_events;	     /**< entries at @c evts */
};

/**
 * Register the protocol's events with the notification core, with
 * @p num_sources sources (ids 0..num_sources-1; 1 for events without a
 * source).  From init(), once: from then on
 * h->notify_ops->event_notifier_register(h, id, evt, ...) works for them
 * (registrations made before the protocol came up are bound now).
 *
 * @param ph the protocol handle.
 * @param ee the events (static const).
 * @param num_sources the number of sources.
 * @return 0; -EINVAL (no callbacks, no events, a report smaller than the
 *	header, no sources); -EEXIST (registered already); -ENOMEM.
 */
SCMI_EXPORT int scmi_ph_events_register(const struct scmi_protocol_handle *ph,
					const struct scmi_ph_events *ee, unsigned int num_sources);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOL_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The libscmi handle: one connection to one SCMI platform.
 *
 * @code
 *	struct scmi_handle *h;
 *	int ret = scmi_open("loopback://", NULL, &h);
 *	if (ret)
 *		errx(1, "scmi_open: %s", scmi_strerror(ret));
 *	printf("%s\n", h->version->vendor_id);
 *	if (h->perf_ops)
 *		h->perf_ops->level_set(h, 0, 500);
 *	scmi_close(h);
 * @endcode
 *
 * (loopback://, the simulator, needs libscmi-sim linked too; a real
 * platform is named by a URI of its transport, or by $SCMI_URI with a
 * NULL @p uri.)
 *
 * A handle mirrors the Linux kernel's struct scmi_handle: a version block
 * filled from the Base protocol at open, and one ops pointer per standard
 * protocol, NULL when the platform does not implement that protocol.
 * Protocols are brought up (version, negotiation, attributes) on first use.
 *
 * Threads: libscmi runs the receive path on a thread of its own per handle.
 * Every function taking a handle may be called from any thread, including
 * from notification callbacks and the log sink.  See scmi_close() for what
 * happens to calls in progress when the handle closes.
 *
 * Every op blocks until the platform answered, or, wrapped in SCMI_ASYNC()
 * (scmi/request.h), returns at once and completes through a callback.
 */
#ifndef SCMI_HANDLE_H
#define SCMI_HANDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SCMI_EXPORT
/** Marks the functions the shared library exports. */
#define SCMI_EXPORT __attribute__((visibility("default")))
#endif

/** libuv's event loop (declared here so that users need not include uv.h). */
typedef struct uv_loop_s uv_loop_t;

/** Standard protocol ids (spec §3.1). 0x80..0xFF are vendor protocols. */
enum scmi_protocol_id {
	SCMI_PROTOCOL_BASE = 0x10,     /**< Base (scmi/protocols/base.h) */
	SCMI_PROTOCOL_POWER = 0x11,    /**< Power domain management */
	SCMI_PROTOCOL_SYSTEM = 0x12,   /**< System power management */
	SCMI_PROTOCOL_PERF = 0x13,     /**< Performance domain management */
	SCMI_PROTOCOL_CLOCK = 0x14,    /**< Clock management */
	SCMI_PROTOCOL_SENSOR = 0x15,   /**< Sensor management */
	SCMI_PROTOCOL_RESET = 0x16,    /**< Reset domain management */
	SCMI_PROTOCOL_VOLTAGE = 0x17,  /**< Voltage domain management */
	SCMI_PROTOCOL_POWERCAP = 0x18, /**< Power capping and monitoring */
	SCMI_PROTOCOL_PINCTRL = 0x19,  /**< Pin control */
};

/**
 * Name of a protocol id.  Thread-safe.
 *
 * @param protocol_id a protocol id (enum scmi_protocol_id or any other).
 * @return "perf", "clock" ... for the standard protocols, "vendor" for
 *	0x80 and above, "unknown" otherwise: a static string, never NULL.
 */
SCMI_EXPORT const char *scmi_protocol_name(uint8_t protocol_id);

/** Length of the short names in attributes replies (spec §5). */
#define SCMI_SHORT_NAME_MAX_SIZE 16
/** Length of extended names (*_NAME_GET, spec §5). */
#define SCMI_MAX_STR_SIZE 64

/* SCMI *protocol* version words (PROTOCOL_VERSION, spec §3.2): major in
 * b[31:16], minor in b[15:0].  The library's own version is SCMI_VERSION_*
 * in <scmi/version.h>. */
/** Protocol version word from @p major (b[31:16]) and @p minor (b[15:0]). */
#define SCMI_PROTO_VERSION(major, minor) (((uint32_t)(major) << 16) | ((uint32_t)(minor)&0xffff))
/** Major part (b[31:16]) of protocol version word @p v. */
#define SCMI_PROTO_VERSION_MAJOR(v) ((uint16_t)((v) >> 16))
/** Minor part (b[15:0]) of protocol version word @p v. */
#define SCMI_PROTO_VERSION_MINOR(v) ((uint16_t)((v)&0xffff))

/** One protocol the platform lists (Base excluded). */
struct scmi_protocol_info {
	uint8_t id; /**< protocol id (enum scmi_protocol_id or vendor) */
	/** Version the platform reports with PROTOCOL_VERSION (0 if that
	 *  command failed). */
	uint32_t version;
	/** Whether this library implements the protocol (its ops pointer
	 *  in the handle is then non-NULL). */
	bool supported;
};

/** What the Base protocol reported at scmi_open(). */
struct scmi_revision_info {
	uint16_t major_ver;			      /**< Base protocol version = SCMI version */
	uint16_t minor_ver;			      /**< minor part of the SCMI version */
	uint8_t num_protocols;			      /**< listed protocols, Base excluded */
	uint8_t num_agents;			      /**< agents besides the platform */
	uint32_t impl_ver;			      /**< vendor-defined implementation version */
	char vendor_id[SCMI_SHORT_NAME_MAX_SIZE];     /**< NUL-terminated */
	char sub_vendor_id[SCMI_SHORT_NAME_MAX_SIZE]; /**< NUL-terminated */
	struct scmi_protocol_info protocols[255];     /**< num_protocols used */
};

struct scmi_base_ops;
struct scmi_power_ops;
struct scmi_system_ops;
struct scmi_perf_ops;
struct scmi_clock_ops;
struct scmi_sensor_ops;
struct scmi_reset_ops;
struct scmi_voltage_ops;
struct scmi_powercap_ops;
struct scmi_pinctrl_ops;
struct scmi_notify_ops;
struct scmi_trace_record;

/**
 * A connection to an SCMI platform, made by scmi_open().  All members are
 * read-only for the user and stay valid until scmi_close(); the library
 * owns the handle and everything it points to.  An ops pointer is NULL
 * when the platform does not list that protocol.
 */
struct scmi_handle {
	const struct scmi_revision_info *version;     /**< what Base reported */
	const struct scmi_base_ops *base_ops;	      /**< Base (always set) */
	const struct scmi_power_ops *power_ops;	      /**< Power domains */
	const struct scmi_system_ops *system_ops;     /**< System power */
	const struct scmi_perf_ops *perf_ops;	      /**< Performance */
	const struct scmi_clock_ops *clock_ops;	      /**< Clocks */
	const struct scmi_sensor_ops *sensor_ops;     /**< Sensors */
	const struct scmi_reset_ops *reset_ops;	      /**< Reset domains */
	const struct scmi_voltage_ops *voltage_ops;   /**< Voltage domains */
	const struct scmi_powercap_ops *powercap_ops; /**< Power capping */
	const struct scmi_pinctrl_ops *pinctrl_ops;   /**< Pin control */
	const struct scmi_notify_ops *notify_ops;     /**< notifications */
};

/** Log levels, most to least severe. */
enum scmi_log_level {
	SCMI_LOG_DEFAULT = 0, /**< in scmi_config: use SCMI_LOG_WARN */
	SCMI_LOG_ERR = 1,     /**< errors */
	SCMI_LOG_WARN = 2,    /**< warnings (the default level) */
	SCMI_LOG_INFO = 3,    /**< information */
	SCMI_LOG_DEBUG = 4,   /**< debugging detail */
	SCMI_LOG_SILENT = -1, /**< in scmi_config: log nothing */
};

/**
 * Log sink (scmi_config.log_fn).  Called from any libscmi thread
 * (including the receive thread), so it must be thread-safe and must not
 * block for long.
 *
 * @param priv scmi_config.log_priv.
 * @param level the line's level.
 * @param msg one line without a trailing newline, valid during the call
 *	only.
 */
typedef void (*scmi_log_fn)(void *priv, enum scmi_log_level level, const char *msg);

/** Notification delivery settings of one protocol. */
struct scmi_event_queue_config {
	uint8_t protocol_id; /**< the protocol these settings apply to */
	/** Events the queue holds (1..65536; 0: the handle's default).
	 *  When full, the newest event is dropped and counted. */
	unsigned int depth;
	/** Scheduling niceness of the protocol's delivery thread (-20..19;
	 *  0: inherit).  Best effort: lowering it needs CAP_SYS_NICE.
	 *  Ignored when callbacks go to the caller's loop. */
	int nice;
};

/**
 * Options for scmi_open().  A zero-filled struct (or a NULL pointer) means
 * defaults everywhere.
 */
struct scmi_config {
	/** Timeout for synchronous responses, ms (0: the transport's). */
	unsigned int timeout_ms;
	/** Timeout for delayed responses of async commands, ms (0: 2000). */
	unsigned int dresp_timeout_ms;
	/** Optional caller's loop: notification callbacks (and other user
	 *  callbacks) are delivered on the thread running it, through a
	 *  uv_async_t that the handle adds to it.  The receive path never
	 *  runs on it.  scmi_open() and scmi_close() must then be called on
	 *  that loop's thread (or while the loop is not running); the loop
	 *  must outlive the handle, and the handle's async handle keeps it
	 *  alive until scmi_close() (use uv_stop() to leave uv_run()). */
	uv_loop_t *loop;
	/** Log sink (NULL: lines at or above log_level go to stderr). */
	scmi_log_fn log_fn;
	/** Passed to log_fn as its first argument. */
	void *log_priv;
	/** Most verbose level passed to the sink (SCMI_LOG_DEFAULT: WARN). */
	enum scmi_log_level log_level;
	/** Default depth of each protocol's notification queue (0: 256). */
	unsigned int event_queue_depth;
	/** Per-protocol overrides of event_queue_depth. */
	const struct scmi_event_queue_config *event_queues;
	/** Entries at event_queues. */
	size_t num_event_queues;
	/** Quirks to turn off or on (<scmi/quirks.h>): a comma-separated
	 *  list of quirk names, each prefixed with '-' (off, even where the
	 *  platform matches) or '+' (on, whatever the platform: for testing;
	 *  a bare name means '+'); "all" names every quirk, and the last word
	 *  on a quirk wins, e.g. "-all,+sensor_async_inline".  NULL or "":
	 *  as the platform's identity says.  An unknown name makes
	 *  scmi_open() fail with -EINVAL, logged.  Need not outlive
	 *  scmi_open(). */
	const char *quirks;
	/** Trace hook (scmi/trace.h: scmi_trace_fn), in force from the
	 *  start so that scmi_open()'s discovery is traced too; NULL: none.
	 *  scmi_trace_set() changes it on an open handle. */
	void (*trace_fn)(void *priv, const struct scmi_trace_record *rec);
	/** Passed to trace_fn as its first argument. */
	void *trace_priv;
	/** Run the handle's callbacks -- request completions
	 *  (scmi/request.h) and notifications -- only inside
	 *  scmi_dispatch(), on the thread calling it, when the fd of
	 *  scmi_get_fd() turns readable: for programs on epoll, GLib or any
	 *  loop other than libuv.  Exclusive with @c loop. */
	bool dispatch;
};

/**
 * Open a handle on the platform named by @p uri.
 *
 * Runs the Base protocol discovery (version, attributes, vendor strings,
 * protocol list, each protocol's version).  May be called from any thread;
 * with scmi_config.loop set, from that loop's thread (or while the loop is
 * not running).
 *
 * @param uri "scheme://..." naming a transport and its parameters, e.g.
 *	"uio://...", "shmem://...", or with libscmi-sim linked
 *	"loopback://?profile=scmi-2.0&delay_us=100".  NULL means the
 *	environment variable SCMI_URI; without it (or empty) -EINVAL, logged
 *	with how to name a platform.  An unknown scheme, an unknown parameter,
 *	or a malformed value returns -EINVAL and logs a line naming it;
 *	"loopback://" without libscmi-sim likewise, saying to link it.
 * @param cfg options, or NULL for defaults.  Copied; need not outlive the
 *	call.
 * @param[out] out receives the handle on success; the caller owns it and
 *	releases it with scmi_close().
 * @return 0 or a negative errno: -EINVAL (bad URI/config), -ENODEV (no
 *	such platform/device), -ETIMEDOUT (platform did not answer), -EPROTO
 *	(malformed replies), -ENOMEM, or the transport's own errno
 *	(docs/TRANSPORTS.md).
 */
SCMI_EXPORT int scmi_open(const char *uri, const struct scmi_config *cfg, struct scmi_handle **out);

/**
 * Close a handle: unregisters every notifier (disabling notifications at
 * the platform), stops libscmi's threads and frees everything.  NULL is a
 * no-op.
 *
 * Calls in progress on other threads: from the moment scmi_close() starts,
 * every new call on the handle returns -ESHUTDOWN, and every call in
 * progress returns promptly: a call waiting (for a response, a delayed
 * response, a free transfer slot, a polled reply, another thread's
 * bring-up of the protocol, a notification it waits for) stops waiting
 * and returns -ESHUTDOWN; a call between two commands of one operation
 * (a multi-part walk, a bring-up) sends no further command and returns
 * -ESHUTDOWN; a call whose last command was already answered returns its
 * result.  scmi_close() frees the handle only after every call has
 * returned.  A command already sent may still take effect at the platform.
 * The caller must make sure that no call *starts* after scmi_close() has
 * returned (as for any freed object); calls that start while it runs are
 * refused with -ESHUTDOWN.
 *
 * Notifier callbacks: once scmi_close() has started no further callback
 * starts; it waits for one running on another thread to return.
 *
 * From the handle's own threads -- a notifier callback, the log sink, or a
 * call of this handle further up the stack -- waiting for the calls to end
 * would wait for itself.  There scmi_close() starts the close (new calls
 * and waits end with -ESHUTDOWN, as above), returns at once, and the close
 * completes when the callback or call returns: on a thread of libscmi's,
 * or on the caller's loop when scmi_config.loop is set.  The handle must
 * not be used after scmi_close() returned in either case.
 *
 * Calling scmi_close() twice on one handle is an error (logged; the second
 * call does nothing if the handle still exists).
 *
 * @param h the handle, or NULL (a no-op).  Freed by this call (or, from
 *	one of the handle's threads, once that thread's callback returns).
 */
SCMI_EXPORT void scmi_close(struct scmi_handle *h);

/**
 * One fact a transport reports about what it found (scmi_describe(),
 * scmi_probe()).  Facts come in a stable order, those of one section one
 * after the other; a key appears once per section.
 *
 * @param arg the @p arg given to scmi_describe() or scmi_probe().
 * @param section groups facts ("transport", "pci", "region 7", "queue 0",
 *	"limits"...).
 * @param key names one ("vendor", "size"...).
 * @param value its text ("0x1af4", "4096", "VERSION_1 P2A_CHANNELS").
 *
 * The strings are valid during the call only.
 */
typedef void (*scmi_describe_fn)(void *arg, const char *section, const char *key,
				 const char *value);

/**
 * Describe the transport of an open handle: a "transport" section (the
 * scheme), what the transport reports (its own sections; docs/TRANSPORTS.md
 * lists them per transport), then a "limits" section (the limits and
 * capabilities in force: max_msg, sizes, timeout, caps).  @p emit runs on
 * the handle's loop thread, before this returns; it must not call the
 * handle.  May be called from any thread but @p emit.
 *
 * @param h the handle.
 * @param emit called once per fact.
 * @param arg passed to @p emit.
 * @return 0, -EINVAL (no handle or @p emit), or the transport's errno.
 */
SCMI_EXPORT int scmi_describe(const struct scmi_handle *h, scmi_describe_fn emit, void *arg);

/**
 * Open only the transport named by @p uri (no SCMI command is sent, no
 * protocol is discovered), describe it as scmi_describe() does, and close
 * it again.  In this probe-only mode a transport that finds a device it
 * cannot drive (e.g. a vfio-user device with other PCI ids than
 * virtio-scmi's) still reports what it found, then the probe fails: it
 * logs why (at SCMI_LOG_ERR, naming what it found) and returns a negative
 * errno (-ENODEV for a device of another kind).  A transport that could
 * not even reach its device (no such socket, bad URI) reports nothing and
 * the probe returns scmi_open()'s errno.  @p emit runs before this
 * returns, on a thread of libscmi's.
 *
 * @param uri as for scmi_open() (NULL: $SCMI_URI).
 * @param cfg as for scmi_open() (the log sink and level matter; the rest is
 *	ignored); may be NULL.
 * @param emit called once per fact.
 * @param arg passed to @p emit.
 * @return 0; a negative errno (-ENODEV for a device of another kind) after
 *	reporting a device the transport cannot drive; or scmi_open()'s errno
 *	when nothing could be reached.
 */
SCMI_EXPORT int scmi_probe(const char *uri, const struct scmi_config *cfg, scmi_describe_fn emit,
			   void *arg);

/** Transfer counters of a handle (monotonic since scmi_open()). */
struct scmi_stats {
	uint64_t sent;		     /**< commands handed to the transport */
	uint64_t responses;	     /**< responses matched to a command */
	uint64_t delayed_responses;  /**< delayed responses matched */
	uint64_t timeouts;	     /**< responses not received in time */
	uint64_t dresp_timeouts;     /**< delayed responses not received */
	uint64_t drop_unknown_token; /**< replies for no command in flight */
	uint64_t drop_bad_state;     /**< duplicate / unexpected replies */
	uint64_t drop_bad_length;    /**< replies too short or too long */
	uint64_t drop_bad_type;	     /**< messages of an invalid type */
	uint64_t xfer_exhausted;     /**< commands refused: no free xfer */
	uint64_t notifications;	     /**< notifications received */
	uint64_t late_replies;	     /**< replies of timed-out commands, dropped */
	uint64_t tokens_exhausted;   /**< commands refused: free tokens all held back */
	/** Tokens held back now (not a counter): their command timed out,
	 *  and no newer command gets the token until its late reply came or
	 *  four times the timeout passed, so that a late reply can never
	 *  complete the wrong command.  When all free tokens are held back a
	 *  command fails with -EBUSY (counted in tokens_exhausted). */
	uint64_t tokens_quarantined;
};

/**
 * Copy the handle's transfer counters.  Thread-safe; any thread.  The same
 * counters under the names of the Linux debug counters, with a few more:
 * scmi_stats_foreach() in scmi/trace.h.
 *
 * @param h the handle.
 * @param[out] st receives the counters.
 * @return 0, or -EINVAL (NULL argument).
 */
SCMI_EXPORT int scmi_stats_get(const struct scmi_handle *h, struct scmi_stats *st);

/**
 * Bring protocol @p protocol_id up now: its version, attributes and the
 * descriptions of its domains, which its first op would otherwise fetch
 * (for a large pin controller, hundreds of commands).  Blocking, like that
 * first op; under SCMI_ASYNC() (scmi/request.h) it runs on a thread of
 * libscmi's own and completes through the callback, so that a program on
 * an event loop keeps every protocol's discovery off its loop: prepare the
 * protocols it uses once, then submit their ops.  A protocol up already
 * completes at once.  Any thread.
 *
 * @param h the handle.
 * @param protocol_id the protocol (standard or a registered vendor one).
 * @return 0; -EOPNOTSUPP (nothing sent) for a protocol the platform did not
 *	list or libscmi does not implement; the errors of the protocol's
 *	bring-up (-ETIMEDOUT, -EPROTO...); -ESHUTDOWN (blocking) or
 *	-ECANCELED (non-blocking) when the handle closes meanwhile.
 */
SCMI_EXPORT int scmi_protocol_prepare(const struct scmi_handle *h, uint8_t protocol_id);

/**
 * Ask the platform for PROTOCOL_MESSAGE_ATTRIBUTES of @p msg_id in
 * @p protocol_id.  Blocks until the platform answers; any thread.
 *
 * @param h the handle.
 * @param protocol_id the protocol.
 * @param msg_id the message.
 * @param[out] attributes the attributes word, on success.
 * @return 0, -ENOENT if the platform does not implement that message, or
 *	another negative errno (-EINVAL, -ETIMEDOUT, -ESHUTDOWN...).
 */
SCMI_EXPORT int scmi_protocol_message_attributes(const struct scmi_handle *h, uint8_t protocol_id,
						 uint8_t msg_id, uint32_t *attributes);

/**
 * Send one raw command and wait for its response: for vendor protocols and
 * debugging.  Blocks; any thread.  The short form of scmi_raw_send()
 * (scmi/raw.h), without a session.
 *
 * @param h the handle.
 * @param protocol_id the protocol.
 * @param msg_id the message.
 * @param tx the payload after the header (may be NULL when @p tx_len is 0).
 * @param tx_len its length in bytes.
 * @param[out] rx on success, the response data after the status word (at
 *	most @p rx_size bytes).
 * @param rx_size capacity of @p rx.
 * @param[out] rx_len the full length of the response data.
 * @return 0, the errno of a non-SUCCESS status, -EMSGSIZE if @p tx_len
 *	exceeds the transport's message size, -ETIMEDOUT...  The raw status
 *	is in scmi_last_status().
 */
SCMI_EXPORT int scmi_raw_command(const struct scmi_handle *h, uint8_t protocol_id, uint8_t msg_id,
				 const void *tx, size_t tx_len, void *rx, size_t rx_size,
				 size_t *rx_len);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_HANDLE_H */

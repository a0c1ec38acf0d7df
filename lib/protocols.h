/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The framework protocol implementations are written against (internal).
 *
 * Each protocol is one file in lib/protocols/ that defines a
 * `const struct scmi_protocol scmi_<name>_protocol` and is listed in
 * scmi_protocol_table[] (lib/handle.c).  Its ops take the public handle and
 * start with scmi_protocol_acquire(), which brings the protocol up on first
 * use: PROTOCOL_VERSION, negotiation when the platform is newer than we
 * are, then the protocol's init() (attributes, per-domain discovery,
 * notification events), exactly once per handle even with concurrent
 * callers.
 *
 * Replies are untrusted: every field read from ph's xfers must be inside
 * t.rx_len; use scmi_common_cmd() (minimum length checked) or check by hand.
 */
#ifndef SCMI_LIB_PROTOCOLS_H
#define SCMI_LIB_PROTOCOLS_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "request.h"

/* Message ids every protocol implements (spec §3.2). */
#define SCMI_MSG_PROTOCOL_VERSION	     0x0
#define SCMI_MSG_PROTOCOL_ATTRIBUTES	     0x1
#define SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES 0x2
#define SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION  0x10

struct scmi_protocol_handle;

/**
 * A protocol's table of domains (sensors, clocks, ...) for
 * scmi_domain_get(): @count descriptors of @stride bytes at @base; when
 * @usable_off is not SCMI_DOMAIN_ALWAYS_USABLE, the descriptor has a bool
 * there saying whether discovery left the domain usable.
 */
struct scmi_domain_table {
	const char *proto; /* "power", ... for messages (NULL: @what) */
	const char *what;  /* a domain's name: "domain", "sensor", "clock" */
	const void *base;
	size_t stride;
	unsigned int count;
	size_t usable_off;
};

#define SCMI_DOMAIN_ALWAYS_USABLE ((size_t)-1)

struct scmi_protocol {
	uint8_t id;
	/** Newest version this implementation speaks. */
	uint32_t supported_version;
	/** Where the ops pointer goes in struct scmi_handle. */
	size_t ops_offset;
	const void *ops;
	/** Discover the protocol; may send commands; sets ph->priv. */
	int (*init)(struct scmi_protocol_handle *ph);
	/** Free ph->priv (at close; may not send commands). */
	void (*deinit)(struct scmi_protocol_handle *ph);
	/** The protocol's domains (NULL: it has none), for
	 *  scmi_domain_get(). */
	void (*domains)(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t);
};

struct scmi_protocol_handle {
	struct scmi_instance *inst;
	const struct scmi_handle *handle;
	const struct scmi_protocol *proto;
	uint8_t id;
	uint32_t version;	   /* version in use: min(platform, ours) */
	uint32_t platform_version; /* what PROTOCOL_VERSION said */
	void *priv;		   /* the protocol's own state */
};

struct scmi_protocol_slot {
	const struct scmi_protocol *proto;
	/* Serialises bring-up and teardown of this protocol. */
	pthread_mutex_t lock;
	atomic_bool up;
	struct scmi_protocol_handle ph;
};

/** Get the brought-up protocol @id, bringing it up if needed.  -EOPNOTSUPP
 *  if the platform does not list it or libscmi does not implement it;
 *  -ESHUTDOWN while closing; errors of the bring-up otherwise (retried on
 *  the next call). */
int scmi_protocol_acquire(const struct scmi_handle *h, uint8_t id,
			  struct scmi_protocol_handle **ph);

/**
 * The one way an op finds its domain: bring protocol @proto_id up, look
 * domain @id up in its table.  -EINVAL (reason logged) for an id past the
 * table; with @usable, -EPROTO for a domain discovery disabled; errors of
 * scmi_protocol_acquire().  *@dom points at the domain's descriptor.
 */
int scmi_domain_get(const struct scmi_handle *h, uint8_t proto_id, uint32_t id, bool usable,
		    struct scmi_protocol_handle **ph, const void **dom);
/** An ops table's info_get: domain @id's descriptor (disabled ones too)
 *  into *@info, or an errno of scmi_domain_get() (-EINVAL for no @info). */
int scmi_domain_info(const struct scmi_handle *h, uint8_t proto_id, uint32_t id,
		     const void **info);
/** The number of domains of @proto_id (bringing it up), or an errno. */
int scmi_domain_count(const struct scmi_handle *h, uint8_t proto_id);

/* Protocols libscmi implements (one file each in lib/protocols/). */
extern const struct scmi_protocol scmi_base_protocol;
extern const struct scmi_protocol scmi_power_protocol;
extern const struct scmi_protocol scmi_system_protocol;
extern const struct scmi_protocol scmi_perf_protocol;
extern const struct scmi_protocol scmi_clock_protocol;
extern const struct scmi_protocol scmi_sensor_protocol;
extern const struct scmi_protocol scmi_reset_protocol;
extern const struct scmi_protocol scmi_voltage_protocol;
extern const struct scmi_protocol scmi_powercap_protocol;
extern const struct scmi_protocol scmi_pinctrl_protocol;

/* ---- xfers for protocol code -------------------------------------------- */

static inline int scmi_proto_xfer_get(const struct scmi_protocol_handle *ph, uint8_t msg_id,
				      size_t tx_size, size_t rx_size, struct scmi_xfer **x)
{
	return scmi_xfer_get_init(&ph->inst->tx_minfo, ph->id, msg_id, tx_size, rx_size,
				  ph->inst->timeout_ms, x);
}

/** Largest request payload the transport carries. */
static inline size_t scmi_proto_max_tx_size(const struct scmi_protocol_handle *ph)
{
	return ph->inst->tinfo.max_tx_size;
}

/** Can delayed responses (and notifications) arrive?  Without a P2A
 *  channel an async command fails with -EOPNOTSUPP before it is sent, so
 *  a protocol with a synchronous form falls back to it. */
static inline bool scmi_proto_has_p2a(const struct scmi_protocol_handle *ph)
{
	return ph->inst->tinfo.caps & SCMI_TRANSPORT_P2A;
}

/* ---- common helpers (lib/protocols/common.c) ------------------------------ */

/**
 * One command: send @tx_len bytes, wait, copy the response data (at most
 * @rx_max bytes) to @rx.  A response with fewer than @rx_min data bytes is
 * -EPROTO.  *@rx_len (optional) gets the data length received.
 */
int scmi_common_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
		    size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len);
/** Same for a command completed by a delayed response: @rx gets the
 *  delayed response's data. */
int scmi_common_cmd_async(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
			  size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len);

/**
 * The common shape of a *_NOTIFY command: {resource id, notify_enable b0}
 * (spec §7.2).  Used by set_notify_enabled() implementations.
 */
int scmi_common_notify_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, uint32_t res_id,
			   bool enable);

/** PROTOCOL_ATTRIBUTES: at least @min bytes into @buf (at most @size). */
int scmi_common_attributes(const struct scmi_protocol_handle *ph, void *buf, size_t min,
			   size_t size);
/** PROTOCOL_MESSAGE_ATTRIBUTES of @msg_id.  -ENOENT: not implemented. */
int scmi_common_msg_attributes(const struct scmi_protocol_handle *ph, uint8_t msg_id,
			       uint32_t *attributes);
/** Is message @msg_id implemented by the platform? */
bool scmi_common_msg_supported(const struct scmi_protocol_handle *ph, uint8_t msg_id);

/**
 * *_NAME_GET (spec §5): request {res_id[, flags]}, reply {flags, name[64]}.
 * On success @name (of @size bytes) holds the extended name; on failure it
 * is left untouched (callers keep the short name).
 */
int scmi_common_ext_name_get(const struct scmi_protocol_handle *ph, uint8_t msg_id, uint32_t res_id,
			     const uint32_t *flags, char *name, size_t size);

/* ---- fastchannels (spec §2.8, lib/protocols/fastchannel.c) -------------- */

/** A mapped fastchannel; chan == NULL means "use messages". */
struct scmi_fastchannel {
	volatile void *chan;   /* the channel window */
	size_t size;	       /* its size (4 or 8 bytes) */
	volatile void *db;     /* doorbell register, or NULL */
	unsigned int db_width; /* 8, 16, 32 or 64 bits */
	uint64_t db_set;
	uint64_t db_preserve;
	uint32_t rate_limit_us;
};

/**
 * DESCRIBE_FASTCHANNEL (@describe_msg_id) for (@domain, @msg_id), check the
 * reply (channel size must be @size, doorbell width and masks consistent),
 * and map channel and doorbell through the transport.  Call it only when
 * PROTOCOL_MESSAGE_ATTRIBUTES(@msg_id) b0 and the domain's fastchannel bit
 * say so.  0 with @fc usable; -EOPNOTSUPP when the transport cannot map it;
 * -EPROTO for a bad description; other errors of the command.  On error
 * @fc is zeroed (use messages).
 */
int scmi_fastchannel_init(const struct scmi_protocol_handle *ph, uint8_t describe_msg_id,
			  uint32_t domain, uint8_t msg_id, size_t size,
			  struct scmi_fastchannel *fc);
void scmi_fastchannel_release(const struct scmi_protocol_handle *ph, struct scmi_fastchannel *fc);
/** Little-endian 32-bit access to the channel at byte offset @off. */
uint32_t scmi_fastchannel_read32(const struct scmi_fastchannel *fc, size_t off);
void scmi_fastchannel_write32(const struct scmi_fastchannel *fc, size_t off, uint32_t val);
/** Ring the doorbell (if any) after writing a "set" channel. */
void scmi_fastchannel_ring_doorbell(const struct scmi_fastchannel *fc);

/* ---- multi-part enumerations (spec §4) ------------------------------------ */

struct scmi_iter_ops {
	/** Build the request for the reply starting at entry @index. */
	void (*prepare)(void *tx, unsigned int index, void *priv);
	/** Decode the count word(s) of a reply: entries returned and
	 *  remaining, and the offset of the first entry.  Check rx_len. */
	int (*update)(const uint8_t *rx, size_t rx_len, unsigned int *returned,
		      unsigned int *remaining, size_t *entries_off, void *priv);
	/** Consume entry @index (the @i-th of this reply) at rx + *off and
	 *  advance *off past it; check it fits in rx_len.  May return 1 to
	 *  stop the walk after this entry (e.g. a range triplet consumed). */
	int (*entry)(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
		     unsigned int i, void *priv);
};

struct scmi_iter_desc {
	uint8_t msg_id;
	size_t tx_size;
	/** Entries the caller can store (0: no limit); entry indices passed
	 *  to the entry callback stay below it. */
	unsigned int max_entries;
	const struct scmi_iter_ops *ops;
};

/**
 * Walk a multi-part enumeration (spec §4): index 0, then index += returned.
 *
 * Strict where memory is at stake, lenient about the counts (real firmware
 * miscounts "remaining", e.g. OP-TEE's VOLTAGE_DESCRIBE_LEVELS):
 * - the first reply's returned + remaining, capped at @desc->max_entries,
 *   is the capacity: a reply returning more entries than fit in what is
 *   left of it is -EPROTO (the callbacks check every entry against
 *   rx_len; callbacks that size a table from the first reply size it
 *   within max_entries too).  A larger announcement alone is not an
 *   error: "remaining" is often miscounted;
 * - the walk ends at remaining == 0, at a reply with returned == 0
 *   (whatever remaining says), or -- after the first reply -- when the
 *   platform answers INVALID_PARAMETERS, OUT_OF_RANGE or NOT_FOUND for the
 *   next index: the entries listed so far are the table;
 * - counts that change between replies are tolerated; one warning is
 *   logged when the walk ended inconsistently (fewer entries than
 *   announced, or changing counts).
 * A failed first reply, any other error status, a timeout or an error of
 * the callbacks fails the walk with that error.  *@total (optional) gets
 * the number of entries listed (0 is possible: callers whose table must
 * not be empty check it).
 */
int scmi_common_iter_run(const struct scmi_protocol_handle *ph, const struct scmi_iter_desc *desc,
			 void *priv, unsigned int *total);

/**
 * Did a discovery command fail because of what the platform answered -- an
 * error status, a malformed or inconsistent reply (-EPROTO), a table larger
 * than libscmi keeps (-E2BIG) -- rather than for want of an answer
 * (timeout, transport, memory, closing)?  Call it right after the failure:
 * it reads the calling thread's scmi_last_status().
 *
 * Such a failure concerns the one resource being described: protocols
 * disable that resource (or drop that one table) with a warning and carry
 * on; the other failures fail the bring-up, which is retried on the next
 * call.  See "Leniency" in docs/PROTOCOLS.md.
 */
bool scmi_common_bad_answer(int ret);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal interface of the SCMI platform simulator (sim/).
 *
 * Nothing here may come from lib/ or any libscmi header other than
 * <scmi-sim/sim.h>: the simulator keeps its own constants, encoders and decoders,
 * taken from the spec digest, so one misreading cannot hide on both sides.
 *
 * How to add a protocol model
 * ===========================
 * 1. Write sim/<name>.c defining one descriptor:
 *
 *        const struct sim_proto_ops sim_<name>_ops = {
 *                .id = SIM_PROTO_<NAME>,
 *                .name = "<name>",
 *                .versions = <name>_versions,     // 0-terminated, ascending
 *                .negotiate_since = SIM_VERSION(x, y), // 0: no NEGOTIATE
 *                .cmds = <name>_cmds,             // protocol-specific commands
 *                .num_cmds = SIM_ARRAY_SIZE(<name>_cmds),
 *                .init = <name>_init,             // allocate p->state
 *                .fini = <name>_fini,
 *                .attributes = <name>_attributes, // PROTOCOL_ATTRIBUTES data
 *                .msg_attributes = ...,           // optional attribute bits
 *        };
 *
 *    The core answers PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES (via the
 *    callback), PROTOCOL_MESSAGE_ATTRIBUTES and NEGOTIATE_PROTOCOL_VERSION,
 *    and applies the platform rules before a command handler runs: unknown
 *    protocol -> NOT_SUPPORTED, message id absent from the table (or newer
 *    than the version in use) -> NOT_FOUND, request payload size other than
 *    sim_cmd.req_len -> PROTOCOL_ERROR.  A handler reads the request with
 *    sim_req_u32() and answers with sim_reply_*(); an error reply carries
 *    the status word only.  ctx->version is the version whose layouts apply
 *    (the negotiated one after NEGOTIATE_PROTOCOL_VERSION).
 * 2. Add one line SIM_MODEL(<name>) to sim/models.h, and the file to the
 *    source list in sim/CMakeLists.txt.
 * 3. The profiles (profile.c) already carry every standard protocol's
 *    version; the model must speak both profiles' versions.
 * 4. *_NOTIFY commands record the agent's request with sim_notify_request();
 *    platform events go out with sim_notify(), which sends only while the
 *    agent has the (proto, evt, src) triple enabled.  Async commands queue
 *    their delayed response with sim_reply_delayed(): it is emitted after the
 *    response, with an optional delay, and the fault layer may reorder it.
 * 5. Test-facing functions (scmi_sim_<name>_*) go in <scmi-sim/sim.h>; each
 *    takes sim->lock (sim_lock()/sim_unlock()) and finds its state with
 *    sim_model_state().  Model code runs with the lock held and must never
 *    call a public scmi_sim_* function.
 *
 * Locking: sim->lock (struct scmi_sim) serialises every public entry point,
 * model code and the emit callback.  The runner's locks (runner.c) are taken
 * after it, never before.
 */
#ifndef SCMI_SIM_INTERNAL_H
#define SCMI_SIM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uthash.h>

#include <scmi-sim/sim.h>

#define SIM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- wire constants (spec digest §1, §3) ------------------------------ */

/* Header fields, §1.1: id b[7:0], type b[9:8], protocol b[17:10], token b[27:18]. */
#define SIM_HDR_ID(h)	   ((uint8_t)(0xFFu & (h)))
#define SIM_HDR_TYPE(h)	   ((uint8_t)(((h) >> 8) & 0x3u))
#define SIM_HDR_PROTO(h)   ((uint8_t)(((h) >> 10) & 0xFFu))
#define SIM_HDR_TOKEN(h)   ((uint16_t)(((h) >> 18) & 0x3FFu))
#define SIM_HDR_TOKEN_MASK (0x3FFu << 18)
#define SIM_HDR_TYPE_MASK  (0x3u << 8)
#define SIM_TOKEN_MASK	   0x3FFu
#define SIM_HDR_SIZE	   4u
#define SIM_STATUS_SIZE	   4u
/* Header + status: what precedes the data of a (delayed) response. */
#define SIM_RESP_OVERHEAD (SIM_HDR_SIZE + SIM_STATUS_SIZE)

static inline uint32_t sim_hdr(uint8_t id, uint8_t type, uint8_t proto, uint16_t token)
{
	return (uint32_t)id | (uint32_t)(type & 0x3u) << 8 | (uint32_t)proto << 10 |
	       (uint32_t)(token & SIM_TOKEN_MASK) << 18;
}

/* Message types, §1.2. */
enum sim_msg_type {
	SIM_TYPE_COMMAND = 0,
	SIM_TYPE_DELAYED_RESPONSE = 2,
	SIM_TYPE_NOTIFICATION = 3,
};

/* Status codes, §1.3. */
enum sim_status {
	SIM_SUCCESS = 0,
	SIM_NOT_SUPPORTED = -1,
	SIM_INVALID_PARAMETERS = -2,
	SIM_DENIED = -3,
	SIM_NOT_FOUND = -4,
	SIM_OUT_OF_RANGE = -5,
	SIM_BUSY = -6,
	SIM_COMMS_ERROR = -7,
	SIM_GENERIC_ERROR = -8,
	SIM_HARDWARE_ERROR = -9,
	SIM_PROTOCOL_ERROR = -10,
};

/* Protocol ids, §3.1. */
enum sim_proto_id {
	SIM_PROTO_BASE = 0x10,
	SIM_PROTO_POWER = 0x11,
	SIM_PROTO_SYSTEM = 0x12,
	SIM_PROTO_PERF = 0x13,
	SIM_PROTO_CLOCK = 0x14,
	SIM_PROTO_SENSOR = 0x15,
	SIM_PROTO_RESET = 0x16,
	SIM_PROTO_VOLTAGE = 0x17,
	SIM_PROTO_POWERCAP = 0x18,
	SIM_PROTO_PINCTRL = 0x19,
	SIM_PROTO_VENDOR_FIRST = 0x80,
};
#define SIM_PROTO_STD_FIRST SIM_PROTO_BASE
#define SIM_PROTO_STD_LAST  SIM_PROTO_PINCTRL

/* Common messages of every protocol, §3.2. */
enum sim_common_msg {
	SIM_MSG_PROTOCOL_VERSION = 0x0,
	SIM_MSG_PROTOCOL_ATTRIBUTES = 0x1,
	SIM_MSG_PROTOCOL_MESSAGE_ATTRIBUTES = 0x2,
	SIM_MSG_NEGOTIATE_PROTOCOL_VERSION = 0x10,
};

#define SIM_VERSION(major, minor) ((uint32_t)(major) << 16 | (uint32_t)(minor))
#define SIM_VERSION_MAJOR(v)	  ((uint16_t)((v) >> 16))
#define SIM_VERSION_MINOR(v)	  ((uint16_t)(0xFFFFu & (v)))

/* Short name field (§5): 16 bytes, NUL-padded, not terminated when full. */
#define SIM_SHORT_NAME_SIZE 16u

/* Smallest max_msg_size accepted: the largest fixed-size reply in the digest
 * (a flags word and a 64-byte extended name, §5) must always fit. */
#define SIM_MSG_SIZE_MIN     68u
#define SIM_MSG_SIZE_MAX     65536u
#define SIM_MSG_SIZE_DEFAULT 128u
/* BAD_LENGTH may grow a message by at most this much; output buffers keep
 * that much slack so the fault layer never reallocates. */
#define SIM_FAULT_LEN_MAX 1024

/* ---- little-endian accessors (never cast structs over buffers) -------- */

static inline uint32_t sim_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void sim_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void sim_put_le64(uint8_t *p, uint64_t v)
{
	sim_put_le32(p, (uint32_t)v);
	sim_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* ---- protocol registry ------------------------------------------------ */

struct scmi_sim;
struct sim_ctx;
struct sim_proto;

/** Exact request payload size is checked by the handler (sim_req_len_is()). */
#define SIM_REQ_LEN_ANY (-1)

/** One protocol-specific command a model implements. */
struct sim_cmd {
	uint8_t id;
	/** First protocol version that has the command (NOT_FOUND below). */
	uint32_t since;
	/** Exact request payload size in bytes, or SIM_REQ_LEN_ANY when it
	 *  depends on the version or the contents. */
	int req_len;
	void (*handle)(struct sim_ctx *ctx);
	/** First protocol version without the command (NOT_FOUND from
	 *  there on); 0 = still present in every later version. */
	uint32_t until;
};

/** A protocol model: one per file, listed in sim/models.h. */
struct sim_proto_ops {
	uint8_t id;
	const char *name;
	/** Versions the model can speak, ascending, 0-terminated; NULL = any
	 *  (vendor protocols). */
	const uint32_t *versions;
	/** First version that implements NEGOTIATE_PROTOCOL_VERSION; 0 = none. */
	uint32_t negotiate_since;
	/** Protocol-specific commands (ids other than the common ones). */
	const struct sim_cmd *cmds;
	size_t num_cmds;
	/** Allocate and fill p->state with the default platform; 0 or -errno. */
	int (*init)(struct sim_proto *p);
	/** Free p->state. */
	void (*fini)(struct sim_proto *p);
	/** Reply data of PROTOCOL_ATTRIBUTES; NULL: one zero word. */
	void (*attributes)(struct sim_ctx *ctx);
	/** Attribute bits of PROTOCOL_MESSAGE_ATTRIBUTES for an implemented
	 *  message; NULL: 0. */
	uint32_t (*msg_attributes)(struct sim_ctx *ctx, uint8_t msg_id);
	/** Optional: BASE_RESET_AGENT_CONFIGURATION for @agent_id accepted;
	 *  drop the settings that agent made. */
	void (*agent_reset)(struct sim_proto *p, uint32_t agent_id);
	/** Optional: look at shared memory (fastchannels, doorbells) for
	 *  agent writes; run by scmi_sim_poll() with the lock held. */
	void (*poll)(struct sim_proto *p);
};

/** A protocol as the platform presents it. */
struct sim_proto {
	const struct sim_proto_ops *ops;
	struct scmi_sim *sim;
	uint8_t id;
	/** Version the platform claims (PROTOCOL_VERSION). */
	uint32_t version;
	/** Version whose layouts are used: @version, or the negotiated one. */
	uint32_t active;
	/** Listed and answered; hidden protocols get NOT_SUPPORTED. */
	bool present;
	/** Model state, owned by ops->init / ops->fini. */
	void *state;
};

/* X-macro: one SIM_MODEL(name) per built-in model, in sim/models.h. */
#define SIM_MODEL(n) extern const struct sim_proto_ops sim_##n##_ops;
#include "models.h"
#undef SIM_MODEL

/**
 * Register a model on a live simulator (the built-in ones are registered by
 * scmi_sim_new(); tests use this for models of their own).  The protocol is
 * present and claims @version.  Takes sim->lock.  0, -EEXIST, -EINVAL
 * (@version not spoken by the model), -ENOMEM, or the init error.
 */
int sim_model_register(struct scmi_sim *sim, const struct sim_proto_ops *ops, uint32_t version);
/** As sim_model_register(), under protocol id @id instead of ops->id (one
 *  model serving several vendor ids). */
int sim_model_register_as(struct scmi_sim *sim, const struct sim_proto_ops *ops, uint8_t id,
			  uint32_t version);
/** Remove model @id (tests that want a bare platform).  Takes sim->lock. */
void sim_model_unregister(struct scmi_sim *sim, uint8_t id);
/** The protocol with id @id, or NULL when not modelled.  Lock held. */
struct sim_proto *sim_proto_get(struct scmi_sim *sim, uint8_t id);
/** State of model @id (NULL when not modelled).  Lock held. */
void *sim_model_state(struct scmi_sim *sim, uint8_t id);
/** Newest version the model speaks that is <= @version (its layouts are
 *  used when the platform claims @version); 0 if none. */
uint32_t sim_proto_layout(const struct sim_proto_ops *ops, uint32_t version);
/** Can the model speak @version? */
bool sim_proto_speaks(const struct sim_proto_ops *ops, uint32_t version);
/** Does @p implement message @id in the version in use (common messages
 *  included)?  What PROTOCOL_MESSAGE_ATTRIBUTES answers SUCCESS for. */
bool sim_msg_implemented(const struct sim_proto *p, uint8_t id);
/** Protocols the platform lists (present, Base excluded), ascending; returns
 *  the count, writes at most @cap ids.  Lock held. */
size_t sim_protocols_listed(struct scmi_sim *sim, uint8_t *ids, size_t cap);

/* ---- output messages and the request context -------------------------- */

/* Outputs one request can produce: the response, duplicates are made by the
 * fault layer from the same slot; the rest are delayed responses and
 * notifications queued by the model. */
#define SIM_OUT_MAX	 256
#define SIM_OUT_PREALLOC 8

struct sim_out {
	enum scmi_sim_chan chan;
	uint8_t type; /* enum sim_msg_type */
	uint8_t proto;
	uint8_t msg_id;
	uint16_t token;
	uint64_t delay_us;
	size_t len;   /* bytes used in buf: header + payload */
	uint8_t *buf; /* sim->out_cap bytes, preallocated */
};

/** The command being processed, handed to a handler. */
struct sim_ctx {
	struct scmi_sim *sim;
	struct sim_proto *proto;
	/** Version whose message layouts apply. */
	uint32_t version;
	uint8_t msg_id;
	uint16_t token;
	const uint8_t *req; /* request payload (after the header) */
	size_t req_len;
	struct sim_out *resp;
	int32_t status;
	size_t data_len; /* reply data after the status word */
};

/* Reading the request: the core has checked the size for fixed-size
 * commands; out-of-range reads still return 0 rather than overrun. */
uint32_t sim_req_u32(const struct sim_ctx *ctx, size_t off);
/** For SIM_REQ_LEN_ANY commands: true if the payload is exactly @len bytes,
 *  else answers PROTOCOL_ERROR and returns false. */
bool sim_req_len_is(struct sim_ctx *ctx, size_t len);

/* Building the reply.  Data is bounded by max_msg_size: a reply that does
 * not fit becomes GENERIC_ERROR (status only), as a platform whose buffer
 * is too small cannot answer. */
/** Append @n zeroed bytes; NULL when the reply already failed or is full. */
uint8_t *sim_reply_put(struct sim_ctx *ctx, size_t n);
void sim_reply_u32(struct sim_ctx *ctx, uint32_t v);
/** A 16-byte short-name field (§5): NUL-padded, no NUL when 16 chars. */
void sim_reply_name(struct sim_ctx *ctx, const char *name);
/** Bytes of data still available in this reply. */
size_t sim_reply_room(const struct sim_ctx *ctx);
/** Fail the command: the reply becomes the status word alone. */
void sim_reply_error(struct sim_ctx *ctx, int32_t status);

/**
 * Queue the delayed response (type 2, same message id and token) of the
 * command being processed: emitted after the response, @delay_us later.
 * @data (@len bytes) follows the status.  0, -EMSGSIZE, -ENOSPC.
 */
int sim_reply_delayed(struct sim_ctx *ctx, int32_t status, const void *data, size_t len,
		      uint64_t delay_us);

/* ---- notifications ---------------------------------------------------- */

/** Record an accepted *_NOTIFY request of the agent for (proto, evt, src).
 *  0 or -ENOMEM. */
int sim_notify_request(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src, bool enable);
bool sim_notify_is_enabled(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src);
/** Forget every enable (not the counters). */
void sim_notify_clear(struct scmi_sim *sim);
void sim_notify_free(struct scmi_sim *sim);
/**
 * Send notification @evt of @proto if the agent enabled it for @src.  During
 * a command it is queued after the response; otherwise emitted at once.
 * Returns 1 if sent, 0 if not enabled, -EMSGSIZE (@len > max_msg_size),
 * -ENOSPC.
 */
int sim_notify(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src, const void *payload,
	       size_t len, uint64_t delay_us);
/** As sim_notify() without the enable check (floods, misbehaving platform). */
int sim_notify_emit(struct scmi_sim *sim, uint8_t proto, uint8_t evt, const void *payload,
		    size_t len, uint64_t delay_us);

/* ---- fault layer (fault.c) -------------------------------------------- */

#define SIM_FAULT_MAX 16

struct sim_fault_knob {
	struct scmi_sim_fault f;
	uint64_t seen; /* matching messages so far */
	uint64_t hits; /* applications so far */
};

struct sim_faults {
	struct sim_fault_knob knobs[SIM_FAULT_MAX];
	unsigned int n;
	uint64_t hits[SCMI_SIM_FAULT__COUNT]; /* since creation */
};

/** Pass the outputs of one request (outs[0] the response) or one
 *  platform-initiated message through the armed knobs to sim_out_deliver(). */
void sim_fault_run(struct scmi_sim *sim, struct sim_out *outs, size_t n);
/** STATUS knobs, before the model runs: true when a knob answered the
 *  command in @ctx (its status is set), so the model must not run. */
bool sim_fault_status(struct scmi_sim *sim, struct sim_ctx *ctx);

/* ---- shared memory (memory.c) -------------------------------------------- */

/* The simulator's "physical" window for fastchannels and doorbells. */
#define SIM_MEM_PHYS_BASE 0x50000000ull
#define SIM_MEM_SIZE	  (64u * 1024u)

/** The region: @ext (scmi_sim_config.shared_mem) or memory of its own. */
int sim_mem_init(struct scmi_sim *sim, void *ext, size_t ext_size);
void sim_mem_free(struct scmi_sim *sim);
/** From now on, poll models (scmi_sim_poll) regularly: call after handing
 *  shared memory to the agent.  Any context. */
void sim_poll_request(struct scmi_sim *sim);
/** Carve @size bytes (8-byte aligned, zeroed) from the region: its
 *  physical address and the simulator's pointer.  Lock held.  -ENOSPC. */
int sim_mem_alloc(struct scmi_sim *sim, size_t size, uint64_t *phys, void **ptr);

/* Words in agent-shared memory (fastchannels, doorbell registers) are
 * little-endian, like everything on the wire: SIM_LE16/32/64 turn a host
 * value into its stored form and back (the same swap both ways). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SIM_LE16(v) __builtin_bswap16(v)
#define SIM_LE32(v) __builtin_bswap32(v)
#define SIM_LE64(v) __builtin_bswap64(v)
#else
#define SIM_LE16(v) ((uint16_t)(v))
#define SIM_LE32(v) ((uint32_t)(v))
#define SIM_LE64(v) ((uint64_t)(v))
#endif

/* Agent-shared memory is written by other threads: atomic accesses only. */
static inline uint32_t sim_mem_read32(const void *p)
{
	return SIM_LE32(__atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE));
}

static inline void sim_mem_write32(void *p, uint32_t v)
{
	__atomic_store_n((uint32_t *)p, SIM_LE32(v), __ATOMIC_RELEASE);
}

/** Read and clear a doorbell of @width bits (8, 16, 32, 64): its value. */
static inline uint64_t sim_mem_doorbell_take(void *p, unsigned int width)
{
	switch (width) {
	case 8:
		return __atomic_exchange_n((uint8_t *)p, 0, __ATOMIC_ACQ_REL);
	case 16:
		return SIM_LE16(__atomic_exchange_n((uint16_t *)p, 0, __ATOMIC_ACQ_REL));
	case 32:
		return SIM_LE32(__atomic_exchange_n((uint32_t *)p, 0, __ATOMIC_ACQ_REL));
	default:
		return SIM_LE64(__atomic_exchange_n((uint64_t *)p, 0, __ATOMIC_ACQ_REL));
	}
}

/* ---- the simulator ---------------------------------------------------- */

struct sim_notify_entry;

struct scmi_sim {
	/* Serialises every public entry point, model code and emit. */
	pthread_mutex_t lock;

	size_t max_msg_size;
	uint32_t agent_id;
	unsigned int max_list_items;

	scmi_sim_emit_fn emit;
	void *emit_priv;

	struct sim_proto *protos[256];
	struct sim_notify_entry *notify; /* uthash by (proto, evt, src) */

	/* Outputs under construction; only one request at a time (lock). */
	struct sim_out outs[SIM_OUT_MAX];
	size_t n_outs;
	size_t out_cap;
	bool in_request;
	/* First word of the request in progress (0xFFFFFFFF: none); the fault
	 * layer uses it to tell which resource a reply is about. */
	uint32_t req_word0;

	struct sim_faults faults;
	struct scmi_sim_stats stats;

	/* Shared memory region (memory.c). */
	uint8_t *mem;
	size_t mem_used;
	bool mem_external; /* the creator's (scmi_sim_config.shared_mem) */
	atomic_bool poll_wanted;

	/* Virtual time (vtime.c): the clock, and the delayed outputs held
	 * until an advance reaches them. */
	bool vtime;
	uint64_t vnow_ns;
	struct sim_vt_msg *vq;
	size_t vq_n, vq_cap;
	uint64_t vq_seq;
};

void sim_lock(struct scmi_sim *sim);
void sim_unlock(struct scmi_sim *sim);

/** A fresh output slot (header written from the arguments, len = header +
 *  status for responses/delayed responses, header only for notifications).
 *  NULL when SIM_OUT_MAX is reached. */
struct sim_out *sim_out_new(struct scmi_sim *sim, uint8_t type, uint8_t proto, uint8_t msg_id,
			    uint16_t token);
/** Outside a request, send the queued outputs now (inside, the core sends
 *  them when the command is done). */
void sim_out_flush(struct scmi_sim *sim);
/** Final stage: in virtual time a delayed message is held (vtime.c);
 *  otherwise sim_out_emit().  @len >= SIM_HDR_SIZE. */
void sim_out_deliver(struct scmi_sim *sim, enum scmi_sim_chan chan, const uint8_t *buf, size_t len,
		     uint64_t delay_us);
/** Count one message (by the type in its header) and hand it to the emit
 *  callback. */
void sim_out_emit(struct scmi_sim *sim, enum scmi_sim_chan chan, const uint8_t *buf, size_t len,
		  uint64_t delay_us);

/* ---- time (vtime.c) ----------------------------------------------------- */

struct sim_vt_msg;

/** The platform's clock in ns: CLOCK_MONOTONIC, or the virtual clock.  Every
 *  model reads time through it.  Lock held in virtual time. */
uint64_t sim_now_ns(const struct scmi_sim *sim);
/** Virtual time: keep a message due @delay_us from now; true if held. */
bool sim_vtime_hold(struct scmi_sim *sim, enum scmi_sim_chan chan, const uint8_t *buf, size_t len,
		    uint64_t delay_us);
void sim_vtime_free(struct scmi_sim *sim);
/** Run every model's poll hook; lock held. */
void sim_poll_locked(struct scmi_sim *sim);

/* ---- Base model services for other models (base.c) ------------------- */

/** May the connected agent use @device (@proto 0: at all; else protocol
 *  @proto on it), after the BASE_SET_*_PERMISSIONS it has been given?  A
 *  model answers DENIED when not.  Lock held. */
bool sim_base_access_allowed(struct scmi_sim *sim, uint32_t device, uint8_t proto);
/**
 * The device rule of every model (the mapping is in <scmi-sim/sim.h>): resource
 * @id of protocol @proto is Base device @id; ids past the Base model's
 * devices are not restricted.  True while the connected agent may use it.
 */
bool sim_resource_allowed(struct scmi_sim *sim, uint8_t proto, uint32_t id);
/**
 * For command handlers, right after the NOT_FOUND check of the resource the
 * command names: answers DENIED and returns false when the agent lost the
 * device (every message naming the resource, reads and *_NOTIFY included,
 * as SCP-firmware's resource permissions do).  Lock held.
 */
bool sim_resource_check(struct sim_ctx *ctx, uint32_t id);

/* ---- profiles (profile.c) --------------------------------------------- */

/** Apply a named profile; lock held.  0 or -EINVAL. */
int sim_profile_apply_locked(struct scmi_sim *sim, const char *name);

#endif /* SCMI_SIM_INTERNAL_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The private side of a handle (internal), and small helpers shared by the
 * core files.
 */
#ifndef SCMI_LIB_COMMON_H
#define SCMI_LIB_COMMON_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <scmi/errors.h>
#include <scmi/handle.h>
#include <scmi/trace.h>
#include <scmi/transport.h>

#include "byteorder.h"
#include "log.h"
#include "loop.h"
#include "xfer.h"

#define ARRAY_SIZE(a)			(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define DIV_ROUND_UP(n, d)		(((n) + (d)-1) / (d))

struct scmi_instance;
struct scmi_protocol_slot;
struct scmi_notify_instance;
struct scmi_raw_core;

/** Core-side context handed to the transport. */
struct scmi_chan {
	struct scmi_instance *inst;
};

/** Counters of one handle; relaxed atomics, read by scmi_stats_get(). */
struct scmi_counters {
	atomic_uint_fast64_t sent;
	atomic_uint_fast64_t responses;
	atomic_uint_fast64_t delayed_responses;
	atomic_uint_fast64_t timeouts;
	atomic_uint_fast64_t dresp_timeouts;
	atomic_uint_fast64_t drop_unknown_token;
	atomic_uint_fast64_t drop_bad_state;
	atomic_uint_fast64_t drop_bad_length;
	atomic_uint_fast64_t drop_bad_type;
	atomic_uint_fast64_t xfer_exhausted;
	atomic_uint_fast64_t notifications;
	atomic_uint_fast64_t late_replies;
	atomic_uint_fast64_t tokens_exhausted;
	/* The Linux debug counters libscmi had no field for (lib/trace.c). */
	atomic_uint_fast64_t sent_fail;
	atomic_uint_fast64_t sent_fail_channel_not_found;
	atomic_uint_fast64_t response_polled_ok; /* also in responses */
	atomic_uint_fast64_t polled_timeouts;	 /* also in timeouts */
	atomic_uint_fast64_t err_protocol;
	atomic_uint_fast64_t err_msg_nomem;
};

#define scmi_count(inst, field) \
	atomic_fetch_add_explicit(&(inst)->stats.field, 1, memory_order_relaxed)

struct scmi_instance {
	struct scmi_handle handle; /* public part */
	struct scmi_revision_info rev;
	struct scmi_logger log;
	char open_error[SCMI_ERROR_MSG_MAX]; /* log.capture while opening */
	struct scmi_config cfg;		     /* copy; event_queues copied too */
	unsigned int timeout_ms;
	unsigned int dresp_timeout_ms;

	struct scmi_loop loop;
	struct scmi_chan chan;
	const struct scmi_transport_desc *tdesc;
	const struct scmi_transport_ops *tops;
	void *tpriv;
	struct scmi_transport_info tinfo;
	bool transport_open;
	bool probing; /* scmi_probe(): the transport only */

	struct scmi_xfers_info tx_minfo;
	struct scmi_xfers_info rx_minfo;
	struct scmi_counters stats;
	/* Trace hook (lib/trace.c): trace_fn is read without the lock to
	 * test for a hook; called, and changed, under trace_lock. */
	_Atomic(scmi_trace_fn) trace_fn;
	void *trace_priv;
	pthread_rwlock_t trace_lock;

	/* Brought-up protocols, one slot per protocol libscmi implements. */
	struct scmi_protocol_slot *protos;
	size_t num_protos;
	/* Bound vendor protocols (lib/vendor.c): set by scmi_open(), fixed
	 * afterwards. */
	struct scmi_vendor_instance *vendor;

	struct scmi_notify_instance *notify;
	/* Non-blocking requests (lib/request.c). */
	struct scmi_req_engine *reqs;

	/* Raw mode (lib/raw.c): made by the first raw call; raw_flags says
	 * what its sessions want from the RX path (SCMI_RAW_WANT_*). */
	_Atomic(struct scmi_raw_core *) raw;
	atomic_uint raw_flags;

	/* Active quirks (1 << enum scmi_quirk_id, lib/quirks.h): set by
	 * scmi_open() after Base discovery, read-only afterwards. */
	uint32_t quirks;

	/*
	 * Closing (scmi_close(), lib/handle.c).  closing: set once, new calls
	 * are refused.  aborting: while scmi_close() waits for the calls in
	 * progress, every wait of theirs ends with -ESHUTDOWN; cleared when
	 * they are gone so that close itself can still send commands.
	 * calls: public calls in progress (lib/entry.c).
	 * close_lock protects waiters and pairs with close_cond (the calls
	 * drained).  Lock order: close_lock, then a waiter's lock.
	 */
	atomic_bool close_started;
	atomic_bool closing;
	atomic_bool aborting;
	atomic_uint calls;
	pthread_mutex_t close_lock;
	pthread_cond_t close_cond;
	struct scmi_waiter *waiters;
};

/**
 * A wait outside the xfer pools that scmi_close() must be able to end
 * (e.g. a protocol waiting for a notification).  Register it, then wait on
 * @cond under @lock while !scmi_inst_aborting(); close broadcasts @cond
 * under @lock after setting aborting.
 */
struct scmi_waiter {
	pthread_mutex_t *lock;
	pthread_cond_t *cond;
	struct scmi_waiter *prev, *next;
};

void scmi_waiter_add(struct scmi_instance *inst, struct scmi_waiter *w);
void scmi_waiter_del(struct scmi_instance *inst, struct scmi_waiter *w);

/** Is the handle closing, so that waits must end with -ESHUTDOWN? */
static inline bool scmi_inst_aborting(const struct scmi_instance *inst)
{
	return atomic_load_explicit(&inst->aborting, memory_order_acquire);
}

static inline struct scmi_instance *scmi_inst(const struct scmi_handle *h)
{
	return container_of(h, struct scmi_instance, handle);
}

/* ---- little-endian access to wire buffers ---------------------------- */

static inline uint32_t scmi_get_le32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint16_t scmi_get_le16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

/** A u64 sent as two u32 words, low word first. */
static inline uint64_t scmi_get_le64(const void *p)
{
	return (uint64_t)scmi_get_le32(p) | ((uint64_t)scmi_get_le32((const uint8_t *)p + 4) << 32);
}

static inline void scmi_put_le32(void *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void scmi_put_le64(void *p, uint64_t v)
{
	scmi_put_le32(p, (uint32_t)v);
	scmi_put_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

/* ---- time ---------------------------------------------------------------- */

static inline uint64_t scmi_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/** Absolute CLOCK_MONOTONIC deadline @ms from now. */
static inline struct timespec scmi_deadline_ms(unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/** Initialise a condition variable on CLOCK_MONOTONIC. */
void scmi_cond_init_monotonic(pthread_cond_t *cond);

/** Remember the raw status of the calling thread's last command. */
void scmi_set_last_status(int32_t status);

/** Copy a fixed-size name field of @src_size bytes from the wire: at most
 *  @src_size - 1 characters (spec §5), always NUL-terminated in @dst. */
void scmi_copy_name(char *dst, size_t dst_size, const void *src, size_t src_size);

#endif

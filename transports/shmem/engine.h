/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The channel engine of the shared-memory transports (internal): shmem://
 * (transports/shmem/shmem.c) and uio:// (transports/uio-mailbox/uio.c).
 * Each maps its areas and doorbell its own way and hands them here; the
 * engine does the rest:
 *
 *   - one channel per A2P area (the default one, one per protocol named in
 *     the URI), each with an optional P2A area; the protocol -> channel map;
 *   - send: wait (bounded, with back-off) for the platform to free the A2P
 *     area, write the command (scmi_shmem_tx_prepare()), ring the doorbell;
 *   - completion by polling (poll_done(), fetch on the caller's thread) or,
 *     with an interrupt, by scanning: a channel with a command outstanding
 *     whose area is done is reported with scmi_rx_callback();
 *   - P2A: a scan takes every waiting message, reports it and acknowledges
 *     the area (FREE), also when the core dropped it;
 *   - a timer on the handle's loop running the scans (the P2A polling
 *     period; with an interrupt, the safety net for a missed one);
 *   - a failed channel (device gone): every command in flight and every
 *     later send fail with one errno, logged once.
 *
 * The transport's private data begins with a struct shmem_engine, so that
 * the engine's op functions below take the transport's @priv as they are.
 */
#ifndef SCMI_TRANSPORTS_SHMEM_ENGINE_H
#define SCMI_TRANSPORTS_SHMEM_ENGINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include <scmi/shmem.h>
#include <scmi/transport.h>

#include "config.h"

struct shmem_echan {
	uint8_t protocol; /* 0: the default channel */
	struct scmi_shmem a2p, p2a;
	bool has_p2a;
	/* Serialises senders of the A2P area (the core sends one command per
	 * channel at a time; this only guards against a misuse). */
	pthread_mutex_t lock;
	/* With an interrupt: the A2P area between a send writing it and the
	 * RX thread's completion scan; guards @pending. */
	pthread_mutex_t rx_lock;
	/* With an interrupt: the header of the command outstanding on the
	 * area, with bit 32 set; 0 when none. */
	uint64_t pending;
	bool busy_logged; /* "still busy" logged since the area was last free */
	bool intr_logged; /* P2A completion doorbell asked for: said once (RX thread) */
};

struct shmem_engine {
	struct scmi_chan *chan;
	const char *name; /* log prefix: "shmem", "uio" */
	struct shmem_echan chans[SHMEM_MAX_CHANNELS];
	unsigned int num_chans;
	uint8_t chan_of[256]; /* protocol id -> index in chans[] */
	/* The doorbell register, NULL without one. */
	volatile void *db;
	unsigned int db_width;
	uint64_t db_set, db_preserve;
	/* Completions are reported by the scans (an interrupt), not polled. */
	bool irq;
	uint64_t period_ms; /* of the scan timer */
	uv_timer_t timer;
	bool timer_init;
	uv_async_t kick; /* irq: a send asks the loop for a scan */
	bool kick_init;
	atomic_int err; /* the channel failed: this errno, else 0 */
};

/** Set up @e for @chan (log lines begin with @name).  No channel yet. */
void shmem_engine_init(struct shmem_engine *e, struct scmi_chan *chan, const char *name);
/**
 * Add a channel: @protocol (0 for the default one, which comes first), its
 * A2P area at @a2p and P2A area at @p2a (NULL: none), @size bytes each,
 * mapped by the transport.  0, or -EINVAL (logged) for an area that
 * scmi_shmem_init() refuses.
 */
int shmem_engine_add(struct shmem_engine *e, uint8_t protocol, volatile void *a2p,
		     volatile void *p2a, size_t size);
/** The doorbell register at @reg (mapped), rung as @cfg says. */
void shmem_engine_set_doorbell(struct shmem_engine *e, volatile void *reg,
			       const struct shmem_config *cfg);
/** Fill in @info's limits and capabilities: polling unless e->irq. */
void shmem_engine_info(const struct shmem_engine *e, struct scmi_transport_info *info);
/** Whether any channel has a P2A area. */
bool shmem_engine_has_p2a(const struct shmem_engine *e);
/** Start the scan timer (every @period_ms; and the send kick with an
 *  interrupt) on the handle's loop.  0 or -ENOMEM.  Loop thread. */
int shmem_engine_start(struct shmem_engine *e, uint64_t period_ms);
/** Stop the timer and the kick (closing their handles).  Loop thread. */
void shmem_engine_close(struct shmem_engine *e);
/** Free what init and add allocated (after close, or after a failed
 *  open). */
void shmem_engine_free(struct shmem_engine *e);

/**
 * Report what arrived: with an interrupt, every A2P area done with the
 * command outstanding on it; then every P2A message (acknowledged).  The
 * RX thread (the loop thread).
 */
void shmem_engine_scan(struct shmem_engine *e);
/**
 * The channel broke (@err < 0, e.g. -ENODEV: the device went away): the
 * first call logs @why, fails every command in flight with @err and makes
 * every later send fail with it.  Any thread; once is enough.
 */
void shmem_engine_fail(struct shmem_engine *e, int err, const char *why);

/**
 * describe() facts of the channels ("channel N": protocol, a2p, p2a,
 * size; offsets as @cfg gives them, in the region @where names), the
 * doorbell ("doorbell": offset, width, set, preserve, or present "no")
 * and the completion ("completion": mode, period_ms) of @e configured by
 * @cfg.  @period_ms: the scan timer's period.
 */
void shmem_engine_describe(const struct shmem_engine *e, const struct shmem_config *cfg,
			   uint64_t period_ms, scmi_describe_fn emit, void *arg);

/* Transport ops; @priv begins with a struct shmem_engine. */
int shmem_engine_send(void *priv, struct scmi_transport_xfer *x);
bool shmem_engine_poll_done(void *priv, struct scmi_transport_xfer *x);
int shmem_engine_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *x);
int shmem_engine_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len);
unsigned int shmem_engine_channel_of(void *priv, uint8_t protocol_id);

#endif

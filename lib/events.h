/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-protocol event queues and their delivery (internal).
 *
 * A queue is a bounded single-producer / single-consumer ring: the RX
 * thread is its only writer, the protocol's delivery worker (or the user's
 * loop) its only reader, so it needs no lock.  Each slot holds one event's
 * payload, fetched by the transport straight into the slot (the only copy
 * of the payload on the delivery path), with its arrival time and id.
 */
#ifndef SCMI_LIB_EVENTS_H
#define SCMI_LIB_EVENTS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct scmi_event_slot {
	uint64_t timestamp; /* CLOCK_MONOTONIC ns, taken on the RX thread */
	uint32_t len;	    /* payload bytes */
	uint8_t evt_id;
	uint8_t payload[]; /* max_payld bytes */
};

struct scmi_event_queue {
	uint8_t *slots;
	size_t stride; /* bytes per slot */
	size_t max_payld;
	uint32_t depth;
	/* Free-running counters; index = counter % depth.  tail is written
	 * by the producer only, head by the consumer only. */
	atomic_uint_fast32_t head;
	atomic_uint_fast32_t tail;
	uint32_t high_water; /* producer-side, deepest fill seen */
};

int scmi_event_queue_init(struct scmi_event_queue *q, uint32_t depth, size_t max_payld);
void scmi_event_queue_destroy(struct scmi_event_queue *q);
/** Producer: the slot to fill next, or NULL when full. */
struct scmi_event_slot *scmi_event_queue_reserve(struct scmi_event_queue *q);
/** Producer: publish the reserved slot. */
void scmi_event_queue_commit(struct scmi_event_queue *q);
/** Consumer: the oldest event, or NULL when empty. */
struct scmi_event_slot *scmi_event_queue_peek(struct scmi_event_queue *q);
/** Consumer: done with the event peek() returned. */
void scmi_event_queue_pop(struct scmi_event_queue *q);
/** Events waiting (approximate from other threads). */
uint32_t scmi_event_queue_len(struct scmi_event_queue *q);

/* A delivery worker: a thread that calls @drain each time it is woken. */
struct scmi_event_worker {
	pthread_t thread;
	uv_sem_t sem;
	atomic_bool stop;
	bool started;
	void (*drain)(void *arg);
	void *arg;
	int nice; /* 0: inherit */
};

int scmi_event_worker_start(struct scmi_event_worker *w, void (*drain)(void *arg), void *arg,
			    int nice);
/** Wake the worker (thread-safe, never blocks; RX thread). */
void scmi_event_worker_wake(struct scmi_event_worker *w);
/** Stop and join.  Not from the worker itself. */
void scmi_event_worker_stop(struct scmi_event_worker *w);

#endif

// SPDX-License-Identifier: BSD-3-Clause
/* Per-protocol event queues and delivery workers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef SCMI_HAVE_SYS_GETTID
#include <sys/syscall.h>
#endif

#include "events.h"

int scmi_event_queue_init(struct scmi_event_queue *q, uint32_t depth, size_t max_payld)
{
	memset(q, 0, sizeof(*q));
	if (!depth)
		return -EINVAL;
	/* Keep every slot 8-byte aligned for the timestamp. */
	q->stride = (sizeof(struct scmi_event_slot) + max_payld + 7) & ~(size_t)7;
	q->slots = calloc(depth, q->stride);
	if (!q->slots)
		return -ENOMEM;
	q->depth = depth;
	q->max_payld = max_payld;
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	return 0;
}

void scmi_event_queue_destroy(struct scmi_event_queue *q)
{
	free(q->slots);
	q->slots = NULL;
}

static struct scmi_event_slot *slot_at(struct scmi_event_queue *q, uint32_t idx)
{
	return (struct scmi_event_slot *)(q->slots + (size_t)(idx % q->depth) * q->stride);
}

struct scmi_event_slot *scmi_event_queue_reserve(struct scmi_event_queue *q)
{
	uint32_t tail = (uint32_t)atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint32_t head = (uint32_t)atomic_load_explicit(&q->head, memory_order_acquire);
	uint32_t used = tail - head;

	if (used >= q->depth)
		return NULL;
	if (used + 1 > q->high_water)
		q->high_water = used + 1;
	return slot_at(q, tail);
}

void scmi_event_queue_commit(struct scmi_event_queue *q)
{
	uint32_t tail = (uint32_t)atomic_load_explicit(&q->tail, memory_order_relaxed);

	atomic_store_explicit(&q->tail, (uint32_t)(tail + 1), memory_order_release);
}

struct scmi_event_slot *scmi_event_queue_peek(struct scmi_event_queue *q)
{
	uint32_t head = (uint32_t)atomic_load_explicit(&q->head, memory_order_relaxed);
	uint32_t tail = (uint32_t)atomic_load_explicit(&q->tail, memory_order_acquire);

	return head == tail ? NULL : slot_at(q, head);
}

void scmi_event_queue_pop(struct scmi_event_queue *q)
{
	uint32_t head = (uint32_t)atomic_load_explicit(&q->head, memory_order_relaxed);

	atomic_store_explicit(&q->head, (uint32_t)(head + 1), memory_order_release);
}

uint32_t scmi_event_queue_len(struct scmi_event_queue *q)
{
	return (uint32_t)(atomic_load(&q->tail) - atomic_load(&q->head));
}

/* ---- workers ------------------------------------------------------------- */

static void *worker_main(void *arg)
{
	struct scmi_event_worker *w = arg;

	/* Linux: a thread's nice value is its own (its task id); POSIX has no
	 * per-thread nice, so elsewhere the workers keep the process's. */
#ifdef SCMI_HAVE_SYS_GETTID
	if (w->nice)
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), w->nice);
#endif
	for (;;) {
		uv_sem_wait(&w->sem);
		if (atomic_load_explicit(&w->stop, memory_order_acquire))
			break;
		w->drain(w->arg);
	}
	return NULL;
}

int scmi_event_worker_start(struct scmi_event_worker *w, void (*drain)(void *arg), void *arg,
			    int nice)
{
	int ret;

	w->drain = drain;
	w->arg = arg;
	w->nice = nice;
	atomic_init(&w->stop, false);
	ret = uv_sem_init(&w->sem, 0);
	if (ret)
		return ret;
	ret = -pthread_create(&w->thread, NULL, worker_main, w);
	if (ret) {
		uv_sem_destroy(&w->sem);
		return ret;
	}
	w->started = true;
	return 0;
}

void scmi_event_worker_wake(struct scmi_event_worker *w)
{
	uv_sem_post(&w->sem);
}

void scmi_event_worker_stop(struct scmi_event_worker *w)
{
	if (!w->started)
		return;
	atomic_store_explicit(&w->stop, true, memory_order_release);
	uv_sem_post(&w->sem);
	pthread_join(w->thread, NULL);
	uv_sem_destroy(&w->sem);
	w->started = false;
}

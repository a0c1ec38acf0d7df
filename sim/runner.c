/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runner: the simulator on a thread of its own, with its own libuv loop.
 *
 * Requests arrive from any thread through a bounded ring of preallocated
 * slots and are processed on the runner thread, in submission order and in
 * order with scmi_sim_runner_call() functions.  The core's output comes back
 * through rn_emit(): a message due now, emitted on the runner thread, goes
 * straight to deliver() from the core's buffer; anything else is copied into
 * a min-heap ordered by (due time, emission sequence) and delivered by a
 * uv_timer_t on the runner thread.
 *
 * Threads and locks (lock order: sim->lock, then plock or qlock; plock and
 * qlock are never held together):
 *   - qlock guards the request ring, the call list and `stopping`.  Every
 *     uv_async_send() is made under qlock after checking `stopping`, and
 *     rn_emit() cannot run once stop has detached it (under sim->lock), so
 *     nothing touches the async handle after the loop thread closes it.
 *   - plock guards the heap of pending messages (rn_emit() pushes from any
 *     thread; the loop thread pops).
 *   - loop, wake and timer are touched only on the runner thread (and by
 *     start/stop before the thread starts / after it is joined); the one
 *     call made from other threads is uv_async_send().
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "sim-internal.h"

#define RN_DEPTH_DEFAULT 1024u
#define RN_DEPTH_MAX	 (1u << 20)

/* A copied message waiting for its due time. */
struct rn_msg {
	uint64_t due_ns; /* uv_hrtime() clock */
	uint64_t seq;	 /* emission order, breaks ties */
	enum scmi_sim_chan chan;
	size_t len;
	uint8_t data[];
};

/* A scmi_sim_runner_call() in flight, on the caller's stack. */
struct rn_call {
	void (*fn)(void *arg);
	void *arg;
	uint64_t seq;
	int status; /* 1 pending, 0 done, -ECANCELED */
	struct rn_call *next;
};

struct rn_slot {
	uint64_t seq;
	size_t len;
};

struct scmi_sim_runner {
	struct scmi_sim *sim;
	scmi_sim_deliver_fn deliver;
	void *priv;
	pthread_t thread;

	/* Runner thread only. */
	uv_loop_t loop;
	uv_async_t wake;
	uv_timer_t timer;
	uv_timer_t poll_timer; /* shared memory polling, once wanted */
	bool polling;
	uv_timer_t activity_timer; /* scmi_sim_runner_activity() */
	unsigned int activity_step;
	uint64_t activity_period_ms;

	/* qlock: request ring, calls, stopping. */
	pthread_mutex_t qlock;
	pthread_cond_t call_done;
	unsigned int depth;
	unsigned int head;
	unsigned int count;
	size_t slot_size;
	uint8_t *slots; /* depth * slot_size bytes */
	struct rn_slot *info;
	struct rn_call *calls;
	struct rn_call **calls_tail;
	uint64_t next_seq; /* orders requests and calls together */
	bool stopping;

	/* plock: pending messages, a binary min-heap. */
	pthread_mutex_t plock;
	struct rn_msg **heap;
	size_t heap_len;
	size_t heap_cap;
	uint64_t heap_seq;
};

/* Which runner, if any, the current thread runs. */
static _Thread_local struct scmi_sim_runner *rn_current;

bool scmi_sim_runner_on_thread(struct scmi_sim_runner *r)
{
	return r && rn_current == r;
}

/* ---- pending-message heap (plock held) ------------------------------------ */

static bool rn_before(const struct rn_msg *a, const struct rn_msg *b)
{
	return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->seq < b->seq);
}

static void rn_heap_swap(struct scmi_sim_runner *r, size_t i, size_t j)
{
	struct rn_msg *t = r->heap[i];

	r->heap[i] = r->heap[j];
	r->heap[j] = t;
}

static int rn_heap_push(struct scmi_sim_runner *r, struct rn_msg *m)
{
	size_t i;

	if (r->heap_len == r->heap_cap) {
		size_t cap = r->heap_cap ? 2 * r->heap_cap : 16;
		struct rn_msg **h = realloc(r->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		r->heap = h;
		r->heap_cap = cap;
	}
	m->seq = r->heap_seq++;
	i = r->heap_len++;
	r->heap[i] = m;
	while (i && rn_before(r->heap[i], r->heap[(i - 1) / 2])) {
		rn_heap_swap(r, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	return 0;
}

static struct rn_msg *rn_heap_pop(struct scmi_sim_runner *r)
{
	struct rn_msg *top = r->heap[0];
	size_t i = 0;

	r->heap[0] = r->heap[--r->heap_len];
	for (;;) {
		size_t l = 2 * i + 1, s = i;

		if (l < r->heap_len && rn_before(r->heap[l], r->heap[s]))
			s = l;
		if (l + 1 < r->heap_len && rn_before(r->heap[l + 1], r->heap[s]))
			s = l + 1;
		if (s == i)
			break;
		rn_heap_swap(r, i, s);
		i = s;
	}
	return top;
}

/* The earliest message if it is due at @now, removed from the heap. */
static struct rn_msg *rn_pop_due(struct scmi_sim_runner *r, uint64_t now)
{
	struct rn_msg *m = NULL;

	pthread_mutex_lock(&r->plock);
	if (r->heap_len && r->heap[0]->due_ns <= now)
		m = rn_heap_pop(r);
	pthread_mutex_unlock(&r->plock);
	return m;
}

/* ---- delivery (runner thread) --------------------------------------------- */

static void rn_deliver_due(struct scmi_sim_runner *r)
{
	struct rn_msg *m;

	while ((m = rn_pop_due(r, uv_hrtime()))) {
		r->deliver(r->priv, m->chan, m->data, m->len);
		free(m);
	}
}

static void rn_on_timer(uv_timer_t *t);

static void rn_timer_rearm(struct scmi_sim_runner *r)
{
	uint64_t due = 0, now, ms;
	bool empty;

	pthread_mutex_lock(&r->plock);
	empty = !r->heap_len;
	if (!empty)
		due = r->heap[0]->due_ns;
	pthread_mutex_unlock(&r->plock);
	if (empty) {
		uv_timer_stop(&r->timer);
		return;
	}
	uv_update_time(&r->loop);
	now = uv_hrtime();
	/* libuv timers count milliseconds: round up; an early expiry (the
	 * loop clock is truncated) only re-arms for the remainder. */
	ms = due <= now ? 0 : (due - now + 999999) / 1000000;
	uv_timer_start(&r->timer, rn_on_timer, ms, 0);
}

static void rn_on_timer(uv_timer_t *t)
{
	struct scmi_sim_runner *r = t->data;

	rn_deliver_due(r);
	rn_timer_rearm(r);
}

static uint64_t rn_due(uint64_t delay_us)
{
	uint64_t now = uv_hrtime();

	if (delay_us > (UINT64_MAX - now) / 1000)
		return UINT64_MAX;
	return now + delay_us * 1000;
}

/* The core's emit callback; called with sim->lock held, on any thread. */
static void rn_emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		    uint64_t delay_us)
{
	struct scmi_sim_runner *r = priv;
	bool on_thread = rn_current == r;
	struct rn_msg *m;

	if (on_thread && !delay_us) {
		rn_deliver_due(r); /* whatever fell due earlier goes first */
		r->deliver(r->priv, chan, msg, len);
		return;
	}
	m = malloc(sizeof(*m) + len);
	if (!m)
		return; /* as a platform out of buffers: the message is lost */
	m->due_ns = rn_due(delay_us);
	m->chan = chan;
	m->len = len;
	memcpy(m->data, msg, len);
	pthread_mutex_lock(&r->plock);
	if (rn_heap_push(r, m)) {
		free(m);
		m = NULL;
	}
	pthread_mutex_unlock(&r->plock);
	/* On the runner thread the loop re-arms the timer when the current
	 * callback returns; elsewhere it has to be woken. */
	if (m && !on_thread) {
		pthread_mutex_lock(&r->qlock);
		if (!r->stopping)
			uv_async_send(&r->wake);
		pthread_mutex_unlock(&r->qlock);
	}
}

/* ---- requests and calls (runner thread) ----------------------------------- */

static void rn_run_call(struct scmi_sim_runner *r, struct rn_call *c)
{
	c->fn(c->arg);
	pthread_mutex_lock(&r->qlock);
	c->status = 0;
	pthread_cond_broadcast(&r->call_done);
	pthread_mutex_unlock(&r->qlock);
}

static void rn_run_request(struct scmi_sim_runner *r)
{
	/* The slot stays owned by the runner until head moves past it, so
	 * it is processed in place, without a second copy. */
	unsigned int idx = r->head;

	scmi_sim_process(r->sim, r->slots + (size_t)idx * r->slot_size, r->info[idx].len);
	pthread_mutex_lock(&r->qlock);
	r->head = (r->head + 1) % r->depth;
	r->count--;
	pthread_mutex_unlock(&r->qlock);
}

enum rn_next {
	RN_IDLE,
	RN_REQUEST,
	RN_CALL,
	RN_STOP,
};

/* What comes next in submission order (qlock held). */
static enum rn_next rn_pick(struct scmi_sim_runner *r, struct rn_call **call)
{
	bool req = r->count != 0;

	if (r->stopping)
		return RN_STOP;
	if (r->calls && (!req || r->calls->seq < r->info[r->head].seq)) {
		*call = r->calls;
		r->calls = r->calls->next;
		if (!r->calls)
			r->calls_tail = &r->calls;
		return RN_CALL;
	}
	return req ? RN_REQUEST : RN_IDLE;
}

/* Work through the queue; at most one ring's worth per wake-up, so the
 * timer still gets its turn under a steady stream of requests. */
static enum rn_next rn_drain(struct scmi_sim_runner *r)
{
	struct rn_call *call = NULL;
	unsigned int budget = r->depth;
	enum rn_next next;

	for (;;) {
		pthread_mutex_lock(&r->qlock);
		if (budget) {
			next = rn_pick(r, &call);
		} else {
			next = r->stopping ? RN_STOP : RN_IDLE;
			if (next == RN_IDLE && (r->count || r->calls))
				uv_async_send(&r->wake); /* the rest on the next turn */
		}
		pthread_mutex_unlock(&r->qlock);
		if (next == RN_CALL)
			rn_run_call(r, call);
		else if (next == RN_REQUEST)
			rn_run_request(r);
		else
			return next;
		budget--;
	}
}

/* Stop requested: cancel waiting calls and close the handles so that
 * uv_run() returns. */
static void rn_shutdown(struct scmi_sim_runner *r)
{
	struct rn_call *c;

	pthread_mutex_lock(&r->qlock);
	for (c = r->calls; c; c = c->next)
		c->status = -ECANCELED;
	r->calls = NULL;
	r->calls_tail = &r->calls;
	pthread_cond_broadcast(&r->call_done);
	pthread_mutex_unlock(&r->qlock);
	uv_timer_stop(&r->timer);
	uv_timer_stop(&r->poll_timer);
	uv_timer_stop(&r->activity_timer);
	uv_close((uv_handle_t *)&r->wake, NULL);
	uv_close((uv_handle_t *)&r->timer, NULL);
	uv_close((uv_handle_t *)&r->poll_timer, NULL);
	uv_close((uv_handle_t *)&r->activity_timer, NULL);
}

static void rn_on_activity(uv_timer_t *t)
{
	struct scmi_sim_runner *r = t->data;

	scmi_sim_activity_step(r->sim, r->activity_step++);
}

/* Runner thread: (re)start or stop the activity timer. */
static void rn_activity_apply(void *arg)
{
	struct scmi_sim_runner *r = arg;

	uv_timer_stop(&r->activity_timer);
	if (r->activity_period_ms)
		uv_timer_start(&r->activity_timer, rn_on_activity, r->activity_period_ms,
			       r->activity_period_ms);
}

int scmi_sim_runner_activity(struct scmi_sim_runner *r, unsigned int period_ms)
{
	if (!r)
		return -EINVAL;
	r->activity_period_ms = period_ms;
	return scmi_sim_runner_call(r, rn_activity_apply, r);
}

static void rn_on_poll(uv_timer_t *t)
{
	scmi_sim_poll(((struct scmi_sim_runner *)t->data)->sim);
}

/* Start polling shared memory once a model handed some to the agent. */
static void rn_poll_check(struct scmi_sim_runner *r)
{
	if (!r->polling && scmi_sim_needs_poll(r->sim)) {
		r->polling = true;
		uv_timer_start(&r->poll_timer, rn_on_poll, 1, 1);
	}
}

static void rn_on_wake(uv_async_t *h)
{
	struct scmi_sim_runner *r = h->data;

	if (rn_drain(r) == RN_STOP) {
		rn_shutdown(r);
		return;
	}
	rn_poll_check(r);
	rn_deliver_due(r);
	rn_timer_rearm(r);
}

static void *rn_thread(void *arg)
{
	struct scmi_sim_runner *r = arg;

	rn_current = r;
	uv_run(&r->loop, UV_RUN_DEFAULT);
	rn_current = NULL;
	return NULL;
}

/* ---- lifecycle ------------------------------------------------------------ */

static void rn_free(struct scmi_sim_runner *r)
{
	size_t i;

	for (i = 0; i < r->heap_len; i++)
		free(r->heap[i]);
	free(r->heap);
	free(r->info);
	free(r->slots);
	pthread_cond_destroy(&r->call_done);
	pthread_mutex_destroy(&r->plock);
	pthread_mutex_destroy(&r->qlock);
	free(r);
}

static int rn_alloc(struct scmi_sim *sim, unsigned int depth, struct scmi_sim_runner **out)
{
	struct scmi_sim_runner *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->sim = sim;
	r->depth = depth;
	r->slot_size = SIM_RESP_OVERHEAD + sim->max_msg_size; /* immutable after new */
	r->slots = calloc(depth, r->slot_size);
	r->info = calloc(depth, sizeof(*r->info));
	r->calls_tail = &r->calls;
	pthread_mutex_init(&r->qlock, NULL);
	pthread_mutex_init(&r->plock, NULL);
	pthread_cond_init(&r->call_done, NULL);
	if (!r->slots || !r->info) {
		rn_free(r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

static int rn_loop_init(struct scmi_sim_runner *r)
{
	int ret = uv_loop_init(&r->loop);

	if (ret)
		return ret;
	ret = uv_async_init(&r->loop, &r->wake, rn_on_wake);
	if (ret) {
		uv_loop_close(&r->loop);
		return ret;
	}
	uv_timer_init(&r->loop, &r->timer);
	uv_timer_init(&r->loop, &r->poll_timer);
	r->poll_timer.data = r;
	uv_timer_init(&r->loop, &r->activity_timer);
	r->activity_timer.data = r;
	r->wake.data = r;
	r->timer.data = r;
	return 0;
}

/* Before the thread exists: close the handles here and free the loop. */
static void rn_loop_abort(struct scmi_sim_runner *r)
{
	uv_close((uv_handle_t *)&r->wake, NULL);
	uv_close((uv_handle_t *)&r->timer, NULL);
	uv_close((uv_handle_t *)&r->poll_timer, NULL);
	uv_close((uv_handle_t *)&r->activity_timer, NULL);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	uv_loop_close(&r->loop);
}

static void rn_emit_detach(struct scmi_sim_runner *r)
{
	struct scmi_sim *sim = r->sim;

	sim_lock(sim);
	if (sim->emit == rn_emit && sim->emit_priv == r) {
		sim->emit = NULL;
		sim->emit_priv = NULL;
	}
	sim_unlock(sim);
}

/* The runner thread takes no signals: they belong to the application. */
static int rn_thread_create(struct scmi_sim_runner *r)
{
	sigset_t all, old;
	int ret;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&r->thread, NULL, rn_thread, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -ret;
}

int scmi_sim_runner_start(struct scmi_sim *sim, unsigned int queue_depth,
			  scmi_sim_deliver_fn deliver, void *priv, struct scmi_sim_runner **out)
{
	struct scmi_sim_runner *r;
	int ret;

	/* A runner delivers on wall-clock time: a virtual-time simulator is
	 * driven by its caller instead. */
	if (!sim || !deliver || !out || queue_depth > RN_DEPTH_MAX || sim->vtime)
		return -EINVAL;
	*out = NULL;
	ret = rn_alloc(sim, queue_depth ? queue_depth : RN_DEPTH_DEFAULT, &r);
	if (ret)
		return ret;
	r->deliver = deliver;
	r->priv = priv;
	ret = rn_loop_init(r);
	if (ret) {
		rn_free(r);
		return ret;
	}
	scmi_sim_set_emit(sim, rn_emit, r);
	ret = rn_thread_create(r);
	if (ret) {
		rn_emit_detach(r);
		rn_loop_abort(r);
		rn_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

int scmi_sim_runner_submit(struct scmi_sim_runner *r, const void *msg, size_t len)
{
	unsigned int idx;
	int ret = 0;

	if (!r || (!msg && len))
		return -EINVAL;
	if (len > r->slot_size)
		return -EMSGSIZE;
	pthread_mutex_lock(&r->qlock);
	if (r->stopping) {
		ret = -ESHUTDOWN;
	} else if (r->count == r->depth) {
		ret = -EAGAIN;
	} else {
		idx = (r->head + r->count) % r->depth;
		if (len)
			memcpy(r->slots + (size_t)idx * r->slot_size, msg, len);
		r->info[idx].len = len;
		r->info[idx].seq = r->next_seq++;
		r->count++;
		uv_async_send(&r->wake);
	}
	pthread_mutex_unlock(&r->qlock);
	return ret;
}

int scmi_sim_runner_call(struct scmi_sim_runner *r, void (*fn)(void *arg), void *arg)
{
	struct rn_call c = {.fn = fn, .arg = arg, .status = 1};

	if (!r || !fn)
		return -EINVAL;
	if (rn_current == r)
		return -EDEADLK;
	pthread_mutex_lock(&r->qlock);
	if (r->stopping) {
		pthread_mutex_unlock(&r->qlock);
		return -ESHUTDOWN;
	}
	c.seq = r->next_seq++;
	*r->calls_tail = &c;
	r->calls_tail = &c.next;
	uv_async_send(&r->wake);
	while (c.status == 1)
		pthread_cond_wait(&r->call_done, &r->qlock);
	pthread_mutex_unlock(&r->qlock);
	return c.status;
}

void scmi_sim_runner_stop(struct scmi_sim_runner *r)
{
	if (!r || rn_current == r)
		return;
	/* First make sure no thread can enter rn_emit() any more. */
	rn_emit_detach(r);
	pthread_mutex_lock(&r->qlock);
	r->stopping = true;
	uv_async_send(&r->wake);
	pthread_mutex_unlock(&r->qlock);
	pthread_join(r->thread, NULL);
	uv_loop_close(&r->loop);
	rn_free(r);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * Requests: one model under every protocol op, blocking or not (see
 * request.h and docs/DESIGN.md, "Requests").
 *
 * The engine of a handle is one thread (started by the first non-blocking
 * request) and five lists under one lock:
 *
 *   backlog  submitted, waiting for a free xfer (FIFO; a walk's next page
 *            goes first)
 *   sent     sent, waiting for the response (FIFO = deadline order: every
 *            command has the same timeout)
 *   dresp    answered, waiting for the delayed response (FIFO likewise)
 *   rxdone   the RX path completed a phase: the thread decodes it
 *   ready    completed, the caller's callback still to run (on this thread,
 *            the caller's loop, or scmi_dispatch())
 *
 * The RX path only moves a request from sent/dresp to rxdone and wakes the
 * thread: it never decodes, never runs user code.  Every other move is the
 * thread's, or cancel's, under the lock; a request is on one list at a time
 * and its state says which, so timeout, cancel, close and the reply race
 * for it under the lock and exactly one wins.
 *
 * Lock order: engine lock, then an xfer's lock (scmi_xfer_phase_done());
 * the RX path calls in with no xfer lock held, scmi_xfer_put() after
 * dropping the pool lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "entry.h"
#include "notify.h"
#include "protocols.h"
#include "request.h"
#include "trace.h"

#define REQ_MAGIC 0x53524551u /* "SREQ" */

enum req_state {
	RS_IDLE = 0,
	RS_ARMED,      /* scmi_req_arm() done, the op not called yet */
	RS_BEGUN,      /* the op is filling it in */
	RS_BACKLOG,    /* engine lists ... */
	RS_STARTING,   /* the engine thread prepares to send it (no list) */
	RS_SENDING,    /* the engine thread is sending it (no list) */
	RS_SENT,
	RS_DRESP,
	RS_RXDONE,
	RS_BUSY,       /* the engine thread works on it (no list) */
	RS_READY,      /* completed, callback pending */
	RS_SYNC,       /* a blocking request */
};

enum req_list_id { L_BACKLOG, L_SENT, L_DRESP, L_RXDONE, L_READY, L_NUM };

struct req_priv {
	uint32_t magic;
	enum req_state state;
	bool async;
	struct scmi_instance *inst;
	const struct scmi_protocol_handle *ph;
	scmi_req_cb cb;
	struct scmi_req *prev, *next;
	uint64_t deadline_ns;
	struct scmi_xfer *xfer;
	const struct scmi_req_msg *msg;
	size_t tx_len;
	int result;
	bool rx_early;	    /* replied while RS_SENDING */
	bool cancel_early;  /* cancelled while RS_STARTING or RS_SENDING */
	bool cancel_rx;	    /* cancelled with its response in, its delayed
			     * response still to come */
	bool resp_busy;	    /* the engine thread acts on its response */
	int (*job)(struct scmi_req *r); /* scmi_req_run_job() */
	/* a multi-part walk (scmi_req_walk()) */
	const struct scmi_iter_desc *walk;
	void *walk_priv;
	int (*walk_finish)(struct scmi_req *r, int ret, unsigned int total);
	unsigned int w_index, w_total, w_cap;
	bool w_miscounted;
	const char *w_end;
	struct scmi_req_msg walk_msg;
	uint8_t tx[SCMI_REQ_TX_INLINE];
	uint64_t ctx[SCMI_REQ_CTX_SIZE / sizeof(uint64_t)];
};

_Static_assert(sizeof(struct req_priv) <= SCMI_REQ_PRIV_SIZE, "SCMI_REQ_PRIV_SIZE too small");

struct req_list {
	struct scmi_req *head, *tail;
	unsigned int len;
};

enum delivery { DELIVER_THREAD, DELIVER_LOOP, DELIVER_DISPATCH };

struct scmi_req_engine {
	struct scmi_instance *inst;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC; the thread's wake-up */
	pthread_t thread;
	bool started;
	bool stop;	   /* shutdown: cancel everything, deliver, exit */
	bool xfer_wait;	   /* the backlog head waits for a free xfer */
	bool kicked;	   /* something to do since the thread looked */
	unsigned int jobs; /* job threads running (msg->job) */
	atomic_bool started_any; /* the thread runs: the RX hooks look */
	unsigned int outstanding;
	struct req_list lists[L_NUM];

	enum delivery delivery;
	uv_async_t *user_async; /* DELIVER_LOOP */
	int pipe[2];		/* DELIVER_DISPATCH */
	atomic_bool signalled;
	atomic_bool dispatching;
	pthread_t dispatch_thread;
};

static struct req_priv *priv_of(struct scmi_req *r)
{
	return (struct req_priv *)(void *)r->priv_.bytes;
}

static const struct req_priv *cpriv_of(const struct scmi_req *r)
{
	return (const struct req_priv *)(const void *)r->priv_.bytes;
}

/* ---- lists (engine lock) ---------------------------------------------------- */

static void list_add_tail(struct req_list *l, struct scmi_req *r)
{
	struct req_priv *p = priv_of(r);

	p->next = NULL;
	p->prev = l->tail;
	if (l->tail)
		priv_of(l->tail)->next = r;
	else
		l->head = r;
	l->tail = r;
	l->len++;
}

static void list_add_head(struct req_list *l, struct scmi_req *r)
{
	struct req_priv *p = priv_of(r);

	p->prev = NULL;
	p->next = l->head;
	if (l->head)
		priv_of(l->head)->prev = r;
	else
		l->tail = r;
	l->head = r;
	l->len++;
}

static void list_del(struct req_list *l, struct scmi_req *r)
{
	struct req_priv *p = priv_of(r);

	if (p->prev)
		priv_of(p->prev)->next = p->next;
	else
		l->head = p->next;
	if (p->next)
		priv_of(p->next)->prev = p->prev;
	else
		l->tail = p->prev;
	p->prev = p->next = NULL;
	l->len--;
}

static struct scmi_req *list_pop(struct req_list *l)
{
	struct scmi_req *r = l->head;

	if (r)
		list_del(l, r);
	return r;
}

static struct req_list *state_list(struct scmi_req_engine *e, enum req_state st)
{
	switch (st) {
	case RS_BACKLOG:
		return &e->lists[L_BACKLOG];
	case RS_SENT:
		return &e->lists[L_SENT];
	case RS_DRESP:
		return &e->lists[L_DRESP];
	case RS_RXDONE:
		return &e->lists[L_RXDONE];
	case RS_READY:
		return &e->lists[L_READY];
	default:
		return NULL;
	}
}

static void wake_locked(struct scmi_req_engine *e)
{
	e->kicked = true;
	pthread_cond_signal(&e->cond);
}

/* ---- arming (thread-local) ------------------------------------------------- */

/* ARM_TAKEN: a guard claimed it for its call; ARM_BEGUN: the op's
 * SCMI_REQ() took it (later requests of the op block); ARM_SUSPENDED: a
 * bring-up runs (its commands never take it). */
enum arm_state {
	ARM_NONE,
	ARM_ARMED,
	ARM_TAKEN,
	ARM_BEGUN,
	ARM_SUBMITTED,
	ARM_BUSY,
	ARM_SUSPENDED
};

static _Thread_local struct {
	struct scmi_req *req;
	enum arm_state state;
	struct scmi_instance *inst;
} tls_arm;

void scmi_req_arm(struct scmi_req *req, scmi_req_cb cb)
{
	struct req_priv *p;

	tls_arm.req = req;
	tls_arm.inst = NULL;
	if (!req || !cb) {
		tls_arm.state = ARM_BUSY; /* refused; reported as -EINVAL */
		return;
	}
	p = priv_of(req);
	if (p->magic == REQ_MAGIC && p->state != RS_IDLE) {
		tls_arm.state = ARM_BUSY;
		return;
	}
	memset(p, 0, sizeof(*p));
	p->magic = REQ_MAGIC;
	p->state = RS_ARMED;
	p->cb = cb;
	tls_arm.state = ARM_ARMED;
}

int scmi_req_take_armed(struct scmi_instance *inst)
{
	if (tls_arm.state == ARM_BUSY)
		return tls_arm.req && priv_of(tls_arm.req)->cb ? -EBUSY : -EINVAL;
	if (tls_arm.state == ARM_ARMED) {
		tls_arm.state = ARM_TAKEN;
		tls_arm.inst = inst;
		tls_arm.req->handle = &inst->handle;
	}
	return 0;
}

int scmi_req_suspend_armed(void)
{
	int saved = tls_arm.state;

	if (saved == ARM_TAKEN)
		tls_arm.state = ARM_SUSPENDED;
	return saved;
}

void scmi_req_resume_armed(int saved)
{
	if (saved == ARM_TAKEN && tls_arm.state == ARM_SUSPENDED)
		tls_arm.state = ARM_TAKEN;
}

static void engine_complete(struct scmi_req_engine *e, struct scmi_req *r, int result);
static struct scmi_req_engine *engine_of(struct scmi_instance *inst)
{
	return inst->reqs;
}

int scmi_req_submitted(struct scmi_req *req, int ret)
{
	enum arm_state st = tls_arm.state;
	struct scmi_instance *inst = tls_arm.inst;
	struct scmi_req_engine *e;

	if (tls_arm.req != req)
		return -EINVAL; /* not armed on this thread */
	tls_arm.req = NULL;
	tls_arm.state = ARM_NONE;
	tls_arm.inst = NULL;
	switch (st) {
	case ARM_SUBMITTED:
		return 0; /* the request may be complete already: hands off */
	case ARM_BUSY:
		return req && priv_of(req)->magic == REQ_MAGIC && priv_of(req)->cb ? -EBUSY : -EINVAL;
	case ARM_TAKEN:
	case ARM_BEGUN:
		if (ret >= 0) {
			/* Answered without a message: complete all the same. */
			e = engine_of(inst);
			pthread_mutex_lock(&e->lock);
			e->outstanding++;
			pthread_mutex_unlock(&e->lock);
			priv_of(req)->inst = inst;
			engine_complete(e, req, ret);
			return 0;
		}
		priv_of(req)->state = RS_IDLE;
		return ret;
	default:
		/* Never reached a handle's op. */
		priv_of(req)->state = RS_IDLE;
		return ret < 0 ? ret : -EINVAL;
	}
}

/* ---- beginning a request ---------------------------------------------------- */

static void req_setup(struct scmi_req *r, const struct scmi_protocol_handle *ph, bool async)
{
	struct req_priv *p = priv_of(r);

	/* Field by field: a blocking call pays for what it uses only (the
	 * context is the op's, zeroed as promised). */
	p->magic = REQ_MAGIC;
	p->state = async ? RS_BEGUN : RS_SYNC;
	p->async = async;
	if (!async)
		p->cb = NULL;
	p->inst = ph->inst;
	p->ph = ph;
	p->prev = p->next = NULL;
	p->xfer = NULL;
	p->msg = NULL;
	p->job = NULL;
	p->tx_len = 0;
	p->result = 0;
	p->rx_early = p->cancel_early = p->cancel_rx = p->resp_busy = false;
	p->walk = NULL;
	memset(p->ctx, 0, sizeof(p->ctx));
	if (!async) {
		r->data = NULL;
		r->handle = ph->handle;
	}
	r->status = 0;
}

struct scmi_req *scmi_req_begin(const struct scmi_protocol_handle *ph, struct scmi_req *local)
{
	if (tls_arm.state == ARM_TAKEN && tls_arm.inst == ph->inst) {
		struct scmi_req *r = tls_arm.req;

		tls_arm.state = ARM_BEGUN; /* consumed: later requests block */
		req_setup(r, ph, true);
		return r;
	}
	req_setup(local, ph, false);
	return local;
}

struct scmi_req *scmi_req_init_sync(const struct scmi_protocol_handle *ph, struct scmi_req *r)
{
	req_setup(r, ph, false);
	return r;
}

void *scmi_req_ctx(struct scmi_req *r)
{
	return priv_of(r)->ctx;
}

const struct scmi_protocol_handle *scmi_req_ph(const struct scmi_req *r)
{
	return cpriv_of(r)->ph;
}

bool scmi_req_is_async(const struct scmi_req *r)
{
	return cpriv_of(r)->async;
}

uint8_t *scmi_req_tx(struct scmi_req *r)
{
	return priv_of(r)->tx;
}

int scmi_req_next(struct scmi_req *r, const struct scmi_req_msg *msg, const void *tx,
		  size_t tx_len)
{
	struct req_priv *p = priv_of(r);

	if (tx_len > sizeof(p->tx))
		return -EMSGSIZE;
	p->msg = msg;
	if (tx_len && tx != p->tx)
		memmove(p->tx, tx, tx_len);
	p->tx_len = tx_len;
	return 0;
}

/* ---- one message ------------------------------------------------------------- */

static int msg_encode(struct scmi_req *r, struct scmi_xfer *x)
{
	struct req_priv *p = priv_of(r);
	size_t len = p->tx_len; /* a hint for encode (scmi_req_run_len()) */
	int ret;

	if (p->msg->encode) {
		ret = p->msg->encode(r, (uint8_t *)x->t.tx, x->pool->max_tx_size, &len);
		if (ret)
			return ret;
		if (len > x->pool->max_tx_size)
			return -EMSGSIZE;
	} else {
		len = p->tx_len;
		if (len)
			memcpy((void *)x->t.tx, p->tx, len);
	}
	x->t.tx_len = len;
	return 0;
}

/* The message ended with @ret: check the reply's length, decode. */
static int msg_decode(struct scmi_req *r, int ret, struct scmi_xfer *x)
{
	struct req_priv *p = priv_of(r);
	const struct scmi_req_msg *m = p->msg;
	const uint8_t *rx = NULL;
	size_t rx_len = 0;

	if (!ret && x) {
		rx = x->t.rx;
		rx_len = x->t.rx_len;
		if (rx_len < m->rx_min) {
			scmi_warn(&p->inst->log,
				  "proto 0x%x msg 0x%x: reply has %zu data bytes, expected at least "
				  "%zu",
				  p->ph->id, m->msg_id, rx_len, m->rx_min);
			ret = -EPROTO;
			rx = NULL;
			rx_len = 0;
		}
	}
	return m->decode ? m->decode(r, ret, rx, rx_len) : ret;
}

static int msg_xfer_get(struct scmi_req *r, unsigned int wait_ms, struct scmi_xfer **x)
{
	struct req_priv *p = priv_of(r);
	struct scmi_instance *inst = p->inst;
	size_t tx_size = p->msg->encode ? 0 : p->tx_len;

	return scmi_xfer_get_init(&inst->tx_minfo, p->ph->id, p->msg->msg_id, tx_size, 0, wait_ms,
				  x);
}

/* One message on the calling thread: what a blocking call does. */
static int msg_run_blocking(struct scmi_req *r)
{
	struct req_priv *p = priv_of(r);
	struct scmi_xfer *x;
	int ret;

	if (p->job) {
		ret = p->job(r);
		if (ret == -ESHUTDOWN && p->async)
			ret = -ECANCELED;
		return msg_decode(r, ret, NULL);
	}
	ret = msg_xfer_get(r, p->inst->timeout_ms, &x);
	if (ret == -ESHUTDOWN && p->async)
		ret = -ECANCELED; /* closing: what close promises a request */
	if (ret)
		return msg_decode(r, ret, NULL);
	ret = msg_encode(r, x);
	if (!ret)
		ret = p->msg->flags & SCMI_REQ_DRESP ? scmi_do_xfer_with_response(x)
						     : scmi_do_xfer(x);
	if (ret == -ESHUTDOWN && p->async)
		ret = -ECANCELED;
	ret = msg_decode(r, ret, x);
	scmi_xfer_put(x);
	return ret;
}

/* ---- completion ---------------------------------------------------------------- */

static void engine_start_locked(struct scmi_req_engine *e);

static void engine_signal_delivery(struct scmi_req_engine *e)
{
	if (e->delivery == DELIVER_LOOP)
		uv_async_send(e->user_async);
	else if (e->delivery == DELIVER_DISPATCH)
		scmi_req_dispatch_kick(e->inst);
}

/* @r is complete with @result: hand it to whoever runs its callback. */
static void engine_complete(struct scmi_req_engine *e, struct scmi_req *r, int result)
{
	struct req_priv *p = priv_of(r);

	pthread_mutex_lock(&e->lock);
	p->result = result;
	p->state = RS_READY;
	list_add_tail(&e->lists[L_READY], r);
	if (e->delivery == DELIVER_THREAD) {
		engine_start_locked(e);
		wake_locked(e);
	}
	pthread_mutex_unlock(&e->lock);
	if (e->delivery != DELIVER_THREAD)
		engine_signal_delivery(e);
}

/* @r, never sent or abandoned, is over: its decode sees -ECANCELED (and
 * releases what encode reserved), then it completes with -ECANCELED. */
static void req_cancelled(struct scmi_req_engine *e, struct scmi_req *r)
{
	msg_decode(r, -ECANCELED, NULL);
	engine_complete(e, r, -ECANCELED);
}

/* Run the callback of a request taken off the ready list. */
static void deliver_one(struct scmi_req_engine *e, struct scmi_req *r)
{
	struct req_priv *p = priv_of(r);
	struct scmi_frame f;
	scmi_req_cb cb = p->cb;

	r->status = p->result;
	p->state = RS_IDLE; /* the callback may reuse (or free) it */
	pthread_mutex_lock(&e->lock);
	e->outstanding--;
	pthread_mutex_unlock(&e->lock);
	scmi_user_code_enter(e->inst, &f);
	cb(r);
	scmi_user_code_leave(&f);
}

unsigned int scmi_req_engine_deliver(struct scmi_instance *inst, unsigned int budget, bool *more)
{
	struct scmi_req_engine *e = engine_of(inst);
	unsigned int n = 0;
	struct scmi_req *r;

	*more = false;
	if (!e)
		return 0;
	for (;;) {
		pthread_mutex_lock(&e->lock);
		if (budget && n == budget) {
			*more = e->lists[L_READY].len > 0;
			pthread_mutex_unlock(&e->lock);
			break;
		}
		r = list_pop(&e->lists[L_READY]);
		pthread_mutex_unlock(&e->lock);
		if (!r)
			break;
		deliver_one(e, r);
		n++;
	}
	return n;
}

/* The request's message is over with @ret (decoded): next message, or done. */
static void msg_done(struct scmi_req_engine *e, struct scmi_req *r, int dret)
{
	struct req_priv *p = priv_of(r);

	if (dret == SCMI_REQ_AGAIN) {
		pthread_mutex_lock(&e->lock);
		if (!e->stop && !atomic_load(&p->inst->closing)) {
			p->state = RS_BACKLOG;
			list_add_head(&e->lists[L_BACKLOG], r);
			wake_locked(e);
			pthread_mutex_unlock(&e->lock);
			return;
		}
		pthread_mutex_unlock(&e->lock);
		/* Closing: the next message is never sent. */
		msg_decode(r, -ECANCELED, NULL);
		dret = -ECANCELED;
	}
	engine_complete(e, r, dret);
}

int scmi_req_decode_u32(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	(void)len; /* at least rx_min (4): checked before */
	if (!ret)
		*SCMI_REQ_CTX(r, struct scmi_req_u32)->out = scmi_get_le32(rx);
	return ret;
}

/* ---- the engine thread ---------------------------------------------------------- */

static bool transport_waits_itself(const struct scmi_instance *inst)
{
	return inst->tinfo.caps & (SCMI_TRANSPORT_POLLING | SCMI_TRANSPORT_COMPLETES_ON_RETURN);
}

static void phase_end(struct scmi_req_engine *e, struct scmi_req *r, bool dresp_phase, int err);

/* A job's thread: the job, blocking, then its completion. */
static void *job_thread(void *arg)
{
	struct scmi_req *r = arg;
	struct scmi_req_engine *e = engine_of(priv_of(r)->inst);

	msg_done(e, r, msg_run_blocking(r));
	pthread_mutex_lock(&e->lock);
	e->jobs--; /* shutdown waits for it: touch nothing after */
	wake_locked(e);
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

/* Start @r's job on a thread of its own (lock not held), so that neither
 * the caller nor the engine's thread -- which the replies of the other
 * requests need -- waits for it. */
static void job_start(struct scmi_req_engine *e, struct scmi_req *r)
{
	pthread_attr_t attr;
	pthread_t t;
	int ret;

	pthread_mutex_lock(&e->lock);
	e->jobs++;
	pthread_mutex_unlock(&e->lock);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&t, &attr, job_thread, r);
	pthread_attr_destroy(&attr);
	if (ret) {
		scmi_err(&e->inst->log, "cannot start a thread for a request: %s", strerror(ret));
		pthread_mutex_lock(&e->lock);
		e->jobs--;
		pthread_mutex_unlock(&e->lock);
		msg_done(e, r, msg_decode(r, -ret, NULL));
	}
}

/* Start the backlog's head (engine thread, lock held; dropped meanwhile).
 * Returns false when it must wait for a free xfer. */
static bool start_one(struct scmi_req_engine *e)
{
	struct scmi_instance *inst = e->inst;
	struct scmi_req *r = list_pop(&e->lists[L_BACKLOG]);
	struct req_priv *p = priv_of(r);
	struct scmi_xfer *x;
	int ret;

	/* A cancel while it is prepared is noted (cancel_early) and acted on
	 * before it is sent; a polling transport's blocking run cannot be. */
	p->state = p->job || transport_waits_itself(inst) ? RS_BUSY : RS_STARTING;
	p->rx_early = p->cancel_early = p->cancel_rx = p->resp_busy = false;
	pthread_mutex_unlock(&e->lock);

	if (atomic_load(&inst->closing)) {
		/* Closing: never sent, cancelled (as close promises). */
		req_cancelled(e, r);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	if (p->job) {
		job_start(e, r);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	if (transport_waits_itself(inst)) {
		/* Nothing would wake us for the reply: wait for it here. */
		msg_done(e, r, msg_run_blocking(r));
		pthread_mutex_lock(&e->lock);
		return true;
	}
	ret = msg_xfer_get(r, SCMI_XFER_NOWAIT, &x);
	if (ret == -ESHUTDOWN)
		ret = -ECANCELED; /* closing meanwhile */
	pthread_mutex_lock(&e->lock);
	if (p->cancel_early) {
		pthread_mutex_unlock(&e->lock);
		if (!ret)
			scmi_xfer_put(x); /* never sent */
		req_cancelled(e, r);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	if (ret == -EAGAIN) {
		p->state = RS_BACKLOG;
		list_add_head(&e->lists[L_BACKLOG], r);
		return false;
	}
	pthread_mutex_unlock(&e->lock);
	if (ret) {
		msg_done(e, r, msg_decode(r, ret, NULL));
		pthread_mutex_lock(&e->lock);
		return true;
	}
	ret = msg_encode(r, x);
	if (!ret && (p->msg->flags & SCMI_REQ_DRESP))
		ret = scmi_xfer_async_prepare(x);
	if (ret) {
		msg_done(e, r, msg_decode(r, ret, NULL));
		scmi_xfer_put(x);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	/* While it is being sent, the xfer stays this thread's: a reply
	 * (the RX path) or a cancel is noted, and acted on once the send
	 * has returned. */
	pthread_mutex_lock(&e->lock);
	if (p->cancel_early) {
		pthread_mutex_unlock(&e->lock);
		scmi_xfer_put(x); /* never sent */
		req_cancelled(e, r);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	p->xfer = x;
	x->req = r;
	p->state = RS_SENDING;
	pthread_mutex_unlock(&e->lock);

	ret = scmi_xfer_send(x);
	if (ret == -ESHUTDOWN)
		ret = -ECANCELED; /* closing meanwhile */

	pthread_mutex_lock(&e->lock);
	if (ret) {
		/* Not sent (and no reply can come): fail it here. */
		x->req = NULL;
		p->xfer = NULL;
		p->state = RS_BUSY;
		pthread_mutex_unlock(&e->lock);
		msg_done(e, r, msg_decode(r, ret, NULL));
		scmi_xfer_put(x);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	if (p->rx_early) {
		p->deadline_ns = 0; /* the response phase */
		p->state = RS_RXDONE;
		list_add_tail(&e->lists[L_RXDONE], r);
	} else if (p->cancel_early) {
		x->req = NULL;
		p->state = RS_BUSY;
		pthread_mutex_unlock(&e->lock);
		phase_end(e, r, false, -ECANCELED);
		pthread_mutex_lock(&e->lock);
	} else {
		p->state = RS_SENT;
		p->deadline_ns = scmi_now_ns() + (uint64_t)inst->timeout_ms * 1000000ull;
		list_add_tail(&e->lists[L_SENT], r);
	}
	return true;
}

/* A phase of @r's xfer ended (reply in, or @err: timeout, cancel, close).
 * Engine thread or cancel, lock not held, @r in RS_BUSY. */
static void phase_end(struct scmi_req_engine *e, struct scmi_req *r, bool dresp_phase, int err)
{
	struct req_priv *p = priv_of(r);
	struct scmi_xfer *x = p->xfer;
	int ret;

	if (!dresp_phase) {
		bool cancelled;

		ret = scmi_xfer_resp_result(x, err);
		pthread_mutex_lock(&e->lock);
		cancelled = p->cancel_rx;
		p->resp_busy = false; /* from here on, a cancel is too late */
		if (!ret && !cancelled && (p->msg->flags & SCMI_REQ_DRESP) &&
		    !scmi_xfer_phase_done(x, true)) {
			/* Wait for the delayed response. */
			p->state = RS_DRESP;
			p->deadline_ns =
				scmi_now_ns() + (uint64_t)p->inst->dresp_timeout_ms * 1000000ull;
			x->req = r;
			list_add_tail(&e->lists[L_DRESP], r);
			pthread_mutex_unlock(&e->lock);
			return;
		}
		pthread_mutex_unlock(&e->lock);
		if (cancelled) {
			/* Cancelled once its response was in: the delayed
			 * response, if one is still to come, is abandoned. */
			if (!ret && !scmi_xfer_phase_done(x, true))
				scmi_xfer_dresp_result(x, -ECANCELED);
			ret = -ECANCELED;
		} else if (!ret && (p->msg->flags & SCMI_REQ_DRESP)) {
			ret = scmi_xfer_dresp_result(x, 0);
		}
	} else {
		ret = scmi_xfer_dresp_result(x, err);
	}
	pthread_mutex_lock(&e->lock);
	x->req = NULL;
	p->xfer = NULL;
	pthread_mutex_unlock(&e->lock);
	/* decode sees this thread's last status as a blocking call would:
	 * the status of the phase that ended the message (a delayed
	 * response's, or its response's SUCCESS when the delayed response
	 * never came), none when the response itself never came. */
	if (err && dresp_phase)
		scmi_set_last_status(SCMI_SUCCESS);
	else if (err)
		scmi_set_last_status(SCMI_STATUS_NONE);
	ret = msg_decode(r, ret, ret ? NULL : x);
	scmi_xfer_put(x);
	msg_done(e, r, ret);
}

/* Take @r off its list for the engine thread.  Lock held. */
static void take_locked(struct scmi_req_engine *e, struct scmi_req *r)
{
	struct req_priv *p = priv_of(r);

	list_del(state_list(e, p->state), r);
	p->state = RS_BUSY;
	if (p->xfer)
		p->xfer->req = NULL;
}

/* The engine thread's one round; lock held.  Returns true if it did
 * something (look again before sleeping). */
static bool engine_round(struct scmi_req_engine *e, uint64_t now)
{
	struct scmi_req *r;
	bool dresp;

	/* Replies first: they free xfers for the backlog. */
	if ((r = e->lists[L_RXDONE].head)) {
		dresp = priv_of(r)->deadline_ns == UINT64_MAX; /* set by the RX hook */
		take_locked(e, r);
		priv_of(r)->resp_busy = !dresp;
		pthread_mutex_unlock(&e->lock);
		phase_end(e, r, dresp, 0);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	r = e->lists[L_SENT].head;
	if (r && (priv_of(r)->deadline_ns <= now || e->stop)) {
		take_locked(e, r);
		pthread_mutex_unlock(&e->lock);
		phase_end(e, r, false, e->stop ? -ECANCELED : -ETIMEDOUT);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	r = e->lists[L_DRESP].head;
	if (r && (priv_of(r)->deadline_ns <= now || e->stop)) {
		take_locked(e, r);
		pthread_mutex_unlock(&e->lock);
		phase_end(e, r, true, e->stop ? -ECANCELED : -ETIMEDOUT);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	if (e->delivery == DELIVER_THREAD && (r = list_pop(&e->lists[L_READY]))) {
		pthread_mutex_unlock(&e->lock);
		deliver_one(e, r);
		pthread_mutex_lock(&e->lock);
		return true;
	}
	if (e->lists[L_BACKLOG].head) {
		if (e->stop) {
			r = list_pop(&e->lists[L_BACKLOG]);
			priv_of(r)->state = RS_BUSY;
			pthread_mutex_unlock(&e->lock);
			req_cancelled(e, r);
			pthread_mutex_lock(&e->lock);
			return true;
		}
		if (!e->xfer_wait) {
			if (start_one(e))
				return true;
			e->xfer_wait = true;
		}
	}
	return false;
}

static uint64_t next_deadline_locked(struct scmi_req_engine *e)
{
	uint64_t d = UINT64_MAX;
	struct scmi_req *r;

	if ((r = e->lists[L_SENT].head))
		d = priv_of(r)->deadline_ns;
	if ((r = e->lists[L_DRESP].head) && priv_of(r)->deadline_ns < d)
		d = priv_of(r)->deadline_ns;
	return d;
}

static void *engine_thread(void *arg)
{
	struct scmi_req_engine *e = arg;

	pthread_mutex_lock(&e->lock);
	for (;;) {
		uint64_t d;

		e->kicked = false;
		while (engine_round(e, scmi_now_ns()))
			e->kicked = false;
		if (e->stop && !e->jobs && !e->lists[L_SENT].len && !e->lists[L_DRESP].len &&
		    !e->lists[L_RXDONE].len && !e->lists[L_BACKLOG].len &&
		    (e->delivery != DELIVER_THREAD || !e->lists[L_READY].len))
			break;
		if (e->kicked)
			continue;
		d = next_deadline_locked(e);
		if (d == UINT64_MAX) {
			pthread_cond_wait(&e->cond, &e->lock);
		} else {
			struct timespec ts = {(time_t)(d / 1000000000ull),
					      (long)(d % 1000000000ull)};

			pthread_cond_timedwait(&e->cond, &e->lock, &ts);
		}
	}
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

static void engine_start_locked(struct scmi_req_engine *e)
{
	int ret;

	if (e->started || e->stop)
		return;
	ret = pthread_create(&e->thread, NULL, engine_thread, e);
	if (ret) {
		scmi_err(&e->inst->log, "cannot start the request thread: %s", strerror(ret));
		return;
	}
	e->started = true;
	atomic_store_explicit(&e->started_any, true, memory_order_release);
}

/* ---- submission -------------------------------------------------------------------- */

static int engine_submit(struct scmi_req *r)
{
	struct req_priv *p = priv_of(r);
	struct scmi_req_engine *e = engine_of(p->inst);

	pthread_mutex_lock(&e->lock);
	if (e->stop || atomic_load(&p->inst->closing)) {
		pthread_mutex_unlock(&e->lock);
		p->state = RS_IDLE;
		return -ESHUTDOWN;
	}
	engine_start_locked(e);
	if (!e->started) {
		pthread_mutex_unlock(&e->lock);
		p->state = RS_IDLE;
		return -EAGAIN;
	}
	e->outstanding++;
	p->state = RS_BACKLOG;
	list_add_tail(&e->lists[L_BACKLOG], r);
	wake_locked(e);
	tls_arm.state = ARM_SUBMITTED;
	pthread_mutex_unlock(&e->lock);
	return 0;
}

static int req_go(struct scmi_req *r)
{
	struct req_priv *p = priv_of(r);
	int ret;

	if (p->async) {
		ret = engine_submit(r);
		if (ret) {
			/* Not submitted: SCMI_ASYNC() reports it, resets it. */
			tls_arm.state = ARM_TAKEN;
			p->state = RS_ARMED;
		}
		return ret;
	}
	do
		ret = msg_run_blocking(r);
	while (ret == SCMI_REQ_AGAIN);
	p->state = RS_IDLE;
	return ret;
}

int scmi_req_run_job(struct scmi_req *r, int (*job)(struct scmi_req *r))
{
	static const struct scmi_req_msg job_msg = {0};

	priv_of(r)->job = job;
	return scmi_req_run(r, &job_msg, NULL, 0);
}

int scmi_req_run(struct scmi_req *r, const struct scmi_req_msg *msg, const void *tx,
		 size_t tx_len)
{
	int ret = scmi_req_next(r, msg, tx, tx_len);

	if (ret) {
		if (priv_of(r)->async) {
			tls_arm.state = ARM_TAKEN;
			priv_of(r)->state = RS_ARMED;
		}
		return ret;
	}
	return req_go(r);
}

int scmi_req_run_len(struct scmi_req *r, const struct scmi_req_msg *msg, size_t len)
{
	struct req_priv *p = priv_of(r);

	p->msg = msg;
	p->tx_len = len;
	return req_go(r);
}

/* ---- multi-part walks ----------------------------------------------------------- */

/* Statuses with which platforms answer a request for an index past the end
 * of a list: OP-TEE INVALID_PARAMETERS, SCP-firmware OUT_OF_RANGE, others
 * NOT_FOUND. */
static bool iter_past_end(int32_t status)
{
	return status == SCMI_ERR_INVALID_PARAMETERS || status == SCMI_ERR_OUT_OF_RANGE ||
	       status == SCMI_ERR_NOT_FOUND;
}

static int walk_encode(struct scmi_req *r, uint8_t *tx, size_t room, size_t *len)
{
	struct req_priv *p = priv_of(r);

	if (p->walk->tx_size > room)
		return -EMSGSIZE;
	memset(tx, 0, p->walk->tx_size);
	p->walk->ops->prepare(tx, p->w_index, p->walk_priv);
	*len = p->walk->tx_size;
	return 0;
}

static int walk_end(struct scmi_req *r, int ret)
{
	struct req_priv *p = priv_of(r);

	if (!ret && p->w_end)
		scmi_warn(&p->inst->log,
			  "proto 0x%x msg 0x%x: inconsistent counts: %u entries announced, %u "
			  "listed (ended by %s); using the entries listed",
			  p->ph->id, p->walk->msg_id, p->w_total, p->w_index, p->w_end);
	return p->walk_finish ? p->walk_finish(r, ret, ret ? 0 : p->w_index) : ret;
}

static int walk_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t rx_len)
{
	struct req_priv *p = priv_of(r);
	const struct scmi_iter_desc *desc = p->walk;
	const struct scmi_iter_ops *ops = desc->ops;
	unsigned int returned = 0, remaining = 0, i;
	const char *end = "remaining 0";
	size_t off = 0;

	if (ret) {
		/* The platform says there is nothing at this index: its earlier
		 * "remaining" was wrong, the list ends. */
		if (p->w_index && ret != -ECANCELED && iter_past_end(scmi_last_status())) {
			end = scmi_status_name(scmi_last_status());
			p->w_end = p->w_index < p->w_total || p->w_miscounted ? end : NULL;
			return walk_end(r, 0);
		}
		return walk_end(r, ret);
	}
	ret = ops->update(rx, rx_len, &returned, &remaining, &off, p->walk_priv);
	if (ret)
		return walk_end(r, ret);
	if (p->w_index == 0) {
		/* The capacity: what the first reply announces, within what the
		 * caller stores (an announcement is not held against the
		 * platform: "remaining" is often wrong). */
		p->w_total = returned + remaining;
		p->w_cap = desc->max_entries && p->w_total > desc->max_entries ? desc->max_entries
									       : p->w_total;
	}
	/* An empty reply ends the walk whatever "remaining" says (a walk
	 * that never advances would never end). */
	if (!returned) {
		p->w_end = p->w_index < p->w_total || p->w_miscounted ? "an empty reply" : NULL;
		return walk_end(r, 0);
	}
	/* More entries than announced, or than the caller stores: they would
	 * not fit. */
	if (returned > p->w_cap - p->w_index) {
		scmi_warn(&p->inst->log, "proto 0x%x msg 0x%x: %u entries at %u, %s %u %s",
			  p->ph->id, desc->msg_id, returned, p->w_index,
			  p->w_cap < p->w_total ? "at most" : "only", p->w_cap,
			  p->w_cap < p->w_total ? "stored" : "announced");
		return walk_end(r, -EPROTO);
	}
	if (returned + remaining != p->w_total - p->w_index)
		p->w_miscounted = true;
	for (i = 0; i < returned; i++) {
		ret = ops->entry(rx, rx_len, &off, p->w_index + i, i, p->walk_priv);
		if (ret)
			break;
	}
	if (ret < 0)
		return walk_end(r, ret);
	if (ret > 0) {
		/* The callback has all it wants (e.g. a triplet). */
		p->w_index += i + 1;
		p->w_end = NULL;
		return walk_end(r, 0);
	}
	p->w_index += returned;
	if (!remaining) {
		p->w_end = p->w_index < p->w_total || p->w_miscounted ? end : NULL;
		return walk_end(r, 0);
	}
	return SCMI_REQ_AGAIN; /* the next page: a new message, a new token */
}

int scmi_req_walk(struct scmi_req *r, const struct scmi_iter_desc *desc, void *priv,
		  int (*finish)(struct scmi_req *r, int ret, unsigned int total))
{
	struct req_priv *p = priv_of(r);

	p->walk = desc;
	p->walk_priv = priv;
	p->walk_finish = finish;
	p->w_index = p->w_total = p->w_cap = 0;
	p->w_miscounted = false;
	p->w_end = NULL;
	p->walk_msg = (struct scmi_req_msg){
		.msg_id = desc->msg_id,
		.encode = walk_encode,
		.decode = walk_decode,
	};
	p->msg = &p->walk_msg;
	p->tx_len = 0;
	return req_go(r);
}

/* ---- cancel ------------------------------------------------------------------------ */

/* Cancel @req whose response is in but not acted on yet (engine lock held,
 * dropped): a command with a delayed response still to come is cancelled
 * (phase_end() abandons the delayed response); any other is over. */
static int cancel_rx_locked(struct scmi_req_engine *e, struct scmi_req *req)
{
	struct req_priv *p = priv_of(req);
	int ret = -EBUSY;

	if (p->msg->flags & SCMI_REQ_DRESP) {
		p->cancel_rx = true;
		ret = 0;
	}
	pthread_mutex_unlock(&e->lock);
	return ret;
}

int scmi_req_cancel(struct scmi_req *req)
{
	struct req_priv *p;
	struct scmi_req_engine *e;
	enum req_state st;

	if (!req)
		return -EINVAL;
	p = priv_of(req);
	if (p->magic != REQ_MAGIC || !p->async || !p->inst)
		return -EINVAL;
	e = engine_of(p->inst);
	pthread_mutex_lock(&e->lock);
	st = p->state;
	switch (st) {
	case RS_BACKLOG:
		list_del(&e->lists[L_BACKLOG], req);
		p->state = RS_BUSY;
		pthread_mutex_unlock(&e->lock);
		req_cancelled(e, req);
		return 0;
	case RS_SENT:
	case RS_DRESP:
		take_locked(e, req);
		pthread_mutex_unlock(&e->lock);
		/* Abandon the command: its token is held back like after a
		 * timeout; decode sees -ECANCELED (releases what it holds). */
		{
			struct scmi_xfer *x = p->xfer;

			if (st == RS_SENT)
				scmi_xfer_resp_result(x, -ECANCELED);
			else
				scmi_xfer_dresp_result(x, -ECANCELED);
			pthread_mutex_lock(&e->lock);
			p->xfer = NULL;
			pthread_mutex_unlock(&e->lock);
			msg_decode(req, -ECANCELED, NULL);
			scmi_xfer_put(x);
		}
		engine_complete(e, req, -ECANCELED);
		return 0;
	case RS_STARTING:
	case RS_SENDING:
		if (p->cancel_early || p->cancel_rx) {
			pthread_mutex_unlock(&e->lock);
			return -EBUSY; /* cancelled already */
		}
		if (p->rx_early)
			return cancel_rx_locked(e, req);
		p->cancel_early = true; /* the sender completes it */
		pthread_mutex_unlock(&e->lock);
		return 0;
	case RS_RXDONE:
		/* Its reply is in: the response phase's (the deadline says so,
		 * see the RX hook) or the delayed response's. */
		if (!p->cancel_rx && !p->deadline_ns)
			return cancel_rx_locked(e, req);
		pthread_mutex_unlock(&e->lock);
		return -EBUSY;
	case RS_BUSY:
		if (p->resp_busy && !p->cancel_rx)
			return cancel_rx_locked(e, req); /* acting on the response */
		pthread_mutex_unlock(&e->lock);
		return -EBUSY;
	case RS_READY:
		pthread_mutex_unlock(&e->lock);
		return -EBUSY;
	default:
		pthread_mutex_unlock(&e->lock);
		return -EINVAL;
	}
}

int scmi_req_outstanding(const struct scmi_handle *h)
{
	struct scmi_req_engine *e;
	int n;

	if (!h)
		return -EINVAL;
	e = engine_of(scmi_inst(h));
	if (!e)
		return 0;
	pthread_mutex_lock(&e->lock);
	n = (int)e->outstanding;
	pthread_mutex_unlock(&e->lock);
	return n;
}

/* ---- the RX path's hooks ---------------------------------------------------------- */

void scmi_req_engine_xfer_event(struct scmi_instance *inst, struct scmi_xfer *x)
{
	struct scmi_req_engine *e = engine_of(inst);
	struct scmi_req *r;

	if (!e || !atomic_load_explicit(&e->started_any, memory_order_acquire))
		return;
	pthread_mutex_lock(&e->lock);
	r = x->req;
	if (r && x->pool == &inst->tx_minfo) {
		struct req_priv *p = priv_of(r);

		if (p->state == RS_SENDING) {
			p->rx_early = true;
		} else if (p->state == RS_SENT || p->state == RS_DRESP) {
			list_del(state_list(e, p->state), r);
			/* Which phase to end: remembered in the deadline. */
			p->deadline_ns = p->state == RS_DRESP ? UINT64_MAX : 0;
			p->state = RS_RXDONE;
			list_add_tail(&e->lists[L_RXDONE], r);
			wake_locked(e);
		}
	}
	pthread_mutex_unlock(&e->lock);
}

void scmi_req_engine_xfer_freed(struct scmi_instance *inst)
{
	struct scmi_req_engine *e = engine_of(inst);

	if (!e || !atomic_load_explicit(&e->started_any, memory_order_acquire))
		return;
	pthread_mutex_lock(&e->lock);
	if (e->xfer_wait) {
		e->xfer_wait = false;
		wake_locked(e);
	}
	pthread_mutex_unlock(&e->lock);
}

/* ---- delivery: the caller's loop, scmi_dispatch() ------------------------------------ */

#define DELIVER_BUDGET 64

static void user_async_cb(uv_async_t *async)
{
	struct scmi_instance *inst = async->data;
	bool more;

	scmi_req_engine_deliver(inst, DELIVER_BUDGET, &more);
	if (more)
		uv_async_send(async); /* let the loop breathe, then go on */
}

static void user_async_close_cb(uv_handle_t *h)
{
	free(h);
}

void scmi_req_dispatch_kick(struct scmi_instance *inst)
{
	struct scmi_req_engine *e = engine_of(inst);
	ssize_t n;

	if (!e || e->delivery != DELIVER_DISPATCH)
		return;
	if (atomic_exchange(&e->signalled, true))
		return;
	do
		n = write(e->pipe[1], "", 1);
	while (n < 0 && errno == EINTR);
	/* EAGAIN: the pipe is full, so it is readable anyway. */
}

int scmi_get_fd(const struct scmi_handle *h)
{
	struct scmi_req_engine *e;

	if (!h)
		return -EINVAL;
	e = engine_of(scmi_inst(h));
	if (!e || e->delivery != DELIVER_DISPATCH)
		return -EINVAL;
	return e->pipe[0];
}

bool scmi_req_dispatching_here(const struct scmi_instance *inst)
{
	struct scmi_req_engine *e = inst->reqs;

	return e && e->delivery == DELIVER_DISPATCH && atomic_load(&e->dispatching) &&
	       pthread_equal(e->dispatch_thread, pthread_self());
}

int scmi_dispatch(const struct scmi_handle *h)
{
	struct scmi_instance *inst;
	struct scmi_req_engine *e;
	struct scmi_frame f;
	bool more_req = false, more_evt = false;
	char buf[64];
	unsigned int n;
	int ret;

	if (!h)
		return -EINVAL;
	inst = scmi_inst(h);
	e = engine_of(inst);
	if (!e || e->delivery != DELIVER_DISPATCH)
		return -EINVAL;
	ret = scmi_call_enter(h, &f);
	if (ret)
		return ret;
	if (atomic_exchange(&e->dispatching, true)) {
		scmi_call_leave(&f);
		return -EBUSY;
	}
	e->dispatch_thread = pthread_self();
	/* Empty the pipe, then clear the flag, then look at the queues: a
	 * producer queues before it signals, so nothing is missed. */
	while (read(e->pipe[0], buf, sizeof(buf)) > 0)
		;
	atomic_store(&e->signalled, false);
	n = scmi_notify_dispatch(inst, DELIVER_BUDGET, &more_evt);
	n += scmi_req_engine_deliver(inst, DELIVER_BUDGET, &more_req);
	atomic_store(&e->dispatching, false);
	if (more_evt || more_req)
		scmi_req_dispatch_kick(inst);
	scmi_call_leave(&f);
	return (int)n;
}

/* ---- life cycle ----------------------------------------------------------------------- */

int scmi_req_engine_init(struct scmi_instance *inst)
{
	struct scmi_req_engine *e = calloc(1, sizeof(*e));
	int ret;

	if (!e)
		return -ENOMEM;
	e->inst = inst;
	e->pipe[0] = e->pipe[1] = -1;
	pthread_mutex_init(&e->lock, NULL);
	scmi_cond_init_monotonic(&e->cond);
	atomic_init(&e->signalled, false);
	atomic_init(&e->dispatching, false);
	atomic_init(&e->started_any, false);
	if (inst->cfg.loop) {
		e->delivery = DELIVER_LOOP;
		e->user_async = calloc(1, sizeof(*e->user_async));
		if (!e->user_async) {
			ret = -ENOMEM;
			goto fail;
		}
		ret = uv_async_init(inst->cfg.loop, e->user_async, user_async_cb);
		if (ret) {
			free(e->user_async);
			e->user_async = NULL;
			goto fail;
		}
		e->user_async->data = inst;
	} else if (inst->cfg.dispatch) {
		e->delivery = DELIVER_DISPATCH;
		if (pipe(e->pipe)) {
			ret = -errno;
			goto fail;
		}
		for (int i = 0; i < 2; i++) {
			fcntl(e->pipe[i], F_SETFL, fcntl(e->pipe[i], F_GETFL) | O_NONBLOCK);
			fcntl(e->pipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	inst->reqs = e;
	return 0;
fail:
	pthread_cond_destroy(&e->cond);
	pthread_mutex_destroy(&e->lock);
	free(e);
	return ret;
}

void scmi_req_engine_shutdown(struct scmi_instance *inst)
{
	struct scmi_req_engine *e = engine_of(inst);
	bool more;

	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	if (e->stop) {
		pthread_mutex_unlock(&e->lock);
		return;
	}
	e->stop = true;
	wake_locked(e);
	pthread_mutex_unlock(&e->lock);
	/* The thread completes every outstanding request with -ECANCELED
	 * (and, delivering itself, runs their callbacks), then exits. */
	if (e->started)
		pthread_join(e->thread, NULL);
	/* Whatever is left to deliver runs here: on the caller's loop
	 * (scmi_close() runs there) or the thread closing a dispatch handle. */
	while (scmi_req_engine_deliver(inst, 0, &more))
		;
	if (e->user_async) {
		uv_close((uv_handle_t *)e->user_async, user_async_close_cb);
		e->user_async = NULL;
	}
}

void scmi_req_engine_free(struct scmi_instance *inst)
{
	struct scmi_req_engine *e = engine_of(inst);

	if (!e)
		return;
	scmi_req_engine_shutdown(inst);
	for (int i = 0; i < 2; i++)
		if (e->pipe[i] >= 0)
			close(e->pipe[i]);
	pthread_cond_destroy(&e->cond);
	pthread_mutex_destroy(&e->lock);
	free(e);
	inst->reqs = NULL;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * Raw mode (scmi/raw.h; the core's hooks: raw.h).
 *
 * One raw core per handle, made by the first raw call and freed with the
 * handle: the sessions, a scratch buffer for the messages it fetches on
 * the RX path, and a protocol handle per protocol id for the request
 * engine (a raw command is an engine request like any op's, its payload
 * written by raw_encode(), its parts recorded by the fill hook).
 *
 * Locks, in the order they may be taken:
 *   core->rx_lock   the scratch buffer (RX path, while raw sessions want
 *                   notifications or errors)
 *   core->lock      sessions, their queues and subscriptions, raw_flags
 *   core->xlock     xfer->raw (attach, detach) and the fill hook's copies
 * and, apart: raw->reqs_lock (a session's requests in flight), never held
 * while one of the above is taken, except around scmi_req_cancel() (which
 * takes the engine's lock and xlock).  No user code runs under any.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

#include "common.h"
#include "entry.h"
#include "protocols.h"
#include "raw.h"
#include "request.h"

#define RAW_DEFAULT_DEPTH 64u
#define RAW_MAX_DEPTH	  4096u
#define RAW_POLL_SPINS	  64
#define RAW_POLL_MAX_NS	  1000000L
#define RAW_PENDING	  (-EINPROGRESS) /* a part not in yet */

struct raw_slot {
	uint64_t timestamp;
	size_t len;    /* the message's bytes */
	size_t stored; /* of which kept */
	uint32_t hdr;
	uint32_t kind;
	uint8_t bytes[];
};

struct raw_ring {
	uint8_t *slots;
	size_t stride;
	unsigned int depth, head, len;
	uint64_t dropped;
};

struct scmi_raw {
	struct scmi_raw_core *core;
	struct scmi_instance *inst;
	struct scmi_raw *prev, *next; /* core->sessions */
	/* core->lock */
	struct raw_ring q[2];
	uint64_t (*subs)[4]; /* [protocol][event bit] */
	bool any_sub;
	pthread_cond_t cond; /* an entry came (CLOCK_MONOTONIC) */
	/* reqs_lock */
	pthread_mutex_t reqs_lock;
	struct scmi_raw_req *reqs;
	unsigned int nreqs;
	bool zombie; /* closed: the last callback frees it */
};

struct scmi_raw_core {
	struct scmi_instance *inst;
	pthread_mutex_t rx_lock;
	pthread_mutex_t lock;
	pthread_mutex_t xlock;
	uint8_t *scratch;
	size_t cap; /* bytes per queue entry and of the scratch buffer */
	struct scmi_raw *sessions;
	struct scmi_protocol_handle ph[256];
};

/* The per-request context the engine keeps for a raw command. */
struct raw_ctx {
	struct scmi_req_msg msg;
	struct scmi_raw_req *rr;
	struct scmi_xfer *x;
};

/* priv_ of struct scmi_raw_req */
#define RR_SESSION 0
#define RR_PREV	   1
#define RR_NEXT	   2
#define RR_CB	   3

_Static_assert(sizeof(scmi_raw_cb) <= sizeof(void *), "a callback in priv_[RR_CB]");

static pthread_mutex_t core_create_lock = PTHREAD_MUTEX_INITIALIZER;

static struct scmi_raw_core *core_of(struct scmi_instance *inst)
{
	return atomic_load_explicit(&inst->raw, memory_order_acquire);
}

static struct scmi_raw_core *core_get(struct scmi_instance *inst)
{
	struct scmi_raw_core *c = core_of(inst);

	if (c)
		return c;
	pthread_mutex_lock(&core_create_lock);
	c = core_of(inst);
	if (!c && (c = calloc(1, sizeof(*c)))) {
		c->inst = inst;
		c->cap = inst->tinfo.max_rx_size + 4;
		if (inst->tinfo.max_notif_size > c->cap)
			c->cap = inst->tinfo.max_notif_size;
		c->scratch = malloc(c->cap);
		if (!c->scratch) {
			free(c);
			c = NULL;
		} else {
			pthread_mutex_init(&c->rx_lock, NULL);
			pthread_mutex_init(&c->lock, NULL);
			pthread_mutex_init(&c->xlock, NULL);
			for (unsigned int i = 0; i < 256; i++) {
				c->ph[i].inst = inst;
				c->ph[i].handle = &inst->handle;
				c->ph[i].id = (uint8_t)i;
			}
			atomic_store_explicit(&inst->raw, c, memory_order_release);
		}
	}
	pthread_mutex_unlock(&core_create_lock);
	return c;
}

/* ---- queues (core->lock) --------------------------------------------------------- */

static int ring_init(struct raw_ring *q, unsigned int depth, size_t cap)
{
	q->stride = (sizeof(struct raw_slot) + cap + 7) & ~(size_t)7;
	q->depth = depth;
	q->slots = calloc(depth, q->stride);
	return q->slots ? 0 : -ENOMEM;
}

static struct raw_slot *ring_slot(struct raw_ring *q, unsigned int i)
{
	return (struct raw_slot *)(void *)(q->slots + (size_t)(i % q->depth) * q->stride);
}

static void ring_push(struct raw_ring *q, size_t cap, uint32_t hdr, uint32_t kind,
		      const void *bytes, size_t len, uint64_t ts)
{
	struct raw_slot *s;

	if (q->len == q->depth) {
		/* Full: the oldest entry makes room. */
		q->head = (q->head + 1) % q->depth;
		q->len--;
		q->dropped++;
	}
	s = ring_slot(q, q->head + q->len);
	s->timestamp = ts;
	s->hdr = hdr;
	s->kind = kind;
	s->len = bytes ? len : 0;
	s->stored = s->len < cap ? s->len : cap;
	if (s->stored)
		memcpy(s->bytes, bytes, s->stored);
	q->len++;
}

static void flags_update_locked(struct scmi_raw_core *c)
{
	unsigned int f = 0;

	for (struct scmi_raw *r = c->sessions; r; r = r->next) {
		f |= SCMI_RAW_WANT_ERRORS;
		if (r->any_sub)
			f |= SCMI_RAW_WANT_NOTIF;
	}
	atomic_store_explicit(&c->inst->raw_flags, f, memory_order_relaxed);
}

static bool subscribed(const struct scmi_raw *r, uint8_t proto, uint8_t evt)
{
	return r->subs[proto][evt / 64] >> (evt % 64) & 1;
}

/* ---- the RX path's hooks ------------------------------------------------------------- */

void scmi_raw_error(struct scmi_instance *inst, enum scmi_raw_error_kind kind, uint32_t hdr,
		    const void *bytes, size_t len)
{
	struct scmi_raw_core *c = core_of(inst);
	uint64_t ts = scmi_now_ns();

	if (!c || !scmi_raw_wants(inst, SCMI_RAW_WANT_ERRORS))
		return;
	pthread_mutex_lock(&c->lock);
	for (struct scmi_raw *r = c->sessions; r; r = r->next) {
		ring_push(&r->q[SCMI_RAW_ERRORS], c->cap, hdr, kind, bytes, len, ts);
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&c->lock);
}

void scmi_raw_drop(struct scmi_instance *inst, uint32_t hdr, void *msg,
		   enum scmi_raw_error_kind kind, const struct scmi_raw_rx *pre)
{
	struct scmi_raw_core *c = core_of(inst);
	size_t len = 0;
	int ret;

	if (pre) {
		/* Fetched by scmi_raw_rx_begin() (rx_lock held). */
		scmi_raw_error(inst, kind, hdr, pre->ret ? NULL : pre->buf,
			       pre->ret ? 0 : pre->len);
		return;
	}
	if (!c || !scmi_raw_wants(inst, SCMI_RAW_WANT_ERRORS) ||
	    (scmi_hdr_type(hdr) == SCMI_MSG_TYPE_NOTIFICATION && !inst->tops->fetch_notification)) {
		if (inst->tops->clear_channel)
			inst->tops->clear_channel(inst->tpriv, msg);
		if (c)
			scmi_raw_error(inst, kind, hdr, NULL, 0);
		return;
	}
	/* Fetching consumes the message as clearing it would. */
	pthread_mutex_lock(&c->rx_lock);
	if (scmi_hdr_type(hdr) == SCMI_MSG_TYPE_NOTIFICATION) {
		ret = inst->tops->fetch_notification(inst->tpriv, msg, c->scratch,
						     inst->tinfo.max_notif_size, &len);
	} else {
		struct scmi_transport_xfer t = {
			.hdr = hdr,
			.rx = c->scratch + 4,
			.rx_size = c->cap - 4,
			.timeout_ms = inst->timeout_ms,
		};

		ret = inst->tops->fetch_response(inst->tpriv, msg, &t);
		if (!ret) {
			scmi_put_le32(c->scratch, (uint32_t)t.status);
			len = 4 + (t.rx_len < c->cap - 4 ? t.rx_len : c->cap - 4);
		}
	}
	scmi_raw_error(inst, kind, hdr, ret ? NULL : c->scratch, ret ? 0 : len);
	pthread_mutex_unlock(&c->rx_lock);
}

bool scmi_raw_rx_begin(struct scmi_instance *inst, uint32_t hdr, void *msg, struct scmi_raw_rx *rx)
{
	struct scmi_raw_core *c = core_of(inst);
	uint64_t ts = scmi_now_ns();
	size_t len = 0;

	if (!c || !scmi_raw_wants(inst, SCMI_RAW_WANT_NOTIF) || !inst->tops->fetch_notification)
		return false;
	pthread_mutex_lock(&c->rx_lock);
	rx->fetched = true;
	rx->ret = inst->tops->fetch_notification(inst->tpriv, msg, c->scratch,
						 inst->tinfo.max_notif_size, &len);
	rx->buf = c->scratch;
	rx->len = rx->ret ? 0 : len;
	if (!rx->ret) {
		pthread_mutex_lock(&c->lock);
		for (struct scmi_raw *r = c->sessions; r; r = r->next) {
			if (!subscribed(r, scmi_hdr_protocol(hdr), scmi_hdr_msg_id(hdr)))
				continue;
			ring_push(&r->q[SCMI_RAW_NOTIFICATIONS], c->cap, hdr, SCMI_RAW_NOT_AN_ERROR,
				  rx->buf, rx->len, ts);
			pthread_cond_broadcast(&r->cond);
		}
		pthread_mutex_unlock(&c->lock);
	}
	return true;
}

void scmi_raw_rx_end(struct scmi_instance *inst, struct scmi_raw_rx *rx)
{
	if (rx->fetched)
		pthread_mutex_unlock(&core_of(inst)->rx_lock);
	rx->fetched = false;
}

int scmi_raw_rx_copy(const struct scmi_raw_rx *rx, void *buf, size_t size, size_t *len)
{
	if (rx->ret)
		return rx->ret;
	if (rx->len > size)
		return -EMSGSIZE;
	memcpy(buf, rx->buf, rx->len);
	*len = rx->len;
	return 0;
}

/* ---- commands: the parts ------------------------------------------------------------- */

static void parts_init(struct scmi_raw_cmd *cmd)
{
	cmd->token = 0;
	memset(&cmd->resp, 0, sizeof(cmd->resp));
	memset(&cmd->dresp, 0, sizeof(cmd->dresp));
	cmd->resp.result = cmd->dresp.result = RAW_PENDING;
	cmd->resp.status = cmd->dresp.status = SCMI_STATUS_NONE;
}

/* The command is over with @ret: say why the parts that did not come
 * did not. */
static void parts_finish(struct scmi_raw_cmd *cmd, int ret)
{
	if (cmd->resp.result == RAW_PENDING)
		cmd->resp.result = ret ? ret : -EPROTO;
	if (cmd->dresp.result == RAW_PENDING) {
		if (!(cmd->flags & SCMI_RAW_DRESP) || cmd->resp.result ||
		    cmd->resp.status != SCMI_SUCCESS)
			cmd->dresp.result = -ENODATA;
		else
			cmd->dresp.result = ret ? ret : -EPROTO;
	}
}

static void part_set(struct scmi_raw_part *p, int ret, int32_t status, uint32_t hdr, size_t len,
		     uint64_t ts)
{
	p->result = ret;
	p->status = status;
	p->hdr = hdr;
	p->len = len;
	p->timestamp = ts;
}

void scmi_raw_xfer_filled(struct scmi_instance *inst, struct scmi_xfer *x, uint8_t type, int ret)
{
	struct scmi_raw_core *c = core_of(inst);
	struct scmi_raw_cmd *cmd;
	uint64_t ts = scmi_now_ns();

	if (!c)
		return;
	pthread_mutex_lock(&c->xlock);
	cmd = atomic_load_explicit(&x->raw, memory_order_relaxed);
	if (cmd) {
		uint32_t hdr = scmi_hdr_pack(x->msg_id, type, x->protocol_id, x->token);
		size_t len = ret ? 0 : x->t.rx_len;
		bool dresp = type == SCMI_MSG_TYPE_DELAYED_RESP;
		void *buf = dresp ? cmd->drx : cmd->rx;
		size_t size = dresp ? cmd->drx_size : cmd->rx_size;

		if (dresp && cmd->resp.result == RAW_PENDING)
			/* It overtook its response: that one is implied. */
			part_set(&cmd->resp, 0, SCMI_SUCCESS,
				 scmi_hdr_pack(x->msg_id, SCMI_MSG_TYPE_COMMAND, x->protocol_id,
					       x->token),
				 0, ts);
		part_set(dresp ? &cmd->dresp : &cmd->resp, ret,
			 ret ? SCMI_STATUS_NONE : x->t.status, hdr, len, ts);
		if (len && size)
			memcpy(buf, x->t.rx, len < size ? len : size);
	}
	pthread_mutex_unlock(&c->xlock);
}

static void xfer_attach(struct scmi_raw_core *c, struct scmi_xfer *x, struct scmi_raw_cmd *cmd)
{
	pthread_mutex_lock(&c->xlock);
	atomic_store_explicit(&x->raw, cmd, memory_order_relaxed);
	cmd->token = x->token;
	pthread_mutex_unlock(&c->xlock);
}

static void xfer_detach(struct scmi_raw_core *c, struct scmi_xfer *x)
{
	pthread_mutex_lock(&c->xlock);
	atomic_store_explicit(&x->raw, NULL, memory_order_relaxed);
	pthread_mutex_unlock(&c->xlock);
}

/* ---- commands: blocking and polling ----------------------------------------------------- */

static bool transport_waits_itself(const struct scmi_instance *inst)
{
	return inst->tinfo.caps & (SCMI_TRANSPORT_POLLING | SCMI_TRANSPORT_COMPLETES_ON_RETURN);
}

/* The calling thread polls for a phase of @x, with a bounded back-off. */
static int poll_phase(struct scmi_instance *inst, struct scmi_xfer *x, bool dresp,
		      unsigned int timeout_ms)
{
	uint64_t deadline = scmi_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	long sleep_ns = 1000;
	unsigned int spins = 0;

	for (;;) {
		if (scmi_xfer_phase_done(x, dresp))
			return 0;
		if (scmi_inst_aborting(inst))
			return -ESHUTDOWN;
		if (scmi_now_ns() >= deadline)
			return -ETIMEDOUT;
		if (spins < RAW_POLL_SPINS) {
			spins++;
			sched_yield();
		} else {
			struct timespec ts = {0, sleep_ns};

			nanosleep(&ts, NULL);
			if (sleep_ns < RAW_POLL_MAX_NS)
				sleep_ns *= 2;
		}
	}
}

static int run_polled(struct scmi_instance *inst, struct scmi_xfer *x, bool dresp)
{
	int ret;

	if (dresp && (ret = scmi_xfer_async_prepare(x)))
		return ret;
	ret = scmi_xfer_send(x);
	if (ret)
		return ret;
	ret = scmi_xfer_resp_result(x, poll_phase(inst, x, false, inst->timeout_ms));
	if (ret || !dresp)
		return ret;
	return scmi_xfer_dresp_result(x, poll_phase(inst, x, true, inst->dresp_timeout_ms));
}

static int cmd_check(const struct scmi_raw_cmd *cmd)
{
	if (!cmd || (cmd->tx_len && !cmd->tx) || (cmd->rx_size && !cmd->rx) ||
	    (cmd->drx_size && !cmd->drx) || (cmd->flags & ~(SCMI_RAW_DRESP | SCMI_RAW_POLL)))
		return -EINVAL;
	return 0;
}

static int send_blocking(struct scmi_instance *inst, struct scmi_raw_core *c,
			 struct scmi_raw_cmd *cmd)
{
	bool dresp = cmd->flags & SCMI_RAW_DRESP;
	struct scmi_xfer *x;
	int ret;

	parts_init(cmd);
	ret = scmi_xfer_get_init(&inst->tx_minfo, cmd->protocol_id, cmd->msg_id, cmd->tx_len, 0,
				 inst->timeout_ms, &x);
	if (ret) {
		parts_finish(cmd, ret);
		return ret;
	}
	if (cmd->tx_len)
		memcpy((void *)x->t.tx, cmd->tx, cmd->tx_len);
	xfer_attach(c, x, cmd);
	if ((cmd->flags & SCMI_RAW_POLL) && !transport_waits_itself(inst))
		ret = run_polled(inst, x, dresp);
	else
		ret = dresp ? scmi_do_xfer_with_response(x) : scmi_do_xfer(x);
	xfer_detach(c, x);
	parts_finish(cmd, ret);
	scmi_xfer_put(x);
	return ret;
}

int scmi_raw_send(struct scmi_raw *raw, struct scmi_raw_cmd *cmd)
{
	struct scmi_frame f;
	int ret;

	if (!raw || cmd_check(cmd))
		return -EINVAL;
	ret = scmi_call_enter(&raw->inst->handle, &f);
	if (ret)
		return ret;
	ret = send_blocking(raw->inst, raw->core, cmd);
	scmi_call_leave(&f);
	return ret;
}

/* The synchronous seed of raw mode, kept: one command, its response. */
int scmi_raw_command(const struct scmi_handle *h, uint8_t protocol_id, uint8_t msg_id,
		     const void *tx, size_t tx_len, void *rx, size_t rx_size, size_t *rx_len)
{
	struct scmi_raw_cmd cmd = {
		.protocol_id = protocol_id,
		.msg_id = msg_id,
		.tx = tx,
		.tx_len = tx_len,
		.rx = rx,
		.rx_size = rx_size,
	};
	struct scmi_raw_core *c;
	struct scmi_frame f;
	int ret;

	if (!h || cmd_check(&cmd))
		return -EINVAL;
	ret = scmi_call_enter(h, &f);
	if (ret)
		return ret;
	c = core_get(scmi_inst(h));
	ret = c ? send_blocking(scmi_inst(h), c, &cmd) : -ENOMEM;
	if (!ret && rx_len)
		*rx_len = cmd.resp.len;
	scmi_call_leave(&f);
	return ret;
}

/* ---- commands: non-blocking -------------------------------------------------------------- */

static void reqs_add(struct scmi_raw *raw, struct scmi_raw_req *r)
{
	pthread_mutex_lock(&raw->reqs_lock);
	r->priv_[RR_PREV] = NULL;
	r->priv_[RR_NEXT] = raw->reqs;
	if (raw->reqs)
		raw->reqs->priv_[RR_PREV] = r;
	raw->reqs = r;
	raw->nreqs++;
	pthread_mutex_unlock(&raw->reqs_lock);
}

/* Returns true when @raw is closed and this was its last request. */
static bool reqs_del(struct scmi_raw *raw, struct scmi_raw_req *r)
{
	struct scmi_raw_req *prev = r->priv_[RR_PREV], *next = r->priv_[RR_NEXT];
	bool last;

	pthread_mutex_lock(&raw->reqs_lock);
	if (prev)
		prev->priv_[RR_NEXT] = next;
	else
		raw->reqs = next;
	if (next)
		next->priv_[RR_PREV] = prev;
	r->priv_[RR_PREV] = r->priv_[RR_NEXT] = NULL;
	raw->nreqs--;
	last = raw->zombie && !raw->nreqs;
	pthread_mutex_unlock(&raw->reqs_lock);
	return last;
}

static void raw_free(struct scmi_raw *raw);

static int raw_encode(struct scmi_req *r, uint8_t *tx, size_t room, size_t *len)
{
	struct raw_ctx *ctx = SCMI_REQ_CTX(r, struct raw_ctx);
	struct scmi_raw_req *rr = ctx->rr;
	struct scmi_raw *raw = rr->priv_[RR_SESSION];
	struct scmi_xfer *x;

	if (rr->cmd.tx_len > room)
		return -EMSGSIZE;
	if (rr->cmd.tx_len)
		memcpy(tx, rr->cmd.tx, rr->cmd.tx_len);
	*len = rr->cmd.tx_len;
	x = scmi_xfer_of_tx(&raw->inst->tx_minfo, tx);
	if (!x)
		return -EINVAL; /* cannot happen: tx is an xfer's */
	xfer_attach(raw->core, x, &rr->cmd);
	ctx->x = x;
	return 0;
}

static int raw_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t rx_len)
{
	struct raw_ctx *ctx = SCMI_REQ_CTX(r, struct raw_ctx);
	struct scmi_raw *raw = ctx->rr->priv_[RR_SESSION];

	(void)rx;
	(void)rx_len;
	if (ctx->x) {
		xfer_detach(raw->core, ctx->x);
		ctx->x = NULL;
	}
	parts_finish(&ctx->rr->cmd, ret);
	return ret;
}

static void raw_req_done(struct scmi_req *req)
{
	struct scmi_raw_req *rr = container_of(req, struct scmi_raw_req, req_);
	struct scmi_raw *raw = rr->priv_[RR_SESSION];
	scmi_raw_cb cb;
	bool last;

	memcpy(&cb, &rr->priv_[RR_CB], sizeof(cb));
	rr->status = req->status;
	last = reqs_del(raw, rr);
	cb(rr);
	if (last)
		raw_free(raw);
}

int scmi_raw_submit(struct scmi_raw *raw, struct scmi_raw_req *r, scmi_raw_cb cb)
{
	struct scmi_req local, *req;
	struct raw_ctx *ctx;
	struct scmi_frame f;
	int ret;

	if (!raw || !r || !cb || cmd_check(&r->cmd) || (r->cmd.flags & SCMI_RAW_POLL))
		return -EINVAL;
	scmi_req_arm(&r->req_, raw_req_done);
	ret = scmi_call_enter(&raw->inst->handle, &f);
	if (ret)
		return scmi_req_submitted(&r->req_, ret);
	/* The request is ours now (not in use): set it up. */
	r->priv_[RR_SESSION] = raw;
	memcpy(&r->priv_[RR_CB], &cb, sizeof(cb));
	r->req_.data = r;
	parts_init(&r->cmd);
	req = scmi_req_begin(&raw->core->ph[r->cmd.protocol_id], &local);
	if (req != &r->req_) {
		/* Not armed after all (cannot happen): nothing sent. */
		scmi_call_leave(&f);
		return scmi_req_submitted(&r->req_, -EINVAL);
	}
	ctx = SCMI_REQ_CTX(req, struct raw_ctx);
	ctx->msg = (struct scmi_req_msg){
		.msg_id = r->cmd.msg_id,
		.flags = r->cmd.flags & SCMI_RAW_DRESP ? SCMI_REQ_DRESP : 0,
		.encode = raw_encode,
		.decode = raw_decode,
	};
	ctx->rr = r;
	reqs_add(raw, r);
	ret = scmi_req_run_len(req, &ctx->msg, r->cmd.tx_len);
	scmi_call_leave(&f);
	ret = scmi_req_submitted(&r->req_, ret);
	if (ret)
		reqs_del(raw, r);
	return ret;
}

int scmi_raw_cancel(struct scmi_raw_req *r)
{
	return r ? scmi_req_cancel(&r->req_) : -EINVAL;
}

/* ---- sessions ------------------------------------------------------------------------------ */

static void raw_free(struct scmi_raw *raw)
{
	for (int i = 0; i < 2; i++)
		free(raw->q[i].slots);
	free(raw->subs);
	pthread_cond_destroy(&raw->cond);
	pthread_mutex_destroy(&raw->reqs_lock);
	free(raw);
}

int scmi_raw_open(const struct scmi_handle *h, unsigned int depth, struct scmi_raw **out)
{
	struct scmi_raw_core *c;
	struct scmi_raw *raw;
	struct scmi_frame f;
	int ret;

	if (!h || !out || depth > RAW_MAX_DEPTH)
		return -EINVAL;
	ret = scmi_call_enter(h, &f);
	if (ret)
		return ret;
	ret = -ENOMEM;
	c = core_get(scmi_inst(h));
	raw = c ? calloc(1, sizeof(*raw)) : NULL;
	if (!raw)
		goto out;
	raw->core = c;
	raw->inst = c->inst;
	raw->subs = calloc(256, sizeof(*raw->subs));
	if (!raw->subs || ring_init(&raw->q[0], depth ? depth : RAW_DEFAULT_DEPTH, c->cap) ||
	    ring_init(&raw->q[1], depth ? depth : RAW_DEFAULT_DEPTH, c->cap)) {
		free(raw->subs);
		free(raw->q[0].slots);
		free(raw->q[1].slots);
		free(raw);
		goto out;
	}
	scmi_cond_init_monotonic(&raw->cond);
	pthread_mutex_init(&raw->reqs_lock, NULL);
	pthread_mutex_lock(&c->lock);
	raw->next = c->sessions;
	if (raw->next)
		raw->next->prev = raw;
	c->sessions = raw;
	flags_update_locked(c);
	pthread_mutex_unlock(&c->lock);
	*out = raw;
	ret = 0;
out:
	scmi_call_leave(&f);
	return ret;
}

/* The bits of events @e0..@e1 in word @w of a protocol's selection (a
 * word at a time: "any" is 64 Ki bits). */
static uint64_t events_mask(int w, int e0, int e1)
{
	int lo = e0 > 64 * w ? e0 - 64 * w : 0;
	int hi = e1 < 64 * w + 63 ? e1 - 64 * w : 63;

	if (lo > hi)
		return 0;
	return (~0ull >> (63 - hi)) & (~0ull << lo);
}

int scmi_raw_subscribe(struct scmi_raw *raw, int protocol_id, int evt_id, bool on)
{
	struct scmi_raw_core *c;
	int p0, p1, e0, e1;

	if (!raw || protocol_id < SCMI_RAW_ANY || protocol_id > 255 || evt_id < SCMI_RAW_ANY ||
	    evt_id > 255)
		return -EINVAL;
	c = raw->core;
	p0 = protocol_id < 0 ? 0 : protocol_id;
	p1 = protocol_id < 0 ? 255 : protocol_id;
	e0 = evt_id < 0 ? 0 : evt_id;
	e1 = evt_id < 0 ? 255 : evt_id;
	pthread_mutex_lock(&c->lock);
	for (int p = p0; p <= p1; p++) {
		for (int w = 0; w < 4; w++) {
			uint64_t m = events_mask(w, e0, e1);

			if (on)
				raw->subs[p][w] |= m;
			else
				raw->subs[p][w] &= ~m;
		}
	}
	if (!on) {
		raw->any_sub = false;
		for (int p = 0; p < 256 && !raw->any_sub; p++)
			for (int w = 0; w < 4; w++)
				raw->any_sub |= raw->subs[p][w] != 0;
	} else {
		raw->any_sub = true;
	}
	flags_update_locked(c);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/* The queue to read from: @q's if not empty; for SCMI_RAW_EITHER the one
 * whose oldest entry is older.  NULL: nothing to read.  core->lock. */
static struct raw_ring *ring_pick(struct scmi_raw *raw, enum scmi_raw_queue q)
{
	struct raw_ring *n = &raw->q[SCMI_RAW_NOTIFICATIONS], *e = &raw->q[SCMI_RAW_ERRORS];

	if (q != SCMI_RAW_EITHER)
		return raw->q[q].len ? &raw->q[q] : NULL;
	if (!n->len || !e->len)
		return n->len ? n : e->len ? e : NULL;
	return ring_slot(e, e->head)->timestamp < ring_slot(n, n->head)->timestamp ? e : n;
}

int scmi_raw_read(struct scmi_raw *raw, enum scmi_raw_queue q, struct scmi_raw_event *ev, void *buf,
		  size_t size, int timeout_ms)
{
	struct scmi_waiter w;
	struct scmi_raw_core *c;
	struct timespec deadline;
	struct raw_ring *ring;
	struct scmi_frame f;
	int ret;

	if (!raw || (q != SCMI_RAW_NOTIFICATIONS && q != SCMI_RAW_ERRORS && q != SCMI_RAW_EITHER) ||
	    !ev || (size && !buf))
		return -EINVAL;
	c = raw->core;
	ret = scmi_call_enter(&raw->inst->handle, &f);
	if (ret)
		return ret;
	w.lock = &c->lock;
	w.cond = &raw->cond;
	if (timeout_ms)
		scmi_waiter_add(raw->inst, &w);
	if (timeout_ms > 0)
		deadline = scmi_deadline_ms((unsigned int)timeout_ms);
	pthread_mutex_lock(&c->lock);
	while (!(ring = ring_pick(raw, q)) && timeout_ms && !scmi_inst_aborting(raw->inst)) {
		if (timeout_ms < 0)
			pthread_cond_wait(&raw->cond, &c->lock);
		else if (pthread_cond_timedwait(&raw->cond, &c->lock, &deadline) == ETIMEDOUT)
			break;
	}
	if (ring || (ring = ring_pick(raw, q))) {
		struct raw_slot *s = ring_slot(ring, ring->head);
		size_t n = s->stored < size ? s->stored : size;

		ev->hdr = s->hdr;
		ev->kind = (enum scmi_raw_error_kind)s->kind;
		ev->timestamp = s->timestamp;
		ev->len = s->len;
		if (n)
			memcpy(buf, s->bytes, n);
		ring->head = (ring->head + 1) % ring->depth;
		ring->len--;
		ret = (int)n;
	} else {
		ret = scmi_inst_aborting(raw->inst) ? -ESHUTDOWN : -EAGAIN;
	}
	pthread_mutex_unlock(&c->lock);
	if (timeout_ms)
		scmi_waiter_del(raw->inst, &w);
	scmi_call_leave(&f);
	return ret;
}

int scmi_raw_pending(struct scmi_raw *raw, enum scmi_raw_queue q, uint64_t *dropped)
{
	int n;

	if (!raw || (q != SCMI_RAW_NOTIFICATIONS && q != SCMI_RAW_ERRORS))
		return -EINVAL;
	pthread_mutex_lock(&raw->core->lock);
	n = (int)raw->q[q].len;
	if (dropped)
		*dropped = raw->q[q].dropped;
	pthread_mutex_unlock(&raw->core->lock);
	return n;
}

int scmi_raw_reset(struct scmi_raw *raw)
{
	int n = 0;

	if (!raw)
		return -EINVAL;
	pthread_mutex_lock(&raw->core->lock);
	for (int i = 0; i < 2; i++)
		raw->q[i].head = raw->q[i].len = 0;
	pthread_mutex_unlock(&raw->core->lock);
	/* Held throughout: no request of the session can be delivered (and
	 * freed by its owner) while it is being cancelled. */
	pthread_mutex_lock(&raw->reqs_lock);
	for (struct scmi_raw_req *r = raw->reqs; r; r = r->priv_[RR_NEXT])
		if (!scmi_req_cancel(&r->req_))
			n++;
	pthread_mutex_unlock(&raw->reqs_lock);
	return n;
}

void scmi_raw_close(struct scmi_raw *raw)
{
	struct scmi_raw_core *c;
	bool now;

	if (!raw)
		return;
	c = raw->core;
	scmi_raw_reset(raw);
	pthread_mutex_lock(&c->lock);
	if (raw->prev)
		raw->prev->next = raw->next;
	else
		c->sessions = raw->next;
	if (raw->next)
		raw->next->prev = raw->prev;
	flags_update_locked(c);
	pthread_mutex_unlock(&c->lock);
	pthread_mutex_lock(&raw->reqs_lock);
	now = !raw->nreqs;
	raw->zombie = !now;
	pthread_mutex_unlock(&raw->reqs_lock);
	if (now)
		raw_free(raw);
}

void scmi_raw_core_free(struct scmi_instance *inst)
{
	struct scmi_raw_core *c = core_of(inst);

	if (!c)
		return;
	/* The engine is gone: every request's callback has run. */
	while (c->sessions) {
		struct scmi_raw *raw = c->sessions;

		c->sessions = raw->next;
		raw_free(raw);
	}
	atomic_store(&inst->raw_flags, 0);
	atomic_store(&inst->raw, NULL);
	pthread_mutex_destroy(&c->rx_lock);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->xlock);
	free(c->scratch);
	free(c);
}

const char *scmi_raw_error_name(enum scmi_raw_error_kind kind)
{
	static const char *const names[] = {
		[SCMI_RAW_NOT_AN_ERROR] = "notification",
		[SCMI_RAW_ERR_UNKNOWN_TOKEN] = "unknown_token",
		[SCMI_RAW_ERR_LATE] = "late",
		[SCMI_RAW_ERR_UNEXPECTED] = "unexpected",
		[SCMI_RAW_ERR_BAD_LENGTH] = "bad_length",
		[SCMI_RAW_ERR_BAD_TYPE] = "bad_type",
		[SCMI_RAW_ERR_NOTIFICATION] = "bad_notification",
	};

	if ((unsigned int)kind >= ARRAY_SIZE(names))
		return "?";
	return names[kind];
}

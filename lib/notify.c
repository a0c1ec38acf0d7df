// SPDX-License-Identifier: BSD-3-Clause
/*
 * The notification core (docs/DESIGN.md, "Notifications"): registrations,
 * refcounted platform-side enables, pending registrations, and dispatch.
 *
 * Objects:
 *   struct notify_proto  one per protocol that registered its events:
 *                        event queue, delivery worker, handler table,
 *                        enable refcounts, counters.  Published once in
 *                        ni->protos[] and never freed before the handle.
 *   struct notify_handler one per event key (proto<<24|evt<<16|src, with
 *                        src = SRC_ALL for all-source listeners): a chain of
 *                        registrations sorted by (priority desc, seq asc).
 *   struct notify_reg    one registration of a notifier block.
 *
 * Pending registrations (protocol not up yet) live in ni->pending, a hash
 * table keyed by (event key, notifier block).  When the protocol comes up,
 * scmi_notify_protocol_register() marks its pending ones `binding`, and
 * moves each to its chain under p->enable_lock, then enables it: an
 * unregistration finds a registration in one of the two places, and one
 * that finds it in neither place waits on enable_lock for the attach to
 * finish.  Unregistering one that is being bound takes it out of the table
 * and marks it `cancelled`; the binder then frees it instead of inserting
 * it.
 *
 * A registration is on its chain before the platform is told to send the
 * event (an event may follow the enable's response at once), and enabled
 * and inserted, or neither, whenever enable_lock is free.
 *
 * Locks, in the order they may be taken:
 *   p->enable_lock  enable refcounts, attach and removal of registrations;
 *                   held while sending *_NOTIFY commands
 *   ni->lock        pending table, publication of protocols
 *   p->lock         handler table, chains, handler refs and `calling`
 * p->lock is never held while user code runs or a command is sent.
 *
 * Dispatch walks a chain one registration at a time under p->lock, calling
 * each callback with the lock dropped and remembering its position as the
 * (priority, seq) of the last one called, so registrations may come and go
 * during a dispatch.  A handler being dispatched holds a reference, so an
 * unregistration never frees what the dispatch uses; the unregistration
 * also waits for the callback it removes to return, unless it is called
 * from a delivery thread of the same handle (that could deadlock).
 */
#include <errno.h>
#include <stdlib.h>

#include <uthash.h>

#include "entry.h"
#include "events.h"
#include "handle.h"
#include "notify.h"
#include "request.h"
#include "protocols.h"
#include "raw.h"
#include "trace.h"

#define SRC_ALL		    0xffffu
#define MAX_SOURCES	    0xffffu
#define DEFAULT_QUEUE_DEPTH 256u
#define USER_LOOP_BUDGET    64u
#define MAKE_KEY(p, e, s)   ((uint32_t)(p) << 24 | (uint32_t)(e) << 16 | (uint32_t)(s))

struct notify_proto;

/* The key of a pending registration (no implicit padding: hashed as bytes). */
struct pending_key {
	const struct scmi_notifier_block *nb;
	uint32_t key;
	uint32_t zero;
};

struct notify_reg {
	struct scmi_notifier_block *nb;
	uint8_t proto_id;
	uint8_t evt_id;
	bool all;
	uint32_t src_id;
	int priority;
	uint64_t seq;
	/* Sources this registration holds an enable reference on: one bit
	 * per source for ALL, bit 0 for a single source. */
	uint8_t *refs;
	struct notify_reg *next; /* private lists (binding, teardown) */
	/* Pending only, under ni->lock. */
	struct pending_key pkey;
	UT_hash_handle hh;
	bool binding;	/* its protocol came up: being enabled and bound */
	bool cancelled; /* unregistered while binding: the binder frees it */
};

struct notify_handler {
	uint32_t key;
	UT_hash_handle hh;
	struct notify_reg **chain;
	unsigned int len, cap;
	unsigned int refs; /* dispatchers and waiters */
	bool unhooked;	   /* out of the table: free at refs == 0 */
	struct scmi_notifier_block *calling;
	pthread_t calling_thread;
	pthread_cond_t cond; /* a callback returned */
};

struct notify_counters {
	atomic_uint_fast64_t received;
	atomic_uint_fast64_t delivered;
	atomic_uint_fast64_t dropped_queue_full;
	atomic_uint_fast64_t dropped_no_handler;
	atomic_uint_fast64_t dropped_malformed;
	atomic_uint_fast64_t tampered;
};

struct notify_proto {
	struct scmi_notify_instance *ni;
	const struct scmi_protocol_handle *ph;
	uint8_t id;
	const struct scmi_protocol_events *ee;
	unsigned int num_sources;
	int16_t evt_index[256]; /* event id -> index in ee->evts, or -1 */

	struct scmi_event_queue q;
	struct scmi_event_worker worker;
	int nice;
	/* Delivery side only. */
	uint8_t *report;
	uint8_t *pristine;
	size_t report_sz;

	pthread_mutex_t lock;
	struct notify_handler *handlers;
	atomic_uint num_regs; /* read locklessly by the RX thread */

	pthread_mutex_t enable_lock;
	uint32_t *enable_refs; /* [evt index][source] */

	struct notify_counters cnt;
	/* On the caller's loop: being drained, do not start another drain. */
	atomic_bool in_user_drain;
};

struct scmi_notify_instance {
	struct scmi_instance *inst;
	pthread_mutex_t lock;
	_Atomic(struct notify_proto *) protos[256];
	struct notify_reg *pending; /* hash table, see the top */
	uint64_t next_seq;
	atomic_bool shutdown;
	/* Delivery on the caller's loop (config.loop), whose thread is the
	 * one that called scmi_open() (documented). */
	uv_async_t *user_async;
	/* scmi_config.dispatch: delivery in scmi_dispatch() (lib/request.c). */
	bool dispatch;
	pthread_t loop_thread;
	atomic_uint user_rr;	    /* round-robin start */
	atomic_bool close_deferred; /* scmi_close() to finish on that loop */
};

/* The handle whose callbacks the current thread is delivering, if any. */
static _Thread_local struct scmi_notify_instance *delivering_ni;

static struct scmi_notify_instance *ni_of(const struct scmi_handle *h)
{
	return scmi_inst(h)->notify;
}

static struct notify_proto *proto_get(struct scmi_notify_instance *ni, uint8_t id)
{
	return atomic_load_explicit(&ni->protos[id], memory_order_acquire);
}

/* ---- registrations -------------------------------------------------------- */

static void reg_free(struct notify_reg *r)
{
	if (r) {
		free(r->refs);
		free(r);
	}
}

static uint32_t reg_key(const struct notify_reg *r)
{
	return MAKE_KEY(r->proto_id, r->evt_id, r->all ? SRC_ALL : r->src_id);
}

static struct notify_reg *reg_new(struct scmi_notify_instance *ni, uint8_t proto_id, uint8_t evt_id,
				  const uint32_t *src_id, struct scmi_notifier_block *nb)
{
	struct notify_reg *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->nb = nb;
	r->proto_id = proto_id;
	r->evt_id = evt_id;
	r->all = src_id == NULL;
	r->src_id = src_id ? *src_id : 0;
	r->priority = nb->priority;
	r->pkey.nb = nb;
	r->pkey.key = reg_key(r);
	pthread_mutex_lock(&ni->lock);
	r->seq = ni->next_seq++;
	pthread_mutex_unlock(&ni->lock);
	return r;
}

/* Is the registration valid for protocol @p?  Logs why not. */
static int reg_check(struct notify_proto *p, const struct notify_reg *r)
{
	struct scmi_instance *inst = p->ni->inst;

	if (p->evt_index[r->evt_id] < 0) {
		scmi_dbg_reason(&inst->log, "notify: %s has no event 0x%x",
				scmi_protocol_name(p->id), r->evt_id);
		return -EINVAL;
	}
	if (!r->all && r->src_id >= p->num_sources) {
		scmi_dbg_reason(&inst->log, "notify: %s event 0x%x: no source %u (of %u)",
				scmi_protocol_name(p->id), r->evt_id, r->src_id, p->num_sources);
		return -EINVAL;
	}
	return 0;
}

/* ---- platform-side enables ---------------------------------------------------- */

static uint32_t *enable_ref(struct notify_proto *p, uint8_t evt_id, uint32_t src)
{
	return &p->enable_refs[(size_t)p->evt_index[evt_id] * p->num_sources + src];
}

/* Take a reference on (evt, src); the first one enables it.  enable_lock held. */
static int enable_get_locked(struct notify_proto *p, uint8_t evt_id, uint32_t src)
{
	uint32_t *ref = enable_ref(p, evt_id, src);
	int ret;

	if ((*ref)++)
		return 0;
	ret = p->ee->ops->set_notify_enabled(p->ph, evt_id, src, true);
	if (ret)
		(*ref)--;
	return ret;
}

static void enable_put_locked(struct notify_proto *p, uint8_t evt_id, uint32_t src)
{
	uint32_t *ref = enable_ref(p, evt_id, src);
	int ret;

	if (!*ref || --(*ref))
		return;
	ret = p->ee->ops->set_notify_enabled(p->ph, evt_id, src, false);
	if (ret)
		scmi_warn(&p->ni->inst->log, "notify: disabling %s event 0x%x source %u: %s",
			  scmi_protocol_name(p->id), evt_id, src, scmi_strerror(ret));
}

/*
 * Take the registration's enable references.  A single source must
 * succeed; all-sources succeeds if at least one source does (sources
 * without notification support refuse).  enable_lock held.
 */
static int reg_enable_locked(struct notify_proto *p, struct notify_reg *r)
{
	unsigned int n = r->all ? p->num_sources : 1, ok = 0, refused = 0, first = 0;
	int ret = 0, last = 0;

	r->refs = calloc((n + 7) / 8, 1);
	if (!r->refs)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		uint32_t src = r->all ? i : r->src_id;

		ret = enable_get_locked(p, r->evt_id, src);
		if (ret) {
			if (!refused++)
				first = src;
			last = ret;
			if (ret == -ETIMEDOUT || ret == -ESHUTDOWN)
				break; /* the platform is gone: do not try every source */
			continue;
		}
		r->refs[i / 8] |= (uint8_t)(1u << (i % 8));
		ok++;
	}
	/* One line per registration, not one per source: an all-sources
	 * registration on a platform of 65535 sources must not flood the log. */
	if (refused == 1)
		scmi_dbg(&p->ni->inst->log, "notify: enabling %s event 0x%x source %u: %s",
			 scmi_protocol_name(p->id), r->evt_id, first, scmi_strerror(last));
	else if (refused)
		scmi_dbg(&p->ni->inst->log,
			 "notify: enabling %s event 0x%x: %u sources refused (from source %u; "
			 "last: %s)",
			 scmi_protocol_name(p->id), r->evt_id, refused, first, scmi_strerror(last));
	if (!ok) {
		free(r->refs);
		r->refs = NULL;
		return last ? last : -EINVAL;
	}
	return 0;
}

static void reg_disable(struct notify_proto *p, struct notify_reg *r)
{
	unsigned int n = r->all ? p->num_sources : 1;

	if (!r->refs)
		return;
	pthread_mutex_lock(&p->enable_lock);
	for (unsigned int i = 0; i < n; i++)
		if (r->refs[i / 8] & (1u << (i % 8)))
			enable_put_locked(p, r->evt_id, r->all ? i : r->src_id);
	pthread_mutex_unlock(&p->enable_lock);
	free(r->refs);
	r->refs = NULL;
}

/* ---- handlers and chains (p->lock held) ------------------------------------- */

static struct notify_handler *handler_find(struct notify_proto *p, uint32_t key)
{
	struct notify_handler *hd;

	HASH_FIND(hh, p->handlers, &key, sizeof(key), hd);
	return hd;
}

static void handler_free(struct notify_handler *hd)
{
	pthread_cond_destroy(&hd->cond);
	free(hd->chain);
	free(hd);
}

/* Drop a reference; free the handler if it left the table and is idle. */
static void handler_put_locked(struct notify_handler *hd)
{
	if (--hd->refs == 0 && hd->unhooked)
		handler_free(hd);
}

/* Sort order of a chain: priority descending, then registration order. */
static bool reg_before(int prio_a, uint64_t seq_a, int prio_b, uint64_t seq_b)
{
	return prio_a > prio_b || (prio_a == prio_b && seq_a < seq_b);
}

static int chain_insert_locked(struct notify_proto *p, struct notify_reg *r)
{
	uint32_t key = reg_key(r);
	struct notify_handler *hd = handler_find(p, key);
	unsigned int pos;

	if (!hd) {
		hd = calloc(1, sizeof(*hd));
		if (!hd)
			return -ENOMEM;
		hd->key = key;
		pthread_cond_init(&hd->cond, NULL);
		HASH_ADD(hh, p->handlers, key, sizeof(hd->key), hd);
	}
	for (unsigned int i = 0; i < hd->len; i++)
		if (hd->chain[i]->nb == r->nb)
			return -EEXIST;
	if (hd->len == hd->cap) {
		unsigned int cap = hd->cap ? 2 * hd->cap : 4;
		struct notify_reg **chain = realloc(hd->chain, cap * sizeof(*chain));

		if (!chain)
			return -ENOMEM;
		hd->chain = chain;
		hd->cap = cap;
	}
	for (pos = 0; pos < hd->len; pos++)
		if (reg_before(r->priority, r->seq, hd->chain[pos]->priority, hd->chain[pos]->seq))
			break;
	memmove(&hd->chain[pos + 1], &hd->chain[pos], (hd->len - pos) * sizeof(*hd->chain));
	hd->chain[pos] = r;
	hd->len++;
	atomic_fetch_add(&p->num_regs, 1);
	return 0;
}

/* Take @nb's registration off the chain of @key; NULL if absent.  If the
 * chain empties, the handler leaves the table; *@hdp keeps a reference. */
static struct notify_reg *chain_remove_locked(struct notify_proto *p, uint32_t key,
					      const struct scmi_notifier_block *nb,
					      struct notify_handler **hdp)
{
	struct notify_handler *hd = handler_find(p, key);
	struct notify_reg *r = NULL;

	*hdp = NULL;
	if (!hd)
		return NULL;
	for (unsigned int i = 0; i < hd->len; i++) {
		if (hd->chain[i]->nb != nb)
			continue;
		r = hd->chain[i];
		memmove(&hd->chain[i], &hd->chain[i + 1], (hd->len - i - 1) * sizeof(*hd->chain));
		hd->len--;
		break;
	}
	if (!r)
		return NULL;
	atomic_fetch_sub(&p->num_regs, 1);
	if (!hd->len) {
		HASH_DEL(p->handlers, hd);
		hd->unhooked = true;
	}
	hd->refs++;
	*hdp = hd;
	return r;
}

static void worker_drain(void *arg);

/*
 * The first registration of a protocol starts its delivery thread.  It must
 * exist before the registration is published (num_regs): from then on the
 * RX thread queues events and wakes it.  p->lock held.
 */
static int worker_ensure(struct notify_proto *p)
{
	int ret;

	if (p->ni->user_async || p->ni->dispatch || p->worker.started)
		return 0;
	ret = scmi_event_worker_start(&p->worker, worker_drain, p, p->nice);
	if (ret)
		scmi_err(&p->ni->inst->log, "notify: cannot start %s delivery thread: %s",
			 scmi_protocol_name(p->id), scmi_strerror(ret));
	return ret;
}

static bool waiting_would_deadlock(struct scmi_notify_instance *ni, const struct notify_handler *hd)
{
	return delivering_ni == ni || pthread_equal(hd->calling_thread, pthread_self());
}

/*
 * After chain_remove_locked() handed out @hd: wait until @nb's callback is
 * not running (unless that could deadlock) and drop the handler reference.
 * No lock held; @hd may be NULL.
 */
static void handler_release(struct notify_proto *p, struct notify_handler *hd,
			    const struct scmi_notifier_block *nb)
{
	if (!hd)
		return;
	pthread_mutex_lock(&p->lock);
	while (hd->calling == nb && !waiting_would_deadlock(p->ni, hd))
		pthread_cond_wait(&hd->cond, &p->lock);
	handler_put_locked(hd);
	pthread_mutex_unlock(&p->lock);
}

/*
 * Insert a registration into a registered protocol's chain, then enable it
 * at the platform.  In that order: the platform may send the event as soon
 * as it has acknowledged the enable, and the RX thread drops events nobody
 * listens to.  p->enable_lock, held by the caller across both steps, keeps
 * an unregistration (which takes it too) from removing the registration
 * half attached.  If enabling fails the registration leaves the chain
 * again, and *@hdp is the handler to pass to handler_release() once
 * enable_lock is dropped (a late event of an earlier enable may be calling
 * the callback).
 */
static int reg_attach_locked(struct notify_proto *p, struct notify_reg *r,
			     struct notify_handler **hdp)
{
	int ret = reg_check(p, r);

	*hdp = NULL;
	if (ret)
		return ret;
	pthread_mutex_lock(&p->lock);
	ret = atomic_load(&p->ni->shutdown) ? -ESHUTDOWN : worker_ensure(p);
	if (!ret)
		ret = chain_insert_locked(p, r);
	pthread_mutex_unlock(&p->lock);
	if (ret)
		return ret;
	ret = reg_enable_locked(p, r);
	if (ret) {
		pthread_mutex_lock(&p->lock);
		chain_remove_locked(p, reg_key(r), r->nb, hdp);
		pthread_mutex_unlock(&p->lock);
	}
	return ret;
}

/* Attach a registration to a registered protocol (reg_attach_locked()). */
static int reg_attach(struct notify_proto *p, struct notify_reg *r)
{
	struct notify_handler *hd;
	int ret;

	pthread_mutex_lock(&p->enable_lock);
	ret = reg_attach_locked(p, r, &hd);
	pthread_mutex_unlock(&p->enable_lock);
	handler_release(p, hd, r->nb);
	return ret;
}

/* ---- notify_ops ------------------------------------------------------------------ */

/* The pending registration of @nb for @key, if any.  ni->lock held. */
static struct notify_reg *pending_find(struct scmi_notify_instance *ni, uint32_t key,
				       const struct scmi_notifier_block *nb)
{
	struct pending_key k = {.nb = nb, .key = key, .zero = 0};
	struct notify_reg *r;

	HASH_FIND(hh, ni->pending, &k, sizeof(k), r);
	return r;
}

/* Can @proto_id have notifications on this platform?  -EINVAL: not a
 * protocol id; -EOPNOTSUPP: the platform does not list it. */
static int notify_protocol_check(struct scmi_notify_instance *ni, uint8_t proto_id)
{
	if (proto_id < SCMI_PROTOCOL_BASE) {
		scmi_dbg_reason(&ni->inst->log, "notify: 0x%x is no protocol id", proto_id);
		return -EINVAL;
	}
	if (!scmi_inst_protocol_listed(ni->inst, proto_id)) {
		scmi_dbg_reason(&ni->inst->log, "notify: the platform has no protocol 0x%x",
				proto_id);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int notifier_register(const struct scmi_handle *h, uint8_t proto_id, uint8_t evt_id,
			     const uint32_t *src_id, struct scmi_notifier_block *nb)
{
	struct scmi_notify_instance *ni;
	struct scmi_protocol_handle *ph;
	struct notify_proto *p;
	struct notify_reg *r;
	int ret, up = -1;

	if (!h || !nb || !nb->notifier_call || (src_id && *src_id >= MAX_SOURCES))
		return -EINVAL;
	ni = ni_of(h);
	if (atomic_load(&ni->shutdown))
		return -ESHUTDOWN;
	ret = notify_protocol_check(ni, proto_id);
	if (ret)
		return ret;
	if (!(ni->inst->tinfo.caps & SCMI_TRANSPORT_P2A)) {
		/* No notification could ever arrive. */
		scmi_dbg_reason(&ni->inst->log, "notify: %s:// has no P2A channel",
				ni->inst->tdesc->scheme);
		return -EOPNOTSUPP;
	}
	/* Bring the protocol up if we can: that registers its events.  If it
	 * cannot come up (yet), the registration is kept pending below. */
	if (!proto_get(ni, proto_id))
		up = scmi_protocol_acquire(h, proto_id, &ph);
	if (up == -ESHUTDOWN)
		return up;
	r = reg_new(ni, proto_id, evt_id, src_id, nb);
	if (!r)
		return -ENOMEM;

	pthread_mutex_lock(&ni->lock);
	p = proto_get(ni, proto_id);
	if (!p && up == 0) {
		/* Up, and it registered no events (none in the protocol, or
		 * no sources on this platform): nothing to wait for. */
		pthread_mutex_unlock(&ni->lock);
		reg_free(r);
		scmi_dbg_reason(&ni->inst->log, "notify: %s has no events",
				scmi_protocol_name(proto_id));
		return -EINVAL;
	}
	/* Still pending, or being bound right now. */
	if (pending_find(ni, r->pkey.key, nb)) {
		pthread_mutex_unlock(&ni->lock);
		reg_free(r);
		return -EEXIST;
	}
	if (!p) {
		HASH_ADD(hh, ni->pending, pkey, sizeof(r->pkey), r);
		pthread_mutex_unlock(&ni->lock);
		scmi_info(&ni->inst->log, "notify: %s event 0x%x kept pending",
			  scmi_protocol_name(proto_id), evt_id);
		return 0;
	}
	pthread_mutex_unlock(&ni->lock);

	ret = reg_attach(p, r);
	if (ret)
		reg_free(r);
	return ret;
}

static int notifier_unregister(const struct scmi_handle *h, uint8_t proto_id, uint8_t evt_id,
			       const uint32_t *src_id, struct scmi_notifier_block *nb)
{
	uint32_t key = MAKE_KEY(proto_id, evt_id, src_id ? *src_id : SRC_ALL);
	struct scmi_notify_instance *ni;
	struct notify_handler *hd;
	struct notify_proto *p;
	struct notify_reg *r;

	if (!h || !nb || (src_id && *src_id >= MAX_SOURCES) || proto_id < SCMI_PROTOCOL_BASE)
		return -EINVAL;
	ni = ni_of(h);

	pthread_mutex_lock(&ni->lock);
	r = pending_find(ni, key, nb);
	if (r) {
		HASH_DEL(ni->pending, r);
		if (r->binding) {
			r->cancelled = true; /* never inserted; the binder frees it */
			r = NULL;
		}
		pthread_mutex_unlock(&ni->lock);
		reg_free(r);
		return 0;
	}
	/* Not pending: bound already (moved under ni->lock), or absent. */
	p = proto_get(ni, proto_id);
	pthread_mutex_unlock(&ni->lock);
	if (!p)
		return -ENOENT;

	/* enable_lock: not while an attach holds the registration half done. */
	pthread_mutex_lock(&p->enable_lock);
	pthread_mutex_lock(&p->lock);
	r = chain_remove_locked(p, key, nb, &hd);
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_unlock(&p->enable_lock);
	if (!r)
		return -ENOENT;
	/* The callback may be running right now on a delivery thread. */
	handler_release(p, hd, nb);

	reg_disable(p, r);
	reg_free(r);
	return 0;
}

const struct scmi_notify_ops scmi_notify_ops = {
	.event_notifier_register = notifier_register,
	.event_notifier_unregister = notifier_unregister,
};

/* ---- protocol registration ----------------------------------------------------- */

static unsigned int queue_depth_for(struct scmi_instance *inst, uint8_t id, int *nice)
{
	unsigned int depth =
		inst->cfg.event_queue_depth ? inst->cfg.event_queue_depth : DEFAULT_QUEUE_DEPTH;

	*nice = 0;
	for (size_t i = 0; i < inst->cfg.num_event_queues; i++) {
		if (inst->cfg.event_queues[i].protocol_id == id) {
			if (inst->cfg.event_queues[i].depth)
				depth = inst->cfg.event_queues[i].depth;
			*nice = inst->cfg.event_queues[i].nice;
		}
	}
	return depth;
}

static void proto_free(struct notify_proto *p)
{
	struct notify_handler *hd, *tmp;

	if (!p)
		return;
	HASH_ITER (hh, p->handlers, hd, tmp) {
		HASH_DEL(p->handlers, hd);
		for (unsigned int i = 0; i < hd->len; i++)
			reg_free(hd->chain[i]);
		handler_free(hd);
	}
	scmi_event_queue_destroy(&p->q);
	pthread_mutex_destroy(&p->lock);
	pthread_mutex_destroy(&p->enable_lock);
	free(p->enable_refs);
	free(p->report);
	free(p);
}

static struct notify_proto *proto_new(struct scmi_notify_instance *ni,
				      const struct scmi_protocol_handle *ph,
				      const struct scmi_protocol_events *ee,
				      unsigned int num_sources)
{
	struct scmi_instance *inst = ni->inst;
	size_t max_payld = 0, max_report = 0;
	struct notify_proto *p;
	unsigned int depth;

	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->ni = ni;
	p->ph = ph;
	p->id = ph->id;
	p->ee = ee;
	p->num_sources = num_sources;
	memset(p->evt_index, 0xff, sizeof(p->evt_index));
	for (unsigned int i = 0; i < ee->num_events; i++) {
		p->evt_index[ee->evts[i].id] = (int16_t)i;
		if (ee->evts[i].max_payld_sz > max_payld)
			max_payld = ee->evts[i].max_payld_sz;
		if (ee->evts[i].max_report_sz > max_report)
			max_report = ee->evts[i].max_report_sz;
	}
	/* The transport cannot carry more than max_notif_size anyway. */
	if (max_payld > inst->tinfo.max_notif_size)
		max_payld = inst->tinfo.max_notif_size;
	depth = queue_depth_for(inst, p->id, &p->nice);
	pthread_mutex_init(&p->lock, NULL);
	pthread_mutex_init(&p->enable_lock, NULL);
	atomic_init(&p->num_regs, 0);
	atomic_init(&p->in_user_drain, false);
	p->report_sz = max_report;
	p->report = calloc(2, max_report ? max_report : 1);
	p->pristine = p->report + max_report;
	p->enable_refs = calloc((size_t)ee->num_events * num_sources, sizeof(*p->enable_refs));
	if (!p->report || !p->enable_refs || scmi_event_queue_init(&p->q, depth, max_payld)) {
		proto_free(p);
		return NULL;
	}
	return p;
}

/* Move a pending registration of the protocol just registered to its
 * chain and enable it (or drop it: invalid, failed, or cancelled meanwhile). */
static void pending_bind_one(struct scmi_notify_instance *ni, struct notify_proto *p,
			     struct notify_reg *r)
{
	struct notify_handler *hd = NULL;
	bool cancelled;
	int ret = 0;

	/* enable_lock from the moment it leaves the pending table: an
	 * unregistration that no longer finds it there waits for the attach. */
	pthread_mutex_lock(&p->enable_lock);
	pthread_mutex_lock(&ni->lock);
	cancelled = r->cancelled;
	if (!cancelled)
		HASH_DEL(ni->pending, r);
	r->binding = false;
	pthread_mutex_unlock(&ni->lock);
	if (!cancelled)
		ret = reg_attach_locked(p, r, &hd);
	pthread_mutex_unlock(&p->enable_lock);
	if (!ret && !cancelled)
		return;
	handler_release(p, hd, r->nb);
	if (ret)
		scmi_warn(&ni->inst->log,
			  "notify: dropped pending %s event 0x%x %s%u registration: %s",
			  scmi_protocol_name(p->id), r->evt_id, r->all ? "all sources" : "source ",
			  r->all ? 0 : r->src_id, scmi_strerror(ret));
	reg_free(r);
}

int scmi_notify_protocol_register(const struct scmi_protocol_handle *ph,
				  const struct scmi_protocol_events *ee, unsigned int num_sources)
{
	struct scmi_notify_instance *ni = ph->inst->notify;
	struct notify_reg *mine = NULL, *r, *tmp;
	struct notify_proto *p;

	if (!ee || !ee->ops || !ee->ops->set_notify_enabled || !ee->ops->fill_report ||
	    !ee->num_events || !num_sources || num_sources > MAX_SOURCES)
		return -EINVAL;
	/* Every report starts with the header the core fills. */
	for (unsigned int i = 0; i < ee->num_events; i++)
		if (ee->evts[i].max_report_sz < sizeof(struct scmi_event_hdr))
			return -EINVAL;
	if (proto_get(ni, ph->id))
		return -EEXIST;
	p = proto_new(ni, ph, ee, num_sources);
	if (!p)
		return -ENOMEM;

	/* Publish, and mark this protocol's pending registrations: they stay
	 * in the table (findable by unregister) until each is bound. */
	pthread_mutex_lock(&ni->lock);
	atomic_store_explicit(&ni->protos[ph->id], p, memory_order_release);
	HASH_ITER (hh, ni->pending, r, tmp) {
		if (r->proto_id == ph->id) {
			r->binding = true;
			r->next = mine;
			mine = r;
		}
	}
	pthread_mutex_unlock(&ni->lock);

	while (mine) {
		r = mine;
		mine = r->next;
		r->next = NULL;
		pending_bind_one(ni, p, r);
	}
	return 0;
}

/* ---- RX (the RX thread) ---------------------------------------------------------- */

static void notify_wake(struct scmi_notify_instance *ni, struct notify_proto *p)
{
	if (ni->user_async)
		uv_async_send(ni->user_async);
	else if (ni->dispatch)
		scmi_req_dispatch_kick(ni->inst);
	else
		scmi_event_worker_wake(&p->worker);
}

/* @pre: the notification as raw mode fetched it (lib/raw.c), or NULL. */
static void notify_rx(struct scmi_instance *inst, uint32_t hdr, void *msg,
		      const struct scmi_raw_rx *pre)
{
	struct scmi_notify_instance *ni = inst->notify;
	uint8_t evt_id = scmi_hdr_msg_id(hdr);
	struct notify_proto *p = proto_get(ni, scmi_hdr_protocol(hdr));
	struct scmi_event_slot *slot;
	size_t len;
	int ret;

	scmi_count(inst, notifications);
	if (!p) {
		scmi_dbg(&inst->log, "notify: event 0x%x of unregistered protocol 0x%x dropped",
			 evt_id, scmi_hdr_protocol(hdr));
		goto drop;
	}
	atomic_fetch_add_explicit(&p->cnt.received, 1, memory_order_relaxed);
	if (p->evt_index[evt_id] < 0) {
		atomic_fetch_add_explicit(&p->cnt.dropped_malformed, 1, memory_order_relaxed);
		scmi_raw_drop(inst, hdr, msg, SCMI_RAW_ERR_NOTIFICATION, pre);
		return;
	}
	/* acquire: a published registration implies a running worker. */
	if (!atomic_load_explicit(&p->num_regs, memory_order_acquire) ||
	    atomic_load_explicit(&ni->shutdown, memory_order_relaxed)) {
		atomic_fetch_add_explicit(&p->cnt.dropped_no_handler, 1, memory_order_relaxed);
		goto drop;
	}
	slot = scmi_event_queue_reserve(&p->q);
	if (!slot) {
		atomic_fetch_add_explicit(&p->cnt.dropped_queue_full, 1, memory_order_relaxed);
		scmi_count(inst, err_msg_nomem);
		if (scmi_tracing(inst))
			scmi_trace_bad_msg(inst, hdr, SCMI_TRACE_BAD_NOMEM);
		goto drop;
	}
	ret = pre ? scmi_raw_rx_copy(pre, slot->payload, p->q.max_payld, &len)
		  : inst->tops->fetch_notification(inst->tpriv, msg, slot->payload, p->q.max_payld,
						   &len);
	if (ret) {
		/* Fetched, if unsuccessfully: the transport has consumed it. */
		atomic_fetch_add_explicit(&p->cnt.dropped_malformed, 1, memory_order_relaxed);
		scmi_raw_error(inst, SCMI_RAW_ERR_BAD_LENGTH, hdr,
			       pre && !pre->ret ? pre->buf : NULL, pre && !pre->ret ? pre->len : 0);
		return;
	}
	if (scmi_tracing(inst))
		scmi_trace_notification(inst, hdr, slot->payload, len);
	slot->timestamp = scmi_now_ns();
	slot->evt_id = evt_id;
	slot->len = (uint32_t)len;
	scmi_event_queue_commit(&p->q);
	notify_wake(ni, p);
	return;
drop:
	if (!pre && inst->tops->clear_channel)
		inst->tops->clear_channel(inst->tpriv, msg);
}

void scmi_notify_rx(struct scmi_instance *inst, uint32_t hdr, void *msg)
{
	struct scmi_raw_rx rx;

	/* Raw sessions that subscribed get a copy first (lib/raw.c). */
	if (scmi_raw_rx_begin(inst, hdr, msg, &rx)) {
		notify_rx(inst, hdr, msg, &rx);
		scmi_raw_rx_end(inst, &rx);
	} else {
		notify_rx(inst, hdr, msg, NULL);
	}
}

/* ---- dispatch (delivery thread or the caller's loop) ---------------------------- */

/* Call the chain of @key; true if at least one callback ran. */
static bool chain_call(struct notify_proto *p, uint32_t key, uint8_t evt_id, size_t report_sz)
{
	struct notify_handler *hd;
	struct scmi_frame frame;
	int last_prio = 0;
	uint64_t last_seq = 0;
	bool started = false, called = false;

	pthread_mutex_lock(&p->lock);
	hd = handler_find(p, key);
	if (!hd) {
		pthread_mutex_unlock(&p->lock);
		return false;
	}
	hd->refs++;
	for (;;) {
		struct scmi_notifier_block *nb = NULL;
		int ret;

		for (unsigned int i = 0; i < hd->len; i++) {
			struct notify_reg *r = hd->chain[i];

			if (!started || reg_before(last_prio, last_seq, r->priority, r->seq)) {
				nb = r->nb;
				last_prio = r->priority;
				last_seq = r->seq;
				break;
			}
		}
		if (!nb)
			break;
		started = true;
		hd->calling = nb;
		hd->calling_thread = pthread_self();
		pthread_mutex_unlock(&p->lock);

		scmi_user_code_enter(p->ni->inst, &frame);
		ret = nb->notifier_call(nb, evt_id, p->report);
		scmi_user_code_leave(&frame);
		called = true;
		if (memcmp(p->report, p->pristine, report_sz)) {
			/* Undo it so the next listener sees what the platform sent. */
			memcpy(p->report, p->pristine, report_sz);
			atomic_fetch_add_explicit(&p->cnt.tampered, 1, memory_order_relaxed);
			scmi_warn(&p->ni->inst->log, "notify: a %s callback wrote to its report",
				  scmi_protocol_name(p->id));
		}

		pthread_mutex_lock(&p->lock);
		hd->calling = NULL;
		pthread_cond_broadcast(&hd->cond);
		if (ret == SCMI_NOTIFY_STOP)
			break;
	}
	handler_put_locked(hd);
	pthread_mutex_unlock(&p->lock);
	return called;
}

static void dispatch_one(struct notify_proto *p, const struct scmi_event_slot *ev)
{
	const struct scmi_event *desc = &p->ee->evts[p->evt_index[ev->evt_id]];
	struct scmi_event_hdr *hdr;
	uint32_t src = 0;
	bool called;
	int ret;

	/* Zeroed, filled, saved, compared and restored over this event's own
	 * report size (up to 8 KiB for Base: not the protocol's largest). */
	memset(p->report, 0, desc->max_report_sz);
	ret = p->ee->ops->fill_report(p->ph, ev->evt_id, ev->payload, ev->len, p->report, &src);
	if (ret || src >= p->num_sources) {
		atomic_fetch_add_explicit(&p->cnt.dropped_malformed, 1, memory_order_relaxed);
		scmi_warn(&p->ni->inst->log, "notify: malformed %s event 0x%x (%u bytes) dropped",
			  scmi_protocol_name(p->id), ev->evt_id, ev->len);
		scmi_raw_error(p->ni->inst, SCMI_RAW_ERR_NOTIFICATION,
			       scmi_hdr_pack(ev->evt_id, SCMI_MSG_TYPE_NOTIFICATION, p->id, 0),
			       ev->payload, ev->len);
		return;
	}
	/* The common header, whatever the protocol: written here, after the
	 * protocol's builder, so it cannot be got wrong; it is part of the
	 * pristine copy, so the tamper check covers it. */
	hdr = (struct scmi_event_hdr *)p->report;
	hdr->handle = p->ph->handle;
	hdr->proto_id = p->id;
	hdr->evt_id = ev->evt_id;
	hdr->src_id = src;
	hdr->timestamp = ev->timestamp;
	memcpy(p->pristine, p->report, desc->max_report_sz);
	called = chain_call(p, MAKE_KEY(p->id, ev->evt_id, SRC_ALL), ev->evt_id,
			    desc->max_report_sz);
	called |= chain_call(p, MAKE_KEY(p->id, ev->evt_id, src), ev->evt_id, desc->max_report_sz);
	if (called)
		atomic_fetch_add_explicit(&p->cnt.delivered, 1, memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&p->cnt.dropped_no_handler, 1, memory_order_relaxed);
}

/* Deliver up to @budget queued events of @p (0: all); true if more remain. */
static bool proto_drain(struct notify_proto *p, unsigned int budget, unsigned int *done)
{
	struct scmi_event_slot *ev;
	unsigned int n = 0;

	delivering_ni = p->ni;
	while ((ev = scmi_event_queue_peek(&p->q))) {
		/* Once scmi_close() has started, nobody is told anything more. */
		if (atomic_load_explicit(&p->ni->inst->closing, memory_order_relaxed))
			break;
		if (budget && n++ == budget)
			break;
		dispatch_one(p, ev);
		scmi_event_queue_pop(&p->q);
		if (done)
			(*done)++;
	}
	delivering_ni = NULL;
	return ev != NULL;
}

static void worker_drain(void *arg)
{
	proto_drain(arg, 0, NULL);
}

/* Round-robin over protocols so none starves another; true if more wait. */
static bool drain_all(struct scmi_notify_instance *ni, unsigned int budget, unsigned int *done)
{
	unsigned int start = atomic_fetch_add(&ni->user_rr, 1);
	bool more = false;

	for (unsigned int i = 0; i < 256 && !atomic_load(&ni->close_deferred); i++) {
		struct notify_proto *p = proto_get(ni, (uint8_t)(start + i));

		if (p && !atomic_exchange(&p->in_user_drain, true)) {
			more |= proto_drain(p, budget, done);
			atomic_store(&p->in_user_drain, false);
		}
	}
	return more;
}

unsigned int scmi_notify_dispatch(struct scmi_instance *inst, unsigned int budget, bool *more)
{
	struct scmi_notify_instance *ni = inst->notify;
	unsigned int done = 0;

	*more = false;
	if (!ni || !ni->dispatch)
		return 0;
	*more = drain_all(ni, budget, &done);
	return done;
}

/* The caller's loop. */
static void user_async_cb(uv_async_t *async)
{
	struct scmi_notify_instance *ni = async->data;
	bool more = drain_all(ni, USER_LOOP_BUDGET, NULL);
	if (atomic_load(&ni->close_deferred)) {
		/* A callback (or another thread of the handle) closed it: finish
		 * here, on the loop, now that no callback runs.  Frees ni. */
		scmi_close_finish(ni->inst);
		return;
	}
	if (more && !atomic_load(&ni->inst->closing))
		uv_async_send(async); /* let the loop breathe, then go on */
}

bool scmi_notify_defer_close(struct scmi_instance *inst)
{
	struct scmi_notify_instance *ni = inst->notify;

	if (!ni || !ni->user_async)
		return false;
	atomic_store(&ni->close_deferred, true);
	uv_async_send(ni->user_async);
	return true;
}

/* ---- instance life cycle --------------------------------------------------------- */

int scmi_notify_instance_init(struct scmi_instance *inst)
{
	struct scmi_notify_instance *ni = calloc(1, sizeof(*ni));
	int ret;

	if (!ni)
		return -ENOMEM;
	ni->inst = inst;
	pthread_mutex_init(&ni->lock, NULL);
	atomic_init(&ni->shutdown, false);
	atomic_init(&ni->user_rr, 0);
	atomic_init(&ni->close_deferred, false);
	for (size_t i = 0; i < ARRAY_SIZE(ni->protos); i++)
		atomic_init(&ni->protos[i], NULL);
	if (inst->cfg.loop) {
		ni->user_async = calloc(1, sizeof(*ni->user_async));
		if (!ni->user_async) {
			free(ni);
			return -ENOMEM;
		}
		ret = uv_async_init(inst->cfg.loop, ni->user_async, user_async_cb);
		if (ret) {
			free(ni->user_async);
			free(ni);
			return ret;
		}
		ni->user_async->data = ni;
		ni->loop_thread = pthread_self();
	}
	ni->dispatch = inst->cfg.dispatch;
	inst->notify = ni;
	return 0;
}

/* Unregister everything of one protocol (the handle is closing). */
static void proto_unregister_all(struct notify_proto *p)
{
	struct notify_handler *hd, *tmp;
	struct notify_reg *list = NULL;

	pthread_mutex_lock(&p->enable_lock); /* no attach half done */
	pthread_mutex_lock(&p->lock);
	HASH_ITER (hh, p->handlers, hd, tmp) {
		for (unsigned int i = 0; i < hd->len; i++) {
			hd->chain[i]->next = list;
			list = hd->chain[i];
		}
		atomic_fetch_sub(&p->num_regs, hd->len);
		hd->len = 0;
		HASH_DEL(p->handlers, hd);
		hd->unhooked = true;
		if (!hd->refs)
			handler_free(hd);
	}
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_unlock(&p->enable_lock);
	while (list) {
		struct notify_reg *r = list;

		list = r->next;
		reg_disable(p, r);
		reg_free(r);
	}
}

static void user_async_close_cb(uv_handle_t *handle)
{
	free(handle);
}

void scmi_notify_instance_shutdown(struct scmi_instance *inst)
{
	struct scmi_notify_instance *ni = inst->notify;
	struct notify_reg *r, *tmp, *dead = NULL;

	if (!ni || atomic_exchange(&ni->shutdown, true))
		return;
	pthread_mutex_lock(&ni->lock);
	HASH_ITER (hh, ni->pending, r, tmp) {
		HASH_DEL(ni->pending, r);
		if (r->binding) {
			r->cancelled = true; /* its binder frees it */
		} else {
			r->next = dead;
			dead = r;
		}
	}
	pthread_mutex_unlock(&ni->lock);
	while (dead) {
		r = dead;
		dead = r->next;
		reg_free(r);
	}
	for (size_t i = 0; i < ARRAY_SIZE(ni->protos); i++) {
		struct notify_proto *p = proto_get(ni, (uint8_t)i);

		if (!p)
			continue;
		proto_unregister_all(p);
		scmi_event_worker_stop(&p->worker);
	}
	if (ni->user_async) {
		/* scmi_close() runs on the loop's thread (documented). */
		uv_close((uv_handle_t *)ni->user_async, user_async_close_cb);
		ni->user_async = NULL;
	}
}

void scmi_notify_instance_free(struct scmi_instance *inst)
{
	struct scmi_notify_instance *ni = inst->notify;

	if (!ni)
		return;
	scmi_notify_instance_shutdown(inst);
	for (size_t i = 0; i < ARRAY_SIZE(ni->protos); i++)
		proto_free(proto_get(ni, (uint8_t)i));
	pthread_mutex_destroy(&ni->lock);
	free(ni);
	inst->notify = NULL;
}

bool scmi_notify_delivers_protocol(const struct scmi_instance *inst, uint8_t proto_id)
{
	struct scmi_notify_instance *ni = inst->notify;
	struct notify_proto *p;

	if (!ni)
		return false;
	if (ni->user_async)
		return pthread_equal(ni->loop_thread, pthread_self());
	if (ni->dispatch)
		return scmi_req_dispatching_here(inst);
	p = proto_get(ni, proto_id);
	return p && p->worker.started && pthread_equal(p->worker.thread, pthread_self());
}

/* ---- counters -------------------------------------------------------------------- */

int scmi_event_stats_get(const struct scmi_handle *h, uint8_t proto_id, struct scmi_event_stats *st)
{
	struct notify_proto *p;

	if (!h || !st)
		return -EINVAL;
	p = proto_get(ni_of(h), proto_id);
	if (!p)
		return -ENOENT;
	st->received = atomic_load_explicit(&p->cnt.received, memory_order_relaxed);
	st->delivered = atomic_load_explicit(&p->cnt.delivered, memory_order_relaxed);
	st->dropped_queue_full =
		atomic_load_explicit(&p->cnt.dropped_queue_full, memory_order_relaxed);
	st->dropped_no_handler =
		atomic_load_explicit(&p->cnt.dropped_no_handler, memory_order_relaxed);
	st->dropped_malformed =
		atomic_load_explicit(&p->cnt.dropped_malformed, memory_order_relaxed);
	st->tampered = atomic_load_explicit(&p->cnt.tampered, memory_order_relaxed);
	st->queue_depth = p->q.depth;
	st->queue_high_water = p->q.high_water;
	return 0;
}

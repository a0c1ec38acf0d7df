// SPDX-License-Identifier: BSD-3-Clause
/*
 * Xfer pools, the token manager, and synchronous / asynchronous commands.
 *
 * Life of a command:
 *   scmi_xfer_get_init()  free list -> token -> pending table, users = 1
 *   scmi_do_xfer()        state SENT_OK, transport send, wait for `done`
 *   RX thread             lookup by token (users++), check the state fits
 *                         the message type (x->lock), then take `busy`
 *                         (lock dropped), fetch, complete (x->lock)
 *   scmi_xfer_put()       users-- ; at 0: token freed, back on the free list
 *
 * A caller that times out unhooks the xfer from the pending table: a
 * reply already being processed keeps its reference and finishes, a later
 * one finds no xfer.  The token goes to quarantine (xfer.h) so that the
 * late reply is recognised and dropped as late, and no newer command can
 * get the token before that reply came or the quarantine expired.
 *
 * While the handle closes (scmi_inst_aborting()), every wait here ends at
 * once with -ESHUTDOWN and no new command is sent.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>

#include "common.h"
#include "notify.h"
#include "raw.h"
#include "trace.h"

#define XFER_POLL_SPINS	       64
#define XFER_POLL_MAX_SLEEP_NS 1000000L

void scmi_cond_init_monotonic(pthread_cond_t *cond)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
}

/* ---- pools ------------------------------------------------------------- */

int scmi_xfers_init_limits(struct scmi_xfers_info *info, struct scmi_instance *inst,
			   unsigned int max_msg, unsigned int max_per_chan, size_t max_tx_size,
			   size_t max_rx_size, bool with_tokens)
{
	size_t per_xfer = max_tx_size + max_rx_size;

	if (max_msg < 1 || max_msg > SCMI_MAX_TOKENS || max_per_chan > max_msg ||
	    max_tx_size == 0 || max_rx_size == 0)
		return -EINVAL;

	memset(info, 0, sizeof(*info));
	info->inst = inst;
	info->max_msg = max_msg;
	info->max_per_chan = max_per_chan ? max_per_chan : max_msg;
	info->max_tx_size = max_tx_size;
	info->max_rx_size = max_rx_size;
	info->with_tokens = with_tokens;
	/* The first token handed out is 0. */
	info->last_token = SCMI_MAX_TOKENS - 1;
	info->next_expiry_ns = UINT64_MAX;
	info->xfers = calloc(max_msg, sizeof(*info->xfers));
	info->buffers = calloc(max_msg, per_xfer);
	if (with_tokens)
		info->quarantine = calloc(SCMI_MAX_TOKENS, sizeof(*info->quarantine));
	if (!info->xfers || !info->buffers || (with_tokens && !info->quarantine)) {
		free(info->xfers);
		free(info->buffers);
		free(info->quarantine);
		return -ENOMEM;
	}
	pthread_mutex_init(&info->lock, NULL);
	scmi_cond_init_monotonic(&info->free_cond);

	/* Build the free list so that xfer 0 comes out first. */
	for (unsigned int i = max_msg; i-- > 0;) {
		struct scmi_xfer *x = &info->xfers[i];

		x->pool = info;
		x->t.tx = info->buffers + (size_t)i * per_xfer;
		x->t.rx = info->buffers + (size_t)i * per_xfer + max_tx_size;
		pthread_mutex_init(&x->lock, NULL);
		scmi_cond_init_monotonic(&x->cond);
		atomic_init(&x->busy, 0);
		x->next_free = info->free_list;
		info->free_list = x;
	}
	info->num_free = max_msg;
	return 0;
}

int scmi_xfers_init(struct scmi_xfers_info *info, struct scmi_instance *inst, unsigned int max_msg,
		    size_t max_msg_size, bool with_tokens)
{
	return scmi_xfers_init_limits(info, inst, max_msg, 0, max_msg_size, max_msg_size,
				      with_tokens);
}

void scmi_xfers_destroy(struct scmi_xfers_info *info)
{
	if (!info->xfers)
		return;
	for (unsigned int i = 0; i < info->max_msg; i++) {
		pthread_mutex_destroy(&info->xfers[i].lock);
		pthread_cond_destroy(&info->xfers[i].cond);
	}
	pthread_mutex_destroy(&info->lock);
	pthread_cond_destroy(&info->free_cond);
	free(info->xfers);
	free(info->buffers);
	free(info->quarantine);
	info->xfers = NULL;
	info->buffers = NULL;
	info->quarantine = NULL;
}

unsigned int scmi_xfers_in_use(struct scmi_xfers_info *info)
{
	unsigned int n;

	pthread_mutex_lock(&info->lock);
	n = info->max_msg - info->num_free;
	pthread_mutex_unlock(&info->lock);
	return n;
}

unsigned int scmi_xfers_quarantined(struct scmi_xfers_info *info)
{
	unsigned int n;

	pthread_mutex_lock(&info->lock);
	n = info->num_quarantined;
	pthread_mutex_unlock(&info->lock);
	return n;
}

void scmi_xfers_wake_all(struct scmi_xfers_info *info)
{
	if (!info->xfers)
		return;
	pthread_mutex_lock(&info->lock);
	pthread_cond_broadcast(&info->free_cond);
	pthread_mutex_unlock(&info->lock);
	for (unsigned int i = 0; i < info->max_msg; i++) {
		struct scmi_xfer *x = &info->xfers[i];

		pthread_mutex_lock(&x->lock);
		pthread_cond_broadcast(&x->cond);
		pthread_mutex_unlock(&x->lock);
	}
}

/* ---- tokens (pool->lock held) ------------------------------------------ */

/* First free token in [from, to), or -1. */
static int token_find_free(const struct scmi_xfers_info *info, unsigned int from, unsigned int to)
{
	unsigned int t = from;

	while (t < to) {
		uint64_t word = ~info->token_bitmap[t / 64] >> (t % 64);

		if (word) {
			t += (unsigned int)__builtin_ctzll(word);
			return t < to ? (int)t : -1;
		}
		t = (t / 64 + 1) * 64;
	}
	return -1;
}

void scmi_xfer_token_release(struct scmi_xfers_info *info, uint16_t token)
{
	info->token_bitmap[token / 64] &= ~(1ull << (token % 64));
}

/* A held-back token is free again (its late reply came, or time is up). */
static void quarantine_release(struct scmi_xfers_info *info, uint16_t token)
{
	info->quarantine[token].until_ns = 0;
	info->num_quarantined--;
	scmi_xfer_token_release(info, token);
}

void scmi_xfer_token_quarantine(struct scmi_xfers_info *info, uint16_t token, uint8_t proto,
				uint8_t msg_id, bool resp_due, bool dresp_due, unsigned int ms)
{
	struct scmi_token_quarantine *q = &info->quarantine[token];

	if (!q->until_ns)
		info->num_quarantined++;
	q->until_ns = scmi_now_ns() + (uint64_t)ms * 1000000ull;
	q->protocol_id = proto;
	q->msg_id = msg_id;
	q->resp_due = resp_due;
	q->dresp_due = dresp_due;
	if (q->until_ns < info->next_expiry_ns)
		info->next_expiry_ns = q->until_ns;
}

/* Release the quarantined tokens whose time is up. */
static void quarantine_expire(struct scmi_xfers_info *info)
{
	uint64_t now, next = UINT64_MAX;

	if (!info->num_quarantined || (now = scmi_now_ns()) < info->next_expiry_ns)
		return;
	for (unsigned int t = 0; t < SCMI_MAX_TOKENS; t++) {
		uint64_t until = info->quarantine[t].until_ns;

		if (!until)
			continue;
		if (until <= now)
			quarantine_release(info, (uint16_t)t);
		else if (until < next)
			next = until;
	}
	info->next_expiry_ns = next;
}

/*
 * Next token after the last one handed out, skipping tokens in flight or
 * held back: search up to the end of the space, then once from 0.
 */
int scmi_xfer_token_alloc(struct scmi_xfers_info *info)
{
	unsigned int start = (info->last_token + 1u) % SCMI_MAX_TOKENS;
	int t;

	if (info->quarantine)
		quarantine_expire(info);
	t = token_find_free(info, start, SCMI_MAX_TOKENS);

	if (t < 0)
		t = token_find_free(info, 0, start);
	if (t < 0)
		return -EBUSY;
	info->token_bitmap[t / 64] |= 1ull << (t % 64);
	info->last_token = (uint16_t)t;
	return t;
}

/* ---- get / put --------------------------------------------------------- */

/* Can a command go out on transport channel @chan now?  pool->lock held. */
static bool xfer_can_take(const struct scmi_xfers_info *info, unsigned int chan)
{
	return info->free_list && info->chan_inflight[chan] < info->max_per_chan;
}

/* A free xfer for channel @chan, waiting up to @wait_ms: -ENOBUFS if none
 * frees up (or the channel stays full), -ESHUTDOWN if the handle closes
 * meanwhile.  pool->lock held. */
static int xfer_take_free(struct scmi_xfers_info *info, unsigned int chan, unsigned int wait_ms,
			  struct scmi_xfer **out)
{
	struct timespec deadline = scmi_deadline_ms(wait_ms);
	struct scmi_xfer *x;

	while (!xfer_can_take(info, chan)) {
		if (scmi_inst_aborting(info->inst))
			return -ESHUTDOWN;
		if (wait_ms == SCMI_XFER_NOWAIT)
			return -EAGAIN;
		if (pthread_cond_timedwait(&info->free_cond, &info->lock, &deadline) == ETIMEDOUT &&
		    !xfer_can_take(info, chan))
			return -ENOBUFS;
	}
	x = info->free_list;
	info->free_list = x->next_free;
	x->next_free = NULL;
	info->num_free--;
	info->chan_inflight[chan]++;
	x->t.chan = chan;
	*out = x;
	return 0;
}

static void xfer_free_locked(struct scmi_xfers_info *info, struct scmi_xfer *x)
{
	x->next_free = info->free_list;
	info->free_list = x;
	info->num_free++;
	info->chan_inflight[x->t.chan]--;
	/* Waiters may wait for different channels: wake them all. */
	pthread_cond_broadcast(&info->free_cond);
}

/* Reset an xfer taken from the free list for a new command. */
static void xfer_reset(struct scmi_xfer *x, uint8_t proto, uint8_t msg_id, uint16_t token,
		       size_t tx_size, size_t rx_size, unsigned int timeout_ms)
{
	x->protocol_id = proto;
	x->msg_id = msg_id;
	x->token = token;
	x->async = false;
	x->quarantine = false;
	x->t.hdr = scmi_hdr_pack(msg_id, SCMI_MSG_TYPE_COMMAND, proto, token);
	x->t.tx_len = tx_size;
	x->t.rx_size = rx_size;
	x->t.rx_len = 0;
	x->t.status = 0;
	x->t.timeout_ms = timeout_ms;
	x->t.priv = NULL;
	x->req = NULL;
	atomic_store_explicit(&x->raw, NULL, memory_order_relaxed);
	x->state = SCMI_XFER_IDLE;
	x->done = false;
	x->async_done = false;
	x->resp_err = 0;
	x->dresp_err = 0;
	x->resp_status = 0;
	x->dresp_status = 0;
	x->users = 1;
}

int scmi_xfer_get_init(struct scmi_xfers_info *info, uint8_t proto, uint8_t msg_id, size_t tx_size,
		       size_t rx_size, unsigned int wait_ms, struct scmi_xfer **out)
{
	struct scmi_instance *inst = info->inst;
	unsigned int chan = 0;
	struct scmi_xfer *x;
	int ret, token = 0;

	/* A new command: until it is answered, no platform status. */
	scmi_set_last_status(SCMI_STATUS_NONE);
	if (tx_size > info->max_tx_size || rx_size > info->max_rx_size) {
		scmi_dbg_reason(&inst->log, "proto 0x%x msg 0x%x: size %zu/%zu exceeds max %zu/%zu",
				proto, msg_id, tx_size, rx_size, info->max_tx_size,
				info->max_rx_size);
		return -EMSGSIZE;
	}
	if (inst->tinfo.caps & SCMI_TRANSPORT_PER_PROTOCOL) {
		chan = inst->tops->channel_of(inst->tpriv, proto);
		if (chan >= SCMI_TRANSPORT_MAX_CHANNELS) {
			scmi_count(inst, sent_fail_channel_not_found);
			scmi_err(&inst->log, "%s:// put protocol 0x%x on channel %u (max %u)",
				 inst->tdesc->scheme, proto, chan, SCMI_TRANSPORT_MAX_CHANNELS - 1);
			return -EINVAL;
		}
	}

	pthread_mutex_lock(&info->lock);
	ret = xfer_take_free(info, chan, wait_ms, &x);
	if (ret) {
		pthread_mutex_unlock(&info->lock);
		if (ret == -ENOBUFS) {
			scmi_count(inst, xfer_exhausted);
			if (info->free_list)
				scmi_warn(&inst->log,
					  "no room on channel %u: %u commands in flight", chan,
					  info->max_per_chan);
			else
				scmi_warn(&inst->log, "no free xfer: %u commands in flight",
					  info->max_msg);
		}
		return ret;
	}
	/* Fails only when the tokens not in flight are all held back. */
	if (info->with_tokens && (token = scmi_xfer_token_alloc(info)) < 0) {
		xfer_free_locked(info, x);
		pthread_mutex_unlock(&info->lock);
		scmi_count(inst, tokens_exhausted);
		scmi_warn(&inst->log,
			  "no free token: the tokens not in flight await late replies of "
			  "timed-out commands");
		return -EBUSY;
	}
	/*
	 * Reset everything before the xfer is published in the pending
	 * table: an RX lookup (under this lock) then sees a clean xfer.
	 */
	xfer_reset(x, proto, msg_id, (uint16_t)token, tx_size,
		   rx_size ? rx_size : info->max_rx_size, inst->timeout_ms);
	info->last_transfer_id = (info->last_transfer_id + 1) & INT_MAX;
	x->transfer_id = info->last_transfer_id;
	if (info->with_tokens) {
		info->pending[token] = x;
		x->pending = true;
	}
	pthread_mutex_unlock(&info->lock);
	*out = x;
	return 0;
}

struct scmi_xfer *scmi_xfer_of_tx(struct scmi_xfers_info *info, const void *tx)
{
	size_t per_xfer = info->max_tx_size + info->max_rx_size;
	const uint8_t *b = tx;
	size_t i;

	if (!info->buffers || b < info->buffers)
		return NULL;
	i = (size_t)(b - info->buffers) / per_xfer;
	if (i >= info->max_msg || info->xfers[i].t.tx != tx)
		return NULL;
	return &info->xfers[i];
}

static void xfer_unhook_locked(struct scmi_xfers_info *info, struct scmi_xfer *x)
{
	if (x->pending) {
		if (info->pending[x->token] == x)
			info->pending[x->token] = NULL;
		x->pending = false;
	}
}

void scmi_xfer_put(struct scmi_xfer *x)
{
	struct scmi_xfers_info *info = x->pool;
	bool freed = false;

	pthread_mutex_lock(&info->lock);
	if (--x->users == 0) {
		xfer_unhook_locked(info, x);
		/* A held-back token is released by quarantine_release(). */
		if (info->with_tokens && !x->quarantine)
			scmi_xfer_token_release(info, x->token);
		x->req = NULL;
		xfer_free_locked(info, x);
		freed = true;
	}
	pthread_mutex_unlock(&info->lock);
	/* Requests waiting for a free xfer (lib/request.c). */
	if (freed && info->with_tokens)
		scmi_req_engine_xfer_freed(info->inst);
}

/* Unhook a command whose send failed: no reply can come. */
static void xfer_abandon(struct scmi_xfer *x)
{
	pthread_mutex_lock(&x->pool->lock);
	xfer_unhook_locked(x->pool, x);
	pthread_mutex_unlock(&x->pool->lock);
}

/*
 * Unhook a command the caller gave up on (timeout, close) and hold its
 * token back until the replies still due have come, or for
 * SCMI_QUARANTINE_FACTOR times the time they could still take.
 */
static void xfer_give_up(struct scmi_xfer *x, bool resp_due)
{
	struct scmi_xfers_info *info = x->pool;
	struct scmi_instance *inst = info->inst;
	unsigned int ms =
		(resp_due ? inst->timeout_ms : 0) + (x->async ? inst->dresp_timeout_ms : 0);

	pthread_mutex_lock(&info->lock);
	xfer_unhook_locked(info, x);
	if (info->with_tokens && !x->quarantine) {
		x->quarantine = true;
		scmi_xfer_token_quarantine(info, x->token, x->protocol_id, x->msg_id, resp_due,
					   x->async, SCMI_QUARANTINE_FACTOR * ms);
	}
	pthread_mutex_unlock(&info->lock);
}

/*
 * A reply found no command in flight: is it the late reply of one that
 * timed out?  Then it is dropped as late, and the token is free again once
 * nothing more is due.
 */
static bool xfer_late_reply(struct scmi_xfers_info *info, uint32_t hdr)
{
	uint16_t token = scmi_hdr_token(hdr);
	struct scmi_token_quarantine *q;
	bool late = false;

	if (!info->quarantine)
		return false;
	pthread_mutex_lock(&info->lock);
	q = &info->quarantine[token];
	if (q->until_ns && q->protocol_id == scmi_hdr_protocol(hdr) &&
	    q->msg_id == scmi_hdr_msg_id(hdr)) {
		late = true;
		q->resp_due = false; /* a delayed response implies the response */
		if (scmi_hdr_type(hdr) == SCMI_MSG_TYPE_DELAYED_RESP)
			q->dresp_due = false;
		if (!q->dresp_due)
			quarantine_release(info, token);
	}
	pthread_mutex_unlock(&info->lock);
	return late;
}

/* ---- RX: match a reply to its xfer ------------------------------------- */

/* Find the xfer in flight for @token and take a reference. */
static struct scmi_xfer *xfer_lookup_get(struct scmi_xfers_info *info, uint16_t token)
{
	struct scmi_xfer *x;

	pthread_mutex_lock(&info->lock);
	x = info->pending[token];
	if (x)
		x->users++;
	pthread_mutex_unlock(&info->lock);
	return x;
}

/*
 * Does a message of @type fit the xfer's state?  If so, move to the next
 * state.  A delayed response that overtakes its response completes the
 * response phase as SUCCESS on its behalf (the later response will not
 * fit DRESP_OK and is dropped).  Called with x->lock held.
 */
static int xfer_validate_locked(struct scmi_xfer *x, uint8_t type, bool *overtaken)
{
	*overtaken = false;
	switch (x->state) {
	case SCMI_XFER_SENT_OK:
		if (type == SCMI_MSG_TYPE_COMMAND) {
			x->state = SCMI_XFER_RESP_OK;
			return 0;
		}
		if (!x->async)
			return -EPROTO; /* delayed response for a sync command */
		*overtaken = true;
		x->state = SCMI_XFER_DRESP_OK;
		return 0;
	case SCMI_XFER_RESP_OK:
		/* No delayed response follows a failed response (an error
		 * status, or one the core could not read): one that comes
		 * anyway is not the command's. */
		if (type == SCMI_MSG_TYPE_DELAYED_RESP && x->async &&
		    !(x->done && (x->resp_err || x->resp_status != SCMI_SUCCESS))) {
			x->state = SCMI_XFER_DRESP_OK;
			return 0;
		}
		return -EPROTO; /* duplicate response, or dresp for sync or
				 * after a failed response */
	default:
		return -EPROTO; /* not sent yet, or already final */
	}
}

/* Mark a phase complete with @err or SCMI @status and wake the waiter.
 * x->lock held. */
static void xfer_complete_locked(struct scmi_xfer *x, uint8_t type, int err, int32_t status)
{
	if (type == SCMI_MSG_TYPE_COMMAND) {
		x->resp_err = err;
		x->resp_status = status;
		x->done = true;
	} else {
		x->dresp_err = err;
		x->dresp_status = status;
		x->async_done = true;
	}
	pthread_cond_broadcast(&x->cond);
}

static void xfer_busy_acquire(struct scmi_xfer *x)
{
	int expected = 0;

	/* Contended only when a response and its delayed response are
	 * filled by two RX contexts at once (a polling caller and the RX
	 * thread): the other fill is a short copy. */
	while (!atomic_compare_exchange_weak_explicit(&x->busy, &expected, 1, memory_order_acquire,
						      memory_order_relaxed)) {
		expected = 0;
		sched_yield();
	}
}

static void xfer_busy_release(struct scmi_xfer *x)
{
	atomic_store_explicit(&x->busy, 0, memory_order_release);
}

/*
 * Fill the xfer from @msg (NULL when polling) and complete the phase the
 * state machine accepted.  Returns false if the message was dropped.
 */
static bool xfer_fill(struct scmi_instance *inst, struct scmi_xfer *x, uint8_t type, void *msg)
{
	bool overtaken;
	int ret;

	pthread_mutex_lock(&x->lock);
	ret = xfer_validate_locked(x, type, &overtaken);
	if (ret) {
		enum scmi_xfer_state st = x->state;
		const char *why = type == SCMI_MSG_TYPE_COMMAND ? "duplicate or unexpected"
				  : !x->async			? "unexpected for a sync command"
				  : x->done && (x->resp_err || x->resp_status != SCMI_SUCCESS)
					  ? "unexpected after a failed response"
					  : "duplicate";

		pthread_mutex_unlock(&x->lock);
		scmi_count(inst, drop_bad_state);
		if (scmi_tracing(inst))
			scmi_trace_bad_msg(inst, scmi_hdr_pack(x->msg_id, type, x->protocol_id, x->token),
					   SCMI_TRACE_BAD_UNEXPECTED);
		scmi_warn(&inst->log, "dropped %s for proto 0x%x msg 0x%x token %u: %s (state %d)",
			  type == SCMI_MSG_TYPE_COMMAND ? "response" : "delayed response",
			  x->protocol_id, x->msg_id, x->token, why, (int)st);
		return false;
	}
	if (overtaken) {
		/* The response is implied SUCCESS: complete it with the state
		 * change, so that whoever sees DRESP_OK (a polling caller whose
		 * late response is dropped) also sees the response done. */
		xfer_complete_locked(x, SCMI_MSG_TYPE_COMMAND, 0, SCMI_SUCCESS);
	}
	/* A delayed response that came while another RX context (a polling
	 * caller) still fetches its response waits for that fill to end: the
	 * response's bytes are read before the delayed response's replace
	 * them.  It waits on the condition, never on busy holding the lock:
	 * the fill holding busy takes the lock to complete (that deadlocked). */
	while (type == SCMI_MSG_TYPE_DELAYED_RESP && !x->done)
		pthread_cond_wait(&x->cond, &x->lock);
	pthread_mutex_unlock(&x->lock);
	xfer_busy_acquire(x);

	ret = inst->tops->fetch_response(inst->tpriv, msg, &x->t);
	if (ret == -EPROTO || ret == -EMSGSIZE) {
		scmi_count(inst, drop_bad_length);
		if (scmi_tracing(inst))
			scmi_trace_bad_msg(inst, scmi_hdr_pack(x->msg_id, type, x->protocol_id, x->token),
					   SCMI_TRACE_BAD_INVALID);
		scmi_warn(&inst->log, "bad %s length for proto 0x%x msg 0x%x token %u: %s",
			  type == SCMI_MSG_TYPE_COMMAND ? "response" : "delayed response",
			  x->protocol_id, x->msg_id, x->token, strerror(-ret));
		x->t.status = SCMI_ERR_PROTOCOL_ERROR;
		x->t.rx_len = 0;
		ret = -EPROTO;
		scmi_raw_error(inst, SCMI_RAW_ERR_BAD_LENGTH,
			       scmi_hdr_pack(x->msg_id, type, x->protocol_id, x->token), NULL, 0);
	} else if (ret) {
		/* A channel error: the caller gets the transport's errno. */
		scmi_warn(&inst->log, "%s for proto 0x%x msg 0x%x token %u failed: %s",
			  type == SCMI_MSG_TYPE_COMMAND ? "response" : "delayed response",
			  x->protocol_id, x->msg_id, x->token, strerror(-ret));
		x->t.rx_len = 0;
	} else if (type == SCMI_MSG_TYPE_COMMAND) {
		scmi_count(inst, responses);
		if (!msg)
			scmi_count(inst, response_polled_ok);
	} else {
		scmi_count(inst, delayed_responses);
	}
	if (!ret && scmi_tracing(inst)) {
		scmi_trace_xfer_dump(inst, x, type);
		scmi_trace_rx_done(inst, x->transfer_id,
				   scmi_hdr_pack(x->msg_id, type, x->protocol_id, x->token));
	}

	/* A raw command's parts: recorded before a delayed response can
	 * overwrite the response (busy is held). */
	if (atomic_load_explicit(&x->raw, memory_order_relaxed))
		scmi_raw_xfer_filled(inst, x, type, ret);

	pthread_mutex_lock(&x->lock);
	xfer_complete_locked(x, type, ret, ret ? SCMI_STATUS_NONE : x->t.status);
	xfer_busy_release(x);
	pthread_mutex_unlock(&x->lock);
	scmi_req_engine_xfer_event(inst, x);
	return true;
}

void scmi_xfer_rx_response(struct scmi_xfers_info *info, uint32_t hdr, void *msg)
{
	struct scmi_instance *inst = info->inst;
	uint8_t type = scmi_hdr_type(hdr);
	uint16_t token = scmi_hdr_token(hdr);
	struct scmi_xfer *x = xfer_lookup_get(info, token);
	enum scmi_raw_error_kind kind = SCMI_RAW_ERR_UNEXPECTED;
	bool filled = false;

	if (!x && xfer_late_reply(info, hdr)) {
		kind = SCMI_RAW_ERR_LATE;
		scmi_count(inst, late_replies);
		if (scmi_tracing(inst))
			scmi_trace_bad_msg(inst, hdr, SCMI_TRACE_BAD_UNEXPECTED);
		scmi_warn(&inst->log, "dropped late %s for timed-out proto 0x%x msg 0x%x token %u",
			  type == SCMI_MSG_TYPE_COMMAND ? "response" : "delayed response",
			  scmi_hdr_protocol(hdr), scmi_hdr_msg_id(hdr), token);
	} else if (!x || x->protocol_id != scmi_hdr_protocol(hdr) ||
		   x->msg_id != scmi_hdr_msg_id(hdr)) {
		kind = SCMI_RAW_ERR_UNKNOWN_TOKEN;
		scmi_count(inst, drop_unknown_token);
		if (scmi_tracing(inst))
			scmi_trace_bad_msg(inst, hdr, SCMI_TRACE_BAD_UNEXPECTED);
		scmi_warn(
			&inst->log,
			"dropped %s with token %u (proto 0x%x msg 0x%x): no such command in flight",
			type == SCMI_MSG_TYPE_COMMAND ? "response" : "delayed response", token,
			scmi_hdr_protocol(hdr), scmi_hdr_msg_id(hdr));
	} else {
		filled = xfer_fill(inst, x, type, msg);
	}
	/* Dropped: consumed here, and copied to raw sessions (lib/raw.c). */
	if (!filled)
		scmi_raw_drop(inst, hdr, msg, kind, NULL);
	if (x)
		scmi_xfer_put(x);
}

/*
 * Fail the phase @type of @x with @err (a channel error the transport
 * reported without a message).  Returns false if the phase was over.
 */
static bool xfer_fail(struct scmi_instance *inst, struct scmi_xfer *x, uint8_t type, int err)
{
	bool overtaken;

	pthread_mutex_lock(&x->lock);
	if (xfer_validate_locked(x, type, &overtaken)) {
		pthread_mutex_unlock(&x->lock);
		return false;
	}
	if (overtaken)
		xfer_complete_locked(x, SCMI_MSG_TYPE_COMMAND, 0, SCMI_SUCCESS);
	xfer_complete_locked(x, type, err, SCMI_STATUS_NONE);
	pthread_mutex_unlock(&x->lock);
	scmi_req_engine_xfer_event(inst, x);
	scmi_warn(&inst->log, "%s for proto 0x%x msg 0x%x token %u failed: %s",
		  type == SCMI_MSG_TYPE_COMMAND ? "response" : "delayed response", x->protocol_id,
		  x->msg_id, x->token, strerror(-err));
	return true;
}

void scmi_rx_error(struct scmi_chan *chan, uint32_t msg_hdr, int err)
{
	struct scmi_instance *inst = chan->inst;
	uint8_t type = scmi_hdr_type(msg_hdr);
	struct scmi_xfer *x;

	if (err >= 0 || (type != SCMI_MSG_TYPE_COMMAND && type != SCMI_MSG_TYPE_DELAYED_RESP)) {
		scmi_err(&inst->log, "scmi_rx_error(0x%08x, %d): not a reply or not an errno",
			 msg_hdr, err);
		return;
	}
	x = xfer_lookup_get(&inst->tx_minfo, scmi_hdr_token(msg_hdr));
	if (!x)
		return;
	if (x->protocol_id == scmi_hdr_protocol(msg_hdr) && x->msg_id == scmi_hdr_msg_id(msg_hdr))
		xfer_fail(inst, x, type, err);
	scmi_xfer_put(x);
}

void scmi_chan_error(struct scmi_chan *chan, unsigned int channel, int err)
{
	struct scmi_instance *inst = chan->inst;
	struct scmi_xfers_info *info = &inst->tx_minfo;

	if (err >= 0) {
		scmi_err(&inst->log, "scmi_chan_error(%u, %d): not an errno", channel, err);
		return;
	}
	for (unsigned int i = 0; i < info->max_msg; i++) {
		struct scmi_xfer *x = &info->xfers[i];
		enum scmi_xfer_state st;
		bool mine;

		pthread_mutex_lock(&info->lock);
		mine = x->pending && x->t.chan == channel;
		if (mine)
			x->users++;
		pthread_mutex_unlock(&info->lock);
		if (!mine)
			continue;
		pthread_mutex_lock(&x->lock);
		st = x->state;
		pthread_mutex_unlock(&x->lock);
		/* Sent: its response; answered and async: its delayed one. */
		if (st == SCMI_XFER_SENT_OK)
			xfer_fail(inst, x, SCMI_MSG_TYPE_COMMAND, err);
		else if (st == SCMI_XFER_RESP_OK && x->async)
			xfer_fail(inst, x, SCMI_MSG_TYPE_DELAYED_RESP, err);
		scmi_xfer_put(x);
	}
}

/* ---- TX: send and wait ------------------------------------------------- */

static int xfer_result(int err, int32_t status)
{
	if (err)
		return err;
	scmi_set_last_status(status);
	return scmi_status_to_errno(status);
}

/* Sleep-poll a transport without RX wake-up, with a bounded back-off. */
static int xfer_poll_wait(struct scmi_instance *inst, struct scmi_xfer *x, unsigned int timeout_ms)
{
	uint64_t deadline = scmi_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	long sleep_ns = 1000;
	unsigned int spins = 0;

	for (;;) {
		bool done;

		pthread_mutex_lock(&x->lock);
		done = x->done;
		pthread_mutex_unlock(&x->lock);
		if (done)
			return 0;
		if (inst->tops->poll_done(inst->tpriv, &x->t)) {
			xfer_fill(inst, x, SCMI_MSG_TYPE_COMMAND, NULL);
			return 0;
		}
		if (scmi_inst_aborting(inst))
			return -ESHUTDOWN;
		if (scmi_now_ns() >= deadline)
			return -ETIMEDOUT;
		if (spins < XFER_POLL_SPINS) {
			spins++;
			sched_yield();
		} else {
			struct timespec ts = {0, sleep_ns};

			nanosleep(&ts, NULL);
			if (sleep_ns < XFER_POLL_MAX_SLEEP_NS)
				sleep_ns *= 2;
		}
	}
}

/* Wait for @flag (done or async_done) with a monotonic timeout; ends
 * early with -ESHUTDOWN when the handle closes. */
static int xfer_wait_flag(struct scmi_xfer *x, const bool *flag, unsigned int timeout_ms)
{
	struct scmi_instance *inst = x->pool->inst;
	struct timespec deadline = scmi_deadline_ms(timeout_ms);
	int ret = 0;

	pthread_mutex_lock(&x->lock);
	while (!*flag && !scmi_inst_aborting(inst) && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&x->cond, &x->lock, &deadline);
	ret = *flag ? 0 : scmi_inst_aborting(inst) ? -ESHUTDOWN : -ETIMEDOUT;
	pthread_mutex_unlock(&x->lock);
	return ret;
}

static void xfer_txdone(struct scmi_instance *inst, struct scmi_xfer *x, int ret)
{
	if (inst->tops->mark_txdone)
		inst->tops->mark_txdone(inst->tpriv, &x->t, ret);
}

static int xfer_end(struct scmi_instance *inst, struct scmi_xfer *x, int ret)
{
	if (scmi_tracing(inst))
		scmi_trace_xfer(inst, SCMI_TRACE_XFER_END, x, 0, ret);
	return ret;
}

int scmi_xfer_send(struct scmi_xfer *x)
{
	struct scmi_instance *inst = x->pool->inst;
	int ret;

	scmi_set_last_status(SCMI_STATUS_NONE);
	if (scmi_inst_aborting(inst)) {
		xfer_abandon(x);
		return -ESHUTDOWN;
	}
	pthread_mutex_lock(&x->lock);
	x->state = SCMI_XFER_SENT_OK;
	pthread_mutex_unlock(&x->lock);

	/* The command's records go out before the message does: a reply
	 * can be traced (on the RX thread) before send_message() returns,
	 * and must come after them. */
	if (scmi_tracing(inst)) {
		scmi_trace_xfer(inst, SCMI_TRACE_XFER_BEGIN, x, 0, 0);
		scmi_trace_xfer_dump(inst, x, SCMI_TRACE_CMND);
		scmi_trace_xfer(inst, SCMI_TRACE_XFER_RESPONSE_WAIT, x, inst->timeout_ms, 0);
	}
	ret = inst->tops->send_message(inst->tpriv, &x->t);
	if (ret) {
		scmi_count(inst, sent_fail);
		/* The transport left the channel as it was: no mark_txdone(). */
		scmi_dbg(&inst->log, "send failed for proto 0x%x msg 0x%x: %s", x->protocol_id,
			 x->msg_id, scmi_strerror(ret));
		xfer_abandon(x);
		return xfer_end(inst, x, ret);
	}
	scmi_count(inst, sent);
	return 0;
}

int scmi_xfer_resp_result(struct scmi_xfer *x, int ret)
{
	struct scmi_instance *inst = x->pool->inst;
	int err;

	if (ret) {
		xfer_give_up(x, true);
		if (ret == -ETIMEDOUT) {
			scmi_count(inst, timeouts);
			if (inst->tinfo.caps &
			    (SCMI_TRANSPORT_POLLING | SCMI_TRANSPORT_COMPLETES_ON_RETURN))
				scmi_count(inst, polled_timeouts);
			scmi_warn(&inst->log, "timed out after %u ms: proto 0x%x msg 0x%x token %u",
				  inst->timeout_ms, x->protocol_id, x->msg_id, x->token);
		}
		xfer_txdone(inst, x, ret);
		return xfer_end(inst, x, ret);
	}

	pthread_mutex_lock(&x->lock);
	err = x->resp_err;
	ret = xfer_result(x->resp_err, x->resp_status);
	pthread_mutex_unlock(&x->lock);
	if (!err && ret)
		scmi_count(inst, err_protocol);
	/* 0: a response was fetched, whatever its SCMI status. */
	xfer_txdone(inst, x, err);
	return xfer_end(inst, x, ret);
}

int scmi_do_xfer(struct scmi_xfer *x)
{
	struct scmi_instance *inst = x->pool->inst;
	int ret;

	ret = scmi_xfer_send(x);
	if (ret)
		return ret;
	if (inst->tinfo.caps & SCMI_TRANSPORT_COMPLETES_ON_RETURN) {
		bool done;

		/* The response is in place: fetch it on this thread, unless
		 * the transport reported it (or an error) already. */
		pthread_mutex_lock(&x->lock);
		done = x->done;
		pthread_mutex_unlock(&x->lock);
		if (!done)
			xfer_fill(inst, x, SCMI_MSG_TYPE_COMMAND, NULL);
		ret = xfer_wait_flag(x, &x->done, inst->timeout_ms);
	} else if (inst->tinfo.caps & SCMI_TRANSPORT_POLLING) {
		ret = xfer_poll_wait(inst, x, inst->timeout_ms);
	} else {
		ret = xfer_wait_flag(x, &x->done, inst->timeout_ms);
	}
	return scmi_xfer_resp_result(x, ret);
}

int scmi_xfer_async_prepare(struct scmi_xfer *x)
{
	struct scmi_instance *inst = x->pool->inst;

	if (!(inst->tinfo.caps & SCMI_TRANSPORT_P2A)) {
		/* The delayed response could never arrive. */
		scmi_dbg_reason(&inst->log,
				"proto 0x%x msg 0x%x: no delayed responses without a P2A channel",
				x->protocol_id, x->msg_id);
		xfer_abandon(x);
		return -EOPNOTSUPP;
	}
	x->async = true;
	return 0;
}

int scmi_xfer_dresp_result(struct scmi_xfer *x, int ret)
{
	struct scmi_instance *inst = x->pool->inst;

	if (ret) {
		xfer_give_up(x, false);
		if (ret == -ETIMEDOUT) {
			scmi_count(inst, dresp_timeouts);
			scmi_warn(&inst->log,
				  "delayed response timed out after %u ms: proto 0x%x msg 0x%x "
				  "token %u",
				  inst->dresp_timeout_ms, x->protocol_id, x->msg_id, x->token);
		}
		return ret;
	}
	pthread_mutex_lock(&x->lock);
	ret = xfer_result(x->dresp_err, x->dresp_status);
	pthread_mutex_unlock(&x->lock);
	return ret;
}

int scmi_do_xfer_with_response(struct scmi_xfer *x)
{
	struct scmi_instance *inst = x->pool->inst;
	int ret;

	ret = scmi_xfer_async_prepare(x);
	if (ret)
		return ret;
	ret = scmi_do_xfer(x);
	if (ret)
		return ret; /* no delayed response follows a failed response */
	return scmi_xfer_dresp_result(x, xfer_wait_flag(x, &x->async_done, inst->dresp_timeout_ms));
}

bool scmi_xfer_phase_done(struct scmi_xfer *x, bool dresp)
{
	bool done;

	pthread_mutex_lock(&x->lock);
	done = dresp ? x->async_done : x->done;
	pthread_mutex_unlock(&x->lock);
	return done;
}

/* ---- the RX entry point for transports -------------------------------------- */

void scmi_rx_callback(struct scmi_chan *chan, uint32_t msg_hdr, void *msg)
{
	struct scmi_instance *inst = chan->inst;

	uint8_t type = scmi_hdr_type(msg_hdr);

	if ((type == SCMI_MSG_TYPE_NOTIFICATION || type == SCMI_MSG_TYPE_DELAYED_RESP) &&
	    !(inst->tinfo.caps & SCMI_TRANSPORT_P2A)) {
		/* A transport without P2A cannot have delivered it. */
		scmi_count(inst, drop_bad_type);
		scmi_warn(&inst->log, "dropped message 0x%08x: %s without a P2A channel", msg_hdr,
			  type == SCMI_MSG_TYPE_NOTIFICATION ? "notification" : "delayed response");
		scmi_raw_drop(inst, msg_hdr, msg, SCMI_RAW_ERR_BAD_TYPE, NULL);
		return;
	}
	switch (type) {
	case SCMI_MSG_TYPE_NOTIFICATION:
		scmi_notify_rx(inst, msg_hdr, msg);
		break;
	case SCMI_MSG_TYPE_COMMAND:
	case SCMI_MSG_TYPE_DELAYED_RESP:
		scmi_xfer_rx_response(&inst->tx_minfo, msg_hdr, msg);
		break;
	default:
		scmi_count(inst, drop_bad_type);
		if (scmi_tracing(inst))
			scmi_trace_bad_msg(inst, msg_hdr, SCMI_TRACE_BAD_UNKNOWN);
		scmi_warn(&inst->log, "dropped message 0x%08x of reserved type 1", msg_hdr);
		scmi_raw_drop(inst, msg_hdr, msg, SCMI_RAW_ERR_BAD_TYPE, NULL);
		break;
	}
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * The channel engine of the shared-memory transports (engine.h).
 *
 * The platform may write the areas at any time: the helpers of
 * <scmi/shmem.h> read each field once and bound every length by the area
 * size.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "map.h"

/* P2A messages taken per area in one scan (a burst), at most. */
#define ENGINE_P2A_BURST 64u
#define PENDING_SET	 (1ull << 32)

void shmem_engine_init(struct shmem_engine *e, struct scmi_chan *chan, const char *name)
{
	e->chan = chan;
	e->name = name;
	atomic_init(&e->err, 0);
}

int shmem_engine_add(struct shmem_engine *e, uint8_t protocol, volatile void *a2p,
		     volatile void *p2a, size_t size)
{
	struct shmem_echan *c = &e->chans[e->num_chans];
	int ret;

	if (e->num_chans == SHMEM_MAX_CHANNELS)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	ret = scmi_shmem_init(&c->a2p, a2p, size, 0);
	if (!ret && p2a)
		ret = scmi_shmem_init(&c->p2a, p2a, size, 0);
	if (ret) {
		shmem_log(e->chan, SCMI_LOG_ERR, "%s: the areas of channel %u: %s", e->name,
			  e->num_chans, strerror(-ret));
		return ret;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->rx_lock, NULL);
	c->protocol = protocol;
	c->has_p2a = p2a != NULL;
	if (protocol)
		e->chan_of[protocol] = (uint8_t)e->num_chans;
	e->num_chans++;
	return 0;
}

void shmem_engine_set_doorbell(struct shmem_engine *e, volatile void *reg,
			       const struct shmem_config *cfg)
{
	e->db = reg;
	e->db_width = cfg->db_width;
	e->db_set = cfg->db_set;
	e->db_preserve = cfg->db_preserve;
}

bool shmem_engine_has_p2a(const struct shmem_engine *e)
{
	for (unsigned int i = 0; i < e->num_chans; i++)
		if (e->chans[i].has_p2a)
			return true;
	return false;
}

void shmem_engine_info(const struct shmem_engine *e, struct scmi_transport_info *info)
{
	const struct scmi_shmem *a2p = &e->chans[0].a2p;

	info->max_msg = e->num_chans;
	info->max_msg_per_chan = 1;
	info->max_tx_size = scmi_shmem_max_request(a2p);
	info->max_rx_size = scmi_shmem_max_response(a2p);
	info->max_notif_size = scmi_shmem_max_request(a2p);
	info->max_msg_size = info->max_rx_size;
	info->caps = (e->irq ? 0 : SCMI_TRANSPORT_POLLING) |
		     (shmem_engine_has_p2a(e) ? SCMI_TRANSPORT_P2A : 0) |
		     (e->num_chans > 1 ? SCMI_TRANSPORT_PER_PROTOCOL : 0);
}

void shmem_engine_free(struct shmem_engine *e)
{
	for (unsigned int i = 0; i < e->num_chans; i++) {
		pthread_mutex_destroy(&e->chans[i].lock);
		pthread_mutex_destroy(&e->chans[i].rx_lock);
	}
	e->num_chans = 0;
}

/* ---- RX: the scans ----------------------------------------------------- */

/* irq: the command outstanding on @c, if its area is done, reported. */
static void scan_a2p(struct shmem_engine *e, struct shmem_echan *c)
{
	pthread_mutex_lock(&c->rx_lock);
	if (c->pending &&
	    (scmi_shmem_is_free(&c->a2p) || scmi_shmem_poll_done(&c->a2p, (uint32_t)c->pending))) {
		uint32_t hdr = scmi_shmem_read_header(&c->a2p);

		c->pending = 0;
		scmi_rx_callback(e->chan, hdr, &c->a2p);
	}
	pthread_mutex_unlock(&c->rx_lock);
}

static void scan_p2a(struct shmem_engine *e, struct shmem_echan *c)
{
	for (unsigned int n = 0; n < ENGINE_P2A_BURST && !scmi_shmem_is_free(&c->p2a); n++) {
		uint32_t hdr = scmi_shmem_read_header(&c->p2a);
		uint8_t type = scmi_hdr_type(hdr);

		if (type == SCMI_MSG_TYPE_NOTIFICATION || type == SCMI_MSG_TYPE_DELAYED_RESP)
			scmi_rx_callback(e->chan, hdr, &c->p2a);
		else
			scmi_chan_log(
				e->chan, SCMI_LOG_WARN,
				"%s: message of type %u on a P2A area dropped (header 0x%08x)",
				e->name, type, hdr);
		if (scmi_shmem_intr_requested(&c->p2a) && !c->intr_logged) {
			scmi_chan_log(e->chan, SCMI_LOG_WARN,
				      "%s: the platform asks for P2A completion doorbells; "
				      "this transport has none%s",
				      e->name, e->irq ? "" : " (it polls)");
			c->intr_logged = true;
		}
		scmi_shmem_ack(&c->p2a);
	}
}

void shmem_engine_scan(struct shmem_engine *e)
{
	if (atomic_load(&e->err))
		return;
	for (unsigned int i = 0; e->irq && i < e->num_chans; i++)
		scan_a2p(e, &e->chans[i]);
	for (unsigned int i = 0; i < e->num_chans; i++)
		if (e->chans[i].has_p2a)
			scan_p2a(e, &e->chans[i]);
}

void shmem_engine_fail(struct shmem_engine *e, int err, const char *why)
{
	int zero = 0;

	if (!atomic_compare_exchange_strong(&e->err, &zero, err))
		return;
	scmi_chan_log(e->chan, SCMI_LOG_ERR, "%s: %s: every command fails with %s from now on",
		      e->name, why, strerror(-err));
	for (unsigned int i = 0; i < e->num_chans; i++) {
		pthread_mutex_lock(&e->chans[i].rx_lock);
		e->chans[i].pending = 0;
		pthread_mutex_unlock(&e->chans[i].rx_lock);
		scmi_chan_error(e->chan, i, err);
	}
}

static void engine_tick(uv_timer_t *t)
{
	shmem_engine_scan(t->data);
}

static void engine_kick(uv_async_t *a)
{
	shmem_engine_scan(a->data);
}

int shmem_engine_start(struct shmem_engine *e, uint64_t period_ms)
{
	uv_loop_t *loop = scmi_chan_loop(e->chan);
	int ret;

	e->period_ms = period_ms;
	if (e->irq) {
		if ((ret = uv_async_init(loop, &e->kick, engine_kick)))
			return -ENOMEM;
		e->kick_init = true;
		e->kick.data = e;
	}
	if (!(ret = uv_timer_init(loop, &e->timer)))
		e->timer_init = true;
	e->timer.data = e;
	if (!ret)
		ret = uv_timer_start(&e->timer, engine_tick, period_ms, period_ms);
	return ret ? -ENOMEM : 0;
}

void shmem_engine_close(struct shmem_engine *e)
{
	if (e->timer_init) {
		uv_timer_stop(&e->timer);
		uv_close((uv_handle_t *)&e->timer, NULL);
		e->timer_init = false;
	}
	if (e->kick_init) {
		uv_close((uv_handle_t *)&e->kick, NULL);
		e->kick_init = false;
	}
}

/* ---- A2P --------------------------------------------------------------- */

static struct shmem_echan *chan_of_xfer(struct shmem_engine *e, const struct scmi_transport_xfer *x)
{
	return &e->chans[e->chan_of[scmi_hdr_protocol(x->hdr)]];
}

unsigned int shmem_engine_channel_of(void *priv, uint8_t protocol_id)
{
	return ((struct shmem_engine *)priv)->chan_of[protocol_id];
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Wait until the platform frees the A2P area, at most @timeout_ms: it may
 * still be answering a command that timed out.  Spins a little, then
 * sleeps with a doubling back-off up to 1 ms.
 */
static bool wait_free(struct shmem_echan *c, unsigned int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	long sleep_ns = 1000;

	for (unsigned int spin = 0; spin < 64; spin++)
		if (scmi_shmem_is_free(&c->a2p))
			return true;
	while (!scmi_shmem_is_free(&c->a2p)) {
		struct timespec ts = {0, sleep_ns};

		if (now_ns() >= deadline)
			return false;
		nanosleep(&ts, NULL);
		if (sleep_ns < 1000000)
			sleep_ns *= 2;
	}
	return true;
}

int shmem_engine_send(void *priv, struct scmi_transport_xfer *x)
{
	struct shmem_engine *e = priv;
	struct shmem_echan *c = chan_of_xfer(e, x);
	bool done = false;
	int ret;

	if ((ret = atomic_load(&e->err)))
		return ret;
	pthread_mutex_lock(&c->lock);
	if (!wait_free(c, x->timeout_ms)) {
		if (!c->busy_logged)
			scmi_chan_log(e->chan, SCMI_LOG_ERR,
				      "%s: the platform has not freed the A2P area of channel %u "
				      "(protocol 0x%02x) for %u ms: channel busy",
				      e->name, (unsigned int)(c - e->chans), c->protocol,
				      x->timeout_ms);
		c->busy_logged = true;
		pthread_mutex_unlock(&c->lock);
		return -EBUSY;
	}
	c->busy_logged = false;
	if (e->irq) {
		pthread_mutex_lock(&c->rx_lock);
		ret = scmi_shmem_tx_prepare(&c->a2p, x->hdr, x->tx, x->tx_len, true);
		if (!ret)
			c->pending = PENDING_SET | x->hdr;
		pthread_mutex_unlock(&c->rx_lock);
	} else {
		ret = scmi_shmem_tx_prepare(&c->a2p, x->hdr, x->tx, x->tx_len, false);
	}
	if (!ret && e->db)
		ret = scmi_shmem_ring_doorbell(e->db, e->db_width, e->db_set, e->db_preserve);
	if (e->irq && (ret || atomic_load(&e->err))) {
		/* Not sent after all (the device went away meanwhile): the
		 * command has no completion to wait for. */
		pthread_mutex_lock(&c->rx_lock);
		c->pending = 0;
		pthread_mutex_unlock(&c->rx_lock);
		if (!ret)
			ret = atomic_load(&e->err);
	} else if (e->irq) {
		/* A platform faster than this thread: its interrupt may have
		 * been taken before the command was marked outstanding. */
		done = scmi_shmem_is_free(&c->a2p);
	}
	pthread_mutex_unlock(&c->lock);
	if (done && !ret && e->kick_init)
		uv_async_send(&e->kick);
	return ret;
}

bool shmem_engine_poll_done(void *priv, struct scmi_transport_xfer *x)
{
	return scmi_shmem_poll_done(&chan_of_xfer(priv, x)->a2p, x->hdr);
}

/* @msg: an area reported by a scan, or NULL for the command's A2P area. */
int shmem_engine_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *x)
{
	const struct scmi_shmem *sh = msg ? msg : &chan_of_xfer(priv, x)->a2p;

	return scmi_shmem_fetch_response(sh, x->rx, x->rx_size, &x->status, &x->rx_len);
}

int shmem_engine_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	(void)priv;
	return scmi_shmem_fetch_notification(msg, buf, size, len);
}

void shmem_engine_describe(const struct shmem_engine *e, const struct shmem_config *cfg,
			   uint64_t period_ms, scmi_describe_fn emit, void *arg)
{
	char sec[32];

	for (size_t i = 0; i < cfg->num_chans && i < e->num_chans; i++) {
		const struct shmem_chan_config *cc = &cfg->chans[i];

		snprintf(sec, sizeof(sec), "channel %zu", i);
		if (cc->protocol)
			scmi_describef(emit, arg, sec, "protocol", "0x%02x", cc->protocol);
		else
			emit(arg, sec, "protocol", "default");
		scmi_describef(emit, arg, sec, "a2p", "0x%llx", (unsigned long long)cc->a2p);
		if (cc->has_p2a)
			scmi_describef(emit, arg, sec, "p2a", "0x%llx",
				       (unsigned long long)cc->p2a);
		else
			emit(arg, sec, "p2a", "none");
		scmi_describef(emit, arg, sec, "size", "%zu", cfg->size);
	}
	if (cfg->has_db) {
		emit(arg, "doorbell", "present", "yes");
		scmi_describef(emit, arg, "doorbell", "offset", "0x%llx",
			       (unsigned long long)cfg->db);
		scmi_describef(emit, arg, "doorbell", "width", "%u", cfg->db_width);
		scmi_describef(emit, arg, "doorbell", "set", "0x%llx",
			       (unsigned long long)cfg->db_set);
		scmi_describef(emit, arg, "doorbell", "preserve", "0x%llx",
			       (unsigned long long)cfg->db_preserve);
	} else {
		emit(arg, "doorbell", "present", "no");
	}
	emit(arg, "completion", "mode", e->irq ? "interrupt" : "polling");
	scmi_describef(emit, arg, "completion", "period_ms", "%llu", (unsigned long long)period_ms);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * shmem:// -- SCMI over shared-memory areas mapped from a memory device
 * (/dev/mem) or a file shared with the platform (scmi-sim in the tests).
 *
 * One channel per A2P area (the default one, and one per protocol named
 * in the URI), each with an optional P2A area.  Commands complete by
 * polling: the core polls poll_done() (token and FREE|ERROR) with its
 * bounded back-off and then fetches from the A2P area on the caller's
 * thread.  P2A areas are polled by a timer on the handle's loop: a message
 * is handed to the core with the area itself as the message reference, then
 * the area is acknowledged (FREE), also when the core dropped it.
 *
 * The platform may write the areas at any time: the helpers of
 * <scmi/shmem.h> read each field once and bound every length by the area
 * size.  URI parameters: transports/shmem/config.h and docs/TRANSPORTS.md.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uv.h>

#include <scmi/shmem.h>
#include <scmi/transport.h>

#include "../../lib/handle.h"
#include "config.h"
#include "map.h"

#define SHM_DEFAULT_TIMEOUT_MS 100u
/* P2A messages taken per area in one timer tick (a burst), at most. */
#define SHM_P2A_BURST 64u

struct shm_chan {
	uint8_t protocol; /* 0: the default channel */
	struct shmem_map a2p_map, p2a_map;
	struct scmi_shmem a2p, p2a;
	bool has_p2a;
	/* Serialises writers of the A2P area (the core sends one command per
	 * channel at a time; this only guards against a misuse). */
	pthread_mutex_t lock;
	bool busy_logged; /* "still busy" logged since the area was last free */
	bool intr_logged; /* P2A completion doorbell asked for: said once (loop thread) */
};

struct shm_priv {
	struct scmi_chan *chan;
	struct shmem_config cfg;
	struct shmem_dev dev;
	struct shm_chan chans[SHMEM_MAX_CHANNELS];
	unsigned int num_chans;
	uint8_t chan_of[256]; /* protocol id -> index in chans[] */
	struct shmem_map db_map;
	uv_timer_t p2a_timer;
	bool timer_init;
	uint64_t p2a_period_ms;
};

static void shm_free(struct shm_priv *sp)
{
	if (!sp)
		return;
	for (unsigned int i = 0; i < sp->num_chans; i++) {
		shmem_unmap(&sp->chans[i].a2p_map);
		shmem_unmap(&sp->chans[i].p2a_map);
		pthread_mutex_destroy(&sp->chans[i].lock);
	}
	shmem_unmap(&sp->db_map);
	shmem_dev_close(&sp->dev);
	free(sp);
}

static int shm_map_area(struct shm_priv *sp, uint64_t off, struct shmem_map *m,
			struct scmi_shmem *sh)
{
	int ret = shmem_map(&sp->dev, off, sp->cfg.size, m, sp->chan);

	if (ret)
		return ret;
	ret = scmi_shmem_init(sh, m->ptr, sp->cfg.size, 0);
	if (ret)
		scmi_chan_log(sp->chan, SCMI_LOG_ERR, "shmem: area at 0x%llx: %s",
			      (unsigned long long)off, strerror(-ret));
	return ret;
}

static int shm_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		    struct scmi_transport_info *info, void **priv)
{
	struct shm_priv *sp = calloc(1, sizeof(*sp));
	bool any_p2a = false;
	int ret;

	if (!sp)
		return -ENOMEM;
	sp->chan = chan;
	sp->dev.fd = -1;
	ret = shmem_config_parse(uri, false, &sp->cfg, chan);
	if (ret)
		goto fail;
	ret = shmem_dev_open(&sp->dev, sp->cfg.path, chan);
	if (ret)
		goto fail;
	for (size_t i = 0; i < sp->cfg.num_chans; i++) {
		const struct shmem_chan_config *cc = &sp->cfg.chans[i];
		struct shm_chan *c = &sp->chans[i];

		pthread_mutex_init(&c->lock, NULL);
		sp->num_chans++;
		c->protocol = cc->protocol;
		ret = shm_map_area(sp, cc->a2p, &c->a2p_map, &c->a2p);
		if (!ret && cc->has_p2a)
			ret = shm_map_area(sp, cc->p2a, &c->p2a_map, &c->p2a);
		if (ret)
			goto fail;
		c->has_p2a = cc->has_p2a;
		any_p2a |= cc->has_p2a;
		if (cc->protocol)
			sp->chan_of[cc->protocol] = (uint8_t)i;
	}
	if (sp->cfg.has_db) {
		ret = shmem_map(&sp->dev, sp->cfg.db, sp->cfg.db_width / 8, &sp->db_map, chan);
		if (ret)
			goto fail;
	}
	sp->p2a_period_ms = (sp->cfg.poll_us + 999u) / 1000u;

	info->max_msg = sp->num_chans;
	info->max_msg_per_chan = 1;
	info->max_tx_size = scmi_shmem_max_request(&sp->chans[0].a2p);
	info->max_rx_size = scmi_shmem_max_response(&sp->chans[0].a2p);
	info->max_notif_size = scmi_shmem_max_request(&sp->chans[0].a2p);
	info->max_msg_size = info->max_rx_size;
	info->caps = SCMI_TRANSPORT_POLLING | (any_p2a ? SCMI_TRANSPORT_P2A : 0) |
		     (sp->num_chans > 1 ? SCMI_TRANSPORT_PER_PROTOCOL : 0);
	scmi_chan_log(chan, SCMI_LOG_DEBUG,
		      "shmem: %s: %u channel(s) of %zu bytes, %s, P2A polled every %llu ms",
		      sp->cfg.path, sp->num_chans, sp->cfg.size,
		      sp->cfg.has_db ? "doorbell" : "no doorbell",
		      (unsigned long long)sp->p2a_period_ms);
	*priv = sp;
	return 0;
fail:
	shm_free(sp);
	return ret ? ret : -EINVAL;
}

/* ---- P2A: a timer on the loop ---------------------------------------- */

static void shm_p2a_area(struct shm_priv *sp, struct shm_chan *c)
{
	for (unsigned int n = 0; n < SHM_P2A_BURST && !scmi_shmem_is_free(&c->p2a); n++) {
		uint32_t hdr = scmi_shmem_read_header(&c->p2a);
		uint8_t type = scmi_hdr_type(hdr);

		if (type == SCMI_MSG_TYPE_NOTIFICATION || type == SCMI_MSG_TYPE_DELAYED_RESP)
			scmi_rx_callback(sp->chan, hdr, &c->p2a);
		else
			scmi_chan_log(sp->chan, SCMI_LOG_WARN,
				      "shmem: message of type %u on a P2A area dropped (header 0x%08x)",
				      type, hdr);
		if (scmi_shmem_intr_requested(&c->p2a) && !c->intr_logged) {
			scmi_chan_log(sp->chan, SCMI_LOG_WARN,
				      "shmem: the platform asks for P2A completion doorbells; "
				      "this transport has none (it polls)");
			c->intr_logged = true;
		}
		scmi_shmem_ack(&c->p2a);
	}
}

static void shm_p2a_tick(uv_timer_t *t)
{
	struct shm_priv *sp = t->data;

	for (unsigned int i = 0; i < sp->num_chans; i++)
		if (sp->chans[i].has_p2a)
			shm_p2a_area(sp, &sp->chans[i]);
}

static int shm_start(void *priv)
{
	struct shm_priv *sp = priv;
	int ret;

	if (!(ret = uv_timer_init(scmi_chan_loop(sp->chan), &sp->p2a_timer)))
		sp->timer_init = true;
	sp->p2a_timer.data = sp;
	if (!ret)
		ret = uv_timer_start(&sp->p2a_timer, shm_p2a_tick, sp->p2a_period_ms,
				     sp->p2a_period_ms);
	return ret ? -ENOMEM : 0;
}

static void shm_close(void *priv)
{
	struct shm_priv *sp = priv;

	if (sp->timer_init) {
		uv_timer_stop(&sp->p2a_timer);
		uv_close((uv_handle_t *)&sp->p2a_timer, NULL);
	}
}

static void shm_release(void *priv)
{
	shm_free(priv);
}

/* ---- A2P -------------------------------------------------------------- */

static struct shm_chan *shm_chan_of(struct shm_priv *sp, const struct scmi_transport_xfer *x)
{
	return &sp->chans[sp->chan_of[scmi_hdr_protocol(x->hdr)]];
}

static unsigned int shm_channel_of(void *priv, uint8_t protocol_id)
{
	return ((struct shm_priv *)priv)->chan_of[protocol_id];
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
static bool shm_wait_free(struct shm_chan *c, unsigned int timeout_ms)
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

static int shm_send(void *priv, struct scmi_transport_xfer *x)
{
	struct shm_priv *sp = priv;
	struct shm_chan *c = shm_chan_of(sp, x);
	int ret;

	pthread_mutex_lock(&c->lock);
	if (!shm_wait_free(c, x->timeout_ms)) {
		if (!c->busy_logged)
			scmi_chan_log(sp->chan, SCMI_LOG_ERR,
				      "shmem: the platform has not freed the A2P area of channel %u "
				      "(protocol 0x%02x) for %u ms: channel busy",
				      (unsigned int)(c - sp->chans), c->protocol, x->timeout_ms);
		c->busy_logged = true;
		pthread_mutex_unlock(&c->lock);
		return -EBUSY;
	}
	c->busy_logged = false;
	ret = scmi_shmem_tx_prepare(&c->a2p, x->hdr, x->tx, x->tx_len, false);
	if (!ret && sp->cfg.has_db)
		ret = scmi_shmem_ring_doorbell(sp->db_map.ptr, sp->cfg.db_width, sp->cfg.db_set,
					       sp->cfg.db_preserve);
	pthread_mutex_unlock(&c->lock);
	return ret;
}

static bool shm_poll_done(void *priv, struct scmi_transport_xfer *x)
{
	return scmi_shmem_poll_done(&shm_chan_of(priv, x)->a2p, x->hdr);
}

/* @msg: a P2A area (delayed response), or NULL for the command's A2P area. */
static int shm_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *x)
{
	const struct scmi_shmem *sh = msg ? msg : &shm_chan_of(priv, x)->a2p;

	return scmi_shmem_fetch_response(sh, x->rx, x->rx_size, &x->status, &x->rx_len);
}

static int shm_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	(void)priv;
	return scmi_shmem_fetch_notification(msg, buf, size, len);
}

/* Fastchannels, doorbells and statistics areas live in the same device. */
static void *shm_map_memory(void *priv, uint64_t addr, size_t size)
{
	struct shm_priv *sp = priv;
	struct shmem_map m;

	if (shmem_map(&sp->dev, addr, size, &m, sp->chan))
		return NULL;
	return (void *)m.ptr;
}

static void shm_unmap_memory(void *priv, void *ptr, size_t size)
{
	(void)priv;
	shmem_unmap_ptr(ptr, size);
}

static const struct scmi_transport_ops shm_ops = {
	.open = shm_open,
	.start = shm_start,
	.close = shm_close,
	.release = shm_release,
	.send_message = shm_send,
	.fetch_response = shm_fetch_response,
	.fetch_notification = shm_fetch_notification,
	.poll_done = shm_poll_done,
	.channel_of = shm_channel_of,
	.map_memory = shm_map_memory,
	.unmap_memory = shm_unmap_memory,
};

const struct scmi_transport_desc scmi_shmem_transport = {
	.scheme = "shmem",
	.ops = &shm_ops,
	.defaults =
		{
			.max_msg = 1,
			.max_msg_size = SHMEM_DEFAULT_SIZE - 32,
			.timeout_ms = SHM_DEFAULT_TIMEOUT_MS,
			.caps = SCMI_TRANSPORT_POLLING | SCMI_TRANSPORT_P2A,
		},
};

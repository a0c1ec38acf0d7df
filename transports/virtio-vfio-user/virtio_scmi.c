// SPDX-License-Identifier: BSD-3-Clause
/*
 * virtio-vfio-user:///path/to/socket -- the virtio-scmi transport (layer 3,
 * README.md) on the virtio PCI driver (virtio_pci.h) and the vfio-user
 * client (vfio_user.h).
 *
 * One DMA window holds the rings of both queues, the command slots and the
 * eventq buffers.  A command takes a slot: its request (header + payload)
 * in a device-readable descriptor, room for the response (header, status,
 * max_msg_size data bytes) in a device-writable one.  The cmdq of Q
 * entries carries Q/2 such chains, so max_msg = Q/2 (at most 1024).  A
 * slot is reused only when both the device has returned it and the core is
 * done with the command (mark_txdone()): a command that timed out keeps its
 * slot until the device gives the buffer back, and its late response is
 * then dropped here, never reported against a newer command that reuses
 * the token.
 *
 * Receive path: the interrupt eventfds (MSI-X: vector 0 configuration,
 * 1 + q queue q; INTx: one, with an ISR read) and the vfio-user socket are
 * watched with uv_poll on the handle's loop, which is the RX thread.  A
 * used cmdq entry is reported with scmi_rx_callback() with the slot's
 * response as the message; one whose header is not the command's, or with
 * a length beyond the buffer, fails that command with -EPROTO.  A used
 * eventq buffer is reported, then re-posted at once.  Used entries that
 * name no chain in flight are logged and dropped.
 *
 * Without VIRTIO_SCMI_F_P2A_CHANNELS there is no eventq and the transport
 * reports no P2A capability (the core refuses async commands and
 * notifications).  When the server goes away every command in flight is
 * failed with -ENOTCONN (scmi_chan_error()) and later sends fail the same.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <scmi/transport.h>

#include "../../lib/handle.h"
#include "virtio_pci.h"

#define VS_DEFAULT_MSG_SIZE	   128u
#define VS_MIN_MSG_SIZE		   8u
#define VS_MAX_MSG_SIZE		   4096u
#define VS_DEFAULT_TIMEOUT_MS	   1000u
#define VS_MAX_QUEUE		   2048u /* cmdq: 1024 two-descriptor chains */
#define VS_MAX_EVENT_BUFS	   1024u
#define VS_IOVA_BASE		   0x100000ull
#define VIRTIO_SCMI_F_P2A_CHANNELS 0
#define VS_CMDQ			   0u
#define VS_EVENTQ		   1u

/* A message handed to scmi_rx_callback(). */
struct vs_msg {
	const uint8_t *buf;
	size_t len;
};

struct vs_slot {
	uint8_t *tx, *rx;
	uint64_t tx_iova, rx_iova;
	uint32_t hdr;
	bool busy;	/* taken by a command */
	bool returned;	/* the device gave the chain back */
	bool txdone;	/* the core is done with the command */
	bool reporting; /* the RX thread is reporting its response */
	struct vs_slot *next_free;
};

struct vs_ebuf {
	uint8_t *buf;
	uint64_t iova;
};

struct vs_priv {
	struct scmi_chan *chan;
	struct vfu_client *vfu;
	struct vpci_dev dev;
	size_t msg_size;	   /* max payload bytes */
	uint32_t tx_size, rx_size; /* bytes of a slot's two buffers */
	enum vpci_irq_mode irq_mode;
	unsigned int queue_size; /* 0: the device's */
	/* queues */
	struct virtqueue cmdq, evq;
	bool has_evq;
	uint16_t cmdq_noff, evq_noff;
	uint64_t win_size;
	/* cmdq slots, under @lock with the cmdq itself */
	pthread_mutex_t lock;
	pthread_cond_t cond; /* a slot was freed, or the device is gone */
	struct vs_slot *slots, *free_slots;
	unsigned int nslots;
	/* eventq buffers: the RX thread only */
	struct vs_ebuf *ebufs;
	unsigned int nebufs;
	/* receive path */
	uv_poll_t irq_poll[3];
	unsigned int nirq_polls;
	uv_poll_t sock_poll;
	bool sock_poll_init;
	atomic_bool started;
	atomic_bool broken;
	atomic_bool closing;
	/* statistics */
	uint64_t bad_used, late_dropped;
	/* for describe() */
	char path[108];
	struct vfu_device_info di;
	bool have_di;
	uint16_t cmax, emax; /* the device's queue maxima (0: not read) */
	int probe_err;	     /* probe-only open: why the device cannot be driven */
};

/* ---- helpers ---------------------------------------------------------- */

static uint32_t vs_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static void vs_log_fwd(void *priv, enum scmi_log_level lvl, const char *msg)
{
	struct vs_priv *p = priv;

	scmi_chan_log(p->chan, lvl, "virtio-vfio-user: %s", msg);
}

/* The server is gone (any thread): fail everything in flight once. */
static void vs_broken(struct vs_priv *p, int err)
{
	if (atomic_exchange(&p->broken, true))
		return;
	scmi_chan_log(p->chan, SCMI_LOG_ERR, "virtio-vfio-user: the device is gone (%s)",
		      strerror(-err));
	pthread_mutex_lock(&p->lock);
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (atomic_load(&p->started) && !atomic_load(&p->closing))
		scmi_chan_error(p->chan, 0, -ENOTCONN);
}

static void vs_disconnected(void *priv, int err)
{
	vs_broken(priv, err);
}

/* Under @lock: give the slot back when both sides are done with it. */
static void vs_slot_maybe_free(struct vs_priv *p, struct vs_slot *s)
{
	if (!s->busy || !s->returned || !s->txdone || s->reporting)
		return;
	s->busy = false;
	s->next_free = p->free_slots;
	p->free_slots = s;
	pthread_cond_signal(&p->cond);
}

/* ---- send --------------------------------------------------------------- */

static int vs_send(void *priv, struct scmi_transport_xfer *xfer)
{
	struct vs_priv *p = priv;
	struct timespec deadline;
	struct vs_slot *s;
	struct vq_buf bufs[2];
	bool kick;
	int len, ret = 0;

	if (atomic_load(&p->broken))
		return -ENOTCONN;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += xfer->timeout_ms / 1000;
	deadline.tv_nsec += (long)(xfer->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	while (!p->free_slots && !atomic_load(&p->broken) && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&p->cond, &p->lock, &deadline);
	if (atomic_load(&p->broken) || !p->free_slots) {
		pthread_mutex_unlock(&p->lock);
		return atomic_load(&p->broken) ? -ENOTCONN : -EBUSY;
	}
	s = p->free_slots;
	len = scmi_msg_pack_command(xfer, s->tx, p->tx_size);
	if (len < 0) {
		pthread_mutex_unlock(&p->lock);
		return len;
	}
	bufs[0] = (struct vq_buf){s->tx_iova, (uint32_t)len};
	bufs[1] = (struct vq_buf){s->rx_iova, p->rx_size};
	ret = vq_add(&p->cmdq, bufs, 1, 1, s);
	if (ret) {
		pthread_mutex_unlock(&p->lock);
		scmi_chan_log(p->chan, SCMI_LOG_ERR, "virtio-vfio-user: cmdq full (%d)", ret);
		return -EBUSY;
	}
	p->free_slots = s->next_free;
	s->busy = true;
	s->returned = s->txdone = s->reporting = false;
	s->hdr = xfer->hdr;
	xfer->priv = s;
	kick = vq_publish(&p->cmdq);
	pthread_mutex_unlock(&p->lock);
	if (kick) {
		ret = vpci_notify(&p->dev, VS_CMDQ, p->cmdq_noff);
		if (ret) {
			/* The chain is exposed and cannot be taken back; the
			 * connection is gone, so the slot is never reused. */
			vs_broken(p, ret);
			return -ENOTCONN;
		}
	}
	return 0;
}

static void vs_mark_txdone(void *priv, struct scmi_transport_xfer *xfer, int ret)
{
	struct vs_priv *p = priv;
	struct vs_slot *s = xfer->priv;

	(void)ret;
	if (!s)
		return;
	pthread_mutex_lock(&p->lock);
	s->txdone = true;
	vs_slot_maybe_free(p, s);
	pthread_mutex_unlock(&p->lock);
}

static int vs_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *xfer)
{
	const struct vs_msg *m = msg;

	(void)priv;
	return scmi_msg_fetch_response(m ? m->buf : NULL, m ? m->len : 0, xfer);
}

static int vs_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	const struct vs_msg *m = msg;

	(void)priv;
	return scmi_msg_fetch_notification(m->buf, m->len, buf, size, len);
}

/* ---- receive ------------------------------------------------------------ */

static void vs_cmdq_drain(struct vs_priv *p)
{
	for (;;) {
		enum vq_used_result r;
		const char *why = "";
		void *cookie = NULL;
		struct vs_slot *s;
		uint32_t len;

		pthread_mutex_lock(&p->lock);
		r = vq_get_used(&p->cmdq, &cookie, &len, &why);
		if (r == VQ_USED_NONE) {
			pthread_mutex_unlock(&p->lock);
			return;
		}
		if (r == VQ_USED_BAD_ID) {
			p->bad_used++;
			pthread_mutex_unlock(&p->lock);
			scmi_chan_log(p->chan, SCMI_LOG_WARN,
				      "virtio-vfio-user: cmdq used entry dropped: %s (id %u)", why,
				      len);
			continue;
		}
		s = cookie;
		s->returned = true;
		if (s->txdone) {
			/* The command was given up on: its late response
			 * goes, the slot comes back. */
			p->late_dropped++;
			vs_slot_maybe_free(p, s);
			pthread_mutex_unlock(&p->lock);
			continue;
		}
		s->reporting = true;
		pthread_mutex_unlock(&p->lock);
		if (r == VQ_USED_BAD_LEN) {
			p->bad_used++;
			scmi_chan_log(p->chan, SCMI_LOG_WARN,
				      "virtio-vfio-user: cmdq used entry for 0x%08x: %s (%u > %u "
				      "bytes)",
				      s->hdr, why, len, p->rx_size);
			scmi_rx_error(p->chan, s->hdr, -EPROTO);
		} else if (len < 4 || vs_le32(s->rx) != s->hdr) {
			scmi_chan_log(p->chan, SCMI_LOG_WARN,
				      "virtio-vfio-user: response to 0x%08x: %s", s->hdr,
				      len < 4 ? "no header" : "header does not echo the command's");
			scmi_rx_error(p->chan, s->hdr, -EPROTO);
		} else {
			struct vs_msg m = {s->rx, len};

			scmi_rx_callback(p->chan, s->hdr, &m);
		}
		pthread_mutex_lock(&p->lock);
		s->reporting = false;
		vs_slot_maybe_free(p, s);
		pthread_mutex_unlock(&p->lock);
	}
}

static int vs_evq_post(struct vs_priv *p, struct vs_ebuf *b)
{
	struct vq_buf vb = {b->iova, p->rx_size};

	return vq_add(&p->evq, &vb, 0, 1, b);
}

static void vs_evq_drain(struct vs_priv *p)
{
	bool posted = false;

	if (!p->has_evq)
		return;
	for (;;) {
		const char *why = "";
		void *cookie = NULL;
		struct vs_ebuf *b;
		uint32_t len;
		enum vq_used_result r = vq_get_used(&p->evq, &cookie, &len, &why);

		if (r == VQ_USED_NONE)
			break;
		if (r == VQ_USED_BAD_ID) {
			p->bad_used++;
			scmi_chan_log(p->chan, SCMI_LOG_WARN,
				      "virtio-vfio-user: eventq used entry dropped: %s (id %u)",
				      why, len);
			continue;
		}
		b = cookie;
		if (r == VQ_USED_BAD_LEN) {
			p->bad_used++;
			scmi_chan_log(
				p->chan, SCMI_LOG_WARN,
				"virtio-vfio-user: eventq message dropped: %s (%u > %u bytes)", why,
				len, p->rx_size);
		} else if (len < 4) {
			p->bad_used++;
			scmi_chan_log(p->chan, SCMI_LOG_WARN,
				      "virtio-vfio-user: eventq message dropped: %u bytes", len);
		} else if (scmi_hdr_type(vs_le32(b->buf)) == SCMI_MSG_TYPE_COMMAND) {
			/* Responses come on the cmdq, in their command's
			 * buffer: one here would complete a command with
			 * another buffer than its own. */
			p->bad_used++;
			scmi_chan_log(p->chan, SCMI_LOG_WARN,
				      "virtio-vfio-user: eventq message 0x%08x dropped: a response",
				      vs_le32(b->buf));
		} else {
			struct vs_msg m = {b->buf, len};

			scmi_rx_callback(p->chan, vs_le32(b->buf), &m);
		}
		/* Fetched (or dropped): the buffer goes straight back. */
		if (vs_evq_post(p, b) == 0)
			posted = true;
	}
	if (posted && vq_publish(&p->evq) && !atomic_load(&p->broken)) {
		int ret = vpci_notify(&p->dev, VS_EVENTQ, p->evq_noff);

		if (ret)
			vs_broken(p, ret);
	}
}

static void vs_config_changed(struct vs_priv *p)
{
	uint8_t st;

	if (vpci_get_status(&p->dev, &st))
		return; /* a broken connection is reported on its own */
	if (st & VIRTIO_S_DEVICE_NEEDS_RESET) {
		scmi_chan_log(p->chan, SCMI_LOG_ERR,
			      "virtio-vfio-user: the device needs a reset (status 0x%02x)", st);
		if (!atomic_exchange(&p->broken, true)) {
			pthread_mutex_lock(&p->lock);
			pthread_cond_broadcast(&p->cond);
			pthread_mutex_unlock(&p->lock);
			scmi_chan_error(p->chan, 0, -EIO);
		}
	}
}

static void vs_irq_event(uv_poll_t *h, int status, int events)
{
	struct vs_priv *p = h->data;
	unsigned int vec = (unsigned int)(h - p->irq_poll);
	uint64_t cnt;
	uint8_t isr = 0;

	(void)events;
	if (status < 0) {
		uv_poll_stop(h);
		return;
	}
	while (read(p->dev.irqs.fds[vec], &cnt, sizeof(cnt)) == (ssize_t)sizeof(cnt))
		;
	if (atomic_load(&p->broken))
		return;
	if (!p->dev.msix) {
		if (vpci_isr_read(&p->dev, &isr))
			return;
		if (isr & 2)
			vs_config_changed(p);
	} else if (vec == 0) {
		vs_config_changed(p);
	}
	/* Queue progress (or a shared / spurious interrupt): scan both. */
	vs_cmdq_drain(p);
	vs_evq_drain(p);
}

static void vs_sock_event(uv_poll_t *h, int status, int events)
{
	struct vs_priv *p = h->data;
	int ret;

	(void)events;
	ret = status < 0 ? -ENOTCONN : vfu_client_process(p->vfu);
	if (ret < 0) {
		uv_poll_stop(h);
		vs_broken(p, ret);
	}
}

/* ---- open / close ---------------------------------------------------------- */

static void vs_free(struct vs_priv *p)
{
	vfu_client_close(p->vfu);
	vq_free(&p->cmdq);
	vq_free(&p->evq);
	free(p->slots);
	free(p->ebufs);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
}

static const char *const vs_params[] = {"irq", "queue_size", "max_msg_size", "timeout_ms", NULL};

static int vs_parse(struct vs_priv *p, const struct scmi_uri *uri, struct scmi_transport_info *info)
{
	const char *irq;
	uint64_t v;
	int ret;

	for (size_t i = 0; i < scmi_uri_num_params(uri); i++) {
		const char *key, *value;
		bool known = false;

		scmi_uri_param_at(uri, i, &key, &value);
		for (size_t k = 0; vs_params[k]; k++)
			known |= !strcmp(key, vs_params[k]);
		if (!known) {
			scmi_chan_log(p->chan, SCMI_LOG_ERR,
				      "unknown parameter '%s' for virtio-vfio-user://", key);
			return -EINVAL;
		}
	}
	if (scmi_uri_path(uri)[0] != '/') {
		scmi_chan_log(p->chan, SCMI_LOG_ERR,
			      "virtio-vfio-user:// needs the absolute path of the server's socket "
			      "(virtio-vfio-user:///path/to/socket), got '%s'",
			      scmi_uri_path(uri));
		return -EINVAL;
	}
	irq = scmi_uri_param(uri, "irq");
	if (!irq || !strcmp(irq, "auto"))
		p->irq_mode = VPCI_IRQ_AUTO;
	else if (!strcmp(irq, "msix"))
		p->irq_mode = VPCI_IRQ_MSIX;
	else if (!strcmp(irq, "intx"))
		p->irq_mode = VPCI_IRQ_INTX;
	else {
		scmi_chan_log(p->chan, SCMI_LOG_ERR,
			      "virtio-vfio-user: irq=%s: expected auto, msix or intx", irq);
		return -EINVAL;
	}
	if ((ret = scmi_uri_param_u64(uri, "queue_size", 2, VQ_MAX_SIZE, &v)) < 0)
		goto bad;
	if (ret && (v & (v - 1))) {
		scmi_chan_log(p->chan, SCMI_LOG_ERR,
			      "virtio-vfio-user: queue_size=%llu is not a power of 2",
			      (unsigned long long)v);
		return -EINVAL;
	}
	p->queue_size = ret ? (unsigned int)v : 0;
	if ((ret = scmi_uri_param_u64(uri, "max_msg_size", VS_MIN_MSG_SIZE, VS_MAX_MSG_SIZE, &v)) <
	    0)
		goto bad;
	p->msg_size = ret ? (size_t)v : VS_DEFAULT_MSG_SIZE;
	if ((ret = scmi_uri_param_u64(uri, "timeout_ms", 1, 3600000, &v)) < 0)
		goto bad;
	info->timeout_ms = ret ? (unsigned int)v : VS_DEFAULT_TIMEOUT_MS;
	return 0;
bad:
	scmi_chan_log(p->chan, SCMI_LOG_ERR,
		      "virtio-vfio-user: malformed or out-of-range parameter");
	return -EINVAL;
}

static uint16_t vs_pow2_floor(unsigned int v)
{
	unsigned int r = 1;

	while (r * 2 <= v)
		r *= 2;
	return (uint16_t)r;
}

static size_t vs_round(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

/* Queue sizes, the DMA window and its layout. */
static int vs_setup_memory(struct vs_priv *p, uint16_t cmax, uint16_t emax, uint8_t **win)
{
	unsigned int limit = p->queue_size ? p->queue_size : VS_MAX_QUEUE;
	uint16_t csize = vs_pow2_floor(cmax < limit ? cmax : limit), esize = 0;
	size_t slot_bytes, rings, off;
	int ret;

	if (csize < 2) {
		scmi_chan_log(p->chan, SCMI_LOG_ERR,
			      "virtio-vfio-user: cmdq of %u entries: at least 2 are needed", cmax);
		return -ENODEV;
	}
	if (csize > VS_MAX_QUEUE)
		csize = VS_MAX_QUEUE;
	if (p->has_evq) {
		if (!emax) {
			scmi_chan_log(p->chan, SCMI_LOG_ERR,
				      "virtio-vfio-user: P2A_CHANNELS negotiated but no eventq");
			return -ENODEV;
		}
		esize = vs_pow2_floor(emax < limit ? emax : limit);
		if (esize > VS_MAX_EVENT_BUFS)
			esize = VS_MAX_EVENT_BUFS;
	}
	p->tx_size = (uint32_t)(4 + p->msg_size);
	p->rx_size = (uint32_t)(8 + p->msg_size);
	p->nslots = csize / 2u;
	p->nebufs = esize;
	slot_bytes = vs_round(p->tx_size, 16) + vs_round(p->rx_size, 16);
	rings = vq_ring_bytes(csize) + (esize ? vq_ring_bytes(esize) : 0);
	p->win_size = vs_round(rings + slot_bytes * p->nslots + vs_round(p->rx_size, 16) * esize,
			       VFU_DMA_PAGE);
	ret = vfu_dma_map(p->vfu, VS_IOVA_BASE, p->win_size, VFU_DMA_F_READ | VFU_DMA_F_WRITE,
			  (void **)win);
	if (ret) {
		scmi_chan_log(p->chan, SCMI_LOG_ERR, "virtio-vfio-user: DMA_MAP: %s",
			      strerror(-ret));
		return ret;
	}
	if ((ret = vq_init(&p->cmdq, VS_CMDQ, csize, *win, VS_IOVA_BASE)))
		return ret;
	off = vq_ring_bytes(csize);
	if (esize) {
		if ((ret = vq_init(&p->evq, VS_EVENTQ, esize, *win + off, VS_IOVA_BASE + off)))
			return ret;
		off += vq_ring_bytes(esize);
	}
	p->slots = calloc(p->nslots, sizeof(*p->slots));
	p->ebufs = calloc(esize ? esize : 1, sizeof(*p->ebufs));
	if (!p->slots || !p->ebufs)
		return -ENOMEM;
	for (unsigned int i = p->nslots; i-- > 0;) {
		struct vs_slot *s = &p->slots[i];
		size_t o = off + i * slot_bytes;

		s->tx = *win + o;
		s->tx_iova = VS_IOVA_BASE + o;
		s->rx = s->tx + vs_round(p->tx_size, 16);
		s->rx_iova = s->tx_iova + vs_round(p->tx_size, 16);
		s->next_free = p->free_slots;
		p->free_slots = s;
	}
	off += slot_bytes * p->nslots;
	for (unsigned int i = 0; i < esize; i++) {
		p->ebufs[i].buf = *win + off + i * vs_round(p->rx_size, 16);
		p->ebufs[i].iova = VS_IOVA_BASE + off + i * vs_round(p->rx_size, 16);
	}
	return 0;
}

static int vs_init_device(struct vs_priv *p, struct scmi_transport_info *info)
{
	struct vfu_device_info di;
	uint16_t cmax = 0, emax = 0;
	uint8_t *win = NULL;
	int ret;

	if ((ret = vfu_device_get_info(p->vfu, &di)))
		return ret;
	p->di = di;
	p->have_di = true;
	if (!(di.flags & VFU_DEV_F_PCI) || di.num_regions <= VFU_PCI_CONFIG_REGION) {
		scmi_chan_log(p->chan, SCMI_LOG_ERR,
			      "virtio-vfio-user: not a PCI device (flags 0x%x, %u regions)",
			      di.flags, di.num_regions);
		return -ENODEV;
	}
	if ((ret = vpci_probe(&p->dev, VIRTIO_ID_SCMI)))
		return ret;
	/* From here on a failure sets FAILED. */
	if ((ret = vpci_negotiate(&p->dev, 1ull << VIRTIO_SCMI_F_P2A_CHANNELS)))
		goto failed;
	p->has_evq = p->dev.drv_features & (1ull << VIRTIO_SCMI_F_P2A_CHANNELS);
	if (p->dev.num_queues < (p->has_evq ? 2 : 1)) {
		scmi_chan_log(p->chan, SCMI_LOG_ERR, "virtio-vfio-user: the device has %u queues",
			      p->dev.num_queues);
		ret = -ENODEV;
		goto failed;
	}
	if ((ret = vpci_setup_irqs(&p->dev, p->has_evq ? 2 : 1, p->irq_mode)) ||
	    (ret = vpci_queue_max(&p->dev, VS_CMDQ, &cmax)) ||
	    (p->has_evq && (ret = vpci_queue_max(&p->dev, VS_EVENTQ, &emax))) ||
	    (p->cmax = cmax, p->emax = emax, (ret = vs_setup_memory(p, cmax, emax, &win))) ||
	    (ret = vpci_queue_setup(&p->dev, &p->cmdq, &p->cmdq_noff)) ||
	    (p->has_evq && (ret = vpci_queue_setup(&p->dev, &p->evq, &p->evq_noff))))
		goto failed;
	for (unsigned int i = 0; i < p->nebufs; i++)
		if ((ret = vs_evq_post(p, &p->ebufs[i])))
			goto failed;
	if (p->has_evq)
		vq_publish(&p->evq);
	if ((ret = vpci_driver_ok(&p->dev)))
		goto failed;
	/* No doorbell before DRIVER_OK: the eventq's is rung now. */
	if (p->has_evq && (ret = vpci_notify(&p->dev, VS_EVENTQ, p->evq_noff)))
		goto failed;
	info->max_msg = p->nslots < SCMI_MAX_TOKENS ? p->nslots : SCMI_MAX_TOKENS;
	info->max_msg_size = p->msg_size;
	info->caps = p->has_evq ? SCMI_TRANSPORT_P2A : 0;
	scmi_chan_log(p->chan, SCMI_LOG_INFO,
		      "virtio-vfio-user: features 0x%llx, cmdq %u, eventq %u, %s, max_msg %u",
		      (unsigned long long)p->dev.drv_features, p->cmdq.size,
		      p->has_evq ? p->evq.size : 0, p->dev.msix ? "MSI-X" : "INTx", info->max_msg);
	return 0;
failed:
	vpci_fail(&p->dev);
	return ret;
}

static int vs_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		   struct scmi_transport_info *info, void **priv)
{
	struct vfu_client_config cfg = {0};
	pthread_condattr_t ca;
	struct vs_priv *p;
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->chan = chan;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	if ((ret = vs_parse(p, uri, info)))
		goto fail;
	cfg.log = vs_log_fwd;
	cfg.log_priv = p;
	cfg.log_level = SCMI_LOG_INFO;
	cfg.timeout_ms = info->timeout_ms;
	cfg.disconnected = vs_disconnected;
	cfg.disconnected_priv = p;
	ret = vfu_client_connect(scmi_uri_path(uri), &cfg, &p->vfu);
	if (ret) {
		scmi_chan_log(chan, SCMI_LOG_ERR, "virtio-vfio-user: cannot connect to %s: %s",
			      scmi_uri_path(uri), strerror(-ret));
		p->vfu = NULL;
		goto fail;
	}
	snprintf(p->path, sizeof(p->path), "%s", scmi_uri_path(uri));
	p->dev.vfu = p->vfu;
	p->dev.log = vs_log_fwd;
	p->dev.log_priv = p;
	if ((ret = vs_init_device(p, info))) {
		if (!scmi_chan_probing(chan))
			goto fail;
		/* Probe only: keep what was found for describe(). */
		p->probe_err = ret;
	}
	*priv = p;
	return 0;
fail:
	vs_free(p);
	return ret;
}

static int vs_start(void *priv)
{
	struct vs_priv *p = priv;
	uv_loop_t *loop = scmi_chan_loop(p->chan);

	for (unsigned int i = 0; i < p->dev.irqs.count && i < 3; i++) {
		if (uv_poll_init(loop, &p->irq_poll[i], p->dev.irqs.fds[i]))
			return -ENOMEM;
		p->irq_poll[i].data = p;
		p->nirq_polls++;
		if (uv_poll_start(&p->irq_poll[i], UV_READABLE, vs_irq_event))
			return -ENOMEM;
	}
	if (uv_poll_init(loop, &p->sock_poll, vfu_client_fd(p->vfu)))
		return -ENOMEM;
	p->sock_poll.data = p;
	p->sock_poll_init = true;
	if (uv_poll_start(&p->sock_poll, UV_READABLE | UV_DISCONNECT, vs_sock_event))
		return -ENOMEM;
	atomic_store(&p->started, true);
	if (atomic_load(&p->broken)) {
		scmi_chan_error(p->chan, 0, -ENOTCONN);
		return 0;
	}
	/* Whatever the device used before we watched. */
	vs_cmdq_drain(p);
	vs_evq_drain(p);
	return 0;
}

static void vs_close(void *priv)
{
	struct vs_priv *p = priv;

	atomic_store(&p->closing, true);
	for (unsigned int i = 0; i < p->nirq_polls; i++) {
		uv_poll_stop(&p->irq_poll[i]);
		uv_close((uv_handle_t *)&p->irq_poll[i], NULL);
	}
	p->nirq_polls = 0;
	if (p->sock_poll_init) {
		uv_poll_stop(&p->sock_poll);
		uv_close((uv_handle_t *)&p->sock_poll, NULL);
		p->sock_poll_init = false;
	}
	/* The device lets go of our memory before it is unmapped (a device
	 * kept by a probe-only open may have no virtio registers at all). */
	if (!atomic_load(&p->broken) && p->dev.common.present)
		(void)vpci_reset(&p->dev);
}

static void vs_release(void *priv)
{
	vs_free(priv);
}

/* ---- describe() ---------------------------------------------------- */

static const char *vs_feature_name(unsigned int bit)
{
	switch (bit) {
	case VIRTIO_SCMI_F_P2A_CHANNELS:
		return "P2A_CHANNELS";
	case 1:
		return "SHARED_MEMORY";
	case 28:
		return "INDIRECT_DESC";
	case 29:
		return "EVENT_IDX";
	case VIRTIO_F_VERSION_1:
		return "VERSION_1";
	case VIRTIO_F_ACCESS_PLATFORM:
		return "ACCESS_PLATFORM";
	case 34:
		return "RING_PACKED";
	case 35:
		return "IN_ORDER";
	case 36:
		return "ORDER_PLATFORM";
	case 37:
		return "SR_IOV";
	case 38:
		return "NOTIFICATION_DATA";
	default:
		return NULL;
	}
}

/* "VERSION_1 P2A_CHANNELS bit40" (or "none") for feature bits @f. */
static void vs_features_text(uint64_t f, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name = vs_feature_name(bit);

		if (!(f & (1ull << bit)))
			continue;
		if (name)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "",
						name);
		else
			len += (size_t)snprintf(buf + len, size - len, "%sbit%u", len ? " " : "",
						bit);
		if (len >= size)
			break;
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static const char *vs_region_name(uint32_t i, char buf[24])
{
	if (i < VFU_PCI_ROM_REGION)
		snprintf(buf, 24, "BAR%u", i);
	else if (i == VFU_PCI_ROM_REGION)
		snprintf(buf, 24, "ROM");
	else if (i == VFU_PCI_CONFIG_REGION)
		snprintf(buf, 24, "config");
	else if (i == 8)
		snprintf(buf, 24, "VGA");
	else
		snprintf(buf, 24, "region%u", i);
	return buf;
}

static const char *vs_irq_name(uint32_t i)
{
	static const char *const names[] = {"INTx", "MSI", "MSI-X", "ERR", "REQ"};

	return i < sizeof(names) / sizeof(names[0]) ? names[i] : "other";
}

static void vs_describe_pci(struct vs_priv *p, scmi_describe_fn emit, void *arg)
{
	uint8_t cfg[0x30];
	uint16_t sv, sd;

	scmi_describef(emit, arg, "pci", "vendor", "0x%04x", p->dev.vendor);
	scmi_describef(emit, arg, "pci", "device", "0x%04x", p->dev.device);
	if (!vfu_region_read(p->vfu, VFU_PCI_CONFIG_REGION, 0, cfg, sizeof(cfg))) {
		sv = (uint16_t)(cfg[0x2c] | cfg[0x2d] << 8);
		sd = (uint16_t)(cfg[0x2e] | cfg[0x2f] << 8);
		scmi_describef(emit, arg, "pci", "subsystem_vendor", "0x%04x", sv);
		scmi_describef(emit, arg, "pci", "subsystem_device", "0x%04x", sd);
		scmi_describef(emit, arg, "pci", "class", "0x%02x%02x%02x", cfg[0x0b], cfg[0x0a],
			       cfg[0x09]);
		scmi_describef(emit, arg, "pci", "revision", "0x%02x", cfg[0x08]);
	}
}

static void vs_describe_regions(struct vs_priv *p, scmi_describe_fn emit, void *arg)
{
	struct vfu_region *r = malloc(sizeof(*r));
	char sec[32], name[24];

	if (!r)
		return;
	for (uint32_t i = 0; i < p->di.num_regions; i++) {
		/* A region the driver never asked about is asked now; one it
		 * uses is not asked again (that would replace its mapping). */
		if (vfu_region_peek(p->vfu, i, r) &&
		    (vfu_region_get_info(p->vfu, i, NULL) || vfu_region_peek(p->vfu, i, r)))
			continue;
		if (!r->size)
			continue;
		snprintf(sec, sizeof(sec), "region %u", i);
		emit(arg, sec, "name", vs_region_name(i, name));
		scmi_describef(emit, arg, sec, "size", "%llu", (unsigned long long)r->size);
		scmi_describef(
			emit, arg, sec, "flags", "%s%s%s%s",
			r->flags & VFU_REGION_F_READ ? "read" : "",
			r->flags & VFU_REGION_F_WRITE ? " write" : "",
			r->flags & VFU_REGION_F_MMAP ? " mmap" : "",
			r->flags & (VFU_REGION_F_READ | VFU_REGION_F_WRITE | VFU_REGION_F_MMAP)
				? ""
				: "none");
		scmi_describef(emit, arg, sec, "mmap_areas", "%u", r->nr_areas);
		scmi_describef(emit, arg, sec, "mapped", "%u", r->nr_mapped);
	}
	free(r);
}

static void vs_describe_irqs(struct vs_priv *p, scmi_describe_fn emit, void *arg)
{
	struct vfu_irq_info ii;
	char sec[32];

	for (uint32_t i = 0; i < p->di.num_irqs; i++) {
		if (vfu_irq_get_info(p->vfu, i, &ii) || !ii.count)
			continue;
		snprintf(sec, sizeof(sec), "irq %s", vs_irq_name(i));
		scmi_describef(emit, arg, sec, "count", "%u", ii.count);
		scmi_describef(emit, arg, sec, "flags", "%s%s%s%s%s",
			       ii.flags & VFU_IRQ_F_EVENTFD ? "eventfd" : "",
			       ii.flags & VFU_IRQ_F_MASKABLE ? " maskable" : "",
			       ii.flags & VFU_IRQ_F_AUTOMASKED ? " automasked" : "",
			       ii.flags & VFU_IRQ_F_NORESIZE ? " noresize" : "",
			       ii.flags ? "" : "none");
		if (p->dev.irqs.count && p->dev.irqs.index == i)
			scmi_describef(emit, arg, sec, "in_use", "%u", p->dev.irqs.count);
	}
}

static int vs_describe(void *priv, scmi_describe_fn emit, void *arg)
{
	struct vs_priv *p = priv;
	const struct vfu_server_caps *caps = vfu_client_server_caps(p->vfu);
	char buf[256];

	emit(arg, "vfio-user", "socket", p->path);
	scmi_describef(emit, arg, "vfio-user", "version", "%u.%u", caps->major, caps->minor);
	scmi_describef(emit, arg, "vfio-user", "max_data_xfer_size", "%llu",
		       (unsigned long long)caps->max_data_xfer_size);
	scmi_describef(emit, arg, "vfio-user", "max_msg_fds", "%u", caps->max_msg_fds);
	if (p->have_di) {
		scmi_describef(emit, arg, "vfio-user", "device_flags", "%s%s",
			       p->di.flags & VFU_DEV_F_PCI ? "pci" : "",
			       p->di.flags & VFU_DEV_F_RESET ? " reset" : "");
		scmi_describef(emit, arg, "vfio-user", "regions", "%u", p->di.num_regions);
		scmi_describef(emit, arg, "vfio-user", "irq_types", "%u", p->di.num_irqs);
	}
	if (p->have_di && p->dev.vendor) {
		vs_describe_pci(p, emit, arg);
		vs_describe_regions(p, emit, arg);
		vs_describe_irqs(p, emit, arg);
	}
	if (p->dev.dev_features) {
		vs_features_text(p->dev.dev_features, buf, sizeof(buf));
		emit(arg, "virtio", "device_features", buf);
		vs_features_text(p->dev.drv_features, buf, sizeof(buf));
		emit(arg, "virtio", "negotiated_features", buf);
		scmi_describef(emit, arg, "virtio", "num_queues", "%u", p->dev.num_queues);
		if (p->dev.irqs.count)
			emit(arg, "virtio", "interrupts", p->dev.msix ? "MSI-X" : "INTx");
	}
	if (p->cmax) {
		scmi_describef(emit, arg, "queue 0", "name", "cmdq");
		scmi_describef(emit, arg, "queue 0", "max_size", "%u", p->cmax);
		if (p->cmdq.size)
			scmi_describef(emit, arg, "queue 0", "size", "%u", p->cmdq.size);
		if (p->nslots)
			scmi_describef(emit, arg, "queue 0", "slots", "%u", p->nslots);
	}
	if (p->emax) {
		scmi_describef(emit, arg, "queue 1", "name", "eventq");
		scmi_describef(emit, arg, "queue 1", "max_size", "%u", p->emax);
		if (p->evq.size)
			scmi_describef(emit, arg, "queue 1", "size", "%u", p->evq.size);
		if (p->nebufs)
			scmi_describef(emit, arg, "queue 1", "buffers", "%u", p->nebufs);
	}
	if (!p->probe_err)
		return 0;
	if (p->dev.vendor && (p->dev.vendor != VIRTIO_PCI_VENDOR ||
			      p->dev.device != VIRTIO_PCI_DEVICE_BASE + VIRTIO_ID_SCMI))
		scmi_chan_log(p->chan, SCMI_LOG_ERR,
			      "virtio-vfio-user: PCI device %04x:%04x is not virtio-scmi "
			      "(%04x:%04x)",
			      p->dev.vendor, p->dev.device, VIRTIO_PCI_VENDOR,
			      VIRTIO_PCI_DEVICE_BASE + VIRTIO_ID_SCMI);
	else if (p->dev.vendor)
		scmi_chan_log(p->chan, SCMI_LOG_ERR,
			      "virtio-vfio-user: cannot drive PCI device %04x:%04x: %s",
			      p->dev.vendor, p->dev.device, strerror(-p->probe_err));
	else
		scmi_chan_log(p->chan, SCMI_LOG_ERR, "virtio-vfio-user: not a usable device: %s",
			      strerror(-p->probe_err));
	return p->probe_err;
}

static const struct scmi_transport_ops vs_ops = {
	.open = vs_open,
	.start = vs_start,
	.close = vs_close,
	.release = vs_release,
	.send_message = vs_send,
	.mark_txdone = vs_mark_txdone,
	.fetch_response = vs_fetch_response,
	.fetch_notification = vs_fetch_notification,
	.describe = vs_describe,
};

const struct scmi_transport_desc scmi_virtio_vfio_user_transport = {
	.scheme = "virtio-vfio-user",
	.ops = &vs_ops,
	.defaults =
		{
			.max_msg = 64,
			.max_msg_size = VS_DEFAULT_MSG_SIZE,
			.timeout_ms = VS_DEFAULT_TIMEOUT_MS,
			.caps = SCMI_TRANSPORT_P2A,
		},
};

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --vfio-user SOCKET: a vfio-user server presenting a virtio-scmi
 * PCI function, the platform side of the agent's virtio-vfio-user://
 * transport.  Written for the simulator from the protocol descriptions;
 * nothing here is shared with the agent's client code.
 *
 * The socket: a unix stream socket bound at SOCKET (absolute in the URI,
 * virtio-vfio-user:///abs/path), non-blocking, looked at in poll() and
 * watched by the main loop while it sleeps (fds(): the listening socket
 * while nobody is connected, then the client's), so that a message is
 * served as soon as it arrives.  One
 * client at a time: while one is connected, the next waits in the listen
 * backlog (its VERSION gets no answer until the first goes).  Messages are
 * assembled from non-blocking reads (descriptors from SCM_RIGHTS on any
 * part of the message are kept with it) and executed in arrival order; a
 * reply goes out on the same socket (waiting for room at most a second).
 * The server never sends commands: DMA goes through the windows the client
 * passes with DMA_MAP (an fd each, mapped here); a DMA_MAP without an fd is
 * refused with ENOTSUP, one whose fd is not a regular file (memfd, shm,
 * hugetlbfs) at least offset + size long with EINVAL.  (A client that
 * shrinks the file afterwards can still make the server fault on the lost
 * pages, unless it sealed it with F_SEAL_SHRINK, as our client does.)
 *
 * The device (DEVICE_GET_INFO: PCI | RESET, 9 regions, 5 IRQ types):
 *   region 7, config space (256 bytes): vendor 0x1AF4, device 0x1060,
 *     revision 1, subsystem 0x1AF4/0x0040, status bit 4 (capabilities),
 *     interrupt pin 1; capabilities from 0x40:
 *       0x40 MSI-X, 3 vectors, table BAR1 @0, PBA BAR1 @0x800 (not with
 *            --no-msix: the chain then starts at 0x50)
 *       0x50 virtio COMMON  BAR0 @0x0000 len 0x1000
 *       0x60 virtio ISR     BAR0 @0x1000 len 0x1000
 *       0x70 virtio NOTIFY  BAR0 @0x3000 len 0x1000, multiplier 4 (queue q's
 *            doorbell at 0x3000 + 4q; queue_notify_off = q)
 *       0x84 virtio PCI_CFG (a working window into the BARs)
 *     writable: command, BAR0/BAR1 (sizing), interrupt line, MSI-X
 *     message control (enable, function mask), the PCI_CFG window.
 *   region 0, BAR0 (0x4000): the structures above; region 1, BAR1
 *     (0x1000, absent with --no-msix): MSI-X table storage and PBA (reads 0).
 *   Every region is reached by REGION_READ / REGION_WRITE (no mmap).
 *   IRQs: INTx 1, MSI 0, MSI-X 3 (0 with --no-msix), ERR 0, REQ 0; eventfds
 *   attached by SET_IRQS.  With MSI-X enabled in config space, a queue's
 *   interrupt writes the eventfd of its queue_msix_vector (none for
 *   0xFFFF); else ISR bit 0 is set and the INTx eventfd written (ISR reads
 *   clear it).
 *
 * virtio (1.x, split rings): features offered VERSION_1 and, unless
 * --no-p2a, VIRTIO_SCMI_F_P2A_CHANNELS (then two queues: 0 cmdq, 1 eventq;
 * else one).  FEATURES_OK stays clear unless the accepted set is a subset
 * of the offer with VERSION_1.  Queues of up to 256 entries; queue_enable
 * checks alignment and that the three parts lie in DMA windows.  Nothing is
 * processed before DRIVER_OK.
 *   cmdq: on its doorbell every new chain is walked (bounded, readable
 *   descriptors before writable ones, every address in a window with the
 *   right access); the readable bytes are the request, handed to the
 *   simulator; its response (at once or later, fault knobs permitting) is
 *   written into the writable descriptors and the chain returned with the
 *   length written.  A response that does not fit: header + COMMS_ERROR if
 *   8 bytes fit, else length 0.  A malformed chain comes back with length 0.
 *   A second response to one request (dup) is dropped and counted.
 *   eventq: notifications and delayed responses go into the buffers the
 *   driver posted (writable descriptors only), one message per buffer;
 *   without a free buffer they wait in a FIFO of --queue entries: beyond
 *   it notifications are dropped and counted, delayed responses are kept.
 *   A buffer too small for a message comes back with length 0 (the message
 *   waits for the next buffer if it is a delayed response, is dropped if a
 *   notification).  Pending P2A messages are looked at in every poll, so a
 *   buffer posted without a doorbell is used too.
 *
 * DEVICE_RESET: a virtio reset (status, features, queues, pending P2A
 * messages, requests in flight forgotten), MSI-X disabled, command register
 * 0; DMA windows and eventfds stay.  Writing 0 to device_status is the same
 * virtio reset.  Disconnect: windows unmapped, eventfds closed, the reset
 * above; then the next client is accepted.  close(): the socket file is
 * removed.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "areas.h"

/* ---- vfio-user protocol numbers ------------------------------------------- */

enum {
	VU_VERSION = 1,
	VU_DMA_MAP = 2,
	VU_DMA_UNMAP = 3,
	VU_GET_INFO = 4,
	VU_GET_REGION_INFO = 5,
	VU_GET_REGION_IO_FDS = 6,
	VU_GET_IRQ_INFO = 7,
	VU_SET_IRQS = 8,
	VU_REGION_READ = 9,
	VU_REGION_WRITE = 10,
	VU_DEVICE_RESET = 13,
};

#define VU_HDR		 16u
#define VU_TYPE_MASK	 0xfu
#define VU_TYPE_REPLY	 0x1u
#define VU_NO_REPLY	 0x10u
#define VU_ERROR	 0x20u
#define VU_MAX_XFER	 (1u << 20)
#define VU_MAX_MSG	 (VU_MAX_XFER + 64u)
#define VU_MAX_FDS	 8u /* what we advertise and take per message */
#define VU_MAX_WINDOWS	 16u
#define VU_PAGE		 4096u
#define VU_MSGS_PER_POLL 256

#define VU_NUM_REGIONS 9u
#define VU_NUM_IRQS    5u
#define VU_REGION_CFG  7u
#define VU_IRQ_INTX    0u
#define VU_IRQ_MSIX    2u

/* SET_IRQS flags */
#define VU_IRQ_DATA_NONE    0x01u
#define VU_IRQ_DATA_BOOL    0x02u
#define VU_IRQ_DATA_EVENTFD 0x04u
#define VU_IRQ_ACT_MASK	    0x08u
#define VU_IRQ_ACT_UNMASK   0x10u
#define VU_IRQ_ACT_TRIGGER  0x20u

/* ---- the PCI function --------------------------------------------------------- */

#define VU_CFG_SIZE    256u
#define VU_BAR0_SIZE   0x4000u
#define VU_BAR1_SIZE   0x1000u
#define VU_COMMON      0x0000u
#define VU_ISR	       0x1000u
#define VU_NOTIFY      0x3000u
#define VU_STRUCT_LEN  0x1000u
#define VU_NOTIFY_MUL  4u
#define VU_PBA	       0x800u
#define VU_NVEC	       3u
#define VU_CAP_MSIX    0x40u
#define VU_CAP_COMMON  0x50u
#define VU_CAP_ISR     0x60u
#define VU_CAP_NOTIFY  0x70u
#define VU_CAP_PCICFG  0x84u
#define VU_MSIX_ENABLE 0x8000u
#define VU_MSIX_MASK   0x4000u
#define VU_NO_VECTOR   0xffffu

/* virtio */
#define VU_S_ACK	    1u
#define VU_S_DRIVER_OK	    4u
#define VU_S_FEATURES_OK    8u
#define VU_S_NEEDS_RESET    64u
#define VU_F_P2A	    (1ull << 0)
#define VU_F_VERSION_1	    (1ull << 32)
#define VU_QUEUE_MAX	    256u
#define VU_D_NEXT	    1u
#define VU_D_WRITE	    2u
#define VU_MAX_SEGS	    8u
#define VU_MAX_REQ	    8192u
#define VU_MAX_HELD	    4096u /* delayed responses held at most */
#define VU_SCMI_COMMS_ERROR ((uint32_t)-7)

struct vu_window {
	uint64_t iova, size;
	uint8_t *host;
	uint32_t flags; /* 1 READ, 2 WRITE */
};

struct vu_seg {
	uint64_t addr;
	uint32_t len;
};

/* A cmdq chain with the simulator. */
struct vu_inflight {
	bool busy;
	uint64_t seq;
	unsigned int n_segs;
	struct vu_seg segs[VU_MAX_SEGS];
};

struct vu_queue {
	uint16_t size, vector, enable;
	uint64_t desc, driver, device;
	uint16_t last_avail, used_idx;
};

struct vu_p2a {
	struct vu_p2a *next;
	bool dresp;
	size_t len;
	uint8_t data[];
};

struct vu {
	struct srv *srv;
	char *path;
	bool p2a, msix; /* offered */
	unsigned int queue_limit;
	size_t msg_max; /* the simulator's largest message payload (--size - 32) */
	int listen_fd, fd;

	/* The message being received. */
	uint8_t hdr[VU_HDR];
	size_t hdr_got;
	uint8_t *body;
	size_t body_len, body_got;
	int fds[VU_MAX_FDS];
	unsigned int n_fds;
	bool bad_fds; /* more than we take, or cut */
	bool drop;    /* the connection is to go */

	bool versioned;
	uint64_t peer_max_xfer;

	struct vu_window win[VU_MAX_WINDOWS];
	unsigned int n_win;
	int intx_fd, msix_fd[VU_NVEC];

	/* PCI */
	uint8_t cfg[VU_CFG_SIZE];
	uint8_t wmask[VU_CFG_SIZE];
	uint8_t msix_table[VU_NVEC * 16];

	/* virtio */
	uint32_t dfsel, gfsel;
	uint64_t features; /* accepted */
	uint16_t config_vector, qsel;
	uint8_t status, isr;
	struct vu_queue q[2];
	struct vu_inflight inflight[VU_QUEUE_MAX];
	uint64_t seq, reset_seq;
	struct vu_p2a *p2a_head, **p2a_tail;
	unsigned int n_p2a, n_p2a_notif;
	uint8_t req[VU_MAX_REQ];

	uint64_t clients, resets, doorbells, cmd_requests, cmd_responses, cmd_bad, cmd_late,
		truncated, ev_sent, ev_bad, ev_small, p2a_dropped, p2a_no_eventq, irqs, irqs_lost,
		proto_errors;
};

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void vu_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* ---- DMA windows -------------------------------------------------------------- */

/* Host pointer to [@iova, @iova + @len) with @need (1 read, 2 write)
 * rights, or NULL. */
static uint8_t *vu_dma(struct vu *v, uint64_t iova, uint64_t len, uint32_t need)
{
	for (unsigned int i = 0; i < v->n_win; i++) {
		struct vu_window *w = &v->win[i];

		if (iova < w->iova || iova - w->iova > w->size || len > w->size - (iova - w->iova))
			continue;
		if ((w->flags & need) != need)
			return NULL;
		return w->host + (iova - w->iova);
	}
	return NULL;
}

static void vu_unmap_all(struct vu *v)
{
	while (v->n_win) {
		struct vu_window *w = &v->win[--v->n_win];

		munmap(w->host, w->size);
	}
}

/* ---- interrupts ------------------------------------------------------------------ */

static bool vu_msix_on(struct vu *v)
{
	return v->msix && (le16(v->cfg + VU_CAP_MSIX + 2) & VU_MSIX_ENABLE);
}

static void vu_signal(struct vu *v, int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) == (ssize_t)sizeof(one)) {
		v->irqs++;
		return;
	}
	v->irqs_lost++;
}

/* The interrupt of queue @qi (or of a configuration change: @qi < 0). */
static void vu_interrupt(struct vu *v, int qi)
{
	if (vu_msix_on(v)) {
		uint16_t vec = qi < 0 ? v->config_vector : v->q[qi].vector;

		if (vec == VU_NO_VECTOR || (le16(v->cfg + VU_CAP_MSIX + 2) & VU_MSIX_MASK)) {
			v->irqs_lost++;
			return;
		}
		vu_signal(v, vec < VU_NVEC ? v->msix_fd[vec] : -1);
		return;
	}
	v->isr |= qi < 0 ? 2 : 1;
	if (le16(v->cfg + 4) & 0x400) { /* INTx disabled */
		v->irqs_lost++;
		return;
	}
	vu_signal(v, v->intx_fd);
}

/* ---- virtio: reset, rings ---------------------------------------------------------- */

static void vu_p2a_free(struct vu *v)
{
	while (v->p2a_head) {
		struct vu_p2a *m = v->p2a_head;

		v->p2a_head = m->next;
		free(m);
	}
	v->p2a_tail = &v->p2a_head;
	v->n_p2a = v->n_p2a_notif = 0;
}

static void vu_virtio_reset(struct vu *v)
{
	v->dfsel = v->gfsel = 0;
	v->features = 0;
	v->config_vector = VU_NO_VECTOR;
	v->qsel = 0;
	v->status = 0;
	v->isr = 0;
	for (unsigned int i = 0; i < 2; i++)
		v->q[i] = (struct vu_queue){.size = VU_QUEUE_MAX, .vector = VU_NO_VECTOR};
	memset(v->inflight, 0, sizeof(v->inflight));
	v->reset_seq = v->seq; /* later output of older requests is stale */
	vu_p2a_free(v);
	v->resets++;
}

static unsigned int vu_num_queues(struct vu *v)
{
	return v->p2a ? 2 : 1;
}

/* Queue @qi may be processed. */
static bool vu_live(struct vu *v, unsigned int qi)
{
	return (v->status & VU_S_DRIVER_OK) && !(v->status & VU_S_NEEDS_RESET) &&
	       qi < vu_num_queues(v) && v->q[qi].enable && (qi == 0 || (v->features & VU_F_P2A));
}

struct vu_rings {
	uint8_t *desc, *avail, *used;
	uint16_t size;
};

static bool vu_rings(struct vu *v, unsigned int qi, struct vu_rings *r)
{
	struct vu_queue *q = &v->q[qi];

	r->size = q->size;
	r->desc = vu_dma(v, q->desc, 16ull * q->size, 1);
	r->avail = vu_dma(v, q->driver, 6ull + 2ull * q->size, 1);
	r->used = vu_dma(v, q->device, 6ull + 8ull * q->size, 3);
	if (r->desc && r->avail && r->used)
		return true;
	srv_log(v->srv, SRV_LOG_ERR, "queue %u: its rings are no longer in a DMA window", qi);
	v->status |= VU_S_NEEDS_RESET;
	return false;
}

static uint16_t vu_avail_idx(const struct vu_rings *r)
{
	return le16toh(__atomic_load_n((const uint16_t *)(const void *)(r->avail + 2), __ATOMIC_ACQUIRE));
}

/* Return chain @id with @len bytes written. */
static void vu_used_push(struct vu *v, unsigned int qi, const struct vu_rings *r, uint32_t id,
			 uint32_t len)
{
	struct vu_queue *q = &v->q[qi];
	uint8_t *e = r->used + 4 + 8u * (q->used_idx % r->size);

	put32(e, id);
	put32(e + 4, len);
	q->used_idx++;
	__atomic_store_n((uint16_t *)(void *)(r->used + 2), htole16(q->used_idx), __ATOMIC_RELEASE);
}

/* After used entries: interrupt unless the driver asked for none. */
static void vu_used_notify(struct vu *v, unsigned int qi, const struct vu_rings *r)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(le16toh(__atomic_load_n((const uint16_t *)(const void *)r->avail, __ATOMIC_ACQUIRE)) & 1))
		vu_interrupt(v, (int)qi);
}

/* Walk the chain at @head: readable bytes into @rbuf (@rmax; NULL: none
 * allowed), writable descriptors into @w.  0 or a negative errno. */
static int vu_walk(struct vu *v, const struct vu_rings *r, uint16_t head, uint8_t *rbuf,
		   size_t rmax, size_t *rlen, struct vu_seg *w, unsigned int *nw, uint64_t *wtotal)
{
	bool writing = false;
	uint16_t idx = head;

	*rlen = 0;
	*nw = 0;
	*wtotal = 0;
	for (unsigned int hops = 0;; hops++) {
		const uint8_t *d;
		uint64_t addr;
		uint32_t len;
		uint16_t flags;

		if (idx >= r->size || hops >= r->size)
			return -ELOOP;
		d = r->desc + 16u * idx;
		addr = le64(d);
		len = le32(d + 8);
		flags = le16(d + 12);
		if (flags & ~(VU_D_NEXT | VU_D_WRITE))
			return -EINVAL; /* INDIRECT: not offered */
		if (flags & VU_D_WRITE) {
			writing = true;
			if (*nw == VU_MAX_SEGS || !vu_dma(v, addr, len, 2))
				return -EFAULT;
			w[(*nw)++] = (struct vu_seg){addr, len};
			*wtotal += len;
		} else {
			const uint8_t *p = vu_dma(v, addr, len, 1);

			if (writing || !rbuf)
				return -EINVAL;
			if (!p)
				return -EFAULT;
			if (len > rmax - *rlen)
				return -EMSGSIZE;
			memcpy(rbuf + *rlen, p, len);
			*rlen += len;
		}
		if (!(flags & VU_D_NEXT))
			return 0;
		idx = le16(d + 14);
	}
}

/* Scatter @len bytes into @segs.  false if a window went away. */
static bool vu_scatter(struct vu *v, const struct vu_seg *segs, unsigned int n, const void *msg,
		       size_t len)
{
	const uint8_t *src = msg;

	for (unsigned int i = 0; i < n && len; i++) {
		size_t k = segs[i].len < len ? segs[i].len : len;
		uint8_t *p = vu_dma(v, segs[i].addr, k, 2);

		if (!p)
			return false;
		memcpy(p, src, k);
		src += k;
		len -= k;
	}
	return true;
}

/* cmdq doorbell: every new chain to the simulator. */
static int vu_cmdq(struct vu *v)
{
	struct vu_queue *q = &v->q[0];
	struct vu_rings r;
	uint16_t avail;
	int work = 0;

	if (!vu_live(v, 0) || !vu_rings(v, 0, &r))
		return 0;
	avail = vu_avail_idx(&r);
	if ((uint16_t)(avail - q->last_avail) > r.size) {
		srv_log(v->srv, SRV_LOG_ERR, "cmdq: avail.idx %u is %u ahead of %u entries", avail,
			(uint16_t)(avail - q->last_avail), r.size);
		v->status |= VU_S_NEEDS_RESET;
		vu_interrupt(v, -1);
		return 1;
	}
	while (q->last_avail != avail && vu_live(v, 0)) {
		uint16_t head = le16(r.avail + 4 + 2u * (q->last_avail % r.size));
		struct vu_inflight *f;
		uint64_t wtotal;
		size_t rlen;
		int err;

		q->last_avail++;
		work++;
		if (head >= r.size) {
			v->cmd_bad++;
			srv_log(v->srv, SRV_LOG_ERR, "cmdq: head %u out of %u", head, r.size);
			continue;
		}
		f = &v->inflight[head];
		err = vu_walk(v, &r, head, v->req, sizeof(v->req), &rlen, f->segs, &f->n_segs,
			      &wtotal);
		if (!err && rlen < 4)
			err = -EMSGSIZE;
		if (err) {
			v->cmd_bad++;
			f->busy = false;
			srv_log(v->srv, SRV_LOG_INFO, "cmdq: chain %u refused: %s", head,
				strerror(-err));
			vu_used_push(v, 0, &r, head, 0);
			vu_used_notify(v, 0, &r);
			continue;
		}
		f->busy = true;
		f->seq = ++v->seq;
		v->cmd_requests++;
		srv_request(v->srv, (struct srv_ctx){head, f->seq}, v->req, rlen);
	}
	return work;
}

/* A response of the simulator for the chain of @ctx. */
static void vu_respond(struct vu *v, struct srv_ctx ctx, const uint8_t *msg, size_t len)
{
	struct vu_inflight *f;
	struct vu_rings r;
	uint64_t room = 0;
	uint32_t done = 0;

	if (ctx.chan < 0 || ctx.chan >= (int)VU_QUEUE_MAX || !v->inflight[ctx.chan].busy ||
	    v->inflight[ctx.chan].seq != ctx.seq || !vu_live(v, 0)) {
		v->cmd_late++;
		srv_log(v->srv, SRV_LOG_DEBUG, "response 0x%08x dropped: no chain waits for it",
			le32(msg));
		return;
	}
	f = &v->inflight[ctx.chan];
	f->busy = false;
	if (!vu_rings(v, 0, &r))
		return;
	for (unsigned int i = 0; i < f->n_segs; i++)
		room += f->segs[i].len;
	if (len <= room) {
		if (vu_scatter(v, f->segs, f->n_segs, msg, len))
			done = (uint32_t)len;
	} else if (room >= 8) {
		uint8_t err[8];

		memcpy(err, msg, 4);
		put32(err + 4, VU_SCMI_COMMS_ERROR);
		if (vu_scatter(v, f->segs, f->n_segs, err, sizeof(err)))
			done = sizeof(err);
		v->truncated++;
	} else {
		v->truncated++;
	}
	v->cmd_responses++;
	vu_used_push(v, 0, &r, (uint32_t)ctx.chan, done);
	vu_used_notify(v, 0, &r);
}

/* Held P2A messages into the buffers the driver posted. */
static int vu_eventq(struct vu *v)
{
	struct vu_queue *q = &v->q[1];
	struct vu_rings r;
	bool pushed = false;
	uint16_t avail;
	int work = 0;

	if (!v->p2a_head || !vu_live(v, 1) || !vu_rings(v, 1, &r))
		return 0;
	avail = vu_avail_idx(&r);
	if ((uint16_t)(avail - q->last_avail) > r.size) {
		srv_log(v->srv, SRV_LOG_ERR, "eventq: avail.idx %u is %u ahead of %u entries",
			avail, (uint16_t)(avail - q->last_avail), r.size);
		v->status |= VU_S_NEEDS_RESET;
		vu_interrupt(v, -1);
		return 1;
	}
	while (v->p2a_head && q->last_avail != avail) {
		uint16_t head = le16(r.avail + 4 + 2u * (q->last_avail % r.size));
		struct vu_p2a *m = v->p2a_head;
		struct vu_seg segs[VU_MAX_SEGS];
		unsigned int n;
		uint64_t room;
		size_t rlen;
		uint32_t done = 0;

		q->last_avail++;
		work++;
		if (head >= r.size) {
			v->ev_bad++;
			continue;
		}
		if (vu_walk(v, &r, head, NULL, 0, &rlen, segs, &n, &room)) {
			v->ev_bad++;
		} else if (room < m->len) {
			v->ev_small++;
			if (!m->dresp) { /* a notification may go; a delayed response waits */
				v->p2a_head = m->next;
				v->n_p2a--;
				v->n_p2a_notif--;
				v->p2a_dropped++;
				free(m);
			}
		} else if (vu_scatter(v, segs, n, m->data, m->len)) {
			done = (uint32_t)m->len;
			v->p2a_head = m->next;
			v->n_p2a--;
			if (!m->dresp)
				v->n_p2a_notif--;
			v->ev_sent++;
			free(m);
		}
		if (!v->p2a_head)
			v->p2a_tail = &v->p2a_head;
		vu_used_push(v, 1, &r, head, done);
		pushed = true;
	}
	if (pushed)
		vu_used_notify(v, 1, &r);
	return work;
}

static void vu_p2a(struct vu *v, struct srv_ctx ctx, const uint8_t *msg, size_t len)
{
	bool dresp = ((le32(msg) >> 8) & 3) == 2;
	struct vu_p2a *m;

	if (!(v->features & VU_F_P2A) || !(v->status & VU_S_FEATURES_OK) ||
	    (ctx.chan >= 0 && ctx.seq <= v->reset_seq)) {
		v->p2a_no_eventq++;
		return;
	}
	if ((!dresp && v->n_p2a >= v->queue_limit) || v->n_p2a >= VU_MAX_HELD) {
		v->p2a_dropped++;
		srv_log(v->srv, dresp ? SRV_LOG_ERR : SRV_LOG_DEBUG,
			"eventq: message 0x%08x dropped: %u held", le32(msg), v->n_p2a);
		return;
	}
	m = malloc(sizeof(*m) + len);
	if (!m) {
		v->p2a_dropped++;
		return;
	}
	m->next = NULL;
	m->dresp = dresp;
	m->len = len;
	memcpy(m->data, msg, len);
	*v->p2a_tail = m;
	v->p2a_tail = &m->next;
	v->n_p2a++;
	if (!dresp)
		v->n_p2a_notif++;
	vu_eventq(v);
}

/* ---- virtio: common configuration ----------------------------------------------- */

static uint64_t vu_offered(struct vu *v)
{
	return VU_F_VERSION_1 | (v->p2a ? VU_F_P2A : 0);
}

/* The 0x38-byte structure as the driver sees it now. */
static void vu_common_image(struct vu *v, uint8_t *c)
{
	struct vu_queue *q = v->qsel < vu_num_queues(v) ? &v->q[v->qsel] : NULL;

	memset(c, 0, 0x38);
	put32(c + 0x00, v->dfsel);
	put32(c + 0x04, v->dfsel < 2 ? (uint32_t)(vu_offered(v) >> (32 * v->dfsel)) : 0);
	put32(c + 0x08, v->gfsel);
	put32(c + 0x0c, v->gfsel < 2 ? (uint32_t)(v->features >> (32 * v->gfsel)) : 0);
	put16(c + 0x10, v->config_vector);
	put16(c + 0x12, (uint16_t)vu_num_queues(v));
	c[0x14] = v->status;
	c[0x15] = 0; /* no device configuration: generation 0 */
	put16(c + 0x16, v->qsel);
	if (!q)
		return;
	put16(c + 0x18, q->size);
	put16(c + 0x1a, q->vector);
	put16(c + 0x1c, q->enable);
	put16(c + 0x1e, v->qsel);
	put64(c + 0x20, q->desc);
	put64(c + 0x28, q->driver);
	put64(c + 0x30, q->device);
}

static void vu_queue_enable(struct vu *v, unsigned int qi)
{
	struct vu_queue *q = &v->q[qi];
	struct vu_rings r;

	if (q->enable)
		return;
	if (!q->size || (q->size & (q->size - 1)) || q->desc % 16 || q->driver % 2 ||
	    q->device % 4) {
		srv_log(v->srv, SRV_LOG_ERR, "queue %u: size %u or ring alignment refused", qi,
			q->size);
		return;
	}
	r.desc = vu_dma(v, q->desc, 16ull * q->size, 1);
	r.avail = vu_dma(v, q->driver, 6ull + 2ull * q->size, 1);
	r.used = vu_dma(v, q->device, 6ull + 8ull * q->size, 3);
	if (!r.desc || !r.avail || !r.used) {
		srv_log(v->srv, SRV_LOG_ERR, "queue %u: rings outside the DMA windows: not enabled",
			qi);
		return;
	}
	q->last_avail = q->used_idx = 0;
	q->enable = 1;
}

static void vu_status_write(struct vu *v, uint8_t s)
{
	uint8_t was = v->status;

	if (!s) {
		vu_virtio_reset(v);
		return;
	}
	if ((s & VU_S_FEATURES_OK) && !(was & VU_S_FEATURES_OK) &&
	    ((v->features & ~vu_offered(v)) || !(v->features & VU_F_VERSION_1))) {
		srv_log(v->srv, SRV_LOG_INFO, "features 0x%llx refused",
			(unsigned long long)v->features);
		s &= (uint8_t)~VU_S_FEATURES_OK;
	}
	v->status = (uint8_t)(s | (was & VU_S_NEEDS_RESET));
	if ((s & VU_S_DRIVER_OK) && !(was & VU_S_DRIVER_OK)) {
		vu_cmdq(v);
		vu_eventq(v);
	}
}

/* A field of the common structure at @off (@width bytes) got @val. */
static void vu_common_field(struct vu *v, unsigned int off, uint64_t val)
{
	struct vu_queue *q = v->qsel < vu_num_queues(v) ? &v->q[v->qsel] : NULL;
	bool live = q && q->enable;

	switch (off) {
	case 0x00:
		v->dfsel = (uint32_t)val;
		break;
	case 0x08:
		v->gfsel = (uint32_t)val;
		break;
	case 0x0c:
		if (v->gfsel < 2 && !(v->status & VU_S_FEATURES_OK)) {
			uint64_t mask = 0xffffffffull << (32 * v->gfsel);

			v->features = (v->features & ~mask) | (val << (32 * v->gfsel) & mask);
		}
		break;
	case 0x10:
		v->config_vector = val < VU_NVEC && v->msix ? (uint16_t)val : VU_NO_VECTOR;
		break;
	case 0x14:
		vu_status_write(v, (uint8_t)val);
		break;
	case 0x16:
		v->qsel = (uint16_t)val;
		break;
	case 0x18:
		if (q && !live && val && val <= VU_QUEUE_MAX && !(val & (val - 1)))
			q->size = (uint16_t)val;
		break;
	case 0x1a:
		if (q)
			q->vector = val < VU_NVEC && v->msix ? (uint16_t)val : VU_NO_VECTOR;
		break;
	case 0x1c:
		if (q && val == 1)
			vu_queue_enable(v, v->qsel);
		break;
	case 0x20:
	case 0x24:
	case 0x28:
	case 0x2c:
	case 0x30:
	case 0x34:
		if (q && !live) {
			uint64_t *a = off < 0x28 ? &q->desc : off < 0x30 ? &q->driver : &q->device;
			unsigned int sh = (off & 4) ? 32 : 0;

			*a = (*a & ~(0xffffffffull << sh)) | (val & 0xffffffffull) << sh;
		}
		break;
	default:
		break; /* read-only */
	}
}

static const struct {
	uint8_t off, width;
} vu_common_fields[] = {
	{0x00, 4}, {0x08, 4}, {0x0c, 4}, {0x10, 2}, {0x14, 1}, {0x16, 2}, {0x18, 2}, {0x1a, 2},
	{0x1c, 2}, {0x20, 4}, {0x24, 4}, {0x28, 4}, {0x2c, 4}, {0x30, 4}, {0x34, 4},
};

static void vu_common_access(struct vu *v, uint64_t off, uint8_t *buf, size_t n, bool write)
{
	uint8_t img[0x38];

	vu_common_image(v, img);
	for (size_t i = 0; i < n; i++) {
		if (off + i >= sizeof(img)) {
			if (!write)
				buf[i] = 0;
		} else if (write) {
			img[off + i] = buf[i];
		} else {
			buf[i] = img[off + i];
		}
	}
	if (!write)
		return;
	for (size_t i = 0; i < sizeof(vu_common_fields) / sizeof(vu_common_fields[0]); i++) {
		unsigned int f = vu_common_fields[i].off, w = vu_common_fields[i].width;
		const uint8_t *p = img + f;

		if (f + w <= off || f >= off + n)
			continue;
		vu_common_field(v, f, w == 1 ? p[0] : w == 2 ? le16(p) : le32(p));
	}
}

/* ---- regions ----------------------------------------------------------------------- */

static uint64_t vu_region_size(struct vu *v, uint32_t idx)
{
	switch (idx) {
	case 0:
		return VU_BAR0_SIZE;
	case 1:
		return v->msix ? VU_BAR1_SIZE : 0;
	case VU_REGION_CFG:
		return VU_CFG_SIZE;
	default:
		return 0;
	}
}

static void vu_bar0(struct vu *v, uint64_t off, uint8_t *buf, size_t n, bool write)
{
	if (off < VU_COMMON + VU_STRUCT_LEN) {
		vu_common_access(v, off - VU_COMMON, buf, n, write);
		return;
	}
	if (off >= VU_ISR && off < VU_ISR + VU_STRUCT_LEN) {
		if (!write) {
			memset(buf, 0, n);
			if (off == VU_ISR && n) { /* a read of 0 bytes reads (and clears) nothing */
				buf[0] = v->isr;
				v->isr = 0;
			}
		}
		return;
	}
	if (off >= VU_NOTIFY && off < VU_NOTIFY + VU_STRUCT_LEN) {
		unsigned int qi = (unsigned int)(off - VU_NOTIFY) / VU_NOTIFY_MUL;

		if (!write) {
			memset(buf, 0, n);
			return;
		}
		v->doorbells++;
		if (qi == 0)
			vu_cmdq(v);
		else if (qi == 1)
			vu_eventq(v);
		return;
	}
	if (!write)
		memset(buf, 0, n);
}

static void vu_bar1(struct vu *v, uint64_t off, uint8_t *buf, size_t n, bool write)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t o = off + i;

		if (o < sizeof(v->msix_table)) {
			if (write)
				v->msix_table[o] = buf[i];
			else
				buf[i] = v->msix_table[o];
		} else if (!write) {
			buf[i] = 0; /* PBA and the rest: nothing pending */
		}
	}
}

static void vu_cfg_access(struct vu *v, uint64_t off, uint8_t *buf, size_t n, bool write);

/* PCI_CFG's window: an access to pci_cfg_data is one to cap.bar at
 * cap.offset, cap.length bytes. */
static void vu_pcicfg_window(struct vu *v, bool write)
{
	uint8_t *cap = v->cfg + VU_CAP_PCICFG;
	uint32_t off = le32(cap + 8), len = le32(cap + 12);
	uint8_t bar = cap[4];

	if ((len != 1 && len != 2 && len != 4) || off % len ||
	    (uint64_t)off + len > vu_region_size(v, bar))
		return;
	if (bar == 0)
		vu_bar0(v, off, cap + 16, len, write);
	else if (bar == 1)
		vu_bar1(v, off, cap + 16, len, write);
}

static void vu_cfg_access(struct vu *v, uint64_t off, uint8_t *buf, size_t n, bool write)
{
	bool data = off < VU_CAP_PCICFG + 20 && off + n > VU_CAP_PCICFG + 16;

	if (!write) {
		/* status bit 3: the INTx line, as the ISR says */
		v->cfg[6] = (uint8_t)((v->cfg[6] & ~0x08) | (v->isr ? 0x08 : 0));
		if (data)
			vu_pcicfg_window(v, false);
		memcpy(buf, v->cfg + off, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t m = v->wmask[off + i];

		v->cfg[off + i] = (uint8_t)((v->cfg[off + i] & ~m) | (buf[i] & m));
	}
	if (data)
		vu_pcicfg_window(v, true);
}

static void vu_region_access(struct vu *v, uint32_t idx, uint64_t off, uint8_t *buf, size_t n,
			     bool write)
{
	if (idx == VU_REGION_CFG)
		vu_cfg_access(v, off, buf, n, write);
	else if (idx == 0)
		vu_bar0(v, off, buf, n, write);
	else
		vu_bar1(v, off, buf, n, write);
}

static void vu_cap(struct vu *v, unsigned int at, unsigned int next, uint8_t type, uint32_t offset,
		   uint32_t len, uint8_t cap_len)
{
	uint8_t *c = v->cfg + at;

	c[0] = 0x09;
	c[1] = (uint8_t)next;
	c[2] = cap_len;
	c[3] = type;
	c[4] = 0; /* BAR0 */
	put32(c + 8, offset);
	put32(c + 12, len);
}

/* Config space as after a function reset. */
static void vu_pci_reset(struct vu *v)
{
	uint8_t *c = v->cfg;

	memset(c, 0, sizeof(v->cfg));
	memset(v->wmask, 0, sizeof(v->wmask));
	memset(v->msix_table, 0, sizeof(v->msix_table));
	for (unsigned int i = 0; i < VU_NVEC; i++)
		v->msix_table[16 * i + 12] = 1; /* masked */
	put16(c + 0x00, 0x1af4);
	put16(c + 0x02, 0x1060);
	put16(c + 0x06, 0x0010); /* capability list */
	c[0x08] = 1;		 /* revision */
	c[0x0b] = 0xff;		 /* class: unassigned */
	put16(c + 0x2c, 0x1af4);
	put16(c + 0x2e, 0x0040);
	c[0x34] = v->msix ? VU_CAP_MSIX : VU_CAP_COMMON;
	c[0x3d] = 1; /* INTA# */
	put16(v->wmask + 0x04, 0x0407);
	v->wmask[0x3c] = 0xff;
	/* BAR0 (0x4000), BAR1 (0x1000): 32-bit memory, address bits above the
	 * size writable (sizing reads the size back). */
	put32(v->wmask + 0x10, ~(VU_BAR0_SIZE - 1));
	if (v->msix) {
		put32(v->wmask + 0x14, ~(VU_BAR1_SIZE - 1));
		c[VU_CAP_MSIX] = 0x11;
		c[VU_CAP_MSIX + 1] = VU_CAP_COMMON;
		put16(c + VU_CAP_MSIX + 2, VU_NVEC - 1);
		put32(c + VU_CAP_MSIX + 4, 0 | 1);	/* table: BAR1 @0 */
		put32(c + VU_CAP_MSIX + 8, VU_PBA | 1); /* PBA: BAR1 @0x800 */
		put16(v->wmask + VU_CAP_MSIX + 2, VU_MSIX_ENABLE | VU_MSIX_MASK);
	}
	vu_cap(v, VU_CAP_COMMON, VU_CAP_ISR, 1, VU_COMMON, VU_STRUCT_LEN, 16);
	vu_cap(v, VU_CAP_ISR, VU_CAP_NOTIFY, 3, VU_ISR, VU_STRUCT_LEN, 16);
	vu_cap(v, VU_CAP_NOTIFY, VU_CAP_PCICFG, 2, VU_NOTIFY, VU_STRUCT_LEN, 20);
	put32(c + VU_CAP_NOTIFY + 16, VU_NOTIFY_MUL);
	vu_cap(v, VU_CAP_PCICFG, 0, 5, 0, 0, 20);
	v->wmask[VU_CAP_PCICFG + 4] = 0xff;
	memset(v->wmask + VU_CAP_PCICFG + 8, 0xff, 12);
}

/* DEVICE_RESET: a function reset; windows and eventfds stay. */
static void vu_device_reset(struct vu *v)
{
	vu_virtio_reset(v);
	vu_pci_reset(v);
}

/* ---- the socket ---------------------------------------------------------------------- */

/* Send a reply (@data of @len bytes) to the message being handled; waits
 * for room in the socket at most a second. */
static void vu_send(struct vu *v, uint32_t flags, uint32_t err, const void *data, size_t len)
{
	uint8_t h[VU_HDR];
	struct iovec iov[2] = {{h, sizeof(h)}, {(void *)data, len}};
	size_t total = sizeof(h) + len, sent = 0;

	if (le32(v->hdr + 8) & VU_NO_REPLY)
		return;
	memcpy(h, v->hdr, 4); /* msg_id, command */
	put32(h + 4, (uint32_t)total);
	put32(h + 8, VU_TYPE_REPLY | flags);
	put32(h + 12, err);
	while (sent < total && !v->drop) {
		struct msghdr mh = {0};
		struct iovec part[2];
		int n = 0;
		ssize_t r;

		for (int i = 0, skip = (int)sent; i < 2; i++) {
			if ((size_t)skip >= iov[i].iov_len) {
				skip -= (int)iov[i].iov_len;
				continue;
			}
			part[n].iov_base = (uint8_t *)iov[i].iov_base + skip;
			part[n++].iov_len = iov[i].iov_len - (size_t)skip;
			skip = 0;
		}
		mh.msg_iov = part;
		mh.msg_iovlen = (size_t)n;
		r = sendmsg(v->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			sent += (size_t)r;
		} else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = {.fd = v->fd, .events = POLLOUT};

			if (poll(&p, 1, 1000) <= 0)
				v->drop = true;
		} else if (!(r < 0 && errno == EINTR)) {
			v->drop = true;
		}
	}
}

static void vu_reply(struct vu *v, const void *data, size_t len)
{
	vu_send(v, 0, 0, data, len);
}

static void vu_error(struct vu *v, int err, const char *why)
{
	v->proto_errors++;
	srv_log(v->srv, SRV_LOG_INFO, "vfio-user command %u refused (%s): %s", le16(v->hdr + 2),
		why, strerror(err));
	vu_send(v, VU_ERROR, (uint32_t)err, NULL, 0);
}

/* Take descriptor @i of the message (the caller owns it then). */
static int vu_take_fd(struct vu *v, unsigned int i)
{
	int fd = v->fds[i];

	v->fds[i] = -1;
	return fd;
}

static void vu_version(struct vu *v)
{
	const uint8_t *b = v->body;
	struct json_object *top = NULL, *caps, *o, *reply, *rcaps;
	uint16_t minor;
	const char *js;
	uint8_t *out;
	size_t jl;

	if (v->body_len < 4 || v->n_fds || le16(b) != 0) {
		vu_error(v, EINVAL, "version");
		v->drop = true;
		return;
	}
	minor = le16(b + 2) < 2 ? le16(b + 2) : 2;
	v->peer_max_xfer = VU_MAX_XFER;
	if (v->body_len > 4) {
		if (b[v->body_len - 1] != '\0' ||
		    !(top = json_tokener_parse((const char *)b + 4)) ||
		    !json_object_is_type(top, json_type_object)) {
			json_object_put(top);
			vu_error(v, EINVAL, "capabilities JSON");
			v->drop = true;
			return;
		}
		if (json_object_object_get_ex(top, "capabilities", &caps)) {
			if (!json_object_is_type(caps, json_type_object) ||
			    (json_object_object_get_ex(caps, "max_data_xfer_size", &o) &&
			     (!json_object_is_type(o, json_type_int) ||
			      json_object_get_int64(o) < 1)) ||
			    (json_object_object_get_ex(caps, "max_msg_fds", &o) &&
			     (!json_object_is_type(o, json_type_int) ||
			      json_object_get_int64(o) < 0 || json_object_get_int64(o) > 1024))) {
				json_object_put(top);
				vu_error(v, EINVAL, "capabilities");
				v->drop = true;
				return;
			}
			if (json_object_object_get_ex(caps, "max_data_xfer_size", &o))
				v->peer_max_xfer = (uint64_t)json_object_get_int64(o);
		}
		json_object_put(top);
	}
	reply = json_object_new_object();
	rcaps = json_object_new_object();
	if (!reply || !rcaps) {
		json_object_put(reply);
		json_object_put(rcaps);
		vu_error(v, ENOMEM, "version");
		v->drop = true;
		return;
	}
	json_object_object_add(rcaps, "max_msg_fds", json_object_new_int(VU_MAX_FDS));
	json_object_object_add(rcaps, "max_data_xfer_size", json_object_new_int(VU_MAX_XFER));
	json_object_object_add(reply, "capabilities", rcaps);
	js = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);
	jl = strlen(js) + 1;
	out = malloc(4 + jl);
	if (!out) {
		json_object_put(reply);
		vu_error(v, ENOMEM, "version");
		v->drop = true;
		return;
	}
	put16(out, 0);
	put16(out + 2, minor);
	memcpy(out + 4, js, jl);
	json_object_put(reply);
	vu_reply(v, out, 4 + jl);
	free(out);
	v->versioned = true;
	srv_log(v->srv, SRV_LOG_INFO, "client speaks vfio-user 0.%u", minor);
}

static void vu_dma_map(struct vu *v)
{
	const uint8_t *b = v->body;
	uint64_t off, iova, size;
	uint32_t flags;
	struct vu_window *w;
	struct stat st;
	void *p;
	int fd, prot = 0;

	if (v->body_len < 32 || le32(b) < 32)
		return vu_error(v, EINVAL, "DMA_MAP size");
	flags = le32(b + 4);
	off = le64(b + 8);
	iova = le64(b + 16);
	size = le64(b + 24);
	if (!flags || flags & ~3u || !size || off % VU_PAGE || iova + size < iova)
		return vu_error(v, EINVAL, "DMA_MAP fields");
	if (v->n_fds != 1)
		return vu_error(v, ENOTSUP, "DMA_MAP without exactly one fd");
	for (unsigned int i = 0; i < v->n_win; i++)
		if (iova < v->win[i].iova + v->win[i].size && v->win[i].iova < iova + size)
			return vu_error(v, EEXIST, "DMA_MAP overlap");
	if (v->n_win == VU_MAX_WINDOWS)
		return vu_error(v, ENOSPC, "DMA_MAP: too many windows");
	if (flags & 1)
		prot |= PROT_READ;
	if (flags & 2)
		prot |= PROT_WRITE;
	fd = vu_take_fd(v, 0);
	/* Every page of the window must exist: touching a page past the end
	 * of the file would kill the server (SIGBUS). */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    off > (uint64_t)st.st_size || size > (uint64_t)st.st_size - off) {
		close(fd);
		return vu_error(v, EINVAL, "DMA_MAP: the fd is not a file covering the window");
	}
	p = mmap(NULL, (size_t)size, prot, MAP_SHARED, fd, (off_t)off);
	close(fd);
	if (p == MAP_FAILED)
		return vu_error(v, errno, "DMA_MAP mmap");
	w = &v->win[v->n_win++];
	*w = (struct vu_window){iova, size, p, flags};
	srv_log(v->srv, SRV_LOG_INFO, "DMA window 0x%llx+0x%llx (%s%s)", (unsigned long long)iova,
		(unsigned long long)size, flags & 1 ? "r" : "", flags & 2 ? "w" : "");
	vu_reply(v, NULL, 0);
}

static void vu_dma_unmap(struct vu *v)
{
	const uint8_t *b = v->body;
	uint8_t out[24];
	uint64_t iova, size;
	uint32_t flags;

	if (v->body_len < 24 || le32(b) < 24)
		return vu_error(v, EINVAL, "DMA_UNMAP size");
	flags = le32(b + 4);
	iova = le64(b + 8);
	size = le64(b + 16);
	if (flags == 2 && !iova && !size) {
		vu_unmap_all(v); /* UNMAP_ALL */
	} else if (flags) {
		return vu_error(v, EINVAL, "DMA_UNMAP flags");
	} else {
		unsigned int i;

		for (i = 0; i < v->n_win && (v->win[i].iova != iova || v->win[i].size != size); i++)
			;
		if (i == v->n_win)
			return vu_error(v, EINVAL, "DMA_UNMAP: no such window");
		munmap(v->win[i].host, v->win[i].size);
		v->win[i] = v->win[--v->n_win];
	}
	memcpy(out, b, sizeof(out));
	put32(out, sizeof(out));
	vu_reply(v, out, sizeof(out));
}

static void vu_get_info(struct vu *v)
{
	uint8_t out[16];

	if (v->body_len < 16 || le32(v->body) < 16)
		return vu_error(v, EINVAL, "DEVICE_GET_INFO size");
	put32(out, 16);
	put32(out + 4, 0x3); /* RESET | PCI */
	put32(out + 8, VU_NUM_REGIONS);
	put32(out + 12, VU_NUM_IRQS);
	vu_reply(v, out, sizeof(out));
}

static void vu_region_info(struct vu *v)
{
	uint8_t out[32] = {0};
	uint32_t idx;
	uint64_t size;

	if (v->body_len < 32 || le32(v->body) < 32)
		return vu_error(v, EINVAL, "DEVICE_GET_REGION_INFO size");
	idx = le32(v->body + 8);
	if (idx >= VU_NUM_REGIONS)
		return vu_error(v, EINVAL, "no such region");
	size = vu_region_size(v, idx);
	put32(out, 32);
	put32(out + 4, size ? 0x3 : 0); /* READ | WRITE; no mmap */
	put32(out + 8, idx);
	put64(out + 16, size);
	vu_reply(v, out, sizeof(out));
}

static uint32_t vu_irq_count(struct vu *v, uint32_t idx)
{
	return idx == VU_IRQ_INTX ? 1 : idx == VU_IRQ_MSIX && v->msix ? VU_NVEC : 0;
}

static void vu_irq_info(struct vu *v)
{
	uint8_t out[16];
	uint32_t idx;

	if (v->body_len < 16 || le32(v->body) < 16)
		return vu_error(v, EINVAL, "DEVICE_GET_IRQ_INFO size");
	idx = le32(v->body + 8);
	if (idx >= VU_NUM_IRQS)
		return vu_error(v, EINVAL, "no such IRQ type");
	put32(out, 16);
	put32(out + 4, 0x1); /* EVENTFD */
	put32(out + 8, idx);
	put32(out + 12, vu_irq_count(v, idx));
	vu_reply(v, out, sizeof(out));
}

static int *vu_irq_slot(struct vu *v, uint32_t idx, uint32_t vec)
{
	return idx == VU_IRQ_INTX ? &v->intx_fd : &v->msix_fd[vec];
}

static void vu_set_irqs(struct vu *v)
{
	const uint8_t *b = v->body;
	uint32_t flags, idx, start, count, max, data, action;

	if (v->body_len < 20 || le32(b) < 20)
		return vu_error(v, EINVAL, "DEVICE_SET_IRQS size");
	flags = le32(b + 4);
	idx = le32(b + 8);
	start = le32(b + 12);
	count = le32(b + 16);
	data = flags & 0x7;
	action = flags & 0x38;
	if (idx >= VU_NUM_IRQS || (data & (data - 1)) || !data || (action & (action - 1)) ||
	    !action || flags & ~0x3fu)
		return vu_error(v, EINVAL, "DEVICE_SET_IRQS flags or index");
	max = vu_irq_count(v, idx);
	if (v->n_fds && data != VU_IRQ_DATA_EVENTFD)
		return vu_error(v, EINVAL, "DEVICE_SET_IRQS: fds without DATA_EVENTFD");
	if (data == VU_IRQ_DATA_NONE && action == VU_IRQ_ACT_TRIGGER && !count) {
		for (uint32_t i = 0; i < max; i++)
			vu_close_fd(vu_irq_slot(v, idx, i));
		return vu_reply(v, NULL, 0);
	}
	if (start >= max || count > max - start)
		return vu_error(v, EINVAL, "DEVICE_SET_IRQS range");
	if (data == VU_IRQ_DATA_BOOL && v->body_len != 20 + (size_t)count)
		return vu_error(v, EINVAL, "DEVICE_SET_IRQS bools");
	if (action != VU_IRQ_ACT_TRIGGER)
		return vu_reply(v, NULL, 0); /* masking: not modelled */
	if (data == VU_IRQ_DATA_EVENTFD) {
		if (v->n_fds && v->n_fds != count)
			return vu_error(v, EINVAL, "DEVICE_SET_IRQS: fd count");
		for (uint32_t i = 0; i < count; i++) {
			int *slot = vu_irq_slot(v, idx, start + i);

			vu_close_fd(slot);
			if (v->n_fds)
				*slot = vu_take_fd(v, i);
		}
		return vu_reply(v, NULL, 0);
	}
	for (uint32_t i = 0; i < count; i++) /* fire them */
		if (data == VU_IRQ_DATA_NONE || b[20 + i])
			vu_signal(v, *vu_irq_slot(v, idx, start + i));
	vu_reply(v, NULL, 0);
}

static void vu_region_rw(struct vu *v, bool write)
{
	const uint8_t *b = v->body;
	uint64_t off;
	uint32_t idx, count;
	uint8_t *out;

	if (v->body_len < 16)
		return vu_error(v, EINVAL, "region access size");
	off = le64(b);
	idx = le32(b + 8);
	count = le32(b + 12);
	if (count > VU_MAX_XFER || (write && v->body_len != 16 + (size_t)count) ||
	    (!write && v->body_len != 16))
		return vu_error(v, EINVAL, "region access count");
	if (idx >= VU_NUM_REGIONS || off > vu_region_size(v, idx) ||
	    count > vu_region_size(v, idx) - off)
		return vu_error(v, EINVAL, "region access out of range");
	if (write) {
		vu_region_access(v, idx, off, v->body + 16, count, true);
		return vu_reply(v, b, 16);
	}
	out = malloc(16 + (size_t)count);
	if (!out)
		return vu_error(v, ENOMEM, "region read");
	memcpy(out, b, 16);
	vu_region_access(v, idx, off, out + 16, count, false);
	vu_reply(v, out, 16 + (size_t)count);
	free(out);
}

static void vu_dispatch(struct vu *v)
{
	uint16_t cmd = le16(v->hdr + 2);
	uint32_t flags = le32(v->hdr + 8);

	if ((flags & VU_TYPE_MASK) != 0) {
		v->proto_errors++;
		srv_log(v->srv, SRV_LOG_INFO, "vfio-user: unexpected reply %u from the client",
			cmd);
		return;
	}
	if (v->bad_fds)
		return vu_error(v, EINVAL, "file descriptors lost");
	if (!v->versioned && cmd != VU_VERSION)
		return vu_error(v, EINVAL, "VERSION must come first");
	if (v->n_fds && cmd != VU_DMA_MAP && cmd != VU_SET_IRQS)
		return vu_error(v, EINVAL, "unexpected file descriptors");
	switch (cmd) {
	case VU_VERSION:
		if (v->versioned)
			return vu_error(v, EINVAL, "second VERSION");
		return vu_version(v);
	case VU_DMA_MAP:
		return vu_dma_map(v);
	case VU_DMA_UNMAP:
		return vu_dma_unmap(v);
	case VU_GET_INFO:
		return vu_get_info(v);
	case VU_GET_REGION_INFO:
		return vu_region_info(v);
	case VU_GET_IRQ_INFO:
		return vu_irq_info(v);
	case VU_SET_IRQS:
		return vu_set_irqs(v);
	case VU_REGION_READ:
		return vu_region_rw(v, false);
	case VU_REGION_WRITE:
		return vu_region_rw(v, true);
	case VU_DEVICE_RESET:
		if (v->body_len)
			return vu_error(v, EINVAL, "DEVICE_RESET with a payload");
		vu_device_reset(v);
		srv_log(v->srv, SRV_LOG_INFO, "device reset (DEVICE_RESET)");
		return vu_reply(v, NULL, 0);
	default:
		return vu_error(v, EINVAL, "not implemented");
	}
}

/* Forget the message being received (closing its unused descriptors). */
static void vu_rx_reset(struct vu *v)
{
	for (unsigned int i = 0; i < v->n_fds; i++)
		vu_close_fd(&v->fds[i]);
	v->n_fds = 0;
	v->bad_fds = false;
	free(v->body);
	v->body = NULL;
	v->hdr_got = v->body_len = v->body_got = 0;
}

static void vu_disconnect(struct vu *v, const char *why)
{
	srv_log(v->srv, SRV_LOG_INFO, "client gone (%s): device reset, waiting for the next", why);
	vu_rx_reset(v);
	vu_close_fd(&v->fd);
	vu_unmap_all(v);
	vu_close_fd(&v->intx_fd);
	for (unsigned int i = 0; i < VU_NVEC; i++)
		vu_close_fd(&v->msix_fd[i]);
	vu_device_reset(v);
	v->versioned = false;
	v->drop = false;
}

/* One non-blocking read into @buf; descriptors kept.  >0 bytes, 0 would
 * block, <0 the connection ended (logged). */
static ssize_t vu_recv(struct vu *v, void *buf, size_t len)
{
	union {
		char buf[CMSG_SPACE(VU_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {buf, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t r;

	for (;;) {
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		r = recvmsg(v->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (r >= 0 || errno != EINTR)
			break;
	}
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (r <= 0) {
		vu_disconnect(v, r ? strerror(errno) : "end of file");
		return -1;
	}
	if (mh.msg_flags & MSG_CTRUNC)
		v->bad_fds = true;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (v->n_fds < VU_MAX_FDS) {
				v->fds[v->n_fds++] = fd;
			} else {
				close(fd);
				v->bad_fds = true;
			}
		}
	}
	return r;
}

static int vu_rx(struct vu *v)
{
	int work = 0;

	for (int msgs = 0; v->fd >= 0 && msgs < VU_MSGS_PER_POLL;) {
		ssize_t r;

		if (v->hdr_got < VU_HDR) {
			r = vu_recv(v, v->hdr + v->hdr_got, VU_HDR - v->hdr_got);
			if (r <= 0)
				return work + (r < 0);
			work++;
			v->hdr_got += (size_t)r;
			if (v->hdr_got < VU_HDR)
				continue;
			if (le32(v->hdr + 4) < VU_HDR || le32(v->hdr + 4) > VU_MAX_MSG) {
				v->proto_errors++;
				vu_disconnect(v, "a message of impossible size");
				return work;
			}
			v->body_len = le32(v->hdr + 4) - VU_HDR;
			v->body = malloc(v->body_len ? v->body_len : 1);
			if (!v->body) {
				vu_disconnect(v, "out of memory");
				return work;
			}
		}
		if (v->body_got < v->body_len) {
			r = vu_recv(v, v->body + v->body_got, v->body_len - v->body_got);
			if (r <= 0)
				return work + (r < 0);
			v->body_got += (size_t)r;
			if (v->body_got < v->body_len)
				continue;
		}
		vu_dispatch(v);
		msgs++;
		vu_rx_reset(v);
		if (v->drop)
			vu_disconnect(v, "protocol error");
	}
	return work;
}

static int vu_accept(struct vu *v)
{
	int fd = accept4(v->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			srv_log(v->srv, SRV_LOG_ERR, "accept: %s", strerror(errno));
		return 0;
	}
	v->fd = fd;
	v->clients++;
	srv_log(v->srv, SRV_LOG_INFO, "client connected");
	return 1;
}

/* ---- the mode --------------------------------------------------------------------------- */

static int vu_poll(void *state)
{
	struct vu *v = state;
	int work = 0;

	if (v->fd < 0)
		work += vu_accept(v);
	if (v->fd >= 0)
		work += vu_rx(v);
	if (v->fd >= 0 && v->p2a_head)
		work += vu_eventq(v);
	return work;
}

/* The listening socket while no client is connected, else the client's. */
static int vu_fds(void *state, struct pollfd *fds, int max)
{
	struct vu *v = state;
	int fd = v->fd >= 0 ? v->fd : v->listen_fd;

	if (max < 1 || fd < 0)
		return 0;
	fds[0] = (struct pollfd){.fd = fd, .events = POLLIN};
	return 1;
}

static void vu_output(void *state, struct srv_ctx ctx, enum scmi_sim_chan chan, const void *msg,
		      size_t len)
{
	struct vu *v = state;

	if (len < 4)
		return;
	if (chan == SCMI_SIM_CHAN_P2A)
		vu_p2a(v, ctx, msg, len);
	else
		vu_respond(v, ctx, msg, len);
}

static void vu_print_uri(void *state, FILE *f)
{
	struct vu *v = state;

	fprintf(f, "virtio-vfio-user://%s", v->path);
	/* The agent's buffers must hold what the simulator sends: say so
	 * when it is not the agent's default (128 bytes). */
	if (v->msg_max && v->msg_max != 128)
		fprintf(f, "?max_msg_size=%zu", v->msg_max);
}

static void vu_stats(void *state, char *buf, size_t size)
{
	struct vu *v = state;

	snprintf(buf, size,
		 "vfu_connected=%d vfu_clients=%llu vfu_windows=%u virtio_status=0x%02x "
		 "virtio_features=0x%llx resets=%llu doorbells=%llu cmdq_requests=%llu "
		 "cmdq_responses=%llu cmdq_bad=%llu cmdq_dropped=%llu truncated=%llu "
		 "eventq_sent=%llu eventq_bad=%llu eventq_small=%llu p2a_queued=%u "
		 "p2a_dropped=%llu p2a_no_eventq=%llu irqs=%llu irqs_lost=%llu proto_errors=%llu",
		 v->fd >= 0, (unsigned long long)v->clients, v->n_win, v->status,
		 (unsigned long long)v->features, (unsigned long long)v->resets,
		 (unsigned long long)v->doorbells, (unsigned long long)v->cmd_requests,
		 (unsigned long long)v->cmd_responses, (unsigned long long)v->cmd_bad,
		 (unsigned long long)v->cmd_late, (unsigned long long)v->truncated,
		 (unsigned long long)v->ev_sent, (unsigned long long)v->ev_bad,
		 (unsigned long long)v->ev_small, v->n_p2a, (unsigned long long)v->p2a_dropped,
		 (unsigned long long)v->p2a_no_eventq, (unsigned long long)v->irqs,
		 (unsigned long long)v->irqs_lost, (unsigned long long)v->proto_errors);
}

static void vu_free(struct vu *v)
{
	if (v->fd >= 0)
		vu_disconnect(v, "server stopping");
	vu_p2a_free(v);
	if (v->listen_fd >= 0) {
		close(v->listen_fd);
		unlink(v->path);
	}
	free(v->path);
	free(v);
}

static void vu_close(void *state, bool keep)
{
	(void)keep; /* a socket is of no use without its server */
	vu_free(state);
}

/* Bind and listen at v->path (a stale socket there is replaced). */
static int vu_listen(struct vu *v)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, err;

	if (strlen(v->path) >= sizeof(sa.sun_path)) {
		srv_log(NULL, SRV_LOG_ERR, "--vfio-user: '%s' is too long for a socket", v->path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, v->path, strlen(v->path) + 1);
	if (!lstat(v->path, &st)) {
		int probe;

		if (!S_ISSOCK(st.st_mode)) {
			srv_log(NULL, SRV_LOG_ERR, "--vfio-user: '%s' exists and is not a socket",
				v->path);
			return -EEXIST;
		}
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && !connect(probe, (struct sockaddr *)&sa, sizeof(sa))) {
			close(probe);
			srv_log(NULL, SRV_LOG_ERR, "--vfio-user: a server listens at '%s' already",
				v->path);
			return -EADDRINUSE;
		}
		if (probe >= 0)
			close(probe);
		unlink(v->path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4)) {
		err = errno;
		srv_log(NULL, SRV_LOG_ERR, "--vfio-user: cannot listen at '%s': %s", v->path,
			strerror(err));
		if (fd >= 0)
			close(fd);
		return -err;
	}
	v->listen_fd = fd;
	return 0;
}

static int vu_open(struct srv *srv, const struct srv_opts *o, void **state)
{
	struct vu *v = calloc(1, sizeof(*v));
	int ret;

	if (!v)
		return -ENOMEM;
	v->srv = srv;
	v->listen_fd = v->fd = v->intx_fd = -1;
	for (unsigned int i = 0; i < VU_NVEC; i++)
		v->msix_fd[i] = -1;
	for (unsigned int i = 0; i < VU_MAX_FDS; i++)
		v->fds[i] = -1;
	v->p2a = !o->vfu_no_p2a;
	v->msix = !o->vfu_no_msix;
	v->queue_limit = o->queue ? o->queue : 64;
	v->msg_max = o->size > 32 ? o->size - 32 : 0;
	v->p2a_tail = &v->p2a_head;
	v->path = srv_abs_path(o->vfu_path);
	if (!v->path) {
		free(v);
		return -ENOMEM;
	}
	if (!srv_uri_safe("--vfio-user", v->path)) {
		free(v->path);
		free(v);
		return -EINVAL;
	}
	ret = vu_listen(v);
	if (ret) {
		free(v->path);
		free(v);
		return ret;
	}
	vu_device_reset(v);
	v->resets = 0;
	srv_log(srv, SRV_LOG_INFO,
		"serving a virtio-scmi PCI function over vfio-user at %s (%s, %s)", v->path,
		v->p2a ? "eventq" : "no eventq", v->msix ? "MSI-X and INTx" : "INTx only");
	*state = v;
	return 0;
}

const struct srv_mode srv_mode_vfio_user = {
	.name = "vfio-user",
	.open = vu_open,
	.print_uri = vu_print_uri,
	.poll = vu_poll,
	.output = vu_output,
	.stats = vu_stats,
	.fds = vu_fds,
	.close = vu_close,
};

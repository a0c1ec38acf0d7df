// SPDX-License-Identifier: BSD-3-Clause
/*
 * virtio-vfio-user:// (transports/virtio-vfio-user) against a fake device:
 * a thread of the test serves a UNIX socket with enough of vfio-user and a
 * virtio-scmi PCI function (the layout the transport's README describes:
 * BAR0 common @0, ISR @0x1000, notify @0x3000 multiplier 4; MSI-X table in
 * BAR1) whose SCMI content comes from an in-process simulator.  Knobs make
 * it misbehave: responses held and returned in reverse order, used entries
 * with a bad id or a length beyond the buffer, no VERSION_1, no
 * P2A_CHANNELS, no MSI-X, a disconnect on a command.
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scmi/notify.h>
#include <scmi/protocols/clock.h>
#include <scmi/scmi.h>
#include <scmi-sim/sim.h>

#include "helpers.h"
#include "vfio_user.h"

/* ---- wire helpers --------------------------------------------------------- */

static void w16(uint8_t *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, 2);
}
static void w32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}
static void w64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}
static uint16_t r16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return le16toh(v);
}
static uint32_t r32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}
static uint64_t r64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

/* ---- the fake device ------------------------------------------------------ */

#define BAR0_SIZE   0x4000u
#define BAR1_SIZE   0x1000u
#define ISR_OFF	    0x1000u
#define NOTIFY_OFF  0x3000u
#define NOTIFY_MULT 4u
#define MAX_HELD    16
#define MAX_EVENTS  64
#define MSG_MAX	    (8 + 128)

struct fq {
	uint16_t size, max, vec, enable;
	uint64_t desc, avail, used;
	uint16_t last_avail, used_idx;
};

struct held {
	uint16_t head;
	uint32_t len;
};

struct dev {
	pthread_t thr;
	int lfd, fd;
	char dir[32], path[64];
	pthread_mutex_t lock;
	/* configuration (set before scmi_open) */
	bool no_version1, no_p2a, no_msix;
	/* knobs (any time, under @lock) */
	unsigned int hold_n;	/* hold responses until n, return reversed */
	bool hold_in_order;	/* ... or in the order they came */
	bool bad_id_next;	/* a used entry with a bogus id first */
	bool bad_len_next;	/* next response claims too many bytes */
	bool evq_bad_next;	/* eventq: a bogus id, then a too long entry */
	bool close_on_next_cmd; /* disconnect when the next command comes */
	/* state */
	struct scmi_sim *sim;
	uint8_t cfg[256], bar1[BAR1_SIZE];
	uint32_t dfsel, gfsel;
	uint64_t gf;
	uint16_t cfg_vec, qsel;
	uint8_t status, isr;
	struct fq q[2];
	int irq_fds[3][4];
	uint64_t win_iova, win_size;
	uint8_t *win;
	struct held held[MAX_HELD];
	unsigned int nheld;
	uint8_t resp[MSG_MAX];
	size_t resp_len;
	uint8_t events[MAX_EVENTS][MSG_MAX];
	size_t event_len[MAX_EVENTS];
	unsigned int nevents;
	/* counters */
	atomic_uint cmds, reordered, intx_irqs, msix_irqs, isr_reads, events_sent;
};

static struct dev dv;
static struct test_log lg;
static struct scmi_handle *h;

static uint8_t *dma(uint64_t iova, uint64_t len)
{
	if (!dv.win || iova < dv.win_iova || iova - dv.win_iova > dv.win_size ||
	    len > dv.win_size - (iova - dv.win_iova))
		return NULL;
	return dv.win + (iova - dv.win_iova);
}

static void sim_emit(void *priv, enum scmi_sim_chan ch, const void *msg, size_t len,
		     uint64_t delay_us)
{
	(void)priv;
	(void)delay_us; /* delivered at once */
	if (len > MSG_MAX)
		return;
	if (ch == SCMI_SIM_CHAN_A2P) {
		memcpy(dv.resp, msg, len);
		dv.resp_len = len;
	} else if (dv.nevents < MAX_EVENTS) {
		memcpy(dv.events[dv.nevents], msg, len);
		dv.event_len[dv.nevents++] = len;
	}
}

static void irq(unsigned int q)
{
	uint64_t one = 1;
	int fd;

	if (r16(dv.cfg + 0x42) & 0x8000) {
		uint16_t vec = dv.q[q].vec;

		if (vec >= 3 || (fd = dv.irq_fds[VFU_PCI_MSIX_IRQ][vec]) < 0)
			return;
		dv.msix_irqs++;
	} else {
		dv.isr |= 1;
		if ((fd = dv.irq_fds[VFU_PCI_INTX_IRQ][0]) < 0)
			return;
		dv.intx_irqs++;
	}
	(void)!write(fd, &one, sizeof(one));
}

static uint16_t avail_idx(struct fq *q)
{
	uint8_t *a = dma(q->avail, 4);

	return a ? le16toh(atomic_load_explicit((_Atomic uint16_t *)(void *)(a + 2),
						memory_order_acquire))
		 : q->last_avail;
}

static void push_used(struct fq *q, uint32_t id, uint32_t len)
{
	uint8_t *u = dma(q->used, 4 + 8u * q->size);

	if (!u)
		return;
	w32(u + 4 + 8u * (q->used_idx & (q->size - 1)), id);
	w32(u + 8 + 8u * (q->used_idx & (q->size - 1)), len);
	q->used_idx++;
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit((_Atomic uint16_t *)(void *)(u + 2), htole16(q->used_idx),
			      memory_order_relaxed);
}

/* eventq: hand pending P2A messages to posted buffers. */
static void serve_eventq(void)
{
	struct fq *q = &dv.q[1];
	bool any = false;

	while (q->enable && dv.nevents && q->last_avail != avail_idx(q)) {
		uint8_t *a = dma(q->avail, 4 + 2u * q->size), *d, *buf;
		uint16_t head = r16(a + 4 + 2u * (q->last_avail & (q->size - 1)));

		q->last_avail++;
		d = dma(q->desc + 16u * head, 16);
		buf = d ? dma(r64(d), r32(d + 8)) : NULL;
		if (!buf || r32(d + 8) < dv.event_len[0])
			continue;
		memcpy(buf, dv.events[0], dv.event_len[0]);
		pthread_mutex_lock(&dv.lock);
		if (dv.evq_bad_next) {
			/* An id out of range, then this buffer claiming more
			 * than it holds: the message is lost, the buffer
			 * must come back. */
			dv.evq_bad_next = false;
			push_used(q, 4096, 8);
			push_used(q, head, r32(d + 8) + 1);
			pthread_mutex_unlock(&dv.lock);
			any = true;
			continue;
		}
		pthread_mutex_unlock(&dv.lock);
		push_used(q, head, (uint32_t)dv.event_len[0]);
		dv.nevents--;
		memmove(dv.events[0], dv.events[1], dv.nevents * sizeof(dv.events[0]));
		memmove(dv.event_len, dv.event_len + 1, dv.nevents * sizeof(dv.event_len[0]));
		dv.events_sent++;
		any = true;
	}
	if (any)
		irq(1);
}

/* cmdq: every new chain is a request then a response buffer. Returns false
 * when the device must disconnect. */
static bool serve_cmdq(void)
{
	struct fq *q = &dv.q[0];
	bool any = false;

	while (q->enable && q->last_avail != avail_idx(q)) {
		uint8_t *a = dma(q->avail, 4 + 2u * q->size), *d0, *d1, *req, *rsp;
		uint16_t head = r16(a + 4 + 2u * (q->last_avail & (q->size - 1)));
		uint32_t rsp_len;

		q->last_avail++;
		pthread_mutex_lock(&dv.lock);
		if (dv.close_on_next_cmd) {
			pthread_mutex_unlock(&dv.lock);
			return false;
		}
		pthread_mutex_unlock(&dv.lock);
		d0 = dma(q->desc + 16u * head, 16);
		if (!d0 || !(r16(d0 + 12) & 1) || r16(d0 + 14) >= q->size)
			continue;
		d1 = dma(q->desc + 16u * r16(d0 + 14), 16);
		req = dma(r64(d0), r32(d0 + 8));
		rsp = d1 ? dma(r64(d1), r32(d1 + 8)) : NULL;
		if (!req || !rsp || !(r16(d1 + 12) & 2))
			continue;
		rsp_len = r32(d1 + 8);
		dv.resp_len = 0;
		dv.cmds++;
		scmi_sim_process(dv.sim, req, r32(d0 + 8));
		if (dv.resp_len > rsp_len)
			dv.resp_len = 0;
		memcpy(rsp, dv.resp, dv.resp_len);
		pthread_mutex_lock(&dv.lock);
		if (dv.bad_id_next) {
			dv.bad_id_next = false;
			push_used(q, 999, 8);			      /* beyond the queue */
			push_used(q, (head + 1u) & (q->size - 1), 8); /* not in flight */
		}
		if (dv.bad_len_next) {
			dv.bad_len_next = false;
			dv.resp_len = rsp_len + 100;
		}
		if (dv.hold_n) {
			dv.held[dv.nheld++] = (struct held){head, (uint32_t)dv.resp_len};
			if (dv.nheld >= dv.hold_n || dv.nheld == MAX_HELD) {
				for (unsigned int k = 0; k < dv.nheld; k++) {
					struct held *e =
						&dv.held[dv.hold_in_order ? k : dv.nheld - 1 - k];

					push_used(q, e->head, e->len);
				}
				dv.nheld = 0;
				dv.reordered++;
				dv.hold_n = 0;
				any = true;
			}
		} else {
			push_used(q, head, (uint32_t)dv.resp_len);
			any = true;
		}
		pthread_mutex_unlock(&dv.lock);
	}
	if (any)
		irq(0);
	serve_eventq();
	return true;
}

static void dev_reset(void)
{
	dv.status = 0;
	dv.gf = 0;
	dv.cfg_vec = 0xffff;
	for (int i = 0; i < 2; i++) {
		uint16_t max = dv.q[i].max;

		memset(&dv.q[i], 0, sizeof(dv.q[i]));
		dv.q[i].max = dv.q[i].size = max;
		dv.q[i].vec = 0xffff;
	}
}

static uint64_t cc_read(uint32_t off)
{
	struct fq *q = dv.qsel < 2 ? &dv.q[dv.qsel] : NULL;
	uint64_t feat = (dv.no_p2a ? 0 : 1) | (dv.no_version1 ? 0 : 1ull << 32);

	switch (off) {
	case 0x00:
		return dv.dfsel;
	case 0x04:
		return dv.dfsel < 2 ? (uint32_t)(feat >> (32 * dv.dfsel)) : 0;
	case 0x08:
		return dv.gfsel;
	case 0x0c:
		return dv.gfsel < 2 ? (uint32_t)(dv.gf >> (32 * dv.gfsel)) : 0;
	case 0x10:
		return dv.cfg_vec;
	case 0x12:
		return dv.no_p2a ? 1 : 2;
	case 0x14:
		return dv.status;
	case 0x16:
		return dv.qsel;
	}
	if (!q || (dv.no_p2a && dv.qsel == 1))
		return off == 0x1a ? 0xffff : 0;
	switch (off) {
	case 0x18:
		return q->size;
	case 0x1a:
		return q->vec;
	case 0x1c:
		return q->enable;
	case 0x1e:
		return dv.qsel;
	case 0x20:
		return (uint32_t)q->desc;
	case 0x24:
		return q->desc >> 32;
	case 0x28:
		return (uint32_t)q->avail;
	case 0x2c:
		return q->avail >> 32;
	case 0x30:
		return (uint32_t)q->used;
	case 0x34:
		return q->used >> 32;
	}
	return 0;
}

static void set_lo(uint64_t *f, uint64_t v)
{
	*f = (*f & ~0xffffffffull) | (v & 0xffffffffu);
}
static void set_hi(uint64_t *f, uint64_t v)
{
	*f = (*f & 0xffffffffull) | v << 32;
}

static void cc_write(uint32_t off, uint64_t v)
{
	struct fq *q = dv.qsel < 2 ? &dv.q[dv.qsel] : NULL;
	uint64_t feat = (dv.no_p2a ? 0 : 1) | (dv.no_version1 ? 0 : 1ull << 32);

	switch (off) {
	case 0x00:
		dv.dfsel = (uint32_t)v;
		return;
	case 0x08:
		dv.gfsel = (uint32_t)v;
		return;
	case 0x0c:
		if (dv.gfsel == 0)
			set_lo(&dv.gf, v);
		else if (dv.gfsel == 1)
			set_hi(&dv.gf, v);
		return;
	case 0x10:
		dv.cfg_vec = v < 3 ? (uint16_t)v : 0xffff;
		return;
	case 0x14:
		if (!v) {
			dev_reset();
			return;
		}
		if ((v & 8) && ((dv.gf & ~feat) || !(dv.gf >> 32 & 1)))
			v &= ~8ull;
		dv.status = (uint8_t)v;
		return;
	case 0x16:
		dv.qsel = (uint16_t)v;
		return;
	}
	if (!q)
		return;
	switch (off) {
	case 0x18:
		if (v && v <= q->max && !(v & (v - 1)))
			q->size = (uint16_t)v;
		break;
	case 0x1a:
		q->vec = v < 3 ? (uint16_t)v : 0xffff;
		break;
	case 0x1c:
		q->enable = (uint16_t)v;
		break;
	case 0x20:
		set_lo(&q->desc, v);
		break;
	case 0x24:
		set_hi(&q->desc, v);
		break;
	case 0x28:
		set_lo(&q->avail, v);
		break;
	case 0x2c:
		set_hi(&q->avail, v);
		break;
	case 0x30:
		set_lo(&q->used, v);
		break;
	case 0x34:
		set_hi(&q->used, v);
		break;
	}
}

/* ---- vfio-user side -------------------------------------------------------- */

static bool recv_exact(int fd, void *buf, size_t len, int *fds, unsigned int *nfds)
{
	size_t got = 0;

	while (got < len) {
		char ctl[CMSG_SPACE(8 * sizeof(int))];
		struct iovec iov = {(uint8_t *)buf + got, len - got};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = ctl,
				    .msg_controllen = sizeof(ctl)};
		ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);

		if (n <= 0)
			return false;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t i = 0; i < k; i++) {
				int f;

				memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
				if (*nfds < 8)
					fds[(*nfds)++] = f;
				else
					close(f);
			}
		}
		got += (size_t)n;
	}
	return true;
}

static void build_config(void)
{
	uint8_t *c = dv.cfg;

	memset(c, 0, sizeof(dv.cfg));
	w16(c + 0x00, 0x1af4);
	w16(c + 0x02, 0x1060);
	w16(c + 0x06, 0x10);
	c[0x08] = 1;
	w16(c + 0x2e, 0x40);
	c[0x3d] = 1;
	/* MSI-X @0x40 (3 vectors) -> common @0x50 -> ISR @0x60 -> notify @0x70 */
	c[0x34] = dv.no_msix ? 0x50 : 0x40;
	c[0x40] = 0x11;
	c[0x41] = 0x50;
	w16(c + 0x42, 2);
	w32(c + 0x44, 1);
	w32(c + 0x48, 0x800 | 1);
	c[0x50] = 0x09, c[0x51] = 0x60, c[0x52] = 16, c[0x53] = 1, c[0x54] = 0;
	w32(c + 0x58, 0), w32(c + 0x5c, 0x1000);
	c[0x60] = 0x09, c[0x61] = 0x70, c[0x62] = 16, c[0x63] = 3, c[0x64] = 0;
	w32(c + 0x68, ISR_OFF), w32(c + 0x6c, 1);
	c[0x70] = 0x09, c[0x71] = 0, c[0x72] = 20, c[0x73] = 2, c[0x74] = 0;
	w32(c + 0x78, NOTIFY_OFF), w32(c + 0x7c, 0x1000), w32(c + 0x80, NOTIFY_MULT);
}

/* One vfio-user command; false: stop serving. */
static bool handle(const struct vfu_hdr *hd, uint8_t *p, size_t len, int *fds, unsigned int nfds,
		   uint8_t *out, size_t *olen)
{
	static const char json[] = "{\"capabilities\":{\"max_msg_fds\":8,"
				   "\"max_data_xfer_size\":1048576}}";
	uint32_t idx;

	*olen = 0;
	switch (hd->cmd) {
	case VFU_CMD_VERSION:
		w16(out, 0);
		w16(out + 2, 2);
		memcpy(out + 4, json, sizeof(json));
		*olen = 4 + sizeof(json);
		break;
	case VFU_CMD_DEVICE_GET_INFO:
		w32(out, 16);
		w32(out + 4, VFU_DEV_F_RESET | VFU_DEV_F_PCI);
		w32(out + 8, 9);
		w32(out + 12, 5);
		*olen = 16;
		break;
	case VFU_CMD_DEVICE_GET_REGION_INFO:
		idx = r32(p + 8);
		memset(out, 0, 32);
		w32(out, 32);
		w32(out + 8, idx);
		if (idx == 0 || idx == 7 || (idx == 1 && !dv.no_msix))
			w32(out + 4, VFU_REGION_F_READ | VFU_REGION_F_WRITE);
		w64(out + 16, idx == 0			  ? BAR0_SIZE
			      : idx == 7		  ? 256
			      : (idx == 1 && !dv.no_msix) ? BAR1_SIZE
							  : 0);
		*olen = 32;
		break;
	case VFU_CMD_DEVICE_GET_IRQ_INFO:
		idx = r32(p + 8);
		w32(out, 16);
		w32(out + 4, VFU_IRQ_F_EVENTFD);
		w32(out + 8, idx);
		w32(out + 12, idx == 0 ? 1 : (idx == 2 && !dv.no_msix) ? 3 : 0);
		*olen = 16;
		break;
	case VFU_CMD_DEVICE_SET_IRQS: {
		uint32_t index = r32(p + 8), start = r32(p + 12), count = r32(p + 16);

		if (index > 2 || start + count > 4)
			return true;
		if (!count)
			for (int i = 0; i < 4; i++)
				dv.irq_fds[index][i] = -1; /* the client closes them */
		for (uint32_t i = 0; i < count && i < nfds; i++)
			dv.irq_fds[index][start + i] = dup(fds[i]);
		break;
	}
	case VFU_CMD_DMA_MAP:
		if (nfds == 1 && !dv.win) {
			dv.win_iova = r64(p + 16);
			dv.win_size = r64(p + 24);
			dv.win = mmap(NULL, dv.win_size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0],
				      (off_t)r64(p + 8));
			if (dv.win == MAP_FAILED)
				dv.win = NULL;
		}
		break;
	case VFU_CMD_DMA_UNMAP:
		memcpy(out, p, 24);
		*olen = 24;
		if (dv.win)
			munmap(dv.win, dv.win_size);
		dv.win = NULL;
		break;
	case VFU_CMD_REGION_READ:
	case VFU_CMD_REGION_WRITE: {
		uint64_t off = r64(p);
		uint32_t region = r32(p + 8), count = r32(p + 12);
		uint8_t *data = out + 16;
		bool wr = hd->cmd == VFU_CMD_REGION_WRITE;

		memcpy(out, p, 16);
		*olen = 16 + (wr ? 0 : count);
		if (count > 256)
			return false;
		memset(data, 0, count);
		if (region == 7 && off + count <= 256) {
			if (wr)
				memcpy(dv.cfg + off, p + 16, count);
			else
				memcpy(data, dv.cfg + off, count);
		} else if (region == 1 && off + count <= BAR1_SIZE) {
			if (wr)
				memcpy(dv.bar1 + off, p + 16, count);
			else
				memcpy(data, dv.bar1 + off, count);
		} else if (region == 0 && off < 0x1000) {
			uint64_t v = 0;

			if (wr) {
				memcpy(&v, p + 16, count < 8 ? count : 8);
				cc_write((uint32_t)off, le64toh(v));
			} else {
				v = htole64(cc_read((uint32_t)off));
				memcpy(data, &v, count < 8 ? count : 8);
			}
		} else if (region == 0 && off == ISR_OFF && !wr) {
			data[0] = dv.isr;
			dv.isr = 0;
			dv.isr_reads++;
		} else if (region == 0 && off >= NOTIFY_OFF && wr) {
			uint16_t qn = r16(p + 16);

			if (!(dv.status & 4))
				break;
			if (qn == 0 && !serve_cmdq())
				return false;
			if (qn == 1)
				serve_eventq();
		}
		break;
	}
	case VFU_CMD_DEVICE_RESET:
		dev_reset();
		break;
	default:
		return false;
	}
	return true;
}

static void *dev_main(void *arg)
{
	(void)arg;
	dv.fd = accept(dv.lfd, NULL, NULL);
	while (dv.fd >= 0) {
		uint8_t hdr[16], *body, out[16 + 512 + 64];
		int fds[8];
		unsigned int nfds = 0;
		struct vfu_hdr hd, rh;
		size_t olen = 0;
		bool go;

		if (!recv_exact(dv.fd, hdr, 16, fds, &nfds))
			break;
		vfu_hdr_decode(hdr, &hd);
		if (hd.size < 16 || hd.size > (1u << 20))
			break;
		body = calloc(1, hd.size - 16 + 1);
		if (hd.size > 16 && !recv_exact(dv.fd, body, hd.size - 16, fds, &nfds)) {
			free(body);
			break;
		}
		go = handle(&hd, body, hd.size - 16, fds, nfds, out + 16, &olen);
		free(body);
		for (unsigned int i = 0; i < nfds; i++)
			close(fds[i]);
		if (!go)
			break;
		if (hd.flags & VFU_F_NO_REPLY)
			continue;
		rh = (struct vfu_hdr){.msg_id = hd.msg_id,
				      .cmd = hd.cmd,
				      .size = (uint32_t)(16 + olen),
				      .flags = VFU_F_TYPE_REPLY};
		vfu_hdr_encode(out, &rh);
		if (send(dv.fd, out, 16 + olen, MSG_NOSIGNAL) < 0)
			break;
	}
	if (dv.fd >= 0) {
		shutdown(dv.fd, SHUT_RDWR);
		close(dv.fd);
	}
	return NULL;
}

static void dev_start(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct scmi_sim_config sc = {.max_msg_size = 128};

	snprintf(dv.dir, sizeof(dv.dir), "/tmp/vvu.XXXXXX");
	cr_assert_not_null(mkdtemp(dv.dir));
	snprintf(dv.path, sizeof(dv.path), "%s/sock", dv.dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", dv.path);
	pthread_mutex_init(&dv.lock, NULL);
	memset(dv.irq_fds, 0xff, sizeof(dv.irq_fds));
	dv.q[0].max = 64;
	dv.q[1].max = 64;
	dev_reset();
	build_config();
	cr_assert_eq(scmi_sim_new(&sc, &dv.sim), 0);
	scmi_sim_set_emit(dv.sim, sim_emit, NULL);
	dv.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(dv.lfd, 0);
	cr_assert_eq(bind(dv.lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(dv.lfd, 1), 0);
	cr_assert_eq(pthread_create(&dv.thr, NULL, dev_main, NULL), 0);
}

static void dev_stop(void)
{
	if (h)
		scmi_close(h);
	h = NULL;
	/* The client is gone: the thread sees EOF (or was never reached). */
	shutdown(dv.lfd, SHUT_RDWR);
	close(dv.lfd);
	pthread_join(dv.thr, NULL);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++)
			if (dv.irq_fds[i][j] >= 0)
				close(dv.irq_fds[i][j]);
	if (dv.win)
		munmap(dv.win, dv.win_size);
	scmi_sim_free(dv.sim);
	unlink(dv.path);
	rmdir(dv.dir);
	memset(&dv, 0, sizeof(dv));
}

static void setup(void)
{
	memset(&dv, 0, sizeof(dv));
	test_log_init(&lg);
}

static char uri[256];
static unsigned int open_timeout_ms = 2000;

static int open_dev(const char *params)
{
	struct scmi_config cfg = test_config(&lg);

	cfg.timeout_ms = open_timeout_ms;
	snprintf(uri, sizeof(uri), "virtio-vfio-user://%s%s", dv.path, params ? params : "");
	return scmi_open(uri, &cfg, &h);
}

TestSuite(virtio_transport, .init = setup, .fini = dev_stop, .timeout = 60);

/* ---- tests ---------------------------------------------------------------- */

Test(virtio_transport, base_discovery_and_calls)
{
	uint64_t rate = 0;
	int n;

	dev_start();
	cr_assert_eq(open_dev(NULL), 0, "%s", lg.text);
	cr_assert_geq(h->version->major_ver, 1);
	cr_assert_gt(h->version->num_protocols, 0);
	cr_assert_not_null(h->clock_ops);
	n = h->clock_ops->count_get(h);
	cr_assert_gt(n, 0);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	cr_assert_gt(rate, 0);
	cr_assert_gt(dv.msix_irqs, 0, "interrupts came by MSI-X");
	cr_assert_eq(dv.intx_irqs, 0);
}

Test(virtio_transport, bad_uri)
{
	struct scmi_config cfg = test_config(&lg);

	cr_assert_eq(scmi_open("virtio-vfio-user://relative/sock", &cfg, &h), -EINVAL);
	cr_assert(test_log_contains(&lg, "absolute path"));
	cr_assert_eq(scmi_open("virtio-vfio-user:///nonexistent/sock?bogus=1", &cfg, &h), -EINVAL);
	cr_assert_eq(scmi_open("virtio-vfio-user:///nonexistent/sock?queue_size=3", &cfg, &h),
		     -EINVAL);
	cr_assert_eq(scmi_open("virtio-vfio-user:///nonexistent/sock?irq=msi", &cfg, &h), -EINVAL);
	cr_assert_lt(scmi_open("virtio-vfio-user:///nonexistent/sock", &cfg, &h), 0);
	h = NULL;
	dev_start();
}

struct worker {
	pthread_t thr;
	uint32_t clk;
	uint64_t rate;
	int ret;
};

static void *rate_worker(void *arg)
{
	struct worker *w = arg;

	w->ret = h->clock_ops->rate_get(h, w->clk, &w->rate);
	return NULL;
}

Test(virtio_transport, responses_out_of_order)
{
	struct worker w[4];
	uint64_t ref[4];

	dev_start();
	cr_assert_eq(open_dev(NULL), 0, "%s", lg.text);
	for (uint32_t i = 0; i < 4; i++)
		cr_assert_eq(h->clock_ops->rate_get(h, i, &ref[i]), 0);
	pthread_mutex_lock(&dv.lock);
	dv.hold_n = 4;
	pthread_mutex_unlock(&dv.lock);
	for (uint32_t i = 0; i < 4; i++) {
		w[i] = (struct worker){.clk = i};
		cr_assert_eq(pthread_create(&w[i].thr, NULL, rate_worker, &w[i]), 0);
	}
	for (uint32_t i = 0; i < 4; i++) {
		pthread_join(w[i].thr, NULL);
		cr_assert_eq(w[i].ret, 0, "clock %u: %d", i, w[i].ret);
		cr_assert_eq(w[i].rate, ref[i], "clock %u got its own answer", i);
	}
	cr_assert_eq(dv.reordered, 1, "the device answered the four in reverse order");
}

static atomic_int notified;
static int on_event(struct scmi_notifier_block *nb, unsigned int evt, const void *report);
/* Outlives the test body: notifications may be dispatched until
 * scmi_close() in the fini. */
static struct scmi_notifier_block nb = {.notifier_call = on_event};

static int on_event(struct scmi_notifier_block *b, unsigned int evt, const void *report)
{
	(void)b;
	(void)evt;
	(void)report;
	notified++;
	return SCMI_NOTIFY_OK;
}

static bool got_notification(void *arg)
{
	(void)arg;
	return notified > 0;
}

Test(virtio_transport, delayed_response_and_notification)
{
	uint32_t src = 0;
	uint64_t actual = 0, rate = 0;

	dev_start();
	cr_assert_eq(open_dev(NULL), 0, "%s", lg.text);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, 0x14, SCMI_EVENT_CLOCK_RATE_CHANGED,
							    &src, &nb),
		     0);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	cr_assert_eq(h->clock_ops->rate_set(h, 0, rate / 2,
					    SCMI_CLOCK_RATE_ASYNC | SCMI_CLOCK_RATE_ROUND_UP,
					    &actual),
		     0, "%s", lg.text);
	cr_assert_gt(actual, 0, "the delayed response came through the eventq");
	cr_assert(test_wait_until(got_notification, NULL, 2000), "a notification arrived");
	cr_assert_geq(dv.events_sent, 2);
	/* The eventq buffers were re-posted: it goes on working. */
	cr_assert_eq(h->clock_ops->rate_set(h, 0, rate, SCMI_CLOCK_RATE_ASYNC, &actual), 0);
	cr_assert_eq(actual, rate);
}

Test(virtio_transport, no_p2a_channels)
{
	uint32_t src = 0;
	uint64_t rate = 0;
	struct timespec t0, t1;
	int ret;

	dev_start();
	dv.no_p2a = true;
	cr_assert_eq(open_dev(NULL), 0, "%s", lg.text);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, 0x14, SCMI_EVENT_CLOCK_RATE_CHANGED,
							    &src, &nb),
		     -EOPNOTSUPP);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = h->clock_ops->rate_set(h, 0, rate, SCMI_CLOCK_RATE_ASYNC, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_neq(ret, -ETIMEDOUT);
	cr_assert_lt((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, 1000,
		     "refused (or done synchronously) fast");
	cr_assert_eq(dv.events_sent, 0);
	cr_assert_eq(dv.q[1].enable, 0, "no eventq set up");
}

Test(virtio_transport, no_version_1_refused)
{
	dev_start();
	dv.no_version1 = true;
	cr_assert_lt(open_dev(NULL), 0);
	h = NULL;
	cr_assert(test_log_contains(&lg, "VIRTIO_F_VERSION_1"), "%s", lg.text);
	cr_assert(dv.status & 0x80, "FAILED set");
}

Test(virtio_transport, malformed_used_entries)
{
	uint64_t rate = 0;

	dev_start();
	cr_assert_eq(open_dev(NULL), 0, "%s", lg.text);
	pthread_mutex_lock(&dv.lock);
	dv.bad_id_next = true;
	pthread_mutex_unlock(&dv.lock);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0, "the good entry after the bad ones");
	cr_assert(test_log_contains(&lg, "id beyond the queue"), "%s", lg.text);
	cr_assert(test_log_contains(&lg, "id not in flight"), "%s", lg.text);
	pthread_mutex_lock(&dv.lock);
	dv.bad_len_next = true;
	pthread_mutex_unlock(&dv.lock);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), -EPROTO);
	cr_assert(test_log_contains(&lg, "length beyond the buffer"), "%s", lg.text);
	cr_assert_eq(h->clock_ops->rate_get(h, 1, &rate), 0, "the transport goes on");
}

static void *rate_worker_any(void *arg)
{
	return rate_worker(arg);
}

Test(virtio_transport, server_disconnect_mid_transfer)
{
	struct worker w = {.clk = 0};
	struct timespec t0, t1;
	uint64_t rate;

	dev_start();
	cr_assert_eq(open_dev(NULL), 0, "%s", lg.text);
	pthread_mutex_lock(&dv.lock);
	dv.close_on_next_cmd = true;
	pthread_mutex_unlock(&dv.lock);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(pthread_create(&w.thr, NULL, rate_worker_any, &w), 0);
	pthread_join(w.thr, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_eq(w.ret, -ENOTCONN, "got %d", w.ret);
	cr_assert_lt((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, 2000);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), -ENOTCONN, "later calls fail at once");
	cr_assert(test_log_contains(&lg, "the device is gone"), "%s", lg.text);
}

Test(virtio_transport, intx_fallback)
{
	uint64_t rate = 0;

	dev_start();
	dv.no_msix = true;
	build_config();
	cr_assert_eq(open_dev(NULL), 0, "%s", lg.text);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	cr_assert_gt(dv.intx_irqs, 0);
	cr_assert_gt(dv.isr_reads, 0, "the ISR was read");
	cr_assert_eq(dv.msix_irqs, 0);
}

Test(virtio_transport, irq_msix_required_but_absent)
{
	dev_start();
	dv.no_msix = true;
	build_config();
	cr_assert_lt(open_dev("?irq=msix"), 0);
	h = NULL;
	cr_assert(test_log_contains(&lg, "irq=msix"), "%s", lg.text);
}

Test(virtio_transport, forced_intx_and_small_queue)
{
	uint64_t rate = 0;

	dev_start();
	cr_assert_eq(open_dev("?irq=intx&queue_size=4"), 0, "%s", lg.text);
	cr_assert_eq(dv.q[0].size, 4);
	for (uint32_t i = 0; i < 8; i++)
		cr_assert_eq(h->clock_ops->rate_get(h, i % 4, &rate), 0);
	cr_assert_gt(dv.intx_irqs, 0);
	cr_assert_eq(dv.msix_irqs, 0);
}

Test(virtio_transport, timed_out_command_keeps_its_slot_until_returned)
{
	uint64_t ref0 = 0, ref1 = 0, rate = 0;
	struct worker w[2];

	dev_start();
	open_timeout_ms = 500;
	/* Two slots only (a cmdq of 4 entries). */
	cr_assert_eq(open_dev("?queue_size=4"), 0, "%s", lg.text);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &ref0), 0);
	cr_assert_eq(h->clock_ops->rate_get(h, 2, &ref1), 0);
	cr_assert_neq(ref0, ref1);
	/* The first answer is held until a second command comes, then both
	 * are returned in order: the first one late, after its timeout. */
	pthread_mutex_lock(&dv.lock);
	dv.hold_n = 2;
	dv.hold_in_order = true;
	pthread_mutex_unlock(&dv.lock);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), -ETIMEDOUT);
	cr_assert_eq(h->clock_ops->rate_get(h, 2, &rate), 0);
	cr_assert_eq(rate, ref1, "the late answer for clock 0 was not taken for clock 2's");
	/* Both slots are free again: two commands the device answers only
	 * together need both. */
	pthread_mutex_lock(&dv.lock);
	dv.hold_n = 2;
	dv.hold_in_order = false;
	pthread_mutex_unlock(&dv.lock);
	for (uint32_t i = 0; i < 2; i++) {
		w[i] = (struct worker){.clk = i * 2};
		cr_assert_eq(pthread_create(&w[i].thr, NULL, rate_worker, &w[i]), 0);
	}
	for (uint32_t i = 0; i < 2; i++) {
		pthread_join(w[i].thr, NULL);
		cr_assert_eq(w[i].ret, 0, "command %u: %d", i, w[i].ret);
	}
	cr_assert_eq(w[0].rate, ref0);
	cr_assert_eq(w[1].rate, ref1);
}

static bool evq_drop_logged(void *arg)
{
	(void)arg;
	return test_log_contains(&lg, "eventq message dropped");
}

Test(virtio_transport, eventq_bad_entries_dropped_and_buffer_reposted)
{
	uint32_t src = 0;
	uint64_t rate = 0, actual = 0;

	dev_start();
	cr_assert_eq(open_dev(NULL), 0, "%s", lg.text);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, 0x14, SCMI_EVENT_CLOCK_RATE_CHANGED,
							    &src, &nb),
		     0);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	pthread_mutex_lock(&dv.lock);
	dv.evq_bad_next = true;
	pthread_mutex_unlock(&dv.lock);
	/* The synchronous set's RATE_CHANGED notification is the one spoilt. */
	cr_assert_eq(h->clock_ops->rate_set(h, 0, rate / 2, SCMI_CLOCK_RATE_ROUND_UP, NULL), 0);
	cr_assert(test_wait_until(evq_drop_logged, NULL, 2000), "%s", lg.text);
	cr_assert(test_log_contains(&lg, "eventq used entry dropped"), "%s", lg.text);
	/* The eventq still works: a delayed response comes through. */
	cr_assert_eq(h->clock_ops->rate_set(h, 0, rate, SCMI_CLOCK_RATE_ASYNC, &actual), 0, "%s",
		     lg.text);
	cr_assert_eq(actual, rate);
}

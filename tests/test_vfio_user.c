// SPDX-License-Identifier: BSD-3-Clause
/*
 * The vfio-user client (transports/virtio-vfio-user/vfio_user.c) against a
 * fake server: a thread on the other end of a socketpair that speaks just
 * enough of the protocol and misbehaves on request (one fault for the next
 * command of a given kind).
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

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

/* ---- the fake server ------------------------------------------------------ */

enum fault {
	F_NONE,
	F_SHORT,     /* payload cut to half, size consistent */
	F_LONG,	     /* 4 bytes too many, size consistent */
	F_HDR_SIZE,  /* header size 8: framing broken */
	F_WRONG_CMD, /* reply names another command */
	F_WRONG_ID,  /* reply has another message id */
	F_ERROR,     /* error reply with fault_errno */
	F_EXTRA_FD,  /* one fd where none is due */
	F_MANY_FDS,  /* 20 fds */
	F_TWO_FDS,   /* two fds for an mmap-able region */
	F_NO_FD,     /* mmap-able region without its fd */
	F_CLOSE,     /* close instead of replying */
	F_CLOSE_MID, /* header and half the payload, then close */
	F_STALL,     /* reply only once released */
	F_DMA,	     /* a DMA request before the reply */
	F_NOT_REPLY, /* reply flagged as a command */
	F_BAD_AREA,  /* region 2: a sparse area beyond the region */
	F_CAP_LOOP,  /* region 2: the type cap points to itself */
	F_BAD_ECHO,  /* the echoed offset / address / index off by one */
	F_ID_TWICE,  /* a reply with another id, then the right one */
};

#define BAR2_SIZE   0x3000u
#define SRV_WINDOWS 4

struct fake {
	int fd;
	pthread_t thr;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* VERSION reply */
	uint16_t major, minor;
	const char *json; /* NULL: a libvfio-user-like one */
	size_t json_len;  /* bytes sent (0: strlen + 1) */
	bool no_json;
	char *client_json; /* what the client sent */
	uint16_t client_major, client_minor;
	/* device */
	uint8_t cfg[256];
	uint8_t bar0[4096];
	int bar2_fd;
	int bar2_fd_sent;  /* the fd passed for region 2 (-1: bar2_fd) */
	bool old_lvu;	   /* region 2 info: full size even when asked 32 */
	bool reply_posted; /* reply to NO_REPLY commands all the same */
	uint8_t *bar2;
	uint32_t irq_count[5];
	int irq_fds[5][8];
	unsigned int irq_fd_msgs; /* SET_IRQS messages with fds */
	struct {
		bool used;
		uint64_t iova, size;
		uint32_t flags;
		uint8_t *ptr;
		bool had_fd;
		int fd;
	} win[SRV_WINDOWS];
	unsigned int resets;
	unsigned int seen[32];
	/* fault for the next command @fault_cmd (0: any) */
	enum fault fault;
	uint16_t fault_cmd;
	unsigned int fault_skip; /* matching commands let through first */
	uint32_t fault_errno;
	bool released;
	bool stalled; /* a reply is being held */
	/* F_DMA: the request and what came back */
	uint16_t dma_cmd;
	uint64_t dma_addr, dma_count;
	uint8_t dma_data[64];
	struct vfu_hdr dma_reply;
	uint8_t dma_reply_body[128];
	size_t dma_reply_len;
	bool dma_done;
};

static struct fake srv;
static struct test_log lg;
static struct vfu_client *cl;

static bool srv_recv_exact(int fd, void *buf, size_t len, int *fds, unsigned int *nfds)
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
				if (fds && *nfds < 8)
					fds[(*nfds)++] = f;
				else
					close(f);
			}
		}
		got += (size_t)n;
	}
	return true;
}

static void srv_send(int fd, const void *buf, size_t len, const int *fds, unsigned int nfds)
{
	char ctl[CMSG_SPACE(32 * sizeof(int))];
	struct iovec iov = {(void *)buf, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (nfds) {
		struct cmsghdr *cm;

		memset(ctl, 0, sizeof(ctl));
		mh.msg_control = ctl;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	(void)!sendmsg(fd, &mh, MSG_NOSIGNAL);
}

/* A reply in the making. */
struct reply {
	struct vfu_hdr h;
	uint8_t body[512];
	size_t len;
	int fds[2];
	unsigned int nfds;
};

static void reply_error(struct reply *rp, uint32_t err)
{
	rp->h.flags |= VFU_F_ERROR;
	rp->h.error = err;
	rp->len = 0;
}

static void *srv_region(uint32_t index, uint64_t off, uint64_t count)
{
	switch (index) {
	case 0:
		return off <= sizeof(srv.bar0) && count <= sizeof(srv.bar0) - off ? srv.bar0 + off
										  : NULL;
	case 2:
		return off <= BAR2_SIZE && count <= BAR2_SIZE - off ? srv.bar2 + off : NULL;
	case 7:
		return off <= sizeof(srv.cfg) && count <= sizeof(srv.cfg) - off ? srv.cfg + off
										: NULL;
	}
	return NULL;
}

static void srv_version(const uint8_t *p, size_t len, struct reply *rp)
{
	static const char def[] =
		"{ \"capabilities\": { \"max_msg_fds\": 8, "
		"\"max_data_xfer_size\": 1048576, \"migration\": { \"pgsize\": 4096 } } }";
	const char *json = srv.json ? srv.json : def;
	size_t jl = srv.json ? (srv.json_len ? srv.json_len : strlen(json) + 1) : sizeof(def);

	srv.client_major = (uint16_t)(p[0] | p[1] << 8);
	srv.client_minor = (uint16_t)(p[2] | p[3] << 8);
	if (len > 4)
		srv.client_json = strndup((const char *)p + 4, len - 4);
	w16(rp->body, srv.major);
	w16(rp->body + 2, srv.minor);
	rp->len = 4;
	if (!srv.no_json) {
		memcpy(rp->body + 4, json, jl);
		rp->len += jl;
	}
}

static void srv_region_info(const uint8_t *p, struct reply *rp)
{
	uint32_t argsz = r32(p), index = r32(p + 8);

	memset(rp->body, 0, 32);
	w32(rp->body + 8, index);
	rp->len = 32;
	w32(rp->body, 32);
	switch (index) {
	case 0:
		w32(rp->body + 4, VFU_REGION_F_READ | VFU_REGION_F_WRITE);
		w64(rp->body + 16, sizeof(srv.bar0));
		break;
	case 2: /* two mmap-able areas around a trapped page, a type cap */
		w32(rp->body, 32 + 48 + 16);
		w32(rp->body + 4,
		    VFU_REGION_F_READ | VFU_REGION_F_WRITE | VFU_REGION_F_MMAP | VFU_REGION_F_CAPS);
		w32(rp->body + 12, 32);
		w64(rp->body + 16, BAR2_SIZE);
		if (argsz < 96) {
			/* as libvfio-user: caps and fd only with room; older
			 * versions send the full size anyway, caps zeroed */
			if (srv.old_lvu)
				rp->len = 96;
			break;
		}
		w16(rp->body + 32, VFU_REGION_CAP_SPARSE_MMAP);
		w16(rp->body + 34, 1);
		w32(rp->body + 36, 80);
		w32(rp->body + 40, 2);
		w64(rp->body + 48, 0);
		w64(rp->body + 56, 0x1000);
		w64(rp->body + 64, 0x2000);
		w64(rp->body + 72, 0x1000);
		w16(rp->body + 80, VFU_REGION_CAP_TYPE);
		w16(rp->body + 82, 1);
		w32(rp->body + 84, 0);
		w32(rp->body + 88, 0x1234);
		w32(rp->body + 92, 7);
		rp->len = 96;
		rp->fds[rp->nfds++] = srv.bar2_fd_sent >= 0 ? srv.bar2_fd_sent : srv.bar2_fd;
		break;
	case 7:
		w32(rp->body + 4, VFU_REGION_F_READ | VFU_REGION_F_WRITE);
		w64(rp->body + 16, sizeof(srv.cfg));
		break;
	default:
		if (index >= 9)
			reply_error(rp, EINVAL);
	}
}

static void srv_region_access(uint16_t cmd, const uint8_t *p, size_t len, struct reply *rp)
{
	uint64_t off = r64(p);
	uint32_t index = r32(p + 8), count = r32(p + 12);
	uint8_t *mem = srv_region(index, off, count);

	if (!mem || count > 256 || (cmd == VFU_CMD_REGION_WRITE && len != 16u + count)) {
		reply_error(rp, EINVAL);
		return;
	}
	memcpy(rp->body, p, 16);
	rp->len = 16;
	if (cmd == VFU_CMD_REGION_READ) {
		memcpy(rp->body + 16, mem, count);
		rp->len += count;
	} else {
		memcpy(mem, p + 16, count);
	}
}

static void srv_dma_map(const uint8_t *p, const int *fds, unsigned int nfds, struct reply *rp)
{
	uint64_t iova = r64(p + 16), size = r64(p + 24);

	for (int i = 0; i < SRV_WINDOWS; i++) {
		if (srv.win[i].used)
			continue;
		srv.win[i].used = true;
		srv.win[i].iova = iova;
		srv.win[i].size = size;
		srv.win[i].flags = r32(p + 4);
		srv.win[i].had_fd = nfds == 1;
		srv.win[i].fd = nfds == 1 ? dup(fds[0]) : -1;
		if (nfds == 1)
			srv.win[i].ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
					      fds[0], (off_t)r64(p + 8));
		return;
	}
	reply_error(rp, ENOSPC);
}

static void srv_dma_unmap(const uint8_t *p, struct reply *rp)
{
	for (int i = 0; i < SRV_WINDOWS; i++) {
		if (srv.win[i].used && srv.win[i].iova == r64(p + 8) &&
		    srv.win[i].size == r64(p + 16)) {
			if (srv.win[i].ptr)
				munmap(srv.win[i].ptr, srv.win[i].size);
			if (srv.win[i].fd >= 0)
				close(srv.win[i].fd);
			memset(&srv.win[i], 0, sizeof(srv.win[i]));
			memcpy(rp->body, p, 24);
			rp->len = 24;
			return;
		}
	}
	reply_error(rp, EINVAL);
}

static void srv_set_irqs(const uint8_t *p, const int *fds, unsigned int nfds, struct reply *rp)
{
	uint32_t flags = r32(p + 4), index = r32(p + 8), start = r32(p + 12), count = r32(p + 16);

	if (index >= 5 ||
	    (count && (start >= srv.irq_count[index] || count > srv.irq_count[index] - start))) {
		reply_error(rp, EINVAL);
		return;
	}
	if (flags == (VFU_IRQ_SET_DATA_NONE | VFU_IRQ_SET_ACTION_TRIGGER) && count == 0) {
		for (int i = 0; i < 8; i++) {
			if (srv.irq_fds[index][i] >= 0)
				close(srv.irq_fds[index][i]);
			srv.irq_fds[index][i] = -1;
		}
		return;
	}
	if (flags != (VFU_IRQ_SET_DATA_EVENTFD | VFU_IRQ_SET_ACTION_TRIGGER) ||
	    (nfds && nfds != count)) {
		reply_error(rp, EINVAL);
		return;
	}
	if (nfds)
		srv.irq_fd_msgs++;
	for (uint32_t i = 0; i < count; i++) {
		int *slot = &srv.irq_fds[index][start + i];

		if (*slot >= 0)
			close(*slot);
		*slot = nfds ? dup(fds[i]) : -1;
	}
}

/* F_DMA: ask the client, read its reply. */
static void srv_do_dma(void)
{
	uint8_t msg[16 + 16 + 64], hdr[16];
	struct vfu_hdr h = {.msg_id = 0x7777, .cmd = srv.dma_cmd, .flags = VFU_F_TYPE_CMD};
	size_t len = 16 + 16;

	w64(msg + 16, srv.dma_addr);
	w64(msg + 24, srv.dma_count);
	if (srv.dma_cmd == VFU_CMD_DMA_WRITE && srv.dma_count <= sizeof(srv.dma_data)) {
		memcpy(msg + 32, srv.dma_data, srv.dma_count);
		len += srv.dma_count;
	}
	h.size = (uint32_t)len;
	vfu_hdr_encode(msg, &h);
	srv_send(srv.fd, msg, len, NULL, 0);
	if (!srv_recv_exact(srv.fd, hdr, 16, NULL, NULL))
		return;
	vfu_hdr_decode(hdr, &srv.dma_reply);
	srv.dma_reply_len = srv.dma_reply.size - 16;
	if (srv.dma_reply_len > sizeof(srv.dma_reply_body) ||
	    !srv_recv_exact(srv.fd, srv.dma_reply_body, srv.dma_reply_len, NULL, NULL))
		return;
	srv.dma_done = true;
}

static void srv_reply(struct reply *rp, enum fault f)
{
	uint8_t buf[16 + 512 + 8];
	int extra[20];
	size_t len = rp->len;
	unsigned int n = 0;

	switch (f) {
	case F_SHORT:
		len /= 2;
		break;
	case F_LONG:
		memset(rp->body + len, 0, 4);
		len += 4;
		break;
	case F_WRONG_CMD:
		rp->h.cmd = rp->h.cmd == VFU_CMD_DEVICE_RESET ? VFU_CMD_DEVICE_GET_INFO
							      : VFU_CMD_DEVICE_RESET;
		break;
	case F_WRONG_ID:
		rp->h.msg_id += 100;
		break;
	case F_ERROR:
		reply_error(rp, srv.fault_errno);
		len = 0;
		break;
	case F_NO_FD:
		rp->nfds = 0;
		break;
	case F_NOT_REPLY:
		rp->h.flags &= ~VFU_F_TYPE_MASK;
		break;
	case F_BAD_AREA:
		w64(rp->body + 72, 0x10000);
		break;
	case F_CAP_LOOP:
		w32(rp->body + 84, 80);
		break;
	case F_BAD_ECHO:
		if (rp->h.cmd == VFU_CMD_REGION_READ || rp->h.cmd == VFU_CMD_REGION_WRITE)
			w64(rp->body, r64(rp->body) + 1);
		else if (rp->h.cmd == VFU_CMD_DMA_UNMAP)
			w64(rp->body + 8, r64(rp->body + 8) + 0x1000);
		else
			w32(rp->body + 8, r32(rp->body + 8) + 1); /* an index */
		break;
	default:
		break;
	}
	rp->h.size = (uint32_t)(16 + len);
	if (f == F_HDR_SIZE)
		rp->h.size = 8;
	if (f == F_ID_TWICE) {
		struct vfu_hdr other = rp->h;

		other.msg_id += 100;
		vfu_hdr_encode(buf, &other);
		memcpy(buf + 16, rp->body, len);
		srv_send(srv.fd, buf, 16 + len, NULL, 0);
	}
	vfu_hdr_encode(buf, &rp->h);
	memcpy(buf + 16, rp->body, len);
	if (f == F_CLOSE_MID) {
		srv_send(srv.fd, buf, 16 + len / 2, NULL, 0);
		shutdown(srv.fd, SHUT_RDWR);
		return;
	}
	memcpy(extra, rp->fds, rp->nfds * sizeof(int));
	n = rp->nfds;
	if (f == F_EXTRA_FD || f == F_TWO_FDS)
		extra[n++] = srv.bar2_fd;
	if (f == F_MANY_FDS)
		while (n < 20)
			extra[n++] = srv.bar2_fd;
	srv_send(srv.fd, buf, 16 + len, extra, n);
}

static void *srv_main(void *arg)
{
	for (;;) {
		uint8_t hdr[16], *body = NULL;
		int fds[8];
		unsigned int nfds = 0;
		struct vfu_hdr h;
		struct reply rp = {0};
		enum fault f = F_NONE;
		size_t len;

		if (!srv_recv_exact(srv.fd, hdr, 16, fds, &nfds))
			break;
		vfu_hdr_decode(hdr, &h);
		len = h.size - 16;
		if (h.size < 16 || len > (1u << 20))
			break;
		body = calloc(1, len + 1);
		if (len && !srv_recv_exact(srv.fd, body, len, fds, &nfds)) {
			free(body);
			break;
		}
		pthread_mutex_lock(&srv.lock);
		if ((h.flags & VFU_F_TYPE_MASK) == VFU_F_TYPE_REPLY) {
			/* the client's answer to a request sent by the test */
			srv.dma_reply = h;
			srv.dma_reply_len = len;
			memcpy(srv.dma_reply_body, body,
			       len < sizeof(srv.dma_reply_body) ? len : sizeof(srv.dma_reply_body));
			srv.dma_done = true;
			pthread_mutex_unlock(&srv.lock);
			for (unsigned int i = 0; i < nfds; i++)
				close(fds[i]);
			free(body);
			continue;
		}
		if (h.cmd < 32)
			srv.seen[h.cmd]++;
		if (srv.fault && (!srv.fault_cmd || srv.fault_cmd == h.cmd)) {
			if (srv.fault_skip) {
				srv.fault_skip--;
			} else {
				f = srv.fault;
				srv.fault = F_NONE;
			}
		}
		rp.h = (struct vfu_hdr){
			.msg_id = h.msg_id, .cmd = h.cmd, .flags = VFU_F_TYPE_REPLY};
		switch (h.cmd) {
		case VFU_CMD_VERSION:
			srv_version(body, len, &rp);
			break;
		case VFU_CMD_DEVICE_GET_INFO:
			w32(rp.body, 16);
			w32(rp.body + 4, VFU_DEV_F_RESET | VFU_DEV_F_PCI);
			w32(rp.body + 8, 9);
			w32(rp.body + 12, 5);
			rp.len = 16;
			break;
		case VFU_CMD_DEVICE_GET_REGION_INFO:
			srv_region_info(body, &rp);
			break;
		case VFU_CMD_REGION_READ:
		case VFU_CMD_REGION_WRITE:
			srv_region_access(h.cmd, body, len, &rp);
			break;
		case VFU_CMD_DMA_MAP:
			srv_dma_map(body, fds, nfds, &rp);
			break;
		case VFU_CMD_DMA_UNMAP:
			srv_dma_unmap(body, &rp);
			break;
		case VFU_CMD_DEVICE_GET_IRQ_INFO:
			w32(rp.body, 16);
			w32(rp.body + 4, VFU_IRQ_F_EVENTFD);
			w32(rp.body + 8, r32(body + 8));
			w32(rp.body + 12, r32(body + 8) < 5 ? srv.irq_count[r32(body + 8)] : 0);
			rp.len = 16;
			break;
		case VFU_CMD_DEVICE_SET_IRQS:
			srv_set_irqs(body, fds, nfds, &rp);
			break;
		case VFU_CMD_DEVICE_RESET:
			srv.resets++;
			break;
		default:
			reply_error(&rp, EINVAL);
		}
		for (unsigned int i = 0; i < nfds; i++)
			close(fds[i]);
		free(body);
		if ((h.flags & VFU_F_NO_REPLY) && !srv.reply_posted) {
			pthread_mutex_unlock(&srv.lock);
			continue;
		}
		if (f == F_CLOSE) {
			pthread_mutex_unlock(&srv.lock);
			shutdown(srv.fd, SHUT_RDWR);
			break;
		}
		if (f == F_STALL) {
			srv.stalled = true;
			pthread_cond_broadcast(&srv.cond);
			while (!srv.released)
				pthread_cond_wait(&srv.cond, &srv.lock);
			srv.stalled = false;
			f = F_NONE;
		}
		if (f == F_DMA) {
			srv_do_dma();
			f = F_NONE;
		}
		srv_reply(&rp, f);
		pthread_mutex_unlock(&srv.lock);
		if (f == F_CLOSE_MID)
			break;
	}
	return NULL;
}

/* ---- fixture ----------------------------------------------------------- */

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n++;
	closedir(d);
	return n;
}

static int disc_err, disc_calls; /* what the disconnected callback saw */

static void on_disconnect(void *priv, int err)
{
	*(int *)priv = err;
	disc_calls++;
}

static struct vfu_client_config client_config(unsigned int timeout_ms)
{
	return (struct vfu_client_config){.log = test_log_fn,
					  .log_priv = &lg,
					  .log_level = SCMI_LOG_DEBUG,
					  .timeout_ms = timeout_ms ? timeout_ms : 10000,
					  .disconnected = on_disconnect,
					  .disconnected_priv = &disc_err};
}

/* The fake server's device, before any connection. */
static void srv_init(void)
{
	disc_err = 0;
	disc_calls = 0;
	test_log_init(&lg);
	memset(&srv, 0, sizeof(srv));
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.cond, NULL);
	srv.minor = 2;
	srv.bar2_fd_sent = -1;
	srv.irq_count[VFU_PCI_INTX_IRQ] = 1;
	srv.irq_count[VFU_PCI_MSIX_IRQ] = 3;
	memset(srv.irq_fds, 0xff, sizeof(srv.irq_fds));
	for (size_t i = 0; i < sizeof(srv.cfg); i++)
		srv.cfg[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(srv.bar0); i++)
		srv.bar0[i] = (uint8_t)(i * 7);
	srv.bar2_fd = memfd_create("bar2", MFD_CLOEXEC);
	cr_assert_geq(srv.bar2_fd, 0);
	cr_assert_eq(ftruncate(srv.bar2_fd, BAR2_SIZE), 0);
	srv.bar2 = mmap(NULL, BAR2_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, srv.bar2_fd, 0);
	cr_assert_neq(srv.bar2, MAP_FAILED);
}

/* Start the fake server on a socketpair and attach a client (not
 * negotiated). */
static void start(unsigned int timeout_ms)
{
	struct vfu_client_config cfg = client_config(timeout_ms);
	int sv[2];

	srv_init();
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	srv.fd = sv[1];
	cr_assert_eq(pthread_create(&srv.thr, NULL, srv_main, NULL), 0);
	cr_assert_eq(vfu_client_attach(sv[0], &cfg, &cl), 0);
}

/* Start and negotiate. */
static void start_ready(unsigned int timeout_ms)
{
	start(timeout_ms);
	cr_assert_eq(vfu_client_negotiate(cl), 0, "%s", lg.text);
}

static void stop(void)
{
	vfu_client_close(cl);
	cl = NULL;
	pthread_mutex_lock(&srv.lock);
	srv.released = true;
	pthread_cond_broadcast(&srv.cond);
	pthread_mutex_unlock(&srv.lock);
	pthread_join(srv.thr, NULL);
	close(srv.fd);
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 8; j++)
			if (srv.irq_fds[i][j] >= 0)
				close(srv.irq_fds[i][j]);
	for (int i = 0; i < SRV_WINDOWS; i++) {
		if (srv.win[i].ptr)
			munmap(srv.win[i].ptr, srv.win[i].size);
		if (srv.win[i].used && srv.win[i].fd >= 0)
			close(srv.win[i].fd);
	}
	munmap(srv.bar2, BAR2_SIZE);
	close(srv.bar2_fd);
	free(srv.client_json);
}

static void fault_after(enum fault f, uint16_t cmd, unsigned int skip)
{
	pthread_mutex_lock(&srv.lock);
	srv.fault = f;
	srv.fault_cmd = cmd;
	srv.fault_skip = skip;
	pthread_mutex_unlock(&srv.lock);
}

static void fault(enum fault f, uint16_t cmd)
{
	fault_after(f, cmd, 0);
}

static void expect_log(const char *needle)
{
	cr_assert(test_log_contains(&lg, needle), "log lacks '%s':\n%s", needle, lg.text);
}

/* ---- version negotiation --------------------------------------------- */

Test(vfio_user, version_negotiation)
{
	json_object *top, *caps, *v;

	start_ready(0);
	cr_assert_eq(srv.client_major, 0);
	cr_assert_eq(srv.client_minor, 2);
	/* our JSON: NUL-terminated, the two capabilities */
	top = json_tokener_parse(srv.client_json);
	cr_assert_not_null(top, "client JSON: %s", srv.client_json);
	cr_assert(json_object_object_get_ex(top, "capabilities", &caps));
	cr_assert(json_object_object_get_ex(caps, "max_msg_fds", &v));
	cr_assert_eq(json_object_get_int(v), 8);
	cr_assert(json_object_object_get_ex(caps, "max_data_xfer_size", &v));
	cr_assert_eq(json_object_get_int(v), 1 << 20);
	json_object_put(top);
	/* the server's: migration ignored, defaults for what it did not say */
	cr_assert_eq(vfu_client_server_caps(cl)->minor, 2);
	cr_assert_eq(vfu_client_server_caps(cl)->max_msg_fds, 8);
	cr_assert_eq(vfu_client_server_caps(cl)->max_data_xfer_size, 1 << 20);
	cr_assert_eq(vfu_client_server_caps(cl)->pgsizes, 4096);
	cr_assert_eq(vfu_client_server_caps(cl)->max_dma_maps, 65535);
	/* once only */
	cr_assert_eq(vfu_client_negotiate(cl), -EALREADY);
	stop();
}

Test(vfio_user, commands_need_version_first)
{
	struct vfu_device_info info;

	start(0);
	cr_assert_eq(vfu_device_get_info(cl, &info), -EINVAL);
	cr_assert_eq(srv.seen[VFU_CMD_DEVICE_GET_INFO], 0);
	stop();
}

/* Minimal and odd JSON a lenient client takes. */
static void version_ok(const char *json, size_t len, bool no_json, uint16_t minor,
		       uint32_t want_fds, uint64_t want_xfer)
{
	start(0);
	srv.json = json;
	srv.json_len = len;
	srv.no_json = no_json;
	srv.minor = minor;
	cr_assert_eq(vfu_client_negotiate(cl), 0, "%s: %s", json ? json : "(none)", lg.text);
	cr_assert_eq(vfu_client_server_caps(cl)->minor, minor);
	cr_assert_eq(vfu_client_server_caps(cl)->max_msg_fds, want_fds, "%s", json);
	cr_assert_eq(vfu_client_server_caps(cl)->max_data_xfer_size, want_xfer, "%s", json);
	stop();
}

#define NO_NUL "{\"capabilities\":{\"max_msg_fds\":4}}"

Test(vfio_user, version_lenient_json)
{
	version_ok(NULL, 0, true, 0, 1, 1 << 20);  /* no JSON at all */
	version_ok("{}", 0, false, 2, 1, 1 << 20); /* empty object */
	version_ok("", 0, false, 1, 1, 1 << 20);   /* just the NUL */
	version_ok("{\"capabilities\":{}}", 0, false, 2, 1, 1 << 20);
	/* no NUL at the end */
	version_ok(NO_NUL, sizeof(NO_NUL) - 1, false, 2, 4, 1 << 20);
	/* unknown keys, odd migration, whitespace, max_msg_fds 0 */
	version_ok(" {\"vendor\":[1,2], \"capabilities\":{\"max_msg_fds\":0, "
		   "\"migration\":\"whatever\", \"frob\":{}, \"max_data_xfer_size\":4096}}\n",
		   0, false, 2, 0, 4096);
	version_ok("{\"capabilities\":{\"twin_socket\":{\"supported\":false}}}", 0, false, 2, 1,
		   1 << 20);
}

static void version_bad(const char *json, uint16_t major, uint16_t minor, const char *why)
{
	struct vfu_device_info info;

	start(0);
	srv.json = json;
	srv.major = major;
	srv.minor = minor;
	cr_assert_eq(vfu_client_negotiate(cl), -EPROTO, "%s", json);
	expect_log(why);
	/* the client gave up on this server */
	cr_assert_not(vfu_client_connected(cl));
	cr_assert_eq(vfu_device_get_info(cl, &info), -ENOTCONN);
	stop();
}

Test(vfio_user, version_refused)
{
	version_bad(NULL, 1, 0, "major version is not 0");
	version_bad(NULL, 0, 3, "minor version above");
	version_bad("{\"capabilities\":", 0, 2, "does not parse");
	version_bad("[1]", 0, 2, "not an object");
	version_bad("{\"capabilities\":[]}", 0, 2, "\"capabilities\" is not an object");
	version_bad("{\"capabilities\":{\"max_msg_fds\":\"8\"}}", 0, 2, "max_msg_fds");
	version_bad("{\"capabilities\":{\"max_msg_fds\":2000}}", 0, 2, "max_msg_fds");
	version_bad("{\"capabilities\":{\"max_data_xfer_size\":0}}", 0, 2, "max_data_xfer_size");
	version_bad("{\"capabilities\":{\"max_data_xfer_size\":1.5}}", 0, 2, "max_data_xfer_size");
	version_bad("{\"capabilities\":{\"write_multiple\":1}}", 0, 2, "write_multiple");
	version_bad("{\"capabilities\":{\"twin_socket\":{\"supported\":true,\"fd_index\":0}}}", 0,
		    2, "twin socket");
	version_bad("{} x", 0, 2, "text after the JSON");
}

Test(vfio_user, version_short_reply)
{
	start(0);
	srv.no_json = true;
	fault(F_SHORT, VFU_CMD_VERSION); /* 2 bytes */
	cr_assert_eq(vfu_client_negotiate(cl), -EPROTO);
	expect_log("VERSION: reply payload is 2 bytes");
	stop();
}

/* ---- info, regions, accesses ------------------------------------------- */

Test(vfio_user, device_info)
{
	struct vfu_device_info info;

	start_ready(0);
	cr_assert_eq(vfu_device_get_info(cl, &info), 0);
	cr_assert_eq(info.flags, VFU_DEV_F_RESET | VFU_DEV_F_PCI);
	cr_assert_eq(info.num_regions, 9);
	cr_assert_eq(info.num_irqs, 5);
	stop();
}

Test(vfio_user, region_info_plain_and_absent)
{
	const struct vfu_region *r;

	start_ready(0);
	cr_assert_eq(vfu_region_get_info(cl, 7, &r), 0);
	cr_assert_eq(r->index, 7);
	cr_assert_eq(r->size, 256);
	cr_assert_eq(r->flags, VFU_REGION_F_READ | VFU_REGION_F_WRITE);
	cr_assert_eq(r->nr_areas, 0);
	cr_assert_eq(srv.seen[VFU_CMD_DEVICE_GET_REGION_INFO], 1, "no second request needed");
	cr_assert_eq(vfu_region_get_info(cl, 5, &r), 0);
	cr_assert_eq(r->size, 0);
	cr_assert_eq(vfu_region_get_info(cl, 9, &r), -EINVAL);
	expect_log("DEVICE_GET_REGION_INFO: server error 22");
	stop();
}

Test(vfio_user, region_sparse_mmap)
{
	const struct vfu_region *r;
	uint64_t v;
	unsigned int accesses;

	start_ready(0);
	cr_assert_eq(vfu_region_get_info(cl, 2, &r), 0, "%s", lg.text);
	/* asked with 32, then with the 96 the server needs */
	cr_assert_eq(srv.seen[VFU_CMD_DEVICE_GET_REGION_INFO], 2);
	cr_assert_eq(r->size, BAR2_SIZE);
	cr_assert_eq(r->nr_areas, 2);
	cr_assert_eq(r->nr_mapped, 2);
	cr_assert_eq(r->areas[0].offset, 0);
	cr_assert_eq(r->areas[1].offset, 0x2000);
	cr_assert(r->has_type);
	cr_assert_eq(r->type, 0x1234);
	cr_assert_eq(r->subtype, 7);

	/* accesses inside the areas go through the mapping: no message */
	accesses = srv.seen[VFU_CMD_REGION_READ] + srv.seen[VFU_CMD_REGION_WRITE];
	cr_assert_eq(vfu_region_write_val(cl, 2, 0x10, 4, 0xdeadbeef), 0);
	cr_assert_eq(r32(srv.bar2 + 0x10), 0xdeadbeef);
	srv.bar2[0x2008] = 0x5a;
	w16(srv.bar2 + 0x2006, 0xa55a);
	cr_assert_eq(vfu_region_read_val(cl, 2, 0x2008, 1, &v), 0);
	cr_assert_eq(v, 0x5a);
	cr_assert_eq(vfu_region_read_val(cl, 2, 0x2006, 2, &v), 0);
	cr_assert_eq(v, 0xa55a);
	cr_assert_eq(vfu_region_write_val(cl, 2, 0x2ff8, 8, 0x0102030405060708ull), 0);
	cr_assert_eq(r64(srv.bar2 + 0x2ff8), 0x0102030405060708ull);
	cr_assert_eq(vfu_region_read_val(cl, 2, 0x2ff8, 8, &v), 0);
	cr_assert_eq(v, 0x0102030405060708ull);
	cr_assert_eq(vfu_region_read_val(cl, 2, 0x2ffc, 4, &v), 0);
	cr_assert_eq(v, 0x01020304);
	cr_assert_eq(vfu_region_write_val(cl, 2, 0x20, 1, 0xab), 0);
	cr_assert_eq(vfu_region_write_val(cl, 2, 0x22, 2, 0xcdef), 0);
	cr_assert_eq(r32(srv.bar2 + 0x20), 0xcdef00ab);
	cr_assert_eq(srv.seen[VFU_CMD_REGION_READ] + srv.seen[VFU_CMD_REGION_WRITE], accesses);

	/* the trapped page between them takes messages */
	cr_assert_eq(vfu_region_write_val(cl, 2, 0x1004, 4, 0x11223344), 0);
	cr_assert_eq(r32(srv.bar2 + 0x1004), 0x11223344);
	cr_assert_eq(vfu_region_read_val(cl, 2, 0x1004, 2, &v), 0);
	cr_assert_eq(v, 0x3344);
	/* so does a misaligned access */
	cr_assert_eq(vfu_region_read_val(cl, 2, 0x11, 4, &v), 0);
	cr_assert_eq(v, 0xdeadbe);
	cr_assert_eq(srv.seen[VFU_CMD_REGION_READ] + srv.seen[VFU_CMD_REGION_WRITE], accesses + 3);

	/* checked against the region */
	cr_assert_eq(vfu_region_read_val(cl, 2, BAR2_SIZE - 2, 4, &v), -EINVAL);
	cr_assert_eq(vfu_region_read_val(cl, 2, 0, 3, &v), -EINVAL);
	cr_assert_eq(vfu_region_write_val(cl, 2, 0, 1, 0x100), -EINVAL);
	stop();
}

Test(vfio_user, region_info_full_size_first)
{
	const struct vfu_region *r;

	start_ready(0);
	srv.old_lvu = true;
	cr_assert_eq(vfu_region_get_info(cl, 2, &r), 0, "%s", lg.text);
	cr_assert_eq(srv.seen[VFU_CMD_DEVICE_GET_REGION_INFO], 2);
	cr_assert_eq(r->nr_areas, 2);
	cr_assert_eq(r->nr_mapped, 2);
	cr_assert(r->has_type);
	stop();
}

Test(vfio_user, region_mmap_without_fd)
{
	const struct vfu_region *r;
	uint64_t v;

	start_ready(0);
	/* the second request, the one that should carry the fd */
	fault_after(F_NO_FD, VFU_CMD_DEVICE_GET_REGION_INFO, 1);
	cr_assert_eq(vfu_region_get_info(cl, 2, &r), 0, "%s", lg.text);
	expect_log("region 2: MMAP set but no fd: using messages");
	cr_assert_eq(r->nr_areas, 2);
	cr_assert_eq(r->nr_mapped, 0);
	w32(srv.bar2 + 0x20, 0xcafe);
	cr_assert_eq(vfu_region_read_val(cl, 2, 0x20, 4, &v), 0);
	cr_assert_eq(v, 0xcafe);
	cr_assert_eq(srv.seen[VFU_CMD_REGION_READ], 1);
	stop();
}

Test(vfio_user, region_area_beyond_fd)
{
	const struct vfu_region *r;
	uint64_t v;
	int small;

	start_ready(0);
	/* a file of one page: the second area (at 0x2000) would SIGBUS */
	small = memfd_create("small", MFD_CLOEXEC);
	cr_assert_eq(ftruncate(small, 0x1000), 0);
	srv.bar2_fd_sent = small;
	cr_assert_eq(vfu_region_get_info(cl, 2, &r), 0, "%s", lg.text);
	expect_log("region 2: area 0x2000+0x1000 lies beyond the end of its fd: using messages");
	cr_assert_eq(r->nr_mapped, 1);
	cr_assert_not_null(r->areas[0].ptr);
	cr_assert_null(r->areas[1].ptr);
	w32(srv.bar2 + 0x2000, 0x600d);
	cr_assert_eq(vfu_region_read_val(cl, 2, 0x2000, 4, &v), 0);
	cr_assert_eq(v, 0x600d);
	cr_assert_eq(srv.seen[VFU_CMD_REGION_READ], 1);
	stop();
	close(small);
}

Test(vfio_user, region_bad_caps)
{
	int fds = count_fds();

	start_ready(0);
	fault_after(F_BAD_AREA, VFU_CMD_DEVICE_GET_REGION_INFO, 1);
	cr_assert_eq(vfu_region_get_info(cl, 2, NULL), -EPROTO);
	expect_log("region 2: sparse area 0x2000+0x10000 beyond the region's 0x3000 bytes");
	fault_after(F_CAP_LOOP, VFU_CMD_DEVICE_GET_REGION_INFO, 1);
	cr_assert_eq(vfu_region_get_info(cl, 2, NULL), -EPROTO);
	expect_log("region 2: more than 16 capabilities (a loop?)");
	cr_assert_eq(vfu_region_get_info(cl, 2, NULL), 0);
	stop();
	cr_assert_eq(count_fds(), fds);
}

Test(vfio_user, region_messages)
{
	uint8_t buf[256], back[256];
	uint64_t v;

	start_ready(0);
	/* no info asked: messages, the server checks */
	cr_assert_eq(vfu_region_read(cl, 7, 0, buf, sizeof(buf)), 0);
	for (int i = 0; i < 256; i++)
		cr_assert_eq(buf[i], (uint8_t)i);
	cr_assert_eq(vfu_region_read_val(cl, 7, 0x10, 4, &v), 0);
	cr_assert_eq(v, 0x13121110);
	cr_assert_eq(vfu_region_write_val(cl, 7, 0x04, 2, 0x0006), 0);
	cr_assert_eq(srv.cfg[4], 6);
	cr_assert_eq(srv.cfg[5], 0);
	cr_assert_eq(vfu_region_write_val(cl, 0, 0x100, 8, 0x8877665544332211ull), 0);
	cr_assert_eq(r64(srv.bar0 + 0x100), 0x8877665544332211ull);
	cr_assert_eq(vfu_region_read_val(cl, 0, 0x100, 8, &v), 0);
	cr_assert_eq(v, 0x8877665544332211ull);
	cr_assert_eq(vfu_region_read_val(cl, 0, 0x101, 1, &v), 0);
	cr_assert_eq(v, 0x22);
	for (int i = 0; i < 256; i++)
		buf[i] = (uint8_t)(255 - i);
	cr_assert_eq(vfu_region_write(cl, 0, 0x200, buf, 200), 0);
	cr_assert_eq(vfu_region_read(cl, 0, 0x200, back, 200), 0);
	cr_assert_arr_eq(back, buf, 200);
	/* a server error comes back as its errno */
	cr_assert_eq(vfu_region_read(cl, 0, 4096, buf, 4), -EINVAL);
	/* with the info known, the client checks first */
	cr_assert_eq(vfu_region_get_info(cl, 0, NULL), 0);
	cr_assert_eq(vfu_region_read(cl, 0, 4090, buf, 8), -EINVAL);
	cr_assert_eq(vfu_region_read(cl, 0, UINT64_MAX, buf, 2), -EINVAL);
	stop();
}

Test(vfio_user, region_split_to_server_max_xfer)
{
	uint8_t buf[200], back[200];
	unsigned int before;

	start(0);
	srv.json = "{\"capabilities\":{\"max_data_xfer_size\":64}}";
	cr_assert_eq(vfu_client_negotiate(cl), 0);
	for (int i = 0; i < 200; i++)
		buf[i] = (uint8_t)(i ^ 0x5a);
	before = srv.seen[VFU_CMD_REGION_WRITE];
	cr_assert_eq(vfu_region_write(cl, 0, 8, buf, sizeof(buf)), 0);
	cr_assert_eq(srv.seen[VFU_CMD_REGION_WRITE] - before, 4); /* 64+64+64+8 */
	cr_assert_eq(vfu_region_read(cl, 0, 8, back, sizeof(back)), 0);
	cr_assert_eq(srv.seen[VFU_CMD_REGION_READ], 4);
	cr_assert_arr_eq(back, buf, sizeof(buf));
	stop();
}

/* ---- misbehaving replies ---------------------------------------------- */

/* One fault on DEVICE_GET_INFO: the call fails with @err and logs @why;
 * with @alive the next call works. */
static void info_fault(enum fault f, int err, const char *why, bool alive)
{
	struct vfu_device_info info;
	int fds;

	fds = count_fds();
	start_ready(0);
	fault(f, VFU_CMD_DEVICE_GET_INFO);
	cr_assert_eq(vfu_device_get_info(cl, &info), err, "fault %d: %s", f, lg.text);
	expect_log(why);
	if (alive) {
		cr_assert(vfu_client_connected(cl));
		cr_assert_eq(disc_calls, 0);
		cr_assert_eq(vfu_device_get_info(cl, &info), 0, "after fault %d: %s", f, lg.text);
		cr_assert_eq(info.num_regions, 9);
	} else {
		cr_assert_not(vfu_client_connected(cl));
		cr_assert_eq(disc_calls, 1);
		cr_assert_eq(disc_err, err);
		cr_assert_eq(vfu_device_get_info(cl, &info), -ENOTCONN);
		cr_assert_eq(vfu_region_read_val(cl, 7, 0, 4, &(uint64_t){0}), -ENOTCONN);
		cr_assert_eq(disc_calls, 1, "told once");
	}
	stop();
	cr_assert_eq(count_fds(), fds, "fault %d leaks fds", f);
}

Test(vfio_user, reply_short)
{
	info_fault(F_SHORT, -EPROTO, "DEVICE_GET_INFO: reply payload is 8 bytes, expected 16",
		   true);
}

Test(vfio_user, reply_wrong_size)
{
	info_fault(F_LONG, -EPROTO, "DEVICE_GET_INFO: reply payload is 20 bytes, expected 16",
		   true);
}

Test(vfio_user, reply_impossible_size)
{
	info_fault(F_HDR_SIZE, -EPROTO, "message size 8 outside 16..", false);
}

Test(vfio_user, reply_wrong_command)
{
	info_fault(F_WRONG_CMD, -EPROTO, "DEVICE_GET_INFO: reply is for command 13 (DEVICE_RESET)",
		   true);
}

Test(vfio_user, reply_wrong_message_id)
{
	info_fault(F_WRONG_ID, -EPROTO, "DEVICE_GET_INFO: reply has message id 101, expected 1",
		   true);
}

Test(vfio_user, reply_wrong_id_then_right_one)
{
	struct vfu_device_info info;
	struct vfu_client_stats st;

	start_ready(0);
	fault(F_ID_TWICE, VFU_CMD_DEVICE_GET_INFO);
	cr_assert_eq(vfu_device_get_info(cl, &info), -EPROTO);
	/* the right reply, behind it, is dropped as late */
	cr_assert_eq(vfu_device_reset(cl), 0, "%s", lg.text);
	expect_log("late reply to DEVICE_GET_INFO (message id 1) dropped");
	vfu_client_get_stats(cl, &st);
	cr_assert_eq(st.late_replies, 1);
	stop();
}

Test(vfio_user, reply_error_errno)
{
	srv.fault_errno = 0;
	start_ready(0);
	srv.fault_errno = ENODEV;
	fault(F_ERROR, VFU_CMD_DEVICE_RESET);
	cr_assert_eq(vfu_device_reset(cl), -ENODEV);
	expect_log("DEVICE_RESET: server error 19");
	/* no errno: a generic failure */
	srv.fault_errno = 0;
	fault(F_ERROR, VFU_CMD_DEVICE_RESET);
	cr_assert_eq(vfu_device_reset(cl), -EIO);
	expect_log("DEVICE_RESET: server error without errno");
	srv.fault_errno = 100000;
	fault(F_ERROR, VFU_CMD_DEVICE_RESET);
	cr_assert_eq(vfu_device_reset(cl), -EINVAL);
	expect_log("server error 100000 is no errno");
	cr_assert_eq(vfu_device_reset(cl), 0);
	stop();
}

Test(vfio_user, reply_unexpected_fd)
{
	info_fault(F_EXTRA_FD, -EPROTO, "DEVICE_GET_INFO: reply carries 1 fds, expected at most 0",
		   true);
}

Test(vfio_user, reply_too_many_fds)
{
	info_fault(F_MANY_FDS, -EPROTO, "DEVICE_GET_INFO: reply carries more than 16 fds", true);
}

Test(vfio_user, region_info_two_fds)
{
	int fds = count_fds();

	start_ready(0);
	fault_after(F_TWO_FDS, VFU_CMD_DEVICE_GET_REGION_INFO, 1);
	cr_assert_eq(vfu_region_get_info(cl, 2, NULL), -EPROTO);
	expect_log("DEVICE_GET_REGION_INFO: reply carries 2 fds, expected at most 1");
	/* an fd for a region that is not mmap-able */
	fault(F_EXTRA_FD, VFU_CMD_DEVICE_GET_REGION_INFO);
	cr_assert_eq(vfu_region_get_info(cl, 0, NULL), -EPROTO);
	expect_log("region 0: fd for a region without MMAP");
	cr_assert_eq(vfu_region_get_info(cl, 2, NULL), 0);
	stop();
	cr_assert_eq(count_fds(), fds);
}

Test(vfio_user, reply_flagged_as_command)
{
	struct vfu_device_info info;

	/* a "command" DEVICE_GET_INFO from the server is refused, and the
	 * real reply never comes: a timeout */
	start_ready(300);
	fault(F_NOT_REPLY, VFU_CMD_DEVICE_GET_INFO);
	cr_assert_eq(vfu_device_get_info(cl, &info), -ETIMEDOUT);
	expect_log("server sent DEVICE_GET_INFO (4), which only a client may send");
	stop();
}

Test(vfio_user, server_disconnects)
{
	info_fault(F_CLOSE, -ENOTCONN, "connection lost: the server closed the connection", false);
}

Test(vfio_user, server_disconnects_mid_reply)
{
	info_fault(F_CLOSE_MID, -ENOTCONN, "DEVICE_GET_INFO: message cut short after 8 of 16 bytes",
		   false);
}

Test(vfio_user, disconnect_callback_and_send_side)
{
	struct vfu_client_config cfg = {.disconnected = on_disconnect};
	struct vfu_device_info info;
	int sv[2], seen = 0, r;

	cfg.disconnected_priv = &seen;
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	cr_assert_eq(vfu_client_attach(sv[0], &cfg, &cl), 0);
	close(sv[1]); /* the server is gone before we say anything */
	r = vfu_client_negotiate(cl);
	cr_assert(r == -EPIPE || r == -ENOTCONN, "got %d", r);
	cr_assert_eq(seen, r);
	cr_assert_eq(vfu_device_get_info(cl, &info), -ENOTCONN);
	cr_assert_eq(vfu_client_process(cl), -ENOTCONN);
	vfu_client_close(cl);
}

static bool is_stalled(void *arg)
{
	bool s;

	pthread_mutex_lock(&srv.lock);
	s = srv.stalled;
	pthread_mutex_unlock(&srv.lock);
	return s;
}

Test(vfio_user, stalled_server_times_out)
{
	struct vfu_device_info info;
	struct vfu_client_stats st;
	uint64_t t0;

	start_ready(200);
	fault(F_STALL, VFU_CMD_DEVICE_GET_INFO);
	t0 = test_now_ms();
	cr_assert_eq(vfu_device_get_info(cl, &info), -ETIMEDOUT);
	cr_assert_geq(test_now_ms() - t0, 200);
	cr_assert_lt(test_now_ms() - t0, 2000);
	expect_log("DEVICE_GET_INFO: no reply within 200 ms");
	cr_assert(test_wait_until(is_stalled, NULL, 2000));
	/* the late reply comes first, is recognised and dropped */
	pthread_mutex_lock(&srv.lock);
	srv.released = true;
	pthread_cond_broadcast(&srv.cond);
	pthread_mutex_unlock(&srv.lock);
	cr_assert_eq(vfu_device_reset(cl), 0, "%s", lg.text);
	expect_log("late reply to DEVICE_GET_INFO (message id 1) dropped");
	vfu_client_get_stats(cl, &st);
	cr_assert_eq(st.late_replies, 1);
	cr_assert(vfu_client_connected(cl));
	stop();
}

/* ---- DMA ----------------------------------------------------------------- */

Test(vfio_user, dma_map_unmap)
{
	uint8_t *mem, *mem2;

	start_ready(0);
	cr_assert_eq(vfu_dma_map(cl, 0x10000000, 0x10000, VFU_DMA_F_READ | VFU_DMA_F_WRITE,
				 (void **)&mem),
		     0, "%s", lg.text);
	cr_assert(srv.win[0].used);
	cr_assert(srv.win[0].had_fd);
	cr_assert_eq(srv.win[0].iova, 0x10000000);
	cr_assert_eq(srv.win[0].size, 0x10000);
	cr_assert_eq(srv.win[0].flags, 3);
	/* the server cannot shrink it under us */
	pthread_mutex_lock(&srv.lock);
	cr_assert_neq(srv.win[0].fd, -1);
	cr_assert_eq(ftruncate(srv.win[0].fd, 0x1000), -1);
	cr_assert_eq(errno, EPERM);
	pthread_mutex_unlock(&srv.lock);
	/* the same memory on both sides */
	mem[0x123] = 0x42;
	cr_assert_eq(srv.win[0].ptr[0x123], 0x42);
	srv.win[0].ptr[0xfff0] = 0x24;
	cr_assert_eq(mem[0xfff0], 0x24);
	/* checks before sending */
	cr_assert_eq(vfu_dma_map(cl, 0x10008000, 0x10000, 3, (void **)&mem2), -EEXIST);
	cr_assert_eq(vfu_dma_map(cl, 0x20000001, 0x1000, 3, (void **)&mem2), -EINVAL);
	cr_assert_eq(vfu_dma_map(cl, 0x20000000, 0x1001, 3, (void **)&mem2), -EINVAL);
	cr_assert_eq(vfu_dma_map(cl, 0x20000000, 0x1000, 4, (void **)&mem2), -EINVAL);
	cr_assert_eq(vfu_dma_map(cl, UINT64_MAX - 0xfff, 0x2000, 3, (void **)&mem2), -EINVAL);
	cr_assert_eq(srv.seen[VFU_CMD_DMA_MAP], 1);
	/* a refused map frees its memory */
	srv.fault_errno = EEXIST;
	fault(F_ERROR, VFU_CMD_DMA_MAP);
	cr_assert_eq(vfu_dma_map(cl, 0x20000000, 0x1000, 1, (void **)&mem2), -EEXIST);
	cr_assert_eq(vfu_dma_map(cl, 0x20000000, 0x1000, 1, (void **)&mem2), 0);
	cr_assert_eq(vfu_dma_unmap(cl, 0x10000000), 0);
	cr_assert_not(srv.win[0].used);
	cr_assert_eq(vfu_dma_unmap(cl, 0x10000000), -ENOENT);
	cr_assert_eq(vfu_dma_unmap(cl, 0x20000000), 0);
	stop();
}

Test(vfio_user, dma_map_without_fds)
{
	uint8_t *mem;

	start(0);
	srv.json = "{\"capabilities\":{\"max_msg_fds\":0}}";
	cr_assert_eq(vfu_client_negotiate(cl), 0);
	cr_assert_eq(vfu_dma_map(cl, 0x1000, 0x1000, 3, (void **)&mem), 0);
	cr_assert(srv.win[0].used);
	cr_assert_not(srv.win[0].had_fd);
	/* and no eventfds either */
	cr_assert_eq(vfu_irq_set_eventfds(cl, 2, 0, 1, (int[]){0}), -EOPNOTSUPP);
	stop();
}

/* A DMA request from the server while the client waits for GET_INFO. */
static void dma_request(uint16_t cmd, uint64_t addr, uint64_t count, uint32_t want_err)
{
	struct vfu_device_info info;

	pthread_mutex_lock(&srv.lock);
	srv.dma_cmd = cmd;
	srv.dma_addr = addr;
	srv.dma_count = count;
	srv.dma_done = false;
	pthread_mutex_unlock(&srv.lock);
	fault(F_DMA, VFU_CMD_DEVICE_GET_INFO);
	cr_assert_eq(vfu_device_get_info(cl, &info), 0, "%s", lg.text);
	cr_assert(srv.dma_done);
	cr_assert_eq(srv.dma_reply.msg_id, 0x7777);
	cr_assert_eq(srv.dma_reply.cmd, cmd);
	cr_assert_eq(srv.dma_reply.flags & VFU_F_TYPE_MASK, VFU_F_TYPE_REPLY);
	if (want_err) {
		cr_assert(srv.dma_reply.flags & VFU_F_ERROR);
		cr_assert_eq(srv.dma_reply.error, want_err);
		cr_assert_eq(srv.dma_reply_len, 0);
		return;
	}
	cr_assert_not(srv.dma_reply.flags & VFU_F_ERROR);
	cr_assert_eq(r64(srv.dma_reply_body), addr);
	cr_assert_eq(r64(srv.dma_reply_body + 8), count);
	cr_assert_eq(srv.dma_reply_len, 16 + (cmd == VFU_CMD_DMA_READ ? count : 0));
}

Test(vfio_user, dma_requests_from_server)
{
	struct vfu_client_stats st;
	uint8_t *mem, *ro;

	start_ready(0);
	cr_assert_eq(vfu_dma_map(cl, 0x100000, 0x2000, 3, (void **)&mem), 0);
	cr_assert_eq(vfu_dma_map(cl, 0x200000, 0x1000, VFU_DMA_F_READ, (void **)&ro), 0);
	for (int i = 0; i < 64; i++)
		mem[0x1fc0 + i] = (uint8_t)(i + 1);
	/* in bounds: read the last 64 bytes, write 16 */
	dma_request(VFU_CMD_DMA_READ, 0x101fc0, 64, 0);
	cr_assert_arr_eq(srv.dma_reply_body + 16, mem + 0x1fc0, 64);
	memset(srv.dma_data, 0xab, 16);
	dma_request(VFU_CMD_DMA_WRITE, 0x100010, 16, 0);
	for (int i = 0; i < 16; i++)
		cr_assert_eq(mem[0x10 + i], 0xab);
	/* out of bounds: refused, memory untouched */
	dma_request(VFU_CMD_DMA_READ, 0x101fc1, 64, EFAULT);
	dma_request(VFU_CMD_DMA_WRITE, 0xfffff0, 16, EFAULT);
	dma_request(VFU_CMD_DMA_WRITE, 0x0ffff8, 16, EFAULT);
	dma_request(VFU_CMD_DMA_READ, UINT64_MAX - 8, 16, EFAULT);
	expect_log("server DMA_READ: 0x101fc1+64 is outside every DMA window: refused");
	/* a read-only window takes no write */
	dma_request(VFU_CMD_DMA_WRITE, 0x200000, 16, EPERM);
	expect_log("window 0x200000 is not writable");
	cr_assert_eq(ro[0], 0);
	/* count above our limit, count that does not match the payload */
	dma_request(VFU_CMD_DMA_READ, 0x100000, (1u << 20) + 1, EINVAL);
	dma_request(VFU_CMD_DMA_WRITE, 0x100000, 1000, EINVAL);
	vfu_client_get_stats(cl, &st);
	cr_assert_eq(st.dma_reads, 1);
	cr_assert_eq(st.dma_writes, 1);
	cr_assert_eq(st.dma_rejected, 7);
	cr_assert(vfu_client_connected(cl));
	stop();
}

static bool dma_done(void *arg)
{
	bool d;

	pthread_mutex_lock(&srv.lock);
	d = srv.dma_done;
	pthread_mutex_unlock(&srv.lock);
	return d;
}

Test(vfio_user, dma_request_while_idle)
{
	uint8_t *mem, msg[32];
	struct vfu_hdr h = {.msg_id = 9, .cmd = VFU_CMD_DMA_READ, .size = 32};
	struct pollfd pfd;

	start_ready(0);
	cr_assert_eq(vfu_dma_map(cl, 0x100000, 0x1000, 3, (void **)&mem), 0);
	memcpy(mem, "\x01\x02\x03\x04", 4);
	/* the server asks while no command is in flight */
	vfu_hdr_encode(msg, &h);
	w64(msg + 16, 0x100000);
	w64(msg + 24, 4);
	srv_send(srv.fd, msg, sizeof(msg), NULL, 0);
	pfd = (struct pollfd){.fd = vfu_client_fd(cl), .events = POLLIN};
	cr_assert_eq(poll(&pfd, 1, 2000), 1);
	cr_assert_eq(vfu_client_process(cl), 1, "%s", lg.text);
	cr_assert(test_wait_until(dma_done, NULL, 2000));
	cr_assert_eq(srv.dma_reply.msg_id, 9);
	cr_assert_eq(srv.dma_reply.size, 16 + 20);
	cr_assert_arr_eq(srv.dma_reply_body + 16, "\x01\x02\x03\x04", 4);
	/* nothing pending: nothing done, no wait */
	cr_assert_eq(vfu_client_process(cl), 0);
	stop();
}

/* ---- interrupts and reset ------------------------------------------------ */

static void fire(uint32_t index, uint32_t vector)
{
	uint64_t one = 1;

	pthread_mutex_lock(&srv.lock);
	cr_assert_geq(srv.irq_fds[index][vector], 0, "no eventfd on %u/%u", index, vector);
	cr_assert_eq(write(srv.irq_fds[index][vector], &one, 8), 8);
	pthread_mutex_unlock(&srv.lock);
}

static void expect_fired(int fd, bool yes)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	uint64_t v = 0;

	cr_assert_eq(poll(&pfd, 1, yes ? 2000 : 0), yes ? 1 : 0);
	if (yes) {
		cr_assert_eq(read(fd, &v, 8), 8);
		cr_assert_eq(v, 1);
	}
}

Test(vfio_user, irqs_msix)
{
	struct vfu_irq_info ii;
	struct vfu_irqs irqs;

	start_ready(0);
	cr_assert_eq(vfu_irq_get_info(cl, VFU_PCI_MSIX_IRQ, &ii), 0);
	cr_assert_eq(ii.count, 3);
	cr_assert_eq(ii.flags, VFU_IRQ_F_EVENTFD);
	cr_assert_eq(vfu_irq_setup(cl, VFU_PCI_MSIX_IRQ, 3, &irqs), 0, "%s", lg.text);
	cr_assert_eq(irqs.index, VFU_PCI_MSIX_IRQ);
	cr_assert_eq(irqs.count, 3);
	cr_assert_eq(srv.irq_fd_msgs, 1);
	fire(VFU_PCI_MSIX_IRQ, 1);
	expect_fired(irqs.fds[1], true);
	expect_fired(irqs.fds[0], false);
	expect_fired(irqs.fds[2], false);
	fire(VFU_PCI_MSIX_IRQ, 2);
	expect_fired(irqs.fds[2], true);
	cr_assert_eq(vfu_irq_setup(cl, VFU_PCI_MSIX_IRQ, 3, &irqs), -EBUSY);
	cr_assert_eq(vfu_irq_teardown(cl), 0);
	cr_assert_eq(srv.irq_fds[VFU_PCI_MSIX_IRQ][1], -1);
	stop();
}

Test(vfio_user, irqs_intx_fallback)
{
	struct vfu_irqs irqs;

	start_ready(0);
	srv.irq_count[VFU_PCI_MSIX_IRQ] = 0;
	cr_assert_eq(vfu_irq_setup(cl, VFU_PCI_MSIX_IRQ, 3, &irqs), 0, "%s", lg.text);
	cr_assert_eq(irqs.index, VFU_PCI_INTX_IRQ);
	cr_assert_eq(irqs.count, 1);
	expect_log("0 MSI-X vectors, 3 wanted: trying INTx");
	fire(VFU_PCI_INTX_IRQ, 0);
	expect_fired(irqs.fds[0], true);
	cr_assert_eq(vfu_irq_teardown(cl), 0);
	/* neither */
	srv.irq_count[VFU_PCI_INTX_IRQ] = 0;
	cr_assert_eq(vfu_irq_setup(cl, VFU_PCI_MSIX_IRQ, 3, &irqs), -ENODEV);
	stop();
}

Test(vfio_user, irqs_chunked_by_server_max_fds)
{
	int efd[3];

	start(0);
	srv.json = "{\"capabilities\":{\"max_msg_fds\":2}}";
	cr_assert_eq(vfu_client_negotiate(cl), 0);
	for (int i = 0; i < 3; i++)
		efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	cr_assert_eq(vfu_irq_set_eventfds(cl, VFU_PCI_MSIX_IRQ, 0, 3, efd), 0, "%s", lg.text);
	cr_assert_eq(srv.irq_fd_msgs, 2);
	fire(VFU_PCI_MSIX_IRQ, 2);
	expect_fired(efd[2], true);
	/* detach one, the server refuses a range beyond its vectors */
	cr_assert_eq(vfu_irq_set_eventfds(cl, VFU_PCI_MSIX_IRQ, 2, 1, NULL), 0);
	cr_assert_eq(srv.irq_fds[VFU_PCI_MSIX_IRQ][2], -1);
	cr_assert_eq(vfu_irq_set_eventfds(cl, VFU_PCI_MSIX_IRQ, 2, 2, efd), -EINVAL);
	cr_assert_eq(vfu_irq_disable(cl, VFU_PCI_MSIX_IRQ), 0);
	cr_assert_eq(srv.irq_fds[VFU_PCI_MSIX_IRQ][0], -1);
	for (int i = 0; i < 3; i++)
		close(efd[i]);
	stop();
}

Test(vfio_user, irq_info_wrong_index)
{
	struct vfu_irq_info ii;

	start_ready(0);
	fault(F_SHORT, VFU_CMD_DEVICE_GET_IRQ_INFO);
	cr_assert_eq(vfu_irq_get_info(cl, 2, &ii), -EPROTO);
	expect_log("DEVICE_GET_IRQ_INFO: reply payload is 8 bytes, expected 16");
	cr_assert_eq(vfu_irq_get_info(cl, 2, &ii), 0);
	stop();
}

Test(vfio_user, reset)
{
	start_ready(0);
	cr_assert_eq(vfu_device_reset(cl), 0);
	cr_assert_eq(vfu_device_reset(cl), 0);
	cr_assert_eq(srv.resets, 2);
	/* a reply with a payload where none is due */
	fault(F_LONG, VFU_CMD_DEVICE_RESET);
	cr_assert_eq(vfu_device_reset(cl), -EPROTO);
	expect_log("DEVICE_RESET: reply payload is 4 bytes, expected 0");
	stop();
}

Test(vfio_user, connect_by_path)
{
	struct vfu_client *c2;

	cr_assert_eq(vfu_client_connect("/nonexistent/vfio-user.sock", NULL, &c2), -ENOENT);
	cr_assert_null(c2);
	cr_assert_eq(vfu_client_connect("", NULL, &c2), -EINVAL);
	char longp[200];
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	cr_assert_eq(vfu_client_connect(longp, NULL, &c2), -ENAMETOOLONG);
}

static int listen_fd;

static void *accept_and_serve(void *arg)
{
	srv.fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (srv.fd < 0)
		return NULL;
	return srv_main(arg);
}

Test(vfio_user, connect_and_negotiate)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct vfu_client_config cfg;
	struct vfu_device_info info;

	srv_init();
	cfg = client_config(0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/test_vfio_user.%d.sock", (int)getpid());
	unlink(sa.sun_path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(listen_fd, 0);
	cr_assert_eq(bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(listen_fd, 1), 0);
	cr_assert_eq(pthread_create(&srv.thr, NULL, accept_and_serve, NULL), 0);
	cr_assert_eq(vfu_client_connect(sa.sun_path, &cfg, &cl), 0, "%s", lg.text);
	cr_assert_eq(srv.client_minor, 2);
	cr_assert_eq(vfu_device_get_info(cl, &info), 0);
	cr_assert_eq(info.num_irqs, 5);
	stop();
	close(listen_fd);
	unlink(sa.sun_path);
}

/* Echoed fields must match the request. */
static void echo_fault(uint16_t cmd, int (*call)(void), const char *why)
{
	fault(F_BAD_ECHO, cmd);
	cr_assert_eq(call(), -EPROTO, "%s", vfu_command_name(cmd));
	expect_log(why);
	cr_assert(vfu_client_connected(cl));
}

static int call_read(void)
{
	uint8_t b[4];

	return vfu_region_read(cl, 0, 0x10, b, 4);
}
static int call_write(void)
{
	return vfu_region_write(cl, 0, 0x10, "abcd", 4);
}
static int call_irq_info(void)
{
	return vfu_irq_get_info(cl, 2, &(struct vfu_irq_info){0});
}
static int call_region_info(void)
{
	return vfu_region_get_info(cl, 7, NULL);
}
static int call_unmap(void)
{
	return vfu_dma_unmap(cl, 0x100000);
}

Test(vfio_user, reply_echo_mismatch)
{
	void *mem;

	start_ready(0);
	echo_fault(VFU_CMD_REGION_READ, call_read,
		   "REGION_READ: reply for region 0 0x11+4, asked region 0 0x10+4");
	echo_fault(VFU_CMD_REGION_WRITE, call_write,
		   "REGION_WRITE: reply for region 0 0x11+4, wrote region 0 0x10+4");
	echo_fault(VFU_CMD_DEVICE_GET_IRQ_INFO, call_irq_info,
		   "DEVICE_GET_IRQ_INFO: reply for index 3, asked for 2");
	echo_fault(VFU_CMD_DEVICE_GET_REGION_INFO, call_region_info,
		   "DEVICE_GET_REGION_INFO: reply for region 8, asked for 7");
	cr_assert_eq(vfu_dma_map(cl, 0x100000, 0x1000, 3, &mem), 0);
	echo_fault(VFU_CMD_DMA_UNMAP, call_unmap, "DMA_UNMAP: reply names 0x101000+0x1000");
	/* the window stays: the server did not say it let go */
	cr_assert_eq(vfu_dma_map(cl, 0x100000, 0x1000, 3, &mem), -EEXIST);
	stop();
}

Test(vfio_user, eof_seen_by_process)
{
	struct pollfd pfd;

	start_ready(0);
	cr_assert_eq(vfu_client_process(cl), 0);
	shutdown(srv.fd, SHUT_RDWR); /* the server goes away between calls */
	pfd = (struct pollfd){.fd = vfu_client_fd(cl), .events = POLLIN};
	cr_assert_eq(poll(&pfd, 1, 2000), 1);
	cr_assert_eq(vfu_client_process(cl), -ENOTCONN);
	expect_log("connection lost: the server closed the connection");
	cr_assert_eq(disc_calls, 1);
	cr_assert_eq(disc_err, -ENOTCONN);
	cr_assert_eq(vfu_device_reset(cl), -ENOTCONN);
	stop();
}

/* Callers on several threads: one command in flight at a time. */
static void *writer(void *arg)
{
	uintptr_t base = (uintptr_t)arg;

	for (unsigned int i = 0; i < 200; i++)
		if (vfu_region_write_val(cl, 0, base + 4 * (i % 64), 4, base + i) ||
		    vfu_region_read_val(cl, 7, 4 * (i % 64), 4, &(uint64_t){0}))
			return (void *)1;
	return NULL;
}

Test(vfio_user, concurrent_callers)
{
	pthread_t t[3];
	void *ret;

	start_ready(0);
	for (uintptr_t i = 0; i < 3; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, writer, (void *)(i * 0x400)), 0);
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], &ret);
		cr_assert_null(ret, "thread %d failed: %s", i, lg.text);
	}
	cr_assert_eq(srv.seen[VFU_CMD_REGION_WRITE], 600);
	cr_assert_eq(srv.seen[VFU_CMD_REGION_READ], 600);
	cr_assert_eq(r32(srv.bar0 + 0x800 + 4 * (199 % 64)), 0x800 + 199);
	stop();
}

Test(vfio_user, posted_writes)
{
	uint64_t v;

	start_ready(0);
	cr_assert_eq(vfu_region_write_posted(cl, 0, 0x40, "\x11\x22\x33\x44", 4), 0);
	cr_assert_eq(vfu_region_write_posted(cl, 0, 0x44, "\x55", 1), 0);
	/* in order: the read sees both */
	cr_assert_eq(vfu_region_read_val(cl, 0, 0x40, 8, &v), 0);
	cr_assert_eq(v & 0xffffffffffull, 0x5544332211ull);
	cr_assert_eq(srv.seen[VFU_CMD_REGION_WRITE], 2);
	/* a server that answers anyway, errors included */
	srv.reply_posted = true;
	cr_assert_eq(vfu_region_write_posted(cl, 0, 0x48, "\x66", 1), 0);
	cr_assert_eq(vfu_region_write_posted(cl, 0, 4096, "\x77", 1), 0); /* refused */
	cr_assert_eq(vfu_region_read_val(cl, 0, 0x48, 1, &v), 0, "%s", lg.text);
	cr_assert_eq(v, 0x66);
	expect_log("posted REGION_WRITE (message id 5) failed: server error 22");
	/* checked like the others */
	cr_assert_eq(vfu_region_write_posted(cl, 0, 0, "", 0), -EINVAL);
	cr_assert_eq(vfu_region_get_info(cl, 0, NULL), 0);
	cr_assert_eq(vfu_region_write_posted(cl, 0, 4095, "\x01\x02", 2), -EINVAL);
	cr_assert(vfu_client_connected(cl));
	stop();
}

static void *get_info_thread(void *arg)
{
	struct vfu_device_info info;

	return (void *)(intptr_t)vfu_device_get_info(cl, &info);
}

Test(vfio_user, process_does_not_wait_for_a_call)
{
	pthread_t t;
	uint64_t t0;
	void *ret;

	start_ready(0);
	fault(F_STALL, VFU_CMD_DEVICE_GET_INFO);
	cr_assert_eq(pthread_create(&t, NULL, get_info_thread, NULL), 0);
	cr_assert(test_wait_until(is_stalled, NULL, 5000));
	/* the caller holds the client: process() returns at once */
	t0 = test_now_ms();
	cr_assert_eq(vfu_client_process(cl), 0);
	cr_assert_lt(test_now_ms() - t0, 1000);
	pthread_mutex_lock(&srv.lock);
	srv.released = true;
	pthread_cond_broadcast(&srv.cond);
	pthread_mutex_unlock(&srv.lock);
	pthread_join(t, &ret);
	cr_assert_eq((intptr_t)ret, 0, "%s", lg.text);
	stop();
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * vfio-user client (vfio_user.h).
 *
 * One command is in flight at a time: a caller takes the lock, sends its
 * command and reads messages until the reply with its message id and
 * command arrives; server requests (DMA_READ / DMA_WRITE) read meanwhile
 * are served on the spot.  Every message is read whole (header, then
 * exactly size - 16 bytes) into a buffer of its own, fds collected from
 * every chunk, and decoded field by field from little-endian.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "vfio_user.h"

/* fds we can take in one message: more than we advertise, so that a
 * server sending too many is caught and its fds closed. */
#define VFU_RECV_FDS 16u
/* fds per SET_IRQS message at most, whatever the server accepts. */
#define VFU_SEND_FDS 64u
/* Replies abandoned after a timeout, remembered to drop them when late. */
#define VFU_LATE_SLOTS 8u
/* Vectors vfu_irq_setup() attaches at most (the MSI-X maximum). */
#define VFU_MAX_VECTORS 2048u
/* Capabilities walked in one region info at most. */
#define VFU_MAX_REGION_CAPS    16u
#define VFU_DEFAULT_TIMEOUT_MS 5000u

/* ---- little-endian fields ------------------------------------------ */

static void put16(uint8_t *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, sizeof(v));
}
static void put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}
static void put64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}
static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}
static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

void vfu_hdr_encode(void *p, const struct vfu_hdr *h)
{
	uint8_t *b = p;

	put16(b + 0, h->msg_id);
	put16(b + 2, h->cmd);
	put32(b + 4, h->size);
	put32(b + 8, h->flags);
	put32(b + 12, h->error);
}

void vfu_hdr_decode(const void *p, struct vfu_hdr *h)
{
	const uint8_t *b = p;

	h->msg_id = get16(b + 0);
	h->cmd = get16(b + 2);
	h->size = get32(b + 4);
	h->flags = get32(b + 8);
	h->error = get32(b + 12);
}

const char *vfu_command_name(uint16_t cmd)
{
	static const char *const names[] = {
		[VFU_CMD_VERSION] = "VERSION",
		[VFU_CMD_DMA_MAP] = "DMA_MAP",
		[VFU_CMD_DMA_UNMAP] = "DMA_UNMAP",
		[VFU_CMD_DEVICE_GET_INFO] = "DEVICE_GET_INFO",
		[VFU_CMD_DEVICE_GET_REGION_INFO] = "DEVICE_GET_REGION_INFO",
		[VFU_CMD_DEVICE_GET_REGION_IO_FDS] = "DEVICE_GET_REGION_IO_FDS",
		[VFU_CMD_DEVICE_GET_IRQ_INFO] = "DEVICE_GET_IRQ_INFO",
		[VFU_CMD_DEVICE_SET_IRQS] = "DEVICE_SET_IRQS",
		[VFU_CMD_REGION_READ] = "REGION_READ",
		[VFU_CMD_REGION_WRITE] = "REGION_WRITE",
		[VFU_CMD_DMA_READ] = "DMA_READ",
		[VFU_CMD_DMA_WRITE] = "DMA_WRITE",
		[VFU_CMD_DEVICE_RESET] = "DEVICE_RESET",
	};

	if (cmd < sizeof(names) / sizeof(names[0]) && names[cmd])
		return names[cmd];
	return "unknown command";
}

/* ---- the client object ----------------------------------------------- */

struct vfu_region_priv {
	struct vfu_region pub;
	void *map_base[VFU_MAX_SPARSE_AREAS]; /* what mmap() returned */
	size_t map_len[VFU_MAX_SPARSE_AREAS];
};

struct vfu_dma_window {
	bool used;
	uint64_t iova, size;
	uint32_t flags;
	int fd;
	uint8_t *ptr;
};

struct vfu_client {
	int fd;
	pthread_mutex_t lock;
	struct vfu_client_config cfg;
	unsigned int timeout_ms;
	uint32_t max_xfer; /* what we accept and advertise */
	uint16_t next_id;
	bool negotiated;
	/* 0, or the negative errno of the call that found the connection
	 * broken; read without the lock by vfu_client_connected(). */
	int broken;
	bool disconnect_reported;
	struct vfu_server_caps caps;
	struct vfu_region_priv *regions[VFU_MAX_REGIONS];
	struct vfu_dma_window dma[VFU_MAX_DMA_WINDOWS];
	struct {
		bool used;
		uint16_t msg_id, cmd;
	} late[VFU_LATE_SLOTS];
	unsigned int late_next;
	bool posted; /* a REGION_WRITE was sent NO_REPLY */
	/* vfu_irq_setup() */
	uint32_t irq_index, irq_count;
	int *irq_fds;
	struct vfu_client_stats stats;
};

/* One message as received. */
struct vfu_msg {
	struct vfu_hdr hdr;
	uint8_t *body; /* size - 16 bytes */
	size_t len;
	int fds[VFU_RECV_FDS];
	unsigned int nfds;
	bool fds_lost; /* more fds than we could take (closed or truncated) */
};

__attribute__((format(printf, 3, 4))) static void
vfu_log(struct vfu_client *c, enum scmi_log_level level, const char *fmt, ...)
{
	char buf[320];
	va_list ap;
	int n;

	if (!c->cfg.log || (int)level > (int)c->cfg.log_level)
		return;
	n = snprintf(buf, sizeof(buf), "vfio-user: ");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	c->cfg.log(c->cfg.log_priv, level, buf);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void msg_close_fds(struct vfu_msg *m)
{
	for (unsigned int i = 0; i < m->nfds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	m->nfds = 0;
}

static void msg_free(struct vfu_msg *m)
{
	msg_close_fds(m);
	free(m->body);
	m->body = NULL;
	m->len = 0;
}

/* The connection cannot be used any more: say why once, shut the socket
 * down so that the server sees it, and fail every later call. */
static void vfu_set_broken(struct vfu_client *c, int err, const char *why)
{
	if (c->broken)
		return;
	vfu_log(c, SCMI_LOG_ERR, "connection lost: %s", why);
	__atomic_store_n(&c->broken, err, __ATOMIC_RELEASE);
	shutdown(c->fd, SHUT_RDWR);
}

static void vfu_lock(struct vfu_client *c)
{
	pthread_mutex_lock(&c->lock);
}

/* Unlock, then tell the user about a disconnect found meanwhile. */
static void vfu_unlock(struct vfu_client *c)
{
	int err = c->broken;
	bool report = err && !c->disconnect_reported;

	if (report)
		c->disconnect_reported = true;
	pthread_mutex_unlock(&c->lock);
	if (report && c->cfg.disconnected)
		c->cfg.disconnected(c->cfg.disconnected_priv, err);
}

/* Calls other than VERSION need a negotiated, live connection. */
static int vfu_check(struct vfu_client *c, uint16_t cmd)
{
	if (c->broken)
		return -ENOTCONN;
	if (!c->negotiated && cmd != VFU_CMD_VERSION) {
		vfu_log(c, SCMI_LOG_DEBUG, "%s: VERSION not negotiated yet", vfu_command_name(cmd));
		return -EINVAL;
	}
	return 0;
}

/* ---- socket I/O ------------------------------------------------------- */

/* Wait until @fd has @events or @deadline (ms, monotonic) passes. */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		uint64_t now = now_ms();
		int timeout = now >= deadline
				      ? 0
				      : (int)(deadline - now > 60000 ? 60000 : deadline - now);
		struct pollfd pfd = {.fd = fd, .events = events};
		int r = poll(&pfd, 1, timeout);

		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r == 0 && now_ms() >= deadline)
			return -ETIMEDOUT;
	}
}

static void collect_fds(struct vfu_msg *m, struct msghdr *mh)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len < CMSG_LEN(0))
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (m->nfds < VFU_RECV_FDS) {
				m->fds[m->nfds++] = fd;
			} else {
				close(fd);
				m->fds_lost = true;
			}
		}
	}
	if (mh->msg_flags & MSG_CTRUNC)
		m->fds_lost = true;
}

/*
 * Read exactly @len bytes, collecting fds into @m.  *@got counts the bytes
 * read.  -ETIMEDOUT at @deadline, -ENOTCONN on EOF or a reset connection.
 */
static int recv_exact(struct vfu_client *c, void *buf, size_t len, uint64_t deadline,
		      struct vfu_msg *m, size_t *got)
{
	union {
		char buf[CMSG_SPACE(VFU_RECV_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;

	*got = 0;
	while (*got < len) {
		struct iovec iov = {.iov_base = (uint8_t *)buf + *got, .iov_len = len - *got};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = ctl.buf,
				    .msg_controllen = sizeof(ctl.buf)};
		ssize_t n;
		int r;

		n = recvmsg(c->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				r = wait_fd(c->fd, POLLIN, deadline);
				if (r < 0)
					return r;
				continue;
			}
			if (errno == ECONNRESET || errno == EPIPE)
				return -ENOTCONN;
			return -errno;
		}
		collect_fds(m, &mh);
		if (n == 0)
			return -ENOTCONN;
		/* Once the message began, the rest gets a full timeout. */
		if (*got == 0 && now_ms() + c->timeout_ms > deadline)
			deadline = now_ms() + c->timeout_ms;
		*got += (size_t)n;
	}
	return 0;
}

/*
 * Receive one whole message into @m.  Its first byte is awaited until
 * @first_deadline; once it began, the rest gets the full timeout.
 * -ETIMEDOUT when nothing came (the connection stays usable); any other
 * failure breaks the connection (the stream cannot be resynchronised).
 */
static int vfu_recv_msg(struct vfu_client *c, struct vfu_msg *m, uint64_t first_deadline)
{
	uint8_t hdr[VFU_HDR_SIZE];
	size_t got = 0;
	int r;

	memset(m, 0, sizeof(*m));
	r = recv_exact(c, hdr, sizeof(hdr), first_deadline, m, &got);
	if (r == -ETIMEDOUT && got == 0 && m->nfds == 0)
		return r; /* nothing arrived: the stream is still in step */
	if (r < 0) {
		msg_close_fds(m);
		vfu_set_broken(c, r == -ETIMEDOUT ? -EPROTO : r,
			       r == -ENOTCONN	 ? "the server closed the connection"
			       : r == -ETIMEDOUT ? "a message header was cut short"
						 : "receive failed");
		return r == -ETIMEDOUT ? -EPROTO : r;
	}
	vfu_hdr_decode(hdr, &m->hdr);
	if (m->hdr.size < VFU_HDR_SIZE || m->hdr.size > VFU_MAX_MSG_SIZE) {
		vfu_log(c, SCMI_LOG_ERR, "%s: message size %u outside %u..%u",
			vfu_command_name(m->hdr.cmd), m->hdr.size, VFU_HDR_SIZE, VFU_MAX_MSG_SIZE);
		msg_close_fds(m);
		vfu_set_broken(c, -EPROTO, "message of impossible size");
		return -EPROTO;
	}
	m->len = m->hdr.size - VFU_HDR_SIZE;
	if (m->len) {
		m->body = malloc(m->len);
		if (!m->body) {
			msg_close_fds(m);
			vfu_set_broken(c, -ENOMEM, "out of memory for a message");
			return -ENOMEM;
		}
		r = recv_exact(c, m->body, m->len, now_ms() + c->timeout_ms, m, &got);
		if (r < 0) {
			vfu_log(c, SCMI_LOG_ERR, "%s: message cut short after %zu of %zu bytes",
				vfu_command_name(m->hdr.cmd), got, m->len);
			msg_free(m);
			vfu_set_broken(c, r == -ETIMEDOUT ? -EPROTO : r,
				       r == -ENOTCONN ? "the server closed the connection"
						      : "a message body was cut short");
			return r == -ETIMEDOUT ? -EPROTO : r;
		}
	}
	return 0;
}

/*
 * Send header + payload (+ fds on the first chunk) as one message.  A
 * short write is completed; a send that fails part-way breaks the
 * connection.
 */
static int vfu_send(struct vfu_client *c, const struct vfu_hdr *h, const void *payload, size_t plen,
		    const int *fds, unsigned int nfds)
{
	union {
		char buf[CMSG_SPACE(VFU_SEND_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	uint8_t hdr[VFU_HDR_SIZE];
	size_t total = VFU_HDR_SIZE + plen, sent = 0;
	uint64_t deadline = now_ms() + c->timeout_ms;

	if (nfds > VFU_SEND_FDS)
		return -EINVAL;
	vfu_hdr_encode(hdr, h);
	while (sent < total) {
		struct iovec iov[2];
		struct msghdr mh = {.msg_iov = iov};
		ssize_t n;
		int r;

		if (sent < VFU_HDR_SIZE) {
			iov[0] = (struct iovec){hdr + sent, VFU_HDR_SIZE - sent};
			iov[1] = (struct iovec){(void *)payload, plen};
			mh.msg_iovlen = plen ? 2 : 1;
		} else {
			iov[0] = (struct iovec){(uint8_t *)payload + (sent - VFU_HDR_SIZE),
						total - sent};
			mh.msg_iovlen = 1;
		}
		if (sent == 0 && nfds) {
			struct cmsghdr *cm;

			memset(ctl.buf, 0, sizeof(ctl.buf));
			mh.msg_control = ctl.buf;
			mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
			memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
		}
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			sent += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			r = wait_fd(c->fd, POLLOUT, deadline);
			if (r == 0)
				continue;
		} else {
			r = n < 0 ? -errno : -EIO;
			if (r == -ECONNRESET || r == -ENOTCONN)
				r = -EPIPE;
		}
		vfu_log(c, SCMI_LOG_ERR, "%s: send failed after %zu of %zu bytes: %s",
			vfu_command_name(h->cmd), sent, total, strerror(-r));
		if (sent || r != -ETIMEDOUT)
			vfu_set_broken(c, r == -ETIMEDOUT ? -EPROTO : r,
				       r == -EPIPE ? "the server closed the connection"
						   : "a message could not be sent whole");
		return r;
	}
	return 0;
}

/* ---- server requests ---------------------------------------------------- */

static struct vfu_dma_window *dma_find(struct vfu_client *c, uint64_t addr, uint64_t count)
{
	for (unsigned int i = 0; i < VFU_MAX_DMA_WINDOWS; i++) {
		struct vfu_dma_window *w = &c->dma[i];

		if (w->used && addr >= w->iova && addr - w->iova <= w->size &&
		    count <= w->size - (addr - w->iova))
			return w;
	}
	return NULL;
}

static int vfu_reply_error(struct vfu_client *c, const struct vfu_hdr *req, int err)
{
	struct vfu_hdr h = {.msg_id = req->msg_id,
			    .cmd = req->cmd,
			    .size = VFU_HDR_SIZE,
			    .flags = VFU_F_TYPE_REPLY | VFU_F_ERROR,
			    .error = (uint32_t)err};

	c->stats.dma_rejected++;
	if (req->flags & VFU_F_NO_REPLY)
		return 0;
	return vfu_send(c, &h, NULL, 0, NULL, 0);
}

/* Serve a DMA_READ / DMA_WRITE from the server, or refuse any other
 * command.  Returns what sending the reply returned. */
static int vfu_serve(struct vfu_client *c, struct vfu_msg *m)
{
	const char *name = vfu_command_name(m->hdr.cmd);
	struct vfu_hdr h = {.msg_id = m->hdr.msg_id, .cmd = m->hdr.cmd, .flags = VFU_F_TYPE_REPLY};
	struct vfu_dma_window *w;
	uint64_t addr, count;
	bool rd = m->hdr.cmd == VFU_CMD_DMA_READ;
	uint8_t *out;
	int r;

	if (m->hdr.cmd != VFU_CMD_DMA_READ && m->hdr.cmd != VFU_CMD_DMA_WRITE) {
		vfu_log(c, SCMI_LOG_WARN, "server sent %s (%u), which only a client may send", name,
			m->hdr.cmd);
		return vfu_reply_error(c, &m->hdr, EINVAL);
	}
	if (m->nfds || m->fds_lost) {
		vfu_log(c, SCMI_LOG_WARN, "server %s carries fds: refused", name);
		return vfu_reply_error(c, &m->hdr, EINVAL);
	}
	if (m->len < 16) {
		vfu_log(c, SCMI_LOG_WARN, "server %s: payload %zu bytes, expected 16 or more", name,
			m->len);
		return vfu_reply_error(c, &m->hdr, EINVAL);
	}
	addr = get64(m->body);
	count = get64(m->body + 8);
	if (count > c->max_xfer) {
		vfu_log(c, SCMI_LOG_WARN, "server %s: count %llu above our max_data_xfer_size %u",
			name, (unsigned long long)count, c->max_xfer);
		return vfu_reply_error(c, &m->hdr, EINVAL);
	}
	if (m->len != 16 + (rd ? 0 : count)) {
		vfu_log(c, SCMI_LOG_WARN, "server %s: payload %zu bytes, expected %llu", name,
			m->len, (unsigned long long)(16 + (rd ? 0 : count)));
		return vfu_reply_error(c, &m->hdr, EINVAL);
	}
	w = dma_find(c, addr, count);
	if (!w) {
		vfu_log(c, SCMI_LOG_WARN,
			"server %s: 0x%llx+%llu is outside every DMA window: refused", name,
			(unsigned long long)addr, (unsigned long long)count);
		return vfu_reply_error(c, &m->hdr, EFAULT);
	}
	if (!(w->flags & (rd ? VFU_DMA_F_READ : VFU_DMA_F_WRITE))) {
		vfu_log(c, SCMI_LOG_WARN, "server %s: window 0x%llx is not %s: refused", name,
			(unsigned long long)w->iova, rd ? "readable" : "writable");
		return vfu_reply_error(c, &m->hdr, EPERM);
	}
	if (!rd) {
		memcpy(w->ptr + (addr - w->iova), m->body + 16, count);
		c->stats.dma_writes++;
		if (m->hdr.flags & VFU_F_NO_REPLY)
			return 0;
		h.size = VFU_HDR_SIZE + 16;
		return vfu_send(c, &h, m->body, 16, NULL, 0);
	}
	c->stats.dma_reads++;
	if (m->hdr.flags & VFU_F_NO_REPLY)
		return 0;
	out = malloc(16 + count);
	if (!out)
		return vfu_reply_error(c, &m->hdr, ENOMEM);
	put64(out, addr);
	put64(out + 8, count);
	memcpy(out + 16, w->ptr + (addr - w->iova), count);
	h.size = (uint32_t)(VFU_HDR_SIZE + 16 + count);
	r = vfu_send(c, &h, out, 16 + count, NULL, 0);
	free(out);
	return r;
}

static bool late_take(struct vfu_client *c, uint16_t msg_id, uint16_t cmd)
{
	for (unsigned int i = 0; i < VFU_LATE_SLOTS; i++) {
		if (c->late[i].used && c->late[i].msg_id == msg_id && c->late[i].cmd == cmd) {
			c->late[i].used = false;
			c->stats.late_replies++;
			return true;
		}
	}
	return false;
}

static void late_add(struct vfu_client *c, uint16_t msg_id, uint16_t cmd)
{
	unsigned int i = c->late_next++ % VFU_LATE_SLOTS;

	c->late[i].used = true;
	c->late[i].msg_id = msg_id;
	c->late[i].cmd = cmd;
}

/*
 * A reply other than the awaited one that is expected all the same: late
 * (its command timed out) or to a posted write (a server that answers
 * NO_REPLY anyway).  Logged; the caller drops it.
 */
static bool vfu_drop_stray(struct vfu_client *c, const struct vfu_msg *m)
{
	if (late_take(c, m->hdr.msg_id, m->hdr.cmd)) {
		vfu_log(c, SCMI_LOG_INFO, "late reply to %s (message id %u) dropped",
			vfu_command_name(m->hdr.cmd), m->hdr.msg_id);
		return true;
	}
	if (m->hdr.cmd == VFU_CMD_REGION_WRITE && c->posted) {
		if (m->hdr.flags & VFU_F_ERROR)
			vfu_log(c, SCMI_LOG_WARN,
				"posted REGION_WRITE (message id %u) failed: server error %u",
				m->hdr.msg_id, m->hdr.error);
		else
			vfu_log(c, SCMI_LOG_DEBUG,
				"reply to posted REGION_WRITE (message id %u) dropped",
				m->hdr.msg_id);
		return true;
	}
	return false;
}

/* ---- one command ------------------------------------------------------- */

static int vfu_check_reply(struct vfu_client *c, uint16_t cmd, uint16_t id, struct vfu_msg *m,
			   struct vfu_msg *reply);

/*
 * Send command @cmd with @req (@req_len bytes, @nfds fds) and wait for its
 * reply, serving server requests meanwhile.  On success *@reply holds it
 * (free with msg_free()); an error reply gives the server's errno.  The
 * lock is held.
 */
static int vfu_call(struct vfu_client *c, uint16_t cmd, const void *req, size_t req_len,
		    const int *fds, unsigned int nfds, struct vfu_msg *reply)
{
	const char *name = vfu_command_name(cmd);
	struct vfu_hdr h = {
		.cmd = cmd, .size = (uint32_t)(VFU_HDR_SIZE + req_len), .flags = VFU_F_TYPE_CMD};
	uint64_t deadline;
	uint16_t id;
	int r;

	memset(reply, 0, sizeof(*reply));
	r = vfu_check(c, cmd);
	if (r)
		return r;
	id = h.msg_id = c->next_id++;
	r = vfu_send(c, &h, req, req_len, fds, nfds);
	if (r)
		return r;
	deadline = now_ms() + c->timeout_ms;
	for (;;) {
		struct vfu_msg m;
		uint32_t type;

		r = vfu_recv_msg(c, &m, deadline);
		if (r == -ETIMEDOUT) {
			vfu_log(c, SCMI_LOG_ERR, "%s: no reply within %u ms", name, c->timeout_ms);
			late_add(c, id, cmd);
			return r;
		}
		if (r)
			return r;
		type = m.hdr.flags & VFU_F_TYPE_MASK;
		if (type == VFU_F_TYPE_CMD) {
			r = vfu_serve(c, &m);
			msg_free(&m);
			if (r && c->broken)
				return c->broken;
		} else if (type != VFU_F_TYPE_REPLY) {
			vfu_log(c, SCMI_LOG_WARN, "%s: message of type %u dropped", name, type);
			msg_free(&m);
		} else if ((m.hdr.msg_id != id || m.hdr.cmd != cmd) && vfu_drop_stray(c, &m)) {
			msg_free(&m);
		} else {
			return vfu_check_reply(c, cmd, id, &m, reply);
		}
		/* A server that keeps sending other things still gets the
		 * timeout. */
		if (now_ms() >= deadline) {
			vfu_log(c, SCMI_LOG_ERR, "%s: no reply within %u ms", name, c->timeout_ms);
			late_add(c, id, cmd);
			return -ETIMEDOUT;
		}
	}
}

/* The reply @m to command @cmd / @id: its header checked; on success it
 * moves to *@reply, else it is freed. */
static int vfu_check_reply(struct vfu_client *c, uint16_t cmd, uint16_t id, struct vfu_msg *m,
			   struct vfu_msg *reply)
{
	const char *name = vfu_command_name(cmd);
	int err;

	/* For a reply to something else, ours may still come: it will be
	 * dropped as late. */
	if (m->hdr.cmd != cmd) {
		vfu_log(c, SCMI_LOG_ERR, "%s: reply is for command %u (%s)", name, m->hdr.cmd,
			vfu_command_name(m->hdr.cmd));
		msg_free(m);
		late_add(c, id, cmd);
		return -EPROTO;
	}
	if (m->hdr.msg_id != id) {
		vfu_log(c, SCMI_LOG_ERR, "%s: reply has message id %u, expected %u", name,
			m->hdr.msg_id, id);
		msg_free(m);
		late_add(c, id, cmd);
		return -EPROTO;
	}
	if (m->hdr.flags & VFU_F_ERROR) {
		err = (int)m->hdr.error;
		if (m->hdr.error == 0) {
			vfu_log(c, SCMI_LOG_WARN, "%s: server error without errno", name);
			err = EIO;
		} else if (m->hdr.error > 4095) {
			vfu_log(c, SCMI_LOG_WARN, "%s: server error %u is no errno", name,
				m->hdr.error);
			err = EINVAL;
		} else {
			vfu_log(c, SCMI_LOG_WARN, "%s: server error %d (%s)", name, err,
				strerror(err));
		}
		msg_free(m);
		return -err;
	}
	if (m->fds_lost) {
		vfu_log(c, SCMI_LOG_ERR, "%s: reply carries more than %u fds", name, VFU_RECV_FDS);
		msg_free(m);
		return -EPROTO;
	}
	*reply = *m;
	return 0;
}

/* Check a reply's payload length (@min..@max) and fd count (≤ @max_fds). */
static int vfu_expect(struct vfu_client *c, struct vfu_msg *m, size_t min, size_t max,
		      unsigned int max_fds)
{
	const char *name = vfu_command_name(m->hdr.cmd);

	if (m->len < min || m->len > max) {
		if (min == max)
			vfu_log(c, SCMI_LOG_ERR, "%s: reply payload is %zu bytes, expected %zu",
				name, m->len, min);
		else
			vfu_log(c, SCMI_LOG_ERR,
				"%s: reply payload is %zu bytes, expected %zu..%zu", name, m->len,
				min, max);
		msg_free(m);
		return -EPROTO;
	}
	if (m->nfds > max_fds) {
		vfu_log(c, SCMI_LOG_ERR, "%s: reply carries %u fds, expected at most %u", name,
			m->nfds, max_fds);
		msg_free(m);
		return -EPROTO;
	}
	return 0;
}

/* ---- VERSION ------------------------------------------------------------- */

char *vfu_client_caps_json(uint32_t max_xfer, size_t *len)
{
	json_object *top = json_object_new_object();
	json_object *caps = json_object_new_object();
	char *out = NULL;

	if (!top || !caps)
		goto out;
	if (json_object_object_add(caps, "max_msg_fds",
				   json_object_new_int64(VFU_CLIENT_MAX_FDS)) ||
	    json_object_object_add(caps, "max_data_xfer_size", json_object_new_int64(max_xfer)))
		goto out;
	if (json_object_object_add(top, "capabilities", caps))
		goto out;
	caps = NULL;
	out = strdup(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PLAIN));
	if (out)
		*len = strlen(out) + 1;
out:
	json_object_put(caps);
	json_object_put(top);
	return out;
}

/* A non-negative JSON integer in [min, max]: 1, absent: 0, else -EPROTO. */
static int json_uint(json_object *obj, const char *key, uint64_t min, uint64_t max, uint64_t *val)
{
	json_object *v;
	int64_t i;

	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -EPROTO;
	i = json_object_get_int64(v);
	if (i < 0 || (uint64_t)i < min || (uint64_t)i > max)
		return -EPROTO;
	*val = (uint64_t)i;
	return 1;
}

static int parse_caps_json(json_object *top, struct vfu_server_caps *caps, const char **why)
{
	json_object *obj, *v;
	uint64_t val;

	if (!json_object_is_type(top, json_type_object)) {
		*why = "the JSON is not an object";
		return -EPROTO;
	}
	if (!json_object_object_get_ex(top, "capabilities", &obj))
		return 0; /* nothing said: defaults */
	if (!json_object_is_type(obj, json_type_object)) {
		*why = "\"capabilities\" is not an object";
		return -EPROTO;
	}
	if (json_uint(obj, "max_msg_fds", 0, 1024, &val) < 0) {
		*why = "\"max_msg_fds\" is not an integer in 0..1024";
		return -EPROTO;
	} else if (json_uint(obj, "max_msg_fds", 0, 1024, &val) > 0) {
		caps->max_msg_fds = (uint32_t)val;
	}
	switch (json_uint(obj, "max_data_xfer_size", 1, UINT32_MAX, &val)) {
	case 1:
		caps->max_data_xfer_size = val;
		break;
	case 0:
		break;
	default:
		*why = "\"max_data_xfer_size\" is not an integer in 1..2^32-1";
		return -EPROTO;
	}
	switch (json_uint(obj, "max_dma_maps", 0, UINT32_MAX, &val)) {
	case 1:
		caps->max_dma_maps = (uint32_t)val;
		break;
	case 0:
		break;
	default:
		*why = "\"max_dma_maps\" is not an integer in 0..2^32-1";
		return -EPROTO;
	}
	switch (json_uint(obj, "pgsizes", 1, INT64_MAX, &val)) {
	case 1:
		caps->pgsizes = val;
		break;
	case 0:
		break;
	default:
		*why = "\"pgsizes\" is not a positive integer";
		return -EPROTO;
	}
	if (json_object_object_get_ex(obj, "write_multiple", &v)) {
		if (!json_object_is_type(v, json_type_boolean)) {
			*why = "\"write_multiple\" is not a boolean";
			return -EPROTO;
		}
		caps->write_multiple = json_object_get_boolean(v);
	}
	/* "migration" does not concern us: ignored whatever it holds. */
	if (json_object_object_get_ex(obj, "twin_socket", &v)) {
		json_object *sup;

		if (!json_object_is_type(v, json_type_object)) {
			*why = "\"twin_socket\" is not an object";
			return -EPROTO;
		}
		if (json_object_object_get_ex(v, "supported", &sup) &&
		    json_object_is_type(sup, json_type_boolean) && json_object_get_boolean(sup)) {
			*why = "twin socket granted though not proposed";
			return -EPROTO;
		}
	}
	return 0;
}

int vfu_parse_version_reply(const void *payload, size_t len, struct vfu_server_caps *caps,
			    const char **why)
{
	const uint8_t *p = payload;
	struct json_tokener *tok;
	json_object *top;
	const char *text;
	char *copy = NULL;
	size_t tlen;
	int r;

	*why = NULL;
	*caps = (struct vfu_server_caps){
		.max_msg_fds = VFU_DEFAULT_MAX_FDS,
		.max_data_xfer_size = VFU_DEFAULT_MAX_DATA_XFER,
		.max_dma_maps = VFU_DEFAULT_MAX_DMA_MAPS,
		.pgsizes = VFU_DEFAULT_PGSIZES,
	};
	if (len < 4) {
		*why = "payload shorter than major and minor";
		return -EPROTO;
	}
	caps->major = get16(p);
	caps->minor = get16(p + 2);
	if (caps->major != VFU_VERSION_MAJOR) {
		*why = "major version is not 0";
		return -EPROTO;
	}
	if (caps->minor > VFU_VERSION_MINOR) {
		*why = "minor version above the one proposed";
		return -EPROTO;
	}
	if (len == 4)
		return 0; /* no JSON: defaults */
	text = (const char *)p + 4;
	tlen = len - 4;
	if (memchr(text, '\0', tlen)) {
		tlen = strlen(text);
	} else {
		/* Not NUL-terminated: libvfio-user would refuse it, we
		 * take it. */
		copy = malloc(tlen + 1);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, text, tlen);
		copy[tlen] = '\0';
		text = copy;
	}
	if (tlen == 0) {
		free(copy);
		return 0;
	}
	tok = json_tokener_new();
	if (!tok) {
		free(copy);
		return -ENOMEM;
	}
	top = json_tokener_parse_ex(tok, text, (int)(tlen > INT32_MAX ? INT32_MAX : tlen));
	if (!top || json_tokener_get_error(tok) != json_tokener_success) {
		*why = "the JSON does not parse";
		r = -EPROTO;
	} else if (strspn(text + json_tokener_get_parse_end(tok), " \t\r\n") !=
		   tlen - json_tokener_get_parse_end(tok)) {
		*why = "text after the JSON";
		r = -EPROTO;
	} else {
		r = parse_caps_json(top, caps, why);
	}
	json_object_put(top);
	json_tokener_free(tok);
	free(copy);
	return r;
}

static int negotiate_locked(struct vfu_client *c)
{
	struct vfu_server_caps caps;
	struct vfu_msg m;
	const char *why;
	size_t jlen = 0;
	uint8_t *req;
	char *json;
	int r;

	if (c->negotiated)
		return -EALREADY;
	json = vfu_client_caps_json(c->max_xfer, &jlen);
	if (!json)
		return -ENOMEM;
	req = malloc(4 + jlen);
	if (!req) {
		free(json);
		return -ENOMEM;
	}
	put16(req, VFU_VERSION_MAJOR);
	put16(req + 2, VFU_VERSION_MINOR);
	memcpy(req + 4, json, jlen);
	free(json);
	r = vfu_call(c, VFU_CMD_VERSION, req, 4 + jlen, NULL, 0, &m);
	free(req);
	if (!r)
		r = vfu_expect(c, &m, 4, VFU_MAX_MSG_SIZE, 0);
	if (!r) {
		r = vfu_parse_version_reply(m.body, m.len, &caps, &why);
		msg_free(&m);
		if (r)
			vfu_log(c, SCMI_LOG_ERR, "VERSION: reply refused: %s",
				why ? why : strerror(-r));
	}
	if (r) {
		/* We cannot talk to this server (a timeout aside: it may
		 * still answer): close, as the protocol says. */
		if (r != -ETIMEDOUT)
			vfu_set_broken(c, r, "version negotiation failed");
		return r;
	}
	c->caps = caps;
	c->negotiated = true;
	vfu_log(c, SCMI_LOG_DEBUG, "version %u.%u, server max_msg_fds %u, max_data_xfer_size %llu",
		caps.major, caps.minor, caps.max_msg_fds,
		(unsigned long long)caps.max_data_xfer_size);
	return 0;
}

int vfu_client_negotiate(struct vfu_client *c)
{
	int r;

	vfu_lock(c);
	r = negotiate_locked(c);
	vfu_unlock(c);
	return r;
}

/* ---- life cycle ------------------------------------------------------- */

int vfu_client_attach(int fd, const struct vfu_client_config *cfg, struct vfu_client **out)
{
	struct vfu_client *c;

	*out = NULL;
	if (fd < 0)
		return -EBADF;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return -ENOMEM;
	}
	if (cfg)
		c->cfg = *cfg;
	if (c->cfg.log_level == SCMI_LOG_DEFAULT)
		c->cfg.log_level = SCMI_LOG_INFO;
	c->timeout_ms = c->cfg.timeout_ms ? c->cfg.timeout_ms : VFU_DEFAULT_TIMEOUT_MS;
	c->max_xfer =
		c->cfg.max_data_xfer_size && c->cfg.max_data_xfer_size < VFU_CLIENT_MAX_DATA_XFER
			? c->cfg.max_data_xfer_size
			: VFU_CLIENT_MAX_DATA_XFER;
	c->fd = fd;
	for (unsigned int i = 0; i < VFU_MAX_DMA_WINDOWS; i++)
		c->dma[i].fd = -1;
	pthread_mutex_init(&c->lock, NULL);
	*out = c;
	return 0;
}

int vfu_client_connect(const char *path, const struct vfu_client_config *cfg,
		       struct vfu_client **out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct vfu_client *c;
	int fd, r;

	*out = NULL;
	if (!path || !*path)
		return -EINVAL;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	r = vfu_client_attach(fd, cfg, &c);
	if (r)
		return r;
	r = vfu_client_negotiate(c);
	if (r) {
		vfu_client_close(c);
		return r;
	}
	*out = c;
	return 0;
}

static void region_unmap(struct vfu_region_priv *rp)
{
	for (unsigned int i = 0; i < rp->pub.nr_areas; i++)
		if (rp->map_base[i])
			munmap(rp->map_base[i], rp->map_len[i]);
}

static void dma_window_free(struct vfu_dma_window *w)
{
	if (w->ptr)
		munmap(w->ptr, w->size);
	if (w->fd >= 0)
		close(w->fd);
	*w = (struct vfu_dma_window){.fd = -1};
}

static void irq_fds_close(struct vfu_client *c)
{
	for (uint32_t i = 0; i < c->irq_count; i++)
		close(c->irq_fds[i]);
	free(c->irq_fds);
	c->irq_fds = NULL;
	c->irq_count = 0;
}

void vfu_client_close(struct vfu_client *c)
{
	if (!c)
		return;
	close(c->fd);
	for (unsigned int i = 0; i < VFU_MAX_REGIONS; i++) {
		if (c->regions[i]) {
			region_unmap(c->regions[i]);
			free(c->regions[i]);
		}
	}
	for (unsigned int i = 0; i < VFU_MAX_DMA_WINDOWS; i++)
		if (c->dma[i].used)
			dma_window_free(&c->dma[i]);
	irq_fds_close(c);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

const struct vfu_server_caps *vfu_client_server_caps(const struct vfu_client *c)
{
	return &c->caps;
}

bool vfu_client_connected(const struct vfu_client *c)
{
	return __atomic_load_n(&c->broken, __ATOMIC_ACQUIRE) == 0;
}

int vfu_client_fd(const struct vfu_client *c)
{
	return c->fd;
}

void vfu_client_get_stats(struct vfu_client *c, struct vfu_client_stats *st)
{
	vfu_lock(c);
	*st = c->stats;
	vfu_unlock(c);
}

int vfu_client_process(struct vfu_client *c)
{
	int handled = 0, r = 0;

	/* A caller in the middle of a command reads the socket itself and
	 * serves what comes: no need to wait for it (an event loop calling
	 * this must not block). */
	if (pthread_mutex_trylock(&c->lock))
		return c->broken ? -ENOTCONN : 0;
	while (!c->broken && handled < 64) {
		struct vfu_msg m;
		uint32_t type;

		/* Deadline now: only what has begun to arrive. */
		r = vfu_recv_msg(c, &m, 0);
		if (r == -ETIMEDOUT) {
			r = 0;
			break;
		}
		if (r)
			break;
		handled++;
		type = m.hdr.flags & VFU_F_TYPE_MASK;
		if (type == VFU_F_TYPE_CMD) {
			vfu_serve(c, &m);
		} else if (type == VFU_F_TYPE_REPLY && vfu_drop_stray(c, &m)) {
			/* dropped */
		} else {
			vfu_log(c, SCMI_LOG_WARN,
				"unexpected message (%s, message id %u, flags 0x%x) dropped",
				vfu_command_name(m.hdr.cmd), m.hdr.msg_id, m.hdr.flags);
		}
		msg_free(&m);
	}
	if (c->broken)
		r = r ? r : -ENOTCONN;
	vfu_unlock(c);
	return r ? r : handled;
}

/* ---- device and region info ------------------------------------------ */

int vfu_device_get_info(struct vfu_client *c, struct vfu_device_info *info)
{
	uint8_t req[16] = {0};
	struct vfu_msg m;
	int r;

	put32(req, 16);
	vfu_lock(c);
	r = vfu_call(c, VFU_CMD_DEVICE_GET_INFO, req, sizeof(req), NULL, 0, &m);
	if (!r)
		r = vfu_expect(c, &m, 16, 16, 0);
	if (!r) {
		info->flags = get32(m.body + 4);
		info->num_regions = get32(m.body + 8);
		info->num_irqs = get32(m.body + 12);
		msg_free(&m);
		if (info->num_regions > VFU_MAX_REGIONS || info->num_irqs > VFU_MAX_IRQ_TYPES) {
			vfu_log(c, SCMI_LOG_ERR,
				"DEVICE_GET_INFO: %u regions, %u irq types: at most %u and %u",
				info->num_regions, info->num_irqs, VFU_MAX_REGIONS,
				VFU_MAX_IRQ_TYPES);
			r = -EPROTO;
		}
	}
	vfu_unlock(c);
	return r;
}

/* Walk the capability chain of a region info reply (@len bytes at @p). */
static int region_parse_caps(struct vfu_client *c, struct vfu_region *reg, const uint8_t *p,
			     size_t len, uint32_t cap_offset)
{
	bool sparse_seen = false;
	uint32_t off = cap_offset;

	for (unsigned int n = 0; off; n++) {
		uint16_t id, version;
		uint32_t next;

		if (n == VFU_MAX_REGION_CAPS) {
			vfu_log(c, SCMI_LOG_ERR,
				"DEVICE_GET_REGION_INFO region %u: more than %u capabilities "
				"(a loop?)",
				reg->index, VFU_MAX_REGION_CAPS);
			return -EPROTO;
		}
		if (off < 32 || off > len || len - off < 8) {
			vfu_log(c, SCMI_LOG_ERR,
				"DEVICE_GET_REGION_INFO region %u: capability at %u outside "
				"32..%zu",
				reg->index, off, len);
			return -EPROTO;
		}
		id = get16(p + off);
		version = get16(p + off + 2);
		next = get32(p + off + 4);
		if (id == VFU_REGION_CAP_SPARSE_MMAP && !sparse_seen) {
			uint32_t nr;

			if (len - off < 16) {
				vfu_log(c, SCMI_LOG_ERR,
					"DEVICE_GET_REGION_INFO region %u: sparse mmap "
					"capability cut short",
					reg->index);
				return -EPROTO;
			}
			nr = get32(p + off + 8);
			if (nr > VFU_MAX_SPARSE_AREAS || (len - off - 16) / 16 < nr) {
				vfu_log(c, SCMI_LOG_ERR,
					"DEVICE_GET_REGION_INFO region %u: %u sparse areas do "
					"not fit (at most %u, %zu bytes left)",
					reg->index, nr, VFU_MAX_SPARSE_AREAS, len - off - 16);
				return -EPROTO;
			}
			sparse_seen = true;
			reg->nr_areas = 0;
			for (uint32_t i = 0; i < nr; i++) {
				uint64_t ao = get64(p + off + 16 + 16 * i);
				uint64_t as = get64(p + off + 24 + 16 * i);

				if (ao > reg->size || as > reg->size - ao) {
					vfu_log(c, SCMI_LOG_ERR,
						"DEVICE_GET_REGION_INFO region %u: sparse area "
						"0x%llx+0x%llx beyond the region's 0x%llx bytes",
						reg->index, (unsigned long long)ao,
						(unsigned long long)as,
						(unsigned long long)reg->size);
					return -EPROTO;
				}
				if (as == 0)
					continue;
				reg->areas[reg->nr_areas++] =
					(struct vfu_area){.offset = ao, .size = as};
			}
		} else if (id == VFU_REGION_CAP_TYPE) {
			if (len - off < 16) {
				vfu_log(c, SCMI_LOG_ERR,
					"DEVICE_GET_REGION_INFO region %u: type capability cut "
					"short",
					reg->index);
				return -EPROTO;
			}
			reg->has_type = true;
			reg->type = get32(p + off + 8);
			reg->subtype = get32(p + off + 12);
		} else {
			vfu_log(c, SCMI_LOG_DEBUG,
				"DEVICE_GET_REGION_INFO region %u: capability %u version %u "
				"ignored",
				reg->index, id, version);
		}
		off = next;
	}
	if (!sparse_seen && (reg->flags & VFU_REGION_F_MMAP) && reg->size)
		reg->areas[reg->nr_areas++] = (struct vfu_area){.offset = 0, .size = reg->size};
	return 0;
}

/* Map the areas of @rp from @fd; an area that does not map stays NULL. */
static void region_map(struct vfu_client *c, struct vfu_region_priv *rp, int fd)
{
	struct vfu_region *reg = &rp->pub;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t file_size = UINT64_MAX;
	struct stat st;
	int prot = 0;

	if (reg->flags & VFU_REGION_F_READ)
		prot |= PROT_READ;
	if (reg->flags & VFU_REGION_F_WRITE)
		prot |= PROT_WRITE;
	if (!prot || page <= 0)
		return;
	/* A file shorter than an area would fault (SIGBUS) on access: such an
	 * area is reached by messages.  (A device fd has no size to check.) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		file_size = (uint64_t)st.st_size;
	for (unsigned int i = 0; i < reg->nr_areas; i++) {
		struct vfu_area *a = &reg->areas[i];
		uint64_t foff, delta;
		void *p;

		if (a->offset > UINT64_MAX - reg->offset || a->size > SIZE_MAX / 2) {
			vfu_log(c, SCMI_LOG_WARN, "region %u: area %u cannot be mapped", reg->index,
				i);
			continue;
		}
		foff = reg->offset + a->offset;
		if (foff > file_size || a->size > file_size - foff) {
			vfu_log(c, SCMI_LOG_WARN,
				"region %u: area 0x%llx+0x%llx lies beyond the end of its fd: "
				"using messages",
				reg->index, (unsigned long long)a->offset,
				(unsigned long long)a->size);
			continue;
		}
		delta = foff % (uint64_t)page;
		if (foff - delta > (uint64_t)INT64_MAX) {
			vfu_log(c, SCMI_LOG_WARN, "region %u: area %u file offset too large",
				reg->index, i);
			continue;
		}
		p = mmap(NULL, a->size + delta, prot, MAP_SHARED, fd, (off_t)(foff - delta));
		if (p == MAP_FAILED) {
			vfu_log(c, SCMI_LOG_WARN,
				"region %u: mmap of area 0x%llx+0x%llx failed (%s): using "
				"messages",
				reg->index, (unsigned long long)a->offset,
				(unsigned long long)a->size, strerror(errno));
			continue;
		}
		rp->map_base[i] = p;
		rp->map_len[i] = a->size + delta;
		a->ptr = (uint8_t *)p + delta;
		reg->nr_mapped++;
	}
}

static int region_info_locked(struct vfu_client *c, uint32_t index, struct vfu_region_priv *rp)
{
	struct vfu_region *reg = &rp->pub;
	uint32_t argsz = 32, r_argsz, cap_offset;
	struct vfu_msg m;
	int fd = -1, r;

	for (int attempt = 0;; attempt++) {
		uint8_t req[32] = {0};

		put32(req, argsz);
		put32(req + 8, index);
		r = vfu_call(c, VFU_CMD_DEVICE_GET_REGION_INFO, req, sizeof(req), NULL, 0, &m);
		if (r)
			return r;
		/* Newer libvfio-user sends the argsz asked for, older ones the
		 * whole size needed (caps zeroed, no fd, when we asked for
		 * less): take either. */
		r = vfu_expect(c, &m, 32, VFU_MAX_REGION_INFO, 1);
		if (r)
			return r;
		r_argsz = get32(m.body);
		if (get32(m.body + 8) != index) {
			vfu_log(c, SCMI_LOG_ERR,
				"DEVICE_GET_REGION_INFO: reply for region %u, asked for %u",
				get32(m.body + 8), index);
			msg_free(&m);
			return -EPROTO;
		}
		if (r_argsz < 32) {
			vfu_log(c, SCMI_LOG_ERR,
				"DEVICE_GET_REGION_INFO region %u: argsz %u below 32", index,
				r_argsz);
			msg_free(&m);
			return -EPROTO;
		}
		if (r_argsz <= argsz)
			break;
		/* More to come (capabilities, and the fd with them): ask
		 * again with room for all of it. */
		if (attempt > 0 || r_argsz > VFU_MAX_REGION_INFO) {
			vfu_log(c, SCMI_LOG_ERR,
				"DEVICE_GET_REGION_INFO region %u: argsz %u (after asking %u, at "
				"most %u)",
				index, r_argsz, argsz, VFU_MAX_REGION_INFO);
			msg_free(&m);
			return -EPROTO;
		}
		argsz = r_argsz;
		msg_free(&m);
	}
	reg->index = index;
	reg->flags = get32(m.body + 4);
	cap_offset = get32(m.body + 12);
	reg->size = get64(m.body + 16);
	reg->offset = get64(m.body + 24);
	if (m.nfds == 1) {
		fd = m.fds[0];
		m.nfds = 0;
	}
	if (fd >= 0 && !(reg->flags & VFU_REGION_F_MMAP)) {
		vfu_log(c, SCMI_LOG_ERR,
			"DEVICE_GET_REGION_INFO region %u: fd for a region without MMAP", index);
		r = -EPROTO;
		goto out;
	}
	if ((reg->flags & VFU_REGION_F_CAPS) && cap_offset) {
		r = region_parse_caps(c, reg, m.body, m.len < r_argsz ? m.len : r_argsz,
				      cap_offset);
		if (r)
			goto out;
	} else if ((reg->flags & VFU_REGION_F_MMAP) && reg->size) {
		reg->areas[reg->nr_areas++] = (struct vfu_area){.offset = 0, .size = reg->size};
	}
	if ((reg->flags & VFU_REGION_F_MMAP) && fd < 0 && reg->nr_areas)
		vfu_log(c, SCMI_LOG_WARN,
			"DEVICE_GET_REGION_INFO region %u: MMAP set but no fd: using messages",
			index);
	if (fd >= 0)
		region_map(c, rp, fd);
out:
	if (fd >= 0)
		close(fd);
	msg_free(&m);
	return r;
}

int vfu_region_get_info(struct vfu_client *c, uint32_t index, const struct vfu_region **info)
{
	struct vfu_region_priv *rp;
	int r;

	if (index >= VFU_MAX_REGIONS)
		return -EINVAL;
	rp = calloc(1, sizeof(*rp));
	if (!rp)
		return -ENOMEM;
	vfu_lock(c);
	r = region_info_locked(c, index, rp);
	if (r) {
		region_unmap(rp);
		free(rp);
	} else {
		if (c->regions[index]) {
			region_unmap(c->regions[index]);
			free(c->regions[index]);
		}
		c->regions[index] = rp;
		if (info)
			*info = &rp->pub;
	}
	vfu_unlock(c);
	return r;
}

int vfu_region_peek(struct vfu_client *c, uint32_t index, struct vfu_region *out)
{
	int r = -ENOENT;

	if (index >= VFU_MAX_REGIONS)
		return -EINVAL;
	vfu_lock(c);
	if (c->regions[index]) {
		*out = c->regions[index]->pub;
		r = 0;
	}
	vfu_unlock(c);
	return r;
}

/* ---- region accesses ------------------------------------------------- */

/* Check an access against the region's info when we have it. */
static int region_check(struct vfu_client *c, uint32_t index, uint64_t offset, size_t count,
			bool write, const struct vfu_region **out)
{
	const struct vfu_region *reg;

	*out = NULL;
	if (index >= VFU_MAX_REGIONS || !c->regions[index])
		return 0;
	reg = &c->regions[index]->pub;
	if (offset > reg->size || count > reg->size - offset) {
		vfu_log(c, SCMI_LOG_DEBUG, "region %u: 0x%llx+%zu beyond its 0x%llx bytes", index,
			(unsigned long long)offset, count, (unsigned long long)reg->size);
		return -EINVAL;
	}
	if (!(reg->flags & (write ? VFU_REGION_F_WRITE : VFU_REGION_F_READ))) {
		vfu_log(c, SCMI_LOG_DEBUG, "region %u is not %s", index,
			write ? "writable" : "readable");
		return -EACCES;
	}
	*out = reg;
	return 0;
}

static size_t xfer_chunk(struct vfu_client *c)
{
	uint64_t n = c->caps.max_data_xfer_size;

	if (n > c->max_xfer)
		n = c->max_xfer;
	return (size_t)(n ? n : 1);
}

static int region_read_locked(struct vfu_client *c, uint32_t index, uint64_t offset, void *buf,
			      size_t count)
{
	size_t done = 0, chunk = xfer_chunk(c);

	while (done < count) {
		size_t n = count - done < chunk ? count - done : chunk;
		uint8_t req[16];
		struct vfu_msg m;
		int r;

		put64(req, offset + done);
		put32(req + 8, index);
		put32(req + 12, (uint32_t)n);
		r = vfu_call(c, VFU_CMD_REGION_READ, req, sizeof(req), NULL, 0, &m);
		if (!r)
			r = vfu_expect(c, &m, 16 + n, 16 + n, 0);
		if (r)
			return r;
		if (get64(m.body) != offset + done || get32(m.body + 8) != index ||
		    get32(m.body + 12) != n) {
			vfu_log(c, SCMI_LOG_ERR,
				"REGION_READ: reply for region %u 0x%llx+%u, asked region %u "
				"0x%llx+%zu",
				get32(m.body + 8), (unsigned long long)get64(m.body),
				get32(m.body + 12), index, (unsigned long long)(offset + done), n);
			msg_free(&m);
			return -EPROTO;
		}
		memcpy((uint8_t *)buf + done, m.body + 16, n);
		msg_free(&m);
		done += n;
	}
	return 0;
}

static int region_write_locked(struct vfu_client *c, uint32_t index, uint64_t offset,
			       const void *buf, size_t count)
{
	size_t done = 0, chunk = xfer_chunk(c);
	uint8_t *req;
	int r = 0;

	req = malloc(16 + (count < chunk ? count : chunk));
	if (!req)
		return -ENOMEM;
	while (done < count) {
		size_t n = count - done < chunk ? count - done : chunk;
		struct vfu_msg m;

		put64(req, offset + done);
		put32(req + 8, index);
		put32(req + 12, (uint32_t)n);
		memcpy(req + 16, (const uint8_t *)buf + done, n);
		r = vfu_call(c, VFU_CMD_REGION_WRITE, req, 16 + n, NULL, 0, &m);
		if (!r)
			r = vfu_expect(c, &m, 16, 16, 0);
		if (r)
			break;
		if (get64(m.body) != offset + done || get32(m.body + 8) != index ||
		    get32(m.body + 12) != n) {
			vfu_log(c, SCMI_LOG_ERR,
				"REGION_WRITE: reply for region %u 0x%llx+%u, wrote region %u "
				"0x%llx+%zu",
				get32(m.body + 8), (unsigned long long)get64(m.body),
				get32(m.body + 12), index, (unsigned long long)(offset + done), n);
			msg_free(&m);
			r = -EPROTO;
			break;
		}
		msg_free(&m);
		done += n;
	}
	free(req);
	return r;
}

int vfu_region_read(struct vfu_client *c, uint32_t index, uint64_t offset, void *buf, size_t count)
{
	const struct vfu_region *reg;
	int r;

	vfu_lock(c);
	r = region_check(c, index, offset, count, false, &reg);
	if (!r)
		r = region_read_locked(c, index, offset, buf, count);
	vfu_unlock(c);
	return r;
}

int vfu_region_write(struct vfu_client *c, uint32_t index, uint64_t offset, const void *buf,
		     size_t count)
{
	const struct vfu_region *reg;
	int r;

	vfu_lock(c);
	r = region_check(c, index, offset, count, true, &reg);
	if (!r)
		r = region_write_locked(c, index, offset, buf, count);
	vfu_unlock(c);
	return r;
}

int vfu_region_write_posted(struct vfu_client *c, uint32_t index, uint64_t offset, const void *buf,
			    size_t count)
{
	struct vfu_hdr h = {.cmd = VFU_CMD_REGION_WRITE,
			    .size = (uint32_t)(VFU_HDR_SIZE + 16 + count),
			    .flags = VFU_F_TYPE_CMD | VFU_F_NO_REPLY};
	const struct vfu_region *reg;
	uint8_t req[16 + 64];
	int r;

	if (count == 0 || count > 64)
		return -EINVAL;
	vfu_lock(c);
	r = vfu_check(c, VFU_CMD_REGION_WRITE);
	if (!r)
		r = region_check(c, index, offset, count, true, &reg);
	if (!r && count > xfer_chunk(c))
		r = -EMSGSIZE;
	if (!r) {
		put64(req, offset);
		put32(req + 8, index);
		put32(req + 12, (uint32_t)count);
		memcpy(req + 16, buf, count);
		h.msg_id = c->next_id++;
		c->posted = true;
		r = vfu_send(c, &h, req, 16 + count, NULL, 0);
	}
	vfu_unlock(c);
	return r;
}

/* The mapped address of [offset, offset + width) when it lies in a mapped
 * area and is naturally aligned there. */
static volatile void *region_ptr(const struct vfu_region *reg, uint64_t offset, unsigned int width)
{
	if (!reg)
		return NULL;
	for (unsigned int i = 0; i < reg->nr_areas; i++) {
		const struct vfu_area *a = &reg->areas[i];
		uint8_t *p;

		if (!a->ptr || offset < a->offset || offset - a->offset > a->size ||
		    width > a->size - (offset - a->offset))
			continue;
		p = (uint8_t *)a->ptr + (offset - a->offset);
		if ((uintptr_t)p % width)
			return NULL;
		return p;
	}
	return NULL;
}

static bool width_ok(unsigned int width)
{
	return width == 1 || width == 2 || width == 4 || width == 8;
}

int vfu_region_read_val(struct vfu_client *c, uint32_t index, uint64_t offset, unsigned int width,
			uint64_t *val)
{
	const struct vfu_region *reg;
	volatile void *p;
	uint8_t b[8];
	int r;

	if (!width_ok(width))
		return -EINVAL;
	vfu_lock(c);
	r = region_check(c, index, offset, width, false, &reg);
	p = r ? NULL : region_ptr(reg, offset, width);
	if (!r && !p)
		r = region_read_locked(c, index, offset, b, width);
	vfu_unlock(c);
	if (r)
		return r;
	if (p) {
		switch (width) {
		case 1:
			*val = *(volatile uint8_t *)p;
			break;
		case 2:
			*val = le16toh(*(volatile uint16_t *)p);
			break;
		case 4:
			*val = le32toh(*(volatile uint32_t *)p);
			break;
		default:
			*val = le64toh(*(volatile uint64_t *)p);
			break;
		}
		return 0;
	}
	switch (width) {
	case 1:
		*val = b[0];
		break;
	case 2:
		*val = get16(b);
		break;
	case 4:
		*val = get32(b);
		break;
	default:
		*val = get64(b);
		break;
	}
	return 0;
}

int vfu_region_write_val(struct vfu_client *c, uint32_t index, uint64_t offset, unsigned int width,
			 uint64_t val)
{
	const struct vfu_region *reg;
	volatile void *p;
	uint8_t b[8];
	int r;

	if (!width_ok(width))
		return -EINVAL;
	if (width < 8 && val >> (8 * width))
		return -EINVAL;
	vfu_lock(c);
	r = region_check(c, index, offset, width, true, &reg);
	p = r ? NULL : region_ptr(reg, offset, width);
	if (!r && p) {
		switch (width) {
		case 1:
			*(volatile uint8_t *)p = (uint8_t)val;
			break;
		case 2:
			*(volatile uint16_t *)p = htole16((uint16_t)val);
			break;
		case 4:
			*(volatile uint32_t *)p = htole32((uint32_t)val);
			break;
		default:
			*(volatile uint64_t *)p = htole64(val);
			break;
		}
	} else if (!r) {
		put64(b, val); /* little-endian: the low @width bytes first */
		r = region_write_locked(c, index, offset, b, width);
	}
	vfu_unlock(c);
	return r;
}

/* ---- DMA windows ------------------------------------------------------- */

int vfu_dma_map(struct vfu_client *c, uint64_t iova, uint64_t size, uint32_t flags, void **ptr)
{
	struct vfu_dma_window *w = NULL;
	unsigned int used = 0;
	uint8_t req[32];
	struct vfu_msg m;
	int fd, r;
	void *p;

	if (!size || iova % VFU_DMA_PAGE || size % VFU_DMA_PAGE || iova > UINT64_MAX - size ||
	    size > SIZE_MAX / 2 || !flags || (flags & ~(VFU_DMA_F_READ | VFU_DMA_F_WRITE)))
		return -EINVAL;
	vfu_lock(c);
	r = vfu_check(c, VFU_CMD_DMA_MAP);
	if (r)
		goto out;
	for (unsigned int i = 0; i < VFU_MAX_DMA_WINDOWS; i++) {
		struct vfu_dma_window *o = &c->dma[i];

		if (!o->used) {
			if (!w)
				w = o;
			continue;
		}
		used++;
		if (iova < o->iova + o->size && o->iova < iova + size) {
			vfu_log(c, SCMI_LOG_DEBUG,
				"DMA_MAP: 0x%llx+0x%llx overlaps window 0x%llx+0x%llx",
				(unsigned long long)iova, (unsigned long long)size,
				(unsigned long long)o->iova, (unsigned long long)o->size);
			r = -EEXIST;
			goto out;
		}
	}
	if (!w || used >= c->caps.max_dma_maps) {
		r = -ENOSPC;
		goto out;
	}
	fd = memfd_create("vfio-user-dma", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	/* Sealed against shrinking: the server holds the fd too, and a
	 * shorter file would fault our accesses (SIGBUS). */
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		r = -errno;
		close(fd);
		goto out;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		r = -errno;
		close(fd);
		goto out;
	}
	put32(req, 32);
	put32(req + 4, flags);
	put64(req + 8, 0);
	put64(req + 16, iova);
	put64(req + 24, size);
	r = vfu_call(c, VFU_CMD_DMA_MAP, req, sizeof(req), &fd, c->caps.max_msg_fds ? 1 : 0, &m);
	if (!r)
		r = vfu_expect(c, &m, 0, 0, 0);
	if (r) {
		munmap(p, size);
		close(fd);
		goto out;
	}
	msg_free(&m);
	*w = (struct vfu_dma_window){
		.used = true, .iova = iova, .size = size, .flags = flags, .fd = fd, .ptr = p};
	*ptr = p;
out:
	vfu_unlock(c);
	return r;
}

int vfu_dma_unmap(struct vfu_client *c, uint64_t iova)
{
	struct vfu_dma_window *w = NULL;
	uint8_t req[24];
	struct vfu_msg m;
	int r;

	vfu_lock(c);
	for (unsigned int i = 0; i < VFU_MAX_DMA_WINDOWS; i++)
		if (c->dma[i].used && c->dma[i].iova == iova)
			w = &c->dma[i];
	if (!w) {
		r = -ENOENT;
		goto out;
	}
	put32(req, 24);
	put32(req + 4, 0);
	put64(req + 8, w->iova);
	put64(req + 16, w->size);
	r = vfu_call(c, VFU_CMD_DMA_UNMAP, req, sizeof(req), NULL, 0, &m);
	if (r)
		goto out;
	/* The spec has the 24-byte request echoed; take an empty reply too. */
	if (m.len != 0) {
		r = vfu_expect(c, &m, 24, 24, 0);
		if (r)
			goto out;
		if (get64(m.body + 8) != w->iova || get64(m.body + 16) != w->size) {
			vfu_log(c, SCMI_LOG_ERR, "DMA_UNMAP: reply names 0x%llx+0x%llx",
				(unsigned long long)get64(m.body + 8),
				(unsigned long long)get64(m.body + 16));
			msg_free(&m);
			r = -EPROTO;
			goto out;
		}
	} else if (m.nfds) {
		r = vfu_expect(c, &m, 0, 0, 0);
		goto out;
	}
	msg_free(&m);
	dma_window_free(w);
out:
	vfu_unlock(c);
	return r;
}

/* ---- interrupts --------------------------------------------------------- */

static int irq_info_locked(struct vfu_client *c, uint32_t index, struct vfu_irq_info *info)
{
	uint8_t req[16] = {0};
	struct vfu_msg m;
	int r;

	put32(req, 16);
	put32(req + 8, index);
	r = vfu_call(c, VFU_CMD_DEVICE_GET_IRQ_INFO, req, sizeof(req), NULL, 0, &m);
	if (!r)
		r = vfu_expect(c, &m, 16, 16, 0);
	if (r)
		return r;
	if (get32(m.body + 8) != index) {
		vfu_log(c, SCMI_LOG_ERR, "DEVICE_GET_IRQ_INFO: reply for index %u, asked for %u",
			get32(m.body + 8), index);
		msg_free(&m);
		return -EPROTO;
	}
	info->flags = get32(m.body + 4);
	info->count = get32(m.body + 12);
	msg_free(&m);
	return 0;
}

int vfu_irq_get_info(struct vfu_client *c, uint32_t index, struct vfu_irq_info *info)
{
	int r;

	vfu_lock(c);
	r = irq_info_locked(c, index, info);
	vfu_unlock(c);
	return r;
}

static int set_irqs(struct vfu_client *c, uint32_t flags, uint32_t index, uint32_t start,
		    uint32_t count, const int *fds, unsigned int nfds)
{
	uint8_t req[20];
	struct vfu_msg m;
	int r;

	put32(req, 20);
	put32(req + 4, flags);
	put32(req + 8, index);
	put32(req + 12, start);
	put32(req + 16, count);
	r = vfu_call(c, VFU_CMD_DEVICE_SET_IRQS, req, sizeof(req), fds, nfds, &m);
	if (!r)
		r = vfu_expect(c, &m, 0, 0, 0);
	if (!r)
		msg_free(&m);
	return r;
}

static int irq_set_eventfds_locked(struct vfu_client *c, uint32_t index, uint32_t start,
				   uint32_t count, const int *fds)
{
	const uint32_t flags = VFU_IRQ_SET_DATA_EVENTFD | VFU_IRQ_SET_ACTION_TRIGGER;
	uint32_t chunk = c->caps.max_msg_fds < VFU_SEND_FDS ? c->caps.max_msg_fds : VFU_SEND_FDS;
	uint32_t done = 0;
	int r;

	if (!count || start > UINT32_MAX - count)
		return -EINVAL;
	r = vfu_check(c, VFU_CMD_DEVICE_SET_IRQS);
	if (r)
		return r;
	if (!fds)
		return set_irqs(c, flags, index, start, count, NULL, 0);
	if (!chunk) {
		vfu_log(c, SCMI_LOG_ERR, "DEVICE_SET_IRQS: the server takes no fds");
		return -EOPNOTSUPP;
	}
	while (done < count) {
		uint32_t n = count - done < chunk ? count - done : chunk;

		r = set_irqs(c, flags, index, start + done, n, fds + done, n);
		if (r)
			return r;
		done += n;
	}
	return 0;
}

int vfu_irq_set_eventfds(struct vfu_client *c, uint32_t index, uint32_t start, uint32_t count,
			 const int *fds)
{
	int r;

	vfu_lock(c);
	r = irq_set_eventfds_locked(c, index, start, count, fds);
	vfu_unlock(c);
	return r;
}

int vfu_irq_disable(struct vfu_client *c, uint32_t index)
{
	int r;

	vfu_lock(c);
	r = set_irqs(c, VFU_IRQ_SET_DATA_NONE | VFU_IRQ_SET_ACTION_TRIGGER, index, 0, 0, NULL, 0);
	vfu_unlock(c);
	return r;
}

int vfu_irq_setup(struct vfu_client *c, uint32_t index, uint32_t want, struct vfu_irqs *out)
{
	struct vfu_irq_info info;
	int r;

	if (!want || want > VFU_MAX_VECTORS)
		return -EINVAL;
	vfu_lock(c);
	if (c->irq_count) {
		r = -EBUSY;
		goto out;
	}
	r = irq_info_locked(c, index, &info);
	if (r)
		goto out;
	if (info.count < want && index == VFU_PCI_MSIX_IRQ) {
		vfu_log(c, SCMI_LOG_INFO, "%u MSI-X vectors, %u wanted: trying INTx", info.count,
			want);
		index = VFU_PCI_INTX_IRQ;
		want = 1;
		r = irq_info_locked(c, index, &info);
		if (r)
			goto out;
	}
	if (info.count < want) {
		vfu_log(c, SCMI_LOG_ERR, "IRQ type %u has %u vectors, %u wanted", index, info.count,
			want);
		r = -ENODEV;
		goto out;
	}
	c->irq_fds = calloc(want, sizeof(int));
	if (!c->irq_fds) {
		r = -ENOMEM;
		goto out;
	}
	for (; c->irq_count < want; c->irq_count++) {
		int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

		if (fd < 0) {
			r = -errno;
			irq_fds_close(c);
			goto out;
		}
		c->irq_fds[c->irq_count] = fd;
	}
	r = irq_set_eventfds_locked(c, index, 0, want, c->irq_fds);
	if (r) {
		irq_fds_close(c);
		goto out;
	}
	c->irq_index = index;
	out->index = index;
	out->count = want;
	out->fds = c->irq_fds;
out:
	vfu_unlock(c);
	return r;
}

int vfu_irq_teardown(struct vfu_client *c)
{
	int r = 0;

	vfu_lock(c);
	if (c->irq_count) {
		r = set_irqs(c, VFU_IRQ_SET_DATA_NONE | VFU_IRQ_SET_ACTION_TRIGGER, c->irq_index, 0,
			     0, NULL, 0);
		irq_fds_close(c);
	}
	vfu_unlock(c);
	return r;
}

/* ---- reset --------------------------------------------------------------- */

int vfu_device_reset(struct vfu_client *c)
{
	struct vfu_msg m;
	int r;

	vfu_lock(c);
	r = vfu_call(c, VFU_CMD_DEVICE_RESET, NULL, 0, NULL, 0, &m);
	if (!r)
		r = vfu_expect(c, &m, 0, 0, 0);
	if (!r)
		msg_free(&m);
	vfu_unlock(c);
	return r;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --ivshmem SOCKET: an ivshmem server for QEMU's ivshmem-doorbell
 * device, the platform being one of its peers.  The agent runs in the
 * guest, on the device bound to uio_pci_generic (uio://, "doorbell out,
 * polling in"); the SCMI channel areas are shmem.c's (struct srv_areas) at
 * the start of the shared memory, the device's BAR2 in the guest.
 *
 * The ivshmem server protocol (server to client only; each message one
 * little-endian int64, some with one descriptor by SCM_RIGHTS):
 *   1. the protocol version, 0;
 *   2. the client's own peer id;
 *   3. -1 with the shared memory's descriptor;
 *   4. each other peer's id, once per vector, each with the eventfd that
 *      interrupts that peer on that vector;
 *   5. the client's own id, once per vector, with the eventfds it is
 *      interrupted on;
 *   then later peers' ids (with an fd: connected; without: gone).
 * The platform is peer IVS_PLATFORM (never a client), with one vector: the
 * guest writing (IVS_PLATFORM << 16 | 0) to the device's Doorbell register
 * (BAR0 offset 0x0c; UIO's map0 in the guest) makes QEMU signal the
 * platform's eventfd, which wakes the server's loop; the areas are looked
 * at on each such doorbell (the doorbell "register" handed to srv_areas is
 * the server's own word, set when the eventfd fired).  P2A acknowledgements carry no doorbell: those
 * are polled as with --shmem.  The client's own eventfd (an interrupt
 * toward the guest, MSI-X only on this device) is made and handed out as
 * the protocol wants, and never signalled: nothing in a guest's UIO could
 * receive it.
 *
 * One client at a time (the next is accepted once it has gone); each gets
 * a new peer id.  Client-to-server traffic does not exist: readable means
 * gone.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "areas.h"

#define IVS_PLATFORM   1u /* the platform's peer id */
#define IVS_FIRST_PEER 2u /* the first client's */
#define IVS_PAGE       4096u
#define IVS_DOORBELL   "map0:0xc" /* the Doorbell register: BAR0, UIO map 0 */

struct ivs {
	struct srv *srv;
	char *path;
	int listen_fd;
	int client_fd;
	int mem_fd;
	uint8_t *mem;
	size_t mem_len;
	int db_fd;	  /* the platform's vector 0: the guest's doorbell */
	int guest_fd;	  /* the client's vector 0 (never signalled) */
	uint32_t db_word; /* the areas' doorbell register: bit 0 on a doorbell */
	unsigned int next_id;
	unsigned int client_id;
	struct srv_areas *areas;
	uint64_t clients, doorbells, proto_errors;
};

static void ivs_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* One protocol message: @v, with @fd (-1: none). */
static int ivs_send(int sock, int64_t v, int fd)
{
	uint64_t le = htole64((uint64_t)v);
	struct iovec iov = {.iov_base = &le, .iov_len = sizeof(le)};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(le))
		return n < 0 ? -errno : -EIO;
	return 0;
}

static void ivs_disconnect(struct ivs *s, const char *why)
{
	srv_log(s->srv, SRV_LOG_INFO, "ivshmem peer %u gone (%s)", s->client_id, why);
	ivs_close_fd(&s->client_fd);
	ivs_close_fd(&s->guest_fd);
}

/* A new client: the whole setup sequence at once (a few dozen bytes: the
 * socket takes them without blocking). */
static int ivs_accept(struct ivs *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	int ret;

	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			srv_log(s->srv, SRV_LOG_ERR, "accept: %s", strerror(errno));
		return 0;
	}
	s->guest_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->guest_fd < 0) {
		srv_log(s->srv, SRV_LOG_ERR, "eventfd: %s", strerror(errno));
		close(fd);
		return 1;
	}
	s->client_fd = fd;
	s->client_id = s->next_id++;
	if (s->next_id > 0xffff)
		s->next_id = IVS_FIRST_PEER;
	ret = ivs_send(fd, 0, -1); /* protocol version */
	if (!ret)
		ret = ivs_send(fd, s->client_id, -1);
	if (!ret)
		ret = ivs_send(fd, -1, s->mem_fd);
	if (!ret)
		ret = ivs_send(fd, IVS_PLATFORM, s->db_fd);
	if (!ret)
		ret = ivs_send(fd, s->client_id, s->guest_fd);
	if (ret) {
		s->proto_errors++;
		srv_log(s->srv, SRV_LOG_ERR, "ivshmem setup of peer %u: %s", s->client_id,
			strerror(-ret));
		ivs_disconnect(s, "setup failed");
		return 1;
	}
	s->clients++;
	srv_log(s->srv, SRV_LOG_INFO, "ivshmem peer %u connected", s->client_id);
	/* The doorbell may have rung for a previous client: start afresh. */
	return 1;
}

/* The client never writes: readable is its end. */
static int ivs_client(struct ivs *s)
{
	struct pollfd p = {.fd = s->client_fd, .events = POLLIN};
	char buf[64];
	ssize_t n;

	if (poll(&p, 1, 0) <= 0)
		return 0;
	n = recv(s->client_fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n > 0) {
		s->proto_errors++;
		srv_log(s->srv, SRV_LOG_ERR,
			"ivshmem peer %u sent %zd bytes: a client never writes", s->client_id, n);
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	ivs_disconnect(s, n ? strerror(errno) : "closed");
	return 1;
}

/* The guest's doorbells since the last look, as one. */
static int ivs_doorbell(struct ivs *s)
{
	uint64_t v;

	if (read(s->db_fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;
	s->doorbells += v;
	__atomic_fetch_or(&s->db_word, htole32(1), __ATOMIC_ACQ_REL);
	return 1;
}

static int ivs_poll(void *state)
{
	struct ivs *s = state;
	int work = 0;

	if (s->client_fd < 0)
		work += ivs_accept(s);
	else
		work += ivs_client(s);
	work += ivs_doorbell(s);
	return work + srv_areas_poll(s->areas);
}

/* The doorbell's eventfd, and the listening socket or the client. */
static int ivs_fds(void *state, struct pollfd *fds, int max)
{
	struct ivs *s = state;
	int n = 0;

	if (n < max)
		fds[n++] = (struct pollfd){.fd = s->db_fd, .events = POLLIN};
	if (n < max)
		fds[n++] = (struct pollfd){.fd = s->client_fd >= 0 ? s->client_fd : s->listen_fd,
					   .events = POLLIN};
	return n;
}

static void ivs_output(void *state, struct srv_ctx ctx, enum scmi_sim_chan chan, const void *msg,
		       size_t len)
{
	srv_areas_output(((struct ivs *)state)->areas, ctx, chan, msg, len);
}

/* The URI an agent in the guest opens once the device is bound to
 * uio_pci_generic (as uio0: rename it to the guest's uioN). */
static void ivs_print_uri(void *state, FILE *f)
{
	struct ivs *s = state;

	fputs("uio://uio0?shm=res2&", f);
	srv_areas_print(s->areas, f);
	fprintf(f, "&db=" IVS_DOORBELL "&db_set=0x%x&completion=poll", IVS_PLATFORM << 16);
}

static void ivs_stats(void *state, char *buf, size_t size)
{
	struct ivs *s = state;
	int n;

	srv_areas_stats(s->areas, buf, size);
	n = (int)strlen(buf);
	if (n < 0 || (size_t)n >= size)
		return;
	snprintf(buf + n, size - (size_t)n,
		 " ivshmem_connected=%d ivshmem_peer=%u ivshmem_clients=%llu "
		 "ivshmem_doorbells=%llu ivshmem_proto_errors=%llu",
		 s->client_fd >= 0, s->client_fd >= 0 ? s->client_id : 0,
		 (unsigned long long)s->clients, (unsigned long long)s->doorbells,
		 (unsigned long long)s->proto_errors);
}

static void ivs_free(struct ivs *s)
{
	srv_areas_free(s->areas);
	if (s->client_fd >= 0)
		ivs_disconnect(s, "server stopping");
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		unlink(s->path);
	}
	if (s->mem)
		munmap(s->mem, s->mem_len);
	ivs_close_fd(&s->mem_fd);
	ivs_close_fd(&s->db_fd);
	free(s->path);
	free(s);
}

static void ivs_close(void *state, bool keep)
{
	(void)keep; /* a socket is of no use without its server */
	ivs_free(state);
}

/* Bind and listen at s->path (a stale socket there is replaced, a live
 * server's is not). */
static int ivs_listen(struct ivs *s)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, err;

	if (strlen(s->path) >= sizeof(sa.sun_path)) {
		srv_log(NULL, SRV_LOG_ERR, "--ivshmem: '%s' is too long for a socket", s->path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, s->path, strlen(s->path) + 1);
	if (!lstat(s->path, &st)) {
		int probe;

		if (!S_ISSOCK(st.st_mode)) {
			srv_log(NULL, SRV_LOG_ERR, "--ivshmem: '%s' exists and is not a socket",
				s->path);
			return -EEXIST;
		}
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && !connect(probe, (struct sockaddr *)&sa, sizeof(sa))) {
			close(probe);
			srv_log(NULL, SRV_LOG_ERR, "--ivshmem: a server listens at '%s' already",
				s->path);
			return -EADDRINUSE;
		}
		if (probe >= 0)
			close(probe);
		unlink(s->path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4)) {
		err = errno;
		srv_log(NULL, SRV_LOG_ERR, "--ivshmem: cannot listen at '%s': %s", s->path,
			strerror(err));
		if (fd >= 0)
			close(fd);
		return -err;
	}
	s->listen_fd = fd;
	return 0;
}

/* The shared memory: anonymous (memfd), a power of two (a BAR's size), a
 * page at least. */
static int ivs_memory(struct ivs *s, const struct srv_opts *o)
{
	size_t len = IVS_PAGE;
	int err;

	while (len < srv_areas_len(o))
		len *= 2;
	s->mem_fd = memfd_create("scmi-sim-ivshmem", MFD_CLOEXEC);
	if (s->mem_fd < 0 || ftruncate(s->mem_fd, (off_t)len)) {
		err = errno;
		srv_log(NULL, SRV_LOG_ERR, "--ivshmem: shared memory: %s", strerror(err));
		return -err;
	}
	s->mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, s->mem_fd, 0);
	if (s->mem == MAP_FAILED) {
		err = errno;
		s->mem = NULL;
		srv_log(NULL, SRV_LOG_ERR, "--ivshmem: mmap: %s", strerror(err));
		return -err;
	}
	s->mem_len = len;
	return 0;
}

static int ivs_open(struct srv *srv, const struct srv_opts *o, void **state)
{
	struct ivs *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	s->srv = srv;
	s->listen_fd = s->client_fd = s->mem_fd = s->db_fd = s->guest_fd = -1;
	s->next_id = IVS_FIRST_PEER;
	s->path = srv_abs_path(o->ivshmem_path);
	if (!s->path) {
		free(s);
		return -ENOMEM;
	}
	s->db_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->db_fd < 0) {
		ret = -errno;
		srv_log(NULL, SRV_LOG_ERR, "--ivshmem: eventfd: %s", strerror(-ret));
		ivs_free(s);
		return ret;
	}
	ret = ivs_memory(s, o);
	if (!ret)
		ret = srv_areas_new(srv, o, s->mem, &s->areas);
	if (!ret)
		ret = ivs_listen(s);
	if (ret) {
		ivs_free(s);
		return ret;
	}
	srv_areas_doorbell(s->areas, &s->db_word, 32, 1);
	srv_log(srv, SRV_LOG_INFO,
		"ivshmem server at %s: %u channel pair(s) of %zu bytes in %zu bytes of shared "
		"memory, platform peer %u",
		s->path, 1 + o->n_protos, o->size, s->mem_len, IVS_PLATFORM);
	*state = s;
	return 0;
}

const struct srv_mode srv_mode_ivshmem = {
	.name = "ivshmem",
	.open = ivs_open,
	.print_uri = ivs_print_uri,
	.poll = ivs_poll,
	.output = ivs_output,
	.stats = ivs_stats,
	.fds = ivs_fds,
	.close = ivs_close,
};

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --ivshmem (sim/server/ivshmem.c) without a VM: the test plays
 * QEMU's ivshmem-doorbell device -- it connects to the server's socket,
 * takes the setup messages of the ivshmem server protocol, maps the shared
 * memory it was handed, writes a Base PROTOCOL_VERSION command into the A2P
 * area and rings the platform's eventfd as QEMU does on the guest's
 * doorbell write.  The VM test vm_uio (tests/vm) does the same with a real
 * QEMU and a real guest.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "server.h"

struct ivs_msg {
	int64_t v;
	int fd;
};

static struct srv *srv;
static char dir[64], sock_path[128];

static void setup(void)
{
	struct srv_config c = {0};

	snprintf(dir, sizeof(dir), "/tmp/scmi-ivs-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/ivshmem.sock", dir);
	srv_opts_default(&c.o);
	c.mode = &srv_mode_ivshmem;
	c.o.ivshmem_path = sock_path;
	cr_assert_eq(srv_create(&c, &srv), 0);
	cr_assert_eq(srv_start(srv), 0);
}

static void teardown(void)
{
	srv_destroy(srv, false);
	srv = NULL;
	rmdir(dir);
}

static int ivs_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	strcpy(sa.sun_path, sock_path);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "%s", strerror(errno));
	return fd;
}

/* One message: 8 bytes, little-endian, with at most one fd. */
static struct ivs_msg ivs_recv(int sock)
{
	uint64_t le;
	struct iovec iov = {.iov_base = &le, .iov_len = sizeof(le)};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	struct ivs_msg m = {.fd = -1};
	struct cmsghdr *c;
	ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);

	cr_assert_eq(n, (ssize_t)sizeof(le), "recvmsg: %zd (%s)", n, strerror(errno));
	m.v = (int64_t)le64toh(le);
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&m.fd, CMSG_DATA(c), sizeof(int));
	return m;
}

struct peer {
	int sock;
	int64_t id;
	int mem_fd, platform_fd, own_fd;
};

/* The setup sequence a client gets. */
static void ivs_setup(struct peer *p)
{
	struct ivs_msg m;

	p->sock = ivs_connect();
	m = ivs_recv(p->sock);
	cr_assert_eq(m.v, 0, "protocol version");
	cr_assert_eq(m.fd, -1);
	m = ivs_recv(p->sock);
	p->id = m.v;
	cr_assert(p->id >= 0 && p->id <= 0xffff, "peer id %lld", (long long)p->id);
	cr_assert_eq(m.fd, -1);
	m = ivs_recv(p->sock);
	cr_assert_eq(m.v, -1, "the shared memory's message");
	cr_assert_geq(m.fd, 0);
	p->mem_fd = m.fd;
	m = ivs_recv(p->sock);
	cr_assert_eq(m.v, 1, "the platform is peer 1");
	cr_assert_geq(m.fd, 0);
	p->platform_fd = m.fd;
	m = ivs_recv(p->sock);
	cr_assert_eq(m.v, p->id, "the client's own vector");
	cr_assert_geq(m.fd, 0);
	p->own_fd = m.fd;
}

static void peer_close(struct peer *p)
{
	close(p->sock);
	close(p->mem_fd);
	close(p->platform_fd);
	close(p->own_fd);
}

static uint32_t rd(volatile uint8_t *m, size_t off)
{
	return le32toh(__atomic_load_n((uint32_t *)(uintptr_t)(m + off), __ATOMIC_ACQUIRE));
}

static void wr(volatile uint8_t *m, size_t off, uint32_t v)
{
	__atomic_store_n((uint32_t *)(uintptr_t)(m + off), htole32(v), __ATOMIC_RELEASE);
}

static bool area_free(void *arg)
{
	return rd(arg, 0x04) & 1;
}

static unsigned long long stat_of(const char *key)
{
	char reply[2048], pat[64], *p;

	cr_assert_eq(srv_command(srv, "stats", reply, sizeof(reply)), 0);
	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(reply, pat);
	cr_assert_not_null(p, "%s in %s", key, reply);
	return strtoull(p + strlen(pat), NULL, 10);
}

static bool disconnected(void *arg)
{
	(void)arg;
	return stat_of("ivshmem_connected") == 0;
}

TestSuite(ivshmem_server, .init = setup, .fini = teardown, .timeout = 60);

Test(ivshmem_server, uri_names_the_doorbell)
{
	char uri[512];

	cr_assert_eq(srv_uri(srv, uri, sizeof(uri)), 0);
	cr_expect_str_eq(uri, "uio://uio0?shm=res2&a2p=0x0&p2a=0x80&size=128&db=map0:0xc&"
			      "db_set=0x10000&completion=poll");
}

Test(ivshmem_server, command_answered_on_doorbell)
{
	struct peer p;
	struct stat st;
	volatile uint8_t *m;
	uint64_t one = 1;
	uint32_t hdr = (0x10u << 10) | (5u << 18); /* Base PROTOCOL_VERSION, token 5 */

	ivs_setup(&p);
	cr_expect_eq(p.id, 2, "the first client is peer 2");
	cr_assert_eq(fstat(p.mem_fd, &st), 0);
	cr_expect_eq(st.st_size, 4096, "a power of two, a page at least");
	m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, p.mem_fd, 0);
	cr_assert_neq(m, MAP_FAILED);
	cr_assert(area_free((void *)(uintptr_t)m), "the A2P area starts free");

	/* The command, status cleared last; no doorbell yet. */
	wr(m, 0x10, 0);
	wr(m, 0x14, 4);
	wr(m, 0x18, hdr);
	wr(m, 0x04, 0);
	/* A whole loop turn at least: the server must leave the area alone. */
	for (int i = 0; i < 3; i++)
		cr_expect_eq(stat_of("requests"), 0, "a command taken without a doorbell");
	cr_expect_eq(rd(m, 0x04) & 1, 0);

	/* QEMU's part of the guest's doorbell write. */
	cr_assert_eq(write(p.platform_fd, &one, sizeof(one)), (ssize_t)sizeof(one));
	cr_assert(test_wait_until(area_free, (void *)(uintptr_t)m, 10000), "no response");
	cr_expect_eq(rd(m, 0x04) & 2, 0, "no ERROR");
	cr_expect_eq(rd(m, 0x14), 12, "header, status, version");
	cr_expect_eq(rd(m, 0x18), hdr);
	cr_expect_eq(rd(m, 0x1c), 0, "SUCCESS");
	cr_expect_neq(rd(m, 0x20), 0, "a version");
	cr_expect_eq(stat_of("ivshmem_doorbells"), 1);
	cr_expect_eq(stat_of("requests"), 1);

	/* The client goes; the next is a new peer. */
	munmap((void *)(uintptr_t)m, (size_t)st.st_size);
	peer_close(&p);
	cr_assert(test_wait_until(disconnected, NULL, 10000));
	ivs_setup(&p);
	cr_expect_eq(p.id, 3);
	cr_expect_eq(stat_of("ivshmem_clients"), 2);
	peer_close(&p);
}

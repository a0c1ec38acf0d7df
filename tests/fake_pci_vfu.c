// SPDX-License-Identifier: BSD-3-Clause
/* A plain PCI function behind a vfio-user socket (fake_pci_vfu.h). */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "fake_pci_vfu.h"

/* vfio-user commands and flags (the wire protocol, not libscmi's). */
enum {
	CMD_VERSION = 1,
	CMD_DEVICE_GET_INFO = 4,
	CMD_DEVICE_GET_REGION_INFO = 5,
	CMD_DEVICE_GET_IRQ_INFO = 7,
	CMD_REGION_READ = 9,
	CMD_REGION_WRITE = 10,
	CMD_DEVICE_RESET = 13,
};
#define F_TYPE_REPLY  0x1u
#define F_NO_REPLY    0x10u
#define F_ERROR	      0x20u
#define DEV_F_RESET   0x1u
#define DEV_F_PCI     0x2u
#define REG_F_RW      0x3u
#define IRQ_F_EVENTFD 0x1u
#define BAR0_SIZE     4096u
#define CONFIG_REGION 7u

struct fake_pci_vfu {
	char dir[32], path[64];
	int lfd;
	pthread_t thr;
	uint8_t cfg[256];
	atomic_uint served;
};

static void put16(uint8_t *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, 2);
}
static void put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}
static void put64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}
static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return le16toh(v);
}
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}
static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

/* Exactly @len bytes; fds passed along are closed. */
static int recv_all(int fd, void *buf, size_t len)
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
			return -1;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
				int f;

				memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
				close(f);
			}
		got += (size_t)n;
	}
	return 0;
}

/* The reply's body into @out (*@olen bytes); false: an error reply. */
static bool answer(struct fake_pci_vfu *f, uint16_t cmd, const uint8_t *p, size_t len, uint8_t *out,
		   size_t *olen)
{
	static const char caps[] = "{\"capabilities\":{\"max_msg_fds\":8,"
				   "\"max_data_xfer_size\":1048576}}";
	uint32_t idx;

	*olen = 0;
	switch (cmd) {
	case CMD_VERSION:
		put16(out, 0);
		put16(out + 2, 2);
		memcpy(out + 4, caps, sizeof(caps));
		*olen = 4 + sizeof(caps);
		return true;
	case CMD_DEVICE_GET_INFO:
		put32(out, 16);
		put32(out + 4, DEV_F_RESET | DEV_F_PCI);
		put32(out + 8, 9);
		put32(out + 12, 5);
		*olen = 16;
		return true;
	case CMD_DEVICE_GET_REGION_INFO:
		if (len < 12)
			return false;
		idx = get32(p + 8);
		memset(out, 0, 32);
		put32(out, 32);
		put32(out + 8, idx);
		if (idx == 0 || idx == CONFIG_REGION) {
			put32(out + 4, REG_F_RW);
			put64(out + 16, idx ? sizeof(f->cfg) : BAR0_SIZE);
		}
		*olen = 32;
		return true;
	case CMD_DEVICE_GET_IRQ_INFO:
		if (len < 12)
			return false;
		idx = get32(p + 8);
		put32(out, 16);
		put32(out + 4, IRQ_F_EVENTFD);
		put32(out + 8, idx);
		put32(out + 12, idx == 0 ? 1 : 0);
		*olen = 16;
		return true;
	case CMD_REGION_READ:
	case CMD_REGION_WRITE: {
		uint64_t off;
		uint32_t region, count;

		if (len < 16)
			return false;
		off = get64(p);
		region = get32(p + 8);
		count = get32(p + 12);
		if (count > 256)
			return false;
		memcpy(out, p, 16);
		*olen = 16;
		if (cmd == CMD_REGION_WRITE)
			return true; /* writes are ignored */
		memset(out + 16, 0, count);
		if (region == CONFIG_REGION && off + count <= sizeof(f->cfg))
			memcpy(out + 16, f->cfg + off, count);
		else if (region != 0 || off + count > BAR0_SIZE)
			return false;
		*olen += count;
		return true;
	}
	case CMD_DEVICE_RESET:
		return true;
	default:
		return false;
	}
}

static void serve(struct fake_pci_vfu *f, int fd)
{
	for (;;) {
		uint8_t hdr[16], *body, out[16 + 16 + 256 + 128];
		uint32_t size, flags;
		size_t olen;
		bool ok;

		if (recv_all(fd, hdr, 16))
			return;
		size = get32(hdr + 4);
		flags = get32(hdr + 8);
		if (size < 16 || size > (1u << 20))
			return;
		body = calloc(1, size - 16 + 1);
		if (!body || (size > 16 && recv_all(fd, body, size - 16))) {
			free(body);
			return;
		}
		ok = answer(f, get16(hdr + 2), body, size - 16, out + 16, &olen);
		free(body);
		atomic_fetch_add(&f->served, 1);
		if (flags & F_NO_REPLY)
			continue;
		if (!ok)
			olen = 0;
		memcpy(out, hdr, 4); /* msg_id, cmd */
		put32(out + 4, (uint32_t)(16 + olen));
		put32(out + 8, F_TYPE_REPLY | (ok ? 0 : F_ERROR));
		put32(out + 12, ok ? 0 : EINVAL);
		if (send(fd, out, 16 + olen, MSG_NOSIGNAL) < 0)
			return;
	}
}

static void *fake_main(void *arg)
{
	struct fake_pci_vfu *f = arg;
	int fd;

	/* One client after the other, until the listening socket is shut. */
	while ((fd = accept(f->lfd, NULL, NULL)) >= 0) {
		serve(f, fd);
		close(fd);
	}
	return NULL;
}

struct fake_pci_vfu *fake_pci_vfu_start(const struct fake_pci_ids *ids)
{
	struct fake_pci_vfu *f = calloc(1, sizeof(*f));
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	cr_assert_not_null(f);
	put16(f->cfg + 0x00, ids->vendor);
	put16(f->cfg + 0x02, ids->device);
	f->cfg[0x08] = 1; /* revision */
	f->cfg[0x09] = (uint8_t)ids->class_code;
	f->cfg[0x0a] = (uint8_t)(ids->class_code >> 8);
	f->cfg[0x0b] = (uint8_t)(ids->class_code >> 16);
	put16(f->cfg + 0x2c, ids->subsystem_vendor);
	put16(f->cfg + 0x2e, ids->subsystem_device);
	f->cfg[0x3d] = 1; /* INTA */
	snprintf(f->dir, sizeof(f->dir), "/tmp/fpci.XXXXXX");
	cr_assert_not_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/sock", f->dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
	f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(f->lfd, 0);
	cr_assert_eq(bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(f->lfd, 4), 0);
	cr_assert_eq(pthread_create(&f->thr, NULL, fake_main, f), 0);
	return f;
}

const char *fake_pci_vfu_path(const struct fake_pci_vfu *f)
{
	return f->path;
}

unsigned int fake_pci_vfu_served(const struct fake_pci_vfu *f)
{
	return atomic_load(&f->served);
}

void fake_pci_vfu_stop(struct fake_pci_vfu *f)
{
	if (!f)
		return;
	shutdown(f->lfd, SHUT_RDWR);
	close(f->lfd);
	pthread_join(f->thr, NULL);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
}

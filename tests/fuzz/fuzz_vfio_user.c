// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the vfio-user client (transports/virtio-vfio-user):
 * the input is everything a hostile server sends on the socket -- replies,
 * DMA_READ / DMA_WRITE requests, fds -- while the client goes through a
 * fixed session:
 *
 *   VERSION, DEVICE_GET_INFO, DEVICE_GET_REGION_INFO 0..8, per region with
 *   room a 4-byte read and a 2-byte write (through a mapping or messages),
 *   a 64-byte REGION_READ of region 7, DMA_MAP of a read-write and a
 *   read-only window, interrupts (MSI-X, 2 vectors, INTx fallback), a
 *   posted (NO_REPLY) REGION_WRITE, DEVICE_RESET, the interrupt teardown, DMA_UNMAP of both windows
 * (the read-write one last, so that it still serves requests), then vfu_client_process() for what
 * is left.
 *
 * Input: an options byte (bit 0: our max_data_xfer_size 64 instead of
 * 4096), then chunks [nfds][len lo][len hi][len bytes]; each chunk is one
 * sendmsg() carrying nfds % 4 fds (memfds of 16 KiB).  The whole stream is
 * written before the session starts and the server's side is then shut
 * down for writing, so the client never waits: what is missing is an EOF.
 * Message ids start at 0 and count the client's commands.
 *
 * Checks, besides the sanitizers: every call returns 0 or a negative errno
 * below 4096; a region's areas lie within the region and a mapped area can
 * be read whole; a DMA window's memory stays writable; no fd is left open
 * after the client is closed.  The seeds are written by vfio-user-seeds.py.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define FUZZ_NAME "fuzz_vfio_user"
#include "fuzz_check.h"
#include "vfio_user.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void log_stderr(void *priv, enum scmi_log_level level, const char *msg)
{
	fprintf(stderr, "%d: %s\n", (int)level, msg);
}

/* Every line is formatted (the formatting sees the hostile values too),
 * then dropped. */
static size_t log_bytes;
static void log_drop(void *priv, enum scmi_log_level level, const char *msg)
{
	log_bytes += strlen(msg);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n++;
	closedir(d);
	return n;
}

/* Reads and drops what the client sends, until it closes. */
static void *drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[65536];

	for (;;) {
		char ctl[CMSG_SPACE(64 * sizeof(int))];
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = ctl,
				    .msg_controllen = sizeof(ctl)};
		ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);

		if (n <= 0)
			break;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t i = 0; i < k; i++) {
				int f;

				memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
				close(f);
			}
		}
	}
	return NULL;
}

/* One chunk, without waiting: false once the socket is full (the rest of
 * the input is then not sent; the same input always stops at the same
 * place). */
static bool send_chunk(int fd, const uint8_t *p, size_t len, unsigned int nfds)
{
	ssize_t n;
	char ctl[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = {(void *)p, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	int fds[3];

	for (unsigned int i = 0; i < nfds; i++) {
		fds[i] = memfd_create("fuzz-region", MFD_CLOEXEC);
		if (fds[i] < 0 || ftruncate(fds[i], 0x4000) < 0)
			abort();
	}
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
	/* A stream carries no fds without data: an empty chunk sends
	 * nothing. */
	n = len ? sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) : 0;
	for (unsigned int i = 0; i < nfds; i++)
		close(fds[i]);
	return n == (ssize_t)len;
}

#define CHECK_RET(r, what) FUZZ_CHECK((r) <= 0 && (r) > -4096, "%s returned %d", what, (r))

static void check_region(struct vfu_client *c, const struct vfu_region *reg)
{
	for (unsigned int i = 0; i < reg->nr_areas; i++) {
		const struct vfu_area *a = &reg->areas[i];
		volatile const uint8_t *p = a->ptr;
		uint8_t sum = 0;

		FUZZ_CHECK(a->offset <= reg->size && a->size <= reg->size - a->offset,
			   "area %u 0x%llx+0x%llx outside region %u of 0x%llx", i,
			   (unsigned long long)a->offset, (unsigned long long)a->size, reg->index,
			   (unsigned long long)reg->size);
		if (!p)
			continue;
		/* The mapping is there and whole: first and last byte. */
		sum += p[0];
		sum += p[a->size - 1];
		(void)sum;
	}
}

static void session(struct vfu_client *c)
{
	const struct vfu_region *reg;
	struct vfu_device_info info;
	struct vfu_irqs irqs;
	uint8_t buf[64], *win = NULL, *ro = NULL;
	uint64_t v;
	int r;

	r = vfu_client_negotiate(c);
	CHECK_RET(r, "negotiate");
	r = vfu_device_get_info(c, &info);
	CHECK_RET(r, "get_info");
	for (uint32_t i = 0; i < VFU_PCI_NUM_REGIONS; i++) {
		r = vfu_region_get_info(c, i, &reg);
		CHECK_RET(r, "region_get_info");
		if (r)
			continue;
		FUZZ_CHECK(reg->index == i, "region %u info names %u", i, reg->index);
		FUZZ_CHECK(reg->nr_areas <= VFU_MAX_SPARSE_AREAS, "%u areas", reg->nr_areas);
		check_region(c, reg);
		if (reg->size < 8)
			continue;
		r = vfu_region_read_val(c, i, 0, 4, &v);
		CHECK_RET(r, "region_read_val");
		FUZZ_CHECK(r || v <= UINT32_MAX, "4-byte read gave 0x%llx", (unsigned long long)v);
		r = vfu_region_write_val(c, i, 4, 2, 0x6);
		CHECK_RET(r, "region_write_val");
	}
	r = vfu_region_read(c, VFU_PCI_CONFIG_REGION, 0, buf, sizeof(buf));
	CHECK_RET(r, "region_read");
	r = vfu_dma_map(c, 0x10000, 0x2000, VFU_DMA_F_READ | VFU_DMA_F_WRITE, (void **)&win);
	CHECK_RET(r, "dma_map");
	if (!r)
		memset(win, 0x5a, 0x2000);
	r = vfu_dma_map(c, 0x20000, 0x1000, VFU_DMA_F_READ, (void **)&ro);
	CHECK_RET(r, "dma_map");
	r = vfu_irq_setup(c, VFU_PCI_MSIX_IRQ, 2, &irqs);
	CHECK_RET(r, "irq_setup");
	FUZZ_CHECK(r || (irqs.count >= 1 && irqs.count <= 2), "irq count %u", irqs.count);
	r = vfu_region_write_posted(c, 0, 0x10, buf, 2);
	CHECK_RET(r, "region_write_posted");
	r = vfu_device_reset(c);
	CHECK_RET(r, "reset");
	r = vfu_irq_teardown(c);
	CHECK_RET(r, "irq_teardown");
	r = vfu_dma_unmap(c, 0x20000);
	CHECK_RET(r, "dma_unmap");
	r = vfu_dma_unmap(c, 0x10000);
	CHECK_RET(r, "dma_unmap");
	if (r && win)
		memset(win, 0xa5, 0x2000); /* still ours */
	/* What is left: requests are served, then the EOF. */
	for (int i = 0; i < 4; i++) {
		r = vfu_client_process(c);
		FUZZ_CHECK(r > -4096, "process returned %d", r);
		if (r <= 0)
			break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfu_client_config cfg = {
		.log = log_drop, .log_level = SCMI_LOG_DEBUG, .timeout_ms = 2000};
	struct vfu_client *c;
	pthread_t thr;
	int sv[2], fds_before;
	size_t off = 1;

	if (size < 1)
		return 0;
	cfg.max_data_xfer_size = (data[0] & 1) ? 64 : 4096;
	if (getenv("FUZZ_VFIO_USER_DEBUG")) {
		cfg.log_level = SCMI_LOG_DEBUG;
		cfg.log = log_stderr;
	}
	fds_before = count_fds();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	while (off + 3 <= size) {
		unsigned int nfds = data[off] % 4;
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;

		off += 3;
		if (len > size - off)
			len = size - off;
		if (!send_chunk(sv[1], data + off, len, nfds))
			break;
		off += len;
	}
	shutdown(sv[1], SHUT_WR);
	if (pthread_create(&thr, NULL, drain, &sv[1]))
		abort();
	if (vfu_client_attach(sv[0], &cfg, &c))
		abort();
	session(c);
	vfu_client_close(c);
	pthread_join(thr, NULL);
	close(sv[1]);
	FUZZ_CHECK(count_fds() == fds_before, "%d fds open, %d before", count_fds(), fds_before);
	return 0;
}

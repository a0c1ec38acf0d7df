// SPDX-License-Identifier: BSD-3-Clause
/*
 * The shared-memory helpers (scmi/shmem.h) against hostile areas, at their
 * exact limits; the shmem:// mapping of files and devices
 * (transports/shmem/map.c) and its URI (transports/shmem/config.c).
 *
 * Areas are heap blocks of exactly the area's size, so that under
 * AddressSanitizer (scripts/test.sh) a read or write one byte past the area
 * fails the test.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scmi/shmem.h>

#include "common.h"
#include "config.h"
#include "helpers.h"
#include "map.h"
#include "uri.h"

#define AREA 128u

static uint8_t *area_new(size_t size)
{
	uint8_t *a = malloc(size); /* aligned for any word */

	cr_assert_not_null(a);
	memset(a, 0, size);
	return a;
}

static void put32(uint8_t *a, size_t off, uint32_t v)
{
	scmi_put_le32(a + off, v);
}

static uint32_t get32(const uint8_t *a, size_t off)
{
	return scmi_get_le32(a + off);
}

static struct scmi_shmem sh_of(uint8_t *a, size_t size, unsigned int flags)
{
	struct scmi_shmem sh;

	cr_assert_eq(scmi_shmem_init(&sh, a, size, flags), 0);
	return sh;
}

/* ---- init and limits ------------------------------------------------------ */

Test(shmem, init_checks_the_area)
{
	uint8_t *a = area_new(AREA);
	struct scmi_shmem sh;

	cr_assert_eq(scmi_shmem_init(&sh, NULL, AREA, 0), -EINVAL);
	cr_assert_eq(scmi_shmem_init(&sh, a + 2, 64, 0), -EINVAL, "misaligned");
	cr_assert_eq(scmi_shmem_init(&sh, a, 28, 0), -EINVAL, "no room for a status word");
	cr_assert_eq(scmi_shmem_init(&sh, a, 36 - 2, 0), -EINVAL, "not a multiple of 4");
	cr_assert_eq(scmi_shmem_init(&sh, a, 32, 2), -EINVAL, "unknown flag");
	cr_assert_eq(scmi_shmem_init(&sh, a, 32, SCMI_SHMEM_IO32), 0, "smallest area");
	cr_assert_eq(scmi_shmem_max_request(&sh), 4);
	cr_assert_eq(scmi_shmem_max_response(&sh), 0);
	sh = sh_of(a, AREA, 0);
	cr_assert_eq(scmi_shmem_max_request(&sh), AREA - 28);
	cr_assert_eq(scmi_shmem_max_response(&sh), AREA - 32);
	free(a);
}

/* ---- A2P: send -------------------------------------------------------------- */

Test(shmem, tx_prepare_writes_the_command_and_hands_it_over)
{
	uint8_t *a = area_new(AREA), payload[AREA];
	struct scmi_shmem sh = sh_of(a, AREA, 0);
	uint32_t hdr = scmi_hdr_pack(7, 0, 0x13, 0x2a5);

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i + 1);
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE | SCMI_SHMEM_STATUS_ERROR);
	cr_assert_eq(scmi_shmem_tx_prepare(&sh, hdr, payload, 5, false), 0);
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_STATUS), 0, "busy, ERROR cleared");
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_FLAGS), 0, "polling: no interrupt asked");
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_LENGTH), 4 + 5);
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_HEADER), hdr);
	cr_assert_arr_eq(a + SCMI_SHMEM_OFF_PAYLOAD, payload, 5);
	cr_assert_not(scmi_shmem_is_free(&sh));

	/* Not FREE: nothing is written. */
	put32(a, SCMI_SHMEM_OFF_LENGTH, 0xdead);
	cr_assert_eq(scmi_shmem_tx_prepare(&sh, hdr, payload, 4, true), -EBUSY);
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_ERROR);
	cr_assert_eq(scmi_shmem_tx_prepare(&sh, hdr, payload, 4, true), -EBUSY,
		     "ERROR is not FREE");
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_LENGTH), 0xdead);

	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	cr_assert_eq(scmi_shmem_tx_prepare(&sh, hdr, NULL, 0, true), 0, "no payload");
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_FLAGS), SCMI_SHMEM_FLAG_INTR);
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_LENGTH), 4);
	cr_assert_eq(scmi_shmem_tx_prepare(&sh, hdr, NULL, 4, true), -EINVAL);

	/* The payload fills the area exactly; one byte more does not fit. */
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	cr_assert_eq(scmi_shmem_tx_prepare(&sh, hdr, payload, AREA - 28 + 1, false), -EMSGSIZE);
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_STATUS), SCMI_SHMEM_STATUS_FREE, "untouched");
	cr_assert_eq(scmi_shmem_tx_prepare(&sh, hdr, payload, AREA - 28, false), 0);
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_LENGTH), AREA - 24);
	cr_assert_arr_eq(a + SCMI_SHMEM_OFF_PAYLOAD, payload, AREA - 28);
	free(a);
}

Test(shmem, tx_prepare_partial_word)
{
	uint8_t *a = area_new(AREA), payload[7] = {1, 2, 3, 4, 5, 6, 7};
	struct scmi_shmem sh = sh_of(a, AREA, 0), sh32 = sh_of(a, AREA, SCMI_SHMEM_IO32);

	/* Byte mode: the bytes after the payload are left alone. */
	memset(a + SCMI_SHMEM_OFF_PAYLOAD, 0xaa, 8);
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	cr_assert_eq(scmi_shmem_tx_prepare(&sh, 1, payload, 7, false), 0);
	cr_assert_arr_eq(a + SCMI_SHMEM_OFF_PAYLOAD, payload, 7);
	cr_assert_eq(a[SCMI_SHMEM_OFF_PAYLOAD + 7], 0xaa);
	/* 32-bit-only mode: the last word is written whole, zero-padded. */
	memset(a + SCMI_SHMEM_OFF_PAYLOAD, 0xaa, 8);
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	cr_assert_eq(scmi_shmem_tx_prepare(&sh32, 1, payload, 7, false), 0);
	cr_assert_arr_eq(a + SCMI_SHMEM_OFF_PAYLOAD, payload, 7);
	cr_assert_eq(a[SCMI_SHMEM_OFF_PAYLOAD + 7], 0);
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_LENGTH), 4 + 7, "the length stays exact");
	/* A partial last word that ends the area stays inside it. */
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	uint8_t big[AREA];
	memset(big, 0x5c, sizeof(big));
	cr_assert_eq(scmi_shmem_tx_prepare(&sh32, 1, big, AREA - 28 - 1, false), 0);
	cr_assert_eq(a[AREA - 2], 0x5c);
	cr_assert_eq(a[AREA - 1], 0);
	free(a);
}

/* ---- A2P: completion -------------------------------------------------------- */

Test(shmem, poll_done_needs_free_or_error_and_the_token)
{
	uint8_t *a = area_new(AREA);
	struct scmi_shmem sh = sh_of(a, AREA, 0);
	uint32_t sent = scmi_hdr_pack(3, 0, 0x14, 77);

	put32(a, SCMI_SHMEM_OFF_HEADER, sent);
	cr_assert_not(scmi_shmem_poll_done(&sh, sent), "platform still owns it");
	put32(a, SCMI_SHMEM_OFF_STATUS, 0xfffffffcu);
	cr_assert_not(scmi_shmem_poll_done(&sh, sent), "reserved bits are not FREE");
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	cr_assert(scmi_shmem_poll_done(&sh, sent));
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_ERROR);
	cr_assert(scmi_shmem_poll_done(&sh, sent), "ERROR completes too");
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	put32(a, SCMI_SHMEM_OFF_HEADER, scmi_hdr_pack(3, 0, 0x14, 78));
	cr_assert_not(scmi_shmem_poll_done(&sh, sent), "another token: an old reply");
	/* Only the token is compared. */
	put32(a, SCMI_SHMEM_OFF_HEADER, scmi_hdr_pack(9, 1, 0x15, 77));
	cr_assert(scmi_shmem_poll_done(&sh, sent));
	cr_assert_eq(scmi_shmem_read_header(&sh), scmi_hdr_pack(9, 1, 0x15, 77));
	cr_assert(scmi_shmem_is_free(&sh));
	free(a);
}

struct fetch_case {
	uint32_t length;
	int ret;
	size_t rx_len;
};

static void check_fetch_response(unsigned int flags)
{
	uint8_t *a = area_new(AREA), rx[AREA + 8];
	struct scmi_shmem sh = sh_of(a, AREA, flags);
	const size_t max = AREA - 32;
	const struct fetch_case cases[] = {
		{0, -EPROTO, 0},
		{3, -EPROTO, 0},
		{4, -EPROTO, 0},
		{7, -EPROTO, 0},
		{8, 0, 0},
		{9, 0, 1},
		{11, 0, 3},
		{AREA - 24, 0, max},
		{AREA - 23, -EPROTO, 0},
		{AREA, -EPROTO, 0},
		{0x10000, -EPROTO, 0},
		{0x7fffffff, -EPROTO, 0},
		{0xffffffffu, -EPROTO, 0},
	};
	int32_t status;
	size_t rx_len;

	for (size_t i = 0; i < AREA - SCMI_SHMEM_OFF_DATA; i++)
		a[SCMI_SHMEM_OFF_DATA + i] = (uint8_t)(0x40 + i);
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	put32(a, SCMI_SHMEM_OFF_PAYLOAD, (uint32_t)SCMI_ERR_DENIED);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		put32(a, SCMI_SHMEM_OFF_LENGTH, cases[i].length);
		memset(rx, 0xee, sizeof(rx));
		status = 12345;
		rx_len = 999;
		cr_assert_eq(scmi_shmem_fetch_response(&sh, rx, max, &status, &rx_len),
			     cases[i].ret, "length %u", cases[i].length);
		cr_assert_eq(rx_len, cases[i].rx_len, "length %u", cases[i].length);
		cr_assert_eq(status, cases[i].ret ? 12345 : SCMI_ERR_DENIED, "status of length %u",
			     cases[i].length);
		for (size_t j = 0; j < cases[i].rx_len; j++)
			cr_assert_eq(rx[j], 0x40 + j);
		cr_assert_eq(rx[cases[i].rx_len], 0xee, "nothing past the data (length %u)",
			     cases[i].length);
	}

	/* Data one byte longer than the buffer: no truncation. */
	put32(a, SCMI_SHMEM_OFF_LENGTH, 8 + 5);
	memset(rx, 0xee, sizeof(rx));
	cr_assert_eq(scmi_shmem_fetch_response(&sh, rx, 4, &status, &rx_len), -EMSGSIZE);
	cr_assert_eq(status, SCMI_ERR_DENIED, "status still reported");
	cr_assert_eq(rx_len, 0);
	cr_assert_eq(rx[0], 0xee);
	cr_assert_eq(scmi_shmem_fetch_response(&sh, rx, 5, &status, &rx_len), 0, "exactly fits");
	cr_assert_eq(rx_len, 5);
	cr_assert_eq(rx[5], 0xee);

	/* ERROR: a transport error whatever the rest says. */
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE | SCMI_SHMEM_STATUS_ERROR);
	memset(rx, 0xee, sizeof(rx));
	cr_assert_eq(scmi_shmem_fetch_response(&sh, rx, max, &status, &rx_len), -ECOMM);
	cr_assert_eq(status, SCMI_ERR_COMMS_ERROR);
	cr_assert_eq(rx_len, 0);
	cr_assert_eq(rx[0], 0xee);
	free(a);
}

Test(shmem, fetch_response_lengths)
{
	check_fetch_response(0);
}

Test(shmem, fetch_response_lengths_io32)
{
	check_fetch_response(SCMI_SHMEM_IO32);
}

Test(shmem, fetch_response_smallest_area)
{
	uint8_t *a = area_new(32), rx[4];
	struct scmi_shmem sh = sh_of(a, 32, SCMI_SHMEM_IO32);
	int32_t status;
	size_t rx_len;

	put32(a, SCMI_SHMEM_OFF_LENGTH, 8);
	cr_assert_eq(scmi_shmem_fetch_response(&sh, rx, 0, &status, &rx_len), 0);
	cr_assert_eq(rx_len, 0);
	put32(a, SCMI_SHMEM_OFF_LENGTH, 9);
	cr_assert_eq(scmi_shmem_fetch_response(&sh, rx, sizeof(rx), &status, &rx_len), -EPROTO,
		     "data past the end of a 32-byte area");
	free(a);
}

/* ---- P2A ------------------------------------------------------------------ */

static void check_fetch_notification(unsigned int flags)
{
	uint8_t *a = area_new(AREA), buf[AREA + 8];
	struct scmi_shmem sh = sh_of(a, AREA, flags);
	const size_t max = AREA - 28;
	const struct fetch_case cases[] = {
		{0, -EPROTO, 0},
		{3, -EPROTO, 0},
		{4, 0, 0},
		{7, 0, 3},
		{8, 0, 4},
		{AREA - 24, 0, max},
		{AREA - 23, -EPROTO, 0},
		{0x10000, -EPROTO, 0},
		{0xffffffffu, -EPROTO, 0},
	};
	size_t len;

	for (size_t i = 0; i < max; i++)
		a[SCMI_SHMEM_OFF_PAYLOAD + i] = (uint8_t)(0x80 + i);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		put32(a, SCMI_SHMEM_OFF_LENGTH, cases[i].length);
		memset(buf, 0xee, sizeof(buf));
		len = 999;
		cr_assert_eq(scmi_shmem_fetch_notification(&sh, buf, max, &len), cases[i].ret,
			     "length %u", cases[i].length);
		cr_assert_eq(len, cases[i].ret ? 999 : cases[i].rx_len, "length %u",
			     cases[i].length);
		for (size_t j = 0; j < cases[i].rx_len; j++)
			cr_assert_eq(buf[j], 0x80 + j);
		cr_assert_eq(buf[cases[i].rx_len], 0xee);
	}
	/* Longer than the buffer by one byte: refused, nothing copied. */
	put32(a, SCMI_SHMEM_OFF_LENGTH, 4 + 9);
	memset(buf, 0xee, sizeof(buf));
	len = 999;
	cr_assert_eq(scmi_shmem_fetch_notification(&sh, buf, 8, &len), -EMSGSIZE);
	cr_assert_eq(len, 999);
	cr_assert_eq(buf[0], 0xee);
	cr_assert_eq(scmi_shmem_fetch_notification(&sh, buf, 9, &len), 0);
	cr_assert_eq(len, 9);
	cr_assert_eq(buf[9], 0xee);
	free(a);
}

Test(shmem, fetch_notification_lengths)
{
	check_fetch_notification(0);
}

Test(shmem, fetch_notification_lengths_io32)
{
	check_fetch_notification(SCMI_SHMEM_IO32);
}

Test(shmem, p2a_pending_intr_and_ack)
{
	uint8_t *a = area_new(AREA);
	struct scmi_shmem sh = sh_of(a, AREA, 0);

	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	cr_assert(scmi_shmem_is_free(&sh), "nothing waiting");
	put32(a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_ERROR);
	cr_assert_not(scmi_shmem_is_free(&sh), "a message waiting");
	put32(a, SCMI_SHMEM_OFF_FLAGS, 0xfffffffeu);
	cr_assert_not(scmi_shmem_intr_requested(&sh));
	put32(a, SCMI_SHMEM_OFF_FLAGS, SCMI_SHMEM_FLAG_INTR);
	cr_assert(scmi_shmem_intr_requested(&sh));
	put32(a, SCMI_SHMEM_OFF_LENGTH, 0x1234);
	scmi_shmem_ack(&sh);
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_STATUS), SCMI_SHMEM_STATUS_FREE, "ERROR cleared");
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_LENGTH), 0x1234, "only the status written");
	cr_assert_eq(get32(a, SCMI_SHMEM_OFF_FLAGS), SCMI_SHMEM_FLAG_INTR);
	free(a);
}

/* ---- doorbell ------------------------------------------------------------- */

Test(shmem, ring_doorbell)
{
	uint64_t reg[2] = {0, 0};
	uint8_t *b = (uint8_t *)reg;

	cr_assert_eq(scmi_shmem_ring_doorbell(reg, 32, 1, 0), 0);
	cr_assert_eq(get32(b, 0), 1);
	put32(b, 0, 0xf0f0f0f0);
	cr_assert_eq(scmi_shmem_ring_doorbell(reg, 32, 0x2, 0xff000000), 0, "read-modify-write");
	cr_assert_eq(get32(b, 0), 0xf0000002);
	cr_assert_eq(scmi_shmem_ring_doorbell(reg, 32, 0x4, 0), 0, "plain write");
	cr_assert_eq(get32(b, 0), 4);
	cr_assert_eq(scmi_shmem_ring_doorbell(b + 1, 8, 0x81, 0), 0);
	cr_assert_eq(b[1], 0x81);
	cr_assert_eq(b[0], 4, "one byte written");
	cr_assert_eq(scmi_shmem_ring_doorbell(b + 2, 16, 0xbeef, 0), 0);
	cr_assert_eq(scmi_get_le16(b + 2), 0xbeef);
	cr_assert_eq(scmi_shmem_ring_doorbell(&reg[1], 64, 0x100000000ull, 0xff), 0);
	cr_assert_eq(scmi_get_le64(b + 8), 0x100000000ull);

	cr_assert_eq(scmi_shmem_ring_doorbell(reg, 24, 1, 0), -EINVAL, "width");
	cr_assert_eq(scmi_shmem_ring_doorbell(NULL, 32, 1, 0), -EINVAL);
	cr_assert_eq(scmi_shmem_ring_doorbell(b + 2, 32, 1, 0), -EINVAL, "misaligned");
	cr_assert_eq(scmi_shmem_ring_doorbell(b + 4, 64, 1, 0), -EINVAL, "misaligned");
	cr_assert_eq(scmi_shmem_ring_doorbell(b, 8, 0x100, 0), -EINVAL, "set wider than 8 bits");
	cr_assert_eq(scmi_shmem_ring_doorbell(b, 16, 1, 0x10000), -EINVAL, "preserve too wide");
	cr_assert_eq(scmi_get_le64(b), 0xbeef8104ull, "nothing written by the refusals");
}

/* ---- mapping ---------------------------------------------------------------- */

struct logged_chan {
	struct test_log log;
	struct scmi_instance inst;
	struct scmi_chan chan;
};

static struct logged_chan *logged_chan_new(void)
{
	struct logged_chan *lc = calloc(1, sizeof(*lc));
	struct scmi_config cfg;

	cr_assert_not_null(lc);
	test_log_init(&lc->log);
	cfg = test_config(&lc->log);
	scmi_logger_init(&lc->inst.log, &cfg);
	lc->chan.inst = &lc->inst;
	return lc;
}

/* A temporary file of @size bytes, byte i = i * 7 (mod 256). */
static char *temp_file(size_t size)
{
	char *path = strdup("/tmp/test_shmem.XXXXXX");
	uint8_t *buf = malloc(size);
	int fd;

	cr_assert(path && buf);
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 7);
	cr_assert_eq(write(fd, buf, size), (ssize_t)size);
	close(fd);
	free(buf);
	return path;
}

static void check_window(const struct shmem_map *m, uint64_t offset, size_t size)
{
	const volatile uint8_t *p = m->ptr;

	cr_assert_eq(m->size, size);
	for (size_t i = 0; i < size; i++)
		cr_assert_eq(p[i], (uint8_t)((offset + i) * 7), "byte %zu at 0x%llx", i,
			     (unsigned long long)offset);
}

Test(shmem_map, windows_of_a_file)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *path = temp_file(3 * page);
	struct logged_chan *lc = logged_chan_new();
	struct shmem_dev dev;
	struct shmem_map m, m2;
	uint8_t byte;
	int fd;

	cr_assert_eq(shmem_dev_open(&dev, path, &lc->chan), 0);
	cr_assert(dev.regular);
	cr_assert_eq(dev.file_size, 3 * page);

	cr_assert_eq(shmem_map(&dev, 0, 128, &m, &lc->chan), 0, "page-aligned");
	check_window(&m, 0, 128);
	shmem_unmap(&m);
	cr_assert_null(m.map);
	cr_assert_eq(shmem_map(&dev, 0x44, 128, &m, &lc->chan), 0, "within a page");
	check_window(&m, 0x44, 128);
	cr_assert_eq(shmem_map(&dev, page - 64, 128, &m2, &lc->chan), 0, "across two pages");
	check_window(&m2, page - 64, 128);
	cr_assert_eq(m2.map_len, page + 64);
	/* Unmapped knowing only the pointer and the size (unmap_memory()). */
	shmem_unmap_ptr(m2.ptr, m2.size);
	cr_assert_eq(msync(m2.map, 1, MS_ASYNC), -1, "the first page is gone");
	cr_assert_eq(errno, ENOMEM);
	cr_assert_eq(msync((uint8_t *)m2.map + page, 1, MS_ASYNC), -1, "the second too");
	shmem_unmap_ptr(NULL, 128);
	cr_assert_eq(shmem_map(&dev, 3 * page - 128, 128, &m2, &lc->chan), 0, "ends the file");
	check_window(&m2, 3 * page - 128, 128);
	shmem_unmap(&m2);

	/* Shared: a write through the window reaches the file. */
	((volatile uint8_t *)m.ptr)[3] = 0xa5;
	fd = open(path, O_RDONLY);
	cr_assert_eq(pread(fd, &byte, 1, 0x44 + 3), 1);
	cr_assert_eq(byte, 0xa5);
	close(fd);
	shmem_unmap(&m);
	shmem_unmap(&m); /* empty: ignored */

	cr_assert_eq(shmem_map(&dev, 3 * page - 127, 128, &m, &lc->chan), -EINVAL,
		     "one byte past the end of the file");
	cr_assert_null(m.map);
	cr_assert(test_log_contains(&lc->log, "end past"));
	cr_assert_eq(shmem_map(&dev, 3 * page, 4, &m, &lc->chan), -EINVAL, "at the end");
	cr_assert_eq(shmem_map(&dev, 0, 0, &m, &lc->chan), -EINVAL, "empty window");
	cr_assert_eq(shmem_map(&dev, UINT64_MAX - 8, 128, &m, &lc->chan), -EINVAL, "overflow");
	cr_assert_eq(shmem_map(&dev, (uint64_t)INT64_MAX - 64, 128, &m, &lc->chan), -EINVAL,
		     "past the largest offset");
	cr_assert(test_log_contains(&lc->log, "bad range"));
	shmem_dev_close(&dev);
	cr_assert_eq(dev.fd, -1);
	shmem_dev_close(&dev);
	unlink(path);
	free(path);
	free(lc);
}

Test(shmem_map, a_file_too_short)
{
	char *path = temp_file(100);
	struct shmem_dev dev;
	struct shmem_map m;

	cr_assert_eq(shmem_dev_open(&dev, path, NULL), 0);
	cr_assert_eq(shmem_map(&dev, 0, 128, &m, NULL), -EINVAL);
	cr_assert_eq(shmem_map(&dev, 4, 96, &m, NULL), 0, "what fits does map");
	shmem_unmap(&m);
	shmem_dev_close(&dev);
	unlink(path);
	free(path);
}

Test(shmem_map, a_character_device)
{
	struct shmem_dev dev;
	struct shmem_map m;

	if (shmem_dev_open(&dev, "/dev/zero", NULL))
		cr_skip_test("/dev/zero cannot be opened read-write here");
	cr_assert_not(dev.regular);
	/* No size to check against: the device decides.  (A shared mapping of
	 * /dev/zero is an anonymous object as long as the mapping: stay in
	 * its first page.) */
	cr_assert_eq(shmem_map(&dev, 0x34, 64, &m, NULL), 0);
	cr_assert_eq(m.map_len, 0x34 + 64);
	cr_assert_eq(((volatile uint8_t *)m.ptr)[0], 0);
	shmem_unmap(&m);
	shmem_dev_close(&dev);
}

Test(shmem_map, what_cannot_be_opened)
{
	struct logged_chan *lc = logged_chan_new();
	char fifo[] = "/tmp/test_shmem_fifo.XXXXXX";
	struct shmem_dev dev;

	cr_assert_eq(shmem_dev_open(&dev, "/nonexistent/shm", &lc->chan), -ENOENT);
	cr_assert_eq(dev.fd, -1);
	cr_assert(test_log_contains(&lc->log, "cannot open /nonexistent/shm"));
	cr_assert_eq(shmem_dev_open(&dev, "/tmp", &lc->chan), -EISDIR);
	cr_assert_not_null(mkdtemp(fifo));
	rmdir(fifo);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(shmem_dev_open(&dev, fifo, &lc->chan), -EINVAL);
	cr_assert_eq(dev.fd, -1);
	cr_assert(test_log_contains(&lc->log, "neither a memory device nor a regular file"));
	unlink(fifo);
	free(lc);
}

Test(shmem_map, no_permission)
{
	char *path = temp_file(128);
	struct shmem_dev dev;

	if (geteuid() == 0) {
		unlink(path);
		free(path);
		cr_skip_test("running as root: file permissions do not apply");
	}
	cr_assert_eq(chmod(path, 0400), 0);
	cr_assert_eq(shmem_dev_open(&dev, path, NULL), -EACCES);
	unlink(path);
	free(path);
}

/* ---- the URI ------------------------------------------------------------------ */

struct parsed {
	struct logged_chan *lc;
	struct scmi_uri *uri;
	struct shmem_config cfg;
	int ret;
};

static struct parsed *parse(const char *text, bool irq_capable)
{
	struct parsed *p = calloc(1, sizeof(*p));

	cr_assert_not_null(p);
	p->lc = logged_chan_new();
	cr_assert_eq(scmi_uri_parse(text, &p->lc->inst.log, &p->uri), 0, "%s", text);
	p->ret = shmem_config_parse(p->uri, irq_capable, &p->cfg, &p->lc->chan);
	return p;
}

static void parsed_free(struct parsed *p)
{
	scmi_uri_free(p->uri);
	free(p->lc);
	free(p);
}

Test(shmem_uri, defaults)
{
	struct parsed *p = parse("shmem://?a2p=0x1000", false);

	cr_assert_eq(p->ret, 0);
	cr_assert_str_eq(p->cfg.path, "/dev/mem");
	cr_assert_eq(p->cfg.size, 128);
	cr_assert_eq(p->cfg.num_chans, 1);
	cr_assert_eq(p->cfg.chans[0].protocol, 0);
	cr_assert_eq(p->cfg.chans[0].a2p, 0x1000);
	cr_assert_not(p->cfg.chans[0].has_p2a);
	cr_assert_not(p->cfg.has_db);
	cr_assert_eq(p->cfg.poll_us, 1000);
	cr_assert_eq(p->cfg.completion, SHMEM_COMPLETION_POLL);
	cr_assert_eq(p->cfg.timeout_ms, 0, "the transport's default");
	cr_assert_eq(scmi_uri_check_unused(p->uri), 0);
	parsed_free(p);
}

Test(shmem_uri, everything)
{
	struct parsed *p = parse("shmem:///tmp/x.shm?a2p=0&p2a=0x40&size=64&a2p.0x13=0x100"
				 "&p2a.0x13=0x140&a2p.0x14=0x200&db=0x400&db_width=16&db_set=0x4"
				 "&db_preserve=0xff00&poll_us=10&completion=irq&timeout_ms=2500",
				 true);
	const struct shmem_chan_config *c;

	cr_assert_eq(p->ret, 0, "%s", p->lc->log.text);
	cr_assert_str_eq(p->cfg.path, "/tmp/x.shm");
	cr_assert_eq(p->cfg.size, 64);
	cr_assert_eq(p->cfg.num_chans, 3);
	cr_assert(p->cfg.chans[0].has_p2a);
	cr_assert_eq(p->cfg.chans[0].p2a, 0x40);
	c = shmem_config_chan(&p->cfg, 0x13);
	cr_assert_eq(c->protocol, 0x13);
	cr_assert_eq(c->a2p, 0x100);
	cr_assert(c->has_p2a);
	cr_assert_eq(c->p2a, 0x140);
	c = shmem_config_chan(&p->cfg, 0x14);
	cr_assert_eq(c->a2p, 0x200);
	cr_assert_not(c->has_p2a, "p2a is optional per protocol");
	cr_assert_eq(shmem_config_chan(&p->cfg, 0x15), &p->cfg.chans[0], "the default channel");
	cr_assert_eq(shmem_config_chan(&p->cfg, 0x10), &p->cfg.chans[0]);
	cr_assert(p->cfg.has_db);
	cr_assert_eq(p->cfg.db, 0x400);
	cr_assert_eq(p->cfg.db_width, 16);
	cr_assert_eq(p->cfg.db_set, 4);
	cr_assert_eq(p->cfg.db_preserve, 0xff00);
	cr_assert_eq(p->cfg.poll_us, 10);
	cr_assert_eq(p->cfg.completion, SHMEM_COMPLETION_IRQ);
	cr_assert_eq(p->cfg.timeout_ms, 2500);
	cr_assert_eq(scmi_uri_check_unused(p->uri), 0, "every parameter consumed");
	parsed_free(p);

	p = parse("shmem://?a2p=0&db=0x80", false);
	cr_assert_eq(p->ret, 0);
	cr_assert_eq(p->cfg.db_width, 32, "default width");
	cr_assert_eq(p->cfg.db_set, 1);
	cr_assert_eq(p->cfg.db_preserve, 0);
	parsed_free(p);

	/* Areas that touch but do not overlap; the largest offsets. */
	p = parse("shmem://?a2p=0x80&p2a=0&db=0x100&db_width=64&size=128", false);
	cr_assert_eq(p->ret, 0, "%s", p->lc->log.text);
	parsed_free(p);
	p = parse("shmem://?a2p=0x7fffffffffffff7c", false);
	cr_assert_eq(p->ret, 0, "%s", p->lc->log.text);
	parsed_free(p);
}

struct bad_uri {
	const char *uri;
	const char *log;
};

Test(shmem_uri, rejected)
{
	const struct bad_uri bad[] = {
		{"shmem://", "a2p=ADDR"},
		{"shmem://?p2a=0", "a2p=ADDR"},
		{"shmem://dev/mem?a2p=0", "not absolute"},
		{"shmem://?a2p=-1", "a2p=-1 is malformed"},
		{"shmem://?a2p=zz", "a2p=zz is malformed"},
		{"shmem://?a2p=0&size=28", "size=28 is malformed"},
		{"shmem://?a2p=0&size=34", "not a multiple of 4"},
		{"shmem://?a2p=0&size=1048580", "size=1048580 is malformed"},
		{"shmem://?a2p=2", "a2p=0x2 is not 4-byte aligned"},
		{"shmem://?a2p=0x7fffffffffffff80", "past the largest offset"},
		{"shmem://?a2p=0xffffffffffffff80", "past the largest offset"},
		{"shmem://?a2p=0&p2a=0x7c", "p2a=0x7c (128 bytes) overlaps a2p=0x0 (128 bytes)"},
		{"shmem://?a2p=0x7c&p2a=0", "overlaps"},
		{"shmem://?a2p=0&p2a=0", "overlaps"},
		{"shmem://?a2p=0&a2p.0x13=0x40", "a2p.0x13=0x40 (128 bytes) overlaps a2p=0x0"},
		{"shmem://?a2p=0&a2p.0x13=0x100&p2a.0x14=0x100&a2p.0x14=0x200", "overlaps"},
		{"shmem://?a2p=0&db=0x7c", "db=0x7c (4 bytes) overlaps a2p=0x0"},
		{"shmem://?a2p=0&db=0x84&db_width=64", "db=0x84 is not 8-byte aligned"},
		{"shmem://?a2p=0&db=0x81&db_width=16", "not 2-byte aligned"},
		{"shmem://?a2p=0&db=0x80&db_width=12", "expected 8, 16, 32 or 64"},
		{"shmem://?a2p=0&db=0x80&db_width=128", "db_width=128 is malformed"},
		{"shmem://?a2p=0&db=0x80&db_width=8&db_set=0x100", "do not fit a 8-bit doorbell"},
		{"shmem://?a2p=0&db=0x80&db_width=16&db_preserve=0x10000", "do not fit"},
		{"shmem://?a2p=0&db_width=32", "db_width= needs db=ADDR"},
		{"shmem://?a2p=0&db_set=1", "db_set= needs db=ADDR"},
		{"shmem://?a2p=0&db_preserve=1", "db_preserve= needs db=ADDR"},
		{"shmem://?a2p=0&a2p.0x0f=0x100", "protocol 0x0f is not a protocol"},
		{"shmem://?a2p=0&a2p.0x10=0x100", "Base (0x10) always uses the default channel"},
		{"shmem://?a2p=0&a2p.0xf=0x100", "protocol 0x0f is not a protocol"},
		{"shmem://?a2p=0&a2p.0x00=0x100", "protocol 0x00 is not a protocol"},
		{"shmem://?a2p=0&a2p.0y13=0x100", "bad parameter"},
		{"shmem://?a2p=0&db=0x7fffffffffffffff&db_width=8", "past the largest offset"},
		{"shmem://?a2p=0&a2p.13=0x100", "expected a2p.0xNN"},
		{"shmem://?a2p=0&p2a.0x=0x100", "expected p2a.0xNN"},
		{"shmem://?a2p=0&a2p.0x123=0x100", "bad parameter 'a2p.0x123'"},
		{"shmem://?a2p=0&a2p.0x1g=0x100", "bad parameter"},
		{"shmem://?a2p=0&a2p.0x1a=0x100&a2p.0x1A=0x200", "protocol 0x1a is given two A2P"},
		{"shmem://?a2p=0&a2p.0x1a=0x100&p2a.0x1a=0x200&p2a.0x1A=0x300", "two P2A"},
		{"shmem://?a2p=0&p2a.0x13=0x100", "p2a.0x13= needs a2p.0x13="},
		{"shmem://?a2p=0&a2p.0x13=zz", "a2p.0x13=zz is malformed"},
		{"shmem://?a2p=0&tx=0x100", "unknown parameter 'tx'"},
		{"shmem://?a2p=0&poll_us=9", "poll_us=9 is malformed"},
		{"shmem://?a2p=0&poll_us=1000001", "poll_us=1000001 is malformed"},
		{"shmem://?a2p=0&timeout_ms=0", "timeout_ms=0 is malformed"},
		{"shmem://?a2p=0&timeout_ms=3600001", "timeout_ms=3600001 is malformed"},
		{"shmem://?a2p=0&completion=irq", "use completion=poll"},
		{"shmem://?a2p=0&completion=fast", "completion=fast: expected poll or irq"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct parsed *p = parse(bad[i].uri, false);

		cr_assert_eq(p->ret, -EINVAL, "%s accepted", bad[i].uri);
		cr_assert(test_log_contains(&p->lc->log, bad[i].log), "%s: log '%s' lacks '%s'",
			  bad[i].uri, p->lc->log.text, bad[i].log);
		parsed_free(p);
	}
}

Test(shmem_uri, path_length)
{
	char uri[PATH_MAX + 64];
	struct parsed *p;

	/* The longest path that fits, then one character more. */
	snprintf(uri, sizeof(uri), "shmem:///%0*d?a2p=0", PATH_MAX - 2, 0);
	p = parse(uri, false);
	cr_assert_eq(p->ret, 0, "%s", p->lc->log.text);
	cr_assert_eq(strlen(p->cfg.path), PATH_MAX - 1);
	parsed_free(p);
	snprintf(uri, sizeof(uri), "shmem:///%0*d?a2p=0", PATH_MAX - 1, 0);
	p = parse(uri, false);
	cr_assert_eq(p->ret, -EINVAL);
	cr_assert(test_log_contains(&p->lc->log, "path is too long"));
	parsed_free(p);
}

Test(shmem_uri, bounds_accepted)
{
	const char *good[] = {
		"shmem://?a2p=0&size=32",
		"shmem://?a2p=0&size=1048576",
		"shmem://?a2p=0&poll_us=10",
		"shmem://?a2p=0&poll_us=1000000",
		"shmem://?a2p=0&timeout_ms=1",
		"shmem://?a2p=0&timeout_ms=3600000",
		"shmem://?a2p=0&completion=poll",
		"shmem://?a2p=0&a2p.0x11=0x80",
		"shmem://?a2p=0&a2p.0xff=0x80&p2a.0xFF=0x100",
		"shmem://?a2p=0&db=0x80&db_width=8&db_set=0xff&db_preserve=0xff",
		"shmem://?a2p=0&db=0x80&db_width=64&db_set=0xffffffffffffffff",
		"shmem://?a2p=0&db=0x80&db_width=32",
		"shmem://?a2p=0&a2p.0X13=0x80",
		/* The window ends exactly at the largest file offset. */
		"shmem://?a2p=0&db=0x7ffffffffffffffe&db_width=8",
	};

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct parsed *p = parse(good[i], false);

		cr_assert_eq(p->ret, 0, "%s: %s", good[i], p->lc->log.text);
		parsed_free(p);
	}
}

/* ---- both sides over one file, each with its own mapping ---------------------- */

/*
 * A platform thread on a second mapping of the same file, written with
 * plain atomics (not the helpers): it answers each command on the A2P area
 * with the payload reversed, and posts numbered notifications on the P2A
 * area whenever the agent has acked the previous one.
 */
struct platform {
	volatile uint8_t *a2p, *p2a;
	unsigned int notifications; /* to send */
	atomic_bool stop;
	pthread_t thread;
};

static uint32_t plat_get(volatile uint8_t *area, size_t off)
{
	return le32toh(__atomic_load_n((volatile uint32_t *)(area + off), __ATOMIC_ACQUIRE));
}

static void plat_put(volatile uint8_t *area, size_t off, uint32_t v)
{
	__atomic_store_n((volatile uint32_t *)(area + off), htole32(v), __ATOMIC_RELEASE);
}

static void *platform_run(void *arg)
{
	struct platform *pl = arg;
	unsigned int sent = 0;

	while (!atomic_load(&pl->stop)) {
		if (!(plat_get(pl->a2p, SCMI_SHMEM_OFF_STATUS) & SCMI_SHMEM_STATUS_FREE)) {
			uint32_t len = plat_get(pl->a2p, SCMI_SHMEM_OFF_LENGTH) - 4;
			uint8_t req[AREA], resp[AREA];

			cr_assert_leq(len, AREA - 28);
			for (uint32_t i = 0; i < len; i++)
				req[i] = __atomic_load_n(pl->a2p + SCMI_SHMEM_OFF_PAYLOAD + i,
							 __ATOMIC_RELAXED);
			for (uint32_t i = 0; i < len; i++)
				resp[i] = req[len - 1 - i];
			for (uint32_t i = 0; i < len; i++)
				__atomic_store_n(pl->a2p + SCMI_SHMEM_OFF_DATA + i, resp[i],
						 __ATOMIC_RELAXED);
			plat_put(pl->a2p, SCMI_SHMEM_OFF_PAYLOAD, 0); /* SUCCESS */
			plat_put(pl->a2p, SCMI_SHMEM_OFF_LENGTH, 8 + len);
			plat_put(pl->a2p, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
		}
		if (sent < pl->notifications &&
		    (plat_get(pl->p2a, SCMI_SHMEM_OFF_STATUS) & SCMI_SHMEM_STATUS_FREE)) {
			plat_put(pl->p2a, SCMI_SHMEM_OFF_HEADER, scmi_hdr_pack(0, 3, 0x15, 0));
			plat_put(pl->p2a, SCMI_SHMEM_OFF_FLAGS,
				 sent & 1 ? SCMI_SHMEM_FLAG_INTR : 0);
			plat_put(pl->p2a, SCMI_SHMEM_OFF_LENGTH, 4 + 4);
			plat_put(pl->p2a, SCMI_SHMEM_OFF_PAYLOAD, sent++);
			plat_put(pl->p2a, SCMI_SHMEM_OFF_STATUS, 0);
		}
		sched_yield();
	}
	return NULL;
}

struct poll_arg {
	const struct scmi_shmem *sh;
	uint32_t hdr;
};

static bool a2p_done(void *arg)
{
	struct poll_arg *pa = arg;

	return scmi_shmem_poll_done(pa->sh, pa->hdr);
}

static bool p2a_pending(void *arg)
{
	return !scmi_shmem_is_free(arg);
}

Test(shmem_map, agent_and_platform_over_a_file)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *path = temp_file(2 * page);
	struct platform pl = {.notifications = 50};
	struct shmem_map ma, mp, pa, pp;
	struct scmi_shmem a2p, p2a;
	struct shmem_dev dev;
	unsigned int got = 0, intr = 0;

	/* The areas straddle the page boundary; each side maps them apart. */
	cr_assert_eq(shmem_dev_open(&dev, path, NULL), 0);
	cr_assert_eq(shmem_map(&dev, page - 64, AREA, &ma, NULL), 0);
	cr_assert_eq(shmem_map(&dev, page + 64, AREA, &mp, NULL), 0);
	cr_assert_eq(shmem_map(&dev, page - 64, AREA, &pa, NULL), 0);
	cr_assert_eq(shmem_map(&dev, page + 64, AREA, &pp, NULL), 0);
	cr_assert_neq(ma.ptr, pa.ptr, "two mappings, as two processes would have");
	pl.a2p = pa.ptr;
	pl.p2a = pp.ptr;
	plat_put(pl.a2p, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	plat_put(pl.p2a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	cr_assert_eq(scmi_shmem_init(&a2p, ma.ptr, AREA, 0), 0);
	cr_assert_eq(scmi_shmem_init(&p2a, mp.ptr, AREA, SCMI_SHMEM_IO32), 0);
	cr_assert_eq(pthread_create(&pl.thread, NULL, platform_run, &pl), 0);

	for (unsigned int n = 0; n < 200; n++) {
		uint8_t req[AREA - 28], rx[AREA - 32];
		size_t len = n % (AREA - 32 + 1), rx_len;
		struct poll_arg arg = {&a2p, scmi_hdr_pack(1, 0, 0x13, (uint16_t)n)};
		int32_t status = -1;

		for (size_t i = 0; i < len; i++)
			req[i] = (uint8_t)(n + i);
		cr_assert_eq(scmi_shmem_tx_prepare(&a2p, arg.hdr, req, len, false), 0, "command %u",
			     n);
		cr_assert(test_wait_until(a2p_done, &arg, 5000), "reply to command %u", n);
		cr_assert_eq(scmi_shmem_fetch_response(&a2p, rx, sizeof(rx), &status, &rx_len), 0);
		cr_assert_eq(status, 0);
		cr_assert_eq(rx_len, len);
		for (size_t i = 0; i < len; i++)
			cr_assert_eq(rx[i], req[len - 1 - i], "command %u byte %zu", n, i);

		/* Notifications as they come, in order. */
		while (!scmi_shmem_is_free(&p2a)) {
			uint8_t buf[4];
			size_t blen;

			cr_assert_eq(scmi_hdr_type(scmi_shmem_read_header(&p2a)), 3);
			cr_assert_eq(scmi_shmem_fetch_notification(&p2a, buf, sizeof(buf), &blen),
				     0);
			cr_assert_eq(blen, 4);
			cr_assert_eq(scmi_get_le32(buf), got, "notification %u", got);
			intr += scmi_shmem_intr_requested(&p2a);
			got++;
			scmi_shmem_ack(&p2a);
		}
	}
	while (got < pl.notifications) {
		uint8_t buf[4];
		size_t blen;

		cr_assert(test_wait_until(p2a_pending, &p2a, 5000), "notification %u", got);
		cr_assert_eq(scmi_shmem_fetch_notification(&p2a, buf, sizeof(buf), &blen), 0);
		cr_assert_eq(scmi_get_le32(buf), got);
		intr += scmi_shmem_intr_requested(&p2a);
		got++;
		scmi_shmem_ack(&p2a);
	}
	cr_assert_eq(intr, pl.notifications / 2, "the odd ones asked for a doorbell");
	atomic_store(&pl.stop, true);
	pthread_join(pl.thread, NULL);
	shmem_unmap(&ma);
	shmem_unmap(&mp);
	shmem_unmap(&pa);
	shmem_unmap(&pp);
	shmem_dev_close(&dev);
	unlink(path);
	free(path);
}

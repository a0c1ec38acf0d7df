// SPDX-License-Identifier: BSD-3-Clause
/*
 * Helpers for shared-memory transports (scmi/shmem.h): the agent's side of
 * one SCMI shared-memory area (spec §2.1-2.3).
 *
 * The platform may rewrite the area at any moment, so nothing here trusts a
 * value it has not just read into a local, and nothing reads a word twice
 * to make one decision.  Every field access is a single aligned 32-bit
 * atomic access through a volatile pointer: never torn, never merged or
 * elided by the compiler, and seen as atomic by ThreadSanitizer when the
 * platform is a thread of the same process.  Payloads are copied by aligned
 * words too; only a last partial word is copied by single-byte (atomic)
 * accesses, unless the area is in 32-bit-only mode.
 */
#include <errno.h>
#include <string.h>

#include <scmi/errors.h>
#include <scmi/shmem.h>
#include <scmi/transport.h>

#include "byteorder.h"
#include "sdu.h"

/* What precedes the header: the transport words (spec §2.1). */
#define SHMEM_HDR_OVERHEAD SCMI_SHMEM_OFF_HEADER

/*
 * tests/fuzz/fuzz_shmem.c compiles this file with SCMI_SHMEM_FUZZ: a hook
 * then runs before every access to the area, to play a platform writing
 * between two of the agent's reads and to check where and how the agent
 * reads.  Nothing otherwise.
 */
#ifdef SCMI_SHMEM_FUZZ
void scmi_shmem_fuzz_access(const struct scmi_shmem *sh, size_t off, unsigned int width,
			    bool write);
#define SH_ACCESS(sh, off, width, write) scmi_shmem_fuzz_access(sh, off, width, write)
#else
#define SH_ACCESS(sh, off, width, write) ((void)0)
#endif

static inline volatile uint32_t *sh_word(const struct scmi_shmem *sh, size_t off, bool write)
{
	SH_ACCESS(sh, off, 4, write);
	return (volatile uint32_t *)((volatile uint8_t *)sh->base + off);
}

static inline volatile uint8_t *sh_byte(const struct scmi_shmem *sh, size_t off, bool write)
{
	SH_ACCESS(sh, off, 1, write);
	return (volatile uint8_t *)sh->base + off;
}

static inline uint32_t sh_read(const struct scmi_shmem *sh, size_t off)
{
	return le32toh(__atomic_load_n(sh_word(sh, off, false), __ATOMIC_RELAXED));
}

static inline void sh_write(const struct scmi_shmem *sh, size_t off, uint32_t val)
{
	__atomic_store_n(sh_word(sh, off, true), htole32(val), __ATOMIC_RELAXED);
}

/* channel_status, with what follows ordered after it. */
static inline uint32_t sh_read_status(const struct scmi_shmem *sh)
{
	return le32toh(
		__atomic_load_n(sh_word(sh, SCMI_SHMEM_OFF_STATUS, false), __ATOMIC_ACQUIRE));
}

/* channel_status, with what precedes it ordered before it. */
static inline void sh_write_status(const struct scmi_shmem *sh, uint32_t val)
{
	__atomic_store_n(sh_word(sh, SCMI_SHMEM_OFF_STATUS, true), htole32(val), __ATOMIC_RELEASE);
}

/*
 * Copy @len bytes to the area at @off (4-byte aligned): whole words, then
 * the last partial word either byte by byte or, in 32-bit-only mode, as one
 * zero-padded word.  The padded word stays inside the area: @off + @len <=
 * size and size is a multiple of 4.
 */
static void sh_copy_to(const struct scmi_shmem *sh, size_t off, const void *src, size_t len)
{
	const uint8_t *s = src;
	size_t words = len / 4, tail = len % 4;
	uint32_t w;

	for (size_t i = 0; i < words; i++) {
		memcpy(&w, s + 4 * i, 4);
		__atomic_store_n(sh_word(sh, off + 4 * i, true), w, __ATOMIC_RELAXED);
	}
	if (!tail)
		return;
	off += 4 * words;
	s += 4 * words;
	if (sh->flags & SCMI_SHMEM_IO32) {
		w = 0;
		memcpy(&w, s, tail);
		__atomic_store_n(sh_word(sh, off, true), w, __ATOMIC_RELAXED);
	} else {
		for (size_t i = 0; i < tail; i++)
			__atomic_store_n(sh_byte(sh, off + i, true), s[i], __ATOMIC_RELAXED);
	}
}

/* The reverse; a partial last word read whole in 32-bit-only mode. */
static void sh_copy_from(const struct scmi_shmem *sh, size_t off, void *dst, size_t len)
{
	uint8_t *d = dst;
	size_t words = len / 4, tail = len % 4;
	uint32_t w;

	for (size_t i = 0; i < words; i++) {
		w = __atomic_load_n(sh_word(sh, off + 4 * i, false), __ATOMIC_RELAXED);
		memcpy(d + 4 * i, &w, 4);
	}
	if (!tail)
		return;
	off += 4 * words;
	d += 4 * words;
	if (sh->flags & SCMI_SHMEM_IO32) {
		w = __atomic_load_n(sh_word(sh, off, false), __ATOMIC_RELAXED);
		memcpy(d, &w, tail);
	} else {
		for (size_t i = 0; i < tail; i++)
			d[i] = __atomic_load_n(sh_byte(sh, off + i, false), __ATOMIC_RELAXED);
	}
}

/* The length word, or -1 when it claims bytes past the end of the area. */
static long long sh_read_length(const struct scmi_shmem *sh)
{
	uint32_t length = sh_read(sh, SCMI_SHMEM_OFF_LENGTH);

	if (length > sh->size - SHMEM_HDR_OVERHEAD)
		return -1;
	return length;
}

int scmi_shmem_init(struct scmi_shmem *sh, volatile void *base, size_t size, unsigned int flags)
{
	if (!sh || !base || ((uintptr_t)base & 3) || size < SCMI_SHMEM_MIN_SIZE || (size & 3) ||
	    (flags & ~SCMI_SHMEM_IO32))
		return -EINVAL;
	sh->base = base;
	sh->size = size;
	sh->flags = flags;
	return 0;
}

bool scmi_shmem_is_free(const struct scmi_shmem *sh)
{
	return sh_read_status(sh) & SCMI_SHMEM_STATUS_FREE;
}

uint32_t scmi_shmem_read_header(const struct scmi_shmem *sh)
{
	return le32toh(
		__atomic_load_n(sh_word(sh, SCMI_SHMEM_OFF_HEADER, false), __ATOMIC_ACQUIRE));
}

int scmi_shmem_tx_prepare(const struct scmi_shmem *sh, uint32_t hdr, const void *payload,
			  size_t len, bool want_irq)
{
	if (len > scmi_shmem_max_request(sh))
		return -EMSGSIZE;
	if (len && !payload)
		return -EINVAL;
	if (!(sh_read_status(sh) & SCMI_SHMEM_STATUS_FREE))
		return -EBUSY;
	sh_write(sh, SCMI_SHMEM_OFF_FLAGS, want_irq ? SCMI_SHMEM_FLAG_INTR : 0);
	sh_write(sh, SCMI_SHMEM_OFF_LENGTH, (uint32_t)(4 + len));
	sh_write(sh, SCMI_SHMEM_OFF_HEADER, hdr);
	if (len)
		sh_copy_to(sh, SCMI_SHMEM_OFF_PAYLOAD, payload, len);
	sh_write_status(sh, 0);
	/* The doorbell is another location, possibly another mapping: a full
	 * barrier, so that its write cannot pass the status word's.  Left out
	 * under ThreadSanitizer (test builds only): gcc refuses fences there,
	 * and TSan does not model them anyway. */
#if !defined(__SANITIZE_THREAD__)
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
	return 0;
}

bool scmi_shmem_poll_done(const struct scmi_shmem *sh, uint32_t hdr)
{
	if (!(sh_read_status(sh) & (SCMI_SHMEM_STATUS_FREE | SCMI_SHMEM_STATUS_ERROR)))
		return false;
	return scmi_hdr_token(sh_read(sh, SCMI_SHMEM_OFF_HEADER)) == scmi_hdr_token(hdr);
}

int scmi_shmem_fetch_response(const struct scmi_shmem *sh, void *rx, size_t rx_size,
			      int32_t *status, size_t *rx_len)
{
	long long length;
	size_t data_len = 0;
	int ret;

	*rx_len = 0;
	if (sh_read_status(sh) & SCMI_SHMEM_STATUS_ERROR) {
		*status = SCMI_ERR_COMMS_ERROR;
		return -ECOMM;
	}
	length = sh_read_length(sh);
	if (length < 0)
		return -EPROTO;
	ret = scmi_sdu_response_len((size_t)length, rx_size, &data_len);
	if (ret == -EPROTO)
		return ret;
	*status = (int32_t)sh_read(sh, SCMI_SHMEM_OFF_PAYLOAD);
	if (ret)
		return ret;
	/* 0x20 + data_len == length + 24 <= size */
	if (data_len)
		sh_copy_from(sh, SCMI_SHMEM_OFF_DATA, rx, data_len);
	*rx_len = data_len;
	return 0;
}

int scmi_shmem_fetch_notification(const struct scmi_shmem *sh, void *buf, size_t size, size_t *len)
{
	long long length = sh_read_length(sh);
	size_t payload_len = 0;
	int ret;

	if (length < 0)
		return -EPROTO;
	ret = scmi_sdu_notification_len((size_t)length, size, &payload_len);
	if (ret)
		return ret;
	/* 0x1c + payload_len == length + 24 <= size */
	if (payload_len)
		sh_copy_from(sh, SCMI_SHMEM_OFF_PAYLOAD, buf, payload_len);
	*len = payload_len;
	return 0;
}

bool scmi_shmem_intr_requested(const struct scmi_shmem *sh)
{
	return sh_read(sh, SCMI_SHMEM_OFF_FLAGS) & SCMI_SHMEM_FLAG_INTR;
}

void scmi_shmem_ack(const struct scmi_shmem *sh)
{
	sh_write_status(sh, SCMI_SHMEM_STATUS_FREE);
}

/* v = (preserve ? read & preserve : 0) | set, at the register's width. */
#define SHMEM_RING(type, conv_in, conv_out)                                                  \
	do {                                                                                 \
		volatile type *db = (volatile type *)reg;                                    \
		type v = 0;                                                                  \
		if (preserve)                                                                \
			v = conv_in(__atomic_load_n(db, __ATOMIC_ACQUIRE)) & (type)preserve; \
		v |= (type)set;                                                              \
		__atomic_store_n(db, conv_out(v), __ATOMIC_RELEASE);                         \
	} while (0)

static inline uint8_t sh_id8(uint8_t v)
{
	return v;
}

int scmi_shmem_ring_doorbell(volatile void *reg, unsigned int width, uint64_t set,
			     uint64_t preserve)
{
	if ((width != 8 && width != 16 && width != 32 && width != 64) || !reg ||
	    ((uintptr_t)reg & (width / 8 - 1)) ||
	    (width < 64 && ((set >> width) || (preserve >> width))))
		return -EINVAL;
	switch (width) {
	case 8:
		SHMEM_RING(uint8_t, sh_id8, sh_id8);
		break;
	case 16:
		SHMEM_RING(uint16_t, le16toh, htole16);
		break;
	case 32:
		SHMEM_RING(uint32_t, le32toh, htole32);
		break;
	default:
		SHMEM_RING(uint64_t, le64toh, htole64);
		break;
	}
	return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the shared-memory helpers (scmi/shmem.h,
 * lib/shmem.c): a fuzzed platform writes the area -- header, length,
 * payload, flags, channel_status -- between the agent's helper calls and
 * also *during* them, between two of the agent's accesses, and the agent
 * runs every helper on it.
 *
 * lib/shmem.c is compiled into this harness with SCMI_SHMEM_FUZZ, which
 * calls fuzz_access() before each access the helper makes to the area.
 * That hook applies the writes the input scheduled for that moment, records
 * what the helper is about to read, and checks every access:
 *   - inside the area, aligned to its width; only 32-bit accesses in
 *     32-bit-only mode;
 *   - no byte of the area read twice, or written twice, by one helper call
 *     (each word is read once into a local: a platform changing it cannot
 *     make one decision see two values);
 *   - a fetch reads nothing past the message its length word announced
 *     (rounded up to a word in 32-bit-only mode);
 *   - tx_prepare() writes channel_status last, and nothing when it fails.
 * After each call the result is compared with what the spec says for the
 * values the helper actually read (recorded by the hook): return code,
 * status, reported length (bounded by the buffer and the area), the bytes
 * copied.  Buffers are heap blocks of exactly the size the helper is given
 * and the area one of exactly its size, so AddressSanitizer catches any
 * access past them; when the platform does not write during a fetch, the
 * area past the announced message is poisoned too.
 *
 * Input:
 *   [options]  b0: 32-bit-only mode; b1-3: area size (32, 36, 40, 64, 100,
 *              128, 256, 1024 bytes).  The area starts zeroed.
 *   then operations until the input ends, each [op] + arguments; op's low
 *   nibble is the kind, its high nibble the number of platform writes
 *   scheduled during the call, each [at][word][value: 4 bytes LE] applied
 *   just before the call's access number `at` (0-based) to the 32-bit word
 *   `word` (modulo the area's words):
 *     0 platform: word write     [word][value: 4]
 *     1 platform: bytes          [word][n][n bytes] from that word on
 *                                (clipped to the area)
 *     2 fetch_response()         [rx_size]
 *     3 fetch_notification()     [buf size]
 *     4 poll_done()              [header: 4]
 *     5 tx_prepare()             [header: 4][len][want_irq] payload: the
 *                                next len bytes of the input (0x5a when
 *                                the input ends)
 *     6 is_free()   7 read_header()   8 intr_requested()   9 ack()
 *     others: op % 10
 *   Sizes [rx_size], [len] are one byte: below 0xf0 the value itself;
 *   0xf0..0xff the area's limit - 8 .. + 7 (the boundaries).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/errors.h>
#include <scmi/shmem.h>
#include <scmi/transport.h>

#include "common.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define HAVE_ASAN 1
#endif
#endif
#ifndef HAVE_ASAN
#define ASAN_POISON_MEMORY_REGION(a, s)	  ((void)(a), (void)(s))
#define ASAN_UNPOISON_MEMORY_REGION(a, s) ((void)(a), (void)(s))
#endif

#define FUZZ_NAME "fuzz_shmem"
#include "fuzz_check.h"

#define MAX_RACES 15
#define MAX_AREA  1024

static const size_t area_sizes[8] = {32, 36, 40, 64, 100, 128, 256, 1024};

struct race {
	unsigned int at;
	size_t off;
	uint32_t value;
};

/* The state of one helper call, seen by the hook. */
static struct {
	const struct scmi_shmem *sh;
	uint8_t *area;
	struct race races[MAX_RACES];
	unsigned int num_races;
	unsigned int accesses; /* so far in this call */
	unsigned int raced;    /* platform writes applied in this call */
	unsigned int writes;   /* agent writes in this call */
	bool last_was_status_write;
	bool read_mask[MAX_AREA];
	bool write_mask[MAX_AREA];
	uint8_t seen[MAX_AREA]; /* the bytes as the agent read them */
	size_t msg_end;		/* fetches: reads allowed below this, 0: any */
	bool fetching;
} call;

static volatile size_t sink;

void scmi_shmem_fuzz_access(const struct scmi_shmem *sh, size_t off, unsigned int width,
			    bool write);

static uint32_t seen32(size_t off)
{
	return scmi_get_le32(&call.seen[off]);
}

void scmi_shmem_fuzz_access(const struct scmi_shmem *sh, size_t off, unsigned int width, bool write)
{
	FUZZ_CHECK(sh == call.sh, "an access outside a helper call");
	FUZZ_CHECK(width == 4 || width == 1, "width %u", width);
	FUZZ_CHECK(off < sh->size && width <= sh->size - off, "access %u at %zu of a %zu area",
		   width, off, sh->size);
	FUZZ_CHECK(off % width == 0, "misaligned %u-byte access at %zu", width, off);
	FUZZ_CHECK(!(sh->flags & SCMI_SHMEM_IO32) || width == 4,
		   "%u-byte access at %zu in 32-bit-only mode", width, off);
	for (unsigned int i = 0; i < call.num_races; i++) {
		if (call.races[i].at == call.accesses) {
			scmi_put_le32(call.area + call.races[i].off, call.races[i].value);
			call.raced++;
		}
	}
	call.accesses++;
	call.last_was_status_write = write && off == SCMI_SHMEM_OFF_STATUS;
	if (write) {
		call.writes++;
		for (unsigned int i = 0; i < width; i++) {
			FUZZ_CHECK(!call.write_mask[off + i], "byte %zu written twice", off + i);
			call.write_mask[off + i] = true;
		}
		return;
	}
	if (call.fetching && off >= SCMI_SHMEM_OFF_PAYLOAD)
		FUZZ_CHECK(off + width <= call.msg_end,
			   "read of %zu past the message (ends at %zu)", off, call.msg_end);
	for (unsigned int i = 0; i < width; i++) {
		FUZZ_CHECK(!call.read_mask[off + i], "byte %zu read twice in one call", off + i);
		call.read_mask[off + i] = true;
		call.seen[off + i] = call.area[off + i];
	}
	/* The length word just read bounds what a fetch may read next. */
	if (call.fetching && off == SCMI_SHMEM_OFF_LENGTH) {
		uint64_t end = (uint64_t)SCMI_SHMEM_OFF_HEADER + seen32(off);

		if (sh->flags & SCMI_SHMEM_IO32)
			end = (end + 3) & ~(uint64_t)3;
		call.msg_end = end > sh->size ? sh->size : (size_t)end;
	}
}

struct input {
	const uint8_t *p;
	size_t left;
};

static bool take(struct input *in, void *dst, size_t n)
{
	if (in->left < n)
		return false;
	memcpy(dst, in->p, n);
	in->p += n;
	in->left -= n;
	return true;
}

static uint8_t take8(struct input *in)
{
	uint8_t v = 0;

	take(in, &v, 1);
	return v;
}

static uint32_t take32(struct input *in)
{
	uint8_t b[4] = {0};

	take(in, b, 4);
	return scmi_get_le32(b);
}

/* A size byte: small values as they are, 0xf0.. around @limit. */
static size_t take_size(struct input *in, size_t limit)
{
	uint8_t b = take8(in);

	if (b < 0xf0)
		return b;
	return limit + b - 0xf8 > limit + 7 ? 0 : limit + b - 0xf8;
}

static void call_begin(const struct scmi_shmem *sh, uint8_t *area, struct input *in,
		       unsigned int num_races)
{
	/* Only the masks' first size bytes are used: clear just those. */
	memset(call.read_mask, 0, sh->size);
	memset(call.write_mask, 0, sh->size);
	call.sh = sh;
	call.area = area;
	call.num_races = 0;
	call.accesses = 0;
	call.raced = 0;
	call.writes = 0;
	call.last_was_status_write = false;
	call.msg_end = 0;
	call.fetching = false;
	for (unsigned int i = 0; i < num_races && in->left >= 6; i++) {
		call.races[i].at = take8(in);
		call.races[i].off = (take8(in) % (sh->size / 4)) * 4;
		call.races[i].value = take32(in);
		call.num_races++;
	}
}

static void call_end(void)
{
	call.sh = NULL;
}

/* The announced end of the message when nobody writes during the call. */
static size_t msg_end_now(const struct scmi_shmem *sh, const uint8_t *area)
{
	uint64_t end =
		(uint64_t)SCMI_SHMEM_OFF_HEADER + scmi_get_le32(area + SCMI_SHMEM_OFF_LENGTH);

	if (sh->flags & SCMI_SHMEM_IO32)
		end = (end + 3) & ~(uint64_t)3;
	return end > sh->size ? sh->size : (size_t)end;
}

static void poison_past_message(const struct scmi_shmem *sh, uint8_t *area, bool on)
{
	size_t end = msg_end_now(sh, area);

	if (call.num_races || end < SCMI_SHMEM_OFF_DATA)
		return;
	if (on)
		ASAN_POISON_MEMORY_REGION(area + end, sh->size - end);
	else
		ASAN_UNPOISON_MEMORY_REGION(area + end, sh->size - end);
}

static void do_fetch_response(const struct scmi_shmem *sh, uint8_t *area, struct input *in,
			      unsigned int num_races)
{
	size_t rx_size = take_size(in, scmi_shmem_max_response(sh)), rx_len = 12345, len;
	uint8_t *rx = malloc(rx_size ? rx_size : 1);
	int32_t status = 0x5a5a5a5a;
	uint32_t st, length;
	int ret;

	if (!rx)
		return;
	memset(rx, 0xee, rx_size ? rx_size : 1);
	call_begin(sh, area, in, num_races);
	call.fetching = true;
	call.msg_end = sh->size;
	poison_past_message(sh, area, true);
	ret = scmi_shmem_fetch_response(sh, rx, rx_size, &status, &rx_len);
	poison_past_message(sh, area, false);
	call_end();

	FUZZ_CHECK(call.writes == 0, "fetch_response wrote the area");
	FUZZ_CHECK(call.read_mask[SCMI_SHMEM_OFF_STATUS], "channel_status not read");
	st = seen32(SCMI_SHMEM_OFF_STATUS);
	if (st & SCMI_SHMEM_STATUS_ERROR) {
		FUZZ_CHECK(ret == -ECOMM && status == SCMI_ERR_COMMS_ERROR && rx_len == 0,
			   "ERROR: ret %d status %d rx_len %zu", ret, status, rx_len);
		FUZZ_CHECK(call.accesses == 1, "read past ERROR");
		goto out;
	}
	FUZZ_CHECK(call.read_mask[SCMI_SHMEM_OFF_LENGTH], "length not read");
	length = seen32(SCMI_SHMEM_OFF_LENGTH);
	if (length < 8 || length > sh->size - 24) {
		FUZZ_CHECK(ret == -EPROTO && rx_len == 0 && status == 0x5a5a5a5a,
			   "length %u: ret %d rx_len %zu", length, ret, rx_len);
		goto out;
	}
	len = length - 8;
	FUZZ_CHECK(call.read_mask[SCMI_SHMEM_OFF_PAYLOAD] &&
			   status == (int32_t)seen32(SCMI_SHMEM_OFF_PAYLOAD),
		   "status %d", status);
	if (len > rx_size) {
		FUZZ_CHECK(ret == -EMSGSIZE && rx_len == 0, "length %u for %zu: ret %d", length,
			   rx_size, ret);
		for (size_t i = 0; i < rx_size; i++)
			FUZZ_CHECK(rx[i] == 0xee, "rx[%zu] written", i);
		goto out;
	}
	FUZZ_CHECK(ret == 0 && rx_len == len, "length %u: ret %d rx_len %zu", length, ret, rx_len);
	FUZZ_CHECK(rx_len <= rx_size && rx_len <= scmi_shmem_max_response(sh), "rx_len %zu",
		   rx_len);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(call.read_mask[SCMI_SHMEM_OFF_DATA + i] &&
				   rx[i] == call.seen[SCMI_SHMEM_OFF_DATA + i],
			   "rx[%zu] not what the area held", i);
	for (size_t i = len; i < rx_size; i++)
		FUZZ_CHECK(rx[i] == 0xee, "rx[%zu] written past the data", i);
out:
	free(rx);
}

static void do_fetch_notification(const struct scmi_shmem *sh, uint8_t *area, struct input *in,
				  unsigned int num_races)
{
	size_t size = take_size(in, scmi_shmem_max_request(sh)), len = 12345, plen;
	uint8_t *buf = malloc(size ? size : 1);
	uint32_t length;
	int ret;

	if (!buf)
		return;
	memset(buf, 0xee, size ? size : 1);
	call_begin(sh, area, in, num_races);
	call.fetching = true;
	call.msg_end = sh->size;
	poison_past_message(sh, area, true);
	ret = scmi_shmem_fetch_notification(sh, buf, size, &len);
	poison_past_message(sh, area, false);
	call_end();

	FUZZ_CHECK(call.writes == 0, "fetch_notification wrote the area");
	FUZZ_CHECK(call.read_mask[SCMI_SHMEM_OFF_LENGTH], "length not read");
	length = seen32(SCMI_SHMEM_OFF_LENGTH);
	if (length < 4 || length > sh->size - 24) {
		FUZZ_CHECK(ret == -EPROTO && len == 12345, "length %u: ret %d", length, ret);
		goto out;
	}
	plen = length - 4;
	if (plen > size) {
		FUZZ_CHECK(ret == -EMSGSIZE && len == 12345, "length %u for %zu: ret %d", length,
			   size, ret);
		for (size_t i = 0; i < size; i++)
			FUZZ_CHECK(buf[i] == 0xee, "buf[%zu] written", i);
		goto out;
	}
	FUZZ_CHECK(ret == 0 && len == plen, "length %u: ret %d len %zu", length, ret, len);
	FUZZ_CHECK(len <= size && len <= scmi_shmem_max_request(sh), "len %zu", len);
	for (size_t i = 0; i < plen; i++)
		FUZZ_CHECK(call.read_mask[SCMI_SHMEM_OFF_PAYLOAD + i] &&
				   buf[i] == call.seen[SCMI_SHMEM_OFF_PAYLOAD + i],
			   "buf[%zu] not what the area held", i);
	for (size_t i = plen; i < size; i++)
		FUZZ_CHECK(buf[i] == 0xee, "buf[%zu] written past the payload", i);
out:
	free(buf);
}

static void do_tx_prepare(const struct scmi_shmem *sh, uint8_t *area, struct input *in,
			  unsigned int num_races)
{
	uint8_t before[MAX_AREA], *payload;
	uint32_t hdr = take32(in);
	size_t len = take_size(in, scmi_shmem_max_request(sh)), n;
	bool want_irq = take8(in) & 1;
	int ret;

	payload = malloc(len ? len : 1);
	if (!payload)
		return;
	memset(payload, 0x5a, len);
	n = len < in->left ? len : in->left;
	take(in, payload, n);
	memcpy(before, area, sh->size);
	call_begin(sh, area, in, num_races);
	ret = scmi_shmem_tx_prepare(sh, hdr, len ? payload : NULL, len, want_irq);
	call_end();

	if (len > scmi_shmem_max_request(sh)) {
		FUZZ_CHECK(ret == -EMSGSIZE && call.accesses == 0, "len %zu: ret %d", len, ret);
		goto out;
	}
	FUZZ_CHECK(call.read_mask[SCMI_SHMEM_OFF_STATUS], "channel_status not read");
	if (!(seen32(SCMI_SHMEM_OFF_STATUS) & SCMI_SHMEM_STATUS_FREE)) {
		FUZZ_CHECK(ret == -EBUSY && call.writes == 0 && call.accesses == 1,
			   "busy: ret %d, %u writes", ret, call.writes);
		goto out;
	}
	FUZZ_CHECK(ret == 0, "ret %d", ret);
	FUZZ_CHECK(call.last_was_status_write, "channel_status not written last");
	if (call.raced)
		goto out; /* the platform wrote over the message: nothing to compare */
	FUZZ_CHECK(scmi_get_le32(area + SCMI_SHMEM_OFF_STATUS) == 0, "status");
	FUZZ_CHECK(scmi_get_le32(area + SCMI_SHMEM_OFF_FLAGS) ==
			   (want_irq ? SCMI_SHMEM_FLAG_INTR : 0),
		   "flags");
	FUZZ_CHECK(scmi_get_le32(area + SCMI_SHMEM_OFF_LENGTH) == 4 + len, "length");
	FUZZ_CHECK(scmi_get_le32(area + SCMI_SHMEM_OFF_HEADER) == hdr, "header");
	FUZZ_CHECK(!memcmp(area + SCMI_SHMEM_OFF_PAYLOAD, payload, len), "payload");
	for (size_t i = SCMI_SHMEM_OFF_PAYLOAD + len; i < sh->size; i++) {
		bool pad = (sh->flags & SCMI_SHMEM_IO32) &&
			   i < ((SCMI_SHMEM_OFF_PAYLOAD + len + 3) & ~(size_t)3);

		FUZZ_CHECK(area[i] == (pad ? 0 : before[i]), "byte %zu after the payload", i);
	}
	for (size_t i = 0; i < SCMI_SHMEM_OFF_FLAGS; i++)
		if (i < SCMI_SHMEM_OFF_STATUS || i >= SCMI_SHMEM_OFF_STATUS + 4)
			FUZZ_CHECK(area[i] == before[i], "reserved byte %zu written", i);
out:
	free(payload);
}

static void do_op(const struct scmi_shmem *sh, uint8_t *area, struct input *in, uint8_t op)
{
	unsigned int kind = (op & 0x0f) % 10, races = op >> 4;
	size_t words = sh->size / 4, off, n;
	uint32_t v;
	bool b;

	switch (kind) {
	case 0:
		off = (take8(in) % words) * 4;
		scmi_put_le32(area + off, take32(in));
		return;
	case 1:
		off = (take8(in) % words) * 4;
		n = take8(in);
		if (n > sh->size - off)
			n = sh->size - off;
		if (n > in->left)
			n = in->left;
		take(in, area + off, n);
		return;
	case 2:
		do_fetch_response(sh, area, in, races);
		return;
	case 3:
		do_fetch_notification(sh, area, in, races);
		return;
	case 4:
		v = take32(in);
		call_begin(sh, area, in, races);
		b = scmi_shmem_poll_done(sh, v);
		call_end();
		FUZZ_CHECK(call.writes == 0 && call.read_mask[SCMI_SHMEM_OFF_STATUS], "poll_done");
		if (!(seen32(SCMI_SHMEM_OFF_STATUS) &
		      (SCMI_SHMEM_STATUS_FREE | SCMI_SHMEM_STATUS_ERROR))) {
			FUZZ_CHECK(!b && call.accesses == 1, "busy area done");
			return;
		}
		FUZZ_CHECK(call.read_mask[SCMI_SHMEM_OFF_HEADER], "header not read");
		FUZZ_CHECK(
			b == (scmi_hdr_token(seen32(SCMI_SHMEM_OFF_HEADER)) == scmi_hdr_token(v)),
			"poll_done %d for header 0x%08x, sent 0x%08x", b,
			seen32(SCMI_SHMEM_OFF_HEADER), v);
		return;
	case 5:
		do_tx_prepare(sh, area, in, races);
		return;
	case 6:
		call_begin(sh, area, in, races);
		b = scmi_shmem_is_free(sh);
		call_end();
		FUZZ_CHECK(call.accesses == 1 && call.writes == 0 &&
				   b == !!(seen32(SCMI_SHMEM_OFF_STATUS) & SCMI_SHMEM_STATUS_FREE),
			   "is_free");
		return;
	case 7:
		call_begin(sh, area, in, races);
		v = scmi_shmem_read_header(sh);
		call_end();
		FUZZ_CHECK(call.accesses == 1 && v == seen32(SCMI_SHMEM_OFF_HEADER), "read_header");
		return;
	case 8:
		call_begin(sh, area, in, races);
		b = scmi_shmem_intr_requested(sh);
		call_end();
		FUZZ_CHECK(call.accesses == 1 &&
				   b == !!(seen32(SCMI_SHMEM_OFF_FLAGS) & SCMI_SHMEM_FLAG_INTR),
			   "intr_requested");
		return;
	default:
		call_begin(sh, area, in, races);
		scmi_shmem_ack(sh);
		call_end();
		FUZZ_CHECK(call.accesses == 1 && call.writes == 1 &&
				   scmi_get_le32(area + SCMI_SHMEM_OFF_STATUS) ==
					   SCMI_SHMEM_STATUS_FREE,
			   "ack");
		return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct scmi_shmem sh;
	unsigned int flags;
	size_t area_size;
	uint8_t *area, opts;

	if (!size)
		return 0;
	opts = take8(&in);
	flags = opts & 1 ? SCMI_SHMEM_IO32 : 0;
	area_size = area_sizes[(opts >> 1) & 7];
	area = malloc(area_size); /* 16-byte aligned; its redzone starts right after */
	if (!area)
		return 0;
	memset(area, 0, area_size);
	FUZZ_CHECK(!scmi_shmem_init(&sh, area, area_size, flags), "init");
	FUZZ_CHECK(scmi_shmem_max_request(&sh) == area_size - 28 &&
			   scmi_shmem_max_response(&sh) == area_size - 32,
		   "limits");
	while (in.left)
		do_op(&sh, area, &in, take8(&in));
	sink += area[SCMI_SHMEM_OFF_STATUS];
	free(area);
	return 0;
}

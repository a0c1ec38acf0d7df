// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the driver side of a split virtqueue
 * (transports/virtio-vfio-user/virtqueue.c) as virtio-vfio-user:// uses
 * it, against a hostile device: the input is a script of driver and device
 * steps.  The device may write anything anywhere in the ring memory (the
 * descriptor table, the available ring, the used ring and its index), as
 * a device with DMA write rights could; used buffers are then parsed as
 * the transport parses them (an eventq buffer as a notification or a
 * delayed response, a cmdq response buffer as a response).
 *
 * Input: byte 0 picks the queue size (2 << (b % 8): 2..256); then steps,
 * each an opcode byte and its operands:
 *   0 nout nin len...  add a chain (1..3 readable, 0..3 writable buffers,
 *                      one length byte each, x 8 bytes)
 *   1                  publish (release fence, avail.idx)
 *   2 id4 len4         the device appends a used entry and bumps used.idx
 *   3 off2 n data..    the device writes n (<= 16) bytes at off in the ring
 *                      (bit 15 of off: in the buffers instead)
 *   4                  the driver drains the used ring
 *
 * Checks, besides the sanitizers: a chain comes back at most once and only
 * while in flight; an accepted length is within the chain's writable
 * bytes; the free count plus the descriptors in flight is the queue size;
 * vq_add() fails with -ENOSPC exactly when too few descriptors are free.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/transport.h>

#define FUZZ_NAME "fuzz_virtqueue"
#include "fuzz_check.h"
#include "virtqueue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXQ	 256u
#define BUF_SIZE 2048u

struct chain {
	bool in_flight;
	unsigned int ndesc;
	uint32_t in_len;
	uint32_t first_in; /* offset in bufmem of the first writable buffer */
};

static uint8_t ring[MAXQ * 16 + 3 * 4096 + 4096] __attribute__((aligned(4096)));
static uint8_t bufmem[BUF_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct chain chains[MAXQ * 4];
	struct virtqueue vq;
	unsigned int nchains = 0, in_flight_desc = 0;
	uint16_t qsize, used_shadow = 0;
	size_t i = 1;

	if (size < 1)
		return 0;
	qsize = (uint16_t)(2u << (data[0] % 8));
	FUZZ_CHECK(vq_ring_bytes(qsize) <= sizeof(ring), "ring memory");
	if (vq_init(&vq, 0, qsize, ring, 0x100000))
		return 0;
	memset(chains, 0, sizeof(chains));
	memset(bufmem, 0, sizeof(bufmem));
	while (i < size) {
		uint8_t op = data[i++] % 5;

		if (op == 0 && i + 2 <= size) {
			unsigned int nout = 1 + data[i] % 3, nin = data[i + 1] % 4;
			struct vq_buf bufs[6];
			uint32_t in_len = 0, off = 0;
			int ret;

			i += 2;
			if (i + nout + nin > size || nchains == sizeof(chains) / sizeof(chains[0]))
				break;
			for (unsigned int k = 0; k < nout + nin; k++) {
				bufs[k].len = (uint32_t)data[i + k] * 8u;
				bufs[k].iova = 0x200000 + off;
				if (k == nout)
					chains[nchains].first_in = off;
				if (k >= nout)
					in_len += bufs[k].len;
				off += bufs[k].len;
			}
			i += nout + nin;
			ret = vq_add(&vq, bufs, nout, nin, &chains[nchains]);
			if (nout + nin > vq.num_free + 0u && ret == -ENOSPC)
				continue;
			FUZZ_CHECK(ret == 0, "vq_add: %d with %u free for %u", ret, vq.num_free,
				   nout + nin);
			chains[nchains].in_flight = true;
			chains[nchains].ndesc = nout + nin;
			chains[nchains].in_len = in_len;
			in_flight_desc += nout + nin;
			nchains++;
		} else if (op == 1) {
			(void)vq_publish(&vq);
		} else if (op == 2 && i + 8 <= size) {
			uint8_t *e = vq.used + 4 + 8u * (used_shadow & (qsize - 1));

			memcpy(e, data + i, 8);
			i += 8;
			used_shadow++;
			memcpy(vq.used + 2, &used_shadow, 2);
		} else if (op == 3 && i + 3 <= size) {
			unsigned int raw = data[i] | data[i + 1] << 8, n = data[i + 2] % 17;
			bool to_buf = raw & 0x8000;
			size_t lim = to_buf ? sizeof(bufmem) : vq_ring_bytes(qsize);
			unsigned int off = (unsigned int)((raw & 0x7fff) % lim);

			i += 3;
			if (i + n > size)
				break;
			if (off + n > lim)
				n = (unsigned int)(lim - off);
			memcpy((to_buf ? bufmem : ring) + off, data + i, n);
			i += n;
			memcpy(&used_shadow, vq.used + 2, 2);
		} else if (op == 4) {
			for (unsigned int k = 0; k < 4u * qsize + 8; k++) {
				const char *why = "";
				void *cookie = NULL;
				uint32_t len = 0;
				enum vq_used_result r = vq_get_used(&vq, &cookie, &len, &why);
				struct chain *c = cookie;

				if (r == VQ_USED_NONE)
					break;
				if (r == VQ_USED_BAD_ID)
					continue;
				FUZZ_CHECK(c >= chains && c < chains + nchains && c->in_flight,
					   "a chain not in flight came back");
				c->in_flight = false;
				in_flight_desc -= c->ndesc;
				if (r == VQ_USED_BAD_LEN) {
					FUZZ_CHECK(len > c->in_len, "bad length %u <= %u", len,
						   c->in_len);
					continue;
				}
				FUZZ_CHECK(len <= c->in_len, "accepted length %u > %u", len,
					   c->in_len);
				/* As the transport parses a used buffer. */
				if (len >= 4 && c->first_in + len <= sizeof(bufmem)) {
					uint8_t out[BUF_SIZE];
					size_t got = 0;
					uint8_t rx[BUF_SIZE];
					struct scmi_transport_xfer x = {.rx = rx, .rx_size = 128};

					(void)scmi_msg_fetch_notification(bufmem + c->first_in, len,
									  out, 128, &got);
					FUZZ_CHECK(got <= 128, "notification of %zu bytes", got);
					(void)scmi_msg_fetch_response(bufmem + c->first_in, len,
								      &x);
					FUZZ_CHECK(x.rx_len <= 128, "response of %zu bytes",
						   x.rx_len);
				}
			}
		}
		FUZZ_CHECK(vq.num_free + in_flight_desc == qsize, "free %u + in flight %u != %u",
			   vq.num_free, in_flight_desc, qsize);
	}
	vq_free(&vq);
	return 0;
}

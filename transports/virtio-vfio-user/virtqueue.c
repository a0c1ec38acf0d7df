// SPDX-License-Identifier: BSD-3-Clause
/*
 * Split virtqueue, driver side: see virtqueue.h.
 *
 * Layout (little-endian): descriptor {addr u64, len u32, flags u16, next
 * u16}; available ring {flags u16, idx u16, ring[Q] u16, used_event u16};
 * used ring {flags u16, idx u16, ring[Q] {id u32, len u32}, avail_event
 * u16}.  The idx fields are free-running 16-bit counters.
 */
#include <endian.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "virtqueue.h"

#define VQ_ALIGN 4096u

static size_t vq_round(size_t n)
{
	return (n + VQ_ALIGN - 1) & ~(size_t)(VQ_ALIGN - 1);
}

size_t vq_ring_bytes(uint16_t size)
{
	return vq_round(16u * size) + vq_round(6u + 2u * size) + vq_round(6u + 8u * size);
}

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

/* The idx fields are shared with another process: single 16-bit atomic
 * accesses (they are 2-byte aligned in the ring). */
static void store_idx(uint8_t *p, uint16_t v)
{
	atomic_store_explicit((_Atomic uint16_t *)(void *)p, htole16(v), memory_order_relaxed);
}
static uint16_t load_idx(const uint8_t *p)
{
	return le16toh(atomic_load_explicit((_Atomic uint16_t *)(void *)(uintptr_t)p,
					    memory_order_relaxed));
}

int vq_init(struct virtqueue *vq, uint16_t index, uint16_t size, void *mem, uint64_t iova)
{
	uint8_t *m = mem;

	memset(vq, 0, sizeof(*vq));
	if (!size || size > VQ_MAX_SIZE || (size & (size - 1)))
		return -EINVAL;
	vq->heads = calloc(size, sizeof(*vq->heads));
	vq->next = calloc(size, sizeof(*vq->next));
	if (!vq->heads || !vq->next) {
		vq_free(vq);
		return -ENOMEM;
	}
	vq->index = index;
	vq->size = size;
	vq->desc = m;
	vq->desc_iova = iova;
	vq->avail = m + vq_round(16u * size);
	vq->avail_iova = iova + vq_round(16u * size);
	vq->used = vq->avail + vq_round(6u + 2u * size);
	vq->used_iova = vq->avail_iova + vq_round(6u + 2u * size);
	memset(m, 0, vq_ring_bytes(size));
	/* The free list threads through our own copy of the next fields (the
	 * device could scribble over the table). */
	for (uint16_t i = 0; i < size; i++)
		vq->next[i] = (uint16_t)(i + 1 < size ? i + 1 : 0);
	vq->free_head = 0;
	vq->num_free = size;
	return 0;
}

void vq_free(struct virtqueue *vq)
{
	free(vq->heads);
	free(vq->next);
	vq->heads = NULL;
	vq->next = NULL;
}

int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int nout, unsigned int nin,
	   void *cookie)
{
	unsigned int n = nout + nin;
	uint16_t head = vq->free_head, d = head;
	uint32_t in_len = 0;

	if (!n || !cookie)
		return -EINVAL;
	if (n > vq->num_free)
		return -ENOSPC;
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *e = vq->desc + 16u * d;
		uint16_t next = vq->next[d];
		uint16_t flags = (uint16_t)((i + 1 < n ? VRING_DESC_F_NEXT : 0) |
					    (i >= nout ? VRING_DESC_F_WRITE : 0));

		put64(e, bufs[i].iova);
		put32(e + 8, bufs[i].len);
		put16(e + 12, flags);
		put16(e + 14, i + 1 < n ? next : 0);
		if (i >= nout)
			in_len += bufs[i].len;
		d = next;
	}
	vq->free_head = d;
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->heads[head].cookie = cookie;
	vq->heads[head].ndesc = (uint16_t)n;
	vq->heads[head].in_len = in_len;
	put16(vq->avail + 4 + 2u * (vq->avail_idx & (vq->size - 1)), head);
	vq->avail_idx++;
	return 0;
}

bool vq_publish(struct virtqueue *vq)
{
	/* Descriptors and ring entries before the index that exposes them. */
	atomic_thread_fence(memory_order_release);
	store_idx(vq->avail + 2, vq->avail_idx);
	/* The index before we read the device's suppression flag. */
	atomic_thread_fence(memory_order_seq_cst);
	if (vq->published == vq->avail_idx)
		return false;
	vq->published = vq->avail_idx;
	return !(get16(vq->used) & VRING_USED_F_NO_NOTIFY);
}

/* Give the chain starting at @head back to the free list. */
static void vq_free_chain(struct virtqueue *vq, uint16_t head)
{
	uint16_t n = vq->heads[head].ndesc, d = head;

	/* Our own links and count, never the device-visible table. */
	for (uint16_t i = 1; i < n; i++)
		d = vq->next[d];
	vq->next[d] = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + n);
	vq->heads[head].cookie = NULL;
	vq->heads[head].ndesc = 0;
}

enum vq_used_result vq_get_used(struct virtqueue *vq, void **cookie, uint32_t *len,
				const char **why)
{
	uint16_t used_idx = load_idx(vq->used + 2);
	const uint8_t *e;
	uint32_t id, l;

	if (used_idx == vq->last_used)
		return VQ_USED_NONE;
	/* The entries after the index that published them. */
	atomic_thread_fence(memory_order_acquire);
	e = vq->used + 4 + 8u * (vq->last_used & (vq->size - 1));
	id = get32(e);
	l = get32(e + 4);
	vq->last_used++;
	if (id >= vq->size || !vq->heads[id].cookie) {
		vq->bad_id++;
		*why = id >= vq->size ? "id beyond the queue" : "id not in flight";
		*len = id;
		return VQ_USED_BAD_ID;
	}
	*cookie = vq->heads[id].cookie;
	*len = l;
	if (l > vq->heads[id].in_len) {
		vq->bad_len++;
		*why = "length beyond the buffer";
		vq_free_chain(vq, (uint16_t)id);
		return VQ_USED_BAD_LEN;
	}
	vq_free_chain(vq, (uint16_t)id);
	return VQ_USED_OK;
}

unsigned int vq_in_flight(const struct virtqueue *vq)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < vq->size; i++)
		n += vq->heads[i].cookie != NULL;
	return n;
}

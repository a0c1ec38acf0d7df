/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueue, driver side (layer 2 of virtio-vfio-user://, README.md).
 *
 * The three parts of a queue (descriptor table, available ring, used ring)
 * live in memory the device reaches by IOVA (a vfio-user DMA window); the
 * caller passes their local address and IOVA.  Nothing here talks to the
 * device: making buffers available (vq_add() then vq_publish()) and taking
 * used ones back (vq_get_used()); the doorbell is the caller's.
 *
 * Not thread-safe: the caller serialises every call on one queue.
 *
 * Barriers: descriptors and ring entries are written before a release
 * fence and the store of avail.idx; used.idx is loaded with acquire before
 * its entries are read.  Every used entry is validated (id within the
 * queue and the head of a chain in flight, length within the chain's
 * device-writable bytes) before it is believed.
 */
#ifndef SCMI_VIRTQUEUE_H
#define SCMI_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VQ_MAX_SIZE 32768u

#define VRING_DESC_F_NEXT	   1u
#define VRING_DESC_F_WRITE	   2u
#define VRING_AVAIL_F_NO_INTERRUPT 1u
#define VRING_USED_F_NO_NOTIFY	   1u

/** One buffer of a chain: IOVA and length. */
struct vq_buf {
	uint64_t iova;
	uint32_t len;
};

struct vq_head_state {
	void *cookie;	 /**< the caller's, NULL when not in flight */
	uint16_t ndesc;	 /**< descriptors in the chain */
	uint32_t in_len; /**< device-writable bytes of the chain */
};

struct virtqueue {
	uint16_t index; /**< queue number on the device */
	uint16_t size;	/**< Q, a power of 2 */
	uint8_t *desc;	/**< Q x 16 bytes */
	uint8_t *avail; /**< 6 + 2Q bytes */
	uint8_t *used;	/**< 6 + 8Q bytes */
	uint64_t desc_iova, avail_iova, used_iova;
	uint16_t free_head, num_free;
	uint16_t avail_idx; /**< shadow of avail.idx */
	uint16_t last_used;
	uint16_t published;	     /**< avail.idx at the last vq_kick_prepare() */
	struct vq_head_state *heads; /**< per descriptor index */
	uint16_t *next;		     /**< our copy of the chain / free links */
	/* statistics */
	uint64_t bad_id, bad_len;
};

/** Bytes a queue of @size entries needs at the start of its memory (the
 *  three parts, each 4 KiB-aligned); multiple of 4096. */
size_t vq_ring_bytes(uint16_t size);
/** Lay out queue @index of @size (power of 2, 1..VQ_MAX_SIZE) in @mem
 *  (zeroed, vq_ring_bytes() long) at IOVA @iova.  0, -EINVAL, -ENOMEM. */
int vq_init(struct virtqueue *vq, uint16_t index, uint16_t size, void *mem, uint64_t iova);
void vq_free(struct virtqueue *vq);

/**
 * Chain @nout device-readable then @nin device-writable buffers and put the
 * chain in the available ring (not yet visible: vq_publish()).  @cookie
 * (not NULL) comes back from vq_get_used().  -ENOSPC when too few
 * descriptors are free, -EINVAL for an empty chain.
 */
int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int nout, unsigned int nin,
	   void *cookie);
/** Make what vq_add() put in the ring visible to the device (release
 *  fence, then avail.idx).  Returns whether the device wants a doorbell
 *  (it did not set NO_NOTIFY; checked after a full fence). */
bool vq_publish(struct virtqueue *vq);

enum vq_used_result {
	VQ_USED_NONE = 0, /**< nothing (more) in the used ring */
	VQ_USED_OK = 1,	  /**< *cookie / *len set */
	VQ_USED_BAD_ID,	  /**< entry with an id not in flight: dropped */
	VQ_USED_BAD_LEN,  /**< entry too long: chain freed, *cookie set, *len = claimed */
};
/**
 * Take the next used entry.  The chain is freed (its descriptors reusable)
 * for VQ_USED_OK and VQ_USED_BAD_LEN.  @why receives a reason for the bad
 * ones (static string).
 */
enum vq_used_result vq_get_used(struct virtqueue *vq, void **cookie, uint32_t *len,
				const char **why);
/** Chains in flight. */
unsigned int vq_in_flight(const struct virtqueue *vq);

#endif

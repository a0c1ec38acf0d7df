/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers for shared-memory transports: the agent's side of one SCMI
 * shared-memory area (an A2P or a P2A channel, spec §2.1-2.3), for the
 * in-tree shmem:// transport and for transports written out of tree.
 *
 * Layout of an area (little-endian 32-bit words):
 *
 *   0x00 reserved    0x04 channel_status (b0 FREE, b1 ERROR)
 *   0x08 reserved    0x10 flags (b0 INTR: the sender wants a completion
 *   0x14 length (bytes of header + payload)        interrupt)
 *   0x18 message header
 *   0x1c payload: a request's parameters; a response's status word, its
 *        data from 0x20; a notification's payload
 *
 * The memory belongs to the platform as much as to the agent and may change
 * at any time, including between two reads of the same word.  So every
 * field is accessed as one aligned, single-copy atomic 32-bit volatile
 * access; each helper reads the words it needs once into locals and
 * decides on those; every length is bounded by the area before it is used
 * (a length past the area is -EPROTO, never a read past it); reads of the
 * message are ordered after the channel_status read that gave the agent
 * the area (acquire), and writes of a message before the channel_status
 * write that hands it over (release).
 *
 * A2P (one command in flight per area; the caller serialises):
 *
 *   scmi_shmem_tx_prepare()      -EBUSY while the platform owns the area
 *   ring the doorbell, if any    (tx_prepare() ends with a full barrier)
 *   polling: scmi_shmem_poll_done() until true or the timeout
 *   doorbell: on the completion interrupt, scmi_shmem_is_free() (ignore
 *             the interrupt while the area is busy), scmi_shmem_read_header()
 *   scmi_shmem_fetch_response()
 *
 * The agent never writes FREE on A2P: the platform's FREE returns the area.
 *
 * P2A (notifications and delayed responses):
 *
 *   !scmi_shmem_is_free()        a message is waiting (the platform cleared
 *                                FREE when it posted it)
 *   scmi_shmem_read_header()     type 3: scmi_shmem_fetch_notification();
 *                                type 2: scmi_shmem_fetch_response()
 *   scmi_shmem_intr_requested()  before the ack: does the platform want a
 *                                completion doorbell?
 *   scmi_shmem_ack()             FREE (clears ERROR); also for a message
 *                                that was dropped
 *
 * Thread-safety: the helpers keep no state; an area is driven by one thread
 * at a time (the transport's channel lock or its RX thread).
 */
#ifndef SCMI_SHMEM_H
#define SCMI_SHMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SCMI_EXPORT
#define SCMI_EXPORT __attribute__((visibility("default")))
#endif

/* Byte offsets of the fields (spec §2.1). */
#define SCMI_SHMEM_OFF_STATUS  0x04u
#define SCMI_SHMEM_OFF_FLAGS   0x10u
#define SCMI_SHMEM_OFF_LENGTH  0x14u
#define SCMI_SHMEM_OFF_HEADER  0x18u
#define SCMI_SHMEM_OFF_PAYLOAD 0x1cu
#define SCMI_SHMEM_OFF_DATA    0x20u /* response data, after the status */

/* channel_status bits */
#define SCMI_SHMEM_STATUS_FREE	(1u << 0)
#define SCMI_SHMEM_STATUS_ERROR (1u << 1)
/* flags bits */
#define SCMI_SHMEM_FLAG_INTR (1u << 0)

/** Smallest area: the transport words, a header and one payload word. */
#define SCMI_SHMEM_MIN_SIZE 32u

/** scmi_shmem_init() flag: copy payloads with aligned 32-bit accesses only
 *  (memory that faults on narrower accesses; Linux's reg-io-width = 4).
 *  A request's last partial word is written zero-padded; a reply's last
 *  partial word is read whole and only its valid bytes copied out. */
#define SCMI_SHMEM_IO32 (1u << 0)

/** One mapped area.  Fill it with scmi_shmem_init(); read-only afterwards. */
struct scmi_shmem {
	volatile void *base; /**< start of the area, 4-byte aligned */
	size_t size;	     /**< bytes, >= SCMI_SHMEM_MIN_SIZE, multiple of 4 */
	unsigned int flags;  /**< SCMI_SHMEM_IO32 or 0 */
};

/**
 * Describe the area of @size bytes at @base (mapped by the caller, who keeps
 * it mapped while it uses @sh).  Touches no memory of the area.  -EINVAL if
 * @base is NULL or not 4-byte aligned, @size is below SCMI_SHMEM_MIN_SIZE or
 * not a multiple of 4, or @flags has unknown bits.
 */
SCMI_EXPORT int scmi_shmem_init(struct scmi_shmem *sh, volatile void *base, size_t size,
				unsigned int flags);

/** Largest request payload (after the header) the area holds: size - 28.
 *  Also the largest notification payload it can carry. */
static inline size_t scmi_shmem_max_request(const struct scmi_shmem *sh)
{
	return sh->size - SCMI_SHMEM_OFF_PAYLOAD;
}

/** Largest response data (after the status word) the area holds: size - 32.
 *  A transport's max_msg_size is at most the smaller of the two limits. */
static inline size_t scmi_shmem_max_response(const struct scmi_shmem *sh)
{
	return sh->size - SCMI_SHMEM_OFF_DATA;
}

/**
 * Is channel_status FREE?  A2P: the platform is done with the area (the
 * agent may send; a reply is there to read).  P2A: no message is waiting.
 * When it returns the state the caller then acts on, the reads that follow
 * are ordered after it (acquire).
 */
SCMI_EXPORT bool scmi_shmem_is_free(const struct scmi_shmem *sh);

/**
 * The message header word (after the caller saw the area handed to it with
 * scmi_shmem_is_free() or scmi_shmem_poll_done()).
 */
SCMI_EXPORT uint32_t scmi_shmem_read_header(const struct scmi_shmem *sh);

/**
 * A2P: write a command into the area and hand it to the platform: flags
 * (INTR when @want_irq: the platform will raise the completion interrupt;
 * 0 when the agent polls), length = 4 + @len, header @hdr, the @len bytes
 * of @payload (may be NULL when @len is 0), then, after a release barrier,
 * channel_status = 0 (busy, ERROR cleared).  channel_status is written last
 * so that a platform polling it, rather than waiting for a doorbell, never
 * sees a half-written message.  Ends with a full barrier: the caller rings
 * its doorbell next.
 *
 * Returns 0; -EMSGSIZE if @len > scmi_shmem_max_request() (the area is not
 * touched); -EINVAL if @payload is NULL with @len > 0; -EBUSY if the area is not FREE (the platform still owns it, e.g.
 * it has not finished a command that timed out; nothing written: retry
 * later or give up).
 */
SCMI_EXPORT int scmi_shmem_tx_prepare(const struct scmi_shmem *sh, uint32_t hdr,
				      const void *payload, size_t len, bool want_irq);

/**
 * A2P, polling: has the platform answered the command whose header was
 * @hdr?  True when channel_status has FREE or ERROR set and then the header
 * in the area carries the token of @hdr (only the token is compared, as
 * Linux does).  Reads channel_status once, then the header once.
 */
SCMI_EXPORT bool scmi_shmem_poll_done(const struct scmi_shmem *sh, uint32_t hdr);

/**
 * Copy the response (or delayed response) in the area: its status word to
 * *@status, its data (length - 8 bytes, from offset 0x20) to @rx of
 * @rx_size bytes, the data length to *@rx_len.  Reads channel_status, then
 * length, once each.  Does not look at FREE (its meaning depends on the
 * channel's direction): call it once the area holds a reply (see the
 * sequences above).  Same rules as scmi_msg_fetch_response(), the length
 * word standing for the SDU's length:
 *
 *   0          *status and *rx_len set, the data copied
 *   -ECOMM     channel_status has ERROR: the platform refused the message
 *              as malformed (a transport error, SCMI COMMS_ERROR); *status
 *              = SCMI_ERR_COMMS_ERROR, *rx_len = 0, nothing copied (ERROR
 *              is an A2P bit; found on P2A it is reported the same way)
 *   -EPROTO    length < 8 (no status word) or past the end of the area
 *              (length > size - 24); *rx_len = 0, *status untouched
 *   -EMSGSIZE  the data do not fit @rx_size: *status set, *rx_len = 0,
 *              nothing copied (no truncation)
 */
SCMI_EXPORT int scmi_shmem_fetch_response(const struct scmi_shmem *sh, void *rx, size_t rx_size,
					  int32_t *status, size_t *rx_len);

/**
 * P2A: copy the payload of the notification in the area (length - 4 bytes
 * from offset 0x1c) to @buf of @size bytes, its length to *@len.  Reads
 * length once.  Same rules as scmi_msg_fetch_notification(): 0; -EPROTO
 * if length < 4 (no header) or past the end of the area (> size - 24);
 * -EMSGSIZE if the payload does not fit @size (nothing copied, no
 * truncation).  *@len is set only on success.
 */
SCMI_EXPORT int scmi_shmem_fetch_notification(const struct scmi_shmem *sh, void *buf, size_t size,
					      size_t *len);

/**
 * P2A: did the platform ask for a completion doorbell when it is done with
 * this message (flags b0)?  Read it before scmi_shmem_ack(): afterwards the
 * area may already hold the platform's next message.
 */
SCMI_EXPORT bool scmi_shmem_intr_requested(const struct scmi_shmem *sh);

/**
 * P2A: give the area back to the platform: release barrier (the agent's
 * reads of the message are done), then channel_status = FREE (which clears
 * ERROR).  Also for a message the agent dropped without reading it.
 */
SCMI_EXPORT void scmi_shmem_ack(const struct scmi_shmem *sh);

/**
 * Ring a memory-mapped doorbell register of @width bits (8, 16, 32 or 64)
 * at @reg, aligned to its width: writes (@preserve ? read & @preserve : 0)
 * | @set, little-endian, as one access of that width, after a release
 * barrier.  The fastchannel doorbells (spec §2.8) and a shared-memory
 * channel's doorbell work the same way.  -EINVAL for another width, a
 * misaligned @reg or masks wider than @width (nothing written).
 */
SCMI_EXPORT int scmi_shmem_ring_doorbell(volatile void *reg, unsigned int width, uint64_t set,
					 uint64_t preserve);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SHMEM_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Helpers for shared-memory transports: the agent's side of one SCMI
 * shared-memory area (an A2P or a P2A channel, spec §2.1-2.3), for the
 * in-tree shmem:// transport and for transports written out of tree.
 *
 * Layout of an area (little-endian 32-bit words):
 *
 * @verbatim
 *   0x00 reserved    0x04 channel_status (b0 FREE, b1 ERROR)
 *   0x08 reserved    0x10 flags (b0 INTR: the sender wants a completion
 *   0x14 length (bytes of header + payload)        interrupt)
 *   0x18 message header
 *   0x1c payload: a request's parameters; a response's status word, its
 *        data from 0x20; a notification's payload
   @endverbatim
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
 * @verbatim
 *   scmi_shmem_tx_prepare()      -EBUSY while the platform owns the area
 *   ring the doorbell, if any    (tx_prepare() ends with a full barrier)
 *   polling: scmi_shmem_poll_done() until true or the timeout
 *   doorbell: on the completion interrupt, scmi_shmem_is_free() (ignore
 *             the interrupt while the area is busy), scmi_shmem_read_header()
 *   scmi_shmem_fetch_response()
   @endverbatim
 *
 * The agent never writes FREE on A2P: the platform's FREE returns the area.
 *
 * P2A (notifications and delayed responses):
 *
 * @verbatim
 *   !scmi_shmem_is_free()        a message is waiting (the platform cleared
 *                                FREE when it posted it)
 *   scmi_shmem_read_header()     type 3: scmi_shmem_fetch_notification();
 *                                type 2: scmi_shmem_fetch_response()
 *   scmi_shmem_intr_requested()  before the ack: does the platform want a
 *                                completion doorbell?
 *   scmi_shmem_ack()             FREE (clears ERROR); also for a message
 *                                that was dropped
   @endverbatim
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
/** Marks the functions the shared library exports. */
#define SCMI_EXPORT __attribute__((visibility("default")))
#endif

/* Byte offsets of the fields (spec §2.1). */
/** Byte offset of channel_status. */
#define SCMI_SHMEM_OFF_STATUS  0x04u
/** Byte offset of flags. */
#define SCMI_SHMEM_OFF_FLAGS   0x10u
/** Byte offset of length. */
#define SCMI_SHMEM_OFF_LENGTH  0x14u
/** Byte offset of the message header. */
#define SCMI_SHMEM_OFF_HEADER  0x18u
/** Byte offset of the payload. */
#define SCMI_SHMEM_OFF_PAYLOAD 0x1cu
/** Byte offset of a response's data, after the status. */
#define SCMI_SHMEM_OFF_DATA    0x20u

/* channel_status bits */
/** channel_status b0: the area is free (the platform is done with it). */
#define SCMI_SHMEM_STATUS_FREE	(1u << 0)
/** channel_status b1: the platform flagged a transport error. */
#define SCMI_SHMEM_STATUS_ERROR (1u << 1)
/* flags bits */
/** flags b0: the sender wants a completion interrupt. */
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
 * Describe the area of @p size bytes at @p base (mapped by the caller, who keeps
 * it mapped while it uses @p sh).  Touches no memory of the area.  -EINVAL if
 * @p base is NULL or not 4-byte aligned, @p size is below SCMI_SHMEM_MIN_SIZE or
 * not a multiple of 4, or @p flags has unknown bits.
 *
 * @param[out] sh the caller's descriptor to fill in.
 * @param base start of the mapped area.
 * @param size its size in bytes.
 * @param flags SCMI_SHMEM_IO32 or 0.
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_shmem_init(struct scmi_shmem *sh, volatile void *base, size_t size,
				unsigned int flags);

/**
 * Largest request payload (after the header) the area holds: size - 28.
 * Also the largest notification payload it can carry.
 *
 * @param sh the area.
 * @return the limit in bytes.
 */
static inline size_t scmi_shmem_max_request(const struct scmi_shmem *sh)
{
	return sh->size - SCMI_SHMEM_OFF_PAYLOAD;
}

/**
 * Largest response data (after the status word) the area holds: size - 32.
 * A transport's max_msg_size is at most the smaller of the two limits.
 *
 * @param sh the area.
 * @return the limit in bytes.
 */
static inline size_t scmi_shmem_max_response(const struct scmi_shmem *sh)
{
	return sh->size - SCMI_SHMEM_OFF_DATA;
}

/**
 * Is channel_status FREE?  A2P: the platform is done with the area (the
 * agent may send; a reply is there to read).  P2A: no message is waiting.
 * When it returns the state the caller then acts on, the reads that follow
 * are ordered after it (acquire).
 *
 * @param sh the area.
 * @return true when FREE is set.
 */
SCMI_EXPORT bool scmi_shmem_is_free(const struct scmi_shmem *sh);

/**
 * The message header word (after the caller saw the area handed to it with
 * scmi_shmem_is_free() or scmi_shmem_poll_done()).
 *
 * @param sh the area.
 * @return the header word.
 */
SCMI_EXPORT uint32_t scmi_shmem_read_header(const struct scmi_shmem *sh);

/**
 * A2P: write a command into the area and hand it to the platform: flags
 * (INTR when @p want_irq: the platform will raise the completion interrupt;
 * 0 when the agent polls), length = 4 + @p len, header @p hdr, the @p len bytes
 * of @p payload (may be NULL when @p len is 0), then, after a release barrier,
 * channel_status = 0 (busy, ERROR cleared).  channel_status is written last
 * so that a platform polling it, rather than waiting for a doorbell, never
 * sees a half-written message.  Ends with a full barrier: the caller rings
 * its doorbell next.
 *
 * @param sh the area.
 * @param hdr the command's header.
 * @param payload its payload.
 * @param len the payload's length in bytes.
 * @param want_irq ask for the completion interrupt.
 * @return 0; -EMSGSIZE if @p len > scmi_shmem_max_request() (the area is
 *	not touched); -EINVAL if @p payload is NULL with @p len > 0; -EBUSY if
 *	the area is not FREE (the platform still owns it, e.g. it has not
 *	finished a command that timed out; nothing written: retry later or
 *	give up).
 */
SCMI_EXPORT int scmi_shmem_tx_prepare(const struct scmi_shmem *sh, uint32_t hdr,
				      const void *payload, size_t len, bool want_irq);

/**
 * A2P, polling: has the platform answered the command whose header was
 * @p hdr?  True when channel_status has FREE or ERROR set and then the header
 * in the area carries the token of @p hdr (only the token is compared, as
 * Linux does).  Reads channel_status once, then the header once.
 *
 * @param sh the area.
 * @param hdr the header of the command sent.
 * @return true when the answer is there.
 */
SCMI_EXPORT bool scmi_shmem_poll_done(const struct scmi_shmem *sh, uint32_t hdr);

/**
 * Copy the response (or delayed response) in the area: its status word to
 * *@p status, its data (length - 8 bytes, from offset 0x20) to @p rx of
 * @p rx_size bytes, the data length to *@p rx_len.  Reads channel_status, then
 * length, once each.  Does not look at FREE (its meaning depends on the
 * channel's direction): call it once the area holds a reply (see the
 * sequences above).  Same rules as scmi_msg_fetch_response(), the length
 * word standing for the SDU's length.
 *
 * @param sh the area.
 * @param[out] rx receives the data.
 * @param rx_size capacity of @p rx.
 * @param[out] status the SCMI status word.
 * @param[out] rx_len the data length.
 * @return
 * @verbatim
     0          *status and *rx_len set, the data copied
 *   -ECOMM     channel_status has ERROR: the platform refused the message
 *              as malformed (a transport error, SCMI COMMS_ERROR); *status
 *              = SCMI_ERR_COMMS_ERROR, *rx_len = 0, nothing copied (ERROR
 *              is an A2P bit; found on P2A it is reported the same way)
 *   -EPROTO    length < 8 (no status word) or past the end of the area
 *              (length > size - 24); *rx_len = 0, *status untouched
 *   -EMSGSIZE  the data do not fit rx_size: *status set, *rx_len = 0,
 *              nothing copied (no truncation)
   @endverbatim
 */
SCMI_EXPORT int scmi_shmem_fetch_response(const struct scmi_shmem *sh, void *rx, size_t rx_size,
					  int32_t *status, size_t *rx_len);

/**
 * P2A: copy the payload of the notification in the area (length - 4 bytes
 * from offset 0x1c) to @p buf of @p size bytes, its length to *@p len.  Reads
 * length once.  Same rules as scmi_msg_fetch_notification(): 0; -EPROTO
 * if length < 4 (no header) or past the end of the area (> size - 24);
 * -EMSGSIZE if the payload does not fit @p size (nothing copied, no
 * truncation).  *@p len is set only on success.
 *
 * @param sh the area.
 * @param[out] buf receives the payload.
 * @param size capacity of @p buf.
 * @param[out] len the payload's length.
 * @return 0, -EPROTO or -EMSGSIZE as above.
 */
SCMI_EXPORT int scmi_shmem_fetch_notification(const struct scmi_shmem *sh, void *buf, size_t size,
					      size_t *len);

/**
 * P2A: did the platform ask for a completion doorbell when it is done with
 * this message (flags b0)?  Read it before scmi_shmem_ack(): afterwards the
 * area may already hold the platform's next message.
 *
 * @param sh the area.
 * @return true when flags has INTR set.
 */
SCMI_EXPORT bool scmi_shmem_intr_requested(const struct scmi_shmem *sh);

/**
 * P2A: give the area back to the platform: release barrier (the agent's
 * reads of the message are done), then channel_status = FREE (which clears
 * ERROR).  Also for a message the agent dropped without reading it.
 *
 * @param sh the area.
 */
SCMI_EXPORT void scmi_shmem_ack(const struct scmi_shmem *sh);

/**
 * Ring a memory-mapped doorbell register of @p width bits (8, 16, 32 or 64)
 * at @p reg, aligned to its width: writes (@p preserve ? read & @p preserve : 0)
 * | @p set, little-endian, as one access of that width, after a release
 * barrier.  The fastchannel doorbells (spec §2.8) and a shared-memory
 * channel's doorbell work the same way.
 *
 * @param reg the register (mapped by the caller).
 * @param width its width in bits: 8, 16, 32 or 64.
 * @param set the bits written.
 * @param preserve the bits kept by a read-modify-write (0: a plain write).
 * @return 0, or -EINVAL for another width, a misaligned @p reg or masks
 *	wider than @p width (nothing written).
 */
SCMI_EXPORT int scmi_shmem_ring_doorbell(volatile void *reg, unsigned int width, uint64_t set,
					 uint64_t preserve);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SHMEM_H */

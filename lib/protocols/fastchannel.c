// SPDX-License-Identifier: BSD-3-Clause
/*
 * Fastchannels (spec §2.8): per (domain, message) memory windows that the
 * agent reads or writes directly instead of sending a message, with an
 * optional doorbell for "set" channels.  Used by Performance and Powercap.
 *
 * The platform describes them with the protocol's DESCRIBE_FASTCHANNEL;
 * every value it sends is checked here before the window is mapped through
 * the transport.  Anything odd and the caller falls back to messages.
 */
#include <errno.h>
#include <inttypes.h>

#include <scmi/shmem.h>

#include "../protocols.h"

#define FC_DESCRIBE_RESP_SIZE 44 /* 11 words after the status */
#define FC_ATTR_DOORBELL      (1u << 0)
#define FC_ATTR_DB_WIDTH(a)   (((a) >> 1) & 0x3)
#define FC_RATE_LIMIT_MASK    0xfffffu

static bool fc_mask_fits(uint64_t mask, unsigned int width)
{
	return width == 64 || !(mask >> width);
}

static void *fc_map(const struct scmi_protocol_handle *ph, uint64_t addr, size_t size)
{
	struct scmi_instance *inst = ph->inst;

	if (!inst->tops->map_memory || !addr || !size)
		return NULL;
	return inst->tops->map_memory(inst->tpriv, addr, size);
}

static void fc_unmap(const struct scmi_protocol_handle *ph, void *ptr, size_t size)
{
	struct scmi_instance *inst = ph->inst;

	if (ptr && inst->tops->unmap_memory)
		inst->tops->unmap_memory(inst->tpriv, ptr, size);
}

/* Decode and check a DESCRIBE_FASTCHANNEL reply. */
static int fc_parse(const struct scmi_protocol_handle *ph, const uint8_t *rx, size_t size,
		    struct scmi_fastchannel *fc, uint64_t *chan_addr, uint64_t *db_addr)
{
	uint32_t attr = scmi_get_le32(rx);
	uint32_t chan_size = scmi_get_le32(rx + 16);

	fc->rate_limit_us = scmi_get_le32(rx + 4) & FC_RATE_LIMIT_MASK;
	*chan_addr = scmi_get_le64(rx + 8);
	if (chan_size != size) {
		scmi_warn(&ph->inst->log, "%s: fastchannel size %u, expected %zu",
			  scmi_protocol_name(ph->id), chan_size, size);
		return -EPROTO;
	}
	/* The channel is accessed as aligned 32-bit words (atomic, and
	 * device memory faults on unaligned accesses on many cores). */
	if (*chan_addr & 3) {
		scmi_warn(&ph->inst->log, "%s: fastchannel at 0x%" PRIx64 " not 32-bit aligned",
			  scmi_protocol_name(ph->id), *chan_addr);
		return -EPROTO;
	}
	fc->size = size;
	*db_addr = 0;
	if (!(attr & FC_ATTR_DOORBELL))
		return 0;
	fc->db_width = 8u << FC_ATTR_DB_WIDTH(attr);
	*db_addr = scmi_get_le64(rx + 20);
	fc->db_set = scmi_get_le64(rx + 28);
	fc->db_preserve = scmi_get_le64(rx + 36);
	if (!*db_addr || !fc_mask_fits(fc->db_set, fc->db_width) ||
	    !fc_mask_fits(fc->db_preserve, fc->db_width) || (*db_addr & (fc->db_width / 8 - 1))) {
		scmi_warn(&ph->inst->log,
			  "%s: bad fastchannel doorbell (addr 0x%" PRIx64 ", width %u)",
			  scmi_protocol_name(ph->id), *db_addr, fc->db_width);
		return -EPROTO;
	}
	return 0;
}

int scmi_fastchannel_init(const struct scmi_protocol_handle *ph, uint8_t describe_msg_id,
			  uint32_t domain, uint8_t msg_id, size_t size, struct scmi_fastchannel *fc)
{
	uint8_t tx[8], rx[FC_DESCRIBE_RESP_SIZE];
	uint64_t chan_addr, db_addr;
	int ret;

	memset(fc, 0, sizeof(*fc));
	scmi_put_le32(tx, domain);
	scmi_put_le32(tx + 4, msg_id);
	ret = scmi_common_cmd(ph, describe_msg_id, tx, sizeof(tx), rx, sizeof(rx), sizeof(rx),
			      NULL);
	if (!ret)
		ret = fc_parse(ph, rx, size, fc, &chan_addr, &db_addr);
	if (ret) {
		memset(fc, 0, sizeof(*fc));
		return ret;
	}
	fc->chan = fc_map(ph, chan_addr, size);
	if (!fc->chan) {
		scmi_dbg(&ph->inst->log, "%s: fastchannel 0x%" PRIx64 " not mappable",
			 scmi_protocol_name(ph->id), chan_addr);
		memset(fc, 0, sizeof(*fc));
		return -EOPNOTSUPP;
	}
	if (db_addr) {
		fc->db = fc_map(ph, db_addr, fc->db_width / 8);
		if (!fc->db) {
			fc_unmap(ph, (void *)fc->chan, size);
			memset(fc, 0, sizeof(*fc));
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

void scmi_fastchannel_release(const struct scmi_protocol_handle *ph, struct scmi_fastchannel *fc)
{
	/* Nothing mapped: leave it untouched (a table of never-described
	 * channels is not written to, page by page, on teardown). */
	if (!fc->db && !fc->chan)
		return;
	if (fc->db)
		fc_unmap(ph, (void *)fc->db, fc->db_width / 8);
	if (fc->chan)
		fc_unmap(ph, (void *)fc->chan, fc->size);
	memset(fc, 0, sizeof(*fc));
}

uint32_t scmi_fastchannel_read32(const struct scmi_fastchannel *fc, size_t off)
{
	uint32_t v = __atomic_load_n((volatile uint32_t *)((volatile uint8_t *)fc->chan + off),
				     __ATOMIC_ACQUIRE);

	return le32toh(v);
}

void scmi_fastchannel_write32(const struct scmi_fastchannel *fc, size_t off, uint32_t val)
{
	__atomic_store_n((volatile uint32_t *)((volatile uint8_t *)fc->chan + off), htole32(val),
			 __ATOMIC_RELEASE);
}

void scmi_fastchannel_ring_doorbell(const struct scmi_fastchannel *fc)
{
	/* Width, alignment and masks were checked by fc_parse(). */
	if (fc->db)
		scmi_shmem_ring_doorbell(fc->db, fc->db_width, fc->db_set, fc->db_preserve);
}

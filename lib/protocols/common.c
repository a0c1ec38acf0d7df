// SPDX-License-Identifier: BSD-3-Clause
/* Helpers shared by the protocol implementations. */
#include <errno.h>

#include "../protocols.h"

/* A blocking command of the core (bring-up, discovery): the request model
 * with the caller's buffers, which live for the whole call. */
struct common_ctx {
	const void *tx;
	void *rx;
	size_t rx_max;
	size_t *rx_len;
};

static int common_encode(struct scmi_req *r, uint8_t *tx, size_t room, size_t *len)
{
	const struct common_ctx *c = scmi_req_ctx(r);

	if (*len > room)
		return -EMSGSIZE;
	if (*len)
		memcpy(tx, c->tx, *len);
	return 0;
}

static int common_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t rx_len)
{
	const struct common_ctx *c = scmi_req_ctx(r);
	size_t n;

	if (ret)
		return ret;
	n = rx_len < c->rx_max ? rx_len : c->rx_max;
	if (n)
		memcpy(c->rx, rx, n);
	if (c->rx_len)
		*c->rx_len = rx_len;
	return 0;
}

static int common_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
		      size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len,
		      bool async)
{
	struct scmi_req_msg msg = {
		.msg_id = msg_id,
		.flags = async ? SCMI_REQ_DRESP : 0,
		.rx_min = rx_min,
		.encode = tx_len > SCMI_REQ_TX_INLINE ? common_encode : NULL,
		.decode = common_decode,
	};
	struct scmi_req req, *r = scmi_req_init_sync(ph, &req);
	struct common_ctx *c = SCMI_REQ_CTX(r, struct common_ctx);

	c->tx = tx;
	c->rx = rx;
	c->rx_max = rx_max;
	c->rx_len = rx_len;
	if (msg.encode) {
		/* Too large to copy in: encoded from the caller's buffer, whose
		 * length travels in the request's inline length. */
		return scmi_req_run_len(r, &msg, tx_len);
	}
	return scmi_req_run(r, &msg, tx, tx_len);
}

int scmi_common_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
		    size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len)
{
	return common_cmd(ph, msg_id, tx, tx_len, rx, rx_min, rx_max, rx_len, false);
}

int scmi_common_cmd_async(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
			  size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len)
{
	return common_cmd(ph, msg_id, tx, tx_len, rx, rx_min, rx_max, rx_len, true);
}

int scmi_common_notify_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, uint32_t res_id,
			   bool enable)
{
	uint8_t tx[8];

	scmi_put_le32(tx, res_id);
	scmi_put_le32(tx + 4, enable ? 1 : 0);
	return scmi_common_cmd(ph, msg_id, tx, sizeof(tx), NULL, 0, 0, NULL);
}

int scmi_common_attributes(const struct scmi_protocol_handle *ph, void *buf, size_t min,
			   size_t size)
{
	return scmi_common_cmd(ph, SCMI_MSG_PROTOCOL_ATTRIBUTES, NULL, 0, buf, min, size, NULL);
}

int scmi_common_msg_attributes(const struct scmi_protocol_handle *ph, uint8_t msg_id,
			       uint32_t *attributes)
{
	uint8_t tx[4], rx[4];
	int ret;

	scmi_put_le32(tx, msg_id);
	ret = scmi_common_cmd(ph, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, tx, sizeof(tx), rx,
			      sizeof(rx), sizeof(rx), NULL);
	if (!ret && attributes)
		*attributes = scmi_get_le32(rx);
	return ret;
}

bool scmi_common_msg_supported(const struct scmi_protocol_handle *ph, uint8_t msg_id)
{
	return scmi_common_msg_attributes(ph, msg_id, NULL) == 0;
}

int scmi_common_ext_name_get(const struct scmi_protocol_handle *ph, uint8_t msg_id, uint32_t res_id,
			     const uint32_t *flags, char *name, size_t size)
{
	uint8_t tx[8], rx[4 + SCMI_MAX_STR_SIZE];
	size_t rx_len;
	int ret;

	scmi_put_le32(tx, res_id);
	if (flags)
		scmi_put_le32(tx + 4, *flags);
	/* A name may be shorter than 64 bytes if NUL-terminated early. */
	ret = scmi_common_cmd(ph, msg_id, tx, flags ? 8 : 4, rx, 5, sizeof(rx), &rx_len);
	if (ret) {
		scmi_dbg(&ph->inst->log, "proto 0x%x: NAME_GET(%u) failed: %d", ph->id, res_id,
			 ret);
		return ret;
	}
	if (rx_len > sizeof(rx))
		rx_len = sizeof(rx);
	/* A reply shorter than the 64-byte field: all its bytes may be name
	 * (the field's last byte is for the NUL). */
	scmi_copy_name(name, size, rx + 4,
		       rx_len - 4 < SCMI_MAX_STR_SIZE ? rx_len - 4 + 1 : SCMI_MAX_STR_SIZE);
	return 0;
}

bool scmi_common_bad_answer(int ret)
{
	int32_t st;

	if (ret == -EPROTO || ret == -E2BIG)
		return true;
	st = scmi_last_status();
	return st != SCMI_SUCCESS && st != SCMI_STATUS_NONE;
}

static int common_walk_finish(struct scmi_req *r, int ret, unsigned int total)
{
	*(unsigned int *)scmi_req_ctx(r) = total;
	return ret;
}

int scmi_common_iter_run(const struct scmi_protocol_handle *ph, const struct scmi_iter_desc *desc,
			 void *priv, unsigned int *total_out)
{
	struct scmi_req req, *r = scmi_req_init_sync(ph, &req);
	unsigned int *total = SCMI_REQ_CTX(r, unsigned int);
	int ret;

	ret = scmi_req_walk(r, desc, priv, common_walk_finish);
	if (!ret && total_out)
		*total_out = *total;
	return ret;
}

int scmi_domain_get(const struct scmi_handle *h, uint8_t proto_id, uint32_t id, bool usable,
		    struct scmi_protocol_handle **ph, const void **dom)
{
	struct scmi_domain_table t = {0};
	const char *what, *proto;
	const uint8_t *d;
	int ret;

	ret = scmi_protocol_acquire(h, proto_id, ph);
	if (ret)
		return ret;
	if ((*ph)->proto->domains)
		(*ph)->proto->domains(*ph, &t);
	what = t.what ? t.what : "domain";
	proto = t.proto ? t.proto : what;
	if (id >= t.count || !t.base) {
		scmi_dbg_reason(&(*ph)->inst->log, "%s: no %s %u (%u in all)", proto, what, id,
				t.count);
		return -EINVAL;
	}
	d = (const uint8_t *)t.base + (size_t)id * t.stride;
	if (usable && t.usable_off != SCMI_DOMAIN_ALWAYS_USABLE && !*(const bool *)(d + t.usable_off)) {
		scmi_dbg_reason(&(*ph)->inst->log, "%s: %s %u was disabled at discovery", proto, what,
				id);
		return -EPROTO;
	}
	*dom = d;
	return 0;
}

int scmi_domain_info(const struct scmi_handle *h, uint8_t proto_id, uint32_t id,
		     const void **info)
{
	struct scmi_protocol_handle *ph;
	const void *d;
	int ret;

	if (!info)
		return -EINVAL;
	ret = scmi_domain_get(h, proto_id, id, false, &ph, &d);
	if (!ret)
		*info = d;
	return ret;
}

int scmi_domain_count(const struct scmi_handle *h, uint8_t proto_id)
{
	struct scmi_domain_table t = {0};
	struct scmi_protocol_handle *ph;
	int ret;

	ret = scmi_protocol_acquire(h, proto_id, &ph);
	if (ret)
		return ret;
	if (ph->proto->domains)
		ph->proto->domains(ph, &t);
	return (int)t.count;
}

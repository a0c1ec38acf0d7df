// SPDX-License-Identifier: BSD-3-Clause
/* Helpers shared by the protocol implementations. */
#include <errno.h>

#include "../protocols.h"

static int common_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
		      size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len,
		      bool async)
{
	struct scmi_xfer *x;
	size_t n;
	int ret;

	ret = scmi_proto_xfer_get(ph, msg_id, tx_len, 0, &x);
	if (ret)
		return ret;
	if (tx_len)
		memcpy((void *)x->t.tx, tx, tx_len);
	ret = async ? scmi_do_xfer_with_response(x) : scmi_do_xfer(x);
	if (!ret && x->t.rx_len < rx_min) {
		scmi_warn(&ph->inst->log,
			  "proto 0x%x msg 0x%x: reply has %zu data bytes, expected at least %zu",
			  ph->id, msg_id, x->t.rx_len, rx_min);
		ret = -EPROTO;
	}
	if (!ret) {
		n = x->t.rx_len < rx_max ? x->t.rx_len : rx_max;
		if (n)
			memcpy(rx, x->t.rx, n);
		if (rx_len)
			*rx_len = x->t.rx_len;
	}
	scmi_xfer_put(x);
	return ret;
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

/*
 * Statuses with which platforms answer a request for an index past the end
 * of a list: OP-TEE INVALID_PARAMETERS, SCP-firmware OUT_OF_RANGE, others
 * NOT_FOUND.
 */
static bool iter_past_end(int32_t status)
{
	return status == SCMI_ERR_INVALID_PARAMETERS || status == SCMI_ERR_OUT_OF_RANGE ||
	       status == SCMI_ERR_NOT_FOUND;
}

int scmi_common_iter_run(const struct scmi_protocol_handle *ph, const struct scmi_iter_desc *desc,
			 void *priv, unsigned int *total_out)
{
	const struct scmi_iter_ops *ops = desc->ops;
	unsigned int index = 0, total = 0, cap = 0;
	bool miscounted = false, stopped = false;
	const char *end = "remaining 0";
	struct scmi_xfer *x;
	int ret;

	ret = scmi_proto_xfer_get(ph, desc->msg_id, desc->tx_size, 0, &x);
	if (ret)
		return ret;
	for (;;) {
		unsigned int returned = 0, remaining = 0, i;
		size_t off = 0;

		ops->prepare((void *)x->t.tx, index, priv);
		ret = scmi_do_xfer(x);
		if (ret) {
			/* The platform says there is nothing at this index:
			 * its earlier "remaining" was wrong, the list ends. */
			if (index && iter_past_end(scmi_last_status())) {
				end = scmi_status_name(scmi_last_status());
				ret = 0;
			}
			break;
		}
		ret = ops->update(x->t.rx, x->t.rx_len, &returned, &remaining, &off, priv);
		if (ret)
			break;
		if (index == 0) {
			/* The capacity: what the first reply announces, within
			 * what the caller stores (an announcement is not held
			 * against the platform: "remaining" is often wrong). */
			total = returned + remaining;
			cap = desc->max_entries && total > desc->max_entries ? desc->max_entries
									     : total;
		}
		/* An empty reply ends the walk whatever "remaining" says (a
		 * walk that never advances would never end). */
		if (!returned) {
			end = "an empty reply";
			break;
		}
		/* More entries than announced, or than the caller stores:
		 * they would not fit. */
		if (returned > cap - index) {
			if (cap < total)
				scmi_warn(
					&ph->inst->log,
					"proto 0x%x msg 0x%x: %u entries at %u, at most %u stored",
					ph->id, desc->msg_id, returned, index, cap);
			else
				scmi_warn(
					&ph->inst->log,
					"proto 0x%x msg 0x%x: %u entries at %u, only %u announced",
					ph->id, desc->msg_id, returned, index, total);
			ret = -EPROTO;
			break;
		}
		if (returned + remaining != total - index)
			miscounted = true;
		for (i = 0; i < returned; i++) {
			ret = ops->entry(x->t.rx, x->t.rx_len, &off, index + i, i, priv);
			if (ret)
				break;
		}
		if (ret < 0)
			break;
		if (ret > 0) {
			/* The callback has all it wants (e.g. a triplet). */
			index += i + 1;
			stopped = true;
			ret = 0;
			break;
		}
		index += returned;
		if (!remaining)
			break;
		/* Reuse the xfer: a new token for the next message. */
		scmi_xfer_put(x);
		ret = scmi_proto_xfer_get(ph, desc->msg_id, desc->tx_size, 0, &x);
		if (ret)
			return ret;
	}
	scmi_xfer_put(x);
	if (ret)
		return ret;
	if (!stopped && (index < total || miscounted))
		scmi_warn(
			&ph->inst->log,
			"proto 0x%x msg 0x%x: inconsistent counts: %u entries announced, %u listed "
			"(ended by %s); using the entries listed",
			ph->id, desc->msg_id, total, index, end);
	if (total_out)
		*total_out = index;
	return 0;
}

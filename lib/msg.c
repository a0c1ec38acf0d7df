// SPDX-License-Identifier: BSD-3-Clause
/*
 * Helpers for message-passing transports, where each message arrives whole
 * (header + payload) and its length comes from the carrier (spec §2.7).
 */
#include <errno.h>

#include "common.h"

int scmi_msg_pack_command(const struct scmi_transport_xfer *xfer, void *buf, size_t size)
{
	if (size < 4 || xfer->tx_len > size - 4 || xfer->tx_len > INT32_MAX - 4)
		return -EMSGSIZE;
	scmi_put_le32(buf, xfer->hdr);
	if (xfer->tx_len)
		memcpy((uint8_t *)buf + 4, xfer->tx, xfer->tx_len);
	return (int)(4 + xfer->tx_len);
}

int scmi_msg_fetch_response(const void *msg, size_t len, struct scmi_transport_xfer *xfer)
{
	const uint8_t *p = msg;

	if (!msg || len < 8) {
		xfer->rx_len = 0;
		return -EPROTO; /* not even a status word */
	}
	xfer->status = (int32_t)scmi_get_le32(p + 4);
	if (len - 8 > xfer->rx_size) {
		xfer->rx_len = 0;
		return -EMSGSIZE;
	}
	xfer->rx_len = len - 8;
	if (xfer->rx_len)
		memcpy(xfer->rx, p + 8, xfer->rx_len);
	return 0;
}

int scmi_msg_fetch_notification(const void *msg, size_t len, void *buf, size_t size,
				size_t *out_len)
{
	if (!msg || len < 4)
		return -EPROTO;
	if (len - 4 > size)
		return -EMSGSIZE;
	if (len > 4)
		memcpy(buf, (const uint8_t *)msg + 4, len - 4);
	*out_len = len - 4;
	return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * Helpers for message-passing transports, where each message arrives whole
 * (header + payload) and its length comes from the carrier (spec §2.7).
 */
#include <errno.h>

#include "common.h"
#include "sdu.h"

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
	size_t data_len = 0;
	int ret = msg ? scmi_sdu_response_len(len, xfer->rx_size, &data_len) : -EPROTO;

	xfer->rx_len = 0;
	if (ret == -EPROTO)
		return ret; /* not even a status word */
	xfer->status = (int32_t)scmi_get_le32(p + 4);
	if (ret)
		return ret;
	xfer->rx_len = data_len;
	if (data_len)
		memcpy(xfer->rx, p + 8, data_len);
	return 0;
}

int scmi_msg_fetch_notification(const void *msg, size_t len, void *buf, size_t size,
				size_t *out_len)
{
	size_t payload_len = 0;
	int ret = msg ? scmi_sdu_notification_len(len, size, &payload_len) : -EPROTO;

	if (ret)
		return ret;
	if (payload_len)
		memcpy(buf, (const uint8_t *)msg + 4, payload_len);
	*out_len = payload_len;
	return 0;
}

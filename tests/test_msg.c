// SPDX-License-Identifier: BSD-3-Clause
/*
 * The helpers for message-passing transports (scmi/transport.h) and the
 * event queue, at their exact limits.
 */
#include <errno.h>
#include <stdint.h>

#include "events.h"
#include "helpers.h"

Test(msg, pack_command_limits)
{
	uint8_t payload[16] = {1, 2, 3}, buf[32];
	struct scmi_transport_xfer x = {.hdr = 0x12345678, .tx = payload, .tx_len = 0};

	cr_assert_eq(scmi_msg_pack_command(&x, buf, 3), -EMSGSIZE, "no room for the header");
	cr_assert_eq(scmi_msg_pack_command(&x, buf, 4), 4);
	cr_assert_eq(buf[0], 0x78);
	cr_assert_eq(buf[3], 0x12);
	x.tx_len = 16;
	cr_assert_eq(scmi_msg_pack_command(&x, buf, 20), 20, "exactly fits");
	cr_assert_eq(buf[4], 1);
	cr_assert_eq(scmi_msg_pack_command(&x, buf, 19), -EMSGSIZE, "one byte short");
	/* A length that would not fit the int result is refused before any
	 * copy (the buffer is never read). */
	x.tx_len = (size_t)INT32_MAX - 3;
	cr_assert_eq(scmi_msg_pack_command(&x, buf, SIZE_MAX), -EMSGSIZE);
}

Test(msg, fetch_response_limits)
{
	uint8_t rx[4], sdu[12] = {0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 9, 8, 7, 6};
	struct scmi_transport_xfer x = {.rx = rx, .rx_size = sizeof(rx)};

	cr_assert_eq(scmi_msg_fetch_response(NULL, 12, &x), -EPROTO);
	cr_assert_eq(scmi_msg_fetch_response(sdu, 7, &x), -EPROTO, "no status word");
	cr_assert_eq(x.rx_len, 0);
	cr_assert_eq(scmi_msg_fetch_response(sdu, 8, &x), 0, "status only");
	cr_assert_eq(x.status, -2);
	cr_assert_eq(x.rx_len, 0);
	cr_assert_eq(scmi_msg_fetch_response(sdu, 12, &x), 0, "data filling rx exactly");
	cr_assert_eq(x.rx_len, 4);
	cr_assert_eq(rx[0], 9);
	x.rx_size = 3;
	cr_assert_eq(scmi_msg_fetch_response(sdu, 12, &x), -EMSGSIZE, "one byte too many");
	cr_assert_eq(x.rx_len, 0);
}

Test(msg, fetch_notification_limits)
{
	uint8_t buf[4], sdu[8] = {0, 0, 0, 0, 5, 6, 7, 8};
	size_t len = 99;

	cr_assert_eq(scmi_msg_fetch_notification(NULL, 8, buf, sizeof(buf), &len), -EPROTO);
	cr_assert_eq(scmi_msg_fetch_notification(sdu, 3, buf, sizeof(buf), &len), -EPROTO);
	cr_assert_eq(scmi_msg_fetch_notification(sdu, 4, buf, sizeof(buf), &len), 0, "no payload");
	cr_assert_eq(len, 0);
	cr_assert_eq(scmi_msg_fetch_notification(sdu, 8, buf, 4, &len), 0, "exactly fits");
	cr_assert_eq(len, 4);
	cr_assert_eq(buf[3], 8);
	cr_assert_eq(scmi_msg_fetch_notification(sdu, 8, buf, 3, &len), -EMSGSIZE);
}

Test(events, queue_limits)
{
	struct scmi_event_queue q;

	cr_assert_eq(scmi_event_queue_init(&q, 0, 8), -EINVAL);
	cr_assert_eq(scmi_event_queue_init(&q, 1, 8), 0);
	cr_assert_not_null(scmi_event_queue_reserve(&q));
	scmi_event_queue_commit(&q);
	cr_assert_null(scmi_event_queue_reserve(&q), "depth 1: full after one");
	cr_assert_eq(q.high_water, 1);
	cr_assert_not_null(scmi_event_queue_peek(&q));
	scmi_event_queue_pop(&q);
	cr_assert_null(scmi_event_queue_peek(&q));
	cr_assert_not_null(scmi_event_queue_reserve(&q));
	scmi_event_queue_destroy(&q);
}

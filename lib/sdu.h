/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Length rules of a message (internal), shared by the message-passing
 * helpers (lib/msg.c), where the carrier gives the SDU's length, and the
 * shared-memory ones (lib/shmem.c), where the area's length word does: both
 * count the header and what follows it (spec §2.1, §2.7).
 */
#ifndef SCMI_LIB_SDU_H
#define SCMI_LIB_SDU_H

#include <errno.h>
#include <stddef.h>

/**
 * Data bytes of a response or delayed response of @len bytes (header,
 * status word, data) for a buffer of @rx_size bytes: 0 with *@data_len
 * set; -EPROTO if there is no status word (*@data_len untouched);
 * -EMSGSIZE if the data do not fit (*@data_len set).
 */
static inline int scmi_sdu_response_len(size_t len, size_t rx_size, size_t *data_len)
{
	if (len < 8)
		return -EPROTO;
	*data_len = len - 8;
	return *data_len > rx_size ? -EMSGSIZE : 0;
}

/**
 * Payload bytes of a notification of @len bytes (header, payload) for a
 * buffer of @size bytes: 0 with *@payload_len set; -EPROTO if there is no
 * header; -EMSGSIZE if the payload does not fit (*@payload_len set).
 */
static inline int scmi_sdu_notification_len(size_t len, size_t size, size_t *payload_len)
{
	if (len < 4)
		return -EPROTO;
	*payload_len = len - 4;
	return *payload_len > size ? -EMSGSIZE : 0;
}

#endif

// SPDX-License-Identifier: BSD-3-Clause
/* clock protocol (0x14): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_clock_protocol = {
	.id = SCMI_PROTOCOL_CLOCK,
	.supported_version = SCMI_VERSION(3, 0),
};

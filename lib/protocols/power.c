// SPDX-License-Identifier: BSD-3-Clause
/* power protocol (0x11): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_power_protocol = {
	.id = SCMI_PROTOCOL_POWER,
	.supported_version = SCMI_VERSION(3, 1),
};

// SPDX-License-Identifier: BSD-3-Clause
/* system protocol (0x12): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_system_protocol = {
	.id = SCMI_PROTOCOL_SYSTEM,
	.supported_version = SCMI_VERSION(2, 1),
};

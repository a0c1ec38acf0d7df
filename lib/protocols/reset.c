// SPDX-License-Identifier: BSD-3-Clause
/* reset protocol (0x16): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_reset_protocol = {
	.id = SCMI_PROTOCOL_RESET,
	.supported_version = SCMI_VERSION(3, 1),
};

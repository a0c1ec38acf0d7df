// SPDX-License-Identifier: BSD-3-Clause
/* powercap protocol (0x18): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_powercap_protocol = {
	.id = SCMI_PROTOCOL_POWERCAP,
	.supported_version = SCMI_VERSION(2, 0),
};

// SPDX-License-Identifier: BSD-3-Clause
/* voltage protocol (0x17): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_voltage_protocol = {
	.id = SCMI_PROTOCOL_VOLTAGE,
	.supported_version = SCMI_VERSION(2, 1),
};

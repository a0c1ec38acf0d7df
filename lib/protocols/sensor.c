// SPDX-License-Identifier: BSD-3-Clause
/* sensor protocol (0x15): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_sensor_protocol = {
	.id = SCMI_PROTOCOL_SENSOR,
	.supported_version = SCMI_VERSION(3, 1),
};

// SPDX-License-Identifier: BSD-3-Clause
/* perf protocol (0x13): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_perf_protocol = {
	.id = SCMI_PROTOCOL_PERF,
	.supported_version = SCMI_VERSION(4, 0),
};

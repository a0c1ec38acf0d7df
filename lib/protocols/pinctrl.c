// SPDX-License-Identifier: BSD-3-Clause
/* pinctrl protocol (0x19): placeholder until it is implemented. */
#include "../protocols.h"

const struct scmi_protocol scmi_pinctrl_protocol = {
	.id = SCMI_PROTOCOL_PINCTRL,
	.supported_version = SCMI_VERSION(1, 0),
};

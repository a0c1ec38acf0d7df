/* SPDX-License-Identifier: BSD-3-Clause */
/* pinctrl protocol model (0x19): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t pinctrl_versions[] = { SIM_VERSION(1, 0), 0 };

const struct sim_proto_ops sim_pinctrl_ops = {
	.id = SIM_PROTO_PINCTRL,
	.name = "pinctrl",
	.versions = pinctrl_versions,
};

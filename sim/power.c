/* SPDX-License-Identifier: BSD-3-Clause */
/* power protocol model (0x11): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t power_versions[] = { SIM_VERSION(2, 0), SIM_VERSION(3, 0), SIM_VERSION(3, 1), 0 };

const struct sim_proto_ops sim_power_ops = {
	.id = SIM_PROTO_POWER,
	.name = "power",
	.versions = power_versions,
};

/* SPDX-License-Identifier: BSD-3-Clause */
/* system protocol model (0x12): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t system_versions[] = { SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(2, 1), 0 };

const struct sim_proto_ops sim_system_ops = {
	.id = SIM_PROTO_SYSTEM,
	.name = "system",
	.versions = system_versions,
};

/* SPDX-License-Identifier: BSD-3-Clause */
/* reset protocol model (0x16): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t reset_versions[] = { SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(3, 0), SIM_VERSION(3, 1), 0 };

const struct sim_proto_ops sim_reset_ops = {
	.id = SIM_PROTO_RESET,
	.name = "reset",
	.versions = reset_versions,
};

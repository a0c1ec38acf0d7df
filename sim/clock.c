/* SPDX-License-Identifier: BSD-3-Clause */
/* clock protocol model (0x14): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t clock_versions[] = { SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(3, 0), 0 };

const struct sim_proto_ops sim_clock_ops = {
	.id = SIM_PROTO_CLOCK,
	.name = "clock",
	.versions = clock_versions,
};

/* SPDX-License-Identifier: BSD-3-Clause */
/* perf protocol model (0x13): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t perf_versions[] = { SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(3, 0), SIM_VERSION(4, 0), 0 };

const struct sim_proto_ops sim_perf_ops = {
	.id = SIM_PROTO_PERF,
	.name = "perf",
	.versions = perf_versions,
};

/* SPDX-License-Identifier: BSD-3-Clause */
/* voltage protocol model (0x17): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t voltage_versions[] = { SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(2, 1), 0 };

const struct sim_proto_ops sim_voltage_ops = {
	.id = SIM_PROTO_VOLTAGE,
	.name = "voltage",
	.versions = voltage_versions,
};

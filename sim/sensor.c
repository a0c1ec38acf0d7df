/* SPDX-License-Identifier: BSD-3-Clause */
/* sensor protocol model (0x15): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t sensor_versions[] = { SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(3, 0), SIM_VERSION(3, 1), 0 };

const struct sim_proto_ops sim_sensor_ops = {
	.id = SIM_PROTO_SENSOR,
	.name = "sensor",
	.versions = sensor_versions,
};

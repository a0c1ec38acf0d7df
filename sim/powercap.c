/* SPDX-License-Identifier: BSD-3-Clause */
/* powercap protocol model (0x18): placeholder, common messages only. */
#include "sim-internal.h"

static const uint32_t powercap_versions[] = { SIM_VERSION(1, 0), SIM_VERSION(2, 0), 0 };

const struct sim_proto_ops sim_powercap_ops = {
	.id = SIM_PROTO_POWERCAP,
	.name = "powercap",
	.versions = powercap_versions,
};

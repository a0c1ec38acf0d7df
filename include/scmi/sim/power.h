/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-facing API of the simulator's power model (see scmi/sim.h). */
#ifndef SCMI_SIM_POWER_H
#define SCMI_SIM_POWER_H

#include <scmi/sim.h>

#endif /* SCMI_SIM_POWER_H */

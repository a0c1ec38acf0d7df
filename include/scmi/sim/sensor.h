/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-facing API of the simulator's sensor model (see scmi/sim.h). */
#ifndef SCMI_SIM_SENSOR_H
#define SCMI_SIM_SENSOR_H

#include <scmi/sim.h>

#endif /* SCMI_SIM_SENSOR_H */

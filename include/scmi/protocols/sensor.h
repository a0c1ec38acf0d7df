/* SPDX-License-Identifier: BSD-3-Clause */
/* sensor protocol (0x15): not implemented yet. */
#ifndef SCMI_PROTOCOLS_SENSOR_H
#define SCMI_PROTOCOLS_SENSOR_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_SENSOR_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* voltage protocol (0x17): not implemented yet. */
#ifndef SCMI_PROTOCOLS_VOLTAGE_H
#define SCMI_PROTOCOLS_VOLTAGE_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_VOLTAGE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* power protocol (0x11): not implemented yet. */
#ifndef SCMI_PROTOCOLS_POWER_H
#define SCMI_PROTOCOLS_POWER_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_POWER_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* powercap protocol (0x18): not implemented yet. */
#ifndef SCMI_PROTOCOLS_POWERCAP_H
#define SCMI_PROTOCOLS_POWERCAP_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_POWERCAP_H */

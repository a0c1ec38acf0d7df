/* SPDX-License-Identifier: BSD-3-Clause */
/* system protocol (0x12): not implemented yet. */
#ifndef SCMI_PROTOCOLS_SYSTEM_H
#define SCMI_PROTOCOLS_SYSTEM_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_SYSTEM_H */

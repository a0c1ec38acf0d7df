/* SPDX-License-Identifier: BSD-3-Clause */
/* clock protocol (0x14): not implemented yet. */
#ifndef SCMI_PROTOCOLS_CLOCK_H
#define SCMI_PROTOCOLS_CLOCK_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_CLOCK_H */

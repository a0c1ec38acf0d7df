/* SPDX-License-Identifier: BSD-3-Clause */
/* reset protocol (0x16): not implemented yet. */
#ifndef SCMI_PROTOCOLS_RESET_H
#define SCMI_PROTOCOLS_RESET_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_RESET_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* pinctrl protocol (0x19): not implemented yet. */
#ifndef SCMI_PROTOCOLS_PINCTRL_H
#define SCMI_PROTOCOLS_PINCTRL_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_PINCTRL_H */

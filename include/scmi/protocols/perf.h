/* SPDX-License-Identifier: BSD-3-Clause */
/* perf protocol (0x13): not implemented yet. */
#ifndef SCMI_PROTOCOLS_PERF_H
#define SCMI_PROTOCOLS_PERF_H

#include <scmi/handle.h>

#endif /* SCMI_PROTOCOLS_PERF_H */

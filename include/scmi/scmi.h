/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * libscmi umbrella header: everything a user of the library needs. */
#ifndef SCMI_SCMI_H
#define SCMI_SCMI_H

#include <scmi/errors.h>
#include <scmi/handle.h>
#include <scmi/notify.h>
#include <scmi/protocols/base.h>
#include <scmi/protocols/power.h>
#include <scmi/protocols/system.h>
#include <scmi/protocols/perf.h>
#include <scmi/protocols/clock.h>
#include <scmi/protocols/sensor.h>
#include <scmi/protocols/reset.h>
#include <scmi/protocols/voltage.h>
#include <scmi/protocols/powercap.h>
#include <scmi/protocols/pinctrl.h>
#include <scmi/transport.h>
#include <scmi/shmem.h>

#endif /* SCMI_SCMI_H */

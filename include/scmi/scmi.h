/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * libscmi umbrella header: everything a user of the library needs.
 */

/**
 * @mainpage libscmi API reference
 *
 * libscmi is a user-space Arm SCMI agent library: it talks to the platform
 * firmware that owns clocks, performance levels, sensors, power, reset,
 * voltage, power capping and pins, through pluggable transports.
 * Include scmi/scmi.h and link with `pkg-config --cflags --libs scmi`.
 *
 * Where to start:
 * - scmi/handle.h: scmi_open(), scmi_close(), struct scmi_handle (one ops
 *   pointer per protocol), struct scmi_config, scmi_probe(), the counters;
 * - scmi/errors.h: the return convention (0 or a negative errno),
 *   scmi_strerror(), scmi_last_status(), scmi_last_error_msg();
 * - scmi/version.h: the library's version (scmi_version());
 * - scmi/notify.h: notifier blocks and where their callbacks run;
 * - scmi/trace.h: a trace hook with the Linux kernel's SCMI trace events,
 *   and the counters under the kernel's debug counter names;
 * - scmi/protocols/: one header per protocol, with its ops, the
 *   structures discovery fills and the report of each event;
 * - scmi/protocol.h: implementing a vendor protocol (0x80..0xFF) with the
 *   helpers the standard protocols use;
 * - scmi/transport.h and scmi/shmem.h: writing a transport;
 * - the simulator, in its own library libscmi-sim (scmi-sim/sim.h and its
 *   protocol headers, scmi-sim/loopback.h): a platform to test agents
 *   against.
 *
 * Conventions that hold throughout: every function returns 0 (or a count
 * where it says so) or a negative errno; a platform's status maps to an
 * errno as scmi_status_to_errno() says and stays readable with
 * scmi_last_status(); any function taking a handle may be called from
 * any thread, notification callbacks included; pointers the library
 * returns into a handle stay valid until scmi_close() and are never freed
 * by the caller; output structs passed in are the caller's.
 *
 * The README of the sources has a quick start, the URI of every transport
 * and a short program touring the API; docs/DESIGN.md describes the
 * threads and locks inside.
 */
#ifndef SCMI_SCMI_H
#define SCMI_SCMI_H

#include <scmi/errors.h>
#include <scmi/version.h>
#include <scmi/handle.h>
#include <scmi/notify.h>
#include <scmi/quirks.h>
#include <scmi/trace.h>
#include <scmi/request.h>
#include <scmi/protocol.h>
#include <scmi/raw.h>
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

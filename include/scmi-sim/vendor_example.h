/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The simulator's example vendor protocol: the platform side of the "fan"
 * protocol of examples/vendor/ (docs/VENDOR.md has its messages).  Not
 * part of SCMI and never listed by default: a test adds it with
 * scmi_sim_vendor_example_add(), or a loopback URI with vendor_example=1
 * (at protocol id SCMI_SIM_VENDOR_EXAMPLE_ID).  The identity Base reports
 * is set apart (vendor=, sub_vendor=, impl_ver=), so that agents can be
 * tested on a matching and a non-matching platform.
 */
#ifndef SCMI_SIM_VENDOR_EXAMPLE_H
#define SCMI_SIM_VENDOR_EXAMPLE_H

#include <stdint.h>

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Protocol id the loopback URI's vendor_example=1 uses. */
#define SCMI_SIM_VENDOR_EXAMPLE_ID 0x90

/** Fans the model has (ids 0..SCMI_SIM_VENDOR_EXAMPLE_FANS-1). */
#define SCMI_SIM_VENDOR_EXAMPLE_FANS 5

/**
 * Add the example vendor protocol (version 1.0) under protocol id
 * @p proto.  Takes the simulator's lock.
 *
 * @param sim the simulator.
 * @param proto a vendor protocol id (0x80..0xff).
 * @return 0, -EINVAL (no simulator, an id below 0x80), -EEXIST (the id is
 *	taken), -ENOMEM.
 */
SCMI_EXPORT int scmi_sim_vendor_example_add(struct scmi_sim *sim, uint8_t proto);

/**
 * The speed the model has for fan @p fan (what FAN_SPEED_SET set).  Takes
 * the simulator's lock.
 *
 * @param sim the simulator.
 * @param proto the protocol id it was added under.
 * @param fan the fan.
 * @param[out] rpm its speed.
 * @return 0, -ENOENT (no example protocol at @p proto), -EINVAL (no such
 *	fan, NULL argument).
 */
SCMI_EXPORT int scmi_sim_vendor_example_rpm_get(struct scmi_sim *sim, uint8_t proto, uint32_t fan,
						uint32_t *rpm);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_VENDOR_EXAMPLE_H */

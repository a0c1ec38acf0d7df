/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's System power model (see scmi-sim/sim.h). */
#ifndef SCMI_SIM_SYSTEM_H
#define SCMI_SIM_SYSTEM_H

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The platform (or agent @p agent_id, 0 = platform) requests system state
 * @p state: the model records it and sends SYSTEM_POWER_STATE_NOTIFIER (if the
 * agent enabled it) with @p graceful and, from version 2.0, @p timeout_ms.
 * Returns 1 if sent, 0 if not enabled, -ENOENT without the protocol.
 *
 * @param sim the simulator.
 * @param agent_id the requester (0: the platform).
 * @param state the system state requested.
 * @param graceful a graceful request (else forceful).
 * @param timeout_ms the timeout carried from version 2.0.
 * @return 1 if sent, 0 if not enabled, -ENOENT without the protocol, or
 *	-EINVAL.
 */
SCMI_EXPORT int scmi_sim_system_request(struct scmi_sim *sim, uint32_t agent_id, uint32_t state,
					bool graceful, uint32_t timeout_ms);
/**
 * The system state last requested, and whether that was graceful.
 *
 * @param sim the simulator.
 * @param[out] state the state last requested.
 * @param[out] graceful whether that request was graceful.
 * @return 0, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_system_state_get(struct scmi_sim *sim, uint32_t *state, bool *graceful);
/**
 * Which optional states SYSTEM_POWER_STATE_SET accepts (default both).
 *
 * @param sim the simulator.
 * @param warm_reset accept warm reset.
 * @param suspend accept suspend.
 * @return 0, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_system_features_set(struct scmi_sim *sim, bool warm_reset, bool suspend);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_SYSTEM_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's System power model (see scmi/sim.h). */
#ifndef SCMI_SIM_SYSTEM_H
#define SCMI_SIM_SYSTEM_H

#include <scmi/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The platform (or agent @p agent_id, 0 = platform) requests system state
 * @p state: the model records it and sends SYSTEM_POWER_STATE_NOTIFIER (if the
 * agent enabled it) with @p graceful and, from version 2.0, @p timeout_ms.
 * Returns 1 if sent, 0 if not enabled, -ENOENT without the protocol.
 */
SCMI_EXPORT int scmi_sim_system_request(struct scmi_sim *sim, uint32_t agent_id, uint32_t state,
					bool graceful, uint32_t timeout_ms);
/** The system state last requested, and whether that was graceful. */
SCMI_EXPORT int scmi_sim_system_state_get(struct scmi_sim *sim, uint32_t *state, bool *graceful);
/** Which optional states SYSTEM_POWER_STATE_SET accepts (default both). */
SCMI_EXPORT int scmi_sim_system_features_set(struct scmi_sim *sim, bool warm_reset, bool suspend);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_SYSTEM_H */

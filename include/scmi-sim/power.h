/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's power domain model (protocol 0x11).
 *
 * The default platform has eight domains covering every attribute
 * combination the spec allows: both, sync-only, async-only and no state
 * change; with and without notifications; names needing
 * POWER_DOMAIN_NAME_GET (v3.0+); one domain whose OFF request is DENIED.
 * Versions 1.0, 2.0 (adds POWER_STATE_CHANGE_REQUESTED_NOTIFY), 3.0 (adds
 * POWER_DOMAIN_NAME_GET) and 3.1 (adds NEGOTIATE_PROTOCOL_VERSION).
 *
 * Every function takes the simulator's lock; all are thread-safe.
 */
#ifndef SCMI_SIM_POWER_H
#define SCMI_SIM_POWER_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of the name buffers (63 characters and the NUL). */
#define SCMI_SIM_POWER_NAME_MAX 64 /* with the NUL */
/** Most power states one domain accepts. */
#define SCMI_SIM_POWER_MAX_STATES 8

/** Power states the model uses (b30: context lost, b[27:0]: id). */
#define SCMI_SIM_POWER_ON 0x00000000u
/** The generic OFF state (context lost). */
#define SCMI_SIM_POWER_OFF 0x40000000u
/** A retention state (context kept). */
#define SCMI_SIM_POWER_RETENTION 0x00000001u /* context kept */
/** A suspend state (context lost). */
#define SCMI_SIM_POWER_SUSPEND 0x40000001u /* context lost */

/** One domain as the platform models it. */
struct scmi_sim_power_domain {
	/** Full name, NUL-terminated.  Names longer than 15 characters go
	 *  out truncated to 15 in the attributes, and whole through
	 *  POWER_DOMAIN_NAME_GET from version 3.0 (flagged by b27). */
	char name[SCMI_SIM_POWER_NAME_MAX];
	bool notify;		 /**< b31: state notifications supported */
	bool async;		 /**< b30: asynchronous POWER_STATE_SET */
	bool sync;		 /**< b29: synchronous POWER_STATE_SET */
	uint32_t state;		 /**< current state (an async change counts once due) */
	unsigned int num_states; /**< entries used in states[] */
	uint32_t states[SCMI_SIM_POWER_MAX_STATES]; /**< states it accepts */
	uint32_t denied[SCMI_SIM_POWER_MAX_STATES]; /**< of those, refused (DENIED) */
	unsigned int num_denied;		    /**< entries used in denied[] */
	uint64_t sync_requests;			    /**< POWER_STATE_SET accepted, sync form */
	uint64_t async_requests;		    /**< POWER_STATE_SET accepted, async form */
};

/**
 * Number of domains.  -EINVAL for a NULL @p sim.
 *
 * @param sim the simulator.
 * @return the number of domains, or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_power_num_domains(struct scmi_sim *sim);
/**
 * Copy domain @p domain of the model into @p out.  0, -EINVAL, -ENOENT.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param[out] out receives a copy.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_power_domain_get(struct scmi_sim *sim, uint32_t domain,
					  struct scmi_sim_power_domain *out);
/**
 * Statistics region advertised by PROTOCOL_ATTRIBUTES (default: a
 * 256-byte window of the simulator's shared memory; contents are not
 * modelled).  Either pointer may be NULL.  0 or -EINVAL.
 *
 * @param sim the simulator.
 * @param[out] addr its address (may be NULL).
 * @param[out] len its length (may be NULL).
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_power_stats_get(struct scmi_sim *sim, uint64_t *addr, uint32_t *len);
/**
 * Advertise another statistics region (@p len 0: none).  0 or -EINVAL.
 *
 * @param sim the simulator.
 * @param addr its address.
 * @param len its length (0: none).
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_power_stats_set(struct scmi_sim *sim, uint64_t addr, uint32_t len);
/**
 * A state change the agent did not ask for: the platform itself (@p agent_id
 * 0) or another agent (@p agent_id != 0) puts domain @p domain in @p state.  For
 * another agent's request POWER_STATE_CHANGE_REQUESTED goes out first; then
 * POWER_STATE_CHANGED; each only while the agent has it enabled.  Any
 * pending async change of the domain is overridden.  Returns the number of
 * notifications sent (0..2), -ENOENT (no such domain) or -EINVAL (a state
 * the domain does not have).
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param state the new power state.
 * @param agent_id 0: the platform, else the requesting agent.
 * @return the number of notifications sent (0..2), -ENOENT or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_power_state_change(struct scmi_sim *sim, uint32_t domain, uint32_t state,
					    uint32_t agent_id);
/**
 * Make requests for @p state of @p domain DENIED (@p deny) or accepted again.
 * 0, -ENOENT, -EINVAL (a state the domain does not have).
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param state the power state.
 * @param deny refuse it (else accept it again).
 * @return 0, -ENOENT or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_power_deny_set(struct scmi_sim *sim, uint32_t domain, uint32_t state,
					bool deny);
/**
 * How long an asynchronous POWER_STATE_SET takes to complete (default 0):
 * the new state shows in POWER_STATE_GET, and POWER_STATE_CHANGED is sent,
 * @p delay_us after the request; until then further POWER_STATE_SET requests
 * for that domain are answered BUSY.  0 or -EINVAL.
 *
 * @param sim the simulator.
 * @param delay_us the delay, µs.
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_power_async_delay_set(struct scmi_sim *sim, uint64_t delay_us);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_POWER_H */

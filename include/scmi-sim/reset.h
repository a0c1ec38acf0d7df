/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's reset domain model (protocol 0x16; see
 * scmi-sim/sim.h).  Every function takes the simulator's lock and may be called
 * from any thread; none may be called from an emit/deliver callback.
 *
 * The default platform has SCMI_SIM_RESET_NUM_DOMAINS domains exercising
 * every attribute both ways: async reset or not, RESET_ISSUED or not,
 * explicit assert/de-assert or autonomous reset only, known and unknown
 * latency, names longer than 15 characters (extended names from 3.0), and
 * some implementation-defined reset states.
 */
#ifndef SCMI_SIM_RESET_H
#define SCMI_SIM_RESET_H

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of domains of the default platform. */
#define SCMI_SIM_RESET_NUM_DOMAINS 6
/** Size of the name buffers below (64-byte extended name, §5). */
#define SCMI_SIM_RESET_NAME_MAX 64

/** One reset domain as the platform models it. */
struct scmi_sim_reset_domain {
	/** Full name (what RESET_DOMAIN_NAME_GET answers), NUL-terminated. */
	char name[SCMI_SIM_RESET_NAME_MAX];
	/** Name in RESET_DOMAIN_ATTRIBUTES (at most 15 characters). */
	char short_name[SCMI_SIM_NAME_MAX];
	/** The attributes advertise an extended name (from version 3.0). */
	bool extended_name;
	uint32_t latency_us; /**< 0xFFFFFFFF: unknown */
	bool async;	     /**< async autonomous reset supported */
	bool notify;	     /**< RESET_ISSUED supported */
	bool explicit_reset; /**< explicit assert / de-assert supported */
	/** Implementation-defined reset states supported: bit n = state
	 *  0x80000000 | n.  The architectural cold reset (0) always is. */
	uint32_t impl_states;

	/* Platform state. */
	bool asserted;		 /**< held in reset (explicit assert) */
	uint32_t asserted_state; /**< reset state of that assert */
	uint32_t resets;	 /**< resets issued: autonomous + asserts */
	uint32_t deasserts;	 /**< explicit de-asserts accepted */
	uint32_t async_resets;	 /**< of the resets, those done asynchronously */
	uint32_t last_state;	 /**< reset state of the last reset */
	uint32_t last_agent;	 /**< agent of the last reset (0 = platform) */
	bool denied;		 /**< RESET answered DENIED (test knob) */
};

/**
 * Number of reset domains, or -EINVAL.
 *
 * @param sim the simulator.
 * @return the number of domains, or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_reset_num_domains(struct scmi_sim *sim);
/**
 * Copy domain @p domain.  0, -EINVAL (NULL), -ENOENT (no such domain, or
 * the model was removed).
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param[out] out receives a copy.
 * @return 0, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_reset_domain_get(struct scmi_sim *sim, uint32_t domain,
					  struct scmi_sim_reset_domain *out);
/**
 * Another agent (@p agent_id >= 1) or the platform itself (@p agent_id 0)
 * resets domain @p domain autonomously with
 * @p reset_state: counted like an agent's reset, and RESET_ISSUED is sent if
 * the agent enabled it for that domain.  Returns 1 if the notification was
 * sent, 0 if not enabled, -ENOENT for an unknown domain, -EINVAL.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param agent_id 0: the platform, else another agent (>= 1).
 * @param reset_state the reset state.
 * @return 1 if the notification was sent, 0 if not enabled, -ENOENT or
 *	-EINVAL.
 */
SCMI_EXPORT int scmi_sim_reset_issue(struct scmi_sim *sim, uint32_t domain, uint32_t agent_id,
				     uint32_t reset_state);
/**
 * Make RESET on @p domain answer DENIED (or stop doing so).  0, -ENOENT.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param denied answer DENIED (else stop doing so).
 * @return 0 or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_reset_denied_set(struct scmi_sim *sim, uint32_t domain, bool denied);

/** Ways the model can misbehave on purpose, to test agents' checks. */
enum scmi_sim_reset_misbehaviour {
	SCMI_SIM_RESET_BEHAVE = 0,	   /**< follow the spec */
	SCMI_SIM_RESET_DRESP_WRONG_DOMAIN, /**< async RESET: delayed response
					    *  names another domain */
	SCMI_SIM_RESET_DRESP_SHORT,	   /**< async RESET: delayed response
					    *  without its domain_id */
};
/**
 * Set how the model misbehaves (until set back to BEHAVE).  0, -EINVAL,
 * -ENOENT (model removed).
 *
 * @param sim the simulator.
 * @param how the misbehaviour.
 * @return 0, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_reset_misbehave(struct scmi_sim *sim,
					 enum scmi_sim_reset_misbehaviour how);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_RESET_H */

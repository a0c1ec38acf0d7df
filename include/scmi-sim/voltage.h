/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's voltage domain model (protocol 0x17;
 * see scmi-sim/sim.h).  Every function takes the simulator's lock and may be
 * called from any thread; none may be called from an emit/deliver callback.
 *
 * The default platform has SCMI_SIM_VOLTAGE_NUM_DOMAINS domains: level
 * lists (one longer than a 128-byte message holds, one in descending
 * order, one with a single level, one entirely negative) and segments (one
 * positive, one negative), async LEVEL_SET on some, names longer than 15
 * characters (extended names from 2.0), implementation-defined modes on
 * some, one domain off.
 */
#ifndef SCMI_SIM_VOLTAGE_H
#define SCMI_SIM_VOLTAGE_H

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of domains of the default platform. */
#define SCMI_SIM_VOLTAGE_NUM_DOMAINS 6
/** Size of the name buffers below (64-byte extended name, §5). */
#define SCMI_SIM_VOLTAGE_NAME_MAX 64
/** Longest level list a domain may have. */
#define SCMI_SIM_VOLTAGE_MAX_LEVELS 256

/** One voltage domain as the platform models it. */
struct scmi_sim_voltage_domain {
	/** Full name (what VOLTAGE_DOMAIN_NAME_GET answers), NUL-terminated. */
	char name[SCMI_SIM_VOLTAGE_NAME_MAX];
	/** Name in VOLTAGE_DOMAIN_ATTRIBUTES (at most 15 characters). */
	char short_name[SCMI_SIM_NAME_MAX];
	/** The attributes advertise an extended name (from version 2.0). */
	bool extended_name;
	/** Async LEVEL_SET supported (advertised from version 2.0). */
	bool async;
	/** levels[] is a segment {low, high, step} rather than a list. */
	bool segmented;
	unsigned int num_levels; /**< entries used in levels[] (3 if segmented) */
	int32_t levels[SCMI_SIM_VOLTAGE_MAX_LEVELS]; /**< levels, µV */
	/** Implementation-defined modes supported: bit n = mode 0x8 | n. */
	uint8_t impl_modes;

	/* Platform state. */
	uint32_t config;	   /**< config word (mode in b[3:0]) */
	int32_t level_uv;	   /**< current level */
	uint32_t level_sets;	   /**< LEVEL_SETs accepted */
	uint32_t async_level_sets; /**< of those, asynchronous ones */
	uint32_t config_sets;	   /**< CONFIG_SETs accepted */
	uint32_t last_agent;	   /**< agent of the last accepted set (0: none/platform) */
	bool denied;		   /**< set commands answered DENIED (test knob) */
};

/**
 * Number of voltage domains, or -EINVAL.
 *
 * @param sim the simulator.
 * @return the number of domains, or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_voltage_num_domains(struct scmi_sim *sim);
/**
 * Copy domain @p domain.  0, -EINVAL (NULL), -ENOENT (no such domain, or
 * the model was removed).
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param[out] out receives a copy.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_voltage_domain_get(struct scmi_sim *sim, uint32_t domain,
					    struct scmi_sim_voltage_domain *out);
/**
 * The platform itself changes the level of @p domain (any value: it is the
 * platform).  0, -ENOENT, -EINVAL.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param level_uv the new level, µV.
 * @return 0, -ENOENT or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_voltage_level_set(struct scmi_sim *sim, uint32_t domain, int32_t level_uv);
/**
 * The platform itself changes the configuration of @p domain.  0, -ENOENT,
 * -EINVAL.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param config the new config word.
 * @return 0, -ENOENT or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_voltage_config_set(struct scmi_sim *sim, uint32_t domain, uint32_t config);
/**
 * Replace the level description of @p domain: a list of @p n levels (1 to
 * SCMI_SIM_VOLTAGE_MAX_LEVELS), or with @p segmented the triplet {low, high,
 * step} (@p n must be 3).  The triplet is not checked, so that tests can
 * describe a malformed segment.  Takes effect for the next
 * VOLTAGE_DESCRIBE_LEVELS (an agent reads them once, at bring-up).
 * 0, -ENOENT, -EINVAL.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param segmented @p levels is a {low, high, step} segment.
 * @param levels the levels, µV; copied.
 * @param n their number.
 * @return 0, -ENOENT or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_voltage_levels_set(struct scmi_sim *sim, uint32_t domain, bool segmented,
					    const int32_t *levels, unsigned int n);
/**
 * Make CONFIG_SET and LEVEL_SET on @p domain answer DENIED (or stop doing
 * so).  0, -ENOENT, -EINVAL.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param denied answer DENIED (else stop doing so).
 * @return 0, -ENOENT or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_voltage_denied_set(struct scmi_sim *sim, uint32_t domain, bool denied);

/** Ways the model can misbehave on purpose, to test agents' checks. */
enum scmi_sim_voltage_misbehaviour {
	SCMI_SIM_VOLTAGE_BEHAVE = 0,	     /**< follow the spec */
	SCMI_SIM_VOLTAGE_DRESP_WRONG_DOMAIN, /**< async LEVEL_SET: the delayed
					      *  response names another domain */
	SCMI_SIM_VOLTAGE_DRESP_WRONG_LEVEL,  /**< ... another level */
	SCMI_SIM_VOLTAGE_DRESP_SHORT,	     /**< ... carries no level */
	SCMI_SIM_VOLTAGE_SEGMENT_BAD_COUNT,  /**< a segment is sent as 2
					      *  returned + 1 remaining */
	SCMI_SIM_VOLTAGE_LIST_FORMAT_CHANGE, /**< list replies after the first
					      *  claim to be segments */
	SCMI_SIM_VOLTAGE_LIST_COUNT_GROWS,   /**< list replies after the first
					      *  announce one more remaining */
};
/**
 * Set how the model misbehaves (until set back to BEHAVE).  0, -EINVAL,
 * -ENOENT (model removed).
 *
 * @param sim the simulator.
 * @param how the misbehaviour.
 * @return 0, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_voltage_misbehave(struct scmi_sim *sim,
					   enum scmi_sim_voltage_misbehaviour how);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_VOLTAGE_H */

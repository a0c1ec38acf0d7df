/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's powercap model (see scmi-sim/sim.h).
 *
 * The model (protocol 0x18, versions 1.0 and 2.0) has SCMI_SIM_POWERCAP_
 * DEFAULT_DOMAINS domains by default, a tree of two roots:
 *
 * @verbatim
 *   0 "soc"                           root; mW; every feature; fastchannels
 *                                     with 32-bit doorbells
 *   1 "big-cluster-powercap"          child of 0; µW; async, no PAI
 *                                     configuration; fastchannels with 8-bit
 *                                     doorbells (preserve mask set)
 *   2 "little-cluster-powercap-domain" child of 0; µW; synchronous CAP_SET;
 *                                     no measurement notifications;
 *                                     fastchannels without doorbells
 *   3 "gpu"                           child of 0; mW; async; no
 *                                     notifications at all; no fastchannels
 *   4 "dram"                          root; abstract unit; nothing
 *                                     configurable; measurement notifications
 *                                     only
 *   5 "gpu-shader-cores"              child of 3; mW; async; no monitoring
   @endverbatim
 *
 * Names longer than 15 characters go through POWERCAP_DOMAIN_NAME_GET.
 * Domain d (< 8, the Base model's devices) is Base device d for the
 * permission model: CAP_SET and PAI_SET are DENIED (and fastchannel writes
 * dropped) once the agent lost access to device d or to protocol 0x18 on
 * it.
 *
 * Measurement notifications (unverified crossing rule): the model sends
 * POWERCAP_MEASUREMENTS_CHANGED when a new measurement falls in a different
 * zone than the previous one, the zones being below power_thresh_low,
 * between the thresholds, and above power_thresh_high.
 */
#ifndef SCMI_SIM_POWERCAP_H
#define SCMI_SIM_POWERCAP_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of domains of the default platform. */
#define SCMI_SIM_POWERCAP_DEFAULT_DOMAINS 6
/** Most domains the model can have. */
#define SCMI_SIM_POWERCAP_MAX_DOMAINS 16
/** Size of the name buffers (63 characters and the NUL). */
#define SCMI_SIM_POWERCAP_NAME_MAX 64
/** parent_id of a root domain. */
#define SCMI_SIM_POWERCAP_ROOT 0xFFFFFFFFu

/** One domain: its description (what DOMAIN_ATTRIBUTES says) and state. */
struct scmi_sim_powercap_domain {
	/* ---- description ---- */
	char name[SCMI_SIM_POWERCAP_NAME_MAX]; /**< NUL-terminated, <= 63 chars */
	bool notify_cap;		       /**< b31 */
	bool notify_meas;		       /**< b30 */
	bool async;			       /**< b29 */
	bool cap_config;		       /**< b27 */
	bool monitoring;		       /**< b26 */
	bool pai_config;		       /**< b25 */
	unsigned int unit; /**< b[24:23]: 2 mW, 1 µW, 0 abstract (3 reserved) */
	bool fastchannels; /**< b22 */
	/** Fastchannel doorbell width in bits (8, 16, 32, 64), 0 = no doorbell. */
	unsigned int fc_db_width;
	uint32_t min_pai;	    /**< smallest PAI, µs */
	uint32_t max_pai;	    /**< largest PAI, µs */
	uint32_t pai_step;	    /**< PAI granularity, µs */
	uint32_t min_cap;	    /**< smallest cap, in the unit */
	uint32_t max_cap;	    /**< largest cap, in the unit */
	uint32_t cap_step;	    /**< cap granularity, in the unit */
	uint32_t sustainable_power; /**< in the unit */
	uint32_t accuracy;	    /**< measurement accuracy, 0.001 % */
	uint32_t parent_id;	    /**< SCMI_SIM_POWERCAP_ROOT for a root */
	/* ---- state ---- */
	uint32_t cap;	      /**< current cap (2.0: 0 = capping disabled) */
	uint32_t pai;	      /**< current PAI */
	uint32_t power;	      /**< last measurement */
	uint32_t thresh_low;  /**< from the last MEASUREMENTS_NOTIFY enable */
	uint32_t thresh_high; /**< from the last MEASUREMENTS_NOTIFY enable */
	/* ---- counters (read-only) ---- */
	uint64_t fc_cap_sets;	 /**< caps applied from the CAP_SET fastchannel */
	uint64_t fc_pai_sets;	 /**< PAIs applied from the PAI_SET fastchannel */
	uint64_t fc_rejected;	 /**< fastchannel writes refused (invalid value) */
	uint64_t msg_cap_sets;	 /**< CAP_SET messages accepted */
	uint64_t async_cap_sets; /**< ... of which async with a delayed response */
	uint64_t ignored_dresps; /**< ... of which async without (ignore flag) */
};

/* Every function below takes the simulator's lock; callable from any thread
 * but the emit callback. */

/**
 * Number of domains the model has, or -EINVAL / -ENOENT.
 *
 * @param sim the simulator.
 * @return the number of domains, or -EINVAL / -ENOENT.
 */
SCMI_EXPORT int scmi_sim_powercap_num_domains(struct scmi_sim *sim);

/**
 * Copy domain @p domain (description, state and counters).  -ENOENT when
 * there is no such domain, -EINVAL for NULL arguments.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param[out] out receives a copy.
 * @return 0 on success, or a negative errno: -EINVAL (NULL argument, bad
 *	value), -ENOENT (no such domain, or no powercap model).
 */
SCMI_EXPORT int scmi_sim_powercap_domain_get(struct scmi_sim *sim, uint32_t domain,
					     struct scmi_sim_powercap_domain *out);

/**
 * Replace domain @p domain's description and state with *@p d (counters are
 * not copied).  The model takes it as given -- inconsistent descriptions
 * (zero ranges, cycles in the parents...) are allowed, to test agents --
 * except what it needs itself: a name of at most 63 characters, a unit of
 * at most 3, a doorbell width of 0, 8, 16, 32 or 64 (-EINVAL).  Meant to
 * run before the agent brings the protocol up.  -ENOENT for no domain.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param d the new description and state; copied.
 * @return 0 on success, or a negative errno: -EINVAL (NULL argument, bad
 *	value), -ENOENT (no such domain, or no powercap model).
 */
SCMI_EXPORT int scmi_sim_powercap_domain_set(struct scmi_sim *sim, uint32_t domain,
					     const struct scmi_sim_powercap_domain *d);

/**
 * Set the number of domains (0..SCMI_SIM_POWERCAP_MAX_DOMAINS); new
 * domains are copies of the last existing one's description and state
 * (of the default domain 0 when there was none), as roots.  -EINVAL.
 *
 * @param sim the simulator.
 * @param n the number of domains.
 * @return 0 on success, or a negative errno: -EINVAL (NULL argument, bad
 *	value), -ENOENT (no such domain, or no powercap model).
 */
SCMI_EXPORT int scmi_sim_powercap_num_domains_set(struct scmi_sim *sim, unsigned int n);

/** How the model offers fastchannels. */
enum scmi_sim_powercap_fc_mode {
	SCMI_SIM_POWERCAP_FC_ON = 0,	 /**< in shared memory (default) */
	SCMI_SIM_POWERCAP_FC_UNMAPPABLE, /**< described at addresses outside
					  *  shared memory: agents cannot map them */
	SCMI_SIM_POWERCAP_FC_OFF,	 /**< PROTOCOL_MESSAGE_ATTRIBUTES b0 = 0 and
					  *  DESCRIBE_FASTCHANNEL NOT_SUPPORTED */
};

/**
 * Choose how fastchannels are offered from now on; windows already
 * described stay valid.  Set it before the agent brings the protocol up.
 * 0, -EINVAL, -ENOENT (no powercap model).
 *
 * @param sim the simulator.
 * @param mode the mode.
 * @return 0 on success, or a negative errno: -EINVAL (NULL argument, bad
 *	value), -ENOENT (no such domain, or no powercap model).
 */
SCMI_EXPORT int scmi_sim_powercap_fc_mode_set(struct scmi_sim *sim,
					      enum scmi_sim_powercap_fc_mode mode);

/** How the model corrupts CAP_SET delayed responses (a misbehaving
 *  platform, to test agents); the command itself still takes effect. */
enum scmi_sim_powercap_dresp_fault {
	SCMI_SIM_POWERCAP_DRESP_OK = 0,	      /**< domain_id, power_cap as requested */
	SCMI_SIM_POWERCAP_DRESP_WRONG_DOMAIN, /**< another domain id */
	SCMI_SIM_POWERCAP_DRESP_WRONG_CAP,    /**< another cap */
	SCMI_SIM_POWERCAP_DRESP_SHORT,	      /**< domain_id only (4 bytes) */
};

/**
 * Corrupt (or stop corrupting) the following CAP_SET delayed responses.
 * 0, -EINVAL, -ENOENT.
 *
 * @param sim the simulator.
 * @param fault the corruption (SCMI_SIM_POWERCAP_DRESP_OK: none).
 * @return 0 on success, or a negative errno: -EINVAL (NULL argument, bad
 *	value), -ENOENT (no such domain, or no powercap model).
 */
SCMI_EXPORT int scmi_sim_powercap_dresp_fault_set(struct scmi_sim *sim,
						  enum scmi_sim_powercap_dresp_fault fault);

/**
 * Delay of CAP_SET delayed responses in µs (default 2000).  0, -EINVAL,
 * -ENOENT.
 *
 * @param sim the simulator.
 * @param delay_us the delay, µs.
 * @return 0 on success, or a negative errno: -EINVAL (NULL argument, bad
 *	value), -ENOENT (no such domain, or no powercap model).
 */
SCMI_EXPORT int scmi_sim_powercap_async_delay_set(struct scmi_sim *sim, uint64_t delay_us);

/**
 * Platform-initiated cap change of @p domain (agent_id 0 in the notification):
 * sends POWERCAP_CAP_CHANGED if enabled and the cap differs from the
 * current one (the model notifies changes only, whoever makes them).  The
 * value is not checked against the range (a platform may impose anything).
 * Returns 1 if a notification went out, 0 if not, or -ENOENT / -EINVAL.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param cap the new cap.
 * @return 1 if a notification went out, 0 if not, or -ENOENT / -EINVAL.
 */
SCMI_EXPORT int scmi_sim_powercap_cap_set(struct scmi_sim *sim, uint32_t domain, uint32_t cap);
/**
 * Platform-initiated PAI change; as scmi_sim_powercap_cap_set().
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param pai the new PAI, µs.
 * @return 1 if a notification went out, 0 if not, or -ENOENT / -EINVAL.
 */
SCMI_EXPORT int scmi_sim_powercap_pai_set(struct scmi_sim *sim, uint32_t domain, uint32_t pai);
/**
 * A new power measurement of @p domain; sends POWERCAP_MEASUREMENTS_CHANGED
 * (agent_id 0) if enabled and the measurement crossed a threshold (see the
 * top of this header).  Returns 1 if sent, 0 if not, -ENOENT / -EINVAL.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param power the new measurement.
 * @return 1 if sent, 0 if not, -ENOENT / -EINVAL.
 */
SCMI_EXPORT int scmi_sim_powercap_power_set(struct scmi_sim *sim, uint32_t domain, uint32_t power);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_POWERCAP_H */

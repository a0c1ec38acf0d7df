/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's Performance domain model (protocol
 * 0x13, see scmi-sim/sim.h).
 *
 * The default platform has six domains:
 *
 * @verbatim
 *   0 "cpu-little"                  8 levels, level and limits settable, both
 *                                   notifications, fastchannels whose two
 *                                   "set" channels share one 8-bit doorbell
 *   1 "cpu-big-cluster-performance" 20 levels (longer than one message), name
 *                                   through PERFORMANCE_DOMAIN_NAME_GET (v3+),
 *                                   fastchannels with a 32-bit (level) and a
 *                                   64-bit (limits) doorbell
 *   2 "gpu"                         12 levels in kHz units (no sustained values:
 *                                   default frequency factor), limits
 *                                   notifications only, fastchannels without
 *                                   doorbells (the platform polls them)
 *   3 "dsp"                         5 levels, level settable only, no
 *                                   notifications, no fastchannels
 *   4 "memory-interconnect-bus"     6 levels, level-indexing mode (v4),
 *                                   16-bit doorbells, indicative frequencies
 *                                   that differ from level x factor
 *   5 "npu"                         4 levels, read-only for the agent (the
 *                                   platform changes it), both notifications,
 *                                   no fastchannels
   @endverbatim
 *
 * Power costs are kept in microwatts; the platform reports them in µW from
 * version 3.0 and in mW before (a 2.0 platform has no µW flag).
 *
 * Values set or read here are performance levels (never level indices, even
 * for level-indexing domains).  Every function takes the simulator lock; it
 * may be called from any thread except the emit/deliver callbacks.
 */
#ifndef SCMI_SIM_PERF_H
#define SCMI_SIM_PERF_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest domain name the model keeps (extended names, 63 chars + NUL). */
#define SCMI_SIM_PERF_NAME_MAX 64

/** Unit of the power costs the platform reports (PROTOCOL_ATTRIBUTES). */
enum scmi_sim_perf_power_unit {
	SCMI_SIM_PERF_POWER_ABSTRACT = 0, /**< neither b16 nor b17 */
	SCMI_SIM_PERF_POWER_MW = 1,	  /**< b16 */
	SCMI_SIM_PERF_POWER_UW = 2,	  /**< b17, version 3.0 and later */
};

/** One performance level as the platform describes it. */
struct scmi_sim_perf_level {
	uint32_t perf;		 /**< performance level value */
	uint32_t power_cost;	 /**< in the unit reported at the version in use */
	uint32_t latency_us;	 /**< worst-case transition latency */
	uint32_t indicative_khz; /**< indicative frequency (sent from v4.0) */
	uint32_t level_index;	 /**< index in the platform's table (v4.0) */
};

/** A domain as the platform presents it at the version in use: flags a
 *  version does not have read false there (e.g. level_indexing before 4.0,
 *  extended_name before 3.0, fastchannels before 2.0). */
struct scmi_sim_perf_domain {
	char name[SCMI_SIM_PERF_NAME_MAX]; /**< full name when extended_name, else the
					    *  short name (at most 15 chars) */
	bool can_set_limits;		   /**< the agent may set limits */
	bool can_set_level;		   /**< the agent may set the level */
	bool limits_notify;		   /**< limits-changed events supported */
	bool level_notify;		   /**< level-changed events supported */
	bool fastchannels;		   /**< fastchannels advertised */
	bool extended_name;		   /**< name longer than 15 characters (3.0) */
	bool level_indexing;		   /**< level-indexing mode (4.0) */
	uint32_t rate_limit_us;		   /**< minimum interval between level sets */
	uint32_t sustained_freq_khz;	   /**< sustained frequency, kHz */
	uint32_t sustained_perf_level;	   /**< level at that frequency */
	unsigned int num_levels;	   /**< levels in the table */
	uint32_t level;			   /**< current performance level */
	uint32_t range_max;		   /**< current upper limit (performance level) */
	uint32_t range_min;		   /**< current lower limit (performance level) */
};

/**
 * Number of domains of the model.
 *
 * @param sim the simulator.
 * @return the number of domains, or -EINVAL / -ENOENT.
 */
SCMI_EXPORT int scmi_sim_perf_num_domains(struct scmi_sim *sim);
/**
 * Power unit the model reports at the version in use (see above).
 *
 * @param sim the simulator.
 * @param[out] unit the unit.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_power_unit_get(struct scmi_sim *sim,
					     enum scmi_sim_perf_power_unit *unit);
/**
 * Change the power unit before the agent discovers the protocol. µW is
 * reported as mW (costs / 1000) by platforms older than 3.0.
 *
 * @param sim the simulator.
 * @param unit the new unit.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_power_unit_set(struct scmi_sim *sim,
					     enum scmi_sim_perf_power_unit unit);
/**
 * Domain @p domain as presented at the version in use.  -ENOENT, -EINVAL.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param[out] out receives a copy.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_domain_get(struct scmi_sim *sim, uint32_t domain,
					 struct scmi_sim_perf_domain *out);
/**
 * Level @p idx (0 = lowest) of @p domain's table.  -ENOENT past the end.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param idx index in the table (0 = lowest).
 * @param[out] out receives the level.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_level_entry(struct scmi_sim *sim, uint32_t domain, unsigned int idx,
					  struct scmi_sim_perf_level *out);
/**
 * Platform-initiated level change (agent_id 0 in the event): @p level must be
 * in the table (-EINVAL) and within the current limits (-ERANGE).  Sends
 * PERFORMANCE_LEVEL_CHANGED if the agent enabled it and the level changed.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param level the new performance level.
 * @return 0, or a negative errno (-EINVAL, -ERANGE, -ENOENT).
 */
SCMI_EXPORT int scmi_sim_perf_level_set(struct scmi_sim *sim, uint32_t domain, uint32_t level);
/**
 * Platform-initiated limits change (e.g. thermal capping; agent_id 0):
 * @p min <= @p max within the table's range, with at least one level between
 * (-EINVAL otherwise).  Sends PERFORMANCE_LIMITS_CHANGED, and when the
 * current level falls outside, moves it to the nearest level inside and
 * sends PERFORMANCE_LEVEL_CHANGED (each only while enabled).
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param max upper limit (performance level).
 * @param min lower limit (performance level).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_limits_set(struct scmi_sim *sim, uint32_t domain, uint32_t max,
					 uint32_t min);
/**
 * Offer fastchannels at all (default true).  When false, no domain
 * advertises them, PROTOCOL_MESSAGE_ATTRIBUTES b0 is clear and
 * DESCRIBE_FASTCHANNEL answers NOT_SUPPORTED.  Set before discovery.
 *
 * @param sim the simulator.
 * @param enable offer fastchannels.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_fastchannels_enable(struct scmi_sim *sim, bool enable);

/** Ways to corrupt the fastchannel description of one (domain, message). */
enum scmi_sim_perf_fc_fault {
	SCMI_SIM_PERF_FC_OK = 0,      /**< describe it correctly */
	SCMI_SIM_PERF_FC_BAD_SIZE,    /**< chan_size 4 bytes larger than the channel */
	SCMI_SIM_PERF_FC_BAD_DB_MASK, /**< doorbell set mask wider than the register */
	SCMI_SIM_PERF_FC_UNMAPPED,    /**< channel address outside shared memory */
	SCMI_SIM_PERF_FC_MISALIGNED,  /**< channel address 2 bytes past the channel
				       *  (mappable, but not 32-bit aligned) */
};

/**
 * Corrupt what DESCRIBE_FASTCHANNEL says for (@p domain, @p msg_id) (0x5..0x8);
 * the channel itself keeps working.  -ENOENT: no such channel.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param msg_id the message (0x5..0x8).
 * @param fault the corruption.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_fc_fault_set(struct scmi_sim *sim, uint32_t domain, uint8_t msg_id,
					   enum scmi_sim_perf_fc_fault fault);

/** A fastchannel as the model offers it. */
struct scmi_sim_perf_fc_info {
	uint64_t chan_addr;	   /**< platform physical address of the channel */
	uint32_t chan_size;	   /**< its size in bytes */
	uint32_t rate_limit_us;	   /**< rate limit advertised */
	unsigned int db_width;	   /**< 0: no doorbell */
	uint64_t db_addr;	   /**< doorbell register address */
	uint64_t db_set_mask;	   /**< doorbell bits to set */
	uint64_t db_preserve_mask; /**< doorbell bits to preserve */
};

/**
 * The fastchannel of (@p domain, @p msg_id).  -ENOENT when the domain has
 * none for that message.
 *
 * @param sim the simulator.
 * @param domain the domain id.
 * @param msg_id the message (0x5..0x8).
 * @param[out] out receives the description.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_fc_info_get(struct scmi_sim *sim, uint32_t domain, uint8_t msg_id,
					  struct scmi_sim_perf_fc_info *out);

/** What the model saw on its fastchannels (since creation). */
struct scmi_sim_perf_stats {
	uint64_t fc_level_sets;	     /**< level writes applied */
	uint64_t fc_limits_sets;     /**< limits writes applied */
	uint64_t fc_rejected;	     /**< writes with an invalid value, ignored */
	uint64_t doorbell_rings;     /**< doorbells found rung */
	uint64_t doorbell_clobbered; /**< rings that lost the register's
				      *  preserved bits (bad preserve mask use) */
};

/**
 * Copy the fastchannel counters of the model.
 *
 * @param sim the simulator.
 * @param[out] st receives the counters.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_stats_get(struct scmi_sim *sim, struct scmi_sim_perf_stats *st);

/**
 * Statistics shared-memory region PROTOCOL_ATTRIBUTES advertises (+8
 * address lo, +12 hi, +16 length; default none: all 0; contents are not
 * modelled).  Either pointer may be NULL.  0, -EINVAL, -ENOENT.
 *
 * @param sim the simulator.
 * @param[out] addr its address (may be NULL).
 * @param[out] len its length (may be NULL).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_stats_region_get(struct scmi_sim *sim, uint64_t *addr, uint32_t *len);
/**
 * Advertise another statistics region (@p len 0: none).
 *
 * @param sim the simulator.
 * @param addr its address.
 * @param len its length (0: none).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_perf_stats_region_set(struct scmi_sim *sim, uint64_t addr, uint32_t len);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_PERF_H */

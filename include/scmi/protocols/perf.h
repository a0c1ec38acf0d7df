/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Performance domain management (protocol 0x13): DVFS of CPU clusters,
 * GPUs, buses... through performance levels and limits.
 *
 * @code
 *	const struct scmi_perf_domain_info *d;
 *	if (h->perf_ops && !h->perf_ops->info_get(h, 0, &d) && d->usable)
 *		h->perf_ops->level_set(h, 0, d->levels[d->num_levels - 1].perf);
 * @endcode
 *
 * Reachable as handle->perf_ops (NULL when the platform lacks the
 * protocol).  The protocol is discovered on first use: its attributes,
 * every domain's attributes, extended name and full level table, and its
 * fastchannels; all of it is cached and immutable until scmi_close().  A
 * level table may end before the size its first reply announced (an empty
 * reply, or an index the platform says is past the end): the levels listed
 * are the domain's, with a warning.  A domain the platform describes badly
 * is disabled (scmi_perf_domain_info.usable), the others are not affected.
 *
 * Levels: the API always speaks performance level *values* (the "perf"
 * field of struct scmi_perf_level).  On a domain in level-indexing mode
 * (Perf 4.0, @p level_indexing) the wire carries level indices instead;
 * libscmi translates both ways through the level table, so such a domain
 * accepts only levels of its table.
 *
 * Frequencies follow the Linux mapping: without level indexing, freq_hz =
 * level x mult_factor_hz, where mult_factor_hz = sustained_freq_khz x 1000
 * / sustained_perf_level (1000 when either is 0); with level indexing,
 * freq_hz = the level's indicative frequency (kHz) x 1000.  A product that
 * does not fit 64 bits (absurd platform values) saturates at UINT64_MAX.
 *
 * Fastchannels: when the platform offers them and the transport can map
 * them, level and limits get/set go through them (no message, no status:
 * the platform silently ignores a write it would refuse); otherwise
 * through messages.  struct scmi_perf_domain_info says which.
 *
 * Thread-safety: every op may be called from any thread, including from
 * notification callbacks.  Returned pointers point into the cache and stay
 * valid until scmi_close(); never free them.
 *
 * Non-blocking: every op also runs wrapped in SCMI_ASYNC()
 * (scmi/request.h).  A call refused locally (-EINVAL, -EOPNOTSUPP,
 * -EPROTO for a disabled domain: nothing sent) is refused by SCMI_ASYNC()
 * itself and no callback runs; otherwise the callback runs once with what
 * the blocking op returns.  Ops answered without the platform complete
 * right away, through the callback all the same: protocol_info_get(),
 * count_get(), info_get(), est_power_get(), level_to_freq(), and level and
 * limits get/set through a fastchannel (a set completes once written, the
 * platform applies it shortly after).  Through messages, the outputs
 * (@c level, @c max_perf, @c min_perf, @c freq_hz) are written before the
 * callback runs: they must stay valid until then.  scmi_last_status() is
 * not meaningful after a non-blocking call.
 */
#ifndef SCMI_PROTOCOLS_PERF_H
#define SCMI_PROTOCOLS_PERF_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/notify.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most levels libscmi accepts in one domain's table: a domain listing
 *  more is disabled (scmi_perf_domain_info.usable). */
#define SCMI_PERF_MAX_LEVELS 1024

/** Unit of the power costs in level tables (PROTOCOL_ATTRIBUTES). */
enum scmi_perf_power_unit {
	SCMI_PERF_POWER_ABSTRACT = 0, /**< platform-defined scale */
	SCMI_PERF_POWER_MW = 1,	      /**< milliwatts */
	SCMI_PERF_POWER_UW = 2,	      /**< microwatts (Perf 3.0 and later) */
};

/** Protocol-wide information. */
struct scmi_perf_info {
	uint32_t version;		      /**< version in use (negotiated) */
	uint32_t platform_version;	      /**< what the platform reports */
	unsigned int num_domains;	      /**< performance domains */
	enum scmi_perf_power_unit power_unit; /**< unit of the power costs */
	uint64_t stats_addr;		      /**< statistics shared memory (0: none) */
	uint32_t stats_len;		      /**< its length in bytes */
};

/** One entry of a domain's level table. */
struct scmi_perf_level {
	uint32_t perf;		 /**< performance level value */
	uint32_t power_cost;	 /**< in the protocol's power_unit */
	uint32_t latency_us;	 /**< worst-case transition latency */
	uint32_t indicative_khz; /**< indicative frequency (Perf 4.0; else 0) */
	uint32_t level_index;	 /**< the platform's index (Perf 4.0; else the
				  *  entry's position in the platform's table) */
	uint64_t freq_hz;	 /**< frequency by the mapping above */
};

/** How one kind of request reaches the platform. */
struct scmi_perf_fc_info {
	bool mapped;		/**< true: through a fastchannel, false: messages */
	unsigned int db_width;	/**< doorbell width in bits; 0: no doorbell */
	uint32_t rate_limit_us; /**< platform's minimum interval between writes
				 *  (information only) */
};

/** What discovery found about one domain. */
struct scmi_perf_domain_info {
	uint32_t id; /**< domain id (0..num_domains-1) */
	/**
	 * false: the platform described this domain badly (attributes
	 * refused or malformed; a level table malformed, empty, or listing
	 * a level or level index twice; the log says why) and libscmi
	 * disabled it: num_levels is 0, every op on it but info_get()
	 * returns -EPROTO without sending, its events cannot be enabled and
	 * are dropped.  The other domains are not affected.
	 */
	bool usable;
	char name[SCMI_MAX_STR_SIZE];  /**< extended name when the platform has one */
	bool can_set_limits;	       /**< b31: the agent may set limits */
	bool can_set_level;	       /**< b30: the agent may set the level */
	bool limits_notify;	       /**< limits-changed events available */
	bool level_notify;	       /**< level-changed events available */
	bool fastchannels;	       /**< b27: the platform offers fastchannels */
	bool level_indexing;	       /**< b25 (Perf 4.0): indices on the wire */
	uint32_t rate_limit_us;	       /**< minimum interval between LEVEL_SETs */
	uint32_t sustained_freq_khz;   /**< sustained frequency, kHz */
	uint32_t sustained_perf_level; /**< level value at that frequency */
	uint64_t mult_factor_hz;       /**< Hz per level unit (non-indexing mapping) */
	uint32_t max_latency_us;       /**< largest transition latency of the table */
	unsigned int num_levels;       /**< entries at @p levels */
	/** Ascending by perf; num_levels entries (at least one when
	 *  usable). */
	const struct scmi_perf_level *levels;
	/** Fastchannel use, indexed by enum scmi_perf_fc. */
	struct scmi_perf_fc_info fc[4];
};

/** Index into scmi_perf_domain_info.fc. */
enum scmi_perf_fc {
	SCMI_PERF_FC_LEVEL_SET = 0,  /**< level_set() */
	SCMI_PERF_FC_LEVEL_GET = 1,  /**< level_get() */
	SCMI_PERF_FC_LIMITS_SET = 2, /**< limits_set() */
	SCMI_PERF_FC_LIMITS_GET = 3, /**< limits_get() */
};

/**
 * Performance protocol operations, reachable as handle->perf_ops (NULL
 * when the platform lacks the protocol).  Every op may be called from any
 * thread (see the file's description), blocks until the platform answered
 * when it sends a message, and returns 0 or a negative errno; the first
 * call brings the protocol up and returns the bring-up's error if that
 * fails.  Pointers returned point into the handle's cache.
 */
struct scmi_perf_ops {
	/**
	 * Protocol-wide information into *@p info (cached).  0, -EINVAL (NULL
	 * argument), or the error of the protocol's bring-up.
	 *
	 * @param h the handle.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*protocol_info_get)(const struct scmi_handle *h, const struct scmi_perf_info **info);
	/**
	 * Number of performance domains, or a negative errno.
	 *
	 * @param h the handle.
	 * @return the number of domains, or a negative errno.
	 */
	int (*count_get)(const struct scmi_handle *h);
	/**
	 * Everything discovery found about @p domain into *@p info (cached),
	 * also for a disabled domain (check ->usable).  -EINVAL for a domain
	 * the platform did not report.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*info_get)(const struct scmi_handle *h, uint32_t domain,
			       const struct scmi_perf_domain_info **info);
	/**
	 * Set @p domain's limits to [@p min_perf, @p max_perf] (level values).
	 * Refused locally (-EINVAL, nothing sent): unknown domain, min above
	 * max, a value outside the table's range, both zero (Perf 3.0+), on
	 * a level-indexing domain a value not in the table; -EOPNOTSUPP when
	 * the domain does not let the agent set limits.  Platform errors:
	 * -EACCES (DENIED), -ERANGE (OUT_OF_RANGE)...; scmi_last_status()
	 * has the raw status.  Through the fastchannel it returns 0 once
	 * written (the platform applies it shortly after).
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param max_perf upper limit (level value).
	 * @param min_perf lower limit (level value).
	 * @return 0 or a negative errno (above).
	 */
	int (*limits_set)(const struct scmi_handle *h, uint32_t domain, uint32_t max_perf,
			  uint32_t min_perf);
	/**
	 * Current limits of @p domain (level values).  -EINVAL, -EPROTO when a
	 * level-indexing platform reports an index not in the table.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] max_perf upper limit (level value).
	 * @param[out] min_perf lower limit (level value).
	 * @return 0 or a negative errno (above).
	 */
	int (*limits_get)(const struct scmi_handle *h, uint32_t domain, uint32_t *max_perf,
			  uint32_t *min_perf);
	/**
	 * Request performance level @p level of @p domain.  -EINVAL (nothing
	 * sent) for an unknown domain, a level outside the table's range or,
	 * on a level-indexing domain, not in the table; -EOPNOTSUPP when the
	 * agent may not set the level.  Platform: -ERANGE for a level it
	 * does not have or outside the current limits, -EACCES...
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param level the level value.
	 * @return 0 or a negative errno (above).
	 */
	int (*level_set)(const struct scmi_handle *h, uint32_t domain, uint32_t level);
	/**
	 * Current level of @p domain.  -EINVAL, -EPROTO as limits_get.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] level the level value.
	 * @return 0 or a negative errno (above).
	 */
	int (*level_get)(const struct scmi_handle *h, uint32_t domain, uint32_t *level);
	/**
	 * Set @p domain to the lowest level whose frequency is at least
	 * @p freq_hz (level_set() of that level).  -EINVAL when @p freq_hz is
	 * above the highest level's frequency; otherwise as level_set().
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param freq_hz the frequency, Hz.
	 * @return 0 or a negative errno (above).
	 */
	int (*freq_set)(const struct scmi_handle *h, uint32_t domain, uint64_t freq_hz);
	/**
	 * Frequency of @p domain's current level, by the mapping above.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] freq_hz the frequency, Hz.
	 * @return 0 or a negative errno (above).
	 */
	int (*freq_get)(const struct scmi_handle *h, uint32_t domain, uint64_t *freq_hz);
	/**
	 * Energy-model helper: for the lowest level with a frequency of at
	 * least *@p freq_hz, set *@p freq_hz to its frequency and *@p power to its
	 * power cost.  -EINVAL when no level is that fast.  No message.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[in,out] freq_hz the frequency asked for; on return, the
	 *	level's.
	 * @param[out] power the level's power cost.
	 * @return 0 or a negative errno (above).
	 */
	int (*est_power_get)(const struct scmi_handle *h, uint32_t domain, uint64_t *freq_hz,
			     uint32_t *power);
	/**
	 * Frequency of level value @p level of @p domain, by the mapping above
	 * (on a level-indexing domain only levels of the table: else
	 * -EINVAL).  No message.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param level the level value.
	 * @param[out] freq_hz its frequency, Hz.
	 * @return 0 or a negative errno (above).
	 */
	int (*level_to_freq)(const struct scmi_handle *h, uint32_t domain, uint32_t level,
			     uint64_t *freq_hz);
};

/* ---- notifications ---------------------------------------------------- */

/** Perf event ids (spec §6.4); the source id is the domain id. */
enum scmi_perf_events {
	/** A domain's limits changed (enabled by NOTIFY_LIMITS); delivers
	 *  struct scmi_perf_limits_report. */
	SCMI_EVENT_PERF_LIMITS_CHANGED = 0x0,
	/** A domain's level changed (enabled by NOTIFY_LEVEL); delivers
	 *  struct scmi_perf_level_report. */
	SCMI_EVENT_PERF_LEVEL_CHANGED = 0x1,
};

/** Report of SCMI_EVENT_PERF_LIMITS_CHANGED. */
struct scmi_perf_limits_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent that caused it (0: the platform) */
	uint32_t domain_id;
	uint32_t range_max; /**< level value */
	uint32_t range_min; /**< level value */
	uint64_t range_max_freq_hz;
	uint64_t range_min_freq_hz;
};

/** Report of SCMI_EVENT_PERF_LEVEL_CHANGED. */
struct scmi_perf_level_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent that caused it (0: the platform) */
	uint32_t domain_id;
	uint32_t performance_level; /**< level value */
	uint64_t freq_hz;
};

/*
 * Members of the report structs documented here rather than in the structs
 * (keeps their bodies minimal).
 */
/** @var scmi_perf_limits_report::domain_id
 *  The domain (the event's source). */
/** @var scmi_perf_limits_report::range_max_freq_hz
 *  Frequency of range_max, Hz (by the mapping above). */
/** @var scmi_perf_limits_report::range_min_freq_hz
 *  Frequency of range_min, Hz (by the mapping above). */
/** @var scmi_perf_level_report::domain_id
 *  The domain (the event's source). */
/** @var scmi_perf_level_report::freq_hz
 *  Frequency of performance_level, Hz (by the mapping above). */

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_PERF_H */

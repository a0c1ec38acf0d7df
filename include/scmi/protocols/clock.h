/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Clock management protocol (0x14): clock discovery, rates, gating, parents,
 * OEM configuration, permissions and rate notifications.
 *
 *	const struct scmi_clock_info *ci;
 *	uint64_t rate;
 *
 *	if (h->clock_ops && !h->clock_ops->info_get(h, 0, &ci)) {
 *		h->clock_ops->rate_set(h, 0, ci->max_rate, SCMI_CLOCK_RATE_ASYNC, NULL);
 *		h->clock_ops->rate_get(h, 0, &rate);
 *	}
 *
 * Reachable as handle->clock_ops (NULL when the platform does not list the
 * protocol).  The first call brings the protocol up: version, attributes,
 * every clock's attributes, extended name, rates and possible parents are
 * read once and cached for the life of the handle.  libscmi speaks clock
 * versions 1.0, 2.0 and 3.0; commands newer than the version in use return
 * -EOPNOTSUPP without being sent.
 *
 * Common rules of the ops below:
 * - They may be called from any thread, including notification callbacks,
 *   until scmi_close() starts.  Discovered data is immutable once
 *   published, so concurrent calls need no locking by the caller.
 * - They return 0 or a negative errno.  Bad arguments (NULL output
 *   pointers, a clock id >= the discovered count, unknown flags, a parent
 *   the clock does not list) are -EINVAL and nothing is sent; a feature the
 *   platform said is absent (or that the version in use lacks) is
 *   -EOPNOTSUPP, nothing sent.  Platform statuses map as in scmi/errors.h
 *   (DENIED -EACCES, NOT_FOUND -ENOENT, OUT_OF_RANGE -ERANGE, BUSY -EBUSY
 *   ...), and scmi_last_status() gives the raw one.  A malformed reply is
 *   -EPROTO; -ETIMEDOUT when the platform does not answer.
 * - If the bring-up fails (a timeout, a malformed PROTOCOL_ATTRIBUTES
 *   reply), every op returns that error and the next call tries again.  A
 *   platform that refuses to describe one clock (a status such as DENIED)
 *   or describes it badly (a malformed reply, a bad rate or parent table)
 *   does not fail it: that part of the clock's info is unknown and says
 *   why (attributes_err, rates_err, parents_err), with a warning in the
 *   log; the clock stays usable, the other clocks are not affected.
 * - A rate or parent list may end before the size its first reply
 *   announced (an empty reply, or an index the platform says is past the
 *   end): the entries listed are the table, with a warning.
 * - Every op also runs non-blocking, wrapped in SCMI_ASYNC()
 *   (scmi/request.h).  A call refused as above (-EINVAL, -EOPNOTSUPP,
 *   nothing sent) is refused by SCMI_ASYNC() itself and no callback runs;
 *   otherwise the callback runs once with what the blocking op returns,
 *   and the outputs (@c rate, @c actual, @c enabled, @c value,
 *   @c parent_id, @c perms; @c info is written before SCMI_ASYNC()
 *   returns) are written before it runs: they must stay valid until then.
 *   count_get(), info_get() and permissions_get() of an unrestricted clock
 *   complete without the platform.  scmi_last_status() is not meaningful
 *   after a non-blocking call.  rate_set() with SCMI_CLOCK_RATE_ASYNC:
 *   see there.
 */
#ifndef SCMI_PROTOCOLS_CLOCK_H
#define SCMI_PROTOCOLS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/notify.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Most discrete rates libscmi stores for one clock.  A clock listing more
 * keeps an empty table with scmi_clock_info.rates_err = -E2BIG (its rate
 * can still be read and set).  The table is sized from the platform's
 * first DESCRIBE_RATES reply (returned + remaining) within this limit: an
 * announcement alone is not held against the platform.
 */
#define SCMI_CLOCK_MAX_RATES 4096

/** A discovered clock.  Owned by the handle; valid until scmi_close(). */
struct scmi_clock_info {
	uint32_t id; /**< clock id (0..count-1) */
	/** 0, or the errno of the platform's refusal of CLOCK_ATTRIBUTES
	 *  for this clock (e.g. -EACCES where the agent may not see it), or
	 *  -EPROTO for a malformed reply:
	 *  then the name is empty, no feature is set, the tables are
	 *  unknown (rates_err has the same value).  Rate, gate and
	 *  permission ops are still sent for the platform to judge; ops that
	 *  need a feature bit (parents, OEM config, notifications) are
	 *  -EOPNOTSUPP, as the bit is not known to be set. */
	int attributes_err;
	/** NUL-terminated; the extended name (CLOCK_NAME_GET, 2.0+) when the
	 *  platform flags one, else the 16-byte short name (a full-width
	 *  short name, sent without a NUL, is kept whole). */
	char name[SCMI_MAX_STR_SIZE];

	/** true: @p rates lists discrete rates; false: @p range describes them. */
	bool rate_discrete;
	/** Number of discrete rates at @p rates. */
	unsigned int num_rates;
	/** Discrete rates, ascending (sorted at discovery), @p num_rates of
	 *  them; NULL when there are none. */
	const uint64_t *rates;
	/** Range clocks: every min_rate + k * step_size up to max_rate
	 *  (step_size 0: the platform gave no granularity). */
	struct {
		uint64_t min_rate;  /**< lowest rate, Hz */
		uint64_t max_rate;  /**< highest rate, Hz */
		uint64_t step_size; /**< granularity, Hz (0: none given) */
	} range;
	/** Lowest and highest rate, for both forms (0 when unknown). */
	uint64_t min_rate, max_rate;
	/** 0, or why the rate table is unknown: -E2BIG (more than
	 *  SCMI_CLOCK_MAX_RATES listed), -EPROTO (a malformed reply or a bad table:
	 *  more rates than announced, a range not one triplet, min above
	 *  max, a format change between replies), or the errno of the
	 *  platform's refusal. */
	int rates_err;

	/** Time to enable the clock, µs (2.0+); 0: not reported. */
	uint32_t enable_latency_us;
	/** SCMI_EVENT_CLOCK_RATE_CHANGED can be enabled for this clock (2.0+). */
	bool rate_changed_notifications;
	/** SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED can be enabled (2.0+). */
	bool rate_change_requested_notifications;
	/** parent_get/parent_set work on this clock (3.0+). */
	bool parent_support;
	/** OEM configuration (config_oem_get/set) is supported (3.0+). */
	bool extended_config;
	/** Some control may be denied to this agent: permissions_get asks
	 *  the platform (3.0+). */
	bool restricted;
	/** Number of possible parents at @p parents. */
	unsigned int num_parents;
	/** Possible parents (clock ids), in the platform's order. */
	const uint32_t *parents;
	/** 0, or why the possible parents are unknown: the errno of the
	 *  platform's refusal to list them, or -EPROTO for a malformed list
	 *  (one naming an unknown clock or the clock itself, for one); then
	 *  parent_set does not check the parent locally. */
	int parents_err;
};

/** Flags of rate_set(). */
enum scmi_clock_rate_flags {
	/** Use the asynchronous form (a delayed response completes it) when
	 *  the platform advertises pending async requests and fewer than
	 *  that many are in flight on this handle and the transport has a
	 *  P2A channel (delayed responses can arrive); otherwise the command
	 *  is sent synchronously.  Either way rate_set() returns once the
	 *  rate is set.  With SCMI_CLOCK_RATE_NO_WAIT no delayed response is
	 *  asked for, so a P2A channel is not needed. */
	SCMI_CLOCK_RATE_ASYNC = 1u << 0,
	/** With SCMI_CLOCK_RATE_ASYNC: ask for no delayed response and return
	 *  after the (synchronous) response, while the platform may still be
	 *  changing the rate.  Ignored (a full wait) when async is not used. */
	SCMI_CLOCK_RATE_NO_WAIT = 1u << 1,
	/** Round a rate the clock cannot run at up (default: down). */
	SCMI_CLOCK_RATE_ROUND_UP = 1u << 2,
	/** Round to the closest supported rate (exclusive with ROUND_UP). */
	SCMI_CLOCK_RATE_ROUND_CLOSEST = 1u << 3,
};

/** OEM configuration types of config_oem_get/set (0x80..0xFF: vendor). */
enum scmi_clock_oem_config {
	SCMI_CLOCK_CFG_DUTY_CYCLE = 0x1, /**< duty cycle */
	SCMI_CLOCK_CFG_PHASE = 0x2,	 /**< phase */
};

/** What this agent may do with a clock (CLOCK_GET_PERMISSIONS). */
struct scmi_clock_permissions {
	bool state_control;  /**< enable / disable */
	bool parent_control; /**< parent_set */
	bool rate_control;   /**< rate_set */
};

/**
 * Clock protocol operations, reachable as handle->clock_ops (NULL when the
 * platform lacks the protocol).  The common rules of the file's
 * description apply to every op: any thread, 0 or a negative errno,
 * returned pointers owned by the handle.
 */
struct scmi_clock_ops {
	/**
	 * Number of clocks (>= 0), or a negative errno.
	 *
	 * @param h the handle.
	 * @return the number of clocks (>= 0), or a negative errno.
	 */
	int (*count_get)(const struct scmi_handle *h);
	/**
	 * Discovered description of clock @p clk_id into *@p info (a pointer
	 * into the cache, valid until scmi_close()).
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*info_get)(const struct scmi_handle *h, uint32_t clk_id,
			const struct scmi_clock_info **info);
	/**
	 * Current rate of clock @p clk_id in Hz (CLOCK_RATE_GET).
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param[out] rate the rate, Hz.
	 * @return 0 or a negative errno (above).
	 */
	int (*rate_get)(const struct scmi_handle *h, uint32_t clk_id, uint64_t *rate);
	/**
	 * Set clock @p clk_id to @p rate Hz (CLOCK_RATE_SET), rounded by the
	 * platform as @p flags (enum scmi_clock_rate_flags) say.  The rate is
	 * not checked locally: the platform judges it (SCP-firmware, and the
	 * simulator, answer INVALID_PARAMETERS (-EINVAL) for one outside the
	 * clock's rates; others OUT_OF_RANGE (-ERANGE)), DENIED (-EACCES) when this
	 * agent may not change it, BUSY when its async slots are full.
	 * @p actual (optional) receives the rate the platform reports in the
	 * delayed response of an async set, or 0 when it reported none
	 * (synchronous or SCMI_CLOCK_RATE_NO_WAIT; read it with rate_get).
	 * The delayed response's clock id is checked (-EPROTO otherwise).
	 * -EINVAL: unknown flag, NO_WAIT without ASYNC, or both ROUND_ flags.
	 *
	 * A platform that accepts an async RATE_SET and never sends its
	 * delayed response (quirk clock_rate_set_no_dresp, docs/PROTOCOLS.md)
	 * costs the first such call one delayed-response timeout, after which
	 * it is asked again synchronously and every later call on the handle
	 * is synchronous.
	 *
	 * Non-blocking (SCMI_ASYNC()): completes when rate_set() would
	 * return -- with SCMI_CLOCK_RATE_ASYNC when the delayed response
	 * arrives (@p actual written then), with NO_WAIT or the synchronous
	 * form when the response does.  On a platform that never sends the
	 * delayed response it completes, once, after that timeout and the
	 * synchronous retry, as the blocking call returns.
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param rate the rate, Hz.
	 * @param flags enum scmi_clock_rate_flags.
	 * @param[out] actual optional (may be NULL): the rate the delayed
	 *	response reports, or 0.
	 * @return 0 or a negative errno (above).
	 */
	int (*rate_set)(const struct scmi_handle *h, uint32_t clk_id, uint64_t rate, uint32_t flags,
			uint64_t *actual);
	/**
	 * Enable (ungate) clock @p clk_id (CLOCK_CONFIG_SET).
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @return 0 or a negative errno (above).
	 */
	int (*enable)(const struct scmi_handle *h, uint32_t clk_id);
	/**
	 * Disable (gate) clock @p clk_id (CLOCK_CONFIG_SET).
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @return 0 or a negative errno (above).
	 */
	int (*disable)(const struct scmi_handle *h, uint32_t clk_id);
	/**
	 * Is clock @p clk_id enabled?  CLOCK_CONFIG_GET from 3.0; before
	 * (or if the platform lacks it) the enabled bit of a fresh
	 * CLOCK_ATTRIBUTES.
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param[out] enabled whether the clock runs.
	 * @return 0 or a negative errno (above).
	 */
	int (*state_get)(const struct scmi_handle *h, uint32_t clk_id, bool *enabled);
	/**
	 * Read OEM configuration @p oem_type (1..255) of clock @p clk_id into
	 * *@p value, and optionally the gate state into *@p enabled
	 * (CLOCK_CONFIG_GET).  -EOPNOTSUPP before 3.0 or for a clock without
	 * extended config; the platform answers NOT_SUPPORTED for a type the
	 * clock lacks.
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param oem_type the OEM configuration type (1..255).
	 * @param[out] value its value.
	 * @param[out] enabled optional (may be NULL): the gate state.
	 * @return 0 or a negative errno (above).
	 */
	int (*config_oem_get)(const struct scmi_handle *h, uint32_t clk_id, uint8_t oem_type,
			      uint32_t *value, bool *enabled);
	/**
	 * Set OEM configuration @p oem_type (1..255) of clock @p clk_id to
	 * @p value, leaving the gate state alone (CLOCK_CONFIG_SET, 3.0+).
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param oem_type the OEM configuration type (1..255).
	 * @param value its new value.
	 * @return 0 or a negative errno (above).
	 */
	int (*config_oem_set)(const struct scmi_handle *h, uint32_t clk_id, uint8_t oem_type,
			      uint32_t value);
	/**
	 * Current parent of clock @p clk_id (CLOCK_PARENT_GET, 3.0+ and
	 * parent_support; -EOPNOTSUPP otherwise).
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param[out] parent_id the parent clock id.
	 * @return 0 or a negative errno (above).
	 */
	int (*parent_get)(const struct scmi_handle *h, uint32_t clk_id, uint32_t *parent_id);
	/**
	 * Switch clock @p clk_id to @p parent_id, which must be one of its
	 * possible parents (-EINVAL otherwise; CLOCK_PARENT_SET).
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param parent_id the new parent (one of the possible parents).
	 * @return 0 or a negative errno (above).
	 */
	int (*parent_set)(const struct scmi_handle *h, uint32_t clk_id, uint32_t parent_id);
	/**
	 * What this agent may do with clock @p clk_id.  For a "restricted"
	 * clock, or one whose attributes the platform refused
	 * (attributes_err), CLOCK_GET_PERMISSIONS asks the platform; for the
	 * others everything is allowed and nothing is sent.  -EOPNOTSUPP
	 * before 3.0 (the protocol had no permission model).
	 *
	 * @param h the handle.
	 * @param clk_id the clock id.
	 * @param[out] perms the caller's struct, filled on success.
	 * @return 0 or a negative errno (above).
	 */
	int (*permissions_get)(const struct scmi_handle *h, uint32_t clk_id,
			       struct scmi_clock_permissions *perms);
};

/* ---- notifications ---------------------------------------------------- */

/**
 * Clock event ids (spec §6.5); the source is the clock id.  Registering for
 * a clock whose info says it lacks that notification, or on clock 1.0,
 * fails with -EOPNOTSUPP (nothing sent).
 */
enum scmi_clock_events {
	/** A clock's rate changed (CLOCK_RATE_NOTIFY); delivers struct
	 *  scmi_clock_rate_notif_report (@p rate: the new rate). */
	SCMI_EVENT_CLOCK_RATE_CHANGED = 0x0,
	/** An agent asked for a rate change (CLOCK_RATE_CHANGE_REQUESTED_NOTIFY);
	 *  delivers struct scmi_clock_rate_notif_report (@p rate: the rate asked). */
	SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED = 0x1,
};

/** Report of SCMI_EVENT_CLOCK_RATE_CHANGED and
 *  SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED. */
struct scmi_clock_rate_notif_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent whose request caused it (0: platform) */
	uint32_t clock_id;
	uint64_t rate; /**< new rate (RATE_CHANGED) or requested rate, Hz */
};

/*
 * Members of the report structs documented here rather than in the structs
 * (keeps their bodies minimal).
 */
/** @var scmi_clock_rate_notif_report::clock_id
 *  The clock (the event's source). */

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_CLOCK_H */

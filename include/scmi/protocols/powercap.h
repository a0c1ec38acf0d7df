/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Power capping and monitoring protocol (0x18), versions 1.0 and 2.0.
 *
 *	const struct scmi_powercap_info *pi;
 *	uint32_t cap;
 *
 *	if (!h->powercap_ops)
 *		return;                          // the platform has no powercap
 *	h->powercap_ops->info_get(h, 0, &pi);
 *	h->powercap_ops->cap_set(h, 0, pi->max_power_cap, false);
 *	h->powercap_ops->cap_get(h, 0, &cap);
 *
 * A powercap domain caps the average power drawn by a part of the system
 * over a power averaging interval (PAI), and may report the measured power.
 * Domains form a forest: each names its parent domain (or none, for a
 * root), and a parent's cap covers its children.
 *
 * Reachable as handle->powercap_ops (NULL when the platform does not list
 * the protocol).  The first call brings the protocol up: version, every
 * domain's attributes (with extended names), the parent tree, and the
 * fastchannels; all of it is cached until scmi_close().
 *
 * Every op may be called from any thread, including notification
 * callbacks, and has a non-blocking form: the op called under SCMI_ASYNC()
 * (scmi/request.h).  Its outputs must stay valid until the callback runs.
 * count_get(), info_get(), measurements_threshold_get(), the fastchannel
 * paths of cap_get() / cap_set() / pai_get() / pai_set() (and of
 * cap_enable_get() / cap_enable_set()), cap_enable_get() and a
 * cap_enable_set(true) on 1.0, and measurements_threshold_set() while the
 * event is disabled complete without the platform (the callback still
 * runs, once).  Ops return 0 or a negative errno: -EINVAL for an unknown
 * domain, a NULL pointer or a value outside what the domain advertises
 * (nothing is sent); -EOPNOTSUPP for a feature the domain lacks (nothing
 * is sent); -EPROTO for a domain disabled at discovery (nothing is sent,
 * see below) or a malformed reply; otherwise the errno of the platform's
 * status (scmi_last_status() keeps the raw status).
 *
 * Disabled domains.  One domain the platform will not describe costs that
 * domain, never the protocol: when POWERCAP_DOMAIN_ATTRIBUTES is refused
 * (DENIED to an agent that lost the domain's device through
 * BASE_SET_DEVICE_PERMISSIONS or SET_PROTOCOL_PERMISSIONS, NOT_FOUND ...)
 * or answered malformed, or the cap range is unusable
 * (SCMI_POWERCAP_BAD_CAP_RANGE below), the domain keeps its id but
 * usable = false and err says why.  Every op on it but info_get()
 * returns -EPROTO without sending anything, its notifications cannot be
 * enabled (-EPROTO), events naming it are dropped and no fastchannel is
 * mapped for it.  A domain whose attributes are unknown has an empty name,
 * no flag and no range, and is a root (parent_id and raw_parent_id
 * SCMI_POWERCAP_ROOT); domains that name it as their parent keep it (the
 * id is known), so it may have children.  A platform that does not answer
 * at all fails the bring-up, which the next call retries.  An extended
 * name that cannot be read leaves the short name; a fastchannel that
 * cannot be described or mapped leaves that operation on messages.
 *
 * Sanity rules.  The platform's description of a domain is checked at
 * bring-up.  Each finding sets a bit in scmi_powercap_info.problems and
 * logs a warning:
 *  - SCMI_POWERCAP_BAD_CAP_RANGE: min_power_cap or max_power_cap is 0, or
 *    min > max.  The domain is disabled (usable = false, err -EPROTO): no
 *    cap can be checked, and in 2.0 a cap of 0 means "capping disabled".
 *  - SCMI_POWERCAP_BAD_PAI_RANGE: min_pai or max_pai is 0, or min > max.
 *    Marked: PAI is treated as not configurable; the rest works.
 *  - SCMI_POWERCAP_BAD_CAP_CONFIG / _BAD_PAI_CONFIG: configurable but
 *    min == max or step == 0.  Marked: treated as not configurable
 *    (cap_set / pai_set return -EOPNOTSUPP), since a value cannot be
 *    checked against a zero step and a single value leaves nothing to set.
 *  - SCMI_POWERCAP_BAD_CAP_FIXED / _BAD_PAI_FIXED: not configurable but
 *    min != max.  Warned only: the range is then informative.
 *  - SCMI_POWERCAP_BAD_PARENT: parent_id is neither a known domain nor
 *    SCMI_POWERCAP_ROOT, or the parent links form a cycle (a domain naming
 *    itself included).  Marked: the domain is treated as a root (parent_id
 *    reads SCMI_POWERCAP_ROOT, raw_parent_id keeps what the platform
 *    said) and stays usable: no op depends on the tree, which is
 *    information, so a bad link costs the link, neither the domain nor
 *    the tree.  For a cycle, walking the links from the lowest domain id,
 *    the domain whose link closes the cycle becomes the root.
 *  - SCMI_POWERCAP_BAD_UNIT: the power unit field holds the reserved
 *    value 3.  Marked: treated as an abstract scale.
 */
#ifndef SCMI_PROTOCOLS_POWERCAP_H
#define SCMI_PROTOCOLS_POWERCAP_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/notify.h>

#ifdef __cplusplus
extern "C" {
#endif

/** parent_id of a domain without a parent. */
#define SCMI_POWERCAP_ROOT 0xffffffffu

/**
 * Unit of a domain's power values (caps, sustainable power, measurements,
 * thresholds).  Decoded from DOMAIN_ATTRIBUTES b[24:23] as Linux reads it;
 * the digest notes that SCP-firmware places the field at b[25:24] and that
 * the specification itself was not checked (unverified).
 */
enum scmi_powercap_unit {
	SCMI_POWERCAP_UNIT_ABSTRACT = 0, /**< platform-defined scale */
	SCMI_POWERCAP_UNIT_UW = 1,	 /**< microwatts */
	SCMI_POWERCAP_UNIT_MW = 2,	 /**< milliwatts */
};

/* Bits of scmi_powercap_info.problems: see "Sanity rules" above. */
/** scmi_powercap_info.problems: bad cap range (domain disabled). */
#define SCMI_POWERCAP_BAD_CAP_RANGE (1u << 0)
/** scmi_powercap_info.problems: bad PAI range (PAI not configurable). */
#define SCMI_POWERCAP_BAD_PAI_RANGE (1u << 1)
/** scmi_powercap_info.problems: configurable cap with min == max or step 0. */
#define SCMI_POWERCAP_BAD_CAP_CONFIG (1u << 2)
/** scmi_powercap_info.problems: configurable PAI with min == max or step 0. */
#define SCMI_POWERCAP_BAD_PAI_CONFIG (1u << 3)
/** scmi_powercap_info.problems: fixed cap with min != max (warned only). */
#define SCMI_POWERCAP_BAD_CAP_FIXED (1u << 4)
/** scmi_powercap_info.problems: fixed PAI with min != max (warned only). */
#define SCMI_POWERCAP_BAD_PAI_FIXED (1u << 5)
/** scmi_powercap_info.problems: unknown parent or a cycle (made a root). */
#define SCMI_POWERCAP_BAD_PARENT (1u << 6)
/** scmi_powercap_info.problems: reserved power unit (taken as abstract). */
#define SCMI_POWERCAP_BAD_UNIT (1u << 7)

/* Bits of scmi_powercap_info.fc_mask: operations served by a fastchannel. */
/** scmi_powercap_info.fc_mask: cap_get() uses a fastchannel. */
#define SCMI_POWERCAP_FC_CAP_GET (1u << 0)
/** scmi_powercap_info.fc_mask: cap_set() uses a fastchannel. */
#define SCMI_POWERCAP_FC_CAP_SET (1u << 1)
/** scmi_powercap_info.fc_mask: pai_get() uses a fastchannel. */
#define SCMI_POWERCAP_FC_PAI_GET (1u << 2)
/** scmi_powercap_info.fc_mask: pai_set() uses a fastchannel. */
#define SCMI_POWERCAP_FC_PAI_SET (1u << 3)

/** One powercap domain as discovered (immutable after bring-up). */
struct scmi_powercap_info {
	uint32_t id; /**< domain id */
	/** Extended name where the platform has one, else the short name;
	 *  NUL-terminated. */
	char name[SCMI_MAX_STR_SIZE];
	/** Raw DOMAIN_ATTRIBUTES attributes word. */
	uint32_t attributes;
	/** SCMI_EVENT_POWERCAP_CAP_CHANGED can be enabled (attribute b31 and
	 *  the platform implements CAP_NOTIFY). */
	bool notify_cap_change;
	/** SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED can be enabled (b30 and
	 *  MEASUREMENTS_NOTIFY implemented). */
	bool notify_measurement_change;
	/** CAP_SET may complete asynchronously (b29). */
	bool async_cap_set;
	/** The cap can be set (b27, after the sanity rules). */
	bool cap_config;
	/** measurements_get() works (b26). */
	bool monitoring;
	/** The PAI can be set (b25, after the sanity rules). */
	bool pai_config;
	/** The platform offers fastchannels for this domain (b22). */
	bool fastchannels;
	/** SCMI_POWERCAP_FC_* of the fastchannels actually mapped; the other
	 *  operations use messages. */
	uint32_t fc_mask;
	enum scmi_powercap_unit unit; /**< unit of every power value */
	/** Power averaging interval range and step, in microseconds (the unit
	 *  is unverified in the spec digest): the smallest PAI. */
	uint32_t min_pai;
	uint32_t max_pai;  /**< largest PAI, µs */
	uint32_t pai_step; /**< PAI granularity, µs */
	/** Power cap range and step, in @p unit: the smallest cap. */
	uint32_t min_power_cap;
	uint32_t max_power_cap;	 /**< largest cap, in @p unit */
	uint32_t power_cap_step; /**< cap granularity, in @p unit */
	/** Sustainable power, in @p unit. */
	uint32_t sustainable_power;
	/** Measurement accuracy, in units of 0.001 %. */
	uint32_t accuracy;
	/** Parent domain, or SCMI_POWERCAP_ROOT (after the sanity rules). */
	uint32_t parent_id;
	/** parent_id as the platform reported it. */
	uint32_t raw_parent_id;
	/** Domains whose parent is this one, ascending ids. */
	unsigned int num_children;
	const uint32_t *children; /**< num_children ids, owned by the handle */
	/** SCMI_POWERCAP_BAD_* findings. */
	uint32_t problems;
	/**
	 * false: the domain is disabled (see "Disabled domains" above): every
	 * op on it but info_get() returns -EPROTO without sending anything.
	 */
	bool usable;
	/**
	 * 0 when usable; else why it is disabled: the errno of the platform's
	 * refusal of POWERCAP_DOMAIN_ATTRIBUTES (-EACCES for DENIED, -ENOENT
	 * for NOT_FOUND ...; as scmi_clock_info.attributes_err), or -EPROTO
	 * for a malformed reply or SCMI_POWERCAP_BAD_CAP_RANGE (then
	 * problems says so).
	 */
	int err;
};

/**
 * Power capping protocol operations, reachable as handle->powercap_ops
 * (NULL when the platform lacks the protocol).  Every op may be called
 * from any thread, including notification callbacks, and returns 0 or a
 * negative errno; returned pointers point into the handle's cache and stay
 * valid until scmi_close().
 */
struct scmi_powercap_ops {
	/**
	 * Number of powercap domains (ids 0..n-1), or a negative errno.
	 *
	 * @param h the handle.
	 * @return the number of domains, or a negative errno (the bring-up
	 *	failed).
	 */
	int (*count_get)(const struct scmi_handle *h);
	/**
	 * Discovered description of domain @p domain_id: *@p info points into
	 * the handle's cache, valid until scmi_close().  Works for disabled
	 * domains too (check ->usable).  -EINVAL for an unknown id.
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*info_get)(const struct scmi_handle *h, uint32_t domain_id,
			const struct scmi_powercap_info **info);
	/**
	 * Current power cap of @p domain_id, in the domain's unit (CAP_GET, or
	 * the CAP_GET fastchannel when mapped).  On 2.0, 0 means capping is
	 * disabled.  A value just set through the CAP_SET fastchannel may
	 * show here only after the platform has picked it up.
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param[out] power_cap the cap, in the domain's unit.
	 * @return 0 or a negative errno (above).
	 */
	int (*cap_get)(const struct scmi_handle *h, uint32_t domain_id, uint32_t *power_cap);
	/**
	 * Set the power cap of @p domain_id.  @p power_cap must lie in
	 * [min_power_cap, max_power_cap] on a multiple of power_cap_step from
	 * min_power_cap (-EINVAL otherwise); on 2.0, 0 is also accepted and
	 * disables capping.  -EOPNOTSUPP if the cap is not configurable.
	 *
	 * Through the CAP_SET fastchannel when mapped: the value is written
	 * and the doorbell rung; the platform applies it on its own time and
	 * reports no status.  Otherwise with CAP_SET: on a domain with
	 * async_cap_set, asynchronously -- waiting for the delayed response
	 * (whose domain and cap are checked, -EPROTO if they differ), or,
	 * with @p ignore_dresp, asking the platform not to send one and
	 * returning after the response.  Without async support the command
	 * is synchronous and @p ignore_dresp is irrelevant; on a transport
	 * without a P2A channel (no delayed response can arrive) it is
	 * synchronous unless @p ignore_dresp.
	 *
	 * Non-blocking (SCMI_ASYNC()): an asynchronous set that waits
	 * completes when the delayed response arrives (-ETIMEDOUT after
	 * scmi_config.dresp_timeout_ms without one), otherwise when the
	 * response arrives; a fastchannel set completes at once.
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param power_cap the cap, in the domain's unit.
	 * @param ignore_dresp do not wait for the delayed response of an
	 *	asynchronous set.
	 * @return 0 or a negative errno (above).
	 */
	int (*cap_set)(const struct scmi_handle *h, uint32_t domain_id, uint32_t power_cap,
		       bool ignore_dresp);
	/**
	 * Enable or disable capping of @p domain_id (2.0: a cap of 0 disables).
	 * Disabling sets the cap to 0.  Enabling restores the last non-zero
	 * cap this handle knows of (set, read or notified); if none is known
	 * it reads the cap, leaves an already enabled domain alone and
	 * otherwise sets max_power_cap, the least restrictive cap.  Goes
	 * through cap_set(..., false).  On 1.0, capping cannot be disabled:
	 * enabling is a no-op and disabling returns -EOPNOTSUPP.
	 * -EOPNOTSUPP if the cap is not configurable.  Non-blocking, the
	 * read and the set are one request: the callback runs once, after
	 * the set (its delayed response included) or after the read when
	 * capping was enabled already.
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param enable enable (true) or disable (false) capping.
	 * @return 0 or a negative errno (above).
	 */
	int (*cap_enable_set)(const struct scmi_handle *h, uint32_t domain_id, bool enable);
	/**
	 * Is capping enabled on @p domain_id?  2.0: the cap is not 0 (reads
	 * it); 1.0: always true (nothing sent).
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param[out] enable whether capping is enabled.
	 * @return 0 or a negative errno (above).
	 */
	int (*cap_enable_get)(const struct scmi_handle *h, uint32_t domain_id, bool *enable);
	/**
	 * Current power averaging interval of @p domain_id in µs (PAI_GET, or
	 * its fastchannel).
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param[out] pai the power averaging interval, µs.
	 * @return 0 or a negative errno (above).
	 */
	int (*pai_get)(const struct scmi_handle *h, uint32_t domain_id, uint32_t *pai);
	/**
	 * Set the PAI of @p domain_id: in [min_pai, max_pai] on a multiple of
	 * pai_step from min_pai (-EINVAL otherwise); -EOPNOTSUPP if not
	 * configurable.  Through the PAI_SET fastchannel when mapped (no
	 * status, applied when the platform picks it up).
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param pai the power averaging interval, µs.
	 * @return 0 or a negative errno (above).
	 */
	int (*pai_set)(const struct scmi_handle *h, uint32_t domain_id, uint32_t pai);
	/**
	 * Measured average power of @p domain_id (in its unit) over the PAI the
	 * platform reports in *@p pai (MEASUREMENTS_GET).  Either pointer may
	 * be NULL, not both.  -EOPNOTSUPP without power monitoring.
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param[out] power the measured power, in the domain's unit (may be
	 *	NULL).
	 * @param[out] pai the averaging interval, µs (may be NULL).
	 * @return 0 or a negative errno (above).
	 */
	int (*measurements_get)(const struct scmi_handle *h, uint32_t domain_id, uint32_t *power,
				uint32_t *pai);
	/**
	 * Set the thresholds that make the platform send
	 * SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED for @p domain_id (the exact
	 * crossing rule is the platform's; unverified in the digest).
	 *
	 * MEASUREMENTS_NOTIFY carries the thresholds with the enable, while
	 * libscmi enables an event once per source for all its listeners: so
	 * thresholds are a per-domain setting of the handle, stored here and
	 * sent with every enable.  Set them before registering a listener for
	 * the event (an enable with both thresholds 0 is refused with -EINVAL,
	 * as Linux does); changing them while the event is enabled re-sends
	 * MEASUREMENTS_NOTIFY at once with the new values (on failure the old
	 * values stay).  -EINVAL when @p low > @p high or both are 0;
	 * -EOPNOTSUPP if the domain cannot notify measurement changes.
	 *
	 * Non-blocking (SCMI_ASYNC()): while the event is disabled, the
	 * thresholds are stored and the call completes at once; while it is
	 * enabled, it completes when the platform has answered the
	 * MEASUREMENTS_NOTIFY, and the new values are stored then (the old
	 * ones stay on failure).  The blocking form holds the protocol's
	 * threshold lock over the exchange, so concurrent changes and enables
	 * reach the platform in the order they are stored; the non-blocking
	 * form does not (it may still wait briefly for that lock when it is
	 * submitted, while another thread's blocking change is in progress):
	 * do not mix non-blocking changes of one domain's thresholds with
	 * concurrent changes or listener (un)registrations of that domain.
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param power_thresh_low lower threshold, in the domain's unit.
	 * @param power_thresh_high upper threshold, in the domain's unit.
	 * @return 0 or a negative errno (above).
	 */
	int (*measurements_threshold_set)(const struct scmi_handle *h, uint32_t domain_id,
					  uint32_t power_thresh_low, uint32_t power_thresh_high);
	/**
	 * The thresholds stored for @p domain_id (0, 0 until set).
	 *
	 * @param h the handle.
	 * @param domain_id the domain id.
	 * @param[out] power_thresh_low lower threshold.
	 * @param[out] power_thresh_high upper threshold.
	 * @return 0 or a negative errno (-EINVAL).
	 */
	int (*measurements_threshold_get)(const struct scmi_handle *h, uint32_t domain_id,
					  uint32_t *power_thresh_low, uint32_t *power_thresh_high);
};

/* ---- notifications ---------------------------------------------------- */

/** Powercap event ids (spec §6.9); the source is the domain id. */
enum scmi_powercap_events {
	/** A domain's cap or PAI changed (POWERCAP_CAP_NOTIFY); delivers
	 *  struct scmi_powercap_cap_changed_report. */
	SCMI_EVENT_POWERCAP_CAP_CHANGED = 0x0,
	/** A domain's measured power crossed a threshold
	 *  (POWERCAP_MEASUREMENTS_NOTIFY); delivers struct
	 *  scmi_powercap_meas_changed_report. */
	SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED = 0x1,
};

/** Report of SCMI_EVENT_POWERCAP_CAP_CHANGED: the cap or the PAI changed. */
struct scmi_powercap_cap_changed_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent that caused it (0: the platform) */
	uint32_t domain_id;
	uint32_t power_cap; /**< new cap (2.0: 0 = capping disabled) */
	uint32_t pai;	    /**< new PAI, µs */
};

/** Report of SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED. */
struct scmi_powercap_meas_changed_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent that caused it (0: the platform) */
	uint32_t domain_id;
	uint32_t power; /**< measured power, in the domain's unit */
};

/*
 * Members of the report structs documented here rather than in the structs
 * (keeps their bodies minimal).
 */
/** @var scmi_powercap_cap_changed_report::domain_id
 *  The domain (the event's source). */
/** @var scmi_powercap_meas_changed_report::domain_id
 *  The domain (the event's source). */

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_POWERCAP_H */

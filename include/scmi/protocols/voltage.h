/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Voltage domain management protocol (0x17), spec digest §6.8.  It has no
 * notifications.
 *
 *	const struct scmi_voltage_info *info;
 *	if (h->voltage_ops && !h->voltage_ops->info_get(h, 0, &info))
 *		h->voltage_ops->level_set(h, 0, SCMI_VOLTAGE_LEVEL_SET_AUTO,
 *					  info->min_uv);
 *
 * Reachable as handle->voltage_ops, NULL when the platform does not list
 * the protocol (SCMI 2.0-era platforms do not have it).  The protocol is
 * brought up on first use: PROTOCOL_ATTRIBUTES, every domain's
 * VOLTAGE_DOMAIN_ATTRIBUTES, extended names (from 2.0) and the complete
 * level description (VOLTAGE_DESCRIBE_LEVELS, walked to the end however
 * many messages it takes).  What discovery found is cached for the life of
 * the handle and never asked again.  A level list may end before the size
 * its first reply announced (an empty reply, or an index the platform says
 * is past the end, as with OP-TEE's miscounted "remaining"): the levels
 * listed are the domain's, with a warning in the log.
 *
 * Levels are signed microvolts: negative voltages are allowed.
 *
 * Every op may be called from any thread, including notification
 * callbacks; ops that send a command block until the platform answers,
 * unless called under SCMI_ASYNC() (below).  Domain ids the platform did
 * not report (-EINVAL), domains disabled at discovery (-EPROTO, see
 * scmi_voltage_info.usable), and levels the domain does not describe are
 * refused before anything is sent.  Platform statuses are mapped to errnos
 * (NOT_FOUND: -ENOENT, DENIED: -EACCES, OUT_OF_RANGE: -ERANGE,
 * INVALID_PARAMETERS: -EINVAL ...); scmi_last_status() keeps the raw
 * status of the calling thread's last command (of a blocking call).
 *
 * Non-blocking calls: every op may be wrapped in SCMI_ASYNC()
 * (scmi/request.h); its callback gets what the blocking op would have
 * returned.  count_get() and info_get() complete without the platform,
 * from the cache (through the callback all the same).  config_set(),
 * config_get(), level_get() and a synchronous level_set() complete when
 * the platform answers; an asynchronous level_set()
 * (SCMI_VOLTAGE_LEVEL_SET_ASYNC, or AUTO on a domain that has it) when
 * its delayed response arrives and names the domain and level (-EPROTO
 * otherwise, -ETIMEDOUT after the handle's dresp_timeout_ms).  Whatever
 * is refused "without sending" is returned by SCMI_ASYNC() itself, and no
 * callback runs.  The outputs -- config_get()'s @c config, level_get()'s
 * @c level_uv, info_get()'s @c info -- must stay valid until the
 * callback runs; inputs are all passed by value.
 */
#ifndef SCMI_PROTOCOLS_VOLTAGE_H
#define SCMI_PROTOCOLS_VOLTAGE_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Domain configuration (VOLTAGE_CONFIG_SET/GET), b[3:0] of the config word.
 * b3 clear: architectural modes, of which only OFF (0x0) and ON (0x7) are
 * defined (0x1..0x6 are reserved and refused locally); b3 set: one of
 * eight implementation-defined modes 0x8..0xF.
 */
/** Architectural mode: the domain is off. */
#define SCMI_VOLTAGE_CONFIG_OFF 0x0u
/** Architectural mode: the domain is on. */
#define SCMI_VOLTAGE_CONFIG_ON 0x7u
/** b3: an implementation-defined mode. */
#define SCMI_VOLTAGE_CONFIG_IMPL_DEFINED 0x8u
/** The mode bits (b[3:0]) of a config word. */
#define SCMI_VOLTAGE_CONFIG_MODE_MASK 0xfu
/** Implementation-defined mode @p n (0..7). */
#define SCMI_VOLTAGE_CONFIG_IMPL(n) (SCMI_VOLTAGE_CONFIG_IMPL_DEFINED | ((n)&0x7u))

/** Indexes into levels_uv[] of a segmented domain. */
enum scmi_voltage_segment {
	SCMI_VOLTAGE_SEGMENT_LOW = 0,
	SCMI_VOLTAGE_SEGMENT_HIGH = 1,
	SCMI_VOLTAGE_SEGMENT_STEP = 2,
};

/** What discovery reported about one voltage domain (immutable). */
struct scmi_voltage_info {
	uint32_t id; /**< domain id */
	/**
	 * false: the platform described this domain badly (its attributes
	 * refused or malformed, its level description malformed or empty;
	 * the log says why), and libscmi disabled it: every op on it but
	 * info_get() returns -EPROTO without sending anything, and num_levels
	 * is 0.  The other domains are not affected.
	 */
	bool usable;
	/** NUL-terminated; the extended name (up to 63 characters) when the
	 *  platform advertises one (version >= 2.0), else the short one (at
	 *  most 15 characters). */
	char name[SCMI_MAX_STR_SIZE];
	/** The name came from VOLTAGE_DOMAIN_NAME_GET (attributes b30). */
	bool extended_name;
	/** LEVEL_SET may be asynchronous (attributes b31, version >= 2.0). */
	bool async_level_set;
	/**
	 * false: levels_uv[] lists every level the domain supports (in the
	 * platform's order).  true: levels_uv[] is the segment {low, high,
	 * step} (see enum scmi_voltage_segment): the levels are low + k * step
	 * up to high, with low <= high and step > 0 (checked at discovery).
	 */
	bool segmented;
	/** Entries in levels_uv (3 when segmented; at least 1 when usable). */
	unsigned int num_levels;
	const int32_t *levels_uv; /**< the levels, µV (see segmented) */
	/** Bounds of the levels: the smallest and largest entry of a list,
	 *  low and high of a segment. */
	int32_t min_uv;
	int32_t max_uv; /**< largest level, µV */
	/** Some level is below 0 µV. */
	bool negative_volts_allowed;
};

/** How VOLTAGE_LEVEL_SET is sent. */
enum scmi_voltage_level_mode {
	/** Synchronous: the response arrives once the level is set. */
	SCMI_VOLTAGE_LEVEL_SET_SYNC = 0,
	/** Asynchronous (version >= 2.0): the platform answers at once and
	 *  sends a delayed response when the level is reached; the op waits
	 *  for it (a non-blocking call completes with it).  -EOPNOTSUPP (nothing sent) when the domain does not
	 *  advertise async level changes or the transport has no P2A
	 *  channel (the delayed response could not arrive). */
	SCMI_VOLTAGE_LEVEL_SET_ASYNC = 1,
	/** Asynchronous when the domain supports it and the transport has a
	 *  P2A channel, else synchronous. */
	SCMI_VOLTAGE_LEVEL_SET_AUTO = 2,
};

/**
 * Voltage domain protocol operations, reachable as handle->voltage_ops (NULL when the
 * platform lacks the protocol).  Every op may be called from any thread,
 * including notification callbacks, and returns 0 or a negative errno
 * (platform statuses map as in scmi/errors.h, the raw one is in
 * scmi_last_status()); returned pointers point into the handle's cache
 * and stay valid until scmi_close().
 */
struct scmi_voltage_ops {
	/**
	 * Number of voltage domains (ids 0..n-1), or a negative errno of
	 * the protocol's bring-up.
	 *
	 * @param h the handle.
	 * @return the number of domains, or a negative errno (the bring-up
	 *	failed).
	 */
	int (*count_get)(const struct scmi_handle *h);
	/**
	 * Discovered description of domain @p domain.  *@p info (and its
	 * levels_uv) point into the handle's cache: read-only, valid until
	 * scmi_close(), no lock needed.  0 (also for a disabled domain: check
	 * ->usable), -EINVAL (unknown domain, NULL @p info), or a bring-up
	 * errno.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*info_get)(const struct scmi_handle *h, uint32_t domain,
			const struct scmi_voltage_info **info);
	/**
	 * Set the configuration of @p domain (VOLTAGE_CONFIG_SET):
	 * SCMI_VOLTAGE_CONFIG_ON/OFF or SCMI_VOLTAGE_CONFIG_IMPL(n).  -EINVAL
	 * without sending for bits above b3 or a reserved architectural mode;
	 * the platform's errors otherwise (-EOPNOTSUPP for an
	 * implementation-defined mode the domain does not have, -EACCES ...).
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param config the config word (SCMI_VOLTAGE_CONFIG_*).
	 * @return 0 or a negative errno (above).
	 */
	int (*config_set)(const struct scmi_handle *h, uint32_t domain, uint32_t config);
	/**
	 * Current configuration of @p domain (the whole config word; the mode
	 * is b[3:0]).  0, -EINVAL, or the platform's errors.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] config the config word.
	 * @return 0 or a negative errno (above).
	 */
	int (*config_get)(const struct scmi_handle *h, uint32_t domain, uint32_t *config);
	/**
	 * Set the voltage of @p domain to @p level_uv (VOLTAGE_LEVEL_SET).  The
	 * level must be one the domain describes: -ERANGE when it is below
	 * min_uv or above max_uv, -EINVAL when it is inside but not in the
	 * list (or not low + k * step), both without sending.  @p mode picks
	 * the synchronous or asynchronous form; the async form returns when
	 * the delayed response arrives, after checking that it names @p domain
	 * and @p level_uv (-EPROTO otherwise).  -EOPNOTSUPP for
	 * SCMI_VOLTAGE_LEVEL_SET_ASYNC on a domain without async support;
	 * -ETIMEDOUT, or the platform's errors.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param mode enum scmi_voltage_level_mode.
	 * @param level_uv the level, µV.
	 * @return 0 or a negative errno (above).
	 */
	int (*level_set)(const struct scmi_handle *h, uint32_t domain,
			 enum scmi_voltage_level_mode mode, int32_t level_uv);
	/**
	 * Current voltage of @p domain in µV.  0, -EINVAL, or the platform's
	 * errors.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] level_uv the level, µV.
	 * @return 0 or a negative errno (above).
	 */
	int (*level_get)(const struct scmi_handle *h, uint32_t domain, int32_t *level_uv);
};

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_VOLTAGE_H */

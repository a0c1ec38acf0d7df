/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Sensor management protocol (0x15), spec digest §6.6.
 *
 *	const struct scmi_sensor_info *si;
 *	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
 *	char buf[64];
 *	int n;
 *
 *	if (!h->sensor_ops || h->sensor_ops->info_get(h, 0, &si))
 *		return;
 *	n = h->sensor_ops->reading_get_timestamped(h, 0, SCMI_SENSOR_MAX_AXES, r);
 *	for (int i = 0; i < n; i++) {
 *		const struct scmi_sensor_axis_info *ax = si->num_axes ? &si->axes[i] : NULL;
 *
 *		scmi_sensor_format_value(buf, sizeof(buf), r[i].value,
 *					 ax ? ax->scale : si->scale);
 *		printf("%s %s\n", buf, scmi_sensor_unit_name(ax ? ax->type : si->type));
 *	}
 *
 * Everything the platform describes -- sensors, their extended attributes
 * and names, axes, update intervals -- is discovered once, when the
 * protocol is first used, and handed out as const pointers into a cache
 * that stays valid until scmi_close().  Readings, configurations and trip
 * points are always asked of the platform.
 *
 * A platform's mistakes cost what they concern, not the protocol: a sensor
 * described badly, or not at all, is disabled (scmi_sensor_info.usable;
 * its ops return -EPROTO); update intervals described badly are unknown
 * (scmi_sensor_intervals.err).  Lists that end before the size their first
 * reply announced keep the entries listed, with a warning.
 *
 * Version differences (handled inside; the caller sees one API):
 *  - 1.0: one i64 per reading, no timestamps, no axes, the update interval
 *    is a field of the descriptor; no CONFIG_GET/SET, no continuous
 *    updates.
 *  - 2.0: readings are {value, timestamp} per axis, extended attributes,
 *    axes, LIST_UPDATE_INTERVALS, CONFIG_GET/SET, SENSOR_UPDATE events.
 *  - 3.0: names longer than 15 characters (SENSOR_NAME_GET,
 *    SENSOR_AXIS_NAME_GET).  3.1: NEGOTIATE_PROTOCOL_VERSION.
 *
 * Non-blocking calls: every op may be wrapped in SCMI_ASYNC()
 * (scmi/request.h); its callback gets what the blocking op would have
 * returned.  count_get(), protocol_info_get() and info_get() complete
 * without the platform, from the cache (through the callback all the
 * same).  config_get(), config_set(), trip_point_config() and synchronous
 * reads complete when the platform answers; an asynchronous read when its
 * delayed response arrives and is checked (-ETIMEDOUT after the handle's
 * dresp_timeout_ms).  An asynchronous read holds one of the platform's
 * max_pending_async slots from its submission to its completion (by the
 * delayed response, a timeout, scmi_req_cancel() or scmi_close()), so
 * SCMI_SENSOR_READ_ASYNC beyond them is refused by SCMI_ASYNC() itself
 * with -EBUSY, and AUTO reads synchronously meanwhile.  Whatever is
 * refused locally ("nothing sent") is returned by SCMI_ASYNC() itself, and
 * no callback runs.  The outputs must stay valid until the callback runs:
 * reading_get()'s @c value, the @c readings array (@c count entries) of
 * reading_get_timestamped() and reading_read(), config_get()'s @c cfg,
 * the pointer outputs of protocol_info_get() and info_get().
 * config_set()'s @c cfg is read before the call returns (it may live on
 * the caller's stack).
 */
#ifndef SCMI_PROTOCOLS_SENSOR_H
#define SCMI_PROTOCOLS_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/notify.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most axes a sensor can have: the axis count is a 6-bit field. */
#define SCMI_SENSOR_MAX_AXES 63

/**
 * Sensor type / unit codes (attributes_high b[7:0]).  The physical value
 * of a reading is value x 10^scale in this unit.
 */
enum scmi_sensor_unit {
	SCMI_SENSOR_UNIT_NONE = 0x00,
	SCMI_SENSOR_UNIT_UNSPECIFIED = 0x01,
	SCMI_SENSOR_UNIT_DEGC = 0x02,
	SCMI_SENSOR_UNIT_DEGF = 0x03,
	SCMI_SENSOR_UNIT_KELVIN = 0x04,
	SCMI_SENSOR_UNIT_VOLTS = 0x05,
	SCMI_SENSOR_UNIT_AMPS = 0x06,
	SCMI_SENSOR_UNIT_WATTS = 0x07,
	SCMI_SENSOR_UNIT_JOULES = 0x08,
	SCMI_SENSOR_UNIT_COULOMBS = 0x09,
	SCMI_SENSOR_UNIT_VA = 0x0A,
	SCMI_SENSOR_UNIT_NITS = 0x0B,
	SCMI_SENSOR_UNIT_LUMENS = 0x0C,
	SCMI_SENSOR_UNIT_LUX = 0x0D,
	SCMI_SENSOR_UNIT_CANDELAS = 0x0E,
	SCMI_SENSOR_UNIT_KPA = 0x0F,
	SCMI_SENSOR_UNIT_PSI = 0x10,
	SCMI_SENSOR_UNIT_NEWTONS = 0x11,
	SCMI_SENSOR_UNIT_CFM = 0x12,
	SCMI_SENSOR_UNIT_RPM = 0x13,
	SCMI_SENSOR_UNIT_HZ = 0x14,
	SCMI_SENSOR_UNIT_SECONDS = 0x15,
	SCMI_SENSOR_UNIT_MINUTES = 0x16,
	SCMI_SENSOR_UNIT_HOURS = 0x17,
	SCMI_SENSOR_UNIT_DAYS = 0x18,
	SCMI_SENSOR_UNIT_WEEKS = 0x19,
	SCMI_SENSOR_UNIT_MILS = 0x1A,
	SCMI_SENSOR_UNIT_INCHES = 0x1B,
	SCMI_SENSOR_UNIT_FEET = 0x1C,
	SCMI_SENSOR_UNIT_CUBIC_INCHES = 0x1D,
	SCMI_SENSOR_UNIT_CUBIC_FEET = 0x1E,
	SCMI_SENSOR_UNIT_METERS = 0x1F,
	SCMI_SENSOR_UNIT_CUBIC_CM = 0x20,
	SCMI_SENSOR_UNIT_CUBIC_METERS = 0x21,
	SCMI_SENSOR_UNIT_LITERS = 0x22,
	SCMI_SENSOR_UNIT_FLUID_OUNCES = 0x23,
	SCMI_SENSOR_UNIT_RADIANS = 0x24,
	SCMI_SENSOR_UNIT_STERADIANS = 0x25,
	SCMI_SENSOR_UNIT_REVOLUTIONS = 0x26,
	SCMI_SENSOR_UNIT_CYCLES = 0x27,
	SCMI_SENSOR_UNIT_GRAVITIES = 0x28,
	SCMI_SENSOR_UNIT_OUNCES = 0x29,
	SCMI_SENSOR_UNIT_POUNDS = 0x2A,
	SCMI_SENSOR_UNIT_FOOT_POUNDS = 0x2B,
	SCMI_SENSOR_UNIT_OUNCE_INCHES = 0x2C,
	SCMI_SENSOR_UNIT_GAUSS = 0x2D,
	SCMI_SENSOR_UNIT_GILBERTS = 0x2E,
	SCMI_SENSOR_UNIT_HENRIES = 0x2F,
	SCMI_SENSOR_UNIT_FARADS = 0x30,
	SCMI_SENSOR_UNIT_OHMS = 0x31,
	SCMI_SENSOR_UNIT_SIEMENS = 0x32,
	SCMI_SENSOR_UNIT_MOLES = 0x33,
	SCMI_SENSOR_UNIT_BECQUERELS = 0x34,
	SCMI_SENSOR_UNIT_PPM = 0x35,
	SCMI_SENSOR_UNIT_DECIBELS = 0x36,
	SCMI_SENSOR_UNIT_DBA = 0x37,
	SCMI_SENSOR_UNIT_DBC = 0x38,
	SCMI_SENSOR_UNIT_GRAYS = 0x39,
	SCMI_SENSOR_UNIT_SIEVERTS = 0x3A,
	SCMI_SENSOR_UNIT_COLOR_TEMP_KELVIN = 0x3B,
	SCMI_SENSOR_UNIT_BITS = 0x3C,
	SCMI_SENSOR_UNIT_BYTES = 0x3D,
	SCMI_SENSOR_UNIT_WORDS = 0x3E,
	SCMI_SENSOR_UNIT_DWORDS = 0x3F,
	SCMI_SENSOR_UNIT_QWORDS = 0x40,
	SCMI_SENSOR_UNIT_PERCENTAGE = 0x41,
	SCMI_SENSOR_UNIT_PASCALS = 0x42,
	SCMI_SENSOR_UNIT_COUNTS = 0x43,
	SCMI_SENSOR_UNIT_GRAMS = 0x44,
	SCMI_SENSOR_UNIT_NEWTON_METERS = 0x45,
	SCMI_SENSOR_UNIT_HITS = 0x46,
	SCMI_SENSOR_UNIT_MISSES = 0x47,
	SCMI_SENSOR_UNIT_RETRIES = 0x48,
	SCMI_SENSOR_UNIT_OVERRUNS = 0x49,
	SCMI_SENSOR_UNIT_UNDERRUNS = 0x4A,
	SCMI_SENSOR_UNIT_COLLISIONS = 0x4B,
	SCMI_SENSOR_UNIT_PACKETS = 0x4C,
	SCMI_SENSOR_UNIT_MESSAGES = 0x4D,
	SCMI_SENSOR_UNIT_CHARACTERS = 0x4E,
	SCMI_SENSOR_UNIT_ERRORS = 0x4F,
	SCMI_SENSOR_UNIT_CORRECTED_ERRORS = 0x50,
	SCMI_SENSOR_UNIT_UNCORRECTABLE_ERRORS = 0x51,
	SCMI_SENSOR_UNIT_SQ_MILS = 0x52,
	SCMI_SENSOR_UNIT_SQ_INCHES = 0x53,
	SCMI_SENSOR_UNIT_SQ_FEET = 0x54,
	SCMI_SENSOR_UNIT_SQ_CM = 0x55,
	SCMI_SENSOR_UNIT_SQ_METERS = 0x56,
	SCMI_SENSOR_UNIT_RADIANS_SEC = 0x57,
	SCMI_SENSOR_UNIT_BEATS_MIN = 0x58,
	SCMI_SENSOR_UNIT_METERS_SEC_SQUARED = 0x59,
	SCMI_SENSOR_UNIT_METERS_SEC = 0x5A,
	SCMI_SENSOR_UNIT_CUBIC_METERS_SEC = 0x5B,
	SCMI_SENSOR_UNIT_MM_MERCURY = 0x5C,
	SCMI_SENSOR_UNIT_RADIANS_SEC_SQUARED = 0x5D,
	SCMI_SENSOR_UNIT_OEM = 0xFF,
};

/**
 * An update interval: @p seconds x 10^@p exponent seconds.  Used by the
 * interval lists, the sensor configuration, and the fixed interval of
 * Sensor 1.0 descriptors.
 */
struct scmi_sensor_interval {
	uint16_t seconds; /**< mantissa */
	int8_t exponent;  /**< -16..15 */
};

/** A resolution: @p value x 10^@p exponent, in the sensor's (axis's) unit. */
struct scmi_sensor_resolution {
	uint32_t value;	 /**< 27 bits */
	int8_t exponent; /**< -16..15 */
};

/** The update intervals a sensor supports (LIST_UPDATE_INTERVALS). */
struct scmi_sensor_intervals {
	/** true: @p list holds exactly 3 entries {lowest, highest, step}
	 *  describing every value lowest + k x step up to highest; false: a
	 *  list of the discrete intervals. */
	bool segmented;
	unsigned int count;			 /**< entries in @p list (0: none reported) */
	const struct scmi_sensor_interval *list; /**< NULL when @p count is 0 */
	/** 0, or why no list is known (then @p count is 0): the errno of the
	 *  platform's refusal of LIST_UPDATE_INTERVALS, or -EPROTO for a
	 *  malformed list (e.g. a segment that is not one triplet, or whose
	 *  lowest is above its highest or step is 0; a warning says which).
	 *  Intervals are information only: the sensor stays usable. */
	int err;
};

/** One axis of a multi-axis sensor (Sensor >= 2.0). */
struct scmi_sensor_axis_info {
	uint32_t id;	     /**< 0..num_axes-1 */
	uint8_t type;	     /**< enum scmi_sensor_unit */
	int8_t scale;	     /**< unit exponent: physical = value x 10^scale */
	bool extended_attrs; /**< @p resolution, @p min_range, @p max_range valid */
	struct scmi_sensor_resolution resolution; /**< smallest step */
	int64_t min_range;			  /**< in units of 10^scale */
	int64_t max_range;			  /**< in units of 10^scale */
	/** NUL-terminated; the extended name (Sensor >= 3.0) when the axis
	 *  has one and AXIS_NAME_GET worked, else the short name (at most
	 *  15 characters: a 16-byte field without NUL loses its last one). */
	char name[SCMI_MAX_STR_SIZE];
	uint32_t attributes_low;  /**< raw descriptor words */
	uint32_t attributes_high; /**< raw descriptor words */
};

/** A sensor as discovered (owned by the handle, valid until scmi_close()). */
struct scmi_sensor_info {
	uint32_t id; /**< sensor id */
	/**
	 * false: libscmi disabled the sensor at discovery: the platform did
	 * not describe it in DESCRIPTION_GET (the list ended, or turned
	 * malformed, before it), described it twice, as a multi-axis sensor
	 * without axes, or refused (any status: NOT_SUPPORTED, DENIED ...) or
	 * malformed its axis descriptions (the log says which).
	 * Only @p id and what a descriptor said are set; it has no axes and no
	 * intervals; every op on it but info_get() returns -EPROTO without
	 * sending, and its events cannot be enabled and are dropped.  The
	 * other sensors are not affected.
	 */
	bool usable;
	/** NUL-terminated; extended (SENSOR_NAME_GET, Sensor >= 3.0) when the
	 *  sensor has one and the command worked, else the short name (at
	 *  most 15 characters). */
	char name[SCMI_MAX_STR_SIZE];
	uint8_t type; /**< enum scmi_sensor_unit */
	int8_t scale; /**< unit exponent: physical = value x 10^scale */
	/** Trip points the sensor has (ids 0..num_trip_points-1). */
	uint8_t num_trip_points;
	bool async;		/**< READING_GET may complete by delayed response */
	bool continuous_update; /**< SENSOR_UPDATE events available (>= 2.0) */
	bool timestamped;	/**< readings can carry timestamps (>= 2.0) */
	/** Timestamp exponent: seconds = timestamp x 10^tstamp_scale. */
	int8_t tstamp_scale;
	/** The descriptor carried extended attributes (>= 2.0): @p sensor_power,
	 *  and for scalar sensors @p resolution, @p min_range and @p max_range. */
	bool extended_attrs;
	/** Whether @p resolution / @p min_range / @p max_range are valid (extended
	 *  attributes of a scalar sensor). */
	bool extended_scalar_attrs;
	uint32_t sensor_power;			  /**< µW */
	struct scmi_sensor_resolution resolution; /**< smallest step */
	int64_t min_range;			  /**< in units of 10^scale */
	int64_t max_range;			  /**< in units of 10^scale */
	/** 0 for a scalar sensor (one reading); else the axes, one reading
	 *  each, in @p axes[0..num_axes-1]. */
	unsigned int num_axes;
	const struct scmi_sensor_axis_info *axes; /**< num_axes entries */
	/** Supported update intervals.  Sensor 1.0: the one fixed interval of
	 *  the descriptor (count 1, or 0 when it says 0 seconds). */
	struct scmi_sensor_intervals intervals;
	uint32_t attributes_low;  /**< raw descriptor words */
	uint32_t attributes_high; /**< raw descriptor words */
};

/** What PROTOCOL_ATTRIBUTES reported. */
struct scmi_sensor_protocol_info {
	uint32_t version;	  /**< version in use (negotiated) */
	unsigned int num_sensors; /**< ids 0..num_sensors-1 */
	/** Asynchronous READING_GETs the platform accepts at once; libscmi
	 *  never has more in flight (0: none at all). */
	unsigned int max_pending_async;
	uint64_t reg_addr; /**< sensor shared-memory region (0: none) */
	uint32_t reg_len;  /**< its length in bytes */
};

/** One reading: a scalar sensor's value or one axis's. */
struct scmi_sensor_reading {
	int64_t value; /**< in units of 10^scale of the sensor (axis) */
	/** In units of 10^tstamp_scale seconds; 0 on Sensor 1.0, and when the
	 *  platform does not timestamp (see scmi_sensor_config). */
	uint64_t timestamp;
};

/** How reading_read() reads. */
enum scmi_sensor_read_mode {
	/** Asynchronously when the sensor supports it, fewer than
	 *  max_pending_async reads are in flight and the transport has a P2A
	 *  channel (for the delayed response), else synchronously. */
	SCMI_SENSOR_READ_AUTO = 0,
	SCMI_SENSOR_READ_SYNC = 1,
	/** Asynchronously, or fail: -EOPNOTSUPP if the sensor (or platform,
	 *  or a transport without a P2A channel) cannot, -EBUSY if
	 *  max_pending_async reads are in flight. */
	SCMI_SENSOR_READ_ASYNC = 2,
};

/** Interval rounding of CONFIG_SET (sensor_config b[10:9]). */
enum scmi_sensor_rounding {
	SCMI_SENSOR_ROUND_DOWN = 0,
	SCMI_SENSOR_ROUND_UP = 1,
	SCMI_SENSOR_ROUND_AUTO = 2,
};

/** A sensor's configuration (CONFIG_GET / CONFIG_SET, Sensor >= 2.0). */
struct scmi_sensor_config {
	bool enabled;	   /**< the sensor is enabled */
	bool timestamping; /**< readings carry timestamps */
	/** Set: how the platform rounds @p interval to one it supports.  Get:
	 *  what the platform reported in those bits (normally 0). */
	enum scmi_sensor_rounding rounding;
	struct scmi_sensor_interval interval; /**< the update interval */
};

/** Trip point modes (event_control b[1:0] of TRIP_POINT_CONFIG). */
enum scmi_sensor_trip_mode {
	SCMI_SENSOR_TRIP_DISABLED = 0,
	SCMI_SENSOR_TRIP_UP = 1,   /**< on an upward crossing */
	SCMI_SENSOR_TRIP_DOWN = 2, /**< on a downward crossing */
	SCMI_SENSOR_TRIP_BOTH = 3,
};

/**
 * Sensor protocol operations, reachable as handle->sensor_ops (NULL when
 * the platform lacks the protocol).  Every op may be called from any
 * thread, including notification callbacks, and returns 0 or a negative
 * errno; returned pointers point into the handle's cache and stay valid
 * until scmi_close().
 */
struct scmi_sensor_ops {
	/**
	 * Number of sensors, or a negative errno (bring-up failed).
	 *
	 * @param h the handle.
	 * @return the number of sensors, or a negative errno (the bring-up
	 *	failed).
	 */
	int (*count_get)(const struct scmi_handle *h);
	/**
	 * What PROTOCOL_ATTRIBUTES reported.  *@p info points into the cache,
	 * valid until scmi_close().  0, -EINVAL (@p info NULL), or the bring-up
	 * error.
	 *
	 * @param h the handle.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*protocol_info_get)(const struct scmi_handle *h,
				 const struct scmi_sensor_protocol_info **info);
	/**
	 * Everything discovered about sensor @p sensor_id.  *@p info points into
	 * the cache (immutable, valid until scmi_close()); for a sensor
	 * disabled at discovery too (check ->usable).  -EINVAL for an id not
	 * below the count, or a NULL @p info.
	 *
	 * @param h the handle.
	 * @param sensor_id the sensor id.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*info_get)(const struct scmi_handle *h, uint32_t sensor_id,
			const struct scmi_sensor_info **info);
	/**
	 * Read a sensor's value (for a multi-axis sensor: axis 0), as
	 * reading_read(SCMI_SENSOR_READ_AUTO).  0 and *@p value, -EINVAL (unknown
	 * id, NULL @p value), or the error of the command (-EACCES when the
	 * platform refuses, e.g. a disabled sensor; -ETIMEDOUT...).
	 *
	 * @param h the handle.
	 * @param sensor_id the sensor id.
	 * @param[out] value the value, in units of 10^scale.
	 * @return 0 or a negative errno (above).
	 */
	int (*reading_get)(const struct scmi_handle *h, uint32_t sensor_id, int64_t *value);
	/**
	 * Read every reading of a sensor (one per axis, one for a scalar
	 * sensor) with timestamps, as reading_read(SCMI_SENSOR_READ_AUTO).
	 * @p count: room in @p readings; it must hold them all (-EINVAL
	 * otherwise).  Returns the number of readings stored or a negative
	 * errno.
	 *
	 * @param h the handle.
	 * @param sensor_id the sensor id.
	 * @param count room in @p readings.
	 * @param[out] readings the caller's array.
	 * @return the number of readings stored, or a negative errno.
	 */
	int (*reading_get_timestamped)(const struct scmi_handle *h, uint32_t sensor_id,
				       unsigned int count, struct scmi_sensor_reading *readings);
	/**
	 * READING_GET with an explicit @p mode (see enum scmi_sensor_read_mode).
	 * An asynchronous read waits for the delayed response (the handle's
	 * dresp_timeout_ms) and checks its sensor id and length.  Returns the
	 * number of readings stored in @p readings (@p count must hold them), or
	 * -EINVAL, -EOPNOTSUPP, -EBUSY (local, nothing sent), -EPROTO
	 * (malformed reply), or the platform's error.
	 *
	 * @param h the handle.
	 * @param sensor_id the sensor id.
	 * @param mode enum scmi_sensor_read_mode.
	 * @param count room in @p readings.
	 * @param[out] readings the caller's array.
	 * @return the number of readings stored, or a negative errno (above).
	 */
	int (*reading_read)(const struct scmi_handle *h, uint32_t sensor_id,
			    enum scmi_sensor_read_mode mode, unsigned int count,
			    struct scmi_sensor_reading *readings);
	/**
	 * CONFIG_GET (Sensor >= 2.0 platforms that implement it, else
	 * -EOPNOTSUPP, nothing sent).  0 and *@p cfg, or
	 * -EINVAL (unknown id, NULL @p cfg), or the platform's error.
	 *
	 * @param h the handle.
	 * @param sensor_id the sensor id.
	 * @param[out] cfg the caller's struct, filled on success.
	 * @return 0 or a negative errno (above).
	 */
	int (*config_get)(const struct scmi_handle *h, uint32_t sensor_id,
			  struct scmi_sensor_config *cfg);
	/**
	 * CONFIG_SET (as CONFIG_GET: -EOPNOTSUPP without it): enable/disable the
	 * sensor, its timestamps, and pick its update interval (the platform
	 * rounds it as @p cfg->rounding says; -ERANGE when it cannot).
	 * Refused locally: unknown id, NULL @p cfg, rounding > 2, exponent
	 * outside -16..15 (-EINVAL); timestamping on a sensor without
	 * timestamps (-EOPNOTSUPP).  Note: asking 0 seconds is passed on
	 * as is; what the platform makes of it is not in the digest.
	 *
	 * @param h the handle.
	 * @param sensor_id the sensor id.
	 * @param cfg the configuration; not kept (read before the call
	 *	returns, also under SCMI_ASYNC()).
	 * @return 0 or a negative errno (above).
	 */
	int (*config_set)(const struct scmi_handle *h, uint32_t sensor_id,
			  const struct scmi_sensor_config *cfg);
	/**
	 * TRIP_POINT_CONFIG: arm trip point @p trip_id of the sensor at
	 * @p value (units of 10^scale) for crossings in @p mode, or disarm it
	 * (SCMI_SENSOR_TRIP_DISABLED).  Events arrive as
	 * SCMI_EVENT_SENSOR_TRIP_POINT_EVENT to listeners of the sensor.
	 * -EOPNOTSUPP if the sensor has no trip points; -EINVAL for an
	 * unknown sensor, @p trip_id >= num_trip_points, or a bad @p mode.
	 *
	 * @param h the handle.
	 * @param sensor_id the sensor id.
	 * @param trip_id the trip point.
	 * @param mode enum scmi_sensor_trip_mode.
	 * @param value the threshold, in units of 10^scale.
	 * @return 0 or a negative errno (above).
	 */
	int (*trip_point_config)(const struct scmi_handle *h, uint32_t sensor_id, uint32_t trip_id,
				 enum scmi_sensor_trip_mode mode, int64_t value);
};

/* ---- notifications ---------------------------------------------------- */

/** Sensor event ids (spec §6.6); the source is the sensor id. */
enum scmi_sensor_events {
	/** A trip point was crossed (enable: TRIP_POINT_NOTIFY; sensors with
	 *  trip points only); delivers struct scmi_sensor_trip_point_report. */
	SCMI_EVENT_SENSOR_TRIP_POINT_EVENT = 0x0,
	/** A new sample (enable: CONTINUOUS_UPDATE_NOTIFY; sensors with
	 *  continuous_update, Sensor >= 2.0); delivers struct
	 *  scmi_sensor_update_report. */
	SCMI_EVENT_SENSOR_UPDATE = 0x1,
};

/** Report of SCMI_EVENT_SENSOR_TRIP_POINT_EVENT. */
struct scmi_sensor_trip_point_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent that caused it (0: the platform) */
	uint32_t sensor_id;
	uint32_t trip_point_id;
	/** Direction bit (trip_point_desc b16): crossed upward.  Its meaning
	 *  comes from SCP's behaviour and is unverified against the spec. */
	bool upward;
	uint32_t trip_point_desc; /**< the raw word */
};

/** Report of SCMI_EVENT_SENSOR_UPDATE. */
struct scmi_sensor_update_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;
	uint32_t sensor_id;
	/** Entries in @p readings: the sensor's axes, or 1 for a scalar. */
	unsigned int readings_count;
	struct scmi_sensor_reading readings[];
};

/* ---- helpers (no handle needed; thread-safe) ---------------------------- */

/**
 * Unit symbol of a sensor type code.
 *
 * @param type a sensor type code (enum scmi_sensor_unit).
 * @return "°C", "V", "m/s²" ... (UTF-8), "OEM" for 0xFF, "reserved" for
 *	codes the spec does not define: a static string.
 */
SCMI_EXPORT const char *scmi_sensor_unit_name(uint8_t type);

/**
 * A scaled value as a double.
 *
 * @param value the raw value.
 * @param scale its decimal exponent.
 * @return @p value x 10^@p scale (approximate for large magnitudes).
 */
SCMI_EXPORT double scmi_sensor_value_scale(int64_t value, int8_t scale);

/**
 * Write @p value x 10^@p scale as an exact decimal ("-12.345", "4500").
 *
 * @param[out] buf the caller's buffer, always NUL-terminated.
 * @param size its size in bytes.
 * @param value the raw value.
 * @param scale its decimal exponent (-32..32).
 * @return the length the full text has (as snprintf), or -EINVAL for a
 *	NULL @p buf, a zero @p size or a @p scale outside -32..32.
 */
SCMI_EXPORT int scmi_sensor_format_value(char *buf, size_t size, int64_t value, int8_t scale);

/**
 * An interval in seconds as a double.
 *
 * @param interval the interval.
 * @return its value in seconds.
 */
SCMI_EXPORT double scmi_sensor_interval_seconds(struct scmi_sensor_interval interval);

/**
 * An interval in nanoseconds.
 *
 * @param interval the interval.
 * @return its value in ns (truncated below 1 ns; UINT64_MAX when it does
 *	not fit).
 */
SCMI_EXPORT uint64_t scmi_sensor_interval_ns(struct scmi_sensor_interval interval);

/**
 * A reading's timestamp in nanoseconds.
 *
 * @param timestamp the reading's timestamp.
 * @param tstamp_scale the sensor's timestamp exponent (seconds x
 *	10^tstamp_scale per unit).
 * @return @p timestamp in ns (truncated below 1 ns; UINT64_MAX when it does
 *	not fit).
 */
SCMI_EXPORT uint64_t scmi_sensor_timestamp_ns(uint64_t timestamp, int8_t tstamp_scale);

/*
 * Members of the report structs documented here rather than in the structs
 * (keeps their bodies minimal).
 */
/** @var scmi_sensor_trip_point_report::sensor_id
 *  The sensor (the event's source). */
/** @var scmi_sensor_trip_point_report::trip_point_id
 *  The trip point that was crossed. */
/** @var scmi_sensor_update_report::agent_id
 *  Agent that caused it (0: the platform). */
/** @var scmi_sensor_update_report::sensor_id
 *  The sensor (the event's source). */
/** @var scmi_sensor_update_report::readings
 *  The new sample: readings_count readings, one per axis. */

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_SENSOR_H */

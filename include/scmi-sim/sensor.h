/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's sensor model (see scmi-sim/sim.h).
 *
 * The model is a platform with ten sensors: temperatures, voltage, power,
 * current, a 3-axis accelerometer and a 3-axis gyroscope, a fan, a light
 * sensor and an event counter, whose attributes exercise every descriptor
 * flag both ways.  Values follow a slow triangle wave around a base value
 * ("live") until a test pins them with scmi_sim_sensor_value_set().
 *
 * What these functions report is what the platform presents at the version
 * in use: e.g. at Sensor 1.0 the multi-axis sensors look scalar (axis 0),
 * and before 3.0 names are cut to their first 15 characters.
 *
 * Every function takes the simulator's lock; all return 0 (or a count) or
 * a negative errno: -EINVAL for a NULL argument or an unknown sensor,
 * axis or trip point, -ENOENT when the sensor protocol is not modelled.
 */
#ifndef SCMI_SIM_SENSOR_H
#define SCMI_SIM_SENSOR_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of the name buffers (63 characters and the NUL). */
#define SCMI_SIM_SENSOR_NAME_MAX 64
/** Most axes of a sensor of the model. */
#define SCMI_SIM_SENSOR_MAX_AXES 3
/** Most update intervals a sensor of the model lists. */
#define SCMI_SIM_SENSOR_MAX_INTERVALS 64

/** seconds x 10^exponent seconds. */
struct scmi_sim_sensor_interval {
	uint16_t seconds; /**< mantissa */
	int8_t exponent;  /**< decimal exponent */
};

/** A sensor as the platform presents it at the version in use. */
struct scmi_sim_sensor_info {
	uint32_t id;			     /**< sensor id */
	char name[SCMI_SIM_SENSOR_NAME_MAX]; /**< as an agent should show it */
	bool ext_name;			     /**< SENSOR_NAME_GET answers (3.0+) */
	uint8_t type;			     /**< unit code */
	int8_t scale;			     /**< unit exponent */
	unsigned int num_trip_points;	     /**< trip points */
	bool async;			     /**< asynchronous reads supported */
	bool continuous_update;		     /**< SENSOR_UPDATE supported */
	bool timestamped;		     /**< readings can carry timestamps */
	int8_t timestamp_scale;		     /**< timestamp exponent */
	bool extended_attrs;		     /**< extended attributes present */
	uint32_t power_uw;		     /**< power drawn, µW */
	uint32_t resolution;		     /**< valid with extended_attrs on a scalar sensor */
	int8_t resolution_scale;	     /**< exponent of the resolution */
	int64_t min_range;		     /**< lowest value */
	int64_t max_range;		     /**< highest value */
	unsigned int num_axes;		     /**< 0: scalar */
	bool intervals_segmented;	     /**< intervals[] is {low, high, step} */
	unsigned int num_intervals;	     /**< entries used in intervals[] */
	/** Update intervals. */
	struct scmi_sim_sensor_interval intervals[SCMI_SIM_SENSOR_MAX_INTERVALS];
};

/** One axis of a multi-axis sensor. */
struct scmi_sim_sensor_axis {
	char name[SCMI_SIM_SENSOR_NAME_MAX]; /**< as an agent should show it */
	bool ext_name;			     /**< AXIS_NAME_GET needed (3.0+) */
	uint8_t type;			     /**< unit code */
	int8_t scale;			     /**< unit exponent */
	bool extended_attrs;		     /**< extended attributes present */
	uint32_t resolution;		     /**< resolution (extended_attrs) */
	int8_t resolution_scale;	     /**< its exponent */
	int64_t min_range;		     /**< lowest value */
	int64_t max_range;		     /**< highest value */
};

/** A sensor's configuration (what CONFIG_GET answers). */
struct scmi_sim_sensor_config {
	bool enabled;				  /**< the sensor is enabled */
	bool timestamping;			  /**< readings carry timestamps */
	struct scmi_sim_sensor_interval interval; /**< update interval */
};

/** Platform-side counters since creation. */
struct scmi_sim_sensor_stats {
	uint64_t sync_reads;  /**< synchronous READING_GETs answered */
	uint64_t async_reads; /**< asynchronous READING_GETs accepted */
	uint64_t busy;	      /**< async reads refused: max pending reached */
	uint64_t trip_events; /**< TRIP_POINT_EVENTs sent */
	uint64_t updates;     /**< SENSOR_UPDATEs sent */
};

/**
 * Number of sensors (>= 0).
 *
 * @param sim the simulator.
 * @return the number of sensors, or a negative errno.
 */
SCMI_EXPORT int scmi_sim_sensor_count(struct scmi_sim *sim);
/**
 * The sensor's description at the version in use.
 *
 * @param sim the simulator.
 * @param id the sensor id.
 * @param[out] info receives a copy.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_info_get(struct scmi_sim *sim, uint32_t id,
					 struct scmi_sim_sensor_info *info);
/**
 * Axis @p axis of a multi-axis sensor (2.0+).
 *
 * @param sim the simulator.
 * @param id the sensor id.
 * @param axis the axis.
 * @param[out] out receives a copy.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_axis_get(struct scmi_sim *sim, uint32_t id, uint32_t axis,
					 struct scmi_sim_sensor_axis *out);
/**
 * The sensor's configuration (what CONFIG_GET answers).
 *
 * @param sim the simulator.
 * @param id the sensor id.
 * @param[out] cfg receives a copy.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_config_get(struct scmi_sim *sim, uint32_t id,
					   struct scmi_sim_sensor_config *cfg);
/**
 * The platform measures new values: @p n values (one per axis, 1 for a scalar
 * sensor or at Sensor 1.0, where axis 0 is set) pin the sensor at them.
 * An enabled sensor then raises TRIP_POINT_EVENT for each armed trip point
 * crossed (agent id 0) and SENSOR_UPDATE, each only if the agent enabled
 * it.  Returns the number of notifications sent, or -EINVAL (also for a
 * wrong @p n).
 *
 * @param sim the simulator.
 * @param id the sensor id.
 * @param values the values (one per axis).
 * @param n their number.
 * @return the number of notifications sent, or a negative errno.
 */
SCMI_EXPORT int scmi_sim_sensor_value_set(struct scmi_sim *sim, uint32_t id, const int64_t *values,
					  unsigned int n);
/**
 * Current values (@p n as for value_set).
 *
 * @param sim the simulator.
 * @param id the sensor id.
 * @param[out] values receives the values.
 * @param n their number.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_value_get(struct scmi_sim *sim, uint32_t id, int64_t *values,
					  unsigned int n);
/**
 * Let the values follow their wave again (true) or freeze them where
 * they are (false).
 *
 * @param sim the simulator.
 * @param id the sensor id.
 * @param live follow the wave (else freeze).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_live_set(struct scmi_sim *sim, uint32_t id, bool live);
/**
 * Trip point @p trip as configured: mode (0 off, 1 up, 2 down, 3 both) and
 * threshold.
 *
 * @param sim the simulator.
 * @param id the sensor id.
 * @param trip the trip point.
 * @param[out] mode its mode.
 * @param[out] value its threshold.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_trip_get(struct scmi_sim *sim, uint32_t id, uint32_t trip,
					 uint8_t *mode, int64_t *value);
/**
 * Asynchronous reads: how many may be pending (1..255; what
 * PROTOCOL_ATTRIBUTES says from then on) and how late each delayed
 * response comes (µs).  Defaults 4 and 500.
 *
 * @param sim the simulator.
 * @param max_pending pending reads allowed (1..255).
 * @param delay_us delay of each delayed response, µs.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_async_set(struct scmi_sim *sim, unsigned int max_pending,
					  uint32_t delay_us);
/**
 * The two values above (either pointer may be NULL).  An async read holds
 * a pending slot until its delayed response is due (see "Time" in
 * <scmi-sim/sim.h>).  0, -EINVAL, -ENOENT.
 *
 * @param sim the simulator.
 * @param[out] max_pending pending reads allowed (may be NULL).
 * @param[out] delay_us the delay, µs (may be NULL).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_async_get(struct scmi_sim *sim, unsigned int *max_pending,
					  uint32_t *delay_us);
/**
 * Sensor shared-memory (statistics) region PROTOCOL_ATTRIBUTES advertises
 * (+8 address lo, +12 hi, +16 length; default none: all 0; contents are
 * not modelled).  Either pointer may be NULL.  0, -EINVAL, -ENOENT.
 *
 * @param sim the simulator.
 * @param[out] addr its address (may be NULL).
 * @param[out] len its length (may be NULL).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_stats_region_get(struct scmi_sim *sim, uint64_t *addr,
						 uint32_t *len);
/**
 * Advertise another region (@p len 0: none).
 *
 * @param sim the simulator.
 * @param addr its address.
 * @param len its length (0: none).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_stats_region_set(struct scmi_sim *sim, uint64_t addr, uint32_t len);
/**
 * Copy the model's counters.
 *
 * @param sim the simulator.
 * @param[out] st receives the counters.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL argument, unknown sensor, axis or trip point), -ENOENT (the
 *	protocol is not modelled).
 */
SCMI_EXPORT int scmi_sim_sensor_stats_get(struct scmi_sim *sim, struct scmi_sim_sensor_stats *st);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_SENSOR_H */

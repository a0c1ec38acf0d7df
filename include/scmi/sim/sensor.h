/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's sensor model (see scmi/sim.h).
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

#include <scmi/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCMI_SIM_SENSOR_NAME_MAX      64
#define SCMI_SIM_SENSOR_MAX_AXES      3
#define SCMI_SIM_SENSOR_MAX_INTERVALS 64

/** seconds x 10^exponent seconds. */
struct scmi_sim_sensor_interval {
	uint16_t seconds;
	int8_t exponent;
};

struct scmi_sim_sensor_info {
	uint32_t id;
	char name[SCMI_SIM_SENSOR_NAME_MAX]; /**< as an agent should show it */
	bool ext_name;			     /**< SENSOR_NAME_GET answers (3.0+) */
	uint8_t type;			     /**< unit code */
	int8_t scale;			     /**< unit exponent */
	unsigned int num_trip_points;
	bool async;
	bool continuous_update;
	bool timestamped;
	int8_t timestamp_scale;
	bool extended_attrs;
	uint32_t power_uw;
	uint32_t resolution; /**< valid with extended_attrs on a scalar sensor */
	int8_t resolution_scale;
	int64_t min_range;
	int64_t max_range;
	unsigned int num_axes; /**< 0: scalar */
	bool intervals_segmented;
	unsigned int num_intervals;
	struct scmi_sim_sensor_interval intervals[SCMI_SIM_SENSOR_MAX_INTERVALS];
};

struct scmi_sim_sensor_axis {
	char name[SCMI_SIM_SENSOR_NAME_MAX];
	bool ext_name; /**< AXIS_NAME_GET needed (3.0+) */
	uint8_t type;
	int8_t scale;
	bool extended_attrs;
	uint32_t resolution;
	int8_t resolution_scale;
	int64_t min_range;
	int64_t max_range;
};

struct scmi_sim_sensor_config {
	bool enabled;
	bool timestamping;
	struct scmi_sim_sensor_interval interval;
};

/** Platform-side counters since creation. */
struct scmi_sim_sensor_stats {
	uint64_t sync_reads;
	uint64_t async_reads;
	uint64_t busy;	      /**< async reads refused: max pending reached */
	uint64_t trip_events; /**< TRIP_POINT_EVENTs sent */
	uint64_t updates;     /**< SENSOR_UPDATEs sent */
};

/** Number of sensors (>= 0). */
SCMI_EXPORT int scmi_sim_sensor_count(struct scmi_sim *sim);
/** The sensor's description at the version in use. */
SCMI_EXPORT int scmi_sim_sensor_info_get(struct scmi_sim *sim, uint32_t id,
					 struct scmi_sim_sensor_info *info);
/** Axis @p axis of a multi-axis sensor (2.0+). */
SCMI_EXPORT int scmi_sim_sensor_axis_get(struct scmi_sim *sim, uint32_t id, uint32_t axis,
					 struct scmi_sim_sensor_axis *out);
/** The sensor's configuration (what CONFIG_GET answers). */
SCMI_EXPORT int scmi_sim_sensor_config_get(struct scmi_sim *sim, uint32_t id,
					   struct scmi_sim_sensor_config *cfg);
/**
 * The platform measures new values: @p n values (one per axis, 1 for a scalar
 * sensor or at Sensor 1.0, where axis 0 is set) pin the sensor at them.
 * An enabled sensor then raises TRIP_POINT_EVENT for each armed trip point
 * crossed (agent id 0) and SENSOR_UPDATE, each only if the agent enabled
 * it.  Returns the number of notifications sent, or -EINVAL (also for a
 * wrong @p n).
 */
SCMI_EXPORT int scmi_sim_sensor_value_set(struct scmi_sim *sim, uint32_t id, const int64_t *values,
					  unsigned int n);
/** Current values (@p n as for value_set). */
SCMI_EXPORT int scmi_sim_sensor_value_get(struct scmi_sim *sim, uint32_t id, int64_t *values,
					  unsigned int n);
/** Let the values follow their wave again (true) or freeze them where
 *  they are (false). */
SCMI_EXPORT int scmi_sim_sensor_live_set(struct scmi_sim *sim, uint32_t id, bool live);
/** Trip point @p trip as configured: mode (0 off, 1 up, 2 down, 3 both) and
 *  threshold. */
SCMI_EXPORT int scmi_sim_sensor_trip_get(struct scmi_sim *sim, uint32_t id, uint32_t trip,
					 uint8_t *mode, int64_t *value);
/** Asynchronous reads: how many may be pending (1..255; what
 *  PROTOCOL_ATTRIBUTES says from then on) and how late each delayed
 *  response comes (µs).  Defaults 4 and 500. */
SCMI_EXPORT int scmi_sim_sensor_async_set(struct scmi_sim *sim, unsigned int max_pending,
					  uint32_t delay_us);
/** The two values above (either pointer may be NULL).  An async read holds
 *  a pending slot until its delayed response is due (see "Time" in
 *  <scmi/sim.h>).  0, -EINVAL, -ENOENT. */
SCMI_EXPORT int scmi_sim_sensor_async_get(struct scmi_sim *sim, unsigned int *max_pending,
					  uint32_t *delay_us);
/** Sensor shared-memory (statistics) region PROTOCOL_ATTRIBUTES advertises
 *  (+8 address lo, +12 hi, +16 length; default none: all 0; contents are
 *  not modelled).  Either pointer may be NULL.  0, -EINVAL, -ENOENT. */
SCMI_EXPORT int scmi_sim_sensor_stats_region_get(struct scmi_sim *sim, uint64_t *addr,
						 uint32_t *len);
/** Advertise another region (@p len 0: none). */
SCMI_EXPORT int scmi_sim_sensor_stats_region_set(struct scmi_sim *sim, uint64_t addr, uint32_t len);
SCMI_EXPORT int scmi_sim_sensor_stats_get(struct scmi_sim *sim, struct scmi_sim_sensor_stats *st);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_SENSOR_H */

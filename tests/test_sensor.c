// SPDX-License-Identifier: BSD-3-Clause
/*
 * Sensor protocol against the simulator: discovery equals the model at
 * every version (1.0 in the scmi-2.0 profile, 2.0, 3.0, 3.1 in the newest
 * one), multi-part walks, readings sync and async, configuration, trip
 * points, both notifications on and off, local validation, platform
 * errors, and malformed replies and events -- the last from a misbehaving
 * sensor model registered through the simulator's internal registry.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>

#include "helpers.h"

#include "../sim/sim-internal.h"

#define SENSOR	    0x15
#define EVT_TRIP    SCMI_EVENT_SENSOR_TRIP_POINT_EVENT
#define EVT_UPDATE  SCMI_EVENT_SENSOR_UPDATE
#define URI_NEWEST  "loopback://"
#define URI_SCMI20  "loopback://?profile=scmi-2.0"
#define URI_V20	    "loopback://?versions=sensor:2.0"
#define URI_V30	    "loopback://?versions=sensor:3.0"
#define NUM_SENSORS 10

/* Sensors of the default model with the properties the tests need. */
#define S_CPU_TEMP 0 /* async, updates, timestamps, 4 trips, segmented, long name */
#define S_SOC_TEMP 1 /* sync only, no updates, 2 trips, list of 3 */
#define S_POWER	   3 /* async, no updates, segmented 5 ms..5 s */
#define S_BATTERY  4 /* updates, ms timestamps, negative values */
#define S_ACCEL	   5 /* 3 axes with long names and extended attributes */
#define S_GYRO	   6 /* 3 axes, short names, 28-byte axis descriptors */
#define S_LIGHT	   8 /* 36 update intervals: more than one message */
#define S_COUNTER  9 /* no update intervals */

static const struct scmi_sensor_ops *ops(const struct scmi_handle *h)
{
	cr_assert_not_null(h->sensor_ops);
	return h->sensor_ops;
}

static uint64_t sim_requests(const struct scmi_handle *h)
{
	return test_requests(h);
}

static struct scmi_sim_sensor_stats sim_sensor_stats(const struct scmi_handle *h)
{
	struct scmi_sim_sensor_stats st;

	cr_assert_eq(scmi_sim_sensor_stats_get(test_sim(h), &st), 0);
	return st;
}

/* Pin a scalar sensor's value on the platform. */
static int pin(const struct scmi_handle *h, uint32_t id, int64_t v)
{
	int ret;

	if (!test_on_loopback()) {
		char cmd[64];
		const char *r, *sent;

		snprintf(cmd, sizeof(cmd), "sensor %u %lld", id, (long long)v);
		r = test_control(h, cmd);
		sent = strstr(r, "sent=");
		cr_assert(!strncmp(r, "ok", 2) && sent, "%s: %s", cmd, r);
		return atoi(sent + 5);
	}
	ret = scmi_sim_sensor_value_set(test_sim(h), id, &v, 1);

	cr_assert_geq(ret, 0, "value_set(%u): %d", id, ret);
	return ret;
}

/* ---- discovery equals the model ------------------------------------------- */

static void check_intervals(const struct scmi_sensor_info *si,
			    const struct scmi_sim_sensor_info *mi)
{
	cr_assert_eq(si->intervals.segmented, mi->intervals_segmented, "sensor %u", si->id);
	cr_assert_eq(si->intervals.count, mi->num_intervals, "sensor %u", si->id);
	for (unsigned int i = 0; i < mi->num_intervals; i++) {
		cr_assert_eq(si->intervals.list[i].seconds, mi->intervals[i].seconds,
			     "sensor %u interval %u", si->id, i);
		cr_assert_eq(si->intervals.list[i].exponent, mi->intervals[i].exponent,
			     "sensor %u interval %u", si->id, i);
	}
}

static void check_axes(struct scmi_sim *sim, const struct scmi_sensor_info *si, bool names)
{
	for (unsigned int a = 0; a < si->num_axes; a++) {
		const struct scmi_sensor_axis_info *ax = &si->axes[a];
		struct scmi_sim_sensor_axis ma;

		cr_assert_eq(scmi_sim_sensor_axis_get(sim, si->id, a, &ma), 0);
		cr_assert_eq(ax->id, a);
		if (names)
			cr_assert_str_eq(ax->name, ma.name, "sensor %u axis %u", si->id, a);
		cr_assert_eq(ax->type, ma.type);
		cr_assert_eq(ax->scale, ma.scale);
		cr_assert_eq(ax->extended_attrs, ma.extended_attrs);
		cr_assert_eq(ax->resolution.value, ma.resolution);
		cr_assert_eq(ax->resolution.exponent, ma.resolution_scale);
		cr_assert_eq(ax->min_range, ma.min_range);
		cr_assert_eq(ax->max_range, ma.max_range);
	}
}

/* Discovery equals the model; @axis_names false when the agent could not
 * have fetched extended axis names (the model cannot know). */
static void check_discovery_opt(const struct scmi_handle *h, uint32_t version, bool axis_names)
{
	struct scmi_sim *sim = test_model(h);
	const struct scmi_sensor_protocol_info *pi;

	cr_assert_eq(ops(h)->count_get(h), scmi_sim_sensor_count(sim));
	cr_assert_eq(ops(h)->protocol_info_get(h, &pi), 0);
	cr_assert_eq(pi->version, version, "version 0x%x", pi->version);
	cr_assert_eq(pi->num_sensors, NUM_SENSORS);
	cr_assert_eq(pi->max_pending_async, 4);
	cr_assert_eq(pi->reg_addr, 0);
	cr_assert_eq(pi->reg_len, 0);
	for (uint32_t id = 0; id < NUM_SENSORS; id++) {
		const struct scmi_sensor_info *si;
		struct scmi_sim_sensor_info mi;

		cr_assert_eq(ops(h)->info_get(h, id, &si), 0);
		cr_assert_eq(scmi_sim_sensor_info_get(sim, id, &mi), 0);
		cr_assert_eq(si->id, id);
		cr_assert(si->usable, "sensor %u", id);
		cr_assert_str_eq(si->name, mi.name, "sensor %u", id);
		cr_assert_eq(si->type, mi.type, "sensor %u", id);
		cr_assert_eq(si->scale, mi.scale, "sensor %u", id);
		cr_assert_eq(si->num_trip_points, mi.num_trip_points, "sensor %u", id);
		cr_assert_eq(si->async, mi.async, "sensor %u", id);
		cr_assert_eq(si->continuous_update, mi.continuous_update, "sensor %u", id);
		cr_assert_eq(si->timestamped, mi.timestamped, "sensor %u", id);
		cr_assert_eq(si->tstamp_scale, mi.timestamp_scale, "sensor %u", id);
		cr_assert_eq(si->extended_attrs, mi.extended_attrs, "sensor %u", id);
		cr_assert_eq(si->sensor_power, mi.power_uw, "sensor %u", id);
		cr_assert_eq(si->extended_scalar_attrs, mi.extended_attrs && !mi.num_axes);
		cr_assert_eq(si->resolution.value, mi.resolution, "sensor %u", id);
		cr_assert_eq(si->resolution.exponent, mi.resolution_scale, "sensor %u", id);
		cr_assert_eq(si->min_range, mi.min_range, "sensor %u", id);
		cr_assert_eq(si->max_range, mi.max_range, "sensor %u", id);
		cr_assert_eq(si->num_axes, mi.num_axes, "sensor %u", id);
		cr_assert_eq(si->axes == NULL, mi.num_axes == 0);
		check_intervals(si, &mi);
		check_axes(sim, si, axis_names);
	}
}

static void check_discovery(const struct scmi_handle *h, uint32_t version)
{
	check_discovery_opt(h, version, true);
}

Test(sensor, discovery_newest)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_sensor_info *si;

	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	/* Spot checks of what the model is meant to exercise. */
	ops(h)->info_get(h, S_CPU_TEMP, &si);
	cr_assert_str_eq(si->name, "CPU Big Cluster Temperature", "SENSOR_NAME_GET used");
	cr_assert(si->extended_scalar_attrs);
	cr_assert_eq(si->min_range, -40000);
	cr_assert_eq(si->tstamp_scale, -6);
	cr_assert(si->intervals.segmented);
	cr_assert_eq(si->intervals.count, 3);
	ops(h)->info_get(h, S_ACCEL, &si);
	cr_assert_eq(si->num_axes, 3);
	cr_assert_str_eq(si->axes[1].name, "Accelerometer Y axis (longitudinal)");
	cr_assert(si->extended_attrs && !si->extended_scalar_attrs, "32-byte descriptor");
	cr_assert_eq(si->axes[2].type, SCMI_SENSOR_UNIT_METERS_SEC_SQUARED);
	ops(h)->info_get(h, S_GYRO, &si);
	cr_assert_str_eq(si->axes[0].name, "Gyro X");
	cr_assert_not(si->axes[0].extended_attrs, "28-byte axis descriptor");
	ops(h)->info_get(h, S_LIGHT, &si);
	cr_assert_eq(si->intervals.count, 36);
	cr_assert_eq(si->intervals.list[35].seconds, 900);
	ops(h)->info_get(h, S_COUNTER, &si);
	cr_assert_eq(si->intervals.count, 0, "platform refused LIST_UPDATE_INTERVALS");
	cr_assert_null(si->intervals.list);
	scmi_close(h);
}

Test(sensor, discovery_v30)
{
	struct scmi_handle *h = test_open(URI_V30, NULL);

	check_discovery(h, SCMI_PROTO_VERSION(3, 0));
	scmi_close(h);
}

Test(sensor, discovery_v20_short_names)
{
	struct scmi_handle *h = test_open(URI_V20, NULL);
	const struct scmi_sensor_info *si;

	check_discovery(h, SCMI_PROTO_VERSION(2, 0));
	ops(h)->info_get(h, S_CPU_TEMP, &si);
	/* A 16-byte field without NUL: at most 15 characters kept (§5). */
	cr_assert_str_eq(si->name, "CPU Big Cluster", "%s", si->name);
	ops(h)->info_get(h, S_ACCEL, &si);
	cr_assert_str_eq(si->axes[0].name, "Accelerometer X", "%s", si->axes[0].name);
	scmi_close(h);
}

Test(sensor, discovery_scmi20_profile_v10)
{
	struct scmi_handle *h = test_open(URI_SCMI20, NULL);
	const struct scmi_sensor_info *si;

	check_discovery(h, SCMI_PROTO_VERSION(1, 0));
	/* 1.0: the interval lives in the descriptor; no axes, no extras. */
	ops(h)->info_get(h, S_CPU_TEMP, &si);
	cr_assert_eq(si->intervals.count, 1);
	cr_assert_eq(si->intervals.list[0].seconds, 1);
	cr_assert_eq(si->intervals.list[0].exponent, -1);
	cr_assert_not(si->continuous_update || si->timestamped || si->extended_attrs);
	ops(h)->info_get(h, S_ACCEL, &si);
	cr_assert_eq(si->num_axes, 0);
	scmi_close(h);
}

Test(sensor, negotiation_with_newer_platform)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://?versions=sensor:3.2", &cfg);
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	cr_assert(test_log_contains(&lg, "sensor: negotiated version 0x30001"), "%s", lg.text);
	scmi_close(h);
}

/* Discovery runs once, at first use; then nothing is sent for it. */
Test(sensor, discovery_cached)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_sensor_info *a, *b;
	uint64_t before;

	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	before = sim_requests(h);
	cr_assert_eq(ops(h)->info_get(h, 2, &a), 0);
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	cr_assert_eq(ops(h)->info_get(h, 2, &b), 0);
	cr_assert_eq(a, b, "a pointer into the cache");
	cr_assert_eq(sim_requests(h), before);
	scmi_close(h);
}

/* ---- multi-part walks ------------------------------------------------------- */

/* Replies to @msg while the knob is armed: a zero DELAY knob counts them. */
static void count_msg(const struct scmi_handle *h, int msg)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DELAY, .every = 1, .protocol = SENSOR, .message = msg};

	test_fault_clear(h);
	cr_assert_eq(test_fault_add(h, &f), 0);
}

static uint64_t counted(const struct scmi_handle *h)
{
	return test_fault_hits(h, SCMI_SIM_FAULT_DELAY);
}

/* At the default 128-byte messages the walks span several replies. */
Test(sensor, multipart_default_message_size)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	uint8_t tx[8] = {0}, rx[128];
	uint64_t base;
	size_t len;

	/* DESCRIPTION_GET pages hold 2, 2, 4 and 2 descriptors (52/28/32 B). */
	count_msg(h, 0x3);
	base = counted(h);
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	cr_assert_eq(counted(h) - base, 4, "%llu", (unsigned long long)(counted(h) - base));
	/* The first page says so itself: 2 returned, 8 remaining. */
	cr_assert_eq(scmi_raw_command(h, SENSOR, 0x3, tx, 4, rx, sizeof(rx), &len), 0);
	cr_assert_eq(rx[0] | rx[1] << 8 | rx[2] << 16 | rx[3] << 24, 2 | 8 << 16);
	cr_assert_eq(len, 4 + 52 + 28);
	scmi_close(h);
}

Test(sensor, multipart_intervals_and_axis_names)
{
	struct scmi_handle *h;

	/* 36 intervals need two LIST_UPDATE_INTERVALS replies of sensor 8. */
	h = test_open(URI_NEWEST, NULL);
	count_msg(h, 0x8);
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	/* 9 sensors with intervals, one reply each except sensor 8 (two). */
	cr_assert_eq(counted(h), 10 + 1, "incl. sensor 9's refusal");
	scmi_close(h);

	/* AXIS_NAME_GET: one 68-byte entry per reply, three axes. */
	h = test_open(URI_NEWEST, NULL);
	count_msg(h, 0xD);
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	cr_assert_eq(counted(h), 3);
	scmi_close(h);
}

/* One entry per reply everywhere: every walk goes the long way. */
Test(sensor, multipart_one_entry_per_reply)
{
	struct scmi_handle *h = test_open("loopback://?max_list_items=1", NULL);
	uint64_t before = sim_requests(h);

	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	/*
	 * PROTOCOL_ATTRIBUTES 1 + PROTOCOL_MESSAGE_ATTRIBUTES 3 (probing
	 * CONFIG_GET, CONFIG_SET, CONTINUOUS_UPDATE_NOTIFY) + DESCRIPTION_GET 10 + NAME_GET 5
	 * (sensors 0, 2, 3, 5, 9) + AXIS_DESCRIPTION_GET 3 + 3 + AXIS_NAME_GET 3 +
	 * LIST_UPDATE_INTERVALS 3 + 3 + 3 + 7 + 1 + 36 (lists) + 3 (segments,
	 * one reply each whatever the cap) + 1 (sensor 9 refused) = 86.
	 */
	cr_assert_eq(sim_requests(h) - before, 86, "%llu",
		     (unsigned long long)(sim_requests(h) - before));
	scmi_close(h);

	h = test_open("loopback://?max_list_items=1&profile=scmi-2.0", NULL);
	check_discovery(h, SCMI_PROTO_VERSION(1, 0));
	scmi_close(h);
	h = test_open("loopback://?max_list_items=2&versions=sensor:2.0", NULL);
	check_discovery(h, SCMI_PROTO_VERSION(2, 0));
	scmi_close(h);
}

/* The smallest messages the simulator allows: one descriptor per reply. */
Test(sensor, multipart_small_messages)
{
	struct scmi_handle *h = test_open("loopback://?max_msg_size=68", NULL);
	const struct scmi_sensor_info *si;

	check_discovery_opt(h, SCMI_PROTO_VERSION(3, 1), false);
	/* A 68-byte axis name entry cannot fit: AXIS_NAME_GET fails and the
	 * short names stay (15 characters of a field without NUL, §5). */
	ops(h)->info_get(h, S_ACCEL, &si);
	cr_assert_str_eq(si->axes[0].name, "Accelerometer X");
	scmi_close(h);
}

/* ---- readings ---------------------------------------------------------------- */

static void readings_sync(const char *uri, bool v2)
{
	struct scmi_handle *h = test_open(uri, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	struct scmi_sim_sensor_stats before;
	int64_t v;

	pin(h, S_SOC_TEMP, -12345);
	before = sim_sensor_stats(h);
	cr_assert_eq(ops(h)->reading_get(h, S_SOC_TEMP, &v), 0);
	cr_assert_eq(v, -12345);
	cr_assert_eq(ops(h)->reading_read(h, S_SOC_TEMP, SCMI_SENSOR_READ_SYNC, 1, r), 1);
	cr_assert_eq(r[0].value, -12345);
	cr_assert_eq(r[0].timestamp, 0, "not timestamped");
	cr_assert_eq(sim_sensor_stats(h).sync_reads - before.sync_reads, 2);

	/* A value needing all 64 bits. */
	pin(h, S_CPU_TEMP, INT64_MIN + 7);
	cr_assert_eq(ops(h)->reading_read(h, S_CPU_TEMP, SCMI_SENSOR_READ_SYNC, 1, r), 1);
	cr_assert_eq(r[0].value, INT64_MIN + 7);
	if (v2)
		cr_assert_gt(r[0].timestamp, 0, "timestamped by default");

	/* The multi-axis sensor: one reading per axis (axis 0 at 1.0). */
	if (v2) {
		int64_t xyz[3] = {-100, 200, 9807};

		cr_assert_eq(scmi_sim_sensor_value_set(sim, S_ACCEL, xyz, 3), 0);
		cr_assert_eq(ops(h)->reading_read(h, S_ACCEL, SCMI_SENSOR_READ_SYNC, 3, r), 3);
		for (int a = 0; a < 3; a++) {
			cr_assert_eq(r[a].value, xyz[a]);
			cr_assert_gt(r[a].timestamp, 0);
		}
		cr_assert_eq(ops(h)->reading_get(h, S_ACCEL, &v), 0);
		cr_assert_eq(v, -100, "reading_get: axis 0");
	} else {
		int64_t x = 555;

		cr_assert_eq(scmi_sim_sensor_value_set(sim, S_ACCEL, &x, 1), 0);
		cr_assert_eq(ops(h)->reading_get_timestamped(h, S_ACCEL, 1, r), 1);
		cr_assert_eq(r[0].value, 555);
		cr_assert_eq(r[0].timestamp, 0, "1.0 has no timestamps");
	}
	scmi_close(h);
}

Test(sensor, readings_sync_newest)
{
	readings_sync(URI_NEWEST, true);
}

Test(sensor, readings_sync_v10)
{
	readings_sync(URI_SCMI20, false);
}

/* Timestamps advance, in the sensor's own unit. */
Test(sensor, reading_timestamps)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_sensor_info *si;
	struct scmi_sensor_reading a, b;
	uint64_t t0;

	cr_assert_eq(ops(h)->info_get(h, S_BATTERY, &si), 0);
	cr_assert_eq(si->tstamp_scale, -3, "milliseconds");
	cr_assert_eq(ops(h)->reading_read(h, S_BATTERY, SCMI_SENSOR_READ_SYNC, 1, &a), 1);
	t0 = test_now_ms(); /* after the first reading: a slow bring-up must not eat the gap */
	while (test_now_ms() < t0 + 20)
		test_sleep_ms(5);
	cr_assert_eq(ops(h)->reading_read(h, S_BATTERY, SCMI_SENSOR_READ_SYNC, 1, &b), 1);
	cr_assert_geq(b.timestamp - a.timestamp, 15);
	cr_assert_lt(b.timestamp - a.timestamp, 5000);
	cr_assert_geq(scmi_sensor_timestamp_ns(b.timestamp, si->tstamp_scale) -
			      scmi_sensor_timestamp_ns(a.timestamp, si->tstamp_scale),
		      15000000ull);
	scmi_close(h);
}

/* Live values change over time by themselves. */
Test(sensor, readings_change_over_time)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	int64_t first, v;
	bool changed = false;
	uint64_t end = test_now_ms() + 2000;

	cr_assert_eq(ops(h)->reading_get(h, 2, &first), 0);
	while (!changed && test_now_ms() < end) {
		test_sleep_ms(10);
		cr_assert_eq(ops(h)->reading_get(h, 2, &v), 0);
		changed = v != first;
		cr_assert(v >= 800000 && v <= 900000, "%lld", (long long)v);
	}
	cr_assert(changed);
	scmi_close(h);
}

static void readings_async(const char *uri, bool v2)
{
	struct scmi_handle *h = test_open(uri, NULL);
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	struct scmi_sim_sensor_stats before;
	struct scmi_stats st0, st1;
	int64_t v;

	pin(h, S_POWER, 23456);
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	before = sim_sensor_stats(h);
	scmi_stats_get(h, &st0);
	cr_assert_eq(ops(h)->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, r), 1);
	cr_assert_eq(r[0].value, 23456);
	/* AUTO reads async sensors asynchronously. */
	cr_assert_eq(ops(h)->reading_get(h, S_POWER, &v), 0);
	cr_assert_eq(v, 23456);
	scmi_stats_get(h, &st1);
	cr_assert_eq(st1.delayed_responses - st0.delayed_responses, 2);
	cr_assert_eq(sim_sensor_stats(h).async_reads - before.async_reads, 2);
	cr_assert_eq(sim_sensor_stats(h).sync_reads, before.sync_reads);
	/* SYNC on an async sensor is a plain read. */
	cr_assert_eq(ops(h)->reading_read(h, S_POWER, SCMI_SENSOR_READ_SYNC, 1, r), 1);
	cr_assert_eq(sim_sensor_stats(h).sync_reads - before.sync_reads, 1);
	if (v2) {
		int64_t xyz[3] = {1, -2, 3};

		cr_assert_eq(scmi_sim_sensor_value_set(test_sim(h), S_ACCEL, xyz, 3), 0);
		cr_assert_eq(ops(h)->reading_read(h, S_ACCEL, SCMI_SENSOR_READ_ASYNC, 3, r), 3);
		for (int a = 0; a < 3; a++)
			cr_assert_eq(r[a].value, xyz[a]);
		cr_assert_gt(r[2].timestamp, 0);
	}
	/* The delayed response overtaking the response changes nothing. */
	{
		struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_DRESP_FIRST,
					   .every = 1,
					   .protocol = SENSOR,
					   .message = 0x6};

		cr_assert_eq(test_fault_add(h, &f), 0);
		cr_assert_eq(ops(h)->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, r), 1);
		cr_assert_eq(r[0].value, 23456);
		test_fault_clear(h);
	}
	scmi_close(h);
}

Test(sensor, readings_async_newest)
{
	readings_async(URI_NEWEST, true);
}

Test(sensor, readings_async_v10)
{
	readings_async(URI_SCMI20, false);
}

/* A delayed response that never comes: -ETIMEDOUT, and the slot is back. */
Test(sensor, readings_async_timeout)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	struct scmi_sensor_reading r;
	struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_LATE_DRESP,
				   .every = 1,
				   .count = 4,
				   .protocol = SENSOR,
				   .message = 0x6,
				   .param = 400000};

	cfg.dresp_timeout_ms = 50;
	h = test_open(URI_NEWEST, &cfg);
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	cr_assert_eq(test_fault_add(h, &f), 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(ops(h)->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, &r),
			     -ETIMEDOUT);
	/* All four slots were released: an async read still goes out (the
	 * platform may answer BUSY while the late ones are pending). */
	cr_assert_neq(ops(h)->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, &r), -EBUSY);
	scmi_close(h);
}

struct reader {
	struct scmi_handle *h;
	enum scmi_sensor_read_mode mode;
	int ret;
	int64_t value;
};

static void *reader_run(void *arg)
{
	struct reader *rd = arg;
	struct scmi_sensor_reading r;

	rd->ret = rd->h->sensor_ops->reading_read(rd->h, S_CPU_TEMP, rd->mode, 1, &r);
	rd->value = r.value;
	return NULL;
}

static bool async_reads_reached(void *arg)
{
	const struct scmi_handle *h = arg;

	return sim_sensor_stats(h).async_reads >= 2;
}

/* max pending async reads: never exceeded; AUTO falls back to sync. */
Test(sensor, async_max_pending)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct scmi_sensor_reading r;
	const struct scmi_sensor_protocol_info *pi;
	struct reader rd[8];
	pthread_t th[8];
	uint64_t before;

	test_need_in_flight(3);
	/* Before bring-up: PROTOCOL_ATTRIBUTES will say 2. */
	cr_assert_eq(scmi_sim_sensor_async_set(sim, 2, 300000), 0);
	cr_assert_eq(ops(h)->protocol_info_get(h, &pi), 0);
	cr_assert_eq(pi->max_pending_async, 2);
	pin(h, S_CPU_TEMP, 777);

	/* Two async reads in flight: the third ASYNC is refused locally. */
	for (int i = 0; i < 2; i++) {
		rd[i] = (struct reader){.h = h, .mode = SCMI_SENSOR_READ_ASYNC};
		pthread_create(&th[i], NULL, reader_run, &rd[i]);
	}
	cr_assert(test_wait_until(async_reads_reached, h, 5000));
	before = sim_requests(h);
	cr_assert_eq(ops(h)->reading_read(h, S_CPU_TEMP, SCMI_SENSOR_READ_ASYNC, 1, &r), -EBUSY);
	cr_assert_eq(sim_requests(h), before, "nothing sent");
	/* AUTO goes synchronous meanwhile. */
	cr_assert_eq(ops(h)->reading_read(h, S_CPU_TEMP, SCMI_SENSOR_READ_AUTO, 1, &r), 1);
	cr_assert_eq(r.value, 777);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(rd[i].ret, 1);
		cr_assert_eq(rd[i].value, 777);
	}

	/* Eight concurrent AUTO readers: all succeed, the platform never has
	 * to refuse one. */
	cr_assert_eq(scmi_sim_sensor_async_set(sim, 2, 20000), 0);
	for (int i = 0; i < 8; i++) {
		rd[i] = (struct reader){.h = h, .mode = SCMI_SENSOR_READ_AUTO};
		pthread_create(&th[i], NULL, reader_run, &rd[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(rd[i].ret, 1, "reader %d: %d", i, rd[i].ret);
		cr_assert_eq(rd[i].value, 777);
	}
	cr_assert_eq(sim_sensor_stats(h).busy, 0);
	cr_assert_geq(sim_sensor_stats(h).sync_reads, 1);
	scmi_close(h);
}

/* ---- configuration ------------------------------------------------------------- */

static void check_config(const struct scmi_handle *h, uint32_t id, bool en, bool ts, uint16_t secs,
			 int8_t exp)
{
	struct scmi_sim_sensor_config mc;
	struct scmi_sensor_config c;

	cr_assert_eq(scmi_sim_sensor_config_get(test_sim(h), id, &mc), 0);
	cr_assert_eq(ops(h)->config_get(h, id, &c), 0);
	cr_assert_eq(c.enabled, mc.enabled);
	cr_assert_eq(c.timestamping, mc.timestamping);
	cr_assert_eq(c.interval.seconds, mc.interval.seconds);
	cr_assert_eq(c.interval.exponent, mc.interval.exponent);
	cr_assert_eq(c.enabled, en, "sensor %u", id);
	cr_assert_eq(c.timestamping, ts, "sensor %u", id);
	cr_assert_eq(c.interval.seconds, secs, "sensor %u: %u", id, c.interval.seconds);
	cr_assert_eq(c.interval.exponent, exp, "sensor %u: %d", id, c.interval.exponent);
}

static int cfg_set(const struct scmi_handle *h, uint32_t id, bool en, bool ts, uint16_t secs,
		   int8_t exp, enum scmi_sensor_rounding rnd)
{
	struct scmi_sensor_config c = {
		.enabled = en, .timestamping = ts, .rounding = rnd, .interval = {secs, exp}};

	return ops(h)->config_set(h, id, &c);
}

static void config_versions(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	struct scmi_sensor_reading r;

	check_config(h, S_CPU_TEMP, true, true, 100, -3);
	check_config(h, S_SOC_TEMP, true, false, 500, -3);

	/* Segment 1 ms..10 s by 1 ms: 1500 µs rounds to 2 ms or 1 ms. */
	cr_assert_eq(cfg_set(h, S_CPU_TEMP, true, true, 1500, -6, SCMI_SENSOR_ROUND_UP), 0);
	check_config(h, S_CPU_TEMP, true, true, 2, -3);
	cr_assert_eq(cfg_set(h, S_CPU_TEMP, true, false, 1500, -6, SCMI_SENSOR_ROUND_DOWN), 0);
	check_config(h, S_CPU_TEMP, true, false, 1, -3);
	cr_assert_eq(ops(h)->reading_read(h, S_CPU_TEMP, SCMI_SENSOR_READ_SYNC, 1, &r), 1);
	cr_assert_eq(r.timestamp, 0, "timestamping off");

	/* List {100 ms, 500 ms, 1 s}. */
	cr_assert_eq(cfg_set(h, S_SOC_TEMP, true, false, 2, 0, SCMI_SENSOR_ROUND_DOWN), 0);
	check_config(h, S_SOC_TEMP, true, false, 1, 0);
	cr_assert_eq(cfg_set(h, S_SOC_TEMP, true, false, 3, -1, SCMI_SENSOR_ROUND_AUTO), 0);
	check_config(h, S_SOC_TEMP, true, false, 5, -1);
	cr_assert_eq(cfg_set(h, S_SOC_TEMP, true, false, 2, 0, SCMI_SENSOR_ROUND_UP), -ERANGE);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_OUT_OF_RANGE);
	cr_assert_eq(cfg_set(h, S_SOC_TEMP, true, false, 5, -2, SCMI_SENSOR_ROUND_DOWN), -ERANGE);
	check_config(h, S_SOC_TEMP, true, false, 5, -1);

	/* A disabled sensor cannot be read (model: DENIED). */
	cr_assert_eq(cfg_set(h, S_SOC_TEMP, false, false, 0, 0, SCMI_SENSOR_ROUND_AUTO), 0);
	check_config(h, S_SOC_TEMP, false, false, 5, -1);
	cr_assert_eq(ops(h)->reading_read(h, S_SOC_TEMP, SCMI_SENSOR_READ_SYNC, 1, &r), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);

	/* Resetting this agent's configuration restores the defaults. */
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 1, false), 0);
	check_config(h, S_SOC_TEMP, true, false, 500, -3);
	check_config(h, S_CPU_TEMP, true, true, 100, -3);
	scmi_close(h);
}

Test(sensor, config_newest)
{
	config_versions(URI_NEWEST);
}

Test(sensor, config_v20)
{
	config_versions(URI_V20);
}

Test(sensor, config_v10_unsupported)
{
	struct scmi_handle *h = test_open(URI_SCMI20, NULL);
	struct scmi_sensor_config c;
	uint64_t before;

	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	before = sim_requests(h);
	cr_assert_eq(ops(h)->config_get(h, 0, &c), -EOPNOTSUPP);
	cr_assert_eq(cfg_set(h, 0, true, false, 1, 0, SCMI_SENSOR_ROUND_AUTO), -EOPNOTSUPP);
	cr_assert_eq(sim_requests(h), before);
	scmi_close(h);
}

/* ---- trip points ---------------------------------------------------------------- */

struct record {
	pthread_mutex_t lock;
	unsigned int trips, updates;
	struct scmi_sensor_trip_point_report trip;
	uint32_t upd_sensor, upd_agent;
	unsigned int upd_count;
	struct scmi_sensor_reading upd[SCMI_SENSOR_MAX_AXES];
	uint64_t upd_timestamp;
};

static struct record rec = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int on_event(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	pthread_mutex_lock(&rec.lock);
	if (evt == EVT_TRIP) {
		rec.trip = *(const struct scmi_sensor_trip_point_report *)report;
		rec.trips++;
	} else if (evt == EVT_UPDATE) {
		const struct scmi_sensor_update_report *u = report;

		rec.upd_sensor = u->sensor_id;
		rec.upd_agent = u->agent_id;
		rec.upd_count = u->readings_count;
		rec.upd_timestamp = u->hdr.timestamp;
		memcpy(rec.upd, u->readings, u->readings_count * sizeof(u->readings[0]));
		rec.updates++;
	}
	pthread_mutex_unlock(&rec.lock);
	return SCMI_NOTIFY_OK;
}

static struct scmi_notifier_block nb = {.notifier_call = on_event};

static unsigned int rec_trips(void)
{
	unsigned int n;

	pthread_mutex_lock(&rec.lock);
	n = rec.trips;
	pthread_mutex_unlock(&rec.lock);
	return n;
}

static unsigned int want_trips;

static bool trips_reached(void *arg)
{
	return rec_trips() >= want_trips;
}

/* Wait for trip event number @n; return its report. */
static struct scmi_sensor_trip_point_report wait_trip(unsigned int n)
{
	struct scmi_sensor_trip_point_report r;

	want_trips = n;
	cr_assert(test_wait_until(trips_reached, NULL, 5000), "trip event %u", n);
	pthread_mutex_lock(&rec.lock);
	r = rec.trip;
	pthread_mutex_unlock(&rec.lock);
	return r;
}

static void trip_events(const char *uri)
{
	struct scmi_handle *h = test_open(uri, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct scmi_sensor_trip_point_report r;
	uint32_t src = S_SOC_TEMP;
	unsigned int en = 0, dis = 0;
	uint8_t mode;
	int64_t thr;

	pin(h, S_SOC_TEMP, 40000);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &src, &nb), 0);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_TRIP, S_SOC_TEMP), 1);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_TRIP, S_CPU_TEMP), 0);

	cr_assert_eq(ops(h)->trip_point_config(h, S_SOC_TEMP, 0, SCMI_SENSOR_TRIP_BOTH, 45000), 0);
	cr_assert_eq(scmi_sim_sensor_trip_get(sim, S_SOC_TEMP, 0, &mode, &thr), 0);
	cr_assert_eq(mode, 3);
	cr_assert_eq(thr, 45000);

	cr_assert_eq(pin(h, S_SOC_TEMP, 46000), 1, "one event sent");
	r = wait_trip(1);
	cr_assert_eq(r.sensor_id, S_SOC_TEMP);
	cr_assert_eq(r.trip_point_id, 0);
	cr_assert(r.upward);
	cr_assert_eq(r.agent_id, 0);
	cr_assert_gt(r.hdr.timestamp, 0);
	cr_assert_eq(pin(h, S_SOC_TEMP, 44000), 1);
	r = wait_trip(2);
	cr_assert_not(r.upward);
	cr_assert_eq(r.trip_point_desc, 0);

	/* Trip 1 upward only, at a negative threshold; trip 0 off. */
	cr_assert_eq(ops(h)->trip_point_config(h, S_SOC_TEMP, 0, SCMI_SENSOR_TRIP_DISABLED, 0), 0);
	cr_assert_eq(ops(h)->trip_point_config(h, S_SOC_TEMP, 1, SCMI_SENSOR_TRIP_UP, -5000), 0);
	cr_assert_eq(scmi_sim_sensor_trip_get(sim, S_SOC_TEMP, 1, &mode, &thr), 0);
	cr_assert_eq(mode, 1);
	cr_assert_eq(thr, -5000);
	cr_assert_eq(pin(h, S_SOC_TEMP, -6000), 0, "downward: not armed");
	cr_assert_eq(pin(h, S_SOC_TEMP, 50000), 1, "trip 0 is off, trip 1 upward");
	r = wait_trip(3);
	cr_assert_eq(r.trip_point_id, 1);
	cr_assert(r.upward);
	cr_assert_eq(r.trip_point_desc, 1u | 1u << 16);

	/* Off: the platform stops sending. */
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, SENSOR, EVT_TRIP, &src, &nb), 0);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_TRIP, S_SOC_TEMP), 0);
	cr_assert_eq(scmi_sim_notify_requests(sim, SENSOR, EVT_TRIP, S_SOC_TEMP, &en, &dis), 0);
	cr_assert_eq(en, 1);
	cr_assert_eq(dis, 1);
	cr_assert_eq(pin(h, S_SOC_TEMP, -6000), 0);
	cr_assert_eq(pin(h, S_SOC_TEMP, 60000), 0);
	cr_assert_eq(sim_sensor_stats(h).trip_events, 3);
	cr_assert_eq(rec_trips(), 3);
	scmi_close(h);
}

Test(sensor, trip_events_newest)
{
	trip_events(URI_NEWEST);
}

Test(sensor, trip_events_v10)
{
	trip_events(URI_SCMI20);
}

/* Live values crossing a trip point on their own raise the event too. */
Test(sensor, trip_event_from_live_values)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	uint32_t src = 2; /* 850000 +- 50000 µV every 5 s */
	struct scmi_sensor_trip_point_report r;

	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &src, &nb), 0);
	cr_assert_eq(ops(h)->trip_point_config(h, 2, 1, SCMI_SENSOR_TRIP_BOTH, 850000), 0);
	want_trips = 1;
	cr_assert(test_wait_until(trips_reached, NULL, 8000), "the wave crosses the middle");
	r = wait_trip(1);
	cr_assert_eq(r.sensor_id, 2);
	cr_assert_eq(r.trip_point_id, 1);
	scmi_close(h);
}

/* Every sensor with trip points, through one all-sources listener. */
Test(sensor, trip_events_all_sources)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct scmi_sim *sim = test_sim(h);

	for (uint32_t id = 0; id < NUM_SENSORS; id++)
		if (id != 2)
			scmi_sim_sensor_live_set(sim, id, false);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, NULL, &nb), 0);
	for (uint32_t id = 0; id < NUM_SENSORS; id++) {
		struct scmi_sim_sensor_info mi;

		scmi_sim_sensor_info_get(sim, id, &mi);
		cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_TRIP, id), mi.num_trip_points > 0,
			     "sensor %u", id);
	}
	pin(h, S_COUNTER, 0);
	cr_assert_eq(ops(h)->trip_point_config(h, S_COUNTER, 0, SCMI_SENSOR_TRIP_UP, 1), 0);
	cr_assert_eq(pin(h, S_COUNTER, 1), 1);
	cr_assert_eq(wait_trip(1).sensor_id, S_COUNTER);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, SENSOR, EVT_TRIP, NULL, &nb), 0);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_TRIP, S_COUNTER), 0);
	scmi_close(h);
}

/* ---- continuous updates ----------------------------------------------------------- */

struct upd_want {
	uint32_t sensor;
	const int64_t *values;
	unsigned int n;
};

static bool update_seen(void *arg)
{
	const struct upd_want *w = arg;
	bool ok;

	pthread_mutex_lock(&rec.lock);
	ok = rec.updates && rec.upd_sensor == w->sensor && rec.upd_count == w->n;
	for (unsigned int i = 0; ok && i < w->n; i++)
		ok = rec.upd[i].value == w->values[i];
	pthread_mutex_unlock(&rec.lock);
	return ok;
}

static void update_events(uint32_t id, const int64_t *vals, unsigned int n)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct upd_want w = {id, vals, n};
	struct scmi_event_stats es0, es1;
	uint64_t sent;

	/* The slowest interval the sensor has, so the value_set one counts. */
	cr_assert_eq(cfg_set(h, id, true, true, 60000, 0, SCMI_SENSOR_ROUND_DOWN), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_UPDATE, &id, &nb), 0);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_UPDATE, id), 1);
	cr_assert_geq(scmi_sim_sensor_value_set(sim, id, vals, n), 1);
	cr_assert(test_wait_until(update_seen, &w, 5000));
	pthread_mutex_lock(&rec.lock);
	cr_assert_eq(rec.upd_agent, 0);
	cr_assert_gt(rec.upd_timestamp, 0);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_gt(rec.upd[i].timestamp, 0, "timestamping on");
	pthread_mutex_unlock(&rec.lock);

	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, SENSOR, EVT_UPDATE, &id, &nb), 0);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_UPDATE, id), 0);
	/* Whatever was sent before the disable has arrived by now. */
	cr_assert_eq(scmi_event_stats_get(h, SENSOR, &es0), 0);
	sent = sim_sensor_stats(h).updates;
	cr_assert_eq(scmi_sim_sensor_value_set(sim, id, vals, n), 0, "nothing sent");
	cr_assert_eq(sim_sensor_stats(h).updates, sent);
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	cr_assert_eq(scmi_event_stats_get(h, SENSOR, &es1), 0);
	cr_assert_eq(es1.received, es0.received);
	cr_assert_eq(es1.dropped_malformed, 0);
	scmi_close(h);
}

Test(sensor, update_events_multi_axis)
{
	int64_t xyz[3] = {-981, 0, 9807};

	update_events(S_ACCEL, xyz, 3);
}

Test(sensor, update_events_scalar)
{
	int64_t v = -2750;

	update_events(S_BATTERY, &v, 1);
}

static bool updates_at_least(void *arg)
{
	unsigned int n;

	pthread_mutex_lock(&rec.lock);
	n = rec.updates;
	pthread_mutex_unlock(&rec.lock);
	return n >= *(unsigned int *)arg;
}

/* The platform samples at the configured interval by itself. */
Test(sensor, update_events_periodic)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	uint32_t id = S_GYRO;
	unsigned int want = 5;
	uint64_t t0;

	/* 10 ms (the segment is 1..100 ms). */
	cr_assert_eq(cfg_set(h, id, true, true, 10, -3, SCMI_SENSOR_ROUND_AUTO), 0);
	t0 = test_now_ms();
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_UPDATE, &id, &nb), 0);
	cr_assert(test_wait_until(updates_at_least, &want, 5000));
	cr_assert_geq(test_now_ms() - t0, 40, "paced by the interval");
	pthread_mutex_lock(&rec.lock);
	cr_assert_eq(rec.upd_count, 3);
	pthread_mutex_unlock(&rec.lock);
	/* A disabled sensor stops sampling. */
	cr_assert_eq(cfg_set(h, id, false, false, 10, -3, SCMI_SENSOR_ROUND_AUTO), 0);
	want = sim_sensor_stats(h).updates;
	cr_assert_eq(ops(h)->config_get(h, id, &(struct scmi_sensor_config){0}), 0);
	test_sleep_ms(50); /* asserting an absence: give it time to go wrong */
	cr_assert_eq(sim_sensor_stats(h).updates, want);
	scmi_close(h);
}

/* ---- enables: pending registrations, refcounts ------------------------------------------ */

static int on_nothing(struct scmi_notifier_block *b, unsigned int evt, const void *report)
{
	return SCMI_NOTIFY_DONE;
}

/* Registered while the protocol cannot come up (a malformed attributes
 * reply): kept pending, then bound and enabled by the retried bring-up. */
Test(sensor, notify_pending_until_bring_up)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_BAD_LENGTH,
				   .every = 1,
				   .count = 1,
				   .protocol = SENSOR,
				   .message = 0x1,
				   .param = -16};
	uint32_t id = S_BATTERY;
	int64_t v = -100;
	struct upd_want w = {S_BATTERY, &v, 1};

	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_UPDATE, &id, &nb), 0);
	cr_assert_eq(test_fault_hits(h, SCMI_SIM_FAULT_BAD_LENGTH), 1, "bring-up failed");
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_UPDATE, id), 0, "pending");
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_UPDATE, id), 1, "bound");
	cr_assert_geq(scmi_sim_sensor_value_set(sim, id, &v, 1), 1);
	cr_assert(test_wait_until(update_seen, &w, 5000));
	scmi_close(h);
}

/* Two listeners of one source: one enable; the last one out disables. */
Test(sensor, notify_enable_refcount)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct scmi_notifier_block nb2 = {.notifier_call = on_nothing};
	uint32_t id = S_CPU_TEMP;
	unsigned int en, dis;

	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &id, &nb), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &id, &nb2), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, NULL, &nb2), 0);
	scmi_sim_notify_requests(sim, SENSOR, EVT_TRIP, id, &en, &dis);
	cr_assert_eq(en, 1);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, SENSOR, EVT_TRIP, &id, &nb), 0);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, SENSOR, EVT_TRIP, &id, &nb2), 0);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_TRIP, id), 1, "all-sources holds it");
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, SENSOR, EVT_TRIP, NULL, &nb2), 0);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_TRIP, id), 0);
	scmi_sim_notify_requests(sim, SENSOR, EVT_TRIP, id, &en, &dis);
	cr_assert_eq(en, 1);
	cr_assert_eq(dis, 1);
	scmi_close(h);
}

/* ---- notifications refused ----------------------------------------------------------- */

Test(sensor, notify_unsupported_sources)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	uint32_t no_updates = S_SOC_TEMP, no_trips = S_ACCEL, unknown = NUM_SENSORS;
	uint64_t before;

	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	before = sim_requests(h);
	cr_assert_eq(
		h->notify_ops->event_notifier_register(h, SENSOR, EVT_UPDATE, &no_updates, &nb),
		-EOPNOTSUPP);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &no_trips, &nb),
		     -EOPNOTSUPP);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &unknown, &nb),
		     -EINVAL);
	cr_assert_eq(sim_requests(h), before, "refused locally");
	scmi_close(h);
}

Test(sensor, notify_updates_v10_unsupported)
{
	struct scmi_handle *h = test_open(URI_SCMI20, NULL);
	uint32_t id = S_CPU_TEMP;

	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_UPDATE, &id, &nb),
		     -EOPNOTSUPP);
	cr_assert_eq(test_notify_enabled(h, SENSOR, EVT_UPDATE, id), 0);
	scmi_close(h);
}

/* ---- malformed events ---------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint64_t malformed_want;

static bool malformed_reached(void *arg)
{
	struct scmi_event_stats es;

	return scmi_event_stats_get(arg, SENSOR, &es) == 0 &&
	       es.dropped_malformed >= malformed_want;
}

Test(sensor, malformed_events_dropped)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	struct scmi_sim *sim = test_sim(h);
	uint8_t p[8 + 16 * 4] = {0};
	struct scmi_event_stats es;
	int64_t xyz[3] = {1, 2, 3};

	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_UPDATE, NULL, &nb), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, NULL, &nb), 0);
	/* SENSOR_UPDATE of the 3-axis sensor with one or four readings. */
	put32(p + 4, S_ACCEL);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_UPDATE, p, 8 + 16), 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_UPDATE, p, 8 + 64), 1);
	/* A scalar sensor with three; a header cut short; unknown sensor. */
	put32(p + 4, S_CPU_TEMP);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_UPDATE, p, 8 + 48), 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_UPDATE, p, 6), 1);
	put32(p + 4, NUM_SENSORS);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_UPDATE, p, 8 + 16), 1);
	/* Updates from a sensor that has none. */
	put32(p + 4, S_SOC_TEMP);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_UPDATE, p, 8 + 16), 1);
	/* Trip events: wrong size, unknown trip point, unknown sensor. */
	put32(p + 4, S_SOC_TEMP);
	put32(p + 8, 0);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_TRIP, p, 16), 1);
	put32(p + 8, 2 | 1u << 16);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_TRIP, p, 12), 1);
	put32(p + 4, NUM_SENSORS);
	put32(p + 8, 0);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, EVT_TRIP, p, 12), 1);
	/* An event id the protocol does not have. */
	cr_assert_eq(scmi_sim_test_emit_raw(sim, SENSOR, 0x2, p, 12), 1);
	malformed_want = 10;
	cr_assert(test_wait_until(malformed_reached, h, 5000));
	/* A real update, lengthened by the fault layer. */
	{
		struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_BAD_LENGTH,
					   .every = 1,
					   .count = 1,
					   .protocol = SENSOR,
					   .message = EVT_UPDATE,
					   .param = 16,
					   .notifications = true};
		struct upd_want w = {S_ACCEL, xyz, 3};

		cr_assert_eq(test_fault_add(h, &f), 0);
		cr_assert_eq(scmi_sim_sensor_value_set(sim, S_ACCEL, xyz, 3), 1);
		malformed_want = 11;
		cr_assert(test_wait_until(malformed_reached, h, 5000));
		/* The next, intact one is delivered. */
		xyz[0] = 42;
		cr_assert_eq(scmi_sim_sensor_value_set(sim, S_ACCEL, xyz, 3), 1);
		cr_assert(test_wait_until(update_seen, &w, 5000));
	}
	cr_assert_eq(scmi_event_stats_get(h, SENSOR, &es), 0);
	cr_assert_eq(es.dropped_malformed, 11);
	cr_assert_eq(rec_trips(), 0);
	scmi_close(h);
}

/* ---- local validation ------------------------------------------------------------------ */

Test(sensor, bad_arguments_refused_locally)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);
	const struct scmi_sensor_ops *s = ops(h);
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	const struct scmi_sensor_info *si;
	struct scmi_sensor_config c = {.enabled = true};
	uint64_t before;
	int64_t v;

	cr_assert_eq(s->count_get(h), NUM_SENSORS);
	before = sim_requests(h);
	cr_assert_eq(s->info_get(h, NUM_SENSORS, &si), -EINVAL);
	cr_assert_eq(s->info_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(s->protocol_info_get(h, NULL), -EINVAL);
	cr_assert_eq(s->reading_get(h, NUM_SENSORS, &v), -EINVAL);
	cr_assert_eq(s->reading_get_timestamped(h, NUM_SENSORS, SCMI_SENSOR_MAX_AXES, r), -EINVAL);
	cr_assert_eq(
		s->reading_read(h, NUM_SENSORS, SCMI_SENSOR_READ_SYNC, SCMI_SENSOR_MAX_AXES, r),
		-EINVAL);
	cr_assert_eq(s->config_set(h, NUM_SENSORS, &c), -EINVAL);
	cr_assert_eq(s->reading_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(s->reading_read(h, S_ACCEL, SCMI_SENSOR_READ_SYNC, 2, r), -EINVAL,
		     "room for 2 of 3 readings");
	cr_assert_eq(s->reading_read(h, 0, SCMI_SENSOR_READ_SYNC, 1, NULL), -EINVAL);
	cr_assert_eq(s->reading_read(h, 0, (enum scmi_sensor_read_mode)7, 1, r), -EINVAL);
	cr_assert_eq(s->reading_read(h, S_SOC_TEMP, SCMI_SENSOR_READ_ASYNC, 1, r), -EOPNOTSUPP);
	cr_assert_eq(s->config_get(h, NUM_SENSORS, &c), -EINVAL);
	cr_assert_eq(s->config_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(s->config_set(h, 0, NULL), -EINVAL);
	c.rounding = (enum scmi_sensor_rounding)3;
	cr_assert_eq(s->config_set(h, 0, &c), -EINVAL);
	c.rounding = SCMI_SENSOR_ROUND_AUTO;
	c.interval.exponent = 16;
	cr_assert_eq(s->config_set(h, 0, &c), -EINVAL);
	c.interval.exponent = -17;
	cr_assert_eq(s->config_set(h, 0, &c), -EINVAL);
	c.interval.exponent = 0;
	c.timestamping = true;
	cr_assert_eq(s->config_set(h, S_SOC_TEMP, &c), -EOPNOTSUPP);
	cr_assert_eq(s->trip_point_config(h, S_ACCEL, 0, SCMI_SENSOR_TRIP_UP, 0), -EOPNOTSUPP);
	cr_assert_eq(s->trip_point_config(h, S_CPU_TEMP, 4, SCMI_SENSOR_TRIP_UP, 0), -EINVAL);
	cr_assert_eq(s->trip_point_config(h, S_CPU_TEMP, 0, (enum scmi_sensor_trip_mode)4, 0),
		     -EINVAL);
	cr_assert_eq(s->trip_point_config(h, NUM_SENSORS, 0, SCMI_SENSOR_TRIP_UP, 0), -EINVAL);
	cr_assert_eq(sim_requests(h), before, "nothing was sent");
	scmi_close(h);
}

/* ---- the platform's errors, command by command ------------------------------------------- */

static int32_t raw(struct scmi_handle *h, uint8_t msg, const uint32_t *words, size_t n)
{
	uint8_t tx[16], rx[128];
	size_t len;

	for (size_t i = 0; i < n; i++)
		put32(tx + 4 * i, words[i]);
	scmi_raw_command(h, SENSOR, msg, tx, 4 * n, rx, sizeof(rx), &len);
	return scmi_last_status();
}

#define RAW(h, msg, ...)                             \
	raw(h, msg, (const uint32_t[]){__VA_ARGS__}, \
	    sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

Test(sensor, platform_errors)
{
	struct scmi_handle *h = test_open(URI_NEWEST, NULL);

	cr_assert_eq(RAW(h, 0x3, 0), SCMI_SUCCESS);
	cr_assert_eq(RAW(h, 0x3, NUM_SENSORS), SCMI_ERR_INVALID_PARAMETERS,
		     "index == count, as SCP");
	cr_assert_eq(RAW(h, 0x3, NUM_SENSORS + 1), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0x3, 0, 0), SCMI_ERR_PROTOCOL_ERROR, "request length");
	cr_assert_eq(RAW(h, 0x4, NUM_SENSORS, 1), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(RAW(h, 0x4, S_ACCEL, 1), SCMI_ERR_NOT_SUPPORTED, "no trip points");
	cr_assert_eq(RAW(h, 0x4, S_SOC_TEMP, 3), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0x5, NUM_SENSORS, 1, 0, 0), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(RAW(h, 0x5, S_SOC_TEMP, 1 | 2 << 4, 0, 0), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0x5, S_SOC_TEMP, 1 | 1 << 2, 0, 0), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0x5, S_SOC_TEMP, 1 | 1 << 4, 0, 0), SCMI_SUCCESS);
	cr_assert_eq(RAW(h, 0x6, NUM_SENSORS, 0), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(RAW(h, 0x6, S_SOC_TEMP, 2), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0x6, S_SOC_TEMP, 1), SCMI_ERR_NOT_SUPPORTED, "not async");
	cr_assert_eq(RAW(h, 0x7, S_CPU_TEMP, 0), SCMI_ERR_NOT_SUPPORTED, "scalar");
	cr_assert_eq(RAW(h, 0x7, S_ACCEL, 4), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0x7, S_ACCEL, 3), SCMI_ERR_INVALID_PARAMETERS, "index == axes");
	cr_assert_eq(RAW(h, 0x8, S_COUNTER, 0), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(RAW(h, 0x8, S_CPU_TEMP, 1), SCMI_ERR_INVALID_PARAMETERS, "segment");
	cr_assert_eq(RAW(h, 0x8, S_LIGHT, 37), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0x9, NUM_SENSORS), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(RAW(h, 0xA, S_CPU_TEMP, 1 | 1 << 2), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0xA, S_CPU_TEMP, 1 | 3 << 9), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0xA, S_COUNTER, 1 | 1 << 16), SCMI_ERR_NOT_SUPPORTED, "no intervals");
	cr_assert_eq(RAW(h, 0xB, S_SOC_TEMP, 1), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(RAW(h, 0xB, S_CPU_TEMP, 2), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(RAW(h, 0xC, S_SOC_TEMP), SCMI_ERR_NOT_SUPPORTED, "short name");
	cr_assert_eq(RAW(h, 0xC, NUM_SENSORS), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(RAW(h, 0xD, S_GYRO, 0), SCMI_SUCCESS);
	cr_assert_eq(RAW(h, 0xE, 0), SCMI_ERR_NOT_FOUND, "no such message");
	scmi_close(h);

	/* Commands newer than the version in use do not exist. */
	h = test_open(URI_SCMI20, NULL);
	for (uint8_t msg = 0x7; msg <= 0xD; msg++)
		cr_assert_eq(RAW(h, msg, 0, 0), SCMI_ERR_NOT_FOUND, "msg 0x%x at 1.0", msg);
	scmi_close(h);
	h = test_open(URI_V20, NULL);
	cr_assert_eq(RAW(h, 0xC, S_CPU_TEMP), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(RAW(h, 0xD, S_ACCEL, 0), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(RAW(h, 0x10, SCMI_PROTO_VERSION(2, 0)), SCMI_ERR_NOT_FOUND, "no NEGOTIATE");
	scmi_close(h);
}

/* ---- a misbehaving platform ------------------------------------------------------------ */

enum rogue_mode {
	ROGUE_OK,
	ROGUE_DESC_DUP_ID,	/* two descriptors for sensor 0 */
	ROGUE_DESC_TRUNC,	/* count says 2, one descriptor's bytes */
	ROGUE_DESC_FEWER,	/* 3 sensors announced, 2 described */
	ROGUE_DESC_TOO_MANY,	/* more returned than announced */
	ROGUE_DESC_BAD_ID,	/* the first descriptor names sensor 7 */
	ROGUE_DESC_NO_AXES,	/* sensor 1: multi-axis, 0 axes */
	ROGUE_DESC_REFUSED,	/* DESCRIPTION_GET: GENERIC_ERROR */
	ROGUE_DESC_PAGED,	/* one descriptor per reply, remaining counted
				 * as OP-TEE does, then INVALID_PARAMETERS */
	ROGUE_DESC_EXTRA,	/* 3 descriptors for 2 sensors, the third a
				 * second sensor 0 (ignored) */
	ROGUE_AXIS_MISSING,	/* 2 axes announced, 1 described */
	ROGUE_AXIS_BAD_ID,	/* an axis id out of range */
	ROGUE_AXIS_TOO_MANY,	/* 3 axis descriptors announced for 2 axes */
	ROGUE_AXIS_REFUSED,	/* AXIS_DESCRIPTION_GET: DENIED */
	ROGUE_AXIS_UNSUPPORTED, /* AXIS_DESCRIPTION_GET: NOT_SUPPORTED */
	ROGUE_INTERVALS_SHORT,	/* 2 intervals announced, 1 sent */
	ROGUE_SEGMENT_BAD,	/* a "segment" of 2 entries */
	ROGUE_SEGMENT_INVERTED, /* lowest above highest */
	ROGUE_SEGMENT_NO_STEP,	/* a step of 0 */
	ROGUE_DRESP_WRONG_ID,
	ROGUE_DRESP_SHORT,
	ROGUE_READ_LONG,
	ROGUE_READ_SHORT,
};

static _Atomic int rogue = ROGUE_OK;

static void rogue_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, (rogue == ROGUE_DESC_FEWER ? 3 : 2) | 2 << 16);
}

static void rogue_desc0(struct sim_ctx *ctx, uint32_t id)
{
	uint8_t *p = sim_reply_put(ctx, 52);

	put32(p, id);
	put32(p + 4, 1u << 31 | 1u << 30 | 1u << 9 | 1u << 8 | 1);
	put32(p + 8, 0x02);
	memcpy(p + 12, "rogue0", 6);
}

static void rogue_desc1(struct sim_ctx *ctx, uint32_t id, uint32_t axes)
{
	uint8_t *p = sim_reply_put(ctx, 28);

	put32(p, id);
	put32(p + 4, 1u << 30);
	put32(p + 8, axes << 16 | 1u << 8 | 0x59);
	memcpy(p + 12, "rogue1", 6);
}

/* Sensor 0: scalar, async, updates, 1 trip, 52 bytes.  Sensor 1: 2 axes. */
static void rogue_desc(struct sim_ctx *ctx)
{
	uint32_t index = sim_req_u32(ctx, 0);
	int m = rogue;

	if (m == ROGUE_DESC_REFUSED) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
		return;
	}
	if (m == ROGUE_DESC_PAGED) {
		/* One per reply; remaining = 2 - index (one too many). */
		if (index >= 2) {
			sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
			return;
		}
		sim_reply_u32(ctx, 1 | (2 - index) << 16);
		if (index)
			rogue_desc1(ctx, 1, 2);
		else
			rogue_desc0(ctx, 0);
		return;
	}
	sim_reply_u32(ctx, m == ROGUE_DESC_TOO_MANY || m == ROGUE_DESC_EXTRA ? 3 : 2);
	rogue_desc0(ctx, m == ROGUE_DESC_BAD_ID ? 7 : 0);
	if (m == ROGUE_DESC_TRUNC)
		return;
	rogue_desc1(ctx, m == ROGUE_DESC_DUP_ID ? 0 : 1, m == ROGUE_DESC_NO_AXES ? 0 : 2);
	if (m == ROGUE_DESC_EXTRA)
		rogue_desc1(ctx, 0, 2);
}

static void rogue_axes(struct sim_ctx *ctx)
{
	int m = rogue;
	uint32_t n = m == ROGUE_AXIS_MISSING ? 1 : 2;

	if (m == ROGUE_AXIS_REFUSED || m == ROGUE_AXIS_UNSUPPORTED) {
		sim_reply_error(ctx, m == ROGUE_AXIS_REFUSED ? SIM_DENIED : SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, m == ROGUE_AXIS_TOO_MANY ? 3 : n);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *p = sim_reply_put(ctx, 28);

		put32(p, m == ROGUE_AXIS_BAD_ID ? 2 + i : i);
		put32(p + 8, 0x59);
	}
}

static void rogue_intervals(struct sim_ctx *ctx)
{
	if (rogue == ROGUE_SEGMENT_BAD) {
		sim_reply_u32(ctx, 2 | 1u << 12);
		sim_reply_u32(ctx, 1 << 5);
		sim_reply_u32(ctx, 2 << 5);
		return;
	}
	if (rogue == ROGUE_SEGMENT_INVERTED || rogue == ROGUE_SEGMENT_NO_STEP) {
		/* {lowest, highest, step} in seconds (b[20:5]), exponent 0 */
		sim_reply_u32(ctx, 3 | 1u << 12);
		sim_reply_u32(ctx, (rogue == ROGUE_SEGMENT_INVERTED ? 9u : 1u) << 5);
		sim_reply_u32(ctx, 5u << 5);
		sim_reply_u32(ctx, (rogue == ROGUE_SEGMENT_NO_STEP ? 0u : 1u) << 5);
		return;
	}
	sim_reply_u32(ctx, rogue == ROGUE_INTERVALS_SHORT ? 2 : 1);
	sim_reply_u32(ctx, 1 << 5);
}

static void rogue_reading(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0), async = sim_req_u32(ctx, 4) & 1;
	uint8_t buf[4 + 48] = {0};
	size_t n = id ? 32 : 16;
	int m = rogue;

	put32(buf, m == ROGUE_DRESP_WRONG_ID ? id + 1 : id);
	put32(buf + 4, 42);
	put32(buf + 12, 7);
	if (m == ROGUE_READ_LONG)
		n += 16;
	if (m == ROGUE_READ_SHORT)
		n -= 8;
	if (!async) {
		memcpy(sim_reply_put(ctx, n), buf + 4, n);
		return;
	}
	if (m == ROGUE_DRESP_SHORT)
		n -= 8;
	sim_reply_delayed(ctx, SIM_SUCCESS, buf, 4 + n, 0);
}

static void rogue_ok(struct sim_ctx *ctx)
{
}

static const struct sim_cmd rogue_cmds[] = {
	{0x3, 0, 4, rogue_desc},    {0x4, 0, 8, rogue_ok},   {0x5, 0, 16, rogue_ok},
	{0x6, 0, 8, rogue_reading}, {0x7, 0, 8, rogue_axes}, {0x8, 0, 8, rogue_intervals},
	{0x9, 0, 4, rogue_ok},	    {0xA, 0, 8, rogue_ok},   {0xB, 0, 8, rogue_ok},
};

static const uint32_t rogue_versions[] = {SIM_VERSION(2, 0), 0};

static const struct sim_proto_ops rogue_ops = {
	.id = SENSOR,
	.name = "rogue-sensor",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = SIM_ARRAY_SIZE(rogue_cmds),
	.attributes = rogue_attributes,
};

/* A 2.0 platform without the commands the digest has from Linux alone. */
static const struct sim_proto_ops rogue_min_ops = {
	.id = SENSOR,
	.name = "rogue-sensor-min",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = 6, /* up to LIST_UPDATE_INTERVALS */
	.attributes = rogue_attributes,
};

static struct scmi_handle *rogue_open_ops(struct test_log *lg, enum rogue_mode mode,
					  const struct sim_proto_ops *model)
{
	struct scmi_handle *h = test_open_model(URI_NEWEST, lg, model, SIM_VERSION(2, 0));

	rogue = mode;
	return h;
}

static struct scmi_handle *rogue_open(struct test_log *lg, enum rogue_mode mode)
{
	return rogue_open_ops(lg, mode, &rogue_ops);
}

/* Optional 2.0 commands the platform lacks: refused locally. */
Test(sensor, rogue_optional_commands_absent)
{
	struct scmi_handle *h = rogue_open_ops(NULL, ROGUE_OK, &rogue_min_ops);
	struct scmi_sensor_config c = {.enabled = true};
	uint32_t id = 0;
	uint64_t before;

	cr_assert_eq(ops(h)->count_get(h), 2);
	before = sim_requests(h);
	cr_assert_eq(ops(h)->config_get(h, 0, &c), -EOPNOTSUPP);
	cr_assert_eq(ops(h)->config_set(h, 0, &c), -EOPNOTSUPP);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_UPDATE, &id, &nb),
		     -EOPNOTSUPP, "the sensor says it can, the platform lacks the command");
	cr_assert_eq(sim_requests(h), before, "nothing sent");
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &id, &nb), 0);
	scmi_close(h);
}

/* Sensor @id is disabled: described as such, every op -EPROTO with nothing
 * sent, its events refused. */
static void expect_sensor_disabled(struct scmi_handle *h, uint32_t id)
{
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	struct scmi_sensor_config c = {.enabled = true};
	const struct scmi_sensor_info *si;
	uint64_t before = sim_requests(h);
	int64_t v;

	cr_assert_eq(ops(h)->info_get(h, id, &si), 0, "sensor %u", id);
	cr_assert_eq(si->id, id);
	cr_assert_not(si->usable, "sensor %u", id);
	cr_assert_eq(si->num_axes, 0);
	cr_assert_null(si->axes);
	cr_assert_eq(si->intervals.count, 0);
	cr_assert_eq(ops(h)->reading_get(h, id, &v), -EPROTO);
	cr_assert_eq(ops(h)->reading_get_timestamped(h, id, SCMI_SENSOR_MAX_AXES, r), -EPROTO);
	cr_assert_eq(ops(h)->reading_read(h, id, SCMI_SENSOR_READ_SYNC, SCMI_SENSOR_MAX_AXES, r),
		     -EPROTO);
	cr_assert_eq(ops(h)->config_get(h, id, &c), -EPROTO);
	cr_assert_eq(ops(h)->config_set(h, id, &c), -EPROTO);
	cr_assert_eq(ops(h)->trip_point_config(h, id, 0, SCMI_SENSOR_TRIP_UP, 1), -EPROTO);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &id, &nb),
		     -EPROTO);
	cr_assert_eq(sim_requests(h), before, "nothing sent for a disabled sensor");
}

/* Sensor @id is described and reads. */
static void expect_sensor_usable(struct scmi_handle *h, uint32_t id)
{
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	const struct scmi_sensor_info *si;

	cr_assert_eq(ops(h)->info_get(h, id, &si), 0, "sensor %u", id);
	cr_assert(si->usable, "sensor %u", id);
	cr_assert_str_eq(si->name, id ? "rogue1" : "rogue0");
	cr_assert_eq(ops(h)->reading_read(h, id, SCMI_SENSOR_READ_SYNC, SCMI_SENSOR_MAX_AXES, r),
		     id ? 2 : 1, "sensor %u", id);
}

/*
 * The platform describes sensors badly in mode @mode: the protocol comes up,
 * the sensors in @disabled (a bit mask) are disabled, the others work, and
 * the log has @needle.  Discovery is not repeated.
 */
static void rogue_discovery(enum rogue_mode mode, unsigned int disabled, const char *needle)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_handle *h = rogue_open(&lg, mode);

	cr_assert_eq(ops(h)->count_get(h), mode == ROGUE_DESC_FEWER ? 3 : 2, "mode %d", mode);
	cr_assert(test_log_contains(&lg, needle), "mode %d: want '%s' in\n%s", mode, needle,
		  lg.text);
	for (uint32_t id = 0; id < (uint32_t)ops(h)->count_get(h); id++) {
		if (disabled & (1u << id))
			expect_sensor_disabled(h, id);
		else
			expect_sensor_usable(h, id);
	}
	scmi_close(h);
}

Test(sensor, rogue_duplicate_sensor_id)
{
	/* Sensor 0 described twice, sensor 1 not at all. */
	rogue_discovery(ROGUE_DESC_DUP_ID, 3, "duplicate sensor id 0");
}

Test(sensor, rogue_truncated_descriptors)
{
	rogue_discovery(ROGUE_DESC_TRUNC, 2, "descriptor 1 truncated");
}

Test(sensor, rogue_fewer_descriptors)
{
	/* PROTOCOL_ATTRIBUTES counts 3 sensors, 2 are described. */
	rogue_discovery(ROGUE_DESC_FEWER, 4, "2 of 3 sensors described; the others are disabled");
}

Test(sensor, rogue_too_many_descriptors)
{
	/* Three announced for two sensors, two sent: the two are used. */
	rogue_discovery(ROGUE_DESC_TOO_MANY, 0, "more than 2 descriptors; the rest ignored");
}

Test(sensor, rogue_descriptor_for_unknown_sensor)
{
	rogue_discovery(ROGUE_DESC_BAD_ID, 1, "descriptor 0 has out-of-range sensor id 7: skipped");
}

Test(sensor, rogue_multi_axis_without_axes)
{
	rogue_discovery(ROGUE_DESC_NO_AXES, 2, "multi-axis sensor 1 has no axes");
}

Test(sensor, rogue_descriptions_refused)
{
	rogue_discovery(ROGUE_DESC_REFUSED, 3, "descriptor list cut short: Platform error");
}

Test(sensor, rogue_more_descriptors_than_sensors)
{
	rogue_discovery(ROGUE_DESC_EXTRA, 0, "more than 2 descriptors; the rest ignored");
}

/* OP-TEE's way of counting: one page too many, answered INVALID_PARAMETERS;
 * both sensors are described. */
Test(sensor, rogue_miscounted_descriptors)
{
	rogue_discovery(ROGUE_DESC_PAGED, 0, "inconsistent counts: 3 entries announced, 2 listed");
}

Test(sensor, rogue_missing_axis)
{
	rogue_discovery(ROGUE_AXIS_MISSING, 2, "1 axis descriptors for 2 axes");
}

Test(sensor, rogue_bad_axis_id)
{
	rogue_discovery(ROGUE_AXIS_BAD_ID, 2, "bad axis id 2");
}

Test(sensor, rogue_too_many_axes)
{
	rogue_discovery(ROGUE_AXIS_TOO_MANY, 2, "3 entries at 0, at most 2 stored");
}

Test(sensor, rogue_axes_refused)
{
	rogue_discovery(ROGUE_AXIS_REFUSED, 2, "sensor 1 disabled: Permission denied");
}

/* A platform that does not implement AXIS_DESCRIPTION_GET for a sensor it
 * calls multi-axis (reported to take the protocol down): that sensor only,
 * with the platform's reason. */
Test(sensor, rogue_axes_not_supported)
{
	char line[96];

	snprintf(line, sizeof(line), "sensor 1 disabled: %s", scmi_strerror(-EOPNOTSUPP));
	rogue_discovery(ROGUE_AXIS_UNSUPPORTED, 2, line);
}

/* The same through the URI on the default platform: every multi-axis
 * sensor is disabled, the scalar ones (the first and the last included)
 * work, and the bring-up is not repeated. */
Test(sensor, axis_description_not_supported_disables_multi_axis_sensors)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;
	uint64_t before;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open(URI_NEWEST "?status=sensor:axis_description_get:NOT_SUPPORTED", &cfg);
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	for (uint32_t id = 0; id < NUM_SENSORS; id++) {
		struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
		const struct scmi_sensor_info *si;
		struct scmi_sim_sensor_info mi;

		cr_assert_eq(ops(h)->info_get(h, id, &si), 0);
		cr_assert_eq(scmi_sim_sensor_info_get(test_sim(h), id, &mi), 0);
		if (mi.num_axes) {
			expect_sensor_disabled(h, id);
			continue;
		}
		cr_assert(si->usable, "sensor %u", id);
		cr_assert_eq(
			ops(h)->reading_read(h, id, SCMI_SENSOR_READ_SYNC, SCMI_SENSOR_MAX_AXES, r),
			1, "sensor %u", id);
	}
	cr_assert(test_log_contains(&lg, "sensor 5 disabled"), "%s", lg.text);
	cr_assert(test_log_contains(&lg, "sensor 6 disabled"), "%s", lg.text);
	before = sim_requests(h);
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	cr_assert_eq(sim_requests(h), before, "discovery is not repeated");
	scmi_close(h);
}

/* Update intervals described badly: unknown (intervals.err), the sensors
 * stay usable. */
static void rogue_bad_intervals(enum rogue_mode mode, const char *needle)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_handle *h = rogue_open(&lg, mode);

	cr_assert_eq(ops(h)->count_get(h), 2);
	cr_assert(test_log_contains(&lg, needle), "mode %d: want '%s' in\n%s", mode, needle,
		  lg.text);
	cr_assert(test_log_contains(&lg, "update intervals unknown"), "%s", lg.text);
	for (uint32_t id = 0; id < 2; id++) {
		const struct scmi_sensor_info *si;

		expect_sensor_usable(h, id);
		cr_assert_eq(ops(h)->info_get(h, id, &si), 0);
		cr_assert_eq(si->intervals.err, -EPROTO, "sensor %u", id);
		cr_assert_eq(si->intervals.count, 0);
		cr_assert_null(si->intervals.list);
	}
	scmi_close(h);
}

Test(sensor, rogue_bad_segment)
{
	rogue_bad_intervals(ROGUE_SEGMENT_BAD, "bad update interval reply");
}

Test(sensor, rogue_segment_inverted)
{
	rogue_bad_intervals(ROGUE_SEGMENT_INVERTED, "bad update interval segment");
}

Test(sensor, rogue_segment_without_step)
{
	rogue_bad_intervals(ROGUE_SEGMENT_NO_STEP, "bad update interval segment");
}

Test(sensor, rogue_intervals_truncated)
{
	rogue_bad_intervals(ROGUE_INTERVALS_SHORT, "update interval 1 truncated");
}

static bool sensor_event_dropped(void *arg)
{
	struct scmi_event_stats es;

	return !scmi_event_stats_get(arg, SENSOR, &es) && es.dropped_malformed;
}

/* Events naming a disabled sensor are dropped. */
Test(sensor, rogue_events_of_disabled_sensor_dropped)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_handle *h = rogue_open(&lg, ROGUE_DESC_TRUNC);
	struct scmi_event_stats es;
	uint8_t p[12] = {0};
	uint32_t id = 0;

	cr_assert_eq(ops(h)->count_get(h), 2);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SENSOR, EVT_TRIP, &id, &nb), 0);
	put32(p + 4, 1); /* the disabled sensor */
	cr_assert_eq(scmi_sim_test_emit_raw(test_sim(h), SENSOR, EVT_TRIP, p, 12), 1);
	cr_assert(test_wait_until(sensor_event_dropped, h, 5000), "the event was dropped");
	cr_assert_eq(scmi_event_stats_get(h, SENSOR, &es), 0);
	cr_assert_eq(es.dropped_malformed, 1);
	cr_assert_eq(es.delivered, 0);
	scmi_close(h);
}

Test(sensor, rogue_readings)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_handle *h = rogue_open(&lg, ROGUE_OK);
	struct scmi_sensor_reading r[2];

	cr_assert_eq(ops(h)->reading_read(h, 0, SCMI_SENSOR_READ_ASYNC, 1, r), 1);
	cr_assert_eq(r[0].value, 42);
	cr_assert_eq(r[0].timestamp, 7);
	cr_assert_eq(ops(h)->reading_read(h, 1, SCMI_SENSOR_READ_SYNC, 2, r), 2);
	rogue = ROGUE_DRESP_WRONG_ID;
	cr_assert_eq(ops(h)->reading_read(h, 0, SCMI_SENSOR_READ_ASYNC, 1, r), -EPROTO);
	cr_assert(test_log_contains(&lg, "delayed reading names sensor 1"), "%s", lg.text);
	rogue = ROGUE_DRESP_SHORT;
	cr_assert_eq(ops(h)->reading_read(h, 0, SCMI_SENSOR_READ_ASYNC, 1, r), -EPROTO);
	rogue = ROGUE_READ_LONG;
	cr_assert_eq(ops(h)->reading_read(h, 0, SCMI_SENSOR_READ_SYNC, 1, r), -EPROTO);
	cr_assert_eq(ops(h)->reading_read(h, 1, SCMI_SENSOR_READ_SYNC, 2, r), -EPROTO,
		     "three readings for two axes");
	rogue = ROGUE_READ_SHORT;
	cr_assert_eq(ops(h)->reading_read(h, 1, SCMI_SENSOR_READ_SYNC, 2, r), -EPROTO);
	cr_assert(test_log_contains(&lg, "reading of 24 bytes, expected 32"), "%s", lg.text);
	scmi_close(h);
}

/* Replies cut by the fault layer during discovery: PROTOCOL_ATTRIBUTES
 * fails the bring-up (retried); a cut descriptor list costs the sensors
 * after the cut; a cut axis list disables its sensor; a cut interval list
 * leaves that sensor's intervals unknown. */
Test(sensor, truncated_replies_during_discovery)
{
	static const int msgs[] = {0x1, 0x3, 0x7, 0x8};

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct scmi_handle *h = test_open(URI_NEWEST, NULL);
		struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_BAD_LENGTH,
					   .every = 1,
					   .count = 1,
					   .protocol = SENSOR,
					   .message = msgs[i],
					   .param = msgs[i] == 0x1 ? -16 : -6};
		unsigned int disabled = 0, no_intervals = 0;

		cr_assert_eq(test_fault_add(h, &f), 0);
		if (msgs[i] == 0x1) {
			cr_assert_eq(ops(h)->count_get(h), -EPROTO);
			check_discovery(h, SCMI_PROTO_VERSION(3, 1));
			scmi_close(h);
			continue;
		}
		cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS, "msg 0x%x", msgs[i]);
		for (uint32_t id = 0; id < NUM_SENSORS; id++) {
			const struct scmi_sensor_info *si;

			cr_assert_eq(ops(h)->info_get(h, id, &si), 0);
			disabled += !si->usable;
			no_intervals += si->intervals.err == -EPROTO;
			if (!si->usable)
				expect_sensor_disabled(h, id);
		}
		if (msgs[i] == 0x3)
			cr_assert_gt(disabled, 0, "the sensors after the cut");
		else
			cr_assert_eq(disabled, msgs[i] == 0x7 ? 1 : 0, "msg 0x%x", msgs[i]);
		cr_assert_eq(no_intervals, msgs[i] == 0x8 ? 1 : 0, "msg 0x%x", msgs[i]);
		scmi_close(h);
	}
}

/* No answer at all is no description: the bring-up fails and is retried. */
Test(sensor, discovery_timeout_retried)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = SENSOR,
		.message = 0x7,
	};
	struct scmi_handle *h;

	cfg.timeout_ms = 100;
	h = test_open(URI_NEWEST, &cfg);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(ops(h)->count_get(h), -ETIMEDOUT);
	check_discovery(h, SCMI_PROTO_VERSION(3, 1));
	scmi_close(h);
}

/* ---- helpers ------------------------------------------------------------------------- */

Test(sensor, unit_names)
{
	cr_assert_str_eq(scmi_sensor_unit_name(SCMI_SENSOR_UNIT_DEGC), "°C");
	cr_assert_str_eq(scmi_sensor_unit_name(SCMI_SENSOR_UNIT_RPM), "RPM");
	cr_assert_str_eq(scmi_sensor_unit_name(SCMI_SENSOR_UNIT_PERCENTAGE), "%");
	cr_assert_str_eq(scmi_sensor_unit_name(SCMI_SENSOR_UNIT_METERS_SEC_SQUARED), "m/s²");
	cr_assert_str_eq(scmi_sensor_unit_name(SCMI_SENSOR_UNIT_RADIANS_SEC_SQUARED), "rad/s²");
	cr_assert_str_eq(scmi_sensor_unit_name(SCMI_SENSOR_UNIT_OEM), "OEM");
	cr_assert_str_eq(scmi_sensor_unit_name(0x5E), "reserved");
	cr_assert_str_eq(scmi_sensor_unit_name(0xFE), "reserved");
	for (unsigned int t = 0; t <= 0x5D; t++)
		cr_assert_str_neq(scmi_sensor_unit_name((uint8_t)t), "reserved", "0x%x", t);
}

Test(sensor, value_helpers)
{
	char buf[64];

	cr_assert_eq(scmi_sensor_format_value(buf, sizeof(buf), 45125, -3), 6);
	cr_assert_str_eq(buf, "45.125");
	scmi_sensor_format_value(buf, sizeof(buf), -5, -3);
	cr_assert_str_eq(buf, "-0.005");
	scmi_sensor_format_value(buf, sizeof(buf), 12, 3);
	cr_assert_str_eq(buf, "12000");
	scmi_sensor_format_value(buf, sizeof(buf), 0, 3);
	cr_assert_str_eq(buf, "0");
	scmi_sensor_format_value(buf, sizeof(buf), 0, -2);
	cr_assert_str_eq(buf, "0.00");
	scmi_sensor_format_value(buf, sizeof(buf), INT64_MIN, -1);
	cr_assert_str_eq(buf, "-922337203685477580.8");
	cr_assert_eq(scmi_sensor_format_value(buf, 4, 123456, 0), 6, "truncated, full length");
	cr_assert_str_eq(buf, "123");
	cr_assert_eq(scmi_sensor_format_value(buf, sizeof(buf), 1, 33), -EINVAL);
	cr_assert_eq(scmi_sensor_format_value(NULL, 1, 1, 0), -EINVAL);

	cr_assert_float_eq(scmi_sensor_value_scale(45125, -3), 45.125, 1e-9);
	cr_assert_float_eq(scmi_sensor_value_scale(-7, 2), -700.0, 1e-9);
	cr_assert_eq(scmi_sensor_interval_ns((struct scmi_sensor_interval){250, -3}), 250000000);
	cr_assert_eq(scmi_sensor_interval_ns((struct scmi_sensor_interval){5, -12}), 0);
	cr_assert_eq(scmi_sensor_interval_ns((struct scmi_sensor_interval){65535, 15}), UINT64_MAX);
	cr_assert_float_eq(scmi_sensor_interval_seconds((struct scmi_sensor_interval){15, -1}), 1.5,
			   1e-9);
	cr_assert_eq(scmi_sensor_timestamp_ns(1234, -6), 1234000);
	cr_assert_eq(scmi_sensor_timestamp_ns(1234, -12), 1);
}

/* ---- non-blocking calls (SCMI_ASYNC) --------------------------------------- */

/* Everything an op can write. */
struct sout {
	const struct scmi_sensor_protocol_info *pinfo;
	const struct scmi_sensor_info *info;
	int64_t value;
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	struct scmi_sensor_config cfg;
};

/* A request and the outputs its op writes. */
struct scall {
	struct test_req r;
	struct sout out;
};

struct scase {
	const char *what;
	int (*call)(const struct scmi_handle *h, struct sout *o);
	/* Refused before anything is sent: SCMI_ASYNC() returns the errno
	 * and no callback runs. */
	bool refused;
	/* Before each of the two calls (a fault knob for one message). */
	void (*setup)(const struct scmi_handle *h);
	/* Needs the simulator in process (pins a multi-axis sensor). */
	bool need_sim;
};

static int sc_count(const struct scmi_handle *h, struct sout *o)
{
	(void)o;
	return ops(h)->count_get(h);
}

static int sc_pinfo(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->protocol_info_get(h, &o->pinfo);
}

static int sc_info(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->info_get(h, S_ACCEL, &o->info);
}

static int sc_info_unknown(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->info_get(h, NUM_SENSORS, &o->info);
}

static int sc_get_sync_only(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->reading_get(h, S_SOC_TEMP, &o->value);
}

static int sc_get_async(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->reading_get(h, S_POWER, &o->value);
}

static int sc_get_ts(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->reading_get_timestamped(h, S_CPU_TEMP, SCMI_SENSOR_MAX_AXES, o->r);
}

static int sc_read_async(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, o->r);
}

static int sc_read_sync(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->reading_read(h, S_POWER, SCMI_SENSOR_READ_SYNC, 1, o->r);
}

static int sc_read_axes_async(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->reading_read(h, S_ACCEL, SCMI_SENSOR_READ_ASYNC, SCMI_SENSOR_MAX_AXES, o->r);
}

static int sc_read_no_async(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->reading_read(h, S_SOC_TEMP, SCMI_SENSOR_READ_ASYNC, 1, o->r);
}

static int sc_read_no_room(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->reading_read(h, S_ACCEL, SCMI_SENSOR_READ_SYNC, 2, o->r);
}

static int sc_config_get(const struct scmi_handle *h, struct sout *o)
{
	return ops(h)->config_get(h, S_SOC_TEMP, &o->cfg);
}

static int sc_config_set(const struct scmi_handle *h, struct sout *o)
{
	/* On the stack: encoded before the op returns. */
	struct scmi_sensor_config c = {
		.enabled = true, .rounding = SCMI_SENSOR_ROUND_AUTO, .interval = {3, -1}};

	(void)o;
	return ops(h)->config_set(h, S_SOC_TEMP, &c);
}

/* No interval the platform can round to: its OUT_OF_RANGE. */
static int sc_config_set_range(const struct scmi_handle *h, struct sout *o)
{
	struct scmi_sensor_config c = {
		.enabled = true, .rounding = SCMI_SENSOR_ROUND_UP, .interval = {2, 0}};

	(void)o;
	return ops(h)->config_set(h, S_SOC_TEMP, &c);
}

static int sc_config_set_bad(const struct scmi_handle *h, struct sout *o)
{
	struct scmi_sensor_config c = {.enabled = true, .rounding = (enum scmi_sensor_rounding)3};

	(void)o;
	return ops(h)->config_set(h, S_SOC_TEMP, &c);
}

static int sc_trip_arm(const struct scmi_handle *h, struct sout *o)
{
	(void)o;
	return ops(h)->trip_point_config(h, S_CPU_TEMP, 1, SCMI_SENSOR_TRIP_BOTH, 91000);
}

static int sc_trip_disarm(const struct scmi_handle *h, struct sout *o)
{
	(void)o;
	return ops(h)->trip_point_config(h, S_CPU_TEMP, 1, SCMI_SENSOR_TRIP_DISABLED, 0);
}

static int sc_trip_bad(const struct scmi_handle *h, struct sout *o)
{
	(void)o;
	return ops(h)->trip_point_config(h, S_CPU_TEMP, 4, SCMI_SENSOR_TRIP_UP, 0);
}

static int sc_trip_none(const struct scmi_handle *h, struct sout *o)
{
	(void)o;
	return ops(h)->trip_point_config(h, S_ACCEL, 0, SCMI_SENSOR_TRIP_UP, 0);
}

/* The platform answers the next message @msg with DENIED. */
static void deny_next(const struct scmi_handle *h, int msg)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_STATUS,
		.count = 1,
		.protocol = SENSOR,
		.message = msg,
		.param = SCMI_ERR_DENIED,
	};

	cr_assert_eq(test_fault_add(h, &f), 0);
}

static void deny_reading(const struct scmi_handle *h)
{
	deny_next(h, 0x6);
}

static void deny_config_get(const struct scmi_handle *h)
{
	deny_next(h, 0x9);
}

static void deny_config_set(const struct scmi_handle *h)
{
	deny_next(h, 0xa);
}

static void deny_trip(const struct scmi_handle *h)
{
	deny_next(h, 0x5);
}

static const struct scase scases[] = {
	{"count_get", sc_count},
	{"protocol_info_get", sc_pinfo},
	{"info_get", sc_info},
	{"info_get unknown", sc_info_unknown, true},
	{"reading_get sync-only sensor", sc_get_sync_only},
	{"reading_get async sensor", sc_get_async},
	{"reading_get_timestamped", sc_get_ts},
	{"reading_read ASYNC", sc_read_async},
	{"reading_read SYNC", sc_read_sync},
	{"reading_read ASYNC three axes", sc_read_axes_async, false, NULL, true},
	{"reading_read ASYNC on a sync-only sensor", sc_read_no_async, true},
	{"reading_read without room", sc_read_no_room, true},
	{"config_get", sc_config_get},
	{"config_set", sc_config_set},
	{"config_get after set", sc_config_get},
	{"config_set out of range", sc_config_set_range},
	{"config_set bad rounding", sc_config_set_bad, true},
	{"trip_point_config arm", sc_trip_arm},
	{"trip_point_config disarm", sc_trip_disarm},
	{"trip_point_config bad trip", sc_trip_bad, true},
	{"trip_point_config no trips", sc_trip_none, true},
	{"reading_get DENIED", sc_get_sync_only, false, deny_reading},
	{"reading_read ASYNC DENIED", sc_read_async, false, deny_reading},
	{"config_get DENIED", sc_config_get, false, deny_config_get},
	{"config_set DENIED", sc_config_set, false, deny_config_set},
	{"trip_point_config DENIED", sc_trip_arm, false, deny_trip},
};

/* Sensor 1.0 (the scmi-2.0 profile): async reads, no CONFIG_GET/SET. */
static const struct scase scases_v10[] = {
	{"count_get", sc_count},
	{"reading_get async sensor", sc_get_async},
	{"reading_read ASYNC", sc_read_async},
	{"reading_read SYNC", sc_read_sync},
	{"config_get", sc_config_get, true},
	{"config_set", sc_config_set, true},
	{"trip_point_config arm", sc_trip_arm},
	{"reading_read ASYNC DENIED", sc_read_async, false, deny_reading},
};

/* Readings carry the time they were taken: equal values, and a timestamp
 * in both or in neither. */
static void sout_untime(struct sout *a, struct sout *b, const char *what)
{
	for (unsigned int i = 0; i < SCMI_SENSOR_MAX_AXES; i++) {
		cr_assert_eq(!a->r[i].timestamp, !b->r[i].timestamp, "%s: reading %u", what, i);
		a->r[i].timestamp = b->r[i].timestamp = 0;
	}
}

/* @sc blocking, then under SCMI_ASYNC(): the same result and outputs, the
 * callback exactly once (or, refused, the same errno and no callback). */
static void scase_check(const struct scmi_handle *h, const struct scase *sc)
{
	static struct sout sync_out;
	static struct scall c;
	uint64_t sent = sim_requests(h);
	int want, ret;

	memset(&sync_out, 0, sizeof(sync_out));
	memset(&c, 0, sizeof(c));
	if (sc->setup)
		sc->setup(h);
	want = sc->call(h, &sync_out);
	if (sc->setup)
		sc->setup(h);
	ret = TEST_SUBMIT(&c.r, sc->call(h, &c.out));
	test_req_as_blocking(h, &c.r, ret, sc->refused, want, sc->what);
	if (sc->refused) {
		cr_assert_eq(sim_requests(h), sent, "%s: nothing sent", sc->what);
		return;
	}
	sout_untime(&c.out, &sync_out, sc->what);
	cr_assert(!memcmp(&c.out, &sync_out, sizeof(sync_out)), "%s: outputs differ", sc->what);
}

static void scases_run(const char *uri, const struct scase *cases, size_t n, bool axes)
{
	struct scmi_handle *h = test_open(uri, NULL);
	uint64_t busy = 0;

	/* Bring-up blocks (scmi/request.h): do it first. */
	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	pin(h, S_SOC_TEMP, 4242);
	pin(h, S_POWER, -17);
	pin(h, S_CPU_TEMP, 55000);
	if (test_has_sim()) {
		int64_t xyz[3] = {1, -2, 3};

		if (axes)
			cr_assert_eq(scmi_sim_sensor_value_set(test_sim(h), S_ACCEL, xyz, 3), 0);
		busy = sim_sensor_stats(h).busy;
	}
	for (size_t i = 0; i < n; i++)
		if (!cases[i].need_sim || test_has_sim())
			scase_check(h, &cases[i]);
	if (test_has_sim())
		cr_assert_eq(sim_sensor_stats(h).busy, busy, "the platform refused nothing");
	test_fault_clear(h);
	scmi_close(h);
}

Test(sensor, every_op_non_blocking)
{
	scases_run(URI_NEWEST, scases, sizeof(scases) / sizeof(scases[0]), true);
}

Test(sensor, every_op_non_blocking_v10)
{
	scases_run(URI_SCMI20, scases_v10, sizeof(scases_v10) / sizeof(scases_v10[0]), false);
}

static bool delayed_responses_reach(void *arg)
{
	const uint64_t *want = arg;
	const struct scmi_handle *h = (const struct scmi_handle *)want[1];

	return test_stat(h, "delayed_responses") >= want[0];
}

/*
 * The platform's async slots, non-blocking: a request holds one from its
 * submission to its completion, whatever ends it (the delayed response,
 * cancel, a timeout, close).  Refused (-EBUSY) when all are taken, with
 * nothing submitted; AUTO goes synchronous meanwhile.
 */
Test(sensor, non_blocking_async_slots)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	struct scmi_sim *sim;
	const struct scmi_sensor_protocol_info *pi;
	static struct scall c[6];
	uint64_t before, want[2];

	test_need_in_flight(3);
	cfg.dresp_timeout_ms = 600;
	h = test_open(URI_NEWEST, &cfg);
	sim = test_sim(h);
	/* Before bring-up: PROTOCOL_ATTRIBUTES will say 2. */
	cr_assert_eq(scmi_sim_sensor_async_set(sim, 2, 200000), 0);
	cr_assert_eq(ops(h)->protocol_info_get(h, &pi), 0);
	cr_assert_eq(pi->max_pending_async, 2);
	pin(h, S_CPU_TEMP, 777);
	memset(c, 0, sizeof(c));

	/* Two async reads submitted hold both slots. */
	want[0] = test_stat(h, "delayed_responses") + 2;
	want[1] = (uint64_t)(uintptr_t)h;
	for (int i = 0; i < 2; i++)
		cr_assert_eq(TEST_SUBMIT(&c[i].r,
					 ops(h)->reading_read(h, S_CPU_TEMP, SCMI_SENSOR_READ_ASYNC,
							      1, c[i].out.r)),
			     0);
	cr_assert(test_wait_until(async_reads_reached, h, 5000));
	before = sim_requests(h);
	cr_assert_eq(
		TEST_SUBMIT(&c[2].r, ops(h)->reading_read(h, S_CPU_TEMP, SCMI_SENSOR_READ_ASYNC, 1,
							  c[2].out.r)),
		-EBUSY);
	/* AUTO: synchronous. */
	cr_assert_eq(TEST_SUBMIT(&c[3].r, ops(h)->reading_get(h, S_CPU_TEMP, &c[3].out.value)), 0);
	cr_assert_eq(test_req_wait(&c[3].r, "AUTO"), 0);
	cr_assert_eq(c[3].out.value, 777);
	cr_assert_eq(sim_requests(h) - before, 1, "the refused one was not sent");

	/* Cancelled, the first gives its slot back. */
	cr_assert_eq(scmi_req_cancel(&c[0].r.req), 0);
	cr_assert_eq(test_req_wait(&c[0].r, "cancelled"), -ECANCELED);
	cr_assert_eq(test_req_wait(&c[1].r, "second"), 1);
	cr_assert_eq(c[1].out.r[0].value, 777);
	cr_assert_eq(atomic_load(&c[2].r.calls), 0);
	/* Once the platform has answered both (the cancelled one's answer
	 * is dropped), two slots again. */
	cr_assert(test_wait_until(delayed_responses_reach, want, 5000));
	for (int i = 4; i < 6; i++)
		cr_assert_eq(TEST_SUBMIT(&c[i].r,
					 ops(h)->reading_read(h, S_CPU_TEMP, SCMI_SENSOR_READ_ASYNC,
							      1, c[i].out.r)),
			     0, "request %d", i);
	for (int i = 4; i < 6; i++)
		cr_assert_eq(test_req_wait(&c[i].r, "read"), 1, "request %d: %d", i, c[i].r.status);

	/* Timed out (a delayed response later than dresp_timeout_ms): the
	 * slots come back too. */
	{
		struct scmi_sim_fault f = {.kind = SCMI_SIM_FAULT_LATE_DRESP,
					   .every = 1,
					   .count = 2,
					   .protocol = SENSOR,
					   .message = 0x6,
					   .param = 1500000};

		cr_assert_eq(scmi_sim_sensor_async_set(sim, 2, 0), 0);
		cr_assert_eq(test_fault_add(h, &f), 0);
		for (int i = 0; i < 2; i++)
			cr_assert_eq(
				TEST_SUBMIT(&c[i].r, ops(h)->reading_read(h, S_CPU_TEMP,
									  SCMI_SENSOR_READ_ASYNC, 1,
									  c[i].out.r)),
				0);
		for (int i = 0; i < 2; i++)
			cr_assert_eq(test_req_wait(&c[i].r, "late"), -ETIMEDOUT, "request %d: %d",
				     i, c[i].r.status);
		cr_assert_eq(TEST_SUBMIT(&c[2].r,
					 ops(h)->reading_read(h, S_CPU_TEMP, SCMI_SENSOR_READ_ASYNC,
							      1, c[2].out.r)),
			     0, "the slots are free again");
		/* Closed with it outstanding: -ECANCELED, once. */
	}
	scmi_close(h);
	cr_assert_eq(atomic_load(&c[2].r.calls), 1);
	cr_assert(c[2].r.status == -ECANCELED || c[2].r.status == 1, "%d", c[2].r.status);
}

/* The sensor_async_inline quirk, non-blocking: the reading comes in the
 * response and completes the request. */
Test(sensor, non_blocking_async_inline_quirk)
{
	struct scmi_handle *h =
		test_open("loopback://?vendor=NXP&sub_vendor=i.MX95&inline_dresp=0x15:6", NULL);
	struct scall c = {0};
	struct scmi_stats st;

	cr_assert_eq(ops(h)->count_get(h), NUM_SENSORS);
	pin(h, S_POWER, 23456);
	cr_assert_eq(
		TEST_ASYNC(h, &c.r,
			   ops(h)->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, c.out.r)),
		1);
	cr_assert_eq(c.out.r[0].value, 23456);
	cr_assert_eq(test_fault_hits(h, SCMI_SIM_FAULT_INLINE_DRESP), 1);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.dresp_timeouts, 0);
	scmi_close(h);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sensor management model (0x15, spec digest §6.6).
 *
 * Ten sensors whose attributes exercise each descriptor flag both ways:
 * async reads or not, continuous updates or not, timestamps or not,
 * extended attributes (52-byte scalar / 32-byte multi-axis descriptors) or
 * not (28 bytes), names longer than 15 characters, trip points or none,
 * update intervals as a list (one longer than a message) or as a segment,
 * or none at all.  Two sensors have three axes (one with 48-byte axis
 * descriptors and long axis names, one with 28-byte ones).
 *
 * Versions: 1.0 (28-byte descriptors carrying the update interval, one
 * i64 per reading, multi-axis sensors presented as axis 0), 2.0 (extended
 * attributes, axes, intervals, configuration, continuous updates,
 * {value, timestamp} per axis), 3.0 (SENSOR_NAME_GET, SENSOR_AXIS_NAME_GET)
 * and 3.1 (NEGOTIATE_PROTOCOL_VERSION).
 *
 * Values follow a triangle wave around a base (so they change over time)
 * until a test pins them.  Crossing an armed trip point raises
 * TRIP_POINT_EVENT; continuous updates go out at the configured interval
 * from the poll hook, and at once when a test sets a value.
 *
 * Where the digest is silent the model makes a choice, said so below:
 * reading a disabled sensor is DENIED; CONFIG_SET with 0 seconds keeps the
 * current interval; the trip direction bit (b16 set = upward) follows SCP
 * and is unverified against the spec.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum sensor_msg {
	SENSOR_DESCRIPTION_GET = 0x3,
	SENSOR_TRIP_POINT_NOTIFY = 0x4,
	SENSOR_TRIP_POINT_CONFIG = 0x5,
	SENSOR_READING_GET = 0x6,
	SENSOR_AXIS_DESCRIPTION_GET = 0x7,
	SENSOR_LIST_UPDATE_INTERVALS = 0x8,
	SENSOR_CONFIG_GET = 0x9,
	SENSOR_CONFIG_SET = 0xA,
	SENSOR_CONTINUOUS_UPDATE_NOTIFY = 0xB,
	SENSOR_NAME_GET = 0xC,
	SENSOR_AXIS_NAME_GET = 0xD,
};

enum sensor_evt {
	SENSOR_EVT_TRIP_POINT = 0x0,
	SENSOR_EVT_UPDATE = 0x1,
};

#define V1 SIM_VERSION(1, 0)
#define V2 SIM_VERSION(2, 0)
#define V3 SIM_VERSION(3, 0)

/* Descriptor attributes_low / attributes_high (§6.6). */
#define LO_ASYNC	 (1u << 31)
#define LO_CONT		 (1u << 30)
#define LO_EXT_NAME	 (1u << 29)
#define LO_TS_EXP_SHIFT	 10
#define LO_TIMESTAMPED	 (1u << 9)
#define LO_EXT_ATTRS	 (1u << 8)
#define HI_V1_SECS_SHIFT 27
#define HI_V1_EXP_SHIFT	 22
#define HI_AXES_SHIFT	 16
#define HI_MULTI_AXIS	 (1u << 8)
#define HI_EXP_SHIFT	 11
#define AXIS_LO_EXT_NAME (1u << 9)
#define AXIS_LO_EXT_ATTR (1u << 8)
#define RES_EXP_SHIFT	 27

#define DESC_BASE_SIZE	   28u
#define DESC_MULTI_SIZE	   32u
#define DESC_SCALAR_SIZE   52u
#define AXIS_BASE_SIZE	   28u
#define AXIS_EXT_SIZE	   48u
#define AXIS_NAME_SIZE	   (4u + 64u)
#define EXT_NAME_SIZE	   64u
#define READING_SIZE	   16u
#define READING_V1_SIZE	   8u
#define INTERVAL_SEGMENTED (1u << 12)

#define CFG_SECS_SHIFT	16
#define CFG_EXP_SHIFT	11
#define CFG_ROUND_SHIFT 9
#define CFG_ROUND_MASK	0x3u
#define CFG_RESERVED	0x1FCu /* b[8:2] */
#define CFG_TS		(1u << 1)
#define CFG_EN		(1u << 0)
#define ROUND_DOWN	0u
#define ROUND_UP	1u
#define ROUND_AUTO	2u

#define READ_ASYNC	   (1u << 0)
#define NOTIFY_EN	   (1u << 0)
#define TRIP_MODE_MASK	   0x3u
#define TRIP_ID_SHIFT	   4
#define TRIP_CTL_VALID	   (TRIP_MODE_MASK | 0xFFu << TRIP_ID_SHIFT)
#define TRIP_MODE_UP	   1u
#define TRIP_MODE_DOWN	   2u
#define TRIP_DESC_UPWARD   (1u << 16) /* SCP behaviour, unverified */
#define TRIP_EVT_SIZE	   12u
#define UPDATE_EVT_HDR	   8u
#define AGENT_PLATFORM	   0u
#define SHORT_NAME_MAX_LEN 15u /* longer: no room for the NUL, extended name */

#define NUM_SENSORS	10u
#define MAX_AXES	3u
#define MAX_TRIPS	4u
#define MAX_PENDING_MAX 255u
#define MIN_PERIOD_NS	1000000ull /* continuous updates: at most 1 kHz */
#define NS_PER_MS	1000000ull

static const uint32_t sensor_versions[] = {SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(3, 0),
					   SIM_VERSION(3, 1), 0};

/* An interval: secs x 10^exp seconds. */
struct ival {
	uint16_t secs;
	int8_t exp;
};

struct axis_def {
	const char *name;
	uint8_t type;
	int8_t scale;
	bool ext;
	uint32_t res;
	int8_t res_exp;
	int64_t min, max;
	int64_t base, amp;
};

struct sensor_def {
	const char *name;
	uint8_t type;
	int8_t scale;
	bool async, cont, ts;
	int8_t ts_exp;
	bool ext;
	uint32_t power_uw;
	uint32_t res;
	int8_t res_exp;
	int64_t min, max;
	uint8_t num_trips;
	uint8_t num_axes; /* 0: scalar */
	const struct axis_def *axes;
	bool segmented;
	uint8_t num_ivals;
	const struct ival *ivals;
	struct ival def_ival;
	int64_t base, amp;
	uint32_t period_ms;
};

/* ---- the default platform ------------------------------------------------- */

#define U_DEGC	 0x02
#define U_VOLTS	 0x05
#define U_AMPS	 0x06
#define U_WATTS	 0x07
#define U_LUX	 0x0D
#define U_RPM	 0x13
#define U_COUNTS 0x43
#define U_RAD_S	 0x57
#define U_M_S2	 0x59

static const struct ival seg_1ms_10s[] = {{1, -3}, {10, 0}, {1, -3}};
static const struct ival seg_5ms_5s[] = {{5, -3}, {5, 0}, {5, -3}};
static const struct ival seg_1ms_100ms[] = {{1, -3}, {100, -3}, {1, -3}};
static const struct ival list_soc[] = {{100, -3}, {500, -3}, {1, 0}};
static const struct ival list_vdd[] = {{10, -3}, {100, -3}, {1, 0}};
static const struct ival list_batt[] = {{250, -3}, {1, 0}, {5, 0}};
static const struct ival list_accel[] = {{1, -3},  {2, -3},  {5, -3},  {10, -3},
					 {20, -3}, {50, -3}, {100, -3}};
static const struct ival list_fan[] = {{1, 0}};
/* Integration times of the light sensor: more than one message holds. */
static const struct ival list_light[] = {
	{25, -3},  {50, -3},  {75, -3},	 {100, -3}, {125, -3}, {150, -3}, {175, -3}, {200, -3},
	{225, -3}, {250, -3}, {275, -3}, {300, -3}, {325, -3}, {350, -3}, {375, -3}, {400, -3},
	{425, -3}, {450, -3}, {475, -3}, {500, -3}, {525, -3}, {550, -3}, {575, -3}, {600, -3},
	{625, -3}, {650, -3}, {675, -3}, {700, -3}, {725, -3}, {750, -3}, {775, -3}, {800, -3},
	{825, -3}, {850, -3}, {875, -3}, {900, -3},
};

static const struct axis_def accel_axes[MAX_AXES] = {
	{"Accelerometer X axis (lateral)", U_M_S2, -3, true, 598, -6, -156906, 156906, 0, 300},
	{"Accelerometer Y axis (longitudinal)", U_M_S2, -3, true, 598, -6, -156906, 156906, 0, 300},
	{"Accelerometer Z axis (vertical)", U_M_S2, -3, true, 598, -6, -156906, 156906, 9807, 100},
};

static const struct axis_def gyro_axes[MAX_AXES] = {
	{"Gyro X", U_RAD_S, -6, false, 0, 0, 0, 0, 0, 50000},
	{"Gyro Y", U_RAD_S, -6, false, 0, 0, 0, 0, 0, 50000},
	{"Gyro Z", U_RAD_S, -6, false, 0, 0, 0, 0, 0, 50000},
};

#define IVALS(a) (uint8_t) SIM_ARRAY_SIZE(a), a

static const struct sensor_def sensor_defs[NUM_SENSORS] = {
	{"CPU Big Cluster Temperature",
	 U_DEGC,
	 -3,
	 true,
	 true,
	 true,
	 -6,
	 true,
	 150,
	 125,
	 -3,
	 -40000,
	 125000,
	 4,
	 0,
	 NULL,
	 true,
	 IVALS(seg_1ms_10s),
	 {100, -3},
	 45000,
	 5000,
	 20000},
	{"SoC Temp", U_DEGC, -3, false, false, false,		0,	   false, 0,	0,    0, 0,
	 0,	     2,	     0,	 NULL,	false, IVALS(list_soc), {500, -3}, 42000, 3000, 30000},
	{"VDD CPU Big Cluster Voltage",
	 U_VOLTS,
	 -6,
	 true,
	 true,
	 true,
	 -6,
	 true,
	 50,
	 1250,
	 -6,
	 0,
	 1500000,
	 2,
	 0,
	 NULL,
	 false,
	 IVALS(list_vdd),
	 {100, -3},
	 850000,
	 50000,
	 5000},
	{"Board Input Power",
	 U_WATTS,
	 -3,
	 true,
	 false,
	 false,
	 0,
	 true,
	 20,
	 5,
	 -3,
	 0,
	 60000,
	 1,
	 0,
	 NULL,
	 true,
	 IVALS(seg_5ms_5s),
	 {1, 0},
	 12500,
	 2500,
	 8000},
	{"Battery Current",
	 U_AMPS,
	 -3,
	 false,
	 true,
	 true,
	 -3,
	 false,
	 0,
	 0,
	 0,
	 0,
	 0,
	 2,
	 0,
	 NULL,
	 false,
	 IVALS(list_batt),
	 {1, 0},
	 -1500,
	 500,
	 12000},
	{"IMU Accelerometer",
	 U_M_S2,
	 -3,
	 true,
	 true,
	 true,
	 -9,
	 true,
	 180,
	 0,
	 0,
	 0,
	 0,
	 0,
	 3,
	 accel_axes,
	 false,
	 IVALS(list_accel),
	 {20, -3},
	 0,
	 0,
	 2000},
	{"IMU Gyroscope",
	 U_RAD_S,
	 -6,
	 false,
	 true,
	 true,
	 -9,
	 false,
	 0,
	 0,
	 0,
	 0,
	 0,
	 0,
	 3,
	 gyro_axes,
	 true,
	 IVALS(seg_1ms_100ms),
	 {10, -3},
	 0,
	 0,
	 3000},
	{"Fan0", U_RPM, 0, false, false, false,		  0,	  false, 0,   0,    0, 0,
	 0,	 1,	0, NULL,  false, IVALS(list_fan), {1, 0}, 3000,	 800, 15000},
	{"Ambient Light",
	 U_LUX,
	 -1,
	 true,
	 false,
	 false,
	 0,
	 true,
	 10,
	 1,
	 -1,
	 0,
	 1000000,
	 2,
	 0,
	 NULL,
	 false,
	 IVALS(list_light),
	 {100, -3},
	 3000,
	 500,
	 10000},
	/* An event counter: no periodic sampling, so no update intervals. */
	{"Chassis Intrusion Events",
	 U_COUNTS,
	 0,
	 false,
	 false,
	 false,
	 0,
	 false,
	 0,
	 0,
	 0,
	 0,
	 0,
	 1,
	 0,
	 NULL,
	 false,
	 0,
	 NULL,
	 {0, 0},
	 0,
	 0,
	 0},
};

/* ---- state ------------------------------------------------------------------ */

struct sensor_trip {
	uint8_t mode;
	int64_t value;
};

struct sensor_rt {
	bool enabled;
	bool ts_enabled;
	struct ival ival;
	bool pinned;
	int64_t pinned_val[MAX_AXES];
	bool have_last;
	int64_t last[MAX_AXES]; /* last sample: trip crossings are against it */
	struct sensor_trip trips[MAX_TRIPS];
	uint64_t next_update_ns;
};

struct sensor_state {
	struct sensor_rt rt[NUM_SENSORS];
	unsigned int max_pending;
	uint32_t async_delay_us;
	uint64_t pending_due[MAX_PENDING_MAX]; /* delayed responses not yet due */
	uint64_t epoch_ns;
	struct scmi_sim_sensor_stats stats;
	uint64_t region_addr; /* advertised shared-memory region (len 0: none) */
	uint32_t region_len;
};

static struct sensor_state *sensor_state(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_SENSOR);
}

static uint32_t sensor_version(struct scmi_sim *sim)
{
	const struct sim_proto *p = sim_proto_get(sim, SIM_PROTO_SENSOR);

	return p ? p->active : 0;
}

static uint32_t field5(int v)
{
	return (uint32_t)v & 0x1Fu;
}

/* A 5-bit two's complement field in the low bits of @w. */
static int8_t sext5(uint32_t w)
{
	int v = (int)(w & 0x1Fu);

	return (int8_t)(v & 0x10 ? v - 32 : v);
}

static bool sensor_long_name(const char *name)
{
	return strlen(name) > SHORT_NAME_MAX_LEN;
}

/* Readings one READING_GET / SENSOR_UPDATE carries at version @v. */
static unsigned int sensor_nreadings(const struct sensor_def *d, uint32_t v)
{
	return v >= V2 && d->num_axes ? d->num_axes : 1;
}

static void sensor_rt_reset(struct sensor_rt *rt, const struct sensor_def *d)
{
	memset(rt->trips, 0, sizeof(rt->trips));
	rt->enabled = true;
	rt->ts_enabled = d->ts;
	rt->ival = d->def_ival;
}

/* ---- values ------------------------------------------------------------------- */

/* A triangle wave base +- amp over period_ms, phase-shifted per axis. */
static int64_t wave(int64_t base, int64_t amp, uint32_t period_ms, uint64_t t_ns, unsigned int ax)
{
	uint64_t ph, x;

	if (!amp || !period_ms)
		return base;
	ph = (t_ns / NS_PER_MS + (uint64_t)ax * period_ms / 3) % period_ms;
	x = 4 * (uint64_t)amp * ph / period_ms; /* 0..4 amp */
	return base + ((int64_t)x <= 2 * amp ? (int64_t)x - amp : 3 * amp - (int64_t)x);
}

static void sensor_values(const struct sensor_state *st, uint32_t id, uint64_t now,
			  int64_t out[MAX_AXES])
{
	const struct sensor_def *d = &sensor_defs[id];
	const struct sensor_rt *rt = &st->rt[id];
	unsigned int n = d->num_axes ? d->num_axes : 1;

	memset(out, 0, sizeof(int64_t) * MAX_AXES);
	for (unsigned int a = 0; a < n; a++) {
		if (rt->pinned)
			out[a] = rt->pinned_val[a];
		else if (d->num_axes)
			out[a] = wave(d->axes[a].base, d->axes[a].amp, d->period_ms,
				      now - st->epoch_ns, a);
		else
			out[a] = wave(d->base, d->amp, d->period_ms, now - st->epoch_ns, 0);
	}
}

/* Timestamp in units of 10^ts_exp seconds, or 0 when not timestamping. */
static uint64_t sensor_timestamp(const struct sensor_state *st, uint32_t id, uint64_t now)
{
	const struct sensor_def *d = &sensor_defs[id];
	uint64_t t = now - st->epoch_ns;
	int e;

	if (!d->ts || !st->rt[id].ts_enabled)
		return 0;
	for (e = d->ts_exp; e > -9; e--)
		t /= 10;
	for (; e < -9; e++)
		t *= 10;
	return t;
}

static void sensor_trip_event(struct scmi_sim *sim, struct sensor_state *st, uint32_t id,
			      unsigned int trip, bool up)
{
	uint8_t p[TRIP_EVT_SIZE];

	sim_put_le32(p, AGENT_PLATFORM);
	sim_put_le32(p + 4, id);
	sim_put_le32(p + 8, trip | (up ? TRIP_DESC_UPWARD : 0));
	if (sim_notify(sim, SIM_PROTO_SENSOR, SENSOR_EVT_TRIP_POINT, id, p, sizeof(p), 0) > 0)
		st->stats.trip_events++;
}

/* Trip points are on the sensor's value (axis 0; multi-axis sensors have
 * none).  "Above" is value >= threshold; a crossing changes it. */
static void sensor_check_trips(struct scmi_sim *sim, struct sensor_state *st, uint32_t id,
			       int64_t old, int64_t cur)
{
	const struct sensor_def *d = &sensor_defs[id];

	for (unsigned int t = 0; t < d->num_trips; t++) {
		const struct sensor_trip *tp = &st->rt[id].trips[t];
		bool was = old >= tp->value, is = cur >= tp->value;

		if (!tp->mode || was == is)
			continue;
		if ((is && (tp->mode & TRIP_MODE_UP)) || (!is && (tp->mode & TRIP_MODE_DOWN)))
			sensor_trip_event(sim, st, id, t, is);
	}
}

/* Take a sample at @now: values in @out, trip points checked against the
 * previous sample. */
static void sensor_sample(struct scmi_sim *sim, struct sensor_state *st, uint32_t id, uint64_t now,
			  int64_t out[MAX_AXES])
{
	struct sensor_rt *rt = &st->rt[id];

	sensor_values(st, id, now, out);
	if (rt->have_last && rt->enabled)
		sensor_check_trips(sim, st, id, rt->last[0], out[0]);
	memcpy(rt->last, out, sizeof(rt->last));
	rt->have_last = true;
}

/* Encode the readings of sensor @id at version @v into @buf; its length. */
static size_t sensor_encode_readings(const struct sensor_state *st, uint32_t id, uint32_t v,
				     const int64_t vals[MAX_AXES], uint64_t now, uint8_t *buf)
{
	const struct sensor_def *d = &sensor_defs[id];
	unsigned int n = sensor_nreadings(d, v);
	uint64_t ts = sensor_timestamp(st, id, now);

	if (v < V2) {
		sim_put_le64(buf, (uint64_t)vals[0]);
		return READING_V1_SIZE;
	}
	for (unsigned int a = 0; a < n; a++) {
		sim_put_le64(buf + READING_SIZE * a, (uint64_t)vals[a]);
		sim_put_le64(buf + READING_SIZE * a + 8, ts);
	}
	return READING_SIZE * n;
}

static int sensor_update_event(struct scmi_sim *sim, struct sensor_state *st, uint32_t id,
			       const int64_t vals[MAX_AXES], uint64_t now)
{
	uint8_t p[UPDATE_EVT_HDR + READING_SIZE * MAX_AXES];
	uint32_t v = sensor_version(sim);
	size_t len;
	int ret;

	if (v < V2 || !sensor_defs[id].cont || !st->rt[id].enabled)
		return 0;
	sim_put_le32(p, AGENT_PLATFORM);
	sim_put_le32(p + 4, id);
	len = UPDATE_EVT_HDR + sensor_encode_readings(st, id, v, vals, now, p + UPDATE_EVT_HDR);
	ret = sim_notify(sim, SIM_PROTO_SENSOR, SENSOR_EVT_UPDATE, id, p, len, 0);
	if (ret > 0)
		st->stats.updates++;
	return ret;
}

/* ---- intervals ------------------------------------------------------------------- */

/* @iv in ns, rounded down (or up) below 1 ns; saturated at UINT64_MAX. */
static uint64_t ival_ns(struct ival iv, bool up)
{
	uint64_t v = iv.secs;
	bool inexact = false;
	int e;

	for (e = iv.exp + 9; e > 0 && v; e--) {
		if (v > UINT64_MAX / 10)
			return UINT64_MAX;
		v *= 10;
	}
	for (; e < 0 && v; e++) {
		inexact |= v % 10;
		v /= 10;
	}
	return v + (up && inexact);
}

/* The shortest exact encoding of @ns (model intervals are whole ns). */
static struct ival ns_ival(uint64_t ns)
{
	int e = -9;

	while (ns && ns % 10 == 0 && e < 15) {
		ns /= 10;
		e++;
	}
	while (ns > 0xFFFFu) { /* not reached with the model's intervals */
		ns /= 10;
		e++;
	}
	return (struct ival){(uint16_t)ns, (int8_t)e};
}

/*
 * The supported interval @rounding picks for @want: the largest not above
 * it (down), the smallest not below (up) or the nearest (auto, ties up).
 * False when there is none in that direction.
 */
static bool sensor_round_interval(const struct sensor_def *d, struct ival want, uint32_t rounding,
				  uint64_t *out)
{
	uint64_t lo_want = ival_ns(want, false), hi_want = ival_ns(want, true);
	uint64_t below = 0, above = UINT64_MAX;
	bool have_below = false, have_above = false;

	if (d->segmented) {
		uint64_t low = ival_ns(d->ivals[0], false), high = ival_ns(d->ivals[1], false);
		uint64_t step = ival_ns(d->ivals[2], false);

		if (lo_want >= low) {
			have_below = true;
			below = lo_want >= high ? high : low + (lo_want - low) / step * step;
		}
		if (hi_want <= high) {
			have_above = true;
			above = hi_want <= low ? low
					       : low + (hi_want - low + step - 1) / step * step;
		}
	} else {
		for (unsigned int i = 0; i < d->num_ivals; i++) {
			uint64_t c = ival_ns(d->ivals[i], false);

			if (c <= lo_want && (!have_below || c > below)) {
				below = c;
				have_below = true;
			}
			if (c >= hi_want && (!have_above || c < above)) {
				above = c;
				have_above = true;
			}
		}
	}
	if (rounding == ROUND_DOWN && have_below)
		*out = below;
	else if (rounding == ROUND_UP && have_above)
		*out = above;
	else if (rounding == ROUND_AUTO && (have_below || have_above))
		*out = !have_above			   ? below
		       : !have_below			   ? above
		       : lo_want - below < above - hi_want ? below
							   : above;
	else
		return false;
	return true;
}

static uint32_t ival_word(struct ival iv)
{
	return (uint32_t)iv.secs << 5 | field5(iv.exp);
}

/* The one interval of a 1.0 descriptor: 5-bit seconds. */
static struct ival ival_v1(struct ival iv)
{
	while (iv.secs && iv.secs % 10 == 0) {
		iv.secs /= 10;
		iv.exp++;
	}
	while (iv.secs > 0x1F) {
		iv.secs = (uint16_t)((iv.secs + 9) / 10);
		iv.exp++;
	}
	return iv;
}

/* ---- descriptors ---------------------------------------------------------------------- */

static uint32_t desc_lo(const struct sensor_def *d, uint32_t v)
{
	uint32_t lo = (d->async ? LO_ASYNC : 0) | d->num_trips;

	if (v >= V2)
		lo |= (d->cont ? LO_CONT : 0) | (d->ts ? LO_TIMESTAMPED : 0) |
		      (d->ts ? field5(d->ts_exp) << LO_TS_EXP_SHIFT : 0) |
		      (d->ext ? LO_EXT_ATTRS : 0);
	if (v >= V3 && sensor_long_name(d->name))
		lo |= LO_EXT_NAME;
	return lo;
}

static uint32_t desc_hi(const struct sensor_def *d, uint32_t v)
{
	uint32_t hi = d->type | field5(d->scale) << HI_EXP_SHIFT;

	if (v < V2) {
		struct ival iv = ival_v1(d->def_ival);

		return hi | (uint32_t)iv.secs << HI_V1_SECS_SHIFT |
		       field5(iv.exp) << HI_V1_EXP_SHIFT;
	}
	if (d->num_axes)
		hi |= HI_MULTI_AXIS | (uint32_t)d->num_axes << HI_AXES_SHIFT;
	return hi;
}

static size_t desc_size(const struct sensor_def *d, uint32_t v)
{
	if (v < V2 || !d->ext)
		return DESC_BASE_SIZE;
	return d->num_axes ? DESC_MULTI_SIZE : DESC_SCALAR_SIZE;
}

static uint32_t resolution_word(uint32_t res, int8_t exp)
{
	return (res & 0x7FFFFFFu) | field5(exp) << RES_EXP_SHIFT;
}

/* The 16-byte name field: the first 16 characters, NUL-padded. */
static void put_short_name(uint8_t *p, const char *name)
{
	memcpy(p, name, strnlen(name, SIM_SHORT_NAME_SIZE));
}

static void put_desc(uint8_t *p, uint32_t id, uint32_t v)
{
	const struct sensor_def *d = &sensor_defs[id];
	size_t size = desc_size(d, v);

	sim_put_le32(p, id);
	sim_put_le32(p + 4, desc_lo(d, v));
	sim_put_le32(p + 8, desc_hi(d, v));
	put_short_name(p + 12, d->name);
	if (size > DESC_BASE_SIZE)
		sim_put_le32(p + 28, d->power_uw);
	if (size == DESC_SCALAR_SIZE) {
		sim_put_le32(p + 32, resolution_word(d->res, d->res_exp));
		sim_put_le64(p + 36, (uint64_t)d->min);
		sim_put_le64(p + 44, (uint64_t)d->max);
	}
}

/* Entries a list reply may hold under the max_list_items cap. */
static bool list_cap_reached(const struct sim_ctx *ctx, unsigned int n)
{
	return ctx->sim->max_list_items && n >= ctx->sim->max_list_items;
}

/* ---- commands ---------------------------------------------------------------------- */

static struct sensor_state *ctx_state(struct sim_ctx *ctx)
{
	return ctx->proto->state;
}

/* The sensor the request names at @off, or NULL after answering NOT_FOUND
 * or DENIED. */
static const struct sensor_def *req_sensor(struct sim_ctx *ctx, size_t off, uint32_t *id)
{
	*id = sim_req_u32(ctx, off);
	if (*id >= NUM_SENSORS) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return NULL;
	}
	if (!sim_resource_check(ctx, *id)) /* sensor N is Base device N */
		return NULL;
	return &sensor_defs[*id];
}

static void sensor_attributes(struct sim_ctx *ctx)
{
	const struct sensor_state *st = ctx_state(ctx);

	sim_reply_u32(ctx, NUM_SENSORS | st->max_pending << 16);
	sim_reply_u32(ctx, (uint32_t)st->region_addr);
	sim_reply_u32(ctx, (uint32_t)(st->region_addr >> 32));
	sim_reply_u32(ctx, st->region_len);
}

static void sensor_description_get(struct sim_ctx *ctx)
{
	uint32_t idx = sim_req_u32(ctx, 0), n = 0;
	size_t room = sim_reply_room(ctx) - 4, used = 0;
	uint8_t *p;

	/* SCP-firmware (scmi_sensor_protocol_desc_get_handler): an index at
	 * or past the sensor count is INVALID_PARAMETERS. */
	if (idx >= NUM_SENSORS) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	while (idx + n < NUM_SENSORS && !list_cap_reached(ctx, n) &&
	       used + desc_size(&sensor_defs[idx + n], ctx->version) <= room)
		used += desc_size(&sensor_defs[idx + n++], ctx->version);
	if (!n) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR); /* not even one fits */
		return;
	}
	sim_reply_u32(ctx, n | (NUM_SENSORS - idx - n) << 16);
	for (uint32_t i = 0; i < n; i++) {
		p = sim_reply_put(ctx, desc_size(&sensor_defs[idx + i], ctx->version));
		if (p)
			put_desc(p, idx + i, ctx->version);
	}
}

static void sensor_name_get(struct sim_ctx *ctx)
{
	const struct sensor_def *d;
	uint32_t id;
	uint8_t *p;

	if (!(d = req_sensor(ctx, 0, &id)))
		return;
	if (!sensor_long_name(d->name)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, 0); /* flags, reserved */
	p = sim_reply_put(ctx, EXT_NAME_SIZE);
	if (p)
		memcpy(p, d->name, strnlen(d->name, EXT_NAME_SIZE - 1));
}

/* Checks shared by the axis commands: the sensor has axes and the index
 * is within them.  NULL after answering. */
static const struct sensor_def *req_axes(struct sim_ctx *ctx, uint32_t *id, uint32_t *idx)
{
	const struct sensor_def *d = req_sensor(ctx, 0, id);

	if (!d)
		return NULL;
	*idx = sim_req_u32(ctx, 4);
	if (!d->num_axes) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return NULL;
	}
	/* An index at or past the last axis: INVALID_PARAMETERS, as SCP's
	 * DESCRIPTION_GET answers for the sensor list. */
	if (*idx >= d->num_axes) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return NULL;
	}
	return d;
}

static void sensor_axis_description_get(struct sim_ctx *ctx)
{
	const struct sensor_def *d;
	uint32_t id, idx, n = 0;
	size_t room = sim_reply_room(ctx) - 4, used = 0;

	if (!(d = req_axes(ctx, &id, &idx)))
		return;
	while (idx + n < d->num_axes && !list_cap_reached(ctx, n) &&
	       used + (d->axes[idx + n].ext ? AXIS_EXT_SIZE : AXIS_BASE_SIZE) <= room)
		used += d->axes[idx + n++].ext ? AXIS_EXT_SIZE : AXIS_BASE_SIZE;
	if (!n) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR); /* not even one fits */
		return;
	}
	sim_reply_u32(ctx, n | (d->num_axes - idx - n) << 26);
	for (uint32_t i = idx; i < idx + n; i++) {
		const struct axis_def *ax = &d->axes[i];
		uint8_t *p = sim_reply_put(ctx, ax->ext ? AXIS_EXT_SIZE : AXIS_BASE_SIZE);
		uint32_t lo = (ax->ext ? AXIS_LO_EXT_ATTR : 0);

		if (!p)
			return;
		if (ctx->version >= V3 && sensor_long_name(ax->name))
			lo |= AXIS_LO_EXT_NAME;
		sim_put_le32(p, i);
		sim_put_le32(p + 4, lo);
		sim_put_le32(p + 8, ax->type | field5(ax->scale) << HI_EXP_SHIFT);
		put_short_name(p + 12, ax->name);
		if (ax->ext) {
			sim_put_le32(p + 28, resolution_word(ax->res, ax->res_exp));
			sim_put_le64(p + 32, (uint64_t)ax->min);
			sim_put_le64(p + 40, (uint64_t)ax->max);
		}
	}
}

static void sensor_axis_name_get(struct sim_ctx *ctx)
{
	const struct sensor_def *d;
	uint32_t id, idx, n = 0;
	size_t room = sim_reply_room(ctx) - 4;

	if (!(d = req_axes(ctx, &id, &idx)))
		return;
	while (idx + n < d->num_axes && !list_cap_reached(ctx, n) &&
	       (n + 1) * AXIS_NAME_SIZE <= room)
		n++;
	if (!n) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
		return;
	}
	sim_reply_u32(ctx, n | (d->num_axes - idx - n) << 26);
	for (uint32_t i = idx; i < idx + n; i++) {
		uint8_t *p = sim_reply_put(ctx, AXIS_NAME_SIZE);

		if (!p)
			return;
		sim_put_le32(p, i);
		memcpy(p + 4, d->axes[i].name, strnlen(d->axes[i].name, EXT_NAME_SIZE - 1));
	}
}

static void sensor_list_update_intervals(struct sim_ctx *ctx)
{
	const struct sensor_def *d;
	uint32_t id, idx = sim_req_u32(ctx, 4), n = 0;

	if (!(d = req_sensor(ctx, 0, &id)))
		return;
	if (!d->num_ivals) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (d->segmented) {
		/* One triplet, in one reply, whatever the list cap. */
		if (idx) {
			sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
			return;
		}
		sim_reply_u32(ctx, 3 | INTERVAL_SEGMENTED);
		for (unsigned int i = 0; i < 3; i++)
			sim_reply_u32(ctx, ival_word(d->ivals[i]));
		return;
	}
	if (idx >= d->num_ivals) { /* as DESCRIPTION_GET */
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	while (idx + n < d->num_ivals && !list_cap_reached(ctx, n) &&
	       4 + 4 * (n + 1) <= sim_reply_room(ctx))
		n++;
	sim_reply_u32(ctx, n | (d->num_ivals - idx - n) << 16);
	for (uint32_t i = idx; i < idx + n; i++)
		sim_reply_u32(ctx, ival_word(d->ivals[i]));
}

/* Async reads not yet answered (their delayed response not yet due). */
static unsigned int sensor_pending(struct sensor_state *st, uint64_t now)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < MAX_PENDING_MAX; i++) {
		if (st->pending_due[i] && st->pending_due[i] <= now)
			st->pending_due[i] = 0;
		n += st->pending_due[i] != 0;
	}
	return n;
}

static void sensor_pending_add(struct sensor_state *st, uint64_t due)
{
	for (unsigned int i = 0; i < MAX_PENDING_MAX; i++) {
		if (!st->pending_due[i]) {
			st->pending_due[i] = due;
			return;
		}
	}
}

static void sensor_reading_get(struct sim_ctx *ctx)
{
	struct sensor_state *st = ctx_state(ctx);
	uint8_t buf[4 + READING_SIZE * MAX_AXES];
	const struct sensor_def *d;
	int64_t vals[MAX_AXES];
	uint32_t id, flags = sim_req_u32(ctx, 4);
	uint64_t now = sim_now_ns(ctx->sim);
	size_t len;
	uint8_t *p;

	if (!(d = req_sensor(ctx, 0, &id)))
		return;
	if (flags & ~READ_ASYNC) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!st->rt[id].enabled) {
		sim_reply_error(ctx, SIM_DENIED); /* model choice: digest silent */
		return;
	}
	if ((flags & READ_ASYNC) && !d->async) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if ((flags & READ_ASYNC) && sensor_pending(st, now) >= st->max_pending) {
		st->stats.busy++;
		sim_reply_error(ctx, SIM_BUSY);
		return;
	}
	sensor_sample(ctx->sim, st, id, now, vals);
	len = sensor_encode_readings(st, id, ctx->version, vals, now, buf + 4);
	if (!(flags & READ_ASYNC)) {
		st->stats.sync_reads++;
		p = sim_reply_put(ctx, len);
		if (p)
			memcpy(p, buf + 4, len);
		return;
	}
	sim_put_le32(buf, id);
	if (sim_reply_delayed(ctx, SIM_SUCCESS, buf, 4 + len, st->async_delay_us)) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
		return;
	}
	st->stats.async_reads++;
	sensor_pending_add(st, now + (uint64_t)st->async_delay_us * 1000);
}

/* Enabling an event the model raises on its own: start its clock. */
static void sensor_watch(struct sim_ctx *ctx)
{
	sim_poll_request(ctx->sim);
}

static void sensor_trip_point_notify(struct sim_ctx *ctx)
{
	const struct sensor_def *d;
	uint32_t id, ctl = sim_req_u32(ctx, 4);

	if (!(d = req_sensor(ctx, 0, &id)))
		return;
	if (ctl & ~NOTIFY_EN) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!d->num_trips) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (sim_notify_request(ctx->sim, SIM_PROTO_SENSOR, SENSOR_EVT_TRIP_POINT, id,
			       ctl & NOTIFY_EN)) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
		return;
	}
	if (ctl & NOTIFY_EN)
		sensor_watch(ctx);
}

static void sensor_trip_point_config(struct sim_ctx *ctx)
{
	struct sensor_state *st = ctx_state(ctx);
	const struct sensor_def *d;
	uint32_t id, ctl = sim_req_u32(ctx, 4), trip;
	struct sensor_trip *tp;

	if (!(d = req_sensor(ctx, 0, &id)))
		return;
	trip = (ctl >> TRIP_ID_SHIFT) & 0xFFu;
	if ((ctl & ~TRIP_CTL_VALID) || trip >= d->num_trips) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	tp = &st->rt[id].trips[trip];
	tp->mode = (uint8_t)(ctl & TRIP_MODE_MASK);
	tp->value = (int64_t)((uint64_t)sim_req_u32(ctx, 8) | (uint64_t)sim_req_u32(ctx, 12) << 32);
	if (tp->mode)
		sensor_watch(ctx);
}

static void sensor_config_get(struct sim_ctx *ctx)
{
	const struct sensor_rt *rt;
	uint32_t id;

	if (!req_sensor(ctx, 0, &id))
		return;
	rt = &ctx_state(ctx)->rt[id];
	sim_reply_u32(ctx, (uint32_t)rt->ival.secs << CFG_SECS_SHIFT |
				   field5(rt->ival.exp) << CFG_EXP_SHIFT |
				   (rt->ts_enabled ? CFG_TS : 0) | (rt->enabled ? CFG_EN : 0));
}

static void sensor_config_set(struct sim_ctx *ctx)
{
	struct sensor_state *st = ctx_state(ctx);
	const struct sensor_def *d;
	uint32_t id, cfg = sim_req_u32(ctx, 4), rounding;
	struct sensor_rt *rt;
	struct ival want;
	uint64_t ns = 0;

	if (!(d = req_sensor(ctx, 0, &id)))
		return;
	rt = &st->rt[id];
	rounding = (cfg >> CFG_ROUND_SHIFT) & CFG_ROUND_MASK;
	if ((cfg & CFG_RESERVED) || rounding > ROUND_AUTO) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if ((cfg & CFG_TS) && !d->ts) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	want.secs = (uint16_t)(cfg >> CFG_SECS_SHIFT);
	want.exp = sext5(cfg >> CFG_EXP_SHIFT);
	/* Model choice (digest silent): 0 seconds keeps the current interval. */
	if (want.secs) {
		if (!d->num_ivals) {
			sim_reply_error(ctx, SIM_NOT_SUPPORTED);
			return;
		}
		if (!sensor_round_interval(d, want, rounding, &ns)) {
			sim_reply_error(ctx, SIM_OUT_OF_RANGE);
			return;
		}
		rt->ival = ns_ival(ns);
	}
	rt->enabled = cfg & CFG_EN;
	rt->ts_enabled = cfg & CFG_TS;
	rt->next_update_ns = sim_now_ns(ctx->sim) + ival_ns(rt->ival, false);
}

static void sensor_continuous_update_notify(struct sim_ctx *ctx)
{
	struct sensor_state *st = ctx_state(ctx);
	const struct sensor_def *d;
	uint32_t id, ctl = sim_req_u32(ctx, 4);

	if (!(d = req_sensor(ctx, 0, &id)))
		return;
	if (ctl & ~NOTIFY_EN) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!d->cont) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (sim_notify_request(ctx->sim, SIM_PROTO_SENSOR, SENSOR_EVT_UPDATE, id,
			       ctl & NOTIFY_EN)) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
		return;
	}
	if (ctl & NOTIFY_EN) {
		st->rt[id].next_update_ns = sim_now_ns(ctx->sim) + ival_ns(st->rt[id].ival, false);
		sensor_watch(ctx);
	}
}

/* The platform's own clock: trip crossings of live values, periodic
 * updates at each sensor's interval. */
static void sensor_poll(struct sim_proto *p)
{
	struct sensor_state *st = p->state;
	uint64_t now = sim_now_ns(p->sim);
	int64_t vals[MAX_AXES];

	for (uint32_t id = 0; id < NUM_SENSORS; id++) {
		struct sensor_rt *rt = &st->rt[id];
		uint64_t period;

		if (!rt->enabled)
			continue;
		if (!rt->pinned && sensor_defs[id].num_trips)
			sensor_sample(p->sim, st, id, now, vals);
		if (p->active < V2 || !sensor_defs[id].cont || now < rt->next_update_ns ||
		    !sim_notify_is_enabled(p->sim, SIM_PROTO_SENSOR, SENSOR_EVT_UPDATE, id))
			continue;
		sensor_values(st, id, now, vals);
		sensor_update_event(p->sim, st, id, vals, now);
		period = ival_ns(rt->ival, false);
		rt->next_update_ns = now + (period < MIN_PERIOD_NS ? MIN_PERIOD_NS : period);
	}
}

static const struct sim_cmd sensor_cmds[] = {
	{SENSOR_DESCRIPTION_GET, V1, 4, sensor_description_get},
	{SENSOR_TRIP_POINT_NOTIFY, V1, 8, sensor_trip_point_notify},
	{SENSOR_TRIP_POINT_CONFIG, V1, 16, sensor_trip_point_config},
	{SENSOR_READING_GET, V1, 8, sensor_reading_get},
	{SENSOR_AXIS_DESCRIPTION_GET, V2, 8, sensor_axis_description_get},
	{SENSOR_LIST_UPDATE_INTERVALS, V2, 8, sensor_list_update_intervals},
	{SENSOR_CONFIG_GET, V2, 4, sensor_config_get},
	{SENSOR_CONFIG_SET, V2, 8, sensor_config_set},
	{SENSOR_CONTINUOUS_UPDATE_NOTIFY, V2, 8, sensor_continuous_update_notify},
	{SENSOR_NAME_GET, V3, 4, sensor_name_get},
	{SENSOR_AXIS_NAME_GET, V3, 8, sensor_axis_name_get},
};

static int sensor_init(struct sim_proto *p)
{
	struct sensor_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	for (uint32_t id = 0; id < NUM_SENSORS; id++)
		sensor_rt_reset(&st->rt[id], &sensor_defs[id]);
	st->max_pending = 4;
	st->async_delay_us = 500;
	st->epoch_ns = 0; /* the platform's clock counts from boot */
	p->state = st;
	return 0;
}

static void sensor_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

/* BASE_RESET_AGENT_CONFIGURATION of the connected agent: its settings go. */
static void sensor_agent_reset(struct sim_proto *p, uint32_t agent_id)
{
	struct sensor_state *st = p->state;

	if (agent_id != p->sim->agent_id)
		return;
	for (uint32_t id = 0; id < NUM_SENSORS; id++)
		sensor_rt_reset(&st->rt[id], &sensor_defs[id]);
}

const struct sim_proto_ops sim_sensor_ops = {
	.id = SIM_PROTO_SENSOR,
	.name = "sensor",
	.versions = sensor_versions,
	.negotiate_since = SIM_VERSION(3, 1),
	.cmds = sensor_cmds,
	.num_cmds = SIM_ARRAY_SIZE(sensor_cmds),
	.init = sensor_init,
	.fini = sensor_fini,
	.attributes = sensor_attributes,
	.agent_reset = sensor_agent_reset,
	.poll = sensor_poll,
};

/* ---- test-facing API ---------------------------------------------------------------- */

/* Lock taken and the state found; -ENOENT (lock released) otherwise. */
static int sensor_api_enter(struct scmi_sim *sim, struct sensor_state **st)
{
	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	*st = sensor_state(sim);
	if (!*st) {
		sim_unlock(sim);
		return -ENOENT;
	}
	return 0;
}

/* The name an agent should show at version @v: all of it from 3.0 on, else
 * what the 16-byte field holds -- a field full to its 16 bytes has no NUL,
 * and an agent keeps at most 15 characters of it (§5). */
static void api_name(char dst[SCMI_SIM_SENSOR_NAME_MAX], const char *name, uint32_t v)
{
	size_t n = strnlen(name, v >= V3 ? EXT_NAME_SIZE - 1 : SHORT_NAME_MAX_LEN);

	memcpy(dst, name, n);
	dst[n] = '\0';
}

int scmi_sim_sensor_count(struct scmi_sim *sim)
{
	struct sensor_state *st;
	int ret = sensor_api_enter(sim, &st);

	if (ret)
		return ret;
	sim_unlock(sim);
	return (int)NUM_SENSORS;
}

static void api_intervals(const struct sensor_def *d, uint32_t v, struct scmi_sim_sensor_info *info)
{
	if (v < V2) {
		struct ival iv = ival_v1(d->def_ival);

		info->num_intervals = iv.secs ? 1 : 0;
		info->intervals[0] = (struct scmi_sim_sensor_interval){iv.secs, iv.exp};
		return;
	}
	info->intervals_segmented = d->segmented;
	info->num_intervals = d->num_ivals;
	for (unsigned int i = 0; i < d->num_ivals && i < SCMI_SIM_SENSOR_MAX_INTERVALS; i++)
		info->intervals[i] =
			(struct scmi_sim_sensor_interval){d->ivals[i].secs, d->ivals[i].exp};
}

int scmi_sim_sensor_info_get(struct scmi_sim *sim, uint32_t id, struct scmi_sim_sensor_info *info)
{
	const struct sensor_def *d;
	struct sensor_state *st;
	uint32_t v;
	int ret;

	if (!info || id >= NUM_SENSORS)
		return -EINVAL;
	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	d = &sensor_defs[id];
	v = sensor_version(sim);
	memset(info, 0, sizeof(*info));
	info->id = id;
	api_name(info->name, d->name, v);
	info->ext_name = v >= V3 && sensor_long_name(d->name);
	info->type = d->type;
	info->scale = d->scale;
	info->num_trip_points = d->num_trips;
	info->async = d->async;
	if (v >= V2) {
		info->continuous_update = d->cont;
		info->timestamped = d->ts;
		info->timestamp_scale = d->ts ? d->ts_exp : 0;
		info->extended_attrs = d->ext;
		info->power_uw = d->ext ? d->power_uw : 0;
		if (d->ext && !d->num_axes) {
			info->resolution = d->res;
			info->resolution_scale = d->res_exp;
			info->min_range = d->min;
			info->max_range = d->max;
		}
		info->num_axes = d->num_axes;
	}
	api_intervals(d, v, info);
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_axis_get(struct scmi_sim *sim, uint32_t id, uint32_t axis,
			     struct scmi_sim_sensor_axis *out)
{
	const struct axis_def *ax;
	struct sensor_state *st;
	uint32_t v;
	int ret;

	if (!out || id >= NUM_SENSORS || axis >= sensor_defs[id].num_axes)
		return -EINVAL;
	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	v = sensor_version(sim);
	if (v < V2) {
		sim_unlock(sim);
		return -EINVAL; /* no axes at 1.0 */
	}
	ax = &sensor_defs[id].axes[axis];
	memset(out, 0, sizeof(*out));
	api_name(out->name, ax->name, v);
	out->ext_name = v >= V3 && sensor_long_name(ax->name);
	out->type = ax->type;
	out->scale = ax->scale;
	out->extended_attrs = ax->ext;
	if (ax->ext) {
		out->resolution = ax->res;
		out->resolution_scale = ax->res_exp;
		out->min_range = ax->min;
		out->max_range = ax->max;
	}
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_config_get(struct scmi_sim *sim, uint32_t id,
			       struct scmi_sim_sensor_config *cfg)
{
	struct sensor_state *st;
	int ret;

	if (!cfg || id >= NUM_SENSORS)
		return -EINVAL;
	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	cfg->enabled = st->rt[id].enabled;
	cfg->timestamping = st->rt[id].ts_enabled;
	cfg->interval =
		(struct scmi_sim_sensor_interval){st->rt[id].ival.secs, st->rt[id].ival.exp};
	sim_unlock(sim);
	return 0;
}

/* Values a test passes: one per reading at the version in use. */
static bool api_values_ok(struct scmi_sim *sim, uint32_t id, const void *values, unsigned int n)
{
	return values && id < NUM_SENSORS &&
	       n == sensor_nreadings(&sensor_defs[id], sensor_version(sim));
}

int scmi_sim_sensor_value_set(struct scmi_sim *sim, uint32_t id, const int64_t *values,
			      unsigned int n)
{
	struct sensor_state *st;
	struct sensor_rt *rt;
	int64_t vals[MAX_AXES];
	uint64_t now = sim_now_ns(sim);
	unsigned int before;
	int ret;

	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	if (!api_values_ok(sim, id, values, n)) {
		sim_unlock(sim);
		return -EINVAL;
	}
	rt = &st->rt[id];
	before = (unsigned int)(st->stats.trip_events + st->stats.updates);
	sensor_sample(sim, st, id, now, vals); /* where it was */
	for (unsigned int a = 0; a < MAX_AXES; a++)
		rt->pinned_val[a] = a < n ? values[a] : vals[a];
	rt->pinned = true;
	sensor_sample(sim, st, id, now, vals);
	sensor_update_event(sim, st, id, vals, now);
	ret = (int)((unsigned int)(st->stats.trip_events + st->stats.updates) - before);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_sensor_value_get(struct scmi_sim *sim, uint32_t id, int64_t *values, unsigned int n)
{
	struct sensor_state *st;
	int64_t vals[MAX_AXES];
	int ret;

	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	if (!api_values_ok(sim, id, values, n)) {
		sim_unlock(sim);
		return -EINVAL;
	}
	sensor_values(st, id, sim_now_ns(sim), vals);
	memcpy(values, vals, n * sizeof(*values));
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_live_set(struct scmi_sim *sim, uint32_t id, bool live)
{
	struct sensor_state *st;
	int64_t vals[MAX_AXES];
	int ret;

	if (id >= NUM_SENSORS)
		return -EINVAL;
	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	if (!live && !st->rt[id].pinned) {
		sensor_values(st, id, sim_now_ns(sim), vals);
		memcpy(st->rt[id].pinned_val, vals, sizeof(vals));
	}
	st->rt[id].pinned = !live;
	if (live)
		sim_poll_request(sim);
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_trip_get(struct scmi_sim *sim, uint32_t id, uint32_t trip, uint8_t *mode,
			     int64_t *value)
{
	struct sensor_state *st;
	int ret;

	if (!mode || !value || id >= NUM_SENSORS || trip >= sensor_defs[id].num_trips)
		return -EINVAL;
	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	*mode = st->rt[id].trips[trip].mode;
	*value = st->rt[id].trips[trip].value;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_async_set(struct scmi_sim *sim, unsigned int max_pending, uint32_t delay_us)
{
	struct sensor_state *st;
	int ret;

	if (!max_pending || max_pending > MAX_PENDING_MAX)
		return -EINVAL;
	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	st->max_pending = max_pending;
	st->async_delay_us = delay_us;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_async_get(struct scmi_sim *sim, unsigned int *max_pending, uint32_t *delay_us)
{
	struct sensor_state *st;
	int ret = sensor_api_enter(sim, &st);

	if (ret)
		return ret;
	if (max_pending)
		*max_pending = st->max_pending;
	if (delay_us)
		*delay_us = st->async_delay_us;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_stats_region_get(struct scmi_sim *sim, uint64_t *addr, uint32_t *len)
{
	struct sensor_state *st;
	int ret = sensor_api_enter(sim, &st);

	if (ret)
		return ret;
	if (addr)
		*addr = st->region_addr;
	if (len)
		*len = st->region_len;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_stats_region_set(struct scmi_sim *sim, uint64_t addr, uint32_t len)
{
	struct sensor_state *st;
	int ret = sensor_api_enter(sim, &st);

	if (ret)
		return ret;
	st->region_addr = len ? addr : 0;
	st->region_len = len;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_sensor_stats_get(struct scmi_sim *sim, struct scmi_sim_sensor_stats *out)
{
	struct sensor_state *st;
	int ret;

	if (!out)
		return -EINVAL;
	ret = sensor_api_enter(sim, &st);
	if (ret)
		return ret;
	*out = st->stats;
	sim_unlock(sim);
	return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * Sensor management protocol (0x15), spec digest §6.6.
 *
 * Bring-up reads PROTOCOL_ATTRIBUTES, walks DESCRIPTION_GET to the end
 * (descriptors of 28, 32 or 52 bytes, the size implied by each one's flags),
 * then per sensor: SENSOR_NAME_GET when the descriptor flags a longer name
 * (3.0+), the axes of multi-axis sensors with AXIS_DESCRIPTION_GET and
 * AXIS_NAME_GET (2.0+ / 3.0+), and LIST_UPDATE_INTERVALS (2.0+).  All of it
 * is cached in ph->priv and never changes afterwards, so readers take no
 * lock.  The only mutable state is the count of asynchronous READING_GETs in
 * flight (an atomic), which keeps us within the platform's "max pending".
 *
 * Leniency (docs/PROTOCOLS.md): the descriptor list is protocol-wide, so a
 * bad entry disables the one sensor it concerns, not the list: a
 * descriptor naming an unknown sensor is skipped, two naming the same one
 * disable it, and a list that ends early (or turns malformed) keeps the
 * descriptors before; the sensors left undescribed are disabled.  A sensor
 * whose axes are described badly is disabled; intervals described badly
 * are only unknown (intervals.err).  Disabled sensors keep their id: info
 * says usable = false, every other op returns -EPROTO, their events are
 * dropped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <scmi/protocols/sensor.h>

#include "../notify.h"
#include "../protocols.h"
#include "../quirks.h"

#define SENSOR_DESCRIPTION_GET		0x3
#define SENSOR_TRIP_POINT_NOTIFY	0x4
#define SENSOR_TRIP_POINT_CONFIG	0x5
#define SENSOR_READING_GET		0x6
#define SENSOR_AXIS_DESCRIPTION_GET	0x7
#define SENSOR_LIST_UPDATE_INTERVALS	0x8
#define SENSOR_CONFIG_GET		0x9
#define SENSOR_CONFIG_SET		0xa
#define SENSOR_CONTINUOUS_UPDATE_NOTIFY 0xb
#define SENSOR_NAME_GET			0xc
#define SENSOR_AXIS_NAME_GET		0xd

#define SENSOR_V2 SCMI_PROTO_VERSION(2, 0)
#define SENSOR_V3 SCMI_PROTO_VERSION(3, 0)

#define BIT(n) (1u << (n))

/* PROTOCOL_ATTRIBUTES word 0 */
#define ATTR_NUM_SENSORS(w) ((w)&0xffffu)
#define ATTR_MAX_PENDING(w) (((w) >> 16) & 0xffu)

/* Descriptor attributes_low */
#define DESC_ASYNC	   BIT(31)
#define DESC_CONT_NOTIFY   BIT(30) /* 2.0+ */
#define DESC_EXT_NAME	   BIT(29) /* 3.0+ */
#define DESC_TS_EXP_SHIFT  10	   /* b[14:10], 2.0+ */
#define DESC_TIMESTAMPED   BIT(9)  /* 2.0+ */
#define DESC_EXT_ATTRS	   BIT(8)  /* 2.0+ */
#define DESC_NUM_TRIPS(lo) ((lo)&0xffu)
/* Descriptor attributes_high */
#define DESC_V1_INT_SECS(hi)   (((hi) >> 27) & 0x1fu) /* 1.0 only */
#define DESC_V1_INT_EXP_SHIFT  22		      /* b[26:22], 1.0 only */
#define DESC_NUM_AXES(hi)      (((hi) >> 16) & 0x3fu) /* 2.0+ */
#define DESC_MULTI_AXIS	       BIT(8)		      /* 2.0+ */
#define DESC_UNIT_EXP_SHIFT    11		      /* b[15:11] */
#define DESC_TYPE(hi)	       ((hi)&0xffu)
#define DESC_RES_VALUE(r)      ((r)&0x7ffffffu)
#define DESC_RES_EXP_SHIFT     27
#define SENSOR_DESC_SIZE       28u /* id, attributes_low/high, name[16] */
#define SENSOR_DESC_POWER_SIZE 4u  /* + sensor_power */
#define SENSOR_DESC_SCALAR_EXT 20u /* + resolution, min_range, max_range */

/* Axis descriptor */
#define AXIS_EXT_NAME	      BIT(9)
#define AXIS_EXT_ATTRS	      BIT(8)
#define AXIS_DESC_SIZE	      28u
#define AXIS_DESC_EXT_SIZE    48u
#define AXIS_NAME_ENTRY_SIZE  (4u + SCMI_MAX_STR_SIZE)
#define AXIS_RETURNED(w)      ((w)&0x3fu)
#define AXIS_REMAINING(w)     ((w) >> 26)
#define DESC_RETURNED(w)      ((w)&0xfffu)
#define DESC_REMAINING(w)     ((w) >> 16)
#define INTERVALS_SEGMENTED   BIT(12)
#define INTERVAL_SECS(v)      (((v) >> 5) & 0xffffu)
#define INTERVAL_EXP_SHIFT    0
#define INTERVALS_SEGMENT_LEN 3u

/* sensor_config */
#define CFG_INT_SECS_SHIFT 16
#define CFG_INT_EXP_SHIFT  11
#define CFG_ROUND_SHIFT	   9
#define CFG_ROUND_MASK	   0x3u
#define CFG_TIMESTAMPING   BIT(1)
#define CFG_ENABLED	   BIT(0)

#define READING_ASYNC	 BIT(0)
#define READING_SIZE	 16u /* value i64, timestamp u64 (2.0+) */
#define READING_V1_SIZE	 8u
#define TRIP_MODE_MASK	 0x3u
#define TRIP_ID_SHIFT	 4
#define TRIP_ID_MAX	 0xffu
#define TRIP_EVT_SIZE	 12u
#define TRIP_DESC_ID(d)	 ((d)&0xffu)
#define TRIP_DESC_UPWARD BIT(16) /* unverified: SCP behaviour */
#define UPDATE_EVT_HDR	 8u	 /* agent_id, sensor_id */
#define SENSOR_EXP_MIN	 (-16)
#define SENSOR_EXP_MAX	 15

struct sensor_slot {
	bool seen;			    /* described by DESCRIPTION_GET */
	bool bad;			    /* ... badly: the sensor is disabled */
	struct scmi_sensor_axis_info *axes; /* owned; info.axes */
	struct scmi_sensor_interval *ivals; /* owned; info.intervals.list */
};

struct sensor_priv {
	struct scmi_sensor_protocol_info pinfo;
	struct scmi_sensor_info *sensors; /* num_sensors, indexed by id */
	struct sensor_slot *slots;
	/* 2.0 commands the digest has from Linux alone: probed at bring-up. */
	bool has_config_get, has_config_set, has_cont_notify;
	/* Asynchronous READING_GETs in flight, <= pinfo.max_pending_async. */
	atomic_uint async_inflight;
};

/* A 5-bit two's complement field at @shift. */
static int8_t sext5(uint32_t word, unsigned int shift)
{
	int v = (int)((word >> shift) & 0x1fu);

	return (int8_t)(v & 0x10 ? v - 32 : v);
}

static struct scmi_sensor_interval interval_decode(uint32_t v)
{
	return (struct scmi_sensor_interval){
		.seconds = (uint16_t)INTERVAL_SECS(v),
		.exponent = sext5(v, INTERVAL_EXP_SHIFT),
	};
}

static struct scmi_sensor_resolution resolution_decode(uint32_t v)
{
	return (struct scmi_sensor_resolution){
		.value = DESC_RES_VALUE(v),
		.exponent = sext5(v, DESC_RES_EXP_SHIFT),
	};
}

static bool sensor_v2(const struct scmi_protocol_handle *ph)
{
	return ph->version >= SENSOR_V2;
}

/* Readings in one READING_GET reply / SENSOR_UPDATE event. */
static unsigned int sensor_num_readings(const struct scmi_sensor_info *si)
{
	return si->num_axes ? si->num_axes : 1;
}

/* ---- DESCRIPTION_GET ------------------------------------------------------- */

struct sensor_walk {
	const struct scmi_protocol_handle *ph;
	struct sensor_priv *p;
	uint32_t sensor_id;
	/* interval walks */
	bool started;
	bool segmented;
	unsigned int count;
	struct scmi_sensor_interval *ivals;
	/* axis walks: axes described so far (at most 63: one bit each) */
	uint64_t axes_seen;
	/* axis name walks: staged, committed when the walk completes */
	char (*names)[SCMI_MAX_STR_SIZE];
};

static void desc_prepare(void *tx, unsigned int index, void *priv)
{
	scmi_put_le32(tx, index);
}

static int desc_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
		       unsigned int *remaining, size_t *off, void *priv)
{
	uint32_t w;

	if (rx_len < 4)
		return -EPROTO;
	w = scmi_get_le32(rx);
	*returned = DESC_RETURNED(w);
	*remaining = DESC_REMAINING(w);
	*off = 4;
	return 0;
}

static void desc_fill(const struct scmi_protocol_handle *ph, struct scmi_sensor_info *si,
		      const uint8_t *d, bool ext, bool multi)
{
	uint32_t lo = scmi_get_le32(d + 4), hi = scmi_get_le32(d + 8);

	si->attributes_low = lo;
	si->attributes_high = hi;
	si->type = (uint8_t)DESC_TYPE(hi);
	si->scale = sext5(hi, DESC_UNIT_EXP_SHIFT);
	si->num_trip_points = (uint8_t)DESC_NUM_TRIPS(lo);
	si->async = lo & DESC_ASYNC;
	/* A full 16-byte field has no NUL: at most 15 characters (§5). */
	scmi_copy_name(si->name, SCMI_SHORT_NAME_MAX_SIZE, d + 12, SCMI_SHORT_NAME_MAX_SIZE);
	if (!sensor_v2(ph))
		return; /* the other bits are reserved (or the interval) in 1.0 */
	si->continuous_update = lo & DESC_CONT_NOTIFY;
	si->timestamped = lo & DESC_TIMESTAMPED;
	si->tstamp_scale = sext5(lo, DESC_TS_EXP_SHIFT);
	si->num_axes = multi ? DESC_NUM_AXES(hi) : 0;
	si->extended_attrs = ext;
	if (!ext)
		return;
	si->sensor_power = scmi_get_le32(d + SENSOR_DESC_SIZE);
	if (multi)
		return;
	si->extended_scalar_attrs = true;
	si->resolution = resolution_decode(scmi_get_le32(d + 32));
	si->min_range = (int64_t)scmi_get_le64(d + 36);
	si->max_range = (int64_t)scmi_get_le64(d + 44);
}

static int desc_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
		      unsigned int i, void *priv)
{
	struct sensor_walk *w = priv;
	struct sensor_priv *p = w->p;
	const struct scmi_logger *log = &w->ph->inst->log;
	const uint8_t *d = rx + *off;
	size_t size = SENSOR_DESC_SIZE;
	uint32_t id, lo, hi;
	bool ext = false, multi = false;

	/* Every sensor has one descriptor: more cannot be right (and this
	 * bounds the walk whatever the counts say). */
	if (index >= p->pinfo.num_sensors) {
		scmi_warn(log, "sensor: more than %u descriptors; the rest ignored",
			  p->pinfo.num_sensors);
		return 1;
	}
	if (rx_len - *off < SENSOR_DESC_SIZE)
		goto short_reply;
	id = scmi_get_le32(d);
	lo = scmi_get_le32(d + 4);
	hi = scmi_get_le32(d + 8);
	if (sensor_v2(w->ph)) {
		ext = lo & DESC_EXT_ATTRS;
		multi = hi & DESC_MULTI_AXIS;
		if (ext)
			size += SENSOR_DESC_POWER_SIZE + (multi ? 0 : SENSOR_DESC_SCALAR_EXT);
	}
	if (rx_len - *off < size)
		goto short_reply;
	*off += size;
	/* A bad descriptor is skipped; the next ones are still read. */
	if (id >= p->pinfo.num_sensors) {
		scmi_warn(log, "sensor: descriptor %u has out-of-range sensor id %u: skipped",
			  index, id);
		return 0;
	}
	if (p->slots[id].seen) {
		scmi_warn(log, "sensor: descriptor %u has duplicate sensor id %u", index, id);
		p->slots[id].bad = true;
		return 0;
	}
	p->slots[id].seen = true;
	if (multi && (DESC_NUM_AXES(hi) == 0)) {
		scmi_warn(log, "sensor: multi-axis sensor %u has no axes", id);
		p->slots[id].bad = true;
		return 0;
	}
	desc_fill(w->ph, &p->sensors[id], d, ext, multi);
	return 0;

short_reply:
	scmi_warn(log, "sensor: descriptor %u truncated (%zu bytes left)", index, rx_len - *off);
	return -EPROTO;
}

static const struct scmi_iter_ops desc_iter_ops = {
	.prepare = desc_prepare,
	.update = desc_update,
	.entry = desc_entry,
};

/*
 * DESCRIPTION_GET to the end.  The list is protocol-wide: what goes wrong
 * in it (a malformed or refused reply, an early end) costs the sensors not
 * described by then, not the ones before.  Only no answer at all (a
 * timeout) fails the bring-up.
 */
static int sensor_describe_all(const struct scmi_protocol_handle *ph, struct sensor_priv *p)
{
	const struct scmi_iter_desc desc = {
		.msg_id = SENSOR_DESCRIPTION_GET,
		.tx_size = 4,
		.ops = &desc_iter_ops,
	};
	struct sensor_walk w = {.ph = ph, .p = p};
	unsigned int described = 0;
	int ret;

	ret = scmi_common_iter_run(ph, &desc, &w, NULL);
	if (ret && !scmi_common_bad_answer(ret))
		return ret;
	if (ret)
		scmi_warn(&ph->inst->log, "sensor: descriptor list cut short: %s",
			  scmi_strerror(ret));
	for (unsigned int id = 0; id < p->pinfo.num_sensors; id++)
		described += p->slots[id].seen && !p->slots[id].bad;
	if (described < p->pinfo.num_sensors)
		scmi_warn(&ph->inst->log,
			  "sensor: %u of %u sensors described; the others are disabled", described,
			  p->pinfo.num_sensors);
	return 0;
}

/* ---- AXIS_DESCRIPTION_GET / AXIS_NAME_GET --------------------------------- */

static void axis_prepare(void *tx, unsigned int index, void *priv)
{
	const struct sensor_walk *w = priv;

	scmi_put_le32(tx, w->sensor_id);
	scmi_put_le32((uint8_t *)tx + 4, index);
}

static int axis_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
		       unsigned int *remaining, size_t *off, void *priv)
{
	uint32_t w;

	if (rx_len < 4)
		return -EPROTO;
	w = scmi_get_le32(rx);
	*returned = AXIS_RETURNED(w);
	*remaining = AXIS_REMAINING(w);
	*off = 4;
	return 0;
}

static int axis_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
		      unsigned int i, void *priv)
{
	struct sensor_walk *w = priv;
	const struct scmi_sensor_info *si = &w->p->sensors[w->sensor_id];
	struct scmi_sensor_axis_info *ax;
	const uint8_t *d = rx + *off;
	uint32_t id, lo, hi;
	size_t size;

	if (rx_len - *off < AXIS_DESC_SIZE)
		goto short_reply;
	id = scmi_get_le32(d);
	lo = scmi_get_le32(d + 4);
	hi = scmi_get_le32(d + 8);
	size = lo & AXIS_EXT_ATTRS ? AXIS_DESC_EXT_SIZE : AXIS_DESC_SIZE;
	if (rx_len - *off < size)
		goto short_reply;
	if (id >= si->num_axes || (w->axes_seen & (1ull << id))) {
		scmi_warn(&w->ph->inst->log, "sensor %u: axis descriptor %u has bad axis id %u",
			  w->sensor_id, index, id);
		return -EPROTO;
	}
	w->axes_seen |= 1ull << id;
	ax = &w->p->slots[w->sensor_id].axes[id];
	ax->id = id;
	ax->attributes_low = lo;
	ax->attributes_high = hi;
	ax->type = (uint8_t)DESC_TYPE(hi);
	ax->scale = sext5(hi, DESC_UNIT_EXP_SHIFT);
	ax->extended_attrs = lo & AXIS_EXT_ATTRS;
	scmi_copy_name(ax->name, SCMI_SHORT_NAME_MAX_SIZE, d + 12, SCMI_SHORT_NAME_MAX_SIZE);
	if (ax->extended_attrs) {
		ax->resolution = resolution_decode(scmi_get_le32(d + 28));
		ax->min_range = (int64_t)scmi_get_le64(d + 32);
		ax->max_range = (int64_t)scmi_get_le64(d + 40);
	}
	*off += size;
	return 0;

short_reply:
	scmi_warn(&w->ph->inst->log, "sensor %u: axis descriptor %u truncated", w->sensor_id,
		  index);
	return -EPROTO;
}

static const struct scmi_iter_ops axis_iter_ops = {
	.prepare = axis_prepare,
	.update = axis_update,
	.entry = axis_entry,
};

static int axis_name_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
			   unsigned int i, void *priv)
{
	struct sensor_walk *w = priv;
	const struct scmi_sensor_info *si = &w->p->sensors[w->sensor_id];
	uint32_t id;

	if (rx_len - *off < AXIS_NAME_ENTRY_SIZE) {
		scmi_warn(&w->ph->inst->log, "sensor %u: axis name %u truncated", w->sensor_id,
			  index);
		return -EPROTO;
	}
	id = scmi_get_le32(rx + *off);
	if (id >= si->num_axes || (w->axes_seen & (1ull << id))) {
		scmi_warn(&w->ph->inst->log, "sensor %u: axis name %u has bad axis id %u",
			  w->sensor_id, index, id);
		return -EPROTO;
	}
	w->axes_seen |= 1ull << id;
	scmi_copy_name(w->names[id], SCMI_MAX_STR_SIZE, rx + *off + 4, SCMI_MAX_STR_SIZE);
	*off += AXIS_NAME_ENTRY_SIZE;
	return 0;
}

static const struct scmi_iter_ops axis_name_iter_ops = {
	.prepare = axis_prepare,
	.update = axis_update,
	.entry = axis_name_entry,
};

/* Extended axis names: staged, then applied to the axes that flag one. */
static void sensor_axis_names(const struct scmi_protocol_handle *ph, struct sensor_priv *p,
			      uint32_t id)
{
	struct scmi_sensor_info *si = &p->sensors[id];
	struct scmi_sensor_axis_info *axes = p->slots[id].axes;
	const struct scmi_iter_desc desc = {
		.msg_id = SENSOR_AXIS_NAME_GET,
		.tx_size = 8,
		.max_entries = si->num_axes,
		.ops = &axis_name_iter_ops,
	};
	struct sensor_walk w = {.ph = ph, .p = p, .sensor_id = id};
	bool wanted = false;
	int ret;

	for (unsigned int a = 0; a < si->num_axes; a++)
		wanted |= axes[a].attributes_low & AXIS_EXT_NAME;
	if (!wanted)
		return;
	w.names = calloc(si->num_axes, sizeof(*w.names));
	ret = w.names ? scmi_common_iter_run(ph, &desc, &w, NULL) : -ENOMEM;
	if (ret) {
		scmi_dbg(&ph->inst->log, "sensor %u: AXIS_NAME_GET failed (%d): short names kept",
			 id, ret);
	} else {
		for (unsigned int a = 0; a < si->num_axes; a++)
			if ((w.axes_seen & (1ull << a)) && (axes[a].attributes_low & AXIS_EXT_NAME))
				memcpy(axes[a].name, w.names[a], SCMI_MAX_STR_SIZE);
	}
	free(w.names);
}

static int sensor_axes(const struct scmi_protocol_handle *ph, struct sensor_priv *p, uint32_t id)
{
	struct scmi_sensor_info *si = &p->sensors[id];
	const struct scmi_iter_desc desc = {
		.msg_id = SENSOR_AXIS_DESCRIPTION_GET,
		.tx_size = 8,
		.max_entries = si->num_axes,
		.ops = &axis_iter_ops,
	};
	struct sensor_walk w = {.ph = ph, .p = p, .sensor_id = id};
	unsigned int total = 0;
	int ret;

	p->slots[id].axes = calloc(si->num_axes, sizeof(*p->slots[id].axes));
	if (!p->slots[id].axes)
		return -ENOMEM;
	ret = scmi_common_iter_run(ph, &desc, &w, &total);
	if (ret)
		return ret;
	/* Every axis must be described: readings come one per axis. */
	if (total != si->num_axes) {
		scmi_warn(&ph->inst->log, "sensor %u: %u axis descriptors for %u axes", id, total,
			  si->num_axes);
		return -EPROTO;
	}
	si->axes = p->slots[id].axes;
	if (ph->version >= SENSOR_V3)
		sensor_axis_names(ph, p, id);
	return 0;
}

/* ---- LIST_UPDATE_INTERVALS ------------------------------------------------- */

static int intervals_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
			    unsigned int *remaining, size_t *off, void *priv)
{
	struct sensor_walk *w = priv;
	uint32_t flags;
	bool seg;

	if (rx_len < 4)
		return -EPROTO;
	flags = scmi_get_le32(rx);
	*returned = DESC_RETURNED(flags);
	*remaining = DESC_REMAINING(flags);
	*off = 4;
	seg = flags & INTERVALS_SEGMENTED;
	if (w->started) {
		if (seg != w->segmented)
			goto bad;
		return 0;
	}
	/* A segment is one triplet in one reply (Linux tolerates firmware
	 * that miscounts it; we do not). */
	if (seg && (*returned != INTERVALS_SEGMENT_LEN || *remaining))
		goto bad;
	w->started = true;
	w->segmented = seg;
	w->count = *returned + *remaining;
	if (!w->count)
		return 0;
	w->ivals = calloc(w->count, sizeof(*w->ivals));
	return w->ivals ? 0 : -ENOMEM;
bad:
	scmi_warn(&w->ph->inst->log,
		  "sensor %u: bad update interval reply (flags 0x%x, %u returned, %u left)",
		  w->sensor_id, flags, *returned, *remaining);
	return -EPROTO;
}

static int intervals_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
			   unsigned int i, void *priv)
{
	struct sensor_walk *w = priv;

	if (rx_len - *off < 4 || index >= w->count) {
		scmi_warn(&w->ph->inst->log, "sensor %u: update interval %u truncated",
			  w->sensor_id, index);
		return -EPROTO;
	}
	w->ivals[index] = interval_decode(scmi_get_le32(rx + *off));
	*off += 4;
	return 0;
}

static const struct scmi_iter_ops intervals_iter_ops = {
	.prepare = axis_prepare,
	.update = intervals_update,
	.entry = intervals_entry,
};

/*
 * LIST_UPDATE_INTERVALS.  The list is information only (config_set() does
 * not check against it): refused or described badly, it is left empty and
 * intervals.err says why.  No answer at all fails the bring-up.
 */
static int sensor_intervals(const struct scmi_protocol_handle *ph, struct sensor_priv *p,
			    uint32_t id)
{
	struct scmi_sensor_info *si = &p->sensors[id];
	const struct scmi_iter_desc desc = {
		.msg_id = SENSOR_LIST_UPDATE_INTERVALS,
		.tx_size = 8,
		.ops = &intervals_iter_ops,
	};
	struct sensor_walk w = {.ph = ph, .p = p, .sensor_id = id};
	unsigned int total = 0;
	int ret;

	ret = scmi_common_iter_run(ph, &desc, &w, &total);
	/* A segment {lowest, highest, step} must describe a range a caller
	 * can step through: lowest <= highest, step > 0. */
	if (!ret && w.segmented &&
	    (scmi_sensor_interval_ns(w.ivals[0]) > scmi_sensor_interval_ns(w.ivals[1]) ||
	     !scmi_sensor_interval_ns(w.ivals[2]))) {
		scmi_warn(&ph->inst->log, "sensor %u: bad update interval segment", id);
		ret = -EPROTO;
	}
	if (ret) {
		free(w.ivals);
		if (!scmi_common_bad_answer(ret))
			return ret;
		if (ret == -EPROTO)
			scmi_warn(&ph->inst->log, "sensor %u: update intervals unknown", id);
		else /* refused: the platform keeps no list for this sensor */
			scmi_dbg(&ph->inst->log, "sensor %u: no update intervals (%s)", id,
				 scmi_strerror(ret));
		si->intervals.err = ret;
		return 0;
	}
	/* The list may end before its announced size: the entries listed. */
	if (!total) {
		free(w.ivals);
		w.ivals = NULL;
	}
	p->slots[id].ivals = w.ivals;
	si->intervals.segmented = w.segmented;
	si->intervals.count = total;
	si->intervals.list = w.ivals;
	return 0;
}

/* Sensor 1.0: the one interval the descriptor carries. */
static int sensor_v1_interval(struct sensor_priv *p, uint32_t id)
{
	struct scmi_sensor_info *si = &p->sensors[id];
	struct sensor_slot *slot = &p->slots[id];
	uint32_t hi = si->attributes_high;

	if (!DESC_V1_INT_SECS(hi))
		return 0;
	slot->ivals = calloc(1, sizeof(*slot->ivals));
	if (!slot->ivals)
		return -ENOMEM;
	slot->ivals->seconds = (uint16_t)DESC_V1_INT_SECS(hi);
	slot->ivals->exponent = sext5(hi, DESC_V1_INT_EXP_SHIFT);
	si->intervals.count = 1;
	si->intervals.list = slot->ivals;
	return 0;
}

/* ---- events ------------------------------------------------------------------ */

/* Sensor @id if it exists and is usable: events naming a disabled sensor
 * are dropped. */
static const struct scmi_sensor_info *sensor_find(const struct scmi_protocol_handle *ph,
						  uint32_t id)
{
	const struct sensor_priv *p = ph->priv;

	return p && id < p->pinfo.num_sensors && p->sensors[id].usable ? &p->sensors[id] : NULL;
}

static int sensor_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				     uint32_t src_id, bool enable)
{
	const struct sensor_priv *p = ph->priv;
	const struct scmi_sensor_info *si = sensor_find(ph, src_id);
	uint8_t msg;

	if (!p || src_id >= p->pinfo.num_sensors)
		return -EINVAL;
	if (!si)
		return -EPROTO; /* disabled at discovery */
	switch (evt_id) {
	case SCMI_EVENT_SENSOR_TRIP_POINT_EVENT:
		if (!si->num_trip_points)
			goto unsupported;
		msg = SENSOR_TRIP_POINT_NOTIFY;
		break;
	case SCMI_EVENT_SENSOR_UPDATE:
		if (!sensor_v2(ph) || !si->continuous_update ||
		    !((const struct sensor_priv *)ph->priv)->has_cont_notify)
			goto unsupported;
		msg = SENSOR_CONTINUOUS_UPDATE_NOTIFY;
		break;
	default:
		return -EINVAL;
	}
	return scmi_common_notify_cmd(ph, msg, src_id, enable);
unsupported:
	return -EOPNOTSUPP; /* the notification core logs one line for all sources */
}

static int sensor_fill_trip(const struct scmi_protocol_handle *ph, const uint8_t *p, size_t len,
			    struct scmi_sensor_trip_point_report *r, uint32_t *src_id)
{
	const struct scmi_sensor_info *si;
	uint32_t desc;

	if (len != TRIP_EVT_SIZE)
		return -EPROTO;
	si = sensor_find(ph, scmi_get_le32(p + 4));
	desc = scmi_get_le32(p + 8);
	if (!si || TRIP_DESC_ID(desc) >= si->num_trip_points)
		return -EPROTO;
	r->agent_id = scmi_get_le32(p);
	r->sensor_id = si->id;
	r->trip_point_desc = desc;
	r->trip_point_id = TRIP_DESC_ID(desc);
	r->upward = desc & TRIP_DESC_UPWARD;
	*src_id = si->id;
	return 0;
}

/* The payload carries one reading per axis: its size is checked against the
 * cached axis count of the sensor it names before any reading is read. */
static int sensor_fill_update(const struct scmi_protocol_handle *ph, const uint8_t *p, size_t len,
			      struct scmi_sensor_update_report *r, uint32_t *src_id)
{
	const struct scmi_sensor_info *si;
	unsigned int n;

	if (!sensor_v2(ph) || len < UPDATE_EVT_HDR)
		return -EPROTO;
	si = sensor_find(ph, scmi_get_le32(p + 4));
	if (!si || !si->continuous_update)
		return -EPROTO;
	n = sensor_num_readings(si);
	if (len != UPDATE_EVT_HDR + (size_t)READING_SIZE * n)
		return -EPROTO;
	r->agent_id = scmi_get_le32(p);
	r->sensor_id = si->id;
	r->readings_count = n;
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *rd = p + UPDATE_EVT_HDR + (size_t)READING_SIZE * i;

		r->readings[i].value = (int64_t)scmi_get_le64(rd);
		r->readings[i].timestamp = scmi_get_le64(rd + 8);
	}
	*src_id = si->id;
	return 0;
}

static int sensor_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id,
			      const void *payld, size_t payld_sz, void *report, uint32_t *src_id)
{
	switch (evt_id) {
	case SCMI_EVENT_SENSOR_TRIP_POINT_EVENT:
		return sensor_fill_trip(ph, payld, payld_sz, report, src_id);
	case SCMI_EVENT_SENSOR_UPDATE:
		return sensor_fill_update(ph, payld, payld_sz, report, src_id);
	default:
		return -EPROTO;
	}
}

static const struct scmi_event sensor_events[] = {
	{
		.id = SCMI_EVENT_SENSOR_TRIP_POINT_EVENT,
		.max_payld_sz = TRIP_EVT_SIZE,
		.max_report_sz = sizeof(struct scmi_sensor_trip_point_report),
	},
	{
		.id = SCMI_EVENT_SENSOR_UPDATE,
		.max_payld_sz = UPDATE_EVT_HDR + READING_SIZE * SCMI_SENSOR_MAX_AXES,
		.max_report_sz = sizeof(struct scmi_sensor_update_report) +
				 sizeof(struct scmi_sensor_reading) * SCMI_SENSOR_MAX_AXES,
	},
};

static const struct scmi_event_ops sensor_event_ops = {
	.set_notify_enabled = sensor_set_notify_enabled,
	.fill_report = sensor_fill_report,
};

static const struct scmi_protocol_events sensor_protocol_events = {
	.ops = &sensor_event_ops,
	.evts = sensor_events,
	.num_events = ARRAY_SIZE(sensor_events),
};

/* ---- bring-up ------------------------------------------------------------------ */

static void sensor_priv_free(struct sensor_priv *p)
{
	if (!p)
		return;
	for (unsigned int i = 0; p->slots && i < p->pinfo.num_sensors; i++) {
		free(p->slots[i].axes);
		free(p->slots[i].ivals);
	}
	free(p->slots);
	free(p->sensors);
	free(p);
}

/* Disable sensor @id: nothing but its id and what its descriptor said. */
static void sensor_disable(struct sensor_priv *p, uint32_t id)
{
	struct scmi_sensor_info *si = &p->sensors[id];

	free(p->slots[id].axes);
	free(p->slots[id].ivals);
	p->slots[id].axes = NULL;
	p->slots[id].ivals = NULL;
	si->usable = false;
	si->num_axes = 0;
	si->axes = NULL;
	si->intervals = (struct scmi_sensor_intervals){0};
}

/* Names, axes and intervals of sensor @id, after its descriptor. */
static int sensor_discover_one(const struct scmi_protocol_handle *ph, struct sensor_priv *p,
			       uint32_t id)
{
	struct scmi_sensor_info *si = &p->sensors[id];
	int ret;

	si->id = id;
	if (!p->slots[id].seen || p->slots[id].bad) {
		sensor_disable(p, id);
		return 0;
	}
	si->usable = true;
	if (ph->version >= SENSOR_V3 && (si->attributes_low & DESC_EXT_NAME))
		scmi_common_ext_name_get(ph, SENSOR_NAME_GET, id, NULL, si->name, sizeof(si->name));
	if (!sensor_v2(ph))
		return sensor_v1_interval(p, id);
	if (si->num_axes) {
		ret = sensor_axes(ph, p, id);
		if (ret) {
			/* Its readings cannot be told apart: the sensor is
			 * disabled, the others are not. */
			if (!scmi_common_bad_answer(ret))
				return ret;
			scmi_warn(&ph->inst->log, "sensor %u disabled: %s", id, scmi_strerror(ret));
			sensor_disable(p, id);
			return 0;
		}
	}
	return sensor_intervals(ph, p, id);
}

static int sensor_init(struct scmi_protocol_handle *ph)
{
	struct sensor_priv *p;
	uint8_t rx[16];
	size_t rx_len = 0;
	uint32_t w;
	int ret;

	ret = scmi_common_cmd(ph, SCMI_MSG_PROTOCOL_ATTRIBUTES, NULL, 0, rx, 4, sizeof(rx),
			      &rx_len);
	if (ret)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	w = scmi_get_le32(rx);
	p->pinfo.version = ph->version;
	p->pinfo.num_sensors = ATTR_NUM_SENSORS(w);
	p->pinfo.max_pending_async = ATTR_MAX_PENDING(w);
	if (rx_len >= sizeof(rx)) {
		p->pinfo.reg_addr = scmi_get_le64(rx + 4);
		p->pinfo.reg_len = scmi_get_le32(rx + 12);
	}
	atomic_init(&p->async_inflight, 0);
	if (sensor_v2(ph)) {
		p->has_config_get = scmi_common_msg_supported(ph, SENSOR_CONFIG_GET);
		p->has_config_set = scmi_common_msg_supported(ph, SENSOR_CONFIG_SET);
		p->has_cont_notify = scmi_common_msg_supported(ph, SENSOR_CONTINUOUS_UPDATE_NOTIFY);
	}
	ret = -ENOMEM;
	if (p->pinfo.num_sensors) {
		p->sensors = calloc(p->pinfo.num_sensors, sizeof(*p->sensors));
		p->slots = calloc(p->pinfo.num_sensors, sizeof(*p->slots));
		if (!p->sensors || !p->slots)
			goto fail;
		ret = sensor_describe_all(ph, p);
		for (uint32_t id = 0; !ret && id < p->pinfo.num_sensors; id++)
			ret = sensor_discover_one(ph, p, id);
		if (ret)
			goto fail;
	}
	ph->priv = p;
	if (!p->pinfo.num_sensors)
		return 0; /* nothing can send events */
	ret = scmi_notify_protocol_register(ph, &sensor_protocol_events, p->pinfo.num_sensors);
	if (ret) {
		ph->priv = NULL;
		goto fail;
	}
	return 0;
fail:
	sensor_priv_free(p);
	return ret;
}

static void sensor_deinit(struct scmi_protocol_handle *ph)
{
	sensor_priv_free(ph->priv);
	ph->priv = NULL;
}

/* ---- ops ------------------------------------------------------------------------ */

static int sensor_ph(const struct scmi_handle *h, struct scmi_protocol_handle **ph)
{
	return scmi_protocol_acquire(h, SCMI_PROTOCOL_SENSOR, ph);
}

static void sensor_domains(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t)
{
	const struct sensor_priv *p = ph->priv;

	*t = (struct scmi_domain_table){
		.what = "sensor",
		.base = p->sensors,
		.stride = sizeof(*p->sensors),
		.count = p->pinfo.num_sensors,
		.usable_off = offsetof(struct scmi_sensor_info, usable),
	};
}

/* The protocol and sensor @id: -EINVAL (logged) for an unknown id. */
static int sensor_lookup(const struct scmi_handle *h, uint32_t id, struct scmi_protocol_handle **ph,
			 const struct scmi_sensor_info **si)
{
	return scmi_domain_get(h, SCMI_PROTOCOL_SENSOR, id, false, ph, (const void **)si);
}

/* As sensor_lookup(), and -EPROTO for a sensor disabled at discovery. */
static int sensor_get(const struct scmi_handle *h, uint32_t id, struct scmi_protocol_handle **ph,
		      const struct scmi_sensor_info **si)
{
	return scmi_domain_get(h, SCMI_PROTOCOL_SENSOR, id, true, ph, (const void **)si);
}

static int sensor_count_get(const struct scmi_handle *h)
{
	return scmi_domain_count(h, SCMI_PROTOCOL_SENSOR);
}

static int sensor_protocol_info_get(const struct scmi_handle *h,
				    const struct scmi_sensor_protocol_info **info)
{
	struct scmi_protocol_handle *ph;
	int ret;

	if (!info)
		return -EINVAL;
	ret = sensor_ph(h, &ph);
	if (!ret)
		*info = &((struct sensor_priv *)ph->priv)->pinfo;
	return ret;
}

static int sensor_info_get(const struct scmi_handle *h, uint32_t sensor_id,
			   const struct scmi_sensor_info **info)
{
	struct scmi_protocol_handle *ph;
	const struct scmi_sensor_info *si;
	int ret;

	if (!info)
		return -EINVAL;
	ret = sensor_lookup(h, sensor_id, &ph, &si);
	if (!ret)
		*info = si;
	return ret;
}

/* Reserve one of the platform's async slots; false when all are taken. */
static bool async_slot_get(struct sensor_priv *p)
{
	unsigned int cur = atomic_load_explicit(&p->async_inflight, memory_order_relaxed);

	do {
		if (cur >= p->pinfo.max_pending_async)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(
		&p->async_inflight, &cur, cur + 1, memory_order_acquire, memory_order_relaxed));
	return true;
}

static void async_slot_put(struct sensor_priv *p)
{
	atomic_fetch_sub_explicit(&p->async_inflight, 1, memory_order_release);
}

/*
 * Decode @n readings at @rx (exactly @len bytes): one i64 on 1.0, else
 * {value, timestamp} per reading.
 */
static int readings_decode(const struct scmi_protocol_handle *ph, const uint8_t *rx, size_t len,
			   unsigned int n, struct scmi_sensor_reading *out)
{
	size_t want = sensor_v2(ph) ? (size_t)READING_SIZE * n : READING_V1_SIZE;

	if (len != want) {
		scmi_warn(&ph->inst->log, "sensor: reading of %zu bytes, expected %zu", len, want);
		return -EPROTO;
	}
	if (!sensor_v2(ph)) {
		out[0].value = (int64_t)scmi_get_le64(rx);
		out[0].timestamp = 0;
		return 0;
	}
	for (unsigned int i = 0; i < n; i++) {
		out[i].value = (int64_t)scmi_get_le64(rx + READING_SIZE * i);
		out[i].timestamp = scmi_get_le64(rx + READING_SIZE * i + 8);
	}
	return 0;
}

/* READING_GET as a request: its context, kept in the request. */
struct read_ctx {
	struct scmi_sensor_reading *out; /* all readings, or */
	int64_t *value;			 /* the first one only */
	uint32_t id;
	unsigned int n;
	bool slot;	 /* holds one of the platform's async slots */
	bool inline_ok;	 /* async asked, answered inline (quirk) */
	bool dresp;	 /* the readings come in the delayed response */
};

static int read_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct scmi_protocol_handle *ph = scmi_req_ph(r);
	struct read_ctx *c = SCMI_REQ_CTX(r, struct read_ctx);
	struct scmi_sensor_reading tmp[SCMI_SENSOR_MAX_AXES];

	if (c->slot)
		async_slot_put(ph->priv);
	if (ret)
		return ret;
	if (c->inline_ok && !len) {
		/* A conforming answer: the reading would come in a delayed
		 * response, which nothing waits for now. */
		scmi_warn(&ph->inst->log,
			  "sensor %u: no inline reading, but quirk sensor_async_inline is "
			  "active (turn it off for this platform)",
			  c->id);
		return -EPROTO;
	}
	if (c->dresp) {
		/* The delayed response names the sensor, then the readings. */
		if (scmi_get_le32(rx) != c->id) {
			scmi_warn(&ph->inst->log, "sensor %u: delayed reading names sensor %u",
				  c->id, scmi_get_le32(rx));
			return -EPROTO;
		}
		rx += 4;
		len -= 4;
	}
	ret = readings_decode(ph, rx, len, c->n, c->out ? c->out : tmp);
	if (ret)
		return ret;
	if (c->value)
		*c->value = tmp[0].value;
	return c->out ? (int)c->n : 0;
}

static const struct scmi_req_msg read_sync_msg = {
	.msg_id = SENSOR_READING_GET,
	.decode = read_decode,
};

/* A platform known to answer inline (TF-A) puts the readings in the
 * response, as for the synchronous form, and sends no delayed response:
 * wait for the response only and decode it. */
static const struct scmi_req_msg read_inline_msg = {
	.msg_id = SENSOR_READING_GET,
	.decode = read_decode,
};

static const struct scmi_req_msg read_async_msg = {
	.msg_id = SENSOR_READING_GET,
	.flags = SCMI_REQ_DRESP,
	.rx_min = 4,
	.decode = read_decode,
};

/*
 * READING_GET of sensor @sensor_id in @mode: into @readings (room for
 * @count), or only the first value into @value.  Blocking or not, as the
 * caller called the op.
 */
static int sensor_read(const struct scmi_handle *h, uint32_t sensor_id,
		       enum scmi_sensor_read_mode mode, unsigned int count,
		       struct scmi_sensor_reading *readings, int64_t *value)
{
	struct scmi_protocol_handle *ph;
	const struct scmi_sensor_info *si;
	const struct scmi_req_msg *msg = &read_sync_msg;
	struct sensor_priv *p;
	struct read_ctx *c;
	uint8_t tx[8];
	unsigned int n;
	bool async = false;
	int ret;

	ret = sensor_get(h, sensor_id, &ph, &si);
	if (ret)
		return ret;
	p = ph->priv;
	n = sensor_num_readings(si);
	if ((!readings && !value) || (readings && count < n) ||
	    (unsigned int)mode > SCMI_SENSOR_READ_ASYNC) {
		scmi_dbg_reason(&ph->inst->log,
				"sensor %u: bad read arguments (room %u for %u, mode %d)",
				sensor_id, count, n, mode);
		return -EINVAL;
	}
	if (mode == SCMI_SENSOR_READ_ASYNC &&
	    (!si->async || !p->pinfo.max_pending_async || !scmi_proto_has_p2a(ph))) {
		scmi_dbg_reason(&ph->inst->log, "sensor %u: no asynchronous reads", sensor_id);
		return -EOPNOTSUPP;
	}
	/* AUTO: synchronous when no delayed response can come (no P2A). */
	if (mode != SCMI_SENSOR_READ_SYNC && si->async && scmi_proto_has_p2a(ph))
		async = async_slot_get(p);
	if (mode == SCMI_SENSOR_READ_ASYNC && !async) {
		scmi_dbg_reason(&ph->inst->log,
				"sensor %u: %u asynchronous reads in flight already", sensor_id,
				p->pinfo.max_pending_async);
		return -EBUSY;
	}

	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct read_ctx);
	c->out = readings;
	c->value = readings ? NULL : value;
	c->id = si->id;
	c->n = n;
	c->slot = async;
	if (async) {
		if (scmi_quirk_active(ph->inst, SCMI_QUIRK_SENSOR_ASYNC_INLINE)) {
			msg = &read_inline_msg;
			c->inline_ok = true;
		} else {
			msg = &read_async_msg;
			c->dresp = true;
		}
	}
	scmi_put_le32(tx, si->id);
	scmi_put_le32(tx + 4, async ? READING_ASYNC : 0);
	ret = scmi_req_run(r, msg, tx, sizeof(tx));
	/* Not submitted (non-blocking): the slot was not handed over. */
	if (ret < 0 && async && scmi_req_is_async(r))
		async_slot_put(p);
	return ret;
}

static int sensor_reading_read(const struct scmi_handle *h, uint32_t sensor_id,
			       enum scmi_sensor_read_mode mode, unsigned int count,
			       struct scmi_sensor_reading *readings)
{
	if (!readings)
		return -EINVAL;
	return sensor_read(h, sensor_id, mode, count, readings, NULL);
}

static int sensor_reading_get_timestamped(const struct scmi_handle *h, uint32_t sensor_id,
					  unsigned int count, struct scmi_sensor_reading *readings)
{
	return sensor_reading_read(h, sensor_id, SCMI_SENSOR_READ_AUTO, count, readings);
}

static int sensor_reading_get(const struct scmi_handle *h, uint32_t sensor_id, int64_t *value)
{
	if (!value)
		return -EINVAL;
	return sensor_read(h, sensor_id, SCMI_SENSOR_READ_AUTO, 0, NULL, value);
}

/* Id and availability checks shared by CONFIG_GET / CONFIG_SET (@set). */
static int sensor_get_config_cmd(const struct scmi_handle *h, uint32_t id, bool set,
				 struct scmi_protocol_handle **ph,
				 const struct scmi_sensor_info **si)
{
	const struct sensor_priv *p;
	int ret = sensor_get(h, id, ph, si);

	if (ret)
		return ret;
	p = (*ph)->priv;
	if (!(set ? p->has_config_set : p->has_config_get)) {
		scmi_dbg_reason(&(*ph)->inst->log, "sensor: no CONFIG_%s (version 0x%x)",
				set ? "SET" : "GET", (*ph)->version);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* CONFIG_GET as a request: the caller's output, kept in the request. */
struct config_get_ctx {
	struct scmi_sensor_config *cfg;
};

static int config_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct scmi_sensor_config *cfg = SCMI_REQ_CTX(r, struct config_get_ctx)->cfg;
	uint32_t c;

	(void)len; /* >= rx_min */
	if (ret)
		return ret;
	c = scmi_get_le32(rx);
	cfg->enabled = c & CFG_ENABLED;
	cfg->timestamping = c & CFG_TIMESTAMPING;
	cfg->rounding = (enum scmi_sensor_rounding)((c >> CFG_ROUND_SHIFT) & CFG_ROUND_MASK);
	cfg->interval.seconds = (uint16_t)(c >> CFG_INT_SECS_SHIFT);
	cfg->interval.exponent = sext5(c, CFG_INT_EXP_SHIFT);
	return 0;
}

static const struct scmi_req_msg config_get_msg = {
	.msg_id = SENSOR_CONFIG_GET,
	.rx_min = 4,
	.decode = config_get_decode,
};

static int sensor_config_get(const struct scmi_handle *h, uint32_t sensor_id,
			     struct scmi_sensor_config *cfg)
{
	struct scmi_protocol_handle *ph;
	const struct scmi_sensor_info *si;
	uint8_t tx[4];
	int ret;

	if (!cfg)
		return -EINVAL;
	ret = sensor_get_config_cmd(h, sensor_id, false, &ph, &si);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	SCMI_REQ_CTX(r, struct config_get_ctx)->cfg = cfg;
	scmi_put_le32(tx, sensor_id);
	return scmi_req_run(r, &config_get_msg, tx, sizeof(tx));
}

static const struct scmi_req_msg config_set_msg = {
	.msg_id = SENSOR_CONFIG_SET,
};

static int sensor_config_set(const struct scmi_handle *h, uint32_t sensor_id,
			     const struct scmi_sensor_config *cfg)
{
	struct scmi_protocol_handle *ph;
	const struct scmi_sensor_info *si;
	uint8_t tx[8];
	uint32_t c;
	int ret;

	if (!cfg)
		return -EINVAL;
	ret = sensor_get_config_cmd(h, sensor_id, true, &ph, &si);
	if (ret)
		return ret;
	if ((unsigned int)cfg->rounding > SCMI_SENSOR_ROUND_AUTO ||
	    cfg->interval.exponent < SENSOR_EXP_MIN || cfg->interval.exponent > SENSOR_EXP_MAX) {
		scmi_dbg_reason(&ph->inst->log,
				"sensor %u: bad configuration (rounding %d, exp %d)", sensor_id,
				cfg->rounding, cfg->interval.exponent);
		return -EINVAL;
	}
	if (cfg->timestamping && !si->timestamped) {
		scmi_dbg_reason(&ph->inst->log, "sensor %u: no timestamps", sensor_id);
		return -EOPNOTSUPP;
	}
	c = (uint32_t)cfg->interval.seconds << CFG_INT_SECS_SHIFT |
	    ((uint32_t)cfg->interval.exponent & 0x1fu) << CFG_INT_EXP_SHIFT |
	    (uint32_t)cfg->rounding << CFG_ROUND_SHIFT |
	    (cfg->timestamping ? CFG_TIMESTAMPING : 0) | (cfg->enabled ? CFG_ENABLED : 0);
	/* *cfg is encoded here: the caller's copy may go once we return. */
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, sensor_id);
	scmi_put_le32(tx + 4, c);
	return scmi_req_run(r, &config_set_msg, tx, sizeof(tx));
}

static const struct scmi_req_msg trip_point_config_msg = {
	.msg_id = SENSOR_TRIP_POINT_CONFIG,
};

static int sensor_trip_point_config(const struct scmi_handle *h, uint32_t sensor_id,
				    uint32_t trip_id, enum scmi_sensor_trip_mode mode,
				    int64_t value)
{
	struct scmi_protocol_handle *ph;
	const struct scmi_sensor_info *si;
	uint8_t tx[16];
	int ret;

	ret = sensor_get(h, sensor_id, &ph, &si);
	if (ret)
		return ret;
	if (!si->num_trip_points) {
		scmi_dbg_reason(&ph->inst->log, "sensor %u: no trip points", sensor_id);
		return -EOPNOTSUPP;
	}
	if (trip_id >= si->num_trip_points || (unsigned int)mode > SCMI_SENSOR_TRIP_BOTH) {
		scmi_dbg_reason(&ph->inst->log, "sensor %u: bad trip point %u (of %u) or mode %d",
				sensor_id, trip_id, si->num_trip_points, mode);
		return -EINVAL;
	}
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, sensor_id);
	scmi_put_le32(tx + 4, (uint32_t)mode | trip_id << TRIP_ID_SHIFT);
	scmi_put_le64(tx + 8, (uint64_t)value);
	return scmi_req_run(r, &trip_point_config_msg, tx, sizeof(tx));
}

static const struct scmi_sensor_ops sensor_ops = {
	.count_get = sensor_count_get,
	.protocol_info_get = sensor_protocol_info_get,
	.info_get = sensor_info_get,
	.reading_get = sensor_reading_get,
	.reading_get_timestamped = sensor_reading_get_timestamped,
	.reading_read = sensor_reading_read,
	.config_get = sensor_config_get,
	.config_set = sensor_config_set,
	.trip_point_config = sensor_trip_point_config,
};

const struct scmi_protocol scmi_sensor_protocol = {
	.id = SCMI_PROTOCOL_SENSOR,
	.supported_version = SCMI_PROTO_VERSION(3, 1),
	.ops_offset = offsetof(struct scmi_handle, sensor_ops),
	.ops = &sensor_ops,
	.init = sensor_init,
	.deinit = sensor_deinit,
	.domains = sensor_domains,
};

/* ---- helpers ------------------------------------------------------------------- */

/* Unit symbols by type code, from the table in spec digest §6.6. */
static const char *const sensor_units[] = {
	"none",
	"unspecified",
	"°C",
	"°F",
	"K",
	"V",
	"A",
	"W",
	"J",
	"C",
	"VA",
	"nits",
	"lm",
	"lx",
	"cd",
	"kPa",
	"psi",
	"N",
	"CFM",
	"RPM",
	"Hz",
	"s",
	"min",
	"h",
	"d",
	"weeks",
	"mils",
	"in",
	"ft",
	"in³",
	"ft³",
	"m",
	"cm³",
	"m³",
	"l",
	"fl oz",
	"rad",
	"sr",
	"rev",
	"cycles",
	"g",
	"oz",
	"lb",
	"ft·lb",
	"oz·in",
	"gauss",
	"gilberts",
	"H",
	"F",
	"Ω",
	"S",
	"mol",
	"Bq",
	"ppm",
	"dB",
	"dBA",
	"dBC",
	"Gy",
	"Sv",
	"K (color temp)",
	"bits",
	"bytes",
	"words",
	"dwords",
	"qwords",
	"%",
	"Pa",
	"counts",
	"grams",
	"N·m",
	"hits",
	"misses",
	"retries",
	"overruns",
	"underruns",
	"collisions",
	"packets",
	"messages",
	"characters",
	"errors",
	"corrected errors",
	"uncorrectable errors",
	"sq mils",
	"sq in",
	"sq ft",
	"cm²",
	"m²",
	"rad/s",
	"beats/min",
	"m/s²",
	"m/s",
	"m³/s",
	"mmHg",
	"rad/s²",
};

_Static_assert(ARRAY_SIZE(sensor_units) == SCMI_SENSOR_UNIT_RADIANS_SEC_SQUARED + 1,
	       "one symbol per unit code");

const char *scmi_sensor_unit_name(uint8_t type)
{
	if (type < ARRAY_SIZE(sensor_units))
		return sensor_units[type];
	return type == SCMI_SENSOR_UNIT_OEM ? "OEM" : "reserved";
}

double scmi_sensor_value_scale(int64_t value, int8_t scale)
{
	double v = (double)value;

	for (int i = 0; i < scale; i++)
		v *= 10.0;
	for (int i = 0; i > scale; i--)
		v /= 10.0;
	return v;
}

int scmi_sensor_format_value(char *buf, size_t size, int64_t value, int8_t scale)
{
	static const char zeros[] = "00000000000000000000000000000000"; /* 32 */
	uint64_t mag = value < 0 ? -(uint64_t)value : (uint64_t)value;
	const char *sign = value < 0 ? "-" : "";
	char digits[24];
	int n, frac;

	if (!buf || !size || scale < -32 || scale > 32)
		return -EINVAL;
	n = snprintf(digits, sizeof(digits), "%" PRIu64, mag);
	if (scale >= 0)
		return snprintf(buf, size, "%s%s%.*s", sign, digits, mag ? scale : 0, zeros);
	frac = -scale;
	if (n > frac)
		return snprintf(buf, size, "%s%.*s.%s", sign, n - frac, digits, digits + n - frac);
	return snprintf(buf, size, "%s0.%.*s%s", sign, frac - n, zeros, digits);
}

/* @v x 10^@exp, saturating at UINT64_MAX, truncating fractions. */
static uint64_t pow10_scale(uint64_t v, int exp)
{
	for (; exp > 0 && v; exp--) {
		if (v > UINT64_MAX / 10)
			return UINT64_MAX;
		v *= 10;
	}
	for (; exp < 0 && v; exp++)
		v /= 10;
	return v;
}

double scmi_sensor_interval_seconds(struct scmi_sensor_interval interval)
{
	return scmi_sensor_value_scale(interval.seconds, interval.exponent);
}

uint64_t scmi_sensor_interval_ns(struct scmi_sensor_interval interval)
{
	return pow10_scale(interval.seconds, interval.exponent + 9);
}

uint64_t scmi_sensor_timestamp_ns(uint64_t timestamp, int8_t tstamp_scale)
{
	return pow10_scale(timestamp, tstamp_scale + 9);
}

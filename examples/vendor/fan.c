// SPDX-License-Identifier: BSD-3-Clause
/*
 * "fan": an example vendor protocol written against <scmi/protocol.h> only
 * (docs/VENDOR.md walks through it).  Messages:
 *
 *   0x1 PROTOCOL_ATTRIBUTES  resp: b[15:0] number of fans
 *   0x3 FAN_DESCRIBE         multi-part: req {first index}; resp {b[11:0]
 *                            returned, b[31:16] remaining}, then per fan
 *                            {id, attributes, max_rpm, name[16]}
 *   0x4 FAN_NAME_GET         req {fan}; resp {flags, name[64]}
 *   0x5 FAN_SPEED_GET        req {fan}; resp {rpm}
 *   0x6 FAN_SPEED_SET        req {fan, flags (b0 async), rpm}; async: the
 *                            delayed response is {fan, rpm}
 *   0x7 FAN_NOTIFY           req {fan, b0 enable}
 *   0x8 FAN_DESCRIBE_LEVELS  multi-part: req {fan, first index}; resp
 *                            {b[11:0] returned, b[31:16] remaining, rpm...}
 *   0x9 FAN_DESCRIBE_FASTCHANNEL  req {fan, msg}: spec §2.8's description
 *                            of FAN_SPEED_GET's channel (4 bytes: rpm)
 *   event 0x0 SPEED_CHANGED  {agent_id, fan, rpm}
 *
 * Fan attributes: b0 async speed set, b1 notifications, b2 extended name,
 * b3 a fastchannel for FAN_SPEED_GET (PROTOCOL_MESSAGE_ATTRIBUTES of
 * FAN_SPEED_GET b0 says the platform has them at all).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/protocol.h>

#include "fan.h"

enum {
	FAN_DESCRIBE = 0x3,
	FAN_NAME_GET = 0x4,
	FAN_SPEED_GET = 0x5,
	FAN_SPEED_SET = 0x6,
	FAN_NOTIFY = 0x7,
	FAN_DESCRIBE_LEVELS = 0x8,
	FAN_DESCRIBE_FASTCHANNEL = 0x9,
};

#define FAN_ATTR_ASYNC	   (1u << 0)
#define FAN_ATTR_NOTIFY	   (1u << 1)
#define FAN_ATTR_EXT_NAME  (1u << 2)
#define FAN_ATTR_FC	   (1u << 3)
#define FAN_SET_ASYNC	   (1u << 0)
#define FAN_DESC_SIZE	   28u /* id, attributes, max_rpm, name[16] */
#define FAN_SHORT_NAME	   16u
#define FAN_EVT_PAYLD_SIZE 12u

/* Little-endian wire words (never cast structs over buffers). */
static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* What init() discovers, per handle; read-only afterwards. */
struct fan_priv {
	unsigned int count;
	bool ext_name[FAN_MAX_FANS]; /* FAN_NAME_GET has the full name */
	bool fc_offered[FAN_MAX_FANS];
	struct scmi_ph_fastchannel fc[FAN_MAX_FANS]; /* speed reads */
	struct fan_info fans[];
};

/* ---- bring-up ------------------------------------------------------------------ */

static void describe_prepare(void *tx, unsigned int index, void *priv)
{
	(void)priv;
	put_le32(tx, index);
}

/* Both walks' count word: b[11:0] returned, b[31:16] remaining. */
static int walk_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
		       unsigned int *remaining, size_t *off, void *priv)
{
	uint32_t w;

	(void)priv;
	if (rx_len < 4)
		return -EPROTO;
	w = get_le32(rx);
	*returned = w & 0xfff;
	*remaining = w >> 16;
	*off = 4;
	return 0;
}

static int describe_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
			  unsigned int i, void *priv)
{
	struct fan_priv *p = priv;
	struct fan_info *f;
	uint32_t attr;

	(void)i;
	if (rx_len < *off + FAN_DESC_SIZE || get_le32(rx + *off) != index)
		return -EPROTO; /* truncated, or not the fan asked for */
	f = &p->fans[index];
	attr = get_le32(rx + *off + 4);
	f->async = attr & FAN_ATTR_ASYNC;
	f->notify = attr & FAN_ATTR_NOTIFY;
	f->max_rpm = get_le32(rx + *off + 8);
	/* A short name fills its field without a NUL when it is 16 long. */
	memcpy(f->name, rx + *off + 12, FAN_SHORT_NAME);
	f->name[FAN_SHORT_NAME] = '\0';
	f->usable = true;
	p->ext_name[index] = attr & FAN_ATTR_EXT_NAME;
	p->fc_offered[index] = attr & FAN_ATTR_FC;
	*off += FAN_DESC_SIZE;
	return 0;
}

static const struct scmi_ph_iter_ops describe_ops = {
	.prepare = describe_prepare,
	.update = walk_update,
	.entry = describe_entry,
};

static const struct scmi_ph_iter describe_iter = {
	.msg_id = FAN_DESCRIBE,
	.tx_size = 4,
	.max_entries = FAN_MAX_FANS,
	.ops = &describe_ops,
};

/* ---- events ---------------------------------------------------------------------- */

static int fan_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				  uint32_t src_id, bool enable)
{
	const struct fan_priv *p = scmi_ph_priv(ph);

	if (evt_id != FAN_EVENT_SPEED_CHANGED || src_id >= p->count || !p->fans[src_id].notify)
		return -EOPNOTSUPP; /* the platform said this fan has none */
	return scmi_ph_notify_cmd(ph, FAN_NOTIFY, src_id, enable);
}

static int fan_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id, const void *payld,
			   size_t payld_sz, void *report, uint32_t *src_id)
{
	struct fan_speed_report *r = report;
	const uint8_t *b = payld;

	(void)ph;
	if (evt_id != FAN_EVENT_SPEED_CHANGED || payld_sz != FAN_EVT_PAYLD_SIZE)
		return -EPROTO;
	r->agent_id = get_le32(b);
	r->fan_id = get_le32(b + 4);
	r->rpm = get_le32(b + 8);
	*src_id = r->fan_id; /* checked by the core against the sources */
	return 0;
}

static const struct scmi_ph_event fan_events[] = {
	{FAN_EVENT_SPEED_CHANGED, FAN_EVT_PAYLD_SIZE, sizeof(struct fan_speed_report)},
};

static const struct scmi_ph_event_ops fan_event_ops = {
	.set_notify_enabled = fan_set_notify_enabled,
	.fill_report = fan_fill_report,
};

static const struct scmi_ph_events fan_proto_events = {
	.ops = &fan_event_ops,
	.evts = fan_events,
	.num_events = 1,
};

static void fan_free(const struct scmi_protocol_handle *ph, struct fan_priv *p)
{
	if (!p)
		return;
	for (unsigned int i = 0; i < p->count; i++)
		scmi_ph_fastchannel_release(ph, &p->fc[i]);
	free(p);
}

static int fan_init(struct scmi_protocol_handle *ph)
{
	struct scmi_ph_domains dt;
	struct fan_priv *p;
	unsigned int count, listed = 0;
	uint32_t msg_attr = 0;
	uint8_t attr[4];
	bool fc;
	int ret;

	ret = scmi_ph_attributes(ph, attr, sizeof(attr), sizeof(attr));
	if (ret)
		return ret;
	count = get_le32(attr) & 0xffff;
	if (count > FAN_MAX_FANS) {
		scmi_ph_log(ph, SCMI_LOG_WARN, "fan: %u fans, keeping %u", count, FAN_MAX_FANS);
		count = FAN_MAX_FANS;
	}
	p = calloc(1, sizeof(*p) + count * sizeof(p->fans[0]));
	if (!p)
		return -ENOMEM;
	p->count = count;
	for (unsigned int i = 0; i < count; i++)
		p->fans[i].id = i;
	if (count) {
		ret = scmi_ph_iter_run(ph, &describe_iter, p, &listed);
		/* A bad description costs the fans not described, not the
		 * protocol; no answer at all fails the bring-up. */
		if (ret && !scmi_ph_bad_answer(ret)) {
			free(p);
			return ret;
		}
		if (ret || listed < count)
			scmi_ph_log(ph, SCMI_LOG_WARN, "fan: %u of %u fans described (%s)", listed,
				    count, ret ? scmi_strerror(ret) : "short list");
	}
	/* Fastchannels exist at all (b0), and this fan has one (b3). */
	fc = scmi_ph_msg_attributes(ph, FAN_SPEED_GET, &msg_attr) == 0 && (msg_attr & 1);
	for (unsigned int i = 0; i < count; i++) {
		struct fan_info *f = &p->fans[i];

		if (!f->usable)
			continue;
		/* On failure the short name stays. */
		if (p->ext_name[i])
			scmi_ph_ext_name_get(ph, FAN_NAME_GET, i, NULL, f->name, sizeof(f->name));
		/* On failure, messages. */
		if (fc && p->fc_offered[i])
			f->fastchannel = !scmi_ph_fastchannel_init(ph, FAN_DESCRIBE_FASTCHANNEL, i,
								   FAN_SPEED_GET, 4, &p->fc[i]);
	}
	scmi_ph_set_priv(ph, p);
	dt = (struct scmi_ph_domains){
		.what = "fan",
		.base = p->fans,
		.stride = sizeof(p->fans[0]),
		.count = count,
		.usable_off = offsetof(struct fan_info, usable),
	};
	ret = scmi_ph_domains_set(ph, &dt);
	if (!ret && count)
		ret = scmi_ph_events_register(ph, &fan_proto_events, count);
	if (ret) {
		scmi_ph_set_priv(ph, NULL);
		fan_free(ph, p);
	}
	return ret;
}

static void fan_deinit(struct scmi_protocol_handle *ph)
{
	fan_free(ph, scmi_ph_priv(ph));
	scmi_ph_set_priv(ph, NULL);
}

/* ---- ops ---------------------------------------------------------------------------- */

static int fan_count_get(const struct scmi_handle *h)
{
	struct scmi_protocol_handle *ph;
	struct scmi_ph_call call;
	int ret = scmi_ph_enter(h, FAN_PROTOCOL_ID, &call, &ph);

	if (ret)
		return ret;
	ret = scmi_ph_domain_count(ph); /* cached: answered without a message */
	scmi_ph_leave(&call);
	return ret;
}

static int fan_info_get(const struct scmi_handle *h, uint32_t fan, const struct fan_info **info)
{
	struct scmi_protocol_handle *ph;
	struct scmi_ph_call call;
	const void *d;
	int ret;

	if (!info)
		return -EINVAL;
	ret = scmi_ph_domain_enter(h, FAN_PROTOCOL_ID, fan, false, &call, &ph, &d);
	if (ret)
		return ret;
	*info = d;
	scmi_ph_leave(&call);
	return 0;
}

/* FAN_SPEED_GET: the caller's output pointer travels in the context. */
struct speed_get_ctx {
	uint32_t *rpm;
};

static int speed_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t rx_len)
{
	struct speed_get_ctx *c = SCMI_PH_REQ_CTX(r, struct speed_get_ctx);

	(void)rx_len; /* >= rx_min */
	if (ret)
		return ret;
	*c->rpm = get_le32(rx);
	return 0;
}

static const struct scmi_ph_msg speed_get_msg = {
	.msg_id = FAN_SPEED_GET,
	.rx_min = 4,
	.decode = speed_get_decode,
};

static int fan_speed_get(const struct scmi_handle *h, uint32_t fan, uint32_t *rpm)
{
	struct scmi_protocol_handle *ph;
	struct scmi_ph_call call;
	const struct fan_info *f;
	uint8_t tx[4];
	int ret;

	if (!rpm)
		return -EINVAL;
	ret = scmi_ph_domain_enter(h, FAN_PROTOCOL_ID, fan, true, &call, &ph, (const void **)&f);
	if (ret)
		return ret;
	if (f->fastchannel) {
		/* Answered without the platform (completes through the
		 * callback all the same under SCMI_ASYNC()). */
		*rpm = scmi_ph_fastchannel_read32(&((struct fan_priv *)scmi_ph_priv(ph))->fc[fan],
						  0);
		scmi_ph_fastchannel_trace(ph, FAN_SPEED_GET, fan, *rpm, 0);
	} else {
		SCMI_PH_REQ(r, ph); /* the caller's request, or a local one */

		SCMI_PH_REQ_CTX(r, struct speed_get_ctx)->rpm = rpm;
		put_le32(tx, f->id);
		ret = scmi_ph_req_run(r, &speed_get_msg, tx, sizeof(tx));
	}
	scmi_ph_leave(&call);
	return ret;
}

static const struct scmi_ph_msg speed_set_msg = {
	.msg_id = FAN_SPEED_SET,
};

static int fan_speed_set(const struct scmi_handle *h, uint32_t fan, uint32_t rpm)
{
	struct scmi_protocol_handle *ph;
	struct scmi_ph_call call;
	const struct fan_info *f;
	uint8_t tx[12];
	int ret;

	ret = scmi_ph_domain_enter(h, FAN_PROTOCOL_ID, fan, true, &call, &ph, (const void **)&f);
	if (ret)
		return ret;
	if (rpm > f->max_rpm) {
		/* Refused here: nothing sent, no callback. */
		scmi_ph_refuse(ph, "fan %u: %u rpm above its maximum %u", fan, rpm, f->max_rpm);
		ret = -EINVAL;
	} else {
		SCMI_PH_REQ(r, ph);

		put_le32(tx, f->id);
		put_le32(tx + 4, 0);
		put_le32(tx + 8, rpm);
		ret = scmi_ph_req_run(r, &speed_set_msg, tx, sizeof(tx));
	}
	scmi_ph_leave(&call);
	return ret;
}

/* FAN_SPEED_SET and its delayed response. */
struct set_wait_ctx {
	uint32_t *actual;
	uint32_t fan;
	uint32_t rpm;
};

static int set_wait_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t rx_len)
{
	struct set_wait_ctx *c = SCMI_PH_REQ_CTX(r, struct set_wait_ctx);

	(void)rx_len;
	if (ret)
		return ret;
	if (get_le32(rx) != c->fan) {
		scmi_ph_log(scmi_ph_req_ph(r), SCMI_LOG_WARN,
			    "fan %u: delayed response names fan %u", c->fan, get_le32(rx));
		return -EPROTO;
	}
	if (c->actual)
		*c->actual = get_le32(rx + 4);
	return 0;
}

static int set_sync_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t rx_len)
{
	struct set_wait_ctx *c = SCMI_PH_REQ_CTX(r, struct set_wait_ctx);

	(void)rx;
	(void)rx_len;
	if (!ret && c->actual)
		*c->actual = c->rpm; /* done when answered */
	return ret;
}

static const struct scmi_ph_msg set_async_msg = {
	.msg_id = FAN_SPEED_SET,
	.flags = SCMI_PH_MSG_DRESP,
	.rx_min = 8,
	.decode = set_wait_decode,
};

static const struct scmi_ph_msg set_sync_msg = {
	.msg_id = FAN_SPEED_SET,
	.decode = set_sync_decode,
};

static int fan_speed_set_wait(const struct scmi_handle *h, uint32_t fan, uint32_t rpm,
			      uint32_t *actual)
{
	struct scmi_protocol_handle *ph;
	struct scmi_ph_call call;
	const struct fan_info *f;
	uint8_t tx[12];
	bool async;
	int ret;

	ret = scmi_ph_domain_enter(h, FAN_PROTOCOL_ID, fan, true, &call, &ph, (const void **)&f);
	if (ret)
		return ret;
	if (rpm > f->max_rpm) {
		scmi_ph_refuse(ph, "fan %u: %u rpm above its maximum %u", fan, rpm, f->max_rpm);
		ret = -EINVAL;
	} else {
		SCMI_PH_REQ(r, ph);
		struct set_wait_ctx *c = SCMI_PH_REQ_CTX(r, struct set_wait_ctx);

		/* The delayed response needs the fan's async form and a P2A
		 * channel to arrive on. */
		async = f->async && scmi_ph_has_p2a(ph);
		c->actual = actual;
		c->fan = f->id;
		c->rpm = rpm;
		put_le32(tx, f->id);
		put_le32(tx + 4, async ? FAN_SET_ASYNC : 0);
		put_le32(tx + 8, rpm);
		ret = scmi_ph_req_run(r, async ? &set_async_msg : &set_sync_msg, tx, sizeof(tx));
	}
	scmi_ph_leave(&call);
	return ret;
}

/* FAN_DESCRIBE_LEVELS at call time: the walk's state is the context. */
struct levels_ctx {
	uint32_t *levels;
	unsigned int room;
	uint32_t fan;
};

static void levels_prepare(void *tx, unsigned int index, void *priv)
{
	const struct levels_ctx *c = priv;

	put_le32(tx, c->fan);
	put_le32((uint8_t *)tx + 4, index);
}

static int levels_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
			unsigned int i, void *priv)
{
	struct levels_ctx *c = priv;

	(void)i;
	if (rx_len < *off + 4)
		return -EPROTO;
	if (index >= c->room)
		return -ENOSPC;
	c->levels[index] = get_le32(rx + *off);
	*off += 4;
	return 0;
}

static int levels_finish(struct scmi_req *r, int ret, unsigned int total)
{
	(void)r;
	return ret ? ret : (int)total;
}

static const struct scmi_ph_iter_ops levels_ops = {
	.prepare = levels_prepare,
	.update = walk_update,
	.entry = levels_entry,
};

static const struct scmi_ph_iter levels_iter = {
	.msg_id = FAN_DESCRIBE_LEVELS,
	.tx_size = 8,
	.ops = &levels_ops,
};

static int fan_levels_get(const struct scmi_handle *h, uint32_t fan, uint32_t *levels,
			  unsigned int room)
{
	struct scmi_protocol_handle *ph;
	struct scmi_ph_call call;
	const struct fan_info *f;
	int ret;

	if (!levels || !room)
		return -EINVAL;
	ret = scmi_ph_domain_enter(h, FAN_PROTOCOL_ID, fan, true, &call, &ph, (const void **)&f);
	if (ret)
		return ret;
	{
		SCMI_PH_REQ(r, ph);
		struct levels_ctx *c = SCMI_PH_REQ_CTX(r, struct levels_ctx);

		c->levels = levels;
		c->room = room;
		c->fan = f->id;
		ret = scmi_ph_req_walk(r, &levels_iter, c, levels_finish);
	}
	scmi_ph_leave(&call);
	return ret;
}

static const struct fan_ops fan_ops = {
	.count_get = fan_count_get,
	.info_get = fan_info_get,
	.speed_get = fan_speed_get,
	.speed_set = fan_speed_set,
	.speed_set_wait = fan_speed_set_wait,
	.levels_get = fan_levels_get,
};

const struct scmi_vendor_protocol fan_protocol = {
	.id = FAN_PROTOCOL_ID,
	.name = "fan",
	.vendor = "Acme",
	.sub_vendor = NULL,
	.impl_ver_min = 0x10000,
	.impl_ver_max = 0x1ffff,
	.supported_version = SCMI_PROTO_VERSION(1, 0),
	.ops = &fan_ops,
	.init = fan_init,
	.deinit = fan_deinit,
};

int fan_register(void)
{
	return scmi_vendor_protocol_register(&fan_protocol);
}

int fan_unregister(void)
{
	return scmi_vendor_protocol_unregister(&fan_protocol);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * The platform side of the example vendor protocol "fan" (examples/vendor/,
 * docs/VENDOR.md): a fan controller, added on demand under a vendor id with
 * scmi_sim_vendor_example_add() (loopback://?vendor_example=1), never
 * listed by default.  Written from the message list in docs/VENDOR.md,
 * independently of the agent side.
 *
 *   0x1 PROTOCOL_ATTRIBUTES  resp: b[15:0] number of fans
 *   0x3 FAN_DESCRIBE         req: first index; resp: b[11:0] returned,
 *                            b[31:16] remaining, then per fan {id,
 *                            attributes (b0 async set, b1 notify, b2
 *                            extended name), max_rpm, name[16]}
 *   0x4 FAN_NAME_GET         req: fan; resp: flags, name[64]
 *   0x5 FAN_SPEED_GET        req: fan; resp: rpm
 *   0x6 FAN_SPEED_SET        req: fan, flags (b0 async), rpm; async: the
 *                            delayed response {fan, rpm} follows
 *   0x7 FAN_NOTIFY           req: fan, b0 enable
 *   0x8 FAN_DESCRIBE_LEVELS  req: fan, first index; resp: b[11:0]
 *                            returned, b[31:16] remaining, then rpm words
 *   0x9 FAN_DESCRIBE_FASTCHANNEL  req: fan, msg (FAN_SPEED_GET only);
 *                            resp: spec §2.8's description of a 4-byte
 *                            channel without doorbell holding the speed
 *   PROTOCOL_MESSAGE_ATTRIBUTES(FAN_SPEED_GET) b0: fastchannels exist
 *   fan attribute b3: this fan has one
 *   event 0x0 SPEED_CHANGED  {agent_id, fan, rpm}
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <scmi-sim/vendor_example.h>

#include "sim-internal.h"

enum fan_msg {
	FAN_DESCRIBE = 0x3,
	FAN_NAME_GET = 0x4,
	FAN_SPEED_GET = 0x5,
	FAN_SPEED_SET = 0x6,
	FAN_NOTIFY = 0x7,
	FAN_DESCRIBE_LEVELS = 0x8,
	FAN_DESCRIBE_FASTCHANNEL = 0x9,
};

#define FAN_EVT_SPEED_CHANGED 0x0
#define FAN_ATTR_ASYNC	      (1u << 0)
#define FAN_ATTR_NOTIFY	      (1u << 1)
#define FAN_ATTR_EXT_NAME     (1u << 2)
#define FAN_ATTR_FASTCHANNEL  (1u << 3)
#define FAN_SET_ASYNC	      (1u << 0)
#define FAN_DESC_SIZE	      (12u + SIM_SHORT_NAME_SIZE)
#define FAN_LEVELS	      40u
#define FAN_DRESP_DELAY_US    2000u
#define FAN_NAME_MAX	      64u

struct fan {
	const char *name;
	uint32_t attributes;
	uint32_t max_rpm;
	uint32_t rpm;
	void *fc; /* the speed's fastchannel, once described */
	uint64_t fc_phys;
};

struct fan_state {
	struct fan fans[SCMI_SIM_VENDOR_EXAMPLE_FANS];
};

static const struct fan fan_defaults[SCMI_SIM_VENDOR_EXAMPLE_FANS] = {
	{"cpu0", FAN_ATTR_ASYNC | FAN_ATTR_NOTIFY | FAN_ATTR_FASTCHANNEL, 4000, 1000, NULL, 0},
	{"cpu1", FAN_ATTR_ASYNC | FAN_ATTR_NOTIFY | FAN_ATTR_FASTCHANNEL, 4000, 1000, NULL, 0},
	{"chassis-front-intake", FAN_ATTR_NOTIFY | FAN_ATTR_EXT_NAME, 2000, 800, NULL, 0},
	{"psu", 0, 3000, 1500, NULL, 0},
	{"gpu", FAN_ATTR_ASYNC, 5000, 0, NULL, 0},
};

static struct fan_state *fan_state(struct sim_ctx *ctx)
{
	return ctx->proto->state;
}

/* The fan the request's first word names, or NULL (NOT_FOUND answered). */
static struct fan *fan_of(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0);

	if (id >= SCMI_SIM_VENDOR_EXAMPLE_FANS) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return NULL;
	}
	return &fan_state(ctx)->fans[id];
}

static void fan_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, SCMI_SIM_VENDOR_EXAMPLE_FANS);
}

/* Entries of a multi-part reply that fit (and max_list_items allows). */
static uint32_t fan_page(struct sim_ctx *ctx, uint32_t left, size_t entry_size)
{
	size_t room = sim_reply_room(ctx);
	uint32_t n = room > 4 ? (uint32_t)((room - 4) / entry_size) : 0;

	if (n > left)
		n = left;
	if (ctx->sim->max_list_items && n > ctx->sim->max_list_items)
		n = ctx->sim->max_list_items;
	return n;
}

static void fan_describe(struct sim_ctx *ctx)
{
	uint32_t first = sim_req_u32(ctx, 0), n;
	struct fan_state *st = fan_state(ctx);

	if (first >= SCMI_SIM_VENDOR_EXAMPLE_FANS) {
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		return;
	}
	n = fan_page(ctx, SCMI_SIM_VENDOR_EXAMPLE_FANS - first, FAN_DESC_SIZE);
	sim_reply_u32(ctx, n | (SCMI_SIM_VENDOR_EXAMPLE_FANS - first - n) << 16);
	for (uint32_t i = first; i < first + n; i++) {
		const struct fan *f = &st->fans[i];

		sim_reply_u32(ctx, i);
		sim_reply_u32(ctx, f->attributes);
		sim_reply_u32(ctx, f->max_rpm);
		sim_reply_name(ctx, f->name); /* cut at 16 characters */
	}
}

static void fan_name_get(struct sim_ctx *ctx)
{
	struct fan *f = fan_of(ctx);
	uint8_t *p;

	if (!f)
		return;
	if (!(f->attributes & FAN_ATTR_EXT_NAME)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, 0);
	p = sim_reply_put(ctx, FAN_NAME_MAX);
	if (p)
		memcpy(p, f->name, strnlen(f->name, FAN_NAME_MAX - 1));
}

static void fan_speed_get(struct sim_ctx *ctx)
{
	struct fan *f = fan_of(ctx);

	if (f)
		sim_reply_u32(ctx, f->rpm);
}

static void fan_speed_set(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0), flags = sim_req_u32(ctx, 4);
	uint32_t rpm = sim_req_u32(ctx, 8);
	struct fan *f = fan_of(ctx);
	uint8_t payload[12];

	if (!f)
		return;
	if (flags & ~FAN_SET_ASYNC) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (rpm > f->max_rpm) {
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		return;
	}
	if ((flags & FAN_SET_ASYNC) && !(f->attributes & FAN_ATTR_ASYNC)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	f->rpm = rpm;
	if (f->fc)
		sim_mem_write32(f->fc, rpm);
	if (flags & FAN_SET_ASYNC) {
		uint8_t d[8];

		sim_put_le32(d, id);
		sim_put_le32(d + 4, rpm);
		if (sim_reply_delayed(ctx, SIM_SUCCESS, d, sizeof(d), FAN_DRESP_DELAY_US)) {
			sim_reply_error(ctx, SIM_GENERIC_ERROR);
			return;
		}
	}
	sim_put_le32(payload, ctx->sim->agent_id);
	sim_put_le32(payload + 4, id);
	sim_put_le32(payload + 8, rpm);
	sim_notify(ctx->sim, ctx->proto->id, FAN_EVT_SPEED_CHANGED, id, payload, sizeof(payload),
		   0);
}

static void fan_notify(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0), ctl = sim_req_u32(ctx, 4);
	struct fan *f = fan_of(ctx);

	if (!f)
		return;
	if (ctl & ~1u)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (!(f->attributes & FAN_ATTR_NOTIFY))
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
	else if (sim_notify_request(ctx->sim, ctx->proto->id, FAN_EVT_SPEED_CHANGED, id, ctl & 1))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

static void fan_describe_levels(struct sim_ctx *ctx)
{
	uint32_t first = sim_req_u32(ctx, 4), n;
	struct fan *f = fan_of(ctx);

	if (!f)
		return;
	if (first >= FAN_LEVELS) {
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		return;
	}
	n = fan_page(ctx, FAN_LEVELS - first, 4);
	sim_reply_u32(ctx, n | (FAN_LEVELS - first - n) << 16);
	for (uint32_t i = first; i < first + n; i++)
		sim_reply_u32(ctx, f->max_rpm * (i + 1) / FAN_LEVELS);
}

/* The speed's channel: 4 bytes the platform keeps up to date, no doorbell
 * (the agent only reads it). */
static void fan_describe_fastchannel(struct sim_ctx *ctx)
{
	struct fan *f = fan_of(ctx);
	uint64_t phys;
	void *ptr;

	if (!f)
		return;
	if (sim_req_u32(ctx, 4) != FAN_SPEED_GET || !(f->attributes & FAN_ATTR_FASTCHANNEL)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (!f->fc) {
		if (sim_mem_alloc(ctx->sim, 4, &phys, &ptr)) {
			sim_reply_error(ctx, SIM_GENERIC_ERROR);
			return;
		}
		f->fc = ptr;
		f->fc_phys = phys;
		sim_mem_write32(f->fc, f->rpm);
	}
	sim_reply_u32(ctx, 0); /* attributes: no doorbell */
	sim_reply_u32(ctx, 0); /* rate limit */
	sim_reply_u32(ctx, (uint32_t)f->fc_phys);
	sim_reply_u32(ctx, (uint32_t)(f->fc_phys >> 32));
	sim_reply_u32(ctx, 4); /* channel size */
	for (int i = 0; i < 6; i++)
		sim_reply_u32(ctx, 0); /* doorbell address, set, preserve */
}

static uint32_t fan_msg_attributes(struct sim_ctx *ctx, uint8_t msg_id)
{
	(void)ctx;
	return msg_id == FAN_SPEED_GET ? 1 : 0; /* b0: fastchannels exist */
}

static const struct sim_cmd fan_cmds[] = {
	{FAN_DESCRIBE, 0, 4, fan_describe},
	{FAN_NAME_GET, 0, 4, fan_name_get},
	{FAN_SPEED_GET, 0, 4, fan_speed_get},
	{FAN_SPEED_SET, 0, 12, fan_speed_set},
	{FAN_NOTIFY, 0, 8, fan_notify},
	{FAN_DESCRIBE_LEVELS, 0, 8, fan_describe_levels},
	{FAN_DESCRIBE_FASTCHANNEL, 0, 8, fan_describe_fastchannel},
};

static int fan_init(struct sim_proto *p)
{
	struct fan_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	memcpy(st->fans, fan_defaults, sizeof(st->fans));
	p->state = st;
	return 0;
}

static void fan_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

static const struct sim_proto_ops sim_vendor_example_ops = {
	.id = SCMI_SIM_VENDOR_EXAMPLE_ID,
	.name = "fan",
	.versions = NULL,
	.cmds = fan_cmds,
	.num_cmds = SIM_ARRAY_SIZE(fan_cmds),
	.init = fan_init,
	.fini = fan_fini,
	.attributes = fan_attributes,
	.msg_attributes = fan_msg_attributes,
};

int scmi_sim_vendor_example_add(struct scmi_sim *sim, uint8_t proto)
{
	if (!sim || proto < SIM_PROTO_VENDOR_FIRST)
		return -EINVAL;
	return sim_model_register_as(sim, &sim_vendor_example_ops, proto, SIM_VERSION(1, 0));
}

int scmi_sim_vendor_example_rpm_get(struct scmi_sim *sim, uint8_t proto, uint32_t fan,
				    uint32_t *rpm)
{
	struct sim_proto *p;
	int ret = 0;

	if (!sim || !rpm || fan >= SCMI_SIM_VENDOR_EXAMPLE_FANS)
		return -EINVAL;
	sim_lock(sim);
	p = sim_proto_get(sim, proto);
	if (!p || p->ops != &sim_vendor_example_ops)
		ret = -ENOENT;
	else
		*rpm = ((struct fan_state *)p->state)->fans[fan].rpm;
	sim_unlock(sim);
	return ret;
}

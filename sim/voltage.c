/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Voltage domain management model (0x17, spec digest §6.8, §4 for the level
 * descriptions): domains described by level lists or segments, config
 * modes, sync and async LEVEL_SET, and a test-facing API
 * (scmi-sim/voltage.h).  The protocol has no notifications.
 *
 * Versions: 1.0 (domain attributes 0, LEVEL_SET flags reserved), 2.0
 * (attributes b31 async LEVEL_SET, b30 extended name,
 * VOLTAGE_DOMAIN_NAME_GET), 2.1 (also NEGOTIATE_PROTOCOL_VERSION; the digest
 * does not say which revision brought it here: assumed to be the minor bump
 * of 2.1, unverified).
 *
 * Errors (as SCP-firmware answers them; the table with sources is
 * docs/SIMULATOR.md): unknown domain NOT_FOUND; a domain closed to the agent
 * DENIED; reserved bits (config above b3, a reserved architectural mode
 * 0x1..0x6, LEVEL_SET flags other than b0 -- or any flag in 1.0), an
 * implementation-defined mode the domain lacks, or a level that is not one
 * of the domain's (outside its bounds or not on its list / step)
 * INVALID_PARAMETERS; async LEVEL_SET on a domain without it NOT_SUPPORTED;
 * DESCRIBE_LEVELS past the last level of a list OUT_OF_RANGE (a segment's
 * triplet comes for any index).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum voltage_msg {
	VOLTAGE_DOMAIN_ATTRIBUTES = 0x3,
	VOLTAGE_DESCRIBE_LEVELS = 0x4,
	VOLTAGE_CONFIG_SET = 0x5,
	VOLTAGE_CONFIG_GET = 0x6,
	VOLTAGE_LEVEL_SET = 0x7,
	VOLTAGE_LEVEL_GET = 0x8,
	VOLTAGE_DOMAIN_NAME_GET = 0x9,
};

#define VOLTAGE_ATTR_ASYNC    (1u << 31)
#define VOLTAGE_ATTR_EXT_NAME (1u << 30)

#define VOLTAGE_LEVELS_SEGMENTED (1u << 12)
#define VOLTAGE_LEVELS_MAX_RET	 0xFFFu

#define VOLTAGE_MODE_MASK 0xFu
#define VOLTAGE_MODE_IMPL 0x8u
#define VOLTAGE_MODE_OFF  0x0u
#define VOLTAGE_MODE_ON	  0x7u

#define VOLTAGE_SET_ASYNC   (1u << 0)
#define VOLTAGE_EXT_NAME_SZ 64u

/* Settling time of an async level change. */
#define VOLTAGE_ASYNC_DELAY_US 500u

#define VOLTAGE_NUM_DOMAINS SCMI_SIM_VOLTAGE_NUM_DOMAINS
#define VOLTAGE_MAX_LEVELS  SCMI_SIM_VOLTAGE_MAX_LEVELS

static const uint32_t voltage_versions[] = {SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(2, 1),
					    0};

struct voltage_domain {
	struct scmi_sim_voltage_domain d;
	uint32_t default_config;
	int32_t default_level;
	uint32_t set_by; /* agent whose settings are in force, 0: platform */
};

struct voltage_state {
	struct voltage_domain dom[VOLTAGE_NUM_DOMAINS];
	enum scmi_sim_voltage_misbehaviour misbehave;
};

/* Identity, description and initial state of the default platform. */
struct voltage_default {
	const char *name, *short_name;
	bool ext, async, segmented;
	int32_t first, step; /* list: first + i * step; segment: see seg[] */
	unsigned int n;
	int32_t seg[3];
	uint8_t impl_modes;
	uint32_t config;
	int32_t level;
};

static const struct voltage_default voltage_defaults[VOLTAGE_NUM_DOMAINS] = {
	/* 40 levels: more than one 128-byte reply holds. */
	{"vdd_cpu_big",
	 "vdd_cpu_big",
	 false,
	 false,
	 false,
	 600000,
	 12500,
	 40,
	 {0},
	 0x1,
	 VOLTAGE_MODE_ON,
	 800000},
	{"vdd_gpu",
	 "vdd_gpu",
	 false,
	 true,
	 true,
	 0,
	 0,
	 3,
	 {500000, 1200000, 6250},
	 0,
	 VOLTAGE_MODE_ON,
	 750000},
	/* Descending: a list is in the platform's order. */
	{"vdd_ddr_phy_interface",
	 "vdd_ddr_phy",
	 true,
	 true,
	 false,
	 1350000,
	 -125000,
	 3,
	 {0},
	 0x3,
	 VOLTAGE_MODE_ON,
	 1225000},
	{"vbb_body_bias_negative",
	 "vbb_neg",
	 true,
	 false,
	 false,
	 -1200000,
	 100000,
	 10,
	 {0},
	 0,
	 VOLTAGE_MODE_OFF,
	 -600000},
	{"vneg_charge_pump_segment",
	 "vneg_pump",
	 true,
	 true,
	 true,
	 0,
	 0,
	 3,
	 {-3300000, -1800000, 50000},
	 0x80,
	 VOLTAGE_MODE_ON,
	 -2500000},
	{"vio_1v8",
	 "vio_1v8",
	 false,
	 false,
	 false,
	 1800000,
	 0,
	 1,
	 {0},
	 0,
	 VOLTAGE_MODE_ON,
	 1800000},
};

static struct voltage_state *voltage_state_of(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_VOLTAGE);
}

/* Domain of the request, or NULL after answering NOT_FOUND. */
static struct voltage_domain *voltage_req_domain(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0);

	if (id >= VOLTAGE_NUM_DOMAINS) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return NULL;
	}
	if (!sim_resource_check(ctx, id)) /* domain N is Base device N */
		return NULL;
	return &((struct voltage_state *)ctx->proto->state)->dom[id];
}

static enum scmi_sim_voltage_misbehaviour voltage_misbehave(const struct sim_ctx *ctx)
{
	return ((const struct voltage_state *)ctx->proto->state)->misbehave;
}

static bool voltage_v2(const struct sim_ctx *ctx)
{
	return ctx->version >= SIM_VERSION(2, 0);
}

static void voltage_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, VOLTAGE_NUM_DOMAINS);
}

static void voltage_domain_attributes(struct sim_ctx *ctx)
{
	struct voltage_domain *vd = voltage_req_domain(ctx);
	uint32_t attr = 0;

	if (!vd)
		return;
	if (voltage_v2(ctx) && vd->d.async)
		attr |= VOLTAGE_ATTR_ASYNC;
	if (voltage_v2(ctx) && vd->d.extended_name)
		attr |= VOLTAGE_ATTR_EXT_NAME;
	sim_reply_u32(ctx, attr);
	sim_reply_name(ctx, vd->d.short_name);
}

/* Only domains flagged with an extended name have one to give (NOT_SUPPORTED
 * otherwise, as SCP-firmware's CLOCK_NAME_GET answers). */
static void voltage_domain_name_get(struct sim_ctx *ctx)
{
	struct voltage_domain *vd = voltage_req_domain(ctx);
	uint8_t *p;

	if (!vd)
		return;
	if (!vd->d.extended_name) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, 0); /* flags, reserved */
	p = sim_reply_put(ctx, VOLTAGE_EXT_NAME_SZ);
	if (p)
		memcpy(p, vd->d.name, strnlen(vd->d.name, VOLTAGE_EXT_NAME_SZ - 1));
}

/* ---- VOLTAGE_DESCRIBE_LEVELS ------------------------------------------------- */

static void voltage_put_levels(struct sim_ctx *ctx, const int32_t *levels, unsigned int n)
{
	uint8_t *p = sim_reply_put(ctx, 4 * (size_t)n);

	for (unsigned int i = 0; p && i < n; i++)
		sim_put_le32(p + 4 * i, (uint32_t)levels[i]);
}

/* A segment is one triplet in one reply, whatever max_list_items says (§4). */
static void voltage_describe_segment(struct sim_ctx *ctx, const struct voltage_domain *vd,
				     uint32_t index)
{
	bool split = voltage_misbehave(ctx) == SCMI_SIM_VOLTAGE_SEGMENT_BAD_COUNT;

	(void)index; /* SCP-firmware answers the triplet whatever the index */
	sim_reply_u32(ctx, VOLTAGE_LEVELS_SEGMENTED | (split ? 2u | 1u << 16 : 3u));
	voltage_put_levels(ctx, vd->d.levels, split ? 2 : 3);
}

static void voltage_describe_list(struct sim_ctx *ctx, const struct voltage_domain *vd,
				  uint32_t index)
{
	enum scmi_sim_voltage_misbehaviour how = voltage_misbehave(ctx);
	size_t room = sim_reply_room(ctx);
	uint32_t n, remaining, flags;

	if (index >= vd->d.num_levels) {
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		return;
	}
	n = vd->d.num_levels - index;
	if (room < 8) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
		return;
	}
	if (n > (room - 4) / 4)
		n = (uint32_t)((room - 4) / 4);
	if (ctx->sim->max_list_items && n > ctx->sim->max_list_items)
		n = ctx->sim->max_list_items;
	if (n > VOLTAGE_LEVELS_MAX_RET)
		n = VOLTAGE_LEVELS_MAX_RET;
	remaining = vd->d.num_levels - index - n;
	flags = n | remaining << 16;
	if (index && how == SCMI_SIM_VOLTAGE_LIST_FORMAT_CHANGE)
		flags |= VOLTAGE_LEVELS_SEGMENTED;
	if (index && how == SCMI_SIM_VOLTAGE_LIST_COUNT_GROWS)
		flags += 1u << 16;
	sim_reply_u32(ctx, flags);
	voltage_put_levels(ctx, vd->d.levels + index, n);
}

static void voltage_describe_levels(struct sim_ctx *ctx)
{
	struct voltage_domain *vd = voltage_req_domain(ctx);
	uint32_t index = sim_req_u32(ctx, 4);

	if (!vd)
		return;
	if (vd->d.segmented)
		voltage_describe_segment(ctx, vd, index);
	else
		voltage_describe_list(ctx, vd, index);
}

/* ---- config -------------------------------------------------------------------- */

static void voltage_config_set(struct sim_ctx *ctx)
{
	struct voltage_domain *vd = voltage_req_domain(ctx);
	uint32_t config = sim_req_u32(ctx, 4);
	uint32_t mode = config & VOLTAGE_MODE_MASK;

	if (!vd)
		return;
	if ((config & ~VOLTAGE_MODE_MASK) ||
	    (!(mode & VOLTAGE_MODE_IMPL) && mode != VOLTAGE_MODE_OFF && mode != VOLTAGE_MODE_ON)) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (vd->d.denied) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	/* SCP-firmware: the driver refuses the mode, INVALID_PARAMETERS. */
	if ((mode & VOLTAGE_MODE_IMPL) && !(vd->d.impl_modes & (1u << (mode & 0x7u)))) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	vd->d.config = config;
	vd->d.config_sets++;
	vd->d.last_agent = ctx->sim->agent_id;
	vd->set_by = ctx->sim->agent_id;
}

static void voltage_config_get(struct sim_ctx *ctx)
{
	struct voltage_domain *vd = voltage_req_domain(ctx);

	if (vd)
		sim_reply_u32(ctx, vd->d.config);
}

/* ---- levels -------------------------------------------------------------------- */

/* SIM_SUCCESS if @uv is a level of @vd, else the status to answer. */
static int32_t voltage_level_status(const struct voltage_domain *vd, int32_t uv)
{
	const int32_t *l = vd->d.levels;
	int32_t lo, hi;

	/* SCP-firmware: the driver refuses any level it cannot set
	 * (FWK_E_RANGE) and the SCMI layer answers INVALID_PARAMETERS. */
	if (vd->d.segmented) {
		if (uv < l[0] || uv > l[1])
			return SIM_INVALID_PARAMETERS;
		if (l[2] <= 0 || ((int64_t)uv - l[0]) % l[2])
			return SIM_INVALID_PARAMETERS;
		return SIM_SUCCESS;
	}
	lo = hi = l[0];
	for (unsigned int i = 1; i < vd->d.num_levels; i++) {
		lo = l[i] < lo ? l[i] : lo;
		hi = l[i] > hi ? l[i] : hi;
	}
	if (uv < lo || uv > hi)
		return SIM_INVALID_PARAMETERS;
	for (unsigned int i = 0; i < vd->d.num_levels; i++)
		if (l[i] == uv)
			return SIM_SUCCESS;
	return SIM_INVALID_PARAMETERS;
}

static void voltage_level_set_delayed(struct sim_ctx *ctx, uint32_t id, int32_t uv)
{
	enum scmi_sim_voltage_misbehaviour how = voltage_misbehave(ctx);
	uint8_t data[8];
	size_t len = sizeof(data);

	sim_put_le32(data, how == SCMI_SIM_VOLTAGE_DRESP_WRONG_DOMAIN ? id + 1 : id);
	sim_put_le32(data + 4, (uint32_t)(how == SCMI_SIM_VOLTAGE_DRESP_WRONG_LEVEL ? uv + 1 : uv));
	if (how == SCMI_SIM_VOLTAGE_DRESP_SHORT)
		len = 4;
	if (sim_reply_delayed(ctx, SIM_SUCCESS, data, len, VOLTAGE_ASYNC_DELAY_US))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

static void voltage_level_set(struct sim_ctx *ctx)
{
	struct voltage_domain *vd = voltage_req_domain(ctx);
	uint32_t flags = sim_req_u32(ctx, 4);
	int32_t uv = (int32_t)sim_req_u32(ctx, 8);
	uint32_t valid = voltage_v2(ctx) ? VOLTAGE_SET_ASYNC : 0;
	int32_t status;

	if (!vd)
		return;
	if (flags & ~valid) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (vd->d.denied) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	if ((flags & VOLTAGE_SET_ASYNC) && !vd->d.async) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	status = voltage_level_status(vd, uv);
	if (status) {
		sim_reply_error(ctx, status);
		return;
	}
	if (flags & VOLTAGE_SET_ASYNC) {
		voltage_level_set_delayed(ctx, sim_req_u32(ctx, 0), uv);
		if (ctx->status)
			return;
		vd->d.async_level_sets++;
	}
	vd->d.level_uv = uv;
	vd->d.level_sets++;
	vd->d.last_agent = ctx->sim->agent_id;
	vd->set_by = ctx->sim->agent_id;
}

static void voltage_level_get(struct sim_ctx *ctx)
{
	struct voltage_domain *vd = voltage_req_domain(ctx);

	if (vd)
		sim_reply_u32(ctx, (uint32_t)vd->d.level_uv);
}

/* BASE_RESET_AGENT_CONFIGURATION: undo that agent's settings. */
static void voltage_agent_reset(struct sim_proto *p, uint32_t agent_id)
{
	struct voltage_state *st = p->state;

	for (unsigned int i = 0; i < VOLTAGE_NUM_DOMAINS; i++) {
		struct voltage_domain *vd = &st->dom[i];

		if (vd->set_by != agent_id)
			continue;
		vd->d.config = vd->default_config;
		vd->d.level_uv = vd->default_level;
		vd->set_by = 0;
	}
}

static const struct sim_cmd voltage_cmds[] = {
	{VOLTAGE_DOMAIN_ATTRIBUTES, SIM_VERSION(1, 0), 4, voltage_domain_attributes},
	{VOLTAGE_DESCRIBE_LEVELS, SIM_VERSION(1, 0), 8, voltage_describe_levels},
	{VOLTAGE_CONFIG_SET, SIM_VERSION(1, 0), 8, voltage_config_set},
	{VOLTAGE_CONFIG_GET, SIM_VERSION(1, 0), 4, voltage_config_get},
	{VOLTAGE_LEVEL_SET, SIM_VERSION(1, 0), 12, voltage_level_set},
	{VOLTAGE_LEVEL_GET, SIM_VERSION(1, 0), 4, voltage_level_get},
	{VOLTAGE_DOMAIN_NAME_GET, SIM_VERSION(2, 0), 4, voltage_domain_name_get},
};

static void voltage_domain_default(struct voltage_domain *vd, const struct voltage_default *def)
{
	struct scmi_sim_voltage_domain *d = &vd->d;

	snprintf(d->name, sizeof(d->name), "%s", def->name);
	snprintf(d->short_name, sizeof(d->short_name), "%s", def->short_name);
	d->extended_name = def->ext;
	d->async = def->async;
	d->segmented = def->segmented;
	d->num_levels = def->n;
	for (unsigned int i = 0; i < def->n; i++)
		d->levels[i] = def->segmented ? def->seg[i] : def->first + (int32_t)i * def->step;
	d->impl_modes = def->impl_modes;
	d->config = vd->default_config = def->config;
	d->level_uv = vd->default_level = def->level;
}

static int voltage_init(struct sim_proto *p)
{
	struct voltage_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	for (unsigned int i = 0; i < VOLTAGE_NUM_DOMAINS; i++)
		voltage_domain_default(&st->dom[i], &voltage_defaults[i]);
	p->state = st;
	return 0;
}

static void voltage_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

const struct sim_proto_ops sim_voltage_ops = {
	.id = SIM_PROTO_VOLTAGE,
	.name = "voltage",
	.versions = voltage_versions,
	.negotiate_since = SIM_VERSION(2, 1),
	.cmds = voltage_cmds,
	.num_cmds = SIM_ARRAY_SIZE(voltage_cmds),
	.init = voltage_init,
	.fini = voltage_fini,
	.attributes = voltage_attributes,
	.agent_reset = voltage_agent_reset,
};

/* ---- test-facing API ------------------------------------------------------- */

int scmi_sim_voltage_num_domains(struct scmi_sim *sim)
{
	return sim ? VOLTAGE_NUM_DOMAINS : -EINVAL;
}

/* Domain @id of the model, lock held; NULL if absent. */
static struct voltage_domain *voltage_domain_locked(struct scmi_sim *sim, uint32_t id)
{
	struct voltage_state *st = voltage_state_of(sim);

	return st && id < VOLTAGE_NUM_DOMAINS ? &st->dom[id] : NULL;
}

int scmi_sim_voltage_domain_get(struct scmi_sim *sim, uint32_t domain,
				struct scmi_sim_voltage_domain *out)
{
	struct voltage_domain *vd;
	int ret = -ENOENT;

	if (!sim || !out)
		return -EINVAL;
	sim_lock(sim);
	vd = voltage_domain_locked(sim, domain);
	if (vd) {
		*out = vd->d;
		ret = 0;
	}
	sim_unlock(sim);
	return ret;
}

/* What the setters below change, with the lock held. */
enum voltage_field {
	VOLTAGE_F_LEVEL,
	VOLTAGE_F_CONFIG,
	VOLTAGE_F_DENIED
};

static int voltage_field_set(struct scmi_sim *sim, uint32_t domain, enum voltage_field f,
			     uint32_t v)
{
	struct voltage_domain *vd;
	int ret = -ENOENT;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	vd = voltage_domain_locked(sim, domain);
	if (vd) {
		ret = 0;
		if (f == VOLTAGE_F_LEVEL) {
			vd->d.level_uv = (int32_t)v;
			vd->d.last_agent = vd->set_by = 0;
		} else if (f == VOLTAGE_F_CONFIG) {
			vd->d.config = v;
			vd->d.last_agent = vd->set_by = 0;
		} else {
			vd->d.denied = v;
		}
	}
	sim_unlock(sim);
	return ret;
}

int scmi_sim_voltage_level_set(struct scmi_sim *sim, uint32_t domain, int32_t level_uv)
{
	return voltage_field_set(sim, domain, VOLTAGE_F_LEVEL, (uint32_t)level_uv);
}

int scmi_sim_voltage_config_set(struct scmi_sim *sim, uint32_t domain, uint32_t config)
{
	return voltage_field_set(sim, domain, VOLTAGE_F_CONFIG, config);
}

int scmi_sim_voltage_denied_set(struct scmi_sim *sim, uint32_t domain, bool denied)
{
	return voltage_field_set(sim, domain, VOLTAGE_F_DENIED, denied);
}

int scmi_sim_voltage_levels_set(struct scmi_sim *sim, uint32_t domain, bool segmented,
				const int32_t *levels, unsigned int n)
{
	struct voltage_domain *vd;
	int ret = -ENOENT;

	if (!sim || !levels || !n || n > VOLTAGE_MAX_LEVELS || (segmented && n != 3))
		return -EINVAL;
	sim_lock(sim);
	vd = voltage_domain_locked(sim, domain);
	if (vd) {
		vd->d.segmented = segmented;
		vd->d.num_levels = n;
		memcpy(vd->d.levels, levels, n * sizeof(*levels));
		ret = 0;
	}
	sim_unlock(sim);
	return ret;
}

int scmi_sim_voltage_misbehave(struct scmi_sim *sim, enum scmi_sim_voltage_misbehaviour how)
{
	struct voltage_state *st;
	int ret = -ENOENT;

	if (!sim || how < SCMI_SIM_VOLTAGE_BEHAVE || how > SCMI_SIM_VOLTAGE_LIST_COUNT_GROWS)
		return -EINVAL;
	sim_lock(sim);
	st = voltage_state_of(sim);
	if (st) {
		st->misbehave = how;
		ret = 0;
	}
	sim_unlock(sim);
	return ret;
}

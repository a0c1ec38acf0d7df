/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Power capping and monitoring model (0x18, spec digest §6.9, §2.8).
 *
 * Versions 1.0 and 2.0 use the same layouts; 2.0 gives a cap of 0 the
 * meaning "capping disabled" (CAP_SET accepts it, CAP_GET reports it),
 * where 1.0 answers OUT_OF_RANGE.  NEGOTIATE_PROTOCOL_VERSION is modelled
 * from 2.0 on (the SCMI release that brought powercap 2.0 added it to every
 * protocol; unverified in the digest).
 *
 * Domains, their tree and the crossing rule of measurement notifications
 * are described in <scmi-sim/powercap.h>.  Error statuses follow what
 * SCP-firmware answers: unknown domain NOT_FOUND, reserved flag bits
 * INVALID_PARAMETERS, a feature the domain lacks NOT_SUPPORTED, a value
 * outside the range or off the step OUT_OF_RANGE, no permission DENIED.
 *
 * Fastchannels: each (domain, message) window is carved from shared memory
 * the first time the agent asks DESCRIBE_FASTCHANNEL for it.  "Get"
 * windows always hold the current value (rewritten on every change).  Set
 * windows are read by the poll hook: on a doorbell when the domain has one,
 * otherwise whenever their content differs from what was last taken from
 * them (a sampled register: platform-side changes do not rewrite it, so
 * writing the same value again is not a new request).  A fastchannel has no status,
 * so an invalid value written there is dropped and counted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum pc_msg {
	PC_DOMAIN_ATTRIBUTES = 0x3,
	PC_CAP_GET = 0x4,
	PC_CAP_SET = 0x5,
	PC_PAI_GET = 0x6,
	PC_PAI_SET = 0x7,
	PC_DOMAIN_NAME_GET = 0x8,
	PC_MEASUREMENTS_GET = 0x9,
	PC_CAP_NOTIFY = 0xA,
	PC_MEASUREMENTS_NOTIFY = 0xB,
	PC_DESCRIBE_FASTCHANNEL = 0xC,
};

enum pc_evt {
	PC_EVT_CAP_CHANGED = 0x0,
	PC_EVT_MEASUREMENTS_CHANGED = 0x1,
};

/* DOMAIN_ATTRIBUTES attributes word (§6.9); the unit at b[24:23] follows
 * Linux, SCP-firmware has it at b[25:24] (unverified). */
#define PC_A_NOTIFY_CAP	  (1u << 31)
#define PC_A_NOTIFY_MEAS  (1u << 30)
#define PC_A_ASYNC	  (1u << 29)
#define PC_A_EXT_NAME	  (1u << 28)
#define PC_A_CAP_CONFIG	  (1u << 27)
#define PC_A_MONITORING	  (1u << 26)
#define PC_A_PAI_CONFIG	  (1u << 25)
#define PC_A_UNIT_SHIFT	  23
#define PC_A_FASTCHANNELS (1u << 22)

#define PC_CAP_SET_IGNORE_DRESP (1u << 0)
#define PC_CAP_SET_ASYNC	(1u << 1)
#define PC_NOTIFY_ENABLE	(1u << 0)
#define PC_UNIT_MAX		3u

#define PC_EXT_NAME_SIZE    64u
#define PC_FC_CHAN_SIZE	    4u
#define PC_FC_RATE_LIMIT_US 500u
#define PC_FC_ATTR_DOORBELL (1u << 0)
/* Outside the shared-memory window: the agent cannot map it. */
#define PC_FC_UNMAPPABLE_BASE 0x7F000000ull

#define PC_DEFAULT_ASYNC_DELAY_US 2000u

#define PC_MAX_DOMAINS SCMI_SIM_POWERCAP_MAX_DOMAINS
#define PC_ROOT	       SCMI_SIM_POWERCAP_ROOT

/* Fastchannel slots of a domain. */
enum pc_fc {
	PC_FC_CAP_GET,
	PC_FC_CAP_SET,
	PC_FC_PAI_GET,
	PC_FC_PAI_SET,
	PC_FC_COUNT,
};

static const uint32_t pc_versions[] = {SIM_VERSION(1, 0), SIM_VERSION(2, 0), 0};

struct pc_fc_slot {
	bool allocated;
	uint64_t phys;
	uint8_t *chan;
	uint64_t db_phys;
	void *db;
	unsigned int db_width;
	uint64_t db_set, db_preserve;
	uint32_t last_seen; /* set windows without a doorbell */
};

struct pc_domain {
	struct scmi_sim_powercap_domain d;
	struct pc_fc_slot fc[PC_FC_COUNT];
	uint32_t default_cap, default_pai;
	bool changed_by_agent;
};

struct pc_state {
	unsigned int n;
	struct pc_domain dom[PC_MAX_DOMAINS];
	enum scmi_sim_powercap_fc_mode fc_mode;
	enum scmi_sim_powercap_dresp_fault dresp_fault;
	uint64_t async_delay_us;
};

/* ---- the default platform ------------------------------------------------- */

static const struct scmi_sim_powercap_domain pc_defaults[SCMI_SIM_POWERCAP_DEFAULT_DOMAINS] = {
	{
		.name = "soc",
		.notify_cap = true,
		.notify_meas = true,
		.async = true,
		.cap_config = true,
		.monitoring = true,
		.pai_config = true,
		.unit = 2,
		.fastchannels = true,
		.fc_db_width = 32,
		.min_pai = 1000,
		.max_pai = 100000,
		.pai_step = 1000,
		.min_cap = 2000,
		.max_cap = 30000,
		.cap_step = 500,
		.sustainable_power = 20000,
		.accuracy = 1000,
		.parent_id = PC_ROOT,
		.cap = 25000,
		.pai = 10000,
		.power = 12000,
	},
	{
		.name = "big-cluster-powercap",
		.notify_cap = true,
		.notify_meas = true,
		.async = true,
		.cap_config = true,
		.monitoring = true,
		.pai_config = false,
		.unit = 1,
		.fastchannels = true,
		.fc_db_width = 8,
		.min_pai = 5000,
		.max_pai = 5000,
		.min_cap = 500000,
		.max_cap = 8000000,
		.cap_step = 100000,
		.sustainable_power = 6000000,
		.accuracy = 500,
		.parent_id = 0,
		.cap = 8000000,
		.pai = 5000,
		.power = 3000000,
	},
	{
		.name = "little-cluster-powercap-domain",
		.notify_cap = true,
		.cap_config = true,
		.monitoring = true,
		.pai_config = true,
		.unit = 1,
		.fastchannels = true,
		.fc_db_width = 0,
		.min_pai = 1000,
		.max_pai = 50000,
		.pai_step = 500,
		.min_cap = 200000,
		.max_cap = 3000000,
		.cap_step = 50000,
		.sustainable_power = 2000000,
		.accuracy = 500,
		.parent_id = 0,
		.cap = 3000000,
		.pai = 5000,
		.power = 800000,
	},
	{
		.name = "gpu",
		.async = true,
		.cap_config = true,
		.monitoring = true,
		.pai_config = true,
		.unit = 2,
		.min_pai = 2000,
		.max_pai = 40000,
		.pai_step = 2000,
		.min_cap = 1000,
		.max_cap = 15000,
		.cap_step = 250,
		.sustainable_power = 10000,
		.accuracy = 2000,
		.parent_id = 0,
		.cap = 15000,
		.pai = 10000,
		.power = 4000,
	},
	{
		.name = "dram",
		.notify_meas = true,
		.monitoring = true,
		.unit = 0,
		.min_pai = 20000,
		.max_pai = 20000,
		.min_cap = 4000,
		.max_cap = 4000,
		.sustainable_power = 4000,
		.accuracy = 5000,
		.parent_id = PC_ROOT,
		.cap = 4000,
		.pai = 20000,
		.power = 1500,
	},
	{
		.name = "gpu-shader-cores",
		.notify_cap = true,
		.async = true,
		.cap_config = true,
		.pai_config = true,
		.unit = 2,
		.min_pai = 2000,
		.max_pai = 40000,
		.pai_step = 2000,
		.min_cap = 500,
		.max_cap = 10000,
		.cap_step = 100,
		.sustainable_power = 8000,
		.accuracy = 2000,
		.parent_id = 3,
		.cap = 10000,
		.pai = 10000,
		.power = 2500,
	},
};

static struct pc_state *pc_state(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_POWERCAP);
}

static bool pc_v2(const struct sim_ctx *ctx)
{
	return ctx->version >= SIM_VERSION(2, 0);
}

static bool pc_has_ext_name(const struct scmi_sim_powercap_domain *d)
{
	return strlen(d->name) >= SIM_SHORT_NAME_SIZE;
}

static uint32_t pc_attributes_word(const struct scmi_sim_powercap_domain *d)
{
	return (d->notify_cap ? PC_A_NOTIFY_CAP : 0) | (d->notify_meas ? PC_A_NOTIFY_MEAS : 0) |
	       (d->async ? PC_A_ASYNC : 0) | (pc_has_ext_name(d) ? PC_A_EXT_NAME : 0) |
	       (d->cap_config ? PC_A_CAP_CONFIG : 0) | (d->monitoring ? PC_A_MONITORING : 0) |
	       (d->pai_config ? PC_A_PAI_CONFIG : 0) | (d->unit & PC_UNIT_MAX) << PC_A_UNIT_SHIFT |
	       (d->fastchannels ? PC_A_FASTCHANNELS : 0);
}

/* Is @v one of min, min + step ... max? */
static bool pc_in_range(uint32_t v, uint32_t min, uint32_t max, uint32_t step)
{
	return v >= min && v <= max && (!step || (v - min) % step == 0);
}

static bool pc_cap_valid(const struct scmi_sim_powercap_domain *d, uint32_t cap, bool v2)
{
	return (v2 && cap == 0) || pc_in_range(cap, d->min_cap, d->max_cap, d->cap_step);
}

/* ---- notifications and fastchannel contents ------------------------------- */

/* 1 if sent, 0 if not enabled, <0 on error. */
static int pc_notify_cap_changed(struct scmi_sim *sim, uint32_t dom, uint32_t agent)
{
	const struct scmi_sim_powercap_domain *d = &pc_state(sim)->dom[dom].d;
	uint8_t payload[16];

	sim_put_le32(payload, agent);
	sim_put_le32(payload + 4, dom);
	sim_put_le32(payload + 8, d->cap);
	sim_put_le32(payload + 12, d->pai);
	return sim_notify(sim, SIM_PROTO_POWERCAP, PC_EVT_CAP_CHANGED, dom, payload,
			  sizeof(payload), 0);
}

/* Which side of the thresholds @power is on: 0 below, 1 between, 2 above. */
static int pc_zone(const struct scmi_sim_powercap_domain *d, uint32_t power)
{
	if (power < d->thresh_low)
		return 0;
	return power > d->thresh_high ? 2 : 1;
}

/*
 * Rewrite the "get" windows with the current values.  Set windows are left
 * alone: one without a doorbell is a register the platform samples, and
 * rewriting it could overwrite an agent write not yet picked up.
 */
static void pc_fc_sync(struct pc_domain *pd)
{
	if (pd->fc[PC_FC_CAP_GET].allocated)
		sim_mem_write32(pd->fc[PC_FC_CAP_GET].chan, pd->d.cap);
	if (pd->fc[PC_FC_PAI_GET].allocated)
		sim_mem_write32(pd->fc[PC_FC_PAI_GET].chan, pd->d.pai);
}

/*
 * Set the cap and PAI of @dom on behalf of @agent (0: the platform).  A
 * change rewrites the "get" windows and raises CAP_CHANGED; setting the
 * values a domain already has changes nothing and notifies nobody.
 * Returns 1 if a notification went out, 0 if not, <0 on error.
 */
static int pc_set(struct scmi_sim *sim, uint32_t dom, uint32_t cap, uint32_t pai, uint32_t agent)
{
	struct pc_domain *pd = &pc_state(sim)->dom[dom];
	const struct sim_proto *p = sim_proto_get(sim, SIM_PROTO_POWERCAP);

	if (pd->d.cap == cap && pd->d.pai == pai)
		return 0;
	pd->d.cap = cap;
	pd->d.pai = pai;
	if (agent)
		pd->changed_by_agent = true;
	pc_fc_sync(pd);
	if (!p || !p->present)
		return 0;
	return pc_notify_cap_changed(sim, dom, agent);
}

/* ---- commands --------------------------------------------------------------- */

/* The domain named by the request's first word, or NULL (answered NOT_FOUND). */
static struct pc_domain *pc_req_domain(struct sim_ctx *ctx)
{
	struct pc_state *st = ctx->proto->state;
	uint32_t dom = sim_req_u32(ctx, 0);

	if (dom >= st->n) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return NULL;
	}
	if (!sim_resource_check(ctx, dom)) /* domain N is Base device N */
		return NULL;
	return &st->dom[dom];
}

static uint32_t pc_dom_id(struct sim_ctx *ctx, const struct pc_domain *pd)
{
	return (uint32_t)(pd - ((struct pc_state *)ctx->proto->state)->dom);
}

/* Domain d is Base device d (see <scmi-sim/sim.h>); domains past the Base
 * model's devices are not restricted.  Commands check it with the domain
 * lookup; fastchannel writes here. */
static bool pc_access(struct scmi_sim *sim, uint32_t dom)
{
	return sim_resource_allowed(sim, SIM_PROTO_POWERCAP, dom);
}

static void pc_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, ((struct pc_state *)ctx->proto->state)->n & 0xFFFFu);
}

static uint32_t pc_msg_attributes(struct sim_ctx *ctx, uint8_t msg_id)
{
	const struct pc_state *st = ctx->proto->state;

	switch (msg_id) {
	case PC_CAP_GET:
	case PC_CAP_SET:
	case PC_PAI_GET:
	case PC_PAI_SET:
		return st->fc_mode == SCMI_SIM_POWERCAP_FC_OFF ? 0 : 1;
	default:
		return 0;
	}
}

static void pc_domain_attributes(struct sim_ctx *ctx)
{
	struct pc_domain *pd = pc_req_domain(ctx);
	const struct scmi_sim_powercap_domain *d;

	if (!pd)
		return;
	d = &pd->d;
	sim_reply_u32(ctx, pc_attributes_word(d));
	sim_reply_name(ctx, d->name);
	sim_reply_u32(ctx, d->min_pai);
	sim_reply_u32(ctx, d->max_pai);
	sim_reply_u32(ctx, d->pai_step);
	sim_reply_u32(ctx, d->min_cap);
	sim_reply_u32(ctx, d->max_cap);
	sim_reply_u32(ctx, d->cap_step);
	sim_reply_u32(ctx, d->sustainable_power);
	sim_reply_u32(ctx, d->accuracy);
	sim_reply_u32(ctx, d->parent_id);
}

static void pc_cap_get(struct sim_ctx *ctx)
{
	struct pc_domain *pd = pc_req_domain(ctx);

	if (pd)
		sim_reply_u32(ctx, pd->d.cap);
}

static void pc_cap_set(struct sim_ctx *ctx)
{
	struct pc_state *st = ctx->proto->state;
	struct pc_domain *pd = pc_req_domain(ctx);
	uint32_t flags = sim_req_u32(ctx, 4), cap = sim_req_u32(ctx, 8), dom;
	bool async = flags & PC_CAP_SET_ASYNC;
	uint8_t dresp[8];

	if (!pd)
		return;
	dom = pc_dom_id(ctx, pd);
	if (flags & ~(PC_CAP_SET_ASYNC | PC_CAP_SET_IGNORE_DRESP))
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (!pd->d.cap_config || (async && !pd->d.async))
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
	else if (!pc_cap_valid(&pd->d, cap, pc_v2(ctx)))
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
	if (ctx->status)
		return;
	if (async && !(flags & PC_CAP_SET_IGNORE_DRESP)) {
		sim_put_le32(dresp, st->dresp_fault == SCMI_SIM_POWERCAP_DRESP_WRONG_DOMAIN
					    ? (dom + 1) % st->n
					    : dom);
		sim_put_le32(dresp + 4,
			     st->dresp_fault == SCMI_SIM_POWERCAP_DRESP_WRONG_CAP ? cap + 1 : cap);
		if (sim_reply_delayed(ctx, SIM_SUCCESS, dresp,
				      st->dresp_fault == SCMI_SIM_POWERCAP_DRESP_SHORT ? 4 : 8,
				      st->async_delay_us)) {
			sim_reply_error(ctx, SIM_GENERIC_ERROR);
			return;
		}
		pd->d.async_cap_sets++;
	} else if (async) {
		pd->d.ignored_dresps++;
	}
	pd->d.msg_cap_sets++;
	pc_set(ctx->sim, dom, cap, pd->d.pai, ctx->sim->agent_id);
}

static void pc_pai_get(struct sim_ctx *ctx)
{
	struct pc_domain *pd = pc_req_domain(ctx);

	if (pd)
		sim_reply_u32(ctx, pd->d.pai);
}

static void pc_pai_set(struct sim_ctx *ctx)
{
	struct pc_domain *pd = pc_req_domain(ctx);
	uint32_t flags = sim_req_u32(ctx, 4), pai = sim_req_u32(ctx, 8), dom;

	if (!pd)
		return;
	dom = pc_dom_id(ctx, pd);
	if (flags)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (!pd->d.pai_config)
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
	else if (!pc_in_range(pai, pd->d.min_pai, pd->d.max_pai, pd->d.pai_step))
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
	if (ctx->status)
		return;
	pc_set(ctx->sim, dom, pd->d.cap, pai, ctx->sim->agent_id);
}

static void pc_domain_name_get(struct sim_ctx *ctx)
{
	struct pc_domain *pd = pc_req_domain(ctx);
	uint8_t *p;

	if (!pd)
		return;
	if (!pc_has_ext_name(&pd->d)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, 0); /* flags: reserved */
	p = sim_reply_put(ctx, PC_EXT_NAME_SIZE);
	if (p)
		memcpy(p, pd->d.name, strnlen(pd->d.name, PC_EXT_NAME_SIZE - 1));
}

static void pc_measurements_get(struct sim_ctx *ctx)
{
	struct pc_domain *pd = pc_req_domain(ctx);

	if (!pd)
		return;
	if (!pd->d.monitoring) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, pd->d.power);
	sim_reply_u32(ctx, pd->d.pai);
}

static void pc_cap_notify(struct sim_ctx *ctx)
{
	struct pc_domain *pd = pc_req_domain(ctx);
	uint32_t ctl = sim_req_u32(ctx, 4);

	if (!pd)
		return;
	if (ctl & ~PC_NOTIFY_ENABLE)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (!pd->d.notify_cap)
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
	else if (sim_notify_request(ctx->sim, SIM_PROTO_POWERCAP, PC_EVT_CAP_CHANGED,
				    pc_dom_id(ctx, pd), ctl & PC_NOTIFY_ENABLE))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

/* Thresholds matter only to an enable, where both 0 or low > high make no
 * sense; a disable ignores them. */
static void pc_measurements_notify(struct sim_ctx *ctx)
{
	struct pc_domain *pd = pc_req_domain(ctx);
	uint32_t ctl = sim_req_u32(ctx, 4);
	uint32_t low = sim_req_u32(ctx, 8), high = sim_req_u32(ctx, 12);
	bool enable = ctl & PC_NOTIFY_ENABLE;

	if (!pd)
		return;
	if (ctl & ~PC_NOTIFY_ENABLE)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (!pd->d.notify_meas || !pd->d.monitoring)
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
	else if (enable && ((!low && !high) || low > high))
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	if (ctx->status)
		return;
	if (sim_notify_request(ctx->sim, SIM_PROTO_POWERCAP, PC_EVT_MEASUREMENTS_CHANGED,
			       pc_dom_id(ctx, pd), enable)) {
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
		return;
	}
	if (enable) {
		pd->d.thresh_low = low;
		pd->d.thresh_high = high;
	}
}

static int pc_fc_index(uint32_t msg_id)
{
	switch (msg_id) {
	case PC_CAP_GET:
		return PC_FC_CAP_GET;
	case PC_CAP_SET:
		return PC_FC_CAP_SET;
	case PC_PAI_GET:
		return PC_FC_PAI_GET;
	case PC_PAI_SET:
		return PC_FC_PAI_SET;
	default:
		return -1;
	}
}

static unsigned int pc_db_width_code(unsigned int width)
{
	switch (width) {
	case 8:
		return 0;
	case 16:
		return 1;
	case 32:
		return 2;
	default:
		return 3;
	}
}

/* Carve the window (and doorbell) of slot @f of @pd.  Lock held. */
static int pc_fc_alloc(struct scmi_sim *sim, struct pc_domain *pd, enum pc_fc f)
{
	struct pc_fc_slot *s = &pd->fc[f];
	void *chan;
	int ret;

	ret = sim_mem_alloc(sim, PC_FC_CHAN_SIZE, &s->phys, &chan);
	if (ret)
		return ret;
	s->chan = chan;
	s->db = NULL;
	if ((f == PC_FC_CAP_SET || f == PC_FC_PAI_SET) && pd->d.fc_db_width) {
		s->db_width = pd->d.fc_db_width;
		ret = sim_mem_alloc(sim, s->db_width / 8, &s->db_phys, &s->db);
		if (ret)
			return ret;
		s->db_set = 0x1;
		/* Narrow doorbells share their register: keep the upper bits. */
		s->db_preserve = s->db_width == 8 ? 0xF0 : 0;
	}
	if (f == PC_FC_CAP_SET || f == PC_FC_PAI_SET) {
		/* Without a doorbell, a change of content is the request. */
		s->last_seen = f == PC_FC_CAP_SET ? pd->d.cap : pd->d.pai;
		sim_mem_write32(s->chan, s->last_seen);
	}
	s->allocated = true;
	pc_fc_sync(pd);
	return 0;
}

static void pc_describe_fastchannel(struct sim_ctx *ctx)
{
	struct pc_state *st = ctx->proto->state;
	struct pc_domain *pd = pc_req_domain(ctx);
	int f = pc_fc_index(sim_req_u32(ctx, 4));
	uint64_t chan, db = 0, set = 0, preserve = 0;
	uint32_t attr = 0;
	struct pc_fc_slot *s;

	if (!pd)
		return;
	if (f < 0 || st->fc_mode == SCMI_SIM_POWERCAP_FC_OFF || !pd->d.fastchannels ||
	    (f == PC_FC_CAP_SET && !pd->d.cap_config) ||
	    (f == PC_FC_PAI_SET && !pd->d.pai_config)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	s = &pd->fc[f];
	if (st->fc_mode == SCMI_SIM_POWERCAP_FC_UNMAPPABLE) {
		chan = PC_FC_UNMAPPABLE_BASE + (uint64_t)(pc_dom_id(ctx, pd) * PC_FC_COUNT + f) * 8;
	} else {
		if (!s->allocated && pc_fc_alloc(ctx->sim, pd, (enum pc_fc)f)) {
			sim_reply_error(ctx, SIM_GENERIC_ERROR);
			return;
		}
		chan = s->phys;
		if (s->db) {
			attr = PC_FC_ATTR_DOORBELL | pc_db_width_code(s->db_width) << 1;
			db = s->db_phys;
			set = s->db_set;
			preserve = s->db_preserve;
		}
		sim_poll_request(ctx->sim);
	}
	sim_reply_u32(ctx, attr);
	sim_reply_u32(ctx, PC_FC_RATE_LIMIT_US);
	sim_reply_u32(ctx, (uint32_t)chan);
	sim_reply_u32(ctx, (uint32_t)(chan >> 32));
	sim_reply_u32(ctx, PC_FC_CHAN_SIZE);
	sim_reply_u32(ctx, (uint32_t)db);
	sim_reply_u32(ctx, (uint32_t)(db >> 32));
	sim_reply_u32(ctx, (uint32_t)set);
	sim_reply_u32(ctx, (uint32_t)(set >> 32));
	sim_reply_u32(ctx, (uint32_t)preserve);
	sim_reply_u32(ctx, (uint32_t)(preserve >> 32));
}

/* ---- fastchannel writes (poll hook) ------------------------------------------ */

/* A new value in set window @f, if the agent wrote (and rang) one. */
static bool pc_fc_take(struct pc_fc_slot *s, uint32_t *v)
{
	if (!s->allocated)
		return false;
	if (s->db) {
		if (!(sim_mem_doorbell_take(s->db, s->db_width) & s->db_set))
			return false;
		*v = sim_mem_read32(s->chan);
		return true;
	}
	*v = sim_mem_read32(s->chan);
	if (*v == s->last_seen)
		return false;
	s->last_seen = *v;
	return true;
}

static void pc_poll(struct sim_proto *p)
{
	struct pc_state *st = p->state;
	struct scmi_sim *sim = p->sim;
	bool v2 = p->active >= SIM_VERSION(2, 0);

	for (uint32_t i = 0; i < st->n; i++) {
		struct pc_domain *pd = &st->dom[i];
		bool allowed = pc_access(sim, i);
		uint32_t v;

		if (pc_fc_take(&pd->fc[PC_FC_CAP_SET], &v)) {
			if (allowed && pd->d.cap_config && pc_cap_valid(&pd->d, v, v2)) {
				pd->d.fc_cap_sets++;
				pc_set(sim, i, v, pd->d.pai, sim->agent_id);
			} else {
				pd->d.fc_rejected++;
			}
		}
		if (pc_fc_take(&pd->fc[PC_FC_PAI_SET], &v)) {
			if (allowed && pd->d.pai_config &&
			    pc_in_range(v, pd->d.min_pai, pd->d.max_pai, pd->d.pai_step)) {
				pd->d.fc_pai_sets++;
				pc_set(sim, i, pd->d.cap, v, sim->agent_id);
			} else {
				pd->d.fc_rejected++;
			}
		}
	}
}

/* ---- model ------------------------------------------------------------------- */

static const struct sim_cmd pc_cmds[] = {
	{PC_DOMAIN_ATTRIBUTES, SIM_VERSION(1, 0), 4, pc_domain_attributes},
	{PC_CAP_GET, SIM_VERSION(1, 0), 4, pc_cap_get},
	{PC_CAP_SET, SIM_VERSION(1, 0), 12, pc_cap_set},
	{PC_PAI_GET, SIM_VERSION(1, 0), 4, pc_pai_get},
	{PC_PAI_SET, SIM_VERSION(1, 0), 12, pc_pai_set},
	{PC_DOMAIN_NAME_GET, SIM_VERSION(1, 0), 4, pc_domain_name_get},
	{PC_MEASUREMENTS_GET, SIM_VERSION(1, 0), 4, pc_measurements_get},
	{PC_CAP_NOTIFY, SIM_VERSION(1, 0), 8, pc_cap_notify},
	{PC_MEASUREMENTS_NOTIFY, SIM_VERSION(1, 0), 16, pc_measurements_notify},
	{PC_DESCRIBE_FASTCHANNEL, SIM_VERSION(1, 0), 8, pc_describe_fastchannel},
};

static void pc_domain_reset(struct pc_domain *pd, const struct scmi_sim_powercap_domain *d)
{
	memset(pd, 0, sizeof(*pd));
	pd->d = *d;
	pd->d.fc_cap_sets = pd->d.fc_pai_sets = pd->d.fc_rejected = 0;
	pd->d.msg_cap_sets = pd->d.async_cap_sets = pd->d.ignored_dresps = 0;
	pd->default_cap = d->cap;
	pd->default_pai = d->pai;
}

static int pc_init(struct sim_proto *p)
{
	struct pc_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->n = SCMI_SIM_POWERCAP_DEFAULT_DOMAINS;
	for (unsigned int i = 0; i < st->n; i++)
		pc_domain_reset(&st->dom[i], &pc_defaults[i]);
	st->fc_mode = SCMI_SIM_POWERCAP_FC_ON;
	st->async_delay_us = PC_DEFAULT_ASYNC_DELAY_US;
	p->state = st;
	return 0;
}

static void pc_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

/* The agent's caps and PAIs go back to the platform defaults. */
static void pc_agent_reset(struct sim_proto *p, uint32_t agent_id)
{
	struct pc_state *st = p->state;

	if (agent_id != p->sim->agent_id)
		return;
	for (uint32_t i = 0; i < st->n; i++) {
		struct pc_domain *pd = &st->dom[i];

		if (!pd->changed_by_agent)
			continue;
		pc_set(p->sim, i, pd->default_cap, pd->default_pai, 0);
		pd->changed_by_agent = false;
	}
}

const struct sim_proto_ops sim_powercap_ops = {
	.id = SIM_PROTO_POWERCAP,
	.name = "powercap",
	.versions = pc_versions,
	.negotiate_since = SIM_VERSION(2, 0),
	.cmds = pc_cmds,
	.num_cmds = SIM_ARRAY_SIZE(pc_cmds),
	.init = pc_init,
	.fini = pc_fini,
	.attributes = pc_attributes,
	.msg_attributes = pc_msg_attributes,
	.agent_reset = pc_agent_reset,
	.poll = pc_poll,
};

/* ---- test-facing API ---------------------------------------------------------- */

/* Lock the simulator and find domain @dom: 0, or -EINVAL / -ENOENT with the
 * lock released. */
static int pc_api_enter(struct scmi_sim *sim, uint32_t dom, struct pc_state **stp)
{
	struct pc_state *st;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	st = pc_state(sim);
	if (!st || dom >= st->n) {
		sim_unlock(sim);
		return -ENOENT;
	}
	*stp = st;
	return 0;
}

int scmi_sim_powercap_num_domains(struct scmi_sim *sim)
{
	struct pc_state *st;
	int n;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	st = pc_state(sim);
	n = st ? (int)st->n : -ENOENT;
	sim_unlock(sim);
	return n;
}

int scmi_sim_powercap_domain_get(struct scmi_sim *sim, uint32_t domain,
				 struct scmi_sim_powercap_domain *out)
{
	struct pc_state *st;
	int ret;

	if (!out)
		return -EINVAL;
	ret = pc_api_enter(sim, domain, &st);
	if (ret)
		return ret;
	*out = st->dom[domain].d;
	sim_unlock(sim);
	return 0;
}

static bool pc_width_ok(unsigned int w)
{
	return w == 0 || w == 8 || w == 16 || w == 32 || w == 64;
}

int scmi_sim_powercap_domain_set(struct scmi_sim *sim, uint32_t domain,
				 const struct scmi_sim_powercap_domain *d)
{
	struct pc_state *st;
	struct pc_domain *pd;
	struct pc_fc_slot fc[PC_FC_COUNT];
	int ret;

	if (!d || strnlen(d->name, SCMI_SIM_POWERCAP_NAME_MAX) >= SCMI_SIM_POWERCAP_NAME_MAX ||
	    d->unit > PC_UNIT_MAX || !pc_width_ok(d->fc_db_width))
		return -EINVAL;
	ret = pc_api_enter(sim, domain, &st);
	if (ret)
		return ret;
	pd = &st->dom[domain];
	/* Windows already handed out stay where they are. */
	memcpy(fc, pd->fc, sizeof(fc));
	pc_domain_reset(pd, d);
	memcpy(pd->fc, fc, sizeof(fc));
	pc_fc_sync(pd);
	sim_unlock(sim);
	return 0;
}

int scmi_sim_powercap_num_domains_set(struct scmi_sim *sim, unsigned int n)
{
	struct scmi_sim_powercap_domain src;
	struct pc_state *st;

	if (!sim || n > PC_MAX_DOMAINS)
		return -EINVAL;
	sim_lock(sim);
	st = pc_state(sim);
	if (!st) {
		sim_unlock(sim);
		return -ENOENT;
	}
	src = st->n ? st->dom[st->n - 1].d : pc_defaults[0];
	for (unsigned int i = st->n; i < n; i++) {
		pc_domain_reset(&st->dom[i], &src);
		st->dom[i].d.parent_id = PC_ROOT;
	}
	st->n = n;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_powercap_fc_mode_set(struct scmi_sim *sim, enum scmi_sim_powercap_fc_mode mode)
{
	struct pc_state *st;

	if (!sim || mode > SCMI_SIM_POWERCAP_FC_OFF)
		return -EINVAL;
	sim_lock(sim);
	st = pc_state(sim);
	if (st)
		st->fc_mode = mode;
	sim_unlock(sim);
	return st ? 0 : -ENOENT;
}

int scmi_sim_powercap_dresp_fault_set(struct scmi_sim *sim,
				      enum scmi_sim_powercap_dresp_fault fault)
{
	struct pc_state *st;

	if (!sim || fault > SCMI_SIM_POWERCAP_DRESP_SHORT)
		return -EINVAL;
	sim_lock(sim);
	st = pc_state(sim);
	if (st)
		st->dresp_fault = fault;
	sim_unlock(sim);
	return st ? 0 : -ENOENT;
}

int scmi_sim_powercap_async_delay_set(struct scmi_sim *sim, uint64_t delay_us)
{
	struct pc_state *st;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	st = pc_state(sim);
	if (st)
		st->async_delay_us = delay_us;
	sim_unlock(sim);
	return st ? 0 : -ENOENT;
}

int scmi_sim_powercap_cap_set(struct scmi_sim *sim, uint32_t domain, uint32_t cap)
{
	struct pc_state *st;
	int ret = pc_api_enter(sim, domain, &st);

	if (ret)
		return ret;
	ret = pc_set(sim, domain, cap, st->dom[domain].d.pai, 0);
	sim_unlock(sim);
	return ret < 0 ? ret : ret > 0;
}

int scmi_sim_powercap_pai_set(struct scmi_sim *sim, uint32_t domain, uint32_t pai)
{
	struct pc_state *st;
	int ret = pc_api_enter(sim, domain, &st);

	if (ret)
		return ret;
	ret = pc_set(sim, domain, st->dom[domain].d.cap, pai, 0);
	sim_unlock(sim);
	return ret < 0 ? ret : ret > 0;
}

int scmi_sim_powercap_power_set(struct scmi_sim *sim, uint32_t domain, uint32_t power)
{
	struct pc_state *st;
	struct scmi_sim_powercap_domain *d;
	const struct sim_proto *p;
	uint8_t payload[12];
	int ret = pc_api_enter(sim, domain, &st);

	if (ret)
		return ret;
	d = &st->dom[domain].d;
	p = sim_proto_get(sim, SIM_PROTO_POWERCAP);
	if (p && p->present && d->monitoring && pc_zone(d, power) != pc_zone(d, d->power)) {
		sim_put_le32(payload, 0);
		sim_put_le32(payload + 4, domain);
		sim_put_le32(payload + 8, power);
		ret = sim_notify(sim, SIM_PROTO_POWERCAP, PC_EVT_MEASUREMENTS_CHANGED, domain,
				 payload, sizeof(payload), 0);
	}
	d->power = power;
	sim_unlock(sim);
	return ret < 0 ? ret : ret > 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Power domain management model (0x11, spec digest §6.2, §5, §7).
 *
 * Versions: 1.0 (attributes, STATE_SET/GET, STATE_NOTIFY), 2.0 (adds
 * POWER_STATE_CHANGE_REQUESTED_NOTIFY and its event), 3.0 (adds
 * POWER_DOMAIN_NAME_GET and the extended-name attribute b27), 3.1 (adds
 * NEGOTIATE_PROTOCOL_VERSION; layouts as 3.0).
 *
 * The change-requested command and event are marked unverified in the
 * digest: SCP-firmware (2.0) has them, and whether later versions dropped
 * them is unknown.  The model keeps them from 2.0 on, with the payload
 * layout of POWER_STATE_CHANGED, and emits the event for every accepted
 * POWER_STATE_SET (the requester's id in agent_id).
 *
 * POWER_STATE_SET with the async flag has no delayed response (§7.1): the
 * response acknowledges the request, and POWER_STATE_CHANGED reports the
 * completion, optionally later (scmi_sim_power_async_delay_set()).  Every
 * completed request and every platform-initiated change sends
 * POWER_STATE_CHANGED, even when the state stays the same: it is how an
 * agent learns that its request is done.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum power_msg {
	POWER_DOMAIN_ATTRIBUTES = 0x3,
	POWER_STATE_SET = 0x4,
	POWER_STATE_GET = 0x5,
	POWER_STATE_NOTIFY = 0x6,
	POWER_STATE_CHANGE_REQUESTED_NOTIFY = 0x7,
	POWER_DOMAIN_NAME_GET = 0x8,
};

#define POWER_EVT_STATE_CHANGED	   0x0
#define POWER_EVT_CHANGE_REQUESTED 0x1
#define POWER_EVT_PAYLD_SIZE	   12u /* agent_id, domain_id, power_state */
#define POWER_ATTR_NOTIFY	   (1u << 31)
#define POWER_ATTR_ASYNC	   (1u << 30)
#define POWER_ATTR_SYNC		   (1u << 29)
#define POWER_ATTR_EXT_NAME	   (1u << 27)
#define POWER_SET_ASYNC		   (1u << 0)
#define POWER_NOTIFY_ENABLE	   (1u << 0)
#define POWER_STATE_CONTEXT_LOST   (1u << 30)
#define POWER_STATE_ID_MASK	   0x0FFFFFFFu
#define POWER_STATE_RESERVED	   (~(POWER_STATE_CONTEXT_LOST | POWER_STATE_ID_MASK))
#define POWER_NUM_DOMAINS_MASK	   0xFFFFu
#define POWER_EXT_NAME_SIZE	   64u
#define POWER_STATS_SIZE	   256u
#define POWER_NUM_DOMAINS	   8u

#define POWER_ON	 SCMI_SIM_POWER_ON
#define POWER_OFF	 SCMI_SIM_POWER_OFF
#define POWER_RET	 SCMI_SIM_POWER_RETENTION
#define POWER_SUSPEND	 SCMI_SIM_POWER_SUSPEND
#define POWER_MAX_STATES SCMI_SIM_POWER_MAX_STATES

static const uint32_t power_versions[] = {SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(3, 0),
					  SIM_VERSION(3, 1), 0};

struct power_dom {
	char name[POWER_EXT_NAME_SIZE];
	uint32_t attrs; /* NOTIFY | ASYNC | SYNC; EXT_NAME is derived */
	uint32_t state;
	uint32_t states[POWER_MAX_STATES];
	unsigned int num_states;
	uint32_t denied; /* bit i: requests for states[i] are DENIED */
	/* An async change accepted but not complete yet. */
	bool pending;
	uint32_t pending_state;
	uint64_t pending_due_ns;
	uint64_t sync_requests, async_requests;
};

struct power_state {
	struct power_dom doms[POWER_NUM_DOMAINS];
	unsigned int num_domains;
	uint64_t stats_addr;
	uint32_t stats_len;
	uint64_t async_delay_us;
};

/* The default platform. */
struct power_dom_default {
	const char *name;
	uint32_t attrs;
	uint32_t state;
	uint32_t states[POWER_MAX_STATES];
	unsigned int num_states;
	uint32_t denied;
};

static const struct power_dom_default power_defaults[POWER_NUM_DOMAINS] = {
	{"CLUSTER0",
	 POWER_ATTR_NOTIFY | POWER_ATTR_ASYNC | POWER_ATTR_SYNC,
	 POWER_ON,
	 {POWER_ON, POWER_OFF, POWER_RET, POWER_SUSPEND},
	 4,
	 0},
	/* Async only: completion is seen through POWER_STATE_CHANGED. */
	{"GPU",
	 POWER_ATTR_NOTIFY | POWER_ATTR_ASYNC,
	 POWER_OFF,
	 {POWER_ON, POWER_OFF, POWER_RET},
	 3,
	 0},
	{"DISPLAY_PIPELINE_PRIMARY",
	 POWER_ATTR_NOTIFY | POWER_ATTR_SYNC,
	 POWER_ON,
	 {POWER_ON, POWER_OFF},
	 2,
	 0},
	{"VPU", POWER_ATTR_SYNC, POWER_OFF, {POWER_ON, POWER_OFF}, 2, 0},
	/* 15 characters: the longest name that needs no NAME_GET.  The
	 * platform keeps debug powered for another agent: OFF is DENIED. */
	{"DEBUG_SUBSYSTEM",
	 POWER_ATTR_NOTIFY | POWER_ATTR_ASYNC | POWER_ATTR_SYNC,
	 POWER_ON,
	 {POWER_ON, POWER_OFF, POWER_RET},
	 3,
	 1u << 1},
	/* No state change at all: the agent can only look. */
	{"ALWAYS_ON_PERIPHERALS", 0, POWER_ON, {POWER_ON}, 1, 0},
	/* Async without notifications: fire and forget. */
	{"MODEM_SUBSYSTEM_POWER_ISLAND_0", POWER_ATTR_ASYNC, POWER_ON, {POWER_ON, POWER_OFF}, 2, 0},
	{"USB", POWER_ATTR_NOTIFY | POWER_ATTR_SYNC, POWER_OFF, {POWER_ON, POWER_OFF}, 2, 0},
};

static struct power_state *power_state_of(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_POWER);
}

/* Apply an async change once it is due. */
static void power_settle(struct scmi_sim *sim, struct power_dom *d)
{
	if (d->pending && sim_now_ns(sim) >= d->pending_due_ns) {
		d->state = d->pending_state;
		d->pending = false;
	}
}

/* Index of @state among the domain's states, or -1. */
static int power_state_index(const struct power_dom *d, uint32_t state)
{
	for (unsigned int i = 0; i < d->num_states; i++)
		if (d->states[i] == state)
			return (int)i;
	return -1;
}

static bool power_long_name(const struct power_dom *d)
{
	return strlen(d->name) >= SIM_SHORT_NAME_SIZE;
}

/* Send @evt about @dom (only while enabled): 1 if sent, 0 if not, <0. */
static int power_event(struct scmi_sim *sim, uint8_t evt, uint32_t dom, uint32_t agent_id,
		       uint32_t state, uint64_t delay_us)
{
	uint8_t p[POWER_EVT_PAYLD_SIZE];

	sim_put_le32(p, agent_id);
	sim_put_le32(p + 4, dom);
	sim_put_le32(p + 8, state);
	return sim_notify(sim, SIM_PROTO_POWER, evt, dom, p, sizeof(p), delay_us);
}

/* ---- commands ------------------------------------------------------------- */

static void power_attributes(struct sim_ctx *ctx)
{
	const struct power_state *st = ctx->proto->state;

	sim_reply_u32(ctx, st->num_domains & POWER_NUM_DOMAINS_MASK);
	sim_reply_u32(ctx, (uint32_t)st->stats_addr);
	sim_reply_u32(ctx, (uint32_t)(st->stats_addr >> 32));
	sim_reply_u32(ctx, st->stats_len);
}

/* The domain named by the request word at @off, or NULL (NOT_FOUND or
 * DENIED sent). */
static struct power_dom *power_req_dom(struct sim_ctx *ctx, size_t off, uint32_t *id)
{
	struct power_state *st = ctx->proto->state;

	*id = sim_req_u32(ctx, off);
	if (*id >= st->num_domains) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return NULL;
	}
	if (!sim_resource_check(ctx, *id)) /* domain N is Base device N */
		return NULL;
	return &st->doms[*id];
}

static void power_domain_attributes(struct sim_ctx *ctx)
{
	struct power_dom *d;
	uint32_t id, attrs;
	char short_name[SIM_SHORT_NAME_SIZE] = {0};

	d = power_req_dom(ctx, 0, &id);
	if (!d)
		return;
	attrs = d->attrs;
	/* Long names: the first 15 characters, NUL-terminated; the whole
	 * name through NAME_GET where the version has it. */
	memcpy(short_name, d->name, strnlen(d->name, SIM_SHORT_NAME_SIZE - 1));
	if (ctx->version >= SIM_VERSION(3, 0) && power_long_name(d))
		attrs |= POWER_ATTR_EXT_NAME;
	sim_reply_u32(ctx, attrs);
	sim_reply_name(ctx, short_name);
}

static void power_state_set(struct sim_ctx *ctx)
{
	struct power_state *st = ctx->proto->state;
	uint32_t flags = sim_req_u32(ctx, 0), state = sim_req_u32(ctx, 8);
	uint32_t id, agent = ctx->sim->agent_id;
	bool async = flags & POWER_SET_ASYNC;
	struct power_dom *d;
	int idx;

	d = power_req_dom(ctx, 4, &id);
	if (!d)
		return;
	power_settle(ctx->sim, d);
	idx = power_state_index(d, state);
	if ((flags & ~POWER_SET_ASYNC) || (state & POWER_STATE_RESERVED) || idx < 0) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!(d->attrs & (async ? POWER_ATTR_ASYNC : POWER_ATTR_SYNC))) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (d->denied & (1u << idx)) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	if (d->pending) {
		sim_reply_error(ctx, SIM_BUSY);
		return;
	}
	power_event(ctx->sim, POWER_EVT_CHANGE_REQUESTED, id, agent, state, 0);
	if (async && st->async_delay_us) {
		d->pending = true;
		d->pending_state = state;
		d->pending_due_ns = sim_now_ns(ctx->sim) + st->async_delay_us * 1000u;
	} else {
		d->state = state;
	}
	if (async)
		d->async_requests++;
	else
		d->sync_requests++;
	power_event(ctx->sim, POWER_EVT_STATE_CHANGED, id, agent, state,
		    async ? st->async_delay_us : 0);
}

static void power_state_get(struct sim_ctx *ctx)
{
	struct power_dom *d;
	uint32_t id;

	d = power_req_dom(ctx, 0, &id);
	if (!d)
		return;
	power_settle(ctx->sim, d);
	sim_reply_u32(ctx, d->state);
}

static void power_notify(struct sim_ctx *ctx, uint8_t evt)
{
	uint32_t ctl = sim_req_u32(ctx, 4);
	struct power_dom *d;
	uint32_t id;

	d = power_req_dom(ctx, 0, &id);
	if (!d)
		return;
	if (ctl & ~POWER_NOTIFY_ENABLE)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (!(d->attrs & POWER_ATTR_NOTIFY))
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
	else if (sim_notify_request(ctx->sim, SIM_PROTO_POWER, evt, id, ctl & POWER_NOTIFY_ENABLE))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

static void power_state_notify(struct sim_ctx *ctx)
{
	power_notify(ctx, POWER_EVT_STATE_CHANGED);
}

static void power_change_requested_notify(struct sim_ctx *ctx)
{
	power_notify(ctx, POWER_EVT_CHANGE_REQUESTED);
}

/* Only domains whose name does not fit the attributes have one to give. */
static void power_domain_name_get(struct sim_ctx *ctx)
{
	struct power_dom *d;
	uint8_t *p;
	uint32_t id;

	d = power_req_dom(ctx, 0, &id);
	if (!d)
		return;
	if (!power_long_name(d)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, 0); /* flags: reserved */
	p = sim_reply_put(ctx, POWER_EXT_NAME_SIZE);
	if (p)
		memcpy(p, d->name, strnlen(d->name, POWER_EXT_NAME_SIZE - 1));
}

/* ---- model ---------------------------------------------------------------- */

static const struct sim_cmd power_cmds[] = {
	{POWER_DOMAIN_ATTRIBUTES, SIM_VERSION(1, 0), 4, power_domain_attributes},
	{POWER_STATE_SET, SIM_VERSION(1, 0), 12, power_state_set},
	{POWER_STATE_GET, SIM_VERSION(1, 0), 4, power_state_get},
	{POWER_STATE_NOTIFY, SIM_VERSION(1, 0), 8, power_state_notify},
	{POWER_STATE_CHANGE_REQUESTED_NOTIFY, SIM_VERSION(2, 0), 8, power_change_requested_notify},
	{POWER_DOMAIN_NAME_GET, SIM_VERSION(3, 0), 4, power_domain_name_get},
};

static int power_init(struct sim_proto *p)
{
	struct power_state *st = calloc(1, sizeof(*st));
	void *stats;

	if (!st)
		return -ENOMEM;
	for (unsigned int i = 0; i < POWER_NUM_DOMAINS; i++) {
		const struct power_dom_default *def = &power_defaults[i];
		struct power_dom *d = &st->doms[i];

		strcpy(d->name, def->name);
		d->attrs = def->attrs;
		d->state = def->state;
		memcpy(d->states, def->states, sizeof(d->states));
		d->num_states = def->num_states;
		d->denied = def->denied;
	}
	st->num_domains = POWER_NUM_DOMAINS;
	/* A real window, so the address the agent is given is mappable. */
	if (!sim_mem_alloc(p->sim, POWER_STATS_SIZE, &st->stats_addr, &stats))
		st->stats_len = POWER_STATS_SIZE;
	p->state = st;
	return 0;
}

static void power_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

const struct sim_proto_ops sim_power_ops = {
	.id = SIM_PROTO_POWER,
	.name = "power",
	.versions = power_versions,
	.negotiate_since = SIM_VERSION(3, 1),
	.cmds = power_cmds,
	.num_cmds = SIM_ARRAY_SIZE(power_cmds),
	.init = power_init,
	.fini = power_fini,
	.attributes = power_attributes,
};

/* ---- test-facing API ------------------------------------------------------- */

/* Model state with the lock held, or NULL (lock released) when the power
 * model is absent. */
static struct power_state *power_lock(struct scmi_sim *sim)
{
	struct power_state *st;

	sim_lock(sim);
	st = power_state_of(sim);
	if (!st)
		sim_unlock(sim);
	return st;
}

/* Take the lock and find domain @domain; NULL (lock released) if absent. */
static struct power_dom *power_lock_dom(struct scmi_sim *sim, uint32_t domain)
{
	struct power_state *st = power_lock(sim);

	if (!st)
		return NULL;
	if (domain >= st->num_domains) {
		sim_unlock(sim);
		return NULL;
	}
	return &st->doms[domain];
}

int scmi_sim_power_num_domains(struct scmi_sim *sim)
{
	struct power_state *st;
	int n;

	if (!sim)
		return -EINVAL;
	st = power_lock(sim);
	if (!st)
		return -ENOENT;
	n = (int)st->num_domains;
	sim_unlock(sim);
	return n;
}

int scmi_sim_power_domain_get(struct scmi_sim *sim, uint32_t domain,
			      struct scmi_sim_power_domain *out)
{
	struct power_dom *d;

	if (!sim || !out)
		return -EINVAL;
	d = power_lock_dom(sim, domain);
	if (!d)
		return -ENOENT;
	power_settle(sim, d);
	memset(out, 0, sizeof(*out));
	memcpy(out->name, d->name, sizeof(out->name));
	out->notify = d->attrs & POWER_ATTR_NOTIFY;
	out->async = d->attrs & POWER_ATTR_ASYNC;
	out->sync = d->attrs & POWER_ATTR_SYNC;
	out->state = d->state;
	out->num_states = d->num_states;
	memcpy(out->states, d->states, sizeof(out->states));
	for (unsigned int i = 0; i < d->num_states; i++)
		if (d->denied & (1u << i))
			out->denied[out->num_denied++] = d->states[i];
	out->sync_requests = d->sync_requests;
	out->async_requests = d->async_requests;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_power_stats_get(struct scmi_sim *sim, uint64_t *addr, uint32_t *len)
{
	struct power_state *st;

	if (!sim)
		return -EINVAL;
	st = power_lock(sim);
	if (!st)
		return -ENOENT;
	if (addr)
		*addr = st->stats_addr;
	if (len)
		*len = st->stats_len;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_power_stats_set(struct scmi_sim *sim, uint64_t addr, uint32_t len)
{
	struct power_state *st;

	if (!sim)
		return -EINVAL;
	st = power_lock(sim);
	if (!st)
		return -ENOENT;
	st->stats_addr = addr;
	st->stats_len = len;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_power_state_change(struct scmi_sim *sim, uint32_t domain, uint32_t state,
				uint32_t agent_id)
{
	struct power_dom *d;
	int ret = 0, sent = 0;

	if (!sim)
		return -EINVAL;
	d = power_lock_dom(sim, domain);
	if (!d)
		return -ENOENT;
	if (power_state_index(d, state) < 0) {
		sim_unlock(sim);
		return -EINVAL;
	}
	if (agent_id)
		ret = power_event(sim, POWER_EVT_CHANGE_REQUESTED, domain, agent_id, state, 0);
	if (ret >= 0) {
		sent += ret;
		d->pending = false;
		d->state = state;
		ret = power_event(sim, POWER_EVT_STATE_CHANGED, domain, agent_id, state, 0);
	}
	sim_unlock(sim);
	return ret < 0 ? ret : sent + ret;
}

int scmi_sim_power_deny_set(struct scmi_sim *sim, uint32_t domain, uint32_t state, bool deny)
{
	struct power_dom *d;
	int idx;

	if (!sim)
		return -EINVAL;
	d = power_lock_dom(sim, domain);
	if (!d)
		return -ENOENT;
	idx = power_state_index(d, state);
	if (idx >= 0) {
		if (deny)
			d->denied |= 1u << idx;
		else
			d->denied &= ~(1u << idx);
	}
	sim_unlock(sim);
	return idx < 0 ? -EINVAL : 0;
}

int scmi_sim_power_async_delay_set(struct scmi_sim *sim, uint64_t delay_us)
{
	struct power_state *st;

	/* Bounded so the due time cannot overflow (an hour is plenty). */
	if (!sim || delay_us > 3600ull * 1000000ull)
		return -EINVAL;
	st = power_lock(sim);
	if (!st)
		return -ENOENT;
	st->async_delay_us = delay_us;
	sim_unlock(sim);
	return 0;
}

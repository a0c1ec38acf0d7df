/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reset domain management model (0x16, spec digest §6.7): domains with
 * autonomous (sync and async) and explicit resets, RESET_ISSUED
 * notifications, and a test-facing API (scmi-sim/reset.h).
 *
 * Versions: 1.0 and 2.0 (one layout; attributes b31 async, b30 notify),
 * 3.0 (b29 extended name, RESET_DOMAIN_NAME_GET), 3.1 (also
 * NEGOTIATE_PROTOCOL_VERSION; the digest does not say which revision
 * brought it to this protocol: assumed to be the minor bump of 3.1,
 * unverified).
 *
 * RESET checks, in this order: unknown domain NOT_FOUND; reserved flag bits,
 * async without autonomous (as SCP-firmware does) or a reserved
 * architectural reset state (anything but 0, cold reset) INVALID_PARAMETERS;
 * a domain closed to the agent DENIED; an implementation-defined state the
 * domain lacks, an async reset on a domain without async support, or an
 * explicit assert/de-assert on an autonomous-only domain NOT_SUPPORTED.
 *
 * RESET_ISSUED goes out for every reset issued (autonomous or explicit
 * assert, not de-assert), whoever issued it, while the agent has it enabled
 * for the domain; for an async reset it follows the delayed response.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum reset_msg {
	RESET_DOMAIN_ATTRIBUTES = 0x3,
	RESET_RESET = 0x4,
	RESET_NOTIFY = 0x5,
	RESET_DOMAIN_NAME_GET = 0x6,
};

#define RESET_EVT_ISSUED 0x0

#define RESET_ATTR_ASYNC    (1u << 31)
#define RESET_ATTR_NOTIFY   (1u << 30)
#define RESET_ATTR_EXT_NAME (1u << 29)

#define RESET_FLAG_AUTONOMOUS (1u << 0)
#define RESET_FLAG_ASSERT     (1u << 1)
#define RESET_FLAG_ASYNC      (1u << 2)
#define RESET_FLAGS_VALID     (RESET_FLAG_AUTONOMOUS | RESET_FLAG_ASSERT | RESET_FLAG_ASYNC)

#define RESET_STATE_IMPL    (1u << 31)
#define RESET_STATE_ID_MASK 0x7FFFFFFFu

#define RESET_NOTIFY_ENABLE   (1u << 0)
#define RESET_LATENCY_UNKNOWN 0xFFFFFFFFu
#define RESET_EXT_NAME_SIZE   64u

/* How long an async reset takes: its latency, capped so tests stay quick;
 * unknown latency is modelled as this cap. */
#define RESET_ASYNC_MAX_US 2000u

#define RESET_NUM_DOMAINS SCMI_SIM_RESET_NUM_DOMAINS

static const uint32_t reset_versions[] = {SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(3, 0),
					  SIM_VERSION(3, 1), 0};

struct reset_domain {
	struct scmi_sim_reset_domain d;
	uint32_t asserted_by; /* agent that holds the domain in reset */
};

struct reset_state {
	struct reset_domain dom[RESET_NUM_DOMAINS];
	enum scmi_sim_reset_misbehaviour misbehave;
};

/* The default platform: every attribute both ways. */
static const struct scmi_sim_reset_domain reset_defaults[RESET_NUM_DOMAINS] = {
	{.name = "cpu_cluster0",
	 .short_name = "cpu_cluster0",
	 .latency_us = 100,
	 .notify = true,
	 .explicit_reset = true},
	{.name = "gpu",
	 .short_name = "gpu",
	 .latency_us = 250,
	 .async = true,
	 .notify = true,
	 .explicit_reset = true,
	 .impl_states = 1u << 1 | 1u << 2},
	{.name = "display_controller_main",
	 .short_name = "display_ctrl",
	 .extended_name = true,
	 .latency_us = RESET_LATENCY_UNKNOWN,
	 .async = true,
	 .explicit_reset = true},
	{.name = "usb3_host_controller_phy",
	 .short_name = "usb3_phy",
	 .extended_name = true,
	 .latency_us = 50},
	{.name = "pcie_root_complex_0",
	 .short_name = "pcie_rc0",
	 .extended_name = true,
	 .latency_us = 1000,
	 .async = true,
	 .notify = true,
	 .explicit_reset = true,
	 .impl_states = 1u << 0 | 1u << 5},
	{.name = "watchdog", .short_name = "watchdog", .latency_us = 10, .notify = true},
};

static struct reset_state *reset_state_of(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_RESET);
}

/* Domain @id of the request, or NULL after answering NOT_FOUND. */
static struct reset_domain *reset_req_domain(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0);

	if (id >= RESET_NUM_DOMAINS) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return NULL;
	}
	if (!sim_resource_check(ctx, id)) /* domain N is Base device N */
		return NULL;
	return &((struct reset_state *)ctx->proto->state)->dom[id];
}

static void reset_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, RESET_NUM_DOMAINS);
}

static void reset_domain_attributes(struct sim_ctx *ctx)
{
	struct reset_domain *rd = reset_req_domain(ctx);
	uint32_t attr = 0;

	if (!rd)
		return;
	if (rd->d.async)
		attr |= RESET_ATTR_ASYNC;
	if (rd->d.notify)
		attr |= RESET_ATTR_NOTIFY;
	if (rd->d.extended_name && ctx->version >= SIM_VERSION(3, 0))
		attr |= RESET_ATTR_EXT_NAME;
	sim_reply_u32(ctx, attr);
	sim_reply_u32(ctx, rd->d.latency_us);
	sim_reply_name(ctx, rd->d.short_name);
}

/* Only domains flagged with an extended name have one to give (NOT_SUPPORTED
 * otherwise, as SCP-firmware's CLOCK_NAME_GET answers). */
static void reset_domain_name_get(struct sim_ctx *ctx)
{
	struct reset_domain *rd = reset_req_domain(ctx);
	uint8_t *p;

	if (!rd)
		return;
	if (!rd->d.extended_name) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, 0); /* flags, reserved */
	p = sim_reply_put(ctx, RESET_EXT_NAME_SIZE);
	if (p)
		memcpy(p, rd->d.name, strnlen(rd->d.name, RESET_EXT_NAME_SIZE - 1));
}

/* Record a reset issued by @agent and send RESET_ISSUED if enabled. */
static int reset_issue(struct scmi_sim *sim, uint32_t id, struct reset_domain *rd, uint32_t agent,
		       uint32_t state, uint64_t delay_us)
{
	uint8_t payload[12];

	rd->d.resets++;
	rd->d.last_state = state;
	rd->d.last_agent = agent;
	if (!rd->d.notify)
		return 0;
	sim_put_le32(payload, agent);
	sim_put_le32(payload + 4, id);
	sim_put_le32(payload + 8, state);
	return sim_notify(sim, SIM_PROTO_RESET, RESET_EVT_ISSUED, id, payload, sizeof(payload),
			  delay_us);
}

static bool reset_state_supported(const struct reset_domain *rd, uint32_t state)
{
	uint32_t id = state & RESET_STATE_ID_MASK;

	if (!(state & RESET_STATE_IMPL))
		return true; /* cold reset; reserved values were refused before */
	return id < 32 && (rd->d.impl_states & (1u << id));
}

static uint64_t reset_async_delay(const struct reset_domain *rd)
{
	return rd->d.latency_us < RESET_ASYNC_MAX_US ? rd->d.latency_us : RESET_ASYNC_MAX_US;
}

/* The delayed response of an async reset of domain @id. */
static void reset_reply_delayed(struct sim_ctx *ctx, uint32_t id, uint64_t delay)
{
	enum scmi_sim_reset_misbehaviour how = ((struct reset_state *)ctx->proto->state)->misbehave;
	uint8_t data[4];

	sim_put_le32(data, how == SCMI_SIM_RESET_DRESP_WRONG_DOMAIN ? id + 1 : id);
	if (sim_reply_delayed(ctx, SIM_SUCCESS, data,
			      how == SCMI_SIM_RESET_DRESP_SHORT ? 0 : sizeof(data), delay))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

static void reset_reset(struct sim_ctx *ctx)
{
	struct reset_domain *rd = reset_req_domain(ctx);
	uint32_t id = sim_req_u32(ctx, 0);
	uint32_t flags = sim_req_u32(ctx, 4);
	uint32_t state = sim_req_u32(ctx, 8);
	uint64_t delay = 0;

	if (!rd)
		return;
	if ((flags & ~RESET_FLAGS_VALID) ||
	    ((flags & RESET_FLAG_ASYNC) && !(flags & RESET_FLAG_AUTONOMOUS)) ||
	    (!(state & RESET_STATE_IMPL) && state != 0)) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (rd->d.denied) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	if (!reset_state_supported(rd, state) || ((flags & RESET_FLAG_ASYNC) && !rd->d.async) ||
	    (!(flags & RESET_FLAG_AUTONOMOUS) && !rd->d.explicit_reset)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (flags & RESET_FLAG_AUTONOMOUS) {
		/* Assert then de-assert: the domain ends out of reset. */
		rd->d.asserted = false;
		if (flags & RESET_FLAG_ASYNC) {
			delay = reset_async_delay(rd);
			reset_reply_delayed(ctx, id, delay);
			if (ctx->status)
				return;
			rd->d.async_resets++;
		}
		reset_issue(ctx->sim, id, rd, ctx->sim->agent_id, state, delay);
	} else if (flags & RESET_FLAG_ASSERT) {
		rd->d.asserted = true;
		rd->d.asserted_state = state;
		rd->asserted_by = ctx->sim->agent_id;
		reset_issue(ctx->sim, id, rd, ctx->sim->agent_id, state, 0);
	} else {
		rd->d.asserted = false;
		rd->d.deasserts++;
	}
}

static void reset_notify(struct sim_ctx *ctx)
{
	struct reset_domain *rd = reset_req_domain(ctx);
	uint32_t ctl = sim_req_u32(ctx, 4);

	if (!rd)
		return;
	if (ctl & ~RESET_NOTIFY_ENABLE)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (!rd->d.notify)
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
	else if (sim_notify_request(ctx->sim, SIM_PROTO_RESET, RESET_EVT_ISSUED,
				    sim_req_u32(ctx, 0), ctl & RESET_NOTIFY_ENABLE))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

/* BASE_RESET_AGENT_CONFIGURATION: release what that agent holds in reset. */
static void reset_agent_reset(struct sim_proto *p, uint32_t agent_id)
{
	struct reset_state *st = p->state;

	for (unsigned int i = 0; i < RESET_NUM_DOMAINS; i++) {
		if (st->dom[i].d.asserted && st->dom[i].asserted_by == agent_id)
			st->dom[i].d.asserted = false;
	}
}

static const struct sim_cmd reset_cmds[] = {
	{RESET_DOMAIN_ATTRIBUTES, SIM_VERSION(1, 0), 4, reset_domain_attributes},
	{RESET_RESET, SIM_VERSION(1, 0), 12, reset_reset},
	{RESET_NOTIFY, SIM_VERSION(1, 0), 8, reset_notify},
	{RESET_DOMAIN_NAME_GET, SIM_VERSION(3, 0), 4, reset_domain_name_get},
};

static int reset_init(struct sim_proto *p)
{
	struct reset_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	for (unsigned int i = 0; i < RESET_NUM_DOMAINS; i++)
		st->dom[i].d = reset_defaults[i];
	p->state = st;
	return 0;
}

static void reset_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

const struct sim_proto_ops sim_reset_ops = {
	.id = SIM_PROTO_RESET,
	.name = "reset",
	.versions = reset_versions,
	.negotiate_since = SIM_VERSION(3, 1),
	.cmds = reset_cmds,
	.num_cmds = SIM_ARRAY_SIZE(reset_cmds),
	.init = reset_init,
	.fini = reset_fini,
	.attributes = reset_attributes,
	.agent_reset = reset_agent_reset,
};

/* ---- test-facing API ------------------------------------------------------- */

int scmi_sim_reset_num_domains(struct scmi_sim *sim)
{
	return sim ? RESET_NUM_DOMAINS : -EINVAL;
}

/* Domain @id of the model, lock held; NULL if absent. */
static struct reset_domain *reset_domain_locked(struct scmi_sim *sim, uint32_t id)
{
	struct reset_state *st = reset_state_of(sim);

	return st && id < RESET_NUM_DOMAINS ? &st->dom[id] : NULL;
}

int scmi_sim_reset_domain_get(struct scmi_sim *sim, uint32_t domain,
			      struct scmi_sim_reset_domain *out)
{
	struct reset_domain *rd;
	int ret = -ENOENT;

	if (!sim || !out)
		return -EINVAL;
	sim_lock(sim);
	rd = reset_domain_locked(sim, domain);
	if (rd) {
		*out = rd->d;
		ret = 0;
	}
	sim_unlock(sim);
	return ret;
}

int scmi_sim_reset_issue(struct scmi_sim *sim, uint32_t domain, uint32_t agent_id,
			 uint32_t reset_state)
{
	struct reset_domain *rd;
	int ret = -ENOENT;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	rd = reset_domain_locked(sim, domain);
	if (rd) {
		rd->d.asserted = false;
		ret = reset_issue(sim, domain, rd, agent_id, reset_state, 0);
	}
	sim_unlock(sim);
	return ret;
}

int scmi_sim_reset_denied_set(struct scmi_sim *sim, uint32_t domain, bool denied)
{
	struct reset_domain *rd;
	int ret = -ENOENT;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	rd = reset_domain_locked(sim, domain);
	if (rd) {
		rd->d.denied = denied;
		ret = 0;
	}
	sim_unlock(sim);
	return ret;
}

int scmi_sim_reset_misbehave(struct scmi_sim *sim, enum scmi_sim_reset_misbehaviour how)
{
	struct reset_state *st;
	int ret = -ENOENT;

	if (!sim || how < SCMI_SIM_RESET_BEHAVE || how > SCMI_SIM_RESET_DRESP_SHORT)
		return -EINVAL;
	sim_lock(sim);
	st = reset_state_of(sim);
	if (st) {
		st->misbehave = how;
		ret = 0;
	}
	sim_unlock(sim);
	return ret;
}

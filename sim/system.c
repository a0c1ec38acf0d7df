/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * System power management model (0x12, spec digest §6.3).
 *
 * The platform keeps the system state the agent (or the platform itself,
 * through the test API) last asked for.  Versions 1.0 (12-byte notifier,
 * SYSTEM_POWER_STATE_GET present), 2.0 (16-byte notifier with a timeout;
 * STATE_GET gone: the digest lists it for older revisions only, from SCP,
 * unverified for 2.x, so the model answers NOT_FOUND from 2.0 on) and 2.1
 * (NEGOTIATE_PROTOCOL_VERSION).
 *
 * A state change requested by an agent is announced with
 * SYSTEM_POWER_STATE_NOTIFIER to the agent(s) that enabled it; with a single
 * agent connection that is the requester too, which keeps it testable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum sys_msg {
	SYS_STATE_SET = 0x3,
	SYS_STATE_GET = 0x4,
	SYS_STATE_NOTIFY = 0x5,
};

#define SYS_EVT_NOTIFIER    0x0
#define SYS_FLAG_GRACEFUL   (1u << 0)
#define SYS_NOTIFY_ENABLE   (1u << 0)
#define SYS_ATTR_WARM_RESET (1u << 31)
#define SYS_ATTR_SUSPEND    (1u << 30)

/* System states (§6.3); >= 0x80000000 vendor-defined (unverified). */
#define SYS_SHUTDOWN   0u
#define SYS_COLD_RESET 1u
#define SYS_WARM_RESET 2u
#define SYS_POWER_UP   3u
#define SYS_SUSPEND    4u

/* The system is Base device 0: an agent denied it gets DENIED for every
 * System command (reads and the notifier enable included). */
#define SYS_DEVICE 0u

/* Graceful requests give agents this long to get ready (v2.0+). */
#define SYS_DEFAULT_TIMEOUT_MS 5000u

static const uint32_t sys_versions[] = {SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(2, 1), 0};

struct sys_state {
	uint32_t state;
	bool warm_reset;
	bool suspend;
	uint32_t timeout_ms;
	uint32_t last_flags;
};

static struct sys_state *sys_state(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_SYSTEM);
}

static bool sys_state_known(const struct sys_state *st, uint32_t state)
{
	switch (state) {
	case SYS_SHUTDOWN:
	case SYS_COLD_RESET:
	case SYS_POWER_UP:
		return true;
	case SYS_WARM_RESET:
		return st->warm_reset;
	case SYS_SUSPEND:
		return st->suspend;
	default:
		return false;
	}
}

/* Send the notifier (if enabled): 12 bytes before 2.0, 16 from 2.0. */
static int sys_notify(struct scmi_sim *sim, uint32_t version, uint32_t agent, uint32_t flags,
		      uint32_t state, uint32_t timeout_ms)
{
	uint8_t payload[16];
	size_t len = SIM_VERSION_MAJOR(version) >= 2 ? 16 : 12;

	sim_put_le32(payload, agent);
	sim_put_le32(payload + 4, flags);
	sim_put_le32(payload + 8, state);
	sim_put_le32(payload + 12, timeout_ms);
	return sim_notify(sim, SIM_PROTO_SYSTEM, SYS_EVT_NOTIFIER, 0, payload, len, 0);
}

static void sys_state_set(struct sim_ctx *ctx)
{
	struct sys_state *st = sys_state(ctx->sim);
	uint32_t flags = sim_req_u32(ctx, 0), state = sim_req_u32(ctx, 4);

	if (!sim_resource_check(ctx, SYS_DEVICE))
		return;
	if (flags & ~SYS_FLAG_GRACEFUL) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	/* No vendor state here: like any unknown state, INVALID_PARAMETERS
	 * (SCP-firmware, scmi_sys_power_state_set_handler). */
	if (state > SYS_SUSPEND) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!sys_state_known(st, state)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	st->state = state;
	st->last_flags = flags;
	sys_notify(ctx->sim, ctx->version, ctx->sim->agent_id, flags, state,
		   flags & SYS_FLAG_GRACEFUL ? st->timeout_ms : 0);
}

static void sys_state_get(struct sim_ctx *ctx)
{
	if (!sim_resource_check(ctx, SYS_DEVICE))
		return;
	sim_reply_u32(ctx, sys_state(ctx->sim)->state);
}

static void sys_state_notify(struct sim_ctx *ctx)
{
	uint32_t ctl = sim_req_u32(ctx, 0);

	if (!sim_resource_check(ctx, SYS_DEVICE))
		return;
	if (ctl & ~SYS_NOTIFY_ENABLE)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (sim_notify_request(ctx->sim, SIM_PROTO_SYSTEM, SYS_EVT_NOTIFIER, 0,
				    ctl & SYS_NOTIFY_ENABLE))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

static uint32_t sys_msg_attributes(struct sim_ctx *ctx, uint8_t msg_id)
{
	const struct sys_state *st = sys_state(ctx->sim);

	if (msg_id != SYS_STATE_SET)
		return 0;
	return (st->warm_reset ? SYS_ATTR_WARM_RESET : 0) | (st->suspend ? SYS_ATTR_SUSPEND : 0);
}

static const struct sim_cmd sys_cmds[] = {
	{SYS_STATE_SET, 0, 8, sys_state_set},
	{SYS_STATE_GET, 0, 0, sys_state_get, SIM_VERSION(2, 0)},
	{SYS_STATE_NOTIFY, 0, 4, sys_state_notify},
};

static int sys_init(struct sim_proto *p)
{
	struct sys_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->state = SYS_POWER_UP;
	st->warm_reset = true;
	st->suspend = true;
	st->timeout_ms = SYS_DEFAULT_TIMEOUT_MS;
	p->state = st;
	return 0;
}

static void sys_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

const struct sim_proto_ops sim_system_ops = {
	.id = SIM_PROTO_SYSTEM,
	.name = "system",
	.versions = sys_versions,
	.negotiate_since = SIM_VERSION(2, 1),
	.cmds = sys_cmds,
	.num_cmds = SIM_ARRAY_SIZE(sys_cmds),
	.init = sys_init,
	.fini = sys_fini,
	.msg_attributes = sys_msg_attributes,
};

/* ---- test-facing API ---------------------------------------------------- */

int scmi_sim_system_request(struct scmi_sim *sim, uint32_t agent_id, uint32_t state, bool graceful,
			    uint32_t timeout_ms)
{
	struct sim_proto *p;
	int ret;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	p = sim_proto_get(sim, SIM_PROTO_SYSTEM);
	if (!p || !p->present) {
		ret = -ENOENT;
	} else {
		sys_state(sim)->state = state;
		ret = sys_notify(sim, p->active, agent_id, graceful ? SYS_FLAG_GRACEFUL : 0, state,
				 graceful ? timeout_ms : 0);
	}
	sim_unlock(sim);
	return ret;
}

int scmi_sim_system_state_get(struct scmi_sim *sim, uint32_t *state, bool *graceful)
{
	struct sys_state *st;

	if (!sim || !state)
		return -EINVAL;
	sim_lock(sim);
	st = sys_state(sim);
	if (st) {
		*state = st->state;
		if (graceful)
			*graceful = st->last_flags & SYS_FLAG_GRACEFUL;
	}
	sim_unlock(sim);
	return st ? 0 : -ENOENT;
}

int scmi_sim_system_features_set(struct scmi_sim *sim, bool warm_reset, bool suspend)
{
	struct sys_state *st;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	st = sys_state(sim);
	if (st) {
		st->warm_reset = warm_reset;
		st->suspend = suspend;
	}
	sim_unlock(sim);
	return st ? 0 : -ENOENT;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Simulator core: the model container, the byte-level entry point, header
 * parsing and dispatch to the protocol models, and the common messages every
 * protocol answers (spec digest §1, §3.2).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

/* The registry: every built-in model, from sim/models.h. */
#define SIM_MODEL(n) &sim_##n##_ops,
static const struct sim_proto_ops *const sim_builtin_models[] = {
#include "models.h"
};
#undef SIM_MODEL

/* Vendor protocols (0x80..0xFF) answer the common messages only. */
static const struct sim_proto_ops sim_vendor_ops = {
	.name = "vendor",
	.versions = NULL,
};

void sim_lock(struct scmi_sim *sim)
{
	pthread_mutex_lock(&sim->lock);
}

void sim_unlock(struct scmi_sim *sim)
{
	pthread_mutex_unlock(&sim->lock);
}

/* ---- registry ------------------------------------------------------------ */

bool sim_proto_speaks(const struct sim_proto_ops *ops, uint32_t version)
{
	const uint32_t *v;

	if (!ops->versions)
		return true;
	for (v = ops->versions; *v; v++)
		if (*v == version)
			return true;
	return false;
}

uint32_t sim_proto_layout(const struct sim_proto_ops *ops, uint32_t version)
{
	const uint32_t *v;
	uint32_t best = 0;

	if (!ops->versions)
		return version;
	for (v = ops->versions; *v; v++)
		if (*v <= version)
			best = *v;
	return best;
}

struct sim_proto *sim_proto_get(struct scmi_sim *sim, uint8_t id)
{
	return sim->protos[id];
}

void *sim_model_state(struct scmi_sim *sim, uint8_t id)
{
	struct sim_proto *p = sim->protos[id];

	return p ? p->state : NULL;
}

/* Lock held (or the simulator not yet shared). */
static int sim_model_add(struct scmi_sim *sim, const struct sim_proto_ops *ops, uint8_t id,
			 uint32_t version)
{
	struct sim_proto *p;
	int ret;

	if (id < SIM_PROTO_BASE)
		return -EINVAL;
	if (sim->protos[id])
		return -EEXIST;
	if (!sim_proto_speaks(ops, version))
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->ops = ops;
	p->sim = sim;
	p->id = id;
	p->version = version;
	p->active = version;
	p->present = true;
	if (ops->init) {
		ret = ops->init(p);
		if (ret) {
			free(p);
			return ret;
		}
	}
	sim->protos[id] = p;
	return 0;
}

int sim_model_register(struct scmi_sim *sim, const struct sim_proto_ops *ops, uint32_t version)
{
	return sim_model_register_as(sim, ops, ops ? ops->id : 0, version);
}

int sim_model_register_as(struct scmi_sim *sim, const struct sim_proto_ops *ops, uint8_t id,
			  uint32_t version)
{
	int ret;

	if (!sim || !ops)
		return -EINVAL;
	sim_lock(sim);
	ret = sim_model_add(sim, ops, id, version);
	sim_unlock(sim);
	return ret;
}

static void sim_model_remove(struct scmi_sim *sim, uint8_t id);

void sim_model_unregister(struct scmi_sim *sim, uint8_t id)
{
	sim_lock(sim);
	sim_model_remove(sim, id);
	sim_unlock(sim);
}

static void sim_model_remove(struct scmi_sim *sim, uint8_t id)
{
	struct sim_proto *p = sim->protos[id];

	if (!p)
		return;
	if (p->ops->fini)
		p->ops->fini(p);
	free(p);
	sim->protos[id] = NULL;
}

/* The default version of a built-in model before a profile is applied:
 * the newest it speaks (the profile then sets the real one). */
static uint32_t sim_model_newest(const struct sim_proto_ops *ops)
{
	const uint32_t *v = ops->versions;
	uint32_t newest = 0;

	for (; v && *v; v++)
		newest = *v;
	return newest;
}

static int sim_models_add_builtin(struct scmi_sim *sim)
{
	size_t i;
	int ret;

	for (i = 0; i < SIM_ARRAY_SIZE(sim_builtin_models); i++) {
		const struct sim_proto_ops *ops = sim_builtin_models[i];

		ret = sim_model_add(sim, ops, ops->id, sim_model_newest(ops));
		if (ret)
			return ret;
	}
	return 0;
}

size_t sim_protocols_listed(struct scmi_sim *sim, uint8_t *ids, size_t cap)
{
	size_t n = 0;
	unsigned int id;

	for (id = SIM_PROTO_BASE + 1; id < SIM_ARRAY_SIZE(sim->protos); id++) {
		const struct sim_proto *p = sim->protos[id];

		if (!p || !p->present)
			continue;
		if (ids && n < cap)
			ids[n] = (uint8_t)id;
		n++;
	}
	return n;
}

/* ---- creation ------------------------------------------------------------ */

static int sim_config_resolve(const struct scmi_sim_config *cfg, struct scmi_sim_config *c)
{
	if (cfg)
		*c = *cfg;
	else
		memset(c, 0, sizeof(*c));
	if (!c->profile)
		c->profile = "newest";
	if (!c->max_msg_size)
		c->max_msg_size = SIM_MSG_SIZE_DEFAULT;
	if (!c->agent_id)
		c->agent_id = 1;
	if (c->max_msg_size < SIM_MSG_SIZE_MIN || c->max_msg_size > SIM_MSG_SIZE_MAX)
		return -EINVAL;
	return 0;
}

static int sim_outs_alloc(struct scmi_sim *sim)
{
	size_t i;

	sim->out_cap = SIM_RESP_OVERHEAD + sim->max_msg_size + SIM_FAULT_LEN_MAX;
	/* The common case (a response and a few messages) never allocates;
	 * requests that cause many notifications grow the rest on demand. */
	for (i = 0; i < SIM_OUT_PREALLOC; i++) {
		sim->outs[i].buf = calloc(1, sim->out_cap);
		if (!sim->outs[i].buf)
			return -ENOMEM;
	}
	return 0;
}

int scmi_sim_new(const struct scmi_sim_config *cfg, struct scmi_sim **out)
{
	struct scmi_sim_config c;
	struct scmi_sim *sim;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	ret = sim_config_resolve(cfg, &c);
	if (ret)
		return ret;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	pthread_mutex_init(&sim->lock, NULL);
	sim->max_msg_size = c.max_msg_size;
	sim->agent_id = c.agent_id;
	sim->max_list_items = c.max_list_items;
	sim->vtime = c.virtual_time;

	ret = sim_outs_alloc(sim);
	if (!ret)
		ret = sim_mem_init(sim, c.shared_mem, c.shared_mem_size);
	if (!ret)
		ret = sim_models_add_builtin(sim);
	if (!ret)
		ret = sim_profile_apply_locked(sim, c.profile);
	/* The Base model knows how many agents exist: check the id last. */
	if (!ret) {
		struct scmi_sim_base_info info;

		ret = scmi_sim_base_info_get(sim, &info);
		if (!ret && c.agent_id > info.num_agents)
			ret = -EINVAL;
	}
	if (ret) {
		scmi_sim_free(sim);
		return ret;
	}
	*out = sim;
	return 0;
}

void scmi_sim_free(struct scmi_sim *sim)
{
	size_t i;

	if (!sim)
		return;
	for (i = 0; i < SIM_ARRAY_SIZE(sim->protos); i++)
		sim_model_remove(sim, (uint8_t)i);
	sim_notify_free(sim);
	sim_vtime_free(sim);
	sim_mem_free(sim);
	for (i = 0; i < SIM_OUT_MAX; i++)
		free(sim->outs[i].buf);
	pthread_mutex_destroy(&sim->lock);
	free(sim);
}

void scmi_sim_set_emit(struct scmi_sim *sim, scmi_sim_emit_fn fn, void *priv)
{
	if (!sim)
		return;
	sim_lock(sim);
	sim->emit = fn;
	sim->emit_priv = fn ? priv : NULL;
	sim_unlock(sim);
}

void scmi_sim_stats_get(struct scmi_sim *sim, struct scmi_sim_stats *st)
{
	if (!sim || !st)
		return;
	sim_lock(sim);
	*st = sim->stats;
	sim_unlock(sim);
}

/* ---- common messages (§3.2) ------------------------------------------------ */

static bool sim_negotiate_available(const struct sim_proto *p)
{
	return p->ops->negotiate_since && p->version >= p->ops->negotiate_since;
}

static void sim_common_version(struct sim_ctx *ctx)
{
	/* The claimed version, also after a negotiation: it describes the
	 * implementation, the negotiated one only how we talk. */
	sim_reply_u32(ctx, ctx->proto->version);
}

static void sim_common_attributes(struct sim_ctx *ctx)
{
	if (ctx->proto->ops->attributes)
		ctx->proto->ops->attributes(ctx);
	else
		sim_reply_u32(ctx, 0);
}

static const struct sim_cmd *sim_cmd_find(const struct sim_proto *p, uint8_t id);

static void sim_common_msg_attributes(struct sim_ctx *ctx)
{
	const struct sim_proto_ops *ops = ctx->proto->ops;
	uint32_t id = sim_req_u32(ctx, 0);

	if (id > 0xFF || !sim_cmd_find(ctx->proto, (uint8_t)id)) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	sim_reply_u32(ctx, ops->msg_attributes ? ops->msg_attributes(ctx, (uint8_t)id) : 0);
}

/*
 * Accept a version of the same major with a minor no newer than the claimed
 * one (minor revisions are backward compatible, majors are not), and only
 * if the model can speak it; from then on the model uses its layouts.
 */
static void sim_common_negotiate(struct sim_ctx *ctx)
{
	struct sim_proto *p = ctx->proto;
	uint32_t want = sim_req_u32(ctx, 0);

	if (SIM_VERSION_MAJOR(want) != SIM_VERSION_MAJOR(p->version) ||
	    SIM_VERSION_MINOR(want) > SIM_VERSION_MINOR(p->version) ||
	    !sim_proto_speaks(p->ops, want)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	p->active = want;
}

static const struct sim_cmd sim_common_cmds[] = {
	{SIM_MSG_PROTOCOL_VERSION, 0, 0, sim_common_version},
	{SIM_MSG_PROTOCOL_ATTRIBUTES, 0, 0, sim_common_attributes},
	{SIM_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, 0, 4, sim_common_msg_attributes},
	{SIM_MSG_NEGOTIATE_PROTOCOL_VERSION, 0, 4, sim_common_negotiate},
};

/* ---- dispatch ---------------------------------------------------------- */

/* The command @id as implemented by @p in the version in use, or NULL. */
static const struct sim_cmd *sim_cmd_find(const struct sim_proto *p, uint8_t id)
{
	size_t i;

	for (i = 0; i < SIM_ARRAY_SIZE(sim_common_cmds); i++) {
		if (sim_common_cmds[i].id != id)
			continue;
		if (id == SIM_MSG_NEGOTIATE_PROTOCOL_VERSION && !sim_negotiate_available(p))
			return NULL;
		return &sim_common_cmds[i];
	}
	for (i = 0; i < p->ops->num_cmds; i++) {
		const struct sim_cmd *cmd = &p->ops->cmds[i];

		if (cmd->id == id)
			return cmd->since <= p->active && (!cmd->until || p->active < cmd->until)
				       ? cmd
				       : NULL;
	}
	return NULL;
}

bool sim_msg_implemented(const struct sim_proto *p, uint8_t id)
{
	return sim_cmd_find(p, id) != NULL;
}

/* Platform validation as SCP does it (§1.3). */
static void sim_ctx_run(struct sim_ctx *ctx)
{
	const struct sim_cmd *cmd;

	if (!ctx->proto || !ctx->proto->present) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	cmd = sim_cmd_find(ctx->proto, ctx->msg_id);
	if (!cmd) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	if (cmd->req_len != SIM_REQ_LEN_ANY && ctx->req_len != (size_t)cmd->req_len) {
		sim_reply_error(ctx, SIM_PROTOCOL_ERROR);
		return;
	}
	cmd->handle(ctx);
}

static void sim_dispatch(struct scmi_sim *sim, uint32_t hdr, const uint8_t *req, size_t req_len)
{
	struct sim_ctx ctx = {
		.sim = sim,
		.proto = sim->protos[SIM_HDR_PROTO(hdr)],
		.msg_id = SIM_HDR_ID(hdr),
		.token = SIM_HDR_TOKEN(hdr),
		.req = req,
		.req_len = req_len,
	};

	sim->n_outs = 0;
	sim->req_word0 = req_len >= 4 ? sim_get_le32(req) : 0xFFFFFFFFu;
	ctx.resp = sim_out_new(sim, SIM_TYPE_COMMAND, SIM_HDR_PROTO(hdr), ctx.msg_id, ctx.token);
	if (ctx.proto)
		ctx.version = ctx.proto->active;
	sim->in_request = true;
	if (!sim_fault_status(sim, &ctx))
		sim_ctx_run(&ctx);
	sim->in_request = false;
	sim_put_le32(ctx.resp->buf + SIM_HDR_SIZE, (uint32_t)ctx.status);
	ctx.resp->len = SIM_RESP_OVERHEAD + (ctx.status ? 0 : ctx.data_len);
	sim_fault_run(sim, sim->outs, sim->n_outs);
	sim->n_outs = 0;
}

int scmi_sim_process(struct scmi_sim *sim, const void *msg, size_t len)
{
	const uint8_t *bytes = msg;
	uint32_t hdr;

	if (!sim || (!msg && len))
		return -EINVAL;
	sim_lock(sim);
	sim->stats.requests++;
	if (len < SIM_HDR_SIZE || SIM_HDR_TYPE(hdr = sim_get_le32(bytes)) != SIM_TYPE_COMMAND) {
		/* A platform cannot answer what it cannot attribute. */
		sim->stats.malformed++;
		sim_unlock(sim);
		return -EINVAL;
	}
	sim_dispatch(sim, hdr, bytes + SIM_HDR_SIZE, len - SIM_HDR_SIZE);
	sim_unlock(sim);
	return 0;
}

/* ---- protocol set and versions ------------------------------------------- */

int scmi_sim_protocol_version_set(struct scmi_sim *sim, uint8_t proto, uint32_t version)
{
	struct sim_proto *p;
	int ret = 0;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	p = sim->protos[proto];
	if (!p)
		ret = -ENOENT;
	else if (!sim_proto_layout(p->ops, version))
		ret = -EINVAL;
	else {
		/* Claiming a version newer than the model knows is allowed (to
		 * exercise the agent's negotiation): the model then answers
		 * with the newest layouts it has.  Forgets any negotiation. */
		p->version = version;
		p->active = sim_proto_layout(p->ops, version);
	}
	sim_unlock(sim);
	return ret;
}

int scmi_sim_protocol_version_get(struct scmi_sim *sim, uint8_t proto, uint32_t *version)
{
	struct sim_proto *p;
	int ret = 0;

	if (!sim || !version)
		return -EINVAL;
	sim_lock(sim);
	p = sim->protos[proto];
	if (p)
		*version = p->version;
	else
		ret = -ENOENT;
	sim_unlock(sim);
	return ret;
}

int scmi_sim_protocol_enable(struct scmi_sim *sim, uint8_t proto, bool enabled)
{
	struct sim_proto *p;
	int ret = 0;

	if (!sim || (proto == SIM_PROTO_BASE && !enabled))
		return -EINVAL;
	sim_lock(sim);
	p = sim->protos[proto];
	if (p)
		p->present = enabled;
	else
		ret = -ENOENT;
	sim_unlock(sim);
	return ret;
}

int scmi_sim_vendor_protocol_add(struct scmi_sim *sim, uint8_t proto, uint32_t version)
{
	int ret;

	if (!sim || proto < SIM_PROTO_VENDOR_FIRST)
		return -EINVAL;
	sim_lock(sim);
	ret = sim_model_add(sim, &sim_vendor_ops, proto, version);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_protocols_list(struct scmi_sim *sim, uint8_t *ids, size_t cap)
{
	size_t n;

	if (!sim || (!ids && cap))
		return -EINVAL;
	sim_lock(sim);
	n = sim_protocols_listed(sim, ids, cap);
	sim_unlock(sim);
	return (int)n;
}

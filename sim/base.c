/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Base protocol model (0x10, spec digest §6.1): identity, protocol and agent
 * discovery, error notifications, and a small permission model behind the
 * BASE_SET_*_PERMISSIONS / BASE_RESET_AGENT_CONFIGURATION commands.
 *
 * Versions: 1.0 (DISCOVER_AGENT answers the name only; no permission
 * commands), 2.0 (agent id before the name, "myself" = 0xFFFFFFFF,
 * permission commands) and 2.1 (NEGOTIATE_PROTOCOL_VERSION).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum base_msg {
	BASE_DISCOVER_VENDOR = 0x3,
	BASE_DISCOVER_SUB_VENDOR = 0x4,
	BASE_DISCOVER_IMPLEMENTATION_VERSION = 0x5,
	BASE_DISCOVER_LIST_PROTOCOLS = 0x6,
	BASE_DISCOVER_AGENT = 0x7,
	BASE_NOTIFY_ERRORS = 0x8,
	BASE_SET_DEVICE_PERMISSIONS = 0x9,
	BASE_SET_PROTOCOL_PERMISSIONS = 0xA,
	BASE_RESET_AGENT_CONFIGURATION = 0xB,
};

#define BASE_EVT_ERROR	      0x0
#define BASE_AGENT_PLATFORM   0u
#define BASE_AGENT_SELF	      0xFFFFFFFFu /* DISCOVER_AGENT "myself", v2.0+ */
#define BASE_ERR_FATAL	      (1u << 31)
#define BASE_ERR_COUNT_MASK   0x3FFu
#define BASE_ERR_EVT_HDR_SIZE 8u /* agent_id, error_status */
#define BASE_NOTIFY_ENABLE    (1u << 0)
/*
 * Flags of SET_DEVICE_PERMISSIONS / SET_PROTOCOL_PERMISSIONS (b0: 1 grant,
 * 0 revoke) and RESET_AGENT_CONFIGURATION (b0: also reset the access
 * permissions).  The digest marks these flag layouts unverified: only "b0
 * is the one defined bit" is confirmed, so every other bit is reserved and
 * rejected with INVALID_PARAMETERS.
 */
#define BASE_PERM_FLAG_B0 (1u << 0)

#define BASE_NUM_AGENTS	 3u /* agents other than the platform */
#define BASE_NUM_DEVICES 8u

static const uint32_t base_versions[] = {SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(2, 1),
					 0};

/* Agent 0 is the platform itself. */
static const char *const base_agent_names[BASE_NUM_AGENTS + 1] = {
	"platform",
	"OSPM",
	"PSCI",
	"TEE",
};

/* What one agent may do with one device; all allowed by default. */
struct base_perm {
	bool device_denied;
	uint64_t proto_denied[4]; /* bit per protocol id */
};

struct base_state {
	/* Up to 16 characters: a full-width name goes out without a NUL, as
	 * the spec allows (§5). */
	char vendor[SIM_SHORT_NAME_SIZE + 1];
	char sub_vendor[SIM_SHORT_NAME_SIZE + 1];
	uint32_t impl_version;
	/* May the connected agent use the permission commands at all? */
	bool trusted;
	struct base_perm perms[BASE_NUM_AGENTS][BASE_NUM_DEVICES];
};

static struct base_state *base_state(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_BASE);
}

static bool base_v2(const struct sim_ctx *ctx)
{
	return ctx->version >= SIM_VERSION(2, 0);
}

/* ---- discovery ------------------------------------------------------------ */

static void base_attributes(struct sim_ctx *ctx)
{
	size_t n = sim_protocols_listed(ctx->sim, NULL, 0);

	sim_reply_u32(ctx, (uint32_t)(n & 0xFFu) | BASE_NUM_AGENTS << 8);
}

static void base_discover_vendor(struct sim_ctx *ctx)
{
	sim_reply_name(ctx, base_state(ctx->sim)->vendor);
}

static void base_discover_sub_vendor(struct sim_ctx *ctx)
{
	sim_reply_name(ctx, base_state(ctx->sim)->sub_vendor);
}

static void base_discover_impl_version(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, base_state(ctx->sim)->impl_version);
}

/* Ids that fit in this reply: after the count word, four per word. */
static size_t base_list_capacity(const struct sim_ctx *ctx)
{
	size_t room = sim_reply_room(ctx);
	size_t n = room < 4 ? 0 : (room - 4) / 4 * 4;

	if (ctx->sim->max_list_items && n > ctx->sim->max_list_items)
		n = ctx->sim->max_list_items;
	return n;
}

static void base_discover_list_protocols(struct sim_ctx *ctx)
{
	uint8_t ids[256];
	uint32_t skip = sim_req_u32(ctx, 0);
	size_t total = sim_protocols_listed(ctx->sim, ids, sizeof(ids));
	size_t n;
	uint8_t *p;

	if (skip > total) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	n = total - skip;
	if (n > base_list_capacity(ctx))
		n = base_list_capacity(ctx);
	sim_reply_u32(ctx, (uint32_t)n);
	p = sim_reply_put(ctx, (n + 3) & ~(size_t)3); /* zero padded */
	if (p && n)
		memcpy(p, ids + skip, n);
}

static void base_discover_agent(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0);

	if (id == BASE_AGENT_SELF && base_v2(ctx))
		id = ctx->sim->agent_id;
	if (id > BASE_NUM_AGENTS) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	if (base_v2(ctx))
		sim_reply_u32(ctx, id);
	sim_reply_name(ctx, base_agent_names[id]);
}

/* ---- notifications -------------------------------------------------------- */

static void base_notify_errors(struct sim_ctx *ctx)
{
	uint32_t ctl = sim_req_u32(ctx, 0);

	if (ctl & ~BASE_NOTIFY_ENABLE) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (sim_notify_request(ctx->sim, SIM_PROTO_BASE, BASE_EVT_ERROR, 0,
			       ctl & BASE_NOTIFY_ENABLE))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

/* ---- permissions ---------------------------------------------------------- */

/*
 * Checks shared by the three permission commands, in SCP-firmware's order
 * (module/scmi/src/mod_scmi_base.c): an agent not allowed to manage
 * permissions (DENIED, SCP's per-message permission check, before the
 * handler), an unknown agent (NOT_FOUND), then reserved flag bits
 * (INVALID_PARAMETERS).  A request about the platform (agent 0) has nothing
 * to change: SCP answers SUCCESS and does nothing, so do we.  An unknown
 * device is INVALID_PARAMETERS (SCP's resource_perms: device_id past its
 * device count is FWK_E_PARAM).  Returns false when the command is
 * answered: an error, or SUCCESS with nothing to do.
 */
static bool base_perm_check(struct sim_ctx *ctx, uint32_t flags, uint32_t agent,
			    const uint32_t *device)
{
	if (!base_state(ctx->sim)->trusted)
		sim_reply_error(ctx, SIM_DENIED);
	else if (agent > BASE_NUM_AGENTS)
		sim_reply_error(ctx, SIM_NOT_FOUND);
	else if (agent == BASE_AGENT_PLATFORM)
		; /* nothing to change */
	else if (flags & ~BASE_PERM_FLAG_B0)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (device && *device >= BASE_NUM_DEVICES)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else
		return true;
	return false;
}

static struct base_perm *base_perm(struct base_state *st, uint32_t agent, uint32_t device)
{
	return &st->perms[agent - 1][device];
}

static void base_set_device_permissions(struct sim_ctx *ctx)
{
	uint32_t agent = sim_req_u32(ctx, 0);
	uint32_t device = sim_req_u32(ctx, 4);
	uint32_t flags = sim_req_u32(ctx, 8);

	if (!base_perm_check(ctx, flags, agent, &device))
		return;
	base_perm(base_state(ctx->sim), agent, device)->device_denied =
		!(flags & BASE_PERM_FLAG_B0);
}

/*
 * As SCP-firmware: taking Base away is DENIED (checked before the device,
 * as SCP does); a protocol the platform does not implement (absent,
 * hidden, or no protocol id at all) is INVALID_PARAMETERS, SCP's
 * resource_perms answer for an unknown protocol id.
 */
static void base_set_protocol_permissions(struct sim_ctx *ctx)
{
	uint32_t agent = sim_req_u32(ctx, 0);
	uint32_t device = sim_req_u32(ctx, 4);
	uint32_t proto = sim_req_u32(ctx, 8);
	uint32_t flags = sim_req_u32(ctx, 12);
	const struct sim_proto *p;
	struct base_perm *perm;
	uint64_t bit;

	if (!base_perm_check(ctx, flags, agent, NULL))
		return;
	if (proto == SIM_PROTO_BASE) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	p = proto <= 0xFF ? sim_proto_get(ctx->sim, (uint8_t)proto) : NULL;
	if (device >= BASE_NUM_DEVICES || !p || !p->present) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	perm = base_perm(base_state(ctx->sim), agent, device);
	bit = UINT64_C(1) << (proto % 64);
	if (flags & BASE_PERM_FLAG_B0)
		perm->proto_denied[proto / 64] &= ~bit;
	else
		perm->proto_denied[proto / 64] |= bit;
}

static void base_reset_agent_configuration(struct sim_ctx *ctx)
{
	struct base_state *st = base_state(ctx->sim);
	uint32_t agent = sim_req_u32(ctx, 0);
	uint32_t flags = sim_req_u32(ctx, 4);
	unsigned int id;

	if (!base_perm_check(ctx, flags, agent, NULL))
		return;
	if (flags & BASE_PERM_FLAG_B0)
		memset(st->perms[agent - 1], 0, sizeof(st->perms[agent - 1]));
	for (id = 0; id < 256; id++) {
		struct sim_proto *p = sim_proto_get(ctx->sim, (uint8_t)id);

		if (p && p->ops->agent_reset)
			p->ops->agent_reset(p, agent);
	}
}

/* ---- model ---------------------------------------------------------------- */

static const struct sim_cmd base_cmds[] = {
	{BASE_DISCOVER_VENDOR, SIM_VERSION(1, 0), 0, base_discover_vendor},
	{BASE_DISCOVER_SUB_VENDOR, SIM_VERSION(1, 0), 0, base_discover_sub_vendor},
	{BASE_DISCOVER_IMPLEMENTATION_VERSION, SIM_VERSION(1, 0), 0, base_discover_impl_version},
	{BASE_DISCOVER_LIST_PROTOCOLS, SIM_VERSION(1, 0), 4, base_discover_list_protocols},
	{BASE_DISCOVER_AGENT, SIM_VERSION(1, 0), 4, base_discover_agent},
	{BASE_NOTIFY_ERRORS, SIM_VERSION(1, 0), 4, base_notify_errors},
	{BASE_SET_DEVICE_PERMISSIONS, SIM_VERSION(2, 0), 12, base_set_device_permissions},
	{BASE_SET_PROTOCOL_PERMISSIONS, SIM_VERSION(2, 0), 16, base_set_protocol_permissions},
	{BASE_RESET_AGENT_CONFIGURATION, SIM_VERSION(2, 0), 8, base_reset_agent_configuration},
};

static int base_init(struct sim_proto *p)
{
	struct base_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	strcpy(st->vendor, "libscmi");
	strcpy(st->sub_vendor, "sim");
	st->impl_version = 0x00010000; /* vendor format; "1.0" */
	st->trusted = true;
	p->state = st;
	return 0;
}

static void base_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

const struct sim_proto_ops sim_base_ops = {
	.id = SIM_PROTO_BASE,
	.name = "base",
	.versions = base_versions,
	.negotiate_since = SIM_VERSION(2, 1),
	.cmds = base_cmds,
	.num_cmds = SIM_ARRAY_SIZE(base_cmds),
	.init = base_init,
	.fini = base_fini,
	.attributes = base_attributes,
};

bool sim_base_access_allowed(struct scmi_sim *sim, uint32_t device, uint8_t proto)
{
	struct base_state *st = base_state(sim);
	const struct base_perm *perm;

	if (!st || device >= BASE_NUM_DEVICES)
		return false;
	perm = base_perm(st, sim->agent_id, device);
	if (perm->device_denied)
		return false;
	return !proto || !(perm->proto_denied[proto / 64] & (UINT64_C(1) << (proto % 64)));
}

bool sim_resource_allowed(struct scmi_sim *sim, uint8_t proto, uint32_t id)
{
	return id >= BASE_NUM_DEVICES || sim_base_access_allowed(sim, id, proto);
}

bool sim_resource_check(struct sim_ctx *ctx, uint32_t id)
{
	if (sim_resource_allowed(ctx->sim, ctx->proto->id, id))
		return true;
	sim_reply_error(ctx, SIM_DENIED);
	return false;
}

/* ---- test-facing API ------------------------------------------------------- */

static void base_copy_name(char dst[SCMI_SIM_NAME_MAX], const char *src)
{
	size_t n = strnlen(src, SCMI_SIM_NAME_MAX - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

int scmi_sim_base_info_get(struct scmi_sim *sim, struct scmi_sim_base_info *info)
{
	struct base_state *st;

	if (!sim || !info)
		return -EINVAL;
	sim_lock(sim);
	st = base_state(sim);
	base_copy_name(info->vendor, st->vendor);
	base_copy_name(info->sub_vendor, st->sub_vendor);
	info->impl_version = st->impl_version;
	info->num_agents = BASE_NUM_AGENTS;
	info->agent_id = sim->agent_id;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_base_identity_set(struct scmi_sim *sim, const char *vendor, const char *sub_vendor,
			       uint32_t impl_version)
{
	struct base_state *st;

	if (!sim || (vendor && strlen(vendor) > SIM_SHORT_NAME_SIZE) ||
	    (sub_vendor && strlen(sub_vendor) > SIM_SHORT_NAME_SIZE))
		return -EINVAL;
	sim_lock(sim);
	st = base_state(sim);
	if (vendor)
		strcpy(st->vendor, vendor);
	if (sub_vendor)
		strcpy(st->sub_vendor, sub_vendor);
	st->impl_version = impl_version;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_base_agent_name(struct scmi_sim *sim, uint32_t id, char name[SCMI_SIM_NAME_MAX])
{
	if (!sim || !name)
		return -EINVAL;
	if (id > BASE_NUM_AGENTS)
		return -ENOENT;
	/* The names are constant: no lock needed. */
	base_copy_name(name, base_agent_names[id]);
	return 0;
}

int scmi_sim_base_trusted_set(struct scmi_sim *sim, bool trusted)
{
	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	base_state(sim)->trusted = trusted;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_base_num_devices(struct scmi_sim *sim)
{
	return sim ? (int)BASE_NUM_DEVICES : -EINVAL;
}

int scmi_sim_base_permission_get(struct scmi_sim *sim, uint32_t agent, uint32_t device,
				 uint8_t proto, bool *allowed)
{
	const struct base_perm *perm;

	if (!sim || !allowed)
		return -EINVAL;
	if (agent == BASE_AGENT_PLATFORM || agent > BASE_NUM_AGENTS || device >= BASE_NUM_DEVICES)
		return -ENOENT;
	sim_lock(sim);
	perm = base_perm(base_state(sim), agent, device);
	*allowed = !perm->device_denied &&
		   (!proto || !(perm->proto_denied[proto / 64] & (UINT64_C(1) << (proto % 64))));
	sim_unlock(sim);
	return 0;
}

/*
 * BASE_ERROR_EVENT carries as many reports as fit in max_msg_size after the
 * agent_id and error_status words; the count in error_status b[9:0] is the
 * number actually sent, so a truncated event is still self-consistent.
 */
static void base_error_event_fill(struct scmi_sim *sim, struct sim_out *out, uint32_t agent_id,
				  bool fatal, const uint64_t *reports, unsigned int n)
{
	size_t fit = (sim->max_msg_size - BASE_ERR_EVT_HDR_SIZE) / 8;
	uint8_t *p = out->buf + SIM_HDR_SIZE;
	unsigned int i;

	if (n > fit)
		n = (unsigned int)fit;
	sim_put_le32(p, agent_id);
	sim_put_le32(p + 4, (fatal ? BASE_ERR_FATAL : 0) | n);
	for (i = 0; i < n; i++)
		sim_put_le64(p + BASE_ERR_EVT_HDR_SIZE + 8 * i, reports[i]);
	out->len = SIM_HDR_SIZE + BASE_ERR_EVT_HDR_SIZE + 8 * (size_t)n;
}

int scmi_sim_base_error_event(struct scmi_sim *sim, uint32_t agent_id, bool fatal,
			      const uint64_t *reports, unsigned int n_reports)
{
	struct sim_out *out;
	int ret = 0;

	if (!sim || n_reports > BASE_ERR_COUNT_MASK || (n_reports && !reports))
		return -EINVAL;
	sim_lock(sim);
	if (sim_notify_is_enabled(sim, SIM_PROTO_BASE, BASE_EVT_ERROR, 0)) {
		out = sim_out_new(sim, SIM_TYPE_NOTIFICATION, SIM_PROTO_BASE, BASE_EVT_ERROR, 0);
		if (out) {
			base_error_event_fill(sim, out, agent_id, fatal, reports, n_reports);
			sim_out_flush(sim);
			ret = 1;
		} else {
			ret = -ENOSPC;
		}
	}
	sim_unlock(sim);
	return ret;
}

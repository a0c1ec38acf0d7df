// SPDX-License-Identifier: BSD-3-Clause
/*
 * Base protocol (0x10), spec §6.1.  Its bring-up is the discovery run by
 * scmi_open(): it fills the handle's version block.
 */
#include <errno.h>

#include <scmi/protocols/base.h>

#include "../handle.h"
#include "../notify.h"
#include "../protocols.h"

#define BASE_DISCOVER_VENDOR		     0x3
#define BASE_DISCOVER_SUB_VENDOR	     0x4
#define BASE_DISCOVER_IMPLEMENTATION_VERSION 0x5
#define BASE_DISCOVER_LIST_PROTOCOLS	     0x6
#define BASE_DISCOVER_AGENT		     0x7
#define BASE_NOTIFY_ERRORS		     0x8
#define BASE_SET_DEVICE_PERMISSIONS	     0x9
#define BASE_SET_PROTOCOL_PERMISSIONS	     0xa
#define BASE_RESET_AGENT_CONFIGURATION	     0xb

#define BASE_ERROR_EVENT_HDR_SIZE 8

static int base_vendor_get(const struct scmi_protocol_handle *ph, uint8_t msg_id, char *dst)
{
	uint8_t rx[SCMI_SHORT_NAME_MAX_SIZE];
	int ret;

	ret = scmi_common_cmd(ph, msg_id, NULL, 0, rx, sizeof(rx), sizeof(rx), NULL);
	if (ret)
		return ret;
	scmi_copy_name(dst, SCMI_SHORT_NAME_MAX_SIZE, rx, sizeof(rx));
	return 0;
}

/* Add @id to the list unless it is invalid or already there. */
static void base_protocol_add(struct scmi_instance *inst, unsigned int *count, uint8_t id)
{
	struct scmi_revision_info *rev = &inst->rev;

	if (id <= SCMI_PROTOCOL_BASE) {
		scmi_warn(&inst->log, "base: platform lists invalid protocol id 0x%x", id);
		return;
	}
	for (unsigned int i = 0; i < *count; i++) {
		if (rev->protocols[i].id == id) {
			scmi_warn(&inst->log, "base: platform lists protocol 0x%x twice", id);
			return;
		}
	}
	rev->protocols[(*count)++].id = id;
}

/*
 * One DISCOVER_LIST_PROTOCOLS page at @skip: its ids are added.  *@n gets
 * the number of ids the page returned (0: an empty page).  -EPROTO for a
 * page that is short or returns more ids than @left, the status otherwise.
 */
static int base_list_page(const struct scmi_protocol_handle *ph, unsigned int skip,
			  unsigned int left, unsigned int *count, unsigned int *n)
{
	struct scmi_instance *inst = ph->inst;
	struct scmi_xfer *x;
	int ret;

	ret = scmi_proto_xfer_get(ph, BASE_DISCOVER_LIST_PROTOCOLS, 4, 0, &x);
	if (ret)
		return ret;
	scmi_put_le32((void *)x->t.tx, skip);
	ret = scmi_do_xfer(x);
	if (!ret) {
		*n = x->t.rx_len < 4 ? 0 : scmi_get_le32(x->t.rx);
		if (x->t.rx_len < 4 || *n > left || x->t.rx_len < 4 + (size_t)*n) {
			scmi_warn(&inst->log,
				  "base: bad protocol list reply (%u ids, %zu bytes) at %u", *n,
				  x->t.rx_len, skip);
			ret = -EPROTO;
		}
	}
	for (unsigned int i = 0; !ret && i < *n; i++)
		base_protocol_add(inst, count, ((const uint8_t *)x->t.rx)[4 + i]);
	scmi_xfer_put(x);
	return ret;
}

/*
 * DISCOVER_LIST_PROTOCOLS: no "remaining" count; ask with skip = ids read
 * so far until the count from PROTOCOL_ATTRIBUTES is reached.  That count
 * is an upper bound, not a promise: TF-A counts every protocol of the
 * platform but lists only the calling agent's, and answers the next skip
 * with an empty page.  An empty page ends the list (as in Linux); so does
 * a refused or malformed page (the ids before it are kept).  The protocols
 * used are the ones listed, with one warning when they are fewer than
 * announced.  Only a platform that does not answer fails the discovery.
 */
static int base_list_protocols(const struct scmi_protocol_handle *ph, unsigned int total)
{
	struct scmi_instance *inst = ph->inst;
	unsigned int skip = 0, count = 0, n = 0;
	int ret = 0;

	while (skip < total) {
		ret = base_list_page(ph, skip, total - skip, &count, &n);
		if (ret || !n)
			break;
		skip += n;
	}
	if (ret && !scmi_common_bad_answer(ret))
		return ret;
	if (skip < total)
		scmi_warn(&inst->log,
			  "base: %u protocols announced, %u listed (ended by %s); using those",
			  total, skip, ret ? scmi_strerror(ret) : "an empty reply");
	inst->rev.num_protocols = (uint8_t)count;
	return 0;
}

/* ---- BASE_ERROR_EVENT ------------------------------------------------------ */

#define BASE_ERR_FATAL	    (1u << 31)
#define BASE_ERR_COUNT_MASK 0x3ffu

static int base_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				   uint32_t src_id, bool enable)
{
	uint8_t tx[4];

	scmi_put_le32(tx, enable ? 1 : 0);
	return scmi_common_cmd(ph, BASE_NOTIFY_ERRORS, tx, sizeof(tx), NULL, 0, 0, NULL);
}

static int base_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id,
			    const void *payld, size_t payld_sz, void *report, uint32_t *src_id)
{
	struct scmi_base_error_report *r = report;
	const uint8_t *p = payld;
	uint32_t status, n;

	if (evt_id != SCMI_EVENT_BASE_ERROR_EVENT || payld_sz < BASE_ERROR_EVENT_HDR_SIZE)
		return -EPROTO;
	status = scmi_get_le32(p + 4);
	n = status & BASE_ERR_COUNT_MASK;
	/* The count says how many reports follow: exactly that many. */
	if (payld_sz != BASE_ERROR_EVENT_HDR_SIZE + 8 * (size_t)n)
		return -EPROTO;
	r->agent_id = scmi_get_le32(p);
	r->fatal = status & BASE_ERR_FATAL;
	r->cmd_count = n;
	for (uint32_t i = 0; i < n; i++)
		r->reports[i] = scmi_get_le64(p + BASE_ERROR_EVENT_HDR_SIZE + 8 * i);
	*src_id = 0;
	return 0;
}

static const struct scmi_event base_events[] = {
	{
		.id = SCMI_EVENT_BASE_ERROR_EVENT,
		.max_payld_sz = BASE_ERROR_EVENT_HDR_SIZE + 8 * SCMI_BASE_MAX_ERROR_REPORTS,
		.max_report_sz =
			sizeof(struct scmi_base_error_report) + 8 * SCMI_BASE_MAX_ERROR_REPORTS,
	},
};

static const struct scmi_event_ops base_event_ops = {
	.set_notify_enabled = base_set_notify_enabled,
	.fill_report = base_fill_report,
};

static const struct scmi_protocol_events base_protocol_events = {
	.ops = &base_event_ops,
	.evts = base_events,
	.num_events = ARRAY_SIZE(base_events),
};

/* PROTOCOL_VERSION of each listed protocol, for the version block. */
static void base_protocol_versions(struct scmi_instance *inst)
{
	struct scmi_revision_info *rev = &inst->rev;

	for (unsigned int i = 0; i < rev->num_protocols; i++) {
		if (scmi_inst_protocol_version(inst, rev->protocols[i].id,
					       &rev->protocols[i].version)) {
			scmi_warn(&inst->log, "base: PROTOCOL_VERSION of 0x%x failed",
				  rev->protocols[i].id);
			rev->protocols[i].version = 0;
		}
	}
}

static int base_init(struct scmi_protocol_handle *ph)
{
	struct scmi_instance *inst = ph->inst;
	struct scmi_revision_info *rev = &inst->rev;
	unsigned int num_protocols;
	uint8_t rx[4];
	int ret;

	rev->major_ver = SCMI_PROTO_VERSION_MAJOR(ph->platform_version);
	rev->minor_ver = SCMI_PROTO_VERSION_MINOR(ph->platform_version);

	ret = scmi_common_attributes(ph, rx, 4, sizeof(rx));
	if (ret)
		return ret;
	num_protocols = scmi_get_le32(rx) & 0xff;
	rev->num_agents = (uint8_t)((scmi_get_le32(rx) >> 8) & 0xff);

	/* Identity strings are informative: keep going without them. */
	if (base_vendor_get(ph, BASE_DISCOVER_VENDOR, rev->vendor_id))
		scmi_warn(&inst->log, "base: DISCOVER_VENDOR failed");
	if (base_vendor_get(ph, BASE_DISCOVER_SUB_VENDOR, rev->sub_vendor_id))
		scmi_dbg(&inst->log, "base: no sub-vendor");
	if (scmi_common_cmd(ph, BASE_DISCOVER_IMPLEMENTATION_VERSION, NULL, 0, rx, 4, 4, NULL))
		scmi_dbg(&inst->log, "base: no implementation version");
	else
		rev->impl_ver = scmi_get_le32(rx);

	ret = base_list_protocols(ph, num_protocols);
	if (ret)
		return ret;
	base_protocol_versions(inst);
	/* Base events have one source. */
	return scmi_notify_protocol_register(ph, &base_protocol_events, 1);
}

static const struct scmi_protocol_handle *base_ph(const struct scmi_handle *h)
{
	struct scmi_protocol_handle *ph;

	return scmi_protocol_acquire(h, SCMI_PROTOCOL_BASE, &ph) ? NULL : ph;
}

/* DISCOVER_AGENT as a request: what decode checks, and the caller's output. */
struct agent_ctx {
	struct scmi_base_agent_info *info;
	uint32_t agent_id;
	bool v1;
};

static int agent_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct scmi_protocol_handle *ph = scmi_req_ph(r);
	struct agent_ctx *c = SCMI_REQ_CTX(r, struct agent_ctx);
	uint32_t id;

	(void)len;
	if (ret)
		return ret;
	if (c->v1) {
		c->info->id = c->agent_id;
		scmi_copy_name(c->info->name, sizeof(c->info->name), rx, SCMI_SHORT_NAME_MAX_SIZE);
		return 0;
	}
	/* The reply names the agent it describes: the one asked for, or for
	 * SELF our own id, which is an agent of the platform (not 0). */
	id = scmi_get_le32(rx);
	if (c->agent_id == SCMI_BASE_AGENT_SELF ? id == 0 || id > ph->inst->rev.num_agents
						: id != c->agent_id) {
		scmi_warn(&ph->inst->log, "base: DISCOVER_AGENT(0x%x) answered for agent 0x%x",
			  c->agent_id, id);
		return -EPROTO;
	}
	c->info->id = id;
	scmi_copy_name(c->info->name, sizeof(c->info->name), rx + 4, SCMI_SHORT_NAME_MAX_SIZE);
	return 0;
}

/* Base 1.0: the name only; from 2.0 the agent id, then the name. */
static const struct scmi_req_msg agent_v1_msg = {
	.msg_id = BASE_DISCOVER_AGENT,
	.rx_min = SCMI_SHORT_NAME_MAX_SIZE,
	.decode = agent_decode,
};

static const struct scmi_req_msg agent_msg = {
	.msg_id = BASE_DISCOVER_AGENT,
	.rx_min = 4 + SCMI_SHORT_NAME_MAX_SIZE,
	.decode = agent_decode,
};

static int base_discover_agent(const struct scmi_handle *h, uint32_t agent_id,
			       struct scmi_base_agent_info *info)
{
	const struct scmi_protocol_handle *ph = base_ph(h);
	struct agent_ctx *c;
	uint8_t tx[4];
	bool v1;

	if (!ph || !info)
		return -EINVAL;
	v1 = SCMI_PROTO_VERSION_MAJOR(ph->version) < 2;
	if (agent_id == SCMI_BASE_AGENT_SELF && v1)
		return -EOPNOTSUPP;
	if (agent_id != SCMI_BASE_AGENT_SELF && agent_id > ph->inst->rev.num_agents) {
		scmi_dbg_reason(&ph->inst->log, "base: agent %u > num_agents %u", agent_id,
				ph->inst->rev.num_agents);
		return -EINVAL;
	}
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct agent_ctx);
	c->info = info;
	c->agent_id = agent_id;
	c->v1 = v1;
	scmi_put_le32(tx, agent_id);
	return scmi_req_run(r, v1 ? &agent_v1_msg : &agent_msg, tx, sizeof(tx));
}

/*
 * Permission commands act on other agents: 1..num_agents.  They came with
 * Base 2.0 (SCMI v2.0): a 1.0 platform does not know them and would answer
 * NOT_FOUND, which would read as "no such agent or device".
 */
static int base_check_agent(const struct scmi_protocol_handle *ph, uint32_t agent_id)
{
	if (SCMI_PROTO_VERSION_MAJOR(ph->version) < 2) {
		scmi_dbg_reason(&ph->inst->log,
				"base: permission commands need Base 2.0 (using 0x%x)",
				ph->version);
		return -EOPNOTSUPP;
	}
	if (agent_id == 0 || agent_id > ph->inst->rev.num_agents) {
		scmi_dbg_reason(&ph->inst->log, "base: invalid agent %u (num_agents %u)", agent_id,
				ph->inst->rev.num_agents);
		return -EINVAL;
	}
	return 0;
}

/* The permission commands answer with a status only. */
static const struct scmi_req_msg device_permissions_msg = {
	.msg_id = BASE_SET_DEVICE_PERMISSIONS,
};

static const struct scmi_req_msg protocol_permissions_msg = {
	.msg_id = BASE_SET_PROTOCOL_PERMISSIONS,
};

static const struct scmi_req_msg reset_agent_msg = {
	.msg_id = BASE_RESET_AGENT_CONFIGURATION,
};

static int base_set_device_permissions(const struct scmi_handle *h, uint32_t agent_id,
				       uint32_t device_id, bool allow)
{
	const struct scmi_protocol_handle *ph = base_ph(h);
	uint8_t tx[12];
	int ret;

	if (!ph)
		return -EINVAL;
	ret = base_check_agent(ph, agent_id);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, agent_id);
	scmi_put_le32(tx + 4, device_id);
	scmi_put_le32(tx + 8, allow ? 1 : 0);
	return scmi_req_run(r, &device_permissions_msg, tx, sizeof(tx));
}

static int base_set_protocol_permissions(const struct scmi_handle *h, uint32_t agent_id,
					 uint32_t device_id, uint8_t protocol_id, bool allow)
{
	const struct scmi_protocol_handle *ph = base_ph(h);
	uint8_t tx[16];
	int ret;

	if (!ph || protocol_id <= SCMI_PROTOCOL_BASE)
		return -EINVAL;
	ret = base_check_agent(ph, agent_id);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, agent_id);
	scmi_put_le32(tx + 4, device_id);
	scmi_put_le32(tx + 8, protocol_id);
	scmi_put_le32(tx + 12, allow ? 1 : 0);
	return scmi_req_run(r, &protocol_permissions_msg, tx, sizeof(tx));
}

static int base_reset_agent_configuration(const struct scmi_handle *h, uint32_t agent_id,
					  bool reset_permissions)
{
	const struct scmi_protocol_handle *ph = base_ph(h);
	uint8_t tx[8];
	int ret;

	if (!ph)
		return -EINVAL;
	ret = base_check_agent(ph, agent_id);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, agent_id);
	scmi_put_le32(tx + 4, reset_permissions ? 1 : 0);
	return scmi_req_run(r, &reset_agent_msg, tx, sizeof(tx));
}

static const struct scmi_base_ops base_ops = {
	.discover_agent = base_discover_agent,
	.set_device_permissions = base_set_device_permissions,
	.set_protocol_permissions = base_set_protocol_permissions,
	.reset_agent_configuration = base_reset_agent_configuration,
};

const struct scmi_protocol scmi_base_protocol = {
	.id = SCMI_PROTOCOL_BASE,
	.supported_version = SCMI_PROTO_VERSION(2, 1),
	.ops_offset = offsetof(struct scmi_handle, base_ops),
	.ops = &base_ops,
	.init = base_init,
};

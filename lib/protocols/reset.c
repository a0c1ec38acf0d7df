// SPDX-License-Identifier: BSD-3-Clause
/*
 * Reset domain management protocol (0x16), spec digest §6.7.
 *
 * Versions: 1.0 and 2.0 share one layout; 3.0 adds the extended-name flag
 * (attributes b29) and RESET_DOMAIN_NAME_GET; 3.1 only adds the common
 * NEGOTIATE_PROTOCOL_VERSION (handled by the core).
 *
 * Everything discovered at bring-up lives in struct reset_priv and is never
 * written afterwards, so the ops read it without a lock.  A domain whose
 * attributes the platform refuses or answers malformed is disabled, not
 * the protocol: usable = false, its ops return -EPROTO, its events are
 * dropped (docs/PROTOCOLS.md, "Leniency").
 */
#include <errno.h>
#include <stdlib.h>

#include <scmi/protocols/reset.h>

#include "../notify.h"
#include "../protocols.h"

#define RESET_DOMAIN_ATTRIBUTES 0x3
#define RESET_RESET		0x4
#define RESET_NOTIFY		0x5
#define RESET_DOMAIN_NAME_GET	0x6

#define RESET_NUM_DOMAINS_MASK 0xffffu

/* RESET_DOMAIN_ATTRIBUTES attributes word. */
#define RESET_ATTR_ASYNC    (1u << 31)
#define RESET_ATTR_NOTIFY   (1u << 30)
#define RESET_ATTR_EXT_NAME (1u << 29) /* v3.0+ */

/* RESET flags. */
#define RESET_FLAG_AUTONOMOUS (1u << 0)
#define RESET_FLAG_ASSERT     (1u << 1)
#define RESET_FLAG_ASYNC      (1u << 2) /* only with AUTONOMOUS */

/* RESET_DOMAIN_ATTRIBUTES reply: attributes, latency, name[16]. */
#define RESET_ATTR_REPLY_SIZE (8 + SCMI_SHORT_NAME_MAX_SIZE)
/* RESET_ISSUED payload: agent_id, domain_id, reset_state. */
#define RESET_ISSUED_PAYLD_SIZE 12

struct reset_priv {
	unsigned int num_domains;
	struct scmi_reset_domain_info *domains; /* [num_domains] */
};

static int reset_domain_discover(const struct scmi_protocol_handle *ph, uint32_t id,
				 bool notify_cmd, struct scmi_reset_domain_info *info)
{
	uint8_t tx[4], rx[RESET_ATTR_REPLY_SIZE];
	uint32_t attr;
	int ret;

	info->id = id;
	scmi_put_le32(tx, id);
	ret = scmi_common_cmd(ph, RESET_DOMAIN_ATTRIBUTES, tx, sizeof(tx), rx, sizeof(rx),
			      sizeof(rx), NULL);
	if (ret) {
		/* What the platform said about this domain disables it alone;
		 * no answer at all fails the bring-up (retried later). */
		if (!scmi_common_bad_answer(ret)) {
			scmi_warn(&ph->inst->log, "reset: attributes of domain %u: %s", id,
				  scmi_strerror(ret));
			return ret;
		}
		scmi_warn(&ph->inst->log, "reset: domain %u disabled: %s", id, scmi_strerror(ret));
		info->err = ret;
		return 0;
	}
	attr = scmi_get_le32(rx);
	info->usable = true;
	info->latency_us = scmi_get_le32(rx + 4);
	/* A full 16-byte field has no NUL: at most 15 characters (§5). */
	scmi_copy_name(info->name, SCMI_SHORT_NAME_MAX_SIZE, rx + 8, SCMI_SHORT_NAME_MAX_SIZE);
	info->async_reset = attr & RESET_ATTR_ASYNC;
	/* The per-domain flag means nothing without the command (§3.2). */
	info->notifications = notify_cmd && (attr & RESET_ATTR_NOTIFY);
	/* b29 is reserved before 3.0: ignore it there. */
	if (ph->version >= SCMI_PROTO_VERSION(3, 0) && (attr & RESET_ATTR_EXT_NAME))
		info->extended_name = !scmi_common_ext_name_get(ph, RESET_DOMAIN_NAME_GET, id, NULL,
								info->name, sizeof(info->name));
	return 0;
}

/* ---- RESET_ISSUED ------------------------------------------------------------ */

static int reset_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				    uint32_t src_id, bool enable)
{
	const struct reset_priv *priv = ph->priv;

	if (evt_id != SCMI_EVENT_RESET_ISSUED || src_id >= priv->num_domains)
		return -EINVAL;
	if (!priv->domains[src_id].usable)
		return -EPROTO;
	if (!priv->domains[src_id].notifications)
		return -EOPNOTSUPP; /* the notification core logs one line for all sources */
	return scmi_common_notify_cmd(ph, RESET_NOTIFY, src_id, enable);
}

static int reset_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id,
			     const void *payld, size_t payld_sz, void *report, uint32_t *src_id)
{
	const struct reset_priv *priv = ph->priv;
	struct scmi_reset_issued_report *r = report;
	const uint8_t *p = payld;
	uint32_t domain;

	if (evt_id != SCMI_EVENT_RESET_ISSUED || payld_sz != RESET_ISSUED_PAYLD_SIZE)
		return -EPROTO;
	domain = scmi_get_le32(p + 4);
	/* A domain the platform made up, or one disabled at discovery. */
	if (domain >= priv->num_domains || !priv->domains[domain].usable)
		return -EPROTO;
	r->agent_id = scmi_get_le32(p);
	r->domain_id = domain;
	r->reset_state = scmi_get_le32(p + 8);
	*src_id = domain;
	return 0;
}

static const struct scmi_event reset_events[] = {
	{
		.id = SCMI_EVENT_RESET_ISSUED,
		.max_payld_sz = RESET_ISSUED_PAYLD_SIZE,
		.max_report_sz = sizeof(struct scmi_reset_issued_report),
	},
};

static const struct scmi_event_ops reset_event_ops = {
	.set_notify_enabled = reset_set_notify_enabled,
	.fill_report = reset_fill_report,
};

static const struct scmi_protocol_events reset_protocol_events = {
	.ops = &reset_event_ops,
	.evts = reset_events,
	.num_events = ARRAY_SIZE(reset_events),
};

/* ---- bring-up ------------------------------------------------------------------ */

static void reset_priv_free(struct reset_priv *priv)
{
	if (priv)
		free(priv->domains);
	free(priv);
}

static int reset_init(struct scmi_protocol_handle *ph)
{
	struct reset_priv *priv;
	uint8_t rx[4];
	bool notify_cmd;
	int ret;

	ret = scmi_common_attributes(ph, rx, sizeof(rx), sizeof(rx));
	if (ret)
		return ret;
	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return -ENOMEM;
	priv->num_domains = scmi_get_le32(rx) & RESET_NUM_DOMAINS_MASK;
	priv->domains = calloc(priv->num_domains ? priv->num_domains : 1, sizeof(*priv->domains));
	if (!priv->domains) {
		reset_priv_free(priv);
		return -ENOMEM;
	}
	notify_cmd = scmi_common_msg_supported(ph, RESET_NOTIFY);
	for (uint32_t d = 0; d < priv->num_domains; d++) {
		ret = reset_domain_discover(ph, d, notify_cmd, &priv->domains[d]);
		if (ret) {
			reset_priv_free(priv);
			return ret;
		}
	}
	ph->priv = priv;
	/* The notification core wants at least one source. */
	if (!priv->num_domains)
		return 0;
	ret = scmi_notify_protocol_register(ph, &reset_protocol_events, priv->num_domains);
	if (ret) {
		ph->priv = NULL;
		reset_priv_free(priv);
	}
	return ret;
}

static void reset_deinit(struct scmi_protocol_handle *ph)
{
	reset_priv_free(ph->priv);
	ph->priv = NULL;
}

/* ---- ops ------------------------------------------------------------------------ */

static void reset_domains(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t)
{
	const struct reset_priv *priv = ph->priv;

	*t = (struct scmi_domain_table){
		.proto = "reset",
		.what = "domain",
		.base = priv->domains,
		.stride = sizeof(*priv->domains),
		.count = priv->num_domains,
		.usable_off = offsetof(struct scmi_reset_domain_info, usable),
	};
}

static int reset_num_domains_get(const struct scmi_handle *h)
{
	return scmi_domain_count(h, SCMI_PROTOCOL_RESET);
}

static int reset_info_get(const struct scmi_handle *h, uint32_t domain,
			  const struct scmi_reset_domain_info **info)
{
	return scmi_domain_info(h, SCMI_PROTOCOL_RESET, domain, (const void **)info);
}

/* Architectural states other than 0 (cold reset) are reserved (§6.7). */
static bool reset_state_valid(uint32_t state)
{
	return (state & SCMI_RESET_STATE_IMPL_DEFINED) || state == SCMI_RESET_STATE_COLD;
}

/* RESET as a request: what the delayed response is checked against. */
struct reset_ctx {
	uint32_t domain;
};

/* The async form's delayed response must name the domain asked for. */
static int reset_dresp_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct reset_ctx *c = SCMI_REQ_CTX(r, struct reset_ctx);
	uint32_t got;

	(void)len; /* >= rx_min */
	if (ret)
		return ret;
	got = scmi_get_le32(rx);
	if (got != c->domain) {
		scmi_warn(&scmi_req_ph(r)->inst->log,
			  "reset: delayed response for domain %u names domain %u", c->domain, got);
		return -EPROTO;
	}
	return 0;
}

static const struct scmi_req_msg reset_sync_msg = {
	.msg_id = RESET_RESET,
};

static const struct scmi_req_msg reset_async_msg = {
	.msg_id = RESET_RESET,
	.flags = SCMI_REQ_DRESP,
	.rx_min = 4,
	.decode = reset_dresp_decode,
};

/*
 * One RESET command, after the op's checks.  The async form completes
 * with the delayed response.  Blocking or not, as the op was called.
 */
static int reset_send(const struct scmi_protocol_handle *ph, uint32_t domain, uint32_t flags,
		      uint32_t state)
{
	struct reset_ctx *c;
	uint8_t tx[12];

	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct reset_ctx);
	c->domain = domain;
	scmi_put_le32(tx, domain);
	scmi_put_le32(tx + 4, flags);
	scmi_put_le32(tx + 8, state);
	return scmi_req_run(r, flags & RESET_FLAG_ASYNC ? &reset_async_msg : &reset_sync_msg, tx,
			    sizeof(tx));
}

/* Checks shared by the three forms of RESET; nothing is sent on failure. */
static int reset_common(const struct scmi_handle *h, uint32_t domain, uint32_t state,
			const struct scmi_reset_domain_info **infop,
			struct scmi_protocol_handle **php)
{
	int ret = scmi_domain_get(h, SCMI_PROTOCOL_RESET, domain, true, php, (const void **)infop);

	if (ret)
		return ret;
	if (!reset_state_valid(state)) {
		scmi_dbg_reason(&(*php)->inst->log,
				"reset: reserved architectural reset state 0x%x", state);
		return -EINVAL;
	}
	return 0;
}

static int reset_reset(const struct scmi_handle *h, uint32_t domain, uint32_t reset_state,
		       enum scmi_reset_mode mode)
{
	const struct scmi_reset_domain_info *info;
	struct scmi_protocol_handle *ph;
	uint32_t flags = RESET_FLAG_AUTONOMOUS;
	int ret;

	if (mode != SCMI_RESET_SYNC && mode != SCMI_RESET_ASYNC && mode != SCMI_RESET_AUTO)
		return -EINVAL;
	ret = reset_common(h, domain, reset_state, &info, &ph);
	if (ret)
		return ret;
	if (mode == SCMI_RESET_ASYNC && (!info->async_reset || !scmi_proto_has_p2a(ph))) {
		scmi_dbg_reason(&ph->inst->log, "reset: domain %u has no async reset%s", domain,
				info->async_reset ? " (no P2A channel)" : "");
		return -EOPNOTSUPP;
	}
	/* AUTO: synchronous when no delayed response can come (no P2A). */
	if (mode != SCMI_RESET_SYNC && info->async_reset && scmi_proto_has_p2a(ph))
		flags |= RESET_FLAG_ASYNC;
	return reset_send(ph, domain, flags, reset_state);
}

static int reset_assert(const struct scmi_handle *h, uint32_t domain, uint32_t reset_state)
{
	const struct scmi_reset_domain_info *info;
	struct scmi_protocol_handle *ph;
	int ret = reset_common(h, domain, reset_state, &info, &ph);

	return ret ? ret : reset_send(ph, domain, RESET_FLAG_ASSERT, reset_state);
}

static int reset_deassert(const struct scmi_handle *h, uint32_t domain, uint32_t reset_state)
{
	const struct scmi_reset_domain_info *info;
	struct scmi_protocol_handle *ph;
	int ret = reset_common(h, domain, reset_state, &info, &ph);

	return ret ? ret : reset_send(ph, domain, 0, reset_state);
}

static const struct scmi_reset_ops reset_ops = {
	.count_get = reset_num_domains_get,
	.info_get = reset_info_get,
	.reset = reset_reset,
	.reset_assert = reset_assert,
	.reset_deassert = reset_deassert,
};

const struct scmi_protocol scmi_reset_protocol = {
	.id = SCMI_PROTOCOL_RESET,
	.supported_version = SCMI_PROTO_VERSION(3, 1),
	.ops_offset = offsetof(struct scmi_handle, reset_ops),
	.ops = &reset_ops,
	.init = reset_init,
	.deinit = reset_deinit,
	.domains = reset_domains,
};

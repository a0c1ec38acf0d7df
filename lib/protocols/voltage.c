// SPDX-License-Identifier: BSD-3-Clause
/*
 * Voltage domain management protocol (0x17), spec digest §6.8 (and §4 for
 * the level descriptions, §5 for names, §7.1 for async LEVEL_SET).
 *
 * Versions: 1.0 (domain attributes reserved, LEVEL_SET flags reserved),
 * 2.0 (attributes b31 async LEVEL_SET, b30 extended name, and
 * VOLTAGE_DOMAIN_NAME_GET), 2.1 (only the common NEGOTIATE_PROTOCOL_VERSION,
 * handled by the core).  No notifications.
 *
 * Everything discovered at bring-up lives in struct voltage_priv and is
 * never written afterwards, so the ops read it without a lock.  A domain
 * the platform describes badly (attributes refused or malformed, a level
 * table that is malformed or empty) is disabled, not the protocol: its info
 * says usable = false and its ops return -EPROTO (docs/PROTOCOLS.md,
 * "Leniency").
 */
#include <errno.h>
#include <stdlib.h>

#include <scmi/protocols/voltage.h>

#include "../protocols.h"

#define VOLTAGE_DOMAIN_ATTRIBUTES 0x3
#define VOLTAGE_DESCRIBE_LEVELS	  0x4
#define VOLTAGE_CONFIG_SET	  0x5
#define VOLTAGE_CONFIG_GET	  0x6
#define VOLTAGE_LEVEL_SET	  0x7
#define VOLTAGE_LEVEL_GET	  0x8
#define VOLTAGE_DOMAIN_NAME_GET	  0x9

#define VOLTAGE_NUM_DOMAINS_MASK 0xffffu

/* VOLTAGE_DOMAIN_ATTRIBUTES attributes word (both v2.0+). */
#define VOLTAGE_ATTR_ASYNC    (1u << 31)
#define VOLTAGE_ATTR_EXT_NAME (1u << 30)
/* Reply: attributes, name[16]. */
#define VOLTAGE_ATTR_REPLY_SIZE (4 + SCMI_SHORT_NAME_MAX_SIZE)

/* DESCRIBE_LEVELS count word (§4). */
#define VOLTAGE_LEVELS_RETURNED(f)  ((f)&0xfffu)
#define VOLTAGE_LEVELS_SEGMENTED    (1u << 12)
#define VOLTAGE_LEVELS_REMAINING(f) ((f) >> 16)

#define VOLTAGE_LEVEL_SET_ASYNC (1u << 0)

struct voltage_priv {
	unsigned int num_domains;
	struct scmi_voltage_info *domains; /* [num_domains] */
	int32_t **levels;		   /* [num_domains], each owned here */
};

/* ---- VOLTAGE_DESCRIBE_LEVELS ------------------------------------------------- */

struct levels_walk {
	const struct scmi_protocol_handle *ph;
	uint32_t domain;
	unsigned int index; /* first entry of the reply being parsed */
	bool segmented;
	int32_t *levels;
	unsigned int cap;
};

static void levels_prepare(void *tx, unsigned int index, void *priv)
{
	struct levels_walk *w = priv;

	w->index = index;
	scmi_put_le32(tx, w->domain);
	scmi_put_le32((uint8_t *)tx + 4, index);
}

static int levels_bad(const struct levels_walk *w, const char *why)
{
	scmi_warn(&w->ph->inst->log, "voltage: domain %u: bad level description at %u: %s",
		  w->domain, w->index, why);
	return -EPROTO;
}

static int levels_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
			 unsigned int *remaining, size_t *entries_off, void *priv)
{
	struct levels_walk *w = priv;
	bool segmented;
	uint32_t flags;

	if (rx_len < 4)
		return levels_bad(w, "no count word");
	flags = scmi_get_le32(rx);
	*returned = VOLTAGE_LEVELS_RETURNED(flags);
	*remaining = VOLTAGE_LEVELS_REMAINING(flags);
	segmented = flags & VOLTAGE_LEVELS_SEGMENTED;
	*entries_off = 4;
	if ((rx_len - 4) / 4 < *returned)
		return levels_bad(w, "fewer levels than announced");
	if (w->index) {
		/* Only list replies continue; they must stay lists. */
		if (segmented)
			return levels_bad(w, "format changed");
		return 0;
	}
	/* A segment comes whole in the first reply (§4). */
	if (segmented && (*returned != 3 || *remaining))
		return levels_bad(w, "segment is not one triplet");
	if (!*returned && !*remaining)
		return levels_bad(w, "no levels");
	w->segmented = segmented;
	w->cap = *returned + *remaining;
	w->levels = calloc(w->cap, sizeof(*w->levels));
	return w->levels ? 0 : -ENOMEM;
}

static int levels_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
			unsigned int i, void *priv)
{
	struct levels_walk *w = priv;

	(void)i;
	if (*off > rx_len || rx_len - *off < 4 || index >= w->cap)
		return levels_bad(w, "entry out of bounds");
	w->levels[index] = (int32_t)scmi_get_le32(rx + *off);
	*off += 4;
	return 0;
}

static const struct scmi_iter_ops levels_iter_ops = {
	.prepare = levels_prepare,
	.update = levels_update,
	.entry = levels_entry,
};

/* Bounds of the @n levels listed, after checking a segment is one; @info
 * is filled only when the description is good. */
static int levels_finish(struct levels_walk *w, unsigned int n, struct scmi_voltage_info *info)
{
	int32_t min = w->levels[0], max = w->levels[0];

	if (w->segmented) {
		min = w->levels[SCMI_VOLTAGE_SEGMENT_LOW];
		max = w->levels[SCMI_VOLTAGE_SEGMENT_HIGH];
		if (min > max)
			return levels_bad(w, "segment low > high");
		if (w->levels[SCMI_VOLTAGE_SEGMENT_STEP] <= 0)
			return levels_bad(w, "segment step <= 0");
	}
	for (unsigned int i = 1; !w->segmented && i < n; i++) {
		if (w->levels[i] < min)
			min = w->levels[i];
		if (w->levels[i] > max)
			max = w->levels[i];
	}
	info->segmented = w->segmented;
	info->num_levels = n;
	info->levels_uv = w->levels;
	info->min_uv = min;
	info->max_uv = max;
	info->negative_volts_allowed = min < 0;
	return 0;
}

static int voltage_levels_discover(const struct scmi_protocol_handle *ph, uint32_t id,
				   struct scmi_voltage_info *info, int32_t **owned)
{
	struct levels_walk w = {.ph = ph, .domain = id};
	struct scmi_iter_desc desc = {
		.msg_id = VOLTAGE_DESCRIBE_LEVELS,
		.tx_size = 8,
		.ops = &levels_iter_ops,
	};
	unsigned int total = 0;
	int ret;

	/* A list may end before its announced size (OP-TEE miscounts
	 * "remaining"): the levels listed are the domain's. */
	ret = scmi_common_iter_run(ph, &desc, &w, &total);
	if (!ret && !total)
		ret = levels_bad(&w, "no levels");
	if (!ret)
		ret = levels_finish(&w, total, info);
	if (ret) {
		free(w.levels);
		return ret;
	}
	*owned = w.levels;
	return 0;
}

/* ---- bring-up ------------------------------------------------------------------ */

static int voltage_domain_discover(const struct scmi_protocol_handle *ph, uint32_t id,
				   struct scmi_voltage_info *info, int32_t **owned)
{
	uint8_t tx[4], rx[VOLTAGE_ATTR_REPLY_SIZE];
	uint32_t attr;
	int ret;

	info->id = id;
	scmi_put_le32(tx, id);
	ret = scmi_common_cmd(ph, VOLTAGE_DOMAIN_ATTRIBUTES, tx, sizeof(tx), rx, sizeof(rx),
			      sizeof(rx), NULL);
	if (ret)
		goto bad;
	/* A full 16-byte field has no NUL: at most 15 characters (§5). */
	scmi_copy_name(info->name, SCMI_SHORT_NAME_MAX_SIZE, rx + 4, SCMI_SHORT_NAME_MAX_SIZE);
	/* The attributes word is reserved in 1.0. */
	if (ph->version >= SCMI_PROTO_VERSION(2, 0)) {
		attr = scmi_get_le32(rx);
		info->async_level_set = attr & VOLTAGE_ATTR_ASYNC;
		if (attr & VOLTAGE_ATTR_EXT_NAME)
			info->extended_name =
				!scmi_common_ext_name_get(ph, VOLTAGE_DOMAIN_NAME_GET, id, NULL,
							  info->name, sizeof(info->name));
	}
	ret = voltage_levels_discover(ph, id, info, owned);
	if (!ret) {
		info->usable = true;
		return 0;
	}
bad:
	/* What the platform said about this domain disables it alone; no
	 * answer at all fails the bring-up (retried on the next call). */
	if (!scmi_common_bad_answer(ret))
		return ret;
	scmi_warn(&ph->inst->log, "voltage: domain %u disabled: %s", id, scmi_strerror(ret));
	return 0;
}

static void voltage_priv_free(struct voltage_priv *priv)
{
	if (!priv)
		return;
	for (unsigned int i = 0; priv->levels && i < priv->num_domains; i++)
		free(priv->levels[i]);
	free(priv->levels);
	free(priv->domains);
	free(priv);
}

static int voltage_init(struct scmi_protocol_handle *ph)
{
	struct voltage_priv *priv;
	uint8_t rx[4];
	int ret;

	ret = scmi_common_attributes(ph, rx, sizeof(rx), sizeof(rx));
	if (ret)
		return ret;
	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return -ENOMEM;
	priv->num_domains = scmi_get_le32(rx) & VOLTAGE_NUM_DOMAINS_MASK;
	priv->domains = calloc(priv->num_domains ? priv->num_domains : 1, sizeof(*priv->domains));
	priv->levels = calloc(priv->num_domains ? priv->num_domains : 1, sizeof(*priv->levels));
	if (!priv->domains || !priv->levels) {
		voltage_priv_free(priv);
		return -ENOMEM;
	}
	for (uint32_t d = 0; d < priv->num_domains; d++) {
		ret = voltage_domain_discover(ph, d, &priv->domains[d], &priv->levels[d]);
		if (ret) {
			voltage_priv_free(priv);
			return ret;
		}
	}
	ph->priv = priv;
	return 0;
}

static void voltage_deinit(struct scmi_protocol_handle *ph)
{
	voltage_priv_free(ph->priv);
	ph->priv = NULL;
}

/* ---- ops ------------------------------------------------------------------------ */

static void voltage_domains(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t)
{
	const struct voltage_priv *priv = ph->priv;

	*t = (struct scmi_domain_table){
		.proto = "voltage",
		.what = "domain",
		.base = priv->domains,
		.stride = sizeof(*priv->domains),
		.count = priv->num_domains,
		.usable_off = offsetof(struct scmi_voltage_info, usable),
	};
}

/* Bring the protocol up and look @domain up: -EINVAL for an unknown one,
 * -EPROTO for a domain disabled at discovery. */
static int voltage_domain_get(const struct scmi_handle *h, uint32_t domain,
			      struct scmi_protocol_handle **ph,
			      const struct scmi_voltage_info **info)
{
	return scmi_domain_get(h, SCMI_PROTOCOL_VOLTAGE, domain, true, ph, (const void **)info);
}

static int voltage_num_domains_get(const struct scmi_handle *h)
{
	return scmi_domain_count(h, SCMI_PROTOCOL_VOLTAGE);
}

static int voltage_info_get(const struct scmi_handle *h, uint32_t domain,
			    const struct scmi_voltage_info **info)
{
	return scmi_domain_info(h, SCMI_PROTOCOL_VOLTAGE, domain, (const void **)info);
}

/* Architectural modes other than OFF and ON are reserved (§6.8). */
static bool voltage_config_valid(uint32_t config)
{
	uint32_t mode = config & SCMI_VOLTAGE_CONFIG_MODE_MASK;

	if (config & ~SCMI_VOLTAGE_CONFIG_MODE_MASK)
		return false;
	return (mode & SCMI_VOLTAGE_CONFIG_IMPL_DEFINED) || mode == SCMI_VOLTAGE_CONFIG_OFF ||
	       mode == SCMI_VOLTAGE_CONFIG_ON;
}

static const struct scmi_req_msg config_set_msg = {
	.msg_id = VOLTAGE_CONFIG_SET,
};

static int voltage_config_set(const struct scmi_handle *h, uint32_t domain, uint32_t config)
{
	const struct scmi_voltage_info *info;
	struct scmi_protocol_handle *ph;
	uint8_t tx[8];
	int ret;

	ret = voltage_domain_get(h, domain, &ph, &info);
	if (ret)
		return ret;
	if (!voltage_config_valid(config)) {
		scmi_dbg_reason(&ph->inst->log, "voltage: reserved config 0x%x", config);
		return -EINVAL;
	}
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, domain);
	scmi_put_le32(tx + 4, config);
	return scmi_req_run(r, &config_set_msg, tx, sizeof(tx));
}

/* CONFIG_GET / LEVEL_GET: {domain} answered with one u32, written to the
 * caller's output kept here. */
struct get_u32_ctx {
	uint32_t *config; /* CONFIG_GET's output, or */
	int32_t *level;	  /* LEVEL_GET's */
};

static int get_u32_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct get_u32_ctx *c = SCMI_REQ_CTX(r, struct get_u32_ctx);
	uint32_t v;

	(void)len; /* >= rx_min */
	if (ret)
		return ret;
	v = scmi_get_le32(rx);
	if (c->config)
		*c->config = v;
	else
		*c->level = (int32_t)v;
	return 0;
}

static const struct scmi_req_msg config_get_msg = {
	.msg_id = VOLTAGE_CONFIG_GET,
	.rx_min = 4,
	.decode = get_u32_decode,
};

static const struct scmi_req_msg level_get_msg = {
	.msg_id = VOLTAGE_LEVEL_GET,
	.rx_min = 4,
	.decode = get_u32_decode,
};

/* One of the two gets: exactly one of @config and @level is set. */
static int voltage_get_u32(const struct scmi_handle *h, uint32_t domain,
			   const struct scmi_req_msg *msg, uint32_t *config, int32_t *level)
{
	const struct scmi_voltage_info *info;
	struct scmi_protocol_handle *ph;
	struct get_u32_ctx *c;
	uint8_t tx[4];
	int ret;

	if (!config && !level)
		return -EINVAL;
	ret = voltage_domain_get(h, domain, &ph, &info);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct get_u32_ctx);
	c->config = config;
	c->level = level;
	scmi_put_le32(tx, domain);
	return scmi_req_run(r, msg, tx, sizeof(tx));
}

static int voltage_config_get(const struct scmi_handle *h, uint32_t domain, uint32_t *config)
{
	if (!config)
		return -EINVAL;
	return voltage_get_u32(h, domain, &config_get_msg, config, NULL);
}

static int voltage_level_get(const struct scmi_handle *h, uint32_t domain, int32_t *level_uv)
{
	if (!level_uv)
		return -EINVAL;
	return voltage_get_u32(h, domain, &level_get_msg, NULL, level_uv);
}

/*
 * Is @uv a level of @info?  -ERANGE outside [min_uv, max_uv], -EINVAL for
 * a level inside that the domain does not have.
 */
static int voltage_level_check(const struct scmi_voltage_info *info, int32_t uv)
{
	int64_t off;

	if (uv < info->min_uv || uv > info->max_uv)
		return -ERANGE;
	if (info->segmented) {
		off = (int64_t)uv - info->levels_uv[SCMI_VOLTAGE_SEGMENT_LOW];
		return off % info->levels_uv[SCMI_VOLTAGE_SEGMENT_STEP] ? -EINVAL : 0;
	}
	for (unsigned int i = 0; i < info->num_levels; i++)
		if (info->levels_uv[i] == uv)
			return 0;
	return -EINVAL;
}

/* LEVEL_SET as a request: what the delayed response is checked against. */
struct level_set_ctx {
	uint32_t domain;
	int32_t level_uv;
};

/* The async form's delayed response must name the domain and level. */
static int level_set_dresp_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct level_set_ctx *c = SCMI_REQ_CTX(r, struct level_set_ctx);

	(void)len; /* >= rx_min */
	if (ret)
		return ret;
	if (scmi_get_le32(rx) != c->domain || (int32_t)scmi_get_le32(rx + 4) != c->level_uv) {
		scmi_warn(&scmi_req_ph(r)->inst->log,
			  "voltage: delayed response for domain %u level %d names domain %u "
			  "level %d",
			  c->domain, c->level_uv, scmi_get_le32(rx),
			  (int32_t)scmi_get_le32(rx + 4));
		return -EPROTO;
	}
	return 0;
}

static const struct scmi_req_msg level_set_sync_msg = {
	.msg_id = VOLTAGE_LEVEL_SET,
};

static const struct scmi_req_msg level_set_async_msg = {
	.msg_id = VOLTAGE_LEVEL_SET,
	.flags = SCMI_REQ_DRESP,
	.rx_min = 8,
	.decode = level_set_dresp_decode,
};

static int voltage_level_set(const struct scmi_handle *h, uint32_t domain,
			     enum scmi_voltage_level_mode mode, int32_t level_uv)
{
	const struct scmi_voltage_info *info;
	struct scmi_protocol_handle *ph;
	struct level_set_ctx *c;
	uint8_t tx[12];
	bool async;
	int ret;

	if (mode != SCMI_VOLTAGE_LEVEL_SET_SYNC && mode != SCMI_VOLTAGE_LEVEL_SET_ASYNC &&
	    mode != SCMI_VOLTAGE_LEVEL_SET_AUTO)
		return -EINVAL;
	ret = voltage_domain_get(h, domain, &ph, &info);
	if (ret)
		return ret;
	ret = voltage_level_check(info, level_uv);
	if (ret) {
		scmi_dbg_reason(&ph->inst->log, "voltage: domain %u has no level %d uV (%d..%d)",
				domain, level_uv, info->min_uv, info->max_uv);
		return ret;
	}
	if (mode == SCMI_VOLTAGE_LEVEL_SET_ASYNC &&
	    (!info->async_level_set || !scmi_proto_has_p2a(ph))) {
		scmi_dbg_reason(&ph->inst->log, "voltage: domain %u has no async level set%s",
				domain, info->async_level_set ? " (no P2A channel)" : "");
		return -EOPNOTSUPP;
	}
	/* AUTO: synchronous when no delayed response can come (no P2A). */
	async = mode != SCMI_VOLTAGE_LEVEL_SET_SYNC && info->async_level_set &&
		scmi_proto_has_p2a(ph);
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct level_set_ctx);
	c->domain = domain;
	c->level_uv = level_uv;
	scmi_put_le32(tx, domain);
	scmi_put_le32(tx + 4, async ? VOLTAGE_LEVEL_SET_ASYNC : 0);
	scmi_put_le32(tx + 8, (uint32_t)level_uv);
	return scmi_req_run(r, async ? &level_set_async_msg : &level_set_sync_msg, tx, sizeof(tx));
}

static const struct scmi_voltage_ops voltage_ops = {
	.count_get = voltage_num_domains_get,
	.info_get = voltage_info_get,
	.config_set = voltage_config_set,
	.config_get = voltage_config_get,
	.level_set = voltage_level_set,
	.level_get = voltage_level_get,
};

const struct scmi_protocol scmi_voltage_protocol = {
	.id = SCMI_PROTOCOL_VOLTAGE,
	.supported_version = SCMI_PROTO_VERSION(2, 1),
	.ops_offset = offsetof(struct scmi_handle, voltage_ops),
	.ops = &voltage_ops,
	.init = voltage_init,
	.deinit = voltage_deinit,
	.domains = voltage_domains,
};

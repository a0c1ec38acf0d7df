// SPDX-License-Identifier: BSD-3-Clause
/*
 * Power capping and monitoring protocol (0x18), spec digest §6.9; versions
 * 1.0 and 2.0 share their message layouts, 2.0 adds "a cap of 0 disables
 * capping".
 *
 * Bring-up discovers every domain (attributes, extended name), applies the
 * sanity rules documented in the public header, validates the parent tree,
 * maps the fastchannels the platform offers and registers the two events.
 * All of that is immutable afterwards.  A domain whose attributes the
 * platform refuses or answers malformed, or whose cap range is unusable, is
 * disabled alone: usable = false, err says why, its ops return -EPROTO and
 * its events are dropped (docs/PROTOCOLS.md, "Leniency").  The mutable part is small: the last
 * non-zero cap known per domain (an atomic, for cap_enable_set()) and the
 * measurement thresholds with their platform-side enable state (pc->lock).
 */
#include <errno.h>
#include <stdlib.h>

#include <scmi/protocols/powercap.h>

#include "../notify.h"
#include "../protocols.h"

#define POWERCAP_DOMAIN_ATTRIBUTES    0x3
#define POWERCAP_CAP_GET	      0x4
#define POWERCAP_CAP_SET	      0x5
#define POWERCAP_PAI_GET	      0x6
#define POWERCAP_PAI_SET	      0x7
#define POWERCAP_DOMAIN_NAME_GET      0x8
#define POWERCAP_MEASUREMENTS_GET     0x9
#define POWERCAP_CAP_NOTIFY	      0xa
#define POWERCAP_MEASUREMENTS_NOTIFY  0xb
#define POWERCAP_DESCRIBE_FASTCHANNEL 0xc

#define PC_NUM_DOMAINS_MASK 0xffffu

/* DOMAIN_ATTRIBUTES attributes word. */
#define PC_ATTR_NOTIFY_CAP  (1u << 31)
#define PC_ATTR_NOTIFY_MEAS (1u << 30)
#define PC_ATTR_ASYNC	    (1u << 29)
#define PC_ATTR_EXT_NAME    (1u << 28)
#define PC_ATTR_CAP_CONFIG  (1u << 27)
#define PC_ATTR_MONITORING  (1u << 26)
#define PC_ATTR_PAI_CONFIG  (1u << 25)
/* b[24:23] as Linux reads it; SCP-firmware uses b[25:24] (unverified). */
#define PC_ATTR_UNIT(a)	     (((a) >> 23) & 0x3u)
#define PC_ATTR_FASTCHANNELS (1u << 22)
#define PC_UNIT_RESERVED     3u

/* DOMAIN_ATTRIBUTES reply data (after the status). */
#define PC_DA_ATTR	  0
#define PC_DA_NAME	  4
#define PC_DA_MIN_PAI	  20
#define PC_DA_MAX_PAI	  24
#define PC_DA_PAI_STEP	  28
#define PC_DA_MIN_CAP	  32
#define PC_DA_MAX_CAP	  36
#define PC_DA_CAP_STEP	  40
#define PC_DA_SUSTAINABLE 44
#define PC_DA_ACCURACY	  48
#define PC_DA_PARENT	  52
#define PC_DA_SIZE	  56

/* CAP_SET flags. */
#define PC_CAP_SET_IGNORE_DRESP (1u << 0)
#define PC_CAP_SET_ASYNC	(1u << 1)

#define PC_NOTIFY_ENABLE (1u << 0)

#define PC_CAP_CHANGED_SIZE  16 /* agent_id, domain_id, power_cap, pai */
#define PC_MEAS_CHANGED_SIZE 12 /* agent_id, domain_id, power */

#define PC_FC_SIZE 4

/* Fastchannels a domain may have, in SCMI_POWERCAP_FC_* bit order. */
enum pc_fc {
	PC_FC_CAP_GET,
	PC_FC_CAP_SET,
	PC_FC_PAI_GET,
	PC_FC_PAI_SET,
	PC_FC_COUNT,
};

static const uint8_t pc_fc_msg[PC_FC_COUNT] = {
	[PC_FC_CAP_GET] = POWERCAP_CAP_GET,
	[PC_FC_CAP_SET] = POWERCAP_CAP_SET,
	[PC_FC_PAI_GET] = POWERCAP_PAI_GET,
	[PC_FC_PAI_SET] = POWERCAP_PAI_SET,
};

struct pc_domain {
	struct scmi_powercap_info info;
	struct scmi_fastchannel fc[PC_FC_COUNT];
	/* Last non-zero cap seen (set, read, notified); 0: none yet. */
	_Atomic uint32_t last_cap;
	/* Protected by pc_priv.lock. */
	uint32_t thresh_low, thresh_high;
	bool meas_notify_on; /* MEASUREMENTS_NOTIFY enabled at the platform */
};

struct pc_priv {
	unsigned int num_domains;
	struct pc_domain *domains;
	uint32_t *children; /* every domain's children, grouped by parent */
	bool v2;
	/* Serialises threshold changes with MEASUREMENTS_NOTIFY enables; held
	 * while that command is sent, so the platform always has the latest
	 * thresholds once a change returns. */
	pthread_mutex_t lock;
};

/* ---- discovery ---------------------------------------------------------------- */

static void pc_check_range(struct scmi_protocol_handle *ph, struct scmi_powercap_info *pi,
			   const char *what, uint32_t min, uint32_t max, uint32_t step,
			   bool *config, uint32_t bad_range, uint32_t bad_config,
			   uint32_t bad_fixed)
{
	struct scmi_logger *log = &ph->inst->log;

	if (!min || !max || min > max) {
		scmi_warn(log, "powercap: domain %u: bad %s range %u..%u", pi->id, what, min, max);
		pi->problems |= bad_range;
		*config = false;
		return;
	}
	if (*config && (min == max || !step)) {
		scmi_warn(log,
			  "powercap: domain %u: configurable %s with range %u..%u step %u; "
			  "treated as fixed",
			  pi->id, what, min, max, step);
		pi->problems |= bad_config;
		*config = false;
	} else if (!*config && min != max) {
		scmi_warn(log, "powercap: domain %u: fixed %s with range %u..%u", pi->id, what, min,
			  max);
		pi->problems |= bad_fixed;
	}
}

static void pc_sanity(struct scmi_protocol_handle *ph, struct scmi_powercap_info *pi)
{
	pc_check_range(ph, pi, "cap", pi->min_power_cap, pi->max_power_cap, pi->power_cap_step,
		       &pi->cap_config, SCMI_POWERCAP_BAD_CAP_RANGE, SCMI_POWERCAP_BAD_CAP_CONFIG,
		       SCMI_POWERCAP_BAD_CAP_FIXED);
	pc_check_range(ph, pi, "PAI", pi->min_pai, pi->max_pai, pi->pai_step, &pi->pai_config,
		       SCMI_POWERCAP_BAD_PAI_RANGE, SCMI_POWERCAP_BAD_PAI_CONFIG,
		       SCMI_POWERCAP_BAD_PAI_FIXED);
	pi->usable = !(pi->problems & SCMI_POWERCAP_BAD_CAP_RANGE);
	if (!pi->usable) {
		pi->err = -EPROTO;
		scmi_warn(&ph->inst->log, "powercap: domain %u disabled: %s (no usable cap range)",
			  pi->id, scmi_strerror(pi->err));
	}
}

static int pc_domain_attributes(struct scmi_protocol_handle *ph, struct pc_domain *d,
				bool notify_cap_cmd, bool notify_meas_cmd)
{
	struct scmi_powercap_info *pi = &d->info;
	uint8_t tx[4], rx[PC_DA_SIZE];
	uint32_t attr;
	int ret;

	scmi_put_le32(tx, pi->id);
	ret = scmi_common_cmd(ph, POWERCAP_DOMAIN_ATTRIBUTES, tx, sizeof(tx), rx, sizeof(rx),
			      sizeof(rx), NULL);
	if (ret) {
		/* What the platform said about this domain disables it alone;
		 * no answer at all fails the bring-up (retried later).  With
		 * no attributes it is a root: its parent is unknown. */
		if (!scmi_common_bad_answer(ret))
			return ret;
		scmi_warn(&ph->inst->log, "powercap: domain %u disabled: %s", pi->id,
			  scmi_strerror(ret));
		pi->err = ret;
		pi->parent_id = pi->raw_parent_id = SCMI_POWERCAP_ROOT;
		return 0;
	}
	attr = scmi_get_le32(rx + PC_DA_ATTR);
	pi->attributes = attr;
	/* Per-domain notify bits count only if the command exists (§3.2). */
	pi->notify_cap_change = notify_cap_cmd && (attr & PC_ATTR_NOTIFY_CAP);
	pi->notify_measurement_change = notify_meas_cmd && (attr & PC_ATTR_NOTIFY_MEAS);
	pi->async_cap_set = attr & PC_ATTR_ASYNC;
	pi->cap_config = attr & PC_ATTR_CAP_CONFIG;
	pi->monitoring = attr & PC_ATTR_MONITORING;
	pi->pai_config = attr & PC_ATTR_PAI_CONFIG;
	pi->fastchannels = attr & PC_ATTR_FASTCHANNELS;
	if (PC_ATTR_UNIT(attr) == PC_UNIT_RESERVED) {
		scmi_warn(&ph->inst->log, "powercap: domain %u: reserved power unit 3", pi->id);
		pi->problems |= SCMI_POWERCAP_BAD_UNIT;
		pi->unit = SCMI_POWERCAP_UNIT_ABSTRACT;
	} else {
		pi->unit = (enum scmi_powercap_unit)PC_ATTR_UNIT(attr);
	}
	/* A full 16-byte field has no NUL: at most 15 characters (§5). */
	scmi_copy_name(pi->name, SCMI_SHORT_NAME_MAX_SIZE, rx + PC_DA_NAME,
		       SCMI_SHORT_NAME_MAX_SIZE);
	pi->min_pai = scmi_get_le32(rx + PC_DA_MIN_PAI);
	pi->max_pai = scmi_get_le32(rx + PC_DA_MAX_PAI);
	pi->pai_step = scmi_get_le32(rx + PC_DA_PAI_STEP);
	pi->min_power_cap = scmi_get_le32(rx + PC_DA_MIN_CAP);
	pi->max_power_cap = scmi_get_le32(rx + PC_DA_MAX_CAP);
	pi->power_cap_step = scmi_get_le32(rx + PC_DA_CAP_STEP);
	pi->sustainable_power = scmi_get_le32(rx + PC_DA_SUSTAINABLE);
	pi->accuracy = scmi_get_le32(rx + PC_DA_ACCURACY);
	pi->raw_parent_id = scmi_get_le32(rx + PC_DA_PARENT);
	pi->parent_id = pi->raw_parent_id;

	/* On failure the short name stays (§5). */
	if (attr & PC_ATTR_EXT_NAME)
		scmi_common_ext_name_get(ph, POWERCAP_DOMAIN_NAME_GET, pi->id, NULL, pi->name,
					 sizeof(pi->name));
	pc_sanity(ph, pi);
	return 0;
}

/*
 * Make the parent links a forest: unknown parents become roots, and each
 * cycle is cut where, walking from the lowest id, a link leads back into
 * the walk.  Every domain is visited once (mark = id + 1 of the walk that
 * reached it), so this is linear in the number of domains.
 */
static int pc_parents_validate(struct scmi_protocol_handle *ph, struct pc_priv *pc)
{
	unsigned int n = pc->num_domains;
	uint32_t *mark = calloc(n, sizeof(*mark));

	if (!mark)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct scmi_powercap_info *pi = &pc->domains[i].info;

		if (pi->parent_id != SCMI_POWERCAP_ROOT && pi->parent_id >= n) {
			scmi_warn(&ph->inst->log, "powercap: domain %u: unknown parent %u", i,
				  pi->parent_id);
			pi->problems |= SCMI_POWERCAP_BAD_PARENT;
			pi->parent_id = SCMI_POWERCAP_ROOT;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		uint32_t x = i, prev = i;

		while (x != SCMI_POWERCAP_ROOT && !mark[x]) {
			mark[x] = i + 1;
			prev = x;
			x = pc->domains[x].info.parent_id;
		}
		if (x != SCMI_POWERCAP_ROOT && mark[x] == i + 1) {
			struct scmi_powercap_info *pi = &pc->domains[prev].info;

			scmi_warn(&ph->inst->log,
				  "powercap: domain %u: parent %u closes a cycle; made a root",
				  prev, pi->parent_id);
			pi->problems |= SCMI_POWERCAP_BAD_PARENT;
			pi->parent_id = SCMI_POWERCAP_ROOT;
		}
	}
	free(mark);
	return 0;
}

/* Children lists: one array, grouped by parent, ascending within a group. */
static int pc_children_build(struct pc_priv *pc)
{
	unsigned int n = pc->num_domains, pos = 0;

	pc->children = calloc(n ? n : 1, sizeof(*pc->children));
	if (!pc->children)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		uint32_t parent = pc->domains[i].info.parent_id;

		if (parent != SCMI_POWERCAP_ROOT)
			pc->domains[parent].info.num_children++;
	}
	for (unsigned int i = 0; i < n; i++) {
		pc->domains[i].info.children = pc->children + pos;
		pos += pc->domains[i].info.num_children;
		pc->domains[i].info.num_children = 0;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint32_t parent = pc->domains[i].info.parent_id;
		struct scmi_powercap_info *pp;

		if (parent == SCMI_POWERCAP_ROOT)
			continue;
		pp = &pc->domains[parent].info;
		pc->children[(pp->children - pc->children) + pp->num_children++] = i;
	}
	return 0;
}

/*
 * Map the fastchannels the platform offers for @d.  Set channels only where
 * the value is configurable: a write the platform must refuse would be lost
 * without a status.  Any failure leaves that operation on messages.
 */
static void pc_fastchannels_init(struct scmi_protocol_handle *ph, struct pc_domain *d,
				 const bool msg_fc[PC_FC_COUNT])
{
	struct scmi_powercap_info *pi = &d->info;

	for (unsigned int f = 0; f < PC_FC_COUNT; f++) {
		int ret;

		if (!msg_fc[f] || (f == PC_FC_CAP_SET && !pi->cap_config) ||
		    (f == PC_FC_PAI_SET && !pi->pai_config))
			continue;
		ret = scmi_fastchannel_init(ph, POWERCAP_DESCRIBE_FASTCHANNEL, pi->id, pc_fc_msg[f],
					    PC_FC_SIZE, &d->fc[f]);
		if (!ret)
			pi->fc_mask |= 1u << f;
		else if (ret != -EOPNOTSUPP)
			scmi_warn(&ph->inst->log,
				  "powercap: domain %u: fastchannel for message 0x%x: %s; "
				  "using messages",
				  pi->id, pc_fc_msg[f], scmi_strerror(ret));
	}
}

/* Which messages the platform serves through fastchannels (§2.8). */
static void pc_fc_probe(struct scmi_protocol_handle *ph, bool msg_fc[PC_FC_COUNT])
{
	bool describe = scmi_common_msg_supported(ph, POWERCAP_DESCRIBE_FASTCHANNEL);

	for (unsigned int f = 0; f < PC_FC_COUNT; f++) {
		uint32_t attr = 0;

		msg_fc[f] = describe && !scmi_common_msg_attributes(ph, pc_fc_msg[f], &attr) &&
			    (attr & 1u);
	}
}

static void pc_free(struct scmi_protocol_handle *ph, struct pc_priv *pc)
{
	if (!pc)
		return;
	for (unsigned int i = 0; pc->domains && i < pc->num_domains; i++)
		for (unsigned int f = 0; f < PC_FC_COUNT; f++)
			scmi_fastchannel_release(ph, &pc->domains[i].fc[f]);
	pthread_mutex_destroy(&pc->lock);
	free(pc->children);
	free(pc->domains);
	free(pc);
}

static const struct scmi_protocol_events pc_protocol_events;

static int pc_init(struct scmi_protocol_handle *ph)
{
	bool notify_cap_cmd, notify_meas_cmd, any_fc = false, msg_fc[PC_FC_COUNT] = {false};
	struct pc_priv *pc;
	uint8_t rx[4];
	int ret;

	ret = scmi_common_attributes(ph, rx, sizeof(rx), sizeof(rx));
	if (ret)
		return ret;
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	pthread_mutex_init(&pc->lock, NULL);
	pc->v2 = SCMI_PROTO_VERSION_MAJOR(ph->version) >= 2;
	pc->num_domains = scmi_get_le32(rx) & PC_NUM_DOMAINS_MASK;
	pc->domains = calloc(pc->num_domains ? pc->num_domains : 1, sizeof(*pc->domains));
	if (!pc->domains) {
		ret = -ENOMEM;
		goto fail;
	}

	notify_cap_cmd = scmi_common_msg_supported(ph, POWERCAP_CAP_NOTIFY);
	notify_meas_cmd = scmi_common_msg_supported(ph, POWERCAP_MEASUREMENTS_NOTIFY);
	for (unsigned int i = 0; i < pc->num_domains; i++) {
		pc->domains[i].info.id = i;
		ret = pc_domain_attributes(ph, &pc->domains[i], notify_cap_cmd, notify_meas_cmd);
		if (ret) {
			scmi_warn(&ph->inst->log, "powercap: DOMAIN_ATTRIBUTES(%u): %s", i,
				  scmi_strerror(ret));
			goto fail;
		}
		any_fc |= pc->domains[i].info.fastchannels && pc->domains[i].info.usable;
	}
	ret = pc_parents_validate(ph, pc);
	if (!ret)
		ret = pc_children_build(pc);
	if (ret)
		goto fail;

	if (any_fc)
		pc_fc_probe(ph, msg_fc);
	for (unsigned int i = 0; i < pc->num_domains; i++)
		if (pc->domains[i].info.fastchannels && pc->domains[i].info.usable)
			pc_fastchannels_init(ph, &pc->domains[i], msg_fc);

	ph->priv = pc;
	/* No domains, no sources: nothing to register (listeners stay pending). */
	if (!pc->num_domains)
		return 0;
	ret = scmi_notify_protocol_register(ph, &pc_protocol_events, pc->num_domains);
	if (!ret)
		return 0;
	ph->priv = NULL;
fail:
	pc_free(ph, pc);
	return ret;
}

static void pc_deinit(struct scmi_protocol_handle *ph)
{
	pc_free(ph, ph->priv);
	ph->priv = NULL;
}

/* ---- helpers of the ops --------------------------------------------------------- */

static void pc_domains(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t)
{
	const struct pc_priv *pc = ph->priv;

	*t = (struct scmi_domain_table){
		.proto = "powercap",
		.what = "domain",
		.base = pc->domains,
		.stride = sizeof(*pc->domains),
		.count = pc->num_domains,
		.usable_off = offsetof(struct pc_domain, info) +
			      offsetof(struct scmi_powercap_info, usable),
	};
}

/*
 * Bring the protocol up and find a usable domain: -EINVAL for an unknown
 * one, -EPROTO for one disabled at discovery.  The domain's mutable parts
 * (last_cap, the thresholds) are ours to change.
 */
static int pc_domain_get(const struct scmi_handle *h, uint32_t domain_id,
			 struct scmi_protocol_handle **php, struct pc_domain **dp)
{
	const void *d;
	int ret;

	ret = scmi_domain_get(h, SCMI_PROTOCOL_POWERCAP, domain_id, true, php, &d);
	if (!ret)
		*dp = (struct pc_domain *)(uintptr_t)d;
	return ret;
}

static void pc_last_cap_note(struct pc_domain *d, uint32_t cap)
{
	if (cap)
		atomic_store_explicit(&d->last_cap, cap, memory_order_relaxed);
}

/* Is @v one of min, min + step ... max? */
static bool pc_value_valid(uint32_t v, uint32_t min, uint32_t max, uint32_t step)
{
	return v >= min && v <= max && (!step || (v - min) % step == 0);
}

static void pc_fc_set(struct pc_domain *d, enum pc_fc f, uint32_t v)
{
	scmi_fastchannel_write32(&d->fc[f], 0, v);
	scmi_fastchannel_ring_doorbell(&d->fc[f]);
}

static bool pc_has_fc(const struct pc_domain *d, enum pc_fc f)
{
	return d->info.fc_mask & (1u << f);
}

/*
 * The context of every powercap request: the domain, the value being set,
 * and the caller's outputs (those the op has; the others are NULL).
 */
struct pc_ctx {
	struct pc_domain *d;
	uint32_t *out;	    /* cap_get, pai_get */
	bool *enable;	    /* cap_enable_get */
	uint32_t *power;    /* measurements_get */
	uint32_t *pai;	    /* measurements_get */
	uint32_t cap;	    /* CAP_SET: the cap sent */
	uint32_t low, high; /* MEASUREMENTS_NOTIFY: the thresholds sent */
	bool note;	    /* a cap read: note it as the last cap */
	bool locked;	    /* MEASUREMENTS_NOTIFY: pc->lock held by the caller */
};

/* CAP_GET / PAI_GET: a u32 at +0 into the outputs. */
static int pc_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct pc_ctx *c = SCMI_REQ_CTX(r, struct pc_ctx);
	uint32_t v;

	(void)len;
	if (ret)
		return ret;
	v = scmi_get_le32(rx);
	if (c->note)
		pc_last_cap_note(c->d, v);
	if (c->out)
		*c->out = v;
	if (c->enable)
		*c->enable = v != 0;
	return 0;
}

static const struct scmi_req_msg pc_cap_get_msg = {
	.msg_id = POWERCAP_CAP_GET,
	.rx_min = 4,
	.decode = pc_get_decode,
};

static const struct scmi_req_msg pc_pai_get_msg = {
	.msg_id = POWERCAP_PAI_GET,
	.rx_min = 4,
	.decode = pc_get_decode,
};

/*
 * A u32 read by message (CAP_GET or PAI_GET, with @c's outputs set by the
 * caller), or from fastchannel @f when mapped: then the outputs are
 * written here and the op completes without the platform.
 */
static int pc_get_u32(const struct scmi_protocol_handle *ph, struct pc_domain *d, enum pc_fc f,
		      const struct pc_ctx *want)
{
	const struct scmi_req_msg *msg = f == PC_FC_CAP_GET ? &pc_cap_get_msg : &pc_pai_get_msg;
	struct pc_ctx *c;
	uint8_t tx[4];

	if (pc_has_fc(d, f)) {
		uint32_t v = scmi_fastchannel_read32(&d->fc[f], 0);

		if (want->note)
			pc_last_cap_note(d, v);
		if (want->out)
			*want->out = v;
		if (want->enable)
			*want->enable = v != 0;
		return 0;
	}
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct pc_ctx);
	*c = *want;
	c->d = d;
	scmi_put_le32(tx, d->info.id);
	return scmi_req_run(r, msg, tx, sizeof(tx));
}

/* CAP_SET answered (synchronously, or asynchronously without a delayed
 * response). */
static int pc_cap_set_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct pc_ctx *c = SCMI_REQ_CTX(r, struct pc_ctx);

	(void)rx;
	(void)len;
	if (!ret)
		pc_last_cap_note(c->d, c->cap);
	return ret;
}

/* CAP_SET completed by its delayed response {domain, cap}. */
static int pc_cap_set_dresp_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct pc_ctx *c = SCMI_REQ_CTX(r, struct pc_ctx);

	(void)len;
	if (ret)
		return ret;
	if (scmi_get_le32(rx) != c->d->info.id || scmi_get_le32(rx + 4) != c->cap) {
		scmi_warn(&scmi_req_ph(r)->inst->log,
			  "powercap: CAP_SET(%u, %u): delayed response for domain %u cap %u",
			  c->d->info.id, c->cap, scmi_get_le32(rx), scmi_get_le32(rx + 4));
		return -EPROTO;
	}
	pc_last_cap_note(c->d, c->cap);
	return 0;
}

static const struct scmi_req_msg pc_cap_set_msg = {
	.msg_id = POWERCAP_CAP_SET,
	.decode = pc_cap_set_decode,
};

static const struct scmi_req_msg pc_cap_set_dresp_msg = {
	.msg_id = POWERCAP_CAP_SET,
	.flags = SCMI_REQ_DRESP,
	.rx_min = 8,
	.decode = pc_cap_set_dresp_decode,
};

/* May the cap of @d be set to @cap?  0, -EOPNOTSUPP or -EINVAL (logged). */
static int pc_cap_check(const struct scmi_protocol_handle *ph, const struct pc_domain *d,
			uint32_t cap)
{
	const struct pc_priv *pc = ph->priv;
	const struct scmi_powercap_info *pi = &d->info;

	if (!pi->cap_config) {
		scmi_dbg_reason(&ph->inst->log, "powercap: domain %u: cap not configurable",
				pi->id);
		return -EOPNOTSUPP;
	}
	if (!(pc->v2 && cap == 0) &&
	    !pc_value_valid(cap, pi->min_power_cap, pi->max_power_cap, pi->power_cap_step)) {
		scmi_dbg_reason(&ph->inst->log, "powercap: domain %u: cap %u not in %u..%u step %u",
				pi->id, cap, pi->min_power_cap, pi->max_power_cap,
				pi->power_cap_step);
		return -EINVAL;
	}
	return 0;
}

/*
 * Set the (checked) cap @cap of @d: through the fastchannel when mapped
 * (done here: returns NULL), else the CAP_SET message to send, its payload
 * in @tx.  Async where the domain allows it; without a P2A channel the
 * delayed response cannot come: ask for none (ignore_dresp), or use the
 * synchronous form.
 */
static const struct scmi_req_msg *pc_cap_set_prepare(const struct scmi_protocol_handle *ph,
						     struct pc_domain *d, uint32_t cap,
						     bool ignore_dresp, uint8_t tx[12])
{
	uint32_t flags = 0;

	if (pc_has_fc(d, PC_FC_CAP_SET)) {
		pc_fc_set(d, PC_FC_CAP_SET, cap);
		pc_last_cap_note(d, cap);
		return NULL;
	}
	if (d->info.async_cap_set && (ignore_dresp || scmi_proto_has_p2a(ph)))
		flags = PC_CAP_SET_ASYNC | (ignore_dresp ? PC_CAP_SET_IGNORE_DRESP : 0);
	scmi_put_le32(tx, d->info.id);
	scmi_put_le32(tx + 4, flags);
	scmi_put_le32(tx + 8, cap);
	return (flags & PC_CAP_SET_ASYNC) && !ignore_dresp ? &pc_cap_set_dresp_msg
							   : &pc_cap_set_msg;
}

/* Set the cap of @d to @cap (checked): fastchannel, or one request. */
static int pc_cap_set_run(const struct scmi_protocol_handle *ph, struct pc_domain *d, uint32_t cap,
			  bool ignore_dresp)
{
	const struct scmi_req_msg *msg;
	struct pc_ctx *c;
	uint8_t tx[12];

	msg = pc_cap_set_prepare(ph, d, cap, ignore_dresp, tx);
	if (!msg)
		return 0;
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct pc_ctx);
	c->d = d;
	c->cap = cap;
	return scmi_req_run(r, msg, tx, sizeof(tx));
}

/* ---- ops ------------------------------------------------------------------------- */

static int pc_num_domains_get(const struct scmi_handle *h)
{
	return scmi_domain_count(h, SCMI_PROTOCOL_POWERCAP);
}

static int pc_info_get(const struct scmi_handle *h, uint32_t domain_id,
		       const struct scmi_powercap_info **info)
{
	struct scmi_protocol_handle *ph;
	const void *d;
	int ret;

	if (!info)
		return -EINVAL;
	/* A disabled domain is described all the same. */
	ret = scmi_domain_get(h, SCMI_PROTOCOL_POWERCAP, domain_id, false, &ph, &d);
	if (!ret)
		*info = &((const struct pc_domain *)d)->info;
	return ret;
}

static int pc_cap_get(const struct scmi_handle *h, uint32_t domain_id, uint32_t *power_cap)
{
	struct scmi_protocol_handle *ph;
	struct pc_domain *d;
	int ret;

	if (!power_cap)
		return -EINVAL;
	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (ret)
		return ret;
	return pc_get_u32(ph, d, PC_FC_CAP_GET, &(struct pc_ctx){.out = power_cap, .note = true});
}

static int pc_cap_set(const struct scmi_handle *h, uint32_t domain_id, uint32_t power_cap,
		      bool ignore_dresp)
{
	struct scmi_protocol_handle *ph;
	struct pc_domain *d;
	int ret;

	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (!ret)
		ret = pc_cap_check(ph, d, power_cap);
	if (ret)
		return ret;
	return pc_cap_set_run(ph, d, power_cap, ignore_dresp);
}

/*
 * cap_enable_set(true) with no cap known: CAP_GET says whether capping is
 * on already; if not, CAP_SET the least restrictive cap on the same
 * request.
 */
static int pc_enable_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct scmi_protocol_handle *ph = scmi_req_ph(r);
	struct pc_ctx *c = SCMI_REQ_CTX(r, struct pc_ctx);
	const struct scmi_req_msg *msg;
	uint8_t tx[12];
	uint32_t cap;

	(void)len;
	if (ret)
		return ret;
	if (scmi_get_le32(rx))
		return 0; /* already enabled */
	cap = c->d->info.max_power_cap;
	ret = pc_cap_check(ph, c->d, cap);
	if (ret)
		return ret;
	msg = pc_cap_set_prepare(ph, c->d, cap, false, tx);
	if (!msg)
		return 0;
	c->cap = cap;
	ret = scmi_req_next(r, msg, tx, sizeof(tx));
	return ret ? ret : SCMI_REQ_AGAIN;
}

static const struct scmi_req_msg pc_enable_get_msg = {
	.msg_id = POWERCAP_CAP_GET,
	.rx_min = 4,
	.decode = pc_enable_get_decode,
};

static int pc_cap_enable_set(const struct scmi_handle *h, uint32_t domain_id, bool enable)
{
	struct scmi_protocol_handle *ph;
	struct pc_domain *d;
	struct pc_ctx *c;
	uint8_t tx[4];
	uint32_t cap;
	int ret;

	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (ret)
		return ret;
	if (!d->info.cap_config)
		return -EOPNOTSUPP;
	if (!((struct pc_priv *)ph->priv)->v2) {
		/* 1.0 has no "capping disabled" state. */
		return enable ? 0 : -EOPNOTSUPP;
	}
	cap = enable ? atomic_load_explicit(&d->last_cap, memory_order_relaxed) : 0;
	if (!enable || cap) {
		ret = pc_cap_check(ph, d, cap);
		return ret ? ret : pc_cap_set_run(ph, d, cap, false);
	}
	if (pc_has_fc(d, PC_FC_CAP_GET)) {
		if (scmi_fastchannel_read32(&d->fc[PC_FC_CAP_GET], 0))
			return 0; /* already enabled */
		cap = d->info.max_power_cap;
		ret = pc_cap_check(ph, d, cap);
		return ret ? ret : pc_cap_set_run(ph, d, cap, false);
	}
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct pc_ctx);
	c->d = d;
	scmi_put_le32(tx, d->info.id);
	return scmi_req_run(r, &pc_enable_get_msg, tx, sizeof(tx));
}

static int pc_cap_enable_get(const struct scmi_handle *h, uint32_t domain_id, bool *enable)
{
	struct scmi_protocol_handle *ph;
	struct pc_domain *d;
	int ret;

	if (!enable)
		return -EINVAL;
	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (ret)
		return ret;
	if (!((struct pc_priv *)ph->priv)->v2) {
		*enable = true;
		return 0;
	}
	return pc_get_u32(ph, d, PC_FC_CAP_GET, &(struct pc_ctx){.enable = enable, .note = true});
}

static int pc_pai_get(const struct scmi_handle *h, uint32_t domain_id, uint32_t *pai)
{
	struct scmi_protocol_handle *ph;
	struct pc_domain *d;
	int ret;

	if (!pai)
		return -EINVAL;
	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (ret)
		return ret;
	return pc_get_u32(ph, d, PC_FC_PAI_GET, &(struct pc_ctx){.out = pai});
}

static const struct scmi_req_msg pc_pai_set_msg = {
	.msg_id = POWERCAP_PAI_SET,
};

static int pc_pai_set(const struct scmi_handle *h, uint32_t domain_id, uint32_t pai)
{
	struct scmi_protocol_handle *ph;
	const struct scmi_powercap_info *pi;
	struct pc_domain *d;
	uint8_t tx[12];
	int ret;

	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (ret)
		return ret;
	pi = &d->info;
	if (!pi->pai_config) {
		scmi_dbg_reason(&ph->inst->log, "powercap: domain %u: PAI not configurable",
				domain_id);
		return -EOPNOTSUPP;
	}
	if (!pc_value_valid(pai, pi->min_pai, pi->max_pai, pi->pai_step)) {
		scmi_dbg_reason(&ph->inst->log, "powercap: domain %u: PAI %u not in %u..%u step %u",
				domain_id, pai, pi->min_pai, pi->max_pai, pi->pai_step);
		return -EINVAL;
	}
	if (pc_has_fc(d, PC_FC_PAI_SET)) {
		pc_fc_set(d, PC_FC_PAI_SET, pai);
		return 0;
	}
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, domain_id);
	scmi_put_le32(tx + 4, 0); /* flags: reserved */
	scmi_put_le32(tx + 8, pai);
	return scmi_req_run(r, &pc_pai_set_msg, tx, sizeof(tx));
}

static int pc_measurements_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct pc_ctx *c = SCMI_REQ_CTX(r, struct pc_ctx);

	(void)len;
	if (ret)
		return ret;
	if (c->power)
		*c->power = scmi_get_le32(rx);
	if (c->pai)
		*c->pai = scmi_get_le32(rx + 4);
	return 0;
}

static const struct scmi_req_msg pc_measurements_msg = {
	.msg_id = POWERCAP_MEASUREMENTS_GET,
	.rx_min = 8,
	.decode = pc_measurements_decode,
};

static int pc_measurements_get(const struct scmi_handle *h, uint32_t domain_id, uint32_t *power,
			       uint32_t *pai)
{
	struct scmi_protocol_handle *ph;
	struct pc_domain *d;
	struct pc_ctx *c;
	uint8_t tx[4];
	int ret;

	if (!power && !pai)
		return -EINVAL;
	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (ret)
		return ret;
	if (!d->info.monitoring) {
		scmi_dbg_reason(&ph->inst->log, "powercap: domain %u: no power monitoring",
				domain_id);
		return -EOPNOTSUPP;
	}
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct pc_ctx);
	c->power = power;
	c->pai = pai;
	scmi_put_le32(tx, domain_id);
	return scmi_req_run(r, &pc_measurements_msg, tx, sizeof(tx));
}

/* MEASUREMENTS_NOTIFY with the domain's thresholds (the notification
 * core's enables: blocking, pc->lock held). */
static int pc_meas_notify_send(const struct scmi_protocol_handle *ph, const struct pc_domain *d,
			       bool enable, uint32_t low, uint32_t high)
{
	uint8_t tx[16];

	scmi_put_le32(tx, d->info.id);
	scmi_put_le32(tx + 4, enable ? PC_NOTIFY_ENABLE : 0);
	scmi_put_le32(tx + 8, low);
	scmi_put_le32(tx + 12, high);
	return scmi_common_cmd(ph, POWERCAP_MEASUREMENTS_NOTIFY, tx, sizeof(tx), NULL, 0, 0, NULL);
}

/* measurements_threshold_set()'s MEASUREMENTS_NOTIFY accepted: the new
 * thresholds are the domain's.  A blocking caller holds pc->lock. */
static int pc_thresholds_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct pc_priv *pc = scmi_req_ph(r)->priv;
	struct pc_ctx *c = SCMI_REQ_CTX(r, struct pc_ctx);

	(void)rx;
	(void)len;
	if (ret)
		return ret;
	if (!c->locked)
		pthread_mutex_lock(&pc->lock);
	c->d->thresh_low = c->low;
	c->d->thresh_high = c->high;
	if (!c->locked)
		pthread_mutex_unlock(&pc->lock);
	return 0;
}

static const struct scmi_req_msg pc_thresholds_msg = {
	.msg_id = POWERCAP_MEASUREMENTS_NOTIFY,
	.decode = pc_thresholds_decode,
};

/*
 * Blocking, pc->lock is held from the check of the notification's state
 * to the platform's answer, so the platform always has the latest
 * thresholds once a change returns.  Non-blocking, the lock cannot be held
 * across the transfer: it is taken for the check and again by decode to
 * store the thresholds, and the change completes when the platform has
 * accepted them (see the header).
 */
static int pc_measurements_threshold_set(const struct scmi_handle *h, uint32_t domain_id,
					 uint32_t low, uint32_t high)
{
	struct scmi_protocol_handle *ph;
	struct pc_domain *d;
	struct pc_priv *pc;
	struct pc_ctx *c;
	uint8_t tx[16];
	bool locked;
	int ret;

	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (ret)
		return ret;
	if (!d->info.notify_measurement_change) {
		scmi_dbg_reason(&ph->inst->log, "powercap: domain %u: no measurement notifications",
				domain_id);
		return -EOPNOTSUPP;
	}
	if (low > high || (!low && !high)) {
		scmi_dbg_reason(&ph->inst->log, "powercap: domain %u: bad thresholds %u..%u",
				domain_id, low, high);
		return -EINVAL;
	}
	pc = ph->priv;
	pthread_mutex_lock(&pc->lock);
	if (!d->meas_notify_on) {
		/* Not enabled: the platform learns them when it is. */
		d->thresh_low = low;
		d->thresh_high = high;
		pthread_mutex_unlock(&pc->lock);
		return 0;
	}
	pthread_mutex_unlock(&pc->lock);

	SCMI_REQ(r, ph);
	locked = !scmi_req_is_async(r);
	c = SCMI_REQ_CTX(r, struct pc_ctx);
	c->d = d;
	c->low = low;
	c->high = high;
	c->locked = locked;
	if (locked) {
		pthread_mutex_lock(&pc->lock);
		if (!d->meas_notify_on) {
			/* Disabled meanwhile (blocking only: nothing to send). */
			d->thresh_low = low;
			d->thresh_high = high;
			pthread_mutex_unlock(&pc->lock);
			return 0;
		}
	}
	/* Enabled: the platform must learn the new thresholds now. */
	scmi_put_le32(tx, d->info.id);
	scmi_put_le32(tx + 4, PC_NOTIFY_ENABLE);
	scmi_put_le32(tx + 8, low);
	scmi_put_le32(tx + 12, high);
	ret = scmi_req_run(r, &pc_thresholds_msg, tx, sizeof(tx));
	if (locked)
		pthread_mutex_unlock(&pc->lock);
	return ret;
}

static int pc_measurements_threshold_get(const struct scmi_handle *h, uint32_t domain_id,
					 uint32_t *low, uint32_t *high)
{
	struct scmi_protocol_handle *ph;
	struct pc_domain *d;
	struct pc_priv *pc;
	int ret;

	if (!low || !high)
		return -EINVAL;
	ret = pc_domain_get(h, domain_id, &ph, &d);
	if (ret)
		return ret;
	pc = ph->priv;
	pthread_mutex_lock(&pc->lock);
	*low = d->thresh_low;
	*high = d->thresh_high;
	pthread_mutex_unlock(&pc->lock);
	return 0;
}

static const struct scmi_powercap_ops pc_ops = {
	.count_get = pc_num_domains_get,
	.info_get = pc_info_get,
	.cap_get = pc_cap_get,
	.cap_set = pc_cap_set,
	.cap_enable_set = pc_cap_enable_set,
	.cap_enable_get = pc_cap_enable_get,
	.pai_get = pc_pai_get,
	.pai_set = pc_pai_set,
	.measurements_get = pc_measurements_get,
	.measurements_threshold_set = pc_measurements_threshold_set,
	.measurements_threshold_get = pc_measurements_threshold_get,
};

/* ---- notifications ---------------------------------------------------------------- */

static int pc_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				 uint32_t src_id, bool enable)
{
	struct pc_priv *pc = ph->priv;
	struct pc_domain *d;
	int ret;

	if (src_id >= pc->num_domains)
		return -EINVAL;
	d = &pc->domains[src_id];
	if (!d->info.usable)
		return -EPROTO;
	switch (evt_id) {
	case SCMI_EVENT_POWERCAP_CAP_CHANGED:
		if (!d->info.notify_cap_change)
			return -EOPNOTSUPP;
		return scmi_common_notify_cmd(ph, POWERCAP_CAP_NOTIFY, src_id, enable);
	case SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED:
		if (!d->info.notify_measurement_change)
			return -EOPNOTSUPP;
		pthread_mutex_lock(&pc->lock);
		if (enable && !d->thresh_low && !d->thresh_high) {
			scmi_dbg_reason(&ph->inst->log,
					"powercap: domain %u: set measurement thresholds before "
					"enabling their notification",
					src_id);
			ret = -EINVAL;
		} else {
			ret = pc_meas_notify_send(ph, d, enable, d->thresh_low, d->thresh_high);
			/* A failed disable leaves the platform unknown: stop
			 * refreshing it anyway, nobody listens any more. */
			if (!ret || !enable)
				d->meas_notify_on = enable;
		}
		pthread_mutex_unlock(&pc->lock);
		return ret;
	default:
		return -EINVAL;
	}
}

static int pc_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id, const void *payld,
			  size_t payld_sz, void *report, uint32_t *src_id)
{
	struct pc_priv *pc = ph->priv;
	const uint8_t *p = payld;
	uint32_t dom;

	switch (evt_id) {
	case SCMI_EVENT_POWERCAP_CAP_CHANGED: {
		struct scmi_powercap_cap_changed_report *r = report;

		if (payld_sz != PC_CAP_CHANGED_SIZE)
			return -EPROTO;
		dom = scmi_get_le32(p + 4);
		/* A domain the platform made up, or one disabled. */
		if (dom >= pc->num_domains || !pc->domains[dom].info.usable)
			return -EPROTO;
		r->agent_id = scmi_get_le32(p);
		r->domain_id = dom;
		r->power_cap = scmi_get_le32(p + 8);
		r->pai = scmi_get_le32(p + 12);
		pc_last_cap_note(&pc->domains[dom], r->power_cap);
		break;
	}
	case SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED: {
		struct scmi_powercap_meas_changed_report *r = report;

		if (payld_sz != PC_MEAS_CHANGED_SIZE)
			return -EPROTO;
		dom = scmi_get_le32(p + 4);
		if (dom >= pc->num_domains || !pc->domains[dom].info.usable)
			return -EPROTO;
		r->agent_id = scmi_get_le32(p);
		r->domain_id = dom;
		r->power = scmi_get_le32(p + 8);
		break;
	}
	default:
		return -EPROTO;
	}
	*src_id = dom;
	return 0;
}

static const struct scmi_event pc_events[] = {
	{
		.id = SCMI_EVENT_POWERCAP_CAP_CHANGED,
		.max_payld_sz = PC_CAP_CHANGED_SIZE,
		.max_report_sz = sizeof(struct scmi_powercap_cap_changed_report),
	},
	{
		.id = SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED,
		.max_payld_sz = PC_MEAS_CHANGED_SIZE,
		.max_report_sz = sizeof(struct scmi_powercap_meas_changed_report),
	},
};

static const struct scmi_event_ops pc_event_ops = {
	.set_notify_enabled = pc_set_notify_enabled,
	.fill_report = pc_fill_report,
};

static const struct scmi_protocol_events pc_protocol_events = {
	.ops = &pc_event_ops,
	.evts = pc_events,
	.num_events = ARRAY_SIZE(pc_events),
};

const struct scmi_protocol scmi_powercap_protocol = {
	.id = SCMI_PROTOCOL_POWERCAP,
	.supported_version = SCMI_PROTO_VERSION(2, 0),
	.ops_offset = offsetof(struct scmi_handle, powercap_ops),
	.ops = &pc_ops,
	.init = pc_init,
	.deinit = pc_deinit,
	.domains = pc_domains,
};

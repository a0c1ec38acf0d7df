// SPDX-License-Identifier: BSD-3-Clause
/*
 * Performance domain management (0x13), spec digest §6.4, with fastchannels
 * (§2.8), the multi-part DESCRIBE_LEVELS (§4) and extended names (§5).
 *
 * Everything discovery finds is read once at bring-up into ph->priv and is
 * immutable afterwards: the ops read it without locks.  A domain the
 * platform describes badly (attributes refused or malformed, a level table
 * malformed, empty or ambiguous) is disabled, not the protocol: usable =
 * false, its ops return -EPROTO, its events are dropped (docs/PROTOCOLS.md,
 * "Leniency").  Only the
 * fastchannel "set" writes share state (channel words, doorbell registers),
 * serialised by perf_priv.fc_lock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <scmi/protocols/perf.h>

#include "../notify.h"
#include "../protocols.h"
#include "../trace.h"

#define PERF_DOMAIN_ATTRIBUTES	  0x3
#define PERF_DESCRIBE_LEVELS	  0x4
#define PERF_LIMITS_SET		  0x5
#define PERF_LIMITS_GET		  0x6
#define PERF_LEVEL_SET		  0x7
#define PERF_LEVEL_GET		  0x8
#define PERF_NOTIFY_LIMITS	  0x9
#define PERF_NOTIFY_LEVEL	  0xa
#define PERF_DESCRIBE_FASTCHANNEL 0xb
#define PERF_DOMAIN_NAME_GET	  0xc

#define PERF_V2 SCMI_PROTO_VERSION(2, 0)
#define PERF_V3 SCMI_PROTO_VERSION(3, 0)
#define PERF_V4 SCMI_PROTO_VERSION(4, 0)

/* PROTOCOL_ATTRIBUTES */
#define PERF_PA_NUM_DOMAINS(a) ((a)&0xffffu)
#define PERF_PA_POWER_MW       (1u << 16)
#define PERF_PA_POWER_UW       (1u << 17) /* v3.0+ */
#define PERF_PA_SIZE	       16	  /* attributes, stats lo/hi, stats_len */

/* PERFORMANCE_DOMAIN_ATTRIBUTES */
#define PERF_DA_SET_LIMITS     (1u << 31)
#define PERF_DA_SET_LEVEL      (1u << 30)
#define PERF_DA_LIMITS_NOTIFY  (1u << 29)
#define PERF_DA_LEVEL_NOTIFY   (1u << 28)
#define PERF_DA_FASTCHANNEL    (1u << 27) /* v2.0+ */
#define PERF_DA_EXT_NAME       (1u << 26) /* v3.0+ */
#define PERF_DA_LEVEL_INDEXING (1u << 25) /* v4.0+ */
#define PERF_DA_RATE_LIMIT(r)  ((r)&0xfffffu)
#define PERF_DA_SIZE	       32 /* 4 words + 16-byte name */
#define PERF_DA_NAME_OFF       16

/* PERFORMANCE_DESCRIBE_LEVELS */
#define PERF_DL_RETURNED(c)  ((c)&0xfffu)
#define PERF_DL_REMAINING(c) ((c) >> 16)
#define PERF_DL_ENTRY_V1     12
#define PERF_DL_ENTRY_V4     20
#define PERF_DL_LATENCY(a)   ((a)&0xffffu)

#define PERF_EVT_LIMITS_SIZE 16
#define PERF_EVT_LEVEL_SIZE  12

/* Frequency factor when the platform gives no sustained values (Linux). */
#define PERF_DEFAULT_MULT_FACTOR 1000u

/* The four fastchannel-capable messages, by enum scmi_perf_fc. */
static const struct {
	uint8_t msg_id;
	size_t size;
} perf_fc_desc[] = {
	[SCMI_PERF_FC_LEVEL_SET] = {PERF_LEVEL_SET, 4},
	[SCMI_PERF_FC_LEVEL_GET] = {PERF_LEVEL_GET, 4},
	[SCMI_PERF_FC_LIMITS_SET] = {PERF_LIMITS_SET, 8},
	[SCMI_PERF_FC_LIMITS_GET] = {PERF_LIMITS_GET, 8},
};

#define PERF_FC_NUM ARRAY_SIZE(perf_fc_desc)

struct perf_dom {
	struct scmi_perf_domain_info info;
	struct scmi_perf_level *levels; /* info.levels, owned */
	struct scmi_fastchannel fc[PERF_FC_NUM];
};

struct perf_priv {
	struct scmi_perf_info info;
	struct perf_dom *doms;
	/*
	 * Serialises writes to "set" fastchannels and their doorbells: a
	 * limits write is two words, and ringing a doorbell with a preserve
	 * mask reads the register back, which the platform may share between
	 * channels (even of different domains).
	 */
	pthread_mutex_t fc_lock;
};

/* ---- lookups (cache only, no messages) --------------------------------------- */

static bool perf_v(const struct scmi_protocol_handle *ph, uint32_t version)
{
	return ph->version >= version;
}

/* The table entry of level value @perf (binary search: sorted by perf). */
static const struct scmi_perf_level *perf_level_by_perf(const struct perf_dom *d, uint32_t perf)
{
	unsigned int lo = 0, hi = d->info.num_levels;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (d->levels[mid].perf == perf)
			return &d->levels[mid];
		if (d->levels[mid].perf < perf)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct scmi_perf_level *perf_level_by_index(const struct perf_dom *d, uint32_t index)
{
	for (unsigned int i = 0; i < d->info.num_levels; i++)
		if (d->levels[i].level_index == index)
			return &d->levels[i];
	return NULL;
}

/* Level value -> wire value.  -EINVAL when the platform cannot have it. */
static int perf_to_wire(const struct scmi_protocol_handle *ph, const struct perf_dom *d,
			uint32_t perf, uint32_t *wire)
{
	const struct scmi_perf_level *l;

	if (d->info.level_indexing) {
		l = perf_level_by_perf(d, perf);
		if (!l) {
			scmi_dbg_reason(&ph->inst->log, "perf: domain %u has no level %u",
					d->info.id, perf);
			return -EINVAL;
		}
		*wire = l->level_index;
		return 0;
	}
	if (perf < d->levels[0].perf || perf > d->levels[d->info.num_levels - 1].perf) {
		scmi_dbg_reason(&ph->inst->log, "perf: domain %u level %u outside %u..%u",
				d->info.id, perf, d->levels[0].perf,
				d->levels[d->info.num_levels - 1].perf);
		return -EINVAL;
	}
	*wire = perf;
	return 0;
}

/* Wire value from the platform -> level value.  -EPROTO for an index the
 * table does not have. */
static int perf_from_wire(const struct scmi_protocol_handle *ph, const struct perf_dom *d,
			  uint32_t wire, uint32_t *perf)
{
	const struct scmi_perf_level *l;

	if (!d->info.level_indexing) {
		*perf = wire;
		return 0;
	}
	l = perf_level_by_index(d, wire);
	if (!l) {
		scmi_warn(&ph->inst->log, "perf: domain %u: platform sent unknown level index %u",
			  d->info.id, wire);
		return -EPROTO;
	}
	*perf = l->perf;
	return 0;
}

/* perf x factor, saturated: a platform's sustained values are arbitrary
 * u32s, and their product can exceed 64 bits. */
static uint64_t perf_mul_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t perf_freq(const struct perf_dom *d, uint32_t perf)
{
	const struct scmi_perf_level *l;

	if (!d->info.level_indexing)
		return perf_mul_sat(perf, d->info.mult_factor_hz);
	l = perf_level_by_perf(d, perf);
	return l ? l->freq_hz : 0;
}

/* ---- discovery --------------------------------------------------------------- */

static int perf_protocol_attributes(struct scmi_protocol_handle *ph, struct perf_priv *priv)
{
	uint8_t rx[PERF_PA_SIZE];
	size_t rx_len;
	uint32_t attr;
	int ret;

	ret = scmi_common_cmd(ph, SCMI_MSG_PROTOCOL_ATTRIBUTES, NULL, 0, rx, 4, sizeof(rx),
			      &rx_len);
	if (ret)
		return ret;
	attr = scmi_get_le32(rx);
	priv->info.version = ph->version;
	priv->info.platform_version = ph->platform_version;
	priv->info.num_domains = PERF_PA_NUM_DOMAINS(attr);
	if (perf_v(ph, PERF_V3) && (attr & PERF_PA_POWER_UW))
		priv->info.power_unit = SCMI_PERF_POWER_UW;
	else if (attr & PERF_PA_POWER_MW)
		priv->info.power_unit = SCMI_PERF_POWER_MW;
	else
		priv->info.power_unit = SCMI_PERF_POWER_ABSTRACT;
	/* The statistics area is optional information: keep going without. */
	if (rx_len >= PERF_PA_SIZE) {
		priv->info.stats_addr = scmi_get_le64(rx + 4);
		priv->info.stats_len = scmi_get_le32(rx + 12);
	}
	return 0;
}

struct perf_levels_walk {
	const struct scmi_protocol_handle *ph;
	struct perf_dom *d;
	size_t entry_size;
};

static void perf_levels_prepare(void *tx, unsigned int index, void *priv)
{
	struct perf_levels_walk *w = priv;

	scmi_put_le32(tx, w->d->info.id);
	scmi_put_le32((uint8_t *)tx + 4, index);
}

static int perf_levels_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
			      unsigned int *remaining, size_t *entries_off, void *priv)
{
	struct perf_levels_walk *w = priv;
	unsigned int total;
	uint32_t count;

	if (rx_len < 4)
		return -EPROTO;
	count = scmi_get_le32(rx);
	*returned = PERF_DL_RETURNED(count);
	*remaining = PERF_DL_REMAINING(count);
	*entries_off = 4;
	if (rx_len < 4 + (size_t)*returned * w->entry_size) {
		scmi_warn(&w->ph->inst->log, "perf: domain %u: %u levels in %zu bytes",
			  w->d->info.id, *returned, rx_len);
		return -EPROTO;
	}
	if (w->d->levels)
		return 0; /* the walker keeps the entries within the table */
	/* First reply: size the table once, as the walker caps it (more
	 * levels than SCMI_PERF_MAX_LEVELS fail when they come). */
	total = *returned + *remaining;
	if (!total) {
		scmi_warn(&w->ph->inst->log, "perf: domain %u: no levels", w->d->info.id);
		return -EPROTO;
	}
	if (total > SCMI_PERF_MAX_LEVELS)
		total = SCMI_PERF_MAX_LEVELS;
	w->d->levels = calloc(total, sizeof(*w->d->levels));
	return w->d->levels ? 0 : -ENOMEM;
}

static int perf_levels_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
			     unsigned int i, void *priv)
{
	struct perf_levels_walk *w = priv;
	struct scmi_perf_level *l = &w->d->levels[index];
	const uint8_t *e = rx + *off;

	(void)i;
	if (*off + w->entry_size > rx_len)
		return -EPROTO;
	l->perf = scmi_get_le32(e);
	l->power_cost = scmi_get_le32(e + 4);
	l->latency_us = PERF_DL_LATENCY(scmi_get_le32(e + 8));
	if (w->entry_size == PERF_DL_ENTRY_V4) {
		l->indicative_khz = scmi_get_le32(e + 12);
		l->level_index = scmi_get_le32(e + 16);
	} else {
		l->level_index = index;
	}
	*off += w->entry_size;
	return 0;
}

static const struct scmi_iter_ops perf_levels_ops = {
	.prepare = perf_levels_prepare,
	.update = perf_levels_update,
	.entry = perf_levels_entry,
};

static int perf_level_cmp(const void *a, const void *b)
{
	const struct scmi_perf_level *x = a, *y = b;

	return x->perf < y->perf ? -1 : x->perf > y->perf;
}

/* Sort the table, reject what would make lookups ambiguous, and derive
 * the frequencies. */
static int perf_levels_finish(const struct scmi_protocol_handle *ph, struct perf_dom *d)
{
	struct scmi_perf_domain_info *info = &d->info;

	qsort(d->levels, info->num_levels, sizeof(*d->levels), perf_level_cmp);
	for (unsigned int i = 0; i < info->num_levels; i++) {
		struct scmi_perf_level *l = &d->levels[i];

		if (i && l->perf == d->levels[i - 1].perf) {
			scmi_warn(&ph->inst->log, "perf: domain %u lists level %u twice", info->id,
				  l->perf);
			return -EPROTO;
		}
		if (info->level_indexing && perf_level_by_index(d, l->level_index) != l) {
			scmi_warn(&ph->inst->log, "perf: domain %u lists level index %u twice",
				  info->id, l->level_index);
			return -EPROTO;
		}
		l->freq_hz = info->level_indexing ? (uint64_t)l->indicative_khz * 1000
						  : perf_mul_sat(l->perf, info->mult_factor_hz);
		if (l->latency_us > info->max_latency_us)
			info->max_latency_us = l->latency_us;
	}
	return 0;
}

static int perf_levels_discover(const struct scmi_protocol_handle *ph, struct perf_dom *d)
{
	struct perf_levels_walk w = {
		.ph = ph,
		.d = d,
		.entry_size = perf_v(ph, PERF_V4) ? PERF_DL_ENTRY_V4 : PERF_DL_ENTRY_V1,
	};
	const struct scmi_iter_desc desc = {
		.msg_id = PERF_DESCRIBE_LEVELS,
		.tx_size = 8,
		.max_entries = SCMI_PERF_MAX_LEVELS,
		.ops = &perf_levels_ops,
	};
	unsigned int total = 0;
	int ret;

	/* A table may end before its announced size (a miscounted
	 * "remaining"): the levels listed are the domain's. */
	ret = scmi_common_iter_run(ph, &desc, &w, &total);
	if (!ret && !total) {
		scmi_warn(&ph->inst->log, "perf: domain %u: no levels listed", d->info.id);
		ret = -EPROTO;
	}
	if (!ret) {
		d->info.num_levels = total;
		d->info.levels = d->levels;
		ret = perf_levels_finish(ph, d);
	}
	if (ret) {
		free(d->levels);
		d->levels = NULL;
		d->info.levels = NULL;
		d->info.num_levels = 0;
		d->info.max_latency_us = 0;
	}
	return ret;
}

static void perf_mult_factor(struct scmi_perf_domain_info *info)
{
	if (info->level_indexing)
		info->mult_factor_hz = 1000; /* applied to indicative kHz */
	else if (info->sustained_freq_khz && info->sustained_perf_level)
		info->mult_factor_hz =
			(uint64_t)info->sustained_freq_khz * 1000 / info->sustained_perf_level;
	else
		info->mult_factor_hz = PERF_DEFAULT_MULT_FACTOR;
}

static int perf_domain_discover(const struct scmi_protocol_handle *ph, struct perf_dom *d,
				uint32_t dom)
{
	struct scmi_perf_domain_info *info = &d->info;
	uint8_t tx[4], rx[PERF_DA_SIZE];
	uint32_t attr;
	int ret;

	info->id = dom;
	scmi_put_le32(tx, dom);
	ret = scmi_common_cmd(ph, PERF_DOMAIN_ATTRIBUTES, tx, sizeof(tx), rx, sizeof(rx),
			      sizeof(rx), NULL);
	if (ret)
		return ret;
	attr = scmi_get_le32(rx);
	info->can_set_limits = attr & PERF_DA_SET_LIMITS;
	info->can_set_level = attr & PERF_DA_SET_LEVEL;
	info->limits_notify = attr & PERF_DA_LIMITS_NOTIFY;
	info->level_notify = attr & PERF_DA_LEVEL_NOTIFY;
	/* Bits a version does not define are reserved there: ignore them. */
	info->fastchannels = perf_v(ph, PERF_V2) && (attr & PERF_DA_FASTCHANNEL);
	info->level_indexing = perf_v(ph, PERF_V4) && (attr & PERF_DA_LEVEL_INDEXING);
	info->rate_limit_us = PERF_DA_RATE_LIMIT(scmi_get_le32(rx + 4));
	info->sustained_freq_khz = scmi_get_le32(rx + 8);
	info->sustained_perf_level = scmi_get_le32(rx + 12);
	scmi_copy_name(info->name, sizeof(info->name), rx + PERF_DA_NAME_OFF,
		       SCMI_SHORT_NAME_MAX_SIZE);
	/* On failure the short name stays (as Linux does). */
	if (perf_v(ph, PERF_V3) && (attr & PERF_DA_EXT_NAME) &&
	    scmi_common_ext_name_get(ph, PERF_DOMAIN_NAME_GET, dom, NULL, info->name,
				     sizeof(info->name)))
		scmi_warn(&ph->inst->log, "perf: domain %u: keeping short name '%s'", dom,
			  info->name);
	perf_mult_factor(info);
	return perf_levels_discover(ph, d);
}

/*
 * Discover domain @dom.  What the platform said about it (a refusal, a
 * malformed or bad description) disables it alone, with a warning; no
 * answer at all fails the bring-up (retried on the next call).
 */
static int perf_domain_setup(const struct scmi_protocol_handle *ph, struct perf_dom *d,
			     uint32_t dom)
{
	int ret = perf_domain_discover(ph, d, dom);

	if (!ret) {
		d->info.usable = true;
		return 0;
	}
	if (!scmi_common_bad_answer(ret))
		return ret;
	scmi_warn(&ph->inst->log, "perf: domain %u disabled: %s", dom, scmi_strerror(ret));
	return 0;
}

/* Map the fastchannels of @d the platform offers for the messages in
 * @fc_msgs; any failure leaves that message on the message path. */
static void perf_fc_setup(const struct scmi_protocol_handle *ph, struct perf_dom *d,
			  const bool *fc_msgs)
{
	struct scmi_perf_domain_info *info = &d->info;

	for (size_t k = 0; k < PERF_FC_NUM; k++) {
		struct scmi_fastchannel *fc = &d->fc[k];
		int ret;

		if (!fc_msgs[k] || (k == SCMI_PERF_FC_LEVEL_SET && !info->can_set_level) ||
		    (k == SCMI_PERF_FC_LIMITS_SET && !info->can_set_limits))
			continue;
		ret = scmi_fastchannel_init(ph, PERF_DESCRIBE_FASTCHANNEL, info->id,
					    perf_fc_desc[k].msg_id, perf_fc_desc[k].size, fc);
		if (ret || !fc->chan) {
			scmi_dbg(
				&ph->inst->log,
				"perf: domain %u message 0x%x: no fastchannel (%s), using messages",
				info->id, perf_fc_desc[k].msg_id, scmi_strerror(ret));
			memset(fc, 0, sizeof(*fc));
			continue;
		}
		info->fc[k].mapped = true;
		info->fc[k].db_width = fc->db ? fc->db_width : 0;
		info->fc[k].rate_limit_us = fc->rate_limit_us;
	}
}

static void perf_fastchannels_discover(const struct scmi_protocol_handle *ph,
				       struct perf_priv *priv)
{
	bool fc_msgs[PERF_FC_NUM] = {false}, any = false;
	uint32_t attr;

	/* DESCRIBE_FASTCHANNEL came with 2.0. */
	if (!perf_v(ph, PERF_V2))
		return;
	for (unsigned int i = 0; i < priv->info.num_domains && !any; i++)
		any = priv->doms[i].info.fastchannels && priv->doms[i].info.usable;
	if (!any)
		return;
	for (size_t k = 0; k < PERF_FC_NUM; k++)
		fc_msgs[k] = !scmi_common_msg_attributes(ph, perf_fc_desc[k].msg_id, &attr) &&
			     (attr & 1u);
	for (unsigned int i = 0; i < priv->info.num_domains; i++)
		if (priv->doms[i].info.fastchannels && priv->doms[i].info.usable)
			perf_fc_setup(ph, &priv->doms[i], fc_msgs);
}

/* ---- notifications ---------------------------------------------------------- */

static int perf_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				   uint32_t src_id, bool enable)
{
	const struct perf_priv *priv = ph->priv;
	const struct perf_dom *d;
	uint8_t msg_id;
	bool supported;

	if (src_id >= priv->info.num_domains)
		return -EINVAL;
	d = &priv->doms[src_id];
	if (!d->info.usable)
		return -EPROTO;
	switch (evt_id) {
	case SCMI_EVENT_PERF_LIMITS_CHANGED:
		supported = d->info.limits_notify;
		msg_id = PERF_NOTIFY_LIMITS;
		break;
	case SCMI_EVENT_PERF_LEVEL_CHANGED:
		supported = d->info.level_notify;
		msg_id = PERF_NOTIFY_LEVEL;
		break;
	default:
		return -EINVAL;
	}
	if (!supported)
		return -EOPNOTSUPP; /* the notification core logs one line for all sources */
	return scmi_common_notify_cmd(ph, msg_id, src_id, enable);
}

/* The domain named in a payload, or NULL when the platform made it up (or
 * it is disabled: its levels cannot be read). */
static const struct perf_dom *perf_evt_domain(const struct scmi_protocol_handle *ph,
					      const uint8_t *p)
{
	const struct perf_priv *priv = ph->priv;
	uint32_t dom = scmi_get_le32(p + 4);

	if (dom >= priv->info.num_domains || !priv->doms[dom].info.usable)
		return NULL;
	return &priv->doms[dom];
}

static int perf_fill_limits(const struct scmi_protocol_handle *ph, const uint8_t *p, size_t len,
			    struct scmi_perf_limits_report *r, uint32_t *src_id)
{
	const struct perf_dom *d;

	if (len != PERF_EVT_LIMITS_SIZE || !(d = perf_evt_domain(ph, p)))
		return -EPROTO;
	if (perf_from_wire(ph, d, scmi_get_le32(p + 8), &r->range_max) ||
	    perf_from_wire(ph, d, scmi_get_le32(p + 12), &r->range_min))
		return -EPROTO;
	r->agent_id = scmi_get_le32(p);
	r->domain_id = d->info.id;
	r->range_max_freq_hz = perf_freq(d, r->range_max);
	r->range_min_freq_hz = perf_freq(d, r->range_min);
	*src_id = d->info.id;
	return 0;
}

static int perf_fill_level(const struct scmi_protocol_handle *ph, const uint8_t *p, size_t len,
			   struct scmi_perf_level_report *r, uint32_t *src_id)
{
	const struct perf_dom *d;

	if (len != PERF_EVT_LEVEL_SIZE || !(d = perf_evt_domain(ph, p)))
		return -EPROTO;
	if (perf_from_wire(ph, d, scmi_get_le32(p + 8), &r->performance_level))
		return -EPROTO;
	r->agent_id = scmi_get_le32(p);
	r->domain_id = d->info.id;
	r->freq_hz = perf_freq(d, r->performance_level);
	*src_id = d->info.id;
	return 0;
}

static int perf_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id,
			    const void *payld, size_t payld_sz, void *report, uint32_t *src_id)
{
	switch (evt_id) {
	case SCMI_EVENT_PERF_LIMITS_CHANGED:
		return perf_fill_limits(ph, payld, payld_sz, report, src_id);
	case SCMI_EVENT_PERF_LEVEL_CHANGED:
		return perf_fill_level(ph, payld, payld_sz, report, src_id);
	default:
		return -EPROTO;
	}
}

static const struct scmi_event perf_events[] = {
	{
		.id = SCMI_EVENT_PERF_LIMITS_CHANGED,
		.max_payld_sz = PERF_EVT_LIMITS_SIZE,
		.max_report_sz = sizeof(struct scmi_perf_limits_report),
	},
	{
		.id = SCMI_EVENT_PERF_LEVEL_CHANGED,
		.max_payld_sz = PERF_EVT_LEVEL_SIZE,
		.max_report_sz = sizeof(struct scmi_perf_level_report),
	},
};

static const struct scmi_event_ops perf_event_ops = {
	.set_notify_enabled = perf_set_notify_enabled,
	.fill_report = perf_fill_report,
};

static const struct scmi_protocol_events perf_protocol_events = {
	.ops = &perf_event_ops,
	.evts = perf_events,
	.num_events = ARRAY_SIZE(perf_events),
};

/* ---- bring-up and teardown -------------------------------------------------- */

static void perf_priv_free(const struct scmi_protocol_handle *ph, struct perf_priv *priv)
{
	if (!priv)
		return;
	for (unsigned int i = 0; priv->doms && i < priv->info.num_domains; i++) {
		for (size_t k = 0; k < PERF_FC_NUM; k++)
			if (priv->doms[i].fc[k].chan)
				scmi_fastchannel_release(ph, &priv->doms[i].fc[k]);
		free(priv->doms[i].levels);
	}
	free(priv->doms);
	pthread_mutex_destroy(&priv->fc_lock);
	free(priv);
}

static int perf_init(struct scmi_protocol_handle *ph)
{
	struct perf_priv *priv = calloc(1, sizeof(*priv));
	bool notify_limits, notify_level;
	int ret;

	if (!priv)
		return -ENOMEM;
	pthread_mutex_init(&priv->fc_lock, NULL);
	ret = perf_protocol_attributes(ph, priv);
	if (ret)
		goto fail;
	priv->doms =
		calloc(priv->info.num_domains ? priv->info.num_domains : 1, sizeof(*priv->doms));
	if (!priv->doms) {
		ret = -ENOMEM;
		goto fail;
	}
	/* Per-domain "notify supported" bits count only if the platform
	 * implements the command (as Linux checks). */
	notify_limits = scmi_common_msg_supported(ph, PERF_NOTIFY_LIMITS);
	notify_level = scmi_common_msg_supported(ph, PERF_NOTIFY_LEVEL);
	for (unsigned int i = 0; i < priv->info.num_domains; i++) {
		struct perf_dom *d = &priv->doms[i];

		ret = perf_domain_setup(ph, d, i);
		if (ret)
			goto fail;
		d->info.limits_notify &= notify_limits;
		d->info.level_notify &= notify_level;
	}
	perf_fastchannels_discover(ph, priv);
	ph->priv = priv;
	if (!priv->info.num_domains)
		return 0; /* nothing can emit events */
	ret = scmi_notify_protocol_register(ph, &perf_protocol_events, priv->info.num_domains);
	if (!ret)
		return 0;
	ph->priv = NULL;
fail:
	perf_priv_free(ph, priv);
	return ret;
}

static void perf_deinit(struct scmi_protocol_handle *ph)
{
	perf_priv_free(ph, ph->priv);
	ph->priv = NULL;
}

/* ---- ops -------------------------------------------------------------------- */

/*
 * Every op that sends a message is one request (lib/request.h): checked
 * first (a refused call sends nothing and, under SCMI_ASYNC(), runs no
 * callback), then run blocking or submitted, its answer decoded into the
 * caller's outputs kept in the request's context.  Fastchannels and the
 * cached tables answer without the platform: those ops just return.
 */

static int perf_ph(const struct scmi_handle *h, struct scmi_protocol_handle **ph)
{
	return scmi_protocol_acquire(h, SCMI_PROTOCOL_PERF, ph);
}

static void perf_domains(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t)
{
	const struct perf_priv *priv = ph->priv;

	*t = (struct scmi_domain_table){
		.proto = "perf",
		.what = "domain",
		.base = priv->doms,
		.stride = sizeof(*priv->doms),
		.count = priv->info.num_domains,
		.usable_off = offsetof(struct perf_dom, info.usable),
	};
}

/*
 * Bring the protocol up and find @dom: -EINVAL when discovery did not
 * report it; with @usable, -EPROTO for a domain disabled at discovery.
 * The id is checked here first only to keep the reason callers (and
 * tests/test_errors.c) know, "perf: no domain N (M domains)": the core's
 * says "perf: unknown perf N".
 */
static int perf_dom_get(const struct scmi_handle *h, uint32_t dom, bool usable,
			struct scmi_protocol_handle **ph, const struct perf_dom **d)
{
	return scmi_domain_get(h, SCMI_PROTOCOL_PERF, dom, usable, ph, (const void **)d);
}

/* The domain of a request's context (valid: checked before submission). */
static const struct perf_dom *perf_req_dom(struct scmi_req *r, uint32_t dom)
{
	const struct perf_priv *priv = scmi_req_ph(r)->priv;

	return &priv->doms[dom];
}

/* scmi_fc_call: the domain and the values as the kernel gives them (a
 * level, or the min then the max limit). */
static inline void perf_fc_trace(const struct scmi_protocol_handle *ph, const struct perf_dom *d,
				 enum scmi_perf_fc k, uint32_t v1, uint32_t v2)
{
	if (scmi_tracing(ph->inst))
		scmi_trace_fc_call(ph->inst, SCMI_PROTOCOL_PERF, perf_fc_desc[k].msg_id, d->info.id,
				   v1, v2);
}

static void perf_fc_set(const struct scmi_protocol_handle *ph, const struct perf_dom *d,
			enum scmi_perf_fc k, uint32_t w0, uint32_t w1)
{
	struct perf_priv *priv = ph->priv;
	const struct scmi_fastchannel *fc = &d->fc[k];

	pthread_mutex_lock(&priv->fc_lock);
	scmi_fastchannel_write32(fc, 0, w0);
	if (fc->size == 8)
		scmi_fastchannel_write32(fc, 4, w1);
	scmi_fastchannel_ring_doorbell(fc);
	pthread_mutex_unlock(&priv->fc_lock);
	if (k == SCMI_PERF_FC_LIMITS_SET)
		perf_fc_trace(ph, d, k, w1, w0);
	else
		perf_fc_trace(ph, d, k, w0, 0);
}

static int perf_info_get(const struct scmi_handle *h, const struct scmi_perf_info **info)
{
	struct scmi_protocol_handle *ph;
	int ret;

	if (!info)
		return -EINVAL;
	ret = perf_ph(h, &ph);
	if (!ret)
		*info = &((const struct perf_priv *)ph->priv)->info;
	return ret;
}

static int perf_count_get(const struct scmi_handle *h)
{
	return scmi_domain_count(h, SCMI_PROTOCOL_PERF);
}

static int perf_domain_info_get(const struct scmi_handle *h, uint32_t domain,
				const struct scmi_perf_domain_info **info)
{
	struct scmi_protocol_handle *ph;
	const struct perf_dom *d;
	int ret;

	if (!info)
		return -EINVAL;
	ret = perf_dom_get(h, domain, false, &ph, &d);
	if (!ret)
		*info = &d->info;
	return ret;
}

/* A command answered by its status alone (LIMITS_SET, LEVEL_SET). */
static const struct scmi_req_msg limits_set_msg = {
	.msg_id = PERF_LIMITS_SET,
};

static const struct scmi_req_msg level_set_msg = {
	.msg_id = PERF_LEVEL_SET,
};

static int perf_limits_set(const struct scmi_handle *h, uint32_t domain, uint32_t max_perf,
			   uint32_t min_perf)
{
	struct scmi_protocol_handle *ph;
	const struct perf_dom *d;
	uint32_t wmax, wmin;
	uint8_t tx[12];
	int ret;

	ret = perf_dom_get(h, domain, true, &ph, &d);
	if (ret)
		return ret;
	if (!d->info.can_set_limits) {
		scmi_dbg_reason(&ph->inst->log, "perf: domain %u limits are not the agent's",
				domain);
		return -EOPNOTSUPP;
	}
	/* From 3.0 both limits zero is invalid (digest, after Linux). */
	if ((perf_v(ph, PERF_V3) && !max_perf && !min_perf) || min_perf > max_perf) {
		scmi_dbg_reason(&ph->inst->log, "perf: domain %u: bad limits %u..%u", domain,
				min_perf, max_perf);
		return -EINVAL;
	}
	ret = perf_to_wire(ph, d, max_perf, &wmax);
	if (!ret)
		ret = perf_to_wire(ph, d, min_perf, &wmin);
	if (ret)
		return ret;
	if (d->fc[SCMI_PERF_FC_LIMITS_SET].chan) {
		perf_fc_set(ph, d, SCMI_PERF_FC_LIMITS_SET, wmax, wmin);
		return 0;
	}
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, domain);
	scmi_put_le32(tx + 4, wmax);
	scmi_put_le32(tx + 8, wmin);
	return scmi_req_run(r, &limits_set_msg, tx, sizeof(tx));
}

/* Wire limits -> the caller's (both or neither written). */
static int perf_limits_out(const struct scmi_protocol_handle *ph, const struct perf_dom *d,
			   uint32_t wmax, uint32_t wmin, uint32_t *max_perf, uint32_t *min_perf)
{
	uint32_t max, min;
	int ret;

	ret = perf_from_wire(ph, d, wmax, &max);
	if (!ret)
		ret = perf_from_wire(ph, d, wmin, &min);
	if (ret)
		return ret;
	*max_perf = max;
	*min_perf = min;
	return 0;
}

struct limits_get_ctx {
	uint32_t *max_perf;
	uint32_t *min_perf;
	uint32_t dom;
};

static int limits_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct limits_get_ctx *c = SCMI_REQ_CTX(r, struct limits_get_ctx);

	(void)len;
	if (ret)
		return ret;
	return perf_limits_out(scmi_req_ph(r), perf_req_dom(r, c->dom), scmi_get_le32(rx),
			       scmi_get_le32(rx + 4), c->max_perf, c->min_perf);
}

static const struct scmi_req_msg limits_get_msg = {
	.msg_id = PERF_LIMITS_GET,
	.rx_min = 8,
	.decode = limits_get_decode,
};

static int perf_limits_get(const struct scmi_handle *h, uint32_t domain, uint32_t *max_perf,
			   uint32_t *min_perf)
{
	struct scmi_protocol_handle *ph;
	struct limits_get_ctx *c;
	const struct perf_dom *d;
	uint32_t wmax, wmin;
	uint8_t tx[4];
	int ret;

	if (!max_perf || !min_perf)
		return -EINVAL;
	ret = perf_dom_get(h, domain, true, &ph, &d);
	if (ret)
		return ret;
	if (d->fc[SCMI_PERF_FC_LIMITS_GET].chan) {
		/* Two independent words: a read racing a platform update may
		 * pair old and new limits, as on any SCMI fastchannel. */
		wmax = scmi_fastchannel_read32(&d->fc[SCMI_PERF_FC_LIMITS_GET], 0);
		wmin = scmi_fastchannel_read32(&d->fc[SCMI_PERF_FC_LIMITS_GET], 4);
		perf_fc_trace(ph, d, SCMI_PERF_FC_LIMITS_GET, wmin, wmax);
		return perf_limits_out(ph, d, wmax, wmin, max_perf, min_perf);
	}
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct limits_get_ctx);
	c->max_perf = max_perf;
	c->min_perf = min_perf;
	c->dom = domain;
	scmi_put_le32(tx, domain);
	return scmi_req_run(r, &limits_get_msg, tx, sizeof(tx));
}

/* LEVEL_SET of @level on @d (a usable domain): fastchannel or message. */
static int perf_level_set_dom(const struct scmi_protocol_handle *ph, const struct perf_dom *d,
			      uint32_t level)
{
	uint8_t tx[8];
	uint32_t wire;
	int ret;

	if (!d->info.can_set_level) {
		scmi_dbg_reason(&ph->inst->log, "perf: domain %u level is not the agent's",
				d->info.id);
		return -EOPNOTSUPP;
	}
	ret = perf_to_wire(ph, d, level, &wire);
	if (ret)
		return ret;
	if (d->fc[SCMI_PERF_FC_LEVEL_SET].chan) {
		perf_fc_set(ph, d, SCMI_PERF_FC_LEVEL_SET, wire, 0);
		return 0;
	}
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, d->info.id);
	scmi_put_le32(tx + 4, wire);
	return scmi_req_run(r, &level_set_msg, tx, sizeof(tx));
}

static int perf_level_set(const struct scmi_handle *h, uint32_t domain, uint32_t level)
{
	struct scmi_protocol_handle *ph;
	const struct perf_dom *d;
	int ret;

	ret = perf_dom_get(h, domain, true, &ph, &d);
	return ret ? ret : perf_level_set_dom(ph, d, level);
}

/* Wire level -> the caller's level and/or frequency. */
static int perf_level_out(const struct scmi_protocol_handle *ph, const struct perf_dom *d,
			  uint32_t wire, uint32_t *level, uint64_t *freq_hz)
{
	uint32_t perf;
	int ret;

	ret = perf_from_wire(ph, d, wire, &perf);
	if (ret)
		return ret;
	if (level)
		*level = perf;
	if (freq_hz)
		*freq_hz = perf_freq(d, perf);
	return 0;
}

struct level_get_ctx {
	uint32_t *level;
	uint64_t *freq_hz;
	uint32_t dom;
};

static int level_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct level_get_ctx *c = SCMI_REQ_CTX(r, struct level_get_ctx);

	(void)len;
	if (ret)
		return ret;
	return perf_level_out(scmi_req_ph(r), perf_req_dom(r, c->dom), scmi_get_le32(rx), c->level,
			      c->freq_hz);
}

static const struct scmi_req_msg level_get_msg = {
	.msg_id = PERF_LEVEL_GET,
	.rx_min = 4,
	.decode = level_get_decode,
};

/* LEVEL_GET on @d (a usable domain) into @level and/or @freq_hz:
 * fastchannel or message. */
static int perf_level_get_dom(const struct scmi_protocol_handle *ph, const struct perf_dom *d,
			      uint32_t *level, uint64_t *freq_hz)
{
	struct level_get_ctx *c;
	uint32_t wire;
	uint8_t tx[4];

	if (d->fc[SCMI_PERF_FC_LEVEL_GET].chan) {
		wire = scmi_fastchannel_read32(&d->fc[SCMI_PERF_FC_LEVEL_GET], 0);
		perf_fc_trace(ph, d, SCMI_PERF_FC_LEVEL_GET, wire, 0);
		return perf_level_out(ph, d, wire, level, freq_hz);
	}
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct level_get_ctx);
	c->level = level;
	c->freq_hz = freq_hz;
	c->dom = d->info.id;
	scmi_put_le32(tx, d->info.id);
	return scmi_req_run(r, &level_get_msg, tx, sizeof(tx));
}

static int perf_level_get(const struct scmi_handle *h, uint32_t domain, uint32_t *level)
{
	struct scmi_protocol_handle *ph;
	const struct perf_dom *d;
	int ret;

	if (!level)
		return -EINVAL;
	ret = perf_dom_get(h, domain, true, &ph, &d);
	return ret ? ret : perf_level_get_dom(ph, d, level, NULL);
}

/* The lowest level (by perf) at least @freq_hz fast, or NULL. */
static const struct scmi_perf_level *perf_level_by_freq(const struct perf_dom *d, uint64_t freq_hz)
{
	for (unsigned int i = 0; i < d->info.num_levels; i++)
		if (d->levels[i].freq_hz >= freq_hz)
			return &d->levels[i];
	return NULL;
}

static int perf_freq_set(const struct scmi_handle *h, uint32_t domain, uint64_t freq_hz)
{
	const struct scmi_perf_level *l;
	struct scmi_protocol_handle *ph;
	const struct perf_dom *d;
	int ret;

	ret = perf_dom_get(h, domain, true, &ph, &d);
	if (ret)
		return ret;
	l = perf_level_by_freq(d, freq_hz);
	if (!l) {
		scmi_dbg_reason(&ph->inst->log, "perf: domain %u has no level of %" PRIu64 " Hz",
				domain, freq_hz);
		return -EINVAL;
	}
	return perf_level_set_dom(ph, d, l->perf);
}

static int perf_freq_get(const struct scmi_handle *h, uint32_t domain, uint64_t *freq_hz)
{
	struct scmi_protocol_handle *ph;
	const struct perf_dom *d;
	int ret;

	if (!freq_hz)
		return -EINVAL;
	ret = perf_dom_get(h, domain, true, &ph, &d);
	return ret ? ret : perf_level_get_dom(ph, d, NULL, freq_hz);
}

static int perf_est_power_get(const struct scmi_handle *h, uint32_t domain, uint64_t *freq_hz,
			      uint32_t *power)
{
	const struct scmi_perf_level *l;
	struct scmi_protocol_handle *ph;
	const struct perf_dom *d;
	int ret;

	if (!freq_hz || !power)
		return -EINVAL;
	ret = perf_dom_get(h, domain, true, &ph, &d);
	if (ret)
		return ret;
	l = perf_level_by_freq(d, *freq_hz);
	if (!l)
		return -EINVAL;
	*freq_hz = l->freq_hz;
	*power = l->power_cost;
	return 0;
}

static int perf_level_to_freq(const struct scmi_handle *h, uint32_t domain, uint32_t level,
			      uint64_t *freq_hz)
{
	struct scmi_protocol_handle *ph;
	const struct perf_dom *d;
	int ret;

	if (!freq_hz)
		return -EINVAL;
	ret = perf_dom_get(h, domain, true, &ph, &d);
	if (ret)
		return ret;
	if (d->info.level_indexing && !perf_level_by_perf(d, level))
		return -EINVAL;
	*freq_hz = perf_freq(d, level);
	return 0;
}

static const struct scmi_perf_ops perf_ops = {
	.count_get = perf_count_get,
	.protocol_info_get = perf_info_get,
	.info_get = perf_domain_info_get,
	.limits_set = perf_limits_set,
	.limits_get = perf_limits_get,
	.level_set = perf_level_set,
	.level_get = perf_level_get,
	.freq_set = perf_freq_set,
	.freq_get = perf_freq_get,
	.est_power_get = perf_est_power_get,
	.level_to_freq = perf_level_to_freq,
};

const struct scmi_protocol scmi_perf_protocol = {
	.id = SCMI_PROTOCOL_PERF,
	.supported_version = SCMI_PROTO_VERSION(4, 0),
	.ops_offset = offsetof(struct scmi_handle, perf_ops),
	.ops = &perf_ops,
	.init = perf_init,
	.deinit = perf_deinit,
	.domains = perf_domains,
};

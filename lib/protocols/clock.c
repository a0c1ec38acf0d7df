// SPDX-License-Identifier: BSD-3-Clause
/*
 * Clock management protocol (0x14), spec digest §6.5 with §4 (DESCRIBE_RATES
 * and POSSIBLE_PARENTS_GET walks), §5 (CLOCK_NAME_GET), §7.1 (async
 * RATE_SET) and §7.2 (notifications).
 *
 * Bring-up reads everything the spec lets us keep: the clock count and the
 * async limit, then per clock its attributes, extended name, rate table and
 * possible parents.  That cache is written only by init (under the core's
 * bring-up lock) and immutable afterwards, so the ops read it without
 * locks.  The one mutable field is the async RATE_SET counter, an atomic.
 */
#include <errno.h>
#include <stdlib.h>

#include <scmi/protocols/clock.h>

#include "../notify.h"
#include "../protocols.h"
#include "../quirks.h"

#define CLOCK_ATTRIBUTES		   0x3
#define CLOCK_DESCRIBE_RATES		   0x4
#define CLOCK_RATE_SET			   0x5
#define CLOCK_RATE_GET			   0x6
#define CLOCK_CONFIG_SET		   0x7
#define CLOCK_NAME_GET			   0x8
#define CLOCK_RATE_NOTIFY		   0x9
#define CLOCK_RATE_CHANGE_REQUESTED_NOTIFY 0xA
#define CLOCK_CONFIG_GET		   0xB
#define CLOCK_POSSIBLE_PARENTS_GET	   0xC
#define CLOCK_PARENT_SET		   0xD
#define CLOCK_PARENT_GET		   0xE
#define CLOCK_GET_PERMISSIONS		   0xF

#define CLOCK_V2 SCMI_PROTO_VERSION(2, 0)
#define CLOCK_V3 SCMI_PROTO_VERSION(3, 0)

/* PROTOCOL_ATTRIBUTES */
#define PA_NUM_CLOCKS(w) ((w)&0xffffu)
#define PA_MAX_ASYNC(w)	 (((w) >> 16) & 0xffu)

/* CLOCK_ATTRIBUTES */
#define ATTR_NOTIFY_CHANGED   (1u << 31) /* 2.0+ */
#define ATTR_NOTIFY_REQUESTED (1u << 30) /* 2.0+ */
#define ATTR_EXT_NAME	      (1u << 29) /* 2.0+ */
#define ATTR_PARENTS	      (1u << 28) /* 3.0+ */
#define ATTR_EXT_CONFIG	      (1u << 27) /* 3.0+ */
#define ATTR_RESTRICTED	      (1u << 1)	 /* 3.0+ */
#define ATTR_ENABLED	      (1u << 0)
#define ATTR_RX_MIN	      (4 + SCMI_SHORT_NAME_MAX_SIZE)
#define ATTR_RX_MAX	      (ATTR_RX_MIN + 4) /* + enable_latency, 2.0+ */

/* DESCRIBE_RATES count word */
#define RATES_RETURNED(w)  ((w)&0xfffu)
#define RATES_RANGE	   (1u << 12)
#define RATES_REMAINING(w) ((w) >> 16)
#define RATE_SIZE	   8u

/* POSSIBLE_PARENTS_GET flags */
#define PARENTS_RETURNED(w)  ((w)&0xffu)
#define PARENTS_REMAINING(w) ((w) >> 24)

/* RATE_SET flags (wire) */
#define SET_ASYNC	  (1u << 0)
#define SET_NO_DRESP	  (1u << 1)
#define SET_ROUND_UP	  (1u << 2)
#define SET_ROUND_CLOSEST (1u << 3)
#define SET_DRESP_SIZE	  12u /* clock_id, rate lo, rate hi */

/* CONFIG_SET attributes */
#define CFG_ENABLE	 (1u << 0) /* 1.0 / 2.0 */
#define CFG_STATE_OFF	 0u	   /* 3.0: b[1:0] */
#define CFG_STATE_ON	 1u
#define CFG_STATE_KEEP	 3u
#define CFG_OEM_TYPE(t)	 ((uint32_t)(t) << 16)
#define CFG_GET_ENABLED	 (1u << 0)
#define CFG_GET_RX_STATE 8u  /* attributes, config */
#define CFG_GET_RX_OEM	 12u /* + oem_value */

/* GET_PERMISSIONS */
#define PERM_STATE  (1u << 31)
#define PERM_PARENT (1u << 30)
#define PERM_RATE   (1u << 29)

#define EVT_PAYLOAD_SIZE 16u

#define RATE_FLAGS_ALL                                                                \
	(SCMI_CLOCK_RATE_ASYNC | SCMI_CLOCK_RATE_NO_WAIT | SCMI_CLOCK_RATE_ROUND_UP | \
	 SCMI_CLOCK_RATE_ROUND_CLOSEST)

struct clock_priv {
	uint32_t num_clocks;
	/* Pending async RATE_SETs the platform accepts (0: no async). */
	unsigned int max_async;
	/* Async RATE_SETs of this handle in flight: never more than max_async. */
	atomic_uint async_inflight;
	/* An async RATE_SET was answered but its delayed response never
	 * came: RATE_SETs that wait use the synchronous form from then on. */
	atomic_bool async_no_dresp;
	bool has_config_get;
	bool has_rate_notify;
	bool has_rate_req_notify;
	struct scmi_clock_info *clocks; /* num_clocks; rates/parents on the heap */
};

/* ---- helpers ---------------------------------------------------------------- */

static int clock_unsupported(const struct scmi_protocol_handle *ph, uint32_t clk_id,
			     const char *what)
{
	scmi_dbg_reason(&ph->inst->log, "clock %u: %s not supported (version 0x%x)", clk_id, what,
			ph->version);
	return -EOPNOTSUPP;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- discovery: DESCRIBE_RATES ------------------------------------------------- */

struct rates_walk {
	const struct scmi_protocol_handle *ph;
	struct scmi_clock_info *ci;
	uint64_t *rates; /* list form: sized from the first reply */
	unsigned int cap;
	uint64_t triplet[3];
	bool started;
	bool range;
};

static void rates_prepare(void *tx, unsigned int index, void *priv)
{
	const struct rates_walk *w = priv;

	scmi_put_le32(tx, w->ci->id);
	scmi_put_le32((uint8_t *)tx + 4, index);
}

static int rates_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
			unsigned int *remaining, size_t *off, void *priv)
{
	struct rates_walk *w = priv;
	const struct scmi_logger *log = &w->ph->inst->log;
	uint32_t word;
	bool range;

	if (rx_len < 4)
		return -EPROTO;
	word = scmi_get_le32(rx);
	*returned = RATES_RETURNED(word);
	*remaining = RATES_REMAINING(word);
	range = word & RATES_RANGE;
	if (w->started && range != w->range) {
		scmi_warn(log, "clock %u: rate format changed within DESCRIBE_RATES", w->ci->id);
		return -EPROTO;
	}
	if (!w->started) {
		unsigned int total = *returned + *remaining;

		w->started = true;
		w->range = range;
		/* A range is one triplet in one reply (§4).  Linux tolerates
		 * firmware that miscounts it; we reject it as malformed rather
		 * than guess which numbers are which -- except for the one
		 * miscount old SCP-firmware is known for (a count of 1 before
		 * exactly one whole triplet), under its quirk. */
		if (range && *returned == 1 && !*remaining && rx_len == 4 + 3 * RATE_SIZE &&
		    scmi_quirk_active(w->ph->inst, SCMI_QUIRK_CLOCK_RATE_RANGE_COUNT)) {
			scmi_dbg(log, "clock %u: range counted 1, taken as its triplet (quirk)",
				 w->ci->id);
			*returned = 3;
		}
		if (range && (*returned != 3 || *remaining)) {
			scmi_warn(log, "clock %u: range with %u+%u rates, expected 3+0", w->ci->id,
				  *returned, *remaining);
			return -EPROTO;
		}
		/* Sized within libscmi's limit: a list longer than it fails
		 * when its rates come (an announcement may be miscounted). */
		if (total > SCMI_CLOCK_MAX_RATES)
			total = SCMI_CLOCK_MAX_RATES;
		if (!range && total) {
			w->rates = calloc(total, sizeof(*w->rates));
			if (!w->rates)
				return -ENOMEM;
			w->cap = total;
		}
	}
	if (rx_len < 4 + (size_t)*returned * RATE_SIZE) {
		scmi_warn(log, "clock %u: DESCRIBE_RATES reply of %zu bytes for %u rates",
			  w->ci->id, rx_len, *returned);
		return -EPROTO;
	}
	*off = 4;
	return 0;
}

static int rates_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
		       unsigned int i, void *priv)
{
	struct rates_walk *w = priv;
	uint64_t rate;

	(void)i;
	if (*off + RATE_SIZE > rx_len)
		return -EPROTO;
	rate = scmi_get_le64(rx + *off);
	*off += RATE_SIZE;
	if (w->range) {
		if (index >= 3)
			return -EPROTO;
		w->triplet[index] = rate;
		return index == 2; /* the triplet is the whole answer */
	}
	if (index >= w->cap) {
		if (index < SCMI_CLOCK_MAX_RATES)
			return -EPROTO;
		scmi_warn(&w->ph->inst->log, "clock %u: more than %u discrete rates", w->ci->id,
			  SCMI_CLOCK_MAX_RATES);
		return -E2BIG;
	}
	w->rates[index] = rate;
	return 0;
}

static const struct scmi_iter_ops rates_iter_ops = {
	.prepare = rates_prepare,
	.update = rates_update,
	.entry = rates_entry,
};

static int clock_describe_rates(const struct scmi_protocol_handle *ph, struct scmi_clock_info *ci)
{
	const struct scmi_iter_desc desc = {
		.msg_id = CLOCK_DESCRIBE_RATES,
		.tx_size = 8,
		.ops = &rates_iter_ops,
	};
	struct rates_walk w = {.ph = ph, .ci = ci};
	unsigned int total = 0;
	int ret;

	ret = scmi_common_iter_run(ph, &desc, &w, &total);
	if (ret) {
		free(w.rates);
		return ret;
	}
	if (w.range) {
		if (w.triplet[0] > w.triplet[1]) {
			scmi_warn(&ph->inst->log, "clock %u: range min %llu > max %llu", ci->id,
				  (unsigned long long)w.triplet[0],
				  (unsigned long long)w.triplet[1]);
			return -EPROTO;
		}
		ci->rate_discrete = false;
		ci->range.min_rate = ci->min_rate = w.triplet[0];
		ci->range.max_rate = ci->max_rate = w.triplet[1];
		ci->range.step_size = w.triplet[2];
		if (!w.triplet[2] && w.triplet[0] != w.triplet[1])
			scmi_dbg(&ph->inst->log, "clock %u: range without a step", ci->id);
		return 0;
	}
	/* The walk ended where the platform said: the rates listed (the
	 * table may be shorter than its first reply announced). */
	ci->rate_discrete = true;
	if (!total) {
		free(w.rates);
		w.rates = NULL;
	}
	ci->num_rates = total;
	ci->rates = w.rates;
	if (total) {
		qsort(w.rates, total, sizeof(*w.rates), cmp_u64);
		ci->min_rate = w.rates[0];
		ci->max_rate = w.rates[total - 1];
	}
	return 0;
}

/* ---- discovery: POSSIBLE_PARENTS_GET ------------------------------------------- */

struct parents_walk {
	const struct scmi_protocol_handle *ph;
	const struct clock_priv *cp;
	struct scmi_clock_info *ci;
	uint32_t *parents;
	unsigned int cap;
};

static void parents_prepare(void *tx, unsigned int index, void *priv)
{
	const struct parents_walk *w = priv;

	scmi_put_le32(tx, w->ci->id);
	scmi_put_le32((uint8_t *)tx + 4, index);
}

static int parents_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
			  unsigned int *remaining, size_t *off, void *priv)
{
	struct parents_walk *w = priv;
	uint32_t word;

	if (rx_len < 4)
		return -EPROTO;
	word = scmi_get_le32(rx);
	*returned = PARENTS_RETURNED(word);
	*remaining = PARENTS_REMAINING(word);
	if (!w->parents && *returned + *remaining) {
		/* At most 255 + 255: the count fields are 8 bits wide. */
		w->cap = *returned + *remaining;
		w->parents = calloc(w->cap, sizeof(*w->parents));
		if (!w->parents)
			return -ENOMEM;
	}
	if (rx_len < 4 + (size_t)*returned * 4) {
		scmi_warn(&w->ph->inst->log,
			  "clock %u: POSSIBLE_PARENTS_GET reply of %zu bytes for %u parents",
			  w->ci->id, rx_len, *returned);
		return -EPROTO;
	}
	*off = 4;
	return 0;
}

static int parents_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
			 unsigned int i, void *priv)
{
	struct parents_walk *w = priv;
	uint32_t parent;

	(void)i;
	if (*off + 4 > rx_len || index >= w->cap)
		return -EPROTO;
	parent = scmi_get_le32(rx + *off);
	*off += 4;
	if (parent >= w->cp->num_clocks || parent == w->ci->id) {
		scmi_warn(&w->ph->inst->log, "clock %u: invalid possible parent %u", w->ci->id,
			  parent);
		return -EPROTO;
	}
	w->parents[index] = parent;
	return 0;
}

static const struct scmi_iter_ops parents_iter_ops = {
	.prepare = parents_prepare,
	.update = parents_update,
	.entry = parents_entry,
};

static int clock_possible_parents(const struct scmi_protocol_handle *ph,
				  const struct clock_priv *cp, struct scmi_clock_info *ci)
{
	const struct scmi_iter_desc desc = {
		.msg_id = CLOCK_POSSIBLE_PARENTS_GET,
		.tx_size = 8,
		.ops = &parents_iter_ops,
	};
	struct parents_walk w = {.ph = ph, .cp = cp, .ci = ci};
	unsigned int total = 0;
	int ret;

	ret = scmi_common_iter_run(ph, &desc, &w, &total);
	if (ret) {
		free(w.parents);
		return ret;
	}
	if (!total) {
		free(w.parents);
		w.parents = NULL;
	}
	ci->num_parents = total;
	ci->parents = w.parents;
	return 0;
}

/* ---- discovery: one clock --------------------------------------------------- */

static int clock_attributes_get(const struct scmi_protocol_handle *ph, uint32_t clk_id,
				uint32_t *attrs, uint8_t *rx, size_t *rx_len)
{
	uint8_t tx[4];
	int ret;

	scmi_put_le32(tx, clk_id);
	ret = scmi_common_cmd(ph, CLOCK_ATTRIBUTES, tx, sizeof(tx), rx, ATTR_RX_MIN, ATTR_RX_MAX,
			      rx_len);
	if (!ret)
		*attrs = scmi_get_le32(rx);
	return ret;
}

/*
 * Rates and parents the platform refuses to describe (a status) or
 * describes badly (a malformed reply, a bad table) leave that part of the
 * clock unknown, with a warning: nothing else depends on them (rates are
 * not checked locally, parents are then left to the platform to judge).
 * No answer at all (a timeout) fails the bring-up, retried later.
 */
static int clock_discover_tables(const struct scmi_protocol_handle *ph, const struct clock_priv *cp,
				 struct scmi_clock_info *ci)
{
	int ret;

	ret = clock_describe_rates(ph, ci);
	if (ret && scmi_common_bad_answer(ret)) {
		scmi_warn(&ph->inst->log, "clock %u: rates unknown: %s", ci->id,
			  scmi_strerror(ret));
		ci->rates_err = ret;
		ret = 0;
	}
	if (ret || !ci->parent_support)
		return ret;
	ret = clock_possible_parents(ph, cp, ci);
	if (ret && scmi_common_bad_answer(ret)) {
		scmi_warn(&ph->inst->log, "clock %u: possible parents unknown: %s", ci->id,
			  scmi_strerror(ret));
		ci->parents_err = ret;
		ret = 0;
	}
	return ret;
}

static int clock_discover(const struct scmi_protocol_handle *ph, const struct clock_priv *cp,
			  struct scmi_clock_info *ci)
{
	uint8_t rx[ATTR_RX_MAX];
	size_t rx_len;
	uint32_t attrs;
	int ret;

	ret = clock_attributes_get(ph, ci->id, &attrs, rx, &rx_len);
	if (ret && scmi_common_bad_answer(ret)) {
		scmi_warn(&ph->inst->log, "clock %u: attributes unknown: %s", ci->id,
			  scmi_strerror(ret));
		ci->attributes_err = ci->rates_err = ret;
		return 0;
	}
	if (ret)
		return ret;
	scmi_copy_name(ci->name, sizeof(ci->name), rx + 4, SCMI_SHORT_NAME_MAX_SIZE);
	/* Bits newer than the version in use are reserved there: ignored. */
	if (ph->version >= CLOCK_V2) {
		if (rx_len >= ATTR_RX_MAX)
			ci->enable_latency_us = scmi_get_le32(rx + ATTR_RX_MIN);
		ci->rate_changed_notifications =
			cp->has_rate_notify && (attrs & ATTR_NOTIFY_CHANGED);
		ci->rate_change_requested_notifications =
			cp->has_rate_req_notify && (attrs & ATTR_NOTIFY_REQUESTED);
		if ((attrs & ATTR_EXT_NAME) &&
		    scmi_common_ext_name_get(ph, CLOCK_NAME_GET, ci->id, NULL, ci->name,
					     sizeof(ci->name)))
			scmi_warn(&ph->inst->log, "clock %u: keeping short name '%s'", ci->id,
				  ci->name);
	}
	if (ph->version >= CLOCK_V3) {
		ci->parent_support = attrs & ATTR_PARENTS;
		ci->extended_config = attrs & ATTR_EXT_CONFIG;
		ci->restricted = attrs & ATTR_RESTRICTED;
	}
	return clock_discover_tables(ph, cp, ci);
}

/* ---- notifications ------------------------------------------------------------ */

static int clock_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				    uint32_t src_id, bool enable)
{
	const struct clock_priv *cp = ph->priv;
	const struct scmi_clock_info *ci;
	uint8_t msg_id;
	bool supported;

	if (src_id >= cp->num_clocks)
		return -EINVAL;
	ci = &cp->clocks[src_id];
	switch (evt_id) {
	case SCMI_EVENT_CLOCK_RATE_CHANGED:
		msg_id = CLOCK_RATE_NOTIFY;
		supported = ci->rate_changed_notifications;
		break;
	case SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED:
		msg_id = CLOCK_RATE_CHANGE_REQUESTED_NOTIFY;
		supported = ci->rate_change_requested_notifications;
		break;
	default:
		return -EINVAL;
	}
	if (!supported)
		return clock_unsupported(ph, src_id, "this notification");
	return scmi_common_notify_cmd(ph, msg_id, src_id, enable);
}

static int clock_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id,
			     const void *payld, size_t payld_sz, void *report, uint32_t *src_id)
{
	const struct clock_priv *cp = ph->priv;
	struct scmi_clock_rate_notif_report *r = report;
	const uint8_t *p = payld;
	uint32_t clk_id;

	if (evt_id != SCMI_EVENT_CLOCK_RATE_CHANGED &&
	    evt_id != SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED)
		return -EPROTO;
	if (payld_sz != EVT_PAYLOAD_SIZE)
		return -EPROTO;
	clk_id = scmi_get_le32(p + 4);
	if (clk_id >= cp->num_clocks)
		return -EPROTO;
	r->agent_id = scmi_get_le32(p);
	r->clock_id = clk_id;
	r->rate = scmi_get_le64(p + 8);
	*src_id = clk_id;
	return 0;
}

static const struct scmi_event clock_events[] = {
	{
		.id = SCMI_EVENT_CLOCK_RATE_CHANGED,
		.max_payld_sz = EVT_PAYLOAD_SIZE,
		.max_report_sz = sizeof(struct scmi_clock_rate_notif_report),
	},
	{
		.id = SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED,
		.max_payld_sz = EVT_PAYLOAD_SIZE,
		.max_report_sz = sizeof(struct scmi_clock_rate_notif_report),
	},
};

static const struct scmi_event_ops clock_event_ops = {
	.set_notify_enabled = clock_set_notify_enabled,
	.fill_report = clock_fill_report,
};

static const struct scmi_protocol_events clock_protocol_events = {
	.ops = &clock_event_ops,
	.evts = clock_events,
	.num_events = ARRAY_SIZE(clock_events),
};

/* ---- bring-up -------------------------------------------------------------------- */

static void clock_priv_free(struct clock_priv *cp)
{
	if (!cp)
		return;
	for (uint32_t i = 0; cp->clocks && i < cp->num_clocks; i++) {
		free((void *)cp->clocks[i].rates);
		free((void *)cp->clocks[i].parents);
	}
	free(cp->clocks);
	free(cp);
}

static int clock_init(struct scmi_protocol_handle *ph)
{
	struct clock_priv *cp;
	uint8_t rx[4];
	uint32_t word;
	int ret;

	ret = scmi_common_attributes(ph, rx, sizeof(rx), sizeof(rx));
	if (ret)
		return ret;
	word = scmi_get_le32(rx);
	cp = calloc(1, sizeof(*cp));
	if (!cp)
		return -ENOMEM;
	cp->num_clocks = PA_NUM_CLOCKS(word);
	cp->max_async = PA_MAX_ASYNC(word);
	atomic_init(&cp->async_inflight, 0);
	atomic_init(&cp->async_no_dresp, false);
	cp->clocks = calloc(cp->num_clocks ? cp->num_clocks : 1, sizeof(*cp->clocks));
	if (!cp->clocks) {
		clock_priv_free(cp);
		return -ENOMEM;
	}
	/* The per-clock notification flags count only if the command exists. */
	if (ph->version >= CLOCK_V2) {
		cp->has_rate_notify = scmi_common_msg_supported(ph, CLOCK_RATE_NOTIFY);
		cp->has_rate_req_notify =
			scmi_common_msg_supported(ph, CLOCK_RATE_CHANGE_REQUESTED_NOTIFY);
	}
	if (ph->version >= CLOCK_V3)
		cp->has_config_get = scmi_common_msg_supported(ph, CLOCK_CONFIG_GET);

	for (uint32_t i = 0; i < cp->num_clocks && !ret; i++) {
		cp->clocks[i].id = i;
		ret = clock_discover(ph, cp, &cp->clocks[i]);
	}
	if (ret) {
		clock_priv_free(cp);
		return ret;
	}
	ph->priv = cp;
	scmi_dbg(&ph->inst->log, "clock: %u clocks, %u async rate sets", cp->num_clocks,
		 cp->max_async);
	/* Sources are clock ids; with no clocks, one source that every
	 * enable refuses keeps the registration API consistent. */
	ret = scmi_notify_protocol_register(ph, &clock_protocol_events,
					    cp->num_clocks ? cp->num_clocks : 1);
	if (ret) {
		ph->priv = NULL;
		clock_priv_free(cp);
	}
	return ret;
}

static void clock_deinit(struct scmi_protocol_handle *ph)
{
	clock_priv_free(ph->priv);
	ph->priv = NULL;
}

/* ---- ops ------------------------------------------------------------------------ */

/*
 * Every op that sends a message is one request (lib/request.h): checked
 * first (a refused call sends nothing and, under SCMI_ASYNC(), runs no
 * callback), then run blocking or submitted, its answer decoded into the
 * caller's outputs kept in the request's context.
 */

static void clock_domains(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t)
{
	const struct clock_priv *cp = ph->priv;

	*t = (struct scmi_domain_table){
		.what = "clock",
		.base = cp->clocks,
		.stride = sizeof(*cp->clocks),
		.count = cp->num_clocks,
		/* Clocks are never disabled (docs/PROTOCOLS.md, "Leniency"). */
		.usable_off = SCMI_DOMAIN_ALWAYS_USABLE,
	};
}

/* Bring the protocol up and find clock @clk_id (-EINVAL, logged, when
 * discovery did not report it); sets *@ph and *@cp. */
static int clock_get(const struct scmi_handle *h, uint32_t clk_id, struct scmi_protocol_handle **ph,
		     struct clock_priv **cp)
{
	const void *ci;
	int ret = scmi_domain_get(h, SCMI_PROTOCOL_CLOCK, clk_id, false, ph, &ci);

	if (!ret)
		*cp = (*ph)->priv;
	return ret;
}

static int clock_count_get(const struct scmi_handle *h)
{
	return scmi_domain_count(h, SCMI_PROTOCOL_CLOCK);
}

static int clock_info_get(const struct scmi_handle *h, uint32_t clk_id,
			  const struct scmi_clock_info **info)
{
	struct scmi_protocol_handle *ph;
	struct clock_priv *cp;
	int ret;

	if (!info)
		return -EINVAL;
	ret = clock_get(h, clk_id, &ph, &cp);
	if (!ret)
		*info = &cp->clocks[clk_id];
	return ret;
}

/* A command answered by its status alone (CONFIG_SET, PARENT_SET). */
static const struct scmi_req_msg config_set_msg = {
	.msg_id = CLOCK_CONFIG_SET,
};

static const struct scmi_req_msg parent_set_msg = {
	.msg_id = CLOCK_PARENT_SET,
};

/* ---- RATE_GET ---- */

struct rate_get_ctx {
	uint64_t *rate;
};

static int rate_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct rate_get_ctx *c = SCMI_REQ_CTX(r, struct rate_get_ctx);

	(void)len;
	if (ret)
		return ret;
	*c->rate = scmi_get_le64(rx);
	return 0;
}

static const struct scmi_req_msg rate_get_msg = {
	.msg_id = CLOCK_RATE_GET,
	.rx_min = 8,
	.decode = rate_get_decode,
};

static int clock_rate_get(const struct scmi_handle *h, uint32_t clk_id, uint64_t *rate)
{
	struct scmi_protocol_handle *ph;
	struct clock_priv *cp;
	uint8_t tx[4];
	int ret;

	if (!rate)
		return -EINVAL;
	ret = clock_get(h, clk_id, &ph, &cp);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	SCMI_REQ_CTX(r, struct rate_get_ctx)->rate = rate;
	scmi_put_le32(tx, clk_id);
	return scmi_req_run(r, &rate_get_msg, tx, sizeof(tx));
}

/* ---- RATE_SET ---- */

/* Does the platform leave async RATE_SETs without a delayed response? */
static bool clock_async_unanswered(const struct scmi_protocol_handle *ph, struct clock_priv *cp)
{
	return scmi_quirk_active(ph->inst, SCMI_QUIRK_CLOCK_RATE_SET_NO_DRESP) ||
	       atomic_load_explicit(&cp->async_no_dresp, memory_order_relaxed);
}

/* Take one of the platform's async slots, if any is free. */
static bool clock_async_get(struct clock_priv *cp)
{
	unsigned int n = atomic_load_explicit(&cp->async_inflight, memory_order_relaxed);

	do {
		if (n >= cp->max_async)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(
		&cp->async_inflight, &n, n + 1, memory_order_acq_rel, memory_order_relaxed));
	return true;
}

static void clock_async_put(struct clock_priv *cp)
{
	atomic_fetch_sub_explicit(&cp->async_inflight, 1, memory_order_acq_rel);
}

/*
 * RATE_SET as one request: the synchronous form, the async form without a
 * delayed response (NO_WAIT), or the async form completed by its delayed
 * response -- which, on a platform that accepts it and never sends the
 * delayed response, falls back to the synchronous form on the same
 * request.
 */
struct rate_set_ctx {
	uint64_t *actual;
	uint64_t rate;
	uint32_t clk_id;
	uint32_t wire; /* the flags word sent */
	bool slot;     /* holds one of the platform's async slots */
	bool wait;     /* the message sent waits for a delayed response */
};

static int rate_set_encode(struct scmi_req *r, uint8_t *tx, size_t room, size_t *len)
{
	struct rate_set_ctx *c = SCMI_REQ_CTX(r, struct rate_set_ctx);

	if (room < 16)
		return -EMSGSIZE;
	scmi_put_le32(tx, c->wire);
	scmi_put_le32(tx + 4, c->clk_id);
	scmi_put_le64(tx + 8, c->rate);
	*len = 16;
	return 0;
}

/*
 * The waiting form ended with -ETIMEDOUT: was it accepted (the delayed
 * response is what never came) rather than left unanswered?  The response's
 * status says, on the thread decoding (blocking or not, the core leaves it
 * there: SUCCESS when the delayed response is what timed out, none when
 * the response did).
 */
static bool rate_set_dresp_timed_out(struct scmi_req *r, const struct rate_set_ctx *c)
{
	(void)r;
	(void)c;
	return scmi_last_status() == SCMI_SUCCESS;
}

static const struct scmi_req_msg rate_set_sync_msg;

static int rate_set_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct scmi_protocol_handle *ph = scmi_req_ph(r);
	struct rate_set_ctx *c = SCMI_REQ_CTX(r, struct rate_set_ctx);
	struct clock_priv *cp = ph->priv;
	uint32_t id;

	(void)len;
	if (c->wait) {
		c->wait = false;
		if (ret == -ETIMEDOUT && rate_set_dresp_timed_out(r, c)) {
			/* Accepted, but the delayed response never came:
			 * once is enough to know this platform.  Ask again
			 * synchronously for a definite answer. */
			if (!atomic_exchange(&cp->async_no_dresp, true))
				scmi_warn(&ph->inst->log,
					  "clock: the platform accepted an asynchronous RATE_SET "
					  "but sent no delayed response: using synchronous "
					  "RATE_SET from now on");
			c->wire &= ~SET_ASYNC;
			if (!scmi_req_next(r, &rate_set_sync_msg, NULL, 0))
				return SCMI_REQ_AGAIN;
		}
		if (!ret) {
			id = scmi_get_le32(rx);
			if (id != c->clk_id) {
				scmi_warn(&ph->inst->log,
					  "clock: delayed RATE_SET response for clock %u, not %u",
					  id, c->clk_id);
				ret = -EPROTO;
			} else if (c->actual) {
				*c->actual = scmi_get_le64(rx + 4);
			}
		}
	}
	/*
	 * A slot is released when its delayed response arrives (or times
	 * out: then the platform's count is unknown and we trust it to have
	 * given up too).  A NO_WAIT request holds its slot only until the
	 * response: nothing later tells us when the platform is done.
	 */
	if (c->slot) {
		c->slot = false;
		clock_async_put(cp);
	}
	return ret;
}

static const struct scmi_req_msg rate_set_sync_msg = {
	.msg_id = CLOCK_RATE_SET,
	.encode = rate_set_encode,
	.decode = rate_set_decode,
};

static const struct scmi_req_msg rate_set_async_msg = {
	.msg_id = CLOCK_RATE_SET,
	.flags = SCMI_REQ_DRESP,
	.rx_min = SET_DRESP_SIZE, /* clock_id, rate lo, rate hi */
	.encode = rate_set_encode,
	.decode = rate_set_decode,
};

static int clock_rate_set(const struct scmi_handle *h, uint32_t clk_id, uint64_t rate,
			  uint32_t flags, uint64_t *actual)
{
	struct scmi_protocol_handle *ph;
	struct rate_set_ctx *c;
	struct clock_priv *cp;
	uint32_t wire = 0;
	bool async, wait;
	int ret;

	if ((flags & ~RATE_FLAGS_ALL) ||
	    ((flags & SCMI_CLOCK_RATE_NO_WAIT) && !(flags & SCMI_CLOCK_RATE_ASYNC)) ||
	    ((flags & SCMI_CLOCK_RATE_ROUND_UP) && (flags & SCMI_CLOCK_RATE_ROUND_CLOSEST)))
		return -EINVAL;
	ret = clock_get(h, clk_id, &ph, &cp);
	if (ret)
		return ret;
	if (actual)
		*actual = 0;
	if (flags & SCMI_CLOCK_RATE_ROUND_UP)
		wire |= SET_ROUND_UP;
	if (flags & SCMI_CLOCK_RATE_ROUND_CLOSEST)
		wire |= SET_ROUND_CLOSEST;
	/* Without a P2A channel no delayed response can come: only NO_WAIT
	 * (which asks for none) stays async, the rest is sent sync.  So it is
	 * on a platform that never sends the delayed response (quirk, or
	 * learnt from a first timeout, in rate_set_decode()). */
	async = (flags & SCMI_CLOCK_RATE_ASYNC) &&
		((flags & SCMI_CLOCK_RATE_NO_WAIT) ||
		 (scmi_proto_has_p2a(ph) && !clock_async_unanswered(ph, cp))) &&
		clock_async_get(cp);
	wait = async && !(flags & SCMI_CLOCK_RATE_NO_WAIT);
	if (async)
		wire |= SET_ASYNC | (wait ? 0 : SET_NO_DRESP);

	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct rate_set_ctx);
	c->actual = actual;
	c->rate = rate;
	c->clk_id = clk_id;
	c->wire = wire;
	c->slot = async;
	c->wait = wait;
	ret = scmi_req_run_len(r, wait ? &rate_set_async_msg : &rate_set_sync_msg, 16);
	/* Not submitted (non-blocking): the slot was not handed over. */
	if (ret < 0 && async && scmi_req_is_async(r))
		clock_async_put(cp);
	return ret;
}

/* ---- CONFIG_SET / CONFIG_GET ---- */

static int clock_config_set(const struct scmi_protocol_handle *ph, uint32_t clk_id, uint32_t attrs,
			    uint32_t oem_value)
{
	uint8_t tx[12];

	SCMI_REQ(r, ph);
	scmi_put_le32(tx, clk_id);
	scmi_put_le32(tx + 4, attrs);
	scmi_put_le32(tx + 8, oem_value);
	/*
	 * The three-word form is used from 3.0 on, as Linux does; the digest
	 * notes Linux's header comment says it exists since 2.1 (unverified),
	 * so a 2.x platform gets the two-word form.
	 */
	return scmi_req_run(r, &config_set_msg, tx, ph->version >= CLOCK_V3 ? 12 : 8);
}

static int clock_gate(const struct scmi_handle *h, uint32_t clk_id, bool enable)
{
	struct scmi_protocol_handle *ph;
	struct clock_priv *cp;
	uint32_t attrs;
	int ret;

	ret = clock_get(h, clk_id, &ph, &cp);
	if (ret)
		return ret;
	if (ph->version >= CLOCK_V3)
		attrs = enable ? CFG_STATE_ON : CFG_STATE_OFF; /* OEM type 0: none */
	else
		attrs = enable ? CFG_ENABLE : 0;
	return clock_config_set(ph, clk_id, attrs, 0);
}

static int clock_enable(const struct scmi_handle *h, uint32_t clk_id)
{
	return clock_gate(h, clk_id, true);
}

static int clock_disable(const struct scmi_handle *h, uint32_t clk_id)
{
	return clock_gate(h, clk_id, false);
}

/* CONFIG_GET (or, before 3.0, CLOCK_ATTRIBUTES) into the caller's gate
 * state and OEM value. */
struct config_get_ctx {
	bool *enabled;
	uint32_t *value;
};

static int config_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct config_get_ctx *c = SCMI_REQ_CTX(r, struct config_get_ctx);

	(void)len;
	if (ret)
		return ret;
	if (c->enabled)
		*c->enabled = scmi_get_le32(rx + 4) & CFG_GET_ENABLED;
	if (c->value)
		*c->value = scmi_get_le32(rx + 8);
	return 0;
}

static const struct scmi_req_msg config_get_state_msg = {
	.msg_id = CLOCK_CONFIG_GET,
	.rx_min = CFG_GET_RX_STATE,
	.decode = config_get_decode,
};

static const struct scmi_req_msg config_get_oem_msg = {
	.msg_id = CLOCK_CONFIG_GET,
	.rx_min = CFG_GET_RX_OEM,
	.decode = config_get_decode,
};

/* CLOCK_CONFIG_GET for @oem_type: gate state and OEM value. */
static int clock_config_get(const struct scmi_protocol_handle *ph, uint32_t clk_id,
			    uint8_t oem_type, bool *enabled, uint32_t *value)
{
	struct config_get_ctx *c;
	uint8_t tx[8];

	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct config_get_ctx);
	c->enabled = enabled;
	c->value = value;
	scmi_put_le32(tx, clk_id);
	scmi_put_le32(tx + 4, oem_type);
	return scmi_req_run(r, oem_type ? &config_get_oem_msg : &config_get_state_msg, tx,
			    sizeof(tx));
}

static int attributes_state_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct config_get_ctx *c = SCMI_REQ_CTX(r, struct config_get_ctx);

	(void)len;
	if (ret)
		return ret;
	*c->enabled = scmi_get_le32(rx) & ATTR_ENABLED;
	return 0;
}

static const struct scmi_req_msg attributes_state_msg = {
	.msg_id = CLOCK_ATTRIBUTES,
	.rx_min = ATTR_RX_MIN,
	.decode = attributes_state_decode,
};

static int clock_state_get(const struct scmi_handle *h, uint32_t clk_id, bool *enabled)
{
	struct scmi_protocol_handle *ph;
	struct clock_priv *cp;
	uint8_t tx[4];
	int ret;

	if (!enabled)
		return -EINVAL;
	ret = clock_get(h, clk_id, &ph, &cp);
	if (ret)
		return ret;
	if (cp->has_config_get)
		return clock_config_get(ph, clk_id, 0, enabled, NULL);
	/* Before 3.0 the gate state is the enabled bit of the attributes. */
	SCMI_REQ(r, ph);
	SCMI_REQ_CTX(r, struct config_get_ctx)->enabled = enabled;
	scmi_put_le32(tx, clk_id);
	return scmi_req_run(r, &attributes_state_msg, tx, sizeof(tx));
}

/* Checks shared by the OEM config ops. */
static int clock_oem_check(const struct scmi_handle *h, uint32_t clk_id, uint8_t oem_type,
			   struct scmi_protocol_handle **ph)
{
	struct clock_priv *cp;
	int ret;

	if (!oem_type)
		return -EINVAL;
	ret = clock_get(h, clk_id, ph, &cp);
	if (ret)
		return ret;
	if ((*ph)->version < CLOCK_V3 || !cp->clocks[clk_id].extended_config)
		return clock_unsupported(*ph, clk_id, "OEM configuration");
	return 0;
}

static int clock_config_oem_get(const struct scmi_handle *h, uint32_t clk_id, uint8_t oem_type,
				uint32_t *value, bool *enabled)
{
	struct scmi_protocol_handle *ph;
	int ret;

	if (!value)
		return -EINVAL;
	ret = clock_oem_check(h, clk_id, oem_type, &ph);
	if (ret)
		return ret;
	return clock_config_get(ph, clk_id, oem_type, enabled, value);
}

static int clock_config_oem_set(const struct scmi_handle *h, uint32_t clk_id, uint8_t oem_type,
				uint32_t value)
{
	struct scmi_protocol_handle *ph;
	int ret;

	ret = clock_oem_check(h, clk_id, oem_type, &ph);
	if (ret)
		return ret;
	return clock_config_set(ph, clk_id, CFG_STATE_KEEP | CFG_OEM_TYPE(oem_type), value);
}

/* ---- PARENT_GET / PARENT_SET ---- */

static int clock_parent_check(const struct scmi_handle *h, uint32_t clk_id,
			      struct scmi_protocol_handle **ph, struct clock_priv **cp)
{
	int ret = clock_get(h, clk_id, ph, cp);

	if (ret)
		return ret;
	if ((*ph)->version < CLOCK_V3 || !(*cp)->clocks[clk_id].parent_support)
		return clock_unsupported(*ph, clk_id, "parent control");
	return 0;
}

struct parent_get_ctx {
	uint32_t *parent_id;
	uint32_t clk_id;
};

static int parent_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct scmi_protocol_handle *ph = scmi_req_ph(r);
	struct parent_get_ctx *c = SCMI_REQ_CTX(r, struct parent_get_ctx);
	const struct clock_priv *cp = ph->priv;
	uint32_t parent;

	(void)len;
	if (ret)
		return ret;
	parent = scmi_get_le32(rx);
	if (parent >= cp->num_clocks) {
		scmi_warn(&ph->inst->log, "clock %u: platform names unknown parent %u", c->clk_id,
			  parent);
		return -EPROTO;
	}
	*c->parent_id = parent;
	return 0;
}

static const struct scmi_req_msg parent_get_msg = {
	.msg_id = CLOCK_PARENT_GET,
	.rx_min = 4,
	.decode = parent_get_decode,
};

static int clock_parent_get(const struct scmi_handle *h, uint32_t clk_id, uint32_t *parent_id)
{
	struct scmi_protocol_handle *ph;
	struct parent_get_ctx *c;
	struct clock_priv *cp;
	uint8_t tx[4];
	int ret;

	if (!parent_id)
		return -EINVAL;
	ret = clock_parent_check(h, clk_id, &ph, &cp);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct parent_get_ctx);
	c->parent_id = parent_id;
	c->clk_id = clk_id;
	scmi_put_le32(tx, clk_id);
	return scmi_req_run(r, &parent_get_msg, tx, sizeof(tx));
}

static int clock_parent_set(const struct scmi_handle *h, uint32_t clk_id, uint32_t parent_id)
{
	struct scmi_protocol_handle *ph;
	const struct scmi_clock_info *ci;
	struct clock_priv *cp;
	uint8_t tx[8];
	bool listed = false;
	int ret;

	ret = clock_parent_check(h, clk_id, &ph, &cp);
	if (ret)
		return ret;
	ci = &cp->clocks[clk_id];
	for (unsigned int i = 0; i < ci->num_parents; i++)
		listed |= ci->parents[i] == parent_id;
	if (!listed && (!ci->parents_err || parent_id >= cp->num_clocks)) {
		scmi_dbg_reason(&ph->inst->log, "clock %u: %u is not a possible parent", clk_id,
				parent_id);
		return -EINVAL;
	}
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, clk_id);
	scmi_put_le32(tx + 4, parent_id);
	return scmi_req_run(r, &parent_set_msg, tx, sizeof(tx));
}

/* ---- GET_PERMISSIONS ---- */

struct permissions_ctx {
	struct scmi_clock_permissions *perms;
};

static int permissions_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct permissions_ctx *c = SCMI_REQ_CTX(r, struct permissions_ctx);
	uint32_t word;

	(void)len;
	if (ret)
		return ret;
	word = scmi_get_le32(rx);
	c->perms->state_control = word & PERM_STATE;
	c->perms->parent_control = word & PERM_PARENT;
	c->perms->rate_control = word & PERM_RATE;
	return 0;
}

static const struct scmi_req_msg permissions_msg = {
	.msg_id = CLOCK_GET_PERMISSIONS,
	.rx_min = 4,
	.decode = permissions_decode,
};

static int clock_permissions_get(const struct scmi_handle *h, uint32_t clk_id,
				 struct scmi_clock_permissions *perms)
{
	struct scmi_protocol_handle *ph;
	struct clock_priv *cp;
	uint8_t tx[4];
	int ret;

	if (!perms)
		return -EINVAL;
	ret = clock_get(h, clk_id, &ph, &cp);
	if (ret)
		return ret;
	if (ph->version < CLOCK_V3)
		return clock_unsupported(ph, clk_id, "GET_PERMISSIONS");
	/* Unrestricted: nothing to ask.  Attributes refused: "restricted" is
	 * unknown, so the platform answers for itself. */
	if (!cp->clocks[clk_id].restricted && !cp->clocks[clk_id].attributes_err) {
		perms->state_control = perms->parent_control = perms->rate_control = true;
		return 0;
	}
	SCMI_REQ(r, ph);
	SCMI_REQ_CTX(r, struct permissions_ctx)->perms = perms;
	scmi_put_le32(tx, clk_id);
	return scmi_req_run(r, &permissions_msg, tx, sizeof(tx));
}

static const struct scmi_clock_ops clock_ops = {
	.count_get = clock_count_get,
	.info_get = clock_info_get,
	.rate_get = clock_rate_get,
	.rate_set = clock_rate_set,
	.enable = clock_enable,
	.disable = clock_disable,
	.state_get = clock_state_get,
	.config_oem_get = clock_config_oem_get,
	.config_oem_set = clock_config_oem_set,
	.parent_get = clock_parent_get,
	.parent_set = clock_parent_set,
	.permissions_get = clock_permissions_get,
};

const struct scmi_protocol scmi_clock_protocol = {
	.id = SCMI_PROTOCOL_CLOCK,
	.supported_version = SCMI_PROTO_VERSION(3, 0),
	.ops_offset = offsetof(struct scmi_handle, clock_ops),
	.ops = &clock_ops,
	.init = clock_init,
	.deinit = clock_deinit,
	.domains = clock_domains,
};

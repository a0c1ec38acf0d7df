/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Performance domain management model (0x13, spec digest §6.4, §2.8, §4, §5).
 *
 * Versions and their layouts:
 *   1.0  12-byte level entries, no fastchannels, short names only
 *   2.0  PERFORMANCE_DESCRIBE_FASTCHANNEL, domain attribute b27
 *   3.0  PERFORMANCE_DOMAIN_NAME_GET (b26), µW power unit (b17), LIMITS_SET
 *        with both limits 0 is invalid
 *   4.0  20-byte level entries (indicative frequency, level index) and
 *        level-indexing mode (b25): every level on the wire is an index
 *
 * The model keeps levels and limits as performance level values and
 * converts at the wire according to the version in use, so a domain in
 * level-indexing mode still behaves sensibly when the platform is set to
 * an older version.
 *
 * Permissions: perf domain N is Base device N; every command naming a
 * domain the agent lost access to (BASE_SET_*_PERMISSIONS) is DENIED, reads
 * included; a fastchannel write to it is dropped.
 *
 * Fastchannels: every channel and doorbell is carved from the simulator's
 * shared memory at creation.  Agent writes to "set" channels are taken in
 * the poll hook: on a doorbell ring, or (no doorbell) when the channel's
 * value changed since the last look, as a platform polling the window
 * would; they then act exactly like the message.  "Get" channels are
 * rewritten on every state change.  Doorbell registers hold a pattern in
 * bits outside every set mask, which an agent honouring the preserve mask
 * keeps; the model counts rings that lost it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum perf_msg {
	PERF_DOMAIN_ATTRIBUTES = 0x3,
	PERF_DESCRIBE_LEVELS = 0x4,
	PERF_LIMITS_SET = 0x5,
	PERF_LIMITS_GET = 0x6,
	PERF_LEVEL_SET = 0x7,
	PERF_LEVEL_GET = 0x8,
	PERF_NOTIFY_LIMITS = 0x9,
	PERF_NOTIFY_LEVEL = 0xA,
	PERF_DESCRIBE_FASTCHANNEL = 0xB,
	PERF_DOMAIN_NAME_GET = 0xC,
};

enum perf_evt {
	PERF_EVT_LIMITS_CHANGED = 0x0,
	PERF_EVT_LEVEL_CHANGED = 0x1,
};

#define PERF_V1 SIM_VERSION(1, 0)
#define PERF_V2 SIM_VERSION(2, 0)
#define PERF_V3 SIM_VERSION(3, 0)
#define PERF_V4 SIM_VERSION(4, 0)

/* PROTOCOL_ATTRIBUTES. */
#define PERF_PA_POWER_MW (1u << 16)
#define PERF_PA_POWER_UW (1u << 17) /* v3.0+ */

/* PERFORMANCE_DOMAIN_ATTRIBUTES. */
#define PERF_DA_SET_LIMITS	 (1u << 31)
#define PERF_DA_SET_LEVEL	 (1u << 30)
#define PERF_DA_LIMITS_NOTIFY	 (1u << 29)
#define PERF_DA_LEVEL_NOTIFY	 (1u << 28)
#define PERF_DA_FASTCHANNEL	 (1u << 27) /* v2.0+ */
#define PERF_DA_EXT_NAME	 (1u << 26) /* v3.0+ */
#define PERF_DA_LEVEL_INDEXING	 (1u << 25) /* v4.0+ */
#define PERF_RATE_LIMIT_MASK	 0xFFFFFu
#define PERF_NOTIFY_ENABLE	 (1u << 0)
#define PERF_LEVEL_ENTRY_V1	 12u
#define PERF_LEVEL_ENTRY_V4	 20u
#define PERF_LEVELS_COUNT_MAX	 0xFFFu /* returned: b[11:0] */
#define PERF_LEVELS_REMAIN_SHIFT 16
#define PERF_NAME_EXT_SIZE	 64u
#define PERF_EVT_LIMITS_SIZE	 16u
#define PERF_EVT_LEVEL_SIZE	 12u

/* DESCRIBE_FASTCHANNEL (§2.8). */
#define PERF_FC_ATTR_DOORBELL  (1u << 0)
#define PERF_FC_DB_WIDTH_SHIFT 1
#define PERF_FC_LEVEL_SIZE     4u
#define PERF_FC_LIMITS_SIZE    8u
/* An address no shared memory answers to (the UNMAPPED fault): outside the
 * window, and past the end of any file scmi-sim serves (a shmem:// agent
 * maps fastchannels from that file, where a low address would be valid). */
#define PERF_FC_BOGUS_ADDR 0xfffff000000ull

#define PERF_MAX_DOMAINS 8u
#define PERF_MAX_LEVELS	 24u
#define PERF_MAX_DBS	 8u

static const uint32_t perf_versions[] = {PERF_V1, PERF_V2, PERF_V3, PERF_V4, 0};

enum perf_fc_kind {
	PERF_FC_LEVEL_SET,
	PERF_FC_LEVEL_GET,
	PERF_FC_LIMITS_SET,
	PERF_FC_LIMITS_GET,
	PERF_FC_NUM
};

static const uint8_t perf_fc_msg[PERF_FC_NUM] = {
	[PERF_FC_LEVEL_SET] = PERF_LEVEL_SET,
	[PERF_FC_LEVEL_GET] = PERF_LEVEL_GET,
	[PERF_FC_LIMITS_SET] = PERF_LIMITS_SET,
	[PERF_FC_LIMITS_GET] = PERF_LIMITS_GET,
};

struct perf_level {
	uint32_t perf;
	uint32_t power_uw;
	uint32_t latency_us;
	uint32_t khz; /* indicative frequency */
};

/* A doorbell register; several channels may share one (own set bits). */
struct perf_db {
	uint8_t *ptr;
	uint64_t phys;
	unsigned int width;    /* bits */
	uint64_t pattern;      /* bits the platform keeps in the register */
	uint64_t pattern_mask; /* where they are */
};

struct perf_fc {
	bool present;
	uint8_t *chan;
	uint64_t phys;
	uint32_t size;
	struct perf_db *db; /* NULL: the platform polls the channel */
	uint64_t set;
	uint64_t preserve;
	uint32_t seen[2]; /* no doorbell: the values last taken */
	enum scmi_sim_perf_fc_fault fault;
};

struct perf_domain {
	char name[SCMI_SIM_PERF_NAME_MAX];
	uint32_t flags; /* PERF_DA_SET_* / *_NOTIFY / LEVEL_INDEXING */
	uint32_t rate_limit_us;
	uint32_t sustained_khz;
	uint32_t sustained_perf;
	unsigned int n_levels;
	struct perf_level levels[PERF_MAX_LEVELS]; /* ascending perf */
	unsigned int cur;			   /* index of the current level */
	uint32_t max, min;			   /* limits, performance levels */
	struct perf_fc fc[PERF_FC_NUM];
	/* Boot-time values, restored by RESET_AGENT_CONFIGURATION. */
	unsigned int def_cur;
	uint32_t def_max, def_min;
};

struct perf_state {
	unsigned int n_domains;
	struct perf_domain doms[PERF_MAX_DOMAINS];
	unsigned int n_dbs;
	struct perf_db dbs[PERF_MAX_DBS];
	enum scmi_sim_perf_power_unit unit;
	bool fc_enabled;
	bool fc_handed;	     /* some window was described to the agent */
	uint64_t stats_addr; /* advertised statistics region (len 0: none) */
	uint32_t stats_len;
	struct scmi_sim_perf_stats stats;
};

/* ---- wire encodings -------------------------------------------------------- */

static bool perf_indexing(const struct perf_domain *d, uint32_t version)
{
	return (d->flags & PERF_DA_LEVEL_INDEXING) && version >= PERF_V4;
}

static uint32_t perf_wire_level(const struct perf_domain *d, uint32_t version, unsigned int idx)
{
	return perf_indexing(d, version) ? idx : d->levels[idx].perf;
}

static bool perf_level_find(const struct perf_domain *d, uint32_t perf, unsigned int *idx)
{
	for (unsigned int i = 0; i < d->n_levels; i++) {
		if (d->levels[i].perf == perf) {
			*idx = i;
			return true;
		}
	}
	return false;
}

/* A level from the wire: its table index, or false when there is none. */
static bool perf_wire_to_idx(const struct perf_domain *d, uint32_t version, uint32_t wire,
			     unsigned int *idx)
{
	if (perf_indexing(d, version)) {
		if (wire >= d->n_levels)
			return false;
		*idx = wire;
		return true;
	}
	return perf_level_find(d, wire, idx);
}

/* A limit on the wire: as is, or in indexing mode the index of the
 * outermost level inside the range. */
static uint32_t perf_wire_limit(const struct perf_domain *d, uint32_t version, uint32_t limit,
				bool upper)
{
	unsigned int i;

	if (!perf_indexing(d, version))
		return limit;
	if (upper) {
		for (i = d->n_levels; i-- > 1;)
			if (d->levels[i].perf <= limit)
				break;
		return i;
	}
	for (i = 0; i + 1 < d->n_levels; i++)
		if (d->levels[i].perf >= limit)
			break;
	return i;
}

static bool perf_has_fc(const struct perf_domain *d)
{
	for (unsigned int k = 0; k < PERF_FC_NUM; k++)
		if (d->fc[k].present)
			return true;
	return false;
}

/* Attributes as the platform presents them at @version. */
static uint32_t perf_attrs(const struct perf_state *st, const struct perf_domain *d,
			   uint32_t version)
{
	uint32_t a = d->flags & (PERF_DA_SET_LIMITS | PERF_DA_SET_LEVEL | PERF_DA_LIMITS_NOTIFY |
				 PERF_DA_LEVEL_NOTIFY);

	if (version >= PERF_V2 && st->fc_enabled && perf_has_fc(d))
		a |= PERF_DA_FASTCHANNEL;
	if (version >= PERF_V3 && strlen(d->name) >= SIM_SHORT_NAME_SIZE)
		a |= PERF_DA_EXT_NAME;
	if (perf_indexing(d, version))
		a |= PERF_DA_LEVEL_INDEXING;
	return a;
}

/* The 15-character short name (NUL-terminated in its 16-byte field). */
static void perf_short_name(const struct perf_domain *d, char out[SIM_SHORT_NAME_SIZE])
{
	size_t n = strnlen(d->name, SIM_SHORT_NAME_SIZE - 1);

	memcpy(out, d->name, n);
	out[n] = '\0';
}

static uint32_t perf_unit_bits(const struct perf_state *st, uint32_t version)
{
	switch (st->unit) {
	case SCMI_SIM_PERF_POWER_UW:
		/* A platform older than 3.0 cannot say µW: it reports mW. */
		return version >= PERF_V3 ? PERF_PA_POWER_UW : PERF_PA_POWER_MW;
	case SCMI_SIM_PERF_POWER_MW:
		return PERF_PA_POWER_MW;
	default:
		return 0;
	}
}

static uint32_t perf_power_cost(const struct perf_state *st, uint32_t version, uint32_t uw)
{
	return perf_unit_bits(st, version) == PERF_PA_POWER_UW ? uw : uw / 1000;
}

/* ---- fastchannel memory ------------------------------------------------------ */

/* Width-generic atomics on a doorbell register (little-endian in memory;
 * @le: SIM_LE16 ..., or nothing for 8 bits). */
#define PERF_DB_CAS(type, le)                                                            \
	do {                                                                             \
		type *r = (type *)db->ptr, o = __atomic_load_n(r, __ATOMIC_ACQUIRE), n;  \
		do {                                                                     \
			type h = (type)le(o);                                            \
			if ((h & (type)fc->set) != (type)fc->set)                        \
				return false;                                            \
			*old = h;                                                        \
			n = (type)le((type)((h & ~(type)fc->set & ~(type)db->pattern_mask) | \
					    (type)db->pattern));                         \
		} while (!__atomic_compare_exchange_n(r, &o, n, false, __ATOMIC_ACQ_REL, \
						      __ATOMIC_ACQUIRE));                \
	} while (0)

/* Take a ring of @fc's doorbell: clear its set bits and restore the
 * register's pattern.  *@old gets the value found. */
static bool perf_db_cas(const struct perf_db *db, const struct perf_fc *fc, uint64_t *old)
{
	switch (db->width) {
	case 8:
		PERF_DB_CAS(uint8_t, );
		break;
	case 16:
		PERF_DB_CAS(uint16_t, SIM_LE16);
		break;
	case 32:
		PERF_DB_CAS(uint32_t, SIM_LE32);
		break;
	default:
		PERF_DB_CAS(uint64_t, SIM_LE64);
		break;
	}
	return true;
}

static void perf_db_store(const struct perf_db *db, uint64_t v)
{
	switch (db->width) {
	case 8:
		__atomic_store_n((uint8_t *)db->ptr, (uint8_t)v, __ATOMIC_RELEASE);
		break;
	case 16:
		__atomic_store_n((uint16_t *)db->ptr, SIM_LE16((uint16_t)v), __ATOMIC_RELEASE);
		break;
	case 32:
		__atomic_store_n((uint32_t *)db->ptr, SIM_LE32((uint32_t)v), __ATOMIC_RELEASE);
		break;
	default:
		__atomic_store_n((uint64_t *)db->ptr, SIM_LE64(v), __ATOMIC_RELEASE);
		break;
	}
}

static bool perf_db_take(struct perf_state *st, const struct perf_fc *fc)
{
	uint64_t old;

	if (!perf_db_cas(fc->db, fc, &old))
		return false;
	st->stats.doorbell_rings++;
	if ((old & fc->db->pattern_mask) != fc->db->pattern)
		st->stats.doorbell_clobbered++;
	return true;
}

/* Refresh the "get" channels of @d after a state change (and the "set"
 * channels without doorbell, which then read as the last request taken). */
static void perf_fc_sync(uint32_t version, struct perf_domain *d, bool with_set)
{
	uint32_t lvl = perf_wire_level(d, version, d->cur);
	uint32_t max = perf_wire_limit(d, version, d->max, true);
	uint32_t min = perf_wire_limit(d, version, d->min, false);
	struct perf_fc *fc;

	fc = &d->fc[PERF_FC_LEVEL_GET];
	if (fc->present)
		sim_mem_write32(fc->chan, lvl);
	fc = &d->fc[PERF_FC_LIMITS_GET];
	if (fc->present) {
		sim_mem_write32(fc->chan, max);
		sim_mem_write32(fc->chan + 4, min);
	}
	if (!with_set)
		return;
	fc = &d->fc[PERF_FC_LEVEL_SET];
	if (fc->present && !fc->db) {
		sim_mem_write32(fc->chan, lvl);
		fc->seen[0] = lvl;
	}
	fc = &d->fc[PERF_FC_LIMITS_SET];
	if (fc->present && !fc->db) {
		sim_mem_write32(fc->chan, max);
		sim_mem_write32(fc->chan + 4, min);
		fc->seen[0] = max;
		fc->seen[1] = min;
	}
}

/* ---- state changes and their notifications --------------------------------- */

static void perf_level_change(struct sim_proto *p, uint32_t dom, unsigned int idx,
			      uint32_t agent_id)
{
	struct perf_domain *d = &((struct perf_state *)p->state)->doms[dom];
	uint8_t payload[PERF_EVT_LEVEL_SIZE];

	if (idx == d->cur)
		return;
	d->cur = idx;
	perf_fc_sync(p->active, d, false);
	sim_put_le32(payload, agent_id);
	sim_put_le32(payload + 4, dom);
	sim_put_le32(payload + 8, perf_wire_level(d, p->active, idx));
	sim_notify(p->sim, SIM_PROTO_PERF, PERF_EVT_LEVEL_CHANGED, dom, payload, sizeof(payload),
		   0);
}

/* The level the platform runs at once limits [@min, @max] apply. */
static unsigned int perf_clamp(const struct perf_domain *d, uint32_t max, uint32_t min)
{
	unsigned int i = d->cur;

	while (i > 0 && d->levels[i].perf > max)
		i--;
	while (i + 1 < d->n_levels && d->levels[i].perf < min)
		i++;
	return i;
}

static void perf_limits_change(struct sim_proto *p, uint32_t dom, uint32_t max, uint32_t min,
			       uint32_t agent_id)
{
	struct perf_domain *d = &((struct perf_state *)p->state)->doms[dom];
	uint8_t payload[PERF_EVT_LIMITS_SIZE];

	if (max == d->max && min == d->min)
		return;
	d->max = max;
	d->min = min;
	perf_fc_sync(p->active, d, false);
	sim_put_le32(payload, agent_id);
	sim_put_le32(payload + 4, dom);
	sim_put_le32(payload + 8, perf_wire_limit(d, p->active, max, true));
	sim_put_le32(payload + 12, perf_wire_limit(d, p->active, min, false));
	sim_notify(p->sim, SIM_PROTO_PERF, PERF_EVT_LIMITS_CHANGED, dom, payload, sizeof(payload),
		   0);
	perf_level_change(p, dom, perf_clamp(d, max, min), agent_id);
}

/* ---- request checks shared by messages and fastchannels ------------------- */

static bool perf_level_in_range(const struct perf_domain *d, uint32_t max, uint32_t min)
{
	for (unsigned int i = 0; i < d->n_levels; i++)
		if (d->levels[i].perf >= min && d->levels[i].perf <= max)
			return true;
	return false;
}

/* LEVEL_SET of wire value @wire: SIM_SUCCESS and *@idx, or the status. */
static int32_t perf_level_check(const struct perf_domain *d, uint32_t version, uint32_t wire,
				unsigned int *idx)
{
	if (!perf_wire_to_idx(d, version, wire, idx))
		return SIM_OUT_OF_RANGE;
	if (d->levels[*idx].perf > d->max || d->levels[*idx].perf < d->min)
		return SIM_OUT_OF_RANGE;
	return SIM_SUCCESS;
}

/* LIMITS_SET of wire values: SIM_SUCCESS and the limits as levels. */
static int32_t perf_limits_check(const struct perf_domain *d, uint32_t version, uint32_t wmax,
				 uint32_t wmin, uint32_t *max, uint32_t *min)
{
	/* Linux refuses both limits zero from 3.0 on; so does the platform. */
	if (version >= PERF_V3 && !wmax && !wmin)
		return SIM_INVALID_PARAMETERS;
	if (perf_indexing(d, version)) {
		if (wmax >= d->n_levels || wmin >= d->n_levels)
			return SIM_OUT_OF_RANGE;
		wmax = d->levels[wmax].perf;
		wmin = d->levels[wmin].perf;
	}
	if (wmin > wmax)
		return SIM_INVALID_PARAMETERS;
	if (wmax > d->levels[d->n_levels - 1].perf || wmin < d->levels[0].perf ||
	    !perf_level_in_range(d, wmax, wmin))
		return SIM_OUT_OF_RANGE;
	*max = wmax;
	*min = wmin;
	return SIM_SUCCESS;
}

/* ---- commands --------------------------------------------------------------- */

static struct perf_state *perf_st(const struct sim_ctx *ctx)
{
	return ctx->proto->state;
}

/* The domain named by the request's first word, or NULL (NOT_FOUND or
 * DENIED sent). */
static struct perf_domain *perf_req_domain(struct sim_ctx *ctx, uint32_t *dom)
{
	struct perf_state *st = perf_st(ctx);

	*dom = sim_req_u32(ctx, 0);
	if (*dom >= st->n_domains) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return NULL;
	}
	if (!sim_resource_check(ctx, *dom))
		return NULL;
	return &st->doms[*dom];
}

static bool perf_may_set(struct sim_ctx *ctx, const struct perf_domain *d, uint32_t dom,
			 uint32_t flag)
{
	(void)dom; /* device access: checked with the lookup */
	if (!(d->flags & flag)) {
		sim_reply_error(ctx, SIM_DENIED);
		return false;
	}
	return true;
}

static void perf_attributes(struct sim_ctx *ctx)
{
	struct perf_state *st = perf_st(ctx);

	sim_reply_u32(ctx, st->n_domains | perf_unit_bits(st, ctx->version));
	sim_reply_u32(ctx, (uint32_t)st->stats_addr);
	sim_reply_u32(ctx, (uint32_t)(st->stats_addr >> 32));
	sim_reply_u32(ctx, st->stats_len);
}

static void perf_domain_attributes(struct sim_ctx *ctx)
{
	char name[SIM_SHORT_NAME_SIZE];
	struct perf_domain *d;
	uint32_t dom;

	d = perf_req_domain(ctx, &dom);
	if (!d)
		return;
	sim_reply_u32(ctx, perf_attrs(perf_st(ctx), d, ctx->version));
	sim_reply_u32(ctx, d->rate_limit_us & PERF_RATE_LIMIT_MASK);
	sim_reply_u32(ctx, d->sustained_khz);
	sim_reply_u32(ctx, d->sustained_perf);
	perf_short_name(d, name);
	sim_reply_name(ctx, name);
}

static void perf_describe_levels(struct sim_ctx *ctx)
{
	struct perf_state *st = perf_st(ctx);
	uint32_t dom, index = sim_req_u32(ctx, 4);
	size_t esz = ctx->version >= PERF_V4 ? PERF_LEVEL_ENTRY_V4 : PERF_LEVEL_ENTRY_V1;
	struct perf_domain *d;
	size_t room, n;

	d = perf_req_domain(ctx, &dom);
	if (!d)
		return;
	/* SCP-firmware (scmi_perf_describe_levels_handler): an index at or
	 * past the end of the table is INVALID_PARAMETERS. */
	if (index >= d->n_levels) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	room = sim_reply_room(ctx);
	n = room < 4 ? 0 : (room - 4) / esz;
	if (ctx->sim->max_list_items && n > ctx->sim->max_list_items)
		n = ctx->sim->max_list_items;
	if (n > PERF_LEVELS_COUNT_MAX)
		n = PERF_LEVELS_COUNT_MAX;
	if (n > d->n_levels - index)
		n = d->n_levels - index;
	sim_reply_u32(ctx, (uint32_t)n | (uint32_t)(d->n_levels - index - n)
						 << PERF_LEVELS_REMAIN_SHIFT);
	for (size_t i = 0; i < n; i++) {
		const struct perf_level *l = &d->levels[index + i];
		uint8_t *e = sim_reply_put(ctx, esz);

		if (!e)
			return;
		sim_put_le32(e, l->perf);
		sim_put_le32(e + 4, perf_power_cost(st, ctx->version, l->power_uw));
		sim_put_le32(e + 8, l->latency_us & 0xFFFFu);
		if (esz == PERF_LEVEL_ENTRY_V4) {
			sim_put_le32(e + 12, l->khz);
			sim_put_le32(e + 16, index + (uint32_t)i);
		}
	}
}

static void perf_limits_set(struct sim_ctx *ctx)
{
	struct perf_domain *d;
	uint32_t dom, max, min;
	int32_t status;

	d = perf_req_domain(ctx, &dom);
	if (!d || !perf_may_set(ctx, d, dom, PERF_DA_SET_LIMITS))
		return;
	status = perf_limits_check(d, ctx->version, sim_req_u32(ctx, 4), sim_req_u32(ctx, 8), &max,
				   &min);
	if (status) {
		sim_reply_error(ctx, status);
		return;
	}
	perf_limits_change(ctx->proto, dom, max, min, ctx->sim->agent_id);
	perf_fc_sync(ctx->version, d, true);
}

static void perf_limits_get(struct sim_ctx *ctx)
{
	struct perf_domain *d;
	uint32_t dom;

	d = perf_req_domain(ctx, &dom);
	if (!d)
		return;
	sim_reply_u32(ctx, perf_wire_limit(d, ctx->version, d->max, true));
	sim_reply_u32(ctx, perf_wire_limit(d, ctx->version, d->min, false));
}

static void perf_level_set(struct sim_ctx *ctx)
{
	struct perf_domain *d;
	unsigned int idx;
	int32_t status;
	uint32_t dom;

	d = perf_req_domain(ctx, &dom);
	if (!d || !perf_may_set(ctx, d, dom, PERF_DA_SET_LEVEL))
		return;
	status = perf_level_check(d, ctx->version, sim_req_u32(ctx, 4), &idx);
	if (status) {
		sim_reply_error(ctx, status);
		return;
	}
	perf_level_change(ctx->proto, dom, idx, ctx->sim->agent_id);
	perf_fc_sync(ctx->version, d, true);
}

static void perf_level_get(struct sim_ctx *ctx)
{
	struct perf_domain *d;
	uint32_t dom;

	d = perf_req_domain(ctx, &dom);
	if (d)
		sim_reply_u32(ctx, perf_wire_level(d, ctx->version, d->cur));
}

static void perf_notify(struct sim_ctx *ctx, uint8_t evt, uint32_t flag)
{
	uint32_t dom, ctl = sim_req_u32(ctx, 4);
	struct perf_domain *d;

	d = perf_req_domain(ctx, &dom);
	if (!d)
		return;
	if (ctl & ~PERF_NOTIFY_ENABLE)
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	else if (!(d->flags & flag))
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
	else if (sim_notify_request(ctx->sim, SIM_PROTO_PERF, evt, dom, ctl & PERF_NOTIFY_ENABLE))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

static void perf_notify_limits(struct sim_ctx *ctx)
{
	perf_notify(ctx, PERF_EVT_LIMITS_CHANGED, PERF_DA_LIMITS_NOTIFY);
}

static void perf_notify_level(struct sim_ctx *ctx)
{
	perf_notify(ctx, PERF_EVT_LEVEL_CHANGED, PERF_DA_LEVEL_NOTIFY);
}

static int perf_fc_kind(uint32_t msg_id)
{
	for (int k = 0; k < PERF_FC_NUM; k++)
		if (perf_fc_msg[k] == msg_id)
			return k;
	return -1;
}

static unsigned int perf_db_width_code(unsigned int width)
{
	return width == 8 ? 0 : width == 16 ? 1 : width == 32 ? 2 : 3;
}

static void perf_describe_fastchannel(struct sim_ctx *ctx)
{
	struct perf_state *st = perf_st(ctx);
	uint32_t dom, msg, attr = 0;
	struct perf_domain *d;
	struct perf_fc *fc;
	uint64_t addr, set;
	uint32_t size;
	int kind;

	d = perf_req_domain(ctx, &dom);
	if (!d)
		return;
	/*
	 * SCP-firmware's order (perf_fch_describe_fast_channels): a domain
	 * without fastchannels is NOT_SUPPORTED whatever the message; a
	 * message id the protocol does not have (in the version in use) is
	 * NOT_FOUND; a message that exists but has no fastchannel (not one of
	 * LEVEL/LIMITS SET/GET, or no channel for it here) is NOT_SUPPORTED.
	 */
	if (!st->fc_enabled || !perf_has_fc(d)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	msg = sim_req_u32(ctx, 4);
	if (msg > 0xFF || !sim_msg_implemented(ctx->proto, (uint8_t)msg)) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	kind = perf_fc_kind(msg);
	if (kind < 0 || !d->fc[kind].present) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	fc = &d->fc[kind];
	addr = fc->fault == SCMI_SIM_PERF_FC_UNMAPPED	  ? PERF_FC_BOGUS_ADDR
	       : fc->fault == SCMI_SIM_PERF_FC_MISALIGNED ? fc->phys + 2
							  : fc->phys;
	size = fc->size + (fc->fault == SCMI_SIM_PERF_FC_BAD_SIZE ? 4 : 0);
	set = fc->set;
	if (fc->db) {
		attr = PERF_FC_ATTR_DOORBELL | perf_db_width_code(fc->db->width)
						       << PERF_FC_DB_WIDTH_SHIFT;
		if (fc->fault == SCMI_SIM_PERF_FC_BAD_DB_MASK && fc->db->width < 64)
			set |= UINT64_C(1) << fc->db->width;
	}
	sim_reply_u32(ctx, attr);
	sim_reply_u32(ctx, d->rate_limit_us & PERF_RATE_LIMIT_MASK);
	sim_reply_u32(ctx, (uint32_t)addr);
	sim_reply_u32(ctx, (uint32_t)(addr >> 32));
	sim_reply_u32(ctx, size);
	sim_reply_u32(ctx, fc->db ? (uint32_t)fc->db->phys : 0);
	sim_reply_u32(ctx, fc->db ? (uint32_t)(fc->db->phys >> 32) : 0);
	sim_reply_u32(ctx, fc->db ? (uint32_t)set : 0);
	sim_reply_u32(ctx, fc->db ? (uint32_t)(set >> 32) : 0);
	sim_reply_u32(ctx, fc->db ? (uint32_t)fc->preserve : 0);
	sim_reply_u32(ctx, fc->db ? (uint32_t)(fc->preserve >> 32) : 0);
	if (ctx->status)
		return;
	/* The window now belongs to the agent too: show the current state in
	 * the layout of this version, and start watching for writes. */
	perf_fc_sync(ctx->version, d, true);
	st->fc_handed = true;
	sim_poll_request(ctx->sim);
}

static void perf_domain_name_get(struct sim_ctx *ctx)
{
	struct perf_domain *d;
	uint32_t dom;
	uint8_t *p;

	d = perf_req_domain(ctx, &dom);
	if (!d)
		return;
	if (!(perf_attrs(perf_st(ctx), d, ctx->version) & PERF_DA_EXT_NAME)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, 0); /* flags: reserved */
	p = sim_reply_put(ctx, PERF_NAME_EXT_SIZE);
	if (p)
		memcpy(p, d->name, strnlen(d->name, PERF_NAME_EXT_SIZE - 1));
}

static uint32_t perf_msg_attributes(struct sim_ctx *ctx, uint8_t msg_id)
{
	struct perf_state *st = perf_st(ctx);
	int kind = perf_fc_kind(msg_id);

	if (kind < 0 || !st->fc_enabled || ctx->version < PERF_V2)
		return 0;
	for (unsigned int i = 0; i < st->n_domains; i++)
		if (st->doms[i].fc[kind].present)
			return 1; /* b0: a fastchannel exists for this message */
	return 0;
}

static const struct sim_cmd perf_cmds[] = {
	{PERF_DOMAIN_ATTRIBUTES, PERF_V1, 4, perf_domain_attributes},
	{PERF_DESCRIBE_LEVELS, PERF_V1, 8, perf_describe_levels},
	{PERF_LIMITS_SET, PERF_V1, 12, perf_limits_set},
	{PERF_LIMITS_GET, PERF_V1, 4, perf_limits_get},
	{PERF_LEVEL_SET, PERF_V1, 8, perf_level_set},
	{PERF_LEVEL_GET, PERF_V1, 4, perf_level_get},
	{PERF_NOTIFY_LIMITS, PERF_V1, 8, perf_notify_limits},
	{PERF_NOTIFY_LEVEL, PERF_V1, 8, perf_notify_level},
	{PERF_DESCRIBE_FASTCHANNEL, PERF_V2, 8, perf_describe_fastchannel},
	{PERF_DOMAIN_NAME_GET, PERF_V3, 4, perf_domain_name_get},
};

/* ---- fastchannel writes (poll hook) ------------------------------------------ */

static void perf_fc_level(struct sim_proto *p, struct perf_state *st, uint32_t dom)
{
	struct perf_domain *d = &st->doms[dom];
	struct perf_fc *fc = &d->fc[PERF_FC_LEVEL_SET];
	uint32_t wire;
	unsigned int idx;

	if (fc->db) {
		if (!perf_db_take(st, fc))
			return;
		wire = sim_mem_read32(fc->chan);
	} else {
		wire = sim_mem_read32(fc->chan);
		if (wire == fc->seen[0])
			return;
		fc->seen[0] = wire;
	}
	/* No status to return: a write the message would refuse is dropped. */
	if (!(d->flags & PERF_DA_SET_LEVEL) || !sim_resource_allowed(p->sim, SIM_PROTO_PERF, dom) ||
	    perf_level_check(d, p->active, wire, &idx)) {
		st->stats.fc_rejected++;
		return;
	}
	st->stats.fc_level_sets++;
	perf_level_change(p, dom, idx, p->sim->agent_id);
}

static void perf_fc_limits(struct sim_proto *p, struct perf_state *st, uint32_t dom)
{
	struct perf_domain *d = &st->doms[dom];
	struct perf_fc *fc = &d->fc[PERF_FC_LIMITS_SET];
	uint32_t wmax, wmin, max, min;

	if (fc->db && !perf_db_take(st, fc))
		return;
	wmax = sim_mem_read32(fc->chan);
	wmin = sim_mem_read32(fc->chan + 4);
	if (!fc->db) {
		if (wmax == fc->seen[0] && wmin == fc->seen[1])
			return;
		fc->seen[0] = wmax;
		fc->seen[1] = wmin;
	}
	if (!(d->flags & PERF_DA_SET_LIMITS) ||
	    !sim_resource_allowed(p->sim, SIM_PROTO_PERF, dom) ||
	    perf_limits_check(d, p->active, wmax, wmin, &max, &min)) {
		st->stats.fc_rejected++;
		return;
	}
	st->stats.fc_limits_sets++;
	perf_limits_change(p, dom, max, min, p->sim->agent_id);
}

static void perf_poll(struct sim_proto *p)
{
	struct perf_state *st = p->state;

	if (!st->fc_handed || !st->fc_enabled || p->active < PERF_V2)
		return;
	for (uint32_t i = 0; i < st->n_domains; i++) {
		if (st->doms[i].fc[PERF_FC_LEVEL_SET].present)
			perf_fc_level(p, st, i);
		if (st->doms[i].fc[PERF_FC_LIMITS_SET].present)
			perf_fc_limits(p, st, i);
	}
}

/* ---- the default platform ------------------------------------------------------ */

struct perf_fc_spec {
	int db;		   /* index into the state's doorbells, -1: none */
	uint64_t set;	   /* set mask */
	uint64_t preserve; /* preserve mask */
};

static struct perf_domain *perf_domain_add(struct perf_state *st, const char *name, uint32_t flags,
					   uint32_t rate_limit_us, uint32_t sustained_khz,
					   uint32_t sustained_perf)
{
	struct perf_domain *d = &st->doms[st->n_domains++];

	strncpy(d->name, name, sizeof(d->name) - 1);
	d->flags = flags;
	d->rate_limit_us = rate_limit_us;
	d->sustained_khz = sustained_khz;
	d->sustained_perf = sustained_perf;
	return d;
}

/* Power grows faster than performance: base + step * i * (i + 1) / 2. */
static void perf_level_add(struct perf_domain *d, uint32_t perf, uint32_t khz, uint32_t power_uw,
			   uint32_t latency_us)
{
	struct perf_level *l = &d->levels[d->n_levels++];

	l->perf = perf;
	l->khz = khz;
	l->power_uw = power_uw;
	l->latency_us = latency_us;
}

static void perf_levels_linear(struct perf_domain *d, unsigned int n, uint32_t first, uint32_t step,
			       uint32_t khz_per_perf, uint32_t power_base, uint32_t power_step,
			       uint32_t latency_us)
{
	for (unsigned int i = 0; i < n; i++) {
		uint32_t perf = first + step * i;

		perf_level_add(d, perf, perf * khz_per_perf,
			       power_base + power_step * i * (i + 1) / 2, latency_us);
	}
}

static void perf_boot_state(struct perf_domain *d, unsigned int cur)
{
	d->cur = d->def_cur = cur;
	d->max = d->def_max = d->levels[d->n_levels - 1].perf;
	d->min = d->def_min = d->levels[0].perf;
}

static int perf_db_new(struct scmi_sim *sim, struct perf_state *st, unsigned int width,
		       uint64_t pattern, uint64_t pattern_mask)
{
	struct perf_db *db = &st->dbs[st->n_dbs];
	void *ptr;
	int ret;

	ret = sim_mem_alloc(sim, width / 8, &db->phys, &ptr);
	if (ret)
		return ret;
	db->ptr = ptr;
	db->width = width;
	db->pattern = pattern;
	db->pattern_mask = pattern_mask;
	perf_db_store(db, pattern);
	return (int)st->n_dbs++;
}

static int perf_fc_add(struct scmi_sim *sim, struct perf_state *st, struct perf_domain *d,
		       enum perf_fc_kind kind, const struct perf_fc_spec *spec)
{
	struct perf_fc *fc = &d->fc[kind];
	bool limits = kind == PERF_FC_LIMITS_SET || kind == PERF_FC_LIMITS_GET;
	void *ptr;
	int ret;

	fc->size = limits ? PERF_FC_LIMITS_SIZE : PERF_FC_LEVEL_SIZE;
	ret = sim_mem_alloc(sim, fc->size, &fc->phys, &ptr);
	if (ret)
		return ret;
	fc->chan = ptr;
	fc->present = true;
	if (spec && spec->db >= 0) {
		fc->db = &st->dbs[spec->db];
		fc->set = spec->set;
		fc->preserve = spec->preserve;
	}
	return 0;
}

/* All four channels; @lvl / @lim describe the doorbells of the set ones. */
static int perf_fc_add_all(struct scmi_sim *sim, struct perf_state *st, struct perf_domain *d,
			   const struct perf_fc_spec *lvl, const struct perf_fc_spec *lim)
{
	int ret = perf_fc_add(sim, st, d, PERF_FC_LEVEL_SET, lvl);

	if (!ret)
		ret = perf_fc_add(sim, st, d, PERF_FC_LEVEL_GET, NULL);
	if (!ret)
		ret = perf_fc_add(sim, st, d, PERF_FC_LIMITS_SET, lim);
	if (!ret)
		ret = perf_fc_add(sim, st, d, PERF_FC_LIMITS_GET, NULL);
	return ret;
}

#define PERF_DA_RW     (PERF_DA_SET_LIMITS | PERF_DA_SET_LEVEL)
#define PERF_DA_NOTIFY (PERF_DA_LIMITS_NOTIFY | PERF_DA_LEVEL_NOTIFY)

static int perf_platform_build(struct scmi_sim *sim, struct perf_state *st)
{
	static const uint32_t mib_perf[] = {10, 25, 40, 60, 80, 100};
	static const uint32_t mib_khz[] = {200000, 533000, 800000, 1200000, 1600000, 2133000};
	struct perf_fc_spec lvl, lim;
	struct perf_domain *d;
	int db, ret;

	/* 0: little cores; both set channels ring one 8-bit register. */
	d = perf_domain_add(st, "cpu-little", PERF_DA_RW | PERF_DA_NOTIFY, 100, 1500000, 1500);
	perf_level_add(d, 300, 300000, 30000, 150);
	perf_levels_linear(d, 6, 500, 200, 1000, 60000, 12000, 150); /* 500..1500 */
	perf_level_add(d, 1800, 1800000, 420000, 150);
	perf_boot_state(d, 6);
	db = perf_db_new(sim, st, 8, 0xA0, 0xF0);
	if (db < 0)
		return db;
	lvl = (struct perf_fc_spec){db, 0x01, 0xFE};
	lim = (struct perf_fc_spec){db, 0x02, 0xFD};
	ret = perf_fc_add_all(sim, st, d, &lvl, &lim);
	if (ret)
		return ret;

	/* 1: big cores, 20 levels, a name longer than 15 characters. */
	d = perf_domain_add(st, "cpu-big-cluster-performance", PERF_DA_RW | PERF_DA_NOTIFY, 50,
			    2000000, 2000);
	perf_levels_linear(d, 20, 400, 100, 1000, 100000, 9000, 250); /* 400..2300 */
	perf_boot_state(d, 16);
	db = perf_db_new(sim, st, 32, 0xCAFE0000u, 0xFFFF0000u);
	if (db < 0)
		return db;
	lvl = (struct perf_fc_spec){db, 0x1, 0xFFFF0000u};
	db = perf_db_new(sim, st, 64, UINT64_C(0x1234567800000000), UINT64_C(0xFFFFFFFF00000000));
	if (db < 0)
		return db;
	lim = (struct perf_fc_spec){db, UINT64_C(1) << 8, UINT64_C(0xFFFFFFFF00000000)};
	ret = perf_fc_add_all(sim, st, d, &lvl, &lim);
	if (ret)
		return ret;

	/* 2: GPU with levels in kHz and no sustained values (default factor);
	 * fastchannels without doorbell; no level notifications. */
	d = perf_domain_add(st, "gpu", PERF_DA_RW | PERF_DA_LIMITS_NOTIFY, 1000, 0, 0);
	perf_levels_linear(d, 12, 200000, 50000, 1, 150000, 40000, 500); /* 200..750 MHz */
	perf_boot_state(d, 6);
	ret = perf_fc_add_all(sim, st, d, NULL, NULL);
	if (ret)
		return ret;

	/* 3: DSP: the agent sets the level only; no notifications, no
	 * fastchannels. */
	d = perf_domain_add(st, "dsp", PERF_DA_SET_LEVEL, 0, 800000, 800);
	perf_levels_linear(d, 5, 200, 200, 1000, 5000, 3000, 100);
	perf_boot_state(d, 2);

	/* 4: interconnect in level-indexing mode (v4), 16-bit doorbells; its
	 * indicative frequencies are not level x factor. */
	d = perf_domain_add(st, "memory-interconnect-bus",
			    PERF_DA_RW | PERF_DA_NOTIFY | PERF_DA_LEVEL_INDEXING, 0, 1600000, 80);
	for (unsigned int i = 0; i < SIM_ARRAY_SIZE(mib_perf); i++)
		perf_level_add(d, mib_perf[i], mib_khz[i], 20000 + 15000 * i, 50);
	perf_boot_state(d, 3);
	db = perf_db_new(sim, st, 16, 0x005A, 0x00FF);
	if (db < 0)
		return db;
	lvl = (struct perf_fc_spec){db, 0x0100, 0x00FF};
	db = perf_db_new(sim, st, 16, 0, 0);
	if (db < 0)
		return db;
	lim = (struct perf_fc_spec){db, 0x0001, 0};
	ret = perf_fc_add_all(sim, st, d, &lvl, &lim);
	if (ret)
		return ret;

	/* 5: NPU: the platform alone drives it; the agent only watches. */
	d = perf_domain_add(st, "npu", PERF_DA_NOTIFY, 0, 400000, 400);
	perf_levels_linear(d, 4, 100, 100, 1000, 50000, 50000, 1000);
	perf_boot_state(d, 1);

	for (unsigned int i = 0; i < st->n_domains; i++)
		perf_fc_sync(PERF_V4, &st->doms[i], true);
	return 0;
}

static int perf_init(struct sim_proto *p)
{
	struct perf_state *st = calloc(1, sizeof(*st));
	int ret;

	if (!st)
		return -ENOMEM;
	st->unit = SCMI_SIM_PERF_POWER_UW;
	st->fc_enabled = true;
	ret = perf_platform_build(p->sim, st);
	if (ret) {
		free(st);
		return ret;
	}
	p->state = st;
	return 0;
}

static void perf_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

/* The only agent's settings are the platform's levels and limits: put
 * them back as they were at boot (a platform-side change, agent_id 0). */
static void perf_agent_reset(struct sim_proto *p, uint32_t agent_id)
{
	struct perf_state *st = p->state;

	if (agent_id != p->sim->agent_id)
		return;
	for (uint32_t i = 0; i < st->n_domains; i++) {
		struct perf_domain *d = &st->doms[i];

		perf_limits_change(p, i, d->def_max, d->def_min, 0);
		perf_level_change(p, i, d->def_cur, 0);
		perf_fc_sync(p->active, d, true);
	}
}

const struct sim_proto_ops sim_perf_ops = {
	.id = SIM_PROTO_PERF,
	.name = "perf",
	.versions = perf_versions,
	/* NEGOTIATE_PROTOCOL_VERSION came with SCMI v3.2, where Perf is 4.0. */
	.negotiate_since = PERF_V4,
	.cmds = perf_cmds,
	.num_cmds = SIM_ARRAY_SIZE(perf_cmds),
	.init = perf_init,
	.fini = perf_fini,
	.attributes = perf_attributes,
	.msg_attributes = perf_msg_attributes,
	.agent_reset = perf_agent_reset,
	.poll = perf_poll,
};

/* ---- test-facing API ------------------------------------------------------------ */

/* Lock @sim and find the model; NULL (unlocked) when not modelled. */
static struct sim_proto *perf_lock(struct scmi_sim *sim)
{
	struct sim_proto *p;

	sim_lock(sim);
	p = sim_proto_get(sim, SIM_PROTO_PERF);
	if (!p || p->ops != &sim_perf_ops) {
		sim_unlock(sim);
		return NULL;
	}
	return p;
}

/* Lock and find domain @dom; -ENOENT (unlocked) when there is none. */
static int perf_lock_domain(struct scmi_sim *sim, uint32_t dom, struct sim_proto **pp,
			    struct perf_domain **dp)
{
	struct sim_proto *p = perf_lock(sim);
	struct perf_state *st;

	if (!p)
		return -ENOENT;
	st = p->state;
	if (dom >= st->n_domains) {
		sim_unlock(sim);
		return -ENOENT;
	}
	*pp = p;
	*dp = &st->doms[dom];
	return 0;
}

int scmi_sim_perf_num_domains(struct scmi_sim *sim)
{
	struct sim_proto *p;
	int n;

	if (!sim)
		return -EINVAL;
	p = perf_lock(sim);
	if (!p)
		return -ENOENT;
	n = (int)((struct perf_state *)p->state)->n_domains;
	sim_unlock(sim);
	return n;
}

int scmi_sim_perf_power_unit_get(struct scmi_sim *sim, enum scmi_sim_perf_power_unit *unit)
{
	struct sim_proto *p;
	uint32_t bits;

	if (!sim || !unit)
		return -EINVAL;
	p = perf_lock(sim);
	if (!p)
		return -ENOENT;
	bits = perf_unit_bits(p->state, p->active);
	*unit = bits == PERF_PA_POWER_UW   ? SCMI_SIM_PERF_POWER_UW
		: bits == PERF_PA_POWER_MW ? SCMI_SIM_PERF_POWER_MW
					   : SCMI_SIM_PERF_POWER_ABSTRACT;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_perf_power_unit_set(struct scmi_sim *sim, enum scmi_sim_perf_power_unit unit)
{
	struct sim_proto *p;

	if (!sim || unit > SCMI_SIM_PERF_POWER_UW)
		return -EINVAL;
	p = perf_lock(sim);
	if (!p)
		return -ENOENT;
	((struct perf_state *)p->state)->unit = unit;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_perf_domain_get(struct scmi_sim *sim, uint32_t domain,
			     struct scmi_sim_perf_domain *out)
{
	struct perf_domain *d;
	struct sim_proto *p;
	uint32_t a;
	int ret;

	if (!sim || !out)
		return -EINVAL;
	ret = perf_lock_domain(sim, domain, &p, &d);
	if (ret)
		return ret;
	a = perf_attrs(p->state, d, p->active);
	memset(out, 0, sizeof(*out));
	if (a & PERF_DA_EXT_NAME)
		memcpy(out->name, d->name, sizeof(out->name));
	else
		perf_short_name(d, out->name);
	out->can_set_limits = a & PERF_DA_SET_LIMITS;
	out->can_set_level = a & PERF_DA_SET_LEVEL;
	out->limits_notify = a & PERF_DA_LIMITS_NOTIFY;
	out->level_notify = a & PERF_DA_LEVEL_NOTIFY;
	out->fastchannels = a & PERF_DA_FASTCHANNEL;
	out->extended_name = a & PERF_DA_EXT_NAME;
	out->level_indexing = a & PERF_DA_LEVEL_INDEXING;
	out->rate_limit_us = d->rate_limit_us;
	out->sustained_freq_khz = d->sustained_khz;
	out->sustained_perf_level = d->sustained_perf;
	out->num_levels = d->n_levels;
	out->level = d->levels[d->cur].perf;
	out->range_max = d->max;
	out->range_min = d->min;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_perf_level_entry(struct scmi_sim *sim, uint32_t domain, unsigned int idx,
			      struct scmi_sim_perf_level *out)
{
	struct perf_domain *d;
	struct sim_proto *p;
	int ret;

	if (!sim || !out)
		return -EINVAL;
	ret = perf_lock_domain(sim, domain, &p, &d);
	if (ret)
		return ret;
	if (idx >= d->n_levels) {
		sim_unlock(sim);
		return -ENOENT;
	}
	out->perf = d->levels[idx].perf;
	out->power_cost = perf_power_cost(p->state, p->active, d->levels[idx].power_uw);
	out->latency_us = d->levels[idx].latency_us;
	out->indicative_khz = d->levels[idx].khz;
	out->level_index = idx;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_perf_level_set(struct scmi_sim *sim, uint32_t domain, uint32_t level)
{
	struct perf_domain *d;
	struct sim_proto *p;
	unsigned int idx;
	int ret;

	if (!sim)
		return -EINVAL;
	ret = perf_lock_domain(sim, domain, &p, &d);
	if (ret)
		return ret;
	if (!perf_level_find(d, level, &idx))
		ret = -EINVAL;
	else if (level > d->max || level < d->min)
		ret = -ERANGE;
	else
		perf_level_change(p, domain, idx, 0);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_perf_limits_set(struct scmi_sim *sim, uint32_t domain, uint32_t max, uint32_t min)
{
	struct perf_domain *d;
	struct sim_proto *p;
	int ret;

	if (!sim)
		return -EINVAL;
	ret = perf_lock_domain(sim, domain, &p, &d);
	if (ret)
		return ret;
	if (min > max || max > d->levels[d->n_levels - 1].perf || min < d->levels[0].perf ||
	    !perf_level_in_range(d, max, min))
		ret = -EINVAL;
	else
		perf_limits_change(p, domain, max, min, 0);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_perf_fastchannels_enable(struct scmi_sim *sim, bool enable)
{
	struct sim_proto *p;

	if (!sim)
		return -EINVAL;
	p = perf_lock(sim);
	if (!p)
		return -ENOENT;
	((struct perf_state *)p->state)->fc_enabled = enable;
	sim_unlock(sim);
	return 0;
}

static int perf_lock_fc(struct scmi_sim *sim, uint32_t domain, uint8_t msg_id, struct perf_fc **fc)
{
	struct perf_domain *d;
	struct sim_proto *p;
	int kind = perf_fc_kind(msg_id);
	int ret;

	if (kind < 0)
		return -ENOENT;
	ret = perf_lock_domain(sim, domain, &p, &d);
	if (ret)
		return ret;
	if (!d->fc[kind].present) {
		sim_unlock(sim);
		return -ENOENT;
	}
	*fc = &d->fc[kind];
	return 0;
}

int scmi_sim_perf_fc_fault_set(struct scmi_sim *sim, uint32_t domain, uint8_t msg_id,
			       enum scmi_sim_perf_fc_fault fault)
{
	struct perf_fc *fc;
	int ret;

	if (!sim || fault > SCMI_SIM_PERF_FC_MISALIGNED)
		return -EINVAL;
	ret = perf_lock_fc(sim, domain, msg_id, &fc);
	if (ret)
		return ret;
	fc->fault = fault;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_perf_fc_info_get(struct scmi_sim *sim, uint32_t domain, uint8_t msg_id,
			      struct scmi_sim_perf_fc_info *out)
{
	struct perf_domain *d;
	struct sim_proto *p;
	struct perf_fc *fc;
	int ret;

	if (!sim || !out)
		return -EINVAL;
	ret = perf_lock_fc(sim, domain, msg_id, &fc);
	if (ret)
		return ret;
	/* perf_lock_fc() found it, so the domain lookup cannot fail. */
	p = sim_proto_get(sim, SIM_PROTO_PERF);
	d = &((struct perf_state *)p->state)->doms[domain];
	memset(out, 0, sizeof(*out));
	out->chan_addr = fc->phys;
	out->chan_size = fc->size;
	out->rate_limit_us = d->rate_limit_us;
	if (fc->db) {
		out->db_width = fc->db->width;
		out->db_addr = fc->db->phys;
		out->db_set_mask = fc->set;
		out->db_preserve_mask = fc->preserve;
	}
	sim_unlock(sim);
	return 0;
}

int scmi_sim_perf_stats_get(struct scmi_sim *sim, struct scmi_sim_perf_stats *st)
{
	struct sim_proto *p;

	if (!sim || !st)
		return -EINVAL;
	p = perf_lock(sim);
	if (!p)
		return -ENOENT;
	*st = ((struct perf_state *)p->state)->stats;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_perf_stats_region_get(struct scmi_sim *sim, uint64_t *addr, uint32_t *len)
{
	struct sim_proto *p;
	struct perf_state *st;

	if (!sim)
		return -EINVAL;
	p = perf_lock(sim);
	if (!p)
		return -ENOENT;
	st = p->state;
	if (addr)
		*addr = st->stats_addr;
	if (len)
		*len = st->stats_len;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_perf_stats_region_set(struct scmi_sim *sim, uint64_t addr, uint32_t len)
{
	struct sim_proto *p;
	struct perf_state *st;

	if (!sim)
		return -EINVAL;
	p = perf_lock(sim);
	if (!p)
		return -ENOENT;
	st = p->state;
	st->stats_addr = len ? addr : 0;
	st->stats_len = len;
	sim_unlock(sim);
	return 0;
}

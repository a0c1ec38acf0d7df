/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Clock management model (0x14, spec digest §6.5, §4, §5, §7.1, §7.2).
 *
 * Versions and their layouts:
 *   1.0  ATTRIBUTES {attributes (b0 enabled), name[16]}; DESCRIBE_RATES;
 *        RATE_SET/GET; CONFIG_SET {clock_id, attributes (b0 enable)}.
 *   2.0  + ATTRIBUTES b31/b30 (notification support), b29 (extended name)
 *        and enable_latency; CLOCK_NAME_GET; RATE_NOTIFY and
 *        RATE_CHANGE_REQUESTED_NOTIFY.
 *   3.0  + ATTRIBUTES b28 (parents), b27 (extended config), b1
 *        (restricted); CONFIG_SET {clock_id, attributes (b[1:0] state,
 *        b[23:16] OEM type), oem_value}; CONFIG_GET; POSSIBLE_PARENTS_GET;
 *        PARENT_SET/GET; GET_PERMISSIONS.
 *
 * Platform choices where the digest is silent (our own, kept conservative):
 * RATE_SET flag b1 without b0 is INVALID_PARAMETERS; an async RATE_SET when
 * the platform advertises no async support is NOT_SUPPORTED, and one beyond
 * the advertised pending maximum is BUSY; a rate outside the clock's
 * [lowest, highest] is INVALID_PARAMETERS (as SCP-firmware answers)
 * whatever the rounding flags, a rate inside is rounded (b3 closest wins
 * over b2 up; neither: down).  The full status table, with sources, is
 * docs/SIMULATOR.md.
 * CLOCK_RATE_CHANGE_REQUESTED is sent only when another agent asks (the
 * test API stands for it), never for the connected agent's own requests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

#include <scmi-sim/clock.h>

enum clock_msg {
	CLOCK_ATTRIBUTES = 0x3,
	CLOCK_DESCRIBE_RATES = 0x4,
	CLOCK_RATE_SET = 0x5,
	CLOCK_RATE_GET = 0x6,
	CLOCK_CONFIG_SET = 0x7,
	CLOCK_NAME_GET = 0x8,
	CLOCK_RATE_NOTIFY = 0x9,
	CLOCK_RATE_CHANGE_REQUESTED_NOTIFY = 0xA,
	CLOCK_CONFIG_GET = 0xB,
	CLOCK_POSSIBLE_PARENTS_GET = 0xC,
	CLOCK_PARENT_SET = 0xD,
	CLOCK_PARENT_GET = 0xE,
	CLOCK_GET_PERMISSIONS = 0xF,
};

enum clock_evt {
	CLOCK_EVT_RATE_CHANGED = 0x0,
	CLOCK_EVT_RATE_CHANGE_REQUESTED = 0x1,
};

#define CLK_V2 SIM_VERSION(2, 0)
#define CLK_V3 SIM_VERSION(3, 0)

/* PROTOCOL_ATTRIBUTES */
#define CLK_PA_MAX_ASYNC_SHIFT 16
/* CLOCK_ATTRIBUTES */
#define CLK_ATTR_NOTIFY_CHANGED	  (1u << 31)
#define CLK_ATTR_NOTIFY_REQUESTED (1u << 30)
#define CLK_ATTR_EXT_NAME	  (1u << 29)
#define CLK_ATTR_PARENTS	  (1u << 28)
#define CLK_ATTR_EXT_CONFIG	  (1u << 27)
#define CLK_ATTR_RESTRICTED	  (1u << 1)
#define CLK_ATTR_ENABLED	  (1u << 0)
/* DESCRIBE_RATES count word */
#define CLK_RATES_RETURNED_MAX 0xFFFu
#define CLK_RATES_RANGE	       (1u << 12)
#define CLK_RATES_REMAIN_SHIFT 16
#define CLK_RATE_SIZE	       8u
/* RATE_SET flags */
#define CLK_SET_ASYNC	      (1u << 0)
#define CLK_SET_NO_DRESP      (1u << 1)
#define CLK_SET_ROUND_UP      (1u << 2)
#define CLK_SET_ROUND_CLOSEST (1u << 3)
#define CLK_SET_FLAGS	      0xFu
/* CONFIG_SET attributes */
#define CLK_CFG_ENABLE	     (1u << 0) /* v1/v2 */
#define CLK_CFG_STATE_MASK   0x3u      /* v3 */
#define CLK_CFG_STATE_OFF    0u
#define CLK_CFG_STATE_ON     1u
#define CLK_CFG_STATE_KEEP   3u
#define CLK_CFG_OEM_SHIFT    16
#define CLK_CFG_OEM_MASK     (0xFFu << CLK_CFG_OEM_SHIFT)
#define CLK_CFG_GET_OEM_MASK 0xFFu
/* POSSIBLE_PARENTS_GET flags */
#define CLK_PARENTS_REMAIN_SHIFT 24
#define CLK_PARENTS_MAX_RETURN	 0xFFu
/* GET_PERMISSIONS */
#define CLK_PERM_STATE	(1u << 31)
#define CLK_PERM_PARENT (1u << 30)
#define CLK_PERM_RATE	(1u << 29)
/* *_NOTIFY */
#define CLK_NOTIFY_ENABLE (1u << 0)

#define CLK_EVT_PAYLD_SIZE 16u
#define CLK_EXT_NAME_SIZE  64u
/* Remaining counts of POSSIBLE_PARENTS_GET have 8 bits. */
#define CLK_MAX_PARENTS SCMI_SIM_CLOCK_MAX_PARENTS
/* Pending async requests are tracked up to the largest advertisable max. */
#define CLK_MAX_ASYNC 255u

#define MHZ 1000000ull
#define KHZ 1000ull

static const uint32_t clock_versions[] = {SIM_VERSION(1, 0), SIM_VERSION(2, 0), SIM_VERSION(3, 0),
					  0};

struct clk_model {
	char name[SCMI_SIM_CLOCK_NAME_MAX];
	bool range;
	uint64_t *rates; /* discrete list (heap), in reporting order */
	uint32_t num_rates;
	uint64_t min, max, step; /* range */
	uint64_t rate;
	bool enabled;
	uint32_t latency_us;
	bool ntf_changed, ntf_requested;
	bool oem_config;
	uint32_t duty, phase;
	uint32_t parents[CLK_MAX_PARENTS];
	uint32_t num_parents;
	uint32_t parent;
	bool state_ctrl, rate_ctrl, parent_ctrl;
	/* Messages (bit = message id) answered DENIED for this clock, as a
	 * platform's per-resource message permissions do (SCP's
	 * resource_perms). */
	uint32_t deny_msgs;
	/* Boot values, restored by BASE_RESET_AGENT_CONFIGURATION. */
	uint64_t boot_rate;
	bool boot_enabled;
	uint32_t boot_duty, boot_phase, boot_parent;
};

#define CLK_NUM_DEFAULT 9u

struct clock_state {
	struct clk_model clk[CLK_NUM_DEFAULT];
	uint32_t num;
	uint32_t max_async;
	uint64_t async_delay_us;
	/* Due times (sim_now_ns) of async requests still pending. */
	uint64_t async_due[CLK_MAX_ASYNC];
	enum scmi_sim_clock_dresp_fault dresp_fault; /* one shot */
	struct scmi_sim_clock_stats stats;
};

/* ---- default platform --------------------------------------------------- */

struct clk_default {
	const char *name;
	const uint64_t *rates;
	uint32_t num_rates;
	uint64_t min, max, step; /* when !rates */
	uint64_t rate;
	bool enabled;
	uint32_t latency_us;
	bool ntf_changed, ntf_requested, oem_config;
	const uint32_t *parents;
	uint32_t num_parents;
	bool state_ctrl, rate_ctrl, parent_ctrl;
};

static const uint64_t cpu_rates[] = {
	200 * MHZ,  300 * MHZ,	400 * MHZ,  500 * MHZ,	600 * MHZ,  700 * MHZ,
	800 * MHZ,  900 * MHZ,	1000 * MHZ, 1100 * MHZ, 1200 * MHZ, 1300 * MHZ,
	1400 * MHZ, 1500 * MHZ, 1600 * MHZ, 1700 * MHZ, 1800 * MHZ, 1900 * MHZ,
	2000 * MHZ, 2100 * MHZ, 2200 * MHZ, 2300 * MHZ, 2400 * MHZ, 2500 * MHZ,
};
static const uint64_t pixel_rates[] = {25175 * KHZ, 74250 * KHZ, 148500 * KHZ, 297000 * KHZ,
				       594000 * KHZ};
static const uint64_t uart_rates[] = {1843200, 3686400, 7372800, 14745600};
static const uint64_t osc_rates[] = {24 * MHZ};
static const uint64_t audio_rates[] = {11289600, 22579200, 24576000, 45158400, 49152000};
static const uint64_t sdmmc_rates[] = {400 * KHZ, 25 * MHZ, 50 * MHZ, 100 * MHZ, 200 * MHZ};
static const uint32_t mux_parents[] = {4, 5, 6};
static const uint32_t sdmmc_parents[] = {5, 6};

#define LIST(a)	   .rates = a, .num_rates = SIM_ARRAY_SIZE(a)
#define PARENTS(a) .parents = a, .num_parents = SIM_ARRAY_SIZE(a)
#define ALL_CTRL   .state_ctrl = true, .rate_ctrl = true, .parent_ctrl = true

static const struct clk_default clk_defaults[CLK_NUM_DEFAULT] = {
	{.name = "cpu_cluster0",
	 LIST(cpu_rates),
	 .rate = 1000 * MHZ,
	 .enabled = true,
	 .latency_us = 30,
	 .ntf_changed = true,
	 .ntf_requested = true,
	 ALL_CTRL},
	{.name = "gpu",
	 .min = 100 * MHZ,
	 .max = 1000 * MHZ,
	 .step = MHZ,
	 .rate = 500 * MHZ,
	 .enabled = true,
	 .latency_us = 50,
	 .ntf_changed = true,
	 ALL_CTRL},
	{.name = "display_pixel_clock_main", LIST(pixel_rates), .rate = 148500 * KHZ, ALL_CTRL},
	{.name = "uart_baud",
	 LIST(uart_rates),
	 .rate = 1843200,
	 .enabled = true,
	 .latency_us = 5,
	 .ntf_changed = true,
	 .state_ctrl = true,
	 .parent_ctrl = true},
	{.name = "osc_24m", LIST(osc_rates), .rate = 24 * MHZ, .enabled = true},
	{.name = "pll_sys",
	 .min = 800 * MHZ,
	 .max = 4800 * MHZ,
	 .step = 200 * KHZ,
	 .rate = 1600 * MHZ,
	 .enabled = true,
	 .latency_us = 100,
	 .ntf_changed = true,
	 .ntf_requested = true,
	 ALL_CTRL},
	{.name = "pll_audio",
	 LIST(audio_rates),
	 .rate = 24576000,
	 .enabled = true,
	 .latency_us = 100,
	 .ntf_requested = true,
	 ALL_CTRL},
	{.name = "periph_mux",
	 .min = MHZ,
	 .max = 4800 * MHZ,
	 .step = 1,
	 .rate = 24 * MHZ,
	 .enabled = true,
	 .latency_us = 10,
	 .ntf_changed = true,
	 .ntf_requested = true,
	 .oem_config = true,
	 PARENTS(mux_parents),
	 ALL_CTRL},
	{.name = "sdmmc_card_clock_for_slot0",
	 LIST(sdmmc_rates),
	 .rate = 400 * KHZ,
	 .latency_us = 20,
	 .ntf_changed = true,
	 .oem_config = true,
	 PARENTS(sdmmc_parents),
	 ALL_CTRL},
};

#undef LIST
#undef PARENTS
#undef ALL_CTRL

static int clk_model_init(struct clk_model *c, const struct clk_default *d)
{
	memset(c, 0, sizeof(*c));
	strncpy(c->name, d->name, sizeof(c->name) - 1);
	if (d->rates) {
		c->rates = malloc(d->num_rates * sizeof(*c->rates));
		if (!c->rates)
			return -ENOMEM;
		memcpy(c->rates, d->rates, d->num_rates * sizeof(*c->rates));
		c->num_rates = d->num_rates;
	} else {
		c->range = true;
		c->min = d->min;
		c->max = d->max;
		c->step = d->step;
	}
	c->rate = c->boot_rate = d->rate;
	c->enabled = c->boot_enabled = d->enabled;
	c->latency_us = d->latency_us;
	c->ntf_changed = d->ntf_changed;
	c->ntf_requested = d->ntf_requested;
	c->oem_config = d->oem_config;
	c->duty = c->boot_duty = d->oem_config ? 50 : 0;
	c->phase = c->boot_phase = 0;
	if (d->num_parents)
		memcpy(c->parents, d->parents, d->num_parents * sizeof(*c->parents));
	c->num_parents = d->num_parents;
	c->parent = c->boot_parent = d->num_parents ? d->parents[0] : 0;
	c->state_ctrl = d->state_ctrl;
	c->rate_ctrl = d->rate_ctrl;
	c->parent_ctrl = d->parent_ctrl;
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static struct clock_state *clock_state(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_CLOCK);
}

/* Clock @id of a request, or NULL after NOT_FOUND / DENIED. */
static struct clk_model *clk_lookup(struct sim_ctx *ctx, uint32_t id)
{
	struct clock_state *st = ctx->proto->state;

	if (id >= st->num) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return NULL;
	}
	if (st->clk[id].deny_msgs & (1u << ctx->msg_id)) {
		sim_reply_error(ctx, SIM_DENIED);
		return NULL;
	}
	if (!sim_resource_check(ctx, id)) /* clock N is Base device N */
		return NULL;
	return &st->clk[id];
}

/* The clock a request names in its first word. */
static struct clk_model *clk_from_req(struct sim_ctx *ctx)
{
	return clk_lookup(ctx, sim_req_u32(ctx, 0));
}

static uint32_t clk_id(const struct clock_state *st, const struct clk_model *c)
{
	return (uint32_t)(c - st->clk);
}

static bool clk_restricted(const struct clk_model *c)
{
	return !c->state_ctrl || !c->rate_ctrl || !c->parent_ctrl;
}

static void clk_bounds(const struct clk_model *c, uint64_t *lo, uint64_t *hi)
{
	if (c->range) {
		*lo = c->min;
		*hi = c->max;
		return;
	}
	*lo = UINT64_MAX;
	*hi = 0;
	for (uint32_t i = 0; i < c->num_rates; i++) {
		if (c->rates[i] < *lo)
			*lo = c->rates[i];
		if (c->rates[i] > *hi)
			*hi = c->rates[i];
	}
}

/* Is @rate one the clock can run at (exactly)? */
static bool clk_rate_valid(const struct clk_model *c, uint64_t rate)
{
	if (c->range)
		return rate >= c->min && rate <= c->max &&
		       (!c->step || rate == c->max || (rate - c->min) % c->step == 0);
	for (uint32_t i = 0; i < c->num_rates; i++)
		if (c->rates[i] == rate)
			return true;
	return false;
}

static uint64_t pick_closer(uint64_t want, uint64_t down, uint64_t up)
{
	return want - down <= up - want ? down : up;
}

/*
 * The rate a RATE_SET of @want with @flags selects; false when @want lies
 * outside the clock's rates (INVALID_PARAMETERS).
 */
static bool clk_round(const struct clk_model *c, uint64_t want, uint32_t flags, uint64_t *out)
{
	uint64_t lo, hi, down = 0, up = UINT64_MAX;

	clk_bounds(c, &lo, &hi);
	if (lo > hi || want < lo || want > hi)
		return false;
	if (c->range) {
		uint64_t k = c->step ? (want - c->min) / c->step : 0;

		down = c->step ? c->min + k * c->step : want;
		up = down == want ? want : down + c->step;
		if (up > c->max)
			up = c->max;
	} else {
		for (uint32_t i = 0; i < c->num_rates; i++) {
			uint64_t r = c->rates[i];

			if (r <= want && r >= down)
				down = r;
			if (r >= want && r <= up)
				up = r;
		}
	}
	if (flags & CLK_SET_ROUND_CLOSEST)
		*out = pick_closer(want, down, up);
	else if (flags & CLK_SET_ROUND_UP)
		*out = up;
	else
		*out = down;
	return true;
}

static void clk_rate_payload(uint8_t *p, uint32_t agent, uint32_t id, uint64_t rate)
{
	sim_put_le32(p, agent);
	sim_put_le32(p + 4, id);
	sim_put_le64(p + 8, rate);
}

/* Change the rate; CLOCK_RATE_CHANGED (if enabled) when it did change.
 * Returns what sim_notify() returned, 0 when unchanged. */
static int clk_rate_apply(struct scmi_sim *sim, struct clock_state *st, struct clk_model *c,
			  uint64_t rate, uint32_t agent, uint64_t delay_us)
{
	uint8_t payload[CLK_EVT_PAYLD_SIZE];

	if (c->rate == rate)
		return 0;
	c->rate = rate;
	clk_rate_payload(payload, agent, clk_id(st, c), rate);
	return sim_notify(sim, SIM_PROTO_CLOCK, CLOCK_EVT_RATE_CHANGED, clk_id(st, c), payload,
			  sizeof(payload), delay_us);
}

/*
 * Admit one async request: a slot whose due time has passed is free.  The
 * platform counts a request pending until its delayed response is due.
 */
static bool clk_async_admit(struct scmi_sim *sim, struct clock_state *st)
{
	uint64_t now = sim_now_ns(sim);
	unsigned int pending = 0;
	int free_slot = -1;

	for (unsigned int i = 0; i < st->max_async; i++) {
		if (st->async_due[i] > now)
			pending++;
		else if (free_slot < 0)
			free_slot = (int)i;
	}
	if (free_slot < 0)
		return false;
	st->async_due[free_slot] = now + st->async_delay_us * 1000u;
	if (pending + 1 > st->stats.async_peak)
		st->stats.async_peak = pending + 1;
	return true;
}

/* ---- commands ------------------------------------------------------------ */

static void clock_attributes_proto(struct sim_ctx *ctx)
{
	struct clock_state *st = ctx->proto->state;

	sim_reply_u32(ctx, st->num | st->max_async << CLK_PA_MAX_ASYNC_SHIFT);
}

static void clock_attributes(struct sim_ctx *ctx)
{
	struct clk_model *c = clk_from_req(ctx);
	uint32_t attrs;

	if (!c)
		return;
	attrs = c->enabled ? CLK_ATTR_ENABLED : 0;
	if (ctx->version >= CLK_V2) {
		if (c->ntf_changed)
			attrs |= CLK_ATTR_NOTIFY_CHANGED;
		if (c->ntf_requested)
			attrs |= CLK_ATTR_NOTIFY_REQUESTED;
		if (strlen(c->name) >= SIM_SHORT_NAME_SIZE)
			attrs |= CLK_ATTR_EXT_NAME;
	}
	if (ctx->version >= CLK_V3) {
		if (c->num_parents)
			attrs |= CLK_ATTR_PARENTS;
		if (c->oem_config)
			attrs |= CLK_ATTR_EXT_CONFIG;
		if (clk_restricted(c))
			attrs |= CLK_ATTR_RESTRICTED;
	}
	sim_reply_u32(ctx, attrs);
	sim_reply_name(ctx, c->name);
	if (ctx->version >= CLK_V2)
		sim_reply_u32(ctx, c->latency_us);
}

static size_t clk_list_capacity(const struct sim_ctx *ctx, size_t hdr, size_t entry)
{
	size_t room = sim_reply_room(ctx);
	size_t n = room < hdr ? 0 : (room - hdr) / entry;

	if (ctx->sim->max_list_items && n > ctx->sim->max_list_items)
		n = ctx->sim->max_list_items;
	return n;
}

static void clock_describe_rates(struct sim_ctx *ctx)
{
	struct clk_model *c = clk_from_req(ctx);
	uint32_t index = sim_req_u32(ctx, 4);
	size_t n, cap;
	uint8_t *p;

	if (!c)
		return;
	if (c->range) {
		/* The triplet comes whole, in one reply; SCP-firmware does not
		 * look at the index of a range clock, nor do we. */
		sim_reply_u32(ctx, 3 | CLK_RATES_RANGE);
		p = sim_reply_put(ctx, 3 * CLK_RATE_SIZE);
		if (!p)
			return;
		sim_put_le64(p, c->min);
		sim_put_le64(p + 8, c->max);
		sim_put_le64(p + 16, c->step);
		return;
	}
	/* SCP-firmware (scmi_clock_describe_rates_handler): an index at or
	 * past the end of the list is OUT_OF_RANGE. */
	if (index >= c->num_rates) {
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		return;
	}
	n = c->num_rates - index;
	cap = clk_list_capacity(ctx, 4, CLK_RATE_SIZE);
	if (cap > CLK_RATES_RETURNED_MAX)
		cap = CLK_RATES_RETURNED_MAX;
	if (n > cap)
		n = cap;
	sim_reply_u32(ctx, (uint32_t)n | (uint32_t)(c->num_rates - index - n)
						 << CLK_RATES_REMAIN_SHIFT);
	p = sim_reply_put(ctx, n * CLK_RATE_SIZE);
	for (size_t i = 0; p && i < n; i++)
		sim_put_le64(p + i * CLK_RATE_SIZE, c->rates[index + i]);
}

static void clock_rate_set(struct sim_ctx *ctx)
{
	struct clock_state *st = ctx->proto->state;
	uint32_t flags = sim_req_u32(ctx, 0);
	uint32_t id = sim_req_u32(ctx, 4);
	uint64_t want = sim_req_u32(ctx, 8) | (uint64_t)sim_req_u32(ctx, 12) << 32;
	bool async = flags & CLK_SET_ASYNC;
	struct clk_model *c;
	uint8_t dresp[12];
	uint64_t rate;

	if ((flags & ~CLK_SET_FLAGS) || ((flags & CLK_SET_NO_DRESP) && !async)) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	c = clk_lookup(ctx, id);
	if (!c)
		return;
	if (!c->rate_ctrl) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	/* SCP-firmware: the clock driver refuses the rate (FWK_E_RANGE) and
	 * the SCMI layer answers INVALID_PARAMETERS. */
	if (!clk_round(c, want, flags, &rate)) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (async && !st->max_async) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (async && !clk_async_admit(ctx->sim, st)) {
		st->stats.async_busy++;
		sim_reply_error(ctx, SIM_BUSY);
		return;
	}
	st->stats.rate_sets++;
	if (!async) {
		clk_rate_apply(ctx->sim, st, c, rate, ctx->sim->agent_id, 0);
		return;
	}
	st->stats.async_rate_sets++;
	if (!(flags & CLK_SET_NO_DRESP)) {
		size_t len = sizeof(dresp);

		sim_put_le32(dresp, id);
		sim_put_le64(dresp + 4, rate);
		if (st->dresp_fault == SCMI_SIM_CLOCK_DRESP_WRONG_ID)
			sim_put_le32(dresp, id + 1);
		else if (st->dresp_fault == SCMI_SIM_CLOCK_DRESP_SHORT)
			len = 8;
		st->dresp_fault = SCMI_SIM_CLOCK_DRESP_OK;
		if (sim_reply_delayed(ctx, SIM_SUCCESS, dresp, len, st->async_delay_us)) {
			sim_reply_error(ctx, SIM_GENERIC_ERROR);
			return;
		}
	}
	/* The change happens when the work completes: notify then. */
	clk_rate_apply(ctx->sim, st, c, rate, ctx->sim->agent_id, st->async_delay_us);
}

static void clock_rate_get(struct sim_ctx *ctx)
{
	struct clk_model *c = clk_from_req(ctx);
	uint8_t *p;

	if (!c)
		return;
	p = sim_reply_put(ctx, 8);
	if (p)
		sim_put_le64(p, c->rate);
}

static bool clk_oem_supported(const struct clk_model *c, uint32_t type)
{
	return c->oem_config &&
	       (type == SCMI_SIM_CLOCK_OEM_DUTY_CYCLE || type == SCMI_SIM_CLOCK_OEM_PHASE);
}

static bool clk_oem_value_valid(uint32_t type, uint32_t value)
{
	if (type == SCMI_SIM_CLOCK_OEM_DUTY_CYCLE)
		return value >= 1 && value <= 99;
	return value < 360;
}

static void clock_config_set(struct sim_ctx *ctx)
{
	struct clock_state *st = ctx->proto->state;
	bool v3 = ctx->version >= CLK_V3;
	uint32_t attrs, state, oem = 0, value = 0;
	struct clk_model *c;

	if (!sim_req_len_is(ctx, v3 ? 12 : 8))
		return;
	c = clk_from_req(ctx);
	if (!c)
		return;
	attrs = sim_req_u32(ctx, 4);
	if (v3) {
		state = attrs & CLK_CFG_STATE_MASK;
		oem = (attrs & CLK_CFG_OEM_MASK) >> CLK_CFG_OEM_SHIFT;
		value = sim_req_u32(ctx, 8);
		if ((attrs & ~(CLK_CFG_STATE_MASK | CLK_CFG_OEM_MASK)) || state == 2 ||
		    (state == CLK_CFG_STATE_KEEP && !oem)) {
			sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
			return;
		}
	} else {
		if (attrs & ~CLK_CFG_ENABLE) {
			sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
			return;
		}
		state = attrs & CLK_CFG_ENABLE;
	}
	if (oem && !clk_oem_supported(c, oem)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (oem && !clk_oem_value_valid(oem, value)) {
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		return;
	}
	if (state != CLK_CFG_STATE_KEEP && !c->state_ctrl) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	st->stats.config_sets++;
	if (state != CLK_CFG_STATE_KEEP)
		c->enabled = state == CLK_CFG_STATE_ON;
	if (oem == SCMI_SIM_CLOCK_OEM_DUTY_CYCLE)
		c->duty = value;
	else if (oem == SCMI_SIM_CLOCK_OEM_PHASE)
		c->phase = value;
}

/* Only clocks whose name does not fit the attributes have one to give
 * (SCP-firmware answers NOT_SUPPORTED for the others). */
static void clock_name_get(struct sim_ctx *ctx)
{
	struct clk_model *c = clk_from_req(ctx);
	uint8_t *p;

	if (!c)
		return;
	if (strlen(c->name) < SIM_SHORT_NAME_SIZE) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, 0); /* flags: reserved */
	p = sim_reply_put(ctx, CLK_EXT_NAME_SIZE);
	if (p)
		memcpy(p, c->name, strnlen(c->name, CLK_EXT_NAME_SIZE - 1));
}

static void clock_notify(struct sim_ctx *ctx, uint8_t evt)
{
	struct clk_model *c = clk_from_req(ctx);
	uint32_t ctl = sim_req_u32(ctx, 4);
	bool supported;

	if (!c)
		return;
	if (ctl & ~CLK_NOTIFY_ENABLE) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	supported = evt == CLOCK_EVT_RATE_CHANGED ? c->ntf_changed : c->ntf_requested;
	if (!supported) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (sim_notify_request(ctx->sim, SIM_PROTO_CLOCK, evt, clk_id(ctx->proto->state, c),
			       ctl & CLK_NOTIFY_ENABLE))
		sim_reply_error(ctx, SIM_GENERIC_ERROR);
}

static void clock_rate_notify(struct sim_ctx *ctx)
{
	clock_notify(ctx, CLOCK_EVT_RATE_CHANGED);
}

static void clock_rate_change_requested_notify(struct sim_ctx *ctx)
{
	clock_notify(ctx, CLOCK_EVT_RATE_CHANGE_REQUESTED);
}

static void clock_config_get(struct sim_ctx *ctx)
{
	struct clk_model *c = clk_from_req(ctx);
	uint32_t flags = sim_req_u32(ctx, 4);
	uint32_t oem = flags & CLK_CFG_GET_OEM_MASK;
	uint32_t value = 0;

	if (!c)
		return;
	if (flags & ~CLK_CFG_GET_OEM_MASK) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (oem && !clk_oem_supported(c, oem)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (oem == SCMI_SIM_CLOCK_OEM_DUTY_CYCLE)
		value = c->duty;
	else if (oem == SCMI_SIM_CLOCK_OEM_PHASE)
		value = c->phase;
	sim_reply_u32(ctx, 0); /* attributes: reserved */
	sim_reply_u32(ctx, c->enabled ? 1u : 0u);
	sim_reply_u32(ctx, value);
}

static void clock_possible_parents_get(struct sim_ctx *ctx)
{
	struct clk_model *c = clk_from_req(ctx);
	uint32_t skip = sim_req_u32(ctx, 4);
	size_t n, cap;
	uint8_t *p;

	if (!c)
		return;
	if (!c->num_parents) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (skip > c->num_parents) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	n = c->num_parents - skip;
	cap = clk_list_capacity(ctx, 4, 4);
	if (cap > CLK_PARENTS_MAX_RETURN)
		cap = CLK_PARENTS_MAX_RETURN;
	if (n > cap)
		n = cap;
	sim_reply_u32(ctx, (uint32_t)n | (uint32_t)(c->num_parents - skip - n)
						 << CLK_PARENTS_REMAIN_SHIFT);
	p = sim_reply_put(ctx, 4 * n);
	for (size_t i = 0; p && i < n; i++)
		sim_put_le32(p + 4 * i, c->parents[skip + i]);
}

static bool clk_has_parent(const struct clk_model *c, uint32_t parent)
{
	for (uint32_t i = 0; i < c->num_parents; i++)
		if (c->parents[i] == parent)
			return true;
	return false;
}

/* A mux runs at its parent's rate (clamped to its own range). */
static uint64_t clk_rate_from_parent(const struct clk_model *c, const struct clk_model *parent)
{
	uint64_t lo, hi, r = parent->rate;

	clk_bounds(c, &lo, &hi);
	if (r < lo)
		r = lo;
	if (r > hi)
		r = hi;
	if (!clk_rate_valid(c, r))
		clk_round(c, r, 0, &r);
	return r;
}

static void clock_parent_set(struct sim_ctx *ctx)
{
	struct clock_state *st = ctx->proto->state;
	struct clk_model *c = clk_from_req(ctx);
	uint32_t parent = sim_req_u32(ctx, 4);

	if (!c)
		return;
	if (!c->num_parents) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	if (!clk_has_parent(c, parent)) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!c->parent_ctrl) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	c->parent = parent;
	clk_rate_apply(ctx->sim, st, c, clk_rate_from_parent(c, &st->clk[parent]),
		       ctx->sim->agent_id, 0);
}

static void clock_parent_get(struct sim_ctx *ctx)
{
	struct clk_model *c = clk_from_req(ctx);

	if (!c)
		return;
	if (!c->num_parents) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, c->parent);
}

static void clock_get_permissions(struct sim_ctx *ctx)
{
	struct clk_model *c = clk_from_req(ctx);
	uint32_t perms = 0;

	if (!c)
		return;
	if (c->state_ctrl)
		perms |= CLK_PERM_STATE;
	if (c->parent_ctrl)
		perms |= CLK_PERM_PARENT;
	if (c->rate_ctrl)
		perms |= CLK_PERM_RATE;
	sim_reply_u32(ctx, perms);
}

static const struct sim_cmd clock_cmds[] = {
	{CLOCK_ATTRIBUTES, SIM_VERSION(1, 0), 4, clock_attributes},
	{CLOCK_DESCRIBE_RATES, SIM_VERSION(1, 0), 8, clock_describe_rates},
	{CLOCK_RATE_SET, SIM_VERSION(1, 0), 16, clock_rate_set},
	{CLOCK_RATE_GET, SIM_VERSION(1, 0), 4, clock_rate_get},
	{CLOCK_CONFIG_SET, SIM_VERSION(1, 0), SIM_REQ_LEN_ANY, clock_config_set},
	{CLOCK_NAME_GET, CLK_V2, 4, clock_name_get},
	{CLOCK_RATE_NOTIFY, CLK_V2, 8, clock_rate_notify},
	{CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, CLK_V2, 8, clock_rate_change_requested_notify},
	{CLOCK_CONFIG_GET, CLK_V3, 8, clock_config_get},
	{CLOCK_POSSIBLE_PARENTS_GET, CLK_V3, 8, clock_possible_parents_get},
	{CLOCK_PARENT_SET, CLK_V3, 8, clock_parent_set},
	{CLOCK_PARENT_GET, CLK_V3, 4, clock_parent_get},
	{CLOCK_GET_PERMISSIONS, CLK_V3, 4, clock_get_permissions},
};

/* ---- model --------------------------------------------------------------- */

static void clock_free_state(struct clock_state *st)
{
	for (uint32_t i = 0; i < st->num; i++)
		free(st->clk[i].rates);
	free(st);
}

static int clock_init(struct sim_proto *p)
{
	struct clock_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	for (uint32_t i = 0; i < CLK_NUM_DEFAULT; i++) {
		if (clk_model_init(&st->clk[i], &clk_defaults[i])) {
			clock_free_state(st);
			return -ENOMEM;
		}
		st->num = i + 1;
	}
	st->max_async = 2;
	st->async_delay_us = 200;
	p->state = st;
	return 0;
}

static void clock_fini(struct sim_proto *p)
{
	if (p->state)
		clock_free_state(p->state);
	p->state = NULL;
}

/* The agent's settings go back to boot values (no notifications: the
 * agent asked for the reset). */
static void clock_agent_reset(struct sim_proto *p, uint32_t agent_id)
{
	struct clock_state *st = p->state;

	if (agent_id != p->sim->agent_id)
		return;
	for (uint32_t i = 0; i < st->num; i++) {
		struct clk_model *c = &st->clk[i];

		c->rate = c->boot_rate;
		c->enabled = c->boot_enabled;
		c->duty = c->boot_duty;
		c->phase = c->boot_phase;
		c->parent = c->boot_parent;
	}
}

const struct sim_proto_ops sim_clock_ops = {
	.id = SIM_PROTO_CLOCK,
	.name = "clock",
	.versions = clock_versions,
	/* NEGOTIATE_PROTOCOL_VERSION came with the same spec release as
	 * clock 3.0 (the digest only says "newer protocol revisions"):
	 * offered from 3.0 on, an assumption. */
	.negotiate_since = CLK_V3,
	.cmds = clock_cmds,
	.num_cmds = SIM_ARRAY_SIZE(clock_cmds),
	.init = clock_init,
	.fini = clock_fini,
	.attributes = clock_attributes_proto,
	.agent_reset = clock_agent_reset,
};

/* ---- test-facing API ------------------------------------------------------- */

/* Lock and find clock @id: NULL (unlocked) with *ret set on failure. */
static struct clk_model *clk_locked(struct scmi_sim *sim, uint32_t id, struct clock_state **stp,
				    int *ret)
{
	struct clock_state *st;

	*ret = -EINVAL;
	if (!sim)
		return NULL;
	sim_lock(sim);
	st = clock_state(sim);
	if (!st || id >= st->num) {
		sim_unlock(sim);
		*ret = -ENOENT;
		return NULL;
	}
	if (stp)
		*stp = st;
	*ret = 0;
	return &st->clk[id];
}

int scmi_sim_clock_count(struct scmi_sim *sim)
{
	struct clock_state *st;
	int n;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	st = clock_state(sim);
	n = st ? (int)st->num : -ENOENT;
	sim_unlock(sim);
	return n;
}

int scmi_sim_clock_info_get(struct scmi_sim *sim, uint32_t id, struct scmi_sim_clock_info *info)
{
	struct clk_model *c;
	int ret;

	if (!info)
		return -EINVAL;
	c = clk_locked(sim, id, NULL, &ret);
	if (!c)
		return ret;
	memset(info, 0, sizeof(*info));
	memcpy(info->name, c->name, sizeof(info->name));
	info->range = c->range;
	info->num_rates = c->range ? 0 : c->num_rates;
	clk_bounds(c, &info->min_rate, &info->max_rate);
	info->step = c->range ? c->step : 0;
	info->rate = c->rate;
	info->enabled = c->enabled;
	info->enable_latency_us = c->latency_us;
	info->notify_rate_changed = c->ntf_changed;
	info->notify_rate_change_requested = c->ntf_requested;
	info->oem_config = c->oem_config;
	info->duty_cycle = c->duty;
	info->phase = c->phase;
	info->num_parents = c->num_parents;
	memcpy(info->parents, c->parents, sizeof(info->parents));
	info->parent = c->parent;
	info->restricted = clk_restricted(c);
	info->state_control = c->state_ctrl;
	info->rate_control = c->rate_ctrl;
	info->parent_control = c->parent_ctrl;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_rates_get(struct scmi_sim *sim, uint32_t id, uint64_t *rates, size_t cap)
{
	struct clk_model *c;
	int ret;

	if (cap && !rates)
		return -EINVAL;
	c = clk_locked(sim, id, NULL, &ret);
	if (!c)
		return ret;
	ret = c->range ? 0 : (int)c->num_rates;
	for (size_t i = 0; i < (size_t)ret && i < cap; i++)
		rates[i] = c->rates[i];
	sim_unlock(sim);
	return ret;
}

int scmi_sim_clock_rates_set(struct scmi_sim *sim, uint32_t id, const uint64_t *rates, size_t n)
{
	struct clk_model *c;
	uint64_t *copy;
	int ret;

	if (!rates || !n || n > SCMI_SIM_CLOCK_MAX_RATES)
		return -EINVAL;
	copy = malloc(n * sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, rates, n * sizeof(*copy));
	c = clk_locked(sim, id, NULL, &ret);
	if (!c) {
		free(copy);
		return ret;
	}
	free(c->rates);
	c->rates = copy;
	c->num_rates = (uint32_t)n;
	c->range = false;
	c->rate = c->boot_rate = rates[0];
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_rate_change(struct scmi_sim *sim, uint32_t id, uint64_t rate)
{
	struct clock_state *st;
	struct clk_model *c;
	int ret;

	c = clk_locked(sim, id, &st, &ret);
	if (!c)
		return ret;
	if (!clk_rate_valid(c, rate))
		ret = -ERANGE;
	else
		ret = clk_rate_apply(sim, st, c, rate, 0, 0);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_clock_rate_change_request(struct scmi_sim *sim, uint32_t id, uint32_t agent_id,
				       uint64_t rate)
{
	uint8_t payload[CLK_EVT_PAYLD_SIZE];
	struct clk_model *c;
	int ret;

	c = clk_locked(sim, id, NULL, &ret);
	if (!c)
		return ret;
	clk_rate_payload(payload, agent_id, id, rate);
	ret = sim_notify(sim, SIM_PROTO_CLOCK, CLOCK_EVT_RATE_CHANGE_REQUESTED, id, payload,
			 sizeof(payload), 0);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_clock_enabled_set(struct scmi_sim *sim, uint32_t id, bool enabled)
{
	struct clk_model *c;
	int ret;

	c = clk_locked(sim, id, NULL, &ret);
	if (!c)
		return ret;
	c->enabled = enabled;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_permissions_set(struct scmi_sim *sim, uint32_t id, bool state_control,
				   bool rate_control, bool parent_control)
{
	struct clk_model *c;
	int ret;

	c = clk_locked(sim, id, NULL, &ret);
	if (!c)
		return ret;
	c->state_ctrl = state_control;
	c->rate_ctrl = rate_control;
	c->parent_ctrl = parent_control;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_deny_msgs_set(struct scmi_sim *sim, uint32_t id, uint32_t msg_mask)
{
	struct clk_model *c;
	int ret;

	c = clk_locked(sim, id, NULL, &ret);
	if (!c)
		return ret;
	c->deny_msgs = msg_mask;
	sim_unlock(sim);
	return 0;
}

/* Model state with the lock held, or NULL (lock released) when the clock
 * model is absent. */
static struct clock_state *clock_lock(struct scmi_sim *sim)
{
	struct clock_state *st;

	sim_lock(sim);
	st = clock_state(sim);
	if (!st)
		sim_unlock(sim);
	return st;
}

int scmi_sim_clock_max_async_set(struct scmi_sim *sim, unsigned int max)
{
	struct clock_state *st;

	if (!sim || max > CLK_MAX_ASYNC)
		return -EINVAL;
	if (!(st = clock_lock(sim)))
		return -ENOENT;
	st->max_async = max;
	memset(st->async_due, 0, sizeof(st->async_due));
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_max_async_get(struct scmi_sim *sim, unsigned int *max)
{
	struct clock_state *st;

	if (!sim || !max)
		return -EINVAL;
	if (!(st = clock_lock(sim)))
		return -ENOENT;
	*max = st->max_async;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_async_delay_get(struct scmi_sim *sim, uint64_t *delay_us)
{
	struct clock_state *st;

	if (!sim || !delay_us)
		return -EINVAL;
	if (!(st = clock_lock(sim)))
		return -ENOENT;
	*delay_us = st->async_delay_us;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_async_delay_set(struct scmi_sim *sim, uint64_t delay_us)
{
	struct clock_state *st;

	/* Ten seconds: far beyond any agent's delayed-response timeout. */
	if (!sim || delay_us > 10000000u)
		return -EINVAL;
	if (!(st = clock_lock(sim)))
		return -ENOENT;
	st->async_delay_us = delay_us;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_dresp_fault_set(struct scmi_sim *sim, enum scmi_sim_clock_dresp_fault fault)
{
	struct clock_state *st;

	if (!sim || fault > SCMI_SIM_CLOCK_DRESP_SHORT)
		return -EINVAL;
	if (!(st = clock_lock(sim)))
		return -ENOENT;
	st->dresp_fault = fault;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_clock_stats_get(struct scmi_sim *sim, struct scmi_sim_clock_stats *out)
{
	struct clock_state *st;

	if (!sim || !out)
		return -EINVAL;
	if (!(st = clock_lock(sim)))
		return -ENOENT;
	*out = st->stats;
	sim_unlock(sim);
	return 0;
}

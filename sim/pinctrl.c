/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pin control model (0x19, spec digest §6.10, §4, §5): a small SoC with 64
 * pins, 23 peripheral groups plus one "gpioN" group per pin, and 16
 * functions.  Version 1.0 (the only one in the digest), with
 * NEGOTIATE_PROTOCOL_VERSION so that a platform claiming a newer 1.x can be
 * talked down to 1.0.  No notifications.
 *
 * Platform rules this model applies (choices where the digest is silent):
 * - Unknown pin / group / function id: NOT_FOUND.  Selector type 3, a type
 *   the command does not take, reserved flag bits: INVALID_PARAMETERS.
 * - Config types 21..191 are reserved: INVALID_PARAMETERS.  A config the
 *   element does not have (analog pins have few; OEM type 192, modelled as
 *   "pad retention", exists on pins 0..47 only; 193..255 nowhere):
 *   NOT_SUPPORTED.  A value outside the type's range: INVALID_PARAMETERS.
 *   "default" (0) can only be written (value 0: restore the reset
 *   settings); "input-value" (14) can only be read, and only on pins.
 *   Bias types 1..6 exclude each other, as do drive types 7..9: turning
 *   one on turns the others off.
 * - SETTINGS_CONFIGURE is all or nothing: every config and the function
 *   are checked before anything changes.  Configuring a group writes every
 *   pin of it and the group's own record (what SETTINGS_GET on the group
 *   reads back).
 * - Ownership (PINCTRL_REQUEST / RELEASE): a pin or group held by another
 *   agent cannot be requested, configured or muxed: DENIED.  Requesting
 *   what the agent already holds succeeds (idempotent); releasing what it
 *   does not hold directly is DENIED.  A held group holds its pins.
 *   Reading settings is always allowed.  Status -11 (IN_USE) is
 *   unverified in the digest, so it is never used.
 * - Function select: the function must list the group (for a pin: list a
 *   group containing the pin), else INVALID_PARAMETERS.  A group that an
 *   agent holds and has muxed is locked in its function: muxing any of its
 *   pins to another function through another group or the pin itself is
 *   BUSY until the group is released (or re-muxed as a whole).  Otherwise
 *   the last select wins, and overlapping groups left with pins of another
 *   function report no function selected (0xFFFFFFFF).
 * - SETTINGS_GET config flag 2 ("function only", unverified in the
 *   digest) answers function_selected and no configs.
 * - PINCTRL_SET_PERMISSIONS (0xA) has an unverified layout: the id is
 *   known, every request is refused with NOT_SUPPORTED.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

enum pc_msg {
	PC_ATTRIBUTES = 0x3,
	PC_LIST_ASSOCIATIONS = 0x4,
	PC_SETTINGS_GET = 0x5,
	PC_SETTINGS_CONFIGURE = 0x6,
	PC_REQUEST = 0x7,
	PC_RELEASE = 0x8,
	PC_NAME_GET = 0x9,
	PC_SET_PERMISSIONS = 0xA,
};

/* Selector types (2 bits). */
enum pc_type {
	PC_PIN = 0,
	PC_GROUP = 1,
	PC_FUNCTION = 2,
};

#define PC_TYPE_MASK		 0x3u
#define PC_ATTR_EXT_NAME	 (1u << 31)
#define PC_NO_FUNCTION		 0xFFFFFFFFu
#define PC_EXT_NAME_SIZE	 64u
#define PC_ASSOC_RETURNED(n)	 ((uint32_t)(n)&0xFFFu)
#define PC_ASSOC_REMAINING_SHIFT 16

/* SETTINGS_GET attributes. */
#define PC_GET_FLAG_SHIFT	       18
#define PC_GET_FLAG_MASK	       0x3u
#define PC_GET_SELECTOR_SHIFT	       16
#define PC_GET_SKIP_SHIFT	       8
#define PC_GET_RESERVED		       0xFFF00000u
#define PC_GET_ONE		       0u
#define PC_GET_ALL		       1u
#define PC_GET_FUNCTION_ONLY	       2u /* unverified in the digest */
#define PC_NUM_CONFIGS_REMAINING_SHIFT 24

/* SETTINGS_CONFIGURE attributes. */
#define PC_CONF_FUNCTION_VALID (1u << 10)
#define PC_CONF_NUM_SHIFT      2
#define PC_CONF_NUM_MASK       0xFFu
#define PC_CONF_RESERVED       0xFFFFF800u
#define PC_CONF_HDR_SIZE       12u
#define PC_CONF_PAIR_SIZE      8u

/* Config types. */
enum pc_cfg_type {
	PC_CFG_DEFAULT = 0,
	PC_CFG_BIAS_BUS_HOLD = 1,
	PC_CFG_BIAS_DISABLE = 2,
	PC_CFG_BIAS_HIGH_Z = 3,
	PC_CFG_BIAS_PULL_UP = 4,
	PC_CFG_BIAS_PULL_DEFAULT = 5,
	PC_CFG_BIAS_PULL_DOWN = 6,
	PC_CFG_DRIVE_OPEN_DRAIN = 7,
	PC_CFG_DRIVE_OPEN_SOURCE = 8,
	PC_CFG_DRIVE_PUSH_PULL = 9,
	PC_CFG_DRIVE_STRENGTH = 10,
	PC_CFG_INPUT_DEBOUNCE = 11,
	PC_CFG_INPUT_MODE = 12,
	PC_CFG_PULL_MODE = 13,
	PC_CFG_INPUT_VALUE = 14,
	PC_CFG_INPUT_SCHMITT = 15,
	PC_CFG_LOW_POWER_MODE = 16,
	PC_CFG_OUTPUT_MODE = 17,
	PC_CFG_OUTPUT_VALUE = 18,
	PC_CFG_POWER_SOURCE = 19,
	PC_CFG_SLEW_RATE = 20,
	PC_CFG_STD_LAST = PC_CFG_SLEW_RATE,
	PC_CFG_OEM_FIRST = 192,
	PC_CFG_OEM_RETENTION = 192,
};

#define PC_NUM_PINS	    64u
#define PC_NUM_NAMED_GROUPS 23u
#define PC_NUM_GROUPS	    (PC_NUM_NAMED_GROUPS + PC_NUM_PINS)
#define PC_NUM_FUNCS	    16u
#define PC_MAX_GROUP_PINS   8u
#define PC_FUNC_GPIO	    0u
#define PC_GPIO_GROUP(pin)  (PC_NUM_NAMED_GROUPS + (pin))
/* Pins 0..47 have the OEM retention config and 1.8 V pads. */
#define PC_NUM_OEM_PINS 48u
#define PC_ADC_PIN0	56u
#define PC_ADC_PIN1	57u
/* The PMIC sleep request pin belongs to the secure firmware (agent 2). */
#define PC_SECURE_PIN	46u
#define PC_SECURE_AGENT 2u
#define PC_NUM_AGENTS	3u /* as the Base model: agents 1..3 */

static const uint32_t pinctrl_versions[] = {SIM_VERSION(1, 0), 0};

static const char *const pc_pin_names[PC_NUM_PINS] = {
	"UART0_TX",
	"UART0_RX",
	"UART1_TX",
	"UART1_RX",
	"UART1_RTS_N",
	"UART1_CTS_N",
	"I2C0_SCL",
	"I2C0_SDA",
	"I2C1_SCL",
	"I2C1_SDA",
	"SPI0_SCLK",
	"SPI0_MOSI",
	"SPI0_MISO",
	"SPI0_CS0_N",
	"SPI0_CS1_N",
	"SD0_CLK",
	"SD0_CMD",
	"SD0_DATA0",
	"SD0_DATA1",
	"SD0_DATA2",
	"SD0_DATA3",
	"SD0_DATA4",
	"SD0_DATA5",
	"SD0_DATA6",
	"SD0_DATA7",
	"I2S0_BCLK",
	"I2S0_LRCK",
	"I2S0_SDIN",
	"I2S0_SDOUT",
	"I2S0_MCLK",
	"PWM0",
	"PWM1",
	"PWM2",
	"PWM3",
	"PCIE0_CLKREQ_N",
	"PCIE0_WAKE_N",
	"PCIE0_PERST_N",
	"JTAG_TCK",
	"JTAG_TMS",
	"JTAG_TDI",
	"JTAG_TDO",
	"ETH0_MDC",
	"ETH0_MDIO",
	"USB0_VBUS_DET",
	"USB0_OVERCURRENT_N",
	"PMIC_INT_N",
	"PMIC_SLEEP_REQUEST_L",
	"WDT_RESET_OUT_N",
	"GPIO3_A0",
	"GPIO3_A1",
	"GPIO3_A2",
	"GPIO3_A3",
	"GPIO3_A4",
	"GPIO3_A5",
	"GPIO3_A6",
	"GPIO3_A7",
	"ADC_IN0",
	"ADC_IN1",
	"BOOT_MODE_SELECT_0",
	"BOOT_MODE_SELECT_1",
	"CAMERA0_MCLK_OUT",
	"CAMERA0_PWDN",
	"DEBUG_UART_TX_ALT",
	"DEBUG_UART_RX_ALT",
};

struct pc_group_desc {
	const char *name;
	uint8_t n;
	uint8_t pins[PC_MAX_GROUP_PINS];
};

static const struct pc_group_desc pc_named_groups[PC_NUM_NAMED_GROUPS] = {
	{"uart0_grp", 2, {0, 1}},
	{"uart1_grp", 2, {2, 3}},
	{"uart1_rtscts_grp", 2, {4, 5}},
	{"i2c0_grp", 2, {6, 7}},
	{"i2c1_grp", 2, {8, 9}},
	{"spi0_grp", 4, {10, 11, 12, 13}},
	{"spi0_cs1_grp", 1, {14}},
	{"sdmmc0_clk_cmd_grp", 2, {15, 16}},
	{"sdmmc0_bus4_grp", 4, {17, 18, 19, 20}},
	{"sdmmc0_bus8_grp", 8, {17, 18, 19, 20, 21, 22, 23, 24}},
	{"i2s0_grp", 4, {25, 26, 27, 28}},
	{"i2s0_mclk_grp", 1, {29}},
	{"pwm0_grp", 1, {30}},
	{"pwm1_grp", 1, {31}},
	{"pwm2_grp", 1, {32}},
	{"pwm3_grp", 1, {33}},
	{"pcie0_clkreq_wake_perst_grp", 3, {34, 35, 36}},
	{"jtag_grp", 4, {37, 38, 39, 40}},
	{"eth0_mdio_grp", 2, {41, 42}},
	{"usb0_vbus_oc_grp", 2, {43, 44}},
	{"debug_uart_alt_grp", 2, {62, 63}},
	{"spi1_on_i2s0_pins_grp", 4, {25, 26, 27, 28}},
	{"uart2_on_pwm_pins_grp", 2, {30, 31}},
};

struct pc_func_desc {
	const char *name;
	uint8_t n;
	uint8_t groups[4];
};

/* Function 0 ("gpio") lists the per-pin groups; it is filled in at init. */
static const struct pc_func_desc pc_funcs[PC_NUM_FUNCS] = {
	{"gpio", 0, {0}},
	{"uart0", 1, {0}},
	{"uart1", 2, {1, 2}},
	{"i2c0", 1, {3}},
	{"i2c1", 1, {4}},
	{"spi0", 2, {5, 6}},
	{"sdmmc0", 3, {7, 8, 9}},
	{"i2s0", 2, {10, 11}},
	{"pwm", 4, {12, 13, 14, 15}},
	{"pcie0_root_port_sideband", 1, {16}},
	{"jtag", 1, {17}},
	{"eth0_mdio", 1, {18}},
	{"usb0", 1, {19}},
	{"debug_uart_alternate", 1, {20}},
	{"spi1", 1, {21}},
	{"uart2", 1, {22}},
};

/* Settings of one pin, or the record of one group. */
struct pc_cfg {
	uint32_t v[PC_CFG_STD_LAST + 1];
	uint32_t oem_retention;
};

struct pc_pin {
	uint32_t supported; /* bit per standard config type */
	bool oem;	    /* has PC_CFG_OEM_RETENTION */
	struct pc_cfg cfg;
	uint32_t level; /* driven from outside (test API) */
	uint32_t func;
	/* Ownership: the holding agent (0 = free), through a direct request
	 * and/or through held groups containing the pin. */
	uint32_t owner;
	bool direct;
	unsigned int group_holds;
};

struct pc_group {
	char name[PC_EXT_NAME_SIZE];
	unsigned int n;
	uint16_t pins[PC_MAX_GROUP_PINS];
	uint32_t supported; /* configs all its pins have, input-value excluded */
	bool oem;
	struct pc_cfg cfg;
	uint32_t func;
	uint32_t owner;
};

struct pc_func {
	unsigned int n;
	uint16_t groups[PC_NUM_PINS];
};

struct pc_state {
	struct pc_pin pins[PC_NUM_PINS];
	struct pc_group groups[PC_NUM_GROUPS];
	struct pc_func funcs[PC_NUM_FUNCS];
	unsigned int quirks;
	uint64_t configured;
};

static struct pc_state *pc_state(struct scmi_sim *sim)
{
	return sim_model_state(sim, SIM_PROTO_PINCTRL);
}

static uint32_t pc_count(enum pc_type type)
{
	switch (type) {
	case PC_PIN:
		return PC_NUM_PINS;
	case PC_GROUP:
		return PC_NUM_GROUPS;
	default:
		return PC_NUM_FUNCS;
	}
}

static const char *pc_name(const struct pc_state *st, enum pc_type type, uint32_t id)
{
	switch (type) {
	case PC_PIN:
		return pc_pin_names[id];
	case PC_GROUP:
		return st->groups[id].name;
	default:
		return pc_funcs[id].name;
	}
}

/* Number of associated elements: pins of a group, groups of a function. */
static unsigned int pc_num_elems(const struct pc_state *st, enum pc_type type, uint32_t id)
{
	switch (type) {
	case PC_GROUP:
		return st->groups[id].n;
	case PC_FUNCTION:
		return st->funcs[id].n;
	default:
		return 0;
	}
}

static uint32_t pc_elem(const struct pc_state *st, enum pc_type type, uint32_t id, unsigned int i)
{
	return type == PC_GROUP ? st->groups[id].pins[i] : st->funcs[id].groups[i];
}

/* ---- configs ------------------------------------------------------------- */

static bool pc_cfg_reserved(uint32_t type)
{
	return type > PC_CFG_STD_LAST && type < PC_CFG_OEM_FIRST;
}

static bool pc_cfg_is_bias(uint32_t t)
{
	return t >= PC_CFG_BIAS_BUS_HOLD && t <= PC_CFG_BIAS_PULL_DOWN;
}

static bool pc_cfg_is_drive_mode(uint32_t t)
{
	return t >= PC_CFG_DRIVE_OPEN_DRAIN && t <= PC_CFG_DRIVE_PUSH_PULL;
}

/* Does the value fit the type (as this SoC's pads implement it)? */
static bool pc_cfg_value_ok(uint32_t type, uint32_t v)
{
	switch (type) {
	case PC_CFG_DEFAULT:
		return v == 0;
	case PC_CFG_BIAS_PULL_UP:
	case PC_CFG_BIAS_PULL_DOWN:
		/* 0 off, 1 on with the default resistor, else ohms. */
		return v <= 1 || (v >= 1000 && v <= 100000);
	case PC_CFG_DRIVE_STRENGTH:
		return v == 2 || v == 4 || v == 6 || v == 8 || v == 12 || v == 16; /* mA */
	case PC_CFG_INPUT_DEBOUNCE:
		return v <= 100000; /* µs */
	case PC_CFG_POWER_SOURCE:
		return v == 1800 || v == 3300; /* mV */
	case PC_CFG_SLEW_RATE:
		return v <= 3;
	case PC_CFG_OEM_RETENTION:
		return true;
	default:
		return v <= 1; /* on/off */
	}
}

static void pc_pin_defaults(struct pc_pin *p, uint32_t id)
{
	struct pc_cfg *c = &p->cfg;

	memset(c, 0, sizeof(*c));
	if (id == PC_ADC_PIN0 || id == PC_ADC_PIN1) {
		c->v[PC_CFG_BIAS_HIGH_Z] = 1;
		return;
	}
	c->v[PC_CFG_BIAS_DISABLE] = 1;
	c->v[PC_CFG_DRIVE_PUSH_PULL] = 1;
	c->v[PC_CFG_DRIVE_STRENGTH] = 4;
	c->v[PC_CFG_INPUT_MODE] = 1;
	c->v[PC_CFG_POWER_SOURCE] = id < PC_NUM_OEM_PINS ? 1800 : 3300;
	c->v[PC_CFG_SLEW_RATE] = 1;
	if (id >= 6 && id <= 9) { /* I2C: open drain with pull-ups */
		c->v[PC_CFG_BIAS_DISABLE] = 0;
		c->v[PC_CFG_BIAS_PULL_UP] = 1;
		c->v[PC_CFG_DRIVE_PUSH_PULL] = 0;
		c->v[PC_CFG_DRIVE_OPEN_DRAIN] = 1;
	}
}

static bool pc_has_cfg(uint32_t supported, bool oem, uint32_t type)
{
	if (type == PC_CFG_OEM_RETENTION)
		return oem;
	return type >= 1 && type <= PC_CFG_STD_LAST && (supported & (1u << type));
}

static uint32_t pc_pin_value(const struct pc_pin *p, uint32_t type)
{
	if (type == PC_CFG_OEM_RETENTION)
		return p->cfg.oem_retention;
	if (type == PC_CFG_INPUT_VALUE)
		return p->cfg.v[PC_CFG_OUTPUT_MODE] ? p->cfg.v[PC_CFG_OUTPUT_VALUE] : p->level;
	return p->cfg.v[type];
}

static void pc_cfg_write(struct pc_cfg *c, uint32_t type, uint32_t v)
{
	if (type == PC_CFG_OEM_RETENTION) {
		c->oem_retention = v;
		return;
	}
	if (v && pc_cfg_is_bias(type))
		for (uint32_t t = PC_CFG_BIAS_BUS_HOLD; t <= PC_CFG_BIAS_PULL_DOWN; t++)
			c->v[t] = 0;
	if (v && pc_cfg_is_drive_mode(type))
		for (uint32_t t = PC_CFG_DRIVE_OPEN_DRAIN; t <= PC_CFG_DRIVE_PUSH_PULL; t++)
			c->v[t] = 0;
	c->v[type] = v;
}

/* The readable configs of an element, ascending: what "all configs" lists. */
static unsigned int pc_cfg_list(uint32_t supported, bool oem, uint8_t *types)
{
	unsigned int n = 0;

	for (uint32_t t = 1; t <= PC_CFG_STD_LAST; t++)
		if (supported & (1u << t))
			types[n++] = (uint8_t)t;
	if (oem)
		types[n++] = PC_CFG_OEM_RETENTION;
	return n;
}

/* Settings view of a pin or group: supported set, OEM flag, value. */
static void pc_cfg_view(const struct pc_state *st, enum pc_type type, uint32_t id,
			uint32_t *supported, bool *oem)
{
	if (type == PC_PIN) {
		*supported = st->pins[id].supported;
		*oem = st->pins[id].oem;
	} else {
		*supported = st->groups[id].supported;
		*oem = st->groups[id].oem;
	}
}

static uint32_t pc_cfg_read(const struct pc_state *st, enum pc_type type, uint32_t id, uint32_t cfg)
{
	if (type == PC_PIN)
		return pc_pin_value(&st->pins[id], cfg);
	if (cfg == PC_CFG_OEM_RETENTION)
		return st->groups[id].cfg.oem_retention;
	return st->groups[id].cfg.v[cfg];
}

/* ---- ownership --------------------------------------------------------- */

static bool pc_held_by_other(uint32_t owner, uint32_t agent)
{
	return owner && owner != agent;
}

/* May @agent change pin or group @id (nobody else holds it)? */
static bool pc_may_change(const struct pc_state *st, enum pc_type type, uint32_t id, uint32_t agent)
{
	const struct pc_group *g;

	if (type == PC_PIN)
		return !pc_held_by_other(st->pins[id].owner, agent);
	g = &st->groups[id];
	if (pc_held_by_other(g->owner, agent))
		return false;
	for (unsigned int i = 0; i < g->n; i++)
		if (pc_held_by_other(st->pins[g->pins[i]].owner, agent))
			return false;
	return true;
}

static int32_t pc_request(struct pc_state *st, uint32_t agent, enum pc_type type, uint32_t id)
{
	struct pc_group *g;

	if (!pc_may_change(st, type, id, agent))
		return SIM_DENIED;
	if (type == PC_PIN) {
		st->pins[id].owner = agent;
		st->pins[id].direct = true;
		return SIM_SUCCESS;
	}
	g = &st->groups[id];
	if (g->owner == agent)
		return SIM_SUCCESS;
	g->owner = agent;
	for (unsigned int i = 0; i < g->n; i++) {
		st->pins[g->pins[i]].owner = agent;
		st->pins[g->pins[i]].group_holds++;
	}
	return SIM_SUCCESS;
}

static void pc_pin_unhold(struct pc_pin *p)
{
	if (!p->direct && !p->group_holds)
		p->owner = 0;
}

static int32_t pc_release(struct pc_state *st, uint32_t agent, enum pc_type type, uint32_t id)
{
	struct pc_group *g;
	struct pc_pin *p;

	if (type == PC_PIN) {
		p = &st->pins[id];
		if (p->owner != agent || !p->direct)
			return SIM_DENIED;
		p->direct = false;
		pc_pin_unhold(p);
		return SIM_SUCCESS;
	}
	g = &st->groups[id];
	if (g->owner != agent)
		return SIM_DENIED;
	g->owner = 0;
	for (unsigned int i = 0; i < g->n; i++) {
		p = &st->pins[g->pins[i]];
		p->group_holds--;
		pc_pin_unhold(p);
	}
	return SIM_SUCCESS;
}

/* ---- functions ------------------------------------------------------------ */

static bool pc_group_has_pin(const struct pc_group *g, uint32_t pin)
{
	for (unsigned int i = 0; i < g->n; i++)
		if (g->pins[i] == pin)
			return true;
	return false;
}

/* May function @f be selected for pin or group @id (per the associations)? */
static bool pc_func_applies(const struct pc_state *st, uint32_t f, enum pc_type type, uint32_t id)
{
	const struct pc_func *fn = &st->funcs[f];

	for (unsigned int i = 0; i < fn->n; i++) {
		if (type == PC_GROUP && fn->groups[i] == id)
			return true;
		if (type == PC_PIN && pc_group_has_pin(&st->groups[fn->groups[i]], id))
			return true;
	}
	return false;
}

/* Is @pin locked in a function other than @f by a held, muxed group other
 * than @self? */
static bool pc_pin_locked(const struct pc_state *st, uint32_t pin, uint32_t f, uint32_t self)
{
	for (uint32_t g = 0; g < PC_NUM_GROUPS; g++) {
		const struct pc_group *gr = &st->groups[g];

		if (g != self && gr->owner && gr->func != PC_NO_FUNCTION && gr->func != f &&
		    pc_group_has_pin(gr, pin))
			return true;
	}
	return false;
}

static bool pc_func_conflicts(const struct pc_state *st, uint32_t f, enum pc_type type, uint32_t id)
{
	const struct pc_group *g;

	if (type == PC_PIN)
		return pc_pin_locked(st, id, f, PC_NUM_GROUPS);
	g = &st->groups[id];
	for (unsigned int i = 0; i < g->n; i++)
		if (pc_pin_locked(st, g->pins[i], f, id))
			return true;
	return false;
}

/* Pin @pin now carries function @f: groups with it that had another
 * function are no longer fully muxed. */
static void pc_pin_mux(struct pc_state *st, uint32_t pin, uint32_t f)
{
	st->pins[pin].func = f;
	for (uint32_t g = 0; g < PC_NUM_GROUPS; g++) {
		struct pc_group *gr = &st->groups[g];

		if (gr->func != f && pc_group_has_pin(gr, pin))
			gr->func = PC_NO_FUNCTION;
	}
}

static void pc_func_apply(struct pc_state *st, uint32_t f, enum pc_type type, uint32_t id)
{
	struct pc_group *g;

	if (type == PC_PIN) {
		pc_pin_mux(st, id, f);
		return;
	}
	g = &st->groups[id];
	for (unsigned int i = 0; i < g->n; i++)
		pc_pin_mux(st, g->pins[i], f);
	g->func = f;
}

static uint32_t pc_func_selected(const struct pc_state *st, enum pc_type type, uint32_t id)
{
	uint32_t f = type == PC_PIN ? st->pins[id].func : st->groups[id].func;

	if (st->quirks & SCMI_SIM_PINCTRL_QUIRK_BAD_FUNCTION)
		return PC_NUM_FUNCS;
	return f;
}

/* ---- commands -------------------------------------------------------------- */

/*
 * Device permissions (the mapping is in <scmi-sim/sim.h>): pin N is Base device
 * N; a group is denied when any of its pins is; functions name no pin and
 * are never denied (selecting one still goes through its pin or group).
 */
static bool pc_device_check(struct sim_ctx *ctx, enum pc_type type, uint32_t id)
{
	const struct pc_state *st = ctx->proto->state;

	if (type == PC_PIN)
		return sim_resource_check(ctx, id);
	if (type != PC_GROUP)
		return true;
	for (unsigned int i = 0; i < st->groups[id].n; i++)
		if (!sim_resource_check(ctx, st->groups[id].pins[i]))
			return false;
	return true;
}

/*
 * Decode a selector-type flags word that allows @allowed types (bit per
 * type) and nothing else, and the id: false once it has answered.
 */
static bool pc_selector(struct sim_ctx *ctx, uint32_t flags, uint32_t id, unsigned int allowed,
			enum pc_type *type)
{
	uint32_t t = flags & PC_TYPE_MASK;

	if ((flags & ~PC_TYPE_MASK) || !(allowed & (1u << t))) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return false;
	}
	if (id >= pc_count((enum pc_type)t)) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return false;
	}
	if (!pc_device_check(ctx, (enum pc_type)t, id))
		return false;
	*type = (enum pc_type)t;
	return true;
}

#define PC_ANY_TYPE	 (1u << PC_PIN | 1u << PC_GROUP | 1u << PC_FUNCTION)
#define PC_PIN_OR_GROUP	 (1u << PC_PIN | 1u << PC_GROUP)
#define PC_GROUP_OR_FUNC (1u << PC_GROUP | 1u << PC_FUNCTION)

static void pc_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, PC_NUM_GROUPS << 16 | PC_NUM_PINS);
	sim_reply_u32(ctx, PC_NUM_FUNCS);
}

static void pc_elem_attributes(struct sim_ctx *ctx)
{
	struct pc_state *st = pc_state(ctx->sim);
	uint32_t id = sim_req_u32(ctx, 0);
	uint32_t attrs;
	enum pc_type type;
	const char *name;

	if (!pc_selector(ctx, sim_req_u32(ctx, 4), id, PC_ANY_TYPE, &type))
		return;
	name = pc_name(st, type, id);
	attrs = pc_num_elems(st, type, id);
	if (type == PC_GROUP && (st->quirks & SCMI_SIM_PINCTRL_QUIRK_ATTR_TOO_MANY))
		attrs = PC_NUM_PINS + 1;
	/* A 16-byte field holds 15 characters and the NUL. */
	if (strlen(name) >= SIM_SHORT_NAME_SIZE)
		attrs |= PC_ATTR_EXT_NAME;
	sim_reply_u32(ctx, attrs);
	sim_reply_name(ctx, name);
}

/* Ids that fit in this reply after the flags word: two per word. */
static size_t pc_assoc_capacity(const struct sim_ctx *ctx)
{
	size_t room = sim_reply_room(ctx);
	size_t n = room < 4 ? 0 : (room - 4) / 4 * 2;

	if (ctx->sim->max_list_items && n > ctx->sim->max_list_items)
		n = ctx->sim->max_list_items;
	return n > 0xFFF ? 0xFFF : n;
}

static void pc_list_associations(struct sim_ctx *ctx)
{
	struct pc_state *st = pc_state(ctx->sim);
	uint32_t id = sim_req_u32(ctx, 0), index = sim_req_u32(ctx, 8);
	size_t total, n, padded;
	enum pc_type type;
	uint8_t *p;

	if (!pc_selector(ctx, sim_req_u32(ctx, 4), id, PC_GROUP_OR_FUNC, &type))
		return;
	total = pc_num_elems(st, type, id);
	if ((st->quirks & SCMI_SIM_PINCTRL_QUIRK_ASSOC_SHORT) && total)
		total--;
	if (index > total) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	n = total - index;
	if (n > pc_assoc_capacity(ctx))
		n = pc_assoc_capacity(ctx);
	sim_reply_u32(ctx, PC_ASSOC_RETURNED(n) | (uint32_t)(total - index - n)
							  << PC_ASSOC_REMAINING_SHIFT);
	padded = (n + 1) / 2 * 4;
	if ((st->quirks & SCMI_SIM_PINCTRL_QUIRK_ASSOC_NO_PADDING) && (n & 1))
		padded -= 2;
	p = sim_reply_put(ctx, padded);
	for (size_t i = 0; p && i < n; i++) {
		uint32_t v = pc_elem(st, type, id, (unsigned int)(index + i));

		if ((st->quirks & SCMI_SIM_PINCTRL_QUIRK_ASSOC_BAD_ID) && index + i == total - 1)
			v = pc_count(type == PC_GROUP ? PC_PIN : PC_GROUP);
		if ((st->quirks & SCMI_SIM_PINCTRL_QUIRK_ASSOC_DUPLICATE) && index + i == 1)
			v = pc_elem(st, type, id, 0);
		p[2 * i] = (uint8_t)v;
		p[2 * i + 1] = (uint8_t)(v >> 8);
	}
}

/* Configs that fit in this reply after function_selected and the count. */
static size_t pc_configs_capacity(const struct sim_ctx *ctx)
{
	size_t room = sim_reply_room(ctx);
	size_t n = room < 8 ? 0 : (room - 8) / 8;

	if (ctx->sim->max_list_items && n > ctx->sim->max_list_items)
		n = ctx->sim->max_list_items;
	return n > 0xFF ? 0xFF : n;
}

static void pc_reply_pair(struct sim_ctx *ctx, uint32_t type, uint32_t value)
{
	sim_reply_u32(ctx, type);
	sim_reply_u32(ctx, value);
}

static void pc_settings_get_one(struct sim_ctx *ctx, enum pc_type type, uint32_t id, uint32_t cfg,
				uint32_t skip)
{
	struct pc_state *st = pc_state(ctx->sim);
	uint32_t supported;
	bool oem;

	pc_cfg_view(st, type, id, &supported, &oem);
	if (skip || cfg == PC_CFG_DEFAULT || pc_cfg_reserved(cfg)) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!pc_has_cfg(supported, oem, cfg)) {
		sim_reply_error(ctx, SIM_NOT_SUPPORTED);
		return;
	}
	sim_reply_u32(ctx, pc_func_selected(st, type, id));
	sim_reply_u32(ctx, 1);
	if (st->quirks & SCMI_SIM_PINCTRL_QUIRK_WRONG_CONFIG_TYPE)
		pc_reply_pair(ctx, cfg + 1, pc_cfg_read(st, type, id, cfg));
	else
		pc_reply_pair(ctx, cfg, pc_cfg_read(st, type, id, cfg));
}

static void pc_settings_get_all(struct sim_ctx *ctx, enum pc_type type, uint32_t id, uint32_t skip)
{
	struct pc_state *st = pc_state(ctx->sim);
	uint8_t types[PC_CFG_STD_LAST + 2];
	uint32_t supported, remaining;
	unsigned int total;
	size_t n;
	bool oem;

	pc_cfg_view(st, type, id, &supported, &oem);
	total = pc_cfg_list(supported, oem, types);
	if (skip > total) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	n = total - skip;
	if (n > pc_configs_capacity(ctx))
		n = pc_configs_capacity(ctx);
	remaining = (uint32_t)(total - skip - n);
	if (st->quirks & SCMI_SIM_PINCTRL_QUIRK_CONFIGS_REMAINING)
		remaining++;
	sim_reply_u32(ctx, pc_func_selected(st, type, id));
	sim_reply_u32(ctx, (uint32_t)n | remaining << PC_NUM_CONFIGS_REMAINING_SHIFT);
	for (size_t i = 0; i < n; i++)
		pc_reply_pair(ctx, types[skip + i], pc_cfg_read(st, type, id, types[skip + i]));
}

static void pc_settings_get(struct sim_ctx *ctx)
{
	struct pc_state *st = pc_state(ctx->sim);
	uint32_t id = sim_req_u32(ctx, 0), attrs = sim_req_u32(ctx, 4);
	uint32_t flag = attrs >> PC_GET_FLAG_SHIFT & PC_GET_FLAG_MASK;
	uint32_t skip = attrs >> PC_GET_SKIP_SHIFT & 0xFFu, cfg = attrs & 0xFFu;
	enum pc_type type;

	if (attrs & PC_GET_RESERVED) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!pc_selector(ctx, attrs >> PC_GET_SELECTOR_SHIFT & PC_TYPE_MASK, id, PC_PIN_OR_GROUP,
			 &type))
		return;
	switch (flag) {
	case PC_GET_ONE:
		pc_settings_get_one(ctx, type, id, cfg, skip);
		break;
	case PC_GET_ALL:
		pc_settings_get_all(ctx, type, id, skip);
		break;
	case PC_GET_FUNCTION_ONLY:
		/* Digest: "none, function only" (unverified). */
		sim_reply_u32(ctx, pc_func_selected(st, type, id));
		sim_reply_u32(ctx, 0);
		break;
	default:
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		break;
	}
}

/* Status of writing config (@cfg, @v) to pin or group @id; no change. */
static int32_t pc_cfg_check(const struct pc_state *st, enum pc_type type, uint32_t id, uint32_t cfg,
			    uint32_t v)
{
	uint32_t supported;
	bool oem;

	if (cfg > 0xFF || pc_cfg_reserved(cfg) || cfg == PC_CFG_INPUT_VALUE)
		return SIM_INVALID_PARAMETERS;
	pc_cfg_view(st, type, id, &supported, &oem);
	if (cfg != PC_CFG_DEFAULT && !pc_has_cfg(supported, oem, cfg))
		return SIM_NOT_SUPPORTED;
	return pc_cfg_value_ok(cfg, v) ? SIM_SUCCESS : SIM_INVALID_PARAMETERS;
}

static void pc_group_record_reset(struct pc_state *st, uint32_t g)
{
	st->groups[g].cfg = st->pins[st->groups[g].pins[0]].cfg;
}

static void pc_cfg_apply(struct pc_state *st, enum pc_type type, uint32_t id, uint32_t cfg,
			 uint32_t v)
{
	struct pc_group *g;

	if (type == PC_PIN) {
		if (cfg == PC_CFG_DEFAULT)
			pc_pin_defaults(&st->pins[id], id);
		else
			pc_cfg_write(&st->pins[id].cfg, cfg, v);
		return;
	}
	g = &st->groups[id];
	for (unsigned int i = 0; i < g->n; i++)
		pc_cfg_apply(st, PC_PIN, g->pins[i], cfg, v);
	if (cfg == PC_CFG_DEFAULT)
		pc_group_record_reset(st, id);
	else
		pc_cfg_write(&g->cfg, cfg, v);
}

/* Status of the whole SETTINGS_CONFIGURE request, checked before any
 * change so that the command is all or nothing. */
static int32_t pc_configure_check(struct sim_ctx *ctx, const struct pc_state *st, enum pc_type type,
				  uint32_t id, uint32_t n, bool with_func, uint32_t f)
{
	int32_t status;

	if (with_func && f >= PC_NUM_FUNCS)
		return SIM_NOT_FOUND;
	if (!pc_may_change(st, type, id, ctx->sim->agent_id))
		return SIM_DENIED;
	for (uint32_t i = 0; i < n; i++) {
		status = pc_cfg_check(st, type, id, sim_req_u32(ctx, PC_CONF_HDR_SIZE + 8 * i),
				      sim_req_u32(ctx, PC_CONF_HDR_SIZE + 8 * i + 4));
		if (status)
			return status;
	}
	if (with_func && !pc_func_applies(st, f, type, id))
		return SIM_INVALID_PARAMETERS;
	if (with_func && pc_func_conflicts(st, f, type, id))
		return SIM_BUSY;
	return SIM_SUCCESS;
}

static void pc_settings_configure(struct sim_ctx *ctx)
{
	struct pc_state *st = pc_state(ctx->sim);
	uint32_t id = sim_req_u32(ctx, 0), f = sim_req_u32(ctx, 4);
	uint32_t attrs = sim_req_u32(ctx, 8);
	uint32_t n = attrs >> PC_CONF_NUM_SHIFT & PC_CONF_NUM_MASK;
	bool with_func = attrs & PC_CONF_FUNCTION_VALID;
	enum pc_type type;
	int32_t status;

	if (ctx->req_len < PC_CONF_HDR_SIZE) {
		sim_reply_error(ctx, SIM_PROTOCOL_ERROR);
		return;
	}
	if (!sim_req_len_is(ctx, PC_CONF_HDR_SIZE + PC_CONF_PAIR_SIZE * n))
		return;
	if (attrs & PC_CONF_RESERVED) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (!pc_selector(ctx, attrs & PC_TYPE_MASK, id, PC_PIN_OR_GROUP, &type))
		return;
	status = pc_configure_check(ctx, st, type, id, n, with_func, f);
	if (status) {
		sim_reply_error(ctx, status);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		pc_cfg_apply(st, type, id, sim_req_u32(ctx, PC_CONF_HDR_SIZE + 8 * i),
			     sim_req_u32(ctx, PC_CONF_HDR_SIZE + 8 * i + 4));
	if (with_func)
		pc_func_apply(st, f, type, id);
	st->configured++;
}

/* REQUEST and RELEASE: the same request, the ownership action differs. */
static void pc_ownership_cmd(struct sim_ctx *ctx,
			     int32_t (*action)(struct pc_state *st, uint32_t agent,
					       enum pc_type type, uint32_t id))
{
	uint32_t id = sim_req_u32(ctx, 0);
	enum pc_type type;
	int32_t status;

	if (!pc_selector(ctx, sim_req_u32(ctx, 4), id, PC_PIN_OR_GROUP, &type))
		return;
	status = action(pc_state(ctx->sim), ctx->sim->agent_id, type, id);
	if (status)
		sim_reply_error(ctx, status);
}

static void pc_request_cmd(struct sim_ctx *ctx)
{
	pc_ownership_cmd(ctx, pc_request);
}

static void pc_release_cmd(struct sim_ctx *ctx)
{
	pc_ownership_cmd(ctx, pc_release);
}

static void pc_name_get(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0);
	enum pc_type type;
	const char *name;
	uint8_t *p;

	if (!pc_selector(ctx, sim_req_u32(ctx, 4), id, PC_ANY_TYPE, &type))
		return;
	name = pc_name(pc_state(ctx->sim), type, id);
	/* SCP-firmware (scmi_pin_control_name_get_handler) answers NOT_FOUND
	 * for a name that fits the attributes' 16 bytes. */
	if (strlen(name) < SIM_SHORT_NAME_SIZE) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	sim_reply_u32(ctx, 0); /* flags: reserved */
	p = sim_reply_put(ctx, PC_EXT_NAME_SIZE);
	if (p)
		memcpy(p, name, strnlen(name, PC_EXT_NAME_SIZE - 1));
}

/* Layout unverified (digest §9): known id, never carried out. */
static void pc_set_permissions(struct sim_ctx *ctx)
{
	sim_reply_error(ctx, SIM_NOT_SUPPORTED);
}

static const struct sim_cmd pinctrl_cmds[] = {
	{PC_ATTRIBUTES, SIM_VERSION(1, 0), 8, pc_elem_attributes},
	{PC_LIST_ASSOCIATIONS, SIM_VERSION(1, 0), 12, pc_list_associations},
	{PC_SETTINGS_GET, SIM_VERSION(1, 0), 8, pc_settings_get},
	{PC_SETTINGS_CONFIGURE, SIM_VERSION(1, 0), SIM_REQ_LEN_ANY, pc_settings_configure},
	{PC_REQUEST, SIM_VERSION(1, 0), 8, pc_request_cmd},
	{PC_RELEASE, SIM_VERSION(1, 0), 8, pc_release_cmd},
	{PC_NAME_GET, SIM_VERSION(1, 0), 8, pc_name_get},
	{PC_SET_PERMISSIONS, SIM_VERSION(1, 0), SIM_REQ_LEN_ANY, pc_set_permissions},
};

/* ---- model -------------------------------------------------------------- */

static void pc_init_pins(struct pc_state *st)
{
	for (uint32_t i = 0; i < PC_NUM_PINS; i++) {
		struct pc_pin *p = &st->pins[i];

		if (i == PC_ADC_PIN0 || i == PC_ADC_PIN1)
			p->supported = 1u << PC_CFG_BIAS_DISABLE | 1u << PC_CFG_BIAS_HIGH_Z |
				       1u << PC_CFG_INPUT_MODE | 1u << PC_CFG_INPUT_VALUE |
				       1u << PC_CFG_LOW_POWER_MODE;
		else
			p->supported = ((1u << (PC_CFG_STD_LAST + 1)) - 1) & ~1u;
		p->oem = i < PC_NUM_OEM_PINS;
		p->func = PC_NO_FUNCTION;
		pc_pin_defaults(p, i);
	}
	st->pins[58].level = 1; /* BOOT_MODE_SELECT_0 strapped high */
}

static void pc_init_groups(struct pc_state *st)
{
	for (uint32_t g = 0; g < PC_NUM_GROUPS; g++) {
		struct pc_group *gr = &st->groups[g];

		if (g < PC_NUM_NAMED_GROUPS) {
			snprintf(gr->name, sizeof(gr->name), "%s", pc_named_groups[g].name);
			gr->n = pc_named_groups[g].n;
			for (unsigned int i = 0; i < gr->n; i++)
				gr->pins[i] = pc_named_groups[g].pins[i];
		} else {
			snprintf(gr->name, sizeof(gr->name), "gpio%u", g - PC_NUM_NAMED_GROUPS);
			gr->n = 1;
			gr->pins[0] = (uint16_t)(g - PC_NUM_NAMED_GROUPS);
		}
		gr->supported = ~(1u << PC_CFG_INPUT_VALUE);
		gr->oem = true;
		for (unsigned int i = 0; i < gr->n; i++) {
			gr->supported &= st->pins[gr->pins[i]].supported;
			gr->oem = gr->oem && st->pins[gr->pins[i]].oem;
		}
		gr->func = PC_NO_FUNCTION;
		pc_group_record_reset(st, g);
	}
	for (uint32_t f = 0; f < PC_NUM_FUNCS; f++) {
		struct pc_func *fn = &st->funcs[f];

		if (f == PC_FUNC_GPIO) {
			fn->n = PC_NUM_PINS;
			for (unsigned int i = 0; i < PC_NUM_PINS; i++)
				fn->groups[i] = (uint16_t)PC_GPIO_GROUP(i);
			continue;
		}
		fn->n = pc_funcs[f].n;
		for (unsigned int i = 0; i < fn->n; i++)
			fn->groups[i] = pc_funcs[f].groups[i];
	}
}

/* What the boot firmware leaves behind: console, JTAG and the boot SD card
 * muxed; PMIC and watchdog pins as GPIOs, the PMIC sleep request held by
 * the secure firmware. */
static void pc_init_boot_state(struct pc_state *st)
{
	static const uint32_t muxed[][2] = {
		{0, 1},	  /* uart0_grp: uart0 */
		{17, 10}, /* jtag_grp: jtag */
		{7, 6},	  /* sdmmc0_clk_cmd_grp: sdmmc0 */
		{9, 6},	  /* sdmmc0_bus8_grp: sdmmc0 */
		{PC_GPIO_GROUP(45), PC_FUNC_GPIO},
		{PC_GPIO_GROUP(46), PC_FUNC_GPIO},
		{PC_GPIO_GROUP(47), PC_FUNC_GPIO},
	};

	for (size_t i = 0; i < SIM_ARRAY_SIZE(muxed); i++)
		pc_func_apply(st, muxed[i][1], PC_GROUP, muxed[i][0]);
	pc_request(st, PC_SECURE_AGENT, PC_GROUP, PC_GPIO_GROUP(PC_SECURE_PIN));
}

static int pinctrl_init(struct sim_proto *p)
{
	struct pc_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	pc_init_pins(st);
	pc_init_groups(st);
	pc_init_boot_state(st);
	p->state = st;
	return 0;
}

static void pinctrl_fini(struct sim_proto *p)
{
	free(p->state);
	p->state = NULL;
}

/* BASE_RESET_AGENT_CONFIGURATION: drop everything @agent holds. */
static void pinctrl_agent_reset(struct sim_proto *p, uint32_t agent)
{
	struct pc_state *st = p->state;

	for (uint32_t g = 0; g < PC_NUM_GROUPS; g++)
		if (st->groups[g].owner == agent)
			pc_release(st, agent, PC_GROUP, g);
	for (uint32_t i = 0; i < PC_NUM_PINS; i++)
		if (st->pins[i].owner == agent && st->pins[i].direct)
			pc_release(st, agent, PC_PIN, i);
}

const struct sim_proto_ops sim_pinctrl_ops = {
	.id = SIM_PROTO_PINCTRL,
	.name = "pinctrl",
	.versions = pinctrl_versions,
	/* Pin control came with the spec revision that added
	 * NEGOTIATE_PROTOCOL_VERSION; a newer pinctrl can step down to 1.0. */
	.negotiate_since = SIM_VERSION(1, 0),
	.cmds = pinctrl_cmds,
	.num_cmds = SIM_ARRAY_SIZE(pinctrl_cmds),
	.init = pinctrl_init,
	.fini = pinctrl_fini,
	.attributes = pc_attributes,
	.agent_reset = pinctrl_agent_reset,
};

/* ---- test-facing API ------------------------------------------------------- */

static bool pc_type_ok(enum scmi_sim_pinctrl_type type, unsigned int allowed)
{
	return (unsigned int)type <= PC_FUNCTION && (allowed & (1u << type));
}

/* Lock and find the state; -ENOENT if the model is absent. */
static int pc_api_begin(struct scmi_sim *sim, struct pc_state **st)
{
	sim_lock(sim);
	*st = pc_state(sim);
	if (*st)
		return 0;
	sim_unlock(sim);
	return -ENOENT;
}

/* Checks shared by the element getters; 0 with the lock held. */
static int pc_api_elem(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type, uint32_t id,
		       unsigned int allowed, struct pc_state **st)
{
	int ret;

	if (!sim || !pc_type_ok(type, allowed))
		return -EINVAL;
	if (id >= pc_count((enum pc_type)type))
		return -ENOENT;
	ret = pc_api_begin(sim, st);
	return ret;
}

int scmi_sim_pinctrl_count(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type)
{
	struct pc_state *st;
	int ret;

	if (!sim || !pc_type_ok(type, PC_ANY_TYPE))
		return -EINVAL;
	ret = pc_api_begin(sim, &st);
	if (ret)
		return ret;
	sim_unlock(sim);
	return (int)pc_count((enum pc_type)type);
}

int scmi_sim_pinctrl_name(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type, uint32_t id,
			  char name[SCMI_SIM_PINCTRL_NAME_MAX])
{
	struct pc_state *st;
	int ret;

	if (!name)
		return -EINVAL;
	ret = pc_api_elem(sim, type, id, PC_ANY_TYPE, &st);
	if (ret)
		return ret;
	snprintf(name, SCMI_SIM_PINCTRL_NAME_MAX, "%s", pc_name(st, (enum pc_type)type, id));
	sim_unlock(sim);
	return 0;
}

int scmi_sim_pinctrl_members(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type, uint32_t id,
			     uint32_t *ids, size_t cap)
{
	struct pc_state *st;
	unsigned int n;
	int ret;

	if (!ids && cap)
		return -EINVAL;
	ret = pc_api_elem(sim, type, id, PC_GROUP_OR_FUNC, &st);
	if (ret)
		return ret;
	n = pc_num_elems(st, (enum pc_type)type, id);
	for (unsigned int i = 0; i < n && i < cap; i++)
		ids[i] = pc_elem(st, (enum pc_type)type, id, i);
	sim_unlock(sim);
	return (int)n;
}

int scmi_sim_pinctrl_config_get(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type, uint32_t id,
				uint8_t config_type, uint32_t *value)
{
	struct pc_state *st;
	uint32_t supported;
	bool oem;
	int ret;

	if (!value)
		return -EINVAL;
	ret = pc_api_elem(sim, type, id, PC_PIN_OR_GROUP, &st);
	if (ret)
		return ret;
	pc_cfg_view(st, (enum pc_type)type, id, &supported, &oem);
	if (pc_has_cfg(supported, oem, config_type))
		*value = pc_cfg_read(st, (enum pc_type)type, id, config_type);
	else
		ret = -EOPNOTSUPP;
	sim_unlock(sim);
	return ret;
}

int scmi_sim_pinctrl_config_count(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
				  uint32_t id)
{
	uint8_t types[PC_CFG_STD_LAST + 2];
	struct pc_state *st;
	uint32_t supported;
	bool oem;
	int ret;

	ret = pc_api_elem(sim, type, id, PC_PIN_OR_GROUP, &st);
	if (ret)
		return ret;
	pc_cfg_view(st, (enum pc_type)type, id, &supported, &oem);
	ret = (int)pc_cfg_list(supported, oem, types);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_pinctrl_config_set(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type, uint32_t id,
				uint8_t config_type, uint32_t value)
{
	struct pc_state *st;
	int32_t status;
	int ret;

	ret = pc_api_elem(sim, type, id, PC_PIN_OR_GROUP, &st);
	if (ret)
		return ret;
	status = pc_cfg_check(st, (enum pc_type)type, id, config_type, value);
	if (!status)
		pc_cfg_apply(st, (enum pc_type)type, id, config_type, value);
	sim_unlock(sim);
	if (status == SIM_NOT_SUPPORTED)
		return -EOPNOTSUPP;
	return status ? -EINVAL : 0;
}

int scmi_sim_pinctrl_function_set(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
				  uint32_t id, uint32_t function_id)
{
	struct pc_state *st;
	int ret;

	ret = pc_api_elem(sim, type, id, PC_PIN_OR_GROUP, &st);
	if (ret)
		return ret;
	if (function_id >= PC_NUM_FUNCS)
		ret = -ENOENT;
	else if (!pc_func_applies(st, function_id, (enum pc_type)type, id))
		ret = -EINVAL;
	else
		pc_func_apply(st, function_id, (enum pc_type)type, id);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_pinctrl_input_set(struct scmi_sim *sim, uint32_t pin, uint32_t level)
{
	struct pc_state *st;
	int ret;

	if (level > 1)
		return -EINVAL;
	ret = pc_api_elem(sim, SCMI_SIM_PINCTRL_PIN, pin, 1u << PC_PIN, &st);
	if (ret)
		return ret;
	st->pins[pin].level = level;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_pinctrl_function_get(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
				  uint32_t id, uint32_t *function_id)
{
	struct pc_state *st;
	int ret;

	if (!function_id)
		return -EINVAL;
	ret = pc_api_elem(sim, type, id, PC_PIN_OR_GROUP, &st);
	if (ret)
		return ret;
	*function_id = type == SCMI_SIM_PINCTRL_PIN ? st->pins[id].func : st->groups[id].func;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_pinctrl_owner_get(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type, uint32_t id,
			       uint32_t *agent)
{
	struct pc_state *st;
	int ret;

	if (!agent)
		return -EINVAL;
	ret = pc_api_elem(sim, type, id, PC_PIN_OR_GROUP, &st);
	if (ret)
		return ret;
	*agent = type == SCMI_SIM_PINCTRL_PIN ? st->pins[id].owner : st->groups[id].owner;
	sim_unlock(sim);
	return 0;
}

static int pc_api_hold(struct scmi_sim *sim, uint32_t agent, enum scmi_sim_pinctrl_type type,
		       uint32_t id, bool request)
{
	struct pc_state *st;
	int32_t status;
	int ret;

	if (!agent || agent > PC_NUM_AGENTS)
		return -EINVAL;
	ret = pc_api_elem(sim, type, id, PC_PIN_OR_GROUP, &st);
	if (ret)
		return ret;
	if (request)
		status = pc_request(st, agent, (enum pc_type)type, id);
	else
		status = pc_release(st, agent, (enum pc_type)type, id);
	sim_unlock(sim);
	return status == SIM_SUCCESS ? 0 : -EACCES;
}

int scmi_sim_pinctrl_request_as(struct scmi_sim *sim, uint32_t agent,
				enum scmi_sim_pinctrl_type type, uint32_t id)
{
	return pc_api_hold(sim, agent, type, id, true);
}

int scmi_sim_pinctrl_release_as(struct scmi_sim *sim, uint32_t agent,
				enum scmi_sim_pinctrl_type type, uint32_t id)
{
	return pc_api_hold(sim, agent, type, id, false);
}

int scmi_sim_pinctrl_quirks_set(struct scmi_sim *sim, unsigned int quirks)
{
	struct pc_state *st;
	int ret;

	if (!sim)
		return -EINVAL;
	ret = pc_api_begin(sim, &st);
	if (ret)
		return ret;
	st->quirks = quirks;
	sim_unlock(sim);
	return 0;
}

int scmi_sim_pinctrl_configure_count(struct scmi_sim *sim, uint64_t *count)
{
	struct pc_state *st;
	int ret;

	if (!sim || !count)
		return -EINVAL;
	ret = pc_api_begin(sim, &st);
	if (ret)
		return ret;
	*count = st->configured;
	sim_unlock(sim);
	return 0;
}

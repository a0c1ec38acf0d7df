// SPDX-License-Identifier: BSD-3-Clause
/*
 * Pin control protocol (0x19): discovery equals the simulator's model,
 * every command's happy and error paths, multi-part walks, message
 * splitting, ownership, a platform that misbehaves, and every op's
 * non-blocking form (a multi-part walk re-submitting itself page by page).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>

#include "common.h"
#include "helpers.h"

#include "../sim/sim-internal.h"

#define PROTO_PINCTRL 0x19

#define PIN   SCMI_PINCTRL_PIN
#define GROUP SCMI_PINCTRL_GROUP
#define FUNC  SCMI_PINCTRL_FUNCTION

static struct scmi_handle *h;
/* The simulator, looked up at each use: a test skips there on a transport
 * without one (helpers.h, test_sim()). */
#define sim test_sim(h)
static const struct scmi_pinctrl_ops *ops;

static void open_uri(const char *uri)
{
	h = test_open(uri, NULL);
	ops = h->pinctrl_ops;
	cr_assert_not_null(ops, "pinctrl listed in %s", uri);
}

static void setup(void)
{
	open_uri("loopback://");
}

static void teardown(void)
{
	scmi_close(h);
	h = NULL;
}

TestSuite(pinctrl, .init = setup, .fini = teardown, .timeout = 60);

static uint64_t sim_requests(void)
{
	return test_requests(h);
}

static uint64_t configures(void)
{
	uint64_t n = 0;

	cr_assert_eq(scmi_sim_pinctrl_configure_count(sim, &n), 0);
	return n;
}

static uint32_t id_of(enum scmi_pinctrl_selector_type type, const char *name)
{
	uint32_t id = UINT32_MAX;

	cr_assert_eq(ops->id_lookup(h, type, name, &id), 0, "%s %s", scmi_pinctrl_type_name(type),
		     name);
	return id;
}

static uint32_t sim_cfg(enum scmi_pinctrl_selector_type type, uint32_t id, uint8_t cfg)
{
	uint32_t v = UINT32_MAX;

	cr_assert_eq(
		scmi_sim_pinctrl_config_get(sim, (enum scmi_sim_pinctrl_type)type, id, cfg, &v), 0,
		"sim config %u of %u", cfg, id);
	return v;
}

static uint32_t sim_func(enum scmi_pinctrl_selector_type type, uint32_t id)
{
	uint32_t f = 0;

	cr_assert_eq(scmi_sim_pinctrl_function_get(sim, (enum scmi_sim_pinctrl_type)type, id, &f),
		     0);
	return f;
}

static uint32_t sim_owner(enum scmi_pinctrl_selector_type type, uint32_t id)
{
	uint32_t a = UINT32_MAX;

	cr_assert_eq(scmi_sim_pinctrl_owner_get(sim, (enum scmi_sim_pinctrl_type)type, id, &a), 0);
	return a;
}

/* Everything discovery cached equals the model. */
static void check_discovery(void)
{
	static const enum scmi_pinctrl_selector_type types[] = {PIN, GROUP, FUNC};
	unsigned int ext = 0;

	for (size_t t = 0; t < 3; t++) {
		enum scmi_pinctrl_selector_type type = types[t];
		int n = ops->count_get(h, type);

		cr_assert_eq(
			n, scmi_sim_pinctrl_count(test_model(h), (enum scmi_sim_pinctrl_type)type));
		for (int id = 0; id < n; id++) {
			const struct scmi_pinctrl_info *info;
			char name[SCMI_SIM_PINCTRL_NAME_MAX];
			uint32_t members[128];
			const char *nm;
			int nmem = 0;

			cr_assert_eq(ops->info_get(h, type, (uint32_t)id, &info), 0);
			cr_assert(info->usable, "%s %d", scmi_pinctrl_type_name(type), id);
			cr_assert_eq(scmi_sim_pinctrl_name(test_model(h),
							   (enum scmi_sim_pinctrl_type)type,
							   (uint32_t)id, name),
				     0);
			cr_assert_str_eq(info->name, name, "%s %d", scmi_pinctrl_type_name(type),
					 id);
			cr_assert_eq(info->extended_name, strlen(name) > 15, "%s", name);
			ext += info->extended_name;
			cr_assert_eq(ops->name_get(h, type, (uint32_t)id, &nm), 0);
			cr_assert_eq(nm, info->name, "names point into the cache");
			if (type != PIN)
				nmem = scmi_sim_pinctrl_members(test_model(h),
								(enum scmi_sim_pinctrl_type)type,
								(uint32_t)id, members, 128);
			cr_assert_eq(info->num_elems, (unsigned int)nmem, "%s", name);
			for (int i = 0; i < nmem; i++)
				cr_assert_eq(info->elems[i], members[i], "%s elem %d", name, i);
			if (!nmem)
				cr_assert_null(info->elems);
		}
	}
	cr_assert_geq(ext, 10, "long names exercised NAME_GET");
}

Test(pinctrl, discovery_equals_model)
{
	const uint32_t *groups, *pins;
	unsigned int n;
	uint32_t id;

	check_discovery();
	cr_assert_geq(ops->count_get(h, PIN), 40);
	/* "gpio" spans 64 groups: two replies at the default message size. */
	cr_assert_eq(ops->function_groups_get(h, id_of(FUNC, "gpio"), &groups, &n), 0);
	cr_assert_eq(n, 64);
	cr_assert_eq(ops->group_pins_get(h, id_of(GROUP, "spi0_grp"), &pins, &n), 0);
	cr_assert_eq(n, 4);
	cr_assert_eq(pins[0], id_of(PIN, "SPI0_SCLK"));
	cr_assert_eq(ops->id_lookup(h, PIN, "PMIC_SLEEP_REQUEST_L", &id), 0, "long name found");
	cr_assert_eq(id, 46);
}

Test(pinctrl, discovery_small_pages, .init = NULL)
{
	uint64_t before;

	open_uri("loopback://?max_list_items=3");
	before = sim_requests();
	check_discovery();
	/* gpio alone needs 22 LIST_ASSOCIATIONS replies of 3. */
	cr_assert_gt(sim_requests() - before, 64 + 87 + 16 + 22);
}

Test(pinctrl, discovery_small_messages, .init = NULL)
{
	open_uri("loopback://?max_msg_size=68");
	check_discovery();
}

Test(pinctrl, absent_in_scmi2_profile, .init = NULL, .fini = NULL)
{
	struct scmi_handle *h2 = test_open("loopback://?profile=scmi-2.0", NULL);

	cr_assert_null(h2->pinctrl_ops);
	for (unsigned int i = 0; i < h2->version->num_protocols; i++)
		cr_assert_neq(h2->version->protocols[i].id, PROTO_PINCTRL);
	scmi_close(h2);
}

Test(pinctrl, discovery_lookup_errors)
{
	const struct scmi_pinctrl_info *info;
	const uint32_t *ids;
	unsigned int n;
	uint32_t id;
	uint64_t before;

	cr_assert_eq(ops->count_get(h, PIN), 64); /* brought up */
	before = sim_requests();
	cr_assert_eq(ops->count_get(h, (enum scmi_pinctrl_selector_type)3), -EINVAL);
	cr_assert_eq(ops->info_get(h, PIN, 64, &info), -EINVAL);
	cr_assert_eq(ops->info_get(h, FUNC, 16, &info), -EINVAL);
	cr_assert_eq(ops->info_get(h, PIN, 0, NULL), -EINVAL);
	cr_assert_eq(ops->id_lookup(h, GROUP, "no_such_grp", &id), -ENOENT);
	cr_assert_eq(ops->id_lookup(h, GROUP, NULL, &id), -EINVAL);
	cr_assert_eq(ops->id_lookup(h, GROUP, "", &id), -EINVAL);
	cr_assert_eq(ops->group_pins_get(h, 87, &ids, &n), -EINVAL);
	cr_assert_eq(ops->function_groups_get(h, 16, &ids, &n), -EINVAL);
	cr_assert_eq(ops->function_groups_get(h, 0, NULL, &n), -EINVAL);
	cr_assert_eq(ops->count_get(NULL, PIN), -EINVAL);
	cr_assert_eq(sim_requests(), before, "nothing was sent");
}

/* ---- settings ------------------------------------------------------------ */

Test(pinctrl, settings_get_one)
{
	uint32_t scl = id_of(PIN, "I2C0_SCL"), grp = id_of(GROUP, "i2c0_grp"), v = 0;

	cr_assert_eq(ops->settings_get_one(h, PIN, scl, SCMI_PINCTRL_CONF_BIAS_PULL_UP, &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(v, sim_cfg(PIN, scl, SCMI_PINCTRL_CONF_BIAS_PULL_UP));
	cr_assert_eq(ops->settings_get_one(h, PIN, scl, SCMI_PINCTRL_CONF_POWER_SOURCE, &v), 0);
	cr_assert_eq(v, sim_cfg(PIN, scl, SCMI_PINCTRL_CONF_POWER_SOURCE));
	cr_assert_eq(ops->settings_get_one(h, GROUP, grp, SCMI_PINCTRL_CONF_DRIVE_OPEN_DRAIN, &v),
		     0);
	cr_assert_eq(v, 1);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 192, &v), 0, "OEM config");
	cr_assert_eq(v, sim_cfg(PIN, 0, 192));

	/* The input value follows the outside world until the pin drives. */
	cr_assert_eq(scmi_sim_pinctrl_input_set(sim, 50, 1), 0);
	cr_assert_eq(ops->settings_get_one(h, PIN, 50, SCMI_PINCTRL_CONF_INPUT_VALUE, &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(scmi_sim_pinctrl_input_set(sim, 50, 0), 0);
	cr_assert_eq(ops->settings_get_one(h, PIN, 50, SCMI_PINCTRL_CONF_INPUT_VALUE, &v), 0);
	cr_assert_eq(v, 0);
}

Test(pinctrl, settings_get_one_errors)
{
	uint32_t adc = id_of(PIN, "ADC_IN0"), v = 7;
	uint64_t before = sim_requests();

	/* Local: nothing sent. */
	cr_assert_eq(ops->settings_get_one(h, FUNC, 0, 1, &v), -EINVAL);
	cr_assert_eq(ops->settings_get_one(h, PIN, 64, 1, &v), -EINVAL);
	cr_assert_eq(ops->settings_get_one(h, GROUP, 87, 1, &v), -EINVAL);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 21, &v), -EINVAL);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 191, &v), -EINVAL);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 1, NULL), -EINVAL);
	cr_assert_eq(sim_requests(), before);

	/* Platform: a config the pin lacks, write-only "default". */
	cr_assert_eq(ops->settings_get_one(h, PIN, adc, SCMI_PINCTRL_CONF_DRIVE_STRENGTH, &v),
		     -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 193, &v), -EOPNOTSUPP);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, SCMI_PINCTRL_CONF_DEFAULT, &v), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(ops->settings_get_one(h, GROUP, 0, SCMI_PINCTRL_CONF_INPUT_VALUE, &v),
		     -EOPNOTSUPP);
	cr_assert_eq(v, 7, "output untouched on error");
}

static void check_all_configs(enum scmi_pinctrl_selector_type type, uint32_t id)
{
	struct scmi_pinctrl_config cfg[SCMI_PINCTRL_MAX_CONFIGS];
	unsigned int n = SCMI_PINCTRL_MAX_CONFIGS;
	uint32_t f = 0;

	cr_assert_eq(ops->settings_get_all(h, type, id, cfg, &n, &f), 0);
	cr_assert_eq(n, (unsigned int)scmi_sim_pinctrl_config_count(
				sim, (enum scmi_sim_pinctrl_type)type, id));
	cr_assert_eq(f, sim_func(type, id));
	for (unsigned int i = 0; i < n; i++) {
		cr_assert(i == 0 || cfg[i].type > cfg[i - 1].type, "ascending");
		cr_assert_eq(cfg[i].value, sim_cfg(type, id, cfg[i].type), "config %u",
			     cfg[i].type);
	}
}

Test(pinctrl, settings_get_all)
{
	struct scmi_pinctrl_config cfg[SCMI_PINCTRL_MAX_CONFIGS];
	unsigned int n = SCMI_PINCTRL_MAX_CONFIGS;
	uint32_t f = 0;
	uint64_t before;

	/* 21 configs: two replies of at most 15 at 128 bytes. */
	cr_assert_eq(ops->count_get(h, PIN), 64);
	before = sim_requests();
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, cfg, &n, &f), 0);
	cr_assert_eq(sim_requests() - before, 2);
	cr_assert_eq(n, 21);
	cr_assert_eq(f, id_of(FUNC, "uart0"));
	cr_assert_eq(cfg[20].type, 192);
	check_all_configs(PIN, 0);
	check_all_configs(PIN, id_of(PIN, "ADC_IN1"));
	check_all_configs(PIN, 63);
	check_all_configs(GROUP, id_of(GROUP, "sdmmc0_bus8_grp"));
	check_all_configs(GROUP, id_of(GROUP, "debug_uart_alt_grp"));

	/* No function selected. */
	n = SCMI_PINCTRL_MAX_CONFIGS;
	cr_assert_eq(ops->settings_get_all(h, PIN, 50, cfg, &n, &f), 0);
	cr_assert_eq(f, SCMI_PINCTRL_NO_FUNCTION);
	/* function_selected may be NULL. */
	cr_assert_eq(ops->settings_get_all(h, PIN, 50, cfg, &n, NULL), 0);
}

Test(pinctrl, settings_get_all_small_pages, .init = NULL)
{
	uint64_t before;

	open_uri("loopback://?max_list_items=2");
	cr_assert_eq(ops->count_get(h, PIN), 64);
	before = sim_requests();
	check_all_configs(PIN, 3);
	cr_assert_geq(sim_requests() - before, 11, "21 configs by pairs");
	check_all_configs(GROUP, 0);
}

Test(pinctrl, settings_get_all_short_buffer)
{
	struct scmi_pinctrl_config cfg[4] = {0};
	unsigned int n = 4;

	cr_assert_eq(ops->settings_get_all(h, PIN, 0, cfg, &n, NULL), -ENOSPC);
	cr_assert_eq(n, 21, "the count needed");
	cr_assert_eq(cfg[0].type, SCMI_PINCTRL_CONF_BIAS_BUS_HOLD);
	cr_assert_eq(cfg[3].type, SCMI_PINCTRL_CONF_BIAS_PULL_UP);
	cr_assert_eq(cfg[1].value, sim_cfg(PIN, 0, SCMI_PINCTRL_CONF_BIAS_DISABLE));
	/* Only the count. */
	n = 0;
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, NULL, &n, NULL), -ENOSPC);
	cr_assert_eq(n, 21);
	n = 1;
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, NULL, &n, NULL), -EINVAL);
	cr_assert_eq(ops->settings_get_all(h, FUNC, 0, cfg, &n, NULL), -EINVAL);
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, cfg, NULL, NULL), -EINVAL);
}

Test(pinctrl, settings_conf)
{
	uint32_t pin = id_of(PIN, "PWM2"), grp = id_of(GROUP, "i2c1_grp");
	struct scmi_pinctrl_config c[] = {
		{SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 12},
		{SCMI_PINCTRL_CONF_BIAS_PULL_DOWN, 1},
		{SCMI_PINCTRL_CONF_SLEW_RATE, 3},
		{192, 0xdeadbeef},
	};
	const uint32_t *pins;
	unsigned int n;
	uint32_t v;

	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 4), 0);
	cr_assert_eq(sim_cfg(PIN, pin, SCMI_PINCTRL_CONF_DRIVE_STRENGTH), 12);
	cr_assert_eq(sim_cfg(PIN, pin, SCMI_PINCTRL_CONF_BIAS_PULL_DOWN), 1);
	cr_assert_eq(sim_cfg(PIN, pin, SCMI_PINCTRL_CONF_BIAS_DISABLE), 0, "bias types exclusive");
	cr_assert_eq(sim_cfg(PIN, pin, SCMI_PINCTRL_CONF_SLEW_RATE), 3);
	cr_assert_eq(sim_cfg(PIN, pin, 192), 0xdeadbeef);
	cr_assert_eq(ops->settings_get_one(h, PIN, pin, SCMI_PINCTRL_CONF_DRIVE_STRENGTH, &v), 0);
	cr_assert_eq(v, 12);

	/* A group writes its record and every pin. */
	c[0].value = 16;
	cr_assert_eq(ops->settings_conf(h, GROUP, grp, c, 1), 0);
	cr_assert_eq(sim_cfg(GROUP, grp, SCMI_PINCTRL_CONF_DRIVE_STRENGTH), 16);
	cr_assert_eq(ops->group_pins_get(h, grp, &pins, &n), 0);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_eq(sim_cfg(PIN, pins[i], SCMI_PINCTRL_CONF_DRIVE_STRENGTH), 16);
	cr_assert_eq(ops->settings_get_one(h, GROUP, grp, SCMI_PINCTRL_CONF_DRIVE_STRENGTH, &v), 0);
	cr_assert_eq(v, 16);

	/* "default" restores the pin's reset settings. */
	c[0] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_DEFAULT, 0};
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 1), 0);
	cr_assert_eq(sim_cfg(PIN, pin, SCMI_PINCTRL_CONF_DRIVE_STRENGTH), 4);
	cr_assert_eq(sim_cfg(PIN, pin, SCMI_PINCTRL_CONF_BIAS_DISABLE), 1);

	/* Output drives the input value. */
	c[0] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_OUTPUT_MODE, 1};
	c[1] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_OUTPUT_VALUE, 1};
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 2), 0);
	cr_assert_eq(ops->settings_get_one(h, PIN, pin, SCMI_PINCTRL_CONF_INPUT_VALUE, &v), 0);
	cr_assert_eq(v, 1);
}

/* 20 configs: split into messages of at most (max_msg_size - 12) / 8. */
static void conf_split(unsigned int expect_msgs)
{
	struct scmi_pinctrl_config c[20];
	uint64_t before = configures();

	for (unsigned int i = 0; i < 20; i++)
		c[i] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_INPUT_DEBOUNCE, 100 * i};
	c[19] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 2};
	cr_assert_eq(ops->settings_conf(h, PIN, 51, c, 20), 0);
	cr_assert_eq(configures() - before, expect_msgs);
	cr_assert_eq(sim_cfg(PIN, 51, SCMI_PINCTRL_CONF_INPUT_DEBOUNCE), 1800, "applied in order");
	cr_assert_eq(sim_cfg(PIN, 51, SCMI_PINCTRL_CONF_DRIVE_STRENGTH), 2);
}

Test(pinctrl, settings_conf_split_128)
{
	conf_split(2); /* 14 + 6 */
}

Test(pinctrl, settings_conf_split_68, .init = NULL)
{
	open_uri("loopback://?max_msg_size=68");
	conf_split(3); /* 7 + 7 + 6 */
}

Test(pinctrl, settings_conf_split_failure_keeps_earlier)
{
	struct scmi_pinctrl_config c[20];
	uint64_t before = configures();

	for (unsigned int i = 0; i < 20; i++)
		c[i] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_SLEW_RATE, i % 4};
	/* The last of the first message: 14 configs on loopback's 128-byte
	 * messages, 15 on shmem's 132-byte requests. */
	c[13].value = 0;
	c[14].value = 0;
	c[15].value = 9; /* invalid, in the second message */
	cr_assert_eq(ops->settings_conf(h, PIN, 52, c, 20), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(configures() - before, 1, "first message applied");
	cr_assert_eq(sim_cfg(PIN, 52, SCMI_PINCTRL_CONF_SLEW_RATE), 0);
}

Test(pinctrl, settings_conf_errors)
{
	uint32_t adc = id_of(PIN, "ADC_IN0"), pin = 53;
	struct scmi_pinctrl_config c[2] = {{SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 8}, {0, 0}};
	uint64_t before = sim_requests();

	/* Local. */
	cr_assert_eq(ops->settings_conf(h, FUNC, 0, c, 1), -EINVAL);
	cr_assert_eq(ops->settings_conf(h, PIN, 64, c, 1), -EINVAL);
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 0), -EINVAL);
	cr_assert_eq(ops->settings_conf(h, PIN, pin, NULL, 1), -EINVAL);
	c[1].type = 100;
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 2), -EINVAL, "reserved type");
	cr_assert_eq(sim_requests(), before, "nothing was sent");

	/* Platform: invalid value; nothing of the message applied. */
	c[1] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_POWER_SOURCE, 2500};
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 2), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(sim_cfg(PIN, pin, SCMI_PINCTRL_CONF_DRIVE_STRENGTH), 4, "all or nothing");
	c[0].value = 5;
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 1), -EINVAL);
	/* Read-only input value; configs the pin lacks; unknown OEM type. */
	c[0] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_INPUT_VALUE, 1};
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 1), -EINVAL);
	c[0] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 8};
	cr_assert_eq(ops->settings_conf(h, PIN, adc, c, 1), -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	c[0] = (struct scmi_pinctrl_config){200, 1};
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 1), -EOPNOTSUPP);
	c[0] = (struct scmi_pinctrl_config){192, 1};
	cr_assert_eq(ops->settings_conf(h, PIN, 60, c, 1), -EOPNOTSUPP, "no OEM config there");
	c[0] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_DEFAULT, 1};
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 1), -EINVAL);
}

/* ---- functions ---------------------------------------------------------- */

Test(pinctrl, function_select)
{
	uint32_t spi0 = id_of(FUNC, "spi0"), grp = id_of(GROUP, "spi0_grp"), f = 0;
	const uint32_t *pins;
	unsigned int n;

	cr_assert_eq(ops->function_get(h, GROUP, grp, &f), 0);
	cr_assert_eq(f, SCMI_PINCTRL_NO_FUNCTION);
	cr_assert_eq(ops->mux_set(h, spi0, grp), 0);
	cr_assert_eq(sim_func(GROUP, grp), spi0);
	cr_assert_eq(ops->group_pins_get(h, grp, &pins, &n), 0);
	for (unsigned int i = 0; i < n; i++) {
		cr_assert_eq(sim_func(PIN, pins[i]), spi0);
		cr_assert_eq(ops->function_get(h, PIN, pins[i], &f), 0);
		cr_assert_eq(f, spi0);
	}
	cr_assert_eq(ops->function_get(h, GROUP, grp, &f), 0);
	cr_assert_eq(f, spi0);

	/* Pin level: SPI0_MISO back to GPIO; the group is no longer whole. */
	cr_assert_eq(ops->function_select(h, PIN, pins[2], id_of(FUNC, "gpio")), 0);
	cr_assert_eq(sim_func(PIN, pins[2]), id_of(FUNC, "gpio"));
	cr_assert_eq(sim_func(GROUP, grp), SCMI_PINCTRL_NO_FUNCTION);

	/* Overlapping groups of one function: bus4 then bus8 is fine. */
	cr_assert_eq(ops->mux_set(h, id_of(FUNC, "sdmmc0"), id_of(GROUP, "sdmmc0_bus4_grp")), 0);
	cr_assert_eq(sim_func(GROUP, id_of(GROUP, "sdmmc0_bus8_grp")), id_of(FUNC, "sdmmc0"));
}

Test(pinctrl, function_select_errors)
{
	uint32_t spi0 = id_of(FUNC, "spi0"), f;
	uint64_t before = sim_requests();

	/* Local: the function does not list the group; bad ids, types. */
	cr_assert_eq(ops->mux_set(h, spi0, id_of(GROUP, "uart1_grp")), -EINVAL);
	cr_assert_eq(ops->mux_set(h, 16, 0), -EINVAL);
	cr_assert_eq(ops->mux_set(h, spi0, 87), -EINVAL);
	cr_assert_eq(ops->function_select(h, FUNC, spi0, spi0), -EINVAL);
	cr_assert_eq(ops->function_get(h, FUNC, 0, &f), -EINVAL);
	cr_assert_eq(ops->function_get(h, PIN, 0, NULL), -EINVAL);
	cr_assert_eq(sim_requests(), before, "nothing was sent");
	cr_assert_eq(sim_func(GROUP, id_of(GROUP, "uart1_grp")), SCMI_PINCTRL_NO_FUNCTION);

	/* Platform: a pin no group of the function contains. */
	cr_assert_eq(ops->function_select(h, PIN, 50, spi0), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(sim_func(PIN, 50), SCMI_PINCTRL_NO_FUNCTION);
}

Test(pinctrl, function_conflict_busy)
{
	uint32_t i2s = id_of(GROUP, "i2s0_grp"), alt = id_of(GROUP, "spi1_on_i2s0_pins_grp");
	uint32_t fi2s = id_of(FUNC, "i2s0"), fspi1 = id_of(FUNC, "spi1");

	cr_assert_eq(ops->request(h, GROUP, i2s), 0);
	cr_assert_eq(ops->mux_set(h, fi2s, i2s), 0);
	/* The held, muxed group locks its pins. */
	cr_assert_eq(ops->mux_set(h, fspi1, alt), -EBUSY);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_BUSY);
	cr_assert_eq(ops->function_select(h, PIN, id_of(PIN, "I2S0_BCLK"), 0), -EBUSY);
	cr_assert_eq(sim_func(GROUP, i2s), fi2s);
	/* Re-muxing the held group itself is its owner's choice. */
	cr_assert_eq(ops->mux_set(h, fi2s, i2s), 0);
	cr_assert_eq(ops->release(h, GROUP, i2s), 0);
	cr_assert_eq(ops->mux_set(h, fspi1, alt), 0);
	cr_assert_eq(sim_func(GROUP, alt), fspi1);
	cr_assert_eq(sim_func(GROUP, i2s), SCMI_PINCTRL_NO_FUNCTION, "i2s0 pins taken over");
}

/* ---- ownership ------------------------------------------------------------ */

Test(pinctrl, request_release)
{
	struct scmi_sim_base_info bi;
	uint32_t grp = id_of(GROUP, "uart1_grp");
	const uint32_t *pins;
	unsigned int n;

	scmi_sim_base_info_get(sim, &bi);
	cr_assert_eq(ops->request(h, PIN, 50), 0);
	cr_assert_eq(sim_owner(PIN, 50), bi.agent_id);
	cr_assert_eq(ops->request(h, PIN, 50), 0, "idempotent");
	cr_assert_eq(ops->release(h, PIN, 50), 0);
	cr_assert_eq(sim_owner(PIN, 50), 0);
	cr_assert_eq(ops->release(h, PIN, 50), -EACCES, "not held");
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);

	/* A group brings its pins; they go back with it. */
	cr_assert_eq(ops->request(h, GROUP, grp), 0);
	cr_assert_eq(sim_owner(GROUP, grp), bi.agent_id);
	cr_assert_eq(ops->group_pins_get(h, grp, &pins, &n), 0);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_eq(sim_owner(PIN, pins[i]), bi.agent_id);
	cr_assert_eq(ops->release(h, PIN, pins[0]), -EACCES, "held through the group only");
	cr_assert_eq(ops->release(h, GROUP, grp), 0);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_eq(sim_owner(PIN, pins[i]), 0);

	/* Local checks. */
	cr_assert_eq(ops->request(h, FUNC, 0), -EINVAL);
	cr_assert_eq(ops->request(h, PIN, 64), -EINVAL);
	cr_assert_eq(ops->release(h, GROUP, 87), -EINVAL);
}

Test(pinctrl, other_agent_denied)
{
	uint32_t pmic = id_of(PIN, "PMIC_SLEEP_REQUEST_L"), grp = id_of(GROUP, "uart1_grp");
	struct scmi_pinctrl_config c = {SCMI_PINCTRL_CONF_OUTPUT_VALUE, 1};
	uint32_t v;

	/* The secure firmware (agent 2) holds the PMIC sleep request. */
	cr_assert_eq(sim_owner(PIN, pmic), 2);
	cr_assert_eq(ops->request(h, PIN, pmic), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_eq(ops->settings_conf(h, PIN, pmic, &c, 1), -EACCES);
	cr_assert_eq(ops->function_select(h, PIN, pmic, 0), -EACCES);
	cr_assert_eq(ops->settings_get_one(h, PIN, pmic, SCMI_PINCTRL_CONF_OUTPUT_VALUE, &v), 0,
		     "reading is allowed");
	cr_assert_eq(v, 0);

	/* Another agent takes a group: its pins are out of reach too. */
	cr_assert_eq(scmi_sim_pinctrl_request_as(sim, 3, SCMI_SIM_PINCTRL_GROUP, grp), 0);
	cr_assert_eq(ops->request(h, PIN, id_of(PIN, "UART1_TX")), -EACCES);
	cr_assert_eq(ops->settings_conf(h, GROUP, grp, &c, 1), -EACCES);
	cr_assert_eq(ops->mux_set(h, id_of(FUNC, "uart1"), grp), -EACCES);
	cr_assert_eq(ops->release(h, GROUP, grp), -EACCES);
	cr_assert_eq(scmi_sim_pinctrl_release_as(sim, 3, SCMI_SIM_PINCTRL_GROUP, grp), 0);
	cr_assert_eq(ops->mux_set(h, id_of(FUNC, "uart1"), grp), 0);
}

Test(pinctrl, base_reset_agent_releases)
{
	uint32_t pmic = id_of(PIN, "PMIC_SLEEP_REQUEST_L");

	cr_assert_eq(ops->request(h, GROUP, 3), 0);
	cr_assert_eq(ops->request(h, PIN, 60), 0);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 1, false), 0);
	cr_assert_eq(sim_owner(GROUP, 3), 0);
	cr_assert_eq(sim_owner(PIN, 60), 0);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 2, false), 0);
	cr_assert_eq(sim_owner(PIN, pmic), 0);
	cr_assert_eq(ops->request(h, PIN, pmic), 0);
}

/* ---- raw protocol checks (platform-side errors the agent never sends) ---- */

static int raw(uint8_t msg, const uint32_t *words, size_t n, uint8_t *rx, size_t rx_size,
	       size_t *rx_len)
{
	uint8_t tx[64];

	for (size_t i = 0; i < n; i++)
		scmi_put_le32(tx + 4 * i, words[i]);
	return scmi_raw_command(h, PROTO_PINCTRL, msg, tx, 4 * n, rx, rx_size, rx_len);
}

Test(pinctrl, platform_errors_raw)
{
	uint8_t rx[128];
	size_t len;

	/* Unknown ids: NOT_FOUND. */
	cr_assert_eq(raw(0x3, (uint32_t[]){64, 0}, 2, rx, sizeof(rx), &len), -ENOENT);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(raw(0x3, (uint32_t[]){16, 2}, 2, rx, sizeof(rx), &len), -ENOENT);
	cr_assert_eq(raw(0x4, (uint32_t[]){87, 1, 0}, 3, rx, sizeof(rx), &len), -ENOENT);
	cr_assert_eq(raw(0x5, (uint32_t[]){64, 1}, 2, rx, sizeof(rx), &len), -ENOENT);
	cr_assert_eq(raw(0x7, (uint32_t[]){64, 0}, 2, rx, sizeof(rx), &len), -ENOENT);
	cr_assert_eq(raw(0x9, (uint32_t[]){99, 2}, 2, rx, sizeof(rx), &len), -ENOENT);
	cr_assert_eq(raw(0x6, (uint32_t[]){0, 16, 1u << 10}, 3, rx, sizeof(rx), &len), -ENOENT,
		     "unknown function");
	/* Selector type 3, types a command does not take, reserved bits. */
	cr_assert_eq(raw(0x3, (uint32_t[]){0, 3}, 2, rx, sizeof(rx), &len), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(raw(0x4, (uint32_t[]){0, 0, 0}, 3, rx, sizeof(rx), &len), -EINVAL,
		     "pins have no associations");
	cr_assert_eq(raw(0x4, (uint32_t[]){0, 1, 3}, 3, rx, sizeof(rx), &len), -EINVAL,
		     "index past the list");
	cr_assert_eq(raw(0x7, (uint32_t[]){0, 2}, 2, rx, sizeof(rx), &len), -EINVAL);
	cr_assert_eq(raw(0x7, (uint32_t[]){0, 0x10}, 2, rx, sizeof(rx), &len), -EINVAL);
	cr_assert_eq(raw(0x5, (uint32_t[]){0, 3u << 18}, 2, rx, sizeof(rx), &len), -EINVAL);
	cr_assert_eq(raw(0x5, (uint32_t[]){0, 1u << 20}, 2, rx, sizeof(rx), &len), -EINVAL);
	cr_assert_eq(raw(0x5, (uint32_t[]){0, 2u << 16 | 1u << 18}, 2, rx, sizeof(rx), &len),
		     -EINVAL, "settings of a function");
	cr_assert_eq(raw(0x5, (uint32_t[]){0, 1u << 18 | 30u << 8}, 2, rx, sizeof(rx), &len),
		     -EINVAL, "skip past the configs");
	cr_assert_eq(raw(0x6, (uint32_t[]){0, ~0u, 1u << 11}, 3, rx, sizeof(rx), &len), -EINVAL);
	/* SETTINGS_CONFIGURE: the size must match the config count. */
	cr_assert_eq(raw(0x6, (uint32_t[]){0, ~0u, 2u << 2, 10, 4}, 5, rx, sizeof(rx), &len),
		     -EPROTO);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_PROTOCOL_ERROR);
	/* Nothing to do is fine. */
	cr_assert_eq(raw(0x6, (uint32_t[]){0, ~0u, 0}, 3, rx, sizeof(rx), &len), 0);
}

Test(pinctrl, settings_get_function_only_raw)
{
	uint32_t uart0 = id_of(FUNC, "uart0");
	uint8_t rx[64];
	size_t len;

	/* Config flag 2 (unverified in the digest): function, no configs. */
	cr_assert_eq(raw(0x5, (uint32_t[]){0, 2u << 18}, 2, rx, sizeof(rx), &len), 0);
	cr_assert_eq(len, 8);
	cr_assert_eq(scmi_get_le32(rx), uart0);
	cr_assert_eq(scmi_get_le32(rx + 4), 0);
	cr_assert_eq(raw(0x5, (uint32_t[]){0, 2u << 18 | 1u << 16}, 2, rx, sizeof(rx), &len), 0);
	cr_assert_eq(scmi_get_le32(rx), uart0, "uart0_grp");
}

Test(pinctrl, name_get_and_set_permissions_raw)
{
	uint32_t pmic = id_of(PIN, "PMIC_SLEEP_REQUEST_L");
	uint8_t rx[128];
	uint32_t attrs;
	size_t len;

	cr_assert_eq(raw(0x9, (uint32_t[]){pmic, 0}, 2, rx, sizeof(rx), &len), 0);
	cr_assert_eq(len, 68);
	cr_assert_str_eq((const char *)rx + 4, "PMIC_SLEEP_REQUEST_L");
	cr_assert_eq(raw(0x3, (uint32_t[]){pmic, 0}, 2, rx, sizeof(rx), &len), 0);
	cr_assert_eq(len, 20);
	cr_assert(scmi_get_le32(rx) & (1u << 31), "extended name flagged");
	cr_assert_eq(memcmp(rx + 4, "PMIC_SLEEP_REQUE", 16), 0, "16 bytes, no NUL");

	/* SET_PERMISSIONS: layout unverified, refused; not exposed. */
	cr_assert_eq(scmi_protocol_message_attributes(h, PROTO_PINCTRL, 0xa, &attrs), 0);
	cr_assert_eq(raw(0xa, (uint32_t[]){1, 0, 0, 1}, 4, rx, sizeof(rx), &len), -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(scmi_protocol_message_attributes(h, PROTO_PINCTRL, 0xb, &attrs), -ENOENT);
	for (uint8_t m = 0x3; m <= 0x9; m++)
		cr_assert_eq(scmi_protocol_message_attributes(h, PROTO_PINCTRL, m, &attrs), 0);
}

/* ---- a misbehaving platform ------------------------------------------------ */

/* Element (@type, @id) is disabled: info says so, every op on it is -EPROTO
 * with nothing sent. */
static void expect_elem_disabled(enum scmi_pinctrl_selector_type type, uint32_t id)
{
	struct scmi_pinctrl_config cfg[4] = {{1, 0}};
	const struct scmi_pinctrl_info *info;
	uint64_t before = sim_requests();
	unsigned int n = 4;
	const uint32_t *elems;
	uint32_t v;

	cr_assert_eq(ops->info_get(h, type, id, &info), 0);
	cr_assert_not(info->usable, "%s %u", scmi_pinctrl_type_name(type), id);
	cr_assert_eq(info->num_elems, 0);
	cr_assert_null(info->elems);
	if (type == FUNC) {
		cr_assert_eq(ops->function_groups_get(h, id, &elems, &n), -EPROTO);
		cr_assert_eq(ops->function_select(h, PIN, 0, id), -EPROTO);
	} else {
		if (type == GROUP)
			cr_assert_eq(ops->group_pins_get(h, id, &elems, &n), -EPROTO);
		cr_assert_eq(ops->settings_get_one(h, type, id, 1, &v), -EPROTO);
		cr_assert_eq(ops->settings_get_all(h, type, id, cfg, &n, NULL), -EPROTO);
		cr_assert_eq(ops->settings_conf(h, type, id, cfg, 1), -EPROTO);
		cr_assert_eq(ops->function_get(h, type, id, &v), -EPROTO);
		cr_assert_eq(ops->function_select(h, type, id, 0), -EPROTO);
		cr_assert_eq(ops->request(h, type, id), -EPROTO);
		cr_assert_eq(ops->release(h, type, id), -EPROTO);
	}
	cr_assert_eq(sim_requests(), before, "nothing sent for a disabled element");
}

/* Element (@type, @id) is usable and equals the model. */
static void expect_elem_model(enum scmi_pinctrl_selector_type type, uint32_t id)
{
	const struct scmi_pinctrl_info *info;
	uint32_t members[128];
	int nmem = 0;

	cr_assert_eq(ops->info_get(h, type, id, &info), 0);
	cr_assert(info->usable, "%s %u", scmi_pinctrl_type_name(type), id);
	if (type != PIN)
		nmem = scmi_sim_pinctrl_members(sim, (enum scmi_sim_pinctrl_type)type, id, members,
						128);
	cr_assert_eq(info->num_elems, (unsigned int)nmem, "%s %u", scmi_pinctrl_type_name(type),
		     id);
	for (int i = 0; i < nmem; i++)
		cr_assert_eq(info->elems[i], members[i]);
}

/*
 * Under @quirks (applied before discovery), some elements of the types in
 * @types (a mask of 1 << type) are disabled -- those whose lists the quirk
 * spoils -- with @log_text in the log; every other element equals the
 * model.  Discovery is not repeated.
 */
static void elements_disabled(unsigned int quirks, unsigned int types, const char *log_text)
{
	static const enum scmi_pinctrl_selector_type all[] = {PIN, GROUP, FUNC};
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;

	scmi_close(h);
	test_log_init(&lg);
	cfg = test_config(&lg);
	cfg.log_level = SCMI_LOG_WARN;
	h = test_open("loopback://", &cfg);
	ops = h->pinctrl_ops;
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, quirks), 0);
	cr_assert_eq(ops->count_get(h, PIN), 64);
	cr_assert(test_log_contains(&lg, log_text), "log: %s", lg.text);
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, 0), 0);
	for (size_t t = 0; t < 3; t++) {
		int n = ops->count_get(h, all[t]);
		unsigned int disabled = 0;

		cr_assert_gt(n, 0);
		for (int id = 0; id < n; id++) {
			const struct scmi_pinctrl_info *info;

			cr_assert_eq(ops->info_get(h, all[t], (uint32_t)id, &info), 0);
			if (info->usable) {
				expect_elem_model(all[t], (uint32_t)id);
				continue;
			}
			cr_assert(types & (1u << all[t]), "%s %d", scmi_pinctrl_type_name(all[t]),
				  id);
			expect_elem_disabled(all[t], (uint32_t)id);
			disabled++;
		}
		if (types & (1u << all[t]))
			cr_assert_gt(disabled, 0, "some %s disabled",
				     scmi_pinctrl_type_name(all[t]));
	}
	/* The pins still work. */
	cr_assert_eq(ops->request(h, PIN, 0), 0);
	cr_assert_eq(ops->release(h, PIN, 0), 0);
}

Test(pinctrl, malformed_assoc_bad_id)
{
	elements_disabled(SCMI_SIM_PINCTRL_QUIRK_ASSOC_BAD_ID, 1u << GROUP | 1u << FUNC,
			  "out of range");
}

/* Lists shorter than the attributes' counts: the ids listed are used. */
Test(pinctrl, assoc_shorter_than_attributes)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	const struct scmi_pinctrl_info *info;
	uint32_t members[128];
	int nmem;

	scmi_close(h);
	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://", &cfg);
	ops = h->pinctrl_ops;
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, SCMI_SIM_PINCTRL_QUIRK_ASSOC_SHORT), 0);
	cr_assert_eq(ops->count_get(h, PIN), 64);
	cr_assert(test_log_contains(&lg, "its attributes say"), "%s", lg.text);
	cr_assert_not(test_log_contains(&lg, "disabled"), "%s", lg.text);
	for (uint32_t g = 0; g < (uint32_t)ops->count_get(h, GROUP); g++) {
		cr_assert_eq(ops->info_get(h, GROUP, g, &info), 0);
		nmem = scmi_sim_pinctrl_members(sim, SCMI_SIM_PINCTRL_GROUP, g, members, 128);
		cr_assert(info->usable);
		cr_assert_eq(info->num_elems, (unsigned int)nmem - 1, "group %u", g);
		if (nmem == 1)
			cr_assert_null(info->elems, "an empty list: no array");
		for (int i = 0; i < nmem - 1; i++)
			cr_assert_eq(info->elems[i], members[i]);
	}
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, 0), 0);
}

Test(pinctrl, malformed_assoc_padding)
{
	elements_disabled(SCMI_SIM_PINCTRL_QUIRK_ASSOC_NO_PADDING, 1u << GROUP | 1u << FUNC,
			  "padded");
}

Test(pinctrl, malformed_assoc_duplicate)
{
	elements_disabled(SCMI_SIM_PINCTRL_QUIRK_ASSOC_DUPLICATE, 1u << GROUP | 1u << FUNC,
			  "twice");
}

Test(pinctrl, malformed_attr_too_many)
{
	elements_disabled(SCMI_SIM_PINCTRL_QUIRK_ATTR_TOO_MANY, 1u << GROUP, "only 64 exist");
}

Test(pinctrl, malformed_settings)
{
	struct scmi_pinctrl_config cfg[SCMI_PINCTRL_MAX_CONFIGS];
	unsigned int n = SCMI_PINCTRL_MAX_CONFIGS, good;
	uint32_t v = 0;

	cr_assert_eq(ops->count_get(h, PIN), 64);
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, SCMI_SIM_PINCTRL_QUIRK_BAD_FUNCTION), 0);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 1, &v), -EPROTO);
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, cfg, &n, NULL), -EPROTO);
	cr_assert_eq(ops->function_get(h, PIN, 0, &v), -EPROTO);
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, SCMI_SIM_PINCTRL_QUIRK_WRONG_CONFIG_TYPE), 0);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 1, &v), -EPROTO);
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, cfg, &n, NULL), 0, "not used by 'all'");
	/* "remaining" one too many: the list ends where the platform says
	 * there is nothing more; the configs listed are all there. */
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, 0), 0);
	n = SCMI_PINCTRL_MAX_CONFIGS;
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, cfg, &n, NULL), 0);
	good = n;
	cr_assert_gt(good, 0);
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, SCMI_SIM_PINCTRL_QUIRK_CONFIGS_REMAINING), 0);
	n = SCMI_PINCTRL_MAX_CONFIGS;
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, cfg, &n, NULL), 0);
	cr_assert_eq(n, good);
	cr_assert_eq(scmi_sim_pinctrl_quirks_set(sim, 0), 0);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 1, &v), 0);
}

static void arm_bad_length(int msg, int64_t delta)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.every = 1,
		.count = 1,
		.protocol = PROTO_PINCTRL,
		.message = msg,
		.param = delta,
	};

	cr_assert_eq(test_fault_add(h, &f), 0);
}

Test(pinctrl, truncated_replies)
{
	struct scmi_pinctrl_config cfg[SCMI_PINCTRL_MAX_CONFIGS];
	unsigned int n = SCMI_PINCTRL_MAX_CONFIGS;
	uint32_t v;

	cr_assert_eq(ops->count_get(h, PIN), 64);
	arm_bad_length(0x5, -4);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, 1, &v), -EPROTO);
	arm_bad_length(0x5, -4);
	cr_assert_eq(ops->settings_get_all(h, PIN, 0, cfg, &n, NULL), -EPROTO);
	arm_bad_length(0x5, -12);
	cr_assert_eq(ops->function_get(h, PIN, 0, &v), -EPROTO);
	cr_assert_eq(ops->function_get(h, PIN, 0, &v), 0, "recovers");
	cr_assert_eq(v, id_of(FUNC, "uart0"));
}

Test(pinctrl, truncated_discovery)
{
	const struct scmi_pinctrl_info *info;
	unsigned int disabled = 0;

	/* PROTOCOL_ATTRIBUTES without functions: the bring-up fails, and is
	 * retried. */
	arm_bad_length(0x1, -4);
	cr_assert_eq(ops->count_get(h, PIN), -EPROTO);
	/* Attributes with a short name field: that element (pin 0). */
	arm_bad_length(0x3, -1);
	cr_assert_eq(ops->count_get(h, PIN), 64);
	expect_elem_disabled(PIN, 0);
	/* An association reply cut by one id: its count and length disagree. */
	scmi_close(h);
	open_uri("loopback://");
	arm_bad_length(0x4, -4);
	cr_assert_eq(ops->count_get(h, PIN), 64);
	for (uint32_t g = 0; g < (uint32_t)ops->count_get(h, GROUP); g++) {
		cr_assert_eq(ops->info_get(h, GROUP, g, &info), 0);
		if (!info->usable) {
			expect_elem_disabled(GROUP, g);
			disabled++;
		}
	}
	cr_assert_eq(disabled, 1, "the first group with pins");
}

/* No answer at all is no description: the bring-up fails and is retried. */
Test(pinctrl, discovery_timeout_retried, .init = NULL)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = PROTO_PINCTRL,
		.message = 0x4,
	};

	cfg.timeout_ms = 100;
	h = test_open("loopback://", &cfg);
	ops = h->pinctrl_ops;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(ops->count_get(h, PIN), -ETIMEDOUT);
	check_discovery();
}

Test(pinctrl, extended_name_failure_keeps_short_name)
{
	char name[SCMI_SIM_PINCTRL_NAME_MAX];
	const char *nm;
	uint32_t pmic = 46;

	/* The first NAME_GET (pin 44, USB0_OVERCURRENT_N) comes back short;
	 * the others are fine. */
	arm_bad_length(0x9, -64);
	cr_assert_eq(ops->count_get(h, PIN), 64);
	cr_assert_eq(ops->name_get(h, PIN, 44, &nm), 0);
	/* The 16-byte short field has no NUL: its first 15 characters (§5). */
	cr_assert_str_eq(nm, "USB0_OVERCURREN", "%s", nm);
	cr_assert_eq(scmi_sim_pinctrl_name(sim, SCMI_SIM_PINCTRL_PIN, pmic, name), 0);
	cr_assert_eq(ops->name_get(h, PIN, pmic, &nm), 0);
	cr_assert_str_eq(nm, name);
}

/* ---- platform-side changes and versions ------------------------------------ */

Test(pinctrl, platform_side_changes)
{
	struct scmi_pinctrl_config cfg[SCMI_PINCTRL_MAX_CONFIGS];
	unsigned int n = SCMI_PINCTRL_MAX_CONFIGS;
	uint32_t v = 0, f = 0, grp = id_of(GROUP, "pwm1_grp");

	/* Firmware reconfigures pads and muxes behind the agent's back. */
	cr_assert_eq(scmi_sim_pinctrl_config_set(sim, SCMI_SIM_PINCTRL_PIN, 31,
						 SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 16),
		     0);
	cr_assert_eq(ops->settings_get_one(h, PIN, 31, SCMI_PINCTRL_CONF_DRIVE_STRENGTH, &v), 0);
	cr_assert_eq(v, 16);
	cr_assert_eq(
		scmi_sim_pinctrl_function_set(sim, SCMI_SIM_PINCTRL_GROUP, grp, id_of(FUNC, "pwm")),
		0);
	cr_assert_eq(ops->function_get(h, GROUP, grp, &f), 0);
	cr_assert_eq(f, id_of(FUNC, "pwm"));
	cr_assert_eq(ops->settings_get_all(h, PIN, 31, cfg, &n, &f), 0);
	cr_assert_eq(f, id_of(FUNC, "pwm"));
	/* uart2 takes PWM1 over: pwm1_grp is no longer muxed as a whole. */
	cr_assert_eq(scmi_sim_pinctrl_function_set(sim, SCMI_SIM_PINCTRL_GROUP,
						   id_of(GROUP, "uart2_on_pwm_pins_grp"),
						   id_of(FUNC, "uart2")),
		     0);
	cr_assert_eq(ops->function_get(h, GROUP, grp, &f), 0);
	cr_assert_eq(f, SCMI_PINCTRL_NO_FUNCTION);

	/* The model's rules hold for the test API too. */
	cr_assert_eq(scmi_sim_pinctrl_config_set(sim, SCMI_SIM_PINCTRL_PIN, 56,
						 SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 8),
		     -EOPNOTSUPP);
	cr_assert_eq(scmi_sim_pinctrl_config_set(sim, SCMI_SIM_PINCTRL_PIN, 31,
						 SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 3),
		     -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_config_set(sim, SCMI_SIM_PINCTRL_PIN, 31,
						 SCMI_PINCTRL_CONF_INPUT_VALUE, 1),
		     -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_function_set(sim, SCMI_SIM_PINCTRL_GROUP, grp, 16), -ENOENT);
	cr_assert_eq(scmi_sim_pinctrl_function_set(sim, SCMI_SIM_PINCTRL_GROUP, grp,
						   id_of(FUNC, "spi0")),
		     -EINVAL);
}

static void open_logged(const char *uri, struct test_log *lg)
{
	struct scmi_config cfg;

	test_log_init(lg);
	cfg = test_config(lg);
	cfg.log_level = SCMI_LOG_INFO;
	h = test_open(uri, &cfg);
	ops = h->pinctrl_ops;
	cr_assert_not_null(ops);
}

Test(pinctrl, newer_minor_negotiated, .init = NULL)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */

	open_logged("loopback://?versions=pinctrl:1.3", &lg);
	check_discovery();
	cr_assert(test_log_contains(&lg, "pinctrl: negotiated version 0x10000"), "%s", lg.text);
	conf_split(2);
}

Test(pinctrl, newer_major_refused, .init = NULL)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */

	open_logged("loopback://?versions=pinctrl:2.0", &lg);
	check_discovery();
	cr_assert(test_log_contains(&lg, "compatibility not assured"), "%s", lg.text);
}

/* ---- threads ------------------------------------------------------------------ */

static void *reader(void *arg)
{
	uintptr_t ok = 1;

	(void)arg;
	for (int i = 0; i < 50; i++) {
		struct scmi_pinctrl_config cfg[SCMI_PINCTRL_MAX_CONFIGS];
		unsigned int n = SCMI_PINCTRL_MAX_CONFIGS;
		const struct scmi_pinctrl_info *info;
		uint32_t f;

		ok &= ops->settings_get_all(h, PIN, (uint32_t)i % 64, cfg, &n, &f) == 0;
		ok &= ops->info_get(h, GROUP, (uint32_t)i % 87, &info) == 0;
		ok &= ops->function_get(h, GROUP, 0, &f) == 0 && f == 1;
	}
	return (void *)ok;
}

Test(pinctrl, concurrent_first_use)
{
	pthread_t t[4];
	void *ok;

	/* Every thread may be the one bringing the protocol up. */
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, reader, NULL), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(pthread_join(t[i], &ok), 0);
		cr_assert_eq((uintptr_t)ok, 1);
	}
	check_discovery();
}

/* ---- config type names ----------------------------------------------------- */

Test(pinctrl, config_names, .init = NULL, .fini = NULL)
{
	uint8_t t;

	for (unsigned int i = 0; i <= 20; i++) {
		const char *n = scmi_pinctrl_config_name(i);

		cr_assert_not_null(n, "type %u", i);
		cr_assert_eq(scmi_pinctrl_config_parse(n, &t), 0, "%s", n);
		cr_assert_eq(t, i);
	}
	cr_assert_str_eq(scmi_pinctrl_config_name(4), "bias-pull-up");
	cr_assert_str_eq(scmi_pinctrl_config_name(200), "oem");
	cr_assert_null(scmi_pinctrl_config_name(21));
	cr_assert_null(scmi_pinctrl_config_name(256));
	cr_assert_eq(scmi_pinctrl_config_parse("oem-200", &t), 0);
	cr_assert_eq(t, 200);
	cr_assert_eq(scmi_pinctrl_config_parse("0x10", &t), 0);
	cr_assert_eq(t, 16);
	cr_assert_eq(scmi_pinctrl_config_parse("255", &t), 0);
	cr_assert_eq(scmi_pinctrl_config_parse("oem-20", &t), -EINVAL);
	cr_assert_eq(scmi_pinctrl_config_parse("21", &t), -EINVAL);
	cr_assert_eq(scmi_pinctrl_config_parse("256", &t), -EINVAL);
	cr_assert_eq(scmi_pinctrl_config_parse("bias-pull", &t), -EINVAL);
	cr_assert_eq(scmi_pinctrl_config_parse("", &t), -EINVAL);
	cr_assert_eq(scmi_pinctrl_config_parse(NULL, &t), -EINVAL);
	cr_assert_str_eq(scmi_pinctrl_type_name(SCMI_PINCTRL_GROUP), "group");
	cr_assert_str_eq(scmi_pinctrl_type_name((enum scmi_pinctrl_selector_type)7), "unknown");
}

/* ---- simulator test API ------------------------------------------------------- */

Test(pinctrl, sim_api_arguments)
{
	char name[SCMI_SIM_PINCTRL_NAME_MAX];
	uint32_t v;

	cr_assert_eq(scmi_sim_pinctrl_count(NULL, SCMI_SIM_PINCTRL_PIN), -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_count(sim, (enum scmi_sim_pinctrl_type)3), -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_name(sim, SCMI_SIM_PINCTRL_PIN, 64, name), -ENOENT);
	cr_assert_eq(scmi_sim_pinctrl_members(sim, SCMI_SIM_PINCTRL_PIN, 0, NULL, 0), -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_config_get(sim, SCMI_SIM_PINCTRL_FUNCTION, 0, 1, &v),
		     -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_config_get(sim, SCMI_SIM_PINCTRL_PIN, 56, 10, &v),
		     -EOPNOTSUPP);
	cr_assert_eq(scmi_sim_pinctrl_input_set(sim, 0, 2), -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_request_as(sim, 0, SCMI_SIM_PINCTRL_PIN, 0), -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_request_as(sim, 4, SCMI_SIM_PINCTRL_PIN, 0), -EINVAL);
	cr_assert_eq(scmi_sim_pinctrl_request_as(sim, 3, SCMI_SIM_PINCTRL_PIN, 46), -EACCES);
	cr_assert_eq(scmi_sim_pinctrl_release_as(sim, 3, SCMI_SIM_PINCTRL_PIN, 46), -EACCES);
	cr_assert_eq(scmi_sim_pinctrl_members(sim, SCMI_SIM_PINCTRL_FUNCTION, 0, NULL, 0), 64);
}

/* ---- a platform describing some elements badly ---------------------------------- */

/*
 * Pin control 1.0 platform: pins 0 and 1, groups 0 and 1 (pins {0, 1}
 * each), function 0 (groups {0, 1}).
 *   pin 1:   PINCTRL_ATTRIBUTES refused (DENIED)
 *   group 0: lists 3 pins where its attributes say 2
 *   group 1: one id per reply, "remaining" one too many (OP-TEE's way),
 *            then INVALID_PARAMETERS
 */
static _Atomic unsigned int rogue_configures;

static void rogue_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, 2u << 16 | 2u);
	sim_reply_u32(ctx, 1);
}

static void rogue_elem_attributes(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0), type = sim_req_u32(ctx, 4) & 3;
	static const char *const names[3][2] = {
		{"pin0", "pin1"}, {"group0", "group1"}, {"func0", "func0"}};

	if (type > 2 || id >= (type == 2 ? 1u : 2u)) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	if (type == 0 && id == 1) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	sim_reply_u32(ctx, type ? 2 : 0);
	sim_reply_name(ctx, names[type][id]);
}

static void rogue_list_assoc(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0), type = sim_req_u32(ctx, 4) & 3;
	uint32_t index = sim_req_u32(ctx, 8);

	if (type == 1 && id == 0) { /* three pins for two */
		sim_reply_u32(ctx, 3);
		sim_reply_u32(ctx, 1u << 16 | 0u);
		sim_reply_u32(ctx, 1u);
		return;
	}
	if (type == 1 && id == 1) {
		if (index >= 2) {
			sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
			return;
		}
		sim_reply_u32(ctx, 1 | (2 - index) << 16);
		sim_reply_u32(ctx, index);
		return;
	}
	if (type == 2 && id == 0) {
		sim_reply_u32(ctx, 2);
		sim_reply_u32(ctx, 1u << 16 | 0u);
		return;
	}
	sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
}

static void rogue_configure(struct sim_ctx *ctx)
{
	(void)ctx;
	rogue_configures++;
}

static void rogue_ok(struct sim_ctx *ctx)
{
	(void)ctx;
}

static const struct sim_cmd rogue_cmds[] = {
	{0x3, 0, 8, rogue_elem_attributes},
	{0x4, 0, 12, rogue_list_assoc},
	{0x6, 0, SIM_REQ_LEN_ANY, rogue_configure},
	{0x7, 0, 8, rogue_ok},
	{0x8, 0, 8, rogue_ok},
};

static const uint32_t rogue_versions[] = {SIM_VERSION(1, 0), 0};

static const struct sim_proto_ops rogue_ops = {
	.id = PROTO_PINCTRL,
	.name = "rogue-pinctrl",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = SIM_ARRAY_SIZE(rogue_cmds),
	.attributes = rogue_attributes,
};

Test(pinctrl, one_bad_element_disables_only_it, .init = NULL)
{
	const struct scmi_pinctrl_info *info;
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	uint64_t before;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://", &cfg);
	ops = h->pinctrl_ops;
	test_model_swap(sim, &rogue_ops, SIM_VERSION(1, 0));
	cr_assert_eq(ops->count_get(h, PIN), 2);
	cr_assert(test_log_contains(&lg, "pinctrl: pin 1 disabled: Permission denied"), "%s",
		  lg.text);
	cr_assert(test_log_contains(&lg, "3 entries at 0, at most 2 stored"), "%s", lg.text);
	cr_assert(test_log_contains(&lg, "pinctrl: group 0 disabled: Protocol error"), "%s",
		  lg.text);
	cr_assert(test_log_contains(&lg, "inconsistent counts: 3 entries announced, 2 listed"),
		  "%s", lg.text);
	expect_elem_disabled(PIN, 1);
	expect_elem_disabled(GROUP, 0);
	/* The rest works. */
	cr_assert_eq(ops->info_get(h, PIN, 0, &info), 0);
	cr_assert(info->usable);
	cr_assert_str_eq(info->name, "pin0");
	cr_assert_eq(ops->info_get(h, GROUP, 1, &info), 0);
	cr_assert(info->usable);
	cr_assert_eq(info->num_elems, 2);
	cr_assert_eq(info->elems[0], 0);
	cr_assert_eq(info->elems[1], 1);
	cr_assert_eq(ops->info_get(h, FUNC, 0, &info), 0);
	cr_assert(info->usable);
	cr_assert_eq(info->num_elems, 2);
	cr_assert_eq(ops->request(h, PIN, 0), 0);
	cr_assert_eq(ops->function_select(h, GROUP, 1, 0), 0);
	cr_assert_eq(rogue_configures, 1);
	/* Boundaries: an id equal to the count is unknown. */
	before = sim_requests();
	cr_assert_eq(ops->request(h, PIN, 2), -EINVAL);
	cr_assert_eq(ops->function_select(h, GROUP, 2, 0), -EINVAL);
	cr_assert_eq(ops->function_select(h, GROUP, 1, 1), -EINVAL);
	cr_assert_eq(sim_requests(), before);
}

/* Boundaries: every op at id == count (64 pins, 87 groups, 16 functions)
 * is -EINVAL with nothing sent; the last ids are known. */
Test(pinctrl, id_boundary)
{
	struct scmi_pinctrl_config cfg[4] = {{SCMI_PINCTRL_CONF_BIAS_PULL_UP, 1}};
	const struct scmi_pinctrl_info *info;
	unsigned int n = 4, nr;
	const uint32_t *ids;
	const char *name;
	uint64_t before;
	uint32_t v;

	cr_assert_eq(ops->count_get(h, PIN), 64);
	cr_assert_eq(ops->count_get(h, GROUP), 87);
	cr_assert_eq(ops->count_get(h, FUNC), 16);
	before = sim_requests();
	cr_assert_eq(ops->info_get(h, GROUP, 87, &info), -EINVAL);
	cr_assert_eq(ops->name_get(h, PIN, 64, &name), -EINVAL);
	cr_assert_eq(ops->name_get(h, FUNC, 16, &name), -EINVAL);
	cr_assert_eq(ops->group_pins_get(h, 87, &ids, &nr), -EINVAL);
	cr_assert_eq(ops->function_groups_get(h, 16, &ids, &nr), -EINVAL);
	for (int t = PIN; t <= GROUP; t++) {
		enum scmi_pinctrl_selector_type type = (enum scmi_pinctrl_selector_type)t;
		uint32_t count = t == PIN ? 64 : 87;

		cr_assert_eq(ops->settings_get_one(h, type, count, 1, &v), -EINVAL);
		cr_assert_eq(ops->settings_get_all(h, type, count, cfg, &n, NULL), -EINVAL);
		cr_assert_eq(ops->settings_conf(h, type, count, cfg, 1), -EINVAL);
		cr_assert_eq(ops->function_get(h, type, count, &v), -EINVAL);
		cr_assert_eq(ops->function_select(h, type, count, 0), -EINVAL);
		cr_assert_eq(ops->function_select(h, type, 0, 16), -EINVAL);
		cr_assert_eq(ops->request(h, type, count), -EINVAL);
		cr_assert_eq(ops->release(h, type, count), -EINVAL);
	}
	cr_assert_eq(sim_requests(), before, "nothing sent");
	cr_assert_eq(ops->info_get(h, PIN, 63, &info), 0);
	cr_assert_eq(ops->info_get(h, GROUP, 86, &info), 0);
	cr_assert_eq(ops->info_get(h, FUNC, 15, &info), 0);
	cr_assert_eq(ops->request(h, PIN, 63), 0);
	cr_assert_eq(ops->release(h, PIN, 63), 0);
}

/* ---- non-blocking forms (SCMI_ASYNC) ------------------------------------------ */

/* The request of every test below. */
static struct test_req rq;

/* settings_get_all() both ways on (@type, @id): equal outputs. */
static void nb_get_all(enum scmi_pinctrl_selector_type type, uint32_t id, unsigned int room,
		       int want, unsigned int min_msgs)
{
	struct scmi_pinctrl_config a[SCMI_PINCTRL_MAX_CONFIGS], b[SCMI_PINCTRL_MAX_CONFIGS];
	unsigned int na = room, nb = room;
	uint32_t fa = 77, fb = 88;
	uint64_t before = sim_requests(), msgs;

	memset(a, 0xa5, sizeof(a));
	memset(b, 0xa5, sizeof(b));
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->settings_get_all(h, type, id, a, &na, &fa)), want);
	msgs = sim_requests() - before;
	cr_assert_geq(msgs, min_msgs, "%s %u: one request, %" PRIu64 " pages",
		      scmi_pinctrl_type_name(type), id, msgs);
	cr_assert_eq(ops->settings_get_all(h, type, id, b, &nb, &fb), want);
	cr_assert_eq(sim_requests() - before, 2 * msgs, "as many pages as blocking");
	cr_assert_eq(na, nb);
	cr_assert_eq(fa, fb);
	cr_assert_eq(memcmp(a, b, sizeof(a)), 0, "%s %u: same configs",
		     scmi_pinctrl_type_name(type), id);
}

Test(pinctrl, nonblocking_ops_equal_blocking, .init = NULL)
{
	const struct scmi_pinctrl_info *ia = NULL, *ib = NULL;
	const uint32_t *ea = NULL, *eb = NULL;
	const char *sa = NULL, *sb = NULL;
	unsigned int na = 0, nb = 0;
	uint32_t va = 0, vb = 0, id = 0;
	uint32_t spi0, grp, gpio;
	struct scmi_sim_base_info bi;
	struct scmi_pinctrl_config c[20];
	uint64_t before;

	/* Pages of two entries: the walks take many messages. */
	open_uri("loopback://?max_list_items=2");
	cr_assert_eq(ops->count_get(h, PIN), 64); /* bring-up, blocking */
	spi0 = id_of(FUNC, "spi0");
	grp = id_of(GROUP, "spi0_grp");
	gpio = id_of(FUNC, "gpio");

	/* Answered from discovery: completed all the same, nothing sent. */
	before = sim_requests();
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->count_get(h, GROUP)), ops->count_get(h, GROUP));
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->info_get(h, GROUP, grp, &ia)), 0);
	cr_assert_eq(ops->info_get(h, GROUP, grp, &ib), 0);
	cr_assert_eq(ia, ib);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->name_get(h, FUNC, spi0, &sa)), 0);
	cr_assert_eq(ops->name_get(h, FUNC, spi0, &sb), 0);
	cr_assert_eq(sa, sb);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->id_lookup(h, GROUP, "spi0_grp", &id)), 0);
	cr_assert_eq(id, grp);
	/* A lookup that fails without the platform: refused, as any local
	 * error. */
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->id_lookup(h, GROUP, "no_such_grp", &id)),
		     -ENOENT);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->group_pins_get(h, grp, &ea, &na)), 0);
	cr_assert_eq(ops->group_pins_get(h, grp, &eb, &nb), 0);
	cr_assert_eq(ea, eb);
	cr_assert_eq(na, nb);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->function_groups_get(h, spi0, &ea, &na)), 0);
	cr_assert_eq(ops->function_groups_get(h, spi0, &eb, &nb), 0);
	cr_assert_eq(ea, eb);
	cr_assert_eq(na, nb);
	cr_assert_eq(sim_requests(), before);

	/* One config; the selected function. */
	cr_assert_eq(
		TEST_ASYNC(h, &rq,
			   ops->settings_get_one(h, PIN, 0, SCMI_PINCTRL_CONF_DRIVE_STRENGTH, &va)),
		0);
	cr_assert_eq(ops->settings_get_one(h, PIN, 0, SCMI_PINCTRL_CONF_DRIVE_STRENGTH, &vb), 0);
	cr_assert_eq(va, vb);
	cr_assert_eq(va, sim_cfg(PIN, 0, SCMI_PINCTRL_CONF_DRIVE_STRENGTH));
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->function_get(h, PIN, 0, &va)), 0);
	cr_assert_eq(ops->function_get(h, PIN, 0, &vb), 0);
	cr_assert_eq(va, vb);
	cr_assert_eq(va, id_of(FUNC, "uart0"));

	/* The multi-part walk, non-blocking: 21 configs by pairs, each page
	 * a new message of the same request; a group's; a buffer too short
	 * (-ENOSPC, the count needed); the count only. */
	nb_get_all(PIN, 0, SCMI_PINCTRL_MAX_CONFIGS, 0, 11);
	nb_get_all(PIN, 3, SCMI_PINCTRL_MAX_CONFIGS, 0, 11);
	nb_get_all(GROUP, id_of(GROUP, "sdmmc0_bus8_grp"), SCMI_PINCTRL_MAX_CONFIGS, 0, 1);
	nb_get_all(PIN, 0, 4, -ENOSPC, 11);
	nb_get_all(PIN, 0, 0, -ENOSPC, 11);

	/* Settings in several messages, from the caller's array. */
	for (unsigned int i = 0; i < 20; i++)
		c[i] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_INPUT_DEBOUNCE, 100 * i};
	c[19] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 2};
	before = configures();
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->settings_conf(h, PIN, 51, c, 20)), 0);
	cr_assert_eq(configures() - before, 2, "14 + 6 (15 + 5 on shmem)");
	cr_assert_eq(sim_cfg(PIN, 51, SCMI_PINCTRL_CONF_INPUT_DEBOUNCE), 1800, "applied in order");
	cr_assert_eq(sim_cfg(PIN, 51, SCMI_PINCTRL_CONF_DRIVE_STRENGTH), 2);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->settings_conf(h, PIN, 51, c, 1)), 0);
	cr_assert_eq(sim_cfg(PIN, 51, SCMI_PINCTRL_CONF_INPUT_DEBOUNCE), 0);

	/* Functions. */
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->mux_set(h, spi0, grp)), 0);
	cr_assert_eq(sim_func(GROUP, grp), spi0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->function_get(h, GROUP, grp, &va)), 0);
	cr_assert_eq(va, spi0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->function_select(h, PIN, 50, gpio)), 0);
	cr_assert_eq(sim_func(PIN, 50), gpio);

	/* Ownership. */
	scmi_sim_base_info_get(sim, &bi);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->request(h, PIN, 50)), 0);
	cr_assert_eq(sim_owner(PIN, 50), bi.agent_id);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->release(h, PIN, 50)), 0);
	cr_assert_eq(sim_owner(PIN, 50), 0);
	test_req_at_most_once(&rq);
}

Test(pinctrl, nonblocking_errors_equal_blocking, .init = NULL)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.protocol = PROTO_PINCTRL,
		.message = 0x5, /* SETTINGS_GET */
		.param = -4,
	};
	struct scmi_pinctrl_config cfg[SCMI_PINCTRL_MAX_CONFIGS];
	uint32_t pmic, pin = 53;
	struct scmi_pinctrl_config c[20];
	unsigned int n;
	uint64_t before;
	uint32_t v;

	open_uri("loopback://?max_list_items=2");
	cr_assert_eq(ops->count_get(h, PIN), 64);
	pmic = id_of(PIN, "PMIC_SLEEP_REQUEST_L");

	/* Platform error statuses: the blocking op's errno. */
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->release(h, PIN, 50)), -EACCES, "not held");
	cr_assert_eq(ops->release(h, PIN, 50), -EACCES);
	c[0] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_OUTPUT_VALUE, 1};
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->settings_conf(h, PIN, pmic, c, 1)), -EACCES);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->function_select(h, PIN, pmic, 0)), -EACCES);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->request(h, PIN, pmic)), -EACCES);
	cr_assert_eq(
		TEST_ASYNC(h, &rq, ops->settings_get_one(h, PIN, 0, SCMI_PINCTRL_CONF_DEFAULT, &v)),
		-EINVAL);
	cr_assert_eq(
		TEST_ASYNC(h, &rq,
			   ops->settings_get_one(h, GROUP, 0, SCMI_PINCTRL_CONF_INPUT_VALUE, &v)),
		-EOPNOTSUPP);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->function_select(h, PIN, 50, id_of(FUNC, "spi0"))),
		     -EINVAL);

	/* A failure in the second message of a split: the first stays. */
	for (unsigned int i = 0; i < 20; i++)
		c[i] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_SLEW_RATE, i % 4};
	c[13].value = 0;
	c[14].value = 0;
	c[15].value = 9;
	before = configures();
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->settings_conf(h, PIN, 52, c, 20)), -EINVAL);
	cr_assert_eq(configures() - before, 1, "first message applied");
	cr_assert_eq(sim_cfg(PIN, 52, SCMI_PINCTRL_CONF_SLEW_RATE), 0);
	c[0] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 8};
	c[1] = (struct scmi_pinctrl_config){SCMI_PINCTRL_CONF_POWER_SOURCE, 2500};
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->settings_conf(h, PIN, pin, c, 2)), -EINVAL);
	cr_assert_eq(ops->settings_conf(h, PIN, pin, c, 2), -EINVAL);

	/* A malformed page fails the walk, outputs untouched. */
	cr_assert_eq(test_fault_add(h, &f), 0);
	n = SCMI_PINCTRL_MAX_CONFIGS;
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->settings_get_all(h, PIN, 0, cfg, &n, NULL)), -EPROTO);
	cr_assert_eq(n, SCMI_PINCTRL_MAX_CONFIGS);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->function_get(h, PIN, 0, &v)), -EPROTO);
	test_fault_clear(h);

	/* Refused locally: not submitted, no callback, nothing sent. */
	before = sim_requests();
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->settings_conf(h, FUNC, 0, c, 1)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->settings_conf(h, PIN, pin, NULL, 1)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->settings_get_all(h, PIN, 64, cfg, &n, NULL)),
		     -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->settings_get_one(h, PIN, 0, 100, &v)),
		     -EINVAL);
	cr_assert_eq(
		TEST_ASYNC_REFUSED(h, &rq,
				   ops->mux_set(h, id_of(FUNC, "spi0"), id_of(GROUP, "uart1_grp"))),
		-EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->request(h, FUNC, 0)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->function_get(h, PIN, 0, NULL)), -EINVAL);
	cr_assert_eq(sim_requests(), before);
	test_req_at_most_once(&rq);
}

Test(pinctrl, nonblocking_walk_cancelled_and_closed, .init = NULL)
{
	struct scmi_pinctrl_config cfg[SCMI_PINCTRL_MAX_CONFIGS];
	unsigned int n = SCMI_PINCTRL_MAX_CONFIGS;
	uint32_t f = 77;
	struct scmi_sim_fault slow = {
		.kind = SCMI_SIM_FAULT_DELAY,
		.protocol = PROTO_PINCTRL,
		.message = 0x5, /* SETTINGS_GET */
		.param = 20000,
	};

	/* A transport that polls runs each request on the engine's thread,
	 * blocking: a request in progress there cannot be cancelled. */
	test_need_in_flight(2);
	open_uri("loopback://?max_list_items=2");
	cr_assert_eq(ops->count_get(h, PIN), 64);
	/* Eleven pages of 20 ms each: the walk is long in progress. */
	cr_assert_eq(test_fault_add(h, &slow), 0);

	/* Cancelled between pages: completed once, outputs untouched. */
	cr_assert_eq(TEST_SUBMIT(&rq, ops->settings_get_all(h, PIN, 0, cfg, &n, &f)), 0);
	cr_assert_eq(scmi_req_cancel(&rq.req), 0);
	cr_assert_eq(test_req_result(h, &rq, 0, "cancelled walk"), -ECANCELED);
	cr_assert_eq(n, SCMI_PINCTRL_MAX_CONFIGS);
	cr_assert_eq(f, 77);

	/* The handle closed during a walk: completed before scmi_close()
	 * returns, once, with -ECANCELED. */
	cr_assert_eq(TEST_SUBMIT(&rq, ops->settings_get_all(h, PIN, 0, cfg, &n, &f)), 0);
	scmi_close(h);
	h = NULL;
	cr_assert_eq(atomic_load(&rq.calls), 1);
	cr_assert_eq(rq.status, -ECANCELED);
	cr_assert_eq(n, SCMI_PINCTRL_MAX_CONFIGS);
	cr_assert_eq(f, 77);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * Voltage domain protocol (0x17) against the simulator: discovery equals
 * the model in every version (1.0, 2.0, 2.1; absent from the scmi-2.0
 * profile), level lists walked over many messages and segments, config and
 * level get/set, async LEVEL_SET and its delayed response, local
 * refusals, platform errors, malformed descriptions.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>

#include <scmi/protocols/voltage.h>

#include "helpers.h"

#include "../sim/sim-internal.h"

#define VOLT 0x17
/* Domains of the default model (see scmi-sim/voltage.h). */
#define D_CPU  0 /* list of 40, sync, impl mode 0x8 */
#define D_GPU  1 /* segment 500000..1200000 step 6250, async */
#define D_DDR  2 /* descending list of 3, async, impl modes 0x8 0x9, ext name */
#define D_VBB  3 /* negative list of 10, sync, off, ext name */
#define D_PUMP 4 /* negative segment, async, impl mode 0xF, ext name */
#define D_VIO  5 /* one level */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static struct scmi_sim_voltage_domain model(struct scmi_handle *h, uint32_t id)
{
	struct scmi_sim_voltage_domain d;

	cr_assert_eq(test_voltage_domain(h, id, &d), 0);
	return d;
}

/* Domain @id as the platform describes it (test_model(): any transport). */
static struct scmi_sim_voltage_domain model_desc(struct scmi_handle *h, uint32_t id)
{
	struct scmi_sim_voltage_domain d;

	cr_assert_eq(scmi_sim_voltage_domain_get(test_model(h), id, &d), 0);
	return d;
}

static struct scmi_sim_stats sim_stats(struct scmi_handle *h)
{
	struct scmi_sim_stats st;

	scmi_sim_stats_get(test_sim(h), &st);
	return st;
}

static uint32_t my_agent_id(struct scmi_handle *h)
{
	struct scmi_sim_base_info bi;

	cr_assert_eq(scmi_sim_base_info_get(test_model(h), &bi), 0);
	return bi.agent_id;
}

/* Everything discovered equals the model, with the layouts of @version. */
static void check_discovery(struct scmi_handle *h, uint32_t version)
{
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	bool v2 = version >= SCMI_PROTO_VERSION(2, 0);
	int n;

	cr_assert_not_null(ops);
	n = ops->count_get(h);
	cr_assert_eq(n, scmi_sim_voltage_num_domains(test_model(h)));
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		const struct scmi_voltage_info *info;
		struct scmi_sim_voltage_domain d = model_desc(h, i);
		bool ext = d.extended_name && v2;
		int32_t lo = d.levels[0], hi = d.levels[0];

		cr_assert_eq(ops->info_get(h, i, &info), 0);
		cr_assert_eq(info->id, i);
		cr_assert(info->usable, "domain %u", i);
		cr_assert_str_eq(info->name, ext ? d.name : d.short_name, "domain %u", i);
		cr_assert_eq(info->extended_name, ext, "domain %u", i);
		cr_assert_eq(info->async_level_set, d.async && v2, "domain %u", i);
		cr_assert_eq(info->segmented, d.segmented, "domain %u", i);
		cr_assert_eq(info->num_levels, d.num_levels, "domain %u", i);
		for (unsigned int l = 0; l < d.num_levels; l++)
			cr_assert_eq(info->levels_uv[l], d.levels[l], "domain %u level %u", i, l);
		if (d.segmented) {
			hi = d.levels[1];
		} else {
			for (unsigned int l = 0; l < d.num_levels; l++) {
				lo = d.levels[l] < lo ? d.levels[l] : lo;
				hi = d.levels[l] > hi ? d.levels[l] : hi;
			}
		}
		cr_assert_eq(info->min_uv, lo, "domain %u", i);
		cr_assert_eq(info->max_uv, hi, "domain %u", i);
		cr_assert_eq(info->negative_volts_allowed, lo < 0, "domain %u", i);
	}
}

/* Requests the platform received so far. */
static uint64_t requests(struct scmi_handle *h)
{
	return test_requests(h);
}

Test(voltage, discovery_newest)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	const struct scmi_voltage_info *info;

	check_discovery(h, SCMI_PROTO_VERSION(2, 1));
	cr_assert_eq(h->voltage_ops->info_get(h, D_PUMP, &info), 0);
	cr_assert(info->segmented);
	cr_assert(info->negative_volts_allowed);
	cr_assert_str_eq(info->name, "vneg_charge_pump_segment");
	cr_assert_eq(h->voltage_ops->info_get(h, D_CPU, &info), 0);
	cr_assert_eq(info->num_levels, 40, "more than one 128-byte reply");
	scmi_close(h);
}

Test(voltage, discovery_each_version)
{
	static const struct {
		const char *uri;
		uint32_t version;
	} cases[] = {
		{"loopback://?versions=voltage:1.0", SCMI_PROTO_VERSION(1, 0)},
		{"loopback://?versions=voltage:2.0", SCMI_PROTO_VERSION(2, 0)},
		{"loopback://?versions=voltage:2.1&max_msg_size=68", SCMI_PROTO_VERSION(2, 1)},
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct scmi_handle *h = test_open(cases[c].uri, NULL);

		check_discovery(h, cases[c].version);
		scmi_close(h);
	}
}

Test(voltage, absent_from_scmi2_profile)
{
	struct scmi_handle *h = test_open("loopback://?profile=scmi-2.0", NULL);

	cr_assert_null(h->voltage_ops);
	for (unsigned int i = 0; i < h->version->num_protocols; i++)
		cr_assert_neq(h->version->protocols[i].id, VOLT);
	scmi_close(h);
}

Test(voltage, negotiates_down_from_newer_platform)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open("loopback://?versions=voltage:2.9", &cfg);
	check_discovery(h, SCMI_PROTO_VERSION(2, 1));
	cr_assert(test_log_contains(&lg, "voltage: negotiated version 0x20001"), "%s", lg.text);
	cr_assert_eq(h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 800000), 0);
	scmi_close(h);
}

Test(voltage, multipart_walks)
{
	struct scmi_handle *h = test_open("loopback://?max_list_items=3", NULL);
	uint64_t before = requests(h);

	/* 40 + 3 + 10 + 1 levels by threes, segments whole: 14 + 1 + 1 + 4 + 1 + 1
	 * DESCRIBE_LEVELS, plus attributes, names and the protocol's own. */
	check_discovery(h, SCMI_PROTO_VERSION(2, 1));
	cr_assert_geq(requests(h) - before, 22);
	scmi_close(h);
}

Test(voltage, long_table_and_paging_by_size)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);
	int32_t levels[SCMI_SIM_VOLTAGE_MAX_LEVELS];
	const struct scmi_voltage_info *info;
	uint64_t before;

	/* 256 levels, from -1.28 V up: 9 replies of at most 31. */
	for (int i = 0; i < SCMI_SIM_VOLTAGE_MAX_LEVELS; i++)
		levels[i] = -1280000 + 10000 * i;
	cr_assert_eq(
		scmi_sim_voltage_levels_set(sim, D_VIO, false, levels, SCMI_SIM_VOLTAGE_MAX_LEVELS),
		0);
	before = requests(h);
	check_discovery(h, SCMI_PROTO_VERSION(2, 1));
	cr_assert_geq(requests(h) - before, 9 + 2 + 1 + 1 + 1 + 1);
	cr_assert_eq(h->voltage_ops->info_get(h, D_VIO, &info), 0);
	cr_assert_eq(info->num_levels, 256);
	cr_assert_eq(info->min_uv, -1280000);
	cr_assert_eq(info->max_uv, 1270000);
	cr_assert_eq(h->voltage_ops->level_set(h, D_VIO, SCMI_VOLTAGE_LEVEL_SET_SYNC, -10000), 0);
	cr_assert_eq(model(h, D_VIO).level_uv, -10000);
	scmi_close(h);
}

Test(voltage, discovery_cached)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_voltage_info *a, *b;
	uint64_t before;

	cr_assert_eq(h->voltage_ops->info_get(h, D_CPU, &a), 0);
	before = requests(h);
	for (int i = 0; i < 10; i++) {
		cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
		cr_assert_eq(h->voltage_ops->info_get(h, D_CPU, &b), 0);
	}
	cr_assert_eq(a, b);
	cr_assert_eq(requests(h), before, "discovery is not repeated");
	scmi_close(h);
}

Test(voltage, level_set_get_sync)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	int32_t uv;

	cr_assert_eq(ops->level_get(h, D_CPU, &uv), 0);
	cr_assert_eq(uv, model(h, D_CPU).level_uv);
	cr_assert_eq(ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1087500), 0);
	cr_assert_eq(model(h, D_CPU).level_uv, 1087500);
	cr_assert_eq(model(h, D_CPU).last_agent, my_agent_id(h));
	cr_assert_eq(ops->level_get(h, D_CPU, &uv), 0);
	cr_assert_eq(uv, 1087500);
	/* Negative levels, list and segment. */
	cr_assert_eq(ops->level_set(h, D_VBB, SCMI_VOLTAGE_LEVEL_SET_SYNC, -1200000), 0);
	cr_assert_eq(ops->level_get(h, D_VBB, &uv), 0);
	cr_assert_eq(uv, -1200000);
	cr_assert_eq(ops->level_set(h, D_PUMP, SCMI_VOLTAGE_LEVEL_SET_SYNC, -3300000), 0);
	cr_assert_eq(ops->level_set(h, D_PUMP, SCMI_VOLTAGE_LEVEL_SET_SYNC, -1800000), 0);
	cr_assert_eq(model(h, D_PUMP).level_uv, -1800000);
	cr_assert_eq(model(h, D_PUMP).async_level_sets, 0);
	/* Segment bounds and steps. */
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 500000), 0);
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1200000), 0);
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 506250), 0);
	cr_assert_eq(model(h, D_GPU).level_sets, 3);
	/* The one-level domain. */
	cr_assert_eq(ops->level_set(h, D_VIO, SCMI_VOLTAGE_LEVEL_SET_AUTO, 1800000), 0);
	cr_assert_eq(sim_stats(h).delayed_responses, 0);
	scmi_close(h);
}

Test(voltage, level_set_async)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	struct scmi_stats st;
	int32_t uv;

	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 1000000), 0);
	cr_assert_eq(model(h, D_GPU).level_uv, 1000000);
	cr_assert_eq(model(h, D_GPU).async_level_sets, 1);
	cr_assert_eq(ops->level_get(h, D_GPU, &uv), 0);
	cr_assert_eq(uv, 1000000);
	/* AUTO: async where advertised (negative levels too), sync elsewhere. */
	cr_assert_eq(ops->level_set(h, D_PUMP, SCMI_VOLTAGE_LEVEL_SET_AUTO, -2000000), 0);
	cr_assert_eq(model(h, D_PUMP).async_level_sets, 1);
	cr_assert_eq(model(h, D_PUMP).level_uv, -2000000);
	cr_assert_eq(ops->level_set(h, D_DDR, SCMI_VOLTAGE_LEVEL_SET_AUTO, 1100000), 0);
	cr_assert_eq(model(h, D_DDR).async_level_sets, 1);
	cr_assert_eq(ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_AUTO, 600000), 0);
	cr_assert_eq(model(h, D_CPU).async_level_sets, 0);
	cr_assert_eq(model(h, D_CPU).level_sets, 1);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.delayed_responses, 3);
	scmi_close(h);
}

Test(voltage, no_async_in_v1)
{
	struct scmi_handle *h = test_open("loopback://?versions=voltage:1.0", NULL);
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	uint64_t before;

	cr_assert_eq(ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
	before = requests(h);
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 1000000), -EOPNOTSUPP);
	cr_assert_eq(requests(h), before);
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_AUTO, 1000000), 0);
	cr_assert_eq(model(h, D_GPU).level_uv, 1000000);
	cr_assert_eq(model(h, D_GPU).async_level_sets, 0);
	scmi_close(h);
}

Test(voltage, async_delayed_response_checked)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);
	static const enum scmi_sim_voltage_misbehaviour bad[] = {
		SCMI_SIM_VOLTAGE_DRESP_WRONG_DOMAIN,
		SCMI_SIM_VOLTAGE_DRESP_WRONG_LEVEL,
		SCMI_SIM_VOLTAGE_DRESP_SHORT,
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(scmi_sim_voltage_misbehave(sim, bad[i]), 0);
		cr_assert_eq(
			h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 900000),
			-EPROTO, "misbehaviour %d", bad[i]);
	}
	cr_assert_eq(scmi_sim_voltage_misbehave(sim, SCMI_SIM_VOLTAGE_BEHAVE), 0);
	cr_assert_eq(h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 900000), 0);
	cr_assert_eq(scmi_sim_voltage_misbehave(sim, 99), -EINVAL);
	scmi_close(h);
}

Test(voltage, async_timeout_and_reordering)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_handle *h;
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_LATE_DRESP,
		.count = 1,
		.protocol = VOLT,
		.message = 0x7,
		.param = 500000,
	};

	cfg.dresp_timeout_ms = 50;
	h = test_open(NULL, &cfg);
	cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 900000),
		     -ETIMEDOUT);
	f.kind = SCMI_SIM_FAULT_DRESP_FIRST;
	f.param = 0;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 906250), 0);
	cr_assert_eq(model(h, D_GPU).level_uv, 906250);
	scmi_close(h);
}

Test(voltage, local_validation_sends_nothing)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	const struct scmi_voltage_info *info;
	uint32_t n, cfg;
	int32_t uv;
	uint64_t before;

	n = (uint32_t)ops->count_get(h);
	before = requests(h);
	/* Unknown domains, NULL outputs, bad modes. */
	cr_assert_eq(ops->info_get(h, n, &info), -EINVAL);
	cr_assert_eq(ops->info_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->level_get(h, n, &uv), -EINVAL);
	cr_assert_eq(ops->level_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->config_get(h, n, &cfg), -EINVAL);
	cr_assert_eq(ops->config_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->config_set(h, n, SCMI_VOLTAGE_CONFIG_ON), -EINVAL);
	cr_assert_eq(ops->level_set(h, n, SCMI_VOLTAGE_LEVEL_SET_SYNC, 800000), -EINVAL);
	cr_assert_eq(ops->level_set(h, D_CPU, (enum scmi_voltage_level_mode)5, 800000), -EINVAL);
	/* Levels: outside the bounds -ERANGE, inside but absent -EINVAL. */
	cr_assert_eq(ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 587500), -ERANGE);
	cr_assert_eq(ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1100000), -ERANGE);
	cr_assert_eq(ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 800001), -EINVAL);
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1206250), -ERANGE);
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 499999), -ERANGE);
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 503125), -EINVAL);
	cr_assert_eq(ops->level_set(h, D_PUMP, SCMI_VOLTAGE_LEVEL_SET_SYNC, -3325000), -ERANGE);
	cr_assert_eq(ops->level_set(h, D_PUMP, SCMI_VOLTAGE_LEVEL_SET_SYNC, -3290000), -EINVAL);
	cr_assert_eq(ops->level_set(h, D_VBB, SCMI_VOLTAGE_LEVEL_SET_SYNC, 0), -ERANGE);
	cr_assert_eq(ops->level_set(h, D_VIO, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1800001), -ERANGE);
	cr_assert_eq(ops->level_set(h, D_DDR, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1300000), -EINVAL);
	cr_assert_eq(ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, INT32_MIN), -ERANGE);
	/* Async on a domain without it. */
	cr_assert_eq(ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 800000), -EOPNOTSUPP);
	/* Reserved configurations. */
	for (uint32_t c = 1; c < 7; c++)
		cr_assert_eq(ops->config_set(h, D_CPU, c), -EINVAL, "config %u", c);
	cr_assert_eq(ops->config_set(h, D_CPU, 0x17), -EINVAL);
	cr_assert_eq(ops->config_set(h, D_CPU, 0x80000007), -EINVAL);
	cr_assert_eq(requests(h), before, "nothing was sent");
	cr_assert_eq(model(h, D_CPU).level_sets + model(h, D_CPU).config_sets, 0);
	scmi_close(h);
}

Test(voltage, config_modes)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	uint32_t cfg;

	cr_assert_eq(ops->config_get(h, D_VBB, &cfg), 0);
	cr_assert_eq(cfg, SCMI_VOLTAGE_CONFIG_OFF);
	cr_assert_eq(ops->config_set(h, D_VBB, SCMI_VOLTAGE_CONFIG_ON), 0);
	cr_assert_eq(model(h, D_VBB).config, SCMI_VOLTAGE_CONFIG_ON);
	cr_assert_eq(ops->config_get(h, D_VBB, &cfg), 0);
	cr_assert_eq(cfg, SCMI_VOLTAGE_CONFIG_ON);
	cr_assert_eq(ops->config_set(h, D_CPU, SCMI_VOLTAGE_CONFIG_OFF), 0);
	cr_assert_eq(model(h, D_CPU).config, 0);
	/* Implementation-defined modes the domain has, and one it lacks. */
	cr_assert_eq(ops->config_set(h, D_CPU, SCMI_VOLTAGE_CONFIG_IMPL(0)), 0);
	cr_assert_eq(ops->config_get(h, D_CPU, &cfg), 0);
	cr_assert_eq(cfg, 0x8);
	cr_assert_eq(ops->config_set(h, D_DDR, SCMI_VOLTAGE_CONFIG_IMPL(1)), 0);
	cr_assert_eq(ops->config_set(h, D_PUMP, 0xf), 0);
	cr_assert_eq(model(h, D_PUMP).config, 0xf);
	/* A mode the domain lacks: INVALID_PARAMETERS, as SCP. */
	cr_assert_eq(ops->config_set(h, D_CPU, SCMI_VOLTAGE_CONFIG_IMPL(1)), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(model(h, D_CPU).config, 0x8);
	cr_assert_eq(model(h, D_CPU).config_sets, 2);
	scmi_close(h);
}

Test(voltage, platform_changes_seen)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);
	uint32_t cfg;
	int32_t uv;

	cr_assert_eq(scmi_sim_voltage_level_set(sim, D_GPU, 1193750), 0);
	cr_assert_eq(h->voltage_ops->level_get(h, D_GPU, &uv), 0);
	cr_assert_eq(uv, 1193750);
	cr_assert_eq(scmi_sim_voltage_config_set(sim, D_GPU, SCMI_VOLTAGE_CONFIG_OFF), 0);
	cr_assert_eq(h->voltage_ops->config_get(h, D_GPU, &cfg), 0);
	cr_assert_eq(cfg, SCMI_VOLTAGE_CONFIG_OFF);
	cr_assert_eq(scmi_sim_voltage_level_set(sim, 99, 0), -ENOENT);
	scmi_close(h);
}

Test(voltage, agent_configuration_reset_restores_defaults)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim_voltage_domain before = model(h, D_GPU);

	cr_assert_eq(h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1200000), 0);
	cr_assert_eq(h->voltage_ops->config_set(h, D_GPU, SCMI_VOLTAGE_CONFIG_OFF), 0);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, my_agent_id(h), false), 0);
	cr_assert_eq(model(h, D_GPU).level_uv, before.level_uv);
	cr_assert_eq(model(h, D_GPU).config, before.config);
	scmi_close(h);
}

Test(voltage, platform_errors)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);
	uint8_t tx[12] = {0}, rx[128];
	uint32_t cfg;
	int32_t uv;

	cr_assert_eq(scmi_sim_voltage_denied_set(sim, D_GPU, true), 0);
	cr_assert_eq(h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 800000),
		     -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_eq(h->voltage_ops->config_set(h, D_GPU, SCMI_VOLTAGE_CONFIG_ON), -EACCES);
	cr_assert_eq(h->voltage_ops->level_get(h, D_GPU, &uv), 0, "reading stays allowed");
	cr_assert_eq(h->voltage_ops->config_get(h, D_GPU, &cfg), 0);
	cr_assert_eq(model(h, D_GPU).level_sets, 0);
	cr_assert_eq(scmi_sim_voltage_denied_set(sim, D_GPU, false), 0);

	/* What the agent never sends, through the raw interface. */
	tx[0] = 9;
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x3, tx, 4, rx, sizeof(rx), NULL), -ENOENT);
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x8, tx, 4, rx, sizeof(rx), NULL), -ENOENT);
	tx[0] = D_CPU;
	tx[4] = 40; /* level index past the end */
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x4, tx, 8, rx, sizeof(rx), NULL), -ERANGE);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_OUT_OF_RANGE);
	tx[0] = D_GPU;
	tx[4] = 1; /* a segment: SCP answers the triplet whatever the index */
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x4, tx, 8, rx, sizeof(rx), NULL), 0);
	tx[4] = 0x2; /* LEVEL_SET reserved flag */
	put32(tx + 8, 800000);
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x7, tx, 12, rx, sizeof(rx), NULL), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	tx[4] = 0;
	put32(tx + 8, 1300000); /* above the segment: INVALID_PARAMETERS, as SCP */
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x7, tx, 12, rx, sizeof(rx), NULL), -EINVAL);
	put32(tx + 8, 800001); /* off the step */
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x7, tx, 12, rx, sizeof(rx), NULL), -EINVAL);
	tx[0] = D_CPU;
	tx[4] = 1; /* async on a sync-only domain */
	put32(tx + 8, 800000);
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x7, tx, 12, rx, sizeof(rx), NULL), -EOPNOTSUPP);
	tx[4] = 0x3; /* reserved architectural mode */
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x5, tx, 8, rx, sizeof(rx), NULL), -EINVAL);
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x5, tx, 12, rx, sizeof(rx), NULL), -EPROTO);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_PROTOCOL_ERROR);
	scmi_close(h);

	/* 1.0: no async flag, no NAME_GET. */
	h = test_open("loopback://?versions=voltage:1.0", NULL);
	memset(tx, 0, sizeof(tx));
	tx[0] = D_GPU;
	tx[4] = 1;
	put32(tx + 8, 800000);
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x7, tx, 12, rx, sizeof(rx), NULL), -EINVAL);
	cr_assert_eq(scmi_raw_command(h, VOLT, 0x9, tx, 4, rx, sizeof(rx), NULL), -ENOENT);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_FOUND);
	scmi_close(h);
}

/*
 * A malformed level description disables that one domain: its info says
 * usable = false, its ops return -EPROTO with nothing sent, a warning says
 * why; every other domain works.  Discovery is not repeated: the domain
 * stays disabled for the life of the handle.
 */
struct bad_case {
	struct test_log lg;
	struct scmi_handle *h;
};

static void bad_open(struct bad_case *bc)
{
	struct scmi_config cfg;

	test_log_init(&bc->lg);
	cfg = test_config(&bc->lg);
	bc->h = test_open(NULL, &cfg);
}

/* Domain @dom of @h is disabled: info_get works, every other op is -EPROTO
 * and sends nothing. */
static void expect_disabled(struct scmi_handle *h, uint32_t dom)
{
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	const struct scmi_voltage_info *info;
	uint64_t before = requests(h);
	uint32_t cfg;
	int32_t uv;

	cr_assert_eq(ops->info_get(h, dom, &info), 0, "domain %u", dom);
	cr_assert_not(info->usable, "domain %u", dom);
	cr_assert_eq(info->num_levels, 0);
	cr_assert_null(info->levels_uv);
	cr_assert_eq(ops->level_set(h, dom, SCMI_VOLTAGE_LEVEL_SET_SYNC, 0), -EPROTO);
	cr_assert_eq(ops->level_get(h, dom, &uv), -EPROTO);
	cr_assert_eq(ops->config_set(h, dom, SCMI_VOLTAGE_CONFIG_ON), -EPROTO);
	cr_assert_eq(ops->config_get(h, dom, &cfg), -EPROTO);
	cr_assert_eq(requests(h), before, "nothing sent to a disabled domain");
}

/* Only @dom (of the default model) is disabled, for the reason @why. */
static void expect_only_disabled(struct bad_case *bc, uint32_t dom, const char *why)
{
	struct scmi_handle *h = bc->h;
	char line[64];

	cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS, "%s", why);
	cr_assert(test_log_contains(&bc->lg, why), "want '%s' in:\n%s", why, bc->lg.text);
	snprintf(line, sizeof(line), "voltage: domain %u disabled", dom);
	cr_assert(test_log_contains(&bc->lg, line), "%s", bc->lg.text);
	expect_disabled(h, dom);
	for (uint32_t d = 0; d < SCMI_SIM_VOLTAGE_NUM_DOMAINS; d++) {
		const struct scmi_voltage_info *info;
		int32_t uv;

		if (d == dom)
			continue;
		cr_assert_eq(h->voltage_ops->info_get(h, d, &info), 0);
		cr_assert(info->usable, "domain %u", d);
		cr_assert_eq(info->num_levels, model(h, d).num_levels, "domain %u", d);
		cr_assert_eq(h->voltage_ops->level_get(h, d, &uv), 0, "domain %u", d);
	}
}

Test(voltage, malformed_segments)
{
	static const struct {
		int32_t seg[3];
		const char *why;
	} bad[] = {
		{{1000000, 900000, 10000}, "segment low > high"},
		{{900000, 1000000, 0}, "segment step <= 0"},
		{{900000, 1000000, -5000}, "segment step <= 0"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bad_case bc;

		bad_open(&bc);
		cr_assert_eq(
			scmi_sim_voltage_levels_set(test_sim(bc.h), D_GPU, true, bad[i].seg, 3), 0);
		expect_only_disabled(&bc, D_GPU, bad[i].why);
		scmi_close(bc.h);
	}
}

/* A segment of one level is fine. */
Test(voltage, one_level_segment)
{
	static const int32_t good[3] = {900000, 900000, 1};
	struct scmi_handle *h = test_open(NULL, NULL);

	cr_assert_eq(scmi_sim_voltage_levels_set(test_sim(h), D_GPU, true, good, 3), 0);
	check_discovery(h, SCMI_PROTO_VERSION(2, 1));
	cr_assert_eq(h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 900000), 0);
	cr_assert_eq(h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 900001),
		     -ERANGE);
	scmi_close(h);
}

Test(voltage, malformed_walks)
{
	struct scmi_handle *h;
	struct bad_case bc;

	/* Segments split over two replies: both segment domains are off. */
	bad_open(&bc);
	h = bc.h;
	cr_assert_eq(scmi_sim_voltage_misbehave(test_sim(h), SCMI_SIM_VOLTAGE_SEGMENT_BAD_COUNT),
		     0);
	cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
	cr_assert(test_log_contains(&bc.lg, "segment is not one triplet"), "%s", bc.lg.text);
	expect_disabled(h, D_GPU);
	expect_disabled(h, D_PUMP);
	cr_assert_eq(h->voltage_ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 800000), 0);
	scmi_close(h);

	/* A list whose second reply claims to be a segment: that domain. */
	bad_open(&bc);
	cr_assert_eq(
		scmi_sim_voltage_misbehave(test_sim(bc.h), SCMI_SIM_VOLTAGE_LIST_FORMAT_CHANGE), 0);
	expect_only_disabled(&bc, D_CPU, "format changed");
	scmi_close(bc.h);

	/* Replies after the first announce one level too many, then the
	 * platform says the index past the last is OUT_OF_RANGE: the counts
	 * were wrong, the levels are right, and are used. */
	bad_open(&bc);
	h = bc.h;
	cr_assert_eq(scmi_sim_voltage_misbehave(test_sim(h), SCMI_SIM_VOLTAGE_LIST_COUNT_GROWS), 0);
	check_discovery(h, SCMI_PROTO_VERSION(2, 1));
	cr_assert(test_log_contains(&bc.lg, "inconsistent counts: 40 entries announced, 40 listed "
					    "(ended by OUT_OF_RANGE)"),
		  "%s", bc.lg.text);
	cr_assert_eq(h->voltage_ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1087500), 0);
	scmi_close(h);
}

Test(voltage, truncated_level_reply)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.count = 1,
		.protocol = VOLT,
		.message = 0x4,
		.param = -4, /* one level fewer than announced */
	};
	struct bad_case bc;

	bad_open(&bc);
	cr_assert_eq(scmi_sim_fault_add(test_sim(bc.h), &f), 0);
	expect_only_disabled(&bc, D_CPU, "fewer levels than announced");
	scmi_close(bc.h);
	/* Two data bytes: too short for the count word (the first reply
	 * carries 4 + 31 * 4 bytes). */
	bad_open(&bc);
	f.param = -126;
	cr_assert_eq(scmi_sim_fault_add(test_sim(bc.h), &f), 0);
	expect_only_disabled(&bc, D_CPU, "no count word");
	scmi_close(bc.h);
}

/* No answer at all is no description: the bring-up fails and is retried
 * on the next call (nothing is disabled). */
Test(voltage, discovery_timeout_retried)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = VOLT,
		.message = 0x4,
	};
	struct scmi_handle *h;

	cfg.timeout_ms = 100;
	h = test_open(NULL, &cfg);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(h->voltage_ops->count_get(h), -ETIMEDOUT);
	check_discovery(h, SCMI_PROTO_VERSION(2, 1));
	scmi_close(h);
}

/* ---- an OP-TEE-like platform ---------------------------------------------------- */

/*
 * OP-TEE's VOLTAGE_DESCRIBE_LEVELS computes "remaining" as the number of
 * levels minus the start index, forgetting the ones it returns, so a walk
 * always asks for one page too many; what comes back for an index at the
 * end is INVALID_PARAMETERS (OP-TEE) or an empty page (rogue_end).  Five
 * levels per page.
 *   0 healthy: 7 levels, counted right
 *   1 optee:   12 levels, miscounted
 *   2 optee1:  3 levels (one page), miscounted
 *   3 segment: {700000, 900000, 50000}
 *   4 victim:  what rogue_victim says (a good list of 2 by default)
 */
#define R_HEALTHY 0
#define R_OPTEE	  1
#define R_OPTEE1  2
#define R_SEGMENT 3
#define R_VICTIM  4
#define R_NUM	  5
#define R_PAGE	  5

enum rogue_end {
	END_INVALID_PARAMETERS, /* OP-TEE */
	END_EMPTY,		/* returned 0, remaining 0 */
	END_OUT_OF_RANGE,
	END_NOT_FOUND,
};

enum rogue_victim {
	V_OK,
	V_ATTR_REFUSED,	  /* DOMAIN_ATTRIBUTES: NOT_FOUND */
	V_ATTR_SHORT,	  /* DOMAIN_ATTRIBUTES: 8 bytes */
	V_FIRST_REFUSED,  /* DESCRIBE_LEVELS at 0: DENIED */
	V_FIRST_PAST_END, /* DESCRIBE_LEVELS at 0: OUT_OF_RANGE */
	V_PAGE_ERROR,	  /* the second page: GENERIC_ERROR */
	V_TOO_MANY,	  /* 2 + 1 announced, the second page returns 2 */
	V_NO_LEVELS,	  /* 0 returned, 0 remaining */
	V_EMPTY_FIRST,	  /* 0 returned, 5 remaining */
	V_SEGMENT_LONG,	  /* a segment of 4 entries */
};

static const int32_t rogue_levels[R_NUM][12] = {
	[R_HEALTHY] = {600000, 650000, 700000, 750000, 800000, 850000, 900000},
	[R_OPTEE] = {1000000, 1050000, 1100000, 1150000, 1200000, 1250000, 1300000, 1350000,
		     1400000, 1450000, 1500000, 1550000},
	[R_OPTEE1] = {1800000, 2500000, 3300000},
	[R_SEGMENT] = {700000, 900000, 50000},
	[R_VICTIM] = {1100000, 1200000, 1300000},
};
static const uint32_t rogue_count[R_NUM] = {7, 12, 3, 3, 2};

static _Atomic int rogue_end = END_INVALID_PARAMETERS;
static _Atomic int rogue_victim = V_OK;
static _Atomic int32_t rogue_level_set_uv;

static void rogue_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, R_NUM);
}

static void rogue_domain_attributes(struct sim_ctx *ctx)
{
	static const char *const names[R_NUM] = {"healthy", "optee", "optee1", "segment", "victim"};
	uint32_t dom = sim_req_u32(ctx, 0);

	if (dom >= R_NUM) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (dom == R_VICTIM && rogue_victim == V_ATTR_REFUSED) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return;
	}
	sim_reply_u32(ctx, 0);
	if (dom == R_VICTIM && rogue_victim == V_ATTR_SHORT)
		return;
	sim_reply_name(ctx, names[dom]);
}

static void rogue_put_levels(struct sim_ctx *ctx, uint32_t flags, const int32_t *levels, uint32_t n)
{
	sim_reply_u32(ctx, flags);
	for (uint32_t i = 0; i < n; i++)
		sim_reply_u32(ctx, (uint32_t)levels[i]);
}

/* The end of an OP-TEE list, as rogue_end says. */
static void rogue_past_end(struct sim_ctx *ctx)
{
	switch (atomic_load(&rogue_end)) {
	case END_EMPTY:
		sim_reply_u32(ctx, 0);
		break;
	case END_OUT_OF_RANGE:
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		break;
	case END_NOT_FOUND:
		sim_reply_error(ctx, SIM_NOT_FOUND);
		break;
	default:
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
	}
}

static void rogue_victim_levels(struct sim_ctx *ctx, uint32_t index)
{
	const int32_t *l = rogue_levels[R_VICTIM];

	switch (atomic_load(&rogue_victim)) {
	case V_FIRST_REFUSED:
		sim_reply_error(ctx, SIM_DENIED);
		return;
	case V_FIRST_PAST_END:
		sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		return;
	case V_PAGE_ERROR:
		if (index)
			sim_reply_error(ctx, SIM_GENERIC_ERROR);
		else
			rogue_put_levels(ctx, 1 | 1u << 16, l, 1);
		return;
	case V_TOO_MANY:
		rogue_put_levels(ctx, index ? 2 : 2 | 1u << 16, l + index, 2);
		return;
	case V_NO_LEVELS:
		sim_reply_u32(ctx, 0);
		return;
	case V_EMPTY_FIRST:
		sim_reply_u32(ctx, 5u << 16);
		return;
	case V_SEGMENT_LONG:
		rogue_put_levels(ctx, 4 | 1u << 12, rogue_levels[R_SEGMENT], 3);
		sim_reply_u32(ctx, 0);
		return;
	default:
		if (index >= 2)
			sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		else
			rogue_put_levels(ctx, 2 - index, l + index, 2 - index);
	}
}

static void rogue_describe_levels(struct sim_ctx *ctx)
{
	uint32_t dom = sim_req_u32(ctx, 0), index = sim_req_u32(ctx, 4), total, n;

	if (dom >= R_NUM) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	if (dom == R_VICTIM) {
		rogue_victim_levels(ctx, index);
		return;
	}
	if (dom == R_SEGMENT) {
		if (index)
			sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		else
			rogue_put_levels(ctx, 3 | 1u << 12, rogue_levels[dom], 3);
		return;
	}
	total = rogue_count[dom];
	if (index >= total) {
		if (dom == R_HEALTHY)
			sim_reply_error(ctx, SIM_OUT_OF_RANGE);
		else
			rogue_past_end(ctx);
		return;
	}
	n = total - index < R_PAGE ? total - index : R_PAGE;
	/* OP-TEE's bug: remaining = total - index, the n returned counted. */
	rogue_put_levels(ctx, n | (total - index - (dom == R_HEALTHY ? n : 0)) << 16,
			 rogue_levels[dom] + index, n);
}

static void rogue_level_set(struct sim_ctx *ctx)
{
	rogue_level_set_uv = (int32_t)sim_req_u32(ctx, 8);
}

static void rogue_level_get(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, (uint32_t)rogue_level_set_uv);
}

static void rogue_config_get(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, 0x7);
}

static void rogue_ok(struct sim_ctx *ctx)
{
	(void)ctx;
}

static const struct sim_cmd rogue_cmds[] = {
	{0x3, 0, 4, rogue_domain_attributes},
	{0x4, 0, 8, rogue_describe_levels},
	{0x5, 0, 8, rogue_ok},
	{0x6, 0, 4, rogue_config_get},
	{0x7, 0, 12, rogue_level_set},
	{0x8, 0, 4, rogue_level_get},
};

static const uint32_t rogue_versions[] = {SIM_VERSION(2, 0), 0};

static const struct sim_proto_ops rogue_ops = {
	.id = VOLT,
	.name = "optee-voltage",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = SIM_ARRAY_SIZE(rogue_cmds),
	.attributes = rogue_attributes,
};

static struct scmi_handle *rogue_open(struct test_log *lg, enum rogue_end end,
				      enum rogue_victim victim)
{
	rogue_end = end;
	rogue_victim = victim;
	return test_open_model(NULL, lg, &rogue_ops, SIM_VERSION(2, 0));
}

/* Domain @dom of the rogue platform has exactly its levels. */
static void expect_rogue_domain(struct scmi_handle *h, uint32_t dom)
{
	const struct scmi_voltage_info *info;

	cr_assert_eq(h->voltage_ops->info_get(h, dom, &info), 0);
	cr_assert(info->usable, "domain %u", dom);
	cr_assert_eq(info->num_levels, rogue_count[dom], "domain %u", dom);
	cr_assert_eq(info->segmented, dom == R_SEGMENT);
	for (unsigned int l = 0; l < info->num_levels; l++)
		cr_assert_eq(info->levels_uv[l], rogue_levels[dom][l], "domain %u level %u", dom,
			     l);
}

/* Both ways an OP-TEE-like platform ends a miscounted list: every domain
 * is discovered whole, the miscounted ones with a warning, and all work. */
Test(voltage, optee_miscounted_remaining)
{
	static const enum rogue_end ends[] = {END_INVALID_PARAMETERS, END_EMPTY, END_OUT_OF_RANGE,
					      END_NOT_FOUND};

	for (size_t e = 0; e < SIM_ARRAY_SIZE(ends); e++) {
		static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
		struct scmi_handle *h = rogue_open(&lg, ends[e], V_OK);
		uint64_t before;

		cr_assert_eq(h->voltage_ops->count_get(h), R_NUM, "end %d", ends[e]);
		for (uint32_t d = 0; d < R_NUM; d++) {
			if (d != R_VICTIM)
				expect_rogue_domain(h, d);
		}
		cr_assert(test_log_contains(&lg, "inconsistent counts: 17 entries announced, 12 "
						 "listed"),
			  "end %d: %s", ends[e], lg.text);
		cr_assert(test_log_contains(&lg, "6 entries announced, 3 listed"), "%s", lg.text);
		cr_assert_not(test_log_contains(&lg, "disabled"), "%s", lg.text);
		/* The last level of the long list can be set; one it lacks
		 * cannot. */
		cr_assert_eq(
			h->voltage_ops->level_set(h, R_OPTEE, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1550000),
			0);
		cr_assert_eq(rogue_level_set_uv, 1550000);
		cr_assert_eq(h->voltage_ops->level_set(h, R_OPTEE1, SCMI_VOLTAGE_LEVEL_SET_SYNC,
						       3300000),
			     0);
		before = requests(h);
		cr_assert_eq(
			h->voltage_ops->level_set(h, R_OPTEE, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1025000),
			-EINVAL);
		cr_assert_eq(requests(h), before);
		scmi_close(h);
	}
}

/* Every way one domain's description can be bad disables that domain only;
 * the miscounted OP-TEE lists around it still work. */
Test(voltage, one_bad_domain_disables_only_it)
{
	static const struct {
		enum rogue_victim victim;
		int err;
		const char *why; /* the detail, when there is one */
	} cases[] = {
		{V_ATTR_REFUSED, -ENOENT, NULL},
		{V_ATTR_SHORT, -EPROTO, "reply has 4 data bytes, expected at least 20"},
		{V_FIRST_REFUSED, -EACCES, NULL},
		{V_FIRST_PAST_END, -ERANGE, NULL},
		{V_PAGE_ERROR, -EIO, NULL},
		{V_TOO_MANY, -EPROTO, "2 entries at 2, only 3 announced"},
		{V_NO_LEVELS, -EPROTO, "no levels"},
		{V_EMPTY_FIRST, -EPROTO, "no levels"},
		{V_SEGMENT_LONG, -EPROTO, "segment is not one triplet"},
	};

	for (size_t c = 0; c < SIM_ARRAY_SIZE(cases); c++) {
		static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
		struct scmi_handle *h = rogue_open(&lg, END_INVALID_PARAMETERS, cases[c].victim);
		char line[128];

		cr_assert_eq(h->voltage_ops->count_get(h), R_NUM, "case %zu", c);
		snprintf(line, sizeof(line), "voltage: domain 4 disabled: %s",
			 scmi_strerror(cases[c].err));
		cr_assert(test_log_contains(&lg, line), "case %zu: want '%s' in\n%s", c, line,
			  lg.text);
		if (cases[c].why)
			cr_assert(test_log_contains(&lg, cases[c].why),
				  "case %zu: want '%s' in\n%s", c, cases[c].why, lg.text);
		expect_disabled(h, R_VICTIM);
		for (uint32_t d = 0; d < R_VICTIM; d++)
			expect_rogue_domain(h, d);
		cr_assert_eq(h->voltage_ops->level_set(h, R_SEGMENT, SCMI_VOLTAGE_LEVEL_SET_SYNC,
						       850000),
			     0);
		scmi_close(h);
	}
}

/* Boundaries: a domain id equal to the count is unknown (nothing sent),
 * the last one is not. */
Test(voltage, domain_id_boundary)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	uint32_t n = (uint32_t)ops->count_get(h), cfg;
	const struct scmi_voltage_info *info;
	uint64_t before = requests(h);
	int32_t uv;

	cr_assert_eq(ops->info_get(h, n, &info), -EINVAL);
	cr_assert_eq(ops->level_get(h, n, &uv), -EINVAL);
	cr_assert_eq(ops->level_set(h, n, SCMI_VOLTAGE_LEVEL_SET_SYNC, 0), -EINVAL);
	cr_assert_eq(ops->config_get(h, n, &cfg), -EINVAL);
	cr_assert_eq(ops->config_set(h, n, SCMI_VOLTAGE_CONFIG_ON), -EINVAL);
	cr_assert_eq(requests(h), before, "nothing sent");
	cr_assert_eq(ops->info_get(h, n - 1, &info), 0);
	cr_assert_eq(ops->level_get(h, n - 1, &uv), 0);
	scmi_close(h);
}

Test(voltage, no_notifications)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_event_stats es;

	cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
	cr_assert_eq(scmi_event_stats_get(h, VOLT, &es), -ENOENT);
	scmi_close(h);
}

/* Many threads at once on different domains: every set lands. */
struct storm {
	struct scmi_handle *h;
	uint32_t domain;
	int32_t a, b; /* two levels of the domain, alternated */
	int failures;
};

#define STORM_THREADS 4
#define STORM_SETS    50

static void *storm_thread(void *arg)
{
	struct storm *s = arg;
	int32_t uv;

	for (int i = 0; i < STORM_SETS; i++) {
		int32_t want = i % 2 ? s->b : s->a;

		if (s->h->voltage_ops->level_set(s->h, s->domain, SCMI_VOLTAGE_LEVEL_SET_AUTO,
						 want) ||
		    s->h->voltage_ops->level_get(s->h, s->domain, &uv) || uv != want)
			s->failures++;
	}
	return NULL;
}

Test(voltage, concurrent_level_sets)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct storm st[STORM_THREADS] = {
		{h, D_CPU, 600000, 1087500, 0},
		{h, D_GPU, 500000, 1200000, 0},
		{h, D_DDR, 1100000, 1350000, 0},
		{h, D_PUMP, -3300000, -1800000, 0},
	};
	pthread_t th[STORM_THREADS];

	for (int i = 0; i < STORM_THREADS; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, storm_thread, &st[i]), 0);
	for (int i = 0; i < STORM_THREADS; i++) {
		struct scmi_sim_voltage_domain d;

		pthread_join(th[i], NULL);
		cr_assert_eq(st[i].failures, 0, "thread %d", i);
		d = model(h, st[i].domain);
		cr_assert_eq(d.level_sets, STORM_SETS);
		cr_assert_eq(d.async_level_sets, d.async ? STORM_SETS : 0);
		cr_assert_eq(d.level_uv, st[i].b);
	}
	scmi_close(h);
}

/* ---- a platform whose short name fills its 16-byte field --------------------- */

static void full_name_attributes(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, 1);
}

static void full_name_domain_attributes(struct sim_ctx *ctx)
{
	uint8_t *p;

	sim_reply_u32(ctx, 0);
	p = sim_reply_put(ctx, 16);
	memcpy(p, "0123456789abcdef", 16); /* no NUL */
}

static void full_name_levels(struct sim_ctx *ctx)
{
	sim_reply_u32(ctx, 1);
	sim_reply_u32(ctx, 900000);
}

static const struct sim_cmd full_name_cmds[] = {
	{0x3, SIM_VERSION(1, 0), 4, full_name_domain_attributes},
	{0x4, SIM_VERSION(1, 0), 8, full_name_levels},
};

static const uint32_t full_name_versions[] = {SIM_VERSION(1, 0), 0};

static const struct sim_proto_ops full_name_ops = {
	.id = VOLT,
	.name = "voltage-full-name",
	.versions = full_name_versions,
	.cmds = full_name_cmds,
	.num_cmds = SIM_ARRAY_SIZE(full_name_cmds),
	.attributes = full_name_attributes,
};

/* §5: a 16-byte name field without NUL keeps at most 15 characters. */
Test(voltage, short_name_field_without_nul)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_voltage_info *info;

	test_model_swap(test_sim(h), &full_name_ops, SIM_VERSION(1, 0));
	cr_assert_eq(h->voltage_ops->info_get(h, 0, &info), 0);
	cr_assert_str_eq(info->name, "0123456789abcde", "%s", info->name);
	cr_assert_eq(info->num_levels, 1);
	scmi_close(h);
}

/* ---- non-blocking calls (SCMI_ASYNC) --------------------------------------- */

/* Everything an op can write. */
struct vout {
	const struct scmi_voltage_info *info;
	uint32_t config;
	int32_t level;
};

/* One op call, writing its outputs into @o. */
struct vcase {
	const char *what;
	int (*call)(struct scmi_handle *h, struct vout *o);
	/* Refused before anything is sent: SCMI_ASYNC() returns the errno
	 * and no callback runs. */
	bool refused;
	/* Before each of the two calls (e.g. a fault knob for one message). */
	void (*setup)(struct scmi_handle *h);
};

static int vc_count(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->count_get(h);
}

static int vc_info(struct scmi_handle *h, struct vout *o)
{
	return h->voltage_ops->info_get(h, D_GPU, &o->info);
}

static int vc_info_unknown(struct scmi_handle *h, struct vout *o)
{
	return h->voltage_ops->info_get(h, SCMI_SIM_VOLTAGE_NUM_DOMAINS, &o->info);
}

static int vc_config_get(struct scmi_handle *h, struct vout *o)
{
	return h->voltage_ops->config_get(h, D_VBB, &o->config);
}

static int vc_config_set_on(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->config_set(h, D_VBB, SCMI_VOLTAGE_CONFIG_ON);
}

static int vc_config_set_reserved(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->config_set(h, D_VBB, 0x3);
}

/* A mode the domain lacks: the platform's INVALID_PARAMETERS. */
static int vc_config_set_lacking(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->config_set(h, D_CPU, SCMI_VOLTAGE_CONFIG_IMPL(1));
}

static int vc_level_set_sync(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 1087500);
}

static int vc_level_get_cpu(struct scmi_handle *h, struct vout *o)
{
	return h->voltage_ops->level_get(h, D_CPU, &o->level);
}

static int vc_level_set_async(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 1000000);
}

static int vc_level_get_gpu(struct scmi_handle *h, struct vout *o)
{
	return h->voltage_ops->level_get(h, D_GPU, &o->level);
}

static int vc_level_set_auto(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->level_set(h, D_PUMP, SCMI_VOLTAGE_LEVEL_SET_AUTO, -2000000);
}

static int vc_level_get_pump(struct scmi_handle *h, struct vout *o)
{
	return h->voltage_ops->level_get(h, D_PUMP, &o->level);
}

static int vc_level_set_absent(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_SYNC, 800001);
}

static int vc_level_set_no_async(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->level_set(h, D_CPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC, 800000);
}

static int vc_level_get_null(struct scmi_handle *h, struct vout *o)
{
	(void)o;
	return h->voltage_ops->level_get(h, D_CPU, NULL);
}

/* The platform answers the next LEVEL_SET / CONFIG_GET with DENIED. */
static void deny_next(struct scmi_handle *h, int msg)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_STATUS,
		.count = 1,
		.protocol = VOLT,
		.message = msg,
		.param = SCMI_ERR_DENIED,
	};

	cr_assert_eq(test_fault_add(h, &f), 0);
}

static void deny_level_set(struct scmi_handle *h)
{
	deny_next(h, 0x7);
}

static void deny_config_get(struct scmi_handle *h)
{
	deny_next(h, 0x6);
}

static const struct vcase vcases[] = {
	{"count_get", vc_count},
	{"info_get", vc_info},
	{"info_get unknown", vc_info_unknown, true},
	{"config_get", vc_config_get},
	{"config_set", vc_config_set_on},
	{"config_get after set", vc_config_get},
	{"config_set reserved", vc_config_set_reserved, true},
	{"config_set platform refusal", vc_config_set_lacking},
	{"level_set sync", vc_level_set_sync},
	{"level_get", vc_level_get_cpu},
	{"level_set async", vc_level_set_async},
	{"level_get after async", vc_level_get_gpu},
	{"level_set auto (async)", vc_level_set_auto},
	{"level_get negative", vc_level_get_pump},
	{"level_set absent level", vc_level_set_absent, true},
	{"level_set async on sync domain", vc_level_set_no_async, true},
	{"level_get NULL", vc_level_get_null, true},
	{"level_set async DENIED", vc_level_set_async, false, deny_level_set},
	{"config_get DENIED", vc_config_get, false, deny_config_get},
};

/* @c blocking, then under SCMI_ASYNC(): the same result and outputs, the
 * callback exactly once (or, refused, the same errno and no callback). */
static void vcase_check(struct scmi_handle *h, const struct vcase *vc)
{
	struct vout sync_out = {0}, out = {0};
	struct test_req c = {0};
	int want, ret;

	if (vc->setup)
		vc->setup(h);
	want = vc->call(h, &sync_out);
	if (vc->setup)
		vc->setup(h);
	ret = TEST_SUBMIT(&c, vc->call(h, &out));
	test_req_as_blocking(h, &c, ret, vc->refused, want, vc->what);
	if (vc->refused)
		return;
	cr_assert_eq(c.req.handle, h);
	cr_assert(!memcmp(&out, &sync_out, sizeof(sync_out)), "%s: outputs differ", vc->what);
}

Test(voltage, every_op_non_blocking)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim_voltage_domain before;
	uint64_t sent;

	/* Bring-up blocks (scmi/request.h): do it first. */
	cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
	before = model(h, D_GPU);
	for (size_t i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++) {
		sent = requests(h);
		vcase_check(h, &vcases[i]);
		if (vcases[i].refused)
			cr_assert_eq(requests(h), sent, "%s: nothing sent", vcases[i].what);
	}
	/* Two async LEVEL_SETs accepted (the DENIED ones are not), each
	 * completed by its delayed response. */
	cr_assert_eq(model(h, D_GPU).async_level_sets - before.async_level_sets, 2);
	cr_assert_eq(model(h, D_GPU).level_uv, 1000000);
	cr_assert_eq(model(h, D_PUMP).level_uv, -2000000);
	test_fault_clear(h);
	scmi_close(h);
}

/* A delayed response that never comes: -ETIMEDOUT through the callback,
 * and one that comes first still completes the request. */
Test(voltage, non_blocking_async_timeout)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_LATE_DRESP,
		.count = 1,
		.protocol = VOLT,
		.message = 0x7,
		.param = 500000,
	};
	struct scmi_handle *h;
	struct test_req c = {0};

	cfg.dresp_timeout_ms = 50;
	h = test_open(NULL, &cfg);
	cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(TEST_ASYNC(h, &c,
				h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC,
							  900000)),
		     -ETIMEDOUT);
	f.kind = SCMI_SIM_FAULT_DRESP_FIRST;
	f.param = 0;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(TEST_ASYNC(h, &c,
				h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC,
							  906250)),
		     0);
	cr_assert_eq(model(h, D_GPU).level_uv, 906250);
	scmi_close(h);
}

/* The delayed response is checked in the non-blocking form too. */
Test(voltage, non_blocking_delayed_response_checked)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = test_sim(h);
	struct test_req c = {0};

	cr_assert_eq(scmi_sim_voltage_misbehave(sim, SCMI_SIM_VOLTAGE_DRESP_WRONG_LEVEL), 0);
	cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
	cr_assert_eq(TEST_ASYNC(h, &c,
				h->voltage_ops->level_set(h, D_GPU, SCMI_VOLTAGE_LEVEL_SET_ASYNC,
							  900000)),
		     -EPROTO);
	scmi_close(h);
}

/* Requests outstanding at scmi_close(): each completes once, -ECANCELED. */
Test(voltage, non_blocking_close_cancels)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_LATE_DRESP,
		.protocol = VOLT,
		.message = 0x7,
		.param = 2000000,
	};
	struct test_req c[2] = {0};

	/* One channel: the platform holds it until the late delayed
	 * response (see reset's non_blocking_cancel_and_close). */
	test_need_in_flight(2);
	cr_assert_eq(h->voltage_ops->count_get(h), SCMI_SIM_VOLTAGE_NUM_DOMAINS);
	cr_assert_eq(test_fault_add(h, &f), 0);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(
			TEST_SUBMIT(&c[i], h->voltage_ops->level_set(h, i ? D_PUMP : D_GPU,
								     SCMI_VOLTAGE_LEVEL_SET_ASYNC,
								     i ? -1800000 : 900000)),
			0);
	}
	scmi_close(h);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(atomic_load(&c[i].calls), 1, "request %d", i);
		cr_assert_eq(c[i].status, -ECANCELED, "request %d: %d", i, c[i].status);
	}
}

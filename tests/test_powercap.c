// SPDX-License-Identifier: BSD-3-Clause
/*
 * Powercap protocol (0x18) against the simulator's model: discovery equals
 * the model, every command's happy and error paths, async CAP_SET with and
 * without its delayed response, fastchannels, both notifications, the
 * sanity rules and the parent tree; every op's non-blocking form.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>

#include "common.h"
#include "helpers.h"

#define PC 0x18

#define PC_CAP_GET	       0x4
#define PC_CAP_SET	       0x5
#define PC_PAI_SET	       0x7
#define PC_DOMAIN_NAME_GET     0x8
#define PC_MEASUREMENTS_GET    0x9
#define PC_CAP_NOTIFY	       0xa
#define PC_MEASUREMENTS_NOTIFY 0xb
#define PC_DESCRIBE_FC	       0xc
#define PC_DOMAIN_ATTRIBUTES   0x3

/* The default model (scmi-sim/powercap.h). */
#define D_SOC	 0 /* everything, fastchannels with 32-bit doorbells */
#define D_BIG	 1 /* async, PAI fixed, 8-bit doorbells */
#define D_LITTLE 2 /* sync, no measurement events, no doorbells */
#define D_GPU	 3 /* async, no notifications, no fastchannels */
#define D_DRAM	 4 /* nothing configurable */
#define D_SHADER 5 /* async, no monitoring */

static struct scmi_handle *h;
/* The simulator, looked up at each use: a test skips there on a transport
 * without one (helpers.h, test_sim()). */
#define sim test_sim(h)
static const struct scmi_powercap_ops *ops;
static struct test_log lg;

static void open_uri(const char *uri)
{
	struct scmi_config cfg;

	test_log_init(&lg);
	cfg = test_config(&lg);
	h = test_open(uri, &cfg);
	ops = h->powercap_ops;
	cr_assert_not_null(ops, "powercap listed");
}

static void teardown(void)
{
	scmi_close(h);
	h = NULL;
}

TestSuite(powercap, .fini = teardown, .timeout = 60);

static uint64_t sim_requests(void)
{
	return test_requests(h);
}

static struct scmi_sim_powercap_domain model(uint32_t dom)
{
	struct scmi_sim_powercap_domain d;

	cr_assert_eq(test_powercap_domain(h, dom, &d), 0);
	return d;
}

/* Domain @dom as the platform describes it (test_model(): any transport). */
static struct scmi_sim_powercap_domain model_desc(uint32_t dom)
{
	struct scmi_sim_powercap_domain d;

	cr_assert_eq(scmi_sim_powercap_domain_get(test_model(h), dom, &d), 0);
	return d;
}

static const struct scmi_powercap_info *info(uint32_t dom)
{
	const struct scmi_powercap_info *pi = NULL;

	cr_assert_eq(ops->info_get(h, dom, &pi), 0, "info_get(%u)", dom);
	return pi;
}

/* Everything discovered equals the model's description. */
static void check_discovery(void)
{
	int n = scmi_sim_powercap_num_domains(test_model(h));

	cr_assert_eq(ops->count_get(h), n);
	for (int i = 0; i < n; i++) {
		struct scmi_sim_powercap_domain d = model_desc((uint32_t)i);
		const struct scmi_powercap_info *pi = info((uint32_t)i);
		unsigned int children = 0;

		cr_assert_eq(pi->id, (uint32_t)i);
		cr_assert_str_eq(pi->name, d.name, "extended name of %d", i);
		cr_assert_eq(pi->notify_cap_change, d.notify_cap);
		cr_assert_eq(pi->notify_measurement_change, d.notify_meas);
		cr_assert_eq(pi->async_cap_set, d.async);
		cr_assert_eq(pi->cap_config, d.cap_config);
		cr_assert_eq(pi->monitoring, d.monitoring);
		cr_assert_eq(pi->pai_config, d.pai_config);
		cr_assert_eq(pi->fastchannels, d.fastchannels);
		cr_assert_eq((unsigned int)pi->unit, d.unit);
		cr_assert_eq(pi->min_pai, d.min_pai);
		cr_assert_eq(pi->max_pai, d.max_pai);
		cr_assert_eq(pi->pai_step, d.pai_step);
		cr_assert_eq(pi->min_power_cap, d.min_cap);
		cr_assert_eq(pi->max_power_cap, d.max_cap);
		cr_assert_eq(pi->power_cap_step, d.cap_step);
		cr_assert_eq(pi->sustainable_power, d.sustainable_power);
		cr_assert_eq(pi->accuracy, d.accuracy);
		cr_assert_eq(pi->parent_id, d.parent_id);
		cr_assert_eq(pi->raw_parent_id, d.parent_id);
		cr_assert_eq(pi->problems, 0, "domain %d problems 0x%x", i, pi->problems);
		cr_assert(pi->usable);
		cr_assert_eq(pi->err, 0);
		for (int j = 0; j < n; j++) {
			if (model_desc((uint32_t)j).parent_id != (uint32_t)i)
				continue;
			cr_assert_lt(children, pi->num_children);
			cr_assert_eq(pi->children[children], (uint32_t)j, "children ascending");
			children++;
		}
		cr_assert_eq(children, pi->num_children);
	}
}

Test(powercap, discovery_newest)
{
	uint32_t ver;

	open_uri("loopback://");
	check_discovery();
	cr_assert_eq(scmi_sim_protocol_version_get(sim, PC, &ver), 0);
	cr_assert_eq(ver, SCMI_PROTO_VERSION(2, 0));
	/* The default tree: soc -> {big, little, gpu -> shader}, dram. */
	cr_assert_eq(info(D_SOC)->num_children, 3);
	cr_assert_eq(info(D_GPU)->num_children, 1);
	cr_assert_eq(info(D_GPU)->children[0], D_SHADER);
	cr_assert_eq(info(D_DRAM)->parent_id, SCMI_POWERCAP_ROOT);
	cr_assert_eq(info(D_BIG)->unit, SCMI_POWERCAP_UNIT_UW);
	cr_assert_eq(info(D_SOC)->unit, SCMI_POWERCAP_UNIT_MW);
	cr_assert_eq(info(D_DRAM)->unit, SCMI_POWERCAP_UNIT_ABSTRACT);
	/* Names longer than 15 characters came through NAME_GET. */
	cr_assert_str_eq(info(D_LITTLE)->name, "little-cluster-powercap-domain");
	/* Fastchannels: set channels only where the value is configurable. */
	if (test_has_window()) {
		cr_assert_eq(info(D_SOC)->fc_mask, 0xf);
		cr_assert_eq(info(D_BIG)->fc_mask, SCMI_POWERCAP_FC_CAP_GET |
							   SCMI_POWERCAP_FC_CAP_SET |
							   SCMI_POWERCAP_FC_PAI_GET);
		cr_assert_eq(info(D_LITTLE)->fc_mask, 0xf);
		cr_assert(scmi_sim_needs_poll(sim), "the model polls its windows");
	}
	cr_assert_eq(info(D_GPU)->fc_mask, 0);
}

Test(powercap, discovery_v1_layouts)
{
	open_uri("loopback://?versions=powercap:1.0");
	check_discovery();
}

Test(powercap, absent_in_scmi20_profile)
{
	h = test_open("loopback://?profile=scmi-2.0", NULL);
	cr_assert_null(h->powercap_ops, "powercap did not exist in the SCMI 2.0 era");
}

Test(powercap, negotiation_with_newer_platform)
{
	open_uri("loopback://?versions=powercap:2.1");
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	cr_assert(test_log_contains(&lg, "negotiated version 0x20000"), "%s", lg.text);
	check_discovery();
}

Test(powercap, extended_name_failure_keeps_short_name)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.protocol = PC,
		.message = PC_DOMAIN_NAME_GET,
		.param = -68,
	};

	open_uri("loopback://");
	cr_assert_eq(test_fault_add(h, &f), 0);
	/* The 16-byte field without NUL: the first 15 characters. */
	cr_assert_str_eq(info(D_LITTLE)->name, "little-cluster-");
	cr_assert_str_eq(info(D_SHADER)->name, "gpu-shader-core");
	cr_assert_str_eq(info(D_SOC)->name, "soc");
}

/* ---- caps and PAIs by message ---------------------------------------------------- */

static void open_no_fc(const char *uri)
{
	if (!test_on_loopback()) {
		/* scmi-sim without its memory window offers no fastchannel. */
		test_server_fastchannels(false);
		open_uri(uri);
		return;
	}
	open_uri(uri);
	cr_assert_eq(scmi_sim_powercap_fc_mode_set(sim, SCMI_SIM_POWERCAP_FC_OFF), 0);
}

Test(powercap, cap_sync_by_message)
{
	uint32_t cap;

	open_no_fc("loopback://");
	cr_assert_eq(info(D_LITTLE)->fc_mask, 0);
	cr_assert_eq(ops->cap_get(h, D_LITTLE, &cap), 0);
	cr_assert_eq(cap, model(D_LITTLE).cap);
	cr_assert_eq(ops->cap_set(h, D_LITTLE, 250000, false), 0);
	cr_assert_eq(model(D_LITTLE).cap, 250000);
	cr_assert_eq(model(D_LITTLE).msg_cap_sets, 1);
	cr_assert_eq(model(D_LITTLE).async_cap_sets, 0, "the domain has no async support");
	cr_assert_eq(ops->cap_get(h, D_LITTLE, &cap), 0);
	cr_assert_eq(cap, 250000);
	/* Boundaries of the range are valid values. */
	cr_assert_eq(ops->cap_set(h, D_LITTLE, info(D_LITTLE)->min_power_cap, false), 0);
	cr_assert_eq(ops->cap_set(h, D_LITTLE, info(D_LITTLE)->max_power_cap, true), 0);
	cr_assert_eq(model(D_LITTLE).cap, info(D_LITTLE)->max_power_cap);
}

Test(powercap, cap_async_with_delayed_response)
{
	struct scmi_stats a, b;

	open_no_fc("loopback://");
	scmi_stats_get(h, &a);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), 0);
	scmi_stats_get(h, &b);
	cr_assert_eq(b.delayed_responses, a.delayed_responses + 1, "waited for it");
	cr_assert_eq(model(D_GPU).cap, 5000);
	cr_assert_eq(model(D_GPU).async_cap_sets, 1);
	/* Domain 0 is async too once its fastchannels are off. */
	cr_assert_eq(ops->cap_set(h, D_SOC, 3000, false), 0);
	cr_assert_eq(model(D_SOC).async_cap_sets, 1);
}

Test(powercap, cap_async_ignoring_delayed_response)
{
	struct scmi_stats a, b;
	uint32_t cap;

	open_no_fc("loopback://");
	scmi_stats_get(h, &a);
	cr_assert_eq(ops->cap_set(h, D_GPU, 7250, true), 0);
	/* Applied when the response came, and no delayed response follows. */
	cr_assert_eq(model(D_GPU).cap, 7250);
	cr_assert_eq(model(D_GPU).ignored_dresps, 1);
	cr_assert_eq(model(D_GPU).async_cap_sets, 0);
	cr_assert_eq(ops->cap_get(h, D_GPU, &cap), 0);
	cr_assert_eq(cap, 7250);
	scmi_stats_get(h, &b);
	cr_assert_eq(b.delayed_responses, a.delayed_responses);
	cr_assert_eq(b.drop_unknown_token + b.drop_bad_state,
		     a.drop_unknown_token + a.drop_bad_state);
}

Test(powercap, cap_async_delayed_response_first)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DRESP_FIRST,
		.protocol = PC,
		.message = PC_CAP_SET,
	};

	open_no_fc("loopback://");
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(ops->cap_set(h, D_SHADER, 600, false), 0);
	cr_assert_eq(model(D_SHADER).cap, 600);
	cr_assert_geq(test_fault_hits(h, SCMI_SIM_FAULT_DRESP_FIRST), 1);
}

Test(powercap, cap_async_bad_delayed_responses)
{
	open_no_fc("loopback://");
	cr_assert_eq(scmi_sim_powercap_dresp_fault_set(sim, SCMI_SIM_POWERCAP_DRESP_WRONG_DOMAIN),
		     0);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), -EPROTO);
	cr_assert(test_log_contains(&lg, "delayed response for domain 4"), "%s", lg.text);
	cr_assert_eq(scmi_sim_powercap_dresp_fault_set(sim, SCMI_SIM_POWERCAP_DRESP_WRONG_CAP), 0);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), -EPROTO);
	cr_assert_eq(scmi_sim_powercap_dresp_fault_set(sim, SCMI_SIM_POWERCAP_DRESP_SHORT), 0);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), -EPROTO);
	/* Without a delayed response nothing can be wrong with it. */
	cr_assert_eq(ops->cap_set(h, D_GPU, 5250, true), 0);
	cr_assert_eq(scmi_sim_powercap_dresp_fault_set(sim, SCMI_SIM_POWERCAP_DRESP_OK), 0);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5500, false), 0);
}

Test(powercap, cap_async_delayed_response_timeout)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_stats st;

	cfg.dresp_timeout_ms = 100;
	h = test_open("loopback://", &cfg);
	ops = h->powercap_ops;
	cr_assert_eq(scmi_sim_powercap_async_delay_set(sim, 1000000), 0);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), -ETIMEDOUT);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.dresp_timeouts, 1);
}

Test(powercap, pai_by_message)
{
	uint32_t pai, power, mpai;

	open_no_fc("loopback://");
	cr_assert_eq(ops->pai_get(h, D_GPU, &pai), 0);
	cr_assert_eq(pai, model(D_GPU).pai);
	cr_assert_eq(ops->pai_set(h, D_GPU, 4000), 0);
	cr_assert_eq(model(D_GPU).pai, 4000);
	cr_assert_eq(ops->pai_get(h, D_GPU, &pai), 0);
	cr_assert_eq(pai, 4000);
	/* Measurements report the PAI in use. */
	cr_assert_eq(ops->measurements_get(h, D_GPU, &power, &mpai), 0);
	cr_assert_eq(power, model(D_GPU).power);
	cr_assert_eq(mpai, 4000);
}

Test(powercap, measurements)
{
	uint32_t power = 0, pai = 0;

	open_uri("loopback://");
	for (uint32_t d = 0; d < SCMI_SIM_POWERCAP_DEFAULT_DOMAINS; d++) {
		struct scmi_sim_powercap_domain m = model(d);

		if (!m.monitoring)
			continue;
		cr_assert_eq(ops->measurements_get(h, d, &power, &pai), 0);
		cr_assert_eq(power, m.power);
		cr_assert_eq(pai, m.pai);
	}
	cr_assert_eq(test_powercap_power_set(h, D_DRAM, 3210), 0);
	cr_assert_eq(ops->measurements_get(h, D_DRAM, &power, NULL), 0);
	cr_assert_eq(power, 3210);
	cr_assert_eq(ops->measurements_get(h, D_DRAM, NULL, &pai), 0);
	cr_assert_eq(pai, model(D_DRAM).pai);
}

/* ---- 2.0 "cap 0 disables capping" vs 1.0 ----------------------------------------- */

Test(powercap, v2_disable_and_enable_capping)
{
	bool on;
	uint32_t cap;

	open_no_fc("loopback://");
	cr_assert_eq(ops->cap_set(h, D_LITTLE, 900000, false), 0);
	cr_assert_eq(ops->cap_enable_get(h, D_LITTLE, &on), 0);
	cr_assert(on);
	cr_assert_eq(ops->cap_enable_set(h, D_LITTLE, false), 0);
	cr_assert_eq(model(D_LITTLE).cap, 0, "a cap of 0 went out");
	cr_assert_eq(ops->cap_get(h, D_LITTLE, &cap), 0);
	cr_assert_eq(cap, 0);
	cr_assert_eq(ops->cap_enable_get(h, D_LITTLE, &on), 0);
	cr_assert_not(on);
	cr_assert_eq(ops->cap_enable_set(h, D_LITTLE, true), 0);
	cr_assert_eq(model(D_LITTLE).cap, 900000, "the last cap is restored");
	/* cap_set(0) is the same as disabling, async domains included. */
	cr_assert_eq(ops->cap_set(h, D_GPU, 0, false), 0);
	cr_assert_eq(model(D_GPU).cap, 0);
	cr_assert_eq(ops->cap_enable_set(h, D_GPU, true), 0);
	cr_assert_eq(model(D_GPU).cap, model(D_GPU).max_cap, "default cap read at first use");
}

Test(powercap, v2_enable_without_known_cap)
{
	uint64_t before;

	open_no_fc("loopback://");
	/* The platform disabled capping before we ever looked. */
	cr_assert_eq(scmi_sim_powercap_cap_set(sim, D_LITTLE, 0), 0);
	cr_assert_eq(ops->cap_enable_set(h, D_LITTLE, true), 0);
	cr_assert_eq(model(D_LITTLE).cap, model(D_LITTLE).max_cap, "the least restrictive cap");
	/* Already enabled on the platform: enabling changes nothing. */
	cr_assert_eq(scmi_sim_powercap_cap_set(sim, D_SHADER, 700), 0);
	before = model(D_SHADER).msg_cap_sets;
	cr_assert_eq(ops->cap_enable_set(h, D_SHADER, true), 0);
	cr_assert_eq(model(D_SHADER).cap, 700);
	cr_assert_eq(model(D_SHADER).msg_cap_sets, before);
}

Test(powercap, v1_has_no_disable)
{
	uint64_t before;
	bool on = false;

	open_no_fc("loopback://?versions=powercap:1.0");
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	before = sim_requests();
	cr_assert_eq(ops->cap_set(h, D_LITTLE, 0, false), -EINVAL, "0 is below the range");
	cr_assert_eq(ops->cap_enable_set(h, D_LITTLE, false), -EOPNOTSUPP);
	cr_assert_eq(ops->cap_enable_set(h, D_LITTLE, true), 0);
	cr_assert_eq(ops->cap_enable_get(h, D_LITTLE, &on), 0);
	cr_assert(on);
	cr_assert_eq(sim_requests(), before, "nothing sent");
	/* The platform refuses it too. */
	{
		uint8_t tx[12];

		scmi_put_le32(tx, D_LITTLE);
		scmi_put_le32(tx + 4, 0);
		scmi_put_le32(tx + 8, 0);
		cr_assert_eq(scmi_raw_command(h, PC, PC_CAP_SET, tx, sizeof(tx), NULL, 0, NULL),
			     -ERANGE);
		cr_assert_eq(scmi_last_status(), SCMI_ERR_OUT_OF_RANGE);
	}
	cr_assert_eq(ops->cap_set(h, D_LITTLE, 300000, false), 0);
	cr_assert_eq(model(D_LITTLE).cap, 300000);
}

/* ---- local validation: -EINVAL / -EOPNOTSUPP, nothing sent ------------------------ */

Test(powercap, local_validation)
{
	const struct scmi_powercap_info *pi;
	uint32_t v, lo, hi;
	uint64_t before;
	bool b;

	open_uri("loopback://");
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	before = sim_requests();
	cr_assert_eq(ops->info_get(h, 6, &pi), -EINVAL);
	cr_assert_eq(ops->info_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->cap_get(h, 6, &v), -EINVAL);
	cr_assert_eq(ops->cap_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->cap_set(h, 6, 1000, false), -EINVAL);
	cr_assert_eq(ops->pai_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->cap_enable_get(h, 0, NULL), -EINVAL);
	cr_assert_eq(ops->measurements_get(h, 0, NULL, NULL), -EINVAL);
	cr_assert_eq(ops->measurements_threshold_get(h, 0, NULL, &hi), -EINVAL);
	cr_assert_eq(ops->measurements_threshold_get(h, 0xffffffff, &lo, &hi), -EINVAL);
	/* Range and step of the cap (gpu: 1000..15000 step 250). */
	cr_assert_eq(ops->cap_set(h, D_GPU, 999, false), -EINVAL);
	cr_assert_eq(ops->cap_set(h, D_GPU, 15250, false), -EINVAL);
	cr_assert_eq(ops->cap_set(h, D_GPU, 1100, false), -EINVAL, "off the step");
	/* ...and of the PAI (gpu: 2000..40000 step 2000). */
	cr_assert_eq(ops->pai_set(h, D_GPU, 1000), -EINVAL);
	cr_assert_eq(ops->pai_set(h, D_GPU, 42000), -EINVAL);
	cr_assert_eq(ops->pai_set(h, D_GPU, 3000), -EINVAL);
	/* Features a domain lacks. */
	cr_assert_eq(ops->cap_set(h, D_DRAM, 4000, false), -EOPNOTSUPP);
	cr_assert_eq(ops->cap_enable_set(h, D_DRAM, false), -EOPNOTSUPP);
	cr_assert_eq(ops->pai_set(h, D_DRAM, 20000), -EOPNOTSUPP);
	cr_assert_eq(ops->pai_set(h, D_BIG, 5000), -EOPNOTSUPP);
	cr_assert_eq(ops->measurements_get(h, D_SHADER, &v, NULL), -EOPNOTSUPP);
	cr_assert_eq(ops->measurements_threshold_set(h, D_GPU, 1, 2), -EOPNOTSUPP);
	cr_assert_eq(ops->measurements_threshold_set(h, D_LITTLE, 1, 2), -EOPNOTSUPP);
	/* Thresholds: both zero (as Linux refuses) or inverted. */
	cr_assert_eq(ops->measurements_threshold_set(h, D_SOC, 0, 0), -EINVAL);
	cr_assert_eq(ops->measurements_threshold_set(h, D_SOC, 5000, 4000), -EINVAL);
	cr_assert_eq(ops->measurements_threshold_get(h, D_SOC, &lo, &hi), 0);
	cr_assert_eq(lo, 0);
	cr_assert_eq(hi, 0);
	cr_assert_eq(ops->cap_enable_get(h, 6, &b), -EINVAL);
	/* Every op at domain id == count. */
	cr_assert_eq(ops->cap_enable_set(h, 6, true), -EINVAL);
	cr_assert_eq(ops->pai_get(h, 6, &v), -EINVAL);
	cr_assert_eq(ops->pai_set(h, 6, 4000), -EINVAL);
	cr_assert_eq(ops->measurements_get(h, 6, &v, NULL), -EINVAL);
	cr_assert_eq(ops->measurements_threshold_set(h, 6, 1, 2), -EINVAL);
	cr_assert_eq(ops->measurements_threshold_get(h, 6, &lo, &hi), -EINVAL);
	cr_assert_eq(sim_requests(), before, "nothing was sent");
}

/* ---- platform errors ----------------------------------------------------------------- */

static int raw(uint8_t msg, const uint32_t *words, size_t n)
{
	uint8_t tx[16], rx[128];
	size_t len;

	for (size_t i = 0; i < n; i++)
		scmi_put_le32(tx + 4 * i, words[i]);
	return scmi_raw_command(h, PC, msg, tx, 4 * n, rx, sizeof(rx), &len);
}

Test(powercap, platform_errors)
{
	open_uri("loopback://");
	/* Unknown domain: NOT_FOUND, for every command naming one. */
	cr_assert_eq(raw(PC_DOMAIN_ATTRIBUTES, (uint32_t[]){6}, 1), -ENOENT);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_FOUND);
	cr_assert_eq(raw(PC_CAP_GET, (uint32_t[]){99}, 1), -ENOENT);
	cr_assert_eq(raw(PC_MEASUREMENTS_NOTIFY, (uint32_t[]){6, 1, 1, 2}, 4), -ENOENT);
	/* Reserved flags: INVALID_PARAMETERS. */
	cr_assert_eq(raw(PC_CAP_SET, (uint32_t[]){D_GPU, 0x4, 5000}, 3), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS);
	cr_assert_eq(raw(PC_PAI_SET, (uint32_t[]){D_GPU, 0x1, 4000}, 3), -EINVAL);
	cr_assert_eq(raw(PC_CAP_NOTIFY, (uint32_t[]){D_SOC, 0x3}, 2), -EINVAL);
	cr_assert_eq(raw(PC_MEASUREMENTS_NOTIFY, (uint32_t[]){D_SOC, 1, 0, 0}, 4), -EINVAL);
	cr_assert_eq(raw(PC_MEASUREMENTS_NOTIFY, (uint32_t[]){D_SOC, 1, 9, 8}, 4), -EINVAL);
	/* Out of range or off the step: OUT_OF_RANGE. */
	cr_assert_eq(raw(PC_CAP_SET, (uint32_t[]){D_LITTLE, 0, 100}, 3), -ERANGE);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_OUT_OF_RANGE);
	cr_assert_eq(raw(PC_CAP_SET, (uint32_t[]){D_LITTLE, 0, 200001}, 3), -ERANGE);
	cr_assert_eq(raw(PC_PAI_SET, (uint32_t[]){D_GPU, 0, 2001}, 3), -ERANGE);
	/* Features a domain lacks: NOT_SUPPORTED. */
	cr_assert_eq(raw(PC_CAP_SET, (uint32_t[]){D_DRAM, 0, 4000}, 3), -EOPNOTSUPP);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(raw(PC_CAP_SET, (uint32_t[]){D_LITTLE, 0x2, 250000}, 3), -EOPNOTSUPP,
		     "async on a synchronous domain");
	cr_assert_eq(raw(PC_PAI_SET, (uint32_t[]){D_BIG, 0, 5000}, 3), -EOPNOTSUPP);
	cr_assert_eq(raw(PC_MEASUREMENTS_GET, (uint32_t[]){D_SHADER}, 1), -EOPNOTSUPP);
	cr_assert_eq(raw(PC_CAP_NOTIFY, (uint32_t[]){D_GPU, 1}, 2), -EOPNOTSUPP);
	cr_assert_eq(raw(PC_MEASUREMENTS_NOTIFY, (uint32_t[]){D_LITTLE, 1, 1, 2}, 4), -EOPNOTSUPP);
	cr_assert_eq(raw(PC_DOMAIN_NAME_GET, (uint32_t[]){D_SOC}, 1), -EOPNOTSUPP,
		     "short names have no extended form");
	cr_assert_eq(raw(PC_DESCRIBE_FC, (uint32_t[]){D_GPU, PC_CAP_GET}, 2), -EOPNOTSUPP);
	cr_assert_eq(raw(PC_DESCRIBE_FC, (uint32_t[]){D_SOC, PC_MEASUREMENTS_GET}, 2), -EOPNOTSUPP);
	/* Exact request sizes. */
	cr_assert_eq(raw(PC_CAP_SET, (uint32_t[]){D_GPU, 0}, 2), -EPROTO);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_PROTOCOL_ERROR);
	/* No 0xD in this version. */
	cr_assert_eq(raw(0xd, (uint32_t[]){0}, 1), -ENOENT);
}

Test(powercap, denied_by_permissions)
{
	uint32_t cap;

	open_no_fc("loopback://?versions=base:2.0");
	/* Bring the protocol up first: its discovery reads every domain. */
	cr_assert_eq(ops->cap_get(h, D_GPU, &cap), 0);
	/* Domain d is Base device d: revoke powercap on device 3 (gpu). */
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, D_GPU, PC, false), 0);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_eq(ops->pai_set(h, D_GPU, 4000), -EACCES);
	cr_assert_eq(model(D_GPU).cap, 15000, "unchanged");
	/* Reading is denied too (every message naming the domain, as SCP's
	 * resource permissions); other domains are unaffected. */
	cr_assert_eq(ops->cap_get(h, D_GPU, &cap), -EACCES);
	cr_assert_eq(ops->cap_set(h, D_SHADER, 5000, false), 0);
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, D_GPU, PC, true), 0);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), 0);
}

Test(powercap, agent_reset_restores_defaults)
{
	uint32_t dflt_cap, dflt_pai;

	open_no_fc("loopback://");
	dflt_cap = model(D_GPU).cap;
	dflt_pai = model(D_GPU).pai;
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), 0);
	cr_assert_eq(ops->pai_set(h, D_GPU, 4000), 0);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 1, false), 0);
	cr_assert_eq(model(D_GPU).cap, dflt_cap);
	cr_assert_eq(model(D_GPU).pai, dflt_pai);
}

Test(powercap, malformed_replies)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.protocol = PC,
		.message = PC_CAP_GET,
		.param = -4,
	};
	uint32_t cap;

	open_no_fc("loopback://");
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(ops->cap_get(h, D_GPU, &cap), -EPROTO);
	f.message = PC_MEASUREMENTS_GET;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(ops->measurements_get(h, D_GPU, &cap, NULL), -EPROTO);
	test_fault_clear(h);
	cr_assert_eq(ops->cap_get(h, D_GPU, &cap), 0);
	cr_assert_eq(cap, model(D_GPU).cap);
}

static void fc_roundtrip(uint32_t dom, uint32_t cap, uint32_t pai);

static int never_called(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	(void)nb;
	(void)evt;
	(void)report;
	cr_assert_fail("no event for a disabled domain");
	return SCMI_NOTIFY_OK;
}

/* Domain @dom is disabled with @err: described as such, every op -EPROTO
 * with nothing sent, its notifications refused. */
static void expect_pc_disabled(uint32_t dom, int err)
{
	const struct scmi_powercap_info *pi = info(dom);
	struct scmi_notifier_block nb = {.notifier_call = never_called};
	uint64_t before = sim_requests();
	uint32_t v, w;
	bool on;

	cr_assert_eq(pi->id, dom);
	cr_assert_not(pi->usable, "domain %u", dom);
	cr_assert_eq(pi->err, err, "domain %u: err %d", dom, pi->err);
	cr_assert_eq(pi->fc_mask, 0, "no fastchannel for a disabled domain");
	cr_assert_eq(ops->cap_get(h, dom, &v), -EPROTO);
	cr_assert_eq(ops->cap_set(h, dom, pi->max_power_cap, false), -EPROTO);
	cr_assert_eq(ops->cap_enable_set(h, dom, true), -EPROTO);
	cr_assert_eq(ops->cap_enable_get(h, dom, &on), -EPROTO);
	cr_assert_eq(ops->pai_get(h, dom, &v), -EPROTO);
	cr_assert_eq(ops->pai_set(h, dom, pi->min_pai), -EPROTO);
	cr_assert_eq(ops->measurements_get(h, dom, &v, &w), -EPROTO);
	cr_assert_eq(ops->measurements_threshold_set(h, dom, 1, 2), -EPROTO);
	cr_assert_eq(ops->measurements_threshold_get(h, dom, &v, &w), -EPROTO);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    &dom, &nb),
		     -EPROTO);
	cr_assert_eq(sim_requests(), before, "nothing sent for a disabled domain");
}

/* Domain @dom works: described as the model says, its cap reads. */
static void expect_pc_usable(uint32_t dom)
{
	const struct scmi_powercap_info *pi = info(dom);
	uint32_t cap;

	cr_assert(pi->usable, "domain %u", dom);
	cr_assert_eq(pi->err, 0);
	cr_assert_str_eq(pi->name, model(dom).name);
	cr_assert_eq(pi->max_power_cap, model(dom).max_cap);
	cr_assert_eq(ops->cap_get(h, dom, &cap), 0, "domain %u", dom);
	cr_assert_eq(cap, model(dom).cap);
}

/* A short DOMAIN_ATTRIBUTES reply disables that domain (the first), not the
 * protocol; its children keep it as their parent. */
Test(powercap, malformed_attributes_disable_the_domain)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.count = 1,
		.protocol = PC,
		.message = PC_DOMAIN_ATTRIBUTES,
		.param = -8,
	};

	open_uri("loopback://");
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	cr_assert(test_log_contains(&lg, "powercap: domain 0 disabled"), "%s", lg.text);
	expect_pc_disabled(D_SOC, -EPROTO);
	cr_assert_eq(info(D_SOC)->parent_id, SCMI_POWERCAP_ROOT);
	cr_assert_eq(info(D_SOC)->raw_parent_id, SCMI_POWERCAP_ROOT);
	cr_assert_str_eq(info(D_SOC)->name, "");
	cr_assert_eq(info(D_SOC)->num_children, 3, "big, little and gpu still name it");
	cr_assert_eq(info(D_BIG)->parent_id, D_SOC);
	cr_assert_eq(info(D_BIG)->problems, 0);
	for (uint32_t d = 1; d < SCMI_SIM_POWERCAP_DEFAULT_DOMAINS; d++)
		expect_pc_usable(d);
}

/* No answer at all is no description: the bring-up fails, and the next
 * call retries it. */
Test(powercap, attributes_timeout_retried)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = PC,
		.message = PC_DOMAIN_ATTRIBUTES,
	};

	cfg.timeout_ms = 100;
	h = test_open("loopback://", &cfg);
	ops = h->powercap_ops;
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(ops->count_get(h), -ETIMEDOUT);
	check_discovery();
}

/*
 * The reported case: BASE_SET_DEVICE_PERMISSIONS denies one powercap
 * domain before the lazy bring-up, and the simulator answers DENIED to
 * every message naming it, DOMAIN_ATTRIBUTES included.  Every op on every
 * domain used to return -EACCES.  Now that domain is disabled (its reason
 * -EACCES), the others work, fastchannels included; the first and the
 * last domain both; id == count stays -EINVAL.
 */
Test(powercap, denied_domain_disables_only_it)
{
	const uint32_t n = SCMI_SIM_POWERCAP_DEFAULT_DOMAINS, victims[] = {D_SOC, D_SHADER};

	for (size_t v = 0; v < sizeof(victims) / sizeof(victims[0]); v++) {
		const struct scmi_powercap_info *pi;
		uint32_t cap, other = victims[v] == D_SOC ? D_LITTLE : D_SOC;
		uint64_t before;
		char line[96];

		open_uri("loopback://");
		cr_assert_eq(h->base_ops->set_device_permissions(h, 1, victims[v], false), 0);
		cr_assert_eq(ops->count_get(h), (int)n);
		snprintf(line, sizeof(line), "powercap: domain %u disabled: %s", victims[v],
			 scmi_strerror(-EACCES));
		cr_assert(test_log_contains(&lg, line), "want '%s' in\n%s", line, lg.text);
		expect_pc_disabled(victims[v], -EACCES);
		for (uint32_t d = 0; d < n; d++)
			if (d != victims[v])
				expect_pc_usable(d);
		/* A fastchannel domain still gets its channels. */
		if (test_has_window()) {
			cr_assert_eq(info(other)->fc_mask, 0xf);
			fc_roundtrip(other, info(other)->min_power_cap, info(other)->min_pai);
		}
		before = sim_requests();
		cr_assert_eq(ops->info_get(h, n, &pi), -EINVAL);
		cr_assert_eq(ops->cap_get(h, n, &cap), -EINVAL);
		cr_assert_eq(sim_requests(), before);
		scmi_close(h);
		h = NULL;
	}
	/* Taking powercap alone away from the device works the same way. */
	open_uri("loopback://");
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, D_GPU, PC, false), 0);
	expect_pc_disabled(D_GPU, -EACCES);
	cr_assert_eq(info(D_SHADER)->parent_id, D_GPU);
	expect_pc_usable(D_SHADER);
}

/* ---- fastchannels ------------------------------------------------------------------------ */

struct fc_wait {
	uint32_t dom;
	uint32_t cap, pai;
	uint64_t fc_cap_sets, fc_pai_sets;
};

static bool fc_applied(void *arg)
{
	const struct fc_wait *w = arg;
	struct scmi_sim_powercap_domain d;

	scmi_sim_powercap_domain_get(sim, w->dom, &d);
	return d.cap == w->cap && d.pai == w->pai && d.fc_cap_sets == w->fc_cap_sets &&
	       d.fc_pai_sets == w->fc_pai_sets;
}

static void fc_roundtrip(uint32_t dom, uint32_t cap, uint32_t pai)
{
	struct scmi_sim_powercap_domain m = model(dom);
	struct fc_wait w = {dom, cap, pai ? pai : m.pai, m.fc_cap_sets + 1, m.fc_pai_sets};
	uint64_t before = sim_requests();
	uint32_t v;

	cr_assert_eq(ops->cap_set(h, dom, cap, false), 0);
	if (pai) {
		cr_assert_eq(ops->pai_set(h, dom, pai), 0);
		w.fc_pai_sets++;
	}
	cr_assert(test_wait_until(fc_applied, &w, 5000), "domain %u: fastchannel writes applied",
		  dom);
	cr_assert_eq(ops->cap_get(h, dom, &v), 0);
	cr_assert_eq(v, cap);
	cr_assert_eq(ops->pai_get(h, dom, &v), 0);
	cr_assert_eq(v, w.pai);
	cr_assert_eq(sim_requests(), before, "domain %u: no message sent", dom);
	cr_assert_eq(model(dom).msg_cap_sets, m.msg_cap_sets);
}

Test(powercap, fastchannels_used_when_mapped)
{
	uint64_t sets;
	uint32_t v;

	test_need_window();
	open_uri("loopback://");
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	fc_roundtrip(D_SOC, 10000, 20000);     /* 32-bit doorbell */
	fc_roundtrip(D_BIG, 4000000, 0);       /* 8-bit doorbell, preserve mask */
	fc_roundtrip(D_LITTLE, 1500000, 2500); /* no doorbell */
	fc_roundtrip(D_LITTLE, 1550000, 3000);
	/* Platform-side changes show in the "get" windows at once. */
	cr_assert_eq(scmi_sim_powercap_cap_set(sim, D_SOC, 12000), 0);
	cr_assert_eq(ops->cap_get(h, D_SOC, &v), 0);
	cr_assert_eq(v, 12000);
	/* 2.0 disable through the fastchannel, then back to the last cap
	 * known (12000, read back above). */
	sets = model(D_SOC).fc_cap_sets;
	cr_assert_eq(ops->cap_enable_set(h, D_SOC, false), 0);
	cr_assert(test_wait_until(
		fc_applied, &(struct fc_wait){D_SOC, 0, 20000, sets + 1, model(D_SOC).fc_pai_sets},
		5000));
	cr_assert_eq(ops->cap_enable_set(h, D_SOC, true), 0);
	cr_assert(test_wait_until(
		fc_applied,
		&(struct fc_wait){D_SOC, 12000, 20000, sets + 2, model(D_SOC).fc_pai_sets}, 5000));
	/* Domains without fastchannels still use messages. */
	{
		uint64_t before = sim_requests();

		cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), 0);
		cr_assert_gt(sim_requests(), before);
	}
}

/* DESCRIBE_FASTCHANNEL of (dom, msg) through the raw interface. */
static void describe(uint32_t dom, uint8_t msg, uint8_t rx[44])
{
	uint8_t tx[8];
	size_t len;

	scmi_put_le32(tx, dom);
	scmi_put_le32(tx + 4, msg);
	cr_assert_eq(scmi_raw_command(h, PC, PC_DESCRIBE_FC, tx, sizeof(tx), rx, 44, &len), 0);
	cr_assert_eq(len, 44);
}

struct reject_wait {
	uint32_t dom;
	uint64_t rejected;
};

static bool fc_rejected(void *arg)
{
	const struct reject_wait *w = arg;

	return model(w->dom).fc_rejected >= w->rejected;
}

Test(powercap, fastchannel_description_and_platform_checks)
{
	uint8_t rx[44];
	uint32_t *chan;
	uint8_t *db;

	test_need_window();
	open_uri("loopback://?versions=base:2.0");
	/* soc, CAP_SET: 4-byte window, 32-bit doorbell (width code 2), set
	 * mask 1, nothing preserved. */
	describe(D_SOC, PC_CAP_SET, rx);
	cr_assert_eq(scmi_get_le32(rx), 1u | 2u << 1);
	cr_assert_eq(scmi_get_le32(rx + 4), 500, "rate limit");
	cr_assert_eq(scmi_get_le32(rx + 16), 4, "channel size");
	cr_assert_eq(scmi_get_le64(rx + 28), 1, "set mask");
	cr_assert_eq(scmi_get_le64(rx + 36), 0, "preserve mask");
	chan = scmi_sim_memory_map(sim, scmi_get_le64(rx + 8), 4);
	db = scmi_sim_memory_map(sim, scmi_get_le64(rx + 20), 4);
	cr_assert_not_null(chan);
	cr_assert_not_null(db);
	/* big, CAP_SET: 8-bit doorbell keeping its upper bits. */
	describe(D_BIG, PC_CAP_SET, rx);
	cr_assert_eq(scmi_get_le32(rx), 1u);
	cr_assert_eq(scmi_get_le64(rx + 36), 0xf0);
	/* little: no doorbell; "get" windows never have one. */
	describe(D_LITTLE, PC_PAI_SET, rx);
	cr_assert_eq(scmi_get_le32(rx), 0);
	cr_assert_eq(scmi_get_le64(rx + 20), 0);
	describe(D_SOC, PC_CAP_GET, rx);
	cr_assert_eq(scmi_get_le32(rx), 0);
	cr_assert_eq(*(uint32_t *)scmi_sim_memory_map(sim, scmi_get_le64(rx + 8), 4),
		     htole32(model(D_SOC).cap), "the get window holds the cap");

	/* A value the domain does not allow, written straight into the
	 * window: a fastchannel has no status, the platform drops it. */
	__atomic_store_n(chan, htole32(2001), __ATOMIC_RELEASE);
	__atomic_store_n((uint32_t *)db, htole32(1), __ATOMIC_RELEASE);
	cr_assert(test_wait_until(fc_rejected, &(struct reject_wait){D_SOC, 1}, 5000));
	cr_assert_eq(model(D_SOC).cap, 25000);
	/* A valid one without permission is dropped too. */
	cr_assert_eq(h->base_ops->set_device_permissions(h, 1, D_SOC, false), 0);
	__atomic_store_n(chan, htole32(3000), __ATOMIC_RELEASE);
	__atomic_store_n((uint32_t *)db, htole32(1), __ATOMIC_RELEASE);
	cr_assert(test_wait_until(fc_rejected, &(struct reject_wait){D_SOC, 2}, 5000));
	cr_assert_eq(model(D_SOC).cap, 25000);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 1, D_SOC, true), 0);
	__atomic_store_n(chan, htole32(3000), __ATOMIC_RELEASE);
	__atomic_store_n((uint32_t *)db, htole32(1), __ATOMIC_RELEASE);
	cr_assert(test_wait_until(fc_applied,
				  &(struct fc_wait){D_SOC, 3000, model(D_SOC).pai, 1, 0}, 5000));
	/* A doorbell without the set bit is not a request. */
	__atomic_store_n(chan, htole32(4000), __ATOMIC_RELEASE);
	__atomic_store_n((uint32_t *)db, htole32(2), __ATOMIC_RELEASE);
	scmi_sim_poll(sim);
	cr_assert_eq(model(D_SOC).cap, 3000);
}

Test(powercap, fastchannels_unmappable_fall_back_to_messages)
{
	uint64_t before;
	uint32_t v;

	open_uri("loopback://");
	cr_assert_eq(scmi_sim_powercap_fc_mode_set(sim, SCMI_SIM_POWERCAP_FC_UNMAPPABLE), 0);
	for (uint32_t d = 0; d < SCMI_SIM_POWERCAP_DEFAULT_DOMAINS; d++)
		cr_assert_eq(info(d)->fc_mask, 0, "domain %u", d);
	cr_assert(info(D_SOC)->fastchannels, "offered, just not mappable");
	before = sim_requests();
	cr_assert_eq(ops->cap_set(h, D_SOC, 10000, false), 0);
	cr_assert_eq(model(D_SOC).cap, 10000, "applied synchronously");
	cr_assert_eq(model(D_SOC).async_cap_sets, 1);
	cr_assert_eq(ops->cap_get(h, D_SOC, &v), 0);
	cr_assert_eq(v, 10000);
	cr_assert_eq(ops->pai_set(h, D_LITTLE, 2500), 0);
	cr_assert_eq(model(D_LITTLE).pai, 2500);
	cr_assert_eq(sim_requests(), before + 3);
	cr_assert_eq(model(D_SOC).fc_cap_sets, 0);
}

Test(powercap, fastchannels_off)
{
	open_no_fc("loopback://");
	for (uint32_t d = 0; d < SCMI_SIM_POWERCAP_DEFAULT_DOMAINS; d++)
		cr_assert_eq(info(d)->fc_mask, 0, "domain %u", d);
	cr_assert_eq(ops->cap_set(h, D_BIG, 600000, false), 0);
	cr_assert_eq(model(D_BIG).cap, 600000);
	cr_assert_eq(model(D_BIG).msg_cap_sets, 1);
}

/* A fastchannel the platform refuses to describe, or describes malformed,
 * leaves that operation on messages; the domains stay usable. */
Test(powercap, fastchannel_description_refused_or_malformed)
{
	static const char *const uris[] = {
		"loopback://?status=powercap:describe_fastchannel:DENIED",
		"loopback://?bad_len_at=0x18:0xc:-8",
	};

	for (size_t u = 0; u < sizeof(uris) / sizeof(uris[0]); u++) {
		uint64_t before;
		uint32_t v;

		open_uri(uris[u]);
		for (uint32_t d = 0; d < SCMI_SIM_POWERCAP_DEFAULT_DOMAINS; d++) {
			cr_assert_eq(info(d)->fc_mask, 0, "%s: domain %u", uris[u], d);
			expect_pc_usable(d);
		}
		before = sim_requests();
		cr_assert_eq(ops->cap_set(h, D_SOC, 10000, false), 0);
		cr_assert_eq(ops->cap_get(h, D_SOC, &v), 0);
		cr_assert_eq(v, 10000);
		cr_assert_eq(sim_requests(), before + 2, "by message");
		cr_assert_eq(model(D_SOC).fc_cap_sets, 0);
		scmi_close(h);
		h = NULL;
	}
	open_uri("loopback://");
}

/* An extended name the platform refuses leaves the short name. */
Test(powercap, extended_name_refused_keeps_short_name)
{
	open_uri("loopback://?status=powercap:domain_name_get:DENIED");
	cr_assert_str_eq(info(D_LITTLE)->name, "little-cluster-");
	for (uint32_t d = 0; d < SCMI_SIM_POWERCAP_DEFAULT_DOMAINS; d++)
		cr_assert(info(d)->usable, "domain %u", d);
}

/* ---- notifications ------------------------------------------------------------------------ */

#define MAX_REPORTS 64

struct collector {
	struct scmi_notifier_block nb;
	pthread_mutex_t lock;
	unsigned int n_cap, n_meas;
	struct scmi_powercap_cap_changed_report cap[MAX_REPORTS];
	struct scmi_powercap_meas_changed_report meas[MAX_REPORTS];
};

static int collect(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct collector *c = (struct collector *)nb;

	pthread_mutex_lock(&c->lock);
	if (evt == SCMI_EVENT_POWERCAP_CAP_CHANGED && c->n_cap < MAX_REPORTS)
		c->cap[c->n_cap++] = *(const struct scmi_powercap_cap_changed_report *)report;
	else if (evt == SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED && c->n_meas < MAX_REPORTS)
		c->meas[c->n_meas++] = *(const struct scmi_powercap_meas_changed_report *)report;
	pthread_mutex_unlock(&c->lock);
	return SCMI_NOTIFY_OK;
}

static void collector_init(struct collector *c)
{
	memset(c, 0, sizeof(*c));
	c->nb.notifier_call = collect;
	pthread_mutex_init(&c->lock, NULL);
}

struct count_wait {
	struct collector *c;
	unsigned int cap, meas;
};

static bool counts_reached(void *arg)
{
	struct count_wait *w = arg;
	bool ok;

	pthread_mutex_lock(&w->c->lock);
	ok = w->c->n_cap >= w->cap && w->c->n_meas >= w->meas;
	pthread_mutex_unlock(&w->c->lock);
	return ok;
}

static void wait_counts(struct collector *c, unsigned int cap, unsigned int meas)
{
	struct count_wait w = {c, cap, meas};

	cr_assert(test_wait_until(counts_reached, &w, 5000), "expected %u cap / %u meas events",
		  cap, meas);
}

static int enabled(uint8_t evt, uint32_t dom)
{
	return test_notify_enabled(h, PC, evt, dom);
}

/* Make sure nothing else arrives: a later event we wait for comes after. */
static void barrier_event(struct collector *c, unsigned int cap_now)
{
	uint32_t pai = model(D_SOC).pai == 10000 ? 11000 : 10000;

	cr_assert_eq(scmi_sim_powercap_pai_set(sim, D_SOC, pai), 1);
	wait_counts(c, cap_now + 1, 0);
}

Test(powercap, cap_changed_notifications)
{
	struct collector c;
	uint32_t dom = D_SHADER;
	uint64_t before;

	open_no_fc("loopback://");
	collector_init(&c);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_CAP_CHANGED, dom), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    &dom, &c.nb),
		     0);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_CAP_CHANGED, dom), 1);

	/* Caused by this agent (async CAP_SET). */
	cr_assert_eq(ops->cap_set(h, dom, 4200, false), 0);
	wait_counts(&c, 1, 0);
	cr_assert_eq(c.cap[0].agent_id, 1);
	cr_assert_eq(c.cap[0].domain_id, dom);
	cr_assert_eq(c.cap[0].power_cap, 4200);
	cr_assert_eq(c.cap[0].pai, model(dom).pai);
	cr_assert_neq(c.cap[0].hdr.timestamp, 0);
	/* The same cap again is no change: the next event is the PAI's. */
	cr_assert_eq(ops->cap_set(h, dom, 4200, false), 0);
	/* A PAI change is reported by the same event. */
	cr_assert_eq(ops->pai_set(h, dom, 6000), 0);
	wait_counts(&c, 2, 0);
	cr_assert_eq(c.cap[1].pai, 6000);
	cr_assert_eq(c.cap[1].power_cap, 4200);
	/* Caused by the platform. */
	cr_assert_eq(scmi_sim_powercap_cap_set(sim, dom, 3000), 1);
	wait_counts(&c, 3, 0);
	cr_assert_eq(c.cap[2].agent_id, 0);
	cr_assert_eq(c.cap[2].power_cap, 3000);
	/* Capping disabled (2.0) shows as cap 0. */
	cr_assert_eq(ops->cap_enable_set(h, dom, false), 0);
	wait_counts(&c, 4, 0);
	cr_assert_eq(c.cap[3].power_cap, 0);

	before = sim_requests();
	cr_assert_eq(h->notify_ops->event_notifier_unregister(
			     h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED, &dom, &c.nb),
		     0);
	cr_assert_eq(sim_requests(), before + 1, "one CAP_NOTIFY (disable)");
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_CAP_CHANGED, dom), 0);
	cr_assert_eq(scmi_sim_powercap_cap_set(sim, dom, 3100), 0, "not sent when disabled");
	cr_assert_eq(ops->cap_set(h, dom, 3200, false), 0);
	/* Another domain's event proves the pipe is flushed: nothing more here. */
	{
		uint32_t soc = D_SOC;

		cr_assert_eq(h->notify_ops->event_notifier_register(
				     h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED, &soc, &c.nb),
			     0);
		barrier_event(&c, 4);
		cr_assert_eq(c.n_cap, 5);
		cr_assert_eq(c.cap[4].domain_id, D_SOC);
	}
}

Test(powercap, cap_changed_from_fastchannel_write)
{
	struct collector c;
	uint32_t dom = D_BIG;

	test_need_window();
	open_uri("loopback://");
	collector_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    &dom, &c.nb),
		     0);
	cr_assert(info(dom)->fc_mask & SCMI_POWERCAP_FC_CAP_SET);
	cr_assert_eq(ops->cap_set(h, dom, 2000000, false), 0);
	wait_counts(&c, 1, 0);
	cr_assert_eq(c.cap[0].agent_id, 1);
	cr_assert_eq(c.cap[0].power_cap, 2000000);
	cr_assert_eq(model(dom).fc_cap_sets, 1);
}

Test(powercap, notifications_refused_where_unsupported)
{
	struct collector c;
	uint32_t dom = D_GPU;
	uint64_t before;

	open_uri("loopback://");
	collector_init(&c);
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	before = sim_requests();
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    &dom, &c.nb),
		     -EOPNOTSUPP);
	cr_assert_eq(h->notify_ops->event_notifier_register(
			     h, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, &dom, &c.nb),
		     -EOPNOTSUPP);
	dom = D_DRAM;
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    &dom, &c.nb),
		     -EOPNOTSUPP);
	dom = 6;
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    &dom, &c.nb),
		     -EINVAL);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, 0x2, NULL, &c.nb), -EINVAL);
	cr_assert_eq(sim_requests(), before, "nothing sent");
}

Test(powercap, cap_changed_all_sources)
{
	struct collector c;

	open_uri("loopback://");
	collector_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    NULL, &c.nb),
		     0);
	for (uint32_t d = 0; d < SCMI_SIM_POWERCAP_DEFAULT_DOMAINS; d++)
		cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_CAP_CHANGED, d),
			     model(d).notify_cap ? 1 : 0, "domain %u", d);
	cr_assert_eq(scmi_sim_powercap_cap_set(sim, D_LITTLE, 400000), 1);
	cr_assert_eq(scmi_sim_powercap_cap_set(sim, D_GPU, 4000), 0);
	cr_assert_eq(scmi_sim_powercap_pai_set(sim, D_SHADER, 4000), 1);
	wait_counts(&c, 2, 0);
	cr_assert_eq(c.cap[0].domain_id, D_LITTLE);
	cr_assert_eq(c.cap[1].domain_id, D_SHADER);
	cr_assert_eq(c.cap[1].pai, 4000);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(
			     h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED, NULL, &c.nb),
		     0);
	for (uint32_t d = 0; d < SCMI_SIM_POWERCAP_DEFAULT_DOMAINS; d++)
		cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_CAP_CHANGED, d), 0);
}

Test(powercap, measurement_notifications_with_thresholds)
{
	struct collector c;
	uint32_t dom = D_DRAM, lo, hi;
	unsigned int enables, disables;
	uint64_t before;

	open_uri("loopback://");
	collector_init(&c);
	/* No thresholds yet: the enable is refused without being sent. */
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	before = sim_requests();
	cr_assert_eq(h->notify_ops->event_notifier_register(
			     h, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, &dom, &c.nb),
		     -EINVAL);
	cr_assert_eq(sim_requests(), before);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, dom), 0);

	/* Thresholds first (stored, nothing sent while disabled), then listen. */
	cr_assert_eq(ops->measurements_threshold_set(h, dom, 1000, 2000), 0);
	cr_assert_eq(sim_requests(), before);
	cr_assert_eq(h->notify_ops->event_notifier_register(
			     h, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, &dom, &c.nb),
		     0);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, dom), 1);
	cr_assert_eq(model(dom).thresh_low, 1000);
	cr_assert_eq(model(dom).thresh_high, 2000);

	/* 1500 -> 2500 crosses the high threshold; 2600 stays above. */
	cr_assert_eq(test_powercap_power_set(h, dom, 2500), 1);
	wait_counts(&c, 0, 1);
	cr_assert_eq(c.meas[0].agent_id, 0);
	cr_assert_eq(c.meas[0].domain_id, dom);
	cr_assert_eq(c.meas[0].power, 2500);
	cr_assert_neq(c.meas[0].hdr.timestamp, 0);
	cr_assert_eq(test_powercap_power_set(h, dom, 2600), 0);
	cr_assert_eq(test_powercap_power_set(h, dom, 900), 1);
	wait_counts(&c, 0, 2);
	cr_assert_eq(c.meas[1].power, 900);

	/* New thresholds while enabled go out at once. */
	cr_assert_eq(ops->measurements_threshold_set(h, dom, 500, 800), 0);
	cr_assert_eq(model(dom).thresh_low, 500);
	cr_assert_eq(model(dom).thresh_high, 800);
	cr_assert_eq(ops->measurements_threshold_get(h, dom, &lo, &hi), 0);
	cr_assert_eq(lo, 500);
	cr_assert_eq(hi, 800);
	cr_assert_eq(scmi_sim_notify_requests(sim, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED,
					      dom, &enables, &disables),
		     0);
	cr_assert_eq(enables, 2);
	cr_assert_eq(disables, 0);
	cr_assert_eq(test_powercap_power_set(h, dom, 850), 0, "still above the band");
	cr_assert_eq(test_powercap_power_set(h, dom, 400), 1);
	wait_counts(&c, 0, 3);
	cr_assert_eq(c.meas[2].power, 400);

	cr_assert_eq(h->notify_ops->event_notifier_unregister(
			     h, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, &dom, &c.nb),
		     0);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, dom), 0);
	cr_assert_eq(test_powercap_power_set(h, dom, 5000), 0, "not sent when disabled");
	/* Changing thresholds while disabled sends nothing. */
	before = sim_requests();
	cr_assert_eq(ops->measurements_threshold_set(h, dom, 100, 200), 0);
	cr_assert_eq(sim_requests(), before);
	cr_assert_eq(c.n_meas, 3);
}

Test(powercap, measurement_notifications_on_monitored_soc)
{
	struct collector c;
	uint32_t dom = D_SOC;

	open_uri("loopback://");
	collector_init(&c);
	cr_assert_eq(ops->measurements_threshold_set(h, dom, 10000, 14000), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(
			     h, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, NULL, &c.nb),
		     0);
	/* All sources: only the domains with thresholds and support enable. */
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, D_SOC), 1);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, D_BIG), 0);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, D_DRAM), 0);
	cr_assert_eq(test_powercap_power_set(h, dom, 15000), 1);
	wait_counts(&c, 0, 1);
	cr_assert_eq(c.meas[0].domain_id, D_SOC);
	cr_assert_eq(c.meas[0].power, 15000);
}

Test(powercap, malformed_notifications_dropped)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.protocol = PC,
		.message = -1,
		.param = 4,
		.notifications = true,
		.count = 1,
	};
	struct scmi_event_stats st;
	struct collector c;
	uint8_t bad[16] = {0};
	uint32_t dom = D_SOC;

	open_uri("loopback://");
	collector_init(&c);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    &dom, &c.nb),
		     0);
	/* Too long (fault layer), too short, unknown domain. */
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(scmi_sim_powercap_pai_set(sim, D_SOC, 20000), 1);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED, bad, 12), 1);
	scmi_put_le32(bad + 4, 6);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED, bad, 16), 1);
	cr_assert_eq(
		scmi_sim_test_emit_raw(sim, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, bad, 16),
		1);
	/* A good one after them: when it arrives, the others were handled. */
	cr_assert_eq(scmi_sim_powercap_pai_set(sim, D_SOC, 30000), 1);
	wait_counts(&c, 1, 0);
	cr_assert_eq(c.cap[0].pai, 30000);
	cr_assert_eq(scmi_event_stats_get(h, PC, &st), 0);
	cr_assert_eq(st.dropped_malformed, 4, "dropped %llu",
		     (unsigned long long)st.dropped_malformed);
	cr_assert_eq(c.n_cap, 1);
}

/* Events naming a disabled domain are dropped; an all-sources listener
 * enables the usable domains only. */
Test(powercap, events_of_a_disabled_domain_dropped)
{
	struct scmi_event_stats st;
	struct collector c;
	uint8_t bad[16] = {0};

	open_uri("loopback://");
	collector_init(&c);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 1, D_BIG, false), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    NULL, &c.nb),
		     0);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_CAP_CHANGED, D_BIG), 0);
	cr_assert_eq(enabled(SCMI_EVENT_POWERCAP_CAP_CHANGED, D_SOC), 1);
	scmi_put_le32(bad + 4, D_BIG);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED, bad, 16), 1);
	cr_assert_eq(scmi_sim_powercap_pai_set(sim, D_SOC, 30000), 1);
	wait_counts(&c, 1, 0);
	cr_assert_eq(c.cap[0].domain_id, D_SOC);
	cr_assert_eq(scmi_event_stats_get(h, PC, &st), 0);
	cr_assert_eq(st.dropped_malformed, 1);
	cr_assert_eq(c.n_cap, 1);
}

/* ---- sanity rules and the parent tree ------------------------------------------------------ */

static void override(uint32_t dom, void (*edit)(struct scmi_sim_powercap_domain *d))
{
	struct scmi_sim_powercap_domain d = model(dom);

	edit(&d);
	cr_assert_eq(scmi_sim_powercap_domain_set(sim, dom, &d), 0);
}

static void zero_min_cap(struct scmi_sim_powercap_domain *d)
{
	d->min_cap = 0;
}

static void zero_cap_step(struct scmi_sim_powercap_domain *d)
{
	d->cap_step = 0;
}

static void single_pai(struct scmi_sim_powercap_domain *d)
{
	d->max_pai = d->min_pai;
}

static void loose_fixed_cap_reserved_unit(struct scmi_sim_powercap_domain *d)
{
	d->min_cap = 3000;
	d->unit = 3;
}

static void zero_min_pai(struct scmi_sim_powercap_domain *d)
{
	d->min_pai = 0;
}

static void unknown_parent(struct scmi_sim_powercap_domain *d)
{
	d->parent_id = 9;
}

Test(powercap, sanity_rules)
{
	struct collector c;
	uint32_t v, dom = D_GPU;
	uint64_t before;

	open_uri("loopback://");
	override(D_GPU, zero_min_cap);
	override(D_LITTLE, zero_cap_step);
	override(D_SHADER, single_pai);
	override(D_DRAM, loose_fixed_cap_reserved_unit);
	override(D_BIG, zero_min_pai);
	override(D_SOC, unknown_parent);

	/* Disabled: visible, but unusable. */
	cr_assert_not(info(D_GPU)->usable);
	cr_assert_eq(info(D_GPU)->err, -EPROTO);
	cr_assert_eq(info(D_GPU)->problems, SCMI_POWERCAP_BAD_CAP_RANGE);
	cr_assert(test_log_contains(&lg, "domain 3 disabled"), "%s", lg.text);
	collector_init(&c);
	before = sim_requests();
	cr_assert_eq(ops->cap_get(h, D_GPU, &v), -EPROTO);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), -EPROTO);
	cr_assert_eq(ops->pai_get(h, D_GPU, &v), -EPROTO);
	cr_assert_eq(ops->measurements_get(h, D_GPU, &v, NULL), -EPROTO);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PC, SCMI_EVENT_POWERCAP_CAP_CHANGED,
							    &dom, &c.nb),
		     -EPROTO);
	cr_assert_eq(sim_requests(), before, "nothing sent for a disabled domain");
	/* Its child is fine. */
	cr_assert(info(D_SHADER)->usable);
	cr_assert_eq(info(D_SHADER)->parent_id, D_GPU);

	/* Configurable with a zero step: treated as fixed. */
	cr_assert_eq(info(D_LITTLE)->problems, SCMI_POWERCAP_BAD_CAP_CONFIG);
	cr_assert_not(info(D_LITTLE)->cap_config);
	cr_assert(info(D_LITTLE)->pai_config);
	cr_assert_eq(info(D_LITTLE)->fc_mask & SCMI_POWERCAP_FC_CAP_SET, 0);
	cr_assert_eq(ops->cap_set(h, D_LITTLE, 250000, false), -EOPNOTSUPP);
	cr_assert_eq(ops->cap_get(h, D_LITTLE, &v), 0);
	cr_assert(test_log_contains(&lg, "treated as fixed"), "%s", lg.text);

	/* A configurable PAI with a single value: treated as fixed. */
	cr_assert_eq(info(D_SHADER)->problems, SCMI_POWERCAP_BAD_PAI_CONFIG);
	cr_assert_not(info(D_SHADER)->pai_config);
	cr_assert_eq(ops->pai_set(h, D_SHADER, info(D_SHADER)->min_pai), -EOPNOTSUPP);
	cr_assert_eq(ops->cap_set(h, D_SHADER, 5000, false), 0);

	/* Fixed cap with a range and a reserved unit: warned, still usable. */
	cr_assert_eq(info(D_DRAM)->problems, SCMI_POWERCAP_BAD_CAP_FIXED | SCMI_POWERCAP_BAD_UNIT);
	cr_assert(info(D_DRAM)->usable);
	cr_assert_eq(info(D_DRAM)->unit, SCMI_POWERCAP_UNIT_ABSTRACT);
	cr_assert_eq(ops->measurements_get(h, D_DRAM, &v, NULL), 0);

	/* Zero PAI bound: marked, the cap still works. */
	cr_assert_eq(info(D_BIG)->problems, SCMI_POWERCAP_BAD_PAI_RANGE);
	cr_assert(info(D_BIG)->usable);
	cr_assert_eq(ops->cap_set(h, D_BIG, 700000, false), 0);

	/* Unknown parent: a root. */
	cr_assert_eq(info(D_SOC)->problems, SCMI_POWERCAP_BAD_PARENT);
	cr_assert_eq(info(D_SOC)->parent_id, SCMI_POWERCAP_ROOT);
	cr_assert_eq(info(D_SOC)->raw_parent_id, 9);
}

static uint32_t cycle_parents[SCMI_SIM_POWERCAP_DEFAULT_DOMAINS] = {D_DRAM, D_LITTLE, D_BIG,
								    D_SOC,  D_GPU,    D_SHADER};
static uint32_t cycle_dom;

static void cycle_parent(struct scmi_sim_powercap_domain *d)
{
	d->parent_id = cycle_parents[cycle_dom];
}

Test(powercap, parent_cycles_are_cut)
{
	/* After the cut (see the header's rule): 0->4->3, 1->2, 5 alone. */
	static const uint32_t want[] = {
		D_DRAM, D_LITTLE,	   SCMI_POWERCAP_ROOT, SCMI_POWERCAP_ROOT,
		D_GPU,	SCMI_POWERCAP_ROOT};
	unsigned int n = SCMI_SIM_POWERCAP_DEFAULT_DOMAINS;

	open_uri("loopback://");
	for (cycle_dom = 0; cycle_dom < n; cycle_dom++)
		override(cycle_dom, cycle_parent);
	for (uint32_t d = 0; d < n; d++) {
		const struct scmi_powercap_info *pi = info(d);
		uint32_t x = d;
		unsigned int steps = 0;

		cr_assert_eq(pi->parent_id, want[d], "domain %u parent %u", d, pi->parent_id);
		cr_assert_eq(pi->raw_parent_id, cycle_parents[d]);
		cr_assert_eq(!!(pi->problems & SCMI_POWERCAP_BAD_PARENT),
			     want[d] == SCMI_POWERCAP_ROOT, "domain %u", d);
		while (x != SCMI_POWERCAP_ROOT && steps++ <= n)
			x = info(x)->parent_id;
		cr_assert_eq(x, SCMI_POWERCAP_ROOT, "domain %u reaches a root", d);
	}
	cr_assert_eq(info(D_LITTLE)->num_children, 1);
	cr_assert_eq(info(D_LITTLE)->children[0], D_BIG);
	cr_assert_eq(info(D_GPU)->num_children, 1);
	cr_assert_eq(info(D_GPU)->children[0], D_DRAM);
	cr_assert_eq(info(D_DRAM)->num_children, 1);
	cr_assert_eq(info(D_DRAM)->children[0], D_SOC);
	cr_assert_eq(info(D_SOC)->num_children, 0);
	cr_assert_eq(info(D_SHADER)->num_children, 0);
	cr_assert(test_log_contains(&lg, "closes a cycle"), "%s", lg.text);
}

Test(powercap, more_domains)
{
	open_uri("loopback://");
	cr_assert_eq(scmi_sim_powercap_num_domains_set(sim, SCMI_SIM_POWERCAP_MAX_DOMAINS), 0);
	check_discovery();
	cr_assert_eq(ops->cap_set(h, SCMI_SIM_POWERCAP_MAX_DOMAINS - 1, 700, false), 0);
	cr_assert_eq(model(SCMI_SIM_POWERCAP_MAX_DOMAINS - 1).cap, 700);
}

Test(powercap, no_domains)
{
	const struct scmi_powercap_info *pi;
	uint32_t v;

	open_uri("loopback://");
	cr_assert_eq(scmi_sim_powercap_num_domains_set(sim, 0), 0);
	cr_assert_eq(ops->count_get(h), 0);
	cr_assert_eq(ops->info_get(h, 0, &pi), -EINVAL);
	cr_assert_eq(ops->cap_get(h, 0, &v), -EINVAL);
	/* Nothing to listen to: no events registered for the protocol. */
	cr_assert_eq(scmi_event_stats_get(h, PC, &(struct scmi_event_stats){0}), -ENOENT);
}

/* ---- threads ------------------------------------------------------------------------------ */

struct worker {
	uint32_t dom;
	uint32_t last;
	int err;
};

static void *cap_worker(void *arg)
{
	struct worker *w = arg;
	const struct scmi_powercap_info *pi;

	if (ops->info_get(h, w->dom, &pi))
		return NULL;
	for (uint32_t i = 0; i < 40 && !w->err; i++) {
		uint32_t cap = pi->min_power_cap + (i % 5) * pi->power_cap_step, got;

		w->err = ops->cap_set(h, w->dom, cap, i % 2);
		if (!w->err)
			w->err = ops->cap_get(h, w->dom, &got);
		if (!w->err && got != cap)
			w->err = -EBADMSG;
		w->last = cap;
	}
	return NULL;
}

Test(powercap, concurrent_callers)
{
	struct worker w[4] = {{.dom = D_SOC}, {.dom = D_LITTLE}, {.dom = D_GPU}, {.dom = D_SHADER}};
	pthread_t t[4];

	/* Four callers share one channel on shmem: under load one may wait
	 * for it longer than the usual timeout. */
	open_no_fc("loopback://?timeout_ms=10000");
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, cap_worker, &w[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(w[i].err, 0, "domain %u: %d", w[i].dom, w[i].err);
		cr_assert_eq(model(w[i].dom).cap, w[i].last);
	}
}

/* ---- non-blocking forms (SCMI_ASYNC) ------------------------------------------------------ */

/* The request of every test below. */
static struct test_req rq;

Test(powercap, nonblocking_ops_equal_blocking)
{
	const struct scmi_powercap_info *pi = NULL, *pi2 = NULL;
	uint32_t v = 0, w = 0, p1 = 0, p2 = 0, a1 = 0, a2 = 0, lo = 0, hi = 0, dom = D_DRAM;
	uint64_t before, sets;
	struct scmi_stats a, b;
	unsigned int enables, disables;
	struct collector c;
	bool on = true, on2 = true;

	open_no_fc("loopback://");
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS); /* bring-up */

	/* Answered from discovery: completed all the same. */
	before = sim_requests();
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->count_get(h)), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->info_get(h, D_GPU, &pi)), 0);
	cr_assert_eq(ops->info_get(h, D_GPU, &pi2), 0);
	cr_assert_eq(pi, pi2);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->measurements_threshold_get(h, D_SOC, &lo, &hi)), 0);
	cr_assert_eq(lo, 0);
	cr_assert_eq(sim_requests(), before, "nothing sent");

	/* Reads. */
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_get(h, D_GPU, &v)), 0);
	cr_assert_eq(ops->cap_get(h, D_GPU, &w), 0);
	cr_assert_eq(v, w);
	cr_assert_eq(v, model(D_GPU).cap);
	v = w = 0;
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->pai_get(h, D_GPU, &v)), 0);
	cr_assert_eq(ops->pai_get(h, D_GPU, &w), 0);
	cr_assert_eq(v, w);
	cr_assert_eq(v, model(D_GPU).pai);
	cr_assert_eq(test_powercap_power_set(h, D_GPU, 4321), 0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->measurements_get(h, D_GPU, &p1, &a1)), 0);
	cr_assert_eq(ops->measurements_get(h, D_GPU, &p2, &a2), 0);
	cr_assert_eq(p1, 4321);
	cr_assert_eq(p1, p2);
	cr_assert_eq(a1, a2);
	p1 = 0;
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->measurements_get(h, D_GPU, &p1, NULL)), 0);
	cr_assert_eq(p1, 4321);

	/* CAP_SET in its three forms: synchronous, completed by the delayed
	 * response, asynchronous without one. */
	sets = model(D_LITTLE).msg_cap_sets;
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_set(h, D_LITTLE, 250000, false)), 0);
	cr_assert_eq(model(D_LITTLE).cap, 250000);
	cr_assert_eq(model(D_LITTLE).msg_cap_sets, sets + 1);
	scmi_stats_get(h, &a);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_set(h, D_GPU, 5000, false)), 0);
	scmi_stats_get(h, &b);
	cr_assert_eq(b.delayed_responses, a.delayed_responses + 1, "completed by it");
	cr_assert_eq(model(D_GPU).cap, 5000);
	cr_assert_eq(model(D_GPU).async_cap_sets, 1);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_set(h, D_GPU, 7250, true)), 0);
	cr_assert_eq(model(D_GPU).cap, 7250);
	cr_assert_eq(model(D_GPU).ignored_dresps, 1);
	scmi_stats_get(h, &a);
	cr_assert_eq(a.delayed_responses, b.delayed_responses);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->pai_set(h, D_GPU, 4000)), 0);
	cr_assert_eq(model(D_GPU).pai, 4000);

	/* Capping off and on again (2.0), with the last cap known. */
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_enable_set(h, D_LITTLE, false)), 0);
	cr_assert_eq(model(D_LITTLE).cap, 0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_enable_get(h, D_LITTLE, &on)), 0);
	cr_assert_not(on);
	cr_assert_eq(ops->cap_enable_get(h, D_LITTLE, &on2), 0);
	cr_assert_eq(on, on2);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_enable_set(h, D_LITTLE, true)), 0);
	cr_assert_eq(model(D_LITTLE).cap, 250000, "the last cap restored");
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_enable_get(h, D_LITTLE, &on)), 0);
	cr_assert(on);
	/* No cap known, capping off at the platform: CAP_GET then CAP_SET
	 * (async, delayed response) on one request. */
	cr_assert_eq(scmi_sim_powercap_cap_set(sim, D_SHADER, 0), 0);
	before = sim_requests();
	scmi_stats_get(h, &a);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_enable_set(h, D_SHADER, true)), 0);
	cr_assert_eq(sim_requests() - before, 2, "CAP_GET, CAP_SET");
	cr_assert_eq(model(D_SHADER).cap, model(D_SHADER).max_cap);
	scmi_stats_get(h, &b);
	cr_assert_eq(b.delayed_responses, a.delayed_responses + 1);
	/* No cap known, capping on at the platform: CAP_GET only. */
	sets = model(D_BIG).msg_cap_sets;
	before = sim_requests();
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_enable_set(h, D_BIG, true)), 0);
	cr_assert_eq(sim_requests() - before, 1);
	cr_assert_eq(model(D_BIG).msg_cap_sets, sets);

	/* Thresholds: stored while the notification is off (nothing sent),
	 * sent at once while it is on. */
	collector_init(&c);
	before = sim_requests();
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->measurements_threshold_set(h, dom, 1000, 2000)), 0);
	cr_assert_eq(sim_requests(), before);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->measurements_threshold_get(h, dom, &lo, &hi)), 0);
	cr_assert_eq(lo, 1000);
	cr_assert_eq(hi, 2000);
	cr_assert_eq(h->notify_ops->event_notifier_register(
			     h, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, &dom, &c.nb),
		     0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->measurements_threshold_set(h, dom, 500, 800)), 0);
	cr_assert_eq(model(dom).thresh_low, 500);
	cr_assert_eq(model(dom).thresh_high, 800);
	cr_assert_eq(ops->measurements_threshold_get(h, dom, &lo, &hi), 0);
	cr_assert_eq(lo, 500);
	cr_assert_eq(hi, 800);
	cr_assert_eq(scmi_sim_notify_requests(sim, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED,
					      dom, &enables, &disables),
		     0);
	cr_assert_eq(enables, 2);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(
			     h, PC, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, &dom, &c.nb),
		     0);

	/* Refused locally: not submitted, no callback, nothing sent. */
	before = sim_requests();
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->cap_set(h, D_GPU, 999, false)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->cap_set(h, D_DRAM, 4000, false)), -EOPNOTSUPP);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->cap_get(h, 6, &v)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->pai_set(h, D_GPU, 3000)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->measurements_get(h, D_SHADER, &v, NULL)),
		     -EOPNOTSUPP);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->measurements_threshold_set(h, D_SOC, 0, 0)),
		     -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &rq, ops->cap_enable_get(h, 0, NULL)), -EINVAL);
	cr_assert_eq(sim_requests(), before);
	test_req_at_most_once(&rq);
}

Test(powercap, nonblocking_errors_equal_blocking)
{
	struct scmi_config cfg;
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_BAD_LENGTH,
		.protocol = PC,
		.message = PC_CAP_GET,
		.param = -4,
	};
	struct scmi_stats st;
	uint32_t v;
	bool on;

	test_log_init(&lg);
	cfg = test_config(&lg);
	cfg.dresp_timeout_ms = 100;
	h = test_open("loopback://?versions=base:2.0", &cfg);
	ops = h->powercap_ops;
	/* gpu: async CAP_SET, no fastchannels. */
	cr_assert_eq(ops->cap_get(h, D_GPU, &v), 0);

	/* A platform error status: the errno the blocking op returns. */
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, D_GPU, PC, false), 0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_set(h, D_GPU, 5000, false)), -EACCES);
	cr_assert_eq(ops->cap_set(h, D_GPU, 5000, false), -EACCES);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_get(h, D_GPU, &v)), -EACCES);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_enable_get(h, D_GPU, &on)), -EACCES);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->pai_set(h, D_GPU, 4000)), -EACCES);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->measurements_get(h, D_GPU, &v, NULL)), -EACCES);
	cr_assert_eq(model(D_GPU).cap, 15000, "unchanged");
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, D_GPU, PC, true), 0);

	/* A delayed response for another domain. */
	cr_assert_eq(scmi_sim_powercap_dresp_fault_set(sim, SCMI_SIM_POWERCAP_DRESP_WRONG_DOMAIN),
		     0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_set(h, D_GPU, 5000, false)), -EPROTO);
	cr_assert(test_log_contains(&lg, "delayed response for domain 4"), "%s", lg.text);
	cr_assert_eq(scmi_sim_powercap_dresp_fault_set(sim, SCMI_SIM_POWERCAP_DRESP_OK), 0);

	/* A malformed reply. */
	cr_assert_eq(test_fault_add(h, &f), 0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_get(h, D_GPU, &v)), -EPROTO);
	test_fault_clear(h);

	/* No delayed response in time. */
	cr_assert_eq(scmi_sim_powercap_async_delay_set(sim, 1000000), 0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_set(h, D_GPU, 5000, false)), -ETIMEDOUT);
	scmi_stats_get(h, &st);
	cr_assert_eq(st.dresp_timeouts, 1);
	test_req_at_most_once(&rq);
}

Test(powercap, nonblocking_fastchannels_complete_without_messages)
{
	struct scmi_sim_powercap_domain m;
	struct fc_wait w;
	uint64_t before;
	uint32_t v = 0;

	test_need_window();
	open_uri("loopback://");
	cr_assert_eq(ops->count_get(h), SCMI_SIM_POWERCAP_DEFAULT_DOMAINS);
	m = model(D_SOC);
	w = (struct fc_wait){D_SOC, 10000, 20000, m.fc_cap_sets + 1, m.fc_pai_sets + 1};
	before = sim_requests();
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_set(h, D_SOC, 10000, false)), 0);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->pai_set(h, D_SOC, 20000)), 0);
	cr_assert(test_wait_until(fc_applied, &w, 5000), "fastchannel writes applied");
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->cap_get(h, D_SOC, &v)), 0);
	cr_assert_eq(v, 10000);
	cr_assert_eq(TEST_ASYNC(h, &rq, ops->pai_get(h, D_SOC, &v)), 0);
	cr_assert_eq(v, 20000);
	cr_assert_eq(sim_requests(), before, "no message sent");
	test_req_at_most_once(&rq);
}

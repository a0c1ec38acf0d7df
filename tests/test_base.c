// SPDX-License-Identifier: BSD-3-Clause
/* Base protocol: discovery equals the simulator's model; every command. */
#include <errno.h>
#include <stdio.h>

#include "common.h"
#include "helpers.h"

#include "../sim/sim-internal.h"

/* Everything scmi_open() discovered equals what the simulator models. */
static void check_discovery(struct scmi_handle *h)
{
	struct scmi_sim *sim = scmi_loopback_sim(h);
	const struct scmi_revision_info *rev = h->version;
	struct scmi_sim_base_info bi;
	uint8_t ids[256];
	uint32_t ver;
	int n;

	cr_assert_eq(scmi_sim_base_info_get(sim, &bi), 0);
	cr_assert_str_eq(rev->vendor_id, bi.vendor);
	cr_assert_str_eq(rev->sub_vendor_id, bi.sub_vendor);
	cr_assert_eq(rev->impl_ver, bi.impl_version);
	cr_assert_eq(rev->num_agents, bi.num_agents);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, 0x10, &ver), 0);
	cr_assert_eq(rev->major_ver, ver >> 16);
	cr_assert_eq(rev->minor_ver, ver & 0xffff);

	n = scmi_sim_protocols_list(sim, ids, sizeof(ids));
	cr_assert_eq(rev->num_protocols, n);
	for (int i = 0; i < n; i++) {
		cr_assert_eq(rev->protocols[i].id, ids[i], "protocol %d", i);
		cr_assert_eq(scmi_sim_protocol_version_get(sim, ids[i], &ver), 0);
		cr_assert_eq(rev->protocols[i].version, ver, "protocol 0x%x version", ids[i]);
	}

	for (uint32_t a = 0; a <= bi.num_agents; a++) {
		struct scmi_base_agent_info info;
		char name[SCMI_SIM_NAME_MAX];

		cr_assert_eq(h->base_ops->discover_agent(h, a, &info), 0, "agent %u", a);
		cr_assert_eq(scmi_sim_base_agent_name(sim, a, name), 0);
		cr_assert_eq(info.id, a);
		cr_assert_str_eq(info.name, name);
	}
}

Test(base, discovery_newest)
{
	struct scmi_handle *h = test_open("loopback://", NULL);
	struct scmi_base_agent_info self;
	struct scmi_sim_base_info bi;
	char name[SCMI_SIM_NAME_MAX];

	check_discovery(h);
	cr_assert_eq(h->version->major_ver, 2);
	cr_assert_eq(h->version->minor_ver, 1);
	cr_assert_not_null(h->base_ops);
	cr_assert_not_null(h->notify_ops);
	scmi_sim_base_info_get(scmi_loopback_sim(h), &bi);
	cr_assert_eq(h->base_ops->discover_agent(h, SCMI_BASE_AGENT_SELF, &self), 0);
	cr_assert_eq(self.id, bi.agent_id);
	scmi_sim_base_agent_name(scmi_loopback_sim(h), bi.agent_id, name);
	cr_assert_str_eq(self.name, name);
	scmi_close(h);
}

Test(base, discovery_scmi2)
{
	struct scmi_handle *h = test_open("loopback://?profile=scmi-2.0", NULL);

	check_discovery(h);
	cr_assert_eq(h->version->major_ver, 2);
	cr_assert_eq(h->version->minor_ver, 0);
	scmi_close(h);
}

Test(base, discovery_base_v1_layout)
{
	struct scmi_handle *h = test_open("loopback://?versions=base:1.0", NULL);
	struct scmi_base_agent_info self;

	check_discovery(h);
	cr_assert_eq(h->version->major_ver, 1);
	cr_assert_eq(h->base_ops->discover_agent(h, SCMI_BASE_AGENT_SELF, &self), -EOPNOTSUPP,
		     "Base 1.0 has no SELF");
	scmi_close(h);
}

/* BASE_SET_*_PERMISSIONS and BASE_RESET_AGENT_CONFIGURATION came with Base
 * 2.0: on 1.0 they are refused locally, not sent for a NOT_FOUND that would
 * read as "unknown agent or device". */
Test(base, permission_commands_need_base_v2)
{
	struct scmi_handle *h = test_open("loopback://?versions=base:1.0", NULL);
	struct scmi_sim_stats a, b;

	scmi_sim_stats_get(scmi_loopback_sim(h), &a);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 1, 0, true), -EOPNOTSUPP);
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, 0, 0x11, true), -EOPNOTSUPP);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 1, true), -EOPNOTSUPP);
	scmi_sim_stats_get(scmi_loopback_sim(h), &b);
	cr_assert_eq(a.requests, b.requests, "nothing was sent");
	scmi_close(h);
}

Test(base, protocol_list_multipart)
{
	/* 40 vendor protocols, at most 3 ids per reply: 14 replies. */
	char uri[1024] = "loopback://?max_list_items=3&versions=";
	struct scmi_handle *h;
	struct scmi_sim_stats st;

	for (int i = 0; i < 40; i++)
		snprintf(uri + strlen(uri), sizeof(uri) - strlen(uri), "%s0x%x:1.%d", i ? "," : "",
			 0x90 + i, i);
	h = test_open(uri, NULL);
	check_discovery(h);
	cr_assert_geq(h->version->num_protocols, 40);
	/* A vendor protocol libscmi does not implement: listed, no ops. */
	for (unsigned int i = 0; i < h->version->num_protocols; i++)
		if (h->version->protocols[i].id >= 0x80)
			cr_assert_not(h->version->protocols[i].supported);
	/* The list came in pages of 3: at least 14 list requests. */
	scmi_sim_stats_get(scmi_loopback_sim(h), &st);
	cr_assert_geq(st.requests, 14 + 40 + 5);
	scmi_close(h);
}

Test(base, negotiation_with_newer_platform)
{
	struct test_log lg;
	struct scmi_config cfg;
	struct scmi_handle *h;
	struct scmi_base_agent_info self;

	test_log_init(&lg);
	cfg = test_config(&lg);
	/* Same major, newer minor: the platform accepts our 2.1. */
	h = test_open("loopback://?versions=base:2.7", &cfg);
	cr_assert_eq(h->version->minor_ver, 7, "version block shows the platform's");
	cr_assert(test_log_contains(&lg, "negotiated version 0x20001"), "%s", lg.text);
	cr_assert_eq(h->base_ops->discover_agent(h, SCMI_BASE_AGENT_SELF, &self), 0);
	scmi_close(h);
}

Test(base, negotiation_refused)
{
	struct test_log lg;
	struct scmi_config cfg;
	struct scmi_handle *h;

	test_log_init(&lg);
	cfg = test_config(&lg);
	/* A new major: the platform refuses; we go on with a warning. */
	h = test_open("loopback://?versions=base:3.0", &cfg);
	cr_assert(test_log_contains(&lg, "compatibility not assured"), "%s", lg.text);
	check_discovery(h);
	scmi_close(h);
}

Test(base, agent_ids_validated_locally)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim_stats a, b;
	struct scmi_base_agent_info info;
	unsigned int n = h->version->num_agents;

	scmi_sim_stats_get(scmi_loopback_sim(h), &a);
	cr_assert_eq(h->base_ops->discover_agent(h, n + 1, &info), -EINVAL);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 0, 0, true), -EINVAL);
	cr_assert_eq(h->base_ops->set_device_permissions(h, n + 1, 0, true), -EINVAL);
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, 0, 0x10, true), -EINVAL);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, n + 1, true), -EINVAL);
	cr_assert_eq(h->base_ops->discover_agent(h, 0, NULL), -EINVAL);
	scmi_sim_stats_get(scmi_loopback_sim(h), &b);
	cr_assert_eq(a.requests, b.requests, "nothing was sent");
	scmi_close(h);
}

Test(base, permissions)
{
	struct scmi_handle *h = test_open("loopback://?versions=0x90:1.0", NULL);
	struct scmi_sim *sim = scmi_loopback_sim(h);
	int ndev = scmi_sim_base_num_devices(sim);
	bool allowed;

	cr_assert_gt(ndev, 1);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 2, 1, false), 0);
	cr_assert_eq(scmi_sim_base_permission_get(sim, 2, 1, 0, &allowed), 0);
	cr_assert_not(allowed);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 2, 1, true), 0);
	cr_assert_eq(scmi_sim_base_permission_get(sim, 2, 1, 0, &allowed), 0);
	cr_assert(allowed);

	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 3, 0, 0x90, false), 0);
	cr_assert_eq(scmi_sim_base_permission_get(sim, 3, 0, 0x90, &allowed), 0);
	cr_assert_not(allowed);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 3, true), 0);
	cr_assert_eq(scmi_sim_base_permission_get(sim, 3, 0, 0x90, &allowed), 0);
	cr_assert(allowed, "reset with permissions restores access");

	/* Platform errors map to errnos; the raw status stays available. */
	cr_assert_eq(h->base_ops->set_device_permissions(h, 2, (uint32_t)ndev, true), -EINVAL);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_INVALID_PARAMETERS, "unknown device, as SCP");
	scmi_sim_base_trusted_set(sim, false);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 2, 0, true), -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 2, false), -EACCES);
	scmi_close(h);
}

Test(base, generic_commands)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	uint8_t rx[16], tx[4] = {0};
	uint32_t attrs;
	size_t len;

	cr_assert_eq(scmi_protocol_message_attributes(h, 0x10, 0x7, &attrs), 0);
	cr_assert_eq(scmi_protocol_message_attributes(h, 0x10, 0x55, &attrs), -ENOENT);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_FOUND);
	/* PROTOCOL_VERSION through the raw interface. */
	cr_assert_eq(scmi_raw_command(h, 0x10, 0x0, NULL, 0, rx, sizeof(rx), &len), 0);
	cr_assert_eq(len, 4);
	cr_assert_eq(rx[2] | rx[3] << 8, 2);
	/* Wrong request size: the platform answers PROTOCOL_ERROR. */
	cr_assert_eq(scmi_raw_command(h, 0x10, 0x0, tx, sizeof(tx), rx, sizeof(rx), &len), -EPROTO);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_PROTOCOL_ERROR);
	/* A protocol the platform does not implement. */
	cr_assert_eq(scmi_raw_command(h, 0x30, 0x0, NULL, 0, rx, sizeof(rx), &len), -EOPNOTSUPP);
	/* Too large for the transport: refused locally, and no platform
	 * status left over from the failed command before. */
	cr_assert_eq(scmi_last_status(), SCMI_ERR_NOT_SUPPORTED);
	cr_assert_eq(scmi_raw_command(h, 0x10, 0x0, rx, 4096, NULL, 0, NULL), -EMSGSIZE);
	cr_assert_eq(scmi_last_status(), INT32_MIN);
	cr_assert_eq(scmi_raw_command(NULL, 0x10, 0x0, NULL, 0, NULL, 0, NULL), -EINVAL);
	scmi_close(h);
}

Test(base, errors_and_names)
{
	cr_assert_eq(scmi_status_to_errno(SCMI_ERR_NOT_FOUND), -ENOENT);
	cr_assert_eq(scmi_status_to_errno(SCMI_ERR_HARDWARE_ERROR), -EREMOTEIO);
	cr_assert_eq(scmi_status_to_errno(-11), -EIO, "unknown statuses are GENERIC_ERROR");
	cr_assert_eq(scmi_status_to_errno(SCMI_SUCCESS), 0);
	cr_assert_str_eq(scmi_status_name(SCMI_ERR_BUSY), "BUSY");
	cr_assert_str_eq(scmi_status_name(-42), "UNKNOWN");
	cr_assert(strstr(scmi_strerror(-EACCES), "DENIED"));
	cr_assert(strstr(scmi_strerror(-ETIMEDOUT), "Timed out"));
	cr_assert_str_eq(scmi_protocol_name(0x13), "perf");
	cr_assert_str_eq(scmi_protocol_name(0x85), "vendor");
	cr_assert_str_eq(scmi_protocol_name(0x05), "unknown");
}

/* A Base model whose DISCOVER_AGENT describes agent (asked + 1), or agent 0
 * when asked for SELF. */
static void rogue_discover_agent(struct sim_ctx *ctx)
{
	uint32_t id = sim_req_u32(ctx, 0);

	sim_reply_u32(ctx, id == 0xffffffffu ? 0 : id + 1);
	sim_reply_name(ctx, "someone-else");
}

static const struct sim_cmd rogue_cmds[] = {
	{0x7, 0, 4, rogue_discover_agent},
};

static const uint32_t rogue_versions[] = {SIM_VERSION(2, 0), 0};

static const struct sim_proto_ops rogue_ops = {
	.id = 0x10,
	.name = "rogue-base",
	.versions = rogue_versions,
	.cmds = rogue_cmds,
	.num_cmds = SIM_ARRAY_SIZE(rogue_cmds),
};

/* The agent id in a DISCOVER_AGENT reply is platform data like any other:
 * a reply about another agent is malformed, not reported as the one asked
 * for. */
Test(base, discover_agent_reply_checked)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_sim *sim = scmi_loopback_sim(h);
	struct scmi_base_agent_info info = {.id = 77};

	sim_model_unregister(sim, 0x10);
	cr_assert_eq(sim_model_register(sim, &rogue_ops, SIM_VERSION(2, 0)), 0);
	cr_assert_eq(h->base_ops->discover_agent(h, 1, &info), -EPROTO);
	cr_assert_eq(h->base_ops->discover_agent(h, SCMI_BASE_AGENT_SELF, &info), -EPROTO);
	cr_assert_eq(info.id, 77, "nothing reported");
	scmi_close(h);
}

/* Spec §5: a name field is NUL-terminated when shorter; a full field has no
 * NUL and keeps field - 1 characters. */
Test(base, name_fields)
{
	char out[64];

	scmi_copy_name(out, sizeof(out), "0123456789abcdef", 16);
	cr_assert_str_eq(out, "0123456789abcde");
	scmi_copy_name(out, sizeof(out), "short\0garbage!!", 16);
	cr_assert_str_eq(out, "short");
	scmi_copy_name(out, 4, "0123456789abcdef", 16);
	cr_assert_str_eq(out, "012", "bounded by the destination too");
	scmi_copy_name(out, sizeof(out), "", 0);
	cr_assert_str_eq(out, "");
}

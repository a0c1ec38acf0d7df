// SPDX-License-Identifier: BSD-3-Clause
/* Base protocol: discovery equals the simulator's model; every command. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "helpers.h"

#include "../sim/sim-internal.h"

/* Everything scmi_open() discovered equals what the simulator models. */
static void check_discovery(struct scmi_handle *h)
{
	struct scmi_sim *sim = test_model(h);
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
	scmi_sim_base_info_get(test_sim(h), &bi);
	cr_assert_eq(h->base_ops->discover_agent(h, SCMI_BASE_AGENT_SELF, &self), 0);
	cr_assert_eq(self.id, bi.agent_id);
	scmi_sim_base_agent_name(test_sim(h), bi.agent_id, name);
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

	scmi_sim_stats_get(test_sim(h), &a);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 1, 0, true), -EOPNOTSUPP);
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, 0, 0x11, true), -EOPNOTSUPP);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, 1, true), -EOPNOTSUPP);
	scmi_sim_stats_get(test_sim(h), &b);
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
	scmi_sim_stats_get(test_sim(h), &st);
	cr_assert_geq(st.requests, 14 + 40 + 5);
	scmi_close(h);
}

Test(base, negotiation_with_newer_platform)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
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
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
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

	scmi_sim_stats_get(test_sim(h), &a);
	cr_assert_eq(h->base_ops->discover_agent(h, n + 1, &info), -EINVAL);
	cr_assert_eq(h->base_ops->set_device_permissions(h, 0, 0, true), -EINVAL);
	cr_assert_eq(h->base_ops->set_device_permissions(h, n + 1, 0, true), -EINVAL);
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 1, 0, 0x10, true), -EINVAL);
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, 0, 0, 0x11, true), -EINVAL);
	cr_assert_eq(h->base_ops->set_protocol_permissions(h, n + 1, 0, 0x11, true), -EINVAL);
	cr_assert_eq(h->base_ops->reset_agent_configuration(h, n + 1, true), -EINVAL);
	cr_assert_eq(h->base_ops->discover_agent(h, 0, NULL), -EINVAL);
	scmi_sim_stats_get(test_sim(h), &b);
	cr_assert_eq(a.requests, b.requests, "nothing was sent");
	/* The last agent is one: asked. */
	cr_assert_eq(h->base_ops->discover_agent(h, n, &info), 0);
	cr_assert_eq(info.id, n);
	scmi_close(h);
}

Test(base, permissions)
{
	struct scmi_handle *h = test_open("loopback://?versions=0x90:1.0", NULL);
	struct scmi_sim *sim = test_sim(h);
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
	struct scmi_sim *sim = test_sim(h);
	struct scmi_base_agent_info info = {.id = 77};

	test_model_swap(sim, &rogue_ops, SIM_VERSION(2, 0));
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

/* ---- a platform whose protocol list is shorter than its count ------------- */

/*
 * "tfa://": a transport over a simulator built before scmi_open() (so that
 * its Base model can be replaced before discovery), called synchronously
 * from send_message() and polled, as the "direct" transport of
 * test_handle.c.
 */
struct tfa {
	struct scmi_sim *sim;
	pthread_mutex_t lock;
	uint8_t resp[1024][4 + 4 + 128];
	size_t resp_len[1024];
	bool ready[1024];
};

static struct scmi_sim *tfa_next_sim; /* handed to the next open() */

static void tfa_emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		     uint64_t delay_us)
{
	struct tfa *t = priv;
	uint32_t hdr;

	(void)delay_us;
	if (chan != SCMI_SIM_CHAN_A2P || len < 4 || len > sizeof(t->resp[0]))
		return;
	hdr = scmi_get_le32(msg);
	memcpy(t->resp[scmi_hdr_token(hdr)], msg, len);
	t->resp_len[scmi_hdr_token(hdr)] = len;
	t->ready[scmi_hdr_token(hdr)] = true;
}

static int tfa_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		    struct scmi_transport_info *info, void **priv)
{
	struct tfa *t = calloc(1, sizeof(*t));

	(void)chan;
	(void)uri;
	(void)info;
	if (!t)
		return -ENOMEM;
	t->sim = tfa_next_sim;
	pthread_mutex_init(&t->lock, NULL);
	scmi_sim_set_emit(t->sim, tfa_emit, t);
	*priv = t;
	return 0;
}

static void tfa_close(void *priv)
{
	struct tfa *t = priv;

	scmi_sim_free(t->sim);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static int tfa_send(void *priv, struct scmi_transport_xfer *x)
{
	struct tfa *t = priv;
	uint8_t sdu[4 + 128];
	int len = scmi_msg_pack_command(x, sdu, sizeof(sdu));

	if (len < 0)
		return len;
	pthread_mutex_lock(&t->lock);
	t->ready[scmi_hdr_token(x->hdr)] = false;
	scmi_sim_process(t->sim, sdu, (size_t)len);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

static bool tfa_poll_done(void *priv, struct scmi_transport_xfer *x)
{
	struct tfa *t = priv;
	bool ready;

	pthread_mutex_lock(&t->lock);
	ready = t->ready[scmi_hdr_token(x->hdr)];
	pthread_mutex_unlock(&t->lock);
	return ready;
}

static int tfa_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *x)
{
	struct tfa *t = priv;
	uint16_t tok = scmi_hdr_token(x->hdr);
	int ret;

	(void)msg;
	pthread_mutex_lock(&t->lock);
	ret = scmi_msg_fetch_response(t->resp[tok], t->resp_len[tok], x);
	pthread_mutex_unlock(&t->lock);
	return ret;
}

static int tfa_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	return -EPROTO;
}

static const struct scmi_transport_ops tfa_ops = {
	.open = tfa_open,
	.close = tfa_close,
	.send_message = tfa_send,
	.fetch_response = tfa_fetch_response,
	.fetch_notification = tfa_fetch_notification,
	.poll_done = tfa_poll_done,
};

static const struct scmi_transport_desc tfa_desc = {
	.scheme = "tfa",
	.ops = &tfa_ops,
	.defaults = {.max_msg = 8,
		     .max_msg_size = 128,
		     .timeout_ms = 1000,
		     .caps = SCMI_TRANSPORT_P2A | SCMI_TRANSPORT_POLLING},
};

/* How the rogue Base model lists its protocols. */
enum tfa_list_mode {
	TFA_EMPTY_PAGE,	 /* past the agent's list: 0 ids (TF-A) */
	TFA_ERROR_PAGE,	 /* past the agent's list: INVALID_PARAMETERS */
	TFA_BAD_PAGE,	 /* the second page claims 200 ids */
	TFA_SHORT_PAGE,	 /* the second page is 2 bytes long */
	TFA_BAD_FIRST,	 /* the first page claims more ids than it carries */
	TFA_REFUSE_LIST, /* DISCOVER_LIST_PROTOCOLS: DENIED */
	TFA_TOO_MANY,	 /* exactly as many as counted, then one more id */
};

static enum tfa_list_mode tfa_mode;
#define TFA_EXTRA 3 /* protocols counted but not listed */

static void tfa_attributes(struct sim_ctx *ctx)
{
	size_t n = sim_protocols_listed(ctx->sim, NULL, 0);

	if (tfa_mode != TFA_TOO_MANY)
		n += TFA_EXTRA;
	sim_reply_u32(ctx, (uint32_t)(n & 0xffu) | 3u << 8);
}

static void tfa_list_protocols(struct sim_ctx *ctx)
{
	uint8_t ids[256], *p;
	uint32_t skip = sim_req_u32(ctx, 0);
	size_t total = sim_protocols_listed(ctx->sim, ids, sizeof(ids)), n;

	if (tfa_mode == TFA_REFUSE_LIST) {
		sim_reply_error(ctx, SIM_DENIED);
		return;
	}
	if (tfa_mode == TFA_TOO_MANY && skip == 0) {
		/* One page with every id and one more than counted. */
		ids[total] = 0x80;
		sim_reply_u32(ctx, (uint32_t)total + 1);
		p = sim_reply_put(ctx, (total + 4) & ~(size_t)3);
		memcpy(p, ids, total + 1);
		return;
	}
	if (skip >= total && tfa_mode == TFA_ERROR_PAGE) {
		sim_reply_error(ctx, SIM_INVALID_PARAMETERS);
		return;
	}
	n = skip < total ? total - skip : 0;
	if (n > 4)
		n = 4; /* several pages */
	if ((tfa_mode == TFA_BAD_PAGE && skip) || (tfa_mode == TFA_BAD_FIRST && !skip)) {
		sim_reply_u32(ctx, tfa_mode == TFA_BAD_PAGE ? 200 : (uint32_t)n + 8);
		p = sim_reply_put(ctx, (n + 3) & ~(size_t)3);
		memcpy(p, ids + skip, n);
		return;
	}
	if (tfa_mode == TFA_SHORT_PAGE && skip) {
		sim_reply_put(ctx, 2);
		return;
	}
	sim_reply_u32(ctx, (uint32_t)n);
	p = sim_reply_put(ctx, (n + 3) & ~(size_t)3);
	if (p && n)
		memcpy(p, ids + skip, n);
}

static struct sim_cmd tfa_cmds[16];
static struct sim_proto_ops tfa_base_ops;

/* The simulator's Base model, but with the protocol count and list above. */
static void tfa_model_init(void)
{
	cr_assert_leq(sim_base_ops.num_cmds, SIM_ARRAY_SIZE(tfa_cmds));
	memcpy(tfa_cmds, sim_base_ops.cmds, sim_base_ops.num_cmds * sizeof(tfa_cmds[0]));
	for (size_t i = 0; i < sim_base_ops.num_cmds; i++)
		if (tfa_cmds[i].id == 0x6)
			tfa_cmds[i].handle = tfa_list_protocols;
	tfa_base_ops = sim_base_ops;
	tfa_base_ops.name = "tfa-base";
	tfa_base_ops.cmds = tfa_cmds;
	tfa_base_ops.attributes = tfa_attributes;
}

/* scmi_open() of a platform listing protocols as @mode says; the ids it
 * lists go to @ids (their count is returned through @n). */
static int tfa_open_handle(enum tfa_list_mode mode, struct test_log *lg, struct scmi_handle **h,
			   uint8_t *ids, int *n)
{
	struct scmi_config cfg;
	struct scmi_sim *sim;
	uint32_t ver;

	tfa_mode = mode;
	tfa_model_init();
	cr_assert_eq(scmi_sim_new(NULL, &sim), 0);
	cr_assert_eq(scmi_sim_protocol_version_get(sim, 0x10, &ver), 0);
	test_model_swap(sim, &tfa_base_ops, ver);
	*n = scmi_sim_protocols_list(sim, ids, 256);
	cr_assert_gt(*n, 4, "the default platform lists several pages of protocols");
	tfa_next_sim = sim;
	cr_assert_eq(scmi_transport_register(&tfa_desc), 0);
	test_log_init(lg);
	cfg = test_config(lg);
	return scmi_open("tfa://", &cfg, h);
}

static void tfa_close_handle(struct scmi_handle *h)
{
	scmi_close(h);
	cr_assert_eq(scmi_transport_unregister("tfa"), 0);
}

/* The handle uses exactly the first @n ids the platform listed. */
static void expect_listed(struct scmi_handle *h, const uint8_t *ids, unsigned int n)
{
	cr_assert_eq(h->version->num_protocols, n);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_eq(h->version->protocols[i].id, ids[i], "protocol %u", i);
}

/* TF-A counts the platform's protocols in PROTOCOL_ATTRIBUTES but lists
 * only the agent's: the page after them is empty.  The handle opens with
 * the protocols listed, usable, and one warning. */
Test(base, protocol_list_shorter_than_count)
{
	static const enum tfa_list_mode modes[] = {TFA_EMPTY_PAGE, TFA_ERROR_PAGE};

	for (size_t m = 0; m < SIM_ARRAY_SIZE(modes); m++) {
		struct scmi_handle *h = NULL;
		static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
		uint8_t ids[256];
		int n;

		cr_assert_eq(tfa_open_handle(modes[m], &lg, &h, ids, &n), 0, "mode %d", modes[m]);
		expect_listed(h, ids, (unsigned int)n);
		cr_assert(test_log_contains(&lg, "protocols announced"), "%s", lg.text);
		cr_assert_not_null(h->clock_ops, "a listed protocol is usable");
		cr_assert_gt(h->clock_ops->count_get(h), 0);
		tfa_close_handle(h);
	}
}

/* A malformed or refused page ends the list: the ids of the pages before it
 * are used (none when the first page is bad); the handle opens. */
Test(base, protocol_list_bad_page_ends_it)
{
	static const struct {
		enum tfa_list_mode mode;
		unsigned int listed; /* ids kept: the first page's 4, or none */
		const char *log;
	} cases[] = {
		{TFA_BAD_PAGE, 4, "bad protocol list reply (200 ids"},
		{TFA_SHORT_PAGE, 4, "bad protocol list reply (0 ids, 2 bytes) at 4"},
		{TFA_BAD_FIRST, 0, "bad protocol list reply (12 ids, 8 bytes) at 0"},
		{TFA_REFUSE_LIST, 0, "(ended by Permission denied (SCMI status DENIED))"},
	};

	for (size_t c = 0; c < SIM_ARRAY_SIZE(cases); c++) {
		struct scmi_handle *h = NULL;
		static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
		uint8_t ids[256];
		int n;

		cr_assert_eq(tfa_open_handle(cases[c].mode, &lg, &h, ids, &n), 0, "case %zu", c);
		expect_listed(h, ids, cases[c].listed);
		cr_assert(test_log_contains(&lg, cases[c].log), "case %zu: %s", c, lg.text);
		cr_assert(test_log_contains(&lg, "protocols announced"), "%s", lg.text);
		if (!cases[c].listed)
			cr_assert_null(h->clock_ops, "nothing listed, nothing usable");
		cr_assert_eq(h->base_ops->discover_agent(h, 1, &(struct scmi_base_agent_info){0}),
			     0, "Base works");
		tfa_close_handle(h);
	}
}

/* More ids than PROTOCOL_ATTRIBUTES counted: the page cannot be trusted
 * (as in Linux), nothing from it is used. */
Test(base, protocol_list_longer_than_count)
{
	struct scmi_handle *h = NULL;
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	uint8_t ids[256];
	int n;

	cr_assert_eq(tfa_open_handle(TFA_TOO_MANY, &lg, &h, ids, &n), 0);
	expect_listed(h, ids, 0);
	cr_assert(test_log_contains(&lg, "bad protocol list reply"), "%s", lg.text);
	tfa_close_handle(h);
}

/* ---- non-blocking calls (SCMI_ASYNC) ------------------------------------------ */

/* Every op, blocking and under SCMI_ASYNC(): the same results and outputs,
 * the same effect on the platform. */
Test(base, every_op_non_blocking)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	const struct scmi_base_ops *ops = h->base_ops;
	unsigned int n = h->version->num_agents;
	struct scmi_base_agent_info i1, i2;
	const uint32_t agents[] = {SCMI_BASE_AGENT_PLATFORM, 1, n, SCMI_BASE_AGENT_SELF};
	struct test_req a = {0};
	uint64_t before;

	cr_assert_geq(n, 3);
	for (size_t i = 0; i < sizeof(agents) / sizeof(agents[0]); i++) {
		memset(&i1, 0x55, sizeof(i1));
		memset(&i2, 0xaa, sizeof(i2));
		cr_assert_eq(ops->discover_agent(h, agents[i], &i1), 0);
		cr_assert_eq(TEST_ASYNC(h, &a, ops->discover_agent(h, agents[i], &i2)), 0);
		cr_assert_eq(i1.id, i2.id, "agent 0x%x", agents[i]);
		cr_assert_str_eq(i1.name, i2.name, "agent 0x%x", agents[i]);
	}

	/* Each permission command reaches the platform and takes effect. */
	cr_assert_eq(TEST_ASYNC(h, &a, ops->set_device_permissions(h, 2, 1, false)), 0);
	if (test_has_sim()) {
		bool allowed = true;

		cr_assert_eq(scmi_sim_base_permission_get(test_sim(h), 2, 1, 0, &allowed), 0);
		cr_assert_not(allowed);
	}
	cr_assert_eq(TEST_ASYNC(h, &a, ops->set_device_permissions(h, 2, 1, true)), 0);
	cr_assert_eq(ops->set_device_permissions(h, 2, 1, true), 0);
	cr_assert_eq(TEST_ASYNC(h, &a,
				ops->set_protocol_permissions(h, 3, 0, SCMI_PROTOCOL_POWER, false)),
		     0);
	if (test_has_sim()) {
		bool allowed = true;

		cr_assert_eq(scmi_sim_base_permission_get(test_sim(h), 3, 0, SCMI_PROTOCOL_POWER,
							  &allowed),
			     0);
		cr_assert_not(allowed);
	}
	cr_assert_eq(TEST_ASYNC(h, &a, ops->reset_agent_configuration(h, 3, true)), 0);
	if (test_has_sim()) {
		bool allowed = false;

		cr_assert_eq(scmi_sim_base_permission_get(test_sim(h), 3, 0, SCMI_PROTOCOL_POWER,
							  &allowed),
			     0);
		cr_assert(allowed, "reset with permissions restores access");
	}
	cr_assert_eq(ops->reset_agent_configuration(h, 3, false), 0);

	/* A platform error: the same errno, through the callback. */
	cr_assert_eq(ops->set_device_permissions(h, 2, 0xffff, true), -EINVAL);
	cr_assert_eq(TEST_ASYNC(h, &a, ops->set_device_permissions(h, 2, 0xffff, true)), -EINVAL,
		     "INVALID_PARAMETERS from the platform");
	cr_assert_eq(
		TEST_ASYNC(h, &a,
			   ops->set_protocol_permissions(h, 2, 0xffff, SCMI_PROTOCOL_POWER, true)),
		ops->set_protocol_permissions(h, 2, 0xffff, SCMI_PROTOCOL_POWER, true));

	/* Refused locally: the blocking op's errno, nothing sent, no callback. */
	before = test_requests(h);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, ops->discover_agent(h, n + 1, &i2)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, ops->discover_agent(h, 0, NULL)), -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, ops->set_device_permissions(h, 0, 0, true)),
		     -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, ops->set_protocol_permissions(h, 1, 0, 0x10, true)),
		     -EINVAL);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, ops->reset_agent_configuration(h, n + 1, true)),
		     -EINVAL);
	cr_assert_eq(test_requests(h), before, "nothing was sent");
	cr_assert_eq(atomic_load(&a.calls), 0);
	scmi_close(h);
	cr_assert_eq(atomic_load(&a.calls), 0, "no callback after close either");
}

/* Base 1.0: DISCOVER_AGENT's older layout, and the commands it lacks,
 * refused the same way under SCMI_ASYNC(). */
Test(base, non_blocking_base_v1)
{
	struct scmi_handle *h = test_open("loopback://?versions=base:1.0", NULL);
	struct scmi_base_agent_info i1, i2;
	struct test_req a = {0};

	cr_assert_eq(h->base_ops->discover_agent(h, 1, &i1), 0);
	memset(&i2, 0, sizeof(i2));
	cr_assert_eq(TEST_ASYNC(h, &a, h->base_ops->discover_agent(h, 1, &i2)), 0);
	cr_assert_eq(i2.id, 1);
	cr_assert_str_eq(i1.name, i2.name);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a,
					h->base_ops->discover_agent(h, SCMI_BASE_AGENT_SELF, &i2)),
		     -EOPNOTSUPP);
	cr_assert_eq(TEST_ASYNC_REFUSED(h, &a, h->base_ops->set_device_permissions(h, 1, 0, true)),
		     -EOPNOTSUPP);
	scmi_close(h);
	cr_assert_eq(atomic_load(&a.calls), 0);
}

/* A malformed DISCOVER_AGENT reply is -EPROTO through the callback, and
 * nothing is reported. */
Test(base, non_blocking_discover_agent_reply_checked)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_base_agent_info info = {.id = 77};
	struct test_req a = {0};

	test_need_sim();
	test_model_swap(test_sim(h), &rogue_ops, SIM_VERSION(2, 0));
	cr_assert_eq(TEST_ASYNC(h, &a, h->base_ops->discover_agent(h, 1, &info)), -EPROTO);
	cr_assert_eq(TEST_ASYNC(h, &a, h->base_ops->discover_agent(h, SCMI_BASE_AGENT_SELF, &info)),
		     -EPROTO);
	cr_assert_eq(info.id, 77, "nothing reported");
	scmi_close(h);
}

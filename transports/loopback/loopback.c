// SPDX-License-Identifier: BSD-3-Clause
/*
 * loopback:// - the platform is the simulator in sim/, running on its own
 * thread (a scmi_sim_runner).  Requests are copied into the runner's queue;
 * the runner thread delivers the simulator's output straight into
 * scmi_rx_callback(), so that thread is this handle's RX thread.
 *
 * With polling=1 responses are not reported: they are parked per token and
 * callers find them through poll_done(), like on a shared-memory channel
 * without a completion interrupt.  A parking slot is owned by one side at a
 * time (state below), as a channel is: a reply arriving while the slot
 * holds one not yet read (a duplicate) is dropped, never written over a
 * reply that a caller may be copying.
 *
 * test_protocols=ID:SOURCES[,ID:SOURCES...] adds the simulator's test
 * protocol (scmi-sim/sim.h) under each vendor id before the agent's discovery,
 * so that the platform lists it.
 *
 * This file is part of libscmi-sim, not of libscmi: a program gets
 * loopback:// by linking libscmi-sim, whose constructor registers it with
 * libscmi's transport registry (scmi_sim_loopback_register()).
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scmi-sim/loopback.h>
#include <scmi-sim/vendor_example.h>
#include <scmi/transport.h>

#define LB_DEFAULT_MAX_MSG    64
#define LB_DEFAULT_MSG_SIZE   128
#define LB_DEFAULT_TIMEOUT_MS 1000
#define LB_MAX_MSG_SIZE	      4096
#define LB_MIN_MSG_SIZE	      68   /* the simulator's floor: a 64-byte name reply */
#define LB_SUBMIT_RETRIES     1000 /* x 100 us */

/* A message from the simulator, as handed to scmi_rx_callback(). */
struct lb_msg {
	const uint8_t *buf;
	size_t len;
};

/* A parked response for polling mode. */
enum lb_slot_state {
	LB_SLOT_FREE,	 /* the simulator may park a reply */
	LB_SLOT_WRITING, /* the simulator is writing one */
	LB_SLOT_READY,	 /* a reply waits for its caller */
	LB_SLOT_READING, /* the caller is copying it */
};

struct lb_poll_slot {
	atomic_int state;
	size_t len;
	uint8_t *buf;
};

struct lb_priv {
	struct scmi_chan *chan;
	struct scmi_sim *sim;
	struct scmi_sim_runner *runner;
	size_t max_msg_size;
	bool polling;
	struct lb_poll_slot *slots; /* SCMI_MAX_TOKENS of them when polling */
	uint8_t *slot_bufs;
};

static uint32_t lb_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool lb_slot_move(struct lb_poll_slot *s, int from, int to)
{
	return atomic_compare_exchange_strong_explicit(&s->state, &from, to, memory_order_acq_rel,
						       memory_order_acquire);
}

static void lb_park_response(struct lb_priv *lb, uint32_t hdr, const void *msg, size_t len)
{
	struct lb_poll_slot *s = &lb->slots[scmi_hdr_token(hdr)];

	if (!lb_slot_move(s, LB_SLOT_FREE, LB_SLOT_WRITING)) {
		scmi_chan_log(lb->chan, SCMI_LOG_DEBUG,
			      "loopback: token %u: reply dropped, the previous one is unread",
			      scmi_hdr_token(hdr));
		return;
	}
	if (len > 8 + lb->max_msg_size)
		len = 8 + lb->max_msg_size; /* the "shared area" has no more room */
	memcpy(s->buf, msg, len);
	s->len = len;
	atomic_store_explicit(&s->state, LB_SLOT_READY, memory_order_release);
}

/* A new command for the slot's token: forget a stale reply parked there. */
static void lb_slot_reset(struct lb_poll_slot *s)
{
	for (;;) {
		int st = atomic_load_explicit(&s->state, memory_order_acquire);

		if (st == LB_SLOT_FREE ||
		    (st == LB_SLOT_READY && lb_slot_move(s, st, LB_SLOT_FREE)))
			return;
		sched_yield(); /* the simulator is writing: a short copy */
	}
}

/* Runner thread: one message from the simulator. */
static void lb_deliver(void *priv, enum scmi_sim_chan ch, const void *msg, size_t len)
{
	struct lb_priv *lb = priv;
	struct lb_msg m = {msg, len};
	uint32_t hdr;

	(void)ch;
	if (len < 4) {
		scmi_chan_log(lb->chan, SCMI_LOG_WARN, "loopback: dropped %zu-byte message", len);
		return;
	}
	hdr = lb_get_le32(msg);
	if (lb->polling && scmi_hdr_type(hdr) == SCMI_MSG_TYPE_COMMAND) {
		lb_park_response(lb, hdr, msg, len);
		return;
	}
	scmi_rx_callback(lb->chan, hdr, &m);
}

/* versions= and test_protocols= go to the simulator's own parsers
 * (scmi_sim_versions_apply(), scmi_sim_test_protocols_apply()). */
static int lb_apply_text(struct lb_priv *lb,
			 int (*apply)(struct scmi_sim *, const char *, char *, size_t),
			 const char *list)
{
	char err[256] = "";
	int ret = apply(lb->sim, list, err, sizeof(err));

	if (ret)
		scmi_chan_log(lb->chan, SCMI_LOG_ERR, "loopback: %s", err);
	return ret == -ENOMEM ? ret : (ret ? -EINVAL : 0);
}

/* vendor=, sub_vendor=, impl_ver=: the identity the Base model reports
 * (what libscmi's quirks are keyed on). */
static int lb_apply_identity(struct lb_priv *lb, const struct scmi_uri *uri)
{
	const char *vendor = scmi_uri_param(uri, "vendor");
	const char *sub_vendor = scmi_uri_param(uri, "sub_vendor");
	struct scmi_sim_base_info info;
	uint64_t v;
	int ret;

	ret = scmi_uri_param_u64(uri, "impl_ver", 0, UINT32_MAX, &v);
	if (ret < 0)
		return ret;
	if (!ret && !vendor && !sub_vendor)
		return 0;
	if (scmi_sim_base_info_get(lb->sim, &info))
		return -EINVAL;
	if (scmi_sim_base_identity_set(lb->sim, vendor, sub_vendor,
				       ret ? (uint32_t)v : info.impl_version)) {
		scmi_chan_log(lb->chan, SCMI_LOG_ERR,
			      "loopback: vendor= and sub_vendor= take at most 16 characters");
		return -EINVAL;
	}
	return 0;
}

static const char *const lb_own_params[] = {
	"profile",	  "versions", "max_msg",     "max_msg_size",   "timeout_ms",
	"max_list_items", "polling",  "activity_ms", "test_protocols", "vendor",
	"sub_vendor",	  "impl_ver", "vendor_example", NULL,
};

static bool lb_is_own_param(const char *key)
{
	for (size_t i = 0; lb_own_params[i]; i++)
		if (!strcmp(key, lb_own_params[i]))
			return true;
	return false;
}

/* Every other parameter is a simulator fault knob. */
static int lb_apply_faults(struct lb_priv *lb, const struct scmi_uri *uri)
{
	for (size_t i = 0; i < scmi_uri_num_params(uri); i++) {
		const char *key, *value;

		scmi_uri_param_at(uri, i, &key, &value);
		if (lb_is_own_param(key))
			continue;
		if (scmi_sim_fault_parse(lb->sim, key, value)) {
			scmi_chan_log(lb->chan, SCMI_LOG_ERR,
				      "unknown or malformed parameter '%s=%s' for loopback://", key,
				      value);
			return -EINVAL;
		}
	}
	return 0;
}

static int lb_alloc_slots(struct lb_priv *lb)
{
	size_t slot_size = 8 + lb->max_msg_size;

	lb->slots = calloc(SCMI_MAX_TOKENS, sizeof(*lb->slots));
	lb->slot_bufs = calloc(SCMI_MAX_TOKENS, slot_size);
	if (!lb->slots || !lb->slot_bufs)
		return -ENOMEM;
	for (size_t i = 0; i < SCMI_MAX_TOKENS; i++) {
		atomic_init(&lb->slots[i].state, LB_SLOT_FREE);
		lb->slots[i].buf = lb->slot_bufs + i * slot_size;
	}
	return 0;
}

static void lb_free(struct lb_priv *lb)
{
	scmi_sim_free(lb->sim);
	free(lb->slots);
	free(lb->slot_bufs);
	free(lb);
}

static int lb_parse(struct lb_priv *lb, const struct scmi_uri *uri,
		    struct scmi_transport_info *info, struct scmi_sim_config *scfg)
{
	uint64_t v;
	int ret;

	if (*scmi_uri_path(uri)) {
		scmi_chan_log(lb->chan, SCMI_LOG_ERR, "loopback:// takes no path (got '%s')",
			      scmi_uri_path(uri));
		return -EINVAL;
	}
	scfg->profile = scmi_uri_param(uri, "profile");
	if ((ret = scmi_uri_param_u64(uri, "max_msg", 1, SCMI_MAX_TOKENS, &v)) < 0)
		return ret;
	info->max_msg = ret ? (unsigned int)v : LB_DEFAULT_MAX_MSG;
	if ((ret = scmi_uri_param_u64(uri, "max_msg_size", LB_MIN_MSG_SIZE, LB_MAX_MSG_SIZE, &v)) <
	    0)
		return ret;
	info->max_msg_size = ret ? (size_t)v : LB_DEFAULT_MSG_SIZE;
	if ((ret = scmi_uri_param_u64(uri, "timeout_ms", 1, 3600000, &v)) < 0)
		return ret;
	info->timeout_ms = ret ? (unsigned int)v : LB_DEFAULT_TIMEOUT_MS;
	if ((ret = scmi_uri_param_u64(uri, "max_list_items", 1, 1024, &v)) < 0)
		return ret;
	scfg->max_list_items = ret ? (unsigned int)v : 0;
	if ((ret = scmi_uri_param_u64(uri, "polling", 0, 1, &v)) < 0)
		return ret;
	lb->polling = ret && v;
	/* Delayed responses and notifications always come by callback. */
	info->caps = SCMI_TRANSPORT_P2A | (lb->polling ? SCMI_TRANSPORT_POLLING : 0);
	scfg->max_msg_size = info->max_msg_size;
	lb->max_msg_size = info->max_msg_size;
	return 0;
}

static int lb_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		   struct scmi_transport_info *info, void **priv)
{
	struct scmi_sim_config scfg = {0};
	uint64_t activity_ms = 0, vendor_example = 0;
	const char *versions, *tests;
	struct lb_priv *lb;
	int ret;

	lb = calloc(1, sizeof(*lb));
	if (!lb)
		return -ENOMEM;
	lb->chan = chan;
	ret = lb_parse(lb, uri, info, &scfg);
	if (ret)
		goto fail;
	ret = scmi_sim_new(&scfg, &lb->sim);
	if (ret) {
		scmi_chan_log(chan, SCMI_LOG_ERR, "loopback: simulator: %s%s%s", strerror(-ret),
			      scfg.profile ? ", profile " : "", scfg.profile ? scfg.profile : "");
		ret = ret == -ENOMEM ? ret : -EINVAL;
		goto fail;
	}
	versions = scmi_uri_param(uri, "versions");
	if (versions && (ret = lb_apply_text(lb, scmi_sim_versions_apply, versions)))
		goto fail;
	tests = scmi_uri_param(uri, "test_protocols");
	if (tests && (ret = lb_apply_text(lb, scmi_sim_test_protocols_apply, tests)))
		goto fail;
	if ((ret = lb_apply_identity(lb, uri)))
		goto fail;
	/* vendor_example=1: the example vendor protocol (docs/VENDOR.md). */
	ret = scmi_uri_param_u64(uri, "vendor_example", 0, 1, &vendor_example);
	if (ret > 0 && vendor_example)
		ret = scmi_sim_vendor_example_add(lb->sim, SCMI_SIM_VENDOR_EXAMPLE_ID);
	if (ret < 0)
		goto fail;
	if ((ret = lb_apply_faults(lb, uri)))
		goto fail;
	if (lb->polling && (ret = lb_alloc_slots(lb)))
		goto fail;
	ret = scmi_sim_runner_start(lb->sim, 2 * info->max_msg + 16, lb_deliver, lb, &lb->runner);
	if (ret)
		goto fail;
	ret = scmi_uri_param_u64(uri, "activity_ms", 0, 3600000, &activity_ms);
	if (ret > 0)
		ret = scmi_sim_runner_activity(lb->runner, (unsigned int)activity_ms);
	if (ret < 0) {
		scmi_sim_runner_stop(lb->runner);
		goto fail;
	}
	*priv = lb;
	return 0;
fail:
	lb_free(lb);
	return ret;
}

static void lb_close(void *priv)
{
	struct lb_priv *lb = priv;

	/* After this no more deliveries: nothing calls scmi_rx_callback(). */
	scmi_sim_runner_stop(lb->runner);
	lb->runner = NULL;
}

static void lb_release(void *priv)
{
	lb_free(priv);
}

static int lb_send_message(void *priv, struct scmi_transport_xfer *xfer)
{
	struct lb_priv *lb = priv;
	uint8_t sdu[4 + LB_MAX_MSG_SIZE];
	int len, ret;

	len = scmi_msg_pack_command(xfer, sdu, 4 + lb->max_msg_size);
	if (len < 0)
		return len;
	if (lb->polling)
		lb_slot_reset(&lb->slots[scmi_hdr_token(xfer->hdr)]);
	/* The queue has room for every xfer and as many abandoned requests;
	 * if the simulator still lags that far behind, wait a little. */
	for (int i = 0; i < LB_SUBMIT_RETRIES; i++) {
		ret = scmi_sim_runner_submit(lb->runner, sdu, (size_t)len);
		if (ret != -EAGAIN)
			return ret;
		nanosleep(&(struct timespec){0, 100000L}, NULL);
	}
	return -EBUSY;
}

static int lb_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *xfer)
{
	struct lb_priv *lb = priv;
	const struct lb_msg *m = msg;

	if (!m) {
		struct lb_poll_slot *s = &lb->slots[scmi_hdr_token(xfer->hdr)];
		int ret;

		/* poll_done() saw it READY; only this caller takes it. */
		if (!lb_slot_move(s, LB_SLOT_READY, LB_SLOT_READING))
			return -EPROTO;
		ret = scmi_msg_fetch_response(s->buf, s->len, xfer);
		atomic_store_explicit(&s->state, LB_SLOT_FREE, memory_order_release);
		return ret;
	}
	return scmi_msg_fetch_response(m->buf, m->len, xfer);
}

static int lb_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	const struct lb_msg *m = msg;

	return scmi_msg_fetch_notification(m->buf, m->len, buf, size, len);
}

static bool lb_poll_done(void *priv, struct scmi_transport_xfer *xfer)
{
	struct lb_priv *lb = priv;
	struct lb_poll_slot *s = &lb->slots[scmi_hdr_token(xfer->hdr)];

	if (atomic_load_explicit(&s->state, memory_order_acquire) != LB_SLOT_READY)
		return false;
	/* Like a shared-memory channel: the header must be ours. */
	if (s->len < 4 || lb_get_le32(s->buf) != xfer->hdr) {
		lb_slot_move(s, LB_SLOT_READY, LB_SLOT_FREE);
		return false;
	}
	return true;
}

/* Fastchannels live in the simulator's shared memory, in this process. */
static void *lb_map_memory(void *priv, uint64_t addr, size_t size)
{
	struct lb_priv *lb = priv;

	return scmi_sim_memory_map(lb->sim, addr, size);
}

static int lb_describe(void *priv, scmi_describe_fn emit, void *arg)
{
	struct lb_priv *lb = priv;

	emit(arg, "loopback", "platform", "in-process simulator");
	emit(arg, "loopback", "completion", lb->polling ? "polling" : "callback");
	scmi_describef(emit, arg, "loopback", "max_msg_size", "%zu", lb->max_msg_size);
	return 0;
}

static const struct scmi_transport_ops lb_ops = {
	.open = lb_open,
	.describe = lb_describe,
	.close = lb_close,
	.release = lb_release,
	.send_message = lb_send_message,
	.fetch_response = lb_fetch_response,
	.fetch_notification = lb_fetch_notification,
	.poll_done = lb_poll_done,
	.map_memory = lb_map_memory,
};

static const struct scmi_transport_desc scmi_loopback_transport = {
	.scheme = "loopback",
	.ops = &lb_ops,
	.defaults =
		{
			.max_msg = LB_DEFAULT_MAX_MSG,
			.max_msg_size = LB_DEFAULT_MSG_SIZE,
			.timeout_ms = LB_DEFAULT_TIMEOUT_MS,
			.caps = SCMI_TRANSPORT_P2A,
		},
};

struct scmi_sim *scmi_loopback_sim(const struct scmi_handle *h)
{
	struct lb_priv *lb = scmi_handle_transport_priv(h, &scmi_loopback_transport);

	return lb ? lb->sim : NULL;
}

struct scmi_sim_runner *scmi_loopback_runner(const struct scmi_handle *h)
{
	struct lb_priv *lb = scmi_handle_transport_priv(h, &scmi_loopback_transport);

	return lb ? lb->runner : NULL;
}

int scmi_sim_loopback_register(void)
{
	int ret = scmi_transport_register(&scmi_loopback_transport);

	return ret == -EEXIST ? 0 : ret;
}

/* Loading libscmi-sim (or linking this object) makes loopback:// known.
 * libscmi is initialised first: libscmi-sim depends on it. */
__attribute__((constructor)) static void lb_register_at_load(void)
{
	int ret = scmi_sim_loopback_register();

	if (ret)
		fprintf(stderr, "libscmi-sim: cannot register loopback://: %s\n", strerror(-ret));
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * The transport plug-in contract (include/scmi/transport.h): capabilities,
 * the timeout handed to the transport, separate size limits, mark_txdone(),
 * channel errors, completes-on-return transports and per-protocol channels.
 *
 * "tt://" is a transport of this file over the simulator's byte-level
 * entry point, on the sending thread (like script://).  Each test sets its
 * descriptor's capabilities and behaviour before registering it (Criterion
 * runs each test in a process of its own) and reads what the core asked of
 * it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <scmi-sim/loopback.h>

#include "common.h"
#include "helpers.h"
#include "protocols.h"

#define TT_SIM_SIZE 128	 /* the simulator's largest response data */
#define TT_SDU_MAX  1100 /* header + status + data, with room */

struct tt_msg {
	const uint8_t *buf;
	size_t len;
};

/* What the transport does with the simulator's replies. */
enum tt_a2p_mode {
	TT_A2P_CALLBACK, /* scmi_rx_callback() before send_message() returns */
	TT_A2P_PARK,	 /* kept for fetch_response(NULL) (completes on return) */
	TT_A2P_HOLD,	 /* kept until the test delivers it (or never) */
	TT_A2P_RX_ERROR, /* dropped; scmi_rx_error(hdr, -ECOMM) instead */
	TT_A2P_DROP,	 /* lost */
};

static struct {
	pthread_mutex_t lock;
	struct scmi_chan *chan;
	struct scmi_sim *sim;
	enum tt_a2p_mode a2p;
	bool hold_p2a;	       /* keep delayed responses for the test */
	int send_err;	       /* send_message() fails with this */
	int fetch_err;	       /* fetch_response() fails with this */
	uint32_t caps_at_open; /* open() reports these caps (~0u: defaults) */

	/* A parked or held A2P reply, and a held P2A message. */
	uint8_t a2p_buf[TT_SDU_MAX];
	size_t a2p_len;
	bool a2p_ready;
	uint8_t p2a_buf[TT_SDU_MAX];
	size_t p2a_len;
	bool p2a_ready;

	/* What the core did. */
	unsigned int sends, txdones, fetches, fetches_null, clears, p2a_emitted;
	int txdone_ret[1024];
	bool txdone_before_dresp; /* mark_txdone() ran while a dresp was held */
	unsigned int last_timeout_ms, last_chan;
	size_t last_tx_len, last_rx_size, notif_size;
	uint8_t last_tx[TT_SDU_MAX];
	pthread_t send_thread, fetch_thread;
} tt = {.lock = PTHREAD_MUTEX_INITIALIZER, .caps_at_open = ~0u};

static uint32_t tt_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void tt_deliver(const uint8_t *buf, size_t len)
{
	struct tt_msg m = {buf, len};

	scmi_rx_callback(tt.chan, tt_le32(buf), &m);
}

/* The simulator's output, on the sending thread. */
static void tt_emit(void *priv, enum scmi_sim_chan ch, const void *msg, size_t len,
		    uint64_t delay_us)
{
	(void)priv;
	(void)delay_us;
	cr_assert(len >= 4 && len <= TT_SDU_MAX);
	if (ch == SCMI_SIM_CHAN_P2A) {
		tt.p2a_emitted++;
		if (tt.hold_p2a) {
			memcpy(tt.p2a_buf, msg, len);
			tt.p2a_len = len;
			tt.p2a_ready = true;
		} else {
			tt_deliver(msg, len);
		}
		return;
	}
	switch (tt.a2p) {
	case TT_A2P_CALLBACK:
		tt_deliver(msg, len);
		break;
	case TT_A2P_PARK:
	case TT_A2P_HOLD:
		pthread_mutex_lock(&tt.lock);
		memcpy(tt.a2p_buf, msg, len);
		tt.a2p_len = len;
		tt.a2p_ready = true;
		pthread_mutex_unlock(&tt.lock);
		break;
	case TT_A2P_RX_ERROR:
		scmi_rx_error(tt.chan, tt_le32(msg), -ECOMM);
		break;
	case TT_A2P_DROP:
		break;
	}
}

static int tt_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		   struct scmi_transport_info *info, void **priv)
{
	struct scmi_sim_config cfg = {.max_msg_size = TT_SIM_SIZE};
	int ret;

	(void)uri;
	ret = scmi_sim_new(&cfg, &tt.sim);
	if (ret)
		return ret;
	scmi_sim_set_emit(tt.sim, tt_emit, NULL);
	tt.chan = chan;
	if (tt.caps_at_open != ~0u)
		info->caps = tt.caps_at_open;
	*priv = &tt;
	return 0;
}

static void tt_close(void *priv)
{
	(void)priv;
}

static void tt_release(void *priv)
{
	(void)priv;
	scmi_sim_free(tt.sim);
	tt.sim = NULL;
}

static int tt_send(void *priv, struct scmi_transport_xfer *x)
{
	uint8_t sdu[TT_SDU_MAX];
	int len;

	(void)priv;
	__atomic_store_n(&tt.sends, tt.sends + 1, __ATOMIC_RELEASE);
	tt.send_thread = pthread_self();
	tt.last_timeout_ms = x->timeout_ms;
	tt.last_chan = x->chan;
	tt.last_tx_len = x->tx_len;
	tt.last_rx_size = x->rx_size;
	memcpy(tt.last_tx, x->tx, x->tx_len);
	if (tt.send_err)
		return tt.send_err;
	len = scmi_msg_pack_command(x, sdu, sizeof(sdu));
	if (len < 0)
		return len;
	scmi_sim_process(tt.sim, sdu, (size_t)len);
	return 0;
}

static void tt_txdone(void *priv, struct scmi_transport_xfer *x, int ret)
{
	(void)priv;
	(void)x;
	cr_assert(pthread_equal(tt.send_thread, pthread_self()), "mark_txdone off the sender");
	if (tt.txdones < ARRAY_SIZE(tt.txdone_ret))
		tt.txdone_ret[tt.txdones] = ret;
	if (tt.p2a_ready)
		tt.txdone_before_dresp = true;
	/* Release: the test thread reads what came before. */
	__atomic_store_n(&tt.txdones, tt.txdones + 1, __ATOMIC_RELEASE);
}

static int tt_fetch(void *priv, void *msg, struct scmi_transport_xfer *x)
{
	const struct tt_msg *m = msg;
	int ret;

	(void)priv;
	tt.fetches++;
	tt.fetch_thread = pthread_self();
	if (tt.fetch_err)
		return tt.fetch_err;
	if (m)
		return scmi_msg_fetch_response(m->buf, m->len, x);
	tt.fetches_null++;
	pthread_mutex_lock(&tt.lock);
	if (!tt.a2p_ready || tt_le32(tt.a2p_buf) != x->hdr) {
		pthread_mutex_unlock(&tt.lock);
		return -EIO; /* nothing in the channel for it */
	}
	ret = scmi_msg_fetch_response(tt.a2p_buf, tt.a2p_len, x);
	tt.a2p_ready = false;
	pthread_mutex_unlock(&tt.lock);
	return ret;
}

static int tt_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	const struct tt_msg *m = msg;

	(void)priv;
	tt.notif_size = size;
	return scmi_msg_fetch_notification(m->buf, m->len, buf, size, len);
}

static void tt_clear(void *priv, void *msg)
{
	(void)priv;
	(void)msg;
	tt.clears++;
}

static bool tt_poll_done(void *priv, struct scmi_transport_xfer *x)
{
	bool ready;

	(void)priv;
	pthread_mutex_lock(&tt.lock);
	ready = tt.a2p_ready && tt_le32(tt.a2p_buf) == x->hdr;
	pthread_mutex_unlock(&tt.lock);
	return ready;
}

/* Clock commands on channel 1, everything else on channel 0. */
static unsigned int tt_channel_of(void *priv, uint8_t protocol_id)
{
	(void)priv;
	return protocol_id == SCMI_PROTOCOL_CLOCK ? 1 : 0;
}

static struct scmi_transport_ops tt_ops = {
	.open = tt_open,
	.close = tt_close,
	.release = tt_release,
	.send_message = tt_send,
	.mark_txdone = tt_txdone,
	.fetch_response = tt_fetch,
	.fetch_notification = tt_fetch_notification,
	.clear_channel = tt_clear,
};

static struct scmi_transport_desc tt_desc = {
	.scheme = "tt",
	.ops = &tt_ops,
	.defaults = {.max_msg = 8,
		     .max_msg_size = TT_SIM_SIZE,
		     .timeout_ms = 1000,
		     .caps = SCMI_TRANSPORT_P2A},
};

static struct test_log tt_log; /* outlives the handle: close logs */

/* Register tt:// with @caps and open a handle on it. */
static struct scmi_handle *tt_open_caps(uint32_t caps, const struct scmi_config *cfg)
{
	struct scmi_config c;
	struct scmi_handle *h;
	int ret;

	tt_desc.defaults.caps = caps;
	cr_assert_eq(scmi_transport_register(&tt_desc), 0);
	if (!cfg)
		test_log_init(&tt_log);
	c = cfg ? *cfg : test_config(&tt_log);
	ret = scmi_open("tt://", &c, &h);
	cr_assert_eq(ret, 0, "scmi_open: %d\n%s", ret, tt_log.text);
	return h;
}

static struct scmi_stats stats_of(struct scmi_handle *h)
{
	struct scmi_stats st;

	cr_assert_eq(scmi_stats_get(h, &st), 0);
	return st;
}

/* ---- registration and open ------------------------------------------------ */

Test(transport, descriptor_checks)
{
	struct scmi_transport_desc d = tt_desc;
	struct scmi_transport_ops ops = tt_ops;

	d.ops = &ops;
	/* A P2A channel needs fetch_notification; without it, optional. */
	ops.fetch_notification = NULL;
	d.defaults.caps = SCMI_TRANSPORT_P2A;
	cr_assert_eq(scmi_transport_register(&d), -EINVAL);
	d.defaults.caps = 0;
	d.scheme = "tt-no-p2a";
	cr_assert_eq(scmi_transport_register(&d), 0);
	cr_assert_eq(scmi_transport_unregister("tt-no-p2a"), 0);
	ops = tt_ops;

	d.defaults.caps = SCMI_TRANSPORT_POLLING; /* no poll_done */
	cr_assert_eq(scmi_transport_register(&d), -EINVAL);
	ops.poll_done = tt_poll_done;
	d.defaults.caps = SCMI_TRANSPORT_POLLING | SCMI_TRANSPORT_COMPLETES_ON_RETURN;
	cr_assert_eq(scmi_transport_register(&d), -EINVAL);
	d.defaults.caps = SCMI_TRANSPORT_PER_PROTOCOL; /* no channel_of */
	cr_assert_eq(scmi_transport_register(&d), -EINVAL);
	d.defaults.caps = SCMI_TRANSPORT_CAPS_ALL + 1;
	cr_assert_eq(scmi_transport_register(&d), -EINVAL);

	d.defaults.caps = SCMI_TRANSPORT_P2A;
	d.defaults.max_msg_per_chan = d.defaults.max_msg + 1;
	cr_assert_eq(scmi_transport_register(&d), -EINVAL);
	d.defaults.max_msg_per_chan = 0;
	d.defaults.max_tx_size = 4;
	cr_assert_eq(scmi_transport_register(&d), -EINVAL);
	d.defaults.max_tx_size = 0;
	d.defaults.max_notif_size = 65537;
	cr_assert_eq(scmi_transport_register(&d), -EINVAL);
	d.defaults.max_notif_size = 0;
	d.defaults.max_rx_size = 8;
	cr_assert_eq(scmi_transport_register(&d), 0);
	cr_assert_eq(scmi_transport_unregister("tt-no-p2a"), 0);
}

/* Capabilities open() reports are checked like the descriptor's. */
Test(transport, open_checks_caps)
{
	struct scmi_config cfg;
	struct scmi_handle *h;

	tt_ops.fetch_notification = NULL;
	tt_desc.defaults.caps = 0;
	cr_assert_eq(scmi_transport_register(&tt_desc), 0);
	test_log_init(&tt_log);
	cfg = test_config(&tt_log);
	tt.caps_at_open = SCMI_TRANSPORT_P2A; /* negotiated, but no fetch_notification */
	cr_assert_eq(scmi_open("tt://", &cfg, &h), -EINVAL);
	cr_assert(test_log_contains(&tt_log, "a P2A channel without fetch_notification"), "%s",
		  tt_log.text);
	tt.caps_at_open = 0;
	cr_assert_eq(scmi_open("tt://", &cfg, &h), 0);
	scmi_close(h);
}

/* ---- no P2A channel -------------------------------------------------------- */

static int nop_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	(void)nb;
	(void)evt;
	(void)report;
	return SCMI_NOTIFY_OK;
}

Test(transport, no_p2a_async_fails_fast)
{
	struct scmi_handle *h;
	struct scmi_xfer *x;
	struct scmi_instance *inst;
	unsigned int sends;

	tt_ops.fetch_notification = NULL;
	h = tt_open_caps(0, NULL);
	inst = scmi_inst(h);

	/* The core refuses a command with a delayed response, unsent. */
	sends = tt.sends;
	cr_assert_eq(scmi_xfer_get_init(&inst->tx_minfo, SCMI_PROTOCOL_CLOCK, 0x5, 16, 0, 100, &x),
		     0);
	cr_assert_eq(scmi_do_xfer_with_response(x), -EOPNOTSUPP);
	scmi_xfer_put(x);
	cr_assert_eq(tt.sends, sends, "nothing was sent");
	cr_assert_eq(tt.txdones, sends, "no mark_txdone for a command never sent");
	cr_assert_eq(scmi_xfers_in_use(&inst->tx_minfo), 0);

	/* Protocols: the sync form where there is one, else -EOPNOTSUPP. */
	cr_assert_eq(h->clock_ops->rate_set(h, 1, 700000000ull, SCMI_CLOCK_RATE_ASYNC, NULL), 0);
	cr_assert_eq(tt.last_tx[0] & 1u, 0, "clock RATE_SET sent sync");
	cr_assert_eq(h->clock_ops->rate_set(h, 1, 700000000ull,
					    SCMI_CLOCK_RATE_ASYNC | SCMI_CLOCK_RATE_NO_WAIT, NULL),
		     0);
	cr_assert_eq(tt.last_tx[0] & 3u, 3u, "async without a delayed response still async");

	cr_assert_gt(h->reset_ops->count_get(h), 1); /* bring reset up */
	sends = tt.sends;
	cr_assert_eq(h->reset_ops->reset(h, 1, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC),
		     -EOPNOTSUPP);
	cr_assert_eq(tt.sends, sends);
	cr_assert_eq(h->reset_ops->reset(h, 1, SCMI_RESET_STATE_COLD, SCMI_RESET_AUTO), 0);
	cr_assert_eq(tt_le32(tt.last_tx + 4) & (1u << 2), 0, "reset AUTO sent sync");
	cr_assert_eq(tt.p2a_emitted, 0, "the platform was never asked for a delayed response");
	cr_assert_eq(stats_of(h).dresp_timeouts, 0);
	scmi_close(h);
}

Test(transport, no_p2a_notifications)
{
	uint8_t notif[16] = {0};
	struct scmi_notifier_block nb = {.notifier_call = nop_cb};
	struct scmi_handle *h;
	uint32_t dom = 0;

	tt_ops.fetch_notification = NULL;
	h = tt_open_caps(0, NULL);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_POWER, 0, &dom, &nb),
		     -EOPNOTSUPP);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_POWER, 0, NULL, &nb),
		     -EOPNOTSUPP);
	/* A transport that reports one anyway: dropped, never fetched. */
	scmi_put_le32(notif, scmi_hdr_pack(0, SCMI_MSG_TYPE_NOTIFICATION, SCMI_PROTOCOL_POWER, 0));
	cr_assert_eq(scmi_hdr_type(tt_le32(notif)), SCMI_MSG_TYPE_NOTIFICATION);
	tt_deliver(notif, sizeof(notif));
	cr_assert_eq(stats_of(h).drop_bad_type, 1);
	cr_assert_eq(stats_of(h).notifications, 0);
	cr_assert_eq(tt.clears, 1);
	scmi_close(h);
}

/* ---- timeout and limits ---------------------------------------------------- */

Test(transport, timeout_reaches_transport)
{
	struct scmi_handle *h;
	struct scmi_config cfg;
	uint32_t attr;

	h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	cr_assert_eq(tt.last_timeout_ms, 1000, "the transport's default");
	scmi_close(h);
	cr_assert_eq(scmi_transport_unregister("tt"), 0);

	test_log_init(&tt_log);
	cfg = test_config(&tt_log);
	cfg.timeout_ms = 250;
	h = tt_open_caps(SCMI_TRANSPORT_P2A, &cfg);
	cr_assert_eq(scmi_protocol_message_attributes(h, SCMI_PROTOCOL_BASE, 1, &attr), 0);
	cr_assert_eq(tt.last_timeout_ms, 250, "the handle's override");
	scmi_close(h);
}

Test(transport, separate_limits)
{
	uint8_t req[101] = {0}, rx[8];
	struct scmi_notifier_block nb = {.notifier_call = nop_cb};
	struct scmi_handle *h;
	uint32_t dom = 0;
	uint8_t notif[4 + 12];
	unsigned int sends;

	/* A 128-byte shared-memory area: 100 request bytes, 96 data bytes. */
	tt_desc.defaults.max_tx_size = 100;
	tt_desc.defaults.max_rx_size = 96;
	tt_desc.defaults.max_notif_size = 8;
	h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	cr_assert_eq(tt.last_rx_size, 96, "each xfer has room for max_rx_size");

	sends = tt.sends;
	cr_assert_eq(scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x7f, req, 101, rx, sizeof(rx), NULL),
		     -EMSGSIZE);
	cr_assert_eq(tt.sends, sends, "refused before sending");
	scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x7f, req, 100, rx, sizeof(rx), NULL);
	cr_assert_eq(tt.sends, sends + 1);
	cr_assert_eq(tt.last_tx_len, 100);

	/* A notification is offered at most max_notif_size bytes. */
	cr_assert_eq(h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_POWER, 0, &dom, &nb),
		     0);
	memset(notif, 0, sizeof(notif));
	scmi_put_le32(notif, scmi_hdr_pack(0, SCMI_MSG_TYPE_NOTIFICATION, SCMI_PROTOCOL_POWER, 0));
	tt_deliver(notif, sizeof(notif));
	cr_assert_eq(tt.notif_size, 8);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, SCMI_PROTOCOL_POWER, 0, &dom, &nb),
		     0);
	scmi_close(h);
}

Test(transport, sizes_default_to_max_msg_size)
{
	struct scmi_handle *h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	struct scmi_instance *inst = scmi_inst(h);

	cr_assert_eq(inst->tinfo.max_tx_size, TT_SIM_SIZE);
	cr_assert_eq(inst->tinfo.max_rx_size, TT_SIM_SIZE);
	cr_assert_eq(inst->tinfo.max_notif_size, TT_SIM_SIZE);
	cr_assert_eq(inst->tinfo.max_msg_per_chan, 8);
	cr_assert_eq(tt.last_rx_size, TT_SIM_SIZE);
	scmi_close(h);
}

/* ---- mark_txdone, send and channel errors ---------------------------------- */

Test(transport, txdone_once_per_sent_command)
{
	struct scmi_handle *h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	uint8_t rx[8];
	unsigned int n;

	/* Every command of the open: once each, 0 (a response was read). */
	cr_assert_eq(tt.txdones, tt.sends);
	for (unsigned int i = 0; i < tt.txdones && i < ARRAY_SIZE(tt.txdone_ret); i++)
		cr_assert_eq(tt.txdone_ret[i], 0);

	/* An SCMI error status is still a response fetched. */
	n = tt.txdones;
	cr_assert_lt(scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x7f, NULL, 0, rx, sizeof(rx), NULL),
		     0);
	cr_assert_lt(scmi_last_status(), 0, "an SCMI error status");
	cr_assert_neq(scmi_last_status(), SCMI_STATUS_NONE);
	cr_assert_eq(tt.txdones, n + 1);
	cr_assert_eq(tt.txdone_ret[n], 0);

	/* A failed send reaches the caller unchanged; no mark_txdone. */
	n = tt.txdones;
	tt.send_err = -EBUSY;
	cr_assert_eq(scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x0, NULL, 0, rx, sizeof(rx), NULL),
		     -EBUSY);
	cr_assert_eq(scmi_last_status(), SCMI_STATUS_NONE);
	cr_assert_eq(tt.txdones, n);
	tt.send_err = 0;
	cr_assert_eq(scmi_xfers_in_use(&scmi_inst(h)->tx_minfo), 0);
	scmi_close(h);
}

Test(transport, txdone_on_timeout_and_late_reply)
{
	struct scmi_config cfg;
	struct scmi_handle *h;
	uint8_t rx[8];
	unsigned int n, clears;

	test_log_init(&tt_log);
	cfg = test_config(&tt_log);
	cfg.timeout_ms = 50;
	h = tt_open_caps(SCMI_TRANSPORT_P2A, &cfg);
	n = tt.txdones;
	tt.a2p = TT_A2P_HOLD;
	cr_assert_eq(scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x0, NULL, 0, rx, sizeof(rx), NULL),
		     -ETIMEDOUT);
	cr_assert_eq(tt.txdones, n + 1);
	cr_assert_eq(tt.txdone_ret[n], -ETIMEDOUT);
	/* The late reply is cleared, not fetched; no second mark_txdone. */
	cr_assert(tt.a2p_ready);
	clears = tt.clears;
	tt_deliver(tt.a2p_buf, tt.a2p_len);
	cr_assert_eq(tt.clears, clears + 1);
	cr_assert_eq(stats_of(h).late_replies, 1);
	cr_assert_eq(tt.txdones, n + 1);
	scmi_close(h);
}

Test(transport, fetch_error_reaches_caller)
{
	struct scmi_handle *h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	uint8_t rx[8];
	unsigned int n = tt.txdones;

	tt.fetch_err = -ECOMM;
	cr_assert_eq(scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x0, NULL, 0, rx, sizeof(rx), NULL),
		     -ECOMM);
	cr_assert_eq(scmi_last_status(), SCMI_STATUS_NONE, "no SCMI status was received");
	cr_assert_eq(tt.txdone_ret[n], -ECOMM);
	cr_assert_eq(stats_of(h).drop_bad_length, 0);

	/* A malformed reply stays a protocol error (-EPROTO). */
	tt.fetch_err = -EMSGSIZE;
	cr_assert_eq(scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x0, NULL, 0, rx, sizeof(rx), NULL),
		     -EPROTO);
	cr_assert_eq(stats_of(h).drop_bad_length, 1);
	tt.fetch_err = 0;
	scmi_close(h);
}

Test(transport, rx_error_fails_one_command)
{
	struct scmi_handle *h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	uint8_t rx[8];
	unsigned int n = tt.txdones, fetches = tt.fetches;

	tt.a2p = TT_A2P_RX_ERROR;
	cr_assert_eq(scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x0, NULL, 0, rx, sizeof(rx), NULL),
		     -ECOMM);
	cr_assert_eq(scmi_last_status(), SCMI_STATUS_NONE);
	cr_assert_eq(tt.txdone_ret[n], -ECOMM);
	cr_assert_eq(tt.fetches, fetches, "nothing fetched");
	/* Errors for no command in flight, or not errnos, change nothing. */
	scmi_rx_error(tt.chan, scmi_hdr_pack(0, 0, SCMI_PROTOCOL_BASE, 1000), -EIO);
	scmi_rx_error(tt.chan, scmi_hdr_pack(0, 0, SCMI_PROTOCOL_BASE, 0), 5);
	tt.a2p = TT_A2P_CALLBACK;
	cr_assert_eq(scmi_raw_command(h, SCMI_PROTOCOL_BASE, 0x0, NULL, 0, rx, sizeof(rx), NULL),
		     0);
	scmi_close(h);
}

struct call {
	struct scmi_handle *h;
	pthread_t thread;
	int ret;
	bool done;
};

static void *call_version(void *arg)
{
	struct call *c = arg;
	uint8_t rx[8];

	c->ret = scmi_raw_command(c->h, SCMI_PROTOCOL_BASE, 0x0, NULL, 0, rx, sizeof(rx), NULL);
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static bool sends_reached(void *arg)
{
	unsigned int want = *(unsigned int *)arg;

	return __atomic_load_n(&tt.sends, __ATOMIC_ACQUIRE) >= want &&
	       __atomic_load_n(&tt.a2p_ready, __ATOMIC_ACQUIRE);
}

Test(transport, chan_error_fails_all_in_flight)
{
	struct scmi_handle *h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	struct call c = {.h = h};
	unsigned int want = tt.sends + 1;

	tt.a2p = TT_A2P_HOLD;
	cr_assert_eq(pthread_create(&c.thread, NULL, call_version, &c), 0);
	cr_assert(test_wait_until(sends_reached, &want, 5000), "the command was sent");
	scmi_chan_error(tt.chan, 1, -EIO); /* another channel: nothing */
	scmi_chan_error(tt.chan, 0, -EIO);
	pthread_join(c.thread, NULL);
	cr_assert_eq(c.ret, -EIO);
	cr_assert_eq(stats_of(h).timeouts, 0);
	scmi_close(h);
}

/* The delayed response is independent of mark_txdone(), which comes first. */
static void *call_reset_async(void *arg)
{
	struct call *c = arg;

	c->ret = c->h->reset_ops->reset(c->h, 1, SCMI_RESET_STATE_COLD, SCMI_RESET_ASYNC);
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static bool txdone_reached(void *arg)
{
	unsigned int want = *(unsigned int *)arg;

	return __atomic_load_n(&tt.txdones, __ATOMIC_ACQUIRE) >= want;
}

Test(transport, txdone_before_delayed_response)
{
	struct scmi_handle *h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	struct call c = {.h = h};
	unsigned int want;

	/* Bring reset up first: its discovery is sync. */
	cr_assert_eq(h->reset_ops->reset(h, 1, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC), 0);
	want = tt.txdones + 1;
	tt.hold_p2a = true;
	cr_assert_eq(pthread_create(&c.thread, NULL, call_reset_async, &c), 0);
	cr_assert(test_wait_until(txdone_reached, &want, 5000), "mark_txdone after the response");
	cr_assert_eq(tt.txdone_ret[want - 1], 0);
	cr_assert(tt.txdone_before_dresp, "the delayed response was still held");
	cr_assert_not(__atomic_load_n(&c.done, __ATOMIC_ACQUIRE), "still waiting for it");
	/* The platform's delayed response, from this (RX) thread now. */
	tt_deliver(tt.p2a_buf, tt.p2a_len);
	pthread_join(c.thread, NULL);
	cr_assert_eq(c.ret, 0);
	cr_assert_eq(tt.txdones, want, "nothing more for the delayed response");
	cr_assert_eq(stats_of(h).delayed_responses, 1);
	scmi_close(h);
}

/* ---- completes on return ---------------------------------------------------- */

Test(transport, completes_on_return)
{
	struct scmi_handle *h;
	struct scmi_stats st;
	uint64_t rate;
	unsigned int fetches;

	tt_ops.fetch_notification = NULL;
	tt.a2p = TT_A2P_PARK; /* the response is in the channel on return */
	h = tt_open_caps(SCMI_TRANSPORT_COMPLETES_ON_RETURN, NULL);
	cr_assert_str_eq(h->version->vendor_id, "libscmi");
	cr_assert_gt(tt.fetches_null, 0);
	cr_assert_eq(tt.fetches_null, tt.fetches, "every response fetched with msg NULL");
	cr_assert_eq(tt.fetches, tt.sends);
	cr_assert(pthread_equal(tt.fetch_thread, tt.send_thread), "on the sending thread");

	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0); /* bring-up */
	fetches = tt.fetches;
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	cr_assert_gt(rate, 0);
	cr_assert_eq(tt.fetches, fetches + 1);
	cr_assert(pthread_equal(tt.fetch_thread, pthread_self()));
	cr_assert(pthread_equal(tt.send_thread, pthread_self()));
	cr_assert_eq(tt.txdone_ret[tt.txdones - 1], 0);

	/* Nothing in the channel: the transport's errno, at once. */
	tt.a2p = TT_A2P_DROP;
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), -EIO);
	st = stats_of(h);
	cr_assert_eq(st.timeouts, 0);
	cr_assert_eq(st.responses, tt.sends - 1);
	scmi_close(h);
}

/* ---- per-protocol channels -------------------------------------------------- */

Test(transport, per_protocol_channels)
{
	struct scmi_handle *h;
	struct scmi_instance *inst;
	struct scmi_xfer *a, *b, *c;
	uint64_t rate;

	tt_ops.channel_of = tt_channel_of;
	tt_desc.defaults.max_msg_per_chan = 1;
	h = tt_open_caps(SCMI_TRANSPORT_P2A | SCMI_TRANSPORT_PER_PROTOCOL, NULL);
	inst = scmi_inst(h);
	cr_assert_eq(tt.last_chan, 0, "Base on channel 0");
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	cr_assert_eq(tt.last_chan, 1, "clock on its own channel");

	/* One command at a time per channel; the others are not held up. */
	cr_assert_eq(scmi_xfer_get_init(&inst->tx_minfo, SCMI_PROTOCOL_CLOCK, 0x6, 4, 0, 100, &a),
		     0);
	cr_assert_eq(scmi_xfer_get_init(&inst->tx_minfo, SCMI_PROTOCOL_CLOCK, 0x6, 4, 0, 20, &b),
		     -ENOBUFS);
	cr_assert(test_log_contains(&tt_log, "no room on channel 1"), "%s", tt_log.text);
	cr_assert_eq(scmi_xfer_get_init(&inst->tx_minfo, SCMI_PROTOCOL_BASE, 0x0, 0, 0, 100, &c),
		     0);
	cr_assert_eq(c->t.chan, 0);
	scmi_xfer_put(c);
	scmi_xfer_put(a);
	cr_assert_eq(scmi_xfer_get_init(&inst->tx_minfo, SCMI_PROTOCOL_CLOCK, 0x6, 4, 0, 100, &b),
		     0);
	cr_assert_eq(b->t.chan, 1);
	scmi_xfer_put(b);
	scmi_close(h);
}

/* ---- polling: fetch on the caller's thread ---------------------------------- */

Test(transport, polling_fetches_on_caller)
{
	struct scmi_handle *h;
	uint64_t rate;

	tt_ops.poll_done = tt_poll_done;
	tt.a2p = TT_A2P_PARK;
	h = tt_open_caps(SCMI_TRANSPORT_P2A | SCMI_TRANSPORT_POLLING, NULL);
	cr_assert_eq(h->clock_ops->rate_get(h, 0, &rate), 0);
	cr_assert_eq(tt.fetches_null, tt.fetches);
	cr_assert(pthread_equal(tt.fetch_thread, pthread_self()));
	scmi_close(h);
}

/* An error reported for the delayed response fails that phase only. */
Test(transport, errors_on_the_delayed_response)
{
	struct scmi_handle *h = tt_open_caps(SCMI_TRANSPORT_P2A, NULL);
	struct call c = {.h = h};
	unsigned int want;
	uint32_t dresp_hdr;

	cr_assert_eq(h->reset_ops->reset(h, 1, SCMI_RESET_STATE_COLD, SCMI_RESET_SYNC), 0);
	tt.hold_p2a = true;

	/* scmi_rx_error() with the delayed response's header. */
	want = tt.txdones + 1;
	cr_assert_eq(pthread_create(&c.thread, NULL, call_reset_async, &c), 0);
	cr_assert(test_wait_until(txdone_reached, &want, 5000));
	cr_assert_eq(tt.txdone_ret[want - 1], 0, "the response phase succeeded");
	dresp_hdr = tt_le32(tt.p2a_buf);
	cr_assert_eq(scmi_hdr_type(dresp_hdr), SCMI_MSG_TYPE_DELAYED_RESP);
	scmi_rx_error(tt.chan, dresp_hdr, -ECOMM);
	pthread_join(c.thread, NULL);
	cr_assert_eq(c.ret, -ECOMM);
	cr_assert_eq(tt.txdones, want, "no mark_txdone for the delayed response");
	/* The real delayed response, now late: cleared. */
	tt_deliver(tt.p2a_buf, tt.p2a_len);
	tt.p2a_ready = false;

	/* scmi_chan_error() fails a command waiting for its delayed one. */
	c = (struct call){.h = h};
	want = tt.txdones + 1;
	cr_assert_eq(pthread_create(&c.thread, NULL, call_reset_async, &c), 0);
	cr_assert(test_wait_until(txdone_reached, &want, 5000));
	scmi_chan_error(tt.chan, 0, -EIO);
	pthread_join(c.thread, NULL);
	cr_assert_eq(c.ret, -EIO);
	cr_assert_eq(stats_of(h).dresp_timeouts, 0);
	scmi_close(h);
}

struct getter {
	struct scmi_instance *inst;
	pthread_t thread;
	int ret;
	struct scmi_xfer *x;
	bool done;
};

static void *get_clock_xfer(void *arg)
{
	struct getter *g = arg;

	g->ret =
		scmi_xfer_get_init(&g->inst->tx_minfo, SCMI_PROTOCOL_CLOCK, 0x6, 4, 0, 5000, &g->x);
	__atomic_store_n(&g->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static bool getter_done(void *arg)
{
	return __atomic_load_n(&((struct getter *)arg)->done, __ATOMIC_ACQUIRE);
}

/* A caller waiting for room on its channel gets it when a command ends. */
Test(transport, per_channel_waiter_woken)
{
	struct scmi_handle *h;
	struct getter g = {0};
	struct scmi_xfer *a, *b;

	tt_ops.channel_of = tt_channel_of;
	tt_desc.defaults.max_msg_per_chan = 1;
	h = tt_open_caps(SCMI_TRANSPORT_P2A | SCMI_TRANSPORT_PER_PROTOCOL, NULL);
	g.inst = scmi_inst(h);
	cr_assert_eq(scmi_xfer_get_init(&g.inst->tx_minfo, SCMI_PROTOCOL_CLOCK, 0x6, 4, 0, 100, &a),
		     0);
	cr_assert_eq(pthread_create(&g.thread, NULL, get_clock_xfer, &g), 0);
	/* Another channel's command comes and goes meanwhile. */
	cr_assert_eq(scmi_xfer_get_init(&g.inst->tx_minfo, SCMI_PROTOCOL_BASE, 0x0, 0, 0, 100, &b),
		     0);
	scmi_xfer_put(b);
	cr_assert_not(test_wait_until(getter_done, &g, 50), "channel 1 is still full");
	scmi_xfer_put(a);
	cr_assert(test_wait_until(getter_done, &g, 5000));
	pthread_join(g.thread, NULL);
	cr_assert_eq(g.ret, 0);
	cr_assert_eq(g.x->t.chan, 1);
	scmi_xfer_put(g.x);
	scmi_close(h);
}

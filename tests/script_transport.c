// SPDX-License-Identifier: BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "script_transport.h"

#define ST_MAX_MSG_SIZE 128

struct st_msg {
	const uint8_t *buf;
	size_t len;
};

static struct {
	struct scmi_chan *chan;
	struct scmi_sim *sim;
	struct st_script script;
	bool scripted;
} st;

static uint32_t st_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void st_inject(const uint8_t *msg, size_t len)
{
	struct st_msg m = {msg, len};

	if (len >= 4)
		scmi_rx_callback(st.chan, st_le32(msg), &m);
}

static void st_emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		    uint64_t delay_us)
{
	(void)priv;
	(void)chan;
	(void)delay_us;
	if (st.scripted && st.script.on_emit && st.script.on_emit(msg, len, st.script.arg) == ST_DROP)
		return;
	st_inject(msg, len);
}

static int st_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		   struct scmi_transport_info *info, void **priv)
{
	struct scmi_sim_config cfg = {.max_msg_size = ST_MAX_MSG_SIZE};
	int ret;

	(void)uri;
	if (st.sim)
		return -EBUSY;
	ret = scmi_sim_new(&cfg, &st.sim);
	if (ret)
		return ret;
	/* The test protocol at 0xF0, listed at discovery. */
	ret = scmi_sim_test_protocol_add(st.sim, 0xF0, 1);
	if (ret) {
		scmi_sim_free(st.sim);
		st.sim = NULL;
		return ret;
	}
	scmi_sim_set_emit(st.sim, st_emit, NULL);
	st.chan = chan;
	info->max_msg_size = ST_MAX_MSG_SIZE;
	*priv = &st;
	return 0;
}

static void st_close(void *priv)
{
	(void)priv;
}

static void st_release(void *priv)
{
	(void)priv;
	scmi_sim_free(st.sim);
	st.sim = NULL;
	st.scripted = false;
}

static int st_send_message(void *priv, struct scmi_transport_xfer *xfer)
{
	uint8_t sdu[4 + ST_MAX_MSG_SIZE];
	int len;

	(void)priv;
	len = scmi_msg_pack_command(xfer, sdu, sizeof(sdu));
	if (len < 0)
		return len;
	if (st.scripted && st.script.on_send)
		st.script.on_send(xfer->hdr, sdu + 4, (size_t)len - 4, st.script.arg);
	return scmi_sim_process(st.sim, sdu, (size_t)len);
}

static int st_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *xfer)
{
	const struct st_msg *m = msg;

	(void)priv;
	return scmi_msg_fetch_response(m->buf, m->len, xfer);
}

static int st_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	const struct st_msg *m = msg;

	(void)priv;
	return scmi_msg_fetch_notification(m->buf, m->len, buf, size, len);
}

static const struct scmi_transport_ops st_ops = {
	.open = st_open,
	.close = st_close,
	.release = st_release,
	.send_message = st_send_message,
	.fetch_response = st_fetch_response,
	.fetch_notification = st_fetch_notification,
};

static const struct scmi_transport_desc st_desc = {
	.scheme = "script",
	.ops = &st_ops,
	.defaults = {.max_msg = 64,
		     .max_msg_size = ST_MAX_MSG_SIZE,
		     .timeout_ms = 1000,
		     .caps = SCMI_TRANSPORT_P2A},
};

void st_register(void)
{
	int ret = scmi_transport_register(&st_desc);

	if (ret && ret != -EEXIST)
		abort();
}

struct scmi_sim *st_sim(void)
{
	return st.sim;
}

void st_set_script(const struct st_script *s)
{
	st.scripted = s != NULL;
	if (s)
		st.script = *s;
}

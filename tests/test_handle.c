// SPDX-License-Identifier: BSD-3-Clause
/* Handle life cycle, transport plug-ins, polling, counters. */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

#include "common.h"
#include "helpers.h"

static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* A joined thread may still be listed for a moment after pthread_join()
 * (its kernel task ends a little later; long enough to see under an
 * emulator such as qemu-user), before the cycles as after them: no more
 * threads than before is what counts. */
static bool threads_back_to(void *arg)
{
	return count_threads() <= *(int *)arg;
}

Test(handle, open_close_1000_cycles_no_leak, .timeout = 240)
{
	struct scmi_handle *h;
	int threads, fds;
	size_t heap_before, heap_after;

	/* Warm up with both profiles so that one-time allocations (libc,
	 * libuv) do not count; a leak grows with the number of cycles. */
	h = test_open(NULL, NULL);
	scmi_close(h);
	h = test_open("loopback://?profile=scmi-2.0", NULL);
	scmi_close(h);
	threads = count_threads();
	fds = count_fds();
	heap_before = mallinfo2().uordblks;
	for (int i = 0; i < 1000; i++) {
		h = test_open(i % 2 ? "loopback://?profile=scmi-2.0" : NULL, NULL);
		cr_assert_gt(h->version->num_agents, 0);
		scmi_close(h);
	}
	heap_after = mallinfo2().uordblks;
	cr_assert(test_wait_until(threads_back_to, &threads, 2000), "threads leaked: %d, were %d",
		  count_threads(), threads);
	cr_assert_eq(count_fds(), fds, "fds leaked");
	/* A leak of even one small block per cycle would show as >= 16 KiB. */
	cr_assert_lt(heap_after, heap_before + 16 * 1024, "heap grew from %zu to %zu", heap_before,
		     heap_after);
}

Test(handle, close_null_and_stats)
{
	struct scmi_handle *h = test_open(NULL, NULL);
	struct scmi_stats st;

	scmi_close(NULL);
	cr_assert_eq(scmi_stats_get(h, NULL), -EINVAL);
	cr_assert_eq(scmi_stats_get(h, &st), 0);
	cr_assert_geq(st.sent, 5, "discovery sent commands");
	cr_assert_eq(st.sent, st.responses);
	cr_assert_eq(st.timeouts + st.drop_unknown_token + st.drop_bad_state, 0);
	scmi_close(h);
}

Test(handle, polling_transport)
{
	struct scmi_handle *h = test_open("loopback://?polling=1", NULL);
	struct scmi_base_agent_info info;
	struct scmi_stats st;

	for (int i = 0; i < 200; i++) {
		cr_assert_eq(h->base_ops->discover_agent(h, (uint32_t)i % 4, &info), 0);
		cr_assert_eq(info.id, (uint32_t)i % 4);
	}
	scmi_stats_get(h, &st);
	cr_assert_eq(st.sent, st.responses);
	scmi_close(h);
}

/* ---- a transport registered by the application ---------------------------- */

/*
 * "direct://": the simulator called synchronously from send_message() on
 * the caller's thread; responses are parked per token and found by
 * polling.  A minimal out-of-tree transport.
 */
struct direct {
	struct scmi_sim *sim;
	pthread_mutex_t lock;
	uint8_t resp[1024][4 + 4 + 128];
	size_t resp_len[1024];
	bool ready[1024];
};

static void direct_emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
			uint64_t delay_us)
{
	struct direct *d = priv;
	uint32_t hdr;

	(void)delay_us;
	if (chan != SCMI_SIM_CHAN_A2P || len < 4 || len > sizeof(d->resp[0]))
		return;
	hdr = scmi_get_le32(msg);
	memcpy(d->resp[scmi_hdr_token(hdr)], msg, len);
	d->resp_len[scmi_hdr_token(hdr)] = len;
	d->ready[scmi_hdr_token(hdr)] = true;
}

static int direct_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		       struct scmi_transport_info *info, void **priv)
{
	struct direct *d = calloc(1, sizeof(*d));
	uint64_t v;

	if (!d)
		return -ENOMEM;
	if (scmi_uri_param_u64(uri, "max_msg", 1, 1024, &v) == 1)
		info->max_msg = (unsigned int)v;
	if (scmi_sim_new(NULL, &d->sim)) {
		free(d);
		return -ENOMEM;
	}
	pthread_mutex_init(&d->lock, NULL);
	scmi_sim_set_emit(d->sim, direct_emit, d);
	*priv = d;
	return 0;
}

static void direct_close(void *priv)
{
	struct direct *d = priv;

	scmi_sim_free(d->sim);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static int direct_send(void *priv, struct scmi_transport_xfer *x)
{
	struct direct *d = priv;
	uint8_t sdu[4 + 128];
	int len = scmi_msg_pack_command(x, sdu, sizeof(sdu));

	if (len < 0)
		return len;
	pthread_mutex_lock(&d->lock);
	d->ready[scmi_hdr_token(x->hdr)] = false;
	scmi_sim_process(d->sim, sdu, (size_t)len);
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static bool direct_poll_done(void *priv, struct scmi_transport_xfer *x)
{
	struct direct *d = priv;
	bool ready;

	pthread_mutex_lock(&d->lock);
	ready = d->ready[scmi_hdr_token(x->hdr)];
	pthread_mutex_unlock(&d->lock);
	return ready;
}

static int direct_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *x)
{
	struct direct *d = priv;
	uint16_t t = scmi_hdr_token(x->hdr);
	int ret;

	cr_assert_null(msg, "polled responses are fetched without a message");
	pthread_mutex_lock(&d->lock);
	ret = scmi_msg_fetch_response(d->resp[t], d->resp_len[t], x);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static int direct_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	return -EPROTO;
}

static const struct scmi_transport_ops direct_ops = {
	.open = direct_open,
	.close = direct_close,
	.send_message = direct_send,
	.fetch_response = direct_fetch_response,
	.fetch_notification = direct_fetch_notification,
	.poll_done = direct_poll_done,
};

static const struct scmi_transport_desc direct_desc = {
	.scheme = "direct",
	.ops = &direct_ops,
	.defaults = {.max_msg = 8,
		     .max_msg_size = 128,
		     .timeout_ms = 1000,
		     .caps = SCMI_TRANSPORT_P2A | SCMI_TRANSPORT_POLLING},
};

Test(handle, runtime_transport)
{
	struct scmi_transport_desc bad = direct_desc;
	struct scmi_base_agent_info info;
	struct scmi_handle *h;
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;

	cr_assert_eq(scmi_transport_register(NULL), -EINVAL);
	bad.ops = NULL;
	cr_assert_eq(scmi_transport_register(&bad), -EINVAL);
	bad = direct_desc;
	bad.defaults.max_msg = 0;
	cr_assert_eq(scmi_transport_register(&bad), -EINVAL);
	bad = direct_desc;
	bad.scheme = "loopback";
	cr_assert_eq(scmi_transport_register(&bad), -EEXIST);

	cr_assert_eq(scmi_transport_register(&direct_desc), 0);
	cr_assert_eq(scmi_transport_register(&direct_desc), -EEXIST);
	h = test_open("direct://?max_msg=4", NULL);
	cr_assert_str_eq(h->version->vendor_id, "libscmi");
	cr_assert_eq(h->base_ops->discover_agent(h, 2, &info), 0);
	cr_assert_eq(info.id, 2);
	cr_assert_null(scmi_loopback_sim(h), "not a loopback handle");
	scmi_close(h);

	/* Parameters the transport did not read are rejected by the core. */
	test_log_init(&lg);
	cfg = test_config(&lg);
	cr_assert_eq(scmi_open("direct://?nope=1", &cfg, &h), -EINVAL);
	cr_assert(test_log_contains(&lg, "unknown parameter 'nope' for direct://"), "%s", lg.text);

	cr_assert_eq(scmi_transport_unregister("direct"), 0);
	cr_assert_eq(scmi_transport_unregister("direct"), -ENOENT);
	cr_assert_eq(scmi_open("direct://", &cfg, &h), -EINVAL);
}

/* ---- scmi_describe() / scmi_probe() ---------------------------------------- */

struct facts {
	char text[4096];
	size_t len;
	unsigned int n;
};

static void collect(void *arg, const char *section, const char *key, const char *value)
{
	struct facts *f = arg;

	f->n++;
	f->len += (size_t)snprintf(f->text + f->len, sizeof(f->text) - f->len, "%s/%s=%s\n",
				   section, key, value);
	cr_assert_lt(f->len, sizeof(f->text));
}

Test(handle, describe_and_probe)
{
	struct facts f = {0};
	struct scmi_handle *h;
	static struct test_log lg;
	struct scmi_config cfg;

	cr_assert_eq(scmi_describe(NULL, collect, &f), -EINVAL);
	cr_assert_eq(scmi_probe("loopback://", NULL, NULL, NULL), -EINVAL);

	/* An open handle: the core's sections around the transport's own. */
	cr_assert_eq(scmi_open("loopback://", NULL, &h), 0);
	cr_assert_eq(scmi_describe(h, collect, &f), 0);
	scmi_close(h);
	cr_assert(!strncmp(f.text, "transport/scheme=loopback\n", 26), "%s", f.text);
	cr_assert(strstr(f.text, "loopback/completion=callback\n"), "%s", f.text);
	cr_assert(strstr(f.text, "limits/max_msg="), "%s", f.text);
	cr_assert(strstr(f.text, "limits/caps=P2A\n"), "%s", f.text);

	/* A probe: the same facts, without an SCMI handle. */
	memset(&f, 0, sizeof(f));
	cr_assert_eq(scmi_probe("loopback://?polling=1", NULL, collect, &f), 0);
	cr_assert(strstr(f.text, "loopback/completion=polling\n"), "%s", f.text);
	cr_assert(strstr(f.text, "limits/caps=P2A POLLING\n"), "%s", f.text);

	/* A transport without describe(): the core's two sections only. */
	memset(&f, 0, sizeof(f));
	cr_assert_eq(scmi_transport_register(&direct_desc), 0);
	cr_assert_eq(scmi_probe("direct://", NULL, collect, &f), 0);
	cr_assert_eq(scmi_transport_unregister("direct"), 0);
	cr_assert(!strncmp(f.text, "transport/scheme=direct\nlimits/", 31), "%s", f.text);

	/* Nothing reached: nothing described, scmi_open()'s errno. */
	memset(&f, 0, sizeof(f));
	test_log_init(&lg);
	cfg = test_config(&lg);
	cr_assert_eq(scmi_probe("nosuch://", &cfg, collect, &f), -EINVAL);
	cr_assert_eq(f.n, 0);
	cr_assert(test_log_contains(&lg, "unknown URI scheme 'nosuch://'"), "%s", lg.text);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * Raw mode (scmi/raw.h) against the simulator: commands sent blocking,
 * non-blocking (response and delayed response recorded apart) and polled;
 * raw notifications beside the regular chains; the errors stream (a
 * duplicate reply and a late one, provoked while another thread runs
 * regular sensor and clock ops); reset; the scmi_raw_command() wrapper.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "agent_testproto.h"
#include "helpers.h"
#include "script_transport.h"

#define TP	       0xF0 /* the simulator's test protocol */
#define TP_ECHO	       0x3
#define TP_ASYNC_ECHO  0x4
#define TP_NOTIFY      0x5
#define MSG_ATTRIBUTES 0x1 /* PROTOCOL_ATTRIBUTES */

static struct scmi_handle *h;
static struct scmi_raw *raw;

static void open_uri(const char *uri, const struct scmi_config *cfg)
{
	struct scmi_config quiet = test_config(NULL);

	h = test_open(uri ? uri : "loopback://?test_protocols=0xF0:4", cfg ? cfg : &quiet);
	cr_assert_eq(scmi_raw_open(h, 0, &raw), 0);
}

static void setup(void)
{
	open_uri(NULL, NULL);
}

static void teardown(void)
{
	scmi_raw_close(raw);
	raw = NULL;
	scmi_close(h);
	h = NULL;
	tp_cleanup();
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

TestSuite(raw, .init = setup, .fini = teardown, .timeout = 60);

/* A blocking command: the response's status, header and bytes; no delayed
 * response; the same bytes as through scmi_raw_command(). */
Test(raw, send_blocking)
{
	uint8_t tx[5] = {1, 2, 3, 4, 5}, rx[16], rx2[16];
	struct scmi_raw_cmd c = {
		.protocol_id = TP,
		.msg_id = TP_ECHO,
		.tx = tx,
		.tx_len = sizeof(tx),
		.rx = rx,
		.rx_size = sizeof(rx),
	};
	size_t len = 0;

	cr_assert_eq(scmi_raw_send(raw, &c), 0);
	cr_assert_eq(c.resp.result, 0);
	cr_assert_eq(c.resp.status, SCMI_SUCCESS);
	cr_assert_eq(c.resp.len, sizeof(tx));
	cr_assert_arr_eq(rx, tx, sizeof(tx));
	cr_assert_eq(scmi_hdr_type(c.resp.hdr), SCMI_MSG_TYPE_COMMAND);
	cr_assert_eq(scmi_hdr_protocol(c.resp.hdr), TP);
	cr_assert_eq(scmi_hdr_msg_id(c.resp.hdr), TP_ECHO);
	cr_assert_eq(scmi_hdr_token(c.resp.hdr), c.token);
	cr_assert_neq(c.resp.timestamp, 0);
	cr_assert_eq(c.dresp.result, -ENODATA);

	cr_assert_eq(scmi_raw_command(h, TP, TP_ECHO, tx, sizeof(tx), rx2, sizeof(rx2), &len), 0);
	cr_assert_eq(len, sizeof(tx));
	cr_assert_arr_eq(rx2, tx, sizeof(tx));

	/* A refusal: the status is reported, the result is its errno. */
	c.msg_id = 0xEE;
	cr_assert_eq(scmi_raw_send(raw, &c), scmi_status_to_errno(c.resp.status));
	cr_assert_eq(c.resp.result, 0);
	cr_assert_lt(c.resp.status, 0, "an unknown message is refused");
	cr_assert_eq(scmi_last_status(), c.resp.status);
	cr_assert_eq(c.dresp.result, -ENODATA);

	/* Bad arguments. */
	c.flags = 0x80;
	cr_assert_eq(scmi_raw_send(raw, &c), -EINVAL);
	cr_assert_eq(scmi_raw_send(NULL, &c), -EINVAL);
}

/* Blocking with a delayed response: both parts, apart. */
Test(raw, send_blocking_with_delayed_response)
{
	uint8_t tx[4 + 6] = {0}, rx[16], drx[16];
	struct scmi_raw_cmd c = {
		.protocol_id = TP,
		.msg_id = TP_ASYNC_ECHO,
		.flags = SCMI_RAW_DRESP,
		.tx = tx,
		.tx_len = sizeof(tx),
		.rx = rx,
		.rx_size = sizeof(rx),
		.drx = drx,
		.drx_size = sizeof(drx),
	};

	put_le32(tx, 1000); /* the delayed response after 1 ms */
	memcpy(tx + 4, "abcdef", 6);
	cr_assert_eq(scmi_raw_send(raw, &c), 0);
	cr_assert_eq(c.resp.result, 0);
	cr_assert_eq(c.resp.status, SCMI_SUCCESS);
	cr_assert_eq(c.resp.len, 0);
	cr_assert_eq(c.dresp.result, 0);
	cr_assert_eq(c.dresp.status, SCMI_SUCCESS);
	cr_assert_eq(scmi_hdr_type(c.dresp.hdr), SCMI_MSG_TYPE_DELAYED_RESP);
	cr_assert_eq(scmi_hdr_token(c.dresp.hdr), c.token);
	cr_assert_eq(c.dresp.len, 6);
	cr_assert_arr_eq(drx, "abcdef", 6);
	cr_assert_geq(c.dresp.timestamp, c.resp.timestamp);
}

struct done {
	atomic_int calls;
	int status;
};

static void raw_done(struct scmi_raw_req *r)
{
	struct done *d = r->data;

	d->status = r->status;
	atomic_fetch_add(&d->calls, 1);
}

static bool called(void *arg)
{
	return atomic_load(&((struct done *)arg)->calls) > 0;
}

/* Non-blocking: the request completes once, when the delayed response is
 * in, with the response and the delayed response recorded apart. */
Test(raw, submit_with_delayed_response)
{
	static uint8_t tx[4 + 8], rx[16], drx[16];
	static struct scmi_raw_req r;
	struct done d = {0};

	test_need_in_flight(2);
	put_le32(tx, 20000);
	memcpy(tx + 4, "01234567", 8);
	r = (struct scmi_raw_req){
		.cmd = {.protocol_id = TP,
			.msg_id = TP_ASYNC_ECHO,
			.flags = SCMI_RAW_DRESP,
			.tx = tx,
			.tx_len = sizeof(tx),
			.rx = rx,
			.rx_size = sizeof(rx),
			.drx = drx,
			.drx_size = sizeof(drx)},
		.data = &d,
	};
	cr_assert_eq(scmi_raw_submit(raw, &r, raw_done), 0);
	/* In use until it completes. */
	cr_assert_eq(scmi_raw_submit(raw, &r, raw_done), -EBUSY);
	cr_assert(test_wait_until(called, &d, 5000));
	cr_assert_eq(atomic_load(&d.calls), 1);
	cr_assert_eq(d.status, 0);
	cr_assert_eq(r.cmd.resp.result, 0);
	cr_assert_eq(r.cmd.resp.status, SCMI_SUCCESS);
	cr_assert_eq(scmi_hdr_type(r.cmd.resp.hdr), SCMI_MSG_TYPE_COMMAND);
	cr_assert_eq(r.cmd.dresp.result, 0);
	cr_assert_eq(scmi_hdr_type(r.cmd.dresp.hdr), SCMI_MSG_TYPE_DELAYED_RESP);
	cr_assert_eq(scmi_hdr_token(r.cmd.dresp.hdr), r.cmd.token);
	cr_assert_eq(r.cmd.dresp.len, 8);
	cr_assert_arr_eq(drx, "01234567", 8);
	/* The delayed response came 20 ms after the command at least. */
	cr_assert_geq(r.cmd.dresp.timestamp, r.cmd.resp.timestamp);

	/* A plain command, non-blocking; POLL is for blocking sends only. */
	atomic_store(&d.calls, 0);
	r.cmd = (struct scmi_raw_cmd){.protocol_id = TP,
				      .msg_id = TP_ECHO,
				      .tx = tx + 4,
				      .tx_len = 3,
				      .rx = rx,
				      .rx_size = sizeof(rx)};
	cr_assert_eq(scmi_raw_submit(raw, &r, raw_done), 0);
	cr_assert(test_wait_until(called, &d, 5000));
	cr_assert_eq(d.status, 0);
	cr_assert_eq(r.cmd.resp.len, 3);
	cr_assert_arr_eq(rx, "012", 3);
	cr_assert_eq(r.cmd.dresp.result, -ENODATA);
	r.cmd.flags = SCMI_RAW_POLL;
	cr_assert_eq(scmi_raw_submit(raw, &r, raw_done), -EINVAL);
}

/* Polling: the calling thread polls, on an interrupt-driven transport and
 * on a polling one. */
static void polled_echo(void)
{
	uint8_t tx[4 + 2] = {0}, rx[8], drx[8];
	struct scmi_raw_cmd c = {
		.protocol_id = TP,
		.msg_id = TP_ECHO,
		.flags = SCMI_RAW_POLL,
		.tx = "xyz",
		.tx_len = 3,
		.rx = rx,
		.rx_size = sizeof(rx),
	};

	cr_assert_eq(scmi_raw_send(raw, &c), 0);
	cr_assert_eq(c.resp.len, 3);
	cr_assert_arr_eq(rx, "xyz", 3);

	put_le32(tx, 2000);
	tx[4] = 'o';
	tx[5] = 'k';
	c = (struct scmi_raw_cmd){
		.protocol_id = TP,
		.msg_id = TP_ASYNC_ECHO,
		.flags = SCMI_RAW_POLL | SCMI_RAW_DRESP,
		.tx = tx,
		.tx_len = sizeof(tx),
		.rx = rx,
		.rx_size = sizeof(rx),
		.drx = drx,
		.drx_size = sizeof(drx),
	};
	cr_assert_eq(scmi_raw_send(raw, &c), 0);
	cr_assert_eq(c.dresp.len, 2);
	cr_assert_arr_eq(drx, "ok", 2);
}

Test(raw, polling)
{
	polled_echo();
}

Test(raw, polling_transport, .init = NULL)
{
	open_uri("loopback://?test_protocols=0xF0:4&polling=1", NULL);
	polled_echo();
}

static int tp_calls;

static int tp_count(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	__atomic_fetch_add(&tp_calls, 1, __ATOMIC_SEQ_CST);
	return SCMI_NOTIFY_OK;
}

static bool tp_called3(void *arg)
{
	return __atomic_load_n(&tp_calls, __ATOMIC_SEQ_CST) >= 3;
}

/* Raw notifications: the selected ones, with header, bytes and time, and
 * the regular listener of the same event gets them all the same. */
Test(raw, notifications)
{
	struct scmi_notifier_block nb = {.notifier_call = tp_count};
	struct scmi_sim *sim = test_sim(h);
	uint8_t tx[12] = {0}, buf[32];
	struct scmi_raw_event ev;
	uint32_t src = 2;
	uint64_t dropped = 1;

	cr_assert_eq(tp_register_events(h, TP), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, TP, 1, &src, &nb), 0);
	cr_assert_eq(scmi_raw_subscribe(raw, TP, 1, true), 0);
	cr_assert_eq(scmi_raw_subscribe(raw, 0x100, 1, true), -EINVAL);
	/* Not subscribed: event 2 (forced), ahead of the others on the
	 * channel. */
	cr_assert_eq(scmi_sim_test_emit(sim, TP, 2, 0, 1, true), 1);
	/* Event 1 of source 2 is enabled already (the notifier). */
	cr_assert_eq(scmi_sim_test_emit(sim, TP, 1, 2, 3, false), 3);
	for (uint32_t i = 0; i < 3; i++) {
		int n = scmi_raw_read(raw, SCMI_RAW_NOTIFICATIONS, &ev, buf, sizeof(buf), 5000);

		cr_assert_eq(n, 12, "notification %u: %d", i, n);
		cr_assert_eq(ev.kind, SCMI_RAW_NOT_AN_ERROR);
		cr_assert_eq(ev.len, 12);
		cr_assert_eq(scmi_hdr_type(ev.hdr), SCMI_MSG_TYPE_NOTIFICATION);
		cr_assert_eq(scmi_hdr_protocol(ev.hdr), TP);
		cr_assert_eq(scmi_hdr_msg_id(ev.hdr), 1);
		cr_assert_neq(ev.timestamp, 0);
		cr_assert_eq(le32(buf), 2, "source");
		cr_assert_eq(le32(buf + 8), 1, "event");
	}
	cr_assert(test_wait_until(tp_called3, NULL, 5000));
	cr_assert_eq(scmi_raw_read(raw, SCMI_RAW_NOTIFICATIONS, &ev, buf, sizeof(buf), 0), -EAGAIN);
	cr_assert_eq(scmi_raw_pending(raw, SCMI_RAW_NOTIFICATIONS, &dropped), 0);
	cr_assert_eq(dropped, 0);

	/* Everything, enabled through a raw NOTIFY command. */
	cr_assert_eq(scmi_raw_subscribe(raw, SCMI_RAW_ANY, SCMI_RAW_ANY, true), 0);
	put_le32(tx, 3);
	put_le32(tx + 4, 1);
	put_le32(tx + 8, 1);
	cr_assert_eq(scmi_raw_command(h, TP, TP_NOTIFY, tx, sizeof(tx), NULL, 0, NULL), 0);
	cr_assert_eq(scmi_sim_test_emit(sim, TP, 3, 1, 1, false), 1);
	cr_assert_eq(scmi_raw_read(raw, SCMI_RAW_NOTIFICATIONS, &ev, buf, 4, 5000), 4);
	cr_assert_eq(ev.len, 12, "the full length, 4 bytes copied");
	cr_assert_eq(scmi_hdr_msg_id(ev.hdr), 3);
	cr_assert_eq(le32(buf), 1);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, TP, 1, &src, &nb), 0);
}

/* Regular ops on another thread while the raw session provokes errors. */
struct regular {
	const struct scmi_handle *h;
	atomic_bool stop;
	atomic_int ops, failures;
};

static void *regular_thread(void *arg)
{
	struct regular *g = arg;

	while (!atomic_load(&g->stop)) {
		int64_t value;
		uint64_t rate;

		if (g->h->sensor_ops->reading_get(g->h, 1, &value))
			atomic_fetch_add(&g->failures, 1);
		if (g->h->clock_ops->rate_get(g->h, 0, &rate))
			atomic_fetch_add(&g->failures, 1);
		atomic_fetch_add(&g->ops, 2);
	}
	return NULL;
}

static bool ops_reached(void *arg)
{
	return atomic_load(&((struct regular *)arg)->ops) >= 200;
}

/* The case: a raw session provokes, then reads, "errors" entries
 * -- a duplicated reply, a reply after the command timed out -- while
 * regular sensor and clock ops run on another thread of the same handle,
 * unharmed. */
Test(raw, errors_while_regular_ops_run, .init = NULL)
{
	struct scmi_config cfg = test_config(NULL);
	struct regular g = {0};
	struct scmi_sim *sim;
	uint8_t rx[64], buf[80];
	struct scmi_raw_event ev;
	struct scmi_raw_cmd c = {
		.protocol_id = SCMI_PROTOCOL_BASE,
		.msg_id = MSG_ATTRIBUTES,
		.rx = rx,
		.rx_size = sizeof(rx),
	};
	struct scmi_sim_fault dup = {
		.kind = SCMI_SIM_FAULT_DUPLICATE,
		.count = 1,
		.protocol = SCMI_PROTOCOL_BASE,
		.message = MSG_ATTRIBUTES,
	};
	struct scmi_sim_fault late = {
		.kind = SCMI_SIM_FAULT_LATE,
		.count = 1,
		.param = 300000,
		.protocol = SCMI_PROTOCOL_BASE,
		.message = MSG_ATTRIBUTES,
	};
	pthread_t t;
	int n;

	/* A shared-memory channel hides both faults (it drops the duplicate
	 * and reclaims the late reply itself): loopback only. */
	if (!test_on_loopback())
		cr_skip_test("loopback only");
	cfg.timeout_ms = 100;
	open_uri(NULL, &cfg);
	sim = test_sim(h);
	g.h = h;
	cr_assert_eq(pthread_create(&t, NULL, regular_thread, &g), 0);
	cr_assert(test_wait_until(ops_reached, &g, 10000));

	/* A duplicated response: the first completes the command, the second
	 * is dropped -- unexpected, or of no command when the token is free
	 * again -- and lands in the errors queue with its bytes. */
	{
		cr_assert_eq(scmi_sim_fault_add(sim, &dup), 0);
		cr_assert_eq(scmi_raw_send(raw, &c), 0);
		n = scmi_raw_read(raw, SCMI_RAW_ERRORS, &ev, buf, sizeof(buf), 5000);
		cr_assert_eq(n, (int)(4 + c.resp.len), "error entry: %d", n);
		cr_assert(ev.kind == SCMI_RAW_ERR_UNEXPECTED ||
				  ev.kind == SCMI_RAW_ERR_UNKNOWN_TOKEN,
			  "kind %s", scmi_raw_error_name(ev.kind));
		cr_assert_eq(ev.hdr, c.resp.hdr, "the duplicate's header: 0x%08x vs 0x%08x", ev.hdr,
			     c.resp.hdr);
		cr_assert_eq(le32(buf), (uint32_t)SCMI_SUCCESS);
		cr_assert_arr_eq(buf + 4, rx, c.resp.len, "the duplicate's bytes");
	}

	/* A late response: the command times out, its reply is an error of
	 * kind "late" once it comes. */
	cr_assert_eq(scmi_sim_fault_add(sim, &late), 0);
	cr_assert_eq(scmi_raw_send(raw, &c), -ETIMEDOUT);
	cr_assert_eq(c.resp.result, -ETIMEDOUT);
	n = scmi_raw_read(raw, SCMI_RAW_ERRORS, &ev, buf, sizeof(buf), 5000);
	cr_assert_geq(n, 4, "late entry: %d", n);
	cr_assert_eq(ev.kind, SCMI_RAW_ERR_LATE, "kind %s", scmi_raw_error_name(ev.kind));
	cr_assert_eq(scmi_hdr_token(ev.hdr), c.token);
	cr_assert_eq(scmi_hdr_msg_id(ev.hdr), MSG_ATTRIBUTES);
	cr_assert_eq(le32(buf), (uint32_t)SCMI_SUCCESS);

	atomic_store(&g.stop, true);
	pthread_join(t, NULL);
	cr_assert_eq(atomic_load(&g.failures), 0, "regular ops failed");
	cr_assert_eq(scmi_raw_pending(raw, SCMI_RAW_ERRORS, NULL), 0);
}

/* Malformed notifications are errors; unselected ones are not queued. */
Test(raw, bad_notification_is_an_error)
{
	struct scmi_sim *sim = test_sim(h);
	uint8_t shortp[2] = {7, 7}, buf[16];
	struct scmi_raw_event ev;

	cr_assert_eq(tp_register_events(h, TP), 0);
	/* Event 9 is not one the protocol has. */
	cr_assert_eq(scmi_sim_test_emit_raw(sim, TP, 9, shortp, sizeof(shortp)), 1);
	cr_assert_eq(scmi_raw_read(raw, SCMI_RAW_ERRORS, &ev, buf, sizeof(buf), 5000), 2);
	cr_assert_eq(ev.kind, SCMI_RAW_ERR_NOTIFICATION);
	cr_assert_eq(scmi_hdr_msg_id(ev.hdr), 9);
	cr_assert_arr_eq(buf, shortp, 2);
	cr_assert_eq(scmi_raw_pending(raw, SCMI_RAW_NOTIFICATIONS, NULL), 0);
	cr_assert_str_eq(scmi_raw_error_name(SCMI_RAW_ERR_LATE), "late");
}

static bool one_error(void *arg)
{
	return scmi_raw_pending(raw, SCMI_RAW_ERRORS, NULL) == 1;
}

/* Reset: queues emptied, requests in flight cancelled (exactly once). */
Test(raw, reset)
{
	static struct scmi_raw_req r;
	struct scmi_sim *sim = test_sim(h);
	struct scmi_sim_fault drop = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = TP,
		.message = TP_ECHO,
	};
	uint8_t shortp[2] = {1, 2};
	struct done d = {0};

	cr_assert_eq(tp_register_events(h, TP), 0);
	cr_assert_eq(scmi_sim_test_emit_raw(sim, TP, 9, shortp, sizeof(shortp)), 1);
	cr_assert(test_wait_until(one_error, NULL, 5000));
	/* Never answered: in flight until reset. */
	cr_assert_eq(scmi_sim_fault_add(sim, &drop), 0);
	r = (struct scmi_raw_req){
		.cmd = {.protocol_id = TP, .msg_id = TP_ECHO, .tx = "a", .tx_len = 1},
		.data = &d,
	};
	cr_assert_eq(scmi_raw_submit(raw, &r, raw_done), 0);
	cr_assert_eq(scmi_raw_reset(raw), 1);
	cr_assert_eq(scmi_raw_pending(raw, SCMI_RAW_ERRORS, NULL), 0);
	cr_assert(test_wait_until(called, &d, 5000));
	cr_assert_eq(d.status, -ECANCELED);
	cr_assert_eq(r.cmd.resp.result, -ECANCELED);
	cr_assert_eq(r.cmd.dresp.result, -ENODATA);
	cr_assert_eq(scmi_raw_reset(raw), 0);
	cr_assert_eq(atomic_load(&d.calls), 1);
}

/* Closing the handle with a session open and a request in flight: the
 * request completes, the session is freed with the handle. */
Test(raw, close_with_a_session_open, .fini = NULL)
{
	static struct scmi_raw_req r;
	struct scmi_sim_fault drop = {
		.kind = SCMI_SIM_FAULT_DROP,
		.count = 1,
		.protocol = TP,
		.message = TP_ECHO,
	};
	struct done d = {0};

	cr_assert_eq(scmi_sim_fault_add(test_sim(h), &drop), 0);
	r = (struct scmi_raw_req){
		.cmd = {.protocol_id = TP, .msg_id = TP_ECHO, .tx = "a", .tx_len = 1},
		.data = &d,
	};
	cr_assert_eq(scmi_raw_submit(raw, &r, raw_done), 0);
	scmi_close(h);
	cr_assert_eq(atomic_load(&d.calls), 1);
	cr_assert_eq(d.status, -ECANCELED);
	h = NULL;
	raw = NULL;
}

/* script://: the platform's response to the next TP_ASYNC_ECHO gets
 * @status instead of its own (or, with @no_status, no status word at all);
 * its delayed response follows all the same. */
struct bad_resp {
	int32_t status;
	bool no_status;
	bool done;
};

static enum st_verdict bad_resp_on_emit(const uint8_t *msg, size_t len, void *arg)
{
	struct bad_resp *b = arg;
	uint32_t hdr = le32(msg);
	uint8_t copy[64];

	if (b->done || scmi_hdr_protocol(hdr) != TP || scmi_hdr_msg_id(hdr) != TP_ASYNC_ECHO ||
	    scmi_hdr_type(hdr) != SCMI_MSG_TYPE_COMMAND || len < 8 || len > sizeof(copy))
		return ST_DELIVER;
	b->done = true;
	memcpy(copy, msg, len);
	put_le32(copy + 4, (uint32_t)b->status);
	st_inject(copy, b->no_status ? 4 : len);
	return ST_DROP;
}

/*
 * A delayed response after a failed response (an error status, or a
 * response too short to hold one) is not the command's: no delayed
 * response follows a failed response, so the command reports none
 * (-ENODATA) and the message goes to the errors queue as unexpected.
 * Found by fuzz_platform's raw sessions (corpus: regress-raw-dresp-after-
 * failed-response): the core took the delayed response, and the raw
 * command reported it as its part.
 */
static void dresp_after_failed_response(bool no_status)
{
	struct scmi_config cfg = test_config(NULL);
	struct bad_resp b = {.status = SCMI_ERR_BUSY, .no_status = no_status};
	struct st_script script = {.on_emit = bad_resp_on_emit, .arg = &b};
	uint8_t tx[4 + 4] = {0, 0, 0, 0, 'a', 'b', 'c', 'd'}, rx[16], drx[16], buf[32];
	struct scmi_raw_cmd c = {
		.protocol_id = TP,
		.msg_id = TP_ASYNC_ECHO,
		.flags = SCMI_RAW_DRESP,
		.tx = tx,
		.tx_len = sizeof(tx),
		.rx = rx,
		.rx_size = sizeof(rx),
		.drx = drx,
		.drx_size = sizeof(drx),
	};
	struct scmi_raw_event ev;
	struct scmi_stats st;

	st_register();
	open_uri("script://", &cfg);
	st_set_script(&script);
	cr_assert_eq(scmi_raw_send(raw, &c), no_status ? -EPROTO : -EBUSY);
	cr_assert(b.done);
	cr_assert_eq(c.resp.result, no_status ? -EPROTO : 0);
	cr_assert_eq(c.resp.status, no_status ? SCMI_STATUS_NONE : SCMI_ERR_BUSY);
	cr_assert_eq(c.dresp.result, -ENODATA, "the delayed response was taken: %d",
		     c.dresp.result);
	cr_assert_eq(c.dresp.status, SCMI_STATUS_NONE);
	/* The delayed response, dropped, with its bytes (status and data). */
	if (no_status) {
		cr_assert_eq(scmi_raw_read(raw, SCMI_RAW_ERRORS, &ev, buf, sizeof(buf), 0), 0);
		cr_assert_eq(ev.kind, SCMI_RAW_ERR_BAD_LENGTH);
		cr_assert_eq(scmi_hdr_type(ev.hdr), SCMI_MSG_TYPE_COMMAND);
	}
	cr_assert_eq(scmi_raw_read(raw, SCMI_RAW_ERRORS, &ev, buf, sizeof(buf), 0), 8);
	cr_assert_eq(ev.kind, SCMI_RAW_ERR_UNEXPECTED);
	cr_assert_eq(scmi_hdr_type(ev.hdr), SCMI_MSG_TYPE_DELAYED_RESP);
	cr_assert_eq(scmi_hdr_token(ev.hdr), c.token);
	cr_assert_eq(le32(buf), SCMI_SUCCESS);
	cr_assert_arr_eq(buf + 4, "abcd", 4);
	cr_assert_eq(scmi_raw_pending(raw, SCMI_RAW_ERRORS, NULL), 0);
	cr_assert_eq(scmi_stats_get(h, &st), 0);
	cr_assert_eq(st.delayed_responses, 0);
	cr_assert_eq(st.drop_bad_state, 1);
	cr_assert_eq(st.dresp_timeouts, 0);
}

Test(raw, dresp_after_error_response_is_unexpected, .init = NULL)
{
	dresp_after_failed_response(false);
}

Test(raw, dresp_after_malformed_response_is_unexpected, .init = NULL)
{
	dresp_after_failed_response(true);
}

/* Selections by range: a protocol's every event but some, across the
 * 64-event words of the selection; "any" off clears everything. */
Test(raw, subscribe_ranges)
{
	static const uint8_t emitted[] = {0, 63, 64, 65, 127, 128, 200, 255};
	static const uint8_t expected[] = {0, 63, 65, 127, 128, 255};
	struct scmi_sim *sim = test_sim(h);
	uint8_t p[4] = {1, 2, 3, 4}, buf[16];
	struct scmi_raw_event ev;

	cr_assert_eq(tp_register_events(h, TP), 0);
	cr_assert_eq(scmi_raw_subscribe(raw, TP, SCMI_RAW_ANY, true), 0);
	cr_assert_eq(scmi_raw_subscribe(raw, TP, 64, false), 0);
	cr_assert_eq(scmi_raw_subscribe(raw, SCMI_RAW_ANY, 200, false), 0);
	cr_assert_eq(scmi_raw_subscribe(raw, TP + 1, SCMI_RAW_ANY, true), 0);
	for (size_t i = 0; i < sizeof(emitted); i++)
		cr_assert_eq(scmi_sim_test_emit_raw(sim, TP, emitted[i], p, sizeof(p)), 1);
	for (size_t i = 0; i < sizeof(expected); i++) {
		cr_assert_eq(
			scmi_raw_read(raw, SCMI_RAW_NOTIFICATIONS, &ev, buf, sizeof(buf), 5000), 4,
			"event %u", expected[i]);
		cr_assert_eq(scmi_hdr_msg_id(ev.hdr), expected[i]);
	}
	cr_assert_eq(scmi_raw_subscribe(raw, SCMI_RAW_ANY, SCMI_RAW_ANY, false), 0);
	/* An event the protocol does not have is an error entry too: once it
	 * is in, the notification was handled (and not queued). */
	cr_assert_eq(scmi_sim_test_emit_raw(sim, TP, 62, p, sizeof(p)), 1);
	do
		cr_assert_eq(scmi_raw_read(raw, SCMI_RAW_ERRORS, &ev, buf, sizeof(buf), 5000), 4);
	while (scmi_hdr_msg_id(ev.hdr) != 62);
	cr_assert_eq(scmi_raw_pending(raw, SCMI_RAW_NOTIFICATIONS, NULL), 0);
}

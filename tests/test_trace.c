// SPDX-License-Identifier: BSD-3-Clause
/*
 * The trace hook and the Linux-named counters (scmi/trace.h) against the
 * loopback simulator: the events of each transfer in order, their ids and
 * tokens, delayed responses, notifications, timeouts, fastchannel calls,
 * and the counters after known sequences.
 */
#include <errno.h>
#include <stdio.h>

#include "common.h"
#include "helpers.h"

#define TP	       0xF0 /* the simulator's test protocol */
#define TP_ECHO	       0x3
#define TP_ASYNC_ECHO  0x4
#define PERF	       SCMI_PROTOCOL_PERF
#define PERF_LEVEL_SET 0x7
#define DOM_LITTLE     0 /* fastchannels, level notifications */
#define MAX_RECS       4096

/* A copy of one record (the record is valid during the hook only). */
struct rec {
	struct scmi_trace_record r;
	char tag[6];
	uint8_t bytes[64];
};

static struct {
	pthread_mutex_t lock;
	unsigned int n;
	bool bad_priv;
	struct rec recs[MAX_RECS];
} tr = {.lock = PTHREAD_MUTEX_INITIALIZER};

static struct scmi_handle *h;
static struct scmi_sim *sim;

static void hook(void *priv, const struct scmi_trace_record *r)
{
	pthread_mutex_lock(&tr.lock);
	if (priv != &tr)
		tr.bad_priv = true;
	if (tr.n < MAX_RECS) {
		struct rec *c = &tr.recs[tr.n];

		c->r = *r;
		if (r->tag)
			snprintf(c->tag, sizeof(c->tag), "%s", r->tag);
		if (r->buf)
			memcpy(c->bytes, r->buf,
			       r->len < sizeof(c->bytes) ? r->len : sizeof(c->bytes));
		c->r.buf = NULL;
		c->r.tag = NULL;
		tr.n++;
	}
	pthread_mutex_unlock(&tr.lock);
}

static unsigned int nrecs(void)
{
	unsigned int n;

	pthread_mutex_lock(&tr.lock);
	n = tr.n;
	pthread_mutex_unlock(&tr.lock);
	return n;
}

static void open_traced(const char *uri, unsigned int timeout_ms)
{
	struct scmi_config cfg = test_config(NULL);

	tr.n = 0;
	tr.bad_priv = false;
	cfg.timeout_ms = timeout_ms;
	cfg.trace_fn = hook;
	cfg.trace_priv = &tr;
	h = test_open(uri, &cfg);
	sim = scmi_loopback_sim(h);
	cr_assert_eq(scmi_sim_test_protocol_add(sim, TP, 4), 0);
}

static void teardown(void)
{
	cr_expect_not(tr.bad_priv, "the hook gets its private pointer");
	scmi_close(h);
	h = NULL;
}

/* Index of the first record at or after @from of @ev (and @tag, and
 * @transfer_id unless -1), or -1. */
static int find(unsigned int from, enum scmi_trace_event ev, const char *tag, int transfer_id)
{
	unsigned int n = nrecs();

	for (unsigned int i = from; i < n; i++) {
		const struct rec *c = &tr.recs[i];

		if (c->r.event == ev && (!tag || !strcmp(c->tag, tag)) &&
		    (transfer_id < 0 || c->r.transfer_id == transfer_id))
			return (int)i;
	}
	return -1;
}

struct find_wait {
	enum scmi_trace_event ev;
	const char *tag;
	int id;
};

static bool found(void *arg)
{
	struct find_wait *w = arg;

	return find(0, w->ev, w->tag, w->id) >= 0;
}

/* The named Linux counter. */
struct counter_lookup {
	const char *name;
	uint64_t value;
	unsigned int seen;
};

static void counter_cb(void *arg, const char *name, uint64_t value)
{
	struct counter_lookup *l = arg;

	l->seen++;
	if (!strcmp(name, l->name))
		l->value = value;
}

static uint64_t counter(const char *name)
{
	struct counter_lookup l = {name, UINT64_MAX, 0};

	cr_assert_eq(scmi_stats_foreach(h, counter_cb, &l), 0);
	cr_assert_eq(l.seen, 15);
	cr_assert_neq(l.value, UINT64_MAX, "no counter %s", name);
	return l.value;
}

/* ECHO of @len bytes. */
static int echo(const uint8_t *tx, size_t len)
{
	uint8_t rx[64];
	size_t rlen;
	int ret = scmi_raw_command(h, TP, TP_ECHO, tx, len, rx, sizeof(rx), &rlen);

	if (!ret && (rlen != len || memcmp(rx, tx, len)))
		ret = -EPROTO;
	return ret;
}

/* Check begin < CMND < end, CMND < response_wait < end, RESP < rx_done <
 * end for transfer @id (starting at @from); returns the index of its end. */
static int check_transfer(unsigned int from, int id, const uint8_t *payload, size_t len)
{
	int b = find(from, SCMI_TRACE_XFER_BEGIN, NULL, id);
	int cmd = find(from, SCMI_TRACE_MSG_DUMP, "CMND", id);
	int w = find(from, SCMI_TRACE_XFER_RESPONSE_WAIT, NULL, id);
	int resp = find(from, SCMI_TRACE_MSG_DUMP, "RESP", id);
	int rx = find(from, SCMI_TRACE_RX_DONE, NULL, id);
	int e = find(from, SCMI_TRACE_XFER_END, NULL, id);

	cr_assert(b >= 0 && cmd > b && w > cmd && e > w, "transfer %d: %d %d %d %d", id, b, cmd, w,
		  e);
	cr_assert(resp > cmd && rx > resp && e > rx, "transfer %d: %d %d %d", id, resp, rx, e);
	for (int i = b; i <= e; i++) {
		const struct scmi_trace_record *r = &tr.recs[i].r;

		if (r->transfer_id != id)
			continue;
		cr_assert_eq(r->seq, tr.recs[b].r.seq, "one token per transfer");
		cr_assert_eq(r->protocol_id, tr.recs[b].r.protocol_id);
		cr_assert_eq(r->msg_id, tr.recs[b].r.msg_id);
		if (r->event == SCMI_TRACE_MSG_DUMP || r->event == SCMI_TRACE_RX_DONE) {
			cr_assert_eq(scmi_hdr_token(r->hdr), r->seq, "token = header's");
			cr_assert_eq(scmi_hdr_protocol(r->hdr), r->protocol_id);
			cr_assert_eq(scmi_hdr_msg_id(r->hdr), r->msg_id);
		}
	}
	cr_assert_eq(tr.recs[w].r.timeout_ms, scmi_inst(h)->timeout_ms);
	cr_assert_eq(tr.recs[e].r.status, 0);
	if (payload) {
		cr_assert_eq(tr.recs[cmd].r.len, len);
		cr_assert_arr_eq(tr.recs[cmd].bytes, payload, len);
		cr_assert_eq(tr.recs[resp].r.len, len, "echo: the same bytes back");
		cr_assert_arr_eq(tr.recs[resp].bytes, payload, len);
		cr_assert_eq(tr.recs[resp].r.status, SCMI_SUCCESS);
	}
	return e;
}

TestSuite(trace, .fini = teardown, .timeout = 60);

Test(trace, transfers_in_order_with_increasing_ids)
{
	uint8_t payload[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	int last = 0, id;
	unsigned int from;

	open_traced(NULL, 1000);
	/* Discovery at scmi_open() was traced: ids 1, 2, ... one by one. */
	for (unsigned int i = 0; i < nrecs(); i++) {
		if (tr.recs[i].r.event != SCMI_TRACE_XFER_BEGIN)
			continue;
		cr_assert_eq(tr.recs[i].r.transfer_id, last + 1);
		cr_assert_eq(tr.recs[i].r.poll, false, "loopback:// interrupts");
		last = tr.recs[i].r.transfer_id;
		check_transfer(0, last, NULL, 0);
	}
	cr_assert_gt(last, 3, "Base discovery traced");

	for (unsigned int k = 0; k < 5; k++) {
		payload[0] = (uint8_t)k;
		from = nrecs();
		cr_assert_eq(echo(payload, sizeof(payload)), 0);
		id = tr.recs[find(from, SCMI_TRACE_XFER_BEGIN, NULL, -1)].r.transfer_id;
		cr_assert_eq(id, last + 1, "ids increase by one per command");
		check_transfer(from, id, payload, sizeof(payload));
		last = id;
	}

	/* Removed: no more events. */
	cr_assert_eq(scmi_trace_set(h, NULL, NULL), 0);
	from = nrecs();
	cr_assert_eq(echo(payload, sizeof(payload)), 0);
	cr_assert_eq(nrecs(), from);
	/* Set again at run time: the next transfer id counts the untraced
	 * command too. */
	cr_assert_eq(scmi_trace_set(h, hook, &tr), 0);
	cr_assert_eq(echo(payload, sizeof(payload)), 0);
	cr_assert_eq(tr.recs[find(from, SCMI_TRACE_XFER_BEGIN, NULL, -1)].r.transfer_id, last + 2);
	cr_assert_eq(scmi_trace_set(NULL, hook, &tr), -EINVAL);
}

Test(trace, delayed_response_dumped_as_dlyd)
{
	struct scmi_instance *inst;
	struct scmi_xfer *x;
	struct find_wait fw = {SCMI_TRACE_MSG_DUMP, "DLYD", -1};
	uint64_t dresp0;
	unsigned int from;
	int id, resp, dlyd, rx;

	open_traced(NULL, 1000);
	inst = scmi_inst(h);
	dresp0 = counter("delayed_response_ok");
	from = nrecs();
	cr_assert_eq(scmi_xfer_get_init(&inst->tx_minfo, TP, TP_ASYNC_ECHO, 8, 0, 1000, &x), 0);
	scmi_put_le32((void *)x->t.tx, 1000);
	scmi_put_le32((uint8_t *)x->t.tx + 4, 0xcafe);
	id = x->transfer_id;
	cr_assert_eq(scmi_do_xfer_with_response(x), 0);
	scmi_xfer_put(x);
	fw.id = id;
	cr_assert(test_wait_until(found, &fw, 5000));
	resp = find(from, SCMI_TRACE_MSG_DUMP, "RESP", id);
	dlyd = find(from, SCMI_TRACE_MSG_DUMP, "DLYD", id);
	cr_assert(resp >= 0 && dlyd > resp, "response, then delayed response");
	cr_assert_eq(tr.recs[dlyd].r.msg_type, SCMI_MSG_TYPE_DELAYED_RESP);
	cr_assert_eq(scmi_hdr_type(tr.recs[dlyd].r.hdr), SCMI_MSG_TYPE_DELAYED_RESP);
	cr_assert_eq(scmi_hdr_token(tr.recs[dlyd].r.hdr), tr.recs[resp].r.seq);
	cr_assert_eq(tr.recs[dlyd].r.len, 4);
	cr_assert_eq(scmi_get_le32(tr.recs[dlyd].bytes), 0xcafe);
	rx = find((unsigned int)dlyd, SCMI_TRACE_RX_DONE, NULL, id);
	cr_assert_gt(rx, dlyd);
	cr_assert_eq(tr.recs[rx].r.msg_type, SCMI_MSG_TYPE_DELAYED_RESP);
	cr_assert_eq(counter("delayed_response_ok"), dresp0 + 1);
}

static int level_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	(void)nb;
	(void)evt;
	(void)report;
	return SCMI_NOTIFY_OK;
}

Test(trace, notification_dumped_as_noti)
{
	struct scmi_notifier_block nb = {.notifier_call = level_cb};
	struct find_wait fw = {SCMI_TRACE_MSG_DUMP, "NOTI", -1};
	uint32_t dom = DOM_LITTLE;
	uint64_t noti0;
	int i, rx;

	open_traced(NULL, 1000);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED,
							    &dom, &nb),
		     0);
	noti0 = counter("notification_ok");
	cr_assert_eq(test_perf_level_set(h, DOM_LITTLE, 900), 0);
	cr_assert(test_wait_until(found, &fw, 5000), "a NOTI dump");
	i = find(0, SCMI_TRACE_MSG_DUMP, "NOTI", -1);
	cr_assert_eq(tr.recs[i].r.protocol_id, PERF);
	cr_assert_eq(tr.recs[i].r.msg_id, SCMI_EVENT_PERF_LEVEL_CHANGED);
	cr_assert_eq(tr.recs[i].r.msg_type, SCMI_MSG_TYPE_NOTIFICATION);
	cr_assert_eq(scmi_hdr_type(tr.recs[i].r.hdr), SCMI_MSG_TYPE_NOTIFICATION);
	cr_assert_geq(tr.recs[i].r.len, 12);
	cr_assert_eq(scmi_get_le32(tr.recs[i].bytes + 4), DOM_LITTLE);
	cr_assert_eq(scmi_get_le32(tr.recs[i].bytes + 8), 900);
	cr_assert_gt(tr.recs[i].r.transfer_id, 0);
	rx = find((unsigned int)i, SCMI_TRACE_RX_DONE, NULL, tr.recs[i].r.transfer_id);
	cr_assert_gt(rx, i);
	cr_assert_eq(tr.recs[rx].r.msg_type, SCMI_MSG_TYPE_NOTIFICATION);
	cr_assert_eq(counter("notification_ok"), noti0 + 1);
	cr_assert_eq(h->notify_ops->event_notifier_unregister(
			     h, PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, &dom, &nb),
		     0);
}

Test(trace, timeout_ends_with_etimedout)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DROP,
		.every = 1,
		.count = 1,
		.protocol = TP,
		.message = -1,
	};
	uint8_t payload[4] = {9, 9, 9, 9};
	unsigned int from;
	int b, e, id;

	open_traced(NULL, 100);
	cr_assert_eq(counter("xfers_response_timeout"), 0);
	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	from = nrecs();
	cr_assert_eq(echo(payload, sizeof(payload)), -ETIMEDOUT);
	b = find(from, SCMI_TRACE_XFER_BEGIN, NULL, -1);
	cr_assert_geq(b, 0);
	id = tr.recs[b].r.transfer_id;
	e = find(from, SCMI_TRACE_XFER_END, NULL, id);
	cr_assert_gt(e, b);
	cr_assert_eq(tr.recs[e].r.status, -ETIMEDOUT);
	cr_assert_eq(find(from, SCMI_TRACE_MSG_DUMP, "RESP", id), -1, "no response");
	cr_assert_eq(counter("xfers_response_timeout"), 1);
	cr_assert_eq(counter("xfers_response_polled_timeout"), 0);
	/* The next command goes through. */
	cr_assert_eq(echo(payload, sizeof(payload)), 0);
}

Test(trace, fastchannel_level_set_emits_fc_call)
{
	const struct scmi_perf_domain_info *d;
	uint64_t sent;
	unsigned int from;
	int i;

	open_traced(NULL, 1000);
	cr_assert_eq(h->perf_ops->info_get(h, DOM_LITTLE, &d), 0);
	if (!d->fc[SCMI_PERF_FC_LEVEL_SET].mapped)
		cr_skip_test("no level-set fastchannel on this transport");
	from = nrecs();
	sent = counter("sent_ok");
	cr_assert_eq(h->perf_ops->level_set(h, DOM_LITTLE, 1300), 0);
	i = find(from, SCMI_TRACE_FC_CALL, NULL, -1);
	cr_assert_geq(i, 0);
	cr_assert_eq(tr.recs[i].r.protocol_id, PERF);
	cr_assert_eq(tr.recs[i].r.msg_id, PERF_LEVEL_SET);
	cr_assert_eq(tr.recs[i].r.res_id, DOM_LITTLE);
	cr_assert_eq(tr.recs[i].r.val1, 1300);
	cr_assert_eq(find(from, SCMI_TRACE_XFER_BEGIN, NULL, -1), -1, "no message sent");
	cr_assert_eq(counter("sent_ok"), sent);
}

static bool none_inflight(void *arg)
{
	(void)arg;
	return counter("xfers_inflight") == 0;
}

Test(trace, counters_after_known_sequences)
{
	static const char *const names[] = {
		"sent_ok",
		"sent_fail",
		"sent_fail_polling_unsupported",
		"sent_fail_channel_not_found",
		"response_ok",
		"notification_ok",
		"delayed_response_ok",
		"xfers_response_timeout",
		"xfers_response_polled_timeout",
		"response_polled_ok",
		"err_msg_unexpected",
		"err_msg_invalid",
		"err_msg_nomem",
		"err_protocol",
		"xfers_inflight",
	};
	uint8_t payload[4] = {1};
	uint64_t v[15];
	struct scmi_stats st;
	uint8_t rx[8];
	size_t rlen;

	open_traced(NULL, 1000);
	for (size_t i = 0; i < 15; i++)
		v[i] = counter(names[i]);
	cr_assert_eq(scmi_stats_get(h, &st), 0);
	cr_assert_eq(v[0], st.sent);
	cr_assert_eq(v[4], st.responses, "interrupt-driven: all responses are response_ok");
	cr_assert_eq(v[9], 0);
	for (int k = 0; k < 10; k++)
		cr_assert_eq(echo(payload, sizeof(payload)), 0);
	/* A message the test protocol lacks: NOT_FOUND, an SCMI error. */
	cr_assert_eq(scmi_raw_command(h, TP, 0x7f, NULL, 0, rx, sizeof(rx), &rlen), -ENOENT);
	cr_assert_eq(counter("sent_ok"), v[0] + 11);
	cr_assert_eq(counter("response_ok"), v[4] + 11);
	cr_assert_eq(counter("err_protocol"), v[13] + 1);
	cr_assert_eq(counter("sent_fail"), v[1]);
	cr_assert_eq(counter("xfers_response_timeout"), 0);
	cr_assert_eq(counter("err_msg_unexpected"), 0);
	cr_assert_eq(counter("err_msg_invalid"), 0);
	/* A gauge: the receive thread drops its reference to the last
	 * xfer just after completing it. */
	cr_assert(test_wait_until(none_inflight, NULL, 5000), "xfers back in the pool");
	cr_assert_eq(counter("sent_fail_polling_unsupported"), 0);
}

Test(trace, polled_responses_counted_as_polled)
{
	uint8_t payload[4] = {7};
	uint64_t polled, resp;
	int b;

	open_traced("loopback://?polling=1", 1000);
	polled = counter("response_polled_ok");
	resp = counter("response_ok");
	cr_assert_gt(polled, 0, "discovery polled");
	cr_assert_eq(resp, 0);
	cr_assert_eq(echo(payload, sizeof(payload)), 0);
	cr_assert_eq(counter("response_polled_ok"), polled + 1);
	b = find(0, SCMI_TRACE_XFER_BEGIN, NULL, -1);
	cr_assert(tr.recs[b].r.poll);
}

Test(trace, format_as_the_kernel_prints, .fini = NULL)
{
	static const uint8_t pl[] = {0x01, 0x00, 0xab};
	struct scmi_trace_record r = {
		.event = SCMI_TRACE_XFER_BEGIN,
		.transfer_id = 12,
		.protocol_id = 0x13,
		.msg_id = 0x7,
		.seq = 4,
	};
	char buf[160];
	size_t full;

	cr_assert_gt(scmi_trace_format(&r, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "scmi_xfer_begin: pt=13 msg_id=07 seq=0004 transfer_id=C poll=0");
	r.event = SCMI_TRACE_XFER_END;
	r.status = -110;
	scmi_trace_format(&r, buf, sizeof(buf));
	cr_assert_str_eq(buf, "scmi_xfer_end: pt=13 msg_id=07 seq=0004 transfer_id=C s=-110");
	r.event = SCMI_TRACE_MSG_DUMP;
	r.status = 0;
	r.tag = "RESP";
	r.buf = pl;
	r.len = sizeof(pl);
	cr_assert_eq(scmi_trace_format(&r, buf, sizeof(buf)), (int)strlen(buf));
	cr_assert_str_eq(
		buf, "scmi_msg_dump: id=0 ch=00 pt=13 t=RESP msg_id=07 seq=0004 s=0 pyld=0100ab");
	/* Truncated: the full length, as snprintf(). */
	full = strlen(buf);
	cr_assert_eq(scmi_trace_format(&r, buf, 10), (int)full);
	cr_assert_eq(strlen(buf), 9);
	r.event = SCMI_TRACE_FC_CALL;
	r.res_id = 0;
	r.val1 = 1300;
	scmi_trace_format(&r, buf, sizeof(buf));
	cr_assert_str_eq(buf, "scmi_fc_call: pt=13 msg_id=07 res_id:0 vals=1300:0");
	r.event = 99;
	cr_assert_eq(scmi_trace_format(&r, buf, sizeof(buf)), -EINVAL);
}

Test(trace, duplicate_response_dumped_as_unexpected)
{
	struct scmi_sim_fault f = {
		.kind = SCMI_SIM_FAULT_DUPLICATE,
		.every = 1,
		.count = 1,
		.protocol = TP,
		.message = -1,
	};
	struct find_wait fw = {SCMI_TRACE_MSG_DUMP, "!RESP", -1};
	uint8_t payload[4] = {5, 6, 7, 8};
	unsigned int from;
	int b, i;

	open_traced(NULL, 1000);
	cr_assert_eq(counter("err_msg_unexpected"), 0);
	cr_assert_eq(scmi_sim_fault_add(sim, &f), 0);
	from = nrecs();
	cr_assert_eq(echo(payload, sizeof(payload)), 0);
	cr_assert(test_wait_until(found, &fw, 5000), "the second response dumped as dropped");
	b = find(from, SCMI_TRACE_XFER_BEGIN, NULL, -1);
	i = find(from, SCMI_TRACE_MSG_DUMP, "!RESP", -1);
	cr_assert_eq(tr.recs[i].r.status, SCMI_TRACE_BAD_UNEXPECTED);
	cr_assert_eq(tr.recs[i].r.seq, tr.recs[b].r.seq, "the token of the answered command");
	cr_assert_eq(tr.recs[i].r.protocol_id, TP);
	cr_assert_eq(tr.recs[i].r.msg_id, TP_ECHO);
	cr_assert_eq(tr.recs[i].r.len, 0);
	cr_assert_eq(counter("err_msg_unexpected"), 1);
}

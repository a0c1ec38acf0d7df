/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault layer: sits between the models' output and the emit callback and
 * misbehaves on purpose, one knob per fault the suites exercise
 * (docs/TESTING.md, "URI fault knobs").  It works on the output slots in
 * place (they carry SIM_FAULT_LEN_MAX bytes of slack for BAD_LENGTH), so it
 * never allocates.
 *
 * What each knob counts as a "matching message" (for every/count):
 *   DELAY, DROP, DUPLICATE, WRONG_TOKEN, LATE   responses
 *   BAD_LENGTH                                  responses, or notifications
 *   DRESP_FIRST      responses of async commands (a delayed response follows)
 *   UNEXPECTED_DRESP, UNEXPECTED_DRESP_FIRST
 *                    responses of sync commands (no delayed response)
 *   LATE_DRESP       delayed responses
 *   STATUS           commands (checked before the model runs: the knob
 *                    answers instead of the model)
 *   RANGE_COUNT      successful clock DESCRIBE_RATES replies in range form
 *                    (of the clock the knob names, if it names one)
 *   NO_DRESP         delayed responses of async commands
 *   INLINE_DRESP     responses of async commands (a delayed response follows)
 * The protocol / message filters use the message's header (the event id for
 * notifications).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim-internal.h"

static bool fault_filter(const struct scmi_sim_fault *f, const struct sim_out *o)
{
	return (f->protocol < 0 || f->protocol == o->proto) &&
	       (f->message < 0 || f->message == o->msg_id);
}

/*
 * Next knob of @kind, from position *pos on, that fires for @o; NULL when
 * none.  Every matching knob counts the message, a firing one counts a hit.
 */
/* Does knob @k (of @kind) fire for @o?  Counts what it sees and fires. */
static bool fault_knob_fire(struct scmi_sim *sim, struct sim_fault_knob *k,
			    enum scmi_sim_fault_kind kind, const struct sim_out *o, bool notif)
{
	if (k->f.kind != kind || k->f.notifications != notif || !fault_filter(&k->f, o))
		return false;
	if (k->f.count && k->hits >= k->f.count)
		return false;
	k->seen++;
	if (k->f.every > 1 && k->seen % k->f.every)
		return false;
	k->hits++;
	sim->faults.hits[kind]++;
	sim->stats.faults_applied++;
	return true;
}

static const struct scmi_sim_fault *fault_fire(struct scmi_sim *sim, unsigned int *pos,
					       enum scmi_sim_fault_kind kind,
					       const struct sim_out *o, bool notif)
{
	struct sim_faults *fs = &sim->faults;

	while (*pos < fs->n) {
		struct sim_fault_knob *k = &fs->knobs[(*pos)++];

		if (fault_knob_fire(sim, k, kind, o, notif))
			return &k->f;
	}
	return NULL;
}

/* Does any knob of @kind fire?  (All matching knobs still count.) */
static bool fault_any(struct scmi_sim *sim, enum scmi_sim_fault_kind kind, const struct sim_out *o)
{
	unsigned int pos = 0;
	bool fired = false;

	while (fault_fire(sim, &pos, kind, o, false))
		fired = true;
	return fired;
}

/* BAD_LENGTH: grow with zero bytes or cut, never below the header (the
 * agent must still be able to attribute the message). */
static size_t fault_resize(struct scmi_sim *sim, struct sim_out *o, size_t len, int64_t delta)
{
	size_t room = sim->out_cap - len;
	size_t d;

	if (delta < 0) {
		d = (uint64_t)-delta < len - SIM_HDR_SIZE ? (size_t)-delta : len - SIM_HDR_SIZE;
		return len - d;
	}
	d = (uint64_t)delta < room ? (size_t)delta : room;
	memset(o->buf + len, 0, d);
	return len + d;
}

static size_t fault_bad_length(struct scmi_sim *sim, struct sim_out *o, bool notif)
{
	const struct scmi_sim_fault *f;
	unsigned int pos = 0;
	size_t len = o->len;

	while ((f = fault_fire(sim, &pos, SCMI_SIM_FAULT_BAD_LENGTH, o, notif)))
		len = fault_resize(sim, o, len, f->param);
	return len;
}

/* WRONG_TOKEN: token ^ param, or token + 512 for param 0 (10-bit field). */
static void fault_wrong_token(struct scmi_sim *sim, struct sim_out *o)
{
	const struct scmi_sim_fault *f;
	unsigned int pos = 0;
	uint32_t hdr = sim_get_le32(o->buf);
	uint32_t token = SIM_HDR_TOKEN(hdr);

	while ((f = fault_fire(sim, &pos, SCMI_SIM_FAULT_WRONG_TOKEN, o, false)))
		token = f->param ? token ^ (uint32_t)f->param : token + 512;
	token &= SIM_TOKEN_MASK;
	sim_put_le32(o->buf, (hdr & ~SIM_HDR_TOKEN_MASK) | token << 18);
}

static uint64_t fault_response_delay(struct scmi_sim *sim, const struct sim_out *o)
{
	const struct scmi_sim_fault *f;
	unsigned int pos = 0;
	uint64_t delay = o->delay_us;

	while ((f = fault_fire(sim, &pos, SCMI_SIM_FAULT_DELAY, o, false)))
		delay += (uint64_t)f->param;
	pos = 0;
	while ((f = fault_fire(sim, &pos, SCMI_SIM_FAULT_LATE, o, false)))
		delay = (uint64_t)f->param;
	return delay;
}

/* Clock protocol, DESCRIBE_RATES and its range flag (spec digest §6.5). */
#define FAULT_CLOCK_PROTO	   0x14
#define FAULT_CLOCK_DESCRIBE_RATES 0x4
#define FAULT_RATES_RANGE	   (1u << 12)
#define FAULT_RATE_SIZE		   8u

/* Is @o a successful range-form DESCRIBE_RATES reply of the clock @f names?
 * (The reply does not carry the clock id: the request's first word does.) */
static bool fault_is_range_reply(const struct scmi_sim *sim, const struct sim_out *o, size_t len,
				 const struct scmi_sim_fault *f)
{
	uint32_t clock = (uint32_t)(f->param >> 32 & 0xFFFF);

	if (o->proto != FAULT_CLOCK_PROTO || o->msg_id != FAULT_CLOCK_DESCRIBE_RATES ||
	    len < SIM_RESP_OVERHEAD + 4 + 3 * FAULT_RATE_SIZE || sim_get_le32(o->buf + 4))
		return false;
	if (!(sim_get_le32(o->buf + SIM_RESP_OVERHEAD) & FAULT_RATES_RANGE))
		return false;
	return !clock || clock - 1 == sim->req_word0;
}

/* RANGE_COUNT: rewrite the count word; send as many entries as it says
 * (min, max, step, then step again), or as many as b[11:8] says. */
static size_t fault_range_count(struct scmi_sim *sim, struct sim_out *o, size_t len)
{
	struct sim_faults *fs = &sim->faults;
	uint8_t *e = o->buf + SIM_RESP_OVERHEAD + 4;

	for (unsigned int i = 0; i < fs->n; i++) {
		struct sim_fault_knob *k = &fs->knobs[i];
		unsigned int n, sent;

		if (k->f.kind != SCMI_SIM_FAULT_RANGE_COUNT ||
		    !fault_is_range_reply(sim, o, len, &k->f))
			continue;
		if (!fault_knob_fire(sim, k, SCMI_SIM_FAULT_RANGE_COUNT, o, false))
			continue;
		n = (unsigned int)(k->f.param & 0xF);
		sent = (unsigned int)(k->f.param >> 8 & 0xF);
		if (!sent)
			sent = n;
		sim_put_le32(o->buf + SIM_RESP_OVERHEAD,
			     n | FAULT_RATES_RANGE | (uint32_t)(k->f.param & 0xFFFF0000));
		for (unsigned int j = 3; j < sent; j++)
			memcpy(e + j * FAULT_RATE_SIZE, e + 2 * FAULT_RATE_SIZE, FAULT_RATE_SIZE);
		len = SIM_RESP_OVERHEAD + 4 + sent * FAULT_RATE_SIZE;
	}
	return len;
}

static void fault_response(struct scmi_sim *sim, struct sim_out *o)
{
	uint64_t delay;
	size_t len;
	bool dup;

	if (fault_any(sim, SCMI_SIM_FAULT_DROP, o))
		return;
	delay = fault_response_delay(sim, o);
	fault_wrong_token(sim, o);
	len = fault_range_count(sim, o, o->len);
	o->len = len;
	len = fault_bad_length(sim, o, false);
	dup = fault_any(sim, SCMI_SIM_FAULT_DUPLICATE, o);
	sim_out_deliver(sim, o->chan, o->buf, len, delay);
	if (dup)
		sim_out_deliver(sim, o->chan, o->buf, len, delay);
}

static uint64_t fault_dresp_delay(struct scmi_sim *sim, const struct sim_out *o)
{
	const struct scmi_sim_fault *f;
	unsigned int pos = 0;
	uint64_t delay = o->delay_us;

	while ((f = fault_fire(sim, &pos, SCMI_SIM_FAULT_LATE_DRESP, o, false)))
		delay = (uint64_t)f->param;
	return delay;
}

static void fault_other(struct scmi_sim *sim, struct sim_out *o)
{
	if (o->type == SIM_TYPE_DELAYED_RESPONSE)
		sim_out_deliver(sim, o->chan, o->buf, o->len, fault_dresp_delay(sim, o));
	else if (o->type == SIM_TYPE_NOTIFICATION)
		sim_out_deliver(sim, o->chan, o->buf, fault_bad_length(sim, o, true), o->delay_us);
}

/* Index of the delayed response completing the command in outs[0], or 0. */
static size_t fault_find_dresp(const struct sim_out *outs, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (outs[i].type == SIM_TYPE_DELAYED_RESPONSE && outs[i].token == outs[0].token)
			return i;
	return 0;
}

/* UNEXPECTED_DRESP: the response again, as a delayed response (type 2)
 * with the command's token, after the response. */
static void fault_unexpected_dresp(struct scmi_sim *sim, struct sim_out *resp, uint32_t hdr,
				   size_t len)
{
	resp->type = SIM_TYPE_DELAYED_RESPONSE;
	resp->chan = SCMI_SIM_CHAN_P2A;
	resp->len = len;
	resp->delay_us = 0;
	sim_put_le32(resp->buf, (hdr & ~SIM_HDR_TYPE_MASK) | SIM_TYPE_DELAYED_RESPONSE << 8);
	fault_other(sim, resp);
}

/* INLINE_DRESP: the delayed response's data after its first word (the
 * resource id) becomes the response's data, as a synchronous answer would
 * carry it.  Only a successful response takes it. */
static void fault_inline_dresp(struct scmi_sim *sim, struct sim_out *resp,
			       const struct sim_out *dresp)
{
	size_t data;

	if (resp->len < SIM_RESP_OVERHEAD || sim_get_le32(resp->buf + 4) ||
	    dresp->len < SIM_RESP_OVERHEAD + 4)
		return;
	data = dresp->len - SIM_RESP_OVERHEAD - 4;
	if (SIM_RESP_OVERHEAD + data > sim->out_cap)
		data = sim->out_cap - SIM_RESP_OVERHEAD;
	memcpy(resp->buf + SIM_RESP_OVERHEAD, dresp->buf + SIM_RESP_OVERHEAD + 4, data);
	resp->len = SIM_RESP_OVERHEAD + data;
}

/* A command's outputs; marks in @done what it emitted itself. */
static void fault_command(struct scmi_sim *sim, struct sim_out *outs, size_t n, bool *done)
{
	struct sim_out *resp = &outs[0];
	uint32_t hdr = sim_get_le32(resp->buf);
	size_t len = resp->len;
	size_t d = fault_find_dresp(outs, n);
	bool sync = !d;

	done[0] = true;
	if (d && fault_any(sim, SCMI_SIM_FAULT_NO_DRESP, &outs[d])) {
		done[d] = true; /* never sent */
	} else if (d && fault_any(sim, SCMI_SIM_FAULT_INLINE_DRESP, resp)) {
		fault_inline_dresp(sim, resp, &outs[d]);
		done[d] = true;
	}
	if (d && !done[d] && fault_any(sim, SCMI_SIM_FAULT_DRESP_FIRST, resp)) {
		uint64_t ddelay = fault_dresp_delay(sim, &outs[d]);

		sim_out_deliver(sim, outs[d].chan, outs[d].buf, outs[d].len, ddelay);
		done[d] = true;
		/* Hold the response back until the delayed one is out. */
		if (resp->delay_us < ddelay)
			resp->delay_us = ddelay;
	}
	if (sync && fault_any(sim, SCMI_SIM_FAULT_UNEXPECTED_DRESP_FIRST, resp)) {
		/* The response as a delayed response, ahead of the response
		 * itself (same delay: emitted first, so due first). */
		sim_put_le32(resp->buf,
			     (hdr & ~SIM_HDR_TYPE_MASK) | SIM_TYPE_DELAYED_RESPONSE << 8);
		sim_out_deliver(sim, SCMI_SIM_CHAN_P2A, resp->buf, resp->len, resp->delay_us);
		sim_put_le32(resp->buf, hdr);
	}
	fault_response(sim, resp);
	if (sync && fault_any(sim, SCMI_SIM_FAULT_UNEXPECTED_DRESP, resp))
		fault_unexpected_dresp(sim, resp, hdr, len);
}

void sim_fault_run(struct scmi_sim *sim, struct sim_out *outs, size_t n)
{
	bool done[SIM_OUT_MAX];

	if (n > SIM_OUT_MAX)
		n = SIM_OUT_MAX;
	if (!sim->faults.n) {
		/* No knob armed (the common case): everything as the models made
		 * it, in order -- what the passes below do without knobs. */
		for (size_t i = 0; i < n; i++)
			sim_out_deliver(sim, outs[i].chan, outs[i].buf, outs[i].len,
					outs[i].delay_us);
		return;
	}
	memset(done, 0, n * sizeof(done[0]));
	if (n && outs[0].type == SIM_TYPE_COMMAND)
		fault_command(sim, outs, n, done);
	for (size_t i = 0; i < n; i++)
		if (!done[i])
			fault_other(sim, &outs[i]);
}

/* Is there an armed NOT_SUPPORTED knob for message @msg of @proto? */
static bool fault_lacks(struct scmi_sim *sim, uint8_t proto, uint32_t msg)
{
	const struct sim_faults *fs = &sim->faults;

	for (unsigned int i = 0; i < fs->n; i++) {
		const struct sim_fault_knob *k = &fs->knobs[i];

		if (k->f.kind == SCMI_SIM_FAULT_STATUS && k->f.param == SIM_NOT_SUPPORTED &&
		    (k->f.protocol < 0 || k->f.protocol == proto) && k->f.message >= 0 &&
		    (uint32_t)k->f.message == msg && (!k->f.count || k->hits < k->f.count))
			return true;
	}
	return false;
}

bool sim_fault_status(struct scmi_sim *sim, struct sim_ctx *ctx)
{
	const struct scmi_sim_fault *f;
	unsigned int pos = 0;

	f = fault_fire(sim, &pos, SCMI_SIM_FAULT_STATUS, ctx->resp, false);
	if (f) {
		sim_reply_error(ctx, (int32_t)f->param);
		return true;
	}
	/* A platform without the command says so when asked about it. */
	if (ctx->msg_id == SIM_MSG_PROTOCOL_MESSAGE_ATTRIBUTES && ctx->req_len == 4 && ctx->proto &&
	    ctx->proto->present && fault_lacks(sim, ctx->resp->proto, sim_req_u32(ctx, 0))) {
		sim_reply_error(ctx, SIM_NOT_FOUND);
		return true;
	}
	return false;
}

/* ---- knobs -------------------------------------------------------------- */

static bool fault_param_ok(const struct scmi_sim_fault *f)
{
	switch (f->kind) {
	case SCMI_SIM_FAULT_DELAY:
	case SCMI_SIM_FAULT_LATE:
	case SCMI_SIM_FAULT_LATE_DRESP:
		return f->param >= 0;
	case SCMI_SIM_FAULT_WRONG_TOKEN:
		return f->param >= 0 && f->param <= (int64_t)SIM_TOKEN_MASK;
	case SCMI_SIM_FAULT_BAD_LENGTH:
		return f->param >= -SIM_FAULT_LEN_MAX && f->param <= SIM_FAULT_LEN_MAX;
	case SCMI_SIM_FAULT_STATUS:
		return f->param >= INT32_MIN && f->param < 0;
	case SCMI_SIM_FAULT_RANGE_COUNT:
		/* b[3:0] <= 8 (68 bytes: fits any max_msg_size), b[11:8]
		 * <= 8, b[31:16], b[47:32]; nothing else. */
		return f->param >= 0 && (f->param & 0xF) <= 8 && (f->param >> 8 & 0xF) <= 8 &&
		       !(f->param & ~(int64_t)0xFFFFFFFF0F0F);
	default:
		return true;
	}
}

static bool fault_valid(const struct scmi_sim_fault *f)
{
	if ((unsigned int)f->kind >= SCMI_SIM_FAULT__COUNT)
		return false;
	if (f->protocol < -1 || f->protocol > 0xFF || f->message < -1 || f->message > 0xFF)
		return false;
	if (f->notifications && f->kind != SCMI_SIM_FAULT_BAD_LENGTH)
		return false;
	return fault_param_ok(f);
}

int scmi_sim_fault_add(struct scmi_sim *sim, const struct scmi_sim_fault *f)
{
	struct sim_fault_knob *k;
	int ret = 0;

	if (!sim || !f || !fault_valid(f))
		return -EINVAL;
	sim_lock(sim);
	if (sim->faults.n >= SIM_FAULT_MAX) {
		ret = -ENOSPC;
	} else {
		k = &sim->faults.knobs[sim->faults.n++];
		memset(k, 0, sizeof(*k));
		k->f = *f;
	}
	sim_unlock(sim);
	return ret;
}

void scmi_sim_fault_clear(struct scmi_sim *sim)
{
	if (!sim)
		return;
	sim_lock(sim);
	sim->faults.n = 0;
	sim_unlock(sim);
}

uint64_t scmi_sim_fault_hits(struct scmi_sim *sim, enum scmi_sim_fault_kind kind)
{
	uint64_t hits;

	if (!sim || (unsigned int)kind >= SCMI_SIM_FAULT__COUNT)
		return 0;
	sim_lock(sim);
	hits = sim->faults.hits[kind];
	sim_unlock(sim);
	return hits;
}

/* ---- text form ------------------------------------------------------------ */

enum fault_value {
	FAULT_VALUE_EVERY, /* "every N"; empty = 1 */
	FAULT_VALUE_USEC,  /* microseconds, every message */
	FAULT_VALUE_DELTA, /* signed byte delta, every message */
	FAULT_VALUE_AT,	   /* "PROTO:MSG:DELTA": one message's byte delta */
	FAULT_VALUE_RANGE, /* "RETURNED[:REMAINING[:CLOCK[:SENT]]]" */
	FAULT_VALUE_MSG,   /* "PROTO:MSG", or empty: every message */
};

static const struct {
	const char *name;
	enum scmi_sim_fault_kind kind;
	enum fault_value value;
} fault_names[] = {
	{"delay_us", SCMI_SIM_FAULT_DELAY, FAULT_VALUE_USEC},
	{"drop", SCMI_SIM_FAULT_DROP, FAULT_VALUE_EVERY},
	{"dup", SCMI_SIM_FAULT_DUPLICATE, FAULT_VALUE_EVERY},
	{"wrong_token", SCMI_SIM_FAULT_WRONG_TOKEN, FAULT_VALUE_EVERY},
	{"dresp_first", SCMI_SIM_FAULT_DRESP_FIRST, FAULT_VALUE_EVERY},
	{"late_us", SCMI_SIM_FAULT_LATE, FAULT_VALUE_USEC},
	{"late_dresp_us", SCMI_SIM_FAULT_LATE_DRESP, FAULT_VALUE_USEC},
	{"unexpected_dresp", SCMI_SIM_FAULT_UNEXPECTED_DRESP, FAULT_VALUE_EVERY},
	{"bad_len", SCMI_SIM_FAULT_BAD_LENGTH, FAULT_VALUE_DELTA},
	{"unexpected_dresp_first", SCMI_SIM_FAULT_UNEXPECTED_DRESP_FIRST, FAULT_VALUE_EVERY},
	{"bad_len_at", SCMI_SIM_FAULT_BAD_LENGTH, FAULT_VALUE_AT},
	{"range_count", SCMI_SIM_FAULT_RANGE_COUNT, FAULT_VALUE_RANGE},
	{"no_dresp", SCMI_SIM_FAULT_NO_DRESP, FAULT_VALUE_MSG},
	{"inline_dresp", SCMI_SIM_FAULT_INLINE_DRESP, FAULT_VALUE_MSG},
};

/* A whole number (decimal, or 0x-hex for the list forms), optionally
 * signed, ending at @stop (or the string's end); *@next after it. */
static int fault_parse_field(const char *s, bool is_signed, int base, char stop, int64_t *out,
			     const char **next)
{
	char *end;

	if (!s || !*s || *s == stop)
		return -EINVAL;
	errno = 0;
	if (is_signed) {
		long long v = strtoll(s, &end, base);

		*out = v;
	} else {
		unsigned long long v;

		if (*s == '-' || *s == '+')
			return -EINVAL;
		v = strtoull(s, &end, base);
		if (v > INT64_MAX)
			return -EINVAL;
		*out = (int64_t)v;
	}
	if (errno || end == s || (*end && *end != stop))
		return -EINVAL;
	if (next)
		*next = *end ? end + 1 : NULL;
	else if (*end)
		return -EINVAL;
	return 0;
}

/* A whole decimal number, optionally signed; no trailing garbage. */
static int fault_parse_num(const char *s, bool is_signed, int64_t *out)
{
	return fault_parse_field(s, is_signed, 10, '\0', out, NULL);
}

/* "PROTO:MSG:DELTA": protocol and message filters and a byte delta. */
static int fault_value_at(const char *value, struct scmi_sim_fault *f)
{
	int64_t proto, msg, delta;
	const char *s = value;
	int ret;

	ret = fault_parse_field(s, false, 0, ':', &proto, &s);
	if (!ret && s)
		ret = fault_parse_field(s, false, 0, ':', &msg, &s);
	if (!ret && s)
		ret = fault_parse_field(s, true, 0, ':', &delta, NULL);
	if (ret || !s || proto > 0xFF || msg > 0xFF)
		return -EINVAL;
	f->protocol = (int)proto;
	f->message = (int)msg;
	f->param = delta;
	f->every = 1;
	return 0;
}

/* "RETURNED[:REMAINING[:CLOCK[:SENT]]]" packed as
 * SCMI_SIM_FAULT_RANGE_COUNT's param (CLOCK -1: every clock). */
static int fault_value_range(const char *value, struct scmi_sim_fault *f)
{
	int64_t ret_n, rem = 0, clock = -1, sent = 0;
	const char *s = value;
	int ret;

	ret = fault_parse_field(s, false, 0, ':', &ret_n, &s);
	if (!ret && s)
		ret = fault_parse_field(s, false, 0, ':', &rem, &s);
	if (!ret && s)
		ret = fault_parse_field(s, true, 0, ':', &clock, &s);
	if (!ret && s)
		ret = fault_parse_field(s, false, 0, ':', &sent, &s);
	if (ret || s || ret_n > 8 || rem > 0xFFFF || clock < -1 || clock > 0xFFFE || sent > 8)
		return -EINVAL;
	f->param = ret_n | sent << 8 | rem << 16 | (clock + 1) << 32;
	f->every = 1;
	return 0;
}

/* "PROTO:MSG" filters (numbers), or empty: every message. */
static int fault_value_msg(const char *value, struct scmi_sim_fault *f)
{
	int64_t proto, msg;
	const char *s = value;
	int ret;

	f->every = 1;
	if (!value || !*value)
		return 0;
	ret = fault_parse_field(s, false, 0, ':', &proto, &s);
	if (ret || !s)
		return -EINVAL;
	ret = fault_parse_field(s, false, 0, ':', &msg, &s);
	if (ret || s || proto > 0xFF || msg > 0xFF)
		return -EINVAL;
	f->protocol = (int)proto;
	f->message = (int)msg;
	return 0;
}

static int fault_value_parse(enum fault_value kind, const char *value, struct scmi_sim_fault *f)
{
	int64_t v;
	int ret;

	if (kind == FAULT_VALUE_AT)
		return fault_value_at(value, f);
	if (kind == FAULT_VALUE_RANGE)
		return fault_value_range(value, f);
	if (kind == FAULT_VALUE_MSG)
		return fault_value_msg(value, f);
	if (kind == FAULT_VALUE_EVERY && (!value || !*value)) {
		f->every = 1;
		return 0;
	}
	ret = fault_parse_num(value, kind == FAULT_VALUE_DELTA, &v);
	if (ret)
		return ret;
	if (kind == FAULT_VALUE_EVERY) {
		if (v > UINT32_MAX)
			return -EINVAL;
		f->every = (uint32_t)v;
		return v ? 0 : 1;
	}
	f->param = v;
	return v ? 0 : 1;
}

/* ---- status=PROTO:MSG:STATUS ---------------------------------------------- */

/* Names of the standard protocols and their messages (from id 0x3 on), as
 * the specification spells them; a message may also be named without its
 * protocol's prefix. */
static const char *const fault_msgs_base[] = {
	"BASE_DISCOVER_VENDOR",
	"BASE_DISCOVER_SUB_VENDOR",
	"BASE_DISCOVER_IMPLEMENTATION_VERSION",
	"BASE_DISCOVER_LIST_PROTOCOLS",
	"BASE_DISCOVER_AGENT",
	"BASE_NOTIFY_ERRORS",
	"BASE_SET_DEVICE_PERMISSIONS",
	"BASE_SET_PROTOCOL_PERMISSIONS",
	"BASE_RESET_AGENT_CONFIGURATION",
	NULL,
};
static const char *const fault_msgs_power[] = {
	"POWER_DOMAIN_ATTRIBUTES",
	"POWER_STATE_SET",
	"POWER_STATE_GET",
	"POWER_STATE_NOTIFY",
	"POWER_STATE_CHANGE_REQUESTED_NOTIFY",
	"POWER_DOMAIN_NAME_GET",
	NULL,
};
static const char *const fault_msgs_system[] = {
	"SYSTEM_POWER_STATE_SET",
	"SYSTEM_POWER_STATE_GET",
	"SYSTEM_POWER_STATE_NOTIFY",
	NULL,
};
static const char *const fault_msgs_perf[] = {
	"PERFORMANCE_DOMAIN_ATTRIBUTES",
	"PERFORMANCE_DESCRIBE_LEVELS",
	"PERFORMANCE_LIMITS_SET",
	"PERFORMANCE_LIMITS_GET",
	"PERFORMANCE_LEVEL_SET",
	"PERFORMANCE_LEVEL_GET",
	"PERFORMANCE_NOTIFY_LIMITS",
	"PERFORMANCE_NOTIFY_LEVEL",
	"PERFORMANCE_DESCRIBE_FASTCHANNEL",
	"PERFORMANCE_DOMAIN_NAME_GET",
	NULL,
};
static const char *const fault_msgs_clock[] = {
	"CLOCK_ATTRIBUTES",	 "CLOCK_DESCRIBE_RATES",
	"CLOCK_RATE_SET",	 "CLOCK_RATE_GET",
	"CLOCK_CONFIG_SET",	 "CLOCK_NAME_GET",
	"CLOCK_RATE_NOTIFY",	 "CLOCK_RATE_CHANGE_REQUESTED_NOTIFY",
	"CLOCK_CONFIG_GET",	 "CLOCK_POSSIBLE_PARENTS_GET",
	"CLOCK_PARENT_SET",	 "CLOCK_PARENT_GET",
	"CLOCK_GET_PERMISSIONS", NULL,
};
static const char *const fault_msgs_sensor[] = {
	"SENSOR_DESCRIPTION_GET", "SENSOR_TRIP_POINT_NOTIFY",	 "SENSOR_TRIP_POINT_CONFIG",
	"SENSOR_READING_GET",	  "SENSOR_AXIS_DESCRIPTION_GET", "SENSOR_LIST_UPDATE_INTERVALS",
	"SENSOR_CONFIG_GET",	  "SENSOR_CONFIG_SET",		 "SENSOR_CONTINUOUS_UPDATE_NOTIFY",
	"SENSOR_NAME_GET",	  "SENSOR_AXIS_NAME_GET",	 NULL,
};
static const char *const fault_msgs_reset[] = {
	"RESET_DOMAIN_ATTRIBUTES", "RESET", "RESET_NOTIFY", "RESET_DOMAIN_NAME_GET", NULL,
};
static const char *const fault_msgs_voltage[] = {
	"VOLTAGE_DOMAIN_ATTRIBUTES", "VOLTAGE_DESCRIBE_LEVELS",
	"VOLTAGE_CONFIG_SET",	     "VOLTAGE_CONFIG_GET",
	"VOLTAGE_LEVEL_SET",	     "VOLTAGE_LEVEL_GET",
	"VOLTAGE_DOMAIN_NAME_GET",   NULL,
};
static const char *const fault_msgs_powercap[] = {
	"POWERCAP_DOMAIN_ATTRIBUTES",
	"POWERCAP_CAP_GET",
	"POWERCAP_CAP_SET",
	"POWERCAP_PAI_GET",
	"POWERCAP_PAI_SET",
	"POWERCAP_DOMAIN_NAME_GET",
	"POWERCAP_MEASUREMENTS_GET",
	"POWERCAP_CAP_NOTIFY",
	"POWERCAP_MEASUREMENTS_NOTIFY",
	"POWERCAP_DESCRIBE_FASTCHANNEL",
	NULL,
};
static const char *const fault_msgs_pinctrl[] = {
	"PINCTRL_ATTRIBUTES",	      "PINCTRL_LIST_ASSOCIATIONS", "PINCTRL_SETTINGS_GET",
	"PINCTRL_SETTINGS_CONFIGURE", "PINCTRL_REQUEST",	   "PINCTRL_RELEASE",
	"PINCTRL_NAME_GET",	      "PINCTRL_SET_PERMISSIONS",   NULL,
};

static const struct {
	const char *name;
	const char *prefix; /* of its message names */
	const char *const *msgs;
} fault_protos[] = {
	{"base", "BASE_", fault_msgs_base},
	{"power", "POWER_", fault_msgs_power},
	{"system", "SYSTEM_POWER_", fault_msgs_system},
	{"perf", "PERFORMANCE_", fault_msgs_perf},
	{"clock", "CLOCK_", fault_msgs_clock},
	{"sensor", "SENSOR_", fault_msgs_sensor},
	{"reset", "RESET_", fault_msgs_reset},
	{"voltage", "VOLTAGE_", fault_msgs_voltage},
	{"powercap", "POWERCAP_", fault_msgs_powercap},
	{"pinctrl", "PINCTRL_", fault_msgs_pinctrl},
};

static const struct {
	const char *name;
	uint8_t id;
} fault_common_msgs[] = {
	{"PROTOCOL_VERSION", SIM_MSG_PROTOCOL_VERSION},
	{"PROTOCOL_ATTRIBUTES", SIM_MSG_PROTOCOL_ATTRIBUTES},
	{"PROTOCOL_MESSAGE_ATTRIBUTES", SIM_MSG_PROTOCOL_MESSAGE_ATTRIBUTES},
	{"NEGOTIATE_PROTOCOL_VERSION", SIM_MSG_NEGOTIATE_PROTOCOL_VERSION},
};

static const char *const fault_status_names[] = {
	"NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED",	"NOT_FOUND",	  "OUT_OF_RANGE",
	"BUSY",		 "COMMS_ERROR",	       "GENERIC_ERROR", "HARDWARE_ERROR", "PROTOCOL_ERROR",
};

/* A number 0..255 (decimal or 0x hex). */
static int fault_parse_id(const char *s, int *out)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > 0xFF)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int fault_parse_proto(const char *s, int *proto)
{
	for (size_t i = 0; i < SIM_ARRAY_SIZE(fault_protos); i++) {
		if (!strcasecmp(s, fault_protos[i].name)) {
			*proto = SIM_PROTO_STD_FIRST + (int)i;
			return 0;
		}
	}
	return fault_parse_id(s, proto);
}

static int fault_parse_msg(const char *s, int proto, int *msg)
{
	size_t i;

	for (i = 0; i < SIM_ARRAY_SIZE(fault_common_msgs); i++) {
		if (!strcasecmp(s, fault_common_msgs[i].name)) {
			*msg = fault_common_msgs[i].id;
			return 0;
		}
	}
	if (proto >= SIM_PROTO_STD_FIRST && proto <= SIM_PROTO_STD_LAST) {
		const char *prefix = fault_protos[proto - SIM_PROTO_STD_FIRST].prefix;
		const char *const *names = fault_protos[proto - SIM_PROTO_STD_FIRST].msgs;
		size_t plen = strlen(prefix);

		for (i = 0; names[i]; i++) {
			if (!strcasecmp(s, names[i]) ||
			    (!strncmp(names[i], prefix, plen) && !strcasecmp(s, names[i] + plen))) {
				*msg = 3 + (int)i;
				return 0;
			}
		}
	}
	return fault_parse_id(s, msg);
}

static int fault_parse_status(const char *s, int64_t *status)
{
	for (size_t i = 0; i < SIM_ARRAY_SIZE(fault_status_names); i++) {
		if (!strcasecmp(s, fault_status_names[i])) {
			*status = -1 - (int64_t)i;
			return 0;
		}
	}
	if (*s != '-' || fault_parse_num(s, true, status) || *status < INT32_MIN)
		return -EINVAL;
	return *status < 0 ? 0 : -EINVAL;
}

/* One "PROTO:MSG:STATUS" item (modified in place). */
static int fault_parse_status_item(char *item, struct scmi_sim_fault *f)
{
	char *msg = strchr(item, ':');
	char *status = msg ? strchr(msg + 1, ':') : NULL;

	if (!status)
		return -EINVAL;
	*msg++ = '\0';
	*status++ = '\0';
	memset(f, 0, sizeof(*f));
	f->kind = SCMI_SIM_FAULT_STATUS;
	f->every = 1;
	if (fault_parse_proto(item, &f->protocol) ||
	    fault_parse_msg(msg, f->protocol, &f->message) || fault_parse_status(status, &f->param))
		return -EINVAL;
	return 0;
}

/* Every item first, then arm them all (or none). */
static int fault_parse_status_list(struct scmi_sim *sim, const char *value)
{
	struct scmi_sim_fault fs[SIM_FAULT_MAX];
	char buf[1024], *save = NULL, *item;
	unsigned int n = 0, room;
	int ret = 0;

	if (!value || !*value || strlen(value) >= sizeof(buf) || value[strlen(value) - 1] == ',' ||
	    *value == ',' || strstr(value, ",,"))
		return -EINVAL;
	strcpy(buf, value);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (n == SIM_FAULT_MAX)
			return -ENOSPC;
		if (fault_parse_status_item(item, &fs[n]) || !fault_valid(&fs[n]))
			return -EINVAL;
		n++;
	}
	sim_lock(sim);
	room = SIM_FAULT_MAX - sim->faults.n;
	sim_unlock(sim);
	if (n > room)
		return -ENOSPC;
	for (unsigned int i = 0; i < n && !ret; i++)
		ret = scmi_sim_fault_add(sim, &fs[i]);
	return ret;
}

int scmi_sim_fault_kind_from_name(const char *name, enum scmi_sim_fault_kind *kind)
{
	if (!name || !kind)
		return -EINVAL;
	if (!strcmp(name, "status")) {
		*kind = SCMI_SIM_FAULT_STATUS;
		return 0;
	}
	for (size_t i = 0; i < SIM_ARRAY_SIZE(fault_names); i++)
		if (!strcmp(fault_names[i].name, name)) {
			*kind = fault_names[i].kind;
			return 0;
		}
	return -EINVAL;
}

int scmi_sim_fault_parse(struct scmi_sim *sim, const char *name, const char *value)
{
	struct scmi_sim_fault f = {.protocol = -1, .message = -1};
	size_t i;
	int ret;

	if (!sim || !name)
		return -EINVAL;
	if (!strcmp(name, "status"))
		return fault_parse_status_list(sim, value);
	for (i = 0; i < SIM_ARRAY_SIZE(fault_names); i++)
		if (!strcmp(fault_names[i].name, name))
			break;
	if (i == SIM_ARRAY_SIZE(fault_names))
		return -EINVAL;
	f.kind = fault_names[i].kind;
	ret = fault_value_parse(fault_names[i].value, value, &f);
	if (ret < 0)
		return ret;
	if (ret > 0)
		return 0; /* 0 turns the knob off: nothing to arm */
	return scmi_sim_fault_add(sim, &f);
}

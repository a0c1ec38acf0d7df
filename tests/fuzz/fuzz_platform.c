// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness: a hostile platform behind a transport of its own,
 * "fuzz://", driving libscmi's real code paths (the RX dispatch of lib/xfer.c
 * and lib/notify.c, Base discovery, every protocol's bring-up, ops, delayed
 * responses, fastchannels and notification parsers).
 *
 * The transport answers each command synchronously from send_message(), on
 * the caller's thread, by calling scmi_rx_callback() with a reply built from
 * the next chunk of the input.  That is legal because scmi_do_xfer() moves
 * the xfer to SENT_OK (under its lock) before calling send_message(), and
 * holds no lock during the call: the RX path finds the xfer by token, fills
 * it and sets `done`; scmi_do_xfer() then sees `done` and returns without
 * waiting.  Delayed responses are sent from mark_txdone(), which the core
 * calls at the end of scmi_do_xfer(), before scmi_do_xfer_with_response()
 * waits for them.  Every command is answered or refused by send_message()
 * (see TAIL_COMMANDS below), so nothing ever waits for a timeout: a timeout
 * counted by the handle means a reply was lost, and the harness aborts.
 *
 * Notifications are delivered on the fuzzing thread through scmi_config.loop
 * (a uv loop run with UV_RUN_NOWAIT until every queued event is accounted
 * for), so executions are deterministic.
 *
 * Transport rules (include/scmi/transport.h), and where this one bends
 * them: scmi_rx_callback() is called from one thread only, always the same
 * -- the fuzzing thread --, but that is the caller's thread, from inside
 * send_message() and mark_txdone(), not a receive thread of the transport's
 * own; nothing waits there, since the reply is in before the caller waits.
 * Each message is fetched once or cleared (checked below).  Non-blocking
 * raw commands (raw sessions) are sent by the request engine's thread,
 * which then calls it the same way, while the fuzzing thread only runs the
 * loop: one thread at a time, in an order the input fixes.
 *
 * No thread is started or joined per input (but the request engine's,
 * for a session with non-blocking raw commands): there is one handle per
 * configuration the options byte can ask for (polling, max_msg_size, event
 * queue depth), opened the first time it is needed and kept.  An execution
 * is a session on it (lib/testhooks.h): Base discovery, the protocols'
 * bring-up, ops and notifications, then the teardown scmi_close() does
 * (notifiers disabled, protocols' deinit), with everything the session
 * allocated freed before the execution ends, so LeakSanitizer still sees a
 * leak as the leak of that input.  FUZZ_PLATFORM_CHECK_FRESH=1 replays each
 * input on a handle opened for it and checks that the commands sent and the
 * counters are the same (the corpus test does that).
 *
 * What an execution costs is mostly the commands it answers: once the reply
 * section is used up, TAIL_COMMANDS more commands get NOT_SUPPORTED and then
 * the platform is gone (send_message() fails with -ETIMEDOUT).
 *
 * Input layout:
 *   [0]       options: b0 polling transport, b[2:1] max_msg_size (128, 256,
 *             64, 16), b[4:3] event queue depth (4, 1, 16, the library's
 *             default 256: each protocol with events preallocates that
 *             many slots per session, so a small queue is the common case),
 *             b5 a raw session (see "raw sessions" below)
 *   [1..2]    little-endian length of the reply section
 *   with b5: [len][len bytes] the raw script, then the reply section
 *   reply section, one chunk per command, delayed response and mapped
 *   fastchannel window, in the order libscmi asks for them:
 *       [sel][len][len bytes]
 *       sel b[3:0]: status: 0..3 SUCCESS, 4..15 -(sel - 3)
 *       sel b4: no status word at all (fastchannel window: not mappable)
 *       sel b5: deliver the reply twice
 *       sel b6: also send a delayed response (for a sync command: unexpected);
 *               on a delayed response of a non-blocking raw command: held
 *               back, sent late (raw sessions)
 *       sel b7: first deliver one message of the noise section
 *       data: the response data after the status word (window contents)
 *   noise section, messages the platform sends on its own:
 *       [kind][proto][msg_id][len][len bytes]
 *       kind b[1:0]: notification, response, delayed response, reserved type
 *       kind b2: reuse the header of the command in flight (or the last one)
 *       kind b[5:3]: token offset from that command's token otherwise
 *       kind b6: after the session's ops, drain the notification queues
 *       notification proto: 0x10 + proto % 10 below 0x80, else as is;
 *       the payload of a response is its raw status word and data
 *   What the session's ops do not consume of the noise section is injected
 *   once the notifiers are registered.
 *
 * Built with -DFUZZ_RECORD this file is fuzz_platform_record instead: the
 * same session played against the simulator, whose replies are written out
 * as a fuzz_platform input (the seed corpus, see README.md).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>
#include <uv.h>

#include <scmi/scmi.h>
#ifdef FUZZ_RECORD
#include <scmi-sim/sim.h>
#endif

#include "common.h"
#include "handle.h"
#include "testhooks.h"

#define FUZZ_SCHEME	"fuzz"
#define MAX_COMMANDS	1024 /* per execution: then the platform is gone */
#define TAIL_COMMANDS	8    /* answered once the replies are used up: then gone */
#define MAX_MAPS	64
#define MAX_SDU		(8 + 255)
#define MAX_NESTED_OPS	8 /* commands sent from notification callbacks */
#define DRAIN_MAX_TURNS 4096

#define SEL_STATUS_MASK 0x0f
#define SEL_NO_STATUS	0x10
#define SEL_TWICE	0x20
#define SEL_DRESP	0x40
#define SEL_NOISE	0x80
#define SEL_NOT_SUPP	4 /* status -1 */

#define KIND_TYPE_MASK 0x03
#define KIND_INFLIGHT  0x04
#define KIND_DRAIN     0x40

#define OPT_POLLING	   0x01
#define OPT_MSG_SIZE(o)	   ((o) >> 1 & 3)
#define OPT_QUEUE_DEPTH(o) ((o) >> 3 & 3)
#define OPT_RAW		   0x20 /* a raw session and its script */

#define RAW_MAX_ASYNC 6 /* raw requests in flight (the handle has 8 xfers) */

#define FUZZ_NAME "fuzz_platform"
#include "fuzz_check.h"

struct stream {
	const uint8_t *p;
	size_t len;
};

struct chunk {
	uint8_t sel;
	const uint8_t *data;
	size_t len;
};

struct noise {
	uint8_t kind;
	uint8_t proto;
	uint8_t msg_id;
	const uint8_t *data;
	size_t len;
};

/* What the core gets as the transport's reference to a message. */
struct fuzz_msg {
	const uint8_t *sdu;
	size_t len;
	int fetched;
	int cleared;
};

enum chunk_use {
	CHUNK_RESPONSE,
	CHUNK_DRESP,
	CHUNK_MAP
};

struct mapping {
	void *ptr;
	size_t size;
};

/* One fuzz:// transport instance: one per handle. */
struct fz_inst {
	struct scmi_chan *chan;
	bool polling;
	size_t max_msg_size;
	bool open;
};

/* The platform side of the execution in progress (one at a time). */
static struct platform {
	struct fz_inst *inst; /* the transport of the handle in use */
	struct stream replies;
	struct stream noise;
	unsigned int commands;
	unsigned int tail; /* commands answered after the replies ran out */
	uint64_t digest;   /* of the commands sent (FUZZ_PLATFORM_CHECK_FRESH) */
	uint32_t last_hdr;
	/* Polling: the response poll_done() reports and fetch_response(NULL)
	 * copies. */
	bool poll_ready;
	uint32_t poll_hdr;
	uint8_t poll_sdu[MAX_SDU];
	size_t poll_len;
	struct mapping maps[MAX_MAPS];
	unsigned int num_maps;
	/* Raw sessions (OPT_RAW): the replies each token got first, and the
	 * delayed responses of non-blocking raw commands the platform holds
	 * back until the harness lets them go (late). */
	bool raw;
	unsigned int seq;
	struct held {
		struct scmi_raw_cmd *cmd; /* the raw command it answers */
		uint32_t hdr;
		uint8_t sel;
		size_t len;
		uint8_t sdu[MAX_SDU];
	} held[RAW_MAX_ASYNC + 1];
} plat;

/* The first reply of each type a command (by token) got from the platform
 * with its protocol and message id: what a raw command must report. */
struct first_reply {
	uint32_t cmd_hdr;
	unsigned int seq[2]; /* 0: none yet; [0] response, [1] delayed response */
	size_t len[2];
	uint8_t sdu[2][MAX_SDU];
};

static struct first_reply first_replies[SCMI_MAX_TOKENS];
static atomic_uint num_held;  /* entries of plat.held[] filled */
static pthread_t fuzz_thread; /* the thread that runs the inputs */

/* The raw script of the input (OPT_RAW), for run_ops(). */
static struct {
	bool on;
	struct stream script;
} raw_input;

static uv_loop_t user_loop;
/* Raw sessions: the request engine's thread held a delayed response (so
 * that raw_wait() sleeps in the loop, not spins); raw_wait()'s limit. */
static uv_async_t raw_wake;
static uv_timer_t raw_watchdog;
static bool raw_timed_out;
static volatile uint64_t sink; /* keeps reads of discovered data alive */
static bool debug;	       /* FUZZ_PLATFORM_DEBUG set: summary per execution */
/* FUZZ_PLATFORM_IGNORE: names of checks to skip (comma-separated), to keep
 * fuzzing past a known bug until it is fixed. */
static const char *ignored_checks;

static void digest_add(const void *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		plat.digest = (plat.digest ^ ((const uint8_t *)p)[i]) * 0x100000001b3ull; /* FNV-1a */
}

static bool check_ignored(const char *name)
{
	size_t n = strlen(name);

	for (const char *p = ignored_checks; p && (p = strstr(p, name)); p += n)
		if ((p == ignored_checks || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
	return false;
}

#ifdef FUZZ_RECORD
/* ---- recording against the simulator ------------------------------------- */

#define REC_MAX_NOTIFS 4096

struct rec_buf {
	uint8_t *p;
	size_t len, cap;
};

static struct recorder {
	struct scmi_sim *sim;
	struct rec_buf replies, noise;
	struct rec_buf requests; /* the agent's commands, as a fuzz_sim input */
	uint8_t resp[MAX_SDU];
	size_t resp_len;
	bool have_resp;
	uint8_t dresp[SCMI_MAX_TOKENS][MAX_SDU];
	size_t dresp_len[SCMI_MAX_TOKENS];
	uint8_t *notifs[REC_MAX_NOTIFS];
	size_t notif_len[REC_MAX_NOTIFS];
	unsigned int num_notifs, next_notif;
	uint8_t noise_buf[4 + 255];
	unsigned int max_domains; /* 0: the simulator's platform as it is */
	bool hold;		  /* FUZZ_RECORD_HOLD */
	uint8_t script[255];	  /* the raw script (OPT_RAW) */
} rec;

static void rec_put(struct rec_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 256;
		b->p = realloc(b->p, b->cap);
		FUZZ_CHECK(b->p, "out of memory");
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void rec_emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		     uint64_t delay_us)
{
	uint32_t hdr;

	(void)priv;
	(void)chan;
	(void)delay_us;
	FUZZ_CHECK(len >= 4 && len <= MAX_SDU, "simulator message of %zu bytes", len);
	hdr = scmi_get_le32(msg);
	switch (scmi_hdr_type(hdr)) {
	case SCMI_MSG_TYPE_COMMAND:
		memcpy(rec.resp, msg, len);
		rec.resp_len = len;
		rec.have_resp = true;
		break;
	case SCMI_MSG_TYPE_DELAYED_RESP:
		memcpy(rec.dresp[scmi_hdr_token(hdr)], msg, len);
		rec.dresp_len[scmi_hdr_token(hdr)] = len;
		break;
	case SCMI_MSG_TYPE_NOTIFICATION:
		if (rec.num_notifs == REC_MAX_NOTIFS)
			break;
		rec.notifs[rec.num_notifs] = malloc(len);
		FUZZ_CHECK(rec.notifs[rec.num_notifs], "out of memory");
		memcpy(rec.notifs[rec.num_notifs], msg, len);
		rec.notif_len[rec.num_notifs++] = len;
		break;
	default:
		break;
	}
}

/* An item of fuzz_sim's input: [flags][proto][msg_id][len][payload]. */
static void rec_request(uint32_t hdr, const uint8_t *payload, size_t len)
{
	uint8_t proto = scmi_hdr_protocol(hdr);
	uint8_t item[4] = {0, proto < 0x80 ? (uint8_t)(proto - SCMI_PROTOCOL_BASE) : proto,
			   scmi_hdr_msg_id(hdr), (uint8_t)len};

	rec_put(&rec.requests, item, sizeof(item));
	rec_put(&rec.requests, payload, len);
}

static void cap16(uint8_t *word, unsigned int shift, unsigned int max)
{
	uint32_t w = scmi_get_le32(word);
	uint32_t n = w >> shift & 0xffff;

	if (n > max)
		scmi_put_le32(word, (w & ~(0xffffu << shift)) | max << shift);
}

/*
 * A smaller platform than the simulator's: the counts PROTOCOL_ATTRIBUTES
 * announces (domains, clocks) are cut to rec.max_domains, so the agent
 * discovers, and the seed describes, only the first few.  A short seed is a
 * fast seed: what an execution costs is mostly the commands it answers.
 * Not Sensor (its description walk carries its own totals) nor Pinctrl
 * (functions name groups, groups name pins, past any cut).
 */
static void rec_cap_counts(uint32_t hdr, uint8_t *sdu, size_t len)
{
	unsigned int max = rec.max_domains;
	uint8_t proto = scmi_hdr_protocol(hdr);

	if (!max || scmi_hdr_msg_id(hdr) != 0x1 || len < 12 || scmi_get_le32(sdu + 4))
		return;
	switch (proto) {
	case SCMI_PROTOCOL_POWER:
	case SCMI_PROTOCOL_PERF:
	case SCMI_PROTOCOL_CLOCK:
	case SCMI_PROTOCOL_RESET:
	case SCMI_PROTOCOL_VOLTAGE:
	case SCMI_PROTOCOL_POWERCAP:
		cap16(sdu + 8, 0, max);
		break;
	default:
		break;
	}
}

/* The chunk that encodes a simulator reply SDU. */
static void rec_chunk_from_sdu(const uint8_t *sdu, size_t len, struct chunk *c)
{
	int32_t status;

	FUZZ_CHECK(len >= 8, "simulator reply without status");
	status = (int32_t)scmi_get_le32(sdu + 4);
	FUZZ_CHECK(status <= 0 && status >= -12, "simulator status %d", status);
	c->sel = status ? (uint8_t)(3 - status) : 0;
	c->data = sdu + 8;
	c->len = len - 8;
}

static void rec_chunk_put(const struct chunk *c)
{
	uint8_t hd[2] = {c->sel, (uint8_t)c->len};

	FUZZ_CHECK(c->len <= 255, "reply of %zu bytes does not fit a chunk", c->len);
	rec_put(&rec.replies, hd, 2);
	rec_put(&rec.replies, c->data, c->len);
}

static bool next_chunk(enum chunk_use use, const struct scmi_transport_xfer *xfer, uint64_t addr,
		       size_t size, struct chunk *c)
{
	static uint8_t window[255];
	uint8_t sdu[MAX_SDU];
	uint16_t token;
	void *mem;
	int n;

	switch (use) {
	case CHUNK_RESPONSE:
		n = scmi_msg_pack_command(xfer, sdu, sizeof(sdu));
		FUZZ_CHECK(n > 0 && n - 4 <= 255, "cannot pack a command");
		rec_request(xfer->hdr, sdu + 4, (size_t)n - 4);
		rec.have_resp = false;
		scmi_sim_process(rec.sim, sdu, (size_t)n);
		FUZZ_CHECK(rec.have_resp, "the simulator did not answer 0x%08x", xfer->hdr);
		rec_cap_counts(xfer->hdr, rec.resp, rec.resp_len);
		rec_chunk_from_sdu(rec.resp, rec.resp_len, c);
		break;
	case CHUNK_DRESP:
		token = scmi_hdr_token(xfer->hdr);
		FUZZ_CHECK(rec.dresp_len[token], "no delayed response for 0x%08x", xfer->hdr);
		rec_chunk_from_sdu(rec.dresp[token], rec.dresp_len[token], c);
		rec.dresp_len[token] = 0;
		/* FUZZ_RECORD_HOLD: the platform holds back the delayed
		 * responses of non-blocking raw commands (hold_dresp()). */
		if (rec.hold && plat.raw && !pthread_equal(pthread_self(), fuzz_thread))
			c->sel |= SEL_DRESP;
		break;
	case CHUNK_MAP:
		mem = scmi_sim_memory_map(rec.sim, addr, size);
		c->sel = mem ? 0 : SEL_NO_STATUS;
		c->len = mem ? size : 0;
		if (mem)
			memcpy(window, mem, size);
		c->data = window;
		break;
	}
	rec_chunk_put(c);
	return true;
}

/* Notifications the simulator sent, encoded into the noise section. */
static bool next_noise(struct noise *n)
{
	const uint8_t *sdu;
	uint32_t hdr;
	size_t len;

	if (rec.next_notif == rec.num_notifs)
		return false;
	sdu = rec.notifs[rec.next_notif];
	len = rec.notif_len[rec.next_notif++];
	hdr = scmi_get_le32(sdu);
	FUZZ_CHECK(len - 4 <= 255, "notification too long");
	n->kind = 0;
	n->proto = scmi_hdr_protocol(hdr) < 0x80 ? (uint8_t)(scmi_hdr_protocol(hdr) - 0x10)
						 : scmi_hdr_protocol(hdr);
	n->msg_id = scmi_hdr_msg_id(hdr);
	n->len = len - 4;
	memcpy(rec.noise_buf + 4, sdu + 4, n->len);
	n->data = rec.noise_buf + 4;
	rec.noise_buf[0] = n->kind;
	rec.noise_buf[1] = n->proto;
	rec.noise_buf[2] = n->msg_id;
	rec.noise_buf[3] = (uint8_t)n->len;
	rec_put(&rec.noise, rec.noise_buf, 4 + n->len);
	return true;
}

static void platform_events(void);

/* The simulator always answers. */
static bool platform_gone(void)
{
	return false;
}
#else
/* ---- chunks from the fuzzer's input -------------------------------------- */

static bool next_chunk(enum chunk_use use, const struct scmi_transport_xfer *xfer, uint64_t addr,
		       size_t size, struct chunk *c)
{
	struct stream *s = &plat.replies;
	size_t n;

	(void)use;
	(void)xfer;
	(void)addr;
	(void)size;
	if (s->len < 2) {
		s->len = 0;
		return false;
	}
	c->sel = s->p[0];
	n = s->p[1];
	s->p += 2;
	s->len -= 2;
	if (n > s->len)
		n = s->len;
	c->data = s->p;
	c->len = n;
	s->p += n;
	s->len -= n;
	return true;
}

/*
 * Once the replies are used up, a few more commands get NOT_SUPPORTED, then
 * the platform is gone: what an execution costs stays proportional to its
 * input (a platform that announces 65535 domains and then falls silent
 * costs TAIL_COMMANDS commands, not one walk per domain).
 */
static bool platform_gone(void)
{
	return plat.replies.len < 2 && plat.tail++ >= TAIL_COMMANDS;
}

static bool next_noise(struct noise *n)
{
	struct stream *s = &plat.noise;
	size_t len;

	if (s->len < 4) {
		s->len = 0;
		return false;
	}
	n->kind = s->p[0];
	n->proto = s->p[1];
	n->msg_id = s->p[2];
	len = s->p[3];
	s->p += 4;
	s->len -= 4;
	if (len > s->len)
		len = s->len;
	n->data = s->p;
	n->len = len;
	s->p += len;
	s->len -= len;
	return true;
}
#endif

/* ---- delivering messages to the core ----------------------------------- */

static int32_t chunk_status(uint8_t sel)
{
	unsigned int v = sel & SEL_STATUS_MASK;

	return v < 4 ? 0 : -(int32_t)(v - 3);
}

static uint32_t with_type(uint32_t hdr, uint8_t type)
{
	return (hdr & ~(3u << 8)) | (uint32_t)(type & 3) << 8;
}

/* Raw sessions: remember the first response and delayed response the
 * command in flight with this token got (matching its protocol and message
 * id: the core drops the others). */
static void record_reply(uint32_t hdr, const uint8_t *sdu, size_t len)
{
	uint8_t type = scmi_hdr_type(hdr);
	struct first_reply *f;
	int i;

	if (!plat.raw || (type != SCMI_MSG_TYPE_COMMAND && type != SCMI_MSG_TYPE_DELAYED_RESP))
		return;
	f = &first_replies[scmi_hdr_token(hdr)];
	i = type == SCMI_MSG_TYPE_DELAYED_RESP;
	if (f->seq[i] || with_type(hdr, SCMI_MSG_TYPE_COMMAND) != f->cmd_hdr)
		return;
	f->seq[i] = ++plat.seq;
	f->len[i] = len;
	memcpy(f->sdu[i], sdu, len);
}

/* Hand one message to the core and check it kept the RX contract: the
 * message fetched at most once, and fetched or cleared. */
static void deliver(uint32_t hdr, const uint8_t *sdu, size_t len)
{
	struct fuzz_msg m = {.sdu = sdu, .len = len};

	record_reply(hdr, sdu, len);

	FUZZ_CHECK(plat.inst && plat.inst->open, "message delivered while the transport is closed");
	scmi_rx_callback(plat.inst->chan, hdr, &m);
	FUZZ_CHECK(m.fetched <= 1, "message 0x%08x fetched %d times", hdr, m.fetched);
	FUZZ_CHECK(m.fetched || m.cleared, "message 0x%08x neither fetched nor cleared", hdr);
}

static size_t build_reply(uint8_t *sdu, uint32_t hdr, const struct chunk *c)
{
	scmi_put_le32(sdu, hdr);
	if (c->sel & SEL_NO_STATUS)
		return 4;
	scmi_put_le32(sdu + 4, (uint32_t)chunk_status(c->sel));
	if (c->len)
		memcpy(sdu + 8, c->data, c->len);
	return 8 + c->len;
}

/* One unprompted platform message. */
static void deliver_noise(const struct noise *n)
{
	static const uint8_t types[] = {SCMI_MSG_TYPE_NOTIFICATION, SCMI_MSG_TYPE_COMMAND,
					SCMI_MSG_TYPE_DELAYED_RESP, 1};
	uint8_t type = types[n->kind & KIND_TYPE_MASK];
	uint8_t sdu[4 + 255];
	uint32_t hdr;

	if (n->kind & KIND_INFLIGHT) {
		hdr = with_type(plat.last_hdr, type);
	} else {
		uint8_t proto = n->proto;
		uint16_t token =
			(uint16_t)((scmi_hdr_token(plat.last_hdr) + 1 + ((n->kind >> 3) & 7)) %
				   SCMI_MAX_TOKENS);

		if (type == SCMI_MSG_TYPE_NOTIFICATION && proto < 0x80)
			proto = (uint8_t)(SCMI_PROTOCOL_BASE + proto % 10);
		hdr = scmi_hdr_pack(n->msg_id, type, proto, token);
	}
	scmi_put_le32(sdu, hdr);
	if (n->len)
		memcpy(sdu + 4, n->data, n->len);
	deliver(hdr, sdu, 4 + n->len);
}

static void maybe_noise(uint8_t sel)
{
	struct noise n;

	if ((sel & SEL_NOISE) && next_noise(&n))
		deliver_noise(&n);
}

/* ---- the transport --------------------------------------------------------- */

static const size_t msg_sizes[] = {128, 256, 64, 16};

static int fz_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		   struct scmi_transport_info *info, void **priv)
{
	struct fz_inst *fi;
	uint64_t v;
	int ret;

	ret = scmi_uri_param_u64(uri, "polling", 0, 1, &v);
	if (ret < 0)
		return ret;
	info->caps = SCMI_TRANSPORT_P2A | (ret && v ? SCMI_TRANSPORT_POLLING : 0);
	ret = scmi_uri_param_u64(uri, "max_msg_size", 8, 65536, &v);
	if (ret < 0)
		return ret;
	if (ret)
		info->max_msg_size = (size_t)v;
	fi = calloc(1, sizeof(*fi));
	if (!fi)
		return -ENOMEM;
	fi->polling = info->caps & SCMI_TRANSPORT_POLLING;
	fi->max_msg_size = info->max_msg_size;
	fi->chan = chan;
	fi->open = true;
	/* The handle being opened is the one in use: scmi_open() discovers
	 * Base through it. */
	plat.inst = fi;
	*priv = fi;
	return 0;
}

static void fz_close(void *priv)
{
	struct fz_inst *fi = priv;

	fi->open = false;
}

static void fz_release(void *priv)
{
	if (plat.inst == priv)
		plat.inst = NULL;
	free(priv);
}

static int fz_send_message(void *priv, struct scmi_transport_xfer *xfer)
{
	struct fz_inst *fi = priv;
	struct chunk c = {.sel = SEL_NOT_SUPP};
	uint8_t sdu[MAX_SDU];
	size_t len;

	FUZZ_CHECK(fi == plat.inst, "command on a handle not in use");
	FUZZ_CHECK(xfer->tx_len <= fi->max_msg_size, "request of %zu bytes", xfer->tx_len);
	FUZZ_CHECK(scmi_hdr_type(xfer->hdr) == SCMI_MSG_TYPE_COMMAND, "sent 0x%08x", xfer->hdr);
	/* Every byte the core says it sends must be addressable (the whole
	 * range at once: faster than reading it byte by byte). */
	FUZZ_CHECK(!xfer->tx_len || !__asan_region_is_poisoned((void *)xfer->tx, xfer->tx_len),
		   "request of %zu bytes not addressable", xfer->tx_len);
	digest_add(&xfer->hdr, sizeof(xfer->hdr));
	digest_add(xfer->tx, xfer->tx_len);
	plat.last_hdr = xfer->hdr;
	plat.poll_ready = false;
	if (plat.raw) {
		struct first_reply *f = &first_replies[scmi_hdr_token(xfer->hdr)];

		f->cmd_hdr = xfer->hdr;
		f->seq[0] = f->seq[1] = 0;
	}
	if (++plat.commands > MAX_COMMANDS || platform_gone())
		return -ETIMEDOUT; /* the platform stopped answering */

	next_chunk(CHUNK_RESPONSE, xfer, 0, 0, &c);
	maybe_noise(c.sel);
	len = build_reply(sdu, xfer->hdr, &c);
	if (fi->polling) {
		memcpy(plat.poll_sdu, sdu, len);
		plat.poll_len = len;
		plat.poll_hdr = xfer->hdr;
		plat.poll_ready = true;
	} else {
		deliver(xfer->hdr, sdu, len);
	}
	if (c.sel & SEL_TWICE)
		deliver(xfer->hdr, sdu, len);
	if (c.sel & SEL_DRESP) {
		uint32_t hdr = with_type(xfer->hdr, SCMI_MSG_TYPE_DELAYED_RESP);

		scmi_put_le32(sdu, hdr);
		deliver(hdr, sdu, len);
	}
	return 0;
}

/*
 * The delayed response of a non-blocking raw command (sent by the request
 * engine's thread, on a transport that does not poll), when its chunk has
 * SEL_DRESP: held back, to be sent late by the fuzzing thread (raw_flush()).
 */
static bool hold_dresp(const struct scmi_xfer *x, uint8_t sel, uint32_t hdr, const uint8_t *sdu,
		       size_t len)
{
	unsigned int n = atomic_load_explicit(&num_held, memory_order_relaxed);
	struct scmi_raw_cmd *cmd = atomic_load_explicit(&x->raw, memory_order_relaxed);
	struct held *hd;

	if (!(sel & SEL_DRESP) || !plat.raw || plat.inst->polling ||
	    pthread_equal(pthread_self(), fuzz_thread) || !cmd || n == ARRAY_SIZE(plat.held))
		return false;
	hd = &plat.held[n];
	hd->cmd = cmd;
	hd->hdr = hdr;
	hd->sel = sel;
	hd->len = len;
	memcpy(hd->sdu, sdu, len);
	atomic_store_explicit(&num_held, n + 1, memory_order_release);
	uv_async_send(&raw_wake);
	return true;
}

/* The command is over: if it waits for a delayed response, send it now. */
static void fz_mark_txdone(void *priv, struct scmi_transport_xfer *xfer, int ret)
{
	const struct scmi_xfer *x = container_of(xfer, struct scmi_xfer, t);
	struct chunk c = {.sel = SEL_NOT_SUPP};
	uint8_t sdu[MAX_SDU];
	uint32_t hdr;
	size_t len;

	(void)priv;
	plat.poll_ready = false;
	/* A delayed response follows a successful response only. */
	if (ret || x->resp_status != SCMI_SUCCESS || !x->async)
		return;
	next_chunk(CHUNK_DRESP, xfer, 0, 0, &c);
	maybe_noise(c.sel);
	hdr = with_type(xfer->hdr, SCMI_MSG_TYPE_DELAYED_RESP);
	len = build_reply(sdu, hdr, &c);
	if (hold_dresp(x, c.sel, hdr, sdu, len))
		return;
	deliver(hdr, sdu, len);
	if (c.sel & SEL_TWICE)
		deliver(hdr, sdu, len);
}

static int fz_fetch_response(void *priv, void *msg, struct scmi_transport_xfer *xfer)
{
	struct fz_inst *fi = priv;
	struct fuzz_msg *m = msg;
	const uint8_t *sdu;
	size_t len;
	int ret;

	if (m) {
		FUZZ_CHECK(!m->fetched, "response fetched twice");
		m->fetched++;
		sdu = m->sdu;
		len = m->len;
	} else {
		FUZZ_CHECK(fi->polling && plat.poll_ready && plat.poll_hdr == xfer->hdr,
			   "fetch_response(NULL) for 0x%08x, nothing polled", xfer->hdr);
		sdu = plat.poll_sdu;
		len = plat.poll_len;
		plat.poll_ready = false;
		record_reply(xfer->hdr, sdu, len);
	}
	FUZZ_CHECK(xfer->rx_size <= fi->max_msg_size, "rx_size %zu", xfer->rx_size);
	/*
	 * The response data buffer holds max_msg_size bytes; poison what lies
	 * past the data received, so that a parser reading beyond rx_len is
	 * caught even though the bytes are inside the buffer.
	 */
	ASAN_UNPOISON_MEMORY_REGION(xfer->rx, fi->max_msg_size);
	ret = scmi_msg_fetch_response(sdu, len, xfer);
	ASAN_POISON_MEMORY_REGION((uint8_t *)xfer->rx + xfer->rx_len,
				  fi->max_msg_size - xfer->rx_len);
	return ret;
}

static int fz_fetch_notification(void *priv, void *msg, void *buf, size_t size, size_t *len)
{
	struct fuzz_msg *m = msg;
	int ret;

	(void)priv;
	FUZZ_CHECK(m && !m->fetched, "notification fetched twice");
	m->fetched++;
	/* Check that @buf really holds @size bytes, and poison the tail. */
	ASAN_UNPOISON_MEMORY_REGION(buf, size);
	memset(buf, 0xa5, size);
	ret = scmi_msg_fetch_notification(m->sdu, m->len, buf, size, len);
	if (!ret)
		ASAN_POISON_MEMORY_REGION((uint8_t *)buf + *len, size - *len);
	return ret;
}

static void fz_clear_channel(void *priv, void *msg)
{
	struct fuzz_msg *m = msg;

	(void)priv;
	FUZZ_CHECK(m, "clear_channel(NULL)");
	m->cleared++;
}

static bool fz_poll_done(void *priv, struct scmi_transport_xfer *xfer)
{
	(void)priv;
	return plat.poll_ready && plat.poll_hdr == xfer->hdr;
}

/* Fastchannel windows: plain memory filled from the next chunk. */
static void *fz_map_memory(void *priv, uint64_t addr, size_t size)
{
	struct chunk c;
	void *p;

	(void)priv;
	FUZZ_CHECK(size && size <= 64, "window of %zu bytes", size);
	if (plat.num_maps == MAX_MAPS || !next_chunk(CHUNK_MAP, NULL, addr, size, &c) ||
	    (c.sel & SEL_NO_STATUS))
		return NULL;
	p = calloc(1, size);
	FUZZ_CHECK(p, "out of memory");
	memcpy(p, c.data, c.len < size ? c.len : size);
	plat.maps[plat.num_maps].ptr = p;
	plat.maps[plat.num_maps++].size = size;
	return p;
}

static void fz_unmap_memory(void *priv, void *ptr, size_t size)
{
	(void)priv;
	for (unsigned int i = 0; i < plat.num_maps; i++) {
		if (plat.maps[i].ptr != ptr)
			continue;
		FUZZ_CHECK(plat.maps[i].size == size, "window of %zu bytes unmapped as %zu",
			   plat.maps[i].size, size);
		free(ptr);
		plat.maps[i] = plat.maps[--plat.num_maps];
		return;
	}
	FUZZ_CHECK(0, "unmap of %p (%zu bytes): not mapped", ptr, size);
}

static const struct scmi_transport_ops fuzz_ops = {
	.open = fz_open,
	.close = fz_close,
	.release = fz_release,
	.send_message = fz_send_message,
	.mark_txdone = fz_mark_txdone,
	.fetch_response = fz_fetch_response,
	.fetch_notification = fz_fetch_notification,
	.clear_channel = fz_clear_channel,
	.poll_done = fz_poll_done,
	.map_memory = fz_map_memory,
	.unmap_memory = fz_unmap_memory,
};

static const struct scmi_transport_desc fuzz_transport = {
	.scheme = FUZZ_SCHEME,
	.ops = &fuzz_ops,
	.defaults = {.max_msg = 8,
		     .max_msg_size = 128,
		     .timeout_ms = 1000,
		     .caps = SCMI_TRANSPORT_P2A},
};

/* ---- checks on what libscmi publishes ------------------------------------- */

static void check_name(const char *name, size_t size)
{
	FUZZ_CHECK(memchr(name, '\0', size), "name not NUL-terminated");
	sink += strlen(name);
}

/* ---- notifications ---------------------------------------------------------- */

enum nb_role {
	NB_ALL,
	NB_EACH,
	NB_STOP
};

struct fuzz_nb {
	struct scmi_notifier_block nb;
	struct scmi_handle *h;
	uint8_t proto;
	enum nb_role role;
	unsigned int calls;
};

static unsigned int nested_ops;
static unsigned int tampers; /* reports our callbacks wrote to */
/* Protocols whose bring-up failed again in their run_*(): left alone after
 * that, since every op would retry it (and a platform that announces
 * 65535 domains makes each retry allocate and free megabytes). */
static bool proto_down[256];

/* Sources the protocol has, as its ops report them. */
static int num_sources(struct scmi_handle *h, uint8_t proto)
{
	switch (proto) {
	case SCMI_PROTOCOL_POWER:
		return h->power_ops->count_get(h);
	case SCMI_PROTOCOL_PERF:
		return h->perf_ops->count_get(h);
	case SCMI_PROTOCOL_CLOCK:
		return h->clock_ops->count_get(h);
	case SCMI_PROTOCOL_SENSOR:
		return h->sensor_ops->count_get(h);
	case SCMI_PROTOCOL_RESET:
		return h->reset_ops->count_get(h);
	case SCMI_PROTOCOL_POWERCAP:
		return h->powercap_ops->count_get(h);
	default:
		return 1;
	}
}

static void check_source(struct fuzz_nb *f, uint32_t src)
{
	int n = num_sources(f->h, f->proto);

	FUZZ_CHECK(n > 0 && src < (uint32_t)n, "%s event for source %u of %d",
		   scmi_protocol_name(f->proto), src, n);
}

/* Format a reading as the CLI would, with the platform's scales. */
static void check_reading(const struct scmi_sensor_info *si, unsigned int axis,
			  const struct scmi_sensor_reading *r)
{
	int8_t scale = si->num_axes && axis < si->num_axes ? si->axes[axis].scale : si->scale;
	char buf[64] = "";
	double v;

	FUZZ_CHECK(scmi_sensor_format_value(buf, sizeof(buf), r->value, scale) >= 0 ||
			   scale < -32 || scale > 32,
		   "formatting %lld x 10^%d", (long long)r->value, scale);
	v = scmi_sensor_value_scale(r->value, scale);
	sink += strlen(buf) + (v > 0) + scmi_sensor_timestamp_ns(r->timestamp, si->tstamp_scale);
}

/* A command from a callback, for the first few events only. */
static bool nested_op(void)
{
	return nested_ops++ < MAX_NESTED_OPS;
}

static int on_event(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct fuzz_nb *f = scmi_container_of(nb, struct fuzz_nb, nb);
	const struct scmi_event_hdr *hdr = report;
	struct scmi_handle *h = f->h;
	uint32_t u32, src = 0;
	uint64_t u64;

	f->calls++;
	FUZZ_CHECK(hdr->handle == h && hdr->proto_id == f->proto && hdr->evt_id == evt,
		   "header %p 0x%x/0x%x for %p 0x%x/0x%x", (const void *)hdr->handle, hdr->proto_id,
		   hdr->evt_id, (void *)h, f->proto, evt);
	switch (f->proto) {
	case SCMI_PROTOCOL_BASE: {
		const struct scmi_base_error_report *r = report;

		FUZZ_CHECK(r->cmd_count <= SCMI_BASE_MAX_ERROR_REPORTS, "%u reports", r->cmd_count);
		for (unsigned int i = 0; i < r->cmd_count; i++)
			sink += r->reports[i];
		break;
	}
	case SCMI_PROTOCOL_POWER: {
		const struct scmi_power_state_changed_report *r = report;

		check_source(f, src = r->domain_id);
		if (nested_op())
			h->power_ops->state_get(h, r->domain_id, &u32);
		break;
	}
	case SCMI_PROTOCOL_SYSTEM: {
		const struct scmi_system_power_state_notifier_report *r = report;

		sink += r->timeout_ms + strlen(scmi_system_state_name(r->system_state));
		break;
	}
	case SCMI_PROTOCOL_PERF: {
		const struct scmi_perf_limits_report *lr = report;
		const struct scmi_perf_level_report *vr = report;

		src = evt == SCMI_EVENT_PERF_LIMITS_CHANGED ? lr->domain_id : vr->domain_id;
		check_source(f, src);
		if (nested_op())
			h->perf_ops->level_get(h, vr->domain_id, &u32);
		break;
	}
	case SCMI_PROTOCOL_CLOCK: {
		const struct scmi_clock_rate_notif_report *r = report;

		check_source(f, src = r->clock_id);
		if (nested_op())
			h->clock_ops->rate_get(h, r->clock_id, &u64);
		break;
	}
	case SCMI_PROTOCOL_SENSOR:
		if (evt == SCMI_EVENT_SENSOR_UPDATE) {
			const struct scmi_sensor_update_report *r = report;
			const struct scmi_sensor_info *si;

			check_source(f, src = r->sensor_id);
			FUZZ_CHECK(!h->sensor_ops->info_get(h, r->sensor_id, &si),
				   "update for sensor %u without info", r->sensor_id);
			FUZZ_CHECK(r->readings_count <= (si->num_axes ? si->num_axes : 1),
				   "%u readings for sensor %u with %u axes", r->readings_count,
				   r->sensor_id, si->num_axes);
			for (unsigned int i = 0; i < r->readings_count; i++)
				check_reading(si, i, &r->readings[i]);
		} else {
			const struct scmi_sensor_trip_point_report *r = report;

			check_source(f, src = r->sensor_id);
			if (nested_op())
				h->sensor_ops->reading_get(h, r->sensor_id, (int64_t *)&u64);
		}
		break;
	case SCMI_PROTOCOL_RESET: {
		const struct scmi_reset_issued_report *r = report;

		check_source(f, src = r->domain_id);
		break;
	}
	case SCMI_PROTOCOL_POWERCAP: {
		const struct scmi_powercap_cap_changed_report *r = report;

		check_source(f, src = r->domain_id);
		if (nested_op())
			h->powercap_ops->cap_get(h, r->domain_id, &u32);
		break;
	}
	default:
		FUZZ_CHECK(0, "event of protocol 0x%x", f->proto);
	}
	FUZZ_CHECK(hdr->src_id == src, "header source %u, report's %u", hdr->src_id, src);
	/* Registrations come and go during a dispatch. */
	if (f->role == NB_EACH && f->calls == 2) {
		h->notify_ops->event_notifier_unregister(h, f->proto, (uint8_t)evt, &src, nb);
	} else if (f->role == NB_EACH && f->calls == 3) {
		src++;
		h->notify_ops->event_notifier_register(h, f->proto, (uint8_t)evt, &src, nb);
	}
	/* Some listeners stop their chain, one writes to its report (the core
	 * undoes it and counts it). */
	if (f->role == NB_STOP)
		return SCMI_NOTIFY_STOP;
	if (f->calls == 1 && f->proto == SCMI_PROTOCOL_PERF) {
		*(uint64_t *)report ^= 1;
		tampers++;
	}
	return SCMI_NOTIFY_OK;
}

struct event_src {
	uint8_t proto;
	uint8_t num_events;
};

static const struct event_src event_protos[] = {
	{SCMI_PROTOCOL_BASE, 1},  {SCMI_PROTOCOL_POWER, 2},    {SCMI_PROTOCOL_SYSTEM, 1},
	{SCMI_PROTOCOL_PERF, 2},  {SCMI_PROTOCOL_CLOCK, 2},    {SCMI_PROTOCOL_SENSOR, 2},
	{SCMI_PROTOCOL_RESET, 1}, {SCMI_PROTOCOL_POWERCAP, 2},
};

#define NUM_EVENT_PROTOS ARRAY_SIZE(event_protos)

static struct fuzz_nb nb_all[NUM_EVENT_PROTOS];	 /* every source */
static struct fuzz_nb nb_each[NUM_EVENT_PROTOS]; /* sources 0..2 */
static struct fuzz_nb nb_stop[NUM_EVENT_PROTOS]; /* source 0, first in the chain */

static void notifiers_init(struct scmi_handle *h)
{
	for (size_t i = 0; i < NUM_EVENT_PROTOS; i++) {
		struct fuzz_nb *nbs[] = {&nb_all[i], &nb_each[i], &nb_stop[i]};

		for (size_t j = 0; j < ARRAY_SIZE(nbs); j++) {
			*nbs[j] = (struct fuzz_nb){
				.nb = {.notifier_call = on_event, .priority = j == 2 ? 10 : 0},
				.h = h,
				.proto = event_protos[i].proto,
				.role = (enum nb_role)j,
			};
		}
	}
	nested_ops = 0;
	tampers = 0;
	memset(proto_down, 0, sizeof(proto_down));
}

static bool have_protocol(struct scmi_handle *h, uint8_t proto)
{
	switch (proto) {
	case SCMI_PROTOCOL_BASE:
		return true;
	case SCMI_PROTOCOL_POWER:
		return h->power_ops;
	case SCMI_PROTOCOL_SYSTEM:
		return h->system_ops;
	case SCMI_PROTOCOL_PERF:
		return h->perf_ops;
	case SCMI_PROTOCOL_CLOCK:
		return h->clock_ops;
	case SCMI_PROTOCOL_SENSOR:
		return h->sensor_ops;
	case SCMI_PROTOCOL_RESET:
		return h->reset_ops;
	case SCMI_PROTOCOL_POWERCAP:
		return h->powercap_ops;
	default:
		return false;
	}
}

/*
 * Before the ops: registering brings the protocol up (first attempt); when
 * that fails the registration stays pending, to be bound by a later
 * successful bring-up.
 */
static void register_first_events(struct scmi_handle *h)
{
	const struct scmi_notify_ops *no = h->notify_ops;
	uint32_t src = 0;

	for (size_t i = 0; i < NUM_EVENT_PROTOS; i++)
		no->event_notifier_register(h, event_protos[i].proto, 0, NULL, &nb_all[i].nb);
	/* Voltage has no events: refused once up, pending while it is not. */
	no->event_notifier_register(h, SCMI_PROTOCOL_VOLTAGE, 0, &src, &nb_all[0].nb);
}

/* After the ops, on the protocols that came up: the other events for every
 * source, and single sources. */
static void register_some_sources(struct scmi_handle *h)
{
	const struct scmi_notify_ops *no = h->notify_ops;
	struct scmi_event_stats es;
	uint32_t zero = 0;
	int ret;

	for (size_t i = 0; i < NUM_EVENT_PROTOS; i++) {
		uint8_t proto = event_protos[i].proto;

		if (!have_protocol(h, proto) || proto_down[proto])
			continue;
		for (uint8_t e = 0; e < event_protos[i].num_events; e++) {
			if (e)
				no->event_notifier_register(h, proto, e, NULL, &nb_all[i].nb);
			for (uint32_t src = 0; src < 3; src++)
				no->event_notifier_register(h, proto, e, &src, &nb_each[i].nb);
			no->event_notifier_register(h, proto, e, &zero, &nb_stop[i].nb);
		}
		/* An event the protocol does not have: refused once the protocol
		 * registered its events (kept pending before). */
		ret = no->event_notifier_register(h, proto, 0x7f, &zero, &nb_each[i].nb);
		FUZZ_CHECK(ret || scmi_event_stats_get(h, proto, &es),
			   "registered for %s event 0x7f", scmi_protocol_name(proto));
	}
}

static void unregister_some(struct scmi_handle *h)
{
	const struct scmi_notify_ops *no = h->notify_ops;
	uint32_t zero = 0;

	for (size_t i = 0; i < NUM_EVENT_PROTOS; i++) {
		uint8_t proto = event_protos[i].proto;

		no->event_notifier_unregister(h, proto, 0, &zero, &nb_each[i].nb);
		no->event_notifier_unregister(h, proto, 0, NULL, &nb_all[i].nb);
	}
}

/* Events received but neither delivered nor dropped yet.  Only the
 * protocols of event_protos[] register events. */
static uint64_t events_pending(struct scmi_handle *h)
{
	uint64_t pending = 0;

	for (size_t i = 0; i < NUM_EVENT_PROTOS; i++) {
		uint8_t p = event_protos[i].proto;
		struct scmi_event_stats st;

		if (scmi_event_stats_get(h, p, &st))
			continue;
		FUZZ_CHECK(st.delivered + st.dropped_queue_full + st.dropped_no_handler +
					   st.dropped_malformed <=
				   st.received,
			   "protocol 0x%x: more events handled than received", p);
		pending += st.received - st.delivered - st.dropped_queue_full -
			   st.dropped_no_handler - st.dropped_malformed;
	}
	return pending;
}

/* Run the user loop until every queued event is delivered or dropped. */
static void drain(struct scmi_handle *h)
{
	for (unsigned int i = 0; i < DRAIN_MAX_TURNS; i++) {
		if (!events_pending(h))
			return;
		uv_run(&user_loop, UV_RUN_NOWAIT);
	}
	FUZZ_CHECK(0, "%llu events still queued after %u loop turns",
		   (unsigned long long)events_pending(h), DRAIN_MAX_TURNS);
}

/* The core counts as "tampered" exactly the reports our callbacks wrote to. */
static void check_tampered(struct scmi_handle *h)
{
	uint64_t tampered = 0;

	for (size_t i = 0; i < NUM_EVENT_PROTOS; i++) {
		struct scmi_event_stats st;

		if (!scmi_event_stats_get(h, event_protos[i].proto, &st))
			tampered += st.tampered;
	}
	FUZZ_CHECK(tampered == tampers || check_ignored("tampered"),
		   "%llu reports counted as tampered, %u written to", (unsigned long long)tampered,
		   tampers);
}

static void inject_noise(struct scmi_handle *h)
{
	struct noise n;

#ifdef FUZZ_RECORD
	platform_events();
#endif
	while (next_noise(&n)) {
		deliver_noise(&n);
		if (n.kind & KIND_DRAIN)
			drain(h);
	}
	drain(h);
}

/* ---- the ops of each protocol ---------------------------------------------- */

static void run_base(struct scmi_handle *h)
{
	const struct scmi_revision_info *v = h->version;
	const uint32_t agents[] = {0, 1, SCMI_BASE_AGENT_SELF};
	struct scmi_base_agent_info ai;
	uint32_t attr;

	check_name(v->vendor_id, sizeof(v->vendor_id));
	check_name(v->sub_vendor_id, sizeof(v->sub_vendor_id));
	for (unsigned int i = 0; i < v->num_protocols; i++)
		sink += v->protocols[i].id + v->protocols[i].version;
	for (size_t i = 0; i < ARRAY_SIZE(agents); i++)
		if (!h->base_ops->discover_agent(h, agents[i], &ai))
			check_name(ai.name, sizeof(ai.name));
	scmi_protocol_message_attributes(h, SCMI_PROTOCOL_BASE, 0x7, &attr);
	for (unsigned int i = 0; i < v->num_protocols; i++)
		sink += strlen(scmi_protocol_name(v->protocols[i].id));
	h->base_ops->set_device_permissions(h, 1, 0, true);
	h->base_ops->set_protocol_permissions(h, 1, 0, SCMI_PROTOCOL_PERF, false);
	h->base_ops->reset_agent_configuration(h, 1, true);
}

static void run_power(struct scmi_handle *h)
{
	const struct scmi_power_ops *ops = h->power_ops;
	const struct scmi_power_domain_info *di;
	const struct scmi_power_info *pi;
	int n = ops->count_get(h);
	const char *name;
	uint32_t state;

	if (n < 0) {
		proto_down[SCMI_PROTOCOL_POWER] = true;
		return;
	}
	FUZZ_CHECK(!ops->protocol_info_get(h, &pi) && pi->num_domains == (unsigned int)n, "power info");
	FUZZ_CHECK(ops->info_get(h, (uint32_t)n, &di) == -EINVAL, "power domain %d", n);
	for (uint32_t d = 0; d < 3 && d < (uint32_t)n; d++) {
		FUZZ_CHECK(!ops->info_get(h, d, &di) && di->id == d, "power domain %u", d);
		check_name(di->name, sizeof(di->name));
		FUZZ_CHECK(!ops->name_get(h, d, &name) && name == di->name, "power name");
		ops->state_get(h, d, &state);
		/* Not the asynchronous form: it waits for a notification that
		 * only this thread could deliver. */
		if (di->state_set_sync)
			ops->state_set(h, d, SCMI_POWER_STATE_OFF);
	}
	if (n > 0)
		ops->state_set_async(h, 0, SCMI_POWER_STATE_ON);
}

static void run_system(struct scmi_handle *h)
{
	const struct scmi_system_info *si;
	uint32_t state;

	if (!h->system_ops->protocol_info_get(h, &si))
		sink += si->version;
	h->system_ops->state_get(h, &state);
	h->system_ops->state_set(h, SCMI_SYSTEM_WARM_RESET, true);
}

static void run_perf(struct scmi_handle *h)
{
	const struct scmi_perf_ops *ops = h->perf_ops;
	const struct scmi_perf_domain_info *di;
	const struct scmi_perf_info *pi;
	int n = ops->count_get(h);

	if (n < 0) {
		proto_down[SCMI_PROTOCOL_PERF] = true;
		return;
	}
	FUZZ_CHECK(!ops->protocol_info_get(h, &pi) && pi->num_domains == (unsigned int)n, "perf info");
	FUZZ_CHECK(ops->info_get(h, (uint32_t)n, &di) == -EINVAL, "perf domain %d", n);
	for (uint32_t d = 0; d < 3 && d < (uint32_t)n; d++) {
		uint32_t lvl, max, min, power;
		uint64_t freq;

		FUZZ_CHECK(!ops->info_get(h, d, &di) && di->id == d, "perf domain %u", d);
		check_name(di->name, sizeof(di->name));
		if (!di->usable) { /* disabled at discovery: no levels, no ops */
			FUZZ_CHECK(!di->num_levels && !di->levels, "disabled perf domain %u", d);
			FUZZ_CHECK(ops->level_get(h, d, &lvl) == -EPROTO, "disabled perf domain %u",
				   d);
			continue;
		}
		FUZZ_CHECK(di->num_levels >= 1 && di->num_levels <= SCMI_PERF_MAX_LEVELS,
			   "perf domain %u: %u levels", d, di->num_levels);
		for (unsigned int i = 0; i < di->num_levels; i++) {
			FUZZ_CHECK(!i || di->levels[i - 1].perf < di->levels[i].perf,
				   "perf domain %u: levels not ascending at %u", d, i);
			sink += di->levels[i].freq_hz + di->levels[i].power_cost;
		}
		ops->limits_get(h, d, &max, &min);
		ops->level_get(h, d, &lvl);
		ops->freq_get(h, d, &freq);
		freq = 0;
		ops->est_power_get(h, d, &freq, &power);
		ops->level_to_freq(h, d, di->levels[0].perf, &freq);
		ops->level_set(h, d, di->levels[di->num_levels - 1].perf);
		ops->limits_set(h, d, di->levels[di->num_levels - 1].perf, di->levels[0].perf);
		ops->freq_set(h, d, di->levels[0].freq_hz);
	}
}

static void run_clock(struct scmi_handle *h)
{
	const struct scmi_clock_ops *ops = h->clock_ops;
	const struct scmi_clock_info *ci;
	int n = ops->count_get(h);

	if (n < 0) {
		proto_down[SCMI_PROTOCOL_CLOCK] = true;
		return;
	}
	FUZZ_CHECK(ops->info_get(h, (uint32_t)n, &ci) == -EINVAL, "clock %d", n);
	for (uint32_t c = 0; c < 3 && c < (uint32_t)n; c++) {
		struct scmi_clock_permissions perms;
		uint64_t rate, actual;
		uint32_t value;
		bool enabled;

		FUZZ_CHECK(!ops->info_get(h, c, &ci) && ci->id == c, "clock %u", c);
		check_name(ci->name, sizeof(ci->name));
		FUZZ_CHECK(ci->num_rates <= SCMI_CLOCK_MAX_RATES, "clock %u: %u rates", c,
			   ci->num_rates);
		for (unsigned int i = 0; i < ci->num_rates; i++) {
			FUZZ_CHECK(!i || ci->rates[i - 1] <= ci->rates[i],
				   "clock %u: rates not sorted at %u", c, i);
			sink += ci->rates[i];
		}
		for (unsigned int i = 0; i < ci->num_parents; i++)
			sink += ci->parents[i];
		ops->rate_get(h, c, &rate);
		ops->state_get(h, c, &enabled);
		ops->config_oem_get(h, c, SCMI_CLOCK_CFG_DUTY_CYCLE, &value, &enabled);
		ops->parent_get(h, c, &value);
		ops->permissions_get(h, c, &perms);
		ops->rate_set(h, c, ci->max_rate, SCMI_CLOCK_RATE_ASYNC, &actual);
		ops->enable(h, c);
		ops->disable(h, c);
		ops->config_oem_set(h, c, SCMI_CLOCK_CFG_PHASE, 90);
		if (ci->num_parents)
			ops->parent_set(h, c, ci->parents[0]);
	}
}

static void run_sensor(struct scmi_handle *h)
{
	const struct scmi_sensor_ops *ops = h->sensor_ops;
	struct scmi_sensor_reading readings[SCMI_SENSOR_MAX_AXES];
	const struct scmi_sensor_protocol_info *pi;
	const struct scmi_sensor_info *si;
	int n = ops->count_get(h);

	if (n < 0) {
		proto_down[SCMI_PROTOCOL_SENSOR] = true;
		return;
	}
	FUZZ_CHECK(!ops->protocol_info_get(h, &pi) && pi->num_sensors == (unsigned int)n,
		   "sensor info");
	FUZZ_CHECK(ops->info_get(h, (uint32_t)n, &si) == -EINVAL, "sensor %d", n);
	for (uint32_t s = 0; s < 3 && s < (uint32_t)n; s++) {
		struct scmi_sensor_config cfg;
		int64_t value;
		int ret;

		FUZZ_CHECK(!ops->info_get(h, s, &si) && si->id == s, "sensor %u", s);
		check_name(si->name, sizeof(si->name));
		if (!si->usable) { /* disabled at discovery: no axes, no ops */
			FUZZ_CHECK(!si->num_axes && !si->axes, "disabled sensor %u", s);
			FUZZ_CHECK(ops->reading_get(h, s, &value) == -EPROTO, "disabled sensor %u",
				   s);
			continue;
		}
		FUZZ_CHECK(si->num_axes <= SCMI_SENSOR_MAX_AXES, "sensor %u: %u axes", s,
			   si->num_axes);
		for (unsigned int i = 0; i < si->num_axes; i++) {
			FUZZ_CHECK(si->axes[i].id == i, "sensor %u axis %u", s, i);
			check_name(si->axes[i].name, sizeof(si->axes[i].name));
		}
		FUZZ_CHECK(!si->intervals.segmented || si->intervals.count == 3,
			   "sensor %u: segmented intervals with %u entries", s,
			   si->intervals.count);
		for (unsigned int i = 0; i < si->intervals.count; i++)
			sink += si->intervals.list[i].seconds;
		sink += strlen(scmi_sensor_unit_name(si->type));
		for (unsigned int i = 0; i < si->intervals.count; i++)
			sink += scmi_sensor_interval_ns(si->intervals.list[i]);
		if (!ops->reading_get(h, s, &value))
			check_reading(si, 0, &(struct scmi_sensor_reading){.value = value});
		ret = ops->reading_get_timestamped(h, s, SCMI_SENSOR_MAX_AXES, readings);
		FUZZ_CHECK(ret <= SCMI_SENSOR_MAX_AXES, "%d readings", ret);
		for (int i = 0; i < ret; i++)
			check_reading(si, (unsigned int)i, &readings[i]);
		ret = ops->reading_read(h, s, SCMI_SENSOR_READ_ASYNC, SCMI_SENSOR_MAX_AXES,
					readings);
		FUZZ_CHECK(ret <= SCMI_SENSOR_MAX_AXES, "%d readings", ret);
		if (!ops->config_get(h, s, &cfg))
			ops->config_set(h, s, &cfg);
		if (si->num_trip_points)
			ops->trip_point_config(h, s, 0, SCMI_SENSOR_TRIP_BOTH, 1);
	}
}

static void run_reset(struct scmi_handle *h)
{
	const struct scmi_reset_ops *ops = h->reset_ops;
	const struct scmi_reset_domain_info *di;
	int n = ops->count_get(h);

	if (n < 0) {
		proto_down[SCMI_PROTOCOL_RESET] = true;
		return;
	}
	FUZZ_CHECK(ops->info_get(h, (uint32_t)n, &di) == -EINVAL, "reset domain %d", n);
	for (uint32_t d = 0; d < 3 && d < (uint32_t)n; d++) {
		FUZZ_CHECK(!ops->info_get(h, d, &di) && di->id == d, "reset domain %u", d);
		check_name(di->name, sizeof(di->name));
		ops->reset(h, d, SCMI_RESET_STATE_COLD, d ? SCMI_RESET_AUTO : SCMI_RESET_ASYNC);
		ops->reset_assert(h, d, SCMI_RESET_STATE_IMPL(1));
		ops->reset_deassert(h, d, SCMI_RESET_STATE_IMPL(1));
	}
}

static void run_voltage(struct scmi_handle *h)
{
	const struct scmi_voltage_ops *ops = h->voltage_ops;
	const struct scmi_voltage_info *vi;
	int n = ops->count_get(h);

	if (n < 0) {
		proto_down[SCMI_PROTOCOL_VOLTAGE] = true;
		return;
	}
	FUZZ_CHECK(ops->info_get(h, (uint32_t)n, &vi) == -EINVAL, "voltage domain %d", n);
	for (uint32_t d = 0; d < 3 && d < (uint32_t)n; d++) {
		uint32_t config;
		int32_t level;

		FUZZ_CHECK(!ops->info_get(h, d, &vi) && vi->id == d, "voltage domain %u", d);
		check_name(vi->name, sizeof(vi->name));
		if (!vi->usable) { /* disabled at discovery: no levels, no ops */
			FUZZ_CHECK(!vi->num_levels && !vi->levels_uv, "disabled voltage domain %u",
				   d);
			FUZZ_CHECK(ops->level_get(h, d, &level) == -EPROTO,
				   "disabled voltage domain %u", d);
			continue;
		}
		FUZZ_CHECK(vi->num_levels >= 1, "voltage domain %u without levels", d);
		if (vi->segmented) {
			FUZZ_CHECK(vi->num_levels == 3 &&
					   vi->levels_uv[SCMI_VOLTAGE_SEGMENT_LOW] <=
						   vi->levels_uv[SCMI_VOLTAGE_SEGMENT_HIGH] &&
					   vi->levels_uv[SCMI_VOLTAGE_SEGMENT_STEP] > 0,
				   "voltage domain %u: bad segment", d);
		}
		for (unsigned int i = 0; i < vi->num_levels; i++) {
			FUZZ_CHECK(vi->segmented || (vi->levels_uv[i] >= vi->min_uv &&
						     vi->levels_uv[i] <= vi->max_uv),
				   "voltage domain %u: level %u out of bounds", d, i);
			sink += (uint32_t)vi->levels_uv[i];
		}
		ops->config_get(h, d, &config);
		ops->level_get(h, d, &level);
		ops->level_set(h, d, SCMI_VOLTAGE_LEVEL_SET_AUTO, vi->max_uv);
		ops->config_set(h, d, SCMI_VOLTAGE_CONFIG_ON);
	}
}

static void run_powercap(struct scmi_handle *h)
{
	const struct scmi_powercap_ops *ops = h->powercap_ops;
	const struct scmi_powercap_info *pi;
	int n = ops->count_get(h);

	if (n < 0) {
		proto_down[SCMI_PROTOCOL_POWERCAP] = true;
		return;
	}
	FUZZ_CHECK(ops->info_get(h, (uint32_t)n, &pi) == -EINVAL, "powercap domain %d", n);
	for (uint32_t d = 0; d < 3 && d < (uint32_t)n; d++) {
		uint32_t cap, pai, power;
		bool enabled;

		FUZZ_CHECK(!ops->info_get(h, d, &pi) && pi->id == d, "powercap domain %u", d);
		check_name(pi->name, sizeof(pi->name));
		FUZZ_CHECK(pi->parent_id == SCMI_POWERCAP_ROOT || pi->parent_id < (uint32_t)n,
			   "powercap domain %u: parent %u", d, pi->parent_id);
		FUZZ_CHECK(pi->num_children <= (unsigned int)n, "powercap domain %u: %u children",
			   d, pi->num_children);
		for (unsigned int i = 0; i < pi->num_children; i++)
			FUZZ_CHECK(pi->children[i] < (uint32_t)n &&
					   (!i || pi->children[i - 1] < pi->children[i]),
				   "powercap domain %u: child %u", d, i);
		FUZZ_CHECK(!pi->usable || (pi->min_power_cap && pi->max_power_cap &&
					   pi->min_power_cap <= pi->max_power_cap),
			   "powercap domain %u usable with caps %u..%u", d, pi->min_power_cap,
			   pi->max_power_cap);
		ops->cap_get(h, d, &cap);
		ops->pai_get(h, d, &pai);
		ops->measurements_get(h, d, &power, &pai);
		ops->cap_enable_get(h, d, &enabled);
		ops->measurements_threshold_set(h, d, 1, 1000);
		ops->cap_set(h, d, pi->max_power_cap, d == 1);
		ops->pai_set(h, d, pi->min_pai);
		ops->cap_enable_set(h, d, false);
		ops->cap_enable_set(h, d, true);
		ops->measurements_threshold_get(h, d, &cap, &power);
	}
}

static void run_pinctrl(struct scmi_handle *h)
{
	static struct scmi_pinctrl_config configs[SCMI_PINCTRL_MAX_CONFIGS];
	const struct scmi_pinctrl_ops *ops = h->pinctrl_ops;
	int count[3];

	for (int t = 0; t < 3; t++) {
		count[t] = ops->count_get(h, (enum scmi_pinctrl_selector_type)t);
		if (count[t] < 0) {
			proto_down[SCMI_PROTOCOL_PINCTRL] = true;
			return;
		}
	}
	for (int t = 0; t < 3; t++) {
		enum scmi_pinctrl_selector_type type = (enum scmi_pinctrl_selector_type)t;
		const struct scmi_pinctrl_info *info;

		FUZZ_CHECK(ops->info_get(h, type, (uint32_t)count[t], &info) == -EINVAL,
			   "pinctrl %d %d", t, count[t]);
		for (uint32_t id = 0; id < 3 && id < (uint32_t)count[t]; id++) {
			unsigned int nr = SCMI_PINCTRL_MAX_CONFIGS, nr_elems;
			const uint32_t *elems;
			uint32_t value, found;
			const char *name;
			int ret;

			FUZZ_CHECK(!ops->info_get(h, type, id, &info), "pinctrl %d %u", t, id);
			check_name(info->name, sizeof(info->name));
			FUZZ_CHECK(t != SCMI_PINCTRL_PIN || !info->num_elems, "pin with elements");
			for (unsigned int i = 0; i < info->num_elems; i++)
				FUZZ_CHECK(info->elems[i] < (uint32_t)count[t - 1],
					   "pinctrl %d %u: element %u is %u of %d", t, id, i,
					   info->elems[i], count[t - 1]);
			ops->id_lookup(h, type, info->name, &found);
			FUZZ_CHECK(!ops->name_get(h, type, id, &name) && name == info->name,
				   "pinctrl name");
			if (!info->usable) { /* disabled at discovery: no elements, no ops */
				FUZZ_CHECK(!info->num_elems && !info->elems,
					   "disabled pinctrl %d %u", t, id);
				FUZZ_CHECK(type == SCMI_PINCTRL_FUNCTION ||
						   ops->request(h, type, id) == -EPROTO,
					   "disabled pinctrl %d %u", t, id);
				continue;
			}
			if (type == SCMI_PINCTRL_GROUP) {
				FUZZ_CHECK(!ops->group_pins_get(h, id, &elems, &nr_elems) &&
						   nr_elems == info->num_elems,
					   "pins of group %u", id);
				if (count[SCMI_PINCTRL_FUNCTION] > 0)
					ops->mux_set(h, 0, id);
			} else if (type == SCMI_PINCTRL_FUNCTION) {
				FUZZ_CHECK(!ops->function_groups_get(h, id, &elems, &nr_elems) &&
						   nr_elems == info->num_elems,
					   "groups of function %u", id);
			}
			if (type == SCMI_PINCTRL_FUNCTION)
				continue;
			ops->settings_get_one(h, type, id, SCMI_PINCTRL_CONF_BIAS_PULL_UP, &value);
			ret = ops->settings_get_all(h, type, id, configs, &nr, &value);
			FUZZ_CHECK(ret || nr <= SCMI_PINCTRL_MAX_CONFIGS, "%u configs", nr);
			ops->function_get(h, type, id, &value);
			if (count[SCMI_PINCTRL_FUNCTION] > 0)
				ops->function_select(h, type, id, 0);
			ops->request(h, type, id);
			ops->release(h, type, id);
			if (!ret)
				for (unsigned int i = 0; i < nr; i++)
					sink += (uintptr_t)scmi_pinctrl_config_name(
						configs[i].type);
			ops->settings_conf(h, type, id,
					   (const struct scmi_pinctrl_config[]){
						   {SCMI_PINCTRL_CONF_BIAS_PULL_UP, 1},
						   {SCMI_PINCTRL_CONF_DRIVE_STRENGTH, 8}},
					   2);
		}
	}
}

/* ---- raw sessions (OPT_RAW) ---------------------------------------------------- */

/*
 * With OPT_RAW a raw session (scmi/raw.h) is open for the whole session: it
 * sees every message the core drops while the protocols' ops and the noise
 * run, and the script below (its own section of the input) drives it right
 * after Base, before any notifier is registered (so that nothing but this
 * thread and, for non-blocking commands, the request engine's thread talks
 * to the platform, one at a time):
 *
 *   [depth]  queue depth of the session (0: the library's default)
 *   then operations, op b[2:0]:
 *   0 send       [proto][msg_id][sizes][len][len bytes]: scmi_raw_send();
 *                op b3 SCMI_RAW_DRESP, b4 SCMI_RAW_POLL, b5 scmi_raw_command()
 *   1 submit     same arguments: scmi_raw_submit(); b3 SCMI_RAW_DRESP, b4
 *                SCMI_RAW_POLL (refused); at most RAW_MAX_ASYNC in flight
 *   2 subscribe  [proto][evt] (0xff: SCMI_RAW_ANY); b3 unsubscribe
 *   3 read       [size] (b5: the largest entry): b[4:3] the queue
 *                (notifications, errors, either, either)
 *   4 flush      [mask]: wait for the requests in flight; the delayed
 *                responses the platform held back (a delayed response's
 *                chunk with SEL_DRESP) are then sent, late, after the
 *                request is cancelled when bit i of mask is set (i: the
 *                order in which they were held)
 *   5 reset      scmi_raw_reset() with the requests in flight waiting for
 *                their held delayed responses (all cancelled), then those
 *   6 pending    both queues' counts
 *   7 reopen     [depth]: close the session with the requests waiting
 *                (cancelled; its last callback frees it), open another
 *   sizes: b[3:0] rx_size, b[7:4] drx_size, from raw_sizes[].
 *
 * Checks: every raw command completes exactly once, with both parts
 * accounted for and what the platform sent first for its token (status,
 * length, the bytes that fit); buffers are heap blocks of exactly their
 * size; queue entries fit the buffer and the transport's largest message,
 * notifications only for what was subscribed; a cancel of a command whose
 * delayed response is still to come succeeds; reset cancels exactly those;
 * nothing is left in flight or queued once the session is closed.
 */
#define RAW_MAX_OPS  64
#define RAW_WAIT_SEC 10
#define RAW_FENCE    RAW_MAX_ASYNC

#define RAW_OP(op)   ((op)&7)
#define RAW_B3	     0x08
#define RAW_B4	     0x10
#define RAW_B5	     0x20
#define RAW_ANY_BYTE 0xff

enum {
	RAW_SEND,
	RAW_SUBMIT,
	RAW_SUBSCRIBE,
	RAW_READ,
	RAW_FLUSH,
	RAW_RESET,
	RAW_PENDING,
	RAW_REOPEN
};

static const uint16_t raw_sizes[16] = {0,  1,  3,  4,  7,   8,	 12,  16,
				       31, 32, 60, 64, 124, 128, 255, 300};

struct raw_slot {
	struct scmi_raw_req r;
	bool busy;	/* submitted, its callback still to run */
	bool cancelled; /* cancelled by us (cancel, reset, close) */
};

static struct raw_state {
	struct scmi_handle *h;
	struct scmi_raw *s;
	struct stream script;
	size_t msg_size; /* the transport's max_msg_size */
	uint64_t subs_ever[256][4];
	struct raw_slot slots[RAW_MAX_ASYNC + 1]; /* and the fence */
	unsigned int submitted, completed;
	/* FUZZ_PLATFORM_DEBUG */
	unsigned int sent, held, cancelled, entries[SCMI_RAW_ERR_NOTIFICATION + 1];
} rs;

static uint8_t fence_tx[1024]; /* longer than any max_tx_size */

static bool raw_subscribed_ever(uint32_t hdr)
{
	uint8_t e = scmi_hdr_msg_id(hdr);

	return rs.subs_ever[scmi_hdr_protocol(hdr)][e / 64] >> (e % 64) & 1;
}

static void *raw_buf(size_t size)
{
	void *p = size ? malloc(size) : NULL;

	FUZZ_CHECK(!size || p, "out of memory");
	return p;
}

/* A part of @cmd as reported, against what the platform sent first. */
static void raw_check_part(const struct scmi_raw_cmd *cmd, int i)
{
	const struct scmi_raw_part *p = i ? &cmd->dresp : &cmd->resp;
	const struct first_reply *f = &first_replies[cmd->token % SCMI_MAX_TOKENS];
	const void *buf = i ? cmd->drx : cmd->rx;
	size_t size = i ? cmd->drx_size : cmd->rx_size;
	size_t n;

	FUZZ_CHECK(p->result <= 0 && p->result != -EINPROGRESS, "raw part %d: result %d", i,
		   p->result);
	if (p->result) {
		FUZZ_CHECK(p->status == SCMI_STATUS_NONE, "raw part %d failed (%d) with status %d",
			   i, p->result, p->status);
		return;
	}
	FUZZ_CHECK(p->hdr == scmi_hdr_pack(cmd->msg_id,
					   i ? SCMI_MSG_TYPE_DELAYED_RESP : SCMI_MSG_TYPE_COMMAND,
					   cmd->protocol_id, cmd->token),
		   "raw part %d: header 0x%08x for 0x%x/0x%x token %u", i, p->hdr, cmd->protocol_id,
		   cmd->msg_id, cmd->token);
	FUZZ_CHECK(p->timestamp, "raw part %d without a time", i);
	FUZZ_CHECK(p->len <= rs.msg_size, "raw part %d of %zu bytes, max_msg_size %zu", i, p->len,
		   rs.msg_size);
	if (!i && (cmd->flags & SCMI_RAW_DRESP) && f->seq[1] &&
	    (!f->seq[0] || f->seq[1] < f->seq[0])) {
		/* Overtaken by its delayed response: implied. */
		FUZZ_CHECK(p->status == SCMI_SUCCESS && !p->len,
			   "implied response: status %d, %zu bytes", p->status, p->len);
		return;
	}
	FUZZ_CHECK(f->seq[i] && f->len[i] >= 8, "raw part %d reported, none sent (%u, %zu bytes)",
		   i, f->seq[i], f->len[i]);
	FUZZ_CHECK(p->status == (int32_t)scmi_get_le32(f->sdu[i] + 4) && p->len == f->len[i] - 8,
		   "raw part %d: status %d, %zu bytes; the platform sent %d, %zu", i, p->status,
		   p->len, (int32_t)scmi_get_le32(f->sdu[i] + 4), f->len[i] - 8);
	n = p->len < size ? p->len : size;
	FUZZ_CHECK(!n || !memcmp(buf, f->sdu[i] + 8, n), "raw part %d: bytes differ", i);
}

/* A raw command is over with @ret (what scmi_raw_send() returned). */
static void raw_check_cmd(const struct scmi_raw_cmd *cmd, int ret, bool cancelled)
{
	bool dresp = cmd->flags & SCMI_RAW_DRESP;

	raw_check_part(cmd, 0);
	raw_check_part(cmd, 1);
	FUZZ_CHECK(ret <= 0, "raw command: %d", ret);
	FUZZ_CHECK(!cancelled || ret == -ECANCELED, "cancelled raw command: %d", ret);
	FUZZ_CHECK(dresp || cmd->dresp.result == -ENODATA, "delayed response without asking: %d",
		   cmd->dresp.result);
	FUZZ_CHECK(!(cmd->resp.result || cmd->resp.status != SCMI_SUCCESS) ||
			   cmd->dresp.result == -ENODATA,
		   "delayed response after a failed response: %d", cmd->dresp.result);
	if (!ret)
		FUZZ_CHECK(!cmd->resp.result && cmd->resp.status == SCMI_SUCCESS &&
				   (!dresp ||
				    (!cmd->dresp.result && cmd->dresp.status == SCMI_SUCCESS)),
			   "raw command succeeded with parts %d/%d, %d/%d", cmd->resp.result,
			   cmd->resp.status, cmd->dresp.result, cmd->dresp.status);
	else if (!cmd->resp.result && cmd->resp.status != SCMI_SUCCESS)
		FUZZ_CHECK(ret == scmi_status_to_errno(cmd->resp.status),
			   "raw command: %d for status %d", ret, cmd->resp.status);
}

static void raw_cmd_free(struct scmi_raw_cmd *cmd)
{
	free(cmd->rx);
	free(cmd->drx);
	cmd->rx = cmd->drx = NULL;
}

static void raw_done(struct scmi_raw_req *r)
{
	struct raw_slot *sl = scmi_container_of(r, struct raw_slot, r);

	FUZZ_CHECK(pthread_equal(pthread_self(), fuzz_thread), "raw callback on another thread");
	FUZZ_CHECK(sl->busy, "raw request completed twice, or never submitted");
	sl->busy = false;
	rs.completed++;
	/* A delayed response held for it (a duplicate) no longer parks it. */
	for (unsigned int i = 0; i < atomic_load_explicit(&num_held, memory_order_acquire); i++)
		if (plat.held[i].cmd == &r->cmd)
			plat.held[i].cmd = NULL;
	if (sl == &rs.slots[RAW_FENCE])
		FUZZ_CHECK(r->status == -EMSGSIZE, "fence: %d", r->status);
	else
		raw_check_cmd(&r->cmd, r->status, sl->cancelled);
	raw_cmd_free(&r->cmd);
}

static bool raw_all_done(void)
{
	return rs.completed == rs.submitted;
}

static struct held *held_of(const struct raw_slot *sl)
{
	unsigned int n = atomic_load_explicit(&num_held, memory_order_acquire);

	for (unsigned int i = 0; i < n; i++)
		if (plat.held[i].cmd == &sl->r.cmd)
			return &plat.held[i];
	return NULL;
}

/* Every request in flight waits for a delayed response the platform
 * holds (or is done). */
static bool raw_parked(void)
{
	for (unsigned int i = 0; i < RAW_MAX_ASYNC; i++)
		if (rs.slots[i].busy && !held_of(&rs.slots[i]))
			return false;
	return true;
}

static void raw_wake_cb(uv_async_t *a)
{
	(void)a;
}

static void raw_watchdog_cb(uv_timer_t *t)
{
	(void)t;
	raw_timed_out = true;
}

static bool raw_fence_done(void)
{
	return !rs.slots[RAW_FENCE].busy;
}

/* Run the loop (the callbacks of raw requests, raw_wake) until @cond. */
static void raw_wait(bool (*cond)(void), const char *what)
{
	if (cond())
		return;
	raw_timed_out = false;
	uv_ref((uv_handle_t *)&raw_wake);
	uv_timer_start(&raw_watchdog, raw_watchdog_cb, RAW_WAIT_SEC * 1000, 0);
	while (!cond()) {
		FUZZ_CHECK(!raw_timed_out, "raw requests: %s after %d s (%u of %u done)", what,
			   RAW_WAIT_SEC, rs.completed, rs.submitted);
		uv_run(&user_loop, UV_RUN_ONCE);
	}
	uv_timer_stop(&raw_watchdog);
	uv_unref((uv_handle_t *)&raw_wake);
}

/*
 * Wait until the requests in flight are done or wait for their held
 * delayed responses, and the engine is done with their responses: a
 * request submitted last (the fence, refused when its payload is encoded)
 * is started only once the engine has no response left to act on.
 */
static void raw_park(void)
{
	struct raw_slot *sl = &rs.slots[RAW_FENCE];

	raw_wait(raw_parked, "not parked");
	if (!atomic_load(&num_held))
		return;
	memset(&sl->r, 0, sizeof(sl->r));
	sl->r.cmd.protocol_id = SCMI_PROTOCOL_BASE;
	sl->r.cmd.tx = fence_tx;
	sl->r.cmd.tx_len = sizeof(fence_tx);
	sl->busy = true;
	rs.submitted++;
	FUZZ_CHECK(!scmi_raw_submit(rs.s, &sl->r, raw_done), "fence not submitted");
	raw_wait(raw_fence_done, "fence");
}

/* Send the held delayed responses (late, for cancelled requests). */
static void raw_release(void)
{
	unsigned int n = atomic_load_explicit(&num_held, memory_order_acquire);

	for (unsigned int i = 0; i < n; i++)
		deliver(plat.held[i].hdr, plat.held[i].sdu, plat.held[i].len);
	raw_wait(raw_all_done, "not done");
	/* Duplicates once their requests are over (not while the engine's
	 * thread completes them: which drop they are would depend on it). */
	for (unsigned int i = 0; i < n; i++)
		if (plat.held[i].sel & SEL_TWICE)
			deliver(plat.held[i].hdr, plat.held[i].sdu, plat.held[i].len);
	rs.held += n;
	atomic_store(&num_held, 0);
}

/* Requests waiting for a held delayed response; cancel those in @mask
 * (bit i: the i-th held), or all of them with @all. */
static unsigned int raw_cancel_held(uint32_t mask, bool all)
{
	unsigned int live = 0;

	for (unsigned int i = 0; i < RAW_MAX_ASYNC; i++) {
		struct raw_slot *sl = &rs.slots[i];
		struct held *hd;

		if (!sl->busy || !(hd = held_of(sl)))
			continue;
		live++;
		if (all || (mask >> (hd - plat.held) & 1)) {
			FUZZ_CHECK(all || !scmi_raw_cancel(&sl->r),
				   "cancel of a request waiting for its delayed response");
			sl->cancelled = true;
			rs.cancelled++;
		}
	}
	return live;
}

static void raw_flush(uint32_t mask)
{
	raw_park();
	raw_cancel_held(mask, false);
	raw_release();
}

static void raw_open(unsigned int depth)
{
	int ret = scmi_raw_open(rs.h, depth, &rs.s);

	FUZZ_CHECK(!ret, "scmi_raw_open(%u): %d", depth, ret);
	memset(rs.subs_ever, 0, sizeof(rs.subs_ever));
}

static bool raw_take(size_t n, const uint8_t **p)
{
	if (rs.script.len < n)
		return false;
	*p = rs.script.p;
	rs.script.p += n;
	rs.script.len -= n;
	return true;
}

static void raw_read(uint8_t op, uint8_t size_byte)
{
	static const enum scmi_raw_queue qs[] = {SCMI_RAW_NOTIFICATIONS, SCMI_RAW_ERRORS,
						 SCMI_RAW_EITHER, SCMI_RAW_EITHER};
	enum scmi_raw_queue q = qs[op >> 3 & 3];
	size_t size = op & RAW_B5 ? rs.msg_size + 4 : size_byte;
	struct scmi_raw_event ev;
	void *buf = raw_buf(size);
	int ret = scmi_raw_read(rs.s, q, &ev, buf, size, 0);

	if (ret == -EAGAIN) {
		FUZZ_CHECK((q != SCMI_RAW_EITHER && !scmi_raw_pending(rs.s, q, NULL)) ||
				   (!scmi_raw_pending(rs.s, SCMI_RAW_NOTIFICATIONS, NULL) &&
				    !scmi_raw_pending(rs.s, SCMI_RAW_ERRORS, NULL)),
			   "raw read: empty, with entries pending");
		free(buf);
		return;
	}
	FUZZ_CHECK(ret >= 0, "raw read: %d", ret);
	FUZZ_CHECK(ev.len <= rs.msg_size + 4, "raw entry of %zu bytes, max_msg_size %zu", ev.len,
		   rs.msg_size);
	FUZZ_CHECK((size_t)ret == (ev.len < size ? ev.len : size),
		   "raw read: %d bytes copied of %zu into %zu", ret, ev.len, size);
	FUZZ_CHECK(ev.timestamp, "raw entry without a time");
	if (ev.kind <= SCMI_RAW_ERR_NOTIFICATION)
		rs.entries[ev.kind]++;
	if (q == SCMI_RAW_NOTIFICATIONS || (q == SCMI_RAW_EITHER && !ev.kind)) {
		FUZZ_CHECK(ev.kind == SCMI_RAW_NOT_AN_ERROR &&
				   scmi_hdr_type(ev.hdr) == SCMI_MSG_TYPE_NOTIFICATION &&
				   raw_subscribed_ever(ev.hdr),
			   "raw notification 0x%08x of kind %d, not subscribed", ev.hdr, ev.kind);
	} else {
		FUZZ_CHECK(ev.kind > SCMI_RAW_NOT_AN_ERROR && ev.kind <= SCMI_RAW_ERR_NOTIFICATION,
			   "raw error of kind %d", ev.kind);
		sink += strlen(scmi_raw_error_name(ev.kind));
	}
	for (int i = 0; i < ret; i++)
		sink += ((uint8_t *)buf)[i];
	free(buf);
}

static void raw_pending_check(void)
{
	for (int q = SCMI_RAW_NOTIFICATIONS; q <= SCMI_RAW_ERRORS; q++) {
		uint64_t dropped = UINT64_MAX;
		int n = scmi_raw_pending(rs.s, (enum scmi_raw_queue)q, &dropped);

		FUZZ_CHECK(n >= 0 && n <= 4096 && dropped != UINT64_MAX, "raw pending: %d", n);
		sink += dropped;
	}
}

static void raw_command(uint8_t op, const uint8_t *a, const uint8_t *tx, size_t tx_len)
{
	struct scmi_raw_cmd c = {
		.protocol_id = a[0],
		.msg_id = a[1],
		.tx = tx_len ? tx : NULL,
		.tx_len = tx_len,
		.rx_size = raw_sizes[a[2] & 15],
		.drx_size = raw_sizes[a[2] >> 4],
	};
	struct raw_slot *sl = NULL;
	int ret;

	c.rx = raw_buf(c.rx_size);
	c.drx = raw_buf(c.drx_size);
	if (op & RAW_B3)
		c.flags |= SCMI_RAW_DRESP;
	if (op & RAW_B4)
		c.flags |= SCMI_RAW_POLL;
	if (RAW_OP(op) == RAW_SEND) {
		raw_flush(0); /* one thread at a time on the platform */
		rs.sent++;
		if (op & RAW_B5) {
			size_t len = SIZE_MAX;

			ret = scmi_raw_command(rs.h, c.protocol_id, c.msg_id, c.tx, c.tx_len, c.rx,
					       c.rx_size, &len);
			FUZZ_CHECK(ret || len <= rs.msg_size, "scmi_raw_command(): %zu bytes", len);
		} else {
			ret = scmi_raw_send(rs.s, &c);
			raw_check_cmd(&c, ret, false);
		}
		raw_cmd_free(&c);
		return;
	}
	for (unsigned int i = 0; i < RAW_MAX_ASYNC && !sl; i++)
		if (!rs.slots[i].busy)
			sl = &rs.slots[i];
	if (!sl) {
		raw_flush(0);
		sl = &rs.slots[0];
	}
	memset(sl, 0, sizeof(*sl));
	sl->r.cmd = c;
	sl->busy = true;
	rs.submitted++;
	ret = scmi_raw_submit(rs.s, &sl->r, raw_done);
	if (ret) {
		FUZZ_CHECK(sl->busy, "raw request refused (%d) and completed", ret);
		FUZZ_CHECK(!(c.flags & SCMI_RAW_POLL) || ret == -EINVAL,
			   "non-blocking SCMI_RAW_POLL: %d", ret);
		sl->busy = false;
		rs.submitted--;
		raw_cmd_free(&sl->r.cmd);
		return;
	}
	FUZZ_CHECK(!(c.flags & SCMI_RAW_POLL), "non-blocking SCMI_RAW_POLL submitted");
}

/* With every request waiting for its held delayed response: @reopen closes
 * the session (cancelling them), else scmi_raw_reset() does. */
static void raw_reset(bool reopen, unsigned int depth)
{
	unsigned int live;
	int n;

	raw_park();
	live = raw_cancel_held(0, true);
	if (reopen) {
		scmi_raw_close(rs.s);
		rs.s = NULL;
		raw_wait(raw_all_done, "not done after close");
		raw_open(depth);
	} else {
		n = scmi_raw_reset(rs.s);
		FUZZ_CHECK(n == (int)live, "scmi_raw_reset(): %d cancelled, %u waiting", n, live);
		FUZZ_CHECK(!scmi_raw_pending(rs.s, SCMI_RAW_NOTIFICATIONS, NULL) &&
				   !scmi_raw_pending(rs.s, SCMI_RAW_ERRORS, NULL),
			   "entries left after scmi_raw_reset()");
	}
	raw_release();
}

static void raw_subscribe(uint8_t op, const uint8_t *a)
{
	int proto = a[0] == RAW_ANY_BYTE ? SCMI_RAW_ANY : a[0];
	int evt = a[1] == RAW_ANY_BYTE ? SCMI_RAW_ANY : a[1];
	bool on = !(op & RAW_B3);

	FUZZ_CHECK(!scmi_raw_subscribe(rs.s, proto, evt, on), "scmi_raw_subscribe()");
	if (!on)
		return;
	for (int p = proto < 0 ? 0 : proto; p <= (proto < 0 ? 255 : proto); p++)
		for (int w = 0; w < 4; w++)
			rs.subs_ever[p][w] |= evt < 0		 ? ~0ull
					      : evt / 64 == w ? 1ull << (evt % 64)
							       : 0;
}

/* Session start: the session, open while the ops and the noise run. */
static void raw_begin(struct scmi_handle *h)
{
	const uint8_t *a;

	rs.h = h;
	rs.msg_size = scmi_inst(h)->tinfo.max_msg_size;
	rs.submitted = rs.completed = rs.sent = rs.held = rs.cancelled = 0;
	memset(rs.entries, 0, sizeof(rs.entries));
	memset(rs.slots, 0, sizeof(rs.slots));
	atomic_store(&num_held, 0);
	FUZZ_CHECK(scmi_raw_open(h, 4097, &rs.s) == -EINVAL, "raw depth 4097");
	raw_open(raw_take(1, &a) ? a[0] : 0);
}

static void raw_run_script(void)
{
	const uint8_t *a, *tx;
	size_t len;

	for (unsigned int i = 0; i < RAW_MAX_OPS && raw_take(1, &a); i++) {
		uint8_t op = a[0];

		switch (RAW_OP(op)) {
		case RAW_SEND:
		case RAW_SUBMIT:
			if (!raw_take(4, &a))
				break;
			len = a[3] < rs.script.len ? a[3] : rs.script.len;
			raw_take(len, &tx);
			raw_command(op, a, tx, len);
			break;
		case RAW_SUBSCRIBE:
			if (raw_take(2, &a))
				raw_subscribe(op, a);
			break;
		case RAW_READ:
			if (raw_take(1, &a))
				raw_read(op, a[0]);
			break;
		case RAW_FLUSH:
			if (raw_take(1, &a))
				raw_flush(a[0]);
			break;
		case RAW_RESET:
			raw_reset(false, 0);
			break;
		case RAW_PENDING:
			raw_pending_check();
			break;
		case RAW_REOPEN:
			if (raw_take(1, &a))
				raw_reset(true, a[0]);
			break;
		}
	}
	raw_flush(0);
}

/* Session end: read what is queued, close: nothing left behind. */
static void raw_end(void)
{
	uint8_t buf[4 + 65536];
	struct scmi_raw_event ev;
	unsigned int n = 0;
	int ret;

	raw_flush(0);
	while ((ret = scmi_raw_read(rs.s, SCMI_RAW_EITHER, &ev, buf, rs.msg_size + 4, 0)) >= 0) {
		FUZZ_CHECK(ev.len <= rs.msg_size + 4 && (size_t)ret == ev.len,
			   "raw entry of %zu bytes, %d read", ev.len, ret);
		FUZZ_CHECK(++n <= 2 * 4096, "raw queues never empty");
		if (ev.kind <= SCMI_RAW_ERR_NOTIFICATION)
			rs.entries[ev.kind]++;
	}
	if (debug) {
		fprintf(stderr,
			"fuzz_platform: raw: %u sent, %u submitted, %u held back, %u cancelled; "
			"entries read:",
			rs.sent, rs.submitted, rs.held, rs.cancelled);
		for (int k = 0; k <= SCMI_RAW_ERR_NOTIFICATION; k++)
			fprintf(stderr, " %s %u", scmi_raw_error_name((enum scmi_raw_error_kind)k),
				rs.entries[k]);
		fputc('\n', stderr);
	}
	FUZZ_CHECK(ret == -EAGAIN, "raw read: %d", ret);
	scmi_raw_close(rs.s);
	rs.s = NULL;
	FUZZ_CHECK(raw_all_done() && !atomic_load(&num_held), "raw requests left: %u of %u done",
		   rs.completed, rs.submitted);
	for (unsigned int i = 0; i <= RAW_MAX_ASYNC; i++)
		FUZZ_CHECK(!rs.slots[i].busy, "raw request %u still busy", i);
}

/* ---- one execution ------------------------------------------------------------ */

static void log_sink(void *priv, enum scmi_log_level level, const char *msg)
{
	(void)priv;
	(void)level;
	sink += strlen(msg);
}

/* After a session (or at close): no libuv handle left on our loop, every
 * fastchannel window unmapped. */
static void check_session_state(void)
{
	/* Closing the handle's uv_async_t on our loop needs a loop turn. */
	for (int i = 0; i < 16 && uv_run(&user_loop, UV_RUN_NOWAIT); i++)
		;
	FUZZ_CHECK(!uv_loop_alive(&user_loop), "the handle left libuv handles on the user loop");
	FUZZ_CHECK(!plat.num_maps, "%u fastchannel windows not unmapped", plat.num_maps);
}

static void print_summary(struct scmi_handle *h, const struct scmi_stats *st)
{
	fprintf(stderr,
		"fuzz_platform: %u commands, %zu reply and %zu noise bytes left; sent %llu "
		"responses %llu dresps %llu notifications %llu dropped %llu/%llu/%llu/%llu\n",
		plat.commands, plat.replies.len, plat.noise.len, (unsigned long long)st->sent,
		(unsigned long long)st->responses, (unsigned long long)st->delayed_responses,
		(unsigned long long)st->notifications, (unsigned long long)st->drop_unknown_token,
		(unsigned long long)st->drop_bad_state, (unsigned long long)st->drop_bad_length,
		(unsigned long long)st->drop_bad_type);
	for (unsigned int i = 0; i < h->version->num_protocols; i++) {
		uint8_t p = h->version->protocols[i].id;

		fprintf(stderr, "  %-8s 0x%x listed, %s\n", scmi_protocol_name(p), p,
			proto_down[p] ? "bring-up failed" : "up or not tried");
	}
	for (unsigned int p = 0; p < 256; p++) {
		struct scmi_event_stats es;

		if (scmi_event_stats_get(h, (uint8_t)p, &es))
			continue;
		fprintf(stderr,
			"  %-8s events: received %llu delivered %llu dropped full %llu "
			"no-handler %llu malformed %llu tampered %llu\n",
			scmi_protocol_name((uint8_t)p), (unsigned long long)es.received,
			(unsigned long long)es.delivered, (unsigned long long)es.dropped_queue_full,
			(unsigned long long)es.dropped_no_handler,
			(unsigned long long)es.dropped_malformed, (unsigned long long)es.tampered);
	}
}

/* 0: the library's default (256 slots, a few dozen KiB per protocol per
 * session to zero and fault in: not the common case). */
static const unsigned int queue_depths[] = {4, 1, 16, 0};

static struct scmi_config session_config(uint8_t options)
{
	return (struct scmi_config){
		/* Every reply is in before the wait starts, so these never
		 * expire unless the core loses one: then they keep the
		 * execution short and the counters tell. */
		.timeout_ms = 50,
		/* Raw sessions: a delayed response the platform holds back
		 * comes from the fuzzing thread once the engine's thread is
		 * done: room for a loaded machine. */
		.dresp_timeout_ms = 1000,
		.loop = &user_loop,
		.log_fn = log_sink,
		.log_level = SCMI_LOG_DEBUG,
		.event_queue_depth = queue_depths[OPT_QUEUE_DEPTH(options)],
	};
}

static void session_uri(uint8_t options, char *uri, size_t size)
{
	snprintf(uri, size, FUZZ_SCHEME "://?polling=%d&max_msg_size=%zu",
		 options & OPT_POLLING ? 1 : 0, msg_sizes[OPT_MSG_SIZE(options)]);
}

/* Between scmi_open() and scmi_close(): the session's ops and checks. */
static void run_ops(struct scmi_handle *h)
{
	struct scmi_stats st;

	notifiers_init(h);
	plat.raw = raw_input.on;
	rs.script = raw_input.script;
	if (plat.raw)
		raw_begin(h);
	run_base(h);
	if (plat.raw)
		raw_run_script();
	register_first_events(h);
	if (h->power_ops)
		run_power(h);
	if (h->system_ops)
		run_system(h);
	if (h->perf_ops)
		run_perf(h);
	if (h->clock_ops)
		run_clock(h);
	if (h->sensor_ops)
		run_sensor(h);
	if (h->reset_ops)
		run_reset(h);
	if (h->voltage_ops)
		run_voltage(h);
	if (h->powercap_ops)
		run_powercap(h);
	if (h->pinctrl_ops)
		run_pinctrl(h);
	register_some_sources(h);
	inject_noise(h);
	if (plat.raw)
		raw_end();
	unregister_some(h);
	check_tampered(h);

	FUZZ_CHECK(!scmi_stats_get(h, &st), "stats");
	digest_add(&st, sizeof(st));
	if (debug)
		print_summary(h, &st);
	FUZZ_CHECK(!st.timeouts && !st.dresp_timeouts && !st.xfer_exhausted,
		   "%llu timeouts, %llu dresp timeouts, %llu commands without an xfer",
		   (unsigned long long)st.timeouts, (unsigned long long)st.dresp_timeouts,
		   (unsigned long long)st.xfer_exhausted);
	FUZZ_CHECK(!scmi_xfers_in_use(&scmi_inst(h)->tx_minfo), "%u xfers not released",
		   scmi_xfers_in_use(&scmi_inst(h)->tx_minfo));
}

/* A fresh platform side for a session on @fi. */
static void platform_reset(struct fz_inst *fi, struct stream replies, struct stream noise)
{
	memset(&plat, 0, sizeof(plat));
	plat.inst = fi;
	plat.replies = replies;
	plat.noise = noise;
}

/* A session the way an application has one: scmi_open(), the ops,
 * scmi_close().  False if scmi_open() failed. */
static bool run_opened(uint8_t options, struct stream replies, struct stream noise)
{
	struct scmi_config cfg = session_config(options);
	struct scmi_handle *h;
	bool opened;
	char uri[64];

	session_uri(options, uri, sizeof(uri));
	platform_reset(NULL, replies, noise);
	opened = !scmi_open(uri, &cfg, &h);
	if (opened) {
		run_ops(h);
		scmi_close(h);
	}
	check_session_state();
	FUZZ_CHECK(!plat.inst, "transport not released");
	return opened;
}

#ifndef FUZZ_RECORD
/*
 * The handles: one per value of the options that fix a handle's
 * configuration (polling, max_msg_size, event queue depth), opened the
 * first time an input asks for it and kept: opening one costs a loop
 * thread and a transport, which would dwarf a session.  Each execution is
 * a session on one of them (lib/testhooks.h): from Base discovery to the
 * protocols' deinit, as between scmi_open() and scmi_close().
 */
#define OPT_HANDLE_MASK 0x1f
static struct scmi_handle *handles[OPT_HANDLE_MASK + 1];

/* What the platform says while a handle is opened: Base 2.0 with no other
 * protocol (the rest of scmi_open()'s questions get NOT_SUPPORTED). */
static const uint8_t bootstrap_replies[] = {
	0, 4, 0x00, 0x00, 0x02, 0x00, /* PROTOCOL_VERSION: 2.0 */
	0, 4, 0x00, 0x00, 0x00, 0x00, /* PROTOCOL_ATTRIBUTES: none, no agents */
};

static struct scmi_handle *handle_get(uint8_t options)
{
	struct scmi_handle **hp = &handles[options & OPT_HANDLE_MASK];
	struct scmi_config cfg = session_config(options);
	char uri[64];
	int ret;

	if (*hp)
		return *hp;
	session_uri(options, uri, sizeof(uri));
	platform_reset(NULL, (struct stream){bootstrap_replies, sizeof(bootstrap_replies)},
		       (struct stream){NULL, 0});
	ret = scmi_open(uri, &cfg, hp);
	FUZZ_CHECK(!ret, "scmi_open(%s): %s", uri, scmi_strerror(ret));
	/* Forget the bootstrap discovery: each execution does its own. */
	plat.inst = scmi_handle_transport_priv(*hp, &fuzz_transport);
	scmi_testhook_session_end(*hp);
	check_session_state();
	return *hp;
}

static void close_handles(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(handles); i++) {
		struct fz_inst *fi;

		if (!handles[i])
			continue;
		fi = scmi_handle_transport_priv(handles[i], &fuzz_transport);
		platform_reset(fi, (struct stream){NULL, 0}, (struct stream){NULL, 0});
		scmi_close(handles[i]);
		handles[i] = NULL;
		check_session_state();
		FUZZ_CHECK(!plat.inst, "transport not released");
	}
	uv_close((uv_handle_t *)&raw_wake, NULL);
	uv_close((uv_handle_t *)&raw_watchdog, NULL);
	uv_run(&user_loop, UV_RUN_NOWAIT);
	uv_loop_close(&user_loop);
}

static bool check_fresh; /* FUZZ_PLATFORM_CHECK_FRESH */

static void run_session(uint8_t options, struct stream replies, struct stream noise)
{
	struct scmi_handle *h = handle_get(options);
	uint64_t digest;

	platform_reset(scmi_handle_transport_priv(h, &fuzz_transport), replies, noise);
	if (!scmi_testhook_session_begin(h))
		run_ops(h);
	scmi_testhook_session_end(h);
	check_session_state();
	FUZZ_CHECK(plat.inst->open, "transport closed");
	if (!check_fresh)
		return;
	/* The same input on a handle of its own must go the same way. */
	digest = plat.digest;
	run_opened(options, replies, noise);
	FUZZ_CHECK(plat.digest == digest,
		   "a reused handle behaved differently from a new one: the session hooks "
		   "missed some state (lib/testhooks.h)");
}
#else
static void run_session(uint8_t options, struct stream replies, struct stream noise)
{
	FUZZ_CHECK(run_opened(options, replies, noise), "scmi_open() failed");
}
#endif

static void setup(void)
{
	debug = getenv("FUZZ_PLATFORM_DEBUG") != NULL;
#ifndef FUZZ_RECORD
	check_fresh = getenv("FUZZ_PLATFORM_CHECK_FRESH") != NULL;
#endif
	ignored_checks = getenv("FUZZ_PLATFORM_IGNORE");
	fuzz_thread = pthread_self();
	FUZZ_CHECK(!uv_loop_init(&user_loop), "uv_loop_init");
	FUZZ_CHECK(!uv_async_init(&user_loop, &raw_wake, raw_wake_cb) &&
			   !uv_timer_init(&user_loop, &raw_watchdog),
		   "raw_wake");
	uv_unref((uv_handle_t *)&raw_wake);
	FUZZ_CHECK(!scmi_transport_register(&fuzz_transport), "register fuzz://");
}

#ifndef FUZZ_RECORD
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setup();
	atexit(close_handles);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stream replies, noise;
	size_t rlen;

	size_t hlen = 3;

	if (size < 3)
		return 0;
	raw_input.on = data[0] & OPT_RAW;
	raw_input.script = (struct stream){NULL, 0};
	if (raw_input.on && size > 3) {
		/* [len][script] after the header */
		size_t slen = data[3] < size - 4 ? data[3] : size - 4;

		raw_input.script = (struct stream){data + 4, slen};
		hlen = 4 + slen;
	}
	rlen = scmi_get_le16(data + 1);
	if (rlen > size - hlen)
		rlen = size - hlen;
	replies = (struct stream){data + hlen, rlen};
	noise = (struct stream){data + hlen + rlen, size - hlen - rlen};
	run_session(data[0], replies, noise);
	return 0;
}
#else
/* ---- recording a seed ------------------------------------------------------------ */

/* Make the simulator send what it can on its own (where enabled). */
static void platform_events(void)
{
	static const uint64_t reports[] = {0x1122334455667788ull, 0x99};
	struct scmi_sim_sensor_info si;
	int64_t values[SCMI_SENSOR_MAX_AXES] = {0};

	for (unsigned int step = 0; step < 12; step++)
		scmi_sim_activity_step(rec.sim, step);
	scmi_sim_base_error_event(rec.sim, 1, false, reports, ARRAY_SIZE(reports));
	scmi_sim_system_request(rec.sim, 0, 0, true, 100);
	for (uint32_t s = 0; s < 3; s++) {
		if (scmi_sim_sensor_info_get(rec.sim, s, &si))
			break;
		for (unsigned int i = 0; i < SCMI_SENSOR_MAX_AXES; i++)
			values[i] = 1000000 + i;
		scmi_sim_sensor_value_set(rec.sim, s, values, si.num_axes ? si.num_axes : 1);
	}
}

/* Hide every modelled protocol but those in @list. */
static void keep_protocols(const char *list)
{
	bool keep[256] = {false};
	char *end;

	for (const char *p = list; *p; p = *end ? end + 1 : end) {
		unsigned long id = strtoul(p, &end, 0);

		FUZZ_CHECK(end != p && id < 256 && (!*end || *end == ','), "protocols '%s'", list);
		keep[id] = true;
	}
	for (unsigned int id = SCMI_PROTOCOL_BASE + 1; id < 0x80; id++)
		if (!keep[id])
			scmi_sim_protocol_enable(rec.sim, (uint8_t)id, false);
}

static void write_file(const char *path, const void *a, size_t alen, const void *b, size_t blen,
		       const void *c, size_t clen)
{
	FILE *f = fopen(path, "wb");

	FUZZ_CHECK(f, "cannot write %s", path);
	FUZZ_CHECK((!alen || fwrite(a, alen, 1, f) == 1) && (!blen || fwrite(b, blen, 1, f) == 1) &&
			   (!clen || fwrite(c, clen, 1, f) == 1) && !fclose(f),
		   "cannot write %s", path);
}

int main(int argc, char **argv)
{
	struct scmi_sim_config scfg = {.max_msg_size = 128};
	uint8_t options, hd[3];

	if (argc < 2 || argc > 9) {
		fprintf(stderr,
			"usage: %s OUT [PROFILE [MAX_LIST_ITEMS [OPTIONS [SIM_OUT [PROTOCOLS "
			"[MAX_DOMAINS [RAW_SCRIPT]]]]]]]\n"
			"  OUT: a fuzz_platform input; SIM_OUT: the agent's requests as a "
			"fuzz_sim input (\"-\": none);\n"
			"  PROTOCOLS: ids of the only protocols to keep, e.g. 0x13,0x14 "
			"(\"-\": all);\n"
			"  MAX_DOMAINS: announce at most that many domains (clocks...) per "
			"protocol (not Sensor, Pinctrl)\n"
			"  RAW_SCRIPT: with OPTIONS & 0x20, the raw script in hex "
			"(FUZZ_RECORD_HOLD=1: delayed responses of non-blocking raw commands "
			"held)\n",
			argv[0]);
		return 2;
	}
	scfg.profile = argc > 2 ? argv[2] : NULL;
	scfg.max_list_items = argc > 3 ? (unsigned int)strtoul(argv[3], NULL, 0) : 0;
	options = argc > 4 ? (uint8_t)strtoul(argv[4], NULL, 0) : 0;
	FUZZ_CHECK(msg_sizes[OPT_MSG_SIZE(options)] == scfg.max_msg_size,
		   "recording needs max_msg_size 128");
	FUZZ_CHECK(scfg.max_list_items <= 3, "fuzz_sim encodes max_list_items 0..3 only");
	FUZZ_CHECK(!scmi_sim_new(&scfg, &rec.sim), "scmi_sim_new");
	scmi_sim_set_emit(rec.sim, rec_emit, NULL);
	if (argc > 6 && strcmp(argv[6], "-"))
		keep_protocols(argv[6]);
	rec.max_domains = argc > 7 ? (unsigned int)strtoul(argv[7], NULL, 0) : 0;
	rec.hold = getenv("FUZZ_RECORD_HOLD") != NULL;
	raw_input.on = options & OPT_RAW;
	if (argc > 8) {
		const char *hex = argv[8];
		size_t n = strlen(hex) / 2;

		FUZZ_CHECK(raw_input.on && n <= sizeof(rec.script) && !(strlen(hex) & 1),
			   "raw script '%s' (needs OPTIONS & 0x20)", hex);
		for (size_t i = 0; i < n; i++) {
			unsigned int b;

			FUZZ_CHECK(sscanf(hex + 2 * i, "%2x", &b) == 1, "raw script '%s'", hex);
			rec.script[i] = (uint8_t)b;
		}
		raw_input.script = (struct stream){rec.script, n};
	}
	setup();
	run_session(options, (struct stream){NULL, 0}, (struct stream){NULL, 0});

	FUZZ_CHECK(rec.replies.len <= 0xffff, "%zu bytes of replies", rec.replies.len);
	hd[0] = options;
	hd[1] = (uint8_t)rec.replies.len;
	hd[2] = (uint8_t)(rec.replies.len >> 8);
	if (raw_input.on) {
		uint8_t *head = malloc(4 + sizeof(rec.script));

		FUZZ_CHECK(head, "out of memory");
		memcpy(head, hd, 3);
		head[3] = (uint8_t)raw_input.script.len;
		memcpy(head + 4, rec.script, raw_input.script.len);
		write_file(argv[1], head, 4 + raw_input.script.len, rec.replies.p, rec.replies.len,
			   rec.noise.p, rec.noise.len);
		free(head);
	} else {
		write_file(argv[1], hd, 3, rec.replies.p, rec.replies.len, rec.noise.p,
			   rec.noise.len);
	}
	printf("%s: %u commands, %zu reply bytes, %zu noise bytes\n", argv[1], plat.commands,
	       rec.replies.len, rec.noise.len);
	if (argc > 5 && strcmp(argv[5], "-")) {
		/* fuzz_sim options: the profile, max_msg_size 128, the list cap. */
		hd[0] = (uint8_t)((scfg.profile && !strcmp(scfg.profile, "scmi-2.0") ? 1 : 0) |
				  scfg.max_list_items << 3);
		write_file(argv[5], hd, 1, rec.requests.p, rec.requests.len, NULL, 0);
		printf("%s: %zu request bytes\n", argv[5], rec.requests.len);
	}
	for (unsigned int i = 0; i < rec.num_notifs; i++)
		free(rec.notifs[i]);
	free(rec.replies.p);
	free(rec.noise.p);
	free(rec.requests.p);
	scmi_sim_free(rec.sim);
	uv_close((uv_handle_t *)&raw_wake, NULL);
	uv_close((uv_handle_t *)&raw_watchdog, NULL);
	uv_run(&user_loop, UV_RUN_NOWAIT);
	uv_loop_close(&user_loop);
	return 0;
}
#endif

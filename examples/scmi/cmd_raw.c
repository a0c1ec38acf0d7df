// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi raw PROTOCOL MESSAGE [HEX...] [--async | --poll]: send one command
 * as bytes through a raw session (scmi/raw.h) and print the platform's
 * status and the response bytes after the status word; with --async the
 * command completes with a delayed response, sent as a non-blocking
 * request, and both parts are printed.
 * scmi raw --listen [--count N] [--timeout TIME] [PROTOCOL MESSAGE [HEX...]]:
 * then print every notification and every message libscmi dropped (late,
 * unexpected, malformed) as it comes, one line (one JSON object with
 * --json) each.  For vendor protocols, compliance checks and debugging.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define RAW_MAX 4096

/* A protocol by name ("perf") or number (0x13, 19). */
static int raw_protocol(const char *s, uint8_t *id)
{
	uint32_t v;

	for (unsigned int i = 0x10; i <= 0xff; i++) {
		if (!strcmp(s, scmi_protocol_name((uint8_t)i))) {
			*id = (uint8_t)i;
			return 0;
		}
	}
	if (cli_parse_u32(s, &v) || v > 0xff)
		return -EINVAL;
	*id = (uint8_t)v;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex bytes, in as many arguments as given; spaces, ':' and '-' between
 * bytes are ignored, an optional 0x prefix too: "0a000000", "0a:00 00 00". */
static int raw_payload(int argc, char **argv, uint8_t *buf, size_t *len)
{
	*len = 0;
	for (int i = 0; i < argc; i++) {
		const char *p = argv[i];

		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		while (*p) {
			int hi, lo;

			if (*p == ' ' || *p == ':' || *p == '-') {
				p++;
				continue;
			}
			hi = hexval((unsigned char)p[0]);
			lo = hi < 0 ? -1 : hexval((unsigned char)p[1]);
			if (lo < 0)
				return -EINVAL; /* odd digit count or not hex */
			if (*len == RAW_MAX)
				return -E2BIG;
			buf[(*len)++] = (uint8_t)(hi << 4 | lo);
			p += 2;
		}
	}
	return 0;
}

static void hex_string(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

static uint8_t rx[RAW_MAX], drx[RAW_MAX];
static char hex[2 * RAW_MAX + 1];

static void dump(const uint8_t *b, size_t n)
{
	for (size_t off = 0; off < n; off += 16) {
		printf("  %04zx:", off);
		for (size_t i = off; i < n && i < off + 16; i++)
			printf(" %02x", b[i]);
		printf("\n");
	}
}

/* One part of the answer: its status and bytes (what was copied of them). */
static void part_json(struct json_object *o, const struct scmi_raw_part *p, const uint8_t *b)
{
	size_t n = p->len < RAW_MAX ? p->len : RAW_MAX;

	hex_string(b, n, hex);
	json_object_object_add(o, "status", json_object_new_string(scmi_status_name(p->status)));
	json_object_object_add(o, "status_code", json_object_new_int(p->status));
	json_object_object_add(o, "length", json_object_new_uint64(n));
	json_object_object_add(o, "response", json_object_new_string(hex));
}

static void part_text(const char *prefix, const struct scmi_raw_part *p, const uint8_t *b)
{
	char key[32];
	size_t n = p->len < RAW_MAX ? p->len : RAW_MAX;

	snprintf(key, sizeof(key), "%sstatus", prefix);
	cli_kv(key, "%s (%" PRId32 ")", scmi_status_name(p->status), p->status);
	snprintf(key, sizeof(key), "%slength", prefix);
	cli_kv(key, "%zu bytes", n);
	dump(b, n);
}

/* scmi_raw_submit()'s completion, waited for by the command's thread. */
struct raw_wait {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

static void raw_done(struct scmi_raw_req *r)
{
	struct raw_wait *w = r->data;

	pthread_mutex_lock(&w->lock);
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static int raw_send_async(struct scmi_raw *raw, struct scmi_raw_cmd *cmd)
{
	static struct scmi_raw_req r;
	struct raw_wait w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
	int ret;

	r.cmd = *cmd;
	r.data = &w;
	ret = scmi_raw_submit(raw, &r, raw_done);
	if (ret)
		return ret;
	pthread_mutex_lock(&w.lock);
	while (!w.done)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	*cmd = r.cmd;
	return r.status;
}

/* Send the command; print the answer.  An exit status. */
static int raw_command(struct cli *cli, struct scmi_raw *raw, struct scmi_raw_cmd *cmd)
{
	bool async = cmd->flags & SCMI_RAW_DRESP;
	char what[64];
	int ret;

	ret = async ? raw_send_async(raw, cmd) : scmi_raw_send(raw, cmd);
	snprintf(what, sizeof(what), "raw %s 0x%02x", scmi_protocol_name(cmd->protocol_id),
		 cmd->msg_id);
	if (cmd->resp.result) /* no answer: timeout, too big... */
		return cli_fail(cli, what, cmd->resp.result);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "protocol", json_object_new_int(cmd->protocol_id));
		json_object_object_add(
			o, "protocol_name",
			json_object_new_string(scmi_protocol_name(cmd->protocol_id)));
		json_object_object_add(o, "message", json_object_new_int(cmd->msg_id));
		json_object_object_add(o, "token", json_object_new_int(cmd->token));
		part_json(o, &cmd->resp, rx);
		if (async) {
			struct json_object *d = json_object_new_object();

			if (cmd->dresp.result)
				json_object_object_add(
					d, "error",
					json_object_new_string(scmi_strerror(cmd->dresp.result)));
			else
				part_json(d, &cmd->dresp, drx);
			json_object_object_add(o, "delayed_response", d);
		}
		cli_json_print(o);
	} else {
		part_text("", &cmd->resp, rx);
		if (async && cmd->dresp.result)
			cli_kv("delayed response", "%s", scmi_strerror(cmd->dresp.result));
		else if (async)
			part_text("delayed ", &cmd->dresp, drx);
	}
	fflush(stdout);
	if (async && cmd->resp.status == SCMI_SUCCESS && cmd->dresp.result)
		return CLI_EXIT_FAIL;
	return ret ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static volatile sig_atomic_t raw_stop;

static void raw_signal(int signum)
{
	(void)signum;
	raw_stop = 1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void listen_print(const struct cli *cli, const struct scmi_raw_event *ev, const uint8_t *b,
			 size_t n)
{
	const char *type = ev->kind == SCMI_RAW_NOT_AN_ERROR ? "notification" : "error";

	hex_string(b, n, hex);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "type", json_object_new_string(type));
		if (ev->kind != SCMI_RAW_NOT_AN_ERROR)
			json_object_object_add(
				o, "kind", json_object_new_string(scmi_raw_error_name(ev->kind)));
		json_object_object_add(o, "header", json_object_new_int64(ev->hdr));
		json_object_object_add(o, "message_type",
				       json_object_new_int(scmi_hdr_type(ev->hdr)));
		json_object_object_add(o, "protocol",
				       json_object_new_int(scmi_hdr_protocol(ev->hdr)));
		json_object_object_add(o, "message", json_object_new_int(scmi_hdr_msg_id(ev->hdr)));
		json_object_object_add(o, "token", json_object_new_int(scmi_hdr_token(ev->hdr)));
		json_object_object_add(o, "timestamp_ns", json_object_new_uint64(ev->timestamp));
		json_object_object_add(o, "length", json_object_new_uint64(ev->len));
		json_object_object_add(o, "bytes", json_object_new_string(hex));
		/* One line each: a stream. */
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		printf("%" PRIu64 ".%09" PRIu64 " %s%s%s %s 0x%02x msg 0x%02x token %u: %s\n",
		       ev->timestamp / 1000000000u, ev->timestamp % 1000000000u, type,
		       ev->kind != SCMI_RAW_NOT_AN_ERROR ? " " : "",
		       ev->kind != SCMI_RAW_NOT_AN_ERROR ? scmi_raw_error_name(ev->kind) : "",
		       scmi_protocol_name(scmi_hdr_protocol(ev->hdr)), scmi_hdr_protocol(ev->hdr),
		       scmi_hdr_msg_id(ev->hdr), scmi_hdr_token(ev->hdr), n ? hex : "(no bytes)");
	}
	fflush(stdout);
}

/* Print notifications and errors until @count of them, @timeout_ms, or a
 * signal.  An exit status. */
static int raw_listen(const struct cli *cli, struct scmi_raw *raw, uint64_t count,
		      uint64_t timeout_ms)
{
	struct sigaction sa = {.sa_handler = raw_signal};
	uint64_t end = timeout_ms ? now_ms() + timeout_ms : 0, seen = 0;
	struct scmi_raw_event ev;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!raw_stop && (!count || seen < count)) {
		uint64_t now = now_ms();
		/* Short waits: a signal is noticed within 200 ms. */
		int slice = 200, n;

		if (end && now >= end)
			break;
		if (end && end - now < (uint64_t)slice)
			slice = (int)(end - now);
		n = scmi_raw_read(raw, SCMI_RAW_EITHER, &ev, rx, sizeof(rx), slice);
		if (n == -EAGAIN)
			continue;
		if (n < 0)
			return cli_fail(cli, "raw --listen", n);
		listen_print(cli, &ev, rx, (size_t)n);
		seen++;
	}
	return CLI_EXIT_OK;
}

static int raw_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {"async", no_argument, NULL, 'a'},
					     {"poll", no_argument, NULL, 'p'},
					     {"listen", no_argument, NULL, 'l'},
					     {"count", required_argument, NULL, 'c'},
					     {"timeout", required_argument, NULL, 'T'},
					     {NULL, 0, NULL, 0}};
	static uint8_t tx[RAW_MAX];
	struct scmi_raw_cmd cmd = {.rx = rx, .rx_size = sizeof(rx)};
	bool listen = false, command;
	int64_t timeout_ms = 0;
	struct scmi_raw *raw;
	uint64_t count = 0;
	size_t tx_len = 0;
	uint8_t proto = 0;
	uint32_t msg = 0;
	int c, ret;

	while ((c = cli_getopt(cli, argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'h':
			cli_help(cli, &cli_cmd_raw);
			return CLI_EXIT_OK;
		case 'a':
			cmd.flags |= SCMI_RAW_DRESP;
			break;
		case 'p':
			cmd.flags |= SCMI_RAW_POLL;
			break;
		case 'l':
			listen = true;
			break;
		case 'c':
			if (cli_parse_u64(optarg, &count) || !count)
				return cli_bad_value(cli, &cli_cmd_raw, "--count", optarg,
						     "not a count (1 or more)");
			break;
		case 'T':
			ret = cli_arg_quantity(cli, &cli_cmd_raw, "--timeout", optarg, CLI_TIME, 0,
					       -3, 1, INT32_MAX, &timeout_ms);
			if (ret)
				return ret;
			break;
		default:
			return cli_usage_error(cli, &cli_cmd_raw, "unknown option");
		}
	}
	if ((cmd.flags & SCMI_RAW_DRESP) && (cmd.flags & SCMI_RAW_POLL))
		return cli_usage_error(cli, &cli_cmd_raw, "--async and --poll exclude each other");
	if (!listen && (count || timeout_ms))
		return cli_usage_error(cli, &cli_cmd_raw, "--count and --timeout go with --listen");
	command = argc - optind > 0;
	if ((!listen || command) && argc - optind < 2)
		return cli_usage_error(cli, &cli_cmd_raw, "needs a protocol and a message");
	if (!command && cmd.flags)
		return cli_usage_error(cli, &cli_cmd_raw, "--async and --poll need a command");
	if (command) {
		if (raw_protocol(argv[optind], &proto) || proto < 0x10)
			return cli_bad_value(cli, &cli_cmd_raw, "PROTOCOL", argv[optind],
					     "not a protocol (a name, or a number 0x10..0xff)");
		if (cli_parse_u32(argv[optind + 1], &msg) || msg > 0xff)
			return cli_bad_value(cli, &cli_cmd_raw, "MESSAGE", argv[optind + 1],
					     "not a message id (0..0xff)");
		ret = raw_payload(argc - optind - 2, argv + optind + 2, tx, &tx_len);
		if (ret)
			return cli_bad_value(cli, &cli_cmd_raw, "HEX", argv[optind + 2],
					     ret == -E2BIG ? "too long"
							   : "not hex bytes (two digits each)");
	}
	ret = cli_open(cli);
	if (ret)
		return ret;
	ret = scmi_raw_open(cli->h, 0, &raw);
	if (ret)
		return cli_fail(cli, "raw session", ret);
	if (listen)
		scmi_raw_subscribe(raw, SCMI_RAW_ANY, SCMI_RAW_ANY, true);
	if (command) {
		cmd.protocol_id = proto;
		cmd.msg_id = (uint8_t)msg;
		cmd.tx = tx;
		cmd.tx_len = tx_len;
		cmd.drx = drx;
		cmd.drx_size = sizeof(drx);
		ret = raw_command(cli, raw, &cmd);
		if (ret != CLI_EXIT_OK && ret != CLI_EXIT_FAIL)
			listen = false;
	}
	if (listen) {
		int lret = raw_listen(cli, raw, count, (uint64_t)timeout_ms);

		if (!command || lret != CLI_EXIT_OK)
			ret = lret;
	}
	scmi_raw_close(raw);
	return ret;
}

const struct cli_cmd cli_cmd_raw = {
	.name = "raw",
	.args = "PROTOCOL MESSAGE [HEX...] [--async|--poll] | "
		"--listen [--count N] [--timeout TIME] [PROTOCOL MESSAGE [HEX...]]",
	.help = "send one command as bytes; print the status and response bytes; listen to raw "
		"notifications and errors",
	.run = raw_run,
	.notes = "PROTOCOL is a name (base, power, system, perf, clock, sensor, reset,\n"
		 "voltage, powercap, pinctrl) or a number (0x10..0xff); MESSAGE a number;\n"
		 "HEX the payload after the header, as hex bytes (\"0a000000\", \"0a 00 00 00\").\n"
		 "Prints the platform's status and the response bytes after the status\n"
		 "word; exit status 1 when the status is not SUCCESS.  --async: the\n"
		 "command completes with a delayed response (sent as a non-blocking\n"
		 "request); its status and bytes are printed too.  --poll: this thread\n"
		 "polls for the response.  --listen: then print every notification and\n"
		 "every message libscmi dropped (late, unexpected, malformed), one line\n"
		 "each (a JSON object with --json), until --count of them, --timeout\n"
		 "(seconds, or with a unit: 500ms) or Ctrl-C.  Examples: \"scmi raw base\n"
		 "0x1\" (PROTOCOL_ATTRIBUTES of Base); \"scmi raw --listen --timeout 10\n"
		 "base 0xa 01000000\" (Base errors on, then listen).\n",
};

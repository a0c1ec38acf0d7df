// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi raw PROTOCOL MESSAGE [HEX...]: send one command as bytes
 * (scmi_raw_command()) and print the platform's status and the response
 * bytes after the status word.  For vendor protocols and debugging.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>

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

static int raw_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	static uint8_t tx[RAW_MAX], rx[RAW_MAX];
	static char hex[2 * RAW_MAX + 1];
	size_t tx_len, rx_len = 0;
	uint8_t proto;
	uint32_t msg;
	int32_t status;
	char what[64];
	int c, ret;

	while ((c = cli_getopt(cli, argc, argv, "h", opts)) != -1) {
		if (c == 'h') {
			cli_help(cli, &cli_cmd_raw);
			return CLI_EXIT_OK;
		}
		return cli_usage_error(cli, &cli_cmd_raw, "unknown option");
	}
	if (argc - optind < 2)
		return cli_usage_error(cli, &cli_cmd_raw, "needs a protocol and a message");
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
	ret = cli_open(cli);
	if (ret)
		return ret;
	ret = scmi_raw_command(cli->h, proto, (uint8_t)msg, tx, tx_len, rx, sizeof(rx), &rx_len);
	status = scmi_last_status();
	snprintf(what, sizeof(what), "raw %s 0x%02" PRIx32, scmi_protocol_name(proto), msg);
	if (status == SCMI_STATUS_NONE) /* no answer: timeout, too big... */
		return cli_fail(cli, what, ret);
	if (rx_len > sizeof(rx))
		rx_len = sizeof(rx);
	if (ret)
		rx_len = 0; /* a refusal carries no data */
	hex_string(rx, rx_len, hex);
	if (cli->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "protocol", json_object_new_int(proto));
		json_object_object_add(o, "protocol_name",
				       json_object_new_string(scmi_protocol_name(proto)));
		json_object_object_add(o, "message", json_object_new_int((int)msg));
		json_object_object_add(o, "status",
				       json_object_new_string(scmi_status_name(status)));
		json_object_object_add(o, "status_code", json_object_new_int(status));
		json_object_object_add(o, "length", json_object_new_uint64(rx_len));
		json_object_object_add(o, "response", json_object_new_string(hex));
		cli_json_print(o);
	} else {
		cli_kv("status", "%s (%" PRId32 ")", scmi_status_name(status), status);
		cli_kv("length", "%zu bytes", rx_len);
		for (size_t off = 0; off < rx_len; off += 16) {
			printf("  %04zx:", off);
			for (size_t i = off; i < rx_len && i < off + 16; i++)
				printf(" %02x", rx[i]);
			printf("\n");
		}
	}
	return status == SCMI_SUCCESS ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_raw = {
	.name = "raw",
	.args = "PROTOCOL MESSAGE [HEX...]",
	.help = "send one command as bytes; print the status and response bytes",
	.run = raw_run,
	.notes = "PROTOCOL is a name (base, power, system, perf, clock, sensor, reset,\n"
		 "voltage, powercap, pinctrl) or a number (0x10..0xff); MESSAGE a number;\n"
		 "HEX the payload after the header, as hex bytes (\"0a000000\", \"0a 00 00 00\").\n"
		 "Prints the platform's status and the response bytes after the status\n"
		 "word; exit status 1 when the status is not SUCCESS.  Example:\n"
		 "\"scmi raw base 0x1\" (PROTOCOL_ATTRIBUTES of Base).\n",
};

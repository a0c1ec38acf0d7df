// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi stats: the handle's transfer counters (scmi_stats_get()) and each
 * protocol's event counters (scmi_event_stats_get()).  A CLI run has its
 * own handle, so the counters cover this run: opening, discovering every
 * protocol the platform lists and, with --listen TIME, listening to every
 * event for that long.  `scmi monitor --stats` prints them when it ends.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const struct {
	const char *name;
	size_t off;
} xfer_counters[] = {
#define C(f)                                       \
	{                                          \
#f, offsetof(struct scmi_stats, f) \
	}
	C(sent),
	C(responses),
	C(delayed_responses),
	C(timeouts),
	C(dresp_timeouts),
	C(drop_unknown_token),
	C(drop_bad_state),
	C(drop_bad_length),
	C(drop_bad_type),
	C(xfer_exhausted),
	C(notifications),
	C(late_replies),
	C(tokens_exhausted),
	C(tokens_quarantined),
#undef C
};

#define NUM_XFER (sizeof(xfer_counters) / sizeof(xfer_counters[0]))

static uint64_t xfer_counter(const struct scmi_stats *st, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)st + xfer_counters[i].off, sizeof(v));
	return v;
}

/* scmi_stats_foreach(): the Linux-named counters, into JSON or as text. */
static void linux_counter(void *arg, const char *name, uint64_t value)
{
	if (arg)
		json_object_object_add(arg, name, json_object_new_uint64(value));
	else
		printf("  %-30s %" PRIu64 "\n", name, value);
}

/* The protocols the platform lists that libscmi drives, Base first. */
static size_t stats_protocols(const struct scmi_handle *h, uint8_t *ids)
{
	size_t n = 0;

	ids[n++] = SCMI_PROTOCOL_BASE;
	for (unsigned int i = 0; i < h->version->num_protocols; i++)
		if (h->version->protocols[i].supported)
			ids[n++] = h->version->protocols[i].id;
	return n;
}

/* Protocols come up on their first use: bring up each one with events. */
static void bring_up(const struct scmi_handle *h)
{
	const struct scmi_perf_info *pi;
	const struct scmi_sensor_protocol_info *si;
	const struct scmi_system_info *sy;

	if (h->power_ops)
		h->power_ops->count_get(h);
	if (h->system_ops)
		h->system_ops->protocol_info_get(h, &sy);
	if (h->perf_ops)
		h->perf_ops->protocol_info_get(h, &pi);
	if (h->clock_ops)
		h->clock_ops->count_get(h);
	if (h->sensor_ops)
		h->sensor_ops->protocol_info_get(h, &si);
	if (h->reset_ops)
		h->reset_ops->count_get(h);
	if (h->powercap_ops)
		h->powercap_ops->count_get(h);
}

int cli_stats_print(const struct cli *cli, bool one_line)
{
	const struct scmi_handle *h = cli->h;
	static const struct cli_column cols[] = {
		{"PROTOCOL", false},  {"ID", true},	    {"RECEIVED", true},
		{"DELIVERED", true},  {"QUEUE_FULL", true}, {"NO_HANDLER", true},
		{"MALFORMED", true},  {"TAMPERED", true},   {"DEPTH", true},
		{"HIGH_WATER", true},
	};
	struct json_object *o = NULL, *tr = NULL, *arr = NULL;
	struct cli_table *t = NULL;
	struct scmi_stats st;
	uint8_t ids[256];
	size_t n;
	int ret = scmi_stats_get(h, &st);

	if (ret)
		return cli_fail(cli, "stats", ret);
	if (cli->json) {
		o = json_object_new_object();
		tr = json_object_new_object();
		arr = json_object_new_array();
		for (size_t i = 0; i < NUM_XFER; i++)
			json_object_object_add(tr, xfer_counters[i].name,
					       json_object_new_uint64(xfer_counter(&st, i)));
		json_object_object_add(o, "transport", tr);
		tr = json_object_new_object();
		scmi_stats_foreach(h, linux_counter, tr);
		json_object_object_add(o, "debug_counters", tr);
	} else {
		printf("transport counters (%s)\n", cli->uri);
		for (size_t i = 0; i < NUM_XFER; i++)
			printf("  %-20s %" PRIu64 "\n", xfer_counters[i].name,
			       xfer_counter(&st, i));
		printf("\ndebug counters (the Linux kernel's names)\n");
		scmi_stats_foreach(h, linux_counter, NULL);
		printf("\nevent counters\n");
		t = CLI_TABLE(cols);
	}
	n = stats_protocols(h, ids);
	for (size_t i = 0; i < n; i++) {
		struct scmi_event_stats es;
		char v[8][24];

		/* -ENOENT: no events (not up, or none in the protocol). */
		if (scmi_event_stats_get(h, ids[i], &es))
			continue;
		if (arr) {
			struct json_object *p = json_object_new_object();

			json_object_object_add(p, "id", json_object_new_int(ids[i]));
			json_object_object_add(p, "name",
					       json_object_new_string(scmi_protocol_name(ids[i])));
#define U(f) json_object_object_add(p, #f, json_object_new_uint64(es.f))
			U(received);
			U(delivered);
			U(dropped_queue_full);
			U(dropped_no_handler);
			U(dropped_malformed);
			U(tampered);
			U(queue_depth);
			U(queue_high_water);
#undef U
			json_object_array_add(arr, p);
			continue;
		}
		snprintf(v[0], sizeof(v[0]), "%" PRIu64, es.received);
		snprintf(v[1], sizeof(v[1]), "%" PRIu64, es.delivered);
		snprintf(v[2], sizeof(v[2]), "%" PRIu64, es.dropped_queue_full);
		snprintf(v[3], sizeof(v[3]), "%" PRIu64, es.dropped_no_handler);
		snprintf(v[4], sizeof(v[4]), "%" PRIu64, es.dropped_malformed);
		snprintf(v[5], sizeof(v[5]), "%" PRIu64, es.tampered);
		snprintf(v[6], sizeof(v[6]), "%" PRIu32, es.queue_depth);
		snprintf(v[7], sizeof(v[7]), "%" PRIu32, es.queue_high_water);
		cli_table_add(t, scmi_protocol_name(ids[i]), NULL, v[0], v[1], v[2], v[3], v[4],
			      v[5], v[6], v[7]);
		cli_table_addf(t, 1, "0x%02x", ids[i]);
	}
	if (o && one_line) {
		struct json_object *w = json_object_new_object();

		json_object_object_add(o, "protocols", arr);
		json_object_object_add(w, "stats", o);
		puts(json_object_to_json_string_ext(w, JSON_C_TO_STRING_PLAIN));
		json_object_put(w);
	} else if (o) {
		json_object_object_add(o, "protocols", arr);
		cli_json_print(o);
	} else {
		cli_table_print(t);
	}
	return CLI_EXIT_OK;
}

/* --listen: every event enabled (as monitor does), reports thrown away. */
static int listen_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	(void)nb;
	(void)evt;
	(void)report;
	return 0;
}

static int stats_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {"listen", required_argument, NULL, 'l'},
					     {NULL, 0, NULL, 0}};
	static struct scmi_notifier_block nbs[64];
	const struct scmi_handle *h;
	size_t nreg = 0;
	int64_t listen_ms = 0;
	int c, ret;

	while ((c = cli_getopt(cli, argc, argv, "hl:", opts)) != -1) {
		switch (c) {
		case 'h':
			cli_help(cli, &cli_cmd_stats);
			return CLI_EXIT_OK;
		case 'l':
			ret = cli_arg_quantity(cli, &cli_cmd_stats, "--listen", optarg, CLI_TIME, 0,
					       -3, 0, 3600000, &listen_ms);
			if (ret)
				return ret;
			break;
		default:
			return cli_usage_error(cli, &cli_cmd_stats, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, &cli_cmd_stats, "unexpected argument '%s'",
				       argv[optind]);
	ret = cli_open(cli);
	if (ret)
		return ret;
	h = cli->h;
	bring_up(h);
	if (listen_ms) {
		struct timespec ts = {listen_ms / 1000, (listen_ms % 1000) * 1000000};

		for (size_t p = 0; cli_all_events[p]; p++) {
			const struct cli_events *ev = cli_all_events[p];

			for (size_t i = 0; i < ev->n && nreg < 64; i++) {
				nbs[nreg].notifier_call = listen_cb;
				if (!h->notify_ops->event_notifier_register(h, ev->descs[i].proto,
									    ev->descs[i].evt, NULL,
									    &nbs[nreg]))
					nreg++;
			}
		}
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	return cli_stats_print(cli, false);
}

const struct cli_cmd cli_cmd_stats = {
	.name = "stats",
	.args = "[--listen TIME]",
	.help = "transfer and per-protocol event counters of this run",
	.run = stats_run,
	.notes = "  --listen TIME                   first listen to every event for TIME\n"
		 "                                  (seconds, or with a unit: 500ms)\n"
		 "\n"
		 "The counters are this run's: its handle opened, discovered every protocol\n"
		 "and, with --listen, received events.  `scmi monitor --stats` prints them\n"
		 "when the monitor ends.\n",
};

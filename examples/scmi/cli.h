/* SPDX-License-Identifier: BSD-3-Clause */
/* The scmi command-line tool: shared declarations. */
#ifndef SCMI_CLI_H
#define SCMI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>
#include <scmi/scmi.h>

/* Exit statuses. */
#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1 /* the platform refused, or was unreachable */
#define CLI_EXIT_USAGE 2 /* bad command line */

struct cli {
	struct scmi_handle *h;
	const char *uri;
	bool json;
	const char *prog;
	struct scmi_config cfg;
};

/* A subcommand.  argv[0] is the subcommand's name; getopt state is reset. */
struct cli_cmd {
	const char *name;
	const char *args; /* synopsis after the name */
	const char *help; /* one line */
	int (*run)(struct cli *cli, int argc, char **argv);
};

/*
 * How `scmi monitor` shows one kind of event.  Every report struct starts
 * with `uint64_t timestamp` (CLOCK_MONOTONIC ns); the monitor prints it.
 */
struct cli_event_desc {
	uint8_t proto;
	uint8_t evt;
	const char *name; /* e.g. "limits_changed" (for --event) */
	bool per_source;  /* false: the protocol's events have no source */
	/* Source id the report concerns (domain, clock, sensor...). */
	uint32_t (*source)(const void *report);
	/* One line of text (no newline) describing the report's fields. */
	void (*format)(const void *report, char *buf, size_t size);
	/* The report's fields as a JSON object (the caller adds the rest). */
	struct json_object *(*to_json)(const void *report);
};

struct cli_events {
	const struct cli_event_desc *descs;
	size_t n;
};

/* Subcommands, one file each (cmd_<name>.c), listed in main.c. */
extern const struct cli_cmd cli_cmd_info;
extern const struct cli_cmd cli_cmd_monitor;
extern const struct cli_cmd cli_cmd_power;
extern const struct cli_cmd cli_cmd_system;
extern const struct cli_cmd cli_cmd_perf;
extern const struct cli_cmd cli_cmd_clock;
extern const struct cli_cmd cli_cmd_sensor;
extern const struct cli_cmd cli_cmd_reset;
extern const struct cli_cmd cli_cmd_voltage;
extern const struct cli_cmd cli_cmd_powercap;
extern const struct cli_cmd cli_cmd_pinctrl;

/* Event descriptions of each protocol (in its cmd_<name>.c). */
extern const struct cli_events cli_base_events;
extern const struct cli_events cli_power_events;
extern const struct cli_events cli_system_events;
extern const struct cli_events cli_perf_events;
extern const struct cli_events cli_clock_events;
extern const struct cli_events cli_sensor_events;
extern const struct cli_events cli_reset_events;
extern const struct cli_events cli_voltage_events;
extern const struct cli_events cli_powercap_events;
extern const struct cli_events cli_pinctrl_events;

/* Every protocol's events, NULL-terminated (main.c). */
extern const struct cli_events *const cli_all_events[];

/* Open cli->uri into cli->h; on failure print why and return
 * CLI_EXIT_FAIL.  Subcommands call it after parsing their arguments. */
int cli_open(struct cli *cli);
/* Print "prog: what: reason" for a libscmi error; returns CLI_EXIT_FAIL. */
int cli_fail(const struct cli *cli, const char *what, int err);
/* Print a usage error for a subcommand; returns CLI_EXIT_USAGE. */
int cli_usage_error(const struct cli *cli, const struct cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print @obj as JSON on stdout, then release it. */
void cli_json_print(struct json_object *obj);
/* Parse numbers from arguments (decimal, 0x hex).  0, or -EINVAL. */
int cli_parse_u32(const char *s, uint32_t *out);
int cli_parse_u64(const char *s, uint64_t *out);
int cli_parse_i32(const char *s, int32_t *out);
/* Parse "on"/"off"/"1"/"0"/"true"/"false"/"enable"/"disable". */
int cli_parse_bool(const char *s, bool *out);
/* If argv[i] exists and is one of the subcommand words, return its index
 * in @words (NULL-terminated), else -1. */
int cli_word(const char *arg, const char *const *words);

/* "2.1" for a version word (static buffer per call site not needed:
 * writes into @buf). */
const char *cli_version_str(uint32_t version, char buf[16]);

#endif

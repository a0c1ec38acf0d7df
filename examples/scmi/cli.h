/* SPDX-License-Identifier: BSD-3-Clause */
/* The scmi command-line tool: shared declarations. */
#ifndef SCMI_CLI_H
#define SCMI_CLI_H

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
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
	/* `scmi COMMAND --help` (cli_help()): one line per verb ("  VERB ARGS"
	 * padded to 32 columns, then what it does), then notes. */
	const char *verbs;
	const char *notes; /* NULL: none */
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
extern const struct cli_cmd cli_cmd_probe;
extern const struct cli_cmd cli_cmd_stats;
extern const struct cli_cmd cli_cmd_raw;

/* Print the handle's transfer and event counters (cmd_stats.c), as
 * `scmi stats` does; for `monitor --stats` too (@one_line: with --json,
 * one line {"stats": {...}} after the events' lines). */
int cli_stats_print(const struct cli *cli, bool one_line);

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

/* The platform to talk to: --uri, else $SCMI_URI, else loopback:// (the
 * simulator; said once on stderr).  Sets and returns cli->uri. */
const char *cli_uri(struct cli *cli);
/* Open cli_uri() into cli->h; on failure print why and return
 * CLI_EXIT_FAIL.  Subcommands call it after parsing their arguments. */
int cli_open(struct cli *cli);

/* ---- errors (error.c) ------------------------------------------------------ */

/*
 * A libscmi error and who produced it: the platform (it answered with a
 * status) or this side (libscmi or the CLI refused before sending, or no
 * answer came).  Capture it right after the failing call: the platform's
 * status is per thread and the next command replaces it.
 */
struct cli_err {
	int err;	/* negative errno */
	int32_t status; /* the platform's answer, or SCMI_STATUS_NONE */
	/* Why libscmi refused, when it says (scmi_last_error_msg()), or "". */
	char reason[SCMI_ERROR_MSG_MAX];
};

/* @err as returned just now by a libscmi call (uses scmi_last_status(),
 * and scmi_last_error_msg() for a refusal libscmi explains). */
struct cli_err cli_err_now(int err);
/* @err that libscmi documents as the platform's refusal (e.g. a clock's
 * rates_err): the status is the one that maps to @err. */
struct cli_err cli_err_platform(int err);
/* One line, no newline: "SCMI status NOT_SUPPORTED from the platform",
 * "not supported by this platform (nothing sent)", "Timed out ...". */
const char *cli_err_text(const struct cli_err *e, char *buf, size_t size);
/* {"message": text, "status": "NOT_SUPPORTED", "status_code": -1}, the
 * status members only when the platform answered. */
struct json_object *cli_err_json(const struct cli_err *e);
/* Is @e "this is not available here" (NOT_SUPPORTED, or refused locally as
 * unsupported), as optional commands a platform lacks give? */
bool cli_err_unsupported(const struct cli_err *e);

/*
 * An entry libscmi disabled at discovery (its info says usable == false):
 * the listings show it as such and read none of its tables.  @why is the
 * info's reason where it has one (power, reset, powercap: ->err; the
 * refusal's errno, or -EPROTO), 0 where it has none (the log says why).
 * Text: "disabled: SCMI status DENIED from the platform", "disabled: the
 * platform described it badly (see the log)" (-EPROTO), "disabled: the
 * platform refused to describe it or described it badly (see the log)"
 * (0).  JSON: {"message": ...,
 * "status": ..., "status_code": ...}, the status members only for a
 * refusal.
 */
const char *cli_disabled_text(int why, char *buf, size_t size);
struct json_object *cli_disabled_json(int why);

/*
 * The one way a command reports a runtime failure: "prog: what: reason" on
 * stderr and, with --json, {"error": {"operation": what, "message": ...,
 * "status": ...}} on one line of stdout.  Returns CLI_EXIT_FAIL.
 * cli_fail() classifies @err with cli_err_now(): call it right after the
 * failing libscmi call.  cli_failf() is for failures the CLI finds itself
 * ("no domain 'x'").
 */
int cli_fail(const struct cli *cli, const char *what, int err);
int cli_fail_err(const struct cli *cli, const char *what, const struct cli_err *e);
int cli_failf(const struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The platform lacks protocol @name (its ops are NULL): CLI_EXIT_FAIL. */
int cli_no_protocol(const struct cli *cli, const char *name);
/* `scmi COMMAND --help` on stdout, in the one layout every command uses:
 * usage line, purpose, verbs, notes, the global options reminder. */
void cli_help(const struct cli *cli, const struct cli_cmd *cmd);
/* Print a usage error for a subcommand; returns CLI_EXIT_USAGE. */
int cli_usage_error(const struct cli *cli, const struct cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* One line "prog cmd: OPTION 'value': why" for a bad value; CLI_EXIT_USAGE. */
int cli_bad_value(const struct cli *cli, const struct cli_cmd *cmd, const char *option,
		  const char *value, const char *why);

/* ---- options (main.c) -------------------------------------------------------- */

/*
 * getopt_long() for a subcommand that also takes the global options
 * (--uri, --json, --timeout, --verbose and their short forms) anywhere
 * among its arguments; a subcommand's own option of the same long name or
 * short letter wins.  Global options are applied to @cli and never
 * returned; a bad global value prints one line and exits with
 * CLI_EXIT_USAGE.
 */
int cli_getopt(struct cli *cli, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);
/*
 * Read back until @done(@arg) holds, at most about 100 ms: a request made
 * through a fastchannel takes effect when the platform next looks at it,
 * and a setter prints the state that resulted.  Returns whether it held.
 */
bool cli_settle(bool (*done)(void *arg), void *arg);
/* Print @obj as JSON on stdout, then release it. */
void cli_json_print(struct json_object *obj);
/* ---- text layout (table.c) ---------------------------------------------------- */

/*
 * Every listing in text mode is one table: a header line in capitals,
 * columns two spaces apart and as wide as their widest cell; text cells
 * left-aligned, numeric columns (right = true) right-aligned.  Rows are
 * kept until cli_table_print(), which prints them and frees the table.
 * A row's trailing NULL cells print nothing (a disabled entry's reason
 * may stand in the column after its name and end the row).
 */
struct cli_column {
	const char *name; /* "ID", "NAME"... */
	bool right;
};
struct cli_table *cli_table_new(const struct cli_column *cols, size_t ncols);
/* One row: exactly ncols strings (NULL: empty), copied. */
void cli_table_add(struct cli_table *t, ...);
/* Replace cell @col of the last row added with a formatted string. */
void cli_table_addf(struct cli_table *t, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cli_table_print(struct cli_table *t);
#define CLI_TABLE(cols) cli_table_new(cols, sizeof(cols) / sizeof(cols[0]))

/* One "key: value" line of a `get` (one item) in text mode: the key padded
 * to a fixed width, so that every command's details line up alike. */
void cli_kv(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- numbers (util.c) ----------------------------------------------------- */

/* Quantities a number with a unit may be (see cli_parse_quantity()). */
enum cli_quantity {
	CLI_FREQUENCY, /* Hz, kHz, MHz, GHz (k, M, G alone too) */
	CLI_VOLTAGE,   /* uV, mV, V */
	CLI_POWER,     /* uW, mW, W */
	CLI_TIME,      /* ns, us, ms, s */
	CLI_NUMBER,    /* no unit: a value in a unit fixed elsewhere (a sensor's) */
};

/*
 * The one parser for numbers with units: "[-]DIGITS[.DIGITS][UNIT]" (unit
 * case as written above, "µ" for "u" too; 0x hex for whole numbers), as an
 * exact whole number of 10^@exp10 base units (Hz, V, W or s): e.g.
 * (CLI_VOLTAGE, -6) gives microvolts, (CLI_TIME, -3) milliseconds.  A
 * number without a unit is in 10^@plain_exp10 base units (what the option
 * always took: seconds for "--timeout SEC" is 0).  0 with *@out set;
 * -EINVAL for something that is no such number (or a unit of another
 * quantity); -EDOM when it is not a whole number of 10^@exp10 units;
 * -ERANGE when it lies outside @min..@max.
 */
int cli_parse_quantity(const char *s, enum cli_quantity q, int plain_exp10, int exp10, int64_t min,
		       int64_t max, int64_t *out);
/* The same number as @mant x 10^@exp10 base units, without rounding (for
 * targets that keep an exponent, like sensor intervals); a number without
 * a unit is in 10^@unit_exp10 base units.  0, -EINVAL or -ERANGE. */
int cli_parse_decimal(const char *s, enum cli_quantity q, int unit_exp10, int64_t *mant,
		      int *exp10);
/* "Hz, kHz, MHz or GHz": the units of @q, for error messages. */
const char *cli_quantity_units(enum cli_quantity q);
/* cli_parse_quantity() for an option or argument @name of @cmd; on failure
 * prints one line naming it (cli_bad_value()) and returns CLI_EXIT_USAGE. */
int cli_arg_quantity(const struct cli *cli, const struct cli_cmd *cmd, const char *name,
		     const char *s, enum cli_quantity q, int plain_exp10, int exp10, int64_t min,
		     int64_t max, int64_t *out);

/* Parse plain numbers from arguments (decimal, 0x hex).  0, or -EINVAL. */
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

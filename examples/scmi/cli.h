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

extern const struct cli_cmd cli_cmd_info;

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
/* "2.1" for a version word (static buffer per call site not needed:
 * writes into @buf). */
const char *cli_version_str(uint32_t version, char buf[16]);

#endif

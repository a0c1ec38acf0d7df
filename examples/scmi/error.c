// SPDX-License-Identifier: BSD-3-Clause
/*
 * How the CLI reports errors: one helper for every failure, so that a
 * refusal made on this side (nothing sent) never reads like a platform's
 * answer, and a platform's answer always names its SCMI status.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"

struct cli_err cli_err_now(int err)
{
	int32_t st = scmi_last_status();
	struct cli_err e = {err, SCMI_STATUS_NONE};

	/* A call may send commands, then refuse on its own: the status is
	 * the answer only if it is what the call returned. */
	if (err < 0 && st != SCMI_STATUS_NONE && st != SCMI_SUCCESS &&
	    scmi_status_to_errno(st) == err)
		e.status = st;
	else if (err < 0)
		snprintf(e.reason, sizeof(e.reason), "%s", scmi_last_error_msg());
	return e;
}

struct cli_err cli_err_platform(int err)
{
	struct cli_err e = {err, SCMI_STATUS_NONE};

	for (int32_t st = SCMI_ERR_NOT_SUPPORTED; st >= SCMI_ERR_PROTOCOL_ERROR; st--) {
		if (scmi_status_to_errno(st) == err) {
			e.status = st;
			break;
		}
	}
	return e;
}

/* What a refusal on this side means, for the errnos SCMI statuses map to
 * (scmi_strerror() names a status for those, which would mislead here). */
static const char *local_text(int err)
{
	switch (err) {
	case -EOPNOTSUPP:
		return "not supported by this platform (nothing sent)";
	case -EINVAL:
		return "invalid argument (nothing sent)";
	case -ENOENT:
		return "no such item on this platform (nothing sent)";
	case -ERANGE:
		return "out of range (nothing sent)";
	case -EACCES:
		return "not permitted (nothing sent)";
	case -EBUSY:
		return "busy (nothing sent)";
	case -EPROTO:
		/* A reply now, or the discovery that disabled this item. */
		return "malformed or unexpected reply from the platform (now, or when "
		       "this item was discovered)";
	case -EIO:
		return "input/output error (no status from the platform)";
	case -ECOMM:
		return "communication error (no status from the platform)";
	case -EREMOTEIO:
		return "remote I/O error (no status from the platform)";
	case -E2BIG:
		return "more entries than this tool keeps";
	default:
		return scmi_strerror(err);
	}
}

const char *cli_err_text(const struct cli_err *e, char *buf, size_t size)
{
	const char *name, *text;

	if (e->status == SCMI_STATUS_NONE) {
		text = local_text(e->err);
		/* libscmi's own reason, and whether anything was sent. */
		if (e->reason[0])
			snprintf(buf, size, "%s%s", e->reason,
				 strstr(text, "(nothing sent)") ? " (nothing sent)" : "");
		else
			snprintf(buf, size, "%s", text);
		return buf;
	}
	name = scmi_status_name(e->status);
	if (!strcmp(name, "UNKNOWN"))
		snprintf(buf, size, "SCMI status %" PRId32 " (unknown) from the platform",
			 e->status);
	else
		snprintf(buf, size, "SCMI status %s from the platform", name);
	return buf;
}

struct json_object *cli_err_json(const struct cli_err *e)
{
	struct json_object *o = json_object_new_object();
	char buf[SCMI_ERROR_MSG_MAX + 32];

	json_object_object_add(o, "message",
			       json_object_new_string(cli_err_text(e, buf, sizeof(buf))));
	if (e->status != SCMI_STATUS_NONE) {
		json_object_object_add(o, "status",
				       json_object_new_string(scmi_status_name(e->status)));
		json_object_object_add(o, "status_code", json_object_new_int(e->status));
	}
	return o;
}

bool cli_err_unsupported(const struct cli_err *e)
{
	/* Platforms answer NOT_FOUND for message ids they do not know
	 * (SCP-firmware does), NOT_SUPPORTED for what they do not do. */
	return e->err == -EOPNOTSUPP || e->status == SCMI_ERR_NOT_FOUND;
}

/* Why a disabled entry is: a refusal names the platform's status; a bad
 * description, or an unknown reason, points at the log. */
static bool disabled_refused(int why, struct cli_err *e)
{
	if (!why || why == -EPROTO)
		return false;
	*e = cli_err_platform(why);
	return true;
}

static const char *disabled_reason(int why, char *buf, size_t size)
{
	struct cli_err e;

	if (why == -EPROTO)
		return "the platform described it badly (see the log)";
	if (!disabled_refused(why, &e))
		return "the platform refused to describe it or described it badly (see the log)";
	return cli_err_text(&e, buf, size);
}

const char *cli_disabled_text(int why, char *buf, size_t size)
{
	char reason[128];

	snprintf(buf, size, "disabled: %s", disabled_reason(why, reason, sizeof(reason)));
	return buf;
}

struct json_object *cli_disabled_json(int why)
{
	struct cli_err e;
	struct json_object *o;
	char reason[128];

	if (disabled_refused(why, &e))
		return cli_err_json(&e);
	o = json_object_new_object();
	json_object_object_add(
		o, "message", json_object_new_string(disabled_reason(why, reason, sizeof(reason))));
	return o;
}

/* stderr for people; with --json also one line of JSON on stdout. */
static int report(const struct cli *cli, const char *what, const char *msg, const struct cli_err *e)
{
	if (what)
		fprintf(stderr, "%s: %s: %s\n", cli->prog, what, msg);
	else
		fprintf(stderr, "%s: %s\n", cli->prog, msg);
	if (cli->json) {
		struct json_object *o = json_object_new_object();
		struct json_object *err = e ? cli_err_json(e) : json_object_new_object();

		if (!e)
			json_object_object_add(err, "message", json_object_new_string(msg));
		if (what)
			json_object_object_add(err, "operation", json_object_new_string(what));
		json_object_object_add(o, "error", err);
		fflush(stderr);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		fflush(stdout);
		json_object_put(o);
	}
	return CLI_EXIT_FAIL;
}

int cli_fail_err(const struct cli *cli, const char *what, const struct cli_err *e)
{
	char buf[SCMI_ERROR_MSG_MAX + 32];

	return report(cli, what, cli_err_text(e, buf, sizeof(buf)), e);
}

int cli_fail(const struct cli *cli, const char *what, int err)
{
	struct cli_err e = cli_err_now(err);

	return cli_fail_err(cli, what, &e);
}

int cli_failf(const struct cli *cli, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return report(cli, NULL, buf, NULL);
}

int cli_no_protocol(const struct cli *cli, const char *name)
{
	const struct scmi_revision_info *rev = cli->h ? cli->h->version : NULL;
	char buf[16];

	for (unsigned int i = 0; rev && i < rev->num_protocols; i++) {
		const struct scmi_protocol_info *p = &rev->protocols[i];

		if (!strcmp(scmi_protocol_name(p->id), name) && !p->supported)
			return cli_failf(cli,
					 "%s: the platform's protocol version %s is not "
					 "supported by libscmi",
					 name, cli_version_str(p->version, buf));
	}
	return cli_failf(cli, "%s: the platform does not implement this protocol", name);
}

void cli_help(const struct cli *cli, const struct cli_cmd *cmd)
{
	printf("Usage: %s [OPTIONS] %s%s%s\n", cli->prog, cmd->name, cmd->args[0] ? " " : "",
	       cmd->args);
	printf("%c%s.\n", toupper((unsigned char)cmd->help[0]), cmd->help + 1);
	if (cmd->verbs)
		printf("\n%s", cmd->verbs);
	if (cmd->notes)
		printf("\n%s", cmd->notes);
	printf("\nOPTIONS are the global options (-u URI, -j/--json, -t TIME, -v), accepted\n"
	       "anywhere on the line: see %s --help.\n",
	       cli->prog);
}

int cli_usage_error(const struct cli *cli, const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", cli->prog, cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: %s [OPTIONS] %s %s\n", cli->prog, cmd->name, cmd->args);
	return CLI_EXIT_USAGE;
}

int cli_bad_value(const struct cli *cli, const struct cli_cmd *cmd, const char *option,
		  const char *value, const char *why)
{
	if (cmd)
		fprintf(stderr, "%s %s: %s '%s': %s\n", cli->prog, cmd->name, option, value, why);
	else
		fprintf(stderr, "%s: %s '%s': %s\n", cli->prog, option, value, why);
	return CLI_EXIT_USAGE;
}

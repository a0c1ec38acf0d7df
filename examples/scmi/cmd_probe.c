// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi probe: what the transport found (scmi_probe()), without talking
 * SCMI: for virtio-vfio-user:// the PCI ids, regions, interrupts, virtio
 * features and queues; for shmem:// and uio:// the areas and the doorbell.
 * A device the transport cannot drive is described, then the command fails.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

struct probe_ctx {
	struct cli *cli;
	struct json_object *root; /* --json: section -> {key: value} */
	char section[64];	  /* text: the section printed last */
	unsigned int facts;
	char error[512]; /* the last error logged during the probe */
	scmi_log_fn log_fn;
	void *log_priv;
};

/* Error lines are held back one: the last one becomes the command's
 * failure message (not printed twice); the others go out as they come. */
static void probe_log(void *priv, enum scmi_log_level level, const char *msg)
{
	struct probe_ctx *p = priv;

	if (level != SCMI_LOG_ERR) {
		if (p->log_fn)
			p->log_fn(p->log_priv, level, msg);
		return;
	}
	if (p->error[0] && p->log_fn)
		p->log_fn(p->log_priv, SCMI_LOG_ERR, p->error);
	snprintf(p->error, sizeof(p->error), "%s", msg);
}

static void probe_emit(void *arg, const char *section, const char *key, const char *value)
{
	struct probe_ctx *p = arg;
	struct json_object *sec;

	p->facts++;
	if (!p->cli->json) {
		if (strcmp(p->section, section)) {
			snprintf(p->section, sizeof(p->section), "%s", section);
			printf("[%s]\n", section);
		}
		printf("  %-22s %s\n", key, value);
		return;
	}
	if (!json_object_object_get_ex(p->root, section, &sec)) {
		sec = json_object_new_object();
		json_object_object_add(p->root, section, sec);
	}
	json_object_object_add(sec, key, json_object_new_string(value));
}

static int probe_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct probe_ctx p = {.cli = cli};
	struct scmi_config cfg;
	char what[320];
	int c, ret;

	while ((c = cli_getopt(cli, argc, argv, "h", opts)) != -1) {
		if (c == 'h') {
			cli_help(cli, &cli_cmd_probe);
			return CLI_EXIT_OK;
		}
		return cli_usage_error(cli, &cli_cmd_probe, "unknown option");
	}
	if (optind < argc)
		cli->uri = argv[optind++];
	if (optind < argc)
		return cli_usage_error(cli, &cli_cmd_probe, "unexpected argument '%s'",
				       argv[optind]);

	cfg = cli->cfg;
	p.log_fn = cfg.log_fn;
	p.log_priv = cfg.log_priv;
	cfg.log_fn = probe_log;
	cfg.log_priv = &p;
	if (cli->json)
		p.root = json_object_new_object();
	ret = scmi_probe(cli_uri(cli), &cfg, probe_emit, &p);
	if (!ret) {
		if (p.error[0] && p.log_fn)
			p.log_fn(p.log_priv, SCMI_LOG_ERR, p.error);
		if (cli->json)
			cli_json_print(p.root);
		return CLI_EXIT_OK;
	}

	snprintf(what, sizeof(what), "probe %s", cli->uri);
	if (!p.error[0])
		snprintf(p.error, sizeof(p.error), "%s", scmi_strerror(ret));
	fprintf(stderr, "%s: %s: %s\n", cli->prog, what, p.error);
	if (cli->json) {
		struct json_object *err = json_object_new_object();

		json_object_object_add(err, "operation", json_object_new_string(what));
		json_object_object_add(err, "message", json_object_new_string(p.error));
		json_object_object_add(err, "errno", json_object_new_int(ret));
		json_object_object_add(p.root, "error", err);
		fflush(stderr);
		cli_json_print(p.root);
	}
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_probe = {
	.name = "probe",
	.args = "[URI]",
	.help = "show what the transport found (ids, regions, features, queues, areas)",
	.run = probe_run,
	.notes = "Opens only the transport (no SCMI command is sent) and prints what it\n"
		 "found, section by section.  A device the transport cannot drive (e.g. a\n"
		 "vfio-user device that is not virtio-scmi) is described, then the command\n"
		 "fails naming what it found.\n",
};

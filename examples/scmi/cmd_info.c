// SPDX-License-Identifier: BSD-3-Clause
/* scmi info: what the Base protocol reports. */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"

struct info_agent {
	struct cli_err err; /* err.err 0: info is valid */
	struct scmi_base_agent_info info;
};

/* Agents' names come from BASE_DISCOVER_AGENT, an optional command: a
 * platform without it (TF-A) has no agents section, and no error. */
static bool agents_known(const struct info_agent *agents)
{
	return !cli_err_unsupported(&agents[0].err);
}

static void agent_line(const char *prefix, const struct info_agent *a)
{
	char err[128];

	if (a->err.err)
		printf("%s%" PRIu32 " (%s)\n", prefix, a->info.id,
		       cli_err_text(&a->err, err, sizeof(err)));
	else
		printf("%s%" PRIu32 " %s\n", prefix, a->info.id, a->info.name);
}

/* The quirks active on @h, "a, b" (or "none"), into @buf. */
static const char *quirks_text(const struct scmi_handle *h, char *buf, size_t size)
{
	struct scmi_quirk_info qi;
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; !scmi_quirk_get(h, i, &qi); i++)
		if (qi.active && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
						qi.name);
	return buf[0] ? buf : "none";
}

static void info_text(const struct scmi_handle *h, const struct info_agent *agents,
		      const struct info_agent *self)
{
	const struct scmi_revision_info *rev = h->version;
	char buf[16], buf2[128];

	printf("vendor:          %s\n", rev->vendor_id);
	printf("sub-vendor:      %s\n", rev->sub_vendor_id);
	printf("implementation:  0x%08" PRIx32 "\n", rev->impl_ver);
	printf("quirks:          %s\n", quirks_text(h, buf2, sizeof(buf2)));
	printf("SCMI version:    %u.%u\n", rev->major_ver, rev->minor_ver);
	printf("protocols:       %u\n", rev->num_protocols);
	for (unsigned int i = 0; i < rev->num_protocols; i++) {
		const struct scmi_protocol_info *p = &rev->protocols[i];

		printf("  0x%02x %-9s %s%s\n", p->id, scmi_protocol_name(p->id),
		       cli_version_str(p->version, buf),
		       p->supported ? "" : " (not supported by libscmi)");
	}
	/* num_agents counts the agents besides the platform (id 0), which
	 * DISCOVER_AGENT describes too: it gets its own line. */
	if (agents_known(agents))
		agent_line("platform:        ", &agents[0]);
	printf("agents:          %u\n", rev->num_agents);
	for (unsigned int i = 1; agents_known(agents) && i <= rev->num_agents; i++)
		agent_line("  ", &agents[i]);
	if (!self->err.err)
		printf("this agent:      %" PRIu32 " %s\n", self->info.id, self->info.name);
	else if (!cli_err_unsupported(&self->err))
		printf("this agent:      (%s)\n", cli_err_text(&self->err, buf2, sizeof(buf2)));
}

/* @a's id is known for a listed agent (the one asked for), for this agent
 * only when the platform answered. */
static struct json_object *agent_json(const struct info_agent *a, bool listed)
{
	struct json_object *o = json_object_new_object();

	if (listed || !a->err.err)
		json_object_object_add(o, "id", json_object_new_int64(a->info.id));
	if (a->err.err)
		json_object_object_add(o, "error", cli_err_json(&a->err));
	else
		json_object_object_add(o, "name", json_object_new_string(a->info.name));
	return o;
}

static void info_json(const struct scmi_handle *h, const struct info_agent *agents,
		      const struct info_agent *self)
{
	const struct scmi_revision_info *rev = h->version;
	struct json_object *o = json_object_new_object();
	struct json_object *protos = json_object_new_array();
	struct json_object *quirks = json_object_new_array();
	struct scmi_quirk_info qi;
	char buf[16];

	json_object_object_add(o, "vendor", json_object_new_string(rev->vendor_id));
	json_object_object_add(o, "sub_vendor", json_object_new_string(rev->sub_vendor_id));
	json_object_object_add(o, "impl_version", json_object_new_int64(rev->impl_ver));
	json_object_object_add(o, "quirks", quirks);
	for (unsigned int i = 0; !scmi_quirk_get(h, i, &qi); i++)
		if (qi.active)
			json_object_array_add(quirks, json_object_new_string(qi.name));
	snprintf(buf, sizeof(buf), "%u.%u", rev->major_ver, rev->minor_ver);
	json_object_object_add(o, "scmi_version", json_object_new_string(buf));
	for (unsigned int i = 0; i < rev->num_protocols; i++) {
		const struct scmi_protocol_info *p = &rev->protocols[i];
		struct json_object *po = json_object_new_object();

		json_object_object_add(po, "id", json_object_new_int(p->id));
		json_object_object_add(po, "name",
				       json_object_new_string(scmi_protocol_name(p->id)));
		json_object_object_add(po, "version",
				       json_object_new_string(cli_version_str(p->version, buf)));
		json_object_object_add(po, "supported", json_object_new_boolean(p->supported));
		json_object_array_add(protos, po);
	}
	json_object_object_add(o, "protocols", protos);
	json_object_object_add(o, "num_agents", json_object_new_int(rev->num_agents));
	if (agents_known(agents)) {
		struct json_object *ags = json_object_new_array();

		/* The platform (agent 0) apart: "agents" has num_agents. */
		json_object_object_add(o, "platform", agent_json(&agents[0], true));
		for (unsigned int i = 1; i <= rev->num_agents; i++)
			json_object_array_add(ags, agent_json(&agents[i], true));
		json_object_object_add(o, "agents", ags);
	}
	if (!self->err.err || !cli_err_unsupported(&self->err))
		json_object_object_add(o, "self", agent_json(self, false));
	cli_json_print(o);
}

static int info_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct info_agent agents[256], self;
	const struct scmi_handle *h;
	int c, ret;

	while ((c = cli_getopt(cli, argc, argv, "h", opts)) != -1) {
		if (c == 'h') {
			cli_help(cli, &cli_cmd_info);
			return CLI_EXIT_OK;
		}
		return cli_usage_error(cli, &cli_cmd_info, "unknown option");
	}
	if (optind < argc)
		return cli_usage_error(cli, &cli_cmd_info, "unexpected argument '%s'",
				       argv[optind]);
	ret = cli_open(cli);
	if (ret)
		return ret;
	h = cli->h;
	memset(&self, 0, sizeof(self));
	for (unsigned int i = 0; i <= h->version->num_agents; i++) {
		/* One agent the platform will not describe is one line with
		 * its error; the others are listed. */
		memset(&agents[i], 0, sizeof(agents[i]));
		agents[i].info.id = i;
		ret = h->base_ops->discover_agent(h, i, &agents[i].info);
		agents[i].err = cli_err_now(ret);
		/* Agent 0 tells whether the platform has the command at all. */
		if (i == 0 && ret && cli_err_unsupported(&agents[0].err))
			break;
	}
	ret = h->base_ops->discover_agent(h, SCMI_BASE_AGENT_SELF, &self.info);
	self.err = cli_err_now(ret);

	if (cli->json)
		info_json(h, agents, &self);
	else
		info_text(h, agents, &self);
	return CLI_EXIT_OK;
}

const struct cli_cmd cli_cmd_info = {
	.name = "info",
	.args = "",
	.help = "show the platform: vendor, versions, protocols, agents",
	.run = info_run,
	.notes = "\"platform\" is agent 0, described apart; \"agents\" counts the others (the\n"
		 "platform's num_agents), listed when the platform has BASE_DISCOVER_AGENT.\n",
};

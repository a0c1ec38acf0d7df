// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --control PATH: a unix stream socket through which tests and
 * demos drive the platform from outside.  One text command per line, one
 * reply line per command ("ok[ ...]" or "error MESSAGE"); the commands are
 * listed in srv_ctl_command() and in `scmi-sim --help`.  Served from the
 * main loop (non-blocking sockets; no thread).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "server.h"

#define CTL_MAX_CLIENTS 16
#define CTL_LINE_MAX	1024
#define CTL_MAX_ARGS	40

struct ctl_client {
	int fd;
	size_t len;
	char line[CTL_LINE_MAX];
};

struct srv_ctl {
	struct srv *srv;
	char *path;
	int listen_fd;
	unsigned int n_clients;
	struct ctl_client clients[CTL_MAX_CLIENTS];
};

/* ---- commands ------------------------------------------------------------- */

static int ctl_num(const char *s, uint64_t max, uint64_t *v)
{
	return srv_parse_u64(s, 0, max, v);
}

/* A fault kind: a knob name (scmi_sim_fault_kind_from_name()) or the
 * number of enum scmi_sim_fault_kind. */
static int ctl_kind(const char *s, uint64_t *v)
{
	enum scmi_sim_fault_kind kind;

	if (!scmi_sim_fault_kind_from_name(s, &kind)) {
		*v = (uint64_t)kind;
		return 0;
	}
	return ctl_num(s, 255, v);
}

static int ctl_snum(const char *s, int64_t *v)
{
	long long x;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	x = strtoll(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

/* Where the model's call returns 0 on success, not a count. */
static void ctl_done(char *reply, size_t size, int ret)
{
	if (ret < 0)
		snprintf(reply, size, "error %s", strerror(-ret));
	else
		snprintf(reply, size, "ok");
}

static void ctl_result(char *reply, size_t size, int ret)
{
	if (ret < 0)
		snprintf(reply, size, "error %s", strerror(-ret));
	else
		snprintf(reply, size, "ok sent=%d", ret);
}

void srv_ctl_command(struct srv *srv, char *line, char *reply, size_t size)
{
	struct scmi_sim *sim = srv_sim(srv);
	char *argv[CTL_MAX_ARGS], *save = NULL;
	uint64_t n[4] = {0};
	int argc = 0, ret;
	uint8_t proto;

	for (char *t = strtok_r(line, " \t\r", &save); t && argc < CTL_MAX_ARGS;
	     t = strtok_r(NULL, " \t\r", &save))
		argv[argc++] = t;
	if (!argc) {
		snprintf(reply, size, "error empty command");
		return;
	}
#define NEED(min, max, usage)                                                        \
	do {                                                                         \
		if (argc < (min) + 1 || argc > (max) + 1) {                          \
			snprintf(reply, size, "error usage: %s %s", argv[0], usage); \
			return;                                                      \
		}                                                                    \
	} while (0)
#define BAD(what)                                            \
	do {                                                 \
		snprintf(reply, size, "error bad %s", what); \
		return;                                      \
	} while (0)

	if (!strcmp(argv[0], "ping")) {
		NEED(0, 0, "");
		snprintf(reply, size, "ok pong");
	} else if (!strcmp(argv[0], "quit")) {
		NEED(0, 0, "");
		srv_quit(srv);
		snprintf(reply, size, "ok");
	} else if (!strcmp(argv[0], "stats")) {
		int len;

		NEED(0, 0, "");
		len = snprintf(reply, size, "ok ");
		srv_stats(srv, reply + len, size - (size_t)len);
	} else if (!strcmp(argv[0], "notify")) {
		NEED(3, 4, "PROTO EVT SRC [COUNT]");
		if (scmi_sim_protocol_parse(argv[1], &proto))
			BAD("protocol");
		if (ctl_num(argv[2], 0xff, &n[0]) || ctl_num(argv[3], 0xffffffffu, &n[1]))
			BAD("event or source");
		n[2] = 1;
		if (argc > 4 && ctl_num(argv[4], 1000000, &n[2]))
			BAD("count");
		ret = scmi_sim_test_emit(sim, proto, (uint8_t)n[0], (uint32_t)n[1], (uint32_t)n[2],
					 false);
		ctl_result(reply, size, ret);
	} else if (!strcmp(argv[0], "notify-enabled")) {
		NEED(3, 3, "PROTO EVT SRC");
		if (scmi_sim_protocol_parse(argv[1], &proto))
			BAD("protocol");
		if (ctl_num(argv[2], 0xff, &n[0]) || ctl_num(argv[3], 0xffffffffu, &n[1]))
			BAD("event or source");
		ret = scmi_sim_notify_enabled(sim, proto, (uint8_t)n[0], (uint32_t)n[1]);
		if (ret < 0)
			snprintf(reply, size, "error %s", strerror(-ret));
		else
			snprintf(reply, size, "ok %d", ret);
	} else if (!strcmp(argv[0], "sensor")) {
		int64_t vals[CTL_MAX_ARGS];

		NEED(2, CTL_MAX_ARGS - 1, "ID VALUE [VALUE...]");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]))
			BAD("sensor id");
		for (int i = 2; i < argc; i++)
			if (ctl_snum(argv[i], &vals[i - 2]))
				BAD("value");
		ret = scmi_sim_sensor_value_set(sim, (uint32_t)n[0], vals, (unsigned int)argc - 2);
		ctl_result(reply, size, ret);
	} else if (!strcmp(argv[0], "perf-limits")) {
		NEED(3, 3, "DOM MAX MIN");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]) || ctl_num(argv[2], 0xffffffffu, &n[1]) ||
		    ctl_num(argv[3], 0xffffffffu, &n[2]))
			BAD("number");
		ret = scmi_sim_perf_limits_set(sim, (uint32_t)n[0], (uint32_t)n[1], (uint32_t)n[2]);
		ctl_done(reply, size, ret);
	} else if (!strcmp(argv[0], "perf-level")) {
		NEED(2, 2, "DOM LEVEL");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]) || ctl_num(argv[2], 0xffffffffu, &n[1]))
			BAD("number");
		ret = scmi_sim_perf_level_set(sim, (uint32_t)n[0], (uint32_t)n[1]);
		ctl_done(reply, size, ret);
	} else if (!strcmp(argv[0], "perf-state")) {
		struct scmi_sim_perf_domain d;

		NEED(1, 1, "DOM");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]))
			BAD("number");
		ret = scmi_sim_perf_domain_get(sim, (uint32_t)n[0], &d);
		if (ret < 0)
			snprintf(reply, size, "error %s", strerror(-ret));
		else
			snprintf(reply, size, "ok level=%u max=%u min=%u", d.level, d.range_max,
				 d.range_min);
	} else if (!strcmp(argv[0], "clock-state")) {
		struct scmi_sim_clock_info ci;

		NEED(1, 1, "ID");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]))
			BAD("number");
		ret = scmi_sim_clock_info_get(sim, (uint32_t)n[0], &ci);
		if (ret < 0)
			snprintf(reply, size, "error %s", strerror(-ret));
		else
			snprintf(reply, size, "ok rate=%llu enabled=%d duty=%u phase=%u parent=%u",
				 (unsigned long long)ci.rate, ci.enabled, ci.duty_cycle, ci.phase,
				 ci.parent);
	} else if (!strcmp(argv[0], "perf-stats")) {
		struct scmi_sim_perf_stats st;

		NEED(0, 0, "");
		ret = scmi_sim_perf_stats_get(sim, &st);
		if (ret < 0)
			snprintf(reply, size, "error %s", strerror(-ret));
		else
			snprintf(reply, size,
				 "ok fc_level_sets=%llu fc_limits_sets=%llu fc_rejected=%llu "
				 "doorbell_rings=%llu doorbell_clobbered=%llu",
				 (unsigned long long)st.fc_level_sets,
				 (unsigned long long)st.fc_limits_sets,
				 (unsigned long long)st.fc_rejected,
				 (unsigned long long)st.doorbell_rings,
				 (unsigned long long)st.doorbell_clobbered);
	} else if (!strcmp(argv[0], "power-state")) {
		struct scmi_sim_power_domain d;

		NEED(1, 1, "DOM");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]))
			BAD("number");
		ret = scmi_sim_power_domain_get(sim, (uint32_t)n[0], &d);
		if (ret < 0)
			snprintf(reply, size, "error %s", strerror(-ret));
		else
			snprintf(reply, size, "ok state=%u sync_requests=%llu async_requests=%llu",
				 d.state, (unsigned long long)d.sync_requests,
				 (unsigned long long)d.async_requests);
	} else if (!strcmp(argv[0], "reset-state")) {
		struct scmi_sim_reset_domain d;

		NEED(1, 1, "DOM");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]))
			BAD("number");
		ret = scmi_sim_reset_domain_get(sim, (uint32_t)n[0], &d);
		if (ret < 0)
			snprintf(reply, size, "error %s", strerror(-ret));
		else
			snprintf(reply, size,
				 "ok asserted=%d asserted_state=%u resets=%u deasserts=%u "
				 "async_resets=%u last_state=%u last_agent=%u",
				 d.asserted, d.asserted_state, d.resets, d.deasserts,
				 d.async_resets, d.last_state, d.last_agent);
	} else if (!strcmp(argv[0], "voltage-state")) {
		struct scmi_sim_voltage_domain d;

		NEED(1, 1, "DOM");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]))
			BAD("number");
		ret = scmi_sim_voltage_domain_get(sim, (uint32_t)n[0], &d);
		if (ret < 0)
			snprintf(reply, size, "error %s", strerror(-ret));
		else
			snprintf(reply, size,
				 "ok config=%u level=%d level_sets=%u async_level_sets=%u "
				 "config_sets=%u last_agent=%u",
				 d.config, d.level_uv, d.level_sets, d.async_level_sets,
				 d.config_sets, d.last_agent);
	} else if (!strcmp(argv[0], "powercap-state")) {
		struct scmi_sim_powercap_domain d;

		NEED(1, 1, "DOM");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]))
			BAD("number");
		ret = scmi_sim_powercap_domain_get(sim, (uint32_t)n[0], &d);
		if (ret < 0)
			snprintf(reply, size, "error %s", strerror(-ret));
		else
			snprintf(reply, size,
				 "ok cap=%u pai=%u power=%u thresh_low=%u thresh_high=%u "
				 "fc_cap_sets=%llu fc_pai_sets=%llu fc_rejected=%llu "
				 "msg_cap_sets=%llu async_cap_sets=%llu ignored_dresps=%llu",
				 d.cap, d.pai, d.power, d.thresh_low, d.thresh_high,
				 (unsigned long long)d.fc_cap_sets,
				 (unsigned long long)d.fc_pai_sets,
				 (unsigned long long)d.fc_rejected,
				 (unsigned long long)d.msg_cap_sets,
				 (unsigned long long)d.async_cap_sets,
				 (unsigned long long)d.ignored_dresps);
	} else if (!strcmp(argv[0], "clock-rate")) {
		NEED(2, 2, "ID RATE");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]) || ctl_num(argv[2], UINT64_MAX, &n[1]))
			BAD("number");
		ret = scmi_sim_clock_rate_change(sim, (uint32_t)n[0], n[1]);
		ctl_result(reply, size, ret);
	} else if (!strcmp(argv[0], "power")) {
		NEED(2, 2, "DOM STATE");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]) || ctl_num(argv[2], 0xffffffffu, &n[1]))
			BAD("number");
		ret = scmi_sim_power_state_change(sim, (uint32_t)n[0], (uint32_t)n[1], 0);
		ctl_result(reply, size, ret);
	} else if (!strcmp(argv[0], "reset")) {
		NEED(2, 2, "DOM AGENT");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]) || ctl_num(argv[2], 0xffffffffu, &n[1]))
			BAD("number");
		ret = scmi_sim_reset_issue(sim, (uint32_t)n[0], (uint32_t)n[1], 0);
		ctl_result(reply, size, ret);
	} else if (!strcmp(argv[0], "powercap-power")) {
		NEED(2, 2, "DOM MW");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]) || ctl_num(argv[2], 0xffffffffu, &n[1]))
			BAD("number");
		ret = scmi_sim_powercap_power_set(sim, (uint32_t)n[0], (uint32_t)n[1]);
		ctl_result(reply, size, ret);
	} else if (!strcmp(argv[0], "base-error")) {
		uint64_t reports[CTL_MAX_ARGS];

		NEED(2, CTL_MAX_ARGS - 1, "AGENT FATAL [REPORT...]");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]) || ctl_num(argv[2], 1, &n[1]))
			BAD("agent or fatal flag (0/1)");
		for (int i = 3; i < argc; i++)
			if (ctl_num(argv[i], UINT64_MAX, &reports[i - 3]))
				BAD("report");
		ret = scmi_sim_base_error_event(sim, (uint32_t)n[0], n[1] != 0, reports,
						(unsigned int)argc - 3);
		ctl_result(reply, size, ret);
	} else if (!strcmp(argv[0], "system")) {
		NEED(2, 4, "STATE GRACEFUL [TIMEOUT_MS [AGENT]]");
		if (ctl_num(argv[1], 0xffffffffu, &n[0]) || ctl_num(argv[2], 1, &n[1]))
			BAD("state or graceful flag (0/1)");
		n[2] = n[3] = 0;
		if (argc > 3 && ctl_num(argv[3], 0xffffffffu, &n[2]))
			BAD("timeout");
		if (argc > 4 && ctl_num(argv[4], 0xffffffffu, &n[3]))
			BAD("agent");
		ret = scmi_sim_system_request(sim, (uint32_t)n[3], (uint32_t)n[0], n[1] != 0,
					      (uint32_t)n[2]);
		ctl_result(reply, size, ret);
	} else if (!strcmp(argv[0], "activity")) {
		NEED(1, 1, "MS");
		if (ctl_num(argv[1], 3600000, &n[0]))
			BAD("period");
		srv_activity(srv, (unsigned int)n[0]);
		snprintf(reply, size, "ok");
	} else if (!strcmp(argv[0], "step")) {
		NEED(0, 0, "");
		srv_step(srv);
		snprintf(reply, size, "ok");
	} else if (!strcmp(argv[0], "fault-add")) {
		struct scmi_sim_fault f = {0};
		int64_t s[4];

		NEED(6, 7, "KIND EVERY COUNT PROTO MSG PARAM [NOTIFICATIONS]");
		if (ctl_kind(argv[1], &n[0]) || ctl_num(argv[2], 0xffffffffu, &n[1]) ||
		    ctl_num(argv[3], 0xffffffffu, &n[2]) || ctl_snum(argv[4], &s[0]) ||
		    ctl_snum(argv[5], &s[1]) || ctl_snum(argv[6], &s[2]) || s[0] < -1 ||
		    s[0] > 255 || s[1] < -1 || s[1] > 255)
			BAD("number");
		s[3] = 0;
		if (argc > 7 && (ctl_snum(argv[7], &s[3]) || s[3] < 0 || s[3] > 1))
			BAD("notifications flag (0/1)");
		f.kind = (enum scmi_sim_fault_kind)n[0];
		f.every = (uint32_t)n[1];
		f.count = (uint32_t)n[2];
		f.protocol = (int)s[0];
		f.message = (int)s[1];
		f.param = s[2];
		f.notifications = s[3] != 0;
		ctl_done(reply, size, scmi_sim_fault_add(sim, &f));
	} else if (!strcmp(argv[0], "fault-hits")) {
		NEED(1, 1, "KIND");
		if (ctl_kind(argv[1], &n[0]))
			BAD("kind");
		snprintf(reply, size, "ok %llu",
			 (unsigned long long)scmi_sim_fault_hits(sim,
								 (enum scmi_sim_fault_kind)n[0]));
	} else if (!strcmp(argv[0], "fault")) {
		char *eq;

		NEED(1, 1, "KNOB[=VALUE] | clear");
		if (!strcmp(argv[1], "clear")) {
			scmi_sim_fault_clear(sim);
			snprintf(reply, size, "ok");
			return;
		}
		eq = strchr(argv[1], '=');
		if (eq)
			*eq = '\0';
		ret = scmi_sim_fault_parse(sim, argv[1], eq ? eq + 1 : NULL);
		if (ret)
			snprintf(reply, size, "error fault knob '%s' unknown or malformed: %s",
				 argv[1], strerror(-ret));
		else
			snprintf(reply, size, "ok");
	} else if (srv_mode_command(srv, argc, argv, reply, size) == -ENOENT) {
		snprintf(reply, size, "error unknown command '%s' (see scmi-sim --help)", argv[0]);
	}
#undef NEED
#undef BAD
}

/* ---- the socket ------------------------------------------------------------- */

int srv_ctl_open(struct srv *srv, const char *path, struct srv_ctl **out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct srv_ctl *c;
	int err;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		srv_log(NULL, SRV_LOG_ERR, "--control: path too long: %s", path);
		return -ENAMETOOLONG;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		free(c);
		return -ENOMEM;
	}
	c->srv = srv;
	strcpy(sa.sun_path, path);
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->listen_fd < 0 || bind(c->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(c->listen_fd, 8)) {
		err = errno;
		srv_log(NULL, SRV_LOG_ERR, "--control: cannot listen on %s: %s", path,
			strerror(err));
		if (c->listen_fd >= 0)
			close(c->listen_fd);
		free(c->path);
		free(c);
		return -err;
	}
	*out = c;
	return 0;
}

int srv_ctl_fds(struct srv_ctl *c, struct pollfd *fds, int max)
{
	int n = 0;

	if (max < 1)
		return 0;
	fds[n++] = (struct pollfd){.fd = c->listen_fd, .events = POLLIN};
	for (unsigned int i = 0; i < c->n_clients && n < max; i++)
		fds[n++] = (struct pollfd){.fd = c->clients[i].fd, .events = POLLIN};
	return n;
}

static void ctl_drop(struct srv_ctl *c, unsigned int i)
{
	close(c->clients[i].fd);
	c->clients[i] = c->clients[--c->n_clients];
}

static void ctl_send(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;

	/* Replies are short; a client that does not read them loses them. */
	while (off < len) {
		ssize_t w = send(fd, s + off, len - off, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		off += (size_t)w;
	}
}

/* Read what client @i sent and answer every complete line.  false: gone. */
static bool ctl_read(struct srv_ctl *c, struct ctl_client *cl)
{
	ssize_t r = recv(cl->fd, cl->line + cl->len, sizeof(cl->line) - 1 - cl->len, 0);
	char *nl;

	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
		return false;
	if (r < 0)
		return true;
	cl->len += (size_t)r;
	cl->line[cl->len] = '\0';
	while ((nl = memchr(cl->line, '\n', cl->len))) {
		char reply[4096]; /* stats with 32 per-protocol channels */
		size_t used = (size_t)(nl - cl->line) + 1;

		*nl = '\0';
		srv_ctl_command(c->srv, cl->line, reply, sizeof(reply) - 1);
		strcat(reply, "\n");
		ctl_send(cl->fd, reply);
		memmove(cl->line, cl->line + used, cl->len - used);
		cl->len -= used;
		cl->line[cl->len] = '\0';
	}
	if (cl->len == sizeof(cl->line) - 1) {
		ctl_send(cl->fd, "error line too long\n");
		return false;
	}
	return true;
}

int srv_ctl_handle(struct srv_ctl *c, const struct pollfd *fds, int n)
{
	int work = 0;

	/* Clients first, by descriptor (the array may shrink as they go). */
	for (int k = n - 1; k >= 1; k--) {
		if (!fds[k].revents)
			continue;
		for (unsigned int i = 0; i < c->n_clients; i++) {
			if (c->clients[i].fd != fds[k].fd)
				continue;
			if (!ctl_read(c, &c->clients[i]))
				ctl_drop(c, i);
			work++;
			break;
		}
	}
	if (n >= 1 && fds[0].revents & POLLIN) {
		int fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			if (c->n_clients == CTL_MAX_CLIENTS) {
				ctl_send(fd, "error too many clients\n");
				close(fd);
			} else {
				c->clients[c->n_clients++] = (struct ctl_client){.fd = fd};
			}
			work++;
		}
	}
	return work;
}

void srv_ctl_close(struct srv_ctl *c)
{
	for (unsigned int i = 0; i < c->n_clients; i++)
		close(c->clients[i].fd);
	close(c->listen_fd);
	unlink(c->path);
	free(c->path);
	free(c);
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmid: a small management daemon built on libscmi -- the pattern a
 * hypervisor or board-management daemon follows when it embeds the library.
 *
 *  - It owns its libuv loop and hands it to libscmi (scmi_config.loop), so
 *    notification callbacks run on that loop, one at a time, between the
 *    daemon's own callbacks: no locks around the daemon's state.
 *  - It listens to what the platform reports (perf limits and levels,
 *    sensor trip points, power domain states, system power requests, Base
 *    errors) and keeps the recent events in a ring.
 *  - It serves a line-based status protocol on a UNIX socket (README.md in
 *    this directory has the grammar): sensor readings, perf levels, events.
 *  - The libscmi calls that talk to the platform are made from the loop
 *    without blocking it: under SCMI_ASYNC(), completing on the loop (see
 *    "Platform calls" below).
 *  - SIGTERM / SIGINT: stop accepting, drop the clients, scmi_close()
 *    (the calls still out complete, cancelled, inside it), and leave with
 *    the loop closed and status 0.
 *
 * It links libscmi only (the agent library, no simulator): the platform is
 * whatever --uri or SCMI_URI names.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <uv.h>

#include <scmi/scmi.h>

#ifndef SCMID_VERSION
#define SCMID_VERSION "unknown"
#endif
#define DEFAULT_SOCKET "/run/scmid/scmid.sock"
#define LINE_LEN       256     /* longest request, newline included */
#define MAX_CLIENTS    16      /* connections served at once */
#define RING_SIZE      128     /* events kept for `events` */
#define MAX_QUEUED     1048576 /* bytes a slow client may leave unread */

/* libuv hands callbacks a uv_handle_t or uv_stream_t that is the first
 * member of a uv_pipe_t: an untyped container_of for those (the typed
 * scmi_container_of() is for our notifier blocks). */
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))


/* One connection.  Freed when its pipe is closed and no work refers to it. */
struct client {
	uv_pipe_t pipe;
	struct client *next;
	char in[LINE_LEN]; /* received, not yet executed */
	size_t in_len;
	bool reading;	   /* uv_read_start() in force */
	bool busy;	   /* its command's platform calls are out */
	bool eof;	   /* the peer will send nothing more */
	bool ending;	   /* uv_shutdown() pending: flush, then close */
	bool closing;	   /* uv_close() called */
	unsigned int refs; /* the pipe + one per work request */
	uv_shutdown_t shutdown;
};

/*
 * The daemon's state.  Everything here belongs to the loop thread, except
 * nothing: libscmi runs the completion and notification callbacks on this
 * loop too (scmi_config.loop).
 */
static struct {
	uv_loop_t loop;
	uv_pipe_t server;
	uv_signal_t sigterm, sigint;
	struct scmi_handle *h;
	const char *socket_path;
	bool listening;
	struct client *clients;
	unsigned int num_clients;
	unsigned int pending_work;
	atomic_bool stopping;
	int verbose;
	unsigned int num_sensors, num_perf; /* 0 when the platform lacks them */
	char ring[RING_SIZE][200];	    /* event seq is in ring[seq % RING_SIZE] */
	uint64_t next_seq;		    /* of the next event */
} d;

static void logmsg(int verbosity, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logmsg(int verbosity, const char *fmt, ...)
{
	va_list ap;

	if (verbosity > d.verbose)
		return;
	va_start(ap, fmt);
	fputs("scmid: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/*
 * A value of a data line: as is when it is a plain word, else in double
 * quotes with \" \\ and \xHH escapes.  Names come from the platform: a
 * newline in one must not end the line (or fake an `ok`).
 */
static void put_value(FILE *f, const char *s)
{
	bool plain = *s;

	for (const char *p = s; *p && plain; p++)
		plain = (unsigned char)*p > ' ' && *p != '"' && *p != '\\' && *p != '=' &&
			*p != 0x7f;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < ' ' || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* ---- notifications: run on our loop (scmi_config.loop) ------------------- */

/* Formats the fields of one kind of report. */
typedef void (*fmt_fn)(char *buf, size_t size, const void *report);

/* One event the daemon listens to, with its own notifier block (the
 * report's header says which protocol and event it is too; a block per
 * event keeps the formatter at hand). */
struct sub {
	uint8_t proto, evt;
	const char *name;
	fmt_fn fmt;
	struct scmi_notifier_block nb;
};

static void fmt_perf_limits(char *buf, size_t size, const void *report)
{
	const struct scmi_perf_limits_report *r = report;

	snprintf(buf, size, "src=%u agent=%u max=%u min=%u", r->domain_id, r->agent_id,
		 r->range_max, r->range_min);
}

static void fmt_perf_level(char *buf, size_t size, const void *report)
{
	const struct scmi_perf_level_report *r = report;

	snprintf(buf, size, "src=%u agent=%u level=%u freq_hz=%llu", r->domain_id, r->agent_id,
		 r->performance_level, (unsigned long long)r->freq_hz);
}

static void fmt_trip_point(char *buf, size_t size, const void *report)
{
	const struct scmi_sensor_trip_point_report *r = report;

	snprintf(buf, size, "src=%u agent=%u trip=%u dir=%s", r->sensor_id, r->agent_id,
		 r->trip_point_id, r->upward ? "up" : "down");
}

static void fmt_power_state(char *buf, size_t size, const void *report)
{
	const struct scmi_power_state_changed_report *r = report;

	snprintf(buf, size, "src=%u agent=%u state=0x%08x", r->domain_id, r->agent_id,
		 r->power_state);
}

static void fmt_system_power(char *buf, size_t size, const void *report)
{
	const struct scmi_system_power_state_notifier_report *r = report;

	snprintf(buf, size, "src=0 agent=%u state=%s graceful=%d timeout_ms=%u", r->agent_id,
		 scmi_system_state_name(r->system_state), r->graceful, r->timeout_ms);
}

static void fmt_base_error(char *buf, size_t size, const void *report)
{
	const struct scmi_base_error_report *r = report;

	snprintf(buf, size, "src=0 agent=%u fatal=%d reports=%u", r->agent_id, r->fatal,
		 r->cmd_count);
}

static struct sub subs[] = {
	{SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LIMITS_CHANGED, "limits_changed", fmt_perf_limits},
	{SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, "level_changed", fmt_perf_level},
	{SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, "trip_point", fmt_trip_point},
	{SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, "state_changed", fmt_power_state},
	{SCMI_PROTOCOL_SYSTEM, SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, "power_state_notifier",
	 fmt_system_power},
	{SCMI_PROTOCOL_BASE, SCMI_EVENT_BASE_ERROR_EVENT, "error", fmt_base_error},
};

/*
 * A notifier callback.  It runs on our loop's thread (we passed the loop
 * in scmi_config), so it may touch the ring without a lock; like any loop
 * callback it must be short.  It must not call scmi_close(): see shutdown.
 */
static int on_event(struct scmi_notifier_block *nb, unsigned int evt_id, const void *report)
{
	struct sub *s = scmi_container_of(nb, struct sub, nb);
	/* Every report starts with this header: arrival time, source... */
	const struct scmi_event_hdr *hdr = report;
	uint64_t ts = hdr->timestamp, seq = d.next_seq++;
	char fields[128];

	s->fmt(fields, sizeof(fields), report);

	snprintf(d.ring[seq % RING_SIZE], sizeof(d.ring[0]), "t=%llu.%06llu proto=%s event=%s %s",
		 (unsigned long long)(ts / 1000000000u),
		 (unsigned long long)(ts % 1000000000u / 1000u), scmi_protocol_name(s->proto),
		 s->name, fields);
	logmsg(1, "event seq=%llu %s", (unsigned long long)seq, d.ring[seq % RING_SIZE]);
	return SCMI_NOTIFY_OK;
}

/* Listen to every event of subs[] the platform offers, for all sources. */
static void subscribe(void)
{
	unsigned int n = 0;

	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		struct sub *s = &subs[i];
		int ret;

		s->nb.notifier_call = on_event;
		ret = d.h->notify_ops->event_notifier_register(d.h, s->proto, s->evt, NULL, &s->nb);
		if (!ret)
			n++;
		else if (ret == -EOPNOTSUPP) /* platform without it, or no P2A channel */
			logmsg(1, "%s %s: not offered", scmi_protocol_name(s->proto), s->name);
		else
			logmsg(0, "%s %s: cannot listen: %s", scmi_protocol_name(s->proto), s->name,
			       scmi_strerror(ret));
	}
	logmsg(1, "listening to %u of %zu events", n, sizeof(subs) / sizeof(subs[0]));
}

/* ---- replies --------------------------------------------------------------- */

struct wreq {
	uv_write_t req;
	uv_buf_t buf;
	char data[];
};

static void client_close(struct client *c);
static void client_next(struct client *c);

static void write_done(uv_write_t *req, int status)
{
	/* Runs before the close callback of its pipe: the client exists. */
	if (status < 0 && status != UV_ECANCELED)
		client_close(container_of(req->handle, struct client, pipe));
	free(container_of(req, struct wreq, req));
}

static void send_buf(struct client *c, const char *s, size_t len)
{
	struct wreq *w;

	if (c->closing || !len)
		return;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->pipe) > MAX_QUEUED) {
		logmsg(0, "a client reads too slowly: dropped");
		client_close(c);
		return;
	}
	w = malloc(sizeof(*w) + len);
	if (!w) {
		client_close(c);
		return;
	}
	memcpy(w->data, s, len);
	w->buf = uv_buf_init(w->data, (unsigned int)len);
	if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &w->buf, 1, write_done)) {
		free(w);
		client_close(c);
	}
}

static void sendf(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sendf(struct client *c, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		send_buf(c, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* ---- platform calls: non-blocking, from the loop -----------------------------
 *
 * A command that needs the platform issues its libscmi calls from the loop
 * thread under SCMI_ASYNC() (scmi/request.h): each returns at once, and
 * its completion callback runs on this loop (scmi_config.loop) once the
 * reply is decoded.  The loop never waits for the platform, however slow
 * it is; the reply to the client is written when the command's last call
 * has completed.  Calls that only read libscmi's cache (info_get,
 * level_to_freq, the counts) return at once anyway and are made directly.
 */
struct work;

struct item {
	struct scmi_req req[2]; /* sensor: the reading; perf: level, limits */
	struct work *w;
	uint32_t id;
	int err; /* the first failure of its calls */
	int n;	 /* readings */
	struct scmi_sensor_reading r[SCMI_SENSOR_MAX_AXES];
	uint32_t level, max, min;
};

struct work {
	struct client *c;
	bool perf;	   /* else sensors */
	bool one;	   /* a one-item request: its error is the reply */
	unsigned int left; /* calls not yet completed */
	unsigned int count;
	struct item items[];
};

/* The end of a data line whose call failed. */
static void put_error(FILE *f, int err)
{
	fputs(" error=", f);
	put_value(f, scmi_strerror(err));
	fputc('\n', f);
}

static void sensor_line(FILE *f, const struct item *it)
{
	const struct scmi_sensor_info *si;
	char buf[48];

	if (d.h->sensor_ops->info_get(d.h, it->id, &si)) /* cache */
		return;
	fprintf(f, "sensor id=%u name=", it->id);
	put_value(f, si->name);
	if (it->err) {
		put_error(f, it->err);
		return;
	}
	for (int pass = 0; pass < 2; pass++) { /* values, then units */
		fputs(pass ? " unit=" : " value=", f);
		for (int i = 0; i < it->n; i++) {
			const struct scmi_sensor_axis_info *ax =
				(unsigned int)i < si->num_axes ? &si->axes[i] : NULL;

			if (pass)
				put_value(f, scmi_sensor_unit_name(ax ? ax->type : si->type));
			else if (scmi_sensor_format_value(buf, sizeof(buf), it->r[i].value,
							  ax ? ax->scale : si->scale) >= 0)
				fputs(buf, f);
			fputs(i + 1 < it->n ? "," : "", f);
		}
	}
	fputc('\n', f);
}

static void perf_line(FILE *f, const struct item *it)
{
	const struct scmi_perf_domain_info *pi;
	uint64_t hz = 0;

	if (d.h->perf_ops->info_get(d.h, it->id, &pi)) /* cache */
		return;
	fprintf(f, "perf id=%u name=", it->id);
	put_value(f, pi->name);
	if (it->err) {
		put_error(f, it->err);
		return;
	}
	d.h->perf_ops->level_to_freq(d.h, it->id, it->level, &hz); /* cache */
	fprintf(f, " level=%u freq_hz=%llu max=%u min=%u\n", it->level, (unsigned long long)hz,
		it->max, it->min);
}

static void client_put(struct client *c);

/* Every call of @w has completed: reply, then go on with the client. */
static void work_finish(struct work *w)
{
	struct client *c = w->c;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	d.pending_work--;
	if (!c->closing) {
		if (atomic_load(&d.stopping)) {
			sendf(c, "error shutting down\n");
		} else if (w->one && w->items[0].err) {
			sendf(c, "error %s\n", scmi_strerror(w->items[0].err));
		} else if (!(f = open_memstream(&text, &len))) {
			sendf(c, "error out of memory\n");
		} else {
			/* A listing reports failures in its lines. */
			for (unsigned int i = 0; i < w->count; i++)
				(w->perf ? perf_line : sensor_line)(f, &w->items[i]);
			fclose(f);
			send_buf(c, text, len);
			sendf(c, "ok\n");
		}
		c->busy = false;
		client_next(c);
	}
	free(text);
	free(w);
	client_put(c);
}

/* A call of an item completed (on the loop thread). */
static void item_done(struct scmi_req *req)
{
	struct item *it = req->data;
	struct work *w = it->w;

	if (req->status < 0 && !it->err)
		it->err = req->status;
	else if (req->status > 0 && !w->perf)
		it->n = req->status; /* reading_get_timestamped: the readings */
	if (--w->left == 0)
		work_finish(w);
}

/* Issue one call of @it; a refusal counts as its failure. */
static void item_submit(struct item *it, int ret)
{
	if (ret == 0)
		it->w->left++;
	else if (!it->err)
		it->err = ret;
}

static void queue_work(struct client *c, bool perf, long id)
{
	unsigned int n = perf ? d.num_perf : d.num_sensors;
	unsigned int count = id < 0 ? n : 1;
	struct work *w = calloc(1, sizeof(*w) + count * sizeof(w->items[0]));

	if (!w) {
		sendf(c, "error out of memory\n");
		return;
	}
	w->c = c;
	w->perf = perf;
	w->one = id >= 0;
	w->count = count;
	c->busy = true;
	c->refs++;
	d.pending_work++;
	/* Hold the work while submitting: a call completing at once must not
	 * finish it before the last one is issued. */
	w->left = 1;
	for (unsigned int i = 0; i < count; i++) {
		struct item *it = &w->items[i];

		it->w = w;
		it->id = id < 0 ? i : (uint32_t)id;
		it->req[0].data = it->req[1].data = it;
		if (perf) {
			item_submit(it, SCMI_ASYNC(&it->req[0], item_done,
						   d.h->perf_ops->level_get(d.h, it->id,
									  &it->level)));
			item_submit(it, SCMI_ASYNC(&it->req[1], item_done,
						   d.h->perf_ops->limits_get(d.h, it->id, &it->max,
									   &it->min)));
		} else {
			item_submit(it, SCMI_ASYNC(&it->req[0], item_done,
						   d.h->sensor_ops->reading_get_timestamped(
							   d.h, it->id, SCMI_SENSOR_MAX_AXES,
							   it->r)));
		}
	}
	if (--w->left == 0)
		work_finish(w);
}

/* ---- commands ---------------------------------------------------------------- */

static const char help_fmt[] =
	"help sensors [ID]  readings of every sensor, or of sensor ID\n"
	"help perf [ID]     level and limits of every perf domain, or of domain ID\n"
	"help events [N]    the events held (at most %d), or the last N\n"
	"help ping          answers pong\n"
	"help help          this list\n"
	"help quit          ends the connection\n"
	"ok\n";

/* An optional number argument (decimal or 0x hex) below @max; -1 when
 * absent. */
static int parse_id(const char *arg, unsigned long max, long *out)
{
	char *end;
	unsigned long v;

	*out = -1;
	if (!arg)
		return 0;
	errno = 0;
	v = strtoul(arg, &end, arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X') ? 16 : 10);
	if (errno || end == arg || *end || *arg == '-' || v >= max)
		return -1;
	*out = (long)v;
	return 0;
}

static void cmd_events(struct client *c, long n)
{
	uint64_t held = d.next_seq < RING_SIZE ? d.next_seq : RING_SIZE;
	uint64_t from = d.next_seq - (n >= 0 && (uint64_t)n < held ? (uint64_t)n : held);

	for (uint64_t seq = from; seq < d.next_seq; seq++)
		sendf(c, "event seq=%llu %s\n", (unsigned long long)seq, d.ring[seq % RING_SIZE]);
	sendf(c, "ok\n");
}

static void client_end(struct client *c);

static void dispatch(struct client *c, char *line)
{
	char *save, *cmd, *arg;
	bool simple;
	long id;

	for (const char *p = line; *p; p++)
		if (((unsigned char)*p < ' ' && *p != '\t') || *p == 0x7f) {
			sendf(c, "error control character in request\n");
			return;
		}
	cmd = strtok_r(line, " \t", &save);
	arg = cmd ? strtok_r(NULL, " \t", &save) : NULL;
	if (!cmd)
		return; /* empty lines are ignored */
	simple = !strcmp(cmd, "ping") || !strcmp(cmd, "help") || !strcmp(cmd, "quit");
	if ((arg && simple) || (arg && strtok_r(NULL, " \t", &save))) {
		sendf(c, "error too many arguments\n");
	} else if (!strcmp(cmd, "sensors") || !strcmp(cmd, "perf")) {
		bool perf = cmd[0] == 'p';
		unsigned int n = perf ? d.num_perf : d.num_sensors;

		if (parse_id(arg, n, &id))
			sendf(c, "error no %s '%s' (%u %s)\n", perf ? "domain" : "sensor", arg, n,
			      perf ? "domains" : "sensors");
		else if (!n)
			sendf(c, "ok\n"); /* the platform has none: nothing to list */
		else
			queue_work(c, perf, id);
	} else if (!strcmp(cmd, "events")) {
		if (parse_id(arg, (unsigned long)RING_SIZE + 1, &id))
			sendf(c, "error bad count '%s' (0..%d)\n", arg, RING_SIZE);
		else
			cmd_events(c, id);
	} else if (!strcmp(cmd, "ping")) {
		sendf(c, "pong\nok\n");
	} else if (!strcmp(cmd, "help")) {
		sendf(c, help_fmt, RING_SIZE);
	} else if (!strcmp(cmd, "quit")) {
		sendf(c, "ok\n");
		client_end(c);
	} else {
		sendf(c, "error unknown command '%.32s' (try help)\n", cmd);
	}
}

/* ---- clients ------------------------------------------------------------------ */

static void client_put(struct client *c)
{
	if (!--c->refs)
		free(c);
}

static void client_closed(uv_handle_t *handle)
{
	client_put(container_of(handle, struct client, pipe));
}

static void client_close(struct client *c)
{
	struct client **p;

	if (c->closing)
		return;
	c->closing = true;
	for (p = &d.clients; *p != c; p = &(*p)->next)
		;
	*p = c->next;
	d.num_clients--;
	uv_close((uv_handle_t *)&c->pipe, client_closed);
}

static void shutdown_done(uv_shutdown_t *req, int status)
{
	client_close(container_of(req, struct client, shutdown));
}

/* Close once the replies are written. */
static void client_end(struct client *c)
{
	if (c->ending || c->closing)
		return;
	c->ending = true;
	uv_read_stop((uv_stream_t *)&c->pipe);
	c->reading = false;
	if (uv_shutdown(&c->shutdown, (uv_stream_t *)&c->pipe, shutdown_done))
		client_close(c);
}

static void on_alloc(uv_handle_t *handle, size_t hint, uv_buf_t *buf)
{
	struct client *c = container_of(handle, struct client, pipe);

	/* Read straight into the line buffer (never full while reading). */
	*buf = uv_buf_init(c->in + c->in_len, (unsigned int)(sizeof(c->in) - c->in_len));
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct client *c = container_of(stream, struct client, pipe);

	if (nread > 0)
		c->in_len += (size_t)nread;
	else if (nread == UV_EOF)
		c->eof = true; /* answer what came, then close */
	else if (nread < 0) {
		client_close(c);
		return;
	}
	client_next(c);
}

/*
 * Run the client's buffered commands, one at a time: while one has platform
 * calls out, the next waits (and reading stops: the peer's writes then
 * block, its requests cannot pile up here).  Replies come in request order.
 */
static void client_next(struct client *c)
{
	while (!c->busy && !c->ending && !c->closing) {
		char line[LINE_LEN];
		char *nl = memchr(c->in, '\n', c->in_len);
		size_t len;

		if (!nl) {
			if (c->in_len == sizeof(c->in)) {
				sendf(c, "error line too long (at most %d bytes)\n", LINE_LEN - 1);
				client_end(c);
			}
			break;
		}
		len = (size_t)(nl - c->in);
		memcpy(line, c->in, len);
		line[len - (len && line[len - 1] == '\r')] = '\0';
		c->in_len -= len + 1;
		memmove(c->in, nl + 1, c->in_len);
		dispatch(c, line);
	}
	if (c->ending || c->closing)
		return;
	if (c->busy || c->eof) {
		if (c->reading)
			uv_read_stop((uv_stream_t *)&c->pipe);
		c->reading = false;
		if (!c->busy)
			client_end(c);
	} else if (!c->reading) {
		c->reading = !uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
	}
}

static void on_connection(uv_stream_t *server, int status)
{
	struct client *c;

	if (status < 0) {
		logmsg(0, "accept: %s", uv_strerror(status));
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c || uv_pipe_init(&d.loop, &c->pipe, 0)) {
		free(c);
		return;
	}
	c->refs = 1;
	c->next = d.clients;
	d.clients = c;
	d.num_clients++;
	if (uv_accept(server, (uv_stream_t *)&c->pipe)) {
		client_close(c);
		return;
	}
	if (d.num_clients > MAX_CLIENTS) {
		sendf(c, "error too many clients\n");
		client_end(c);
		return;
	}
	client_next(c); /* starts reading */
}

/* ---- the socket ---------------------------------------------------------------- */

/* Whether @path is a socket file nobody listens on: left by a daemon that
 * died, safe to remove.  Anything else (a live daemon's socket, a file that
 * is no socket) is left alone. */
static bool socket_stale(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	bool stale;
	int fd;

	if (lstat(path, &st) || !S_ISSOCK(st.st_mode))
		return false;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	stale = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) && errno == ECONNREFUSED;
	close(fd);
	return stale;
}

static int listen_socket(void)
{
	int ret;

	if (strlen(d.socket_path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(stderr, "scmid: socket path too long: %s\n", d.socket_path);
		return -1;
	}
	uv_pipe_init(&d.loop, &d.server, 0);
	ret = uv_pipe_bind(&d.server, d.socket_path);
	if (ret == UV_EADDRINUSE && socket_stale(d.socket_path)) {
		unlink(d.socket_path);
		ret = uv_pipe_bind(&d.server, d.socket_path);
	}
	if (!ret) {
		ret = uv_listen((uv_stream_t *)&d.server, 8, on_connection);
		if (ret)
			unlink(d.socket_path);
	}
	if (ret) {
		fprintf(stderr, "scmid: cannot listen on %s: %s\n", d.socket_path,
			uv_strerror(ret));
		uv_close((uv_handle_t *)&d.server, NULL);
		return -1;
	}
	d.listening = true;
	logmsg(1, "listening on %s", d.socket_path);
	return 0;
}

/* ---- shutdown -------------------------------------------------------------------
 *
 * scmi_close() must run on the loop's thread (we gave libscmi our loop).
 * Our platform calls are requests, not threads: stop taking commands and
 * close; scmi_close() completes every request still out with -ECANCELED,
 * running item_done() here before it returns, so no callback of ours can
 * come after it.
 *
 * Called from here -- a loop callback of ours, not a libscmi callback --
 * scmi_close() closes completely before it returns: it unregisters our
 * notifiers (blocking: it disables them at the platform; nothing else needs
 * the loop any more) and closes the uv_async_t it added to our loop (the
 * close callback runs on the next loop iteration).  Called from inside a
 * notifier callback it could not wait for itself: it would return at once
 * and finish later, at the end of libscmi's async callback on our loop
 * (docs/DESIGN.md, "A call, and how a handle closes").  We never do that.
 */
static void finish_shutdown(void)
{
	if (d.h) {
		scmi_close(d.h);
		d.h = NULL;
	}
	uv_close((uv_handle_t *)&d.sigterm, NULL);
	uv_close((uv_handle_t *)&d.sigint, NULL);
	/* Nothing is left on the loop once those closes complete: uv_run()
	 * returns and main() closes the loop. */
}

static void on_signal(uv_signal_t *sig, int signum)
{
	if (atomic_exchange(&d.stopping, true))
		return;
	logmsg(1, "%s: shutting down", strsignal(signum));
	if (d.listening) {
		uv_close((uv_handle_t *)&d.server, NULL);
		unlink(d.socket_path);
		d.listening = false;
	}
	while (d.clients)
		client_close(d.clients);
	/* Calls still out complete (cancelled) inside scmi_close(), on this
	 * thread, and their commands' replies go nowhere. */
	finish_shutdown();
}

/* ---- main ------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f, "Usage: scmid [--uri URI] [--socket PATH] [--verbose]...\n"
		   "SCMI management daemon: serves sensor readings, perf levels and the\n"
		   "platform's recent events on a UNIX socket (see scmid(8)).\n\n"
		   "  -u, --uri URI       the platform (default: $SCMI_URI)\n"
		   "  -s, --socket PATH   the status socket (default: " DEFAULT_SOCKET ")\n"
		   "  -v, --verbose       log events and more (twice: libscmi's debug log too)\n"
		   "  -h, --help          this help\n"
		   "  -V, --version       print the version\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"uri", required_argument, NULL, 'u'}, {"socket", required_argument, NULL, 's'},
		{"verbose", no_argument, NULL, 'v'},   {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},   {NULL, 0, NULL, 0},
	};
	struct scmi_config cfg = {.loop = &d.loop};
	const char *uri = NULL;
	int c, ret, status = 0;

	d.socket_path = DEFAULT_SOCKET;
	while ((c = getopt_long(argc, argv, "u:s:vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			uri = optarg;
			break;
		case 's':
			d.socket_path = optarg;
			break;
		case 'v':
			d.verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("scmid %s\n", SCMID_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scmid: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!uri)
		uri = getenv("SCMI_URI");
	if (!uri || !*uri) {
		fprintf(stderr, "scmid: no platform: give --uri URI or set SCMI_URI\n");
		return 2;
	}
	/* A client that hangs up early must not kill us: writes fail instead. */
	signal(SIGPIPE, SIG_IGN);

	uv_loop_init(&d.loop);
	/* Our loop: notifier callbacks run on it.  scmi_open() and
	 * scmi_close() must then be called on its thread. */
	cfg.log_level = d.verbose >= 2 ? SCMI_LOG_DEBUG : SCMI_LOG_DEFAULT;
	ret = scmi_open(uri, &cfg, &d.h);
	if (ret) {
		fprintf(stderr, "scmid: cannot open platform %s: %s\n", uri, scmi_strerror(ret));
		status = 1;
		goto out;
	}
	logmsg(1, "platform %s/%s, SCMI %u.%u", d.h->version->vendor_id,
	       d.h->version->sub_vendor_id, d.h->version->major_ver, d.h->version->minor_ver);

	/* Discovery and subscriptions block too; they run before the loop
	 * does, when nothing else waits for it. */
	if (d.h->sensor_ops && (ret = d.h->sensor_ops->count_get(d.h)) > 0)
		d.num_sensors = (unsigned int)ret;
	if (d.h->perf_ops && (ret = d.h->perf_ops->count_get(d.h)) > 0)
		d.num_perf = (unsigned int)ret;
	subscribe();

	if (listen_socket()) {
		scmi_close(d.h);
		d.h = NULL;
		status = 1;
		goto out;
	}
	uv_signal_init(&d.loop, &d.sigterm);
	uv_signal_init(&d.loop, &d.sigint);
	uv_signal_start(&d.sigterm, on_signal, SIGTERM);
	uv_signal_start(&d.sigint, on_signal, SIGINT);
	logmsg(1, "ready: %u sensors, %u perf domains", d.num_sensors, d.num_perf);

	uv_run(&d.loop, UV_RUN_DEFAULT); /* until on_signal() has closed everything */
out:
	uv_run(&d.loop, UV_RUN_DEFAULT); /* the close callbacks left, if any */
	ret = uv_loop_close(&d.loop);
	if (ret) {
		fprintf(stderr, "scmid: the loop did not close: %s\n", uv_strerror(ret));
		status = 1;
	}
	return status;
}

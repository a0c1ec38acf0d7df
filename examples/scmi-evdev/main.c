// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-evdev: SCMI platform notifications -> input events on a virtual
 * input device (uinput, through libevdev), so that systemd-logind and
 * desktops react to what the platform asks: a shutdown request becomes
 * KEY_POWER, a reboot request KEY_RESTART, a suspend request KEY_SLEEP;
 * sensor trip points, power state and perf limits changes become keys or
 * switches as a configuration file says.  See scmi-evdev(1), README.md.
 *
 * Which events a notification becomes is evmap.c's business (tested
 * without a device); this file subscribes, logs and writes the events.
 * Notifications are delivered on this program's libuv loop
 * (scmi_config.loop), which also handles SIGTERM/SIGINT: one thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>
#include <linux/uinput.h>
#include <uv.h>

#include <scmi/scmi.h>

#include "evmap.h"

#ifndef SCMI_EVDEV_VERSION
#define SCMI_EVDEV_VERSION "unknown"
#endif

#define PROG	   "scmi-evdev"
#define MAX_SUBS   256
#define MAX_ARMS   256
#define EXIT_RUN   1 /* could not set up, or the platform failed */
#define EXIT_USAGE 2 /* bad command line or configuration */

struct daemon;

/* One notification listened to. */
struct listener {
	struct scmi_notifier_block nb; /* first: the callback casts back */
	struct daemon *d;
	struct evmap_sub sub;
	bool registered;
};

struct daemon {
	uv_loop_t loop;
	uv_signal_t sigint, sigterm;
	struct scmi_handle *h;
	struct evmap map;
	struct listener subs[MAX_SUBS];
	size_t num_subs;
	struct evmap_arm arms[MAX_ARMS];
	bool armed[MAX_ARMS];
	size_t num_arms;
	/* Where the events go: a uinput device, or standard output. */
	bool dry_run;
	int uinput_fd;
	struct libevdev *dev;
	struct libevdev_uinput *ui;
	int verbose;
	uint64_t notifications, events;
};

/* ---- logging --------------------------------------------------------------- */

static int log_verbose;

static void logmsg(enum scmi_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void logmsg(enum scmi_log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {"", "error: ", "warning: ", "", "debug: "};
	char msg[1024];
	va_list ap;

	if (level == SCMI_LOG_DEBUG && log_verbose < 1)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One write per line: libscmi's threads log to stderr too. */
	fprintf(stderr, PROG ": %s%s\n", prefix[level], msg);
}

/* libscmi's log lines (any libscmi thread: one fprintf each). */
static void lib_log(void *priv, enum scmi_log_level level, const char *msg)
{
	static const char *const names[] = {"", "error", "warning", "info", "debug"};

	fprintf(stderr, PROG ": libscmi %s: %s\n",
		level >= SCMI_LOG_ERR && level <= SCMI_LOG_DEBUG ? names[level] : "", msg);
}

/* ---- emitting ------------------------------------------------------------- */

static void enable_code(void *arg, uint16_t type, uint16_t code)
{
	libevdev_enable_event_code(arg, type, code, NULL);
}

static const char *uinput_hint(int err)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return "load the uinput module with 'modprobe uinput', or use --dry-run to "
		       "print the events instead";
	case EACCES:
	case EPERM:
	case EROFS:
		return "scmi-evdev needs write access to it: run it as root, or grant it with a "
		       "udev rule";
	default:
		return "--dry-run prints the events instead";
	}
}

/* The virtual device, advertising every code the map may emit. */
static int uinput_open(struct daemon *d, const char *path, const char *name)
{
	int ret;

	d->uinput_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->uinput_fd < 0) {
		ret = errno;
		logmsg(SCMI_LOG_ERR, "cannot open %s: %s (%s)", path, strerror(ret),
		       uinput_hint(ret));
		return -ret;
	}
	d->dev = libevdev_new();
	if (!d->dev) {
		logmsg(SCMI_LOG_ERR, "out of memory");
		return -ENOMEM;
	}
	libevdev_set_name(d->dev, name);
	libevdev_set_id_bustype(d->dev, BUS_VIRTUAL);
	evmap_codes(&d->map, enable_code, d->dev);
	ret = libevdev_uinput_create_from_device(d->dev, d->uinput_fd, &d->ui);
	if (ret < 0) {
		logmsg(SCMI_LOG_ERR, "cannot create an input device through %s: %s (%s)", path,
		       strerror(-ret), uinput_hint(-ret));
		return ret;
	}
	logmsg(SCMI_LOG_INFO, "input device \"%s\" is %s", name,
	       libevdev_uinput_get_devnode(d->ui) ? libevdev_uinput_get_devnode(d->ui)
						  : "(node unknown)");
	return 0;
}

static void uinput_close(struct daemon *d)
{
	if (d->ui)
		libevdev_uinput_destroy(d->ui);
	if (d->dev)
		libevdev_free(d->dev);
	if (d->uinput_fd >= 0)
		close(d->uinput_fd);
	d->ui = NULL;
	d->dev = NULL;
	d->uinput_fd = -1;
}

static void emit(struct daemon *d, const struct evmap_out *out)
{
	char line[96];

	for (unsigned int i = 0; i < out->n; i++) {
		const struct evmap_event *e = &out->ev[i];
		int ret;

		if (d->dry_run) {
			evmap_event_format(e, line, sizeof(line));
			printf("%s\n", line);
			continue;
		}
		ret = libevdev_uinput_write_event(d->ui, e->type, e->code, e->value);
		if (ret < 0) {
			evmap_event_format(e, line, sizeof(line));
			logmsg(SCMI_LOG_ERR, "writing %s: %s", line, strerror(-ret));
		}
	}
	if (d->dry_run)
		fflush(stdout);
	d->events += out->n;
}

/* "KEY_POWER, SW_LID 1" for the log: the non-SYN events of @out's frames
 * that are not releases of a press just before. */
static void describe(const struct evmap_out *out, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < out->n && len < size; i++) {
		const struct evmap_event *e = &out->ev[i];
		const char *code = libevdev_event_code_get_name(e->type, e->code);
		bool release = e->type == EV_KEY && e->value == 0 && i >= 2 &&
			       out->ev[i - 2].type == e->type && out->ev[i - 2].code == e->code &&
			       out->ev[i - 2].value == 1;
		int n;

		if (e->type == EV_SYN || release)
			continue;
		if (e->type == EV_KEY && e->value == 1 && i + 2 < out->n &&
		    out->ev[i + 2].code == e->code && out->ev[i + 2].value == 0)
			n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
				     code ? code : "?");
		else
			n = snprintf(buf + len, size - len, "%s%s %" PRId32, len ? ", " : "",
				     code ? code : "?", e->value);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

/* ---- notifications -------------------------------------------------------- */

static int on_notification(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct listener *l = (struct listener *)nb;
	struct daemon *d = l->d;
	struct evmap_out out;
	char keys[256];

	d->notifications++;
	if (evmap_report(&d->map, l->sub.proto, (uint8_t)evt, report, &out)) {
		logmsg(SCMI_LOG_WARN, "unexpected event %u of protocol 0x%02x", evt, l->sub.proto);
		return SCMI_NOTIFY_DONE;
	}
	if (!out.n) {
		logmsg(SCMI_LOG_INFO, "%s: nothing mapped to it", out.what);
		return SCMI_NOTIFY_OK;
	}
	describe(&out, keys, sizeof(keys));
	if (out.forceful)
		/* The platform acts without waiting for us: say so, and still
		 * let the system react as far as it has time to. */
		logmsg(SCMI_LOG_WARN,
		       "%s: the platform will not wait for this system; emitting %s anyway",
		       out.what, keys);
	else
		logmsg(SCMI_LOG_INFO, "%s -> %s", out.what, keys);
	if (out.truncated)
		logmsg(SCMI_LOG_WARN, "%s: more than %u events, the rest dropped", out.what,
		       EVMAP_MAX_EVENTS);
	emit(d, &out);
	return SCMI_NOTIFY_OK;
}

static const char *sub_name(const struct evmap_sub *s, char *buf, size_t size)
{
	switch (s->proto) {
	case SCMI_PROTOCOL_SYSTEM:
		return "system power state requests";
	case SCMI_PROTOCOL_SENSOR:
		snprintf(buf, size, "trip points of sensor %" PRIu32, s->src);
		break;
	case SCMI_PROTOCOL_POWER:
		snprintf(buf, size, "state changes of power domain %" PRIu32, s->src);
		break;
	case SCMI_PROTOCOL_PERF:
		snprintf(buf, size, "limits changes of perf domain %" PRIu32, s->src);
		break;
	default:
		snprintf(buf, size, "event %u of protocol 0x%02x source %" PRIu32, s->evt, s->proto,
			 s->src);
	}
	return buf;
}

static bool protocol_present(const struct scmi_handle *h, uint8_t proto)
{
	switch (proto) {
	case SCMI_PROTOCOL_SYSTEM:
		return h->system_ops;
	case SCMI_PROTOCOL_SENSOR:
		return h->sensor_ops;
	case SCMI_PROTOCOL_POWER:
		return h->power_ops;
	case SCMI_PROTOCOL_PERF:
		return h->perf_ops;
	}
	return false;
}

/*
 * Listen to everything the map needs.  The built-in System listener may
 * fail (the platform may have no System protocol or notifier: warned); a
 * configuration line that cannot be served is an error.  0 or EXIT_*.
 */
static int subscribe(struct daemon *d)
{
	struct evmap_sub subs[MAX_SUBS];
	size_t n = evmap_subscriptions(&d->map, subs, MAX_SUBS), ok = 0;
	char name[96];
	const char *what;

	if (n > MAX_SUBS) {
		logmsg(SCMI_LOG_ERR, "the configuration names %zu sources; %d at most", n - 1,
		       MAX_SUBS - 1);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < n; i++) {
		struct listener *l = &d->subs[d->num_subs++];
		int ret = -EOPNOTSUPP;

		l->d = d;
		l->sub = subs[i];
		l->nb.notifier_call = on_notification;
		what = sub_name(&l->sub, name, sizeof(name));
		if (protocol_present(d->h, l->sub.proto))
			ret = d->h->notify_ops->event_notifier_register(
				d->h, l->sub.proto, l->sub.evt, &l->sub.src, &l->nb);
		if (ret && !l->sub.line) {
			logmsg(SCMI_LOG_WARN, "cannot listen to %s: %s", what,
			       ret == -EOPNOTSUPP ? "the platform does not offer them"
						  : scmi_strerror(ret));
			continue;
		}
		if (ret) {
			logmsg(SCMI_LOG_ERR, "configuration line %u: cannot listen to %s: %s",
			       l->sub.line, what,
			       protocol_present(d->h, l->sub.proto)
				       ? scmi_strerror(ret)
				       : "the platform does not have that protocol");
			return EXIT_RUN;
		}
		l->registered = true;
		ok++;
		logmsg(SCMI_LOG_DEBUG, "listening to %s", what);
	}
	if (!ok) {
		logmsg(SCMI_LOG_ERR, "nothing to listen to on this platform");
		return EXIT_RUN;
	}
	return 0;
}

static void unsubscribe(struct daemon *d)
{
	for (size_t i = 0; i < d->num_subs; i++) {
		struct listener *l = &d->subs[i];

		if (l->registered)
			d->h->notify_ops->event_notifier_unregister(d->h, l->sub.proto, l->sub.evt,
								    &l->sub.src, &l->nb);
		l->registered = false;
	}
}

/* Arm the trip points the configuration gives a value ("at VALUE"). */
static int arm_trips(struct daemon *d)
{
	d->num_arms = evmap_arms(&d->map, d->arms, MAX_ARMS);
	if (d->num_arms > MAX_ARMS) {
		d->num_arms = 0;
		logmsg(SCMI_LOG_ERR, "the configuration arms more than %d trip points", MAX_ARMS);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < d->num_arms; i++) {
		const struct evmap_arm *a = &d->arms[i];
		int ret = -EOPNOTSUPP;

		if (d->h->sensor_ops)
			ret = d->h->sensor_ops->trip_point_config(d->h, a->sensor, a->trip, a->mode,
								  a->value);
		if (ret) {
			logmsg(SCMI_LOG_ERR,
			       "cannot arm trip point %" PRIu32 " of sensor %" PRIu32 " at %" PRId64
			       ": %s",
			       a->trip, a->sensor, a->value,
			       d->h->sensor_ops ? scmi_strerror(ret)
						: "the platform has no Sensor protocol");
			return EXIT_RUN;
		}
		d->armed[i] = true;
		logmsg(SCMI_LOG_DEBUG,
		       "armed trip point %" PRIu32 " of sensor %" PRIu32 " at %" PRId64, a->trip,
		       a->sensor, a->value);
	}
	return 0;
}

static void disarm_trips(struct daemon *d)
{
	for (size_t i = 0; i < d->num_arms; i++) {
		const struct evmap_arm *a = &d->arms[i];

		if (d->armed[i])
			d->h->sensor_ops->trip_point_config(d->h, a->sensor, a->trip,
							    SCMI_SENSOR_TRIP_DISABLED, 0);
		d->armed[i] = false;
	}
}

/* ---- main ------------------------------------------------------------------- */

static void on_signal(uv_signal_t *s, int signum)
{
	logmsg(SCMI_LOG_DEBUG, "%s: stopping", strsignal(signum));
	uv_stop(s->loop); /* the handle's async keeps the loop alive */
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: " PROG " [OPTIONS]\n"
		   "Turn SCMI platform notifications into input events on a virtual input\n"
		   "device: system shutdown -> KEY_POWER, reboot -> KEY_RESTART, suspend ->\n"
		   "KEY_SLEEP, and what the configuration file maps.\n"
		   "\n"
		   "  -u, --uri URI           the platform (default: $SCMI_URI)\n"
		   "  -c, --config FILE       mapping rules (see scmi-evdev(1))\n"
		   "  -n, --device-name NAME  name of the input device (default: scmi-evdev)\n"
		   "      --uinput PATH       the uinput device (default: /dev/uinput)\n"
		   "  -d, --dry-run           print the events instead of creating a device\n"
		   "  -v, --verbose           more messages (twice: libscmi's debug log)\n"
		   "  -h, --help              this text\n"
		   "  -V, --version           the version\n"
		   "\n"
		   "Configuration lines (# starts a comment):\n"
		   "  system STATE [graceful|forceful] -> ACTION\n"
		   "  sensor ID trip N [up|down|any] [at VALUE] -> ACTION\n"
		   "  power DOMAIN state on|off|any|NUMBER -> ACTION\n"
		   "  perf DOMAIN limits [max|min OP LEVEL] -> ACTION\n"
		   "ACTION: a key (KEY_F13: press and release; KEY_F13 1: press only), a switch\n"
		   "with its value (SW_LID 1), or none.\n"
		   "\n"
		   "Exit status: 0 stopped by SIGTERM/SIGINT, 1 could not set up or run,\n"
		   "2 bad command line or configuration.\n");
}

static int load_config(struct evmap *m, const char *path)
{
	char err[512];
	FILE *f = fopen(path, "re");
	int ret;

	if (!f) {
		logmsg(SCMI_LOG_ERR, "cannot open %s: %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	ret = evmap_parse(m, f, path, err, sizeof(err));
	fclose(f);
	if (ret) {
		logmsg(SCMI_LOG_ERR, "%s", err);
		return EXIT_USAGE;
	}
	return 0;
}

static int run(struct daemon *d, const char *uri)
{
	struct scmi_config cfg = {
		.loop = &d->loop,
		.log_fn = lib_log,
		.log_level = d->verbose >= 2 ? SCMI_LOG_DEBUG
			     : d->verbose    ? SCMI_LOG_INFO
					     : SCMI_LOG_WARN,
	};
	int ret;

	ret = scmi_open(uri, &cfg, &d->h);
	if (ret) {
		logmsg(SCMI_LOG_ERR, "cannot open the platform %s: %s", uri, scmi_strerror(ret));
		return EXIT_RUN;
	}
	logmsg(SCMI_LOG_DEBUG, "platform %s: %s/%s, SCMI %u.%u", uri, d->h->version->vendor_id,
	       d->h->version->sub_vendor_id, d->h->version->major_ver, d->h->version->minor_ver);
	ret = arm_trips(d);
	if (!ret)
		ret = subscribe(d);
	if (!ret) {
		uv_signal_init(&d->loop, &d->sigint);
		uv_signal_init(&d->loop, &d->sigterm);
		uv_signal_start(&d->sigint, on_signal, SIGINT);
		uv_signal_start(&d->sigterm, on_signal, SIGTERM);
		logmsg(SCMI_LOG_INFO, "ready%s", d->dry_run ? " (dry run)" : "");
		uv_run(&d->loop, UV_RUN_DEFAULT);
		uv_close((uv_handle_t *)&d->sigint, NULL);
		uv_close((uv_handle_t *)&d->sigterm, NULL);
		logmsg(SCMI_LOG_DEBUG, "%" PRIu64 " notifications, %" PRIu64 " events",
		       d->notifications, d->events);
	}
	unsubscribe(d);
	disarm_trips(d);
	scmi_close(d->h);
	d->h = NULL;
	return ret;
}

int main(int argc, char **argv)
{
	enum {
		OPT_UINPUT = 0x100
	};
	static const struct option opts[] = {
		{"uri", required_argument, NULL, 'u'},
		{"config", required_argument, NULL, 'c'},
		{"device-name", required_argument, NULL, 'n'},
		{"uinput", required_argument, NULL, OPT_UINPUT},
		{"dry-run", no_argument, NULL, 'd'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	static struct daemon d = {.uinput_fd = -1};
	const char *uri = NULL, *config = NULL, *name = "scmi-evdev", *uinput = "/dev/uinput";
	int c, ret;

	while ((c = getopt_long(argc, argv, "u:c:n:dvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			uri = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case OPT_UINPUT:
			uinput = optarg;
			break;
		case 'd':
			d.dry_run = true;
			break;
		case 'v':
			d.verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(PROG " %s\n", SCMI_EVDEV_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		logmsg(SCMI_LOG_ERR, "unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	log_verbose = d.verbose;
	if (!uri)
		uri = getenv("SCMI_URI");
	if (!uri || !*uri) {
		logmsg(SCMI_LOG_ERR, "no platform given: use --uri URI or set SCMI_URI "
				     "(e.g. uio://uio0?shm=...; see scmi-evdev(1))");
		return EXIT_USAGE;
	}
	if (!*name || strlen(name) >= UINPUT_MAX_NAME_SIZE) {
		logmsg(SCMI_LOG_ERR, "--device-name: 1 to %d characters", UINPUT_MAX_NAME_SIZE - 1);
		return EXIT_USAGE;
	}

	evmap_init(&d.map);
	if (config && (ret = load_config(&d.map, config)))
		goto out;
	/* The device first: nothing is subscribed before events can go out. */
	if (!d.dry_run && uinput_open(&d, uinput, name)) {
		ret = EXIT_RUN;
		goto out;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	uv_loop_init(&d.loop);
	ret = run(&d, uri);
	/* Let the handles closed above (and libscmi's own) finish. */
	uv_run(&d.loop, UV_RUN_DEFAULT);
	uv_loop_close(&d.loop);
out:
	uinput_close(&d);
	evmap_free(&d.map);
	return ret;
}

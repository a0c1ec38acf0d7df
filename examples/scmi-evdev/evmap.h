/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scmi-evdev's mapping: which input events a platform notification becomes.
 *
 * Pure code: it reads the configuration and the notification reports of
 * libscmi (the scmi/protocols headers) and returns (type, code, value) triples; it
 * opens no device and talks to no platform, so it is tested on its own
 * (tests/test_evdev.c).  main.c subscribes, calls it from the notification
 * callbacks and writes what it returns to a uinput device (or prints it
 * with --dry-run).
 *
 * Built in: System power state requests -- shutdown becomes KEY_POWER, a
 * cold or warm reset KEY_RESTART, suspend KEY_SLEEP, graceful or forceful
 * alike (a forceful one is flagged so that the caller logs it).  The
 * configuration (evmap_parse(); format in README.md and scmi-evdev(1)) adds
 * rules for sensor trip points, power state changes and perf limits
 * changes, and may replace the built-in System rules.
 */
#ifndef SCMI_EVDEV_EVMAP_H
#define SCMI_EVDEV_EVMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <scmi/protocols/perf.h>
#include <scmi/protocols/power.h>
#include <scmi/protocols/sensor.h>
#include <scmi/protocols/system.h>

/* What a rule listens to. */
enum evmap_kind {
	EVMAP_SYSTEM,	   /* System power state notifier */
	EVMAP_SENSOR_TRIP, /* Sensor trip point event */
	EVMAP_POWER_STATE, /* Power state changed */
	EVMAP_PERF_LIMITS, /* Perf limits changed */
};

/* Trip crossing directions, as bits (the values of enum
 * scmi_sensor_trip_mode: up 1, down 2, both 3). */
#define EVMAP_DIR_UP   1u
#define EVMAP_DIR_DOWN 2u
#define EVMAP_DIR_ANY  (EVMAP_DIR_UP | EVMAP_DIR_DOWN)

/* Which System requests a rule matches. */
enum evmap_graceful {
	EVMAP_EITHER = 0,
	EVMAP_GRACEFUL_ONLY,
	EVMAP_FORCEFUL_ONLY,
};

enum evmap_op {
	EVMAP_OP_NONE = 0, /* no condition */
	EVMAP_OP_LT,
	EVMAP_OP_LE,
	EVMAP_OP_GT,
	EVMAP_OP_GE,
	EVMAP_OP_EQ,
	EVMAP_OP_NE,
};

/* What a rule emits. */
struct evmap_action {
	bool none;	/* "-> none": nothing (silences a built-in rule) */
	uint16_t type;	/* EV_KEY or EV_SW */
	uint16_t code;	/* KEY_*, BTN_*, SW_* */
	bool has_value; /* else a key press and release */
	int32_t value;
};

struct evmap_rule {
	unsigned int line; /* in the configuration; 0: built in */
	enum evmap_kind kind;
	uint32_t id; /* sensor or domain id (System: unused) */
	union {
		struct {
			uint32_t states; /* bits 0..4: enum scmi_system_state */
			bool has_other;	 /* and a number outside 0..4 (vendor...) */
			uint32_t other;	 /* that number */
			enum evmap_graceful graceful;
		} sys;
		struct {
			uint32_t trip;
			unsigned int dir; /* EVMAP_DIR_* */
			bool arm;	  /* "at VALUE": the daemon arms the trip point */
			int64_t at;
		} sensor;
		struct {
			bool any;
			uint32_t state;
		} power;
		struct {
			bool use_min; /* the condition is on range_min, else range_max */
			enum evmap_op op;
			uint32_t level;
		} perf;
	};
	struct evmap_action act;
};

struct evmap {
	struct evmap_rule *rules; /* configuration rules, in file order */
	size_t n, cap;
};

/* A trip point the configuration asks the daemon to arm. */
struct evmap_arm {
	uint32_t sensor, trip;
	unsigned int mode; /* enum scmi_sensor_trip_mode (EVMAP_DIR_* bits) */
	int64_t value;
};

/* Events for one notification: frames each ended by EV_SYN/SYN_REPORT. */
#define EVMAP_MAX_EVENTS 64
struct evmap_event {
	uint16_t type, code;
	int32_t value;
};
struct evmap_out {
	struct evmap_event ev[EVMAP_MAX_EVENTS];
	unsigned int n;
	bool forceful;	/* a forceful System request (log it) */
	bool truncated; /* more events than EVMAP_MAX_EVENTS: the rest dropped */
	char what[160]; /* the notification in words, for the log */
};

void evmap_init(struct evmap *m);
void evmap_free(struct evmap *m);

/*
 * Parse one configuration line (comments and blank lines are accepted and
 * add nothing).  On error returns -EINVAL (-ENOMEM) and a message in @err,
 * without the line number.
 */
int evmap_parse_line(struct evmap *m, const char *line, unsigned int lineno, char *err,
		     size_t err_size);
/*
 * Parse a whole configuration from @f; @name (the file name) prefixes
 * messages: "NAME:LINE: message".  Stops at the first error.  0, -EINVAL,
 * -ENOMEM, -EIO (read error).
 */
int evmap_parse(struct evmap *m, FILE *f, const char *name, char *err, size_t err_size);

/* The events for a notification: 0 and @out filled (possibly with no
 * event: nothing maps to it), -EINVAL for an event the map does not know. */
int evmap_system(const struct evmap *m, const struct scmi_system_power_state_notifier_report *r,
		 struct evmap_out *out);
int evmap_sensor_trip(const struct evmap *m, const struct scmi_sensor_trip_point_report *r,
		      struct evmap_out *out);
int evmap_power_state(const struct evmap *m, const struct scmi_power_state_changed_report *r,
		      struct evmap_out *out);
int evmap_perf_limits(const struct evmap *m, const struct scmi_perf_limits_report *r,
		      struct evmap_out *out);
/* The same by (protocol, event id), as a notifier callback gets them. */
int evmap_report(const struct evmap *m, uint8_t proto, uint8_t evt, const void *report,
		 struct evmap_out *out);

/* Every (type, code) the map may emit (the built-in keys included), for
 * the device to advertise; duplicates possible. */
void evmap_codes(const struct evmap *m, void (*fn)(void *arg, uint16_t type, uint16_t code),
		 void *arg);

/* The notifications the map needs, as (protocol, event id, source id):
 * System first, then one per distinct source in rule order.  Returns how
 * many there are; at most @max are written. */
struct evmap_sub {
	uint8_t proto, evt;
	uint32_t src;
	unsigned int line; /* first rule asking for it (0: built in) */
};
size_t evmap_subscriptions(const struct evmap *m, struct evmap_sub *subs, size_t max);

/* The trip points to arm, one per (sensor, trip) that a rule arms ("at
 * VALUE"), for the directions of every rule of that trip point.
 * Returns how many were written, or @max + 1 if there are more than @max
 * (then the directions of those written may be incomplete). */
size_t evmap_arms(const struct evmap *m, struct evmap_arm *arms, size_t max);

/* "EV_KEY KEY_POWER 1": an event as --dry-run prints it. */
void evmap_event_format(const struct evmap_event *e, char *buf, size_t size);

#endif

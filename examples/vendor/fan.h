/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "fan": an example vendor protocol (docs/VENDOR.md), the agent side.
 *
 * A fan controller at protocol id 0x90 of platforms reporting vendor
 * "Acme" and an implementation version 1.x (0x10000..0x1ffff).  The
 * simulator serves it with loopback://?vendor_example=1&vendor=Acme
 * (sim/vendor_example.c).
 *
 *	fan_register();                    // before scmi_open()
 *	scmi_open(uri, NULL, &h);
 *	const struct fan_ops *fan = scmi_vendor_ops(h, FAN_PROTOCOL_ID);
 *	if (fan)
 *		fan->speed_set(h, 0, 1200);
 *
 * Every op may be called blocking or under SCMI_ASYNC() (scmi/request.h).
 */
#ifndef SCMI_EXAMPLE_FAN_H
#define SCMI_EXAMPLE_FAN_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/scmi.h>

#define FAN_PROTOCOL_ID 0x90
/** Longest name, NUL included (FAN_NAME_GET's field). */
#define FAN_NAME_MAX 64
/** Fans this implementation keeps. */
#define FAN_MAX_FANS 64

/** Events (h->notify_ops, proto FAN_PROTOCOL_ID, source = fan id). */
enum fan_event {
	FAN_EVENT_SPEED_CHANGED = 0x0, /* struct fan_speed_report */
};

/** One fan, as discovered when the protocol came up. */
struct fan_info {
	uint32_t id;
	char name[FAN_NAME_MAX];
	uint32_t max_rpm;
	bool async;	  /* speed_set_wait() uses the delayed response */
	bool notify;	  /* FAN_EVENT_SPEED_CHANGED can be enabled */
	bool fastchannel; /* speed_get() reads a fastchannel, no message */
	bool usable;	  /* false: not described by the platform (ops -EPROTO) */
};

/** FAN_EVENT_SPEED_CHANGED. */
struct fan_speed_report {
	struct scmi_event_hdr hdr;
	uint32_t agent_id; /* the agent that caused the change */
	uint32_t fan_id;
	uint32_t rpm;
};

struct fan_ops {
	/** Number of fans (ids 0..n-1), or a negative errno. */
	int (*count_get)(const struct scmi_handle *h);
	/** One fan's cached description (valid until scmi_close()). */
	int (*info_get)(const struct scmi_handle *h, uint32_t fan, const struct fan_info **info);
	/** Current speed. */
	int (*speed_get)(const struct scmi_handle *h, uint32_t fan, uint32_t *rpm);
	/** Set the speed (0..max_rpm; -EINVAL above, nothing sent). */
	int (*speed_set)(const struct scmi_handle *h, uint32_t fan, uint32_t rpm);
	/**
	 * Set the speed and wait until the fan reached it: the asynchronous
	 * command, completed by the platform's delayed response, on fans
	 * that have it (and transports with a P2A channel); the synchronous
	 * one otherwise.  *@actual gets the speed reached.
	 */
	int (*speed_set_wait)(const struct scmi_handle *h, uint32_t fan, uint32_t rpm,
			      uint32_t *actual);
	/**
	 * The fan's preset speeds (a multi-part walk at call time): at most
	 * @room into @levels.  Returns the number listed, -ENOSPC when they
	 * do not fit.  Under SCMI_ASYNC(), @levels must stay valid until the
	 * callback.
	 */
	int (*levels_get)(const struct scmi_handle *h, uint32_t fan, uint32_t *levels,
			  unsigned int room);
};

/** The implementation (for scmi_vendor_protocol_register()). */
extern const struct scmi_vendor_protocol fan_protocol;

/** Register / unregister fan_protocol. */
int fan_register(void);
int fan_unregister(void);

#endif

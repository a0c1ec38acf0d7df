/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The notification core, protocol side (internal).  See docs/DESIGN.md,
 * "Notifications".
 *
 * A protocol registers its events once, from its init(), after it knows
 * how many sources (domains) it has:
 *
 *	static const struct scmi_event perf_events[] = {
 *		{ .id = SCMI_EVENT_PERF_LIMITS_CHANGED, .max_payld_sz = 16,
 *		  .max_report_sz = sizeof(struct scmi_perf_limits_report) },
 *		...
 *	};
 *	static const struct scmi_protocol_events perf_proto_events = {
 *		.ops = &perf_event_ops, .evts = perf_events,
 *		.num_events = ARRAY_SIZE(perf_events),
 *	};
 *	ret = scmi_notify_protocol_register(ph, &perf_proto_events, num_domains);
 *
 * From then on the core owns the protocol's event queue and handler table:
 * it calls set_notify_enabled() when the first listener of a source
 * arrives and when the last one leaves, and fill_report() on the delivery
 * thread for each queued event.  Every report struct starts with a struct
 * scmi_event_hdr (scmi/notify.h), which the core fills.
 */
#ifndef SCMI_LIB_NOTIFY_H
#define SCMI_LIB_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/notify.h>

#include "common.h"

struct scmi_protocol_handle;

/** One event a protocol can emit. */
struct scmi_event {
	uint8_t id;
	/** Largest payload the platform may send for it (bytes). */
	size_t max_payld_sz;
	/** Size of the report struct fill_report() builds (bytes); at least
	 *  sizeof(struct scmi_event_hdr), its first member. */
	size_t max_report_sz;
};

struct scmi_event_ops {
	/**
	 * Send the protocol's *_NOTIFY command enabling or disabling event
	 * @evt_id for source @src_id.  Called from the (un)registering
	 * thread, never from the RX thread.  0 or negative errno.
	 */
	int (*set_notify_enabled)(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				  uint32_t src_id, bool enable);
	/**
	 * Build the report of event @evt_id from @payld (@payld_sz bytes,
	 * untrusted: check the size and every id before use) into @report
	 * (max_report_sz bytes, zeroed) past its struct scmi_event_hdr, and
	 * set *@src_id.  The core fills the header afterwards (handle,
	 * protocol, event, *@src_id, arrival time): leave it alone.  Return
	 * -EPROTO (or another errno) for a malformed payload: the event is
	 * dropped and counted.  Delivery thread.
	 */
	int (*fill_report)(const struct scmi_protocol_handle *ph, uint8_t evt_id, const void *payld,
			   size_t payld_sz, void *report, uint32_t *src_id);
};

/** What a protocol registers. */
struct scmi_protocol_events {
	const struct scmi_event_ops *ops;
	const struct scmi_event *evts;
	unsigned int num_events;
};

/**
 * Register @ph's events with @num_sources sources (ids 0..num_sources-1;
 * use 1 for protocols whose events have no source).  Binds the pending
 * handlers of this protocol (enabling them at the platform) and purges the
 * invalid ones.  Call once, from the protocol's init().  0 or errno.
 */
int scmi_notify_protocol_register(const struct scmi_protocol_handle *ph,
				  const struct scmi_protocol_events *ee, unsigned int num_sources);

/**
 * Does the calling thread deliver protocol @proto_id's notifications (its
 * delivery thread, or the caller's loop thread when scmi_config.loop is
 * set)?  Waiting there for one of its notifications could never end:
 * protocols that wait for an event refuse with -EDEADLK instead.
 */
bool scmi_notify_delivers_protocol(const struct scmi_instance *inst, uint8_t proto_id);
/** scmi_dispatch(): deliver up to @budget queued events per protocol on
 *  the calling thread; returns how many, *@more when some remain. */
unsigned int scmi_notify_dispatch(struct scmi_instance *inst, unsigned int budget, bool *more);

/* ---- core-internal ----------------------------------------------------------- */

extern const struct scmi_notify_ops scmi_notify_ops;

int scmi_notify_instance_init(struct scmi_instance *inst);
/** Unregister every notifier (disabling at the platform) and stop the
 *  delivery workers.  Commands still work afterwards. */
void scmi_notify_instance_shutdown(struct scmi_instance *inst);
void scmi_notify_instance_free(struct scmi_instance *inst);
/** scmi_close() must finish on the caller's loop (config.loop): have it
 *  finish there (scmi_close_finish()) and return true; false otherwise. */
bool scmi_notify_defer_close(struct scmi_instance *inst);
/** RX thread: a notification arrived. */
void scmi_notify_rx(struct scmi_instance *inst, uint32_t hdr, void *msg);

#endif

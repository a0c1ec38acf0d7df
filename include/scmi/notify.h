/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Platform notifications: notifier blocks and notify_ops.
 *
 * Embed the notifier block in your own struct and get that struct back
 * with scmi_container_of(); every report starts with a struct
 * scmi_event_hdr, so one callback can serve events of several protocols:
 *
 * @code
 *	struct my_listener {
 *		struct scmi_notifier_block nb;
 *		unsigned int count;
 *	};
 *
 *	static int on_event(struct scmi_notifier_block *nb, unsigned int evt,
 *			    const void *report)
 *	{
 *		struct my_listener *me = scmi_container_of(nb, struct my_listener, nb);
 *		const struct scmi_event_hdr *hdr = report;
 *
 *		me->count++;
 *		if (hdr->proto_id == SCMI_PROTOCOL_PERF &&
 *		    evt == SCMI_EVENT_PERF_LIMITS_CHANGED) {
 *			const struct scmi_perf_limits_report *r = report;
 *			printf("domain %u: %u..%u\n", r->domain_id, r->range_min,
 *			       r->range_max);
 *		} else if (hdr->proto_id == SCMI_PROTOCOL_CLOCK &&
 *			   evt == SCMI_EVENT_CLOCK_RATE_CHANGED) {
 *			const struct scmi_clock_rate_notif_report *r = report;
 *			printf("clock %u: %llu Hz\n", r->clock_id,
 *			       (unsigned long long)r->rate);
 *		}
 *		return SCMI_NOTIFY_OK;
 *	}
 *
 *	static struct my_listener me = { .nb.notifier_call = on_event };
 *	uint32_t dom = 0;
 *	h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_PERF,
 *		SCMI_EVENT_PERF_LIMITS_CHANGED, &dom, &me.nb);
 *	h->notify_ops->event_notifier_register(h, SCMI_PROTOCOL_CLOCK,
 *		SCMI_EVENT_CLOCK_RATE_CHANGED, NULL, &me.nb);
 * @endcode
 *
 * An event is identified by (protocol, event id, source id); the source is
 * the domain, clock, sensor... it concerns (0 for Base and System events).
 * Event ids are per protocol (Perf's 0x0 and Clock's 0x0 are different
 * events): tell them apart by hdr->proto_id.  Report structs and event ids
 * live in each protocol's header, which says beside each event id which
 * report struct it delivers.
 *
 * - The platform sends an event only while someone listens: the first
 *   listener of a source makes libscmi send the protocol's *_NOTIFY
 *   (enable) command for it, the last one to leave sends NOTIFY (disable).
 *   A listener for every source (src_id == NULL) holds a reference on each.
 * - A registration for a protocol the platform lists but whose agent side
 *   is not up yet (e.g. a vendor protocol whose implementation registers
 *   later, or one whose bring-up failed and will be retried) is kept
 *   pending and bound when the protocol comes up; one that turns out
 *   invalid then is dropped with a warning.  A protocol the platform did
 *   not list at scmi_open() can have no notifications: -EOPNOTSUPP;
 *   neither can a handle whose transport has no P2A channel.
 * - Callbacks run on a delivery thread of the protocol (one per protocol,
 *   events of a protocol in arrival order), or on the caller's libuv loop
 *   when scmi_config.loop is set -- never on libscmi's receive thread.
 *   They may send commands, and register or unregister notifiers
 *   (themselves included).  A callback may run before the registration
 *   that makes it listen has returned: the listener is in place before
 *   the platform is asked to send the event.
 * - For one event, the chain of listeners of all sources runs first, then
 *   the chain of the event's own source; within a chain, higher priority
 *   first, equal priorities in registration order; SCMI_NOTIFY_STOP ends
 *   that chain.
 */
#ifndef SCMI_NOTIFY_H
#define SCMI_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include <scmi/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @def scmi_container_of(ptr, type, member)
 * The struct of type @p type whose member @p member is at @p ptr: from the
 * notifier block a callback gets back to the struct it is embedded in (the
 * user's context).  With GCC and Clang, @p ptr must point to the member's
 * type (checked at compile time).
 *
 * @param ptr pointer to the member.
 * @param type the embedding struct's type.
 * @param member the member's name in @p type.
 * @return a pointer to the embedding struct.
 */
#if defined(__GNUC__) && !defined(__cplusplus)
#define scmi_container_of(ptr, type, member)                                       \
	__extension__({                                                            \
		const __typeof__(((type *)0)->member) *scmi_cof_mptr_ = (ptr);     \
		(type *)(void *)((char *)scmi_cof_mptr_ - offsetof(type, member)); \
	})
#else
#define scmi_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))
#endif

/**
 * The first member of every notification report, whatever the protocol
 * and event: a callback may always read `(const struct scmi_event_hdr
 * *)report`, then cast the report to the struct its protocol's header names
 * for (proto_id, evt_id).  Filled by libscmi, not by the platform; read-only
 * like the rest of the report.
 */
struct scmi_event_hdr {
	const struct scmi_handle *handle; /**< the handle the event arrived on */
	uint8_t proto_id;		  /**< protocol (SCMI_PROTOCOL_*) */
	uint8_t evt_id;			  /**< event id within that protocol */
	uint32_t src_id;    /**< source: domain, clock, sensor... id (0: Base, System) */
	uint64_t timestamp; /**< arrival, CLOCK_MONOTONIC ns (taken on receipt) */
};

/** Return codes of notifier_call. */
enum scmi_notify_ret {
	SCMI_NOTIFY_DONE = 0, /**< not interested */
	SCMI_NOTIFY_OK = 1,   /**< handled */
	SCMI_NOTIFY_STOP = 2, /**< handled; skip the rest of this chain */
};

/**
 * A listener.  The same block may be registered for several events, of
 * several protocols and on several handles (the report's header says
 * which); it must stay valid until unregistered (or until scmi_close()).
 * Embed it in a struct of your own to give the callback its context.
 */
struct scmi_notifier_block {
	/**
	 * The callback.  Runs on the protocol's delivery thread, or on the
	 * caller's loop when scmi_config.loop is set (see the file's
	 * description).
	 *
	 * @param nb the block registered (scmi_container_of() gives the
	 *	struct embedding it).
	 * @param evt_id the event's id, the same as
	 *	((const struct scmi_event_hdr *)report)->evt_id -- unique within
	 *	its protocol only.
	 * @param report its report struct, which starts with a struct
	 *	scmi_event_hdr (handle, protocol, event, source, arrival time)
	 *	followed by the protocol's fields (see the protocol's header).
	 *	Valid only during the call and read-only: changes made to it,
	 *	header included, are undone before the next listener runs (and
	 *	counted as "tampered").
	 * @return an enum scmi_notify_ret.
	 */
	int (*notifier_call)(struct scmi_notifier_block *nb, unsigned int evt_id,
			     const void *report);
	/** Higher runs first (read at registration). */
	int priority;
};

/**
 * Notifier registration, reachable as handle->notify_ops.  Both ops may be
 * called from any thread, including from notification callbacks.
 */
struct scmi_notify_ops {
	/**
	 * Listen to event @p evt_id of protocol @p proto_id from source *@p src_id,
	 * or from every source if @p src_id is NULL.
	 *
	 * Returns 0 (also when kept pending because the protocol is not up),
	 * -EINVAL for a protocol id below 0x10, an event id or source the
	 * protocol does not have, a protocol that is up but has no events
	 * (e.g. Voltage), or a NULL @p nb / callback, -EOPNOTSUPP for a
	 * protocol the platform does not list or a transport without a P2A
	 * channel (no notification could arrive), -EEXIST if @p nb already listens
	 * to exactly this (pending or not), -ESHUTDOWN while the handle
	 * closes, or the error of the platform's NOTIFY command (then nothing
	 * stays registered).  For @p src_id NULL it succeeds if at least one
	 * source could be enabled.
	 *
	 * @param h the handle.
	 * @param proto_id the protocol id.
	 * @param evt_id the event id (SCMI_EVENT_* of the protocol's header).
	 * @param src_id the source (domain, clock, sensor... id), or NULL for
	 *	every source.
	 * @param nb the listener; the caller owns it and keeps it valid until it
	 *	is unregistered (or scmi_close() returned).
	 * @return 0 or a negative errno (above).
	 */
	int (*event_notifier_register)(const struct scmi_handle *h, uint8_t proto_id,
				       uint8_t evt_id, const uint32_t *src_id,
				       struct scmi_notifier_block *nb);
	/**
	 * Stop listening (same arguments as the registration), pending or
	 * not -- also while its protocol is coming up.  After it returns 0
	 * the callback is not called again for this registration; if it was
	 * running on another thread, this waits for it to return -- except
	 * when called from a callback of the same handle, where waiting could
	 * deadlock.  -ENOENT if not registered, -EINVAL for a protocol id
	 * below 0x10, -ESHUTDOWN while the handle closes (scmi_close()
	 * removes every registration; @p nb may be freed once it returned).
	 *
	 * @param h the handle.
	 * @param proto_id the protocol id.
	 * @param evt_id the event id (SCMI_EVENT_* of the protocol's header).
	 * @param src_id the source (domain, clock, sensor... id), or NULL for
	 *	every source.
	 * @param nb the listener registered; the caller may free it once this
	 *	returned 0.
	 * @return 0 or a negative errno (above).
	 */
	int (*event_notifier_unregister)(const struct scmi_handle *h, uint8_t proto_id,
					 uint8_t evt_id, const uint32_t *src_id,
					 struct scmi_notifier_block *nb);
};

/** Counters of one protocol's events (monotonic since scmi_open()). */
struct scmi_event_stats {
	uint64_t received;	     /**< notifications that arrived */
	uint64_t delivered;	     /**< events passed to at least one callback */
	uint64_t dropped_queue_full; /**< queue full on arrival (newest dropped) */
	uint64_t dropped_no_handler; /**< nobody listening to that source */
	uint64_t dropped_malformed;  /**< bad length, unknown event or source */
	uint64_t tampered;	     /**< callbacks that wrote to a report */
	uint32_t queue_depth;	     /**< configured depth */
	uint32_t queue_high_water;   /**< deepest fill seen */
};

/**
 * Counters of protocol @p proto_id's events.  Thread-safe; any thread.
 *
 * @param h the handle.
 * @param proto_id the protocol.
 * @param[out] st receives the counters.
 * @return 0, -EINVAL (NULL argument), or -ENOENT if the protocol has not
 *	registered events (not up yet, or without notifications).
 */
SCMI_EXPORT int scmi_event_stats_get(const struct scmi_handle *h, uint8_t proto_id,
				     struct scmi_event_stats *st);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_NOTIFY_H */

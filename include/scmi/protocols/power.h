/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Power domain management protocol (0x11): domains, their power states,
 * state-change notifications.
 *
 *	const struct scmi_power_domain_info *d;
 *	uint32_t state;
 *
 *	if (!h->power_ops)
 *		return -EOPNOTSUPP;		// platform lacks the protocol
 *	h->power_ops->info_get(h, 2, &d);
 *	h->power_ops->state_set(h, 2, SCMI_POWER_STATE_OFF);
 *	h->power_ops->state_get(h, 2, &state);
 *
 * Reachable as handle->power_ops (NULL when the platform does not list the
 * protocol).  The protocol is discovered on first use: PROTOCOL_ATTRIBUTES,
 * every domain's attributes and, from version 3.0, the extended names.
 * That discovery is cached for the life of the handle and never repeated.
 * A domain whose attributes the platform refuses (e.g. DENIED to an agent
 * that lost the domain's device) or answers malformed is disabled, not the
 * protocol (scmi_power_domain_info.usable); a platform that does not
 * answer at all fails the bring-up, which the next call retries.  An
 * extended name that cannot be read leaves the short name.
 *
 * Versions: libscmi speaks up to 3.1 and adapts to older platforms (1.0:
 * no extended names and no change-requested notification; 2.x: the
 * change-requested notification where the platform implements it; 3.x:
 * extended names).
 *
 * Thread-safety: every op may be called from any thread, including
 * notification callbacks (with the exception noted for the waits of
 * state_set()).  Pointers handed out point into the handle's cache and
 * stay valid and unchanged until scmi_close().
 *
 * Non-blocking calls (every op, under SCMI_ASYNC(), scmi/request.h):
 * count_get(), protocol_info_get(), info_get() and name_get() answer from
 * the cache without the platform (their outputs are written before
 * SCMI_ASYNC() returns; the callback still runs, once).  state_get()
 * writes *state when its callback runs: @c state must stay valid until
 * then.  state_set() and state_set_async() complete when the platform
 * answers POWER_STATE_SET; see state_set() for what that means on a
 * domain that changes state asynchronously only.
 */
#ifndef SCMI_PROTOCOLS_POWER_H
#define SCMI_PROTOCOLS_POWER_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/notify.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- power_state encoding (spec §6.2) ------------------------------------ */

/**
 * A power state is one u32: b30 = type (0: the state keeps the domain's
 * context, 1: the context is lost), b[27:0] = state id, every other bit
 * reserved (must be 0).  State ids other than the generic ON and OFF are
 * platform-defined.
 */
#define SCMI_POWER_STATE_LOSES_CONTEXT (1u << 30)
/** The state id bits (b[27:0]) of a power state. */
#define SCMI_POWER_STATE_ID_MASK 0x0fffffffu
/** The reserved bits of a power state (must be 0). */
#define SCMI_POWER_STATE_RESERVED_MASK \
	(~(SCMI_POWER_STATE_LOSES_CONTEXT | SCMI_POWER_STATE_ID_MASK))

/** Build a power state from "loses context" and a state id (b[27:0]). */
#define SCMI_POWER_STATE(loses_context, id)                        \
	(((loses_context) ? SCMI_POWER_STATE_LOSES_CONTEXT : 0u) | \
	 ((uint32_t)(id)&SCMI_POWER_STATE_ID_MASK))
/** State id of a power state. */
#define SCMI_POWER_STATE_ID_OF(state) ((uint32_t)(state)&SCMI_POWER_STATE_ID_MASK)
/** Whether a power state loses the domain's context. */
#define SCMI_POWER_STATE_IS_CONTEXT_LOSS(state) \
	(((uint32_t)(state)&SCMI_POWER_STATE_LOSES_CONTEXT) != 0)
/** Whether a power state has no reserved bit set (else -EINVAL locally). */
#define SCMI_POWER_STATE_IS_VALID(state) (((uint32_t)(state)&SCMI_POWER_STATE_RESERVED_MASK) == 0)

/** The generic states every domain understands. */
#define SCMI_POWER_STATE_ON  SCMI_POWER_STATE(0, 0) /**< 0x00000000 */
#define SCMI_POWER_STATE_OFF SCMI_POWER_STATE(1, 0) /**< 0x40000000 */

/* ---- discovered data ----------------------------------------------------- */

/** What PROTOCOL_ATTRIBUTES (and the bring-up) reported. */
struct scmi_power_info {
	uint32_t version;	   /**< version in use (negotiated) */
	uint32_t platform_version; /**< what PROTOCOL_VERSION said */
	unsigned int num_domains;  /**< power domains (ids 0..n-1) */
	/**
	 * Power statistics shared-memory region: its physical address and
	 * length in bytes, as the platform advertises them (stats_len 0:
	 * no statistics; the address is then meaningless).  Information
	 * only: libscmi neither maps nor parses the region.
	 */
	uint64_t stats_addr;
	uint32_t stats_len; /**< length of the region at stats_addr (0: none) */
	/**
	 * POWER_STATE_CHANGE_REQUESTED can be enabled: only with a 2.x
	 * platform that implements POWER_STATE_CHANGE_REQUESTED_NOTIFY (see
	 * SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED).
	 */
	bool change_requested_notify;
};

/** One power domain, from POWER_DOMAIN_ATTRIBUTES (+ NAME_GET). */
struct scmi_power_domain_info {
	uint32_t id; /**< domain id */
	/**
	 * false: libscmi has no description of this domain and disabled it
	 * (see @p err; a warning in the log says so): the name is empty and no
	 * flag is set, every op on it but info_get() and name_get()
	 * returns -EPROTO without sending anything, its notifications cannot
	 * be enabled (-EPROTO) and events naming it are dropped.  The other
	 * domains are not affected, and the domain stays disabled until
	 * scmi_close().
	 */
	bool usable;
	/**
	 * 0 when usable; else why POWER_DOMAIN_ATTRIBUTES failed: the errno
	 * of the platform's refusal (-EACCES for DENIED, e.g. when this agent
	 * lost the domain's device; -ENOENT for NOT_FOUND ...), or -EPROTO for
	 * a malformed reply.  As scmi_clock_info.attributes_err.
	 */
	int err;
	/** NUL-terminated; the extended name (up to 63 characters) where the
	 *  platform has one, else the short one (up to 15). */
	char name[SCMI_MAX_STR_SIZE];
	/** b31, and the platform implements POWER_STATE_NOTIFY:
	 *  POWER_STATE_CHANGED can be enabled for this domain. */
	bool state_change_notify;
	bool state_set_async; /**< b30: asynchronous POWER_STATE_SET */
	bool state_set_sync;  /**< b29: synchronous POWER_STATE_SET */
	bool extended_name;   /**< b27 (version >= 3.0): name came from NAME_GET */
	uint32_t attributes;  /**< the raw attributes word */
};

/* ---- operations ------------------------------------------------------------- */

/**
 * Power domain protocol operations, reachable as handle->power_ops (NULL
 * when the platform lacks the protocol).  Every op may be called from any
 * thread, including notification callbacks, and returns 0 or a negative
 * errno; returned pointers point into the handle's cache and stay valid
 * until scmi_close().
 */
struct scmi_power_ops {
	/**
	 * Number of power domains (ids 0..n-1), or a negative errno if the
	 * protocol could not be brought up.
	 *
	 * @param h the handle.
	 * @return the number of domains, or a negative errno (the bring-up
	 *	failed).
	 */
	int (*count_get)(const struct scmi_handle *h);
	/**
	 * Protocol-wide information (versions, domain count, statistics
	 * region).  0, or -EINVAL (@p info NULL), or the bring-up error.
	 *
	 * @param h the handle.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*protocol_info_get)(const struct scmi_handle *h, const struct scmi_power_info **info);
	/**
	 * Attributes and name of domain @p domain.  0 (also for a disabled
	 * domain: check ->usable); -EINVAL for an unknown domain or a NULL
	 * @p info (nothing sent).
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*info_get)(const struct scmi_handle *h, uint32_t domain,
			       const struct scmi_power_domain_info **info);
	/**
	 * Name of domain @p domain (as in info_get(): "" for a
	 * disabled domain).  0 or -EINVAL.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] name receives a pointer to the NUL-terminated name in the
	 *	handle's cache (valid until scmi_close()).
	 * @return 0 or -EINVAL.
	 */
	int (*name_get)(const struct scmi_handle *h, uint32_t domain, const char **name);
	/**
	 * Put domain @p domain in power state @p state and return once the
	 * change is complete.
	 *
	 * The form is chosen from the domain's attributes: the synchronous
	 * POWER_STATE_SET when the domain supports it, or when it advertises
	 * neither form (TF-A's default attributes are 0 on domains that do
	 * change state: the command is sent and the platform answers, e.g.
	 * NOT_SUPPORTED -EOPNOTSUPP where it really cannot); otherwise the
	 * asynchronous one, whose response only acknowledges the request,
	 * and completion is awaited as the POWER_STATE_CHANGED notification
	 * of @p domain reporting @p state (enabled for the duration of the wait
	 * through the notification core, so other listeners are unaffected),
	 * for at most the handle's delayed-response timeout
	 * (scmi_config.dresp_timeout_ms, default 2 s).  That wait allocates a
	 * notifier registration and must not run on the thread that delivers
	 * power notifications (a power notification callback, or the caller's
	 * loop when scmi_config.loop is set): -EDEADLK when detected there.
	 *
	 * Returns 0; -EINVAL (unknown domain, reserved bits in @p state; nothing
	 * sent); -EPROTO for a disabled domain (nothing sent, see
	 * scmi_power_domain_info.usable); -EOPNOTSUPP (nothing sent) when the
	 * domain accepts only
	 * asynchronous changes and has no notifications, or the transport
	 * has no P2A channel to carry them (use state_set_async());
	 * -ETIMEDOUT when the async completion was not
	 * reported in time; the platform's refusal otherwise (-EACCES DENIED,
	 * -EINVAL for a state the domain does not have, -EOPNOTSUPP
	 * NOT_SUPPORTED, -EBUSY ...; raw status in scmi_last_status()).
	 *
	 * Non-blocking (SCMI_ASYNC()): the same form is chosen and the same
	 * calls are refused (-EOPNOTSUPP without notifications or a P2A
	 * channel), but nothing waits for POWER_STATE_CHANGED: on an
	 * async-only domain the request completes when the platform
	 * acknowledges the asynchronous POWER_STATE_SET, as state_set_async()
	 * does, and the change itself is reported by
	 * SCMI_EVENT_POWER_STATE_CHANGED (register for it first to learn
	 * when it is done; -ETIMEDOUT then means the command went
	 * unanswered, never that the change was late).  No
	 * -EDEADLK either: the non-blocking form may be used from a power
	 * notification callback or on the caller's loop.  On the other
	 * domains the synchronous command completes once the change is made,
	 * exactly as the blocking call.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param state the power state (SCMI_POWER_STATE()).
	 * @return 0 or a negative errno (above).
	 */
	int (*state_set)(const struct scmi_handle *h, uint32_t domain, uint32_t state);
	/**
	 * Request power state @p state for domain @p domain with the asynchronous
	 * POWER_STATE_SET and return as soon as the platform accepted it.
	 * There is no delayed response (spec §7.1): completion is reported
	 * only by SCMI_EVENT_POWER_STATE_CHANGED, so register for it first.
	 * Returns 0; -EINVAL, -EPROTO (as state_set()); -EOPNOTSUPP when the
	 * domain has no asynchronous support (nothing sent); the platform's
	 * refusal.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param state the power state (SCMI_POWER_STATE()).
	 * @return 0 or a negative errno (above).
	 */
	int (*state_set_async)(const struct scmi_handle *h, uint32_t domain, uint32_t state);
	/**
	 * Current power state of domain @p domain into *@p state.  0; -EINVAL
	 * (unknown domain, NULL @p state; nothing sent); -EPROTO (a disabled
	 * domain, nothing sent); platform errors.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] state the power state.
	 * @return 0 or a negative errno (above).
	 */
	int (*state_get)(const struct scmi_handle *h, uint32_t domain, uint32_t *state);
};

/* ---- notifications ---------------------------------------------------------- */

/**
 * Power event ids (spec §6.2); the source id is the domain id.  Enabling
 * POWER_STATE_CHANGED needs the domain's state_change_notify; enabling
 * POWER_STATE_CHANGE_REQUESTED needs the domain's b31 (the one notification
 * bit) and scmi_power_info.change_requested_notify.  -EOPNOTSUPP otherwise,
 * -EPROTO for a disabled domain, nothing sent.
 */
enum scmi_power_events {
	/** A domain's power state changed (POWER_STATE_NOTIFY); delivers
	 *  struct scmi_power_state_changed_report. */
	SCMI_EVENT_POWER_STATE_CHANGED = 0x0,
	/**
	 * An agent asked for a domain's power state to change
	 * (POWER_STATE_CHANGE_REQUESTED_NOTIFY).  The spec digest marks this
	 * event unverified: SCP-firmware and Zephyr list it, Linux does not
	 * use it, and its presence after version 2.x is unknown.  libscmi
	 * therefore enables it only on 2.x platforms whose
	 * PROTOCOL_MESSAGE_ATTRIBUTES say the command exists, and returns
	 * -EOPNOTSUPP elsewhere (see scmi_power_info.change_requested_notify).
	 * Delivers struct scmi_power_state_change_requested_report.
	 */
	SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED = 0x1,
};

/** Report of SCMI_EVENT_POWER_STATE_CHANGED. */
struct scmi_power_state_changed_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent whose request caused it (0: the platform) */
	uint32_t domain_id;	   /**< the domain (a known id) */
	uint32_t power_state;	   /**< the new state, as the platform sent it */
};

/** Report of SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED (payload layout
 *  unverified, taken to mirror POWER_STATE_CHANGED). */
struct scmi_power_state_change_requested_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent that asked for the change */
	uint32_t domain_id;	   /**< the domain (a known id) */
	uint32_t power_state;	   /**< the state asked for */
};

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_POWER_H */

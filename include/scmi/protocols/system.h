/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * System power management protocol (0x12): system shutdown, reset and
 * suspend requests, and the platform's SYSTEM_POWER_STATE_NOTIFIER telling
 * an agent that the system is about to change state.  Reachable as
 * handle->system_ops (NULL when the platform lacks the protocol).
 *
 * The protocol is brought up on first use (STATE_SET's message attributes,
 * whether STATE_GET exists); that information is cached, immutable and
 * owned by the handle until scmi_close().  A platform that refuses to give
 * STATE_SET's message attributes (or answers them malformed) advertises no
 * optional state: warm_reset and suspend are false, with a warning, and
 * the rest works; one that does not answer fails the bring-up, which the
 * next call retries.  Every op may be called from any
 * thread, including notification callbacks.  Ops return 0 or a negative
 * errno; platform statuses map as in scmi/errors.h (raw status in
 * scmi_last_status()).
 *
 * Non-blocking calls (every op, under SCMI_ASYNC(), scmi/request.h):
 * protocol_info_get() answers from the cache without the platform (its
 * output is written before SCMI_ASYNC() returns; the callback still runs,
 * once); state_set() completes when the platform answers
 * SYSTEM_POWER_STATE_SET (the transition itself may follow later, as for
 * the blocking call); state_get() writes *state when its callback runs:
 * @c state must stay valid until then.
 */
#ifndef SCMI_PROTOCOLS_SYSTEM_H
#define SCMI_PROTOCOLS_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/notify.h>

#ifdef __cplusplus
extern "C" {
#endif

/** System states (spec §6.3).  Values >= SCMI_SYSTEM_VENDOR_MIN are
 *  vendor-defined (range unverified in the digest). */
enum scmi_system_state {
	SCMI_SYSTEM_SHUTDOWN = 0,
	SCMI_SYSTEM_COLD_RESET = 1,
	SCMI_SYSTEM_WARM_RESET = 2,
	SCMI_SYSTEM_POWER_UP = 3,
	SCMI_SYSTEM_SUSPEND = 4,
};
/** First vendor-defined system state (0x80000000 and above). */
#define SCMI_SYSTEM_VENDOR_MIN 0x80000000u

/**
 * Name of a system state.  Thread-safe.
 *
 * @param state a system state (enum scmi_system_state or vendor).
 * @return "shutdown" ... for the architectural states, "vendor" from
 *	SCMI_SYSTEM_VENDOR_MIN, "unknown" otherwise: a static string.
 */
SCMI_EXPORT const char *scmi_system_state_name(uint32_t state);

/** What the platform supports (discovered once). */
struct scmi_system_info {
	uint32_t version;    /**< protocol version in use */
	bool warm_reset;     /**< STATE_SET accepts WARM_RESET */
	bool suspend;	     /**< STATE_SET accepts SUSPEND */
	bool state_get;	     /**< the platform implements SYSTEM_POWER_STATE_GET */
	bool notify_timeout; /**< notifier reports carry a timeout (2.0+) */
	/** SYSTEM_POWER_STATE_NOTIFY is implemented: the notifier can be
	 *  enabled (else registering for it is -EOPNOTSUPP). */
	bool notifier;
};

/**
 * System power protocol operations, reachable as handle->system_ops (NULL when the
 * platform lacks the protocol).  Every op may be called from any thread,
 * including notification callbacks, and returns 0 or a negative errno
 * (platform statuses map as in scmi/errors.h, the raw one is in
 * scmi_last_status()); returned pointers point into the handle's cache
 * and stay valid until scmi_close().
 */
struct scmi_system_ops {
	/**
	 * Discovered capabilities into *@p info (owned by the handle, valid
	 * until scmi_close()).  -EINVAL for a NULL @p info, or the bring-up
	 * error.
	 *
	 * @param h the handle.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*protocol_info_get)(const struct scmi_handle *h, const struct scmi_system_info **info);
	/**
	 * Ask the platform to move the system to @p state; @p graceful lets
	 * the agents prepare (they get the notifier first), otherwise it is
	 * forceful.  WARM_RESET / SUSPEND where the platform does not
	 * support them, and vendor states: -EOPNOTSUPP (not sent);
	 * -EINVAL for other undefined states.  -EACCES if this agent may
	 * not.
	 *
	 * @param h the handle.
	 * @param state enum scmi_system_state, or a vendor state.
	 * @param graceful ask for a graceful transition (else forceful).
	 * @return 0 or a negative errno (above).
	 */
	int (*state_set)(const struct scmi_handle *h, uint32_t state, bool graceful);
	/**
	 * Current system state (SYSTEM_POWER_STATE_GET) into *@p state.
	 * -EINVAL for a NULL @p state.  The command is known from SCP-firmware
	 * only (digest: unverified for 2.x), so it is used only where
	 * PROTOCOL_MESSAGE_ATTRIBUTES says the platform implements it:
	 * -EOPNOTSUPP otherwise, nothing sent (the simulator drops it from
	 * 2.0 on).
	 *
	 * @param h the handle.
	 * @param[out] state the state.
	 * @return 0 or a negative errno (above).
	 */
	int (*state_get)(const struct scmi_handle *h, uint32_t *state);
};

/* ---- notifications ----------------------------------------------------- */

/** System events; they have a single source, 0. */
enum scmi_system_events {
	/** The system is to change power state (SYSTEM_POWER_STATE_NOTIFY);
	 *  delivers struct scmi_system_power_state_notifier_report. */
	SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER = 0x0,
};

/** Report of SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER. */
struct scmi_system_power_state_notifier_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< requester (0 = the platform) */
	uint32_t flags;		   /**< raw flags word */
	bool graceful;		   /**< flags b0: prepare, then the platform acts */
	uint32_t system_state;	   /**< enum scmi_system_state or vendor */
	bool has_timeout;	   /**< protocol >= 2.0 */
	uint32_t timeout_ms;	   /**< time the agent has (graceful; 0 = none) */
};

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_SYSTEM_H */

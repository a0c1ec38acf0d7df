/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Reset domain management protocol (0x16), spec digest §6.7.
 *
 *	const struct scmi_reset_domain_info *info;
 *	if (h->reset_ops && !h->reset_ops->info_get(h, 2, &info))
 *		h->reset_ops->reset(h, 2, SCMI_RESET_STATE_COLD, SCMI_RESET_AUTO);
 *
 * Reachable as handle->reset_ops, NULL when the platform does not list the
 * protocol.  The protocol is brought up on first use: PROTOCOL_ATTRIBUTES,
 * every domain's RESET_DOMAIN_ATTRIBUTES and, from version 3.0, the
 * extended names.  What discovery found is cached for the life of the
 * handle and never asked again.  A domain whose attributes the platform
 * refuses (e.g. DENIED to an agent that lost the domain's device) or
 * answers malformed is disabled, not the protocol
 * (scmi_reset_domain_info.usable); a platform that does not answer at all
 * fails the bring-up, which the next call retries.  An extended name that
 * cannot be read leaves the short name.
 *
 * Every op may be called from any thread, including notification
 * callbacks; ops that send a command block until the platform answers,
 * unless called under SCMI_ASYNC() (below).  Domain ids the platform did
 * not report are refused with -EINVAL, domains disabled at discovery with
 * -EPROTO, before anything is sent.  Platform statuses are mapped to
 * errnos (NOT_FOUND: -ENOENT, DENIED: -EACCES, NOT_SUPPORTED: -EOPNOTSUPP,
 * INVALID_PARAMETERS: -EINVAL ...); scmi_last_status() keeps the raw
 * status of the calling thread's last command (of a blocking call).
 *
 * Non-blocking calls: every op may be wrapped in SCMI_ASYNC()
 * (scmi/request.h); its callback gets what the blocking op would have
 * returned.  count_get() and info_get() complete without the platform,
 * from the cache (through the callback all the same).  reset_assert(),
 * reset_deassert() and a synchronous reset() complete when the platform
 * answers; an asynchronous reset() (SCMI_RESET_ASYNC, or AUTO on a domain
 * that has it) when its delayed response arrives and names the domain
 * (-EPROTO otherwise, -ETIMEDOUT after the handle's dresp_timeout_ms).
 * Whatever is refused "nothing sent" is returned by SCMI_ASYNC() itself,
 * and no callback runs.  Only info_get()'s @c info output must stay valid
 * until the callback runs; inputs are all passed by value.
 */
#ifndef SCMI_PROTOCOLS_RESET_H
#define SCMI_PROTOCOLS_RESET_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/notify.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reset states (the reset_state word of RESET and RESET_ISSUED): b31 clear
 * names an architectural reset, b31 set an implementation-defined one whose
 * id is b[30:0].  The only architectural reset is 0, a cold reset; other
 * architectural values are reserved and refused locally.
 */
/** The architectural cold reset. */
#define SCMI_RESET_STATE_COLD 0x0u
/** b31: an implementation-defined reset state. */
#define SCMI_RESET_STATE_IMPL_DEFINED 0x80000000u
/** The id bits (b[30:0]) of an implementation-defined reset state. */
#define SCMI_RESET_STATE_ID_MASK 0x7fffffffu
/** The implementation-defined reset state @p id (0..0x7fffffff). */
#define SCMI_RESET_STATE_IMPL(id) (SCMI_RESET_STATE_IMPL_DEFINED | ((id)&SCMI_RESET_STATE_ID_MASK))

/** latency_us value of a domain whose reset latency is unknown. */
#define SCMI_RESET_LATENCY_UNKNOWN 0xffffffffu

/** What discovery reported about one reset domain (immutable). */
struct scmi_reset_domain_info {
	uint32_t id; /**< domain id */
	/**
	 * false: libscmi has no description of this domain and disabled it
	 * (see @p err; a warning in the log says so): the name is empty and no
	 * flag is set, every op on it but info_get() returns -EPROTO without
	 * sending anything, RESET_ISSUED cannot be enabled for it (-EPROTO)
	 * and events naming it are dropped.  The other domains are not
	 * affected, and the domain stays disabled until scmi_close().
	 */
	bool usable;
	/**
	 * 0 when usable; else why RESET_DOMAIN_ATTRIBUTES failed: the errno
	 * of the platform's refusal (-EACCES for DENIED, e.g. when this agent
	 * lost the domain's device; -ENOENT for NOT_FOUND ...), or -EPROTO for
	 * a malformed reply.  As scmi_clock_info.attributes_err.
	 */
	int err;
	/** NUL-terminated; the extended name (up to 63 characters) when the
	 *  platform advertises one (version >= 3.0), else the short one (at
	 *  most 15 characters). */
	char name[SCMI_MAX_STR_SIZE];
	/** Worst-case reset latency in microseconds, or
	 *  SCMI_RESET_LATENCY_UNKNOWN. */
	uint32_t latency_us;
	/** The domain supports asynchronous autonomous resets (b31). */
	bool async_reset;
	/** The domain can send RESET_ISSUED notifications (b30, and the
	 *  platform implements RESET_NOTIFY). */
	bool notifications;
	/** The name came from RESET_DOMAIN_NAME_GET (b29, version >= 3.0). */
	bool extended_name;
};

/** How an autonomous reset is requested. */
enum scmi_reset_mode {
	/** Synchronous: the response arrives once the reset is done. */
	SCMI_RESET_SYNC = 0,
	/** Asynchronous: the platform answers at once and sends a delayed
	 *  response when the reset is done; the op waits for the latter
	 *  (a non-blocking call completes with it).
	 *  -EOPNOTSUPP (nothing sent) when the domain does not advertise
	 *  async resets or the transport has no P2A channel (the delayed
	 *  response could not arrive). */
	SCMI_RESET_ASYNC = 1,
	/** Asynchronous when the domain supports it and the transport has a
	 *  P2A channel, else synchronous. */
	SCMI_RESET_AUTO = 2,
};

/**
 * Reset domain protocol operations, reachable as handle->reset_ops (NULL when the
 * platform lacks the protocol).  Every op may be called from any thread,
 * including notification callbacks, and returns 0 or a negative errno
 * (platform statuses map as in scmi/errors.h, the raw one is in
 * scmi_last_status()); returned pointers point into the handle's cache
 * and stay valid until scmi_close().
 */
struct scmi_reset_ops {
	/**
	 * Number of reset domains (ids 0..n-1), or a negative errno of the
	 * protocol's bring-up.
	 *
	 * @param h the handle.
	 * @return the number of domains, or a negative errno (the bring-up
	 *	failed).
	 */
	int (*count_get)(const struct scmi_handle *h);
	/**
	 * Discovered attributes of domain @p domain.  *@p info points into the
	 * handle's cache: read-only, valid until scmi_close(), no lock needed.
	 * 0 (also for a disabled domain: check ->usable), -EINVAL (unknown
	 * domain, NULL @p info), or a bring-up errno.
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*info_get)(const struct scmi_handle *h, uint32_t domain,
			const struct scmi_reset_domain_info **info);
	/**
	 * Autonomous reset of @p domain (RESET, flags b0): the platform asserts
	 * and then de-asserts the reset itself, leaving the domain out of
	 * reset.  @p reset_state: SCMI_RESET_STATE_COLD or
	 * SCMI_RESET_STATE_IMPL(id).  @p mode picks the synchronous or the
	 * asynchronous form; with the latter the op returns when the delayed
	 * response arrives, after checking that it names @p domain (-EPROTO
	 * otherwise).  Returns 0; -EINVAL (unknown domain, reserved
	 * architectural state, bad @p mode), -EPROTO (a domain disabled at
	 * discovery), -EOPNOTSUPP (SCMI_RESET_ASYNC on a domain without async
	 * support), nothing sent in these cases;
	 * -ETIMEDOUT when no (delayed) response comes; the platform's errors
	 * (-EOPNOTSUPP for a reset state the domain lacks, -EACCES ...).
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param reset_state the reset state (SCMI_RESET_STATE_COLD or
	 *	SCMI_RESET_STATE_IMPL()).
	 * @param mode enum scmi_reset_mode: synchronous, asynchronous or
	 *	automatic.
	 * @return 0 or a negative errno (above).
	 */
	int (*reset)(const struct scmi_handle *h, uint32_t domain, uint32_t reset_state,
		     enum scmi_reset_mode mode);
	/**
	 * Put @p domain in reset and keep it there (RESET with the explicit
	 * assert flag), with reset state @p reset_state, until reset_deassert().
	 * Errors as for reset(); platforms answer -EOPNOTSUPP for domains
	 * that only reset autonomously.  (Linux calls it "assert"; that name
	 * would collide with the assert() macro of <assert.h>.)
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param reset_state the reset state (SCMI_RESET_STATE_COLD or
	 *	SCMI_RESET_STATE_IMPL()).
	 * @return 0 or a negative errno (above).
	 */
	int (*reset_assert)(const struct scmi_handle *h, uint32_t domain, uint32_t reset_state);
	/**
	 * Take @p domain out of reset (RESET with flags 0).  @p reset_state as for
	 * reset_assert() (normally the same value).  Errors as for
	 * reset_assert().
	 *
	 * @param h the handle.
	 * @param domain the domain id.
	 * @param reset_state the reset state (SCMI_RESET_STATE_COLD or
	 *	SCMI_RESET_STATE_IMPL()).
	 * @return 0 or a negative errno (above).
	 */
	int (*reset_deassert)(const struct scmi_handle *h, uint32_t domain, uint32_t reset_state);
};

/* ---- notifications ---------------------------------------------------- */

/** Reset event ids (spec §6.7).  The source id is the domain id. */
enum scmi_reset_events {
	/** A reset of a domain was issued (RESET_NOTIFY); delivers struct
	 *  scmi_reset_issued_report. */
	SCMI_EVENT_RESET_ISSUED = 0x0,
};

/**
 * Report of SCMI_EVENT_RESET_ISSUED: a reset of a domain was issued, by
 * this agent, another agent, or the platform itself.  Register with
 * notify_ops->event_notifier_register(h, SCMI_PROTOCOL_RESET,
 * SCMI_EVENT_RESET_ISSUED, &domain, nb); domains whose info says
 * !notifications refuse it with -EOPNOTSUPP, disabled ones with -EPROTO.
 */
struct scmi_reset_issued_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent that caused the reset; 0 = platform */
	uint32_t domain_id;	   /**< domain reset (a discovered id) */
	uint32_t reset_state;	   /**< as in RESET: SCMI_RESET_STATE_* */
};

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_RESET_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Base protocol (0x10): discovery, agents, permissions, error events.
 *
 * Discovery runs at scmi_open() and fills handle->version; the ops below
 * cover the rest of the protocol.  Reachable as handle->base_ops (never
 * NULL: every SCMI platform implements Base).
 *
 * Every op may be called from any thread, including notification
 * callbacks; it returns 0 or a negative errno (platform statuses map as in
 * scmi/errors.h, raw status in scmi_last_status()).  Output structs are the
 * caller's; nothing is allocated per call.
 *
 * Non-blocking calls (every op, under SCMI_ASYNC(), scmi/request.h): each
 * op sends one command and completes when the platform answers it; no op
 * completes without the platform, except for the arguments refused
 * locally (SCMI_ASYNC() returns the errno, no callback).
 * discover_agent() fills *info when its callback runs: @c info must stay
 * valid until then.
 */
#ifndef SCMI_PROTOCOLS_BASE_H
#define SCMI_PROTOCOLS_BASE_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>
#include <scmi/notify.h>

#ifdef __cplusplus
extern "C" {
#endif

/** DISCOVER_AGENT id of the platform itself. */
#define SCMI_BASE_AGENT_PLATFORM 0u
#define SCMI_BASE_AGENT_SELF	 0xffffffffu /**< the calling agent (Base >= 2.0) */

/** One agent, as BASE_DISCOVER_AGENT describes it (filled by discover_agent). */
struct scmi_base_agent_info {
	uint32_t id;			     /**< agent id (for SELF: the caller's own id; Base 1.0
					      *  does not report ids: the id asked for is stored) */
	char name[SCMI_SHORT_NAME_MAX_SIZE]; /**< NUL-terminated */
};

/**
 * Base protocol operations, reachable as handle->base_ops.  Each op blocks
 * until the platform answered (or the timeout) unless called under
 * SCMI_ASYNC(), may be called from any thread, and returns 0 or a negative
 * errno.
 */
struct scmi_base_ops {
	/**
	 * Name (and id) of agent @p agent_id: 0 = the platform, 1..num_agents,
	 * or SCMI_BASE_AGENT_SELF, into the caller's *@p info.  -EINVAL (nothing sent) for an id
	 *above the num_agents of the version block, or a NULL @p info; -EOPNOTSUPP for SELF on
	 *Base 1.0; -ENOENT when the platform does not know the agent (NOT_FOUND); -EPROTO when the
	 *reply describes another agent (for SELF: an id outside 1..num_agents).
	 *
	 * @param h the handle.
	 * @param agent_id 0 (the platform), 1..num_agents, or
	 *	SCMI_BASE_AGENT_SELF.
	 * @param[out] info the caller's struct, filled on success.
	 * @return 0 or a negative errno (above).
	 */
	int (*discover_agent)(const struct scmi_handle *h, uint32_t agent_id,
			      struct scmi_base_agent_info *info);
	/**
	 * Grant (@p allow) or revoke agent @p agent_id's access to device
	 * @p device_id (BASE_SET_DEVICE_PERMISSIONS).  Only trusted agents may;
	 * others get -EACCES.  @p agent_id must be 1..num_agents (-EINVAL,
	 * nothing sent); -ENOENT for a device the platform does not know.
	 * This command and the two below came with Base 2.0: -EOPNOTSUPP
	 * (nothing sent) on a Base 1.0 platform.
	 * Note: the spec digest confirms only flag bit 0 of this command.
	 *
	 * @param h the handle.
	 * @param agent_id the agent (1..num_agents).
	 * @param device_id the device.
	 * @param allow grant (true) or revoke (false).
	 * @return 0 or a negative errno (above).
	 */
	int (*set_device_permissions)(const struct scmi_handle *h, uint32_t agent_id,
				      uint32_t device_id, bool allow);
	/**
	 * Grant or revoke agent @p agent_id's use of protocol @p protocol_id on
	 * device @p device_id (BASE_SET_PROTOCOL_PERMISSIONS).  Base itself
	 * cannot be restricted (-EINVAL, not sent).
	 *
	 * @param h the handle.
	 * @param agent_id the agent (1..num_agents).
	 * @param device_id the device.
	 * @param protocol_id the protocol (not Base).
	 * @param allow grant (true) or revoke (false).
	 * @return 0 or a negative errno (above).
	 */
	int (*set_protocol_permissions)(const struct scmi_handle *h, uint32_t agent_id,
					uint32_t device_id, uint8_t protocol_id, bool allow);
	/**
	 * Reset agent @p agent_id's configuration (BASE_RESET_AGENT_
	 * CONFIGURATION); @p reset_permissions also restores its access
	 * permissions (flag b0; layout marked unverified in the digest).
	 *
	 * @param h the handle.
	 * @param agent_id the agent (1..num_agents).
	 * @param reset_permissions also restore its access permissions.
	 * @return 0 or a negative errno (above).
	 */
	int (*reset_agent_configuration)(const struct scmi_handle *h, uint32_t agent_id,
					 bool reset_permissions);
};

/* ---- notifications ---------------------------------------------------- */

/** Base event ids (spec §6.1).  Base events have a single source, 0. */
enum scmi_base_events {
	/** Errors the platform saw in an agent's commands (BASE_NOTIFY_ERRORS);
	 *  delivers struct scmi_base_error_report. */
	SCMI_EVENT_BASE_ERROR_EVENT = 0x0,
};

/** Largest number of error reports one BASE_ERROR_EVENT may carry. */
#define SCMI_BASE_MAX_ERROR_REPORTS 1024

/** Report of SCMI_EVENT_BASE_ERROR_EVENT. */
struct scmi_base_error_report {
	struct scmi_event_hdr hdr; /**< first: handle, protocol, event, source, arrival */
	uint32_t agent_id;	   /**< agent the error concerns */
	bool fatal;		   /**< error_status b31 */
	unsigned int cmd_count;	   /**< entries in @p reports */
	uint64_t reports[];	   /**< raw reports (format unverified) */
};

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_BASE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * SCMI status codes and their mapping to errno values.
 *
 * Every libscmi function returns 0 or a negative errno.  When the error
 * came from the platform (a non-SUCCESS status in a response), the raw
 * SCMI status is kept per thread and can be read with scmi_last_status().
 */
#ifndef SCMI_ERRORS_H
#define SCMI_ERRORS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SCMI_EXPORT
/** Marks the functions the shared library exports. */
#define SCMI_EXPORT __attribute__((visibility("default")))
#endif

/** Status codes carried in the first word of responses (spec §1.3). */
enum scmi_status {
	SCMI_SUCCESS = 0,		  /**< success (maps to 0) */
	SCMI_ERR_NOT_SUPPORTED = -1,	  /**< -EOPNOTSUPP */
	SCMI_ERR_INVALID_PARAMETERS = -2, /**< -EINVAL */
	SCMI_ERR_DENIED = -3,		  /**< -EACCES */
	SCMI_ERR_NOT_FOUND = -4,	  /**< -ENOENT */
	SCMI_ERR_OUT_OF_RANGE = -5,	  /**< -ERANGE */
	SCMI_ERR_BUSY = -6,		  /**< -EBUSY */
	SCMI_ERR_COMMS_ERROR = -7,	  /**< -ECOMM */
	SCMI_ERR_GENERIC_ERROR = -8,	  /**< -EIO */
	SCMI_ERR_HARDWARE_ERROR = -9,	  /**< -EREMOTEIO */
	SCMI_ERR_PROTOCOL_ERROR = -10,	  /**< -EPROTO */
};

/** scmi_last_status() when no platform status is known (nothing answered). */
#define SCMI_STATUS_NONE INT32_MIN

/**
 * Map an SCMI status to a negative errno.
 *
 * NOT_SUPPORTED -EOPNOTSUPP, INVALID_PARAMETERS -EINVAL, DENIED -EACCES,
 * NOT_FOUND -ENOENT, OUT_OF_RANGE -ERANGE, BUSY -EBUSY, COMMS_ERROR -ECOMM,
 * GENERIC_ERROR -EIO, HARDWARE_ERROR -EREMOTEIO, PROTOCOL_ERROR -EPROTO;
 * any other value (including future codes) -EIO.  Thread-safe.
 *
 * @param status an SCMI status (enum scmi_status, or any other value).
 * @return 0 for SCMI_SUCCESS, otherwise the negative errno above.
 */
SCMI_EXPORT int scmi_status_to_errno(int32_t status);

/**
 * Name of an SCMI status.  Thread-safe.
 *
 * @param status an SCMI status.
 * @return its name ("NOT_FOUND"), or "UNKNOWN" for values the
 *	specification does not define: a static string, never NULL, not to
 *	be freed.
 */
SCMI_EXPORT const char *scmi_status_name(int32_t status);

/**
 * Human-readable explanation of a libscmi return value.
 *
 * For errnos that SCMI statuses map to, the text names the status too
 * (e.g. "Operation not supported (SCMI NOT_SUPPORTED)"); for -ETIMEDOUT it
 * says the platform did not answer in time.  Thread-safe.
 *
 * @param err a negative errno, or 0.  Any int is accepted: values that are
 *	no errno (positive ones, INT_MIN) give "Unknown error".
 * @return a static string, never NULL, not to be freed.
 */
SCMI_EXPORT const char *scmi_strerror(int err);

/**
 * Raw status of the calling thread's last command.
 *
 * The status is kept per thread (thread-local): a command issued from
 * another thread does not change it.
 *
 * @return the status of the most recent platform response received by a
 *	command issued from the calling thread (SCMI_SUCCESS if it
 *	succeeded), or SCMI_STATUS_NONE (INT32_MIN) if the calling thread has
 *	not completed any command, or its last command failed before a
 *	response arrived (timeout, local error).
 */
SCMI_EXPORT int32_t scmi_last_status(void);

/** Longest scmi_last_error_msg() text, NUL included (longer ones are cut). */
#define SCMI_ERROR_MSG_MAX 256

/**
 * Why the calling thread's most recent libscmi call failed, when libscmi
 * found the reason itself rather than the platform answering with a status:
 * e.g. "perf: no domain 99 (6 domains)", "unknown URI scheme 'loopbak://'",
 * "voltage: domain 0 has no level 5 uV (600000..1087500)".  This is the
 * text libscmi also logs (at debug level for a refused argument, at error
 * level for a failed scmi_open()), kept so that a program can show it
 * without turning debug logging on.
 *
 * Cleared ("") at the start of every public call that takes a handle, and
 * of scmi_open() and scmi_probe(), as scmi_last_status() is.  A call that
 * fails for a reason libscmi names sets it; a call that succeeds, or fails
 * with the platform's status (see scmi_last_status()), a timeout or a
 * transport error, leaves it "".  A failed scmi_open() or scmi_probe()
 * keeps the first error line it logged, whatever its cause (a malformed
 * URI, an unknown scheme or parameter, a device the transport cannot
 * reach or drive).  Read it right after the failing call, on the same
 * thread.  Thread-safe.
 *
 * @return the reason, or "" -- never NULL; the string belongs to the
 *	calling thread and stays valid until its next libscmi call.
 */
SCMI_EXPORT const char *scmi_last_error_msg(void);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_ERRORS_H */

// SPDX-License-Identifier: BSD-3-Clause
/* SCMI status codes, errno mapping, and the per-thread last status. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "log.h"

static _Thread_local int32_t last_status = INT32_MIN;
static _Thread_local char last_msg[SCMI_ERROR_MSG_MAX];

static const struct {
	int32_t status;
	int err;
	const char *name;
} status_map[] = {
	{SCMI_SUCCESS, 0, "SUCCESS"},
	{SCMI_ERR_NOT_SUPPORTED, -EOPNOTSUPP, "NOT_SUPPORTED"},
	{SCMI_ERR_INVALID_PARAMETERS, -EINVAL, "INVALID_PARAMETERS"},
	{SCMI_ERR_DENIED, -EACCES, "DENIED"},
	{SCMI_ERR_NOT_FOUND, -ENOENT, "NOT_FOUND"},
	{SCMI_ERR_OUT_OF_RANGE, -ERANGE, "OUT_OF_RANGE"},
	{SCMI_ERR_BUSY, -EBUSY, "BUSY"},
	{SCMI_ERR_COMMS_ERROR, -ECOMM, "COMMS_ERROR"},
	{SCMI_ERR_GENERIC_ERROR, -EIO, "GENERIC_ERROR"},
	{SCMI_ERR_HARDWARE_ERROR, -EREMOTEIO, "HARDWARE_ERROR"},
	{SCMI_ERR_PROTOCOL_ERROR, -EPROTO, "PROTOCOL_ERROR"},
};

int scmi_status_to_errno(int32_t status)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_map); i++)
		if (status_map[i].status == status)
			return status_map[i].err;
	return -EIO; /* unknown or future status: GENERIC_ERROR */
}

const char *scmi_status_name(int32_t status)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_map); i++)
		if (status_map[i].status == status)
			return status_map[i].name;
	return "UNKNOWN";
}

/* Text of any other int: system errnos by name, everything else (positive
 * values, INT_MIN, values no errno has) "Unknown error". */
static const char *errno_text(int err)
{
	const char *s = NULL;

	if (err < 0 && err > -4096) {
#ifdef SCMI_HAVE_STRERRORDESC_NP /* glibc >= 2.32: feature check */
		s = strerrordesc_np(-err); /* thread-safe; NULL if unknown */
#else
		s = strerror(-err);
#endif
	}
	return s ? s : "Unknown error";
}

const char *scmi_strerror(int err)
{
	switch (err) {
	case 0:
		return "Success";
	case -EOPNOTSUPP:
		return "Operation not supported (SCMI status NOT_SUPPORTED, or not implemented "
		       "here)";
	case -EINVAL:
		return "Invalid argument (or SCMI status INVALID_PARAMETERS)";
	case -EACCES:
		return "Permission denied (SCMI status DENIED)";
	case -ENOENT:
		return "Not found (SCMI status NOT_FOUND)";
	case -ERANGE:
		return "Value out of range (SCMI status OUT_OF_RANGE)";
	case -EBUSY:
		return "Resource busy (SCMI status BUSY)";
	case -ECOMM:
		return "Communication error (SCMI status COMMS_ERROR)";
	case -EIO:
		return "Platform error (SCMI status GENERIC_ERROR or an unknown status)";
	case -EREMOTEIO:
		return "Platform hardware error (SCMI status HARDWARE_ERROR)";
	case -EPROTO:
		return "Protocol error (SCMI status PROTOCOL_ERROR, or a malformed reply)";
	case -ETIMEDOUT:
		return "Timed out waiting for the platform";
	case -ENOBUFS:
		return "Too many commands in flight (no free transfer)";
	case -EMSGSIZE:
		return "Message larger than the transport allows";
	case -ENODEV:
		return "No such SCMI platform or device";
	case -ESHUTDOWN:
		return "Handle is closing";
	default:
		return errno_text(err);
	}
}

int32_t scmi_last_status(void)
{
	return last_status;
}

void scmi_set_last_status(int32_t status)
{
	last_status = status;
}

const char *scmi_last_error_msg(void)
{
	return last_msg;
}

void scmi_set_last_error_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
}

void scmi_clear_last_error_msg(void)
{
	last_msg[0] = '\0';
}

void scmi_copy_name(char *dst, size_t dst_size, const void *src, size_t src_size)
{
	/*
	 * Spec §5: a name field is NUL-terminated when shorter than the
	 * field; a full field has no NUL, and the agent keeps at most
	 * field - 1 characters (15 of a 16-byte short name, 63 of an
	 * extended one), as Linux does.
	 */
	size_t n = src_size ? src_size - 1 : 0;

	if (n > dst_size - 1)
		n = dst_size - 1;
	n = strnlen(src, n);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging through the user's sink (internal). */
#ifndef SCMI_LIB_LOG_H
#define SCMI_LIB_LOG_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <scmi/handle.h>

struct scmi_instance;

/** Where one handle's log lines go.  Immutable after scmi_open(). */
struct scmi_logger {
	scmi_log_fn fn; /* NULL: stderr */
	void *priv;
	enum scmi_log_level level; /* most verbose level emitted */
	/* The handle whose lines these are (frames around the sink, see
	 * entry.h); NULL outside a handle. */
	const struct scmi_instance *owner;
	/* While scmi_open() or scmi_probe() runs: the first error line,
	 * whatever thread logs it, to become the caller's
	 * scmi_last_error_msg() if the open fails (read only after the loop
	 * thread stopped). */
	char *capture; /* SCMI_ERROR_MSG_MAX bytes, or NULL */
	atomic_bool capturing;
};

void scmi_logger_init(struct scmi_logger *lg, const struct scmi_config *cfg);
void scmi_logv(const struct scmi_logger *lg, enum scmi_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void scmi_log(const struct scmi_logger *lg, enum scmi_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline bool scmi_log_enabled(const struct scmi_logger *lg, enum scmi_log_level level)
{
	return lg->level != SCMI_LOG_SILENT && level <= lg->level;
}

#define scmi_err(lg, ...)  scmi_log(lg, SCMI_LOG_ERR, __VA_ARGS__)
#define scmi_warn(lg, ...) scmi_log(lg, SCMI_LOG_WARN, __VA_ARGS__)
#define scmi_info(lg, ...) scmi_log(lg, SCMI_LOG_INFO, __VA_ARGS__)
#define scmi_dbg(lg, ...)                                          \
	do {                                                       \
		if (scmi_log_enabled(lg, SCMI_LOG_DEBUG))          \
			scmi_log(lg, SCMI_LOG_DEBUG, __VA_ARGS__); \
	} while (0)

/*
 * A call is about to fail for a reason found on this side: keep the reason
 * as the calling thread's scmi_last_error_msg() and log it (at debug level
 * for a refused argument, at error level for a failed open).  Use only on
 * the thread of the public call, right before returning the error.
 */
void scmi_set_last_error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void scmi_clear_last_error_msg(void);

#define scmi_dbg_reason(lg, ...)                      \
	do {                                          \
		scmi_set_last_error_msg(__VA_ARGS__); \
		scmi_dbg(lg, __VA_ARGS__);            \
	} while (0)
#define scmi_err_reason(lg, ...)                      \
	do {                                          \
		scmi_set_last_error_msg(__VA_ARGS__); \
		scmi_err(lg, __VA_ARGS__);            \
	} while (0)

#endif

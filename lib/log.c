// SPDX-License-Identifier: BSD-3-Clause
/*
 * Logging.  Lines are formatted into a stack buffer (no allocation) and
 * handed to the user's sink, or written to stderr with one write() so that
 * lines from different threads do not interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "entry.h"
#include "log.h"
#include <scmi/errors.h>

#define SCMI_LOG_LINE_MAX 512

void scmi_logger_init(struct scmi_logger *lg, const struct scmi_config *cfg)
{
	lg->fn = cfg ? cfg->log_fn : NULL;
	lg->priv = cfg ? cfg->log_priv : NULL;
	lg->level = cfg ? cfg->log_level : SCMI_LOG_DEFAULT;
	if (lg->level == SCMI_LOG_DEFAULT)
		lg->level = SCMI_LOG_WARN;
	if (lg->level != SCMI_LOG_SILENT && lg->level > SCMI_LOG_DEBUG)
		lg->level = SCMI_LOG_DEBUG;
	lg->capture = NULL; /* scmi_open() sets its own */
	atomic_init(&lg->capturing, false);
}

static const char *level_prefix(enum scmi_log_level level)
{
	switch (level) {
	case SCMI_LOG_ERR:
		return "error";
	case SCMI_LOG_WARN:
		return "warning";
	case SCMI_LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

void scmi_logv(const struct scmi_logger *lg, enum scmi_log_level level, const char *fmt, va_list ap)
{
	char line[SCMI_LOG_LINE_MAX];
	int n;

	if (level == SCMI_LOG_ERR && lg->capture &&
	    atomic_exchange((atomic_bool *)&lg->capturing, false)) {
		va_list ap2;

		va_copy(ap2, ap);
		vsnprintf(lg->capture, SCMI_ERROR_MSG_MAX, fmt, ap2);
		va_end(ap2);
	}
	if (!scmi_log_enabled(lg, level))
		return;
	if (lg->fn) {
		struct scmi_frame f;

		vsnprintf(line, sizeof(line), fmt, ap);
		scmi_user_code_enter(lg->owner, &f);
		lg->fn(lg->priv, level, line);
		scmi_user_code_leave(&f);
		return;
	}
	n = snprintf(line, sizeof(line), "libscmi: %s: ", level_prefix(level));
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if ((size_t)n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return; /* nowhere left to report it */
}

void scmi_log(const struct scmi_logger *lg, enum scmi_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scmi_logv(lg, level, fmt, ap);
	va_end(ap);
}

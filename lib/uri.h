/* SPDX-License-Identifier: BSD-3-Clause */
/* URI parsing (internal).  Accessors for transports are in scmi/transport.h. */
#ifndef SCMI_LIB_URI_H
#define SCMI_LIB_URI_H

#include <stdbool.h>
#include <stddef.h>

#include <scmi/transport.h>

#include "log.h"

#define SCMI_URI_MAX_PARAMS 32

struct scmi_uri_param {
	char *key;
	char *value;
	bool used; /* looked up by the transport */
};

struct scmi_uri {
	char *buf; /* one allocation holding every string */
	char *scheme;
	char *path;
	size_t num_params;
	struct scmi_uri_param params[SCMI_URI_MAX_PARAMS];
	const struct scmi_logger *log;
};

/** Parse "scheme://path?k=v&k2=v2".  Logs and returns -EINVAL on a
 *  malformed URI, -ENOMEM. */
int scmi_uri_parse(const char *text, const struct scmi_logger *log, struct scmi_uri **out);
void scmi_uri_free(struct scmi_uri *uri);
/** Log every parameter no accessor asked for; -EINVAL if there is one. */
int scmi_uri_check_unused(const struct scmi_uri *uri);

#endif

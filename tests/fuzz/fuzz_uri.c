// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for URI parsing (lib/uri.c): the parser and every
 * accessor transports use, with the properties the API promises checked.
 * URIs naming the loopback transport are also opened, which runs the
 * loopback's own parameter parsing (profiles, versions, fault knobs) and a
 * Base discovery against the simulator they configure.
 *
 * The input is the URI text (a NUL ends it early, as it would in C).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/scmi.h>

#include "uri.h"

#define FUZZ_CHECK(cond, ...)                                                             \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "fuzz_uri: %s:%d: check '%s' failed: ", __FILE__, \
				__LINE__, #cond);                                         \
			fprintf(stderr, __VA_ARGS__);                                     \
			fputc('\n', stderr);                                              \
			abort();                                                          \
		}                                                                         \
	} while (0)

static volatile size_t sink;

static void log_sink(void *priv, enum scmi_log_level level, const char *msg)
{
	(void)priv;
	(void)level;
	sink += strlen(msg);
}

static void check_parsed(struct scmi_uri *uri, const char *text)
{
	const char *scheme = scmi_uri_scheme(uri), *key, *value;
	size_t n = scmi_uri_num_params(uri);
	uint64_t v;

	FUZZ_CHECK(*scheme && strlen(scheme) < strlen(text), "scheme '%s'", scheme);
	FUZZ_CHECK(!strncmp(text, scheme, strlen(scheme)) &&
			   !strncmp(text + strlen(scheme), "://", 3),
		   "scheme '%s' of '%s'", scheme, text);
	sink += strlen(scmi_uri_path(uri));
	FUZZ_CHECK(n <= SCMI_URI_MAX_PARAMS, "%zu parameters", n);
	if (n)
		FUZZ_CHECK(scmi_uri_check_unused(uri) == -EINVAL, "unused parameters accepted");
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(!scmi_uri_param_at(uri, i, &key, &value), "parameter %zu", i);
		FUZZ_CHECK(*key, "empty key");
		/* Keys are distinct: a lookup finds this very parameter. */
		FUZZ_CHECK(scmi_uri_param(uri, key) == value, "lookup of '%s'", key);
		if (scmi_uri_param_u64(uri, key, 0, UINT64_MAX, &v) == 1)
			FUZZ_CHECK(scmi_uri_param_u64(uri, key, v, v, &v) == 1, "'%s' in range",
				   key);
		scmi_uri_param_u64(uri, key, 1, 10, &v);
	}
	FUZZ_CHECK(scmi_uri_param_at(uri, n, &key, &value) == -ENOENT, "parameter past the end");
	FUZZ_CHECK(!scmi_uri_check_unused(uri), "every parameter was used");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scmi_config cfg = {
		/* A fault knob may drop replies: do not wait long for them. */
		.timeout_ms = 20,
		.dresp_timeout_ms = 20,
		.log_fn = log_sink,
		.log_level = SCMI_LOG_DEBUG,
	};
	struct scmi_logger log;
	struct scmi_handle *h;
	struct scmi_uri *uri;
	char *text;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	scmi_logger_init(&log, &cfg);
	if (!scmi_uri_parse(text, &log, &uri)) {
		check_parsed(uri, text);
		scmi_uri_free(uri);
	}
	if (!strncmp(text, "loopback://", 11) && !scmi_open(text, &cfg, &h))
		scmi_close(h);
	free(text);
	return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for URI parsing (lib/uri.c): the parser and every
 * accessor transports use, with the properties the API promises checked.
 * URIs naming the loopback transport are also opened, which runs the
 * loopback's own parameter parsing (profiles, versions, fault knobs) and a
 * Base discovery against the simulator they configure.  shmem:// URIs go
 * through the shmem transport's parameter checks (transports/shmem/config.c;
 * nothing is mapped), whose result is checked again here.
 *
 * The input is the URI text (a NUL ends it early, as it would in C).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/scmi.h>

#include "uri.h"
#ifdef SCMI_HAVE_SHMEM
#include "config.h"
#endif

#define FUZZ_NAME "fuzz_uri"
#include "fuzz_check.h"

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

#ifdef SCMI_HAVE_SHMEM
/* What shmem_config_parse() promises of a configuration it accepts. */
static void check_shmem_config(const struct shmem_config *cfg)
{
	uint64_t start[2 * SHMEM_MAX_CHANNELS + 1], len[2 * SHMEM_MAX_CHANNELS + 1];
	size_t n = 0;

	FUZZ_CHECK(cfg->path[0] == '/' && memchr(cfg->path, 0, sizeof(cfg->path)), "path");
	FUZZ_CHECK(cfg->size >= 32 && cfg->size <= SHMEM_MAX_AREA_SIZE && cfg->size % 4 == 0,
		   "size %zu", cfg->size);
	FUZZ_CHECK(cfg->num_chans >= 1 && cfg->num_chans <= SHMEM_MAX_CHANNELS &&
			   cfg->chans[0].protocol == 0,
		   "%zu channels", cfg->num_chans);
	FUZZ_CHECK(cfg->poll_us >= SHMEM_MIN_POLL_US && cfg->poll_us <= SHMEM_MAX_POLL_US,
		   "poll_us %u", cfg->poll_us);
	for (size_t i = 0; i < cfg->num_chans; i++) {
		const struct shmem_chan_config *c = &cfg->chans[i];

		FUZZ_CHECK(i == 0 || c->protocol > 0x10, "protocol 0x%x", c->protocol);
		FUZZ_CHECK(shmem_config_chan(cfg, c->protocol) == c, "lookup of 0x%x", c->protocol);
		start[n] = c->a2p;
		len[n++] = cfg->size;
		if (c->has_p2a) {
			start[n] = c->p2a;
			len[n++] = cfg->size;
		}
	}
	if (cfg->has_db) {
		FUZZ_CHECK(cfg->db_width == 8 || cfg->db_width == 16 || cfg->db_width == 32 ||
				   cfg->db_width == 64,
			   "db_width %u", cfg->db_width);
		FUZZ_CHECK(cfg->db % (cfg->db_width / 8) == 0, "db alignment");
		start[n] = cfg->db;
		len[n++] = cfg->db_width / 8;
	}
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(start[i] <= (uint64_t)INT64_MAX - len[i], "range %zu", i);
		FUZZ_CHECK(len[i] < 8 || start[i] % 4 == 0, "area %zu alignment", i);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(start[i] >= start[j] + len[j] || start[j] >= start[i] + len[i],
				   "ranges %zu and %zu overlap", i, j);
	}
}

static void parse_shmem(const char *text, const struct scmi_logger *log)
{
	struct shmem_config *cfg = malloc(sizeof(*cfg));
	struct scmi_uri *uri;

	if (!cfg)
		return;
	for (int irq = 0; irq < 2; irq++) {
		if (scmi_uri_parse(text, log, &uri))
			break;
		if (!shmem_config_parse(uri, irq, cfg, NULL)) {
			check_shmem_config(cfg);
			FUZZ_CHECK(irq || cfg->completion == SHMEM_COMPLETION_POLL, "irq accepted");
			FUZZ_CHECK(!scmi_uri_check_unused(uri), "a parameter left unchecked");
		}
		scmi_uri_free(uri);
	}
	free(cfg);
}
#endif

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
#ifdef SCMI_HAVE_SHMEM
	if (!strncmp(text, "shmem://", 8))
		parse_shmem(text, &log);
#endif
	free(text);
	return 0;
}

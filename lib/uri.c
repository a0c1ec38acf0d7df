// SPDX-License-Identifier: BSD-3-Clause
/*
 * URI parsing: "scheme://path?key=value&key=value".
 *
 * The grammar is deliberately small and strict: a scheme of letters,
 * digits, '+', '-', '.'; a path; parameters that are all "key=value" with
 * distinct keys.  Keys, values and the path are percent-decoded.  Every
 * rejection is logged with the offending part named, so that a user with
 * a typo in a URI sees what is wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "uri.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode %XX escapes in place.  Returns -EINVAL on a bad escape or %00. */
static int percent_decode(char *s)
{
	char *out = s;

	while (*s) {
		if (*s == '%') {
			int hi = s[1] ? hexval(s[1]) : -1;
			int lo = hi >= 0 && s[2] ? hexval(s[2]) : -1;

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -EINVAL;
			*out++ = (char)(hi << 4 | lo);
			s += 3;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
	return 0;
}

static bool valid_scheme(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '+' && *s != '-' && *s != '.')
			return false;
	return true;
}

static bool valid_key(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

static int parse_param(struct scmi_uri *uri, char *item)
{
	char *eq = strchr(item, '=');
	struct scmi_uri_param *p;

	if (!eq) {
		scmi_err(uri->log, "URI parameter '%s' is malformed: expected key=value", item);
		return -EINVAL;
	}
	*eq = '\0';
	if (!valid_key(item) || percent_decode(eq + 1)) {
		scmi_err(uri->log, "URI parameter '%s' is malformed", item);
		return -EINVAL;
	}
	for (size_t i = 0; i < uri->num_params; i++) {
		if (!strcmp(uri->params[i].key, item)) {
			scmi_err(uri->log, "URI parameter '%s' is given twice", item);
			return -EINVAL;
		}
	}
	if (uri->num_params == SCMI_URI_MAX_PARAMS) {
		scmi_err(uri->log, "URI has more than %d parameters", SCMI_URI_MAX_PARAMS);
		return -EINVAL;
	}
	p = &uri->params[uri->num_params++];
	p->key = item;
	p->value = eq + 1;
	p->used = false;
	return 0;
}

static int parse_query(struct scmi_uri *uri, char *query)
{
	char *save = NULL;
	int ret;

	if (!*query)
		return 0;
	if (query[0] == '&' || query[strlen(query) - 1] == '&' || strstr(query, "&&")) {
		scmi_err(uri->log, "URI query '%s' has an empty parameter", query);
		return -EINVAL;
	}
	for (char *item = strtok_r(query, "&", &save); item; item = strtok_r(NULL, "&", &save)) {
		ret = parse_param(uri, item);
		if (ret)
			return ret;
	}
	return 0;
}

int scmi_uri_parse(const char *text, const struct scmi_logger *log, struct scmi_uri **out)
{
	struct scmi_uri *uri;
	char *sep, *query;
	int ret = -EINVAL;

	uri = calloc(1, sizeof(*uri));
	if (!uri)
		return -ENOMEM;
	uri->log = log;
	uri->buf = strdup(text);
	if (!uri->buf) {
		free(uri);
		return -ENOMEM;
	}
	sep = strstr(uri->buf, "://");
	if (!sep) {
		scmi_err(log, "URI '%s' is malformed: expected scheme://...", text);
		goto fail;
	}
	*sep = '\0';
	uri->scheme = uri->buf;
	if (!valid_scheme(uri->scheme)) {
		scmi_err(log, "URI '%s' has an invalid scheme", text);
		goto fail;
	}
	uri->path = sep + 3;
	query = strchr(uri->path, '?');
	if (query)
		*query++ = '\0';
	if (percent_decode(uri->path)) {
		scmi_err(log, "URI path '%s' has a bad %%-escape", uri->path);
		goto fail;
	}
	if (query) {
		ret = parse_query(uri, query);
		if (ret)
			goto fail;
	}
	*out = uri;
	return 0;
fail:
	scmi_uri_free(uri);
	return ret;
}

void scmi_uri_free(struct scmi_uri *uri)
{
	if (!uri)
		return;
	free(uri->buf);
	free(uri);
}

int scmi_uri_check_unused(const struct scmi_uri *uri)
{
	int ret = 0;

	for (size_t i = 0; i < uri->num_params; i++) {
		if (!uri->params[i].used) {
			scmi_err(uri->log, "unknown parameter '%s' for %s://", uri->params[i].key,
				 uri->scheme);
			ret = -EINVAL;
		}
	}
	return ret;
}

/* ---- accessors for transports (public) --------------------------------- */

const char *scmi_uri_scheme(const struct scmi_uri *uri)
{
	return uri->scheme;
}

const char *scmi_uri_path(const struct scmi_uri *uri)
{
	return uri->path;
}

size_t scmi_uri_num_params(const struct scmi_uri *uri)
{
	return uri->num_params;
}

/*
 * The accessors mark parameters as used so that the core can reject the
 * ones no transport asked for.  The flag is bookkeeping, not part of the
 * URI's value, hence the cast.
 */
static void mark_used(const struct scmi_uri *uri, size_t i)
{
	((struct scmi_uri *)uri)->params[i].used = true;
}

int scmi_uri_param_at(const struct scmi_uri *uri, size_t i, const char **key, const char **value)
{
	if (i >= uri->num_params)
		return -ENOENT;
	mark_used(uri, i);
	if (key)
		*key = uri->params[i].key;
	if (value)
		*value = uri->params[i].value;
	return 0;
}

const char *scmi_uri_param(const struct scmi_uri *uri, const char *key)
{
	for (size_t i = 0; i < uri->num_params; i++) {
		if (!strcmp(uri->params[i].key, key)) {
			mark_used(uri, i);
			return uri->params[i].value;
		}
	}
	return NULL;
}

int scmi_uri_param_u64(const struct scmi_uri *uri, const char *key, uint64_t min, uint64_t max,
		       uint64_t *val)
{
	const char *s = scmi_uri_param(uri, key);
	unsigned long long v;
	char *end;

	if (!s)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-' || v < min || v > max) {
		scmi_err(uri->log,
			 "URI parameter %s=%s is malformed: expected an integer in %" PRIu64
			 "..%" PRIu64,
			 key, s, min, max);
		return -EINVAL;
	}
	*val = v;
	return 1;
}

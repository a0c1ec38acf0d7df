// SPDX-License-Identifier: BSD-3-Clause
/*
 * shmem:// and uio:// (internal): parsing and checking the URI's channel
 * parameters (config.h).  Strict: everything that could map the wrong memory or ring
 * the wrong register is refused with a line naming the parameter.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "map.h"

#define BASE_PROTOCOL 0x10

/* One area or register to check against the others. */
struct shmem_range {
	char name[16]; /* the parameter, e.g. "p2a.0x13" */
	uint64_t start;
	uint64_t len;
	unsigned int region; /* ranges of different regions never overlap */
};

/* Parameter @key as an offset (any u64; ranges are checked later). */
static int parse_addr(const struct scmi_uri *uri, const char *key, uint64_t *val)
{
	return scmi_uri_param_u64(uri, key, 0, UINT64_MAX, val);
}

/* "0xNN" (1 or 2 hex digits) -> protocol id; -1 when malformed. */
static int parse_protocol(const char *s)
{
	unsigned int v = 0;
	size_t n;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	s += 2;
	n = strlen(s);
	if (n < 1 || n > 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		v = v * 16 + (unsigned int)(isdigit((unsigned char)s[i])
						    ? s[i] - '0'
						    : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	return (int)v;
}

static struct shmem_chan_config *chan_for(struct shmem_config *cfg, uint8_t protocol)
{
	for (size_t i = 1; i < cfg->num_chans; i++)
		if (cfg->chans[i].protocol == protocol)
			return &cfg->chans[i];
	if (cfg->num_chans == SHMEM_MAX_CHANNELS)
		return NULL;
	cfg->chans[cfg->num_chans] = (struct shmem_chan_config){.protocol = protocol};
	return &cfg->chans[cfg->num_chans++];
}

/* a2p.0xNN / p2a.0xNN */
static int parse_proto_chan(const struct scmi_uri *uri, const char *key, struct shmem_config *cfg,
			    bool *seen_a2p, const char *name, struct scmi_chan *chan)
{
	bool is_a2p = !strncmp(key, "a2p.", 4);
	int proto = parse_protocol(key + 4);
	struct shmem_chan_config *c;
	uint64_t addr;
	int ret;

	if (proto < 0) {
		shmem_log(chan, SCMI_LOG_ERR,
			  "%s: bad parameter '%s': expected %.3s.0xNN with NN the protocol id "
			  "in hex",
			  name, key, key);
		return -EINVAL;
	}
	if (proto <= BASE_PROTOCOL) {
		shmem_log(chan, SCMI_LOG_ERR,
			  proto == BASE_PROTOCOL
				  ? "%s: '%s': Base (0x%02x) always uses the default channel "
				    "(a2p=, p2a=)"
				  : "%s: '%s': protocol 0x%02x is not a protocol (ids start at "
				    "0x10)",
			  name, key, (unsigned int)proto);
		return -EINVAL;
	}
	if ((ret = parse_addr(uri, key, &addr)) < 0)
		return ret;
	c = chan_for(cfg, (uint8_t)proto);
	if (!c) {
		shmem_log(chan, SCMI_LOG_ERR, "%s: too many protocol channels", name);
		return -EINVAL;
	}
	if (is_a2p ? seen_a2p[proto] : c->has_p2a) {
		shmem_log(chan, SCMI_LOG_ERR, "%s: protocol 0x%02x is given two %s areas ('%s')",
			  name, (unsigned int)proto, is_a2p ? "A2P" : "P2A", key);
		return -EINVAL;
	}
	if (is_a2p) {
		seen_a2p[proto] = true;
		c->a2p = addr;
	} else {
		c->has_p2a = true;
		c->p2a = addr;
	}
	return 0;
}

static int parse_path(const struct scmi_uri *uri, struct shmem_config *cfg, struct scmi_chan *chan)
{
	const char *path = scmi_uri_path(uri);

	if (!*path)
		path = SHMEM_DEFAULT_PATH;
	if (path[0] != '/') {
		shmem_log(chan, SCMI_LOG_ERR,
			  "shmem: path '%s' is not absolute (shmem:///dev/mem?... or "
			  "shmem://?... for /dev/mem)",
			  path);
		return -EINVAL;
	}
	if (strlen(path) >= sizeof(cfg->path)) {
		shmem_log(chan, SCMI_LOG_ERR, "shmem: path is too long");
		return -EINVAL;
	}
	strcpy(cfg->path, path);
	return 0;
}

static int parse_doorbell(const struct scmi_uri *uri, const struct shmem_config_opts *opts,
			  struct shmem_config *cfg, struct scmi_chan *chan)
{
	static const char *const db_keys[] = {"db_width", "db_set", "db_preserve"};
	const char *name = opts->name;
	const char *s;
	uint64_t v;
	int ret;

	if (opts->parse_db) {
		s = scmi_uri_param(uri, "db");
		ret = s ? opts->parse_db(s, &cfg->db, &cfg->db_apart, opts->arg, chan) : 0;
		if (ret < 0)
			return ret;
		ret = s != NULL;
	} else if ((ret = parse_addr(uri, "db", &cfg->db)) < 0) {
		return ret;
	}
	cfg->has_db = ret;
	if (!cfg->has_db) {
		for (size_t i = 0; i < sizeof(db_keys) / sizeof(db_keys[0]); i++) {
			if (scmi_uri_param(uri, db_keys[i])) {
				shmem_log(chan, SCMI_LOG_ERR, "%s: %s= needs db=%s", name,
					  db_keys[i], opts->parse_db ? "REGION:OFF" : "ADDR");
				return -EINVAL;
			}
		}
		return 0;
	}
	cfg->db_width = 32;
	if ((ret = scmi_uri_param_u64(uri, "db_width", 8, 64, &v)) < 0)
		return ret;
	if (ret) {
		if (v != 8 && v != 16 && v != 32 && v != 64) {
			shmem_log(chan, SCMI_LOG_ERR,
				  "%s: db_width=%" PRIu64 ": expected 8, 16, 32 or 64", name, v);
			return -EINVAL;
		}
		cfg->db_width = (unsigned int)v;
	}
	cfg->db_set = 1;
	if ((ret = parse_addr(uri, "db_set", &cfg->db_set)) < 0)
		return ret;
	cfg->db_preserve = 0;
	if ((ret = parse_addr(uri, "db_preserve", &cfg->db_preserve)) < 0)
		return ret;
	if (cfg->db_width < 64 &&
	    ((cfg->db_set >> cfg->db_width) || (cfg->db_preserve >> cfg->db_width))) {
		shmem_log(chan, SCMI_LOG_ERR,
			  "%s: db_set=0x%" PRIx64 "/db_preserve=0x%" PRIx64
			  " do not fit a %u-bit doorbell",
			  name, cfg->db_set, cfg->db_preserve, cfg->db_width);
		return -EINVAL;
	}
	return 0;
}

static int parse_completion(const struct scmi_uri *uri, const struct shmem_config_opts *opts,
			    struct shmem_config *cfg, struct scmi_chan *chan)
{
	const char *s = scmi_uri_param(uri, "completion");

	cfg->completion = opts->irq_default ? SHMEM_COMPLETION_IRQ : SHMEM_COMPLETION_POLL;
	if (!s)
		return 0;
	cfg->completion = SHMEM_COMPLETION_POLL;
	if (!strcmp(s, "poll"))
		return 0;
	if (strcmp(s, "irq")) {
		shmem_log(chan, SCMI_LOG_ERR, "%s: completion=%s: expected poll or irq", opts->name,
			  s);
		return -EINVAL;
	}
	if (!opts->irq_capable) {
		shmem_log(chan, SCMI_LOG_ERR,
			  "%s: completion=irq: a memory device or file has no completion "
			  "interrupt; use completion=poll",
			  opts->name);
		return -EINVAL;
	}
	cfg->completion = SHMEM_COMPLETION_IRQ;
	return 0;
}

static void range_set(struct shmem_range *r, const char *what, uint8_t protocol, uint64_t start,
		      uint64_t len, unsigned int region)
{
	r->region = region;
	if (protocol)
		snprintf(r->name, sizeof(r->name), "%s.0x%02x", what, protocol);
	else
		snprintf(r->name, sizeof(r->name), "%s", what);
	r->start = start;
	r->len = len;
}

/* Alignment, overflow and overlaps of every area and the doorbell. */
static int check_ranges(const struct shmem_config *cfg, const char *name, struct scmi_chan *chan)
{
	struct shmem_range r[2 * SHMEM_MAX_CHANNELS + 1];
	size_t n = 0;

	for (size_t i = 0; i < cfg->num_chans; i++) {
		const struct shmem_chan_config *c = &cfg->chans[i];

		range_set(&r[n++], "a2p", c->protocol, c->a2p, cfg->size, 0);
		if (c->has_p2a)
			range_set(&r[n++], "p2a", c->protocol, c->p2a, cfg->size,
				  cfg->p2a_apart ? 1 : 0);
	}
	if (cfg->has_db)
		range_set(&r[n++], "db", 0, cfg->db, cfg->db_width / 8, cfg->db_apart ? 2 : 0);
	for (size_t i = 0; i < n; i++) {
		uint64_t align = cfg->has_db && i == n - 1 ? r[i].len : 4;

		if (r[i].start & (align - 1)) {
			shmem_log(chan, SCMI_LOG_ERR,
				  "%s: %s=0x%" PRIx64 " is not %" PRIu64 "-byte aligned", name,
				  r[i].name, r[i].start, align);
			return -EINVAL;
		}
		if (r[i].start > (uint64_t)INT64_MAX - r[i].len) {
			shmem_log(chan, SCMI_LOG_ERR,
				  "%s: %s=0x%" PRIx64 " + %" PRIu64
				  " bytes is past the largest offset",
				  name, r[i].name, r[i].start, r[i].len);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			if (r[i].region == r[j].region && r[i].start < r[j].start + r[j].len &&
			    r[j].start < r[i].start + r[i].len) {
				shmem_log(chan, SCMI_LOG_ERR,
					  "%s: %s=0x%" PRIx64 " (%" PRIu64
					  " bytes) overlaps %s=0x%" PRIx64 " (%" PRIu64 " bytes)",
					  name, r[i].name, r[i].start, r[i].len, r[j].name,
					  r[j].start, r[j].len);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static bool is_known_key(const char *key, const char *const *own_keys)
{
	static const char *const keys[] = {"a2p",	  "p2a",      "size",
					   "db",	  "db_width", "db_set",
					   "db_preserve", "poll_us",  "completion",
					   "timeout_ms"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	for (size_t i = 0; own_keys && own_keys[i]; i++)
		if (!strcmp(key, own_keys[i]))
			return true;
	return false;
}

int shmem_config_parse_opts(const struct scmi_uri *uri, const struct shmem_config_opts *opts,
			    struct shmem_config *cfg, struct scmi_chan *chan)
{
	bool seen_a2p[256] = {false};
	struct shmem_chan_config *def = &cfg->chans[0];
	const char *key, *name = opts->name;
	uint64_t v;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->num_chans = 1;
	cfg->p2a_apart = opts->p2a_apart;
	if ((ret = parse_addr(uri, "a2p", &def->a2p)) < 0)
		return ret;
	if (!ret && !opts->a2p_optional) {
		shmem_log(chan, SCMI_LOG_ERR, "%s: a2p=ADDR (the A2P area's offset) is required",
			  name);
		return -EINVAL;
	}
	if ((ret = parse_addr(uri, "p2a", &def->p2a)) < 0)
		return ret;
	def->has_p2a = ret;
	cfg->size = SHMEM_DEFAULT_SIZE;
	if ((ret = scmi_uri_param_u64(uri, "size", 32, SHMEM_MAX_AREA_SIZE, &v)) < 0)
		return ret;
	if (ret) {
		if (v % 4) {
			shmem_log(chan, SCMI_LOG_ERR, "%s: size=%" PRIu64 " is not a multiple of 4",
				  name, v);
			return -EINVAL;
		}
		cfg->size = (size_t)v;
	}
	if ((ret = parse_doorbell(uri, opts, cfg, chan)))
		return ret;
	cfg->poll_us = SHMEM_DEFAULT_POLL_US;
	if ((ret = scmi_uri_param_u64(uri, "poll_us", SHMEM_MIN_POLL_US, SHMEM_MAX_POLL_US, &v)) <
	    0)
		return ret;
	if (ret)
		cfg->poll_us = (unsigned int)v;
	cfg->poll_us_set = ret;
	if ((ret = scmi_uri_param_u64(uri, "timeout_ms", 1, 3600000, &v)) < 0)
		return ret;
	if (ret)
		cfg->timeout_ms = (unsigned int)v;
	if ((ret = parse_completion(uri, opts, cfg, chan)))
		return ret;

	for (size_t i = 0; !scmi_uri_param_at(uri, i, &key, NULL); i++) {
		if (is_known_key(key, opts->own_keys))
			continue;
		if (!strncmp(key, "a2p.", 4) || !strncmp(key, "p2a.", 4)) {
			if ((ret = parse_proto_chan(uri, key, cfg, seen_a2p, name, chan)))
				return ret;
			continue;
		}
		shmem_log(chan, SCMI_LOG_ERR, "%s: unknown parameter '%s'", name, key);
		return -EINVAL;
	}
	for (size_t i = 1; i < cfg->num_chans; i++) {
		if (!seen_a2p[cfg->chans[i].protocol]) {
			shmem_log(chan, SCMI_LOG_ERR, "%s: p2a.0x%02x= needs a2p.0x%02x=", name,
				  cfg->chans[i].protocol, cfg->chans[i].protocol);
			return -EINVAL;
		}
	}
	return check_ranges(cfg, name, chan);
}

int shmem_config_parse(const struct scmi_uri *uri, bool irq_capable, struct shmem_config *cfg,
		       struct scmi_chan *chan)
{
	const struct shmem_config_opts opts = {.name = "shmem", .irq_capable = irq_capable};
	char path[sizeof(cfg->path)];
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if ((ret = parse_path(uri, cfg, chan)))
		return ret;
	memcpy(path, cfg->path, sizeof(path));
	if ((ret = shmem_config_parse_opts(uri, &opts, cfg, chan)))
		return ret;
	memcpy(cfg->path, path, sizeof(path));
	return 0;
}

const struct shmem_chan_config *shmem_config_chan(const struct shmem_config *cfg, uint8_t protocol)
{
	for (size_t i = 1; i < cfg->num_chans; i++)
		if (cfg->chans[i].protocol == protocol)
			return &cfg->chans[i];
	return &cfg->chans[0];
}

bool shmem_config_has_p2a(const struct shmem_config *cfg)
{
	for (size_t i = 0; i < cfg->num_chans; i++)
		if (cfg->chans[i].has_p2a)
			return true;
	return false;
}

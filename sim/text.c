// SPDX-License-Identifier: BSD-3-Clause
/*
 * Setting the platform up from text: protocol versions, vendor protocols,
 * the test protocol -- the syntax of the loopback:// parameters of the same
 * names and of scmi-sim's options (both call these).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <scmi-sim/sim.h>

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int scmi_sim_protocol_parse(const char *s, uint8_t *out)
{
	static const char *const names[] = {"base",   "power", "system",  "perf",     "clock",
					    "sensor", "reset", "voltage", "powercap", "pinctrl"};
	uint64_t v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcasecmp(s, names[i])) {
			*out = (uint8_t)(0x10 + i);
			return 0;
		}
	}
	if (parse_u64(s, 0x10, 0xff, &v))
		return -EINVAL;
	*out = (uint8_t)v;
	return 0;
}

/* "perf:3.0" / "0x13:0x30000" -> (0x13, 0x30000) */
static int parse_version_item(char *item, uint8_t *proto, uint32_t *version)
{
	char *colon = strchr(item, ':'), *dot;
	uint64_t major, minor;

	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (scmi_sim_protocol_parse(item, proto))
		return -EINVAL;
	dot = strchr(colon + 1, '.');
	if (dot) {
		*dot = '\0';
		if (parse_u64(colon + 1, 0, 0xffff, &major) ||
		    parse_u64(dot + 1, 0, 0xffff, &minor) || strchr(dot + 1, 'x'))
			return -EINVAL;
		*version = (uint32_t)(major << 16 | minor);
		return 0;
	}
	if (parse_u64(colon + 1, 0, 0xffffffffu, &major))
		return -EINVAL;
	*version = (uint32_t)major;
	return 0;
}

int scmi_sim_versions_apply(struct scmi_sim *sim, const char *list, char *err, size_t errlen)
{
	char *copy, *save = NULL;
	int ret;

	if (!sim || !list)
		return -EINVAL;
	copy = strdup(list);
	ret = copy ? 0 : -ENOMEM;

	for (char *it = copy ? strtok_r(copy, ",", &save) : NULL; it && !ret;
	     it = strtok_r(NULL, ",", &save)) {
		char item[64];
		uint8_t proto;
		uint32_t version;

		snprintf(item, sizeof(item), "%s", it);
		if (parse_version_item(item, &proto, &version)) {
			snprintf(err, errlen,
				 "versions item '%s' is malformed (want PROTO:MAJOR.MINOR)", it);
			ret = -EINVAL;
			break;
		}
		if (proto >= 0x80)
			ret = scmi_sim_vendor_protocol_add(sim, proto, version);
		else
			ret = scmi_sim_protocol_version_set(sim, proto, version);
		if (ret) {
			snprintf(err, errlen, "the simulator refused version %s: %s", it,
				 strerror(-ret));
			ret = -EINVAL;
		}
	}
	free(copy);
	return ret;
}

int scmi_sim_test_protocols_apply(struct scmi_sim *sim, const char *list, char *err, size_t errlen)
{
	char *copy, *save = NULL;
	int ret;

	if (!sim || !list)
		return -EINVAL;
	copy = strdup(list);
	ret = copy ? 0 : -ENOMEM;

	for (char *it = copy ? strtok_r(copy, ",", &save) : NULL; it && !ret;
	     it = strtok_r(NULL, ",", &save)) {
		char item[64], *colon;
		uint64_t id, sources;

		snprintf(item, sizeof(item), "%s", it);
		colon = strchr(item, ':');
		if (colon)
			*colon = '\0';
		if (!colon || parse_u64(item, 0x80, 0xff, &id) ||
		    parse_u64(colon + 1, 1, 0xffff, &sources))
			ret = -EINVAL;
		else
			ret = scmi_sim_test_protocol_add(sim, (uint8_t)id, (unsigned int)sources);
		if (ret) {
			snprintf(err, errlen,
				 "test protocol '%s': want ID:SOURCES with a vendor id 0x80..0xff "
				 "and 1..65535 sources (%s)",
				 it, strerror(-ret));
			ret = -EINVAL;
		}
	}
	free(copy);
	return ret;
}

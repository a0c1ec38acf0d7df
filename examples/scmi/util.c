// SPDX-License-Identifier: BSD-3-Clause
/* Small helpers shared by the subcommands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

int cli_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (cli_parse_u64(s, &v) || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int cli_parse_i32(const char *s, int32_t *out)
{
	long long v;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || *end || v < INT32_MIN || v > INT32_MAX)
		return -EINVAL;
	*out = (int32_t)v;
	return 0;
}

int cli_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "on", "true", "enable", "yes", NULL};
	static const char *const no[] = {"0", "off", "false", "disable", "no", NULL};

	if (!s)
		return -EINVAL;
	for (size_t i = 0; yes[i]; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int cli_word(const char *arg, const char *const *words)
{
	for (int i = 0; arg && words[i]; i++)
		if (!strcmp(arg, words[i]))
			return i;
	return -1;
}

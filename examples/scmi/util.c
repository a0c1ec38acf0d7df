// SPDX-License-Identifier: BSD-3-Clause
/* Small helpers shared by the subcommands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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

bool cli_settle(bool (*done)(void *arg), void *arg)
{
	for (int i = 0; i < 50; i++) {
		struct timespec ts = {0, 2000000};

		if (done(arg))
			return true;
		nanosleep(&ts, NULL);
	}
	return done(arg);
}

int cli_word(const char *arg, const char *const *words)
{
	for (int i = 0; arg && words[i]; i++)
		if (!strcmp(arg, words[i]))
			return i;
	return -1;
}

/* ---- numbers with units ------------------------------------------------------ */

static const struct cli_unit {
	enum cli_quantity q;
	const char *name;
	int exp10;
	bool exact_case; /* one-letter multipliers: "M" is not "m" */
} cli_units[] = {
	{CLI_FREQUENCY, "Hz", 0, false},  {CLI_FREQUENCY, "kHz", 3, false},
	{CLI_FREQUENCY, "MHz", 6, false}, {CLI_FREQUENCY, "GHz", 9, false},
	{CLI_FREQUENCY, "k", 3, true},	  {CLI_FREQUENCY, "K", 3, true},
	{CLI_FREQUENCY, "M", 6, true},	  {CLI_FREQUENCY, "G", 9, true},
	{CLI_VOLTAGE, "uV", -6, false},	  {CLI_VOLTAGE, "µV", -6, false},
	{CLI_VOLTAGE, "mV", -3, false},	  {CLI_VOLTAGE, "V", 0, false},
	{CLI_POWER, "uW", -6, false},	  {CLI_POWER, "µW", -6, false},
	{CLI_POWER, "mW", -3, false},	  {CLI_POWER, "W", 0, false},
	{CLI_TIME, "ns", -9, false},	  {CLI_TIME, "us", -6, false},
	{CLI_TIME, "µs", -6, false},	  {CLI_TIME, "ms", -3, false},
	{CLI_TIME, "s", 0, false},
};

const char *cli_quantity_units(enum cli_quantity q)
{
	switch (q) {
	case CLI_FREQUENCY:
		return "Hz, kHz, MHz or GHz";
	case CLI_VOLTAGE:
		return "uV, mV or V";
	case CLI_POWER:
		return "uW, mW or W";
	case CLI_TIME:
		return "ns, us, ms or s";
	default:
		return "none";
	}
}

static const char *quantity_noun(enum cli_quantity q)
{
	static const char *const nouns[] = {"frequency", "voltage", "power", "time", "number"};

	return nouns[q];
}

/* Name of 10^@exp10 base units of @q ("MHz", "uV"), or NULL. */
static const char *unit_name(enum cli_quantity q, int exp10)
{
	for (size_t i = 0; i < sizeof(cli_units) / sizeof(cli_units[0]); i++)
		if (cli_units[i].q == q && cli_units[i].exp10 == exp10 && !cli_units[i].exact_case)
			return cli_units[i].name;
	return NULL;
}

/* The exponent of unit @s of @q; -EINVAL when it is none of them. */
static int unit_lookup(enum cli_quantity q, const char *s, int *exp10)
{
	for (size_t i = 0; i < sizeof(cli_units) / sizeof(cli_units[0]); i++) {
		const struct cli_unit *u = &cli_units[i];

		if (u->q == q && (u->exact_case ? !strcmp(s, u->name) : !strcasecmp(s, u->name))) {
			*exp10 = u->exp10;
			return 0;
		}
	}
	return -EINVAL;
}

/* Digits of @base from *@p into *@mag; how many, or -ERANGE on overflow. */
static int parse_digits(const char **p, unsigned int base, uint64_t *mag)
{
	int n = 0;

	for (;; (*p)++, n++) {
		char c = **p;
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return n;
		if (*mag > (UINT64_MAX - d) / base)
			return -ERANGE;
		*mag = *mag * base + d;
	}
}

int cli_parse_decimal(const char *s, enum cli_quantity q, int unit_exp10, int64_t *mant, int *exp10)
{
	const char *p = s;
	uint64_t mag = 0;
	int whole, frac = 0, e = unit_exp10;
	bool neg;

	if (!s)
		return -EINVAL;
	neg = *p == '-';
	p += neg;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		whole = parse_digits(&p, 16, &mag);
		if (!whole)
			return -EINVAL;
	} else {
		whole = parse_digits(&p, 10, &mag);
		if (whole >= 0 && *p == '.') {
			p++;
			frac = parse_digits(&p, 10, &mag);
			if (frac == 0)
				return -EINVAL; /* "1." */
		}
		if (whole == 0 && frac == 0)
			return -EINVAL;
	}
	if (whole < 0 || frac < 0)
		return -ERANGE;
	if (*p == ' ')
		p++; /* "1.2 GHz" */
	if (*p && unit_lookup(q, p, &e))
		return -EINVAL;
	if (mag > (uint64_t)INT64_MAX)
		return -ERANGE;
	*mant = neg ? -(int64_t)mag : (int64_t)mag;
	*exp10 = e - frac;
	return 0;
}

int cli_parse_quantity(const char *s, enum cli_quantity q, int plain_exp10, int exp10, int64_t min,
		       int64_t max, int64_t *out)
{
	int64_t v;
	int e, ret = cli_parse_decimal(s, q, plain_exp10, &v, &e);

	if (ret)
		return ret;
	for (; e > exp10; e--) {
		if (v > INT64_MAX / 10 || v < INT64_MIN / 10)
			return -ERANGE;
		v *= 10;
	}
	for (; e < exp10; e++) {
		if (v % 10)
			return -EDOM;
		v /= 10;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int cli_arg_quantity(const struct cli *cli, const struct cli_cmd *cmd, const char *name,
		     const char *s, enum cli_quantity q, int plain_exp10, int exp10, int64_t min,
		     int64_t max, int64_t *out)
{
	const char *unit = unit_name(q, exp10);
	char why[160];
	int ret = cli_parse_quantity(s, q, plain_exp10, exp10, min, max, out);

	if (!ret)
		return 0;
	if (ret == -EDOM)
		snprintf(why, sizeof(why), "not a whole number of %s", unit);
	else if (ret == -ERANGE)
		snprintf(why, sizeof(why), "out of range (%" PRId64 "..%" PRId64 " %s)", min, max,
			 unit);
	else
		snprintf(why, sizeof(why), "not a %s (a number of %s, or with a unit: %s)",
			 quantity_noun(q), unit_name(q, plain_exp10), cli_quantity_units(q));
	return cli_bad_value(cli, cmd, name, s, why);
}

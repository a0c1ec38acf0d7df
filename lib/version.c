// SPDX-License-Identifier: BSD-3-Clause
/* The library's version: the values of the headers it was built with. */
#include <scmi/version.h>

unsigned int scmi_version(void)
{
	return SCMI_VERSION_HEX;
}

const char *scmi_version_string(void)
{
	return SCMI_VERSION_STRING;
}

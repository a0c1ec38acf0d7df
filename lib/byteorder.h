/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host <-> little-endian conversions for wire data (internal): htole16/32/64
 * and le16/32/64toh from the platform's <endian.h> (glibc, musl) or
 * <sys/endian.h> (the BSDs) where it has them, else our own, chosen by the
 * compiler's byte order.  SCMI_FORCE_FALLBACKS (the CMake option of that
 * name) takes our own even where the platform has them, so a Linux build can
 * prove they work (docs/PORTABILITY.md).
 */
#ifndef SCMI_LIB_BYTEORDER_H
#define SCMI_LIB_BYTEORDER_H

#include <stdint.h>

#if !defined(SCMI_FORCE_FALLBACKS) && defined(__has_include)
#if __has_include(<endian.h>)
#include <endian.h>
#elif __has_include(<sys/endian.h>)
#include <sys/endian.h>
#endif
#endif

#if !defined(le32toh) || !defined(htole32) || !defined(le16toh) || !defined(htole16) || \
	!defined(le64toh) || !defined(htole64)
#if !defined(__BYTE_ORDER__) || !defined(__ORDER_LITTLE_ENDIAN__) || !defined(__ORDER_BIG_ENDIAN__)
#error "byteorder.h: no <endian.h> and no __BYTE_ORDER__: say how to convert to little-endian"
#endif

static inline uint16_t scmi_bo_le16(uint16_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (uint16_t)(v >> 8 | v << 8);
#else
	return v;
#endif
}

static inline uint32_t scmi_bo_le32(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (v >> 24) | (v >> 8 & 0xff00u) | (v << 8 & 0xff0000u) | (v << 24);
#else
	return v;
#endif
}

static inline uint64_t scmi_bo_le64(uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (uint64_t)scmi_bo_le32((uint32_t)v) << 32 | scmi_bo_le32((uint32_t)(v >> 32));
#else
	return v;
#endif
}

#undef htole16
#undef le16toh
#undef htole32
#undef le32toh
#undef htole64
#undef le64toh
#define htole16(v) scmi_bo_le16(v)
#define le16toh(v) scmi_bo_le16(v)
#define htole32(v) scmi_bo_le32(v)
#define le32toh(v) scmi_bo_le32(v)
#define htole64(v) scmi_bo_le64(v)
#define le64toh(v) scmi_bo_le64(v)
#endif

#endif

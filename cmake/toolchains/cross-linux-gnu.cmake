# SPDX-License-Identifier: BSD-3-Clause
#
# Shared part of the Debian cross toolchain files (<triple>.cmake beside
# this one, which set SCMI_CROSS_TRIPLE, SCMI_CROSS_PROCESSOR and
# SCMI_CROSS_QEMU).  The compiler is Debian's gcc-<triple>; the target's
# libraries (libuv, Criterion, json-c, libevdev) come either from
#   - a sysroot (scripts/cross.sh makes one with mmdebstrap): configure with
#     -DSCMI_SYSROOT=DIR (or SCMI_SYSROOT in the environment), or
#   - Debian multiarch packages installed on this machine (libuv1-dev:arm64
#     ...): leave SCMI_SYSROOT empty.
# Test programs run under qemu-user (CMAKE_CROSSCOMPILING_EMULATOR), so
# plain ctest runs the suites.  docs/PORTABILITY.md tells the whole story.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${SCMI_CROSS_PROCESSOR})
set(CMAKE_C_COMPILER ${SCMI_CROSS_TRIPLE}-gcc)

if(NOT DEFINED SCMI_SYSROOT AND DEFINED ENV{SCMI_SYSROOT})
	set(SCMI_SYSROOT "$ENV{SCMI_SYSROOT}")
endif()
# try_compile() projects read this file again: hand them the sysroot.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SCMI_SYSROOT)

if(SCMI_SYSROOT)
	set(CMAKE_SYSROOT "${SCMI_SYSROOT}")
	set(CMAKE_FIND_ROOT_PATH "${SCMI_SYSROOT}")
	set(scmi_cross_root "${SCMI_SYSROOT}")
	set(scmi_cross_libroot "${SCMI_SYSROOT}")
	set(ENV{PKG_CONFIG_SYSROOT_DIR} "${SCMI_SYSROOT}")
else()
	# Multiarch: the target's libraries are in /usr/lib/<triple>, its
	# headers mostly in /usr/include; the cross libc in /usr/<triple>.
	set(CMAKE_FIND_ROOT_PATH /usr/${SCMI_CROSS_TRIPLE})
	set(scmi_cross_root "")
	set(scmi_cross_libroot /usr/${SCMI_CROSS_TRIPLE})
	set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
endif()
set(ENV{PKG_CONFIG_LIBDIR}
	"${scmi_cross_root}/usr/lib/${SCMI_CROSS_TRIPLE}/pkgconfig:${scmi_cross_root}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
if(SCMI_SYSROOT)
	set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
	set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
	set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
else()
	set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
	set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
	set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
endif()

# qemu-user, with the target's dynamic loader and libraries under -L.
find_program(SCMI_CROSS_QEMU_BIN ${SCMI_CROSS_QEMU})
if(SCMI_CROSS_QEMU_BIN)
	set(CMAKE_CROSSCOMPILING_EMULATOR ${SCMI_CROSS_QEMU_BIN} -L ${scmi_cross_libroot})
endif()

# SPDX-License-Identifier: BSD-3-Clause
# IBM Z (64-bit, big-endian), Debian's gcc-s390x-linux-gnu, run under
# qemu-s390x: see cross-linux-gnu.cmake and docs/PORTABILITY.md.
set(SCMI_CROSS_TRIPLE s390x-linux-gnu)
set(SCMI_CROSS_PROCESSOR s390x)
set(SCMI_CROSS_QEMU qemu-s390x)
include(${CMAKE_CURRENT_LIST_DIR}/cross-linux-gnu.cmake)

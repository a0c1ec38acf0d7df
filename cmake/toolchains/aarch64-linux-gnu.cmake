# SPDX-License-Identifier: BSD-3-Clause
# 64-bit Arm (little-endian), Debian's gcc-aarch64-linux-gnu, run under
# qemu-aarch64: see cross-linux-gnu.cmake and docs/PORTABILITY.md.
set(SCMI_CROSS_TRIPLE aarch64-linux-gnu)
set(SCMI_CROSS_PROCESSOR aarch64)
set(SCMI_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/cross-linux-gnu.cmake)

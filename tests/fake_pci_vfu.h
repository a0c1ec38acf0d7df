/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal vfio-user server for tests: a plain PCI function (no virtio
 * structures) with the ids given, a BAR0 of 4 KiB reading zeros, a
 * 256-byte config space and one INTx, served on a thread at a new UNIX
 * socket, one client at a time.  What a transport sees when the socket
 * is not the device it expects.
 */
#ifndef SCMI_TESTS_FAKE_PCI_VFU_H
#define SCMI_TESTS_FAKE_PCI_VFU_H

#include <stdint.h>

struct fake_pci_ids {
	uint16_t vendor, device;
	uint16_t subsystem_vendor, subsystem_device;
	uint32_t class_code; /* base, sub, prog-if: 0x020000 */
};

struct fake_pci_vfu;

/* Start serving (asserts on failure); stopped by fake_pci_vfu_stop(). */
struct fake_pci_vfu *fake_pci_vfu_start(const struct fake_pci_ids *ids);
/* The socket's absolute path. */
const char *fake_pci_vfu_path(const struct fake_pci_vfu *f);
/* Commands served so far. */
unsigned int fake_pci_vfu_served(const struct fake_pci_vfu *f);
/* Stop the thread, remove the socket. */
void fake_pci_vfu_stop(struct fake_pci_vfu *f);

#endif

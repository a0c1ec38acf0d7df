/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Vendor protocols, core side (internal; the public side is
 * <scmi/protocol.h>, the implementation lib/vendor.c).
 */
#ifndef SCMI_LIB_VENDOR_H
#define SCMI_LIB_VENDOR_H

#include <stdint.h>

struct scmi_instance;
struct scmi_protocol_slot;

/** scmi_open(), after Base discovery (inst->rev) and before the handle is
 *  published: bind the registered implementations matching the platform's
 *  vendor protocols.  0 or -ENOMEM. */
int scmi_vendor_bind(struct scmi_instance *inst);
/** The slot of bound vendor protocol @id, or NULL (lib/handle.c,
 *  proto_slot()). */
struct scmi_protocol_slot *scmi_vendor_slot(struct scmi_instance *inst, uint8_t id);
/** Tear the bound vendor protocols down (deinit) and release their
 *  registry entries; before the standard protocols' teardown. */
void scmi_vendor_instance_free(struct scmi_instance *inst);

#endif

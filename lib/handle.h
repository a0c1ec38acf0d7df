/* SPDX-License-Identifier: BSD-3-Clause */
/* Handle internals shared between core files (internal). */
#ifndef SCMI_LIB_HANDLE_H
#define SCMI_LIB_HANDLE_H

#include "common.h"

#ifdef SCMI_HAVE_SHMEM
extern const struct scmi_transport_desc scmi_shmem_transport;
#endif
#ifdef SCMI_HAVE_UIO
extern const struct scmi_transport_desc scmi_uio_transport;
#endif
#ifdef SCMI_HAVE_VIRTIO_VFIO_USER
extern const struct scmi_transport_desc scmi_virtio_vfio_user_transport;
#endif

/** Does the platform list protocol @id (Base: always)? */
bool scmi_inst_protocol_listed(const struct scmi_instance *inst, uint8_t id);
/** The second half of scmi_close(): wait for the calls in progress to
 *  leave, tear down, free @inst. */
void scmi_close_finish(struct scmi_instance *inst);
/** PROTOCOL_VERSION of protocol @id. */
int scmi_inst_protocol_version(struct scmi_instance *inst, uint8_t id, uint32_t *version);

#endif

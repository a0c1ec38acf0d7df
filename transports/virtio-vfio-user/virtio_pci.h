/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio 1.x modern PCI driver over a vfio-user client (layer 2 of
 * virtio-vfio-user://, README.md).
 *
 * vpci_probe() reads the 256-byte config space (region 7) and walks its
 * capability list for the virtio structures (common, notify, ISR, device)
 * and MSI-X.  The rest follows the virtio initialisation order: reset,
 * ACKNOWLEDGE, DRIVER, vpci_negotiate() (VERSION_1 required, FEATURES_OK
 * read back), vpci_setup_irqs() (MSI-X preferred, INTx fallback),
 * vpci_queue_setup() per queue, vpci_driver_ok().  On a fatal step the
 * caller sets FAILED with vpci_fail().
 *
 * Threads: the caller serialises the set-up calls; vpci_notify() and
 * vpci_isr_read() may be called from any thread afterwards.
 */
#ifndef SCMI_VIRTIO_PCI_H
#define SCMI_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>

#include "vfio_user.h"
#include "virtqueue.h"

#define VIRTIO_PCI_VENDOR      0x1af4u
#define VIRTIO_PCI_DEVICE_BASE 0x1040u /* + virtio device id */
#define VIRTIO_ID_SCMI	       32u

/* Status bits. */
#define VIRTIO_S_ACKNOWLEDGE	    0x01u
#define VIRTIO_S_DRIVER		    0x02u
#define VIRTIO_S_DRIVER_OK	    0x04u
#define VIRTIO_S_FEATURES_OK	    0x08u
#define VIRTIO_S_DEVICE_NEEDS_RESET 0x40u
#define VIRTIO_S_FAILED		    0x80u

/* Transport feature bits. */
#define VIRTIO_F_VERSION_1	 32
#define VIRTIO_F_ACCESS_PLATFORM 33

/* virtio_pci_cap cfg_type. */
#define VIRTIO_PCI_CAP_COMMON 1u
#define VIRTIO_PCI_CAP_NOTIFY 2u
#define VIRTIO_PCI_CAP_ISR    3u
#define VIRTIO_PCI_CAP_DEVICE 4u

/* Common configuration offsets. */
#define VIRTIO_CC_DFSELECT  0x00u
#define VIRTIO_CC_DF	    0x04u
#define VIRTIO_CC_GFSELECT  0x08u
#define VIRTIO_CC_GF	    0x0cu
#define VIRTIO_CC_MSIX	    0x10u
#define VIRTIO_CC_NUMQ	    0x12u
#define VIRTIO_CC_STATUS    0x14u
#define VIRTIO_CC_CFGGEN    0x15u
#define VIRTIO_CC_Q_SELECT  0x16u
#define VIRTIO_CC_Q_SIZE    0x18u
#define VIRTIO_CC_Q_MSIX    0x1au
#define VIRTIO_CC_Q_ENABLE  0x1cu
#define VIRTIO_CC_Q_NOFF    0x1eu
#define VIRTIO_CC_Q_DESCLO  0x20u
#define VIRTIO_CC_Q_DESCHI  0x24u
#define VIRTIO_CC_Q_AVAILLO 0x28u
#define VIRTIO_CC_Q_AVAILHI 0x2cu
#define VIRTIO_CC_Q_USEDLO  0x30u
#define VIRTIO_CC_Q_USEDHI  0x34u
#define VIRTIO_CC_MIN_LEN   0x38u

#define VIRTIO_MSI_NO_VECTOR 0xffffu

/* PCI config space. */
#define PCI_CFG_SIZE		 256u
#define PCI_VENDOR_ID		 0x00u
#define PCI_DEVICE_ID		 0x02u
#define PCI_COMMAND		 0x04u
#define PCI_STATUS		 0x06u
#define PCI_CAP_PTR		 0x34u
#define PCI_STATUS_CAP		 0x10u
#define PCI_COMMAND_MEM		 0x0002u
#define PCI_COMMAND_MASTER	 0x0004u
#define PCI_COMMAND_INTX_DISABLE 0x0400u
#define PCI_CAP_ID_VNDR		 0x09u
#define PCI_CAP_ID_MSIX		 0x11u
#define PCI_MSIX_ENABLE		 0x8000u
#define PCI_MSIX_MASKALL	 0x4000u

/** Where a virtio structure lives: BAR (= vfio-user region) and range. */
struct vpci_struct {
	bool present;
	uint8_t bar;
	uint32_t offset, length;
};

enum vpci_irq_mode {
	VPCI_IRQ_AUTO, /**< MSI-X when the device has enough vectors, else INTx */
	VPCI_IRQ_MSIX, /**< MSI-X or fail */
	VPCI_IRQ_INTX, /**< INTx even when MSI-X is there */
};

struct vpci_dev {
	struct vfu_client *vfu;
	scmi_log_fn log;
	void *log_priv;
	uint16_t vendor, device;
	struct vpci_struct common, notify, isr, devcfg;
	uint32_t notify_mult;
	uint16_t msix_cap;  /**< offset of the MSI-X capability, 0: none */
	uint16_t msix_size; /**< table entries */
	uint64_t dev_features, drv_features;
	uint16_t num_queues;
	bool msix; /**< interrupts by MSI-X (else INTx) */
	struct vfu_irqs irqs;
	uint8_t status; /**< what we last wrote */
};

/** Read config space and find the capabilities.  -ENODEV (with a log line
 *  naming the ids) when this is no modern virtio device of type
 *  @virtio_id; -EPROTO for a capability that makes no sense. */
int vpci_probe(struct vpci_dev *d, uint32_t virtio_id);
/** Reset: status 0, then read back until 0 (bounded).  -ETIMEDOUT. */
int vpci_reset(struct vpci_dev *d);
/** OR @bits into the status register. */
int vpci_set_status(struct vpci_dev *d, uint8_t bits);
int vpci_get_status(struct vpci_dev *d, uint8_t *status);
/** Set FAILED (best effort). */
void vpci_fail(struct vpci_dev *d);
/**
 * Steps 1-7 of the initialisation: reset, ACKNOWLEDGE, DRIVER, read the
 * device's features, accept those in @wanted it offers (VERSION_1 is
 * required: -ENODEV with a clear log line without it), FEATURES_OK and
 * re-check (-EIO when the device refused).  dev_features / drv_features
 * then say what was offered and accepted.
 */
int vpci_negotiate(struct vpci_dev *d, uint64_t wanted);
/**
 * Interrupts for @nqueues queues: MSI-X vector 0 for configuration
 * changes and 1 + q for queue q, or INTx.  The eventfds are in d->irqs
 * (MSI-X: one per vector; INTx: one).
 */
int vpci_setup_irqs(struct vpci_dev *d, unsigned int nqueues, enum vpci_irq_mode mode);
/** Maximum size of queue @q (0: absent). */
int vpci_queue_max(struct vpci_dev *d, uint16_t q, uint16_t *size);
/** Program queue vq->index (size, vector, addresses) and enable it. */
int vpci_queue_setup(struct vpci_dev *d, struct virtqueue *vq, uint16_t *notify_off);
int vpci_driver_ok(struct vpci_dev *d);
/** Doorbell of queue @q (posted write of the queue index). */
int vpci_notify(struct vpci_dev *d, uint16_t q, uint16_t notify_off);
/** INTx: read (and so clear) the ISR byte. */
int vpci_isr_read(struct vpci_dev *d, uint8_t *isr);

#endif

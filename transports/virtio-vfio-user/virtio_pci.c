// SPDX-License-Identifier: BSD-3-Clause
/*
 * virtio 1.x modern PCI driver over a vfio-user client: see virtio_pci.h.
 *
 * Every register access is one vfio-user region access of the field's
 * natural width (a mapping when the server offers one, a message
 * otherwise); 64-bit fields are written as two 32-bit halves.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "virtio_pci.h"

#define VPCI_MAX_CAPS	 48
#define VPCI_RESET_POLLS 1000

__attribute__((format(printf, 3, 4))) static void
vpci_log(struct vpci_dev *d, enum scmi_log_level lvl, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!d->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	d->log(d->log_priv, lvl, line);
}

static uint16_t cfg16(const uint8_t *cfg, unsigned int off)
{
	return (uint16_t)(cfg[off] | cfg[off + 1] << 8);
}
static uint32_t cfg32(const uint8_t *cfg, unsigned int off)
{
	return (uint32_t)cfg[off] | (uint32_t)cfg[off + 1] << 8 | (uint32_t)cfg[off + 2] << 16 |
	       (uint32_t)cfg[off + 3] << 24;
}

static int cc_read(struct vpci_dev *d, uint32_t off, unsigned int width, uint64_t *v)
{
	return vfu_region_read_val(d->vfu, d->common.bar, d->common.offset + off, width, v);
}
static int cc_write(struct vpci_dev *d, uint32_t off, unsigned int width, uint64_t v)
{
	return vfu_region_write_val(d->vfu, d->common.bar, d->common.offset + off, width, v);
}

static const char *cap_name(uint8_t type)
{
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON:
		return "common";
	case VIRTIO_PCI_CAP_NOTIFY:
		return "notify";
	case VIRTIO_PCI_CAP_ISR:
		return "ISR";
	default:
		return "device";
	}
}

/* The structure must lie inside its BAR as the server describes it. */
static int vpci_check_struct(struct vpci_dev *d, struct vpci_struct *s, uint8_t type)
{
	const struct vfu_region *r;
	int ret = vfu_region_get_info(d->vfu, s->bar, &r);

	if (ret) {
		vpci_log(d, SCMI_LOG_ERR, "virtio-pci: %s structure: BAR%u info: %s",
			 cap_name(type), s->bar, strerror(-ret));
		return ret;
	}
	if ((uint64_t)s->offset + s->length > r->size || !s->length) {
		vpci_log(d, SCMI_LOG_ERR,
			 "virtio-pci: %s structure 0x%x+0x%x outside BAR%u (0x%llx bytes)",
			 cap_name(type), s->offset, s->length, s->bar, (unsigned long long)r->size);
		return -EPROTO;
	}
	return 0;
}

static void vpci_vendor_cap(struct vpci_dev *d, const uint8_t *cfg, unsigned int ptr)
{
	uint8_t len = cfg[ptr + 2], type = cfg[ptr + 3], bar = cfg[ptr + 4];
	struct vpci_struct *s;

	if (len < 16 || ptr + len > PCI_CFG_SIZE) {
		vpci_log(d, SCMI_LOG_WARN, "virtio-pci: capability at 0x%x: bad length %u, ignored",
			 ptr, len);
		return;
	}
	if (bar > 5)
		return; /* reserved: ignore the capability */
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON:
		s = &d->common;
		break;
	case VIRTIO_PCI_CAP_NOTIFY:
		if (len < 20) {
			vpci_log(d, SCMI_LOG_WARN,
				 "virtio-pci: notify capability at 0x%x without its multiplier, "
				 "ignored",
				 ptr);
			return;
		}
		s = &d->notify;
		break;
	case VIRTIO_PCI_CAP_ISR:
		s = &d->isr;
		break;
	case VIRTIO_PCI_CAP_DEVICE:
		s = &d->devcfg;
		break;
	default:
		return;
	}
	if (s->present)
		return; /* the first of each type is the device's preference */
	s->present = true;
	s->bar = bar;
	s->offset = cfg32(cfg, ptr + 8);
	s->length = cfg32(cfg, ptr + 12);
	if (type == VIRTIO_PCI_CAP_NOTIFY)
		d->notify_mult = cfg32(cfg, ptr + 16);
}

int vpci_probe(struct vpci_dev *d, uint32_t virtio_id)
{
	uint8_t cfg[PCI_CFG_SIZE];
	unsigned int ptr, n = 0;
	int ret;

	ret = vfu_region_get_info(d->vfu, VFU_PCI_CONFIG_REGION, NULL);
	if (!ret)
		ret = vfu_region_read(d->vfu, VFU_PCI_CONFIG_REGION, 0, cfg, sizeof(cfg));
	if (ret) {
		vpci_log(d, SCMI_LOG_ERR, "virtio-pci: cannot read config space: %s",
			 strerror(-ret));
		return ret;
	}
	d->vendor = cfg16(cfg, PCI_VENDOR_ID);
	d->device = cfg16(cfg, PCI_DEVICE_ID);
	if (d->vendor != VIRTIO_PCI_VENDOR || d->device != VIRTIO_PCI_DEVICE_BASE + virtio_id) {
		vpci_log(d, SCMI_LOG_ERR,
			 "virtio-pci: PCI device %04x:%04x is not a modern virtio device of type "
			 "%u (%04x:%04x)",
			 d->vendor, d->device, virtio_id, VIRTIO_PCI_VENDOR,
			 VIRTIO_PCI_DEVICE_BASE + virtio_id);
		return -ENODEV;
	}
	if (!(cfg16(cfg, PCI_STATUS) & PCI_STATUS_CAP)) {
		vpci_log(d, SCMI_LOG_ERR, "virtio-pci: no capability list in config space");
		return -ENODEV;
	}
	for (ptr = cfg[PCI_CAP_PTR] & 0xfcu; ptr; ptr = cfg[ptr + 1] & 0xfcu) {
		if (ptr < 0x40 || ptr + 2 > PCI_CFG_SIZE || ++n > VPCI_MAX_CAPS) {
			vpci_log(d, SCMI_LOG_ERR,
				 "virtio-pci: capability list broken (pointer 0x%x, entry %u)", ptr,
				 n);
			return -EPROTO;
		}
		if (cfg[ptr] == PCI_CAP_ID_VNDR)
			vpci_vendor_cap(d, cfg, ptr);
		else if (cfg[ptr] == PCI_CAP_ID_MSIX && ptr + 12 <= PCI_CFG_SIZE && !d->msix_cap) {
			d->msix_cap = (uint16_t)ptr;
			d->msix_size = (uint16_t)((cfg16(cfg, ptr + 2) & 0x7ffu) + 1);
		}
	}
	if (!d->common.present || !d->notify.present || !d->isr.present) {
		vpci_log(d, SCMI_LOG_ERR, "virtio-pci: missing virtio structure capability:%s%s%s",
			 d->common.present ? "" : " common", d->notify.present ? "" : " notify",
			 d->isr.present ? "" : " ISR");
		return -ENODEV;
	}
	if (d->common.length < VIRTIO_CC_MIN_LEN) {
		vpci_log(d, SCMI_LOG_ERR, "virtio-pci: common structure too short (%u bytes)",
			 d->common.length);
		return -EPROTO;
	}
	if (d->notify_mult & 1) {
		vpci_log(d, SCMI_LOG_ERR, "virtio-pci: odd notify_off_multiplier %u",
			 d->notify_mult);
		return -EPROTO;
	}
	if ((ret = vpci_check_struct(d, &d->common, VIRTIO_PCI_CAP_COMMON)) ||
	    (ret = vpci_check_struct(d, &d->notify, VIRTIO_PCI_CAP_NOTIFY)) ||
	    (ret = vpci_check_struct(d, &d->isr, VIRTIO_PCI_CAP_ISR)))
		return ret;
	return 0;
}

int vpci_get_status(struct vpci_dev *d, uint8_t *status)
{
	uint64_t v;
	int ret = cc_read(d, VIRTIO_CC_STATUS, 1, &v);

	if (!ret)
		*status = (uint8_t)v;
	return ret;
}

int vpci_set_status(struct vpci_dev *d, uint8_t bits)
{
	d->status |= bits;
	return cc_write(d, VIRTIO_CC_STATUS, 1, d->status);
}

void vpci_fail(struct vpci_dev *d)
{
	(void)vpci_set_status(d, VIRTIO_S_FAILED);
}

int vpci_reset(struct vpci_dev *d)
{
	int ret;

	d->status = 0;
	ret = cc_write(d, VIRTIO_CC_STATUS, 1, 0);
	for (unsigned int i = 0; !ret && i < VPCI_RESET_POLLS; i++) {
		uint8_t st;

		ret = vpci_get_status(d, &st);
		if (!ret && !st)
			return 0;
	}
	if (!ret) {
		vpci_log(d, SCMI_LOG_ERR, "virtio-pci: the device does not complete its reset");
		ret = -ETIMEDOUT;
	}
	return ret;
}

static int vpci_features_read(struct vpci_dev *d, uint64_t *f)
{
	uint64_t lo, hi;
	int ret;

	if ((ret = cc_write(d, VIRTIO_CC_DFSELECT, 4, 0)) ||
	    (ret = cc_read(d, VIRTIO_CC_DF, 4, &lo)) ||
	    (ret = cc_write(d, VIRTIO_CC_DFSELECT, 4, 1)) ||
	    (ret = cc_read(d, VIRTIO_CC_DF, 4, &hi)))
		return ret;
	*f = (lo & 0xffffffffu) | (hi & 0xffffffffu) << 32;
	return 0;
}

int vpci_negotiate(struct vpci_dev *d, uint64_t wanted)
{
	uint8_t st;
	int ret;

	if ((ret = vpci_reset(d)) || (ret = vpci_set_status(d, VIRTIO_S_ACKNOWLEDGE)) ||
	    (ret = vpci_set_status(d, VIRTIO_S_DRIVER)) ||
	    (ret = vpci_features_read(d, &d->dev_features)))
		return ret;
	if (!(d->dev_features & (1ull << VIRTIO_F_VERSION_1))) {
		vpci_log(d, SCMI_LOG_ERR,
			 "virtio-pci: the device does not offer VIRTIO_F_VERSION_1 (features "
			 "0x%llx): legacy devices are not supported",
			 (unsigned long long)d->dev_features);
		return -ENODEV;
	}
	/* VERSION_1, ACCESS_PLATFORM (addresses are IOVAs either way) and the
	 * device-type bits the caller understands, of those offered. */
	d->drv_features = d->dev_features &
			  (wanted | 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_ACCESS_PLATFORM);
	if ((ret = cc_write(d, VIRTIO_CC_GFSELECT, 4, 0)) ||
	    (ret = cc_write(d, VIRTIO_CC_GF, 4, d->drv_features & 0xffffffffu)) ||
	    (ret = cc_write(d, VIRTIO_CC_GFSELECT, 4, 1)) ||
	    (ret = cc_write(d, VIRTIO_CC_GF, 4, d->drv_features >> 32)) ||
	    (ret = vpci_set_status(d, VIRTIO_S_FEATURES_OK)) || (ret = vpci_get_status(d, &st)))
		return ret;
	if (!(st & VIRTIO_S_FEATURES_OK)) {
		vpci_log(d, SCMI_LOG_ERR, "virtio-pci: the device refused features 0x%llx",
			 (unsigned long long)d->drv_features);
		return -EIO;
	}
	{
		uint64_t nq;

		if ((ret = cc_read(d, VIRTIO_CC_NUMQ, 2, &nq)))
			return ret;
		d->num_queues = (uint16_t)nq;
	}
	return 0;
}

static int cfg_write16(struct vpci_dev *d, uint32_t off, uint16_t v)
{
	return vfu_region_write_val(d->vfu, VFU_PCI_CONFIG_REGION, off, 2, v);
}
static int cfg_read16(struct vpci_dev *d, uint32_t off, uint16_t *v)
{
	uint64_t x;
	int ret = vfu_region_read_val(d->vfu, VFU_PCI_CONFIG_REGION, off, 2, &x);

	*v = (uint16_t)x;
	return ret;
}

int vpci_setup_irqs(struct vpci_dev *d, unsigned int nqueues, enum vpci_irq_mode mode)
{
	uint32_t want = 1 + nqueues;
	uint16_t ctl = 0, cmd = 0;
	uint64_t v;
	int ret;

	if ((ret = cfg_read16(d, PCI_COMMAND, &cmd)))
		return ret;
	cmd |= PCI_COMMAND_MEM | PCI_COMMAND_MASTER;
	d->msix = false;
	if (mode != VPCI_IRQ_INTX && d->msix_cap && d->msix_size >= want) {
		/* Our convention with the server: MSI-X enabled in config
		 * space, then eventfds attached to its vectors. */
		if ((ret = cfg_read16(d, d->msix_cap + 2u, &ctl)) ||
		    (ret = cfg_write16(d, d->msix_cap + 2u,
				       (uint16_t)((ctl | PCI_MSIX_ENABLE) & ~PCI_MSIX_MASKALL))))
			return ret;
		ret = vfu_irq_setup(d->vfu, VFU_PCI_MSIX_IRQ, want, &d->irqs);
		if (ret)
			return ret;
		d->msix = d->irqs.index == VFU_PCI_MSIX_IRQ;
		if (!d->msix &&
		    (ret = cfg_write16(d, d->msix_cap + 2u, (uint16_t)(ctl & ~PCI_MSIX_ENABLE))))
			return ret;
	}
	if (!d->msix) {
		if (mode == VPCI_IRQ_MSIX) {
			vpci_log(d, SCMI_LOG_ERR,
				 "virtio-pci: irq=msix but the device has %u MSI-X vectors (%u "
				 "needed)",
				 d->msix_cap ? d->msix_size : 0, want);
			return -ENODEV;
		}
		if (d->irqs.count == 0) {
			ret = vfu_irq_setup(d->vfu, VFU_PCI_INTX_IRQ, 1, &d->irqs);
			if (ret) {
				vpci_log(d, SCMI_LOG_ERR,
					 "virtio-pci: neither MSI-X nor INTx interrupts: %s",
					 strerror(-ret));
				return ret;
			}
		}
		cmd &= (uint16_t)~PCI_COMMAND_INTX_DISABLE;
	} else {
		cmd |= PCI_COMMAND_INTX_DISABLE;
	}
	if ((ret = cfg_write16(d, PCI_COMMAND, cmd)))
		return ret;
	if (d->msix) {
		if ((ret = cc_write(d, VIRTIO_CC_MSIX, 2, 0)) ||
		    (ret = cc_read(d, VIRTIO_CC_MSIX, 2, &v)))
			return ret;
		if (v != 0) {
			vpci_log(d, SCMI_LOG_ERR,
				 "virtio-pci: the device refused MSI-X vector 0 for configuration "
				 "changes");
			return -EIO;
		}
	}
	return 0;
}

int vpci_queue_max(struct vpci_dev *d, uint16_t q, uint16_t *size)
{
	uint64_t v;
	int ret;

	if ((ret = cc_write(d, VIRTIO_CC_Q_SELECT, 2, q)) ||
	    (ret = cc_read(d, VIRTIO_CC_Q_SIZE, 2, &v)))
		return ret;
	*size = (uint16_t)v;
	return 0;
}

int vpci_queue_setup(struct vpci_dev *d, struct virtqueue *vq, uint16_t *notify_off)
{
	uint16_t q = vq->index, max;
	uint64_t v;
	int ret;

	if ((ret = vpci_queue_max(d, q, &max)))
		return ret;
	if (!max || vq->size > max)
		return -EINVAL;
	if ((ret = cc_write(d, VIRTIO_CC_Q_SIZE, 2, vq->size)))
		return ret;
	if (d->msix) {
		if ((ret = cc_write(d, VIRTIO_CC_Q_MSIX, 2, 1u + q)) ||
		    (ret = cc_read(d, VIRTIO_CC_Q_MSIX, 2, &v)))
			return ret;
		if (v != 1u + q) {
			vpci_log(d, SCMI_LOG_ERR,
				 "virtio-pci: the device refused MSI-X vector %u for queue %u",
				 1u + q, q);
			return -EIO;
		}
	}
	if ((ret = cc_write(d, VIRTIO_CC_Q_DESCLO, 4, vq->desc_iova & 0xffffffffu)) ||
	    (ret = cc_write(d, VIRTIO_CC_Q_DESCHI, 4, vq->desc_iova >> 32)) ||
	    (ret = cc_write(d, VIRTIO_CC_Q_AVAILLO, 4, vq->avail_iova & 0xffffffffu)) ||
	    (ret = cc_write(d, VIRTIO_CC_Q_AVAILHI, 4, vq->avail_iova >> 32)) ||
	    (ret = cc_write(d, VIRTIO_CC_Q_USEDLO, 4, vq->used_iova & 0xffffffffu)) ||
	    (ret = cc_write(d, VIRTIO_CC_Q_USEDHI, 4, vq->used_iova >> 32)) ||
	    (ret = cc_read(d, VIRTIO_CC_Q_NOFF, 2, &v)))
		return ret;
	if ((uint64_t)v * d->notify_mult + 2 > d->notify.length) {
		vpci_log(
			d, SCMI_LOG_ERR,
			"virtio-pci: queue %u doorbell (slot %u x %u) outside the notify structure "
			"(%u bytes)",
			q, (unsigned int)v, d->notify_mult, d->notify.length);
		return -EPROTO;
	}
	*notify_off = (uint16_t)v;
	return cc_write(d, VIRTIO_CC_Q_ENABLE, 2, 1);
}

int vpci_driver_ok(struct vpci_dev *d)
{
	return vpci_set_status(d, VIRTIO_S_DRIVER_OK);
}

int vpci_notify(struct vpci_dev *d, uint16_t q, uint16_t notify_off)
{
	uint16_t v = htole16(q);

	return vfu_region_write_posted(d->vfu, d->notify.bar,
				       d->notify.offset + (uint64_t)notify_off * d->notify_mult, &v,
				       sizeof(v));
}

int vpci_isr_read(struct vpci_dev *d, uint8_t *isr)
{
	uint64_t v;
	int ret = vfu_region_read_val(d->vfu, d->isr.bar, d->isr.offset, 1, &v);

	if (!ret)
		*isr = (uint8_t)v;
	return ret;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --vfio-user (SCMI_SIM_BIN), run as a separate process.  The test
 * is the agent: the vfio-user client of transports/virtio-vfio-user
 * (vfio_user.h) carries the messages, and a minimal virtio driver written
 * here walks the capabilities, negotiates features, lays out cmdq and eventq
 * in one DMA window and exchanges SCMI messages over them.  This checks the
 * server and, on the way, that our client and our server agree.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "helpers.h"
#include "vfio_user.h"

#define HDR(proto, msg, type, token)                                         \
	((uint32_t)(msg) | (uint32_t)(type) << 8 | (uint32_t)(proto) << 10 | \
	 (uint32_t)(token) << 18)
#define TESTPROTO 0x80

/* The window: rings, then buffers. */
#define IOVA	   0x10000000ull
#define WIN_SIZE   (1u << 20)
#define Q	   16u
#define CMD_DESC   0x0000u
#define CMD_AVAIL  0x1000u
#define CMD_USED   0x2000u
#define EV_DESC	   0x3000u
#define EV_AVAIL   0x4000u
#define EV_USED	   0x5000u
#define CMD_BUFS   0x10000u /* slot k: request at +512k, response at +512k+256 */
#define EV_BUFS	   0x20000u /* buffer k at +256k */
#define EV_BUF_LEN 256u

struct server {
	pid_t pid;
	char uri[512];
	char sock[256];
	char ctl[256];
};

struct drv {
	struct vfu_client *c;
	uint8_t *mem;
	struct vfu_irqs irqs;
	bool msix;
	uint32_t common, isr, notify, mult;
	uint8_t common_bar, isr_bar, notify_bar;
	unsigned int msix_cap;
	uint64_t features;
	uint16_t cmd_avail, cmd_used, ev_avail, ev_used;
};

/* ---- the server process ---------------------------------------------------------- */

static void server_start(struct server *s, const char *const *args)
{
	static unsigned int n;
	const char *argv[40] = {SCMI_SIM_BIN, "--vfio-user", NULL, "--control", NULL};
	int argc = 5;

	memset(s, 0, sizeof(*s));
	snprintf(s->sock, sizeof(s->sock), "/tmp/scmi-sim-vfu-%d-%u.sock", (int)getpid(), n);
	snprintf(s->ctl, sizeof(s->ctl), "/tmp/scmi-sim-vfu-%d-%u.ctl", (int)getpid(), n++);
	argv[2] = s->sock;
	argv[4] = s->ctl;
	for (size_t i = 0; args && args[i]; i++)
		argv[argc++] = args[i];
	s->pid = test_sim_spawn(argv, false, s->uri, sizeof(s->uri));
}

static void server_stop(struct server *s)
{
	kill(s->pid, SIGTERM);
	cr_assert_eq(test_sim_wait(s->pid), 0, "exit status after SIGTERM");
}

static const char *control(struct server *s, const char *cmd)
{
	return test_control_at(s->ctl, cmd);
}

static unsigned long stat_of(struct server *s, const char *key)
{
	return (unsigned long)test_field(control(s, "stats"), key);
}

/* ---- a minimal virtio driver ------------------------------------------------------ */

static uint64_t rd(struct drv *d, uint32_t region, uint64_t off, unsigned int width)
{
	uint64_t v = 0;
	int ret = vfu_region_read_val(d->c, region, off, width, &v);

	cr_assert_eq(ret, 0, "read region %u @0x%llx: %s", region, (unsigned long long)off,
		     strerror(-ret));
	return v;
}

static void wr(struct drv *d, uint32_t region, uint64_t off, unsigned int width, uint64_t v)
{
	int ret = vfu_region_write_val(d->c, region, off, width, v);

	cr_assert_eq(ret, 0, "write region %u @0x%llx: %s", region, (unsigned long long)off,
		     strerror(-ret));
}

static uint64_t common_rd(struct drv *d, uint32_t off, unsigned int width)
{
	return rd(d, d->common_bar, d->common + off, width);
}

static void common_wr(struct drv *d, uint32_t off, unsigned int width, uint64_t v)
{
	wr(d, d->common_bar, d->common + off, width, v);
}

static uint8_t *at(struct drv *d, uint32_t off)
{
	return d->mem + off;
}

static uint16_t ld16(const uint8_t *p)
{
	return __atomic_load_n((const uint16_t *)(const void *)p, __ATOMIC_ACQUIRE);
}

static void st16(uint8_t *p, uint16_t v)
{
	__atomic_store_n((uint16_t *)(void *)p, v, __ATOMIC_RELEASE);
}

static void set_desc(struct drv *d, uint32_t table, unsigned int i, uint32_t buf, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	uint8_t *e = at(d, table) + 16 * i;
	uint64_t addr = IOVA + buf;

	memcpy(e, &addr, 8);
	memcpy(e + 8, &len, 4);
	memcpy(e + 12, &flags, 2);
	memcpy(e + 14, &next, 2);
}

/* The doorbell as a driver rings it: a posted write (NO_REPLY). */
static void doorbell(struct drv *d, unsigned int q)
{
	uint16_t v = (uint16_t)q;

	cr_assert_eq(vfu_region_write_posted(d->c, d->notify_bar, d->notify + q * d->mult, &v,
					     sizeof(v)),
		     0);
}

/* Post eventq buffers @first..@first+@n-1 (descriptor k = buffer k). */
static void post_events(struct drv *d, unsigned int first, unsigned int n, bool kick)
{
	for (unsigned int k = first; k < first + n; k++) {
		set_desc(d, EV_DESC, k, EV_BUFS + EV_BUF_LEN * k, EV_BUF_LEN, 2, 0);
		memcpy(at(d, EV_AVAIL) + 4 + 2 * (d->ev_avail % Q), &(uint16_t){(uint16_t)k}, 2);
		d->ev_avail++;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	st16(at(d, EV_AVAIL) + 2, d->ev_avail);
	if (kick)
		doorbell(d, 1);
}

static void setup_queue(struct drv *d, unsigned int q, uint32_t desc, uint32_t avail, uint32_t used)
{
	common_wr(d, 0x16, 2, q);
	cr_assert_eq(common_rd(d, 0x18, 2), 256, "queue %u: maximum size", q);
	common_wr(d, 0x18, 2, Q);
	common_wr(d, 0x1a, 2, d->msix ? q + 1 : 0xffff);
	cr_assert_eq(common_rd(d, 0x1a, 2), d->msix ? q + 1 : 0xffff, "queue %u vector", q);
	common_wr(d, 0x20, 4, IOVA + desc);
	common_wr(d, 0x24, 4, 0);
	common_wr(d, 0x28, 4, IOVA + avail);
	common_wr(d, 0x2c, 4, 0);
	common_wr(d, 0x30, 4, IOVA + used);
	common_wr(d, 0x34, 4, 0);
	cr_assert_eq(common_rd(d, 0x1e, 2), q, "queue_notify_off");
	common_wr(d, 0x1c, 2, 1);
	cr_assert_eq(common_rd(d, 0x1c, 2), 1, "queue %u enabled", q);
}

/* Connect (@sock), reset, negotiate (P2A if offered and @p2a), set up the
 * queues; post @events eventq buffers; DRIVER_OK. */
static void drv_open(struct drv *d, const char *sock, bool p2a, unsigned int events)
{
	uint8_t cfg[256];
	struct vfu_device_info info;
	uint64_t offered;
	int ret, caps = 0;

	memset(d, 0, sizeof(*d));
	ret = vfu_client_connect(sock, NULL, &d->c);
	cr_assert_eq(ret, 0, "connect %s: %s", sock, strerror(-ret));
	cr_assert_eq(vfu_device_get_info(d->c, &info), 0);
	cr_assert(info.flags & VFU_DEV_F_PCI);
	cr_assert(info.flags & VFU_DEV_F_RESET);
	cr_assert_geq(info.num_regions, 9);
	for (uint32_t i = 0; i < VFU_PCI_NUM_REGIONS; i++)
		cr_assert_eq(vfu_region_get_info(d->c, i, NULL), 0, "region %u info", i);
	cr_assert_eq(vfu_region_read(d->c, VFU_PCI_CONFIG_REGION, 0, cfg, sizeof(cfg)), 0);
	cr_assert_eq(cfg[0] | cfg[1] << 8, 0x1af4);
	cr_assert_eq(cfg[2] | cfg[3] << 8, 0x1060);
	cr_assert(cfg[6] & 0x10, "capability list");
	for (unsigned int p = cfg[0x34] & 0xfc, hops = 0; p && hops < 48;
	     p = cfg[p + 1] & 0xfc, hops++) {
		cr_assert(p >= 0x40 && p + 16 <= sizeof(cfg));
		if (cfg[p] == 0x11)
			d->msix_cap = p;
		if (cfg[p] != 0x09)
			continue;
		uint32_t off, type = cfg[p + 3];

		memcpy(&off, cfg + p + 8, 4);
		if (type == 1) {
			d->common = off;
			d->common_bar = cfg[p + 4];
			caps |= 1;
		} else if (type == 2) {
			d->notify = off;
			d->notify_bar = cfg[p + 4];
			memcpy(&d->mult, cfg + p + 16, 4);
			caps |= 2;
		} else if (type == 3) {
			d->isr = off;
			d->isr_bar = cfg[p + 4];
			caps |= 4;
		}
	}
	cr_assert_eq(caps, 7, "common, notify and ISR capabilities");
	wr(d, VFU_PCI_CONFIG_REGION, 4, 2, 0x0006);

	ret = vfu_dma_map(d->c, IOVA, WIN_SIZE, VFU_DMA_F_READ | VFU_DMA_F_WRITE, (void **)&d->mem);
	cr_assert_eq(ret, 0, "DMA_MAP: %s", strerror(-ret));
	cr_assert_eq(vfu_irq_setup(d->c, VFU_PCI_MSIX_IRQ, 3, &d->irqs), 0);
	d->msix = d->irqs.index == VFU_PCI_MSIX_IRQ;
	cr_assert_eq(d->msix, d->msix_cap != 0, "MSI-X vectors iff the capability");
	if (d->msix) {
		uint64_t mc = rd(d, VFU_PCI_CONFIG_REGION, d->msix_cap + 2, 2);

		cr_assert_eq(mc & 0x7ff, 2, "3 vectors");
		wr(d, VFU_PCI_CONFIG_REGION, d->msix_cap + 2, 2, mc | 0x8000);
	}

	/* virtio initialisation */
	common_wr(d, 0x14, 1, 0);
	cr_assert_eq(common_rd(d, 0x14, 1), 0);
	common_wr(d, 0x14, 1, 1);
	common_wr(d, 0x14, 1, 3);
	common_wr(d, 0x00, 4, 0);
	offered = common_rd(d, 0x04, 4);
	common_wr(d, 0x00, 4, 1);
	offered |= common_rd(d, 0x04, 4) << 32;
	cr_assert(offered & (1ull << 32), "VERSION_1 offered");
	d->features = (1ull << 32) | (p2a ? offered & 1 : 0);
	common_wr(d, 0x08, 4, 0);
	common_wr(d, 0x0c, 4, (uint32_t)d->features);
	common_wr(d, 0x08, 4, 1);
	common_wr(d, 0x0c, 4, (uint32_t)(d->features >> 32));
	common_wr(d, 0x14, 1, 0x0b);
	cr_assert_eq(common_rd(d, 0x14, 1), 0x0b, "FEATURES_OK kept");
	common_wr(d, 0x10, 2, d->msix ? 0 : 0xffff);
	setup_queue(d, 0, CMD_DESC, CMD_AVAIL, CMD_USED);
	if (d->features & 1) {
		cr_assert_eq(common_rd(d, 0x12, 2), 2, "two queues");
		setup_queue(d, 1, EV_DESC, EV_AVAIL, EV_USED);
		post_events(d, 0, events, false);
	}
	common_wr(d, 0x14, 1, 0x0f);
	if (d->features & 1 && events)
		doorbell(d, 1);
}

static void drv_close(struct drv *d)
{
	vfu_client_close(d->c);
	d->c = NULL;
}

/* Send a command in cmdq slot @slot (0..7). */
static void send_cmd(struct drv *d, unsigned int slot, uint32_t hdr, const void *payload,
		     size_t len)
{
	uint32_t req = CMD_BUFS + 512 * slot;

	memcpy(at(d, req), &hdr, 4);
	if (len)
		memcpy(at(d, req) + 4, payload, len);
	memset(at(d, req + 256), 0xee, 256);
	set_desc(d, CMD_DESC, 2 * slot, req, (uint32_t)(4 + len), 1, (uint16_t)(2 * slot + 1));
	set_desc(d, CMD_DESC, 2 * slot + 1, req + 256, 256, 2, 0);
	memcpy(at(d, CMD_AVAIL) + 4 + 2 * (d->cmd_avail % Q), &(uint16_t){(uint16_t)(2 * slot)}, 2);
	d->cmd_avail++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	st16(at(d, CMD_AVAIL) + 2, d->cmd_avail);
	doorbell(d, 0);
}

/* Wait for the interrupt of @vec (MSI-X vector, or INTx + ISR bit 0). */
static bool wait_irq(struct drv *d, unsigned int vec, int ms)
{
	struct pollfd p = {.fd = d->irqs.fds[d->msix ? vec : 0], .events = POLLIN};
	uint64_t v;

	if (poll(&p, 1, ms) != 1)
		return false;
	cr_assert_eq(read(p.fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	if (!d->msix)
		cr_assert(rd(d, d->isr_bar, d->isr, 1) & 1, "ISR bit 0 with the INTx");
	return true;
}

/* Take the next used entry of the queue at @used (last index @last). */
static bool take_used(struct drv *d, uint32_t used, uint16_t *last, uint32_t *id, uint32_t *len)
{
	uint8_t *e;

	if (ld16(at(d, used) + 2) == *last)
		return false;
	e = at(d, used) + 4 + 8 * (*last % Q);
	memcpy(id, e, 4);
	memcpy(len, e + 4, 4);
	(*last)++;
	return true;
}

/* The response to the command in @slot: its length; @out gets the bytes. */
static uint32_t wait_response(struct drv *d, unsigned int slot, uint8_t *out)
{
	uint32_t id, len;

	cr_assert(wait_irq(d, 1, 5000), "cmdq interrupt");
	cr_assert(take_used(d, CMD_USED, &d->cmd_used, &id, &len), "a used cmdq entry");
	cr_assert_eq(id, 2 * slot, "chain of slot %u", slot);
	cr_assert_leq(len, 256);
	memcpy(out, at(d, CMD_BUFS + 512 * slot + 256), len);
	return len;
}

/* Base PROTOCOL_VERSION round trip in @slot with @token. */
static void base_version(struct drv *d, unsigned int slot, uint32_t token)
{
	uint8_t r[256];
	uint32_t hdr, status, version;

	send_cmd(d, slot, HDR(0x10, 0, 0, token), NULL, 0);
	cr_assert_eq(wait_response(d, slot, r), 12, "header, status, version");
	memcpy(&hdr, r, 4);
	memcpy(&status, r + 4, 4);
	memcpy(&version, r + 8, 4);
	cr_assert_eq(hdr, HDR(0x10, 0, 0, token), "header echoed");
	cr_assert_eq(status, 0);
	cr_assert_eq(version, 0x20001, "Base 2.1, got 0x%x", version);
}

/* Enable test protocol event @evt of @src. */
static void enable_test_event(struct drv *d, uint32_t evt, uint32_t src)
{
	uint32_t req[3] = {evt, src, 1}, status;
	uint8_t r[256];

	send_cmd(d, 1, HDR(TESTPROTO, 5, 0, 7), req, sizeof(req));
	cr_assert_geq(wait_response(d, 1, r), 8);
	memcpy(&status, r + 4, 4);
	cr_assert_eq(status, 0, "test NOTIFY");
}

/* The next eventq message (its length; bytes in @out). */
static uint32_t wait_event(struct drv *d, uint8_t *out, uint32_t *buf)
{
	uint32_t id, len;

	while (!take_used(d, EV_USED, &d->ev_used, &id, &len))
		cr_assert(wait_irq(d, 2, 5000), "eventq interrupt");
	cr_assert_lt(id, Q);
	cr_assert_leq(len, EV_BUF_LEN);
	memcpy(out, at(d, EV_BUFS + EV_BUF_LEN * id), len);
	if (buf)
		*buf = id;
	return len;
}

static void check_notification(const uint8_t *m, uint32_t len, uint32_t evt, uint32_t src)
{
	uint32_t hdr, v[3];

	cr_assert_eq(len, 16, "header + {src, seq, evt}");
	memcpy(&hdr, m, 4);
	memcpy(v, m + 4, 12);
	cr_assert_eq(hdr & 0x3ffff, HDR(TESTPROTO, evt, 3, 0), "notification 0x%x", hdr);
	cr_assert_eq(v[0], src);
	cr_assert_eq(v[2], evt);
}

/* ---- tests --------------------------------------------------------------------------- */

TestSuite(sim_vfio_user, .timeout = 60);

Test(sim_vfio_user, uri_and_base_version_over_cmdq)
{
	struct server s;
	struct drv d;

	server_start(&s, NULL);
	cr_assert_eq(strncmp(s.uri, "virtio-vfio-user:///", 20), 0, "URI '%s'", s.uri);
	cr_assert_str_eq(s.uri + 19, s.sock, "the socket's absolute path");
	drv_open(&d, s.sock, true, 4);
	cr_assert(d.msix, "MSI-X offered and used");
	cr_assert_eq(d.features, (1ull << 32) | 1, "VERSION_1 + P2A_CHANNELS");
	cr_assert_eq(d.mult, 4);
	base_version(&d, 0, 1);
	base_version(&d, 3, 2);
	cr_assert_eq(stat_of(&s, "cmdq_responses"), 2);
	drv_close(&d);
	server_stop(&s);
	cr_assert_neq(access(s.sock, F_OK), 0, "socket removed at exit");
}

Test(sim_vfio_user, later_command_answered_first)
{
	const char *args[] = {"--test-protocols", "0x80:1", NULL};
	uint32_t hdr, id, len, order[2];
	struct server s;
	struct drv d;

	server_start(&s, args);
	drv_open(&d, s.sock, true, 4);
	/* The first command is held 200 ms; the second overtakes it. */
	cr_assert_str_eq(control(&s, "fault-add delay_us 0 1 0x10 0 200000"), "ok");
	send_cmd(&d, 0, HDR(0x10, 0, 0, 1), NULL, 0);
	send_cmd(&d, 1, HDR(0x10, 1, 0, 2), NULL, 0);
	for (unsigned int i = 0; i < 2; i++) {
		while (!take_used(&d, CMD_USED, &d.cmd_used, &id, &len))
			cr_assert(wait_irq(&d, 1, 5000), "cmdq interrupt");
		order[i] = id;
		memcpy(&hdr, at(&d, CMD_BUFS + 512 * (id / 2) + 256), 4);
		cr_assert_eq(hdr, id ? HDR(0x10, 1, 0, 2) : HDR(0x10, 0, 0, 1));
	}
	cr_assert_eq(order[0], 2, "the second command first");
	cr_assert_eq(order[1], 0);
	drv_close(&d);
	server_stop(&s);
}

Test(sim_vfio_user, notification_over_eventq)
{
	const char *args[] = {"--test-protocols", "0x80:4", NULL};
	uint8_t m[256];
	uint32_t buf;
	struct server s;
	struct drv d;

	server_start(&s, args);
	drv_open(&d, s.sock, true, 4);
	enable_test_event(&d, 1, 2);
	cr_assert_str_eq(control(&s, "notify 0x80 1 2"), "ok sent=1");
	cr_assert(wait_irq(&d, 2, 5000), "eventq interrupt (vector 2)");
	check_notification(m, wait_event(&d, m, &buf), 1, 2);
	cr_assert_eq(buf, 0, "the first buffer posted");
	cr_assert_eq(stat_of(&s, "eventq_sent"), 1);
	drv_close(&d);
	server_stop(&s);
}

Test(sim_vfio_user, eventq_without_buffers_holds_messages)
{
	const char *args[] = {"--test-protocols", "0x80:1", "--queue", "2", NULL};
	uint8_t m[256];
	struct server s;
	struct drv d;
	uint32_t seq1, seq2;

	server_start(&s, args);
	drv_open(&d, s.sock, true, 0);
	enable_test_event(&d, 0, 0);
	cr_assert_str_eq(control(&s, "notify 0x80 0 0 3"), "ok sent=3");
	/* No buffer: two held, the third dropped (--queue 2). */
	cr_assert_eq(stat_of(&s, "p2a_queued"), 2);
	cr_assert_eq(stat_of(&s, "p2a_dropped"), 1);
	cr_assert_eq(ld16(at(&d, EV_USED) + 2), 0, "nothing used");
	post_events(&d, 0, 1, true);
	check_notification(m, wait_event(&d, m, NULL), 0, 0);
	memcpy(&seq1, m + 8, 4);
	cr_assert_eq(stat_of(&s, "p2a_queued"), 1);
	post_events(&d, 1, 1, true);
	check_notification(m, wait_event(&d, m, NULL), 0, 0);
	memcpy(&seq2, m + 8, 4);
	cr_assert_eq(seq2, seq1 + 1, "in order");
	cr_assert_eq(stat_of(&s, "p2a_queued"), 0);
	drv_close(&d);
	server_stop(&s);
}

Test(sim_vfio_user, device_reset_then_again)
{
	unsigned long resets;
	struct server s;
	struct drv d;

	server_start(&s, NULL);
	drv_open(&d, s.sock, true, 4);
	base_version(&d, 0, 1);
	resets = stat_of(&s, "resets");
	cr_assert_eq(resets, 1, "the driver's own at start");
	cr_assert_eq(vfu_device_reset(d.c), 0);
	cr_assert_eq(common_rd(&d, 0x14, 1), 0, "status 0 after reset");
	cr_assert_eq(common_rd(&d, 0x1c, 2), 0, "queue disabled");
	cr_assert_eq(rd(&d, VFU_PCI_CONFIG_REGION, d.msix_cap + 2, 2) & 0x8000, 0,
		     "MSI-X off after reset");
	/* The window and eventfds stay: initialise again on them. */
	wr(&d, VFU_PCI_CONFIG_REGION, d.msix_cap + 2, 2, 0x8002);
	memset(d.mem, 0, 0x10000);
	d.cmd_avail = d.cmd_used = d.ev_avail = d.ev_used = 0;
	common_wr(&d, 0x14, 1, 1);
	common_wr(&d, 0x14, 1, 3);
	common_wr(&d, 0x08, 4, 1);
	common_wr(&d, 0x0c, 4, 1);
	common_wr(&d, 0x14, 1, 0x0b);
	setup_queue(&d, 0, CMD_DESC, CMD_AVAIL, CMD_USED);
	common_wr(&d, 0x14, 1, 0x0f);
	base_version(&d, 2, 3);
	/* A status write of 0 is a reset too. */
	common_wr(&d, 0x14, 1, 0);
	cr_assert_eq(common_rd(&d, 0x14, 1), 0);
	cr_assert_eq(stat_of(&s, "resets"), resets + 2);
	drv_close(&d);
	server_stop(&s);
}

Test(sim_vfio_user, refuses_features_without_version_1)
{
	struct server s;
	struct drv d;

	server_start(&s, NULL);
	drv_open(&d, s.sock, true, 0);
	common_wr(&d, 0x14, 1, 0);
	common_wr(&d, 0x14, 1, 3);
	common_wr(&d, 0x08, 4, 1);
	common_wr(&d, 0x0c, 4, 0);
	common_wr(&d, 0x14, 1, 0x0b);
	cr_assert_eq(common_rd(&d, 0x14, 1), 0x03, "FEATURES_OK refused");
	drv_close(&d);
	server_stop(&s);
}

Test(sim_vfio_user, disconnect_and_reconnect)
{
	struct server s;
	struct drv d;

	server_start(&s, NULL);
	drv_open(&d, s.sock, true, 4);
	base_version(&d, 0, 1);
	drv_close(&d);
	/* A new client finds a reset device and sets it up again. */
	drv_open(&d, s.sock, true, 4);
	base_version(&d, 0, 2);
	cr_assert_eq(stat_of(&s, "vfu_clients"), 2);
	cr_assert_eq(stat_of(&s, "vfu_windows"), 1, "the first client's window is gone");
	drv_close(&d);
	server_stop(&s);
}

Test(sim_vfio_user, no_p2a_and_intx)
{
	const char *args[] = {"--no-p2a", "--no-msix", NULL};
	struct server s;
	struct vfu_irq_info ii;
	struct drv d;

	server_start(&s, args);
	drv_open(&d, s.sock, true, 0);
	cr_assert_not(d.msix, "INTx fallback");
	cr_assert_eq(d.features, 1ull << 32, "no P2A_CHANNELS offered");
	cr_assert_eq(common_rd(&d, 0x12, 2), 1, "one queue");
	cr_assert_eq(vfu_irq_get_info(d.c, VFU_PCI_MSIX_IRQ, &ii), 0);
	cr_assert_eq(ii.count, 0);
	base_version(&d, 0, 1);
	cr_assert_eq(rd(&d, d.isr_bar, d.isr, 1), 0, "ISR cleared by the read");
	drv_close(&d);
	server_stop(&s);
}

Test(sim_vfio_user, sigterm_while_connected)
{
	struct server s;
	struct drv d;

	server_start(&s, NULL);
	drv_open(&d, s.sock, true, 4);
	base_version(&d, 0, 1);
	server_stop(&s);
	cr_assert_neq(access(s.sock, F_OK), 0, "socket removed");
	cr_assert_neq(vfu_region_read_val(d.c, 0, 0x14, 1, &(uint64_t){0}), 0,
		      "the server is gone");
	drv_close(&d);
}

Test(sim_vfio_user, delayed_responses_are_never_dropped)
{
	const char *args[] = {"--test-protocols", "0x80:1", "--queue", "1", NULL};
	const unsigned int slots[3] = {0, 2, 3};
	struct server s;
	struct drv d;
	uint8_t m[256];

	server_start(&s, args);
	drv_open(&d, s.sock, true, 0);
	enable_test_event(&d, 0, 0);
	for (unsigned int i = 0; i < 3; i++) {
		uint32_t req[2] = {0, 0xabcd0000u + i}, status;

		send_cmd(&d, slots[i], HDR(TESTPROTO, 4, 0, 10 + i), req, sizeof(req));
		cr_assert_eq(wait_response(&d, slots[i], m), 8, "ASYNC_ECHO: status only");
		memcpy(&status, m + 4, 4);
		cr_assert_eq(status, 0);
	}
	/* No eventq buffer: the three delayed responses wait beyond --queue 1;
	 * a notification now finds the queue full and is dropped. */
	cr_assert_str_eq(control(&s, "notify 0x80 0 0"), "ok sent=1");
	cr_assert_eq(stat_of(&s, "p2a_queued"), 3);
	cr_assert_eq(stat_of(&s, "p2a_dropped"), 1);
	post_events(&d, 0, 4, true);
	for (unsigned int i = 0; i < 3; i++) {
		uint32_t len = wait_event(&d, m, NULL), hdr, status, echo;

		cr_assert_eq(len, 12, "header, status, the echoed bytes");
		memcpy(&hdr, m, 4);
		memcpy(&status, m + 4, 4);
		memcpy(&echo, m + 8, 4);
		cr_assert_eq(hdr, HDR(TESTPROTO, 4, 2, 10 + i), "delayed response 0x%x", hdr);
		cr_assert_eq(status, 0);
		cr_assert_eq(echo, 0xabcd0000u + i);
	}
	cr_assert_eq(stat_of(&s, "p2a_queued"), 0);
	cr_assert_eq(stat_of(&s, "eventq_sent"), 3);
	drv_close(&d);
	server_stop(&s);
}

Test(sim_vfio_user, malformed_chains_come_back_empty)
{
	struct server s;
	struct drv d;
	uint32_t id, len, hdr = HDR(0x10, 0, 0, 5);

	server_start(&s, NULL);
	drv_open(&d, s.sock, true, 4);
	/* A writable descriptor before the readable one. */
	memcpy(at(&d, CMD_BUFS), &hdr, 4);
	set_desc(&d, CMD_DESC, 0, CMD_BUFS + 256, 256, 2 | 1, 1);
	set_desc(&d, CMD_DESC, 1, CMD_BUFS, 4, 0, 0);
	/* A buffer outside the window. */
	set_desc(&d, CMD_DESC, 2, WIN_SIZE + 0x1000, 4, 1, 3);
	set_desc(&d, CMD_DESC, 3, CMD_BUFS + 256, 256, 2, 0);
	memcpy(at(&d, CMD_AVAIL) + 4, &(uint16_t){0}, 2);
	memcpy(at(&d, CMD_AVAIL) + 6, &(uint16_t){2}, 2);
	d.cmd_avail = 2;
	st16(at(&d, CMD_AVAIL) + 2, d.cmd_avail);
	doorbell(&d, 0);
	for (unsigned int i = 0; i < 2; i++) {
		while (!take_used(&d, CMD_USED, &d.cmd_used, &id, &len))
			cr_assert(wait_irq(&d, 1, 5000), "cmdq interrupt");
		cr_assert_eq(id, 2 * i);
		cr_assert_eq(len, 0, "returned unused");
	}
	cr_assert_eq(stat_of(&s, "cmdq_bad"), 2);
	/* Two interrupts may have been counted as one or two: start afresh
	 * (the eventfds are non-blocking). */
	if (read(d.irqs.fds[1], &(uint64_t){0}, sizeof(uint64_t)) < 0)
		cr_assert_eq(errno, EAGAIN);
	base_version(&d, 1, 6);
	drv_close(&d);
	server_stop(&s);
}

/* ---- the wire, by hand ----------------------------------------------------------- */

static int raw_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void raw_send(int fd, uint16_t id, uint16_t cmd, const void *payload, size_t len,
		     uint32_t size)
{
	struct vfu_hdr h = {.msg_id = id, .cmd = cmd, .size = size ? size : (uint32_t)(16 + len)};
	uint8_t buf[512];

	cr_assert_leq(len, sizeof(buf) - 16);
	vfu_hdr_encode(buf, &h);
	if (len)
		memcpy(buf + 16, payload, len);
	cr_assert_eq(write(fd, buf, 16 + len), (ssize_t)(16 + len));
}

/* The next reply's header (asserts one comes); false on end of file. */
static bool raw_reply(int fd, struct vfu_hdr *h, uint8_t *body, size_t max)
{
	uint8_t buf[16];
	size_t got = 0;

	while (got < sizeof(buf)) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t r;

		cr_assert_eq(poll(&p, 1, 5000), 1, "no reply");
		r = read(fd, buf + got, sizeof(buf) - got);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	vfu_hdr_decode(buf, h);
	cr_assert_geq(h->size, 16);
	cr_assert_leq(h->size - 16, max);
	for (got = 0; got < h->size - 16;) {
		ssize_t r = read(fd, body + got, h->size - 16 - got);

		cr_assert_gt(r, 0);
		got += (size_t)r;
	}
	return true;
}

Test(sim_vfio_user, protocol_errors)
{
	static const char json[] = "{\"capabilities\":{\"max_msg_fds\":8}}";
	struct server s;
	struct vfu_hdr h;
	uint8_t body[512], req[64] = {0};
	uint32_t argsz = 16;
	int fd;

	server_start(&s, NULL);
	fd = raw_connect(s.sock);
	/* Before VERSION: refused with an errno, header only. */
	memcpy(req, &argsz, 4);
	raw_send(fd, 7, VFU_CMD_DEVICE_GET_INFO, req, 16, 0);
	cr_assert(raw_reply(fd, &h, body, sizeof(body)));
	cr_assert_eq(h.msg_id, 7);
	cr_assert_eq(h.cmd, VFU_CMD_DEVICE_GET_INFO);
	cr_assert_eq(h.flags, VFU_F_TYPE_REPLY | VFU_F_ERROR);
	cr_assert_eq(h.error, EINVAL);
	cr_assert_eq(h.size, 16);
	/* VERSION 0.5 with capabilities: 0.2 back, with the server's. */
	memset(req, 0, sizeof(req));
	req[2] = 5;
	memcpy(req + 4, json, sizeof(json));
	raw_send(fd, 8, VFU_CMD_VERSION, req, 4 + sizeof(json), 0);
	cr_assert(raw_reply(fd, &h, body, sizeof(body)));
	cr_assert_eq(h.flags, VFU_F_TYPE_REPLY);
	cr_assert_eq(body[0] | body[1] << 8, 0);
	cr_assert_eq(body[2] | body[3] << 8, 2, "minor min(5, 2)");
	cr_assert_eq(body[h.size - 17], '\0', "JSON with its NUL");
	cr_assert(strstr((const char *)body + 4, "\"max_msg_fds\""));
	/* Out of range, unknown region, unknown command. */
	{
		uint64_t off = 0xff;
		uint32_t region = 7, count = 2;

		memcpy(req, &off, 8);
		memcpy(req + 8, &region, 4);
		memcpy(req + 12, &count, 4);
		raw_send(fd, 9, VFU_CMD_REGION_READ, req, 16, 0);
		cr_assert(raw_reply(fd, &h, body, sizeof(body)));
		cr_assert_eq(h.flags, VFU_F_TYPE_REPLY | VFU_F_ERROR, "beyond config space");
		region = 5;
		off = 0;
		memcpy(req, &off, 8);
		memcpy(req + 8, &region, 4);
		raw_send(fd, 10, VFU_CMD_REGION_READ, req, 16, 0);
		cr_assert(raw_reply(fd, &h, body, sizeof(body)));
		cr_assert_eq(h.flags, VFU_F_TYPE_REPLY | VFU_F_ERROR, "BAR5 is absent");
		raw_send(fd, 11, 99, NULL, 0, 0);
		cr_assert(raw_reply(fd, &h, body, sizeof(body)));
		cr_assert_eq(h.error, EINVAL);
	}
	/* DMA_MAP without an fd: not supported (no DMA_READ/WRITE). */
	{
		uint32_t m[8] = {32, 3, 0, 0, 0, 0x1000, 0x1000, 0};

		raw_send(fd, 12, VFU_CMD_DMA_MAP, m, 32, 0);
		cr_assert(raw_reply(fd, &h, body, sizeof(body)));
		cr_assert_eq(h.error, ENOTSUP);
	}
	/* A message of impossible size ends the connection... */
	raw_send(fd, 13, VFU_CMD_REGION_READ, req, 16, 0x7fffffff);
	cr_assert_not(raw_reply(fd, &h, body, sizeof(body)), "connection closed");
	close(fd);
	cr_assert_geq(stat_of(&s, "proto_errors"), 5);
	/* ... and the next client is served. */
	{
		struct drv d;

		drv_open(&d, s.sock, true, 4);
		base_version(&d, 0, 1);
		drv_close(&d);
	}
	server_stop(&s);
}

Test(sim_vfio_user, second_client_waits_for_the_first)
{
	struct server s;
	struct vfu_hdr h;
	uint8_t body[512], req[4] = {0, 0, 2, 0};
	struct pollfd p;
	struct drv d;
	int fd;

	server_start(&s, NULL);
	drv_open(&d, s.sock, true, 4);
	fd = raw_connect(s.sock); /* in the backlog */
	raw_send(fd, 1, VFU_CMD_VERSION, req, sizeof(req), 0);
	p = (struct pollfd){fd, POLLIN, 0};
	cr_assert_eq(poll(&p, 1, 100), 0, "not served while the first is connected");
	base_version(&d, 0, 1);
	drv_close(&d);
	cr_assert(raw_reply(fd, &h, body, sizeof(body)), "served once the first went");
	cr_assert_eq(h.flags, VFU_F_TYPE_REPLY);
	cr_assert_eq(h.cmd, VFU_CMD_VERSION);
	close(fd);
	server_stop(&s);
}

Test(sim_vfio_user, duplicate_response_dropped)
{
	struct server s;
	struct drv d;
	uint32_t id, len;

	server_start(&s, NULL);
	drv_open(&d, s.sock, true, 4);
	cr_assert_str_eq(control(&s, "fault-add dup 0 1 0x10 0 0"), "ok");
	base_version(&d, 0, 1);
	/* The copy found its chain returned already: counted, not used. */
	cr_assert_eq(stat_of(&s, "cmdq_dropped"), 1);
	cr_assert_not(take_used(&d, CMD_USED, &d.cmd_used, &id, &len), "one used entry only");
	base_version(&d, 1, 2);
	drv_close(&d);
	server_stop(&s);
}

/* DMA_MAP with @fd attached: the reply's error (0: mapped). */
static uint32_t raw_dma_map(int sock, uint16_t id, int fd, uint64_t offset, uint64_t iova,
			    uint64_t size)
{
	uint8_t buf[48], body[64], ctl[CMSG_SPACE(sizeof(int))] = {0};
	struct vfu_hdr h = {.msg_id = id, .cmd = VFU_CMD_DMA_MAP, .size = sizeof(buf)};
	uint32_t argsz = 32, flags = 3;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	vfu_hdr_encode(buf, &h);
	memcpy(buf + 16, &argsz, 4);
	memcpy(buf + 20, &flags, 4);
	memcpy(buf + 24, &offset, 8);
	memcpy(buf + 32, &iova, 8);
	memcpy(buf + 40, &size, 8);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	cr_assert_eq(sendmsg(sock, &mh, 0), (ssize_t)sizeof(buf));
	cr_assert(raw_reply(sock, &h, body, sizeof(body)), "DMA_MAP answered");
	cr_assert_eq(h.msg_id, id);
	return h.flags & VFU_F_ERROR ? h.error : 0;
}

/* A window the file does not cover would kill the server (SIGBUS) on the
 * first ring access past the file's end: refused when mapped.  Found by
 * fuzz_sim_vfio_user. */
Test(sim_vfio_user, dma_map_must_lie_within_its_file)
{
	struct server s;
	struct vfu_hdr h;
	uint8_t body[512], req[4] = {0, 0, 2, 0};
	int sock, mfd, efd;

	server_start(&s, NULL);
	sock = raw_connect(s.sock);
	raw_send(sock, 1, VFU_CMD_VERSION, req, sizeof(req), 0);
	cr_assert(raw_reply(sock, &h, body, sizeof(body)));
	cr_assert_eq(h.flags, VFU_F_TYPE_REPLY);
	mfd = memfd_create("one-page", MFD_CLOEXEC);
	cr_assert_geq(mfd, 0);
	cr_assert_eq(ftruncate(mfd, 0x1000), 0);
	efd = eventfd(0, EFD_CLOEXEC);
	cr_assert_geq(efd, 0);
	cr_assert_eq(raw_dma_map(sock, 2, mfd, 0, 0x10000, 0x2000), EINVAL, "past the end");
	cr_assert_eq(raw_dma_map(sock, 3, mfd, 0x1000, 0x10000, 0x1000), EINVAL, "offset at the end");
	cr_assert_eq(raw_dma_map(sock, 4, efd, 0, 0x10000, 0x1000), EINVAL, "not a file");
	cr_assert_eq(stat_of(&s, "vfu_windows"), 0);
	cr_assert_eq(raw_dma_map(sock, 5, mfd, 0, 0x10000, 0x1000), 0, "the whole file");
	cr_assert_eq(stat_of(&s, "vfu_windows"), 1);
	close(efd);
	close(mfd);
	close(sock);
	/* The server is still there for the next client. */
	{
		struct drv d;

		drv_open(&d, s.sock, true, 4);
		base_version(&d, 0, 1);
		drv_close(&d);
	}
	server_stop(&s);
}

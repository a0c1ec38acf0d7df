// SPDX-License-Identifier: BSD-3-Clause
/*
 * uio:// -- SCMI over a mailbox and shared memory that Linux exposes to
 * user space through UIO: the maps of a platform device (uio_pdrv_genirq,
 * a device-tree node) or the BARs of a PCI function (uio_pci_generic, e.g.
 * a shared-memory device in a VM).  docs/UIO.md is the contract (URI,
 * sysfs layout, interrupt protocol); this file follows it.
 *
 * The channel logic is shmem://'s engine (transports/shmem/engine.h); this
 * file finds the regions, maps them, and drives the interrupt:
 *
 *   - completion=irq (default): the interrupt file (/dev/uioN) is opened
 *     and enabled (write a uint32_t 1).  If that write fails the device has
 *     no usable interrupt and the transport polls instead (logged once).
 *     Otherwise the fd is watched on the handle's loop; each event is read
 *     (any positive read counts, a pty may give fewer than 4 bytes),
 *     re-enabled, and the engine scans: completed A2P areas and P2A
 *     messages are reported.  A slow timer scans too, so that a missed
 *     interrupt costs a period, never a hang.
 *   - completion=poll: the core polls the A2P areas, a timer the P2A ones.
 *   - the device going away (read or write failing with EIO/ENODEV, EOF,
 *     POLLERR/POLLHUP) fails every command in flight and every later one
 *     with -ENODEV, logged once.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>

#include <scmi/transport.h>

#include "../../lib/handle.h"
#include "../shmem/config.h"
#include "../shmem/engine.h"
#include "../shmem/map.h"

#define UIO_DEFAULT_TIMEOUT_MS 100u
#define UIO_DEFAULT_SYSFS      "/sys"
/* With an interrupt and no poll_us=: the period of the safety scan. */
#define UIO_SAFETY_MS 10u
/* Regions one device may use: the areas, the doorbell (named in the URI),
 * and the others it has, mapped for map_memory(): every map (a UIO device
 * has 5 at most) and BAR. */
#define UIO_MAX_MAPS	5
#define UIO_MAX_BARS	6
#define UIO_MAX_REGIONS (UIO_MAX_MAPS + UIO_MAX_BARS)
/* Interrupt counts taken per event, at most (a pty may hold several). */
#define UIO_IRQ_READS 64

struct uio_priv;

/* A map (mapK) or a PCI BAR (resN) of a device, mapped whole. */
struct uio_region {
	char name[16]; /* "map1", "res2" */
	bool is_map;
	unsigned int index;
	uint64_t size;
	uint64_t phys;	 /* the physical address (for map_memory()) */
	bool has_phys;	 /* maps: always; BARs: from device/resource */
	uint64_t offset; /* maps: of the first byte in its first page */
	struct shmem_map map;
};

struct uio_dev {
	struct uio_priv *owner;
	const char *param; /* "" or "p2a_": for log lines */
	char name[64];	   /* uioN */
	char sysdir[PATH_MAX];
	char devnode[PATH_MAX];
	char irq_path[PATH_MAX];
	struct shmem_dev node; /* the devnode, for maps (fd -1: not open) */
	struct uio_region regions[UIO_MAX_REGIONS];
	unsigned int num_regions;
	int irq_fd; /* -1: no interrupt (polling) */
	uv_poll_t poll;
	bool poll_init;
	bool enable_logged; /* a failing re-enable said once */
};

struct uio_priv {
	struct shmem_engine eng; /* first: the engine's ops take this priv */
	struct shmem_config cfg;
	struct uio_dev dev, p2a_dev;
	bool has_p2a_dev;
	char shm[16], p2a_shm[16], db_region[16];
	uint64_t period_ms;
};

static const char *const uio_keys[] = {"shm", "p2a_dev",     "p2a_shm", "sysfs", "devnode",
				       "irq", "p2a_devnode", "p2a_irq", NULL};

/* A log line through @chan; none when @chan is NULL (a region probed only
 * in case map_memory() wants it: its absence is no error). */
static void __attribute__((format(printf, 3, 4)))
uio_log(struct scmi_chan *chan, enum scmi_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!chan)
		return;
	va_start(ap, fmt);
	scmi_logv(&chan->inst->log, level, fmt, ap);
	va_end(ap);
}

/* ---- parameters --------------------------------------------------------- */

/* "mapK" or "resN" (N a BAR, 0..5), without leading zeros (one name per
 * region); -EINVAL (logged) otherwise. */
static int region_name_check(const char *param, const char *s, struct scmi_chan *chan)
{
	char *end;
	unsigned long n;

	if ((!strncmp(s, "map", 3) || !strncmp(s, "res", 3)) && s[3] >= '0' && s[3] <= '9' &&
	    (s[3] != '0' || !s[4])) {
		n = strtoul(s + 3, &end, 10);
		if (!*end && n <= (s[0] == 'm' ? 255ul : 5ul) && strlen(s) < 16)
			return 0;
	}
	scmi_chan_log(chan, SCMI_LOG_ERR,
		      "uio: %s=%s: expected mapK (UIO map K) or resN (PCI BAR N, 0..5)", param, s);
	return -EINVAL;
}

/* db=REGION:OFF */
static int uio_parse_db(const char *value, uint64_t *off, bool *apart, void *arg,
			struct scmi_chan *chan)
{
	struct uio_priv *p = arg;
	const char *colon = strchr(value, ':');
	char *end;
	size_t n = colon ? (size_t)(colon - value) : 0;

	if (!colon || n >= sizeof(p->db_region) || !colon[1]) {
		scmi_chan_log(chan, SCMI_LOG_ERR,
			      "uio: db=%s: expected REGION:OFF (e.g. db=map0:0x0 or db=res0:0xc)",
			      value);
		return -EINVAL;
	}
	memcpy(p->db_region, value, n);
	p->db_region[n] = '\0';
	if (region_name_check("db", p->db_region, chan))
		return -EINVAL;
	errno = 0;
	*off = strtoull(colon + 1, &end, 0);
	if (errno || *end || colon[1] < '0' || colon[1] > '9') {
		scmi_chan_log(chan, SCMI_LOG_ERR, "uio: db=%s: bad offset '%s'", value, colon + 1);
		return -EINVAL;
	}
	*apart = strcmp(p->db_region, p->shm) != 0;
	return 0;
}

static int path_set(char *dst, const char *src, const char *what, struct scmi_chan *chan)
{
	if (strlen(src) >= PATH_MAX) {
		scmi_chan_log(chan, SCMI_LOG_ERR, "uio: %s is too long", what);
		return -EINVAL;
	}
	strcpy(dst, src);
	return 0;
}

/*
 * Device @spec ("uioN" or "/dev/uioN") with the overrides @devnode and
 * @irq (NULL: defaults) under sysfs root @root.
 */
static int dev_setup(struct uio_dev *d, const char *param, const char *spec, const char *root,
		     const char *devnode, const char *irq, struct scmi_chan *chan)
{
	const char *base = strrchr(spec, '/');
	int ret;

	d->param = param;
	base = base ? base + 1 : spec;
	if (!*spec || !*base || (spec[0] != '/' && base != spec) || !strcmp(base, ".") ||
	    !strcmp(base, "..") || strlen(base) >= sizeof(d->name)) {
		scmi_chan_log(chan, SCMI_LOG_ERR,
			      "uio: %s'%s' is not a UIO device: expected uioN or /dev/uioN",
			      *param ? "p2a_dev=" : "device ", spec);
		return -EINVAL;
	}
	strcpy(d->name, base);
	if (snprintf(d->sysdir, sizeof(d->sysdir), "%s/class/uio/%s", root, d->name) >=
	    (int)sizeof(d->sysdir)) {
		scmi_chan_log(chan, SCMI_LOG_ERR, "uio: sysfs= is too long");
		return -EINVAL;
	}
	if (devnode)
		ret = path_set(d->devnode, devnode, "devnode=", chan);
	else if (spec[0] == '/')
		ret = path_set(d->devnode, spec, "the device path", chan);
	else
		ret = snprintf(d->devnode, sizeof(d->devnode), "/dev/%s", d->name) < 0;
	if (!ret)
		ret = path_set(d->irq_path, irq ? irq : d->devnode, "irq=", chan);
	return ret;
}

/* ---- regions ------------------------------------------------------------ */

/* The physical address of BAR @index of @d: the first field of its line
 * in device/resource ("start end flags", hex).  0 or -ENOENT (no file, no
 * such line, an unused BAR). */
static int bar_phys(const struct uio_dev *d, unsigned int index, uint64_t *phys)
{
	char path[PATH_MAX + 32], buf[1024], *line;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/device/resource", d->sysdir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ENOENT;
	buf[n] = '\0';
	line = buf;
	for (unsigned int i = 0; i < index && line; i++) {
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	if (!line || !*line)
		return -ENOENT;
	errno = 0;
	*phys = strtoull(line, NULL, 16);
	return errno || !*phys ? -ENOENT : 0;
}

/* The hex number in file @dir/@file into *@v.  -ENOENT, -EACCES, -EINVAL. */
static int read_hex(const char *dir, const char *file, uint64_t *v, struct scmi_chan *chan)
{
	char path[PATH_MAX + 16], buf[64], *end;
	ssize_t n;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		uio_log(chan, SCMI_LOG_ERR, "uio: cannot read %s: %s", path, strerror(-ret));
		return ret;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret) {
		uio_log(chan, SCMI_LOG_ERR, "uio: cannot read %s: %s", path, strerror(-ret));
		return ret;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	errno = 0;
	*v = strtoull(buf, &end, 16);
	if (!buf[0] || *end || errno || buf[0] == '-') {
		uio_log(chan, SCMI_LOG_ERR, "uio: %s: '%s' is not a hex number", path, buf);
		return -EINVAL;
	}
	return 0;
}

/* Open @path as a shmem_dev, logging as uio: naming @what. */
static int node_open(struct shmem_dev *node, const char *path, const char *what,
		     struct scmi_chan *chan)
{
	int ret = shmem_dev_open(node, path, NULL);

	if (ret)
		uio_log(chan, SCMI_LOG_ERR, "uio: cannot open %s %s: %s", what, path,
			ret == -EINVAL ? "neither a device nor a regular file" : strerror(-ret));
	return ret;
}

/* Does @path (map or BAR @what of @d) exist?  -ENOENT... (logged). */
static int region_stat(const struct uio_dev *d, const char *what, const char *path, struct stat *st,
		       struct scmi_chan *chan)
{
	int ret;

	if (!stat(path, st))
		return 0;
	ret = -errno;
	uio_log(chan, SCMI_LOG_ERR, "uio: %s has no %s (%s: %s)", d->name, what, path,
		strerror(-ret));
	return ret;
}

/* Find @name's size (and for a map its address and in-page offset). */
static int region_probe(struct uio_dev *d, struct uio_region *r, const char *name,
			struct scmi_chan *chan)
{
	char dir[PATH_MAX + 32], bar[16];
	struct stat st;
	int ret;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->is_map = name[0] == 'm';
	r->index = (unsigned int)strtoul(name + 3, NULL, 10);
	if (r->is_map) {
		snprintf(dir, sizeof(dir), "%s/maps/map%u", d->sysdir, r->index);
		if ((ret = region_stat(d, r->name, dir, &st, chan)))
			return ret;
		if ((ret = read_hex(dir, "size", &r->size, chan)) ||
		    (ret = read_hex(dir, "offset", &r->offset, chan)) ||
		    (ret = read_hex(dir, "addr", &r->phys, chan)))
			return ret;
		r->has_phys = true;
		if (r->offset >= (uint64_t)sysconf(_SC_PAGESIZE)) {
			uio_log(chan, SCMI_LOG_ERR,
				"uio: %s map%u: offset 0x%" PRIx64 " is not within a page", d->name,
				r->index, r->offset);
			return -EINVAL;
		}
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/device/resource%u", d->sysdir, r->index);
	snprintf(bar, sizeof(bar), "BAR %u", r->index);
	if ((ret = region_stat(d, bar, dir, &st, chan)))
		return ret;
	r->size = (uint64_t)st.st_size;
	r->has_phys = !bar_phys(d, r->index, &r->phys);
	return 0;
}

/* Map region @r of @d whole. */
static int region_map(struct uio_dev *d, struct uio_region *r, struct scmi_chan *chan)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct shmem_dev res;
	char path[PATH_MAX + 32];
	int ret;

	if (r->size > SIZE_MAX) {
		uio_log(chan, SCMI_LOG_ERR, "uio: %s %s is too large to map", d->name, r->name);
		return -EINVAL;
	}
	if (r->is_map) {
		if (d->node.fd < 0 && (ret = node_open(&d->node, d->devnode, "device node", chan)))
			return ret;
		ret = shmem_map(&d->node, (uint64_t)r->index * page + r->offset, (size_t)r->size,
				&r->map, NULL);
		if (ret)
			uio_log(chan, SCMI_LOG_ERR,
				"uio: cannot map %s %s (0x%" PRIx64 " bytes at page %u of %s): %s",
				d->name, r->name, r->size, r->index, d->devnode,
				ret == -EINVAL ? "past the end of the file" : strerror(-ret));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/device/resource%u", d->sysdir, r->index);
	if ((ret = node_open(&res, path, "BAR", chan)))
		return ret;
	ret = shmem_map(&res, 0, (size_t)r->size, &r->map, NULL);
	if (ret)
		uio_log(chan, SCMI_LOG_ERR, "uio: cannot map %s: %s", path, strerror(-ret));
	shmem_dev_close(&res);
	return ret;
}

/* Region @name of @d, probed (and mapped when @map) once. */
static int region_get(struct uio_dev *d, const char *name, struct uio_region **out,
		      struct scmi_chan *chan)
{
	struct uio_region *r;
	int ret;

	for (unsigned int i = 0; i < d->num_regions; i++) {
		if (!strcmp(d->regions[i].name, name)) {
			*out = &d->regions[i];
			return 0;
		}
	}
	if (d->num_regions == UIO_MAX_REGIONS)
		return -EINVAL;
	r = &d->regions[d->num_regions];
	if ((ret = region_probe(d, r, name, chan)))
		return ret;
	d->num_regions++;
	*out = r;
	return 0;
}

/*
 * The maps and BARs of @d the URI does not name, probed and mapped (best
 * effort, silently: a device need not have them) so that map_memory() can
 * serve physical addresses inside them -- fastchannels in a memory of
 * their own, beside the channels'.  Only those with a physical address.
 */
static void region_extras(struct uio_dev *d)
{
	for (unsigned int i = 0; i < UIO_MAX_MAPS + UIO_MAX_BARS; i++) {
		bool is_map = i < UIO_MAX_MAPS, known = false;
		unsigned int index = is_map ? i : i - UIO_MAX_MAPS;
		struct uio_region *r;
		char name[16];

		snprintf(name, sizeof(name), "%s%u", is_map ? "map" : "res", index);
		for (unsigned int j = 0; j < d->num_regions && !known; j++)
			known = !strcmp(d->regions[j].name, name);
		if (known || d->num_regions == UIO_MAX_REGIONS)
			continue;
		r = &d->regions[d->num_regions];
		if (region_probe(d, r, name, NULL) || !r->has_phys || !r->size ||
		    region_map(d, r, NULL)) {
			memset(r, 0, sizeof(*r));
			continue;
		}
		d->num_regions++;
	}
}

/* @what=0x@off (@len bytes) within @r?  -ERANGE (logged) otherwise. */
static int region_fits(const struct uio_dev *d, const struct uio_region *r, const char *what,
		       uint8_t protocol, uint64_t off, uint64_t len, struct scmi_chan *chan)
{
	char key[24];

	if (off <= r->size && len <= r->size - off)
		return 0;
	if (protocol)
		snprintf(key, sizeof(key), "%s.0x%02x", what, protocol);
	else
		snprintf(key, sizeof(key), "%s", what);
	scmi_chan_log(chan, SCMI_LOG_ERR,
		      "uio: %s=0x%" PRIx64 " (%" PRIu64 " bytes) ends past %s %s (0x%" PRIx64
		      " bytes): region too small",
		      key, off, len, d->name, r->name, r->size);
	return -ERANGE;
}

static volatile void *region_at(const struct uio_region *r, uint64_t off)
{
	return (volatile uint8_t *)r->map.ptr + off;
}

/* ---- the interrupt ------------------------------------------------------ */

static bool is_gone(int err)
{
	return err == EIO || err == ENODEV || err == ENXIO || err == EBADF;
}

/* Enable (or re-enable) @d's interrupt: write a uint32_t 1.  0 or -errno. */
static int irq_enable(struct uio_dev *d)
{
	uint32_t one = 1;
	ssize_t n = write(d->irq_fd, &one, sizeof(one));

	if (n == (ssize_t)sizeof(one))
		return 0;
	return n < 0 ? -errno : -EIO;
}

static void dev_gone(struct uio_dev *d, const char *why)
{
	char msg[160];

	if (d->poll_init)
		uv_poll_stop(&d->poll);
	snprintf(msg, sizeof(msg), "%s%s (%s): %s: the device is gone", d->param,
		 *d->param ? "dev" : "device", d->name, why);
	shmem_engine_fail(&d->owner->eng, -ENODEV, msg);
}

static void irq_event(uv_poll_t *h, int status, int events)
{
	struct uio_dev *d = h->data;
	unsigned int got = 0;
	uint32_t count;
	ssize_t n;
	int ret;

	if (status < 0) {
		dev_gone(d, uv_strerror(status));
		return;
	}
	for (unsigned int i = 0; i < UIO_IRQ_READS; i++) {
		n = read(d->irq_fd, &count, sizeof(count));
		if (n > 0) {
			got++;
			continue;
		}
		if (n == 0) {
			dev_gone(d, "end of file on the interrupt");
			return;
		}
		if (errno == EAGAIN || errno == EINTR)
			break;
		if (is_gone(errno)) {
			dev_gone(d, strerror(errno));
			return;
		}
		scmi_chan_log(d->owner->eng.chan, SCMI_LOG_WARN, "uio: %s: reading %s: %s", d->name,
			      d->irq_path, strerror(errno));
		break;
	}
	if (!got) {
		/* Readable with nothing to read: a hang-up shows so too. */
		if (events & UV_DISCONNECT)
			dev_gone(d, "the interrupt hung up");
		return;
	}
	ret = irq_enable(d);
	if (ret && is_gone(-ret)) {
		dev_gone(d, strerror(-ret));
		return;
	}
	if (ret && !d->enable_logged) {
		scmi_chan_log(d->owner->eng.chan, SCMI_LOG_WARN,
			      "uio: %s: re-enabling the interrupt: %s", d->name, strerror(-ret));
		d->enable_logged = true;
	}
	shmem_engine_scan(&d->owner->eng);
}

/*
 * Open and enable @d's interrupt.  0 with d->irq_fd set; 0 with irq_fd -1
 * when enabling failed (polling instead, logged); -ENOENT/-EACCES... when
 * the file cannot be opened.
 */
static int irq_open(struct uio_dev *d, struct scmi_chan *chan)
{
	int ret;

	/* O_NOCTTY: a terminal standing in for the interrupt (the fake
	 * device's pty) must not become the process's controlling one. */
	d->irq_fd = open(d->irq_path, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (d->irq_fd < 0) {
		ret = -errno;
		scmi_chan_log(chan, SCMI_LOG_ERR, "uio: cannot open the interrupt of %s, %s: %s",
			      d->name, d->irq_path, strerror(-ret));
		return ret;
	}
	ret = irq_enable(d);
	if (ret) {
		scmi_chan_log(chan, SCMI_LOG_INFO,
			      "uio: %s: enabling the interrupt (%s) failed: %s; %s polled instead",
			      d->name, d->irq_path, strerror(-ret),
			      *d->param ? "P2A messages are" : "completions and P2A messages are");
		close(d->irq_fd);
		d->irq_fd = -1;
	}
	return 0;
}

static int irq_watch(struct uio_dev *d)
{
	if (d->irq_fd < 0)
		return 0;
	if (uv_poll_init(scmi_chan_loop(d->owner->eng.chan), &d->poll, d->irq_fd))
		return -ENOMEM;
	d->poll_init = true;
	d->poll.data = d;
	return uv_poll_start(&d->poll, UV_READABLE | UV_DISCONNECT, irq_event) ? -ENOMEM : 0;
}

/* ---- open / close ------------------------------------------------------- */

static void dev_free(struct uio_dev *d)
{
	for (unsigned int i = 0; i < d->num_regions; i++)
		shmem_unmap(&d->regions[i].map);
	shmem_dev_close(&d->node);
	if (d->irq_fd >= 0)
		close(d->irq_fd);
	d->irq_fd = -1;
}

static void uio_free(struct uio_priv *p)
{
	if (!p)
		return;
	shmem_engine_free(&p->eng);
	dev_free(&p->dev);
	dev_free(&p->p2a_dev);
	free(p);
}

/* shm=, p2a_dev= and the paths: what the shared parser leaves to us. */
static int parse_devices(struct uio_priv *p, const struct scmi_uri *uri, struct scmi_chan *chan)
{
	const char *shm = scmi_uri_param(uri, "shm");
	const char *p2a_dev = scmi_uri_param(uri, "p2a_dev");
	const char *p2a_shm = scmi_uri_param(uri, "p2a_shm");
	const char *root = scmi_uri_param(uri, "sysfs");
	static const char *const p2a_only[] = {"p2a_shm", "p2a_devnode", "p2a_irq"};
	int ret;

	if (!*scmi_uri_path(uri)) {
		scmi_chan_log(
			chan, SCMI_LOG_ERR,
			"uio: the device is required (uio://uio0?... or uio:///dev/uio0?...)");
		return -EINVAL;
	}
	if (!shm) {
		scmi_chan_log(chan, SCMI_LOG_ERR,
			      "uio: shm=REGION (mapK or resN: where the areas are) is required");
		return -EINVAL;
	}
	if ((ret = region_name_check("shm", shm, chan)))
		return ret;
	strcpy(p->shm, shm);
	if (!p2a_dev) {
		for (size_t i = 0; i < sizeof(p2a_only) / sizeof(p2a_only[0]); i++) {
			if (scmi_uri_param(uri, p2a_only[i])) {
				scmi_chan_log(chan, SCMI_LOG_ERR, "uio: %s= needs p2a_dev=DEVICE",
					      p2a_only[i]);
				return -EINVAL;
			}
		}
	}
	if (p2a_shm && (ret = region_name_check("p2a_shm", p2a_shm, chan)))
		return ret;
	strcpy(p->p2a_shm, p2a_shm ? p2a_shm : shm);
	if (!root)
		root = UIO_DEFAULT_SYSFS;
	if (!*root) {
		scmi_chan_log(chan, SCMI_LOG_ERR, "uio: sysfs= is empty");
		return -EINVAL;
	}
	ret = dev_setup(&p->dev, "", scmi_uri_path(uri), root, scmi_uri_param(uri, "devnode"),
			scmi_uri_param(uri, "irq"), chan);
	if (ret || !p2a_dev)
		return ret;
	p->has_p2a_dev = true;
	return dev_setup(&p->p2a_dev, "p2a_", p2a_dev, root, scmi_uri_param(uri, "p2a_devnode"),
			 scmi_uri_param(uri, "p2a_irq"), chan);
}

/* Does @d's sysfs entry exist?  -ENOENT/-EACCES (logged). */
static int dev_check(const struct uio_dev *d, struct scmi_chan *chan)
{
	struct stat st;
	int ret;

	if (!stat(d->sysdir, &st))
		return 0;
	ret = -errno;
	scmi_chan_log(chan, SCMI_LOG_ERR, "uio: no UIO device %s (%s: %s)", d->name, d->sysdir,
		      strerror(-ret));
	return ret;
}

/* Probe the regions, check every area and the doorbell against them, map
 * them, hand the channels to the engine. */
static int setup_channels(struct uio_priv *p, struct scmi_chan *chan)
{
	const struct shmem_config *cfg = &p->cfg;
	struct uio_dev *pd = p->has_p2a_dev ? &p->p2a_dev : &p->dev;
	struct uio_region *shm, *p2a = NULL, *db = NULL;
	int ret;

	if ((ret = region_get(&p->dev, p->shm, &shm, chan)))
		return ret;
	if (cfg->has_db && (ret = region_get(&p->dev, p->db_region, &db, chan)))
		return ret;
	if (shmem_config_has_p2a(cfg) && (ret = region_get(pd, p->p2a_shm, &p2a, chan)))
		return ret;
	for (size_t i = 0; i < cfg->num_chans; i++) {
		const struct shmem_chan_config *cc = &cfg->chans[i];

		if ((ret = region_fits(&p->dev, shm, "a2p", cc->protocol, cc->a2p, cfg->size,
				       chan)))
			return ret;
		if (cc->has_p2a &&
		    (ret = region_fits(pd, p2a, "p2a", cc->protocol, cc->p2a, cfg->size, chan)))
			return ret;
	}
	if (db && (ret = region_fits(&p->dev, db, "db", 0, cfg->db, cfg->db_width / 8, chan)))
		return ret;
	for (unsigned int i = 0; i < p->dev.num_regions; i++)
		if ((ret = region_map(&p->dev, &p->dev.regions[i], chan)))
			return ret;
	for (unsigned int i = 0; p->has_p2a_dev && i < p->p2a_dev.num_regions; i++)
		if ((ret = region_map(&p->p2a_dev, &p->p2a_dev.regions[i], chan)))
			return ret;
	region_extras(&p->dev);
	if (p->has_p2a_dev)
		region_extras(&p->p2a_dev);
	for (size_t i = 0; i < cfg->num_chans; i++) {
		const struct shmem_chan_config *cc = &cfg->chans[i];

		ret = shmem_engine_add(&p->eng, cc->protocol, region_at(shm, cc->a2p),
				       cc->has_p2a ? region_at(p2a, cc->p2a) : NULL, cfg->size);
		if (ret)
			return ret;
	}
	if (db)
		shmem_engine_set_doorbell(&p->eng, region_at(db, cfg->db), cfg);
	return 0;
}

static int uio_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		    struct scmi_transport_info *info, void **priv)
{
	struct uio_priv *p = calloc(1, sizeof(*p));
	struct shmem_config_opts opts = {
		.name = "uio",
		.irq_capable = true,
		.irq_default = true,
		.a2p_optional = true,
		.own_keys = uio_keys,
		.parse_db = uio_parse_db,
	};
	bool irq_all;
	int ret;

	if (!p)
		return -ENOMEM;
	shmem_engine_init(&p->eng, chan, "uio");
	p->dev.owner = p->p2a_dev.owner = p;
	p->dev.node.fd = p->p2a_dev.node.fd = -1;
	p->dev.irq_fd = p->p2a_dev.irq_fd = -1;
	if ((ret = parse_devices(p, uri, chan)))
		goto fail;
	opts.p2a_apart = p->has_p2a_dev;
	opts.arg = p;
	if ((ret = shmem_config_parse_opts(uri, &opts, &p->cfg, chan)))
		goto fail;
	if (p->has_p2a_dev && !shmem_config_has_p2a(&p->cfg)) {
		scmi_chan_log(chan, SCMI_LOG_ERR,
			      "uio: p2a_dev= needs a P2A area (p2a= or p2a.0xNN=) in it");
		ret = -EINVAL;
		goto fail;
	}
	if ((ret = dev_check(&p->dev, chan)) ||
	    (p->has_p2a_dev && (ret = dev_check(&p->p2a_dev, chan))))
		goto fail;
	if ((ret = setup_channels(p, chan)))
		goto fail;
	if (p->cfg.completion == SHMEM_COMPLETION_IRQ) {
		if ((ret = irq_open(&p->dev, chan)) ||
		    (p->has_p2a_dev && (ret = irq_open(&p->p2a_dev, chan))))
			goto fail;
	}
	p->eng.irq = p->dev.irq_fd >= 0;
	irq_all = p->eng.irq && (!p->has_p2a_dev || p->p2a_dev.irq_fd >= 0);
	p->period_ms = (p->cfg.poll_us + 999u) / 1000u;
	if (irq_all && !p->cfg.poll_us_set)
		p->period_ms = UIO_SAFETY_MS;
	shmem_engine_info(&p->eng, info);
	if (p->cfg.timeout_ms)
		info->timeout_ms = p->cfg.timeout_ms;
	scmi_chan_log(chan, SCMI_LOG_DEBUG,
		      "uio: %s: %u channel(s) of %zu bytes in %s, %s, completion by %s, "
		      "%s every %llu ms",
		      p->dev.name, p->eng.num_chans, p->cfg.size, p->shm,
		      p->cfg.has_db ? "doorbell" : "no doorbell",
		      p->eng.irq ? "interrupt" : "polling", irq_all ? "safety scan" : "P2A polled",
		      (unsigned long long)p->period_ms);
	*priv = p;
	return 0;
fail:
	uio_free(p);
	return ret ? ret : -EINVAL;
}

static int uio_start(void *priv)
{
	struct uio_priv *p = priv;
	int ret;

	if ((ret = shmem_engine_start(&p->eng, p->period_ms)))
		return ret;
	if ((ret = irq_watch(&p->dev)))
		return ret;
	return p->has_p2a_dev ? irq_watch(&p->p2a_dev) : 0;
}

static void uio_close(void *priv)
{
	struct uio_priv *p = priv;
	struct uio_dev *devs[] = {&p->dev, &p->p2a_dev};

	for (size_t i = 0; i < 2; i++) {
		if (devs[i]->poll_init) {
			uv_poll_stop(&devs[i]->poll);
			uv_close((uv_handle_t *)&devs[i]->poll, NULL);
			devs[i]->poll_init = false;
		}
	}
	shmem_engine_close(&p->eng);
}

static void uio_release(void *priv)
{
	uio_free(priv);
}

/* Fastchannels and the like: physical addresses inside a mapped map or BAR
 * (of either device; named in the URI or not, region_extras()). */
static void *uio_map_memory(void *priv, uint64_t addr, size_t size)
{
	struct uio_priv *p = priv;
	struct uio_dev *devs[] = {&p->dev, &p->p2a_dev};

	for (size_t i = 0; i < 2; i++) {
		for (unsigned int j = 0; j < devs[i]->num_regions; j++) {
			const struct uio_region *r = &devs[i]->regions[j];

			if (r->has_phys && r->map.map && addr >= r->phys &&
			    addr - r->phys <= r->size && size <= r->size - (addr - r->phys))
				return (void *)region_at(r, addr - r->phys);
		}
	}
	return NULL;
}

static void uio_unmap_memory(void *priv, void *ptr, size_t size)
{
	/* Part of a region, unmapped at release. */
	(void)priv;
	(void)ptr;
	(void)size;
}

static void uio_describe_dev(const struct uio_dev *d, const char *sec, scmi_describe_fn emit,
			     void *arg)
{
	char rsec[48];

	emit(arg, sec, "name", d->name);
	emit(arg, sec, "devnode", d->devnode);
	emit(arg, sec, "sysfs", d->sysdir);
	emit(arg, sec, "interrupt", d->irq_fd >= 0 ? d->irq_path : "none");
	for (unsigned int i = 0; i < d->num_regions; i++) {
		const struct uio_region *r = &d->regions[i];

		if (!r->map.map)
			continue;
		snprintf(rsec, sizeof(rsec), "%s %s", sec, r->name);
		emit(arg, rsec, "kind", r->is_map ? "map" : "BAR");
		scmi_describef(emit, arg, rsec, "size", "%llu", (unsigned long long)r->size);
		if (r->has_phys)
			scmi_describef(emit, arg, rsec, "phys", "0x%llx",
				       (unsigned long long)r->phys);
	}
}

static int uio_describe(void *priv, scmi_describe_fn emit, void *arg)
{
	struct uio_priv *p = priv;

	uio_describe_dev(&p->dev, "uio", emit, arg);
	emit(arg, "uio", "shm", p->shm);
	if (p->cfg.has_db)
		emit(arg, "uio", "doorbell_region", p->db_region[0] ? p->db_region : p->shm);
	if (p->has_p2a_dev) {
		uio_describe_dev(&p->p2a_dev, "uio p2a_dev", emit, arg);
		emit(arg, "uio p2a_dev", "shm", p->p2a_shm);
	}
	scmi_describef(emit, arg, "uio", "area_size", "%zu", p->cfg.size);
	scmi_describef(emit, arg, "uio", "channels", "%u", p->eng.num_chans);
	shmem_engine_describe(&p->eng, &p->cfg, p->period_ms, emit, arg);
	return 0;
}

static const struct scmi_transport_ops uio_ops = {
	.open = uio_open,
	.describe = uio_describe,
	.start = uio_start,
	.close = uio_close,
	.release = uio_release,
	.send_message = shmem_engine_send,
	.fetch_response = shmem_engine_fetch_response,
	.fetch_notification = shmem_engine_fetch_notification,
	.poll_done = shmem_engine_poll_done,
	.channel_of = shmem_engine_channel_of,
	.map_memory = uio_map_memory,
	.unmap_memory = uio_unmap_memory,
};

const struct scmi_transport_desc scmi_uio_transport = {
	.scheme = "uio",
	.ops = &uio_ops,
	.defaults =
		{
			.max_msg = 1,
			.max_msg_size = SHMEM_DEFAULT_SIZE - 32,
			.timeout_ms = UIO_DEFAULT_TIMEOUT_MS,
			.caps = SCMI_TRANSPORT_P2A,
		},
};

// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --devmem PATH: the channels of --shmem in a slice of memory that
 * exists already -- a physical range of /dev/mem (the BAR of a PCI device
 * both the agent and the platform reach, in the VM rig: docs/VM.md), or a
 * big file standing in for one.  The memory is named by the environment:
 *
 *   SCMI_SIM_DEVMEM=DEVICE@BASE+SIZE     e.g. /dev/mem@0xfa000000+0x4000000
 *
 * (BASE and SIZE page-aligned, decimal or 0x hex).  It is cut into slots of
 * DEVMEM_SLOT bytes; each server takes the first free one, held by an open
 * file description lock on byte N of DEVICE's lock file
 * (${TMPDIR:-/tmp}/scmi-sim-devmem.lock), so that servers of one process
 * (threads) and of several share the range without a coordinator, and a
 * crashed one frees its slot.  Nothing is created or truncated there; the
 * slot's areas are marked free at open.  PATH itself becomes an empty marker
 * file (a test's server file, removed at exit unless --keep) holding the
 * slot's address.
 *
 * The URI printed is shmem:// on DEVICE with the areas at their addresses
 * in it, e.g. shmem:///dev/mem?a2p=0xfa100000&p2a=0xfa100080&size=128.
 * --doorbell puts the register after the areas, as --shmem does;
 * --fastchannels is refused (the simulator's window has a fixed address,
 * outside the range).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "areas.h"

#define DEVMEM_SLOT (1u << 20)
#define DEVMEM_PAGE 4096u
#define DEVMEM_ENV  "SCMI_SIM_DEVMEM"

struct devmem {
	struct srv *srv;
	char *path;   /* the marker file */
	char *device; /* what is mapped */
	int fd, lock_fd;
	uint64_t base; /* the slot's address in the device */
	uint8_t *map;
	size_t map_len;
	struct srv_areas *areas;
	bool doorbell;
	size_t db_off;
	unsigned int db_width;
	uint64_t db_set, db_preserve;
	unsigned int slot;
};

/* "DEVICE@BASE+SIZE": 0 or -EINVAL (logged). */
static int devmem_parse(const char *env, char **device, uint64_t *base, uint64_t *size)
{
	const char *at = strrchr(env, '@');
	const char *plus = at ? strchr(at, '+') : NULL;
	char num[32];

	if (!at || !plus || at == env || (size_t)(plus - at - 1) >= sizeof(num))
		goto bad;
	memcpy(num, at + 1, (size_t)(plus - at - 1));
	num[plus - at - 1] = '\0';
	if (srv_parse_u64(num, 0, UINT64_MAX - 1, base) ||
	    srv_parse_u64(plus + 1, DEVMEM_SLOT, UINT64_MAX - *base, size) || *base % DEVMEM_PAGE ||
	    *size % DEVMEM_PAGE)
		goto bad;
	*device = strndup(env, (size_t)(at - env));
	return *device ? 0 : -ENOMEM;
bad:
	srv_log(NULL, SRV_LOG_ERR,
		"--devmem: " DEVMEM_ENV "='%s' is not DEVICE@BASE+SIZE (page-aligned, a slot "
		"of %u bytes at least)",
		env, DEVMEM_SLOT);
	return -EINVAL;
}

/* The first free slot of @n, locked (OFD lock: per open file, so threads
 * of one process exclude each other too).  Its index, or a negative errno. */
static int devmem_take_slot(struct devmem *d, unsigned int n)
{
	const char *tmp = getenv("TMPDIR");
	char lock[4096];

	snprintf(lock, sizeof(lock), "%s/scmi-sim-devmem.lock", tmp && *tmp ? tmp : "/tmp");
	d->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (d->lock_fd < 0) {
		int err = errno;

		srv_log(NULL, SRV_LOG_ERR, "--devmem: %s: %s", lock, strerror(err));
		return -err;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct flock fl = {
			.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = i, .l_len = 1};

		if (!fcntl(d->lock_fd, F_OFD_SETLK, &fl))
			return (int)i;
	}
	srv_log(NULL, SRV_LOG_ERR, "--devmem: every one of the %u slots is taken", n);
	return -EBUSY;
}

static void devmem_free(struct devmem *d, bool remove)
{
	srv_areas_free(d->areas);
	if (d->map)
		munmap(d->map, d->map_len);
	if (d->fd >= 0)
		close(d->fd);
	if (d->lock_fd >= 0)
		close(d->lock_fd); /* frees the slot */
	if (remove && d->path)
		unlink(d->path);
	free(d->path);
	free(d->device);
	free(d);
}

static int devmem_poll(void *state)
{
	return srv_areas_poll(((struct devmem *)state)->areas);
}

static void devmem_output(void *state, struct srv_ctx ctx, enum scmi_sim_chan chan, const void *msg,
			  size_t len)
{
	srv_areas_output(((struct devmem *)state)->areas, ctx, chan, msg, len);
}

/* srv_areas_print()'s offsets, moved to the slot's address. */
static void devmem_print_uri(void *state, FILE *f)
{
	struct devmem *d = state;
	char *buf = NULL, *save = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	bool first = true;

	fprintf(f, "shmem://%s?", d->device);
	if (!m)
		return;
	srv_areas_print(d->areas, m);
	fclose(m);
	for (char *kv = strtok_r(buf, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		uint64_t v;

		if (eq && (!strncmp(kv, "a2p", 3) || !strncmp(kv, "p2a", 3)) &&
		    !srv_parse_u64(eq + 1, 0, UINT64_MAX, &v)) {
			*eq = '\0';
			fprintf(f, "%s%s=0x%llx", first ? "" : "&", kv,
				(unsigned long long)(d->base + v));
		} else {
			fprintf(f, "%s%s", first ? "" : "&", kv);
		}
		first = false;
	}
	free(buf);
	if (d->doorbell) {
		fprintf(f, "&db=0x%llx&db_width=%u&db_set=0x%llx",
			(unsigned long long)(d->base + d->db_off), d->db_width,
			(unsigned long long)d->db_set);
		if (d->db_preserve)
			fprintf(f, "&db_preserve=0x%llx", (unsigned long long)d->db_preserve);
	}
}

static void devmem_stats(void *state, char *buf, size_t size)
{
	struct devmem *d = state;
	int n;

	srv_areas_stats(d->areas, buf, size);
	n = (int)strlen(buf);
	if (n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " devmem_slot=%u devmem_base=0x%llx", d->slot,
			 (unsigned long long)d->base);
}

static void devmem_close(void *state, bool keep)
{
	devmem_free(state, !keep);
}

static int devmem_open(struct srv *srv, const struct srv_opts *o, void **state)
{
	const char *env = getenv(DEVMEM_ENV);
	struct devmem *d;
	uint64_t base, size;
	size_t end;
	struct stat st;
	FILE *marker;
	int ret;

	if (!env || !*env) {
		srv_log(NULL, SRV_LOG_ERR, "--devmem: " DEVMEM_ENV " names no memory");
		return -EINVAL;
	}
	if (o->fastchannels) {
		srv_log(NULL, SRV_LOG_ERR,
			"--devmem: no --fastchannels (the window's address "
			"is fixed, outside the memory)");
		return -EINVAL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->srv = srv;
	d->fd = d->lock_fd = -1;
	ret = devmem_parse(env, &d->device, &base, &size);
	if (ret) {
		devmem_free(d, false);
		return ret;
	}
	d->path = srv_abs_path(o->path);
	if (!d->path || !srv_uri_safe("--devmem", d->device)) {
		devmem_free(d, false);
		return d->path ? -EINVAL : -ENOMEM;
	}
	end = srv_areas_len(o);
	d->doorbell = o->doorbell;
	d->db_width = o->db_width;
	d->db_set = o->db_set;
	d->db_preserve = o->db_preserve;
	d->db_off = (end + 7) & ~(size_t)7;
	if (d->doorbell)
		end = d->db_off + 8;
	d->map_len = (end + DEVMEM_PAGE - 1) / DEVMEM_PAGE * DEVMEM_PAGE;
	if (d->map_len > DEVMEM_SLOT) {
		srv_log(NULL, SRV_LOG_ERR, "--devmem: %zu bytes of areas do not fit a slot (%u)",
			d->map_len, DEVMEM_SLOT);
		devmem_free(d, false);
		return -ERANGE;
	}
	ret = devmem_take_slot(d, (unsigned int)(size / DEVMEM_SLOT));
	if (ret < 0) {
		devmem_free(d, false);
		return ret;
	}
	d->slot = (unsigned int)ret;
	d->base = base + (uint64_t)d->slot * DEVMEM_SLOT;
	d->fd = open(d->device, O_RDWR | O_CLOEXEC | O_SYNC);
	if (d->fd < 0 || fstat(d->fd, &st) ||
	    (S_ISREG(st.st_mode) && (uint64_t)st.st_size < d->base + d->map_len)) {
		ret = d->fd < 0 ? -errno : -ERANGE;
		srv_log(NULL, SRV_LOG_ERR, "--devmem: %s: %s", d->device,
			ret == -ERANGE ? "too small for the slot" : strerror(-ret));
		devmem_free(d, false);
		return ret;
	}
	d->map = mmap(NULL, d->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, (off_t)d->base);
	if (d->map == MAP_FAILED) {
		ret = -errno;
		d->map = NULL;
		srv_log(NULL, SRV_LOG_ERR, "--devmem: cannot map %s at 0x%llx: %s", d->device,
			(unsigned long long)d->base, strerror(-ret));
		devmem_free(d, false);
		return ret;
	}
	ret = srv_areas_new(srv, o, d->map, &d->areas);
	if (ret) {
		devmem_free(d, false);
		return ret;
	}
	if (d->doorbell) {
		memset(d->map + d->db_off, 0, 8);
		srv_areas_doorbell(d->areas, d->map + d->db_off, d->db_width, d->db_set);
	}
	/* The marker: what a test sees as its server's file. */
	marker = fopen(d->path, "we");
	if (!marker) {
		ret = -errno;
		srv_log(NULL, SRV_LOG_ERR, "--devmem: cannot create '%s': %s", d->path,
			strerror(-ret));
		devmem_free(d, false);
		return ret;
	}
	fprintf(marker, "%s@0x%llx slot %u\n", d->device, (unsigned long long)d->base, d->slot);
	fclose(marker);
	srv_log(srv, SRV_LOG_INFO,
		"serving %u channel pair(s) of %zu bytes in %s at 0x%llx (slot %u)",
		1 + o->n_protos, o->size, d->device, (unsigned long long)d->base, d->slot);
	*state = d;
	return 0;
}

const struct srv_mode srv_mode_devmem = {
	.name = "devmem",
	.open = devmem_open,
	.print_uri = devmem_print_uri,
	.poll = devmem_poll,
	.output = devmem_output,
	.stats = devmem_stats,
	.close = devmem_close,
};

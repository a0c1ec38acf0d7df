// SPDX-License-Identifier: BSD-3-Clause
/*
 * shmem:// (internal): mapping a memory device or a file at byte offsets.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "map.h"

int shmem_dev_open(struct shmem_dev *dev, const char *path, struct scmi_chan *chan)
{
	struct stat st;
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	snprintf(dev->path, sizeof(dev->path), "%s", path);
	dev->fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (dev->fd < 0) {
		ret = -errno;
		shmem_log(chan, SCMI_LOG_ERR, "shmem: cannot open %s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(dev->fd, &st)) {
		ret = -errno;
		shmem_log(chan, SCMI_LOG_ERR, "shmem: cannot stat %s: %s", path, strerror(-ret));
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		dev->regular = true;
		dev->file_size = (uint64_t)st.st_size;
	} else if (!S_ISCHR(st.st_mode)) {
		shmem_log(chan, SCMI_LOG_ERR,
			  "shmem: %s is neither a memory device nor a regular file", path);
		ret = -EINVAL;
		goto fail;
	}
	return 0;
fail:
	close(dev->fd);
	dev->fd = -1;
	return ret;
}

void shmem_dev_close(struct shmem_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

int shmem_map(const struct shmem_dev *dev, uint64_t offset, size_t size, struct shmem_map *m,
	      struct scmi_chan *chan)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t start = offset & ~(page - 1), delta = offset - start;
	void *p;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!size || offset > (uint64_t)INT64_MAX || size > (uint64_t)INT64_MAX - offset ||
	    size > SIZE_MAX - delta) {
		shmem_log(chan, SCMI_LOG_ERR,
			  "shmem: cannot map %zu bytes at 0x%" PRIx64 " of %s: bad range", size,
			  offset, dev->path);
		return -EINVAL;
	}
	if (dev->regular && offset + size > dev->file_size) {
		shmem_log(chan, SCMI_LOG_ERR,
			  "shmem: %zu bytes at 0x%" PRIx64 " end past %s (%" PRIu64 " bytes)", size,
			  offset, dev->path, dev->file_size);
		return -EINVAL;
	}
	p = mmap(NULL, delta + size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd, (off_t)start);
	if (p == MAP_FAILED) {
		ret = -errno;
		shmem_log(chan, SCMI_LOG_ERR,
			  "shmem: cannot map %zu bytes at 0x%" PRIx64 " of %s: %s", size, offset,
			  dev->path, strerror(-ret));
		return ret;
	}
	m->map = p;
	m->map_len = delta + size;
	m->ptr = (volatile uint8_t *)p + delta;
	m->size = size;
	return 0;
}

void shmem_unmap(struct shmem_map *m)
{
	if (m->map)
		munmap(m->map, m->map_len);
	memset(m, 0, sizeof(*m));
}

void shmem_unmap_ptr(volatile void *ptr, size_t size)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)ptr & ~(page - 1);

	if (ptr)
		munmap((void *)start, (uintptr_t)ptr - start + size);
}

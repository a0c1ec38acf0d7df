/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shmem:// (internal): mapping windows of a memory device (/dev/mem) or of
 * a file shared with the platform (the simulator's, in tests) at byte
 * offsets that need not be page-aligned.
 *
 * One shmem_dev per open device; any number of shmem_map windows on it
 * (the channels' areas, the doorbell, fastchannels).  Errors are logged
 * through @chan when it is not NULL.  Not thread-safe per object: the
 * transport opens and maps on its loop thread (map_memory() callers are
 * serialised by the transport).
 */
#ifndef SCMI_TRANSPORTS_SHMEM_MAP_H
#define SCMI_TRANSPORTS_SHMEM_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/transport.h>

/* Log through the handle when there is one (tests may pass NULL). */
#define shmem_log(chan, level, ...)                                  \
	do {                                                         \
		if (chan)                                            \
			scmi_chan_log((chan), (level), __VA_ARGS__); \
	} while (0)

/** An open memory device or file. */
struct shmem_dev {
	int fd;		    /* -1 when closed */
	bool regular;	    /* a regular file: windows must end within it */
	uint64_t file_size; /* its size at open time (regular files) */
	char path[256];	    /* for log lines (truncated) */
};

/** One mapped window. */
struct shmem_map {
	void *map;	    /* what mmap() returned (page-aligned), or NULL */
	size_t map_len;	    /* its length */
	volatile void *ptr; /* the first byte asked for (map + in-page offset) */
	size_t size;	    /* bytes asked for */
};

/**
 * Open @path read-write (O_RDWR | O_SYNC | O_CLOEXEC: O_SYNC makes /dev/mem
 * map the window uncached).  @path must be a regular file or a character
 * device.  -ENOENT, -EACCES, -EPERM (open()'s errno); -EINVAL for another
 * kind of file; on error @dev is closed (fd -1).
 */
int shmem_dev_open(struct shmem_dev *dev, const char *path, struct scmi_chan *chan);
/** Close the device (windows stay mapped until shmem_unmap()). */
void shmem_dev_close(struct shmem_dev *dev);

/**
 * Map @size bytes at byte offset @offset of @dev, shared and read-write:
 * the pages around them are mapped and m->ptr points at @offset.
 * -EINVAL for @size 0, offset + size overflowing (or past the largest file
 * offset), or, for a regular file, a window that does not end within the
 * file (its pages would fault on access); mmap()'s errno otherwise
 * (-ENOMEM, -EACCES, -EPERM for /dev/mem ranges the kernel refuses...).
 * On error @m is left empty (map NULL).
 *
 * A regular file the platform truncates later still faults (SIGBUS) on
 * access; that is the platform's side of the contract.
 */
int shmem_map(const struct shmem_dev *dev, uint64_t offset, size_t size, struct shmem_map *m,
	      struct scmi_chan *chan);
/** Unmap a window mapped by shmem_map(); an empty one is ignored. */
void shmem_unmap(struct shmem_map *m);

/**
 * Unmap the window of @size bytes that shmem_map() mapped at @ptr (m->ptr,
 * m->size), knowing only those two: for unmap_memory(), which is given
 * what map_memory() returned.  NULL is ignored.
 */
void shmem_unmap_ptr(volatile void *ptr, size_t size);

#endif

// SPDX-License-Identifier: BSD-3-Clause
/*
 * evread: wait on an input device (libevdev) for a sequence of keys, each
 * pressed then released, in order.  The VM rig's guest runs it on the
 * device scmi-evdev created through the kernel's uinput.
 * Usage: evread DEVICE TIMEOUT_S KEY...   (KEY: a name, e.g. KEY_POWER)
 * Prints "evread: ready" once the device is open, then each key seen.
 * Exit status 0 when every key came, 1 on a timeout, 2 on an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <libevdev/libevdev.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct libevdev *dev = NULL;
	int keys[16], n, next = 0, fd, ret;
	bool pressed = false;
	long long end;

	if (argc < 4 || argc - 3 > 16) {
		fprintf(stderr, "usage: evread DEVICE TIMEOUT_S KEY...\n");
		return 2;
	}
	n = argc - 3;
	for (int i = 0; i < n; i++) {
		keys[i] = libevdev_event_code_from_name(EV_KEY, argv[3 + i]);
		if (keys[i] < 0) {
			fprintf(stderr, "evread: unknown key %s\n", argv[3 + i]);
			return 2;
		}
	}
	fd = open(argv[1], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "evread: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	ret = libevdev_new_from_fd(fd, &dev);
	if (ret) {
		fprintf(stderr, "evread: %s: %s\n", argv[1], strerror(-ret));
		return 2;
	}
	printf("evread: ready on %s (\"%s\")\n", argv[1], libevdev_get_name(dev));
	fflush(stdout);
	end = now_ms() + atol(argv[2]) * 1000;
	while (next < n && now_ms() < end) {
		struct pollfd pf = {fd, POLLIN, 0};
		struct input_event ev;

		poll(&pf, 1, (int)(end - now_ms() > 0 ? end - now_ms() : 0));
		while ((ret = libevdev_next_event(dev, LIBEVDEV_READ_FLAG_NORMAL, &ev)) ==
			       LIBEVDEV_READ_STATUS_SUCCESS &&
		       next < n) {
			if (ev.type != EV_KEY || ev.code != keys[next])
				continue;
			if (ev.value == 1) {
				pressed = true;
				printf("evread: %s pressed\n", argv[3 + next]);
			} else if (ev.value == 0 && pressed) {
				printf("evread: %s released\n", argv[3 + next]);
				pressed = false;
				next++;
			}
			fflush(stdout);
		}
	}
	libevdev_free(dev);
	close(fd);
	if (next < n) {
		fprintf(stderr, "evread: timed out waiting for %s\n", argv[3 + next]);
		return 1;
	}
	return 0;
}

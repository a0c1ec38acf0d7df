// SPDX-License-Identifier: BSD-3-Clause
/*
 * vmctl: one command to scmi-sim's control socket, its reply on standard
 * output -- the VM rig's host side (tests/vm/run.sh) drives the platform
 * with it while the guest runs.  Usage: vmctl SOCKET COMMAND...
 * Exit status: 0 for an 'ok' reply, 1 for 'error ...', 2 when the socket
 * cannot be reached.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char line[1024], reply[1024];
	size_t len = 0, got = 0;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: vmctl SOCKET COMMAND...\n");
		return 2;
	}
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vmctl: socket path too long\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	for (int i = 2; i < argc; i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s", i > 2 ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(line) - len - 1) {
			fprintf(stderr, "vmctl: command too long\n");
			return 2;
		}
		len += (size_t)n;
	}
	line[len++] = '\n';
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "vmctl: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, line + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "vmctl: write: %s\n", strerror(errno));
			return 2;
		}
		off += (size_t)n;
	}
	while (got < sizeof(reply) - 1) {
		ssize_t n = read(fd, reply + got, sizeof(reply) - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(reply, '\n', got))
			break;
	}
	close(fd);
	reply[got] = 0;
	reply[strcspn(reply, "\n")] = 0;
	puts(reply);
	return strncmp(reply, "ok", 2) ? 1 : 0;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * vmping: the round trip of one Base PROTOCOL_VERSION command, N times,
 * over the URI given (the VM rig runs it in the guest: a figure of the
 * rig, TCG-emulated, not of the library).  Usage: vmping URI [N]
 * Prints "vmping: N round trips, median X us, p10 Y us, p90 Z us".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <scmi/scmi.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR};
	struct scmi_handle *h;
	unsigned long n = 1000;
	uint64_t *t;
	int ret;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vmping URI [N]\n");
		return 2;
	}
	if (argc == 3) {
		char *end;

		n = strtoul(argv[2], &end, 0);
		if (*end || n < 1 || n > 1000000) {
			fprintf(stderr, "vmping: N: 1..1000000\n");
			return 2;
		}
	}
	t = calloc(n, sizeof(*t));
	if (!t)
		return 1;
	ret = scmi_open(argv[1], &cfg, &h);
	if (ret) {
		fprintf(stderr, "vmping: scmi_open(%s): %s\n", argv[1], scmi_strerror(ret));
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		uint8_t rx[8];
		size_t rx_len;
		uint64_t t0 = now_ns();

		ret = scmi_raw_command(h, 0x10, 0x0, NULL, 0, rx, sizeof(rx), &rx_len);
		t[i] = now_ns() - t0;
		if (ret || rx_len != 4) {
			fprintf(stderr, "vmping: command %lu: %s (%zu bytes)\n", i,
				scmi_strerror(ret), rx_len);
			scmi_close(h);
			return 1;
		}
	}
	scmi_close(h);
	qsort(t, n, sizeof(*t), cmp_u64);
	printf("vmping: %lu round trips, median %.1f us, p10 %.1f us, p90 %.1f us\n", n,
	       (double)t[n / 2] / 1000, (double)t[n / 10] / 1000, (double)t[n * 9 / 10] / 1000);
	free(t);
	return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the simulator's byte-level entry point,
 * scmi_sim_process(): the platform must survive any agent bytes, and what it
 * emits must be well formed (a response to every command, with the
 * command's header; no message longer than max_msg_size allows).  Agent
 * writes to the shared memory the simulator hands out (fastchannels,
 * doorbells) are fuzzed too.
 *
 * Building a simulator costs far more than most inputs: there is one per
 * configuration (profile, max_msg_size, list cap), built the first time an
 * input asks for it and brought back to its initial state after each input
 * by sim_reset() (sim_reset.h), which re-creates only the models the input
 * changed.  FUZZ_SIM_FRESH=1 builds a new simulator for every input
 * instead, as the harness used to.
 *
 * Input layout:
 *   [0]  options: b0 profile scmi-2.0 (else newest), b[2:1] max_msg_size
 *        (128, 68, 256, 1024), b[5:3] max_list_items (0 = as many as fit),
 *        b6 arm one fault knob (next 4 bytes: kind, every, s16 param), b7 add
 *        the test protocol as 0x80
 *   then items: [flags][proto][msg_id][len][len bytes]
 *        flags b0: raw message: the bytes are the whole message (header
 *                  included), not a command payload
 *        flags b1: shared memory write instead: bytes = le16 offset into the
 *                  shared memory, then the data written there (then the
 *                  simulator is polled)
 *        flags b2: scmi_sim_poll() after the item
 *        flags b3: one activity step after the item (platform-initiated
 *                  changes and their notifications)
 *        proto: 0x10 + proto % 10 below 0x80, else as is
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>
#include <scmi-sim/sim.h>

#include "sim-internal.h" /* SIM_MEM_PHYS_BASE */
#include "sim_reset.h"

#define FLAG_RAW      0x01
#define FLAG_MEMORY   0x02
#define FLAG_POLL     0x04
#define FLAG_ACTIVITY 0x08

#define OPT_OLD_PROFILE 0x01
#define OPT_MSG_SIZE(o) ((o) >> 1 & 3)
#define OPT_LIST(o)	((o) >> 3 & 7)
#define OPT_FAULT	0x40
#define OPT_TESTPROTO	0x80
#define OPT_SIM_MASK	0x3f /* the bits that configure the simulator */

#define FUZZ_NAME "fuzz_sim"
#include "fuzz_check.h"

static struct {
	size_t max_msg_size;
	bool faults;
	bool in_request;
	uint32_t request_hdr;
	unsigned int responses;
	size_t mem_written; /* end of the agent's writes to the shared memory */
	uint64_t digest;    /* of what the simulator emitted (FUZZ_SIM_CHECK_RESET) */
} st;

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static bool check_reset; /* FUZZ_SIM_CHECK_RESET */

static void digest_add(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		st.digest = (st.digest ^ p[i]) * 0x100000001b3ull; /* FNV-1a */
}

/*
 * What the simulator emitted, minus what depends on the time it took: the
 * Power, Clock and Sensor models keep asynchronous requests pending for a
 * few hundred microseconds of real time (a state change settles, a request
 * is BUSY while earlier ones are due, a delayed response is sent or not),
 * and sensor readings move with time.  Of those three only the headers of
 * the responses count (one per command, in order); everything of the
 * others does.
 */
static void digest_message(enum scmi_sim_chan chan, const uint8_t *p, size_t len)
{
	uint32_t hdr = get_le32(p);
	uint8_t proto = hdr >> 10 & 0xff;
	uint8_t head[3] = {(uint8_t)chan, (uint8_t)len, (uint8_t)(len >> 8)};

	if (proto == 0x11 || proto == 0x14 || proto == 0x15) {
		if ((hdr >> 8 & 3) == 0)
			digest_add(p, 4);
		return;
	}
	digest_add(head, sizeof(head));
	digest_add(p, len);
}

static void emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		 uint64_t delay_us)
{
	const uint8_t *p = msg;
	uint32_t hdr, type;

	(void)priv;
	(void)delay_us;
	FUZZ_CHECK(len >= 4, "message of %zu bytes", len);
	/* Every byte the simulator emits must be addressable (checked as one
	 * range: reading them one by one costs more than the simulator). */
	FUZZ_CHECK(!__asan_region_is_poisoned((void *)p, len), "message of %zu bytes", len);
	if (check_reset)
		digest_message(chan, p, len);
	if (st.faults)
		return; /* knobs change lengths, tokens and counts on purpose */
	hdr = get_le32(p);
	type = hdr >> 8 & 3;
	FUZZ_CHECK(type != 1, "message 0x%08x of reserved type 1", hdr);
	if (type == 3) {
		FUZZ_CHECK(chan == SCMI_SIM_CHAN_P2A, "notification on the A2P channel");
		FUZZ_CHECK(len - 4 <= st.max_msg_size, "notification 0x%08x of %zu bytes", hdr,
			   len);
		return;
	}
	FUZZ_CHECK(len >= 8, "reply 0x%08x without a status", hdr);
	FUZZ_CHECK(len - 8 <= st.max_msg_size, "reply 0x%08x with %zu data bytes", hdr, len - 8);
	if (type == 0) {
		FUZZ_CHECK(chan == SCMI_SIM_CHAN_A2P, "response on the P2A channel");
		/* Same message id, type, protocol and token; b[31:28] are
		 * reserved and need not be echoed. */
		FUZZ_CHECK(st.in_request && (hdr & 0x0fffffff) == (st.request_hdr & 0x0fffffff),
			   "response 0x%08x to request 0x%08x", hdr, st.request_hdr);
		st.responses++;
	} else {
		FUZZ_CHECK(chan == SCMI_SIM_CHAN_P2A, "delayed response on the A2P channel");
	}
}

static void process(struct scmi_sim *sim, const uint8_t *msg, size_t len)
{
	int ret;

	st.in_request = len >= 4 && (get_le32(msg) >> 8 & 3) == 0;
	st.request_hdr = len >= 4 ? get_le32(msg) : 0;
	st.responses = 0;
	ret = scmi_sim_process(sim, msg, len);
	FUZZ_CHECK(ret == (st.in_request ? 0 : -EINVAL), "scmi_sim_process: %d", ret);
	FUZZ_CHECK(st.faults || st.responses == (st.in_request ? 1u : 0u), "%u responses to 0x%08x",
		   st.responses, st.request_hdr);
	st.in_request = false;
}

static void memory_write(struct scmi_sim *sim, const uint8_t *data, size_t len)
{
	uint64_t addr;
	void *mem;

	if (len < 3)
		return;
	/* Windows are handed out from the start of the shared memory. */
	addr = SIM_MEM_PHYS_BASE + (uint64_t)(data[0] | data[1] << 8);
	mem = scmi_sim_memory_map(sim, addr, len - 2);
	if (!mem)
		return;
	/* An agent writes its windows with aligned atomic stores; bytes are
	 * as good here: the simulator must cope with any value. */
	memcpy(mem, data + 2, len - 2);
	if (addr - SIM_MEM_PHYS_BASE + len - 2 > st.mem_written)
		st.mem_written = (size_t)(addr - SIM_MEM_PHYS_BASE) + len - 2;
	scmi_sim_poll(sim);
}

static const size_t msg_sizes[] = {128, 68, 256, 1024};
static const unsigned int list_items[] = {0, 1, 2, 3, 4, 7, 16, 64};

static struct sim_reset *sims[OPT_SIM_MASK + 1];
static bool fresh; /* FUZZ_SIM_FRESH: a new simulator for every input */

static struct scmi_sim_config sim_config(uint8_t opt)
{
	return (struct scmi_sim_config){
		.profile = opt & OPT_OLD_PROFILE ? "scmi-2.0" : "newest",
		.max_msg_size = msg_sizes[OPT_MSG_SIZE(opt)],
		.max_list_items = list_items[OPT_LIST(opt)],
	};
}

/* The simulator of configuration @opt, in its initial state. */
static struct sim_reset *sim_get(uint8_t opt)
{
	struct sim_reset **rp = &sims[opt & OPT_SIM_MASK];
	struct scmi_sim_config cfg = sim_config(opt);
	int ret;

	if (*rp)
		return *rp;
	ret = sim_reset_new(&cfg, rp);
	FUZZ_CHECK(!ret, "sim_reset_new: %d", ret);
	scmi_sim_set_emit(sim_reset_sim(*rp), emit, NULL);
	return *rp;
}

static void sim_put(uint8_t opt)
{
	struct sim_reset **rp = &sims[opt & OPT_SIM_MASK];

	if (fresh) {
		sim_reset_free(*rp);
		*rp = NULL;
	} else {
		sim_reset(*rp, st.mem_written);
	}
}

static void free_sims(void)
{
	for (size_t i = 0; i < sizeof(sims) / sizeof(sims[0]); i++) {
		sim_reset_free(sims[i]);
		sims[i] = NULL;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fresh = getenv("FUZZ_SIM_FRESH") != NULL;
	check_reset = getenv("FUZZ_SIM_CHECK_RESET") != NULL;
	atexit(free_sims);
	return 0;
}

/* Play the items of one input (after the options byte) against @sim. */
static void run_items(struct scmi_sim *sim, uint8_t opt, const uint8_t *data, size_t size)
{
	uint8_t msg[4 + 255];
	uint16_t token = 0;
	unsigned int step = 0;

	memset((void *)&st, 0, sizeof(st));
	st.max_msg_size = msg_sizes[OPT_MSG_SIZE(opt)];
	if (opt & OPT_TESTPROTO)
		FUZZ_CHECK(!scmi_sim_test_protocol_add(sim, 0x80, 4), "test protocol");
	if ((opt & OPT_FAULT) && size >= 4) {
		struct scmi_sim_fault f = {
			.kind = (enum scmi_sim_fault_kind)(data[0] % SCMI_SIM_FAULT__COUNT),
			.every = data[1] & 7,
			.protocol = -1,
			.message = -1,
			.param = (int16_t)(data[2] | data[3] << 8),
		};

		st.faults = !scmi_sim_fault_add(sim, &f);
		data += 4;
		size -= 4;
	}

	while (size >= 4) {
		uint8_t flags = data[0], proto = data[1], msg_id = data[2];
		size_t len = data[3];

		data += 4;
		size -= 4;
		if (len > size)
			len = size;
		if (flags & FLAG_MEMORY) {
			memory_write(sim, data, len);
		} else if (flags & FLAG_RAW) {
			process(sim, data, len);
		} else {
			if (proto < 0x80)
				proto = (uint8_t)(0x10 + proto % 10);
			put_le32(msg, (uint32_t)msg_id | (uint32_t)proto << 10 |
					      (uint32_t)(token++ & 0x3ff) << 18);
			memcpy(msg + 4, data, len);
			process(sim, msg, 4 + len);
		}
		data += len;
		size -= len;
		if (flags & FLAG_POLL)
			scmi_sim_poll(sim);
		if (flags & FLAG_ACTIVITY)
			scmi_sim_activity_step(sim, step++);
	}
}

/* FUZZ_SIM_CHECK_RESET: the same input against a new simulator must emit the
 * same messages as against the reused one (reset after the inputs before;
 * run a whole corpus to compare after many different ones). */
static void check_against_fresh(uint8_t opt, const uint8_t *data, size_t size, uint64_t digest)
{
	struct scmi_sim_config cfg = sim_config(opt);
	struct sim_reset *r;

	FUZZ_CHECK(!sim_reset_new(&cfg, &r), "sim_reset_new");
	scmi_sim_set_emit(sim_reset_sim(r), emit, NULL);
	run_items(sim_reset_sim(r), opt, data, size);
	sim_reset_free(r);
	FUZZ_CHECK(st.digest == digest,
		   "a reset simulator answered differently from a new one: sim_reset() missed "
		   "some state (tests/fuzz/sim_reset.h)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t digest;
	uint8_t opt;

	if (size < 1)
		return 0;
	opt = data[0];
	run_items(sim_reset_sim(sim_get(opt)), opt, data + 1, size - 1);
	digest = st.digest;
	sim_put(opt);
	if (check_reset)
		check_against_fresh(opt, data + 1, size - 1, digest);
	return 0;
}

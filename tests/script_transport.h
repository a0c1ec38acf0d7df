/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script:// -- a transport for tests that must decide, message by message,
 * what the agent receives.  The platform is a simulator driven at byte
 * level (scmi_sim_process()) on the sending thread: every command is
 * answered before send_message() returns, through a filter the test sets,
 * which may hold a reply back, drop it, or inject other messages first.
 * Deterministic and single-threaded: no runner, no timers.
 *
 * One script:// handle per process at a time (Criterion runs each test in
 * its own process).  Delays the simulator attaches to messages are
 * ignored: everything is delivered at once unless the filter holds it.
 */
#ifndef SCMI_TESTS_SCRIPT_TRANSPORT_H
#define SCMI_TESTS_SCRIPT_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/scmi.h>
#include <scmi-sim/sim.h>

/* What to do with a message the simulator emitted. */
enum st_verdict {
	ST_DELIVER,
	ST_DROP,
};

struct st_script {
	/* Called before the command @hdr goes to the simulator (may
	 * inject). */
	void (*on_send)(uint32_t hdr, const void *payload, size_t len, void *arg);
	/* Called for each message the simulator emits. */
	enum st_verdict (*on_emit)(const uint8_t *msg, size_t len, void *arg);
	void *arg;
};

/* Register "script://" (once per process). */
void st_register(void);
/* The simulator behind the open script:// handle (NULL if none). */
struct scmi_sim *st_sim(void);
/* Set the script (NULL: deliver everything). */
void st_set_script(const struct st_script *s);
/* Hand one message to the agent now, as the platform would (RX path). */
void st_inject(const uint8_t *msg, size_t len);

#endif

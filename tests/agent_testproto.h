/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Agent side of the simulator's test protocol (scmi_sim_test_protocol_add):
 * registers its four events with the notification core through a protocol
 * handle of its own, the way a protocol's init() would.  Lets the
 * notification suites control when a protocol "comes up" (pending
 * registrations) and drive floods without touching a real protocol.
 */
#ifndef SCMI_TESTS_AGENT_TESTPROTO_H
#define SCMI_TESTS_AGENT_TESTPROTO_H

#include <stdatomic.h>
#include <stdint.h>

#include <scmi-sim/loopback.h>
#include <scmi/scmi.h>

#define TP_NUM_EVENTS 4

/* Report of every test-protocol event: the payload is {src, seq, evt}; the
 * source and event id are checked and land in the header. */
struct tp_report {
	struct scmi_event_hdr hdr;
	uint32_t seq;
};

/* Ask the platform to send one event of a source right after enabling it
 * (the test protocol's NOTIFY control bit 1). */
extern atomic_bool tp_emit_on_enable;

/* "Bring up" @proto: register its events with the notification core. */
int tp_register_events(struct scmi_handle *h, uint8_t proto);
/* Free what tp_register_events() allocated; after scmi_close(). */
void tp_cleanup(void);
/* Emit @count events from the simulator's thread (in order with replies);
 * only enabled ones are sent unless @force.  Returns how many were sent. */
int tp_emit(struct scmi_handle *h, uint8_t proto, uint8_t evt, uint32_t src, uint32_t count,
	    int force);

#endif

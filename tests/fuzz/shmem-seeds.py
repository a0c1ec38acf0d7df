#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the hand-made seeds of fuzz_shmem (input format: fuzz_shmem.c).

    tests/fuzz/shmem-seeds.py [tests/fuzz/corpus/fuzz_shmem]
"""
import os
import struct
import sys

SIZES = [32, 36, 40, 64, 100, 128, 256, 1024]
FREE, ERROR, INTR = 1, 2, 1


def hdr(msg_id, typ, proto, token):
    return msg_id | (typ << 8) | (proto << 10) | (token << 18)


def opts(size, io32=False):
    return bytes([(SIZES.index(size) << 1) | int(io32)])


def races(rs):
    return b"".join(bytes([at, word]) + struct.pack("<I", v) for at, word, v in rs)


def op(kind, rs):
    return bytes([kind | (len(rs) << 4)])


def w32(word, value):
    return bytes([0, word]) + struct.pack("<I", value & 0xFFFFFFFF)


def put(word, data):
    return bytes([1, word, len(data)]) + data


def fetch_response(rx_size, rs=()):
    return op(2, rs) + bytes([rx_size]) + races(rs)


def fetch_notification(size, rs=()):
    return op(3, rs) + bytes([size]) + races(rs)


def poll_done(h, rs=()):
    return op(4, rs) + struct.pack("<I", h) + races(rs)


def tx_prepare(h, length, want_irq, payload, rs=()):
    return op(5, rs) + struct.pack("<I", h) + bytes([length, int(want_irq)]) + payload + races(rs)


def simple(kind, rs=()):
    return op(kind, rs) + races(rs)


IS_FREE, READ_HEADER, INTR_REQUESTED, ACK = 6, 7, 8, 9
LIMIT = 0xF8  # the area's limit; 0xF9 one more, 0xF7 one less

h = hdr(0x7, 0, 0x13, 5)
seeds = {
    # A command, the platform's reply, the agent polling and fetching.
    "a2p-roundtrip": opts(128) + w32(1, FREE) + tx_prepare(h, 8, False, bytes(range(8)))
    + poll_done(h) + w32(6, h) + w32(5, 16) + w32(7, 0) + put(8, bytes(range(0x40, 0x48)))
    + w32(1, FREE) + poll_done(h) + poll_done(hdr(0x7, 0, 0x13, 6)) + fetch_response(8)
    + fetch_response(7) + simple(IS_FREE) + tx_prepare(h, LIMIT, True, b"\xab" * 100),
    # The platform refused the message: ERROR.
    "a2p-error": opts(128) + w32(1, FREE | ERROR) + w32(5, 16) + poll_done(0)
    + fetch_response(16) + w32(1, ERROR) + tx_prepare(h, 4, False, b"abcd"),
    # A notification on P2A, with a completion doorbell asked for.
    "p2a-notification": opts(128) + w32(1, 0) + w32(4, INTR) + w32(6, hdr(0, 3, 0x15, 0))
    + w32(5, 16) + put(7, bytes(range(12))) + simple(IS_FREE) + simple(READ_HEADER)
    + fetch_notification(12) + fetch_notification(11) + simple(INTR_REQUESTED) + simple(ACK)
    + simple(IS_FREE),
    # The platform changes the length while the agent reads, 32-bit-only.
    "race-length-io32": opts(128, True) + w32(1, FREE) + w32(5, 13) + w32(7, 0)
    + fetch_response(LIMIT, [(1, 5, 0xFFFFFFFF)]) + fetch_response(LIMIT, [(2, 5, 200)])
    + fetch_notification(LIMIT, [(0, 5, 7), (1, 8, 0x11223344)])
    + poll_done(0, [(1, 6, 0), (0, 1, 0)]) + tx_prepare(h, 7, True, b"1234567", [(3, 1, 0)]),
    # A 36-byte area at its limits.
    "limits-36": opts(36) + w32(1, FREE) + w32(5, 12) + fetch_response(LIMIT)
    + w32(5, 13) + fetch_response(LIMIT) + w32(5, 0xFFFFFFFF) + fetch_notification(LIMIT)
    + w32(5, 3) + fetch_notification(0) + w32(5, 7) + fetch_response(0)
    + tx_prepare(h, LIMIT, False, b"12345678") + w32(1, FREE)
    + tx_prepare(h, LIMIT + 1, False, b"123456789"),
    # The smallest area, 32-bit-only: partial words at the end.
    "smallest-io32": opts(32, True) + w32(1, FREE) + tx_prepare(h, 3, False, b"xyz")
    + w32(5, 8) + fetch_response(0) + w32(5, 7) + fetch_notification(LIMIT)
    + w32(5, 9) + fetch_response(4),
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__),
                                                         "corpus", "fuzz_shmem")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

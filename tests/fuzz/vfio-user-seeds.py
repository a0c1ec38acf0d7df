#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the seed corpus of fuzz_vfio_user (tests/fuzz/corpus/fuzz_vfio_user).

Each seed is what a well-behaved server sends during the harness's fixed
session (fuzz_vfio_user.c): an options byte, then one chunk
[nfds][len lo][len hi][bytes] per message.  The replies follow the client's
commands in order, so message ids simply count them.
Usage: tests/fuzz/vfio-user-seeds.py [OUTDIR]
"""
import json
import os
import struct
import sys

VERSION, DMA_MAP, DMA_UNMAP, GET_INFO, GET_REGION_INFO = 1, 2, 3, 4, 5
GET_IRQ_INFO, SET_IRQS, REGION_READ, REGION_WRITE = 7, 8, 9, 10
DMA_READ, DMA_WRITE, RESET = 11, 12, 13
RW, MMAP, CAPS = 0x3, 0x4, 0x8


class Server:
    def __init__(self, options=0, max_xfer=1 << 20):
        self.out = bytearray([options])
        self.id = 0
        self.max_xfer = max_xfer

    def chunk(self, data, nfds=0):
        self.out += struct.pack("<BH", nfds, len(data)) + data

    def reply(self, cmd, payload=b"", nfds=0, error=None):
        flags = 1 if error is None else 0x21
        body = payload if error is None else b""
        self.chunk(struct.pack("<HHIII", self.id, cmd, 16 + len(body), flags,
                               error or 0) + body, nfds)
        self.id += 1

    def request(self, cmd, addr, count, data=b""):
        body = struct.pack("<QQ", addr, count) + data
        self.chunk(struct.pack("<HHIII", 0x100, cmd, 16 + len(body), 0, 0) + body)

    def version(self, caps):
        text = b"" if caps is None else json.dumps(caps).encode() + b"\0"
        self.reply(VERSION, struct.pack("<HH", 0, 2) + text)

    def region_info(self, index, flags=0, size=0, caps=b"", fd=False):
        argsz = 32 + len(caps)
        head = struct.pack("<IIIIQQ", argsz, flags, index, 32 if caps else 0, size, 0)
        if caps:  # libvfio-user: caps and fd only on the second request
            self.reply(GET_REGION_INFO, head)
        self.reply(GET_REGION_INFO, head + caps, 1 if fd else 0)

    def region_io(self, index, offset, count):
        """A read of count bytes (split to max_xfer), as REGION_READ replies."""
        done = 0
        while done < count:
            n = min(count - done, self.max_xfer)
            head = struct.pack("<QII", offset + done, index, n)
            self.reply(REGION_READ, head + bytes((offset + done + i) & 0xff for i in range(n)))
            done += n

    def region_write(self, index, offset, count):
        self.reply(REGION_WRITE, struct.pack("<QII", offset, index, count))


def sparse_caps(size):
    sparse = struct.pack("<HHIII", 1, 1, 32 + 48, 2, 0)
    sparse += struct.pack("<QQQQ", 0, 0x1000, 0x2000, 0x1000)
    typ = struct.pack("<HHIII", 2, 1, 0, 0x1234, 7)
    return sparse + typ


def session(s, msix=3, intx=1, dma=True, errors=False, dma_maps=2, max_fds=8):
    e = 22 if errors else None
    s.reply(GET_INFO, struct.pack("<IIII", 16, 3, 9, 5), error=e)
    for i in range(9):
        if errors:
            s.reply(GET_REGION_INFO, error=e)
        elif i == 0:
            s.region_info(0, RW, 0x1000)
            s.region_io(0, 0, 4)
            s.region_write(0, 4, 2)
        elif i == 2:
            s.region_info(2, RW | MMAP | CAPS, 0x3000, sparse_caps(0x3000), fd=True)
        elif i == 7:
            s.region_info(7, RW, 256)
            s.region_io(7, 0, 4)
            s.region_write(7, 4, 2)
        else:
            s.region_info(i)
    if errors:
        s.reply(REGION_READ, error=e)
    else:
        s.region_io(7, 0, 64)
    for _ in range(dma_maps):  # a second one beyond max_dma_maps is refused unsent
        s.reply(DMA_MAP, error=e)
    s.reply(GET_IRQ_INFO, struct.pack("<IIII", 16, 1, 2, msix), error=e)
    if not errors:
        if msix < 2:
            s.reply(GET_IRQ_INFO, struct.pack("<IIII", 16, 1, 0, intx))
        if msix >= 2:
            for _ in range((2 + max_fds - 1) // max_fds):
                s.reply(SET_IRQS)
        elif intx:
            s.reply(SET_IRQS)
    s.id += 1  # the posted REGION_WRITE: no reply
    if dma:
        s.request(DMA_WRITE, 0x10010, 8, bytes(range(8)))
        s.request(DMA_READ, 0x20000, 16)
        s.request(DMA_READ, 0x30000, 16)  # outside: refused
    s.reply(RESET, error=e)
    if not errors and (msix >= 2 or intx):
        s.reply(SET_IRQS)  # teardown
    if errors:
        pass  # no window was mapped: DMA_UNMAP is refused unsent
    else:
        if dma_maps > 1:
            s.reply(DMA_UNMAP, struct.pack("<IIQQ", 24, 0, 0x20000, 0x1000))
        s.reply(DMA_UNMAP, struct.pack("<IIQQ", 24, 0, 0x10000, 0x2000))
    if dma:
        s.request(DMA_READ, 0x11000, 32)  # served by vfu_client_process()


LVU = {"capabilities": {"max_msg_fds": 8, "max_data_xfer_size": 1048576,
                        "migration": {"pgsize": 4096}}}


def seeds():
    s = Server()
    s.version(LVU)
    session(s)
    yield "session", s.out

    s = Server()
    s.version(LVU)
    session(s, msix=0, dma=False)
    yield "session-intx", s.out

    s = Server(options=1, max_xfer=16)
    s.version({"capabilities": {"max_msg_fds": 1, "max_data_xfer_size": 16}})
    session(s, max_fds=1)
    yield "session-small-xfer", s.out

    s = Server()
    s.version(None)
    session(s, errors=True)
    yield "session-errors", s.out

    s = Server()
    s.version({"capabilities": {"max_msg_fds": 0, "pgsizes": 4096, "max_dma_maps": 1,
                                "write_multiple": False, "twin_socket": {"supported": False}}})
    session(s, msix=0, intx=0, dma_maps=1)
    yield "session-no-fds", s.out


def version_seeds():
    """VERSION replies alone (then EOF): JSON the client takes or refuses."""
    for name, text in [
        ("version-no-nul", b'{"capabilities":{"max_msg_fds":2}}'),
        ("version-not-object", b'[1,2]\0'),
        ("version-caps-not-object", b'{"capabilities":5}\0'),
        ("version-wrong-type", b'{"capabilities":{"max_msg_fds":"8"}}\0'),
        ("version-twin-socket", b'{"capabilities":{"twin_socket":{"supported":true,"fd_index":0}}}\0'),
        ("version-trailing", b'{} {}\0'),
        ("version-all-keys", b'{"capabilities":{"max_msg_fds":4,"max_data_xfer_size":4096,'
                             b'"max_dma_maps":8,"pgsizes":4096,"write_multiple":true,'
                             b'"migration":{"pgsize":4096},"twin_socket":{"supported":false}}}\0'),
    ]:
        s = Server()
        s.reply(VERSION, struct.pack("<HH", 0, 2) + text)
        yield name, s.out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_vfio_user")
    os.makedirs(out, exist_ok=True)
    for name, data in list(seeds()) + list(version_seeds()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

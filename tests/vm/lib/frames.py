# SPDX-License-Identifier: BSD-3-Clause
"""Host end of a guest NIC: raw Ethernet frames over a unix datagram socket.

QEMU's `-netdev dgram` with unix sockets turns every frame the guest NIC
sends into one datagram to the host's socket, and every datagram the host
sends to QEMU's socket into one received frame. Unix sockets, unlike UDP
on loopback, did not drop frames in bursts. Sending never blocks: a frame
the guest is not ready for is dropped and counted, as on a wire.
"""

import errno
import os
import select
import socket
import struct
import time

# IEEE "local experimental" ethertype: the kernel ignores these frames, so
# only test traffic matches.
ETHERTYPE_TEST = 0x88B5


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def build_frame(dst, src, payload, ethertype=ETHERTYPE_TEST):
    """An Ethernet frame (no FCS), padded to the 60-byte minimum."""
    f = mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", ethertype) + payload
    return f + bytes(max(0, 60 - len(f)))


def ethertype(frame):
    return struct.unpack_from("!H", frame, 12)[0] if len(frame) >= 14 else None


def pattern(n, seed):
    """n deterministic bytes, different for each seed."""
    return bytes((seed * 31 + i * 7 + (i >> 8)) & 0xFF for i in range(n))


class FrameEndpoint:
    def __init__(self, host_path, guest_path):
        self.host_path = host_path
        self.guest_path = guest_path
        self.sent = self.dropped = self.received = 0
        if os.path.exists(host_path):
            os.unlink(host_path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(host_path)
        self.sock.setblocking(False)

    def close(self):
        self.sock.close()
        try:
            os.unlink(self.host_path)
        except OSError:
            pass

    def send(self, frame):
        """Send one frame; False if QEMU is not there or its queue is full."""
        try:
            self.sock.sendto(frame, self.guest_path)
            self.sent += 1
            return True
        except OSError as e:
            if e.errno in (errno.ENOENT, errno.ECONNREFUSED, errno.EAGAIN,
                           errno.ENOBUFS):
                self.dropped += 1
                return False
            raise

    def recv(self, timeout, match=None):
        """The next frame (for which match(frame) is true), or None."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return None
            try:
                frame = self.sock.recv(65536)
            except BlockingIOError:
                continue
            self.received += 1
            if match is None or match(frame):
                return frame

    def recv_test(self, timeout):
        """The next frame with the test ethertype."""
        return self.recv(timeout, lambda f: ethertype(f) == ETHERTYPE_TEST)


# ---- the test frames of tests/vm/prog/dpvm_igb.c ---------------------------------

HOST_MAC = "02:00:00:00:00:01"


def guest_test_frame(i, guest_mac):
    """Frame i that dpvm-igb sends: tag "DPVM", 100 + 37 i pattern bytes."""
    return build_frame(HOST_MAC, guest_mac,
                       b"DPVM" + bytes([i & 0xFF]) + pattern(100 + 37 * i, 0x10 + i))


def host_test_frame(i, guest_mac):
    """Frame i that dpvm-igb expects: tag "HOST", 120 + 29 i pattern bytes."""
    return build_frame(guest_mac, HOST_MAC,
                       b"HOST" + bytes([i & 0xFF]) + pattern(120 + 29 * i, 0x80 + i))


def first_difference(a, b):
    if a is None or b is None:
        return "no frame"
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "byte %d is 0x%02x, not 0x%02x" % (i, x, y)
    return "length %d, not %d" % (len(a), len(b)) if len(a) != len(b) else "equal"


# ---- traffic for the igb PMD scenarios ---------------------------------------------

def send_wait(ep, frame, timeout=10.0):
    """Send one frame, waiting while QEMU's queue is full (the guest is
    not receiving yet or is slower): paced, never dropped. False if it
    could not go out within @timeout."""
    end = time.monotonic() + timeout
    while True:
        try:
            ep.sock.sendto(frame, ep.guest_path)
            ep.sent += 1
            return True
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ENOBUFS, errno.ENOENT,
                               errno.ECONNREFUSED):
                raise
        if time.monotonic() > end:
            ep.dropped += 1
            return False
        time.sleep(0.0005)


# Frames a forwarding test lets be on their way (sent by the host, not yet
# collected). QEMU's dgram netdev drops a frame, instead of queueing it,
# when the host socket is full and the device model (igb) sends without a
# completion callback; the host socket holds net.unix.max_dgram_qlen
# datagrams (10 on Debian). A window below that keeps it from filling,
# however slow the collecting thread is on a loaded machine.
SEND_WINDOW = 8


class Collector:
    """Receive frames on an endpoint in a thread until stop() (or @count
    frames of the test ethertype, or any ethertype with match)."""

    def __init__(self, ep, match=None):
        import threading
        self.ep, self.match = ep, match
        self.frames = []
        self.sent = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            f = self.ep.recv(0.2, self.match)
            if f is not None:
                self.frames.append(f)

    def send(self, ep, frame, timeout=20.0):
        """send_wait() of @frame into @ep once fewer than SEND_WINDOW of the
        frames sent this way are still to arrive here (or after @timeout:
        a frame that never comes is reported by the caller's count)."""
        end = time.monotonic() + timeout
        while (self.sent - len(self.frames) >= SEND_WINDOW and
               time.monotonic() < end):
            time.sleep(0.0002)
        if not send_wait(ep, frame, timeout=timeout):
            return False
        self.sent += 1
        return True

    def wait(self, count, timeout):
        """Until @count frames arrived or @timeout s passed; the count."""
        end = time.monotonic() + timeout
        while len(self.frames) < count and time.monotonic() < end:
            time.sleep(0.05)
        return len(self.frames)

    def stop(self):
        self._stop = True
        self.thread.join(timeout=2)
        return self.frames


def fwd_frame_size(i, jumbo=0):
    """Size (no CRC) of forwarded frame i: 60 to 1514 bytes, spread; with
    @jumbo every 10th frame is that size instead."""
    if jumbo and i % 10 == 9:
        return jumbo
    return 60 + (i * 89) % (1514 - 60 + 1)


def fwd_frame(i, size, dst, src=HOST_MAC):
    """Frame i of a forwarding run: the test ethertype, a 4-byte sequence
    number, pattern bytes up to @size."""
    head = mac_bytes(dst) + mac_bytes(src) + struct.pack("!HI", ETHERTYPE_TEST, i)
    return head + pattern(size - len(head), i & 0xFF)


def fwd_seq(frame):
    """The sequence number of a forwarded test frame, or None."""
    if frame is None or len(frame) < 18 or ethertype(frame) != ETHERTYPE_TEST:
        return None
    return struct.unpack_from("!I", frame, 14)[0]


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def udp_frame(dst, src, ip_src, ip_dst, sport, dport, payload):
    """An Ethernet/IPv4/UDP frame with correct checksums."""
    udp_len = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17, 0,
                     bytes(ip_src), bytes(ip_dst))
    ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
    pseudo = bytes(ip_src) + bytes(ip_dst) + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    c = _csum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    f = mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", 0x0800) + ip + udp
    return f + bytes(max(0, 60 - len(f)))

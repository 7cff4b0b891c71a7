#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write dpkit's sample capture: a deterministic pcap file made here, not
downloaded (Python 3 standard library only; the pcap format is written by
hand).

Usage: gen_sample_pcap.py [--micro] [--jumbo N] OUT.pcap

The default output (tests/data/sample.pcap, committed) is a short
conversation between 10.99.0.1 (02:00:00:0a:00:01) and 10.99.0.2
(02:00:00:0b:00:02): ARP request and reply, ICMP echo requests and replies,
a UDP stream, a TCP connection (handshake, data, close) and 802.1Q-tagged
UDP frames, with frame sizes from 60 to 1514 bytes and correct checksums.
Time stamps have nanosecond precision (magic a1b23c4d) and non-zero
nanosecond digits, so a reader that loses them shows it.

--micro writes microsecond time stamps (magic a1b2c3d4) instead;
--jumbo N appends N 9000-byte UDP frames (for jumbo-frame tests).
Running it twice gives the same bytes.
"""

import struct
import sys

MAC_A = bytes([2, 0, 0, 0x0a, 0, 1])
MAC_B = bytes([2, 0, 0, 0x0b, 0, 2])
BCAST = b"\xff" * 6
IP_A = bytes([10, 99, 0, 1])
IP_B = bytes([10, 99, 0, 2])

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
ETH_VLAN = 0x8100

T0_NS = 1700000000 * 10**9 + 123456789  # 2023-11-14, odd nanoseconds


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(dst, src, etype, payload, vlan=None):
    hdr = dst + src
    if vlan is not None:
        hdr += struct.pack("!HH", ETH_VLAN, vlan)
    frame = hdr + struct.pack("!H", etype) + payload
    if len(frame) < 60:  # minimum frame without the FCS
        frame += b"\0" * (60 - len(frame))
    return frame


def ipv4(src, dst, proto, payload, ident):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                      0x4000, 64, proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def l4_csum(src, dst, proto, seg):
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    return csum(pseudo + seg)


def udp(src, dst, sport, dport, data):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = l4_csum(src, dst, 17, seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def tcp(src, dst, sport, dport, seq, ack, flags, data):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      64240, 0, 0) + data
    c = l4_csum(src, dst, 6, seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def icmp_echo(kind, ident, seq, data):
    msg = struct.pack("!BBHHH", kind, 0, 0, ident, seq) + data
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, ETH_IPV4, 6, 4, op, sha, spa,
                       tha, tpa)


def payload(n, seed):
    return bytes((seed * 31 + i * 7) & 0xFF for i in range(n))


def frames(jumbo):
    out = []
    # ARP: who has 10.99.0.2, and the answer.
    out.append(eth(BCAST, MAC_A, ETH_ARP, arp(1, MAC_A, IP_A, b"\0" * 6, IP_B)))
    out.append(eth(MAC_A, MAC_B, ETH_ARP, arp(2, MAC_B, IP_B, MAC_A, IP_A)))
    ident = 1
    # ICMP echo, 20 exchanges with growing payloads (frames 60..1514).
    for seq in range(20):
        n = 18 + seq * 76 if seq < 19 else 1472
        data = payload(n, seq)
        for (s, d, sm, dm, kind) in ((IP_A, IP_B, MAC_A, MAC_B, 8),
                                     (IP_B, IP_A, MAC_B, MAC_A, 0)):
            out.append(eth(dm, sm, ETH_IPV4,
                           ipv4(s, d, 1, icmp_echo(kind, 0x4242, seq, data),
                                ident)))
            ident += 1
    # UDP stream A -> B: 160 datagrams, every size class.
    for i in range(160):
        n = (i * 97) % 1473  # 0..1472 bytes of payload: 60..1514-byte frames
        out.append(eth(MAC_B, MAC_A, ETH_IPV4,
                       ipv4(IP_A, IP_B, 17, udp(IP_A, IP_B, 40000 + i % 8,
                                                9999, payload(n, i)), ident)))
        ident += 1
    # TCP: handshake, 40 data segments each way, close.
    seq_a, seq_b = 1000, 5000
    sa, sb = 43210, 80
    def seg(frm, flags, data):
        nonlocal seq_a, seq_b, ident
        if frm == "a":
            t = tcp(IP_A, IP_B, sa, sb, seq_a, seq_b, flags, data)
            f = eth(MAC_B, MAC_A, ETH_IPV4, ipv4(IP_A, IP_B, 6, t, ident))
            seq_a += len(data) + (1 if flags & 0x03 else 0)
        else:
            t = tcp(IP_B, IP_A, sb, sa, seq_b, seq_a, flags, data)
            f = eth(MAC_A, MAC_B, ETH_IPV4, ipv4(IP_B, IP_A, 6, t, ident))
            seq_b += len(data) + (1 if flags & 0x03 else 0)
        ident += 1
        out.append(f)
    seg("a", 0x02, b"")          # SYN
    seg("b", 0x12, b"")          # SYN-ACK
    seg("a", 0x10, b"")          # ACK
    for i in range(40):
        seg("a", 0x18, payload((i * 137) % 1461, 100 + i))
        seg("b", 0x18, payload((i * 53) % 1461, 200 + i))
    seg("a", 0x11, b"")          # FIN-ACK
    seg("b", 0x11, b"")
    seg("a", 0x10, b"")
    # 802.1Q-tagged UDP, VLAN 100, priority 3.
    for i in range(8):
        u = udp(IP_A, IP_B, 5000, 5001, payload(10 + i * 180, 300 + i))
        out.append(eth(MAC_B, MAC_A, ETH_IPV4, ipv4(IP_A, IP_B, 17, u, ident),
                       vlan=(3 << 13) | 100))
        ident += 1
    for i in range(jumbo):
        n = 9000 - 14 - 20 - 8
        out.append(eth(MAC_B, MAC_A, ETH_IPV4,
                       ipv4(IP_A, IP_B, 17,
                            udp(IP_A, IP_B, 6000, 6001, payload(n, 400 + i)),
                            ident)))
        ident += 1
    return out


def write(path, frames_, micro):
    magic = 0xA1B2C3D4 if micro else 0xA1B23C4D
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 262144, 1))
        for i, fr in enumerate(frames_):
            ts = T0_NS + i * 1000123  # ~1 ms apart, odd nanoseconds
            sec, ns = divmod(ts, 10**9)
            frac = ns // 1000 if micro else ns
            f.write(struct.pack("<IIII", sec, frac, len(fr), len(fr)))
            f.write(fr)


def main(argv):
    micro, jumbo, out = False, 0, None
    args = list(argv[1:])
    while args:
        a = args.pop(0)
        if a == "--micro":
            micro = True
        elif a == "--jumbo":
            jumbo = int(args.pop(0))
        elif a.startswith("-"):
            sys.stderr.write(__doc__)
            return 2
        else:
            out = a
    if out is None:
        sys.stderr.write(__doc__)
        return 2
    fr = frames(jumbo)
    write(out, fr, micro)
    print("%s: %d frames, %d..%d bytes" % (out, len(fr), min(map(len, fr)),
                                          max(map(len, fr))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

# SPDX-License-Identifier: BSD-3-Clause
"""Host side of scenario 8: the frames dpvm-features classifies, and the
checks of the frames it sends with offload requests."""

import struct

from frames import _csum, mac_bytes, send_wait, ETHERTYPE_TEST
from vm import nic_mac

DESCRIPTION = ("(8) igb PMD features in QEMU's model: packet types, RX checksums, "
               "RSS hash, VLAN strip/insert, filters, TX checksums, LSC interrupt")
IOMMU = True
CMDLINE = "intel_iommu=on iommu=pt"
TIMEOUT = 60
MEM = 512
NICS = 2


def src(fid):
    return "02:00:00:00:01:%02x" % fid


def ipv4(sip, dip, proto, l4, bad=False):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0, 0, 64, proto, 0,
                    bytes(sip), bytes(dip))
    c = _csum(h) ^ (0x5555 if bad else 0)
    return h[:10] + struct.pack("!H", c) + h[12:] + l4


def l4_sum(pseudo, seg, off, bad=False):
    c = _csum(pseudo + seg) or 0xFFFF
    if bad:
        c ^= 0x1234
    return seg[:off] + struct.pack("!H", c) + seg[off + 2:]


def udp4(sip, dip, sport, dport, payload):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    pseudo = bytes(sip) + bytes(dip) + struct.pack("!BBH", 0, 17, len(u))
    return l4_sum(pseudo, u, 6)


def tcp4(sip, dip, sport, dport, payload, bad=False):
    t = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x18, 1024, 0, 0) + payload
    pseudo = bytes(sip) + bytes(dip) + struct.pack("!BBH", 0, 6, len(t))
    return l4_sum(pseudo, t, 16, bad)


def eth(dst, fid, etype, body, vlan=None):
    f = mac_bytes(dst) + mac_bytes(src(fid))
    if vlan is not None:
        f += struct.pack("!HH", 0x8100, vlan)
    f += struct.pack("!H", etype) + body
    return f + bytes(max(0, 60 - len(f)))


def rx_frames(mac):
    """Frames 1 to 9; those to drop (6, 8) come before the last one to
    keep (9), so that the guest has seen them if they got through."""
    a, b = [10, 0, 0, 1], [10, 0, 0, 2]
    c, d = [10, 0, 0, 3], [10, 0, 0, 4]
    pl = bytes(range(40))
    s6 = bytes.fromhex("20010db8000000000000000000000001")
    d6 = bytes.fromhex("20010db8000000000000000000000002")
    u6 = struct.pack("!HHHH", 5000, 6000, 8 + len(pl), 0) + pl
    u6 = l4_sum(s6 + d6 + struct.pack("!IxxxB", len(u6), 17), u6, 6)
    ip6 = struct.pack("!IHBB", 6 << 28, len(u6), 17, 64) + s6 + d6 + u6
    test = struct.pack("!H", ETHERTYPE_TEST)[0:0] + b"FEATURES" + bytes(50)
    return [
        eth(mac, 1, 0x0800, ipv4(a, b, 17, udp4(a, b, 1000, 2000, pl))),
        eth(mac, 2, 0x0800, ipv4(a, b, 17, udp4(a, b, 1000, 2000, pl), bad=True)),
        eth(mac, 3, 0x0800, ipv4(c, d, 6, tcp4(c, d, 3000, 4000, pl, bad=True))),
        eth(mac, 4, 0x0800, ipv4(a, b, 17, udp4(a, b, 1000, 2000, pl)), vlan=0x2123),
        eth(mac, 5, 0x86DD, ip6),
        eth("02:00:00:00:00:99", 6, ETHERTYPE_TEST, test),
        eth("ff:ff:ff:ff:ff:ff", 7, ETHERTYPE_TEST, test),
        eth("01:00:5e:01:02:03", 8, ETHERTYPE_TEST, test),
        eth("02:00:00:00:00:77", 9, ETHERTYPE_TEST, test),
    ]


def check_tx(h, frames):
    by_id = {f[11]: f for f in frames if len(f) > 14 and f[6:11] == mac_bytes(nic_mac(0))[:5]}
    f = by_id.get(21)
    if h.check(f is not None, "TX frame 21 (UDP, checksums by the NIC) arrived"):
        ip, l4 = f[14:34], f[34:]
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, len(l4))
        h.check(_csum(ip) == 0 and _csum(pseudo + l4) == 0,
                "TX checksum offload: IPv4 header and UDP checksums filled in "
                "(0x%s, 0x%s)" % (ip[10:12].hex(), l4[6:8].hex()))
    f = by_id.get(22)
    if h.check(f is not None, "TX frame 22 (TCP, checksums by the NIC) arrived"):
        ip, l4 = f[14:34], f[34:]
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(l4))
        h.check(_csum(ip) == 0 and _csum(pseudo + l4) == 0,
                "TX checksum offload: IPv4 header and TCP checksums filled in "
                "(0x%s, 0x%s)" % (ip[10:12].hex(), l4[16:18].hex()))
    f = by_id.get(23)
    if h.check(f is not None, "TX frame 23 (VLAN insert) arrived"):
        h.check(f[12:16] == bytes.fromhex("81000456"),
                "TX VLAN insert: tag 0x0456 after the MAC addresses (%s)"
                % f[12:18].hex())


def host(h):
    vm = h.vm
    nic, mac = vm.nics[0], nic_mac(0)
    frames = rx_frames(mac)
    vm.ready("feat-rx", timeout=60)
    for f in frames:
        h.check(send_wait(nic, f), "sent RX frame %d" % f[11])
    vm.ready("feat-mc", timeout=60)
    # The one to drop first: were it received, it would come before 10.
    send_wait(nic, eth("01:00:5e:00:00:01", 11, ETHERTYPE_TEST, b"MC" + bytes(50)))
    send_wait(nic, eth("01:00:5e:01:02:03", 10, ETHERTYPE_TEST, b"MC" + bytes(50)))
    vm.ready("feat-promisc", timeout=60)
    send_wait(nic, eth("02:00:00:00:00:98", 12, ETHERTYPE_TEST, b"PR" + bytes(50)))
    vm.ready("feat-allmulti", timeout=60)
    # The one to drop first, as above.
    send_wait(nic, eth("02:00:00:00:00:97", 14, ETHERTYPE_TEST, b"PR" + bytes(50)))
    send_wait(nic, eth("01:00:5e:00:00:07", 13, ETHERTYPE_TEST, b"AM" + bytes(50)))
    vm.ready("feat-tx", timeout=60)
    got = []
    while len(got) < 3:
        f = nic.recv(5)
        if f is None:
            break
        got.append(f)
    check_tx(h, got)

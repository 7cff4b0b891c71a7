#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpkit-l2fwd run as a process on net_null and net_ring ports, bounded by
--max-pkts: the per-port counters it prints and how they relate (every
frame received on a port was sent on its partner or dropped there), the
final mbuf count, and the exit status and message of bad input. The MAC
rewrite itself is checked in-process (tests/unit/test_l2fwd_fwd.c).

Usage: test_l2fwd.py PATH/TO/dpkit-l2fwd"""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apptest import AppTest, eal_args, mbufs_after_close, run  # noqa: E402

L2FWD = None


def l2fwd(tag, vdevs, *args, lcores="0"):
    eal = [a for a in eal_args(tag) if a != "0-1"]
    eal[eal.index("-l") + 1:eal.index("-l") + 1] = [lcores]
    return run([L2FWD] + eal + vdevs + ["--"] + list(args))


def final_stats(out):
    """{port: (received, sent, dropped)} of the last statistics block."""
    last = out.rfind("Port statistics")
    pat = re.compile(r"Port (\d+)\s+received\s+(\d+)\s+sent\s+(\d+)\s+"
                     r"dropped\s+(\d+)")
    return {int(m.group(1)): tuple(int(g) for g in m.groups()[1:])
            for m in pat.finditer(out, last)}


class Forwarding(AppTest):
    def test_null_and_ring(self):
        # net_null0 receives endlessly and sends into net_ring0, which
        # loops back; what net_ring0 receives goes out of net_null0.
        r = l2fwd("nr", ["--vdev=net_null0", "--vdev=net_ring0"],
                  "-p", "3", "-q", "2", "-T", "0", "--max-pkts", "100000")
        self.assertExit(r, 0)
        self.assertIn_("port 0: MAC 02:00:00:00:00:00, polled by lcore 0, "
                       "forwards to port 1", r.out, r)
        self.assertIn_("l2fwd: 2 ports, MAC updating on, bounded", r.out, r)
        st = final_stats(r.out)
        rx0, tx0, drop0 = st[0]
        rx1, tx1, drop1 = st[1]
        # --max-pkts is exact: received in all, never more.
        self.assertEqual(rx0 + rx1, 100000, r)
        # Received on 0 = sent on 1 + dropped on 1, and the other way.
        self.assertEqual(rx0, tx1 + drop1, r)
        self.assertEqual(rx1, tx0 + drop0, r)
        # The null port takes everything; what ring 0 received it had sent,
        # at most its 1024 entries are still in it.
        self.assertEqual(drop0, 0, r)
        self.assertLessEqual(rx1, tx1, r)
        self.assertLessEqual(tx1 - rx1, 1024, r)
        total = re.search(r"Total\s+received\s+(\d+)\s+sent\s+(\d+)\s+"
                          r"dropped\s+(\d+)", r.out)
        self.assertEqual(tuple(int(g) for g in total.groups()),
                         (rx0 + rx1, tx0 + tx1, drop0 + drop1), r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)

    def test_two_lcores_null_pair(self):
        r = l2fwd("nn", ["--vdev=net_null0", "--vdev=net_null1,size=128"],
                  "-p", "0x3", "-T", "0", "--no-mac-updating",
                  "--max-pkts", "50000", lcores="0-1")
        self.assertExit(r, 0)
        self.assertIn_("polled by lcore 1", r.out, r)
        self.assertIn_("MAC updating off", r.out, r)
        st = final_stats(r.out)
        self.assertEqual(st[0][0] + st[1][0], 50000, r)  # two lcores
        self.assertEqual(st[0][0], st[1][1] + st[1][2], r)
        self.assertEqual(st[1][0], st[0][1] + st[0][2], r)
        self.assertEqual(st[0][2] + st[1][2], 0, r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)


class BadInput(AppTest):
    def check(self, tag, vdevs, args, message, lcores="0"):
        r = l2fwd(tag, vdevs, *args, lcores=lcores)
        self.assertExit(r, 1)
        self.assertIn_(message, r.err, r)
        self.assertNotIn("Port statistics", r.out)

    def test_portmask(self):
        two = ["--vdev=net_null0", "--vdev=net_null1"]
        self.check("p0", two, ["-p", "0"], "invalid portmask '0'")
        self.check("pz", two, ["-p", "xyz"], "invalid portmask 'xyz'")
        self.check("none", two, [], "no port given: use -p PORTMASK")
        self.check("odd", two, ["-p", "1"],
                   "port 0 has no partner: use an even number of ports")
        self.check("gone", two, ["-p", "5"],
                   "port 2 in the portmask does not exist (2 ports)")
        self.check("lc", two, ["-p", "3"],
                   "not enough lcores for 2 ports at 1 per lcore")
        self.check("q", two, ["-p", "3", "-q", "0"], "invalid -q '0' (1-16)")


def main():
    global L2FWD
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    L2FWD = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()

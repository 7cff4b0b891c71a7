#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpkit-testpmd run as a process on net_null and net_ring ports, each run
bounded by --nb-pkts, --duration or a script on stdin: the counters it
prints (exact where the topology makes them exact), the interactive mode
reading commands from a pipe, and the exit status and message of bad input.

Usage: test_testpmd.py PATH/TO/dpkit-testpmd"""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apptest import (AppTest, accumulated, eal_args, mbufs_after_close,  # noqa: E402
                     nic_stats, port_forward_stats, run, stream_stats)

TESTPMD = None

NULL2 = ["--vdev=net_null0", "--vdev=net_null1"]
RING_PAIR = ["--vdev=net_ring0", "--vdev=net_ring1,peer=net_ring0"]


def testpmd(tag, *args, stdin=None):
    return run([TESTPMD] + eal_args(tag) + list(args), stdin=stdin)


def testpmd_lcores(tag, lcores, *args):
    """testpmd with --lcores=@lcores instead of the usual -l 0-1 (several
    forwarding lcores on this 2-CPU machine)."""
    eal = [a for a in eal_args(tag) if a not in ("-l", "0-1")]
    return run([TESTPMD] + eal + ["--lcores=" + lcores] + list(args))


class Forwarding(AppTest):
    def test_io_null_ports_exact(self):
        # No "--": testpmd picks its options out of the EAL's.
        r = testpmd("io", *NULL2, "--forward-mode=io", "--nb-pkts=100000")
        self.assertExit(r, 0)
        self.assertIn_("--nb-pkts=100000 reached", r.out, r)
        acc = accumulated(r.out)
        self.assertEqual(len(acc), 1, r)
        # The budget makes the received count exact; null TX takes all.
        self.assertEqual(acc[0]["rx"], 100000, r)
        self.assertEqual(acc[0]["tx"], 100000, r)
        self.assertEqual(acc[0]["tx_dropped"], 0, r)
        ports = port_forward_stats(r.out)[-1]
        self.assertEqual(ports[0]["rx"], ports[1]["tx"], r)
        self.assertEqual(ports[1]["rx"], ports[0]["tx"], r)
        streams = stream_stats(r.out)
        self.assertEqual([(s[0], s[2]) for s in streams], [(0, 1), (1, 0)])
        self.assertEqual(sum(s[4] for s in streams), 100000)
        self.assertEqual(streams[0][4], ports[0]["rx"])
        self.assertEqual(mbufs_after_close(r.out), 0, r)

    def test_options_on_both_sides_of_dashdash(self):
        # testpmd options before "--" (value as a separate word) are
        # picked out; after "--" everything is testpmd's.
        r = testpmd("both", "--vdev=net_null0", "--nb-pkts", "640",
                    "--vdev=net_null1", "--", "--forward-mode=macswap")
        self.assertExit(r, 0)
        self.assertIn_("macswap packet forwarding - ports=2", r.out, r)
        self.assertEqual(accumulated(r.out)[0]["rx"], 640, r)

    def test_io_ring_tx_first_exact(self):
        # Two bursts of 32 seeded, then forwarded around the ring pair:
        # nothing is ever dropped, so TX = RX + what was seeded.
        r = testpmd("txfirst", *RING_PAIR, "--", "--forward-mode=io",
                    "--tx-first", "--nb-pkts=5000")
        self.assertExit(r, 0)
        acc = accumulated(r.out)[0]
        self.assertEqual(acc["rx"], 5000, r)
        self.assertEqual(acc["tx"], 5000 + 2 * 32, r)
        self.assertEqual(acc["tx_dropped"], 0, r)
        # 64 packets were in flight when forwarding stopped.
        self.assertIn_("mbufs in use: 64 (", r.out, r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)

    def test_txonly_ring_exact(self):
        r = testpmd("txonly", *RING_PAIR, "--forward-mode=txonly",
                    "--nb-pkts=1000", "--txpkts=60,40")
        self.assertExit(r, 0)
        self.assertIn_("packets: 100 bytes in 2 segments, Ethernet/IPv4/UDP "
                       "198.18.0.1:9 -> 198.18.0.2:9", r.out, r)
        self.assertIn_("stops after 1000 packets sent", r.out, r)
        acc = accumulated(r.out)[0]
        self.assertEqual((acc["rx"], acc["tx"], acc["tx_dropped"]),
                         (0, 1000, 0), r)
        # Each packet is 2 mbufs, waiting in the rings until close.
        self.assertIn_("mbufs in use: 2000 (", r.out, r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)

    def test_txonly_ring_fills(self):
        # Nobody receives: each ring (1024 entries) fills, the rest is
        # refused by TX and freed.
        r = testpmd("fill", *RING_PAIR, "--forward-mode=flowgen",
                    "--duration=0.5")
        self.assertExit(r, 0)
        self.assertIn_("--duration=0.5 reached", r.out, r)
        ports = port_forward_stats(r.out)[-1]
        self.assertEqual(ports[0]["tx"], 1024, r)
        self.assertEqual(ports[1]["tx"], 1024, r)
        self.assertGreater(ports[0]["tx_dropped"], 0, r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)

    def test_mtu_jumbo_null_ports(self):
        # net_null can scatter: a 9000-byte MTU is accepted and shown.
        r = testpmd("mtu", *NULL2, "--mtu=9000", "--nb-pkts=1000", "-i",
                    stdin="show port info 0\nstart\nwait\nquit\n")
        self.assertExit(r, 0)
        self.assertIn_("MTU: 9000", r.out, r)
        self.assertEqual(accumulated(r.out)[0]["rx"], 1000, r)

    def test_multi_queue_one_core_exact(self):
        # 2 ports x 2 queues = 4 streams on the only worker lcore, RSS
        # asked for but not available on net_null: said, not fatal.
        r = testpmd("mq", *NULL2, "--", "--rxq=2", "--txq=2", "--rss-udp",
                    "--forward-mode=macswap", "--nb-pkts=64000",
                    "--burst=64")
        self.assertExit(r, 0)
        self.assertIn_("warning: port 0: net_null does no RSS", r.err, r)
        self.assertIn_("Logical core 1 forwards packets on 4 streams", r.out, r)
        self.assertIn_("RX P=1/Q=1 -> TX P=0/Q=1", r.out, r)
        acc = accumulated(r.out)[0]
        self.assertEqual((acc["rx"], acc["tx"]), (64000, 64000), r)
        self.assertEqual(len(stream_stats(r.out)), 4)

    def test_two_cores_share_the_budget(self):
        # Two forwarding lcores (both on CPU 1: this runs on 2 CPUs) draw
        # from one --nb-pkts budget: the total is still exact.
        r = testpmd_lcores("2c", "0@0,1@1,2@1", *NULL2, "--rxq=2", "--txq=2",
                           "--nb-cores=2", "--nb-pkts=200000")
        self.assertExit(r, 0)
        self.assertIn_("Logical core 1 forwards packets on 2 streams:\n"
                       "  RX P=0/Q=0 -> TX P=1/Q=0 peer=02:00:00:00:00:01\n"
                       "  RX P=0/Q=1 -> TX P=1/Q=1 peer=02:00:00:00:00:01\n"
                       "Logical core 2 forwards packets on 2 streams:",
                       r.out, r)
        acc = accumulated(r.out)[0]
        self.assertEqual((acc["rx"], acc["tx"]), (200000, 200000), r)
        self.assertEqual(sum(s[4] for s in stream_stats(r.out)), 200000)

    def test_more_rx_than_tx_queues(self):
        # Every RX queue is polled (streams share TX queue 0); none is left
        # unread, and the budget stays exact.
        r = testpmd("rx4", *NULL2, "--", "--rxq=4", "--txq=1",
                    "--nb-pkts=64000")
        self.assertExit(r, 0)
        self.assertIn_("streams=8", r.out, r)
        for q in range(4):
            self.assertIn_("RX P=0/Q=%d -> TX P=1/Q=0" % q, r.out, r)
            self.assertIn_("RX P=1/Q=%d -> TX P=0/Q=0" % q, r.out, r)
        self.assertEqual(accumulated(r.out)[0]["rx"], 64000, r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)
        # Three lcores would split port 0's streams, and so two lcores
        # would send on TX queue 0 of port 1: refused, saying what to do.
        r = testpmd_lcores("rx4c", "0@0,(1-3)@1", *NULL2, "--rxq=4",
                           "--txq=1", "--nb-cores=3", "--nb-pkts=100")
        self.assertExit(r, 1)
        self.assertIn_("--rxq=4 --txq=1: TX queue 0 of port 1 would be used "
                       "by lcores 1 and 2; give as many TX queues as RX "
                       "queues (--txq=4)", r.err, r)
        # Streams share TX queues in blocks, so 4 lcores can each have
        # their own with --rxq=4 --txq=2.
        r = testpmd_lcores("rx4b", "0@0,(1-4)@1", *NULL2, "--rxq=4",
                           "--txq=2", "--nb-cores=4", "--nb-pkts=4000")
        self.assertExit(r, 0)
        self.assertIn_("Logical core 2 forwards packets on 2 streams:\n"
                       "  RX P=0/Q=2 -> TX P=1/Q=1 peer=02:00:00:00:00:01\n"
                       "  RX P=0/Q=3 -> TX P=1/Q=1", r.out, r)
        self.assertEqual(accumulated(r.out)[0]["rx"], 4000, r)

    def test_topologies(self):
        r = testpmd("loop", *NULL2, "--port-topology=loop",
                    "--forward-mode=mac", "--nb-pkts=3200")
        self.assertExit(r, 0)
        self.assertIn_("topology=loop", r.out, r)
        self.assertIn_("RX P=0/Q=0 -> TX P=0/Q=0 peer=02:00:00:00:00:00",
                       r.out, r)
        ports = port_forward_stats(r.out)[-1]
        self.assertEqual(ports[0]["rx"], ports[0]["tx"], r)
        r = testpmd("chain", *NULL2, "--vdev=net_null2",
                    "--port-topology=chained", "--nb-pkts=3200",
                    "--eth-peer=0,02:11:22:33:44:55")
        self.assertExit(r, 0)
        self.assertIn_("RX P=2/Q=0 -> TX P=0/Q=0 peer=02:11:22:33:44:55",
                       r.out, r)
        self.assertIn_("RX P=1/Q=0 -> TX P=2/Q=0 peer=02:00:00:00:00:02",
                       r.out, r)
        # Paired with an odd number: the last port forwards to itself.
        r = testpmd("odd", *NULL2, "--vdev=net_null2", "--nb-pkts=320")
        self.assertExit(r, 0)
        self.assertIn_("port 2 forwards to itself", r.err, r)

    def test_stats_period(self):
        r = testpmd("period", *NULL2, "--stats-period=1", "--duration=2.5")
        self.assertExit(r, 0)
        blocks = nic_stats(r.out)
        self.assertGreaterEqual(len(blocks), 2, r)
        self.assertEqual({p for p, _ in blocks}, {0, 1})
        # Taken while forwarding: counting, and null ports count bytes.
        for _, s in blocks:
            self.assertGreater(s["rx"], 0, r)
            self.assertGreater(s["rx_bytes"], 0, r)

    def test_help(self):
        r = testpmd("help", "--help")
        self.assertExit(r, 0)
        self.assertIn_("--forward-mode=MODE", r.out, r)
        self.assertIn_("--nb-pkts=N", r.out, r)


class Interactive(AppTest):
    def test_pipe_commands(self):
        r = testpmd("pipe", *NULL2, "-i", "--nb-pkts=32000",
                    stdin="start\nshow port stats all\nstop\nquit\n")
        self.assertExit(r, 0)
        for cmd in ("start", "show port stats all", "stop", "quit"):
            self.assertIn_("testpmd> %s\n" % cmd, r.out, r)
        self.assertEqual({p for p, _ in nic_stats(r.out)}, {0, 1}, r)
        acc = accumulated(r.out)
        self.assertEqual(len(acc), 1, r)
        # Stopped by 'stop' or by the budget, whichever came first.
        self.assertLessEqual(acc[0]["rx"], 32000, r)
        self.assertEqual(acc[0]["rx"], acc[0]["tx"], r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)
        self.assertNotIn("testpmd: ", r.err)

    def test_txonly_then_rxonly_exact(self):
        # net_ring0 and net_ring1 wired to each other: txonly fills the
        # rings with exactly 1000 packets, rxonly then reads exactly those.
        script = "\n".join([
            "set fwd txonly", "start", "wait", "show port stats all",
            "set fwd rxonly", "start", "wait", "show port stats all",
            "show fwd stats all", "quit", ""])
        r = testpmd("txrx", *RING_PAIR, "-i", "--nb-pkts=1000", stdin=script)
        self.assertExit(r, 0)
        acc = accumulated(r.out)
        self.assertEqual((acc[0]["tx"], acc[0]["rx"]), (1000, 0), r)
        self.assertEqual((acc[1]["rx"], acc[1]["tx"]), (1000, 0), r)
        stats = nic_stats(r.out)
        after_tx, after_rx = dict(stats[0:2]), dict(stats[2:4])
        self.assertEqual(after_tx[0]["tx"] + after_tx[1]["tx"], 1000)
        self.assertEqual(after_tx[0]["rx"] + after_tx[1]["rx"], 0)
        # What one port sent, the other received.
        self.assertEqual(after_rx[1]["rx"], after_tx[0]["tx"], r)
        self.assertEqual(after_rx[0]["rx"], after_tx[1]["tx"], r)
        self.assertIn_("mbufs in use: 1000 (", r.out, r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)

    def test_commands_and_mistakes(self):
        script = "\n".join([
            "help", "show config fwd", "set fwd bogus", "show port stats 7",
            "frobnicate", "set nbcore 5", "set nbcore 1", "set fwd flowgen",
            "show config fwd", "set promisc all off", "show port info 1",
            "set promisc 0 maybe", "start now", "start tx_first 0", "start",
            "set fwd io",
            "port stop 0", "start", "show port xstats 0", "wait",
            "clear port stats all", "show port stats 0", "stop", "stop",
            "port stop all", "start", "port start all", "# a comment", "",
            "quit", ""])
        r = testpmd("cmds", *NULL2, "-i", "--duration=0.2", stdin=script)
        self.assertExit(r, 0)
        self.assertIn_("start [tx_first [N]]", r.out, r)
        for msg in [
                "unknown forwarding mode 'bogus': choose one of io, mac, "
                "macswap, rxonly, txonly, flowgen",
                "'7' is not a port: give 'all' or a port id (2 ports: 0 to 1)",
                "unknown command 'frobnicate' (type 'help' for the list)",
                "nbcore '5': give 1 to 1 (the worker lcores of -l)",
                "promiscuous mode is 'on' or 'off'; usage: 'set fwd MODE' or "
                "'set promisc PORT on|off' or 'set nbcore N'",
                "unknown argument; usage: 'start [tx_first [N]]'",
                "the number of bursts must be 1 to 1024; usage: "
                "'start [tx_first [N]]'",
                "packet forwarding is running: 'stop' it before changing the "
                "forwarding mode",
                "packet forwarding is running: 'stop' it before stopping ports",
                "packet forwarding is already running: 'stop' it first",
                "port 0 is stopped: 'port start 0' (or 'port start all') "
                "first"]:
            self.assertIn_("testpmd: " + msg, r.err, r)
        self.assertIn_("flowgen packet forwarding - ports=2 - cores=1", r.out, r)
        self.assertIn_("1024 flows", r.out, r)
        self.assertIn_("Promiscuous mode: disabled", r.out, r)
        self.assertIn_("rx_q0_packets:", r.out, r)
        self.assertIn_("NIC statistics for port 0 cleared", r.out, r)
        self.assertIn_("--duration=0.2 reached", r.out, r)
        self.assertIn_("Packet forwarding is not running", r.out, r)
        self.assertIn_("Port 1 stopped", r.out, r)
        self.assertEqual(len(accumulated(r.out)), 1, r)
        self.assertEqual(mbufs_after_close(r.out), 0, r)

    def test_end_of_input_quits(self):
        r = testpmd("eof", *NULL2, "-i", "--auto-start", stdin="")
        self.assertExit(r, 0)
        self.assertIn_("end of input: quitting", r.out, r)
        # Forwarding started before the prompt, so quitting stopped it.
        self.assertEqual(len(accumulated(r.out)), 1, r)

    def test_wait_needs_a_bound(self):
        r = testpmd("wait", *NULL2, "-i", stdin="start\nwait\nwait 0.1\nquit\n")
        self.assertExit(r, 0)
        self.assertIn_("testpmd: forwarding would never stop by itself (no "
                       "--nb-pkts or --duration): use 'wait SECONDS' or "
                       "'stop'", r.err, r)
        self.assertEqual(len(accumulated(r.out)), 1, r)


class BadInput(AppTest):
    def check(self, tag, args, code, message, stream="err"):
        r = testpmd(tag, *args)
        self.assertExit(r, code)
        self.assertIn_(message, getattr(r, stream), r)
        # Nothing was set up: no forwarding output.
        self.assertNotIn("Accumulated forward statistics", r.out)
        return r

    def test_unknown_option(self):
        self.check("unk", NULL2 + ["--", "--frobnicate"], 2,
                   "testpmd: unknown option '--frobnicate' (see --help)")
        self.check("unk2", NULL2 + ["--", "--nb-pkt=5"], 2,
                   "testpmd: unknown option '--nb-pkt=5': did you mean "
                   "--nb-pkts? (see --help)")
        # Without "--" the EAL sees it first; testpmd adds the hint.
        r = self.check("unk3", NULL2 + ["--forward-mod=io"], 2,
                       "testpmd: '--forward-mod=io' is not a testpmd option "
                       "either: did you mean --forward-mode? (see --help)")
        self.assertIn_("unknown option '--forward-mod=io'", r.err, r)

    def test_bad_values(self):
        self.check("mode", NULL2 + ["--forward-mode=bogus"], 2,
                   "testpmd: --forward-mode=bogus: unknown forwarding mode; "
                   "choose one of io, mac, macswap, rxonly, txonly, flowgen")
        self.check("burst", NULL2 + ["--burst=0"], 2,
                   "testpmd: --burst=0: expected a number from 1 to 512")
        self.check("txpkts", NULL2 + ["--txpkts=20"], 2,
                   "testpmd: --txpkts=20: the first segment (20 bytes) must "
                   "hold the Ethernet, IPv4 and UDP headers: at least 42 bytes")
        self.check("txpkts2", NULL2 + ["--txpkts=64,x"], 2,
                   "testpmd: --txpkts=64,x: expected segment lengths "
                   "separated by commas, e.g. 64 or 128,1024")
        self.check("topo", NULL2 + ["--port-topology=ring"], 2,
                   "testpmd: --port-topology=ring: choose paired, chained or "
                   "loop")
        self.check("peer", NULL2 + ["--eth-peer=0,zz"], 2,
                   "testpmd: --eth-peer=0,zz: expected PORT,XX:XX:XX:XX:XX:XX "
                   "with PORT from 0 to 31")
        self.check("dur", NULL2 + ["--duration=-1"], 2,
                   "testpmd: --duration=-1: expected a number of seconds "
                   "above 0 (e.g. 2.5)")
        self.check("noval", NULL2 + ["--", "--nb-pkts"], 2,
                   "testpmd: --nb-pkts needs a value (--nb-pkts=N)")
        self.check("flag", NULL2 + ["--tx-first=1"], 2,
                   "testpmd: --tx-first takes no value")

    def test_queues_beyond_driver(self):
        self.check("rxq", ["--vdev=net_ring0", "--rxq=2"], 2,
                   "testpmd: --rxq=2: port 0 (net_ring0) has at most 1 RX "
                   "queue (driver net_ring)")
        self.check("txq", ["--vdev=net_ring0,queues=2", "--txq=3"], 2,
                   "testpmd: --txq=3: port 0 (net_ring0) has at most 2 TX "
                   "queues (driver net_ring)")

    def test_rx_intr_and_mtu_values(self):
        # net_ring has no RX interrupts: refused, said why.
        r = self.check("intr", ["--vdev=net_ring0", "--rx-intr"], 1,
                       "net_ring has no RX queue interrupts (leave "
                       "intr_conf.rxq at 0)")
        self.assertIn_("testpmd: port 0: cannot configure", r.err, r)
        self.check("mtu", NULL2 + ["--mtu=20"], 2,
                   "testpmd: --mtu=20: expected a number from 68 to 65535")

    def test_lcores_and_ports(self):
        r = run([TESTPMD, "--no-huge", "-m", "256", "--no-pci", "-l", "0",
                 "--file-prefix=apptest_l0_%d" % os.getpid()] + NULL2)
        self.assertExit(r, 2)
        self.assertIn_("testpmd: no lcore to forward on: the main lcore runs "
                       "the command line, forwarding needs another; give at "
                       "least two lcores, e.g. -l 0-1", r.err, r)
        self.check("cores", NULL2 + ["--nb-cores=2"], 2,
                   "testpmd: --nb-cores=2: only 1 forwarding lcore")
        self.check("noport", [], 2,
                   "testpmd: no ports: create some with --vdev")
        self.check("stray", NULL2 + ["stray", "--", "--nb-pkts=1"], 2,
                   "testpmd: unexpected argument 'stray'")


def main():
    global TESTPMD
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    TESTPMD = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()

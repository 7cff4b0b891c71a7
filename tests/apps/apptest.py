# SPDX-License-Identifier: BSD-3-Clause
"""Helpers for the tests that run dpkit-testpmd and dpkit-l2fwd as
processes: the EAL arguments every run needs (no hugepages, no PCI, two
lcores, a file prefix of its own) and parsers for the counters they print."""

import os
import re
import subprocess
import unittest

# Everything a run on virtual ports needs, without root or hugepages.
EAL = ["--no-huge", "-m", "256", "--no-pci", "-l", "0-1",
       "--log-level=eal:warning"]


def eal_args(tag):
    """EAL arguments with a file prefix no other run uses."""
    return EAL + ["--file-prefix=apptest_%s_%d" % (tag, os.getpid())]


class Result:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __str__(self):
        return "exit %s\n--- stdout\n%s\n--- stderr\n%s" % (
            self.rc, self.out, self.err)


def run(argv, stdin=None, timeout=60):
    proc = subprocess.run(argv, input=stdin, capture_output=True,
                          text=True, timeout=timeout,
                          stdin=None if stdin is not None else subprocess.DEVNULL)
    return Result(proc)


def to_int(v):
    return int(v)


# ---- testpmd output --------------------------------------------------------

def accumulated(out):
    """Every 'Accumulated forward statistics' block, in order, as dicts."""
    blocks = []
    pat = re.compile(
        r"Accumulated forward statistics for all ports\+*\n"
        r"\s+RX-packets: (\d+)\s+RX-dropped: (\d+)\s+RX-total: (\d+)\n"
        r"(?:\s+RX-error: (\d+)\s+RX-nombufs: (\d+)\n)?"
        r"\s+TX-packets: (\d+)\s+TX-dropped: (\d+)\s+TX-total: (\d+)")
    for m in pat.finditer(out):
        blocks.append({"rx": int(m.group(1)), "rx_dropped": int(m.group(2)),
                       "rx_total": int(m.group(3)), "tx": int(m.group(6)),
                       "tx_dropped": int(m.group(7)),
                       "tx_total": int(m.group(8))})
    return blocks


def port_forward_stats(out):
    """Per-port forward statistics: a list (one per stop) of {port: dict}."""
    runs, cur = [], {}
    pat = re.compile(
        r"Forward statistics for port (\d+)\s+-+\n"
        r"\s+RX-packets: (\d+)\s+RX-dropped: (\d+)\s+RX-total: (\d+)\n"
        r"(?:\s+RX-error: \d+\s+RX-nombufs: \d+\n)?"
        r"\s+TX-packets: (\d+)\s+TX-dropped: (\d+)\s+TX-total: (\d+)"
        r"|Accumulated forward statistics")
    for m in pat.finditer(out):
        if m.group(1) is None:
            runs.append(cur)
            cur = {}
            continue
        cur[int(m.group(1))] = {"rx": int(m.group(2)), "tx": int(m.group(5)),
                                "tx_dropped": int(m.group(6))}
    return runs


def stream_stats(out):
    """Per-stream lines of the last stop: [(rx_port, tx_port, rx, tx, drop)]."""
    last = out.rfind("Telling cores to stop")
    pat = re.compile(
        r"Forward Stats for RX Port=\s*(\d+)/Queue=\s*(\d+) -> "
        r"TX Port=\s*(\d+)/Queue=\s*(\d+) -+\n"
        r"\s+RX-packets: (\d+)\s+TX-packets: (\d+)\s+TX-dropped: (\d+)")
    return [tuple(int(g) for g in m.groups())
            for m in pat.finditer(out, max(last, 0))]


def nic_stats(out):
    """Every 'NIC statistics for port N' block: [(port, dict)]."""
    pat = re.compile(
        r"NIC statistics for port (\d+)\s+#+\n"
        r"\s+RX-packets: (\d+)\s+RX-missed: (\d+)\s+RX-bytes:\s+(\d+)\n"
        r"\s+RX-errors: (\d+)\n"
        r"\s+RX-nombuf:\s+(\d+)\n"
        r"\s+TX-packets: (\d+)\s+TX-errors: (\d+)\s+TX-bytes:\s+(\d+)")
    return [(int(m.group(1)), {"rx": int(m.group(2)),
                               "missed": int(m.group(3)),
                               "rx_bytes": int(m.group(4)),
                               "tx": int(m.group(7)),
                               "tx_bytes": int(m.group(9))})
            for m in pat.finditer(out)]


def mbufs_after_close(out):
    m = re.search(r"mbufs still in use after closing the ports: (\d+)", out)
    return int(m.group(1)) if m else None


class AppTest(unittest.TestCase):
    """unittest.TestCase with assertions that print the whole run."""

    def assertExit(self, r, code):
        self.assertEqual(r.rc, code, "unexpected exit status:\n%s" % r)

    def assertIn_(self, needle, text, r):
        self.assertIn(needle, text, "missing %r in:\n%s" % (needle, r))

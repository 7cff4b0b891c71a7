# SPDX-License-Identifier: BSD-3-Clause
"""One QEMU guest: q35, optional intel-iommu, igb NICs on unix dgram sockets.

The serial console is QEMU's stdout; a thread reads it line by line into a
log file and a list that the harness waits on. QEMU exits 0 even when the
guest panics, so the verdict is always read from the log; panic=-1 and
-no-reboot turn a panic into a prompt exit, and a hard timeout kills QEMU
whatever happens.
"""

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

from frames import FrameEndpoint

QEMU = "qemu-system-x86_64"


def qemu_missing():
    """None if QEMU with the igb model is usable, else the reason."""
    if shutil.which(QEMU) is None:
        return ("%s not found: install qemu-system-x86 (>= 8, from "
                "bookworm-backports: devtools/test does it)" % QEMU)
    out = subprocess.run([QEMU, "-device", "help"], capture_output=True,
                         text=True).stdout
    if not re.search(r'name "igb"', out):
        ver = subprocess.run([QEMU, "--version"], capture_output=True,
                             text=True).stdout.split("\n")[0]
        return ("%s has no igb device (%s; igb needs QEMU >= 8, install "
                "qemu-system-x86 from bookworm-backports)" % (QEMU, ver))
    return None


def nic_mac(i):
    return "52:54:00:00:00:%02x" % (0x10 + i)


class VmError(Exception):
    pass


class Vm:
    def __init__(self, kernel, initrd, log_path, iommu=True, cmdline="",
                 nics=2, mem=512, smp=2, timeout=60):
        self.kernel, self.initrd, self.log_path = kernel, initrd, log_path
        self.iommu, self.cmdline, self.nb_nics = iommu, cmdline, nics
        self.mem, self.smp, self.timeout = mem, smp, timeout
        self.lines = []
        self.cond = threading.Condition()
        self.proc = None
        self.nics = []
        self.times = {}
        # Unix socket paths are limited to 108 bytes: keep them short.
        self.sockdir = tempfile.mkdtemp(prefix="dpvm-")

    def qemu_args(self):
        a = [QEMU, "-machine", "q35,kernel-irqchip=split", "-accel", "tcg",
             "-cpu", "max", "-m", str(self.mem), "-smp", str(self.smp),
             "-nodefaults", "-display", "none", "-no-reboot",
             "-serial", "stdio", "-monitor", "none"]
        if self.iommu:
            # 48-bit IOVAs: in VA mode IOVA = user address (up to 47 bits).
            a += ["-device", "intel-iommu,intremap=on,caching-mode=on,aw-bits=48"]
        for i in range(self.nb_nics):
            g = os.path.join(self.sockdir, "g%d" % i)
            h = os.path.join(self.sockdir, "h%d" % i)
            a += ["-netdev", "dgram,id=n%d,local.type=unix,local.path=%s,"
                  "remote.type=unix,remote.path=%s" % (i, g, h),
                  # Each NIC behind its own root port: its own IOMMU group,
                  # and a fixed address (0000:0i+1:00.0) for the scenarios.
                  "-device", "pcie-root-port,id=rp%d,chassis=%d,slot=%d,addr=0x%x"
                  % (i, i + 1, i + 1, 0x10 + i),
                  "-device", "igb,netdev=n%d,bus=rp%d,mac=%s" % (i, i, nic_mac(i))]
        # nohz=off: under TCG an idle vCPU once missed its one-shot timer
        # wakeup and stayed asleep for minutes (guest RCU stall on CPU 1
        # while testpmd --rx-intr slept); the periodic tick wakes it.
        append = ("console=ttyS0 panic=-1 quiet loglevel=4 nohz=off " +
                  self.cmdline)
        a += ["-kernel", self.kernel, "-initrd", self.initrd, "-append", append]
        return a

    def start(self):
        for i in range(self.nb_nics):
            self.nics.append(FrameEndpoint(os.path.join(self.sockdir, "h%d" % i),
                                           os.path.join(self.sockdir, "g%d" % i)))
        self.times["start"] = time.monotonic()
        self.log = open(self.log_path, "w")
        self.log.write("# " + " ".join(self.qemu_args()) + "\n")
        self.log.flush()
        self.proc = subprocess.Popen(self.qemu_args(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            t = time.monotonic() - self.times["start"]
            self.log.write("[%6.2f] %s\n" % (t, line))
            self.log.flush()
            with self.cond:
                self.lines.append(line)
                if line.startswith("DPVM-BOOTED") and "booted" not in self.times:
                    self.times["booted"] = t
                self.cond.notify_all()
        with self.cond:
            self.times.setdefault("exited", time.monotonic() - self.times["start"])
            self.cond.notify_all()

    def elapsed(self):
        return time.monotonic() - self.times["start"]

    def wait_line(self, regex, timeout=None, start=0):
        """The first match of @regex in a serial line (from index @start),
        waiting up to @timeout (default: what is left of the hard timeout)."""
        pat = re.compile(regex)
        end = time.monotonic() + (timeout if timeout is not None else
                                  max(0, self.timeout - self.elapsed()))
        i = start
        with self.cond:
            while True:
                while i < len(self.lines):
                    m = pat.search(self.lines[i])
                    if m:
                        return m
                    i += 1
                if "exited" in self.times:
                    return None
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def ready(self, token, timeout=None):
        """Wait for the guest's `DPVM-READY <token>` line."""
        m = self.wait_line(r"^DPVM-READY %s\b" % re.escape(token), timeout)
        if m is None:
            raise VmError("guest never became ready for '%s'" % token)

    def stop(self, grace=10):
        """Wait for QEMU to exit (the guest powers off), then kill it."""
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)
        self.times.setdefault("exited", self.elapsed())
        self.log.close()
        for n in self.nics:
            n.close()
        shutil.rmtree(self.sockdir, ignore_errors=True)

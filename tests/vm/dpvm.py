#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpvm: run dpkit test scenarios in a QEMU guest.

    dpvm.py list
    dpvm.py prepare --build-dir DIR [--bin PROG]... [--usertools DIR]
    dpvm.py run SCENARIO --build-dir DIR [--bin PROG]... [--usertools DIR]
    dpvm.py shell --build-dir DIR [--bin PROG]... [--usertools DIR] [--no-iommu]

A scenario is tests/vm/scenarios/NAME.sh (run in the guest by /init) and,
optionally, NAME.py next to it: the machine it needs (IOMMU, kernel command
line, timeout) and a host() function that plays the other end of the wire
while the guest runs. `run` exits 0 when the guest printed DPVM-RESULT PASS
and every host-side check passed, 1 otherwise, 77 (meson's SKIP) when QEMU
with the igb model is missing. The serial log is kept in
DIR/logs/NAME.log.
"""

import argparse
import fcntl
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))

import initramfs  # noqa: E402
import kernel  # noqa: E402
from vm import Vm, VmError, qemu_missing  # noqa: E402

SKIP = 77
# Kernel modules every guest carries (their dependencies come along).
GUEST_MODULES = ["igb", "vfio_pci", "vfio_iommu_type1", "uio_pci_generic"]
GUEST_PYTHON = "/usr/bin/python3"


def log(msg):
    print(msg, flush=True)


# ---- scenarios -----------------------------------------------------------------


class Scenario:
    """What NAME.py says, with defaults for what it leaves out."""
    defaults = dict(DESCRIPTION="", IOMMU=True, CMDLINE="", TIMEOUT=60, MEM=512,
                    NICS=2, host=None)

    def __init__(self, name):
        self.name = name
        self.script = os.path.join(HERE, "scenarios", name + ".sh")
        if not os.path.exists(self.script):
            raise SystemExit("dpvm: no scenario %s (%s)" % (name, self.script))
        mod = None
        py = os.path.join(HERE, "scenarios", name + ".py")
        if os.path.exists(py):
            spec = importlib.util.spec_from_file_location("scenario_" + name, py)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
        for k, v in self.defaults.items():
            setattr(self, k, getattr(mod, k, v) if mod else v)


def scenario_names():
    d = os.path.join(HERE, "scenarios")
    return sorted(f[:-3] for f in os.listdir(d) if f.endswith(".sh"))


class HostChecks:
    """What a scenario's host() gets: the VM and a place to record checks."""

    def __init__(self, vm):
        self.vm = vm
        self.results = []

    def check(self, ok, what):
        self.results.append((bool(ok), what))
        log("dpvm: host check %s: %s" % ("ok" if ok else "FAIL", what))
        return ok


# ---- preparing the kernel and the initramfs ------------------------------------------


def prepare(build_dir, bins, usertools):
    cache = os.path.join(build_dir, "cache")
    k = kernel.fetch(os.path.join(cache, "kernel"), log=log)
    devbind = os.path.join(usertools, "dpkit-devbind.py") if usertools else None
    if devbind and not os.path.exists(devbind):
        devbind = None
    inputs = [os.path.join(HERE, "guest"), os.path.join(HERE, "scenarios"),
              os.path.join(HERE, "lib", "initramfs.py"), initramfs.BUSYBOX,
              k.vmlinuz] + list(bins) + ([devbind] if devbind else [])
    digest = initramfs.tree_digest(inputs)[:16]
    out = os.path.join(cache, "initrd-%s.gz" % digest)
    with open(os.path.join(cache, ".initrd.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(out):
            return k, out
        t0 = time.monotonic()
        r = initramfs.Initramfs(os.path.join(cache, "stage"))
        r.add_busybox()
        mods = r.add_modules(k, GUEST_MODULES)
        r.add_file(os.path.join(HERE, "guest", "init"), "/init", 0o755)
        for f in sorted(os.listdir(os.path.join(HERE, "guest"))):
            if f.endswith(".sh"):
                r.add_file(os.path.join(HERE, "guest", f), "/dpvm/" + f)
        for f in os.listdir(os.path.join(HERE, "scenarios")):
            if f.endswith(".sh"):
                r.add_file(os.path.join(HERE, "scenarios", f), "/dpvm/scenarios/" + f)
        for b in bins:
            r.add_file(b, "/dpvm/bin/" + os.path.basename(b), 0o755)
        npy = 0
        if devbind:
            r.add_file(devbind, "/dpvm/usertools/dpkit-devbind.py", 0o755)
            npy = r.add_python(GUEST_PYTHON, [devbind])
            r.add_pci_ids(["8086"])
        size = r.pack(out)
        shutil.rmtree(r.stage, ignore_errors=True)
        # Older initramfs images of this build are stale now.
        for f in os.listdir(cache):
            if f.startswith("initrd-") and os.path.join(cache, f) != out:
                os.unlink(os.path.join(cache, f))
        log("dpvm: initramfs %s: %d modules (%s), %d programs, python files %d, "
            "%.1f MB unpacked, %.1f MB packed, built in %.1f s" %
            (os.path.basename(out), len(mods), " ".join(mods), len(bins), npy,
             size / 1e6, os.path.getsize(out) / 1e6, time.monotonic() - t0))
    return k, out


# ---- running one scenario -----------------------------------------------------------


def run(sc, build_dir, bins, usertools):
    why = qemu_missing()
    if why:
        log("dpvm: SKIP %s: %s" % (sc.name, why))
        return SKIP
    t0 = time.monotonic()
    k, initrd = prepare(build_dir, bins, usertools)
    t_prep = time.monotonic() - t0
    logs = os.path.join(build_dir, "logs")
    os.makedirs(logs, exist_ok=True)
    log_path = os.path.join(logs, sc.name + ".log")
    vm = Vm(k.vmlinuz, initrd, log_path, iommu=sc.IOMMU,
            cmdline="dpvm.scenario=%s %s" % (sc.name, sc.CMDLINE),
            nics=sc.NICS, mem=sc.MEM, timeout=sc.TIMEOUT)
    host = HostChecks(vm)
    host_thread = None
    log("dpvm: %s: %s (kernel %s, IOMMU %s, timeout %d s)" %
        (sc.name, sc.DESCRIPTION, k.version, "on" if sc.IOMMU else "off", sc.TIMEOUT))

    def host_main():
        try:
            sc.host(host)
        except Exception as e:  # a failed host step is a failed check
            host.check(False, "host side raised %s: %s" % (type(e).__name__, e))
            traceback.print_exc()

    m = None
    vm.start()
    try:
        if sc.host:
            host_thread = threading.Thread(target=host_main, daemon=True)
            host_thread.start()
        m = vm.wait_line(r"^DPVM-RESULT (PASS|FAIL)(.*)")
        if host_thread:
            host_thread.join(timeout=max(1, sc.TIMEOUT - vm.elapsed()))
            if host_thread.is_alive():
                host.check(False, "host side still running at the timeout")
    finally:
        # With a verdict the guest is powering off; without one, do not wait.
        vm.stop(grace=10 if m else 0)
    t = vm.times
    guest = m.group(1) if m else None
    for line in vm.lines:
        if line.startswith("DPVM-CHECK FAIL"):
            log("dpvm: guest check FAIL: " + line[len("DPVM-CHECK FAIL "):])
    failed_host = [w for ok, w in host.results if not ok]
    ok = guest == "PASS" and not failed_host
    if guest is None:
        reason = ("no verdict: the guest %s (see %s)" %
                  ("timed out" if "exited" not in t or t["exited"] >= sc.TIMEOUT
                   else "stopped early (panic?)", log_path))
    elif guest == "FAIL":
        reason = "guest: " + m.group(2).strip()
    elif failed_host:
        reason = "host: " + failed_host[0]
    else:
        reason = ""
    summary = ("%s: %s in %.1f s (prepare %.1f s, boot to init %s, QEMU ran %.1f s)%s" %
               (sc.name, "PASS" if ok else "FAIL", time.monotonic() - t0, t_prep,
                "%.1f s" % t["booted"] if "booted" in t else "-", t.get("exited", 0),
                "" if ok else ": " + reason))
    log("dpvm: " + summary)
    with open(os.path.join(logs, "timings.txt"), "a") as f:
        f.write(time.strftime("%Y-%m-%d %H:%M:%S ") + summary + "\n")
    return 0 if ok else 1


def shell(build_dir, bins, usertools, iommu, cmdline):
    """Boot the guest with an interactive shell on this terminal."""
    why = qemu_missing()
    if why:
        log("dpvm: %s" % why)
        return SKIP
    k, initrd = prepare(build_dir, bins, usertools)
    vm = Vm(k.vmlinuz, initrd, os.devnull, iommu=iommu,
            cmdline="dpvm.scenario=shell " + cmdline)
    log("dpvm: %s" % " ".join(vm.qemu_args()))
    log("dpvm: the NICs' host ends are %s/h0 and h1 (unix datagram sockets)"
        % vm.sockdir)
    try:
        return subprocess.call(vm.qemu_args())
    finally:
        shutil.rmtree(vm.sockdir, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description="Run dpkit scenarios in a QEMU guest.")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("prepare", "run", "shell"):
        s = sub.add_parser(name)
        if name == "run":
            s.add_argument("scenario")
        if name == "shell":
            s.add_argument("--no-iommu", action="store_true",
                           help="no intel-iommu device (for uio)")
            s.add_argument("--append", default="intel_iommu=on iommu=pt",
                           help="extra kernel command line")
        s.add_argument("--build-dir", required=True,
                       help="where the kernel cache, initramfs and logs go")
        s.add_argument("--bin", action="append", default=[],
                       help="a static program to put in the guest's PATH")
        s.add_argument("--usertools", help="folder with dpkit-devbind.py")
    sub.add_parser("list")
    a = p.parse_args()
    if a.cmd == "list":
        for n in scenario_names():
            print("%-24s %s" % (n, Scenario(n).DESCRIPTION))
        return 0
    os.makedirs(a.build_dir, exist_ok=True)
    try:
        if a.cmd == "shell":
            return shell(a.build_dir, a.bin, a.usertools, not a.no_iommu,
                         "intel_iommu=off" if a.no_iommu else a.append)
        if a.cmd == "prepare":
            k, initrd = prepare(a.build_dir, a.bin, a.usertools)
            print("kernel %s\ninitrd %s" % (k.vmlinuz, initrd))
            return 0
        return run(Scenario(a.scenario), a.build_dir, a.bin, a.usertools)
    except (kernel.KernelError, initramfs.InitramfsError, VmError) as e:
        log("dpvm: error: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: BSD-3-Clause
"""A fake sysfs/procfs tree in a temporary folder, and a fake kernel that
reacts to the writes the user tools make the way Linux does: unbind removes
the `driver` link and the netdev, drivers_probe binds the driver named in
driver_override (or one whose id table matches), new_id binds every unbound
device with that id, nr_hugepages grants what "free memory" allows.

The tools are imported and run in-process with FakeKernel.write as their
sysfs writer, so every write is recorded in order and the tree changes as
it would on a real machine. Nothing here touches the real /sys.
"""

import errno
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
USERTOOLS = os.path.join(HERE, "..", "..", "usertools")

NET_DRIVERS = ("igb", "ixgbe", "e1000e", "virtio-pci", "mlx5_core")

PCI_IDS = """\
# a few lines in the format of pci.ids
8086  Intel Corporation
\t10c9  82576 Gigabit Network Connection
\t\t8086 a03c  Ethernet Server Adapter I340-T4
\t10fb  82599ES 10-Gigabit SFI/SFP+ Network Connection
\t1c10  6 Series/C200 Series Chipset Family PCI Express Root Port 1
1af4  Red Hat, Inc.
\t1041  Virtio 1.0 network device
C 02  Network controller
\t00  Ethernet controller
"""


def load_tool(name):
    """Import usertools/<name>.py as a module (its name has a dash)."""
    path = os.path.join(USERTOOLS, name + ".py")
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"),
                                                  path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


class FakeTree:
    """Builds the tree. Paths are relative to the root unless said."""

    def __init__(self, prefix="dpkit-usertools-"):
        self.root = tempfile.mkdtemp(prefix=prefix)
        for d in ("sys/bus/pci/devices", "sys/bus/pci/drivers",
                  "sys/kernel/iommu_groups", "sys/class/net", "sys/module",
                  "proc/net", "dev/vfio"):
            os.makedirs(self.p(d))
        write(self.p("sys/bus/pci/drivers_probe"), "")
        write(self.p("proc/net/route"), "Iface\tDestination\tGateway \t"
              "Flags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n")
        write(self.p("proc/net/ipv6_route"), "")
        write(self.p("proc/net/if_inet6"), "")
        write(self.p("usr/share/misc/pci.ids"), PCI_IDS)
        # id tables of the fake drivers: driver -> {(vendor, device)}
        self.id_tables = {}
        # which interface a net driver creates for a device, when it binds
        self.netdevs = {}

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def p(self, *rel):
        return os.path.join(self.root, *rel)

    def dev(self, bdf, *rel):
        return self.p("sys/bus/pci/devices", bdf, *rel)

    def add_driver(self, name, ids=(), module=None):
        d = self.p("sys/bus/pci/drivers", name)
        os.makedirs(d, exist_ok=True)
        for f in ("bind", "unbind", "new_id", "remove_id"):
            write(os.path.join(d, f), "")
        os.makedirs(self.p("sys/module", module or name.replace("-", "_")),
                    exist_ok=True)
        self.id_tables.setdefault(name, set()).update(ids)

    def add_device(self, bdf, vendor="8086", device="10c9", pci_class=0x020000,
                   driver=None, numa=0, group=None, ifname=None, up=False,
                   override=True, virtio=False):
        d = self.dev(bdf)
        os.makedirs(d)
        write(os.path.join(d, "vendor"), "0x%s\n" % vendor)
        write(os.path.join(d, "device"), "0x%s\n" % device)
        write(os.path.join(d, "class"), "0x%06x\n" % pci_class)
        write(os.path.join(d, "numa_node"), "%d\n" % numa)
        write(os.path.join(d, "modalias"),
              "pci:v0000%sd0000%ssv00008086sd0000A03Cbc%02Xsc%02Xi00\n"
              % (vendor.upper(), device.upper(), pci_class >> 16,
                 (pci_class >> 8) & 0xff))
        if override:
            write(os.path.join(d, "driver_override"), "(null)\n")
        if group is not None:
            self.add_to_group(bdf, group)
        if ifname:
            self.netdevs[bdf] = (ifname, virtio)
        if driver:
            self.attach(bdf, driver, up=up)

    def add_to_group(self, bdf, group, gtype=None):
        g = self.p("sys/kernel/iommu_groups", str(group))
        os.makedirs(os.path.join(g, "devices"), exist_ok=True)
        os.symlink("../../../../bus/pci/devices/" + bdf,
                   os.path.join(g, "devices", bdf))
        if gtype:
            write(os.path.join(g, "type"), gtype + "\n")
        if os.path.isdir(self.dev(bdf)):
            os.symlink("../../../kernel/iommu_groups/%s" % group,
                       self.dev(bdf, "iommu_group"))

    def driver_of(self, bdf):
        try:
            return os.path.basename(os.readlink(self.dev(bdf, "driver")))
        except OSError:
            return None

    def override_of(self, bdf):
        return read(self.dev(bdf, "driver_override")).strip()

    def attach(self, bdf, driver, up=False):
        """What a successful probe leaves in sysfs."""
        os.symlink("../../drivers/" + driver, self.dev(bdf, "driver"))
        os.symlink("../../devices/" + bdf,
                   self.p("sys/bus/pci/drivers", driver, bdf))
        if driver in NET_DRIVERS and bdf in self.netdevs:
            name, virtio = self.netdevs[bdf]
            base = self.dev(bdf, "virtio0") if virtio else self.dev(bdf)
            n = os.path.join(base, "net", name)
            os.makedirs(n)
            write(os.path.join(n, "flags"), "0x1003\n" if up else "0x1002\n")
            write(os.path.join(n, "operstate"), "up\n" if up else "down\n")
            os.symlink(os.path.relpath(base, n), os.path.join(n, "device"))
            os.symlink(os.path.relpath(n, self.p("sys/class/net")),
                       self.p("sys/class/net", name))

    def detach(self, bdf):
        driver = self.driver_of(bdf)
        os.unlink(self.dev(bdf, "driver"))
        os.unlink(self.p("sys/bus/pci/drivers", driver, bdf))
        if bdf in self.netdevs:
            name, virtio = self.netdevs[bdf]
            base = self.dev(bdf, "virtio0") if virtio else self.dev(bdf)
            shutil.rmtree(os.path.join(base, "net"), ignore_errors=True)
            if os.path.lexists(self.p("sys/class/net", name)):
                os.unlink(self.p("sys/class/net", name))

    def add_route(self, ifname, dest, gateway, mask):
        """One /proc/net/route line; addresses in dotted form."""
        def le(ip):
            b = [int(x) for x in ip.split(".")]
            return "%02X%02X%02X%02X" % (b[3], b[2], b[1], b[0])
        with open(self.p("proc/net/route"), "a") as f:
            f.write("%s\t%s\t%s\t0003\t0\t0\t0\t%s\t0\t0\t0\n"
                    % (ifname, le(dest), le(gateway), le(mask)))

    def add_hugepages(self, nodes=(0,), sizes_kb=(2048, 1048576),
                      default_kb=2048):
        """Hugepage pools of every size, per node (no node folders when
        nodes is empty: a kernel without NUMA), all empty."""
        self.huge_nodes = list(nodes)
        self.huge_limit = {}        # (node, kB) -> most pages the kernel gives
        self.huge_used = {}         # (node, kB) -> pages mapped by programs
        for kb in sizes_kb:
            g = self.p("sys/kernel/mm/hugepages", "hugepages-%dkB" % kb)
            for f in ("nr_hugepages", "free_hugepages", "surplus_hugepages",
                      "resv_hugepages", "nr_overcommit_hugepages"):
                write(os.path.join(g, f), "0\n")
            for n in nodes:
                d = self.huge_dir(n, kb)
                for f in ("nr_hugepages", "free_hugepages",
                          "surplus_hugepages"):
                    write(os.path.join(d, f), "0\n")
        if nodes:
            write(self.p("sys/devices/system/node/has_memory"),
                  ",".join(str(n) for n in nodes) + "\n")
        write(self.p("proc/meminfo"), "MemTotal:        4000000 kB\n"
              "Hugepagesize:       %d kB\n" % default_kb)
        write(self.p("proc/mounts"), "proc /proc proc rw 0 0\n")

    def huge_dir(self, node, kb):
        if node is None:
            return self.p("sys/kernel/mm/hugepages", "hugepages-%dkB" % kb)
        return self.p("sys/devices/system/node", "node%d" % node, "hugepages",
                      "hugepages-%dkB" % kb)

    def set_huge(self, node, kb, nr, used=0):
        """Pages already reserved (nr) and in use (used) in one pool."""
        self.huge_used[(node, kb)] = used
        self._huge_update(node, kb, nr)

    def huge_pages(self, node, kb, name="nr_hugepages"):
        return int(read(os.path.join(self.huge_dir(node, kb), name)))

    def _huge_update(self, node, kb, asked):
        """What the kernel does on a write of nr_hugepages: give at most
        what fits, and keep pages in use (they turn surplus)."""
        used = self.huge_used.get((node, kb), 0)
        nr = max(min(asked, self.huge_limit.get((node, kb), asked)), used)
        d = self.huge_dir(node, kb)
        write(os.path.join(d, "nr_hugepages"), "%d\n" % nr)
        write(os.path.join(d, "free_hugepages"), "%d\n" % (nr - used))
        write(os.path.join(d, "surplus_hugepages"),
              "%d\n" % max(used - asked, 0))
        if node is not None:
            for f in ("nr_hugepages", "free_hugepages", "surplus_hugepages"):
                total = sum(int(read(os.path.join(self.huge_dir(n, kb), f)))
                            for n in self.huge_nodes)
                write(os.path.join(self.huge_dir(None, kb), f),
                      "%d\n" % total)

    def modules_alias(self, lines):
        write(self.p("lib/modules", os.uname().release, "modules.alias"),
              "".join(line + "\n" for line in lines))


class FakeKernel:
    """A sysfs writer for the tools that records each write and plays the
    kernel's part. `refuse` names drivers whose probe fails; `fail` maps a
    relative path to the errno its next write returns."""

    def __init__(self, tree):
        self.tree = tree
        self.writes = []
        self.refuse = set()
        self.fail = {}
        self.dynids = {}

    def write(self, path, data):
        rel = os.path.relpath(path, self.tree.root)
        self.writes.append((rel, data))
        if rel in self.fail:
            err = self.fail.pop(rel)        # fails once
            raise OSError(err, os.strerror(err))
        parts = rel.split("/")
        value = data.strip()
        if rel == "sys/bus/pci/drivers_probe":
            self.probe(value)
        elif parts[:4] == ["sys", "bus", "pci", "drivers"] and len(parts) == 6:
            getattr(self, "op_" + parts[5])(parts[4], value)
        elif parts[-1] == "driver_override":
            write(path, (value or "(null)") + "\n")
        elif parts[-1] == "nr_hugepages":
            kb = int(parts[-2][len("hugepages-"):-2])
            node = int(parts[4][4:]) if parts[1] == "devices" else None
            self.tree._huge_update(node, kb, int(value))
        elif parts[-1] == "enable_unsafe_noiommu_mode":
            write(path, "Y\n" if value in ("1", "Y", "y") else "N\n")
        else:
            write(path, data if data.endswith("\n") else data + "\n")

    def _ids(self, bdf):
        v = read(self.tree.dev(bdf, "vendor")).strip()[2:]
        d = read(self.tree.dev(bdf, "device")).strip()[2:]
        return (v, d)

    def _matches(self, driver, bdf):
        ov = self.tree.dev(bdf, "driver_override")
        override = read(ov).strip() if os.path.exists(ov) else "(null)"
        if override != "(null)":
            return override == driver
        ids = self._ids(bdf)
        return (ids in self.tree.id_tables.get(driver, ()) or
                ids in self.dynids.get(driver, ()))

    def _probe(self, driver, bdf):
        if driver in self.refuse:
            return False
        self.tree.attach(bdf, driver)
        return True

    def probe(self, bdf):
        if not os.path.isdir(self.tree.dev(bdf)):
            raise OSError(errno.ENODEV, "no such device")
        if self.tree.driver_of(bdf):
            return
        for driver in sorted(os.listdir(self.tree.p("sys/bus/pci/drivers"))):
            if self._matches(driver, bdf) and self._probe(driver, bdf):
                return

    def op_unbind(self, driver, bdf):
        if self.tree.driver_of(bdf) != driver:
            raise OSError(errno.ENODEV, "not bound to this driver")
        self.tree.detach(bdf)

    def op_bind(self, driver, bdf):
        if not os.path.isdir(self.tree.dev(bdf)):
            raise OSError(errno.ENODEV, "no such device")
        if not self._matches(driver, bdf):
            raise OSError(errno.ENODEV, "no match")
        if self.tree.driver_of(bdf):
            raise OSError(errno.EBUSY, "already bound")
        if not self._probe(driver, bdf):
            raise OSError(errno.ENXIO, "probe failed")

    def op_new_id(self, driver, ids):
        ids = tuple(ids.split()[:2])
        if ids in self.dynids.setdefault(driver, set()):
            raise OSError(errno.EEXIST, "exists")
        self.dynids[driver].add(ids)
        for bdf in sorted(os.listdir(self.tree.p("sys/bus/pci/devices"))):
            if not self.tree.driver_of(bdf) and self._matches(driver, bdf):
                self._probe(driver, bdf)

    def op_remove_id(self, driver, ids):
        ids = tuple(ids.split()[:2])
        if ids not in self.dynids.get(driver, ()):
            raise OSError(errno.ENODEV, "no such id")
        self.dynids[driver].discard(ids)


def run_tool(module, argv, kernel=None, env=None):
    """Run a tool's main() in-process; returns (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    kwargs = {"env": env if env is not None else {}, "out": out, "err": err}
    if kernel is not None:
        kwargs["writer"] = kernel.write
    status = module.main(argv, **kwargs)
    return status, out.getvalue(), err.getvalue()


def run_script(name, argv, root=None):
    """Run usertools/<name>.py as a user would, in a new Python process
    (DPKIT_SYSFS_ROOT=root when given); returns the CompletedProcess."""
    env = dict(os.environ)
    if root is not None:
        env["DPKIT_SYSFS_ROOT"] = root
    return subprocess.run([sys.executable,
                           os.path.join(USERTOOLS, name + ".py")] + argv,
                          env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)


def python_stub(tree, name, body):
    """Write an executable stub command (a Python script) into the tree's
    bin/ and return the command line for it."""
    path = tree.p("bin", name)
    write(path, "import os, sys\nROOT = %r\n%s" % (tree.root, body))
    return "%s %s" % (sys.executable, path)

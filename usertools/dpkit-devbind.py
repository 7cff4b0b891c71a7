#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpkit-devbind: show which driver owns each network PCI device, and move
devices between their kernel driver and the user-space access drivers dpkit
uses (vfio-pci, uio_pci_generic, igb_uio).

Everything is read from and written to sysfs/procfs directly, with the Python
3 standard library only: no lspci, no ip. The only external command is the
one that loads a missing kernel module (modprobe, or insmod from a folder
given with --module-dir), so the script also runs in a busybox guest.

A bind is a small transaction: remember the driver the device is on, unbind
it, point driver_override at the new driver, ask the kernel to probe, then
check the device's `driver` link. If any step fails, the device goes back to
the driver it was on, so a failed bind never leaves a NIC without a driver.
"""

import argparse
import errno
import fnmatch
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys

# User-space access drivers, in the order they are offered.
USER_DRIVERS = ("vfio-pci", "uio_pci_generic", "igb_uio")

# Modules a driver needs besides its own, that modprobe does not pull in.
EXTRA_MODULES = {"vfio-pci": ("vfio_iommu_type1",)}

# Drivers that may sit in an IOMMU group next to a vfio-pci device without
# making the group unusable: they do no DMA of their own (the kernel marks
# them driver_managed_dma).
GROUP_SAFE_DRIVERS = ("vfio-pci", "pci-stub", "pcieport")

# NICs whose user-space drivers run on top of the kernel driver: taking them
# away from it breaks them, it does not hand them to user space.
BIFURCATED_DRIVERS = ("mlx4_core", "mlx5_core")

PCI_CLASS_NETWORK = 0x02
IFF_UP = 0x1

_BUS_SLOT_FN = r"[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$"
# A device argument: domain:bus:slot.func, or bus:slot.func in domain 0.
PCI_ADDR_RE = re.compile(r"^(?:[0-9a-f]{4,8}:)?" + _BUS_SLOT_FN)
# A full address, as sysfs names devices (a netdev's path holds its NIC's).
PCI_ADDR_IN_PATH_RE = re.compile(r"^[0-9a-f]{4,8}:" + _BUS_SLOT_FN)

STATE_FILE = "run/dpkit/devbind.json"

EXAMPLES = """\
DEVICE is a PCI address (0000:01:00.0, or 01:00.0 in PCI domain 0), a glob of
addresses (0000:01:00.*) or a kernel interface name (eth1).

examples:
  dpkit-devbind --status                     NICs and their drivers
  dpkit-devbind -b vfio-pci eth1             give eth1's NIC to dpkit
  dpkit-devbind -b vfio-pci 01:00.0 01:00.1  two ports at once
  dpkit-devbind --dry-run -b vfio-pci eth1   print the writes, change nothing
  dpkit-devbind -u --restore 01:00.0         back to its former kernel driver
  dpkit-devbind -b igb 0000:01:00.0          back to a kernel driver, by name
  dpkit-devbind -u 01:00.0                   leave the device with no driver

The previous driver of each device is remembered in /run/dpkit/devbind.json.
Environment: DPKIT_SYSFS_ROOT (as --sysfs-root), DPKIT_MODULE_DIR (as
--module-dir), DPKIT_MODPROBE / DPKIT_INSMOD (the commands that load modules).
See docs/binding.md.
"""


class DevbindError(Exception):
    """A user-facing error: the message says what went wrong and the fix."""


def errno_text(err):
    """'No such device (ENODEV)' for an OSError."""
    name = errno.errorcode.get(err.errno, str(err.errno))
    return "%s (%s)" % (os.strerror(err.errno), name)


def sysfs_write(path, data):
    """Write one value the way `echo` does. O_TRUNC keeps regular files in a
    fake tree exact; sysfs ignores it. Errors come from the kernel's store
    handler and surface here, not at close."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        os.write(fd, data.encode())
    finally:
        os.close(fd)


class Host:
    """Every path the tool touches, below one root ("/" normally, a fake
    tree in tests), plus the commands that load modules."""

    def __init__(self, root, env, writer, dry_run, out, err):
        self.root = root
        self.env = env
        self.writer = writer
        self.dry_run = dry_run
        self.out = out
        self.err = err

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def pci(self, *parts):
        return self.path("sys/bus/pci", *parts)

    def read(self, path, default=None):
        try:
            with open(path) as f:
                return f.read().strip()
        except OSError:
            return default

    def read_int(self, path, default=None, base=0):
        text = self.read(path)
        try:
            return int(text, base)
        except (TypeError, ValueError):
            return default

    def link_name(self, path):
        """Basename of a symlink's target (`driver`, `iommu_group`)."""
        try:
            return os.path.basename(os.readlink(path))
        except OSError:
            return None

    def listdir(self, path):
        try:
            return sorted(os.listdir(path))
        except OSError:
            return []

    def write(self, path, data):
        """One sysfs write; printed instead in --dry-run."""
        if self.dry_run:
            shown = "(empty: clears it)" if data == "\n" else "'%s'" % data
            print("would write %s to %s" % (shown, path), file=self.out)
            return
        try:
            self.writer(path, data)
        except OSError as e:
            shown = "an empty line" if data == "\n" else "'%s'" % data
            raise DevbindError("writing %s to %s failed: %s"
                               % (shown, path, errno_text(e))) from e

    def command(self, env_name, default):
        """The command line to run for a tool, from the environment or PATH."""
        if env_name in self.env:
            # Set but empty: there is no such command here (tests use it).
            return shlex.split(self.env[env_name]) or None
        found = shutil.which(default) or shutil.which(
            default, path="/sbin:/usr/sbin:/bin:/usr/bin")
        return [found] if found else None

    def run(self, argv):
        if self.dry_run:
            print("would run: %s" % " ".join(argv), file=self.out)
            return
        try:
            res = subprocess.run(argv, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT,
                                 universal_newlines=True)
        except OSError as e:
            raise DevbindError("cannot run %s: %s" % (argv[0], errno_text(e)))
        if res.returncode != 0:
            raise DevbindError("`%s` failed (exit %d): %s"
                               % (" ".join(argv), res.returncode,
                                  res.stdout.strip() or "no output"))


class PciIds:
    """Device names from pci.ids, read once and only for the vendors asked."""

    FILES = ("usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids",
             "usr/share/misc/pci.ids.gz")

    def __init__(self, host):
        self.host = host
        self.names = None

    def _load(self, vendors):
        self.names = {}
        for rel in self.FILES:
            path = self.host.path(rel)
            if not os.path.exists(path):
                continue
            try:
                if path.endswith(".gz"):
                    import gzip
                    f = gzip.open(path, "rt", encoding="utf-8",
                                  errors="replace")
                else:
                    f = open(path, encoding="utf-8", errors="replace")
            except OSError:
                continue
            with f:
                self._parse(f, vendors)
            return

    def _parse(self, f, vendors):
        vendor = None
        for line in f:
            if line.startswith("C "):
                break           # device classes follow: no more devices
            if not line.strip() or line.startswith("#"):
                continue
            if line[0] != "\t":
                vendor = line[:4].lower()
                if vendor not in vendors:
                    vendor = None
            elif vendor and line[1] != "\t":
                self.names[(vendor, line[1:5].lower())] = line[5:].strip()

    def device_name(self, vendor, device, vendors):
        if self.names is None:
            self._load(vendors)
        # lspci's word for an id it has no name for; the id follows.
        return self.names.get((vendor, device), "Device")


class Device:
    """What sysfs says about one PCI function."""

    def __init__(self, host, bdf):
        d = host.pci("devices", bdf)
        self.bdf = bdf
        self.dir = d
        self.vendor = self._hex4(host.read(os.path.join(d, "vendor")))
        self.device = self._hex4(host.read(os.path.join(d, "device")))
        self.pci_class = host.read_int(os.path.join(d, "class"), 0)
        self.driver = host.link_name(os.path.join(d, "driver"))
        self.numa_node = host.read_int(os.path.join(d, "numa_node"), -1, 10)
        self.iommu_group = host.link_name(os.path.join(d, "iommu_group"))
        self.modalias = host.read(os.path.join(d, "modalias"), "")
        ov = os.path.join(d, "driver_override")
        # None: the kernel has no driver_override (older than 3.16). An
        # unset one reads "(null)".
        self.override = None
        if os.path.exists(ov):
            value = host.read(ov, "")
            self.override = "" if value == "(null)" else value
        self.interfaces = []
        for netdir in [os.path.join(d, "net")] + [
                os.path.join(d, v, "net") for v in host.listdir(d)
                if v.startswith("virtio")]:
            for name in host.listdir(netdir):
                self.interfaces.append((name, os.path.join(netdir, name)))

    @staticmethod
    def _hex4(text):
        if not text:
            return "????"
        return "%04x" % int(text, 16)

    @property
    def is_network(self):
        return (self.pci_class >> 16) == PCI_CLASS_NETWORK

    @property
    def ifnames(self):
        return [name for name, _ in self.interfaces]


class Devbind:
    """The tool: status, and binding with rollback."""

    def __init__(self, opts, env, writer, out, err):
        self.opts = opts
        root = opts.sysfs_root or env.get("DPKIT_SYSFS_ROOT") or "/"
        self.host = Host(root, env, writer, opts.dry_run, out, err)
        self.real_root = os.path.realpath(root) == "/"
        self.out = out
        self.err = err
        self.module_dir = opts.module_dir or env.get("DPKIT_MODULE_DIR")
        self.pci_ids = PciIds(self.host)
        self._devices = None
        self._aliases = None
        self._routes = None
        self.state_path = self.host.path(STATE_FILE)
        self.state = self._load_state()
        self.failed = False

    # ----- messages -----

    def say(self, msg):
        print(msg, file=self.out)

    def note(self, msg):
        print("Note: " + msg, file=self.err)

    def warn(self, msg):
        print("Warning: " + msg, file=self.err)

    def error(self, msg):
        """A per-device failure: reported, the other devices still run."""
        print("Error: " + msg, file=self.err)
        self.failed = True

    # ----- discovery -----

    def devices(self):
        if self._devices is None:
            self._devices = {}
            for bdf in self.host.listdir(self.host.pci("devices")):
                self._devices[bdf] = Device(self.host, bdf)
        return self._devices

    def rescan(self):
        self._devices = None

    def refresh(self, bdf):
        dev = Device(self.host, bdf)
        self.devices()[bdf] = dev
        return dev

    def loaded_drivers(self):
        return self.host.listdir(self.host.pci("drivers"))

    def module_loaded(self, name, driver=False):
        """A driver counts as loaded when it is registered on the PCI bus;
        other modules when /sys/module has them."""
        if driver:
            return os.path.isdir(self.host.pci("drivers", name))
        return os.path.isdir(self.host.path("sys/module",
                                            name.replace("-", "_")))

    def _modules_dir(self):
        return self.host.path("lib/modules", os.uname().release)

    def available_modules(self):
        """Module names (with '_') this kernel could load: modules.dep, and
        the .ko files in --module-dir."""
        mods = set()
        dep = os.path.join(self._modules_dir(), "modules.dep")
        try:
            with open(dep) as f:
                for line in f:
                    mods.add(self._module_name(line.split(":", 1)[0]))
        except OSError:
            pass
        for path in self._module_files().values():
            mods.add(self._module_name(path))
        return mods

    @staticmethod
    def _module_name(path):
        base = os.path.basename(path)
        base = base.split(".ko", 1)[0]
        return base.replace("-", "_")

    def kernel_modules_for(self, dev):
        """Modules whose alias matches the device, as `lspci -k` lists them."""
        if self._aliases is None:
            self._aliases = []
            for name in ("modules.alias", "modules.builtin.alias"):
                path = os.path.join(self._modules_dir(), name)
                try:
                    with open(path) as f:
                        for line in f:
                            parts = line.split()
                            if (len(parts) == 3 and parts[0] == "alias" and
                                    parts[1].startswith("pci:")):
                                self._aliases.append((parts[1], parts[2]))
                except OSError:
                    pass
        if not dev.modalias:
            return []
        found = []
        for pattern, module in self._aliases:
            if module not in found and fnmatch.fnmatchcase(dev.modalias,
                                                           pattern):
                found.append(module)
        return found

    def unused_drivers(self, dev):
        """Drivers the device could move to: its kernel modules, the one it
        came from, and the user-space drivers that are loaded."""
        names = []
        prev = self.state.get(dev.bdf, {}).get("driver")
        for d in self.kernel_modules_for(dev) + ([prev] if prev else []):
            if d not in names:
                names.append(d)
        for d in USER_DRIVERS:
            if d not in names and os.path.isdir(self.host.pci("drivers", d)):
                names.append(d)
        cur = (dev.driver or "").replace("-", "_")
        return [d for d in names if d.replace("-", "_") != cur]

    def iommu_groups(self):
        """IOMMU groups made by a real IOMMU (no-IOMMU groups left out)."""
        base = self.host.path("sys/kernel/iommu_groups")
        return [g for g in self.host.listdir(base)
                if self.host.read(os.path.join(base, g, "name")) !=
                "vfio-noiommu"]

    def group_is_noiommu(self, group):
        return self.host.read(self.host.path(
            "sys/kernel/iommu_groups", group, "name")) == "vfio-noiommu"

    def group_node(self, group):
        if self.group_is_noiommu(group):
            return "/dev/vfio/noiommu-%s" % group
        return "/dev/vfio/%s" % group

    # ----- is an interface in use? -----

    def _read_routes(self):
        """ifname -> list of routes ("10.0.0.0/24", "default via ..."),
        from /proc/net/route and /proc/net/ipv6_route: what `ip route`
        shows, without needing iproute2."""
        routes = {}
        try:
            with open(self.host.path("proc/net/route")) as f:
                next(f, None)
                for line in f:
                    p = line.split()
                    if len(p) < 8 or not int(p[3], 16) & 0x1:
                        continue
                    dest, gw, mask = (int(p[i], 16) for i in (1, 2, 7))
                    # 169.254/16 link-local routes (zeroconf) say nothing
                    # about real traffic.
                    if self._ip4(dest).startswith("169.254.") and \
                            bin(mask).count("1") >= 16:
                        continue
                    if mask == 0:
                        desc = "default"
                    else:
                        desc = "%s/%d" % (self._ip4(dest),
                                          bin(mask).count("1"))
                    if gw:
                        desc += " via " + self._ip4(gw)
                    routes.setdefault(p[0], []).append(desc)
        except OSError:
            pass
        try:
            with open(self.host.path("proc/net/ipv6_route")) as f:
                for line in f:
                    p = line.split()
                    if len(p) < 10 or p[9] == "lo":
                        continue
                    dest = bytes.fromhex(p[0])
                    # Link-local and multicast routes exist on every
                    # interface that is up.
                    if dest[0] == 0xff or (dest[0] == 0xfe and
                                           dest[1] & 0xc0 == 0x80):
                        continue
                    plen = int(p[1], 16)
                    desc = ("default" if plen == 0 else "%s/%d"
                            % (self._ip6(dest), plen))
                    gw = bytes.fromhex(p[4])
                    if any(gw):
                        desc += " via " + self._ip6(gw)
                    routes.setdefault(p[9], []).append(desc)
        except OSError:
            pass
        return routes

    @staticmethod
    def _ip4(value):
        """The kernel prints the address bytes as one native-endian word."""
        return ".".join(str(b) for b in struct.pack("=I", value))

    @staticmethod
    def _ip6(raw):
        import socket
        return socket.inet_ntop(socket.AF_INET6, raw)

    def _addresses(self, ifname):
        """Global IPv6 addresses (/proc/net/if_inet6) and, on the real
        machine, the IPv4 address (SIOCGIFADDR): an address with no route
        (a /32) still means the interface is configured."""
        addrs = []
        try:
            with open(self.host.path("proc/net/if_inet6")) as f:
                for line in f:
                    p = line.split()
                    # scope 0x20 is link-local, 0x10 host.
                    if len(p) >= 6 and p[5] == ifname and \
                            int(p[3], 16) not in (0x10, 0x20):
                        addrs.append("%s/%d" % (self._ip6(bytes.fromhex(
                            p[0])), int(p[2], 16)))
        except OSError:
            pass
        if self.real_root:
            v4 = self._ipv4_address(ifname)
            if v4:
                addrs.insert(0, v4)
        return addrs

    @staticmethod
    def _ipv4_address(ifname):
        import fcntl
        import socket
        siocgifaddr = 0x8915
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            req = struct.pack("256s", ifname.encode()[:15])
            res = fcntl.ioctl(s.fileno(), siocgifaddr, req)
            return socket.inet_ntoa(res[20:24])
        except OSError:
            return None
        finally:
            s.close()

    def interface_up(self, ifpath):
        flags = self.host.read_int(os.path.join(ifpath, "flags"))
        if flags is not None:
            return bool(flags & IFF_UP)
        return self.host.read(os.path.join(ifpath, "operstate")) in (
            "up", "unknown")

    def activity(self, dev):
        """[(ifname, "routes ... and addresses ...")] for the interfaces
        that carry traffic: up, with routes or addresses. A down interface is never active, so
        `ip link set IF down` is always enough to free it."""
        if self._routes is None:
            self._routes = self._read_routes()
        active = []
        for name, path in dev.interfaces:
            if not self.interface_up(path):
                continue
            why = []
            for kind, items in (("routes", self._routes.get(name, [])),
                                ("addresses", self._addresses(name))):
                if items:
                    more = len(items) - 3
                    why.append("%s %s%s" % (kind, ", ".join(items[:3]),
                                            " (+%d more)" % more
                                            if more > 0 else ""))
            if why:
                active.append((name, " and ".join(why)))
        return active

    def device_users(self, dev):
        """Processes that hold the device's /dev/vfio or /dev/uio node open:
        unbinding under them blocks until they let go."""
        nodes = set()
        if dev.iommu_group and dev.driver == "vfio-pci":
            nodes.add(self.group_node(dev.iommu_group))
        for uio in self.host.listdir(os.path.join(dev.dir, "uio")):
            nodes.add("/dev/" + uio)
        if not nodes:
            return []
        users = []
        proc = self.host.path("proc")
        for pid in self.host.listdir(proc):
            if not pid.isdigit():
                continue
            fddir = os.path.join(proc, pid, "fd")
            for fd in self.host.listdir(fddir):
                try:
                    target = os.readlink(os.path.join(fddir, fd))
                except OSError:
                    continue
                if target in nodes:
                    comm = self.host.read(os.path.join(proc, pid, "comm"),
                                          "?")
                    users.append("pid %s (%s) has %s open" % (pid, comm,
                                                              target))
                    break
        return users

    # ----- remembered drivers -----

    def _load_state(self):
        try:
            with open(self.state_path) as f:
                data = json.load(f)
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save_state(self):
        if self.host.dry_run:
            return
        try:
            os.makedirs(os.path.dirname(self.state_path), exist_ok=True)
            tmp = self.state_path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(self.state, f, indent=1, sort_keys=True)
                f.write("\n")
            os.replace(tmp, self.state_path)
        except OSError as e:
            self.warn("cannot record the previous driver in %s: %s"
                      % (self.state_path, errno_text(e)))

    def remember(self, dev):
        """Record the kernel driver (and interfaces) a device leaves, so
        --restore can bring it back. A move between user-space drivers keeps
        the first record."""
        if dev.driver and dev.driver not in USER_DRIVERS:
            self.state[dev.bdf] = {"driver": dev.driver,
                                   "interfaces": dev.ifnames}
            self._save_state()

    def forget(self, bdf):
        if self.state.pop(bdf, None) is not None:
            self._save_state()

    # ----- status -----

    def describe(self, dev, short=False):
        vendors = {d.vendor for d in self.devices().values()}
        name = self.pci_ids.device_name(dev.vendor, dev.device, vendors)
        line = "%s '%s %s'" % (dev.bdf, name, dev.device)
        if dev.driver:
            line += " drv=" + dev.driver
        if not short:
            line += " unused=" + ",".join(self.unused_drivers(dev))
        if dev.ifnames:
            line += " if=" + ",".join(dev.ifnames)
        if short:
            return line
        if dev.numa_node >= 0:
            line += " numa_node=%d" % dev.numa_node
        if dev.iommu_group:
            noiommu = self.group_is_noiommu(dev.iommu_group)
            line += " iommu_group=%s%s" % ("noiommu-" if noiommu else "",
                                           dev.iommu_group)
        return line

    def status(self, group):
        if group not in ("net", "all"):
            raise DevbindError(
                "unknown device group '%s': dpkit handles network devices "
                "(--status, or --status net)" % group)
        devs = [d for d in self.devices().values() if d.is_network]
        sections = [
            ("Network devices using DPDK-compatible driver",
             [d for d in devs if d.driver in USER_DRIVERS]),
            ("Network devices using kernel driver",
             [d for d in devs if d.driver and d.driver not in USER_DRIVERS]),
            ("Other Network devices", [d for d in devs if not d.driver]),
        ]
        lines = []
        for title, members in sections:
            if lines:
                lines.append("")
            lines += [title, "=" * len(title)]
            if not members:
                lines.append("<none>")
            for dev in sorted(members, key=lambda d: d.bdf):
                line = self.describe(dev)
                if self.activity(dev):
                    line += " *Active*"
                lines.append(line)
        if not self.iommu_groups():
            lines += ["", "No IOMMU: /sys/kernel/iommu_groups is empty, so "
                      "vfio-pci needs --noiommu-mode; see docs/binding.md."]
        for line in lines:
            self.say(line)

    # ----- argument checks -----

    def resolve_devices(self, args):
        """PCI addresses for the DEVICE arguments, in order, no repeats."""
        devs = self.devices()
        found = []
        for arg in args:
            bdfs = self._resolve_one(arg.strip(), devs)
            for bdf in bdfs:
                if bdf not in found:
                    found.append(bdf)
        return found

    def _resolve_one(self, arg, devs):
        low = arg.lower()
        if any(c in low for c in "*?["):
            pattern = low if low.count(":") == 2 else "0000:" + low
            hits = sorted(b for b in devs if fnmatch.fnmatchcase(b, pattern))
            if not hits:
                raise DevbindError("no PCI device matches '%s'" % arg)
            return hits
        if PCI_ADDR_RE.match(low):
            bdf = low if low.count(":") == 2 else "0000:" + low
            if bdf not in devs:
                raise DevbindError(
                    "no PCI device %s (nothing in %s); see --status"
                    % (bdf, self.host.pci("devices")))
            return [bdf]
        bdf = self._interface_device(arg)
        if bdf:
            return [bdf]
        for bdf, rec in sorted(self.state.items()):
            if arg in rec.get("interfaces", []) and bdf in devs:
                self.note("%s does not exist now; it was the interface of "
                          "%s (recorded when that left %s)"
                          % (arg, bdf, rec.get("driver")))
                return [bdf]
        raise DevbindError(
            "unknown device '%s': give a PCI address (0000:01:00.0 or "
            "01:00.0) or the name of a network interface; see --status"
            % arg)

    def _interface_device(self, name):
        if "/" in name or name in (".", ".."):
            return None
        link = self.host.path("sys/class/net", name, "device")
        if os.path.exists(link):
            # Walk up: a virtio NIC's netdev hangs from virtioN below the
            # PCI function.
            path = os.path.realpath(link)
            while path and path != "/":
                if PCI_ADDR_IN_PATH_RE.match(os.path.basename(path)):
                    return os.path.basename(path)
                path = os.path.dirname(path)
        for dev in self.devices().values():
            if name in dev.ifnames:
                return dev.bdf
        return None

    def resolve_driver(self, name):
        """The driver to bind to, or None for `none`; typos are fixed with
        a note, unknown names refused with the list of known ones."""
        if name == "none":
            return None
        loaded = self.loaded_drivers()
        known = list(USER_DRIVERS) + [d for d in loaded
                                      if d not in USER_DRIVERS]
        if name in known:
            return name
        for alt in (name.replace("_", "-"), name.replace("-", "_")):
            if alt in known:
                self.note("the driver is called '%s', not '%s': using %s"
                          % (alt, name, alt))
                return alt
        if name.replace("-", "_") in self.available_modules():
            return name
        low = name.lower()
        if PCI_ADDR_RE.match(low) or self._interface_device(name):
            raise DevbindError(
                "'%s' is a device, not a driver. Give the driver first: "
                "-b vfio-pci %s" % (name, name))
        raise DevbindError(
            "unknown driver '%s'. User-space drivers: %s. Kernel drivers "
            "loaded now: %s. For a kernel driver that is not loaded, load "
            "it first (modprobe %s)."
            % (name, ", ".join(USER_DRIVERS),
               ", ".join(d for d in loaded if d not in USER_DRIVERS)
               or "none", name))

    # ----- modules -----

    def _module_files(self):
        """module name -> file, for every .ko[.xz|.gz] below --module-dir."""
        files = {}
        if not self.module_dir:
            return files
        for top, _, names in os.walk(self.module_dir):
            for n in names:
                if re.search(r"\.ko(\.xz|\.gz)?$", n):
                    files.setdefault(self._module_name(n),
                                     os.path.join(top, n))
        return files

    def load_module(self, name, driver=False):
        """Load a module unless it (or the PCI driver of that name) is
        already there: insmod from --module-dir (dependencies first) when
        given, else modprobe."""
        if self.module_loaded(name, driver):
            return
        if self.module_dir:
            self._insmod(name.replace("-", "_"), self._module_files(), [])
            return
        modprobe = self.host.command("DPKIT_MODPROBE", "modprobe")
        if not modprobe:
            hint = ""
            if name == "igb_uio":
                hint = (" igb_uio is not part of Linux: build it from "
                        "dpdk-kmods, or use vfio-pci or uio_pci_generic.")
            raise DevbindError(
                "the kernel module %s is not loaded and there is no modprobe "
                "here: load it (insmod %s.ko, after its dependencies), or "
                "pass --module-dir DIR with the .ko files.%s"
                % (name, name.replace("-", "_"), hint))
        self.note("loading module %s" % name)
        try:
            self.host.run(modprobe + [name])
        except DevbindError as e:
            hint = ""
            if name == "igb_uio":
                hint = (" igb_uio is not part of Linux: build it from "
                        "dpdk-kmods, or use vfio-pci or uio_pci_generic.")
            raise DevbindError("cannot load %s: %s.%s" % (name, e, hint))

    def _insmod(self, mod, files, chain):
        if self.module_loaded(mod) or mod in chain:
            return
        path = files.get(mod)
        if not path:
            raise DevbindError(
                "module %s is not loaded and %s has no %s.ko"
                % (mod, self.module_dir, mod))
        for dep in self._module_depends(path):
            self._insmod(dep, files, chain + [mod])
        insmod = self.host.command("DPKIT_INSMOD", "insmod")
        if not insmod:
            raise DevbindError("there is no insmod to load %s" % path)
        self.note("loading module %s" % path)
        if path.endswith((".xz", ".gz")):
            self._insmod_compressed(insmod, path)
        else:
            self.host.run(insmod + [path])

    def _insmod_compressed(self, insmod, path):
        import tempfile
        if path.endswith(".xz"):
            import lzma as codec
        else:
            import gzip as codec
        with codec.open(path, "rb") as f:
            data = f.read()
        with tempfile.NamedTemporaryFile(prefix="dpkit-usertools-",
                                         suffix=".ko") as tmp:
            tmp.write(data)
            tmp.flush()
            self.host.run(insmod + [tmp.name])

    def _module_depends(self, path):
        """The depends= entry of a module's .modinfo section (what modprobe
        reads from modules.dep), found by its NUL-separated key."""
        try:
            if path.endswith(".xz"):
                import lzma
                with lzma.open(path, "rb") as f:
                    data = f.read()
            elif path.endswith(".gz"):
                import gzip
                with gzip.open(path, "rb") as f:
                    data = f.read()
            else:
                with open(path, "rb") as f:
                    data = f.read()
        except (OSError, EOFError, ValueError):
            return []
        m = re.search(rb"(?:^|\0)depends=([^\0]*)", data)
        if not m or not m.group(1):
            return []
        return [d.decode().replace("-", "_") for d in m.group(1).split(b",")
                if d]

    # ----- binding -----

    def noiommu_on(self):
        return self.host.read(self.host.path(
            "sys/module/vfio/parameters/enable_unsafe_noiommu_mode")) in (
                "Y", "1")

    def needs_noiommu(self, dev):
        """vfio-pci takes a device only if it has an IOMMU group, or when
        vfio's no-IOMMU mode is on. True: the mode must be turned on."""
        if dev.iommu_group or dev.driver == "vfio-pci" or self.noiommu_on():
            return False
        if not self.opts.noiommu_mode:
            if self.iommu_groups():
                why = "the IOMMU does not cover it"
            else:
                why = "the IOMMU is off (%s is empty)" % self.host.path(
                    "sys/kernel/iommu_groups")
            raise DevbindError(
                "cannot bind %s to vfio-pci: it has no IOMMU group, %s. Turn "
                "the IOMMU on (intel_iommu=on iommu=pt, or iommu=pt on AMD, "
                "on the kernel command line; see docs/binding.md), or use "
                "uio_pci_generic, or pass --noiommu-mode (vfio without DMA "
                "isolation)." % (dev.bdf, why))
        return True

    def check_group(self, dev, target, batch):
        """Before vfio-pci: list the other devices of the IOMMU group, and
        warn when one of them keeps the group unusable (a kernel driver that
        does DMA). Before a uio driver: warn when the IOMMU translates."""
        group = dev.iommu_group
        if not group:
            return
        gdir = self.host.path("sys/kernel/iommu_groups", group)
        if target in ("uio_pci_generic", "igb_uio"):
            gtype = self.host.read(os.path.join(gdir, "type"))
            if gtype in ("DMA", "DMA-FQ"):
                self.warn(
                    "the IOMMU translates DMA for %s (group %s, type %s): "
                    "with %s the NIC is given physical addresses and every "
                    "DMA will fault. Use vfio-pci, or boot with iommu=pt."
                    % (dev.bdf, group, gtype, target))
            return
        if target != "vfio-pci":
            return
        if self.opts.noiommu_mode:
            self.note("--noiommu-mode not needed for %s: it has IOMMU "
                      "group %s" % (dev.bdf, group))
        others = [b for b in self.host.listdir(os.path.join(gdir, "devices"))
                  if b != dev.bdf]
        if not others:
            return
        self.note("IOMMU group %s of %s also holds:" % (group, dev.bdf))
        blocking = []
        for name in others:
            if name in self.devices():
                other = self.devices()[name]
                line = self.describe(other, short=True)
                drv = other.driver
            else:
                drv = self.host.link_name(os.path.join(gdir, "devices", name,
                                                       "driver"))
                line = "%s (not a PCI device)%s" % (
                    name, " drv=" + drv if drv else "")
            if name in batch:
                line += " (being bound to vfio-pci too)"
            elif drv in GROUP_SAFE_DRIVERS or not drv:
                line += " (fine for vfio-pci)"
            else:
                blocking.append(name)
            print("    " + line, file=self.err)
        if blocking:
            one = len(blocking) == 1
            self.warn(
                "group %s is not viable until %s %s on vfio-pci or on no "
                "driver: dpkit cannot open %s before that. Bind %s too:\n"
                "    dpkit-devbind -b vfio-pci %s"
                % (group, ", ".join(blocking), "is" if one else "are",
                   self.group_node(group), "it" if one else "them",
                   " ".join(blocking)))

    def enable_noiommu(self):
        param = self.host.path(
            "sys/module/vfio/parameters/enable_unsafe_noiommu_mode")
        if not os.path.exists(param) and not self.host.dry_run:
            raise DevbindError(
                "this kernel has no vfio no-IOMMU mode: %s does not exist, "
                "the kernel was built without CONFIG_VFIO_NOIOMMU (Debian's "
                "kernels are). Use uio_pci_generic instead, or turn the "
                "IOMMU on." % param)
        if self.host.read(param) in ("Y", "1"):
            return
        self.warn("turning on vfio no-IOMMU mode: the NIC can DMA anywhere "
                  "in memory (no isolation), the kernel is tainted, and "
                  "dpkit must use physical addresses (IOVA=PA, as root).")
        self.host.write(param, "1")

    def refuse_reason(self, dev, target):
        """Why a device must not be touched without --force, or None."""
        active = self.activity(dev)
        if active:
            first = active[0][0]
            what = "; ".join("%s is up with %s" % (n, why)
                             for n, why in active)
            return ("%s is in use by the kernel: %s. Take the interface "
                    "down first (ip link set %s down), or pass --force to "
                    "take it anyway (this machine loses that network)."
                    % (dev.bdf, what, first))
        if dev.driver in BIFURCATED_DRIVERS:
            return ("%s is on %s, a bifurcated driver: user-space drivers "
                    "for these NICs work through the kernel driver, and "
                    "dpkit has no driver for them. Leave it on %s (or pass "
                    "--force)." % (dev.bdf, dev.driver, dev.driver))
        users = self.device_users(dev)
        if users:
            return ("%s is in use: %s. Stop that program first, or pass "
                    "--force (the unbind then waits until the device is "
                    "released)." % (dev.bdf, "; ".join(users)))
        return None

    def _unbind(self, dev):
        self.host.write(self.host.pci("drivers", dev.driver, "unbind"),
                        dev.bdf)

    def _attach(self, dev, target, override):
        """Ask the kernel to put the device (now without a driver) on
        target. driver_override makes target the only driver that may take
        it; drivers_probe runs the match. Without driver_override (kernels
        before 3.16) new_id adds the id to the driver, which also grabs any
        other unbound device with the same id, so it is removed again."""
        path = dev.dir
        if override is not None:
            self.host.write(os.path.join(path, "driver_override"), target)
            self.host.write(self.host.pci("drivers_probe"), dev.bdf)
            return
        drv = self.host.pci("drivers", target)
        if target in USER_DRIVERS:
            ids = "%s %s" % (dev.vendor, dev.device)
            self.note("no driver_override in this kernel: adding %s to %s "
                      "binds every unbound device with that id" % (
                          ids.replace(" ", ":"), target))
            try:
                self.host.write(os.path.join(drv, "new_id"), ids)
            except DevbindError as e:
                # EEXIST: the id was added before; the bind below decides.
                if "EEXIST" not in str(e):
                    raise
            if self.host.link_name(os.path.join(path, "driver")) != target:
                self.host.write(os.path.join(drv, "bind"), dev.bdf)
            if os.path.exists(os.path.join(drv, "remove_id")):
                try:
                    self.host.write(os.path.join(drv, "remove_id"), ids)
                except DevbindError as e:
                    self.warn(str(e))
            return
        self.host.write(os.path.join(drv, "bind"), dev.bdf)

    def bind_one(self, bdf, target, batch):
        """Move one device to target (None: no driver). Failures are
        reported and rolled back; the other devices still run."""
        dev = self.refresh(bdf)
        prev = dev.driver
        if dev.interfaces:
            self.note("%s: interface %s will disappear" % (
                bdf, ", ".join(dev.ifnames)))
        self.check_group(dev, target, batch)
        before = dev.override
        try:
            if prev:
                self._unbind(dev)
            if target is None:
                if before:
                    self.host.write(os.path.join(dev.dir, "driver_override"),
                                    "\n")
            else:
                self._attach(dev, target, before)
            now = self.host.link_name(os.path.join(dev.dir, "driver"))
            if now != target and not self.host.dry_run:
                hint = ""
                if target == "uio_pci_generic":
                    hint = (" uio_pci_generic refuses devices that cannot "
                            "mask INTx (SR-IOV VFs among them): use vfio-pci"
                            " for those.")
                raise DevbindError(
                    "%s did not take %s (the device is on %s now; the "
                    "kernel log says why: dmesg | tail).%s"
                    % (target, bdf, now or "no driver", hint))
            if target is not None and target not in USER_DRIVERS and \
                    before is not None:
                # Back on a kernel driver: clear the override so the device
                # follows normal driver matching again.
                self.host.write(os.path.join(dev.dir, "driver_override"),
                                "\n")
        except DevbindError as e:
            self.error(str(e))
            self.rollback(bdf, prev, before)
            return
        if target in USER_DRIVERS:
            self.remember(dev)
        elif target is not None:
            self.forget(bdf)
        elif prev not in USER_DRIVERS:
            self.remember(dev)
        self.report(bdf, prev, target)

    def rollback(self, bdf, prev, override):
        """Put a device whose bind failed back on the driver it had, with the
        driver_override it had."""
        if self.host.dry_run:
            return
        dev = self.refresh(bdf)
        try:
            if dev.driver and dev.driver != prev:
                self._unbind(dev)
            if prev and dev.driver != prev:
                self._attach(dev, prev, dev.override)
            now = self.refresh(bdf).override
            if now is not None and now != (override or ""):
                self.host.write(os.path.join(dev.dir, "driver_override"),
                                override or "\n")
        except DevbindError as e:
            print("  rollback: " + str(e), file=self.err)
        now = self.host.link_name(os.path.join(dev.dir, "driver"))
        if now == prev:
            print("  rolled back: %s is on %s again" % (
                bdf, prev or "no driver"), file=self.err)
        else:
            print("  rollback failed: %s is on %s, it was on %s. Bind it "
                  "by hand: dpkit-devbind -b %s %s"
                  % (bdf, now or "no driver", prev, prev, bdf),
                  file=self.err)

    def report(self, bdf, prev, target):
        if self.host.dry_run:
            return
        dev = self.refresh(bdf)
        was = " (was %s)" % prev if prev else ""
        if target is None:
            self.say("Unbound %s from %s" % (bdf, prev))
            return
        extra = ""
        if dev.ifnames:
            extra = ", if=" + ",".join(dev.ifnames)
        if target == "vfio-pci" and dev.iommu_group:
            node = self.group_node(dev.iommu_group)
            extra += ", IOMMU group %s: %s" % (dev.iommu_group, node)
            self._chown(node)
        self.say("Bound %s to %s%s%s" % (bdf, target, was, extra))

    def _chown(self, node):
        """-U/-G: hand the group's device node to a user, for running dpkit
        without root."""
        if self.opts.uid is None and self.opts.gid is None:
            return
        path = self.host.path(node.lstrip("/"))
        try:
            os.chown(path, self._id(self.opts.uid, "user"),
                     self._id(self.opts.gid, "group"))
        except OSError as e:
            self.error("cannot chown %s: %s" % (path, errno_text(e)))
        except DevbindError as e:
            self.error(str(e))

    @staticmethod
    def _id(value, kind):
        if value is None:
            return -1
        if value.isdigit():
            return int(value)
        try:
            if kind == "user":
                import pwd
                return pwd.getpwnam(value).pw_uid
            import grp
            return grp.getgrnam(value).gr_gid
        except KeyError:
            raise DevbindError("unknown %s '%s'" % (kind, value))

    def check_kernel_match(self, dev, target):
        """driver_override makes the kernel try any driver on any device:
        say so when the kernel driver asked for is not one of the device's."""
        if target is None or target in USER_DRIVERS:
            return
        mods = self.kernel_modules_for(dev)
        if mods and target.replace("-", "_") not in [
                m.replace("-", "_") for m in mods]:
            self.warn("%s is not a driver for %s (%s:%s; modules.alias names "
                      "%s): the kernel will try it anyway, and it may fail."
                      % (target, dev.bdf, dev.vendor, dev.device,
                         ", ".join(mods)))

    def previous_driver(self, dev):
        rec = self.state.get(dev.bdf)
        if rec and rec.get("driver"):
            return rec["driver"]
        mods = [m for m in self.kernel_modules_for(dev)
                if m.replace("_", "-") not in USER_DRIVERS]
        if mods:
            return mods[0]
        raise DevbindError(
            "do not know which kernel driver %s had (nothing recorded in %s, "
            "no modules.alias match): bind it by name, e.g. "
            "dpkit-devbind -b igb %s" % (dev.bdf, self.state_path, dev.bdf))

    def bind(self, driver_arg, device_args, restore=False):
        target = None if restore else self.resolve_driver(driver_arg)
        if not device_args:
            raise DevbindError("no device given: name one or more devices "
                               "after the driver (see --help)")
        bdfs = self.resolve_devices(device_args)
        plan = []
        for bdf in bdfs:
            dev = self.devices()[bdf]
            t = target
            if restore:
                t = self.resolve_driver(self.previous_driver(dev))
            if t is None and dev.driver is None:
                self.note("%s is not bound to any driver, skipping" % bdf)
                continue
            if dev.driver == t:
                self.note("%s is already bound to %s, skipping" % (bdf, t))
                continue
            reason = self.refuse_reason(dev, t)
            if reason and not self.opts.force:
                self.error(reason)
                continue
            if reason:
                self.warn("--force: " + reason.split(". ")[0])
            self.check_kernel_match(dev, t)
            plan.append((bdf, t))
        if not plan:
            return
        # A missing IOMMU stops the whole command before anything changes.
        noiommu = False
        for bdf, t in plan:
            if t == "vfio-pci" and self.needs_noiommu(self.devices()[bdf]):
                noiommu = True
        for t in sorted({t for _, t in plan if t},
                        key=lambda d: (d not in USER_DRIVERS, d)):
            self.load_module(t, driver=True)
            for extra in EXTRA_MODULES.get(t, ()):
                self.load_module(extra)
        if noiommu:
            self.enable_noiommu()
        batch = [b for b, t in plan if t == "vfio-pci"]
        for bdf, t in plan:
            self.bind_one(bdf, t, batch)


def parse_args(argv):
    prog = "dpkit-devbind"
    p = argparse.ArgumentParser(
        prog=prog,
        description="Show which driver owns each network PCI device, and "
        "move devices between\ntheir kernel driver and a user-space driver "
        "(vfio-pci, uio_pci_generic,\nigb_uio) for dpkit.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-s", "--status", nargs="?", const="net", metavar="GROUP",
                   help="show network devices: on a user-space driver, on "
                   "a kernel driver, on none (GROUP: net)")
    p.add_argument("--status-dev", metavar="GROUP",
                   help="the same as --status GROUP")
    act = p.add_mutually_exclusive_group()
    act.add_argument("-b", "--bind", metavar="DRIVER",
                     help="bind the devices to DRIVER (vfio-pci, "
                     "uio_pci_generic, igb_uio, a kernel driver, or none)")
    act.add_argument("-u", "--unbind", action="store_true",
                     help="unbind the devices from their driver")
    p.add_argument("--restore", action="store_true",
                   help="with -u (or alone): bind the devices back to the "
                   "kernel driver they had before")
    p.add_argument("--force", action="store_true",
                   help="also take devices that are in use: an interface "
                   "with routes or addresses, an open /dev/vfio node")
    p.add_argument("--noiommu-mode", action="store_true",
                   help="without an IOMMU, turn on vfio's unsafe no-IOMMU "
                   "mode so vfio-pci can be used (no DMA isolation)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the sysfs writes and commands, change nothing")
    p.add_argument("-U", "--uid", metavar="USER",
                   help="after a vfio-pci bind, chown /dev/vfio/N to USER")
    p.add_argument("-G", "--gid", metavar="GROUP",
                   help="after a vfio-pci bind, chgrp /dev/vfio/N to GROUP")
    p.add_argument("--sysfs-root", metavar="DIR",
                   help="read sys/, proc/, dev/ and run/ below DIR instead "
                   "of / (tests use a fake tree)")
    p.add_argument("--module-dir", metavar="DIR",
                   help="load missing modules with insmod from the .ko files "
                   "below DIR (dependencies from each .ko's modinfo), "
                   "instead of modprobe")
    p.add_argument("devices", nargs="*", metavar="DEVICE",
                   help="PCI address, glob of addresses, or interface name")
    return p.parse_args(argv)


def main(argv=None, env=None, writer=sysfs_write, out=None, err=None):
    """Run the tool; returns the exit status. Tests call this with a fake
    tree, a writer that plays the kernel, and their own streams."""
    out = out or sys.stdout
    err = err or sys.stderr
    env = os.environ if env is None else env
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    tool = Devbind(opts, env, writer, out, err)
    try:
        status = opts.status or opts.status_dev
        if opts.bind or opts.unbind or opts.restore:
            if opts.restore and opts.bind:
                raise DevbindError("--restore picks the driver itself: use "
                                   "it with -u, not with -b")
            if opts.restore:
                tool.bind(None, opts.devices, restore=True)
            else:
                tool.bind(opts.bind if opts.bind else "none", opts.devices)
        elif opts.devices:
            raise DevbindError(
                "what should happen to %s? Give -b DRIVER to bind, -u to "
                "unbind, or --status to look" % " ".join(opts.devices))
        elif not status:
            status = "net"
        if status:
            if opts.bind or opts.unbind or opts.restore:
                tool.say("")
            tool.rescan()
            tool.status(status)
    except DevbindError as e:
        print("Error: %s" % e, file=err)
        return 1
    return 1 if tool.failed else 0


if __name__ == "__main__":
    sys.exit(main())

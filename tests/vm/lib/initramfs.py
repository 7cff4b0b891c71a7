# SPDX-License-Identifier: BSD-3-Clause
"""Guest initramfs: busybox, kernel modules, dpkit programs, python3.

Everything the guest runs is copied into a staging tree and packed as a
gzip'd newc cpio archive:

- busybox (busybox-static) and a link per applet;
- the kernel modules asked for plus everything they depend on, resolved
  from the `depends=` entry of each module's .modinfo ELF section (Debian
  ships no modules.dep in the image package), decompressed, with a
  modules.dep busybox modprobe understands and a load order for insmod;
- the statically linked dpkit test programs;
- the guest scripts (init, lib.sh, scenarios);
- optionally a python3 that can run given scripts (dpkit-devbind.py): the
  host's /usr/bin/python3, its shared libraries, and the stdlib modules
  those scripts import, found with modulefinder.
"""

import gzip
import hashlib
import lzma
import os
import shutil
import struct
import subprocess
import zlib

BUSYBOX = "/bin/busybox"


class InitramfsError(Exception):
    pass


# ---- kernel modules -----------------------------------------------------------


def _decompress(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".gz"):
        return zlib.decompress(data, 16 + zlib.MAX_WBITS)
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dc", path], check=True,
                              capture_output=True).stdout
    return data


def modinfo(elf):
    """key -> [values] from the .modinfo section of an ELF64 LE module."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise InitramfsError("not an ELF64 little-endian module")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)

    def section(i):
        name, _type, _flags, _addr, off, size = struct.unpack_from(
            "<IIQQQQ", elf, shoff + i * shentsize)
        return name, off, size

    _, stroff, _ = section(shstrndx)
    info = {}
    for i in range(shnum):
        name, off, size = section(i)
        end = elf.index(b"\0", stroff + name)
        if elf[stroff + name:end] != b".modinfo":
            continue
        for entry in elf[off:off + size].split(b"\0"):
            if b"=" in entry:
                k, v = entry.decode("utf-8", "replace").split("=", 1)
                info.setdefault(k, []).append(v)
    return info


def _modname(filename):
    base = os.path.basename(filename)
    for ext in (".ko.xz", ".ko.gz", ".ko.zst", ".ko"):
        if base.endswith(ext):
            return base[:-len(ext)].replace("-", "_")
    return None


def module_closure(moddir, wanted):
    """[(name, relpath, elf bytes)] of @wanted and their dependencies,
    dependencies first. Built-in modules are left out."""
    files = {}
    for dirpath, _, names in os.walk(os.path.join(moddir, "kernel")):
        for n in names:
            m = _modname(n)
            if m:
                files[m] = os.path.join(dirpath, n)
    builtin = set()
    bpath = os.path.join(moddir, "modules.builtin")
    if os.path.exists(bpath):
        with open(bpath) as f:
            builtin = {_modname(line.strip()) for line in f}
    order, seen, data = [], set(), {}

    def visit(name, chain):
        name = name.replace("-", "_")
        if name in seen or name in builtin:
            return
        if name in chain:
            raise InitramfsError("module dependency loop: %s" % chain)
        if name not in files:
            raise InitramfsError("module %s not found under %s" % (name, moddir))
        elf = _decompress(files[name])
        deps = modinfo(elf).get("depends", [""])[0]
        for d in filter(None, deps.split(",")):
            visit(d, chain + [name])
        seen.add(name)
        rel = os.path.relpath(files[name], moddir)
        for ext in (".xz", ".gz", ".zst"):
            if rel.endswith(ext):
                rel = rel[:-len(ext)]
        data[name] = (rel, elf, deps)
        order.append(name)

    for w in wanted:
        visit(w, [])
    return [(n, data[n][0], data[n][1], data[n][2]) for n in order]


# ---- python3 ------------------------------------------------------------------

_PY_FINDER = r"""
import modulefinder, sys, os, sysconfig
stdlib = sysconfig.get_paths()["stdlib"]
dynload = os.path.join(stdlib, "lib-dynload")
files = set()
# Modules only reached through paths a command-line tool never takes
# (mail, web, docs, tests, decimal's pure-python twin).
mf = modulefinder.ModuleFinder(excludes=[
    "tkinter", "test", "unittest", "pydoc", "idlelib", "doctest", "email",
    "http", "urllib", "xml", "xmlrpc", "asyncio", "multiprocessing",
    "concurrent", "ssl", "_pydecimal", "decimal", "lib2to3", "distutils",
    "ensurepip", "venv", "sqlite3", "ctypes", "curses", "pydoc_data"])
for mod in ["site", "encodings", "encodings.utf_8", "encodings.aliases",
            "encodings.latin_1", "encodings.ascii"]:
    mf.import_hook(mod)
for script in sys.argv[1:]:
    mf.run_script(script)
for m in mf.modules.values():
    f = m.__file__
    if f and (f.startswith(stdlib + "/") or f.startswith(dynload + "/")):
        files.add(f)
# The guest runs in the C/UTF-8 locale: these codecs are enough.
for n in ("__init__", "aliases", "utf_8", "ascii", "latin_1", "cp437"):
    files.add(os.path.join(stdlib, "encodings", n + ".py"))
for f in sorted(files):
    print(f)
"""


def python_files(python, scripts):
    """Host paths a python3 needs to run @scripts: the interpreter, its
    shared libraries, and the stdlib modules (with their .pyc)."""
    out = subprocess.run([python, "-c", _PY_FINDER] + list(scripts), check=True,
                         capture_output=True, text=True).stdout.split()
    files = set(out)
    for f in list(files):
        if f.endswith(".py"):
            d, b = os.path.split(f)
            pyc = os.path.join(d, "__pycache__", b[:-3] + ".cpython-%d%d.pyc" %
                               tuple(_py_version(python)))
            if os.path.exists(pyc):
                files.add(pyc)
    real = os.path.realpath(python)
    files.add(real)
    files |= set(shared_libs(real))
    for f in list(files):
        if f.endswith(".so") or ".so." in f:
            files |= set(shared_libs(f))
    # site.py looks for this landmark to find the stdlib.
    stdlib = os.path.dirname([f for f in files if f.endswith("/os.py")][0])
    files.add(os.path.join(stdlib, "os.py"))
    return real, sorted(files)


def _py_version(python):
    out = subprocess.run([python, "-c", "import sys;print(sys.version_info[0],"
                          "sys.version_info[1])"], check=True, capture_output=True,
                         text=True).stdout.split()
    return int(out[0]), int(out[1])


def shared_libs(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        parts = line.split()
        if "=>" in parts and parts[parts.index("=>") + 1].startswith("/"):
            libs.append(parts[parts.index("=>") + 1])
        elif parts and parts[0].startswith("/"):
            libs.append(parts[0])
    return libs


# ---- staging and packing --------------------------------------------------------


class Initramfs:
    def __init__(self, stage):
        self.stage = stage
        if os.path.exists(stage):
            shutil.rmtree(stage)
        os.makedirs(stage)

    def path(self, dst):
        return os.path.join(self.stage, dst.lstrip("/"))

    def mkdir(self, dst):
        os.makedirs(self.path(dst), exist_ok=True)

    def add_file(self, src, dst, mode=None):
        p = self.path(dst)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        shutil.copyfile(src, p)
        shutil.copystat(src, p)
        if mode is not None:
            os.chmod(p, mode)

    def add_bytes(self, data, dst, mode=0o644):
        p = self.path(dst)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, mode)

    def symlink(self, target, dst):
        p = self.path(dst)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if os.path.lexists(p):
            os.unlink(p)
        os.symlink(target, p)

    def add_busybox(self):
        if not os.path.exists(BUSYBOX):
            raise InitramfsError("%s missing: apt-get install busybox-static" % BUSYBOX)
        self.add_file(BUSYBOX, "/bin/busybox", 0o755)
        applets = subprocess.run([BUSYBOX, "--list"], check=True, capture_output=True,
                                 text=True).stdout.split()
        for a in applets:
            if a != "busybox":
                self.symlink("busybox", "/bin/" + a)
        for d in ("/sbin", "/usr/bin", "/usr/sbin", "/proc", "/sys", "/dev",
                  "/tmp", "/run", "/root", "/etc", "/var"):
            self.mkdir(d)
        for a in ("modprobe", "insmod", "rmmod", "depmod", "poweroff", "reboot",
                  "halt", "lsmod", "ip", "ifconfig"):
            self.symlink("/bin/busybox", "/sbin/" + a)
        self.symlink("/bin/busybox", "/usr/bin/env")

    def add_modules(self, kernel, wanted):
        mods = module_closure(kernel.modules, wanted)
        base = "/lib/modules/%s/" % kernel.version
        dep_lines, order = [], []
        rel_of = {n: rel for n, rel, _, _ in mods}
        direct = {n: [d.replace("-", "_") for d in filter(None, deps.split(","))
                      if d.replace("-", "_") in rel_of] for n, _, _, deps in mods}
        position = {n: i for i, (n, _, _, _) in enumerate(mods)}

        def closure(n, acc):
            for d in direct[n]:
                if d not in acc:
                    acc.add(d)
                    closure(d, acc)
            return acc

        for name, rel, elf, deps in mods:
            self.add_bytes(elf, base + rel)
            # kmod's convention, which busybox modprobe follows: every
            # module it needs, transitively, the one to load first last.
            need = sorted(closure(name, set()), key=lambda d: -position[d])
            dep_lines.append("%s: %s" % (rel, " ".join(rel_of[d] for d in need)))
            order.append(rel)
        self.add_bytes(("\n".join(dep_lines) + "\n").encode(), base + "modules.dep")
        self.add_bytes(b"", base + "modules.alias")
        for f in ("modules.builtin", "modules.builtin.modinfo", "modules.order"):
            src = os.path.join(kernel.modules, f)
            if os.path.exists(src):
                self.add_file(src, base + f)
        return [n for n, _, _, _ in mods]

    def add_python(self, python, scripts):
        real, files = python_files(python, scripts)
        for f in files:
            self.add_file(f, f)
        self.symlink(os.path.basename(real), "/usr/bin/python3")
        # The dynamic loader is where binaries expect it.
        if not os.path.exists(self.path("/lib64/ld-linux-x86-64.so.2")):
            for f in files:
                if os.path.basename(f).startswith("ld-linux"):
                    self.add_file(f, "/lib64/ld-linux-x86-64.so.2", 0o755)
        return len(files)

    def add_pci_ids(self, vendors, src="/usr/share/misc/pci.ids"):
        """The pci.ids entries of @vendors (hex, e.g. "8086"), so that
        tools show device names; a missing database is skipped."""
        if not os.path.exists(src):
            return 0
        keep, out = False, []
        with open(src, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line[:1] not in ("\t", "#", "\n") and line[:1]:
                    keep = line[:4].lower() in vendors
                if keep:
                    out.append(line)
        self.add_bytes("".join(out).encode(), "/usr/share/misc/pci.ids")
        return len(out)

    def pack(self, out):
        """newc cpio, gzip level 1 (the guest unpacks it under TCG)."""
        names = []
        for dirpath, dirs, files in os.walk(self.stage):
            dirs.sort()
            rel = os.path.relpath(dirpath, self.stage)
            if rel != ".":
                names.append(rel)
            for f in sorted(files):
                names.append(os.path.normpath(os.path.join(rel, f)))
        cpio = subprocess.run(["cpio", "-o", "-H", "newc", "-R", "0:0", "--quiet"],
                              input="\n".join(names).encode(), cwd=self.stage,
                              check=True, capture_output=True).stdout
        tmp = out + ".tmp"
        with gzip.open(tmp, "wb", compresslevel=1) as f:
            f.write(cpio)
        os.replace(tmp, out)
        return len(cpio)


def tree_digest(paths):
    """Digest of the content of files and directories, to know when the
    cached initramfs is stale."""
    h = hashlib.sha256()
    for p in sorted(paths):
        if os.path.isdir(p):
            for dirpath, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    fp = os.path.join(dirpath, f)
                    h.update(fp.encode())
                    with open(fp, "rb") as fh:
                        h.update(fh.read())
        elif os.path.exists(p):
            h.update(p.encode())
            with open(p, "rb") as fh:
                h.update(fh.read())
        else:
            h.update(b"missing:" + p.encode())
    return h.hexdigest()

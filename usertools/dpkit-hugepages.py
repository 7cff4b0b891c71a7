#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpkit-hugepages: show, reserve and release hugepages per page size and
NUMA node, and mount or unmount hugetlbfs.

Reads and writes /sys/kernel/mm/hugepages, /sys/devices/system/node and
/proc/mounts directly (Python 3 standard library only). The only external
commands are mount and umount.

Pages are never given back unless asked with --clear: --reserve and --setup
only raise a pool, so running them on a machine where another program uses
hugepages cannot take its pages away. When the kernel grants fewer pages
than asked (fragmented memory, 1G pages after boot), the tool says how many
it got, where, and what to do about it, and exits with status 1.
"""

import argparse
import errno
import os
import re
import shlex
import shutil
import subprocess
import sys

UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}

EXAMPLES = """\
SIZE is an amount with a unit: 512M, 1G, 2048K (also 1GB, 1GiB).

examples:
  dpkit-hugepages                            what is reserved, free, mounted
  dpkit-hugepages --setup 1G                 1G of default-size pages over
                                             the NUMA nodes, and a mount
  dpkit-hugepages --reserve 512M --node 1    512M on node 1
  dpkit-hugepages --reserve 4G --pagesize 1G four 1G pages
  dpkit-hugepages --mount /mnt/huge1G --pagesize 1G
  dpkit-hugepages --clear --reserve 256M     lower the pool (only --clear
                                             gives pages back)
  dpkit-hugepages --dry-run --setup 1G       print the writes, change nothing

Environment: DPKIT_SYSFS_ROOT (as --sysfs-root), DPKIT_MOUNT and
DPKIT_UMOUNT (the commands used to mount and unmount). See docs/hugepages.md.
"""


class HugeError(Exception):
    """A user-facing error: what went wrong and how to fix it."""


def errno_text(err):
    return "%s (%s)" % (os.strerror(err.errno),
                        errno.errorcode.get(err.errno, str(err.errno)))


def sysfs_write(path, data):
    """Write one value as `echo` would; the kernel's answer to a bad value
    comes back from write()."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        os.write(fd, data.encode())
    finally:
        os.close(fd)


def parse_amount(text, what="amount"):
    """'512M' -> bytes. A bare number is refused: pages or bytes?"""
    m = re.match(r"^\s*(\d+)\s*([KMGT])(i?B)?\s*$", text, re.IGNORECASE)
    if not m:
        raise HugeError("bad %s '%s': give a number with a unit K, M or G "
                        "(512M, 1G)" % (what, text))
    return int(m.group(1)) * UNITS[m.group(2).upper()]


def fmt_size(nbytes):
    """Bytes in the largest unit that divides them: 2M, 1G, 1536M, 64K."""
    if nbytes == 0:
        return "0"
    for unit in ("T", "G", "M", "K"):
        if nbytes % UNITS[unit] == 0:
            return "%d%s" % (nbytes // UNITS[unit], unit)
    return "%dB" % nbytes


def pages_of(count, size):
    return "%d x %s (%s)" % (count, fmt_size(size), fmt_size(count * size))


class Pool:
    """One hugepage pool: a page size, on one node (or global: node None)."""

    def __init__(self, tool, size, node, directory):
        self.tool = tool
        self.size = size
        self.node = node
        self.dir = directory

    def read(self, name):
        return self.tool.read_int(os.path.join(self.dir, name), 0)

    @property
    def nr_file(self):
        return os.path.join(self.dir, "nr_hugepages")

    @property
    def where(self):
        return "node %d" % self.node if self.node is not None else "the host"


class Hugepages:
    def __init__(self, opts, env, writer, out, err):
        self.opts = opts
        self.env = env
        self.root = opts.sysfs_root or env.get("DPKIT_SYSFS_ROOT") or "/"
        self.writer = writer
        self.dry_run = opts.dry_run
        self.out = out
        self.err = err
        self.short = False

    # ----- plumbing -----

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def say(self, msg):
        print(msg, file=self.out)

    def note(self, msg):
        print("Note: " + msg, file=self.err)

    def warn(self, msg):
        print("Warning: " + msg, file=self.err)

    def read_int(self, path, default=None):
        try:
            with open(path) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return default

    def write(self, path, value):
        if self.dry_run:
            self.say("would write '%s' to %s" % (value, path))
            return
        try:
            self.writer(path, value)
        except OSError as e:
            hint = ""
            if e.errno in (errno.EACCES, errno.EPERM):
                hint = " Run as root."
            raise HugeError("writing '%s' to %s failed: %s.%s"
                            % (value, path, errno_text(e), hint))

    def run(self, env_name, default, args):
        if env_name in self.env:
            cmd = shlex.split(self.env[env_name])
        else:
            found = shutil.which(default) or shutil.which(
                default, path="/sbin:/usr/sbin:/bin:/usr/bin")
            cmd = [found] if found else []
        if not cmd:
            raise HugeError("there is no %s command here: run it by hand: "
                            "%s %s" % (default, default, " ".join(args)))
        argv = cmd + args
        if self.dry_run:
            self.say("would run: %s" % " ".join(argv))
            return
        res = subprocess.run(argv, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT,
                             universal_newlines=True)
        if res.returncode != 0:
            raise HugeError("`%s` failed (exit %d): %s"
                            % (" ".join(argv), res.returncode,
                               res.stdout.strip() or "no output"))

    # ----- discovery -----

    def sizes(self):
        """Page sizes in bytes the kernel offers, smallest first."""
        found = []
        base = self.path("sys/kernel/mm/hugepages")
        for name in self.listdir(base):
            m = re.match(r"^hugepages-(\d+)kB$", name)
            if m:
                found.append(int(m.group(1)) * 1024)
        return sorted(found)

    @staticmethod
    def listdir(path):
        try:
            return os.listdir(path)
        except OSError:
            return []

    def nodes(self):
        """NUMA nodes with hugepage pools (empty: a kernel without NUMA)."""
        base = self.path("sys/devices/system/node")
        found = []
        for name in self.listdir(base):
            m = re.match(r"^node(\d+)$", name)
            if m and os.path.isdir(os.path.join(base, name, "hugepages")):
                found.append(int(m.group(1)))
        return sorted(found)

    def nodes_with_memory(self):
        """Nodes a spread reservation uses: those with memory (a CPU-only
        node cannot hold pages)."""
        nodes = self.nodes()
        text = None
        try:
            with open(self.path("sys/devices/system/node/has_memory")) as f:
                text = f.read().strip()
        except OSError:
            return nodes
        with_mem = set()
        for part in text.split(","):
            if "-" in part:
                lo, hi = part.split("-")
                with_mem.update(range(int(lo), int(hi) + 1))
            elif part:
                with_mem.add(int(part))
        return [n for n in nodes if n in with_mem] or nodes

    def pool(self, size, node):
        name = "hugepages-%dkB" % (size // 1024)
        if node is None:
            d = self.path("sys/kernel/mm/hugepages", name)
        else:
            d = self.path("sys/devices/system/node", "node%d" % node,
                          "hugepages", name)
        return Pool(self, size, node, d)

    def pools(self, size):
        """The pools of one size: per node, or the global one."""
        nodes = self.nodes()
        if not nodes:
            return [self.pool(size, None)]
        return [self.pool(size, n) for n in nodes]

    def default_size(self):
        try:
            with open(self.path("proc/meminfo")) as f:
                for line in f:
                    if line.startswith("Hugepagesize:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
        sizes = self.sizes()
        if 2 << 20 in sizes:
            return 2 << 20
        return sizes[0] if sizes else None

    def mounts(self):
        """[(mount point as seen from /, page size in bytes)] of hugetlbfs."""
        found = []
        try:
            with open(self.path("proc/mounts")) as f:
                lines = f.readlines()
        except OSError:
            return found
        for line in lines:
            p = line.split()
            if len(p) < 4 or p[2] != "hugetlbfs":
                continue
            # /proc/mounts escapes spaces and the like as \ooo.
            point = re.sub(r"\\([0-7]{3})",
                           lambda m: chr(int(m.group(1), 8)), p[1])
            size = self.default_size()
            for opt in p[3].split(","):
                if opt.startswith("pagesize="):
                    size = parse_amount(opt[9:], "pagesize")
            found.append((point, size))
        return found

    # ----- checks on arguments -----

    def no_hugepages(self):
        return HugeError("this kernel offers no hugepages (%s is empty or "
                         "missing): it needs CONFIG_HUGETLBFS"
                         % self.path("sys/kernel/mm/hugepages"))

    def page_size(self):
        sizes = self.sizes()
        if not sizes:
            raise self.no_hugepages()
        if self.opts.pagesize:
            size = parse_amount(self.opts.pagesize, "page size")
            if size not in sizes:
                raise HugeError("no %s hugepages on this machine: page sizes "
                                "here are %s"
                                % (fmt_size(size),
                                   ", ".join(fmt_size(s) for s in sizes)))
            return size
        return self.default_size()

    def target_nodes(self):
        if self.opts.node is None:
            return self.nodes_with_memory() or [None]
        nodes = self.nodes()
        if not nodes and self.opts.node == 0:
            return [None]           # no NUMA: node 0 is the whole machine
        if self.opts.node not in nodes:
            raise HugeError("no NUMA node %d: nodes here are %s"
                            % (self.opts.node,
                               ", ".join(str(n) for n in nodes) or
                               "none (no NUMA): leave --node out"))
        return [self.opts.node]

    # ----- actions -----

    def show(self):
        default = self.default_size()
        rows = [("Node", "Size", "Total", "Free", "Surplus", "Memory")]
        total_pages = 0
        for size in self.sizes():
            for pool in self.pools(size):
                nr = pool.read("nr_hugepages")
                total_pages += nr
                rows.append((
                    str(pool.node) if pool.node is not None else "-",
                    fmt_size(size), str(nr), str(pool.read("free_hugepages")),
                    str(pool.read("surplus_hugepages")), fmt_size(nr * size)))
        if len(rows) == 1:
            raise self.no_hugepages()
        self.say("Hugepages per NUMA node (default page size %s):"
                 % fmt_size(default))
        for r in rows:
            self.say("%-5s %-5s %7s %7s %8s %8s" % r)
        self.say("")
        mounts = self.mounts()
        if mounts:
            self.say("Hugetlbfs mounts:")
            for point, size in mounts:
                self.say("%s pagesize=%s" % (point, fmt_size(size)))
        else:
            self.say("No hugetlbfs mount: dpkit needs one unless it runs "
                     "with --in-memory (dpkit-hugepages --mount).")
        if total_pages == 0:
            self.say("No hugepages reserved: dpkit-hugepages --setup 1G "
                     "reserves some.")

    def reserve(self, amount_text):
        size = self.page_size()
        amount = parse_amount(amount_text)
        nodes = self.target_nodes()
        pages = -(-amount // size)
        if pages * size != amount:
            self.note("%s is not a whole number of %s pages: reserving %s"
                      % (fmt_size(amount), fmt_size(size),
                         pages_of(pages, size)))
        share = [pages // len(nodes)] * len(nodes)
        for i in range(pages % len(nodes)):
            share[i] += 1
        asked = got = 0
        short = []
        for node, want in zip(nodes, share):
            pool = self.pool(size, node)
            have = pool.read("nr_hugepages")
            if have >= want:
                if want:
                    self.say("%s already has %s, at least the %d asked: left "
                             "as it is (--clear first to lower it)"
                             % (pool.where.capitalize(),
                                pages_of(have, size), want))
                asked += want
                got += want
                continue
            self.write(pool.nr_file, str(want))
            if self.dry_run:
                continue
            now = pool.read("nr_hugepages")
            asked += want
            got += min(now, want)
            if now < want:
                short.append((pool, want, now))
            else:
                self.say("Reserved %s on %s" % (pages_of(now, size),
                                                pool.where))
        for pool, want, now in short:
            self.warn("%s: asked for %s, the kernel gave %s: not enough free "
                      "contiguous memory there."
                      % (pool.where, pages_of(want, size),
                         pages_of(now, size)))
        if short:
            self.short = True
            self.warn("short reservation: %d of %d pages of %s obtained "
                      "(%s of %s)." % (got, asked, fmt_size(size),
                                       fmt_size(got * size),
                                       fmt_size(asked * size)))
            if size >= UNITS["G"]:
                print("  %s pages can rarely be found once the machine runs: "
                      "reserve them at boot, on the kernel command line: "
                      "hugepagesz=%s hugepages=%d"
                      % (fmt_size(size), fmt_size(size), asked),
                      file=self.err)
            else:
                print("  Free and compact memory, then run this again: sync; "
                      "echo 3 > /proc/sys/vm/drop_caches; echo 1 > "
                      "/proc/sys/vm/compact_memory", file=self.err)
                print("  or reserve them at boot: hugepages=%d on the kernel "
                      "command line." % asked, file=self.err)
        return size

    def clear(self):
        sizes = [self.page_size()] if self.opts.pagesize else self.sizes()
        nodes = None if self.opts.node is None else self.target_nodes()
        for size in sizes:
            pools = ([self.pool(size, n) for n in nodes] if nodes
                     else self.pools(size))
            for pool in pools:
                if pool.read("nr_hugepages") == 0:
                    continue
                self.write(pool.nr_file, "0")
                if self.dry_run:
                    continue
                left = pool.read("nr_hugepages")
                if left:
                    self.warn("%s: %s still in use: they are freed when the "
                              "program holding them exits (or its files in "
                              "the hugetlbfs mount are removed)"
                              % (pool.where, pages_of(left, size)))
                else:
                    self.say("Cleared %s pages on %s" % (fmt_size(size),
                                                         pool.where))

    def mount_dir_for(self, size):
        """/dev/hugepages, or /dev/hugepages<size> when that one is taken."""
        taken = {p for p, _ in self.mounts()}
        if "/dev/hugepages" not in taken:
            return "/dev/hugepages"
        return "/dev/hugepages" + fmt_size(size)

    def mount(self, directory, size, only_if_missing=False):
        mounts = self.mounts()
        same = [p for p, s in mounts if s == size]
        if only_if_missing and same:
            return
        if directory is None:
            if same:
                self.say("hugetlbfs for %s pages is already mounted on %s"
                         % (fmt_size(size), same[0]))
                return
            directory = self.mount_dir_for(size)
        for p, s in mounts:
            if p == directory:
                if s == size:
                    self.say("%s is already a hugetlbfs mount for %s pages"
                             % (directory, fmt_size(size)))
                    return
                raise HugeError("%s is already a hugetlbfs mount for %s "
                                "pages: unmount it first, or mount %s pages "
                                "elsewhere" % (directory, fmt_size(s),
                                               fmt_size(size)))
        real = self.path(directory.lstrip("/"))
        if not os.path.isdir(real):
            if self.dry_run:
                self.say("would create directory %s" % real)
            else:
                os.makedirs(real, exist_ok=True)
        options = "pagesize=%s" % fmt_size(size)
        if self.opts.user:
            uid, gid = self.user_ids(self.opts.user)
            options += ",uid=%d,gid=%d,mode=0770" % (uid, gid)
        self.run("DPKIT_MOUNT", "mount",
                 ["-t", "hugetlbfs", "-o", options, "nodev", real])
        if not self.dry_run:
            self.say("Mounted hugetlbfs on %s (%s)" % (directory, options))

    @staticmethod
    def user_ids(user):
        import pwd
        try:
            pw = pwd.getpwuid(int(user)) if user.isdigit() else \
                pwd.getpwnam(user)
        except KeyError:
            if user.isdigit():
                return int(user), int(user)
            raise HugeError("unknown user '%s'" % user)
        return pw.pw_uid, pw.pw_gid

    def unmount(self, directory):
        mounts = self.mounts()
        if directory is not None:
            if directory not in [p for p, _ in mounts]:
                raise HugeError("%s is not a hugetlbfs mount (see --show)"
                                % directory)
            targets = [directory]
        else:
            size = self.page_size() if self.opts.pagesize else None
            targets = [p for p, s in mounts if size is None or s == size]
            if not targets:
                self.say("No hugetlbfs mount to unmount")
                return
        for point in targets:
            real = self.path(point.lstrip("/"))
            files = len(self.listdir(real))
            if files:
                self.note("%s holds %d file%s (hugepages of a running dpkit "
                          "program, or left by one that crashed): unmounting "
                          "frees them, or fails if they are mapped"
                          % (point, files, "" if files == 1 else "s"))
            self.run("DPKIT_UMOUNT", "umount", [real])
            if not self.dry_run:
                self.say("Unmounted %s" % point)


def parse_args(argv):
    prog = "dpkit-hugepages"
    p = argparse.ArgumentParser(
        prog=prog,
        description="Show, reserve and release hugepages per page size and "
        "NUMA node, and mount\nhugetlbfs, for dpkit. With no option: --show.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-s", "--show", action="store_true",
                   help="pages per size and node (total, free, surplus) and "
                   "the hugetlbfs mounts; done last when other options ask "
                   "for changes")
    act = p.add_mutually_exclusive_group()
    act.add_argument("--setup", metavar="SIZE",
                     help="reserve SIZE (as --reserve) and mount hugetlbfs "
                     "for that page size if no mount has it")
    act.add_argument("-r", "--reserve", metavar="SIZE",
                     help="make at least SIZE of hugepages available, spread "
                     "over the NUMA nodes or on --node")
    p.add_argument("-p", "--pagesize", metavar="SIZE",
                   help="page size (2M, 1G); default: the kernel's default "
                   "hugepage size")
    p.add_argument("-n", "--node", type=int, metavar="N",
                   help="only NUMA node N")
    p.add_argument("-m", "--mount", nargs="?", const="", metavar="DIR",
                   help="mount hugetlbfs for the page size on DIR (default "
                   "/dev/hugepages)")
    p.add_argument("-u", "--unmount", nargs="?", const="", metavar="DIR",
                   help="unmount DIR, or every hugetlbfs mount (of "
                   "--pagesize, if given)")
    p.add_argument("-c", "--clear", action="store_true",
                   help="give the reserved pages back (all sizes and nodes, "
                   "or --pagesize / --node); done before a reservation")
    p.add_argument("--user", metavar="USER",
                   help="with --mount/--setup: let USER use the mount "
                   "(uid=, gid=, mode=0770), to run dpkit without root")
    p.add_argument("--dry-run", action="store_true",
                   help="print the writes and commands, change nothing")
    p.add_argument("--sysfs-root", metavar="DIR",
                   help="read sys/ and proc/ below DIR instead of / (tests)")
    return p.parse_args(argv)


def main(argv=None, env=None, writer=sysfs_write, out=None, err=None):
    """Run the tool; returns the exit status (1 on an error or a short
    reservation)."""
    out = out or sys.stdout
    err = err or sys.stderr
    env = os.environ if env is None else env
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    tool = Hugepages(opts, env, writer, out, err)
    changes = (opts.setup or opts.reserve or opts.clear or
               opts.mount is not None or opts.unmount is not None)
    try:
        if opts.unmount is not None:
            tool.unmount(opts.unmount or None)
        if opts.clear:
            tool.clear()
        size = None
        if opts.setup or opts.reserve:
            size = tool.reserve(opts.setup or opts.reserve)
        if opts.mount is not None:
            tool.mount(opts.mount or None, size or tool.page_size())
        elif opts.setup:
            tool.mount(None, size, only_if_missing=True)
        if opts.show or not changes:
            if changes:
                tool.say("")
            tool.show()
    except HugeError as e:
        print("Error: %s" % e, file=err)
        return 1
    return 1 if tool.short else 0


if __name__ == "__main__":
    sys.exit(main())

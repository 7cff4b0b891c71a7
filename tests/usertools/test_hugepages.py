#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpkit-hugepages against a fake tree (fakesys.py) whose fake kernel grants
at most a set number of pages per pool and keeps pages in use: --show,
--reserve spread and per node, short reservations, --setup with its mount,
--mount/--unmount, --clear, dry runs and bad arguments."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakesys  # noqa: E402

hugepages = fakesys.load_tool("dpkit-hugepages")

M2 = 2048           # kB
G1 = 1048576

MOUNT_STUB = """
args = sys.argv[1:]
with open(os.path.join(ROOT, "mount.log"), "a") as f:
    f.write(" ".join(a.replace(ROOT, "ROOT") for a in args) + "\\n")
point = args[-1][len(ROOT):]
with open(os.path.join(ROOT, "proc/mounts"), "a") as f:
    f.write("nodev %s hugetlbfs rw,relatime,%s 0 0\\n" % (point, args[3]))
"""

UMOUNT_STUB = """
point = sys.argv[-1][len(ROOT):]
with open(os.path.join(ROOT, "umount.log"), "a") as f:
    f.write(point + "\\n")
path = os.path.join(ROOT, "proc/mounts")
lines = [l for l in open(path) if l.split()[1] != point]
open(path, "w").write("".join(lines))
"""

HEADER = "Node  Size    Total    Free  Surplus   Memory"


def row(node, size, total, free, surplus, memory):
    return "%-5s %-5s %7s %7s %8s %8s" % (node, size, total, free, surplus,
                                         memory)


class Base(unittest.TestCase):
    nodes = (0, 1)

    def setUp(self):
        self.t = fakesys.FakeTree()
        self.t.add_hugepages(nodes=self.nodes)
        self.k = fakesys.FakeKernel(self.t)
        self.env = {
            "DPKIT_MOUNT": fakesys.python_stub(self.t, "mount.py",
                                               MOUNT_STUB),
            "DPKIT_UMOUNT": fakesys.python_stub(self.t, "umount.py",
                                                UMOUNT_STUB),
        }

    def tearDown(self):
        self.t.cleanup()

    def run_hp(self, *argv):
        rc, out, err = fakesys.run_tool(
            hugepages, ["--sysfs-root", self.t.root] + list(argv), self.k,
            self.env)
        return (rc, out.replace(self.t.root, "ROOT"),
                err.replace(self.t.root, "ROOT"))

    def mount(self, point, opts):
        with open(self.t.p("proc/mounts"), "a") as f:
            f.write("nodev %s hugetlbfs rw,relatime%s 0 0\n" % (point, opts))

    def log(self, name):
        try:
            return fakesys.read(self.t.p(name))
        except OSError:
            return ""

    def node_file(self, node, kb):
        return os.path.relpath(os.path.join(self.t.huge_dir(node, kb),
                                            "nr_hugepages"), self.t.root)


class Show(Base):
    def test_per_node_and_size_with_mounts(self):
        self.t.set_huge(0, M2, 512, used=12)
        self.t.set_huge(1, G1, 2, used=2)
        self.mount("/dev/hugepages", ",pagesize=2M")
        self.mount("/mnt/huge\\0401G", ",pagesize=1024M")
        rc, out, err = self.run_hp("--show")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out.splitlines(), [
            "Hugepages per NUMA node (default page size 2M):",
            HEADER,
            row(0, "2M", 512, 500, 0, "1G"),
            row(1, "2M", 0, 0, 0, "0"),
            row(0, "1G", 0, 0, 0, "0"),
            row(1, "1G", 2, 0, 0, "2G"),
            "",
            "Hugetlbfs mounts:",
            "/dev/hugepages pagesize=2M",
            "/mnt/huge 1G pagesize=1G",
        ])
        self.assertEqual(self.k.writes, [])

    def test_nothing_reserved_nothing_mounted(self):
        rc, out, _ = self.run_hp()
        self.assertEqual(rc, 0)
        self.assertEqual(out.splitlines()[-3:], [
            "",
            "No hugetlbfs mount: dpkit needs one unless it runs with "
            "--in-memory (dpkit-hugepages --mount).",
            "No hugepages reserved: dpkit-hugepages --setup 1G reserves "
            "some."])

    def test_mount_without_pagesize_is_the_default_size(self):
        self.mount("/dev/hugepages", "")
        _, out, _ = self.run_hp()
        self.assertIn("/dev/hugepages pagesize=2M", out.splitlines())

    def test_script_runs_standalone(self):
        res = fakesys.run_script("dpkit-hugepages", ["--show"], self.t.root)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stdout.splitlines()[1:3],
                         [HEADER, row(0, "2M", 0, 0, 0, "0")])


class NoHugepages(unittest.TestCase):
    def test_kernel_without_hugetlbfs(self):
        t = fakesys.FakeTree()
        self.addCleanup(t.cleanup)
        for argv in ([], ["--reserve", "1G"]):
            rc, out, err = fakesys.run_tool(
                hugepages, ["--sysfs-root", t.root] + argv)
            self.assertEqual((rc, out), (1, ""))
            self.assertEqual(err.replace(t.root, "ROOT"),
                             "Error: this kernel offers no hugepages "
                             "(ROOT/sys/kernel/mm/hugepages is empty or "
                             "missing): it needs CONFIG_HUGETLBFS\n")


class Reserve(Base):
    def test_spread_over_nodes(self):
        rc, out, err = self.run_hp("--reserve", "1G")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(self.k.writes, [(self.node_file(0, M2), "256"),
                                         (self.node_file(1, M2), "256")])
        self.assertEqual(out, "Reserved 256 x 2M (512M) on node 0\n"
                         "Reserved 256 x 2M (512M) on node 1\n")
        self.assertEqual(self.t.huge_pages(None, M2), 512)

    def test_odd_count_goes_to_the_first_nodes(self):
        self.run_hp("--reserve", "3G", "--pagesize", "1G")
        self.assertEqual(self.k.writes, [(self.node_file(0, G1), "2"),
                                         (self.node_file(1, G1), "1")])

    def test_one_node_and_pagesize(self):
        rc, out, _ = self.run_hp("--reserve", "2G", "--node", "1",
                                 "--pagesize", "1G")
        self.assertEqual(rc, 0)
        self.assertEqual(self.k.writes, [(self.node_file(1, G1), "2")])
        self.assertEqual(out, "Reserved 2 x 1G (2G) on node 1\n")
        self.assertEqual(self.t.huge_pages(1, G1), 2)
        self.assertEqual(self.t.huge_pages(0, G1), 0)

    def test_short_reservation_reports_what_was_obtained(self):
        self.t.huge_limit[(1, M2)] = 100
        rc, out, err = self.run_hp("--reserve", "1G")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "Reserved 256 x 2M (512M) on node 0\n")
        self.assertEqual(err.splitlines(), [
            "Warning: node 1: asked for 256 x 2M (512M), the kernel gave "
            "100 x 2M (200M): not enough free contiguous memory there.",
            "Warning: short reservation: 356 of 512 pages of 2M obtained "
            "(712M of 1G).",
            "  Free and compact memory, then run this again: sync; echo 3 > "
            "/proc/sys/vm/drop_caches; echo 1 > /proc/sys/vm/compact_memory",
            "  or reserve them at boot: hugepages=512 on the kernel command "
            "line.",
        ])
        # What was obtained is kept.
        self.assertEqual(self.t.huge_pages(1, M2), 100)

    def test_short_1g_points_at_the_boot_line(self):
        self.t.huge_limit[(0, G1)] = 0
        rc, out, err = self.run_hp("--reserve", "2G", "--pagesize", "1G",
                                   "--node", "0")
        self.assertEqual((rc, out), (1, ""))
        self.assertEqual(err.splitlines(), [
            "Warning: node 0: asked for 2 x 1G (2G), the kernel gave 0 x 1G "
            "(0): not enough free contiguous memory there.",
            "Warning: short reservation: 0 of 2 pages of 1G obtained (0 of "
            "2G).",
            "  1G pages can rarely be found once the machine runs: reserve "
            "them at boot, on the kernel command line: hugepagesz=1G "
            "hugepages=2",
        ])

    def test_never_lowers(self):
        self.t.set_huge(0, M2, 600, used=100)
        rc, out, err = self.run_hp("--reserve", "512M", "--node", "0")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out, "Node 0 already has 600 x 2M (1200M), at least "
                         "the 256 asked: left as it is (--clear first to "
                         "lower it)\n")
        self.assertEqual(self.k.writes, [])

    def test_rounds_up_to_whole_pages(self):
        rc, out, err = self.run_hp("--reserve", "5M", "--node", "1")
        self.assertEqual(rc, 0)
        self.assertEqual(err, "Note: 5M is not a whole number of 2M pages: "
                         "reserving 3 x 2M (6M)\n")
        self.assertEqual(self.k.writes, [(self.node_file(1, M2), "3")])

    def test_clear_then_reserve_lowers(self):
        self.t.set_huge(0, M2, 600)
        rc, out, _ = self.run_hp("--clear", "--reserve", "256M", "--node",
                                 "0")
        self.assertEqual(rc, 0)
        self.assertEqual(self.k.writes, [(self.node_file(0, M2), "0"),
                                         (self.node_file(0, M2), "128")])
        self.assertEqual(out, "Cleared 2M pages on node 0\n"
                         "Reserved 128 x 2M (256M) on node 0\n")

    def test_bad_arguments(self):
        for argv, msg in [
            (["--reserve", "512"], "Error: bad amount '512': give a number "
             "with a unit K, M or G (512M, 1G)"),
            (["--reserve", "1X"], "Error: bad amount '1X': give a number "
             "with a unit K, M or G (512M, 1G)"),
            (["--reserve", "1G", "--pagesize", "4M"], "Error: no 4M "
             "hugepages on this machine: page sizes here are 2M, 1G"),
            (["--reserve", "1G", "--node", "2"], "Error: no NUMA node 2: "
             "nodes here are 0, 1"),
        ]:
            rc, out, err = self.run_hp(*argv)
            self.assertEqual((rc, out, err), (1, "", msg + "\n"), argv)
        self.assertEqual(self.k.writes, [])

    def test_unit_spellings(self):
        for text in ("1G", "1g", "1GB", "1GiB", "1024M", "1048576K"):
            self.assertEqual(hugepages.parse_amount(text), 1 << 30, text)


class NoNuma(Base):
    nodes = ()

    def test_show_and_reserve_use_the_global_pools(self):
        rc, out, _ = self.run_hp("--reserve", "4M")
        self.assertEqual(rc, 0)
        self.assertEqual(self.k.writes, [
            ("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "2")])
        self.assertEqual(out, "Reserved 2 x 2M (4M) on the host\n")
        _, out, _ = self.run_hp()
        self.assertEqual(out.splitlines()[2:4], [row("-", "2M", 2, 2, 0, "4M"),
                                                 row("-", "1G", 0, 0, 0, "0")])
        rc, _, err = self.run_hp("--reserve", "4M", "--node", "1")
        self.assertEqual(err, "Error: no NUMA node 1: nodes here are none "
                         "(no NUMA): leave --node out\n")


class Setup(Base):
    def test_reserves_and_mounts(self):
        rc, out, err = self.run_hp("--setup", "1G")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out.splitlines(), [
            "Reserved 256 x 2M (512M) on node 0",
            "Reserved 256 x 2M (512M) on node 1",
            "Mounted hugetlbfs on /dev/hugepages (pagesize=2M)"])
        self.assertEqual(self.log("mount.log"), "-t hugetlbfs -o pagesize=2M "
                         "nodev ROOT/dev/hugepages\n")
        self.assertTrue(os.path.isdir(self.t.p("dev/hugepages")))

    def test_existing_mount_is_used(self):
        self.mount("/dev/hugepages", ",pagesize=2M")
        rc, out, _ = self.run_hp("--setup", "1G", "--node", "0")
        self.assertEqual(rc, 0)
        self.assertEqual(out, "Reserved 512 x 2M (1G) on node 0\n")
        self.assertEqual(self.log("mount.log"), "")

    def test_1g_pages_get_their_own_mount(self):
        self.mount("/dev/hugepages", ",pagesize=2M")
        rc, out, _ = self.run_hp("--setup", "2G", "--pagesize", "1G",
                                 "--show")
        self.assertEqual(rc, 0)
        self.assertEqual(self.log("mount.log"), "-t hugetlbfs -o pagesize=1G "
                         "nodev ROOT/dev/hugepages1G\n")
        self.assertEqual(out.splitlines()[-2:], [
            "/dev/hugepages pagesize=2M", "/dev/hugepages1G pagesize=1G"])

    def test_dry_run_changes_nothing(self):
        rc, out, err = self.run_hp("--dry-run", "--setup", "1G")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out.splitlines(), [
            "would write '256' to ROOT/sys/devices/system/node/node0/"
            "hugepages/hugepages-2048kB/nr_hugepages",
            "would write '256' to ROOT/sys/devices/system/node/node1/"
            "hugepages/hugepages-2048kB/nr_hugepages",
            "would create directory ROOT/dev/hugepages",
            "would run: %s -t hugetlbfs -o pagesize=2M nodev "
            "ROOT/dev/hugepages" % self.env["DPKIT_MOUNT"].replace(
                self.t.root, "ROOT"),
        ])
        self.assertEqual(self.k.writes, [])
        self.assertEqual(self.log("mount.log"), "")
        self.assertFalse(os.path.exists(self.t.p("dev/hugepages")))


class Mounts(Base):
    def test_mount_with_user(self):
        rc, out, _ = self.run_hp("--mount", "/mnt/huge", "--user", "4321")
        self.assertEqual(rc, 0)
        self.assertEqual(self.log("mount.log"), "-t hugetlbfs -o pagesize=2M,"
                         "uid=4321,gid=4321,mode=0770 nodev ROOT/mnt/huge\n")
        self.assertEqual(out, "Mounted hugetlbfs on /mnt/huge (pagesize=2M,"
                         "uid=4321,gid=4321,mode=0770)\n")

    def test_mount_twice_and_on_a_mount_of_another_size(self):
        self.mount("/dev/hugepages", ",pagesize=2M")
        rc, out, _ = self.run_hp("--mount")
        self.assertEqual((rc, out), (0, "hugetlbfs for 2M pages is already "
                                        "mounted on /dev/hugepages\n"))
        rc, _, err = self.run_hp("--mount", "/dev/hugepages", "--pagesize",
                                 "1G")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: /dev/hugepages is already a hugetlbfs "
                         "mount for 2M pages: unmount it first, or mount 1G "
                         "pages elsewhere\n")
        self.assertEqual(self.log("mount.log"), "")

    def test_unmount_all_and_one(self):
        self.mount("/dev/hugepages", ",pagesize=2M")
        self.mount("/dev/hugepages1G", ",pagesize=1G")
        fakesys.write(self.t.p("dev/hugepages/dpkit-map_0"), "")
        os.makedirs(self.t.p("dev/hugepages1G"))
        rc, out, err = self.run_hp("--unmount", "--pagesize", "1G")
        self.assertEqual((rc, out), (0, "Unmounted /dev/hugepages1G\n"))
        rc, out, err = self.run_hp("--unmount")
        self.assertEqual((rc, out), (0, "Unmounted /dev/hugepages\n"))
        self.assertEqual(err, "Note: /dev/hugepages holds 1 file (hugepages "
                         "of a running dpkit program, or left by one that "
                         "crashed): unmounting frees them, or fails if they "
                         "are mapped\n")
        self.assertEqual(self.log("umount.log"),
                         "/dev/hugepages1G\n/dev/hugepages\n")
        rc, out, _ = self.run_hp("--unmount")
        self.assertEqual((rc, out), (0, "No hugetlbfs mount to unmount\n"))

    def test_unmount_something_else_is_refused(self):
        rc, _, err = self.run_hp("--unmount", "/proc")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: /proc is not a hugetlbfs mount (see "
                         "--show)\n")
        self.assertEqual(self.log("umount.log"), "")

    def test_no_mount_command(self):
        self.env["DPKIT_MOUNT"] = ""
        rc, _, err = self.run_hp("--mount", "/mnt/h")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: there is no mount command here: run it "
                         "by hand: mount -t hugetlbfs -o pagesize=2M nodev "
                         "ROOT/mnt/h\n")


class Clear(Base):
    def test_clear_reports_pages_still_in_use(self):
        self.t.set_huge(0, M2, 512, used=12)
        self.t.set_huge(1, G1, 2)
        rc, out, err = self.run_hp("--clear")
        self.assertEqual(rc, 0)
        self.assertEqual(self.k.writes, [(self.node_file(0, M2), "0"),
                                         (self.node_file(1, G1), "0")])
        self.assertEqual(out, "Cleared 1G pages on node 1\n")
        self.assertEqual(err, "Warning: node 0: 12 x 2M (24M) still in use: "
                         "they are freed when the program holding them exits "
                         "(or its files in the hugetlbfs mount are removed)\n")
        self.assertEqual(self.t.huge_pages(0, M2, "surplus_hugepages"), 12)

    def test_clear_one_size_on_one_node(self):
        self.t.set_huge(0, M2, 8)
        self.t.set_huge(0, G1, 1)
        self.t.set_huge(1, G1, 1)
        rc, out, _ = self.run_hp("--clear", "--pagesize", "1G", "--node", "1")
        self.assertEqual(rc, 0)
        self.assertEqual(self.k.writes, [(self.node_file(1, G1), "0")])
        self.assertEqual(self.t.huge_pages(0, G1), 1)
        self.assertEqual(self.t.huge_pages(0, M2), 8)

    def test_write_refused_by_the_kernel(self):
        self.t.set_huge(0, M2, 8)
        self.k.fail[self.node_file(0, M2)] = 13     # EACCES
        rc, _, err = self.run_hp("--clear")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: writing '0' to ROOT/%s failed: "
                         "Permission denied (EACCES). Run as root.\n"
                         % self.node_file(0, M2))


if __name__ == "__main__":
    unittest.main(verbosity=2)

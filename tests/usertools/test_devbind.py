#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpkit-devbind against a fake sysfs tree and a fake kernel (fakesys.py):
the --status layout, the exact sysfs writes of a bind in their order,
rollback, refusals (active interface, no IOMMU, device in use), IOMMU group
reports, device and driver name resolution, module loading, dry runs."""

import errno
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakesys  # noqa: E402

devbind = fakesys.load_tool("dpkit-devbind")

A0 = "0000:01:00.0"     # 82576 port 0, igb, eth0, up with routes
A1 = "0000:01:00.1"     # 82576 port 1, igb, eth1, down
X = "0000:02:00.0"      # 82599, vfio-pci
V = "0000:03:00.0"      # virtio-net, eth2 below virtio0
U = "0000:04:00.0"      # unknown NIC, no driver
BRIDGE = "0000:00:1c.0"

NAME_82576 = "'82576 Gigabit Network Connection 10c9'"
NAME_82599 = "'82599ES 10-Gigabit SFI/SFP+ Network Connection 10fb'"
NAME_VIRTIO = "'Virtio 1.0 network device 1041'"
NAME_BRIDGE = ("'6 Series/C200 Series Chipset Family PCI Express Root Port 1 "
               "1c10'")

MODPROBE_STUB = """
name = sys.argv[-1]
with open(os.path.join(ROOT, "modprobe.log"), "a") as f:
    f.write(" ".join(sys.argv[1:]) + "\\n")
mod = name.replace("-", "_")
os.makedirs(os.path.join(ROOT, "sys/module", mod), exist_ok=True)
if mod not in ("vfio", "vfio_iommu_type1", "uio"):
    d = os.path.join(ROOT, "sys/bus/pci/drivers", name)
    os.makedirs(d, exist_ok=True)
    for f in ("bind", "unbind", "new_id", "remove_id"):
        open(os.path.join(d, f), "w").close()
"""

INSMOD_STUB = """
path = sys.argv[-1]
mod = os.path.basename(path).split(".ko")[0]
with open(os.path.join(ROOT, "insmod.log"), "a") as f:
    f.write(mod + "\\n")
os.makedirs(os.path.join(ROOT, "sys/module", mod), exist_ok=True)
if mod == "vfio_pci":
    d = os.path.join(ROOT, "sys/bus/pci/drivers/vfio-pci")
    os.makedirs(d)
    for f in ("bind", "unbind", "new_id", "remove_id"):
        open(os.path.join(d, f), "w").close()
"""


def build_lab():
    """Two 82576 ports and a bridge in IOMMU group 12 (eth0 up with routes,
    eth1 down), an 82599 on vfio-pci (group 13), a virtio NIC (group 14),
    a NIC nobody knows on no driver (group 15)."""
    t = fakesys.FakeTree()
    t.add_driver("pcieport")
    t.add_driver("igb", ids={("8086", "10c9")})
    t.add_driver("ixgbe", ids={("8086", "10fb")})
    t.add_driver("virtio-pci", ids={("1af4", "1041")})
    t.add_driver("vfio-pci")
    t.add_driver("uio_pci_generic")
    os.makedirs(t.p("sys/module/vfio_iommu_type1"))
    t.add_device(BRIDGE, device="1c10", pci_class=0x060400,
                 driver="pcieport", group=12)
    t.add_device(A0, driver="igb", group=12, ifname="eth0", up=True)
    t.add_device(A1, driver="igb", group=12, ifname="eth1")
    t.add_device(X, device="10fb", driver="vfio-pci", numa=1, group=13)
    t.add_device(V, vendor="1af4", device="1041", driver="virtio-pci",
                 numa=-1, group=14, ifname="eth2", virtio=True)
    t.add_device(U, vendor="1234", device="5678", group=15)
    t.add_route("eth0", "10.0.0.0", "0.0.0.0", "255.255.255.0")
    t.add_route("eth0", "0.0.0.0", "10.0.0.1", "0.0.0.0")
    t.modules_alias([
        "alias pci:v00008086d000010C9sv*sd*bc*sc*i* igb",
        "alias pci:v00008086d000010FBsv*sd*bc*sc*i* ixgbe",
        "alias pci:v00001AF4d00001041sv*sd*bc*sc*i* virtio_pci",
        "alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci",
    ])
    return t


STATUS = """\
Network devices using DPDK-compatible driver
============================================
0000:02:00.0 %(x)s drv=vfio-pci unused=ixgbe,uio_pci_generic numa_node=1 \
iommu_group=13

Network devices using kernel driver
===================================
0000:01:00.0 %(i)s drv=igb unused=vfio-pci,uio_pci_generic if=eth0 \
numa_node=0 iommu_group=12 *Active*
0000:01:00.1 %(i)s drv=igb unused=vfio-pci,uio_pci_generic if=eth1 \
numa_node=0 iommu_group=12
0000:03:00.0 %(v)s drv=virtio-pci unused=vfio-pci,uio_pci_generic if=eth2 \
iommu_group=14

Other Network devices
=====================
0000:04:00.0 'Device 5678' unused=vfio-pci,uio_pci_generic numa_node=0 \
iommu_group=15
""" % {"x": NAME_82599, "i": NAME_82576, "v": NAME_VIRTIO}


class Base(unittest.TestCase):
    def setUp(self):
        self.t = build_lab()
        self.k = fakesys.FakeKernel(self.t)
        self.env = {"DPKIT_MODPROBE": fakesys.python_stub(
            self.t, "modprobe.py", MODPROBE_STUB)}

    def tearDown(self):
        self.t.cleanup()

    def run_devbind(self, *argv):
        return fakesys.run_tool(devbind, ["--sysfs-root", self.t.root] +
                                list(argv), self.k, self.env)

    def lines(self, text):
        return text.replace(self.t.root, "ROOT").splitlines()

    def state(self):
        with open(self.t.p("run/dpkit/devbind.json")) as f:
            return json.load(f)


class Status(Base):
    def test_layout_sections_fields_active(self):
        rc, out, err = self.run_devbind("--status")
        self.assertEqual(rc, 0)
        self.assertEqual(out, STATUS)
        self.assertEqual(err, "")
        self.assertEqual(self.k.writes, [])

    def test_status_net_and_status_dev_and_no_args_are_the_same(self):
        for argv in (["--status", "net"], ["--status-dev", "net"],
                     ["-s"], []):
            rc, out, _ = self.run_devbind(*argv)
            self.assertEqual((rc, out), (0, STATUS), argv)

    def test_other_group_is_refused(self):
        rc, out, err = self.run_devbind("--status", "crypto")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "")
        self.assertEqual(err, "Error: unknown device group 'crypto': dpkit "
                         "handles network devices (--status, or --status "
                         "net)\n")

    def test_no_iommu_is_said_after_the_sections(self):
        t = fakesys.FakeTree()
        self.addCleanup(t.cleanup)
        t.add_driver("igb", ids={("8086", "10c9")})
        t.add_device(A0, driver="igb", ifname="eth0", numa=-1)
        rc, out, _ = fakesys.run_tool(devbind, ["--sysfs-root", t.root,
                                                "--status"])
        self.assertEqual(rc, 0)
        self.assertEqual(out.splitlines(), [
            "Network devices using DPDK-compatible driver",
            "============================================",
            "<none>",
            "",
            "Network devices using kernel driver",
            "===================================",
            "0000:01:00.0 %s drv=igb unused= if=eth0" % NAME_82576,
            "",
            "Other Network devices",
            "=====================",
            "<none>",
            "",
            "No IOMMU: /sys/kernel/iommu_groups is empty, so vfio-pci needs "
            "--noiommu-mode; see docs/binding.md.",
        ])

    def test_noiommu_group_is_named_and_not_an_iommu(self):
        t = fakesys.FakeTree()
        self.addCleanup(t.cleanup)
        t.add_driver("vfio-pci")
        t.add_device(A0, driver="vfio-pci", numa=-1, group=0)
        fakesys.write(t.p("sys/kernel/iommu_groups/0/name"), "vfio-noiommu\n")
        rc, out, _ = fakesys.run_tool(devbind, ["--sysfs-root", t.root])
        self.assertEqual(out.splitlines()[2], "0000:01:00.0 %s drv=vfio-pci "
                         "unused= iommu_group=noiommu-0" % NAME_82576)
        self.assertTrue(out.splitlines()[-1].startswith("No IOMMU: "))

    def test_names_from_hwdata_when_misc_is_missing(self):
        os.makedirs(self.t.p("usr/share/hwdata"))
        os.rename(self.t.p("usr/share/misc/pci.ids"),
                  self.t.p("usr/share/hwdata/pci.ids"))
        _, out, _ = self.run_devbind("--status")
        self.assertEqual(out, STATUS)

    def test_numeric_id_when_no_pci_ids(self):
        os.unlink(self.t.p("usr/share/misc/pci.ids"))
        _, out, _ = self.run_devbind("--status")
        self.assertIn("0000:01:00.1 'Device 10c9' drv=igb unused=vfio-pci,"
                      "uio_pci_generic if=eth1 numa_node=0 iommu_group=12",
                      out.splitlines())

    def test_address_only_ipv6_makes_active_and_down_never_is(self):
        fakesys.write(self.t.p("proc/net/if_inet6"),
                      "fe800000000000000000000000000001 03 40 20 80 eth2\n"
                      "20010db8000000000000000000000002 03 40 00 80 eth2\n"
                      "20010db8000000000000000000000003 04 40 00 80 eth1\n")
        fakesys.write(self.t.dev(V, "virtio0/net/eth2/flags"), "0x1003\n")
        _, out, _ = self.run_devbind("--status")
        lines = out.splitlines()
        self.assertIn("0000:03:00.0 %s drv=virtio-pci unused=vfio-pci,"
                      "uio_pci_generic if=eth2 iommu_group=14 *Active*"
                      % NAME_VIRTIO, lines)
        # eth1 has a global address but is down: not active.
        self.assertIn("0000:01:00.1 %s drv=igb unused=vfio-pci,"
                      "uio_pci_generic if=eth1 numa_node=0 iommu_group=12"
                      % NAME_82576, lines)

    def test_link_local_routes_do_not_make_active(self):
        self.t.add_route("eth1", "169.254.0.0", "0.0.0.0", "255.255.0.0")
        fakesys.write(self.t.dev(A1, "net/eth1/flags"), "0x1003\n")
        fakesys.write(self.t.p("proc/net/ipv6_route"),
                      "fe800000000000000000000000000000 40 "
                      "00000000000000000000000000000000 00 "
                      "00000000000000000000000000000000 00000100 00000001 "
                      "00000000 00000001     eth1\n"
                      "ff000000000000000000000000000000 08 "
                      "00000000000000000000000000000000 00 "
                      "00000000000000000000000000000000 00000100 00000001 "
                      "00000000 00000001     eth1\n")
        _, out, _ = self.run_devbind("--status")
        line = [x for x in out.splitlines() if x.startswith(A1)][0]
        self.assertFalse(line.endswith("*Active*"), line)

    def test_script_runs_standalone(self):
        res = fakesys.run_script("dpkit-devbind", ["--status"], self.t.root)
        self.assertEqual((res.returncode, res.stdout, res.stderr),
                         (0, STATUS, ""))
        res = fakesys.run_script("dpkit-devbind", ["--help"])
        self.assertEqual(res.returncode, 0)
        self.assertIn("  dpkit-devbind -b vfio-pci eth1             give "
                      "eth1's NIC to dpkit\n", res.stdout)
        self.assertIn("-u --restore 01:00.0", res.stdout)


class Bind(Base):
    def test_bind_by_interface_name_writes_in_order(self):
        rc, out, err = self.run_devbind("-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [
            ("sys/bus/pci/drivers/igb/unbind", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "vfio-pci"),
            ("sys/bus/pci/drivers_probe", A1),
        ])
        self.assertEqual(out, "Bound %s to vfio-pci (was igb), IOMMU group "
                         "12: /dev/vfio/12\n" % A1)
        self.assertEqual(self.t.driver_of(A1), "vfio-pci")
        # The override stays: a re-probe keeps the NIC on vfio-pci.
        self.assertEqual(self.t.override_of(A1), "vfio-pci")
        self.assertFalse(os.path.exists(self.t.p("sys/class/net/eth1")))
        self.assertEqual(self.state(), {A1: {"driver": "igb",
                                             "interfaces": ["eth1"]}})
        self.assertEqual(self.lines(err), [
            "Note: 0000:01:00.1: interface eth1 will disappear",
            "Note: IOMMU group 12 of 0000:01:00.1 also holds:",
            "    0000:00:1c.0 %s drv=pcieport (fine for vfio-pci)"
            % NAME_BRIDGE,
            "    0000:01:00.0 %s drv=igb if=eth0" % NAME_82576,
            "Warning: group 12 is not viable until 0000:01:00.0 is on "
            "vfio-pci or on no driver: dpkit cannot open /dev/vfio/12 "
            "before that. Bind it too:",
            "    dpkit-devbind -b vfio-pci 0000:01:00.0",
        ])
        _, status, _ = self.run_devbind("--status")
        self.assertEqual(status.splitlines()[2:4], [
            "0000:01:00.1 %s drv=vfio-pci unused=igb,uio_pci_generic "
            "numa_node=0 iommu_group=12" % NAME_82576,
            "0000:02:00.0 %s drv=vfio-pci unused=ixgbe,uio_pci_generic "
            "numa_node=1 iommu_group=13" % NAME_82599])

    def test_group_members_bound_together_do_not_warn(self):
        rc, _, err = self.run_devbind("--force", "-b", "vfio-pci",
                                      "01:00.1", "01:00.0")
        self.assertEqual(rc, 0, err)
        self.assertIn("    0000:01:00.0 %s drv=igb if=eth0 (being bound to "
                      "vfio-pci too)" % NAME_82576, err.splitlines())
        self.assertNotIn("not viable", err)
        self.assertEqual(self.t.driver_of(A0), "vfio-pci")
        self.assertEqual(self.t.driver_of(A1), "vfio-pci")

    def test_bind_back_to_kernel_driver_clears_override(self):
        self.run_devbind("-b", "vfio-pci", "eth1")
        del self.k.writes[:]
        rc, out, err = self.run_devbind("-b", "igb", A1)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [
            ("sys/bus/pci/drivers/vfio-pci/unbind", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "igb"),
            ("sys/bus/pci/drivers_probe", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "\n"),
        ])
        self.assertEqual(out, "Bound %s to igb (was vfio-pci), if=eth1\n" % A1)
        self.assertEqual(self.t.override_of(A1), "(null)")
        self.assertTrue(os.path.isdir(self.t.p("sys/class/net/eth1")))
        self.assertEqual(self.state(), {})

    def test_unbind_restore_uses_the_remembered_driver(self):
        self.run_devbind("-b", "uio_pci_generic", "eth1")
        self.assertEqual(self.t.driver_of(A1), "uio_pci_generic")
        del self.k.writes[:]
        rc, out, err = self.run_devbind("-u", "--restore", "01:00.1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [
            ("sys/bus/pci/drivers/uio_pci_generic/unbind", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "igb"),
            ("sys/bus/pci/drivers_probe", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "\n"),
        ])
        self.assertEqual(out, "Bound %s to igb (was uio_pci_generic), "
                         "if=eth1\n" % A1)

    def test_restore_by_vanished_interface_name(self):
        self.run_devbind("-b", "vfio-pci", "eth1")
        rc, out, err = self.run_devbind("-u", "--restore", "eth1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.t.driver_of(A1), "igb")
        self.assertEqual(err.splitlines()[0], "Note: eth1 does not exist now; "
                         "it was the interface of 0000:01:00.1 (recorded when "
                         "that left igb)")

    def test_restore_without_record_uses_modules_alias(self):
        self.t.detach(A1)
        rc, out, err = self.run_devbind("--restore", A1)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.t.driver_of(A1), "igb")

    def test_restore_with_nothing_known_is_refused(self):
        rc, _, err = self.run_devbind("--restore", U)
        self.assertEqual(rc, 1)
        self.assertEqual(self.lines(err), [
            "Error: do not know which kernel driver 0000:04:00.0 had "
            "(nothing recorded in ROOT/run/dpkit/devbind.json, no "
            "modules.alias match): bind it by name, e.g. dpkit-devbind -b "
            "igb 0000:04:00.0"])

    def test_unbind_leaves_no_driver_and_remembers(self):
        rc, out, err = self.run_devbind("-u", "eth1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [("sys/bus/pci/drivers/igb/unbind",
                                          A1)])
        self.assertEqual(out, "Unbound %s from igb\n" % A1)
        self.assertIsNone(self.t.driver_of(A1))
        self.assertEqual(self.state()[A1]["driver"], "igb")
        _, status, _ = self.run_devbind("--status")
        self.assertEqual(status.splitlines()[-2:], [
            "0000:01:00.1 %s unused=igb,vfio-pci,uio_pci_generic "
            "numa_node=0 iommu_group=12" % NAME_82576,
            "0000:04:00.0 'Device 5678' unused=vfio-pci,uio_pci_generic "
            "numa_node=0 iommu_group=15"])

    def test_unbind_clears_a_user_driver_override(self):
        self.run_devbind("-b", "vfio-pci", "eth1")
        del self.k.writes[:]
        rc, _, err = self.run_devbind("-b", "none", A1)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [
            ("sys/bus/pci/drivers/vfio-pci/unbind", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "\n")])
        # The record still names the kernel driver it came from.
        self.assertEqual(self.state()[A1]["driver"], "igb")

    def test_already_bound_and_unbound_are_skipped(self):
        rc, out, err = self.run_devbind("-b", "vfio-pci", X)
        self.assertEqual((rc, out), (0, ""))
        self.assertEqual(err, "Note: 0000:02:00.0 is already bound to "
                         "vfio-pci, skipping\n")
        rc, out, err = self.run_devbind("-u", U)
        self.assertEqual((rc, out), (0, ""))
        self.assertEqual(err, "Note: 0000:04:00.0 is not bound to any "
                         "driver, skipping\n")
        self.assertEqual(self.k.writes, [])

    def test_bind_then_status_in_one_command(self):
        rc, out, _ = self.run_devbind("-b", "vfio-pci", "eth1", "--status")
        self.assertEqual(rc, 0)
        lines = out.splitlines()
        self.assertEqual(lines[:4], [
            "Bound %s to vfio-pci (was igb), IOMMU group 12: /dev/vfio/12"
            % A1, "", "Network devices using DPDK-compatible driver",
            "============================================"])

    def test_chown_of_the_group_node(self):
        if os.getuid() != 0:
            self.skipTest("chown to another user needs root")
        fakesys.write(self.t.p("dev/vfio/12"), "")
        rc, _, err = self.run_devbind("-b", "vfio-pci", "-U", "4321",
                                      "-G", "4322", "eth1")
        self.assertEqual(rc, 0, err)
        st = os.stat(self.t.p("dev/vfio/12"))
        self.assertEqual((st.st_uid, st.st_gid), (4321, 4322))


class Rollback(Base):
    def test_driver_that_does_not_take_the_device(self):
        self.k.refuse.add("vfio-pci")
        rc, out, err = self.run_devbind("-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "")
        self.assertEqual(self.k.writes, [
            ("sys/bus/pci/drivers/igb/unbind", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "vfio-pci"),
            ("sys/bus/pci/drivers_probe", A1),
            # rollback: back to igb, then the override it had (none)
            ("sys/bus/pci/devices/%s/driver_override" % A1, "igb"),
            ("sys/bus/pci/drivers_probe", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "\n"),
        ])
        self.assertEqual(self.t.driver_of(A1), "igb")
        self.assertEqual(self.t.override_of(A1), "(null)")
        self.assertTrue(os.path.isdir(self.t.p("sys/class/net/eth1")))
        self.assertEqual(self.lines(err)[-2:], [
            "Error: vfio-pci did not take 0000:01:00.1 (the device is on no "
            "driver now; the kernel log says why: dmesg | tail).",
            "  rolled back: 0000:01:00.1 is on igb again"])
        self.assertFalse(os.path.exists(self.t.p("run/dpkit/devbind.json")))

    def test_failed_write_rolls_back(self):
        self.k.fail["sys/bus/pci/drivers_probe"] = errno.EINVAL
        rc, _, err = self.run_devbind("-b", "uio_pci_generic", A1)
        self.assertEqual(rc, 1)
        self.assertEqual(self.t.driver_of(A1), "igb")
        self.assertEqual(self.lines(err)[-1], "  rolled back: 0000:01:00.1 "
                         "is on igb again")
        self.assertIn("Error: writing '0000:01:00.1' to ROOT/sys/bus/pci/"
                      "drivers_probe failed: Invalid argument (EINVAL)",
                      self.lines(err))

    def test_uio_failure_names_the_intx_limit(self):
        self.k.refuse.add("uio_pci_generic")
        rc, _, err = self.run_devbind("-b", "uio_pci_generic", A1)
        self.assertEqual(rc, 1)
        self.assertIn("Error: uio_pci_generic did not take 0000:01:00.1 (the "
                      "device is on no driver now; the kernel log says why: "
                      "dmesg | tail). uio_pci_generic refuses devices that "
                      "cannot mask INTx (SR-IOV VFs among them): use "
                      "vfio-pci for those.", err.splitlines())

    def test_rollback_that_fails_says_what_to_do(self):
        self.k.refuse.update({"vfio-pci", "igb"})
        rc, _, err = self.run_devbind("-b", "vfio-pci", A1)
        self.assertEqual(rc, 1)
        self.assertEqual(err.splitlines()[-1], "  rollback failed: "
                         "0000:01:00.1 is on no driver, it was on igb. Bind "
                         "it by hand: dpkit-devbind -b igb 0000:01:00.1")

    def test_one_failure_does_not_stop_the_others(self):
        self.k.fail["sys/bus/pci/drivers/virtio-pci/unbind"] = errno.EBUSY
        rc, out, err = self.run_devbind("-b", "uio_pci_generic", V, A1)
        self.assertEqual(rc, 1)
        self.assertEqual(self.t.driver_of(V), "virtio-pci")
        self.assertEqual(self.t.driver_of(A1), "uio_pci_generic")
        self.assertEqual(out, "Bound %s to uio_pci_generic (was igb)\n" % A1)


class Refusals(Base):
    def test_active_interface_needs_force(self):
        rc, out, err = self.run_devbind("-b", "vfio-pci", "eth0")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "")
        self.assertEqual(err, "Error: 0000:01:00.0 is in use by the kernel: "
                         "eth0 is up with routes 10.0.0.0/24, default via "
                         "10.0.0.1. Take the interface down first (ip link "
                         "set eth0 down), or pass --force to take it anyway "
                         "(this machine loses that network).\n")
        self.assertEqual(self.k.writes, [])
        self.assertFalse(os.path.exists(self.t.p("modprobe.log")))

    def test_active_interface_with_force(self):
        rc, out, err = self.run_devbind("--force", "-b", "vfio-pci", A0)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.splitlines()[0], "Warning: --force: 0000:01:00.0 "
                         "is in use by the kernel: eth0 is up with routes "
                         "10.0.0.0/24, default via 10.0.0.1")
        self.assertEqual(self.t.driver_of(A0), "vfio-pci")

    def test_down_interface_is_not_active(self):
        fakesys.write(self.t.dev(A0, "net/eth0/flags"), "0x1002\n")
        rc, _, err = self.run_devbind("-b", "vfio-pci", "eth0")
        self.assertEqual(rc, 0, err)

    def test_operstate_when_flags_are_missing(self):
        os.unlink(self.t.dev(A0, "net/eth0/flags"))
        rc, _, _ = self.run_devbind("-b", "vfio-pci", "eth0")
        self.assertEqual(rc, 1)
        fakesys.write(self.t.dev(A0, "net/eth0/operstate"), "down\n")
        rc, _, err = self.run_devbind("-b", "vfio-pci", "eth0")
        self.assertEqual(rc, 0, err)

    def test_ipv6_default_route_makes_active(self):
        fakesys.write(self.t.dev(A1, "net/eth1/flags"), "0x1003\n")
        fakesys.write(self.t.p("proc/net/ipv6_route"),
                      "00000000000000000000000000000000 00 "
                      "00000000000000000000000000000000 00 "
                      "fe800000000000000000000000000001 00000400 00000002 "
                      "00000000 00000003     eth1\n")
        rc, _, err = self.run_devbind("-u", "eth1")
        self.assertEqual(rc, 1)
        self.assertIn("eth1 is up with routes default via fe80::1. ", err)

    def test_no_iommu_refuses_vfio_before_anything(self):
        import shutil
        shutil.rmtree(self.t.p("sys/kernel/iommu_groups"))
        os.makedirs(self.t.p("sys/kernel/iommu_groups"))
        for bdf in (BRIDGE, A0, A1, X, V, U):
            os.unlink(self.t.dev(bdf, "iommu_group"))
        rc, out, err = self.run_devbind("-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(self.lines(err), [
            "Error: cannot bind 0000:01:00.1 to vfio-pci: it has no IOMMU "
            "group, the IOMMU is off (ROOT/sys/kernel/iommu_groups is empty). "
            "Turn the IOMMU on (intel_iommu=on iommu=pt, or iommu=pt on AMD, "
            "on the kernel command line; see docs/binding.md), or use "
            "uio_pci_generic, or pass --noiommu-mode (vfio without DMA "
            "isolation)."])
        self.assertEqual(self.k.writes, [])

    def test_device_outside_the_iommu(self):
        os.unlink(self.t.dev(A1, "iommu_group"))
        rc, _, err = self.run_devbind("-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 1)
        self.assertTrue(err.startswith(
            "Error: cannot bind 0000:01:00.1 to vfio-pci: it has no IOMMU "
            "group, the IOMMU does not cover it. Turn the IOMMU on"), err)
        self.assertEqual(self.k.writes, [])

    def _no_iommu(self):
        import shutil
        shutil.rmtree(self.t.p("sys/kernel/iommu_groups"))
        os.makedirs(self.t.p("sys/kernel/iommu_groups"))
        os.unlink(self.t.dev(A1, "iommu_group"))
        shutil.rmtree(self.t.p("sys/bus/pci/drivers/vfio-pci"))
        shutil.rmtree(self.t.p("sys/module/vfio_pci"))
        shutil.rmtree(self.t.p("sys/module/vfio_iommu_type1"))

    def test_noiommu_mode_turns_the_parameter_on(self):
        self._no_iommu()
        fakesys.write(self.t.p("sys/module/vfio/parameters/"
                               "enable_unsafe_noiommu_mode"), "N\n")
        rc, out, err = self.run_devbind("--noiommu-mode", "-b", "vfio-pci",
                                        "eth1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [
            ("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "1"),
            ("sys/bus/pci/drivers/igb/unbind", A1),
            ("sys/bus/pci/devices/%s/driver_override" % A1, "vfio-pci"),
            ("sys/bus/pci/drivers_probe", A1),
        ])
        self.assertIn("Warning: turning on vfio no-IOMMU mode: the NIC can "
                      "DMA anywhere in memory (no isolation), the kernel is "
                      "tainted, and dpkit must use physical addresses "
                      "(IOVA=PA, as root).", err.splitlines())
        with open(self.t.p("modprobe.log")) as f:
            self.assertEqual(f.read(), "vfio-pci\nvfio_iommu_type1\n")

    def test_noiommu_mode_without_kernel_support(self):
        self._no_iommu()
        rc, out, err = self.run_devbind("--noiommu-mode", "-b", "vfio-pci",
                                        "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(self.lines(err)[-1],
                         "Error: this kernel has no vfio no-IOMMU mode: "
                         "ROOT/sys/module/vfio/parameters/"
                         "enable_unsafe_noiommu_mode does not exist, the "
                         "kernel was built without CONFIG_VFIO_NOIOMMU "
                         "(Debian's kernels are). Use uio_pci_generic "
                         "instead, or turn the IOMMU on.")
        self.assertEqual(self.t.driver_of(A1), "igb")
        self.assertEqual(self.k.writes, [])

    def test_vfio_device_open_by_a_process(self):
        os.makedirs(self.t.p("proc/4242/fd"))
        fakesys.write(self.t.p("proc/4242/comm"), "dpkit-l2fwd\n")
        os.symlink("/dev/null", self.t.p("proc/4242/fd/0"))
        os.symlink("/dev/vfio/13", self.t.p("proc/4242/fd/7"))
        rc, _, err = self.run_devbind("-b", "ixgbe", X)
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: 0000:02:00.0 is in use: pid 4242 "
                         "(dpkit-l2fwd) has /dev/vfio/13 open. Stop that "
                         "program first, or pass --force (the unbind then "
                         "waits until the device is released).\n")
        self.assertEqual(self.k.writes, [])

    def test_bifurcated_driver(self):
        self.t.add_driver("mlx5_core", ids={("15b3", "1017")})
        self.t.add_device("0000:05:00.0", vendor="15b3", device="1017",
                          driver="mlx5_core", group=16)
        rc, _, err = self.run_devbind("-b", "vfio-pci", "05:00.0")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: 0000:05:00.0 is on mlx5_core, a "
                         "bifurcated driver: user-space drivers for these "
                         "NICs work through the kernel driver, and dpkit has "
                         "no driver for them. Leave it on mlx5_core (or pass "
                         "--force).\n")

    def test_uio_under_a_translating_iommu_warns(self):
        fakesys.write(self.t.p("sys/kernel/iommu_groups/12/type"), "DMA-FQ\n")
        rc, _, err = self.run_devbind("-b", "uio_pci_generic", "eth1")
        self.assertEqual(rc, 0, err)
        self.assertIn("Warning: the IOMMU translates DMA for 0000:01:00.1 "
                      "(group 12, type DMA-FQ): with uio_pci_generic the NIC "
                      "is given physical addresses and every DMA will fault. "
                      "Use vfio-pci, or boot with iommu=pt.", err.splitlines())
        fakesys.write(self.t.p("sys/kernel/iommu_groups/12/type"),
                      "identity\n")
        self.run_devbind("-b", "igb", "01:00.1")
        rc, _, err = self.run_devbind("-b", "uio_pci_generic", "eth1")
        self.assertNotIn("translates", err)


class Names(Base):
    def test_device_spellings(self):
        tool = devbind.Devbind(devbind.parse_args(
            ["--sysfs-root", self.t.root]), {}, None, sys.stdout, sys.stderr)
        cases = [
            (["0000:01:00.1"], [A1]),
            (["01:00.1"], [A1]),
            (["0000:01:00.1".upper()], [A1]),
            (["eth1"], [A1]),
            (["eth2"], [V]),            # netdev below virtio0
            (["01:00.*"], [A0, A1]),
            (["eth1", "01:00.1", "0000:01:00.0"], [A1, A0]),
        ]
        for args, want in cases:
            self.assertEqual(tool.resolve_devices(args), want, args)

    def test_unknown_devices(self):
        for arg, msg in [
            ("eth9", "Error: unknown device 'eth9': give a PCI address "
             "(0000:01:00.0 or 01:00.0) or the name of a network interface; "
             "see --status"),
            ("05:00.0", "Error: no PCI device 0000:05:00.0 (nothing in "
             "ROOT/sys/bus/pci/devices); see --status"),
            ("07:*", "Error: no PCI device matches '07:*'"),
        ]:
            rc, out, err = self.run_devbind("-b", "vfio-pci", arg)
            self.assertEqual((rc, out), (1, ""))
            self.assertEqual(self.lines(err), [msg])
        self.assertEqual(self.k.writes, [])

    def test_underscore_typo_is_fixed_with_a_note(self):
        rc, _, err = self.run_devbind("-b", "vfio_pci", "eth1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.splitlines()[0], "Note: the driver is called "
                         "'vfio-pci', not 'vfio_pci': using vfio-pci")
        self.assertEqual(self.t.driver_of(A1), "vfio-pci")
        rc, _, err = self.run_devbind("-b", "uio-pci-generic", "eth0",
                                      "--dry-run", "--force")
        self.assertEqual(err.splitlines()[0], "Note: the driver is called "
                         "'uio_pci_generic', not 'uio-pci-generic': using "
                         "uio_pci_generic")

    def test_unknown_driver_lists_the_known_ones(self):
        rc, _, err = self.run_devbind("-b", "vfio", "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: unknown driver 'vfio'. User-space "
                         "drivers: vfio-pci, uio_pci_generic, igb_uio. Kernel "
                         "drivers loaded now: igb, ixgbe, pcieport, "
                         "virtio-pci. For a kernel driver that is not loaded, "
                         "load it first (modprobe vfio).\n")

    def test_kernel_driver_known_from_modules_dep(self):
        fakesys.write(self.t.p("lib/modules", os.uname().release,
                               "modules.dep"),
                      "kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko.xz:"
                      " kernel/drivers/ptp/ptp.ko.xz\n")
        self.k.refuse.add("e1000e")
        rc, _, err = self.run_devbind("-b", "e1000e", "eth1")
        # e1000e gets loaded, its probe fails on an 82576: rolled back.
        self.assertEqual(rc, 1)
        with open(self.t.p("modprobe.log")) as f:
            self.assertEqual(f.read(), "e1000e\n")
        self.assertEqual(self.t.driver_of(A1), "igb")
        self.assertEqual(err.splitlines()[0], "Warning: e1000e is not a "
                         "driver for 0000:01:00.1 (8086:10c9; modules.alias "
                         "names igb): the kernel will try it anyway, and it "
                         "may fail.")

    def test_device_given_as_driver(self):
        rc, _, err = self.run_devbind("-b", "01:00.1", "eth1")
        self.assertEqual(err, "Error: '01:00.1' is a device, not a driver. "
                         "Give the driver first: -b vfio-pci 01:00.1\n")
        rc, _, err = self.run_devbind("-b", "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: 'eth1' is a device, not a driver. "
                         "Give the driver first: -b vfio-pci eth1\n")

    def test_devices_without_action(self):
        rc, out, err = self.run_devbind("eth1")
        self.assertEqual((rc, out), (1, ""))
        self.assertEqual(err, "Error: what should happen to eth1? Give -b "
                         "DRIVER to bind, -u to unbind, or --status to look\n")

    def test_restore_with_bind_is_refused(self):
        rc, _, err = self.run_devbind("-b", "igb", "--restore", "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: --restore picks the driver itself: use "
                         "it with -u, not with -b\n")


class Modules(Base):
    def test_missing_driver_is_loaded_with_its_iommu_module(self):
        import shutil
        shutil.rmtree(self.t.p("sys/bus/pci/drivers/vfio-pci"))
        shutil.rmtree(self.t.p("sys/module/vfio_pci"))
        shutil.rmtree(self.t.p("sys/module/vfio_iommu_type1"))
        os.unlink(self.t.dev(X, "driver"))
        rc, _, err = self.run_devbind("-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 0, err)
        with open(self.t.p("modprobe.log")) as f:
            self.assertEqual(f.read(), "vfio-pci\nvfio_iommu_type1\n")
        self.assertEqual(self.t.driver_of(A1), "vfio-pci")
        self.assertEqual(err.splitlines()[:2], [
            "Note: loading module vfio-pci",
            "Note: loading module vfio_iommu_type1"])

    def test_no_modprobe_names_the_module(self):
        import shutil
        shutil.rmtree(self.t.p("sys/bus/pci/drivers/uio_pci_generic"))
        shutil.rmtree(self.t.p("sys/module/uio_pci_generic"))
        self.env["DPKIT_MODPROBE"] = ""
        rc, _, err = self.run_devbind("-b", "uio_pci_generic", "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "Error: the kernel module uio_pci_generic is "
                         "not loaded and there is no modprobe here: load it "
                         "(insmod uio_pci_generic.ko, after its "
                         "dependencies), or pass --module-dir DIR with the "
                         ".ko files.\n")
        self.assertEqual(self.k.writes, [])

    def test_modprobe_failure_for_igb_uio(self):
        self.env["DPKIT_MODPROBE"] = "%s -c 'import sys; print(\"modprobe: " \
            "FATAL: Module igb_uio not found\"); sys.exit(1)'" % sys.executable
        rc, _, err = self.run_devbind("-b", "igb_uio", "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(err.splitlines()[-1], "Error: cannot load igb_uio: "
                         "`%s -c import sys; print(\"modprobe: FATAL: Module "
                         "igb_uio not found\"); sys.exit(1) igb_uio` failed "
                         "(exit 1): modprobe: FATAL: Module igb_uio not found."
                         " igb_uio is not part of Linux: build it from "
                         "dpdk-kmods, or use vfio-pci or uio_pci_generic."
                         % sys.executable)
        self.assertEqual(self.t.driver_of(A1), "igb")

    def test_insmod_from_module_dir_in_dependency_order(self):
        import shutil
        shutil.rmtree(self.t.p("sys/bus/pci/drivers/vfio-pci"))
        shutil.rmtree(self.t.p("sys/module/vfio_pci"))
        shutil.rmtree(self.t.p("sys/module/vfio_iommu_type1"))
        os.unlink(self.t.dev(X, "driver"))
        mods = self.t.p("mods")
        for name, deps in [("vfio_pci", "vfio_pci_core,vfio"),
                           ("vfio_pci_core", "vfio,irqbypass"),
                           ("vfio", ""), ("irqbypass", ""),
                           ("vfio_iommu_type1", "vfio")]:
            fakesys.write(os.path.join(mods, "kernel", name + ".ko"),
                          "\x7fELF...\0license=GPL\0depends=%s\0vermagic=6.1"
                          "\0" % deps)
        self.env["DPKIT_INSMOD"] = fakesys.python_stub(self.t, "insmod.py",
                                                       INSMOD_STUB)
        rc, _, err = self.run_devbind("--module-dir", mods, "-b", "vfio-pci",
                                      "eth1")
        self.assertEqual(rc, 0, err)
        with open(self.t.p("insmod.log")) as f:
            self.assertEqual(f.read().split(), [
                "vfio", "irqbypass", "vfio_pci_core", "vfio_pci",
                "vfio_iommu_type1"])
        self.assertEqual(self.t.driver_of(A1), "vfio-pci")


class OldKernel(Base):
    """Kernels without driver_override (before 3.16): new_id and bind."""

    def setUp(self):
        super().setUp()
        for bdf in (A0, A1):
            os.unlink(self.t.dev(bdf, "driver_override"))

    def test_new_id_then_remove_id(self):
        rc, _, err = self.run_devbind("-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [
            ("sys/bus/pci/drivers/igb/unbind", A1),
            ("sys/bus/pci/drivers/vfio-pci/new_id", "8086 10c9"),
            ("sys/bus/pci/drivers/vfio-pci/remove_id", "8086 10c9"),
        ])
        self.assertIn("Note: no driver_override in this kernel: adding "
                      "8086:10c9 to vfio-pci binds every unbound device with "
                      "that id", err.splitlines())
        self.assertEqual(self.t.driver_of(A1), "vfio-pci")

    def test_bind_file_when_new_id_does_not_bind(self):
        self.k.dynids["vfio-pci"] = {("8086", "10c9")}
        rc, _, err = self.run_devbind("-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [
            ("sys/bus/pci/drivers/igb/unbind", A1),
            ("sys/bus/pci/drivers/vfio-pci/new_id", "8086 10c9"),
            ("sys/bus/pci/drivers/vfio-pci/bind", A1),
            ("sys/bus/pci/drivers/vfio-pci/remove_id", "8086 10c9"),
        ])

    def test_back_to_kernel_driver_by_bind(self):
        self.run_devbind("-b", "vfio-pci", "eth1")
        del self.k.writes[:]
        rc, _, err = self.run_devbind("-b", "igb", A1)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.k.writes, [
            ("sys/bus/pci/drivers/vfio-pci/unbind", A1),
            ("sys/bus/pci/drivers/igb/bind", A1)])
        self.assertEqual(self.t.driver_of(A1), "igb")

    def test_rollback_by_bind(self):
        self.k.refuse.add("vfio-pci")
        rc, _, err = self.run_devbind("-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 1)
        self.assertEqual(self.k.writes[-1], ("sys/bus/pci/drivers/igb/bind",
                                             A1))
        self.assertEqual(self.t.driver_of(A1), "igb")


class DryRun(Base):
    def test_prints_the_writes_and_changes_nothing(self):
        import shutil
        shutil.rmtree(self.t.p("sys/bus/pci/drivers/vfio-pci"))
        shutil.rmtree(self.t.p("sys/module/vfio_pci"))
        shutil.rmtree(self.t.p("sys/module/vfio_iommu_type1"))
        os.unlink(self.t.dev(X, "driver"))
        rc, out, err = self.run_devbind("--dry-run", "-b", "vfio-pci", "eth1")
        self.assertEqual(rc, 0, err)
        stub = self.env["DPKIT_MODPROBE"]
        self.assertEqual(self.lines(out), [
            "would run: %s vfio-pci" % stub.replace(self.t.root, "ROOT"),
            "would run: %s vfio_iommu_type1" % stub.replace(self.t.root,
                                                            "ROOT"),
            "would write '0000:01:00.1' to ROOT/sys/bus/pci/drivers/igb/"
            "unbind",
            "would write 'vfio-pci' to ROOT/sys/bus/pci/devices/0000:01:00.1/"
            "driver_override",
            "would write '0000:01:00.1' to ROOT/sys/bus/pci/drivers_probe",
        ])
        self.assertEqual(self.k.writes, [])
        self.assertFalse(os.path.exists(self.t.p("modprobe.log")))
        self.assertEqual(self.t.driver_of(A1), "igb")
        self.assertFalse(os.path.exists(self.t.p("run")))

    def test_dry_run_back_to_kernel(self):
        self.run_devbind("-b", "vfio-pci", "eth1")
        rc, out, _ = self.run_devbind("--dry-run", "-b", "igb", A1)
        self.assertEqual(self.lines(out), [
            "would write '0000:01:00.1' to ROOT/sys/bus/pci/drivers/vfio-pci/"
            "unbind",
            "would write 'igb' to ROOT/sys/bus/pci/devices/0000:01:00.1/"
            "driver_override",
            "would write '0000:01:00.1' to ROOT/sys/bus/pci/drivers_probe",
            "would write (empty: clears it) to ROOT/sys/bus/pci/devices/"
            "0000:01:00.1/driver_override",
        ])
        self.assertEqual(self.t.driver_of(A1), "vfio-pci")


class RealFiles(Base):
    """The default writer on a fake tree of plain files: what is written
    lands in the files, whole (no stale tail from a longer old value)."""

    def test_sysfs_write_truncates(self):
        path = self.t.dev(A1, "driver_override")
        devbind.sysfs_write(path, "uio_pci_generic")
        devbind.sysfs_write(path, "igb")
        self.assertEqual(fakesys.read(path), "igb")
        with self.assertRaises(OSError) as cm:
            devbind.sysfs_write(self.t.p("sys/bus/pci/nothing"), "x")
        self.assertEqual(cm.exception.errno, errno.ENOENT)


if __name__ == "__main__":
    unittest.main(verbosity=2)

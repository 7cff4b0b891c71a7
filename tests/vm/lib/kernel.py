# SPDX-License-Identifier: BSD-3-Clause
"""Guest kernel: resolve, download, unpack and cache a Debian kernel package.

The version is never pinned (Debian removes old kernels from the mirror):
it is the dependency of the newest `linux-image-amd64` metapackage apt
knows, which is bookworm-backports' when that source is configured. The
package is fetched with `apt-get download` (no root needed, nothing is
installed), unpacked with `dpkg -x`, and the unpacked tree is kept under
the cache directory; the .deb is deleted once unpacked.
"""

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time


class KernelError(Exception):
    pass


def _run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def _version_gt(a, b):
    return subprocess.run(["dpkg", "--compare-versions", a, "gt", b]).returncode == 0


def resolve_package():
    """Name of the kernel image package the newest metapackage depends on."""
    try:
        out = _run(["apt-cache", "show", "linux-image-amd64"]).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise KernelError("apt-cache show linux-image-amd64 failed: %s" % e)
    best = None
    for stanza in out.split("\n\n"):
        ver = re.search(r"^Version: (\S+)", stanza, re.M)
        dep = re.search(r"^Depends: (linux-image-[^\s,(|]+)", stanza, re.M)
        if not ver or not dep:
            continue
        if best is None or _version_gt(ver.group(1), best[0]):
            best = (ver.group(1), dep.group(1))
    if best is None:
        raise KernelError("apt knows no linux-image-amd64 (run apt-get update)")
    return best[1]


class Kernel:
    """An unpacked kernel: vmlinuz path, version and module tree."""

    def __init__(self, root):
        self.root = root
        boot = os.path.join(root, "boot")
        images = sorted(f for f in os.listdir(boot) if f.startswith("vmlinuz-"))
        if not images:
            raise KernelError("no vmlinuz in %s" % boot)
        self.vmlinuz = os.path.join(boot, images[-1])
        self.version = images[-1][len("vmlinuz-"):]
        self.modules = os.path.join(root, "lib", "modules", self.version)
        if not os.path.isdir(self.modules):
            raise KernelError("no module tree %s" % self.modules)


def fetch(cache_dir, log=print):
    """Return the cached Kernel, downloading and unpacking it if needed."""
    os.makedirs(cache_dir, exist_ok=True)
    with open(os.path.join(cache_dir, ".lock"), "w") as lock:
        # Several test runs may start at once: one downloads, others wait.
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Reuse what is cached when apt cannot say what is current
        # (no network, no lists): any unpacked kernel will do.
        try:
            pkg = resolve_package()
        except KernelError:
            cached = sorted(d for d in os.listdir(cache_dir)
                            if os.path.isfile(os.path.join(cache_dir, d, ".complete")))
            if not cached:
                raise
            pkg = cached[-1]
        dest = os.path.join(cache_dir, pkg)
        if os.path.isfile(os.path.join(dest, ".complete")):
            return Kernel(dest)
        log("dpvm: fetching kernel package %s (about 100 MB, once)" % pkg)
        t0 = time.monotonic()
        tmp = tempfile.mkdtemp(prefix="dl-", dir=cache_dir)
        try:
            try:
                _run(["apt-get", "download", pkg], cwd=tmp)
            except subprocess.CalledProcessError as e:
                # Stale package lists name a version the mirror dropped:
                # refresh them (root only) and resolve again.
                if os.geteuid() != 0:
                    raise KernelError("apt-get download %s failed: %s (as root, "
                                      "apt-get update may fix it)" % (pkg, e.stderr.strip()))
                log("dpvm: apt-get download failed, running apt-get update")
                _run(["apt-get", "-qq", "update"])
                pkg = resolve_package()
                dest = os.path.join(cache_dir, pkg)
                try:
                    _run(["apt-get", "download", pkg], cwd=tmp)
                except subprocess.CalledProcessError as e2:
                    raise KernelError("apt-get download %s failed: %s" %
                                      (pkg, e2.stderr.strip()))
            debs = [f for f in os.listdir(tmp) if f.endswith(".deb")]
            if len(debs) != 1:
                raise KernelError("apt-get download %s gave %s" % (pkg, debs))
            t1 = time.monotonic()
            unpack = os.path.join(tmp, "root")
            _run(["dpkg", "-x", os.path.join(tmp, debs[0]), unpack])
            if os.path.exists(dest):
                shutil.rmtree(dest)
            os.rename(unpack, dest)
            Kernel(dest)  # check the layout before marking it complete
            open(os.path.join(dest, ".complete"), "w").close()
            log("dpvm: kernel %s: download %.1f s, unpack %.1f s" %
                (pkg, t1 - t0, time.monotonic() - t1))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return Kernel(dest)

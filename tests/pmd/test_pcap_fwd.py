#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""pcap in -> dpkit-l2fwd -> pcap out, checked with tcpdump.

Usage: test_pcap_fwd.py L2FWD SOURCE_ROOT

1. tests/data/gen_sample_pcap.py regenerates the committed sample capture
   byte for byte (the bundled file is what the script makes).
2. dpkit-l2fwd forwards the sample (296 frames, 60..1514 bytes) and a
   capture with 9000-byte frames (chains of 2 KB mbufs inside l2fwd) from
   net_pcap0 to net_pcap1 with MAC updating on.
3. tcpdump (a reader independent of the PMD and of libpcap's writer side
   here: it only reads) prints both files with -xx and nanosecond time
   stamps. Every output frame must equal its input frame byte for byte,
   except the 12 MAC address bytes l2fwd rewrites (destination
   02:00:00:00:00:01, source the port's 02:70:63:61:70:01), with the same
   nanosecond time stamp.
Exits 77 (skip) when tcpdump is missing.
"""

import os
import shutil
import subprocess
import sys
import tempfile

DST_MAC = bytes([0x02, 0, 0, 0, 0, 0x01])
SRC_MAC = bytes([0x02, 0x70, 0x63, 0x61, 0x70, 0x01])  # net_pcap1 (port 1)


def tcpdump_frames(path):
    """[(timestamp text, bytes)] as tcpdump prints them."""
    out = subprocess.run(
        ["tcpdump", "-r", path, "-nn", "-xx", "-tt",
         "--time-stamp-precision=nano"],
        check=True, capture_output=True, text=True).stdout
    frames = []
    for line in out.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            frames.append([line.split()[0], bytearray()])
            continue
        words = line.split()
        if not words[0].startswith("0x"):
            continue
        for w in words[1:]:
            frames[-1][1] += bytes.fromhex(w)
    return [(ts, bytes(b)) for ts, b in frames]


def forward(l2fwd, src, dst, count):
    cmd = [l2fwd, "--no-huge", "-m", "128", "--no-pci", "-l", "0",
           "--log-level=warning",
           "--vdev=net_pcap0,rx_pcap=" + src,
           "--vdev=net_pcap1,tx_pcap=" + dst,
           "--", "-p", "3", "-q", "2", "-T", "0", "--max-pkts", str(count)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    sys.stdout.write(r.stdout)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit("dpkit-l2fwd failed (%d): %s" % (r.returncode,
                                                          " ".join(cmd)))


def check(name, fin, fout):
    if len(fin) != len(fout):
        raise SystemExit("%s: %d frames in, %d out" % (name, len(fin),
                                                       len(fout)))
    for i, ((tin, bin_), (tout, bout)) in enumerate(zip(fin, fout)):
        if tin != tout:
            raise SystemExit("%s frame %d: time stamp %s in, %s out" %
                             (name, i, tin, tout))
        if len(bin_) != len(bout):
            raise SystemExit("%s frame %d: %d bytes in, %d out" %
                             (name, i, len(bin_), len(bout)))
        if bout[:6] != DST_MAC or bout[6:12] != SRC_MAC:
            raise SystemExit("%s frame %d: MACs %s %s, expected %s %s" %
                             (name, i, bout[:6].hex(), bout[6:12].hex(),
                              DST_MAC.hex(), SRC_MAC.hex()))
        if bout[12:] != bin_[12:]:
            diff = next(k for k in range(12, len(bin_)) if bin_[k] != bout[k])
            raise SystemExit("%s frame %d: byte %d differs (%02x in, %02x out)"
                             % (name, i, diff, bin_[diff], bout[diff]))
    print("%s: %d frames forwarded, identical but for the MAC rewrite, "
          "time stamps kept (%d..%d bytes)" %
          (name, len(fin), min(len(b) for _, b in fin),
           max(len(b) for _, b in fin)))


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    l2fwd, root = sys.argv[1], sys.argv[2]
    if shutil.which("tcpdump") is None:
        print("SKIP: tcpdump is not installed (devtools/test installs it: "
              "apt-get install tcpdump)")
        return 77
    gen = os.path.join(root, "tests", "data", "gen_sample_pcap.py")
    sample = os.path.join(root, "tests", "data", "sample.pcap")
    with tempfile.TemporaryDirectory(prefix="dpkit-pcap-fwd.") as tmp:
        regen = os.path.join(tmp, "sample.pcap")
        subprocess.run([sys.executable, gen, regen], check=True)
        with open(regen, "rb") as a, open(sample, "rb") as b:
            if a.read() != b.read():
                raise SystemExit("tests/data/sample.pcap differs from what "
                                 "gen_sample_pcap.py makes: regenerate it")
        jumbo = os.path.join(tmp, "jumbo.pcap")
        subprocess.run([sys.executable, gen, "--jumbo", "3", jumbo],
                       check=True)
        for name, src in (("sample", sample), ("jumbo", jumbo)):
            dst = os.path.join(tmp, name + "_out.pcap")
            fin = tcpdump_frames(src)
            forward(l2fwd, src, dst, len(fin))
            check(name, fin, tcpdump_frames(dst))
        if max(len(b) for _, b in tcpdump_frames(jumbo)) != 9000:
            raise SystemExit("the jumbo capture has no 9000-byte frame")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Pool the outputs of alternating dpkit/DPDK benchmark runs into one table.

Usage: aggregate.py DIR
DIR holds dpkit.N and dpdk.N (N = 1..pairs), each the stdout of one process:
"name value unit" lines, "#" comments, and "# raw FIG REP VALUE UNIT c2c=NS"
lines for two-core repetitions. Prints, per figure:

  <figure> dpkit=<median> dpdk=<median> unit=<unit> ratio=<dpkit/dpdk cost>
      spread=dpkit:<(max-min)/median>,dpdk:<...> pairs=<min>-<max of per-pair ratios>

Medians are over processes (each process already reports the median of its
repetitions). A rate is turned into a cost (1/rate) before the ratio, so
ratio < 1.0 always means dpkit is faster. Two-core figures are also split
by the cache-line round trip measured before each repetition (near < 250 ns
<= far), because the host moves the two vCPUs between those placements.
"""

import os
import re
import sys

NEAR_FAR_NS = 250.0
INFO_UNITS = {"Hz", "GHz"}


def is_rate(unit):
    return unit.endswith("/s") or unit.endswith("pps")


def parse(path):
    figs, raw = {}, []
    order = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            m = re.match(r"#\s*raw\s+(\S+)\s+\d+\s+(\S+)\s+(\S+)\s+c2c=(\S+)", line)
            if m:
                raw.append((m.group(1), float(m.group(2)), m.group(3),
                            float(m.group(4))))
                continue
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 3:
                continue
            try:
                val = float(parts[1])
            except ValueError:
                continue
            figs[parts[0]] = (val, parts[2])
            order.append(parts[0])
    return figs, raw, order


def median(v):
    v = sorted(v)
    n = len(v)
    if n == 0:
        return None
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def fmt(v):
    if v is None:
        return "-"
    a = abs(v)
    if a >= 1000:
        return "%.0f" % v
    if a >= 100:
        return "%.1f" % v
    if a >= 10:
        return "%.2f" % v
    return "%.3f" % v


def spread(v):
    m = median(v)
    if not v or not m:
        return "-"
    return "%.0f%%" % ((max(v) - min(v)) / m * 100)


def cost(v, unit):
    return 1.0 / v if is_rate(unit) and v else v


def main():
    d = sys.argv[1]
    sides = {"dpkit": [], "dpdk": []}
    for side in sides:
        n = 1
        while os.path.exists(os.path.join(d, "%s.%d" % (side, n))):
            sides[side].append(parse(os.path.join(d, "%s.%d" % (side, n))))
            n += 1
    if not sides["dpkit"]:
        print("# no dpkit runs in %s" % d)
        return 1
    have_peer = bool(sides["dpdk"])

    order = []
    for runs in sides.values():
        for _, _, o in runs:
            for name in o:
                if name not in order:
                    order.append(name)

    # Processes that ran slowed down (core clock estimate well below the
    # others) make every figure of theirs suspect: say so.
    for side, runs in sides.items():
        ghz = [r[0].get("cpu_core_ghz_est", (0, ""))[0] for r in runs]
        top = max(ghz) if ghz else 0
        for i, g in enumerate(ghz):
            if top and g < 0.85 * top:
                print("# warning: %s run %d started at %.2f GHz (est.) vs "
                      "%.2f best: its figures are suspect" % (side, i + 1, g, top))

    worst = None
    for name in order:
        vals = {}
        unit = None
        for side, runs in sides.items():
            vals[side] = [r[0][name][0] for r in runs if name in r[0]]
            for r in runs:
                if name in r[0]:
                    unit = r[0][name][1]
        mk = median(vals["dpkit"])
        mp = median(vals["dpdk"]) if have_peer else None
        ratio = "-"
        pairs = "-"
        if unit not in INFO_UNITS and mk is not None and mp:
            r = cost(mk, unit) / cost(mp, unit)
            ratio = "%.2f" % r
            pr = [cost(a, unit) / cost(b, unit)
                  for a, b in zip(vals["dpkit"], vals["dpdk"]) if b and a]
            if pr:
                pairs = "%.2f-%.2f" % (min(pr), max(pr))
            if unit.startswith("cyc/"):
                worst = r if worst is None else max(worst, r)
        print("%s dpkit=%s dpdk=%s unit=%s ratio=%s spread=dpkit:%s,dpdk:%s "
              "pairs=%s" % (name, fmt(mk), fmt(mp), unit, ratio,
                            spread(vals["dpkit"]),
                            spread(vals["dpdk"]) if have_peer else "-", pairs))

    # Two-core figures, split by placement.
    raw_names = []
    for runs in sides.values():
        for _, raw, _ in runs:
            for fig, _, _, _ in raw:
                if fig not in raw_names:
                    raw_names.append(fig)
    for fig in raw_names:
        for cls in ("near", "far"):
            vals, unit = {}, "Mops/s"
            for side, runs in sides.items():
                vals[side] = []
                for _, raw, _ in runs:
                    for f, v, u, c2c in raw:
                        if f == fig and (c2c < NEAR_FAR_NS) == (cls == "near"):
                            vals[side].append(v)
                            unit = u
            if not vals["dpkit"] and not vals["dpdk"]:
                continue
            mk, mp = median(vals["dpkit"]), median(vals["dpdk"])
            ratio = "%.2f" % (cost(mk, unit) / cost(mp, unit)) if mk and mp else "-"
            print("%s@%s dpkit=%s dpdk=%s unit=%s ratio=%s spread=dpkit:%s,dpdk:%s "
                  "n=dpkit:%d,dpdk:%d" % (fig, cls, fmt(mk), fmt(mp), unit, ratio,
                                          spread(vals["dpkit"]), spread(vals["dpdk"]),
                                          len(vals["dpkit"]), len(vals["dpdk"])))

    if worst is not None:
        print("# single-core figures (cyc/*): worst ratio %.2f, %s" %
              (worst, "all <= 1.00" if worst <= 1.0 else "NOT all <= 1.00"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

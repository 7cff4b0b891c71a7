#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Pool the outputs of alternating dpkit/DPDK benchmark runs into one table.

Usage: aggregate.py DIR

DIR holds dpkit.N and dpdk.N (N = 1..pairs): the stdout of the processes
of pair N (one process per figure), concatenated. A process prints
"name value unit" lines, "#" comments, and "# raw FIG REP VALUE UNIT c2c=NS"
for every two-core repetition. Prints, per figure:

  <figure> dpkit=<median> dpdk=<median> unit=<unit> ratio=<dpkit/dpdk cost>
      spread=dpkit:<(max-min)/median>,dpdk:<...> pairs=<min>-<max> [slow=...]

Medians are over pairs (each process already reports the median of its
repetitions). A rate is turned into a cost (1/rate) before the ratio, so
ratio < 1.0 always means dpkit is faster. pairs is the range of the ratios
of the two runs of the same pair. slow counts samples from processes whose
core clock estimate (start or end) was under 85 % of the best seen: the
vCPU was slowed by other load; busy counts samples measured while another
CPU was more than 25 % busy (/proc/stat; on a two-vCPU VM the other vCPU
may be this one's SMT sibling). Those samples are suspect; clean is then
the median per-pair ratio over the pairs where neither run was disturbed,
and how many there were. Two-core
figures are also split by the cache-line round trip measured before each
repetition (near < 250 ns <= far), because the host moves the two vCPUs
between those placements.
"""

import os
import re
import sys

NEAR_FAR_NS = 250.0
SLOW_FRACTION = 0.85
BUSY_PERCENT = 25.0
INFO_UNITS = {"Hz", "GHz"}


def is_rate(unit):
    return unit.endswith("/s") or unit.endswith("pps")


def median(v):
    v = sorted(v)
    n = len(v)
    if n == 0:
        return None
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def parse(path):
    """One file -> list of processes, each {"figs": {name: (value, unit)},
    "raw": [(fig, value, unit, c2c)], "ghz": min clock estimate}."""
    procs = []
    cur = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if re.match(r"#\s*\S+ bench: ", line) or cur is None:
                cur = {"figs": {}, "raw": [], "order": [], "busy": {}}
                procs.append(cur)
                if line.startswith("#"):
                    continue
            m = re.match(r"#\s*(\S+): .*other_busy=([0-9.]+)%", line)
            if m:
                cur["busy"][m.group(1)] = float(m.group(2))
                continue
            m = re.match(r"#\s*raw\s+(\S+)\s+\d+\s+(\S+)\s+(\S+)\s+c2c=(\S+)", line)
            if m:
                cur["raw"].append((m.group(1), float(m.group(2)), m.group(3),
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
            cur["figs"][parts[0]] = (val, parts[2])
            cur["order"].append(parts[0])
    for p in procs:
        g = [p["figs"][k][0] for k in ("cpu_core_ghz_est", "cpu_core_ghz_est_end")
             if k in p["figs"]]
        p["ghz"] = min(g) if g else None
    return [p for p in procs if p["figs"] or p["raw"]]


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
    # sides[side][pair] = list of processes
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

    best = max([p["ghz"] for pairs in sides.values() for procs in pairs
                for p in procs if p["ghz"]] or [0])
    order, units = [], {}
    for pairs in sides.values():
        for procs in pairs:
            for p in procs:
                for name in p["order"]:
                    if name not in order:
                        order.append(name)
                    units[name] = p["figs"][name][1]

    def sample(procs, name):
        """Value of @name in one pair (median if several processes printed
        it) and whether it was disturbed: measured in a slowed process, or
        while another CPU was busy."""
        vals = [p["figs"][name][0] for p in procs if name in p["figs"]]
        slow = any(p["ghz"] and best and p["ghz"] < SLOW_FRACTION * best
                   for p in procs if name in p["figs"])
        busy = any(p["busy"].get(name, 0) > BUSY_PERCENT
                   for p in procs if name in p["figs"])
        return (median(vals), slow, busy) if vals else (None, False, False)

    # Clock and TSC lines first, then the figures in the order measured.
    order = ([n for n in order if units[n] in INFO_UNITS] +
             [n for n in order if units[n] not in INFO_UNITS])
    worst = None
    for name in order:
        unit = units[name]
        vals, slow, busy = {}, {}, {}
        per_pair = {}
        for side, pairs in sides.items():
            s = [sample(procs, name) for procs in pairs]
            per_pair[side] = s
            vals[side] = [v for v, _, _ in s if v is not None]
            slow[side] = sum(1 for v, sl, _ in s if v is not None and sl)
            busy[side] = sum(1 for v, _, b in s if v is not None and b)
        mk = median(vals["dpkit"])
        mp = median(vals["dpdk"]) if have_peer else None
        ratio, pairs = "-", "-"
        extra = ""
        if unit not in INFO_UNITS and mk and mp:
            r = cost(mk, unit) / cost(mp, unit)
            ratio = "%.2f" % r
            both = [(a, b, sa or sb or ba or bb) for (a, sa, ba), (b, sb, bb) in
                    zip(per_pair["dpkit"], per_pair["dpdk"]) if a and b]
            pr = [cost(a, unit) / cost(b, unit) for a, b, _ in both]
            if pr:
                pairs = "%.2f-%.2f" % (min(pr), max(pr))
            if unit.startswith("cyc/"):
                worst = r if worst is None else max(worst, r)
            if slow["dpkit"] or slow["dpdk"]:
                extra += " slow=dpkit:%d,dpdk:%d" % (slow["dpkit"], slow["dpdk"])
            if busy["dpkit"] or busy["dpdk"]:
                extra += " busy=dpkit:%d,dpdk:%d" % (busy["dpkit"], busy["dpdk"])
            if extra:
                # The same ratio from the pairs where neither run was disturbed.
                clean = [cost(a, unit) / cost(b, unit) for a, b, d in both
                         if not d]
                extra += " clean=%s/%d" % (
                    "%.2f" % median(clean) if clean else "-", len(clean))
        print("%s dpkit=%s dpdk=%s unit=%s ratio=%s spread=dpkit:%s,dpdk:%s "
              "pairs=%s%s" % (name, fmt(mk), fmt(mp), unit, ratio,
                              spread(vals["dpkit"]),
                              spread(vals["dpdk"]) if have_peer else "-",
                              pairs, extra))

    # Two-core figures, split by placement (every repetition is a sample).
    raw_names = []
    for pairs in sides.values():
        for procs in pairs:
            for p in procs:
                for fig, _, _, _ in p["raw"]:
                    if fig not in raw_names:
                        raw_names.append(fig)
    for fig in raw_names:
        for cls in ("near", "far"):
            vals, unit = {}, "Mops/s"
            for side, pairs in sides.items():
                vals[side] = []
                for procs in pairs:
                    for p in procs:
                        for f, v, u, c2c in p["raw"]:
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

    if best:
        print("# best core clock estimate %.2f GHz; slow = samples from processes "
              "under %.2f GHz" % (best, SLOW_FRACTION * best))
    if worst is not None:
        print("# single-core figures (cyc/*): worst ratio %.2f, %s" %
              (worst, "all <= 1.00" if worst <= 1.0 else "NOT all <= 1.00"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

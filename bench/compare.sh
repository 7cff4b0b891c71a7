#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench/compare.sh [options] [group...]
#
# Side-by-side benchmark of dpkit against Debian's DPDK 22.11 on this
# machine. Builds dpkit-bench (meson, -Dbench=true) and the DPDK peer (gcc
# against libdpdk-dev, from the same measurement core and group sources),
# runs them alternately (one warm-up run each, then for --pairs pairs one
# process per figure: dpkit, DPDK, dpkit, DPDK, ...), and prints one line
# per figure:
#
#   <figure> dpkit=<v> dpdk=<v> unit=<u> ratio=<dpkit/dpdk cost> spread=... pairs=...
#
# ratio < 1.0 means dpkit is faster (rates are turned into costs first).
# Values are medians over the pairs; spread is (max-min)/median per side,
# pairs the range of the per-pair ratios. docs/benchmarks.md explains the
# method and how to read the noise.
#
# Options:
#   --pairs N      alternating pairs (default 5, at least 5 for a table)
#   --reps N       single-core repetitions per figure and process (default 51)
#   --rep-ms M     length of one single-core repetition (default 2)
#   --reps2c N, --rep2c-ms M  the same for two-core figures (3, 300)
#   --only TEXT    only the figures whose name contains TEXT
#   --build DIR    meson build directory for dpkit-bench (default build-bench)
#   --out DIR      keep the raw outputs there (default: DIR/compare-<time>)
#   -h, --help     this text
# Groups: any of `dpkit-bench --list` (default: all).
#
# Needs root only to install libdpdk-dev and to raise the number of 2 MB
# hugepages DPDK runs on (it is only ever raised, never lowered), and for
# group afpacket: a veth pair in a network namespace of its own
# (dpkpcap-bench, removed on exit), where both programs run with the same
# --vdev=net_af_packet0/1 devargs. Without root that group is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PAIRS=5
BUILD=build-bench
OUT=
BENCH_ARGS=()
GROUPS_ARG=()
HUGEPAGES_NEEDED=40	# 80 MB: 64 MB for dpkit (-m 64: the 19 MB mbuf pool), slack for DPDK

usage() { sed -n '3,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case "$1" in
	--pairs) PAIRS=$2; shift 2 ;;
	--reps|--rep-ms|--reps2c|--rep2c-ms|--only) BENCH_ARGS+=("$1" "$2"); shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
	*) GROUPS_ARG+=("$1"); shift ;;
	esac
done
case "$PAIRS" in
''|*[!0-9]*) echo "compare.sh: --pairs needs a number" >&2; exit 1 ;;
esac
[ "$PAIRS" -ge 1 ] || { echo "compare.sh: --pairs must be >= 1" >&2; exit 1; }

. devtools/deps.sh
note() { echo "# $*"; }
log() { echo "compare.sh: $*" >&2; }

# ---- dpkit side ----------------------------------------------------------
dp_need_packages $DP_BUILD_PACKAGES
if [ ! -f "$BUILD/build.ninja" ]; then
	meson setup "$BUILD" -Dbench=true -Dtests=false -Dexamples=false \
		-Dbuildtype=release -Dmachine=native >/dev/null
fi
ninja -C "$BUILD" -j2 bench/dpkit-bench >/dev/null
DPKIT_BIN=$BUILD/bench/dpkit-bench

# ---- DPDK peer -----------------------------------------------------------
PEER_BIN=$BUILD/bench/dpdk-bench
PEER_OK=1
if ! pkg-config --exists libdpdk 2>/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		log "installing libdpdk-dev for the DPDK peer"
		dp_need_packages libdpdk-dev || true
	fi
fi
if ! pkg-config --exists libdpdk 2>/dev/null; then
	PEER_OK=0
	PEER_WHY="libdpdk-dev is not installed and could not be installed (run as root with a Debian 12 mirror: apt-get install libdpdk-dev)"
fi
PEER_SRCS=(bench/main.c bench/core/*.c bench/groups/*.c bench/side/dpdk/*.c)
PEER_BUILD_CMD=
if [ $PEER_OK = 1 ]; then
	# -march=native must come after the pkg-config flags, which carry
	# -march=corei7: gcc uses the last -march it is given.
	PEER_BUILD_CMD="gcc -O3 -Wall -Wextra $(pkg-config --cflags libdpdk) -march=native -Ibench/core -Ibench/groups -Ibench/side/dpdk -o $PEER_BIN ${PEER_SRCS[*]} $(pkg-config --libs libdpdk) -lrte_bus_vdev"
	if ! $PEER_BUILD_CMD; then
		PEER_OK=0
		PEER_WHY="the DPDK peer did not build (command above)"
	fi
fi

# Both sides run on 2 MB hugepages from memfd (--in-memory: no files, no
# mount needed), one process at a time. Raise the pool if too few pages
# are free; never lower it. Without them, both fall back to 4 KB pages.
DPDK_MEM=(--in-memory)
DPKIT_MEM=(--in-memory -m 64)
HP=/sys/kernel/mm/hugepages/hugepages-2048kB
free_hp=$(cat $HP/free_hugepages 2>/dev/null || echo 0)
if [ "$free_hp" -lt $HUGEPAGES_NEEDED ]; then
	total=$(cat $HP/nr_hugepages 2>/dev/null || echo 0)
	want=$((total + HUGEPAGES_NEEDED - free_hp))
	if [ "$(id -u)" = 0 ] && echo $want > /proc/sys/vm/nr_hugepages 2>/dev/null; then
		HP_NOTE="raised nr_hugepages from $total to $(cat $HP/nr_hugepages) (2 MB pages; left there)"
	fi
	free_hp=$(cat $HP/free_hugepages 2>/dev/null || echo 0)
fi
if [ "$free_hp" -lt $HUGEPAGES_NEEDED ]; then
	DPDK_MEM=(--no-huge -m 512 --no-shconf)
	DPKIT_MEM=(--no-huge -m 64)
	HP_NOTE="only $free_hp free 2 MB hugepages: both sides run on 4 KB pages (--no-huge)"
fi

# Group afpacket: a veth pair in a private network namespace (removed on
# exit), and the same af_packet devargs for both libraries: DPDK 22.11's
# defaults, spelled out so that neither side can differ.
AFP_NS=dpkpcap-bench
AFP_ARGS=",blocksz=4096,framesz=2048,framecnt=512,qdisc_bypass=1"
NETNS_RUN=()
AFP_VDEVS=()
wants_group() {
	[ ${#GROUPS_ARG[@]} -eq 0 ] && return 0
	printf '%s\n' "${GROUPS_ARG[@]}" | grep -qx "$1"
}
if wants_group afpacket; then
	ip netns del $AFP_NS 2>/dev/null || true	# left by an interrupted run
	if [ "$(id -u)" = 0 ] && ip netns add $AFP_NS 2>/dev/null; then
		trap 'ip netns del $AFP_NS 2>/dev/null || true' EXIT
		ip -n $AFP_NS link add dpkpcap-ba type veth peer name dpkpcap-bb
		ip netns exec $AFP_NS sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
		ip -n $AFP_NS link set lo up
		ip -n $AFP_NS link set dpkpcap-ba up
		ip -n $AFP_NS link set dpkpcap-bb up
		NETNS_RUN=(ip netns exec $AFP_NS)
		AFP_VDEVS=("--vdev=net_af_packet0,iface=dpkpcap-ba$AFP_ARGS"
			"--vdev=net_af_packet1,iface=dpkpcap-bb$AFP_ARGS")
		AFP_NOTE="afpacket: veth pair dpkpcap-ba/dpkpcap-bb in network namespace $AFP_NS; both sides: iface=...$AFP_ARGS; main lcore 0 sends and receives"
	else
		AFP_NOTE="afpacket: skipped: the veth pair needs root and network namespaces"
	fi
fi

DPKIT_CMD=("${NETNS_RUN[@]}" "$DPKIT_BIN" -l 0,1 "${DPKIT_MEM[@]}" --no-pci
	--file-prefix=bench$$ --log-level=warning "${AFP_VDEVS[@]}" --)
DPDK_CMD=("${NETNS_RUN[@]}" "$PEER_BIN" -l 0,1 "${DPDK_MEM[@]}" --no-pci
	--file-prefix=bench$$ --log-level=lib.eal:notice "${AFP_VDEVS[@]}" --)

# ---- run -----------------------------------------------------------------
[ -n "$OUT" ] || OUT=$BUILD/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
rm -f "$OUT"/dpkit.* "$OUT"/dpdk.*

run_dpkit() { "${DPKIT_CMD[@]}" "${BENCH_ARGS[@]}" "$@" "${GROUPS_ARG[@]}" 2>>"$OUT/stderr.log"; }
run_dpdk() { "${DPDK_CMD[@]}" "${BENCH_ARGS[@]}" "$@" "${GROUPS_ARG[@]}" 2>>"$OUT/stderr.log"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "warm-up (one whole run of each side)"
run_dpkit >"$OUT/warmup.dpkit"
[ $PEER_OK = 1 ] && run_dpdk >"$OUT/warmup.dpdk"
# One process per figure, dpkit then DPDK: the two runs of a figure are
# about a second apart, so a burst of load from elsewhere on the machine
# tends to hit both or neither. The figure list comes from the warm-up.
FIGS=$(awk '!/^#/ && NF == 3 && $3 != "Hz" && $3 != "GHz" && $1 !~ /_c2c_rtt$/ {print $1}' "$OUT/warmup.dpkit")
[ -n "$FIGS" ] || { log "dpkit-bench printed no figure (see $OUT)"; exit 1; }
for i in $(seq 1 "$PAIRS"); do
	log "pair $i/$PAIRS"
	: >"$OUT/dpkit.$i"
	[ $PEER_OK = 1 ] && : >"$OUT/dpdk.$i"
	for f in $FIGS; do
		run_dpkit --only "$f" >>"$OUT/dpkit.$i"
		[ $PEER_OK = 1 ] && run_dpdk --only "$f" >>"$OUT/dpdk.$i"
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report --------------------------------------------------------------
note "bench/compare.sh ${GROUPS_ARG[*]:-(all groups)}: $PAIRS pairs, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
note "dpkit: ${DPKIT_CMD[*]} ${BENCH_ARGS[*]} ${GROUPS_ARG[*]}"
if [ $PEER_OK = 1 ]; then
	note "dpdk:  ${DPDK_CMD[*]} ${BENCH_ARGS[*]} ${GROUPS_ARG[*]}"
	note "peer built with: $PEER_BUILD_CMD"
else
	note "NOTE: DPDK peer skipped: $PEER_WHY. dpkit figures only."
fi
[ -n "${HP_NOTE:-}" ] && note "$HP_NOTE"
[ -n "${AFP_NOTE:-}" ] && note "$AFP_NOTE"
note "one process per figure and side, alternating; load average before: $LOAD_BEFORE, after: $LOAD_AFTER"
note "raw outputs: $OUT"
note "ratio = dpkit cost / dpdk cost (< 1.0: dpkit faster); medians over pairs"
python3 bench/aggregate.py "$OUT"

# SPDX-License-Identifier: BSD-3-Clause
# Helpers of the igb PMD scenarios (s6..s8): run dpkit-testpmd and
# dpkit-l2fwd in the background, tell the host when they forward, and read
# their counters. Sourced by those scenarios after lib.sh.

# Commands testpmd reads from stdin (-i): forward until --nb-pkts, then
# print every counter and quit (closing the ports, checking the mbufs).
PMD_TP_CMDS="start
wait
show port stats all
show port xstats all
quit"

# pmd_bg TOKEN OUT READY_REGEX CMD...: run CMD in the background with its
# output in OUT; DPVM-READY TOKEN once OUT matches READY_REGEX. Sets
# PMD_PID. Fails the check (and returns 1) if it never gets ready.
pmd_bg() {
	local token=$1 out=$2 re=$3
	shift 3
	echo "+ $*"
	"$@" > "$out" 2>&1 &
	PMD_PID=$!
	if dpvm_wait 40 grep -q "$re" "$out"; then
		dpvm_ready "$token"
		return 0
	fi
	dpvm_fail "$token: '$1' did not start forwarding"
	sed 's/^/  | /' "$out"
	kill "$PMD_PID" 2>/dev/null
	return 1
}

# pmd_testpmd TOKEN OUT ARGS...: testpmd -i with PMD_TP_CMDS; waits for it
# and returns its exit status.
pmd_testpmd() {
	local token=$1 out=$2 rc
	shift 2
	echo "$PMD_TP_CMDS" > /tmp/pmd.cmds
	pmd_bg "$token" "$out" "forwards packets on" \
		sh -c 'exec "$@" -i < /tmp/pmd.cmds' sh dpkit-testpmd "$@" || return 1
	wait "$PMD_PID"
	rc=$?
	sed 's/^/  | /' "$out"
	return $rc
}

# pmd_nic_stat OUT PORT NAME: a counter of "show port stats" (RX-packets, ...).
pmd_nic_stat() {
	awk -v p="$2" -v n="$3:" 'BEGIN { cur = -1 }
		/NIC statistics for port/ { for (i = 1; i <= NF; i++) if ($i == "port") cur = $(i + 1) }
		cur == p { for (i = 1; i < NF; i++) if ($i == n) { print $(i + 1); exit } }' "$1"
}

# pmd_xstat OUT PORT NAME: an extended counter of "show port xstats".
pmd_xstat() {
	awk -v p="$2" -v n="$3:" 'BEGIN { cur = -1 }
		/^###### NIC extended statistics for port/ { cur = $NF }
		cur == p && $1 == n { print $2; exit }' "$1"
}

# pmd_fwd_checks NAME OUT N: testpmd forwarded N frames from port 0 to
# port 1 and counted them in software and in the NIC; DPVM-COUNT for the
# host, which compares with what it sent and received.
pmd_fwd_checks() {
	local name=$1 out=$2 n=$3 rx tx hrx htx
	rx=$(pmd_nic_stat "$out" 0 RX-packets)
	tx=$(pmd_nic_stat "$out" 1 TX-packets)
	hrx=$(pmd_xstat "$out" 0 rx_good_packets_hw)
	htx=$(pmd_xstat "$out" 1 tx_good_packets_hw)
	echo "DPVM-COUNT $name rx=$rx tx=$tx"
	dpvm_check "$name: port 0 received $n (RX-packets $rx, NIC GPRC $hrx)" \
		test "$rx" = "$n" -a "$hrx" = "$n"
	dpvm_check "$name: port 1 sent $n (TX-packets $tx, NIC GPTC $htx)" \
		test "$tx" = "$n" -a "$htx" = "$n"
	dpvm_check "$name: every mbuf back in the pool after the ports closed" \
		grep -q "mbufs still in use after closing the ports: 0" "$out"
}

# pmd_cpu_ticks PID: user + system time of a process, in clock ticks.
pmd_cpu_ticks() {
	# Fields 14 and 15 of /proc/PID/stat; the name (field 2) has no space.
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# pmd_section TITLE: a heading in the serial log.
pmd_section() {
	echo "=== $*"
}

# pmd_fwd_total OUT NAME: RX-packets or TX-packets of testpmd's
# "Accumulated forward statistics for all ports".
pmd_fwd_total() {
	awk -v n="$2:" '
		/Accumulated forward statistics/ { on = 1; next }
		on && $1 == n { print $2; exit }' "$1"
}

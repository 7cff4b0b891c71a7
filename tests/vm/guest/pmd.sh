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

# pmd_l2fwd_run N EAL_ARGS...: dpkit-l2fwd forwards N frames between ports
# 0 and 1 (host token "l2fwd"); its counters and the mbuf count checked.
pmd_l2fwd_run() {
	local n=$1 rc rx tx
	shift
	pmd_bg l2fwd /tmp/l2fwd.out "^l2fwd: " dpkit-l2fwd "$@" -- -p 3 -T 0 \
		--max-pkts "$n" || return 1
	wait "$PMD_PID"
	rc=$?
	dpvm_check "l2fwd: exited with status 0" test $rc = 0
	sed 's/^/  | /' /tmp/l2fwd.out
	rx=$(awk '$1 == "Port" && $2 == "0" { print $4 }' /tmp/l2fwd.out)
	tx=$(awk '$1 == "Port" && $2 == "1" { print $6 }' /tmp/l2fwd.out)
	echo "DPVM-COUNT l2fwd rx=$rx tx=$tx"
	dpvm_check "l2fwd: port 0 received $n, port 1 sent $n (got $rx, $tx)" \
		test "$rx" = "$n" -a "$tx" = "$n"
	dpvm_check "l2fwd: every mbuf back in the pool" \
		grep -q "mbufs still in use after closing the ports: 0" /tmp/l2fwd.out
}

# pmd_intr_run WHAT N EAL_ARGS...: testpmd --rx-intr on idle ports uses
# almost no CPU (process time from /proc/PID/stat over 3 s), then forwards
# the burst of N frames the host sends (token "intr-burst") in full, after
# an RX interrupt woke its lcore. WHAT names the interrupt path.
pmd_intr_run() {
	local what=$1 n=$2 t0 t1 ticks rc rx tx
	shift 2
	pmd_bg intr-idle /tmp/intr.out "forwards packets on" dpkit-testpmd "$@" \
		-- --forward-mode=io --nb-pkts="$n" --rx-intr || return 1
	sleep 1
	t0=$(pmd_cpu_ticks "$PMD_PID")
	sleep 3
	t1=$(pmd_cpu_ticks "$PMD_PID")
	ticks=$((t1 - t0))
	dpvm_check "testpmd --rx-intr ($what), idle: $ticks CPU ticks in 3 s (near zero)" \
		test "$ticks" -le 30
	dpvm_ready intr-burst
	wait "$PMD_PID"
	rc=$?
	dpvm_check "rx-intr: testpmd exited with status 0" test $rc = 0
	sed 's/^/  | /' /tmp/intr.out
	rx=$(pmd_fwd_total /tmp/intr.out RX-packets)
	tx=$(pmd_fwd_total /tmp/intr.out TX-packets)
	echo "DPVM-COUNT intr-burst rx=$rx tx=$tx"
	dpvm_check "rx-intr: the burst of $n frames was forwarded in full (RX $rx, TX $tx)" \
		test "$rx" = "$n" -a "$tx" = "$n"
	dpvm_check "rx-intr: the lcore slept and an RX interrupt woke it" \
		grep -Eq "rx-intr: lcore 1 slept [1-9][0-9]* times, [1-9][0-9]* woken" \
		/tmp/intr.out
}

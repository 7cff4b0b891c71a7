/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PMD_CKSUM_PRIVATE_H
#define PMD_CKSUM_PRIVATE_H

/*
 * Completing the checksums of frames a kernel interface hands over
 * unfinished: on veth and tap, frames sent by the local stack arrive at a
 * packet socket with the TCP/UDP checksum left to the (virtual) hardware
 * (CHECKSUM_PARTIAL, TP_STATUS_CSUMNOTREADY). A port that forwards them
 * must compute it, or the receiver drops them.
 */

#include <dp_mbuf.h>

/**
 * Compute and store the TCP or UDP checksum of the frame in @p m (IPv4,
 * or IPv6 without extension headers; one optional 802.1Q/802.1ad tag; not
 * a fragment).
 *
 * @return
 *   true if a checksum was written, false if the frame is not one of
 *   those, is malformed or is not contiguous (then it is left as it was).
 */
bool pmd_cksum_complete(struct dp_mbuf *m);

#endif /* PMD_CKSUM_PRIVATE_H */

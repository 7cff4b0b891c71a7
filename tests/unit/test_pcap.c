/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap tests on files the test writes and reads itself (its own pcap
 * writer and reader, not libpcap): bytes and nanosecond time stamps in and
 * out, chains for jumbo frames and multi-segment TX, truncated and corrupt
 * files (packets before the damage, one log line with the offset, ierrors,
 * then nothing), infinite_rx, several queues, flush on stop and close,
 * restart appending, argument errors; every mbuf back in its pool.
 */

#include "test_helpers.h"
#include "test_pmd_helpers.h"

#include <time.h>
#include <sys/stat.h>

#include <dp_bus_vdev.h>
#include <dp_eal.h>
#include <dp_ethdev_driver.h>
#include <dp_mbuf.h>

#define NB_MBUF 2048
#define MAX_FRAMES 64
#define T0_NS (1700000000ull * 1000000000ull + 123456789ull)

static char dir[64];

/* ---- the test's own pcap writer and reader --------------------------------- */

struct frame {
	uint8_t *data;
	uint32_t len;
	uint64_t ts;	/* ns */
};

struct capture {
	uint32_t magic;
	unsigned int n;
	struct frame f[MAX_FRAMES];
};

static void
path_of(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

/* Frame @p i of a test series: length @p len, bytes from @p seed. */
static uint8_t *
make_bytes(uint32_t len, unsigned int seed)
{
	uint8_t *d = malloc(len);
	uint32_t i;

	assert_non_null(d);
	for (i = 0; i < len; i++)
		d[i] = (uint8_t)(seed * 13 + i * 7 + (i >> 8));
	return d;
}

static void
make_frames(struct capture *c, unsigned int n, const uint32_t *lens)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->n = n;
	for (i = 0; i < n; i++) {
		c->f[i].len = lens[i];
		c->f[i].data = make_bytes(lens[i], i);
		c->f[i].ts = T0_NS + i * 1000123ull;
	}
}

static void
free_capture(struct capture *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		free(c->f[i].data);
	c->n = 0;
}

/* Write @p c as a little-endian pcap file (ns or us stamps); returns the
 * byte offset of each record in @p offs (if not NULL). */
static void
write_pcap(const char *path, const struct capture *c, bool nano, long *offs)
{
	FILE *f = fopen(path, "wb");
	uint32_t hdr[6] = { nano ? 0xa1b23c4du : 0xa1b2c3d4u, 2 | (4u << 16),
		0, 0, 262144, 1 };
	unsigned int i;

	assert_non_null(f);
	assert_int_equal(fwrite(hdr, sizeof(hdr), 1, f), 1);
	for (i = 0; i < c->n; i++) {
		uint32_t rec[4] = {
			(uint32_t)(c->f[i].ts / 1000000000ull),
			(uint32_t)(c->f[i].ts % 1000000000ull) / (nano ? 1 : 1000),
			c->f[i].len, c->f[i].len,
		};

		if (offs)
			offs[i] = ftell(f);
		assert_int_equal(fwrite(rec, sizeof(rec), 1, f), 1);
		assert_int_equal(fwrite(c->f[i].data, 1, c->f[i].len, f),
			c->f[i].len);
	}
	fclose(f);
}

static void
read_pcap(const char *path, struct capture *c)
{
	FILE *f = fopen(path, "rb");
	uint32_t hdr[6], rec[4];

	assert_non_null(f);
	memset(c, 0, sizeof(*c));
	assert_int_equal(fread(hdr, sizeof(hdr), 1, f), 1);
	c->magic = hdr[0];
	assert_int_equal(hdr[5], 1);	/* Ethernet */
	while (fread(rec, sizeof(rec), 1, f) == 1) {
		assert_true(c->n < MAX_FRAMES);
		assert_int_equal(rec[2], rec[3]);	/* whole frames */
		c->f[c->n].len = rec[2];
		c->f[c->n].ts = rec[0] * 1000000000ull + rec[1];
		c->f[c->n].data = malloc(rec[2] ? rec[2] : 1);
		assert_int_equal(fread(c->f[c->n].data, 1, rec[2], f), rec[2]);
		c->n++;
	}
	fclose(f);
}

static void
truncate_file(const char *path, long size)
{
	assert_int_equal(truncate(path, size), 0);
}

/* ---- port helpers ------------------------------------------------------------------ */


static void
bring_up(uint16_t port, uint16_t nq)
{
	pmd_test_bring_up(port, nq, pmd_test_pool, 0, 0);
}

/* Files answer at once: a short bound is enough. */
static unsigned int
rx_all(uint16_t port, uint16_t q, struct dp_mbuf **pkts, unsigned int want)
{
	return pmd_test_rx_wait(port, q, pkts, want, 1);
}

/* ---- fixtures ---------------------------------------------------------------------- */

static int
setup_eal(void **state)
{
	const char *args[] = { "--no-huge", "-m", "128", "--no-pci", "-l", "0",
		"--log-level=eal:warning", NULL };

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/dpkit-pcap-test.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	if (test_eal_init_args(args, NULL) < 0)
		return -1;
	pmd_test_pool = dp_pktmbuf_pool_create("pcap_test", NB_MBUF, 0, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	return pmd_test_pool ? 0 : -1;
}

static int
teardown_eal(void **state)
{
	char cmd[128];

	(void)state;
	dp_eth_dev_close_all();
	dp_mempool_free(pmd_test_pool);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return -1;
	return dp_eal_cleanup();
}

/* ---- tests ------------------------------------------------------------------------- */

/* Frames and their nanosecond capture times arrive as written. */
static void
test_rx_bytes_and_ns_timestamps(void **state)
{
	static const uint32_t lens[] = { 60, 61, 1514, 128, 999 };
	struct dp_mbuf *pkts[8];
	struct dp_eth_stats st;
	struct capture c;
	char path[128], args[200];
	uint64_t bytes = 0;
	uint16_t port;
	unsigned int i;

	(void)state;
	make_frames(&c, 5, lens);
	path_of(path, sizeof(path), "rx.pcap");
	write_pcap(path, &c, true, NULL);
	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	port = pmd_test_create_port("net_pcap10", args);
	bring_up(port, 1);

	assert_int_equal(rx_all(port, 0, pkts, 8), 5);
	for (i = 0; i < 5; i++) {
		pmd_test_assert_bytes(pkts[i], c.f[i].data, c.f[i].len);
		assert_true(pkts[i]->ol_flags & DP_MBUF_F_RX_TIMESTAMP);
		assert_int_equal(pkts[i]->timestamp, c.f[i].ts);
		assert_int_equal(pkts[i]->port, port);
		bytes += lens[i];
	}
	dp_pktmbuf_free_bulk(pkts, 5);
	assert_int_equal(dp_eth_rx_burst(port, 0, pkts, 8), 0);	/* end of file */
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.ipackets, 5);
	assert_int_equal(st.ibytes, bytes);
	assert_int_equal(st.q_ipackets[0], 5);
	assert_int_equal(st.q_ibytes[0], bytes);
	assert_int_equal(st.ierrors, 0);
	assert_int_equal(dp_vdev_uninit("net_pcap10"), 0);
	free_capture(&c);
}

/* Microsecond files: time stamps scaled to ns. */
static void
test_rx_microsecond_file(void **state)
{
	static const uint32_t lens[] = { 60, 100 };
	struct dp_mbuf *pkts[4];
	struct capture c;
	char path[128], args[200];
	uint16_t port;

	(void)state;
	make_frames(&c, 2, lens);
	path_of(path, sizeof(path), "micro.pcap");
	write_pcap(path, &c, false, NULL);
	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	port = pmd_test_create_port("net_pcap11", args);
	bring_up(port, 1);
	assert_int_equal(rx_all(port, 0, pkts, 4), 2);
	assert_int_equal(pkts[0]->timestamp, c.f[0].ts / 1000 * 1000);
	assert_int_equal(pkts[1]->timestamp, c.f[1].ts / 1000 * 1000);
	dp_pktmbuf_free_bulk(pkts, 2);
	assert_int_equal(dp_vdev_uninit("net_pcap11"), 0);
	free_capture(&c);
}

/* TX: every segment written, the mbuf's time stamp kept, the current
 * time for packets without one; the file is complete after stop. */
static void
test_tx_file_multiseg_and_timestamps(void **state)
{
	static const uint32_t lens[] = { 60, 1514, 300 };
	struct dp_mbuf *pkts[3];
	struct dp_eth_stats st;
	struct capture in, out;
	char path[128], args[200];
	uint64_t before, after;
	struct timespec ts;
	uint16_t port;
	unsigned int i;

	(void)state;
	make_frames(&in, 3, lens);
	path_of(path, sizeof(path), "tx.pcap");
	snprintf(args, sizeof(args), "tx_pcap=%s", path);
	port = pmd_test_create_port("net_pcap12", args);
	bring_up(port, 1);
	pkts[0] = pmd_test_make_pkt(pmd_test_pool, in.f[0].data, 60, 1);
	pkts[1] = pmd_test_make_pkt(pmd_test_pool, in.f[1].data, 1514, 3);	/* a chain */
	pkts[2] = pmd_test_make_pkt(pmd_test_pool, in.f[2].data, 300, 2);
	assert_int_equal(pkts[1]->nb_segs, 3);
	pkts[0]->timestamp = in.f[0].ts;
	pkts[0]->ol_flags |= DP_MBUF_F_RX_TIMESTAMP;
	pkts[1]->timestamp = in.f[1].ts;
	pkts[1]->ol_flags |= DP_MBUF_F_RX_TIMESTAMP;
	clock_gettime(CLOCK_REALTIME, &ts);
	before = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	assert_int_equal(dp_eth_tx_burst(port, 0, pkts, 3), 3);
	clock_gettime(CLOCK_REALTIME, &ts);
	after = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.opackets, 3);
	assert_int_equal(st.obytes, 60 + 1514 + 300);
	assert_int_equal(st.q_opackets[0], 3);
	assert_int_equal(st.oerrors, 0);
	assert_int_equal(dp_eth_dev_stop(port), 0);

	read_pcap(path, &out);
	assert_int_equal(out.magic, 0xa1b23c4d);	/* nanosecond file */
	assert_int_equal(out.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(out.f[i].len, lens[i]);
		assert_memory_equal(out.f[i].data, in.f[i].data, lens[i]);
	}
	assert_int_equal(out.f[0].ts, in.f[0].ts);
	assert_int_equal(out.f[1].ts, in.f[1].ts);
	assert_true(out.f[2].ts >= before && out.f[2].ts <= after);
	assert_int_equal(dp_vdev_uninit("net_pcap12"), 0);
	free_capture(&in);
	free_capture(&out);
}

/* A 9000-byte frame arrives as a chain of 2 KB mbufs and is written back
 * whole, time stamp included. */
static void
test_jumbo_chain_in_and_out(void **state)
{
	static const uint32_t lens[] = { 9000, 64 };
	struct dp_mbuf *pkts[4];
	struct capture in, out;
	char ipath[128], opath[128], args[300];
	uint16_t port;

	(void)state;
	make_frames(&in, 2, lens);
	path_of(ipath, sizeof(ipath), "jumbo_in.pcap");
	path_of(opath, sizeof(opath), "jumbo_out.pcap");
	write_pcap(ipath, &in, true, NULL);
	snprintf(args, sizeof(args), "rx_pcap=%s,tx_pcap=%s", ipath, opath);
	port = pmd_test_create_port("net_pcap13", args);
	bring_up(port, 1);
	assert_int_equal(rx_all(port, 0, pkts, 4), 2);
	assert_true(pkts[0]->nb_segs > 1);
	assert_int_equal(pkts[0]->data_len, DP_MBUF_DEFAULT_DATAROOM);
	assert_int_equal(dp_mbuf_check(pkts[0], 1, NULL), 0);
	pmd_test_assert_bytes(pkts[0], in.f[0].data, 9000);
	assert_int_equal(pkts[1]->nb_segs, 1);
	assert_int_equal(dp_eth_tx_burst(port, 0, pkts, 2), 2);
	assert_int_equal(dp_vdev_uninit("net_pcap13"), 0);	/* close flushes */

	read_pcap(opath, &out);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.f[0].len, 9000);
	assert_memory_equal(out.f[0].data, in.f[0].data, 9000);
	assert_int_equal(out.f[0].ts, in.f[0].ts);
	assert_int_equal(out.f[1].len, 64);
	free_capture(&in);
	free_capture(&out);
}

/* A file cut at @p cut bytes into record 4 (of 6): records 0-3 arrive,
 * one error names the file and record 4's offset, ierrors is 1, and the
 * queue stays silent afterwards (no second line). */
static void
check_damaged(const char *name, long cut_into_rec4, uint32_t bad_caplen)
{
	static const uint32_t lens[] = { 60, 70, 80, 90, 100, 110 };
	struct dp_mbuf *pkts[8];
	struct dp_eth_stats st;
	struct capture c;
	char path[128], args[200], dev[64], needle[256];
	long offs[6];
	unsigned int i, lines;
	uint16_t port;

	make_frames(&c, 6, lens);
	path_of(path, sizeof(path), name);
	write_pcap(path, &c, true, offs);
	if (bad_caplen) {
		FILE *f = fopen(path, "r+b");

		assert_non_null(f);
		assert_int_equal(fseek(f, offs[4] + 8, SEEK_SET), 0);
		assert_int_equal(fwrite(&bad_caplen, 4, 1, f), 1);
		fclose(f);
	} else {
		truncate_file(path, offs[4] + cut_into_rec4);
	}
	snprintf(dev, sizeof(dev), "net_pcap%u", 30 + (unsigned int)cut_into_rec4);
	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	port = pmd_test_create_port(dev, args);
	bring_up(port, 1);

	test_log_capture();
	assert_int_equal(rx_all(port, 0, pkts, 8), 4);
	for (i = 0; i < 4; i++)
		pmd_test_assert_bytes(pkts[i], c.f[i].data, c.f[i].len);
	dp_pktmbuf_free_bulk(pkts, 4);
	snprintf(needle, sizeof(needle), "rx_pcap '%s': bad record at byte "
		"offset %ld (after 4 good packets)", path, offs[4]);
	assert_logged(needle);
	lines = test_log_buf.lines;
	for (i = 0; i < 10; i++)
		assert_int_equal(dp_eth_rx_burst(port, 0, pkts, 8), 0);
	assert_int_equal(test_log_buf.lines, lines);	/* no error spam */
	test_log_release();
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.ipackets, 4);
	assert_int_equal(st.ierrors, 1);
	assert_int_equal(st.q_errors[0], 1);
	assert_int_equal(dp_vdev_uninit(dev), 0);
	free_capture(&c);
}

static void
test_truncated_mid_record(void **state)
{
	(void)state;
	check_damaged("cut_data.pcap", 16 + 30, 0);
}

static void
test_truncated_mid_header(void **state)
{
	(void)state;
	check_damaged("cut_hdr.pcap", 7, 0);
}

static void
test_corrupt_record_length(void **state)
{
	(void)state;
	check_damaged("bad_len.pcap", 0, 0x7ffffff0u);
}

/* infinite_rx replays the file in order, forever, with fresh copies. */
static void
test_infinite_rx(void **state)
{
	static const uint32_t lens[] = { 60, 2000, 3000 };
	struct dp_mbuf *pkts[32];
	struct dp_eth_stats st;
	struct capture c;
	char path[128], args[200];
	uint64_t bytes = 0;
	unsigned int i, round;
	uint16_t port;

	(void)state;
	make_frames(&c, 3, lens);
	path_of(path, sizeof(path), "loop.pcap");
	write_pcap(path, &c, true, NULL);
	snprintf(args, sizeof(args), "rx_pcap=%s,infinite_rx=1", path);
	port = pmd_test_create_port("net_pcap14", args);
	bring_up(port, 1);
	for (round = 0; round < 4; round++) {
		assert_int_equal(dp_eth_rx_burst(port, 0, pkts, 32), 32);
		for (i = 0; i < 32; i++) {
			unsigned int k = (round * 32 + i) % 3;

			pmd_test_assert_bytes(pkts[i], c.f[k].data, c.f[k].len);
			assert_int_equal(pkts[i]->timestamp, c.f[k].ts);
			bytes += c.f[k].len;
		}
		/* The application may write into what it got. */
		memset(dp_pktmbuf_mtod(pkts[0], void *), 0, 14);
		dp_pktmbuf_free_bulk(pkts, 32);
	}
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.ipackets, 128);
	assert_int_equal(st.ibytes, bytes);
	assert_int_equal(dp_vdev_uninit("net_pcap14"), 0);
	free_capture(&c);
}

/* Two rx_pcap/tx_pcap pairs: two queues, each with its own files. */
static void
test_two_queues(void **state)
{
	static const uint32_t la[] = { 60, 61, 62 }, lb[] = { 100, 101 };
	struct dp_mbuf *pkts[8];
	struct dp_eth_stats st;
	struct capture a, b, oa, ob;
	char pa[128], pb[128], poa[128], pob[128], args[700];
	uint16_t port;

	(void)state;
	make_frames(&a, 3, la);
	make_frames(&b, 2, lb);
	path_of(pa, sizeof(pa), "qa.pcap");
	path_of(pb, sizeof(pb), "qb.pcap");
	path_of(poa, sizeof(poa), "qa_out.pcap");
	path_of(pob, sizeof(pob), "qb_out.pcap");
	write_pcap(pa, &a, true, NULL);
	write_pcap(pb, &b, true, NULL);
	snprintf(args, sizeof(args), "rx_pcap=%s,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s",
		pa, pb, poa, pob);
	port = pmd_test_create_port("net_pcap15", args);
	bring_up(port, 2);
	assert_int_equal(rx_all(port, 1, pkts, 8), 2);
	pmd_test_assert_bytes(pkts[0], b.f[0].data, 100);
	assert_int_equal(dp_eth_tx_burst(port, 1, pkts, 2), 2);
	assert_int_equal(rx_all(port, 0, pkts, 8), 3);
	pmd_test_assert_bytes(pkts[2], a.f[2].data, 62);
	assert_int_equal(dp_eth_tx_burst(port, 0, pkts, 3), 3);
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.q_ipackets[0], 3);
	assert_int_equal(st.q_ipackets[1], 2);
	assert_int_equal(st.q_opackets[0], 3);
	assert_int_equal(st.q_opackets[1], 2);
	assert_int_equal(st.q_obytes[1], 201);
	assert_int_equal(dp_vdev_uninit("net_pcap15"), 0);
	read_pcap(poa, &oa);
	read_pcap(pob, &ob);
	assert_int_equal(oa.n, 3);
	assert_int_equal(ob.n, 2);
	assert_memory_equal(ob.f[1].data, b.f[1].data, 101);
	free_capture(&a);
	free_capture(&b);
	free_capture(&oa);
	free_capture(&ob);
}

/* Stop flushes and closes; the next start appends; close without an
 * explicit stop loses nothing either. */
static void
test_stop_start_appends(void **state)
{
	static const uint32_t lens[] = { 60, 70, 80, 90 };
	struct dp_mbuf *m;
	struct capture in, out;
	char path[128], args[200];
	struct stat sb;
	unsigned int i;
	uint16_t port;

	(void)state;
	make_frames(&in, 4, lens);
	path_of(path, sizeof(path), "append.pcap");
	snprintf(args, sizeof(args), "tx_pcap=%s", path);
	port = pmd_test_create_port("net_pcap16", args);
	bring_up(port, 1);
	for (i = 0; i < 2; i++) {
		m = pmd_test_make_pkt(pmd_test_pool, in.f[i].data, in.f[i].len, 1);
		assert_int_equal(dp_eth_tx_burst(port, 0, &m, 1), 1);
	}
	assert_int_equal(dp_eth_dev_stop(port), 0);
	read_pcap(path, &out);
	assert_int_equal(out.n, 2);	/* on disk after stop */
	free_capture(&out);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(dp_eth_dev_start(port), 0);
	for (i = 2; i < 4; i++) {
		m = pmd_test_make_pkt(pmd_test_pool, in.f[i].data, in.f[i].len, 1);
		assert_int_equal(dp_eth_tx_burst(port, 0, &m, 1), 1);
	}
	assert_int_equal(dp_eth_dev_close(port), 0);
	read_pcap(path, &out);
	assert_int_equal(out.n, 4);
	for (i = 0; i < 4; i++)
		assert_memory_equal(out.f[i].data, in.f[i].data, in.f[i].len);
	assert_int_equal(dp_vdev_uninit("net_pcap16"), 0);
	free_capture(&in);
	free_capture(&out);
}

/* TX-only and RX-only ports: the missing side is empty or a sink. */
static void
test_missing_side(void **state)
{
	static const uint32_t lens[] = { 60 };
	struct dp_mbuf *pkts[4];
	struct dp_eth_stats st;
	struct capture c;
	char path[128], args[200];
	uint16_t port;

	(void)state;
	make_frames(&c, 1, lens);
	path_of(path, sizeof(path), "one.pcap");
	write_pcap(path, &c, true, NULL);
	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	port = pmd_test_create_port("net_pcap17", args);
	bring_up(port, 1);
	assert_int_equal(rx_all(port, 0, pkts, 4), 1);
	assert_int_equal(dp_eth_tx_burst(port, 0, pkts, 1), 1);	/* dropped */
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.opackets, 1);
	assert_int_equal(dp_vdev_uninit("net_pcap17"), 0);

	path_of(path, sizeof(path), "sink.pcap");
	snprintf(args, sizeof(args), "tx_pcap=%s", path);
	port = pmd_test_create_port("net_pcap18", args);
	bring_up(port, 1);
	assert_int_equal(dp_eth_rx_burst(port, 0, pkts, 4), 0);
	assert_int_equal(dp_vdev_uninit("net_pcap18"), 0);
	free_capture(&c);
}

/* Each argument mistake: refused, with a line that says what to do. */
static void
test_bad_arguments(void **state)
{
	static const struct pmd_test_bad_args bad[] = {
		{ "net_pcap40", "", -EINVAL, "nothing to read or write" },
		{ "net_pcap41", "rx_pcap=/nonexistent/x.pcap", -ENOENT,
			"cannot read rx_pcap '/nonexistent/x.pcap'" },
		{ "net_pcap42", "tx_pcap=/nonexistent/x.pcap", -EIO,
			"cannot create tx_pcap '/nonexistent/x.pcap'" },
		{ "net_pcap43", "infinite_rx=1,tx_pcap=/tmp/x", -EINVAL,
			"give at least one rx_pcap=FILE" },
		{ "net_pcap46", "rx_iface=dpkpcap_nope", -ENODEV,
			"no interface 'dpkpcap_nope': create it or check the name" },
		{ "net_pcap47", "rx_pcap=", -EINVAL, "rx_pcap= needs a file name" },
		{ "net_pcap48", "rx_pcap_typo=a", -EINVAL,
			"unknown argument 'rx_pcap_typo'" },
	};
	static const uint32_t lens[] = { 60 };
	char path[128], empty[128], args[300];
	struct capture c, none = { 0 };

	(void)state;
	make_frames(&c, 1, lens);
	path_of(path, sizeof(path), "ok.pcap");
	write_pcap(path, &c, true, NULL);
	path_of(empty, sizeof(empty), "empty.pcap");
	write_pcap(empty, &none, true, NULL);

	pmd_test_refused(bad, DP_DIM(bad));
	snprintf(args, sizeof(args), "infinite_rx=1,rx_pcap=%s", empty);
	pmd_test_refused(&(struct pmd_test_bad_args){ "net_pcap44", args,
		-EINVAL, "has no packet to replay" }, 1);
	snprintf(args, sizeof(args), "infinite_rx=1,rx_pcap=%s,rx_iface=lo", path);
	pmd_test_refused(&(struct pmd_test_bad_args){ "net_pcap45", args,
		-EINVAL, "RX queue 1 is the live interface 'lo'" }, 1);
	assert_int_equal(dp_eth_dev_count_avail(), 0);	/* nothing left behind */
	free_capture(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_rx_bytes_and_ns_timestamps, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_rx_microsecond_file, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_tx_file_multiseg_and_timestamps, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_jumbo_chain_in_and_out, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_truncated_mid_record, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_truncated_mid_header, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_corrupt_record_length, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_infinite_rx, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_two_queues, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_stop_start_appends, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_missing_side, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_bad_arguments, pmd_test_pool_full),
	};

	return cmocka_run_group_tests(tests, setup_eal, teardown_eal);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts of the igb PMD (82576 datasheet 7.3): link state changes and
 * per-queue RX interrupts for applications that sleep when idle.
 *
 * Two ways, chosen at dev_start:
 *  - MSI-X with a vector per RX queue (vfio-pci): vector 0 carries the
 *    "other" causes (link state), vector q + 1 RX queue q (IVAR). Arming a
 *    queue sets its bit in EIMS; the queue's eventfd (from the bus) fires.
 *  - Shared (uio_pci_generic's INTx, MSI, or too few MSI-X vectors): one
 *    interrupt for everything. Arming a queue unmasks ICR.RXDW; the
 *    handler on the EAL interrupt thread reads ICR and writes to the
 *    eventfd of every armed queue (the device cannot say which queue
 *    received), then disarms them: one wakeup per arming.
 * Either way the application sees one eventfd per queue.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "igb_private.h"

/* Unmask causes in IMS and ack the device's INTx if it uses one. */
static void
shared_mask_update(struct igb_adapter *ad)
{
	if (ad->rxq_armed != 0)
		igb_write32(&ad->hw, IGB_IMS, IGB_ICR_RXDW);
	else
		igb_write32(&ad->hw, IGB_IMC, IGB_ICR_RXDW);
}

void
igb_intr_handler(struct dp_intr_handle *h, void *arg)
{
	struct igb_adapter *ad = arg;
	uint64_t one = 1;
	uint32_t icr, fired;
	unsigned int q;

	/* GPIE.NSICR (or INTx mode): reading ICR clears the causes. */
	icr = igb_read32(&ad->hw, IGB_ICR);
	if (icr & IGB_ICR_LSC) {
		__atomic_fetch_add(&ad->lsc_events, 1, __ATOMIC_RELAXED);
		igb_link_update(ad->eth, 0);
	}
	if (ad->rxq_shared && (icr & (IGB_ICR_RXDW | IGB_ICR_RXDMT0 |
			IGB_ICR_RXO))) {
		pthread_mutex_lock(&ad->intr_lock);
		fired = ad->rxq_armed;
		ad->rxq_armed = 0;
		shared_mask_update(ad);
		pthread_mutex_unlock(&ad->intr_lock);
		for (q = 0; q < ad->nb_efd; q++)
			if ((fired & (1u << q)) &&
			    write(ad->shared_efd[q], &one, sizeof(one)) < 0)
				IGB_LOG(WARNING, ad, "RX queue %u: cannot signal "
					"its eventfd: %s", q, strerror(errno));
	}
	/* INTx (UIO, VFIO INTx) stays masked until the cause is handled. */
	dp_intr_ack(h);
}

/* IVAR entry of RX queue @p q -> vector @p vec (7.3.2). */
static void
ivar_rx_set(struct igb_adapter *ad, uint16_t q, uint32_t vec)
{
	uint32_t reg = IGB_IVAR0(q & 7), shift = q < 8 ? 0 : 16, v;

	v = igb_read32(&ad->hw, reg);
	v &= ~(0xffu << shift);
	v |= (vec | IGB_IVAR_VALID) << shift;
	igb_write32(&ad->hw, reg, v);
}

static void
shared_efd_close(struct igb_adapter *ad)
{
	while (ad->nb_efd > 0) {
		ad->nb_efd--;
		close(ad->shared_efd[ad->nb_efd]);
		ad->shared_efd[ad->nb_efd] = -1;
	}
}

int
igb_intr_start(struct igb_adapter *ad)
{
	const struct intel_hw *hw = &ad->hw;
	const struct dp_eth_intr_conf *ic = &ad->eth->data->dev_conf.intr_conf;
	struct dp_intr_handle *h = ad->pci->intr_handle;
	uint16_t nb_rxq = ad->eth->data->nb_rx_queues, q;
	uint32_t gpie = 0, eiac, ims = 0;
	bool msix;
	int rc;

	if (!ic->lsc && !ic->rxq)
		return 0;
	if (h == NULL || h->type == DP_INTR_TYPE_NONE) {
		IGB_LOG(ERR, ad, "the bus gave the device no interrupt: leave "
			"intr_conf at 0 and poll");
		return -ENOTSUP;
	}
	msix = h->type == DP_INTR_TYPE_VFIO_MSIX;
	ad->rxq_vectors = ad->rxq_shared = false;
	if (ic->rxq && msix && nb_rxq + 1u <= h->max_vectors &&
	    nb_rxq <= DP_INTR_MAX_EFD) {
		rc = dp_intr_efd_enable(h, nb_rxq);
		if (rc < 0)
			return rc;
		ad->rxq_vectors = true;
	} else if (ic->rxq) {
		/* Queue fds the interrupt thread writes to. */
		for (q = 0; q < nb_rxq; q++) {
			ad->shared_efd[q] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			if (ad->shared_efd[q] < 0) {
				rc = -errno;
				shared_efd_close(ad);
				return rc;
			}
			ad->nb_efd = (uint16_t)(q + 1);
		}
		ad->rxq_shared = true;
		IGB_LOG(INFO, ad, "RX interrupts of the port's %u queue%s share "
			"one interrupt (%s): a frame on any queue wakes every "
			"armed queue", nb_rxq, nb_rxq == 1 ? "" : "s", msix ? "not enough MSI-X vectors" :
			h->type == DP_INTR_TYPE_UIO ? "UIO INTx" :
			"no MSI-X");
	}
	if (ic->lsc || ad->rxq_shared) {
		rc = dp_intr_callback_register(h, igb_intr_handler, ad);
		if (rc < 0) {
			IGB_LOG(ERR, ad, "cannot register the interrupt "
				"callback: %s", dp_strerror(rc));
			goto fail;
		}
		ad->intr_cb = true;
	}

	/* 7.3.1: the interrupt mode, then what goes to which vector. */
	if (msix) {
		gpie = IGB_GPIE_MSIX_MODE | IGB_GPIE_PBA | IGB_GPIE_NSICR;
		igb_write32(hw, IGB_GPIE, gpie);
		igb_write32(hw, IGB_IVAR_MISC,
			(IGB_MSIX_OTHER | IGB_IVAR_VALID) << 8);
		eiac = 1u << IGB_MSIX_OTHER;
		for (q = 0; ad->rxq_vectors && q < nb_rxq; q++) {
			ivar_rx_set(ad, q, q + 1u);
			eiac |= 1u << (q + 1);
			/* No moderation: the sleeper wakes at the first frame. */
			igb_write32(hw, IGB_EITR(q + 1), 0);
		}
		/* EICR bits clear themselves once their vector is sent. */
		igb_write32(hw, IGB_EIAC, eiac);
		igb_write32(hw, IGB_EIMS, 1u << IGB_MSIX_OTHER);
	} else {
		igb_write32(hw, IGB_GPIE, IGB_GPIE_NSICR);
	}
	rc = dp_intr_enable(h);
	if (rc < 0) {
		IGB_LOG(ERR, ad, "cannot enable the device's interrupts: %s",
			dp_strerror(rc));
		goto fail;
	}
	ad->intr_on = true;
	if (ic->lsc)
		ims |= IGB_ICR_LSC;
	if (ims)
		igb_write32(hw, IGB_IMS, ims);
	IGB_LOG(DEBUG, ad, "interrupts: %s%s%s", msix ? "MSI-X" :
		h->type == DP_INTR_TYPE_UIO ? "UIO INTx" : "single vector",
		ic->lsc ? ", link state" : "", ad->rxq_vectors ?
		", a vector per RX queue" : ad->rxq_shared ? ", shared RX" : "");
	return 0;

fail:
	igb_intr_stop(ad);
	return rc;
}

void
igb_intr_stop(struct igb_adapter *ad)
{
	struct dp_intr_handle *h = ad->pci->intr_handle;

	igb_write32(&ad->hw, IGB_IMC, ~0u);
	igb_write32(&ad->hw, IGB_EIMC, ~0u);
	if (h == NULL)
		return;
	if (ad->intr_on) {
		dp_intr_disable(h);
		ad->intr_on = false;
	}
	if (ad->intr_cb) {
		dp_intr_callback_unregister(h, igb_intr_handler, ad);
		ad->intr_cb = false;
	}
	if (ad->rxq_vectors) {
		dp_intr_efd_disable(h);
		ad->rxq_vectors = false;
	}
	shared_efd_close(ad);
	ad->rxq_shared = false;
	ad->rxq_armed = 0;
	igb_write32(&ad->hw, IGB_GPIE, 0);
}

/* The queue's interrupt exists (port started with intr_conf.rxq)? */
static int
rxq_intr_check(struct igb_adapter *ad, uint16_t qid, const char *what)
{
	if (ad->rxq_vectors || (ad->rxq_shared && qid < ad->nb_efd))
		return 0;
	IGB_LOG(ERR, ad, "RX queue %u: cannot %s its interrupt: start the "
		"port first (with intr_conf.rxq)", qid, what);
	return -EINVAL;
}

/* Arm (@p on) or disarm queue @p qid's RX interrupt. */
static int
rxq_intr_set(struct dp_eth_dev *dev, uint16_t qid, bool on)
{
	struct igb_adapter *ad = igb_adapter(dev);
	int rc = rxq_intr_check(ad, qid, on ? "arm" : "disarm");

	if (rc < 0)
		return rc;
	if (ad->rxq_vectors) {
		/* EIMS sets, EIMC clears the vector's mask bit. */
		igb_write32(&ad->hw, on ? IGB_EIMS : IGB_EIMC, 1u << (qid + 1));
		return 0;
	}
	pthread_mutex_lock(&ad->intr_lock);
	if (on)
		ad->rxq_armed |= 1u << qid;
	else
		ad->rxq_armed &= ~(1u << qid);
	shared_mask_update(ad);
	pthread_mutex_unlock(&ad->intr_lock);
	return 0;
}

int
igb_rx_queue_intr_enable(struct dp_eth_dev *dev, uint16_t qid)
{
	return rxq_intr_set(dev, qid, true);
}

int
igb_rx_queue_intr_disable(struct dp_eth_dev *dev, uint16_t qid)
{
	return rxq_intr_set(dev, qid, false);
}

int
igb_rx_queue_intr_fd(struct dp_eth_dev *dev, uint16_t qid)
{
	struct igb_adapter *ad = igb_adapter(dev);
	int rc = rxq_intr_check(ad, qid, "wait for");

	if (rc < 0)
		return rc;
	if (ad->rxq_vectors)
		return dp_intr_efd_get(ad->pci->intr_handle, qid);
	return ad->shared_efd[qid];
}

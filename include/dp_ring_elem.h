/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_RING_ELEM_H
#define DP_RING_ELEM_H

/**
 * @file
 * Rings of fixed-size elements (any multiple of 4 bytes): the fast-path
 * operations. Include dp_ring.h, which includes this file and adds the
 * pointer-ring shorthands (esize = sizeof(void *)).
 *
 * Every operation exists in three modes and two behaviours:
 *  - mp_/mc_: safe with several producers (consumers) at once;
 *    sp_/sc_: the caller guarantees it is the only producer (consumer)
 *    while the call runs; no prefix: the mode chosen at create time
 *    (DP_RING_F_SP_ENQ, DP_RING_F_SC_DEQ).
 *  - bulk: all @p n elements or none (returns n or 0);
 *    burst: as many as fit or as are there (returns 0..n).
 *
 * @p esize must be the element size the ring was created with; pass it as
 * a constant so the copy is compiled for it. @p obj_table holds @p n
 * elements back to back (n * esize bytes) and may have any alignment.
 * These functions never block, never log, and never fail in any other
 * way than returning less than asked.
 */

#include <dp_ring_core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- enqueue ------------------------------------------------------------- */

/**
 * Enqueue @p n elements, all or none, safe with several producers.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   @p n elements of @p esize bytes.
 * @param esize
 *   Element size the ring was created with.
 * @param n
 *   Elements to enqueue.
 * @param free_space
 *   If not NULL, receives the free slots left after the call.
 * @return
 *   @p n, or 0 if fewer than @p n slots were free.
 */
static __dp_always_inline unsigned int
dp_ring_mp_enqueue_bulk_elem(struct dp_ring *r, const void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __dp_ring_do_enqueue(r, obj_table, esize, n,
		DP_RING_QUEUE_FIXED, 0, free_space);
}

/**
 * Enqueue @p n elements, all or none; the caller is the only producer.
 * Arguments and result as dp_ring_mp_enqueue_bulk_elem().
 */
static __dp_always_inline unsigned int
dp_ring_sp_enqueue_bulk_elem(struct dp_ring *r, const void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __dp_ring_do_enqueue(r, obj_table, esize, n,
		DP_RING_QUEUE_FIXED, 1, free_space);
}

/**
 * Enqueue @p n elements, all or none, in the ring's default producer mode.
 * Arguments and result as dp_ring_mp_enqueue_bulk_elem().
 */
static __dp_always_inline unsigned int
dp_ring_enqueue_bulk_elem(struct dp_ring *r, const void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *free_space)
{
	if (r->prod.single)
		return dp_ring_sp_enqueue_bulk_elem(r, obj_table, esize, n,
			free_space);
	return dp_ring_mp_enqueue_bulk_elem(r, obj_table, esize, n,
		free_space);
}

/**
 * Enqueue up to @p n elements, safe with several producers.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   @p n elements of @p esize bytes; the first ones are enqueued.
 * @param esize
 *   Element size the ring was created with.
 * @param n
 *   Most elements to enqueue.
 * @param free_space
 *   If not NULL, receives the free slots left after the call.
 * @return
 *   Elements enqueued, 0..n.
 */
static __dp_always_inline unsigned int
dp_ring_mp_enqueue_burst_elem(struct dp_ring *r, const void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __dp_ring_do_enqueue(r, obj_table, esize, n,
		DP_RING_QUEUE_VARIABLE, 0, free_space);
}

/**
 * Enqueue up to @p n elements; the caller is the only producer.
 * Arguments and result as dp_ring_mp_enqueue_burst_elem().
 */
static __dp_always_inline unsigned int
dp_ring_sp_enqueue_burst_elem(struct dp_ring *r, const void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __dp_ring_do_enqueue(r, obj_table, esize, n,
		DP_RING_QUEUE_VARIABLE, 1, free_space);
}

/**
 * Enqueue up to @p n elements in the ring's default producer mode.
 * Arguments and result as dp_ring_mp_enqueue_burst_elem().
 */
static __dp_always_inline unsigned int
dp_ring_enqueue_burst_elem(struct dp_ring *r, const void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *free_space)
{
	if (r->prod.single)
		return dp_ring_sp_enqueue_burst_elem(r, obj_table, esize, n,
			free_space);
	return dp_ring_mp_enqueue_burst_elem(r, obj_table, esize, n,
		free_space);
}

/**
 * Enqueue one element, safe with several producers.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __dp_always_inline int
dp_ring_mp_enqueue_elem(struct dp_ring *r, const void *obj, unsigned int esize)
{
	return dp_ring_mp_enqueue_bulk_elem(r, obj, esize, 1, NULL) ? 0 :
		-ENOBUFS;
}

/**
 * Enqueue one element; the caller is the only producer.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __dp_always_inline int
dp_ring_sp_enqueue_elem(struct dp_ring *r, const void *obj, unsigned int esize)
{
	return dp_ring_sp_enqueue_bulk_elem(r, obj, esize, 1, NULL) ? 0 :
		-ENOBUFS;
}

/**
 * Enqueue one element in the ring's default producer mode.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __dp_always_inline int
dp_ring_enqueue_elem(struct dp_ring *r, const void *obj, unsigned int esize)
{
	return dp_ring_enqueue_bulk_elem(r, obj, esize, 1, NULL) ? 0 :
		-ENOBUFS;
}

/* ---- dequeue ------------------------------------------------------------- */

/**
 * Dequeue @p n elements, all or none, safe with several consumers.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n elements of @p esize bytes.
 * @param esize
 *   Element size the ring was created with.
 * @param n
 *   Elements to dequeue.
 * @param available
 *   If not NULL, receives the elements left in the ring after the call.
 * @return
 *   @p n, or 0 if fewer than @p n elements were there.
 */
static __dp_always_inline unsigned int
dp_ring_mc_dequeue_bulk_elem(struct dp_ring *r, void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *available)
{
	return __dp_ring_do_dequeue(r, obj_table, esize, n,
		DP_RING_QUEUE_FIXED, 0, available);
}

/**
 * Dequeue @p n elements, all or none; the caller is the only consumer.
 * Arguments and result as dp_ring_mc_dequeue_bulk_elem().
 */
static __dp_always_inline unsigned int
dp_ring_sc_dequeue_bulk_elem(struct dp_ring *r, void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *available)
{
	return __dp_ring_do_dequeue(r, obj_table, esize, n,
		DP_RING_QUEUE_FIXED, 1, available);
}

/**
 * Dequeue @p n elements, all or none, in the ring's default consumer mode.
 * Arguments and result as dp_ring_mc_dequeue_bulk_elem().
 */
static __dp_always_inline unsigned int
dp_ring_dequeue_bulk_elem(struct dp_ring *r, void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *available)
{
	if (r->cons.single)
		return dp_ring_sc_dequeue_bulk_elem(r, obj_table, esize, n,
			available);
	return dp_ring_mc_dequeue_bulk_elem(r, obj_table, esize, n,
		available);
}

/**
 * Dequeue up to @p n elements, safe with several consumers.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n elements of @p esize bytes.
 * @param esize
 *   Element size the ring was created with.
 * @param n
 *   Most elements to dequeue.
 * @param available
 *   If not NULL, receives the elements left in the ring after the call.
 * @return
 *   Elements dequeued, 0..n.
 */
static __dp_always_inline unsigned int
dp_ring_mc_dequeue_burst_elem(struct dp_ring *r, void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *available)
{
	return __dp_ring_do_dequeue(r, obj_table, esize, n,
		DP_RING_QUEUE_VARIABLE, 0, available);
}

/**
 * Dequeue up to @p n elements; the caller is the only consumer.
 * Arguments and result as dp_ring_mc_dequeue_burst_elem().
 */
static __dp_always_inline unsigned int
dp_ring_sc_dequeue_burst_elem(struct dp_ring *r, void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *available)
{
	return __dp_ring_do_dequeue(r, obj_table, esize, n,
		DP_RING_QUEUE_VARIABLE, 1, available);
}

/**
 * Dequeue up to @p n elements in the ring's default consumer mode.
 * Arguments and result as dp_ring_mc_dequeue_burst_elem().
 */
static __dp_always_inline unsigned int
dp_ring_dequeue_burst_elem(struct dp_ring *r, void *obj_table,
	unsigned int esize, unsigned int n, unsigned int *available)
{
	if (r->cons.single)
		return dp_ring_sc_dequeue_burst_elem(r, obj_table, esize, n,
			available);
	return dp_ring_mc_dequeue_burst_elem(r, obj_table, esize, n,
		available);
}

/**
 * Dequeue one element, safe with several consumers.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __dp_always_inline int
dp_ring_mc_dequeue_elem(struct dp_ring *r, void *obj, unsigned int esize)
{
	return dp_ring_mc_dequeue_bulk_elem(r, obj, esize, 1, NULL) ? 0 :
		-ENOENT;
}

/**
 * Dequeue one element; the caller is the only consumer.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __dp_always_inline int
dp_ring_sc_dequeue_elem(struct dp_ring *r, void *obj, unsigned int esize)
{
	return dp_ring_sc_dequeue_bulk_elem(r, obj, esize, 1, NULL) ? 0 :
		-ENOENT;
}

/**
 * Dequeue one element in the ring's default consumer mode.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __dp_always_inline int
dp_ring_dequeue_elem(struct dp_ring *r, void *obj, unsigned int esize)
{
	return dp_ring_dequeue_bulk_elem(r, obj, esize, 1, NULL) ? 0 :
		-ENOENT;
}

/* ---- zero copy --------------------------------------------------------------
 *
 * Zero-copy operations hand out the ring's own slots instead of copying:
 * a producer (e.g. a receive function) writes elements straight into
 * them, a consumer reads them in place. A start call reserves, the
 * matching finish call publishes. Between the two, the calling thread
 * must be the only producer (consumer) of the ring: use them on rings
 * created with DP_RING_F_SP_ENQ (DP_RING_F_SC_DEQ), or make sure no other
 * thread uses that side meanwhile. One start, one finish; no other
 * operation on the same side in between.
 */

/**
 * Reserve @p n slots for writing in place, all or none.
 *
 * @param r
 *   The ring.
 * @param esize
 *   Element size the ring was created with.
 * @param n
 *   Slots wanted.
 * @param zcd
 *   Receives where to write: zcd->n1 elements at zcd->ptr1, the rest at
 *   zcd->ptr2. Untouched when nothing was reserved.
 * @param free_space
 *   If not NULL, receives the free slots left after the reservation.
 * @return
 *   @p n, or 0 if fewer than @p n slots were free. Finish with
 *   dp_ring_enqueue_zc_finish().
 */
static __dp_always_inline unsigned int
dp_ring_enqueue_zc_bulk_elem_start(struct dp_ring *r, unsigned int esize,
	unsigned int n, struct dp_ring_zc_data *zcd, unsigned int *free_space)
{
	return __dp_ring_zc_start(r, 1, esize, n, DP_RING_QUEUE_FIXED, zcd,
		free_space);
}

/**
 * Reserve up to @p n slots for writing in place.
 * Arguments as dp_ring_enqueue_zc_bulk_elem_start().
 *
 * @return
 *   Slots reserved, 0..n.
 */
static __dp_always_inline unsigned int
dp_ring_enqueue_zc_burst_elem_start(struct dp_ring *r, unsigned int esize,
	unsigned int n, struct dp_ring_zc_data *zcd, unsigned int *free_space)
{
	return __dp_ring_zc_start(r, 1, esize, n, DP_RING_QUEUE_VARIABLE, zcd,
		free_space);
}

/**
 * Publish the first @p n of the slots reserved by the last enqueue start
 * (@p n may be smaller than what was reserved; the rest is released).
 * Works for element and pointer rings alike.
 */
static __dp_always_inline void
dp_ring_enqueue_zc_finish(struct dp_ring *r, unsigned int n)
{
	__dp_ring_zc_finish(&r->prod, n);
}

/**
 * Reserve @p n elements for reading in place, all or none.
 *
 * @param r
 *   The ring.
 * @param esize
 *   Element size the ring was created with.
 * @param n
 *   Elements wanted.
 * @param zcd
 *   Receives where to read: zcd->n1 elements at zcd->ptr1, the rest at
 *   zcd->ptr2. Untouched when nothing was reserved.
 * @param available
 *   If not NULL, receives the elements left after the reservation.
 * @return
 *   @p n, or 0 if fewer than @p n elements were there. Finish with
 *   dp_ring_dequeue_zc_finish().
 */
static __dp_always_inline unsigned int
dp_ring_dequeue_zc_bulk_elem_start(struct dp_ring *r, unsigned int esize,
	unsigned int n, struct dp_ring_zc_data *zcd, unsigned int *available)
{
	return __dp_ring_zc_start(r, 0, esize, n, DP_RING_QUEUE_FIXED, zcd,
		available);
}

/**
 * Reserve up to @p n elements for reading in place.
 * Arguments as dp_ring_dequeue_zc_bulk_elem_start().
 *
 * @return
 *   Elements reserved, 0..n.
 */
static __dp_always_inline unsigned int
dp_ring_dequeue_zc_burst_elem_start(struct dp_ring *r, unsigned int esize,
	unsigned int n, struct dp_ring_zc_data *zcd, unsigned int *available)
{
	return __dp_ring_zc_start(r, 0, esize, n, DP_RING_QUEUE_VARIABLE, zcd,
		available);
}

/**
 * Release the first @p n of the elements reserved by the last dequeue
 * start (@p n may be smaller; the others stay in the ring, first in line).
 * Works for element and pointer rings alike.
 */
static __dp_always_inline void
dp_ring_dequeue_zc_finish(struct dp_ring *r, unsigned int n)
{
	__dp_ring_zc_finish(&r->cons, n);
}

#ifdef __cplusplus
}
#endif

#endif /* DP_RING_ELEM_H */

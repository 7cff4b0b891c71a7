/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_COMMON_H
#define DP_COMMON_H

/**
 * @file
 * Common definitions used by every dpkit module: compiler attributes,
 * branch hints, cache-line alignment, arithmetic helpers, memory barriers,
 * static assertions and the per-thread error number (dp_errno).
 *
 * Memory ordering is always spelled out in code. Three families exist:
 *  - dp_mb()/dp_wmb()/dp_rmb(): order every kind of memory, including
 *    write-combining and device memory (full fences).
 *  - dp_smp_mb()/dp_smp_wmb()/dp_smp_rmb(): order accesses between CPUs
 *    to ordinary cacheable memory (lighter where the ISA allows).
 *  - dp_io_mb()/dp_io_wmb()/dp_io_rmb(): order CPU accesses to DMA memory
 *    against MMIO accesses (e.g. descriptor writes before a tail write).
 * None of them is ever a no-op for the compiler: at least a compiler barrier.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <errno.h>

#include <dp_build_config.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- compiler attributes --------------------------------------------- */

/** Force a function to be inlined. */
#define __dp_always_inline inline __attribute__((always_inline))
/** Never inline a function (cold paths). */
#define __dp_noinline __attribute__((noinline))
/** Align a variable or type to @p a bytes. */
#define __dp_aligned(a) __attribute__((aligned(a)))
/** Align to one cache line. */
#define __dp_cache_aligned __dp_aligned(DP_CACHE_LINE_SIZE)
/** Pack a structure (no padding). */
#define __dp_packed __attribute__((packed))
/** Mark a parameter or variable as possibly unused. */
#define __dp_unused __attribute__((unused))
/** The result of the function must be used. */
#define __dp_warn_unused_result __attribute__((warn_unused_result))
/** Run a function before main() (used for registration). */
#define DP_INIT(func) \
	static void __attribute__((constructor, used)) func(void)
/** printf-style format checking on argument @p fmt, varargs from @p args. */
#define __dp_format_printf(fmt, args) \
	__attribute__((format(printf, fmt, args)))

/** Silence "unused" warnings for a value. */
#define DP_SET_USED(x) ((void)(x))

/* ---- branch hints ------------------------------------------------------ */

#ifndef likely
/** The condition is expected to be true. */
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
/** The condition is expected to be false. */
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* ---- static assertions -------------------------------------------------- */

/** Fail compilation if @p cond is true (DPDK-style spelling). */
#define DP_BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
/** Fail compilation unless @p cond is true. */
#define DP_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

/* ---- cache lines and alignment ----------------------------------------- */

/** Mask of the offset inside a cache line. */
#define DP_CACHE_LINE_MASK (DP_CACHE_LINE_SIZE - 1)
/** Round @p size up to a whole number of cache lines. */
#define DP_CACHE_LINE_ROUNDUP(size) \
	(DP_CACHE_LINE_SIZE * (((size) + DP_CACHE_LINE_SIZE - 1) / DP_CACHE_LINE_SIZE))

/** Round @p v down to a multiple of @p align (a power of two). */
#define DP_ALIGN_FLOOR(v, align) \
	((__typeof__(v))((v) & (~((__typeof__(v))((align) - 1)))))
/** Round @p v up to a multiple of @p align (a power of two). */
#define DP_ALIGN_CEIL(v, align) \
	DP_ALIGN_FLOOR(((v) + ((__typeof__(v))(align) - 1)), align)
/** Same as DP_ALIGN_CEIL. */
#define DP_ALIGN(v, align) DP_ALIGN_CEIL(v, align)
/** True if pointer or integer @p v is a multiple of @p align. */
#define DP_IS_ALIGNED(v, align) ((((uintptr_t)(v)) & ((align) - 1)) == 0)

/** Add @p x bytes to pointer @p p. */
#define DP_PTR_ADD(p, x) ((void *)((uintptr_t)(p) + (x)))
/** Subtract @p x bytes from pointer @p p. */
#define DP_PTR_SUB(p, x) ((void *)((uintptr_t)(p) - (x)))
/** Byte distance between two pointers. */
#define DP_PTR_DIFF(a, b) ((uintptr_t)(a) - (uintptr_t)(b))

/** Number of elements of a static array. */
#define DP_DIM(a) (sizeof(a) / sizeof((a)[0]))

/** The smaller of two values (each evaluated once; nesting is fine). */
#define DP_MIN(a, b) DP_MIN_(a, b, __COUNTER__)
/** The larger of two values (each evaluated once; nesting is fine). */
#define DP_MAX(a, b) DP_MAX_(a, b, __COUNTER__)
#define DP_MIN_(a, b, n) DP_MINMAX__(a, b, n, <)
#define DP_MAX_(a, b, n) DP_MINMAX__(a, b, n, >)
#define DP_MINMAX__(a, b, n, op) __extension__({ \
	__typeof__(a) dp_a_##n = (a); __typeof__(b) dp_b_##n = (b); \
	dp_a_##n op dp_b_##n ? dp_a_##n : dp_b_##n; })

/** Pointer to the structure that contains @p ptr as member @p member. */
#define dp_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/** Stringify a macro argument after expansion. */
#define DP_STR(x) DP_STR_(x)
#define DP_STR_(x) #x

/** True if @p n is a non-zero power of two. */
static inline bool
dp_is_power_of_2(uint64_t n)
{
	return n && !(n & (n - 1));
}

/** Smallest power of two >= @p x (32-bit); 0 for 0 or overflow. */
static inline uint32_t
dp_align32pow2(uint32_t x)
{
	if (x <= 1)
		return x;
	x--;
	return x >= 0x80000000u ? 0 : 1u << (32 - __builtin_clz(x));
}

/** Smallest power of two >= @p x (64-bit); 0 for 0 or overflow. */
static inline uint64_t
dp_align64pow2(uint64_t x)
{
	if (x <= 1)
		return x;
	x--;
	return x >= (1ull << 63) ? 0 : 1ull << (64 - __builtin_clzll(x));
}

/** Base-2 logarithm of a power of two. */
static inline uint32_t
dp_log2_u64(uint64_t v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

/* ---- spinning and barriers ----------------------------------------------- */

/** Compiler barrier: no memory access moves across it at compile time. */
#define dp_compiler_barrier() __asm__ volatile("" ::: "memory")

#if defined(__x86_64__) || defined(__i386__)

/** Hint to the CPU that this is a spin-wait loop. */
static __dp_always_inline void
dp_pause(void)
{
	__builtin_ia32_pause();
}

/** Full fence, also orders non-temporal and write-combining accesses. */
#define dp_mb() __asm__ volatile("mfence" ::: "memory")
/** Store fence, also orders write-combining stores. */
#define dp_wmb() __asm__ volatile("sfence" ::: "memory")
/** Load fence. */
#define dp_rmb() __asm__ volatile("lfence" ::: "memory")

/*
 * x86 keeps stores in order with stores and loads in order with loads for
 * write-back memory, so only StoreLoad needs a real instruction. A locked
 * add on the stack is that instruction and is cheaper than mfence.
 */
/** Full barrier between CPUs for cacheable memory. */
#define dp_smp_mb() \
	__asm__ volatile("lock addl $0, -128(%%rsp)" ::: "memory", "cc")
/** Store-store barrier between CPUs (compiler barrier on x86). */
#define dp_smp_wmb() dp_compiler_barrier()
/** Load-load barrier between CPUs (compiler barrier on x86). */
#define dp_smp_rmb() dp_compiler_barrier()

/*
 * MMIO BARs are mapped uncached: x86 does not reorder UC accesses with
 * earlier write-back stores, so a compiler barrier is enough.
 */
/** Order DMA-memory and MMIO accesses (full). */
#define dp_io_mb() dp_smp_mb()
/** Descriptor stores become visible before a following MMIO store. */
#define dp_io_wmb() dp_compiler_barrier()
/** An MMIO or DMA-status load completes before following loads. */
#define dp_io_rmb() dp_compiler_barrier()

#elif defined(__aarch64__)

static __dp_always_inline void
dp_pause(void)
{
	__asm__ volatile("yield" ::: "memory");
}

#define dp_mb() __asm__ volatile("dsb sy" ::: "memory")
#define dp_wmb() __asm__ volatile("dsb st" ::: "memory")
#define dp_rmb() __asm__ volatile("dsb ld" ::: "memory")
#define dp_smp_mb() __asm__ volatile("dmb ish" ::: "memory")
#define dp_smp_wmb() __asm__ volatile("dmb ishst" ::: "memory")
#define dp_smp_rmb() __asm__ volatile("dmb ishld" ::: "memory")
#define dp_io_mb() __asm__ volatile("dmb osh" ::: "memory")
#define dp_io_wmb() __asm__ volatile("dmb oshst" ::: "memory")
#define dp_io_rmb() __asm__ volatile("dmb oshld" ::: "memory")

#else

static __dp_always_inline void
dp_pause(void)
{
	dp_compiler_barrier();
}

#define dp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dp_wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dp_rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dp_smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dp_smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define dp_smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define dp_io_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dp_io_wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dp_io_rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif

/* ---- prefetch -------------------------------------------------------------- */

/** Prefetch a cache line into all cache levels. */
static __dp_always_inline void
dp_prefetch0(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 3);
}

/** Prefetch a cache line that will be written. */
static __dp_always_inline void
dp_prefetch0_write(const void *p)
{
	__builtin_prefetch(p, 1, 3);
}

/* ---- sockets / lcores ---------------------------------------------------- */

/** Any NUMA socket will do (allocators) or the socket is unknown (devices). */
#define DP_SOCKET_ID_ANY (-1)

/** IOVA (I/O virtual address): the address a device uses for DMA. */
typedef uint64_t dp_iova_t;
/** An IOVA that could not be resolved. */
#define DP_BAD_IOVA ((dp_iova_t)-1)

#include <dp_errno.h>

#ifdef __cplusplus
}
#endif

#endif /* DP_COMMON_H */

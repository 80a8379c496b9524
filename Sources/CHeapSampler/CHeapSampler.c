// The heap sampler: records the stack of about one allocation per `mean_bytes` requested bytes
// (geometric intervals, as Go's runtime.MemProfileRate) and whether each sampled allocation was
// freed since, per allocation site. Fed by the malloc hooks (CMallocHooks); read by Telemetry's
// HeapProfiler to build pprof's heap profile.
//
// Cost on the allocation path: one branch while stopped; while sampling, a thread-local counter
// per malloc and one table probe per free. A sampled allocation walks the frame-pointer chain
// from the hook's frame (Swift code and the Swift runtime keep frame pointers; Swift's async
// frames mark theirs with bit 60, which is masked) within the thread's stack, so a frame
// without one ends the walk early rather than reading outside the stack; then it takes a mutex.
// (glibc's backtrace, which reads unwind tables, cost about 30 us a sample: 15% of a small
// request's CPU at the default rate.) The tables are mapped once, on the first start, and never
// come from malloc.
#define _GNU_SOURCE
#include "CHeapSampler.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define SITE_CAPACITY 8192u
#define SITE_INDEX_SLOTS 16384u
#define LIVE_SLOTS (1u << 18)
#define FILTER_SLOTS (1u << 16)
// Swift marks the saved frame pointer of an async function's frame with this bit.
#define ASYNC_FRAME_BIT (1ull << 60)

typedef struct {
    uintptr_t pointer;  // 0: empty slot
    uint32_t site;
    uint64_t size;
} live_entry;

volatile int heap_sampler_active = 0;
volatile int heap_sampler_tracking = 0;

static volatile int hooks_registered = 0;
static uint64_t mean_bytes = 0;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static heap_sampler_site *sites = NULL;
static uint32_t *site_index = NULL;  // slot -> site + 1
static live_entry *live = NULL;
static uint32_t site_count = 0;
static uint64_t live_count = 0;
static uint64_t dropped = 0;
// Counts of live samples per pointer hash: a free whose slot counts zero was not sampled.
static _Atomic uint32_t filter[FILTER_SLOTS];

static __thread __attribute__((tls_model("initial-exec"))) int64_t bytes_until_sample;
static __thread __attribute__((tls_model("initial-exec"))) int thread_ready;
static __thread __attribute__((tls_model("initial-exec"))) int busy;
static __thread __attribute__((tls_model("initial-exec"))) uint64_t random_state;
// The thread's stack, read once per thread (stack_high 1: could not be read).
static __thread __attribute__((tls_model("initial-exec"))) uintptr_t stack_low;
static __thread __attribute__((tls_model("initial-exec"))) uintptr_t stack_high;

static void lock_before_fork(void) { pthread_mutex_lock(&lock); }
static void unlock_after_fork(void) { pthread_mutex_unlock(&lock); }

void heap_sampler_register_hooks(void) {
    if (!hooks_registered) {
        hooks_registered = 1;
        pthread_atfork(lock_before_fork, unlock_after_fork, unlock_after_fork);
    }
}

int heap_sampler_hooked(void) { return hooks_registered; }

static uint64_t next_random(void) {
    // xorshift64*: seeded per thread from the thread's own address and the clock.
    if (random_state == 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        random_state = ((uint64_t)(uintptr_t)&random_state * 0x9E3779B97F4A7C15ull) ^ (uint64_t)now.tv_nsec ^ 1;
    }
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return random_state * 0x2545F4914F6CDD1Dull;
}

/// Bytes to the next sample: exponentially distributed with mean `mean_bytes`.
static int64_t next_interval(void) {
    double uniform = ((double)(next_random() >> 11) + 1.0) / 9007199254740993.0;  // (0, 1]
    double bytes = -log(uniform) * (double)mean_bytes;
    return bytes < 1.0 ? 1 : (int64_t)bytes;
}

static uint32_t pointer_hash(uintptr_t pointer, uint32_t slots) {
    return (uint32_t)(((uint64_t)pointer >> 4) * 0x9E3779B97F4A7C15ull >> 32) & (slots - 1);
}

static uint32_t stack_hash(const uint64_t *frames, uint32_t depth) {
    uint64_t hash = 1469598103934665603ull;
    for (uint32_t index = 0; index < depth; index++) hash = (hash ^ frames[index]) * 1099511628211ull;
    return (uint32_t)(hash >> 17) & (SITE_INDEX_SLOTS - 1);
}

/// The site of `frames`, added if new; UINT32_MAX when the table is full. Holds the lock.
static uint32_t site_for(const uint64_t *frames, uint32_t depth) {
    for (uint32_t slot = stack_hash(frames, depth), probes = 0; probes < SITE_INDEX_SLOTS;
         slot = (slot + 1) & (SITE_INDEX_SLOTS - 1), probes++) {
        uint32_t entry = site_index[slot];
        if (entry == 0) {
            if (site_count >= SITE_CAPACITY) return UINT32_MAX;
            heap_sampler_site *site = &sites[site_count];
            memcpy(site->frames, frames, depth * sizeof(uint64_t));
            site->depth = depth;
            site_index[slot] = ++site_count;
            return site_count - 1;
        }
        heap_sampler_site *site = &sites[entry - 1];
        if (site->depth == depth && memcmp(site->frames, frames, depth * sizeof(uint64_t)) == 0) return entry - 1;
    }
    return UINT32_MAX;
}

/// Inserts a live sample (linear probing). Holds the lock; 0 when the table is full.
static int insert_live(uintptr_t pointer, uint32_t site, uint64_t size) {
    if (live_count >= LIVE_SLOTS / 2) return 0;
    uint32_t slot = pointer_hash(pointer, LIVE_SLOTS);
    while (live[slot].pointer != 0) slot = (slot + 1) & (LIVE_SLOTS - 1);
    live[slot] = (live_entry){pointer, site, size};
    live_count++;
    return 1;
}

/// Removes the live sample at `slot`, shifting later entries of its probe run back.
static void remove_live(uint32_t slot) {
    uint32_t hole = slot;
    uint32_t next = (slot + 1) & (LIVE_SLOTS - 1);
    while (live[next].pointer != 0) {
        uint32_t home = pointer_hash(live[next].pointer, LIVE_SLOTS);
        // The entry may move into the hole if its home is not cyclically in (hole, next].
        int between = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
        if (!between) {
            live[hole] = live[next];
            hole = next;
        }
        next = (next + 1) & (LIVE_SLOTS - 1);
    }
    live[hole].pointer = 0;
    live_count--;
}

/// The bounds of this thread's stack (pthread_getattr_np may allocate: the caller is `busy`).
static void read_stack_bounds(void) {
    pthread_attr_t attributes;
    stack_high = 1;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0) return;
    void *address;
    size_t size;
    if (pthread_attr_getstack(&attributes, &address, &size) == 0) {
        stack_low = (uintptr_t)address;
        stack_high = stack_low + size;
    }
    pthread_attr_destroy(&attributes);
}

/// Return addresses from the frame record at `frame` (the hook's) outwards, the allocating call first.
static uint32_t walk_frames(uintptr_t frame, uint64_t *frames) {
    if (stack_high == 0) read_stack_bounds();
    uint32_t depth = 0;
    while (depth < HEAP_SAMPLER_MAX_DEPTH && frame >= stack_low && frame + 16 <= stack_high && (frame & 7) == 0) {
        uintptr_t next = ((uintptr_t *)frame)[0] & ~(uintptr_t)ASYNC_FRAME_BIT;
        uintptr_t address = ((uintptr_t *)frame)[1];
        if (address == 0) break;
        frames[depth++] = address;
        if (next <= frame) break;
        frame = next;
    }
    return depth;
}

__attribute__((noinline)) static void record_sample(void *pointer, size_t size, void *frame) {
    uint64_t frames[HEAP_SAMPLER_MAX_DEPTH];
    uint32_t depth = walk_frames((uintptr_t)frame, frames);
    pthread_mutex_lock(&lock);
    uint32_t site = site_for(frames, depth);
    if (site == UINT32_MAX || !insert_live((uintptr_t)pointer, site, size)) {
        dropped++;
    } else {
        sites[site].alloc_count++;
        sites[site].alloc_bytes += size;
        atomic_fetch_add_explicit(&filter[pointer_hash((uintptr_t)pointer, FILTER_SLOTS)], 1, memory_order_relaxed);
        heap_sampler_tracking = 1;
    }
    pthread_mutex_unlock(&lock);
}

__attribute__((noinline)) void heap_sampler_note_alloc(void *pointer, size_t size, void *frame) {
    if (busy) return;
    if (!thread_ready) {
        thread_ready = 1;
        busy = 1;
        bytes_until_sample = next_interval();
        busy = 0;
    }
    bytes_until_sample -= (int64_t)size;
    if (bytes_until_sample > 0) return;
    busy = 1;
    bytes_until_sample = next_interval();
    record_sample(pointer, size, frame);
    busy = 0;
}

void heap_sampler_note_free(void *pointer) {
    uintptr_t address = (uintptr_t)pointer;
    uint32_t check = pointer_hash(address, FILTER_SLOTS);
    if (atomic_load_explicit(&filter[check], memory_order_relaxed) == 0) return;
    pthread_mutex_lock(&lock);
    for (uint32_t slot = pointer_hash(address, LIVE_SLOTS); live[slot].pointer != 0; slot = (slot + 1) & (LIVE_SLOTS - 1)) {
        if (live[slot].pointer != address) continue;
        heap_sampler_site *site = &sites[live[slot].site];
        site->free_count++;
        site->free_bytes += live[slot].size;
        remove_live(slot);
        atomic_fetch_sub_explicit(&filter[check], 1, memory_order_relaxed);
        break;
    }
    pthread_mutex_unlock(&lock);
}

static void *map_zeroed(size_t bytes) {
    void *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return memory == MAP_FAILED ? NULL : memory;
}

int heap_sampler_start(uint64_t mean) {
    if (!hooks_registered || mean == 0) return -1;
    pthread_mutex_lock(&lock);
    if (sites == NULL) {
        sites = map_zeroed(SITE_CAPACITY * sizeof(heap_sampler_site));
        site_index = map_zeroed(SITE_INDEX_SLOTS * sizeof(uint32_t));
        live = map_zeroed(LIVE_SLOTS * sizeof(live_entry));
        if (sites == NULL || site_index == NULL || live == NULL) {
            pthread_mutex_unlock(&lock);
            return -1;
        }
    }
    mean_bytes = mean;
    pthread_mutex_unlock(&lock);
    heap_sampler_active = 1;
    return 0;
}

void heap_sampler_stop(void) { heap_sampler_active = 0; }

size_t heap_sampler_sites(heap_sampler_site *out, size_t capacity) {
    pthread_mutex_lock(&lock);
    size_t count = site_count;
    if (out != NULL && sites != NULL) memcpy(out, sites, (count < capacity ? count : capacity) * sizeof(heap_sampler_site));
    pthread_mutex_unlock(&lock);
    return count;
}

heap_sampler_stats heap_sampler_read_stats(void) {
    pthread_mutex_lock(&lock);
    heap_sampler_stats stats = {mean_bytes, heap_sampler_active ? 1 : 0, site_count, dropped, live_count};
    pthread_mutex_unlock(&lock);
    return stats;
}

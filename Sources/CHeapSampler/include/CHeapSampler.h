#ifndef CHEAPSAMPLER_H
#define CHEAPSAMPLER_H

#include <stddef.h>
#include <stdint.h>

/// The deepest stack one sampled allocation keeps (frames beyond are cut at the root end).
#define HEAP_SAMPLER_MAX_DEPTH 48

/// One allocation site: a stack and what its sampled allocations add up to.
typedef struct {
    /// Return addresses, the allocating function first.
    uint64_t frames[HEAP_SAMPLER_MAX_DEPTH];
    uint32_t depth;
    /// Sampled allocations made at this site, and their requested bytes.
    uint64_t alloc_count;
    uint64_t alloc_bytes;
    /// Of those, the ones freed since, and their bytes.
    uint64_t free_count;
    uint64_t free_bytes;
} heap_sampler_site;

/// What the sampler has seen since it started.
typedef struct {
    /// Mean bytes between two samples: the last rate started with (0 before the first start).
    uint64_t mean_bytes;
    /// 1 while taking samples.
    uint64_t active;
    /// Distinct sites recorded, and sampled allocations dropped because a table was full.
    uint64_t sites;
    uint64_t dropped;
    /// Sampled allocations still live.
    uint64_t live;
} heap_sampler_stats;

/// 1 once the malloc hooks (the CMallocHooks target) are linked into this process and have
/// registered; without them nothing feeds the sampler.
int heap_sampler_hooked(void);

/// Starts sampling one allocation per `mean_bytes` requested bytes on average (Go's
/// MemProfileRate, geometric intervals). Returns 0, or -1 when the hooks are missing or the
/// tables cannot be mapped. Starting again keeps the sites recorded so far.
int heap_sampler_start(uint64_t mean_bytes);

/// Stops taking new samples; frees of earlier samples are still counted.
void heap_sampler_stop(void);

/// Copies at most `capacity` sites into `sites` (allocated by the caller: no allocation happens
/// while the tables are locked) and returns how many there are in all.
size_t heap_sampler_sites(heap_sampler_site *sites, size_t capacity);

heap_sampler_stats heap_sampler_read_stats(void);

// Called by the hooks only.
void heap_sampler_register_hooks(void);
extern volatile int heap_sampler_active;
extern volatile int heap_sampler_tracking;
/// `frame`: the hook's frame address (`__builtin_frame_address(0)`), where the stack walk starts.
void heap_sampler_note_alloc(void *pointer, size_t size, void *frame);
void heap_sampler_note_free(void *pointer);

#endif

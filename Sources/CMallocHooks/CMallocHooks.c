// The process's allocator entry points, replaced as glibc's manual allows ("Replacing malloc"):
// each calls glibc's own implementation and, while the heap sampler runs, tells it about the
// allocation or free. Stopped, the cost is one predictable branch per call.
#include "CMallocHooks.h"

#include <errno.h>
#include <stddef.h>

#include "CHeapSampler.h"

#if defined(__linux__) && defined(__GLIBC__)
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

__attribute__((constructor)) static void register_hooks(void) { heap_sampler_register_hooks(); }

int malloc_hooks_linked(void) { return 1; }

// The hook's frame address starts the sampler's stack walk (taking it also gives each hook a
// frame record, whatever the optimizer would otherwise do), so the first frame is the caller's.
#define NOTE_ALLOC(pointer, size) \
    if (__builtin_expect(heap_sampler_active, 0) && (pointer) != NULL) \
    heap_sampler_note_alloc((pointer), (size), __builtin_frame_address(0))

void *malloc(size_t size) {
    void *pointer = __libc_malloc(size);
    NOTE_ALLOC(pointer, size);
    return pointer;
}

void *calloc(size_t count, size_t size) {
    void *pointer = __libc_calloc(count, size);
    NOTE_ALLOC(pointer, count * size);
    return pointer;
}

void *realloc(void *old, size_t size) {
    if (__builtin_expect(heap_sampler_tracking, 0) && old != NULL) heap_sampler_note_free(old);
    void *pointer = __libc_realloc(old, size);
    NOTE_ALLOC(pointer, size);
    return pointer;
}

void free(void *pointer) {
    if (__builtin_expect(heap_sampler_tracking, 0) && pointer != NULL) heap_sampler_note_free(pointer);
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size) {
    void *pointer = __libc_memalign(alignment, size);
    NOTE_ALLOC(pointer, size);
    return pointer;
}

void *aligned_alloc(size_t alignment, size_t size) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    void *pointer = __libc_memalign(alignment, size);
    NOTE_ALLOC(pointer, size);
    return pointer;
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    NOTE_ALLOC(pointer, size);
    *result = pointer;
    return 0;
}

void *valloc(size_t size) {
    void *pointer = __libc_valloc(size);
    NOTE_ALLOC(pointer, size);
    return pointer;
}

void *pvalloc(size_t size) {
    void *pointer = __libc_pvalloc(size);
    NOTE_ALLOC(pointer, size);
    return pointer;
}
#else
int malloc_hooks_linked(void) { return 0; }
#endif

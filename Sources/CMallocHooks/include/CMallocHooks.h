#ifndef CMALLOCHOOKS_H
#define CMALLOCHOOKS_H

/// Linking this target replaces malloc, calloc, realloc, free and the aligned allocators of the
/// process with wrappers around glibc's own (`__libc_malloc`, ...) that feed the heap sampler
/// (CHeapSampler). Only the executable and the test bundle link it; libraries never do.
/// Returns 1: a symbol Swift can reference so the linker keeps this target.
int malloc_hooks_linked(void);

#endif

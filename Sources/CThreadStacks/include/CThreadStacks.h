#ifndef CTHREADSTACKS_H
#define CTHREADSTACKS_H

#include <stdint.h>

/// Takes the stack of thread `tid` of this process: the thread is sent SIGPROF (the one signal
/// besides the crash signals and SIGPIPE that libdispatch's worker threads, which run Swift
/// concurrency's jobs, leave unblocked: it is left for profilers), whose handler walks its own stack with glibc's backtrace (the unwinder reads the
/// signal frame, so the walk continues into the interrupted code). Fills `frames` (the innermost
/// first: the interrupted instruction, then return addresses) and returns how many, or
///   -1  the thread did not answer within `timeout_ms` (it blocks the signal, or is gone),
///   -2  the signal could not be sent (the thread has ended),
///   -3  the signal already has another handler in this process.
/// One capture at a time; safe to call from any thread, the caller's own included.
int thread_stacks_capture(int tid, uint64_t *frames, int capacity, int timeout_ms);

#endif

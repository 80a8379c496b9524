// Stacks of this process's threads for /debug/pprof/goroutine: each thread, signalled in turn,
// takes its own backtrace in a signal handler. The unwinder is loaded before the first signal
// (its first use allocates), and GCC 12's unwinder finds frames through _dl_find_object without
// the loader's lock, so a thread interrupted anywhere can walk its stack.
#define _GNU_SOURCE
#include "CThreadStacks.h"

#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAMES 128
// Frames of the handler itself and of the signal trampoline (__restore_rt).
#define HANDLER_FRAMES 2

static pthread_mutex_t capture_lock = PTHREAD_MUTEX_INITIALIZER;
static int installed = 0;
static _Atomic int target_tid = 0;
static _Atomic int answered_depth = -1;
static void *answer[MAX_FRAMES];

static void take_stack(int signal, siginfo_t *info, void *context) {
    (void)signal;
    (void)info;
    (void)context;
    int saved = errno;
    if (atomic_load(&target_tid) == (int)syscall(SYS_gettid)) {
        int depth = backtrace(answer, MAX_FRAMES);
        atomic_store(&answered_depth, depth);
    }
    errno = saved;
}

static int install(void) {
    struct sigaction existing;
    if (sigaction(SIGPROF, NULL, &existing) != 0) return -3;
    if ((existing.sa_flags & SA_SIGINFO) ? existing.sa_sigaction != take_stack : existing.sa_handler != SIG_DFL) return -3;
    struct sigaction action = {0};
    action.sa_sigaction = take_stack;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGPROF, &action, NULL) != 0) return -3;
    void *warm[4];
    backtrace(warm, 4);
    installed = 1;
    return 0;
}

int thread_stacks_capture(int tid, uint64_t *frames, int capacity, int timeout_ms) {
    pthread_mutex_lock(&capture_lock);
    if (!installed && install() != 0) {
        pthread_mutex_unlock(&capture_lock);
        return -3;
    }
    int depth;
    int skip;
    if (tid == (int)syscall(SYS_gettid)) {
        depth = backtrace(answer, MAX_FRAMES);
        skip = 1;
    } else {
        atomic_store(&answered_depth, -1);
        atomic_store(&target_tid, tid);
        if (syscall(SYS_tgkill, getpid(), tid, SIGPROF) != 0) {
            atomic_store(&target_tid, 0);
            pthread_mutex_unlock(&capture_lock);
            return -2;
        }
        struct timespec pause = {0, 100000};
        for (int waited = 0; atomic_load(&answered_depth) < 0 && waited < timeout_ms * 10; waited++) nanosleep(&pause, NULL);
        atomic_store(&target_tid, 0);
        depth = atomic_load(&answered_depth);
        skip = HANDLER_FRAMES;
        if (depth < 0) {
            pthread_mutex_unlock(&capture_lock);
            return -1;
        }
    }
    int count = 0;
    for (int index = skip; index < depth && count < capacity; index++) frames[count++] = (uint64_t)(uintptr_t)answer[index];
    pthread_mutex_unlock(&capture_lock);
    return count;
}

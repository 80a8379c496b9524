#include "CMallInfo.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#endif

CMallInfoStats cmallinfo_read(void) {
    CMallInfoStats stats = {0, 0, 0, 0, 0, 0, 0};
#if defined(__linux__) && defined(__GLIBC__)
#if __GLIBC_PREREQ(2, 33)
    // mallinfo2 uses size_t fields; the older mallinfo wraps around past 2 GiB.
    struct mallinfo2 info = mallinfo2();
#else
    struct mallinfo info = mallinfo();
#endif
    stats.arena = (uint64_t)info.arena;
    stats.ordblks = (uint64_t)info.ordblks;
    stats.hblks = (uint64_t)info.hblks;
    stats.hblkhd = (uint64_t)info.hblkhd;
    stats.uordblks = (uint64_t)info.uordblks;
    stats.fordblks = (uint64_t)info.fordblks;
    stats.keepcost = (uint64_t)info.keepcost;
#endif
    return stats;
}

int cmallinfo_trim(void) {
#if defined(__linux__) && defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

#ifndef CMALLINFO_H
#define CMALLINFO_H

#include <stdint.h>

/// glibc's malloc statistics (see mallinfo2(3)), widened to uint64_t so Swift sees one
/// plain struct on every platform. All zeros where glibc's allocator is not in use.
typedef struct {
    /// Non-mmapped space allocated from the system (bytes).
    uint64_t arena;
    /// Number of free chunks.
    uint64_t ordblks;
    /// Number of mmapped regions.
    uint64_t hblks;
    /// Space allocated in mmapped regions (bytes).
    uint64_t hblkhd;
    /// Total allocated (in-use) space (bytes).
    uint64_t uordblks;
    /// Total free space (bytes).
    uint64_t fordblks;
    /// Top-most, releasable space (bytes).
    uint64_t keepcost;
} CMallInfoStats;

/// The allocator's current statistics, summed over all arenas.
CMallInfoStats cmallinfo_read(void);

/// glibc's malloc_trim(0): returns free heap memory to the system; 1 if some was, else 0
/// (always 0 where glibc's allocator is not in use).
int cmallinfo_trim(void);

#endif

"""Where a Swift server's CPU samples go, by module: reads `perf script` output (call graphs,
from `perf record -g`) and charges each sample to the innermost frame that belongs to a known
Swift module, so time in the Swift runtime (retain/release, allocation) or in the kernel counts
toward the code that called it. Kernel samples are marked K, user-space ones U.

Usage: perf_modules.py PERF_SCRIPT_TEXT [TOP]; prints the share of samples per (K/U, module),
then the TOP (default 20) user-space functions charged the most.
"""
import collections
import sys

# Mangled-name prefixes of the modules on the gateway's request path.
MODULES = [
    ("s8NIOHTTP1", "NIOHTTP1"), ("c_nio_llhttp", "NIOHTTP1"), ("s7NIOCore", "NIOCore"),
    ("s8NIOPosix", "NIOPosix"), ("s7NIOSSL", "NIOSSL"), ("s7Gateway", "Gateway"),
    ("s9Telemetry", "Telemetry"), ("s9OllamaAPI", "OllamaAPI"), ("s13NodeSimulator", "NodeSimulator"),
    ("s11Hummingbird", "Hummingbird"), ("s15HummingbirdCore", "Hummingbird"),
]

if len(sys.argv) < 2:
    sys.exit("usage: perf_modules.py PERF_SCRIPT_TEXT [TOP]")
top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
modules = collections.Counter()
functions = collections.Counter()
total = 0


def charge(stack):
    """Charges one sample, its frames as (symbol, dso) from the innermost out."""
    global total
    if not stack:
        return
    total += 1
    kernel = "kernel" in stack[0][1]
    module, function = "other", None
    for symbol, _ in stack:
        found = next((name for prefix, name in MODULES if prefix in symbol), None)
        if found:
            module, function = found, symbol
            break
    modules[("K " if kernel else "U ") + module] += 1
    if not kernel and function:
        functions[function] += 1


stack = []
with open(sys.argv[1]) as text:
    for line in text:
        if not line.strip():
            charge(stack)
            stack = []
        elif line[0] in " \t":
            parts = line.split()
            if len(parts) >= 3:
                stack.append((parts[1].rsplit("+", 1)[0], parts[-1]))
charge(stack)
if total == 0:
    sys.exit(f"perf_modules.py: {sys.argv[1]} holds no samples with call graphs (record with perf record -g)")
print(f"samples {total}")
for name, count in modules.most_common():
    print(f"{100 * count / total:5.1f}% {name}")
print()
for name, count in functions.most_common(top):
    print(f"{100 * count / total:5.1f}% {name}")

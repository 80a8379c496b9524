"""Summarises the latency rounds of scripts/bench-gateway.sh.

Usage: latency_rounds.py WORK ROUNDS MODE [PATHS]. PATHS is a comma-separated list of path
names, the first being the direct path (default direct,nginx,gateway). Reads
WORK/lat-MODE-PATH-ROUND.json (reports written by `ollama-distributed load --output`), or for
MODE `hey` WORK/hey-PATH-ROUND.csv (`hey -o csv`), or for MODE `pairs` WORK/lat-pairs-PROXY-ROUND.json
(the direct path and one proxy side by side in one run, `load --url DIRECT --url PROXY`; PATHS are
then NAME:PORT, and a path's benchmark is the one named ...@http://127.0.0.1:PORT; what a proxy
adds is paired within each of its runs), and WORK/steal-MODE-PATH-ROUND ("total
steal" CPU ticks before and after the run, from /proc/stat); prints each round's p50/p99 per
path with the share of CPU time the hypervisor stole, then the medians over rounds and what
each proxy adds to the direct path's medians, and the median of what it added round by round
(each round's runs are minutes apart at most, so that pairing cancels slow drift of the
machine). `stalls` counts the round's 10 ms windows (by completion time; for reports, which keep
completion order but no times, rate / 100 answers) holding an answer slower than 4 ms: the slow
requests of a run come in bursts, and a few bursts decide its p99.
"""
import csv
import json
import statistics
import sys

work, rounds, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
given = tuple(sys.argv[4].split(",")) if len(sys.argv) > 4 else ("direct", "nginx", "gateway")
paths = tuple(entry.split(":")[0] for entry in given)
ports = {entry.split(":")[0]: entry.split(":")[1] for entry in given if ":" in entry}
if mode == "pairs" and len(ports) < len(paths):
    sys.exit("latency_rounds.py: mode pairs needs PATHS as NAME:PORT, e.g. direct:18501,gateway:18503")
direct = paths[0]


STALL_MS = 4.0


def answers(path, number, run=None):
    """The round's answered requests as (10 ms window, latency in ms), in completion order; in
    mode pairs, from the side-by-side run of `run` (a proxy's name)."""
    if mode == "hey":
        rows = csv.DictReader(open(f"{work}/hey-{path}-{number}.csv"))
        timed = [(float(row["offset"]) + float(row["response-time"]), float(row["response-time"]) * 1000)
                 for row in rows if row["status-code"] == "200"]
        return [(int(done * 100), latency) for done, latency in sorted(timed)]
    if mode == "pairs":
        report = json.load(open(f"{work}/lat-pairs-{run}-{number}.json"))
        suffix = f"@http://127.0.0.1:{ports[path]}"
        benchmark = next((b for b in report["benchmarks"] if b["name"].endswith(suffix)), None)
        if benchmark is None:
            sys.exit(f"latency_rounds.py: round {number} of {run} has no benchmark for {path} (...{suffix})")
    else:
        benchmark = json.load(open(f"{work}/lat-{mode}-{path}-{number}.json"))["benchmarks"][0]
    metrics = {metric["name"]: metric for metric in benchmark["metrics"]}
    # The report keeps completion order but no times: at the run's rate, 10 ms is rate / 100 answers.
    per_window = max(1, int(metrics["throughput"]["samples"][0] / 100)) if "throughput" in metrics else 1
    return [(index // per_window, sample * 1000) for index, sample in enumerate(metrics["e2e"]["samples"])]


def round_numbers(path, number, run=None):
    timed = answers(path, number, run)
    if not timed:
        sys.exit(f"latency_rounds.py: round {number} of {path} has no answered requests ({work})")
    samples = sorted(latency for _, latency in timed)
    quantile = lambda p: samples[min(len(samples) - 1, int(p * len(samples)))]
    total0, steal0, total1, steal1 = map(int, open(f"{work}/steal-{mode}-{run or path}-{number}").read().split())
    steal = 100 * (steal1 - steal0) / max(1, total1 - total0)
    stalls = len({window for window, latency in timed if latency > STALL_MS})
    return len(samples), quantile(0.5), quantile(0.99), steal, stalls


def numbers_text(path, numbers):
    return f"{path} n={numbers[0]} p50={numbers[1]:.3f}ms p99={numbers[2]:.3f}ms stalls={numbers[4]}"


if mode == "pairs":
    for proxy in paths[1:]:
        runs = [(round_numbers(direct, number, proxy), round_numbers(proxy, number, proxy)) for number in range(1, rounds + 1)]
        for number, (base, mine) in enumerate(runs, start=1):
            print(f"round {number}, {direct} with {proxy}: {numbers_text(direct, base)}  {numbers_text(proxy, mine)}"
                  f" steal={mine[3]:.1f}%")
        print(
            f"{proxy} median p50={statistics.median(m[1] for _, m in runs):.3f}ms"
            f" p99={statistics.median(m[2] for _, m in runs):.3f}ms"
            f" added_p50={statistics.median(m[1] - b[1] for b, m in runs):.3f}ms"
            f" added_p99={statistics.median(m[2] - b[2] for b, m in runs):.3f}ms"
            f" ({direct} in the same runs: p50={statistics.median(b[1] for b, _ in runs):.3f}ms"
            f" p99={statistics.median(b[2] for b, _ in runs):.3f}ms)")
    sys.exit(0)

table = {path: [round_numbers(path, number) for number in range(1, rounds + 1)] for path in paths}
for index in range(rounds):
    print(f"round {index + 1}: " + "  ".join(
        f"{path} n={table[path][index][0]} p50={table[path][index][1]:.3f}ms p99={table[path][index][2]:.3f}ms"
        f" steal={table[path][index][3]:.1f}% stalls={table[path][index][4]}" for path in paths))
medians = {path: (statistics.median(r[1] for r in rows), statistics.median(r[2] for r in rows)) for path, rows in table.items()}
for path, (p50, p99) in medians.items():
    added = ""
    if path != direct:
        paired = [(row[1] - base[1], row[2] - base[2]) for row, base in zip(table[path], table[direct])]
        added = (
            f" added_p50={p50 - medians[direct][0]:.3f}ms added_p99={p99 - medians[direct][1]:.3f}ms"
            f" paired_added_p50={statistics.median(d[0] for d in paired):.3f}ms"
            f" paired_added_p99={statistics.median(d[1] for d in paired):.3f}ms")
    print(f"{path} median p50={p50:.3f}ms p99={p99:.3f}ms{added}")

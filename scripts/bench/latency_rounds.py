"""Summarises the latency rounds of scripts/bench-gateway.sh.

Usage: latency_rounds.py WORK ROUNDS MODE [PATHS]. PATHS is a comma-separated list of path
names, the first being the direct path (default direct,nginx,gateway). Reads
WORK/lat-MODE-PATH-ROUND.json (reports written by `ollama-distributed load --output`), or for
MODE `hey` WORK/hey-PATH-ROUND.csv (`hey -o csv`), and WORK/steal-MODE-PATH-ROUND ("total
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
paths = tuple(sys.argv[4].split(",")) if len(sys.argv) > 4 else ("direct", "nginx", "gateway")
direct = paths[0]


STALL_MS = 4.0


def answers(path, number):
    """The round's answered requests as (10 ms window, latency in ms), in completion order."""
    if mode == "hey":
        rows = csv.DictReader(open(f"{work}/hey-{path}-{number}.csv"))
        timed = [(float(row["offset"]) + float(row["response-time"]), float(row["response-time"]) * 1000)
                 for row in rows if row["status-code"] == "200"]
        return [(int(done * 100), latency) for done, latency in sorted(timed)]
    report = json.load(open(f"{work}/lat-{mode}-{path}-{number}.json"))
    metrics = {metric["name"]: metric for metric in report["benchmarks"][0]["metrics"]}
    # The report keeps completion order but no times: at the run's rate, 10 ms is rate / 100 answers.
    per_window = max(1, int(metrics["throughput"]["samples"][0] / 100)) if "throughput" in metrics else 1
    return [(index // per_window, sample * 1000) for index, sample in enumerate(metrics["e2e"]["samples"])]


def round_numbers(path, number):
    timed = answers(path, number)
    if not timed:
        sys.exit(f"latency_rounds.py: round {number} of {path} has no answered requests ({work})")
    samples = sorted(latency for _, latency in timed)
    quantile = lambda p: samples[min(len(samples) - 1, int(p * len(samples)))]
    total0, steal0, total1, steal1 = map(int, open(f"{work}/steal-{mode}-{path}-{number}").read().split())
    steal = 100 * (steal1 - steal0) / max(1, total1 - total0)
    stalls = len({window for window, latency in timed if latency > STALL_MS})
    return len(samples), quantile(0.5), quantile(0.99), steal, stalls


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

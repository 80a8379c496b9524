#!/usr/bin/env python3
"""Regenerates the scipy/numpy reference fixtures for PerfStatsTests.

    python3 -m venv /tmp/scipy-venv && /tmp/scipy-venv/bin/pip install scipy numpy
    /tmp/scipy-venv/bin/python make_fixtures.py

Writes mannwhitney.json, percentiles.json and medianci.json beside this script. The inputs come
from a seeded generator, so reruns with the same numpy give the same files; the scipy and numpy
versions used are recorded in each file.
"""
import json
import math
import os
from fractions import Fraction

import numpy as np
import scipy
from scipy import stats
from scipy.stats import _mannwhitneyu

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)


def floats(a):
    return [float(v) for v in a]


def lognormal(n, median=0.012, sigma=0.08):
    # Benchmark-like timings in seconds, rounded to the microsecond like real clocks report.
    return np.round(rng.lognormal(np.log(median), sigma, n), 6)


def distinct(n, low=0.0, high=100.0):
    return rng.uniform(low, high, n)


def mwu_cases():
    cases = []

    def add(name, x, y):
        cases.append((name, floats(x), floats(y)))

    # Tiny samples without ties: the exact path.
    for n1, n2 in [(1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (3, 4), (4, 4), (4, 5), (5, 5),
                   (6, 6), (7, 7), (8, 8), (3, 8), (8, 3), (1, 8)]:
        add(f"exact_{n1}x{n2}", distinct(n1), distinct(n2))
    add("exact_separated_4x4", [1, 2, 3, 4], [5, 6, 7, 8])
    add("exact_separated_reversed_5x5", [10, 11, 12, 13, 14], [1, 2, 3, 4, 5])
    add("exact_interleaved_4x4", [1, 3, 5, 7], [2, 4, 6, 8])
    add("exact_scipy_doc_example", [19, 22, 16, 29, 24], [20, 11, 17, 12])
    add("exact_small_vs_large_3x40", distinct(3, 40, 60), distinct(40))
    add("exact_large_vs_small_60x5", distinct(60), distinct(5, 20, 30))
    add("exact_8x100_shifted", distinct(8, 10, 110), distinct(100))
    # Tiny samples with ties: asymptotic under auto.
    add("ties_within_3x3", [1, 1, 2], [3, 4, 5])
    add("ties_across_4x4", [1, 2, 3, 4], [4, 5, 6, 7])
    add("ties_halfinteger_u_3x2", [1, 2, 2], [2, 3])
    add("identical_5x5", [7, 7, 7, 7, 7], [7, 7, 7, 7, 7])
    add("identical_1x1", [3], [3])
    add("identical_values_differ_4x6", [1, 2, 3, 4], [1, 2, 3, 4, 1, 2])
    add("integers_many_ties_8x8", rng.integers(0, 4, 8), rng.integers(1, 5, 8))
    add("separated_with_ties_6x6", [1, 1, 1, 2, 2, 2], [5, 5, 5, 6, 6, 6])
    # Larger samples: asymptotic.
    for n in [10, 20, 30, 60]:
        add(f"asymptotic_{n}x{n}_same", distinct(n), distinct(n))
        add(f"asymptotic_{n}x{n}_shifted", distinct(n), distinct(n, 20, 120))
        add(f"integers_{n}x{n}_ties", rng.integers(0, 6, n), rng.integers(0, 7, n))
        add(f"lognormal_{n}x{n}_same", lognormal(n), lognormal(n))
        add(f"lognormal_{n}x{n}_plus10pct", lognormal(n), lognormal(n, median=0.0132))
    add("asymptotic_unequal_9x25", distinct(9), distinct(25, 10, 110))
    add("asymptotic_unequal_40x12", distinct(40), distinct(12))
    add("separated_20x20", np.arange(20), np.arange(100, 120))
    add("separated_30x9_reversed", np.arange(100, 130), np.arange(9))
    add("identical_20x20", [5.0] * 20, [5.0] * 20)
    add("one_value_differs_10x10", [1.0] * 10, [1.0] * 9 + [2.0])
    add("lognormal_coarse_ties_25x25", np.round(lognormal(25), 3), np.round(lognormal(25, median=0.0125), 3))
    add("negative_and_zero_12x15", rng.normal(0, 1, 12).round(1), rng.normal(0.5, 1, 15).round(1))
    return cases


def mannwhitney():
    out = []
    for name, x, y in mwu_cases():
        auto = stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
        asym = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")
        exact = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
        ties = len(set(x) | set(y)) < len(x) + len(y)
        method = _mannwhitneyu._mwu_choose_method(len(x), len(y), ties)
        chosen = exact if method == "exact" else asym
        assert chosen.pvalue == auto.pvalue and chosen.statistic == auto.statistic, name
        out.append({
            "name": name, "x": x, "y": y,
            "u": float(auto.statistic), "pValue": float(auto.pvalue), "method": method,
            "exactPValue": float(exact.pvalue), "asymptoticPValue": float(asym.pvalue),
        })
    return out


def percentiles():
    arrays = {
        "single": [4.2],
        "two": [1.0, 2.0],
        "five_unsorted": [3.0, 1.0, 4.0, 1.0, 5.0],
        "ten_uniform": floats(distinct(10)),
        "negatives": [-3.5, -1.25, 0.0, 2.0, -7.0, 9.5],
        "lognormal_101": floats(lognormal(101)),
        "lognormal_1000": floats(lognormal(1000, median=0.25, sigma=0.3)),
        "integers_ties_37": floats(rng.integers(0, 5, 37)),
        "large_magnitude_20": floats(1e9 + rng.normal(0, 1e3, 20)),
    }
    qs = [0, 1, 10, 25, 33.3, 50, 75, 90, 95, 99, 99.9, 100]
    out = []
    for name, a in arrays.items():
        arr = np.asarray(a, dtype=float)
        med = float(np.median(arr))
        out.append({
            "name": name, "samples": a,
            "mean": float(np.mean(arr)), "median": med,
            "standardDeviation": float(np.std(arr, ddof=1)) if len(a) > 1 else 0.0,
            "min": float(np.min(arr)), "max": float(np.max(arr)),
            "mad": float(np.median(np.abs(arr - med))),
            "p50": float(np.percentile(arr, 50)), "p90": float(np.percentile(arr, 90)),
            "p95": float(np.percentile(arr, 95)), "p99": float(np.percentile(arr, 99)),
            "percentiles": [{"p": q, "value": float(np.percentile(arr, q))} for q in qs],
        })
    return out


def median_ci():
    """go-moremath QuantileCI(n, 0.5, c), with exact Binomial(n, 1/2) masses (integers over 2^n).

    Exact masses make pmf(k) == pmf(n - k), so ties between the two sides always go left, as
    QuantileCI intends (its floating-point masses can break a tie either way by rounding).
    """
    out = []
    for confidence in [0.9, 0.95, 0.99]:
        for n in list(range(1, 41)) + [50, 75, 100, 200]:
            total = 2 ** n
            count = lambda k: math.comb(n, k) if 0 <= k <= n else 0
            x = (n + 2) // 2 - 1  # ceil((n + 1)/2) - 1
            acc = count(x)
            l, r = x, x + 1
            lc, rc = count(l - 1), count(r)
            while Fraction(acc, total) < Fraction(confidence) and (lc > 0 or rc > 0):
                if lc >= rc:
                    acc += lc; l -= 1; lc = count(l - 1)
                else:
                    acc += rc; r += 1; rc = count(r)
            l, r = max(l, 0), min(r, n + 1)
            bounded = l >= 1 and r <= n
            out.append({"n": n, "confidence": confidence,
                        "lowOrder": l if bounded else 0, "highOrder": r if bounded else n + 1,
                        "achievedConfidence": acc / total if bounded else 1.0})
    return out


def write(name, payload):
    payload = {"generator": "make_fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__, **payload}
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")


write("mannwhitney.json", {"cases": mannwhitney()})
write("percentiles.json", {"cases": percentiles()})
write("medianci.json", {"cases": median_ci()})

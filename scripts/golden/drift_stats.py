#!/usr/bin/env python3
"""Golden values for analyzer/stats, computed with SciPy.

Run with the Debian interpreter that has SciPy 1.10.1 and NumPy installed:

    /usr/bin/python3 scripts/golden/drift_stats.py

It writes test/fixtures/golden/drift-stats.json. Every input sample is stored in the JSON
(generated here from seeded NumPy generators and rounded to a few decimals, so that the decimal
text parses to the same doubles in Python and JavaScript); the TypeScript tests never run Python.

SciPy computes every statistic and p-value (ks_2samp, wasserstein_distance, energy_distance,
anderson_ksamp, cramervonmises_2samp, chisquare, entropy, spatial.distance.jensenshannon,
kstwo.sf, special.smirnov, chi2.sf, norm.sf). The thin wrappers below mirror Evidently's
stattests (evidentlyai/evidently, src/evidently/legacy/calculations/stattests/): the empty-bin
fill of utils.py get_binned_data, psi.py, kl_div.py, jensenshannon.py, hellinger_distance.py,
tvd_stattest.py, chisquare_stattest.py, z_stattest.py and wasserstein_distance_norm.py. Binned
tests use Highway's reference-quantile bins (analyzer/stats/binning.ts), recomputed here with
np.quantile, so both sides use the same edges (Highway's `binning: deciles`). Evidently's own binning
(Sturges over reference ∪ current, Highway's default) and the tests added from Evidently have their golden
values in scripts/golden/evidently_tests.py.
"""

import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance
from scipy.stats import _hypotests

MIN_OBSERVATIONS = 2  # analyzer/stats/const.ts
KS_EXACT_MAX_N = 10000  # SciPy ks_2samp MAX_AUTO_N
CVM_EXACT_MAX_N = 20  # SciPy cramervonmises_2samp auto rule
DEFAULT_BINS = 10

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "golden", "drift-stats.json")


def num(x):
    """A float for JSON; infinities become the strings 'Infinity' / '-Infinity' (JSON has none)."""
    x = float(x)
    if math.isnan(x):
        raise ValueError("NaN in golden values")
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


# ---------------------------------------------------------------- Highway binning (binning.ts)


def reference_bin_edges(ref, bins):
    ref = np.sort(np.asarray(ref, dtype=float))
    q = np.quantile(ref, np.arange(bins) / bins)
    edges = []
    for e in q:
        if not edges or e > edges[-1]:
            edges.append(float(e))
    edges.append(float(np.nextafter(ref[-1], np.inf)))
    return edges


def histogram(values, edges):
    idx = np.searchsorted(np.asarray(edges), np.asarray(values, dtype=float), side="right")
    return np.bincount(idx, minlength=len(edges) + 1).astype(float)


# ---------------------------------------------------------------- Evidently wrappers


def feel_zeroes(p):
    """utils.py get_binned_data(feel_zeroes=True)."""
    p = p.copy()
    m = np.min(p[p != 0])
    np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return p


def evidently_psi(ref_counts, cur_counts):
    r = feel_zeroes(ref_counts / ref_counts.sum())
    c = feel_zeroes(cur_counts / cur_counts.sum())
    return np.sum((r - c) * np.log(r / c))


def evidently_kl(ref_counts, cur_counts):
    r = feel_zeroes(ref_counts / ref_counts.sum())
    c = feel_zeroes(cur_counts / cur_counts.sum())
    return stats.entropy(r, c)


def evidently_js(ref_counts, cur_counts):
    return distance.jensenshannon(ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum())


def evidently_hellinger(ref_counts, cur_counts):
    r = ref_counts / ref_counts.sum()
    c = cur_counts / cur_counts.sum()
    h = 0.0
    for p1, p2 in zip(r, c):
        h += math.sqrt(p1 * p2)
    h = np.clip(h, 0, 1)
    return math.sqrt(1 - h)


def evidently_tvd(ref_counts, cur_counts):
    return 0.5 * np.sum(np.abs(ref_counts / ref_counts.sum() - cur_counts / cur_counts.sum()))


def evidently_chisquare(ref_counts, cur_counts):
    keep = (ref_counts > 0) | (cur_counts > 0)
    ref_counts, cur_counts = ref_counts[keep], cur_counts[keep]
    if len(ref_counts) < 2:
        return {"statistic": 0.0, "pValue": 1.0, "note": "single category: SciPy gives NaN (df=0); Highway p=1"}
    k_norm = cur_counts.sum() / ref_counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        res = stats.chisquare(cur_counts, ref_counts * k_norm)
    return {"statistic": num(res.statistic), "pValue": num(res.pvalue)}


def evidently_ztest(ref_counts, cur_counts):
    n1, n2 = ref_counts.sum(), cur_counts.sum()
    p1 = float(ref_counts[1] if len(ref_counts) > 1 else 0) / n1
    p2 = float(cur_counts[1] if len(cur_counts) > 1 else 0) / n2
    P = float(p1 * n1 + p2 * n2) / (n1 + n2)
    if P in (0.0, 1.0):
        return {"statistic": 0.0, "pValue": 1.0, "evidentlyPValue": 1.0}
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
    return {
        "statistic": num(z),
        "pValue": num(2 * stats.norm.sf(abs(z))),
        "evidentlyPValue": num(2 * (1 - stats.norm.cdf(np.abs(z)))),
    }


# ---------------------------------------------------------------- SciPy branch labels (documentation only)


def kstwo_branch(n, x):
    """Which method scipy.stats._ksstats._kolmogn(n, x, cdf=False) takes."""
    t = n * x
    if x >= 1 or x <= 0:
        return "bound"
    if t <= 1:
        return "ruben-gambino"
    if t >= n - 1:
        return "ruben-gambino-upper"
    if x >= 0.5:
        return "smirnov"
    nxx = t * x
    if n <= 140:
        return "durbin" if nxx <= 0.754693 else ("pomeranz" if nxx <= 4 else "smirnov")
    if nxx >= 370:
        return "zero"
    if nxx >= 2.2:
        return "smirnov"
    return "durbin" if (n <= 100000 and n * x**1.5 <= 1.4) else "pelz-good"


def anderson_branch(a2):
    critical = np.array([0.325, 1.226, 1.961, 2.718, 3.752, 4.592, 6.546])
    return "capped-0.25" if a2 < critical.min() else ("floored-0.001" if a2 > critical.max() else "interpolated")


# ---------------------------------------------------------------- cases


def numerical_expected(ref, cur, bins):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    ref = ref[np.isfinite(ref)]
    cur = cur[np.isfinite(cur)]
    if len(ref) < MIN_OBSERVATIONS or len(cur) < MIN_OBSERVATIONS:
        return {"notEnoughData": True}
    out = {}
    ks = stats.ks_2samp(ref, cur)
    n1, n2 = len(ref), len(cur)
    ks_method = "exact" if max(n1, n2) <= KS_EXACT_MAX_N else "asymptotic"
    ks_entry = {"statistic": num(ks.statistic), "pValue": num(ks.pvalue), "method": ks_method}
    if ks_method == "asymptotic":
        m, n = sorted([float(n1), float(n2)], reverse=True)
        ks_entry["kstwoN"] = int(np.round(m * n / (m + n)))
        ks_entry["kstwoBranch"] = kstwo_branch(ks_entry["kstwoN"], ks.statistic)
    out["ks"] = ks_entry
    wd = stats.wasserstein_distance(ref, cur)
    out["wasserstein"] = num(wd)
    out["wassersteinNormed"] = num(wd / max(np.std(ref), 0.001))
    out["energy"] = num(stats.energy_distance(ref, cur))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ad = stats.anderson_ksamp([ref, cur])
        out["anderson"] = {"statistic": num(ad.statistic), "pValue": num(ad.pvalue), "branch": anderson_branch(ad.statistic)}
    except ValueError as e:
        out["anderson"] = {"notEnoughData": True, "scipyError": str(e)}
    cvm = stats.cramervonmises_2samp(ref, cur)
    out["cramerVonMises"] = {
        "statistic": num(cvm.statistic),
        "pValue": num(cvm.pvalue),
        "method": "asymptotic" if max(n1, n2) > CVM_EXACT_MAX_N else "exact",
    }
    edges = reference_bin_edges(ref, bins)
    rc = histogram(ref, edges)
    cc = histogram(cur, edges)
    out["binEdges"] = [num(e) for e in edges]
    out["referenceCounts"] = [int(c) for c in rc]
    out["currentCounts"] = [int(c) for c in cc]
    out["psi"] = num(evidently_psi(rc, cc))
    out["kl"] = num(evidently_kl(rc, cc))
    out["jensenshannon"] = num(evidently_js(rc, cc))
    out["hellinger"] = num(evidently_hellinger(rc, cc))
    out["tvd"] = num(evidently_tvd(rc, cc))
    return out


def categorical_expected(ref_counts, cur_counts):
    rc = np.asarray(ref_counts, dtype=float)
    cc = np.asarray(cur_counts, dtype=float)
    if rc.sum() < MIN_OBSERVATIONS or cc.sum() < MIN_OBSERVATIONS:
        return {"notEnoughData": True}
    out = {
        "chisquare": evidently_chisquare(rc, cc),
        "jensenshannon": num(evidently_js(rc, cc)),
        "psi": num(evidently_psi(rc, cc)),
        "kl": num(evidently_kl(rc, cc)),
        "hellinger": num(evidently_hellinger(rc, cc)),
        "tvd": num(evidently_tvd(rc, cc)),
    }
    if len(rc) <= 2:
        out["ztest"] = evidently_ztest(rc, cc)
    return out


def rounded(x, decimals):
    return [float(v) for v in np.round(np.asarray(x, dtype=float), decimals)]


def build_samples():
    s = {}
    rng = np.random.default_rng(20240601)
    s["small_ref_20"] = rounded(rng.normal(0, 1, 20), 6)
    s["small_cur_30_shift"] = rounded(rng.normal(0.8, 1, 30), 6)
    s["small_cur_20_same"] = rounded(rng.normal(0, 1, 20), 6)
    s["small_ref_15"] = rounded(rng.normal(0, 1, 15), 6)
    s["small_cur_12_shift"] = rounded(rng.normal(1.0, 1, 12), 6)
    s["small_cur_18_same"] = rounded(rng.normal(0, 1, 18), 6)
    s["medium_ref_500"] = rounded(rng.normal(0, 1, 500), 6)
    s["medium_cur_800_same"] = rounded(rng.normal(0, 1, 800), 6)
    s["medium_cur_800_shift"] = rounded(rng.normal(0.3, 1.2, 800), 6)
    s["medium_cur_800_far"] = rounded(rng.normal(2.0, 1, 800), 6)
    rng = np.random.default_rng(77)
    large_ref = np.round(rng.normal(0, 1, 20000), 4)
    s["large_ref_20000"] = [float(v) for v in large_ref]
    s["large_cur_5000_slight"] = rounded(rng.normal(0.05, 1, 5000), 4)
    s["large_cur_5000_shift"] = rounded(rng.normal(0.15, 1, 5000), 4)
    # Every 4th reference value nudged by 0.005: D ≈ 0.002, Durbin's matrix branch of kstwo.sf for n > 140.
    s["large_cur_5000_subsample"] = rounded(np.sort(large_ref)[::4] + 0.005, 4)
    s["large_cur_60_shift"] = rounded(rng.normal(0.3, 1, 60), 4)
    s["large_cur_60_far"] = rounded(rng.normal(1.0, 1, 60), 4)
    s["large_cur_40_same"] = rounded(rng.normal(0.0, 1, 40), 4)
    rng = np.random.default_rng(4242)
    s["ties_ref_25"] = [float(v) for v in rng.poisson(3, 25)]
    s["ties_cur_30"] = [float(v) for v in rng.poisson(4, 30)]
    s["ties_ref_600"] = [float(v) for v in rng.poisson(5, 600)]
    s["ties_cur_700_same"] = [float(v) for v in rng.poisson(5, 700)]
    s["ties_cur_700_shift"] = [float(v) for v in rng.poisson(5.6, 700)]
    zero_inflated = np.where(rng.random(400) < 0.7, 0.0, np.round(rng.exponential(2.0, 400), 3))
    s["zero_inflated_ref_400"] = [float(v) for v in zero_inflated]
    zero_inflated_cur = np.where(rng.random(300) < 0.5, 0.0, np.round(rng.exponential(2.0, 300), 3))
    s["zero_inflated_cur_300"] = [float(v) for v in zero_inflated_cur]
    s["constant_ref_50"] = [3.0] * 50
    s["constant_cur_40"] = [3.0] * 40
    s["varied_cur_40"] = rounded(rng.normal(3.0, 1, 40), 6)
    s["constant_cur_40_other"] = [3.5] * 40
    s["binary_ref_30"] = [0.0] * 18 + [1.0] * 12
    s["binary_cur_25"] = [0.0] * 8 + [1.0] * 17
    s["empty"] = []
    s["one_value"] = [1.5]
    s["with_non_finite"] = [0.1, "NaN", 0.4, "Infinity", 0.2, "-Infinity", 0.9, 0.3]
    return s


NUMERICAL_CASES = [
    ("small samples drawn from shifted normals (exact KS, unequal sizes)", "small_ref_20", "small_cur_30_shift"),
    ("small samples of equal size from one normal (exact KS on the square, exact CvM)", "small_ref_20", "small_cur_20_same"),
    ("small unequal samples with a shift (exact CvM)", "small_ref_15", "small_cur_12_shift"),
    ("small unequal samples from one normal (exact CvM)", "small_ref_15", "small_cur_18_same"),
    ("medium samples from one normal", "medium_ref_500", "medium_cur_800_same"),
    ("medium samples with shift and scale change", "medium_ref_500", "medium_cur_800_shift"),
    ("medium samples far apart (Anderson floored, KS p tiny)", "medium_ref_500", "medium_cur_800_far"),
    ("large samples with a slight shift (asymptotic KS, Pelz-Good)", "large_ref_20000", "large_cur_5000_slight"),
    ("large samples with a clear shift (asymptotic KS, Smirnov sum)", "large_ref_20000", "large_cur_5000_shift"),
    ("large reference against its nudged subsample (asymptotic KS, Durbin matrix)", "large_ref_20000", "large_cur_5000_subsample"),
    ("large reference against 60 shifted values (asymptotic KS with n = 60, Pomeranz)", "large_ref_20000", "large_cur_60_shift"),
    ("large reference against 60 far values (asymptotic KS with n = 60, Smirnov)", "large_ref_20000", "large_cur_60_far"),
    ("large reference against 40 values from it (asymptotic KS with n = 40, Durbin)", "large_ref_20000", "large_cur_40_same"),
    ("small discrete samples with ties", "ties_ref_25", "ties_cur_30"),
    ("medium discrete samples with ties, same law", "ties_ref_600", "ties_cur_700_same"),
    ("medium discrete samples with ties, shifted law", "ties_ref_600", "ties_cur_700_shift"),
    ("zero-inflated samples (quantile edges collapse)", "zero_inflated_ref_400", "zero_inflated_cur_300"),
    ("a constant column in both windows", "constant_ref_50", "constant_cur_40"),
    ("a constant reference against a varied current window", "constant_ref_50", "varied_cur_40"),
    ("a constant reference against another constant", "constant_ref_50", "constant_cur_40_other"),
    ("a 0/1 numerical column", "binary_ref_30", "binary_cur_25"),
    ("non-finite values are dropped", "with_non_finite", "small_ref_20"),
    ("an empty current window", "medium_ref_500", "empty"),
    ("a current window of one value", "medium_ref_500", "one_value"),
    ("an empty reference window", "empty", "medium_ref_500"),
]

CATEGORICAL_CASES = [
    ("four categories, same proportions", ["a", "b", "c", "d"], [400, 300, 200, 100], [95, 70, 52, 23]),
    ("four categories, shifted proportions", ["a", "b", "c", "d"], [400, 300, 200, 100], [60, 60, 60, 60]),
    ("a category unseen in the current window", ["a", "b", "c", "e"], [400, 300, 200, 100], [120, 90, 60, 0]),
    ("a category unseen in the reference window", ["a", "b", "c", "f"], [400, 300, 200, 0], [120, 90, 60, 7]),
    ("two categories, same proportions", ["no", "yes"], [600, 400], [55, 45]),
    ("two categories, shifted proportions", ["no", "yes"], [900, 100], [700, 300]),
    ("two categories, each window sees only one", ["no", "yes"], [50, 0], [0, 30]),
    ("one category in both windows", ["only"], [50], [30]),
    ("two categories, the second absent from both", ["no", "yes"], [50, 0], [30, 0]),
    ("a rare bin below 0.0001 (Evidently's min/1e6 fill)", ["a", "b", "c"], [19999, 1, 0], [900, 0, 100]),
    ("large counts", ["a", "b", "c"], [500000, 300000, 200000], [251000, 149000, 100000]),
    ("an empty current window", ["a", "b"], [10, 20], [0, 0]),
    ("a current window of one row", ["a", "b"], [10, 20], [1, 0]),
]


def distributions():
    out = {}
    out["chi2Sf"] = [
        [x, df, num(stats.chi2.sf(x, df))]
        for df in [1, 2, 3, 5, 10, 29, 100, 999]
        for x in [1e-6, 0.01, 0.5, 1, 2, 5, 10, 30, 100, 300, 1000, 2500]
    ]
    out["normalSf"] = [[z, num(stats.norm.sf(z))] for z in [-8, -3, -1.5, -0.1, 0, 0.1, 1, 1.959963984540054, 3, 5, 8, 12, 20, 30, 37]]
    ks = []
    for n in [1, 2, 3, 10, 60, 140, 141, 800, 4000, 20000, 100000, 100001, 500000]:
        for x in [0.3 / n, 0.75 / n, 1.5 / n, 0.002, 0.01, 0.03, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1 - 0.5 / n]:
            if 0 < x < 1:
                ks.append([n, x, num(stats.kstwo.sf(x, n)), kstwo_branch(n, x)])
    out["kstwoSf"] = ks
    out["smirnov"] = [
        [n, x, num(special.smirnov(n, x))]
        for n in [1, 2, 5, 10, 100, 1000, 4000, 250000]
        for x in [0.0005, 0.005, 0.02, 0.1, 0.3, 0.5, 0.9]
    ]
    out["cvmLimitCdf"] = [[x, num(_hypotests._cdf_cvm_inf(x))] for x in [0.003, 0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2, 2.0, 3.0, 5.0]]
    return out


def main():
    samples = build_samples()

    def as_array(name):
        return np.array([float(v) for v in samples[name]], dtype=float)

    numerical = []
    for title, ref_name, cur_name in NUMERICAL_CASES:
        numerical.append(
            {
                "name": title,
                "reference": ref_name,
                "current": cur_name,
                "bins": DEFAULT_BINS,
                "expected": numerical_expected(as_array(ref_name), as_array(cur_name), DEFAULT_BINS),
            }
        )
    categorical = []
    for title, categories, rc, cc in CATEGORICAL_CASES:
        categorical.append(
            {
                "name": title,
                "categories": categories,
                "referenceCounts": rc,
                "currentCounts": cc,
                "expected": categorical_expected(rc, cc),
            }
        )
    fixture = {
        "generatedBy": "scripts/golden/drift_stats.py",
        "python": sys.version.split()[0],
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "note": "Samples are stored inline; the strings 'NaN', 'Infinity' and '-Infinity' stand for the non-finite doubles.",
        "samples": samples,
        "numerical": numerical,
        "categorical": categorical,
        "distributions": distributions(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()

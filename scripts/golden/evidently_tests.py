#!/usr/bin/env python3
"""Golden values for the drift tests Highway takes from Evidently, computed with SciPy and NumPy.

Run with the Debian interpreter that has SciPy 1.10.1 and NumPy 1.24 installed:

    /usr/bin/python3 scripts/golden/evidently_tests.py

It writes test/fixtures/golden/evidently-tests.json. Evidently itself is not installed here (no PyPI);
the functions below follow the definitions in evidentlyai/evidently,
src/evidently/legacy/calculations/stattests/ (read, not copied): utils.py `get_binned_data` (Sturges bins
over reference ∪ current, value counts for ≤ 20 reference values, the empty-bin fill), psi.py, kl_div.py,
jensenshannon.py, hellinger_distance.py (Sturges over distinct values, densities × bin width),
fisher_exact_stattest.py, g_stattest.py, t_test.py, mann_whitney_urank_stattest.py,
epps_singleton_stattest.py, mmd_stattest.py and tvd_stattest.py (`permutation_test`). SciPy computes every
statistic and p-value (fisher_exact, power_divergence, ttest_ind, mannwhitneyu, epps_singleton_2samp,
entropy, jensenshannon, t.sf, betainc). Inputs are stored in the JSON, rounded to 4 decimals so that the
decimal text parses to the same doubles in Python and JavaScript.

Permutation p-values (TVD: 1000 permutations with np.random.seed(0), as Evidently; MMD: 100 permutations,
unseeded in Evidently, seeded with 0 here) come from NumPy's generator, which Highway does not reproduce:
they are for comparison within Monte Carlo error, not to the digit.
"""

import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "golden", "evidently-tests.json")


def num(x):
    x = float(x)
    if math.isnan(x):
        raise ValueError("NaN in golden values")
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def rounded(a):
    return [float(v) for v in np.round(np.asarray(a, dtype=float), 4)]


# ---------------------------------------------------------------- Evidently's definitions


def fill_zeroes(p):
    p = np.asarray(p, dtype=float).copy()
    smallest = p[p != 0].min()
    p[p == 0] = smallest / 10**6 if smallest <= 0.0001 else 0.0001
    return p


def binned(ref, cur, feel_zeroes=True):
    """utils.py get_binned_data for a numerical column."""
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    if len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, edges)[0] / len(ref)
        cp = np.histogram(cur, edges)[0] / len(cur)
        bins = len(edges) - 1
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        rp = np.array([np.sum(ref == k) for k in keys]) / len(ref)
        cp = np.array([np.sum(cur == k) for k in keys]) / len(cur)
        bins = len(keys)
    if feel_zeroes:
        rp, cp = fill_zeroes(rp), fill_zeroes(cp)
    return rp, cp, bins


def ev_psi(ref, cur):
    rp, cp, _ = binned(ref, cur)
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def ev_kl(ref, cur):
    rp, cp, _ = binned(ref, cur)
    return float(stats.entropy(rp, cp))


def ev_js(ref, cur):
    rp, cp, _ = binned(ref, cur, feel_zeroes=False)
    return float(distance.jensenshannon(rp, cp))


def ev_hellinger_numerical(ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    keys = list(set(ref.tolist()) | set(cur.tolist()))
    edges = np.histogram_bin_edges(keys, bins="sturges")
    h1 = np.histogram(ref, bins=edges, density=True)[0]
    h2 = np.histogram(cur, bins=edges, density=True)[0]
    width = (max(edges) - min(edges)) / (len(edges) - 1)
    s = 0.0
    for a, b in zip(h1, h2):
        s += math.sqrt(float(a) * float(b)) * width
    return math.sqrt(1 - float(np.clip(s, 0, 1)))


def rbf_parts(x, y):
    def sq(a, b):
        a = a.reshape(-1, 1)
        b = b.reshape(-1, 1)
        return (b**2).T - 2 * np.dot(a, b.T) + a**2

    dxx = sq(x, x)
    sigma = (0.5 * np.percentile(dxx.flatten(), 50, method="nearest")) ** 0.5
    if sigma == 0:
        sigma = 0.5**0.5
    gamma = 1.0 / (2.0 * sigma**2)
    kxx = np.exp(-gamma * dxx)
    kxy = np.exp(-gamma * sq(x, y))
    kyy = np.exp(-gamma * sq(y, y))
    k = np.concatenate((np.concatenate((kxx, kxy), axis=1), np.concatenate((kxy.T, kyy), axis=1)), axis=0)
    return k - np.diag(np.diagonal(k))


def mmd_of(k, ny, index=None):
    if index is not None:
        k = k[index][:, index]
    nx = k.shape[0] - ny
    a = 1 / (nx * (nx - 1))
    b = 1 / (ny * (ny - 1))
    return a * k[:-ny, :-ny].sum() + b * k[-ny:, -ny:].sum() - 2.0 * k[-ny:, :-ny].mean()


def ev_mmd(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    k = rbf_parts(x, y)
    observed = mmd_of(k, len(y))
    np.random.seed(0)
    permuted = np.array([mmd_of(k, len(y), np.random.permutation(k.shape[0])) for _ in range(100)])
    return float(observed), float((observed <= permuted).mean())


def tvd_counts(r, c):
    r = np.asarray(r, dtype=float)
    c = np.asarray(c, dtype=float)
    return 0.5 * np.sum(np.abs(r / r.sum() - c / c.sum()))


def ev_tvd(ref_counts, cur_counts):
    """tvd_stattest.py: permutation_test(iterations=1000) after np.random.seed(0), rows in category order."""
    k = len(ref_counts)
    ref = np.repeat(np.arange(k), ref_counts)
    cur = np.repeat(np.arange(k), cur_counts)
    observed = tvd_counts(ref_counts, cur_counts)
    combined = np.concatenate([ref, cur])
    np.random.seed(0)
    held = []
    for _ in range(1000):
        new_ref = np.random.choice(combined, len(ref), replace=False)
        rc = np.bincount(new_ref, minlength=k)
        cc = np.bincount(combined, minlength=k) - rc
        held.append(tvd_counts(rc, cc))
    return float(observed), float(np.mean(observed <= np.abs(np.array(held))))


# ---------------------------------------------------------------- cases

def numerical_cases():
    rng = np.random.default_rng(20260611)
    raw = {
        "normal shifted by 0.3 sd (200 vs 150)": (rng.normal(0, 1, 200), rng.normal(0.3, 1, 150)),
        "two samples of one normal (300 vs 250)": (rng.normal(5, 2, 300), rng.normal(5, 2, 250)),
        "small samples without ties (7 vs 12): exact Mann-Whitney": (rng.normal(0, 1, 7), rng.normal(0.8, 1, 12)),
        "small samples (10 vs 12): Epps-Singleton small-sample correction": (rng.normal(0, 1, 10), rng.normal(0, 2, 12)),
        "integers 0-9 with ties (120 vs 100)": (rng.integers(0, 10, 120), rng.integers(1, 10, 100)),
        "lognormal, wider current (400 vs 300)": (rng.lognormal(0, 0.5, 400), rng.lognormal(0, 0.8, 300)),
        "few values, one the reference never saw (60 vs 50)": (rng.integers(0, 4, 60), rng.integers(0, 5, 50)),
    }
    cases = []
    for name, (r, c) in raw.items():
        r = np.asarray(rounded(r))
        c = np.asarray(rounded(c))
        t = stats.ttest_ind(r, c)
        mw = stats.mannwhitneyu(x=r, y=c, alternative="less")
        n1, n2 = len(r), len(c)
        ties = len(np.unique(np.concatenate([r, c]))) < n1 + n2
        mw_method = "asymptotic" if (n1 > 8 and n2 > 8) or ties else "exact"
        expected = {
            "t_test": {"statistic": num(t.statistic), "pValue": num(t.pvalue)},
            "mannw": {"statistic": num(mw.statistic), "pValue": num(mw.pvalue), "method": mw_method},
            "psi": ev_psi(r, c),
            "kl": ev_kl(r, c),
            "jensenshannon": ev_js(r, c),
            "hellinger": ev_hellinger_numerical(r, c),
            "bins": binned(r, c)[2],
        }
        iqr = stats.iqr(np.concatenate([r, c]))
        if iqr > 0:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                es = stats.epps_singleton_2samp(r, c)
            expected["epps_singleton"] = {"statistic": num(es.statistic), "pValue": num(es.pvalue)}
        mmd, mmd_p = ev_mmd(r, c)
        expected["empirical_mmd"] = {"statistic": mmd, "numpyPermutationPValue": mmd_p}
        cases.append({"name": name, "reference": r.tolist(), "current": c.tolist(), "expected": expected})
    return cases


def categorical_cases():
    raw = [
        ("two categories, current shifted (fisher, g, TVD)", [60, 40], [35, 65]),
        ("two categories, same shares", [500, 500], [240, 260]),
        ("two categories, small counts", [3, 9], [8, 2]),
        ("two categories, one category absent from the current window", [30, 20], [25, 0]),
        ("four categories, mild change", [400, 300, 200, 100], [190, 160, 90, 60]),
        ("three categories, one the reference never saw", [70, 30, 0], [50, 30, 20]),
        ("five categories, unequal window sizes", [1000, 800, 600, 400, 200], [90, 85, 60, 40, 25]),
    ]
    cases = []
    for name, r, c in raw:
        r = np.asarray(r)
        c = np.asarray(c)
        expected = {}
        if len(r) == 2:
            # fisher_exact_stattest.py: [[current second, current first], [reference second, reference first]].
            table = [[int(c[1]), int(c[0])], [int(r[1]), int(r[0])]]
            odds, p = stats.fisher_exact(table)
            expected["fisher_exact"] = {"statistic": num(odds) if not math.isnan(odds) else 1.0, "pValue": num(p)}
        seen = (r + c) > 0
        f_obs = c[seen].astype(float)
        f_exp = r[seen].astype(float) * (c.sum() / r.sum())
        with np.errstate(divide="ignore"):
            g = stats.power_divergence(f_obs, f_exp, lambda_="log-likelihood")
        expected["g_test"] = {"statistic": num(g.statistic), "pValue": num(g.pvalue)}
        if r.sum() == c.sum():
            # Evidently's own call (raw reference counts as f_exp) runs only when the totals agree.
            expected["g_test"]["evidentlyPValue"] = num(stats.power_divergence(f_obs, r[seen].astype(float), lambda_="log-likelihood").pvalue)
        rp = r / r.sum()
        cp = c / c.sum()
        expected["kl"] = float(stats.entropy(fill_zeroes(rp), fill_zeroes(cp)))
        coefficient = float(np.clip(np.sum(np.sqrt(rp * cp)), 0, 1))
        expected["hellinger"] = math.sqrt(1 - coefficient)
        tvd, tvd_p = ev_tvd(r, c)
        expected["TVD"] = {"statistic": tvd, "numpyPermutationPValue": tvd_p}
        cases.append({"name": name, "referenceCounts": r.tolist(), "currentCounts": c.tolist(), "expected": expected})
    return cases


def special_cases():
    t_sf = []
    for t, df in [(0.5, 3), (1.96, 10), (2.5, 30), (4.0, 100), (0.1, 1000), (3.0, 198), (6.0, 500), (1.0, 1), (10.0, 5), (2.0, 100000)]:
        t_sf.append([t, df, float(stats.t.sf(t, df))])
    beta = []
    for x, a, b in [(0.3, 2.0, 3.0), (0.9, 0.5, 0.5), (0.01, 50.0, 0.5), (0.999, 5000.0, 0.5), (0.5, 10.0, 10.0)]:
        beta.append([x, a, b, float(special.betainc(a, b, x))])
    return {"tSf": t_sf, "betainc": beta}


# 10⁶ current rows from a generator both languages evaluate to the same doubles: Irwin–Hall(12) − 6 of
# Weyl sequences frac(k·α_j), k = 1…n, α_j = frac(√p_j). Reference: 100 rounded N(0, 1) values.
WEYL = [float(np.sqrt(p) % 1) for p in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]]


def weyl_normal(n):
    k = np.arange(1, n + 1, dtype=float)
    s = np.zeros(n)
    for a in WEYL:
        s = s + np.fmod(k * a, 1.0)
    return s - 6.0


def decile_psi(ref, cur):
    rs = np.sort(ref)
    edges = []
    for e in np.quantile(rs, np.arange(10) / 10):
        if not edges or e > edges[-1]:
            edges.append(e)
    edges.append(np.nextafter(rs[-1], np.inf))
    rc = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
    rp = fill_zeroes(rc / len(ref))
    cp = fill_zeroes(cc / len(cur))
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def large_psi_cases():
    cur = weyl_normal(10**6)
    out = []
    for seed, name in [(3, "Evidently drift, deciles not"), (2, "deciles drift, Evidently not")]:
        ref = np.asarray(rounded(np.random.default_rng(seed).normal(0, 1, 100)))
        out.append({"name": f"10^6 rows vs a 100-row reference: {name}", "reference": ref.tolist(), "currentRows": 10**6, "psi": ev_psi(ref, cur), "bins": binned(ref, cur)[2], "decilePsi": decile_psi(ref, cur)})
    return {"weyl": WEYL, "cases": out}


def main():
    fixture = {
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "generator": "scripts/golden/evidently_tests.py",
        "numerical": numerical_cases(),
        "categorical": categorical_cases(),
        "special": special_cases(),
        "largePsi": large_psi_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

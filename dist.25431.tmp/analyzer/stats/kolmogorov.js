// Kolmogorov–Smirnov null distributions, re-derived from the algorithms SciPy 1.10.1 uses:
// - two-sample exact: scipy/stats/_stats_py.py `_compute_prob_outside_square` and
//   scipy/stats/_stats_pythran.py `_compute_outer_prob_inside_method` (Hodges 1958, "The
//   significance probability of the Smirnov two-sample test"; Viehmann 2021, arXiv:2102.08037);
// - one-sample two-sided `kstwo.sf` = scipy/stats/_ksstats.py `_kolmogn` (Simard & L'Ecuyer 2011,
//   "Computing the two-sided Kolmogorov-Smirnov distribution", J. Stat. Softw. 39(11)), with
//   Durbin's matrix (Marsaglia, Tsang & Wang 2003), Pomeranz (1974) and Pelz & Good (1976);
// - one-sided `smirnov` = scipy/special/cephes/kolmogorov.c `_smirnov` (Birnbaum & Tingey 1951),
//   whose double-double terms are replaced here by Loader's (2000) accurate binomial terms.
import { binomialPmf } from "./special-functions.js";
const TWO_POW_128 = 2 ** 128;
const TWO_POW_MINUS_128 = 2 ** -128;
const LOG_2PI = 1.8378770664093453;
const SQRT_2PI = 2.5066282746310002;
const SQRT3 = 1.7320508075688772;
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const MIN_LOG = -708.3964185322641; // cephes MINLOG = ln(2^−1022)
const MIN_EXPONENT_LOG = -708; // _ksstats.py _MIN_LOG
const SMIRNOV_MAX_COMPUTE_N = 1000000; // kolmogorov.c: larger n uses an approximation
const DOUBLE_EPSILON = 2.220446049250313e-16;
// Bernoulli-number coefficients B_2j/(2j(2j−1)) for j = 8..1 (_ksstats.py _STIRLING_COEFFS).
const STIRLING_COEFFS = [-3617 / 122400, 1 / 156, -691 / 360360, 1 / 1188, -1 / 1680, 1 / 1260, -1 / 360, 1 / 12];
function clipProbability(p) {
    return Math.min(1, Math.max(0, p));
}
/** Rounds half to even, as NumPy's `np.round`. */
export function roundHalfEven(x) {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
/** Greatest common divisor of two positive integers. */
export function gcd(a, b) {
    let x = a;
    let y = b;
    while (y !== 0) {
        const t = x % y;
        x = y;
        y = t;
    }
    return x;
}
/**
 * Pr(D_{n,n} ≥ h/n) for two samples of equal size n: 2·Σ_k (−1)^k·C(2n, n−kh)/C(2n, n), summed
 * with SciPy's Horner-like nesting to avoid cancellation (_stats_py.py `_compute_prob_outside_square`).
 */
export function probOutsideSquare(n, h) {
    let p = 0;
    for (let k = Math.floor(n / h); k >= 0; k--) {
        let p1 = 1;
        for (let j = 0; j < h; j++)
            p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
        p = p1 * (1 - p);
    }
    return 2 * p;
}
/**
 * Pr(D_{m,n} ≥ h/lcm(m,n)) for unequal sizes: the share of lattice paths from (0,0) to (m,n) that
 * leave the band |x/m − y/n| < h/lcm, computed directly as 1 − p by Viehmann's recursion on a
 * sliding column window (_stats_pythran.py `_compute_outer_prob_inside_method`). O(m·window).
 */
export function outerProbInside(m0, n0, g, h) {
    const m = Math.max(m0, n0);
    const n = Math.min(m0, n0);
    const mg = m / g;
    const ng = n / g;
    let minj = 0;
    let maxj = Math.min(Math.ceil(h / mg), n + 1);
    let curlen = maxj - minj;
    const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
    a.fill(0, minj, maxj);
    for (let i = 1; i <= m; i++) {
        const lastminj = minj;
        const lastlen = curlen;
        minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
        maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
        if (maxj <= minj)
            return 1;
        let val = minj === 0 ? 0 : 1;
        const offset = minj - lastminj;
        for (let jj = 0; jj < maxj - minj; jj++) {
            const j = jj + minj;
            val = (a[jj + offset] * i + val * j) / (i + j);
            a[jj] = val;
        }
        curlen = maxj - minj;
        if (lastlen > curlen)
            a.fill(1, curlen, lastlen);
    }
    return a[maxj - minj - 1];
}
/** ln(n!/n^n) by Stirling's series with the n·ln n term removed (_ksstats.py `_log_nfactorial_div_n_pow_n`). */
function logFactorialOverPower(n) {
    const rn = 1 / n;
    const x = rn / n;
    let poly = 0;
    for (const c of STIRLING_COEFFS)
        poly = poly * x + c;
    return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}
function multiplySquare(a, b, m) {
    const out = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
        for (let k = 0; k < m; k++) {
            const aik = a[i * m + k];
            if (aik === 0)
                continue;
            for (let j = 0; j < m; j++)
                out[i * m + j] = out[i * m + j] + aik * b[k * m + j];
        }
    }
    return out;
}
/**
 * Pr(D_n ≤ d) by Durbin's matrix algorithm as organised by Marsaglia, Tsang & Wang (2003):
 * the k-th diagonal entry of (n!/n^n)·H^n, with exponent bookkeeping (_ksstats.py `_kolmogn_DMTW`).
 */
function kolmogornCdfDurbin(n, d) {
    if (d >= 1)
        return 1;
    const nd = n * d;
    if (nd <= 0.5)
        return 0;
    const k = Math.ceil(nd);
    const h = k - nd;
    const m = 2 * k - 1;
    const v = new Float64Array(m);
    const w = new Float64Array(m);
    let fac = 1;
    for (let j = 1; j <= m; j++) {
        v[j - 1] = 1 - h ** j;
        w[j - 1] = fac;
        fac /= j;
        v[j - 1] = v[j - 1] * fac;
    }
    const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
    v[m - 1] = (1 + tt) * fac;
    let hMatrix = new Float64Array(m * m);
    for (let i = 1; i < m; i++) {
        for (let r = i - 1; r < m; r++)
            hMatrix[r * m + i] = w[r - (i - 1)];
    }
    for (let r = 0; r < m; r++)
        hMatrix[r * m] = v[r];
    for (let c = 0; c < m; c++)
        hMatrix[(m - 1) * m + c] = v[m - 1 - c];
    let power = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
        power[i * m + i] = 1;
    let nn = n;
    let exponent = 0;
    let hExponent = 0;
    const diagonal = (k - 1) * m + (k - 1);
    while (nn > 0) {
        if (nn % 2 === 1) {
            power = multiplySquare(power, hMatrix, m);
            exponent += hExponent;
        }
        hMatrix = multiplySquare(hMatrix, hMatrix, m);
        hExponent *= 2;
        if (Math.abs(hMatrix[diagonal]) > TWO_POW_128) {
            for (let i = 0; i < m * m; i++)
                hMatrix[i] = hMatrix[i] / TWO_POW_128;
            hExponent += 128;
        }
        nn = Math.floor(nn / 2);
    }
    let p = power[diagonal];
    for (let i = 1; i <= n; i++) {
        p = (i * p) / n;
        if (Math.abs(p) < TWO_POW_MINUS_128) {
            p *= TWO_POW_128;
            exponent -= 128;
        }
    }
    if (exponent !== 0)
        p *= 2 ** exponent;
    return clipProbability(p);
}
/** Row bounds of Pomeranz's recursion (_ksstats.py `_pomeranz_compute_j1j2`). */
function pomeranzBounds(i, n, ll, ceilf, roundf) {
    let j1;
    let j2;
    if (i === 0) {
        j1 = -ll - ceilf - 1;
        j2 = ll + ceilf - 1;
    }
    else {
        const half = Math.floor((i + 1) / 2);
        if ((i + 1) % 2 === 0) {
            if (half === n + 1) {
                j1 = n - ll - ceilf - 1;
                j2 = n + ll + ceilf - 1;
            }
            else {
                j1 = half - 1 - ll - roundf - 1;
                j2 = half + ll - 1 + ceilf - 1;
            }
        }
        else {
            j1 = half - 1 - ll - 1;
            j2 = half + ll + roundf - 1;
        }
    }
    return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}
/** Pr(D_n ≤ x) by Pomeranz's (1974) recursion of Poisson convolutions (_ksstats.py `_kolmogn_Pomeranz`). */
function kolmogornCdfPomeranz(n, x) {
    const t = n * x;
    const ll = Math.floor(t);
    const f = t - ll;
    const g = Math.min(f, 1 - f);
    const ceilf = f > 0 ? 1 : 0;
    const roundf = f > 0.5 ? 1 : 0;
    const npwrs = 2 * (ll + 1);
    const gpower = new Float64Array(npwrs);
    const twogpower = new Float64Array(npwrs);
    const onem2gpower = new Float64Array(npwrs);
    gpower[0] = 1;
    twogpower[0] = 1;
    onem2gpower[0] = 1;
    const gOverN = g / n;
    const twoGOverN = (2 * g) / n;
    const oneMinusTwoGOverN = (1 - 2 * g) / n;
    for (let m = 1; m < npwrs; m++) {
        gpower[m] = (gpower[m - 1] * gOverN) / m;
        twogpower[m] = (twogpower[m - 1] * twoGOverN) / m;
        onem2gpower[m] = (onem2gpower[m - 1] * oneMinusTwoGOverN) / m;
    }
    let v0 = new Float64Array(npwrs);
    let v1 = new Float64Array(npwrs);
    v1[0] = 1;
    let v0s = 0;
    let v1s = 0;
    let exponent = 0;
    let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
    for (let i = 1; i < 2 * n + 2; i++) {
        const k1 = j1;
        const swap = v0;
        v0 = v1;
        v1 = swap;
        const swapStart = v0s;
        v0s = v1s;
        v1s = swapStart;
        v1.fill(0);
        [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
        const powers = i === 1 || i === 2 * n + 1 ? gpower : i % 2 === 1 ? twogpower : onem2gpower;
        const ln2 = j2 - k1 + 1;
        if (ln2 > 0) {
            const start = k1 - v0s;
            const lenA = Math.max(0, Math.min(start + ln2, npwrs) - start);
            const lenB = Math.min(ln2, npwrs);
            const convStart = j1 - k1;
            const convLen = j2 - j1 + 1;
            let max = 0;
            for (let c = 0; c < convLen; c++) {
                const idx = convStart + c;
                if (idx >= lenA + lenB - 1)
                    break;
                let s = 0;
                const lo = Math.max(0, idx - lenB + 1);
                const hi = Math.min(idx, lenA - 1);
                for (let r = lo; r <= hi; r++)
                    s += v0[start + r] * powers[idx - r];
                v1[c] = s;
                if (s > max)
                    max = s;
            }
            if (max > 0 && max < TWO_POW_MINUS_128) {
                for (let c = 0; c < npwrs; c++)
                    v1[c] = v1[c] * TWO_POW_128;
                exponent -= 128;
            }
            v1s = v0s + j1 - k1;
        }
    }
    let answer = v1[n - v1s];
    for (let m = 1; m <= n; m++) {
        if (Math.abs(answer) > TWO_POW_128) {
            answer *= TWO_POW_MINUS_128;
            exponent += 128;
        }
        answer *= m;
    }
    if (exponent !== 0)
        answer *= 2 ** exponent;
    return clipProbability(answer);
}
/** Pr(D_n ≤ x) by the Pelz & Good (1976) expansion of the Li-Chien/Korolyuk series (_ksstats.py `_kolmogn_PelzGood`). */
function kolmogornCdfPelzGood(n, x) {
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    const z = Math.sqrt(n) * x;
    const z2 = z * z;
    const z3 = z2 * z;
    const z4 = z2 * z2;
    const z6 = z4 * z2;
    const qlog = -PI_SQUARED / 8 / z2;
    if (qlog < MIN_EXPONENT_LOG)
        return 0;
    let q = Math.exp(qlog);
    const k1a = -z2;
    const k1b = PI_SQUARED / 4;
    const k2a = 6 * z6 + 2 * z4;
    const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
    const k2c = (PI_FOUR * (1 - 2 * z2)) / 16;
    const k3d = (PI_SIX * (5 - 30 * z2)) / 64;
    const k3c = (PI_FOUR * (-60 * z2 + 212 * z4)) / 16;
    const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
    const k3a = -30 * z6 - 90 * z ** 8;
    const terms = [0, 0, 0, 0];
    const maxk = Math.ceil((16 * z) / Math.PI);
    for (let k = maxk; k > 0; k--) {
        const m = 2 * k - 1;
        const m2 = m * m;
        const m4 = m2 * m2;
        const m6 = m4 * m2;
        const qpower = q ** (8 * k);
        const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
        for (let i = 0; i < 4; i++)
            terms[i] = terms[i] * qpower + coeffs[i];
    }
    const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
    for (let i = 0; i < 4; i++)
        terms[i] = (terms[i] * q * SQRT_2PI) / divisors[i];
    q = Math.exp(-PI_SQUARED / 2 / z2);
    let k2extra = 0;
    let k3extra = 0;
    const sqrt3z = SQRT3 * z;
    for (let k = maxk; k > 0; k--) {
        const k2 = k * k;
        const qk = q ** k2;
        const kpi = Math.PI * k;
        k2extra += k2 * qk;
        k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
    }
    terms[2] = terms[2] + (k2extra * PI_SQUARED * SQRT_2PI) / (-36 * z3);
    terms[3] = terms[3] + (k3extra * PI_SQUARED * SQRT_2PI) / (216 * z6);
    let sum = 0;
    for (let i = 0; i < 4; i++)
        sum += terms[i] / n ** (i / 2);
    return sum;
}
/** floor(n·x) and n·x − floor(n·x) without rounding error, via Dekker's exact product (kolmogorov.c `modNX`). */
function splitProduct(n, x) {
    const split = 134217729; // 2^27 + 1, Dekker (1971)
    const product = n * x;
    const cn = split * n;
    const nHi = cn - (cn - n);
    const nLo = n - nHi;
    const cx = split * x;
    const xHi = cx - (cx - x);
    const xLo = x - xHi;
    const error = nHi * xHi - product + nHi * xLo + nLo * xHi + nLo * xLo;
    let floor = Math.floor(product);
    if (floor === product && error < 0)
        floor -= 1;
    let fraction = product - floor + error;
    if (fraction >= 1) {
        floor += 1;
        fraction -= 1;
    }
    if (fraction < 0)
        fraction = 0;
    return { floor, fraction };
}
/**
 * One-sided Smirnov survival function Pr(D_n^+ ≥ x), SciPy's `scipy.special.smirnov(n, x)`:
 * x·Σ_{v=0}^{⌊n(1−x)⌋} C(n,v)·(x+v/n)^(v−1)·(1−x−v/n)^(n−v) (Birnbaum & Tingey 1951), each term a
 * binomial probability divided by x + v/n, with SciPy's special cases and early stop.
 */
export function smirnovSf(n, x) {
    if (!(n > 0) || !(x >= 0 && x <= 1))
        throw new RangeError(`smirnovSf needs n > 0 and 0 ≤ x ≤ 1, got ${n}, ${x}`);
    if (n === 1)
        return 1 - x;
    if (x === 0)
        return 1;
    if (x === 1)
        return 0;
    const { floor: nxFloor, fraction: alpha } = splitProduct(n, x);
    if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
        const cdf = x * Math.exp((n - 1) * Math.log1p(x));
        return clipProbability(1 - cdf);
    }
    if (-2 * n * x * x < MIN_LOG)
        return 0;
    if (nxFloor >= n - 1)
        return clipProbability(Math.exp(n * Math.log1p(-x)));
    if (n > SMIRNOV_MAX_COMPUTE_N) {
        const logp = -((6 * n * x + 1) ** 2) / 18 / n;
        return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
    }
    const lastTerm = n - nxFloor - 1;
    let sum = 0;
    for (let v = 0; v <= lastTerm; v++) {
        const np = nxFloor + v + alpha;
        const nq = n - nxFloor - v - alpha;
        const p = np / n;
        const term = binomialPmf(v, n, p, nq / n, np, nq) / p;
        sum += term;
        // SciPy stops once the remaining terms cannot move the sum (kolmogorov.c, "Safe to terminate early?").
        if (term !== 0 && v !== lastTerm && 4 * (lastTerm + 1 - v) * term < DOUBLE_EPSILON * sum)
            break;
        if (term === 0 && v > n / 2)
            break;
    }
    return clipProbability(x * sum);
}
/**
 * Survival function Pr(D_n ≥ x) of the two-sided one-sample Kolmogorov–Smirnov statistic, SciPy's
 * `kstwo.sf(x, n)`, choosing among exact and asymptotic methods by Simard & L'Ecuyer's (2011) rules
 * exactly as _ksstats.py `_kolmogn(n, x, cdf=False)` does.
 */
export function kolmogornSf(n, x) {
    if (!Number.isInteger(n) || n <= 0)
        throw new RangeError(`kolmogornSf needs an integer n > 0, got ${n}`);
    if (x >= 1)
        return 0;
    if (x <= 0)
        return 1;
    const t = n * x;
    if (t <= 1) {
        // Ruben & Gambino (1982): Pr(D_n ≤ x) = n!/n^n·(2t−1)^n for 1/(2n) ≤ x ≤ 1/n.
        if (t <= 0.5)
            return 1;
        let prob;
        if (n <= 140) {
            prob = 1;
            for (let i = 1; i <= n; i++)
                prob *= i * (1 / n) * (2 * t - 1);
        }
        else {
            prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
        }
        return clipProbability(1 - prob);
    }
    if (t >= n - 1)
        return clipProbability(2 * (1 - x) ** n);
    if (x >= 0.5)
        return clipProbability(2 * smirnovSf(n, x));
    const nxSquared = t * x;
    if (n <= 140) {
        if (nxSquared <= 0.754693)
            return clipProbability(1 - kolmogornCdfDurbin(n, x));
        if (nxSquared <= 4)
            return clipProbability(1 - kolmogornCdfPomeranz(n, x));
        return clipProbability(2 * smirnovSf(n, x));
    }
    if (nxSquared >= 370)
        return 0;
    if (nxSquared >= 2.2)
        return clipProbability(2 * smirnovSf(n, x));
    const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? kolmogornCdfDurbin(n, x) : clipProbability(kolmogornCdfPelzGood(n, x));
    return clipProbability(1 - cdf);
}
//# sourceMappingURL=kolmogorov.js.map
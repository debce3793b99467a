import { assertNonNegative, BurnRateInputError } from "./errors.js";
// Coefficients of algorithm AS 241 (PPND16), M. J. Wichura, "The Percentage Points of the Normal
// Distribution", Applied Statistics 37(3), 1988: rational approximations accurate to about 1e-16,
// written as the doubles nearest to the published 20-digit values.
const CENTRAL_NUMERATOR = [
    3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946,
    45921.95393154987, 67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const CENTRAL_DENOMINATOR = [
    1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597,
    39307.89580009271, 28729.085735721943, 5226.495278852854,
];
const NEAR_NUMERATOR = [
    1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045,
    1.2704582524523684, 0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const NEAR_DENOMINATOR = [
    1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
    0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-9,
];
const TAIL_NUMERATOR = [
    6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
    0.026532189526576124, 0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const TAIL_DENOMINATOR = [
    1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
    0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];
function polynomial(coefficients, x) {
    let sum = 0;
    for (let i = coefficients.length - 1; i >= 0; i -= 1)
        sum = sum * x + (coefficients[i] ?? 0);
    return sum;
}
/** Quantile of the standard normal distribution, Φ⁻¹(p), for 0 < p < 1 (AS 241). */
export function normalQuantile(p) {
    if (!(p > 0 && p < 1))
        throw new BurnRateInputError('p', p, 'a probability strictly between 0 and 1');
    const q = p - 0.5;
    if (Math.abs(q) <= 0.425) {
        const r = 0.180625 - q * q;
        return (q * polynomial(CENTRAL_NUMERATOR, r)) / polynomial(CENTRAL_DENOMINATOR, r);
    }
    let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
    let value;
    if (r <= 5) {
        r -= 1.6;
        value = polynomial(NEAR_NUMERATOR, r) / polynomial(NEAR_DENOMINATOR, r);
    }
    else {
        r -= 5;
        value = polynomial(TAIL_NUMERATOR, r) / polynomial(TAIL_DENOMINATOR, r);
    }
    return q < 0 ? -value : value;
}
/**
 * Lower bound of the Wilson score interval for the proportion `good / total` (E. B. Wilson, 1927;
 * the form in Agresti & Coull, "Approximate is better than exact", 1998). `confidence` is the coverage
 * of the two-sided interval (0.95 → z = 1.96), as statsmodels' `proportion_confint(method='wilson')`.
 *
 * With a small labelled sample the point estimate flatters: 10 correct of 10 is "100 %", while the
 * 95 % lower bound is 72 %. Judging an SLO on this bound makes a lucky small sample no proof of health.
 * With `total` = 0 there is no evidence and the bound is 0.
 */
export function wilsonLowerBound(good, total, confidence) {
    assertNonNegative(good, 'good');
    assertNonNegative(total, 'total');
    if (good > total)
        throw new BurnRateInputError('good', good, `at most total (${total})`);
    if (!(confidence > 0 && confidence < 1))
        throw new BurnRateInputError('confidence', confidence, 'a probability strictly between 0 and 1 (0.95)');
    if (total === 0)
        return 0;
    const z = normalQuantile(1 - (1 - confidence) / 2);
    const z2 = z * z;
    const share = good / total;
    const centre = share + z2 / (2 * total);
    const spread = z * Math.sqrt((share * (1 - share)) / total + z2 / (4 * total * total));
    return Math.max(0, (centre - spread) / (1 + z2 / total));
}
//# sourceMappingURL=wilson.js.map
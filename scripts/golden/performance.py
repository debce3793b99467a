#!/usr/bin/python3
"""Golden values for model-metrics (production windows) and analyzer/performance (isotonic, CBPE), computed with scikit-learn 1.2.1, NumPy and SciPy.

Run:  /usr/bin/python3 scripts/golden/performance.py
Writes test/fixtures/golden/performance.json (inputs and expected outputs). Seeded, so the file is
reproducible; the TypeScript tests read it and never need Python.

Conventions shared with model-metrics and analyzer/performance (see their JSDoc):
- Binary predictions are `score >= threshold` (NannyML takes y_pred as a column; we derive it).
- A metric is "undefined" when scikit-learn raises ValueError or emits UndefinedMetricWarning for
  it (e.g. ROC AUC with one class, precision with no predicted positive). Exception: macro
  averages of multiclass precision/recall/F1 keep scikit-learn's zero_division=0 per class.
- An empty window (and R² with fewer than two rows) is "not_enough_data".
- Binary log loss is called with labels=[0, 1]: the classes are known even if a window holds one.
- ECE has no scikit-learn function: it is computed here with NumPy from its definition
  (equal-width bins, bin = min(floor(p * bins), bins - 1), ECE = sum_b n_b/n |mean(y_b) - mean(p_b)|)
  and cross-checked against sklearn.calibration.calibration_curve where no score sits on a bin edge.
- CBPE expectations use sklearn's IsotonicRegression(out_of_bounds='clip') as the calibrator and the
  expected-confusion-matrix formulas of NannyML's CBPE, written independently here in NumPy.
"""

import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import (
    accuracy_score,
    auc,
    average_precision_score,
    brier_score_loss,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
)

SEED = 20240611
ECE_BINS = 10
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'golden', 'performance.json')

rng = np.random.default_rng(SEED)


def outcome(fn):
    """Runs one sklearn metric; a ValueError or UndefinedMetricWarning makes it undefined."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            value = float(fn())
        except ValueError as exc:
            return {'undefined': str(exc).split('\n')[0]}
    # UndefinedMetricWarning (zero division, R² on one row) and the plain UserWarning of
    # precision_recall_curve ("No positive class found in y_true") both mean "undefined".
    undefined = [
        w for w in caught
        if issubclass(w.category, UndefinedMetricWarning) or 'No positive class found' in str(w.message)
    ]
    unexpected = [w for w in caught if w not in undefined]
    if unexpected:
        raise RuntimeError(f'unexpected warning: {unexpected[0].message}')
    if undefined:
        return {'undefined': str(undefined[0].message).split('\n')[0]}
    if not math.isfinite(value):
        raise RuntimeError(f'non-finite value {value} without a warning')
    return {'value': value}


def quiet(fn):
    """Runs fn with warnings silenced (macro averages keep zero_division=0 per class)."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return {'value': float(fn())}


def ece(labels, scores, bins=ECE_BINS):
    """Expected calibration error, equal-width bins (Guo et al. 2017, eq. 3)."""
    labels = np.asarray(labels, dtype=float)
    scores = np.asarray(scores, dtype=float)
    if scores.min() < 0 or scores.max() > 1:
        return {'undefined': 'scores outside [0, 1]'}
    idx = np.minimum(np.floor(scores * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.sum() / len(scores) * abs(labels[mask].mean() - scores[mask].mean())
    edges = np.linspace(0, 1, bins + 1)
    on_edge = np.isin(scores, edges[1:-1])
    if not on_edge.any():
        # Cross-check with sklearn's binning (identical when no score sits on an inner edge).
        prob_true, prob_pred = calibration_curve(labels, scores, n_bins=bins, strategy='uniform')
        counts = np.bincount(idx, minlength=bins)
        counts = counts[counts > 0]
        check = float(np.sum(counts / len(scores) * np.abs(prob_true - prob_pred)))
        assert abs(check - total) <= 1e-12, (check, total)
    return {'value': float(total)}


def binary_case(name, labels, scores, threshold=0.5, note=''):
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    metrics = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'log_loss', 'brier', 'ece']
    if len(labels) == 0:
        expected = {m: {'not_enough_data': 'empty window'} for m in metrics}
    else:
        pred = (scores >= threshold).astype(int)
        expected = {
            'accuracy': outcome(lambda: accuracy_score(labels, pred)),
            'precision': outcome(lambda: precision_score(labels, pred, zero_division='warn')),
            'recall': outcome(lambda: recall_score(labels, pred, zero_division='warn')),
            'f1': outcome(lambda: f1_score(labels, pred, zero_division='warn')),
            'roc_auc': outcome(lambda: roc_auc_score(labels, scores)),
            'pr_auc': outcome(lambda: average_precision_score(labels, scores)),
            'log_loss': outcome(lambda: log_loss(labels, scores, labels=[0, 1])),
            'brier': outcome(lambda: brier_score_loss(labels, scores)),
            'ece': ece(labels, scores),
        }
    return {
        'name': name,
        'note': note,
        'threshold': threshold,
        'labels': labels.tolist(),
        'scores': scores.tolist(),
        'expected': expected,
    }


def regression_case(name, labels, predictions, note=''):
    y = np.asarray(labels, dtype=float)
    p = np.asarray(predictions, dtype=float)
    metrics = ['mae', 'rmse', 'mape', 'r2']
    if len(y) == 0:
        expected = {m: {'not_enough_data': 'empty window'} for m in metrics}
    else:
        expected = {
            'mae': outcome(lambda: mean_absolute_error(y, p)),
            'rmse': outcome(lambda: mean_squared_error(y, p, squared=False)),
            'mape': outcome(lambda: mean_absolute_percentage_error(y, p)),
            'r2': outcome(lambda: r2_score(y, p)),
        }
        if len(y) < 2:
            # sklearn: "R^2 score is not well-defined with less than two samples."
            expected['r2'] = {'not_enough_data': 'fewer than two rows'}
    return {'name': name, 'note': note, 'labels': y.tolist(), 'predictions': p.tolist(), 'expected': expected}


def multiclass_case(name, labels, predicted, scores=None, note=''):
    labels = list(labels)
    predicted = list(predicted)
    metrics = ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc']
    if len(labels) == 0:
        expected = {m: {'not_enough_data': 'empty window'} for m in metrics}
        if scores is None:
            del expected['log_loss'], expected['roc_auc']
    else:
        expected = {
            'accuracy': outcome(lambda: accuracy_score(labels, predicted)),
            'precision': quiet(lambda: precision_score(labels, predicted, average='macro', zero_division=0)),
            'recall': quiet(lambda: recall_score(labels, predicted, average='macro', zero_division=0)),
            'f1': quiet(lambda: f1_score(labels, predicted, average='macro', zero_division=0)),
        }
        if scores is not None:
            classes = sorted(set(labels) | {k for row in scores for k in row})
            matrix = np.array([[row.get(c, 0.0) for c in classes] for row in scores], dtype=float)
            expected['log_loss'] = outcome(lambda: log_loss(labels, matrix, labels=classes))
            expected['roc_auc'] = outcome(
                lambda: roc_auc_score(labels, matrix, multi_class='ovr', average='macro', labels=classes)
            )
    case = {'name': name, 'note': note, 'labels': labels, 'predicted': predicted, 'expected': expected}
    if scores is not None:
        case['scores'] = scores
    return case


def isotonic_case(name, x, y, probe):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    reg = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(x, y)
    probe = np.asarray(probe, dtype=float)
    return {
        'name': name,
        'x': x.tolist(),
        'y': y.tolist(),
        'thresholdsX': reg.X_thresholds_.tolist(),
        'thresholdsY': reg.y_thresholds_.tolist(),
        'probe': probe.tolist(),
        'predicted': reg.predict(probe).tolist(),
    }


def expected_roc_auc(raw, calibrated):
    """ROC AUC of the expected confusion matrices, one threshold per distinct raw score."""
    order = np.argsort(-raw, kind='mergesort')
    raw, p = raw[order], calibrated[order]
    last = np.r_[np.where(np.diff(raw))[0], len(raw) - 1]
    tp = np.cumsum(p)[last]
    fp = np.cumsum(1 - p)[last]
    tpr = np.r_[0, tp] / tp[-1]
    fpr = np.r_[0, fp] / fp[-1]
    return float(auc(fpr, tpr))


def cbpe_estimates(raw, calibrated, threshold):
    pred = raw >= threshold
    tp = float(np.sum(np.where(pred, calibrated, 0)))
    fp = float(np.sum(np.where(pred, 1 - calibrated, 0)))
    fn = float(np.sum(np.where(~pred, calibrated, 0)))
    tn = float(np.sum(np.where(~pred, 1 - calibrated, 0)))
    return {
        'accuracy': (tp + tn) / len(raw),
        'precision': tp / (tp + fp),
        'recall': tp / (tp + fn),
        'f1': tp / (tp + 0.5 * (fp + fn)),
        'roc_auc': expected_roc_auc(raw, calibrated),
    }


def realised(labels, raw, threshold):
    pred = (raw >= threshold).astype(int)
    return {
        'accuracy': accuracy_score(labels, pred),
        'precision': precision_score(labels, pred),
        'recall': recall_score(labels, pred),
        'f1': f1_score(labels, pred),
        'roc_auc': roc_auc_score(labels, raw),
    }


def cbpe_case(name, ref_scores, ref_labels, scores, threshold, chunk_size):
    ref_scores = np.round(np.asarray(ref_scores, dtype=float), 6)
    ref_labels = np.asarray(ref_labels, dtype=int)
    scores = np.round(np.asarray(scores, dtype=float), 6)
    reg = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(ref_scores, ref_labels)
    calibrated = reg.predict(scores)
    estimates = cbpe_estimates(scores, calibrated, threshold)
    count = len(ref_scores) // chunk_size
    chunk_values = {m: [] for m in estimates}
    for i in range(count):
        sl = slice(i * chunk_size, (i + 1) * chunk_size)
        for m, v in realised(ref_labels[sl], ref_scores[sl], threshold).items():
            chunk_values[m].append(float(v))
    expected = {}
    for m, value in estimates.items():
        std = float(np.std(chunk_values[m]))  # population std, as NannyML (np.std, ddof=0)
        sampling_error = std * math.sqrt(chunk_size / len(scores))
        expected[m] = {
            'value': value,
            'samplingError': sampling_error,
            'lower': max(0.0, value - 3 * sampling_error),
            'upper': min(1.0, value + 3 * sampling_error),
            'referenceChunkStd': std,
        }
    return {
        'name': name,
        'threshold': threshold,
        'chunkSize': chunk_size,
        'referenceScores': ref_scores.tolist(),
        'referenceLabels': ref_labels.tolist(),
        'scores': scores.tolist(),
        'calibratedScores': calibrated.tolist(),
        'expected': expected,
    }


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def r6(a):
    return np.round(np.asarray(a, dtype=float), 6)


def binary_cases():
    cases = []
    n = 500
    y = rng.integers(0, 2, n)
    s = r6(sigmoid(1.5 * (2 * y - 1) + rng.normal(0, 1.5, n)))
    cases.append(binary_case('balanced', y, s, note='about half positives, informative scores'))

    n = 1000
    y = (rng.random(n) < 0.05).astype(int)
    s = r6(sigmoid(-2.5 + 2.0 * y + rng.normal(0, 1.0, n)))
    cases.append(binary_case('imbalanced', y, s, note='about 5% positives'))

    n = 300
    y = rng.integers(0, 2, n)
    s = np.clip(np.round(0.5 + 0.25 * (2 * y - 1) + rng.normal(0, 0.25, n), 1), 0, 1)
    cases.append(binary_case('ties', y, s, note='scores on a 0.1 grid: many ties, scores on bin edges and at the threshold'))

    y = np.array([0] * 40 + [1] * 60)
    s = r6(np.r_[rng.uniform(0, 0.45, 40), rng.uniform(0.55, 1, 60)])
    cases.append(binary_case('perfect', y, s, note='every positive scores above every negative'))

    s = r6(np.r_[rng.uniform(0.55, 1, 40), rng.uniform(0, 0.45, 60)])
    cases.append(binary_case('worst', y, s, note='every positive scores below every negative'))

    y = np.array([0, 0, 1, 1, 1, 0])
    s = np.array([0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    cases.append(binary_case('hard_zero_one_scores', y, s, note='scores exactly 0 and 1: log loss clips at eps'))

    y = np.array([1, 0, 0, 1])
    s = np.array([0.0, 1.0, 1.0, 0.0])
    cases.append(binary_case('confidently_wrong', y, s, note='log loss is -log(eps) per row'))

    y = np.zeros(50, dtype=int)
    s = r6(rng.uniform(0, 1, 50))
    cases.append(binary_case('only_negatives', y, s, note='one class: ROC AUC, PR AUC and recall are undefined'))

    y = np.ones(50, dtype=int)
    s = r6(rng.uniform(0, 1, 50))
    cases.append(binary_case('only_positives', y, s, note='one class: ROC AUC undefined'))

    y = rng.integers(0, 2, 40)
    y[0] = 1
    s = r6(rng.uniform(0, 0.49, 40))
    cases.append(binary_case('no_predicted_positive', y, s, note='precision undefined, F1 is 0'))

    y = np.zeros(30, dtype=int)
    s = r6(rng.uniform(0, 0.49, 30))
    cases.append(binary_case('no_positive_at_all', y, s, note='precision, recall and F1 all undefined'))

    cases.append(binary_case('single_row_positive', [1], [0.7]))
    cases.append(binary_case('single_row_negative', [0], [0.7]))
    cases.append(binary_case('two_rows', [0, 1], [0.4, 0.4], note='a tie across both classes: AUC 0.5'))
    cases.append(binary_case('empty', [], []))

    n = 400
    y = rng.integers(0, 2, n)
    s = r6(sigmoid(1.0 * (2 * y - 1) + rng.normal(0, 1.5, n)))
    cases.append(binary_case('threshold_0_3', y, s, threshold=0.3, note='decision threshold 0.3'))

    n = 6000
    y = (rng.random(n) < 0.3).astype(int)
    s = r6(sigmoid(-1 + 1.2 * y + rng.normal(0, 1.2, n)))
    cases.append(binary_case('larger', y, s, note='6000 rows: summation order differences stay below 1e-9'))
    return cases


def regression_cases():
    cases = []
    n = 500
    y = np.round(rng.normal(10, 3, n), 4)
    p = np.round(y + rng.normal(0, 1, n), 4)
    cases.append(regression_case('normal', y, p))

    y = np.round(rng.normal(0, 1, 200), 3)
    y[::10] = 0.0
    p = np.round(y + rng.normal(0, 0.5, 200), 3)
    cases.append(regression_case('zeros_in_labels', y, p, note='MAPE divides by max(|y|, eps): zeros explode it'))

    y = np.full(20, 3.5)
    p = np.round(3.5 + rng.normal(0, 0.1, 20), 4)
    cases.append(regression_case('constant_labels', y, p, note='R² is 0.0 by sklearn 1.2 (force_finite)'))

    y = np.full(20, -2.0)
    cases.append(regression_case('constant_labels_perfect', y, y.copy(), note='R² is 1.0 by sklearn 1.2'))

    y = np.round(rng.normal(0, 5, 50), 3)
    cases.append(regression_case('perfect', y, y.copy()))

    y = np.round(rng.uniform(1e5, 1e6, 300), 2)
    p = np.round(y * (1 + rng.normal(0, 0.05, 300)), 2)
    cases.append(regression_case('large_magnitudes', y, p))

    cases.append(regression_case('single_row', [2.0], [2.5], note='R² needs two rows'))
    cases.append(regression_case('two_rows', [1.0, 3.0], [2.0, 2.0]))
    cases.append(regression_case('empty', [], []))
    return cases


def softmax_rows(z, classes):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return [{c: float(v) for c, v in zip(classes, row)} for row in p]


def multiclass_cases():
    cases = []
    classes = ['cat', 'dog', 'fish']
    n = 600
    yi = rng.integers(0, 3, n)
    z = rng.normal(0, 1, (n, 3))
    z[np.arange(n), yi] += 1.5
    scores = softmax_rows(z, classes)
    pred = [classes[int(np.argmax(r))] for r in z]
    labels = [classes[i] for i in yi]
    cases.append(multiclass_case('three_classes', labels, pred, scores))
    cases.append(multiclass_case('three_classes_without_scores', labels, pred))

    n = 300
    yi = rng.choice(3, n, p=[0.8, 0.15, 0.05])
    z = rng.normal(0, 1, (n, 3))
    z[:, 0] += 2
    scores = softmax_rows(z, classes)
    pred = ['cat' if r[0] >= r[1] else 'dog' for r in z]
    labels = [classes[i] for i in yi]
    cases.append(multiclass_case('imbalanced_fish_never_predicted', labels, pred, scores,
                                 note='fish is never predicted: its precision counts 0 in the macro average'))

    n = 200
    yi = rng.integers(0, 2, n)
    z = rng.normal(0, 1, (n, 3))
    z[np.arange(n), yi] += 1.0
    scores = softmax_rows(z, classes)
    pred = [classes[int(np.argmax(r))] for r in z]
    labels = [classes[i] for i in yi]
    cases.append(multiclass_case('class_absent_from_labels', labels, pred, scores,
                                 note='fish never occurs: one-vs-rest ROC AUC is undefined'))

    n = 100
    yi = rng.integers(0, 3, n)
    raw = rng.uniform(0.05, 1, (n, 3))
    scores = [{c: float(round(v, 4)) for c, v in zip(classes, row)} for row in raw]
    pred = [classes[int(np.argmax(r))] for r in raw]
    labels = [classes[i] for i in yi]
    cases.append(multiclass_case('scores_not_normalised', labels, pred, scores,
                                 note='rows do not sum to 1: log loss renormalises, ROC AUC is undefined'))

    labels = ['a', 'b', 'c', 'a', 'b', 'c']
    pred = ['a', 'b', 'b', 'a', 'c', 'c']
    scores = [
        {'a': 1.0, 'b': 0.0, 'c': 0.0},
        {'a': 0.0, 'b': 1.0, 'c': 0.0},
        {'a': 0.0, 'b': 0.5, 'c': 0.5},
        {'a': 0.5, 'b': 0.5},
        {'a': 0.2, 'b': 0.3, 'c': 0.5},
        {'a': 0.25, 'b': 0.25, 'c': 0.5},
    ]
    cases.append(multiclass_case('tiny_with_ties_and_zeros', labels, pred, scores,
                                 note='a missing key counts as 0; zeros are clipped to eps in log loss'))
    cases.append(multiclass_case('single_row', ['a'], ['b'], [{'a': 0.4, 'b': 0.6}]))
    cases.append(multiclass_case('empty', [], [], []))
    return cases


def isotonic_cases():
    cases = []
    x = r6(rng.uniform(0, 1, 300))
    y = (rng.random(300) < x ** 2).astype(float)
    probe = np.r_[-0.5, 0.0, np.linspace(0, 1, 41), x[:10], 1.0, 1.5]
    cases.append(isotonic_case('binary_targets', x, y, probe))

    x = np.round(rng.uniform(0, 1, 200), 1)
    y = (rng.random(200) < x).astype(float)
    cases.append(isotonic_case('tied_inputs', x, y, np.linspace(-0.1, 1.1, 25)))

    x = np.array([0.0, 1e-17, 2e-16, 0.3, 0.3, 0.6, 0.9, 0.95])
    y = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    cases.append(isotonic_case('nearly_equal_inputs', x, y, [0.0, 1e-17, 0.1, 0.3, 0.5, 0.7, 0.92, 1.0]))

    x = np.array([0.2, 0.4, 0.6])
    y = np.array([1.0, 1.0, 1.0])
    cases.append(isotonic_case('constant_targets', x, y, [0.0, 0.3, 1.0]))

    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    y = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    cases.append(isotonic_case('decreasing_targets', x, y, [0.0, 0.25, 0.6]))
    return cases


def cbpe_cases():
    cases = []
    n_ref, n = 3000, 1000
    x_ref = rng.normal(0, 1, n_ref)
    y_ref = (rng.random(n_ref) < sigmoid(0.3 + 1.5 * x_ref)).astype(int)
    s_ref = sigmoid(0.5 + 2.5 * x_ref)  # overconfident scores: calibration has work to do
    x_cur = rng.normal(0.8, 1, n)
    s_cur = sigmoid(0.5 + 2.5 * x_cur)
    cases.append(cbpe_case('overconfident_scores_shifted_window', s_ref, y_ref, s_cur, 0.5, 300))
    cases.append(cbpe_case('threshold_0_7', s_ref, y_ref, s_cur[:400], 0.7, 500))
    return cases


def main():
    data = {
        'meta': {
            'generator': 'scripts/golden/performance.py',
            'seed': SEED,
            'python': sys.version.split()[0],
            'sklearn': sklearn.__version__,
            'numpy': np.__version__,
            'scipy': scipy.__version__,
            'eceBins': ECE_BINS,
        },
        'binary': binary_cases(),
        'regression': regression_cases(),
        'multiclass': multiclass_cases(),
        'isotonic': isotonic_cases(),
        'cbpe': cbpe_cases(),
    }
    text = json.dumps(data, allow_nan=False, separators=(',', ':'))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as fh:
        fh.write(text + '\n')
    print(f'wrote {os.path.normpath(OUT)} ({len(text)} bytes)')


if __name__ == '__main__':
    main()

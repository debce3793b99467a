#!/usr/bin/python3
"""Golden values for model-metrics (holdout figures) and pipeline/models, computed with scikit-learn 1.2.1 and NumPy.

Run:  /usr/bin/python3 scripts/golden/sklearn_models.py
Writes two fixtures (seeded, so reproducible; the TypeScript tests read them and never need Python):
- test/fixtures/golden/pipeline-metrics.json: fixed vectors and sklearn's metrics on them;
- test/fixtures/golden/sklearn-models.json: ridge and logistic regressions fitted by sklearn on the bike-sharing
  hours (datasets/bike-sharing/hour.csv): design-matrix figures, coefficients and holdout metrics. No matrix is
  dumped: the TypeScript test rebuilds the same design matrix by the rule below.

Design-matrix rule (mirrored in pipeline/models/bike-sharing-golden.test.ts):
- split by `dteday`: train = 2011; validation = 2012-01-01 .. 2012-06-30; holdout = 2012-07-01 .. 2012-12-31;
- columns in this order:
  temp, atemp, hum, windspeed standardised with the TRAIN mean and population std (StandardScaler);
  holiday, workingday as they are (0/1);
  one-hot of season, hr, weekday, weathersit with the categories seen in TRAIN, sorted numerically
  (an unseen value is all zeros, as OneHotEncoder(handle_unknown='ignore')).
- targets: ridge regresses `cnt`; the binary logistic model predicts cnt > median(train cnt); the multinomial
  one predicts the train tertile of cnt (0: cnt <= q1, 1: cnt <= q2, 2: above; q by np.quantile, linear).
- models: Ridge(alpha=1.0); LogisticRegression(C=1.0), binary with solver='newton-cholesky', multinomial with
  solver='newton-cg', tol=1e-12: the optimum itself, checked below by the gradient of the objective. (sklearn's
  lbfgs stops on scipy's relative-decrease test, factr = 64·eps, about 3e-3 away in the coefficients here: the
  full one-hot blocks plus an unpenalised intercept make the problem ill-conditioned.)

Metric conventions (model-metrics, the holdout figures): null where sklearn warns UndefinedMetricWarning or raises;
MAPE is sklearn's, dividing by max(|y|, eps), as the analyzer's production figures (one definition for both); ECE and
the multiclass Brier score have no sklearn function and are computed here with NumPy from their definitions;
reliability bins are cross-checked against sklearn.calibration.calibration_curve.
"""

import csv
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    accuracy_score,
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

SEED = 20240917
ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
OUT_DIR = os.path.join(ROOT, 'test', 'fixtures', 'golden')
ECE_BINS = 10

rng = np.random.default_rng(SEED)


def defined(fn):
    """Runs a metric; None when sklearn raises ValueError or warns that the metric is undefined."""
    with warnings.catch_warnings():
        warnings.simplefilter('error', UndefinedMetricWarning)
        try:
            return float(fn())
        except (ValueError, UndefinedMetricWarning):
            return None


def ece(labels, scores, bins=ECE_BINS):
    idx = np.minimum(np.floor(scores * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.sum() / len(scores) * abs(labels[mask].mean() - scores[mask].mean())
    return float(total)


def reliability(labels, scores, bins=ECE_BINS):
    idx = np.minimum(np.floor(scores * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        mask = idx == b
        n = int(mask.sum())
        out.append({
            'count': n,
            'meanScore': float(scores[mask].mean()) if n else None,
            'fractionPositive': float(labels[mask].mean()) if n else None,
        })
    # Cross-check with sklearn where no score sits on an inner bin edge (sklearn puts edges in the lower bin).
    if not np.any(np.isclose((scores * bins) % 1, 0) & (scores > 0) & (scores < 1)):
        prob_true, prob_pred = calibration_curve(labels, scores, n_bins=bins, strategy='uniform')
        ours = [b for b in out if b['count'] > 0]
        assert np.allclose(prob_true, [b['fractionPositive'] for b in ours], rtol=0, atol=1e-12)
        assert np.allclose(prob_pred, [b['meanScore'] for b in ours], rtol=0, atol=1e-12)
    return out


def binary_expected(labels, scores, threshold):
    pred = (scores >= threshold).astype(int)
    in_unit = bool(np.all((scores >= 0) & (scores <= 1)))
    return {
        'rows': int(len(labels)),
        'positives': int(labels.sum()),
        'accuracy': defined(lambda: accuracy_score(labels, pred)),
        'precision': defined(lambda: precision_score(labels, pred)),
        'recall': defined(lambda: recall_score(labels, pred)),
        'f1': defined(lambda: f1_score(labels, pred)),
        'roc_auc': defined(lambda: roc_auc_score(labels, scores)),
        'pr_auc': defined(lambda: average_precision_score(labels, scores)) if labels.sum() > 0 else None,
        'log_loss': defined(lambda: log_loss(labels, scores, labels=[0, 1])) if in_unit else None,
        'brier': defined(lambda: brier_score_loss(labels, scores)) if in_unit else None,
        'ece': ece(labels, scores) if in_unit else None,
    }


def binary_case(name, labels, scores, threshold=0.5, slices=None):
    case = {
        'name': name,
        'threshold': threshold,
        'labels': [int(v) for v in labels],
        'scores': [float(v) for v in scores],
        'expected': binary_expected(labels, scores, threshold),
        'reliability': reliability(labels, scores),
    }
    if slices is not None:
        case['slices'] = [str(v) for v in slices]
        groups = sorted(set(case['slices']), key=lambda v: (-case['slices'].count(v), v))
        case['sliceExpected'] = [
            {'value': g, 'count': int((slices == g).sum()), 'metrics': binary_expected(labels[slices == g], scores[slices == g], threshold)}
            for g in groups
        ]
    return case


def multiclass_case(name, labels, probabilities):
    k = probabilities.shape[1]
    pred = probabilities.argmax(axis=1)
    onehot = np.eye(k)[labels]
    return {
        'name': name,
        'classes': k,
        'labels': [int(v) for v in labels],
        'probabilities': [[float(v) for v in row] for row in probabilities],
        'expected': {
            'rows': int(len(labels)),
            'accuracy': float(accuracy_score(labels, pred)),
            'precision': float(precision_score(labels, pred, average='macro', zero_division=0)),
            'recall': float(recall_score(labels, pred, average='macro', zero_division=0)),
            'f1': float(f1_score(labels, pred, average='macro', zero_division=0)),
            'roc_auc': defined(lambda: roc_auc_score(labels, probabilities, multi_class='ovr', average='macro', labels=list(range(k)))),
            'log_loss': float(log_loss(labels, probabilities, labels=list(range(k)))),
            'brier': float(np.mean(np.sum((probabilities - onehot) ** 2, axis=1))),
        },
    }


def regression_case(name, labels, predictions):
    return {
        'name': name,
        'labels': [float(v) for v in labels],
        'predictions': [float(v) for v in predictions],
        'expected': {
            'rows': int(len(labels)),
            'mae': float(mean_absolute_error(labels, predictions)),
            'rmse': float(np.sqrt(mean_squared_error(labels, predictions))),
            'mape': float(mean_absolute_percentage_error(labels, predictions)),
            'r2': defined(lambda: r2_score(labels, predictions)) if len(labels) >= 2 else None,
        },
    }


def metrics_fixture():
    binary = []
    n = 300
    labels = rng.integers(0, 2, n)
    # Scores rounded to 2 decimals: many ties within and across classes, the case sklearn's trapezoid handles.
    scores = np.clip(np.round(0.35 * labels + 0.65 * rng.random(n), 2), 0, 1)
    slices = rng.choice(np.array(['north', 'south', 'east']), n, p=[0.5, 0.3, 0.2])
    binary.append(binary_case('tied scores, three slices', labels, scores, 0.5, slices))
    labels = rng.integers(0, 2, 2000)
    logits = 1.3 * (2 * labels - 1) + rng.normal(0, 1.5, 2000)
    binary.append(binary_case('continuous scores, threshold 0.3', labels, 1 / (1 + np.exp(-logits)), 0.3))
    labels = np.array([0, 0, 1, 1, 1, 0, 1, 0])
    binary.append(binary_case('scores at exactly 0 and 1 (log loss clipping)', labels, np.array([0.0, 0.1, 1.0, 0.8, 0.0, 1.0, 0.55, 0.45])))
    binary.append(binary_case('one class only (no ROC AUC)', np.zeros(6, dtype=int), np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9])))
    binary.append(binary_case('no predicted positive (precision undefined)', np.array([0, 1, 0, 1]), np.array([0.1, 0.2, 0.3, 0.4])))

    multiclass = []
    for k, n in ((3, 400), (4, 250)):
        labels = rng.integers(0, k, n)
        alpha = np.ones((n, k))
        alpha[np.arange(n), labels] += 1.5
        probabilities = np.array([rng.dirichlet(a) for a in alpha])
        multiclass.append(multiclass_case(f'{k} classes', labels, probabilities))
    # A class missing from the labels: sklearn's one-vs-rest AUC raises (null); the rest still defined.
    labels = np.array([0, 1, 0, 1, 0, 1])
    probabilities = rng.dirichlet(np.ones(3), 6)
    multiclass.append(multiclass_case('a class never labelled', labels, probabilities))

    regression = []
    labels = rng.poisson(20, 500).astype(float)
    labels[:25] = 0  # zero targets, as hourly counts have
    predictions = labels + rng.normal(0, 4, 500)
    regression.append(regression_case('counts with zeros', labels, predictions))
    labels = rng.normal(5, 2, 300)
    regression.append(regression_case('gaussian', labels, 0.8 * labels + rng.normal(0, 1, 300)))
    regression.append(regression_case('constant target, inexact predictions', np.full(5, 3.0), np.array([3.0, 3.5, 2.5, 3.0, 3.2])))

    return {'meta': {'sklearn': sklearn.__version__, 'numpy': np.__version__, 'seed': SEED, 'eceBins': ECE_BINS}, 'binary': binary, 'multiclass': multiclass, 'regression': regression}


NUMERIC = ['temp', 'atemp', 'hum', 'windspeed']
BINARY = ['holiday', 'workingday']
ONEHOT = ['season', 'hr', 'weekday', 'weathersit']


def read_hours():
    with open(os.path.join(ROOT, 'datasets', 'bike-sharing', 'hour.csv'), newline='') as f:
        return list(csv.DictReader(f))


def design(rows, stats):
    cols = []
    for name in NUMERIC:
        cols.append((np.array([float(r[name]) for r in rows]) - stats['mean'][name]) / stats['std'][name])
    for name in BINARY:
        cols.append(np.array([float(r[name]) for r in rows]))
    for name in ONEHOT:
        values = np.array([int(r[name]) for r in rows])
        for c in stats['categories'][name]:
            cols.append((values == c).astype(float))
    return np.column_stack(cols)


def check_optimum(x, onehot, coef, intercept, c):
    """Asserts that sklearn stopped at the optimum: max |gradient| of (1/n)[Σ loss + ‖W‖²/(2C)] below 1e-9.

    Binary: one weight row and σ(z); multinomial: one row per class and softmax(z).
    """
    z = x @ coef.T + intercept
    if coef.shape[0] == 1:
        p = 1 / (1 + np.exp(-z))
    else:
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    r = p - onehot
    n = len(x)
    grad_w = (r.T @ x + coef / c) / n
    grad_b = r.sum(axis=0) / n
    worst = max(np.abs(grad_w).max(), np.abs(grad_b).max())
    assert worst < 1e-9, f'sklearn did not reach the optimum: max |gradient| {worst}'


def models_fixture():
    hours = read_hours()
    train = [r for r in hours if r['dteday'] < '2012-01-01']
    valid = [r for r in hours if '2012-01-01' <= r['dteday'] <= '2012-06-30']
    hold = [r for r in hours if r['dteday'] >= '2012-07-01']
    stats = {
        'mean': {n: float(np.mean([float(r[n]) for r in train])) for n in NUMERIC},
        'std': {n: float(np.std([float(r[n]) for r in train])) for n in NUMERIC},
        'categories': {n: sorted({int(r[n]) for r in train}) for n in ONEHOT},
    }
    x_train, x_valid, x_hold = design(train, stats), design(valid, stats), design(hold, stats)
    columns = NUMERIC + BINARY + [f'{n}={c}' for n in ONEHOT for c in stats['categories'][n]]
    cnt = lambda rows: np.array([float(r['cnt']) for r in rows])
    y_train, y_valid, y_hold = cnt(train), cnt(valid), cnt(hold)

    ridge = Ridge(alpha=1.0).fit(x_train, y_train)
    ridge_pred = ridge.predict(x_hold)

    median = float(np.median(y_train))
    b_train, b_hold = (y_train > median).astype(int), (y_hold > median).astype(int)
    logistic = LogisticRegression(C=1.0, tol=1e-12, max_iter=1000, solver='newton-cholesky').fit(x_train, b_train)
    check_optimum(x_train, b_train[:, None].astype(float), logistic.coef_, logistic.intercept_, 1.0)
    p_hold = logistic.predict_proba(x_hold)[:, 1]

    q1, q2 = (float(q) for q in np.quantile(y_train, [1 / 3, 2 / 3]))
    tertile = lambda y: np.where(y <= q1, 0, np.where(y <= q2, 1, 2))
    m_train, m_hold = tertile(y_train), tertile(y_hold)
    multinomial = LogisticRegression(C=1.0, tol=1e-12, max_iter=1000, solver='newton-cg').fit(x_train, m_train)
    check_optimum(x_train, np.eye(3)[m_train], multinomial.coef_, multinomial.intercept_, 1.0)
    pm_hold = multinomial.predict_proba(x_hold)

    return {
        'meta': {'sklearn': sklearn.__version__, 'numpy': np.__version__},
        'split': {'train': len(train), 'validation': len(valid), 'holdout': len(hold)},
        'columns': columns,
        'standardisation': {'mean': stats['mean'], 'std': stats['std']},
        'categories': stats['categories'],
        'validationMeanCnt': float(y_valid.mean()),
        'ridge': {
            'alpha': 1.0,
            'coef': [float(v) for v in ridge.coef_],
            'intercept': float(ridge.intercept_),
            'holdout': {'rmse': float(np.sqrt(mean_squared_error(y_hold, ridge_pred))), 'mae': float(mean_absolute_error(y_hold, ridge_pred)), 'r2': float(r2_score(y_hold, ridge_pred))},
            'holdoutPredictionsHead': [float(v) for v in ridge_pred[:20]],
        },
        'logistic': {
            'C': 1.0,
            'threshold': median,
            'coef': [float(v) for v in logistic.coef_[0]],
            'intercept': float(logistic.intercept_[0]),
            'holdout': {'roc_auc': float(roc_auc_score(b_hold, p_hold)), 'log_loss': float(log_loss(b_hold, p_hold)), 'accuracy': float(accuracy_score(b_hold, (p_hold >= 0.5).astype(int)))},
        },
        'multinomial': {
            'C': 1.0,
            'tertiles': [q1, q2],
            'coef': [[float(v) for v in row] for row in multinomial.coef_],
            'intercept': [float(v) for v in multinomial.intercept_],
            'holdout': {
                'roc_auc': float(roc_auc_score(m_hold, pm_hold, multi_class='ovr', average='macro')),
                'log_loss': float(log_loss(m_hold, pm_hold)),
                'accuracy': float(accuracy_score(m_hold, pm_hold.argmax(axis=1))),
            },
        },
    }


def write(name, data):
    path = os.path.join(OUT_DIR, name)
    with open(path, 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)')


if __name__ == '__main__':
    write('pipeline-metrics.json', metrics_fixture())
    write('sklearn-models.json', models_fixture())

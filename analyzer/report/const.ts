/**
 * The page's colours. Warm means "look here" and is kept for drift and data problems only; series that
 * merely need telling apart use cool hues, so a reader never mistakes a feature's line for an alarm.
 */
export const COLOURS = {
  ink: '#1b2430',
  muted: '#5b6675',
  faint: '#8a94a3',
  grid: '#e4e8ee',
  axis: '#b8c0cc',
  reference: '#9aa8ba',
  current: '#2f6fd6',
  drift: '#d9480f',
  driftSoft: '#fff1e6',
  warn: '#e8890c',
  ok: '#2b8a3e',
  estimated: '#7048e8',
  band: '#7048e8',
  quarantined: '#e8890c',
} as const

/** Cool hues for per-feature series (no reds or oranges: those mean drift). */
export const SERIES_PALETTE = ['#2f6fd6', '#0c8599', '#7048e8', '#5c940d', '#c2255c', '#1098ad', '#495057', '#845ef7', '#2b8a3e', '#364fc7'] as const

/** Categories shown per histogram; the rest are summed into one "other" bar so that labels stay readable. */
export const MAX_HISTOGRAM_CATEGORIES = 14

/** Characters of a bin label drawn under a bar; the full label is in the bar's tooltip. */
export const MAX_BIN_LABEL_CHARS = 12

/** Features drawn in a per-feature quality chart; more would be a tangle of lines (the table lists all). */
export const MAX_QUALITY_SERIES = SERIES_PALETTE.length

/** Metrics in the order an on-call reader looks for them; others follow alphabetically. */
export const METRIC_ORDER = ['roc_auc', 'accuracy', 'f1', 'precision', 'recall', 'pr_auc', 'log_loss', 'brier', 'ece', 'mae', 'rmse', 'mse', 'mape', 'r2'] as const

/** Metrics bounded to [0, 1], drawn on a fixed-ish axis so a drop is not exaggerated by auto-scaling. */
export const UNIT_INTERVAL_METRICS: ReadonlySet<string> = new Set(['roc_auc', 'accuracy', 'f1', 'precision', 'recall', 'pr_auc', 'brier', 'ece', 'balanced_accuracy', 'macro_f1', 'weighted_f1'])

/** Where progress goes: a terminal gets a redrawn bar; anything else gets nothing (scripts read `--json`). */
export interface ProgressSink {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

/** One update of long work: how far, and figures worth showing (epoch loss, trial metric). */
export interface ProgressUpdate {
  readonly done: number
  readonly total: number
  readonly label?: string
  readonly figures?: Readonly<Record<string, number>>
}

/** A progress bar on one terminal line: label, bar, done/total, figures and ETA; silent when the sink is not a TTY. */
export interface ProgressBar {
  update(u: ProgressUpdate, nowMs?: number): void
  /** Ends the line so later output starts clean. */
  finish(): void
}

/** Formats seconds as 42s, 3m05s or 1h02m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/** Renders one progress line (pure; the ETA extrapolates the elapsed time linearly). */
export function renderProgress(u: ProgressUpdate, elapsedSeconds: number, width = 24): string {
  const share = u.total > 0 ? Math.min(1, Math.max(0, u.done / u.total)) : 0
  const filled = Math.round(share * width)
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
  const figures = Object.entries(u.figures ?? {})
    .map(([k, v]) => `${k} ${Math.abs(v) >= 1000 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(4)}`)
    .join('  ')
  const eta = share > 0 && share < 1 ? `ETA ${formatDuration((elapsedSeconds * (1 - share)) / share)}` : share >= 1 ? `in ${formatDuration(elapsedSeconds)}` : ''
  return [u.label ?? '', bar, `${u.done}/${u.total}`, figures, eta].filter((p) => p !== '').join('  ')
}

/** Creates a bar that redraws at most every `minIntervalMs` (the last update always draws). */
export function createProgressBar(sink: ProgressSink, options: { minIntervalMs?: number; now?: () => number } = {}): ProgressBar {
  const now = options.now ?? Date.now
  const startMs = now()
  const minIntervalMs = options.minIntervalMs ?? 100
  let lastDrawMs = -Infinity
  let drawn = false
  return {
    update(u, nowMs = now()) {
      if (!sink.isTTY) return
      if (u.done < u.total && nowMs - lastDrawMs < minIntervalMs) return
      lastDrawMs = nowMs
      drawn = true
      const line = renderProgress(u, (nowMs - startMs) / 1000).slice(0, Math.max(20, (sink.columns ?? 100) - 1))
      sink.write(`\r\x1b[2K${line}`)
    },
    finish() {
      if (drawn) sink.write('\n')
      drawn = false
    },
  }
}

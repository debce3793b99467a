import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import { durationSchema } from '../config/index.ts'
import { parseCron } from './schedule.ts'

// Runbook files: YAML, `apiVersion: highway.dev/v1`, `kind: Runbook` (docs/runbooks.md). Parsed once, at start and by
// `highway runbook validate DIR`; every problem names the file, the key and the value.

const nameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lower-case letters, digits or "-", starting with a letter or digit')
const onFailureSchema = z.enum(['stop', 'continue', 'rollback'])

/** Fields every step has. Durations are seconds once parsed. */
const common = {
  name: z.string().min(1).max(120).optional(),
  /** Seconds the step may take before it fails with "timed out". */
  timeout: durationSchema.optional(),
  onFailure: onFailureSchema.default('stop'),
  /** A dangerous step waits for `POST /v1/runbooks/runs/{id}/approve` before it acts. */
  dangerous: z.boolean().default(false),
}

/** `verify`: what is read, and when it counts as recovered. */
const measureSchema = z
  .object({
    /** An SLI's ratio (`sli`), an SLO's burn rate (`burn_rate`), or a saved analyzer measure (`analyzer`). */
    kind: z.enum(['sli', 'burn_rate', 'analyzer']),
    slo: z.string().min(1).optional(),
    /** Burn-rate window, e.g. 1h (burn_rate only). */
    window: durationSchema.optional(),
    /** Analyzer job and measure: `performance` + `mae`, `drift` + `share_drifted`. */
    job: z.string().min(1).optional(),
    measure: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if ((m.kind === 'sli' || m.kind === 'burn_rate') && m.slo === undefined) ctx.addIssue({ code: 'custom', path: ['slo'], message: `is required for kind ${m.kind}` })
    if (m.kind === 'analyzer' && (m.job === undefined || m.measure === undefined)) ctx.addIssue({ code: 'custom', path: [m.job === undefined ? 'job' : 'measure'], message: 'is required for kind analyzer' })
  })

const releaseSchema = z
  .object({
    strategy: z.enum(['canary', 'shadow']).default('canary'),
    steps: z.array(z.number().int().min(1).max(100)).min(1).optional(),
    intervalSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict()

const stepSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('rollback'), ...common, to: z.number().int().min(1).optional() }).strict(),
  z
    .object({
      action: z.literal('retrain'),
      ...common,
      /** `clickhouse:30d` (the last 30 days of the clock) or a window relative to the trigger (`before`, `after`). */
      data: z.string().regex(/^clickhouse:\d+[mhdw]$/, 'must be clickhouse:N followed by m, h, d or w (e.g. clickhouse:30d)').optional(),
      window: z.object({ before: durationSchema, after: durationSchema.default(0) }).strict().optional(),
      /** Refuse to train on fewer labelled rows than this. */
      minLabels: z.number().int().min(1).default(100),
      /** The canary the release analysis promotes or rolls back; `false` registers only. */
      release: z.union([z.literal(false), releaseSchema]).default({ strategy: 'canary' }),
    })
    .strict(),
  z.object({ action: z.literal('freeze'), ...common, reason: z.string().max(500).optional() }).strict(),
  z.object({ action: z.literal('unfreeze'), ...common, reason: z.string().max(500).optional() }).strict(),
  z
    .object({
      action: z.literal('notify'),
      ...common,
      /** An alerting receiver's name (config `alerting.receivers[].name`) or a webhook URL. */
      receiver: z.string().min(1).optional(),
      webhook: z.url({ protocol: /^https?$/ }).optional(),
      /** `{{model}}`, `{{runbook}}`, `{{run}}`, `{{reason}}`, `{{labels.NAME}}` are filled in. */
      message: z.string().min(1).max(4000),
    })
    .strict(),
  z
    .object({
      action: z.literal('verify'),
      ...common,
      measure: measureSchema,
      /** Recovered once the value is below (or above) this. */
      below: z.number().optional(),
      above: z.number().optional(),
    })
    .strict(),
  z.object({ action: z.literal('wait'), ...common, duration: durationSchema }).strict(),
  z.object({ action: z.literal('approve'), ...common, message: z.string().max(2000).optional() }).strict(),
])

const alertTriggerSchema = z
  .object({
    /** The alert's `alertname`. */
    name: z.string().min(1),
    /** Labels that must equal these values. */
    matchers: z.record(z.string().min(1), z.string()).default({}),
    /** Labels that must match these regular expressions (anchored, as Prometheus'). */
    regex: z.record(z.string().min(1), z.string()).default({}),
    status: z.enum(['firing', 'resolved']).default('firing'),
  })
  .strict()

const conditionSchema = z
  .object({
    /** Dataset drift detected in at least `minDrifted` of the model's last `windows` saved drift results. */
    drift: z.object({ windows: z.number().int().min(1).max(1000), minDrifted: z.number().int().min(1).default(1) }).strict().optional(),
    /** A performance measure (realised, else estimated) beyond a bound: `{ metric: mae, above: 40 }`. */
    performance: z.object({ metric: z.string().min(1), above: z.number().optional(), below: z.number().optional() }).strict().optional(),
    /** At least this many labels arrived after the champion's training data ends. */
    newLabels: z.object({ atLeast: z.number().int().min(1) }).strict().optional(),
    /** `any` (default): one of the conditions holds; `all`: every given one. */
    combine: z.enum(['any', 'all']).default('any'),
  })
  .strict()

const scheduleTriggerSchema = z
  .object({
    /** node-cron syntax (5 or 6 fields), evaluated in UTC on the component's clock. */
    cron: z.string().min(1),
    models: z.array(z.string().min(1)).min(1),
    condition: conditionSchema.optional(),
  })
  .strict()

const runbookSchema = z
  .object({
    apiVersion: z.literal('highway.dev/v1'),
    kind: z.literal('Runbook'),
    metadata: z.object({ name: nameSchema, description: z.string().max(2000).optional() }).strict(),
    spec: z
      .object({
        trigger: z.object({ alert: alertTriggerSchema.optional(), schedule: scheduleTriggerSchema.optional() }).strict().optional(),
        /** Seconds after a run started during which the same runbook does not start again for the same model. */
        cooldown: durationSchema.default(0),
        /** `model`: one run per model at a time across runbooks; `runbook`: one per runbook and model. */
        concurrency: z.enum(['model', 'runbook']).default('model'),
        steps: z.array(stepSchema).min(1),
      })
      .strict(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const t = r.spec.trigger
    if (t?.alert && t.schedule) ctx.addIssue({ code: 'custom', path: ['spec', 'trigger'], message: 'has both alert and schedule: give one' })
    if (t?.schedule) {
      const cron = parseCron(t.schedule.cron)
      if (!cron.ok) ctx.addIssue({ code: 'custom', path: ['spec', 'trigger', 'schedule', 'cron'], message: cron.error })
    }
    for (const [label, re] of Object.entries(t?.alert?.regex ?? {})) {
      try {
        new RegExp(`^(?:${re})$`)
      } catch {
        ctx.addIssue({ code: 'custom', path: ['spec', 'trigger', 'alert', 'regex', label], message: 'is not a valid regular expression' })
      }
    }
    r.spec.steps.forEach((s, i) => {
      if (s.action === 'retrain' && s.data !== undefined && s.window !== undefined) ctx.addIssue({ code: 'custom', path: ['spec', 'steps', i, 'window'], message: 'cannot be given with data: give one' })
      if (s.action === 'notify' && (s.receiver === undefined) === (s.webhook === undefined)) ctx.addIssue({ code: 'custom', path: ['spec', 'steps', i, 'receiver'], message: 'give exactly one of receiver and webhook' })
      if (s.action === 'verify' && s.below === undefined && s.above === undefined) ctx.addIssue({ code: 'custom', path: ['spec', 'steps', i, 'below'], message: 'give below or above: the level that counts as recovered' })
    })
  })

/** A runbook as parsed (durations in seconds). */
export type Runbook = z.infer<typeof runbookSchema> & { readonly file: string }
/** One step of a runbook. */
export type RunbookStep = z.infer<typeof stepSchema>
/** The kinds of step. */
export type StepAction = RunbookStep['action']
/** A scheduled runbook's condition. */
export type RunbookCondition = z.infer<typeof conditionSchema>
/** What `verify` reads. */
export type MeasureSpec = z.infer<typeof measureSchema>

/** One problem in a runbook file: where, and what is wrong with which value. */
export interface RunbookSpecError {
  readonly file: string
  /** Dotted path to the key, e.g. `spec.steps[1].timeout`; empty for the whole file. */
  readonly key: string
  readonly value: string
  readonly message: string
}

function formatKey(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('')
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root
  for (const k of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<PropertyKey, unknown>)[k]
  }
  return node
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** Formats an error as `file: key: message (value V)`. */
export function formatRunbookError(e: RunbookSpecError): string {
  return `${e.file}${e.key ? `: ${e.key}` : ''}: ${e.message}${e.key ? ` (value ${e.value})` : ''}`
}

/** Parses one runbook file's text; `file` names it in errors. */
export function parseRunbook(text: string, file: string): { ok: true; runbook: Runbook } | { ok: false; errors: RunbookSpecError[] } {
  const doc = parseDocument(text)
  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map((e) => ({ file, key: '', value: '', message: `not valid YAML: ${e.message.split('\n')[0]}` })) }
  const raw: unknown = doc.toJS()
  const parsed = runbookSchema.safeParse(raw)
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => {
        const path = i.path as PropertyKey[]
        const unknownKeys = i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys : []
        const keyPath = unknownKeys.length > 0 ? [...path, unknownKeys[0]!] : path
        const message = unknownKeys.length > 0 ? `unknown key${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.join(', ')}` : i.message
        return { file, key: formatKey(keyPath), value: describe(valueAt(raw, keyPath)), message }
      }),
    }
  }
  return { ok: true, runbook: { ...parsed.data, file } }
}

/** Loads every `.yaml`/`.yml` file of a directory; all problems of all files, or the runbooks (names unique). */
export async function loadRunbookDirectory(dir: string): Promise<{ ok: true; runbooks: Runbook[] } | { ok: false; errors: RunbookSpecError[] }> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort()
  } catch (err) {
    return { ok: false, errors: [{ file: dir, key: '', value: '', message: `cannot read the runbooks directory: ${err instanceof Error ? err.message : String(err)}` }] }
  }
  const errors: RunbookSpecError[] = []
  const runbooks: Runbook[] = []
  const seen = new Map<string, string>()
  for (const name of names) {
    const file = join(dir, name)
    const r = parseRunbook(await readFile(file, 'utf8'), file)
    if (!r.ok) {
      errors.push(...r.errors)
      continue
    }
    const other = seen.get(r.runbook.metadata.name)
    if (other) errors.push({ file, key: 'metadata.name', value: describe(r.runbook.metadata.name), message: `is also the name of the runbook in ${other}` })
    seen.set(r.runbook.metadata.name, file)
    runbooks.push(r.runbook)
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, runbooks }
}

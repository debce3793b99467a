import { z } from 'zod'

/**
 * Silences with Alertmanager's semantics (api/v2 `postableSilence`, silence/silence.go): a silence mutes every
 * alert all of whose matchers it satisfies, from `startsAt` to `endsAt`; its state is `pending` before,
 * `active` during and `expired` after. Expiring one (DELETE) moves its end to now. Pure: `nowMs` is an argument.
 */

/** One matcher, exactly as Alertmanager's API takes it; `isEqual` defaults to true (`=` / `=~`). */
export const matcherSchema = z
  .object({
    name: z.string().min(1, 'must not be empty'),
    value: z.string(),
    isRegex: z.boolean(),
    isEqual: z.boolean().default(true),
  })
  .strict()

/** Alertmanager's `postableSilence`: `id` only when updating one. */
export const postableSilenceSchema = z
  .object({
    id: z.string().min(1).max(128).optional(),
    matchers: z.array(matcherSchema).min(1, 'must have at least one matcher').max(64),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    createdBy: z.string().min(1, 'must not be empty').max(256),
    comment: z.string().min(1, 'must not be empty').max(4096),
  })
  .strict()

/** A silence matcher. */
export type Matcher = z.output<typeof matcherSchema>
/** A silence as posted. */
export type PostableSilence = z.output<typeof postableSilenceSchema>
/** Where a silence is in its life. */
export type SilenceState = 'pending' | 'active' | 'expired'

/** A stored silence. */
export interface Silence {
  readonly id: string
  readonly matchers: readonly Matcher[]
  readonly startsAtMs: number
  readonly endsAtMs: number
  readonly createdBy: string
  readonly comment: string
  readonly updatedAtMs: number
}

/** A compiled matcher; regexes are anchored as Alertmanager anchors them (`^(?:…)$`). */
type Compiled = (labels: Readonly<Record<string, string>>) => boolean

function compile(m: Matcher): Compiled {
  const re = m.isRegex ? new RegExp(`^(?:${m.value})$`, 'u') : null
  const test = (v: string): boolean => (re ? re.test(v) : v === m.value)
  // A missing label matches as the empty string (Alertmanager's labels.Matcher semantics).
  return (labels) => test(labels[m.name] ?? '') === m.isEqual
}

/** A problem with a posted silence, naming the field. */
export interface SilenceProblem {
  readonly field: string
  readonly message: string
}

/**
 * Checks what the schema cannot: regexes compile, the end is after the start, and at least one matcher does not
 * match the empty label set (a silence that mutes everything is refused, as Alertmanager refuses it).
 */
export function checkSilence(s: PostableSilence): SilenceProblem | null {
  for (const [i, m] of s.matchers.entries()) {
    if (!m.isRegex) continue
    try {
      new RegExp(`^(?:${m.value})$`, 'u')
    } catch (err) {
      return { field: `matchers.${i}.value`, message: `is not a valid regular expression (${err instanceof Error ? err.message : String(err)}): "${m.value.slice(0, 128)}"` }
    }
  }
  if (Date.parse(s.endsAt) <= Date.parse(s.startsAt)) return { field: 'endsAt', message: `must be after startsAt (${s.startsAt}): "${s.endsAt}"` }
  if (s.matchers.every((m) => compile(m)({}))) return { field: 'matchers', message: 'must not all match the empty string: this silence would mute every alert' }
  return null
}

/** The state of a silence at `nowMs`. */
export function silenceState(s: Pick<Silence, 'startsAtMs' | 'endsAtMs'>, nowMs: number): SilenceState {
  if (nowMs < s.startsAtMs) return 'pending'
  return nowMs < s.endsAtMs ? 'active' : 'expired'
}

/** Whether a silence's matchers all match a label set (regardless of time). */
export function silenceMatches(s: Pick<Silence, 'matchers'>, labels: Readonly<Record<string, string>>): boolean {
  return s.matchers.every((m) => compile(m)(labels))
}

/** The ids of the silences active at `nowMs` that mute this label set. */
export function silencedBy(silences: readonly Silence[], labels: Readonly<Record<string, string>>, nowMs: number): string[] {
  return silences.filter((s) => silenceState(s, nowMs) === 'active' && silenceMatches(s, labels)).map((s) => s.id)
}

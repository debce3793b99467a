import { z } from 'zod'
import { AppError } from './errors.ts'

function shown(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** `field: rule; got value` for each issue (at most five), the one format of every 400. */
export function describeIssues(error: z.ZodError, where: string): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : where
    const field = issue.path.length && where !== 'body' ? `${where}.${path}` : path
    if (issue.code === 'unrecognized_keys') return `${field}: unknown field(s) ${issue.keys.join(', ')}`
    const got = 'input' in issue && issue.code !== 'invalid_union' ? `; got ${shown(issue.input)}` : ''
    return `${field}: ${issue.message}${got}`
  })
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`)
  return parts.join('; ')
}

/** Parses with a schema or throws a 400 naming the field, the rule and the value. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value, { reportInput: true })
  if (!parsed.success) throw new AppError('bad_request', describeIssues(parsed.error, where))
  return parsed.data
}

/** A time in a query string: ISO-8601 or epoch milliseconds, as epoch milliseconds. */
export const timeQuery = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s)
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be ISO-8601 or epoch milliseconds' })
      return z.NEVER
    }
    return ms
  })

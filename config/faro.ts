import { z } from 'zod'

// The `faro` block of the config: the web apps whose Grafana Faro SDK sends to `POST /v1/faro` (faro/, docs/faro.md).
// Defaults follow Grafana Alloy's `faro.receiver` (5 MiB payloads) where it has one.

const appName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit')

/** An origin as browsers send it in `Origin`: scheme, host and optional port, no path. */
const originSchema = z.string().refine(
  (s) => {
    try {
      const u = new URL(s)
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s
    } catch {
      return false
    }
  },
  { message: 'must be an origin such as https://clinic.example or http://localhost:5173 (scheme, host, optional port; no path or trailing slash)' },
)

const faroAppSchema = z
  .object({
    /** Must equal the SDK's `app.name` (`meta.app.name` in every payload). */
    name: appName,
    /** Public key the SDK sends as `x-api-key` (a browser holds no secret: it tells apps apart, it protects nothing). */
    apiKey: z.string().min(1).max(256).optional(),
    /** Origins whose pages may send (CORS); the service's own origin (the `/demo` page) is always allowed. */
    allowedOrigins: z.array(originSchema).default([]),
    /** Models the app may send `label` events for. */
    models: z.array(z.string().min(1).max(128)).default([]),
  })
  .strict()

/** The default payload limit of Alloy's `faro.receiver` (`max_allowed_payload_size`). */
export const FARO_DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
/** Payloads per app per minute before 429 (Alloy's default global rate is 50/s; one browser batches every second). */
export const FARO_DEFAULT_RATE_PER_MINUTE = 600

/** The `faro` block: apps, the payload limit, the per-app rate limit. */
export const faroSchema = z
  .object({
    apps: z.array(faroAppSchema).default([]),
    maxBodyBytes: z.number().int().positive().max(64 * 1024 * 1024).default(FARO_DEFAULT_MAX_BODY_BYTES),
    ratePerMinute: z.number().int().positive().max(1_000_000).default(FARO_DEFAULT_RATE_PER_MINUTE),
  })
  .strict()
  .superRefine((faro, ctx) => {
    const names = new Set<string>()
    faro.apps.forEach((a, i) => {
      if (names.has(a.name)) ctx.addIssue({ code: 'custom', path: ['apps', i, 'name'], message: `duplicate app name "${a.name}"` })
      names.add(a.name)
    })
  })

/** The default `faro` block: no apps (the intake answers 400 to every payload until one is configured). */
export const DEFAULT_FARO = { apps: [], maxBodyBytes: FARO_DEFAULT_MAX_BODY_BYTES, ratePerMinute: FARO_DEFAULT_RATE_PER_MINUTE }

/** The validated `faro` block. */
export type FaroConfig = z.infer<typeof faroSchema>
/** One configured Faro app. */
export type FaroApp = FaroConfig['apps'][number]

import { z } from 'zod'

// The body Grafana Faro's web SDK sends (its fetch transport's `TransportBody`), as Grafana Alloy's `faro.receiver`
// decodes it (internal/component/faro/receiver/internal/payload/payload.go). Like Alloy's JSON decoder, unknown
// fields are ignored, so a newer SDK's additions do not turn its payloads away; a field of the wrong type is a 400.

const text = (max: number) => z.string().max(max)
/** Attribute and context maps: Alloy types them string → string; numbers and booleans are kept as their text. */
const stringMap = z
  .record(z.string().max(256), z.union([z.string().max(16_384), z.number(), z.boolean(), z.null()]))
  .transform((m) => Object.fromEntries(Object.entries(m).flatMap(([k, v]) => (v === null ? [] : [[k, String(v)]]))) as Record<string, string>)
const timestamp = z.string().max(64).optional()
const trace = z.looseObject({ trace_id: text(64).optional(), span_id: text(64).optional() }).optional()

const frameSchema = z.looseObject({ function: text(1024).optional(), module: text(1024).optional(), filename: text(2048).optional(), lineno: z.number().optional(), colno: z.number().optional() })

/** `meta`: who and where (SDK, app, user, session, page, browser, view). */
export const metaSchema = z.looseObject({
  sdk: z.looseObject({ name: text(256).optional(), version: text(64).optional() }).optional(),
  app: z.looseObject({ name: text(256).optional(), namespace: text(256).optional(), release: text(256).optional(), version: text(256).optional(), environment: text(256).optional() }).optional(),
  user: z.looseObject({ id: text(256).optional(), email: text(256).optional(), username: text(256).optional(), attributes: stringMap.optional() }).optional(),
  session: z.looseObject({ id: text(256).optional(), attributes: stringMap.optional() }).optional(),
  page: z.looseObject({ id: text(256).optional(), url: text(4096).optional(), attributes: stringMap.optional() }).optional(),
  browser: z
    .looseObject({ name: text(256).optional(), version: text(256).optional(), os: text(256).optional(), mobile: z.boolean().optional(), userAgent: text(2048).optional(), language: text(64).optional() })
    .optional(),
  view: z.looseObject({ name: text(256).optional() }).optional(),
})

/** One Faro payload. */
export const faroPayloadSchema = z.looseObject({
  meta: metaSchema.default({}),
  events: z.array(z.looseObject({ name: text(256), domain: text(256).optional(), attributes: stringMap.optional(), timestamp, trace })).max(10_000).optional(),
  measurements: z
    .array(z.looseObject({ type: text(256).optional(), values: z.record(z.string().max(256), z.number()).optional(), timestamp, trace, context: stringMap.optional() }))
    .max(10_000)
    .optional(),
  logs: z.array(z.looseObject({ message: text(65_536).optional(), level: text(32).optional(), context: stringMap.optional(), timestamp, trace })).max(10_000).optional(),
  exceptions: z
    .array(
      z.looseObject({
        type: text(1024).optional(),
        value: text(65_536).optional(),
        stacktrace: z.looseObject({ frames: z.array(frameSchema).max(1_000).optional() }).optional(),
        timestamp,
        trace,
        context: stringMap.optional(),
      }),
    )
    .max(10_000)
    .optional(),
  // OTLP traces: accepted and counted, not stored (Highway keeps no spans; docs/faro.md).
  traces: z.unknown().optional(),
})

/** A Faro payload as validated. */
export type FaroPayload = z.infer<typeof faroPayloadSchema>
/** The payload's `meta`. */
export type FaroMeta = z.infer<typeof metaSchema>

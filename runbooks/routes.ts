import { z } from 'zod'
import { AppError, assertModelAllowed, defineRoute, type Principal, type Route } from '../server/index.ts'
import type { Runbooks, RunView } from './engine.ts'
import { isRefusal, type RunRecord } from './ports.ts'

const RUN_STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'refused', 'aborted', 'cancelled', 'planned', 'skipped'] as const

const stepViewSchema = z.object({
  index: z.number(),
  action: z.string(),
  name: z.string(),
  status: z.string(),
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()),
  error: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
})
const runSummarySchema = z.object({
  id: z.string(),
  runbook: z.string(),
  model: z.string(),
  status: z.enum(RUN_STATUSES),
  dryRun: z.boolean(),
  trigger: z.record(z.string(), z.unknown()),
  reason: z.string(),
  step: z.number(),
  approved: z.array(z.number()),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
})
/** A run with its steps, as the API answers it. */
export const runViewSchema = runSummarySchema.extend({ steps: z.array(stepViewSchema) })
const runbookSchema = z.object({ name: z.string(), description: z.string(), file: z.string(), trigger: z.unknown(), cooldownSeconds: z.number(), concurrency: z.string(), steps: z.array(z.record(z.string(), z.unknown())) })

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

function summary(r: RunRecord): z.infer<typeof runSummarySchema> {
  return {
    id: r.id,
    runbook: r.runbook,
    model: r.model,
    status: r.status,
    dryRun: r.dryRun,
    trigger: { ...r.trigger },
    reason: r.reason,
    step: r.step,
    approved: [...r.approved],
    detail: { ...r.detail },
    createdAt: iso(r.createdAtMs)!,
    updatedAt: iso(r.updatedAtMs)!,
    finishedAt: iso(r.finishedAtMs),
    durationMs: r.finishedAtMs === null ? null : r.finishedAtMs - r.createdAtMs,
  }
}

/** A run as the API shows it: ISO times, durations in ms. */
export function runView(r: RunView): z.infer<typeof runViewSchema> {
  return {
    ...summary(r),
    steps: r.steps.map((s) => ({ index: s.index, action: s.action, name: s.name, status: s.status, input: { ...s.input }, output: { ...s.output }, error: s.error, startedAt: iso(s.startedAtMs)!, finishedAt: iso(s.finishedAtMs), durationMs: s.finishedAtMs === null ? null : s.finishedAtMs - s.startedAtMs })),
  }
}

/** Domain refusals become 409 (or 404 for what does not exist); the rest goes to the shell. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (isRefusal(err) && err instanceof Error) throw new AppError(/^no runbook/.test(err.message) ? 'not_found' : 'conflict', err.message)
    throw err
  }
}

/** A run another model's key may not see answers 404, as an unknown id does (no leak of other models' runs). */
async function visibleRun(runbooks: Runbooks, id: string, principal: Principal): Promise<RunView> {
  const run = await runbooks.get(id)
  if (!run || (principal.models && !principal.models.has(run.model))) throw new AppError('not_found', `no runbook run ${id}`)
  return run
}

const idParams = z.object({ id: z.string().min(1).max(80) })
const nameParams = z.object({ name: z.string().min(1).max(80) })

/** `GET /v1/runbooks`, `GET /v1/runbooks/runs[?model&status]`, `GET /v1/runbooks/runs/{id}`, `POST /v1/runbooks/{name}/run`, `POST /v1/runbooks/runs/{id}/approve|cancel`. */
export function runbookRoutes(deps: { runbooks: Runbooks }): Route[] {
  const { runbooks } = deps
  return [
    defineRoute({
      method: 'get',
      path: '/v1/runbooks',
      scope: 'read',
      summary: 'Configured runbooks: triggers, cooldowns, steps',
      responses: { 200: { description: 'Runbooks', schema: z.object({ runbooks: z.array(runbookSchema) }) } },
      handle: () => ({ json: { runbooks: runbooks.list() } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/runbooks/runs',
      scope: 'read',
      query: z.object({ model: z.string().min(1).optional(), status: z.enum(RUN_STATUSES).optional(), runbook: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
      summary: 'Runbook runs, newest first',
      responses: { 200: { description: 'Runs', schema: z.object({ runs: z.array(runSummarySchema) }) } },
      handle: async ({ query, principal }) => {
        if (query.model !== undefined) assertModelAllowed(principal, query.model)
        const runs = await runbooks.runs({
          ...(query.model ? { model: query.model } : {}),
          ...(query.runbook ? { runbook: query.runbook } : {}),
          ...(query.status ? { statuses: [query.status] } : {}),
          ...(principal.models ? { models: [...principal.models] } : {}),
          limit: query.limit,
        })
        return { json: { runs: runs.map(summary) } }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/runbooks/runs/{id}',
      scope: 'read',
      params: idParams,
      summary: 'One runbook run with its steps (inputs, outputs, durations)',
      responses: { 200: { description: 'The run', schema: runViewSchema }, 404: { description: 'No such run' } },
      handle: async ({ params, principal }) => ({ json: runView(await visibleRun(runbooks, params.id, principal)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/runbooks/{name}/run',
      scope: 'operate',
      params: nameParams,
      body: z.object({ model: z.string().min(1).max(128), dryRun: z.boolean().default(false) }).strict(),
      maxBodyBytes: 64 * 1024,
      summary: 'Start a runbook for a model (or show its plan with dryRun)',
      responses: {
        201: { description: 'The run as started, refused (with the reason) or planned', schema: runViewSchema },
        404: { description: 'No such runbook' },
      },
      handle: async ({ params, body, principal, requestId }) => {
        assertModelAllowed(principal, body.model)
        const run = await guard(() => runbooks.start(params.name, { model: body.model, dryRun: body.dryRun, actor: principal.id, requestId }))
        return { status: 201, json: runView(run) }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/runbooks/runs/{id}/approve',
      scope: 'operate',
      params: idParams,
      summary: 'Approve the step a run waits on (an approve step or a dangerous one)',
      responses: { 200: { description: 'The run after approval', schema: runViewSchema }, 404: { description: 'No such run' }, 409: { description: 'Nothing waits for approval' } },
      handle: async ({ params, principal, requestId }) => {
        await visibleRun(runbooks, params.id, principal)
        return { json: runView(await guard(() => runbooks.approve(params.id, { actor: principal.id, requestId }))) }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/runbooks/runs/{id}/cancel',
      scope: 'operate',
      params: idParams,
      summary: 'Cancel a running or waiting run',
      responses: { 200: { description: 'The cancelled run', schema: runViewSchema }, 404: { description: 'No such run' }, 409: { description: 'The run already ended' } },
      handle: async ({ params, principal, requestId }) => {
        await visibleRun(runbooks, params.id, principal)
        return { json: runView(await guard(() => runbooks.cancel(params.id, { actor: principal.id, requestId }))) }
      },
    }),
  ]
}

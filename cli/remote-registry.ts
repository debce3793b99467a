import { z } from 'zod'
import { RegistryError, sha256Hex, type RegisteredVersion } from '../registry/index.ts'
import type { TrainingRegistry } from '../pipeline/train/index.ts'

/** Where a running Highway listens and the key to call it with. */
export interface RemoteTarget {
  readonly url: string
  readonly apiKey?: string
}

const versionDetail = z.looseObject({
  model: z.string(),
  version: z.number(),
  artifact: z.object({ sha256: z.string(), bytes: z.number() }),
  dataset: z.object({ version: z.string(), rows: z.record(z.string(), z.number()) }),
  codeVersion: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
  gates: z.array(z.looseObject({ gate: z.string(), passed: z.boolean() })),
  signature: z.any(),
  preprocessor: z.any(),
  params: z.any(),
  referenceId: z.string(),
  trainingRunId: z.string(),
  description: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
})

function toRegistered(raw: unknown): RegisteredVersion {
  const v = versionDetail.parse(raw)
  return { ...v, createdAtMs: Date.parse(v.createdAt) } as RegisteredVersion
}

/**
 * The registry `highway train --url` trains against: reads and registrations go through a running service's API
 * (operate scope), which holds the data directory. The training profile is sent with the registration; the
 * reference records too (the service saves them as the analyzer's reference set of the new version).
 */
export function createRemoteTrainingRegistry(target: RemoteTarget, model: string): TrainingRegistry {
  const base = target.url.replace(/\/+$/, '')
  const m = encodeURIComponent(model)
  const auth: Record<string, string> = target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}
  let pendingProfile: Uint8Array | undefined

  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    try {
      return await fetch(`${base}${path}`, { method, headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    } catch (err) {
      throw new Error(`cannot reach Highway at ${base} (${(err as Error).message}); start it with \`highway start\` or pass --url`)
    }
  }
  const failure = async (res: Response, path: string): Promise<Error> => {
    const text = await res.text()
    let message = text.slice(0, 300)
    try {
      message = String((JSON.parse(text) as { error?: unknown }).error ?? message)
    } catch {
      // not JSON: keep the text
    }
    return res.status === 404 ? new RegistryError('not_found', message) : new Error(`${res.status} from ${base}${path}: ${message}`)
  }
  const json = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await call(method, path, body)
    if (!res.ok) throw await failure(res, path)
    return res.json()
  }
  const bytes = async (path: string): Promise<Uint8Array> => {
    const res = await call('GET', path)
    if (!res.ok) throw await failure(res, path)
    return new Uint8Array(await res.arrayBuffer())
  }

  const requireVersion = async (_model: string, version: number) => toRegistered(await json('GET', `/v1/models/${m}/versions/${version}`))
  return {
    async resolveAlias(_model, alias) {
      const { aliases } = (await json('GET', `/v1/models/${m}/aliases`)) as { aliases: Record<string, number> }
      return aliases[alias]
    },
    requireVersion,
    async listVersions() {
      let list: { versions: Array<{ version: number }> }
      try {
        list = (await json('GET', `/v1/models/${m}/versions`)) as typeof list
      } catch (err) {
        if (err instanceof RegistryError && err.code === 'not_found') return []
        throw err
      }
      // The list shows summaries; the champion search needs each version's gates.
      return Promise.all(list.versions.map((v) => requireVersion(model, v.version)))
    },
    async readArtifact(_model, version) {
      const got = await bytes(`/v1/models/${m}/versions/${version}/artifact`)
      return { bytes: got, sha256: sha256Hex(got) }
    },
    artifacts: {
      get: (sha256) => bytes(`/v1/models/${m}/artifacts/${sha256}`),
      async put(data) {
        // Held until the registration, which carries it: the service stores it with the version.
        pendingProfile = data
        return { sha256: sha256Hex(data), bytes: data.byteLength }
      },
    },
    async recordTrainingRun(run) {
      // The model is the path's; the body carries the rest.
      await json('POST', `/v1/models/${m}/training-runs`, { runId: run.runId, datasetVersion: run.datasetVersion, codeVersion: run.codeVersion, trials: run.trials })
    },
    async recordTrainingOutcome(_model, runId, o) {
      await json('POST', `/v1/models/${m}/training-runs/${encodeURIComponent(runId)}/outcome`, o)
    },
    async registerVersion(_model, onnx, metadata, options = {}) {
      const body = {
        ...metadata,
        onnx: Buffer.from(onnx).toString('base64'),
        ...(pendingProfile ? { profile: Buffer.from(pendingProfile).toString('base64') } : {}),
        ...(options.referenceRecords && options.referenceRecords.length > 0 ? { reference: { records: options.referenceRecords } } : {}),
      }
      const registered = toRegistered(await json('POST', `/v1/models/${m}/versions`, body))
      pendingProfile = undefined
      return registered
    },
  }
}

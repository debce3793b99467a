// Starts Highway in the compose stack: deploy/highway.yaml plus `auth.keys` built from the key files compose
// mounts as secrets (each stored as its sha256, as Highway wants), written to a private temp file, then
// `highway start` with that config. The keys themselves never enter the image or the repository.
import { createHash } from 'node:crypto'
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import process from 'node:process'
import { fileURLToPath, URL } from 'node:url'
import { parse, stringify } from 'yaml'

/** The API keys of the stack: which secret file, which scopes. Prometheus scrapes, Alertmanager posts, you administer. */
export const STACK_KEYS = [
  { id: 'prometheus', file: '/run/secrets/prometheus_key', scopes: ['read'] },
  { id: 'alertmanager', file: '/run/secrets/alertmanager_key', scopes: ['operate'] },
  { id: 'admin', file: '/run/secrets/admin_key', scopes: ['admin'] },
]

/** deploy/highway.yaml as a document, with `auth.keys` for the given secrets (id → key text). */
export function stackConfig(baseYaml, secrets) {
  const doc = parse(baseYaml) ?? {}
  const keys = STACK_KEYS.map((k) => {
    const secret = secrets[k.id]?.trim()
    if (!secret) throw new Error(`secret ${k.file} is empty: set ${k.id.toUpperCase()}_KEY in .env (see .env.example)`)
    return { id: k.id, sha256: createHash('sha256').update(secret).digest('hex'), scopes: k.scopes }
  })
  return { ...doc, auth: { keys } }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const base = readFileSync(new URL('./highway.yaml', import.meta.url), 'utf8')
  const secrets = Object.fromEntries(STACK_KEYS.map((k) => [k.id, readFileSync(k.file, 'utf8')]))
  const out = '/tmp/highway.yaml'
  writeFileSync(out, stringify(stackConfig(base, secrets)), { mode: 0o600 })
  const child = spawn(process.execPath, ['bin/highway.mjs', 'start', ...process.argv.slice(2), '--config', out], { stdio: 'inherit' })
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

// `npm run build` (also run by `prepare`, so `npm ci` on a fresh clone builds): compiles cli/main.ts and every module
// it reaches (dynamic imports included) to JavaScript under dist/, copies the data files those modules read beside
// themselves, and writes the stamp bin/highway.mjs checks before it runs dist/ instead of the sources.
// Transpile only: types are checked by `npm run typecheck`, so a build takes seconds.
/* global process, console, URL */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkBuild, writeBuildStamp } from '../bin/build-stamp.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT = join(ROOT, 'dist')
const PROJECT = 'tsconfig.build.json'
// Files read at run time next to the module that reads them (`new URL('./…', import.meta.url)`).
const ASSETS = ['pipeline/onnx/onnx.proto3']

function fail(diagnostics) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host))
  process.exit(1)
}

const started = Date.now()
// The web demo's bundle (web/build/, served at /demo): esbuild is a dev dependency, so an install without it
// (`npm ci --omit=dev`) serves /demo as "not built" and everything else as usual.
try {
  await import('esbuild')
  const { bundleWeb, WEB_BUILD_DIR } = await import('../web/bundle.mjs')
  await bundleWeb()
  console.error(`build: web demo to ${relative(ROOT, WEB_BUILD_DIR)}/`)
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err
  console.error('build: esbuild is not installed; the web demo (/demo) is not built')
}
let ts
try {
  ts = (await import('typescript')).default
} catch {
  // `npm ci --omit=dev` has no compiler: bin/highway.mjs then runs the sources through tsx, a runtime dependency.
  console.error('build: typescript is not installed; highway will run its TypeScript sources through tsx')
  process.exit(0)
}
const file = ts.readConfigFile(join(ROOT, PROJECT), ts.sys.readFile)
if (file.error) fail([file.error])
const parsed = ts.parseJsonConfigFileContent(file.config, ts.sys, ROOT)
if (parsed.errors.length > 0) fail(parsed.errors)
// Emit into a fresh directory and swap it in at the end: a run that starts meanwhile sees the old build or none.
const staging = `${OUT}.${process.pid}.tmp`
rmSync(staging, { recursive: true, force: true })
const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, outDir: staging } })
const syntax = program.getSyntacticDiagnostics()
if (syntax.length > 0) fail(syntax)
const emitted = program.emit()
if (emitted.emitSkipped || emitted.diagnostics.length > 0) fail(emitted.diagnostics)

const sources = program
  .getSourceFiles()
  .filter((s) => !s.isDeclarationFile && !program.isSourceFileFromExternalLibrary(s))
  .map((s) => relative(ROOT, s.fileName).split(sep).join('/'))
  .filter((f) => !f.startsWith('..') && !f.startsWith('node_modules/'))
for (const asset of ASSETS) {
  mkdirSync(dirname(join(staging, asset)), { recursive: true })
  cpSync(join(ROOT, asset), join(staging, asset))
}
writeBuildStamp(ROOT, staging, [...sources, ...ASSETS, PROJECT, 'tsconfig.json', 'scripts/build.mjs', 'bin/build-stamp.mjs'])
if (existsSync(OUT)) rmSync(OUT, { recursive: true, force: true })
try {
  renameSync(staging, OUT)
} catch (err) {
  // Another build (a second test run) swapped its own in meanwhile: keep it if it is as fresh as this one.
  rmSync(staging, { recursive: true, force: true })
  if (!checkBuild(ROOT, OUT).fresh) throw err
}
console.error(`build: ${sources.length} modules to ${relative(ROOT, OUT)}/ in ${Date.now() - started} ms`)

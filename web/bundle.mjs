// Bundles the web demo (web/src/main.ts and the Faro SDK) with esbuild into web/build/, with index.html and
// style.css beside it: what Highway serves at /demo. Run by `npm run build` (scripts/build.mjs) and by the browser
// tests' setup. No CDN: everything the page loads comes from that directory.
/* global console, process, URL */
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The directory Highway serves at /demo. */
export const WEB_BUILD_DIR = fileURLToPath(new URL('./build', import.meta.url))
const SRC = fileURLToPath(new URL('.', import.meta.url))

/** Builds the bundle into `outDir` (default web/build); resolves with the files written. */
export async function bundleWeb(outDir = WEB_BUILD_DIR) {
  const esbuild = await import('esbuild')
  mkdirSync(outDir, { recursive: true })
  await esbuild.build({
    entryPoints: [join(SRC, 'src/main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  })
  for (const f of ['index.html', 'style.css']) copyFileSync(join(SRC, f), join(outDir, f))
  return ['app.js', 'app.js.map', 'index.html', 'style.css']
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await bundleWeb()
  console.error(`web: ${files.join(', ')} in ${WEB_BUILD_DIR}`)
}

import { readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { z } from 'zod'
import { AppError } from './errors.ts'
import { defineRoute, type Route } from './route.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}
// One path segment, no dot first: no `..`, no hidden files, no separators (a decoded `%2F` included).
const FILE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/

/**
 * Serves a flat directory of built files (the web demo's bundle) under `path`: `path` itself is its index.html and
 * `path/{file}` each file. Read at request time, so a bundle built after the service started is served; a missing
 * directory answers 404 naming the command that builds it.
 */
export function staticFileRoutes(options: { path: string; dir: string; summary: string; missingHint: string }): Route[] {
  const serve = async (file: string) => {
    if (!FILE.test(file)) throw new AppError('not_found', `no file ${JSON.stringify(file.slice(0, 128))} under ${options.path}`)
    const type = TYPES[extname(file)]
    if (type === undefined) throw new AppError('not_found', `no file ${JSON.stringify(file.slice(0, 128))} under ${options.path}`)
    let body: Buffer
    try {
      body = await readFile(join(options.dir, file))
    } catch (err) {
      const code = (err as { code?: string }).code
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('not_found', file === 'index.html' ? `the page is not built: ${options.missingHint}` : `no file ${JSON.stringify(file)} under ${options.path}`)
      throw err
    }
    return { body, contentType: type, headers: { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } }
  }
  const html = { 200: { description: 'The page', contentType: 'text/html' }, 404: { description: 'Not built (the message names the command)' } }
  return [
    defineRoute({ method: 'get', path: options.path, scope: 'public', summary: options.summary, responses: html, handle: () => serve('index.html') }),
    defineRoute({
      method: 'get',
      path: `${options.path}/{file}`,
      scope: 'public',
      params: z.object({ file: z.string() }),
      summary: `${options.summary}: one built file`,
      responses: { 200: { description: 'The file', contentType: 'application/octet-stream' }, 404: { description: 'No such file' } },
      handle: ({ params }) => serve(params.file),
    }),
  ]
}

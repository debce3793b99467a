// The folder rules of STYLE.md, checked in `npm run lint` (madge checks cycles between files only):
// 1. no cycle between top-level folders, nor between the sibling sub-folders of one folder;
// 2. an import that enters another folder goes through that folder's index.ts (`../slo/index.ts`, never
//    `../slo/burn-rate/budget.ts`). Tests (`*.test.ts`, test/) and benchmarks (bench/) may reach inside: they are
//    consumers at the edge, and nothing imports them but other tests. The CLI (cli/, the composition root) may import
//    a sub-folder's index.ts (`../slo/spec/index.ts`) but no other file: its commands load only what they use, so
//    `highway --help` starts in milliseconds (docs/architecture.md).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const SKIP = new Set(['node_modules', 'data', 'artifacts', 'dist', '.git', '.test-tmp', 'test-artifacts'])
// Folders that are edges: nothing in production imports them, and they may import anything's index.
const EDGE = new Set(['test', 'bench', 'scripts'])
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path, out)
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

// Test support kept beside the code it serves (`*.test-support.ts`, `test-*.ts`) is an edge too.
const isEdgeFile = (rel: string): boolean => /\.test(-support)?\.ts$/.test(rel) || /(^|\/)test-[^/]+\.ts$/.test(rel) || EDGE.has(rel.split(sep)[0]!) || !rel.includes(sep)

interface Edge {
  readonly from: string
  readonly to: string
}

const problems: string[] = []
const edges: Edge[] = []
for (const file of walk(ROOT, [])) {
  const rel = relative(ROOT, file)
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!
    const target = relative(ROOT, resolve(dirname(file), spec))
    // Data files (JSON goldens) are not folders' code.
    if (target.startsWith('..') || target.split(sep)[0] === 'node_modules' || !target.endsWith('.ts')) continue
    edges.push({ from: rel, to: target })
    if (isEdgeFile(rel)) continue
    // The innermost folder the target is in that does not contain the importer must be entered through its index.
    const fromDir = dirname(rel).split(sep)
    const toDir = dirname(target).split(sep)
    let common = 0
    while (common < fromDir.length && common < toDir.length && fromDir[common] === toDir[common]) common++
    if (common === toDir.length) continue // same folder, or a parent folder's file
    const entered = toDir.slice(0, common + 1).join(sep)
    const allowed = join(entered, 'index.ts')
    if (rel.split(sep)[0] === 'cli' && target.endsWith(`${sep}index.ts`)) continue
    if (target !== allowed) problems.push(`${rel}: imports ${spec}, inside ${entered}/; import ${relative(dirname(rel), allowed).split(sep).join('/')} instead`)
  }
}

/** Cycles in a graph given as adjacency sets, each reported once (as the strongly connected component). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  let counter = 0
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

// Folder graphs: the top level, and the immediate sub-folders of each folder (files directly in it are not nodes).
const graphs = new Map<string, Map<string, Set<string>>>()
const add = (scope: string, a: string, b: string) => {
  const g = graphs.get(scope) ?? new Map<string, Set<string>>()
  graphs.set(scope, g)
  if (!g.has(a)) g.set(a, new Set())
  if (!g.has(b)) g.set(b, new Set())
  g.get(a)!.add(b)
}
for (const { from, to } of edges) {
  if (isEdgeFile(from)) continue
  const a = from.split(sep)
  const b = to.split(sep)
  if (a[0] !== b[0]) {
    add('(top level)', a[0]!, b[0]!)
    continue
  }
  // Deepest shared folder; its immediate children containing each side are the nodes.
  let depth = 0
  while (depth < a.length - 1 && depth < b.length - 1 && a[depth] === b[depth]) depth++
  if (depth < a.length - 1 && depth < b.length - 1) add(a.slice(0, depth).join('/'), a.slice(0, depth + 1).join('/'), b.slice(0, depth + 1).join('/'))
}
for (const [scope, graph] of graphs) for (const c of cycles(graph)) problems.push(`folder cycle in ${scope}: ${c.join(' ↔ ')}`)

if (problems.length > 0) {
  process.stderr.write(`${problems.length} folder rule violation(s):\n  ${problems.join('\n  ')}\n`)
  process.exit(1)
}
process.stdout.write(`folders: ${graphs.size} graphs, ${edges.length} imports, no cycle, every folder entered through its index\n`)

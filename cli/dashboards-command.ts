import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildDashboards, renderDashboard } from '../grafana/index.ts'
import type { Command } from './command-context.ts'

/** `highway dashboards --out DIR`: writes the Grafana dashboards as JSON, one `<uid>.json` each. */
export const dashboardsCommand: Command = async ({ args, help, stdout, stderr }) => {
  const out = args.values.out
  if (!out) {
    stderr.write(`highway dashboards: --out DIR is required\n\n${help}\n`)
    return 2
  }
  await mkdir(out, { recursive: true })
  const files: string[] = []
  for (const d of buildDashboards()) {
    const { file, text } = renderDashboard(d)
    await writeFile(join(out, file), text, 'utf8')
    files.push(join(out, file))
  }
  stdout.write(args.values.json ? `${JSON.stringify({ files })}\n` : `${files.map((f) => `wrote ${f}`).join('\n')}\n`)
  return 0
}

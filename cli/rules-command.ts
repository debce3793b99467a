// slo/spec/ and slo/rules/ through their own entries: slo/index.ts would also load evaluation, routes and storage.
import { loadSloDirectory } from '../slo/spec/index.ts'
import { ruleSlosFromSpecs, writeRuleFiles } from '../slo/rules/index.ts'
import type { Command } from './command-context.ts'

/** `highway rules --out DIR [--slos DIR]`: Sloth-style Prometheus rule files for Prometheus-sourced SLOs. */
export const rulesCommand: Command = async ({ args, help, stdout, stderr, configIfGiven }) => {
  const config = await configIfGiven()
  const dir = args.values.slos ?? config?.slos
  if (!dir || !args.values.out) {
    stderr.write(`highway rules: --out DIR and an SLO directory (--slos DIR or slos: in the config) are required\n\n${help}\n`)
    return 2
  }
  const loaded = await loadSloDirectory(dir, config ? { models: config.models } : {})
  if (!loaded.ok) {
    stderr.write(`highway rules: ${dir} has invalid SLOs; run \`highway slo validate ${dir}\`\n`)
    return 1
  }
  const periodSli = args.values['period-sli'] ?? 'exact'
  if (periodSli !== 'exact' && periodSli !== 'sloth-optimized') {
    stderr.write(`highway rules: --period-sli must be exact or sloth-optimized, got ${JSON.stringify(periodSli)}\n`)
    return 2
  }
  const { slos, skipped } = ruleSlosFromSpecs(loaded.specs)
  const written = await writeRuleFiles({ outDir: args.values.out, slos, periodSli })
  if (!written.ok) {
    stderr.write(`highway rules: ${written.error.message}\n`)
    return 1
  }
  stdout.write(
    args.values.json
      ? `${JSON.stringify({ files: written.files, skipped })}\n`
      : `${[...written.files.map((f) => `wrote ${f}`), ...skipped.map((s) => `skipped ${s.name}: ${s.reason}`)].join('\n')}\n`,
  )
  return 0
}

import type { Logger } from '../server/index.ts'

/** JSON lines on stderr (stdout stays free for `--json` output); `quiet` keeps only warnings and errors. */
export function createLogger(options: { quiet?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line))
  const emit = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`)
  }
  const none = (): void => {}
  return { info: options.quiet ? none : emit('info'), warn: emit('warn'), error: emit('error') }
}

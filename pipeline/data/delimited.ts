/** One record of a delimited file: the 1-based line it starts on, its fields, and what was wrong with it, if anything. */
export interface DelimitedLine {
  readonly line: number
  readonly fields: string[]
  readonly error?: string
}

/**
 * Splits delimited text into records. With `quoting` (CSV, RFC 4180): fields may be quoted with `"`, a quote inside
 * a quoted field is doubled (`""`), quoted fields may hold the delimiter and line breaks, records end at CRLF or
 * LF. Without quoting (TSV as IANA text/tab-separated-values defines it, and as the SMS spam file is written:
 * messages there contain bare `"`), every line is a record split at each delimiter. A leading UTF-8 BOM is
 * skipped; blank lines and the final line break make no record. Malformed records carry an `error` rather than
 * stopping the parse, so the caller can report them by line.
 */
export function parseDelimited(text: string, options: { delimiter: string; quoting: boolean }): DelimitedLine[] {
  const { delimiter } = options
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(`delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`)
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  return options.quoting ? parseQuoted(body, delimiter) : parseUnquoted(body, delimiter)
}

function parseUnquoted(text: string, delimiter: string): DelimitedLine[] {
  const out: DelimitedLine[] = []
  const lines = text.split('\n')
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line === '') return
    out.push({ line: i + 1, fields: line.split(delimiter) })
  })
  return out
}

function parseQuoted(text: string, delimiter: string): DelimitedLine[] {
  const out: DelimitedLine[] = []
  const n = text.length
  let i = 0
  let line = 1
  while (i < n) {
    const start = line
    const fields: string[] = []
    let error: string | undefined
    // Blank line: no record.
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1
      line++
      continue
    }
    for (;;) {
      let field = ''
      if (text[i] === '"') {
        i++
        let closed = false
        while (i < n) {
          const c = text[i]!
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"'
              i += 2
              continue
            }
            i++
            closed = true
            break
          }
          if (c === '\n') line++
          field += c
          i++
        }
        if (!closed) error ??= `quoted field ${fields.length + 1} is never closed (a missing closing quote)`
        // After the closing quote only a delimiter or the end of the record may follow.
        if (i < n && text[i] !== delimiter && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          error ??= `field ${fields.length + 1} has characters after its closing quote (a quote inside a field must be doubled: "")`
          while (i < n && text[i] !== delimiter && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) field += text[i++]
        }
      } else {
        const from = i
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) i++
        field = text.slice(from, i)
        if (field.includes('"')) error ??= `field ${fields.length + 1} holds a quote but is not quoted (quote the field and double the quote: "")`
      }
      fields.push(field)
      if (i < n && text[i] === delimiter) {
        i++
        continue
      }
      // End of record: CRLF, LF or end of text.
      if (text[i] === '\r') i++
      if (text[i] === '\n') {
        i++
        line++
      }
      break
    }
    out.push(error === undefined ? { line: start, fields } : { line: start, fields, error })
  }
  return out
}

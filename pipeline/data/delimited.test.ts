import { describe, expect, it } from 'vitest'
import { parseDelimited } from './index.ts'

const csv = (text: string) => parseDelimited(text, { delimiter: ',', quoting: true })

describe('parseDelimited as CSV (RFC 4180)', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks, with CRLF record ends', () => {
    const out = csv('a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n1,,3\r\n')
    expect(out).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\r\nlines'] },
      { line: 4, fields: ['1', '', '3'] },
    ])
  })

  it('accepts LF line ends, a missing final line break, a UTF-8 BOM, and skips blank lines', () => {
    expect(csv('\ufeffa,b\n\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
    ])
  })

  it('keeps empty quoted fields and a trailing empty field', () => {
    expect(csv('"",x,\n')).toEqual([{ line: 1, fields: ['', 'x', ''] }])
  })

  it('reports a record with characters after a closing quote, or a bare quote, without losing the next records', () => {
    const out = csv('a,b\n"x"y,1\nq"uote,2\n3,4\n')
    expect(out[1]).toMatchObject({ line: 2, error: expect.stringContaining('characters after its closing quote') })
    expect(out[2]).toMatchObject({ line: 3, error: expect.stringContaining('holds a quote but is not quoted') })
    expect(out[3]).toEqual({ line: 4, fields: ['3', '4'] })
  })

  it('reports a quoted field that is never closed', () => {
    expect(csv('a,"open\n1,2\n')).toEqual([{ line: 1, fields: ['a', 'open\n1,2\n'], error: expect.stringContaining('never closed') }])
  })
})

describe('parseDelimited as TSV (no quoting)', () => {
  it('splits each line at tabs and keeps quotes as text', () => {
    expect(parseDelimited('ham\tHe said "ok\r\nspam\t""Free""\n', { delimiter: '\t', quoting: false })).toEqual([
      { line: 1, fields: ['ham', 'He said "ok'] },
      { line: 2, fields: ['spam', '""Free""'] },
    ])
  })
})

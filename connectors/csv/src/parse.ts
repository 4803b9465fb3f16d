import { parse } from 'csv-parse/sync'

const DELIMITERS = [',', ';', '\t']

/** RFC 4180 CSV through csv-parse: `,` `;` or tab, whichever the header line holds most of; blank rows dropped. */
export function parseCsv(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const header = body.slice(0, body.search(/\r?\n|$/))
  const delimiter = DELIMITERS.reduce((best, d) => (count(header, d) > count(header, best) ? d : best))
  return parse(body, {
    delimiter,
    relax_column_count: true,
    // blanks around fields go, so a line of spaces is an empty record and is dropped
    trim: true,
    skip_records_with_empty_values: true,
  }) as string[][]
}

const count = (line: string, ch: string) => line.split(ch).length - 1

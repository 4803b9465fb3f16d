/** What a progress display needs of a running sync (GET /api/integrations/:id's `progress`). */
export interface ProgressFigures {
  pages: number
  people: number
  totalPeople: number | null
}

const BAR_WIDTH = 24
const POLL_MS = 250
/** without a terminal, a line when the figures change, at most this often */
const LINE_EVERY_MS = 2000

/** "120 of 480 people, 3 pages" with a bar when the total is known; a spinner-free count otherwise. */
export function progressText(progress: ProgressFigures, bar: boolean): string {
  const pages = `${progress.pages} ${progress.pages === 1 ? 'page' : 'pages'}`
  const { people, totalPeople } = progress
  if (totalPeople === null || totalPeople <= 0) return `${people} people so far, ${pages}`
  const share = Math.min(1, people / totalPeople)
  const counts = `${people} of ${totalPeople} people (${Math.floor(share * 100)} %), ${pages}`
  if (!bar) return counts
  const filled = Math.round(share * BAR_WIDTH)
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${counts}`
}

export interface ProgressOutput {
  write(text: string): unknown
  isTTY?: boolean
}

/**
 * Shows a running sync's progress on `out` (stderr: stdout carries the run) until the returned
 * stop is called: one bar rewritten in place on a terminal, plain lines when the figures change
 * otherwise. A failed read is skipped; the display never fails the sync.
 */
export function showProgress(read: () => Promise<ProgressFigures | null>, out: ProgressOutput): () => void {
  const tty = out.isTTY === true
  let shown = ''
  let lastLine = 0
  let reading = false
  const poll = async () => {
    if (reading) return
    reading = true
    // a failed read skips one redraw and the next poll asks again; the sync itself reports its own errors
    const progress = await read().catch(() => null)
    reading = false
    if (!progress || timer === null) return
    const text = progressText(progress, tty)
    if (text === shown) return
    if (tty) {
      out.write(`\r\x1b[2K${text}`)
      shown = text
    } else if (Date.now() - lastLine >= LINE_EVERY_MS) {
      out.write(`${text}\n`)
      shown = text
      lastLine = Date.now()
    }
  }
  let timer: NodeJS.Timeout | null = setInterval(() => void poll(), POLL_MS)
  return () => {
    if (timer) clearInterval(timer)
    timer = null
    if (tty && shown) out.write('\r\x1b[2K')
  }
}

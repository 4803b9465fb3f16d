// axe-core in the page the end-to-end test is looking at: the WCAG 2 A and AA rules and axe's best
// practices (the landmarks, such as one main per page, are among them), one line per violation.
// Every violation counts, serious and critical ones and the moderate landmark and heading rules alike.
import axe from 'axe-core'
import type { Page } from 'playwright-core'

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

interface Violation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/** What axe finds on the page as it is now, e.g. "color-contrast (serious): … at .badge"; [] when nothing. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // a hash change keeps the page and its axe; a load (page.goto) needs it again
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source })
  const found = await page.evaluate(async (tags) => {
    const { violations } = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    })
    return violations.map(
      (violation): Violation => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      }),
    )
  }, TAGS)
  return found.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} at ${violation.targets.slice(0, 5).join(', ')}${violation.targets.length > 5 ? ` and ${violation.targets.length - 5} more` : ''}`,
  )
}

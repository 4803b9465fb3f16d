/** The rejections nobody handled while `action` ran and shortly after (a late one surfaces a turn later). */
export async function unhandledDuring(action: () => Promise<unknown>): Promise<unknown[]> {
  const unhandled: unknown[] = []
  const note = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', note)
  try {
    await action()
    await new Promise((resolve) => setTimeout(resolve, 50))
  } finally {
    process.off('unhandledRejection', note)
  }
  return unhandled
}

// A plugin whose host dies without shutting it down (SIGKILL, a crash) would live on as an orphan
// (go-plugin#10). Its parent pid changes when that happens: exit then.
const POLL_MS = 500

export function watchParent(onGone: () => void = () => process.exit(1)): void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid !== parent) onGone()
  }, POLL_MS)
  timer.unref()
}

// A plugin whose host dies without shutting it down (SIGKILL, a crash) would live on as an orphan
// (go-plugin#10). On unix its parent pid changes when that happens; Windows keeps the old parent pid, so the
// parent is also checked for being alive. Exit then.
const POLL_MS = 500

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function watchParent(onGone: () => void = () => process.exit(1)): void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid !== parent || !alive(parent)) onGone()
  }, POLL_MS)
  timer.unref()
}

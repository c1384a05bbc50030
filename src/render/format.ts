// Number formatting shared by every renderer: three significant figures, units a person reads at a glance.

export function formatNs(ns: number | undefined): string {
  if (ns === undefined || !Number.isFinite(ns)) return '-'
  if (ns < 1000) return `${sig(ns)} ns`
  if (ns < 1e6) return `${sig(ns / 1e3)} µs`
  if (ns < 1e9) return `${sig(ns / 1e6)} ms`
  return `${sig(ns / 1e9)} s`
}

export function formatMs(ms: number | undefined): string {
  return ms === undefined ? '-' : formatNs(ms * 1e6)
}

export function formatRatio(value: number | undefined): string {
  return value === undefined ? '-' : `${sig(value)}x`
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '-'
  if (bytes >= 1024 * 1024 * 1024) return `${sig(bytes / 1024 ** 3)} GiB`
  if (bytes >= 1024 * 1024) return `${sig(bytes / 1024 ** 2)} MiB`
  if (bytes >= 1024) return `${sig(bytes / 1024)} KiB`
  return `${bytes} B`
}

export function formatCount(n: number | undefined): string {
  if (n === undefined) return '-'
  return n >= 1e6 ? `${sig(n / 1e6)}M` : n >= 1e3 ? `${sig(n / 1e3)}k` : String(Math.round(n))
}

function sig(value: number): string {
  if (value >= 100) return String(Math.round(value))
  // Two significant digits below 0.01, where two decimals would print 0 (8.6k calls/s over a 3M/s floor is 0.0028x).
  if (value > 0 && value < 0.01) return String(Number(value.toPrecision(2)))
  if (value >= 10) return value.toFixed(1).replace(/\.0$/, '')
  return value.toFixed(2).replace(/\.?0+$/, '')
}

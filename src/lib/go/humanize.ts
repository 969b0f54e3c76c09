// go-humanize's RelTime(then, now, "ago", "from now") (v1.0.1), which talosctl uses for certificate expiry:
// "10 years from now", "2 years from now", "3 days ago". A year is 360 days and a month 30 days, as there.

const second = 1000
const minute = 60 * second
const hour = 60 * minute
const day = 24 * hour
const week = 7 * day
const month = 30 * day
const year = 12 * month
const longTime = 37 * year

// [upper bound (exclusive), format, divisor]; `%d` is diff / divisor, `%s` the label.
const magnitudes: Array<[number, string, number]> = [
  [second, 'now', second],
  [2 * second, '1 second %s', 1],
  [minute, '%d seconds %s', second],
  [2 * minute, '1 minute %s', 1],
  [hour, '%d minutes %s', minute],
  [2 * hour, '1 hour %s', 1],
  [day, '%d hours %s', hour],
  [2 * day, '1 day %s', 1],
  [week, '%d days %s', day],
  [2 * week, '1 week %s', 1],
  [month, '%d weeks %s', week],
  [2 * month, '1 month %s', 1],
  [year, '%d months %s', month],
  [18 * month, '1 year %s', 1],
  [2 * year, '2 years %s', 1],
  [longTime, '%d years %s', year],
  [Number.POSITIVE_INFINITY, 'a long while %s', 1],
]

export function relTime(then: Date, now: Date, pastLabel = 'ago', futureLabel = 'from now'): string {
  let diff = now.getTime() - then.getTime()
  let label = pastLabel
  if (then.getTime() > now.getTime()) {
    label = futureLabel
    diff = -diff
  }
  const [, format, divisor] = magnitudes.find(([bound]) => bound > diff)!
  return format.replace('%d', String(Math.floor(diff / divisor))).replace('%s', label)
}

/**
 * Which environments count as production for the console's confirmations: a name with a `prod` or
 * `production` word (`cgap-prod`, `prod-eu`). The config has no such flag yet; when it gets one, this
 * is the one place to read it.
 */
export function isProduction(environment: string): boolean {
  return /(^|[-_.])prod(uction)?([-_.]|$)/i.test(environment);
}

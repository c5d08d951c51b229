/**
 * Which environments the console asks to type the name of before an action: production ones, as the
 * API's status says (`production: true` in the config, which the API enforces on deploy, rollback and
 * scale), and, as a safety net where the status is not at hand or the flag not set, a name with a
 * `prod` or `production` word (`cgap-prod`, `prod-eu`).
 */
export function isProduction(environment: string, status?: { production?: boolean | undefined }): boolean {
  return status?.production === true || /(^|[-_.])prod(uction)?([-_.]|$)/i.test(environment);
}

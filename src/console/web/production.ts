/**
 * Which environments the console asks to type the name of before an action: those the API's status
 * flags production (`production: true` in the config, which the API enforces on deploy, rollback and
 * scale). One source: the config, not a guess from the name.
 */
export function isProduction(status?: { production?: boolean | undefined }): boolean {
  return status?.production === true;
}

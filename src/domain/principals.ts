/** Matching a caller's ARN against allow-lists of principal patterns. Imports nothing. */

/**
 * The IAM identities a caller's ARN stands for. An assumed-role session
 * (`arn:aws:sts::123:assumed-role/Name/session`) is also its role (`arn:aws:iam::123:role/Name`).
 */
function principalIdentities(principal: string): string[] {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  return session
    ? [principal, `arn:${session[1] ?? 'aws'}:iam::${session[2] ?? ''}:role/${session[3] ?? ''}`]
    : [principal];
}

function patternMatches(pattern: string, identity: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(identity);
}

/** Whether the principal (or the role its session assumed) matches one of the patterns (`*` matches any run). */
export function principalListed(patterns: readonly string[], principal: string): boolean {
  const identities = principalIdentities(principal);
  return patterns.some((pattern) => identities.some((identity) => patternMatches(pattern, identity)));
}

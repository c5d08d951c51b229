/**
 * Walking a config document as read from YAML, before validation: anything may be missing or of the
 * wrong type there, and the schema reports that afterwards; these helpers only skip what is not an object.
 */

export type DocumentObject = Record<string, unknown>;

export function isObject(value: unknown): value is DocumentObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a record whose values are objects (`services`, `queues`, ...). */
export function objectEntries(value: unknown): [string, DocumentObject][] {
  return isObject(value)
    ? Object.entries(value).filter((entry): entry is [string, DocumentObject] => isObject(entry[1]))
    : [];
}

/** Each environment of a config document, by name. */
export function environmentsOf(document: unknown): [string, DocumentObject][] {
  return isObject(document) ? objectEntries(document.environments) : [];
}

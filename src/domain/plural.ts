/** `1 task`, `3 tasks`: counts in the words a person reads (the CLI's and the core's messages alike). */
export function plural(count: number, word: string): string {
  return `${String(count)} ${word}${count === 1 ? '' : 's'}`;
}

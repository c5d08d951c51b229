import type { Said } from '../words.js';

/** A state in words (words.ts) as a coloured pill; colour is never the only sign (the word is there). */
export function Badge({ said }: { said: Said }) {
  return <span class={`badge ${said.tone}`}>{said.word}</span>;
}

import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError } from './errors.js';
import { formatProblem, type ConductorSource } from './located-problems.js';
import { parseConductorConfig } from './load.js';
import type { ConductorConfig } from './schema.js';

/**
 * Reads a YAML (or JSON) config file as written, unvalidated: serverless variables such as
 * `${cf:stack.Output}` stay plain strings, and names left to a `stack` stay missing. A YAML syntax
 * error throws, alone and located: the schema's view of a half-read document would only bury it.
 */
export function readConductorDocument(path: string): unknown {
  const source = readConductorSource(path);
  if (source.syntaxErrors.length > 0) {
    throw new ConfigError(source.syntaxErrors.map((error) => formatProblem(path, { path: '(yaml)', ...error })));
  }
  return source.document;
}

/** Reads and validates a config file that takes no names from a stack (or has them filled in). */
export function readConductorConfigFile(path: string): ConductorConfig {
  return parseConductorConfig(readConductorDocument(path));
}

/** A config file with the positions of its nodes, so a problem can be shown where it is written. */
export function readConductorSource(path: string): ConductorSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locate = (documentPath: readonly PropertyKey[]) => {
    let node: unknown = doc.contents;
    let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
    for (const segment of documentPath) {
      const child = childOf(node, String(segment));
      if (!child) break;
      offset = child.at ?? offset;
      node = child.node;
    }
    return position(offset);
  };
  const syntaxErrors = doc.errors.map((error) => ({
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
    // The position is given apart; the message need not repeat it.
    message: (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ''),
  }));
  return { document: doc.toJS() as unknown, syntaxErrors, locate };
}

/** A map entry (at its key) or a sequence item, by key or index. */
function childOf(node: unknown, segment: string): { node: unknown; at: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
    return pair && { node: pair.value, at: (pair.key as Node).range?.[0] };
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)];
    return item === undefined ? undefined : { node: item, at: isNode(item) ? item.range?.[0] : undefined };
  }
  return undefined;
}

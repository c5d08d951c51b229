import type { StackFacts } from './stack-rules.js';

/** Types shared by the stack-name resolution's files (stack-names, stack-environment, stack-outputs). */

/** What resolving reads of AWS. */
export interface StackNameSource {
  /** The stack's status, parameters, outputs and resources; undefined when there is no such stack. */
  readStack(name: string, region: string | undefined): Promise<StackFacts | undefined>;
  /** Whether a queue of that name exists, for queues the stack does not hold. */
  queueExists(name: string, region: string | undefined): Promise<boolean>;
}

/** One name filled in, for the log and for tests: where in the config, what, and from where. */
export interface ResolvedName {
  path: string;
  value: string | string[];
  from: string;
}

/** What one environment's resolution shares: its stack, where it is, and what was found so far. */
export interface EnvironmentContext {
  at: string;
  name: string;
  region: string | undefined;
  stack: StackFacts;
  source: StackNameSource;
  names: ResolvedName[];
  problems: string[];
  /** The stack and those its `*StackNameParameter` parameters name, each read once. */
  outputStacks: () => Promise<{ stacks: StackFacts[]; searched: string }>;
}

import { ConfigError, parseConductorConfig } from '../../src/config/load.js';

/** The problems the config parser reports for `document`; fails the test if it is accepted. */
export function problemsOf(document: unknown): string[] {
  try {
    parseConductorConfig(document);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('config was accepted');
}

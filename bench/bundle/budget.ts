import { readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';

/** bench/bundle/budget.json: the largest .mjs bundle each function may have, in bytes. */
const budgetSchema = z.strictObject({
  $comment: z.string().optional(),
  headroomPercent: z.number().min(0).max(100),
  maxBundleBytes: z.record(z.string(), z.int().positive()),
});

export type Budget = z.output<typeof budgetSchema>;

export function readBudget(path: string): Budget {
  return budgetSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export interface BudgetCheck {
  name: string;
  bytes: number;
  /** Undefined when the function has no budget yet: that fails the check too. */
  max: number | undefined;
  within: boolean;
}

export function checkBudget(budget: Budget, bundles: readonly { name: string; bytes: number }[]): BudgetCheck[] {
  return bundles.map(({ name, bytes }) => {
    const max = budget.maxBundleBytes[name];
    return { name, bytes, max, within: max !== undefined && bytes <= max };
  });
}

/** A budget `headroomPercent` above today's sizes, rounded up to whole kilobytes. */
export function budgetFor(bundles: readonly { name: string; bytes: number }[], headroomPercent: number): Budget {
  return {
    $comment:
      'Largest .mjs bundle per function (bytes). npm run bench:bundle fails when one grows past it; `-- --write-budget` resets it to the sizes measured plus the headroom.',
    headroomPercent,
    maxBundleBytes: Object.fromEntries(
      bundles.map(({ name, bytes }) => [name, Math.ceil((bytes * (1 + headroomPercent / 100)) / 1000) * 1000]),
    ),
  };
}

export function writeBudget(path: string, budget: Budget): void {
  writeFileSync(path, `${JSON.stringify(budget, null, 2)}\n`);
}

import { normal, randomStream, SALT } from './random.js';
import type { World } from './scenario.js';

const LAUNCH_INTERVAL_SECONDS = 600;

/**
 * Fargate's start times, lognormal around the median and clipped to the world's range. The n-th task
 * a service starts within a 10-minute interval starts as fast under every policy (common random
 * numbers): no policy's starts are luckier than another's.
 */
export class FargateStarts {
  private launches = { interval: -1, count: 0 };

  constructor(private readonly world: Pick<World, 'seed' | 'startLatency'>) {}

  /** Seconds until a task launched at `now` runs. */
  next(now: number): number {
    const interval = Math.floor(now / LAUNCH_INTERVAL_SECONDS);
    this.launches = { interval, count: interval === this.launches.interval ? this.launches.count + 1 : 0 };
    const random = randomStream(this.world.seed, SALT.startLatency, interval, this.launches.count);
    const { minSeconds, medianSeconds, maxSeconds } = this.world.startLatency;
    return Math.min(maxSeconds, Math.max(minSeconds, medianSeconds * Math.exp(0.35 * normal(random))));
  }
}

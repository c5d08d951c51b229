import { randomStream, SALT } from './random.js';

/**
 * Phantom counts: now and then an empty SQS queue reports a message or two that are not there, for
 * about a minute (kedacore/keda#7845: "+1 or +2 for a minute", visible or in flight). Episodes are a
 * Poisson process fixed by the seed, so every policy reading at the same moment sees the same one.
 */
export interface Phantom {
  from: number;
  to: number;
  extra: number;
  where: 'visible' | 'inFlight';
}

export class PhantomEpisodes {
  private readonly episodes: Phantom[] = [];
  private readonly random: () => number;
  private generatedUntil = 0;

  constructor(
    seed: number,
    private readonly perDay: number,
    private readonly seconds: number,
  ) {
    this.random = randomStream(seed, SALT.phantoms);
  }

  /** The episode covering time `at`, if any. */
  at(at: number): Phantom | undefined {
    if (this.perDay <= 0) return undefined;
    while (this.generatedUntil <= at) this.generateNext();
    let low = 0;
    let high = this.episodes.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const episode = this.episodes[middle];
      if (episode === undefined) break;
      if (at < episode.from) high = middle - 1;
      else if (at >= episode.to) low = middle + 1;
      else return episode;
    }
    return undefined;
  }

  private generateNext(): void {
    const meanGap = 86_400 / this.perDay;
    const from = this.generatedUntil + -meanGap * Math.log(1 - this.random());
    const extra = this.random() < 0.5 ? 1 : 2;
    const where = this.random() < 0.5 ? 'visible' : 'inFlight';
    this.episodes.push({ from, to: from + this.seconds, extra, where });
    this.generatedUntil = from + this.seconds;
  }
}

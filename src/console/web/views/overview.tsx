import { api } from '../api.js';
import type { EnvironmentList } from '../api-types.js';
import { usePoll } from '../use-poll.js';
import { EnvironmentCard } from './environment-card.js';
import { Problem } from './problem.js';

/** Every environment the caller may read, one card each. */
export function Overview() {
  const { data, problem } = usePoll(() => api<EnvironmentList>('GET', '/environments'), 10_000, 'overview');
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Environments</h1>
      <Problem problem={problem} />
      {data?.environments.length === 0 && <p>There is no environment you may read.</p>}
      <div class="cards">
        {data?.environments.map((env) => (
          <EnvironmentCard key={env.name} name={env.name} />
        ))}
      </div>
    </section>
  );
}

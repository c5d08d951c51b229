import type { ComponentChildren } from 'preact';
import type { ServiceStatus } from '../api-types.js';
import { plural, serviceRolloutSaid, shortDigest } from '../words.js';
import { Badge } from './badge.js';

/** A service is off when ECS does not know it, its rollout failed, or fewer tasks run than it wants. */
export function serviceTrouble(service: ServiceStatus): string | undefined {
  if (service.status === 'MISSING') return 'ECS does not know this service';
  if (service.rolloutState === 'FAILED') return service.rolloutStateReason ?? 'its rollout failed';
  if (service.runningCount !== null && service.desiredCount !== null && service.runningCount < service.desiredCount)
    return `${service.desiredCount - service.runningCount} of ${plural(service.desiredCount, 'task')} not running`;
  return undefined;
}

const count = (value: number | null) => (value === null ? '–' : String(value));

/**
 * The version a service runs first (the release that built its image, else its image's tag), the
 * image's digest after it, short, and the task definition's revision.
 */
function VersionCell({ service }: { service: ServiceStatus }) {
  const digest = service.image?.digest;
  const named = service.version ?? service.image?.tag;
  return (
    <>
      {named ? <span class="mono">{named}</span> : <span class="muted small">no release the conductor knows</span>}
      {digest && (
        <div class="muted small mono" title={digest}>
          {shortDigest(digest)}
        </div>
      )}
      {service.taskDefinition && <div class="muted small">rev {service.taskDefinition.revision}</div>}
    </>
  );
}

/** Each service: desired / running / pending against the configured count, version, rollout state. */
export function ServicesTable({
  services,
  actions,
}: {
  services: ServiceStatus[];
  actions?: (key: string) => ComponentChildren;
}) {
  if (services.length === 0) return <p class="muted">No services configured.</p>;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">service</th>
          <th scope="col" class="num" title="desired / running / pending tasks">
            desired · running · pending
          </th>
          <th scope="col" class="num">
            configured
          </th>
          <th scope="col">version</th>
          <th scope="col">rollout</th>
          {actions && <th scope="col">actions</th>}
        </tr>
      </thead>
      <tbody>
        {services.map((service) => {
          const trouble = serviceTrouble(service);
          return (
            <tr key={service.key} class={trouble ? 'trouble' : undefined}>
              <th scope="row">
                {service.key}
                <div class="muted small">{service.name}</div>
                {trouble && <div class="bad-text small">⚠ {trouble}</div>}
              </th>
              <td class="num">
                {count(service.desiredCount)} · {count(service.runningCount)} · {count(service.pendingCount)}
              </td>
              <td class={`num ${service.desiredCount !== service.configuredDesiredCount ? 'warn-text' : ''}`}>
                {service.configuredDesiredCount}
              </td>
              <td>
                <VersionCell service={service} />
              </td>
              <td>{service.rolloutState ? <Badge said={serviceRolloutSaid(service.rolloutState)} /> : '–'}</td>
              {actions && <td>{actions(service.key)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

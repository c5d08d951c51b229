/**
 * The layers of src/ and the rules between them, checked by dependency-cruiser in `npm test` (and so
 * in CI). docs/architecture.md explains them; `npm run docs:layers` draws them (docs/layers.md).
 *
 *   domain      pure model and decisions            imports nothing outside domain (node: built-ins only)
 *   use-cases   one arc each, ports they declare    domain
 *   contract    the API's wire shapes (zod)         domain
 *   config      the validated config → domain model domain (zod, yaml)
 *   aws         adapters implementing the ports     domain, use-cases (ports), config (its stack port), contract
 *   handlers    Lambda and HTTP edges + their root  everything above; never cli, console, local, packaging
 *   packaging   serverless.yml's generated parts   domain, config, aws
 *   local       local mode's emulator glue          domain, config, aws
 *   api-client  calls the API (tokens or SigV4)     nothing of ours
 *   console     the operator console (server)       domain, config, contract, api-client
 *   console/web the console's browser app           domain, contract
 *   cli         the command line                    everything but handlers, aws and use-cases
 */
const layer = (name) => `^src/${name}/`;
const outside = (...allowed) => `^src/(?!(${allowed.join('|')})/)`;

/** One rule per layer: what it must not import. */
const layerRule = (name, allowed, comment) => ({
  name: `${name.replace('/', '-')}-imports-only-its-layers`,
  comment,
  severity: 'error',
  from: { path: layer(name) },
  to: { path: outside(name, ...allowed) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module reaches itself again through its imports (type-only imports count).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layerRule('domain', [], 'The domain is pure: it owns its model and imports no other layer.'),
    {
      name: 'domain-uses-no-packages',
      comment: 'The domain imports no npm package (Node built-ins only): no AWS, no zod, no config.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    layerRule(
      'use-cases',
      ['domain'],
      'Use cases see the world through the ports they declare, never an adapter or the config.',
    ),
    {
      name: 'use-cases-use-no-packages',
      comment: 'Use cases import no npm package: AWS is reached only through ports.',
      severity: 'error',
      from: { path: layer('use-cases') },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-port-is-a-use-case',
      comment: 'Ports are the world outside the core (AWS, clock, ids): the ports module knows no use case.',
      severity: 'error',
      from: { path: '^src/use-cases/ports\\.ts$' },
      to: { path: '^src/use-cases/' },
    },
    layerRule('contract', ['domain'], 'The API contract describes the domain on the wire.'),
    layerRule('config', ['domain'], 'The config maps onto the domain model at its edge.'),
    layerRule('aws', ['domain', 'use-cases', 'config', 'contract'], 'Adapters implement the ports of the core.'),
    {
      name: 'aws-implements-ports-only',
      comment: 'Of the use cases, an adapter may import only the ports (and their types), never a use case.',
      severity: 'error',
      from: { path: layer('aws') },
      to: { path: '^src/use-cases/', pathNot: '^src/use-cases/(ports|record-scaling-history)\\.ts$' },
    },
    layerRule(
      'handlers',
      ['domain', 'use-cases', 'contract', 'config', 'aws'],
      'Edges call use cases; only the composition root (handlers/wiring.ts) builds adapters.',
    ),
    {
      name: 'only-the-root-builds-adapters',
      comment: 'Handlers reach adapters through handlers/wiring.ts, the Lambdas\u2019 composition root.',
      severity: 'error',
      // events/idempotency.ts builds the event functions' idempotency store: only they bundle it.
      from: { path: layer('handlers'), pathNot: '^src/handlers/(wiring|api|events/idempotency)\\.ts$' },
      to: { path: layer('aws'), pathNot: '^src/aws/errors\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    layerRule('packaging', ['domain', 'config', 'aws'], 'Packaging writes CloudFormation from the config.'),
    layerRule('local', ['domain', 'config', 'aws'], 'Local mode plays AWS around the Lambdas.'),
    layerRule('api-client', [], 'The API client (bearer token or SigV4) that the CLI and the console share.'),
    layerRule(
      'cli',
      ['domain', 'config', 'contract', 'local', 'packaging', 'console', 'api-client'],
      'The CLI talks to the API, drives local mode, and mounts the console command.',
    ),
    layerRule(
      'console',
      ['domain', 'config', 'contract', 'api-client'],
      'The console serves its app and proxies the API.',
    ),
    layerRule(
      'console/web',
      ['domain', 'contract'],
      'The browser app shares the domain\u2019s rules and the API\u2019s types.',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    // Type-only imports are edges too: a domain type taken from the config is an upward arrow.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    reporterOptions: {
      dot: { collapsePattern: '^src/(console/web|[^/]+)/' },
      archi: { collapsePattern: '^src/(console/web|[^/]+)/' },
    },
  },
};

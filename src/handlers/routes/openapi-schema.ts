import * as z from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as JSON Schema placed inside the document. Definitions zod hoists (`$defs`, for
 * recursive schemas) move to `components.schemas` under `<name>.<def>`, their refs rewritten to match.
 */
export function embed(
  schema: z.ZodType,
  io: 'input' | 'output',
  name: string,
  components: Record<string, JsonSchema>,
): JsonSchema {
  const { $defs, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  // The document's dialect is already JSON Schema 2020-12.
  delete rest.$schema;
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
          ? [key, `#/components/schemas/${name}.${inner.slice('#/$defs/'.length)}`]
          : [key, rewrite(inner)],
      ),
    );
  };
  for (const [defName, def] of Object.entries(defs)) components[`${name}.${defName}`] = rewrite(def) as JsonSchema;
  return rewrite(rest) as JsonSchema;
}

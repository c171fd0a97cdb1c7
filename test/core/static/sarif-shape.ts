import * as z from 'zod';

/**
 * The part of the OASIS SARIF 2.1.0 schema (sarif-schema-2.1.0.json, errata 01) that `elb-watchdog
 * check` emits, as strict zod objects: the schema sets `additionalProperties: false` on each of these
 * definitions, so an unknown key fails here as it would fail the schema. Enums, minimums and required
 * keys are the schema's.
 */
const level = z.enum(['none', 'note', 'warning', 'error']);
const propertyBag = z.looseObject({ tags: z.array(z.string()).optional() });
const multiformatMessageString = z.strictObject({ text: z.string(), markdown: z.string().optional(), properties: propertyBag.optional() });
const message = z.strictObject({ text: z.string(), markdown: z.string().optional(), id: z.string().optional(), properties: propertyBag.optional() });
const reportingDescriptor = z.strictObject({
  id: z.string(),
  name: z.string().optional(),
  shortDescription: multiformatMessageString.optional(),
  fullDescription: multiformatMessageString.optional(),
  help: multiformatMessageString.optional(),
  helpUri: z.url().optional(),
  defaultConfiguration: z.strictObject({ enabled: z.boolean().optional(), level: level.optional(), rank: z.number().min(-1).max(100).optional() }).optional(),
  properties: propertyBag.optional(),
});
const region = z.strictObject({ startLine: z.int().min(1), startColumn: z.int().min(1).optional(), endLine: z.int().min(1).optional() });
const physicalLocation = z.strictObject({ artifactLocation: z.strictObject({ uri: z.string(), uriBaseId: z.string().optional() }), region: region.optional() });
const logicalLocation = z.strictObject({ name: z.string().optional(), fullyQualifiedName: z.string().optional(), kind: z.string().optional() });
const result = z.strictObject({
  ruleId: z.string(),
  ruleIndex: z.int().min(-1),
  level,
  message,
  locations: z.array(z.strictObject({ physicalLocation, logicalLocations: z.array(logicalLocation).optional() })),
  properties: propertyBag.optional(),
});
const run = z.strictObject({
  tool: z.strictObject({ driver: z.strictObject({ name: z.string(), version: z.string().optional(), informationUri: z.url().optional(), rules: z.array(reportingDescriptor) }) }),
  results: z.array(result),
});

/** A SARIF 2.1.0 log as `check --format sarif` writes it. */
export const SarifLogShape = z
  .strictObject({ $schema: z.url().optional(), version: z.literal('2.1.0'), runs: z.array(run) })
  // Every result names a rule of the driver by id and index.
  .refine((log) => log.runs.every((r) => r.results.every((res) => r.tool.driver.rules[res.ruleIndex]?.id === res.ruleId)), { message: 'ruleIndex does not point at ruleId' });

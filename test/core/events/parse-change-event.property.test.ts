import fc from 'fast-check';
import { parseChangeEvent } from '../../../lambdas/core/events';
import { CLOUDTRAIL_FIXTURES, cloudTrailFixture } from '../../helpers/fixtures';
import * as fs from 'node:fs';

const FIXTURES = fs
  .readdirSync(CLOUDTRAIL_FIXTURES)
  .filter((f) => f.endsWith('.json') && !['log-file.json', 'lookup-events.json'].includes(f))
  .map((f) => f.replace(/\.json$/, ''));

/** Every path (as keys) inside a JSON value, for mutating one place of a valid record. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Record<string, unknown>);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = replacement;
  return copy;
}

function expectWellFormed(input: unknown): void {
  const parsed = parseChangeEvent(input);
  expect(['change', 'ignored', 'invalid']).toContain(parsed.status);
  if (parsed.status === 'invalid') expect(typeof parsed.field).toBe('string');
}

describe('Property: parseChangeEvent never throws', () => {
  it('on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expectWellFormed(value)), { numRuns: 500 });
  });

  it('on valid records with one place replaced by arbitrary JSON (or removed)', () => {
    const arbitrary = fc
      .constantFrom(...FIXTURES)
      .chain((name) => {
        const record = cloudTrailFixture(name);
        return fc.tuple(fc.constant(record), fc.constantFrom(...paths(record)), fc.option(fc.jsonValue(), { nil: undefined }));
      });
    fc.assert(
      fc.property(arbitrary, ([record, path, replacement]) => expectWellFormed(setAt(record, path, replacement))),
      { numRuns: 1000 },
    );
  });

  it('on valid records wrapped in EventBridge envelopes with arbitrary envelope fields', () => {
    const arbitrary = fc.record({
      source: fc.oneof(fc.constant('aws.elasticloadbalancing'), fc.jsonValue()),
      'detail-type': fc.oneof(fc.constant('AWS API Call via CloudTrail'), fc.jsonValue()),
      detail: fc.oneof(fc.constantFrom(...FIXTURES).map(cloudTrailFixture), fc.jsonValue()),
    });
    fc.assert(fc.property(arbitrary, (event) => expectWellFormed(event)), { numRuns: 300 });
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The directory of the CloudTrail fixtures. */
export const CLOUDTRAIL_FIXTURES = path.join(__dirname, '..', 'fixtures', 'cloudtrail');

/** One CloudTrail fixture (`name` without `.json`), parsed; a fresh copy on every call. */
export function cloudTrailFixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(CLOUDTRAIL_FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

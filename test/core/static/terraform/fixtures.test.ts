import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureText } from '../../../fixtures/terraform/generate';
import { TERRAFORM_FIXTURES } from '../../../helpers/terraform-scenarios';
import { TERRAFORM_FIXTURES_DIR } from './helpers';

describe('Fixtures: test/fixtures/terraform', () => {
  it.each(Object.keys(TERRAFORM_FIXTURES))('%s is what generate.ts writes (regenerate with `npx tsx test/fixtures/terraform/generate.ts`)', (name) => {
    expect(fs.readFileSync(path.join(TERRAFORM_FIXTURES_DIR, name), 'utf8')).toBe(fixtureText(name));
  });

  it('holds no fixture the scenarios do not describe', () => {
    const files = fs.readdirSync(TERRAFORM_FIXTURES_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(TERRAFORM_FIXTURES).sort());
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_POLICY } from '../../lambdas/core/policy';
import { resolvePolicy, WatchdogPolicyError } from '../../lib/watchdog-policy';

describe('Function: resolvePolicy', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchdog-policy-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string): string => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    return at;
  };

  it('is the default policy, in dry-run, when none is given', () => {
    expect(resolvePolicy(undefined, undefined)).toEqual(DEFAULT_POLICY);
    expect(resolvePolicy(undefined, undefined).mode).toBe('dry-run');
  });

  it('lets mode replace the policy\'s mode', () => {
    expect(resolvePolicy(undefined, 'enforce').mode).toBe('enforce');
    expect(resolvePolicy({ version: 1, mode: 'off' }, 'dry-run').mode).toBe('dry-run');
  });

  it('reads a YAML policy file', () => {
    const policy = resolvePolicy(file('ok.yaml', 'version: 1\nmode: enforce\nrules:\n  max-target-share:\n    limitPercent: 60\n'), undefined);
    expect(policy.mode).toBe('enforce');
    expect(policy.rules['max-target-share']).toMatchObject({ limitPercent: 60 });
  });

  it.each([
    ['a misspelt rule in an object', () => resolvePolicy({ version: 1, rules: { 'max-target-shares': {} } }, undefined), /ElbWatchdog: invalid policy: rules\.max-target-shares/],
    ['a bad parameter in a file', () => resolvePolicy(file('bad.yaml', 'rules:\n  max-target-share:\n    limitPercent: "lots"\n'), undefined), /invalid policy file .*bad\.yaml: rules\.max-target-share\.limitPercent/],
    ['a file that is not YAML', () => resolvePolicy(file('broken.yaml', 'rules: [\n'), undefined), /invalid policy file .*broken\.yaml: not valid YAML or JSON/],
    ['a missing file', () => resolvePolicy(path.join(dir, 'missing.yaml'), undefined), /cannot read policy file .*missing\.yaml/],
    ['an unknown mode', () => resolvePolicy(undefined, 'panic' as never), /mode/],
  ])('fails with a clear error on %s', (_case, act, message) => {
    expect(act).toThrow(WatchdogPolicyError);
    expect(act).toThrow(message);
  });

  it('refuses a policy too large for the Lambda environment', () => {
    const overrides = Array.from({ length: 60 }, (_, i) => ({ name: `lb-${i}`, match: { arn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/service-${i}/*` }, mode: 'enforce' }));
    expect(() => resolvePolicy({ version: 1, overrides }, undefined)).toThrow(/bytes as JSON; the Lambda environment carries at most/);
  });
});

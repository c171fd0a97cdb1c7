import { DEFAULT_POLICY, evaluate } from '../../../../lambdas/core/policy';
import type { LoadBalancerSnapshot, Target } from '../../../../lambdas/core/model/snapshot';
import { forward, lb, target, type DraftAction } from '../../../helpers/snapshot-builder';
import { BLUE, GREEN } from '../../../helpers/terraform-scenarios';
import { checkTerraformFixture, findingLines, noteLines } from './helpers';

/**
 * The plan fixtures of test/fixtures/terraform/ (built from HashiCorp's JSON output format,
 * https://developer.hashicorp.com/terraform/internals/json-format, and the AWS provider's schema,
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener and siblings)
 * judged by `check`, next to the verdict the watchdog gives at run time to the same change: the core's
 * `evaluate()` on the snapshots the watchdog would hold before and after, built independently with the
 * snapshot builder. What the plan fully tells must get exactly the runtime's verdict; what it leaves
 * unknown (ids known after apply, Auto Scaling groups) must never add a finding the runtime would not
 * make, and what it skips must be listed as a note at the address.
 */

const blue = (): Target[] => BLUE.map(([id, zone]) => target(id, 'healthy', zone));
const green = (n = 1): Target[] => GREEN.slice(0, n).map(([id, zone]) => target(id, 'healthy', zone));
const scaled = (color: string, n: number): Target[] => Array.from({ length: n }, (_, i) => target(`i-asg-${color}-${i + 1}`, 'healthy', i % 2 === 0 ? 'us-east-1a' : 'us-east-1b'));

interface World {
  readonly blue: Target[];
  readonly green: Target[];
  readonly canary?: Target[];
  readonly http: DraftAction;
  readonly rules?: readonly [number, { path: string }, DraftAction][];
}

function snapshot(world: World): LoadBalancerSnapshot {
  let builder = lb('web').tagged({ env: 'prod' }).group('web-blue', { targets: world.blue }).group('web-green', { targets: world.green });
  if (world.canary !== undefined) builder = builder.group('web-canary', { targets: world.canary });
  builder = builder.listener(80, world.http);
  for (const [priority, conditions, action] of world.rules ?? []) builder = builder.rule(80, priority, conditions, action);
  return builder.build();
}

interface Case {
  /** The runtime's worlds: one when the plan tells everything, several sizes of an Auto Scaling group otherwise. */
  readonly runtime: () => { before: World; after: World }[];
  readonly decision: 'allow' | 'warn' | 'block';
  readonly findings: string[];
  /** Addresses the check lists as not (fully) judged. */
  readonly skipped: string[];
}

const may19 = (): World => ({ blue: blue(), green: green(), http: forward({ 'web-blue': 100, 'web-green': 0 }) });
const SIZES = [1, 2, 4, 8];

const CASES: Record<string, Case> = {
  'flip-by-weights.plan.json': {
    runtime: () => [{ before: may19(), after: { ...may19(), http: forward({ 'web-blue': 0, 'web-green': 100 }) } }],
    decision: 'block',
    findings: [
      'aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%',
      'aws_lb_listener.http: error healthy-target-cut: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%',
    ],
    skipped: [],
  },
  'new-catch-all-rule.plan.json': {
    runtime: () => [{ before: may19(), after: { ...may19(), rules: [[1, { path: '/*' }, forward('web-green')]] } }],
    decision: 'block',
    findings: ['aws_lb_listener_rule.catch_all: error max-target-share: all requests on HTTP:80, rule 1: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%',
        'aws_lb_listener_rule.catch_all: error healthy-target-cut: all requests on HTTP:80, rule 1: would be served by 1 healthy target, was 4 (-75%); limit -50%'],
    skipped: [],
  },
  'removed-attachment.plan.json': {
    runtime: () => [{ before: may19(), after: { ...may19(), blue: blue().slice(0, 1) } }],
    decision: 'block',
    findings: [
      'aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0598c7d356eba48d7 would receive 100%, was 25%; limit 50%',
      'aws_lb_listener.http: error healthy-target-cut: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%',
    ],
    skipped: [],
  },
  'safe-blue-green.plan.json': {
    runtime: () => [{ before: { ...may19(), green: green(4) }, after: { ...may19(), green: green(4), http: forward({ 'web-blue': 50, 'web-green': 50 }) } }],
    decision: 'allow',
    findings: [],
    skipped: [],
  },
  'unknown-values.plan.json': {
    // At apply AWS gives the API rule the next free priority (1) and the canary instances their ids.
    runtime: () => [
      {
        before: may19(),
        after: {
          ...may19(),
          canary: [target('i-0c0ffee000000001'), target('i-0c0ffee000000002', 'healthy', 'us-east-1b')],
          http: forward({ 'web-blue': 80, 'web-green': 0, 'web-canary': 20 }),
          rules: [[1, { path: '/api/*' }, forward('web-green')]],
        },
      },
    ],
    decision: 'allow',
    findings: [],
    skipped: ['aws_lb_listener_rule.api'],
  },
  'unknown-values-no-configuration.plan.json': {
    runtime: () => [
      {
        before: may19(),
        after: { ...may19(), canary: [target('i-0c0ffee000000001')], http: forward({ 'web-blue': 80, 'web-green': 0, 'web-canary': 20 }), rules: [[1, { path: '/api/*' }, forward('web-green')]] },
      },
    ],
    decision: 'allow',
    findings: [],
    skipped: ['aws_lb_listener.http', 'aws_lb_listener_rule.api'],
  },
  'module-flip.plan.json': {
    runtime: () => [{ before: may19(), after: { ...may19(), http: forward({ 'web-blue': 0, 'web-green': 100 }) } }],
    decision: 'block',
    findings: [
      'module.web.aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%',
      'module.web.aws_lb_listener.http: error healthy-target-cut: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%',
    ],
    skipped: [],
  },
  'for-each-flip.plan.json': {
    runtime: () => [{ before: may19(), after: { ...may19(), http: forward({ 'web-blue': 0, 'web-green': 100 }) } }],
    decision: 'block',
    findings: [
      'module.svc["shop"].aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%',
      'module.svc["shop"].aws_lb_listener.http: error healthy-target-cut: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%',
    ],
    skipped: [],
  },
  'auto-scaling-flip.plan.json': {
    runtime: () => SIZES.map((n) => ({ before: { ...may19(), blue: scaled('blue', n) }, after: { ...may19(), blue: scaled('blue', n), http: forward({ 'web-blue': 0, 'web-green': 100 }) } })),
    decision: 'block',
    findings: ['aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%'],
    skipped: ['aws_lb_target_group.blue', 'aws_lb_listener.http'],
  },
  'auto-scaling-blue-green.plan.json': {
    runtime: () =>
      SIZES.flatMap((b) =>
        SIZES.map((g) => ({ before: { ...may19(), blue: scaled('blue', b), green: scaled('green', g) }, after: { ...may19(), blue: scaled('blue', b), green: scaled('green', g), http: forward({ 'web-blue': 0, 'web-green': 100 }) } })),
      ),
    decision: 'allow',
    findings: [],
    skipped: ['aws_lb_target_group.blue', 'aws_lb_target_group.green', 'aws_lb_listener.http'],
  },
};

const SEVERITY = { block: 'error', warn: 'warning' } as const;

describe('Function: checkTerraform on plans', () => {
  describe.each(Object.entries(CASES))('%s', (fixture, expected) => {
    const check = checkTerraformFixture(fixture);
    const worlds = expected.runtime().map(({ before, after }) => evaluate(DEFAULT_POLICY, snapshot(before), snapshot(after)));
    const runtimeFindings = worlds.map((verdict) => verdict.findings.filter((f) => f.severity !== 'info').map((f) => `${SEVERITY[f.severity as 'block' | 'warn']} ${f.ruleId}: ${f.message}`));
    const checkFindings = check.findings.map((f) => `${f.severity} ${f.ruleId}: ${f.message}`);

    it(`is judged ${expected.decision}, at the Terraform addresses`, () => {
      expect(check.verdicts.map((v) => v.decision)).toEqual([expected.decision]);
      expect(findingLines(check)).toEqual(expected.findings);
    });

    it('reports nothing the runtime would not report for the same change', () => {
      for (const found of runtimeFindings) expect(found).toEqual(expect.arrayContaining(checkFindings));
    });

    if (expected.skipped.length === 0) {
      it('gets exactly the verdict the runtime gives (the plan tells everything)', () => {
        expect(runtimeFindings).toEqual([checkFindings]);
        expect(worlds.map((w) => w.decision)).toEqual([expected.decision]);
      });
    } else {
      it('lists what it could not judge at its address (--verbose), where the runtime may judge more', () => {
        const noted = new Set(check.notes.map((n) => n.logicalId));
        expect(expected.skipped.filter((address) => !noted.has(address))).toEqual([]);
        // The runtime does find more in some world: the skip is real, not decoration.
        expect(runtimeFindings.some((found) => found.length > checkFindings.length)).toBe(true);
      });
    }
  });

  it('says why each unknown was skipped', () => {
    expect(noteLines(checkTerraformFixture('unknown-values.plan.json'))).toEqual(['aws_lb_listener_rule.api: new rule not judged: its priority is known only after apply']);
    expect(noteLines(checkTerraformFixture('unknown-values-no-configuration.plan.json'))).toEqual([
      'aws_lb_listener.http: not judged: a target group of its forward is known only after apply; taken as unchanged',
      'aws_lb_listener_rule.api: new rule not judged: its priority is known only after apply',
    ]);
    expect(noteLines(checkTerraformFixture('auto-scaling-flip.plan.json'))).toEqual([
      'aws_lb_target_group.blue: target group web-blue: its targets are unknown (aws_autoscaling_group.blue registers its targets); findings that depend on how many it has are not reported',
      'aws_lb_listener.http: healthy-target-cut not judged: it depends on how many targets web-blue has',
    ]);
  });

  it('counts what it checked, after the change', () => {
    expect(checkTerraformFixture('unknown-values.plan.json').counts).toEqual({ loadBalancers: 1, listeners: 1, rules: 1, targetGroups: 3 });
    expect(checkTerraformFixture('removed-attachment.plan.json').counts).toEqual({ loadBalancers: 1, listeners: 1, rules: 0, targetGroups: 2 });
  });
});

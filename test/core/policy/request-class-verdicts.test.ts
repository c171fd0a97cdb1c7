import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { DEFAULT_POLICY, evaluate, type Decision } from '../../../lambdas/core/policy';
import { applyChange, type ApplicableChange } from '../../../lambdas/core/simulate/apply-change';
import { arns, fixedResponse, forward, lb, redirect, target } from '../../helpers/snapshot-builder';

/**
 * Verdicts across the categories of "Judge where each request goes": whatever call moves a class of
 * requests, the verdict follows where ELB sends each class, before and after.
 */

const fwd = (group: string) => ({ type: 'forward' as const, forward: { targetGroups: [{ targetGroupArn: arns.group(group), weight: 1 }] } });
const after = (s: LoadBalancerSnapshot, ...changes: ApplicableChange[]) => changes.reduce(applyChange, s);
const judge = (before: LoadBalancerSnapshot, afterSnapshot: LoadBalancerSnapshot) => evaluate(DEFAULT_POLICY, before, afterSnapshot);

type Case = [string, LoadBalancerSnapshot, LoadBalancerSnapshot, Decision, string[]];

describe('Verdicts by request class', () => {
  describe('1. rules move traffic between each other (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html: priority order, first match, default last)', () => {
    const site = () => lb().group('big', { healthy: 4 }).group('six', { healthy: 6 }).group('two', { healthy: 2 }).group('one', { healthy: 1 });
    it.each<Case>([
      ['DeleteRule exposes a narrow default', site().listener(80, forward('one')).rule(80, 10, { path: '/*' }, forward('big')).build(),
        after(site().listener(80, forward('one')).rule(80, 10, { path: '/*' }, forward('big')).build(), { eventName: 'DeleteRule', request: { ruleArn: arns.rule(80, 10) } }),
        'block', ['max-target-share', 'healthy-target-cut']],
      ['SetRulePriorities moves a one-target rule ahead of a balanced one that overlaps it',
        site().listener(80, forward('six')).rule(80, 10, { path: '/api/*' }, forward('big')).rule(80, 20, { path: '/*' }, forward('one')).build(),
        after(site().listener(80, forward('six')).rule(80, 10, { path: '/api/*' }, forward('big')).rule(80, 20, { path: '/*' }, forward('one')).build(),
          { eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: arns.rule(80, 20), priority: 5 }] } }),
        'block', ['max-target-share', 'healthy-target-cut']],
      ['ModifyRule only widens conditions: /admin/* → /*', site().listener(80, forward('six')).rule(80, 10, { path: '/admin/*' }, forward('one')).build(),
        after(site().listener(80, forward('six')).rule(80, 10, { path: '/admin/*' }, forward('one')).build(),
          { eventName: 'ModifyRule', request: { ruleArn: arns.rule(80, 10), conditions: [{ field: 'path-pattern', values: ['/*'] }] } }),
        'block', ['max-target-share', 'healthy-target-cut']],
      ['CreateRule of a catch-all in front of a 6-target default, to 2 targets', site().listener(80, forward('six')).build(),
        after(site().listener(80, forward('six')).build(), { eventName: 'CreateRule', request: { listenerArn: arns.listener(80), priority: 1, conditions: [{ field: 'path-pattern', values: ['/*'] }], actions: [fwd('two')] } }),
        'block', ['healthy-target-cut']],
      ['the same cut through ModifyListener', site().listener(80, forward('six')).build(),
        after(site().listener(80, forward('six')).build(), { eventName: 'ModifyListener', request: { listenerArn: arns.listener(80), defaultActions: [fwd('two')] } }),
        'block', ['healthy-target-cut']],
      ['CreateRule sends /api/* to one server while /api/* was served by 4', site().listener(80, forward('six')).rule(80, 10, { path: '/api/*' }, forward('big')).build(),
        after(site().listener(80, forward('six')).rule(80, 10, { path: '/api/*' }, forward('big')).build(),
          { eventName: 'CreateRule', request: { listenerArn: arns.listener(80), priority: 5, conditions: [{ field: 'path-pattern', values: ['/api/*'] }], actions: [fwd('one')] } }),
        'block', ['max-target-share', 'healthy-target-cut']],
      ['a new rule for a narrow class to a balanced group', site().listener(80, forward('six')).build(),
        after(site().listener(80, forward('six')).build(), { eventName: 'CreateRule', request: { listenerArn: arns.listener(80), priority: 5, conditions: [{ field: 'path-pattern', values: ['/api/*'] }], actions: [fwd('big')] } }),
        'allow', []],
    ])('%s → %s', (_name, before, afterSnapshot, decision, ruleIds) => {
      const verdict = judge(before, afterSnapshot);
      expect(verdict.decision).toBe(decision);
      expect([...new Set(verdict.findings.filter((f) => f.severity === 'block').map((f) => f.ruleId))]).toEqual(ruleIds);
    });

    it('names the class in words, with the rule that serves it and the numbers', () => {
      // Prepare
      const before = site().listener(80, forward('six')).rule(80, 10, { path: '/api/*' }, forward('big')).build();
      const afterSnapshot = after(before, { eventName: 'CreateRule', request: { listenerArn: arns.listener(80), priority: 5, conditions: [{ field: 'path-pattern', values: ['/api/*'] }], actions: [fwd('one')] } });

      // Act
      const messages = judge(before, afterSnapshot).findings.map((f) => f.message);

      // Assess
      expect(messages).toEqual([
        'requests to /api/* on HTTP:80, rule 5: i-one-1 would receive 100%, was 0%; limit 50%',
        'requests to /api/* on HTTP:80, rule 5: would be served by 1 healthy target, was 4 (-75%); limit -50%',
      ]);
    });
  });

  describe('2. outcomes other than forward (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)', () => {
    const site = () => lb().group('web', { healthy: 4 });
    it.each<Case>([
      ['the default changed to a fixed-response 503', site().listener(80, forward('web')).build(), site().listener(80, fixedResponse('503')).build(), 'block', ['forward-reaches-targets']],
      ['a rule changed to a fixed-response 503', site().listener(80, forward('web')).rule(80, 10, { path: '/api/*' }, forward('web')).build(),
        site().listener(80, forward('web')).rule(80, 10, { path: '/api/*' }, fixedResponse('503')).build(), 'block', ['forward-reaches-targets']],
      ['a deleted listener that served the site', site().listener(80, forward('web')).listener(443, forward('web')).build(),
        after(site().listener(80, forward('web')).listener(443, forward('web')).build(), { eventName: 'DeleteListener', request: { listenerArn: arns.listener(443) } }), 'block', ['forward-reaches-targets']],
      ['a fixed-response 404 where requests were served (a deliberate refusal is possible)', site().listener(80, forward('web')).build(), site().listener(80, fixedResponse('404')).build(), 'warn', []],
      ['a fixed response that stays as it was', site().listener(80, forward('web')).rule(80, 10, { path: '/old/*' }, fixedResponse('404')).build(),
        site().listener(80, forward('web')).rule(80, 10, { path: '/old/*' }, fixedResponse('404')).build(), 'allow', []],
    ])('%s → %s', (_name, before, afterSnapshot, decision, ruleIds) => {
      const verdict = judge(before, afterSnapshot);
      expect(verdict.decision).toBe(decision);
      expect([...new Set(verdict.findings.filter((f) => f.severity === 'block').map((f) => f.ruleId))]).toEqual(ruleIds);
    });

    it('follows a redirect to the listener it points at and judges the change there', () => {
      // Prepare: HTTP:80 redirects to HTTPS:443 (same host, path, query); 443 is flipped to one server
      const build = (group: string) => lb().group('web', { healthy: 4 }).group('one', { healthy: 1 }).listener(80, redirect()).listener(443, forward(group)).build();

      // Act
      const verdict = judge(build('web'), build('one'));

      // Assess
      expect(verdict.decision).toBe('block');
      expect(verdict.findings.filter((f) => f.ruleId === 'max-target-share').map((f) => f.message)).toEqual([
        'all requests on HTTP:80, the default rule, redirected to HTTPS:443 the default rule: i-one-1 would receive 100%, was 0%; limit 50%',
        'all requests on HTTPS:443, the default rule: i-one-1 would receive 100%, was 0%; limit 50%',
      ]);
    });
  });

  describe('4. health as ELB defines it (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html)', () => {
    it('registering the first target of an empty group is an improvement: a warning, never a block', () => {
      const before = lb().group('web').listener(80, forward('web')).build();
      const verdict = judge(before, lb().group('web', { healthy: 1 }).listener(80, forward('web')).build());
      expect(verdict.decision).toBe('warn');
    });

    it('a group of targets still `initial` is no working route yet: moving traffic onto it is a lost route', () => {
      const build = (group: string) => lb().group('web', { healthy: 4 }).group('new', { initial: 4 }).listener(80, forward(group)).build();
      const verdict = judge(build('web'), build('new'));
      expect(verdict.decision).toBe('block');
      expect(verdict.findings.map((f) => f.ruleId)).toContain('forward-reaches-targets');
    });

    it('SetSubnets that removes a zone concentrates a cross-zone-off group on the zone left (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSubnets.html)', () => {
      // Prepare: 1 target in zone a, 3 in zone b; cross-zone off; zone b is dropped
      const base = lb().crossZoneLb(false).group('web', { targets: [target('a1'), target('b1', 'healthy', 'us-east-1b'), target('b2', 'healthy', 'us-east-1b'), target('b3', 'healthy', 'us-east-1b')] }).listener(80, forward('web')).build();
      const before = { ...base, loadBalancer: { ...base.loadBalancer, subnets: [{ zone: 'us-east-1a', subnetId: 'subnet-a' }, { zone: 'us-east-1b', subnetId: 'subnet-b' }] } };
      const afterSnapshot = applyChange(before, { eventName: 'SetSubnets', request: { loadBalancerArn: before.loadBalancer.arn, subnets: ['subnet-a'] } });

      // Act
      const verdict = judge(before, afterSnapshot);

      // Assess
      expect(verdict.decision).toBe('block');
      expect(verdict.findings[0].message).toBe('all requests on HTTP:80, the default rule: a1 would receive 100%, was 50%; limit 50%');
    });
  });

  describe('5. weights, not membership', () => {
    it('judges a 1/999 cutover to a one-target group as it judges a 0/100 one', () => {
      const build = (blue: number, green: number) => lb().group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue, green })).build();
      const nearly = judge(build(999, 1), build(1, 999));
      const fully = judge(build(100, 0), build(0, 100));
      expect(nearly.decision).toBe('block');
      expect(fully.decision).toBe('block');
      expect(nearly.findings.map((f) => f.ruleId)).toEqual(fully.findings.map((f) => f.ruleId));
    });

    it('judges a 1/999 cutover to a two-target group as it judges a 0/100 one', () => {
      const build = (blue: number, green: number) => lb().group('blue', { healthy: 4 }).group('green', { healthy: 2 }).listener(80, forward({ blue, green })).build();
      expect(judge(build(999, 1), build(1, 999)).decision).toBe(judge(build(100, 0), build(0, 100)).decision);
    });
  });

  describe('6. do no harm', () => {
    it('never blocks moving traffic off a dead group onto the only healthy server, and says why', () => {
      // Prepare: the last known good's group is dead today (its health is today's, as the judge passes it)
      const build = (group: string) => lb().group('web', { unhealthy: 4 }).group('spare', { healthy: 1 }).listener(80, forward(group)).build();

      // Act
      const verdict = judge(build('web'), build('spare'));

      // Assess
      expect(verdict.decision).toBe('warn');
      expect(verdict.findings[0]).toMatchObject({
        ruleId: 'do-no-harm',
        message:
          'not blocked, do no harm: all requests on HTTP:80, the default rule is served by 1 healthy target after the change, 0 healthy targets under the last known good with today\'s health; reverting would leave them worse',
      });
      expect(verdict.findings.every((f) => f.severity !== 'block')).toBe(true);
    });

    it('chaos soak seeds 1353761292 and 1353769211: still blocks when the revert gives the blocked path more than it takes from another', () => {
      // Prepare: /api/* moved from 4 servers to 1 (blocks), while the default path went from a's 4 servers to
      // a 75/25 split with b's one server (about 4.9 servers' worth, more than 4): a revert takes 0.9 from
      // the default path and gives /api/* 3 back.
      const build = (api: string, weights: Record<string, number>) =>
        lb().group('a', { healthy: 4 }).group('b', { healthy: 1 }).listener(80, forward(weights)).rule(80, 10, { path: '/api/*' }, forward(api)).build();

      // Act
      const verdict = judge(build('a', { a: 100, b: 0 }), build('b', { a: 75, b: 25 }));

      // Assess
      expect(verdict.decision).toBe('block');
      expect(verdict.findings.some((f) => f.ruleId === 'do-no-harm')).toBe(false);
    });

    it('still blocks when the change helps nobody', () => {
      const build = (group: string) => lb().group('web', { healthy: 4 }).group('spare', { healthy: 1 }).listener(80, forward(group)).build();
      expect(judge(build('web'), build('spare')).decision).toBe('block');
    });
  });
});

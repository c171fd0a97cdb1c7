import { baselineMacMessage } from '../../../lambdas/core/trust/baseline-mac-message';
import { checkBaseline } from '../../../lambdas/core/trust/check-baseline';
import { foreignArns } from '../../../lambdas/core/trust/foreign-arns';
import { arnsFor, forward, lb } from '../../helpers/snapshot-builder';

const web = lb('web').group('web-blue', { healthy: 4 }).group('web-green', { healthy: 1 }).listener(80, forward({ 'web-blue': 100, 'web-green': 0 })).rule(80, 10, { path: '/api/*' }, forward('web-green'));
const snapshot = web.build();
const arns = web.arns;
const stored = { snapshot, version: 4, storedAt: '2026-05-19T14:00:00.000Z' };

describe('Function: checkBaseline', () => {
  it('trusts a baseline the store vouched for (MAC checked) that names only this load balancer', () => {
    expect(checkBaseline(stored, arns.loadBalancer)).toEqual({ status: 'trusted', stored });
  });

  it('says there is none when nothing is stored', () => {
    expect(checkBaseline(undefined, arns.loadBalancer)).toEqual({ status: 'none' });
  });

  it.each([
    ['mac-invalid', /MAC does not match its content: it was written or changed by someone other than the watchdog/],
    ['mac-missing', /carries no MAC: it was stored before baselines were signed, or written by someone other than the watchdog/],
  ] as const)('rejects a baseline whose MAC is %s, keeping its version for the replacement', (untrusted, reason) => {
    const check = checkBaseline({ untrusted, version: 7, storedAt: stored.storedAt }, arns.loadBalancer);

    expect(check).toEqual({ status: 'rejected', rejection: { code: untrusted, reason: expect.stringMatching(reason), version: 7 } });
  });

  it('rejects a baseline a store without the MAC key could not check (fails safe, never "unchecked but fine")', () => {
    expect(checkBaseline({ ...stored, unverified: true }, arns.loadBalancer)).toMatchObject({ status: 'rejected', rejection: { code: 'mac-unchecked' } });
  });

  it('rejects a correctly signed baseline of another load balancer (stored under this one by a bug or a replay)', () => {
    const api = lb('api').group('api', { healthy: 2 }).listener(80, forward('api')).build();

    const check = checkBaseline({ ...stored, snapshot: api }, arns.loadBalancer);

    expect(check).toMatchObject({ status: 'rejected', rejection: { code: 'foreign-arns', reason: expect.stringContaining(arnsFor('api').loadBalancer) } });
  });
});

describe('Function: foreignArns', () => {
  const otherAccount = (arn: string) => arn.replace(':123456789012:', ':999999999999:');
  const otherRegion = (arn: string) => arn.replace(':us-east-1:', ':eu-west-1:');

  it('finds nothing in a snapshot of this load balancer', () => {
    expect(foreignArns(snapshot, arns.loadBalancer)).toEqual([]);
  });

  it('finds a forward to a target group of another account, and a group of another Region', () => {
    const edited = structuredClone(snapshot);
    const evil = otherAccount(arns.group('web-green'));
    edited.listeners[0].defaultActions[0].forward = { targetGroups: [{ targetGroupArn: evil, weight: 100 }] };
    edited.targetGroups[0].arn = otherRegion(edited.targetGroups[0].arn);

    expect(foreignArns(edited, arns.loadBalancer).sort()).toEqual([evil, otherRegion(arns.group('web-blue'))].sort());
  });

  it("finds a listener and a rule of another load balancer, and a rule filed under the wrong listener", () => {
    const edited = structuredClone(snapshot);
    edited.listeners[0].arn = arnsFor('api').listener(80);
    edited.listeners[0].rules[0].arn = arnsFor('web').rule(443, 10);

    expect(foreignArns(edited, arns.loadBalancer)).toEqual([arnsFor('api').listener(80), arnsFor('web').rule(443, 10)]);
  });
});

describe('Function: baselineMacMessage', () => {
  const fields = { loadBalancerArn: arns.loadBalancer, version: 3, storedAt: stored.storedAt, eventId: 'e1', snapshotSha256: 'ab'.repeat(32) };
  const text = (f: Parameters<typeof baselineMacMessage>[0]) => new TextDecoder().decode(baselineMacMessage(f));

  it('names its scheme and every field, in a fixed order', () => {
    expect(text(fields)).toBe(
      `elb-watchdog/baseline-mac/v1\nloadBalancerArn=${arns.loadBalancer}\nversion=3\nstoredAt=${stored.storedAt}\neventId=e1\nsnapshotSha256=${'ab'.repeat(32)}`,
    );
  });

  it('differs when any covered field differs', () => {
    const variants = [fields, { ...fields, version: 4 }, { ...fields, loadBalancerArn: arnsFor('api').loadBalancer }, { ...fields, eventId: undefined }, { ...fields, snapshotSha256: 'cd'.repeat(32) }];

    expect(new Set(variants.map(text)).size).toBe(variants.length);
  });

  it('refuses a value with a line break (it could forge another field)', () => {
    expect(() => baselineMacMessage({ ...fields, eventId: 'e1\nversion=9' })).toThrow(RangeError);
  });
});

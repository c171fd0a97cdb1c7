import { actorOfCaller } from '../../../lambdas/core/events/actor';
import { formatBreakGlass } from '../../../lambdas/core/notify/format-break-glass';

const LB = { arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188', name: 'web' };
const carol = actorOfCaller({ arn: 'arn:aws:iam::123456789012:user/carol', userId: 'AIDAEXAMPLECAROL12345', account: '123456789012' });
const entry = { loadBalancerArn: LB.arn, startedAt: '2026-11-24T10:54:34.000Z', expiresAt: '2026-11-24T11:24:34.000Z', reason: 'CHG-1234: drain blue', by: carol.displayName };

describe('Function: actorOfCaller', () => {
  it('makes an IAM user the actor, shown by the ARN AWS authenticated', () => {
    expect(carol).toEqual({ type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/carol', accountId: '123456789012', principalId: 'AIDAEXAMPLECAROL12345', userName: 'carol', displayName: 'arn:aws:iam::123456789012:user/carol' });
  });

  it('makes an assumed-role session the actor, with its role and session', () => {
    const session = actorOfCaller({ arn: 'arn:aws:sts::123456789012:assumed-role/BreakGlassOperator/dave', userId: 'AROAEXAMPLE:dave' });

    expect(session).toMatchObject({ type: 'AssumedRole', roleArn: 'arn:aws:iam::123456789012:role/BreakGlassOperator', sessionName: 'dave', displayName: 'arn:aws:sts::123456789012:assumed-role/BreakGlassOperator/dave' });
  });
});

describe('Function: formatBreakGlass', () => {
  it('announces a start: who (authenticated), the note apart, why, until when, how to end it', () => {
    const notification = formatBreakGlass({ kind: 'started', loadBalancer: LB, entry, actor: carol, note: 'on behalf of dave' });

    expect(notification.subject).toBe('BREAK-GLASS on web by carol: enforcement suspended until 11:24 UTC');
    expect(notification.body.split('\n').slice(2, 8)).toEqual([
      'Who:    arn:aws:iam::123456789012:user/carol (authenticated by AWS STS)',
      'Note:   on behalf of dave (as given; not verified)',
      `What:   ${LB.arn}`,
      'Why:    CHG-1234: drain blue',
      'Until:  2026-11-24 11:24:34 UTC',
      '',
    ]);
    expect(notification.body).toContain(`End it early: elb-watchdog break-glass --lb ${LB.arn} --end`);
    expect(notification.attributes).toEqual({ kind: 'break-glass', action: 'started', loadBalancer: LB.arn });
  });

  it('announces an early end: who ended it, and whose it was', () => {
    const alice = actorOfCaller({ arn: 'arn:aws:iam::123456789012:user/alice' });

    const notification = formatBreakGlass({ kind: 'ended', loadBalancer: LB, entry, actor: alice, endedAt: '2026-11-24T11:00:00.000Z' });

    expect(notification.subject).toBe('BREAK-GLASS ENDED on web by alice: enforcement resumed');
    expect(notification.body).toContain('Opened: by arn:aws:iam::123456789012:user/carol at 2026-11-24 10:54:34 UTC, to last until 2026-11-24 11:24:34 UTC');
    expect(notification.body).toContain('Ended:  2026-11-24 11:00:00 UTC');
  });
});

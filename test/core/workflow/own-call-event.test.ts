import { isOwnCallEvent } from '../../../lambdas/core/workflow/own-change';

/**
 * `sync-alarms` is nudged by the CloudTrail records of ELBv2 calls; those of the watchdog's own reverts are
 * recognised by the IAM role behind the assumed-role session, as CloudTrail writes it
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 */
const OWN = ['ElbWatchdog-ChangesJudgeRole-AB12'];
const recordBy = (userIdentity: unknown) => ({ source: 'aws.elasticloadbalancing', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'ModifyListener', userIdentity } });

describe('Function: isOwnCallEvent', () => {
  it.each([
    [
      'the judge role, by its session issuer',
      { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/ElbWatchdog-ChangesJudgeRole-AB12/fn', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/ElbWatchdog-ChangesJudgeRole-AB12' } } },
      true,
    ],
    ['the judge role, by its session ARN alone', { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/ElbWatchdog-ChangesJudgeRole-AB12/fn' }, true],
    ['a person', { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' }, false],
    ['another role', { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/deploy-bot/run-7', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/deploy-bot' } } }, false],
    ['no identity (a scheduled nudge)', undefined, false],
  ])('%s', (_what, identity, own) => {
    expect(isOwnCallEvent(recordBy(identity), OWN)).toBe(own);
  });

  it('recognises nothing as its own when it knows no own role, or the event is not an object', () => {
    expect(isOwnCallEvent(recordBy({ arn: 'arn:aws:sts::123456789012:assumed-role/ElbWatchdog-ChangesJudgeRole-AB12/fn' }), [])).toBe(false);
    expect(isOwnCallEvent('ModifyListener', OWN)).toBe(false);
    expect(isOwnCallEvent(null, OWN)).toBe(false);
  });
});

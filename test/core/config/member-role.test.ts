import { memberRoleArn, partitionOf } from '../../../lambdas/core/config/member-role';

describe('Function: memberRoleArn', () => {
  const settings = { ownAccountId: '111111111111', memberRoleName: 'ElbWatchdogRevert' };

  it.each([
    ['a change in its own account', '111111111111', 'us-east-1', settings, undefined],
    ['a change in a member account', '222222222222', 'us-east-1', settings, 'arn:aws:iam::222222222222:role/ElbWatchdogRevert'],
    ['a member account in China', '222222222222', 'cn-north-1', settings, 'arn:aws-cn:iam::222222222222:role/ElbWatchdogRevert'],
    ['a single-account deployment', '222222222222', 'us-east-1', { ownAccountId: '111111111111' }, undefined],
  ])('%s', (_name, account, region, given, expected) => {
    expect(memberRoleArn(account, region, given)).toBe(expected);
  });

  it('knows the GovCloud partition', () => {
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  });
});

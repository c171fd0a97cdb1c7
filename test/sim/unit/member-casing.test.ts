import { javaDate, toCloudTrailShape } from '../../../sim/cloudtrail/member-casing';

describe('CloudTrail: toCloudTrailShape', () => {
  it('lowers only the first letter of member names', () => {
    expect(toCloudTrailShape({ SSLCertificateId: 'x', DNSName: 'y', TargetGroupArn: 'z' }, 'request')).toEqual({ sSLCertificateId: 'x', dNSName: 'y', targetGroupArn: 'z' });
  });

  it.each([
    ['request', 10],
    ['response', '10'],
  ] as const)('types a rule Priority by side (%s → %p)', (side, expected) => {
    expect(toCloudTrailShape({ Priority: '10' }, side)).toEqual({ priority: expected });
  });

  it('types ports, weights and booleans, keeps RedirectConfig.Port a string, and turns empty lists into []', () => {
    const shaped = toCloudTrailShape(
      { Port: '80', Actions: [{ RedirectConfig: { Port: '443', StatusCode: 'HTTP_301' }, ForwardConfig: { TargetGroupStickinessConfig: { Enabled: 'false' }, TargetGroups: [{ Weight: '0' }] } }], AlpnPolicy: '' },
      'response',
    );
    expect(shaped).toEqual({
      port: 80,
      actions: [{ redirectConfig: { port: '443', statusCode: 'HTTP_301' }, forwardConfig: { targetGroupStickinessConfig: { enabled: false }, targetGroups: [{ weight: 0 }] } }],
      alpnPolicy: [],
    });
  });

  it('writes timestamps in the Java style ELBv2 records use', () => {
    expect(javaDate('2016-04-11T17:23:50.000Z')).toBe('Apr 11, 2016 5:23:50 PM');
    expect(javaDate('2016-04-11T00:05:09Z')).toBe('Apr 11, 2016 12:05:09 AM');
    expect(javaDate('not a date')).toBe('not a date');
  });
});

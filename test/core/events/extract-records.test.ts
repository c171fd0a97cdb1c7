import { extractRecords, parseChangeEvent } from '../../../lambdas/core/events';
import { cloudTrailFixture } from '../../helpers/fixtures';

describe('Function: extractRecords', () => {
  it.each<[string, () => unknown, string[]]>([
    ['an EventBridge event', () => cloudTrailFixture('eventbridge-modify-listener'), ['ModifyListener']],
    ['a bare record', () => cloudTrailFixture('register-targets'), ['RegisterTargets']],
    ['a trail log file', () => cloudTrailFixture('log-file'), ['DescribeTargetHealth', 'ModifyListener', 'ModifyListener']],
    ['lookup-events output', () => cloudTrailFixture('lookup-events'), ['ModifyListener', 'DeregisterTargets']],
    ['an array of records and events', () => [cloudTrailFixture('create-rule'), cloudTrailFixture('eventbridge-modify-listener')], ['CreateRule', 'ModifyListener']],
  ])('finds the records in %s', (_name, input, eventNames) => {
    // Act
    const records = extractRecords(input());

    // Assess
    expect(records.map((r) => (r as { eventName: string }).eventName)).toEqual(eventNames);
  });

  describe('a lookup-events item, `{"CloudTrailEvent": ...}`', () => {
    // LookupEvents returns each record as "a JSON string that contains a representation of the event"
    // (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html); a pretty-printed
    // item (`jq '.Events[0] | .CloudTrailEvent |= fromjson'`) holds it as an object instead.
    const item = () => (cloudTrailFixture('lookup-events') as { Events: { CloudTrailEvent: string }[] }).Events[0];
    const asObject = () => ({ ...item(), CloudTrailEvent: JSON.parse(item().CloudTrailEvent) as unknown });

    it.each<[string, () => unknown]>([
      ['whose record is a JSON string', item],
      ['whose record is an object', asObject],
      ['in Events, whose record is an object', () => ({ Events: [asObject()] })],
    ])('finds the record of an item %s', (_name, input) => {
      // Act
      const records = extractRecords(input());

      // Assess
      expect(records).toHaveLength(1);
      expect(parseChangeEvent(records[0])).toMatchObject({ status: 'change', change: { eventName: 'ModifyListener' } });
    });
  });

  it('keeps an unparseable CloudTrailEvent so the parser can report it', () => {
    // Act
    const records = extractRecords({ Events: [{ EventId: 'x', CloudTrailEvent: '{not json' }] });

    // Assess
    expect(records).toEqual(['{not json']);
    expect(parseChangeEvent(records[0])).toMatchObject({ status: 'invalid' });
  });

  it.each([
    ['null', null, []],
    ['a number', 7, [7]],
    ['an object of no known shape', { hello: 'world' }, [{ hello: 'world' }]],
  ])('returns %s as it is (or nothing for null)', (_name, input, expected) => {
    // Act
    const records = extractRecords(input);

    // Assess
    expect(records).toEqual(expected);
  });
});

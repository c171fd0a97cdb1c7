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

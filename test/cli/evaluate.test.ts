import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordResult } from '../../bin/commands/evaluate';
import { runCli } from './run-cli';
import { CLI_FIXTURES, CLOUDTRAIL_FIXTURES, expectErrorLine, jsonOf } from './operator-cli';

const fixture = (name: string) => join(CLI_FIXTURES, name);
const record = (name: string) => join(CLOUDTRAIL_FIXTURES, `${name}.json`);
const BEFORE = ['--before', fixture('web-before.json')];

/** The results of a JSON run: one object for a single record, an array for several. */
const resultsOf = (run: Parameters<typeof jsonOf>[0]): RecordResult[] => [jsonOf<RecordResult | RecordResult[]>(run)].flat();

const summary = (results: RecordResult[]) =>
  results.map((r) => (r.status === 'judged' ? `${r.change.eventName}: ${r.decision}` : r.status === 'ignored' ? `ignored: ${r.reason}` : r.status));

describe('CLI: elb-watchdog evaluate', () => {
  describe('Input: the shapes people have', () => {
    it.each([
      ['an EventBridge event', 'eventbridge-modify-listener', ['ModifyListener: block']],
      ['a bare CloudTrail record', 'modify-listener', ['ModifyListener: block']],
      ['a trail log file', 'log-file', ['ignored: read-only', 'ModifyListener: block', 'ignored: failed-call']],
      ['aws cloudtrail lookup-events output', 'lookup-events', ['ModifyListener: block', 'DeregisterTargets: block']],
    ])('judges %s, one result per record (exit 2: blocked)', async (_shape, name, expected) => {
      // Act
      const result = await runCli(['evaluate', '--event', record(name), ...BEFORE, '--json']);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('');
      expect(summary(resultsOf(result))).toEqual(expected);
    });

    it.each([
      ['a JSON string, as LookupEvents returns it', (record: string) => record],
      ['an object, as after `jq \'.CloudTrailEvent |= fromjson\'`', (record: string) => JSON.parse(record) as unknown],
    ])('judges one lookup-events item {"CloudTrailEvent": ...} whose record is %s', async (_shape, inner) => {
      // Prepare: the first item of lookup-events output (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html)
      const [item] = (JSON.parse(readFileSync(record('lookup-events'), 'utf8')) as { Events: { CloudTrailEvent: string }[] }).Events;
      const stdin = JSON.stringify({ ...item, CloudTrailEvent: inner(item.CloudTrailEvent) }, null, 2);

      // Act
      const result = await runCli(['evaluate', '--event', '-', ...BEFORE, '--json'], { stdin });

      // Assess
      expect({ code: result.code, stderr: result.stderr, results: summary(resultsOf(result)) }).toEqual({ code: 2, stderr: '', results: ['ModifyListener: block'] });
    });

    it('reads stdin with --event - and explains the verdict in text', async () => {
      const result = await runCli(['evaluate', '--event', '-', ...BEFORE, '--text'], { stdin: readFileSync(record('modify-listener'), 'utf8') });

      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/^#1 ModifyListener by deploy\/pipeline-4711 at 2026-05-19 14:02:11 UTC/);
      expect(result.stdout).toMatch(/asks: forward to web-blue \(weight 0\), web-green \(weight 100\)/);
      expect(result.stdout).toMatch(/BLOCK on web/);
      expect(result.stdout).toMatch(/✗ max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%/);
      expect(result.stdout).toMatch(/│ all requests on HTTP:80 │ i-0e5a7b9c1d3f50002 │ web-green\s+│ 0%\s+│ 100%\s+│/);
    });

    it('reports Classic ELB calls as ignored with the reason (exit 0)', async () => {
      const result = await runCli(['evaluate', '--event', record('classic-register-instances'), '--text']);

      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe('#1 ignored (classic-elb): RegisterInstancesWithLoadBalancer is a Classic Load Balancer call (API 2012-06-01)');
    });
  });

  it('prints JSON when stdout is not a terminal (a single record: its result), as scripts and DESIGN expect', async () => {
    const result = await runCli(['evaluate', '--event', record('classic-register-instances')]);

    expect(result.code).toBe(0);
    expect(jsonOf<RecordResult>(result)).toMatchObject({ status: 'ignored', reason: 'classic-elb' });
  });

  describe('Snapshots and policy', () => {
    it('reports the parsed change and says nothing can be judged without a snapshot (exit 0)', async () => {
      const result = await runCli(['evaluate', '--event', record('modify-listener'), '--text']);

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/asks: forward to web-blue \(weight 0\), web-green \(weight 100\)/);
      expect(result.stdout).toMatch(/not judged: nothing can be judged without a snapshot/);
    });

    it('judges a given --after the same as --before with the call applied', async () => {
      const applied = await runCli(['evaluate', '--event', record('modify-listener'), ...BEFORE, '--json']);
      const given = await runCli(['evaluate', '--event', record('modify-listener'), ...BEFORE, '--after', fixture('web-after-flip.json'), '--json']);

      const strip = (r: RecordResult[]) => r.map((x) => (x.status === 'judged' ? { decision: x.decision, findings: x.findings, shares: x.shareChanges } : x));
      expect(given.code).toBe(2);
      expect(strip(resultsOf(given))).toEqual(strip(resultsOf(applied)));
    });

    it('uses --policy: the same change passes a policy that allows one server per path (exit 0)', async () => {
      const result = await runCli(['evaluate', '--event', record('modify-listener'), ...BEFORE, '--policy', fixture('policy-permissive.yaml'), '--json']);

      expect(result.code).toBe(0);
      expect(summary(resultsOf(result))).toEqual(['ModifyListener: allow']);
    });

    it('refuses to judge a call about another load balancer than the snapshot (exit 2, one line)', async () => {
      const other = readFileSync(record('modify-listener'), 'utf8').replaceAll('app/web/50dc6c495c0c9188', 'app/shop/0123456789abcdef');

      const result = await runCli(['evaluate', '--event', '-', ...BEFORE, '--json'], { stdin: other });

      expectErrorLine(result, 2, /^elb-watchdog: 1 of 1 record\(s\) could not be judged: record 1: the call is about .*app\/shop\/.*; the snapshot is of .*app\/web\//);
      expect(jsonOf<RecordResult>(result)).toMatchObject({ status: 'not-judged', reason: 'other-load-balancer' });
    });
  });

  describe('Bad input: one line, exit 2, never a crash', () => {
    it.each([
      ['an unreadable file', ['--event', '/nonexistent/events.json'], /^elb-watchdog: cannot read \/nonexistent\/events\.json: no such file$/],
      ['invalid JSON', ['--event', fixture('truncated.json')], /^elb-watchdog: .*truncated\.json: not valid JSON \(.*\); expected the CloudTrail event$/],
      ['JSON that is not CloudTrail', ['--event', fixture('not-cloudtrail.json')], /^elb-watchdog: 1 of 1 record\(s\) could not be judged: record 1: eventSource: required string is missing$/],
      ['a snapshot that is not one', ['--event', record('modify-listener'), '--before', fixture('not-cloudtrail.json')], /not a load balancer snapshot: schemaVersion: /],
      ['a policy with an unknown rule setting', ['--event', record('modify-listener'), '--policy', fixture('web-before.json')], /^elb-watchdog: .*web-before\.json: /],
      ['a missing --event', [], /^error: required option '--event <file>' not specified$/],
    ])('%s', async (_case, args, pattern) => {
      const result = await runCli(['evaluate', ...args]);

      expectErrorLine(result, 2, pattern);
    });

    it('reads invalid JSON from stdin as bad input too', async () => {
      const result = await runCli(['evaluate', '--event', '-'], { stdin: '{"Records": [' });

      expectErrorLine(result, 2, /^elb-watchdog: stdin: not valid JSON/);
    });
  });

  describe('Option: --metrics (judging with load offline)', () => {
    const metricsFile = (content: unknown): string => {
      const dir = mkdtempSync(join(tmpdir(), 'elb-watchdog-metrics-'));
      const file = join(dir, 'metrics.json');
      writeFileSync(file, JSON.stringify(content));
      return file;
    };

    it('judges with the rates a file gives and says so; without it, by shares', async () => {
      // Prepare: RequestCount per target group and RequestCountPerTarget (Sum):
      // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
      const file = metricsFile({ groups: { 'web-blue': 4000 }, provenCapacity: { 'web-blue': 1050 } });

      // Act
      const withLoad = jsonOf<RecordResult>(await runCli(['evaluate', '--event', record('modify-listener'), ...BEFORE, '--metrics', file, '--json']));
      const without = jsonOf<RecordResult>(await runCli(['evaluate', '--event', record('modify-listener'), ...BEFORE, '--json']));

      // Assess
      if (withLoad.status !== 'judged' || without.status !== 'judged') throw new Error('not judged');
      expect(withLoad.load).toEqual({ basis: 'metrics' });
      expect(withLoad.findings.find((f) => f.ruleId === 'capacity-headroom' && f.severity === 'block')?.message).toMatch(/would receive about 4,000 requests\/min, was 0; no web-blue target has carried more than 1,050\/min in 14 days/);
      expect(without.load).toEqual({ basis: 'shares', reason: 'no --metrics file given' });
    });

    it('names the field of a group the snapshot does not have', async () => {
      const file = metricsFile({ groups: { 'web-purple': 10 } });

      const result = await runCli(['evaluate', '--event', record('modify-listener'), ...BEFORE, '--metrics', file]);

      expectErrorLine(result, 2, /metrics\.groups\.web-purple: no target group "web-purple" in the snapshot of web/);
    });
  });
});

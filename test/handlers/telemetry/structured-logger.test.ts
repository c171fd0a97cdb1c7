import { StructuredLogger } from '../../../lambdas/handlers/telemetry/structured-logger';
import type { LogLevel } from '../../../lambdas/core/config/watchdog-environment';

const AT = new Date('2026-12-07T05:00:00.000Z');

function logger(logLevel: LogLevel, environment: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  const log = new StructuredLogger({ serviceName: 'elb-watchdog-audit', logLevel, write: (line) => lines.push(line), now: () => AT, environment });
  return { log, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('StructuredLogger', () => {
  it('writes one JSON object per line with level, message, timestamp, service and the attributes', () => {
    const { log, lines, parsed } = logger('INFO');
    log.info('change judged', { eventId: 'e-1', decision: 'unsafe' });
    expect(lines[0]).not.toContain('\n');
    expect(parsed()).toEqual([{ level: 'INFO', message: 'change judged', timestamp: '2026-12-07T05:00:00.000Z', service: 'elb-watchdog-audit', eventId: 'e-1', decision: 'unsafe' }]);
  });

  it('drops lines below its level; SILENT drops all', () => {
    const warn = logger('WARN');
    warn.log.debug('d');
    warn.log.info('i');
    warn.log.warn('w');
    warn.log.error('e');
    expect(warn.parsed().map((l) => l.level)).toEqual(['WARN', 'ERROR']);
    const silent = logger('SILENT');
    silent.log.error('e');
    expect(silent.lines).toEqual([]);
  });

  it('writes errors with name, message, location, stack and cause, alone or as an attribute', () => {
    const { log, parsed } = logger('DEBUG');
    const cause = new Error('throttled');
    const error = Object.assign(new TypeError('bad', { cause }), { field: 'WATCHDOG_SCOPE' });
    log.error('not told', error);
    log.error('not handled', { loadBalancerArn: 'arn:lb', error });
    const [alone, within] = parsed();
    for (const line of [alone.error, within.error] as Record<string, unknown>[]) {
      expect(line).toMatchObject({ name: 'TypeError', message: 'bad', field: 'WATCHDOG_SCOPE', cause: { name: 'Error', message: 'throttled' } });
      expect(line.location).toMatch(/structured-logger\.test\.ts:\d+:\d+$/);
      expect(line.stack).toContain('TypeError: bad');
    }
    expect(within.loadBalancerArn).toBe('arn:lb');
  });

  it('adds the X-Ray trace id when Lambda traces the invocation', () => {
    const { log, parsed } = logger('INFO', { _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' });
    log.info('traced');
    expect(parsed()[0].xray_trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });
});

import * as asciichart from 'asciichart';
import { table } from '../output';
import type { DemoResult, TimelineEntry, TrafficSeries } from './outage-replay';

/** The original incident, from its postmortem. */
export const MAY_19 = { minutesToCause: 75, minutesToRestore: 150 } as const;

const n = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function when(entry: TimelineEntry): string {
  if (entry.afterCallMs !== undefined) return `+${seconds(entry.afterCallMs)}`.padEnd(12);
  const minute = entry.simMinute ?? 0;
  return `${minute < 0 ? '' : '+'}${minute} sim min`.padEnd(12);
}

function timelineLines(entries: readonly TimelineEntry[]): string[] {
  return entries.map((e) => `  ${when(e)} ${e.event}${e.detail ? `: ${e.detail}` : ''}`);
}

/** Average per server over a range of minutes of a series. */
function average(series: TrafficSeries, server: string, from: number, to: number): number {
  const s = series.servers.find((x) => x.name === server);
  const picked = series.minutes.map((m, i) => (m >= from && m < to ? (s?.offered[i] ?? 0) : undefined)).filter((v): v is number => v !== undefined);
  return picked.length === 0 ? 0 : Math.round(picked.reduce((a, b) => a + b, 0) / picked.length);
}

function chart(series: TrafficSeries, capacity: number): string[] {
  const green = series.servers.find((s) => s.group === 'web-green');
  const plot = asciichart.plot([green?.offered ?? [], [...series.failedPerMinute]], {
    height: 8,
    format: (x: number) => n(Math.round(x)).padStart(7),
  });
  const first = series.minutes[0] ?? 0;
  return [
    `  ${green?.name ?? 'web-5'}: requests sent to it per minute (upper line at the end; its capacity is ${n(capacity)}),`,
    '  and requests that failed per minute (lower line at the end), by sim minute:',
    ...plot.split('\n').map((line) => `  ${line}`),
    `  ${' '.repeat(9)}minute ${first} … +${series.minutes.at(-1) ?? 0}; the change at minute 0`,
  ];
}

/** The demo as a person reads it in a terminal. */
export function renderDemo(result: DemoResult): string {
  const act1 = result.withWatchdog;
  const act2 = result.withoutWatchdog;
  const lines: string[] = [
    'ELB Watchdog demo: the May 19 outage, replayed on a local AWS stand-in (moto behind our front)',
    '',
    `Load balancer "web", HTTP:80 forwards to web-blue (web-1..web-4, weight 100) and web-green (web-5, weight 0).`,
    `${n(result.requestsPerMinute)} requests a minute; a server handles ${n(result.capacityPerMinute)} a minute, and crashes after ${result.crashAfterMinutes} minutes past that.`,
    '',
    'ACT 1: with ELB Watchdog (enforce mode)',
    ...timelineLines(result.timeline.filter((e) => e.act === 1)),
  ];
  if (act1.verdictNotification) {
    const body = act1.verdictNotification.message.split('\n--- machine-readable ---')[0].trimEnd();
    lines.push('', '  The notification, as people receive it:', ...body.split('\n').map((line) => `  │ ${line}`));
  }
  const rows = act1.traffic.servers.map((s) => [
    `${s.name} (${s.group})`,
    n(average(act1.traffic, s.name, -1000, 0)),
    n(act1.during[s.name] ?? 0),
    n(average(act1.traffic, s.name, 0, 1000)),
  ]);
  lines.push(
    '',
    `  Requests per minute per server (capacity ${n(result.capacityPerMinute)}):`,
    ...table(['server', 'before', `during (${act1.revertedAfterMs === undefined ? '?' : seconds(act1.revertedAfterMs)})`, 'after'], rows)
      .split('\n')
      .map((line) => `  ${line}`),
    '',
    'ACT 2: the same change, no watchdog',
    ...timelineLines(result.timeline.filter((e) => e.act === 2)),
    '',
    ...chart(act2.traffic, result.capacityPerMinute),
    '',
    'THE COMPARISON',
    ...table(
      ['', 'May 19 (the real incident)', 'this replay, with the watchdog'],
      [
        ['time to find the cause', `${MAY_19.minutesToCause} min`, act1.revertedAfterMs === undefined ? 'not found' : `${seconds(act1.revertedAfterMs)}: the notification names the call, who made it and the 100%`],
        ['time to restore service', `${MAY_19.minutesToRestore} min`, act1.revertedAfterMs === undefined ? 'not restored' : `${seconds(act1.revertedAfterMs)}: reverted to the last known good`],
        ['server crashed', 'yes', act1.crashed.length === 0 ? 'no' : `yes (${act1.crashed.join(', ')})`],
      ],
    )
      .split('\n')
      .map((line) => `  ${line}`),
    '',
    result.revertedBeforeCrash
      ? `Result: the unsafe change was reverted ${seconds(act1.revertedAfterMs ?? 0)} after the call; a server needs ${result.crashAfterMinutes} minutes of overload to fall over (without the watchdog: minute ${act2.crashedAtSimMinute}).`
      : 'Result: the watchdog did NOT revert the change before the server fell over.',
    `(${seconds(result.wallMs)} wall time)`,
  );
  return `${lines.join('\n')}\n`;
}

import type { LogLevel } from '../../core/config/watchdog-environment';

/*
 * The handlers' structured logger: one JSON object per line, with the keys the handlers logged through
 * Powertools' Logger (level, message, timestamp, service, xray_trace_id when traced, then the call's own
 * attributes), so CloudWatch Logs Insights queries keep working. Written here because the handlers use
 * four methods of it and Powertools' Logger cost ~20 KB in every Lambda bundle (measured with esbuild's
 * metafile), which the 500 KB target could not spare.
 */

/** Attributes of one log line; an `Error` anywhere at the top level is written as `{ name, message, location, stack, ... }`. */
export type LogAttributes = Readonly<Record<string, unknown>>;

/** Numeric order of the levels: a line is written when its level is at least the logger's. */
const RANK: Readonly<Record<LogLevel, number>> = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, SILENT: 28 };

/** Settings of a logger. */
export interface StructuredLoggerOptions {
  /** The `service` key of every line. */
  readonly serviceName: string;
  /** Lines below this level are dropped; `SILENT` drops all. */
  readonly logLevel: LogLevel;
  /**
   * Where a finished line goes. Default: `process.stdout` directly, not `console`: Lambda's console
   * prefixes each line with a timestamp and request id, and the line would no longer be JSON.
   */
  readonly write?: (line: string) => void;
  /** The clock of `timestamp`. */
  readonly now?: () => Date;
  /** Where `_X_AMZN_TRACE_ID` is read (Lambda sets it per invocation). Default: `process.env`. */
  readonly environment?: Readonly<NodeJS.ProcessEnv>;
}

/** An error as JSON: what `JSON.stringify` would drop (name, message, stack are not enumerable). */
export function formatError(error: Error): Record<string, unknown> {
  const { name, message, stack, cause, ...own } = error as Error & Record<string, unknown>;
  // The first stack frame, `file:line:column`, which the minified bundle's source map resolves.
  const location = /\((.*:\d+:\d+)\)|at (\S+:\d+:\d+)/.exec(stack ?? '');
  return {
    name,
    message,
    location: location?.[1] ?? location?.[2] ?? '',
    stack,
    ...(cause === undefined ? {} : { cause: cause instanceof Error ? formatError(cause) : cause }),
    ...own,
  };
}

/** The `Root=` part of the X-Ray trace header, which Powertools logged as `xray_trace_id`. */
function traceId(environment: Readonly<NodeJS.ProcessEnv>): string | undefined {
  return /Root=([^;]+)/.exec(environment._X_AMZN_TRACE_ID ?? '')?.[1];
}

/** Writes JSON log lines. */
export class StructuredLogger {
  private readonly threshold: number;
  private readonly write: (line: string) => void;
  private readonly now: () => Date;
  private readonly environment: Readonly<NodeJS.ProcessEnv>;

  constructor(private readonly options: StructuredLoggerOptions) {
    this.threshold = RANK[options.logLevel];
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.now = options.now ?? (() => new Date());
    this.environment = options.environment ?? process.env;
  }

  debug(message: string, attributes?: LogAttributes | Error): void {
    this.log('DEBUG', message, attributes);
  }

  info(message: string, attributes?: LogAttributes | Error): void {
    this.log('INFO', message, attributes);
  }

  warn(message: string, attributes?: LogAttributes | Error): void {
    this.log('WARN', message, attributes);
  }

  error(message: string, attributes?: LogAttributes | Error): void {
    this.log('ERROR', message, attributes);
  }

  private log(level: Exclude<LogLevel, 'SILENT'>, message: string, attributes: LogAttributes | Error | undefined): void {
    if (RANK[level] < this.threshold) return;
    // An error passed alone goes under `error`, as Powertools put it.
    const extra = attributes instanceof Error ? { error: attributes } : (attributes ?? {});
    const line: Record<string, unknown> = { level, message, timestamp: this.now().toISOString(), service: this.options.serviceName };
    const trace = traceId(this.environment);
    if (trace !== undefined) line.xray_trace_id = trace;
    for (const [key, value] of Object.entries(extra)) line[key] = value instanceof Error ? formatError(value) : value;
    this.write(JSON.stringify(line));
  }
}

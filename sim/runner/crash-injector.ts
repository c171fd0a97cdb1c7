import * as z from 'zod';
import type { AwsCall } from '../front/codec';
import type { CallHook } from '../front/call-hooks';
import { CrashSpecError, EnvironmentCrashedError } from './errors';
import type { ExecutionEnvironment } from './execution-environment';

/** Service names people use for the signing names the front decodes. */
const SERVICE_ALIASES: Readonly<Record<string, string>> = { elbv2: 'elasticloadbalancing', cloudwatch: 'monitoring', eventbridge: 'events' };

/**
 * Where a function's execution environment dies, seen from outside the handler: at one of its AWS calls.
 * @example { "function": "on-change", "service": "sns", "action": "Publish", "phase": "before", "times": 1 }
 */
export const CrashSpecSchema = z.object({
  /** The function, by its handler name: `on-change`, `route-change`, `audit`, `sync-alarms`, `on-alarm`. */
  function: z.string().min(1),
  /** The service's signing name (`sns`, `elasticloadbalancing`, `dynamodb`, `sqs`, `monitoring`) or `elbv2`, `cloudwatch`. */
  service: z.string().min(1).transform((service) => SERVICE_ALIASES[service] ?? service),
  /** The API action, e.g. `Publish`, `ModifyListener`, `PutItem`, `TransactWriteItems`. */
  action: z.string().min(1),
  /** `before`: the call never reaches AWS. `after`: AWS did it, and the function dies before it sees the answer. */
  phase: z.enum(['before', 'after']),
  /** Only calls whose parameters, as JSON, contain this text (e.g. `"AUDIT#` for an audit record's key). */
  paramsContain: z.string().min(1).optional(),
  /** Matching calls let through before the first crash. */
  skip: z.number().int().min(0).default(0),
  /** Crashes before the rule is spent. */
  times: z.number().int().min(1).default(1),
});

/** A crash spec as callers write it (`skip` 0 and `times` 1 by default). */
export type CrashSpec = z.input<typeof CrashSpecSchema>;

/** One crash the runner injected: what a trace needs to replay it. */
export interface CrashRecord {
  /** 1, 2, ... in the order the crashes happened. */
  readonly sequence: number;
  /** Which rule (1-based, in the order `crashWhen` was called) caused it, and that rule's spec. */
  readonly rule: number;
  readonly spec: z.output<typeof CrashSpecSchema>;
  readonly function: string;
  /** The environment killed, e.g. `on-change#2`, and the Lambda request id of its invocation. */
  readonly environment: string;
  readonly invocation?: string;
  readonly service: string;
  readonly action: string;
  readonly phase: 'before' | 'after';
  /** The front's request id of the call at which it died. */
  readonly callRequestId: string;
  /** Wall-clock time of the crash. */
  readonly at: string;
}

/** A registered crash rule: how often it matched and crashed so far. */
export class CrashRule {
  matched = 0;
  crashed = 0;

  constructor(
    readonly number: number,
    readonly spec: z.output<typeof CrashSpecSchema>,
  ) {}

  /** True once it crashed `times` times. */
  get spent(): boolean {
    return this.crashed >= this.spec.times;
  }

  matches(functionName: string, call: AwsCall, phase: 'before' | 'after'): boolean {
    const { spec } = this;
    if (this.spent || spec.function !== functionName || spec.phase !== phase) return false;
    if (spec.service !== call.service || spec.action !== call.action) return false;
    return spec.paramsContain === undefined || JSON.stringify(call.params).includes(spec.paramsContain);
  }
}

/** Finds the environment (and its function) an access key belongs to. */
export type EnvironmentLookup = (accessKeyId: string | undefined) => ExecutionEnvironment | undefined;

/**
 * Crash injection for the runner: rules say at which call an environment dies; the front hook sees each
 * call of a function's environment, and when a rule matches, kills the environment (before the call
 * reaches AWS, or after AWS answered and before the function sees it) and records the crash.
 */
export class CrashInjector {
  private rules: CrashRule[] = [];
  private records: CrashRecord[] = [];

  /** Adds a rule; throws `CrashSpecError` naming the field when the spec is invalid. */
  add(spec: CrashSpec): CrashRule {
    const parsed = CrashSpecSchema.safeParse(spec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.');
      throw new CrashSpecError(`crash spec ${field}: ${issue.message}`, field);
    }
    const rule = new CrashRule(this.rules.length + 1, parsed.data);
    this.rules.push(rule);
    return rule;
  }

  /** Crashes injected so far, oldest first. */
  list(): CrashRecord[] {
    return [...this.records];
  }

  /** Forgets rules and records (after a stand-in reset). */
  clear(): void {
    this.rules = [];
    this.records = [];
  }

  /** The front hook that applies the rules to the calls of the environments `lookup` knows. */
  hook(lookup: EnvironmentLookup): CallHook {
    return {
      before: async ({ call, requestId }) => ((await this.maybeCrash(lookup, call, requestId, 'before')) ? 'drop' : 'continue'),
      after: async ({ call, requestId }) => void (await this.maybeCrash(lookup, call, requestId, 'after')),
    };
  }

  private async maybeCrash(lookup: EnvironmentLookup, call: AwsCall, callRequestId: string, phase: 'before' | 'after'): Promise<boolean> {
    if (this.rules.length === 0) return false;
    const environment = lookup(call.accessKeyId);
    if (environment === undefined || environment.dead) return false;
    const functionName = environment.spec.functionName;
    const rule = this.rules.find((candidate) => candidate.matches(functionName, call, phase));
    if (rule === undefined) return false;
    rule.matched++;
    if (rule.matched <= rule.spec.skip) return false;
    rule.crashed++;
    this.records.push({
      sequence: this.records.length + 1,
      rule: rule.number,
      spec: rule.spec,
      function: functionName,
      environment: environment.id,
      invocation: environment.invocation,
      service: call.service,
      action: call.action,
      phase,
      callRequestId,
      at: new Date().toISOString(),
    });
    await environment.kill(new EnvironmentCrashedError(`${environment.id} crashed ${phase} ${call.service}:${call.action} (injected)`, functionName));
    return true;
  }
}

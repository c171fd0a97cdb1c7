/**
 * What the local runner needs from a synthesized CloudFormation template of the watchdog: its functions
 * (by the handler tag), KMS keys, queues, table, topic, roles, EventBridge rules with their targets, SQS event
 * source mappings and asynchronous-invocation settings. Reading them from the template, not restating
 * them, means the event patterns, batch sizes and redrive counts tested locally are the ones deployed.
 */

/** A template value that may hold intrinsics (`Ref`, `Fn::GetAtt`, `Fn::Join`). */
export type TemplateValue = unknown;

/** A Lambda function of the template. */
export interface TemplateFunction {
  readonly logicalId: string;
  readonly handler: string;
  readonly environment: Readonly<Record<string, TemplateValue>>;
  /** The function's own role (logical id), whose name its calls carry. */
  readonly roleLogicalId?: string;
  /** Seconds before Lambda stops an invocation (`Timeout`; CloudFormation's default is 3). */
  readonly timeoutSeconds: number;
  /** `ReservedConcurrentExecutions`: at most this many environments at once; undefined = the account's pool. */
  readonly reservedConcurrency?: number;
  /** `MemorySize` in MB (CloudFormation's default is 128). */
  readonly memorySize: number;
}

/** An SQS queue of the template. */
export interface TemplateQueue {
  readonly logicalId: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly visibilityTimeout?: number;
  readonly redrive?: { readonly deadLetterQueue: string; readonly maxReceiveCount: number };
}

/** A rule target that is one of the template's functions. */
export interface TemplateRuleTarget {
  readonly functionLogicalId: string;
  /** The target's constant `Input`, parsed: sent instead of the event. */
  readonly input?: unknown;
}

/** An EventBridge rule: an event pattern or a schedule, its function targets and its queue targets. */
export interface TemplateRule {
  readonly logicalId: string;
  readonly eventPattern?: Readonly<Record<string, unknown>>;
  readonly schedule?: string;
  readonly targets: readonly TemplateRuleTarget[];
  /** Logical ids of the template's SQS queues the rule sends its events to. */
  readonly queueTargets: readonly string[];
}

/** An SQS event source mapping. */
export interface TemplateEventSource {
  readonly functionLogicalId: string;
  readonly queueLogicalId: string;
  readonly batchSize: number;
  readonly reportBatchItemFailures: boolean;
  /** `ScalingConfig.MaximumConcurrency`: concurrent invocations this mapping may make; undefined = no limit of its own. */
  readonly maxConcurrency?: number;
  /** `MaximumBatchingWindowInSeconds`: how long records gather before an invocation; undefined = none. */
  readonly maxBatchingWindowSeconds?: number;
}

/** How a function treats asynchronous invocations. */
export interface TemplateInvokeConfig {
  readonly retries: number;
  readonly onFailureQueue?: string;
}

/** A KMS key of the template (the baselines' HMAC key, the topic's key). */
export interface TemplateKey {
  readonly logicalId: string;
  /** `SYMMETRIC_DEFAULT` when the template names none. */
  readonly keySpec: string;
  /** `ENCRYPT_DECRYPT` when the template names none. */
  readonly keyUsage: string;
}

/** The parts of a template the runner deploys. */
export interface TemplateModel {
  readonly keys: readonly TemplateKey[];
  readonly functions: readonly TemplateFunction[];
  readonly queues: readonly TemplateQueue[];
  readonly tables: readonly { readonly logicalId: string; readonly keySchema: readonly { AttributeName: string; KeyType: string }[]; readonly attributes: readonly { AttributeName: string; AttributeType: string }[] }[];
  readonly topics: readonly string[];
  readonly roles: readonly string[];
  readonly rules: readonly TemplateRule[];
  readonly eventSources: readonly TemplateEventSource[];
  readonly invokeConfigs: ReadonlyMap<string, TemplateInvokeConfig>;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

const refOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'Ref' in value ? String((value as { Ref: unknown }).Ref) : undefined;

const getAttOf = (value: unknown): string | undefined => {
  const getAtt = typeof value === 'object' && value !== null ? (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'] : undefined;
  return Array.isArray(getAtt) ? String(getAtt[0]) : undefined;
};

/** Reads a synthesized template; `handlerTag` names the tag that says which handler a function runs. */
export function readTemplate(template: { Resources?: Record<string, Resource> }, handlerTag: string): TemplateModel {
  const resources = Object.entries(template.Resources ?? {});
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const props = (resource: Resource) => resource.Properties ?? {};

  const functions = ofType('AWS::Lambda::Function').flatMap(([logicalId, resource]) => {
    const tags = (props(resource).Tags as { Key: string; Value: string }[] | undefined) ?? [];
    const handler = tags.find((tag) => tag.Key === handlerTag)?.Value;
    const p = props(resource);
    const variables = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    if (handler === undefined) return [];
    return [
      {
        logicalId,
        handler,
        environment: variables,
        roleLogicalId: getAttOf(p.Role),
        timeoutSeconds: Number(p.Timeout ?? 3),
        memorySize: Number(p.MemorySize ?? 128),
        reservedConcurrency: p.ReservedConcurrentExecutions === undefined ? undefined : Number(p.ReservedConcurrentExecutions),
      },
    ];
  });
  const queues = ofType('AWS::SQS::Queue').map(([logicalId, resource]) => {
    const p = props(resource);
    const redrive = p.RedrivePolicy as { deadLetterTargetArn?: unknown; maxReceiveCount?: number } | undefined;
    const deadLetterQueue = getAttOf(redrive?.deadLetterTargetArn);
    return {
      logicalId,
      fifo: p.FifoQueue === true,
      contentBasedDeduplication: p.ContentBasedDeduplication === true,
      visibilityTimeout: typeof p.VisibilityTimeout === 'number' ? p.VisibilityTimeout : undefined,
      redrive: deadLetterQueue === undefined ? undefined : { deadLetterQueue, maxReceiveCount: Number(redrive?.maxReceiveCount ?? 1) },
    };
  });
  const tables = ofType('AWS::DynamoDB::Table').map(([logicalId, resource]) => ({
    logicalId,
    keySchema: props(resource).KeySchema as { AttributeName: string; KeyType: string }[],
    attributes: props(resource).AttributeDefinitions as { AttributeName: string; AttributeType: string }[],
  }));
  const functionIds = new Set(functions.map((f) => f.logicalId));
  const queueIds = new Set(queues.map((q) => q.logicalId));
  const rules = ofType('AWS::Events::Rule').map(([logicalId, resource]) => {
    const p = props(resource);
    const targets = ((p.Targets as { Arn?: unknown; Input?: unknown }[] | undefined) ?? []).flatMap((target) => {
      const functionLogicalId = getAttOf(target.Arn);
      if (functionLogicalId === undefined || !functionIds.has(functionLogicalId)) return [];
      return [{ functionLogicalId, ...(typeof target.Input === 'string' && { input: JSON.parse(target.Input) as unknown }) }];
    });
    const queueTargets = ((p.Targets as { Arn?: unknown }[] | undefined) ?? [])
      .map((target) => getAttOf(target.Arn))
      .filter((id): id is string => id !== undefined && queueIds.has(id));
    return {
      logicalId,
      eventPattern: p.EventPattern as Record<string, unknown> | undefined,
      schedule: typeof p.ScheduleExpression === 'string' ? p.ScheduleExpression : undefined,
      targets,
      queueTargets,
    };
  });
  const eventSources = ofType('AWS::Lambda::EventSourceMapping').flatMap(([, resource]) => {
    const p = props(resource);
    const functionLogicalId = refOf(p.FunctionName);
    const queueLogicalId = getAttOf(p.EventSourceArn);
    if (functionLogicalId === undefined || queueLogicalId === undefined) return [];
    const types = (p.FunctionResponseTypes as string[] | undefined) ?? [];
    const maxConcurrency = (p.ScalingConfig as { MaximumConcurrency?: unknown } | undefined)?.MaximumConcurrency;
    const window = p.MaximumBatchingWindowInSeconds;
    return [
      {
        functionLogicalId,
        queueLogicalId,
        batchSize: Number(p.BatchSize ?? 10),
        reportBatchItemFailures: types.includes('ReportBatchItemFailures'),
        maxConcurrency: maxConcurrency === undefined ? undefined : Number(maxConcurrency),
        maxBatchingWindowSeconds: window === undefined ? undefined : Number(window),
      },
    ];
  });
  const invokeConfigs = new Map<string, TemplateInvokeConfig>();
  for (const [, resource] of ofType('AWS::Lambda::EventInvokeConfig')) {
    const p = props(resource);
    const functionLogicalId = refOf(p.FunctionName);
    if (functionLogicalId === undefined) continue;
    const onFailure = (p.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination;
    invokeConfigs.set(functionLogicalId, { retries: Number(p.MaximumRetryAttempts ?? 2), onFailureQueue: getAttOf(onFailure) });
  }
  const keys = ofType('AWS::KMS::Key').map(([logicalId, resource]) => ({
    logicalId,
    keySpec: typeof props(resource).KeySpec === 'string' ? (props(resource).KeySpec as string) : 'SYMMETRIC_DEFAULT',
    keyUsage: typeof props(resource).KeyUsage === 'string' ? (props(resource).KeyUsage as string) : 'ENCRYPT_DECRYPT',
  }));
  return {
    keys,
    functions,
    queues,
    tables,
    topics: ofType('AWS::SNS::Topic').map(([logicalId]) => logicalId),
    roles: ofType('AWS::IAM::Role').map(([logicalId]) => logicalId),
    rules,
    eventSources,
    invokeConfigs,
  };
}

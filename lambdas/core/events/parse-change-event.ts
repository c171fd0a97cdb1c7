import { InputValidationError } from '../errors';
import { actorOf } from './actor';
import { isClassicLoadBalancerArn, parseElbArn } from './arn';
import { MUTATING_EVENT_NAMES, type Change, type ChangeEventName, type ChangeRequest, type ParsedEvent } from './change';
import {
  CLASSIC_API_VERSION,
  CLOUDTRAIL_DETAIL_TYPE,
  CloudTrailEventBridgeEventSchema,
  CloudTrailRecordSchema,
  ELB_EVENT_SOURCE,
  ELB_SERVICE,
  ELBV2_API_VERSION,
} from './cloudtrail-schema';
import { parseChangeRequest } from './parse-change-request';
import { isRecord } from './params';
import { touchedResources } from './touched-resources';

const MUTATING = new Set<string>(MUTATING_EVENT_NAMES);
const READ_ONLY_NAME = /^(Describe|Get|List)/;

type Ignored = Extract<ParsedEvent, { status: 'ignored' }>;
type Invalid = Extract<ParsedEvent, { status: 'invalid' }>;

function ignored(reason: string, detail: string, record?: Record<string, unknown>): Ignored {
  const eventId = typeof record?.eventID === 'string' ? record.eventID : undefined;
  const eventName = typeof record?.eventName === 'string' ? record.eventName : undefined;
  return { status: 'ignored', reason, detail, ...(eventId !== undefined && { eventId }), ...(eventName !== undefined && { eventName }) };
}

function invalid(field: string, message: string): Invalid {
  return { status: 'invalid', field, message };
}

/** Classic records say apiVersion 2012-06-01; older ones say nothing, so the parameters' shape decides. */
function isClassicRecord(record: Record<string, unknown>): boolean {
  if (record.apiVersion === CLASSIC_API_VERSION) return true;
  if (record.apiVersion === ELBV2_API_VERSION) return false;
  const params = record.requestParameters;
  if (!isRecord(params)) return false;
  if ('loadBalancerName' in params || 'loadBalancerNames' in params) return true;
  return Object.values(params).some((value) => typeof value === 'string' && isClassicLoadBalancerArn(value));
}

/** Finds the CloudTrail record in an EventBridge event or takes the input as a bare record. */
function unwrap(input: Record<string, unknown>): { record: unknown; prefix: string; account?: string } | Ignored | Invalid {
  if (!('detail-type' in input) && !('detail' in input && 'source' in input)) return { record: input, prefix: '' };
  const envelope = CloudTrailEventBridgeEventSchema.safeParse(input);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    return invalid(issue.path.join('.'), issue.message);
  }
  const event = envelope.data;
  if (event.source !== ELB_EVENT_SOURCE) return ignored('other-source', `EventBridge source ${event.source} is not ${ELB_EVENT_SOURCE}`);
  if (event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
    return ignored('other-detail-type', `detail-type "${event['detail-type']}" is not "${CLOUDTRAIL_DETAIL_TYPE}"`);
  }
  return { record: event.detail, prefix: 'detail.', account: event.account };
}

function parseUnsafe(input: unknown): ParsedEvent {
  if (!isRecord(input)) return invalid('', 'expected a JSON object: an EventBridge event or a CloudTrail record');
  const unwrapped = unwrap(input);
  if ('status' in unwrapped) return unwrapped;
  const { record, prefix } = unwrapped;
  if (!isRecord(record)) return invalid(prefix.slice(0, -1), 'expected the CloudTrail record to be an object');
  if (typeof record.eventSource !== 'string') return invalid(`${prefix}eventSource`, 'required string is missing');
  if (record.eventSource !== ELB_SERVICE) return ignored('other-service', `eventSource ${record.eventSource} is not ${ELB_SERVICE}`, record);
  if (typeof record.eventName !== 'string') return invalid(`${prefix}eventName`, 'required string is missing');
  const name = record.eventName;
  if (record.errorCode !== undefined && record.errorCode !== null && record.errorCode !== '') {
    const why = typeof record.errorMessage === 'string' ? `: ${record.errorMessage}` : '';
    return ignored('failed-call', `${name} failed with ${String(record.errorCode)}${why}; a failed call changed nothing`, record);
  }
  if (typeof record.eventType === 'string' && record.eventType !== 'AwsApiCall') {
    return ignored('not-api-call', `eventType ${record.eventType} is not an API call`, record);
  }
  if (record.readOnly === true || READ_ONLY_NAME.test(name)) return ignored('read-only', `${name} is read-only`, record);
  if (isClassicRecord(record)) return ignored('classic-elb', `${name} is a Classic Load Balancer call (API 2012-06-01)`, record);
  if (!MUTATING.has(name)) return ignored('not-mutating', `${name} is not one of the calls that decide where traffic goes`, record);

  const parsed = CloudTrailRecordSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(prefix + issue.path.join('.'), issue.message);
  }
  const ct = parsed.data;
  const eventName = name as ChangeEventName;
  const request = parseChangeRequest(eventName, ct.requestParameters ?? null, `${prefix}requestParameters`);
  const resources = touchedResources({ eventName, request } as ChangeRequest, ct.responseElements);
  const someArn = [...resources.loadBalancerArns, ...resources.targetGroupArns][0];
  const accountId =
    ct.recipientAccountId ?? unwrapped.account ?? ct.userIdentity?.accountId ?? (someArn ? parseElbArn(someArn)?.accountId : undefined) ?? '';
  const change = {
    eventName,
    eventId: ct.eventID,
    eventTime: ct.eventTime,
    region: ct.awsRegion,
    accountId,
    ...(ct.requestID !== undefined && { requestId: ct.requestID }),
    ...(ct.sourceIPAddress !== undefined && { sourceIpAddress: ct.sourceIPAddress }),
    ...(ct.userAgent !== undefined && { userAgent: ct.userAgent }),
    actor: actorOf(ct.userIdentity),
    resources,
    request,
  } as Change;
  return { status: 'change', change };
}

/**
 * Reads one EventBridge "AWS API Call via CloudTrail" event or one bare CloudTrail record. Never throws:
 * a successful mutating ELBv2 call is a `change`; failed, read-only, Classic, foreign or non-mutating
 * calls are `ignored` with a reason; malformed input is `invalid` naming the field.
 */
export function parseChangeEvent(input: unknown): ParsedEvent {
  try {
    return parseUnsafe(input);
  } catch (error) {
    if (error instanceof InputValidationError) return invalid(error.field ?? '', error.message);
    // A bug of ours must not crash the handler: report it as invalid input with the cause.
    return invalid('', `could not read the event: ${error instanceof Error ? error.message : String(error)}`);
  }
}

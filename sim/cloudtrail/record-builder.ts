import { randomUUID } from 'node:crypto';
import { parseQueryResponse, type Normalized } from '../front/codec';
import type { CallContext, CallOutcome } from '../front/interceptor';
import { toCloudTrailShape } from './member-casing';
import { userIdentity } from './user-identity';

/** A CloudTrail record (the `detail` of the EventBridge event). */
export type CloudTrailRecord = Record<string, unknown>;

/** An event as EventBridge delivers it to rules and targets. */
export interface EventBridgeEvent {
  version: '0';
  /** Replaced by the id the bus assigned once delivered. */
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** CloudTrail's time format: ISO 8601 to the second. */
export function cloudTrailTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Builds the CloudTrail record of one ELBv2 call as AWS writes it (field order included): requestParameters
 * from the request, responseElements from the backend's answer, errorCode/errorMessage when it failed.
 */
export function buildRecord(context: CallContext, outcome: CallOutcome, accountId: string): CloudTrailRecord {
  const { call } = context;
  const body = outcome.answer.body.toString('utf8');
  const parsed = outcome.error ? undefined : parseQueryResponse(body);
  const requestID = outcome.answer.headers['x-amzn-requestid'] ?? parsed?.requestId ?? context.requestId;
  const params = call.params as Record<string, Normalized>;
  return {
    eventVersion: '1.09',
    userIdentity: userIdentity(context.identity, accountId),
    eventTime: cloudTrailTime(context.time),
    eventSource: 'elasticloadbalancing.amazonaws.com',
    eventName: call.action,
    awsRegion: call.region,
    sourceIPAddress: context.sourceIp,
    userAgent: context.userAgent,
    ...(outcome.error ? { errorCode: outcome.error.code, errorMessage: outcome.error.message } : {}),
    requestParameters: Object.keys(params).length > 0 ? toCloudTrailShape(params, 'request') : null,
    responseElements: parsed?.result && Object.keys(parsed.result).length > 0 ? toCloudTrailShape(parsed.result, 'response') : null,
    requestID,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    apiVersion: '2015-12-01',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
  };
}

/** Wraps a CloudTrail record in the "AWS API Call via CloudTrail" event EventBridge delivers. */
export function cloudTrailEvent(record: CloudTrailRecord, accountId: string, region: string): EventBridgeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.elasticloadbalancing',
    account: accountId,
    time: String(record.eventTime),
    region,
    resources: [],
    detail: record,
  };
}

import * as z from '../zod';

/**
 * Schemas of the two shapes a change arrives in: the bare CloudTrail record (trail log files,
 * `lookup-events`, the stand-in's `/_sim/events`) and the EventBridge event that wraps one.
 * They are deliberately lenient where real records vary (every `userIdentity` field may be missing,
 * `requestParameters` may be null) and strict only on what identifies the call.
 */

/** A member that real records sometimes omit, null out, or fill with another type: read as absent. */
const orAbsent = <T extends z.ZodMiniType>(schema: T) => z.catchWith(z.optional(schema), () => undefined);

/** A string field that real records sometimes omit, null out, or fill with another type: read as absent. */
const lenientString = orAbsent(z.string());

/** The session issuer of temporary credentials (the role behind an assumed-role session). */
export const SessionIssuerSchema = z.looseObject({
  type: lenientString,
  principalId: lenientString,
  arn: lenientString,
  accountId: lenientString,
  userName: lenientString,
});

/** The `userIdentity` element: who made the call. Every field is optional in practice. */
export const UserIdentitySchema = z.looseObject({
  type: lenientString,
  principalId: lenientString,
  arn: lenientString,
  accountId: lenientString,
  accessKeyId: lenientString,
  userName: lenientString,
  invokedBy: lenientString,
  sessionContext: orAbsent(z.looseObject({ sessionIssuer: orAbsent(SessionIssuerSchema) })),
});
/** The `userIdentity` element of a CloudTrail record. */
export type UserIdentity = z.infer<typeof UserIdentitySchema>;

/** An object-valued member that may be null or absent (`requestParameters`, `responseElements`). */
const nullableObject = z.nullish(z.record(z.string(), z.unknown()));

/**
 * One CloudTrail record of an API call.
 *
 * @example
 * {
 *   "eventVersion": "1.09",
 *   "userIdentity": { "type": "IAMUser", "principalId": "AIDAJ45Q7YFFAREXAMPLE",
 *     "arn": "arn:aws:iam::123456789012:user/alice", "accountId": "123456789012",
 *     "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "userName": "alice" },
 *   "eventTime": "2026-05-19T14:02:11Z",
 *   "eventSource": "elasticloadbalancing.amazonaws.com",
 *   "eventName": "ModifyListener",
 *   "awsRegion": "us-east-1",
 *   "sourceIPAddress": "198.51.100.7",
 *   "userAgent": "aws-cli/2.17.0 md/command#elbv2.modify-listener",
 *   "requestParameters": {
 *     "listenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
 *     "defaultActions": [{ "type": "forward", "forwardConfig": { "targetGroups": [
 *       { "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/73e2d6bc24d8a067", "weight": 0 },
 *       { "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/2453ed029918f21f", "weight": 100 }] } }]
 *   },
 *   "responseElements": { "listeners": [{ "listenerArn": "arn:...:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2", "port": 80, "protocol": "HTTP" }] },
 *   "requestID": "3c3d8d4a-6f07-4a4e-9d4b-0c2f6b1f0a11",
 *   "eventID": "8a2f1f2e-77b4-4c68-a0a5-3e1b6e0f9d21",
 *   "readOnly": false,
 *   "eventType": "AwsApiCall",
 *   "apiVersion": "2015-12-01",
 *   "managementEvent": true,
 *   "recipientAccountId": "123456789012",
 *   "eventCategory": "Management"
 * }
 */
export const CloudTrailRecordSchema = z.looseObject({
  eventVersion: lenientString,
  userIdentity: orAbsent(UserIdentitySchema),
  eventTime: z.string().check(z.minLength(1)),
  eventSource: z.string().check(z.minLength(1)),
  eventName: z.string().check(z.minLength(1)),
  awsRegion: z.string().check(z.minLength(1)),
  sourceIPAddress: lenientString,
  userAgent: lenientString,
  requestParameters: nullableObject,
  responseElements: z.catchWith(nullableObject, () => null),
  requestID: lenientString,
  eventID: z.string().check(z.minLength(1)),
  readOnly: orAbsent(z.boolean()),
  eventType: lenientString,
  apiVersion: lenientString,
  managementEvent: orAbsent(z.boolean()),
  recipientAccountId: lenientString,
  eventCategory: lenientString,
  errorCode: lenientString,
  errorMessage: lenientString,
});
/** One CloudTrail record of an API call. */
export type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;

/**
 * The EventBridge event "AWS API Call via CloudTrail" for Elastic Load Balancing; `detail` is the record.
 *
 * @example
 * {
 *   "version": "0",
 *   "id": "6f2b9b1c-1d0e-4d1a-9f3e-2c4b5a6d7e8f",
 *   "detail-type": "AWS API Call via CloudTrail",
 *   "source": "aws.elasticloadbalancing",
 *   "account": "123456789012",
 *   "time": "2026-05-19T14:02:11Z",
 *   "region": "us-east-1",
 *   "resources": [],
 *   "detail": { "eventSource": "elasticloadbalancing.amazonaws.com", "eventName": "ModifyListener", "...": "a CloudTrailRecord" }
 * }
 */
export const CloudTrailEventBridgeEventSchema = z.looseObject({
  version: lenientString,
  id: lenientString,
  'detail-type': z.string(),
  source: z.string(),
  account: lenientString,
  time: lenientString,
  region: lenientString,
  resources: orAbsent(z.array(z.unknown())),
  detail: z.unknown(),
});
/** The EventBridge event wrapping a CloudTrail record. */
export type CloudTrailEventBridgeEvent = z.infer<typeof CloudTrailEventBridgeEventSchema>;

/** The EventBridge `source` of Elastic Load Balancing events. */
export const ELB_EVENT_SOURCE = 'aws.elasticloadbalancing';
/** The EventBridge `detail-type` of CloudTrail API-call events. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
/** The CloudTrail `eventSource` of Elastic Load Balancing (Classic and v2 alike). */
export const ELB_SERVICE = 'elasticloadbalancing.amazonaws.com';
/** The `apiVersion` of ELBv2 records; Classic records say `2012-06-01`. */
export const ELBV2_API_VERSION = '2015-12-01';
/** The `apiVersion` of Classic ELB records. */
export const CLASSIC_API_VERSION = '2012-06-01';

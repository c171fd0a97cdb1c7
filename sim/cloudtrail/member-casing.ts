import type { Normalized } from '../front/codec';

// ELBv2 members CloudTrail writes as JSON numbers or booleans (Query carries every value as a string).
const INTEGER_MEMBERS = new Set([
  'Port', 'Weight', 'Order', 'Priority', 'DurationSeconds', 'HealthCheckIntervalSeconds', 'HealthCheckTimeoutSeconds',
  'HealthyThresholdCount', 'UnhealthyThresholdCount', 'PageSize', 'SessionTimeout', 'NumberOfCaCertificates',
  'TotalRevokedEntries', 'Capacity', 'CapacityUnits',
]);
const BOOLEAN_MEMBERS = new Set(['Enabled', 'HealthCheckEnabled', 'IsDefault', 'UseExistingClientSecret', 'IgnoreClientCertificateExpiry']);
const LIST_MEMBERS = new Set([
  'AlpnPolicy', 'Certificates', 'SecurityGroups', 'Conditions', 'Actions', 'DefaultActions', 'Tags', 'Targets', 'TargetGroups',
  'LoadBalancerArns', 'Values', 'Attributes', 'AvailabilityZones', 'LoadBalancerAddresses', 'Listeners', 'Rules', 'LoadBalancers',
  'Subnets', 'SubnetMappings', 'RulePriorities', 'TargetHealthDescriptions',
]);
const TIMESTAMP_MEMBERS = new Set(['CreatedTime']);
// Where a member keeps its API string type despite its name (RedirectConfig.Port is "#{port}" or "443").
const STRING_PARENTS = new Set(['RedirectConfig']);

/** Which side of the call a value comes from: a Rule's `Priority` is a number in requests, a string in answers. */
export type Side = 'request' | 'response';

/**
 * Converts a normalised ELBv2 value to what CloudTrail records: member names with only their first letter
 * lowered (`SSLCertificateId` → `sSLCertificateId`), lists as arrays, numbers and booleans typed, and
 * timestamps in CloudTrail's Java date style (`Apr 11, 2016 5:23:50 PM`).
 */
export function toCloudTrailShape(value: Normalized, side: Side, member = '', parent = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => toCloudTrailShape(v, side, '', member));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [lowerFirst(k), toCloudTrailShape(v, side, k, member)]));
  }
  if (value === '' && LIST_MEMBERS.has(member)) return [];
  if (STRING_PARENTS.has(parent)) return value;
  if (INTEGER_MEMBERS.has(member) && !(member === 'Priority' && side === 'response')) {
    const n = Number(value);
    return value !== '' && Number.isFinite(n) ? n : value;
  }
  if (BOOLEAN_MEMBERS.has(member) && (value === 'true' || value === 'false')) return value === 'true';
  if (TIMESTAMP_MEMBERS.has(member)) return javaDate(value);
  return value;
}

/** CloudTrail lowers only the first letter of a member name. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2016-04-11T17:23:50Z` → `Apr 11, 2016 5:23:50 PM` (UTC), the format ELBv2 records carry. */
export function javaDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const hours = date.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ` +
    `${hours % 12 === 0 ? 12 : hours % 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
  );
}

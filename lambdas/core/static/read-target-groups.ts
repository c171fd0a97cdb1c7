import type { CrossZoneSetting, Target, TargetGroup } from '../model/snapshot';
import { isObject, literalAttributes, literalInt, literalList, literalString, literalTags, referencedId } from './intrinsics';
import { CFN_TYPES, placeholderTargetId, type StaticTargetGroup } from './static-model';
import { resourceName, type TemplateResource } from './template';

/** A target group of a template: as the rules see it, and as the snapshot carries it. */
export interface ReadTargetGroup {
  readonly info: StaticTargetGroup;
  readonly group: TargetGroup;
}

/** Resource types that register targets in a group themselves: a group they name has no fixed target list. */
const REGISTERING_TYPES = new Set(['AWS::AutoScaling::AutoScalingGroup', 'AWS::ECS::Service', 'AWS::CloudFormation::CustomResource']);
const TARGET_TYPES = new Set(['instance', 'ip', 'lambda', 'alb']);

/** True for a resource type that can register targets in a group it names. */
export function registersTargets(type: string): boolean {
  return REGISTERING_TYPES.has(type) || type.startsWith('Custom::');
}

/** The ARN a template resource gets in the snapshot. */
export function templateArn(logicalId: string): string {
  return `cfn:${logicalId}`;
}

function idsIn(value: unknown, into: Set<string>): Set<string> {
  const id = referencedId(value);
  if (id !== undefined) into.add(id);
  else if (Array.isArray(value)) value.forEach((v) => idsIn(v, into));
  else if (isObject(value)) Object.values(value).forEach((v) => idsIn(v, into));
  return into;
}

/** Group logical id → the resource that registers its targets (an Auto Scaling group, an ECS service, a custom resource). */
function registrars(resources: Readonly<Record<string, TemplateResource>>): Map<string, string> {
  const found = new Map<string, string>();
  for (const [id, resource] of Object.entries(resources)) {
    if (!registersTargets(resource.Type)) continue;
    for (const ref of idsIn(resource.Properties ?? {}, new Set())) if (!found.has(ref)) found.set(ref, `${resource.Type} ${id}`);
  }
  return found;
}

function crossZoneOf(attributes: Map<string, string>): CrossZoneSetting {
  const value = attributes.get('load_balancing.cross_zone.enabled');
  return value === 'true' ? 'on' : value === 'false' ? 'off' : 'inherit';
}

/** The fixed targets of a group, or why they are unknown. */
function fixedTargets(id: string, props: Record<string, unknown>, registrar: string | undefined): Target[] | string {
  const type = props.TargetType === undefined ? 'instance' : literalString(props.TargetType);
  if (type === undefined) return 'its target type is known only at deploy';
  if (type === 'lambda') return 'a Lambda target scales on its own';
  if (type === 'alb') return 'its target is a load balancer';
  if (registrar !== undefined) return `${registrar} registers its targets`;
  if (props.Targets === undefined) return 'the template fixes no targets (registered elsewhere: an Auto Scaling group, ECS, another stack)';
  const list = literalList(props.Targets);
  if (list === undefined || !list.every(isObject)) return 'its target list is known only at deploy';
  const groupPort = literalInt(props.Port);
  return list.map((target, i): Target => {
    const raw = (target as Record<string, unknown>).Id;
    // An instance named by Ref is one server wherever it is registered: its logical id is its identity.
    const targetId = literalString(raw) ?? referencedId(raw) ?? `${id}#${i + 1}`;
    const port = literalInt((target as Record<string, unknown>).Port) ?? groupPort;
    const zone = literalString((target as Record<string, unknown>).AvailabilityZone);
    return { id: targetId, health: 'healthy', ...(port !== undefined && port >= 1 && port <= 65535 && { port }), ...(zone !== undefined && { availabilityZone: zone }) };
  });
}

/** Reads every target group of a template (fixed targets assumed healthy: this is before deploy). */
export function readTargetGroups(resources: Readonly<Record<string, TemplateResource>>): Map<string, ReadTargetGroup> {
  const registeredBy = registrars(resources);
  const groups = new Map<string, ReadTargetGroup>();
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== CFN_TYPES.targetGroup) continue;
    const props = resource.Properties ?? {};
    const arn = templateArn(id);
    const name = resourceName(id, resource);
    const targets = fixedTargets(id, props, registeredBy.get(id));
    const attributes = literalAttributes(props.TargetGroupAttributes);
    const type = literalString(props.TargetType) ?? 'instance';
    const known = Array.isArray(targets);
    groups.set(id, {
      // A server registered twice (two ports) is still one server: count distinct ids.
      info: { arn, logicalId: id, name, ...(known ? { fixedTargets: new Set(targets.map((t) => t.id)).size } : { unknownTargets: targets }) },
      group: {
        arn,
        name,
        targetType: (TARGET_TYPES.has(type) ? type : 'instance') as TargetGroup['targetType'],
        loadBalancerArns: [],
        crossZone: crossZoneOf(attributes),
        attributes: Object.fromEntries(attributes),
        tags: Object.fromEntries([...literalTags(props.Tags).tags].filter((e): e is [string, string] => e[1] !== undefined)),
        targets: known ? targets : [{ id: placeholderTargetId(arn), health: 'healthy' }],
      },
    });
  }
  return groups;
}

/** A group outside the template (a parameter, an import, a literal ARN): its targets are unknown. */
export function externalGroup(arn: string, name: string): ReadTargetGroup {
  return {
    info: { arn, name, unknownTargets: 'the group is not in this template' },
    group: { arn, name, targetType: 'instance', loadBalancerArns: [], crossZone: 'inherit', attributes: {}, tags: {}, targets: [{ id: placeholderTargetId(arn), health: 'healthy' }] },
  };
}

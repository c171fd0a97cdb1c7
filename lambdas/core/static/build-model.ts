import type { Listener, LoadBalancer, LoadBalancerSnapshot } from '../model/snapshot';
import { describeConditions } from '../traffic/path-label';
import { describeValue, literalAttributes, literalInt, literalString, literalTags, resourceRef } from './intrinsics';
import type { StaticSubject } from './policy-subject';
import { readActions, readConditions, type GroupResolver, type ReadActions } from './read-actions';
import { externalGroup, readTargetGroups, templateArn, type ReadTargetGroup } from './read-target-groups';
import { CFN_TYPES, placeKey, type StaticLoadBalancer, type StaticNote, type StaticPlace, type TemplateEnvironment, type TemplateModel } from './static-model';
import { resourceName, type CfnTemplate, type TemplateResource } from './template';

type LbType = LoadBalancer['type'];
const PREFIX: Record<LbType, string> = { application: 'app', network: 'net', gateway: 'gwy' };

interface Draft {
  readonly logicalId?: string;
  readonly name: string;
  readonly type: LbType;
  readonly crossZone: boolean;
  readonly subject: StaticSubject;
  readonly listeners: Listener[];
  readonly groups: Map<string, ReadTargetGroup>;
  readonly places: Map<string, StaticPlace>;
}

function typeOfProtocol(protocol: string | undefined): LbType {
  if (protocol === 'GENEVE') return 'gateway';
  return protocol !== undefined && ['TCP', 'UDP', 'TLS', 'TCP_UDP', 'QUIC', 'TCP_QUIC'].includes(protocol) ? 'network' : 'application';
}

/** `name` out of `arn:...:loadbalancer/app/name/id` or `arn:...:targetgroup/name/id`. */
function nameInArn(arn: string, kind: 'loadbalancer' | 'targetgroup'): string | undefined {
  const match = kind === 'loadbalancer' ? /:loadbalancer\/(?:app|net|gwy)\/([^/]+)\//.exec(arn) : /:targetgroup\/([^/]+)\//.exec(arn);
  return match?.[1];
}

function templateLb(id: string, resource: TemplateResource, env: TemplateEnvironment): Draft {
  const props = resource.Properties ?? {};
  const declared = literalString(props.Type);
  const type: LbType = declared === 'network' || declared === 'gateway' ? declared : 'application';
  const name = literalString(props.Name);
  const tags = literalTags(props.Tags);
  const arn = `arn:${env.partition ?? 'aws'}:elasticloadbalancing:${env.region ?? '*'}:${env.account ?? '*'}:loadbalancer/${PREFIX[type]}/${name ?? '*'}/*`;
  return {
    logicalId: id,
    name: resourceName(id, resource),
    type,
    // ALB always balances across zones; NLB and GWLB only when the attribute says so.
    crossZone: type === 'application' || literalAttributes(props.LoadBalancerAttributes).get('load_balancing.cross_zone.enabled') === 'true',
    subject: { arn, tags: tags.tags, tagsKnown: tags.known },
    listeners: [],
    groups: new Map(),
    places: new Map(),
  };
}

function externalLb(value: unknown, protocol: string | undefined): Draft {
  const arn = literalString(value);
  const type = arn === undefined ? typeOfProtocol(protocol) : arn.includes(':loadbalancer/net/') ? 'network' : arn.includes(':loadbalancer/gwy/') ? 'gateway' : 'application';
  return {
    name: (arn === undefined ? undefined : nameInArn(arn, 'loadbalancer')) ?? `(${describeValue(value)})`,
    type,
    crossZone: type === 'application',
    subject: { arn: arn ?? 'arn:*:elasticloadbalancing:*:*:loadbalancer/*/*/*', tags: new Map(), tagsKnown: false },
    listeners: [],
    groups: new Map(),
    places: new Map(),
  };
}

function snapshotOf(draft: Draft, key: string): LoadBalancerSnapshot {
  return {
    schemaVersion: 1,
    capturedAt: 'template',
    loadBalancer: { arn: key, name: draft.name, type: draft.type, availabilityZones: [], crossZoneEnabled: draft.crossZone, attributes: {}, tags: {} },
    listeners: draft.listeners,
    targetGroups: [...draft.groups.values()].map((g) => g.group),
  };
}

/** What a path's actions leave to deploy: all of it (a weight, a type), or the targets of a group outside the template. */
function notesOf(logicalId: string, label: string, read: ReadActions): StaticNote[] {
  if ('unknown' in read) return [{ logicalId, message: `${label} not judged: ${read.unknown}, known only at deploy` }];
  const outside = read.actions.flatMap((a) => a.forward?.targetGroups ?? []).filter((g) => g.targetGroupArn.startsWith('ext:'));
  return outside.map((g) => ({ logicalId, message: `${label}: target-level rules skipped for ${g.targetGroupArn.slice(4)}, a target group outside this template` }));
}

/**
 * Turns a template into one partial snapshot per load balancer, with listeners grouped under the load
 * balancer they name (one outside the template gets its own entry), groups resolved by logical id, and
 * every value known only at deploy recorded as a note instead of being guessed.
 */
export function buildModel(template: CfnTemplate, env: TemplateEnvironment = {}): TemplateModel {
  const resources = template.Resources;
  const entries = Object.entries(resources);
  const groups = readTargetGroups(resources);
  const notes: StaticNote[] = [];
  const drafts = new Map<string, Draft>();
  for (const [id, resource] of entries) if (resource.Type === CFN_TYPES.loadBalancer) drafts.set(templateArn(id), templateLb(id, resource, env));

  const resolverFor = (draft: Draft): GroupResolver => (value) => {
    const id = resourceRef(value, resources, CFN_TYPES.targetGroup);
    const read = id === undefined ? undefined : groups.get(id);
    if (read !== undefined) {
      draft.groups.set(read.info.arn, read);
      return read.info.arn;
    }
    const literal = literalString(value);
    const arn = `ext:${literal ?? describeValue(value)}`;
    if (!draft.groups.has(arn)) draft.groups.set(arn, externalGroup(arn, (literal === undefined ? undefined : nameInArn(literal, 'targetgroup')) ?? `(${describeValue(value)})`));
    return arn;
  };
  const draftFor = (key: string, make: () => Draft): Draft => {
    const known = drafts.get(key);
    if (known !== undefined) return known;
    const made = make();
    drafts.set(key, made);
    return made;
  };

  const listeners = new Map<string, { draft: Draft; listener: Listener; label: string }>();
  for (const [id, resource] of entries) {
    if (resource.Type !== CFN_TYPES.listener) continue;
    const props = resource.Properties ?? {};
    const protocol = literalString(props.Protocol);
    const port = literalInt(props.Port);
    const lbId = resourceRef(props.LoadBalancerArn, resources, CFN_TYPES.loadBalancer);
    const lbKey = lbId === undefined ? `ext:${literalString(props.LoadBalancerArn) ?? describeValue(props.LoadBalancerArn)}` : templateArn(lbId);
    const draft = draftFor(lbKey, () => externalLb(props.LoadBalancerArn, protocol));
    const label = `listener ${protocol === undefined && port === undefined ? resourceName(id, resource) : `${protocol ?? '?'}:${port ?? '?'}`} of LB ${draft.name}`;
    const read = readActions(props.DefaultActions, resolverFor(draft));
    notes.push(...notesOf(id, label, read));
    const listener: Listener = {
      arn: templateArn(id),
      port: port !== undefined && port >= 1 && port <= 65535 ? port : 1,
      protocol: protocol ?? 'HTTP',
      defaultActions: 'unknown' in read ? [] : read.actions,
      rules: [],
    };
    draft.listeners.push(listener);
    draft.places.set(placeKey(listener.arn), { logicalId: id, resourceType: CFN_TYPES.listener, label });
    listeners.set(id, { draft, listener, label });
  }

  for (const [id, resource] of entries) {
    if (resource.Type !== CFN_TYPES.rule) continue;
    const props = resource.Properties ?? {};
    const listenerId = resourceRef(props.ListenerArn, resources, CFN_TYPES.listener);
    let parent = listenerId === undefined ? undefined : listeners.get(listenerId);
    if (parent === undefined) {
      // A rule on a listener of another stack: its own path can still be judged.
      const key = `ext:${literalString(props.ListenerArn) ?? describeValue(props.ListenerArn)}`;
      const draft = draftFor(key, () => externalLb(undefined, undefined));
      const listener: Listener = { arn: key, port: 1, protocol: 'HTTP', defaultActions: [], rules: [] };
      if (!draft.listeners.some((l) => l.arn === key)) draft.listeners.push(listener);
      parent = { draft, listener: draft.listeners.find((l) => l.arn === key) ?? listener, label: `listener (${describeValue(props.ListenerArn)})` };
    }
    const priority = literalInt(props.Priority);
    const conditions = readConditions(props.Conditions);
    const summary = describeConditions(conditions);
    const label = `rule priority ${priority ?? '?'}${summary === '' ? '' : ` (${summary})`} on ${parent.label}`;
    const read = readActions(props.Actions, resolverFor(parent.draft));
    notes.push(...notesOf(id, label, read));
    const arn = templateArn(id);
    parent.listener.rules.push({ arn, priority: priority !== undefined && priority >= 1 && priority <= 50000 ? priority : 50000, conditions, actions: 'unknown' in read ? [] : read.actions });
    parent.draft.places.set(placeKey(parent.listener.arn, arn), { logicalId: id, resourceType: CFN_TYPES.rule, label });
  }

  const loadBalancers: StaticLoadBalancer[] = [];
  const noted = new Set<string>();
  for (const [key, draft] of drafts) {
    if (draft.listeners.length === 0) continue;
    for (const { info } of draft.groups.values()) {
      if (info.logicalId === undefined || info.unknownTargets === undefined || noted.has(info.logicalId)) continue;
      noted.add(info.logicalId);
      notes.push({ logicalId: info.logicalId, message: `target group ${info.name}: target-level rules skipped: ${info.unknownTargets}` });
    }
    const groupInfo = new Map([...draft.groups].map(([arn, g]) => [arn, g.info]));
    loadBalancers.push({ ...(draft.logicalId !== undefined && { logicalId: draft.logicalId }), name: draft.name, snapshot: snapshotOf(draft, key), subject: draft.subject, groups: groupInfo, places: draft.places });
  }
  const count = (type: string) => entries.filter(([, r]) => r.Type === type).length;
  return {
    loadBalancers,
    notes,
    counts: { loadBalancers: count(CFN_TYPES.loadBalancer), listeners: count(CFN_TYPES.listener), rules: count(CFN_TYPES.rule), targetGroups: count(CFN_TYPES.targetGroup) },
  };
}

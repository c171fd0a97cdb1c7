import { glob, inCidr, matchesCondition, type SimRequest } from '../../../sim/traffic/routing/condition-matcher';
import { routeRequest } from '../../../sim/traffic/routing/listener-router';
import { RequestMixSchema } from '../../../sim/traffic/routing/request-mix';
import { dimensionOf, type ActionNode, type ConditionNode, type ListenerNode, type LoadBalancerNode, type PathNode, type TargetGroupNode, type Topology } from '../../../sim/traffic/topology';
import { splitTraffic } from '../../../sim/traffic/traffic-split';

// How ALB matches and orders rules:
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html (host-header is
//   case-insensitive, path-pattern case-sensitive, `*` 0 or more characters, `?` exactly one; "*.example.com"
//   matches test.example.com but not example.com; query-string `\*` and `\?` are literal; source-ip CIDR)
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html (priority order, lowest
//   first; the default rule is evaluated last)
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RedirectActionConfig.html (#{host},
//   #{port}, #{path} without its leading "/", components not modified keep their values)

const cond = (field: string, values: string[], extra: Partial<ConditionNode> = {}): ConditionNode => ({ field, values, ...extra });

describe('Traffic routing: conditions as ALB matches them', () => {
  it.each<[string, ConditionNode, SimRequest, boolean]>([
    ['host is case-insensitive', cond('host-header', ['WWW.Example.com']), { host: 'www.example.COM' }, true],
    ['host wildcard covers a subdomain', cond('host-header', ['*.example.com']), { host: 'test.example.com' }, true],
    ['host wildcard needs the subdomain', cond('host-header', ['*.example.com']), { host: 'example.com' }, false],
    ['path is case-sensitive', cond('path-pattern', ['/API/*']), { path: '/api/orders' }, false],
    ['path * matches any run', cond('path-pattern', ['/api/*']), { path: '/api/orders/7' }, true],
    ['path ? matches exactly one', cond('path-pattern', ['/img/?.png']), { path: '/img/a.png' }, true],
    ['path ? matches no more than one', cond('path-pattern', ['/img/?.png']), { path: '/img/ab.png' }, false],
    ['a pattern matches the whole path', cond('path-pattern', ['/api']), { path: '/api/orders' }, false],
    ['any value of a condition may match', cond('path-pattern', ['/a', '/b']), { path: '/b' }, true],
    ['regex specials are literal', cond('path-pattern', ['/a.b']), { path: '/aXb' }, false],
    ['an unknown field never matches', cond('path-pattern', ['*']), { host: 'x.example.com' }, false],
    ['method is exact and case-sensitive', cond('http-request-method', ['GET']), { method: 'get' }, false],
    ['method matches', cond('http-request-method', ['GET', 'HEAD']), { method: 'HEAD' }, true],
    ['header name and value are case-insensitive', cond('http-header', ['*mobile*'], { header: 'User-Agent' }), { headers: { 'user-agent': 'Some MOBILE browser' } }, true],
    ['a missing header does not match', cond('http-header', ['*'], { header: 'X-Canary' }), { headers: { other: '1' } }, false],
    ['query key and value, case-insensitive', cond('query-string', [], { pairs: [{ key: 'Version', value: 'V1' }] }), { query: { version: 'v1' } }, true],
    ['query value alone matches any key', cond('query-string', [], { pairs: [{ value: 'example' }] }), { query: { a: 'example' } }, true],
    ['query \\* is a literal star', cond('query-string', [], { pairs: [{ key: 'q', value: 'a\\*' }] }), { query: { q: 'abc' } }, false],
    ['query \\* matches a star', cond('query-string', [], { pairs: [{ key: 'q', value: 'a\\*' }] }), { query: { q: 'a*' } }, true],
    ['source-ip in an IPv4 block', cond('source-ip', ['10.0.0.0/8']), { sourceIp: '10.1.2.3' }, true],
    ['source-ip outside the block', cond('source-ip', ['10.0.0.0/8']), { sourceIp: '11.1.2.3' }, false],
    ['source-ip in an IPv6 block', cond('source-ip', ['2001:db8::/32']), { sourceIp: '2001:db8:1::7' }, true],
    ['regex-only conditions are not evaluated', cond('path-pattern', [], { regex: true }), { path: '/x' }, false],
  ])('%s', (_, condition, request, expected) => {
    expect(matchesCondition(condition, request)).toBe(expected);
  });

  it('compiles patterns once and parses CIDR edge cases', () => {
    expect(glob('/a*', false)).toBe(glob('/a*', false));
    expect(inCidr('192.168.1.1', '192.168.1.1/32')).toBe(true);
    expect(inCidr('192.168.1.1', '0.0.0.0/0')).toBe(true);
    expect(inCidr('::1', '10.0.0.0/8')).toBe(false);
    expect(inCidr('999.1.1.1', '0.0.0.0/0')).toBe(false);
  });
});

// A small world: ALB `web` with HTTP:80 and HTTPS:443, groups api (1 target) and site (4 targets).
const LB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1111111111111111';
function group(name: string, ids: string[]): TargetGroupNode {
  const arn = `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0000000000000000`;
  return { arn, name, dimension: dimensionOf(arn), targets: ids.map((id) => ({ id, zone: 'a', backendState: 'healthy' })) };
}
const api = group('api', ['a1']);
const site = group('site', ['s1', 's2', 's3', 's4']);
const to = (g: TargetGroupNode): ActionNode => ({ kind: 'forward', forwards: [{ targetGroupArn: g.arn, weight: 1 }] });
const rule = (priority: number, conditions: ConditionNode[], action: ActionNode): PathNode => ({ ruleArn: `${LB_ARN}-rule-${priority}`, isDefault: false, priority, conditions, action });
const def = (action: ActionNode): PathNode => ({ isDefault: true, conditions: [], action });
function world(listeners: { port: number; protocol?: string; paths: PathNode[] }[]): { lb: LoadBalancerNode; topology: Topology } {
  const lb: LoadBalancerNode = {
    arn: LB_ARN,
    name: 'web',
    type: 'application',
    dimension: dimensionOf(LB_ARN),
    zones: ['a'],
    crossZone: true,
    listeners: listeners.map((l): ListenerNode => ({ arn: `${LB_ARN}-l${l.port}`, port: l.port, protocol: l.protocol ?? 'HTTP', paths: l.paths })),
  };
  return { lb, topology: { loadBalancers: [lb], targetGroups: new Map([api, site].map((g) => [g.arn, g])) } };
}

describe('Traffic routing: a listener\'s rules in priority order, redirects followed', () => {
  it('takes the first matching rule by priority, not by position, and all conditions must match', () => {
    const { lb } = world([
      {
        port: 80,
        paths: [def(to(site)), rule(20, [cond('path-pattern', ['/api/*'])], to(site)), rule(10, [cond('path-pattern', ['/api/orders']), cond('host-header', ['shop.example.com'])], to(api))],
      },
    ]);
    const listener = lb.listeners[0] as ListenerNode;
    const via = (request: SimRequest) => routeRequest(lb, listener, request).hops.map((h) => h.rule.priority ?? 'default');
    expect(via({ host: 'shop.example.com', path: '/api/orders' })).toEqual([10]);
    expect(via({ host: 'www.example.com', path: '/api/orders' })).toEqual([20]);
    expect(via({ host: 'shop.example.com', path: '/about' })).toEqual(['default']);
    expect(via({})).toEqual(['default']);
  });

  it('follows a redirect to the listener it names, keeping host and path, and routes it there', () => {
    const { lb } = world([
      { port: 80, paths: [def({ kind: 'redirect', redirect: { protocol: 'HTTPS', port: '443', host: '#{host}', path: '/#{path}', query: '#{query}', statusCode: 'HTTP_301' } })] },
      { port: 443, protocol: 'HTTPS', paths: [def(to(site)), rule(5, [cond('path-pattern', ['/api/*'])], to(api))] },
    ]);
    const route = routeRequest(lb, lb.listeners[0] as ListenerNode, { host: 'www.example.com', path: '/api/orders' });
    expect(route.hops.map((h) => [h.listener.port, h.rule.priority ?? 'default'])).toEqual([[80, 'default'], [443, 5]]);
    expect(route.end).toEqual({ kind: 'forward', forwards: [{ targetGroupArn: api.arn, weight: 1 }] });
  });

  it('loses requests redirected to a port nothing listens on, and redirect loops', () => {
    const nowhere = world([{ port: 80, paths: [def({ kind: 'redirect', redirect: { port: '8443', statusCode: 'HTTP_302' } })] }]);
    expect(routeRequest(nowhere.lb, nowhere.lb.listeners[0] as ListenerNode, { path: '/' }).end).toEqual({ kind: 'lost', reason: 'no-listener' });
    const loop = world([{ port: 80, paths: [def({ kind: 'redirect', redirect: { path: '/#{path}x', statusCode: 'HTTP_302' } })] }]);
    expect(routeRequest(loop.lb, loop.lb.listeners[0] as ListenerNode, { path: '/' }).end).toEqual({ kind: 'lost', reason: 'redirect-loop' });
  });
});

describe('Traffic split: a request mix routed through the rules', () => {
  const rate = (n: number, mix?: unknown) => ({ rateOf: () => n, isUp: () => true, mixOf: () => (mix === undefined ? undefined : RequestMixSchema.parse(mix)) });

  it('sends every request along the default rule when no mix is set, whatever rules exist', () => {
    const { topology } = world([{ port: 80, paths: [def(to(site)), rule(1, [cond('path-pattern', ['/*'])], to(api))] }]);
    const split = splitTraffic(topology, rate(4000));
    expect(Object.fromEntries(split.perTarget)).toEqual({ s1: 1000, s2: 1000, s3: 1000, s4: 1000 });
    expect(split.rules.map((r) => [r.priority ?? 'default', r.requests])).toEqual([['default', 4000]]);
  });

  it('splits by the mix: each kind to the rule that takes it, the rest to the default rule', () => {
    const { topology } = world([{ port: 80, paths: [def(to(site)), rule(10, [cond('path-pattern', ['/api/*'])], to(api))] }]);
    const split = splitTraffic(topology, rate(4000, [{ host: 'www.example.com', path: '/api/orders', share: 0.25 }, { path: '/api/users', share: 0.25 }]));
    expect(Object.fromEntries(split.perTarget)).toEqual({ a1: 2000, s1: 500, s2: 500, s3: 500, s4: 500 });
    expect(split.rules.map((r) => [r.priority ?? 'default', r.requests])).toEqual([[10, 2000], ['default', 2000]]);
    expect(split.mix.get(LB_ARN)?.map((m) => [m.entry, m.requests])).toEqual([[0, 1000], [1, 1000], [undefined, 2000]]);
  });

  it('counts fixed responses as answered by the load balancer, and a lost route as unroutable (ELB 5XX)', () => {
    const { topology } = world([
      { port: 80, paths: [def(to(site)), rule(1, [cond('path-pattern', ['/down'])], { kind: 'fixed-response', statusCode: '503' }), rule(2, [cond('path-pattern', ['/old'])], { kind: 'redirect', redirect: { port: '81', statusCode: 'HTTP_301' } })] },
    ]);
    const split = splitTraffic(topology, rate(1000, [{ path: '/down', share: 0.1 }, { path: '/old', share: 0.2 }]));
    expect(split.answered.get(LB_ARN)).toEqual({ fixedResponse: 100, fixedResponseByStatus: { 503: 100 }, redirected: 200 });
    expect(split.perLoadBalancer.get(LB_ARN)).toEqual({ requests: 1000, unroutable: 200 });
    expect([...split.perTarget.values()].reduce((a, b) => a + b, 0)).toBe(700);
  });

  it('takes a kind to the listener on its port only', () => {
    const { topology } = world([
      { port: 80, paths: [def(to(site))] },
      { port: 443, paths: [def(to(api))] },
    ]);
    const split = splitTraffic(topology, rate(1000, [{ port: 443, share: 0.5 }]));
    // Half on 443 (all to api), the other half over both listeners.
    expect(split.perTarget.get('a1')).toBe(750);
  });

  it('refuses a mix whose shares add up to more than 1, or a path with a query string', () => {
    expect(RequestMixSchema.safeParse([{ path: '/a', share: 0.6 }, { path: '/b', share: 0.6 }]).error?.issues[0]?.message).toMatch(/more than 1/);
    expect(RequestMixSchema.safeParse([{ path: '/a?x=1', share: 0.1 }]).error?.issues[0]?.path).toEqual([0, 'path']);
  });
});

import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { loadBalancerPath } from './watchdog-scope';

/** Props of the traffic dashboard. */
export interface TrafficDashboardProps {
  /** Load balancers to give a widget each (literal ARNs only; at most `MAX_PER_LOAD_BALANCER_WIDGETS`). */
  readonly loadBalancerArns?: readonly string[];
  /** The watchdog's dead-letter queues, for its own health row. */
  readonly deadLetterQueues: readonly sqs.IQueue[];
  /** The watchdog's functions, for its own health row. */
  readonly functions: readonly lambda.IFunction[];
}

/** A dashboard holds at most 500 widgets; a handful of per-load-balancer widgets keeps it readable. */
export const MAX_PER_LOAD_BALANCER_WIDGETS = 20;

const PERIOD = Duration.minutes(1);
const WIDTH = 12;
const HEIGHT = 6;

/** A CloudWatch SEARCH over `schema` for `metric`, one series per matching dimension set. */
function search(schema: string, metric: string, stat: string, label: string, extra = ''): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${metric}"${extra}', '${stat}', ${PERIOD.toSeconds()})`,
    period: PERIOD,
    label,
    usingMetrics: {},
  });
}

/** The share of each series of `requests` in their sum, in percent. */
function share(requests: cloudwatch.MathExpression, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: '100 * requests / SUM(requests)', usingMetrics: { requests }, period: PERIOD, label });
}

/**
 * Traffic share per target group, built from SEARCH expressions so it needs no list of load balancers and
 * follows target groups as they come and go.
 *
 * Limits (stated on the dashboard too): ALB publishes no per-instance request count, so shares are per
 * target group (per target only as RequestCountPerTarget, the group's average); the Region-wide share
 * widget divides by all ALB requests in the Region, so it equals a load balancer's split only when one load
 * balancer serves the traffic (per-load-balancer widgets exist for literal ARNs in scope); a SEARCH returns at
 * most 500 series and sees only metrics with data in the last two weeks; NLB has no RequestCount (new flows
 * instead).
 */
export class TrafficDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: TrafficDashboardProps) {
    super(scope, id);
    const albRequests = search('AWS/ApplicationELB,LoadBalancer,TargetGroup', 'RequestCount', 'Sum', "${PROP('Dim.TargetGroup')}");
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.TextWidget({
            width: 24,
            height: 3,
            markdown: [
              '# ELB Watchdog: traffic share per target group',
              'Per target group, not per target: ALB publishes no per-instance request count (RequestCountPerTarget is the group average).',
              "The Region-wide share divides by all ALB requests in the Region; a load balancer's own split is shown below it for load balancers listed by ARN.",
              'SEARCH shows at most 500 series and only metrics with data in the last two weeks. NLB has no RequestCount: new flows instead.',
            ].join('\n\n'),
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'ALB requests per target group', left: [albRequests], stacked: true, width: WIDTH, height: HEIGHT }),
          new cloudwatch.GraphWidget({
            title: 'Share of ALB requests in the Region per target group (%)',
            left: [share(albRequests, '')],
            leftYAxis: { min: 0, max: 100 },
            width: WIDTH,
            height: HEIGHT,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Requests per target (group average)',
            left: [search('AWS/ApplicationELB,TargetGroup', 'RequestCountPerTarget', 'Sum', "${PROP('Dim.TargetGroup')}")],
            width: WIDTH,
            height: HEIGHT,
          }),
          new cloudwatch.GraphWidget({
            title: 'Healthy targets per target group (minimum)',
            left: [
              search('AWS/ApplicationELB,LoadBalancer,TargetGroup', 'HealthyHostCount', 'Minimum', "${PROP('Dim.TargetGroup')}"),
              search('AWS/NetworkELB,LoadBalancer,TargetGroup', 'HealthyHostCount', 'Minimum', "${PROP('Dim.TargetGroup')}"),
            ],
            width: WIDTH,
            height: HEIGHT,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'NLB new flows per target group',
            left: [search('AWS/NetworkELB,LoadBalancer,TargetGroup', 'NewFlowCount', 'Sum', "${PROP('Dim.TargetGroup')}")],
            stacked: true,
            width: WIDTH,
            height: HEIGHT,
          }),
          new cloudwatch.GraphWidget({
            title: 'Watchdog: dead letters and errors',
            left: props.deadLetterQueues.map((queue) =>
              queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
            ),
            right: props.functions.map((fn) => fn.metricErrors({ period: PERIOD })),
            width: WIDTH,
            height: HEIGHT,
          }),
        ],
        ...this.perLoadBalancerRows(props.loadBalancerArns ?? []),
      ],
    });
  }

  /** One share widget per listed load balancer (two per row): that load balancer's own split. */
  private perLoadBalancerRows(arns: readonly string[]): cloudwatch.IWidget[][] {
    const widgets = arns
      .filter((arn) => !Token.isUnresolved(arn) && arn.includes(':loadbalancer/app/'))
      .slice(0, MAX_PER_LOAD_BALANCER_WIDGETS)
      .map((arn) => {
        const dimension = loadBalancerPath(arn);
        const requests = search('AWS/ApplicationELB,LoadBalancer,TargetGroup', 'RequestCount', 'Sum', "${PROP('Dim.TargetGroup')}", ` LoadBalancer="${dimension}"`);
        return new cloudwatch.GraphWidget({
          title: `Share per target group (%): ${dimension}`,
          left: [share(requests, '')],
          leftYAxis: { min: 0, max: 100 },
          width: WIDTH,
          height: HEIGHT,
        });
      });
    const rows: cloudwatch.IWidget[][] = [];
    for (let i = 0; i < widgets.length; i += 2) rows.push(widgets.slice(i, i + 2));
    return rows;
  }
}

import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ElbWatchdog, type ElbWatchdogProps } from '../../lib/elb-watchdog';

/** What one synthesized watchdog gives a test. */
export interface SynthesizedWatchdog {
  readonly app: App;
  readonly stack: Stack;
  readonly watchdog: ElbWatchdog;
  readonly template: Template;
}

/**
 * An `ElbWatchdog` in a stack, synthesized once. The functions' code is the handlers' prebuilt bundles
 * (jest's global setup builds them when a source is newer), so a synth bundles nothing.
 */
export function synthWatchdog(props: ElbWatchdogProps = {}, options: { env?: { account: string; region: string } } = {}): SynthesizedWatchdog {
  const app = new App();
  const stack = new Stack(app, 'Test', options.env === undefined ? {} : { env: options.env });
  const watchdog = new ElbWatchdog(stack, 'Watchdog', props);
  return { app, stack, watchdog, template: Template.fromStack(stack) };
}

/** A load balancer ARN of the test account. */
export const ALB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
/** A second load balancer ARN (network). */
export const NLB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/73e2d6bc24d8a067';

/** Statements of every IAM policy in the template, each with the logical id of its policy. */
export function policyStatements(template: Template): { policy: string; statement: Record<string, unknown> }[] {
  const out: { policy: string; statement: Record<string, unknown> }[] = [];
  for (const [policy, resource] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    const document = (resource as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument;
    for (const statement of document.Statement) out.push({ policy, statement });
  }
  return out;
}

/** A value as a list. */
export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

import { App, Stack } from 'aws-cdk-lib';
import { ElbWatchdog, type ElbWatchdogProps } from '../../lib/elb-watchdog';

/**
 * The CloudFormation template `ElbWatchdog` synthesizes with these props, without bundling the Lambda
 * code (the runner runs the handlers from source; everything else in the template is the same).
 */
export function synthWatchdogTemplate(props: ElbWatchdogProps): { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'ElbWatchdogLocal');
  new ElbWatchdog(stack, 'Watchdog', props);
  return app.synth().getStackByName(stack.stackName).template as ReturnType<typeof synthWatchdogTemplate>;
}

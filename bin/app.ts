#!/usr/bin/env node
/**
 * The ready-made ELB Watchdog stack, configured by CDK context and checked by cdk-nag (AwsSolutions):
 *
 *   npx cdk deploy -c mode=dry-run -c email=ops@example.com -c scopeTag=watchdog=on -c policy=./policy.yaml
 *
 * In a member account of a multi-account setup, `-c centralAccount=111111111111` deploys the forwarder and
 * the revert role instead (stack ElbWatchdogForwarder).
 *
 * Environment-agnostic: `npx cdk synth` works offline without credentials; `cdk deploy` targets the
 * account and Region of the CLI's credentials. Context keys: CONTEXT_KEYS in lib/watchdog-stack.ts.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ElbWatchdogForwarderStack } from '../lib/forwarder-stack';
import { ElbWatchdogStack, watchdogContext } from '../lib/watchdog-stack';

const app = new App();
const context = watchdogContext(app.node);
const stackName = app.node.tryGetContext('stackName') as string | undefined;
if (context.centralAccount === undefined) {
  new ElbWatchdogStack(app, stackName ?? 'ElbWatchdog', { watchdog: context.watchdog, notificationTopicArn: context.notificationTopicArn });
} else {
  new ElbWatchdogForwarderStack(app, stackName ?? 'ElbWatchdogForwarder', {
    forwarder: { centralAccount: context.centralAccount, ...(context.watchdog.scope === undefined ? {} : { scope: context.watchdog.scope }) },
  });
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();

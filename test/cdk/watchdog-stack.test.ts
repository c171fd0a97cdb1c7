import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HANDLER_BUNDLES_DIR } from '../../lib/handler-bundles';
import { HANDLER_TAG } from '../../lib/watchdog-function';
import { ElbWatchdogStack, watchdogContext } from '../../lib/watchdog-stack';
import { ALB_ARN } from './synth';

describe('Function: watchdogContext', () => {
  const contextOf = (context: Record<string, unknown>) => watchdogContext(new App({ context }).node);

  it('configures nothing by default', () => {
    expect(contextOf({})).toEqual({ watchdog: {} });
  });

  it('reads the keys the README documents', () => {
    const { watchdog, notificationTopicArn } = contextOf({
      mode: 'enforce',
      email: 'ops@example.com, sre@example.com',
      scopeTag: 'watchdog=on',
      policy: './policy.yaml',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      logRetentionDays: '30',
      tracing: 'true',
      memberAccounts: ['222222222222'],
    });
    expect(watchdog).toMatchObject({
      mode: 'enforce',
      emailAddresses: ['ops@example.com', 'sre@example.com'],
      policy: './policy.yaml',
      logRetention: 30,
      tracing: true,
      memberAccounts: ['222222222222'],
    });
    expect(watchdog.scope?.toScope()).toEqual({ type: 'tag', key: 'watchdog', value: 'on' });
    expect(notificationTopicArn).toBe('arn:aws:sns:us-east-1:123456789012:alerts');
  });

  it('reads a tag key alone, and ARN lists', () => {
    expect(contextOf({ scopeTag: 'watchdog' }).watchdog.scope?.toScope()).toEqual({ type: 'tag', key: 'watchdog' });
    expect(contextOf({ scopeArns: ALB_ARN }).watchdog.scope?.toScope()).toEqual({ type: 'arns', arns: [ALB_ARN] });
  });

  it('lists every bad key at once', () => {
    expect(() => contextOf({ mode: 'on', scopeTag: 'a=b', scopeArns: ALB_ARN, slackWorkspaceId: 'T1', logRetentionDays: '31', logLevel: 'loud' })).toThrow(
      /mode: "on"[\s\S]*scopeTag and scopeArns[\s\S]*slackWorkspaceId and slackChannelId[\s\S]*logRetentionDays: 31[\s\S]*logLevel: "loud"/,
    );
  });
});

describe('Stack: ElbWatchdogStack (as `cdk synth` builds it)', () => {
  let assembly: CloudAssembly;

  beforeAll(() => {
    // GIVEN the app of bin/app.ts, configured by context, with cdk-nag registered as a validation plugin
    const app = new App({ context: watchdogContextFixture() });
    const context = watchdogContext(app.node);
    new ElbWatchdogStack(app, 'ElbWatchdog', { watchdog: context.watchdog, notificationTopicArn: context.notificationTopicArn });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // WHEN it is synthesized (a cdk-nag violation would make synth throw)
    assembly = app.synth();
  });

  it('synthesizes without AWS credentials or an environment', () => {
    const stack = assembly.getStackByName('ElbWatchdog');
    expect(stack.environment.account).toBe('unknown-account');
    expect(stack.template.Outputs).toHaveProperty('TopicArn');
    expect(stack.template.Outputs).toHaveProperty('JudgeRoleName');
  });

  it('deploys each handler\'s prebuilt bundle as it is: one minified file with its source map', () => {
    const resources = Object.values(assembly.getStackByName('ElbWatchdog').template.Resources as Record<string, FunctionResource>);
    const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Tags?.some((t) => t.Key === HANDLER_TAG));
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      const handler = fn.Properties.Tags?.find((t) => t.Key === HANDLER_TAG)?.Value as string;
      const asset = path.join(assembly.directory, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      expect({ handler, entry: fn.Properties.Handler, files: fs.readdirSync(asset).sort() }).toEqual({ handler, entry: 'index.handler', files: ['index.js', 'index.js.map'] });
      const code = fs.readFileSync(path.join(asset, 'index.js'));
      expect(code.equals(fs.readFileSync(path.join(__dirname, '..', '..', HANDLER_BUNDLES_DIR, handler, 'index.js')))).toBe(true);
      // Minified, with the SDK clients inside (only the optional CRT signer stays an external require).
      const text = code.toString('utf8');
      expect(Math.round(text.length / text.split('\n').length)).toBeGreaterThan(1000);
      expect(text.match(/require\("@aws-sdk\/[^"]+"\)/g)?.filter((r) => !r.includes('signature-v4-crt')) ?? []).toEqual([]);
    }
  });
});

/** The parts of a function resource the test reads. */
interface FunctionResource {
  readonly Type: string;
  readonly Properties: { readonly Handler: string; readonly Code: { readonly S3Key: string }; readonly Tags?: { Key: string; Value: string }[] };
}

/** Context as `cdk synth -c mode=enforce -c email=ops@example.com -c scopeTag=watchdog=on` passes it. */
function watchdogContextFixture(): Record<string, string> {
  return { mode: 'enforce', email: 'ops@example.com', scopeTag: 'watchdog=on' };
}

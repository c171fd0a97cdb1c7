import { Duration, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** A Slack channel that receives the watchdog's notifications through AWS Chatbot. */
export interface SlackChannelProps {
  /** The Slack workspace id, as shown by the AWS Chatbot console after authorising the workspace (e.g. `T0123ABCD`). */
  readonly workspaceId: string;
  /** The channel id: the last part of the channel's link (e.g. `C0123ABCD`). */
  readonly channelId: string;
  /**
   * The name of the Chatbot channel configuration (unique in the account).
   * @default - derived from the construct path
   */
  readonly configurationName?: string;
}

/** Where the watchdog tells people what happened. */
export interface NotificationsProps {
  /**
   * An existing topic to publish to instead of creating one. If it is encrypted with a customer managed key,
   * grant the watchdog's roles `kms:GenerateDataKey*` and `kms:Decrypt` on that key (and CloudWatch, for the
   * watchdog's alarms).
   * @default - a new topic encrypted with a new customer managed KMS key
   */
  readonly topic?: sns.ITopic;
  /**
   * E-mail addresses subscribed to the topic (each must confirm the subscription).
   * @default - no e-mail subscription
   */
  readonly emailAddresses?: readonly string[];
  /**
   * A Slack channel fed by AWS Chatbot.
   * @default - no Slack channel
   */
  readonly slackChannel?: SlackChannelProps;
}

/** A plausible e-mail address: one `@`, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLACK_WORKSPACE_ID = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_ID = /^[A-Za-z0-9]{1,255}$/;

/** Problems with the notification props, as messages naming the field. */
export function validateNotifications(props: NotificationsProps): string[] {
  const problems: string[] = [];
  (props.emailAddresses ?? []).forEach((address, index) => {
    if (!Token.isUnresolved(address) && !EMAIL.test(address)) problems.push(`emailAddresses[${index}]: "${address}" is not an e-mail address`);
  });
  const slack = props.slackChannel;
  if (slack !== undefined) {
    if (!Token.isUnresolved(slack.workspaceId) && !SLACK_WORKSPACE_ID.test(slack.workspaceId)) {
      problems.push(`slackChannel.workspaceId: "${slack.workspaceId}" is not a Slack workspace id (upper-case letters and digits, e.g. T0123ABCD)`);
    }
    if (!Token.isUnresolved(slack.channelId) && !SLACK_CHANNEL_ID.test(slack.channelId)) {
      problems.push(`slackChannel.channelId: "${slack.channelId}" is not a Slack channel id (letters and digits, e.g. C0123ABCD)`);
    }
  }
  return problems;
}

/**
 * The watchdog's SNS topic and its subscribers. A new topic is encrypted with a key of ours (rotated) whose
 * policy lets CloudWatch alarms publish (alarm actions need `kms:GenerateDataKey*` on the topic's key,
 * which the AWS-managed `alias/aws/sns` key cannot grant), and it accepts TLS only.
 */
export class Notifications extends Construct {
  /** The topic the handlers and alarms publish to. */
  public readonly topic: sns.ITopic;
  /** The topic's key, when the topic is ours. */
  public readonly key?: kms.Key;

  constructor(scope: Construct, id: string, props: NotificationsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    if (props.topic === undefined) {
      const key = new kms.Key(this, 'Key', {
        description: 'ELB Watchdog notifications (SNS)',
        enableKeyRotation: true,
        // The key protects messages in flight only; nothing encrypted with it outlives the topic.
        removalPolicy: RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(7),
      });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToPublish',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
      const topic = new sns.Topic(this, 'Topic', { displayName: 'ELB Watchdog', masterKey: key, enforceSSL: true });
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsOfThisAccount',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
          },
        }),
      );
      this.topic = topic;
      this.key = key;
    } else {
      this.topic = props.topic;
    }

    for (const address of props.emailAddresses ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    }

    if (props.slackChannel !== undefined) this.addSlackChannel(props.slackChannel);
  }

  /** AWS Chatbot for Slack, with a role and guardrail that can only read CloudWatch (to render alarm charts). */
  private addSlackChannel(slack: SlackChannelProps): void {
    const readAlarms = new iam.ManagedPolicy(this, 'ChatbotPolicy', {
      description: 'ELB Watchdog Slack channel: read CloudWatch alarms and metrics only',
      statements: [
        new iam.PolicyStatement({
          actions: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(readAlarms).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::cloudwatch:Describe*]',
        reason: "AWS Chatbot's notification template: the channel renders alarm charts, read-only CloudWatch calls only.",
      },
      {
        id: 'AwsSolutions-IAM5[Action::cloudwatch:Get*]',
        reason: "AWS Chatbot's notification template: the channel renders alarm charts, read-only CloudWatch calls only.",
      },
      {
        id: 'AwsSolutions-IAM5[Action::cloudwatch:List*]',
        reason: "AWS Chatbot's notification template: the channel renders alarm charts, read-only CloudWatch calls only.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'CloudWatch read calls for alarm charts do not support resource-level permissions.',
      },
    );
    const role = new iam.Role(this, 'ChatbotRole', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      managedPolicies: [readAlarms],
    });
    new chatbot.SlackChannelConfiguration(this, 'Slack', {
      slackChannelConfigurationName: slack.configurationName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      slackWorkspaceId: slack.workspaceId,
      slackChannelId: slack.channelId,
      notificationTopics: [this.topic],
      role,
      // Without guardrails Chatbot applies AdministratorAccess to the channel: cap it at reading alarms.
      guardrailPolicies: [readAlarms],
      userRoleRequired: false,
    });
  }
}

import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BREAK_GLASS_KEY_PREFIX } from '../lambdas/core/config/state-layout';
import { acknowledgeWildcards } from './nag-acknowledgements';

/** Props of the break-glass operator policy. */
export interface BreakGlassOperatorPolicyProps {
  /** The watchdog's state table. */
  readonly table: dynamodb.ITable;
  /** The topic break-glass start and end are announced on. */
  readonly topic: sns.ITopic;
  /**
   * The topic's key, when the watchdog created the topic (publishing to an encrypted topic needs it).
   * @default - none
   */
  readonly topicKey?: kms.IKey;
  /**
   * ARNs of IAM users and roles (of this account) to attach the policy to.
   * @default - none: attach it yourself
   */
  readonly operators?: readonly string[];
}

const NO_RESOURCE_LEVEL = 'These list and describe calls support no resource-level permissions: AWS requires Resource "*". Read-only.';

/**
 * What a person needs to run `elb-watchdog break-glass` (and `history`, `status`): write break-glass items
 * and nothing else in the state table (`dynamodb:LeadingKeys` = the break-glass partitions), read the
 * table, name the load balancer, find the table and the topic, and announce start and end on the topic.
 * STS GetCallerIdentity, which tells the CLI who the caller is, needs no permission. The table's resource
 * policy lets only the ARNs listed as operators use the break-glass write, whatever else they are granted.
 */
export class BreakGlassOperatorPolicy extends Construct {
  /** The managed policy. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: BreakGlassOperatorPolicyProps) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `ELB Watchdog (${Stack.of(this).stackName}): suspend and resume enforcement with elb-watchdog break-glass; read the audit log`,
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteBreakGlassItemsOnly',
          actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
          resources: [props.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${BREAK_GLASS_KEY_PREFIX}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadTheAuditLogAndBaselines',
          actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'],
          resources: [props.table.tableArn],
        }),
        new iam.PolicyStatement({ sid: 'AnnounceBreakGlass', actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
      ],
    });
    const discover = new iam.PolicyStatement({
      sid: 'NameTheLoadBalancerAndFindTheTableAndTopic',
      actions: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags', 'dynamodb:ListTables', 'sns:ListTopics'],
      resources: ['*'],
    });
    this.policy.addStatements(discover);
    acknowledgeWildcards(this.policy, discover, NO_RESOURCE_LEVEL);
    if (props.topicKey !== undefined) {
      const encrypt = new iam.PolicyStatement({ sid: 'PublishToTheEncryptedTopic', actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: [props.topicKey.keyArn] });
      this.policy.addStatements(encrypt);
      acknowledgeWildcards(this.policy, encrypt, "Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey*, on the topic's own key only.");
    }
    for (const [index, arn] of (props.operators ?? []).entries()) {
      if (/:role\//.test(arn)) this.policy.attachToRole(iam.Role.fromRoleArn(this, `Operator${index}`, arn));
      else this.policy.attachToUser(iam.User.fromUserArn(this, `Operator${index}`, arn));
    }
  }
}

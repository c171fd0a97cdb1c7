import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BREAK_GLASS_KEY_PREFIX } from '../lambdas/core/config/state-layout';

/** Props of the watchdog's state table. */
export interface StateTableProps {
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Who may write what in the state table (its resource-based policy). */
export interface StateTableWriters {
  /** The watchdog's roles: the only ones that may write baselines, claims and audit records. */
  readonly watchdogRoles: readonly iam.IRole[];
  /** ARNs of the IAM users and roles that may write break-glass items, and nothing else. */
  readonly breakGlassOperators: readonly string[];
}

/** Every DynamoDB action that writes an item (PartiQL writes are denied to everyone: the watchdog uses none). */
export const ITEM_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;
const PARTIQL_WRITE_ACTIONS = ['dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'] as const;

/**
 * The watchdog's one DynamoDB table: last known good snapshots, the audit log, break-glass entries and
 * idempotency records, keyed by `pk` / `sk`. On-demand (changes come in bursts), point-in-time recovery,
 * encrypted with the AWS-managed key, and TTL on `expiresAt` (idempotency items, old audit entries).
 *
 * Retained on stack deletion by default: it holds the audit trail of every revert and the last known good
 * configuration a re-deployed watchdog restores from.
 */
export class StateTable extends Construct {
  /** The TTL attribute (epoch seconds). */
  public static readonly TTL_ATTRIBUTE = 'expiresAt';

  /** The table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StateTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: StateTable.TTL_ATTRIBUTE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /**
   * The table's resource-based policy: explicit denies that hold whatever identity policies say (an
   * application role granted `dynamodb:*` on every table included). Only the watchdog's roles write items
   * outside the break-glass partitions; only break-glass operators write inside them (`dynamodb:LeadingKeys`
   * is the partition key of every item a write touches); nobody writes through PartiQL. Reads and table
   * management are not restricted here: denying `PutResourcePolicy` would lock CloudFormation out of its own
   * table. `Resource: "*"` is the table itself: a table's policy cannot name its own generated ARN.
   */
  public restrictWrites(writers: StateTableWriters): void {
    const watchdog = writers.watchdogRoles.map((role) => role.roleArn);
    const breakGlass = `${BREAK_GLASS_KEY_PREFIX}*`;
    this.table.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheWatchdogWritesBaselinesClaimsAndAudit',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...ITEM_WRITE_ACTIONS],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': watchdog }, 'ForAnyValue:StringNotLike': { 'dynamodb:LeadingKeys': [breakGlass] } },
      }),
    );
    this.table.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyOperatorsWriteBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...ITEM_WRITE_ACTIONS],
        resources: ['*'],
        conditions: {
          ...(writers.breakGlassOperators.length > 0 && { ArnNotEquals: { 'aws:PrincipalArn': [...writers.breakGlassOperators] } }),
          'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [breakGlass] },
        },
      }),
    );
    this.table.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NoPartiQLWrites',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...PARTIQL_WRITE_ACTIONS],
        resources: ['*'],
      }),
    );
  }
}

import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Props of the watchdog's state table. */
export interface StateTableProps {
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

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
}

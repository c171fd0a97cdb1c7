import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props of the baselines' MAC key. */
export interface BaselineMacKeyProps {
  /**
   * What happens to the key when the stack is deleted. Baselines signed with a deleted key are rejected
   * and re-taken by the next audit, so nothing is lost for good.
   * @default RemovalPolicy.DESTROY (scheduled for deletion after 7 days)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What account principals may do with the key: administer it, never use it. Without `kms:CreateGrant` (a
 * grant to oneself would be a way to use it) and with no `kms:*`: the key policy is the only thing that lets
 * anyone compute or check a MAC, and it names only the watchdog's functions.
 */
export const BASELINE_KEY_ADMIN_ACTIONS = [
  'kms:Describe*',
  'kms:List*',
  'kms:Get*',
  'kms:PutKeyPolicy',
  'kms:Enable*',
  'kms:Disable*',
  'kms:Update*',
  'kms:RevokeGrant',
  'kms:RetireGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/** The actions that sign and check a baseline. */
export const BASELINE_MAC_ACTIONS = ['kms:GenerateMac', 'kms:VerifyMac'] as const;

/**
 * The KMS HMAC key (HMAC_256, key usage GENERATE_VERIFY_MAC) whose MACs make a stored baseline the
 * watchdog's own. Its key policy lets the account administer it but lets only the roles passed to
 * `grantSignAndVerify` use it: KMS allows a key's use only when its key policy allows it, and this policy
 * has no statement that defers to IAM for GenerateMac or VerifyMac. HMAC keys have no automatic rotation.
 */
export class BaselineMacKey extends Construct {
  /** The key. */
  public readonly key: kms.Key;
  private grantees = 0;

  constructor(scope: Construct, id: string, props: BaselineMacKeyProps = {}) {
    super(scope, id);
    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AccountAdministersTheKeyButCannotUseIt',
          principals: [new iam.AccountRootPrincipal()],
          actions: [...BASELINE_KEY_ADMIN_ACTIONS],
          resources: ['*'],
        }),
      ],
    });
    this.key = new kms.Key(this, 'Key', {
      description: `ELB Watchdog: MACs of stored baselines (${Stack.of(this).stackName}); only the watchdog's functions may use it`,
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      policy,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
  }

  /** Lets `role` compute and check MACs with the key: named in the key policy (required) and in its own policy. */
  public grantSignAndVerify(role: iam.IRole): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({ sid: `SignAndVerifyBaselines${this.grantees++}`, principals: [role], actions: [...BASELINE_MAC_ACTIONS], resources: ['*'] }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'SignAndVerifyBaselines', actions: [...BASELINE_MAC_ACTIONS], resources: [this.key.keyArn] }));
  }
}

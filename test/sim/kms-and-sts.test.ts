import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ModifyLoadBalancerAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KmsBaselineMac } from '../../lambdas/aws/kms-baseline-mac';
import { AwsCallError } from '../../lambdas/core/errors';
import { rawCall } from './helpers/raw-call';
import { useStandIn } from './helpers/stand-in-fixture';

/**
 * The two services issue 15 adds to the stand-in's front: KMS (the baselines' HMAC key, through moto) and
 * STS GetCallerIdentity (answered by the front from the identity registry).
 *
 * AWS behaviour relied on:
 * - GenerateMac / VerifyMac with an HMAC key; a MAC that does not verify fails with KMSInvalidMacException
 *   (VerifyMac never answers MacValid=false): https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html,
 *   https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html, HMAC keys:
 *   https://docs.aws.amazon.com/kms/latest/developerguide/hmac.html
 * - GetCallerIdentity returns the Arn, UserId (the `aws:userid` value) and Account of the credentials used,
 *   and needs no permission: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
describe('Stand-in: KMS HMAC keys and STS GetCallerIdentity through the front', () => {
  const fixture = useStandIn({ world: 'empty' });
  const clients = { region: 'us-east-1' };
  const kmsAs = (key: string) => new KMSClient({ ...clients, endpoint: fixture.standIn.url, credentials: { accessKeyId: key, secretAccessKey: 'x' } });
  const stsAs = (key: string, endpoint = fixture.standIn.url) => new STSClient({ ...clients, endpoint, credentials: { accessKeyId: key, secretAccessKey: 'x' } });
  const made: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(client: T): T => (made.push(client), client);
  afterAll(() => made.forEach((client) => client.destroy()));

  async function hmacKey(kms: KMSClient): Promise<string> {
    const created = await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
    return created.KeyMetadata?.Arn as string;
  }

  describe('KMS: the baselines\' MAC adapter against moto', () => {
    it('computes a 32-byte HMAC-SHA-256 that verifies, and tells a changed message or another key\'s MAC apart', async () => {
      // Prepare
      const kms = track(kmsAs('elb-watchdog'));
      const mac = new KmsBaselineMac(kms, await hmacKey(kms));
      const other = new KmsBaselineMac(kms, await hmacKey(kms));
      const message = new TextEncoder().encode('elb-watchdog/baseline-mac/v1\nversion=1');

      // Act
      const signed = await mac.generate(message);

      // Assess
      expect(signed).toHaveLength(32);
      expect(await mac.verify(message, signed)).toBe(true);
      expect(await mac.verify(new TextEncoder().encode('elb-watchdog/baseline-mac/v1\nversion=2'), signed)).toBe(false);
      expect(await other.verify(message, signed)).toBe(false);
    });

    it('reports a key that cannot MAC as an error, never as a forged MAC', async () => {
      const kms = track(kmsAs('elb-watchdog'));
      const symmetric = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn as string;
      const mac = new KmsBaselineMac(kms, symmetric);

      await expect(mac.verify(new Uint8Array([1]), new Uint8Array(32))).rejects.toBeInstanceOf(AwsCallError);
      await expect(mac.generate(new Uint8Array([1]))).rejects.toThrow(/GenerateMac on .* failed: InvalidKeyUsageException/);
    });

    it('refuses an action KMS does not have, as AWS JSON 1.1 services do', async () => {
      const answer = await rawCall(fixture.standIn.url, 'kms', { body: '{}', target: 'TrentService.ForgeMac', contentType: 'application/x-amz-json-1.1' });

      expect({ status: answer.status, type: answer.headers.get('x-amzn-errortype') }).toEqual({ status: 400, type: 'UnknownOperationException' });
    });
  });

  describe('STS: GetCallerIdentity is the identity the access key stands for', () => {
    it('answers carol\'s key as the IAM user carol, with the principal id her CloudTrail records carry', async () => {
      // Prepare: carol makes a call (it fails: no such load balancer); CloudTrail records failed calls too.
      const missing = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/none/0000000000000000';
      await expect(fixture.clients('carol').elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: missing, Attributes: [] }))).rejects.toThrow();
      await fixture.standIn.settled();

      // Act
      const identity = await track(stsAs('carol')).send(new GetCallerIdentityCommand({}));

      // Assess
      expect({ Arn: identity.Arn, Account: identity.Account }).toEqual({ Arn: 'arn:aws:iam::123456789012:user/carol', Account: '123456789012' });
      const recorded = fixture.standIn.events({ eventName: 'ModifyLoadBalancerAttributes' })[0]?.event.detail.userIdentity as { principalId?: string } | undefined;
      expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
      expect(identity.UserId).toBe(recorded?.principalId);
    });

    it('answers a key registered for a role as the assumed-role session', async () => {
      fixture.standIn.identities.register({ accessKeyId: 'ops-session', type: 'AssumedRole', roleName: 'BreakGlassOperator', sessionName: 'dave' });

      const identity = await track(stsAs('ops-session')).send(new GetCallerIdentityCommand({}));

      expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/BreakGlassOperator/dave');
      expect(identity.UserId).toMatch(/^AROA[A-Z2-7]{17}:dave$/);
    });

    it('differs from moto, which answers one fixed identity for any key it has not issued', async () => {
      const fromMoto = await track(stsAs('carol', fixture.standIn.backendUrl)).send(new GetCallerIdentityCommand({}));

      expect(fromMoto.Arn).not.toBe('arn:aws:iam::123456789012:user/carol');
    });
  });
});

/** How one AWS service speaks on the wire, as far as the front needs to know. */
export interface ServiceWire {
  /** SigV4 signing name (credential scope service). */
  readonly signingName: string;
  /** JSON protocols: the `X-Amz-Target` prefix. */
  readonly targetPrefix?: string;
  readonly jsonVersion?: '1.0' | '1.1';
  /** JSON services that kept their Query error codes (`x-amzn-query-error`): CloudWatch, SQS. */
  readonly queryCompatible?: boolean;
  /** Query/XML namespace of responses. */
  readonly xmlns?: string;
  /** The AWS SDK v3 package whose commands list the service's valid actions. */
  readonly sdkPackage?: string;
}

/** The services the stand-in knows by name; anything else is forwarded untouched. */
export const SERVICE_WIRES: Readonly<Record<string, ServiceWire>> = {
  elasticloadbalancing: {
    signingName: 'elasticloadbalancing',
    xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    sdkPackage: '@aws-sdk/client-elastic-load-balancing-v2',
  },
  monitoring: {
    signingName: 'monitoring',
    targetPrefix: 'GraniteServiceVersion20100801',
    jsonVersion: '1.0',
    queryCompatible: true,
    xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
    sdkPackage: '@aws-sdk/client-cloudwatch',
  },
  sqs: {
    signingName: 'sqs',
    targetPrefix: 'AmazonSQS',
    jsonVersion: '1.0',
    queryCompatible: true,
    xmlns: 'http://queue.amazonaws.com/doc/2012-11-05/',
    sdkPackage: '@aws-sdk/client-sqs',
  },
  sns: { signingName: 'sns', xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/', sdkPackage: '@aws-sdk/client-sns' },
  events: { signingName: 'events', targetPrefix: 'AWSEvents', jsonVersion: '1.1', sdkPackage: '@aws-sdk/client-eventbridge' },
  dynamodb: {
    signingName: 'dynamodb',
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    sdkPackage: '@aws-sdk/client-dynamodb',
  },
  ec2: { signingName: 'ec2', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' },
  sts: { signingName: 'sts', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/', sdkPackage: '@aws-sdk/client-sts' },
  kms: { signingName: 'kms', targetPrefix: 'TrentService', jsonVersion: '1.1', sdkPackage: '@aws-sdk/client-kms' },
};

/** The service behind an `X-Amz-Target` prefix, for callers that did not sign. */
export function serviceForTarget(target: string): string | undefined {
  const prefix = target.split('.')[0];
  return Object.values(SERVICE_WIRES).find((s) => s.targetPrefix === prefix)?.signingName;
}

const actionCache = new Map<string, ReadonlySet<string> | undefined>();

/**
 * The valid action names of a service, read from its SDK package's `*Command` exports (an independent,
 * complete list); undefined when the service has no SDK installed here (then moto decides).
 */
export function knownActions(service: string): ReadonlySet<string> | undefined {
  if (actionCache.has(service)) return actionCache.get(service);
  const pkg = SERVICE_WIRES[service]?.sdkPackage;
  let actions: ReadonlySet<string> | undefined;
  if (pkg) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(pkg) as Record<string, unknown>;
      actions = new Set(
        Object.keys(mod)
          .filter((k) => k.endsWith('Command') && k !== '$Command' && k !== 'Command')
          .map((k) => k.slice(0, -'Command'.length)),
      );
    } catch {
      actions = undefined;
    }
  }
  actionCache.set(service, actions);
  return actions;
}

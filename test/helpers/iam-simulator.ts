import { runSimulation, type EvaluationResult, type RunSimulationResults, type SimulationIdentityPolicy } from '@cloud-copilot/iam-simulate';

/**
 * "May principal X do action Y on resource Z with context C?" answered for a synthesized CloudFormation
 * template by an IAM policy simulator (`@cloud-copilot/iam-simulate`: identity and resource policies, KMS
 * key-policy trust, every condition operator). moto stores policies but enforces none, so this is how the
 * tests show what the deployed policies allow.
 *
 * What it reads from the template (intrinsics resolved against `env`, physical names = logical ids):
 * - identity policies of a principal: the inline `Policies` of an `AWS::IAM::Role` / `AWS::IAM::User`, every
 *   `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` whose `Roles` / `Users` name it, and managed policies
 *   of the template listed in its `ManagedPolicyArns` (AWS managed policies are not known: they are skipped);
 * - the resource policy of the resource asked about: a table's `ResourcePolicy`, a key's `KeyPolicy`, an
 *   `AWS::SNS::TopicPolicy` or `AWS::SQS::QueuePolicy` naming it.
 * A principal outside the template (a person, another application) brings its own `identityPolicies`;
 * a user of this account that the template attaches a managed policy to (`Users: [name]`) gets it too.
 *
 * Not modelled: SCPs, RCPs, permission boundaries, session policies, AWS managed policies, and context keys
 * a request carries in AWS but the test does not pass (give them in `context`; `aws:PrincipalArn` and
 * `aws:PrincipalAccount` are derived from the principal). A context key the simulator would ignore for the
 * action, an unknown action or an invalid policy throws: a test cannot pass by asking a question that
 * does not apply.
 *
 * @example
 * const iam = TemplateIamSimulator.of(template);
 * const judge = iam.arnOf('WatchdogChangesJudgeRole');            // a role of the template, by logical id prefix
 * await iam.decide({ principal: judge, action: 'dynamodb:PutItem', resource: iam.arnOf('WatchdogStateTable'),
 *   context: { 'dynamodb:LeadingKeys': ['LB#arn:…'] } });          // → 'Allowed'
 */
export class TemplateIamSimulator {
  private readonly resources: Readonly<Record<string, TemplateResource>>;
  private readonly env: Required<SimulatorEnvironment>;

  private constructor(template: CloudFormationTemplate, env: SimulatorEnvironment) {
    this.resources = template.Resources ?? {};
    this.env = { accountId: env.accountId ?? '123456789012', region: env.region ?? 'us-east-1', partition: env.partition ?? 'aws', stackName: env.stackName ?? 'Stack' };
  }

  /** A simulator over `template` (e.g. `Template.fromStack(stack).toJSON()`), deployed in `env`. */
  public static of(template: CloudFormationTemplate, env: SimulatorEnvironment = {}): TemplateIamSimulator {
    return new TemplateIamSimulator(template, env);
  }

  /** The account the template is deployed in. */
  public get accountId(): string {
    return this.env.accountId;
  }

  /**
   * The ARN a resource of the template gets (roles, users, tables, keys, topics, queues, functions, managed
   * policies, ...), by logical id, by construct path without CDK's hash (`WatchdogStateTable` for
   * `WatchdogStateTableF952541D`), or by a logical id prefix that names exactly one resource.
   */
  public arnOf(logicalIdOrPrefix: string): string {
    return this.arnOfId(this.logicalId(logicalIdOrPrefix));
  }

  /** The ARN of an IAM user of this account (a person outside the template). */
  public userArn(name: string): string {
    return `arn:${this.env.partition}:iam::${this.env.accountId}:user/${name}`;
  }

  /** A managed policy of the template as an identity policy, to give a principal outside the template. */
  public managedPolicy(logicalIdOrPrefix: string): SimulationIdentityPolicy {
    const id = this.logicalId(logicalIdOrPrefix);
    const resource = this.resources[id];
    if (resource.Type !== 'AWS::IAM::ManagedPolicy') throw new Error(`${id} is a ${resource.Type}, not an AWS::IAM::ManagedPolicy`);
    return { name: id, policy: this.resolve(resource.Properties?.PolicyDocument) };
  }

  /** The identity policies the template gives `principal` (a role, user or assumed-role session ARN). */
  public identityPoliciesOf(principal: string): SimulationIdentityPolicy[] {
    const identity = this.identityOf(principal);
    if (identity === undefined) return [];
    const policies: SimulationIdentityPolicy[] = [];
    const own = identity.logicalId === undefined ? undefined : this.resources[identity.logicalId];
    for (const [index, inline] of ((own?.Properties?.Policies as { PolicyName?: unknown; PolicyDocument: unknown }[] | undefined) ?? []).entries()) {
      policies.push({ name: `${identity.logicalId}-inline-${index}`, policy: this.resolve(inline.PolicyDocument) });
    }
    const attachedArns = new Set(((own?.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? []).map((arn) => this.resolveString(arn)));
    const listKey = identity.kind === 'role' ? 'Roles' : 'Users';
    for (const [id, resource] of Object.entries(this.resources)) {
      if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
      const names = ((resource.Properties?.[listKey] as unknown[] | undefined) ?? []).map((name) => this.resolveString(name));
      if (names.includes(identity.name) || attachedArns.has(this.arnOfId(id))) {
        policies.push({ name: id, policy: this.resolve(resource.Properties?.PolicyDocument) });
      }
    }
    return policies;
  }

  /** The resource-based policy of a resource of the template, by its ARN; undefined when it has none. */
  public resourcePolicyOf(resourceArn: string): unknown {
    for (const [id, resource] of Object.entries(this.resources)) {
      const properties = resource.Properties ?? {};
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table': {
          const table = this.arnOfId(id);
          if (resourceArn === table || resourceArn.startsWith(`${table}/`)) return this.resolve((properties.ResourcePolicy as { PolicyDocument?: unknown } | undefined)?.PolicyDocument);
          break;
        }
        case 'AWS::KMS::Key':
          if (resourceArn === this.arnOfId(id)) return this.resolve(properties.KeyPolicy);
          break;
        case 'AWS::SNS::TopicPolicy':
          if (((properties.Topics as unknown[] | undefined) ?? []).some((topic) => this.resolveString(topic) === resourceArn)) return this.resolve(properties.PolicyDocument);
          break;
        case 'AWS::SQS::QueuePolicy': {
          const queues = ((properties.Queues as unknown[] | undefined) ?? []).map((queue) => this.queueArnOfUrl(this.resolveString(queue)));
          if (queues.includes(resourceArn)) return this.resolve(properties.PolicyDocument);
          break;
        }
      }
    }
    return undefined;
  }

  /** Allowed, explicitly denied, or implicitly denied (no statement allows). */
  public async decide(request: AccessRequest): Promise<EvaluationResult> {
    const result = await this.explain(request);
    if (result.resultType === 'error') throw new Error(`IAM simulation of ${request.action} failed: ${result.errors.message} ${JSON.stringify(result.errors)}`);
    return result.overallResult;
  }

  /** The simulator's full answer (decisive statements, explanations), for a test that needs more than the decision. */
  public async explain(request: AccessRequest): Promise<RunSimulationResults> {
    const principal = this.sessionOf(request.principal);
    const principalArn = this.principalArnOf(request.principal);
    const context = { 'aws:PrincipalArn': principalArn, 'aws:PrincipalAccount': principalArn.split(':')[4], ...request.context };
    const result = await runSimulation(
      {
        request: { principal, action: request.action, resource: { resource: request.resource, accountId: this.accountOf(request.resource) }, contextVariables: context },
        identityPolicies: [...this.identityPoliciesOf(request.principal), ...(request.identityPolicies ?? [])],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: this.resourcePolicyOf(request.resource),
      },
      {},
    );
    if (result.resultType === 'single') {
      const ignored = (result.result.ignoredContextKeys ?? []).filter((key) => request.context !== undefined && key in request.context);
      if (ignored.length > 0) throw new Error(`the simulator ignores ${ignored.join(', ')} for ${request.action}: the question does not apply`);
    }
    return result;
  }

  private logicalId(logicalIdOrPrefix: string): string {
    if (this.resources[logicalIdOrPrefix] !== undefined) return logicalIdOrPrefix;
    // CDK's logical ids are the construct path plus an 8-character hash: prefer that exact shape.
    const ids = Object.keys(this.resources);
    const hashed = ids.filter((id) => id.length === logicalIdOrPrefix.length + 8 && id.startsWith(logicalIdOrPrefix) && /^[0-9A-F]{8}$/.test(id.slice(-8)));
    if (hashed.length === 1) return hashed[0];
    const matches = ids.filter((id) => id.startsWith(logicalIdOrPrefix));
    if (matches.length !== 1) throw new Error(`${matches.length} resources match ${logicalIdOrPrefix}: ${matches.slice(0, 5).join(', ')}`);
    return matches[0];
  }

  private arnOfId(id: string): string {
    const { partition, region, accountId } = this.env;
    const type = this.resources[id]?.Type;
    const name = this.nameOf(id);
    switch (type) {
      case 'AWS::IAM::Role':
        return `arn:${partition}:iam::${accountId}:role/${name}`;
      case 'AWS::IAM::User':
        return `arn:${partition}:iam::${accountId}:user/${name}`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${partition}:iam::${accountId}:policy/${name}`;
      case 'AWS::DynamoDB::Table':
        return `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`;
      case 'AWS::KMS::Key':
        return `arn:${partition}:kms:${region}:${accountId}:key/${name}`;
      case 'AWS::SNS::Topic':
        return `arn:${partition}:sns:${region}:${accountId}:${name}`;
      case 'AWS::SQS::Queue':
        return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
      case 'AWS::Lambda::Function':
        return `arn:${partition}:lambda:${region}:${accountId}:function:${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*`;
      case 'AWS::Events::Rule':
        return `arn:${partition}:events:${region}:${accountId}:rule/${name}`;
      default:
        return `arn:${partition}:cloudformation:${region}:${accountId}:resource/${this.env.stackName}/${id}`;
    }
  }

  /** The physical name CloudFormation would give: the name property when set, else the logical id. */
  private nameOf(id: string): string {
    const properties = this.resources[id]?.Properties ?? {};
    const nameProperty = ['RoleName', 'UserName', 'ManagedPolicyName', 'TableName', 'TopicName', 'QueueName', 'FunctionName', 'LogGroupName', 'Name'].find(
      (key) => properties[key] !== undefined,
    );
    return nameProperty === undefined ? id : this.resolveString(properties[nameProperty]);
  }

  private refOf(id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': this.env.accountId,
      'AWS::Region': this.env.region,
      'AWS::Partition': this.env.partition,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.env.stackName,
    };
    if (pseudo[id] !== undefined) return pseudo[id];
    const type = this.resources[id]?.Type;
    if (type === undefined) return id;
    // What Ref returns per type (CloudFormation's return values): an ARN for these, a name otherwise.
    if (['AWS::IAM::ManagedPolicy', 'AWS::SNS::Topic'].includes(type)) return this.arnOfId(id);
    if (type === 'AWS::SQS::Queue') return `https://sqs.${this.env.region}.amazonaws.com/${this.env.accountId}/${this.nameOf(id)}`;
    return this.nameOf(id);
  }

  private resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const node = value as Record<string, unknown>;
    if ('Ref' in node) return this.refOf(String(node.Ref));
    if ('Fn::GetAtt' in node) {
      const [id, attribute] = node['Fn::GetAtt'] as [string, string];
      if (attribute === 'Arn' || attribute === 'TopicArn' || attribute === 'QueueArn') return this.arnOfId(id);
      if (attribute === 'QueueName' || attribute === 'TopicName') return this.nameOf(id);
      return `${this.refOf(id)}.${attribute}`;
    }
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => this.resolveString(part)).join(separator);
    }
    if ('Fn::Sub' in node && typeof node['Fn::Sub'] === 'string') {
      return node['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        const [id, attribute] = name.split('.');
        return attribute === undefined ? this.refOf(id) : String(this.resolve({ 'Fn::GetAtt': [id, attribute] }));
      });
    }
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, this.resolve(item)]));
  }

  private resolveString(value: unknown): string {
    return String(this.resolve(value));
  }

  private queueArnOfUrl(url: string): string {
    return `arn:${this.env.partition}:sqs:${this.env.region}:${this.env.accountId}:${url.split('/').pop() ?? url}`;
  }

  /** The role or user behind a principal ARN, and its logical id when the template defines it. */
  private identityOf(principal: string): { kind: 'role' | 'user'; name: string; logicalId?: string } | undefined {
    const arn = this.principalArnOf(principal);
    const match = /:iam::\d{12}:(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (match === null) return undefined;
    const kind = match[1] as 'role' | 'user';
    const type = kind === 'role' ? 'AWS::IAM::Role' : 'AWS::IAM::User';
    const logicalId = Object.keys(this.resources).find((id) => this.resources[id].Type === type && this.arnOfId(id) === arn);
    return { kind, name: match[2], ...(logicalId !== undefined && { logicalId }) };
  }

  /** `aws:PrincipalArn`: the role of an assumed-role session, else the ARN itself. */
  private principalArnOf(principal: string): string {
    const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
    return session === null ? principal : `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  }

  /** A role calls AWS as a session of it (a Lambda function's calls are `assumed-role/ROLE/FUNCTION`). */
  private sessionOf(principal: string): string {
    const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal);
    return role === null ? principal : `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/simulated-session`;
  }

  private accountOf(resourceArn: string): string {
    return resourceArn.split(':')[4] || this.env.accountId;
  }
}

/** Where the template is deployed. */
export interface SimulatorEnvironment {
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'Stack' */
  readonly stackName?: string;
}

/** One question to the simulator. */
export interface AccessRequest {
  /**
   * Who asks: an IAM role or user ARN, or an assumed-role session ARN. A role of the template asks as a
   * session of it, with the template's policies for that role.
   */
  readonly principal: string;
  /** An IAM action, e.g. `dynamodb:PutItem`. */
  readonly action: string;
  /** The resource's ARN (`arnOf` for the template's resources). */
  readonly resource: string;
  /** Condition keys the request carries, e.g. `{ 'dynamodb:LeadingKeys': ['LB#arn:…'] }`. */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** Identity policies of a principal beyond what the template gives it. */
  readonly identityPolicies?: readonly SimulationIdentityPolicy[];
}

/** The parts of a CloudFormation template the simulator reads. */
export interface CloudFormationTemplate {
  readonly Resources?: Readonly<Record<string, TemplateResource>>;
}

/** One resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

export type { EvaluationResult, SimulationIdentityPolicy };

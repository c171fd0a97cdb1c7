import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * A CloudFormation value flattened the way cdk-nag names IAM5 findings (`Fn::Join` joined, `Ref` and
 * `Fn::GetAtt` as `<Name>` / `<Name.Attr>`, `${...}` as `<...>`), so an acknowledgement can name the exact
 * finding. The cdk-nag test in test/cdk fails if this ever drifts from cdk-nag's own naming.
 */
export function flattenForNag(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\${/g, '<').replace(/}/g, '>');
  const node = value as Record<string, unknown>;
  if (Array.isArray(node['Fn::Join'])) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenForNag).join(delimiter);
  }
  if (node['Fn::Sub'] !== undefined) return flattenForNag(node['Fn::Sub']);
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
  }
  if (node['Fn::ImportValue'] !== undefined) return flattenForNag(node['Fn::ImportValue']);
  if (node.Ref !== undefined) return `<${flattenForNag(node.Ref)}>`;
  return JSON.stringify(value);
}

/**
 * Adds `statement` to `role` and acknowledges the AwsSolutions-IAM5 findings its wildcards raise (each action
 * or resource containing `*`), with `reason`. Use only where AWS allows nothing narrower, and say why.
 */
export function addWildcardStatement(role: iam.IRole, statement: iam.PolicyStatement, reason: string): void {
  role.addToPrincipalPolicy(statement);
  acknowledgeWildcards(role, statement, reason);
}

/** Acknowledges, on `scope`, the AwsSolutions-IAM5 findings that `statement`'s wildcards raise. */
export function acknowledgeWildcards(scope: IConstruct, statement: iam.PolicyStatement, reason: string): void {
  const stack = Stack.of(scope);
  const findings = new Set<string>();
  for (const action of statement.actions) if (action.includes('*')) findings.add(`Action::${action}`);
  for (const resource of statement.resources) {
    const flat = flattenForNag(stack.resolve(resource));
    if (flat.includes('*')) findings.add(`Resource::${flat}`);
  }
  for (const finding of findings) Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
}

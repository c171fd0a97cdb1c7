import { CfnResource, Stack } from 'aws-cdk-lib';
import { isElbv2Type, registersTargets, type CfnTemplate, type TemplateResource } from '../../lambdas/core/static';

/**
 * The part of a stack's template the static check reads, rendered at synth time as CloudFormation
 * will see it: ELBv2 resources and the resources that register targets with their properties
 * (tokens resolved to `Ref` / `Fn::GetAtt`, so references resolve by logical id as in `cdk.out`), every
 * other resource by type only (a `Ref` to it must still resolve). Each carries its construct path, so
 * findings name `Web/Alb` rather than `WebAlb3F1C2E0A`.
 */
export function stackTemplate(stack: Stack): CfnTemplate {
  const resources: Record<string, TemplateResource> = {};
  for (const node of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(node) || Stack.of(node) !== stack) continue;
    const metadata = { 'aws:cdk:path': node.node.path };
    const type = node.cfnResourceType;
    const logicalId = stack.resolve(node.logicalId) as string;
    if (!isElbv2Type(type) && !registersTargets(type)) {
      resources[logicalId] = { Type: type, Metadata: metadata };
      continue;
    }
    let rendered: { Resources?: Record<string, TemplateResource> };
    try {
      rendered = stack.resolve(node._toCloudFormation()) as typeof rendered;
    } catch {
      // A resource that cannot render yet is one the check cannot read: unknown, never a finding.
      resources[logicalId] = { Type: type, Metadata: metadata };
      continue;
    }
    for (const [id, resource] of Object.entries(rendered.Resources ?? {})) resources[id] = { ...resource, Metadata: { ...resource.Metadata, ...metadata } };
  }
  return { Resources: resources };
}

/**
 * The static check: the watchdog's policy over CloudFormation templates, before deploy. Pure: a
 * template in, findings out (`elb-watchdog check` reads the files; the CDK Aspect renders the stack).
 */
export { checkTemplate, type CheckTemplateOptions, type StaticFinding, type TemplateCheck } from './check-template';
export { buildModel } from './build-model';
export { formatOf, parseTemplate, resourceName, type CfnTemplate, type ParsedTemplate, type TemplateResource } from './template';
export { staticSettings, matchOverride, globsOverlap, type StaticSubject, type StaticSettings, type OverrideMatch } from './policy-subject';
export { registersTargets } from './read-target-groups';
export { CFN_TYPES, isElbv2Type, type StaticCounts, type StaticLoadBalancer, type StaticNote, type StaticTargetGroup, type TemplateEnvironment, type TemplateModel } from './static-model';
export { STATIC_RULES, createStaticRegistry, defineStaticRule, type RuleFinding, type StaticRule, type StaticRuleRegistry, type StaticSeverity } from './rules';
export { toSarif, SARIF_SCHEMA, type SarifLog, type SarifOptions, type SarifRuleSource } from './sarif';

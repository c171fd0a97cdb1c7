import type { TemplateCheck } from './check-template';
import type { StaticRule } from './rules';

/** What SARIF says about a rule: the static rules, and the core's rules a Terraform plan is judged by. */
export type SarifRuleSource = Pick<StaticRule, 'id' | 'title' | 'severity' | 'rationale'>;

/**
 * The static check as SARIF 2.1.0 (OASIS), the format code-scanning services read: one run, the tool
 * driver with a descriptor per rule, one result per finding with its level, the template as the
 * physical location (with the resource's line when known) and the resource as the logical location.
 */

/** The schema a SARIF 2.1.0 log names. */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

interface SarifText {
  readonly text: string;
}

/** A SARIF `reportingDescriptor` (one rule). */
export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifText;
  readonly fullDescription: SarifText;
  readonly help: SarifText;
  readonly defaultConfiguration: { readonly level: 'error' | 'warning' };
}

/** A SARIF `result`. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning';
  readonly message: SarifText;
  readonly locations: readonly {
    readonly physicalLocation: { readonly artifactLocation: { readonly uri: string }; readonly region?: { readonly startLine: number } };
    readonly logicalLocations: readonly { readonly name: string; readonly fullyQualifiedName: string; readonly kind: string }[];
  }[];
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A SARIF 2.1.0 log with one run. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly {
    readonly tool: { readonly driver: { readonly name: string; readonly version: string; readonly informationUri?: string; readonly rules: readonly SarifRule[] } };
    readonly results: readonly SarifResult[];
  }[];
}

/** Options of `toSarif`. */
export interface SarifOptions {
  readonly version: string;
  readonly informationUri?: string;
  /** Logical id → line per file, for result regions. */
  readonly lines?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** A file name as a URI (relative, forward slashes). */
  readonly uriOf?: (file: string) => string;
  /** A finding's resource as a fully qualified name (default `Resources.<logical id>`; a Terraform address is already one). */
  readonly qualifiedNameOf?: (file: string, logicalId: string) => string;
}

const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());

const RULE_ERROR: SarifRule = {
  id: 'rule-error',
  name: 'RuleError',
  shortDescription: { text: 'A static rule failed on a load balancer' },
  fullDescription: { text: 'The check hit its own error on this load balancer; it never fails a build for that. Check the load balancer by hand.' },
  help: { text: 'Report it with the template; meanwhile review the listener weights and target groups by hand.' },
  defaultConfiguration: { level: 'warning' },
};

/** The SARIF log of one or more template checks. */
export function toSarif(checks: readonly TemplateCheck[], registry: { readonly rules: readonly SarifRuleSource[] }, options: SarifOptions): SarifLog {
  const rules: SarifRule[] = [
    ...registry.rules.map((rule) => ({
      id: rule.id,
      name: pascal(rule.id),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.rationale },
      help: { text: `${rule.title}. ${rule.rationale} Configure it under rules.${rule.id} of the watchdog policy.` },
      defaultConfiguration: { level: rule.severity },
    })),
    RULE_ERROR,
  ];
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const uriOf = options.uriOf ?? ((file: string) => file.replace(/\\/g, '/'));
  const qualifiedNameOf = options.qualifiedNameOf ?? ((_file: string, logicalId: string) => `Resources.${logicalId}`);
  const results = checks.flatMap((check) =>
    check.findings.map((f): SarifResult => {
      const line = options.lines?.get(check.file)?.get(f.logicalId);
      return {
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId) ?? index.get('rule-error') ?? 0,
        level: f.severity,
        message: { text: f.message },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: uriOf(check.file) }, ...(line !== undefined && { region: { startLine: line } }) },
            logicalLocations: [{ name: f.logicalId, fullyQualifiedName: qualifiedNameOf(check.file, f.logicalId), kind: 'resource' }],
          },
        ],
        properties: { resourceType: f.resourceType, ...(f.loadBalancer !== undefined && { loadBalancer: f.loadBalancer }), ...(f.numbers !== undefined && { numbers: f.numbers }) },
      };
    }),
  );
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'elb-watchdog', version: options.version, ...(options.informationUri !== undefined && { informationUri: options.informationUri }), rules } },
        results,
      },
    ],
  };
}

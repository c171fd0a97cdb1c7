import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Option, type Command } from 'commander';
import packageJson from '../../package.json';
import {
  STATIC_RULES,
  checkTemplate,
  formatOf,
  parseTemplate,
  toSarif,
  type StaticCounts,
  type TemplateCheck,
  type TemplateEnvironment,
} from '../../lambdas/core/static';
import { addressLines, checkTerraform, parseTerraformJson, planRuleDescriptors, terraformKindOf, type TerraformCheck } from '../../lambdas/core/static/terraform';
import { loadPolicy, readText } from './cli-input';
import { EXIT, UsageError } from './exit-codes';
import { writeJson } from './output';

/** Output formats of `elb-watchdog check`. */
export const CHECK_FORMATS = ['text', 'json', 'sarif'] as const;

/** Options of `elb-watchdog check`. */
export interface CheckCommandOptions {
  readonly policy?: string;
  readonly format?: (typeof CHECK_FORMATS)[number];
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** A template to check, with its stack's environment when cdk.out's manifest tells it. */
interface TemplateFile {
  readonly path: string;
  readonly environment?: TemplateEnvironment;
}

/** Registers `elb-watchdog check`. */
export function registerCheckCommand(program: Command): Command {
  return program
    .command('check')
    .description('Check CloudFormation templates and Terraform plans against the watchdog policy before deploy (the same rules as at change time).')
    .argument('<paths...>', 'cdk.out directories (scanned for *.template.json), template files (JSON or YAML), or `terraform show -json` output (a plan or a state)')
    .option('--policy <file>', 'policy file, YAML or JSON (default: the default policy)')
    .addOption(new Option('--format <format>', 'output: text (default), json or sarif (SARIF 2.1.0)').choices(CHECK_FORMATS))
    .option('--json', 'same as --format json')
    .option('--verbose', 'also list what only deploy can tell (parameters, imports, values known after apply, Auto Scaling groups) and was not judged')
    .addHelpText(
      'after',
      '\nRules: max-target-share (error), forward-reaches-targets (error; warning when only part of a path is lost),' +
        '\n  healthy-target-cut (warning: a group with fewer fixed targets than minHealthyTargets). Values known only at deploy' +
        "\n  are skipped, never guessed; a group whose targets the template does not fix (Auto Scaling, ECS) skips target rules." +
        '\n\nTerraform: a plan (`terraform show -json plan.out`) is judged as the change it is, by the watchdog\'s own engine: the' +
        '\n  verdicts it gives at run time (max-target-share, healthy-target-cut, forward-reaches-targets, fail-open; not' +
        '\n  capacity-headroom, which needs the live metrics a plan does not have: judged by shares), findings at' +
        '\n  Terraform addresses. A state (`terraform show -json`) has no "before" and is checked like a template.' +
        '\n\nExamples:\n  npx cdk synth && elb-watchdog check cdk.out\n  elb-watchdog check web.template.yaml --policy policy.yaml --format sarif > check.sarif' +
        '\n  terraform plan -out plan.out && terraform show -json plan.out > plan.json && elb-watchdog check plan.json' +
        '\n\nExit codes: 0 no problems, 1 warnings only, 2 errors found; 2 also for bad input (an unreadable file, invalid' +
        '\n  JSON or YAML, not a CloudFormation template, a bad policy), with one line on stderr.',
    )
    .action((paths: string[], options: CheckCommandOptions) => runCheck(paths, options));
}

function formatOfOptions(options: CheckCommandOptions): (typeof CHECK_FORMATS)[number] {
  if (options.json === true && options.format !== undefined && options.format !== 'json') {
    throw new UsageError(`--json and --format ${options.format} ask for two outputs: pick one`);
  }
  return options.json === true ? 'json' : (options.format ?? 'text');
}

function runCheck(paths: readonly string[], options: CheckCommandOptions): void {
  const format = formatOfOptions(options);
  const policy = loadPolicy(options.policy);
  const lines = new Map<string, ReadonlyMap<string, number>>();
  const checks = collectTemplates(paths).map((file): TemplateCheck | TerraformCheck => {
    const text = readText(file.path);
    const terraform = terraformJson(text);
    if (terraform !== undefined) {
      lines.set(file.path, addressLines(text));
      return checkTerraform(parseTerraformJson(terraform, file.path), { file: file.path, policy });
    }
    const parsed = parseTemplate(text, file.path, formatOf(file.path));
    lines.set(file.path, parsed.lines);
    return checkTemplate(parsed.template, { file: file.path, policy, environment: file.environment });
  });
  const findings = checks.flatMap((c) => c.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (format === 'sarif') {
    const terraformFiles = new Set(checks.filter(isTerraform).map((c) => c.file));
    // A plan's findings come from the core's rules; those the static rules lack (fail-open) are described too.
    const rules = [...STATIC_RULES.rules, ...planRuleDescriptors().filter((r) => STATIC_RULES.get(r.id) === undefined)];
    writeJson(
      toSarif(checks, { rules }, {
        version: packageJson.version,
        lines,
        uriOf: (file) => relative(process.cwd(), resolve(file)).split(sep).join('/'),
        qualifiedNameOf: (file, id) => (terraformFiles.has(file) ? id : `Resources.${id}`),
      }),
    );
  } else if (format === 'json') {
    const files = checks.map((c) => ({ file: c.file, ...(isTerraform(c) && { kind: c.kind, verdicts: c.verdicts }), counts: c.counts }));
    writeJson({ errors, warnings, templates: files, findings, notes: checks.flatMap((c) => c.notes.map((n) => ({ file: c.file, ...n }))) });
  } else {
    const out = findings.map((f) => `${f.file}:${f.logicalId}: ${f.severity} ${f.ruleId}: ${f.message}`);
    if (options.verbose === true) out.push(...checks.flatMap((c) => c.notes.map((n) => `${c.file}:${n.logicalId}: note: ${n.message}`)));
    out.push(summary(checks, errors, warnings, options.verbose === true));
    process.stdout.write(`${out.join('\n')}\n`);
  }
  process.exitCode = errors > 0 ? EXIT.usage : warnings > 0 ? EXIT.failure : EXIT.ok;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function isTerraform(check: TemplateCheck | TerraformCheck): check is TerraformCheck {
  return 'kind' in check;
}

/** The parsed JSON of a `terraform show -json` file, told by its content (whatever its name); undefined for anything else. */
function terraformJson(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined; // the template reader reports bad JSON with its own message
  }
  return terraformKindOf(raw) === undefined ? undefined : raw;
}

function summary(checks: readonly (TemplateCheck | TerraformCheck)[], errors: number, warnings: number, verbose: boolean): string {
  const total = checks.reduce<StaticCounts>(
    (sum, c) => ({ loadBalancers: sum.loadBalancers + c.counts.loadBalancers, listeners: sum.listeners + c.counts.listeners, rules: sum.rules + c.counts.rules, targetGroups: sum.targetGroups + c.counts.targetGroups }),
    { loadBalancers: 0, listeners: 0, rules: 0, targetGroups: 0 },
  );
  const checked =
    total.listeners + total.rules + total.targetGroups === 0
      ? 'no ELBv2 listener, rule or target group found'
      : `${plural(total.loadBalancers, 'load balancer')}, ${plural(total.listeners, 'listener')}, ${plural(total.rules, 'rule')}, ${plural(total.targetGroups, 'target group')} checked`;
  const head =
    errors + warnings === 0 ? '✓ no problems' : errors === 0 ? `! ${plural(warnings, 'warning')}` : `✗ ${plural(errors, 'error')}${warnings === 0 ? '' : `, ${plural(warnings, 'warning')}`}`;
  const notes = checks.reduce((n, c) => n + c.notes.length, 0);
  const kinds = new Set(checks.map((c) => (isTerraform(c) ? c.kind : 'template')));
  const when = kinds.has('template') ? 'deploy' : 'apply';
  const unjudged = notes === 0 || verbose ? '' : `; ${notes} known only at ${when} not judged (--verbose lists them)`;
  const noun = kinds.size !== 1 ? 'file' : kinds.has('terraform-plan') ? 'plan' : kinds.has('terraform-state') ? 'state' : 'template';
  return `${head} in ${plural(checks.length, noun)} (${checked})${unjudged}`;
}

/** Template files from the arguments: files as given, directories scanned (cdk.out, with its stage assemblies). */
function collectTemplates(paths: readonly string[]): TemplateFile[] {
  const files: TemplateFile[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`, { cause: error });
    }
    if (!isDirectory) {
      files.push({ path, environment: environmentsIn(dirname(path)).get(resolve(path)) });
      continue;
    }
    const found = scan(path);
    if (found.length === 0) throw new UsageError(`${path}: no *.template.json in it (run \`cdk synth\` first, or name the template files)`);
    files.push(...found);
  }
  return files;
}

function scan(dir: string): TemplateFile[] {
  const environments = environmentsIn(dir);
  const files: TemplateFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // Assets hold bundled code, not templates; stages' assemblies (assembly-*) hold templates of their own.
    if (entry.name.startsWith('.') || entry.name.startsWith('asset.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...scan(path));
    else if (entry.name.endsWith('.template.json')) files.push({ path, environment: environments.get(resolve(path)) });
  }
  return files;
}

/** Template file (absolute) → environment, from a cloud assembly's manifest.json (none, or unreadable: no environments). */
function environmentsIn(dir: string): Map<string, TemplateEnvironment> {
  const found = new Map<string, TemplateEnvironment>();
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return found;
  }
  const artifacts = (manifest as { artifacts?: Record<string, { type?: string; environment?: string; properties?: { templateFile?: string } }> }).artifacts ?? {};
  for (const artifact of Object.values(artifacts)) {
    const file = artifact.properties?.templateFile;
    const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
    if (artifact.type !== 'aws:cloudformation:stack' || typeof file !== 'string' || match === null) continue;
    const [, account, region] = match;
    found.set(resolve(dir, file), { ...(account !== 'unknown-account' && { account }), ...(region !== 'unknown-region' && { region }) });
  }
  return found;
}

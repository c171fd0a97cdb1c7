import type { CollectionTag, ScalarTag } from 'yaml';

/**
 * CloudFormation's YAML short forms (`!Ref X`, `!GetAtt X.Arn`, `!Sub ...`, `!If [...]`) read as the
 * long JSON forms (`{ "Ref": "X" }`, `{ "Fn::GetAtt": ["X", "Arn"] }`), so the rest of the static check
 * sees one shape whatever the template was written in.
 */

const FUNCTIONS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString',
] as const;

function longForm(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

function scalar(name: string): ScalarTag {
  return {
    tag: `!${name}`,
    // `!GetAtt Res.Attr` is the one short form whose scalar is a list in long form.
    resolve: (value: string) => ({ [longForm(name)]: name === 'GetAtt' ? splitGetAtt(value) : value }),
  };
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function collection(name: string, kind: 'seq' | 'map'): CollectionTag {
  return { tag: `!${name}`, collection: kind, resolve: (node) => ({ [longForm(name)]: node.toJSON() }) };
}

/** The `customTags` for `yaml.parse` that read CloudFormation templates. */
export const CFN_YAML_TAGS: (ScalarTag | CollectionTag)[] = ['Ref', 'Condition', ...FUNCTIONS].flatMap((name) => [
  scalar(name),
  collection(name, 'seq'),
  collection(name, 'map'),
]);

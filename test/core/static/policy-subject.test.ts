import { validatePolicy } from '../../../lambdas/core/policy';
import { globsOverlap, matchOverride, staticSettings, type OverrideMatch, type StaticSubject } from '../../../lambdas/core/static';

const NAMED = 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/web/*';
const subject = (arn: string, tags: Record<string, string | undefined> = {}, tagsKnown = true): StaticSubject => ({ arn, tags: new Map(Object.entries(tags)), tagsKnown });
const override = (match: Record<string, unknown>) => validatePolicy({ overrides: [{ match }] }).overrides[0];

describe('Function: globsOverlap', () => {
  it.each<[string, string, boolean]>([
    ['*:loadbalancer/app/web/*', NAMED, true],
    ['*:loadbalancer/app/api/*', NAMED, false],
    ['arn:aws:elasticloadbalancing:*:111122223333:*', NAMED, true],
    ['arn:aws:elasticloadbalancing:*:111122223333:*', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/*', false],
    ['arn:aws:elasticloadbalancing:us-*', NAMED, true],
    ['arn:aws-cn:*', NAMED, false],
  ])('%s against %s: %s', (pattern, arn, expected) => {
    expect(globsOverlap(pattern, arn)).toBe(expected);
  });
});

describe('Function: matchOverride', () => {
  it.each<[string, Record<string, unknown>, StaticSubject, OverrideMatch]>([
    ['a name pattern that covers every deployment', { arn: '*:loadbalancer/app/web*' }, subject(NAMED), 'yes'],
    ['a pinned account, unknown before deploy', { arn: 'arn:aws:elasticloadbalancing:*:111122223333:*' }, subject(NAMED), 'maybe'],
    ['another name', { arn: '*:loadbalancer/app/api/*' }, subject(NAMED), 'no'],
    ['a literal tag', { tags: { env: 'prod' } }, subject(NAMED, { env: 'prod' }), 'yes'],
    ['another tag value', { tags: { env: 'prod' } }, subject(NAMED, { env: 'dev' }), 'no'],
    ['a missing tag', { tags: { env: 'prod' } }, subject(NAMED), 'no'],
    ['a tag whose value is a parameter', { tags: { env: 'prod' } }, subject(NAMED, { env: undefined }), 'maybe'],
    ['any value of a tag whose value is a parameter', { tags: { env: '*' } }, subject(NAMED, { env: undefined }), 'yes'],
    ['tags that are a parameter', { tags: { env: 'prod' } }, subject(NAMED, {}, false), 'maybe'],
    ['ARN and tag both needed, the tag fails', { arn: '*', tags: { env: 'prod' } }, subject(NAMED, { env: 'dev' }), 'no'],
  ])('%s: %s', (_case, match, lb, expected) => {
    expect(matchOverride(override(match), lb)).toBe(expected);
  });
});

describe('Function: staticSettings', () => {
  it('applies overrides that surely match, in order, and lists the undecidable ones', () => {
    // Prepare
    const policy = validatePolicy({
      mode: 'enforce',
      rules: { 'max-target-share': { limitPercent: 60 } },
      overrides: [
        { name: 'prod', match: { tags: { env: 'prod' } }, rules: { 'max-target-share': { limitPercent: 70 } } },
        { name: 'web', match: { arn: '*:loadbalancer/app/web/*' }, mode: 'dry-run', rules: { 'max-target-share': { limitPercent: 80 } } },
        { name: 'sandbox', match: { arn: '*:111122223333:*' }, mode: 'off' },
      ],
    });

    // Act
    const settings = staticSettings(policy, subject(NAMED, { env: 'prod' }));

    // Assess
    expect(settings.rules.get('max-target-share')).toEqual({ enabled: true, params: { limitPercent: 80, includeLambdaAndAlbTargets: false } });
    expect(settings.mode).toBe('dry-run');
    expect(settings.undecided).toEqual(['sandbox']);
  });
});

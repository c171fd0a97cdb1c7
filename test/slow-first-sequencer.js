// @ts-check
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Orders test files longest first, so no worker idles at the end of a run while the other finishes a long
 * file. Jest's own order does that from the durations it cached on an earlier run, and without a cache
 * (a clean clone: every CI run) by file size, which puts the long, short files last: a CI run ended with
 * the chaos file (70 s) alone after every other file had finished. Without a cached duration a file's
 * expected seconds come from its folder or its own entry below (measured in CI runs on 2 cores), else from
 * its size.
 */
const EXPECTED_SECONDS_BY_PATH = [
  ['test/package/', 110],
  ['test/chaos/', 70],
  ['test/e2e/', 50],
  // Two files slower than their folders (the CLI starting the stand-in; calls paced by real token buckets).
  ['test/sim/cli.test.ts', 35],
  ['test/aws/polite-elbv2-client.test.ts', 35],
  ['test/cli/', 25],
  ['test/action/', 15],
  ['test/sim/', 10],
  ['test/cdk/', 10],
];

class SlowFirstSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    /** @param {import('@jest/test-result').Test} test */
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    /** @param {import('@jest/test-result').Test} test */
    const expected = (test) => {
      const cached = this.time(test);
      if (cached !== undefined) return cached;
      const relative = test.path.slice(test.context.config.rootDir.length + 1).split('\\').join('/');
      const byPath = EXPECTED_SECONDS_BY_PATH.find(([prefix]) => relative.startsWith(String(prefix)));
      // About 1 s per 2 KB of test code for the rest (pure logic; a few seconds at most).
      return byPath !== undefined ? Number(byPath[1]) * 1000 : size(test) / 2;
    };
    const failed = new Map(tests.map((test) => [test.path, Number(this.hasFailed(test))]));
    const ms = new Map(tests.map((test) => [test.path, expected(test)]));
    const sizes = new Map(tests.map((test) => [test.path, size(test)]));
    // Files that failed last time first (jest's rule too), then the longest expected, the larger file on a tie.
    const key = (/** @type {Map<string, number>} */ map, /** @type {import('@jest/test-result').Test} */ test) => map.get(test.path) ?? 0;
    return [...tests].sort((a, b) => key(failed, b) - key(failed, a) || key(ms, b) - key(ms, a) || key(sizes, b) - key(sizes, a));
  }
}

module.exports = SlowFirstSequencer;

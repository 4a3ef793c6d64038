// Inputs built to make rules slow (issue 10, item 4): each is extracted at two sizes, and the
// time per MiB is compared with the seeds' own, so a rule that turns quadratic shows at once.
import { performance } from 'node:perf_hooks';
import { extractStatements } from '../../extractors/extract-statements.js';

const KIB = 1024;
/** A pathological input may cost this many times the seeds' time per MiB before it counts as over budget. */
const BUDGET = 20;

const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length));

/** Each builds about `size` characters. */
const INPUTS: Record<string, (size: number) => string> = {
  'one list of the same name': (size) => `Số xã đạt 19 tiêu chí 03 xã: ${repeat('Tân Lập, ', size)}`,
  'blank lines between name and count': (size) => `xã Tân Lập${'\n'.repeat(size)}đạt 13/19 tiêu chí`,
  'counts with no full stop': (size) => repeat('xã Tân Lập đạt 13/19 tiêu chí, ', size),
  'names each with a count': (size) => repeat('Tân Lập, Hòa Bình 8/19 tiêu chí, ', size),
  'lists and their anaphora': (size) => repeat('03 xã được công nhận là: Tân Lập, Hòa Bình, Yên Thịnh. Ba xã này đều đạt 19/19 tiêu chí. ', size),
  'capitalised words only': (size) => `${repeat('Tân Lập Hòa Bình Yên Thịnh ', size)} đạt 13/19 tiêu chí`,
  'blank lines before dates': (size) => `${'\n \n'.repeat(size / 3)}ngày 20/7/2022 kiểm tra xã Tân Lập đạt 13/19 tiêu chí`,
};

function secondsFor(text: string): number {
  const start = performance.now();
  extractStatements([{ page: 1, text, hasTextLayer: true }]);
  return (performance.now() - start) / 1000;
}

export function pathologicalInputs(line: (label: string, value: string) => void, seedSecondsPerMib: number): void {
  console.log("\n# Pathological inputs (time per MiB against the seeds' own; budget " + `${BUDGET}x)`);
  for (const [name, build] of Object.entries(INPUTS)) {
    const small = build(64 * KIB);
    const large = build(256 * KIB);
    const smallSeconds = secondsFor(small);
    const largeSeconds = secondsFor(large);
    const perMib = largeSeconds / (large.length / (KIB * KIB));
    const ratio = perMib / seedSecondsPerMib;
    const growth = largeSeconds / Math.max(smallSeconds, 1e-4);
    line(
      name,
      `${largeSeconds.toFixed(2)} s for 256 KiB (4x the size: ${growth.toFixed(1)}x the time), ${ratio.toFixed(1)}x the seeds' s/MiB ${ratio <= BUDGET ? 'within budget' : 'OVER BUDGET'}`,
    );
  }
}

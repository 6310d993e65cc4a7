// The README's benchmark sections are the scripts' output, never typed by hand, and one
// machine's run must not erase another's: between a script's markers, each machine has its
// own block, `<!-- machine: KEY -->` ... `<!-- /machine -->`, KEY the CPU line of
// measure.mjs machine(). A run replaces its machine's block (or adds it first) and keeps the
// others. Content between the markers from before the blocks existed becomes the block of the
// machine its "Machine: ..." line names.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const OPEN = /<!-- machine: (.+?) -->\n/g, CLOSE = '<!-- /machine -->';

/** The machine blocks between BEGIN and END of a README text: [{ key, body }], in order. */
export function machineBlocks(inner) {
  const blocks = [];
  const trimmed = inner.trim();
  if (!trimmed) return blocks;
  if (!trimmed.startsWith('<!-- machine: ')) {
    const key = trimmed.match(/^Machine: (.+?) \(/m)?.[1];
    if (!key) throw new Error('README: a benchmark section without a "Machine: " line and without machine blocks');
    return [{ key, body: trimmed }];
  }
  let m;
  OPEN.lastIndex = 0;
  while ((m = OPEN.exec(trimmed))) {
    const end = trimmed.indexOf(CLOSE, OPEN.lastIndex);
    if (end < 0) throw new Error(`README: the block of ${m[1]} is not closed (${CLOSE})`);
    blocks.push({ key: m[1], body: trimmed.slice(OPEN.lastIndex, end).trim() });
    OPEN.lastIndex = end + CLOSE.length;
  }
  return blocks;
}

/** Writes body as machine `key`'s block between the markers BEGIN and END of README.md. */
export function writeMachineBlock(begin, end, key, body, file = new URL('../README.md', import.meta.url)) {
  const readme = readFileSync(file, 'utf8');
  const from = readme.indexOf(begin), to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${begin} ... ${end} section`);
  const others = machineBlocks(readme.slice(from + begin.length, to)).filter((b) => b.key !== key);
  const blocks = [{ key, body: body.trim() }, ...others];
  const inner = blocks.map((b) => `<!-- machine: ${b.key} -->\n${b.body}\n${CLOSE}`).join('\n\n');
  writeFileSync(file, `${readme.slice(0, from)}${begin}\n${inner}\n${readme.slice(to)}`);
  return blocks.map((b) => b.key);
}

/** A file-name form of a machine key: "AMD EPYC (family 25, model 17)" -> "amd-epyc-family-25-model-17". */
export const machineSlug = (key) => key.toLowerCase().replace(/\(r\)|\(tm\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The commit the kernels were built from, "+ changes" when src/ differs from it: which code a block measured. */
export function sourceRevision() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? ' + changes' : ''}`;
  } catch { return 'an unknown revision (no git)'; }
}

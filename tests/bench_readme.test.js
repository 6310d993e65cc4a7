// bench/readme.mjs: the benchmark scripts keep one README block per machine, so a run on one
// machine replaces that machine's results and keeps every other machine's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineBlocks, writeMachineBlock, machineSlug } from '../bench/readme.mjs';

const BEGIN = '<!-- bench -->', END = '<!-- /bench -->';

test('bench README blocks: a run replaces its machine, keeps the others, migrates a section without blocks', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'actq-readme-')), 'README.md');
  writeFileSync(file, `# t\n\n${BEGIN}\n### Results\n\nMachine: Intel(R) Xeon(R) Processor (2 cores; avx), linux x64.\n| a | 1 |\n${END}\n\nafter\n`);
  assert.deepEqual(writeMachineBlock(BEGIN, END, 'AMD EPYC (family 25, model 17)', 'Machine: AMD EPYC (family 25, model 17) (2 cores)\n| a | 2 |', file),
    ['AMD EPYC (family 25, model 17)', 'Intel(R) Xeon(R) Processor']);
  let text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('# t\n\n') && text.endsWith(`${END}\n\nafter\n`), 'outside the markers unchanged');
  let blocks = machineBlocks(text.slice(text.indexOf(BEGIN) + BEGIN.length, text.indexOf(END)));
  assert.deepEqual(blocks.map((b) => b.key), ['AMD EPYC (family 25, model 17)', 'Intel(R) Xeon(R) Processor']);
  assert.ok(blocks[1].body.includes('| a | 1 |'), 'the other machine kept as it was');

  writeMachineBlock(BEGIN, END, 'Intel(R) Xeon(R) Processor', 'Machine: Intel(R) Xeon(R) Processor (2 cores)\n| a | 3 |', file);
  text = readFileSync(file, 'utf8');
  blocks = machineBlocks(text.slice(text.indexOf(BEGIN) + BEGIN.length, text.indexOf(END)));
  assert.deepEqual(blocks.map((b) => [b.key, b.body.split('\n')[1]]), [['Intel(R) Xeon(R) Processor', '| a | 3 |'], ['AMD EPYC (family 25, model 17)', '| a | 2 |']]);

  writeFileSync(file, `${BEGIN}\n<!-- machine: X -->\nno end\n${END}\n`);
  assert.throws(() => writeMachineBlock(BEGIN, END, 'Y', 'y', file), /not closed/);
  writeFileSync(file, 'no markers\n');
  assert.throws(() => writeMachineBlock(BEGIN, END, 'Y', 'y', file), /has no <!-- bench -->/);
  assert.equal(machineSlug('Intel(R) Xeon(R) Processor'), 'intel-xeon-processor');
  assert.equal(machineSlug('AMD EPYC (family 25, model 17)'), 'amd-epyc-family-25-model-17');
});

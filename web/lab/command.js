// The `actq lab` command line for the page's settings, in the CLI's own flag syntax
// (bin/lab.mjs), so a user can rerun a page's table in a terminal and get the same numbers
// (same settings, same seed, same wasm kernels).
//
// The C header: the CLI's --export-c writes
//   integerNetworkToC(integerNetworkFromJSON(json), { name: 'actq_net', version: VERSION, source: `actq lab ${args.join(' ')}` })
// for the first --deploy entry at the first --bits. The page exports the selected row's
// network with the command that exports exactly that network -- the same training flags,
// that one definition and width, --qat-epochs 0 for a PTQ row -- as `source`, so the header
// is byte for byte the file that command writes. (Every deployment is computed from the same
// trained weights and seed, independently of the others, so the narrower command gives the
// same network; tests/lab_page.test.js checks the bytes.)

import { cliActivation, lrOf } from './settings.js';

export const HEADER_FILE = 'actq_net.h';

/**
 * The CLI arguments (after `actq lab`) for settings `s`, or { args: null, reason } when a
 * setting has no flag (custom activation parameters). Every flag is written out, defaults
 * included, so the command does not depend on the CLI's defaults staying the same.
 * @param {{ deploy?: object[], bits?: number[], qatEpochs?: number, exportC?: string, json?: boolean }} [over]
 */
export function labArgs(aq, meta, s, over = {}) {
  const deploy = (over.deploy ?? s.deploy).map((a) => cliActivation(aq, a));
  const train = cliActivation(aq, s.train);
  if (train === null || deploy.includes(null)) {
    return { args: null, reason: 'the CLI takes activations as NAME or NAME:PRESET: custom parameters have no command line' };
  }
  const args = ['--data', s.data];
  if (s.data !== 'mnist' && s.noise !== null) args.push('--noise', String(s.noise));
  args.push(
    '--hidden', s.hidden.join(','),
    '--train', train,
    '--deploy', deploy.join(','),
    '--bits', (over.bits ?? s.bits).join(','),
    '--epochs', String(s.epochs),
    '--qat-epochs', String(over.qatEpochs ?? s.qatEpochs),
    '--batch', String(s.batch),
    '--lr', String(lrOf(s, meta)),
    '--optimizer', s.optimizer,
    '--seed', String(s.seed),
  );
  if (over.json) args.push('--json');
  if (over.exportC !== undefined) args.push('--export-c', over.exportC);
  return { args, reason: null };
}

/** The header's `source` line for compare row `row` of the run made with settings `s`:
 *  exactly what the CLI writes for the command that exports that row's network. */
export function headerCommand(aq, meta, s, row, deployIndex) {
  const { args, reason } = labArgs(aq, meta, s, {
    deploy: [s.deploy[deployIndex]], bits: [row.bits], qatEpochs: row.stage === 'qat' ? s.qatEpochs : 0, exportC: HEADER_FILE,
  });
  return args ? { args, source: `actq lab ${args.join(' ')}`.trim(), reason } : { args: null, source: null, reason };
}

/** A command as one line a shell reads back the same (no argument here needs quoting but ours). */
export const shellLine = (args) => ['npx', 'actq', 'lab', ...args].map((a) => (/^[\w.,:=/+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');

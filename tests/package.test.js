// The package as a user gets it: npm pack, install the tarball into an empty project,
// import it, and type-check a TypeScript consumer against the shipped declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('npm pack installs into an empty project where import { load } from "actq" works, typed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'actq-pack-'));
  try {
    sh('npm', ['pack', '--silent', '--pack-destination', dir], root);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const files = sh('tar', ['-tzf', join(dir, tarball)], dir).split('\n');
    for (const f of ['package/src/js/index.js', 'package/src/js/index.d.ts', 'package/src/js/activations.d.ts',
      'package/src/js/wasm/actq.simd.wasm', 'package/src/js/wasm/actq.scalar.wasm', 'package/bin/actq.mjs', 'package/bin/lab.mjs',
      'package/src/js/lab/index.js', 'package/src/js/lab/index.d.ts', 'package/src/js/lab/mnist.bin',
      'package/src/js/wasm/lab.simd.wasm', 'package/src/js/wasm/lab.scalar.wasm']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    assert.ok(!files.some((f) => f.includes('/tests/') || f.includes('/src/c/')), 'tests and C sources stay out');

    const app = join(dir, 'app');
    sh('mkdir', ['-p', app], dir);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    sh('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, tarball)], app);
    writeFileSync(join(app, 'main.mjs'), `
      import { load, VERSION } from 'actq';
      import { readFileSync } from 'node:fs';
      if (VERSION !== JSON.parse(readFileSync('node_modules/actq/package.json', 'utf8')).version) throw new Error('VERSION');
      const aq = await load();
      const scalar = await load({ simd: false });
      const y = aq.forward('hard_sigmoid', Float32Array.of(-3, 0, 1), 'pytorch');
      const q = aq.quantize(Float32Array.of(0.5), { scale: 1 / 256, zeroPoint: -128 });
      const { loadLab } = await import('actq/lab');
      const lab = await loadLab();
      const digits = await lab.data('mnist', { train: 500, test: 100 });
      const net = lab.mlp({ sizes: [784, 16, 10], activation: 'sigmoid' });
      net.train(digits.train, { epochs: 1 });
      const int = lab.quantize(net.withActivation('hard_sigmoid', 'pytorch'), digits.train, { bits: 4 });
      const acc = int.evaluate(digits.test).accuracy;
      console.log(JSON.stringify({ simd: aq.simd, scalar: scalar.simd, y: Array.from(y), q: q[0], n: aq.activations.length, lab: acc > 0.3 }));
    `);
    const out = JSON.parse(sh(process.execPath, ['main.mjs'], app));
    assert.deepEqual(out, { simd: true, scalar: false, y: [0, 0.5, Math.fround(4 / 6)], q: 0, n: 27, lab: true });

    writeFileSync(join(app, 'consumer.ts'), `
      import { load, type Actq, type QParams } from 'actq';
      import { lutToC } from 'actq/export';
      const aq: Actq = await load();
      const x = new Float32Array(8);
      const y: Float32Array = aq.forward('hard_sigmoid', x, { preset: 'pytorch', offset: 0.4 });
      const z: Float32Array = aq.derivative('prelu', x, { alpha: [0.1, 0.2], inner: 4 });
      const qp: QParams = { scale: 0.1, bits: 4, rounding: 'half_away' };
      const codes = aq.quantize(y, qp);
      const header: string = lutToC(aq.lut('sigmoid', null, { scale: 0.0625 }, 'tflite-logistic'), { name: 'sig' });
      const fitted = aq.fit('sigmoid', { form: 'pwl', pieces: 5, slopes: 'pow2', outQp: 'tflite-logistic' });
      const fitError: number = fitted.maxError + fitted.presets[0].rmsError;
      // @ts-expect-error: not an activation
      aq.forward('sigmod', x);
      // @ts-expect-error: not a hard_sigmoid preset
      aq.forward('hard_sigmoid', x, 'keras');
      // @ts-expect-error: not a hard_sigmoid parameter
      aq.forward('hard_sigmoid', x, { alpha: 1 });
      console.log(z.length, codes.length, header.length);
      import { loadLab, type Mlp, type CompareResult } from 'actq/lab';
      const lab = await loadLab({ simd: false });
      const net: Mlp = lab.mlp({ sizes: [2, 8, 2], activation: 'hard_sigmoid:pytorch', seed: 3 });
      const moons = await lab.data('moons', { noise: 0.2 });
      const trained = net.train(moons.train, { epochs: 2, optimizer: 'sgd', lr: 0.1 });
      const table: CompareResult = await lab.compare({ data: moons, deploy: ['relu'], bits: [4], epochs: 1, qatEpochs: 1 });
      // @ts-expect-error: not an optimizer
      net.train(moons.train, { optimizer: 'rmsprop' });
      console.log(trained.samplesPerSecond, table.rows[0].accuracy, lab.quantize(net, moons.train, { bits: 4 }).evaluate(moons.test).accuracy);
    `);
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    sh(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', 'consumer.ts'], app);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

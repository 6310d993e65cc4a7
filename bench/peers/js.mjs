// The no-library baseline: a plain JS loop over Float32Arrays (ops.mjs JS_LOOPS).
import { JS_LOOPS } from '../ops.mjs';

export async function systems() {
  return {
    info: { node: `${process.version} (V8 ${process.versions.v8})` },
    list: [{
      id: 'js', label: 'plain JS loop',
      supports: (op) => op in JS_LOOPS,
      prepare(op, x) {
        const y = new Float32Array(x.length), loop = JS_LOOPS[op];
        return { run: () => loop(x, y), read: () => y, dispose() {} };
      },
    }],
  };
}

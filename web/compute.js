// Every number the page shows comes from here, and every one is computed by the actq wasm
// module: the activation, its derivative, calibration, fake quantization, the STE mask, the
// error metrics, the LUT and the integer kernel. The page itself only subtracts (error =
// quantized - float) and multiplies (STE gradient = mask * f').
//
// "Deployed" is what an edge chip computes for a function: the input quantized to 8-bit
// codes over the plotted range, the function's lookup table at the chosen output bits (the
// same table the LUT export writes, up to its bit width), the output codes dequantized --
// compared with the smooth function it replaces (hard_sigmoid -> sigmoid, ...; a function
// without a smooth partner against itself), in float.

import { FIXED_QPARAMS, PAIRS } from './state.js';

/** Output qparams for y: a framework's fixed ones, or calibrated on y at `bits`. */
export function outputQParams(aq, y, quant, bits) {
  if (FIXED_QPARAMS.includes(quant.out)) {
    return aq.outputQParams(quant.out, { signed: quant.signed, rounding: quant.rounding });
  }
  return aq.calibrate(y, {
    bits, signed: quant.signed, symmetric: quant.symmetric, rounding: quant.rounding,
    method: quant.out, percentile: quant.percentile,
  });
}

/** 8-bit input qparams covering the plotted input range (min/max over the grid). Rounding is
 *  left at its default: a table enumerates input codes, input rounding never enters it. */
export function inputQParams(aq, x, quant) {
  return aq.calibrate(x, { bits: 8, signed: quant.signed, symmetric: quant.symmetric, method: 'minmax' });
}

/** The params argument for table APIs: null when the activation takes none, and a one-element
 *  list as a plain number -- how the CLI spells it, so the exported files are byte-identical. */
function paramsOf(aq, s) {
  if (aq.activation(s.name).params.length === 0) return null;
  return Object.fromEntries(Object.entries(s.params).map(([k, v]) => [k, Array.isArray(v) && v.length === 1 ? v[0] : v]));
}

/**
 * The 8-bit LUT of series s, as exported: input qparams from the plotted range, output
 * qparams as on the charts but at 8 bits (a fixed preset is 8-bit already).
 */
export function lutFor(aq, x, y, s, quant) {
  const inQp = inputQParams(aq, x, quant);
  const outQp = outputQParams(aq, y, quant, 8);
  return aq.lut(s.name, paramsOf(aq, s), inQp, outQp);
}

/** Every input code of qp, as the typed array the integer APIs take. */
function allCodes(aq, qp) {
  const [lo, hi] = aq.codeRange(qp);
  const codes = qp.signed === false ? new Uint8Array(hi - lo + 1) : new Int8Array(hi - lo + 1);
  for (let k = 0; k < codes.length; k++) codes[k] = lo + k;
  return codes;
}

/** The deployed output over xs: quantize (8-bit input) -> table at the output bits -> dequantize.
 *  Above 8 output bits the table is the int16 interpolated one (lut16) on 16-bit input codes. */
function deployedOutput(aq, xs, y, s, quant, buffers) {
  const outQp = outputQParams(aq, y, quant, quant.bits);
  const wide = outQp.bits > 8;
  const inQp = wide ? aq.calibrate(xs, { bits: 16, signed: quant.signed, symmetric: quant.symmetric }) : inputQParams(aq, xs, quant);
  const lut = wide ? aq.lut16(s.name, paramsOf(aq, s), inQp, outQp) : aq.lut(s.name, paramsOf(aq, s), inQp, outQp);
  // code buffers reused across frames (one per code type): a frame allocates no big arrays
  const codes = aq.quantize(xs, inQp, buffers.codes(aq.codeRange(inQp), inQp, 'in'));
  const out = wide ? aq.applyLut16(lut, codes, buffers.codes(null, lut.outQp, 'out')) : aq.applyLut(lut, codes, buffers.codes(null, lut.outQp, 'out'));
  return aq.dequantize(out, lut.outQp, buffers.deployed);
}

/** Integer-only kernel vs the float-built LUT over all 8-bit codes: { codes, differ, maxLsb }. */
function integerPath(aq, lut, s) {
  const codes = allCodes(aq, lut.inQp);
  const kernel = aq.integerKernel(s.name, paramsOf(aq, s), lut.inQp, lut.outQp);
  const a = kernel.apply(codes);
  const b = aq.applyLut(lut, codes);
  let differ = 0, maxLsb = 0;
  for (let k = 0; k < codes.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    if (d) differ++;
    if (d > maxLsb) maxLsb = d;
  }
  return { codes: codes.length, differ, maxLsb };
}

const message = (e) => (e instanceof Error ? e.message : String(e));

export function createEngine(aq) {
  let x = new Float32Array(0);
  let gridKey = '';
  const pools = []; // per series slot: reused output arrays, so a frame allocates no big arrays

  function grid([lo, hi], n) {
    const key = `${lo},${hi},${n}`;
    if (key !== gridKey) {
      gridKey = key;
      x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * i) / (n - 1);
    }
    return x;
  }

  function pool(i, n) {
    if (pools[i]?.y.length !== n) {
      pools[i] = { y: 0, dy: 0, yq: 0, mask: 0, err: 0, ste: 0, dep: 0, deployed: 0 };
      for (const k of Object.keys(pools[i])) pools[i][k] = new Float32Array(n);
      const typed = new Map();
      pools[i].codes = (range, qp, role) => { // a code array of qp's type and length n, kept per (role, type)
        const Type = qp.bits > 8 ? (qp.signed === false ? Uint16Array : Int16Array) : qp.signed === false ? Uint8Array : Int8Array;
        const key = `${role}:${Type.name}`;
        if (!typed.has(key)) typed.set(key, new Type(n));
        return typed.get(key);
      };
    }
    return pools[i];
  }

  const cache = []; // per series slot: { key, r } -- a frame recomputes only the functions that changed
  const references = new Map(); // smooth partner name -> its float outputs over the grid (gridKey)
  let referencesKey = '';

  /** The smooth function a deployed function is measured against: the one a fit was made
   *  for, the hard function's smooth partner, or itself. */
  function reference(r, xs) {
    const partner = r.reference === r.name ? null : r.reference;
    if (!partner) return r.y;
    if (referencesKey !== gridKey) { references.clear(); referencesKey = gridKey; }
    if (!references.has(partner)) references.set(partner, aq.forward(partner, xs));
    return references.get(partner);
  }

  /** Everything about one function that depends on it alone (and the global settings). */
  function seriesResult(state, s, i, xs) {
    const quant = state.quant, n = xs.length;
    const r = { index: i, name: s.name, params: s.params, ok: false, problem: '' };
    const b = pool(i, n);
    try {
      aq.forward(s.name, xs, s.params, b.y);
      aq.derivative(s.name, xs, s.params, b.dy);
    } catch (e) {
      r.problem = message(e);
      return r;
    }
    r.ok = true;
    r.y = b.y;
    r.dy = b.dy;
    if (quant.on) {
      try {
        r.qp = outputQParams(aq, b.y, quant, quant.bits);
        aq.fakeQuantize(b.y, r.qp, b.yq);
        aq.fakeQuantizeGrad(b.y, r.qp, b.mask);
        for (let k = 0; k < n; k++) {
          b.err[k] = b.yq[k] - b.y[k];
          b.ste[k] = b.mask[k] * b.dy[k];
        }
        r.yq = b.yq;
        r.err = b.err;
        r.ste = b.ste;
        r.metrics = aq.error(b.y, b.yq);
      } catch (e) {
        r.problem = `quantization: ${message(e)}`;
      }
    }
    // deployed vs the smooth reference, weighted by the chosen input distribution
    r.reference = s.reference ?? PAIRS[r.name] ?? r.name;
    try {
      const ref = reference(r, xs);
      const deployed = quant.on ? deployedOutput(aq, xs, r.y, s, quant, b) : r.y;
      const weighting = state.dist.kind === 'normal' ? { x: xs, distribution: { normal: { mean: state.dist.mean, sd: state.dist.sd } } } : {};
      r.deployed = aq.error(ref, deployed, weighting);
      r.deployed.maxAbs = aq.error(ref, deployed).maxAbs; // over the whole plotted range
      for (let k = 0; k < n; k++) b.dep[k] = deployed[k] - ref[k];
      r.depErr = b.dep;
    } catch (err) {
      r.deployed = { problem: message(err) };
    }
    // integer-only kernels vs the float-built LUT, at 8 bits
    if (quant.on && (r.name === 'hard_sigmoid' || r.name === 'hard_swish')) {
      try {
        r.integer = integerPath(aq, lutFor(aq, xs, r.y, s, quant), s);
      } catch (e) {
        r.integer = { problem: message(e) };
      }
    }
    return r;
  }

  /** Computes everything the charts and readouts show for `state`. */
  function run(state) {
    const quant = state.quant;
    const xs = grid(state.x, state.n);
    const n = xs.length;
    const settings = JSON.stringify([quant, state.x, n, state.dist]);
    cache.length = state.series.length;
    const series = state.series.map((s, i) => {
      const key = `${settings}|${s.name}|${JSON.stringify(s.params)}|${s.reference ?? ''}`;
      if (cache[i]?.key !== key) cache[i] = { key, r: seriesResult(state, s, i, xs) };
      return cache[i].r;
    });

    // hard vs smooth: the first shown smooth partner of each hard function
    for (const r of series) {
      r.vsSmooth = undefined;
      const partner = r.reference !== r.name ? r.reference : null;
      if (!partner || !r.ok) continue;
      const smooth = series.find((o) => o.name === partner && o.ok);
      if (smooth) r.vsSmooth = { name: partner, index: smooth.index, maxAbs: aq.error(smooth.y, r.y).maxAbs };
    }
    return { x: xs, n, quant, series };
  }

  return { run };
}

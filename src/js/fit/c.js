// A fit as integer-only C99: input code -> output code by compares, one multiply (or shifts
// and adds, where a piece's slope is a power of two or two) and a shift per piece, and a
// clamp. The code reproduces, for every input code, the table aq.lut builds from the fitted
// activation's float kernel (dequantize -> forward -> quantize): each piece's integers are
// solved from that table, and the whole function is checked against it before it is emitted.
//
// Per piece, codes u = q - qmin in [u0, u1]: y = floor((A u + B) / 2^S). A table entry t
// constrains t 2^S <= A u + B < (t + 1) 2^S (one-sided at the clamped ends). For a given S
// the feasible B form an interval whose length is concave in A, so the best A is found by
// ternary search; S grows from 0 until some A fits. A piece that no line fits (a curved
// piece, such as the middle of a hard_swish) is split into the longest runs that one fits.

import { codeRange, normalizeQParams } from '../quantize.js';
import { exactDecimal, hexFloat, cIdentifier } from '../export.js';

const MAX_SHIFT = 30;

/**
 * The output code of every input code, as aq.lut builds it (dequantize, the float kernel,
 * quantize), for 2..16-bit codes: { table, inQp, outQp } with normalized qparams.
 */
export function referenceTable(aq, activation, params, inQp, outQp) {
  const inL = normalizeQParams(inQp, 'inQp'), outL = normalizeQParams(outQp, 'outQp');
  if (inL.channels !== 1 || outL.channels !== 1) throw new RangeError('fit: integer code needs per-tensor qparams');
  const codes = new inL.CodeArray(inL.qmax - inL.qmin + 1);
  for (let i = 0; i < codes.length; i++) codes[i] = inL.qmin + i;
  const y = aq.forward(activation, aq.dequantize(codes, inL.normalized), params);
  return { table: aq.quantize(y, outL.normalized), inQp: inL.normalized, outQp: outL.normalized };
}

/** [lo, hi] of A u + B allowed by table entry t at output codes [qmin, qmax], for shift S. */
function bounds(t, qmin, qmax, S) {
  const p = 2 ** S;
  return [t <= qmin ? -Infinity : t * p, t >= qmax ? Infinity : (t + 1) * p - 1];
}

/** The B interval for slope A over codes u0..u1, or null. */
function offsetRange(T, u0, u1, A, qmin, qmax, S) {
  let lo = -Infinity, hi = Infinity;
  for (let u = u0; u <= u1; u++) {
    const [l, h] = bounds(T[u], qmin, qmax, S);
    lo = Math.max(lo, l - A * u);
    hi = Math.min(hi, h - A * u);
  }
  return lo <= hi ? [lo, hi] : null;
}

const gapOf = (T, u0, u1, A, qmin, qmax, S) => {
  let lo = -Infinity, hi = Infinity;
  for (let u = u0; u <= u1; u++) {
    const [l, h] = bounds(T[u], qmin, qmax, S);
    lo = Math.max(lo, l - A * u);
    hi = Math.min(hi, h - A * u);
  }
  return hi - lo;
};

/** Shift-add forms near a slope: +-2^j and +-(2^i +- 2^j), as integers. */
function shiftAddCandidates(alpha, S, two) {
  const out = new Set();
  const mag = Math.abs(alpha) * 2 ** S, sign = alpha < 0 ? -1 : 1;
  if (mag < 0.5) return [0];
  const j0 = Math.floor(Math.log2(mag));
  for (let j = Math.max(0, j0 - 1); j <= j0 + 1 && j < 47; j++) {
    out.add(sign * 2 ** j);
    if (two) for (let i = 0; i < j; i++) { out.add(sign * (2 ** j + 2 ** i)); out.add(sign * (2 ** j - 2 ** i)); }
  }
  return [...out];
}

/**
 * Integers { A, B, S } for codes u0..u1 of table T, or null. prefer: 'free' | 'pow2' |
 * 'pow2x2' (try the shift-add forms of the piece's slope alpha first).
 */
function solvePiece(T, u0, u1, qmin, qmax, alpha, prefer) {
  const allSame = (() => { for (let u = u0; u <= u1; u++) if (T[u] !== T[u0]) return false; return true; })();
  if (allSame) return { A: 0, B: T[u0], S: 0 };
  const n = u1 - u0 + 1;
  if (prefer !== 'free') {
    for (let S = 0; S <= MAX_SHIFT; S++) {
      for (const A of shiftAddCandidates(alpha, S, prefer === 'pow2x2')) {
        const r = offsetRange(T, u0, u1, A, qmin, qmax, S);
        if (r) return { A, B: pickB(r), S };
      }
    }
  }
  for (let S = 0; S <= MAX_SHIFT; S++) {
    const p = 2 ** S;
    const span = (Math.abs(T[u1] - T[u0]) + 2) * p; // |A| (u1 - u0) stays within the code span
    let lo = Math.floor(-span / Math.max(1, n - 1)) - 1, hi = Math.ceil(span / Math.max(1, n - 1)) + 1;
    lo = Math.max(lo, -(2 ** 31)); hi = Math.min(hi, 2 ** 31);
    while (hi - lo > 2) {
      const m1 = Math.floor(lo + (hi - lo) / 3), m2 = Math.ceil(hi - (hi - lo) / 3);
      if (gapOf(T, u0, u1, m1, qmin, qmax, S) < gapOf(T, u0, u1, m2, qmin, qmax, S)) lo = m1; else hi = m2;
    }
    for (let A = lo; A <= hi; A++) {
      const r = offsetRange(T, u0, u1, A, qmin, qmax, S);
      if (r) return { A, B: pickB(r), S };
    }
  }
  return null;
}

/** An integer B in [lo, hi] (integers or infinite), the middle when both are finite. */
const pickB = ([lo, hi]) => (lo === -Infinity ? hi : hi === Infinity ? lo : Math.floor((lo + hi) / 2));

const evalPiece = (p, u) => Math.floor((p.A * u + p.B) / 2 ** p.S);

/**
 * The integer program for a table: pieces [{ u0, u1, A, B, S }] covering every code.
 * cuts: the code intervals of the fit's pieces, with their slopes in codes per code.
 */
export function integerPieces(T, qmin, qmax, cuts, prefer) {
  const pieces = [];
  for (const { u0, u1, alpha } of cuts) {
    let start = u0;
    while (start <= u1) {
      let p = solvePiece(T, start, u1, qmin, qmax, alpha, prefer);
      let end = u1;
      if (!p) {
        // the longest run from start that one line fits (binary search on its end; one code
        // always fits, and any part of a run that fits fits)
        let lo = start, hi = u1;
        while (lo < hi) {
          const mid = Math.floor((lo + hi + 1) / 2);
          if (solvePiece(T, start, mid, qmin, qmax, alpha, prefer)) lo = mid; else hi = mid - 1;
        }
        end = lo;
        p = solvePiece(T, start, end, qmin, qmax, alpha, prefer);
      }
      pieces.push({ u0: start, u1: end, ...p });
      start = end + 1;
    }
  }
  // merge neighbours that one formula serves
  const merged = [];
  for (const p of pieces) {
    const q = merged[merged.length - 1];
    if (q && q.A === p.A && q.B === p.B && q.S === p.S) q.u1 = p.u1;
    else merged.push({ ...p });
  }
  return merged;
}

function cLiteral(v) {
  if (Math.abs(v) >= 2 ** 31) return `${v < 0 ? '-' : ''}INT64_C(${Math.abs(v)})`;
  return v < 0 ? `(${v})` : String(v);
}

/** The C expression of one piece over u (int32_t, >= 0), as int64_t. */
function expression(p) {
  if (p.A === 0) return cLiteral(Math.floor(p.B / 2 ** p.S));
  // keep the shifted value non-negative (right shifts of negative values are
  // implementation-defined in C): add off 2^S before, subtract off after
  const minNum = Math.min(p.A * p.u0 + p.B, p.A * p.u1 + p.B);
  const off = minNum < 0 && p.S > 0 ? Math.ceil(-minNum / 2 ** p.S) : 0;
  const B = p.B + off * 2 ** p.S;
  const mag = Math.abs(p.A), neg = p.A < 0;
  let term;
  const bit = Math.log2(mag);
  const shifted = (j) => (j === 0 ? '(int64_t)u' : `((int64_t)u << ${j})`);
  if (Number.isInteger(bit)) term = shifted(bit);
  else {
    const hi = Math.floor(Math.log2(mag)), rest = mag - 2 ** hi, restHigh = 2 ** (hi + 1) - mag;
    if (Number.isInteger(Math.log2(rest))) term = `(${shifted(hi)} + ${shifted(Math.log2(rest))})`;
    else if (Number.isInteger(Math.log2(restHigh))) term = `(${shifted(hi + 1)} - ${shifted(Math.log2(restHigh))})`;
    else term = `(int64_t)u * ${mag}`;
  }
  const num = neg ? `${cLiteral(B)} - ${term}` : B < 0 ? `${term} - ${cLiteral(-B)}` : `${term} + ${cLiteral(B)}`;
  const body = p.S ? `((${num}) >> ${p.S})` : `(${num})`;
  return off ? `${body} - ${off}` : body;
}

/** What the emitted C computes for code u (the same integer arithmetic, exactly). */
function simulate(pieces, u, qmin, qmax) {
  const p = pieces.find((q) => u >= q.u0 && u <= q.u1);
  const y = evalPiece(p, u);
  return Math.min(qmax, Math.max(qmin, y));
}

const ctype = (qp) => `${qp.signed ? '' : 'u'}int${qp.bits <= 8 ? 8 : 16}_t`;
const noComment = (s) => String(s).replace(/\*\//g, '* /').replace(/\/\*/g, '/ *');

/**
 * C99 header for fit result r with input and output qparams; table: the reference output
 * code of every input code (from the fitted activation's float kernel). Throws if the
 * integer program disagrees with the table anywhere (it cannot: every piece is solved
 * from it).
 */
export function fitToC(r, table, inQp, outQp, { name, version = '(version unknown)', formula = '' } = {}) {
  const [qminIn, qmaxIn] = codeRange(inQp), [qminOut, qmaxOut] = codeRange(outQp);
  const T = Array.from(table);
  const count = qmaxIn - qminIn + 1;
  // the fit's pieces as code intervals: code u belongs to the piece whose float interval
  // holds its input value (x >= from, as the pwl kernel selects)
  const xOf = (u) => Math.fround((qminIn + u - inQp.zeroPoint) * Math.fround(inQp.scale));
  const cuts = [];
  r.segments.forEach((seg) => {
    let u0 = -1, u1 = -2;
    for (let u = 0; u < count; u++) {
      const x = xOf(u);
      if (x >= seg.from && x < seg.to) { if (u0 < 0) u0 = u; u1 = u; }
    }
    if (u0 < 0) return;
    const alpha = ((seg.slope ?? 1) * inQp.scale) / outQp.scale;
    cuts.push({ u0, u1, alpha });
  });
  cuts.sort((p, q) => p.u0 - q.u0);
  // cover gaps (none, unless the segments leave some; then they join a neighbour)
  for (let i = 0; i + 1 < cuts.length; i++) if (cuts[i].u1 + 1 < cuts[i + 1].u0) cuts[i].u1 = cuts[i + 1].u0 - 1;
  if (cuts.length && cuts[0].u0 > 0) cuts[0].u0 = 0;
  const prefer = r.slopes === 'free' ? 'free' : r.slopes;
  const pieces = integerPieces(T, qminOut, qmaxOut, cuts, prefer);
  for (let u = 0; u < count; u++) {
    const y = simulate(pieces, u, qminOut, qmaxOut);
    if (y !== T[u]) throw new Error(`fitToC: code ${qminIn + u} gives ${y}, the table ${T[u]}`);
  }
  const id = cIdentifier(name ?? `${r.target}_fit`), M = id.toUpperCase();
  const inT = ctype(inQp), outT = ctype(outQp);
  const fmt = (v) => Number(v.toPrecision(6));
  const scaleLine = (x) => `${x} (exact decimal ${exactDecimal(x)}, hex ${hexFloat(x)})`;
  const form = r.form === 'hard' ? `${r.activation} (hard)` : `${r.pieces}-piece pwl`;
  const lines = [
    `/* ${id}.h: integer-only ${form} fit of ${r.target}, generated by actq ${version}.`,
    ` * target      ${noComment(r.target)}${formula ? `: ${noComment(formula)}` : ''}`,
    ` * fit         ${r.metric === 'max' ? 'minimax' : 'least squares'} over [${r.range.join(', ')}], slopes ${r.slopes}` +
      `${r.fracBits !== null ? `, ${r.fracBits} fraction bits` : ''}: max error ${fmt(r.maxError)} at x = ${fmt(r.maxErrorAt)}, rms ${fmt(r.rmsError)}`,
    ` * activation  ${r.activation} ${noComment(JSON.stringify(r.params))}`,
    ` * input       scale ${scaleLine(inQp.scale)}, zero point ${inQp.zeroPoint}, ${inT} [${qminIn}, ${qmaxIn}]`,
    ` * output      scale ${scaleLine(outQp.scale)}, zero point ${outQp.zeroPoint}, ${outT} [${qminOut}, ${qmaxOut}], rounding ${outQp.rounding}`,
    ` * ${id}(q) = the output code of input code q: with u = q - (${qminIn}), one piece per code range,`,
    ` * y = (A u + B) >> S (shifts and adds where A is a power of two or two), clamped. It equals`,
    ` * aq.applyLut(aq.lut('${r.activation}', params, inQp, outQp), q) for every q (checked by actq when generated).`,
    ' * The float pieces:',
    ...r.segments.map((s) => ` *   x in [${fmt(s.from)}, ${fmt(s.to)}): ${s.gate ? `x clip(${fmt(s.gate.slope)} x + ${fmt(s.gate.offset)}, 0, 1)` : `y = ${fmt(s.slope)} x + ${fmt(s.intercept)}`}`),
    ' */',
    `#ifndef ${M}_H`,
    `#define ${M}_H`,
    '',
    '#include <stdint.h>',
    '',
    `#define ${M}_IN_SCALE ${inQp.scale} /* ${hexFloat(inQp.scale)} */`,
    `#define ${M}_IN_ZERO_POINT ${cLiteral(inQp.zeroPoint)}`,
    `#define ${M}_OUT_SCALE ${outQp.scale} /* ${hexFloat(outQp.scale)} */`,
    `#define ${M}_OUT_ZERO_POINT ${cLiteral(outQp.zeroPoint)}`,
    '',
    `static inline ${outT} ${id}(${inT} q) {`,
    `  const int32_t u = (int32_t)q - ${cLiteral(qminIn)};`,
    '  int64_t y;',
  ];
  pieces.forEach((p, i) => {
    const expr = expression(p);
    if (pieces.length === 1) lines.push(`  y = ${expr};`);
    else if (i === 0) lines.push(`  if (u <= ${p.u1}) y = ${expr};`);
    else if (i === pieces.length - 1) lines.push(`  else y = ${expr};`);
    else lines.push(`  else if (u <= ${p.u1}) y = ${expr};`);
  });
  lines.push(`  return (${outT})(y < ${cLiteral(qminOut)} ? ${cLiteral(qminOut)} : y > ${cLiteral(qmaxOut)} ? ${cLiteral(qmaxOut)} : y);`, '}', '', `#endif /* ${M}_H */`, '');
  return lines.join('\n');
}

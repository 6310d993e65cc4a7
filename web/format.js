// Number spelling for labels, readouts and framework snippets.

/** A control's live value: at most 4 significant digits (1/6 -> 0.1667). */
export function fmt(v) {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (Array.isArray(v)) return v.map(fmt).join(', ');
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/** A readout: 4 significant digits, exponent form for tiny and huge magnitudes. */
export function fmtMetric(v) {
  if (v === Infinity) return '∞';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** Decibels with one decimal. */
export const fmtDb = (v) => (v === Infinity ? '∞' : Number.isFinite(v) ? v.toFixed(1) : String(v));

/** The shortest decimal that reads back as the same float32 (how ONNX stores attributes). */
export function float32Literal(v) {
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const s = String(Number(f.toPrecision(p)));
    if (Math.fround(Number(s)) === f) return s;
  }
  return String(f);
}

/** A Python float literal: JavaScript's shortest round-trip spelling of the double. */
export function pyLiteral(v) {
  const s = String(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** The name a person reads: 'min_val' -> 'Min val'. */
export const humanize = (name) => name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, ' ');

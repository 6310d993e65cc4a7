// Export: the 8-bit LUT of one function in the CLI's formats (the same generator, actq/export,
// so the files are byte-identical to `actq lut ... --format c|json|csv`), the plotted data as
// JSON and CSV, and the three charts as one PNG. Files are made in the page (Blob URLs):
// nothing is sent anywhere.

import { lutToC, lutToJson, lutToCsv } from 'actq/export';
import { lutFor } from './compute.js';
import { presetOf, FIXED_QPARAMS } from './state.js';

export function download(filename, data, type) {
  const url = typeof data === 'string' && data.startsWith('data:') ? data : URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  if (url.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The LUT of series i, its exports, and the CLI command that writes the same files. */
export function lutExport(aq, results, state, i, version) {
  const s = state.series[i];
  const r = results.series[i];
  if (!r?.ok) throw new Error(`function ${i + 1} (${s.name}) has no valid output: ${r?.problem ?? ''}`);
  const lut = lutFor(aq, results.x, r.y, s, state.quant);
  const entry = aq.activation(s.name);
  const name = `${s.name}_lut`; // the CLI's default identifier
  return {
    lut,
    name,
    cli: (format) => cliCommand(entry, s.params, lut, state.quant, format),
    c: () => lutToC(lut, { name, version, formula: entry.formula }),
    json: () => lutToJson(lut, { version }),
    csv: () => lutToCsv(lut, { version }),
  };
}

/** `npx actq lut ...` arguments giving the same table (numbers in round-trip spelling). */
export function cliCommand(entry, params, lut, quant, format = 'c') {
  const args = ['npx', 'actq', 'lut', entry.name];
  const preset = entry.params.length ? presetOf(entry, params) : null;
  if (preset) args.push('--preset', preset);
  else {
    for (const p of entry.params) {
      const v = params[p.name];
      args.push('--param', `${p.name}=${Array.isArray(v) ? v.join(',') : v}`);
    }
  }
  const { inQp, outQp } = lut;
  args.push('--in-scale', String(inQp.scale), '--in-zero-point', String(inQp.zeroPoint));
  if (!inQp.signed) args.push('--in-unsigned');
  if (FIXED_QPARAMS.includes(quant.out)) args.push('--out', quant.out);
  else args.push('--out-scale', String(outQp.scale), '--out-zero-point', String(outQp.zeroPoint));
  if (!outQp.signed) args.push('--out-unsigned');
  args.push('--rounding', outQp.rounding, '--format', format);
  return args;
}

const list = (a) => (a ? Array.from(a) : undefined);

/** The plotted data: x, and per function f, f', and when quantized: qparams, f_q, error, STE. */
export function dataJson(results, state, labels, link) {
  return `${JSON.stringify({
    generator: 'actq web page',
    link,
    x: Array.from(results.x),
    quantization: results.quant,
    series: results.series.map((r, i) => ({
      label: labels[i],
      name: r.name,
      params: state.series[i].params,
      problem: r.problem || undefined,
      outQp: r.qp,
      metrics: r.metrics,
      y: list(r.y),
      derivative: list(r.dy),
      quantized: list(r.yq),
      error: list(r.err),
      steGradient: list(r.ste),
    })),
  })}\n`;
}

export function dataCsv(results, labels, link) {
  const cols = [{ name: 'x', values: results.x }];
  results.series.forEach((r, i) => {
    if (!r.ok) return;
    const p = `f${i + 1}_${r.name}`;
    cols.push({ name: `${p}_y`, values: r.y }, { name: `${p}_dy`, values: r.dy });
    if (r.yq) cols.push({ name: `${p}_quantized`, values: r.yq }, { name: `${p}_error`, values: r.err }, { name: `${p}_ste_grad`, values: r.ste });
  });
  const lines = [`# actq web page: ${link}`];
  results.series.forEach((r, i) => {
    lines.push(`# f${i + 1} = ${labels[i]}${r.qp ? `; out qparams ${JSON.stringify(r.qp)}` : ''}${r.problem ? `; ${r.problem}` : ''}`);
  });
  lines.push(cols.map((c) => c.name).join(','));
  for (let k = 0; k < results.n; k++) lines.push(cols.map((c) => c.values[k]).join(','));
  return `${lines.join('\n')}\n`;
}

/** The three charts side by side on one canvas, with their captions, a legend and a note. */
export function chartsPng(charts, captions, theme, legend, note) {
  const scale = window.devicePixelRatio || 1;
  const px = (v) => Math.round(v * scale);
  const pad = px(12), head = px(28), foot = px(48);
  const canvases = charts.map((c) => c.canvas);
  const width = canvases.reduce((w, c) => w + c.width, 0) + pad * (canvases.length + 1);
  const height = Math.max(...canvases.map((c) => c.height)) + head + foot;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const g = out.getContext('2d');
  g.fillStyle = theme.bg;
  g.fillRect(0, 0, width, height);
  g.textBaseline = 'middle';
  // a caption shrinks until it fits above its chart
  const fit = (text, max, size, weight = '') => {
    do g.font = `${weight} ${px(size)}px ${theme.font}`; while (g.measureText(text).width > max && --size > 7);
  };
  let left = pad;
  canvases.forEach((c, i) => {
    g.fillStyle = theme.fg;
    fit(captions[i], c.width, 13, '600');
    g.fillText(captions[i], left, head / 2 + px(3));
    g.drawImage(c, left, head);
    left += c.width + pad;
  });
  const ly = height - foot + px(14);
  let lx = pad;
  g.font = `${px(12)}px ${theme.font}`;
  for (const { label, color } of legend) {
    g.fillStyle = color;
    g.fillRect(lx, ly - px(2), px(16), px(4));
    g.fillStyle = theme.fg;
    g.fillText(label, lx + px(20), ly);
    lx += px(36) + g.measureText(label).width;
  }
  g.fillStyle = theme.muted;
  fit(note, width - 2 * pad, 11);
  g.fillText(note, pad, ly + px(20));
  return out.toDataURL('image/png');
}

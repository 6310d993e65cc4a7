// The numbers under the charts: per function, the error of the quantized output (from
// aq.error), the gap between a hard function and its smooth original, and where the
// integer-only kernel disagrees with the float-built LUT; then framework equivalents of each
// hard sigmoid.

import { fmtMetric, fmtDb, float32Literal, pyLiteral } from './format.js';
import { FIXED_QPARAMS } from './state.js';

const COLUMNS = ['fn', 'qp', 'maxAbs', 'rmse', 'sqnr', 'hard', 'int'];
const HEADINGS = [...document.querySelectorAll('#metrics thead th')].map((th) => th.textContent);

function qpText(qp) {
  const type = `${qp.signed === false ? 'u' : ''}int${qp.bits ?? 8}`;
  return `${type}, scale ${fmtMetric(qp.scale)}, zp ${qp.zeroPoint ?? 0}`; // zp: zero point
}

/** ONNX and PyTorch spellings of clip(slope * x + offset, 0, 1). */
export function hardSigmoidEquivalents(params, pytorchPreset) {
  const { slope, offset } = params;
  const onnx = `HardSigmoid(alpha=${float32Literal(slope)}, beta=${float32Literal(offset)})`;
  const exact = slope === pytorchPreset.slope && offset === pytorchPreset.offset;
  const torch = exact ? 'F.hardsigmoid(x)' : `torch.clamp(x * ${pyLiteral(slope)} + ${pyLiteral(offset)}, 0, 1)`;
  return { onnx, torch };
}

export function readoutsView(aq) {
  const tbody = document.querySelector('#metrics tbody');
  const caption = document.getElementById('metrics-caption');
  const equivalents = document.getElementById('equivalents');
  let rowKey = '';
  let cells = [];

  const put = (el, text) => { if (el.textContent !== text) el.textContent = text; };

  function rows(count) {
    cells = [];
    const trs = [];
    for (let i = 0; i < count; i++) {
      const tr = document.createElement('tr');
      tr.id = `row-${i}`;
      const row = {};
      for (const col of COLUMNS) {
        const td = document.createElement(col === 'fn' ? 'th' : 'td');
        if (col === 'fn') td.scope = 'row';
        td.dataset.metric = col;
        td.dataset.label = HEADINGS[COLUMNS.indexOf(col)]; // shown per cell on narrow screens
        if (col === 'fn') {
          const sw = document.createElement('span');
          sw.className = 'swatch';
          sw.style.background = `var(--series-${i})`;
          sw.setAttribute('aria-hidden', 'true');
          const name = document.createElement('span');
          td.append(sw, name);
          row.fn = name;
        } else {
          row[col] = td;
        }
        tr.append(td);
      }
      cells.push(row);
      trs.push(tr);
    }
    tbody.replaceChildren(...trs);
  }

  return {
    draw(results, state, labels) {
      const q = results.quant;
      if (rowKey !== String(results.series.length)) {
        rowKey = String(results.series.length);
        rows(results.series.length);
      }
      const fixed = FIXED_QPARAMS.includes(q.out);
      put(caption, !q.on ? 'Quantization is off.'
        : `Quantized output: ${fixed ? `fixed ${q.out} qparams` : `${q.bits}-bit ${q.signed ? 'signed' : 'unsigned'}, ${q.symmetric ? 'symmetric' : 'asymmetric'}, ${q.out} calibration`}, rounding ${q.rounding}; errors over the ${results.n} plotted points. Integer path: all 8-bit input codes.`);
      results.series.forEach((r, i) => {
        const c = cells[i];
        put(c.fn, labels[i]);
        const m = r.metrics;
        put(c.qp, r.qp ? qpText(r.qp) : r.problem ? r.problem : '—');
        put(c.maxAbs, m ? fmtMetric(m.maxAbs) : '—');
        put(c.rmse, m ? fmtMetric(m.rmse) : '—');
        put(c.sqnr, m ? fmtDb(m.sqnrDb) : '—');
        put(c.hard, r.vsSmooth ? `${fmtMetric(r.vsSmooth.maxAbs)} vs ${r.vsSmooth.name}` : '—');
        const ip = r.integer;
        put(c.int, !ip ? '—' : ip.problem ? ip.problem
          : `${ip.differ} / ${ip.codes} codes${ip.differ ? `, max ${ip.maxLsb} LSB` : ''}`);
      });

      // one line per hard sigmoid: what to write in ONNX and PyTorch for the same function
      const items = [];
      const pytorch = aq.activation('hard_sigmoid').presets.pytorch;
      state.series.forEach((s, i) => {
        if (s.name !== 'hard_sigmoid') return;
        const { onnx, torch } = hardSigmoidEquivalents(s.params, pytorch);
        items.push([i, `${labels[i]} ≡ ONNX ${onnx} ≡ PyTorch ${torch}`, onnx, torch]);
      });
      const key = items.map((it) => it[1]).join('\n');
      if (equivalents.dataset.key !== key) {
        equivalents.dataset.key = key;
        equivalents.replaceChildren(...items.map(([i, , onnx, torch]) => {
          const li = document.createElement('li');
          li.id = `equiv-${i}`;
          const sw = document.createElement('span');
          sw.className = 'swatch';
          sw.style.background = `var(--series-${i})`;
          sw.setAttribute('aria-hidden', 'true');
          const code = (t) => { const el = document.createElement('code'); el.textContent = t; return el; };
          li.append(sw, `${labels[i]} ≡ ONNX `, code(onnx), ' ≡ PyTorch ', code(torch));
          return li;
        }));
      }
    },
  };
}

// The numbers under the charts: per function, the error of the deployed output against the
// smooth function it replaces (the number that ranks the definitions: sortable, the best
// marked), the error of the quantized output against its own float curve, the float gap
// between a hard function and its smooth original, and where the integer-only kernel
// disagrees with the float-built LUT; then framework equivalents of each hard sigmoid.

import { fmtMetric, fmtDb, float32Literal, pyLiteral } from './format.js';
import { FIXED_QPARAMS } from './state.js';

const COLUMNS = ['fn', 'ref', 'depMax', 'depRms', 'qp', 'maxAbs', 'rmse', 'sqnr', 'hard', 'int'];
/** Each cell's column name, shown beside the value on narrow screens. */
const HEADINGS = {
  fn: 'Function', ref: 'Deployed vs', depMax: 'Deployed max abs', depRms: 'Deployed RMS', qp: 'Output qparams',
  maxAbs: 'Quantized vs own float, max abs', rmse: 'RMSE vs own float', sqnr: 'SQNR vs own float (dB)',
  hard: 'Hard − smooth, float max', int: 'Integer path ≠ LUT',
};

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
        td.dataset.label = HEADINGS[col]; // shown per cell on narrow screens
        if (col === 'fn') {
          const sw = document.createElement('span');
          sw.className = 'swatch';
          sw.style.background = `var(--series-${i})`;
          sw.setAttribute('aria-hidden', 'true');
          const name = document.createElement('span');
          const best = document.createElement('span');
          best.className = 'best';
          td.append(sw, name, best);
          row.fn = name;
          row.best = best;
        } else {
          row[col] = td;
        }
        tr.append(td);
      }
      row.tr = tr;
      cells.push(row);
      trs.push(tr);
    }
    tbody.replaceChildren(...trs);
  }

  // sorting by a deployed error column (ascending: best first); clicking again reverses
  let sort = { key: 'depRms', dir: 1 };
  const sortButtons = [...document.querySelectorAll('#metrics button.sort')];
  let redraw = () => {};
  for (const b of sortButtons) {
    b.addEventListener('click', () => {
      sort = { key: b.dataset.sort, dir: sort.key === b.dataset.sort ? -sort.dir : 1 };
      redraw();
    });
  }
  function applySort(results) {
    const value = (r) => (sort.key === 'depMax' ? r.deployed?.maxAbs : r.deployed?.rmse);
    const order = results.series.map((r, i) => ({ i, v: value(r) }))
      .sort((a, b) => (Number.isFinite(a.v) ? (Number.isFinite(b.v) ? sort.dir * (a.v - b.v) || a.i - b.i : -1) : Number.isFinite(b.v) ? 1 : a.i - b.i));
    const trs = order.map(({ i }) => cells[i].tr);
    if (trs.some((tr, k) => tbody.children[k] !== tr)) tbody.replaceChildren(...trs);
    for (const b of sortButtons) {
      const th = b.closest('th');
      th.setAttribute('aria-sort', b.dataset.sort !== sort.key ? 'none' : sort.dir > 0 ? 'ascending' : 'descending');
    }
    // the best definition per reference: the lowest deployed RMS among the functions that
    // replace it (the reference itself, deployed through its own table, is not a candidate)
    const best = new Set();
    const groups = new Map();
    for (const r of results.series) {
      if (!Number.isFinite(r.deployed?.rmse) || r.reference === r.name) continue;
      const b = groups.get(r.reference);
      if (!b || r.deployed.rmse < b.deployed.rmse) groups.set(r.reference, r);
    }
    for (const [ref, r] of groups) if (results.series.filter((o) => o.reference === ref && o.name !== ref).length > 1) best.add(r.index);
    results.series.forEach((r, i) => {
      put(cells[i].best, best.has(r.index) ? ' ★ best' : '');
      cells[i].tr.classList.toggle('is-best', best.has(r.index));
    });
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
      put(document.getElementById('dist-label'), state.dist.kind === 'normal'
        ? `(weighted by normal(${fmtMetric(state.dist.mean)}, ${fmtMetric(state.dist.sd)}))` : '(uniform)');
      results.series.forEach((r, i) => {
        const c = cells[i];
        put(c.fn, labels[i]);
        const d = r.deployed;
        put(c.ref, r.ok ? r.reference : '—');
        put(c.depMax, !d ? '—' : d.problem ? d.problem : fmtMetric(d.maxAbs));
        put(c.depRms, !d || d.problem ? '—' : fmtMetric(d.rmse));
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

      redraw = () => applySort(results);
      applySort(results);

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

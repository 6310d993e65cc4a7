// The results table: the CLI's table (bin/lab.mjs labTable) -- one row per deployed
// definition, a column per stage and width, each cell "accuracy (points against float)" in
// the CLI's spelling -- plus the trained float network as the first row. Cells fill as
// compare() streams its rows; each is a button that selects that row for the Why panel
// (click, or arrow keys to move and Enter / Space to select).

const percent = (a) => `${(100 * a).toFixed(2)}%`;

/** The drop against float as the CLI prints it: (+0.25) / (-1.50). */
export const deltaText = (a, float) => `(${a >= float ? '+' : ''}${(100 * (a - float)).toFixed(2)})`;

/** How much a drop costs, for the cell's colour. */
export function severity(a, float) {
  const d = 100 * (a - float);
  return d >= 0 ? 'gain' : d > -1 ? 'small' : d > -5 ? 'medium' : 'large';
}

/**
 * The row layout compare() produces for these options: float, then per deploy entry k:
 * swap, PTQ at every width, QAT at every width (when qatEpochs > 0). Returns
 * [{ k, stage, bits }] in row order.
 */
export function rowLayout(options) {
  const out = [{ k: -1, stage: 'float', bits: null }];
  options.deploy.forEach((_, k) => {
    out.push({ k, stage: 'swap', bits: null });
    for (const bits of options.bits) out.push({ k, stage: 'ptq', bits });
    if (options.qatEpochs > 0) for (const bits of options.bits) out.push({ k, stage: 'qat', bits });
  });
  return out;
}

/**
 * @param {HTMLTableElement} table
 * @param {{ onSelect: (index: number) => void }} hooks
 */
export function resultsTable(table, { onSelect }) {
  const thead = table.tHead, tbody = table.tBodies[0];
  let cells = [], layout = [], float = null, selected = null, columns = 0;

  /** A new, empty table for a run: options { deploy, bits, qatEpochs }, labels of the deploy entries and the trained one. */
  function start(options, labels, trainedLabel) {
    layout = rowLayout(options);
    cells = [];
    float = null;
    selected = null;
    const stages = [['swap', null], ...options.bits.map((b) => ['ptq', b]), ...(options.qatEpochs > 0 ? options.bits.map((b) => ['qat', b]) : [])];
    columns = stages.length;
    const head = document.createElement('tr');
    const th = (text, scope = 'col') => {
      const el = document.createElement('th');
      el.scope = scope;
      el.textContent = text;
      return el;
    };
    head.append(th('deployed'), ...stages.map(([s, b]) => th(b === null ? 'swap (float)' : `${s.toUpperCase()} ${b}-bit`)));
    thead.replaceChildren(head);

    const rows = [];
    const floatRow = document.createElement('tr');
    floatRow.className = 'float-row';
    const fh = th(`${trainedLabel}: trained, float`, 'row');
    const ftd = document.createElement('td');
    ftd.colSpan = columns;
    floatRow.append(fh, ftd);
    rows.push(floatRow);
    const grid = labels.map((label) => {
      const tr = document.createElement('tr');
      tr.append(th(label, 'row'));
      const tds = stages.map(() => tr.appendChild(document.createElement('td')));
      rows.push(tr);
      return tds;
    });
    layout.forEach((l, index) => {
      const td = l.stage === 'float' ? ftd : grid[l.k][stages.findIndex(([s, b]) => s === l.stage && b === l.bits)];
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'cell pending';
      button.dataset.row = String(index);
      button.dataset.stage = l.stage;
      button.disabled = true;
      button.textContent = '…';
      button.setAttribute('aria-pressed', 'false');
      const what = l.stage === 'float' ? `${trainedLabel}, trained` : `${labels[l.k]}, ${l.stage === 'swap' ? 'swapped in (float)' : `${l.stage.toUpperCase()} ${l.bits}-bit`}`;
      button.setAttribute('aria-label', `${what}: pending`);
      button.dataset.what = what;
      button.addEventListener('click', () => select(index, true));
      button.addEventListener('keydown', (e) => move(e, index));
      td.append(button);
      cells[index] = { button, td, grid: l.stage === 'float' ? [0, 0] : [1 + l.k, stages.findIndex(([s, b]) => s === l.stage && b === l.bits)] };
    });
    tbody.replaceChildren(...rows);
  }

  /** A measured row (index in compare's order). */
  function fill(row, index) {
    const c = cells[index];
    if (!c) return;
    if (row.stage === 'float') {
      float = row.accuracy;
      for (let i = 1; i < cells.length; i++) if (cells[i].button.dataset.accuracy) paint(i);
    }
    const b = c.button;
    b.dataset.accuracy = String(row.accuracy);
    b.dataset.loss = String(row.loss);
    b.disabled = false;
    b.classList.remove('pending');
    paint(index);
  }

  function paint(index) {
    const b = cells[index].button;
    const a = Number(b.dataset.accuracy);
    const loss = Number(b.dataset.loss);
    b.replaceChildren();
    if (index === 0 || layout[index].stage === 'float') {
      b.append(percent(a), ' ');
      const s = document.createElement('span');
      s.className = 'delta';
      s.textContent = `(loss ${loss.toFixed(4)})`;
      b.append(s);
      b.dataset.severity = 'reference';
      b.setAttribute('aria-label', `${b.dataset.what}: ${percent(a)}, loss ${loss.toFixed(4)}`);
      return;
    }
    const d = float === null ? '' : deltaText(a, float);
    const pct = document.createElement('span');
    pct.className = 'pct';
    pct.textContent = percent(a);
    const s = document.createElement('span');
    s.className = 'delta';
    s.textContent = d;
    b.append(pct, ' ', s);
    b.dataset.severity = float === null ? '' : severity(a, float);
    b.title = `test loss ${loss.toFixed(4)}`;
    b.setAttribute('aria-label', `${b.dataset.what}: ${percent(a)}${d ? `, ${d.slice(1, -1)} points against float` : ''}`);
  }

  function select(index, notify = false) {
    if (!cells[index] || cells[index].button.disabled) return;
    if (selected !== null && cells[selected]) cells[selected].button.setAttribute('aria-pressed', 'false');
    selected = index;
    cells[index].button.setAttribute('aria-pressed', 'true');
    if (notify) onSelect(index);
  }

  /** Arrow keys move between measured cells; Home / End to the first / last. */
  function move(e, index) {
    const at = cells[index].grid;
    const live = cells.map((c, i) => ({ ...c, i })).filter((c) => !c.button.disabled);
    let target = null;
    if (e.key === 'Home') target = live[0];
    else if (e.key === 'End') target = live[live.length - 1];
    else {
      const dir = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0] }[e.key];
      if (!dir) return;
      const candidates = live.filter((c) => (dir[0] ? Math.sign(c.grid[0] - at[0]) === dir[0] : c.grid[0] === at[0] && Math.sign(c.grid[1] - at[1]) === dir[1]));
      const dist = (c) => Math.abs(c.grid[0] - at[0]) * 100 + Math.abs(c.grid[1] - at[1]);
      target = candidates.sort((a, b) => dist(a) - dist(b))[0];
    }
    e.preventDefault();
    target?.button.focus();
  }

  return {
    start,
    fill,
    select,
    get selected() { return selected; },
    get layout() { return layout; },
    /** After a run: cells that were never measured (a stopped run) say so. */
    finish(stopped) {
      for (const c of cells) {
        if (!c.button.classList.contains('pending')) continue;
        c.button.textContent = '—';
        c.button.setAttribute('aria-label', `${c.button.dataset.what}: not measured${stopped ? ' (stopped)' : ''}`);
        c.button.classList.replace('pending', 'missing');
      }
    },
    clear() {
      thead.replaceChildren();
      tbody.replaceChildren();
      cells = [];
      layout = [];
      selected = null;
    },
  };
}

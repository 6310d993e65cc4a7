// The benchmark's picture: speed against accuracy, one panel per op. x: max abs error over
// [-20, 20] (log scale; exact results sit at the left edge, marked "exact"), y: Gelem/s at
// one size; every system a marker, memcpy of the same bytes a dashed line. Plain SVG text,
// rendered to PNG in headless Chromium (playwright-core, /usr/bin/chromium).

const STYLE = [ // system id prefix -> colour, marker
  ['actq-fast', '#e8710a', 'diamond'],
  ['actq-balanced', '#f1c232', 'diamond'],
  ['actq-copying', '#6fa8dc', 'circle'],
  ['actq-simd-q', '#6fa8dc', 'circle'],
  ['actq-inplace', '#3d85c6', 'ring'],
  ['actq-scalar', '#8e9aaf', 'circle'],
  ['actq', '#1155cc', 'circle'],
  ['js', '#7f6000', 'cross'],
  ['tfjs', '#cc0000', 'square'],
  ['ort', '#38761d', 'triangle'],
  ['litert', '#9900ff', 'square'],
];
const styleOf = (id) => STYLE.find(([p]) => id === p || id.startsWith(`${p}-`)) ?? ['other', '#444', 'circle'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function marker(shape, x, y, color) {
  const r = 5;
  if (shape === 'square') return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" fill="${color}"/>`;
  if (shape === 'triangle') return `<path d="M${x} ${y - r - 1}L${x + r + 1} ${y + r}L${x - r - 1} ${y + r}Z" fill="${color}"/>`;
  if (shape === 'diamond') return `<path d="M${x} ${y - r - 2}L${x + r + 1} ${y}L${x} ${y + r + 2}L${x - r - 1} ${y}Z" fill="${color}"/>`;
  if (shape === 'cross') return `<path d="M${x - r} ${y - r}L${x + r} ${y + r}M${x + r} ${y - r}L${x - r} ${y + r}" stroke="${color}" stroke-width="2.5"/>`;
  if (shape === 'ring') return `<circle cx="${x}" cy="${y}" r="${r}" fill="none" stroke="${color}" stroke-width="2"/>`;
  return `<circle cx="${x}" cy="${y}" r="${r}" fill="${color}"/>`;
}

/**
 * panels: [{ op, points: [{ id, label, rate (elements/s), maxAbs }], copy (elements/s) }]
 * @returns {string} an SVG document
 */
export function speedAccuracySvg(panels, { title = '', subtitle = '' } = {}) {
  const cols = 4, pw = 280, ph = 210, m = { l: 46, r: 12, t: 26, b: 34 };
  const rows = Math.ceil(panels.length / cols);
  const legendIds = [], legendLabel = {};
  for (const p of panels) for (const q of p.points) if (!legendIds.includes(q.id)) { legendIds.push(q.id); legendLabel[q.id] = q.label; }
  const legendRows = Math.ceil(legendIds.length / 3);
  const top = 52 + legendRows * 18;
  const W = cols * pw, H = top + rows * ph + 10;
  const LO = -9, HI = -3; // log10 of the x range; exact (0) and smaller errors sit at LO
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="10" y="18" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="34" fill="#555">${esc(subtitle)}</text>`];
  legendIds.forEach((id, i) => {
    const [, color, shape] = styleOf(id), x = 16 + (i % 3) * (W / 3), y = 52 + Math.floor(i / 3) * 18;
    parts.push(marker(shape, x, y - 4, color), `<text x="${x + 10}" y="${y}">${esc(legendLabel[id])}</text>`);
  });
  panels.forEach((p, k) => {
    const ox = (k % cols) * pw, oy = top + Math.floor(k / cols) * ph;
    const iw = pw - m.l - m.r, ih = ph - m.t - m.b;
    // scaled to the systems; memcpy drawn where it fits, else noted at the top
    const maxRate = Math.max(...p.points.map((q) => q.rate ?? 0)) / 1e9;
    const step = [0.25, 0.5, 1, 2, 2.5, 5, 10].find((s) => maxRate / s <= 5) ?? 20;
    const ymax = Math.max(step, Math.ceil((maxRate * 1.05) / step) * step);
    const X = (e) => ox + m.l + ((Math.min(HI, Math.max(LO, e > 0 ? Math.log10(e) : LO)) - LO) / (HI - LO)) * iw;
    const Y = (g) => oy + m.t + ih - (g / ymax) * ih;
    parts.push(`<text x="${ox + m.l}" y="${oy + 16}" font-weight="bold" font-size="12">${esc(p.op)}</text>`,
      `<rect x="${ox + m.l}" y="${oy + m.t}" width="${iw}" height="${ih}" fill="none" stroke="#999"/>`);
    for (let g = 0; g <= ymax + 1e-9; g += step) {
      parts.push(`<line x1="${ox + m.l}" x2="${ox + m.l + iw}" y1="${Y(g)}" y2="${Y(g)}" stroke="#eee"/>`,
        `<text x="${ox + m.l - 4}" y="${Y(g) + 4}" text-anchor="end">${+g.toFixed(2)}</text>`);
    }
    for (let e = LO; e <= HI; e++) {
      const x = X(10 ** e);
      parts.push(`<line x1="${x}" x2="${x}" y1="${oy + m.t + ih}" y2="${oy + m.t + ih + 4}" stroke="#999"/>`,
        `<text x="${x}" y="${oy + m.t + ih + 15}" text-anchor="middle">${e === LO ? 'exact' : `1e${e}`}</text>`);
    }
    parts.push(`<text x="${ox + m.l + iw / 2}" y="${oy + ph - 4}" text-anchor="middle" fill="#555">max abs error</text>`,
      `<text transform="translate(${ox + 12} ${oy + m.t + ih / 2}) rotate(-90)" text-anchor="middle" fill="#555">Gelem/s</text>`);
    if (p.copy && p.copy / 1e9 > ymax) {
      parts.push(`<text x="${ox + m.l + iw}" y="${oy + 16}" text-anchor="end" fill="#555">memcpy ${(p.copy / 1e9).toFixed(2)} (off scale)</text>`);
    } else if (p.copy) {
      parts.push(`<line x1="${ox + m.l}" x2="${ox + m.l + iw}" y1="${Y(p.copy / 1e9)}" y2="${Y(p.copy / 1e9)}" stroke="#000" stroke-dasharray="4 3"/>`,
        `<text x="${ox + m.l + iw - 3}" y="${Y(p.copy / 1e9) - 3}" text-anchor="end" fill="#000">memcpy</text>`);
    }
    for (const q of p.points) {
      if (!q.rate) continue;
      const [, color, shape] = styleOf(q.id);
      parts.push(`<g><title>${esc(`${q.label}: ${(q.rate / 1e9).toFixed(2)} Gelem/s, max abs ${q.maxAbs.toExponential(1)}`)}</title>${marker(shape, X(q.maxAbs), Y(q.rate / 1e9), color)}</g>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Renders the SVG to a PNG file in headless Chromium. */
export async function svgToPng(svg, file) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const w = +svg.match(/width="(\d+)"/)[1], h = +svg.match(/height="(\d+)"/)[1];
    const page = await browser.newPage({ viewport: { width: w, height: h }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path: file, clip: { x: 0, y: 0, width: w, height: h } });
  } finally {
    await browser.close();
  }
}

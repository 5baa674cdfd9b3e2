// ionloop dashboard: reads the JSON API with the token kept in this tab's session storage.
'use strict';

const TOKEN_KEY = 'ionloop.token';
const ENDED = ['COMPLETED', 'COMPLETED_WITH_FAILURES', 'ABORTED', 'FAILED'];

async function api(path, options = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) { toLogin(); throw new Error('no token'); }
  const headers = Object.assign({ 'Authorization': 'Bearer ' + token }, options.headers || {});
  const r = await fetch(path, Object.assign({}, options, { headers }));
  if (r.status === 401) { toLogin(); throw new Error('token refused'); }
  const text = await r.text();
  const body = text ? (r.headers.get('Content-Type') || '').includes('json') ? JSON.parse(text) : text : null;
  if (!r.ok) { throw new Error((body && body.message) || r.statusText); }
  return body;
}

function toLogin() {
  location.href = '/login.html?next=' + encodeURIComponent(location.pathname + location.search);
}

function param(name) { return new URLSearchParams(location.search).get(name); }

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}

function fmt(v, digits = 3) { return v == null ? '–' : Number(v).toFixed(digits); }
function shortId(id) { return id ? id.replace(/^.*-(e\d+)$/, '$1') : '–'; }
function composition(x) {
  return Object.entries(x || {}).map(([k, v]) => k.endsWith('_c') ? `${fmt(v, 0)} °C` : `${k} ${fmt(v, 3)}`).join(', ');
}

function table(target, headers, rows) {
  const t = el('table', {}, el('thead', {}, el('tr', {}, ...headers.map(h => el('th', {}, h)))));
  const body = el('tbody');
  rows.forEach(r => body.append(el('tr', {}, ...r.map(c => c instanceof Node ? el('td', {}, c)
      : el('td', typeof c === 'number' ? { class: 'num' } : {}, c)))));
  t.append(body);
  target.replaceChildren(t);
}

async function header() {
  const who = await api('/api/whoami');
  document.getElementById('who').textContent = `${who.name} (${who.role})`;
  return who;
}

// Error bars for datasets marked errorBars: each point may carry xErr / yErr (one standard error,
// from the API). Chart.js has none of its own; the bars are drawn under nothing but the points.
const errorBarsPlugin = {
  id: 'errorBars',
  afterDatasetsDraw(c) {
    const g = c.ctx;
    c.data.datasets.forEach((d, i) => {
      if (!d.errorBars || !c.isDatasetVisible(i)) return;
      const xs = c.scales.x, ys = c.scales.y;
      g.save();
      g.strokeStyle = d.borderColor || d.backgroundColor || '#555';
      g.lineWidth = 1;
      d.data.forEach(p => {
        if (p.y == null || p.x == null) return;
        const px = xs.getPixelForValue(p.x), py = ys.getPixelForValue(p.y);
        g.beginPath();
        if (p.yErr > 0) {
          const a = ys.getPixelForValue(p.y - p.yErr), b = ys.getPixelForValue(p.y + p.yErr);
          g.moveTo(px, a); g.lineTo(px, b); g.moveTo(px - 3, a); g.lineTo(px + 3, a); g.moveTo(px - 3, b); g.lineTo(px + 3, b);
        }
        if (p.xErr > 0) {
          const a = xs.getPixelForValue(p.x - p.xErr), b = xs.getPixelForValue(p.x + p.xErr);
          g.moveTo(a, py); g.lineTo(b, py); g.moveTo(a, py - 3); g.lineTo(a, py + 3); g.moveTo(b, py - 3); g.lineTo(b, py + 3);
        }
        g.stroke();
      });
      g.restore();
    });
  }
};
if (typeof Chart !== 'undefined') Chart.register(errorBarsPlugin);

// One Chart.js chart per canvas id, updated in place on refresh (live progress without flicker).
const charts = {};
function chart(id, config) {
  if (charts[id]) {
    charts[id].data = config.data;
    charts[id].update('none');
  } else {
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
    const canvas = document.getElementById(id);
    charts[id] = new Chart(canvas, config);
    // Every plot can be saved as it is drawn (PNG, on a white background for papers and slides).
    const save = el('a', { href: '#', class: 'png', 'data-chart': id }, 'PNG');
    save.onclick = ev => {
      ev.preventDefault();
      const c = charts[id];
      const out = document.createElement('canvas');
      out.width = c.canvas.width; out.height = c.canvas.height;
      const g = out.getContext('2d');
      g.fillStyle = '#fff'; g.fillRect(0, 0, out.width, out.height); g.drawImage(c.canvas, 0, 0);
      const a = el('a', { href: out.toDataURL('image/png'), download: `${document.title.replace(/\W+/g, '-')}-${id}.png` });
      document.body.append(a); a.click(); a.remove();
    };
    // …and as SVG, drawn again from the chart's own scales and points, for editing in Inkscape or Illustrator.
    const vector = el('a', { href: '#', class: 'svg', 'data-chart': id }, 'SVG');
    vector.onclick = ev => {
      ev.preventDefault();
      const blob = new Blob([chartSvg(charts[id])], { type: 'image/svg+xml' });
      const a = el('a', { href: URL.createObjectURL(blob), download: `${document.title.replace(/\W+/g, '-')}-${id}.svg` });
      document.body.append(a); a.click(); a.remove();
    };
    canvas.insertAdjacentElement('afterend', el('p', { class: 'muted' }, 'Save: ', save, ' · ', vector));
  }
  return charts[id];
}

// A Chart.js chart as SVG: its axes (ticks, labels, titles), every visible dataset's line (stepped
// where the chart steps it), points and error bars, and the legend, at the chart's pixel positions.
function chartSvg(c) {
  const esc = t => String(t).replace(/[&<>"]/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
  const colour = (v, i) => (Array.isArray(v) ? v[i % v.length] : typeof v === 'string' ? v : null);
  const n = v => Math.round(v * 100) / 100;
  const a = c.chartArea;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${c.height}" viewBox="0 0 ${c.width} ${c.height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${c.width}" height="${c.height}" fill="#fff"/>`];
  Object.values(c.scales).forEach(s => {
    if (!s.options.display) return;
    const h = s.isHorizontal();
    const edge = h ? (s.position === 'top' ? a.top : a.bottom) : (s.position === 'right' ? a.right : a.left);
    out.push(h ? `<line x1="${n(a.left)}" y1="${n(edge)}" x2="${n(a.right)}" y2="${n(edge)}" stroke="#333"/>`
      : `<line x1="${n(edge)}" y1="${n(a.top)}" x2="${n(edge)}" y2="${n(a.bottom)}" stroke="#333"/>`);
    s.ticks.forEach((t, i) => {
      const p = s.getPixelForTick(i);
      const label = Array.isArray(t.label) ? t.label.join(' ') : t.label;
      if (h) {
        out.push(`<line x1="${n(p)}" y1="${n(a.top)}" x2="${n(p)}" y2="${n(a.bottom)}" stroke="#eee"/>`,
          `<text x="${n(p)}" y="${n(edge + 14)}" text-anchor="${i === s.ticks.length - 1 && i > 0 ? 'end' : 'middle'}">${esc(label)}</text>`);
      } else {
        out.push(`<line x1="${n(a.left)}" y1="${n(p)}" x2="${n(a.right)}" y2="${n(p)}" stroke="#eee"/>`,
          `<text x="${n(edge - 4)}" y="${n(p + 4)}" text-anchor="end">${esc(label)}</text>`);
      }
    });
    const title = s.options.title && s.options.title.display ? s.options.title.text : null;
    if (title) {
      out.push(h ? `<text x="${n((a.left + a.right) / 2)}" y="${n(c.height - 4)}" text-anchor="middle">${esc(title)}</text>`
        : `<text transform="translate(12 ${n((a.top + a.bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(title)}</text>`);
    }
  });
  // Data are clipped to the plot area, as on screen (a zoomed Nyquist plot leaves the spike out).
  out.push(`<defs><clipPath id="plot-area"><rect x="${n(a.left)}" y="${n(a.top)}" width="${n(a.right - a.left)}" height="${n(a.bottom - a.top)}"/></clipPath></defs>`,
    '<g clip-path="url(#plot-area)">');
  const legend = [];
  let legendX = a.left, legendY = 4;
  c.data.datasets.forEach((d, i) => {
    if (!c.isDatasetVisible(i)) return;
    const meta = c.getDatasetMeta(i);
    const stroke = colour(d.borderColor, 0) || colour(d.backgroundColor, 0) || '#555';
    const pts = meta.data.map((e, k) => ({ x: e.x, y: e.y, p: d.data[k] })).filter(q => Number.isFinite(q.x) && Number.isFinite(q.y));
    const line = meta.type === 'line' ? d.showLine !== false : d.showLine === true;
    if (line && pts.length > 1) {
      let path = `M${n(pts[0].x)},${n(pts[0].y)}`;
      for (let k = 1; k < pts.length; k++) {
        const q = pts[k], prev = pts[k - 1];
        if (d.stepped === 'after') path += `H${n(q.x)}V${n(q.y)}`;
        else if (d.stepped) path += `V${n(q.y)}H${n(q.x)}`;
        else path += `L${n(q.x)},${n(q.y)}`;
      }
      const dash = Array.isArray(d.borderDash) && d.borderDash.length ? ` stroke-dasharray="${d.borderDash.join(' ')}"` : '';
      out.push(`<path d="${path}" fill="none" stroke="${stroke}" stroke-width="${d.borderWidth || 1.5}"${dash}/>`);
    }
    const r = d.pointRadius === undefined ? 3 : d.pointRadius;
    pts.forEach((q, k) => {
      if (d.errorBars && q.p && typeof q.p === 'object') {
        const ys = c.scales[meta.yAxisID], xs = c.scales[meta.xAxisID];
        if (q.p.yErr > 0) out.push(`<line x1="${n(q.x)}" y1="${n(ys.getPixelForValue(q.p.y - q.p.yErr))}" x2="${n(q.x)}" y2="${n(ys.getPixelForValue(q.p.y + q.p.yErr))}" stroke="${stroke}"/>`);
        if (q.p.xErr > 0) out.push(`<line x1="${n(xs.getPixelForValue(q.p.x - q.p.xErr))}" y1="${n(q.y)}" x2="${n(xs.getPixelForValue(q.p.x + q.p.xErr))}" y2="${n(q.y)}" stroke="${stroke}"/>`);
      }
      if (r > 0) {
        const fill = colour(d.pointBackgroundColor, k) || colour(d.backgroundColor, k) || stroke;
        out.push(`<circle cx="${n(q.x)}" cy="${n(q.y)}" r="${r}" fill="${fill}" stroke="${colour(d.pointBorderColor, k) || stroke}"/>`);
      }
    });
    if (d.label) {
      const width = 24 + 6 * String(d.label).length;
      if (legendX > a.left && legendX + width > c.width) { // wrap, as the chart's own legend does
        legendX = a.left;
        legendY += 14;
      }
      legend.push(`<rect x="${n(legendX)}" y="${legendY}" width="10" height="10" fill="${stroke}"/>`,
        `<text x="${n(legendX + 14)}" y="${legendY + 9}">${esc(d.label)}</text>`);
      legendX += width;
    }
  });
  out.push('</g>', ...legend, '</svg>');
  return out.join('\n');
}

function axes(x, y, extra = {}) {
  return Object.assign({ x: { type: 'linear', title: { display: true, text: x } }, y: { title: { display: true, text: y } } }, extra);
}

async function download(path, filename) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const r = await fetch(path, { headers: { 'Authorization': 'Bearer ' + token } });
  const url = URL.createObjectURL(await r.blob());
  const a = el('a', { href: url, download: filename });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function showError(e) {
  const box = document.getElementById('error');
  if (box) box.textContent = e.message;
}

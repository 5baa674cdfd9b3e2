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
    canvas.insertAdjacentElement('afterend', el('p', { class: 'muted' }, 'Save: ', save));
  }
  return charts[id];
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

const id = param('id');
document.getElementById('export-csv').onclick = ev => { ev.preventDefault(); download(`/api/campaigns/${id}/export.csv`, id + '.csv'); };
document.getElementById('export-json').onclick = ev => { ev.preventDefault(); download(`/api/campaigns/${id}/export.json`, id + '.json'); };
document.querySelectorAll('#steer button').forEach(b => b.onclick = async () => {
  const kind = b.dataset.kind;
  let body = {};
  if (kind === 'abort') {
    const reason = prompt('Abort: furnaces stop and running experiments fail. Why?');
    if (!reason) return;
    body.reason = reason;
  }
  const out = document.getElementById('steer-result');
  out.textContent = kind + '…';
  try {
    const r = await api(`/api/campaigns/${id}/${kind}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    out.textContent = `${kind}: ${r.status}`;
  } catch (e) { out.textContent = `${kind}: ${e.message}`; }
  refresh().catch(showError);
});

function render(c, experiments, decisions) {
  document.title = 'ionloop — ' + c.name;
  document.getElementById('title').textContent = `${c.name} (${c.id})`;
  const state = document.getElementById('state');
  state.textContent = c.state; state.className = 'state ' + c.state;
  const done = c.completed + c.failed;
  document.getElementById('bar').style.width = Math.min(100, 100 * done / Math.max(1, c.budget)) + '%';
  document.getElementById('progress').textContent =
    `${done}/${c.budget} experiments ended: ${c.results} results, ${c.failed} failed, ${c.running} running`;
  document.getElementById('reason').textContent = c.state_reason || '';

  const measured = experiments.filter(e => e.log10_sigma25 != null);
  const front = new Set(c.pareto_front);
  const frontPoints = measured.filter(e => front.has(e.id)).map(e => ({ x: e.ea_ev, y: e.log10_sigma25, id: e.id }))
    .sort((a, b) => a.x - b.x);
  chart('pareto', { type: 'scatter', data: { datasets: [
      { label: 'measured', data: measured.map(e => ({ x: e.ea_ev, y: e.log10_sigma25, id: e.id })), backgroundColor: '#9aa5b1' },
      { label: 'Pareto front', data: frontPoints, showLine: true, borderColor: '#d9480f', backgroundColor: '#d9480f' }] },
    options: { scales: axes('Ea (eV) — lower is better', 'log10 σ25 (S/cm) — higher is better'),
      plugins: { tooltip: { callbacks: { label: ctx => `${shortId(ctx.raw.id)}: Ea ${fmt(ctx.raw.x)} eV, log σ ${fmt(ctx.raw.y)}` } } } } });

  let best = -Infinity;
  const bestSoFar = measured.map(e => ({ x: e.seq_no, y: (best = Math.max(best, e.log10_sigma25)) }));
  chart('best-so-far', { type: 'line', data: { datasets: [
      { label: 'best log10 σ25', data: bestSoFar, borderColor: '#2f7de1', stepped: true, yAxisID: 'y' },
      { label: 'hypervolume', data: c.hypervolume_so_far.map((h, i) => ({ x: measured[i] ? measured[i].seq_no : i + 1, y: h })),
        borderColor: '#2b8a3e', stepped: true, yAxisID: 'y1' }] },
    options: { scales: axes('experiment', 'best log10 σ25', { y1: { position: 'right', title: { display: true, text: 'hypervolume' }, grid: { drawOnChartArea: false } } }) } });

  chart('objective-sigma', { type: 'scatter', data: { datasets: [
      { label: 'log10 σ25', data: measured.map(e => ({ x: e.seq_no, y: e.log10_sigma25 })), backgroundColor: '#2f7de1' }] },
    options: { scales: axes('experiment', 'log10 σ25 (S/cm)') } });
  chart('objective-ea', { type: 'scatter', data: { datasets: [
      { label: 'Ea', data: measured.map(e => ({ x: e.seq_no, y: e.ea_ev })), backgroundColor: '#ae3ec9' }] },
    options: { scales: axes('experiment', 'Ea (eV)') } });

  table(document.getElementById('experiments'), ['#', 'Experiment', 'State', 'Composition | anneal', 'log10 σ25', 'Ea (eV)', 'Model', 'Acquisition'],
    experiments.map(e => [e.seq_no, el('a', { href: `/experiment.html?campaign=${encodeURIComponent(c.id)}&id=${encodeURIComponent(e.id)}` }, shortId(e.id)),
      e.state + (e.failure ? ': ' + e.failure : ''), composition(e.x), e.log10_sigma25 == null ? '–' : fmt(e.log10_sigma25),
      e.ea_ev == null ? '–' : fmt(e.ea_ev), e.model_version, e.acquisition == null ? '–' : Number(e.acquisition).toPrecision(3)]));
  table(document.getElementById('decisions'), ['Experiment', 'When', 'Method', 'Acquisition', 'Model version', 'Data seen', 'Pending', 'Predicted (mean ± sd)', 'Noise sd assumed'],
    decisions.map(d => [shortId(d.experiment_id), d.ts, d.method, d.acquisition == null ? '–' : Number(d.acquisition).toPrecision(3),
      d.model_version, d.observations, d.pending,
      d.predicted_mean ? d.predicted_mean.map((m, i) => `${fmt(m)} ± ${fmt(d.predicted_sd[i])}`).join('; ') : '–',
      d.noise_sd ? d.noise_sd.map((v, i) => `${Number(v).toPrecision(2)} (${d.noise[i]})`).join('; ') : '–']));
}

async function refresh() {
  const [c, experiments, decisions] = await Promise.all([api(`/api/campaigns/${id}`),
    api(`/api/campaigns/${id}/experiments`), api(`/api/campaigns/${id}/decisions`)]);
  render(c, experiments, decisions);
  document.body.dataset.ready = 'true';
  return c;
}

async function live() {
  try {
    const c = await refresh();
    if (!ENDED.includes(c.state)) setTimeout(live, 2000);
  } catch (e) { showError(e); setTimeout(live, 5000); }
}

header().then(who => { document.getElementById('steer').hidden = who.role === 'viewer'; return live(); }).catch(showError);

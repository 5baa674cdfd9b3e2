const id = param('id');
const COLOURS = ['#2f7de1', '#ae3ec9', '#2b8a3e', '#f08c00', '#0b7285', '#d9480f'];
document.getElementById('export-csv').onclick = ev => { ev.preventDefault(); download(`/api/campaigns/${id}/export.csv`, id + '.csv'); };
document.getElementById('export-tidy').onclick = ev => { ev.preventDefault(); download(`/api/campaigns/${id}/measurements.csv`, id + '-measurements.csv'); };
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

let role = 'viewer';
const STEERABLE = { pause: ['RUNNING'], resume: ['PAUSED'], stop: ['RUNNING', 'PAUSED'], abort: ['RUNNING', 'PAUSED'] };

// POSTs an operator's answer and shows the server's; a reason is asked for where one is required.
async function answer(path, what, reasonPrompt, out) {
  const body = {};
  if (reasonPrompt) {
    const reason = prompt(reasonPrompt);
    if (!reason) return;
    body.reason = reason;
  }
  out.textContent = what + '…';
  try {
    const r = await api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    out.textContent = `${what}: ${r.status}${r.outcome ? ' — ' + r.outcome : ''}`;
  } catch (e) { out.textContent = `${what}: ${e.message}`; }
  refresh().catch(showError);
}

// What waits for a person: approval gates and stations out of service. An operator answers here;
// a viewer sees the same list without buttons. Steering buttons show only where the state allows.
function renderTasks(c) {
  const operator = role !== 'viewer';
  document.querySelectorAll('#steer button').forEach(b => { b.hidden = !(STEERABLE[b.dataset.kind] || []).includes(c.state); });
  document.getElementById('steer').hidden = !operator || ENDED.includes(c.state);
  const box = document.getElementById('operator-tasks');
  box.replaceChildren();
  const approvals = c.pending_approvals || [], stations = c.stations_out_of_service || [];
  if (!approvals.length && !stations.length) return;
  box.append(el('h2', {}, 'Waiting for an operator'));
  const out = el('span', { class: 'muted', id: 'task-result' });
  const short = e => e.replace(c.id + '-', '');
  approvals.forEach(a => {
    const row = el('p', { class: 'task approval', 'data-experiment': short(a.experiment_id), 'data-step': a.step },
      `${short(a.experiment_id)}, before ${a.step}: ${a.prompt} (asked ${a.requested_at}) `);
    if (operator) {
      const base = `/api/campaigns/${c.id}/experiments/${short(a.experiment_id)}/steps/${a.step}`;
      const yes = el('button', { class: 'approve' }, 'Approve');
      yes.onclick = () => answer(base + '/approve', 'approve ' + short(a.experiment_id), null, out);
      const no = el('button', { class: 'reject' }, 'Reject…');
      no.onclick = () => answer(base + '/reject', 'reject ' + short(a.experiment_id),
        'Reject: the experiment fails. Why?', out);
      row.append(yes, no);
    } else {
      row.append(el('span', { class: 'muted' }, '(an operator answers)'));
    }
    box.append(row);
  });
  stations.forEach(s => {
    const row = el('p', { class: 'task station', 'data-station': s.station }, `${s.station} out of service since ${s.since}: ${s.reason} `);
    if (operator) {
      const release = el('button', { class: 'release' }, 'Release…');
      release.onclick = () => answer(`/api/campaigns/${c.id}/stations/${s.station}/release`, 'release ' + s.station,
        `Return ${s.station} to service: what was inspected or done?`, out);
      row.append(release);
    }
    box.append(row);
  });
  box.append(out);
}

function render(c, experiments, decisions) {
  renderTasks(c);
  document.title = 'ionloop — ' + c.name;
  document.getElementById('title').textContent = `${c.name} (${c.id})`;
  const state = document.getElementById('state');
  state.textContent = c.state; state.className = 'state ' + c.state;
  const done = c.completed + c.failed;
  document.getElementById('bar').style.width = Math.min(100, 100 * done / Math.max(1, c.budget)) + '%';
  document.getElementById('progress').textContent =
    `${done}/${c.budget} experiments ended: ${c.results} results, ${c.failed} failed, ${c.running} running`;
  document.getElementById('reason').textContent = c.state_reason || '';

  // The campaign's own objectives, in its order: the first is the y axis of the Pareto plot and
  // the "best so far"; the second, when there is one, its x axis.
  const objectives = c.objectives || [];
  const value = (e, o) => e.objectives && e.objectives[o.name] ? e.objectives[o.name].value : null;
  const stdErr = (e, o) => e.objectives && e.objectives[o.name] ? e.objectives[o.name].std_err : null;
  const label = o => `${o.name}${o.unit ? ' (' + o.unit + ')' : ''} — ${o.direction === 'minimize' ? 'lower' : 'higher'} is better`;
  const better = (o, a, b) => o.direction === 'minimize' ? Math.min(a, b) : Math.max(a, b);
  const measured = experiments.filter(e => objectives.length > 0 && objectives.every(o => value(e, o) != null));
  const front = new Set(c.pareto_front);
  const first = objectives[0];
  if (objectives.length >= 2) {
    const [yo, xo] = objectives;
    const point = e => ({ x: value(e, xo), y: value(e, yo), xErr: stdErr(e, xo), yErr: stdErr(e, yo), id: e.id, x0: e.x });
    const frontPoints = measured.filter(e => front.has(e.id)).map(point).sort((a, b) => a.x - b.x);
    const ref = { x: xo.reference, y: yo.reference };
    chart('pareto', { type: 'scatter', data: { datasets: [
        // Drawn on top (order 0) and joined as the attainment step line the hypervolume measures.
        { label: 'Pareto front' + (objectives.length > 2 ? ` (over all ${objectives.length} objectives)` : ''),
          data: frontPoints, showLine: objectives.length === 2, stepped: xo.direction === 'maximize' ? 'before' : 'after',
          borderColor: '#d9480f', backgroundColor: '#d9480f', pointRadius: 5, order: 0, errorBars: true },
        { label: 'measured', data: measured.map(point), backgroundColor: '#9aa5b1', order: 1, errorBars: true },
        { label: 'reference point', data: [ref], backgroundColor: '#000', pointStyle: 'crossRot', pointRadius: 7, order: 0 }] },
      options: { scales: axes(label(xo), label(yo)),
        plugins: { tooltip: { callbacks: { label: ctx => ctx.raw.id
          ? `${shortId(ctx.raw.id)}: ${xo.name} ${fmt(ctx.raw.x)}, ${yo.name} ${fmt(ctx.raw.y)} — ${composition(ctx.raw.x0)}`
          : `reference: ${xo.name} ${fmt(ctx.raw.x)}, ${yo.name} ${fmt(ctx.raw.y)}` } } } } });
  }
  document.getElementById('pareto-card').hidden = objectives.length < 2;

  if (first) {
    let best = null;
    const bestSoFar = measured.map(e => ({ x: e.seq_no, y: (best = best == null ? value(e, first) : better(first, best, value(e, first))) }));
    chart('best-so-far', { type: 'line', data: { datasets: [
        { label: 'best ' + first.name, data: bestSoFar, borderColor: '#2f7de1', stepped: true, yAxisID: 'y' },
        { label: 'hypervolume', data: c.hypervolume_so_far.map((h, i) => ({ x: measured[i] ? measured[i].seq_no : i + 1, y: h })),
          borderColor: '#2b8a3e', stepped: true, yAxisID: 'y1' }] },
      options: { scales: axes('experiment', 'best ' + first.name + (first.unit ? ' (' + first.unit + ')' : ''),
        { y1: { position: 'right', title: { display: true, text: 'hypervolume' }, grid: { drawOnChartArea: false } } }) } });
  }

  const cards = document.getElementById('objective-charts');
  objectives.forEach((o, k) => {
    const canvasId = 'objective-' + o.name;
    if (!document.getElementById(canvasId)) {
      cards.append(el('div', { class: 'card' }, el('h2', {}, `${o.name} by experiment`), el('canvas', { id: canvasId })));
    }
    chart(canvasId, { type: 'scatter', data: { datasets: [
        { label: o.name, errorBars: true, backgroundColor: COLOURS[k % COLOURS.length],
          data: measured.map(e => ({ x: e.seq_no, y: value(e, o), yErr: stdErr(e, o), id: e.id, x0: e.x })) }] },
      options: { scales: axes('experiment', label(o)),
        plugins: { tooltip: { callbacks: { label: ctx => `${shortId(ctx.raw.id)}: ${fmt(ctx.raw.y)} ± ${fmt(ctx.raw.yErr)} — ${composition(ctx.raw.x0)}` } } } } });
  });

  table(document.getElementById('experiments'), ['#', 'Experiment', 'State', 'Composition | process',
      ...objectives.map(o => o.name + (o.unit ? ` (${o.unit})` : '')), 'Model', 'Acquisition'],
    experiments.map(e => [e.seq_no, el('a', { href: `/experiment.html?campaign=${encodeURIComponent(c.id)}&id=${encodeURIComponent(e.id)}` }, shortId(e.id)),
      e.state + (e.failure ? ': ' + e.failure : ''), composition(e.x),
      ...objectives.map(o => value(e, o) == null ? '–' : fmt(value(e, o)) + (stdErr(e, o) ? ' ± ' + Number(stdErr(e, o)).toPrecision(2) : '')),
      e.model_version, e.acquisition == null ? '–' : Number(e.acquisition).toPrecision(3)]));
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

header().then(who => { role = who.role; return live(); }).catch(showError);

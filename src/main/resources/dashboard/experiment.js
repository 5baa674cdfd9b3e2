const campaign = param('campaign');
const id = param('id');
const COLOURS = ['#2f7de1', '#d9480f', '#2b8a3e', '#ae3ec9', '#f08c00', '#0b7285'];
document.getElementById('back').href = '/campaign.html?id=' + encodeURIComponent(campaign);

async function load() {
  const [e, spectra] = await Promise.all([api(`/api/campaigns/${campaign}/experiments/${id}`),
    api(`/api/campaigns/${campaign}/experiments/${id}/spectra`)]);
  document.getElementById('title').textContent = `Experiment ${shortId(e.id)} (#${e.seq_no})`;
  document.getElementById('summary').textContent = `${e.state}${e.failure ? ': ' + e.failure : ''} — ${composition(e.x)}`
    + Object.entries(e.objectives || {}).map(([k, v]) => ` — ${k} = ${fmt(v.value)}${v.std_err ? ' ± ' + fmt(v.std_err) : ''}`).join('');

  const datasets = [];
  spectra.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    datasets.push({ label: `${fmt(s.temperature_c, 0)} °C measured`, data: s.points.map(p => ({ x: p[1], y: -p[2] })),
      backgroundColor: colour, pointRadius: 2.5 });
    if (s.fit) datasets.push({ label: `${fmt(s.temperature_c, 0)} °C fit ${s.circuit}`, data: s.fit.map(p => ({ x: p[1], y: -p[2] })),
      showLine: true, pointRadius: 0, borderColor: colour, borderWidth: 1.5 });
  });
  const nyquist = chart('nyquist', { type: 'scatter', data: { datasets }, options: { scales: axes("Z' (Ω)", "−Z'' (Ω)") } });
  // The electrode spike reaches MΩ while the bulk arc that gives σ spans ohms: zoom to a few
  // times the largest fitted bulk resistance to see the arcs the fit used.
  const bulk = Math.max(...e.measurements.map(m => m.resistance_ohm || 0));
  document.getElementById('zoom-bulk').onclick = () => {
    nyquist.options.scales.x.min = 0; nyquist.options.scales.x.max = 4 * bulk;
    nyquist.options.scales.y.min = 0; nyquist.options.scales.y.max = 2.5 * bulk; nyquist.update('none');
  };
  document.getElementById('zoom-full').onclick = () => {
    ['x', 'y'].forEach(a => { delete nyquist.options.scales[a].min; delete nyquist.options.scales[a].max; });
    nyquist.update('none');
  };

  const a = e.arrhenius;
  const arr = [{ label: 'ln(σT)', data: a.points.map(p => ({ x: p.inv_t_1000, y: p.ln_sigma_t })), backgroundColor: '#2f7de1' }];
  if (a.slope != null) {
    const xs = a.points.map(p => p.inv_t_1000);
    const lo = Math.min(...xs), hi = Math.max(...xs);
    arr.push({ label: `Ea = ${fmt(a.ea_ev)} eV`, data: [lo, hi].map(x => ({ x, y: a.intercept + a.slope * x })),
      showLine: true, pointRadius: 0, borderColor: '#d9480f' });
  }
  chart('arrhenius', { type: 'scatter', data: { datasets: arr }, options: { scales: axes('1000 / T (1/K)', 'ln(σT) (S K/cm)') } });

  const t0 = e.steps.length ? Date.parse(e.steps[0].started_at) : 0;
  const steps = e.steps.filter(s => s.started_at);
  chart('timeline', { type: 'bar', data: { labels: steps.map(s => `${s.step_id} (${s.instrument})`), datasets: [{
      label: 'step', data: steps.map(s => [(Date.parse(s.started_at) - t0) / 1000,
        ((s.finished_at ? Date.parse(s.finished_at) : Date.now()) - t0) / 1000]),
      backgroundColor: steps.map(s => s.state === 'DONE' ? '#74c0fc' : s.state === 'FAILED' ? '#ffa8a8' : '#ffe066') }] },
    options: { indexAxis: 'y', scales: { x: { type: 'linear', title: { display: true, text: 'seconds since the first step' } } },
      plugins: { legend: { display: false } } } });

  table(document.getElementById('measurements'), ['T (°C)', 'Circuit', 'R (Ω)', 'σ (S/cm)', 'χ²', 'Bulk resolved', 'Kramers–Kronig'],
    e.measurements.map(m => [fmt(m.temperature_c, 0), m.circuit, m.resistance_ohm == null ? '–' : Number(m.resistance_ohm).toPrecision(4),
      m.sigma_s_cm == null ? '–' : Number(m.sigma_s_cm).toExponential(3), m.chi_square == null ? '–' : Number(m.chi_square).toExponential(2),
      m.bulk_resolved ? 'yes' : 'no', m.kk_valid ? 'valid' : `invalid (${fmt(m.kk_residual, 4)})`]));
  table(document.getElementById('steps'), ['Step', 'Instrument', 'Action', 'State', 'Started', 'Finished', 'Parameters'],
    e.steps.map(s => [s.step_id, s.instrument, s.action, s.state, s.started_at, s.finished_at || '–', el('code', {}, JSON.stringify(s.params))]));
  document.body.dataset.ready = 'true';
}
header().then(load).catch(showError);

const campaign = param('campaign');
const id = param('id');
const COLOURS = ['#2f7de1', '#d9480f', '#2b8a3e', '#ae3ec9', '#f08c00', '#0b7285'];
document.getElementById('back').href = '/campaign.html?id=' + encodeURIComponent(campaign);

async function load() {
  const [e, spectra] = await Promise.all([api(`/api/campaigns/${campaign}/experiments/${id}`),
    api(`/api/campaigns/${campaign}/experiments/${id}/spectra`)]);
  document.getElementById('title').textContent = `Experiment ${shortId(e.id)} (#${e.seq_no})`;
  document.getElementById('summary').textContent = `${e.state}${e.failure ? ': ' + e.failure : ''} — ${composition(e.x)}`
    + Object.entries(e.objectives || {}).map(([k, v]) => ` — ${k} = ${fmt(v.value)}${v.std_err ? ' ± ' + Number(v.std_err).toPrecision(2) : ''}`).join('');

  const datasets = [];
  spectra.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    datasets.push({ label: `${fmt(s.temperature_c, 0)} °C measured`, data: s.points.map(p => ({ x: p[1], y: -p[2] })),
      backgroundColor: colour, pointRadius: 2.5 });
    if (s.fit) datasets.push({ label: `${fmt(s.temperature_c, 0)} °C fit ${s.circuit}`, data: s.fit.map(p => ({ x: p[1], y: -p[2] })),
      showLine: true, pointRadius: 0, borderColor: colour, borderWidth: 1.5 });
  });
  // A Nyquist plot is read for shapes (a semicircle is a parallel RC): one ohm is as long on
  // both axes, so the plot is square and both axes span the same range.
  let shown = null; // the window asked for: kept square again whenever the canvas is resized
  const nyquist = chart('nyquist', { type: 'scatter', data: { datasets },
    options: { aspectRatio: 1, maintainAspectRatio: true, scales: axes("Z' (Ω)", "−Z'' (Ω)"),
      onResize: () => { if (shown) setTimeout(() => equalAxes(...shown), 0); } } });
  const all = spectra.flatMap(s => s.points);
  const equalAxes = (xMin, xMax, yMin, yMax) => {
    shown = [xMin, xMax, yMin, yMax];
    // New limits change the tick labels and so the plot area: settle in a few rounds.
    for (let round = 0; round < 4; round++) {
      const area = nyquist.chartArea;
      const perPixel = Math.max((xMax - xMin) / area.width, (yMax - yMin) / area.height);
      nyquist.options.scales.x.min = xMin; nyquist.options.scales.x.max = xMin + perPixel * area.width;
      nyquist.options.scales.y.min = yMin; nyquist.options.scales.y.max = yMin + perPixel * area.height;
      nyquist.update('none');
    }
  };
  const full = () => equalAxes(Math.min(0, ...all.map(p => p[1])), Math.max(...all.map(p => p[1])),
    Math.min(0, ...all.map(p => -p[2])), Math.max(...all.map(p => -p[2])));
  // The electrode spike reaches MΩ while the bulk arc that gives σ spans ohms: zoom to a few
  // times the largest fitted bulk resistance to see the arcs the fit used.
  const bulk = Math.max(...e.measurements.map(m => m.resistance_ohm || 0));
  document.getElementById('zoom-bulk').onclick = () => equalAxes(0, 4 * bulk, 0, 4 * bulk);
  document.getElementById('zoom-full').onclick = full;
  if (all.length) full();
  document.getElementById('download-bundle').onclick = () =>
    download(`/api/campaigns/${campaign}/experiments/${id}/bundle.zip`, `${e.id}.zip`);
  document.getElementById('download-spectra').onclick = () => {
    const rows = ['temperature_c,frequency_hz,z_real_ohm,z_imag_ohm'];
    spectra.forEach(s => s.points.forEach(p => rows.push([s.temperature_c, p[0], p[1], p[2]].join(','))));
    const a = el('a', { href: URL.createObjectURL(new Blob([rows.join('\r\n') + '\r\n'], { type: 'text/csv' })),
      download: `${e.id}-spectra.csv` });
    document.body.append(a); a.click(); a.remove();
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

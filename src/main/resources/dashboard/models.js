header().then(async () => {
  const models = await api('/api/models');
  table(document.getElementById('models'), ['Version', 'Created', 'File', 'SHA-256', 'Training data SHA-256', 'Metrics'],
    models.map(m => [m.id, m.created_at, m.file, (m.sha256 || '').slice(0, 12), (m.data_sha256 || '').slice(0, 12),
      el('code', {}, JSON.stringify(m.metrics))]));
  document.body.dataset.ready = 'true';
}).catch(showError);

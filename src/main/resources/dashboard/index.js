async function refresh() {
  const list = await api('/api/campaigns');
  table(document.getElementById('campaigns'), ['Campaign', 'Name', 'State', 'Created', 'Progress'],
    list.map(c => [el('a', { href: '/campaign.html?id=' + encodeURIComponent(c.id) }, c.id), c.name,
      el('span', { class: 'state ' + c.state }, c.state), c.created_at,
      `${c.experiments}/${c.budget} experiments, ${c.results} results`]));
  document.body.dataset.ready = 'true';
}
header().then(refresh).catch(showError);
setInterval(() => refresh().catch(showError), 5000);

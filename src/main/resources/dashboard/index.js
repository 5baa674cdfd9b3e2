// The campaigns, and the lab's queue: operators queue a PLANNED campaign, move one up, take one
// out; a viewer sees the same lists without buttons.
let role = 'viewer';

async function change(path, method, body) {
  await api(path, { method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  await refresh();
}

async function refresh() {
  const [list, queue] = await Promise.all([api('/api/campaigns'), api('/api/queue')]);
  const operator = role !== 'viewer';
  const waiting = new Set(queue.map(q => q.campaign_id));
  table(document.getElementById('campaigns'), ['Campaign', 'Name', 'State', 'Created', 'Progress', ''],
    list.map(c => [el('a', { href: '/campaign.html?id=' + encodeURIComponent(c.id) }, c.id), c.name,
      el('span', { class: 'state ' + c.state }, c.state), c.created_at,
      `${c.experiments}/${c.budget} experiments, ${c.results} results`,
      operator && c.state === 'PLANNED' && !waiting.has(c.id)
        ? el('button', { class: 'enqueue', 'data-id': c.id, onclick: () => change('/api/queue', 'POST', { campaign_id: c.id }).catch(showError) }, 'Queue')
        : '']));
  const rows = queue.map(q => [q.position, el('a', { href: '/campaign.html?id=' + encodeURIComponent(q.campaign_id) }, q.campaign_id),
    q.name, q.queued_at, q.queued_by,
    operator ? el('span', {},
      q.position > 0 ? el('button', { class: 'up', 'data-id': q.campaign_id,
        onclick: () => change('/api/queue/' + encodeURIComponent(q.campaign_id) + '/move', 'POST', { position: q.position - 1 }).catch(showError) }, 'Up') : '',
      el('button', { class: 'dequeue', 'data-id': q.campaign_id,
        onclick: () => change('/api/queue/' + encodeURIComponent(q.campaign_id), 'DELETE').catch(showError) }, 'Remove')) : '']);
  table(document.getElementById('queue'), ['#', 'Campaign', 'Name', 'Queued', 'By', ''], rows);
  document.getElementById('queue-empty').hidden = queue.length > 0;
  document.body.dataset.ready = 'true';
}
header().then(who => { role = who.role; return refresh(); }).catch(showError);
setInterval(() => refresh().catch(showError), 5000);

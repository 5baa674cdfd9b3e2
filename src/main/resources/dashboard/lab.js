// The lab view, live: server-sent events from /api/lab/stream, read with fetch because the
// token goes in a header (EventSource cannot send one). Reconnects after a dropped stream.
function since(t) { return t ? new Date(t).toLocaleTimeString() : '–'; }

function stateOf(i) {
  if (i.out_of_service) return el('span', { class: 'state FAILED', title: i.out_of_service }, 'OUT OF SERVICE');
  if (i.state == null) return el('span', { class: 'state', title: 'not driven by this server yet' }, i.command ? 'BUSY' : '–');
  return el('span', { class: 'state ' + ({ ONLINE: 'COMPLETED', BUSY: 'RUNNING', FAULT: 'FAILED', OFFLINE: 'PAUSED' }[i.state] || '') }, i.state);
}

function experimentLink(campaign, experiment) {
  return el('a', { href: `/experiment.html?campaign=${encodeURIComponent(campaign)}&id=${encodeURIComponent(experiment)}` },
    shortId(experiment));
}

function draw(view) {
  document.getElementById('asof').textContent = 'as of ' + since(view.as_of);
  table(document.getElementById('instruments'), ['Instrument', 'State', 'Last heard', 'Command', 'Experiment', 'Campaign',
    'Since', 'Holds', 'Last step'],
  view.instruments.map(i => [i.id, stateOf(i), since(i.last_heard),
    i.command ? i.command.action : '–',
    i.command ? experimentLink(i.command.campaign_id, i.command.experiment_id) : '–',
    i.command ? el('a', { href: '/campaign.html?id=' + encodeURIComponent(i.command.campaign_id) }, i.command.campaign_id) : '–',
    i.command ? since(i.command.since) : '–',
    i.samples.length ? el('span', {}, ...i.samples.map(s => experimentLink(s.campaign_id, s.experiment_id))) : '–',
    i.last ? `${i.last.action} ${i.last.state} ${since(i.last.at)}` : '–']));
  document.querySelectorAll('#instruments tbody tr').forEach((tr, k) => { tr.dataset.instrument = view.instruments[k].id; });
  table(document.getElementById('samples'), ['Sample (experiment)', 'Campaign', 'Where', 'Since', 'Transfers'],
    view.samples.map(s => [experimentLink(s.campaign_id, s.experiment_id), s.campaign_id, s.place || 'not started',
      since(s.since), s.transfers.map(t => `${t.from} → ${t.to} (${since(t.at)})`).join('; ') || '–']));
  document.body.dataset.ready = 'true';
  document.body.dataset.events = String(Number(document.body.dataset.events || 0) + 1);
}

async function follow() {
  const live = document.getElementById('live');
  const token = sessionStorage.getItem(TOKEN_KEY);
  for (;;) {
    try {
      const r = await fetch('/api/lab/stream', { headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'text/event-stream' } });
      if (r.status === 401) { toLogin(); return; }
      if (!r.ok) throw new Error('lab stream: HTTP ' + r.status);
      live.textContent = 'live'; live.className = 'state RUNNING';
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
          if (block.includes('event: lab') && data) draw(JSON.parse(data));
        }
      }
    } catch (e) {
      showError(e);
    }
    live.textContent = 'reconnecting…'; live.className = 'state PAUSED';
    await new Promise(res => setTimeout(res, 2000));
  }
}

header().then(follow).catch(showError);

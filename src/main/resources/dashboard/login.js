document.getElementById('form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const token = document.getElementById('token').value.trim();
  const r = await fetch('/api/whoami', { headers: { 'Authorization': 'Bearer ' + token } });
  if (!r.ok) { document.getElementById('error').textContent = (await r.json()).message; return; }
  sessionStorage.setItem(TOKEN_KEY, token);
  location.href = param('next') || '/';
});

// The status page's HTML shell, served at `/`. It holds no data: its script asks `/v1/status?format=html` with the
// key kept in sessionStorage (typed into the login form; never in the URL), so a visitor without a key sees nothing.
// Plain inline script and styles: the page works offline and loads nothing from elsewhere.

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; background: #f7fafc; color: #1a202c; }
header { background: #1a365d; color: #fff; padding: 0.8rem 1.5rem; display: flex; align-items: center; justify-content: space-between; }
header h1 { font-size: 1.2rem; margin: 0; }
main { padding: 1rem 1.5rem; max-width: 80rem; }
section { background: #fff; border-radius: 6px; box-shadow: 0 1px 2px #0002; padding: 0.6rem 1rem 1rem; margin-bottom: 1rem; }
h2 { font-size: 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #edf2f7; vertical-align: middle; }
.muted { color: #718096; }
.bad { color: #c53030; }
form#login { background: #fff; padding: 1rem; border-radius: 6px; max-width: 24rem; }
form#login input { width: 100%; box-sizing: border-box; padding: 0.4rem; margin: 0.4rem 0; }
button { padding: 0.3rem 0.8rem; }
`

const SCRIPT = `
(function () {
  var KEY = 'highway.key';
  var open = document.body.getAttribute('data-auth') === 'open';
  var content = document.getElementById('status');
  var login = document.getElementById('login');
  var message = document.getElementById('message');
  var logout = document.getElementById('logout');
  function showLogin(text) {
    content.innerHTML = '';
    login.hidden = false;
    logout.hidden = true;
    message.textContent = text || '';
  }
  function load() {
    var key = sessionStorage.getItem(KEY);
    if (!open && !key) return showLogin('A key with the read scope is needed.');
    var headers = key ? { authorization: 'Bearer ' + key } : {};
    fetch('/v1/status?format=html', { headers: headers }).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        sessionStorage.removeItem(KEY);
        return r.json().then(function (e) { showLogin(e.error || 'This key may not read the status.'); });
      }
      if (!r.ok) { message.textContent = 'Status unavailable (' + r.status + '); retrying.'; return; }
      return r.text().then(function (html) {
        login.hidden = true;
        logout.hidden = open && !key;
        message.textContent = '';
        content.innerHTML = html;
      });
    }, function () { message.textContent = 'Highway is not reachable; retrying.'; });
  }
  login.addEventListener('submit', function (event) {
    event.preventDefault();
    sessionStorage.setItem(KEY, document.getElementById('key').value);
    document.getElementById('key').value = '';
    load();
  });
  logout.addEventListener('click', function () { sessionStorage.removeItem(KEY); showLogin(''); });
  load();
  setInterval(load, 30000);
})();
`

/** The page at `/`. `open`: the service runs without keys (loopback), so the page loads without asking for one. */
export function statusPageHtml(options: { open: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Highway status</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body data-auth="${options.open ? 'open' : 'keys'}">
<header><h1>Highway status</h1><span><a href="/demo" style="color:#fff">booking demo</a> · <button id="logout" type="button" hidden>Sign out</button></span></header>
<main>
<p id="message" class="muted"></p>
<form id="login" hidden><label for="key">API key (read scope)</label><input id="key" name="key" type="password" autocomplete="current-password" required><button type="submit">Sign in</button><p class="muted">The key stays in this tab's session storage.</p></form>
<div id="status"></div>
</main>
<script>${SCRIPT}</script>
</body>
</html>`
}

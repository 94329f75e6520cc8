// The nmodal dashboard: renders /nmodal/api/state, then follows /nmodal/api/events (server-sent events).
// Plain DOM and SVG, no libraries: it must work without internet.
(function () {
  'use strict';
  const token = new URLSearchParams(location.search).get('token');
  const q = token ? '?token=' + encodeURIComponent(token) : '';
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s == null ? '-' : s).replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));

  function graph(g) {
    if (!g) { return ''; }
    const mods = g.modalities.map((m) => esc(m.modality) + (m.encoder ? ' (' + esc(m.encoder) + ')' : '')).join(' + ');
    return '<span class="graph">' + mods + ' → heads [' + esc(g.loss) + '] → ' + esc(g.fusion) + ' → '
      + g.classifiers.map(esc).join(', ') + ' ⇒ ' + g.tasks.map(esc).join(', ') + '</span>';
  }

  function components(list) {
    $('components').tBodies[0].innerHTML = list.map((c) => '<tr data-name="' + esc(c.name) + '" data-state="' + esc(c.state) + '">'
      + [c.kind, c.name, c.modality, c.dimension, c.device, c.bundle, c.version, c.licence].map((v) => '<td>' + esc(v) + '</td>').join('')
      + '<td class="' + esc(c.state) + '">' + (c.state === 'ok' ? 'ok' : 'failed: ' + esc(c.failure)) + '</td></tr>').join('');
  }

  function curve(job) {
    const svg = $('curve');
    const pts = job ? job.epochs : [];
    svg.setAttribute('data-points', String(pts.length));
    if (!job) { svg.innerHTML = ''; $('job').textContent = 'no training yet'; return; }
    $('job').textContent = job.pipeline + ': epoch ' + pts.length + ' of at most ' + job.maxEpochs;
    const w = 640, h = 220, pad = 34;
    const values = pts.flatMap((p) => [p.train, p.dev]).filter(Number.isFinite);
    const lo = Math.min(...values, 0), hi = Math.max(...values, 1e-9);
    const x = (i) => pad + (w - 2 * pad) * (pts.length < 2 ? 0 : i / (pts.length - 1));
    const y = (v) => h - pad - (h - 2 * pad) * ((v - lo) / (hi - lo || 1));
    const line = (key, colour) => '<polyline fill="none" stroke="' + colour + '" stroke-width="2" points="'
      + pts.map((p, i) => x(i).toFixed(1) + ',' + y(p[key]).toFixed(1)).join(' ') + '"/>'
      + pts.map((p, i) => '<circle class="point ' + key + '" r="2.5" fill="' + colour + '" cx="' + x(i).toFixed(1) + '" cy="' + y(p[key]).toFixed(1) + '"/>').join('');
    svg.innerHTML = '<line x1="' + pad + '" y1="' + (h - pad) + '" x2="' + (w - pad) + '" y2="' + (h - pad) + '" stroke="#999"/>'
      + '<line x1="' + pad + '" y1="' + pad + '" x2="' + pad + '" y2="' + (h - pad) + '" stroke="#999"/>'
      + '<text x="' + pad + '" y="' + (pad - 8) + '">loss (train blue, dev orange)</text>'
      + '<text x="' + (w - pad - 40) + '" y="' + (h - 10) + '">epoch ' + pts.length + '</text>'
      + line('train', '#1a57b5') + line('dev', '#e07b00');
  }

  function pipelines(p) {
    $('served').innerHTML = (p.served || []).map((s) => '<div><b>served ' + esc(s.id) + '</b>: ' + esc(s.state) + ', answering with '
      + esc(s.version) + ' ' + esc((s.modalities || []).join(', ')) + '<br>' + graph(s.graph)
      + '<div class="version">' + (s.versions || []).map(esc).join('<br>') + '</div></div>').join('');
    $('pipelines').tBodies[0].innerHTML = (p.pipelines || []).map((f) => '<tr><td>' + esc(f.file) + '</td><td>' + esc(f.id) + '</td><td>'
      + (f.valid ? 'ready' : '<span class="why">not ready: ' + esc(f.why) + '</span>') + '</td><td>' + graph(f.graph) + '</td></tr>').join('');
  }

  function runs(list) {
    $('runs').innerHTML = (list || []).map((r) => {
      const best = {};
      (r.results || []).forEach((x) => {
        const k = x.task + ' / ' + x.modalities.length + ' modalities';
        best[k] = Math.max(best[k] || 0, x.accuracy);
      });
      const rows = Object.keys(best).sort().map((k) => '<tr><td>' + esc(k) + '</td><td>' + best[k].toFixed(4) + '</td></tr>').join('');
      return '<details><summary>' + esc(r.pipeline) + ' · ' + esc(r.created) + ' · ' + esc(r.seconds) + ' s · '
        + '<a href="runs/' + encodeURIComponent(r.folder) + '/report.html' + q + '">report (tables, confusion matrices, embedding map)</a></summary>'
        + '<table><thead><tr><th>task / subset size</th><th>best test accuracy</th></tr></thead><tbody>' + rows + '</tbody></table></details>';
    }).join('') || 'no finished runs yet';
  }

  function render(state) {
    $('clock').textContent = new Date(state.time).toLocaleTimeString();
    $('runner').textContent = state.pipelines.runner || '';
    components(state.components || []);
    $('problems').innerHTML = (state.problems || []).map((p) => '<li class="failed">' + esc(p) + '</li>').join('');
    curve(state.pipelines.job);
    pipelines(state.pipelines);
    runs(state.pipelines.runs);
  }

  fetch('api/state' + q).then((r) => r.json()).then(render).catch((e) => { $('runner').textContent = 'no connection: ' + e; });
  // ?snapshot: render once and keep no connection open (headless browsers wait for open connections to end)
  if (!new URLSearchParams(location.search).has('snapshot')) {
    const events = new EventSource('api/events' + q);
    events.onmessage = (e) => render(JSON.parse(e.data));
    events.onerror = () => { $('runner').textContent = 'reconnecting…'; };
  }
}());

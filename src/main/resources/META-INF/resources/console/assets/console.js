// Sluice console: renders the gateway's own API answers (no copy of their logic). Every call carries the session
// cookie (sent by the browser) and the session's anti-forgery token; nothing here ever sees a stored key.
'use strict';
(() => {
  const body = document.body;
  const page = body.dataset.page;
  const master = body.dataset.role === 'master';
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const $ = (sel, root = document) => root.querySelector(sel);

  // ---- helpers -------------------------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  class ApiError extends Error {
    constructor(status, message, code) { super(message); this.status = status; this.code = code; }
  }

  async function call(method, path, json, accept) {
    const headers = { 'X-Sluice-CSRF': csrf, 'Accept': accept || 'application/json' };
    const init = { method, headers, credentials: 'same-origin' };
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    }
    const res = await fetch(path, init);
    if (res.status === 401) {
      location.href = '/console/login?ended=1';
      throw new ApiError(401, 'Signed out');
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }
  async function errorOf(res) {
    let message = res.status + ' ' + res.statusText;
    let code;
    try {
      const e = (await res.json()).error;
      if (e && e.message) { message = e.message; code = e.code; }
    } catch (ignored) { /* not JSON */ }
    return new ApiError(res.status, message, code);
  }
  const api = async (method, path, json) => (await call(method, path, json)).json();

  function showError(e) {
    const banner = $('#error');
    banner.textContent = e.message || String(e);
    banner.hidden = false;
  }
  function clearError() { $('#error').hidden = true; }

  const numberFormat = new Intl.NumberFormat('en-US');
  const num = (n) => numberFormat.format(n || 0);
  function usd(v) {
    const n = Number(v || 0);
    const decimals = (String(v).split('.')[1] || '').length;
    return '$' + n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: Math.max(2, Math.min(decimals, 6)) });
  }
  const pct = (r) => (Number(r || 0) * 100).toFixed(Number(r) > 0 && Number(r) < 0.01 ? 2 : 1) + '%';
  function ms(v) {
    if (v === null || v === undefined) return '–';
    if (v >= 1000) return (v / 1000).toFixed(v >= 10000 ? 0 : 2) + ' s';
    return (v < 10 ? v.toFixed(2) : Math.round(v)) + ' ms';
  }
  // a latency quantile; one beyond the histogram's last bucket is only known to be at least that bound
  const q = (figures, name) => (figures[name + '_at_least'] ? '≥ ' : '') + ms(figures[name]);
  const isoDay = (d) => d.toISOString().slice(0, 10);
  function when(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }

  function card(label, value, sub, href, id, data) {
    const attrs = { class: 'card', id };
    if (href) attrs.href = href;
    const c = el(href ? 'a' : 'div', attrs,
      el('div', { class: 'label', text: label }),
      el('div', { class: 'value', text: value }),
      sub ? el('div', { class: 'sub', text: sub }) : null);
    for (const [k, v] of Object.entries(data || {})) c.dataset[k] = v;
    return c;
  }

  async function download(path, filename) {
    try {
      const res = await call('GET', path, undefined, 'text/csv');
      const blob = await res.blob();
      const a = el('a', { href: URL.createObjectURL(blob), download: filename });
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch (e) { showError(e); }
  }

  // dialogs: every [data-close] button closes its dialog
  document.querySelectorAll('dialog [data-close]').forEach((b) => b.addEventListener('click', () => b.closest('dialog').close()));

  // charts (Chart.js, served from the webjar on the pages that draw any)
  const palette = ['#0f766e', '#2563eb', '#d97706', '#7c3aed', '#db2777', '#059669', '#64748b'];
  const charts = {};
  // Chart.js (a webjar served by Sluice) is loaded after the page's first paint, on the pages that draw charts
  const chartLibrary = !body.dataset.charts ? Promise.resolve(null) : new Promise((resolve) => {
    const script = el('script', { src: body.dataset.charts });
    script.addEventListener('load', () => {
      const Chart = window.Chart;
      Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
      Chart.defaults.color = '#5f6b7a';
      Chart.defaults.borderColor = '#eef1f4';
      resolve(Chart);
    });
    script.addEventListener('error', () => resolve(null));
    document.head.append(script);
  });
  async function chart(id, config) {
    const canvas = document.getElementById(id);
    const Chart = await chartLibrary;
    if (!canvas || !Chart) return;
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false } },
    }, config.options || {});
    charts[id] = new Chart(canvas, config);
  }
  const usdTick = { callback: (v) => '$' + Number(v).toLocaleString('en-US', { maximumFractionDigits: 6 }) };
  function barOptions(horizontal, onPick) {
    const value = { beginAtZero: true, ticks: usdTick };
    return {
      indexAxis: horizontal ? 'y' : 'x',
      scales: horizontal ? { x: { beginAtZero: true, ticks: Object.assign({ maxRotation: 0, maxTicksLimit: 6 }, usdTick) }, y: { grid: { display: false } } }
        : { y: value, x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 14 } } },
      onClick: onPick ? (evt, items) => { if (items.length) onPick(items[0].index); } : undefined,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => usd(c.raw) } } },
    };
  }

  let keyNames = null;
  async function loadKeyNames() {
    if (!master) return {};
    if (!keyNames) {
      keyNames = {};
      for (const k of (await api('GET', '/admin/keys')).data) keyNames[k.id] = k.name;
    }
    return keyNames;
  }

  // ---- overview ------------------------------------------------------------------------------------------------
  async function overview() {
    const [o, balance] = await Promise.all([api('GET', '/console/api/overview'),
      master ? Promise.resolve(null) : api('GET', '/v1/balance')]);
    const cards = $('#cards');
    cards.replaceChildren();
    if (balance) {
      cards.append(card('Balance', balance.unlimited ? 'Unlimited' : usd(balance.balance_usd),
        balance.unlimited ? null : 'available ' + usd(balance.available_usd), '/console/usage', 'card-balance',
        { usd: balance.balance_usd === null ? '' : String(balance.balance_usd) }));
    }
    cards.append(
      card('Spend today', usd(o.today.cost_usd), num(o.today.requests) + ' requests', '/console/usage?group_by=model&range=today', 'card-today', { usd: String(o.today.cost_usd) }),
      card('Spend this month', usd(o.this_month.cost_usd), o.month, '/console/invoices', 'card-month', { usd: String(o.this_month.cost_usd) }),
      card('Requests this month', num(o.this_month.requests), num(o.this_month.failed_requests) + ' failed', '/console/usage?group_by=day', 'card-requests'),
      card('Error rate this month', pct(o.this_month.error_rate), 'today ' + pct(o.today.error_rate), '/console/usage?group_by=day', 'card-errors'));
    if (o.latency_ms) {
      cards.append(
        card('Latency p50', q(o.latency_ms, 'p50'), 'p95 ' + q(o.latency_ms, 'p95') + ' · since start', '/console/routing', 'card-latency'),
        card('Sluice overhead p50', q(o.overhead_ms, 'p50'), 'p95 ' + q(o.overhead_ms, 'p95') + ' · its own time', '/console/routing', 'card-overhead'));
    }
    $('#as-of').textContent = 'UTC day ' + o.day + ' · ledger figures';
    chart('chart-days', {
      type: 'bar',
      data: { labels: o.days.map((d) => d.day.slice(5)), datasets: [{ data: o.days.map((d) => d.cost_usd), backgroundColor: palette[0], borderRadius: 4, maxBarThickness: 28 }] },
      options: barOptions(false, (i) => { location.href = '/console/usage?group_by=model&from=' + o.days[i].day + '&to=' + o.days[i].day; }),
    });
    const top = (id, rows, emptyId, link) => {
      $('#' + emptyId).hidden = rows.length > 0;
      document.getElementById(id).parentElement.hidden = rows.length === 0;
      chart(id, {
        type: 'bar',
        data: { labels: rows.map((r) => r.label), datasets: [{ data: rows.map((r) => r.cost_usd), backgroundColor: rows.map((r, i) => palette[i % palette.length]), borderRadius: 4, maxBarThickness: 26 }] },
        options: barOptions(true, (i) => { location.href = link(rows[i]); }),
      });
    };
    top('chart-models', o.top_models, 'models-empty', () => '/console/usage?group_by=model');
    if (o.top_keys) top('chart-keys', o.top_keys, 'keys-empty', (r) => '/console/usage?group_by=model&key=' + encodeURIComponent(r.id));
    await chartLibrary; // the charts above are drawn once it has loaded, before this resumes
  }

  // ---- keys ----------------------------------------------------------------------------------------------------
  function limitsText(k) {
    const parts = [];
    if (k.rpm) parts.push(num(k.rpm) + ' rpm');
    if (k.tpm) parts.push(num(k.tpm) + ' tpm');
    if (k.max_parallel) parts.push(k.max_parallel + ' parallel');
    return parts.length ? parts.join(' · ') : 'none';
  }
  function showSecret(secret) {
    $('#secret-value').textContent = secret;
    $('#copy-secret').textContent = 'Copy';
    $('#secret-dialog').showModal();
  }
  $('#copy-secret') && $('#copy-secret').addEventListener('click', async () => {
    const text = $('#secret-value').textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents($('#secret-value'));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      document.execCommand('copy');
    }
    $('#copy-secret').textContent = 'Copied';
  });
  $('#secret-done') && $('#secret-done').addEventListener('click', () => { $('#secret-value').textContent = ''; });

  function confirmAction(title, text, label, action) {
    $('#confirm-title').textContent = title;
    $('#confirm-text').textContent = text;
    $('#confirm-ok').textContent = label;
    const dialog = $('#confirm-dialog');
    dialog.onsubmit = async (e) => {
      e.preventDefault();
      dialog.close();
      try { clearError(); await action(); } catch (err) { showError(err); }
    };
    dialog.showModal();
  }

  let editing = null;
  function openKeyForm(k) {
    editing = k;
    const f = $('#key-form');
    f.reset();
    $('#key-form-error').hidden = true;
    $('#key-form-title').textContent = k ? 'Edit ' + k.name : 'New key';
    $('#key-submit').textContent = k ? 'Save changes' : 'Create key';
    f.querySelector('.create-only').hidden = !!k;
    if (k) {
      f.name.value = k.name;
      f.models.value = k.models.join(', ');
      f.rpm.value = k.rpm || '';
      f.tpm.value = k.tpm || '';
      f.max_parallel.value = k.max_parallel || '';
      f.unlimited.checked = k.unlimited;
      f.expires_at.value = k.expires_at ? k.expires_at.slice(0, 16) : '';
      f.metadata.value = k.metadata ? JSON.stringify(k.metadata) : '';
      f.log_requests.value = k.log_requests === null || k.log_requests === undefined ? '' : String(k.log_requests);
      f.log_bodies.value = k.log_bodies === null || k.log_bodies === undefined ? '' : String(k.log_bodies);
    }
    $('#key-dialog').showModal();
  }
  function keyBody(f, create) {
    const intOrNull = (v) => (v === '' ? null : Number(v));
    const b = {
      name: f.name.value.trim(),
      models: f.models.value.split(',').map((s) => s.trim()).filter(Boolean),
      rpm: intOrNull(f.rpm.value), tpm: intOrNull(f.tpm.value), max_parallel: intOrNull(f.max_parallel.value),
      unlimited: f.unlimited.checked,
      expires_at: f.expires_at.value ? f.expires_at.value + ':00Z' : null,
      metadata: f.metadata.value.trim() ? JSON.parse(f.metadata.value) : null,
      log_requests: f.log_requests.value === '' ? null : f.log_requests.value === 'true',
      log_bodies: f.log_bodies.value === '' ? null : f.log_bodies.value === 'true',
    };
    if (create) {
      for (const k of ['rpm', 'tpm', 'max_parallel', 'expires_at', 'metadata', 'log_requests', 'log_bodies']) if (b[k] === null) delete b[k];
      if (f.credit_usd.value !== '') b.credit_usd = f.credit_usd.value;
    }
    return b;
  }

  async function keys() {
    const list = (await api('GET', '/admin/keys')).data;
    const tbody = $('#keys-table tbody');
    tbody.replaceChildren(...list.map((k) => {
      const active = k.status === 'active';
      return el('tr', { 'data-key-id': k.id },
        el('td', {}, el('strong', { text: k.name })),
        el('td', {}, el('code', { text: k.key_hint })),
        el('td', { class: 'num', 'data-usd': String(k.balance_usd) }, k.unlimited ? 'unlimited' : usd(k.balance_usd)),
        el('td', { text: k.models.length ? k.models.join(', ') : 'all' }),
        el('td', { class: 'small', text: limitsText(k) }),
        el('td', { class: 'small', text: k.expires_at ? when(k.expires_at) : 'never' }),
        el('td', {}, el('span', { class: 'badge status-' + k.status, text: k.status })),
        el('td', { class: 'actions' },
          el('button', { class: 'btn btn-sm', type: 'button', disabled: !active, text: 'Top up', 'data-action': 'credit', onclick: () => {
            $('#credit-form').reset();
            $('#credit-form-error').hidden = true;
            $('#credit-key').textContent = k.name;
            $('#credit-form').dataset.keyId = k.id;
            $('#credit-dialog').showModal();
          } }),
          el('button', { class: 'btn btn-sm', type: 'button', disabled: !active, text: 'Edit', 'data-action': 'edit', onclick: () => openKeyForm(k) }),
          el('button', { class: 'btn btn-sm', type: 'button', disabled: !active, text: 'Rotate', 'data-action': 'rotate', onclick: () =>
            confirmAction('Rotate ' + k.name + '?', 'A new secret replaces the current one, which stops working at once. Balance, limits and usage are kept.', 'Rotate', async () => {
              const r = await api('POST', '/admin/keys/' + encodeURIComponent(k.id) + '/rotate');
              showSecret(r.key);
              await keys();
            }) }),
          el('button', { class: 'btn btn-sm btn-danger', type: 'button', disabled: k.status === 'revoked', text: 'Revoke', 'data-action': 'revoke', onclick: () =>
            confirmAction('Revoke ' + k.name + '?', 'The key stops working everywhere. Its usage and balance stay in the ledger.', 'Revoke', async () => {
              await api('DELETE', '/admin/keys/' + encodeURIComponent(k.id));
              await keys();
            }) })));
    }));
    $('#keys-empty').hidden = list.length > 0;
  }
  function initKeys() {
    $('#new-key').addEventListener('click', () => openKeyForm(null));
    $('#key-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const f = e.target;
      try {
        const create = !editing;
        const b = keyBody(f, create);
        if (create) {
          const created = await api('POST', '/admin/keys', b);
          $('#key-dialog').close();
          showSecret(created.key);
        } else {
          await api('PATCH', '/admin/keys/' + encodeURIComponent(editing.id), b);
          $('#key-dialog').close();
        }
        await keys();
      } catch (err) {
        $('#key-form-error').textContent = err instanceof SyntaxError ? 'Metadata must be a JSON object' : err.message;
        $('#key-form-error').hidden = false;
      }
    });
    $('#credit-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const f = e.target;
      try {
        await api('POST', '/admin/keys/' + encodeURIComponent(f.dataset.keyId) + '/credits',
          { amount_usd: f.amount_usd.value, note: f.note.value || null });
        $('#credit-dialog').close();
        await keys();
      } catch (err) {
        $('#credit-form-error').textContent = err.message;
        $('#credit-form-error').hidden = false;
      }
    });
    return keys();
  }

  // ---- usage ---------------------------------------------------------------------------------------------------
  async function fillKeySelect(select) {
    if (!select) return;
    const names = await loadKeyNames();
    for (const [id, name] of Object.entries(names)) select.append(el('option', { value: id, text: name + ' (' + id + ')' }));
  }
  function usageQuery(f) {
    const q = new URLSearchParams({ from: f.from.value, to: f.to.value, group_by: f.group_by.value });
    if (master && f.key && f.key.value) q.set('key', f.key.value);
    return (master ? '/admin/usage?' : '/v1/usage?') + q;
  }
  async function usage() {
    const f = $('#usage-filters');
    const u = await api('GET', usageQuery(f));
    const names = await loadKeyNames();
    const label = (g) => (u.group_by === 'key' && names[g] ? names[g] : g);
    const rows = u.data;
    $('#usage-totals').replaceChildren(
      card('Spend', usd(u.total_cost_usd), f.from.value + ' → ' + f.to.value, null, 'usage-total-cost', { usd: String(u.total_cost_usd) }),
      card('Requests', num(u.total_requests), null, null, 'usage-total-requests'),
      card('Tokens', num(rows.reduce((s, r) => s + r.prompt_tokens + r.completion_tokens, 0)), 'prompt + completion'));
    $('#group-head').textContent = u.group_by;
    $('#usage-table tbody').replaceChildren(...rows.map((r) => el('tr', {},
      el('td', { text: label(r.group) }), el('td', { class: 'num', text: num(r.requests) }),
      el('td', { class: 'num', text: num(r.failed_requests) }), el('td', { class: 'num', text: num(r.prompt_tokens) }),
      el('td', { class: 'num', text: num(r.completion_tokens) }), el('td', { class: 'num', text: num(r.cached_tokens) }),
      el('td', { class: 'num', text: num(r.reasoning_tokens) }), el('td', { class: 'num', text: num(r.web_pages) }),
      el('td', { class: 'num usage-cost', 'data-usd': String(r.cost_usd), text: usd(r.cost_usd) }))));
    $('#usage-empty').hidden = rows.length > 0;
    const labels = rows.map((r) => label(r.group));
    chart('chart-spend', { type: 'bar', data: { labels, datasets: [{ data: rows.map((r) => r.cost_usd), backgroundColor: palette[0], borderRadius: 4, maxBarThickness: 36 }] }, options: barOptions(false) });
    chart('chart-tokens', {
      type: 'bar',
      data: { labels, datasets: [
        { label: 'Prompt', data: rows.map((r) => r.prompt_tokens), backgroundColor: palette[1], borderRadius: 3, maxBarThickness: 36 },
        { label: 'Completion', data: rows.map((r) => r.completion_tokens), backgroundColor: palette[2], borderRadius: 3, maxBarThickness: 36 }] },
      options: { scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true } }, plugins: { legend: { display: true, position: 'bottom' } } },
    });
    await chartLibrary;
  }
  async function initUsage() {
    const f = $('#usage-filters');
    const q = new URLSearchParams(location.search);
    const today = new Date();
    f.from.value = q.get('from') || (q.get('range') === 'today' ? isoDay(today) : isoDay(new Date(today.getTime() - 29 * 864e5)));
    f.to.value = q.get('to') || isoDay(today);
    if (q.get('group_by') && [...f.group_by.options].some((o) => o.value === q.get('group_by'))) f.group_by.value = q.get('group_by');
    await fillKeySelect(f.key);
    if (f.key && q.get('key')) f.key.value = q.get('key');
    f.addEventListener('submit', (e) => { e.preventDefault(); clearError(); usage().catch(showError); });
    $('#usage-csv').addEventListener('click', () => download(usageQuery(f), 'usage-' + f.from.value + '-' + f.to.value + '.csv'));
    return usage();
  }

  // ---- invoices ------------------------------------------------------------------------------------------------
  function invoicePath(f) {
    const key = master && f.key ? f.key.value : '';
    return master ? '/admin/invoices/' + f.month.value + (key ? '?key=' + encodeURIComponent(key) : '')
      : '/v1/invoices/' + f.month.value;
  }
  async function invoice() {
    const f = $('#invoice-filters');
    const inv = await api('GET', invoicePath(f));
    const names = await loadKeyNames();
    $('#invoice-title').textContent = 'Invoice ' + inv.period + (inv.key_id ? ' · ' + (names[inv.key_id] || inv.key_id) : master ? ' · all keys' : '');
    $('#invoice-period').textContent = when(inv.from) + ' – ' + when(inv.to) + ' · ' + inv.currency;
    $('#invoice-total').textContent = usd(inv.total_usd);
    $('#invoice-total').dataset.usd = String(inv.total_usd);
    $('#invoice-credits').textContent = usd(inv.credits_usd);
    $('#invoice-table tbody').replaceChildren(...inv.lines.map((l) => el('tr', {},
      el('td', { text: names[l.key_id] ? names[l.key_id] + ' (' + l.key_id + ')' : l.key_id }), el('td', { text: l.provider }),
      el('td', { text: l.model }), el('td', { class: 'num', text: num(l.requests) }),
      el('td', { class: 'num', text: num(l.prompt_tokens) }), el('td', { class: 'num', text: num(l.completion_tokens) }),
      el('td', { class: 'num', text: num(l.cached_tokens) }), el('td', { class: 'num', text: num(l.reasoning_tokens) }),
      el('td', { class: 'num', text: usd(l.amount_usd) }))));
    $('#invoice-empty').hidden = inv.lines.length > 0;
  }
  async function initInvoices() {
    const f = $('#invoice-filters');
    f.month.value = new Date().toISOString().slice(0, 7);
    await fillKeySelect(f.key);
    f.addEventListener('submit', (e) => { e.preventDefault(); clearError(); invoice().catch(showError); });
    $('#invoice-print').addEventListener('click', () => window.print());
    $('#invoice-csv').addEventListener('click', () => download(invoicePath(f), 'invoice-' + f.month.value + '.csv'));
    return invoice();
  }

  // ---- request log ---------------------------------------------------------------------------------------------
  let logCursor = null;
  function logsQuery(f, before) {
    const q = new URLSearchParams({ limit: '50' });
    for (const name of ['model', 'status', 'session']) if (f[name].value.trim()) q.set(name, f[name].value.trim());
    if (f.from.value) q.set('from', f.from.value);
    if (f.to.value) q.set('to', f.to.value);
    if (master && f.key && f.key.value) q.set('key', f.key.value);
    if (before) q.set('before', before);
    return (master ? '/admin/logs?' : '/v1/logs?') + q;
  }
  function logPath(id) {
    return (master ? '/admin/logs/' : '/v1/logs/') + encodeURIComponent(id);
  }
  const served = (r) => (r.provider ? r.provider + '/' + (r.served_model || '') : '');
  async function logs(more) {
    const f = $('#logs-filters');
    const page = await api('GET', logsQuery(f, more ? logCursor : null));
    const names = await loadKeyNames();
    const rows = page.data.map((r) => el('tr', { 'data-request-id': r.id, onclick: () => logDetail(r.id).catch(showError) },
      el('td', { class: 'small', text: when(r.created_at) }),
      master ? el('td', { class: 'small', text: names[r.key_id] || r.key_id || '–' }) : null,
      el('td', { class: 'small' }, r.model || '–', served(r) && served(r) !== r.model ? el('div', { class: 'muted', text: '→ ' + served(r) }) : null),
      el('td', { class: 'small', text: r.provider || '–' }),
      el('td', { class: 'num' }, el('span', { class: 'badge ' + (r.status < 400 ? 'status-active' : 'status-revoked'), text: String(r.status) })),
      el('td', { class: 'num', text: ms(r.duration_ms) }),
      el('td', { class: 'num', text: ms(r.overhead_ms) }),
      el('td', { class: 'num', text: ms(r.ttft_ms) }),
      el('td', { class: 'num', text: num(r.usage.prompt_tokens) + ' / ' + num(r.usage.completion_tokens) }),
      el('td', { class: 'num', 'data-usd': String(r.cost_usd), text: usd(r.cost_usd) }),
      el('td', { class: 'small', text: r.session || '' })));
    const tbody = $('#logs-table tbody');
    if (more) tbody.append(...rows); else tbody.replaceChildren(...rows);
    logCursor = page.next_cursor;
    $('#logs-more').hidden = !page.has_more;
    $('#logs-empty').hidden = tbody.children.length > 0;
  }
  async function logDetail(id) {
    const r = await api('GET', logPath(id));
    $('#log-title').textContent = 'Request ' + r.id;
    const fields = [['Time', when(r.created_at)], ['Key', r.key_id], ['Session', r.session], ['Route', r.protocol + (r.stream ? ' (stream)' : '')],
      ['Model', r.model], ['Served by', served(r) + (r.deployment ? ' · ' + r.deployment : '')], ['Attempts', r.attempts],
      ['Status', r.status + ' ' + r.outcome + (r.error_code ? ' · ' + r.error_code : '')],
      ['Duration', ms(r.duration_ms)], ['Sluice overhead', ms(r.overhead_ms)], ['First token', ms(r.ttft_ms)],
      ['Tokens', 'prompt ' + num(r.usage.prompt_tokens) + ' · completion ' + num(r.usage.completion_tokens) + ' · cached ' + num(r.usage.cached_tokens) + ' · reasoning ' + num(r.usage.reasoning_tokens)],
      ['Cost', usd(r.cost_usd) + (r.cost_estimated ? ' (estimated)' : '')]];
    $('#log-fields tbody').replaceChildren(...fields.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: v === null || v === undefined || v === '' ? '–' : String(v) }))));
    $('#log-request').textContent = r.request_body === null ? 'Not kept (bodies are off for this request).' : r.request_body;
    $('#log-response').textContent = r.response_body === null ? 'Not kept.' : r.response_body;
    $('#log-dialog').showModal();
  }
  async function initLogs() {
    const f = $('#logs-filters');
    const q = new URLSearchParams(location.search);
    await fillKeySelect(f.key);
    for (const name of ['key', 'model', 'status', 'session', 'from', 'to']) if (f[name] && q.get(name)) f[name].value = q.get(name);
    f.addEventListener('submit', (e) => { e.preventDefault(); clearError(); logs(false).catch(showError); });
    $('#logs-more').addEventListener('click', () => { clearError(); logs(true).catch(showError); });
    return logs(false);
  }

  // ---- routing -------------------------------------------------------------------------------------------------
  function deploymentTable(deployments) {
    return el('table', { class: 'table' },
      el('thead', {}, el('tr', {}, ['Deployment', 'Model', 'State', 'Breaker', 'In flight', 'TTFB avg', 'Requests / min', 'Tokens / min', 'Recent errors', '']
        .map((h, i) => el('th', { class: i >= 4 && i <= 7 ? 'num' : null, text: h })))),
      el('tbody', {}, deployments.map((d) => el('tr', { 'data-deployment': d.id },
        el('td', {}, el('code', { text: d.id })),
        el('td', { text: d.model ? (d.provider ? d.provider + '/' : '') + d.model : 'any model of ' + (d.provider || d.id) }),
        el('td', {}, el('span', { class: 'badge state-' + d.state, text: d.state + (d.back_in_seconds ? ' · ' + d.back_in_seconds + ' s' : '') }),
          d.disabled_reason || d.unusable_reason ? el('div', { class: 'small muted', text: d.disabled_reason || d.unusable_reason }) : null),
        el('td', { text: d.breaker }),
        el('td', { class: 'num', text: d.in_flight + (d.max_in_flight ? ' / ' + d.max_in_flight : '') }),
        el('td', { class: 'num', text: ms(d.ttfb_ewma_ms) }),
        el('td', { class: 'num', text: num(d.requests_last_minute) + (d.rpm ? ' / ' + num(d.rpm) : '') }),
        el('td', { class: 'num', text: num(d.tokens_last_minute) + (d.tpm ? ' / ' + num(d.tpm) : '') }),
        el('td', {}, d.recent_errors.length ? el('ul', { class: 'errors' }, d.recent_errors.slice(-3).reverse().map((e) =>
          el('li', { text: when(e.at).slice(11) + ' ' + e.kind + (e.status ? ' ' + e.status : '') + (e.message ? ': ' + e.message : '') }))) : el('span', { class: 'muted', text: 'none' })),
        el('td', { class: 'actions' }, el('button', { class: 'btn btn-sm', type: 'button', text: 'Reset', onclick: async () => {
          try { clearError(); await api('POST', '/admin/routes/deployments/' + encodeURIComponent(d.id) + '/reset'); await routing(); } catch (e) { showError(e); }
        } }))))));
  }
  async function routing(notice) {
    const r = await api('GET', '/admin/routes');
    $('#routing-meta').textContent = 'Routing version ' + r.version + ' · loaded ' + when(r.loaded_at)
      + (r.sources.length ? ' from ' + r.sources.join(', ') : ' (no routing file: providers only)') + (notice ? ' · ' + notice : '');
    $('#warnings').hidden = r.warnings.length === 0;
    $('#warnings ul').replaceChildren(...r.warnings.map((w) => el('li', { text: w })));
    $('#groups').replaceChildren(...r.groups.map((g) => el('section', { class: 'panel group' },
      el('header', {}, el('h2', { text: g.name }), el('span', { class: 'muted small', text: g.strategy })),
      el('p', { class: 'meta-line', text: [
        g.aliases.length ? 'aliases ' + g.aliases.join(', ') : null,
        'retries ' + g.retries, 'max attempts ' + g.max_attempts, 'timeout ' + (g.request_timeout_ms / 1000) + ' s',
        g.fallbacks.length ? 'fallbacks ' + g.fallbacks.join(' → ') : null,
        g.breaker ? 'breaker ' + Math.round(g.breaker.failure_ratio * 100) + '% of ' + g.breaker.window : 'no breaker',
      ].filter(Boolean).join(' · ') }),
      deploymentTable(g.deployments))));
    $('#providers').replaceChildren(r.providers.length ? deploymentTable(r.providers) : el('p', { class: 'empty', text: 'No provider is configured.' }));
  }
  function initRouting() {
    $('#reload').addEventListener('click', async () => {
      try { clearError(); const r = await api('POST', '/admin/routes/reload'); await routing('reloaded: version ' + r.version); } catch (e) { showError(e); }
    });
    $('#reset-all').addEventListener('click', async () => {
      try { clearError(); const r = await api('POST', '/admin/routes/reset'); await routing(r.reset + ' deployments reset'); } catch (e) { showError(e); }
    });
    return routing();
  }

  // ---- playground ----------------------------------------------------------------------------------------------
  const history = [];
  async function balanceLine() {
    if (master) return;
    const b = await api('GET', '/v1/balance');
    const line = $('#balance-line');
    line.textContent = b.unlimited ? 'Unlimited key' : 'Balance ' + usd(b.balance_usd);
    line.dataset.usd = b.balance_usd === null ? '' : String(b.balance_usd);
  }
  // the answer's text with each [n] that names a source turned into a link to it
  function cited(text, sources) {
    const byIndex = new Map((sources || []).map((s) => [s.index, s]));
    const out = [];
    let last = 0;
    for (const m of text.matchAll(/\[(\d+)\]/g)) {
      const s = byIndex.get(Number(m[1]));
      if (!s) continue;
      out.push(text.slice(last, m.index), el('sup', {}, el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer', title: s.title || s.url, text: m[0] })));
      last = m.index + m[0].length;
    }
    out.push(text.slice(last));
    return out;
  }
  async function send(prompt) {
    const model = $('#model').value;
    const urls = $('#urls').value.split(/\s+/).map((s) => s.trim()).filter(Boolean);
    history.push({ role: 'user', content: prompt });
    const box = $('#messages');
    box.append(el('div', { class: 'msg msg-user', text: prompt }));
    const answer = el('div', { class: 'msg msg-assistant' });
    const textNode = el('span', { class: 'text' });
    answer.append(textNode);
    box.append(answer);
    box.scrollTop = box.scrollHeight;
    const request = { model, messages: history, stream: true, stream_options: { include_usage: true } };
    if (urls.length) request.web_extract = { urls };
    let text = '';
    let sources = null;
    let usage = null;
    try {
      const res = await call('POST', '/v1/chat/completions', request, 'text/event-stream');
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const event = buffer.slice(0, cut);
          buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
          const data = event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          if (!data || data === '[DONE]') continue;
          const chunk = JSON.parse(data);
          if (chunk.error) throw new ApiError(500, chunk.error.message || 'The stream failed');
          if (chunk.sources) sources = chunk.sources;
          if (chunk.usage) usage = chunk.usage;
          for (const c of chunk.choices || []) {
            if (c.delta && c.delta.content) {
              text += c.delta.content;
              textNode.textContent = text;
              box.scrollTop = box.scrollHeight;
            }
          }
        }
      }
      history.push({ role: 'assistant', content: text });
      textNode.replaceChildren(...cited(text, sources));
      if (sources && sources.length) {
        answer.append(el('ol', { class: 'sources' }, sources.map((s) => el('li', { value: s.index },
          el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer', text: s.title || s.url }),
          s.status !== 'used' ? el('span', { class: 'muted', text: ' (' + s.status + (s.error ? ': ' + s.error.message : '') + ')' }) : null))));
      }
      const foot = el('span', { class: 'foot' }, model);
      if (usage) {
        foot.append(' · ' + num(usage.prompt_tokens) + ' in / ' + num(usage.completion_tokens) + ' out');
        if (usage.cost !== undefined) {
          foot.append(' · cost ', el('strong', { class: 'cost', 'data-usd': String(usage.cost), text: usd(usage.cost) }));
        }
      }
      answer.append(foot);
    } catch (e) {
      history.pop();
      answer.remove();
      box.append(el('div', { class: 'msg msg-error', text: e.message }));
    }
    box.scrollTop = box.scrollHeight;
    balanceLine().catch(() => {});
  }
  async function initPlayground() {
    const models = (await api('GET', '/console/api/models')).data;
    const select = $('#model');
    select.replaceChildren(...models.map((m) => el('option', { value: m.id, text: m.id })));
    const remembered = sessionStorage.getItem('sluice.model');
    if (remembered && models.some((m) => m.id === remembered)) select.value = remembered;
    select.addEventListener('change', () => sessionStorage.setItem('sluice.model', select.value));
    const form = $('#chat-form');
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const prompt = $('#prompt').value.trim();
      if (!prompt) return;
      $('#prompt').value = '';
      $('#send').disabled = true;
      try { await send(prompt); } finally { $('#send').disabled = false; $('#prompt').focus(); }
    });
    $('#prompt').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });
    $('#chat-clear').addEventListener('click', () => { history.length = 0; $('#messages').replaceChildren(); });
    $('#extract-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      clearError();
      try {
        const r = await api('POST', '/v1/extract', { url: $('#extract-url').value, format: 'markdown' });
        $('#extract-title').textContent = r.title || '–';
        $('#extract-author').textContent = r.byline || '–';
        $('#extract-date').textContent = r.published_time || '–';
        $('#extract-md').textContent = r.content || '';
        $('#extract-meta').hidden = false;
        $('#extract-md').hidden = false;
      } catch (err) { showError(err); }
    });
    return balanceLine();
  }

  const pages = { overview, keys: initKeys, usage: initUsage, invoices: initInvoices, logs: initLogs, routing: initRouting, playground: initPlayground };
  Promise.resolve().then(() => pages[page] && pages[page]()).then(() => body.setAttribute('data-ready', ''), showError);
})();

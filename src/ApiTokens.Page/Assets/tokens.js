// Manage API Tokens: the page's script. Vanilla JavaScript, no build step, no third-party code.
// It talks to the JSON endpoints under {base}/api/ and never keeps a token after "Yes, I saved my token".
(function () {
  'use strict';

  const base = document.body.dataset.base;
  const $ = (id) => document.getElementById(id);
  const HISTORY_PAGE = 25;

  const state = {
    session: null,
    tokens: [],
    clockSkew: 0,        // server now - client now, in seconds
    mode: 'create',      // or 'edit'
    editing: null,       // the token being edited
    initialAcls: null,   // the checked set when the form opened (edit)
    initialFull: false,  // whether "Full access" was chosen when the form opened (edit)
    initialExpires: '',
    initialWhitelist: '',
    historySkip: 0,      // the first event of the History page shown
  };

  // ---------- server calls ----------

  class ApiError extends Error {
    constructor(status, error) {
      super(error.message);
      this.status = status;
      this.code = error.code;
      this.field = error.field;
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.session && state.session.antiforgery) {
      headers[state.session.antiforgery.header_name] = state.session.antiforgery.request_token;
    }
    let response;
    try {
      response = await fetch(base + '/api/' + path, {
        method, headers, credentials: 'same-origin', cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, { code: 'network', message: 'The server could not be reached. Check your connection and try again.', field: null });
    }
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const error = data && data.error ? data.error
        : { code: 'http_' + response.status, message: 'The server answered ' + response.status + '. Reload the page and try again.', field: null };
      throw new ApiError(response.status, error);
    }
    return data;
  }

  // ---------- formatting ----------

  const pad = (n) => String(n).padStart(2, '0');

  // WHM's format: MM DD YYYY hh:mm:ss, in the browser's time zone (24-hour clock).
  function formatTime(epoch) {
    const d = new Date(epoch * 1000);
    return pad(d.getMonth() + 1) + ' ' + pad(d.getDate()) + ' ' + d.getFullYear() + ' ' +
      pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  const serverNow = () => Math.floor(Date.now() / 1000) + state.clockSkew;

  function toDateInput(epoch) {
    const d = new Date(epoch * 1000);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  // The end of the chosen day in the browser's time zone.
  function fromDateInput(value) {
    const [y, m, d] = value.split('-').map(Number);
    return Math.floor(new Date(y, m - 1, d, 23, 59, 59).getTime() / 1000);
  }

  // The name rule comes from the server (session.name_max_length and session.name_pattern), so the page checks as the server does.
  // A character is allowed when a one-character name made of it follows the rule.
  function nameProblem(name) {
    if (name.length === 0) return 'Enter a name for the API token.';
    if (!state.session) return null; // the server checks it
    const max = state.session.name_max_length;
    const rule = new RegExp(state.session.name_pattern);
    if (name.length > max) return 'The name is ' + name.length + ' characters long. Use at most ' + max + ' characters.';
    if (!rule.test(name)) {
      const bad = [...new Set([...name].filter((c) => !rule.test(c)))]
        .map((c) => (c === ' ' ? 'spaces' : '“' + c + '”'));
      return 'The name cannot contain ' + bad.join(', ') + '. Use only letters (A-Z, a-z), digits, dashes (-), and underscores (_).';
    }
    return null;
  }

  // ---------- messages ----------

  function toast(message, kind) {
    const box = document.createElement('div');
    box.className = 'toast' + (kind === 'error' ? ' toast-error' : '');
    const p = document.createElement('p');
    p.textContent = message;
    const close = document.createElement('button');
    close.type = 'button';
    close.setAttribute('aria-label', 'Dismiss message');
    close.textContent = '×';
    close.addEventListener('click', () => box.remove());
    box.append(p, close);
    $('toasts').append(box);
    setTimeout(() => box.remove(), 8000);
  }

  function showPageError(message) {
    const el = $('page-error');
    el.textContent = message;
    el.hidden = !message;
  }

  // ---------- views ----------

  function showView(id) {
    for (const v of ['list-view', 'form-view', 'created-view', 'history-view']) $(v).hidden = v !== id;
  }

  // ---------- the list ----------

  async function loadList() {
    $('list-loading').hidden = false;
    try {
      const data = await api('GET', 'tokens');
      state.tokens = data.tokens;
      state.clockSkew = data.now - Math.floor(Date.now() / 1000);
      showPageError('');
    } catch (e) {
      showPageError(e.message);
    } finally {
      $('list-loading').hidden = true;
    }
    renderList();
  }

  function cell(label, className) {
    const td = document.createElement('td');
    td.dataset.label = label;
    if (className) td.className = className;
    return td;
  }

  function badge(text, className, title) {
    const b = document.createElement('span');
    b.className = 'badge ' + className;
    b.textContent = text;
    if (title) b.title = title;
    return b;
  }

  function renderList() {
    const rows = $('token-rows');
    rows.replaceChildren();
    const filter = $('search').value.trim().toLowerCase();
    const now = serverNow();
    let shown = 0;
    state.tokens.forEach((t, i) => {
      if (filter && !t.name.toLowerCase().includes(filter)) return;
      shown++;
      const tr = document.createElement('tr');
      tr.dataset.name = t.name;
      const nameId = 'token-name-' + i;

      const name = cell('Name');
      const span = document.createElement('span');
      span.className = 'token-name';
      span.id = nameId;
      span.textContent = t.name;
      name.append(span);

      const created = cell('Created', 'created');
      created.textContent = formatTime(t.create_time);

      const expires = cell('Expires', 'expires');
      if (t.expires_at == null) {
        expires.textContent = 'Never';
      } else {
        expires.append(document.createTextNode(formatTime(t.expires_at)));
        if (t.expires_at <= now) {
          tr.classList.add('expired');
          expires.append(badge('Expired', 'badge-expired', 'This token has expired and no longer works.'));
        } else if (t.expires_soon) {
          // Within the server's ApiTokens:Policy:ExpiryWarning: a visible word, not only a colour.
          tr.classList.add('expiring');
          expires.append(badge('Expires soon', 'badge-soon',
            'This token stops working at the time shown. Edit it to choose a later expiration date.'));
        }
      }

      const lastUsed = cell('Last used', 'last-used');
      if (t.last_used == null) {
        lastUsed.textContent = 'Never';
      } else {
        lastUsed.append(document.createTextNode(formatTime(t.last_used)));
        if (t.last_used_ip) {
          const from = document.createElement('span');
          from.className = 'muted last-used-ip';
          from.textContent = 'from ' + t.last_used_ip;
          lastUsed.append(' ', from);
        }
      }

      const privileges = cell('Privileges');
      if (t.has_full_access) {
        privileges.append(badge('Full access', 'badge-full', 'Every privilege your account has, now and later.'));
      } else {
        const n = t.acls.length;
        privileges.append(badge(n + (n === 1 ? ' privilege' : ' privileges'), 'badge-limited', t.acls.join(', ')));
      }
      if (t.whitelist_ips && t.whitelist_ips.length) {
        privileges.append(badge('IP-limited', 'badge-limited', t.whitelist_ips.join(', ')));
      }

      const actions = cell('Actions', 'actions');
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'btn-link';
      edit.textContent = 'Edit';
      edit.setAttribute('aria-describedby', nameId);
      edit.addEventListener('click', () => openForm('edit', t));
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'btn-link danger';
      revoke.textContent = 'Revoke';
      revoke.setAttribute('aria-describedby', nameId);
      revoke.addEventListener('click', () => revokeOne(t.name, revoke));
      const regenerate = document.createElement('button');
      regenerate.type = 'button';
      regenerate.className = 'btn-link';
      regenerate.textContent = 'Regenerate';
      regenerate.setAttribute('aria-describedby', nameId);
      regenerate.addEventListener('click', () => rotateOne(t.name, regenerate));
      actions.append(edit, regenerate, revoke);

      tr.append(name, created, expires, lastUsed, privileges, actions);
      rows.append(tr);
    });
    $('list-empty').hidden = state.tokens.length !== 0 || !$('list-loading').hidden;
    $('list-no-match').hidden = state.tokens.length === 0 || shown !== 0;
  }

  // ---------- confirmation dialog ----------

  function confirmAction(title, message) {
    const dialog = $('confirm-dialog');
    $('confirm-title').textContent = title;
    $('confirm-message').textContent = message;
    return new Promise((resolve) => {
      const done = (answer) => {
        $('confirm-continue').removeEventListener('click', onContinue);
        $('confirm-cancel').removeEventListener('click', onCancel);
        dialog.removeEventListener('cancel', onCancel);
        if (dialog.open) dialog.close();
        resolve(answer);
      };
      const onContinue = () => done(true);
      const onCancel = (e) => { if (e) e.preventDefault(); done(false); };
      $('confirm-continue').addEventListener('click', onContinue);
      $('confirm-cancel').addEventListener('click', onCancel);
      dialog.addEventListener('cancel', onCancel);
      dialog.showModal();
      $('confirm-cancel').focus();
    });
  }

  async function revokeOne(name, returnFocus) {
    if (!(await confirmAction('Revoke API Token', 'Revoke the API token “' + name + '”?'))) {
      returnFocus.focus();
      return;
    }
    try {
      await api('DELETE', 'tokens/' + encodeURIComponent(name));
      toast('You revoked the API token “' + name + '”.');
    } catch (e) {
      toast(e.message, 'error');
    }
    await loadList();
    $('search').focus();
  }

  // "Regenerate": a new value for the token, with the grace period the person chooses for the old one.
  function chooseGracePeriod(name) {
    const dialog = $('rotate-dialog');
    const choices = state.session ? state.session.grace_periods : [{ seconds: 0, label: 'Stop at once' }];
    const select = $('rotate-grace');
    select.replaceChildren(...choices.map((c) => {
      const option = document.createElement('option');
      option.value = String(c.seconds);
      option.textContent = c.label;
      return option;
    }));
    select.value = '0';
    $('rotate-grace-field').hidden = choices.length < 2;
    $('rotate-message').textContent = 'Give the API token “' + name + '” a new value? Its name, privileges, expiration date and IP whitelist stay the same.' +
      (choices.length < 2 ? ' The old token stops working at once.' : '');
    return new Promise((resolve) => {
      const done = (answer) => {
        $('rotate-continue').removeEventListener('click', onContinue);
        $('rotate-cancel').removeEventListener('click', onCancel);
        dialog.removeEventListener('cancel', onCancel);
        if (dialog.open) dialog.close();
        resolve(answer);
      };
      const onContinue = () => done(Number(select.value));
      const onCancel = (e) => { if (e) e.preventDefault(); done(null); };
      $('rotate-continue').addEventListener('click', onContinue);
      $('rotate-cancel').addEventListener('click', onCancel);
      dialog.addEventListener('cancel', onCancel);
      dialog.showModal();
      (choices.length < 2 ? $('rotate-cancel') : select).focus();
    });
  }

  async function rotateOne(name, returnFocus) {
    const grace = await chooseGracePeriod(name);
    if (grace === null) {
      returnFocus.focus();
      return;
    }
    let rotated;
    try {
      rotated = await api('POST', 'tokens/' + encodeURIComponent(name) + '/rotate', { grace_period: grace });
    } catch (e) {
      if (e.status === 401 || e.code === 'antiforgery') showPageError(e.message);
      toast(e.message, 'error');
      await loadList();
      $('search').focus();
      return;
    }
    showNewToken(rotated.rotated.name, rotated.token, { until: rotated.previous_token_expires_at, grace });
    toast('You regenerated the API token “' + rotated.rotated.name + '”.');
  }

  async function revokeAll() {
    closeMenu(false);
    if (!(await confirmAction('Revoke All API Tokens', 'Revoke all of your API tokens (' + state.tokens.length + ')?'))) {
      $('gear-button').focus();
      return;
    }
    try {
      const data = await api('POST', 'revoke-all', {});
      toast('You revoked all of your API tokens (' + data.revoked_count + ').');
    } catch (e) {
      toast(e.message, 'error');
    }
    await loadList();
    $('generate-button').focus();
  }

  // ---------- gear menu ----------

  const menuItems = () => [...$('gear-menu').querySelectorAll('[role="menuitem"]')];

  function openMenu() {
    $('gear-menu').hidden = false;
    $('gear-button').setAttribute('aria-expanded', 'true');
    menuItems()[0].focus();
  }

  function closeMenu(focusButton) {
    if ($('gear-menu').hidden) return;
    $('gear-menu').hidden = true;
    $('gear-button').setAttribute('aria-expanded', 'false');
    if (focusButton) $('gear-button').focus();
  }

  function wireMenu() {
    $('gear-button').addEventListener('click', () => ($('gear-menu').hidden ? openMenu() : closeMenu(true)));
    $('gear-button').addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') { e.preventDefault(); openMenu(); }
    });
    $('gear-menu').addEventListener('keydown', (e) => {
      const items = menuItems();
      const i = items.indexOf(document.activeElement);
      if (e.key === 'ArrowDown') { e.preventDefault(); items[(i + 1) % items.length].focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); items[(i - 1 + items.length) % items.length].focus(); }
      else if (e.key === 'Escape') { e.preventDefault(); closeMenu(true); }
      else if (e.key === 'Tab') { closeMenu(false); }
    });
    document.addEventListener('click', (e) => {
      if (!e.target.closest('.menu')) closeMenu(false);
    });
    $('refresh-list').addEventListener('click', async () => {
      closeMenu(true);
      await loadList();
      toast('The API tokens list is up to date.');
    });
    $('revoke-all').addEventListener('click', revokeAll);
  }

  // ---------- the Generate / Edit form ----------

  function renderPrivileges() {
    const host = $('privilege-groups');
    host.replaceChildren();
    let n = 0;
    for (const group of state.session.privilege_groups) {
      const fs = document.createElement('fieldset');
      fs.className = 'privilege-group';
      const legend = document.createElement('legend');
      legend.textContent = group.name;
      const list = document.createElement('ul');
      list.className = 'privilege-list';
      for (const p of group.privileges) {
        const id = 'acl-' + n++;
        const li = document.createElement('li');
        const label = document.createElement('label');
        label.htmlFor = id;
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.id = id;
        box.name = 'acl';
        box.value = p.name;
        const text = document.createElement('span');
        const code = document.createElement('code');
        code.textContent = p.name;
        const desc = document.createElement('span');
        desc.className = 'desc';
        desc.textContent = p.description;
        text.append(code, desc);
        if (p.escalates) {
          const warn = document.createElement('span');
          warn.className = 'escalation';
          warn.id = id + '-warning';
          warn.textContent = state.session.escalation_warning;
          text.append(warn);
          box.setAttribute('aria-describedby', warn.id);
        }
        label.append(box, text);
        li.append(label);
        list.append(li);
      }
      fs.append(legend, list);
      host.append(fs);
    }
  }

  const aclBoxes = () => [...document.querySelectorAll('#privilege-groups input[name="acl"]')];
  const fullAccess = () => $('access-full').checked;

  // "Full access" (no list: every privilege the account has, now and later) or "Selected privileges" (the boxes below).
  function setAccess(full) {
    $('access-full').checked = full;
    $('access-limited').checked = !full;
    showAccess();
  }

  function showAccess() {
    const full = fullAccess();
    $('privilege-choices').hidden = full;
    $('access-full-warning').hidden = !full;
    if (full) setFieldError('acls', null);
  }
  const checkedAcls = () => aclBoxes().filter((b) => b.checked).map((b) => b.value).sort();

  const fields = {
    name: ['token-name', 'name-error'],
    acls: [null, 'privileges-error'],
    expires_at: ['token-expires', 'expires-error'],
    whitelist_ips: ['token-whitelist', 'whitelist-error'],
  };

  function setFieldError(field, message) {
    const [inputId, errorId] = fields[field];
    const el = $(errorId);
    el.textContent = message || '';
    el.hidden = !message;
    if (inputId) {
      if (message) $(inputId).setAttribute('aria-invalid', 'true');
      else $(inputId).removeAttribute('aria-invalid');
    }
  }

  function clearErrors() {
    for (const f of Object.keys(fields)) setFieldError(f, null);
    $('form-error').hidden = true;
  }

  function showServerError(e) {
    if (e.field && fields[e.field]) {
      setFieldError(e.field, e.message);
      const [inputId] = fields[e.field];
      (inputId ? $(inputId) : aclBoxes()[0] || $('privileges-field')).focus();
    } else {
      $('form-error').textContent = e.message;
      $('form-error').hidden = false;
    }
  }

  function openForm(mode, token) {
    state.mode = mode;
    state.editing = token || null;
    clearErrors();
    const editing = mode === 'edit';
    $('form-heading').textContent = editing ? 'Edit API Token' : 'Generate API Token';
    $('submit-button').textContent = editing ? 'Save' : 'Generate';
    $('token-name').value = editing ? token.name : '';
    const held = new Set(editing && !token.has_full_access ? token.acls : aclBoxes().map((b) => b.value));
    for (const b of aclBoxes()) b.checked = held.has(b.value);
    setAccess(editing && token.has_full_access);
    $('token-expires').value = editing && token.expires_at != null ? toDateInput(token.expires_at) : '';
    $('token-whitelist').value = editing && token.whitelist_ips ? token.whitelist_ips.join('\n') : '';
    state.initialAcls = checkedAcls().join(',');
    state.initialFull = fullAccess();
    state.initialExpires = $('token-expires').value;
    state.initialWhitelist = $('token-whitelist').value;
    showView('form-view');
    $('token-name').focus();
  }

  function whitelistEntries() {
    return $('token-whitelist').value.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s.length > 0);
  }

  async function submitForm(e) {
    e.preventDefault();
    clearErrors();
    const name = $('token-name').value;
    const full = fullAccess();
    const acls = checkedAcls();
    let firstBad = null;
    const problem = nameProblem(name);
    if (problem) { setFieldError('name', problem); firstBad = firstBad || $('token-name'); }
    if (!full && acls.length === 0) {
      setFieldError('acls', state.session.no_privileges_message);
      firstBad = firstBad || aclBoxes()[0];
    }
    const expires = $('token-expires').value;
    if (expires && fromDateInput(expires) <= serverNow()) {
      setFieldError('expires_at', 'The expiration date must be in the future. Choose a later date, or none for a token that never expires.');
      firstBad = firstBad || $('token-expires');
    }
    if (firstBad) { firstBad.focus(); return; }

    const submit = $('submit-button');
    submit.disabled = true;
    try {
      if (state.mode === 'create') {
        // No list at all is a full-access token, as WHM's api_token_create without acl.
        const body = { name, acls: full ? null : acls, expires_at: expires ? fromDateInput(expires) : null, whitelist_ips: whitelistEntries() };
        const created = await api('POST', 'tokens', body);
        showCreated(created);
      } else {
        const t = state.editing;
        const body = {};
        if (name !== t.name) body.new_name = name;
        if (full && !state.initialFull) body.grant_full_access = true;
        else if (!full && (state.initialFull || acls.join(',') !== state.initialAcls)) body.acls = acls;
        if (expires !== state.initialExpires) {
          if (expires) body.expires_at = fromDateInput(expires); else body.clear_expiry = true;
        }
        if ($('token-whitelist').value !== state.initialWhitelist) body.whitelist_ips = whitelistEntries();
        if (Object.keys(body).length === 0) {
          $('form-error').textContent = 'Nothing changed. Change the name, privileges, expiration date or whitelist, or click Cancel.';
          $('form-error').hidden = false;
          return;
        }
        const updated = await api('PUT', 'tokens/' + encodeURIComponent(t.name), body);
        toast('You updated the API token “' + updated.name + '”.');
        showView('list-view');
        await loadList();
        $('generate-button').focus();
      }
    } catch (err) {
      if (err.status === 401 || err.code === 'antiforgery') showPageError(err.message);
      showServerError(err);
    } finally {
      submit.disabled = false;
    }
  }

  function showCreated(created) {
    showNewToken(created.created.name, created.token, null);
    toast('You created the API token “' + created.created.name + '”.');
  }

  // The "copy it now" panel, for a new token and for a regenerated one (then with when the old value stops:
  // previous.until, the server's time, after the chosen previous.grace seconds).
  function showNewToken(name, token, previous) {
    const rotated = previous != null;
    $('created-heading').textContent = rotated ? 'Your Regenerated API Token' : 'Your New API Token';
    $('created-name').textContent = name;
    $('created-token').value = token;
    $('copy-status').textContent = '';
    const box = $('created-previous');
    box.hidden = !rotated;
    if (rotated) {
      box.textContent = previous.grace > 0
        ? 'The old token keeps working until ' + formatTime(previous.until) + '. Give your scripts the new token before then.'
        : 'The old token has stopped working. Give your scripts the new token.';
    }
    showView('created-view');
    $('created-token').focus();
    $('created-token').select();
  }

  async function copyToken() {
    const input = $('created-token');
    try {
      await navigator.clipboard.writeText(input.value);
      $('copy-status').textContent = 'Copied to the clipboard.';
    } catch (e) {
      input.focus();
      input.select();
      const ok = document.execCommand && document.execCommand('copy');
      $('copy-status').textContent = ok ? 'Copied to the clipboard.' : 'Select the token and copy it (Ctrl+C).';
    }
  }

  async function savedToken() {
    $('created-token').value = '';
    $('created-name').textContent = '';
    $('created-previous').textContent = '';
    showView('list-view');
    await loadList();
    $('generate-button').focus();
  }

  // ---------- History ----------

  const FIELD_WORDS = { name: 'name', acls: 'privileges', expires_at: 'expiration date', whitelist_ips: 'IP whitelist' };

  function describeEvent(e) {
    switch (e.action) {
      case 'created': return 'Created';
      case 'updated':
        return e.changed_fields && e.changed_fields.length
          ? 'Updated: ' + e.changed_fields.map((f) => FIELD_WORDS[f] || f).join(', ') : 'Updated';
      case 'rotated':
        return e.expires_at != null && e.expires_at > e.time
          ? 'Regenerated; the old token works until ' + formatTime(e.expires_at) : 'Regenerated; the old token stopped at once';
      case 'revoked': return 'Revoked';
      case 'revoked_all': return 'Revoked all tokens';
      case 'revoked_as_leaked': return 'Revoked as leaked';
      case 'imported': return 'Imported from cPanel';
      case 'expiry_warning': return e.expires_at != null ? 'Expiring: stops working ' + formatTime(e.expires_at) : 'Expiring';
      default: return e.action;
    }
  }

  async function openHistory(skip) {
    showView('history-view');
    $('history-heading').focus();
    await loadHistory(skip);
  }

  async function loadHistory(skip) {
    $('history-loading').hidden = false;
    $('history-error').hidden = true;
    let data = null;
    try {
      data = await api('GET', 'history?skip=' + skip + '&take=' + HISTORY_PAGE);
    } catch (e) {
      $('history-error').textContent = e.message;
      $('history-error').hidden = false;
    } finally {
      $('history-loading').hidden = true;
    }
    const rows = $('history-rows');
    rows.replaceChildren();
    const events = data ? data.events : [];
    const total = data ? data.total_count : 0;
    state.historySkip = skip;
    for (const e of events) {
      const tr = document.createElement('tr');
      tr.dataset.action = e.action;
      const when = cell('When', 'created');
      when.textContent = formatTime(e.time);
      const what = cell('What', 'what');
      what.textContent = describeEvent(e);
      const token = cell('Token', 'token-name');
      token.textContent = e.token_name == null ? 'All tokens' : e.token_name + (e.new_token_name ? ' → ' + e.new_token_name : '');
      const by = cell('By', 'by');
      by.textContent = e.actor || (e.action === 'expiry_warning' ? 'The server' : '—');
      const from = cell('From', 'from');
      from.textContent = e.remote_address || '—';
      tr.append(when, what, token, by, from);
      rows.append(tr);
    }
    $('history-empty').hidden = !data || total !== 0;
    $('history-range').textContent = events.length ? (skip + 1) + '–' + (skip + events.length) + ' of ' + total : '';
    $('history-newer').disabled = skip === 0;
    $('history-older').disabled = skip + events.length >= total;
  }

  // ---------- start ----------

  async function start() {
    wireMenu();
    $('search').addEventListener('input', renderList);
    $('generate-button').addEventListener('click', () => openForm('create'));
    $('cancel-button').addEventListener('click', () => { showView('list-view'); $('generate-button').focus(); });
    $('token-form').addEventListener('submit', submitForm);
    $('token-name').addEventListener('input', () => setFieldError('name', nameProblem($('token-name').value)));
    $('check-all').addEventListener('click', () => { for (const b of aclBoxes()) b.checked = true; setFieldError('acls', null); });
    $('check-none').addEventListener('click', () => { for (const b of aclBoxes()) b.checked = false; });
    $('access-full').addEventListener('change', showAccess);
    $('access-limited').addEventListener('change', showAccess);
    $('privilege-groups').addEventListener('change', () => { if (checkedAcls().length) setFieldError('acls', null); });
    $('copy-button').addEventListener('click', copyToken);
    $('saved-button').addEventListener('click', savedToken);
    $('history-button').addEventListener('click', () => openHistory(0));
    $('history-back').addEventListener('click', () => { showView('list-view'); $('history-button').focus(); });
    // A pager button that ends up disabled (first or last page) hands the focus to the heading.
    const page = async (skip) => {
      await loadHistory(skip);
      if (document.activeElement && document.activeElement.disabled) $('history-heading').focus();
    };
    $('history-newer').addEventListener('click', () => page(Math.max(0, state.historySkip - HISTORY_PAGE)));
    $('history-older').addEventListener('click', () => page(state.historySkip + HISTORY_PAGE));
    $('generate-button').disabled = true;
    try {
      state.session = await api('GET', 'session');
      renderPrivileges();
      $('generate-button').disabled = false;
      $('history-button').hidden = !state.session.has_history;
    } catch (e) {
      showPageError(e.message);
    }
    await loadList();
    document.body.dataset.ready = 'true';
  }

  start();
})();

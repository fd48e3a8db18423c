/**
 * The admin page's script, served as a file (`assets/admin.js`) so the Content-Security-Policy
 * needs no inline script. Plain ES2020, no framework, no build step. Secrets only ever live in
 * one text node of the shown-once dialog, cleared when it closes or the page is hidden; every
 * text the script writes goes through `textContent`.
 */
export const ADMIN_SCRIPT = String.raw`(() => {
  'use strict';
  const base = document.body.dataset.base || '';
  const $ = (id) => document.getElementById(id);
  const flash = $('flash');
  let pendingFlash = '';

  function say(text, isError) {
    if (!flash) return;
    flash.textContent = text;
    flash.hidden = false;
    flash.classList.toggle('error', !!isError);
  }
  const remembered = sessionStorage.getItem('keyward.flash');
  if (remembered) {
    sessionStorage.removeItem('keyward.flash');
    // At once, not after a delay: a late banner would shift the table under the pointer.
    say(remembered, false);
  }

  async function call(path, body, method) {
    const res = await fetch(base + '/api/' + path, {
      method: method || 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body || {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      const detail = data && (data.detail || (data.error && data.error.message));
      throw new Error(detail || 'The request failed (' + res.status + ').');
    }
    return data;
  }

  // Reload with replace(): the list is fresh and nothing of the dialog survives in history.
  function reload(message) {
    if (message) sessionStorage.setItem('keyward.flash', message);
    location.replace(location.pathname + location.search);
  }

  function localInput(ms) {
    const d = new Date(ms);
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }
  function isoFromLocal(value) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  // Date fields are in the administrator's local time; show what that is in UTC, as the list does.
  document.querySelectorAll('[data-utc-for]').forEach((note) => {
    const input = $(note.dataset.utcFor);
    const update = () => {
      const iso = input.value ? isoFromLocal(input.value) : null;
      note.textContent = iso ? '= ' + iso.slice(0, 10) + ' ' + iso.slice(11, 16) + ' UTC' : '';
    };
    input.addEventListener('input', update);
    input.addEventListener('change', update);
    note.update = update;
  });
  function refreshUtc(id) {
    const note = document.querySelector('[data-utc-for="' + id + '"]');
    if (note && note.update) note.update();
  }

  document.querySelectorAll('[data-close]').forEach((button) => {
    button.addEventListener('click', () => button.closest('dialog').close());
  });

  // The secret, shown once.
  const secretDialog = $('secret-dialog');
  const secretValue = $('secret-value');
  let copied = false;
  function forgetSecret() { if (secretValue) secretValue.textContent = ''; }
  function showSecret(key, record) {
    $('secret-for').textContent = 'For “' + record.name + '” (' + record.environment + ', ' + record.display + ')';
    $('secret-copied').textContent = '';
    copied = false;
    secretValue.textContent = key;
    secretDialog.showModal();
    $('secret-copy').focus();
  }
  if (secretDialog) {
    $('secret-copy').addEventListener('click', async () => {
      const text = secretValue.textContent || '';
      try {
        await navigator.clipboard.writeText(text);
        copied = true;
        $('secret-copied').textContent = 'Copied to the clipboard.';
      } catch (e) {
        const range = document.createRange();
        range.selectNodeContents(secretValue);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        copied = true;
        $('secret-copied').textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
      }
    });
    $('secret-done').addEventListener('click', () => secretDialog.close());
    // Escape must not throw the secret away by accident: only after a copy, or the button.
    secretDialog.addEventListener('cancel', (event) => {
      if (copied) return;
      event.preventDefault();
      $('secret-copied').textContent = 'Copy the key first, or choose “I have stored it”: it will not be shown again.';
    });
    secretDialog.addEventListener('close', () => {
      forgetSecret();
      reload(pendingFlash);
    });
    window.addEventListener('pagehide', forgetSecret);
  }

  // The fields shared by create and edit. Editing sends every field, so an emptied one clears.
  function readKeyFields(form, errorBox, prefix, editing) {
    const data = new FormData(form);
    const text = (name) => String(data.get(name) || '').trim();
    const body = { name: text('name') };
    if (!body.name) {
      errorBox.textContent = 'Give the key a name.';
      $(prefix + '-name').focus();
      return null;
    }
    if (text('scopes') || editing) body.scopes = text('scopes');
    const limits = {};
    for (const name of ['perMinute', 'monthly', 'ipsPerMonth']) if (text(name) !== '') limits[name] = Number(text(name));
    if (Object.keys(limits).length || editing) body.limits = limits;
    if (text('validUntil')) {
      body.validUntil = isoFromLocal(text('validUntil'));
      if (!body.validUntil) {
        errorBox.textContent = 'The expiry is not a valid date.';
        return null;
      }
    } else if (editing) {
      body.validUntil = null;
    }
    if (text('customerId') || editing) body.customerId = text('customerId') || null;
    return body;
  }

  // Create.
  const createDialog = $('create-dialog');
  const createForm = $('create-form');
  const createError = $('create-error');
  if (createDialog && $('create-open')) {
    $('create-open').addEventListener('click', () => {
      createForm.reset();
      refreshUtc('create-valid-until');
      createError.textContent = '';
      createDialog.showModal();
      $('create-name').focus();
    });
    createForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = readKeyFields(createForm, createError, 'create', false);
      if (!body) return;
      const form = new FormData(createForm);
      body.teamId = String(form.get('teamId') || '').trim();
      body.environment = String(form.get('environment') || '').trim();
      const submit = createForm.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        const result = await call('keys', body);
        createDialog.close();
        pendingFlash = 'Key “' + result.record.name + '” created.';
        showSecret(result.key, result.record);
      } catch (error) {
        createError.textContent = error.message;
      } finally {
        submit.disabled = false;
      }
    });
  }

  // Row actions.
  const confirmDialog = $('confirm-dialog');
  const confirmForm = $('confirm-form');
  const confirmError = $('confirm-error');
  const TEXT = {
    regenerate: ['Regenerate “%”?', 'A new secret replaces the current one, which stops working at once: clients still using it get 401 until they switch.', 'Regenerate'],
    rotate: ['Rotate “%”?', 'A new secret is issued and the current one keeps working for the grace period, so clients can switch without downtime.', 'Rotate'],
    revoke: ['Revoke “%”?', 'Every secret of this key stops working at once. The key stays listed and can be restored.', 'Revoke'],
    block: ['Block “%”?', 'Requests with this key are refused (403 api_key_blocked) until the date below.', 'Block'],
  };
  const DONE = { revoke: 'revoked', restore: 'restored', block: 'blocked', unblock: 'unblocked', regenerate: 'regenerated', rotate: 'rotated' };
  let pending = null;

  async function run(id, action, body, name) {
    const result = await call('keys/' + encodeURIComponent(id) + '/' + action, body);
    const message = 'Key “' + name + '” ' + DONE[action] + '.';
    if (result && result.key) {
      if (confirmDialog.open) confirmDialog.close();
      pendingFlash = message;
      showSecret(result.key, result.record);
    } else {
      reload(message);
    }
  }

  // Edit: the form is filled from the key as it is now.
  const editDialog = $('edit-dialog');
  const editForm = $('edit-form');
  const editError = $('edit-error');
  let editing = null;
  async function openEdit(id, name, button) {
    button.disabled = true;
    try {
      const key = await call('keys/' + encodeURIComponent(id), null, 'GET');
      editing = { id, name };
      editForm.reset();
      editError.textContent = '';
      $('edit-title').textContent = 'Edit “' + key.name + '”';
      $('edit-name').value = key.name;
      $('edit-scopes').value = key.scopes.join(', ');
      $('edit-per-minute').value = key.limits.perMinute ?? '';
      $('edit-monthly').value = key.limits.monthly ?? '';
      $('edit-ips').value = key.limits.ipsPerMonth ?? '';
      $('edit-valid-until').value = key.validUntil ? localInput(Date.parse(key.validUntil)) : '';
      $('edit-customer').value = key.customerId ?? '';
      refreshUtc('edit-valid-until');
      editDialog.showModal();
      $('edit-name').focus();
    } catch (error) {
      say(error.message, true);
    } finally {
      button.disabled = false;
    }
  }
  if (editForm) {
    editForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!editing) return;
      const body = readKeyFields(editForm, editError, 'edit', true);
      if (!body) return;
      const submit = editForm.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        const result = await call('keys/' + encodeURIComponent(editing.id), body, 'PATCH');
        reload('Key “' + result.record.name + '” saved.');
      } catch (error) {
        editError.textContent = error.message;
      } finally {
        submit.disabled = false;
      }
    });
  }

  // The team form (team page, administrators of every team only).
  const teamForm = $('team-form');
  if (teamForm) {
    const expires = $('team-expires');
    if (expires.dataset.iso) expires.value = localInput(Date.parse(expires.dataset.iso));
    refreshUtc('team-expires');
    teamForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(teamForm);
      const text = (name) => String(data.get(name) || '').trim();
      const body = { plan: text('plan') || null, features: text('features') };
      const status = text('subscription');
      let until = null;
      if (text('expiresAt')) {
        until = isoFromLocal(text('expiresAt'));
        if (!until) {
          $('team-error').textContent = 'The subscription end is not a valid date.';
          return;
        }
      }
      body.subscription = status ? { status, expiresAt: until } : null;
      const limits = {};
      for (const name of ['perMinute', 'monthly']) if (text(name) !== '') limits[name] = Number(text(name));
      body.limits = Object.keys(limits).length ? limits : null;
      const submit = teamForm.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        await call('teams/' + encodeURIComponent(teamForm.dataset.team), body, 'PATCH');
        reload('Team saved.');
      } catch (error) {
        $('team-error').textContent = error.message;
      } finally {
        submit.disabled = false;
      }
    });
  }

  document.querySelectorAll('button[data-action]').forEach((button) => {
    button.addEventListener('click', async () => {
      const row = button.closest('tr');
      const id = row.dataset.id;
      const name = row.dataset.name;
      const action = button.dataset.action;
      if (action === 'edit') return openEdit(id, name, button);
      if (action === 'restore' || action === 'unblock') {
        button.disabled = true;
        try { await run(id, action, {}, name); } catch (error) { say(error.message, true); button.disabled = false; }
        return;
      }
      const text = TEXT[action];
      pending = { id, action, name };
      $('confirm-title').textContent = text[0].replace('%', () => name);
      $('confirm-text').textContent = text[1];
      $('confirm-submit').textContent = text[2];
      $('confirm-submit').classList.toggle('danger', action === 'revoke' || action === 'regenerate');
      $('confirm-grace').hidden = action !== 'rotate';
      $('confirm-until').hidden = action !== 'block';
      if (action === 'block') {
        $('confirm-until-input').value = localInput(Date.now() + 3600 * 1000);
        refreshUtc('confirm-until-input');
      }
      confirmError.textContent = '';
      confirmDialog.showModal();
    });
  });

  if (confirmForm) {
    confirmForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!pending) return;
      const body = {};
      if (pending.action === 'rotate') body.graceMs = Number($('confirm-grace-input').value);
      if (pending.action === 'block') {
        body.until = isoFromLocal($('confirm-until-input').value);
        if (!body.until) {
          confirmError.textContent = 'Choose when the block ends.';
          return;
        }
      }
      const submit = $('confirm-submit');
      submit.disabled = true;
      try {
        await run(pending.id, pending.action, body, pending.name);
      } catch (error) {
        confirmError.textContent = error.message;
      } finally {
        submit.disabled = false;
      }
    });
  }
})();
`;

/*
 * Zendesk's side of the ZAF v2 postMessage protocol, for the local /preview host page.
 *
 * Protocol, as the official SDK (zendesk_app_framework_sdk lib/client.js) frames it:
 *  - the app iframe is loaded with ?origin=<host origin>&app_guid=<guid>; the SDK posts JSON strings
 *    to window.parent with targetOrigin = origin, and accepts messages only from window.parent with
 *    event.origin === origin;
 *  - app → host:  {key:'iframe.handshake', message:{version}, appGuid, instanceGuid}
 *                 {key:'iframe.on:<event>' | 'iframe.off:<event>', message:{subscriberCount}}
 *                 {key:'request:<n>', message:<request options>}        (client.request)
 *                 {id, request:'get'|'set'|'invoke', params, appGuid}     (client.get/set/invoke)
 *                 {key:'__track__', …}                                    (SDK telemetry; ignored)
 *  - host → app:  {key:'zaf.<event>', message:<data>}                    (events, incl. app.registered
 *                                                                         {context, metadata})
 *                 {key:'zaf.request:<n>.done'|'.fail', message:{responseArgs:[…]}}
 *                 {id, result:{<path>:value, errors:{<path>:{message,name,path}}}} or {id, error}
 * The HTTP half of the request proxy (settings + JWT substitution, the call) runs server-side at
 * POST /preview/proxy, as Zendesk's proxy does; the secure setting never reaches this page.
 */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('preview-config').textContent);
  var frame = document.getElementById('app-frame');
  var editor = document.getElementById('reply-editor');
  var logEl = document.getElementById('zaf-log');
  var origin = window.location.origin;
  // Zendesk puts the app instance's guid in the iframe URL as app_guid; messages carry the same guid.
  var instanceGuid = cfg.appGuid;
  var subscriptions = {};
  var state = { colorScheme: cfg.colorScheme, registered: false, requests: [], messages: [], resizes: [] };
  window.__zafHost = state;

  function log(dir, what) {
    state.messages.push({ dir: dir, what: what, at: Date.now() });
    if (!logEl) return;
    var li = document.createElement('li');
    li.textContent = (dir === 'in' ? '← ' : '→ ') + what;
    logEl.insertBefore(li, logEl.firstChild);
    while (logEl.childNodes.length > 40) logEl.removeChild(logEl.lastChild);
  }

  function post(msg) {
    if (!frame.contentWindow) return;
    frame.contentWindow.postMessage(JSON.stringify(msg), origin);
  }

  function trigger(eventName, message) {
    log('out', 'zaf.' + eventName);
    post({ key: 'zaf.' + eventName, message: message, instanceGuid: instanceGuid });
  }

  var ticket = {
    id: cfg.ticketId,
    subject: cfg.subject,
    status: 'open',
    requester: cfg.requester,
  };

  function resolvePath(path) {
    var map = {
      'ticket': ticket,
      'ticket.id': ticket.id,
      'ticket.subject': ticket.subject,
      'ticket.status': ticket.status,
      'ticket.requester': ticket.requester,
      'ticket.requester.id': ticket.requester.id,
      'ticket.requester.name': ticket.requester.name,
      'ticket.requester.email': ticket.requester.email,
      'ticket.comment.text': editor.value,
      'currentUser': cfg.currentUser,
      'currentUser.id': cfg.currentUser.id,
      'currentUser.name': cfg.currentUser.name,
      'currentUser.email': cfg.currentUser.email,
      'currentUser.role': cfg.currentUser.role,
      'currentUser.locale': cfg.currentUser.locale,
      'currentAccount': { subdomain: cfg.subdomain },
      'currentAccount.subdomain': cfg.subdomain,
      'colorScheme': state.colorScheme,
      'viewport.size': { width: window.innerWidth, height: window.innerHeight },
    };
    if (Object.prototype.hasOwnProperty.call(map, path)) return { ok: true, value: map[path] };
    return { ok: false, error: { message: 'Could not find "' + path + '"', name: 'Error', path: path } };
  }

  function insertAtCursor(text) {
    var start = editor.selectionStart != null ? editor.selectionStart : editor.value.length;
    var end = editor.selectionEnd != null ? editor.selectionEnd : editor.value.length;
    editor.value = editor.value.slice(0, start) + text + editor.value.slice(end);
    editor.selectionStart = editor.selectionEnd = start + text.length;
    editor.dispatchEvent(new Event('input', { bubbles: true }));
  }

  var actions = {
    'resize': function (opts) {
      var h = opts && opts.height;
      if (typeof h === 'number') h = h + 'px';
      if (typeof h === 'string' && /^\d+(\.\d+)?px$/.test(h)) {
        frame.style.height = h;
        state.resizes.push(h);
      }
    },
    'ticket.editor.insert': function (text) { insertAtCursor(String(text)); },
    'ticket.comment.appendText': function (text) { editor.value += String(text); },
    'notify': function (text) { log('in', 'notify: ' + text); },
    'appRoute': function () {},
  };

  function answer(id, result) { post({ id: id, result: result }); }

  function handleApi(data) {
    var result = { errors: {} };
    if (data.request === 'get') {
      (data.params || []).forEach(function (path) {
        var r = resolvePath(path);
        if (r.ok) result[path] = r.value; else result.errors[path] = r.error;
      });
    } else if (data.request === 'set') {
      Object.keys(data.params || {}).forEach(function (path) {
        if (path === 'ticket.comment.text') { editor.value = String(data.params[path]); result[path] = editor.value; }
        else result.errors[path] = { message: '"' + path + '" is not settable', name: 'Error', path: path };
      });
    } else if (data.request === 'invoke') {
      Object.keys(data.params || {}).forEach(function (name) {
        var fn = actions[name];
        if (!fn) { result.errors[name] = { message: 'Could not find "' + name + '"', name: 'Error', path: name }; return; }
        try { fn.apply(null, data.params[name] || []); result[name] = null; }
        catch (e) { result.errors[name] = { message: String(e && e.message), name: 'Error', path: name }; }
      });
    } else {
      return post({ id: data.id, error: { message: 'Unknown request ' + data.request, name: 'Error' } });
    }
    answer(data.id, result);
  }

  function register() {
    if (state.registered) return;
    state.registered = true;
    state.registeredAt = performance.now();
    trigger('app.registered', {
      context: {
        host: 'zendesk',
        product: 'support',
        location: 'ticket_sidebar',
        instanceGuid: instanceGuid,
        ticketId: cfg.ticketId,
        account: { subdomain: cfg.subdomain },
      },
      metadata: {
        appId: 0,
        installationId: 1,
        name: 'Baton',
        version: 'preview',
        settings: cfg.settings,
      },
    });
    // Zendesk follows registration with activation of the (visible) sidebar.
    setTimeout(function () { trigger('app.activated', { firstLoad: true }); }, 0);
  }

  function proxy(key, options) {
    var record = { key: key, url: options && options.url, type: (options && options.type) || 'GET', at: performance.now() };
    state.requests.push(record);
    log('in', key + ' ' + record.type + ' ' + record.url);
    fetch('/preview/proxy', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ options: options, scenario: cfg.scenario }),
    })
      .then(function (r) { return r.json(); })
      .then(function (res) {
        var json;
        try { json = JSON.parse(res.responseText); } catch { json = undefined; }
        var xhr = { status: res.status, statusText: res.statusText, responseText: res.responseText, responseJSON: json, headers: res.headers };
        record.status = res.status;
        if (res.status >= 200 && res.status < 300) {
          var data = options.httpCompleteResponse ? xhr : (json !== undefined ? json : res.responseText);
          trigger(key + '.done', { responseArgs: [data, 'success', xhr] });
        } else {
          trigger(key + '.fail', { responseArgs: [xhr, 'error', res.statusText] });
        }
      })
      .catch(function (err) {
        record.status = 0;
        var xhr = { status: 0, statusText: 'error', responseText: String(err) };
        trigger(key + '.fail', { responseArgs: [xhr, 'error', 'error'] });
      });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    var data = event.data;
    if (typeof data === 'string') { try { data = JSON.parse(data); } catch { return; } }
    if (!data || typeof data !== 'object') return;
    if (data.request && data.id) { log('in', data.request + ' ' + JSON.stringify(data.params)); return handleApi(data); }
    var key = String(data.key || '');
    if (key === '__track__') return;
    if (key === 'iframe.handshake') { log('in', key); return register(); }
    var m = /^iframe\.(on|off):(.+)$/.exec(key);
    if (m) { subscriptions[m[2]] = (data.message && data.message.subscriberCount) || 0; return; }
    if (/^request:\d+$/.test(key)) return proxy(key, data.message || {});
    log('in', key);
  });

  document.querySelectorAll('[data-event]').forEach(function (btn) {
    btn.addEventListener('click', function () {
      var ev = btn.getAttribute('data-event');
      if (ev === 'reactivate') {
        trigger('app.deactivated', {});
        setTimeout(function () { trigger('app.activated', { firstLoad: false }); }, 50);
      } else if (ev === 'ticket.updated') {
        trigger('ticket.updated', { ticket: ticket });
      } else if (ev === 'colorScheme') {
        state.colorScheme = state.colorScheme === 'dark' ? 'light' : 'dark';
        document.documentElement.setAttribute('data-theme', state.colorScheme);
        trigger('colorScheme.changed', state.colorScheme);
      }
    });
  });

  // Load the app the way Zendesk does: the location URL plus origin, app_guid and the colour scheme.
  var q = 'origin=' + encodeURIComponent(origin) + '&app_guid=' + encodeURIComponent(cfg.appGuid) +
    '&colorScheme=' + encodeURIComponent(cfg.colorScheme);
  state.frameLoadStartedAt = performance.now();
  state.auth = cfg.auth;
  if (cfg.auth === 'signed' && cfg.signed) {
    // A signed-URL location: Zendesk POSTs the first load with a form field `token` (its RS256 JWT naming
    // the user) into the app's iframe. Here the sandbox signed it for the preview's agent.
    var form = document.createElement('form');
    form.method = 'POST';
    form.action = cfg.signed.action + '?' + q + (cfg.sdk === 'cdn' ? '' : '&sdk=bundled');
    form.target = frame.name;
    form.hidden = true;
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'token';
    input.value = cfg.signed.token;
    form.appendChild(input);
    document.body.appendChild(form);
    log('out', 'POST ' + cfg.signed.action + ' (signed token)');
    form.submit();
  } else {
    frame.src = cfg.appPath + '?' + q + (cfg.sdk === 'cdn' ? '&sdk=cdn' : '');
  }
})();

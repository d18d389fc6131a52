/*
 * GenOS terminal: xterm.js (DOM renderer) attached to /terminal. Protocol: send 'i' + keystrokes and
 * 'r' + cols + ',' + rows; receive binary output, or a text 'e' + message before a close the user should read.
 * Copy: selecting copies (and Ctrl+Shift+C); paste: Ctrl+Shift+V, Ctrl+V or the browser's paste.
 */
window.GenosTerminal = {
  attach: function (el, envId, opts) {
    var term = new Terminal({ rendererType: 'dom', cursorBlink: true, scrollback: 5000, fontSize: 14, lineHeight: 1.15,
      fontFamily: 'DejaVu Sans Mono, Menlo, Consolas, monospace', theme: { background: '#1b1d23' } });
    var fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    el.innerHTML = '';
    term.open(el);
    try { fit.fit(); } catch (e) { /* not laid out yet */ }
    var url = opts.url + '?env=' + encodeURIComponent(envId) + '&cols=' + term.cols + '&rows=' + term.rows;
    var ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    var state = function (s) { el.setAttribute('data-state', s); if (opts.onstate) opts.onstate(s); };
    state('connecting');
    ws.onopen = function () { state('open'); term.focus(); };
    ws.onmessage = function (m) {
      if (typeof m.data === 'string') {
        if (m.data.charAt(0) === 'e') {
          var msg = m.data.substring(1);
          el.setAttribute('data-error', msg);
          term.write('\r\n\x1b[31m' + msg + '\x1b[0m\r\n');
          if (opts.onerror) opts.onerror(msg);
        }
      } else {
        term.write(new Uint8Array(m.data));
      }
    };
    ws.onclose = function () { state('closed'); };
    var send = function (s) { if (ws.readyState === 1) ws.send(s); };
    term.onData(function (d) { send('i' + d); });
    term.onResize(function (s) { send('r' + s.cols + ',' + s.rows); });
    var refit = function () { try { fit.fit(); } catch (e) { /* hidden */ } };
    var observer = window.ResizeObserver ? new ResizeObserver(refit) : null;
    if (observer) observer.observe(el);
    window.addEventListener('resize', refit);
    var copy = function () {
      var s = term.getSelection();
      if (s && navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(s).catch(function () {});
    };
    term.onSelectionChange(copy);
    term.attachCustomKeyEventHandler(function (ev) {
      if (ev.type === 'keydown' && ev.ctrlKey && ev.shiftKey && ev.code === 'KeyC') { copy(); return false; }
      if (ev.type === 'keydown' && ev.ctrlKey && ev.shiftKey && ev.code === 'KeyV') {
        if (navigator.clipboard && navigator.clipboard.readText) {
          navigator.clipboard.readText().then(function (t) { term.paste(t); }).catch(function () {});
        }
        return false;
      }
      return true;
    });
    return {
      term: term,
      socket: ws,
      /** The visible screen as text, one line per row (for tests and for people). */
      text: function () {
        var b = term.buffer.active, lines = [];
        for (var i = 0; i < b.length; i++) { var l = b.getLine(i); lines.push(l ? l.translateToString(true) : ''); }
        return lines.join('\n');
      },
      disconnect: function () {
        if (observer) observer.disconnect();
        window.removeEventListener('resize', refit);
        ws.close();
        term.dispose();
      }
    };
  }
};

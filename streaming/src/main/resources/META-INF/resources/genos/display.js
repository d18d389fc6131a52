/*
 * GenOS display: shows an environment's desktop in an element, over guacamole-common-js (load /guacamole/all.min.js
 * first). The server side is io.genos.streaming.web.GuacamoleTunnelHandler.
 *
 *   var display = GenosDisplay.attach(element, environmentId, {
 *       tunnelUrl: '/tunnel',                 // WebSocket URL (relative URLs are resolved against the page)
 *       resizeRemote: false,                  // also ask the remote desktop to take the element's size
 *       onstate: function (text) {},          // 'connecting', 'waiting', 'connected', 'disconnected', ...
 *       onerror: function (message, code) {}  // a refusal or failure, as a sentence for the user
 *   });
 *   display.disconnect();
 *
 * The remote screen is scaled to fit the element (never above 1:1 unless options.upscale) and rescaled when the
 * element or the remote screen changes size. Mouse input is unscaled back to remote coordinates; keyboard input is
 * sent only while the display has focus (click it, or tab to it). The visible canvas carries data-genos-display.
 */
(function (global) {
    'use strict';

    var STATES = ['idle', 'connecting', 'waiting', 'connected', 'disconnecting', 'disconnected'];

    function websocketUrl(url) {
        if (/^wss?:/.test(url)) {
            return url;
        }
        var a = document.createElement('a');
        a.href = url;
        return a.href.replace(/^http/, 'ws');
    }

    function attach(element, environmentId, options) {
        if (!global.Guacamole) {
            throw new Error('GenosDisplay needs guacamole-common-js: load /guacamole/all.min.js first');
        }
        if (!element || !environmentId) {
            throw new Error('GenosDisplay.attach(element, environmentId, options): element and environmentId are required');
        }
        options = options || {};
        var onstate = options.onstate || function () {};
        var onerror = options.onerror || function () {};

        var tunnel = new Guacamole.WebSocketTunnel(websocketUrl(options.tunnelUrl || '/tunnel'));
        var client = new Guacamole.Client(tunnel);
        var display = client.getDisplay();
        var displayElement = display.getElement();
        var reportedError = false;

        element.innerHTML = '';
        element.appendChild(displayElement);
        element.setAttribute('tabindex', element.getAttribute('tabindex') || '0');
        element.style.overflow = 'hidden';
        display.getDefaultLayer().getCanvas().setAttribute('data-genos-display', environmentId);

        function fit() {
            var width = display.getWidth();
            var height = display.getHeight();
            if (!width || !height || !element.clientWidth || !element.clientHeight) {
                return;
            }
            var scale = Math.min(element.clientWidth / width, element.clientHeight / height);
            display.scale(options.upscale ? scale : Math.min(scale, 1));
        }

        display.onresize = fit;

        var resizeTimer = null;
        var observer = global.ResizeObserver ? new ResizeObserver(function () {
            fit();
            if (options.resizeRemote) {
                clearTimeout(resizeTimer);
                resizeTimer = setTimeout(function () {
                    client.sendSize(element.clientWidth, element.clientHeight);
                }, 250);
            }
        }) : null;
        if (observer) {
            observer.observe(element);
        } else {
            global.addEventListener('resize', fit);
        }

        // Mouse: Guacamole.Client.sendMouseState(state, true) undoes the display's scale.
        var mouse = new Guacamole.Mouse(displayElement);
        var sendMouse = function (state) {
            client.sendMouseState(state, true);
        };
        if (mouse.onEach) {
            mouse.onEach(['mousedown', 'mouseup', 'mousemove'], function (event) {
                sendMouse(event.state);
            });
        } else {
            mouse.onmousedown = mouse.onmouseup = mouse.onmousemove = sendMouse;
        }
        displayElement.addEventListener('mousedown', function () {
            element.focus();
        });

        // Keyboard: bound to the element, so keys only travel while the display has focus.
        var keyboard = new Guacamole.Keyboard(element);
        keyboard.onkeydown = function (keysym) {
            client.sendKeyEvent(1, keysym);
            return false;
        };
        keyboard.onkeyup = function (keysym) {
            client.sendKeyEvent(0, keysym);
        };
        element.addEventListener('blur', function () {
            keyboard.reset();
        });

        client.onstatechange = function (state) {
            onstate(STATES[state] || String(state));
        };
        function reportError(status) {
            if (reportedError) {
                return;
            }
            reportedError = true;
            onerror(status && status.message ? status.message : 'The display connection failed', status && status.code);
        }
        client.onerror = reportError;
        tunnel.onerror = reportError;

        var scale = global.devicePixelRatio || 1;
        var query = 'id=' + encodeURIComponent(environmentId)
            + '&width=' + Math.max(1, Math.round(element.clientWidth || 1024))
            + '&height=' + Math.max(1, Math.round(element.clientHeight || 768))
            + '&dpi=' + Math.round(96 * scale);
        client.connect(query);

        var detached = false;
        return {
            client: client,
            canvas: function () {
                return display.getDefaultLayer().getCanvas();
            },
            disconnect: function () {
                if (detached) {
                    return;
                }
                detached = true;
                if (observer) {
                    observer.disconnect();
                } else {
                    global.removeEventListener('resize', fit);
                }
                keyboard.onkeydown = keyboard.onkeyup = null;
                client.disconnect();
            }
        };
    }

    global.GenosDisplay = { attach: attach };
})(window);

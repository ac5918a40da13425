// The web UI's only script: keeps the parts of a page marked data-live up to date. The server sends an event
// (/api/events) whenever runs move; each part is then fetched again from the URL it names and put in place.
(function () {
    'use strict';
    var parts = document.querySelectorAll('[data-live]');
    var events = document.body.getAttribute('data-events');
    if (!parts.length || !events || !window.EventSource) {
        return;
    }
    var last = null;
    var busy = false;
    var again = false;

    function refresh() {
        if (busy) {
            again = true;
            return;
        }
        busy = true;
        var fetches = Array.prototype.map.call(parts, function (part) {
            return fetch(part.getAttribute('data-live'), {credentials: 'same-origin', cache: 'no-store'})
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error('HTTP ' + response.status);
                    }
                    return response.text();
                })
                .then(function (html) {
                    part.innerHTML = html;
                });
        });
        Promise.all(fetches).catch(function () {
            // the next event tries again
        }).then(function () {
            busy = false;
            if (again) {
                again = false;
                refresh();
            }
        });
    }

    new EventSource(events).onmessage = function (event) {
        // the first event too: the runs may have moved between the page and the stream
        if (event.data !== last) {
            last = event.data;
            refresh();
        }
    };
})();

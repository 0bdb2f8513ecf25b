// Search suggestions as you type: the search form works without this file (plain GET form);
// it only adds a list of suggestions from /v1/search/suggest under the search box.
(function () {
  'use strict';
  var DELAY_MS = 150; // one request per pause in typing, not per keystroke
  document.querySelectorAll('input[data-suggest]').forEach(function (input) {
    var list = document.getElementById(input.getAttribute('aria-controls'));
    var status = document.getElementById(input.getAttribute('data-status'));
    if (!list) return;
    var timer = null;
    var active = -1;
    function close() {
      list.hidden = true;
      list.innerHTML = '';
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function choose(item) {
      if (item.getAttribute('data-href')) window.location.href = item.getAttribute('data-href');
      else {
        input.value = item.textContent;
        input.form.submit();
      }
    }
    function show(items) {
      list.innerHTML = '';
      items.forEach(function (s, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.textContent = s.text;
        if (s.slug) li.setAttribute('data-href', '/software/' + encodeURIComponent(s.slug));
        li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
      if (status) status.textContent = items.length ? items.length + ' ' + (status.getAttribute('data-label') || '') : '';
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) return close();
      timer = setTimeout(function () {
        fetch('/v1/search/suggest?q=' + encodeURIComponent(q) + '&limit=8', { headers: { accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) { if (input.value.trim() === q) show(body.items || []); })
          .catch(close);
      }, DELAY_MS);
    });
    input.addEventListener('keydown', function (e) {
      var options = list.querySelectorAll('[role=option]');
      if (list.hidden || !options.length) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        active = (active + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length;
        options.forEach(function (o, i) { o.setAttribute('aria-selected', i === active ? 'true' : 'false'); });
        input.setAttribute('aria-activedescendant', options[active].id);
      } else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        choose(options[active]);
      } else if (e.key === 'Escape') close();
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
  });
})();

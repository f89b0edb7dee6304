/* My surveys: keep each survey's answer count current while the page is open
   (live-poll.js asks for the counts). */
(function () {
  "use strict";
  var list = document.getElementById("survey-list");
  if (!list || !window.fetch || !window.fiilisPoll) { return; }
  var url = list.getAttribute("data-counts");
  var one = list.getAttribute("data-one");
  var other = list.getAttribute("data-other");
  var INTERVAL_MS = 10000;

  function label(n) {
    // Finnish, Swedish and English all use the singular for exactly one.
    return (n === 1 ? one : other).replace(/\d+/, String(n));
  }

  window.fiilisPoll(url, INTERVAL_MS, function (data) {
    Object.keys(data.counts).forEach(function (id) {
      var cell = list.querySelector('.count[data-survey="' + id + '"]');
      if (cell) { cell.textContent = label(data.counts[id]); }
    });
  });
}());

/* Live countdown to SLA due times: updates every [data-due] element once a second. No libraries.
   Labels come from the element: data-left / data-over ("%(time)s left"), data-day-unit ("d"). */
(function () {
  "use strict";
  if (window.itsmSlaCountdown) { return; }  // included by several partials: run one timer only
  window.itsmSlaCountdown = true;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function format(seconds, dayUnit) {
    var days = Math.floor(seconds / 86400);
    var clock = pad(Math.floor(seconds % 86400 / 3600)) + ":" + pad(Math.floor(seconds % 3600 / 60)) + ":" + pad(seconds % 60);
    return days ? days + " " + dayUnit + " " + clock : clock;
  }

  function tick() {
    var now = Date.now();
    var elements = document.querySelectorAll("[data-due]");
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) { continue; }
      var diff = Math.round((due - now) / 1000);
      var over = diff < 0;
      var label = (over ? el.getAttribute("data-over") : el.getAttribute("data-left")) || "%(time)s";
      el.textContent = label.replace("%(time)s", format(Math.abs(diff), el.getAttribute("data-day-unit") || "d"));
      el.classList.toggle("sla-countdown--over", over);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", tick);
  } else {
    tick();
  }
  window.setInterval(tick, 1000);
})();

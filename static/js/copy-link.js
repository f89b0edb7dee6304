// A "Copy link" button beside a read-only link field (admin invitations and password links).
// Without JavaScript the button stays hidden and the field can be selected and copied by hand.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    if (!field) return;
    button.hidden = false;
    function done(ok) {
      if (status) status.textContent = ok ? button.getAttribute("data-copied") : button.getAttribute("data-failed");
    }
    function fallback() {
      field.focus();
      field.select();
      try { done(document.execCommand("copy")); } catch (e) { done(false); }
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { done(true); }, fallback);
      } else {
        fallback();
      }
    });
  });
})();

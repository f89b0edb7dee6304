/* Fiilis kiosk mode (/s/<code>/kiosk): one tablet on a stand, one person after another.
 *
 * After each answer a short thank-you, then an empty form with nothing of the person before:
 * the form is emptied in place and its one-time id replaced. A half-answered form clears
 * itself after data-idle-seconds without a touch; coming back through the history (Back,
 * the back/forward cache) always shows an empty form. survey.js sends the answers through
 * the outbox and calls FiilisKiosk.thank() once an answer is delivered or safely waiting.
 * Full screen and the screen wake lock are asked for where the browser allows them. */
(function () {
  "use strict";

  var root = document.getElementById("kiosk");
  if (!root) return;
  var body = document.getElementById("kiosk-body");
  var thanks = document.getElementById("kiosk-thanks");
  var offlineNote = document.getElementById("kiosk-offline");
  var clearButton = document.getElementById("kiosk-clear");
  var fullButton = document.getElementById("kiosk-fullscreen");
  var form = root.querySelector("form.kiosk-form");
  var idleMs = (parseInt(root.getAttribute("data-idle-seconds"), 10) || 60) * 1000;
  var thanksMs = (parseInt(root.getAttribute("data-thanks-seconds"), 10) || 4) * 1000;
  var idleTimer = null;
  var thanksTimer = null;

  function answerFields() {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name.indexOf("q_") === 0;
    });
  }

  function hasAnswers() {
    return answerFields().some(function (field) {
      if (field.type === "radio" || field.type === "checkbox") return field.checked;
      return field.value.trim() !== "";
    });
  }

  function newId() {
    return window.crypto && crypto.randomUUID ? crypto.randomUUID() : "";
  }

  /* Empty every answer and every message; a new one-time id for the next person. */
  function clearForm() {
    answerFields().forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = false;
        field.defaultChecked = false; // a form shown again after an error had answers kept
      } else {
        field.value = "";
        field.defaultValue = "";
      }
    });
    var id = form.elements.client_id;
    var fresh = newId();
    if (id && fresh) id.value = fresh;
    var statusBox = document.getElementById("status");
    if (statusBox) statusBox.replaceChildren();
    root.querySelectorAll(".field-error").forEach(function (node) { node.remove(); });
    root.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
    var send = form.querySelector("button[type=submit]");
    if (send) send.disabled = false;
    form.hidden = false;
    clearButton.hidden = true;
    window.clearTimeout(idleTimer);
    idleTimer = null;
  }

  /* The empty form for the next person, at the top, without ?sent= in the address. */
  function showForm() {
    window.clearTimeout(thanksTimer);
    clearForm();
    thanks.hidden = true;
    body.hidden = false;
    if (location.search.indexOf("sent=") !== -1 && history.replaceState) {
      history.replaceState(null, "", root.getAttribute("data-empty"));
    }
    window.scrollTo(0, 0);
  }

  /* "stored" once delivered, "saved" when waiting in the outbox for the network. */
  function thank(outcome) {
    clearForm();
    body.hidden = true;
    offlineNote.hidden = outcome !== "saved";
    thanks.hidden = false;
    window.scrollTo(0, 0);
    window.clearTimeout(thanksTimer);
    thanksTimer = window.setTimeout(showForm, thanksMs);
  }

  /* Every touch restarts the idle clock; when it runs out, a half-answered form clears. */
  function touched() {
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(function () {
      if (!body.hidden && hasAnswers()) clearForm();
    }, idleMs);
  }

  function changed() {
    clearButton.hidden = !hasAnswers();
    touched();
  }

  ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, touched, { capture: true, passive: true });
  });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  clearButton.addEventListener("click", function () { clearForm(); window.scrollTo(0, 0); });

  /* Back, Forward or the back/forward cache: never the previous person's answers. */
  window.addEventListener("pageshow", function (event) {
    var entry = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation")[0] : null;
    if (event.persisted || (entry && entry.type === "back_forward")) showForm();
  });

  /* A thank-you shown by the server (the plain form's answer) gives way like the app's. */
  if (!thanks.hidden) thanksTimer = window.setTimeout(showForm, thanksMs);

  /* Full screen needs a tap: the button, or the first touch of the first person. */
  function goFullScreen() {
    var page = document.documentElement;
    if (document.fullscreenElement || !page.requestFullscreen) return;
    page.requestFullscreen({ navigationUI: "hide" }).catch(function () { /* refused: fine */ });
  }
  if (document.fullscreenEnabled) {
    fullButton.hidden = false;
    fullButton.addEventListener("click", goFullScreen);
    document.addEventListener("pointerdown", goFullScreen, { once: true });
    document.addEventListener("fullscreenchange", function () {
      fullButton.hidden = Boolean(document.fullscreenElement);
    });
  }

  /* Keep the screen on while the kiosk is showing; the lock ends when the tab is hidden. */
  function keepAwake() {
    if (!navigator.wakeLock || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").catch(function () { /* not allowed here */ });
  }
  keepAwake();
  document.addEventListener("visibilitychange", keepAwake);

  window.FiilisKiosk = { thank: thank, clear: clearForm };
})();

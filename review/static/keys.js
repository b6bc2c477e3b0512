// Keyboard shortcuts: a progressive enhancement; every action is also a plain form or link.
// y / n: decide present (1) / absent (0); c: confirm the suggestion; j: skip to the next item;
// Enter on a queue page: start. An override with an empty comment moves to the comment box first.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT" || el.tagName === "SELECT" || el.isContentEditable);
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || typing(document.activeElement)) { return; }
    var key = ev.key;
    var target = null;
    if (key === "c") { target = document.querySelector("[data-confirm='c']"); }
    else { target = document.querySelector("[data-key='" + (key === "Enter" ? "Enter" : key.toLowerCase()) + "']"); }
    if (!target) { return; }
    ev.preventDefault();
    if (target.tagName === "BUTTON") {
      var reason = document.getElementById("reason");
      if (target.getAttribute("data-override") === "yes" && reason && !reason.value.trim()) {
        reason.focus();
        reason.setAttribute("placeholder", "Why do you override the proposal? Then press Ctrl+Enter.");
        reason.setAttribute("data-pending", target.value);
        return;
      }
      target.click();
    } else {
      target.click();
    }
  });
  // Ctrl+Enter in the comment box submits the pending override (or nothing if none is pending).
  document.addEventListener("keydown", function (ev) {
    var reason = document.getElementById("reason");
    if (!reason || document.activeElement !== reason || !(ev.ctrlKey || ev.metaKey) || ev.key !== "Enter") { return; }
    var pending = reason.getAttribute("data-pending");
    if (pending === null) { return; }
    ev.preventDefault();
    var button = document.querySelector("#decide button[value='" + pending + "']");
    if (button) { button.click(); }
  });
}());

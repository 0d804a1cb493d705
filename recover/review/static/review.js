// Keyboard shortcuts of the review page (no build step): n/j next flagged cell, p/k previous, a accept (and go on),
// A accept every open flagged cell of the table (when they share one status), o override (focus the value box),
// s printed wrong in the source, u undo the decision. Esc leaves a value box; keys typed into a field are its own.
document.addEventListener("keydown", function (ev) {
  var t = ev.target;
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) {
    if (ev.key === "Escape") { t.blur(); ev.preventDefault(); }
    return;
  }
  var go = function (id) { var a = document.getElementById(id); if (a) { ev.preventDefault(); a.click(); } };
  var focus = function (id) { var f = document.getElementById(id); if (f) { ev.preventDefault(); f.focus(); } };
  switch (ev.key) {
    case "n": case "j": go("next"); break;
    case "p": case "k": go("prev"); break;
    case "a": go("accept"); break;
    case "A": var b = document.querySelector("#bulk-form button"); if (b) { ev.preventDefault(); b.click(); } break;
    case "o": focus("override-value"); break;
    case "s": focus("source-value"); break;
    case "u": go("clear"); break;
  }
});
// the reviewer name typed in the accept form goes with every form of the page
document.addEventListener("input", function (ev) {
  if (!ev.target.classList || !ev.target.classList.contains("reviewer")) return;
  document.querySelectorAll("input.reviewer-copy").forEach(function (i) { i.value = ev.target.value; });
});
// the selected cell in view (the grid is taller than a laptop's screen); the panel beside it stays in view
document.addEventListener("DOMContentLoaded", function () {
  var sel = document.querySelector("td.sel");
  if (sel) sel.scrollIntoView({block: "center", inline: "nearest"});
});

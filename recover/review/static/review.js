// Keyboard shortcuts of the review page (no build step): n/j next flagged cell, p/k previous, a accept,
// o override (focus the value box), s printed wrong in the source. Keys typed into a form field are left alone.
document.addEventListener("keydown", function (ev) {
  var t = ev.target;
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
  var go = function (id) { var a = document.getElementById(id); if (a) { ev.preventDefault(); a.click(); } };
  var focus = function (id) { var f = document.getElementById(id); if (f) { ev.preventDefault(); f.focus(); } };
  switch (ev.key) {
    case "n": case "j": go("next"); break;
    case "p": case "k": go("prev"); break;
    case "a": go("accept"); break;
    case "o": focus("override-value"); break;
    case "s": focus("source-value"); break;
  }
});
// the reviewer name typed in the accept form goes with every form of the page
document.addEventListener("input", function (ev) {
  if (!ev.target.classList || !ev.target.classList.contains("reviewer")) return;
  document.querySelectorAll("input.reviewer-copy").forEach(function (i) { i.value = ev.target.value; });
});

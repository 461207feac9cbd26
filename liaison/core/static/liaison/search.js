// The top bar's search box: "/" or Ctrl-K (⌘K on a Mac) puts the cursor in it
// from anywhere on the page, except while typing in a field ("/" is a
// character there; Ctrl-K works everywhere). Escape leaves it.
(function () {
  "use strict";

  function box() {
    return document.querySelector("[data-search-shortcut]");
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    var input = box();
    if (!input || event.defaultPrevented || event.altKey) return;
    var ctrlK = (event.ctrlKey || event.metaKey) && (event.key === "k" || event.key === "K");
    var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !typing(event.target);
    if (ctrlK || slash) {
      event.preventDefault();
      input.focus();
      input.select();
    } else if (event.key === "Escape" && event.target === input) {
      input.blur();
    }
  });
})();

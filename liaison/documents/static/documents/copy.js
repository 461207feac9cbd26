/* A <button data-copy="…"> puts its value on the clipboard (a delivered
   version's full SHA-256 beside its short form) and says so in its own label
   for a moment. Loaded by documents/_milestone_section.html. */
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
  if (!button || !navigator.clipboard) {
    return;
  }
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-copied") || label;
    setTimeout(function () { button.textContent = label; }, 1500);
  });
});

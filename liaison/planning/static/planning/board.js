/* Drag a card onto another column: the same POST as its "Move" form, through
   HTMX (loaded with defer, so looked up at drop time); without HTMX the form posts. */
(function () {
  var board = document.getElementById("board");
  if (!board) return;
  var dragged = null;
  function column(event) { return event.target.closest ? event.target.closest("[data-drop-status]") : null; }
  board.addEventListener("dragstart", function (event) {
    dragged = event.target.closest ? event.target.closest("li[draggable]") : null;
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
    dragged.classList.add("board-card--dragging");
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("board-card--dragging");
    dragged = null;
    board.querySelectorAll(".board__column--over").forEach(function (el) { el.classList.remove("board__column--over"); });
  });
  board.addEventListener("dragover", function (event) {
    var target = column(event);
    if (!dragged || !target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    target.classList.add("board__column--over");
  });
  board.addEventListener("dragleave", function (event) {
    var target = column(event);
    if (target && !target.contains(event.relatedTarget)) target.classList.remove("board__column--over");
  });
  board.addEventListener("drop", function (event) {
    var target = column(event);
    var card = dragged;
    if (!card || !target) return;
    event.preventDefault();
    if (card.closest("[data-drop-status]") === target) return;
    var status = target.dataset.dropStatus;
    if (window.htmx) {
      htmx.ajax("POST", card.querySelector("form").getAttribute("action"), {
        values: {
          status: status,
          version: card.querySelector("form").elements.version.value,
          next: window.location.pathname + window.location.search
        },
        target: "#board-columns",
        swap: "outerHTML"
      });
    } else {
      var form = card.querySelector("form");
      form.elements.status.value = status;
      form.submit();
    }
  });
})();

/* The board's moves: drag a card to another column, to another place in its
   column or, with swimlanes, to another lane (which gives it that lane's assignee
   or milestone), or use its menu (the keyboard's way: Move left / right / up /
   down, and to the lane above or below).
   Either way the card moves at once and the move is posted through HTMX (its
   CSRF header comes from <body hx-headers>) to the task's status view, which
   answers the columns as saved: a refused move (a stale card, a parent whose
   status follows its sub-tasks, someone who may not be assigned, a milestone the
   client accepted) puts the card back where it was, with why.
   Without JavaScript the cards are links, and the task's page changes its status. */
(function () {
  var board = document.getElementById("board");
  var menu = document.getElementById("board-menu");
  if (!board || !board.dataset.editable) return;
  var dragged = null;
  var origin = null; // where the dragged card was: {list, next, lane}
  var menuCard = null;

  function cellOf(element) { return element && element.closest ? element.closest("[data-drop-status]") : null; }
  function cardOf(element) { return element && element.closest ? element.closest("li[data-key]") : null; }
  function cards(cell) { return Array.prototype.slice.call(cell.querySelectorAll("li[data-key]")); }
  function columnsOf(cell) {
    return Array.prototype.slice.call(board.querySelectorAll('[data-lane="' + cell.dataset.lane + '"]'));
  }

  function laneCells(cell) { // its column's cells, one per lane, top to bottom
    return Array.prototype.slice.call(board.querySelectorAll('[data-drop-status="' + cell.dataset.dropStatus + '"]'));
  }

  // `fromLane`: the lane the card left; a different one sends the new lane too.
  function post(card, cell, fromLane) {
    var before = card.previousElementSibling;
    var columns = document.getElementById("board-columns");
    var values = {
      status: cell.dataset.dropStatus,
      version: card.dataset.version,
      after: before ? before.dataset.key : "",
      next: columns.dataset.next
    };
    if (columns.dataset.lanes && fromLane !== cell.dataset.lane) {
      values.lanes = columns.dataset.lanes;
      values.lane = cell.dataset.lane;
    }
    htmx.ajax("POST", card.querySelector(".board-card__title").getAttribute("href") + "status/", {
      values: values,
      target: "#board-columns",
      swap: "outerHTML"
    });
  }

  function showMenuButtons() {
    board.querySelectorAll(".board-card__menu").forEach(function (button) { button.hidden = false; });
  }
  showMenuButtons();
  document.body.addEventListener("htmx:afterSwap", function () {
    showMenuButtons();
    var moved = board.dataset.focusKey && document.getElementById("card-" + board.dataset.focusKey);
    if (moved) moved.querySelector(".board-card__menu").focus();
    delete board.dataset.focusKey;
  });

  /* -- drag and drop -- */
  board.addEventListener("dragstart", function (event) {
    dragged = event.target.closest ? event.target.closest("li[draggable]") : null;
    if (!dragged) return;
    origin = { list: dragged.parentNode, next: dragged.nextSibling, lane: cellOf(dragged).dataset.lane };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
    dragged.classList.add("board-card--dragging");
    closeMenu(false);
  });
  board.addEventListener("dragover", function (event) {
    var cell = cellOf(event.target);
    if (!dragged || !cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("board__column--over");
    // The card goes before the first card whose middle is below the pointer.
    var list = cell.querySelector(".board__cards");
    var next = cards(cell).filter(function (card) {
      var box = card.getBoundingClientRect();
      return card !== dragged && event.clientY < box.top + box.height / 2;
    })[0] || null;
    if (dragged.parentNode !== list || dragged.nextSibling !== next) list.insertBefore(dragged, next);
  });
  board.addEventListener("dragleave", function (event) {
    var cell = cellOf(event.target);
    if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("board__column--over");
  });
  board.addEventListener("drop", function (event) {
    var cell = cellOf(event.target);
    if (!dragged || !cell) return;
    event.preventDefault();
    var card = dragged;
    var moved = card.parentNode !== origin.list || card.nextSibling !== origin.next;
    var fromLane = origin.lane;
    origin = null; // kept where it was dropped
    if (moved) post(card, cell, fromLane);
  });
  board.addEventListener("dragend", function () {
    if (dragged && origin) origin.list.insertBefore(dragged, origin.next); // dropped elsewhere
    if (dragged) dragged.classList.remove("board-card--dragging");
    dragged = null;
    origin = null;
    board.querySelectorAll(".board__column--over").forEach(function (el) { el.classList.remove("board__column--over"); });
  });

  /* -- the card's menu -- */
  function target(card, direction) {
    var cell = cellOf(card);
    if (direction === "up" || direction === "down") {
      var sibling = direction === "up" ? card.previousElementSibling : card.nextElementSibling;
      return sibling ? { cell: cell, sibling: sibling } : null;
    }
    var row = direction === "left" || direction === "right" ? columnsOf(cell) : laneCells(cell);
    var other = row[row.indexOf(cell) + (direction === "left" || direction === "lane-up" ? -1 : 1)];
    return other ? { cell: other } : null;
  }
  function items() { return Array.prototype.slice.call(menu.querySelectorAll("[role=menuitem]:not([disabled]):not([hidden])")); }
  function openMenu(button) {
    menuCard = cardOf(button);
    var lanes = !!document.getElementById("board-columns").dataset.lanes;
    menu.querySelectorAll("[role=menuitem]").forEach(function (item) {
      if (item.dataset.move.indexOf("lane-") === 0) item.hidden = !lanes;
      item.disabled = !target(menuCard, item.dataset.move);
    });
    button.setAttribute("aria-expanded", "true");
    button.parentNode.appendChild(menu); // beside its button, so it reads and tabs in place
    menu.hidden = false;
    if (items()[0]) items()[0].focus();
  }
  function closeMenu(refocus) {
    if (!menuCard) return;
    var button = menuCard.querySelector(".board-card__menu");
    button.setAttribute("aria-expanded", "false");
    menu.hidden = true;
    document.body.appendChild(menu); // out of the columns HTMX replaces
    if (refocus) button.focus();
    menuCard = null;
  }
  function move(direction) {
    var card = menuCard;
    var to = target(card, direction);
    var fromLane = cellOf(card).dataset.lane;
    closeMenu(false);
    if (!to) return;
    var list = to.cell.querySelector(".board__cards");
    if (direction === "up") list.insertBefore(card, to.sibling);
    else if (direction === "down") list.insertBefore(card, to.sibling.nextSibling);
    else list.insertBefore(card, list.firstElementChild);
    board.dataset.focusKey = card.dataset.key;
    post(card, to.cell, fromLane);
  }
  board.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".board-card__menu") : null;
    if (!button) return;
    if (menuCard === cardOf(button)) closeMenu(true);
    else { closeMenu(false); openMenu(button); }
  });
  menu.addEventListener("click", function (event) {
    var item = event.target.closest("[role=menuitem]");
    if (item && !item.disabled) move(item.dataset.move);
  });
  menu.addEventListener("keydown", function (event) {
    var list = items();
    var at = list.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      list[(at + step + list.length) % list.length].focus();
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      list[event.key === "Home" ? 0 : list.length - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeMenu(true);
    } else if (event.key === "Tab") {
      closeMenu(false);
    }
  });
  document.addEventListener("click", function (event) {
    if (menuCard && !menu.contains(event.target) && !(event.target.closest && event.target.closest(".board-card__menu"))) closeMenu(false);
  });
})();

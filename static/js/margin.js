// Claims beside the text. On wide screens every claim has a short note in the margin at the
// height of its mark, and the open card sits at its own mark's height; notes never overlap:
// those below the card move down, those above it move up (and everything down again if that
// would run off the top). Narrower, the notes are not shown (the marks and the claim list
// are) and the open card becomes a sheet over the bottom of the window, with the mark kept
// above it. Positions are set through the CSSOM (element.style), which the strict CSP allows;
// it forbids only style attributes in markup.
const layout = document.querySelector(".reading-layout");
const blocks = document.getElementById("article-blocks");
const margin = document.getElementById("reading-margin");
const notesBox = document.getElementById("margin-notes");
const region = document.getElementById("claim-card");
const WIDE = window.matchMedia("(min-width: 75rem)");
const GAP = 8; // px between stacked notes

function marksOf(id) {
  return blocks.querySelectorAll(`mark[data-annotation-id="${CSS.escape(String(id))}"]`);
}

// The one place the reading page's scripts read a claim's number from: the first piece of its
// mark (annotations/rendering.py sets data-claim-number; keyboard.js reads the same attribute).
function claimNumber(id) {
  return marksOf(id)[0]?.dataset.claimNumber || "";
}

function openId() {
  return region.querySelector(".claim-card")?.dataset.claimId || null;
}

function noteFor(item) {
  const id = item.dataset.claimId;
  if (!marksOf(id).length) return null;
  const note = document.createElement("div");
  note.className = `margin-note margin-note--${item.dataset.status || "open"}`;
  note.dataset.claimId = id;
  note.hidden = item.hidden;
  const number = document.createElement("span");
  number.className = "claim-number";
  number.textContent = claimNumber(id);
  const body = document.createElement("div");
  body.className = "margin-note-body";
  const quote = item.querySelector(".claim-quote")?.cloneNode(true);
  const meta = item.querySelector(".claim-meta")?.cloneNode(true);
  if (quote) body.append(quote);
  if (meta) body.append(meta);
  note.append(number, body);
  return note;
}

// One note per anchored claim of the panel's list (it has the preview, status and tags).
// They are a pointer's shortcut only (aria-hidden, not focusable): keyboard and screen
// reader users reach the same claims through the marks and the list.
// Rebuilt whenever the panel or the text is swapped, or the filters change what is shown
// (panel.js tells). A note takes over the place of the one it
// replaces, so it moves (if at all) from there; a new one starts at its place without the
// move's transition: no note ever flies in from the margin's top.
function buildNotes() {
  const items = document.querySelectorAll("#claim-panel .claim-list:not(.orphan-list) > .claim-item");
  const before = new Map([...notesBox.children].map((note) => [note.dataset.claimId, note.style.top]));
  const notes = [...items].map(noteFor).filter(Boolean);
  for (const note of notes) {
    const was = before.get(note.dataset.claimId);
    if (was) note.style.top = was;
    else note.dataset.fresh = "";
  }
  notesBox.replaceChildren(...notes);
}

function top(element) {
  return element.getBoundingClientRect().top;
}

function clear() {
  for (const element of [region, ...notesBox.children]) element.style.removeProperty("top");
  margin.style.removeProperty("min-height");
}

// Below the margin layout the live notices stand just above the open sheet.
function placeLiveBar() {
  const bar = document.getElementById("live-bar");
  if (!bar) return;
  if (!WIDE.matches && openId()) bar.style.bottom = `${region.offsetHeight + 8}px`;
  else bar.style.removeProperty("bottom");
}

function place() {
  placeLiveBar();
  if (!WIDE.matches) {
    clear();
    return;
  }
  const origin = top(margin);
  const open = openId();
  const items = [];
  for (const note of notesBox.children) {
    note.classList.toggle("is-open", note.dataset.claimId === open);
    const mark = marksOf(note.dataset.claimId)[0];
    // A mark inside collapsed boilerplate has no place on screen: nor has its note.
    const unplaced = !mark || mark.getClientRects().length === 0;
    note.classList.toggle("is-unplaced", unplaced);
    if (note.hidden || note.dataset.claimId === open || unplaced) continue;
    items.push({ element: note, want: top(mark) - origin, pinned: false });
  }
  const openMark = open ? marksOf(open)[0] : null;
  items.push({ element: region, want: openMark ? top(openMark) - origin : 0, pinned: true });
  items.sort((a, b) => a.want - b.want || (a.pinned ? -1 : 1));
  const heights = items.map((item) => item.element.offsetHeight);
  const pinned = items.findIndex((item) => item.pinned);
  const tops = items.map((item) => Math.max(0, item.want));
  for (let i = pinned + 1; i < items.length; i += 1) {
    tops[i] = Math.max(tops[i], tops[i - 1] + heights[i - 1] + GAP);
  }
  for (let i = pinned - 1; i >= 0; i -= 1) {
    tops[i] = Math.min(tops[i], tops[i + 1] - heights[i] - GAP);
  }
  for (let i = 0; i < items.length; i += 1) {
    const floor = i === 0 ? 0 : tops[i - 1] + heights[i - 1] + GAP;
    tops[i] = Math.max(tops[i], floor);
  }
  const fresh = [];
  items.forEach((item, i) => {
    if ("fresh" in item.element.dataset) {
      item.element.style.transition = "none";
      fresh.push(item.element);
    }
    item.element.style.top = `${Math.round(tops[i])}px`;
  });
  if (fresh.length) {
    void notesBox.offsetHeight; // the new places are taken before the transition is back
    for (const note of fresh) {
      note.style.removeProperty("transition");
      delete note.dataset.fresh;
    }
  }
  const bottom = Math.max(...items.map((item, i) => tops[i] + heights[i]));
  margin.style.minHeight = `${Math.ceil(bottom)}px`;
  // Tells scripts (and browser tests) that the notes stand where their marks are now.
  notesBox.dataset.placed = String(Number(notesBox.dataset.placed || 0) + 1);
}

let frame = 0;
// Now, and any layout already asked for in the next frame is not needed any more.
function placeNow() {
  if (frame) window.cancelAnimationFrame(frame);
  frame = 0;
  place();
}

function schedule() {
  if (frame) return;
  frame = window.requestAnimationFrame(() => {
    frame = 0;
    place();
  });
}

// The open claim's marks are shown as active; the sheet state is a class on the layout.
function markOpen() {
  const open = openId();
  for (const mark of blocks.querySelectorAll("mark.claim-mark--open")) {
    if (mark.dataset.annotationId !== open) mark.classList.remove("claim-mark--open");
  }
  if (open) marksOf(open).forEach((mark) => mark.classList.add("claim-mark--open"));
  region.classList.toggle("is-open", Boolean(open));
  layout.classList.toggle("has-open-card", Boolean(open));
  const number = region.querySelector(".claim-card-number");
  if (number && open) {
    const value = claimNumber(open);
    number.textContent = value ? ` ${value}` : "";
  }
}

// Below the margin layout the sheet covers the bottom of the window: scroll the open claim's
// mark (or the selection being made) into the part still visible.
function keepMarkVisible() {
  if (WIDE.matches || !openId()) return;
  const mark = marksOf(openId())[0];
  if (!mark) return;
  const sheetTop = region.getBoundingClientRect().top;
  const rect = mark.getBoundingClientRect();
  // Below the header when it stays on screen (it scrolls away on phones).
  const header = document.querySelector(".site-header");
  const headerBottom = header && getComputedStyle(header).position !== "static"
    ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
  if (rect.top >= headerBottom + 8 && rect.bottom <= sheetTop - 8) return;
  const room = headerBottom + Math.max(16, (sheetTop - headerBottom - rect.height) / 3);
  window.scrollBy({ top: rect.top - room, behavior: "instant" });
}

function closeCard() {
  const idle = region.dataset.idleHtml;
  // Drafts are already in sessionStorage (drafts.js); the card comes back with them.
  const template = document.createElement("template");
  template.innerHTML = idle || "";
  region.replaceChildren(template.content);
  document.dispatchEvent(new CustomEvent("sourcemark:card-closed"));
}

if (layout && blocks && margin && notesBox && region) {
  // The idle hint, to put back when a card is closed (markup from the server, not user input).
  region.dataset.idleHtml = region.innerHTML;
  const observer = new ResizeObserver(placeNow);

  function refresh() {
    buildNotes();
    // New notes: their own heights are watched (their text wraps to the margin's width).
    for (const note of notesBox.children) observer.observe(note);
    markOpen();
    // Placed at once, not in the next frame: new notes are never seen (or measured) unplaced.
    placeNow();
  }

  document.body.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (target === region) {
      markOpen();
      schedule();
      window.requestAnimationFrame(keepMarkVisible);
    } else if (target === blocks || target?.id === "claim-panel") {
      refresh();
    }
  });
  document.addEventListener("sourcemark:filtered", refresh);
  document.addEventListener("sourcemark:close-card", closeCard);
  document.addEventListener("sourcemark:card-closed", () => {
    markOpen();
    schedule();
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("#claim-card [data-action='close-card']")) {
      event.preventDefault();
      closeCard();
      return;
    }
    const note = event.target.closest(".margin-note[data-claim-id]");
    if (note) {
      document.dispatchEvent(new CustomEvent("sourcemark:open-claim", { detail: { id: note.dataset.claimId } }));
    }
  });
  // Pointing at a note shows its mark, as pointing at the mark would.
  notesBox.addEventListener("mouseover", (event) => {
    const note = event.target.closest(".margin-note");
    blocks.querySelectorAll("mark.claim-mark--hover").forEach((m) => m.classList.remove("claim-mark--hover"));
    if (note) marksOf(note.dataset.claimId).forEach((m) => m.classList.add("claim-mark--hover"));
  });
  notesBox.addEventListener("mouseleave", () => {
    blocks.querySelectorAll("mark.claim-mark--hover").forEach((m) => m.classList.remove("claim-mark--hover"));
  });
  // While text is being selected under an open sheet, the sheet folds down to its header.
  document.addEventListener("selectionchange", () => {
    const selection = window.getSelection();
    const selecting = Boolean(selection && !selection.isCollapsed && selection.rangeCount &&
      blocks.contains(selection.getRangeAt(0).commonAncestorContainer));
    layout.classList.toggle("is-selecting", selecting);
  });
  // Heights change as the card is typed in, text reflows, boilerplate opens, fonts load.
  // The text also rewraps when the side panel's width changes (its summary arrives by htmx
  // after the page), boxes above the text in its column (the blind bar, the title form)
  // change height, and the notes rewrap to the margin's new width: so every box of the text
  // column, the card and every note are watched. The layout is redone in the same frame
  // (a ResizeObserver runs after layout, before paint), so nothing is ever shown or measured
  // out of place. Not watched: the margin, the article and the layout themselves, whose
  // heights follow the margin's min-height that place() sets (that would loop).
  const column = blocks.closest("article") || blocks.parentElement;
  function watch() {
    for (const element of [...column.children, region, ...notesBox.children]) observer.observe(element);
  }
  watch();
  // Boxes added to the text column later (a swapped-in bar) are watched too, and the layout
  // is redone since an insertion moves the marks below it.
  new MutationObserver(() => {
    watch();
    schedule();
  }).observe(column, { childList: true });
  WIDE.addEventListener("change", schedule);
  window.addEventListener("resize", schedule);
  document.fonts?.ready.then(schedule);
  refresh();
}

// Nothing typed into a claim card is lost.
//
// Note, status and "private" need Save (tags save at once), so this tab keeps a draft of them
// per claim in sessionStorage as the reader types: it comes back when the card is rendered
// again (another claim opened and this one reopened, a tag added, a live update, a reload),
// with a visible hint and a Discard button, and leaving the page with a draft asks first.
// Drafts rather than autosave: a half-written note or a status the reader has not settled on
// is not published to the workspace (its activity log and live stream) on every pause.
// sessionStorage rather than localStorage: a draft stays with this tab and is gone when the
// tab is closed, so nothing lingers on a shared computer and two tabs never fight over one.
//
// The draft remembers the version it was started on and the values it started from. When
// the claim changed elsewhere in between, the draft keeps that old version, so Save is
// refused and the server shows the reader's text next to the current one to merge.
//
// Other typed fields (the tag input, replies) are carried across re-renders of the same card.
const PREFIX = "sourcemark:claim-draft:";

// The words a reader sees come from the page (templates/reading/js_messages.html, translated);
// "{name}" placeholders are filled in here.
function t(key, vars = {}) {
  const text = document.getElementById("js-messages")?.dataset[key] ?? "";
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

function store() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: drafts cannot be kept, the page still works
  }
}

function readDraft(claimId) {
  try {
    return JSON.parse(store()?.getItem(PREFIX + claimId) || "null");
  } catch {
    return null;
  }
}

function writeDraft(claimId, draft) {
  try {
    store()?.setItem(PREFIX + claimId, JSON.stringify(draft));
  } catch {
    // quota exceeded: keep what is on the page
  }
}

function dropDraft(claimId) {
  store()?.removeItem(PREFIX + claimId);
}

export function hasDrafts() {
  const storage = store();
  if (!storage) return false;
  for (let i = 0; i < storage.length; i += 1) {
    if (storage.key(i)?.startsWith(PREFIX)) return true;
  }
  return false;
}

function editForm(card) {
  return card?.querySelector("form.claim-edit[data-server-version]") || null;
}

// The claim as the server has it now (the card's data attributes).
function serverValues(form) {
  return {
    note: form.dataset.serverNote || "",
    status: form.dataset.serverStatus || "",
    private: form.dataset.serverPrivate === "1",
  };
}

function formValues(form) {
  return {
    note: form.elements.note.value.replace(/\r\n/g, "\n"),
    status: form.elements.status.value,
    private: Boolean(form.elements.visibility?.checked),
  };
}

function sameValues(a, b) {
  return a.note.trim() === b.note.trim() && a.status === b.status && a.private === b.private;
}

function setValues(form, values) {
  form.elements.note.value = values.note;
  form.elements.status.value = values.status;
  if (form.elements.visibility) form.elements.visibility.checked = values.private;
}

function removeHint(form) {
  form.querySelector(".draft-hint")?.remove();
}

function showHint(form, { stale }) {
  removeHint(form);
  const hint = document.createElement("p");
  hint.className = "draft-hint";
  hint.setAttribute("role", "status");
  hint.textContent = stale ? t("draftStale") : t("draftRestored");
  const discard = document.createElement("button");
  discard.type = "button";
  discard.className = "button button--link button--small";
  discard.dataset.action = "discard-draft";
  discard.textContent = t("discard");
  hint.append(discard);
  form.querySelector(".form-actions")?.before(hint);
}

// Keep (or drop) the draft after the reader typed or chose something.
function remember(card) {
  const form = editForm(card);
  if (!form) return;
  const claimId = card.dataset.claimId;
  const values = formValues(form);
  const version = form.elements.version.value;
  const previous = readDraft(claimId);
  const base = previous && String(previous.version) === version ? previous.base : serverValues(form);
  if (sameValues(values, serverValues(form))) {
    dropDraft(claimId); // nothing left to save
    form.elements.version.value = form.dataset.serverVersion;
    removeHint(form);
    return;
  }
  writeDraft(claimId, { version, base, values });
}

// A card was rendered: bring back this claim's draft, if any.
function restore(card) {
  const form = editForm(card);
  if (!form) return;
  const claimId = card.dataset.claimId;
  if (card.hasAttribute("data-conflict")) {
    // The server shows the reader's version next to the current one, based on the current
    // version: that is the draft from now on.
    remember(card);
    return;
  }
  const draft = readDraft(claimId);
  if (!draft) return;
  const server = serverValues(form);
  if (sameValues(draft.values, server)) {
    dropDraft(claimId); // saved (here, or the same text elsewhere)
    return;
  }
  // Unchanged since the draft began (e.g. only a tag was added): the draft moves on to the
  // current version. Changed: keep the old one, so saving cannot overwrite someone's edit.
  const rebase = sameValues(draft.base, server) ||
    String(draft.version) === form.dataset.serverVersion;
  const version = rebase ? form.dataset.serverVersion : String(draft.version);
  writeDraft(claimId, { version, base: rebase ? server : draft.base, values: draft.values });
  setValues(form, draft.values);
  form.elements.version.value = version;
  showHint(form, { stale: !rebase });
}

function discard(card) {
  const form = editForm(card);
  if (!card) return;
  dropDraft(card.dataset.claimId);
  if (!form) return;
  setValues(form, serverValues(form));
  form.elements.version.value = form.dataset.serverVersion;
  removeHint(form);
}

// --- Typed fields outside the edit form, carried across a re-render of the same card. ---
let carried = null;

function typedFields(card, skipForm) {
  const fields = {};
  for (const field of card.querySelectorAll("input[id], textarea[id]")) {
    if (field.closest("form.claim-edit") || (skipForm && field.form === skipForm)) continue;
    if (field.type === "hidden" || field.readOnly) continue;
    if (field.value !== field.defaultValue) fields[field.id] = field.value;
  }
  return fields;
}

function beforeCardSwap(event) {
  const card = event.detail.target.querySelector(".claim-card");
  if (!card) return;
  const submitted = event.detail.requestConfig?.elt?.closest?.("form") || null;
  if (submitted?.matches(".claim-delete")) {
    dropDraft(card.dataset.claimId); // the claim is gone with its draft
    return;
  }
  remember(card);
  const active = document.activeElement;
  carried = {
    claimId: card.dataset.claimId,
    fields: typedFields(card, submitted),
    focus: card.contains(active) && active.id && active.form !== submitted ? active.id : "",
    caret: card.contains(active) && "selectionStart" in active
      ? [active.selectionStart, active.selectionEnd] : null,
  };
}

function afterCardSwap(region) {
  const card = region.querySelector(".claim-card");
  const before = carried;
  carried = null;
  if (!card) return;
  if (before && before.claimId === card.dataset.claimId) {
    for (const [id, value] of Object.entries(before.fields)) {
      const field = document.getElementById(id);
      if (field && card.contains(field) && field.value === field.defaultValue) field.value = value;
    }
  }
  restore(card);
  if (before && before.claimId === card.dataset.claimId && before.focus) {
    const field = document.getElementById(before.focus);
    if (field && card.contains(field)) {
      field.focus();
      if (before.caret && field.setSelectionRange) {
        try {
          field.setSelectionRange(...before.caret);
        } catch {
          // not a text field
        }
      }
    }
  }
}

document.addEventListener("input", (event) => {
  const card = event.target.closest?.(".claim-card");
  if (card && event.target.closest("form.claim-edit")) remember(card);
});
document.addEventListener("change", (event) => {
  const card = event.target.closest?.(".claim-card");
  if (card && event.target.closest("form.claim-edit")) remember(card);
});
document.addEventListener("click", (event) => {
  const button = event.target.closest?.("[data-action='discard-draft']");
  if (!button) return;
  const card = button.closest(".claim-card");
  discard(card);
});
document.body.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target?.id === "claim-card" && event.detail.shouldSwap) beforeCardSwap(event);
});
document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target?.id === "claim-card") afterCardSwap(event.detail.target);
});
window.addEventListener("beforeunload", (event) => {
  if (!hasDrafts()) return;
  event.preventDefault();
  event.returnValue = ""; // older browsers need it to ask
});

// The claim's own page (and a reload of it) renders the card without htmx.
const pageCard = document.querySelector("#claim-card .claim-card");
if (pageCard) restore(pageCard);

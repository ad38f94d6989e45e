// Live updates on the reading page: one EventSource on the article's event stream. This module
// decides what to refresh without disturbing the reader: no refresh of the text while they
// are selecting, no reload of a claim card they are typing in, and a short notice of what
// others did.
const root = document.querySelector("[data-live-url]");
const blocks = document.getElementById("article-blocks");
const REFRESH_DELAY_MS = 120;
let lastEventId = null;
let refreshTimer = null;
let blocksPending = false;

const VERBS = {
  "claim.created": "new claim",
  "claim.updated": "edited a claim",
  "claim.deleted": "deleted a claim",
  "claim.moderated": "removed a claim",
  "claim.shared": "shared a claim",
  "claim.hidden": "made a claim private",
  "tag.added": "tagged a claim",
  "tag.removed": "removed a tag",
  "tag.renamed": "renamed a tag",
  "tag.merged": "merged tags",
  "tag.updated": "changed a tag",
  "reply.created": "replied",
  "reply.updated": "edited a reply",
  "reply.deleted": "deleted a reply",
  "suggestions.found": "found suggested claims",
  "suggestion.accepted": "accepted a suggested claim",
  "suggestion.dismissed": "dismissed suggested claims",
};

function selecting() {
  const selection = window.getSelection();
  return Boolean(
    selection && !selection.isCollapsed && blocks && selection.rangeCount &&
      blocks.contains(selection.getRangeAt(0).commonAncestorContainer),
  );
}

function refreshBlocks() {
  if (selecting()) {
    blocksPending = true; // after the reader finishes selecting
    return;
  }
  blocksPending = false;
  // Each region is its own request's source: htmx.ajax without one queues every call on
  // <body>, where a newer request replaces a waiting one (a card could fail to open).
  window.htmx.ajax("GET", blocks.getAttribute("hx-get"), {
    source: "#article-blocks", target: "#article-blocks", swap: "innerHTML",
  });
}

function refreshPanel() {
  const panel = document.getElementById("claim-panel");
  if (panel) {
    window.htmx.ajax("GET", panel.getAttribute("hx-get"), {
      source: "#claim-panel", target: "#claim-panel", swap: "outerHTML",
    });
  }
}

function scheduleRefresh() {
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => {
    refreshBlocks();
    refreshPanel();
  }, REFRESH_DELAY_MS);
}

function notice(text) {
  const box = document.getElementById("live-notice");
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
  window.clearTimeout(box._timer);
  box._timer = window.setTimeout(() => { box.hidden = true; }, 6000);
}

function updateOpenCard(event) {
  const card = document.querySelector("#claim-card .claim-card");
  if (!card || String(card.dataset.claimId) !== String(event.claim) || event.mine) return;
  const gone = ["claim.deleted", "claim.moderated", "claim.hidden"].includes(event.verb);
  if (gone) {
    const region = document.getElementById("claim-card");
    region.replaceChildren();
    const p = document.createElement("p");
    p.className = "muted hint";
    p.textContent = `This claim is no longer available: ${event.actor} ${VERBS[event.verb] || "changed it"}.`;
    region.append(p);
    return;
  }
  const busy = card.contains(document.activeElement) &&
    document.activeElement.matches("input, textarea, select");
  if (busy) {
    notice(`${event.actor} changed the claim you are editing; your edit will be checked against theirs.`);
    return true;
  } else {
    window.htmx.ajax("GET", `/claims/${encodeURIComponent(event.claim)}/`, {
      source: "#claim-card", target: "#claim-card", swap: "innerHTML",
    });
  }
}

function setStatus(state) {
  const status = document.getElementById("live-status");
  if (!status) return;
  status.dataset.state = state;
  status.textContent = { live: "Live", offline: "Offline" }[state] || "Reconnecting…";
}

function handle(data, id) {
  let event;
  try {
    event = JSON.parse(data);
  } catch {
    return;
  }
  lastEventId = id || event.id;
  document.dispatchEvent(new CustomEvent("sourcemark:live", { detail: event }));
  scheduleRefresh();
  const toldAlready = updateOpenCard(event);
  if (!event.mine && event.actor && !toldAlready) {
    const what = VERBS[event.verb] || "made a change";
    notice(event.verb === "claim.created" ? `1 new claim by ${event.actor}` : `${event.actor} ${what}`);
  }
}

// The browser's EventSource reconnects by itself and sends Last-Event-ID, so nothing is
// missed; only when it gives up (an HTTP error) do we start a new one, resuming with ?since=.
function connect(delay = 1000) {
  const url = new URL(root.dataset.liveUrl, window.location.href);
  if (lastEventId !== null) url.searchParams.set("since", lastEventId);
  const source = new EventSource(url.toString());
  source.addEventListener("open", () => {
    setStatus("live");
    delay = 1000;
  });
  source.addEventListener("claims-changed", (message) => handle(message.data, message.lastEventId));
  source.addEventListener("access-lost", () => {
    source.close();
    setStatus("offline");
    notice("You no longer have access to this workspace.");
  });
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) {
      setStatus("reconnecting");
      window.setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    } else {
      setStatus("reconnecting");
    }
  });
}

if (root && blocks && window.htmx) {
  connect();
  document.addEventListener("selectionchange", () => {
    if (blocksPending && !selecting()) refreshBlocks();
  });
}

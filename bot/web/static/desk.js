// The supporters' desk, live: an event stream (server-sent events) nudges the page when
// the queue, a conversation, a transfer or the leads' inbox changes; the page then
// fetches itself again and takes the parts that changed from the server's own HTML, so
// every word stays in the reviewed templates. Forms are sent without reloading the
// page. Alerts (sound, desktop notification, title) come from what changed.
"use strict";

(function () {
  const wordsNode = document.getElementById("desk-words");
  const words = wordsNode ? JSON.parse(wordsNode.textContent) : {};
  const baseTitle = document.title;
  let audio = null;
  let urgentTimer = null;
  let known = null; // what the last look saw: waiting ids, urgent ids, mine ids, unread
  let refreshing = null;
  let again = false;
  let signedOut = false;
  let source = null;

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ""));
  }

  // -- connection state --------------------------------------------------------
  function conn(state) {
    const node = document.getElementById("conn");
    if (!node) return;
    node.dataset.state = state;
    const label = document.getElementById("conn-text");
    if (label) label.textContent = words[state === "live" ? "connected" : state] || "";
  }

  function toSignedOut() {
    signedOut = true;
    conn("signed_out");
    if (source) source.close();
    // Never leave an empty list that reads as "nobody is waiting".
    for (const id of ["waiting-rows", "mine-rows"]) {
      const list = document.getElementById(id);
      if (list) list.replaceChildren();
    }
    const take = document.getElementById("take-next");
    if (take) take.disabled = true;
    const node = document.getElementById("conn");
    if (node && !node.querySelector("a")) {
      const again = document.createElement("a");
      again.href = "/dashboard/login";
      again.textContent = words.sign_in_again || "";
      node.append(" ", again);
    }
    document.title = words.signed_out ? "⚠ " + baseTitle : baseTitle;
  }

  async function fetchPage(url, options) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store", ...options });
    if (response.redirected && /\/dashboard\/login$/.test(new URL(response.url).pathname)) {
      toSignedOut();
      return null;
    }
    return response;
  }

  function connect() {
    const pane = document.querySelector("[data-events]") || document.querySelector("[data-live-view]");
    if (!pane || signedOut) return;
    source = new EventSource("/dashboard/events");
    source.addEventListener("open", () => { conn("live"); refresh(); });
    source.addEventListener("signed_out", toSignedOut);
    for (const kind of ["hello", "queue", "line", "transfer", "inbox"]) {
      source.addEventListener(kind, () => refresh());
    }
    source.addEventListener("error", async () => {
      if (signedOut) return;
      conn("reconnecting");
      // Closed for good (a redirect to the login page, say): find out why, try again.
      if (source.readyState === EventSource.CLOSED) {
        try { await fetchPage(location.href); } catch (error) { /* offline */ }
        if (!signedOut) setTimeout(connect, 2000);
      }
    });
  }

  // -- taking what changed from the server's page ------------------------------
  function swap(doc, id) {
    const fresh = doc.getElementById(id);
    const old = document.getElementById(id);
    if (fresh && old) old.replaceWith(fresh);
  }

  function mergeLines(doc) {
    const list = document.getElementById("lines");
    const fresh = doc.getElementById("lines");
    if (!list || !fresh) return;
    const have = new Set([...list.children].map((li) => li.dataset.key));
    let added = false;
    for (const li of [...fresh.children]) {
      if (!have.has(li.dataset.key)) { list.append(li); added = true; }
    }
    const live = Boolean(doc.getElementById("say"));
    if (!live) {
      for (const form of list.querySelectorAll("form.missed")) form.remove();
      const say = document.getElementById("say");
      if (say) say.remove();
    }
    const banner = document.getElementById("ended-banner");
    const freshBanner = doc.getElementById("ended-banner");
    if (banner && freshBanner) { banner.hidden = freshBanner.hidden; banner.textContent = freshBanner.textContent; }
    if (added) list.scrollTop = list.scrollHeight;
  }

  function look() {
    const waiting = [...document.querySelectorAll("#waiting-rows li[data-id]")];
    const mine = [...document.querySelectorAll("#mine-rows li[data-id]")];
    return {
      waiting: new Set(waiting.map((li) => li.dataset.id)),
      urgent: new Set(waiting.filter((li) => li.dataset.urgent).map((li) => li.dataset.id)),
      mine: new Map(mine.map((li) => [li.dataset.id, li])),
    };
  }

  async function refresh() {
    if (refreshing) { again = true; return refreshing; }
    refreshing = (async () => {
      do {
        again = false;
        try {
          const response = await fetchPage(location.href);
          if (!response || !response.ok) continue;
          const doc = new DOMParser().parseFromString(await response.text(), "text/html");
          swap(doc, "queue");
          swap(doc, "take-form");
          swap(doc, "live-view");
          mergeLines(doc);
          bindForms(document);
          alertOnChange();
        } catch (error) { /* keep what is shown; the stream will nudge again */ }
      } while (again);
      refreshing = null;
    })();
    return refreshing;
  }

  // -- alerts ------------------------------------------------------------------
  function muted() {
    const node = document.querySelector("[data-muted]");
    return new Set(((node && node.dataset.muted) || "").split(",").filter(Boolean));
  }

  function beep(loud) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const now = audio.currentTime;
      for (const [offset, pitch] of loud ? [[0, 880], [0.25, 660], [0.5, 880]] : [[0, 660]]) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = pitch;
        gain.gain.setValueAtTime(loud ? 0.6 : 0.15, now + offset);
        gain.gain.exponentialRampToValueAtTime(0.001, now + offset + 0.2);
        osc.connect(gain).connect(audio.destination);
        osc.start(now + offset);
        osc.stop(now + offset + 0.22);
      }
    } catch (error) { /* no sound available */ }
  }

  function notify(text, tag) {
    if ("Notification" in window && Notification.permission === "granted") {
      try { new Notification(text, { tag }); } catch (error) { /* not allowed here */ }
    }
  }

  function alertNow(kind, text) {
    if (muted().has(kind)) return;
    window.deskAlerts = (window.deskAlerts || []).concat([{ kind, text }]); // for tests
    beep(kind === "urgent");
    notify(text, kind);
    if (kind === "urgent") {
      const banner = document.getElementById("alert-banner");
      if (banner) { banner.hidden = false; document.getElementById("alert-text").textContent = text; }
      clearInterval(urgentTimer);
      urgentTimer = setInterval(() => beep(true), 4000); // until acknowledged
    }
  }

  function alertOnChange() {
    const now = look();
    let unread = 0;
    for (const li of now.mine.values()) unread += Number(li.dataset.unread || 0);
    document.title = (now.waiting.size + unread > 0 ? "(" + (now.waiting.size + unread) + ") " : "") + baseTitle;
    if (now.urgent.size === 0 && urgentTimer) {
      // Whoever was urgent has been taken: the alarm has done its work.
      clearInterval(urgentTimer);
      urgentTimer = null;
      const banner = document.getElementById("alert-banner");
      if (banner) banner.hidden = true;
    }
    if (known) {
      for (const id of now.urgent) if (!known.urgent.has(id)) { alertNow("urgent", words.alert_urgent); break; }
      for (const id of now.waiting) if (!known.waiting.has(id) && !now.urgent.has(id)) { alertNow("new", words.alert_new); break; }
      for (const [id, li] of now.mine) {
        const before = known.mine.get(id);
        if (!before && li.dataset.transferred) alertNow("transfer", words.alert_transfer);
        else if (before && Number(li.dataset.unread || 0) > Number(before.dataset.unread || 0)) {
          alertNow("line", fill(words.alert_line, { person: li.dataset.person }));
        }
      }
      const open = document.getElementById("conversation");
      if (open && document.hidden && known.lines !== undefined) {
        const count = document.querySelectorAll("#lines li.person").length;
        if (count > known.lines) alertNow("line", fill(words.alert_line, { person: open.dataset.person }));
      }
    }
    known = { ...now, lines: document.querySelectorAll("#lines li.person").length };
  }

  // -- forms without a reload ----------------------------------------------------
  async function navigate(response, push) {
    if (!response) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const main = doc.getElementById("content");
    if (!main) { location.assign(location.href); return; } // not a page of ours: load it plainly
    document.getElementById("content").replaceWith(main);
    document.title = doc.title;
    if (push) history.pushState({}, "", response.url);
    start(false);
  }

  async function send(form) {
    const body = new URLSearchParams(new FormData(form));
    if ((form.getAttribute("method") || "get").toLowerCase() === "get") {
      return fetchPage(form.action + "?" + body.toString());
    }
    return fetchPage(form.action, { method: "POST", body });
  }

  function bindForms(root) {
    for (const form of root.querySelectorAll("#content form:not([data-bound])")) {
      form.dataset.bound = "1";
      if (form.id === "say") continue;
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        for (const button of form.querySelectorAll("button")) button.disabled = true;
        try { await navigate(await send(form), true); } catch (error) { console.error("desk form", error); HTMLFormElement.prototype.submit.call(form); }
      });
    }
    for (const link of root.querySelectorAll("#mine-rows a:not([data-bound])")) {
      link.dataset.bound = "1";
      link.addEventListener("click", async (event) => {
        event.preventDefault();
        await navigate(await fetchPage(link.href), true);
      });
    }
  }

  function composer() {
    const form = document.getElementById("say");
    const list = document.getElementById("lines");
    if (list) list.scrollTop = list.scrollHeight;
    if (!form || form.dataset.composer) return;
    form.dataset.composer = "1";
    const box = form.querySelector("textarea");
    async function sendLine() {
      if (!box.value.trim()) return;
      const body = new URLSearchParams(new FormData(form));
      const response = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin", headers: { "x-requested-with": "fetch" },
      });
      if (response.ok) { box.value = ""; refresh(); }
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); sendLine(); });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); sendLine(); }
    });
    const canned = document.getElementById("canned");
    if (canned) canned.addEventListener("change", () => { if (canned.value) { box.value = canned.value; box.focus(); } canned.value = ""; });
    box.focus();
  }

  function start(first) {
    bindForms(document);
    composer();
    const ack = document.getElementById("alert-ack");
    if (ack) ack.addEventListener("click", () => {
      clearInterval(urgentTimer);
      document.getElementById("alert-banner").hidden = true;
    });
    const ask = document.getElementById("notify-ask");
    if (ask && "Notification" in window && Notification.permission === "default") {
      ask.hidden = false;
      ask.addEventListener("click", () => Notification.requestPermission().then(() => { ask.hidden = true; }));
    }
    conn(source && source.readyState === EventSource.OPEN ? "live" : signedOut ? "signed_out" : "reconnecting");
    if (first) { alertOnChange(); connect(); } else { known = null; alertOnChange(); }
  }

  // The sign-in page asks for desktop notifications (a click is needed to ask).
  const login = document.querySelector("form[action='/dashboard/login']");
  if (login) {
    login.addEventListener("submit", () => {
      if ("Notification" in window && Notification.permission === "default") Notification.requestPermission();
    });
    return;
  }

  document.addEventListener("keydown", (event) => {
    if (!event.altKey) return;
    if (event.key === "n" || event.key === "N") {
      const take = document.getElementById("take-next");
      if (take && !take.disabled) { event.preventDefault(); take.click(); }
    } else if (/^[1-9]$/.test(event.key)) {
      const link = document.querySelectorAll("#mine-rows a")[Number(event.key) - 1];
      if (link) { event.preventDefault(); link.click(); }
    }
  });
  // Sound needs a press first (browsers' rule): unlock it on the first one.
  document.addEventListener("pointerdown", () => { if (audio) audio.resume(); }, { once: true });
  window.addEventListener("popstate", async () => navigate(await fetchPage(location.href), false));
  start(true);
})();

// The web chat: send what the person types or picks, long-poll for replies, and keep
// the conversation on this device (both sides of it) across reloads and tabs.
// Every word shown comes from the server (the page's template or the replies);
// replies are built as text and link nodes, never as markup.
"use strict";

(() => {
  const words = document.getElementById("words").dataset;
  const log = document.getElementById("log");
  const optionsBox = document.getElementById("options");
  const form = document.getElementById("compose");
  const input = document.getElementById("text");
  const status = document.getElementById("status");
  const exit = document.getElementById("quick-exit");
  const privateBox = document.getElementById("private");
  const forgetDevice = document.getElementById("forget-device");
  const KEYS = ["wr-token", "wr-after", "wr-log", "wr-options"];
  const MAX_KEPT = 300; // lines kept on the device

  // Where the conversation is kept: localStorage (every tab, after a reload) unless the
  // person chose not to be remembered here; then sessionStorage, this tab only. If the
  // browser refuses storage altogether, memory (gone at a reload).
  const memory = new Map();
  const inMemory = {
    getItem: (k) => (memory.has(k) ? memory.get(k) : null),
    setItem: (k, v) => memory.set(k, String(v)),
    removeItem: (k) => memory.delete(k),
  };
  function usable(storage) {
    try { storage.setItem("wr-probe", "1"); storage.removeItem("wr-probe"); return storage; } catch (e) { return null; }
  }
  const local = usable(window.localStorage) || inMemory;
  const session = usable(window.sessionStorage) || inMemory;
  let store = session.getItem("wr-private") === "1" ? session : local;
  privateBox.checked = store === session;

  const read = (key, fallback) => {
    try { const raw = store.getItem(key); return raw === null ? fallback : JSON.parse(raw); } catch (e) { return fallback; }
  };
  // After a quick exit nothing is ever written again, whatever lands later (a reply, a
  // poll, a retried send): the page may live on for a moment while the browser leaves.
  let gone = false;
  const write = (key, value) => {
    if (gone) return;
    try { store.setItem(key, JSON.stringify(value)); } catch (e) { /* full: keep going */ }
  };

  let token = read("wr-token", null);
  let after = read("wr-after", 0);
  let lines = read("wr-log", []);
  let offered = read("wr-options", []);
  let pressed = false; // the last thing the person did was press a choice
  let polling = null; // AbortController of the long poll in flight

  function wipe() {
    for (const key of KEYS) { local.removeItem(key); session.removeItem(key); inMemory.removeItem(key); }
    session.removeItem("wr-private");
  }

  function leave(event) {
    if (event) event.preventDefault();
    gone = true;
    if (polling) polling.abort();
    wipe();
    try { sessionStorage.clear(); } catch (e) { /* nothing kept */ }
    // Other tabs of this chat leave too (they hear this as a storage event), so none of
    // them writes the conversation back. Set and removed at once: nothing stays.
    try { local.setItem("wr-exit", "1"); local.removeItem("wr-exit"); } catch (e) { /* no storage */ }
    lines = []; offered = []; token = null;
    log.replaceChildren(); optionsBox.replaceChildren();
    // replace(): the chat does not stay in the back-button history.
    window.location.replace(exit.dataset.url);
  }
  exit.addEventListener("click", leave);
  // Belt and braces: whatever ran between the exit and the page going, wipe once more.
  window.addEventListener("pagehide", () => { if (gone) wipe(); });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") leave(event); });

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // Text with its links ([start, end, href] from the server) as DOM nodes.
  function linked(text, links) {
    const part = document.createDocumentFragment();
    let at = 0;
    for (const [start, end, href] of links || []) {
      if (start < at || end > text.length) continue;
      if (!/^(tel:|sms:|https:\/\/)/i.test(href)) continue; // nothing else is ever a link
      part.append(document.createTextNode(text.slice(at, start)));
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text.slice(start, end);
      if (href.startsWith("https:")) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
      part.append(a);
      at = end;
    }
    part.append(document.createTextNode(text.slice(at)));
    return part;
  }

  function planTools(text) {
    const tools = document.createElement("div");
    tools.className = "plan-tools";
    const print = document.createElement("button");
    print.type = "button";
    print.textContent = words.printPlan;
    print.addEventListener("click", (event) => {
      const item = event.target.closest("li");
      item.classList.add("printing");
      document.body.classList.add("printing");
      window.print();
      document.body.classList.remove("printing");
      item.classList.remove("printing");
    });
    const save = document.createElement("a");
    save.textContent = words.savePlan;
    save.download = words.planFile;
    save.href = URL.createObjectURL(new Blob([text + "\n"], { type: "text/plain;charset=utf-8" }));
    tools.append(print, save);
    return tools;
  }

  function draw(line) {
    const item = document.createElement("li");
    item.className = line.who + (line.urgent ? " urgent" : "");
    item.tabIndex = -1; // focus can be moved here after a choice
    const label = document.createElement("span");
    label.className = "who";
    label.textContent = line.who === "bot" ? words.bot : words.you;
    const text = document.createElement("span");
    text.className = "text";
    text.append(linked(line.text, line.links));
    item.append(label, text);
    if (line.key === "plan_show") item.append(planTools(line.text));
    log.append(item);
    return item;
  }

  function offer(options) {
    optionsBox.replaceChildren();
    for (const [id, label] of options) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.dataset.option = id;
      button.addEventListener("click", () => {
        pressed = true;
        say({ who: "person", text: label });
        post({ option: id });
      });
      optionsBox.append(button);
    }
  }

  function redraw() {
    log.replaceChildren();
    for (const line of lines) draw(line);
    offer(offered);
  }

  // Nothing is written to the device until there is a conversation (a first message):
  // a visit alone leaves no trace.
  function keep() {
    lines = lines.slice(-MAX_KEPT);
    if (!token || gone) return;
    write("wr-log", lines);
    write("wr-options", offered);
    write("wr-after", after);
    write("wr-token", token);
  }

  function say(line) {
    if (gone) return null;
    lines.push(line);
    keep();
    return draw(line);
  }

  // The greeting and menu at once, before anything is typed (not yet a conversation).
  function greet() {
    if (lines.length) return;
    const greeting = JSON.parse(words.greeting);
    lines = [{ who: "bot", id: 0, key: greeting.key, text: greeting.text, links: greeting.links, greeting: true }];
    offered = greeting.options;
  }

  // One new chat at a time: a send and a choice pressed before the first session has
  // come back share it, rather than each starting a conversation of its own (the later
  // one would take over the page while the earlier went on without anyone reading it).
  let starting = null;
  async function startSession() {
    const response = await fetch("/api/chat/session", { method: "POST" });
    const body = await response.json();
    if (!body.token) {
      // Too many new chats from this address: no chat yet, but always the numbers.
      if (body.safety_net) say({ who: "bot", text: body.safety_net.text, urgent: true, links: body.safety_net.links });
      throw new Error(String(response.status));
    }
    if (gone) throw new Error("gone");
    token = body.token;
    keep();
    return token;
  }
  function ensureSession() {
    if (token) return Promise.resolve(token);
    if (!starting) starting = startSession().finally(() => { starting = null; });
    return starting;
  }

  // A token the service refused (a restored database, a conversation past retention):
  // let go of it, unless a newer one has already taken its place.
  function refused(used) {
    if (token !== used) return;
    local.removeItem("wr-token"); session.removeItem("wr-token");
    token = null;
    // The cursor and reply ids were the old conversation's: a restored or emptied
    // database numbers the new one's replies from 1 again, and they would be taken for
    // replies already shown (or never asked for). The old lines stay on screen.
    after = 0;
    lines = lines.map(({ id, ...line }) => line);
    write("wr-log", lines);
    write("wr-after", after);
  }

  // The same client_id on every retry: the server stores a message once.
  async function post(payload) {
    const message = { client_id: randomId(), ...payload };
    status.textContent = "";
    for (let attempt = 0; !gone; attempt++) {
      try {
        const used = await ensureSession();
        const response = await fetch("/api/chat/messages", {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: "Bearer " + used },
          body: JSON.stringify(message),
        });
        if (response.status === 401) {
          // Start afresh: the same message goes again, at once the first time, to a new
          // conversation (then with the usual pause, should even a new one be refused).
          refused(used);
          if (attempt === 0) continue;
        } else if (response.status === 503) {
          const body = await response.json();
          if (body.safety_net) say({ who: "bot", text: body.safety_net.text, urgent: true, links: body.safety_net.links });
        } else if (response.ok || response.status < 500) {
          status.textContent = "";
          if (polling) polling.abort(); // a poll started before the token: start again
          return;
        }
      } catch (error) {
        // network trouble: fall through to retry
      }
      status.textContent = words.retrying;
      await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** attempt)));
    }
  }

  function arrived(messages) {
    if (gone) return;
    // Another tab may have shown some of these already: read what is kept first.
    lines = read("wr-log", lines);
    const seen = new Set(lines.filter((l) => l.id).map((l) => l.id));
    // The page already greeted: the engine's own greeting, said with a first answer,
    // would only repeat it.
    const greeted = lines.length && lines[0].greeting;
    let first = null;
    messages.forEach((message, i) => {
      after = Math.max(after, message.id);
      if (seen.has(message.id)) return;
      if (greeted && message.key === "greeting" && i < messages.length - 1) return;
      const item = say({ who: "bot", id: message.id, key: message.key, text: message.text, urgent: message.urgent, links: message.links });
      first = first || item;
    });
    const last = messages.filter((m) => m.options && m.options.length).pop();
    if (last) { offered = last.options; offer(offered); }
    keep();
    if (first) {
      // The top of the newest reply in view, its choices just under it; after a
      // choice, focus goes to that reply (read out there), not to the page body.
      first.scrollIntoView({ block: "start" });
      if (pressed) { first.focus({ preventScroll: true }); pressed = false; }
    }
    if (messages.some((m) => m.key === "forgotten")) {
      // Everything was deleted: nothing in this browser links to it any more, and a
      // next message starts a new conversation.
      for (const key of KEYS) store.removeItem(key);
      token = null;
      after = 0;
      lines = lines.filter((l) => !l.greeting);
      keep();
    }
  }

  async function poll() {
    while (!gone) {
      try {
        if (!token) { await new Promise((r) => setTimeout(r, 500)); continue; }
        polling = new AbortController();
        const used = token;
        const response = await fetch(`/api/chat/messages?after=${after}&wait=25`, {
          headers: { Authorization: "Bearer " + used },
          signal: polling.signal,
        });
        if (response.status === 401) { refused(used); continue; }
        if (!response.ok) throw new Error(String(response.status));
        const { messages } = await response.json();
        if (token) arrived(messages);
        if (status.textContent === words.retrying) status.textContent = "";
      } catch (error) {
        if (error.name === "AbortError") continue;
        status.textContent = words.retrying;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  // Back to this tab (a phone wakes it, the person switches back): ask at once for what
  // the supporter wrote while it was away, rather than waiting out a stale poll.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && polling) polling.abort();
  });

  // Another tab wrote to the conversation, or wiped it.
  window.addEventListener("storage", (event) => {
    if (event.key === "wr-exit" && event.newValue) { leave(); return; }
    if (gone) return;
    if (store !== local || (event.key !== null && !KEYS.includes(event.key))) return;
    token = read("wr-token", null);
    after = Math.max(read("wr-after", 0), token ? after : 0);
    lines = read("wr-log", []);
    offered = read("wr-options", []);
    if (!token && !lines.length) greet();
    redraw();
  });

  privateBox.addEventListener("change", () => {
    if (gone) return;
    const from = store;
    store = privateBox.checked ? session : local;
    if (store === from) return;
    if (privateBox.checked) session.setItem("wr-private", "1"); else session.removeItem("wr-private");
    for (const key of KEYS) {
      const value = from.getItem(key);
      from.removeItem(key);
      if (value !== null) store.setItem(key, value);
    }
  });

  forgetDevice.addEventListener("click", () => {
    wipe();
    privateBox.checked = false;
    store = local;
    token = null;
    after = 0;
    lines = [];
    offered = [];
    if (polling) polling.abort();
    greet();
    redraw();
    status.textContent = words.deviceForgotten;
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    pressed = false;
    say({ who: "person", text });
    post({ text });
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  greet();
  redraw();
  poll();
})();

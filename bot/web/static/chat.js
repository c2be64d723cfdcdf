// The web chat: send what the person types or picks, long-poll for replies.
// Every word shown comes from the server (the page's template or the replies);
// replies are inserted as text, never as markup.
"use strict";

(() => {
  const words = document.getElementById("words").dataset;
  const log = document.getElementById("log");
  const optionsBox = document.getElementById("options");
  const form = document.getElementById("compose");
  const input = document.getElementById("text");
  const status = document.getElementById("status");
  const exit = document.getElementById("quick-exit");
  let token = sessionStorage.getItem("wr-token");
  let after = 0;

  function leave(event) {
    if (event) event.preventDefault();
    sessionStorage.clear();
    // replace(): the chat does not stay in the back-button history.
    window.location.replace(exit.dataset.url);
  }
  exit.addEventListener("click", leave);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") leave(event); });

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function show(who, text, urgent) {
    const item = document.createElement("li");
    item.className = who + (urgent ? " urgent" : "");
    const label = document.createElement("span");
    label.className = "who";
    label.textContent = who === "bot" ? words.bot : words.you;
    item.append(label, document.createTextNode(text));
    log.append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function offer(options) {
    optionsBox.replaceChildren();
    for (const [id, label] of options) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.dataset.option = id;
      button.addEventListener("click", () => { show("person", label, false); post({ option: id }); });
      optionsBox.append(button);
    }
  }

  async function ensureSession() {
    if (token) return token;
    const response = await fetch("/api/chat/session", { method: "POST" });
    const body = await response.json();
    if (!body.token) {
      // Too many new chats from this address: no chat yet, but always the numbers.
      if (body.safety_net) show("bot", body.safety_net.text, true);
      throw new Error(String(response.status));
    }
    token = body.token;
    sessionStorage.setItem("wr-token", token);
    return token;
  }

  // The same client_id on every retry: the server stores a message once.
  async function post(payload) {
    const message = { client_id: randomId(), ...payload };
    status.textContent = "";
    for (let attempt = 0; ; attempt++) {
      try {
        await ensureSession();
        const response = await fetch("/api/chat/messages", {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
          body: JSON.stringify(message),
        });
        if (response.status === 401) {
          // A token this service does not know (a restored database, say): start afresh.
          sessionStorage.removeItem("wr-token");
          token = null;
        } else if (response.status === 503) {
          const body = await response.json();
          if (body.safety_net) show("bot", body.safety_net.text, true);
        } else if (response.ok || response.status < 500) {
          status.textContent = "";
          return;
        }
      } catch (error) {
        // network trouble: fall through to retry
      }
      status.textContent = words.retrying;
      await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** attempt)));
    }
  }

  async function poll() {
    for (;;) {
      try {
        if (!token) { await new Promise((r) => setTimeout(r, 500)); continue; }
        const response = await fetch(`/api/chat/messages?after=${after}&wait=25`, {
          headers: { Authorization: "Bearer " + token },
        });
        if (response.status === 401) { sessionStorage.removeItem("wr-token"); token = null; }
        if (!response.ok) throw new Error(String(response.status));
        const { messages } = await response.json();
        for (const message of messages) {
          after = Math.max(after, message.id);
          show("bot", message.text, message.urgent);
        }
        const last = messages.filter((m) => m.options && m.options.length).pop();
        if (last) offer(last.options);
        if (messages.some((m) => m.key === "forgotten")) {
          // Everything was deleted: nothing in this browser links to it any more, and a
          // next message starts a new conversation.
          sessionStorage.removeItem("wr-token");
          token = null;
          after = 0;
        }
        if (status.textContent === words.retrying) status.textContent = "";
      } catch (error) {
        status.textContent = words.retrying;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    show("person", text, false);
    post({ text });
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  poll();
})();

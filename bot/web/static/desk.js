// Live updates for the supporters' desk: the queue on the home page, the chat view.
// Everything from the server is set as text, never as HTML.
"use strict";

(function () {
  const POLL_MS = 2000;

  function text(node, value) { node.textContent = value; return node; }

  async function fetchJson(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  function queuePage(section) {
    const rows = document.getElementById("waiting-rows");
    const mine = document.getElementById("mine-rows");
    const count = document.getElementById("waiting-count");
    const template = document.getElementById("waiting-row");
    async function refresh() {
      try {
        const data = await fetchJson(section.dataset.queue);
        rows.replaceChildren();
        text(count, "(" + data.waiting.length + ")");
        if (data.waiting.length === 0) {
          const tr = document.createElement("tr");
          const td = text(document.createElement("td"), "Nobody is waiting.");
          td.colSpan = 5; tr.append(td); rows.append(tr);
        }
        for (const item of data.waiting) {
          const row = template.content.firstElementChild.cloneNode(true);
          text(row.querySelector(".person"), item.person + (item.carer ? " (carer)" : ""));
          text(row.querySelector(".priority"), item.priority);
          if (item.urgent) row.classList.add("urgent");
          text(row.querySelector(".minutes"), item.minutes + " min");
          text(row.querySelector(".topic"), item.topic);
          row.querySelector("input[name=handoff_id]").value = String(item.id);
          row.querySelector("button").disabled = !data.room;
          rows.append(row);
        }
        mine.replaceChildren();
        if (data.mine.length === 0) mine.append(text(document.createElement("li"), "None right now."));
        for (const item of data.mine) {
          const li = document.createElement("li");
          const a = text(document.createElement("a"), item.person + (item.urgent ? " (urgent)" : ""));
          a.href = "/dashboard/chat/" + item.id;
          li.append(a); mine.append(li);
        }
        document.getElementById("take-next").disabled = !data.room;
      } catch (error) { /* keep what is shown; try again */ }
    }
    refresh();
    setInterval(refresh, POLL_MS);
  }

  function chatPage(list) {
    const template = document.getElementById("line");
    const form = document.getElementById("say");
    const who = { person: list.dataset.person, supporter: "Supporter", bot: "Bot" };
    const seen = new Set([...list.querySelectorAll("li.line")].map((li) => li.dataset.key));
    async function refresh() {
      try {
        const data = await fetchJson(list.dataset.lines);
        for (const line of data.lines) {
          const key = line.who + "-" + line.id;
          if (seen.has(key)) continue;
          seen.add(key);
          const li = template.content.firstElementChild.cloneNode(true);
          li.classList.add(line.who);
          li.dataset.key = key;
          text(li.querySelector(".who"), who[line.who] || line.who);
          text(li.querySelector(".text"), line.text);
          list.append(li);
        }
        if (!data.live && form) form.hidden = true;
      } catch (error) { /* try again */ }
    }
    if (form) {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const body = new URLSearchParams(new FormData(form));
        const response = await fetch(form.action, {
          method: "POST", body, credentials: "same-origin", headers: { "x-requested-with": "fetch" },
        });
        if (response.ok) { form.querySelector("textarea").value = ""; refresh(); }
      });
    }
    setInterval(refresh, POLL_MS);
  }

  const section = document.querySelector("[data-queue]");
  if (section) queuePage(section);
  const lines = document.querySelector("[data-lines]");
  if (lines) chatPage(lines);
})();

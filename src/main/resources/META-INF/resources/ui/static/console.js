// Sluice console: progressive enhancement only. Pages work without it; with it, times show in the
// viewer's zone, parts of a page marked data-live refresh when the watch API reports a change, and
// a run's log follows its running pod. No dependencies, nothing fetched from other sites.
"use strict";

const MAX_LOG_CHARS = 2 * 1024 * 1024;

function localTimes(root) {
  root.querySelectorAll("time[datetime]").forEach((t) => {
    const when = new Date(t.getAttribute("datetime"));
    if (!isNaN(when)) {
      t.textContent = when.toLocaleString();
      t.title = t.getAttribute("datetime") + " (UTC)";
    }
  });
}

function setLiveStatus(text) {
  const status = document.getElementById("live-status");
  if (status) status.textContent = text;
}

// Re-reads this page and swaps in its live parts; at most one read in flight, debounced.
let refreshTimer = null;
let refreshing = false;
let refreshAgain = false;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 250);
}
async function refresh() {
  if (refreshing) { refreshAgain = true; return; }
  refreshing = true;
  try {
    const response = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (response.redirected && new URL(response.url).pathname.startsWith("/ui/login")) {
      location.href = response.url;
      return;
    }
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    document.querySelectorAll("[data-live][id]").forEach((region) => {
      const next = fresh.getElementById(region.id);
      if (next && !region.contains(document.activeElement)) {
        region.replaceWith(next);
        localTimes(next);
      }
    });
    document.dispatchEvent(new CustomEvent("sluice:refreshed"));
  } finally {
    refreshing = false;
    if (refreshAgain) { refreshAgain = false; scheduleRefresh(); }
  }
}

// One EventSource per watched list; it resumes by itself (Last-Event-ID) after a drop.
function watchLiveRegions() {
  const urls = new Set();
  document.querySelectorAll("[data-live][data-watch]").forEach((r) => { if (r.dataset.watch) urls.add(r.dataset.watch); });
  urls.forEach((url) => {
    const source = new EventSource(url, { withCredentials: true });
    source.onopen = () => setLiveStatus("● Live");
    source.onerror = () => setLiveStatus(source.readyState === EventSource.CLOSED ? "Live updates stopped" : "Reconnecting…");
    ["ADDED", "MODIFIED", "DELETED"].forEach((type) => source.addEventListener(type, scheduleRefresh));
    // The server says the position is gone (410) or it cannot go on: start over from a fresh page.
    source.addEventListener("ERROR", () => { source.close(); location.reload(); });
    window.addEventListener("pagehide", () => source.close());
  });
}

async function followLog(pre) {
  const state = document.getElementById("log-state");
  const say = (text) => { if (state) state.textContent = text; };
  const follow = pre.dataset.follow === "true";
  for (let attempt = 0; attempt < 120; attempt++) {
    const response = await fetch(pre.dataset.log + (follow ? "?follow=true" : ""), {
      headers: { Accept: "text/plain" }, credentials: "same-origin",
    });
    if (response.status === 409 && follow) {
      // No pod yet (the run is starting): say why, then try again.
      const problem = await response.json().catch(() => ({}));
      say(problem.detail || "Waiting for the pod…");
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      say(problem.detail || "No logs: HTTP " + response.status);
      return;
    }
    pre.textContent = "";
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.append(decoder.decode(value, { stream: true }));
      if (pre.textContent.length > MAX_LOG_CHARS) {
        pre.textContent = "… (earlier lines cut)\n" + pre.textContent.slice(-MAX_LOG_CHARS / 2);
      }
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    }
    say(follow ? "The container has ended; this is its whole log." : "The run has ended.");
    return;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  localTimes(document);
  watchLiveRegions();
  const log = document.getElementById("log");
  if (log) followLog(log);
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});

// The Multiverse playground: streams one chat completion with per-path events (docs/server.md),
// draws the tree as it grows, then the figures, the batch chart and the attention layout.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
let running = null; // the AbortController of the generation in flight

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- The tree, built from the per-path events -------------------------------------------------

// One sequence: its own text in segments, a text segment or a forked block, in order.
function newNode(key, id) {
  return { key, id, segments: [], tokens: 0, ended: null, range: null };
}

function applyEvent(g, e) {
  const node = g.nodes.get(e.path);
  if (!node) throw new Error("event for an unknown path " + JSON.stringify(e.path));
  if (e.type === "delta") {
    node.tokens += e.token_ids.length;
    const last = node.segments[node.segments.length - 1];
    if (last && last.text !== undefined) last.text += e.text;
    else node.segments.push({ text: e.text });
  } else if (e.type === "fork") {
    node.segments.push({ children: e.children.map((c) => c.path), joined: false });
    for (const c of e.children) g.nodes.set(c.path, newNode(c.path, c.id));
  } else if (e.type === "join") {
    const blocks = node.segments.filter((s) => s.children);
    blocks[blocks.length - 1].joined = true;
  } else if (e.type === "path_end") {
    node.ended = e.reason;
  }
}

// Text with its Goal and Conclusion drawn as regions, the Outlines as a list, other tags as chips.
function renderText(text) {
  const out = el("div", "seq");
  const regions = /<(Goal|Conclusion)>([\s\S]*?)(<\/\1>|$)/g;
  let at = 0;
  for (let m; (m = regions.exec(text)) !== null; ) {
    appendTagged(out, text.slice(at, m.index));
    const region = el("div", "region " + m[1].toLowerCase());
    region.append(chip("<" + m[1] + ">"));
    if (m[1] === "Goal") {
      const list = el("ul");
      for (const o of m[2].matchAll(/<Outline>([\s\S]*?)(<\/Outline>|$)/g)) list.append(el("li", null, o[1].trim()));
      region.append(list);
    } else {
      appendTagged(region, m[2]);
    }
    if (m[3]) region.append(chip(m[3]));
    out.append(region);
    at = m.index + m[0].length;
    if (text[at] === "\n") at++; // the region is a box of its own: its closing newline would be a blank line
    if (m[0].length === 0) break;
  }
  appendTagged(out, text.slice(at));
  return out;
}

function chip(tag) {
  return el("span", "tag", tag);
}

function appendTagged(parent, text) {
  const parts = text.split(/(<\/?(?:Parallel|Path|Conclusion|Goal|Outline|Think)>)/);
  parts.forEach((p, i) => { if (p) parent.append(i % 2 ? chip(p) : document.createTextNode(p)); });
}

function collapsible(box, head) {
  head.addEventListener("click", () => box.classList.toggle("collapsed"));
}

function renderNode(g, node, into) {
  for (const s of node.segments) {
    if (s.text !== undefined) { into.append(renderText(s.text)); continue; }
    const block = el("div", "block");
    const head = el("div", "block-head", "Parallel block: " + s.children.length + " paths");
    const paths = el("div", "paths");
    for (const key of s.children) paths.append(renderPath(g, g.nodes.get(key)));
    block.append(head, paths, el("div", s.joined ? "join" : "join pending", s.joined ? "join" : "waiting to join"));
    collapsible(block, head);
    into.append(block);
  }
}

function renderPath(g, node) {
  const box = el("div", "path" + (node.ended ? "" : " running"));
  box.dataset.path = node.key;
  const head = el("div", "path-head", "Path " + node.id + " ");
  const range = node.range ? " \u00b7 positions " + node.range[0] + "\u2013" + node.range[1] : "";
  head.append(el("span", "path-figures", node.tokens + " tokens" + range + (node.ended ? "" : " \u00b7 running")));
  box.append(head);
  renderNode(g, node, box);
  collapsible(box, head);
  return box;
}

function drawTree(g) {
  const root = el("div", "node");
  renderNode(g, g.nodes.get(""), root);
  g.view.querySelector(".tree").replaceChildren(root);
}

// ---- Figures ---------------------------------------------------------------------------------

function drawStats(g) {
  const m = g.final;
  const ms = m ? m.wall_ms : performance.now() - g.started;
  const tokens = m ? m.generated_tokens : [...g.nodes.values()].reduce((n, x) => n + x.tokens, 0);
  const rows = [["tokens / s", (tokens / (ms / 1000)).toFixed(1)], ["total tokens", tokens],
    ["steps", m ? m.steps : "\u2026"], ["critical path", m ? m.critical_path : "\u2026"],
    ["parallelism ratio", m ? m.parallelism_ratio.toFixed(3) : "\u2026"], ["paths", m ? m.paths : g.nodes.size - 1],
    ["wall time", ms.toFixed(0) + " ms"], ["finish", m ? m.finish_reason : "running"]];
  const dl = g.view.querySelector(".stats");
  dl.replaceChildren();
  for (const [k, v] of rows) dl.append(el("dt", null, k), el("dd", null, String(v)));
  g.view.querySelector(".summary-figures").textContent = m
    ? "\u2014 " + m.generated_tokens + " tokens in " + m.steps + " steps, parallelism " + m.parallelism_ratio.toFixed(2) : "";
}

function drawBatchChart(svg, counts) {
  const w = Math.max(240, Math.min(900, counts.length * 4)), h = 90, top = Math.max(1, ...counts);
  const bar = w / Math.max(1, counts.length);
  svg.setAttribute("width", w + 30);
  svg.setAttribute("height", h + 18);
  svg.replaceChildren();
  counts.forEach((c, i) => {
    const bh = (c / top) * h;
    svg.append(svgEl("rect", { x: 24 + i * bar, y: h - bh, width: Math.max(1, bar - 0.5), height: bh }));
  });
  svg.append(svgEl("text", { x: 0, y: 9 }, String(top)), svgEl("text", { x: 0, y: h }, "0"),
    svgEl("text", { x: 24, y: h + 14 }, "step 1"), svgEl("text", { x: w - 20, y: h + 14 }, String(counts.length)));
}

// ---- The attention layout --------------------------------------------------------------------

// Row i's visibility as a Uint8Array: 2 = sees, 1 = earlier but masked, 0 = later.
function visibilityRow(layout, i) {
  const row = new Uint8Array(layout.length);
  row.fill(1, 0, i + 1);
  const runs = layout.visible[i];
  for (let r = 0; r < runs.length; r += 2) row.fill(2, runs[r], runs[r + 1]);
  return row;
}

const CELL_COLOURS = ["#ffffff", "#f2b8b5", "#2f5fb3"];

function drawMatrix(g, layout) {
  const section = g.view.querySelector(".attention");
  section.hidden = false;
  const n = layout.length, cell = Math.max(1, Math.floor(560 / n)), canvas = section.querySelector(".overview");
  canvas.width = canvas.height = n * cell;
  const ctx = canvas.getContext("2d");
  for (let i = 0; i < n; i++) {
    const row = visibilityRow(layout, i);
    for (let j = 0; j < n; j++) {
      ctx.fillStyle = CELL_COLOURS[row[j]];
      ctx.fillRect(j * cell, i * cell, cell, cell);
    }
  }
  const overview = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const zoomAt = (s) => {
    const from = Math.max(0, Math.min(n - 32, s)), size = Math.min(32, n) * cell;
    ctx.putImageData(overview, 0, 0);
    ctx.strokeStyle = "#e07000";
    ctx.lineWidth = 2;
    ctx.strokeRect(from * cell, from * cell, size, size);
    drawZoom(section.querySelector(".zoom"), layout, from);
  };
  // Start the zoomed window where positions first restart: the second path of the first block.
  const start = layout.positions.findIndex((p, i) => i > 0 && p <= layout.positions[i - 1]);
  zoomAt(start < 0 ? 0 : start - 16);
  canvas.onclick = (ev) => zoomAt(Math.floor(ev.offsetY / cell) - 16);
}

// A 32 x 32 window from token `from`: each row and column labelled with index, position id and text.
function drawZoom(svg, layout, from) {
  const size = Math.min(32, layout.length), cell = 14, label = 150;
  svg.setAttribute("width", label + size * cell + 4);
  svg.setAttribute("height", label + size * cell + 4);
  svg.replaceChildren();
  const show = (t) => JSON.stringify(t).slice(1, -1).slice(0, 14);
  for (let a = 0; a < size; a++) {
    const i = from + a, name = i + " p" + layout.positions[i] + " " + show(layout.texts[i]);
    svg.append(svgEl("text", { x: 2, y: label + a * cell + 10 }, name));
    svg.append(svgEl("text", { x: 0, y: 0, transform: "translate(" + (label + a * cell + 10) + "," + (label - 4) + ") rotate(-90)" }, name));
    const row = visibilityRow(layout, i);
    for (let b = 0; b < size; b++) {
      const r = svgEl("rect", { x: label + b * cell, y: label + a * cell, width: cell - 1, height: cell - 1, fill: CELL_COLOURS[row[from + b]] });
      r.append(svgEl("title", {}, "query " + i + " (position " + layout.positions[i] + ") "
        + ["does not see (later)", "does not see (sibling path)", "sees"][row[from + b]] + " key " + (from + b)
        + " (position " + layout.positions[from + b] + ")"));
      svg.append(r);
    }
  }
}

// ---- Streaming one generation ----------------------------------------------------------------

function requestBody() {
  const num = (id) => Number($(id).value);
  return {
    messages: [{ role: "user", content: $("prompt").value }], stream: true,
    temperature: num("temperature"), top_p: num("top_p"), top_k: num("top_k"), max_tokens: num("max_tokens"), seed: num("seed"),
    multiverse: { path_events: true, trace: true, instruction: $("instruction").checked },
  };
}

// Server-sent events from a fetch body: calls onEvent(name, data) per event.
async function readEvents(response, onEvent) {
  const reader = response.body.getReader(), decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      let name = null, data = [];
      for (const line of buffer.slice(0, end).split("\n")) {
        if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      buffer = buffer.slice(end + 2);
      if (data.length) onEvent(name, data.join("\n"));
    }
  }
}

function setRange(g, path) {
  const node = g.nodes.get(path.key);
  const own = path.key === "" ? path.positions.slice(g.promptTokens) : path.positions;
  if (node && own.length) node.range = [Math.min(...own), Math.max(...own)];
  for (const b of path.blocks) for (const p of b.paths) setRange(g, p);
}

async function generate() {
  const body = requestBody();
  const view = $("generation").content.firstElementChild.cloneNode(true);
  for (const old of document.querySelectorAll(".generation")) old.open = false;
  $("generations").prepend(view);
  view.querySelector(".title").textContent = body.messages[0].content;
  const g = { view, body, nodes: new Map([["", newNode("", "")]]), events: [], text: "", final: null, started: performance.now() };
  view.querySelector(".expand-all").onclick = () => view.querySelectorAll(".collapsed").forEach((x) => x.classList.remove("collapsed"));
  view.querySelector(".collapse-all").onclick = () => view.querySelectorAll(".block, .path").forEach((x) => x.classList.add("collapsed"));
  let pending = false;
  const redraw = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; drawTree(g); drawStats(g); }); } };
  running = new AbortController();
  $("generate").disabled = true;
  $("stop").disabled = false;
  $("status").textContent = "generating\u2026";
  try {
    const response = await fetch("/v1/chat/completions", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body), signal: running.signal });
    if (!response.ok) throw new Error((await response.json()).error.message);
    await readEvents(response, (name, data) => {
      if (data === "[DONE]") return;
      const e = JSON.parse(data);
      if (e.error) throw new Error(e.error.message);
      if (name === "multiverse.path") { g.events.push(e); applyEvent(g, e); redraw(); return; }
      if (e.choices && e.choices[0]) g.text += e.choices[0].delta.content || "";
      if (e.multiverse) { g.final = e.multiverse; g.usage = e.usage; }
    });
    if (!g.final) throw new Error("the stream ended without its final chunk");
    await finish(g);
    $("status").textContent = "done";
  } catch (err) {
    $("status").textContent = err.name === "AbortError" ? "stopped" : "error: " + err.message;
  } finally {
    running = null;
    $("generate").disabled = false;
    $("stop").disabled = true;
    drawTree(g);
    drawStats(g);
  }
}

async function finish(g) {
  g.promptTokens = g.usage.prompt_tokens;
  setRange(g, g.final.trace);
  g.view.querySelector(".final-text").textContent = g.text;
  drawBatchChart(g.view.querySelector(".batch"), g.final.step_batch || []);
  const tokens = g.final.trace.tokens.slice(0, g.promptTokens).concat(g.final.token_ids);
  const reply = await fetch("/v1/layout", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ tokens, prompt_tokens: g.promptTokens }) });
  g.layout = await reply.json();
  if (!reply.ok) throw new Error("layout: " + g.layout.error.message);
  drawMatrix(g, g.layout);
  const exportButton = g.view.querySelector(".export");
  exportButton.disabled = false;
  exportButton.onclick = () => {
    const json = JSON.stringify({ request: g.body, text: g.text, multiverse: g.final, usage: g.usage, path_events: g.events, layout: g.layout }, null, 2);
    const a = el("a");
    a.href = URL.createObjectURL(new Blob([json], { type: "application/json" }));
    a.download = "multiverse-generation.json";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  };
}

$("ask").addEventListener("submit", (ev) => { ev.preventDefault(); if (!running) generate(); });
$("stop").addEventListener("click", () => running && running.abort());

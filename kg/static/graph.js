/* kg graph page: filters, search and the evidence panel over a vis-network drawing.
 * All text from papers is untrusted: the DOM is built with textContent only, never innerHTML.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = data.details;
  var colours = {};
  data.types.forEach(function (t) { colours[t.name] = t.colour; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function safeUrl(u) {
    // Only plain web links: a "javascript:" or "data:" URL from a paper must never be a link.
    return typeof u === "string" && /^https?:\/\/[^\s]+$/i.test(u) ? u : null;
  }

  // ---- data sets and filters (DataView: toggling a filter never rebuilds the page) ----
  // The DataSet gets copies: data.nodes keeps each node's own colour and label for restoring.
  var nodes = new vis.DataSet(data.nodes.map(function (n) { return Object.assign({}, n); }));
  var edges = new vis.DataSet(data.edges.map(function (e) { return Object.assign({}, e); }));
  var state = {
    types: new Set(data.types.map(function (t) { return t.name; })),
    rels: new Set(data.relations.map(function (r) { return r.name; })),
    minPapers: 1
  };
  function nodeShown(n) {
    // A minimum of 1 shows everything, even an entity known only through a variantOf link.
    return !!n && state.types.has(n.ntype) &&
      (n.ntype === "Paper" || state.minPapers <= 1 || n.papers >= state.minPapers);
  }
  // Plain lookups for the filters: DataSet.get copies the item, too slow for 10,000 edges.
  var nodeById = new Map();
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); });
  var nodesView = new vis.DataView(nodes, { filter: nodeShown });
  var edgesView = new vis.DataView(edges, {
    filter: function (e) {
      return state.rels.has(e.rel) && nodeShown(nodeById.get(e.from)) && nodeShown(nodeById.get(e.to));
    }
  });

  // Edges touching each node, over the whole graph (the panel shows them whatever the filters).
  var incident = {};
  data.edges.forEach(function (e) {
    (incident[e.from] = incident[e.from] || []).push(e);
    (incident[e.to] = incident[e.to] || []).push(e);
  });

  var big = data.nodes.length > 1500;
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: {
      hover: !big, tooltipDelay: 200, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      multiselect: false, navigationButtons: false, keyboard: false
    },
    nodes: {
      borderWidth: 1,
      borderWidthSelected: 3,
      font: { size: 13, face: "system-ui, sans-serif", color: "#1d2833", strokeWidth: 3, strokeColor: "#ffffff" },
      // Labels appear as one zooms in, big entities' (larger font) first: no unreadable smear.
      scaling: { label: { drawThreshold: 15, maxVisible: 40 } }
    },
    edges: {
      smooth: false,
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      color: { inherit: false, opacity: 0.85 },
      // No text stroke: stroked labels double the cost of drawing a zoomed-in frame.
      font: { size: 10, face: "system-ui, sans-serif", color: "#3d4852", strokeWidth: 0, align: "top" },
      scaling: { label: { drawThreshold: 8 } },
      selectionWidth: 1.5
    }
  });

  function updateStats() {
    document.getElementById("kg-stats").textContent =
      nodesView.length + " of " + nodes.length + " nodes, " +
      edgesView.length + " of " + edges.length + " edges shown";
  }
  function refresh() {
    nodesView.refresh();
    edgesView.refresh();
    updateStats();
  }

  // ---- legend = type filters; relation filters; min papers ----
  function checkItem(list, label, colour, count, shape, onToggle) {
    var li = el("li");
    var lab = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = label;
    box.addEventListener("change", function () { onToggle(box.checked); refresh(); });
    lab.appendChild(box);
    if (colour) {
      var sw = el("span", "kg-swatch" + (shape === "square" ? " kg-square" : shape === "line" ? " kg-line" : ""));
      sw.style.backgroundColor = colour;
      lab.appendChild(sw);
    }
    lab.appendChild(el("span", "kg-name", label));
    if (count !== null) lab.appendChild(el("span", "kg-count", count));
    li.appendChild(lab);
    list.appendChild(li);
    return box;
  }
  var typeBoxes = {};
  data.types.forEach(function (t) {
    typeBoxes[t.name] = checkItem(document.getElementById("kg-types"), t.name, t.colour, t.count,
      t.name === "Paper" ? "square" : "dot",
      function (on) { if (on) state.types.add(t.name); else state.types.delete(t.name); });
  });
  var relCounts = {};
  data.edges.forEach(function (e) { relCounts[e.rel] = (relCounts[e.rel] || 0) + 1; });
  data.relations.forEach(function (r) {
    checkItem(document.getElementById("kg-relations"), r.name, r.colour, relCounts[r.name] || 0, "line",
      function (on) { if (on) state.rels.add(r.name); else state.rels.delete(r.name); });
  });
  var slider = document.getElementById("kg-minpapers");
  var sliderValue = document.getElementById("kg-minpapers-value");
  slider.max = String(Math.max(1, data.maxPapers));
  function setMinPapers(v) {
    state.minPapers = v;
    slider.value = String(v);
    sliderValue.textContent = String(v);
  }
  slider.addEventListener("input", function () { setMinPapers(parseInt(slider.value, 10) || 1); refresh(); });

  // ---- search: names, aliases and titles, with suggestions from a datalist ----
  var index = new Map();
  var datalist = document.getElementById("kg-names");
  var suggestions = [];
  Object.keys(details).forEach(function (id) {
    var d = details[id];
    var names = [d.name].concat(d.aliases || []);
    names.forEach(function (n) {
      var k = String(n).trim().toLowerCase();
      if (!k) return;
      var prev = index.get(k);
      // Prefer entities over papers, then the entity found in more papers.
      if (prev === undefined || rank(id) > rank(prev)) index.set(k, id);
      if (prev === undefined) suggestions.push(String(n));
    });
  });
  function rank(id) {
    var d = details[id];
    return d.kind === "entity" ? 1e9 + d.papers : 0;
  }
  suggestions.sort(function (a, b) { return a.localeCompare(b); });
  var frag = document.createDocumentFragment();
  suggestions.forEach(function (s) { var o = el("option"); o.value = s; frag.appendChild(o); });
  datalist.appendChild(frag);

  function lookup(q) {
    var k = String(q).trim().toLowerCase();
    if (!k) return null;
    if (index.has(k)) return index.get(k);
    var best = null;
    index.forEach(function (id, name) {
      if (name.indexOf(k) === -1) return;
      var score = (name.indexOf(k) === 0 ? 2e9 : 0) + rank(id) - name.length;
      if (best === null || score > best.score) best = { id: id, score: score };
    });
    return best ? best.id : null;
  }

  function reveal(id) {
    var n = nodeById.get(id);
    if (!n || nodeShown(n)) return;
    state.types.add(n.ntype);
    typeBoxes[n.ntype].checked = true;
    if (n.ntype !== "Paper" && n.papers < state.minPapers) setMinPapers(Math.max(1, n.papers));
    refresh();
  }

  // Selecting a node fades everything outside its neighbourhood (small, grey, no label) and
  // enlarges its neighbours' labels, so they stay readable even in a big graph's dense core.
  var FADED = { background: "#e6e9ed", border: "#d8dde2" };
  var EDGE_FONT = 10;
  var FADED_EDGE = { color: "#e9ecef", highlight: "#e9ecef", opacity: 0.6 };
  var faded = new Set();
  var fadedEdges = new Set();
  var lit = new Set();
  function spotlight(id) {
    var keep = new Set();
    var keepEdges = new Set();
    if (id !== null) {
      keep.add(id);
      (incident[id] || []).forEach(function (e) { keep.add(e.from); keep.add(e.to); keepEdges.add(e.id); });
    }
    var changes = [];
    data.nodes.forEach(function (n) {
      var fade = id !== null && !keep.has(n.id);
      var light = id !== null && keep.has(n.id);
      if (fade === faded.has(n.id) && light === lit.has(n.id)) return;
      if (fade) faded.add(n.id); else faded.delete(n.id);
      if (light) lit.add(n.id); else lit.delete(n.id);
      changes.push(fade
        ? { id: n.id, color: FADED, label: "", size: Math.min(n.size, 6) }
        : { id: n.id, color: n.color, label: n.label, size: n.size,
            font: { size: light ? Math.max(n.font.size, 16) : n.font.size } });
    });
    if (changes.length) nodes.update(changes);
    var edgeChanges = [];
    data.edges.forEach(function (e) {
      var fade = id !== null && !keepEdges.has(e.id);
      if (fade === fadedEdges.has(e.id)) return;
      if (fade) fadedEdges.add(e.id); else fadedEdges.delete(e.id);
      // A 1px font is below the label threshold at any zoom: the label is simply not drawn.
      edgeChanges.push(fade ? { id: e.id, color: FADED_EDGE, font: { size: 1 } }
        : { id: e.id, color: e.color, font: { size: EDGE_FONT } });
    });
    if (edgeChanges.length) edges.update(edgeChanges);
  }

  function select(id, centre) {
    if (!details[id]) return false;
    reveal(id);
    spotlight(id);
    network.selectNodes([id]);
    if (centre) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    }
    showNode(id);
    return true;
  }

  var msg = document.getElementById("kg-search-msg");
  document.getElementById("kg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("kg-search").value;
    var id = lookup(q);
    msg.textContent = id ? "" : "No node matches “" + q + "”";
    if (id) select(id, true);
  });
  document.getElementById("kg-search").addEventListener("change", function () {
    var q = this.value;
    if (index.has(q.trim().toLowerCase())) select(index.get(q.trim().toLowerCase()), true);
  });

  // ---- the side panel ----
  var panel = document.getElementById("kg-panel");

  function nodeLink(id, text) {
    var a = el("button", "kg-link", text !== undefined ? text : (details[id] ? details[id].name : id));
    a.type = "button";
    a.addEventListener("click", function () { select(id, true); });
    return a;
  }
  function badge(type) {
    var b = el("span", "kg-badge", type);
    b.style.backgroundColor = colours[type] || "#888";
    return b;
  }
  function sentence(s, start, end) {
    var p = el("blockquote", "kg-evidence");
    p.appendChild(document.createTextNode(s.slice(0, start)));
    p.appendChild(el("mark", null, s.slice(start, end)));
    p.appendChild(document.createTextNode(s.slice(end)));
    return p;
  }
  function evidenceList(e, showPaper) {
    var box = el("div", "kg-evlist");
    e.ev.forEach(function (item) {
      var paper = item[0], conf = item[1], s = item[2];
      var row = el("div", "kg-ev");
      if (s) row.appendChild(sentence(s, item[3], item[4]));
      var foot = el("div", "kg-evfoot");
      foot.appendChild(el("span", "kg-conf", "confidence " + Number(conf).toFixed(2)));
      if (showPaper && paper) {
        var pid = "paper:" + paper;
        foot.appendChild(document.createTextNode(" · "));
        if (details[pid]) foot.appendChild(nodeLink(pid));
        else foot.appendChild(el("span", null, paper));
      }
      if (!s && !paper) foot.appendChild(el("span", "kg-muted", " · found by name resolution"));
      row.appendChild(foot);
      box.appendChild(row);
    });
    if (e.nev > e.ev.length) box.appendChild(el("p", "kg-muted", "… and " + (e.nev - e.ev.length) + " more"));
    return box;
  }
  function paperMeta(d) {
    var m = d.meta || {};
    var bits = [];
    if (m.date) bits.push(String(m.date));
    if (m.organisation) bits.push(String(m.organisation));
    return bits.join(" · ");
  }
  function linkTo(url, text) {
    var u = safeUrl(url);
    if (!u) return null;
    var a = el("a", "kg-ext", text || u);
    a.href = u;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function showEntity(id) {
    var d = details[id];
    clear(panel);
    var h = el("h2", "kg-title", d.name);
    panel.appendChild(h);
    var sub = el("p", "kg-sub");
    sub.appendChild(badge(d.type));
    sub.appendChild(document.createTextNode(" " + d.papers + (d.papers === 1 ? " paper" : " papers") +
      " · confidence " + Number(d.confidence).toFixed(2)));
    panel.appendChild(sub);
    if (d.aliases.length) {
      panel.appendChild(el("h3", null, "Aliases"));
      var ul = el("ul", "kg-aliases");
      d.aliases.forEach(function (a) { ul.appendChild(el("li", null, a)); });
      panel.appendChild(ul);
    }
    var edgesHere = incident[id] || [];
    var paperEdges = edgesHere.filter(function (e) { return e.to === id && details[e.from] && details[e.from].kind === "paper"; });
    var relEdges = edgesHere.filter(function (e) { return paperEdges.indexOf(e) === -1; });
    if (paperEdges.length) {
      panel.appendChild(el("h3", null, "Papers (" + paperEdges.length + ")"));
      paperEdges.forEach(function (e) {
        var p = details[e.from];
        var card = el("section", "kg-card");
        var head = el("div", "kg-cardhead");
        head.appendChild(el("span", "kg-role kg-role-" + e.rel, e.rel));
        head.appendChild(nodeLink(e.from, p.name));
        card.appendChild(head);
        var meta = paperMeta(p);
        if (meta) card.appendChild(el("div", "kg-muted", meta));
        var a = linkTo(p.meta && p.meta.url, "link");
        if (a) card.appendChild(a);
        card.appendChild(evidenceList(e, false));
        panel.appendChild(card);
      });
    }
    if (relEdges.length) {
      panel.appendChild(el("h3", null, "Relations (" + relEdges.length + ")"));
      relEdges.forEach(function (e) {
        var card = el("section", "kg-card");
        var head = el("div", "kg-cardhead");
        if (e.from === id) {
          head.appendChild(el("span", "kg-rel", e.rel + " →"));
          head.appendChild(nodeLink(e.to));
        } else {
          head.appendChild(nodeLink(e.from));
          head.appendChild(el("span", "kg-rel", "→ " + e.rel));
        }
        card.appendChild(head);
        card.appendChild(evidenceList(e, true));
        panel.appendChild(card);
      });
    }
  }

  function highlighted(tag, cls, segs) {
    var box = el(tag, cls);
    segs.forEach(function (seg) {
      if (!seg[1] || !details[seg[1]]) { box.appendChild(document.createTextNode(seg[0])); return; }
      var m = el("mark", "kg-ent", seg[0]);
      m.style.backgroundColor = (colours[details[seg[1]].type] || "#999999") + "33";
      m.style.borderBottom = "2px solid " + (colours[details[seg[1]].type] || "#999999");
      m.title = details[seg[1]].name + " (" + details[seg[1]].type + ")";
      m.addEventListener("click", function () { select(seg[1], true); });
      box.appendChild(m);
    });
    return box;
  }

  function showPaper(id) {
    var d = details[id];
    clear(panel);
    panel.appendChild(highlighted("h2", "kg-title", d.title));
    var sub = el("p", "kg-sub");
    sub.appendChild(badge("Paper"));
    panel.appendChild(sub);
    var dl = el("dl", "kg-meta");
    Object.keys(d.meta).sort().forEach(function (k) {
      var v = d.meta[k];
      dl.appendChild(el("dt", null, k));
      var dd = el("dd");
      var a = k === "url" ? linkTo(v) : null;
      if (a) dd.appendChild(a);
      else dd.textContent = Array.isArray(v) ? v.join(", ") : (typeof v === "object" ? JSON.stringify(v) : String(v));
      dl.appendChild(dd);
    });
    if (d.source) {
      dl.appendChild(el("dt", null, "source"));
      dl.appendChild(el("dd", null, d.source + (d.line ? ":" + d.line : "")));
    }
    panel.appendChild(dl);
    var links = (d.links || []).filter(function (l) { return safeUrl(l[0]); });
    if (links.length) {
      // Code repositories first, then project pages; a URL that is not plain http(s) is never a link.
      links.sort(function (a, b) { return (a[1] === "code" ? 0 : 1) - (b[1] === "code" ? 0 : 1); });
      panel.appendChild(el("h3", null, "Code and links"));
      var lu = el("ul", "kg-links");
      links.forEach(function (l) {
        var li = el("li");
        li.appendChild(el("span", "kg-linkkind kg-linkkind-" + l[1], l[1] === "code" ? "code" : "page"));
        li.appendChild(linkTo(l[0]));
        lu.appendChild(li);
      });
      panel.appendChild(lu);
    }
    if (d.abstract.length && d.abstract[0][0]) {
      panel.appendChild(el("h3", null, "Abstract"));
      panel.appendChild(highlighted("p", "kg-abstract", d.abstract));
    }
    var out = (incident[id] || []).filter(function (e) { return e.from === id; });
    if (out.length) {
      panel.appendChild(el("h3", null, "Entities (" + out.length + ")"));
      var ul = el("ul", "kg-entities");
      out.forEach(function (e) {
        var li = el("li");
        li.appendChild(el("span", "kg-role kg-role-" + e.rel, e.rel));
        li.appendChild(badge(details[e.to].type));
        li.appendChild(nodeLink(e.to));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
  }

  function showNode(id) {
    if (!details[id]) return;
    if (details[id].kind === "paper") showPaper(id); else showEntity(id);
    panel.dataset.node = id;
    panel.scrollTop = 0;
  }
  function showEdge(eid) {
    var e = edges.get(eid);
    if (!e) return;
    clear(panel);
    var h = el("h2", "kg-title");
    h.appendChild(nodeLink(e.from));
    h.appendChild(el("span", "kg-rel", " " + e.rel + " → "));
    h.appendChild(nodeLink(e.to));
    panel.appendChild(h);
    panel.appendChild(evidenceList(e, true));
    panel.dataset.node = "";
  }

  network.on("click", function (p) {
    if (p.nodes.length) { spotlight(p.nodes[0]); showNode(p.nodes[0]); }
    else if (p.edges.length) showEdge(p.edges[0]);
    else spotlight(null);
  });

  updateStats();
  network.once("afterDrawing", function () {
    window.kgDrawnAt = performance.now();
    document.documentElement.setAttribute("data-kg-ready", "1");
  });

  // For tests, the benchmark and the curious: the live objects behind the page.
  window.kg = {
    network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
    details: details, lookup: lookup, select: select, state: state, refresh: refresh
  };
})();

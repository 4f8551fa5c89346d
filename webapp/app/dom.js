// DOM helpers. Every text from the API goes in as a text node, never as
// markup, so a title like <img onerror=…> shows as those characters.

// el builds an element: props are attributes, except on* (listeners)
// and the few DOM properties listed; children are nodes or strings.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked') node[k] = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// show replaces a container's content.
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

// duration formats milliseconds as m:ss.
export function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// announce tells screen readers (and tests) what just happened.
export function announce(text) {
  const s = document.getElementById('status');
  if (s) s.textContent = text;
}

// artists joins a track's or hit's artist names.
export function artistNames(x) {
  if (x.artists && x.artists.length && typeof x.artists[0] === 'string') return x.artists.join(', ');
  if (x.artists && x.artists.length) return x.artists.filter(a => a.role !== 'FeaturedArtist').map(a => a.name).join(', ') || x.artist?.name || '';
  return x.artist?.name || '';
}

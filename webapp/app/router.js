// Hash routes: #/, #/search?q=, #/album/ID, #/artist/ID, #/playlist/ID,
// #/library, #/playlists, #/podcast/ID. The hash keeps the route through a sign-in.

// current parses location.hash into a view name, an ID and the query.
export function current() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [p, qs] = raw.split('?');
  const parts = p.split('/').filter(Boolean).map(decodeURIComponent);
  return { view: parts[0] || 'home', id: parts[1] || '', query: new URLSearchParams(qs || '') };
}

// go navigates to a route.
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export const link = {
  album: (id) => `#/album/${encodeURIComponent(id)}`,
  artist: (id) => `#/artist/${encodeURIComponent(id)}`,
  playlist: (id) => `#/playlist/${encodeURIComponent(id)}`,
  podcast: (id) => `#/podcast/${encodeURIComponent(id)}`,
  search: (q) => `#/search?q=${encodeURIComponent(q)}`,
};

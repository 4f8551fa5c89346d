// oggPrefix is the length of the whole Ogg pages at the start of bytes
// (a Uint8Array) that hold at least want bytes, or all of bytes when the
// stream is shorter or its pages do not parse. Pages from the start are
// themselves a stream the browser decodes: the first seconds of a track,
// ready long before the whole track is decoded.
export function oggPrefix(bytes, want) {
  let at = 0;
  while (at + 27 <= bytes.length) {
    // "OggS" begins every page; byte 26 counts the lacing values after it.
    if (bytes[at] !== 0x4f || bytes[at + 1] !== 0x67 || bytes[at + 2] !== 0x67 || bytes[at + 3] !== 0x53) break;
    const segments = bytes[at + 26];
    if (at + 27 + segments > bytes.length) break;
    let size = 27 + segments;
    for (let i = 0; i < segments; i++) size += bytes[at + 27 + i];
    at += size;
    if (at >= want) return Math.min(at, bytes.length);
  }
  return bytes.length;
}

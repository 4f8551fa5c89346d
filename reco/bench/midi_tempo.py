#!/usr/bin/env python3
"""Ground-truth tempo of Standard MIDI Files, standard library only.

A MIDI file states its tempo exactly: Set Tempo meta events (FF 51 03,
microseconds per quarter note) on a tick grid. This reads them, and the
time signatures (FF 58 04), and prints one tab-separated line per file:

  file  quarter_bpm  share  grid  time_signature  first_note_s  last_note_s  tempos

quarter_bpm is the dominant tempo in quarter notes per minute: the one
held longest between the first note-on and the last note-off. share is
the fraction of that span whose tempo is within 1 % of it. tempos lists
every distinct tempo with its share. grid (see on_grid) tells whether the
notes sit on the beat grid of that tempo at all. A file that cannot be
read is reported on stderr with the reason, the others are still printed,
and the exit status is 1.

Usage: midi_tempo.py FILE.mid...
"""
import struct
import sys

DEFAULT_US_PER_QUARTER = 500_000  # 120 BPM until the first Set Tempo (SMF spec)


class MidiError(Exception):
    pass


def read_vlq(data, pos):
    value = 0
    for _ in range(4):
        if pos >= len(data):
            raise MidiError("variable-length number runs past the end of a track")
        b = data[pos]
        pos += 1
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            return value, pos
    raise MidiError("variable-length number longer than 4 bytes")


def chunks(data):
    pos = 0
    while pos + 8 <= len(data):
        kind = data[pos:pos + 4]
        (size,) = struct.unpack(">I", data[pos + 4:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        if len(body) < size:
            raise MidiError(f"chunk {kind!r} claims {size} bytes, file has {len(body)}")
        yield kind, body
        pos += 8 + size


def track_events(body):
    """Yields (tick, kind, payload): kind is 'tempo', 'timesig', 'on' or 'off'."""
    pos, tick, status = 0, 0, None
    while pos < len(body):
        delta, pos = read_vlq(body, pos)
        tick += delta
        if pos >= len(body):
            raise MidiError("track ends inside an event")
        b = body[pos]
        if b == 0xFF:  # meta event
            if pos + 2 > len(body):
                raise MidiError("truncated meta event")
            kind = body[pos + 1]
            size, pos = read_vlq(body, pos + 2)
            payload = body[pos:pos + size]
            if len(payload) < size:
                raise MidiError("meta event runs past the end of its track")
            pos += size
            if kind == 0x51:
                if size != 3:
                    raise MidiError(f"Set Tempo of {size} bytes, expected 3")
                us = int.from_bytes(payload, "big")
                if us == 0:
                    raise MidiError("Set Tempo of 0 microseconds per quarter")
                yield tick, "tempo", us
            elif kind == 0x58 and size >= 2:
                yield tick, "timesig", (payload[0], 2 ** payload[1])
            elif kind == 0x2F:
                return
            continue
        if b in (0xF0, 0xF7):  # sysex: length-prefixed, cancels running status
            size, pos = read_vlq(body, pos + 1)
            pos += size
            status = None
            continue
        if b & 0x80:
            status, pos = b, pos + 1
        elif status is None:
            raise MidiError(f"data byte 0x{b:02x} with no running status")
        hi = status & 0xF0
        if 0xF1 <= status <= 0xFE:
            raise MidiError(f"system message 0x{status:02x} inside a track")
        n = 1 if hi in (0xC0, 0xD0) else 2
        if pos + n > len(body):
            raise MidiError("channel message runs past the end of its track")
        d = body[pos:pos + n]
        pos += n
        if hi == 0x90 and d[1] > 0:
            yield tick, "on", tick
        elif hi == 0x80 or (hi == 0x90 and d[1] == 0):
            yield tick, "off", None


def read(path):
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] != b"MThd":
        raise MidiError("not a Standard MIDI File (no MThd header)")
    it = chunks(data)
    kind, header = next(it, (None, b""))
    if kind is None or len(header) < 6:
        raise MidiError("MThd shorter than 6 bytes")
    fmt, ntracks, division = struct.unpack(">HHH", header[:6])
    if fmt == 2:
        raise MidiError("format 2 (independent sequences) has no single tempo map")
    if division & 0x8000:
        raise MidiError("SMPTE time division: ticks are not in quarter notes")
    if division == 0:
        raise MidiError("division of 0 ticks per quarter")
    events = []
    for kind, body in it:
        if kind == b"MTrk":
            events.extend(track_events(body))
    notes = [t for t, k, _ in events if k in ("on", "off")]
    if not notes:
        raise MidiError("no notes")
    tempos = sorted((t, us) for t, k, us in events if k == "tempo")
    sigs = sorted((t, s) for t, k, s in events if k == "timesig")
    onsets = [t for t, k, _ in events if k == "on"]
    return division, tempos, sigs, min(notes), max(notes), onsets


def seconds_at(tick, division, tempos):
    """Seconds from tick 0 to tick under the tempo map."""
    s, last_tick, us = 0.0, 0, DEFAULT_US_PER_QUARTER
    for t, new_us in tempos:
        if t >= tick:
            break
        s += (t - last_tick) * us / division / 1e6
        last_tick, us = t, new_us
    return s + (tick - last_tick) * us / division / 1e6


def tempo_shares(division, tempos, first, last):
    """Seconds spent at each tempo (µs per quarter) between ticks first and last."""
    held = {}
    bounds = [(0, DEFAULT_US_PER_QUARTER)] + tempos + [(last, None)]
    for (t0, us), (t1, _) in zip(bounds, bounds[1:]):
        lo, hi = max(t0, first), min(t1, last)
        if hi > lo:
            held[us] = held.get(us, 0.0) + (hi - lo) * us / division / 1e6
    return held


def on_grid(division, onsets):
    """Fraction of note-ons within 1/48 quarter of a sixteenth or an eighth
    triplet. Notes written to the grid score near 1; notes played freely
    against a tempo the file merely defaults to score near 0.25, the chance
    that a random time falls in one of the six windows per quarter. The
    grid starts at the first note, as some files shift every note by a few
    ticks."""
    tol, start = division / 48, min(onsets)
    def near(t, step):
        r = (t - start) % step
        return min(r, step - r) <= tol
    hits = sum(1 for t in onsets if near(t, division / 4) or near(t, division / 3))
    return hits / len(onsets)


def describe(path):
    division, tempos, sigs, first, last, onsets = read(path)
    held = tempo_shares(division, tempos, first, last)
    total = sum(held.values())
    if total <= 0:
        raise MidiError("notes span no time")
    dominant = max(held, key=held.get)
    near = sum(s for us, s in held.items() if abs(us / dominant - 1) <= 0.01)
    sig = next((s for t, s in reversed(sigs) if t <= first), sigs[0][1] if sigs else (4, 4))
    if len({s for _, s in sigs}) > 1:
        sig_text = ",".join(f"{n}/{d}" for n, d in dict.fromkeys(s for _, s in sigs))
    else:
        sig_text = f"{sig[0]}/{sig[1]}"
    listing = ",".join(f"{60e6 / us:.2f}:{s / total:.3f}"
                       for us, s in sorted(held.items(), key=lambda kv: -kv[1]))
    return (f"{60e6 / dominant:.2f}\t{near / total:.3f}\t{on_grid(division, onsets):.3f}\t{sig_text}\t"
            f"{seconds_at(first, division, tempos):.2f}\t{seconds_at(last, division, tempos):.2f}\t{listing}")


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    status = 0
    for p in paths:
        try:
            print(f"{p.rsplit('/', 1)[-1]}\t{describe(p)}")
        except (OSError, MidiError) as e:
            print(f"midi_tempo: {p}: {e}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

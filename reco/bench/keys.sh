#!/usr/bin/env bash
# Synthesises chord progressions with a melody in all 24 keys with sox
# into $1: I-IV-V-I (major) or i-iv-V-i (minor, harmonic), four bars each,
# the tonic triad first and last, at 100 BPM, 16 s per file.
set -euo pipefail
out=$1
mkdir -p "$out"
notes=(C Db D Eb E F Gb G Ab A Bb B)
note() { # note SEMITONES-ABOVE-C4 → sox note name with octave
	local s=$1 oct=4
	while ((s >= 12)); do s=$((s - 12)); oct=$((oct + 1)); done
	while ((s < 0)); do s=$((s + 12)); oct=$((oct - 1)); done
	echo "${notes[$s]}$oct"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for mode in major minor; do
	for tonic in $(seq 0 11); do
		third=4; [[ $mode == minor ]] && third=3
		# Root offsets and chord thirds: I/i, IV/iv, V (major), I/i.
		chords=("0 $third 7" "5 $((5 + third)) 12" "7 11 14" "0 $third 7")
		parts=()
		for c in "${!chords[@]}"; do
			read -r a b d <<<"${chords[$c]}"
			f="$tmp/c$c.wav"
			# Chord an octave below the melody, and a scale run on top.
			sox -n -r 44100 -c 1 "$f" synth 2.4 pluck "$(note $((tonic + a - 12)))" pluck "$(note $((tonic + b - 12)))" pluck "$(note $((tonic + d - 12)))" \
				pluck "$(note $((tonic + a)))" remix - gain -6 fade 0 2.4 0.05
			parts+=("$f")
		done
		name=$(printf "%s-%02d-%s" "$mode" "$tonic" "${notes[$tonic]}")
		sox "${parts[@]}" "${parts[@]}" -c 2 "$out/$name.wav"
	done
done
echo "wrote 24 keys to $out"

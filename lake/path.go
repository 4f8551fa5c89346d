package lake

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// Prefix is where playback partitions live in the blob store.
const Prefix = "lake/playback/"

// seqDigits pads sequence numbers so that key order is numeric order.
const seqDigits = 20

// Partition is one hour of plays (by PlayedAt, UTC).
type Partition struct{ Hour time.Time }

// PartitionOf returns the partition a play at unix-ms t belongs to.
func PartitionOf(t int64) Partition {
	return Partition{Hour: time.UnixMilli(t).UTC().Truncate(time.Hour)}
}

// Dir is the partition's key prefix, ending in a slash.
func (p Partition) Dir() string {
	return fmt.Sprintf("%sdate=%s/hour=%02d/", Prefix, p.Hour.Format("2006-01-02"), p.Hour.Hour())
}

// DayPrefix is the key prefix of every hour of the UTC day containing t.
func DayPrefix(t time.Time) string {
	return fmt.Sprintf("%sdate=%s/", Prefix, t.UTC().Format("2006-01-02"))
}

// SeqRange is the inclusive log sequence range a file holds rows from.
type SeqRange struct{ First, Last uint64 }

// Contains reports whether o lies within r.
func (r SeqRange) Contains(o SeqRange) bool { return r.First <= o.First && o.Last <= r.Last }

// FileKey is the key of the part file for seqs r in partition p.
func FileKey(p Partition, r SeqRange) string {
	return fmt.Sprintf("%spart-%0*d-%0*d.parquet", p.Dir(), seqDigits, r.First, seqDigits, r.Last)
}

// ParseFileKey splits a part file key into its partition and range. Keys
// that are not part files (temporary or foreign objects) are EINVALID.
func ParseFileKey(key string) (Partition, SeqRange, error) {
	bad := func(why string) error {
		return music.Errorf(music.EINVALID, "lake key %q: %s", key, why)
	}
	rest, ok := strings.CutPrefix(key, Prefix+"date=")
	if !ok || len(rest) < len("2006-01-02/hour=00/") {
		return Partition{}, SeqRange{}, bad("not under " + Prefix + "date=")
	}
	day, err := time.Parse("2006-01-02", rest[:10])
	if err != nil {
		return Partition{}, SeqRange{}, bad("bad date")
	}
	rest = rest[10:]
	if !strings.HasPrefix(rest, "/hour=") || len(rest) < 9 || rest[8] != '/' {
		return Partition{}, SeqRange{}, bad("bad hour")
	}
	h, err := strconv.Atoi(rest[6:8])
	if err != nil || h < 0 || h > 23 {
		return Partition{}, SeqRange{}, bad("bad hour")
	}
	name := rest[9:]
	body, ok := strings.CutPrefix(name, "part-")
	if !ok {
		return Partition{}, SeqRange{}, bad("not a part file")
	}
	body, ok = strings.CutSuffix(body, ".parquet")
	if !ok {
		return Partition{}, SeqRange{}, bad("not a .parquet file")
	}
	a, b, ok := strings.Cut(body, "-")
	if !ok || len(a) != seqDigits || len(b) != seqDigits {
		return Partition{}, SeqRange{}, bad("want part-<20 digits>-<20 digits>.parquet")
	}
	first, err1 := strconv.ParseUint(a, 10, 64)
	last, err2 := strconv.ParseUint(b, 10, 64)
	if err1 != nil || err2 != nil || first > last {
		return Partition{}, SeqRange{}, bad("bad sequence range")
	}
	return Partition{Hour: day.Add(time.Duration(h) * time.Hour)}, SeqRange{first, last}, nil
}

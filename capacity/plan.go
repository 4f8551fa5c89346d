package capacity

import (
	"fmt"
	"math"
)

const (
	secondsPerDay   = 86400
	secondsPerMonth = 30 * secondsPerDay
)

// Line is one figure and how it was computed.
type Line struct {
	Name       string  `json:"name"`
	Arithmetic string  `json:"arithmetic"`
	Value      float64 `json:"value"`
	Unit       string  `json:"unit"`
	Shown      string  `json:"shown"`
}

// Report is the whole plan: the design notes' table, then this project's
// figures from its measured rates.
type Report struct {
	Load       Load   `json:"load"`
	Rates      []Rate `json:"rates"`
	NotesTable []Line `json:"notes_table"`
	Traffic    []Line `json:"traffic"`
	Cores      []Line `json:"cores"`
	Egress     []Line `json:"egress"`
	Storage    []Line `json:"storage"`
	Lake       []Line `json:"lake"`
	Cost       []Line `json:"monthly_cost"`
}

func line(name, unit string, v float64, shown, format string, args ...any) Line {
	return Line{Name: name, Arithmetic: fmt.Sprintf(format, args...), Value: v, Unit: unit, Shown: shown}
}

// Plan computes the report for a load that Validate accepted.
func Plan(l Load, r *Rates) Report {
	p := planner{l: l, r: r}
	return Report{Load: l, Rates: r.Rates, NotesTable: p.notesTable(), Traffic: p.traffic(), Cores: p.cores(),
		Egress: p.egress(), Storage: p.storage(), Lake: p.lake(), Cost: p.cost()}
}

type planner struct {
	l Load
	r *Rates
}

// The design notes' table, with the notes' own method: one copy of every
// song at the notes' single bitrate, and every concurrent listener at it.
func (p planner) notesTable() []Line {
	l := p.l
	size := l.TrackSeconds * l.StreamKbps * 1000 / 8
	plays := l.DAU * l.PlaysPerUser
	return []Line{
		line("total users", "users", l.Users, Count(l.Users), "given (--users)"),
		line("DAU", "users", l.DAU, Count(l.DAU), "given (--dau)"),
		line("total songs", "songs", l.Songs, Count(l.Songs), "given (--songs)"),
		line("avg song size", "bytes", size, bytesOf(size), "%s s × %s kbps ÷ 8", trim(l.TrackSeconds), trim(l.StreamKbps)),
		line("total music storage", "bytes", l.Songs*size, bytesOf(l.Songs*size), "%s × %s", Count(l.Songs), bytesOf(size)),
		line("concurrent listeners", "listeners", l.Concurrent, Count(l.Concurrent), "given (--concurrent)"),
		line("bandwidth", "bps", l.Concurrent*l.StreamKbps*1000, bits(l.Concurrent*l.StreamKbps*1000), "%s × %s kbps", Count(l.Concurrent), trim(l.StreamKbps)),
		line("songs played / day", "plays", plays, Count(plays), "%s DAU × %s", Count(l.DAU), trim(l.PlaysPerUser)),
		line("streams / s", "streams/s", plays/secondsPerDay, Count(plays/secondsPerDay), "%s ÷ 86,400", Count(plays)),
	}
}

func (p planner) meanStreams() float64 { return p.l.DAU * p.l.PlaysPerUser / secondsPerDay }
func (p planner) peakStreams() float64 { return p.l.Concurrent / p.l.TrackSeconds }
func (p planner) meanListeners() float64 {
	return p.meanStreams() * p.l.TrackSeconds
}

func (p planner) mixKbps() float64 {
	kbps := 0.0
	for _, s := range p.l.BitrateMix {
		kbps += float64(s.Kbps) * s.Share
	}
	return kbps
}

// traffic are the rates the tiers are sized from: the peak comes from the
// concurrent listeners, each starting a song every track length.
func (p planner) traffic() []Line {
	mean, peak := p.meanStreams(), p.peakStreams()
	listeners := p.meanListeners()
	return []Line{
		line("mean streams/s", "streams/s", mean, Count(mean), "%s DAU × %s plays ÷ 86,400", Count(p.l.DAU), trim(p.l.PlaysPerUser)),
		line("mean concurrent listeners", "listeners", listeners, Count(listeners), "%s streams/s × %s s", Count(mean), trim(p.l.TrackSeconds)),
		line("peak streams/s", "streams/s", peak, Count(peak), "%s concurrent ÷ %s s per track", Count(p.l.Concurrent), trim(p.l.TrackSeconds)),
		line("peak ÷ mean", "ratio", peak/mean, trim(peak/mean)+"×", "%s ÷ %s", Count(peak), Count(mean)),
		line("mean streamed bitrate", "kbps", p.mixKbps(), trim(p.mixKbps())+" kbps", "Σ kbps × share over --bitrate-mix %s", p.l.BitrateMix),
	}
}

// cores sizes each tier: work per second ÷ the measured per-core rate ÷
// the target utilisation, rounded up.
func (p planner) cores() []Line {
	l, r := p.l, p.r
	u := l.Utilisation
	audioPerSec := l.NewSongsDaily * l.TrackSeconds / secondsPerDay
	nonEncode := r.get(rateIngest) - r.get(rateEncode)
	peakAPI := p.peakStreams() * l.APIPerPlay
	originBytes := l.Concurrent * p.mixKbps() * 1000 / 8 * (1 - l.CDNHitRatio)
	peakReports := p.peakStreams() * l.ReportsPerPly
	monthEvents := p.meanStreams() * l.ReportsPerPly * secondsPerMonth
	window := l.BatchHours * 3600
	peakSearch := l.DAU * l.SearchesDaily / secondsPerDay * p.peakStreams() / p.meanStreams()
	signals := l.DAU * l.RecoSignals
	lines := []Line{
		coreLine("ingest", audioPerSec*nonEncode/u, "%s songs/day × %s s ÷ 86,400 × (%s − %s encode) core-s per audio s ÷ %s",
			Count(l.NewSongsDaily), trim(l.TrackSeconds), trim(r.get(rateIngest)), trim(r.get(rateEncode)), trim(u)),
		coreLine("encode", audioPerSec*r.get(rateEncode)/u, "%s songs/day × %s s ÷ 86,400 × %s core-s per audio s ÷ %s",
			Count(l.NewSongsDaily), trim(l.TrackSeconds), trim(r.get(rateEncode)), trim(u)),
		coreLine("serve (API)", peakAPI/r.get(rateAPI)/u, "%s peak streams/s × %s requests ÷ %s req/s per core ÷ %s",
			Count(p.peakStreams()), trim(l.APIPerPlay), Count(r.get(rateAPI)), trim(u)),
		coreLine("serve (origin for CDN misses)", originBytes/r.get(rateOrigin)/u, "%s concurrent × %s kbps ÷ 8 × (1 − %s hit) ÷ %s/s per core ÷ %s",
			Count(l.Concurrent), trim(p.mixKbps()), trim(l.CDNHitRatio), bytesOf(r.get(rateOrigin)), trim(u)),
		coreLine("lake writer (report path)", peakReports/r.get(rateReports)/u, "%s peak streams/s × %s reports ÷ %s reports/s per core ÷ %s",
			Count(p.peakStreams()), trim(l.ReportsPerPly), trim(r.get(rateReports)), trim(u)),
		coreLine("royalty", monthEvents/r.get(rateRoyalty)/window, "%s events/month ÷ %s events per core-s ÷ %s h window",
			Count(monthEvents), Count(r.get(rateRoyalty)), trim(l.BatchHours)),
		coreLine("recommendations", signals/r.get(rateReco)/window, "%s DAU × %s signals ÷ %s signals per core-s ÷ %s h window",
			Count(l.DAU), trim(l.RecoSignals), Count(r.get(rateReco)), trim(l.BatchHours)),
		coreLine("search", peakSearch*r.get(rateSearch)/u, "%s DAU × %s searches ÷ 86,400 × %s peak÷mean × %s core-s per query ÷ %s",
			Count(l.DAU), trim(l.SearchesDaily), trim(p.peakStreams()/p.meanStreams()), trim(r.get(rateSearch)), trim(u)),
	}
	return withRegions(lines, l.Regions)
}

func coreLine(tier string, cores float64, format string, args ...any) Line {
	c := math.Ceil(cores)
	return line(tier, "cores", c, Count(c)+" cores", format, args...)
}

// withRegions sizes every region to carry the load of a lost one (N ÷ (N−1)
// with N ≥ 2), and adds the total.
func withRegions(lines []Line, regions int) []Line {
	total := 0.0
	for _, ln := range lines {
		total += ln.Value
	}
	out := append(lines, line("total, one region's worth", "cores", total, Count(total)+" cores", "sum of the tiers above"))
	if regions < 2 {
		return out
	}
	n := float64(regions)
	spread := math.Ceil(total * n / (n - 1))
	return append(out, line(fmt.Sprintf("total over %d regions, surviving the loss of one", regions), "cores", spread,
		Count(spread)+" cores", "%s × %d ÷ %d", Count(total), regions, regions-1))
}

func (p planner) egress() []Line {
	l := p.l
	peak := l.Concurrent * p.mixKbps() * 1000
	mean := p.meanListeners() * p.mixKbps() * 1000
	month := p.egressMonth()
	origin := month * (1 - l.CDNHitRatio)
	return []Line{
		line("peak CDN egress", "bps", peak, bits(peak), "%s concurrent × %s kbps", Count(l.Concurrent), trim(p.mixKbps())),
		line("mean CDN egress", "bps", mean, bits(mean), "%s mean listeners × %s kbps", Count(p.meanListeners()), trim(p.mixKbps())),
		line("CDN egress per month", "bytes", month, bytesOf(month), "%s ÷ 8 × 30 days", bits(mean)),
		line("origin egress per month (CDN misses)", "bytes", origin, bytesOf(origin), "%s × (1 − %s)", bytesOf(month), trim(l.CDNHitRatio)),
	}
}

func (p planner) egressMonth() float64 {
	return p.meanListeners() * p.mixKbps() * 1000 / 8 * secondsPerMonth
}

func (p planner) rungKbps() int {
	total := 0
	for _, k := range p.l.Rungs {
		total += k
	}
	return total
}

func (p planner) ladder() float64 {
	return p.l.Songs * p.l.TrackSeconds * float64(p.rungKbps()) * 1000 / 8
}
func (p planner) previews() float64 { return p.l.Songs * p.l.PreviewSecs * p.l.PreviewKbps * 1000 / 8 }
func (p planner) masters() float64  { return p.l.Songs * p.l.TrackSeconds * p.l.MasterKbps * 1000 / 8 }
func (p planner) copies() float64   { return p.l.Replication * float64(p.l.Regions) }
func (p planner) blobs() float64 {
	return (p.ladder() + p.previews() + p.masters()) * p.copies()
}
func (p planner) indexes() float64 {
	return p.l.Songs * (p.r.get(rateSearchIndex) + p.r.get(rateFingerprintSize))
}
func (p planner) lakeRetained() float64 { return p.lakeMonth() * p.l.LakeMonths }

func (p planner) storage() []Line {
	l, r := p.l, p.r
	rungKbps := p.rungKbps()
	ladder, preview, master, blobs, lake := p.ladder(), p.previews(), p.masters(), p.blobs(), p.lakeRetained()
	search := l.Songs * r.get(rateSearchIndex)
	fp := l.Songs * r.get(rateFingerprintSize)
	return []Line{
		line("renditions (the ladder)", "bytes", ladder, bytesOf(ladder), "%s songs × %s s × (%v = %d kbps) ÷ 8", Count(l.Songs), trim(l.TrackSeconds), l.Rungs, rungKbps),
		line("previews", "bytes", preview, bytesOf(preview), "%s songs × %s s × %s kbps ÷ 8", Count(l.Songs), trim(l.PreviewSecs), trim(l.PreviewKbps)),
		line("masters (kept under masters/)", "bytes", master, bytesOf(master), "%s songs × %s s × %s kbps ÷ 8", Count(l.Songs), trim(l.TrackSeconds), trim(l.MasterKbps)),
		line("blob store, all copies", "bytes", blobs, bytesOf(blobs), "(%s + %s + %s) × %s replication × %d regions", bytesOf(ladder), bytesOf(preview), bytesOf(master), trim(l.Replication), l.Regions),
		line("search index", "bytes", search, bytesOf(search), "%s songs × %s B per track", Count(l.Songs), trim(r.get(rateSearchIndex))),
		line("fingerprint index", "bytes", fp, bytesOf(fp), "%s songs × %s B per track", Count(l.Songs), trim(r.get(rateFingerprintSize))),
		line("lake, retained", "bytes", lake, bytesOf(lake), "%s per month × %s months", bytesOf(p.lakeMonth()), trim(l.LakeMonths)),
	}
}

func (p planner) monthEvents() float64 {
	return p.meanStreams() * p.l.ReportsPerPly * secondsPerMonth
}

func (p planner) lakeMonth() float64 { return p.monthEvents() * p.r.get(rateLakeBytes) }

func (p planner) lake() []Line {
	ev := p.monthEvents()
	return []Line{
		line("playback events per month", "events", ev, Count(ev), "%s mean streams/s × %s reports × 30 days", Count(p.meanStreams()), trim(p.l.ReportsPerPly)),
		line("lake per month", "bytes", p.lakeMonth(), bytesOf(p.lakeMonth()), "%s events × %s B per event", Count(ev), trim(p.r.get(rateLakeBytes))),
	}
}

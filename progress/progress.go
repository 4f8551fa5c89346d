// Package progress shows how far several items are, each with a stage
// and a fraction of it: bars redrawn in place on a terminal (drawn by
// mpb), and one plain line per stage change anywhere else (a log file,
// CI), so logs hold no terminal control codes.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// Item is one item's state in an Update.
type Item struct {
	Key      string // the same item across updates
	Label    string
	Stage    string
	Fraction float64 // of Stage, 0..1
}

// View draws items on one writer. Use it from one goroutine.
type View struct {
	w     io.Writer
	p     *mpb.Progress   // nil in line mode
	bars  map[string]*bar // by Item.Key, terminal mode
	order []*bar
	last  map[string]string // stage last printed, line mode
}

// barScale is the resolution of a bar: a fraction is shown in thousandths.
const barScale = 1000

type bar struct {
	b        *mpb.Bar
	stage    atomic.Pointer[string]
	fraction float64
}

// New draws on w: bars when w is a terminal, lines otherwise.
func New(w io.Writer) *View {
	f, ok := w.(*os.File)
	return newView(w, ok && term.IsTerminal(int(f.Fd())))
}

func newView(w io.Writer, tty bool) *View {
	v := &View{w: w, last: map[string]string{}}
	if tty {
		// WithAutoRefresh draws even when mpb finds no terminal behind w
		// (the tests' buffer); on a terminal it changes nothing.
		v.p = mpb.New(mpb.WithOutput(w), mpb.WithAutoRefresh())
		v.bars = map[string]*bar{}
	}
	return v
}

// Update shows the items' current state. An item seen for the first time
// gets a bar (terminal) or a line (elsewhere); afterwards a line is
// printed only when its stage changes.
func (v *View) Update(items []Item) {
	for _, it := range items {
		if v.p == nil {
			if v.last[it.Key] != it.Stage || v.last[it.Key] == "" {
				fmt.Fprintf(v.w, "%-12s %3.0f%% %s\n", it.Label, clamp(it.Fraction)*100, it.Stage)
			}
			v.last[it.Key] = it.Stage
			continue
		}
		b := v.bars[it.Key]
		if b == nil {
			b = v.addBar(it.Label)
			v.bars[it.Key] = b
		}
		stage := it.Stage
		b.stage.Store(&stage)
		b.fraction = clamp(it.Fraction)
		b.b.SetCurrent(int64(b.fraction * barScale))
	}
}

// addBar makes a bar that completes only in Close: a stage's fraction
// reaching 1 is followed by the next stage from 0.
func (v *View) addBar(label string) *bar {
	b := &bar{}
	empty := ""
	b.stage.Store(&empty)
	b.b = v.p.AddBar(0, mpb.BarWidth(24),
		mpb.PrependDecorators(decor.Name(label, decor.WC{W: 13, C: decor.DindentRight})),
		mpb.AppendDecorators(
			decor.Percentage(decor.WC{W: 6}),
			decor.Any(func(decor.Statistics) string { return " " + *b.stage.Load() }),
		),
	)
	b.b.SetTotal(barScale, false)
	v.order = append(v.order, b)
	return b
}

// Close ends the display: finished bars complete, others stay as they
// are, and the last frame is drawn.
func (v *View) Close() {
	if v.p == nil {
		return
	}
	for _, b := range v.order {
		if b.fraction >= 1 {
			b.b.SetTotal(-1, true)
		} else {
			b.b.Abort(false)
		}
	}
	v.p.Wait()
}

func clamp(f float64) float64 { return min(max(f, 0), 1) }

//go:build cluster

package clustertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// report is one playback report: the bearer token ("" for an anonymous
// play) and the JSON body.
type report struct {
	token string
	body  []byte
}

// reportLoad sends playback reports through the front the way players do:
// each report is retried, with the same event_id, until it gets a 202.
type reportLoad struct {
	url     string // POST target
	reports []report
	client  *http.Client
	giveUp  time.Duration // retries of one report before the load fails

	acked                           []atomic.Bool
	nAcked, retries, resent         atomic.Int64
	connErrors, badGateway, unavail atomic.Int64
}

func newReportLoad(front string, reports []report) *reportLoad {
	return &reportLoad{url: front + "/api/v1/playback/report", reports: reports, client: &http.Client{Timeout: 10 * time.Second},
		giveUp: 3 * time.Minute, acked: make([]atomic.Bool, len(reports))}
}

// reportBody is the JSON of one play.
func reportBody(event, track, session string, at time.Time, listenedMS int, completed bool) []byte {
	b, _ := json.Marshal(map[string]any{
		"event_id": event, "track_id": track, "session_id": session, "device_id": "dev-1",
		"played_at": at.UTC().Format(time.RFC3339Nano), "duration_listened_ms": listenedMS,
		"completed": completed, "quality": "160kbps",
	})
	return b
}

// send posts report i until it is acknowledged. Connection errors, 502
// (the front found its serve dead) and 503 are retried; any other status
// is an error.
func (l *reportLoad) send(ctx context.Context, i int) error {
	r := l.reports[i]
	deadline := time.Now().Add(l.giveUp)
	for attempt := 0; ; attempt++ {
		if time.Now().After(deadline) {
			return fmt.Errorf("report %d: no 202 within %s of retries", i, l.giveUp)
		}
		if attempt > 0 {
			l.retries.Add(1)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(min(attempt, 20)) * 10 * time.Millisecond):
			}
		}
		req, _ := http.NewRequestWithContext(ctx, "POST", l.url, bytes.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		if r.token != "" {
			req.Header.Set("Authorization", "Bearer "+r.token)
		}
		resp, err := l.client.Do(req)
		if err != nil {
			l.connErrors.Add(1)
			continue
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusAccepted:
			return nil
		case http.StatusBadGateway:
			l.badGateway.Add(1)
		case http.StatusServiceUnavailable:
			l.unavail.Add(1)
		default:
			return fmt.Errorf("report %d: %d %s", i, resp.StatusCode, msg)
		}
	}
}

// run sends every report with workers goroutines; every 20th is sent a
// second time after its 202, as a player that lost the answer would. It
// returns the first error, after which the rest is not sent.
func (l *reportLoad) run(ctx context.Context, workers int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan int)
	var (
		wg       sync.WaitGroup
		firstErr error
		once     sync.Once
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				err := l.send(ctx, i)
				if err == nil {
					l.acked[i].Store(true)
					l.nAcked.Add(1)
					if i%20 == 0 {
						l.resent.Add(1)
						err = l.send(ctx, i)
					}
				}
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
			}
		}()
	}
feed:
	for i := range l.acked {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return firstErr
}

// waitAcked returns once n reports are acknowledged, or an error when the
// load ended (done closed) first or nothing was acknowledged for stall.
func (l *reportLoad) waitAcked(n int64, done <-chan struct{}, stall time.Duration) error {
	last, lastAt := l.nAcked.Load(), time.Now()
	for l.nAcked.Load() < n {
		select {
		case <-done:
			return fmt.Errorf("the load ended at %d acknowledged reports, before %d", l.nAcked.Load(), n)
		case <-time.After(20 * time.Millisecond):
		}
		if cur := l.nAcked.Load(); cur > last {
			last, lastAt = cur, time.Now()
		} else if time.Since(lastAt) > stall {
			return fmt.Errorf("no report acknowledged for %s (%d so far)", stall, cur)
		}
	}
	return nil
}

// Command workflowphases prints, for the newest closed workflow of a type,
// each activity type's phase from its history: how many ran, the first
// start and the last completion (the phase's wall time), and the
// shortest and longest single activity (start to completion). scripts/bench-reco-batch.sh reads
// the Recommendations batch's extract, train and lists phases with it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

type phase struct {
	name          string
	count         int
	first, last   time.Time
	shortest, max time.Duration
}

func main() {
	addr := flag.String("temporal", "127.0.0.1:7233", "Temporal frontend")
	ns := flag.String("namespace", "default", "namespace")
	wfType := flag.String("type", "Recommendations", "workflow type")
	flag.Parse()
	ctx := context.Background()
	c, err := client.Dial(client.Options{HostPort: *addr, Namespace: *ns})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	list, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Namespace: *ns, Query: fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus != 'Running'", *wfType), PageSize: 1})
	if err != nil || len(list.Executions) == 0 {
		log.Fatalf("no closed %s workflow on %s: %v", *wfType, *addr, err)
	}
	ex := list.Executions[0].Execution
	phases, start, end := readPhases(ctx, c, ex.WorkflowId, ex.RunId)
	fmt.Fprintf(os.Stdout, "workflow %s %s: wall %.1f s (%s to %s UTC)\n", ex.WorkflowId, ex.RunId, end.Sub(start).Seconds(),
		start.UTC().Format("15:04:05"), end.UTC().Format("15:04:05"))
	for _, p := range phases {
		fmt.Printf("phase %-12s activities %3d  wall %8.1f s  (%s to %s UTC)  each %.1f to %.1f s\n", p.name, p.count,
			p.last.Sub(p.first).Seconds(), p.first.UTC().Format("15:04:05"), p.last.UTC().Format("15:04:05"), p.shortest.Seconds(), p.max.Seconds())
	}
}

// readPhases walks the history: a phase runs from the scheduling of its
// first activity to the completion of its last, grouped by activity type
// in order of first appearance; each activity's own time is from its
// (last) start to its completion.
func readPhases(ctx context.Context, c client.Client, id, run string) ([]*phase, time.Time, time.Time) {
	byType := map[string]*phase{}
	var order []*phase
	scheduled := map[int64]struct {
		typ string
		at  time.Time
	}{}
	started := map[int64]time.Time{}
	var start, end time.Time
	it := c.GetWorkflowHistory(ctx, id, run, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			log.Fatal(err)
		}
		at := ev.GetEventTime().AsTime()
		if start.IsZero() {
			start = at
		}
		end = at
		if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
			scheduled[ev.GetEventId()] = struct {
				typ string
				at  time.Time
			}{a.GetActivityType().GetName(), at}
		}
		if a := ev.GetActivityTaskStartedEventAttributes(); a != nil {
			started[a.GetScheduledEventId()] = at
		}
		if a := ev.GetActivityTaskCompletedEventAttributes(); a != nil {
			s := scheduled[a.GetScheduledEventId()]
			p := byType[s.typ]
			if p == nil {
				p = &phase{name: s.typ, first: s.at, shortest: time.Duration(1 << 62)}
				byType[s.typ] = p
				order = append(order, p)
			}
			d := at.Sub(started[a.GetScheduledEventId()])
			p.count++
			p.first = minTime(p.first, s.at)
			if at.After(p.last) {
				p.last = at
			}
			p.shortest, p.max = min(p.shortest, d), max(p.max, d)
		}
	}
	return order, start, end
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

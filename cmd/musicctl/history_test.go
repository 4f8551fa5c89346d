package main

import (
	"context"
	"os"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"
)

// histStats summarises one workflow history for the ingest measurement.
type histStats struct {
	wall     time.Duration // first to last event
	overhead time.Duration // activity schedule-to-start plus workflow task schedule-to-complete
	work     time.Duration // activity start-to-complete (our code, incl. waiting for a CPU slot)
	children []string      // child workflow IDs
}

func historyStats(ctx context.Context, c client.Client, id string) (histStats, error) {
	var s histStats
	scheduled := map[int64]time.Time{}
	started := map[int64]time.Time{}
	var first, last time.Time
	it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return s, err
		}
		ts := ev.GetEventTime().AsTime()
		if first.IsZero() {
			first = ts
		}
		last = ts
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
			scheduled[ev.GetEventId()] = ts
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			s.overhead += ts.Sub(scheduled[ev.GetActivityTaskStartedEventAttributes().GetScheduledEventId()])
			started[ev.GetEventId()] = ts
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			s.work += ts.Sub(started[ev.GetActivityTaskCompletedEventAttributes().GetStartedEventId()])
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			s.overhead += ts.Sub(scheduled[ev.GetWorkflowTaskCompletedEventAttributes().GetScheduledEventId()])
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
			s.children = append(s.children, ev.GetChildWorkflowExecutionStartedEventAttributes().GetWorkflowExecution().GetWorkflowId())
		}
	}
	s.wall = last.Sub(first)
	return s, nil
}

// saveHistory writes a workflow's history as JSON (the format of
// `temporal workflow show --output json`), for workflows' replay tests.
func saveHistory(ctx context.Context, c client.Client, id, path string) error {
	var h historypb.History
	it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return err
		}
		h.Events = append(h.Events, ev)
	}
	b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&h)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

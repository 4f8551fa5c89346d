package temporalmetrics

// Names the workflows and the interceptor record through the SDK's
// metrics handler (workflow.GetMetricsHandler, activity.GetMetricsHandler),
// so the figures follow the SDK's replay rules; Handler exports them.
const (
	// ActivityRetry counts activity attempts after the first.
	ActivityRetry = "music_activity_retry"
	// WorkflowRetry counts workflow runs started by a retry policy.
	WorkflowRetry = "music_workflow_retry"
	// BatchDuration times a batch workflow from its start to its end;
	// tagged with BatchTag.
	BatchDuration = "music_batch_duration"
	// BatchTag names the batch: royalty, recommendations, rankings.
	BatchTag = "batch"
)

// kind is the Prometheus type a metric is exported as.
type kind int

const (
	counter kind = iota
	gauge
	histogram
)

// spec is one exported metric: the SDK's name maps to name, with labels
// taken from the SDK's tags (a tag the SDK did not set is "none").
type spec struct {
	name   string
	help   string
	kind   kind
	labels []string
}

// specs are the metrics Handler exports, by the name the SDK (or our
// code) records them under. The SDK's other metrics (pollers, sticky
// cache, Nexus) are not exported.
var specs = map[string]spec{
	"temporal_workflow_completed":                 {"music_temporal_workflow_completed_total", "Workflow runs that completed, by workflow type.", counter, []string{"workflow_type", "task_queue"}},
	"temporal_workflow_failed":                    {"music_temporal_workflow_failed_total", "Workflow runs that ended with an error, by workflow type.", counter, []string{"workflow_type", "task_queue"}},
	"temporal_workflow_canceled":                  {"music_temporal_workflow_canceled_total", "Workflow runs that were cancelled, by workflow type.", counter, []string{"workflow_type", "task_queue"}},
	"temporal_workflow_endtoend_latency":          {"music_temporal_workflow_duration_seconds", "Workflow run time from start to close, by workflow type.", histogram, []string{"workflow_type", "task_queue"}},
	"temporal_workflow_task_execution_failed":     {"music_temporal_workflow_task_failed_total", "Workflow tasks that failed (a panic or a non-determinism error), by workflow type and reason.", counter, []string{"workflow_type", "failure_reason"}},
	"temporal_activity_execution_failed":          {"music_temporal_activity_failed_total", "Activity attempts that ended with an error, by activity type.", counter, []string{"activity_type", "workflow_type"}},
	"temporal_activity_execution_latency":         {"music_temporal_activity_duration_seconds", "Activity attempt run time, by activity type.", histogram, []string{"activity_type", "workflow_type"}},
	"temporal_activity_schedule_to_start_latency": {"music_temporal_activity_schedule_to_start_seconds", "Time activity tasks waited in the task queue for a worker, by activity type.", histogram, []string{"activity_type", "task_queue"}},
	"temporal_request_failure":                    {"music_temporal_request_failures_total", "Calls to the Temporal frontend that failed, by operation.", counter, []string{"operation", "status_code"}},
	"temporal_worker_task_slots_available":        {"music_temporal_worker_task_slots_available", "Free task slots of this process's workers, by worker type.", gauge, []string{"worker_type"}},
	ActivityRetry:                                 {"music_temporal_activity_retries_total", "Activity attempts after the first (retries), by activity type.", counter, []string{"activity_type", "workflow_type"}},
	WorkflowRetry:                                 {"music_temporal_workflow_retries_total", "Workflow runs started by a retry policy, by workflow type.", counter, []string{"workflow_type"}},
	BatchDuration:                                 {"music_batch_duration_seconds", "Batch workflow run time from start to a successful end (workflow time), by batch.", histogram, []string{BatchTag}},
}

// Exported lists the Prometheus names Handler exports.
func Exported() []string {
	out := make([]string, 0, len(specs))
	for _, s := range specs {
		out = append(out, s.name)
	}
	return out
}

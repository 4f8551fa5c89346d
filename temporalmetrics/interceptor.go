package temporalmetrics

import (
	"context"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"
)

// Interceptor counts retries: activity attempts after the first, and
// workflow runs a retry policy started. Add &Interceptor{} to
// worker.Options.Interceptors.
type Interceptor struct {
	interceptor.WorkerInterceptorBase
}

// InterceptActivity counts the activity's attempts after the first.
func (*Interceptor) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &activityRetries{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}}
}

// InterceptWorkflow counts the workflow's runs after the first attempt.
func (*Interceptor) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &workflowRetries{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}}
}

type activityRetries struct {
	interceptor.ActivityInboundInterceptorBase
}

func (a *activityRetries) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	if activity.GetInfo(ctx).Attempt > 1 {
		activity.GetMetricsHandler(ctx).Counter(ActivityRetry).Inc(1)
	}
	return a.Next.ExecuteActivity(ctx, in)
}

type workflowRetries struct {
	interceptor.WorkflowInboundInterceptorBase
}

// ExecuteWorkflow records through the workflow's handler, which stays
// silent while a run is replayed.
func (w *workflowRetries) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	if workflow.GetInfo(ctx).Attempt > 1 {
		workflow.GetMetricsHandler(ctx).Counter(WorkflowRetry).Inc(1)
	}
	return w.Next.ExecuteWorkflow(ctx, in)
}

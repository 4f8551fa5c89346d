// Package workflows holds the platform's Temporal workflows and the
// activities they call. Workflows are plain functions that use only
// workflow.* APIs, so they replay deterministically; activities are methods
// on Activities, which holds the stores, and pass blob keys, never bytes.
package workflows

// TaskQueue is the queue every workflow and activity of the platform runs
// on. One queue keeps deployment simple: any worker can do any step.
const TaskQueue = "music"

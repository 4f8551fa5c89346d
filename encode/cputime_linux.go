package encode

import (
	"syscall"
	"time"
)

// threadCPU is the calling OS thread's CPU time (user+system). Stages
// lock their goroutine to a thread, so differences measure the stage's
// own work even when the machine is busy.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

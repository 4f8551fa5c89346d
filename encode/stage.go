package encode

import (
	"runtime"
	"sync"
	"time"
)

// stage runs work on chunks in its own goroutine, locked to an OS thread,
// and records that thread's CPU time, for the per-stage timing split.
type stage struct {
	name string
	in   chan []float32
	work func([]float32) error
	busy time.Duration
	err  error
}

func startStage(wg *sync.WaitGroup, name string, work func([]float32) error) *stage {
	s := &stage{name: name, in: make(chan []float32, 8), work: work}
	wg.Add(1)
	go func() {
		defer wg.Done()
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		start := threadCPU()
		for chunk := range s.in {
			if s.err != nil {
				continue // drain so the producer never blocks
			}
			s.err = s.work(chunk)
		}
		s.busy = threadCPU() - start
	}()
	return s
}

// mixStereo converts interleaved frames with ch channels to stereo:
// mono is duplicated; 3+ channels use the ITU-R BS.775 downmix
// (centre and surrounds at -3 dB, LFE dropped) for L R C [LFE] Ls Rs.
func mixStereo(dst, src []float32, ch int) []float32 {
	frames := len(src) / ch
	switch ch {
	case 2:
		return append(dst, src...)
	case 1:
		for _, v := range src {
			dst = append(dst, v, v)
		}
		return dst
	}
	const g = 0.70710678
	for i := 0; i < frames; i++ {
		f := src[i*ch : i*ch+ch]
		l, r := f[0], f[1]
		switch ch {
		case 3: // L R C
			l, r = l+g*f[2], r+g*f[2]
		case 4: // L R Ls Rs
			l, r = l+g*f[2], r+g*f[3]
		case 5: // L R C Ls Rs
			l, r = l+g*f[2]+g*f[3], r+g*f[2]+g*f[4]
		default: // L R C LFE Ls Rs …
			l, r = l+g*f[2]+g*f[4], r+g*f[2]+g*f[5]
		}
		dst = append(dst, l, r)
	}
	return dst
}

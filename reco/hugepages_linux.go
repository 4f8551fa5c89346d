package reco

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugeFloats allocates n zeroed float32s outside the Go heap, in memory
// the kernel is asked to back with 2 MB pages (transparent huge pages in
// "madvise" mode, as Debian ships). word2vec's random rows otherwise miss
// the TLB as well as the caches once the matrices pass a few MB; numpy
// asks the same for its large arrays, so gensim has them. free returns
// the memory; nothing may use buf after it. Should mmap fail, the Go heap
// serves.
func hugeFloats(n int) (buf []float32, free func()) {
	if n < 1<<18 { // under 1 MB: not worth a mapping
		return make([]float32, n), func() {}
	}
	b, err := unix.Mmap(-1, 0, n*4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return make([]float32, n), func() {}
	}
	_ = unix.Madvise(b, unix.MADV_HUGEPAGE) // a hint: without it, 4 KB pages
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), n), func() { unix.Munmap(b) }
}

package reduce

import (
	"runtime"
	"sync"
)

func defaultWorkers() int {
	return runtime.GOMAXPROCS(0)
}

// parallelFor calls body on contiguous ranges that cover [0, n), one range
// per worker. Each index is handled by exactly one call, so results that
// body writes per index do not depend on the number of workers.
func parallelFor(workers, n int, body func(lo, hi int)) {
	workers = max(1, min(workers, n))
	if workers == 1 {
		body(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() { body(lo, hi) })
	}
	wg.Wait()
}

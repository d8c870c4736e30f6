package daemon

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestApplyMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })

	tests := []struct {
		name string
		mib  int
		want int64 // limit in bytes; 0 leaves the runtime's limit alone
	}{
		{"default", 0, DefaultMemoryLimitMiB << 20},
		{"configured", 100, 100 << 20},
		{"no limit", -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			debug.SetMemoryLimit(math.MaxInt64)
			if got := applyMemoryLimit(tt.mib, nil); got != tt.want {
				t.Errorf("applyMemoryLimit(%d) = %d, want %d", tt.mib, got, tt.want)
			}
			wantRuntime := tt.want
			if wantRuntime == 0 {
				wantRuntime = math.MaxInt64
			}
			if got := debug.SetMemoryLimit(-1); got != wantRuntime {
				t.Errorf("runtime limit %d, want %d", got, wantRuntime)
			}
		})
	}
}

func TestApplyMemoryLimitEnvironmentWins(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	t.Setenv("GOMEMLIMIT", "1GiB")

	debug.SetMemoryLimit(math.MaxInt64)
	if got := applyMemoryLimit(0, nil); got != 0 {
		t.Errorf("applyMemoryLimit with GOMEMLIMIT = %d, want 0", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("runtime limit %d, want unchanged", got)
	}
}

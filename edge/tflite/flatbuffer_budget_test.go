package tflite

import (
	"errors"
	"testing"
)

func TestDecodeBudgetStopsSharedTables(t *testing.T) {
	data := make([]byte, 1000)
	r := newReader(data)
	limit := decodeFactor*int64(len(data)) + decodeSlack
	calls := int64(0)
	for r.charge(0, 1000) {
		calls++
		if calls > limit {
			t.Fatal("charge never failed")
		}
	}
	if want := limit / 1000; calls != want {
		t.Errorf("%d charges of 1000 bytes passed, want %d", calls, want)
	}
	if !errors.Is(r.err, ErrMalformed) {
		t.Errorf("err %v, want ErrMalformed", r.err)
	}
}

package hub

import (
	"testing"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
)

func TestSequenceTracking(t *testing.T) {
	tests := []struct {
		name     string
		arrivals []uint64
		giveUpTo uint64 // 0 means no resync reply
		want     Sequence
	}{
		{"in order", []uint64{1, 2, 3}, 0, Sequence{Stored: 3, Max: 3, Next: 4}},
		{"duplicate", []uint64{1, 2, 2, 1}, 0, Sequence{Stored: 2, Max: 2, Next: 3, Duplicates: 2}},
		{"gap then fill", []uint64{1, 4, 2, 3}, 0,
			Sequence{Stored: 4, Max: 4, Next: 5, Gaps: 1, OutOfOrder: 2}},
		{"gap open", []uint64{1, 2, 5}, 0, Sequence{Stored: 3, Max: 5, Next: 3, Gaps: 1}},
		{"first lost", []uint64{3, 4}, 0, Sequence{Stored: 2, Max: 4, Next: 1, Gaps: 1}},
		// The device keeps 5 and up: 3 and 4 are lost, 5 is still expected.
		{"given up", []uint64{1, 2, 6}, 5,
			Sequence{Stored: 3, Max: 6, Next: 5, Gaps: 1, Lost: 2}},
	}
	forEachStore(t, func(t *testing.T, state Options) {
		st, err := openStore(state, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.close()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				device := "cam-" + tt.name // one history per case
				var got Sequence
				err = st.db.Update(func(tx kv.Tx) error {
					for _, seq := range tt.arrivals {
						if _, err := st.record(tx, device, "summary", seq, []byte("{}"), &got); err != nil {
							return err
						}
					}
					if tt.giveUpTo == 0 {
						return nil
					}
					b, err := historyOf(tx, device, "summary")
					if err == nil {
						giveUp(b, &got, tt.giveUpTo)
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				if got.Next == 0 {
					got.Next = 1
				}
				if got != tt.want {
					t.Errorf("sequence = %+v, want %+v", got, tt.want)
				}
			})
		}
	})
}

package uplink

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func TestOutboxLimits(t *testing.T) {
	tests := []struct {
		name        string
		maxCount    int
		maxBytes    int64
		pushes      int
		wantLen     int
		wantOldest  byte
		wantDropped uint64
	}{
		{"under both", 10, 1 << 20, 5, 5, 0, 0},
		{"count cap", 3, 1 << 20, 5, 3, 2, 2},
		// Each entry takes 8 key bytes + 1 flag + 2 length + 1 topic + 100 payload.
		{"byte cap", 100, 3 * 112, 5, 3, 2, 2},
		{"byte cap below count cap", 4, 2 * 112, 4, 2, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t, filepath.Join(t.TempDir(), "s.db"))
			box, err := openOutbox(db, tt.maxCount, tt.maxBytes, 10)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < tt.pushes; i++ {
				payload := bytes.Repeat([]byte{byte(i)}, 100)
				if _, err := box.push(Message{Topic: "x", Payload: payload}); err != nil {
					t.Fatal(err)
				}
			}
			if n := box.len(); n != tt.wantLen {
				t.Errorf("len %d, want %d", n, tt.wantLen)
			}
			good, _, err := box.peek(nil, 1)
			if err != nil || len(good) != 1 {
				t.Fatalf("peek: %d entries, err %v", len(good), err)
			}
			if got := good[0].msg.Payload[0]; got != tt.wantOldest {
				t.Errorf("oldest kept is %d, want %d", got, tt.wantOldest)
			}
			if got := box.droppedTotal(); got != tt.wantDropped {
				t.Errorf("dropped %d, want %d", got, tt.wantDropped)
			}
		})
	}
}

func TestOutboxReopenKeepsCounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db := openDB(t, path)
	box, err := openOutbox(db, 2, 1<<20, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := box.push(Message{Topic: "x", Payload: []byte{byte(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	size := box.size()
	db.Close()

	box, err = openOutbox(openDB(t, path), 2, 1<<20, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := box.len(); got != 2 {
		t.Errorf("reopened len %d, want 2", got)
	}
	if got := box.size(); got != size {
		t.Errorf("reopened size %d, want %d", got, size)
	}
	if got := box.droppedTotal(); got != 3 {
		t.Errorf("reopened dropped %d, want 3", got)
	}
}

func TestOutboxRejectsOversizedMessage(t *testing.T) {
	box, err := openOutbox(openDB(t, filepath.Join(t.TempDir(), "s.db")), 10, 64, 10)
	if err != nil {
		t.Fatal(err)
	}
	_, err = box.push(Message{Topic: "x", Payload: make([]byte, 100)})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err %v, want ErrTooLarge", err)
	}
	if box.len() != 0 {
		t.Errorf("len %d after a rejected push, want 0", box.len())
	}
}

func TestOutboxAckAndResend(t *testing.T) {
	box, err := openOutbox(openDB(t, filepath.Join(t.TempDir(), "s.db")), 100, 1<<20, 3)
	if err != nil {
		t.Fatal(err)
	}
	for seq := uint64(1); seq <= 5; seq++ {
		m := Message{Topic: "s", Payload: []byte{byte(seq)}, Seq: seq}
		if _, err := box.push(m); err != nil {
			t.Fatal(err)
		}
	}
	good, _, err := box.peek(nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := box.ack(good, nil); err != nil {
		t.Fatal(err)
	}
	if box.len() != 0 {
		t.Fatalf("len %d after ack, want 0", box.len())
	}

	queued, oldest, err := box.resend("s", 4)
	if err != nil {
		t.Fatal(err)
	}
	if queued != 2 {
		t.Errorf("queued %d, want 2 (seq 4 and 5)", queued)
	}
	if oldest != 3 {
		t.Errorf("oldest kept %d, want 3 (KeepSent is 3)", oldest)
	}
	good, _, _ = box.peek(nil, 10)
	if len(good) != 2 || good[0].msg.Seq != 4 || good[1].msg.Seq != 5 {
		t.Errorf("queue after resend = %+v, want seq 4 then 5", good)
	}
}

func TestMessageEncoding(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want *Message
	}{
		{"round trip", encodeMessage(Message{Topic: "a/b", Payload: []byte("p"), Retained: true}),
			&Message{Topic: "a/b", Payload: []byte("p"), Retained: true}},
		{"with seq", encodeMessage(Message{Topic: "a", Payload: []byte("q"), Seq: 1 << 40}),
			&Message{Topic: "a", Payload: []byte("q"), Seq: 1 << 40}},
		{"without seq field", []byte{0, 0, 1, 'a', 'z'}, &Message{Topic: "a", Payload: []byte("z")}},
		{"short", []byte{1, 0}, nil},
		{"topic past end", []byte{0, 0, 9, 'a'}, nil},
		{"seq cut", []byte{flagSeq, 0, 0, 0, 1}, nil},
	}
	for _, tt := range tests {
		m, err := decodeMessage(tt.in)
		if tt.want == nil {
			if !errors.Is(err, ErrCorruptMessage) {
				t.Errorf("%s: err %v, want ErrCorruptMessage", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if m.Topic != tt.want.Topic || !bytes.Equal(m.Payload, tt.want.Payload) ||
			m.Retained != tt.want.Retained || m.Seq != tt.want.Seq {
			t.Errorf("%s: decoded %+v, want %+v", tt.name, m, *tt.want)
		}
	}
}

func TestBackoffDelay(t *testing.T) {
	tests := []struct {
		attempt int
		r       float64
		want    time.Duration
	}{
		{0, 0, 50 * time.Millisecond},
		{0, 0.5, 75 * time.Millisecond},
		{1, 0, 100 * time.Millisecond},
		{3, 0.999999, 799999 * time.Microsecond},
		{10, 0, 500 * time.Millisecond},
		{10, 0.5, 750 * time.Millisecond},
	}
	for _, tt := range tests {
		b := Backoff{Min: 100 * time.Millisecond, Max: time.Second, Rand: func() float64 { return tt.r }}
		got := b.Delay(tt.attempt)
		if diff := got - tt.want; diff < -time.Microsecond || diff > time.Microsecond {
			t.Errorf("Delay(%d) with rand %g = %v, want %v", tt.attempt, tt.r, got, tt.want)
		}
	}
}

func TestOutboxDropsExpendableFirst(t *testing.T) {
	tests := []struct {
		name         string
		maxCount     int
		pushes       []bool // true pushes an expendable message
		wantKept     []uint64
		wantDropped  uint64
		wantExpended uint64
	}{
		{"exemplars make room", 4, []bool{false, true, true, false, true, false},
			[]uint64{1, 4, 5, 6}, 0, 2},
		{"newest exemplar dropped too", 2, []bool{false, false, true},
			[]uint64{1, 2}, 0, 1},
		{"oldest kept once no exemplar is left", 2, []bool{true, false, false, false},
			[]uint64{3, 4}, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			box, err := openOutbox(openDB(t, filepath.Join(t.TempDir(), "s.db")),
				tt.maxCount, 1<<20, 10)
			if err != nil {
				t.Fatal(err)
			}
			for i, exp := range tt.pushes {
				m := Message{Topic: "x", Seq: uint64(i + 1), Expendable: exp}
				if _, err := box.push(m); err != nil {
					t.Fatal(err)
				}
			}
			good, _, err := box.peek(nil, 100)
			if err != nil {
				t.Fatal(err)
			}
			var got []uint64
			for _, e := range good {
				got = append(got, e.msg.Seq)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.wantKept) {
				t.Errorf("kept %v, want %v", got, tt.wantKept)
			}
			if d, x := box.droppedTotal(), box.expendedTotal(); d != tt.wantDropped ||
				x != tt.wantExpended {
				t.Errorf("dropped %d and %d expendable, want %d and %d", d, x,
					tt.wantDropped, tt.wantExpended)
			}
		})
	}
}

func TestOutboxDiscardReplacesQueuedExpendable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	box, err := openOutbox(openDB(t, path), 100, 1<<20, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range []Message{
		{Topic: "ex", Seq: 1, Expendable: true},
		{Topic: "sum", Seq: 1},
		{Topic: "ex", Seq: 2, Expendable: true},
		{Topic: "other", Seq: 1, Expendable: true},
	} {
		if _, err := box.push(m); err != nil {
			t.Fatalf("push %d: %v", i, err)
		}
	}
	n, err := box.discard("ex")
	if err != nil || n != 2 {
		t.Fatalf("discard = %d, %v, want 2", n, err)
	}
	good, _, _ := box.peek(nil, 10)
	if len(good) != 2 || good[0].msg.Topic != "sum" || good[1].msg.Topic != "other" {
		t.Errorf("queue after discard = %+v, want sum then other", good)
	}
	if box.len() != 2 || box.queue.expendableCount != 1 {
		t.Errorf("len %d, expendable %d, want 2 and 1", box.len(), box.queue.expendableCount)
	}
}

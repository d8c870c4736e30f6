package store

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestCommitChangesStoresReduction(t *testing.T) {
	s, _ := openTemp(t)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, ok, err := s.Reduction("space"); ok || err != nil {
		t.Fatalf("Reduction before any commit: ok=%v err=%v, want none", ok, err)
	}

	first := []byte(`{"basis":1}`)
	c, err := s.CommitChanges("space", seededState(t), nil, Changes{Reduction: first}, at)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sequence != 1 {
		t.Errorf("commit sequence %d, want 1", c.Sequence)
	}
	if _, err := s.CommitChanges("space", seededState(t), nil, Changes{}, at); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Reduction("space")
	if err != nil || !ok {
		t.Fatalf("Reduction: ok=%v err=%v", ok, err)
	}
	if !bytes.Equal(got, first) {
		t.Errorf("reduction %q after a commit without one, want %q kept", got, first)
	}
	if _, ok, _ := s.Reduction("other"); ok {
		t.Error("another space has a reduction")
	}
}

func TestReductionEmptySpace(t *testing.T) {
	s, _ := openTemp(t)
	if _, _, err := s.Reduction(""); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("err %v, want ErrInvalidKey", err)
	}
	_, err := s.CommitChanges("", seededState(t), nil, Changes{Reduction: []byte("x")}, time.Time{})
	if !errors.Is(err, ErrInvalidKey) {
		t.Errorf("commit err %v, want ErrInvalidKey", err)
	}
}

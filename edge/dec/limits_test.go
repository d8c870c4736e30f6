package dec

import (
	"errors"
	"strings"
	"testing"
)

func TestNewAutoencoderRejectsTooManyParams(t *testing.T) {
	tests := []struct {
		dims    []int
		wantErr error
		wantMsg string
	}{
		{[]int{1280, 256, 128, 10}, nil, ""},
		{[]int{1280, 100000, 100000}, ErrTooLarge, "need 20256301280 parameters"},
		{[]int{4, 1 << 30}, ErrTooLarge, "at most 8388608"},
	}
	for _, tt := range tests {
		_, err := NewAutoencoder(tt.dims, 1)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%v: err %v, want %v", tt.dims, err, tt.wantErr)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("%v: err %q does not say %q", tt.dims, err, tt.wantMsg)
		}
	}
}

func TestTrainStopsWhenLossOverflows(t *testing.T) {
	samples := make([][]float64, 40)
	for i := range samples {
		samples[i] = []float64{1e308, -1e308, float64(i)}
	}
	ae, err := NewAutoencoder([]int{3, 4, 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ae.Train(samples, TrainConfig{Epochs: 5})
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("err %v, want ErrDiverged", err)
	}
	if res.Epochs != 1 {
		t.Errorf("stopped after %d epochs, want 1", res.Epochs)
	}
}

func TestClusterNamesKAndSamples(t *testing.T) {
	samples := make([][]float64, 50)
	for i := range samples {
		samples[i] = []float64{float64(i), 1}
	}
	ae, err := NewAutoencoder([]int{2, 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		k    int
		want string
	}{
		{1000, "k 1000 is more than the 50 samples; use k between 1 and 50"},
		{0, "k 0 is below 1; use k between 1 and 50"},
	}
	for _, tt := range tests {
		_, err := Cluster(ae, samples, Config{K: tt.k})
		if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("k %d: err %v, want %q", tt.k, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "{") {
			t.Errorf("k %d: err %q shows a struct", tt.k, err)
		}
	}
}

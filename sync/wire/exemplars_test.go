package wire

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDecodeExemplars(t *testing.T) {
	tests := []struct {
		file    string
		wantErr error
	}{
		{"ok.json", nil},
		{"not-jpeg.json", ErrMalformed},
		{"short-vector.json", ErrMalformed},
		{"negative-cluster.json", ErrMalformed},
		{"huge-cluster.json", ErrMalformed},
		{"nan-vector.json", ErrMalformed},
		{"inf-vector.json", ErrMalformed},
		{"bad-device.json", ErrMalformed},
		{"version.json", ErrUnsupportedVersion},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "exemplars", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			m, err := DecodeExemplars(data)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && (len(m.Items) != 1 || m.Items[0].Frame != 41 ||
				len(m.Items[0].Vector) != 4) {
				t.Errorf("decoded %+v, want one exemplar of frame 41 with 4 values", m)
			}
		})
	}
}

func TestDecodeExemplarsLimits(t *testing.T) {
	big := make([]byte, MaxPayloadBytes+1)
	if _, err := DecodeExemplars(big); !errors.Is(err, ErrMalformed) {
		t.Errorf("oversized payload: error = %v, want ErrMalformed", err)
	}
	m := Exemplars{V: Version, Device: "cam", Model: Model{Dims: 0}}
	for range MaxExemplarsPerMessage + 1 {
		m.Items = append(m.Items, Exemplar{JPEG: jpegMagic})
	}
	data, _ := Encode(m)
	if _, err := DecodeExemplars(data); !errors.Is(err, ErrMalformed) {
		t.Errorf("%d exemplars: error = %v, want ErrMalformed", len(m.Items), err)
	}
	m.Items = []Exemplar{{JPEG: append(jpegMagic, make([]byte, MaxThumbnailBytes)...)}}
	data, _ = Encode(m)
	if _, err := DecodeExemplars(data); !errors.Is(err, ErrMalformed) {
		t.Errorf("oversized thumbnail: error = %v, want ErrMalformed", err)
	}
}

func TestSummaryHourlyChecked(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		hourly  *Hourly
		wantErr bool
	}{
		{"none", nil, false},
		{"a day", &Hourly{Start: start, Counts: make([]uint64, 24)}, false},
		{"too many hours", &Hourly{Start: start, Counts: make([]uint64, MaxHours+1)}, true},
		{"not a whole hour", &Hourly{Start: start.Add(time.Minute), Counts: []uint64{1}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summary{V: Version, Device: "cam", Clusters: []Cluster{{ID: 1, Hourly: tt.hourly}}}
			data, _ := Encode(s)
			_, err := DecodeSummary(data)
			if (err != nil) != tt.wantErr {
				t.Errorf("error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// FuzzDecodeExemplars seeds from testdata/exemplars.
func FuzzDecodeExemplars(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "exemplars", "*.json"))
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeExemplars(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupportedVersion) {
				t.Fatalf("error %v is none of the sentinel errors", err)
			}
			return
		}
		for _, e := range m.Items {
			if !strings.HasPrefix(string(e.JPEG), string(jpegMagic)) ||
				len(e.Vector) != m.Model.Dims || e.Cluster < 0 {
				t.Fatalf("accepted exemplar %+v", e)
			}
		}
	})
}

package store

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/clusters.json")

const recordPath = "testdata/clusters.json"

func TestRecordTestdataDecodes(t *testing.T) {
	if *update {
		data, err := json.Marshal(clusterRecord{Encoding: clusterEncoding, State: seededState(t)})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(recordPath, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	data, err := os.ReadFile(recordPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeClusters(data); err != nil {
		t.Errorf("%s: %v", recordPath, err)
	}
}

func FuzzDecodeClusters(f *testing.F) {
	data, err := os.ReadFile(recordPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"encoding":1,"state":{"Version":1,"Dims":2,"Observed":1,` +
		`"Pending":[{"Vector":[1,2],"Time":"2025-01-01T00:00:00Z","Frame":3}]}}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := decodeClusters(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if err := st.Validate(); err != nil {
			t.Fatalf("decoded state fails Validate: %v", err)
		}
	})
}

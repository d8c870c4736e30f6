package eval

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	manifest := "frame,scene,segment\n0,lake,0\n1,lake,0\n2,road,1\n3,road,1\n4,lake,2\n5,cat,3\n"
	tests := []struct {
		name        string
		assignments string
		wantFrames  int
		wantRows    []ClusterRow
		wantNMI     float64
	}{
		{
			name:        "perfect",
			assignments: "0,7,0.1\n1,7,0.2\n2,3,0.1\n3,3,0.1\n4,7,0.3\n5,9,0\n",
			wantFrames:  6,
			wantRows: []ClusterRow{
				{ID: 3, Frames: 2, Scene: "road", Purity: 1},
				{ID: 7, Frames: 3, Scene: "lake", Purity: 1},
				{ID: 9, Frames: 1, Scene: "cat", Purity: 1},
			},
			wantNMI: 1,
		},
		{
			name:        "mixed with unknown frame",
			assignments: "0,1\n1,1\n2,1\n3,2\n99,2\n",
			wantFrames:  4,
			wantRows: []ClusterRow{
				{ID: 1, Frames: 3, Scene: "lake", Purity: 2.0 / 3},
				{ID: 2, Frames: 1, Scene: "road", Purity: 1},
			},
			wantNMI: -1, // checked only to lie strictly between 0 and 1
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scenes, err := ReadManifest(strings.NewReader(manifest))
			if err != nil {
				t.Fatal(err)
			}
			assigned, err := ReadAssignments(strings.NewReader(tt.assignments))
			if err != nil {
				t.Fatal(err)
			}
			rep := Compare(scenes, assigned)
			if rep.Frames != tt.wantFrames {
				t.Errorf("frames %d, want %d", rep.Frames, tt.wantFrames)
			}
			if fmt.Sprint(rep.Clusters) != fmt.Sprint(tt.wantRows) {
				t.Errorf("rows %v, want %v", rep.Clusters, tt.wantRows)
			}
			if tt.wantNMI >= 0 && math.Abs(rep.NMI-tt.wantNMI) > 1e-12 {
				t.Errorf("NMI %g, want %g", rep.NMI, tt.wantNMI)
			}
			if tt.wantNMI < 0 && (rep.NMI <= 0 || rep.NMI >= 1) {
				t.Errorf("NMI %g, want strictly between 0 and 1", rep.NMI)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		read func() error
	}{
		{"manifest without scene column", func() error {
			_, err := ReadManifest(strings.NewReader("frame,label\n0,a\n"))
			return err
		}},
		{"manifest with bad frame", func() error {
			_, err := ReadManifest(strings.NewReader("frame,scene\nx,a\n"))
			return err
		}},
		{"empty manifest", func() error {
			_, err := ReadManifest(strings.NewReader(""))
			return err
		}},
		{"assignment with one field", func() error {
			_, err := ReadAssignments(strings.NewReader("3\n"))
			return err
		}},
		{"assignment with bad cluster", func() error {
			_, err := ReadAssignments(strings.NewReader("3,x\n"))
			return err
		}},
	}
	for _, tt := range tests {
		if err := tt.read(); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err %v, want ErrFormat", tt.name, err)
		}
	}
}

func ExampleCompare() {
	scenes, _ := ReadManifest(strings.NewReader("frame,scene\n0,lake\n1,lake\n2,road\n"))
	assigned, _ := ReadAssignments(strings.NewReader("0,5\n1,5\n2,6\n"))
	rep := Compare(scenes, assigned)
	for _, c := range rep.Clusters {
		fmt.Printf("cluster %d: %d frames of %s\n", c.ID, c.Frames, c.Scene)
	}
	fmt.Printf("NMI %.2f\n", rep.NMI)
	// Output:
	// cluster 5: 2 frames of lake
	// cluster 6: 1 frames of road
	// NMI 1.00
}

func TestRemap(t *testing.T) {
	got := Remap(map[uint64]int{0: 4, 1: 2, 2: 9}, map[int]int{4: 2, 9: 1})
	want := map[uint64]int{0: 2, 1: 2, 2: 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

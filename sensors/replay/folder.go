package replay

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/edgecluster/edgecluster/internal/fileutil"
	"github.com/edgecluster/edgecluster/sensors"
)

// ErrNoImages is returned by Open for a folder without JPEG or PNG files.
var ErrNoImages = errors.New("replay: folder has no .jpg, .jpeg or .png files")

// folder reads one image file per frame, in name order.
type folder struct {
	files []string
	pos   int
	max   int
}

func openFolder(dir string, maxBytes int) (*folder, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("replay: read folder: %w", err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && isImageName(e.Name()) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoImages, dir)
	}
	sort.Strings(files)
	if maxBytes <= 0 {
		maxBytes = 16 << 20
	}
	return &folder{files: files, max: maxBytes}, nil
}

func isImageName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

func (f *folder) next() ([]byte, error) {
	if f.pos >= len(f.files) {
		return nil, io.EOF
	}
	path := f.files[f.pos]
	f.pos++
	data, err := fileutil.ReadRegular(path, int64(f.max))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", sensors.ErrCorruptFrame, err)
	}
	return data, nil
}

func (f *folder) rewind() error {
	f.pos = 0
	return nil
}

func (f *folder) close() error { return nil }

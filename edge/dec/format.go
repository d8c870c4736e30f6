package dec

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/edgecluster/edgecluster/edge/nn"
	"gonum.org/v1/gonum/mat"
)

// ErrFormat reports encoder data that LoadEncoder cannot read.
var ErrFormat = errors.New("dec: invalid encoder data")

// Limits that LoadEncoder enforces before allocating.
const (
	encoderMagic   = "ECEN"
	encoderVersion = 1
	maxLayers      = 64
	maxWidth       = 1 << 16
	maxWeights     = 1 << 24 // per layer, 128 MiB of float64
)

type layerHeader struct {
	In, Out uint32
	Act     uint8
}

// SaveEncoder writes net in version 1 of the encoder format. All integers
// and floats are little-endian:
//
//	magic    [4]byte "ECEN"
//	version  uint16  1
//	layers   uint16  1 to 64
//	per layer, in order:
//	  in, out  uint32  widths, 1 to 65536, in·out at most 2^24;
//	                   in equals the previous out
//	  act      uint8   0 linear, 1 ReLU
//	  weights  in·out float64, row-major with one row per input
//	  biases   out float64
//
// Nothing follows the last layer.
func SaveEncoder(w io.Writer, net *nn.Network) error {
	bw := bufio.NewWriter(w)
	hdr := struct {
		Magic          [4]byte
		Version, Count uint16
	}{Version: encoderVersion, Count: uint16(len(net.Layers))}
	copy(hdr.Magic[:], encoderMagic)
	if err := binary.Write(bw, binary.LittleEndian, hdr); err != nil {
		return fmt.Errorf("dec: write encoder: %w", err)
	}
	for _, l := range net.Layers {
		lh := layerHeader{In: uint32(l.In()), Out: uint32(l.Out()), Act: uint8(l.Act)}
		for _, v := range []any{lh, l.W.RawMatrix().Data, l.B} {
			if err := binary.Write(bw, binary.LittleEndian, v); err != nil {
				return fmt.Errorf("dec: write encoder: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("dec: write encoder: %w", err)
	}
	return nil
}

// LoadEncoder reads a network written by SaveEncoder. It returns an error
// wrapping ErrFormat for a wrong magic or version, a count or width out of
// range, widths that do not chain, an unknown activation, a non-finite
// value, data that ends early, or bytes after the last layer.
func LoadEncoder(r io.Reader) (*nn.Network, error) {
	br := bufio.NewReader(r)
	count, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	net := &nn.Network{}
	prevOut := uint32(0)
	for i := range count {
		l, err := readLayer(br, prevOut)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		net.Layers = append(net.Layers, l)
		prevOut = uint32(l.Out())
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%w: bytes after the last layer", ErrFormat)
	}
	return net, nil
}

func readHeader(r io.Reader) (int, error) {
	var hdr struct {
		Magic          [4]byte
		Version, Count uint16
	}
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
		return 0, fmt.Errorf("%w: header: %w", ErrFormat, err)
	}
	switch {
	case string(hdr.Magic[:]) != encoderMagic:
		return 0, fmt.Errorf("%w: magic %q, want %q", ErrFormat, hdr.Magic[:], encoderMagic)
	case hdr.Version != encoderVersion:
		return 0, fmt.Errorf("%w: version %d, want %d", ErrFormat, hdr.Version, encoderVersion)
	case hdr.Count < 1 || hdr.Count > maxLayers:
		return 0, fmt.Errorf("%w: %d layers, want 1 to %d", ErrFormat, hdr.Count, maxLayers)
	}
	return int(hdr.Count), nil
}

func readLayer(r io.Reader, prevOut uint32) (*nn.Dense, error) {
	var lh layerHeader
	if err := binary.Read(r, binary.LittleEndian, &lh); err != nil {
		return nil, fmt.Errorf("%w: layer header: %w", ErrFormat, err)
	}
	if err := checkLayer(lh, prevOut); err != nil {
		return nil, err
	}
	w := make([]float64, int(lh.In)*int(lh.Out))
	b := make([]float64, lh.Out)
	for _, v := range [][]float64{w, b} {
		if err := binary.Read(r, binary.LittleEndian, v); err != nil {
			return nil, fmt.Errorf("%w: parameters: %w", ErrFormat, err)
		}
		if err := checkFinite(v); err != nil {
			return nil, err
		}
	}
	in, out := int(lh.In), int(lh.Out)
	return &nn.Dense{W: mat.NewDense(in, out, w), B: b, Act: nn.Activation(lh.Act),
		DW: mat.NewDense(in, out, nil), DB: make([]float64, out)}, nil
}

func checkLayer(lh layerHeader, prevOut uint32) error {
	switch {
	case lh.In < 1 || lh.In > maxWidth || lh.Out < 1 || lh.Out > maxWidth:
		return fmt.Errorf("%w: widths %d×%d, want 1 to %d", ErrFormat, lh.In, lh.Out, maxWidth)
	case uint64(lh.In)*uint64(lh.Out) > maxWeights:
		return fmt.Errorf("%w: %d×%d weights, want at most %d", ErrFormat, lh.In, lh.Out, maxWeights)
	case prevOut != 0 && lh.In != prevOut:
		return fmt.Errorf("%w: input width %d, previous layer outputs %d",
			ErrFormat, lh.In, prevOut)
	case nn.Activation(lh.Act) != nn.Linear && nn.Activation(lh.Act) != nn.ReLU:
		return fmt.Errorf("%w: unknown activation %d", ErrFormat, lh.Act)
	}
	return nil
}

func checkFinite(v []float64) error {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: non-finite parameter %v", ErrFormat, x)
		}
	}
	return nil
}

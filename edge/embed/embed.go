package embed

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// ErrInput marks a model whose input is not a float image tensor
// [1, height, width, 3].
var ErrInput = errors.New("embed: model input is not a [1,H,W,3] float image")

// ErrTensor marks a feature tensor that is missing or not [1, H, W, C].
var ErrTensor = errors.New("embed: feature tensor not usable")

// MaxModelBytes is the largest model file that callers of New should read:
// 1 GiB, far above any embedding model meant for a board.
const MaxModelBytes = 1 << 30

// ErrEmptyImage is returned by Embed for an image without pixels.
var ErrEmptyImage = errors.New("embed: empty image")

// Options configures an Embedder. The zero value runs the model to its first
// output and maps pixel values 0..255 to -1..1.
type Options struct {
	// Tensor selects the feature tensor by name prefix. "" means the model's
	// first output. The tensor must have shape [1, H, W, C].
	Tensor string

	// Mean and Std normalise each channel value v as (v - Mean) / Std.
	// Zero values mean Mean 127.5 and Std 127.5.
	Mean, Std float32

	// Name labels the model in summaries. "" means "model".
	Name string

	// FixedPointRequantization runs int8 and uint8 models with the
	// fixed-point requantization of TFLite's builtin kernels. False means
	// tflite.RequantizeFloat, the arithmetic of TFLite's default XNNPACK
	// delegate, with which the bundled int8 backbone matches TFLite's WASM
	// runtime byte for byte. Float models are unaffected.
	FixedPointRequantization bool
}

// Identity names the model that produced an embedding. Embeddings from
// models with different identities must not be clustered together.
type Identity struct {
	Name   string
	SHA256 string
	Dims   int
}

// Embedder computes embeddings with one model.
type Embedder struct {
	model   *tflite.Model
	opts    Options
	id      Identity
	tensor  int
	interp  *tflite.Interpreter
	inH     int
	inW     int
	rgb     []uint8
	input   []float32
	resizer *resampler
}

// New parses model and prepares an Embedder for it.
func New(model []byte, opts Options) (*Embedder, error) {
	m, err := tflite.Parse(model)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	applyDefaults(&opts)
	m.Name = opts.Name
	tensor, err := featureTensor(m, opts.Tensor)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(model)
	id := Identity{Name: opts.Name, SHA256: hex.EncodeToString(sum[:]),
		Dims: m.TensorInfo(tensor).Shape[3]}
	return newEmbedder(m, opts, id, tensor)
}

func applyDefaults(o *Options) {
	if o.Mean == 0 && o.Std == 0 {
		o.Mean, o.Std = 127.5, 127.5
	}
	if o.Name == "" {
		o.Name = "model"
	}
}

func newEmbedder(m *tflite.Model, opts Options, id Identity, tensor int) (*Embedder, error) {
	mode := tflite.RequantizeFloat
	if opts.FixedPointRequantization {
		mode = tflite.RequantizeFixedPoint
	}
	in, err := tflite.NewInterpreter(m, tflite.Options{Outputs: []int{tensor},
		Requantization: mode})
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	shape := in.InputShape(0)
	if len(shape) != 4 || shape[0] != 1 || shape[3] != 3 {
		return nil, fmt.Errorf("%w: shape %v", ErrInput, shape)
	}
	e := &Embedder{model: m, opts: opts, id: id, tensor: tensor, interp: in,
		inH: shape[1], inW: shape[2]}
	e.input = make([]float32, 3*e.inH*e.inW)
	return e, nil
}

// featureTensor finds the tensor to pool and checks its shape.
func featureTensor(m *tflite.Model, prefix string) (int, error) {
	idx := -1
	if prefix == "" && len(m.Outputs) > 0 {
		idx = m.Outputs[0]
	} else if i, ok := m.FindTensor(prefix); ok {
		idx = i
	}
	if idx < 0 {
		return 0, fmt.Errorf("%w: no tensor name starts with %q; name a 4-D [1,H,W,C] "+
			"tensor of the model", ErrTensor, prefix)
	}
	shape := m.TensorInfo(idx).Shape
	if len(shape) != 4 || shape[0] != 1 || shape[3] < 1 {
		return 0, fmt.Errorf("%w: tensor %d has shape %v, want [1,H,W,C]", ErrTensor, idx, shape)
	}
	return idx, nil
}

// Clone returns an Embedder for the same model with its own buffers, for use
// on another goroutine.
func (e *Embedder) Clone() (*Embedder, error) {
	return newEmbedder(e.model, e.opts, e.id, e.tensor)
}

// Identity returns the model's name, checksum and embedding size.
func (e *Embedder) Identity() Identity { return e.id }

// InputSize returns the model's input width and height in pixels.
func (e *Embedder) InputSize() (width, height int) { return e.inW, e.inH }

// Embed returns the unit-length embedding of img. The image is stretched
// to the model's input size without keeping its aspect ratio.
func (e *Embedder) Embed(img image.Image) ([]float32, error) {
	if err := e.Preprocess(img, e.input); err != nil {
		return nil, err
	}
	return e.EmbedTensor(e.input)
}

// EmbedTensor runs the model on an already normalised input tensor (NHWC,
// RGB) and returns the pooled, unit-length embedding.
func (e *Embedder) EmbedTensor(input []float32) ([]float32, error) {
	if err := e.interp.SetInput(0, input); err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	if err := e.interp.Invoke(); err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	features, shape := e.interp.Output(0)
	return poolNormalise(features, shape[1]*shape[2], shape[3]), nil
}

// Preprocess writes the model input for img into dst, which must hold
// width*height*3 values: RGB, resized, normalised.
func (e *Embedder) Preprocess(img image.Image, dst []float32) error {
	b := img.Bounds()
	if b.Empty() {
		return ErrEmptyImage
	}
	if len(dst) != len(e.input) {
		return fmt.Errorf("embed: input buffer has %d values, want %d", len(dst), len(e.input))
	}
	e.rgb = toRGB(img, e.rgb)
	r := e.resizer
	if r == nil || r.srcW != b.Dx() || r.srcH != b.Dy() {
		r = newResampler(b.Dx(), b.Dy(), e.inW, e.inH)
		e.resizer = r
	}
	r.resize(e.rgb, dst)
	inv := 1 / e.opts.Std
	for i, v := range dst {
		dst[i] = (v - e.opts.Mean) * inv
	}
	return nil
}

// poolNormalise averages an [positions, channels] tensor over positions and
// scales the result to unit Euclidean length. An all-zero feature map stays
// zero.
func poolNormalise(features []float32, positions, channels int) []float32 {
	out := make([]float32, channels)
	for p := 0; p < positions; p++ {
		row := features[p*channels : (p+1)*channels]
		for c, v := range row {
			out[c] += v
		}
	}
	var sum float64
	for _, v := range out {
		sum += float64(v) * float64(v)
	}
	if sum == 0 {
		return out
	}
	scale := float32(1 / math.Sqrt(sum))
	for c := range out {
		out[c] *= scale
	}
	return out
}

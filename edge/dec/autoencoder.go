package dec

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/edgecluster/edgecluster/edge/nn"
	"gonum.org/v1/gonum/mat"
)

// ErrInvalidInput reports samples or options that training cannot use.
var ErrInvalidInput = errors.New("dec: invalid input")

// Autoencoder is a symmetric MLP: Encoder maps an input to a code and
// Decoder maps the code back to the input width.
type Autoencoder struct {
	Encoder, Decoder *nn.Network
}

// NewAutoencoder returns an untrained autoencoder whose encoder has the
// layer widths dims (input width first, code width last) and whose decoder
// mirrors them. Hidden layers use ReLU and both the code layer and the
// reconstruction layer are linear. Widths needing more than MaxParams
// parameters return an error wrapping ErrTooLarge before anything is
// allocated.
func NewAutoencoder(dims []int, seed uint64) (*Autoencoder, error) {
	if len(dims) > 1 {
		if err := checkParams(dims); err != nil {
			return nil, err
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0xae))
	enc, err := nn.NewMLP(dims, nn.Linear, rng)
	if err != nil {
		return nil, fmt.Errorf("dec: encoder: %w", err)
	}
	mirrored := slices.Clone(dims)
	slices.Reverse(mirrored)
	dec, err := nn.NewMLP(mirrored, nn.Linear, rng)
	if err != nil {
		return nil, fmt.Errorf("dec: decoder: %w", err)
	}
	return &Autoencoder{Encoder: enc, Decoder: dec}, nil
}

// Default values of the zero TrainConfig fields.
const (
	DefaultEpochs         = 50
	DefaultBatchSize      = 256
	DefaultPatience       = 5
	DefaultValidationPart = 0.1
)

// TrainConfig sets autoencoder training. A zero field takes its Default.
type TrainConfig struct {
	Epochs    int // maximum passes over the training samples
	BatchSize int // samples per Adam step
	// Patience is the number of epochs without a lower validation loss
	// after which training stops and the best weights are restored.
	Patience int
	// ValidationPart is the fraction of samples held out for early
	// stopping, in (0, 0.5]. With fewer than 10 samples held out, training
	// runs all Epochs on every sample and keeps the last weights.
	ValidationPart float64
	LearningRate   float64 // Adam step size, default nn.DefaultLearningRate
	Seed           uint64  // seed of the split, the batch order and the corruption
	// Corruption is the fraction of input values, in [0, 1), set to zero
	// in each training batch while the loss still compares with the clean
	// batch (masking noise, a denoising autoencoder). 0 trains on clean
	// inputs. Validation always uses clean inputs.
	Corruption float64
}

// TrainResult records autoencoder training.
type TrainResult struct {
	Epochs     int       // epochs run
	BestEpoch  int       // 1-based epoch whose weights were kept
	TrainLoss  []float64 // mean squared error per epoch on the training part
	Validation []float64 // mean squared error per epoch on the held-out part
}

func (c TrainConfig) withDefaults() (TrainConfig, error) {
	if c.Epochs < 0 || c.BatchSize < 0 || c.Patience < 0 || c.LearningRate < 0 ||
		c.ValidationPart < 0 || c.ValidationPart > 0.5 || c.Corruption < 0 || c.Corruption >= 1 {
		return c, fmt.Errorf("%w: training config %+v has a negative value, "+
			"ValidationPart above 0.5 or Corruption of 1 or more", ErrInvalidInput, c)
	}
	c.Epochs = cmp(c.Epochs, DefaultEpochs)
	c.BatchSize = cmp(c.BatchSize, DefaultBatchSize)
	c.Patience = cmp(c.Patience, DefaultPatience)
	if c.ValidationPart == 0 {
		c.ValidationPart = DefaultValidationPart
	}
	return c, nil
}

func cmp(v, fallback int) int {
	if v == 0 {
		return fallback
	}
	return v
}

// Train fits the autoencoder to reconstruct samples, which must all have the
// encoder's input width and finite values. It stops with an error wrapping
// ErrDiverged when a loss becomes NaN or infinite; the weights are then
// unusable.
func (a *Autoencoder) Train(samples [][]float64, cfg TrainConfig) (TrainResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return TrainResult{}, err
	}
	if err := checkSamples(samples, a.Encoder.Layers[0].In()); err != nil {
		return TrainResult{}, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7a))
	train, valid := split(nn.FromRows(samples), cfg.ValidationPart, rng)
	opt := &nn.Adam{LearningRate: cfg.LearningRate}
	var res TrainResult
	var best []nn.Param
	bestLoss := math.Inf(1)
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		res.TrainLoss = append(res.TrainLoss, a.epoch(train, cfg, opt, rng))
		res.Epochs = epoch
		if err := checkLoss("training", epoch, res.TrainLoss[epoch-1]); err != nil {
			return res, err
		}
		if valid == nil {
			continue
		}
		loss := a.loss(valid)
		if err := checkLoss("validation", epoch, loss); err != nil {
			return res, err
		}
		res.Validation = append(res.Validation, loss)
		if loss < bestLoss {
			bestLoss, best, res.BestEpoch = loss, copyParams(a.params()), epoch
		} else if epoch-res.BestEpoch >= cfg.Patience {
			break
		}
	}
	if best == nil {
		res.BestEpoch = res.Epochs
		return res, nil
	}
	restoreParams(a.params(), best)
	return res, nil
}

func (a *Autoencoder) epoch(x *mat.Dense, cfg TrainConfig, opt *nn.Adam, rng *rand.Rand) float64 {
	rows, _ := x.Dims()
	var sum float64
	for _, idx := range nn.Batches(rows, cfg.BatchSize, rng) {
		b := nn.Gather(x, idx)
		out := a.forward(corrupt(b, cfg.Corruption, rng))
		loss, grad, _ := nn.MSE(out, b)
		a.zeroGrad()
		a.Encoder.Backward(a.Decoder.Backward(grad))
		opt.Step(a.params())
		sum += loss * float64(len(idx))
	}
	return sum / float64(rows)
}

// corrupt returns x with each value set to zero with probability part, or
// x itself when part is 0.
func corrupt(x *mat.Dense, part float64, rng *rand.Rand) *mat.Dense {
	if part == 0 {
		return x
	}
	out := mat.DenseCopyOf(x)
	data := out.RawMatrix().Data
	for i := range data {
		if rng.Float64() < part {
			data[i] = 0
		}
	}
	return out
}

// forward panics on a width mismatch, which Train has ruled out.
func (a *Autoencoder) forward(x *mat.Dense) *mat.Dense {
	code, err := a.Encoder.Forward(x)
	if err != nil {
		panic(err)
	}
	out, err := a.Decoder.Forward(code)
	if err != nil {
		panic(err)
	}
	return out
}

func (a *Autoencoder) loss(x *mat.Dense) float64 {
	loss, _, _ := nn.MSE(a.forward(x), x)
	return loss
}

// zeroGrad clears the gradients of the encoder and of the decoder, which
// is nil in an autoencoder loaded from an encoder file.
func (a *Autoencoder) zeroGrad() {
	a.Encoder.ZeroGrad()
	if a.Decoder != nil {
		a.Decoder.ZeroGrad()
	}
}

func (a *Autoencoder) params() []nn.Param {
	return append(a.Encoder.Params(), a.Decoder.Params()...)
}

// Encode returns the code of each sample.
func (a *Autoencoder) Encode(samples [][]float64) ([][]float64, error) {
	if err := checkSamples(samples, a.Encoder.Layers[0].In()); err != nil {
		return nil, err
	}
	return a.Encoder.Predict(samples)
}

func checkSamples(samples [][]float64, width int) error {
	if len(samples) == 0 {
		return fmt.Errorf("%w: no samples", ErrInvalidInput)
	}
	for i, s := range samples {
		if len(s) != width {
			return fmt.Errorf("%w: sample %d has %d values, want %d",
				ErrInvalidInput, i, len(s), width)
		}
		for _, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: sample %d has the non-finite value %v",
					ErrInvalidInput, i, v)
			}
		}
	}
	return nil
}

// split returns a shuffled training part and a validation part of about
// part of the rows, or nil for the validation part when it would hold
// fewer than 10 rows.
func split(x *mat.Dense, part float64, rng *rand.Rand) (train, valid *mat.Dense) {
	rows, _ := x.Dims()
	nValid := int(part * float64(rows))
	if nValid < 10 {
		return x, nil
	}
	order := rng.Perm(rows)
	return nn.Gather(x, order[nValid:]), nn.Gather(x, order[:nValid])
}

func copyParams(ps []nn.Param) []nn.Param {
	out := make([]nn.Param, len(ps))
	for i, p := range ps {
		out[i].Value = slices.Clone(p.Value)
	}
	return out
}

func restoreParams(dst, src []nn.Param) {
	for i := range dst {
		copy(dst[i].Value, src[i].Value)
	}
}

// Clone returns a deep copy of the autoencoder, so that DEC can refine one
// copy while another keeps the pretrained weights.
func (a *Autoencoder) Clone() *Autoencoder {
	return &Autoencoder{Encoder: cloneNetwork(a.Encoder), Decoder: cloneNetwork(a.Decoder)}
}

func cloneNetwork(n *nn.Network) *nn.Network {
	out := &nn.Network{}
	for _, l := range n.Layers {
		out.Layers = append(out.Layers, &nn.Dense{
			W: mat.DenseCopyOf(l.W), B: slices.Clone(l.B), Act: l.Act,
			DW: mat.NewDense(l.In(), l.Out(), nil), DB: make([]float64, l.Out()),
		})
	}
	return out
}

package modeltools

import (
	"fmt"
	"math"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// Range is the smallest and largest value a float32 tensor took during
// calibration.
type Range struct {
	Min, Max float32
}

// include widens r to cover v. NaN values are ignored.
func (r *Range) include(v []float32) {
	lo, hi := r.Min, r.Max
	for _, x := range v {
		lo = min(lo, x)
		hi = max(hi, x)
	}
	r.Min, r.Max = lo, hi
}

// Calibrator runs a float model on sample inputs and records the range of
// every float activation tensor, which Quantize turns into int8 scales and
// zero points. It uses the minimum and maximum over all samples, as the
// TFLite converter does by default, so a single outlier frame widens a
// tensor's range and costs resolution on every other frame.
type Calibrator struct {
	model   *tflite.Model
	interp  *tflite.Interpreter
	tensors []int   // activation tensors requested from interp, in output order
	ranges  []Range // indexed by tensor
	seen    []bool  // seen[t] is true once tensor t has a range
	samples int
}

// NewCalibrator plans a float interpreter for m that keeps every float
// activation tensor that the graph outputs depend on. It fails when m has
// other than one FLOAT32 graph input.
func NewCalibrator(m *tflite.Model) (*Calibrator, error) {
	if len(m.Inputs) != 1 || m.Tensors[m.Inputs[0]].Type != tflite.Float32 {
		return nil, fmt.Errorf("%w: calibration needs one FLOAT32 graph input", ErrNotQuantizable)
	}
	g := newGraph(m)
	ops, _, err := g.liveOps(m.Outputs)
	if err != nil {
		return nil, err
	}
	var tensors []int
	for _, i := range ops {
		for _, t := range m.Operators[i].Outputs {
			if g.isActivation(t) && m.Tensors[t].Type == tflite.Float32 {
				tensors = append(tensors, t)
			}
		}
	}
	interp, err := tflite.NewInterpreter(m, tflite.Options{Outputs: tensors})
	if err != nil {
		return nil, err
	}
	return &Calibrator{model: m, interp: interp, tensors: tensors,
		ranges: make([]Range, len(m.Tensors)), seen: make([]bool, len(m.Tensors))}, nil
}

// Observe runs the model on one input, given as the float32 values of the
// graph input, and widens the recorded ranges.
func (c *Calibrator) Observe(input []float32) error {
	if err := c.interp.SetInput(0, input); err != nil {
		return err
	}
	if err := c.interp.Invoke(); err != nil {
		return err
	}

	c.record(c.model.Inputs[0], input)
	for i, t := range c.tensors {
		data, _ := c.interp.Output(i)
		c.record(t, data)
	}
	c.samples++
	return nil
}

func (c *Calibrator) record(t int, data []float32) {
	if !c.seen[t] {
		c.ranges[t] = Range{Min: float32(math.Inf(1)), Max: float32(math.Inf(-1))}
		c.seen[t] = true
	}
	c.ranges[t].include(data)
}

// Samples returns the number of inputs observed so far.
func (c *Calibrator) Samples() int { return c.samples }

// Ranges returns the recorded range of each tensor by tensor index. The
// map holds the graph input and every float activation tensor, and is empty
// before the first Observe.
func (c *Calibrator) Ranges() map[int]Range {
	out := make(map[int]Range)
	for t, ok := range c.seen {
		if ok {
			out[t] = c.ranges[t]
		}
	}
	return out
}

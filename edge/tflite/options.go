package tflite

// Builtin option union type numbers of the TFLite schema.
const (
	optConv2D         = 1
	optDepthwise      = 2
	optPool2D         = 5
	optFullyConnected = 8
	optSoftmax        = 9
	optConcatenation  = 10
	optAdd            = 11
	optResizeBilinear = 15
	optReshape        = 17
	optMul            = 21
	optPad            = 22
	optTranspose      = 26
	optReducer        = 27
	optSub            = 28
	optDiv            = 29
	optSqueeze        = 30
	optStridedSlice   = 32
	optDequantize     = 38
	optQuantize       = 89
	optHardSwish      = 91
)

// Conv2DOptions are the options of a CONV_2D operator.
type Conv2DOptions struct {
	Padding          Padding
	StrideW, StrideH int
	Activation       Activation

	// DilationW and DilationH default to 1 when absent from the file.
	DilationW, DilationH int
}

// DepthwiseConv2DOptions are the options of a DEPTHWISE_CONV_2D operator.
type DepthwiseConv2DOptions struct {
	Padding          Padding
	StrideW, StrideH int

	// DepthMultiplier is the number of output channels per input channel.
	// Files may leave it 0, and the filter shape then decides it.
	DepthMultiplier int
	Activation      Activation

	// DilationW and DilationH default to 1 when absent from the file.
	DilationW, DilationH int
}

// Pool2DOptions are the options of AVERAGE_POOL_2D and MAX_POOL_2D.
type Pool2DOptions struct {
	Padding                   Padding
	StrideW, StrideH          int
	FilterWidth, FilterHeight int
	Activation                Activation
}

// ConcatenationOptions are the options of a CONCATENATION operator.
type ConcatenationOptions struct {
	// Axis may be negative, counting from the last dimension.
	Axis       int
	Activation Activation
}

// ActivationOptions are the options of ADD, SUB, MUL and DIV, which carry
// only a fused activation.
type ActivationOptions struct {
	Activation Activation
}

// ReshapeOptions are the options of a RESHAPE operator.
type ReshapeOptions struct {
	// NewShape is the output shape, or nil when the shape comes from the
	// second input or only from the output tensor.
	NewShape []int
}

// ReducerOptions are the options of MEAN and the other reductions.
type ReducerOptions struct {
	KeepDims bool
}

// PadOptions are the options of PAD, which has no fields.
type PadOptions struct{}

// FullyConnectedOptions are the options of a FULLY_CONNECTED operator.
type FullyConnectedOptions struct {
	Activation Activation

	// WeightsFormat is 0 for plain row-major weights. Other formats are
	// not supported.
	WeightsFormat int

	// KeepNumDims keeps the input's leading dimensions in the output
	// instead of flattening them into one batch dimension.
	KeepNumDims bool
}

// SoftmaxOptions are the options of a SOFTMAX operator.
type SoftmaxOptions struct {
	Beta float32
}

// ResizeBilinearOptions are the options of a RESIZE_BILINEAR operator.
type ResizeBilinearOptions struct {
	AlignCorners     bool
	HalfPixelCenters bool
}

// SqueezeOptions are the options of a SQUEEZE operator.
type SqueezeOptions struct {
	// SqueezeDims lists the axes to remove. Nil removes every axis of size 1.
	SqueezeDims []int
}

// StridedSliceOptions are the options of a STRIDED_SLICE operator. Bit i
// of a mask refers to axis i.
type StridedSliceOptions struct {
	BeginMask, EndMask, EllipsisMask, NewAxisMask, ShrinkAxisMask int
}

// EmptyOptions are the options of operators whose options table has no
// fields, such as TRANSPOSE, QUANTIZE, DEQUANTIZE and HARD_SWISH. Type is
// the union type number of the table in the schema.
type EmptyOptions struct {
	Type uint8
}

// parseOptions decodes the builtin_options union of an operator table. It
// returns nil for union types this package does not read.
func parseOptions(op fbTable) any {
	kind := op.u8(3, 0)
	t := op.subtable(4)
	if !t.present() {
		return nil
	}
	switch kind {
	case optConv2D:
		return parseConvOptions(t)
	case optDepthwise:
		return parseDepthwiseOptions(t)
	case optPool2D:
		return parsePoolOptions(t)
	case optConcatenation:
		return &ConcatenationOptions{Axis: int(t.i32(0, 0)), Activation: Activation(t.i8(1, 0))}
	case optAdd, optMul, optSub, optDiv:
		return &ActivationOptions{Activation: Activation(t.i8(0, 0))}
	case optReshape:
		return &ReshapeOptions{NewShape: t.vector(0, 4).ints()}
	case optPad:
		return &PadOptions{}
	case optReducer:
		return &ReducerOptions{KeepDims: t.boolean(0, false)}
	}
	return parseMoreOptions(kind, t)
}

// parseMoreOptions decodes the option tables of the operators that only
// float32 and quantized classifier heads use.
func parseMoreOptions(kind uint8, t fbTable) any {
	switch kind {
	case optFullyConnected:
		return &FullyConnectedOptions{Activation: Activation(t.i8(0, 0)),
			WeightsFormat: int(t.i8(1, 0)), KeepNumDims: t.boolean(2, false)}
	case optSoftmax:
		return &SoftmaxOptions{Beta: t.f32(0, 0)}
	case optResizeBilinear:
		return &ResizeBilinearOptions{AlignCorners: t.boolean(2, false),
			HalfPixelCenters: t.boolean(3, false)}
	case optSqueeze:
		return &SqueezeOptions{SqueezeDims: t.vector(0, 4).ints()}
	case optStridedSlice:
		return &StridedSliceOptions{BeginMask: int(t.i32(0, 0)), EndMask: int(t.i32(1, 0)),
			EllipsisMask: int(t.i32(2, 0)), NewAxisMask: int(t.i32(3, 0)),
			ShrinkAxisMask: int(t.i32(4, 0))}
	case optTranspose, optDequantize, optQuantize, optHardSwish:
		return &EmptyOptions{Type: kind}
	}
	return nil
}

func parseConvOptions(t fbTable) *Conv2DOptions {
	return &Conv2DOptions{
		Padding:    Padding(t.i8(0, 0)),
		StrideW:    int(t.i32(1, 0)),
		StrideH:    int(t.i32(2, 0)),
		Activation: Activation(t.i8(3, 0)),
		DilationW:  int(t.i32(4, 1)),
		DilationH:  int(t.i32(5, 1)),
	}
}

func parseDepthwiseOptions(t fbTable) *DepthwiseConv2DOptions {
	return &DepthwiseConv2DOptions{
		Padding:         Padding(t.i8(0, 0)),
		StrideW:         int(t.i32(1, 0)),
		StrideH:         int(t.i32(2, 0)),
		DepthMultiplier: int(t.i32(3, 0)),
		Activation:      Activation(t.i8(4, 0)),
		DilationW:       int(t.i32(5, 1)),
		DilationH:       int(t.i32(6, 1)),
	}
}

func parsePoolOptions(t fbTable) *Pool2DOptions {
	return &Pool2DOptions{
		Padding:      Padding(t.i8(0, 0)),
		StrideW:      int(t.i32(1, 0)),
		StrideH:      int(t.i32(2, 0)),
		FilterWidth:  int(t.i32(3, 0)),
		FilterHeight: int(t.i32(4, 0)),
		Activation:   Activation(t.i8(5, 0)),
	}
}

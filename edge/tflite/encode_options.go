package tflite

import "fmt"

// encodeOptions returns the union type and table of an operator's decoded
// options, or a nil table for nil options.
func encodeOptions(op *Operator) (uint8, fbTableW, error) {
	switch o := op.Options.(type) {
	case nil:
		return 0, nil, nil
	case *ActivationOptions:
		kind, ok := activationOptionsType(op.Code)
		if !ok {
			return 0, nil, fmt.Errorf("%w: ActivationOptions on %s", ErrNotEncodable, op.Name())
		}
		return kind, fbTableW{fieldU8(0, uint8(o.Activation))}, nil
	case *Conv2DOptions:
		return optConv2D, fbTableW{fieldU8(0, uint8(o.Padding)), fieldI32(1, int32(o.StrideW)),
			fieldI32(2, int32(o.StrideH)), fieldU8(3, uint8(o.Activation)),
			fieldI32(4, int32(o.DilationW)), fieldI32(5, int32(o.DilationH))}, nil
	case *DepthwiseConv2DOptions:
		return optDepthwise, fbTableW{fieldU8(0, uint8(o.Padding)), fieldI32(1, int32(o.StrideW)),
			fieldI32(2, int32(o.StrideH)), fieldI32(3, int32(o.DepthMultiplier)),
			fieldU8(4, uint8(o.Activation)), fieldI32(5, int32(o.DilationW)),
			fieldI32(6, int32(o.DilationH))}, nil
	case *Pool2DOptions:
		return optPool2D, fbTableW{fieldU8(0, uint8(o.Padding)), fieldI32(1, int32(o.StrideW)),
			fieldI32(2, int32(o.StrideH)), fieldI32(3, int32(o.FilterWidth)),
			fieldI32(4, int32(o.FilterHeight)), fieldU8(5, uint8(o.Activation))}, nil
	case *ConcatenationOptions:
		return optConcatenation, fbTableW{fieldI32(0, int32(o.Axis)),
			fieldU8(1, uint8(o.Activation))}, nil
	case *ReshapeOptions:
		if o.NewShape == nil {
			return optReshape, fbTableW{}, nil
		}
		return optReshape, fbTableW{fieldRef(0, int32Vector(o.NewShape))}, nil
	case *ReducerOptions:
		return optReducer, fbTableW{fieldBool(0, o.KeepDims)}, nil
	case *PadOptions:
		return optPad, fbTableW{}, nil
	}
	return encodeMoreOptions(op.Options)
}

func encodeMoreOptions(options any) (uint8, fbTableW, error) {
	switch o := options.(type) {
	case *FullyConnectedOptions:
		return optFullyConnected, fbTableW{fieldU8(0, uint8(o.Activation)),
			fieldU8(1, uint8(o.WeightsFormat)), fieldBool(2, o.KeepNumDims)}, nil
	case *SoftmaxOptions:
		return optSoftmax, fbTableW{fieldF32(0, o.Beta)}, nil
	case *ResizeBilinearOptions:
		return optResizeBilinear, fbTableW{fieldBool(2, o.AlignCorners),
			fieldBool(3, o.HalfPixelCenters)}, nil
	case *SqueezeOptions:
		return optSqueeze, fbTableW{fieldRef(0, int32Vector(o.SqueezeDims))}, nil
	case *StridedSliceOptions:
		return optStridedSlice, fbTableW{fieldI32(0, int32(o.BeginMask)),
			fieldI32(1, int32(o.EndMask)), fieldI32(2, int32(o.EllipsisMask)),
			fieldI32(3, int32(o.NewAxisMask)), fieldI32(4, int32(o.ShrinkAxisMask))}, nil
	case *EmptyOptions:
		return o.Type, fbTableW{}, nil
	}
	return 0, nil, fmt.Errorf("%w: options of Go type %T", ErrNotEncodable, options)
}

// activationOptionsType maps the operators whose options carry only a fused
// activation to their union type.
func activationOptionsType(code BuiltinOperator) (uint8, bool) {
	switch code {
	case OpAdd:
		return optAdd, true
	case OpMul:
		return optMul, true
	case OpSub:
		return optSub, true
	case OpDiv:
		return optDiv, true
	}
	return 0, false
}

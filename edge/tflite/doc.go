// Package tflite reads TensorFlow Lite flatbuffer models and runs their float32
// operators in pure Go.
//
// Parse decodes a .tflite file (schema identifier "TFL3") into a Model,
// checking every offset, vector length and constant buffer size. Any problem
// with the bytes returns an error wrapping ErrMalformed. Only the first
// subgraph is read, because it is the main graph of a TFLite model.
//
// NewInterpreter plans the operators needed to compute the requested tensors,
// folds DEQUANTIZE operators that have constant inputs (FLOAT16, INT8, UINT8
// or INT16 weights) into float32 constants, and allocates activation buffers
// once, within Options.MaxMemory. Invoke then runs the plan without
// allocating. Activations are FLOAT32, INT8 or UINT8 in NHWC layout. The
// supported operators are ADD, AVERAGE_POOL_2D, CONCATENATION, CONV_2D,
// DEPTHWISE_CONV_2D, DEQUANTIZE, FULLY_CONNECTED, HARD_SWISH, LOGISTIC,
// MAX_POOL_2D, MEAN, MUL, PAD, QUANTIZE, RELU, RELU6, RESHAPE,
// RESIZE_BILINEAR, SOFTMAX, SQUEEZE, STRIDED_SLICE, SUB, TANH and
// TRANSPOSE. ADD, AVERAGE_POOL_2D, CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED, MAX_POOL_2D and MEAN over the H and W axes also run on
// INT8 and UINT8 data with TFLite's integer arithmetic, and
// Options.Requantization picks between the
// rounding of TFLite's builtin kernels and that of its XNNPACK delegate.
// Any other operator or type among the planned ones makes NewInterpreter
// return an *UnsupportedError that names the model, operator and index.
//
// Quantized CONV_2D and FULLY_CONNECTED run as a matrix product of int16
// im2col rows with int16 filter rows, and DEPTHWISE_CONV_2D sums the
// widened taps of each output pixel in int32. On amd64 CPUs with AVX2 the
// filter is packed once per Interpreter into panels of 16 output channels
// that tiles of 4 rows multiply, with VPDPWSSD where AVX512-VNNI exists.
// On arm64 NEON kernels compute the row products, the widening and the
// depthwise sums. The assembly computes the same int32 sums as the Go
// loops, which run on other CPUs and everywhere when the package is built
// with the purego tag. AVX2 and NEON kernels also apply RequantizeFloat to
// 8 channels at a time, with the same float32 roundings as the Go loop.
// With AVX2, float32 CONV_2D and depthwise multiply-adds also have
// assembly, which rounds each multiply and add like the Go loops, so both
// give the same bits. On arm64 a NEON kernel computes float32 CONV_2D with
// fused multiply-adds, which give the same bits as the Go loops because
// the arm64 compiler fuses them too.
//
// Encode writes a Model back to the TFLite format, so tools can build or
// cut models.
//
// A Model is read-only after Parse and may be shared by many goroutines, and
// the folded weights are cached in it, so they exist once per Model. An
// Interpreter is not safe for concurrent use: create one per goroutine.
package tflite

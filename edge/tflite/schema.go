package tflite

import "fmt"

// TensorType is the element type of a tensor, as numbered in the TFLite
// schema.
type TensorType int8

// Tensor types of the TFLite schema.
const (
	Float32    TensorType = 0
	Float16    TensorType = 1
	Int32      TensorType = 2
	Uint8      TensorType = 3
	Int64      TensorType = 4
	String     TensorType = 5
	Bool       TensorType = 6
	Int16      TensorType = 7
	Complex64  TensorType = 8
	Int8       TensorType = 9
	Float64    TensorType = 10
	Complex128 TensorType = 11
	Uint64     TensorType = 12
	Resource   TensorType = 13
	Variant    TensorType = 14
	Uint32     TensorType = 15
	Uint16     TensorType = 16
	Int4       TensorType = 17
	BFloat16   TensorType = 18
)

var tensorTypeNames = [...]string{
	"FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16",
	"COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE",
	"VARIANT", "UINT32", "UINT16", "INT4", "BFLOAT16",
}

// String returns the schema name of the type, such as "FLOAT32".
func (t TensorType) String() string {
	if t >= 0 && int(t) < len(tensorTypeNames) {
		return tensorTypeNames[t]
	}
	return fmt.Sprintf("TensorType(%d)", int(t))
}

// byteSize returns the size of one element, or 0 for types without a fixed
// byte size (STRING, RESOURCE, VARIANT, INT4 and unknown types).
func (t TensorType) byteSize() int {
	switch t {
	case Uint8, Int8, Bool:
		return 1
	case Float16, Int16, Uint16, BFloat16:
		return 2
	case Float32, Int32, Uint32:
		return 4
	case Int64, Float64, Complex64, Uint64:
		return 8
	case Complex128:
		return 16
	}
	return 0
}

// BuiltinOperator is a TFLite builtin operator code.
type BuiltinOperator int32

// Builtin operator codes used by this package.
const (
	OpAdd             BuiltinOperator = 0
	OpAveragePool2D   BuiltinOperator = 1
	OpConcatenation   BuiltinOperator = 2
	OpConv2D          BuiltinOperator = 3
	OpDepthwiseConv2D BuiltinOperator = 4
	OpDequantize      BuiltinOperator = 6
	OpFullyConnected  BuiltinOperator = 9
	OpLogistic        BuiltinOperator = 14
	OpMaxPool2D       BuiltinOperator = 17
	OpMul             BuiltinOperator = 18
	OpRelu            BuiltinOperator = 19
	OpRelu6           BuiltinOperator = 21
	OpReshape         BuiltinOperator = 22
	OpResizeBilinear  BuiltinOperator = 23
	OpSoftmax         BuiltinOperator = 25
	OpTanh            BuiltinOperator = 28
	OpCustom          BuiltinOperator = 32
	OpPad             BuiltinOperator = 34
	OpTranspose       BuiltinOperator = 39
	OpMean            BuiltinOperator = 40
	OpSub             BuiltinOperator = 41
	OpDiv             BuiltinOperator = 42
	OpSqueeze         BuiltinOperator = 43
	OpStridedSlice    BuiltinOperator = 45
	OpQuantize        BuiltinOperator = 114
	OpHardSwish       BuiltinOperator = 117
)

// operatorNames lists the schema names of builtin codes 0 to 117.
var operatorNames = [...]string{
	"ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D",
	"DEPTH_TO_SPACE", "DEQUANTIZE", "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED",
	"HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D",
	"LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION", "LSTM",
	"MAX_POOL_2D", "MUL", "RELU", "RELU_N1_TO_1", "RELU6", "RESHAPE",
	"RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH",
	"CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE",
	"PAD", "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND",
	"SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN", "SUB", "DIV", "SQUEEZE",
	"UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN",
	"EXP", "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE",
	"BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM", "ARG_MAX",
	"MINIMUM", "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL",
	"SELECT", "SLICE", "SIN", "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE",
	"EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG", "SUM", "SQRT", "RSQRT", "SHAPE",
	"POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK",
	"LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN",
	"FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD",
	"RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE",
	"MIRROR_PAD", "ABS", "SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N",
	"GATHER_ND", "COS", "WHERE", "RANK", "ELU", "REVERSE_SEQUENCE", "MATRIX_DIAG",
	"QUANTIZE", "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH",
}

// String returns the schema name of the operator, such as "CONV_2D", or
// "BUILTIN_OPERATOR(n)" for codes newer than this table.
func (op BuiltinOperator) String() string {
	if op >= 0 && int(op) < len(operatorNames) {
		return operatorNames[op]
	}
	return fmt.Sprintf("BUILTIN_OPERATOR(%d)", int32(op))
}

// Padding is the padding scheme of convolution and pooling operators.
type Padding int8

// Padding schemes of the TFLite schema.
const (
	PaddingSame  Padding = 0
	PaddingValid Padding = 1
)

// Activation is a fused activation function applied to an operator's output.
type Activation int8

// Fused activation functions of the TFLite schema.
const (
	ActNone      Activation = 0
	ActRelu      Activation = 1
	ActReluN1To1 Activation = 2
	ActRelu6     Activation = 3
	ActTanh      Activation = 4
	ActSignBit   Activation = 5
)

var activationNames = [...]string{"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"}

// String returns the schema name of the activation, such as "RELU6".
func (a Activation) String() string {
	if a >= 0 && int(a) < len(activationNames) {
		return activationNames[a]
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

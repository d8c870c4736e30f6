// Package modeltools inspects and rewrites TFLite models for the
// "edgecluster models" commands.
//
// Inspect summarises a parsed model: its inputs and outputs, tensor and
// operator counts, multiply-accumulate operations (MACs), constant weight
// bytes and the tensors that make good embedding points. Cut returns a
// smaller model that computes only the requested tensors, with dead
// operators, tensors and buffers dropped and the remaining indices
// renumbered. FoldDequantize stores dequantized weights, such as FLOAT16
// ones, as FLOAT32 constants. Resize changes the input image size of a
// convolutional model and computes its activation shapes again.
// ResolveTensor turns a tensor index or name given on a command line into
// an index.
//
// A Calibrator runs a float model on sample inputs and records the range of
// every activation. Quantize turns the model and those ranges into a
// post-training int8 model with per-channel symmetric INT8 weights, INT32
// biases and per-tensor asymmetric INT8 activations. QUANTIZE and
// DEQUANTIZE at the graph's edges keep its input and output FLOAT32.
package modeltools

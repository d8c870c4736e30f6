// Package modeltools inspects and rewrites TFLite models for the
// "edgecluster models" commands.
//
// Inspect summarises a parsed model: its inputs and outputs, tensor and
// operator counts, multiply-accumulate operations (MACs), constant weight
// bytes and the tensors that make good embedding points. Cut returns a
// smaller model that computes only the requested tensors, with dead
// operators, tensors and buffers dropped and the remaining indices
// renumbered. ResolveTensor turns a tensor index or name given on a command
// line into an index.
package modeltools

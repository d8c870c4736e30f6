// Package models bundles the default embedding model into the binary, so a
// board needs no download or model file to start, and records its identity.
//
// The model file, its provenance, checksum and licence are described in
// README.md beside this file. Extract.sh rebuilds it from its npm package.
package models

import _ "embed" // for the bundled model bytes

// DefaultFile is the bundled model's file name in this folder.
const DefaultFile = "ssd_mobilenetv2_oidv4_fp16.tflite"

// DefaultName labels the bundled model in summaries and status messages.
const DefaultName = "ssd_mobilenetv2_oidv4_fp16"

// DefaultSHA256 is the SHA-256 checksum of the bundled model file.
const DefaultSHA256 = "d0a5255bf8c4f5a0bc4240741a76c41d5e939f7655078f945f50ab53a9375da6"

// DefaultTensor is the name prefix of the bundled model's feature tensor:
// the last layer of its MobileNetV2 backbone, shape [1, 10, 10, 1280].
const DefaultTensor = "FeatureExtractor/MobilenetV2/Conv_1/Relu6"

//go:embed ssd_mobilenetv2_oidv4_fp16.tflite
var defaultModel []byte

// Default returns the bundled model's bytes. Callers must not modify them.
func Default() []byte { return defaultModel }

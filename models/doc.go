// Package models bundles the default embedding model into the binary, so a
// board needs no download or model file to start, and records its identity.
//
// The model file, its provenance, checksum and licence are described in
// README.md beside this file. Extract.sh rebuilds it from its npm package.
// The package also bundles Int8, the model's backbone quantized to int8 by
// "edgecluster models quantize", which make_int8.sh rebuilds.
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

// Int8File is the file name of the bundled int8 backbone in this folder.
const Int8File = "ssd_mobilenetv2_oidv4_backbone_int8.tflite"

// Int8Name labels the bundled int8 backbone in summaries and status
// messages.
const Int8Name = "ssd_mobilenetv2_oidv4_backbone_int8"

// Int8SHA256 is the SHA-256 checksum of the bundled int8 backbone file.
const Int8SHA256 = "8f699bf0eeb570e0f1a31b737098559bb872322e6c79b009479922a059ce505c"

//go:embed ssd_mobilenetv2_oidv4_backbone_int8.tflite
var int8Model []byte

// Int8 returns the bytes of the bundled model's backbone, from its input to
// the tensor named DefaultTensor, with int8 weights and activations and
// FLOAT32 input and output. Callers must not modify them.
func Int8() []byte { return int8Model }

package modeltools_test

import (
	"fmt"
	"os"

	"github.com/edgecluster/edgecluster/edge/modeltools"
	"github.com/edgecluster/edgecluster/edge/tflite"
)

// Cut the bundled model at its backbone output and list what remains.
func ExampleCut() {
	data, err := os.ReadFile("../../models/ssd_mobilenetv2_oidv4_fp16.tflite")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := tflite.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := modeltools.ResolveTensor(m, "FeatureExtractor/MobilenetV2/Conv_1/Relu6")
	if err != nil {
		fmt.Println(err)
		return
	}
	cut, err := modeltools.Cut(m, []int{t})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := modeltools.Inspect(cut)
	fmt.Println("tensor", t, "ops", len(cut.Operators), "tensors", len(cut.Tensors))
	for _, op := range r.Ops {
		fmt.Println(op.Name, op.Count)
	}
	// Output:
	// tensor 213 ops 166 tensors 271
	// DEQUANTIZE 104
	// CONV_2D 35
	// DEPTHWISE_CONV_2D 17
	// ADD 10
}

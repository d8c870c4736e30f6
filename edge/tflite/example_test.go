package tflite_test

import (
	"fmt"
	"os"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// Example runs the MobileNetV2 backbone of the bundled SSD model on a gray
// image and pools the feature map into an embedding.
func Example() {
	data, err := os.ReadFile("../../models/ssd_mobilenetv2_oidv4_fp16.tflite")
	if err != nil {
		fmt.Println(err)
		return
	}
	model, err := tflite.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}

	backbone, ok := model.FindTensor("FeatureExtractor/MobilenetV2/Conv_1/Relu6")
	if !ok {
		fmt.Println("backbone tensor not found")
		return
	}
	in, err := tflite.NewInterpreter(model, tflite.Options{Outputs: []int{backbone}})
	if err != nil {
		fmt.Println(err)
		return
	}

	// A mid-gray 300x300 RGB image, normalized as (pixel - 127.5) / 127.5.
	input := make([]float32, 300*300*3)
	if err := in.SetInput(0, input); err != nil {
		fmt.Println(err)
		return
	}
	if err := in.Invoke(); err != nil {
		fmt.Println(err)
		return
	}

	features, shape := in.Output(0)
	channels := shape[3]
	embedding := make([]float32, channels)
	for i, v := range features {
		embedding[i%channels] += v / float32(len(features)/channels)
	}
	fmt.Println("input", in.InputShape(0), "features", shape, "embedding", len(embedding))
	// Output: input [1 300 300 3] features [1 10 10 1280] embedding 1280
}

package tflite

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var updateOps = flag.Bool("update-ops", false,
	"rewrite the models and inputs in testdata/ops; make_ops.sh then adds the outputs")

const opsDir = "testdata/ops"

// opCaseFile is one entry of testdata/ops/cases.json.
type opCaseFile struct {
	Name      string   `json:"name"`
	Model     string   `json:"model"`
	Inputs    []string `json:"inputs"`
	Outputs   []string `json:"outputs"`
	Tolerance float64  `json:"tolerance,omitempty"`

	// GoModel and GoInputs, when set, are what this package runs in place
	// of Model and Inputs. They are the same graph with constant weights.
	GoModel  string   `json:"go_model,omitempty"`
	GoInputs []string `json:"go_inputs,omitempty"`

	// Requantization is "float" when the runtime ran the operator in its
	// XNNPACK delegate, and "fixed-point" when its builtin kernels ran it.
	Requantization string `json:"requantization"`
}

func allOpCases() []opCase {
	return append(quantOpCases(), floatOpCases()...)
}

// TestWriteOpCases writes the models and inputs of allOpCases and the list
// of cases that make_ops.js reads.
func TestWriteOpCases(t *testing.T) {
	if !*updateOps {
		t.Skip("run with -update-ops to rewrite testdata/ops")
	}
	var list []opCaseFile
	for _, c := range allOpCases() {
		entry := writeOpCase(t, c)
		entry.Requantization = "fixed-point"
		if c.xnnpack {
			entry.Requantization = "float"
			builtin := writeOpCase(t, withWeightsAsInputs(c))
			builtin.Requantization = "fixed-point"
			builtin.GoModel, builtin.GoInputs = entry.Model, entry.Inputs
			list = append(list, builtin)
		}
		list = append(list, entry)
	}
	raw, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "cases.json", append(raw, '\n'))
}

func writeOpCase(t *testing.T, c opCase) opCaseFile {
	t.Helper()
	data, err := Encode(c.model)
	if err != nil {
		t.Fatalf("%s: Encode: %v", c.name, err)
	}
	entry := opCaseFile{Name: c.name, Model: c.name + ".tflite", Tolerance: c.tolerance}
	writeFile(t, entry.Model, data)
	for i, in := range c.inputs {
		entry.Inputs = append(entry.Inputs, fmt.Sprintf("%s.in%d.bin", c.name, i))
		writeFile(t, entry.Inputs[i], in)
	}
	for i := range c.model.Outputs {
		entry.Outputs = append(entry.Outputs, fmt.Sprintf("%s.out%d.bin", c.name, i))
	}
	return entry
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(opsDir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readOpsFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(opsDir, name))
	if err != nil {
		t.Fatalf("%v; regenerate with %s/make_ops.sh", err, opsDir)
	}
	return data
}

// TestOpReference runs every stored one-operator model and compares its
// outputs with those of the TFLite runtime stored beside it: quantized
// outputs byte for byte, FLOAT32 outputs within the case's tolerance.
func TestOpReference(t *testing.T) {
	var list []opCaseFile
	if err := json.Unmarshal(readOpsFile(t, "cases.json"), &list); err != nil {
		t.Fatalf("decode cases.json: %v", err)
	}
	if len(list) == 0 {
		t.Fatal("cases.json lists no cases")
	}
	for _, c := range list {
		t.Run(c.Name, func(t *testing.T) {
			model, inputs := c.Model, c.Inputs
			if c.GoModel != "" {
				model, inputs = c.GoModel, c.GoInputs
			}
			opts := Options{}
			switch c.Requantization {
			case "float":
				opts.Requantization = RequantizeFloat
			case "fixed-point":
			default:
				t.Fatalf("requantization %q, expected float or fixed-point", c.Requantization)
			}
			in := newOpInterpreter(t, readOpsFile(t, model), opts)
			for i, name := range inputs {
				if err := in.SetInputBytes(i, readOpsFile(t, name)); err != nil {
					t.Fatalf("SetInputBytes(%d): %v", i, err)
				}
			}
			if err := in.Invoke(); err != nil {
				t.Fatal(err)
			}
			for i, name := range c.Outputs {
				compareOutput(t, in, i, readOpsFile(t, name), c.Tolerance)
			}
		})
	}
}

func newOpInterpreter(t testing.TB, model []byte, opts Options) *Interpreter {
	t.Helper()
	m, err := Parse(model)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	in, err := NewInterpreter(m, opts)
	if err != nil {
		t.Fatalf("NewInterpreter: %v", err)
	}
	return in
}

func compareOutput(t *testing.T, in *Interpreter, i int, want []byte, tolerance float64) {
	t.Helper()
	got := in.OutputBytes(i)
	if len(got) != len(want) {
		t.Fatalf("output %d has %d bytes, reference has %d", i, len(got), len(want))
	}
	if in.values[in.outputs[i]] == nil {
		if n := countDiffs(got, want); n > 0 {
			t.Errorf("output %d: %d of %d quantized values differ from the reference; first "+
				"at %d", i, n, len(got), firstDiff(got, want))
		}
		return
	}
	g, w := decodeFloat32(got), decodeFloat32(want)
	for j := range g {
		limit := tolerance * max(1, math.Abs(float64(w[j])))
		if d := math.Abs(float64(g[j] - w[j])); !(d <= limit) {
			t.Fatalf("output %d value %d: got %v, reference %v (tolerance %v)",
				i, j, g[j], w[j], limit)
		}
	}
}

func countDiffs(a, b []byte) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

func firstDiff(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

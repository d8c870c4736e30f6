package daemon

import (
	"strings"
	"testing"
)

func TestModelBytesRequantization(t *testing.T) {
	tests := []struct {
		mode           string
		wantFixedPoint bool
		wantErr        string
	}{
		{mode: ""},
		{mode: RequantizationXNNPACK},
		{mode: RequantizationTFLite, wantFixedPoint: true},
		{mode: "XNNPACK", wantErr: `model.requantization "XNNPACK"`},
	}
	for _, tt := range tests {
		_, opts, err := ModelBytes(ModelConfig{Requantization: tt.mode})
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("mode %q: err %v, want one containing %s", tt.mode, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("mode %q: %v", tt.mode, err)
		}
		if opts.FixedPointRequantization != tt.wantFixedPoint {
			t.Errorf("mode %q: FixedPointRequantization %v, want %v", tt.mode,
				opts.FixedPointRequantization, tt.wantFixedPoint)
		}
	}
}

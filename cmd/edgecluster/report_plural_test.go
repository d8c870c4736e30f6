package main

import "testing"

func TestPluralDevices(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "devices"}, {1, "device"}, {3, "devices"}}
	for _, tt := range tests {
		if got := pluralDevices(tt.n); got != tt.want {
			t.Errorf("pluralDevices(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

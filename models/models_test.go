package models

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

func TestDefaultChecksum(t *testing.T) {
	sum := sha256.Sum256(Default())
	if got := hex.EncodeToString(sum[:]); got != DefaultSHA256 {
		t.Errorf("bundled model sha256 %s, want %s", got, DefaultSHA256)
	}
	file, err := os.ReadFile(DefaultFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(file) != len(Default()) {
		t.Errorf("embedded %d bytes, file has %d", len(Default()), len(file))
	}
}

func TestInt8Checksum(t *testing.T) {
	sum := sha256.Sum256(Int8())
	if got := hex.EncodeToString(sum[:]); got != Int8SHA256 {
		t.Errorf("bundled int8 model sha256 %s, want %s", got, Int8SHA256)
	}
	file, err := os.ReadFile(Int8File)
	if err != nil {
		t.Fatal(err)
	}
	if len(file) != len(Int8()) {
		t.Errorf("embedded %d bytes, file has %d", len(Int8()), len(file))
	}
}

package exemplar

import (
	"errors"
	"fmt"
)

// Defaults of Config.
const (
	// DefaultBudgetBytes is the exemplar bytes one cluster space may use.
	// On the demo clip an exemplar took about 4.5 kB: a 1.9 kB thumbnail of
	// 96 pixels at quality 70 and a 2.5 kB 1280-d half-precision embedding.
	// So 1 MiB holds 16 exemplars for each of 14 clusters, and the state
	// file stays a few MiB on an SD card.
	DefaultBudgetBytes = 1 << 20

	// DefaultPerCluster is the reservoir size of one cluster.
	DefaultPerCluster = 16

	// DefaultHourlyRetention is the number of hours of counts kept: a week.
	DefaultHourlyRetention = 7 * 24

	// DefaultThumbnailSide is the longest side of a thumbnail in pixels.
	DefaultThumbnailSide = 96

	// DefaultQuality is the JPEG quality of a thumbnail.
	DefaultQuality = 70
)

// Upper bounds of Config values.
const (
	MaxPerCluster      = 256
	MaxHourlyRetention = 31 * 24
	MaxThumbnailSide   = 512
)

// ErrInvalidConfig marks a Config value out of range.
var ErrInvalidConfig = errors.New("exemplar: invalid config")

// Config sets how many exemplars a Set keeps. The zero value means every
// default.
type Config struct {
	// BudgetBytes bounds the bytes of all stored exemplars of a space, the
	// thumbnails and the half-precision embeddings. 0 means
	// DefaultBudgetBytes and a negative value keeps no exemplars.
	BudgetBytes int64

	// PerCluster bounds the exemplars of one cluster. 0 means
	// DefaultPerCluster.
	PerCluster int

	// HourlyRetention is the number of UTC hours of counts kept. 0 means
	// DefaultHourlyRetention.
	HourlyRetention int

	// ThumbnailSide is the longest side of a thumbnail in pixels. 0 means
	// DefaultThumbnailSide.
	ThumbnailSide int

	// Quality is the JPEG quality of a thumbnail, 1 to 100. 0 means
	// DefaultQuality.
	Quality int
}

// WithDefaults returns c with each zero value replaced by its default.
func (c Config) WithDefaults() Config {
	if c.BudgetBytes == 0 {
		c.BudgetBytes = DefaultBudgetBytes
	}
	if c.PerCluster == 0 {
		c.PerCluster = DefaultPerCluster
	}
	if c.HourlyRetention == 0 {
		c.HourlyRetention = DefaultHourlyRetention
	}
	if c.ThumbnailSide == 0 {
		c.ThumbnailSide = DefaultThumbnailSide
	}
	if c.Quality == 0 {
		c.Quality = DefaultQuality
	}
	return c
}

// Validate reports the first value of c, after defaults, out of range.
func (c Config) Validate() error {
	c = c.WithDefaults()
	switch {
	case c.PerCluster < 1 || c.PerCluster > MaxPerCluster:
		return fmt.Errorf("%w: per_cluster is %d, want 1 to %d", ErrInvalidConfig,
			c.PerCluster, MaxPerCluster)
	case c.HourlyRetention < 1 || c.HourlyRetention > MaxHourlyRetention:
		return fmt.Errorf("%w: hourly_retention is %d hours, want 1 to %d", ErrInvalidConfig,
			c.HourlyRetention, MaxHourlyRetention)
	case c.ThumbnailSide < 8 || c.ThumbnailSide > MaxThumbnailSide:
		return fmt.Errorf("%w: thumbnail_side is %d pixels, want 8 to %d", ErrInvalidConfig,
			c.ThumbnailSide, MaxThumbnailSide)
	case c.Quality < 1 || c.Quality > 100:
		return fmt.Errorf("%w: quality is %d, want 1 to 100", ErrInvalidConfig, c.Quality)
	}
	return nil
}

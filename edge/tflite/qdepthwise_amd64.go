//go:build amd64 && !purego

package tflite

// packDepthwisePairs returns the weights of depthwiseRowsAVX2 for the
// leading multiple of depthwiseGroup channels of taps,
// laid out [group][pair of taps][32]: the two taps of a pair interleaved,
// channels 0-3 and 8-11 of the group first, then 4-7 and 12-15. A missing
// second tap of the last pair has weight 0.
func packDepthwisePairs(taps []int16, channels int) []int16 {
	count := len(taps) / channels
	pairs := (count + 1) / 2
	groups := channels / depthwiseGroup
	out := make([]int16, 0, groups*pairs*2*depthwiseGroup)
	for g := range groups {
		for p := range pairs {
			for _, half := range [2]int{0, 4} {
				for _, lane := range [2]int{0, 8} {
					for j := range 4 {
						c := g*depthwiseGroup + lane + half + j
						out = append(out, tapWeight(taps, channels, 2*p, c),
							tapWeight(taps, channels, 2*p+1, c))
					}
				}
			}
		}
	}
	return out
}

// tapWeight returns the weight of channel c at tap t, or 0 past the last
// tap.
func tapWeight(taps []int16, channels, t, c int) int16 {
	if (t+1)*channels > len(taps) {
		return 0
	}
	return taps[t*channels+c]
}

package tflite

// depthwiseGroup is the channel count of one step of the vector depthwise
// kernels.
const depthwiseGroup = 16

// depthwiseRowsGo stores in acc[c], for channels c0 to len(acc)-1, the sum
// over taps t of taps[t*len(acc)+c] * (rows[t][c] - zero). taps holds the
// weights of len(taps)/len(acc) taps, and rows past those are ignored.
func depthwiseRowsGo(acc []int32, rows [][]int8, taps []int16, c0 int, zero int32) {
	channels := len(acc)
	clear(acc[c0:])
	for t := range len(taps) / channels {
		row, w := rows[t][:channels], taps[t*channels:(t+1)*channels]
		for c := c0; c < channels; c++ {
			acc[c] += int32(w[c]) * (int32(row[c]) - zero)
		}
	}
}

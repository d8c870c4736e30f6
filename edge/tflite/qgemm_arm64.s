//go:build arm64 && !purego

#include "textflag.h"

// The Go assembler has no mnemonics for SMLAL, SMLAL2, SXTL and SXTL2, so
// they are written as WORD directives with the instruction in a comment.

// func dotRows2x4NEON(a0, a1, b *int16, depth, cols int, out *int32)
//
// For each group of four rows of b, eight accumulators hold the products
// of a0 and a1 with those rows, eight int16 values per step: SMLAL widens
// and adds the low four products and SMLAL2 the high four. Pairwise adds
// then give four outputs per row. depth is a multiple of 8 and cols of 4.
TEXT ·dotRows2x4NEON(SB), NOSPLIT, $0-48
	MOVD a0+0(FP), R0
	MOVD a1+8(FP), R1
	MOVD b+16(FP), R2
	MOVD depth+24(FP), R3
	LSL  $1, R3, R3
	MOVD cols+32(FP), R4
	MOVD out+40(FP), R5
	ADD  R4<<2, R5, R6

cols4:
	CBZ  R4, done
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	MOVD R2, R7
	ADD  R3, R7, R8
	ADD  R3, R8, R9
	ADD  R3, R9, R10
	MOVD R0, R11
	MOVD R1, R12
	MOVD R3, R13

depth8:
	VLD1.P 16(R11), [V0.H8]
	VLD1.P 16(R12), [V1.H8]
	VLD1.P 16(R7), [V2.H8]
	VLD1.P 16(R8), [V3.H8]
	VLD1.P 16(R9), [V4.H8]
	VLD1.P 16(R10), [V5.H8]
	WORD $0x0e628010 // smlal v16.4s, v0.4h, v2.4h
	WORD $0x4e628010 // smlal2 v16.4s, v0.8h, v2.8h
	WORD $0x0e638011 // smlal v17.4s, v0.4h, v3.4h
	WORD $0x4e638011 // smlal2 v17.4s, v0.8h, v3.8h
	WORD $0x0e648012 // smlal v18.4s, v0.4h, v4.4h
	WORD $0x4e648012 // smlal2 v18.4s, v0.8h, v4.8h
	WORD $0x0e658013 // smlal v19.4s, v0.4h, v5.4h
	WORD $0x4e658013 // smlal2 v19.4s, v0.8h, v5.8h
	WORD $0x0e628034 // smlal v20.4s, v1.4h, v2.4h
	WORD $0x4e628034 // smlal2 v20.4s, v1.8h, v2.8h
	WORD $0x0e638035 // smlal v21.4s, v1.4h, v3.4h
	WORD $0x4e638035 // smlal2 v21.4s, v1.8h, v3.8h
	WORD $0x0e648036 // smlal v22.4s, v1.4h, v4.4h
	WORD $0x4e648036 // smlal2 v22.4s, v1.8h, v4.8h
	WORD $0x0e658037 // smlal v23.4s, v1.4h, v5.4h
	WORD $0x4e658037 // smlal2 v23.4s, v1.8h, v5.8h
	SUBS   $16, R13, R13
	BNE    depth8

	VADDP V17.S4, V16.S4, V16.S4
	VADDP V19.S4, V18.S4, V18.S4
	VADDP V18.S4, V16.S4, V16.S4
	VST1.P [V16.S4], 16(R5)
	VADDP V21.S4, V20.S4, V20.S4
	VADDP V23.S4, V22.S4, V22.S4
	VADDP V22.S4, V20.S4, V20.S4
	VST1.P [V20.S4], 16(R6)
	MOVD  R10, R2
	SUB   $4, R4, R4
	B     cols4

done:
	RET

// func widenInt8NEON(dst *int16, src *int8, n int, zero int32)
//
// Sign-extends 16 int8 values per step and subtracts the zero point in
// int16. n is a multiple of 16.
TEXT ·widenInt8NEON(SB), NOSPLIT, $0-28
	MOVD  dst+0(FP), R0
	MOVD  src+8(FP), R1
	MOVD  n+16(FP), R2
	MOVW  zero+24(FP), R3
	VDUP  R3, V3.H8

sixteen:
	VLD1.P 16(R1), [V0.B16]
	WORD $0x0f08a401 // sxtl v1.8h, v0.8b
	WORD $0x4f08a402 // sxtl2 v2.8h, v0.16b
	VSUB   V3.H8, V1.H8, V1.H8
	VSUB   V3.H8, V2.H8, V2.H8
	VST1.P [V1.H8, V2.H8], 32(R0)
	SUBS   $16, R2, R2
	BNE    sixteen
	RET

// func depthwiseRowsNEON(acc *int32, rows *[]int8, taps *int16, count, channels, groups int,
//	zero int32)
//
// For each group of 16 channels, the input row of every tap is widened to
// int16 minus the zero point and multiplied with the tap's weights by
// SMLAL and SMLAL2 into four accumulators of four int32 lanes. taps holds
// count rows of channels int16 weights, and rows holds count slice
// headers.
TEXT ·depthwiseRowsNEON(SB), NOSPLIT, $0-52
	MOVD acc+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD taps+16(FP), R2
	MOVD count+24(FP), R3
	MOVD channels+32(FP), R4
	LSL  $1, R4, R4
	MOVD groups+40(FP), R5
	MOVW zero+48(FP), R6
	VDUP R6, V31.H8
	MOVD $0, R7

group:
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	MOVD R1, R8
	ADD  R7<<1, R2, R9
	MOVD R3, R10

tap:
	MOVD.P 24(R8), R11
	ADD    R7, R11, R11
	VLD1   (R11), [V0.B16]
	VLD1   (R9), [V4.H8, V5.H8]
	ADD    R4, R9, R9
	WORD $0x0f08a401 // sxtl v1.8h, v0.8b
	WORD $0x4f08a402 // sxtl2 v2.8h, v0.16b
	VSUB   V31.H8, V1.H8, V1.H8
	VSUB   V31.H8, V2.H8, V2.H8
	WORD $0x0e648030 // smlal v16.4s, v1.4h, v4.4h
	WORD $0x4e648031 // smlal2 v17.4s, v1.8h, v4.8h
	WORD $0x0e658052 // smlal v18.4s, v2.4h, v5.4h
	WORD $0x4e658053 // smlal2 v19.4s, v2.8h, v5.8h
	SUBS   $1, R10, R10
	BNE    tap

	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R0)
	ADD    $16, R7, R7
	SUBS   $1, R5, R5
	BNE    group
	RET

//go:build arm64 && !purego

#include "textflag.h"

// The Go assembler has no mnemonics for SCVTF, FMUL, FMAX, FMIN, FCVTNS and
// SQXTN, so they are written as WORD directives with the instruction in a
// comment.

// func requantizeFloatNEON(acc, bias *int32, scale *float32, out *int8, n int,
//	lo, hi float32, zero int32)
//
// Per 8 channels: x = acc + bias is converted to float32 by SCVTF and
// multiplied by scale with FMUL, both rounding to nearest even like Go's
// conversion and multiply; FMAX and FMIN clamp the product to [lo, hi]
// (already minus the zero point), FCVTNS rounds it to int32 half to even,
// the zero point is added and SQXTN narrows the values to int8.
TEXT ·requantizeFloatNEON(SB), NOSPLIT, $0-52
	MOVD  acc+0(FP), R0
	MOVD  bias+8(FP), R1
	MOVD  scale+16(FP), R2
	MOVD  out+24(FP), R3
	MOVD  n+32(FP), R4
	MOVWU lo+40(FP), R5
	VDUP  R5, V28.S4
	MOVWU hi+44(FP), R5
	VDUP  R5, V29.S4
	MOVWU zero+48(FP), R5
	VDUP  R5, V30.S4

float8:
	VLD1.P 32(R0), [V0.S4, V1.S4]
	VLD1.P 32(R1), [V2.S4, V3.S4]
	VLD1.P 32(R2), [V4.S4, V5.S4]
	VADD   V2.S4, V0.S4, V0.S4
	VADD   V3.S4, V1.S4, V1.S4
	WORD $0x4e21d800 // scvtf v0.4s, v0.4s
	WORD $0x4e21d821 // scvtf v1.4s, v1.4s
	WORD $0x6e24dc00 // fmul v0.4s, v0.4s, v4.4s
	WORD $0x6e25dc21 // fmul v1.4s, v1.4s, v5.4s
	WORD $0x4e3cf400 // fmax v0.4s, v0.4s, v28.4s
	WORD $0x4e3cf421 // fmax v1.4s, v1.4s, v28.4s
	WORD $0x4ebdf400 // fmin v0.4s, v0.4s, v29.4s
	WORD $0x4ebdf421 // fmin v1.4s, v1.4s, v29.4s
	WORD $0x4e21a800 // fcvtns v0.4s, v0.4s
	WORD $0x4e21a821 // fcvtns v1.4s, v1.4s
	VADD   V30.S4, V0.S4, V0.S4
	VADD   V30.S4, V1.S4, V1.S4
	WORD $0x0e614800 // sqxtn v0.4h, v0.4s
	WORD $0x4e614820 // sqxtn2 v0.8h, v1.4s
	WORD $0x0e214800 // sqxtn v0.8b, v0.8h
	VST1.P [V0.B8], 8(R3)
	SUBS   $8, R4, R4
	BNE    float8
	RET

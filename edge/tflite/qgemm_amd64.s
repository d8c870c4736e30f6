//go:build amd64 && !purego

#include "textflag.h"

// PANEL_MAC_AVX2 adds the products of the int16 pairs in Y10 with those
// in Y8 and Y9 to the accumulators lo and hi, with VPMADDWD and VPADDD.
#define PANEL_MAC_AVX2(lo, hi) \
	VPMADDWD Y8, Y10, Y11 \
	VPADDD   Y11, lo, lo \
	VPMADDWD Y9, Y10, Y11 \
	VPADDD   Y11, hi, hi

// PANEL_MAC_VNNI is PANEL_MAC_AVX2 with VPDPWSSD, which multiplies and
// adds in one instruction with the same wrapping sums.
#define PANEL_MAC_VNNI(lo, hi) \
	VPDPWSSD Y8, Y10, lo \
	VPDPWSSD Y9, Y10, hi

// PANEL_KERNEL is the body of multiplyPanelsAVX2 and multiplyPanelsVNNI.
// Per pair of depth positions, VPBROADCASTD repeats the int16 pair of each
// row of a, and mac multiplies it with the pairs of 16 filter rows, adding
// each pair into an int32 lane. depth is even.
#define PANEL_KERNEL(mac) \
	PANEL_PROLOGUE \
block: \
	PANEL_START \
pair: \
	VMOVDQU      (DI), Y8 \
	VMOVDQU      32(DI), Y9 \
	VPBROADCASTD (SI)(AX*1), Y10 \
	mac(Y0, Y1) \
	VPBROADCASTD (R9)(AX*1), Y10 \
	mac(Y2, Y3) \
	VPBROADCASTD (R10)(AX*1), Y10 \
	mac(Y4, Y5) \
	VPBROADCASTD (R11)(AX*1), Y10 \
	mac(Y6, Y7) \
	ADDQ         $64, DI \
	ADDQ         $4, AX \
	CMPQ         AX, BX \
	JLT          pair \
	PANEL_STORE \
	DECQ         CX \
	JNZ          block \
	VZEROUPPER \
	RET

// PANEL_PROLOGUE loads the arguments of multiplyPanelsAVX2 and
// multiplyPanelsVNNI: SI, R9, R10 and R11 point at the four rows of a, DI
// at the panels, R8 at out, BX is the depth in bytes and R12 the output
// row stride in bytes.
#define PANEL_PROLOGUE \
	MOVQ a+0(FP), SI \
	MOVQ lda+8(FP), AX \
	SHLQ $1, AX \
	LEAQ (SI)(AX*1), R9 \
	LEAQ (R9)(AX*1), R10 \
	LEAQ (R10)(AX*1), R11 \
	MOVQ b+16(FP), DI \
	MOVQ depth+24(FP), BX \
	SHLQ $1, BX \
	MOVQ blocks+32(FP), CX \
	MOVQ out+40(FP), R8 \
	MOVQ ldo+48(FP), R12 \
	SHLQ $2, R12

// PANEL_START clears the accumulators, two per row of a.
#define PANEL_START \
	VPXOR Y0, Y0, Y0 \
	VPXOR Y1, Y1, Y1 \
	VPXOR Y2, Y2, Y2 \
	VPXOR Y3, Y3, Y3 \
	VPXOR Y4, Y4, Y4 \
	VPXOR Y5, Y5, Y5 \
	VPXOR Y6, Y6, Y6 \
	VPXOR Y7, Y7, Y7 \
	XORQ  AX, AX

// PANEL_STORE stores the 16 sums of each of the four rows and moves to
// the next 16 output columns.
#define PANEL_STORE \
	VMOVDQU Y0, (R8) \
	VMOVDQU Y1, 32(R8) \
	LEAQ    (R8)(R12*1), DX \
	VMOVDQU Y2, (DX) \
	VMOVDQU Y3, 32(DX) \
	ADDQ    R12, DX \
	VMOVDQU Y4, (DX) \
	VMOVDQU Y5, 32(DX) \
	ADDQ    R12, DX \
	VMOVDQU Y6, (DX) \
	VMOVDQU Y7, 32(DX) \
	ADDQ    $64, R8

// func requantizeOnceAVX2(acc, bias, mult *int32, params *int64, out *int8, n int,
//	lo, hi, zero int32)
//
// Per 8 channels: x = acc + bias; the 64-bit products x * mult of the even
// and the odd channels plus their rounding terms are shifted right
// arithmetically; the low 32 bits are clamped to [lo, hi] (already minus
// the zero point), the zero point is added and the values are packed to
// int8.
TEXT ·requantizeOnceAVX2(SB), NOSPLIT, $0-60
	MOVQ         acc+0(FP), SI
	MOVQ         bias+8(FP), BX
	MOVQ         mult+16(FP), DX
	MOVQ         params+24(FP), R8
	MOVQ         out+32(FP), DI
	MOVQ         n+40(FP), CX
	MOVL         lo+48(FP), AX
	VMOVD        AX, X12
	VPBROADCASTD X12, Y12
	MOVL         hi+52(FP), AX
	VMOVD        AX, X13
	VPBROADCASTD X13, Y13
	MOVL         zero+56(FP), AX
	VMOVD        AX, X14
	VPBROADCASTD X14, Y14
	MOVQ         $0x8000000000000000, AX
	VMOVQ        AX, X15
	VPBROADCASTQ X15, Y15
	XORQ         R9, R9

group8:
	VMOVDQU      (SI)(R9*4), Y0
	VPADDD       (BX)(R9*4), Y0, Y0
	VMOVDQU      (DX)(R9*4), Y1
	VPMULDQ      Y1, Y0, Y2
	VPSRLQ       $32, Y0, Y3
	VPSRLQ       $32, Y1, Y4
	VPMULDQ      Y4, Y3, Y3
	VPADDQ       0(R8), Y2, Y2
	VPADDQ       32(R8), Y3, Y3
	VPXOR        Y15, Y2, Y2
	VPXOR        Y15, Y3, Y3
	VPSRLVQ      64(R8), Y2, Y2
	VPSRLVQ      96(R8), Y3, Y3
	VPSUBQ       128(R8), Y2, Y2
	VPSUBQ       160(R8), Y3, Y3
	VPSLLQ       $32, Y3, Y3
	VPBLENDD     $0xAA, Y3, Y2, Y2
	VPMAXSD      Y12, Y2, Y2
	VPMINSD      Y13, Y2, Y2
	VPADDD       Y14, Y2, Y2
	VEXTRACTI128 $1, Y2, X3
	VPACKSSDW    X3, X2, X2
	VPACKSSWB    X2, X2, X2
	VMOVQ        X2, (DI)(R9*1)
	ADDQ         $8, R9
	ADDQ         $192, R8
	CMPQ         R9, CX
	JLT          group8
	VZEROUPPER
	RET

// func requantizeTwiceAVX2(acc, bias, mult, params *int32, out *int8, n int,
//	lo, hi, zero int32)
//
// Per 8 channels: x = (acc + bias) << left; the rounding doubling high
// product of x and mult is bits 31 to 62 of x * mult + 2^30, which also
// gives C's truncating division for negative products; a rounding right
// shift follows, then the zero point, the clamp to [lo, hi] and packing to
// int8.
TEXT ·requantizeTwiceAVX2(SB), NOSPLIT, $0-60
	MOVQ         acc+0(FP), SI
	MOVQ         bias+8(FP), BX
	MOVQ         mult+16(FP), DX
	MOVQ         params+24(FP), R8
	MOVQ         out+32(FP), DI
	MOVQ         n+40(FP), CX
	MOVL         lo+48(FP), AX
	VMOVD        AX, X12
	VPBROADCASTD X12, Y12
	MOVL         hi+52(FP), AX
	VMOVD        AX, X13
	VPBROADCASTD X13, Y13
	MOVL         zero+56(FP), AX
	VMOVD        AX, X14
	VPBROADCASTD X14, Y14
	MOVQ         $0x40000000, AX
	VMOVQ        AX, X15
	VPBROADCASTQ X15, Y15
	XORQ         R9, R9

group8:
	VMOVDQU      (SI)(R9*4), Y0
	VPADDD       (BX)(R9*4), Y0, Y0
	VPSLLVD      0(R8), Y0, Y0
	VMOVDQU      (DX)(R9*4), Y1
	VPMULDQ      Y1, Y0, Y2
	VPSRLQ       $32, Y0, Y3
	VPSRLQ       $32, Y1, Y4
	VPMULDQ      Y4, Y3, Y3
	VPADDQ       Y15, Y2, Y2
	VPADDQ       Y15, Y3, Y3
	VPSRLQ       $31, Y2, Y2
	VPSLLQ       $1, Y3, Y3
	VPBLENDD     $0xAA, Y3, Y2, Y2
	VPAND        64(R8), Y2, Y5
	VPSRAD       $31, Y2, Y6
	VMOVDQU      96(R8), Y7
	VPSUBD       Y6, Y7, Y7
	VPSRAVD      32(R8), Y2, Y2
	VPCMPGTD     Y7, Y5, Y5
	VPSUBD       Y5, Y2, Y2
	VPADDD       Y14, Y2, Y2
	VPMAXSD      Y12, Y2, Y2
	VPMINSD      Y13, Y2, Y2
	VEXTRACTI128 $1, Y2, X3
	VPACKSSDW    X3, X2, X2
	VPACKSSWB    X2, X2, X2
	VMOVQ        X2, (DI)(R9*1)
	ADDQ         $8, R9
	ADDQ         $128, R8
	CMPQ         R9, CX
	JLT          group8
	VZEROUPPER
	RET

// func widenInt8AVX2(dst *int16, src *int8, n int, zero int32)
//
// Sign-extends 16 int8 values per step and subtracts the zero point in
// int16, which holds every difference of two int8 values. n is a multiple
// of 16.
TEXT ·widenInt8AVX2(SB), NOSPLIT, $0-28
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	MOVL         zero+24(FP), AX
	VMOVD        AX, X1
	VPBROADCASTW X1, Y1
	XORQ         AX, AX

sixteen:
	VPMOVSXBW (SI)(AX*1), Y0
	VPSUBW    Y1, Y0, Y0
	VMOVDQU   Y0, (DI)(AX*2)
	ADDQ      $16, AX
	CMPQ      AX, CX
	JLT       sixteen
	VZEROUPPER
	RET

// func multiplyPanelsAVX2(a *int16, lda int, b *int16, depth, blocks int, out *int32,
//	ldo int)
TEXT ·multiplyPanelsAVX2(SB), NOSPLIT, $0-56
	PANEL_KERNEL(PANEL_MAC_AVX2)

// func multiplyPanelsVNNI(a *int16, lda int, b *int16, depth, blocks int, out *int32,
//	ldo int)
TEXT ·multiplyPanelsVNNI(SB), NOSPLIT, $0-56
	PANEL_KERNEL(PANEL_MAC_VNNI)

// func requantizeFloatAVX2(acc, bias *int32, scale *float32, out *int8, n int,
//	lo, hi float32, zero int32)
//
// Per 8 channels: x = acc + bias is converted to float32 and multiplied by
// scale, both rounding to nearest even as Go's conversion and multiply do;
// the product is clamped to [lo, hi] (already minus the zero point) and
// converted to int32 with the default rounding, half to even. The zero
// point is added and the values are packed to int8.
TEXT ·requantizeFloatAVX2(SB), NOSPLIT, $0-52
	MOVQ         acc+0(FP), SI
	MOVQ         bias+8(FP), BX
	MOVQ         scale+16(FP), DX
	MOVQ         out+24(FP), DI
	MOVQ         n+32(FP), CX
	VBROADCASTSS lo+40(FP), Y12
	VBROADCASTSS hi+44(FP), Y13
	MOVL         zero+48(FP), AX
	VMOVD        AX, X14
	VPBROADCASTD X14, Y14
	XORQ         R9, R9

float8:
	VMOVDQU      (SI)(R9*4), Y0
	VPADDD       (BX)(R9*4), Y0, Y0
	VCVTDQ2PS    Y0, Y0
	VMULPS       (DX)(R9*4), Y0, Y0
	VMAXPS       Y12, Y0, Y0
	VMINPS       Y13, Y0, Y0
	VCVTPS2DQ    Y0, Y0
	VPADDD       Y14, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKSSDW    X1, X0, X0
	VPACKSSWB    X0, X0, X0
	VMOVQ        X0, (DI)(R9*1)
	ADDQ         $8, R9
	CMPQ         R9, CX
	JLT          float8
	VZEROUPPER
	RET

//go:build amd64 && !purego

#include "textflag.h"

// DOT_PROLOGUE loads the arguments of dotRows2x4AVX2 and dotRows2x4VNNI.
#define DOT_PROLOGUE \
	MOVQ a0+0(FP), SI \
	MOVQ a1+8(FP), R9 \
	MOVQ b+16(FP), DI \
	MOVQ depth+24(FP), R10 \
	SHLQ $1, R10 \
	MOVQ cols+32(FP), DX \
	MOVQ out+40(FP), R8 \
	MOVQ DX, R11 \
	SHLQ $2, R11

// DOT_START clears the eight accumulators and points R12 to R14 at rows 1
// to 3 of the group of four rows of b at DI. R10 is the row length in
// bytes.
#define DOT_START \
	VPXOR Y0, Y0, Y0 \
	VPXOR Y1, Y1, Y1 \
	VPXOR Y2, Y2, Y2 \
	VPXOR Y3, Y3, Y3 \
	VPXOR Y4, Y4, Y4 \
	VPXOR Y5, Y5, Y5 \
	VPXOR Y6, Y6, Y6 \
	VPXOR Y7, Y7, Y7 \
	LEAQ  (DI)(R10*1), R12 \
	LEAQ  (R12)(R10*1), R13 \
	LEAQ  (R13)(R10*1), R14 \
	XORQ  AX, AX

// DOT_STORE adds up the accumulators, Y0 to Y3 for a0 and Y4 to Y7 for a1:
// each 128-bit lane of Y0 becomes the partial sums of Y0 to Y3 in order,
// and adding the two lanes finishes them. It stores four outputs per row
// and moves to the next group of four rows of b.
#define DOT_STORE \
	VPHADDD      Y1, Y0, Y0 \
	VPHADDD      Y3, Y2, Y2 \
	VPHADDD      Y2, Y0, Y0 \
	VEXTRACTI128 $1, Y0, X1 \
	VPADDD       X1, X0, X0 \
	VMOVDQU      X0, (R8) \
	VPHADDD      Y5, Y4, Y4 \
	VPHADDD      Y7, Y6, Y6 \
	VPHADDD      Y6, Y4, Y4 \
	VEXTRACTI128 $1, Y4, X5 \
	VPADDD       X5, X4, X4 \
	VMOVDQU      X4, (R8)(R11*1) \
	ADDQ         $16, R8 \
	LEAQ         (R14)(R10*1), DI \
	SUBQ         $4, DX

// func dotRows2x4AVX2(a0, a1, b *int16, depth, cols int, out *int32)
//
// For each group of four rows of b, eight accumulators hold the products
// of a0 and a1 with those rows, 16 int16 values per step. VPMADDWD
// multiplies int16 pairs and adds each pair into an int32 lane. depth is a
// multiple of 16 and cols of 4.
TEXT ·dotRows2x4AVX2(SB), NOSPLIT, $0-48
	DOT_PROLOGUE

cols4:
	TESTQ DX, DX
	JZ    done
	DOT_START

depth16:
	VMOVDQU  (SI)(AX*1), Y8
	VMOVDQU  (R9)(AX*1), Y9
	VMOVDQU  (DI)(AX*1), Y10
	VPMADDWD Y10, Y8, Y11
	VPADDD   Y11, Y0, Y0
	VPMADDWD Y10, Y9, Y11
	VPADDD   Y11, Y4, Y4
	VMOVDQU  (R12)(AX*1), Y10
	VPMADDWD Y10, Y8, Y11
	VPADDD   Y11, Y1, Y1
	VPMADDWD Y10, Y9, Y11
	VPADDD   Y11, Y5, Y5
	VMOVDQU  (R13)(AX*1), Y10
	VPMADDWD Y10, Y8, Y11
	VPADDD   Y11, Y2, Y2
	VPMADDWD Y10, Y9, Y11
	VPADDD   Y11, Y6, Y6
	VMOVDQU  (R14)(AX*1), Y10
	VPMADDWD Y10, Y8, Y11
	VPADDD   Y11, Y3, Y3
	VPMADDWD Y10, Y9, Y11
	VPADDD   Y11, Y7, Y7
	ADDQ     $32, AX
	CMPQ     AX, R10
	JLT      depth16

	DOT_STORE
	JMP cols4

done:
	VZEROUPPER
	RET

// func dotRows2x4VNNI(a0, a1, b *int16, depth, cols int, out *int32)
//
// dotRows2x4AVX2 with VPDPWSSD of AVX512-VNNI on 256-bit registers, which
// multiplies int16 pairs and adds them to the accumulator in one
// instruction. Its sums wrap like VPMADDWD followed by VPADDD.
TEXT ·dotRows2x4VNNI(SB), NOSPLIT, $0-48
	DOT_PROLOGUE

cols4:
	TESTQ DX, DX
	JZ    done
	DOT_START

depth16:
	VMOVDQU  (SI)(AX*1), Y8
	VMOVDQU  (R9)(AX*1), Y9
	VMOVDQU  (DI)(AX*1), Y10
	VPDPWSSD Y10, Y8, Y0
	VPDPWSSD Y10, Y9, Y4
	VMOVDQU  (R12)(AX*1), Y10
	VPDPWSSD Y10, Y8, Y1
	VPDPWSSD Y10, Y9, Y5
	VMOVDQU  (R13)(AX*1), Y10
	VPDPWSSD Y10, Y8, Y2
	VPDPWSSD Y10, Y9, Y6
	VMOVDQU  (R14)(AX*1), Y10
	VPDPWSSD Y10, Y8, Y3
	VPDPWSSD Y10, Y9, Y7
	ADDQ     $32, AX
	CMPQ     AX, R10
	JLT      depth16

	DOT_STORE
	JMP cols4

done:
	VZEROUPPER
	RET

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

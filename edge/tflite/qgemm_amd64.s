//go:build amd64 && !purego

#include "textflag.h"

// func dotRows2x4AVX2(a0, a1, b *int16, depth, cols int, out *int32)
//
// For each group of four rows of b, eight accumulators hold the products
// of a0 and a1 with those rows, 16 int16 values per step. The horizontal
// sums then give four outputs per row. depth is a multiple of 16 and cols
// of 4.
TEXT ·dotRows2x4AVX2(SB), NOSPLIT, $0-48
	MOVQ a0+0(FP), SI
	MOVQ a1+8(FP), R9
	MOVQ b+16(FP), DI
	MOVQ depth+24(FP), R10
	SHLQ $1, R10              // row length in bytes
	MOVQ cols+32(FP), DX
	MOVQ out+40(FP), R8
	MOVQ DX, R11
	SHLQ $2, R11              // offset of a1's outputs in bytes

cols4:
	TESTQ DX, DX
	JZ    done
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	VPXOR Y6, Y6, Y6
	VPXOR Y7, Y7, Y7
	LEAQ  (DI)(R10*1), R12
	LEAQ  (R12)(R10*1), R13
	LEAQ  (R13)(R10*1), R14
	XORQ  AX, AX

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

	// Each 128-bit lane of Y0 becomes the partial sums of Y0..Y3 in
	// order, and adding the two lanes finishes them.
	VPHADDD      Y1, Y0, Y0
	VPHADDD      Y3, Y2, Y2
	VPHADDD      Y2, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD       X1, X0, X0
	VMOVDQU      X0, (R8)
	VPHADDD      Y5, Y4, Y4
	VPHADDD      Y7, Y6, Y6
	VPHADDD      Y6, Y4, Y4
	VEXTRACTI128 $1, Y4, X5
	VPADDD       X5, X4, X4
	VMOVDQU      X4, (R8)(R11*1)

	ADDQ $16, R8
	LEAQ (R14)(R10*1), DI
	SUBQ $4, DX
	JMP  cols4

done:
	VZEROUPPER
	RET

// func multiplyAddInt8AVX2(acc *int32, x *int8, w *int16, n int, zero int32)
TEXT ·multiplyAddInt8AVX2(SB), NOSPLIT, $0-36
	MOVQ         acc+0(FP), DI
	MOVQ         x+8(FP), SI
	MOVQ         w+16(FP), DX
	MOVQ         n+24(FP), CX
	MOVL         zero+32(FP), AX
	VMOVD        AX, X3
	VPBROADCASTD X3, Y3
	XORQ         AX, AX

eight:
	VPMOVSXBD (SI)(AX*1), Y0
	VPSUBD    Y3, Y0, Y0
	VPMOVSXWD (DX)(AX*2), Y1
	VPMULLD   Y1, Y0, Y0
	VPADDD    (DI)(AX*4), Y0, Y0
	VMOVDQU   Y0, (DI)(AX*4)
	ADDQ      $8, AX
	CMPQ      AX, CX
	JLT       eight
	VZEROUPPER
	RET

//go:build amd64 && !purego

#include "textflag.h"

// FLOAT_STORE adds the bias of 16 columns in Y8 and Y9 to the sums in lo
// and hi, clamps them to [Y12, Y13] and stores them at m0 and m1.
#define FLOAT_STORE(lo, hi, m0, m1) \
	VADDPS  Y8, lo, lo \
	VADDPS  Y9, hi, hi \
	VMAXPS  lo, Y12, lo \
	VMAXPS  hi, Y12, hi \
	VMINPS  lo, Y13, lo \
	VMINPS  hi, Y13, hi \
	VMOVUPS lo, m0 \
	VMOVUPS hi, m1

// func multiplyFloatPanelsAVX2(a *float32, lda int, b *float32, depth, blocks int,
//	out *float32, ldo int, bias *float32, lo, hi float32)
//
// Per depth position, VBROADCASTSS repeats the value of each of four rows
// of a, and VMULPS and VADDPS add its products with 16 filter rows to two
// accumulators per row. Multiplying and adding separately, in depth order,
// rounds like the Go loop, where fused multiply-adds would not. The bias is
// added last, and VMAXPS and VMINPS with the bound as first source clamp
// like clamp does, passing NaN through.
TEXT ·multiplyFloatPanelsAVX2(SB), NOSPLIT, $0-72
	MOVQ a+0(FP), SI
	MOVQ lda+8(FP), AX
	SHLQ $2, AX
	LEAQ (SI)(AX*1), R9
	LEAQ (R9)(AX*1), R10
	LEAQ (R10)(AX*1), R11
	MOVQ b+16(FP), DI
	MOVQ depth+24(FP), BX
	SHLQ $2, BX
	MOVQ blocks+32(FP), CX
	MOVQ out+40(FP), R8
	MOVQ ldo+48(FP), R12
	SHLQ $2, R12
	MOVQ bias+56(FP), R13
	VBROADCASTSS lo+64(FP), Y12
	VBROADCASTSS hi+68(FP), Y13

block:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ   AX, AX

depth1:
	VMOVUPS      (DI), Y8
	VMOVUPS      32(DI), Y9
	VBROADCASTSS (SI)(AX*1), Y10
	VMULPS       Y8, Y10, Y11
	VADDPS       Y11, Y0, Y0
	VMULPS       Y9, Y10, Y11
	VADDPS       Y11, Y1, Y1
	VBROADCASTSS (R9)(AX*1), Y10
	VMULPS       Y8, Y10, Y11
	VADDPS       Y11, Y2, Y2
	VMULPS       Y9, Y10, Y11
	VADDPS       Y11, Y3, Y3
	VBROADCASTSS (R10)(AX*1), Y10
	VMULPS       Y8, Y10, Y11
	VADDPS       Y11, Y4, Y4
	VMULPS       Y9, Y10, Y11
	VADDPS       Y11, Y5, Y5
	VBROADCASTSS (R11)(AX*1), Y10
	VMULPS       Y8, Y10, Y11
	VADDPS       Y11, Y6, Y6
	VMULPS       Y9, Y10, Y11
	VADDPS       Y11, Y7, Y7
	ADDQ         $64, DI
	ADDQ         $4, AX
	CMPQ         AX, BX
	JLT          depth1

	VMOVUPS (R13), Y8
	VMOVUPS 32(R13), Y9
	FLOAT_STORE(Y0, Y1, 0(R8), 32(R8))
	LEAQ    (R8)(R12*1), DX
	FLOAT_STORE(Y2, Y3, 0(DX), 32(DX))
	ADDQ    R12, DX
	FLOAT_STORE(Y4, Y5, 0(DX), 32(DX))
	ADDQ    R12, DX
	FLOAT_STORE(Y6, Y7, 0(DX), 32(DX))
	ADDQ    $64, R8
	ADDQ    $64, R13
	DECQ    CX
	JNZ     block
	VZEROUPPER
	RET

// func multiplyAddAVX2(acc, x, y *float32, n int)
//
// Adds x[i] * y[i] to acc[i] for 8 values per step, n a multiple of 8,
// with VMULPS and VADDPS, which round like the Go loop.
TEXT ·multiplyAddAVX2(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ n+24(FP), CX
	XORQ AX, AX

eight:
	VMOVUPS (SI)(AX*4), Y0
	VMULPS  (DX)(AX*4), Y0, Y0
	VADDPS  (DI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JLT     eight
	VZEROUPPER
	RET

//go:build arm64 && !purego

#include "textflag.h"

// The Go assembler has no mnemonics for vector FADD, FCMGT and BIT, so
// these macros encode them with register numbers d, n and m for
// FADD Vd.4S, Vn.4S, Vm.4S and the like.
#define FADD4S(d, n, m) WORD $(0x4e20d400 | (m)<<16 | (n)<<5 | (d))
#define FCMGT4S(d, n, m) WORD $(0x6ea0e400 | (m)<<16 | (n)<<5 | (d))
#define BIT16B(d, n, m) WORD $(0x6ea01c00 | (m)<<16 | (n)<<5 | (d))

// BIAS_CLAMP adds bias vector Vb to sums Vx and clamps them to [V28, V29]
// like clamp: V30 marks lanes below lo and V31 lanes above hi, computed
// before either bound is inserted, and lo is inserted last.
#define BIAS_CLAMP(x, b) \
	FADD4S(x, x, b) \
	FCMGT4S(30, 28, x) \
	FCMGT4S(31, x, 29) \
	BIT16B(x, 29, 31) \
	BIT16B(x, 28, 30)

// func multiplyFloatPanelsNEON(a *float32, lda int, b *float32, depth, blocks int,
//	out *float32, ldo int, bias *float32, lo, hi float32)
//
// Per depth position, LD1R repeats the value of each of four rows of a, and
// FMLA adds its products with 16 filter rows to four accumulators per row,
// V0-V15. FMLA rounds once per multiply-add, as the FMADDS that the Go
// compiler makes of the Go loop's s += x * w on arm64 does, and the sums run
// in depth order. The bias is then added, and FCMGT masks with BIT select
// hi where the sum exceeds hi and then lo where it is below lo, like clamp,
// which passes NaN and -0 through unchanged.
TEXT ·multiplyFloatPanelsNEON(SB), NOSPLIT, $0-72
	MOVD  a+0(FP), R0
	MOVD  lda+8(FP), R15
	LSL   $2, R15, R15
	ADD   R15, R0, R1
	ADD   R15, R1, R2
	ADD   R15, R2, R3
	MOVD  b+16(FP), R4
	MOVD  depth+24(FP), R5
	MOVD  blocks+32(FP), R6
	MOVD  out+40(FP), R7
	MOVD  ldo+48(FP), R8
	LSL   $2, R8, R8
	MOVD  bias+56(FP), R9
	MOVWU lo+64(FP), R10
	VDUP  R10, V28.S4
	MOVWU hi+68(FP), R10
	VDUP  R10, V29.S4

block:
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	MOVD R0, R10
	MOVD R1, R11
	MOVD R2, R12
	MOVD R3, R13
	MOVD R5, R14

depth1:
	VLD1.P  64(R4), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1R.P 4(R10), [V20.S4]
	VLD1R.P 4(R11), [V21.S4]
	VLD1R.P 4(R12), [V22.S4]
	VLD1R.P 4(R13), [V23.S4]
	VFMLA   V20.S4, V16.S4, V0.S4
	VFMLA   V20.S4, V17.S4, V1.S4
	VFMLA   V20.S4, V18.S4, V2.S4
	VFMLA   V20.S4, V19.S4, V3.S4
	VFMLA   V21.S4, V16.S4, V4.S4
	VFMLA   V21.S4, V17.S4, V5.S4
	VFMLA   V21.S4, V18.S4, V6.S4
	VFMLA   V21.S4, V19.S4, V7.S4
	VFMLA   V22.S4, V16.S4, V8.S4
	VFMLA   V22.S4, V17.S4, V9.S4
	VFMLA   V22.S4, V18.S4, V10.S4
	VFMLA   V22.S4, V19.S4, V11.S4
	VFMLA   V23.S4, V16.S4, V12.S4
	VFMLA   V23.S4, V17.S4, V13.S4
	VFMLA   V23.S4, V18.S4, V14.S4
	VFMLA   V23.S4, V19.S4, V15.S4
	SUBS    $1, R14, R14
	BNE     depth1

	VLD1.P 64(R9), [V24.S4, V25.S4, V26.S4, V27.S4]
	MOVD   R7, R15
	BIAS_CLAMP(0, 24)
	BIAS_CLAMP(1, 25)
	BIAS_CLAMP(2, 26)
	BIAS_CLAMP(3, 27)
	VST1   [V0.S4, V1.S4, V2.S4, V3.S4], (R15)
	ADD    R8, R15, R15
	BIAS_CLAMP(4, 24)
	BIAS_CLAMP(5, 25)
	BIAS_CLAMP(6, 26)
	BIAS_CLAMP(7, 27)
	VST1   [V4.S4, V5.S4, V6.S4, V7.S4], (R15)
	ADD    R8, R15, R15
	BIAS_CLAMP(8, 24)
	BIAS_CLAMP(9, 25)
	BIAS_CLAMP(10, 26)
	BIAS_CLAMP(11, 27)
	VST1   [V8.S4, V9.S4, V10.S4, V11.S4], (R15)
	ADD    R8, R15, R15
	BIAS_CLAMP(12, 24)
	BIAS_CLAMP(13, 25)
	BIAS_CLAMP(14, 26)
	BIAS_CLAMP(15, 27)
	VST1   [V12.S4, V13.S4, V14.S4, V15.S4], (R15)
	ADD    $64, R7, R7
	SUBS   $1, R6, R6
	BNE    block
	RET

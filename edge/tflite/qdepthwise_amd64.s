//go:build amd64 && !purego

#include "textflag.h"

// func depthwiseRowsAVX2(acc *int32, rows *[]int8, packed *int16, pairs, groups int,
//	zero int32)
//
// For each group of 16 channels, the input rows of two taps are widened to
// int16 minus the zero point and interleaved by VPUNPCKLWD and VPUNPCKHWD,
// so that VPMADDWD with the packed weights adds both taps of a channel
// into one int32 lane. The low unpack holds channels 0-3 and 8-11 of the
// group and the high one 4-7 and 12-15, and VPERM2I128 restores the order
// before the store. rows holds 2*pairs slice headers.
TEXT ·depthwiseRowsAVX2(SB), NOSPLIT, $0-44
	MOVQ         acc+0(FP), DI
	MOVQ         rows+8(FP), SI
	MOVQ         packed+16(FP), DX
	MOVQ         pairs+24(FP), R10
	MOVQ         groups+32(FP), CX
	MOVL         zero+40(FP), AX
	VMOVD        AX, X15
	VPBROADCASTW X15, Y15
	XORQ         R8, R8

group:
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	MOVQ  SI, R11
	MOVQ  R10, R12

pair:
	MOVQ       0(R11), R13
	MOVQ       24(R11), R14
	VPMOVSXBW  (R13)(R8*1), Y2
	VPMOVSXBW  (R14)(R8*1), Y3
	VPSUBW     Y15, Y2, Y2
	VPSUBW     Y15, Y3, Y3
	VPUNPCKHWD Y3, Y2, Y4
	VPUNPCKLWD Y3, Y2, Y2
	VPMADDWD   (DX), Y2, Y2
	VPMADDWD   32(DX), Y4, Y4
	VPADDD     Y2, Y0, Y0
	VPADDD     Y4, Y1, Y1
	ADDQ       $64, DX
	ADDQ       $48, R11
	DECQ       R12
	JNZ        pair

	VPERM2I128 $0x20, Y1, Y0, Y2
	VPERM2I128 $0x31, Y1, Y0, Y3
	VMOVDQU    Y2, (DI)(R8*4)
	VMOVDQU    Y3, 32(DI)(R8*4)
	ADDQ       $16, R8
	DECQ       CX
	JNZ        group
	VZEROUPPER
	RET

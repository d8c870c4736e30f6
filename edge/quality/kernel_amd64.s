#include "textflag.h"

// func squaredDistancesAVX2(y, rows []float64, out []float64)
// out[r] = Σ(y[i]-rows[r·len(y)+i])² for r < len(out).
TEXT ·squaredDistancesAVX2(SB), NOSPLIT, $0-72
	MOVQ y_base+0(FP), R8
	MOVQ y_len+8(FP), R9
	MOVQ rows_base+24(FP), DI
	MOVQ out_base+48(FP), DX
	MOVQ out_len+56(FP), R10

row:
	CMPQ R10, $0
	JE   end
	MOVQ R8, SI
	MOVQ R9, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

row16:
	CMPQ CX, $16
	JL   row4
	VMOVUPD 0(SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	VSUBPD 0(DI), Y4, Y4
	VSUBPD 32(DI), Y5, Y5
	VSUBPD 64(DI), Y6, Y6
	VSUBPD 96(DI), Y7, Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $16, CX
	JMP  row16

row4:
	CMPQ CX, $4
	JL   rowsum
	VMOVUPD 0(SI), Y4
	VSUBPD 0(DI), Y4, Y4
	VFMADD231PD Y4, Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $4, CX
	JMP  row4

rowsum:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0

rowtail:
	CMPQ CX, $0
	JE   rowdone
	VMOVSD (SI), X4
	VSUBSD (DI), X4, X4
	VFMADD231SD X4, X4, X0
	ADDQ $8, SI
	ADDQ $8, DI
	DECQ CX
	JMP  rowtail

rowdone:
	VMOVSD X0, (DX)
	ADDQ $8, DX
	DECQ R10
	JMP  row

end:
	VZEROUPPER
	RET

#include "textflag.h"

// All three take n > 0 and a multiple of 8 (the Go callers check).

// func dotAVX2(a, b *float32, n int) float32
TEXT ·dotAVX2(SB), NOSPLIT, $0-28
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DI
	MOVQ n+16(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	CMPQ CX, $16
	JLT  dot8

dot16:
	VMOVUPS     (SI), Y2
	VMOVUPS     32(SI), Y3
	VFMADD231PS (DI), Y2, Y0
	VFMADD231PS 32(DI), Y3, Y1
	ADDQ        $64, SI
	ADDQ        $64, DI
	SUBQ        $16, CX
	CMPQ        CX, $16
	JGE         dot16

dot8:
	CMPQ        CX, $8
	JLT         dotsum
	VMOVUPS     (SI), Y2
	VFMADD231PS (DI), Y2, Y0

dotsum:
	VADDPS       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0
	VZEROUPPER
	MOVSS        X0, ret+24(FP)
	RET

// func axpyAVX2(a float32, x, y *float32, n int)
TEXT ·axpyAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS a+0(FP), Y0
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         n+24(FP), CX

axpy8:
	VMOVUPS     (DI), Y1
	VFMADD231PS (SI), Y0, Y1
	VMOVUPS     Y1, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JNZ         axpy8
	VZEROUPPER
	RET

// func sgnsUpdateAVX2(grad float32, in, out, acc *float32, n int)
TEXT ·sgnsUpdateAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSS grad+0(FP), Y0
	MOVQ         in+8(FP), SI
	MOVQ         out+16(FP), DI
	MOVQ         acc+24(FP), DX
	MOVQ         n+32(FP), CX

sgns8:
	VMOVUPS     (DI), Y1
	VMOVUPS     (DX), Y2
	VFMADD231PS Y1, Y0, Y2
	VMOVUPS     Y2, (DX)
	VFMADD231PS (SI), Y0, Y1
	VMOVUPS     Y1, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	SUBQ        $8, CX
	JNZ         sgns8
	VZEROUPPER
	RET

// func prefetchLines(p *float32, n int)
// Asks for the cache lines of n floats from p (n > 0), without waiting.
TEXT ·prefetchLines(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	SHLQ $2, CX
	ADDQ SI, CX

prefetchline:
	PREFETCHT0 (SI)
	ADDQ       $64, SI
	CMPQ       SI, CX
	JLT        prefetchline
	RET

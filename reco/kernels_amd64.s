#include "textflag.h"

// dotAVX2, axpyAVX2 and sgnsUpdateAVX2 take n > 0 and a multiple of 8
// (the Go callers check).

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

// func dotRowsAVX2(q, rows *float32, dim, n int, out *float32)
// out[r] = Σ q[j]·rows[r·dim+j] for r < n; n > 0 a multiple of 4, dim > 0
// a multiple of 8. Four rows at a time share each load of q, and their
// four sums are reduced together by horizontal adds into one store.
TEXT ·dotRowsAVX2(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), AX
	MOVQ rows+8(FP), SI
	MOVQ dim+16(FP), BX
	MOVQ n+24(FP), CX
	MOVQ out+32(FP), DI
	SHLQ $2, BX          // row stride in bytes
	LEAQ (BX)(BX*2), R8  // three strides

rows4:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ   DX, DX        // byte offset into q and each row

rows4dim8:
	VMOVUPS     (AX)(DX*1), Y4
	LEAQ        (SI)(DX*1), R9
	VFMADD231PS (R9), Y4, Y0
	VFMADD231PS (R9)(BX*1), Y4, Y1
	VFMADD231PS (R9)(BX*2), Y4, Y2
	VFMADD231PS (R9)(R8*1), Y4, Y3
	ADDQ        $32, DX
	CMPQ        DX, BX
	JLT         rows4dim8

	VHADDPS      Y1, Y0, Y0 // pairs of rows 0, 1
	VHADDPS      Y3, Y2, Y2 // pairs of rows 2, 3
	VHADDPS      Y2, Y0, Y0 // each 128-bit half: partial sums of rows 0..3
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVUPS      X0, (DI)
	LEAQ         (SI)(BX*4), SI
	ADDQ         $16, DI
	SUBQ         $4, CX
	JNZ          rows4
	VZEROUPPER
	RET

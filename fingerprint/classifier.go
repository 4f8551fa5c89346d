package fingerprint

import "math"

// filterSpec is one Haar-like filter over the chroma image: its kind, the
// first band y, the number of bands h and the number of frames w.
type filterSpec struct {
	kind, y, h, w int
}

// classifier quantises one filter response into two bits.
type classifier struct {
	f          filterSpec
	t0, t1, t2 float64
}

// classifiers are the 16 classifiers of Chromaprint's default algorithm,
// in output order: the first ends up in the top two bits.
var classifiers = [16]classifier{
	{filterSpec{0, 4, 3, 15}, 1.98215, 2.35817, 2.63523},
	{filterSpec{4, 4, 6, 15}, -1.03809, -0.651211, -0.282167},
	{filterSpec{1, 0, 4, 16}, -0.298702, 0.119262, 0.558497},
	{filterSpec{3, 8, 2, 12}, -0.105439, 0.0153946, 0.135898},
	{filterSpec{3, 4, 4, 8}, -0.142891, 0.0258736, 0.200632},
	{filterSpec{4, 0, 3, 5}, -0.826319, -0.590612, -0.368214},
	{filterSpec{1, 2, 2, 9}, -0.557409, -0.233035, 0.0534525},
	{filterSpec{2, 7, 3, 4}, -0.0646826, 0.00620476, 0.0784847},
	{filterSpec{2, 6, 2, 16}, -0.192387, -0.029699, 0.215855},
	{filterSpec{2, 1, 3, 2}, -0.0397818, -0.00568076, 0.0292026},
	{filterSpec{5, 10, 1, 15}, -0.53823, -0.369934, -0.190235},
	{filterSpec{3, 6, 2, 10}, -0.124877, 0.0296483, 0.139239},
	{filterSpec{2, 1, 1, 14}, -0.101475, 0.0225617, 0.231971},
	{filterSpec{3, 5, 6, 4}, -0.0799915, -0.00729616, 0.063262},
	{filterSpec{1, 9, 2, 12}, -0.272556, 0.019424, 0.302559},
	{filterSpec{3, 4, 2, 14}, -0.164292, -0.0321188, 0.0846339},
}

// maxFilterWidth is the widest filter in frames: an item needs that many
// chroma rows.
const maxFilterWidth = 16

// grayCode maps a quantiser level to two bits so that neighbouring levels
// differ in one bit.
var grayCode = [4]uint32{0, 1, 3, 2}

// integralImage is a rolling summed-area table of chroma rows (x = time,
// y = band). Sums keep accumulating from the first row, as Chromaprint's
// does, so results agree to the last bit of a double.
type integralImage struct {
	rows [256][12]float64
	n    int
}

func (im *integralImage) add(v []float64) {
	cur := &im.rows[im.n%256]
	s := 0.0
	for i := 0; i < 12; i++ {
		s += v[i]
		cur[i] = s
	}
	if im.n > 0 {
		last := &im.rows[(im.n-1)%256]
		for i := 0; i < 12; i++ {
			cur[i] += last[i]
		}
	}
	im.n++
}

// area sums rows [r1, r2) and bands [c1, c2).
func (im *integralImage) area(r1, c1, r2, c2 int) float64 {
	if r1 == r2 || c1 == c2 {
		return 0
	}
	row2 := &im.rows[(r2-1)%256]
	if r1 == 0 {
		if c1 == 0 {
			return row2[c2-1]
		}
		return row2[c2-1] - row2[c1-1]
	}
	row1 := &im.rows[(r1-1)%256]
	if c1 == 0 {
		return row2[c2-1] - row1[c2-1]
	}
	return row2[c2-1] - row1[c2-1] - row2[c1-1] + row1[c1-1]
}

func subtractLog(a, b float64) float64 { return math.Log((1 + a) / (1 + b)) }

// apply evaluates the filter with its first frame at x.
func (f filterSpec) apply(im *integralImage, x int) float64 {
	y, w, h := f.y, f.w, f.h
	switch f.kind {
	case 0: // the whole area
		return subtractLog(im.area(x, y, x+w, y+h), 0)
	case 1: // upper vs lower half of the bands
		h2 := h / 2
		return subtractLog(im.area(x, y+h2, x+w, y+h), im.area(x, y, x+w, y+h2))
	case 2: // later vs earlier half of the frames
		w2 := w / 2
		return subtractLog(im.area(x+w2, y, x+w, y+h), im.area(x, y, x+w2, y+h))
	case 3: // diagonal quadrants
		w2, h2 := w/2, h/2
		a := im.area(x, y+h2, x+w2, y+h) + im.area(x+w2, y, x+w, y+h2)
		b := im.area(x, y, x+w2, y+h2) + im.area(x+w2, y+h2, x+w, y+h)
		return subtractLog(a, b)
	case 4: // middle third of the bands vs the outer thirds
		h3 := h / 3
		a := im.area(x, y+h3, x+w, y+2*h3)
		b := im.area(x, y, x+w, y+h3) + im.area(x, y+2*h3, x+w, y+h)
		return subtractLog(a, b)
	default: // 5: middle third of the frames vs the outer thirds
		w3 := w / 3
		a := im.area(x+w3, y, x+2*w3, y+h)
		b := im.area(x, y, x+w3, y+h) + im.area(x+2*w3, y, x+w, y+h)
		return subtractLog(a, b)
	}
}

func (c *classifier) classify(im *integralImage, x int) uint32 {
	v := c.f.apply(im, x)
	switch {
	case v < c.t0:
		return 0
	case v < c.t1:
		return 1
	case v < c.t2:
		return 2
	default:
		return 3
	}
}

// subFingerprint computes the item whose first chroma row is x.
func subFingerprint(im *integralImage, x int) uint32 {
	var bits uint32
	for i := range classifiers {
		bits = bits<<2 | grayCode[classifiers[i].classify(im, x)]
	}
	return bits
}

package reco

import "math/rand/v2"

// mixture draws vectors around fixed random centres (noise 0.6 per
// dimension), clustered as trained embeddings are.
type mixture struct {
	r       *rand.Rand
	dim     int
	centres []float32
}

func newMixture(r *rand.Rand, dim, clusters int) *mixture {
	m := &mixture{r: r, dim: dim, centres: make([]float32, clusters*dim)}
	for i := range m.centres {
		m.centres[i] = float32(r.NormFloat64())
	}
	return m
}

// draw returns count vectors, row after row.
func (m *mixture) draw(count int) []float32 {
	out := make([]float32, count*m.dim)
	clusters := len(m.centres) / m.dim
	for i := range count {
		c := m.r.IntN(clusters)
		for j := range m.dim {
			out[i*m.dim+j] = m.centres[c*m.dim+j] + 0.6*float32(m.r.NormFloat64())
		}
	}
	return out
}

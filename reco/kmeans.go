package reco

// kmeans clusters the given items by their factor vectors (cosine, k
// means, iters rounds, seeded with the k strongest items spread apart).
// Each cluster keeps its members' order (the user's strongest first).
func kmeans(f *Factors, items []Scored, k, iters int) [][]Scored {
	dim := f.K
	vec := func(i int) []float32 {
		v := make([]float32, dim)
		for j, x := range f.Vec(i) {
			v[j] = float32(x)
		}
		normalise(v)
		return v
	}
	vs := make([][]float32, len(items))
	for n, s := range items {
		vs[n] = vec(s.Item)
	}
	// Farthest-first seeding from the strongest item: deterministic.
	centres := [][]float32{append([]float32(nil), vs[0]...)}
	for len(centres) < k {
		best, bn := float32(2), 0
		for n, v := range vs {
			var closest float32 = -2
			for _, c := range centres {
				closest = max(closest, dot(v, c))
			}
			if closest < best {
				best, bn = closest, n
			}
		}
		centres = append(centres, append([]float32(nil), vs[bn]...))
	}
	assign := make([]int, len(items))
	for range iters {
		for n, v := range vs {
			bc, bs := 0, float32(-2)
			for c, cv := range centres {
				if s := dot(v, cv); s > bs {
					bc, bs = c, s
				}
			}
			assign[n] = bc
		}
		for c := range centres {
			clear(centres[c])
		}
		for n, v := range vs {
			for j, x := range v {
				centres[assign[n]][j] += x
			}
		}
		for c := range centres {
			normalise(centres[c])
		}
	}
	out := make([][]Scored, k)
	for n, s := range items {
		out[assign[n]] = append(out[assign[n]], s)
	}
	return out
}

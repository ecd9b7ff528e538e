package generate

import (
	"cmp"
	"math/bits"
	"slices"
)

// rng is xoshiro256** seeded by splitmix64: a small generator of our own, so
// that the output for a seed never changes with the Go release (math/rand/v2
// does not promise stable streams for its derived methods).
type rng struct{ s [4]uint64 }

func newRNG(seed uint64) *rng {
	r := &rng{}
	x := seed
	for i := range r.s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
	return r
}

func (r *rng) uint64() uint64 {
	s := &r.s
	result := bits.RotateLeft64(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = bits.RotateLeft64(s[3], 45)
	return result
}

// intn returns a uniform integer in [0, n); n must be positive (Lemire's
// method with rejection).
func (r *rng) intn(n int) int {
	if n <= 0 {
		panic("generate: intn of a non-positive bound")
	}
	bound := uint64(n)
	hi, lo := bits.Mul64(r.uint64(), bound)
	if lo < bound {
		thresh := -bound % bound
		for lo < thresh {
			hi, lo = bits.Mul64(r.uint64(), bound)
		}
	}
	return int(hi)
}

// between returns a uniform integer in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// float returns a uniform float64 in [0, 1).
func (r *rng) float() float64 { return float64(r.uint64()>>11) / (1 << 53) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// pick returns a uniform element of l.
func pick[T any](r *rng, l []T) T { return l[r.intn(len(l))] }

// sample returns k distinct elements of l (all of them when k >= len(l)),
// in the order of l.
func sample[T any](r *rng, l []T, k int) []T {
	if k >= len(l) {
		return append([]T(nil), l...)
	}
	if k <= 0 {
		return nil
	}
	// Floyd's algorithm over indexes, then in list order.
	chosen := make(map[int]bool, k)
	for j := len(l) - k; j < len(l); j++ {
		t := r.intn(j + 1)
		if chosen[t] {
			chosen[j] = true
		} else {
			chosen[t] = true
		}
	}
	out := make([]T, 0, k)
	for i, x := range l {
		if chosen[i] {
			out = append(out, x)
		}
	}
	return out
}

// weighted picks indexes with probability proportional to their weights.
type weighted struct{ cum []float64 }

func newWeighted(w []float64) *weighted {
	c := make([]float64, len(w))
	sum := 0.0
	for i, x := range w {
		sum += max(x, 0)
		c[i] = sum
	}
	return &weighted{c}
}

func (w *weighted) pick(r *rng) int {
	total := w.cum[len(w.cum)-1]
	x := r.float() * total
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// allocate splits total into len(weights) integers proportional to the
// weights (largest remainder), giving each at least minEach when total
// allows it. Ties go to the lower index, so the result is deterministic.
func allocate(total int, weights []float64, minEach int) []int {
	n := len(weights)
	out := make([]int, n)
	if n == 0 || total <= 0 {
		return out
	}
	if minEach*n > total {
		minEach = total / n
	}
	rest := total - minEach*n
	sum := 0.0
	for _, w := range weights {
		sum += max(w, 0)
	}
	type rem struct {
		i int
		f float64
	}
	rems := make([]rem, n)
	given := 0
	for i, w := range weights {
		share := 0.0
		if sum > 0 {
			share = float64(rest) * max(w, 0) / sum
		} else {
			share = float64(rest) / float64(n)
		}
		out[i] = minEach + int(share)
		given += int(share)
		rems[i] = rem{i, share - float64(int(share))}
	}
	// Hand out what is left by largest remainder (ties: lower index first).
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.f, a.f) })
	for j := 0; j < rest-given; j++ {
		out[rems[j%n].i]++
	}
	return out
}

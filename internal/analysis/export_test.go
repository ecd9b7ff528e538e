package analysis

// Internals for the external benchmarks (bench_test.go).
var (
	// GonumCentralityOf is the former CentralityOf (gonum), without limit.
	GonumCentralityOf = gonumCentralityOf
	// ExactCentralityOf is CentralityOf without the MaxExactNodes limit.
	ExactCentralityOf = exactCentrality
	// RandomGraph is a sparse random snapshot of n nodes, about 2n edges.
	RandomGraph = randomGraph
)

package main

import (
	"fmt"
	"strings"
)

var targetTitles = map[string]string{
	tEmbedded: "bildungsgraph, embedded",
	tNeo4j:    "bildungsgraph, Neo4j",
	tNeoGQL:   "@neo4j/graphql",
	tCypher:   "Cypher, Go driver",
}

// titleOf returns the title of target t in r.
func titleOf(r *results, t string) string {
	if t == tCapped {
		return "bildungsgraph, embedded, GOMEMLIMIT=" + r.MemoryLimit
	}
	return targetTitles[t]
}

// report renders the results as Markdown tables.
func report(r *results) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	var targets []string
	for _, t := range allTargets {
		if r.Targets[t] != nil {
			targets = append(targets, t)
		}
	}
	w("Landscape: scale %v, seed %d — %d nodes, %d relationships. Concurrency %d, %.0f s per query and target (mixes: see results.json), loopback.\n\n",
		r.Scale, r.Seed, r.Nodes, r.Edges, r.Concurrency, r.Duration)

	// header writes the head of a table with a column per target.
	header := func(title string) {
		w("%s\n\n| query |", title)
		for _, t := range targets {
			w(" %s |", titleOf(r, t))
		}
		w("\n|---|")
		for range targets {
			w("---|")
		}
		w("\n")
	}
	header("#### Latency (p50 / p95, ms) and throughput (requests/s)")
	rows := append(append([]string{}, r.Order...), "mix:reads", "mix:all")
	for _, q := range rows {
		w("| %s |", rowTitle(q))
		for _, t := range targets {
			st, errText := statsOf(r.Targets[t], q)
			switch {
			case errText != "":
				w(" error |")
			case st == nil:
				w(" — |")
			default:
				w(" %s / %s · **%s**/s%s |", ms(st.P50), ms(st.P95), num(st.RPS), errs(st))
			}
		}
		w("\n")
	}

	w("\n#### Ratios\n\nThroughput ratio > 1: bildungsgraph answers more requests per second; p50 ratio < 1: bildungsgraph is faster.\n\n")
	w("| query | throughput Neo4j-store / @neo4j/graphql | throughput embedded / @neo4j/graphql | throughput embedded, GOMEMLIMIT=%s / @neo4j/graphql | p50 Neo4j-store / Cypher | p50 embedded / Cypher | p50 embedded, GOMEMLIMIT=%s / Cypher |\n|---|---|---|---|---|---|---|\n",
		r.MemoryLimit, r.MemoryLimit)
	for _, q := range rows {
		w("| %s | %s | %s | %s | %s | %s | %s |\n", rowTitle(q),
			ratio(r, tNeo4j, tNeoGQL, q, true), ratio(r, tEmbedded, tNeoGQL, q, true), ratio(r, tCapped, tNeoGQL, q, true),
			ratio(r, tNeo4j, tCypher, q, false), ratio(r, tEmbedded, tCypher, q, false), ratio(r, tCapped, tCypher, q, false))
	}

	header("\n#### Answers (the same data from every target)")
	for _, q := range r.Order {
		w("| %s |", q)
		for _, t := range targets {
			qr := r.Targets[t].Queries[q]
			switch {
			case qr == nil:
				w(" — |")
			case qr.Error != "":
				w(" error: %s |", strings.ReplaceAll(trunc(qr.Error, 80), "|", "/"))
			default:
				w(" %s (%s) |", qr.Size, kb(qr.Bytes))
			}
		}
		w("\n")
	}
	w("\n@neo4j/graphql compiles each request into one Cypher statement and the Go-driver target sends one: 1 round trip each.\n")

	w("\n#### Where our server's time goes: one request alone; store round trips alone and under load\n\n")
	w("| query | embedded: latency, round trips, time in the store | under load: round trips, store ms per request | Neo4j store: latency, round trips, time in the store | under load: round trips, store ms per request |\n|---|---|---|---|---|\n")
	for _, q := range r.Order {
		w("| %s | %s | %s | %s | %s |\n", q, alone(r.Targets[tEmbedded], q), underLoad(r.Targets[tEmbedded], q),
			alone(r.Targets[tNeo4j], q), underLoad(r.Targets[tNeo4j], q))
	}
	for _, x := range []struct {
		t, title string
	}{{tEmbedded, "embedded"}, {tNeo4j, "Neo4j store"}} {
		if tr := r.Targets[x.t]; tr != nil && tr.MixAllRT > 0 {
			w("\nRound trips per request in the mixes, %s: nested reads %.1f, all %.1f.", x.title, tr.MixReadsRT, tr.MixAllRT)
		}
	}
	w("\n")

	w("\n#### Import and memory\n\n| what | figure |\n|---|---|\n")
	for _, k := range []string{"embedded", "neo4j"} {
		if im := r.Imports[k]; im != nil {
			status := ""
			if im.Error != "" {
				status = " — failed: " + trunc(im.Error+" "+im.Output, 200)
			}
			w("| full import, %s (`bildungsgraph import`) | %.1f s, importer peak RSS %d MB%s |\n", k, im.Seconds, im.MaxRSSKB/1024, status)
		}
	}
	for _, t := range targets {
		tr := r.Targets[t]
		if m := tr.Memory; m != nil && m.RSS > 0 {
			heap := ""
			if h := tr.Heap["heapAllocKB"]; h > 0 {
				heap = fmt.Sprintf("; live Go heap %d MB", h/1024)
			}
			if s := tr.StartMemory; s != nil && s.RSS > 0 {
				w("| server RSS, %s, serving, before any request | %d MB (anonymous %d MB, mapped files %d MB; peak while starting %d MB); serving %.1f s after start |\n",
					titleOf(r, t), s.RSS/1024, s.Anon/1024, s.File/1024, s.HWM/1024, tr.StartSeconds)
			}
			peak := "peak under load"
			if tr.PeakFromStart {
				peak = "peak since the start"
			}
			w("| server RSS, %s, right after the load | %d MB (anonymous %d MB, mapped files %d MB; %s %d MB%s) |\n",
				titleOf(r, t), m.RSS/1024, m.Anon/1024, m.File/1024, peak, m.HWM/1024, heap)
			if s := tr.RestMemory; s != nil && s.RSS > 0 {
				w("| server RSS, %s, at rest after the load (free memory returned) | %d MB (anonymous %d MB, mapped files %d MB) |\n",
					titleOf(r, t), s.RSS/1024, s.Anon/1024, s.File/1024)
			}
		}
	}
	for _, k := range []string{"afterImport", "afterWarmup", tNeo4j, tNeoGQL, tCypher} {
		if v, ok := r.Neo4jRSS[k]; ok && v > 0 {
			w("| Neo4j JVM RSS after %s | %d MB |\n", k, v/1024)
		}
	}
	w("\nMachine: %s.\n", r.Machine)
	return b.String()
}

func rowTitle(q string) string {
	switch q {
	case "mix:reads":
		return "**mix: nested reads** (" + strings.Join(mixReads, ", ") + ")"
	case "mix:all":
		return "**mix: all** (+ coverage, brokers)"
	}
	return q
}

func statsOf(tr *targetRes, q string) (*stats, string) {
	if tr == nil {
		return nil, ""
	}
	switch q {
	case "mix:reads":
		return tr.MixReads, ""
	case "mix:all":
		return tr.MixAll, ""
	}
	qr := tr.Queries[q]
	if qr == nil {
		return nil, ""
	}
	if qr.Error != "" {
		return nil, qr.Error
	}
	return &qr.Stats, ""
}

func ratio(r *results, a, b, q string, throughput bool) string {
	sa, _ := statsOf(r.Targets[a], q)
	sb, _ := statsOf(r.Targets[b], q)
	if sa == nil || sb == nil || sa.Requests == 0 || sb.Requests == 0 {
		return "—"
	}
	if throughput {
		return fmt.Sprintf("%.2f×", sa.RPS/sb.RPS)
	}
	return fmt.Sprintf("%.2f×", sa.P50/sb.P50)
}

func alone(tr *targetRes, q string) string {
	if tr == nil || tr.Queries[q] == nil || tr.Queries[q].Error != "" || tr.Queries[q].RoundTrips < 0 {
		return "—"
	}
	qr := tr.Queries[q]
	var parts []string
	for _, m := range methodNames {
		if s, ok := qr.Store[m]; ok {
			parts = append(parts, fmt.Sprintf("%s %d× %s ms", m, s.Calls, ms(s.Ms)))
		}
	}
	return fmt.Sprintf("%s ms, %.0f, %s ms (%s)", ms(qr.AloneMs), qr.RoundTrips, ms(qr.StoreMs), strings.Join(parts, ", "))
}

func underLoad(tr *targetRes, q string) string {
	if tr == nil || tr.Queries[q] == nil || tr.Queries[q].LoadRoundTrips < 0 {
		return "—"
	}
	qr := tr.Queries[q]
	return fmt.Sprintf("%.1f, %s ms", qr.LoadRoundTrips, ms(qr.LoadStoreMs))
}

func kb(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f kB", float64(n)/1024)
}

func ms(x float64) string {
	if x >= 100 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

func num(x float64) string {
	if x >= 100 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

func errs(st *stats) string {
	if st.Errors == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d errors)", st.Errors)
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

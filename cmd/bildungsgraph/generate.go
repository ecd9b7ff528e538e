package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/bildungsgraph/bildungsgraph/internal/generate"
)

func generateCommand() *cli.Command {
	return &cli.Command{
		Name:  "generate",
		Usage: "generate a synthetic landscape at the scale of Niedersachsen (for benchmarks and demos) as a JSON document",
		Description: "Scale 1 is 45 districts, about 950 municipalities, 3,000 schools, 5,500 Kitas, 20,000 offers, 500 committees,\n" +
			"20,000 actors and some 300,000 relationships. The same scale and seed give the same bytes. Every node and relationship\n" +
			"is marked illustrative with the source \"Generator bildungsgraph (synthetisch), Seed N\". A document larger than the\n" +
			"import's 64 MiB per file is split: --out x.json writes x.json, x-2.json, …; import them together.",
		Flags: []cli.Flag{
			&cli.FloatFlag{Name: "scale", Value: 1, Usage: fmt.Sprintf("size: 1 = Niedersachsen, 0.01 = one small district, up to %d", generate.MaxScale)},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the random landscape"},
			&cli.StringFlag{Name: "out", Usage: "output file (default: standard output, unsplit)"},
		},
		Action: runGenerate,
	}
}

func runGenerate(ctx context.Context, cmd *cli.Command) error {
	doc, err := generate.Generate(generate.Options{Scale: cmd.Float("scale"), Seed: cmd.Uint64("seed")})
	if err != nil {
		return fmt.Errorf("--scale: %w", err)
	}
	c := generate.CountsOf(doc)
	summary := fmt.Sprintf("%d nodes and %d relationships: %d districts, %d municipalities, %d schools, %d Kitas, %d offers, %d committees, %d actors, %d foundations",
		len(doc.Nodes), len(doc.Edges), c.Districts, c.Municipalities, c.Schools, c.Kitas, c.Offers, c.Committees, c.Actors, c.Foundations)
	out := cmd.String("out")
	if out == "" || out == "-" {
		if err := generate.WriteJSON(os.Stdout, doc); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, summary)
		return nil
	}
	files, err := generate.WriteFiles(out, doc, 0)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	fmt.Fprintf(os.Stderr, "%s; wrote %s\n", summary, strings.Join(files, ", "))
	return nil
}

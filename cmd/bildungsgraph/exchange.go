package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v3"

	"github.com/bildungsgraph/bildungsgraph/internal/exchange"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

func importCommand() *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "import node and edge tables (CSV, Kumu/Gephi style) or a bildungsgraph JSON document, all or nothing",
		ArgsUsage: "[document.json ...]",
		Flags: append(storeFlags(),
			&cli.StringSliceFlag{Name: "nodes", Usage: "node table (CSV: id,kind,name,source,...; ',' or ';', UTF-8 or Windows-1252)"},
			&cli.StringSliceFlag{Name: "edges", Usage: "edge table (CSV: from,to,kind,source,...)"},
			&cli.BoolFlag{Name: "dry-run", Usage: "check everything, write nothing"},
			&cli.BoolFlag{Name: "quiet", Usage: "no progress bar"},
			&cli.StringFlag{Name: "author", Usage: "author of the import in the audit log (default: import (cli, user <login>))"},
		),
		Action: runImport,
	}
}

// progressThreshold is the input size (records) from which import shows a
// progress bar.
const progressThreshold = 2000

func runImport(ctx context.Context, cmd *cli.Command) error {
	var inputs []*exchange.Input
	read := func(path string, reader func(io.Reader, string) (*exchange.Input, error)) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		in, err := reader(f, filepath.Base(path))
		if err != nil {
			return err
		}
		inputs = append(inputs, in)
		return nil
	}
	for _, p := range cmd.Args().Slice() {
		if err := read(p, exchange.ReadJSON); err != nil {
			return err
		}
	}
	for _, p := range cmd.StringSlice("nodes") {
		if err := read(p, exchange.ReadNodesCSV); err != nil {
			return err
		}
	}
	for _, p := range cmd.StringSlice("edges") {
		if err := read(p, exchange.ReadEdgesCSV); err != nil {
			return err
		}
	}
	if len(inputs) == 0 {
		return fmt.Errorf("nothing to import: name JSON documents or --nodes/--edges tables")
	}
	for _, in := range inputs {
		for _, w := range in.Warnings {
			fmt.Fprintln(os.Stderr, "warning:", w.Error())
		}
	}
	store, err := openStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer store.Close()
	opts := exchange.Options{DryRun: cmd.Bool("dry-run"), Author: cmd.String("author")}
	if opts.Author == "" {
		opts.Author = "import (cli)"
		if u, err := user.Current(); err == nil {
			opts.Author = fmt.Sprintf("import (cli, user %s)", u.Username)
		}
	}
	var bar *progressbar.ProgressBar
	if !cmd.Bool("quiet") {
		opts.Progress = func(done, total int) {
			if bar == nil && total < progressThreshold {
				return // small inputs are done before a bar would help
			}
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription("import"),
					progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
			}
			bar.Set(done)
		}
	}
	rep, err := exchange.Import(ctx, store, inputs, opts)
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		problems := landscape.Problems(err)
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p.Field+": "+p.Message)
		}
		return fmt.Errorf("import rejected with %d problems; nothing was written", len(problems))
	}
	verb := "wrote"
	if rep.DryRun {
		verb = "would write"
	}
	fmt.Printf("%d nodes and %d edges read; %s %d nodes and %d edges; %d unchanged\n",
		rep.Nodes, rep.Edges, verb, len(rep.Result.Nodes), len(rep.Result.Edges), rep.Result.Unchanged)
	return nil
}

func exportCommand() *cli.Command {
	names := make([]string, len(exchange.Formats))
	for i, f := range exchange.Formats {
		names[i] = string(f)
	}
	return &cli.Command{
		Name:  "export",
		Usage: "export the landscape or a part of it for Gephi, yEd, Cytoscape, spreadsheets or a later import",
		Flags: append(storeFlags(),
			&cli.StringFlag{Name: "format", Value: "json", Usage: "one of " + strings.Join(names, ", ")},
			&cli.StringFlag{Name: "out", Usage: "output file (default: standard output)"},
			&cli.StringFlag{Name: "region", Usage: "only what lies in or serves this region (id) and its subregions"},
			&cli.StringFlag{Name: "topic", Usage: "only what works on this topic (id)"},
			&cli.StringFlag{Name: "around", Usage: "only the neighbourhood of this node (id)"},
			&cli.IntFlag{Name: "depth", Value: 1, Usage: "steps around --around"},
			&cli.StringSliceFlag{Name: "kind", Usage: "only nodes of this kind (repeatable), e.g. Committee"},
			&cli.StringFlag{Name: "as-of", Usage: "only facts valid on this date (YYYY-MM-DD)"},
		),
		Action: runExport,
	}
}

func runExport(ctx context.Context, cmd *cli.Command) error {
	f, err := exchange.ParseFormat(cmd.String("format"))
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	sel := exchange.Selection{Region: cmd.String("region"), Topic: cmd.String("topic"), Around: cmd.String("around")}
	if sel.Around != "" {
		sel.Depth = int(cmd.Int("depth"))
	}
	for _, s := range cmd.StringSlice("kind") {
		k, ok := landscape.ParseNodeKind(s)
		if !ok {
			return fmt.Errorf("--kind: unknown node kind %q", s)
		}
		sel.Kinds = append(sel.Kinds, k)
	}
	if s := cmd.String("as-of"); s != "" {
		d, err := landscape.ParseDate(s)
		if err != nil {
			return fmt.Errorf("--as-of: %w", err)
		}
		sel.AsOf = &d
	}
	store, err := openStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer store.Close()
	g, err := exchange.Select(ctx, store, sel)
	if err != nil {
		return err
	}
	out := io.Writer(os.Stdout)
	if p := cmd.String("out"); p != "" {
		file, err := os.Create(p)
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		defer file.Close()
		out = file
	}
	if err := f.Write(out, g); err != nil {
		return err
	}
	if g.Truncated {
		fmt.Fprintln(os.Stderr, "warning: the export was cut short at the node limit")
	}
	if c, ok := out.(io.Closer); ok && out != os.Stdout {
		return c.Close()
	}
	return nil
}

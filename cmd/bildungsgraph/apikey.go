package main

import (
	"context"
	"fmt"
	"os"

	"github.com/urfave/cli/v3"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// apikeyCommand makes API keys: the key goes to standard output once, the
// line for the keys file (its hash, role and name) to standard error or,
// with --append, into the keys file.
func apikeyCommand() *cli.Command {
	return &cli.Command{
		Name:  "apikey",
		Usage: "make an API key for a reader or an editor (the server keeps only its hash)",
		Description: "Prints the new key on standard output (give it to its holder; it is not shown again) and the line\n" +
			"for the keys file (serve --api-keys-file) on standard error, or appends that line with --append.\n" +
			"The name is what the audit log records as author of the key's writes, e.g. \"Bildungsbüro Nord\".",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "name", Required: true, Usage: "who holds the key, e.g. \"Bildungskoordination Landkreis Osnabrück\""},
			&cli.StringFlag{Name: "role", Value: "reader", Usage: "reader (reads contact data too) or editor (also writes)"},
			&cli.StringFlag{Name: "append", Usage: "append the line to this keys file (created with mode 0600 if missing)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			role, err := landscape.ParseRole(cmd.String("role"))
			if err != nil {
				return fmt.Errorf("--role: %q: want reader or editor", cmd.String("role"))
			}
			key, line, err := server.NewKey(cmd.String("name"), role)
			if err != nil {
				return fmt.Errorf("--name: %w", err)
			}
			if path := cmd.String("append"); path != "" {
				if _, err := server.LoadKeys(path); err != nil && !os.IsNotExist(unwrapAll(err)) {
					return fmt.Errorf("--append: the keys file is not valid, nothing appended: %w", err)
				}
				f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
				if err != nil {
					return fmt.Errorf("--append: %w", err)
				}
				if _, err := fmt.Fprintln(f, line); err != nil {
					f.Close()
					return fmt.Errorf("--append: %w", err)
				}
				if err := f.Close(); err != nil {
					return fmt.Errorf("--append: %w", err)
				}
				fmt.Fprintf(os.Stderr, "added to %s: %s\n", path, line)
			} else {
				fmt.Fprintf(os.Stderr, "line for the keys file:\n%s\n", line)
			}
			fmt.Println(key)
			return nil
		},
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

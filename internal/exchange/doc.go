// Package exchange reads and writes the landscape in exchange formats: the
// JSON document "bildungsgraph/v1", CSV tables in the style of Kumu and
// Gephi (the spreadsheets coordinators keep their actor lists in), GraphML
// (yEd, Cytoscape, networkx), GEXF 1.3 (Gephi) and Cytoscape.js JSON. It
// depends only on the domain package landscape, the standard library and
// golang.org/x/text.
//
// # Export
//
// Select picks a subgraph through the landscape.Store interface; the Write*
// functions write it. Every writer sorts nodes and edges by id and writes
// timestamps in UTC, so the same graph always gives the same bytes: an export
// imported into an empty store exports byte-identically.
//
// # Import
//
// ReadJSON, ReadNodesCSV and ReadEdgesCSV turn a file into an Input: a
// landscape.Document and a map from the document's field paths
// ("nodes[3].validTo") to the file, line and column the value came from.
// Import checks every Input against the store and writes all of them in one
// Store.Apply, or nothing. Every problem, a cell that cannot be read as well
// as a rule of the domain that the data breaks, is reported as a
// landscape.Error whose Field is "file:line:column" ("file:line" when the
// problem concerns a whole row).
//
// Readers return an error only when a file cannot be read as a document or
// table at all; every problem of a single value is in Input.Problems, so
// that Import can report it together with the problems of all other files.
//
// # Choices for CSV tables
//
//   - Encoding: UTF-8 with or without byte order mark, and UTF-16 with a byte
//     order mark ("Unicode-Text" from Excel), are read as they are. A file
//     that is not valid UTF-8 is decoded as Windows-1252, the encoding of
//     Excel's "CSV (Trennzeichen-getrennt)" on German Windows, and a warning
//     says so (naming the first byte that is not UTF-8); saving as
//     "CSV UTF-8" avoids it. JSON must be UTF-8.
//   - Separator: the most frequent of ';', ',' and tab in the header line
//     (outside quotes); ',' on a tie.
//   - Columns are found by header name, ignoring case, spaces, '_', '-', '.'
//     and writing umlauts as ae/oe/ue/ss; German names and the names of
//     Kumu and Gephi are accepted (see the column tables in csvread.go).
//     A column whose name is not known is ignored with a warning that names
//     it, so exports of other tools with extra columns import; a missing
//     required column and two columns for the same field are errors. In an
//     edge table "Source" is the start of the edge (Gephi) unless another
//     column names the start ("from", "von"); the provenance is "Quelle".
//   - Values: multi-values (aliases) are separated by '|' ("\|" is a literal
//     bar, "\\" a backslash); dates are YYYY-MM-DD or DD.MM.YYYY; booleans
//     true/false, ja/nein, yes/no, wahr/falsch, 1/0, x; kinds, categories,
//     scopes and roles in the GraphQL spelling (LIFE_PHASE), the Go spelling
//     (LifePhase) or German (Lebensphase, Vorsitz, intern).
//   - Limits: files up to 64 MiB (MaxFileSize), at most 100 aliases a node
//     (MaxAliases); reading stops after 50 CSV syntax errors.
//   - Spreadsheet formulas: a text cell that would start with = + - @ is
//     written with a leading apostrophe (OWASP "CSV injection"), and reading
//     strips that apostrophe again, so export and import are inverse.
package exchange

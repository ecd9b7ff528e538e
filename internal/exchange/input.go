package exchange

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Pos is a place in an input file: 1-based line and column (in characters,
// not bytes; 0 when the place is a whole row or the whole file), and the
// name the file gives the field there (a CSV header, a JSON key).
type Pos struct {
	File  string
	Line  int
	Col   int
	Label string
}

// String returns "file:line:column", "file:line" or "file".
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return p.File + ":" + strconv.Itoa(p.Line)
	}
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

func comparePos(a, b Pos) int {
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	return cmp.Compare(a.Col, b.Col)
}

// Input is a file read for import: the document it states and where each
// value of the document came from.
type Input struct {
	// Name is the file name used in positions.
	Name string
	// Doc holds the nodes and edges of the file; values that could not be
	// read are left empty (their problem is in Problems).
	Doc *landscape.Document
	// Positions maps field paths of Doc ("nodes[3]", "nodes[3].validTo",
	// "edges[0].to") to where their values are in the file.
	Positions map[string]Pos
	// Problems are the values that could not be read, each an EInvalid
	// error whose Field is "file:line:column", in file order.
	Problems []*landscape.Error
	// Warnings are things that were read but may not be what the file
	// meant (an ignored column, an encoding guessed), shaped like Problems.
	Warnings []*landscape.Error

	probs []located // Problems with their positions, for sorting
	bad   map[string]bool
}

// located is a problem and its position.
type located struct {
	pos Pos
	err *landscape.Error
}

// NewInput returns an input of a document that was not read from a file
// (sample data, a document built in code): its problems are placed by
// field path, "name: nodes[3].validTo: message".
func NewInput(name string, doc *landscape.Document) *Input {
	in := newInput(name)
	in.Doc = doc
	return in
}

func newInput(name string) *Input {
	return &Input{
		Name:      name,
		Doc:       &landscape.Document{Format: landscape.DocumentFormat},
		Positions: map[string]Pos{},
		bad:       map[string]bool{},
	}
}

// Err returns nil when the file was read without problems, and otherwise
// an EInvalid error carrying every problem.
func (in *Input) Err() error { return combine(in.Problems) }

// Locate returns the position of a field path of Doc: the position of the
// field itself when known ("nodes[3].aliases[1]" is the aliases cell), else
// that of its node or edge (labelled with the rest of the path, "order"),
// else the file.
func (in *Input) Locate(field string) Pos {
	f := field
	for f != "" {
		if p, ok := in.Positions[f]; ok {
			if f != field && isRecordPath(f) {
				p.Label = strings.TrimPrefix(field[len(f):], ".")
			}
			return p
		}
		switch i := strings.LastIndexAny(f, ".["); {
		case i <= 0:
			f = ""
		case f[i] == '[' && isRecordPath(f):
			// A record has no place but its row; the table is no place.
			f = ""
		default:
			f = f[:i]
		}
	}
	return Pos{File: in.Name, Label: field}
}

// isRecordPath reports whether path names a node or edge ("nodes[3]").
func isRecordPath(path string) bool {
	return !strings.Contains(path, ".") && strings.HasSuffix(path, "]") &&
		(strings.HasPrefix(path, "nodes[") || strings.HasPrefix(path, "edges["))
}

// isBad reports whether field or a path above it could not be read.
func (in *Input) isBad(field string) bool {
	for f := field; f != ""; {
		if in.bad[f] {
			return true
		}
		i := strings.LastIndexAny(f, ".[")
		if i <= 0 {
			break
		}
		f = f[:i]
	}
	return false
}

// problem records a problem at pos concerning field (a path of Doc, or "").
func (in *Input) problem(field string, pos Pos, format string, args ...any) {
	if field != "" {
		in.bad[field] = true
	}
	in.probs = append(in.probs, located{pos, problemAt(pos, fmt.Sprintf(format, args...))})
}

func (in *Input) warn(pos Pos, format string, args ...any) {
	in.Warnings = append(in.Warnings, problemAt(pos, fmt.Sprintf(format, args...)))
}

// finish sorts the problems into file order.
func (in *Input) finish() *Input {
	slices.SortStableFunc(in.probs, func(a, b located) int { return comparePos(a.pos, b.pos) })
	in.Problems = in.Problems[:0]
	for _, p := range in.probs {
		in.Problems = append(in.Problems, p.err)
	}
	if len(in.Problems) == 0 {
		in.Problems = nil
	}
	return in
}

// problemAt returns an EInvalid problem at pos; the label of pos, if any,
// leads the message.
func problemAt(pos Pos, msg string) *landscape.Error {
	if pos.Label != "" {
		msg = pos.Label + ": " + msg
	}
	return &landscape.Error{Code: landscape.EInvalid, Field: pos.String(), Message: msg}
}

// combine returns nil for no problems, else an EInvalid error that is the
// first problem carrying all of them (as the domain reports validation).
func combine(problems []*landscape.Error) error {
	if len(problems) == 0 {
		return nil
	}
	first := *problems[0]
	first.Code = landscape.EInvalid
	if len(problems) > 1 {
		first.Problems = problems
	}
	return &first
}

// lineIndex turns byte offsets of a text into lines and columns.
type lineIndex struct {
	text   []byte
	starts []int // byte offset of the start of each line
}

func newLineIndex(text []byte) *lineIndex {
	x := &lineIndex{text: text, starts: []int{0}}
	for i, c := range text {
		if c == '\n' {
			x.starts = append(x.starts, i+1)
		}
	}
	return x
}

// pos returns the 1-based line and character column of byte offset off.
func (x *lineIndex) pos(off int) (line, col int) {
	off = min(max(off, 0), len(x.text))
	i, found := slices.BinarySearch(x.starts, off)
	if !found {
		i--
	}
	return i + 1, utf8.RuneCount(x.text[x.starts[i]:off]) + 1
}

// col returns the character column of the 1-based byte column bcol in the
// 1-based line.
func (x *lineIndex) col(line, bcol int) int {
	if line < 1 || line > len(x.starts) {
		return bcol
	}
	start := x.starts[line-1]
	end := min(start+max(bcol-1, 0), len(x.text))
	return utf8.RuneCount(x.text[start:end]) + 1
}

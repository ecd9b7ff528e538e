package generate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// MaxFileSize is the size limit of one file of the JSON import
// (exchange.MaxFileSize, 64 MiB). WriteFiles splits a larger document.
const MaxFileSize = 64 << 20

// WriteJSON writes doc as one bildungsgraph/v1 JSON document, one node or
// edge a line, streaming. Edges leave out their id when it is the default
// (from>KIND>to) and nodes and edges their timestamps when they are unset,
// as the import reads them. The same document gives the same bytes.
func WriteJSON(w io.Writer, doc *landscape.Document) error {
	p := &parts{max: -1, next: func(int) (io.Writer, func() error, error) { return w, func() error { return nil }, nil }}
	return p.write(doc)
}

// WriteFiles writes doc to path, split into several documents when it is
// larger than maxBytes (MaxFileSize when 0): path, then path-2.json,
// path-3.json … (for a path ending in .json). Importing all of them
// together imports doc. It returns the files written.
func WriteFiles(path string, doc *landscape.Document, maxBytes int) ([]string, error) {
	if maxBytes <= 0 {
		maxBytes = MaxFileSize
	}
	var files []string
	p := &parts{max: maxBytes, next: func(n int) (io.Writer, func() error, error) {
		name := path
		if n > 1 {
			name = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(path, filepath.Ext(path)), n, filepath.Ext(path))
		}
		f, err := os.Create(name)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, name)
		return f, f.Close, nil
	}}
	err := p.write(doc)
	return files, err
}

// parts writes a document as one or more documents of at most max bytes
// (max < 0: one).
type parts struct {
	max  int
	next func(n int) (io.Writer, func() error, error)

	n       int
	bw      *bufio.Writer
	close   func() error
	size    int
	inEdges bool
	first   bool // no item yet in the current array
}

const (
	headNodes = "],\n\"edges\":[\n"
	tail      = "\n]}\n"
)

func (p *parts) open() error {
	p.n++
	w, closer, err := p.next(p.n)
	if err != nil {
		return err
	}
	p.bw, p.close, p.size, p.first = bufio.NewWriterSize(w, 1<<20), closer, 0, true
	head := "{\"format\":\"" + landscape.DocumentFormat + "\",\n\"nodes\":[\n"
	if p.inEdges {
		head = "{\"format\":\"" + landscape.DocumentFormat + "\",\n\"nodes\":[\n" + headNodes
	}
	p.put(head)
	return nil
}

func (p *parts) put(s string) {
	p.bw.WriteString(s)
	p.size += len(s)
}

func (p *parts) finish() error {
	if p.inEdges {
		p.put(tail)
	} else {
		p.put("\n" + headNodes + tail[1:])
	}
	if err := p.bw.Flush(); err != nil {
		return err
	}
	return p.close()
}

// item writes one encoded node or edge, starting a new file when it would
// not fit.
func (p *parts) item(b []byte) error {
	if p.max >= 0 && !p.first && p.size+len(b)+2+len(headNodes)+len(tail) > p.max {
		if err := p.finish(); err != nil {
			return err
		}
		if err := p.open(); err != nil {
			return err
		}
	}
	if !p.first {
		p.put(",\n")
	}
	p.first = false
	p.bw.Write(b)
	p.size += len(b)
	return nil
}

func (p *parts) write(doc *landscape.Document) error {
	if err := p.open(); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // edge ids contain '>'
	zeroTimes := []byte(`,"createdAt":"0001-01-01T00:00:00Z","updatedAt":"0001-01-01T00:00:00Z"}`)
	encode := func(v any) ([]byte, error) {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if bytes.HasSuffix(b, zeroTimes) {
			b = append(b[:len(b)-len(zeroTimes)], '}')
		}
		return b, nil
	}
	for _, n := range doc.Nodes {
		b, err := encode(n)
		if err != nil {
			return err
		}
		if err := p.item(b); err != nil {
			return err
		}
	}
	p.put("\n" + headNodes)
	p.inEdges, p.first = true, true
	for _, e := range doc.Edges {
		b, err := encode(e)
		if err != nil {
			return err
		}
		// The default id goes without saying: {"id":"a>KIND>b", is dropped.
		if e.ID == landscape.DefaultEdgeID(e.From, e.Kind, e.To) {
			prefix := `{"id":"` + e.ID + `",`
			if bytes.HasPrefix(b, []byte(prefix)) {
				b = append(b[:1], b[len(prefix):]...)
			}
		}
		if err := p.item(b); err != nil {
			return err
		}
	}
	return p.finish()
}

// CountsOf counts the nodes of doc as Targets does.
func CountsOf(doc *landscape.Document) Counts {
	var c Counts
	for _, n := range doc.Nodes {
		switch n.Kind {
		case landscape.Region:
			switch n.Category {
			case "LANDKREIS", "KREISFREIE_STADT":
				c.Districts++
			case "STADT", "GEMEINDE", "SOZIALRAUM":
				c.Municipalities++
			}
		case landscape.Institution:
			switch n.Category {
			case "GRUNDSCHULE", "WEITERFUEHRENDE_SCHULE", "BBS":
				c.Schools++
			case "KITA":
				c.Kitas++
			}
		case landscape.Offer:
			c.Offers++
		case landscape.Committee:
			c.Committees++
		case landscape.Actor:
			c.Actors++
		case landscape.Foundation:
			c.Foundations++
		}
	}
	return c
}

package exchange

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// MaxFileSize is the largest input file read, 64 MiB.
const MaxFileSize = 64 << 20

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// readAll reads r up to MaxFileSize.
func readAll(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, landscape.Wrap(landscape.EInvalid, err, "%s: cannot read the file: %v", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, &landscape.Error{Code: landscape.EInvalid, Field: name,
			Message: "the file is larger than 64 MiB; split it into smaller files"}
	}
	return data, nil
}

// decodeText returns data as UTF-8 without byte order mark. UTF-8 (with or
// without BOM) and UTF-16 with BOM are decoded silently; any other input that
// is not valid UTF-8 is decoded as Windows-1252 and the warning says where
// the first byte that is not UTF-8 was.
func decodeText(data []byte, name string) (text []byte, warning *landscape.Error, err error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		data = data[len(bomUTF8):]
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, derr := dec.Bytes(data)
		if derr != nil {
			return nil, nil, &landscape.Error{Code: landscape.EInvalid, Field: name,
				Message: "the file starts like UTF-16 but cannot be decoded as UTF-16: save it as CSV UTF-8"}
		}
		data = out
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, nil, &landscape.Error{Code: landscape.EInvalid, Field: name,
			Message: "the file contains NUL bytes and is not a text file: save it as CSV UTF-8"}
	}
	if utf8.Valid(data) {
		return data, nil, nil
	}
	off := firstInvalid(data)
	line, col := newLineIndex(data[:off]).pos(off)
	out, derr := charmap.Windows1252.NewDecoder().Bytes(data)
	if derr != nil {
		return nil, nil, problemAt(Pos{File: name, Line: line, Col: col},
			"the file is not UTF-8: save it as CSV UTF-8 (in Excel: \"CSV UTF-8 (durch Trennzeichen getrennt)\")")
	}
	return out, problemAt(Pos{File: name, Line: line, Col: col},
		"the file is not UTF-8; it was read as Windows-1252 (Excel's \"CSV (Trennzeichen-getrennt)\"): check the umlauts, or save it as CSV UTF-8"), nil
}

// firstInvalid returns the offset of the first byte of data that is not
// part of valid UTF-8.
func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// notUTF8 returns the EInvalid error for a file that must be UTF-8 and is
// not.
func notUTF8(data []byte, name string) error {
	off := firstInvalid(data)
	line, col := newLineIndex(data[:off]).pos(off)
	return problemAt(Pos{File: name, Line: line, Col: col}, "file is not UTF-8: save it as UTF-8")
}

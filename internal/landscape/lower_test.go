package landscape

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLowerContains checks that the filters' case-insensitive tests give the
// answers of strings.ToLower followed by strings.Contains and HasPrefix, on
// random strings in ASCII (letters and the bytes next to them) and not: of
// runes whose lower case is longer or shorter than they are (İ, K as the
// Kelvin sign, ẞ), of umlauts, of U+FFFD and of bytes that are not UTF-8.
func TestLowerContains(t *testing.T) {
	alphabet := []string{"a", "A", "b", "B", "z", "Z", "@", "[", "`", "{", "s", "S", "k", "K", "\u212a", "i", "I", "İ", "ı", "ä", "Ä", "ß", "ẞ", "σ", "Σ", "ς",
		"\ufffd", "\xff", "\xe2\x82", "-", " ", "Sprach", "sprach", "SPRACH"}
	r := rand.New(rand.NewPCG(8, 13))
	word := func(max int) string {
		var b strings.Builder
		for range r.IntN(max + 1) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	matched := 0
	ascii := alphabet[:10]
	for n := range 200000 {
		s, sub := word(8), word(3)
		if n%2 == 0 { // in ASCII, the names a search mostly sees
			s = strings.Repeat(ascii[r.IntN(len(ascii))], r.IntN(3)) + strings.Map(func(c rune) rune {
				if c >= 0x80 {
					return 'x'
				}
				return c
			}, s)
		}
		if r.IntN(4) == 0 && len(s) > 0 { // a part of s itself, in another case
			i := r.IntN(len(s))
			sub = strings.ToUpper(s[i:min(len(s), i+1+r.IntN(6))])
		}
		lsub := strings.ToLower(sub)
		want := strings.Contains(strings.ToLower(s), lsub)
		if got := lowerContains(s, lsub); got != want {
			t.Fatalf("lowerContains(%q, %q) = %v, want %v", s, lsub, got, want)
		}
		if want {
			matched++
		}
		if got, want := lowerHasPrefix(s, lsub), strings.HasPrefix(strings.ToLower(s), lsub); got != want {
			t.Fatalf("lowerHasPrefix(%q, %q) = %v, want %v", s, lsub, got, want)
		}
	}
	if matched < 20000 {
		t.Errorf("only %d of the cases matched: the test says little", matched)
	}
}

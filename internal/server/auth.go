package server

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// ReadAccess says who may read.
type ReadAccess string

const (
	// ReadPublic lets anyone read, contact data excepted.
	ReadPublic ReadAccess = "public"
	// ReadToken lets only callers with an API key read.
	ReadToken ReadAccess = "token"
)

// ParseReadAccess parses the configured read access ("public", "token").
func ParseReadAccess(s string) (ReadAccess, error) {
	switch a := ReadAccess(strings.ToLower(strings.TrimSpace(s))); a {
	case ReadPublic, ReadToken:
		return a, nil
	case "":
		return ReadPublic, nil
	}
	return "", fmt.Errorf("read access %q: want public or token", s)
}

// Keys are the API keys the server accepts. Only SHA-256 hashes of the keys
// are kept (in memory and in the keys file): a key is 32 random bytes, so a
// fast hash is enough and a leaked file gives no key away.
type Keys struct {
	byHash map[string]landscape.Principal
}

// KeyPrefix starts every API key, so that scanners of leaked secrets and
// people recognise one.
const KeyPrefix = "bg_"

// NewKey makes a random API key for a credential with the given name and
// role, and returns it with its line for the keys file. The key is shown
// once; the file keeps only its hash.
func NewKey(name string, role landscape.Role) (key, line string, err error) {
	if err := checkKeyName(name); err != nil {
		return "", "", err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	key = KeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return key, fmt.Sprintf("%s %s %s", hashKey(key), strings.ToLower(string(role)), name), nil
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func checkKeyName(name string) error {
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, "\r\n") || len(name) > 200 {
		return fmt.Errorf("key name %q: want one line of 1 to 200 characters", name)
	}
	return nil
}

// LoadKeys reads a keys file: one key per line, "sha256:<64 hex digits>
// <role> <name>", where role is reader or editor and the name (the rest of
// the line, e.g. "Bildungsbüro Nord") is what the audit log records. Empty
// lines and lines starting with # are skipped. Errors name file and line.
func LoadKeys(path string) (*Keys, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("API keys file: %w", err)
	}
	defer f.Close()
	return ParseKeys(f, path)
}

// ParseKeys reads keys in the format of LoadKeys; name names the source in
// errors.
func ParseKeys(r io.Reader, name string) (*Keys, error) {
	k := &Keys{byHash: map[string]landscape.Principal{}}
	names := map[string]int{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.SplitN(text, " ", 3)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: want \"sha256:<hash> <role> <name>\", got %d fields", name, line, len(fields))
		}
		hash, roleText, keyName := fields[0], fields[1], strings.TrimSpace(fields[2])
		digits, ok := strings.CutPrefix(hash, "sha256:")
		if b, err := hex.DecodeString(digits); !ok || err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("%s:%d: %q is not a key hash (sha256: and 64 hex digits; `bildungsgraph apikey` makes keys)", name, line, hash)
		}
		role, err := landscape.ParseRole(roleText)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: unknown role %q: want reader or editor", name, line, roleText)
		}
		if err := checkKeyName(keyName); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		hash = "sha256:" + strings.ToLower(digits)
		if _, dup := k.byHash[hash]; dup {
			return nil, fmt.Errorf("%s:%d: the key hash is listed twice", name, line)
		}
		if first, dup := names[keyName]; dup {
			return nil, fmt.Errorf("%s:%d: the name %q is used by line %d too; names tell authors apart in the audit log", name, line, keyName, first)
		}
		names[keyName] = line
		k.byHash[hash] = landscape.Principal{Name: keyName, Role: role}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

// Len returns the number of keys.
func (k *Keys) Len() int {
	if k == nil {
		return 0
	}
	return len(k.byHash)
}

// lookup returns the principal of key.
func (k *Keys) lookup(key string) (landscape.Principal, bool) {
	if k == nil || !strings.HasPrefix(key, KeyPrefix) {
		return landscape.Principal{}, false
	}
	p, ok := k.byHash[hashKey(key)]
	return p, ok
}

// authenticate puts the caller's principal into the request context. A
// request with a key the server does not know is refused (401), never
// treated as anonymous; without a key it is anonymous, which is refused for
// the data endpoints when reading needs a key.
func authenticate(keys *Keys, access ReadAccess, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := landscape.Anonymous
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, key, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				refuse(w, `Bearer realm="bildungsgraph"`, "the Authorization header must be \"Bearer <API key>\"")
				return
			}
			var ok bool
			if p, ok = keys.lookup(strings.TrimSpace(key)); !ok {
				refuse(w, `Bearer realm="bildungsgraph", error="invalid_token"`, "the API key is not valid")
				return
			}
		}
		if access == ReadToken && !p.Authenticated() && needsKey(r.URL.Path) {
			refuse(w, `Bearer realm="bildungsgraph"`, "reading needs an API key: send \"Authorization: Bearer <API key>\"")
			return
		}
		next.ServeHTTP(w, r.WithContext(landscape.WithPrincipal(r.Context(), p)))
	})
}

// needsKey reports whether path serves data (GraphQL, exports); pages,
// health checks and metrics carry none.
func needsKey(path string) bool {
	return path == "/graphql" || strings.HasPrefix(path, "/graphql/") || strings.HasPrefix(path, "/export/")
}

// refuse answers 401 with a GraphQL-shaped error body, which GraphQL
// clients and the export's callers both show.
func refuse(w http.ResponseWriter, challenge, msg string) {
	w.Header().Set("WWW-Authenticate", challenge)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"message": msg, "extensions": map[string]any{"code": landscape.EUnauth},
	}}})
}

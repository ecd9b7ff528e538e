package embedded

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Audit returns a page of the audit log, newest first, read from the file
// (the log is not held in memory).
func (s *Store) Audit(ctx context.Context, q landscape.AuditQuery) (*landscape.AuditPage, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	if _, err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	page := &landscape.AuditPage{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil // a read-only file from before the audit log
		}
		c := b.Cursor()
		var k, v []byte
		if q.After == "" {
			k, v = c.Last()
		} else {
			// Seek lands on the first key >= After; the page starts below it.
			if k, _ = c.Seek([]byte(q.After)); k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
		for n := 0; k != nil; k, v = c.Prev() {
			if n++; n%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return ctxError(err)
				}
			}
			e := new(landscape.AuditEntry)
			if err := json.Unmarshal(v, e); err != nil {
				return fmt.Errorf("audit entry %s: %w", k, err)
			}
			if !q.Match(e) {
				continue
			}
			if len(page.Entries) == q.First {
				page.HasNext = true
				break
			}
			page.Entries = append(page.Entries, e)
		}
		return nil
	})
	if err != nil {
		return nil, s.fileErr(err, "cannot read the audit log of")
	}
	return page, nil
}

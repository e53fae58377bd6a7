package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RecipientKey normalises an address for the per-sender caps: ASCII lower
// case (as SQLite's lower(); intake lower-cases addresses fully before
// they get here), and without the +tag of the local part, so
// Victim+1@Example.com and victim@example.com are one sender. A phone
// number is returned as is. recipientKeySQL computes the same key in SQL.
func RecipientKey(addr string) string {
	a := asciiLower(strings.TrimSpace(addr))
	at := strings.IndexByte(a, '@')
	if at < 0 {
		return a
	}
	if plus := strings.IndexByte(a[:at], '+'); plus >= 0 {
		return a[:plus] + a[at:]
	}
	return a
}

// recipientKeySQL is RecipientKey as an SQL expression over
// outbox.recipient (stored trimmed), for the generated column
// recipient_key; TestRecipientKeySQL holds the two together.
const recipientKeySQL = `CASE WHEN instr(lower(recipient), '+') BETWEEN 1 AND instr(recipient, '@') - 1
	THEN substr(lower(recipient), 1, instr(lower(recipient), '+') - 1) || substr(lower(recipient), instr(recipient, '@'))
	ELSE lower(recipient) END`

// CountToSender counts the notifications of the given kinds created since t
// to recipient, however it is spelt (see RecipientKey).
func (s *Store) CountToSender(ctx context.Context, recipient string, since time.Time, kinds ...string) (int, error) {
	if len(kinds) == 0 {
		return 0, nil
	}
	args := []any{RecipientKey(recipient), ts(since)}
	for _, k := range kinds {
		args = append(args, k)
	}
	q := "SELECT COUNT(*) FROM outbox WHERE recipient_key = ? AND created_at >= ? AND kind IN (?" + strings.Repeat(", ?", len(kinds)-1) + ")"
	var n int
	if err := s.qQueryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count notifications to sender: %w", err)
	}
	return n, nil
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/exempelby/synpunkt/store"
)

// seedUnits and seedCategories are what synthetic cases are spread over
// (units of classify/sample).
var (
	seedUnits      = []string{"Kontaktcenter", "Gatu- och parkenheten", "Avfall och återvinning", "VA-enheten", "Bygglovsenheten", "Miljö- och hälsoskydd", "Förskola", "Grundskola"}
	seedCategories = []string{"Beröm", "Klagomål", "Förslag", "Fråga", "Felanmälan"}
)

// SeedCases adds n synthetic open cases to st with SQL, in one
// transaction (store.BulkLoad: the search index is written once at the
// end, not per row): what a store looks like after n synpunkter were registered
// over the 10 days before now and forwarded. Each case has its
// registration (an intake row with a 600-byte original, the synpunkt
// document, contact details, two events, a sent forward and receipt with
// 800-byte payloads); every third also has a Svar. Those received more
// than a day before now have their first response; every case's final
// answer is due after now, so none is due for a reminder at now: the
// steady state of a mailbox with n open cases. Case numbers are
// SYN-2020-NNNNNN, apart from the real sequence.
func SeedCases(ctx context.Context, st *store.Store, n int, now time.Time) error {
	at := now.UTC().Format("2006-01-02T15:04:05.000Z")
	err := st.BulkLoad(ctx, func(tx *sql.Tx) error {
		var base int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM cases").Scan(&base); err != nil {
			return err
		}
		for _, q := range seedSQL() {
			if _, err := tx.ExecContext(ctx, q, n, base, at); err != nil {
				return fmt.Errorf("%s: %w", strings.Fields(q)[0], err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// seedSQL returns the statements of SeedCases; each takes (n, base ID, now)
// and reads the generated series s(i, id, rec) of received times.
func seedSQL() []string {
	series := `WITH RECURSIVE s0(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s0 WHERE i < ?1),
		s(i, id, rec) AS (SELECT i, ?2 + i, strftime('%Y-%m-%dT%H:%M:%fZ', ?3, printf('-%d seconds', (i * 7919) % 864000)) FROM s0) `
	units := sqlList(seedUnits)
	cats := sqlList(seedCategories)
	return []string{
		series + `INSERT INTO cases(id, number, status, received_at, category, unit, committee, initiated_by, description, handler, created_at,
			first_response_due, final_due, first_response_at, channel)
		SELECT id, printf('SYN-2020-%06d', id), 'öppet', rec, json_extract('` + cats + `', printf('$[%d]', i % 5)),
			json_extract('` + units + `', printf('$[%d]', i % 8)), 'Tekniska nämnden', 'Privatperson',
			'Snöröjningen på Storgatan fungerar inte ' || i, '', rec,
			strftime('%Y-%m-%dT%H:%M:%fZ', rec, '+2 days'), strftime('%Y-%m-%dT%H:%M:%fZ', rec, '+14 days'),
			CASE WHEN rec < strftime('%Y-%m-%dT%H:%M:%fZ', ?3, '-1 day') THEN strftime('%Y-%m-%dT%H:%M:%fZ', rec, '+1 day') ELSE '' END, 'e-post'
		FROM s`,
		series + `INSERT INTO intake(id, idem_key, source, received_at, outcome, case_id, raw_sha256, raw)
		SELECT id, 'seed-' || id, 'seed', rec, 'registered', id, lower(hex(randomblob(32))), randomblob(600) FROM s`,
		series + `INSERT INTO documents(case_id, type, direction, sender_role, received_at, message_id, intake_id, text)
		SELECT id, json_extract('` + cats + `', printf('$[%d]', i % 5)), 'Inkommande', 'Privatperson', rec, '<seed-' || id || '@example.net>', id,
			'Hej! Snöröjningen på Storgatan fungerar inte. Mvh' FROM s`,
		series + `INSERT INTO documents(case_id, type, direction, sender_role, received_at, message_id, text)
		SELECT id, 'Svar', 'Upprättad', json_extract('` + units + `', printf('$[%d]', i % 8)), strftime('%Y-%m-%dT%H:%M:%fZ', rec, '+1 day'),
			'<svar-' || id || '@exempelby.se>', 'Tack, vi åtgärdar det.' FROM s WHERE i % 3 = 0`,
		series + `INSERT INTO contacts(case_id, email) SELECT id, 'medborgare' || id || '@example.net' FROM s`,
		series + `INSERT INTO events(case_id, at, actor, kind, detail)
		SELECT id, rec, 'synpunkt', 'registered', '' FROM s UNION ALL SELECT id, rec, 'synpunkt', 'forwarded', '' FROM s`,
		series + `INSERT INTO outbox(case_id, kind, channel, sender, recipient, message_id, payload, status, attempts, next_attempt_at, created_at, sent_at)
		SELECT id, 'forward', 'email', 'synpunkter@exempelby.se', 'gatuchef@exempelby.se', '<fwd-' || id || '@exempelby.se>', randomblob(800), 'sent', 1, rec, rec, rec FROM s
		UNION ALL
		SELECT id, 'receipt', 'email', 'synpunkter@exempelby.se', 'medborgare' || id || '@example.net', '<rcpt-' || id || '@exempelby.se>', randomblob(800), 'sent', 1, rec, rec, rec FROM s`,
	}
}

// sqlList is ss as a JSON array for json_extract.
func sqlList(ss []string) string {
	return `["` + strings.Join(ss, `","`) + `"]`
}

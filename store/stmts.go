package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Prepared statements for what intake runs per message. The driver
// prepares (parses and plans) every statement passed as text anew; a
// statement prepared once on the database is kept compiled on each
// connection that ran it, and a transaction reuses it (Tx.StmtContext).

type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// prepared returns the statement for query, preparing it on first use.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if st, ok := s.stmts.m[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if s.stmts.m == nil {
		s.stmts.m = map[string]*sql.Stmt{}
	}
	s.stmts.m[query] = st
	return st, nil
}

// closeStmts closes the prepared statements (at Close).
func (s *Store) closeStmts() {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	for _, st := range s.stmts.m {
		st.Close()
	}
	s.stmts.m = nil
}

// txStmt is query prepared, bound to tx (nil: the database).
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, err := s.prepared(ctx, query)
	if err != nil || tx == nil {
		return st, err
	}
	return tx.StmtContext(ctx, st), nil
}

// txExec is tx.ExecContext with a prepared statement.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// txQuery is tx.QueryContext with a prepared statement.
func (s *Store) txQuery(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// errRow is a *sql.Row-like result carrying a preparation error.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// txQueryRow is tx.QueryRowContext with a prepared statement.
func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) scanner {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// qQueryRow is txQueryRow for s.q(ctx): the batch's transaction or the database.
func (s *Store) qQueryRow(ctx context.Context, query string, args ...any) scanner {
	tx, _ := ctx.Value(batchKey{}).(*sql.Tx)
	return s.txQueryRow(ctx, tx, query, args...)
}

// qRow is q.QueryRowContext with a prepared statement when q is a
// transaction or the database of s.
func (s *Store) qRow(ctx context.Context, q querier, query string, args ...any) scanner {
	switch q := q.(type) {
	case *sql.Tx:
		return s.txQueryRow(ctx, q, query, args...)
	case *sql.DB:
		if q == s.db {
			return s.txQueryRow(ctx, nil, query, args...)
		}
	}
	return q.QueryRowContext(ctx, query, args...)
}

// qExec is s.q(ctx).ExecContext with a prepared statement.
func (s *Store) qExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tx, _ := ctx.Value(batchKey{}).(*sql.Tx)
	return s.txExec(ctx, tx, query, args...)
}

package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/web"
	"github.com/exempelby/synpunkt/store"
)

// mountWeb builds the web view and the public diary and hands them to the
// daemon, which serves them on http.listen beside /healthz, /readyz and
// /metrics; without http.listen there is nothing to serve.
func mountWeb(ctx context.Context, d *daemon.Daemon, log *slog.Logger) error {
	if d.Config.HTTP.Listen == "" {
		return nil
	}
	units := make([]string, 0, len(d.Config.Units))
	for _, u := range d.Config.Units {
		units = append(units, u.Name)
	}
	h, err := web.New(web.Options{Store: d.Store, Casework: d.Casework, Intake: d.Pipeline, Units: units, Kick: d.Outbox.Kick,
		Now: clock(ctx), Log: log, InsecureCookies: d.Config.HTTP.InsecureCookies, DiaryName: d.Config.Organisation.Name})
	if err != nil {
		return fmt.Errorf("web view: %w", err)
	}
	d.Web = h
	log.Info("web view mounted", "addr", d.Config.HTTP.Listen)
	return nil
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// cmdUser adds a web user, sets a password or disables a user. The
// password is read from the first line of stdin, never from a flag.
func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || !slices.Contains([]string{"add", "passwd", "disable"}, args[0]) {
		return usageError{"user needs add, passwd or disable"}
	}
	verb := args[0]
	fs, path := flags("user", stderr)
	role := fs.String("role", "", "add: kontaktcenter, enhet, registrator or admin")
	var units stringList
	fs.Var(&units, "unit", "add: a unit an enhet user sees (repeat for several)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"user " + verb + " needs one NAME"}
	}
	name := fs.Arg(0)
	cfg, err := loadConfigReadOnly(*path)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Store.Path, store.Options{CaseNumberFormat: cfg.Organisation.CaseNumberFormat, Now: clock(ctx), AllowGroupRead: cfg.Store.AllowGroupRead})
	if err != nil {
		return err
	}
	defer st.Close()
	if verb == "disable" {
		if err := st.DisableUser(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s disabled\n", name)
		return nil
	}
	if verb == "add" && !slices.Contains(web.Roles, *role) {
		return usageError{fmt.Sprintf("--role %q: must be one of %s", *role, strings.Join(web.Roles, ", "))}
	}
	fmt.Fprintln(stderr, "password (one line on stdin):")
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("read password: %w", err)
	}
	hash, err := web.HashPassword(strings.TrimRight(line, "\r\n"))
	if err != nil {
		return usageError{err.Error()}
	}
	if verb == "passwd" {
		if err := st.SetPassword(ctx, name, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed\n", name)
		return nil
	}
	if _, err := st.AddUser(ctx, store.User{Name: name, PasswordHash: hash, Role: *role, Units: units}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s added as %s\n", name, *role)
	return nil
}

package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/internal/bench"
	"github.com/exempelby/synpunkt/store"
)

// pagedStore writes the sample config over a store of 120 open cases:
// SYN-2020-000001 to -000030 registered a month before testNow (past
// their final-answer deadline at testNow), -000031 to -000120 in the ten
// days before it (none overdue).
func pagedStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := bench.SeedCases(ctx, st, 30, testNow().AddDate(0, -1, 0)); err != nil {
		t.Fatal(err)
	}
	if err := bench.SeedCases(ctx, st, 90, testNow()); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// caseRows returns the case numbers of a `cases` table, in order.
func caseRows(out string) []string {
	var nums []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "SYN-") {
			nums = append(nums, strings.Fields(l)[0])
		}
	}
	return nums
}

// TestCasesPages: `cases` shows the newest 50 and a line saying which of
// how many; --page turns pages, --all lists every case oldest first, and
// --json streams every case unless a page is asked for.
func TestCasesPages(t *testing.T) {
	cfg := pagedStore(t)
	for _, c := range []struct {
		args        []string
		n           int
		first, last string
		line        string // "": no page line
	}{
		{[]string{"--open"}, 50, "SYN-2020-000120", "SYN-2020-000071", "Visar 1–50 av 120 öppna ärenden, nyast först (--page 2 visar nästa sida, --all alla)"},
		{[]string{}, 50, "SYN-2020-000120", "SYN-2020-000071", "Visar 1–50 av 120 ärenden, nyast först (--page 2 visar nästa sida, --all alla)"},
		{[]string{"--open", "--page", "3"}, 20, "SYN-2020-000020", "SYN-2020-000001", "Visar 101–120 av 120 öppna ärenden, nyast först"},
		{[]string{"--open", "--page", "4"}, 0, "", "", "Sida 4 är tom: 120 öppna ärenden"},
		{[]string{"--limit", "7", "--page", "2"}, 7, "SYN-2020-000113", "SYN-2020-000107", "Visar 8–14 av 120 ärenden, nyast först (--page 3 visar nästa sida, --all alla)"},
		{[]string{"--overdue"}, 30, "SYN-2020-000030", "SYN-2020-000001", "Visar 1–30 av 30 försenade ärenden, nyast först"},
		{[]string{"--overdue", "--limit", "10", "--page", "2"}, 10, "SYN-2020-000020", "SYN-2020-000011", "Visar 11–20 av 30 försenade ärenden, nyast först (--page 3 visar nästa sida, --all alla)"},
		{[]string{"--all", "--open"}, 120, "SYN-2020-000001", "SYN-2020-000120", ""},
		{[]string{"--all", "--overdue"}, 30, "SYN-2020-000001", "SYN-2020-000030", ""},
	} {
		args := append([]string{"cases", "--config", cfg}, c.args...)
		out, code := run(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d", c.args, code)
		}
		nums := caseRows(out)
		if len(nums) != c.n || c.n > 0 && (nums[0] != c.first || nums[len(nums)-1] != c.last) {
			t.Errorf("%v: %d cases %v…; want %d from %s to %s", c.args, len(nums), head(nums), c.n, c.first, c.last)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		last := lines[len(lines)-1]
		if c.line != "" && last != c.line || c.line == "" && strings.HasPrefix(last, "Visar") {
			t.Errorf("%v: last line %q; want %q", c.args, last, c.line)
		}
	}
	for _, bad := range [][]string{{"--all", "--page", "2"}, {"--limit", "0"}, {"--page", "0"}} {
		if _, code := run(t, append([]string{"cases", "--config", cfg}, bad...)...); code != 2 {
			t.Errorf("cases %v: exit %d; want 2 (usage)", bad, code)
		}
	}
}

func head(ss []string) []string { return ss[:min(len(ss), 3)] }

// TestCasesJSONPages: --json lists every case oldest first, as before
// paging; with --limit or --page it is that page, newest first.
func TestCasesJSONPages(t *testing.T) {
	cfg := pagedStore(t)
	numbers := func(args ...string) []string {
		out, code := run(t, append([]string{"cases", "--config", cfg, "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("cases --json %v: exit %d", args, code)
		}
		var cases []caseJSON
		if err := json.Unmarshal([]byte(out), &cases); err != nil {
			t.Fatalf("cases --json %v: %v", args, err)
		}
		var nums []string
		for _, c := range cases {
			nums = append(nums, c.Number)
		}
		return nums
	}
	if all := numbers(); len(all) != 120 || all[0] != "SYN-2020-000001" || all[119] != "SYN-2020-000120" {
		t.Errorf("--json: %d cases from %v; want 120, oldest first", len(all), head(all))
	}
	if p := numbers("--limit", "5", "--page", "2"); strings.Join(p, " ") != "SYN-2020-000115 SYN-2020-000114 SYN-2020-000113 SYN-2020-000112 SYN-2020-000111" {
		t.Errorf("--json --limit 5 --page 2: %v", p)
	}
	if p := numbers("--overdue", "--page", "1"); len(p) != 30 || p[0] != "SYN-2020-000030" {
		t.Errorf("--json --overdue --page 1: %d cases from %v; want 30 from SYN-2020-000030", len(p), head(p))
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1 000", 100000: "100 000", 1234567: "1 234 567", -1000: "-1 000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q; want %q", n, got, want)
		}
	}
}

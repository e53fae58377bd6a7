package mimeparse

import (
	"strings"
	"testing"
	"time"
)

func TestParseHostileInputsStayFast(t *testing.T) {
	inputs := map[string]string{
		"junk header lines": "From: a@b\n" + strings.Repeat("junk line\n", 200000) + "Subject: x\n\nbody\n",
		"many continuation": "From: a@b\nSubject: x\n" + strings.Repeat(" more\n", 200000) + "\nbody\n",
		"many li":           "Content-Type: text/html\n\n" + strings.Repeat("<li>x</li>     ", 200000),
		"many br":           "Content-Type: text/html\n\n" + strings.Repeat("<br>                 ", 200000),
		"nested alt":        "Content-Type: multipart/alternative; boundary=b\n\n" + strings.Repeat("--b\nContent-Type: multipart/alternative; boundary=b\n\n", 2000),
		"forwarded chain":   strings.Repeat("Content-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: message/rfc822\n\n", 60) + "x",
	}
	for name, in := range inputs {
		start := time.Now()
		if _, err := Parse([]byte(in)); err != nil {
			t.Errorf("Parse(%s): %v", name, err)
		}
		if d := time.Since(start); d > time.Minute {
			t.Errorf("Parse(%s) took %v, want linear time (quadratic code takes minutes here)", name, d)
		}
	}
}

package config

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
)

// Config errors are printed to terminals and logs, and a secret typed into
// the wrong place must not end up there: the errors below name the line and
// key but never quote a value that could be a password.

// parseError turns a TOML syntax error into one that names the line and
// key but does not quote the text it stumbled on (an unquoted password
// would otherwise be echoed).
func parseError(err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("parse config: %w", err)
	}
	msg := pe.Message
	if strings.ContainsAny(msg, `"'`) {
		msg = `syntax error in the value (not shown: it may be a secret); text values need "quotes"`
	}
	return fmt.Errorf("parse config: line %d (key %s): %s", pe.Position.Line, pe.LastKey, msg)
}

// envName matches conventional environment variable names such as
// SYNPUNKT_SMTP_PASSWORD: upper case, digits and at least one underscore.
// Only a value of that shape is named in an error; anything else may be a
// pasted password.
var envName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)

// missingEnv is the error for an unset variable named by field+"_env".
func missingEnv(field, env string) error {
	if envName.MatchString(env) {
		return &ValidationError{Field: field + "_env", Msg: "environment variable " + env + " is not set"}
	}
	return &ValidationError{Field: field + "_env", Msg: "must name an environment variable (like SYNPUNKT_SMTP_PASSWORD) that is set; " +
		"the value is not shown since it does not look like a variable name — was the secret itself pasted here?"}
}

// unreadableFile is the error for a secret file named by field+"_file"
// that cannot be read. The name is shown only when it looks like a path.
func unreadableFile(field, file string, err error) error {
	reason := "cannot be read"
	switch {
	case errors.Is(err, fs.ErrNotExist):
		reason = "does not exist"
	case errors.Is(err, fs.ErrPermission):
		reason = "is not readable by this user"
	}
	if strings.HasPrefix(file, "/") || strings.HasPrefix(file, "./") || strings.HasPrefix(file, "../") {
		return &ValidationError{Field: field + "_file", Msg: "file " + file + " " + reason}
	}
	return &ValidationError{Field: field + "_file", Msg: "the file it names " + reason + " (the name is not shown since it does not look like a path: " +
		"use an absolute path — was the secret itself pasted here?)"}
}

// Package sample ships the sample municipality, Exempelby kommun: a
// complete config with 15 units under 7 committees, managers and
// escalation chains at example addresses, plus-address aliases, topic
// handlers, a web-form sender and the exclusion destinations. `synpunkt
// demo` runs on it and the classify corpus is labelled against it.
//
// What always holds: Municipality parses through config.Parse (a test
// keeps it so). Its [imap] and [smtp] sections are placeholders
// (127.0.0.1:1, no TLS, no login) that the demo replaces.
//
// How it fails: it cannot; it is embedded data.
package sample

import _ "embed"

// Municipality is the TOML of the sample municipality config.
//
//go:embed municipality.toml
var Municipality []byte

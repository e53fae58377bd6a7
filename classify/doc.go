// Package classify decides, for each new incoming message, what a trained
// contact-center clerk would: the category (Beröm, Klagomål, Förslag,
// Fråga, Felanmälan), the responsible unit and who gets the forward
// (topic handler, unit handler or manager), whether it is not a synpunkt
// at all (political, HSL/SoL incident, kränkning, internal staff mail, per
// Burlöv's guideline), and, for web-form mail, the citizen's fields. It owns
// the built-in Swedish/English vocabulary, the light Swedish stemmer that
// makes "gatlyktan", "snöröjningen" and "jättebra" match their words, the
// form parser, and the labelled corpus with its evaluation.
//
// Rules are transparent weighted words and phrases. Built-in category
// words and topic areas (gata, park, avfall, va, bygglov, miljo, forskola,
// grundskola, gymnasium, hemtjanst, aldreboende, ifo, funktionsstod,
// bibliotek, idrott, kultur, kontaktcenter and a few more; areas.go) apply
// to the units they are inferred for: from an alias naming the area, else
// from the unit's name and keywords ("Biblioteket", "lånekort"), else its
// committee (infer.go; check-config lists them). The config adds unit
// keywords, topics, category rules and exclusions.
// Speech acts read what a sentence does (speech.go: an angry question is a
// complaint, a question can propose, praise needs no thank-you). Learned
// models (model.go, lr.go; model.txt made by go generate from the
// labelled corpora) add a named vote: a logistic regression for the
// category and, unless the rules are already sure, a naive Bayes vote
// for the topic area. Unit confidence is the margin between the best
// and second unit (route.go). Leave-one-municipality-out
// (lomo_test.go) measures how this does on a municipality it never saw. Built-in classes of other processes
// (processes.go: allman_handling to [classify] registry, avvikelse,
// krankning, politisk) apply with or without configured exclusions.
// Signals, strongest first: plus-address (synpunkter+gata@…), the form's
// unit field, explicit unit mentions and topic words.
//
// What always holds: Classify returns a category from synpunkt.Categories,
// a unit from the config and a handler address for every message — below
// [classify] min_confidence the unit is the triage unit, never nothing.
// Every decision carries short reasons naming only the matched rule words,
// signals and fields, never personal data, so they can go to the event
// log. A form's anonymity is honoured by clearing its contact fields. A
// Classifier is immutable after New and safe for concurrent use.
//
// How it fails: New returns an error wrapping ErrConfig when the config
// cannot be compiled (it expects a config that passed config.Validate).
// Classify does not fail; it is heuristic and fails by choosing the wrong
// category or unit, which the reasons make visible and `synpunkt route`
// corrects. Its measured accuracy on held-out data is printed by Evaluate
// (go test -v -run TestCorpusQuality ./classify/).
package classify

package classify

import (
	"slices"
	"strings"
)

// termIndex holds every list of terms Classify looks for in a message
// (each category's rules, each unit's vocabulary, each topic's keywords,
// each exclusion's terms and cues) and finds all their occurrences in a
// text in one pass, where trying every term at every token would cost
// terms × tokens.
//
// A term's first word can only match a token through one of matchWord's
// rules, and each rule needs the token to share a string end or start
// with the word: equal words or stems, or the word or stem as the
// token's (or its stem's) last part, or the stem as its stem's first part.
// So the index keeps each distinct term under the edges (see edges) of its
// first word, with the last (first) up to eight bytes of the word or stem
// as a second filter: a token looks up its three edges and tries, with
// matchWord, only the terms whose filter its own bytes pass. Every term
// that matches passes, so a list's hits are those term.matches finds
// (TestTermIndexFindsWhatEveryTermFinds). Built by New, read-only after.
type termIndex struct {
	lists [][]weighted // by list id, as registered
	terms []indexedTerm
	// The distinct terms under an edge of their first word; byStemStart
	// holds only terms that match as a compound's first part (!noPre).
	byRawEnd, byStemEnd, byStemStart map[uint32][]candidate
	keys                             map[string]int32 // termKey → index into terms; nil once built
}

// candidate is a term under one edge, with that edge's byte filter: the
// token's bytes (tail or head, see tail and head) masked must equal key.
type candidate struct {
	term      int32
	key, mask uint64
}

// indexedTerm is one distinct term (equal words and noPre match alike)
// and where the lists have it, with its first word's filters under
// byRawEnd and byStemEnd.
type indexedTerm struct {
	t         *term
	uses      []termUse
	raw, stem candidate
}

// tail returns the last eight bytes of s (fewer: all) as a number, the
// last byte lowest, and the mask of as many bytes: a string that ends
// with s has the same tail under that mask.
func tail(s string) (v, mask uint64) {
	for k := max(0, len(s)-8); k < len(s); k++ {
		v, mask = v<<8|uint64(s[k]), mask<<8|0xff
	}
	return v, mask
}

// head returns the first eight bytes of s (fewer: all, zero-padded) as a
// number, the first byte highest, and the mask of as many bytes: a
// string that starts with s has the same head under that mask.
func head(s string) (v, mask uint64) {
	for k := range 8 {
		v, mask = v<<8, mask<<8
		if k < len(s) {
			v, mask = v|uint64(s[k]), mask|0xff
		}
	}
	return v, mask
}

// termUse is entry idx of list list.
type termUse struct{ list, idx int32 }

// termHit is entry idx of list list found at token pos.
type termHit struct{ list, idx, pos int32 }

// termHits are the hits of a text, sorted by list, entry and position:
// the order in which ranging over a list's entries and each entry's
// term.matches would find them.
type termHits struct {
	hits  []termHit
	start []int32 // by list id: its first hit; start[len(lists)] = len(hits)
}

// of returns the hits of list id.
func (h termHits) of(id int32) []termHit {
	return h.hits[h.start[id]:h.start[id+1]]
}

// firsts returns the first hit of each entry of list id found, in entry
// order.
func (h termHits) firsts(id int32) []termHit {
	var out []termHit
	for k, m := range h.of(id) {
		if k == 0 || m.idx != out[len(out)-1].idx {
			out = append(out, m)
		}
	}
	return out
}

// entries returns the entries of list id found, in order, each once.
func (h termHits) entries(id int32) []int32 {
	var out []int32
	for _, m := range h.firsts(id) {
		out = append(out, m.idx)
	}
	return out
}

func newTermIndex() *termIndex {
	return &termIndex{byRawEnd: map[uint32][]candidate{}, byStemEnd: map[uint32][]candidate{}, byStemStart: map[uint32][]candidate{}, keys: map[string]int32{}}
}

// add registers a list and returns its id. Terms without words never
// match and are left out of the index.
func (x *termIndex) add(ws []weighted) int32 {
	id := int32(len(x.lists))
	x.lists = append(x.lists, ws)
	for i := range ws {
		t := &ws[i].term
		if len(t.words) == 0 {
			continue
		}
		k := termKey(t)
		d, ok := x.keys[k]
		if !ok {
			d = int32(len(x.terms))
			x.keys[k] = d
			f := &t.words[0]
			it := indexedTerm{t: t, raw: candidate{term: d}, stem: candidate{term: d}}
			it.raw.key, it.raw.mask = tail(f.raw)
			it.stem.key, it.stem.mask = tail(f.stem)
			x.terms = append(x.terms, it)
			x.byRawEnd[f.rawEnd] = append(x.byRawEnd[f.rawEnd], it.raw)
			x.byStemEnd[f.stemEnd] = append(x.byStemEnd[f.stemEnd], it.stem)
			if !t.noPre {
				start := candidate{term: d}
				start.key, start.mask = head(f.stem)
				x.byStemStart[f.stemStart] = append(x.byStemStart[f.stemStart], start)
			}
		}
		x.terms[d].uses = append(x.terms[d].uses, termUse{id, int32(i)})
	}
	return id
}

// termKey is what decides where a term matches: its words as matchWord
// reads them and noPre.
func termKey(t *term) string {
	var b strings.Builder
	if t.noPre {
		b.WriteByte('-')
	}
	for _, w := range t.words {
		b.WriteByte('\x00')
		switch {
		case w.exact && w.whole:
			b.WriteByte('3')
		case w.exact:
			b.WriteByte('2')
		case w.whole:
			b.WriteByte('1')
		default:
			b.WriteByte('0')
		}
		b.WriteString(w.raw)
		b.WriteByte('\x00')
		b.WriteString(w.stem)
	}
	return b.String()
}

// match finds every registered term in toks.
func (x *termIndex) match(toks []token) termHits {
	var hits []termHit
	try := func(d int32, i int) {
		it := &x.terms[d]
		t := it.t
		if i+len(t.words) > len(toks) {
			return
		}
		for j := range t.words {
			if !matchWord(&toks[i+j], &t.words[j], !t.noPre) {
				return
			}
		}
		for _, u := range it.uses {
			hits = append(hits, termHit{u.list, u.idx, int32(i)})
		}
	}
	for i := range toks {
		tk := &toks[i]
		rawTail, _ := tail(tk.raw)
		stemTail, _ := tail(tk.stem)
		stemHead, _ := head(tk.stem)
		// Each term once: the second and third lists skip the terms an
		// earlier one gave.
		byRaw := func(d int32) bool {
			it := &x.terms[d]
			return it.t.words[0].rawEnd == tk.rawEnd && rawTail&it.raw.mask == it.raw.key
		}
		for _, c := range x.byRawEnd[tk.rawEnd] {
			if rawTail&c.mask == c.key {
				try(c.term, i)
			}
		}
		for _, c := range x.byStemEnd[tk.stemEnd] {
			if stemTail&c.mask == c.key && !byRaw(c.term) {
				try(c.term, i)
			}
		}
		for _, c := range x.byStemStart[tk.stemStart] {
			if stemHead&c.mask == c.key && !byRaw(c.term) {
				if it := &x.terms[c.term]; it.t.words[0].stemEnd != tk.stemEnd || stemTail&it.stem.mask != it.stem.key {
					try(c.term, i)
				}
			}
		}
	}
	return x.sorted(hits)
}

// sorted orders hits by list, entry and position and indexes the lists.
func (x *termIndex) sorted(hits []termHit) termHits {
	slices.SortFunc(hits, func(a, b termHit) int {
		switch {
		case a.list != b.list:
			return int(a.list - b.list)
		case a.idx != b.idx:
			return int(a.idx - b.idx)
		}
		return int(a.pos - b.pos)
	})
	start := make([]int32, len(x.lists)+1)
	k := 0
	for id := range x.lists {
		start[id] = int32(k)
		for k < len(hits) && hits[k].list == int32(id) {
			k++
		}
	}
	start[len(x.lists)] = int32(len(hits))
	return termHits{hits: hits, start: start}
}

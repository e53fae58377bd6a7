package pdfa

import (
	"bytes"
	"encoding/binary"
	"math"
	"sync"
)

var (
	iccOnce sync.Once
	iccData []byte
)

// SRGBProfile returns an ICC version 2 display profile (class 'mntr', RGB
// to the XYZ connection space) for sRGB IEC 61966-2.1: the D50-adapted
// sRGB primaries as colorants, the D50 white point, and the sRGB transfer
// curve sampled at 1024 points for each channel. It is built here from the
// published constants rather than copied from a file, so no profile with
// its own licence is shipped.
func SRGBProfile() []byte {
	iccOnce.Do(func() { iccData = buildSRGB() })
	return append([]byte(nil), iccData...)
}

func s15(v float64) uint32 { return uint32(int32(math.Round(v * 65536))) }

func xyzTag(x, y, z float64) []byte {
	var b bytes.Buffer
	b.WriteString("XYZ \x00\x00\x00\x00")
	for _, v := range []float64{x, y, z} {
		binary.Write(&b, binary.BigEndian, s15(v))
	}
	return b.Bytes()
}

func curvTag() []byte {
	var b bytes.Buffer
	b.WriteString("curv\x00\x00\x00\x00")
	const n = 1024
	binary.Write(&b, binary.BigEndian, uint32(n))
	for i := range n {
		v := float64(i) / (n - 1)
		var lin float64
		if v <= 0.04045 {
			lin = v / 12.92
		} else {
			lin = math.Pow((v+0.055)/1.055, 2.4)
		}
		binary.Write(&b, binary.BigEndian, uint16(math.Round(lin*65535)))
	}
	return b.Bytes()
}

// descTag is a textDescriptionType (ICC v2): ASCII, an empty Unicode and
// an empty ScriptCode part.
func descTag(s string) []byte {
	var b bytes.Buffer
	b.WriteString("desc\x00\x00\x00\x00")
	binary.Write(&b, binary.BigEndian, uint32(len(s)+1))
	b.WriteString(s)
	b.WriteByte(0)
	b.Write(make([]byte, 4+4+2+1+67)) // Unicode language, count; ScriptCode code, count, 67 bytes
	return b.Bytes()
}

func textTag(s string) []byte {
	return append([]byte("text\x00\x00\x00\x00"+s), 0)
}

func buildSRGB() []byte {
	curve := curvTag()
	tags := []struct {
		sig  string
		data []byte
	}{
		{"desc", descTag("sRGB IEC61966-2.1 (synpunkt)")},
		{"cprt", textTag("No copyright, use freely")},
		{"wtpt", xyzTag(0.9642, 1.0, 0.8249)},
		{"rXYZ", xyzTag(0.4360747, 0.2225045, 0.0139322)},
		{"gXYZ", xyzTag(0.3850649, 0.7168786, 0.0971045)},
		{"bXYZ", xyzTag(0.1430804, 0.0606169, 0.7141733)},
		{"rTRC", curve},
		{"gTRC", curve},
		{"bTRC", curve},
	}
	// Layout: 128-byte header, tag count and table, then the data, each
	// element starting at a multiple of 4. The three TRC tags share data.
	tableEnd := 128 + 4 + 12*len(tags)
	var data bytes.Buffer
	type entry struct{ off, size int }
	entries := make([]entry, len(tags))
	seen := map[*byte]entry{}
	for i, t := range tags {
		if e, ok := seen[&t.data[0]]; ok {
			entries[i] = e
			continue
		}
		for (tableEnd+data.Len())%4 != 0 {
			data.WriteByte(0)
		}
		entries[i] = entry{tableEnd + data.Len(), len(t.data)}
		seen[&t.data[0]] = entries[i]
		data.Write(t.data)
	}
	for (tableEnd+data.Len())%4 != 0 {
		data.WriteByte(0)
	}
	size := tableEnd + data.Len()

	var b bytes.Buffer
	be := func(v any) { binary.Write(&b, binary.BigEndian, v) }
	be(uint32(size))
	b.WriteString("\x00\x00\x00\x00")                 // preferred CMM: none
	be(uint32(0x02100000))                            // version 2.1
	b.WriteString("mntr")                             // display device
	b.WriteString("RGB ")                             // data colour space
	b.WriteString("XYZ ")                             // profile connection space
	be([6]uint16{2026, 1, 1, 0, 0, 0})                // date of creation
	b.WriteString("acsp")                             // signature
	b.WriteString("\x00\x00\x00\x00")                 // primary platform: none
	be(uint32(0))                                     // flags
	b.WriteString("\x00\x00\x00\x00")                 // device manufacturer
	be(uint32(0))                                     // device model
	be(uint64(0))                                     // device attributes
	be(uint32(0))                                     // rendering intent: perceptual
	be([3]uint32{s15(0.9642), s15(1.0), s15(0.8249)}) // PCS illuminant D50
	b.WriteString("\x00\x00\x00\x00")                 // creator
	b.Write(make([]byte, 128-b.Len()))                // profile ID (v4) and reserved: zero
	be(uint32(len(tags)))
	for i, t := range tags {
		b.WriteString(t.sig)
		be(uint32(entries[i].off))
		be(uint32(entries[i].size))
	}
	b.Write(data.Bytes())
	return b.Bytes()
}

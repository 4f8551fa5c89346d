package lake

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"

	music "github.com/openmusic/music"
)

// StringColumn is one row group's string column as a dictionary plus one
// index per row. Dictionary-encoded pages contribute their dictionary once;
// plain pages contribute one entry per row. Batch code maps each entry
// once (interning, hashing) instead of touching a string per row.
type StringColumn struct {
	Data    []byte   // concatenated entries
	Offsets []uint32 // entry i is Data[Offsets[i]:Offsets[i+1]]
	Idx     []int32  // per row: entry index
}

// Len is the number of dictionary entries.
func (c *StringColumn) Len() int { return len(c.Offsets) - 1 }

// Entry returns entry i; the bytes are valid until the next row group.
func (c *StringColumn) Entry(i int) []byte { return c.Data[c.Offsets[i]:c.Offsets[i+1]] }

func (c *StringColumn) reset() {
	c.Data, c.Offsets, c.Idx = c.Data[:0], append(c.Offsets[:0], 0), c.Idx[:0]
}

func (c *StringColumn) appendEntries(data []byte, offsets []uint32) {
	base := uint32(len(c.Data))
	c.Data = append(c.Data, data[offsets[0]:offsets[len(offsets)-1]]...)
	for _, o := range offsets[1:] {
		c.Offsets = append(c.Offsets, base+o-offsets[0])
	}
}

// Columns is the projection the royalty batch reads from one row group.
// Its slices are reused from row group to row group.
type Columns struct {
	Rows                            int
	User, Track, Session, Territory StringColumn
	PlayedAt, UserCreatedAt         []int64
	Duration                        []int64
	Completed                       []bool
}

// ScanColumns decodes the batch projection of every row group in turn and
// calls fn with it. Only those columns' chunks are fetched. Memory is one
// row group's projection, reused. Any decoding failure names the file.
func (f *File) ScanColumns(ctx context.Context, cols *Columns, fn func(*Columns) error) error {
	schema := f.pf.Schema()
	leaf := func(name string, kind parquet.Kind) (int, error) {
		l, ok := schema.Lookup(name)
		if !ok {
			return 0, music.Errorf(music.EINVALID, "lake file %s: no column %s", f.Key, name)
		}
		if l.Node.Type().Kind() != kind || l.MaxDefinitionLevel != 0 || l.MaxRepetitionLevel != 0 {
			return 0, music.Errorf(music.EINVALID, "lake file %s: column %s is not a required %s", f.Key, name, kind)
		}
		return l.ColumnIndex, nil
	}
	type strCol struct {
		name string
		dst  *StringColumn
	}
	type intCol struct {
		name string
		dst  *[]int64
	}
	strs := []strCol{{ColUserID, &cols.User}, {ColTrackID, &cols.Track}, {ColSessionID, &cols.Session}, {ColTerritory, &cols.Territory}}
	ints := []intCol{{ColPlayedAt, &cols.PlayedAt}, {ColUserCreatedAt, &cols.UserCreatedAt}, {ColDuration, &cols.Duration}}
	strIdx := make([]int, len(strs))
	intIdx := make([]int, len(ints))
	var err error
	for i, c := range strs {
		if strIdx[i], err = leaf(c.name, parquet.ByteArray); err != nil {
			return err
		}
	}
	for i, c := range ints {
		if intIdx[i], err = leaf(c.name, parquet.Int64); err != nil {
			return err
		}
	}
	boolIdx, err := leaf(ColCompleted, parquet.Boolean)
	if err != nil {
		return err
	}
	for g, rg := range f.pf.RowGroups() {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunks := rg.ColumnChunks()
		n := int(rg.NumRows())
		cols.Rows = n
		for i, c := range strs {
			if err := readStrings(chunks[strIdx[i]], c.dst); err != nil {
				return f.chunkErr(g, c.name, err)
			}
		}
		for i, c := range ints {
			if *c.dst, err = readInt64s(chunks[intIdx[i]], (*c.dst)[:0]); err != nil {
				return f.chunkErr(g, c.name, err)
			}
		}
		if cols.Completed, err = readBools(chunks[boolIdx], cols.Completed[:0]); err != nil {
			return f.chunkErr(g, ColCompleted, err)
		}
		for _, l := range []int{len(cols.User.Idx), len(cols.Track.Idx), len(cols.Session.Idx), len(cols.Territory.Idx), len(cols.PlayedAt), len(cols.UserCreatedAt), len(cols.Duration), len(cols.Completed)} {
			if l != n {
				return music.Errorf(music.EINVALID, "lake file %s row group %d: a column has %d values for %d rows", f.Key, g, l, n)
			}
		}
		if err := fn(cols); err != nil {
			return err
		}
	}
	return nil
}

func (f *File) chunkErr(group int, col string, err error) error {
	return corrupt(fmt.Sprintf("%s (row group %d, column %s)", f.Key, group, col), err)
}

// eachPage calls fn for every page of a column chunk.
func eachPage(chunk parquet.ColumnChunk, fn func(parquet.Page) error) error {
	pages := chunk.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if p.NumNulls() != 0 {
			return fmt.Errorf("page has nulls")
		}
		if err := fn(p); err != nil {
			return err
		}
	}
}

func readStrings(chunk parquet.ColumnChunk, dst *StringColumn) error {
	dst.reset()
	var dict parquet.Dictionary
	var dictBase int32
	return eachPage(chunk, func(p parquet.Page) error {
		if d := p.Dictionary(); d != nil {
			if d != dict { // one dictionary per chunk: copy it once
				dict, dictBase = d, int32(dst.Len())
				data, offs, err := byteArrays(d.Page())
				if err != nil {
					return err
				}
				if len(offs) != d.Len()+1 {
					return fmt.Errorf("dictionary has %d offsets for %d entries", len(offs), d.Len())
				}
				dst.appendEntries(data, offs)
			}
			idx, err := indexes(p)
			if err != nil {
				return err
			}
			limit := int32(dict.Len())
			for _, i := range idx {
				if i < 0 || i >= limit {
					return fmt.Errorf("dictionary index %d out of range [0,%d)", i, limit)
				}
				dst.Idx = append(dst.Idx, dictBase+i)
			}
			return nil
		}
		data, offs, err := byteArrays(p)
		if err != nil {
			return err
		}
		if len(offs) != int(p.NumValues())+1 {
			return fmt.Errorf("byte array page has %d offsets for %d values", len(offs), p.NumValues())
		}
		base := int32(dst.Len())
		dst.appendEntries(data, offs)
		for i := range int32(len(offs) - 1) {
			dst.Idx = append(dst.Idx, base+i)
		}
		return nil
	})
}

func readInt64s(chunk parquet.ColumnChunk, dst []int64) ([]int64, error) {
	err := eachPage(chunk, func(p parquet.Page) error {
		if d := p.Dictionary(); d != nil {
			dv := d.Page().Data()
			iv := p.Data()
			if dv.Kind() != encoding.Int64 || iv.Kind() != encoding.Int32 {
				return fmt.Errorf("unexpected dictionary page layout")
			}
			vals := dv.Int64()
			for _, i := range iv.Int32() {
				if i < 0 || int(i) >= len(vals) {
					return fmt.Errorf("dictionary index %d out of range", i)
				}
				dst = append(dst, vals[i])
			}
			return nil
		}
		v := p.Data()
		if v.Kind() != encoding.Int64 {
			return fmt.Errorf("page holds %v values, want int64", v.Kind())
		}
		dst = append(dst, v.Int64()...)
		return nil
	})
	return dst, err
}

func readBools(chunk parquet.ColumnChunk, dst []bool) ([]bool, error) {
	err := eachPage(chunk, func(p parquet.Page) error {
		v := p.Data()
		if v.Kind() != encoding.Boolean {
			return fmt.Errorf("page holds %v values, want boolean", v.Kind())
		}
		bits := v.Boolean()
		n := int(p.NumValues())
		if len(bits)*8 < n {
			return fmt.Errorf("boolean page has %d bytes for %d values", len(bits), n)
		}
		for i := range n {
			dst = append(dst, bits[i>>3]>>(i&7)&1 == 1)
		}
		return nil
	})
	return dst, err
}

// byteArrays returns a page's byte-array values, checking the kind first
// (encoding.Values panics on a kind mismatch).
func byteArrays(p parquet.Page) ([]byte, []uint32, error) {
	v := p.Data()
	if v.Kind() != encoding.ByteArray {
		return nil, nil, fmt.Errorf("page holds %v values, want byte arrays", v.Kind())
	}
	data, offs := v.ByteArray()
	if len(offs) == 0 {
		return nil, nil, fmt.Errorf("byte array page has no offsets")
	}
	for i := 1; i < len(offs); i++ {
		if offs[i] < offs[i-1] || int(offs[i]) > len(data) {
			return nil, nil, fmt.Errorf("byte array page has bad offsets")
		}
	}
	return data, offs, nil
}

// indexes returns a dictionary-encoded page's indexes.
func indexes(p parquet.Page) ([]int32, error) {
	v := p.Data()
	if v.Kind() != encoding.Int32 {
		return nil, fmt.Errorf("indexed page holds %v values, want int32 indexes", v.Kind())
	}
	return v.Int32(), nil
}

package music

import "testing"

func TestSearchDocValidate(t *testing.T) {
	good := SearchDoc{Type: DocTrack, ID: "t1", Title: "Halo", Popularity: 50}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]SearchDoc{
		"type":       {Type: "playlist", ID: "p", Title: "x"},
		"id":         {Type: DocTrack, Title: "x"},
		"title":      {Type: DocTrack, ID: "t"},
		"utf8":       {Type: DocTrack, ID: "t", Title: "\xff"},
		"popularity": {Type: DocTrack, ID: "t", Title: "x", Popularity: 101},
	} {
		if err := d.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

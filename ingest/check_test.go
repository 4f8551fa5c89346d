package ingest

import (
	"strings"
	"testing"
	"time"
)

// TestCheckMessage edits the good message and checks that Check finds
// exactly the damage, at the right XML path.
func TestCheckMessage(t *testing.T) {
	good := mustRead(t, "testdata/good/"+goodUPC+".xml")
	const sr1 = "/NewReleaseMessage/ResourceList/SoundRecording[1]"
	const sr2 = "/NewReleaseMessage/ResourceList/SoundRecording[2]"
	const rel = "/NewReleaseMessage/ReleaseList/Release"
	tests := []struct {
		name   string
		oldNew []string
		wants  []want
	}{
		{"unchanged", nil, nil},
		{"no MessageId", []string{"<MessageId>OMTEST-195999000015-1</MessageId>", "<MessageId/>"},
			[]want{{ProblemMetadata, "", "/MessageHeader/MessageId"}}},
		{"bad created time", []string{"2026-11-27T06:00:00+00:00", "yesterday"},
			[]want{{ProblemMetadata, "", "/MessageHeader/MessageCreatedDateTime"}}},
		{"bad duration", []string{"<Duration>PT3S</Duration>", "<Duration>3 minutes</Duration>"},
			[]want{{ProblemMetadata, "", sr1 + "/Duration"}}},
		{"no duration", []string{"<Duration>PT3S</Duration>", ""},
			[]want{{ProblemMetadata, "", sr1 + "/Duration"}}},
		{"preview after the end", []string{"<StartPoint>0.5</StartPoint>", "<StartPoint>4.0</StartPoint>"},
			[]want{{ProblemMetadata, "", sr1 + "/SoundRecordingEdition/TechnicalDetails/ClipDetails/Timing/StartPoint"}}},
		{"duplicate ISRC", []string{"<ISRC>QZES72600002</ISRC>", "<ISRC>QZ-ES7-26-00001</ISRC>"},
			[]want{{ProblemISRC, "", sr2 + "/SoundRecordingEdition/ResourceId/ISRC"}}},
		{"unknown artist party", []string{"<PartyReference>PGuest</PartyReference>", "<PartyReference>PGuest2</PartyReference>"},
			[]want{{ProblemMetadata, "", sr2 + "/DisplayArtist[1]/ArtistPartyReference"}}},
		{"unknown label party", []string{"<ReleaseLabelReference ApplicableTerritoryCode=\"Worldwide\">PLabel<", "<ReleaseLabelReference>PNone<"},
			[]want{{ProblemMetadata, "", rel + "/ReleaseLabelReference"}}},
		{"track not on the release", []string{"<ReleaseResourceReference>A2</ReleaseResourceReference>", "<ReleaseResourceReference>A9</ReleaseResourceReference>"},
			[]want{{ProblemMetadata, "", rel + "/ResourceGroup"}, {ProblemMetadata, "", sr2}}},
		{"no ICPN or GRid", []string{"<ReleaseId><ICPN>195999000015</ICPN></ReleaseId>", "<ReleaseId/>"},
			[]want{{ProblemICPN, "", rel + "/ReleaseId"}}},
		{"bad release date", []string{"<ReleaseDate>2026-12-01</ReleaseDate>", "<ReleaseDate>01/12/2026</ReleaseDate>"},
			[]want{{ProblemMetadata, "", rel + "/ReleaseDate"}}},
		{"deal ends before it starts", []string{"<EndDate>2027-11-30</EndDate>", "<EndDate>2025-01-01</EndDate>"},
			[]want{{ProblemMetadata, "", "/DealList/ReleaseDeal[1]/Deal[2]/DealTerms/ValidityPeriod"}}},
		{"deal without territory", []string{"<TerritoryCode>DE</TerritoryCode>", ""},
			[]want{{ProblemMetadata, "", "/DealList/ReleaseDeal[1]/Deal[2]/DealTerms/TerritoryCode"}}},
		{"no release", []string{"<ReleaseList>", "<ReleaseListX>", "</ReleaseList>", "</ReleaseListX>"},
			[]want{{ProblemMetadata, "", "/NewReleaseMessage/ReleaseList"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := good
			for i := 0; i < len(tt.oldNew); i += 2 {
				if !strings.Contains(msg, tt.oldNew[i]) {
					t.Fatalf("message has no %q", tt.oldNew[i])
				}
				msg = strings.Replace(msg, tt.oldNew[i], tt.oldNew[i+1], 1)
			}
			d, err := Parse(strings.NewReader(msg))
			if err != nil {
				t.Fatal(err)
			}
			checkProblems(t, Check(d), tt.wants)
		})
	}
}

func TestDealWindows(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	d, err := Parse(strings.NewReader(mustRead(t, "testdata/ern43/3_MixedMedia.xml")))
	if err != nil {
		t.Fatal(err)
	}
	// R0's deals in 3_MixedMedia cover AT, CH and DE from 2010-12-10 with
	// some ending 2013-07-09; others stay open.
	if !d.AvailableAt(at("2012-01-01T00:00:00Z"), "DE") || d.AvailableAt(at("2012-01-01T00:00:00Z"), "US") {
		t.Fatal("3_MixedMedia availability in 2012: want DE yes, US no")
	}
	if d.AvailableAt(at("2000-01-01T00:00:00Z"), "") {
		t.Fatal("available before any deal starts")
	}
	var ended *Deal
	for i, deal := range d.Deals {
		if deal.EndRaw == "2013-07-09" {
			ended = &d.Deals[i]
			break
		}
	}
	if ended == nil {
		t.Fatal("no deal ending 2013-07-09 in 3_MixedMedia")
	}
	if !ended.ActiveAt(at("2013-07-09T23:59:59Z")) || ended.ActiveAt(at("2013-07-10T00:00:00Z")) {
		t.Fatalf("deal %+v: EndDate must be inclusive", ended)
	}
	takedown := Deal{TakeDown: true, Territories: []string{"Worldwide"}}
	if takedown.ActiveAt(at("2020-01-01T00:00:00Z")) {
		t.Fatal("a TakeDown deal is active")
	}
}

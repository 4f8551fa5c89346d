package clustertest

import (
	"strings"
	"testing"
)

const ledgerHead = "month,model,territory,track_id,holder_id,role,weight,amount_micros,amount\n"

var sampleLedger = ledgerHead +
	"2026-12,pro_rata,DE,trk_a,label-1,label,1104,150000000,150.000000\n" +
	"2026-12,pro_rata,DE,trk_a,artist-1,artist,1104,100000000,100.000000\n" +
	"2026-12,pro_rata,DE,trk_b,label-2,label,1104,250000000,250.000000\n"

// TestCompareOutputsFindsOneCent: a ledger that pays one holder a cent
// (10,000 micro-units) more is reported, with the line number and both
// versions of the row.
func TestCompareOutputsFindsOneCent(t *testing.T) {
	if err := compareOutputs("ledger.csv", "cluster", sampleLedger, "embedded", sampleLedger); err != nil {
		t.Fatalf("identical ledgers: %v", err)
	}
	cent := strings.Replace(sampleLedger, "artist,1104,100000000,100.000000", "artist,1104,100010000,100.010000", 1)
	err := compareOutputs("ledger.csv", "cluster", sampleLedger, "embedded", cent)
	if err == nil {
		t.Fatal("a ledger one cent apart compared equal")
	}
	for _, want := range []string{
		"ledger.csv differs at line 3",
		"cluster: 2026-12,pro_rata,DE,trk_a,artist-1,artist,1104,100000000,100.000000",
		"embedded: 2026-12,pro_rata,DE,trk_a,artist-1,artist,1104,100010000,100.010000",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the report lacks %q:\n%v", want, err)
		}
	}
}

// TestCompareOutputsFindsAMissingRow: a row only one side has is named,
// and the line counts show which side is short.
func TestCompareOutputsFindsAMissingRow(t *testing.T) {
	short := strings.TrimSuffix(sampleLedger, "2026-12,pro_rata,DE,trk_b,label-2,label,1104,250000000,250.000000\n")
	err := compareOutputs("ledger.csv", "cluster", sampleLedger, "embedded", short)
	if err == nil {
		t.Fatal("a ledger missing its last row compared equal")
	}
	for _, want := range []string{"line 4", "4 lines from cluster, 3 from embedded",
		"cluster: 2026-12,pro_rata,DE,trk_b,label-2", "embedded: \n"} {
		if !strings.Contains(err.Error()+"\n", want) {
			t.Errorf("the report lacks %q:\n%v", want, err)
		}
	}
}

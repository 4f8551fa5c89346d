package capacity

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
)

//go:embed rates.json
var defaultRates []byte

// Rate is one measured figure: its value, and the benchmark page and
// command that measured it, so that every derived figure can be traced.
type Rate struct {
	Name       string  `json:"name"`
	Value      float64 `json:"value"`
	Unit       string  `json:"unit"`
	Source     string  `json:"source"`
	Command    string  `json:"command"`
	Derivation string  `json:"derivation"`
}

// Rates is the checked-in rates file.
type Rates struct {
	Machine string `json:"machine"`
	Rates   []Rate `json:"rates"`
	byName  map[string]float64
}

// The rates the plan uses; a rates file must give each.
const (
	rateIngest          = "ingest_core_seconds_per_audio_second"
	rateEncode          = "encode_core_seconds_per_audio_second"
	rateFingerprint     = "fingerprint_core_seconds_per_audio_second"
	rateAPI             = "api_requests_per_core_second"
	rateOrigin          = "origin_bytes_per_core_second"
	rateReports         = "report_events_per_core_second"
	rateRoyalty         = "royalty_events_per_core_second"
	rateLakeBytes       = "lake_bytes_per_event"
	rateReco            = "reco_signals_per_core_second"
	rateSearch          = "search_core_seconds_per_query"
	rateSearchIndex     = "search_index_bytes_per_track"
	rateFingerprintSize = "fingerprint_index_bytes_per_track"
)

var requiredRates = []string{rateIngest, rateEncode, rateFingerprint, rateAPI, rateOrigin, rateReports,
	rateRoyalty, rateLakeBytes, rateReco, rateSearch, rateSearchIndex, rateFingerprintSize}

// DefaultRates are the rates checked in beside this package (rates.json).
func DefaultRates() (*Rates, error) { return parseRates("capacity/rates.json", defaultRates) }

// LoadRates reads a rates file in the shape of rates.json.
func LoadRates(path string) (*Rates, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseRates(path, b)
}

func parseRates(path string, b []byte) (*Rates, error) {
	var r Rates
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	r.byName = map[string]float64{}
	for i, rate := range r.Rates {
		switch {
		case rate.Name == "":
			return nil, fmt.Errorf("%s: rates[%d].name is empty", path, i)
		case !(rate.Value > 0) || math.IsInf(rate.Value, 0):
			return nil, fmt.Errorf("%s: rates[%d] (%s).value must be a positive number, got %v", path, i, rate.Name, rate.Value)
		case rate.Source == "" || rate.Command == "":
			return nil, fmt.Errorf("%s: rates[%d] (%s) needs a source and the command that measured it", path, i, rate.Name)
		}
		if _, dup := r.byName[rate.Name]; dup {
			return nil, fmt.Errorf("%s: rates[%d].name %q appears twice", path, i, rate.Name)
		}
		r.byName[rate.Name] = rate.Value
	}
	for _, name := range requiredRates {
		if _, ok := r.byName[name]; !ok {
			return nil, fmt.Errorf("%s: no rate named %q", path, name)
		}
	}
	return &r, nil
}

// get returns a rate that parseRates checked is present.
func (r *Rates) get(name string) float64 { return r.byName[name] }

package plays

import "testing"

func TestParseMicros(t *testing.T) {
	for in, want := range map[string]Micros{"0": 0, "1": 1_000_000, "12.5": 12_500_000, "0.000001": 1, "1234.567891": 1_234_567_891} {
		if got, err := ParseMicros(in); err != nil || got != want {
			t.Errorf("%s: %d %v", in, got, err)
		}
	}
	for _, in := range []string{"", "-1", "1.2345678", "1e3", "abc", ".5", "1.-5", "1.+5"} {
		if _, err := ParseMicros(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if Micros(12_500_000).String() != "12.500000" {
		t.Error(Micros(12_500_000).String())
	}
}

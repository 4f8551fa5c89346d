package connectclient

import "testing"

func TestDefaultDeviceID(t *testing.T) {
	for name, want := range map[string]string{
		"kitchen":      "cli-kitchen",
		"Living Room2": "cli-Living-Room2",
		"a/b-c é":      "cli-a-b-c--",
	} {
		if got := DefaultDeviceID(name); got != want {
			t.Errorf("DefaultDeviceID(%q) = %q, want %q", name, got, want)
		}
	}
}
